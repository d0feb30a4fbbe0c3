import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Prometheus
import SynapseCore
import SynapseResilience

/// One request on the fast path, from the backend request's write to the client answer's end,
/// driven by the two connections' events on their shared event loop: no task, no hop.
///
/// ```
/// start ─▶ head + body + end, one flush ─▶ backend
///        ◀─ head: breaker, attempt metric, slot freed
///           ├─ error status, or a body of known length ≤ 64 KiB: collected, answered in one write
///           └─ anything else: streamed (flushed per read; the backend read only while the client keeps up)
/// ```
/// It answers what `Forwarder` answers for the same exchange, header for header (a test holds
/// them to it): the same error envelopes, `X-Synapse-Attempts` and `X-Synapse-Overhead-Ms`, the
/// same deadline and idle limits, the same end of a stream the backend breaks off. A failure
/// before the answer's head is never retried on either path: the connection was pooled, so the
/// request was sent, and only connection failures are retried.
// @unchecked Sendable: lives on the client connection's event loop, which is also its backend
// connection's; every method runs there.
final class FastExchange: @unchecked Sendable {
    private enum Phase {
        case awaitingHead
        /// An error answer (kept to decide whether it is JSON) or a small success, read whole.
        case collecting(HTTPResponseHead, limit: Int, isError: Bool)
        case streaming(HTTPResponseHead, endsCleanly: Bool, length: Int?)
        case done
    }

    private var client: FastAnswerWriter
    private let fastPath: FastPath
    private let route: FastPath.Route
    private let connection: RelayConnection
    private let pool: RelayPool
    private let meters: FastRouteMeters
    private var permit: BreakerPermit?
    private var holdsSlot = true
    private let requestID: String
    private let started: NIODeadline
    /// `started` on the clock the access log and metrics measure durations with.
    private let startedAt: ContinuousClock.Instant
    private let deadline: NIODeadline
    private var sentAt: NIODeadline
    private var lastActivity: NIODeadline
    private var phase = Phase.awaitingHead
    private var collected = ByteBuffer()
    private var bytesSent = 0
    /// The attempt's and the answer's metrics, taken when they happened and recorded once the
    /// answer has left: registry lookups are not worth a client's wait.
    private var attempted: (outcome: Outcome, duration: Duration)?
    private var answered: (status: Int, overhead: String?, duration: Duration)?
    private let onFinished: () -> Void

    init(
        client: FastAnswerWriter, fastPath: FastPath, route: FastPath.Route, admission: FastPath.Admission,
        requestID: String, started: NIODeadline, startedAt: ContinuousClock.Instant, onFinished: @escaping () -> Void
    ) {
        self.client = client
        self.fastPath = fastPath
        self.route = route
        self.connection = admission.connection
        self.pool = admission.pool
        self.meters = admission.meters
        self.permit = admission.permit
        self.requestID = requestID
        self.started = started
        self.startedAt = startedAt
        self.deadline = started + .nanoseconds(route.plan.totalTimeout.nanoseconds)
        self.sentAt = started
        self.lastActivity = started
        self.onFinished = onFinished
    }

    private var backend: BackendID { route.plan.backend.id }

    /// Sends the request (head and body, serialised by `FastPath.upstreamRequest`) in one write.
    func start(_ request: ByteBuffer) {
        fastPath.metrics.inFlight.increment()
        (client.encodes ? route.served.wire : route.served.nio).increment()
        connection.exchange = self
        arm(at: deadline)
        sentAt = .now()
        connection.channel.writeAndFlush(request).whenFailure { [self] error in upstreamFailed(error) }
    }

    // MARK: The backend's answer

    func upstreamRead(_ part: RelayResponseParser.Part) {
        switch (phase, part) {
        case (.awaitingHead, .head(let head)):
            if head.status.code >= 100, head.status.code < 200, head.status.code != 101 { return }
            received(head)
        case (.collecting(let head, let limit, let isError), .body(var chunk)):
            let room = limit - collected.readableBytes
            guard chunk.readableBytes <= room else {
                collected.writeImmutableBuffer(chunk.readSlice(length: room)!)
                connection.close()
                if isError {
                    answerBackendError(head, truncated: true)
                } else {
                    answer(UpstreamFailure.malformedResponse("more body than its Content-Length").gatewayError(backend: backend, timeout: .zero))
                }
                return
            }
            // A body that comes in one chunk (the usual small answer) is kept, not copied.
            if collected.readableBytes == 0 { collected = chunk } else { collected.writeBuffer(&chunk) }
        case (.collecting(let head, let limit, let isError), .end):
            release(head)
            if isError {
                answerBackendError(head, truncated: false)
            } else if collected.readableBytes < limit {
                let short = "body ended \(limit - collected.readableBytes) bytes short of its Content-Length"
                answer(UpstreamFailure.malformedResponse(short).gatewayError(backend: backend, timeout: .zero))
            } else {
                answerSmall(head)
            }
        case (.streaming, .body(let chunk)):
            lastActivity = .now()
            bytesSent += chunk.readableBytes
            client.body(chunk)
            // Back-pressure: the backend is read no faster than the client takes the answer.
            if !client.channel.isWritable { try? connection.channel.syncOptions?.setOption(.autoRead, value: false) }
        case (.streaming(let head, _, _), .end):
            release(head)
            client.end()
            finish(status: Int(head.status.code))
        case (.awaitingHead, .body), (.awaitingHead, .end):
            upstreamFailed(UpstreamFailure.malformedResponse("response body before its head"))
        case (.collecting, .head), (.streaming, .head):
            upstreamFailed(UpstreamFailure.malformedResponse("second response head"))
        case (.done, _):
            break
        }
    }

    func upstreamReadComplete() {
        if case .streaming = phase { client.flush() }
    }

    private func received(_ head: HTTPResponseHead) {
        lastActivity = .now()
        record(.response(status: Int(head.status.code)))
        let length = head.headers.first(name: "content-length").flatMap(Int.init)
        if head.status.code >= 400 {
            phase = .collecting(head, limit: Forwarder.errorBodyLimit, isError: true)
        } else if let length, length <= Forwarder.smallBodyLimit {
            phase = .collecting(head, limit: length, isError: false)
        } else {
            let isEventStream = head.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
            phase = .streaming(head, endsCleanly: isEventStream, length: length)
            var fields = Forwarder.successHeaders(from: head.headers, presentation: route.plan.presentation)
            if let length { fields.set(String(length), for: .contentLength) }
            writeHead(status(of: head), fields: stamped(fields))
            arm(at: min(deadline, lastActivity + idleTimeout))
        }
    }

    /// A failure of the backend connection: before the answer's head, the gateway's error;
    /// while a body is collected, the same without `X-Synapse-Attempts`, as `Forwarder` reports a
    /// body it could not read; while streaming, the stream ends (cleanly for an event stream).
    func upstreamFailed(_ error: any Error) {
        let failure = UpstreamFailure.classify(error)
        switch phase {
        case .awaitingHead:
            record(failure.outcome)
            connection.close()
            if case .deadlineExceeded = failure {
                fastPath.events.publish(.timeout, backend: backend.rawValue, [("after_ms", .number(route.plan.totalTimeout.milliseconds))])
            }
            var gatewayError = failure.gatewayError(backend: backend, timeout: route.plan.totalTimeout)
            gatewayError.headers[Forwarder.attemptsField] = "1"
            answer(gatewayError)
        case .collecting:
            connection.close()
            answer(failure.gatewayError(backend: backend, timeout: .zero))
        case .streaming(let head, let endsCleanly, let length):
            connection.close()
            let reason: String
            switch failure {
            case .deadlineExceeded: reason = now >= deadline ? "deadline" : "idle"
            default: reason = "\(failure)"
            }
            fastPath.logger.warning("backend stream ended early", metadata: ["synapse.backend": "\(backend)", "synapse.reason": "\(reason)"])
            if endsCleanly, length == nil {
                client.end()
            } else {
                client.flush()
                client.close()
            }
            finish(status: Int(head.status.code))
        case .done:
            break
        }
    }

    // MARK: The client's side

    /// The client connection closed: the backend request is abandoned, as a cancelled one is.
    func clientClosed() {
        guard !isDone else { return }
        permit?.cancel()
        permit = nil
        freeSlot()
        connection.close()
        finish(status: 499)
    }

    func clientWritabilityChanged() {
        guard case .streaming = phase, client.channel.isWritable else { return }
        try? connection.channel.syncOptions?.setOption(.autoRead, value: true)
    }

    // MARK: Answering

    private func answerSmall(_ head: HTTPResponseHead) {
        var fields = Forwarder.successHeaders(from: head.headers, presentation: route.plan.presentation)
        fields.set(String(collected.readableBytes), for: .contentLength)
        respond(status(of: head), fields: stamped(fields), body: collected)
    }

    private func answerBackendError(_ head: HTTPResponseHead, truncated: Bool) {
        let status = status(of: head)
        do {
            let fields = try Forwarder.errorAnswer(status: status, headers: head.headers, body: collected, truncated: truncated, backend: backend)
            respond(status, fields: stamped(fields), body: collected)
        } catch let error as GatewayError {
            answer(error)
        } catch {
            answer(.internalError("Internal gateway error"))
        }
    }

    private func answer(_ error: GatewayError) {
        let (fields, body) = error.rendered(requestID: requestID)
        respond(error.status, fields: fields, body: body)
    }

    /// `X-Synapse-Attempts` and `X-Synapse-Overhead-Ms` on an answer the backend gave: everything
    /// after the send (waiting for the backend, reading its body) is the backend's, so the
    /// gateway's part is the time before it, as `Forwarder` counts it.
    private func stamped(_ fields: HTTPFields) -> HTTPFields {
        var fields = fields
        let overhead = sentAt - started
        fields.set("1", for: Forwarder.attemptsField)
        fields.set(Forwarder.overheadValue(.nanoseconds(overhead.nanoseconds)), for: Forwarder.overheadField)
        return fields
    }

    private func respond(_ status: HTTPResponse.Status, fields: HTTPFields, body: ByteBuffer) {
        writeHead(status, fields: fields)
        client.body(body)
        client.end()
        bytesSent = body.readableBytes
        finish(status: status.code)
    }

    private func writeHead(_ status: HTTPResponse.Status, fields: HTTPFields) {
        var fields = fields
        fields.set(requestID, for: GatewayResponder.requestIDField)
        fields.set(HTTPDate.shared.now, for: .date)
        answered = (status.code, fields.value(of: Forwarder.overheadField), ContinuousClock.now - startedAt)
        client.head(HTTPResponse(status: status, headerFields: fields))
    }

    private func finish(status: Int) {
        phase = .done
        fastPath.metrics.inFlight.decrement()
        if let attempted { meters.attempt(outcome: attempted.outcome, duration: attempted.duration) }
        if let answered {
            fastPath.requestAnswered(route: route, meters: meters, status: answered.status, overhead: answered.overhead, duration: answered.duration)
        }
        fastPath.logAccess(route: route, requestID: requestID, status: status, startedAt: startedAt, bytes: bytesSent)
        onFinished()
    }

    // MARK: Bookkeeping

    private var isDone: Bool {
        if case .done = phase { true } else { false }
    }

    private var now: NIODeadline { .now() }

    private var idleTimeout: TimeAmount { .nanoseconds(route.plan.backend.timeouts.idle.nanoseconds) }

    private func status(of head: HTTPResponseHead) -> HTTPResponse.Status {
        HTTPResponse.Status(code: Int(head.status.code), reasonPhrase: head.status.reasonPhrase)
    }

    /// The attempt's outcome for the breaker and the metrics; the backend's slot is freed.
    private func record(_ outcome: Outcome) {
        permit?.record(outcome)
        permit = nil
        attempted = (outcome, .nanoseconds((NIODeadline.now() - sentAt).nanoseconds))
        freeSlot()
    }

    private func freeSlot() {
        guard holdsSlot else { return }
        holdsSlot = false
        route.limiter?.release()
    }

    /// The connection goes back to its pool after a complete keep-alive answer.
    private func release(_ head: HTTPResponseHead) {
        if head.isKeepAlive { pool.release(connection) } else { connection.close() }
    }

    /// Asks the connection's alarm to ring at the deadline or (while streaming) the idle limit,
    /// whichever is first; a stream's chunks only note the time, and the alarm is asked again
    /// when it rings early.
    private func arm(at due: NIODeadline) {
        connection.wake(at: due)
    }

    /// The connection's alarm rang: the deadline or the idle limit has passed, or it rang for an
    /// earlier exchange and is asked again.
    func alarmRang() {
        guard !isDone else { return }
        var due = deadline
        if case .streaming = phase { due = min(due, lastActivity + idleTimeout) }
        if now >= due {
            upstreamFailed(UpstreamFailure.deadlineExceeded)
        } else {
            arm(at: due)
        }
    }
}
