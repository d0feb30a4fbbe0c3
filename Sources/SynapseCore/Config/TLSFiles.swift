import Foundation

/// PEM files for one side of TLS: `gateway.tls` (the listener's certificate and key) or a
/// backend's `tls` (the CAs trusted for its certificate, and the client certificate and key
/// when it wants mutual TLS).
///
/// ```yaml
/// gateway:
///   tls: {certFile: /tls/tls.crt, keyFile: /tls/tls.key}
/// backends:
///   whisper-stt:
///     url: https://whisper-stt:8443
///     tls: {caFile: /ca/ca.crt, certFile: /mtls/client.crt, keyFile: /mtls/client.key}
/// ```
public struct TLSFiles: Sendable, Equatable {
    /// CA certificates (PEM) trusted instead of the system's; backends only.
    public var caFile: String?
    /// Certificate chain (PEM), leaf first.
    public var certFile: String?
    /// The certificate's private key (PEM).
    public var keyFile: String?

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }

    public var isEmpty: Bool { caFile == nil && certFile == nil && keyFile == nil }

    static let keys: Set<String> = ["caFile", "certFile", "keyFile"]

    /// What is wrong with these files: a certificate without its key (or the reverse), a file
    /// that cannot be read, or one without the PEM block it should hold.
    func problems() -> [(key: String, message: String)] {
        var problems: [(String, String)] = []
        if (certFile == nil) != (keyFile == nil) {
            problems.append((certFile == nil ? "certFile" : "keyFile", "certFile and keyFile go together"))
        }
        let expected: [(String, String?, String)] = [
            ("caFile", caFile, "CERTIFICATE"), ("certFile", certFile, "CERTIFICATE"), ("keyFile", keyFile, "PRIVATE KEY"),
        ]
        for (key, file, block) in expected {
            guard let file else { continue }
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append((key, "cannot read \(file)"))
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            // "-----BEGIN CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----"…
            if !text.contains("-----BEGIN ") || !text.split(separator: "\n").contains(where: { $0.hasPrefix("-----BEGIN ") && $0.contains(block) }) {
                problems.append((key, "\(file) holds no PEM \(block)"))
            }
        }
        return problems
    }
}
