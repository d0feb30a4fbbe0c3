import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SynapseCore

/// One HTTP client (connection pool) per backend, each with that backend's connect timeout, and
/// the pass-through path's `UpstreamClient`.
///
/// AsyncHTTPClient's own connection-establishment retries are off: a refused connection must
/// surface at once as a connection failure, which the gateway's retry policy and breaker own.
public final class BackendPool: Sendable {
    private let clients: [BackendID: HTTPClient]
    /// Each backend's `limits.maxInFlight` and queue.
    private let limiters: [BackendID: InFlightLimiter]
    /// The pass-through path's own client (plain-`http` backends).
    let upstream: UpstreamClient

    /// - Parameter longestDeadline: the longest total deadline any request can have (the largest
    ///   timeout profile); bounds each read as a backstop.
    public init(
        backends: [BackendConfig], longestDeadline: Duration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        var clients: [BackendID: HTTPClient] = [:]
        for backend in backends {
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.decompression = .disabled
            configuration.httpVersion = .http1Only
            configuration.timeout.connect = .nanoseconds(Int64(backend.timeouts.connect.nanoseconds))
            // Backstop for a backend that goes silent where no watchdog runs (a small body after
            // its head): no read may wait longer than the longest deadline a request can have.
            configuration.timeout.read = .nanoseconds(max(backend.timeouts.total ?? .zero, longestDeadline).nanoseconds)
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512)
            configuration.connectionPool.retryConnectionEstablishment = false
            // No distributed tracing: skip the per-request span bookkeeping (measurable at 10k req/s).
            configuration.tracing.tracer = nil
            if backend.url.scheme == "https" { configuration.tlsConfiguration = Self.tlsConfiguration(backend.tls) }
            clients[backend.id] = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        }
        self.clients = clients
        self.upstream = UpstreamClient(backends: backends, eventLoopGroup: eventLoopGroup)
        self.limiters = Dictionary(
            uniqueKeysWithValues: backends.map {
                ($0.id, InFlightLimiter(maxInFlight: $0.limits.maxInFlight, queueTimeout: $0.limits.queueTimeout))
            })
    }

    /// TLS towards an `https` backend: its own CAs instead of the system's when `caFile` is set,
    /// and a client certificate when it wants mutual TLS.
    ///
    /// The client certificate and key are read here, as PEM whatever their file names (NIOSSL
    /// guesses a file source's format from its extension, and Kubernetes names them `tls.crt`
    /// and `tls.key`). Should that fail (the loader checked them, but files change), the file
    /// sources are kept, so each connection attempt reports why.
    static func tlsConfiguration(_ files: TLSFiles) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = files.caFile { tls.trustRoots = .file(ca) }
        if let cert = files.certFile, let key = files.keyFile {
            if let chain = try? NIOSSLCertificate.fromPEMFile(cert), let privateKey = try? NIOSSLPrivateKey(file: key, format: .pem) {
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(privateKey)
            } else {
                tls.certificateChain = [.file(cert)]
                tls.privateKey = .file(key)
            }
        }
        return tls
    }

    func limiter(for backend: BackendID) -> InFlightLimiter? {
        limiters[backend]
    }

    public func client(for backend: BackendID) -> HTTPClient? {
        clients[backend]
    }

    /// Closes every pool; call once, after the server stopped.
    public func shutdown() async {
        upstream.shutdown()
        for client in clients.values {
            try? await client.shutdown()
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var milliseconds: Double {
        Double(nanoseconds) / 1_000_000
    }
}
