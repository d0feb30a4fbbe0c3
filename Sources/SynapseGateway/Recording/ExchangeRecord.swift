import Foundation
import HTTPTypes
import NIOCore
import SynapseClock
import SynapseCore
import SynapseHAR

/// An exchange being rebuilt by the writer from its events, until its end makes it an entry.
struct ExchangeRecord {
    let start: ExchangeStart
    private let store: HARBodyStore
    private let policy: HARBodyPolicy
    private var request: BodyCapture
    private var multipart: MultipartParamCollector?
    private var requestEnd: AnyClock.Instant?
    private var response: ResponseStart?
    private var responseBody: BodyCapture?
    private var firstByte: AnyClock.Instant?
    private var scanner: SSEEventScanner?
    private var events: [HARStreamEvent] = []

    init(start: ExchangeStart) {
        self.start = start
        store = HARBodyStore(recordingDirectory: start.session.directory)
        policy = HARBodyPolicy(maxInlineSize: start.session.settings.maxInlineSize)
        let contentType = start.headers[.contentType] ?? ""
        request = BodyCapture(store: store, mimeType: contentType, policy: policy)
        multipart = MultipartParamCollector(contentType: contentType)
        // A request without a body was sent with its head: nobody reads an empty body to its end.
        let length = start.headers[.contentLength]
        if length == "0" || (length == nil && start.headers[.transferEncoding] == nil) { requestEnd = start.started }
    }

    mutating func requestBytes(_ chunk: ByteBuffer) throws {
        try request.append(chunk)
        multipart?.feed(chunk.readableBytesView)
    }

    mutating func requestEnded(at instant: AnyClock.Instant) {
        if requestEnd == nil { requestEnd = instant }
    }

    mutating func responseStarted(_ head: ResponseStart) {
        response = head
        let contentType = head.headers[.contentType] ?? ""
        responseBody = BodyCapture(store: store, mimeType: contentType, policy: policy)
        if HARBodyPolicy.essence(contentType) == "text/event-stream" { scanner = SSEEventScanner() }
    }

    mutating func responseBytes(_ chunk: ByteBuffer, at instant: AnyClock.Instant) throws {
        guard response != nil else { return }
        if firstByte == nil { firstByte = instant }
        try responseBody?.append(chunk)
        if scanner != nil, let head = response {
            events += scanner!.feed(chunk.readableBytesView, offsetMs: Self.milliseconds(head.at, instant))
        }
    }

    /// Gives the exchange up, removing its partial body files.
    mutating func discard() {
        request.discard()
        responseBody?.discard()
    }

    // MARK: The entry

    /// The HAR entry, its bodies stored; nil when the response head never came.
    mutating func entry(endedAt end: AnyClock.Instant) throws -> HAREntry? {
        guard let head = response else {
            discard()
            return nil
        }
        let redactor = start.session.redactor
        // Timings: send = reading the request, wait = until the first response byte (the head
        // when the body is empty), receive = the rest. A body still being read when the answer
        // came (an early error) counts as sent at the head.
        let responseStart = firstByte ?? head.at
        let sendEnd = min(requestEnd ?? head.at, responseStart)
        let send = max(0, Self.milliseconds(start.started, sendEnd))
        let wait = max(0, Self.milliseconds(sendEnd, responseStart))
        let receive = max(0, Self.milliseconds(responseStart, end))

        let requestHeaders = redactor.headers(start.headers.map { ($0.name.rawName, $0.value) })
        let responseHeaders = redactor.headers(head.headers.map { ($0.name.rawName, $0.value) })
        let query = redactor.query(start.query)
        let queryText = start.query.isEmpty ? "" : "?\(query.text)"
        let url = "\(start.scheme)://\(start.authority)\(start.path)\(queryText)"

        let requestMime = start.headers[.contentType] ?? ""
        var postData: HARPostData?
        let requestSize = request.size
        switch try request.finish() {
        case .empty: postData = nil
        case .inline(let text): postData = HARPostData(mimeType: requestMime, text: text)
        case .file(let reference): postData = HARPostData(mimeType: requestMime, file: reference, size: requestSize)
        }
        if let params = multipart?.finish() { postData?.params = params }

        let responseMime = head.headers[.contentType] ?? ""
        var content = HARContent(size: responseBody?.size ?? 0, mimeType: responseMime, text: "")
        switch try responseBody?.finish() ?? .empty {
        case .empty: break
        case .inline(let text): content.text = text
        case .file(let reference):
            content.text = nil
            content.file = reference
        }
        if var scanner {
            events += scanner.finish(offsetMs: Self.milliseconds(head.at, end))
            content.events = events
        }

        var redacted = requestHeaders.redacted
        for name in responseHeaders.redacted where !redacted.contains(name) { redacted.append(name) }
        let overhead = head.headers[Forwarder.overheadField].flatMap(Double.init)
        return HAREntry(
            startedDateTime: HARTimestamp.string(start.startedAt),
            time: send + wait + receive,
            request: HARRequest(
                method: start.method, url: url, cookies: redactor.requestCookies(start.headers[values: .cookie]),
                headers: requestHeaders.headers, queryString: query.items, postData: postData, bodySize: requestSize),
            response: HARResponse(
                status: head.status, statusText: head.reason, cookies: redactor.responseCookies(head.headers[values: .setCookie]),
                headers: responseHeaders.headers, content: content, bodySize: responseBody?.size ?? 0),
            timings: HARTimings(send: send, wait: wait, receive: receive),
            synapse: HARSynapseInfo(
                backend: start.backend?.rawValue, upstreamPath: start.upstreamPath.map { $0 + queryText }, route: start.route, requestID: start.requestID,
                overheadMs: overhead, redacted: redacted.isEmpty ? nil : redacted))
    }

    /// Milliseconds from `from` to `to`, to the microsecond.
    static func milliseconds(_ from: AnyClock.Instant, _ to: AnyClock.Instant) -> Double {
        ((from.duration(to: to).seconds * 1000) * 1000).rounded() / 1000
    }
}
