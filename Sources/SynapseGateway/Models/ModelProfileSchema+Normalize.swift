import SynapseCore

/// A profile update the original gateway rejects with 400 `{"detail": message}`.
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable classification, for logs and metrics.
    public enum Code: String, Sendable {
        case unknownField = "unknown_profile_field"
        case invalidValue = "invalid_profile_value"
        case outOfRange = "profile_value_out_of_range"
    }

    public var code: Code
    /// The field the error is about.
    public var field: String
    /// The original's detail text, verbatim (`'temperature' must be <= 2.0`).
    public var message: String

    public var description: String { message }
}

extension ModelProfileSchema {
    /// Checks and normalizes profile updates for `modelID` as `_normalize_profile_updates`
    /// does, stopping at the first bad key in document order.
    ///
    /// | type    | accepts (Python)                                          | stored   |
    /// | ------- | --------------------------------------------------------- | -------- |
    /// | number  | `float(v)`: numbers, booleans (1.0/0.0), numeric strings   | `.double` |
    /// | integer | `int(v)`: numbers (truncated), integer strings; no booleans | `.int`    |
    /// | enum    | strings, stripped and lowercased, one of the choices       | `.string` |
    /// | string  | strings, stripped; empty means unset                       | `.string` |
    ///
    /// A `null` means unset (nil in the result). A repeated key counts once, at its first
    /// position with its last value, as a Python dict built by `json.loads`.
    /// NaN passes the range checks as in Python (every comparison with NaN is false).
    public static func normalize(_ updates: [(String, JSONValue)], modelID: String) throws(ProfileError) -> [(String, JSONValue?)] {
        let fields = fields(modelID: modelID)
        var result: [(String, JSONValue?)] = []
        for (key, value) in pythonDict(updates) {
            guard let field = fields.first(where: { $0.name == key }) else {
                throw ProfileError(code: .unknownField, field: key, message: "Unknown profile field: '\(key)'")
            }
            result.append((key, try normalize(value, for: field)))
        }
        return result
    }

    /// One value checked against `field`; nil means unset.
    public static func normalize(_ value: JSONValue, for field: ModelProfileField) throws(ProfileError) -> JSONValue? {
        let key = field.name
        if case .null = value { return nil }
        switch field.kind {
        case .number:
            guard let number = floatValue(value) else { throw invalid(key, "must be a number") }
            if let min = field.min?.doubleValue, number < min { throw outOfRange(key, ">=", field.min!) }
            if let max = field.max?.doubleValue, number > max { throw outOfRange(key, "<=", field.max!) }
            return .double(number)
        case .integer:
            guard let number = intValue(value) else { throw invalid(key, "must be an integer") }
            if case .int(let min)? = field.min, number < min { throw outOfRange(key, ">=", .int(min)) }
            if case .int(let max)? = field.max, number > max { throw outOfRange(key, "<=", .int(max)) }
            return .int(number)
        case .enum:
            guard case .string(let text) = value else { throw invalid(key, "must be a string") }
            let choice = PythonText.strip(text).lowercased()
            let choices = field.choices ?? []
            guard choices.contains(choice) else { throw invalid(key, "must be one of: " + choices.joined(separator: ", ")) }
            return .string(choice)
        case .string:
            guard case .string(let text) = value else { throw invalid(key, "must be a string") }
            let stripped = PythonText.strip(text)
            return stripped.isEmpty ? nil : .string(stripped)
        }
    }

    /// Python's `float(v)` for a JSON value.
    static func floatValue(_ value: JSONValue) -> Double? {
        switch value {
        case .bool(let flag): flag ? 1.0 : 0.0
        case .int(let number): Double(number)
        case .double(let number): number
        case .string(let text): PythonText.float(text)
        default: nil
        }
    }

    /// Python's `int(v)` for a JSON value, booleans rejected first as the original does.
    static func intValue(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let number): number
        case .double(let number): PythonText.int(number)
        case .string(let text): PythonText.int(text)
        default: nil
        }
    }

    /// Members as a Python dict has them: one per key, at its first position, with its last value.
    static func pythonDict(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var position: [String: Int] = [:]
        var result: [(String, JSONValue)] = []
        for (key, value) in members {
            if let index = position[key] {
                result[index].1 = value
            } else {
                position[key] = result.count
                result.append((key, value))
            }
        }
        return result
    }

    private static func invalid(_ key: String, _ text: String) -> ProfileError {
        ProfileError(code: .invalidValue, field: key, message: "'\(key)' \(text)")
    }

    /// `'k' must be >= 0.0`: the bound printed as Python prints it (floats with `.0`).
    private static func outOfRange(_ key: String, _ relation: String, _ bound: JSONValue) -> ProfileError {
        let text =
            switch bound {
            case .double(let number): PythonText.repr(number)
            case .int(let number): String(number)
            default: bound.text()
            }
        return ProfileError(code: .outOfRange, field: key, message: "'\(key)' must be \(relation) \(text)")
    }
}
