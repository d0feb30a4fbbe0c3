import SynapseCore

/// The members of a JSON object read and written as a Python `dict` built by `json.loads`
/// treats them: the last of a repeated key wins, and setting a key keeps its first place.
extension Array where Element == (String, JSONValue) {
    /// The value of the last member named `key`.
    subscript(member key: String) -> JSONValue? {
        last { $0.0 == key }?.1
    }

    /// Sets `key` at its first place (dropping later repeats), or appends it.
    mutating func set(_ key: String, _ value: JSONValue) {
        guard let first = firstIndex(where: { $0.0 == key }) else {
            append((key, value))
            return
        }
        self[first].1 = value
        var index = count - 1
        while index > first {
            if self[index].0 == key { remove(at: index) }
            index -= 1
        }
    }
}

extension JSONValue {
    /// Python's `bool(v)`: false for null, false, 0, "", [] and {}.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let members): !members.isEmpty
        }
    }
}
