import Hummingbird
import Logging
import NIOCore

/// The request context every mock route receives.
public struct MockRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on; faults that close connections (reset, truncate) use it.
    public let channel: any Channel
    /// Faults the mock consults at its own events (a model load) while handling this request.
    public internal(set) var eventFaults: EventFaults = .none

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Mocks accept large uploads (a 1 GiB audio file in the streaming benchmark goes elsewhere,
    /// but real clients send tens of MB).
    public var maxUploadSize: Int { 512 * 1024 * 1024 }
}
