import HTTPTypes
import SynapseCore

/// Health, metrics, the admin API, the live feeds and the pages.
extension APIReference {
    static let operations: [APIOperation] = [
        APIOperation(
            method: .get, path: "/health", tag: .operations, summary: "Every backend's health and breaker",
            description:
                "Each backend probed at its health path; probes never move a breaker. Always 200: read status. Open by default (gateway.publicRoutes).",
            responses: [.json(200, "healthy, or degraded when any backend is not healthy", .ref("HealthReport"), example: APIExamples.health)]),
        APIOperation(
            method: .get, path: "/healthz", tag: .operations, summary: "Liveness",
            responses: [.json(200, "Alive", .ref("Status"), example: .obj(("status", .string("ok"))))]),
        APIOperation(
            method: .get, path: "/readyz", tag: .operations, summary: "Readiness",
            responses: [
                .json(200, "Ready", .ref("Status"), example: .obj(("status", .string("ready")))),
                .json(503, "Shutting down (draining)", .ref("Status"), example: .obj(("status", .string("shutting_down")))),
            ]),
        APIOperation(
            method: .get, path: "/metrics", tag: .operations, summary: "Prometheus metrics", description: "Open by default (gateway.publicRoutes).",
            responses: [
                .text(200, "text/plain; version=0.0.4", "The text exposition format", example: "synapse_requests_total{route=\"/health\",status=\"200\"} 1\n")
            ]),
        APIOperation(
            method: .get, path: "/api/backend-routes", tag: .operations, summary: "The original's route listing, per backend",
            responses: [.json(200, "Backends with their routes", .ref("BackendRoutes"))]),
    ]

    static let admin: [APIOperation] = [
        APIOperation(
            method: .get, path: "/admin/breakers", tag: .admin, summary: "Every backend's circuit breaker",
            responses: [.json(200, "The breakers", .ref("BreakerList"), example: APIExamples.breakers)] + adminErrors),
        APIOperation(
            method: .post, path: "/admin/breakers/{backend}/{action}", tag: .admin, summary: "Force a breaker open or closed, or reset it",
            parameters: [
                .path("backend", "A configured backend", example: "llama-embed"),
                APIParameter(
                    name: "action", location: .path, description: "open and close hold the breaker until reset",
                    schema: .string(oneOf: ["open", "close", "reset"]),
                    required: true, example: .string("reset")),
            ],
            responses: [
                .json(200, "The breaker, and the transition if the state changed", .ref("BreakerChange"), example: APIExamples.breakerChange),
                .error(400, "An action other than open, close, reset"),
                .error(404, "No such backend"),
            ] + adminErrors),
        APIOperation(
            method: .post, path: "/admin/reload", tag: .admin, summary: "Read the configuration file again (as SIGHUP does)",
            description: """
                Backends, routes, timeouts and limits change for new requests; requests in flight finish on the old settings; breakers \
                of unchanged backends keep their state. Listener and process settings (host, port, connection limits, log level, drain, \
                voice library, recording, tracing) are kept until a restart and named in `restart_required_for`. A file with errors is \
                refused with every error, and the running configuration stays.
                """,
            responses: [
                .json(200, "In force for new requests", .ref("ConfigReload"), example: APIExamples.reload),
                .error(404, "Nothing to reload: the gateway was not started from a file"),
                .error(422, "The file has errors (listed in error.errors); nothing changed"),
            ] + adminErrors),
        APIOperation(
            method: .get, path: "/admin/recording", tag: .admin, summary: "The recording's status",
            responses: [.json(200, "Status", .ref("RecordingStatus"), example: APIExamples.recording)] + adminErrors),
        APIOperation(
            method: .post, path: "/admin/recording", tag: .admin, summary: "Start recording, or change the recording under way",
            description: "HAR 1.2 files in dir; members not given keep their current values.",
            body: .json(.ref("RecordingSettings"), example: .obj(("dir", .string("/tmp/synapse-recording")), ("sample", .double(1)))),
            responses: [
                .json(200, "Status", .ref("RecordingStatus"), example: APIExamples.recording), .detail(400, "The body is not a JSON object"),
                .detail(422, "An unknown member, a bad value, no dir when starting, or a directory that cannot be written"),
            ] + adminErrors),
        APIOperation(
            method: .delete, path: "/admin/recording", tag: .admin, summary: "Stop recording (answers once the HAR file is closed)",
            responses: [.json(200, "Status", .ref("RecordingStatus"), example: APIExamples.recording)] + adminErrors),
    ]

    static let adminErrors: [APIResponse] = [
        APIResponse.error(401, "No or a wrong admin token").with(header: "WWW-Authenticate", "Bearer"),
        .error(403, "The admin API is disabled (no SYNAPSE_ADMIN_TOKEN, and not a loopback client with --insecure-local-admin)"),
    ]

    static let events: [APIOperation] = [
        APIOperation(
            method: .get, path: "/events", tag: .events, summary: "Typed live events (breakers, retries, timeouts, voices, requests)",
            description: """
                Server-sent events: `retry: 2000`, then the buffered events after Last-Event-ID (a 1000-event ring), then live ones; \
                `: keepalive` after 15 s without one. Each event's `data:` is a GatewayEvent; `request` events are kept only while someone listens.
                """,
            parameters: [
                .query(
                    "types", "Comma-separated event types (default all): " + GatewayEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "),
                    example: .string("breaker,retry")),
                .query("backend", "Comma-separated backends (default all)", example: .string("llama-embed")),
                .query("lastEventId", "Resume after this event id (stands in for the header)", schema: .integer(minimum: 0)),
                APIParameter(
                    name: "Last-Event-ID", location: .header, description: "Resume after this event id (EventSource sends it when reconnecting)",
                    schema: .integer(minimum: 0)),
            ],
            responses: [
                .eventStream(
                    "The events, as they happen", events: GatewayEvent.Kind.allCases.map { ($0.rawValue, JSONSchema.ref("GatewayEvent")) },
                    example:
                        "retry: 2000\n\nid: 42\nevent: breaker\ndata: {\"id\":42,\"type\":\"breaker\",\"ts\":\"2026-01-01T00:00:00Z\",\"backend\":\"llama-embed\",\"from\":\"closed\",\"to\":\"open\",\"reason\":\"failure_threshold\"}\n\n"
                ),
                .error(400, "An unknown event type, or a Last-Event-ID that is not an event id"),
            ]),
        APIOperation(
            method: .get, path: "/events/terminal", tag: .events, summary: "The original's live log feed",
            description:
                "`meta`, then the newest buffered `log` events, then live ones. Answers 404 unless the feed is live (SYNAPSE_TERMINAL_FEED_MODE=live).",
            parameters: [
                .query("sources", "Comma-separated log sources", example: .string("gateway")),
                .query("level", "The lowest level shown", example: .string("info")),
                .query("backlog", "How many buffered events to send first", schema: .integer(minimum: 0)),
            ],
            responses: [
                .eventStream(
                    "meta, then log events",
                    events: [
                        ("meta", .object([("instance", .string), ("mode", .string), ("bus_mode", .string)], required: ["instance", "mode", "bus_mode"])),
                        (
                            "log",
                            .object(
                                [("ts", .string), ("source", .string), ("level", .string), ("message", .string), ("instance", .string)],
                                required: ["ts", "source", "level", "message"])
                        ),
                    ],
                    example: "event: meta\ndata: {\"instance\":\"gw-1\",\"mode\":\"live\",\"bus_mode\":\"local\"}\n\n"),
                .detail(404, "The feed is disabled"),
            ]),
    ]

    static let pages: [APIOperation] = [
        page("/", "The dashboard"), page("/ui", "The dashboard (the original's path)"), page("/dashboard", "The dashboard"),
        page("/docs", "This reference, interactive: try every route from the browser"),
        page("/redoc", "This reference, for reading: schemas as nested tables"),
        APIOperation(
            method: .get, path: "/openapi.json", tag: .pages, summary: "This document (OpenAPI 3.1)",
            responses: [
                .json(
                    200, "The OpenAPI document",
                    .object([("openapi", .string), ("info", .anyObject), ("paths", .anyObject)], required: ["openapi", "info", "paths"]))
            ]),
    ]

    private static func page(_ path: String, _ summary: String) -> APIOperation {
        APIOperation(method: .get, path: path, tag: .pages, summary: summary, responses: [.text(200, "text/html", "The page, served from the binary")])
    }
}
