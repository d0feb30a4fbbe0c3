import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOHTTP1
import Testing

@testable import SynapseGateway

@Suite struct PagesTests {
    @Test func dashboardAndDocsAreServed() async throws {
        try await Harness.withGateway(Harness.config(["llama-embed": try await Harness.deadPort()])) { url in
            try await Harness.withClient { client in
                for path in ["/", "/ui", "/dashboard", "/docs", "/redoc"] {
                    let page = try await client.send(.GET, url + path)
                    #expect(page.status == 200)
                    #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                    #expect(page.text.contains("<title>Synapse"))
                }
                let spec = try #require(try await client.send(.GET, url + "/openapi.json").json)
                #expect(spec["openapi"] as? String == "3.1.0")
                let paths = try #require(spec["paths"] as? [String: [String: Any]])
                for route in ForwardRoute.catalogue {
                    #expect(paths[route.path]?[route.method.rawValue.lowercased()] != nil, "\(route.path) is documented")
                }
                let modelRoutes = [
                    ("post", "/v1/chat/completions"), ("get", "/models"), ("post", "/models/load"), ("get", "/models/{id}/schema"),
                    ("get", "/models/{id}/profile"), ("put", "/models/{id}/profile"), ("post", "/models/{id}/profile/apply"),
                ]
                for (method, path) in modelRoutes {
                    #expect(paths[path]?[method] != nil, "\(method) \(path) is documented")
                }
            }
        }
    }

    /// Both references are served whole from the binary: no script, style or font from elsewhere,
    /// and every operation rendered as an element named `data-operation="METHOD /path"`.
    @Test func referencePagesAreSelfContained() async throws {
        try await Harness.withGateway(Harness.config(["llama-embed": try await Harness.deadPort()])) { url in
            try await Harness.withClient { client in
                for path in ["/docs", "/redoc"] {
                    let page = try await client.send(.GET, url + path)
                    #expect(page.status == 200)
                    for external in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url(http", "cdn"] {
                        #expect(!page.text.contains(external), "\(path) loads nothing from elsewhere (\(external))")
                    }
                    #expect(page.text.contains("'data-operation': API.operationName(method, path)"), "\(path) names each operation")
                    #expect(page.text.contains("fetch('/openapi.json')"))
                    #expect(page.text.contains("<label for=\"api-key\">") == (path == "/docs"))
                }
            }
        }
    }
}
