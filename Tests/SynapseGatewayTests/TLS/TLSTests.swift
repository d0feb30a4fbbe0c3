import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTLS
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SynapseCore
import Testing

@testable import SynapseGateway

/// HTTPS on the listener (HTTP/2 by ALPN, HTTP/1.1 otherwise, a renewed certificate served after
/// a reload) and towards backends (a private CA, mutual TLS, a wrong CA refused clearly), with
/// certificates made by `openssl` for the test.
@Suite struct TLSTests {
    static let json = [("Content-Type", "application/json")]
    static let body = Data(#"{"input":"hi","model":"m"}"#.utf8)

    /// An HTTP upstream answering `/v1/embeddings`, and `/stream` with three events, streamed.
    static func withPlainUpstream<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await Harness.withUpstream(
            { router in
                router.post("/v1/embeddings") { _, _ in
                    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"data":[]}"#)))
                }
                router.post("/stream") { _, _ in
                    Response(
                        status: .ok, headers: [.contentType: "text/event-stream"],
                        body: .init { writer in
                            for index in 0..<3 {
                                try await writer.write(ByteBuffer(string: "data: \(index)\n\n"))
                                try await Task.sleep(for: .milliseconds(20))
                            }
                            try await writer.finish(nil)
                        })
                }
            }, body)
    }

    /// An HTTPS upstream with the test CA's server certificate; with `clientCA`, it wants a
    /// client certificate signed by it.
    static func withHTTPSUpstream<T: Sendable>(
        _ certificates: TestCertificates, clientCA: String? = nil, _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.post("/v1/embeddings") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"secure":true}"#)))
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.serverCert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.serverKey, format: .pem)))
        if let clientCA {
            tls.trustRoots = .file(clientCA)
            tls.certificateVerification = .noHostnameVerification
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, server: try .tls(tlsConfiguration: tls), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: Harness.quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends the port stream however the server ends, so a server that fails to start
                // reports its error instead of leaving the test waiting for a port.
                defer { continuation.finish() }
                try await app.runService()
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw CancellationError()
            }
            return try await body(port)
        }
    }

    /// TLS trusting the test CA only.
    static func trusting(_ certificates: TestCertificates) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(certificates.ca)
        return tls
    }

    @Test func theListenerSpeaksHTTPSWithHTTP2ByALPNAndHTTP1Otherwise() async throws {
        try await TestCertificates.with { certificates in
            try await Self.withPlainUpstream { upstream in
                let config = Harness.config(["llama-embed": upstream, "whisper-stt": upstream]) {
                    $0.gateway.tls = TLSFiles(certFile: certificates.serverCert, keyFile: certificates.serverKey)
                }
                try await Harness.withGateway(config) { plain in
                    let url = plain.replacingOccurrences(of: "http://", with: "https://")
                    try await Harness.withClient(tls: Self.trusting(certificates)) { client in
                        let reply = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body)
                        #expect(reply.status == 200 && reply.text == #"{"data":[]}"#)
                    }
                    // curl, as a client would: HTTP/2 when it offers it, HTTP/1.1 when it does not.
                    let http2 = try await Curl.run([
                        "--http2", "--cacert", certificates.ca, "-o", "/dev/null", "-w", "%{http_version} %{http_code}", url + "/healthz",
                    ])
                    #expect(http2.output == "2 200", "\(http2)")
                    let posted = try await Curl.run([
                        "--http2", "--cacert", certificates.ca, "-H", "Content-Type: application/json", "--data", #"{"input":"hi"}"#,
                        "-w", " %{http_version}", url + "/v1/embeddings",
                    ])
                    #expect(posted.output == #"{"data":[]} 2"#, "\(posted)")
                    // A streamed answer of a route that says `Connection: close` on HTTP/1.1 (it
                    // watches its connection): over HTTP/2 that field is dropped, not a stream reset.
                    let streamed = try await Curl.run([
                        "--http2", "--cacert", certificates.ca, "-F", "file=@\(certificates.ca)", "-w", "%{http_version}", url + "/stt/stream",
                    ])
                    #expect(streamed.output == "data: 0\n\ndata: 1\n\ndata: 2\n\n2" && streamed.status == 0, "\(streamed)")
                    let streamedHTTP1 = try await Curl.run([
                        "--http1.1", "--cacert", certificates.ca, "-F", "file=@\(certificates.ca)", "-D", "-", "-o", "/dev/null", url + "/stt/stream",
                    ])
                    #expect(streamedHTTP1.output.lowercased().contains("connection: close"), "\(streamedHTTP1)")
                    let http1 = try await Curl.run([
                        "--http1.1", "--cacert", certificates.ca, "-o", "/dev/null", "-w", "%{http_version} %{http_code}", url + "/healthz",
                    ])
                    #expect(http1.output == "1.1 200", "\(http1)")
                    // Plain HTTP to the HTTPS port is not answered as HTTP.
                    #expect(try await Curl.run(["-o", "/dev/null", "-w", "%{http_code}", plain + "/healthz"]).output != "200")
                    // A client that does not trust the CA refuses the gateway.
                    #expect(try await Curl.run(["--http2", "-o", "/dev/null", url + "/healthz"]).status == 60)
                }
            }
        }
    }

    @Test func aReloadServesTheRenewedCertificateToNewConnections() async throws {
        try await TestCertificates.with { certificates in
            try await Self.withPlainUpstream { upstream in
                let yaml = """
                    gateway:
                      tls: {certFile: \(certificates.serverCert), keyFile: \(certificates.serverKey)}
                    backends:
                      llama-embed: {url: "http://127.0.0.1:\(upstream)"}
                    """
                let file = ReloadTests.ConfigFile(yaml)
                let config = try #require(file.load().config)
                try await Harness.withGatewayService(config, reloadSource: file.source) { service, plain in
                    let url = plain.replacingOccurrences(of: "http://", with: "https://") + "/healthz"
                    let subject = { try await Curl.run(["--verbose", "--cacert", certificates.ca, "-o", "/dev/null", url]).errors }
                    #expect(try await subject().contains("CN=synapse-test-server"))

                    try certificates.issue("server", commonName: "synapse-test-renewed")
                    guard case .reloaded = service.reload(reason: "test") else { throw TestCertificates.Failure(description: "reload refused") }
                    #expect(try await subject().contains("CN=synapse-test-renewed"))

                    // A key that is not the certificate's: refused, and the renewed one still served.
                    try FileManager.default.removeItem(atPath: certificates.serverKey)
                    try FileManager.default.copyItem(atPath: certificates.clientKey, toPath: certificates.serverKey)
                    guard case .rejected(let errors) = service.reload(reason: "test") else {
                        throw TestCertificates.Failure(description: "a wrong key was taken")
                    }
                    #expect(errors.first?.keyPath == "gateway.tls.keyFile")
                    #expect(try await subject().contains("CN=synapse-test-renewed"))
                }
            }
        }
    }

    @Test func anHTTPSBackendWithAPrivateCAAndMutualTLS() async throws {
        try await TestCertificates.with { certificates in
            // The backend trusts client certificates of the test CA only.
            try await Self.withHTTPSUpstream(certificates, clientCA: certificates.ca) { port in
                let withClientCertificate = Harness.config([:]) {
                    var backend = BackendConfig(id: BackendID("llama-embed")!, url: BackendURL.parse("https://127.0.0.1:\(port)")!, type: "openai-compatible")
                    backend.tls = TLSFiles(caFile: certificates.ca, certFile: certificates.clientCert, keyFile: certificates.clientKey)
                    $0.backends = [backend]
                }
                try await Harness.withGateway(withClientCertificate) { url in
                    try await Harness.withClient { client in
                        let reply = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body)
                        #expect(reply.status == 200 && reply.text == #"{"secure":true}"#)
                        let health = try await client.send(.GET, url + "/health").json?["backends"] as? [String: [String: Any]]
                        #expect(health?["llama-embed"]?["status"] as? String != "unreachable")
                    }
                }
                // Without its client certificate the gateway is refused, and says so.
                var withoutClientCertificate = withClientCertificate
                withoutClientCertificate.backends[0].tls = TLSFiles(caFile: certificates.ca)
                try await Harness.withGateway(withoutClientCertificate) { url in
                    try await Harness.withClient { client in
                        let reply = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body)
                        #expect(reply.status == 502 && reply.errorCode == "backend_tls_failed", "\(reply.status) \(reply.text)")
                        #expect(reply.text.contains("client certificate"), "\(reply.text)")
                    }
                }
            }
        }
    }

    @Test func aBackendCertificateFromAnotherCAIsRefusedClearlyAndNotRetried() async throws {
        try await TestCertificates.with { certificates in
            try await Self.withHTTPSUpstream(certificates) { port in
                let config = Harness.config([:]) {
                    var backend = BackendConfig(id: BackendID("llama-embed")!, url: BackendURL.parse("https://127.0.0.1:\(port)")!, type: "openai-compatible")
                    backend.tls = TLSFiles(caFile: certificates.wrongCA)
                    $0.backends = [backend]
                }
                try await Harness.withGateway(config) { url in
                    try await Harness.withClient { client in
                        let reply = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body)
                        #expect(reply.status == 502 && reply.errorCode == "backend_tls_failed", "\(reply.text)")
                        let message = (reply.json?["error"] as? [String: Any])?["message"] as? String ?? ""
                        #expect(message.contains("not signed by a trusted CA") && message.contains("backends.llama-embed.tls"), "\(message)")
                        #expect(reply.header("X-Synapse-Attempts") == "1")
                        let health = try await client.send(.GET, url + "/health").json?["backends"] as? [String: [String: Any]]
                        #expect((health?["llama-embed"]?["error"] as? String)?.hasPrefix("TLS: ") == true)
                    }
                }
            }
        }
    }

    @Test func theLoaderChecksTLSFiles() async throws {
        try await TestCertificates.with { certificates in
            let yaml = { (gatewayTLS: String, backendTLS: String) in
                """
                gateway:
                  tls: \(gatewayTLS)
                backends:
                  whisper-stt:
                    url: https://whisper:8443
                    tls: \(backendTLS)
                """
            }
            let good = ConfigLoader(environment: [:]).load(
                yaml: yaml("{certFile: \(certificates.serverCert), keyFile: \(certificates.serverKey)}", "{caFile: \(certificates.ca)}"))
            #expect(good.errors.isEmpty, "\(good.issues)")
            #expect(good.config?.backends.first?.tls.caFile == certificates.ca)
            let reread = ConfigLoader(environment: [:]).load(yaml: try #require(good.config).effectiveYAML(redactingSecrets: false))
            #expect(reread.config == good.config)

            let bad = ConfigLoader(environment: [:]).load(
                yaml: yaml(
                    "{certFile: \(certificates.serverCert)}",
                    "{caFile: \(certificates.serverKey), certFile: /nonexistent.pem, keyFile: \(certificates.clientKey)}"))
            let errors = Set(bad.errors.map(\.keyPath))
            #expect(errors.isSuperset(of: ["gateway.tls.keyFile", "backends.whisper-stt.tls.caFile", "backends.whisper-stt.tls.certFile"]), "\(bad.issues)")
            #expect(bad.errors.contains { $0.message.contains("holds no PEM CERTIFICATE") })
            #expect(bad.errors.contains { $0.message.contains("cannot read /nonexistent.pem") })
        }
    }
}
