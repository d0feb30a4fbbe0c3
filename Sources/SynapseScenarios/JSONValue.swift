import Foundation
import SynapseCore

/// A JSON value that keeps the order of object members, so a body written in a scenario is sent
/// with its keys in the order they were written, and reports print values the way they were seen.
public indirect enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The member named `key`, if this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }
    public var numberValue: Double? { if case .number(let number) = self { number } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }

    /// The type name used in messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    // MARK: Conversion

    /// Compact JSON text, members in order.
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .string(let text): return Self.quote(text)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { Self.quote($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }

    public var description: String {
        if case .string(let text) = self { return text }
        return jsonText
    }

    private static func quote(_ text: String) -> String {
        SynapseCore.JSONValue.quoted(text)
    }

    // MARK: Paths

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
                if component == "#" { current = .number(Double(items.count)); continue }
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

    /// Deep merge: members of `overlay` replace or (for objects) merge into this value's members.
    public func merged(with overlay: JSONValue) -> JSONValue {
        guard case .object(var members) = self, case .object(let extra) = overlay else { return overlay }
        for member in extra {
            if let index = members.firstIndex(where: { $0.key == member.key }) {
                members[index].value = members[index].value.merged(with: member.value)
            } else {
                members.append(member)
            }
        }
        return .object(members)
    }
}
