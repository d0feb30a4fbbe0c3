import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore
import SynapseResilience

/// The original's `/models*` routes: the router's list with profiles attached and split models
/// collapsed, a profile-aware load, and the per-model schema and profile routes. Their errors
/// are FastAPI's `{"detail": …}` with the original's codes; router calls go through the breaker.
///
/// | route | answer |
/// |---|---|
/// | `GET /models` | router list + `status.synapse_profile`/`synapse_defaults`, split GGUFs collapsed |
/// | `POST /models/load` | profile fields patched first, runtime profile, load; `synapse_defaults` added |
/// | `GET /models/{id}/schema` | the profile fields for the model's family |
/// | `GET`/`PUT /models/{id}/profile` | the stored values; replace or patch them |
/// | `POST /models/{id}/profile/apply` | with `load_model`, the chat's load path; never fails the request |
struct ModelsRoutes: Sendable {
    let models: ModelManagement
    let logger: Logger

    /// Model management calls are short: the `default` profile's deadline bounds each route.
    var routeDeadline: AnyClock.Instant {
        models.clock.now.advanced(by: models.config.timeoutProfiles[.default] ?? .seconds(60))
    }

    func register(in table: inout RouteTable) {
        let backend = models.router?.backend.id
        table.add(.get, "/models", backend: backend) { request, context in try await list(request, context: context) }
        table.add(.post, "/models/load", backend: backend) { request, context in try await load(request, context: context) }
        table.add(.get, "/models/{id}/schema", backend: backend) { _, context in try await schema(context: context) }
        table.add(.get, "/models/{id}/profile", backend: backend) { _, context in try await profile(context: context) }
        table.add(.put, "/models/{id}/profile", backend: backend) { request, context in try await updateProfile(request, context: context) }
        table.add(.post, "/models/{id}/profile/apply", backend: backend) { request, context in try await applyProfile(request, context: context) }
    }

    // MARK: GET /models

    func list(_ request: Request, context: GatewayContext) async throws -> Response {
        let router = try models.routerClient()
        let path = request.uri.query.map { "/models?\($0)" } ?? "/models"
        let answer: (status: Int, body: ByteBuffer)
        do {
            answer = try await router.call(.GET, path, body: nil, requestID: context.requestID, deadline: routeDeadline)
        } catch let error as GatewayError {
            var unavailable = GatewayError.detail(
                .serviceUnavailable, "\(router.backend.id) /models unavailable: \(error.message)",
                code: error.code, backend: router.backend.id)
            unavailable.headers = error.headers
            throw unavailable
        }
        guard answer.status == 200, let document = try? JSONValue.parse(answer.body.readableBytesView), case .object(var members) = document else {
            return Self.passThrough(answer)
        }
        if let items = document["data"]?.arrayValue {
            let attached = items.map { ModelListing.attachProfile(to: $0, store: models.store) }
            members.set("data", .array(ModelListing.collapseSplitModels(attached)))
        }
        return Self.json(.object(members), status: answer.status)
    }

    // MARK: POST /models/load

    func load(_ request: Request, context: GatewayContext) async throws -> Response {
        let router = try models.routerClient()
        let body = try LLMRequestBody.object(from: try await jsonBody(request))
        guard case .string(let raw)? = body[member: "model"], !raw.trimmingWhitespace().isEmpty else {
            throw GatewayError.badLLMRequest("'model' is required and must be a non-empty string")
        }
        let model = raw.trimmingWhitespace()
        let updates = try Self.normalized(body.filter { $0.0 != "model" }, modelID: model)
        if !updates.isEmpty {
            // As the original: stored before anything else, even for a model the router lacks.
            try Self.stored { () throws(ProfileStoreError) in _ = try models.store.patch(model, updates: updates) }
        }
        let deadline = routeDeadline
        let profile = models.store.profile(for: model)
        let listing = try await router.list(requestID: context.requestID, deadline: deadline)
        _ = try await models.applyRuntimeProfile(of: model, profile: profile, listing: listing, requestID: context.requestID)
        let answer = try await router.load(model, requestID: context.requestID, deadline: deadline)
        guard answer.status == 200, let document = try? JSONValue.parse(answer.body.readableBytesView), case .object(var members) = document else {
            return Self.passThrough(answer)
        }
        if !profile.isEmpty { members.set("synapse_defaults", .object(profile)) }
        return Self.json(.object(members), status: 200)
    }

    /// The body of a pass-through `POST /models/unload`, collected (it is small JSON, capped at
    /// `limit`) so the event feed can name the model; the request goes on with the same bytes.
    static func peekModel(_ request: Request, limit: Int) async throws -> (Request, String?) {
        var collected = ByteBuffer()
        for try await chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw GatewayError.payloadTooLarge(limit: limit) }
            collected.writeImmutableBuffer(chunk)
        }
        var request = request
        request.body = RequestBody(buffer: collected)
        let model = (try? JSONValue.parse(collected.readableBytesView))?["model"]?.stringValue
        return (request, model)
    }

    // MARK: /models/{id}/…

    /// The checks every per-model route makes first: router configured (503), list (502), listed (404).
    func knownModel(_ context: GatewayContext) async throws -> String {
        let router = try models.routerClient()
        let id = context.parameters.get("id") ?? ""
        let listing: RouterListing
        do {
            listing = try await router.list(requestID: context.requestID, deadline: routeDeadline)
        } catch let error as GatewayError where error.bodyStyle == .envelope {
            throw GatewayError.modelListFailed("\(router.backend.id) /models unavailable: \(error.message)", router: router.backend.id)
        }
        guard listing.entries.contains(where: { $0.id == id }) else { throw GatewayError.modelNotFound(id) }
        return id
    }

    func schema(context: GatewayContext) async throws -> Response {
        let id = try await knownModel(context)
        return Self.json(ModelProfileSchema.document(modelID: id))
    }

    func profile(context: GatewayContext) async throws -> Response {
        let id = try await knownModel(context)
        return Self.json(profileDocument(id))
    }

    func updateProfile(_ request: Request, context: GatewayContext) async throws -> Response {
        let id = try await knownModel(context)
        let body = try LLMRequestBody.object(from: try await jsonBody(request))
        let fields: [(String, JSONValue)]
        if let values = body[member: "values"] {
            guard case .object(let members) = values else { throw GatewayError.badLLMRequest("'values' must be an object") }
            fields = members
        } else {
            fields = body.filter { $0.0 != "replace" }
        }
        let updates = try Self.normalized(fields, modelID: id)
        let replace = body[member: "replace"].map(\.isTruthy) ?? false
        try Self.stored { () throws(ProfileStoreError) in
            if replace {
                _ = try models.store.set(id, values: updates.compactMap { key, value in value.map { (key, $0) } })
            } else {
                _ = try models.store.patch(id, updates: updates)
            }
        }
        logger.info(
            "model profile updated", metadata: ["synapse.request_id": "\(context.requestID)", "synapse.model": "\(id)", "synapse.replace": "\(replace)"])
        return Self.json(.object([("success", .bool(true))] + (profileDocument(id).objectValue ?? [])))
    }

    func applyProfile(_ request: Request, context: GatewayContext) async throws -> Response {
        let id = try await knownModel(context)
        let body = try LLMRequestBody.object(from: try await jsonBody(request), required: false)
        let requested = body[member: "load_model"].map(\.isTruthy) ?? false
        var load: [(String, JSONValue)] = [("requested", .bool(requested)), ("success", .bool(true))]
        var success = true
        if requested {
            do {
                let deadline = models.clock.now.advanced(by: models.config.timeoutProfiles[.llm] ?? .seconds(300))
                try await models.ensureLoaded(
                    id, profile: models.store.profile(for: id), requestID: context.requestID,
                    deadline: deadline
                ).release()
            } catch let error as GatewayError {
                // The original reports a failed load inside a 200 answer.
                success = false
                load = [("requested", .bool(true)), ("success", .bool(false)), ("status_code", .int(error.status.code)), ("detail", .string(error.message))]
            }
        }
        let document = profileDocument(id).objectValue ?? []
        return Self.json(.object([("success", .bool(success))] + document + [("load", .object(load))]))
    }

    // MARK: Helpers

    func profileDocument(_ id: String) -> JSONValue {
        .obj(("model", .string(id)), ("family", .string(ModelFamily(modelID: id).rawValue)), ("values", .object(models.store.profile(for: id))))
    }

    static func normalized(_ fields: [(String, JSONValue)], modelID: String) throws -> [(String, JSONValue?)] {
        do {
            return try ModelProfileSchema.normalize(fields, modelID: modelID)
        } catch {
            throw GatewayError.detail(.badRequest, error.message, code: error.code.rawValue)
        }
    }

    /// Runs a store write; a disk that refuses it is a 500 that says nothing was saved.
    static func stored(_ write: () throws(ProfileStoreError) -> Void) throws {
        do {
            try write()
        } catch {
            throw GatewayError.internalError("The model profile could not be stored: \(error)")
        }
    }

    static func passThrough(_ answer: (status: Int, body: ByteBuffer)) -> Response {
        .json(answer.body, status: .init(code: answer.status))
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        .json(value, style: .pythonCompact, status: .init(code: status))
    }
}
