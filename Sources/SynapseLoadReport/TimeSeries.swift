/// Requests, errors and bytes per time bucket over the run, for the report's over-time plots.
///
/// Buckets start one second wide. Memory is bounded: when a sample lands past `capacity`
/// buckets, neighbouring pairs merge and the width doubles (1 s, 2 s, 4 s …), so an hour at 1 s
/// fits as is and a day ends up in 32 s buckets. A sample counts in the bucket of its completion
/// (intended send time plus latency), so the plot shows what the target answered when.
public struct TimeSeries: Sendable, Equatable {
    /// One bucket's counts.
    public struct Bucket: Sendable, Equatable {
        public var requests = 0
        public var errors = 0
        /// Bytes sent plus bytes received.
        public var bytes = 0

        public init(requests: Int = 0, errors: Int = 0, bytes: Int = 0) {
            self.requests = requests
            self.errors = errors
            self.bytes = bytes
        }

        mutating func add(_ other: Bucket) {
            requests += other.requests
            errors += other.errors
            bytes += other.bytes
        }
    }

    /// The most buckets kept before pairs merge. Default 3,600.
    public let capacity: Int
    /// The width of every bucket.
    public private(set) var bucketWidth: Duration = .seconds(1)
    /// Bucket `i` covers `[i × bucketWidth, (i + 1) × bucketWidth)` from the start of the run.
    public private(set) var buckets: [Bucket] = []

    public init(capacity: Int = 3_600) {
        precondition(capacity >= 2, "a time series needs room for at least two buckets")
        self.capacity = capacity
    }

    /// Counts one finished request.
    @inline(__always)
    public mutating func record(_ sample: RequestSample) {
        let end = sample.scheduledAt + sample.latency
        add(Bucket(requests: 1, errors: sample.isError ? 1 : 0, bytes: sample.bytesSent + sample.bytesReceived), at: end)
    }

    /// Adds another series (another worker's) bucket by bucket, at the coarser of the two widths.
    public mutating func merge(_ other: TimeSeries) {
        var other = other
        while other.bucketWidth < bucketWidth { other.coarsen() }
        while bucketWidth < other.bucketWidth { coarsen() }
        for (index, bucket) in other.buckets.enumerated() {
            add(bucket, at: bucketWidth * index)
        }
    }

    private mutating func add(_ bucket: Bucket, at time: Duration) {
        // Samples scheduled before the start (none should be) count in the first bucket.
        var index = time < .zero ? 0 : Int(time / bucketWidth)
        while index >= capacity {
            coarsen()
            index /= 2
        }
        if index >= buckets.count {
            buckets.append(contentsOf: repeatElement(Bucket(), count: index - buckets.count + 1))
        }
        buckets[index].add(bucket)
    }

    /// Merges neighbouring pairs and doubles the width.
    private mutating func coarsen() {
        var merged: [Bucket] = []
        merged.reserveCapacity((buckets.count + 1) / 2)
        for start in stride(from: 0, to: buckets.count, by: 2) {
            var pair = buckets[start]
            if start + 1 < buckets.count { pair.add(buckets[start + 1]) }
            merged.append(pair)
        }
        buckets = merged
        bucketWidth *= 2
    }
}
