/// A JSON value that keeps what the backends' real servers keep and `JSONSerialization` loses:
/// the order of object keys (answers are written in each server's own key order) and whether a
/// number is an integer or a float (`1` and `1.0` are different bytes on the wire).
///
/// Build values with the cases, or `.obj(("code", .int(400)), ("message", .string("…")))`;
/// write them with `text(_:)` / `bytes(_:)` in a `JSONStyle`; read them with `parse(_:)`.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order. A parsed document keeps repeated keys as written.
    case object([(String, JSONValue)])

    /// An object from key/value pairs in order.
    public static func obj(_ members: (String, JSONValue)...) -> JSONValue { .object(members) }

    /// The value of member `key` if this is an object that has it; for a repeated key, the last
    /// one, as Python's `json`, nlohmann and JavaScript all resolve it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// An integer, or a float with no fractional part small enough to be one exactly.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        // 2^53: past it, not every integer is representable, so the conversion would guess.
        case .double(let value) where value.rounded() == value && abs(value) < 9_007_199_254_740_992: return Int(value)
        default: return nil
        }
    }

    /// Any number as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value of a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The items of an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members of an object, in order.
    public var objectValue: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// `true` for `.int` and `.double`.
    public var isNumber: Bool {
        switch self {
        case .int, .double: true
        default: false
        }
    }
}

extension JSONValue: Equatable {
    /// Structural equality: key order matters, `.int(1)` is not `.double(1)`, and NaN equals NaN
    /// (two answers that both carry NaN are the same answer).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
}
