import SynapseCore

/// The router's `GET /models` answer, read for model management.
///
/// A llama.cpp router lists every model of its `--models-dir` with a `status` object; a plain
/// OpenAI-compatible server lists only what it serves, with no `status`. Such a server (or one
/// with no `/models` at all) is treated as having every model it serves loaded.
struct RouterListing: Sendable {
    /// One model of the list.
    struct Entry: Sendable {
        var id: String
        /// `status.value`: `unloaded`, `loading`, `loaded`, `unloading`, or nil without a status.
        var status: String?
        /// `status.failed`: the last load crashed.
        var failed: Bool
        /// `status.args`: the command line of the model's child (carries `--ctx-size`).
        var args: [String]
        /// The item as the router wrote it.
        var raw: JSONValue
    }

    /// The items in the router's order.
    var entries: [Entry]
    /// False for a plain OpenAI-compatible server: nothing to load or unload.
    var managesModels: Bool
    /// The whole answer (for `GET /models`).
    var document: JSONValue

    init(document: JSONValue, items: [JSONValue]) {
        self.document = document
        entries = items.compactMap { item in
            guard let id = item["id"]?.stringValue else { return nil }
            let status = item["status"]
            let failed: Bool
            switch status?["failed"] {
            case .bool(let value)?: failed = value
            case .int(let value)?: failed = value != 0
            case .string(let value)?: failed = !value.isEmpty
            default: failed = false
            }
            let args = status?["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return Entry(id: id, status: status?["value"]?.stringValue, failed: failed, args: args, raw: item)
        }
        managesModels = items.contains { $0["status"]?.objectValue != nil }
    }

    /// A server without a model list: manages nothing.
    static let unmanaged = RouterListing(document: .obj(("data", .array([])), ("object", .string("list"))), items: [])

    func entry(_ id: String) -> Entry? {
        entries.first { $0.id == id }
    }

    /// Whether a chat for `id` can go straight to the router.
    func isReady(_ id: String) -> Bool {
        guard managesModels else { return true }
        return entry(id)?.status == "loaded"
    }

    /// Models holding a slot (`loaded` or `loading`), in list order.
    var running: [String] {
        entries.filter { $0.status == "loaded" || $0.status == "loading" }.map(\.id)
    }
}
