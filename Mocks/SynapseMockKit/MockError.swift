/// Errors from the mock framework, each with a stable `code` for JSON and logs.
public enum MockError: Error, Equatable, Sendable {
    /// No mock with this name is being served.
    case unknownMock(String)
    /// No fault rule with this id is active on the mock.
    case unknownFault(mock: String, id: String)
    /// A fault rule could not be decoded or is inconsistent.
    case invalidFault(String)
    /// The mock is not listening (it was stopped, or never started).
    case notRunning(String)

    /// A stable identifier: `unknown_mock`, `unknown_fault`, `invalid_fault`, `not_running`.
    public var code: String {
        switch self {
        case .unknownMock: "unknown_mock"
        case .unknownFault: "unknown_fault"
        case .invalidFault: "invalid_fault"
        case .notRunning: "not_running"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case .unknownMock(let name): "no mock named \"\(name)\""
        case .unknownFault(let mock, let id): "mock \"\(mock)\" has no fault with id \"\(id)\""
        case .invalidFault(let reason): "invalid fault: \(reason)"
        case .notRunning(let name): "mock \"\(name)\" is not running"
        }
    }
}
