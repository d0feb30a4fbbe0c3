import SynapseCore
import Testing

/// What a reload may change now, and what waits for a restart.
@Suite struct ConfigReloadTests {
    static func config(_ edit: (inout SynapseConfig) -> Void = { _ in }) -> SynapseConfig {
        var config = SynapseConfig()
        for (name, port) in [("llama-embed", 1), ("whisper-stt", 2), ("pyannote-speaker", 3)] {
            config.backends.append(BackendConfig(id: BackendID(name)!, url: BackendURL.parse("http://127.0.0.1:\(port)")!, type: "generic"))
        }
        edit(&config)
        return config
    }

    @Test func backendsAreComparedOneByOne() {
        let current = Self.config()
        let new = Self.config { config in
            config.backends.removeAll { $0.id.rawValue == "pyannote-speaker" }
            config.backends[0].breaker.openFor = .seconds(10)
            config.backends.append(BackendConfig(id: BackendID("deepfilter-audio")!, url: BackendURL.parse("http://127.0.0.1:4")!, type: "generic"))
        }
        let change = ConfigReload(current: current, new: new)
        #expect(change.changedBackends.map(\.rawValue) == ["llama-embed"])
        #expect(change.unchangedBackends.map(\.rawValue) == ["whisper-stt"])
        #expect(change.addedBackends.map(\.rawValue) == ["deepfilter-audio"])
        #expect(change.removedBackends.map(\.rawValue) == ["pyannote-speaker"])
        #expect(change.restartOnly.isEmpty && change.changesSomething)
        #expect(change.effective == new)
    }

    @Test func listenerAndProcessSettingsWaitForARestartAndAreKeptMeanwhile() {
        let current = Self.config()
        let new = Self.config { config in
            config.gateway.port = 9000
            config.gateway.voiceLibraryDir = "/elsewhere"
            config.gateway.maxConnections = 10
            config.gateway.apiKeys = ["k"]
            config.gateway.maxRequestBodySize = 1 << 20
        }
        let change = ConfigReload(current: current, new: new)
        #expect(change.restartOnly == ["gateway.port", "gateway.maxConnections", "gateway.voiceLibraryDir"])
        #expect(change.effective.gateway.port == current.gateway.port)
        #expect(change.effective.gateway.voiceLibraryDir == current.gateway.voiceLibraryDir)
        // Per-request settings take effect at once.
        #expect(change.effective.gateway.apiKeys == ["k"] && change.effective.gateway.maxRequestBodySize == 1 << 20)
        #expect(!ConfigReload(current: current, new: current).changesSomething)
    }
}
