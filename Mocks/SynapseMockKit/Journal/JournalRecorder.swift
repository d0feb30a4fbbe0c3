import Hummingbird
import NIOCore
import Synchronization

/// Middleware that records each request in a `RequestJournal` while passing its body through
/// untouched (chunk by chunk, so uploads still stream), and reads whatever body the handler
/// left unread so every entry gets its size and hash.
struct JournalRecorder: RouterMiddleware {
    typealias Context = MockRequestContext

    let journal: RequestJournal
    let time: MockTime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await handle(request, context: context, fault: nil, next: next)
    }

    /// Records the request, noting `fault` (compact form) as the fault applied to it.
    func handle(
        _ request: Request, context: Context, fault: String?, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let ticket = journal.begin(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            headers: (request.head.authority.map { [.init(name: "Host", value: $0)] } ?? [])
                + request.headers.map { .init(name: $0.name.rawName, value: $0.value) },
            time: time.now(),
            fault: fault
        )
        let tap = BodyTap(journal: journal, ticket: ticket, contentType: request.headers[.contentType])
        // HTTP/1.1: without Content-Length or Transfer-Encoding there is no body (RFC 9112 §6.3),
        // so the entry can be published at once, before the response.
        let length = request.headers[.contentLength]
        if length == "0" || (length == nil && request.headers[.transferEncoding] == nil) {
            tap.finish(complete: true)
        }
        var request = request
        request.body = RequestBody(asyncSequence: TappedBody(base: request.body, tap: tap))
        let tapped = request.body
        do {
            var response = try await next(request, context)
            // A handler may read the upload while it writes its response (streaming in and
            // out), so unread bytes are only drained once the response body is done.
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                do {
                    try await body.write(writer)
                } catch {
                    await tap.drainIfUnread(tapped)
                    throw error
                }
                await tap.drainIfUnread(tapped)
            }
            return response
        } catch {
            await tap.drainIfUnread(tapped)
            throw error
        }
    }
}

/// Feeds body chunks into a `BodyDigest` and publishes the journal entry when the body ends.
final class BodyTap: Sendable {
    private struct State {
        var digest: BodyDigest
        var started = false
        var finished = false
    }

    private let journal: RequestJournal
    private let ticket: RequestJournal.Ticket
    private let state: Mutex<State>

    init(journal: RequestJournal, ticket: RequestJournal.Ticket, contentType: String?) {
        self.journal = journal
        self.ticket = ticket
        let limits = journal.configuration
        self.state = Mutex(
            State(digest: BodyDigest(contentType: contentType, prefixLimit: limits.prefixLimit, jsonLimit: RequestJournal.Configuration.jsonLimit)))
    }

    func start() {
        state.withLock { $0.started = true }
    }

    func consume(_ buffer: ByteBuffer) {
        state.withLock { $0.digest.consume(buffer.readableBytesView) }
    }

    /// Publishes the entry once; `complete` says whether the body was read to its end.
    func finish(complete: Bool) {
        state.withLock { state in
            guard !state.finished else { return }
            state.finished = true
            journal.complete(ticket, digest: &state.digest, bodyComplete: complete)
        }
    }

    /// Reads the body if nobody did (a route that ignores it, a fault); if someone started but
    /// stopped early, publishes what was seen.
    func drainIfUnread(_ body: RequestBody) async {
        let (started, finished) = state.withLock { ($0.started, $0.finished) }
        if finished { return }
        if !started {
            do {
                for try await _ in body {}
            } catch {
                finish(complete: false)
            }
        }
        finish(complete: false)
    }
}

/// A request body that reports every chunk to a `BodyTap` on its way to the handler.
struct TappedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let tap: BodyTap

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let tap: BodyTap

        mutating func next() async throws -> ByteBuffer? {
            do {
                guard let buffer = try await base.next() else {
                    tap.finish(complete: true)
                    return nil
                }
                tap.consume(buffer)
                return buffer
            } catch {
                tap.finish(complete: false)
                throw error
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        tap.start()
        return AsyncIterator(base: base.makeAsyncIterator(), tap: tap)
    }
}
