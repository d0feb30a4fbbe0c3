import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore

/// `GET /v1/models`: one OpenAI-shaped list from every `openai-compatible` backend, fetched
/// concurrently and de-duplicated by id (the first backend in configuration order wins).
/// A backend that fails is left out and named in `X-Synapse-Unavailable-Backends`; the list
/// itself never fails because of one backend.
public struct ModelsAggregator: Sendable {
    let backends: [BackendConfig]
    let pool: BackendPool
    let timeout: Duration
    /// The gateway's injected clock: the fetch timeout runs on it like every other deadline.
    let clock: AnyClock
    /// Rewrites one backend's items before they are merged (model profiles attached, split
    /// models collapsed); nil passes them through byte for byte.
    var decorate: (@Sendable (BackendID, [JSONValue]) -> [JSONValue])? = nil

    public struct Result: Sendable {
        /// `{"object":"list","data":[…]}` as JSON bytes.
        public var body: Data
        public var unavailable: [BackendID]
    }

    public func aggregate(requestID: String) async -> Result {
        let sources = backends.filter(\.isOpenAICompatible)
        let lists = await withTaskGroup(of: (Int, [Model]?).self) { group in
            for (index, backend) in sources.enumerated() {
                group.addTask { (index, await fetch(backend, requestID: requestID)) }
            }
            var lists = [[Model]?](repeating: nil, count: sources.count)
            for await (index, list) in group { lists[index] = list }
            return lists
        }
        var seen = Set<String>()
        var body = Array(#"{"object":"list","data":["#.utf8)
        var first = true
        var unavailable: [BackendID] = []
        for (backend, list) in zip(sources, lists) {
            guard let list else {
                unavailable.append(backend.id)
                continue
            }
            for model in list where seen.insert(model.id).inserted {
                if !first { body.append(UInt8(ascii: ",")) }
                body += model.raw
                first = false
            }
        }
        body += Array("]}".utf8)
        return Result(body: Data(body), unavailable: unavailable)
    }

    /// The `data` items of one backend's list, or nil when it cannot be had.
    private func fetch(_ backend: BackendConfig, requestID: String) async -> [Model]? {
        guard let client = pool.client(for: backend.id) else { return nil }
        var request = HTTPClientRequest(url: backend.url.descriptionWithUserInfo + "/v1/models")
        request.headers.add(name: "X-Request-ID", value: requestID)
        do {
            let backstop = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
            let (status, body) = try await Deadline(after: timeout, clock: clock).run { [request] in
                // A real-time backstop as well: AsyncHTTPClient never waits without a deadline.
                let response = try await client.execute(request, deadline: backstop)
                return (response.status, try await response.body.collect(upTo: 8 << 20))
            }
            guard status == .ok, let items = JSONSlices.arrayElements(of: "data", in: Array(body.readableBytesView)) else { return nil }
            if let decorate {
                let values = items.compactMap { try? JSONValue.parse($0) }
                return decorate(backend.id, values).compactMap { item in
                    item["id"]?.stringValue.map { Model(id: $0, raw: ArraySlice(item.bytes())) }
                }
            }
            return items.compactMap { raw in
                (try? JSONValue.parse(raw))?["id"]?.stringValue.map { Model(id: $0, raw: raw) }
            }
        } catch {
            return nil
        }
    }

    /// A model entry: its id, and its JSON exactly as the backend wrote it.
    private struct Model: Sendable {
        let id: String
        let raw: ArraySlice<UInt8>
    }
}
