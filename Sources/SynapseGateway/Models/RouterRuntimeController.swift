import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SynapseCore

/// Sets llama-router's `--ctx-size` by patching its Deployment through the Kubernetes API,
/// as the original's `router_runtime_controller.py` does (§2.6):
///
/// ```
/// GET   /apis/apps/v1/namespaces/{ns}/deployments/{name}      (Bearer service-account token)
///   └─ container {container}'s args: replace the value after --ctx-size, or append both
/// PATCH same path, application/strategic-merge-patch+json     (only when the args changed)
///   {"spec":{"template":{"spec":{"containers":[{"name":C,"args":[…]}]}}}}  → a rollout
/// ```
///
/// Waiting for the router to come back with the new args is the caller's job.
public struct RouterRuntimeController: Sendable {
    /// Where the Kubernetes API is and what to patch. Built by the caller from config and
    /// environment; nothing here reads either.
    public struct Settings: Sendable {
        /// `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_HTTPS`, see `apiBaseURL(host:port:)`.
        /// `http://` works too (tests). Default `https://kubernetes.default.svc`.
        public var apiBaseURL: String
        /// Default `llm-infra`.
        public var namespace: String
        /// Default `llama-router`.
        public var deployment: String
        /// The container whose args are patched. Default `llama-server`.
        public var container: String
        /// Read (and stripped) before every request; missing means "not in a cluster".
        public var tokenPath: String
        /// CA bundle to trust; when the file is absent, the system roots are used.
        public var caPath: String
        /// Connect and read timeout of each API call. Default 30 s.
        public var timeout: Duration

        public init(
            apiBaseURL: String = "https://kubernetes.default.svc",
            // Kubernetes names default to the configuration's (`models.runtime`), never spelled here.
            namespace: String = ModelSettings.Runtime().namespace,
            deployment: String = ModelSettings.Runtime().deployment,
            container: String = ModelSettings.Runtime().container,
            tokenPath: String = "/var/run/secrets/kubernetes.io/serviceaccount/token",
            caPath: String = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
            timeout: Duration = .seconds(30)
        ) {
            self.apiBaseURL = apiBaseURL
            self.namespace = namespace
            self.deployment = deployment
            self.container = container
            self.tokenPath = tokenPath
            self.caPath = caPath
            self.timeout = timeout
        }

        /// The original's API address: `https://<host>:<port or 443>` when `host` (from
        /// `KUBERNETES_SERVICE_HOST`) is non-empty, else `https://kubernetes.default.svc`.
        public static func apiBaseURL(host: String?, port: String?) -> String {
            guard let host, !host.isEmpty else { return "https://kubernetes.default.svc" }
            return "https://\(host):\(port ?? "443")"
        }
    }

    /// The flag that `runtime_ctx_size` maps to.
    public static let contextSizeFlag = "--ctx-size"

    public let settings: Settings

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// `/apis/apps/v1/namespaces/{ns}/deployments/{name}`.
    public var deploymentPath: String {
        "/apis/apps/v1/namespaces/\(settings.namespace)/deployments/\(settings.deployment)"
    }

    /// Makes the Deployment run with `--ctx-size n`. Returns true when it was patched (the
    /// router restarts), false when its args already said so.
    public func ensureContextSize(_ n: Int) async throws(RuntimeReconfigureError) -> Bool {
        let token = try readToken()
        return try await withClient { client throws(RuntimeReconfigureError) in
            let deployment = try await request(.GET, body: nil, token: token, client: client)
            let current = try Self.containerArgs(in: deployment, container: settings.container)
            let updated = Self.applyingContextSize(n, to: current)
            guard updated != current else { return false }
            let patch = Self.patchBody(container: settings.container, args: updated)
            _ = try await request(.PATCH, body: patch, token: token, client: client)
            return true
        }
    }

    // MARK: Args

    /// `--ctx-size` from the first model whose `status.args` is a list with a value for it
    /// that `int()` reads; nil when none has one.
    public static func currentContextSize(in models: [JSONValue]) -> Int? {
        for model in models {
            guard case .object? = model["status"], case .array(let args)? = model["status"]?["args"] else { continue }
            if let size = contextSize(in: args.map(PythonText.str)) { return size }
        }
        return nil
    }

    /// The value after the first `--ctx-size`, if `int()` reads it.
    public static func contextSize(in args: [String]) -> Int? {
        guard let index = args.firstIndex(of: contextSizeFlag), index + 1 < args.count else { return nil }
        return PythonText.int(args[index + 1]).flatMap { $0 == .max || $0 == .min ? nil : $0 }
    }

    /// `args` with the value after the first `--ctx-size` replaced by `n` (appended when the
    /// flag is last), or `--ctx-size n` appended when the flag is missing.
    public static func applyingContextSize(_ n: Int, to args: [String]) -> [String] {
        var updated = args
        if let index = updated.firstIndex(of: contextSizeFlag) {
            if index + 1 < updated.count { updated[index + 1] = String(n) } else { updated.append(String(n)) }
        } else {
            updated += [contextSizeFlag, String(n)]
        }
        return updated
    }

    /// The strategic-merge patch that sets `container`'s args:
    /// `{"spec":{"template":{"spec":{"containers":[{"name":C,"args":[…]}]}}}}`.
    public static func patchBody(container: String, args: [String]) -> JSONValue {
        let entry = JSONValue.obj(("name", .string(container)), ("args", .array(args.map(JSONValue.string))))
        let podSpec = JSONValue.obj(("containers", .array([entry])))
        return .obj(("spec", .obj(("template", .obj(("spec", podSpec))))))
    }

    /// The args of `container` in a Deployment, each as Python's `str()` makes it.
    static func containerArgs(in deployment: JSONValue, container: String) throws(RuntimeReconfigureError) -> [String] {
        let containers = deployment["spec"]?["template"]?["spec"]?["containers"] ?? .array([])
        // A non-object on the way is an AttributeError in the original; here it is the same
        // "invalid containers" error as a non-list.
        guard case .array(let items) = containers, deployment["spec"].map({ $0.objectValue != nil }) ?? true else {
            throw RuntimeReconfigureError(code: .invalidResponse, message: "Deployment spec has invalid containers field")
        }
        for item in items {
            guard case .object = item, case .string(container)? = item["name"] else { continue }
            guard case .array(let args) = item["args"] ?? .array([]) else {
                throw RuntimeReconfigureError(code: .invalidResponse, message: "Container '\(container)' args is not a list")
            }
            return args.map(PythonText.str)
        }
        throw RuntimeReconfigureError(code: .invalidResponse, message: "Container '\(container)' not found in deployment")
    }

    // MARK: HTTP

    private func readToken() throws(RuntimeReconfigureError) -> String {
        guard FileManager.default.fileExists(atPath: settings.tokenPath) else {
            throw RuntimeReconfigureError(
                code: .notInCluster,
                message: "Kubernetes service account token not available; runtime reconfigure is only supported in-cluster.")
        }
        guard let data = FileManager.default.contents(atPath: settings.tokenPath) else {
            throw RuntimeReconfigureError(code: .notInCluster, message: "Kubernetes service account token at \(settings.tokenPath) is unreadable.")
        }
        return PythonText.strip(String(decoding: data, as: UTF8.self))
    }

    /// One client per reconfigure, as the original opens one `httpx.AsyncClient` per call:
    /// this is rare, and nothing needs shutting down afterwards.
    private func withClient<T: Sendable>(
        _ body: (HTTPClient) async throws(RuntimeReconfigureError) -> T
    ) async throws(RuntimeReconfigureError) -> T {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: timeAmount, read: timeAmount)
        if FileManager.default.fileExists(atPath: settings.caPath) {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(settings.caPath)
            configuration.tlsConfiguration = tls
        }
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let result: Result<T, RuntimeReconfigureError>
        do {
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        return try result.get()
    }

    private var timeAmount: TimeAmount {
        let (seconds, attoseconds) = settings.timeout.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// One API call; a status of 400 or more, a transport failure or a body that is not a JSON
    /// object becomes a `RuntimeReconfigureError` with the original's wording.
    private func request(_ method: HTTPMethod, body: JSONValue?, token: String, client: HTTPClient) async throws(RuntimeReconfigureError) -> JSONValue {
        let path = deploymentPath
        var request = HTTPClientRequest(url: settings.apiBaseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/strategic-merge-patch+json")
            // httpx's `json=`: compact separators, UTF-8 kept.
            request.body = .bytes(ByteBuffer(bytes: body.bytes(.compact)))
        }
        let status: Int
        let bytes: [UInt8]
        do {
            let response = try await client.execute(request, timeout: timeAmount)
            status = Int(response.status.code)
            bytes = Array(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        } catch {
            throw RuntimeReconfigureError(code: .transport, message: "Kubernetes API \(method.rawValue) \(path) failed: \(error)")
        }
        if status >= 400 {
            let text = PythonText.strip(String(decoding: bytes, as: UTF8.self))
            throw RuntimeReconfigureError(
                code: .apiStatus, status: status,
                message: "Kubernetes API \(method.rawValue) \(path) failed (\(status)): \(text.isEmpty ? "status=\(status)" : text)")
        }
        guard let document = try? JSONValue.parse(bytes) else {
            throw RuntimeReconfigureError(code: .invalidResponse, message: "Kubernetes API returned invalid JSON for \(method.rawValue) \(path)")
        }
        guard case .object = document else {
            throw RuntimeReconfigureError(code: .invalidResponse, message: "Kubernetes API returned non-object JSON for \(method.rawValue) \(path)")
        }
        return document
    }
}

/// The router's runtime could not be reconfigured. The original raises `RuntimeError` with
/// `message`, which the chat path answers as 503
/// `Failed to reconfigure llama-router runtime for '<id>': <message>`.
public struct RuntimeReconfigureError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// No service-account token: not running in a cluster.
        case notInCluster = "not_in_cluster"
        /// The API answered 400 or more (`status` holds it).
        case apiStatus = "kubernetes_api_error"
        /// The API's answer or the Deployment is not what was expected.
        case invalidResponse = "kubernetes_invalid_response"
        /// The API could not be reached or did not answer in time.
        case transport = "kubernetes_unreachable"
    }

    public var code: Code
    /// The Kubernetes API status, for `.apiStatus`.
    public var status: Int?
    public var message: String

    public init(code: Code, status: Int? = nil, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var description: String { message }
}
