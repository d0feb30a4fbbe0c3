/// New request ids: random (version 4) UUIDs in lower case, as `UUID().uuidString.lowercased()`
/// wrote them, from a generator seeded once.
///
/// Foundation's `UUID()` opens, reads and closes `/dev/urandom` for every id: three system calls
/// on each request that brings no id of its own (`strace` of the fast path found them). An id
/// names a request in logs and answers; nothing relies on its being unguessable.
struct RequestIDSource: Sendable {
    private let random: Tracer.IDSource

    init(random: Tracer.IDSource = Tracer.IDSource()) {
        self.random = random
    }

    static let shared = RequestIDSource()

    func next() -> String {
        // The version nibble is 4 and the variant bits 10 (RFC 9562 §5.4).
        let high = random.next() & ~0xF000 | 0x4000
        let low = random.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
            Hex.write(high, into: digits, at: 0)
            Hex.write(low, into: digits, at: 16)
            return String(unsafeUninitializedCapacity: 36) { text in
                var count = 0
                for (index, digit) in digits.enumerated() {
                    if index == 8 || index == 12 || index == 16 || index == 20 {
                        text[count] = UInt8(ascii: "-")
                        count += 1
                    }
                    text[count] = digit
                    count += 1
                }
                return count
            }
        }
    }
}
