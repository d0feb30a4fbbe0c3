/// Why a load run cannot start: bad arguments to the engine, a target that does not resolve, a
/// recording with nothing to send. The one error that crosses the module's boundary.
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable, for scripts and tests: `bad_target`, `bad_ramp`, `bad_header`, `no_requests`,
    /// `unresolved_target`, `bad_plan`.
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
