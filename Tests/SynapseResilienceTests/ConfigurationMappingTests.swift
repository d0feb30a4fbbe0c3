import SynapseCore
import SynapseResilience
import Testing

@Suite struct ConfigurationMappingTests {
    @Test func breakerSettingsFromTheConfigurationCarryOver() {
        var settings = BackendConfig.BreakerSettings()
        settings.failureThreshold = 3
        settings.openFor = .seconds(10)
        settings.countStatuses = [502, 504]
        let configuration = CircuitBreakerConfiguration(settings)
        #expect(configuration == CircuitBreakerConfiguration(failureThreshold: 3, openFor: .seconds(10), countedStatuses: [502, 504]))
        #expect(CircuitBreakerConfiguration(BackendConfig.BreakerSettings()) == CircuitBreakerConfiguration())
    }

    @Test func retrySettingsFromTheConfigurationCarryOver() {
        var settings = BackendConfig.RetrySettings()
        #expect(RetryPolicy.Configuration(settings) == RetryPolicy.Configuration())
        settings.delays = [.milliseconds(100), .milliseconds(300)]
        let policy = RetryPolicy(configuration: .init(settings))
        #expect(policy.maxAttempts == 3)
        #expect(policy.configuration.backoff.delays == [.milliseconds(100), .milliseconds(300)])
    }
}
