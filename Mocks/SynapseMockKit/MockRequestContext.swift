import Hummingbird
import Logging

/// The request context every mock route receives.
public struct MockRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Mocks accept large uploads (a 1 GiB audio file in the streaming benchmark goes elsewhere,
    /// but real clients send tens of MB).
    public var maxUploadSize: Int { 512 * 1024 * 1024 }
}
