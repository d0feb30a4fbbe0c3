import SynapseCore

/// The body of `GET /api/backend-routes`: the dashboard's per-backend listing of the routes the
/// gateway serves, as the original builds it from `backends.yaml`.
///
/// ```
/// {"llama-embed":{"title":"llama-embed","groups":[
///     {"title":"Gateway Routes","routes":[{"method":"POST","path":"/v1/embeddings"}]},
///     {"title":"Ops","routes":[{"method":"GET","path":"/health"}]}]}, …}
/// ```
/// Keys follow the backends in file order; each backend lists the `routes:` entries that target
/// it, in file order. Routes naming an undeclared backend are dropped (the loader already rejects
/// them; the rule is kept so the document never invents a backend).
enum BackendRoutesDocument {
    /// Path prefixes the original lists as `POST`; every other route is `GET`.
    static let postPrefixes = ["/v1/chat", "/v1/embed", "/models/load", "/models/unload", "/tts/", "/stt/", "/speakers/", "/audio/"]

    /// The listing for `config`, key order kept.
    static func document(for config: SynapseConfig) -> JSONValue {
        .object(
            config.backends.map { backend in
                let routes = config.routes.filter { $0.backend == backend.id }.map { rule in
                    JSONValue.obj(("method", .string(method(for: rule.pattern))), ("path", .string(rule.pattern)))
                }
                let groups: [JSONValue] = [
                    .obj(("title", .string("Gateway Routes")), ("routes", .array(routes))),
                    .obj(("title", .string("Ops")), ("routes", .array([.obj(("method", .string("GET")), ("path", .string(backend.health)))]))),
                ]
                return (backend.id.rawValue, .obj(("title", .string(backend.id.rawValue)), ("groups", .array(groups))))
            })
    }

    /// `POST` for the prefixes of `postPrefixes`, otherwise `GET`.
    static func method(for path: String) -> String {
        postPrefixes.contains { path.hasPrefix($0) } ? "POST" : "GET"
    }
}
