import Foundation
import Hummingbird
import NIOCore
import SynapseCore

/// `GET /models/sse`: an endless stream of model status changes, one `data:` event per chunk,
/// LF-framed, never a `[DONE]`, no keep-alive comments (as captured in `router_models_sse`):
///
/// ```
/// data: {"model":"a","event":"model_status","data":{"status":"loading"}}
/// data: {"model":"a","event":"status_change","data":{"status":"loading","progress":{"stages":["text_model"],"current":"text_model","value":0.0}}}
/// data: {"model":"a","event":"status_change","data":{"status":"loading","progress":{…,"value":1.0}}}
/// data: {"model":"a","event":"status_change","data":{"status":"loaded","info":{"id":"a","aliases":["a"],…,"meta":{…}}}}
/// data: {"model":"a","event":"status_change","data":{"status":"unloaded","exit_code":0}}
/// ```
///
/// A stream reports what happens after it was opened. Transitions are settled lazily (see
/// `LlamaRouterState`), so the stream looks at the state every `eventPollInterval` of *real* time:
/// sleeping on `MockTime` instead would let a stepped test clock advance on its own, and the
/// state's transitions must stay where the test puts them.
extension LlamaRouterMock {
    static let eventPollInterval: Duration = .milliseconds(20)

    func modelEvents(channel: any Channel) -> Response {
        let opened = settled { $0.eventCount }
        let body = ResponseBody { [self] writer in
            var cursor = opened
            // A client that closed the connection is noticed on the next write, or here while idle.
            while channel.isActive {
                let (events, count) = settled { state in (Array(state.events(from: cursor)), state.eventCount) }
                cursor = count
                for event in events {
                    for payload in eventPayloads(event) {
                        try await writer.write(ByteBuffer(string: "data: " + payload.text() + "\n\n"))
                    }
                }
                try await Task.sleep(for: Self.eventPollInterval)
            }
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.contentType: "text/event-stream"]
        headers[LlamaResponse.accelBuffering] = "no"
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The `data:` objects one state change is reported as, in order.
    func eventPayloads(_ event: LlamaRouterState.Event) -> [JSONValue] {
        func message(_ name: String, _ data: JSONValue) -> JSONValue {
            .obj(("model", .string(event.model)), ("event", .string(name)), ("data", data))
        }
        func progress(_ value: Double) -> JSONValue {
            message(
                "status_change",
                .obj(
                    ("status", .string("loading")),
                    ("progress", .obj(("stages", .array([.string("text_model")])), ("current", .string("text_model")), ("value", .double(value))))
                ))
        }
        switch event.kind {
        case .loading:
            return [message("model_status", .obj(("status", .string("loading")))), progress(0)]
        case .loaded:
            let meta = model(event.model)?.info.meta ?? .obj()
            let info = JSONValue.obj(
                ("id", .string(event.model)), ("aliases", .array([.string(event.model)])), ("tags", .array([])),
                ("object", .string("model")), ("created", .int(Int(event.time.timeIntervalSince1970))),
                ("owned_by", .string("llamacpp")), ("meta", meta)
            )
            return [progress(1), message("status_change", .obj(("status", .string("loaded")), ("info", info)))]
        case .unloaded(let exitCode):
            return [message("status_change", .obj(("status", .string("unloaded")), ("exit_code", .int(exitCode))))]
        }
    }
}
