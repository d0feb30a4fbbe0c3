import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// `RouterRuntimeController` against a stand-in Kubernetes API (Hummingbird on port 0) that
/// checks the token, the patch content type and the exact strategic-merge body, and records
/// what it received.
@Suite struct RouterRuntimeControllerTests {
    static let path = "/apis/apps/v1/namespaces/llm-infra/deployments/llama-router"
    static let routerArgs = ["--models-dir", "/models/llm", "--models-max", "1", "--no-models-autoload", "--ctx-size", "16384", "--parallel", "1"]

    @Test func replacesTheContextSizeOfTheNamedContainerOnly() async throws {
        let api = FakeKubernetes(args: Self.routerArgs)
        let patched = try await api.run { controller in try await controller.ensureContextSize(8192) }
        #expect(patched)
        #expect(api.received.map(\.method) == ["GET", "PATCH"])
        let expectedArgs = #"["--models-dir","/models/llm","--models-max","1","--no-models-autoload","--ctx-size","8192","--parallel","1"]"#
        #expect(api.received.last?.body == #"{"spec":{"template":{"spec":{"containers":[{"name":"llama-server","args":"# + expectedArgs + "}]}}}}")
        #expect(api.args(of: "llama-server") == Self.routerArgs.map { $0 == "16384" ? "8192" : $0 })
        #expect(api.args(of: "sidecar") == ["--ctx-size", "1"])
    }

    @Test func appendsTheFlagWhenTheArgsLackIt() async throws {
        let api = FakeKubernetes(args: [.string("--models-dir"), .string("/models/llm"), .int(7)] as [JSONValue])
        #expect(try await api.run { try await $0.ensureContextSize(32768) })
        #expect(api.args(of: "llama-server") == ["--models-dir", "/models/llm", "7", "--ctx-size", "32768"])
        #expect(api.received.last?.body.hasSuffix(#""args":["--models-dir","/models/llm","7","--ctx-size","32768"]}]}}}}"#) == true)
    }

    @Test func sendsNoPatchWhenTheArgsAlreadyMatch() async throws {
        let api = FakeKubernetes(args: Self.routerArgs)
        #expect(try await api.run { try await $0.ensureContextSize(16384) } == false)
        #expect(api.received.map(\.method) == ["GET"])
    }

    @Test func aForbiddenAnswerBecomesTheOriginalsError() async throws {
        let api = FakeKubernetes(args: Self.routerArgs, failure: (403, "  {\"kind\":\"Status\",\"reason\":\"Forbidden\"}\n"))
        let error = await #expect(throws: RuntimeReconfigureError.self) { try await api.run { try await $0.ensureContextSize(8192) } }
        #expect(error?.message == "Kubernetes API GET \(Self.path) failed (403): {\"kind\":\"Status\",\"reason\":\"Forbidden\"}")
        #expect(error?.code == .apiStatus)
        #expect(error?.status == 403)
    }

    @Test func anEmptyErrorBodyIsReportedByItsStatus() async throws {
        let api = FakeKubernetes(args: Self.routerArgs, failure: (500, " "))
        let error = await #expect(throws: RuntimeReconfigureError.self) { try await api.run { try await $0.ensureContextSize(8192) } }
        #expect(error?.message == "Kubernetes API GET \(Self.path) failed (500): status=500")
    }

    @Test func aMissingTokenMeansNotInClusterAndNoRequest() async throws {
        let api = FakeKubernetes(args: Self.routerArgs)
        let error = await #expect(throws: RuntimeReconfigureError.self) {
            try await api.run(tokenPath: "/nonexistent/synapse/token") { try await $0.ensureContextSize(8192) }
        }
        #expect(error?.message == "Kubernetes service account token not available; runtime reconfigure is only supported in-cluster.")
        #expect(error?.code == .notInCluster)
        #expect(api.received.isEmpty)
    }

    @Test func aMissingContainerIsAnError() async throws {
        let api = FakeKubernetes(args: Self.routerArgs, container: "other")
        let error = await #expect(throws: RuntimeReconfigureError.self) { try await api.run { try await $0.ensureContextSize(8192) } }
        #expect(error?.message == "Container 'llama-server' not found in deployment")
    }

    // MARK: Pure parts

    @Test(arguments: [
        (["--ctx-size", "4096", "--parallel", "1"], ["--ctx-size", "8192", "--parallel", "1"]),
        (["--parallel", "1"], ["--parallel", "1", "--ctx-size", "8192"]),
        (["--parallel", "1", "--ctx-size"], ["--parallel", "1", "--ctx-size", "8192"]),
        (["--ctx-size=4096"], ["--ctx-size=4096", "--ctx-size", "8192"]),
        (["--ctx-size", "1", "--ctx-size", "2"], ["--ctx-size", "8192", "--ctx-size", "2"]),
    ])
    func appliesTheContextSizeToArgsAsTheOriginalDoes(_ args: [String], _ expected: [String]) {
        #expect(RouterRuntimeController.applyingContextSize(8192, to: args) == expected)
    }

    @Test func readsTheCurrentContextSizeFromTheFirstModelThatStatesOne() throws {
        let models = try #require(
            try JSONValue.parse(
                #"""
                [{"id":"a","status":"x"},{"id":"b","status":{"args":"--ctx-size 1"}},{"id":"c","status":{"args":["--ctx-size","big"]}},
                 {"id":"d","status":{"args":["--ctx-size"," 8192 "]}},{"id":"e","status":{"args":["--ctx-size","4096"]}}]
                """#
            ).arrayValue)
        #expect(RouterRuntimeController.currentContextSize(in: models) == 8192)
        #expect(RouterRuntimeController.currentContextSize(in: Array(models.prefix(3))) == nil)
        #expect(RouterRuntimeController.currentContextSize(in: [.obj(("status", .obj(("args", .array([.string("--ctx-size"), .int(2048)])))))]) == 2048)
        #expect(RouterRuntimeController.currentContextSize(in: [.obj(("status", .obj(("args", .array([.string("--ctx-size"), .double(2048)])))))]) == nil)
    }

    @Test func buildsTheAPIAddressAsTheOriginalDoes() {
        #expect(RouterRuntimeController.Settings.apiBaseURL(host: "10.0.0.1", port: nil) == "https://10.0.0.1:443")
        #expect(RouterRuntimeController.Settings.apiBaseURL(host: "10.0.0.1", port: "6443") == "https://10.0.0.1:6443")
        #expect(RouterRuntimeController.Settings.apiBaseURL(host: "", port: "6443") == "https://kubernetes.default.svc")
        #expect(RouterRuntimeController.Settings.apiBaseURL(host: nil, port: nil) == "https://kubernetes.default.svc")
    }
}

/// A stand-in Kubernetes API serving one Deployment: GET returns it; PATCH (Bearer token and
/// strategic-merge content type required, body exactly the one-container args patch) replaces
/// that container's args and returns it. Everything received is recorded.
final class FakeKubernetes: Sendable {
    struct Received: Sendable {
        var method: String
        var body: String
    }

    let token = "test-token-\(UUID().uuidString)"
    private let failure: (status: Int, body: String)?
    private let state: Mutex<(deployment: JSONValue, received: [Received])>

    init(args: [JSONValue], container: String = "llama-server", failure: (Int, String)? = nil) {
        let containers = JSONValue.array([
            .obj(("name", .string("sidecar")), ("args", .array([.string("--ctx-size"), .string("1")]))),
            .obj(("name", .string(container)), ("image", .string("llama")), ("args", .array(args))),
        ])
        let deployment = JSONValue.obj(
            ("kind", .string("Deployment")),
            ("spec", .obj(("strategy", .obj(("type", .string("Recreate")))), ("template", .obj(("spec", .obj(("containers", containers))))))))
        self.failure = failure.map { (status: $0.0, body: $0.1) }
        state = Mutex((deployment, []))
    }

    convenience init(args: [String], container: String = "llama-server", failure: (Int, String)? = nil) {
        self.init(args: args.map(JSONValue.string), container: container, failure: failure)
    }

    var received: [Received] { state.withLock { $0.received } }

    func args(of container: String) -> [String]? {
        state.withLock { state in
            state.deployment["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?
                .first { $0["name"] == .string(container) }?["args"]?.arrayValue?.compactMap(\.stringValue)
        }
    }

    /// Runs the API on port 0 and hands `body` a controller pointed at it with a token file.
    func run<T: Sendable>(
        tokenPath: String? = nil, _ body: @Sendable @escaping (RouterRuntimeController) async throws -> T
    ) async throws -> T {
        let directory = try ScratchDirectory()
        let tokenFile = directory.path + "/token"
        try "\(token)\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        return try await Harness.withUpstream({ router in self.register(on: router) }) { port in
            let settings = RouterRuntimeController.Settings(
                apiBaseURL: "http://127.0.0.1:\(port)", tokenPath: tokenPath ?? tokenFile, caPath: directory.path + "/absent-ca.crt",
                timeout: .seconds(10))
            return try await body(RouterRuntimeController(settings: settings))
        }
    }

    private func register(on router: Router<BasicRequestContext>) {
        let path = RouterPath(RouterRuntimeControllerTests.path)
        router.get(path) { request, _ in try await self.answer(request) }
        router.patch(path) { request, _ in try await self.answer(request) }
    }

    private func answer(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        let body = String(buffer: bytes)
        state.withLock { $0.received.append(Received(method: request.method.rawValue, body: body)) }
        if let failure { return Self.reply(failure.status, failure.body) }
        guard request.headers[.authorization] == "Bearer \(token)" else { return Self.reply(401, "Unauthorized") }
        if request.method == .patch {
            guard request.headers[.contentType] == "application/strategic-merge-patch+json" else { return Self.reply(415, "wrong content type") }
            guard let patch = try? JSONValue.parse(body),
                let entry = patch["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first,
                case .string(let name)? = entry["name"], case .array(let args)? = entry["args"],
                body == RouterRuntimeController.patchBody(container: name, args: args.compactMap(\.stringValue)).text(.compact)
            else { return Self.reply(422, "not the expected strategic-merge patch: \(body)") }
            state.withLock { state in state.deployment = Self.replacingArgs(of: name, with: .array(args), in: state.deployment) }
        }
        return Self.reply(200, state.withLock { $0.deployment.text(.compact) })
    }

    private static func replacingArgs(of container: String, with args: JSONValue, in deployment: JSONValue) -> JSONValue {
        func edit(_ value: JSONValue, _ keys: ArraySlice<String>, _ change: (JSONValue) -> JSONValue) -> JSONValue {
            guard let key = keys.first, case .object(var members) = value else { return change(value) }
            members = members.map { $0.0 == key ? ($0.0, edit($0.1, keys.dropFirst(), change)) : $0 }
            return .object(members)
        }
        return edit(deployment, ["spec", "template", "spec", "containers"]) { containers in
            .array(
                (containers.arrayValue ?? []).map { item in
                    guard item["name"] == .string(container), case .object(let members) = item else { return item }
                    return .object(members.map { $0.0 == "args" ? ("args", args) : $0 })
                })
        }
    }

    private static func reply(_ status: Int, _ text: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
