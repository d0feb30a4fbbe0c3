import Foundation
import SynapseCore
import Testing

/// `gateway.apiKeys`, `publicRoutes`, `corsAllowedOrigins`, `trustedProxies`: decoding,
/// environment names, validation and the redacted dump.
@Suite struct AccessConfigTests {
    static let backends = "backends:\n  a:\n    url: http://a\n"

    @Test func defaultsAreOpenWithHealthAndMetricsPublic() throws {
        let config = try #require(ConfigLoader().load(yaml: Self.backends).config)
        #expect(config.gateway.apiKeys.isEmpty)
        #expect(config.gateway.publicRoutes == ["/health", "/metrics"])
        #expect(config.gateway.corsAllowedOrigins.isEmpty)
        #expect(config.gateway.trustedProxies.isEmpty)
        #expect(config.gateway.insecureLocalAdmin == false)
    }

    @Test func keysComeFromTheFileOrTheCommaSeparatedVariable() throws {
        let yaml =
            "gateway:\n  apiKeys: [k1, k2]\n  publicRoutes: [/healthz]\n  corsAllowedOrigins: [https://App.example]\n  trustedProxies: [10.0.0.0/8, '::1']\n"
            + Self.backends
        let file = try #require(ConfigLoader().load(yaml: yaml).config)
        #expect(file.gateway.apiKeys == ["k1", "k2"])
        #expect(file.gateway.publicRoutes == ["/healthz"])
        #expect(file.gateway.corsAllowedOrigins == ["https://app.example"])
        #expect(file.gateway.trustedProxies.map(\.description) == ["10.0.0.0/8", "0:0:0:0:0:0:0:1/128"])

        let environment = [
            "SYNAPSE_API_KEYS": "a1, b2", "SYNAPSE_GATEWAY_TRUSTED_PROXIES": "192.168.0.0/16",
            "SYNAPSE_GATEWAY_PUBLIC_ROUTES": "", "SYNAPSE_GATEWAY_CORS_ALLOWED_ORIGINS": "http://localhost:5173",
        ]
        let outcome = ConfigLoader(environment: environment).load(yaml: Self.backends)
        #expect(outcome.issues.isEmpty, "\(outcome.issues)")
        let env = try #require(outcome.config)
        #expect(env.gateway.apiKeys == ["a1", "b2"])
        #expect(env.gateway.publicRoutes.isEmpty, "an empty variable closes /health and /metrics too")
        #expect(env.gateway.corsAllowedOrigins == ["http://localhost:5173"])
        #expect(env.gateway.trustedProxies.first?.contains("192.168.4.7") == true)
        #expect(ConfigLoader(environment: ["SYNAPSE_GATEWAY_API_KEYS": "z"]).load(yaml: Self.backends).config?.gateway.apiKeys == ["z"])
    }

    @Test func badValuesAreErrorsAtTheirKeyPathAndNeverEchoAKey() {
        let yaml =
            "gateway:\n  apiKeys: ['has space']\n  publicRoutes: [health]\n  corsAllowedOrigins: [https://a.example/path]\n  trustedProxies: [10.0.0.0/33, nope]\n"
            + Self.backends
        let outcome = ConfigLoader().load(yaml: yaml)
        #expect(outcome.config == nil)
        #expect(Set(outcome.errors.map(\.keyPath)) == ["gateway.apiKeys", "gateway.publicRoutes", "gateway.corsAllowedOrigins", "gateway.trustedProxies"])
        #expect(outcome.errors.filter { $0.keyPath == "gateway.trustedProxies" }.count == 2)
        #expect(!outcome.errors.contains { $0.message.contains("has space") })
    }

    @Test func dumpRedactsAPIKeysAndReadsBack() throws {
        let yaml = "gateway:\n  apiKeys: [s3cret-key]\n  trustedProxies: [10.1.2.3/8]\n  corsAllowedOrigins: [https://app.example]\n" + Self.backends
        let config = try #require(ConfigLoader().load(yaml: yaml).config)
        let dump = config.effectiveYAML()
        #expect(!dump.contains("s3cret-key"))
        #expect(dump.contains(#"apiKeys: ["***"]"#))
        let reloaded = ConfigLoader().load(yaml: config.effectiveYAML(redactingSecrets: false))
        #expect(reloaded.issues.isEmpty, "\(reloaded.issues)")
        #expect(reloaded.config == config)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false), ("192.168.1.10", "192.168.1.10", true),
        ("192.168.1.10", "192.168.1.11", false), ("10.0.0.0/8", "::ffff:10.1.2.3", true), ("fd00::/8", "fd12::1", true),
        ("fd00::/8", "fe80::1", false), ("::1", "::1", true), ("0.0.0.0/0", "8.8.8.8", true), ("10.0.0.0/8", "not-an-ip", false),
    ])
    func rangesContainTheirAddresses(range: String, address: String, contained: Bool) throws {
        let parsed = try #require(IPRange(range))
        #expect(parsed.contains(address) == contained)
    }

    @Test(arguments: ["", "10.0.0.0/", "10.0.0.0/33", "10.0.0/8", "::1/129", "host.example", "10.0.0.0/+8"])
    func malformedRangesAreRefused(text: String) {
        #expect(IPRange(text) == nil)
    }
}
