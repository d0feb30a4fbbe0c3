import Foundation
import Hummingbird
import SynapseCore
import SynapseMockKit

/// The router's own routes (`/models`, `/models/load`, `/models/unload`, `/props`) and the relay
/// of inference routes to the loaded model.
///
/// | request                               | answer |
/// |---------------------------------------|--------|
/// | load: unknown or missing `model`      | 404 File Not Found envelope |
/// | load: `modelsMax` children running    | 200, the least recently used one is evicted first |
/// | load: `load_failure` fault fires      | 200, then the child crashes (`failed`, `exit_code` 1) |
/// | load: model loading or loaded         | 400 `model is already running` |
/// | unload: unknown model                 | 400 `model is not found` |
/// | unload: model not running             | 400 `model is not running` |
/// | inference: no `model`                 | 400 `model name is missing from the request` |
/// | inference: unknown model              | 400 `model 'NAME' not found` |
/// | inference: model unloaded (no autoload) | 400 `model is not loaded` |
/// | inference: model still loading       | 500 `proxy error: Could not establish connection` (text) |
extension LlamaRouterMock {
    func modelsList() -> JSONValue {
        let created = JSONValue.int(Int(time.now().timeIntervalSince1970))
        let snapshot = settled { $0 }
        let items = configuration.models.map { model -> JSONValue in
            let entry = snapshot.models[model.id] ?? .init()
            let value = snapshot.statusValue(model.id)
            let args =
                ["llama-server"] + ["--host", "127.0.0.1", "--port", String(entry.port), "--alias", model.id, "--model", model.path]
                + configuration.childArgs
            var preset = "[\(model.id)]\nmodel = \(model.path)\n"
            for (key, option) in configuration.presetOptions { preset += "\(key) = \(option)\n" }
            preset += "\n"
            var status: [(String, JSONValue)] = [
                ("value", .string(value)), ("args", .array(args.map { .string($0) })), ("preset", .string(preset)),
            ]
            if value == "unloaded" && entry.failed {
                status += [("failed", .bool(true)), ("exit_code", .int(1))]
            }
            var members: [(String, JSONValue)] = [
                ("id", .string(model.id)), ("aliases", .array([])), ("tags", .array([])),
                ("object", .string("model")), ("owned_by", .string("llamacpp")), ("created", created),
                ("status", .object(status)),
                ("architecture", .obj(("input_modalities", .array([.string("text")])), ("output_modalities", .array([.string("text")])))),
                ("source", .string("models_dir")), ("can_remove", .bool(false)),
            ]
            // A running child's own /v1/models entry adds its `meta`.
            if value == "loaded" { members.append(("meta", model.info.meta)) }
            return .object(members)
        }
        return .obj(("data", .array(items)), ("object", .string("list")))
    }

    func props(model id: String?) -> Response {
        guard let id else {
            return LlamaResponse.json(
                .obj(
                    ("role", .string("router")), ("max_instances", .int(configuration.modelsMax)), ("models_autoload", .bool(configuration.autoload)),
                    ("model_alias", .string("llama-server")), ("model_path", .string("none")),
                    ("default_generation_settings", .obj(("params", .null), ("n_ctx", .int(0)))),
                    ("ui_settings", .obj()), ("build_info", .string(configuration.buildInfo)), ("cors_proxy_enabled", .bool(false))
                ))
        }
        guard let model = model(id) else { return LlamaResponse.error(.badRequest, "model '\(id)' not found") }
        guard settled({ $0.statusValue(id) }) == "loaded" else { return LlamaResponse.error(.badRequest, "model is not loaded") }
        return LlamaResponse.json(model.info.props(alias: id, buildInfo: configuration.buildInfo), relayed: true)
    }

    func load(_ request: Request, context: MockRequestContext) async throws -> Response {
        let body: JSONValue
        switch try await LlamaResponse.parseBody(request, context: context) {
        case .success(let json): body = json
        case .failure(let response): return response
        }
        guard let id = body["model"]?.stringValue, model(id) != nil else { return LlamaResponse.fileNotFound() }
        let now = time.now()
        let started = settled { state -> Bool in
            guard !state.isRunning(id) || state.statusValue(id) == "loaded" && isStopping(state, id) else { return false }
            startLoading(id, in: &state, now: now, request: request, context: context)
            return true
        }
        return started ? LlamaResponse.json(.obj(("success", .bool(true)))) : LlamaResponse.error(.badRequest, "model is already running")
    }

    /// Starts a load, deciding now whether its child will crash: a broken model, a later split
    /// shard, or a `load_failure` fault (consulted only here, so a rule's `times` counts loads).
    private func startLoading(_ id: String, in state: inout LlamaRouterState, now: Date, request: Request, context: MockRequestContext) {
        let crashes = (model(id)?.crashesOnLoad ?? false) || context.eventFaults.fires(.modelLoad, for: request)
        state.startLoading(
            id, now: now, loadTime: configuration.loadTime, port: childPort(id), modelsMax: configuration.modelsMax, crashes: crashes)
    }

    private func isStopping(_ state: LlamaRouterState, _ id: String) -> Bool {
        if case .stopping = state.models[id]?.phase { return true }
        return false
    }

    func unload(_ request: Request, context: some RequestContext) async throws -> Response {
        let body: JSONValue
        switch try await LlamaResponse.parseBody(request, context: context) {
        case .success(let json): body = json
        case .failure(let response): return response
        }
        guard let id = body["model"]?.stringValue, model(id) != nil else {
            return LlamaResponse.error(.badRequest, "model is not found")
        }
        let now = time.now()
        let stopped = settled { state -> Bool in
            guard state.isRunning(id), !isStopping(state, id) else { return false }
            state.startUnloading(id, now: now, stopTime: configuration.stopTime)
            return true
        }
        return stopped ? LlamaResponse.json(.obj(("success", .bool(true)))) : LlamaResponse.error(.badRequest, "model is not running")
    }

    /// An inference route: find the model in the body, check it is loaded, answer as its child.
    func proxied(_ request: Request, context: MockRequestContext, path: String) async throws -> Response {
        let body: JSONValue
        switch try await LlamaResponse.parseBody(request, context: context) {
        case .success(let json): body = json
        case .failure(let response): return response
        }
        guard let id = body["model"]?.stringValue, !id.isEmpty else {
            return LlamaResponse.error(.badRequest, "model name is missing from the request")
        }
        guard model(id) != nil else { return LlamaResponse.error(.badRequest, "model '\(id)' not found") }
        let autoload = request.uri.queryParameters["autoload"].map { $0 == "true" } ?? configuration.autoload
        switch settled({ $0.statusValue(id) }) {
        case "loading" where !autoload:
            // The child process exists but does not listen yet.
            return LlamaResponse.text("proxy error: Could not establish connection", status: .internalServerError, relayed: true)
        case "unloaded" where !autoload:
            return LlamaResponse.error(.badRequest, "model is not loaded")
        case "loaded":
            break
        default:
            // Autoload: start the load if needed, then block until it is done, as the real router does.
            let now = time.now()
            settled { state in
                if !state.isRunning(id) { startLoading(id, in: &state, now: now, request: request, context: context) }
            }
            try await time.sleep(configuration.loadTime)
            let finished = time.now()
            guard settled({ $0.finishLoading(id, now: finished) }) else {
                return LlamaResponse.error(.internalServerError, "model name=\(id) failed to load")
            }
        }
        // A relayed request makes the model the most recently used (`update_last_used`).
        settled { $0.markUsed(id) }
        let child = LlamaChatEndpoint(modelAlias: id, buildInfo: configuration.buildInfo, timing: configuration.generation, time: time, relayed: true)
        switch path {
        case "/v1/chat/completions", "/chat/completions":
            return try await child.chatCompletions(body: body)
        case "/v1/completions", "/completions":
            return try await child.completions(body: body)
        default:
            return LlamaResponse.error(.notImplemented, "This server does not support embeddings. Start it with `--embeddings`", relayed: true)
        }
    }
}
