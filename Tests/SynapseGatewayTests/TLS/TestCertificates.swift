import Foundation

/// A private CA and certificates it signed, made with `openssl` at test time in a scratch
/// folder: a server certificate for 127.0.0.1 and localhost, a client certificate, and a second,
/// unrelated CA (the "wrong" one).
struct TestCertificates: Sendable {
    let folder: String
    var ca: String { folder + "/ca.crt" }
    var wrongCA: String { folder + "/wrong-ca.crt" }
    var serverCert: String { folder + "/server.crt" }
    var serverKey: String { folder + "/server.key" }
    var clientCert: String { folder + "/client.crt" }
    var clientKey: String { folder + "/client.key" }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Makes the certificates, runs `body`, removes the folder.
    static func with<T>(_ body: (TestCertificates) async throws -> T) async throws -> T {
        let folder = NSTemporaryDirectory() + "synapse-tls-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let certificates = TestCertificates(folder: folder)
        try certificates.make()
        return try await body(certificates)
    }

    private func make() throws {
        for name in ["ca", "wrong-ca"] {
            try openssl(
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=Synapse test \(name)", "-keyout", "\(folder)/\(name).key", "-out", "\(folder)/\(name).crt")
        }
        try issue("server", commonName: "synapse-test-server", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
        try issue("client", commonName: "synapse-test-client", extensions: "extendedKeyUsage=clientAuth")
    }

    /// A key and a certificate signed by the CA, replacing the files of that name (a renewal
    /// when they exist).
    func issue(_ name: String, commonName: String, extensions: String = "subjectAltName=IP:127.0.0.1,DNS:localhost") throws {
        let extensionsFile = "\(folder)/\(name).ext"
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: extensionsFile))
        try openssl(
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=\(commonName)",
            "-keyout", "\(folder)/\(name).key.new", "-out", "\(folder)/\(name).csr")
        try openssl(
            "x509", "-req", "-in", "\(folder)/\(name).csr", "-CA", ca, "-CAkey", "\(folder)/ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", extensionsFile, "-out", "\(folder)/\(name).crt.new")
        // Both files replaced by renames, as a Secret volume updates them.
        for file in ["\(folder)/\(name).key", "\(folder)/\(name).crt"] where rename(file + ".new", file) != 0 {
            throw Failure(description: "rename \(file).new: errno \(errno)")
        }
    }

    private func openssl(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.joined(separator: " ")): \(String(decoding: output, as: UTF8.self))")
        }
    }
}

/// `curl` against the gateway, for what only a real client shows: the HTTP version ALPN chose,
/// the certificate it was shown.
enum Curl {
    /// Runs curl with `arguments`; standard output and standard error, and the exit status.
    /// Waits on a thread of its own: the gateway under test shares this process's few
    /// cooperative threads, and a blocked one would stall it (curl would wait for nothing).
    static func run(_ arguments: [String]) async throws -> (output: String, errors: String, status: Int32) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try blockingRun(arguments) }) }
        }
    }

    private static func blockingRun(_ arguments: [String]) throws -> (output: String, errors: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--silent", "--show-error", "--max-time", "20"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both before waiting: a full pipe would block curl.
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self), process.terminationStatus)
    }
}
