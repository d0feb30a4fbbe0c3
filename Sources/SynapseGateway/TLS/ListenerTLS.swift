import NIOCore
import NIOSSL
import SynapseCore

/// The listener's certificate and key, replaceable while the gateway runs.
///
/// The server's TLS configuration asks `sslContextCallback` for the certificate at every
/// handshake, so a reload that reads new files (a renewed certificate mounted from a Secret)
/// serves them on the next connection, with no listener restart; connections already open keep
/// the one they shook hands with.
final class ListenerTLS: Sendable {
    /// A certificate chain with its key, checked to belong together.
    struct Material: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }

    private let material: Swappable<Material>

    init(files: TLSFiles) throws {
        material = Swappable(try Self.load(files))
    }

    /// Reads `files` again; on failure (a `ConfigIssue` naming the key) the current certificate stays.
    func reload(_ files: TLSFiles) throws {
        material.replace(with: try Self.load(files))
    }

    /// The server configuration (HTTP/2 and HTTP/1.1 offered by ALPN, added by the HTTP/2 channel).
    var configuration: TLSConfiguration {
        let current = material.current
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: current.chain.map { .certificate($0) }, privateKey: .privateKey(current.key))
        configuration.sslContextCallback = { [material] _, promise in
            let current = material.current
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = current.chain.map { .certificate($0) }
            override.privateKey = .privateKey(current.key)
            promise.succeed(override)
        }
        return configuration
    }

    static func load(_ files: TLSFiles) throws -> Material {
        guard let certFile = files.certFile, let keyFile = files.keyFile else {
            throw ConfigIssue("gateway.tls", "certFile and keyFile are required")
        }
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certFile) } catch {
            throw ConfigIssue("gateway.tls.certFile", "cannot load \(certFile): \(error)")
        }
        guard !chain.isEmpty else { throw ConfigIssue("gateway.tls.certFile", "\(certFile) holds no certificate") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: keyFile, format: .pem) } catch {
            throw ConfigIssue("gateway.tls.keyFile", "cannot load \(keyFile): \(error)")
        }
        // A context refuses a key that does not match the certificate: found now, not at the
        // first handshake.
        do {
            _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw ConfigIssue("gateway.tls.keyFile", "\(keyFile) is not the key of \(certFile): \(error)")
        }
        return Material(chain: chain, key: key)
    }
}
