/// `Encodable` for values embedded in `Encodable` documents (the mock journal's parsed request
/// bodies, served by the control API through `JSONEncoder`). Text is read with `parse(_:)`.
extension JSONValue: Encodable {
    /// Objects are written with one entry per key, the last of repeated keys winning (as
    /// `subscript(_:)` reads them), since a keyed container cannot hold a key twice.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            var last: [String: Int] = [:]
            for (index, member) in members.enumerated() { last[member.0] = index }
            for (index, (key, value)) in members.enumerated() where last[key] == index {
                try container.encode(value, forKey: MemberKey(key))
            }
        }
    }

    /// Any object member name as a coding key.
    private struct MemberKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
