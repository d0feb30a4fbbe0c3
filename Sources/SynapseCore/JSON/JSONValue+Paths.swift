/// Reading into and combining values: dotted paths, deep merge and type names, as scenarios
/// and reports use them.
extension JSONValue {
    /// The type name used in messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value at a dotted path: `error.code`, `data.0.embedding`, `segments.-1.text` (negative
    /// indexes count from the end), `data.#` (an array's length). The empty path is the value itself.
    public func value(at path: String) -> JSONValue? {
        var current = self
        for component in path.split(separator: ".", omittingEmptySubsequences: true) {
            switch current {
            case .object:
                guard let next = current[String(component)] else { return nil }
                current = next
            case .array(let items):
                if component == "#" {
                    current = .int(items.count)
                    continue
                }
                guard var index = Int(component) else { return nil }
                if index < 0 { index += items.count }
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Deep merge: members of `overlay` replace this value's members of the same key, or merge
    /// into them when both are objects; new keys are appended. A non-object overlay replaces.
    public func merged(with overlay: JSONValue) -> JSONValue {
        guard case .object(var members) = self, case .object(let extra) = overlay else { return overlay }
        for (key, value) in extra {
            if let index = members.firstIndex(where: { $0.0 == key }) {
                members[index].1 = members[index].1.merged(with: value)
            } else {
                members.append((key, value))
            }
        }
        return .object(members)
    }
}

extension JSONValue {
    /// A number measured or counted at run time: an integral value that an `Int` holds exactly
    /// becomes `.int` (written `3`, not `3.0`), anything else `.double`.
    public static func number(_ value: Double) -> JSONValue {
        // 2^53: past it, not every integer is representable, so the conversion would guess.
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 { return .int(Int(value)) }
        return .double(value)
    }
}

extension JSONValue {
    /// This value with every object's members ordered by key (byte order of the UTF-8 names),
    /// for documents whose writer promises sorted keys (the gateway's own JSON answers).
    public func sortingKeys() -> JSONValue {
        switch self {
        case .array(let items): return .array(items.map { $0.sortingKeys() })
        case .object(let members):
            return .object(members.map { ($0.0, $0.1.sortingKeys()) }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) })
        default: return self
        }
    }
}
