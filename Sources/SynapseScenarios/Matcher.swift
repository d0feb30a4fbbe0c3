import Foundation
import SynapseCore

/// How an observed value is compared: a plain YAML value means equality; a mapping with one of
/// the keys below means that comparison.
///
/// | YAML                         | holds when the value…                          |
/// | ---------------------------- | ---------------------------------------------- |
/// | `503`, `circuit_open`        | equals it (numbers compare as numbers)         |
/// | `{exists: false}`            | is absent (`true`: present)                    |
/// | `{oneOf: [a, b]}`            | equals one of them                             |
/// | `{gte: 1}` `{lte: 2}` `{gt: 0}` `{lt: 9}` | is a number in that range (combinable) |
/// | `{contains: text}`           | is a string containing it, or an array with an element equal to it |
/// | `{prefix: text}`             | is a string starting with it                   |
/// | `{type: string}`             | has that JSON type                             |
public struct Matcher: Sendable, CustomStringConvertible {
    /// One comparison; a matcher holds when all of its tests do.
    public enum Test: Sendable {
        case equals(JSONValue)
        case exists(Bool)
        case oneOf([JSONValue])
        case greaterOrEqual(Double)
        case lessOrEqual(Double)
        case greater(Double)
        case less(Double)
        case contains(JSONValue)
        case prefix(String)
        case type(String)
    }

    public var tests: [Test]

    public init(_ tests: [Test]) { self.tests = tests }

    /// Equality with a value.
    public static func equals(_ value: JSONValue) -> Matcher { Matcher([.equals(value)]) }

    /// Whether `value` (nil when absent) satisfies every test.
    public func matches(_ value: JSONValue?) -> Bool {
        tests.allSatisfy { test in
            switch test {
            case .exists(let wanted): return (value != nil && value != .null) == wanted
            case .equals(let expected): return value.map { Self.equal($0, expected) } ?? false
            case .oneOf(let options): return value.map { observed in options.contains { Self.equal(observed, $0) } } ?? false
            case .greaterOrEqual(let bound): return Self.number(value).map { $0 >= bound } ?? false
            case .lessOrEqual(let bound): return Self.number(value).map { $0 <= bound } ?? false
            case .greater(let bound): return Self.number(value).map { $0 > bound } ?? false
            case .less(let bound): return Self.number(value).map { $0 < bound } ?? false
            case .contains(let needle):
                switch value {
                case .string(let text)?: return needle.stringValue.map { text.contains($0) } ?? text.contains(needle.plainText)
                case .array(let items)?: return items.contains { Self.equal($0, needle) }
                default: return false
                }
            case .prefix(let prefix): return value?.stringValue?.hasPrefix(prefix) ?? false
            case .type(let name): return value?.typeName == name
            }
        }
    }

    /// Numbers and numeric strings compare by value (headers and metrics arrive as text).
    static func equal(_ observed: JSONValue, _ expected: JSONValue) -> Bool {
        if observed == expected { return true }
        if let a = number(observed), let b = number(expected) { return a == b }
        if case .bool(let flag) = expected, case .string(let text) = observed { return text == String(flag) }
        return false
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        case .string(let text)?: Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    public var description: String {
        tests.map { test in
            switch test {
            case .equals(let value): "\(value.text())"
            case .exists(let flag): flag ? "present" : "absent"
            case .oneOf(let options): "one of \(options.map { $0.text() }.joined(separator: ", "))"
            case .greaterOrEqual(let bound): "≥ \(Self.format(bound))"
            case .lessOrEqual(let bound): "≤ \(Self.format(bound))"
            case .greater(let bound): "> \(Self.format(bound))"
            case .less(let bound): "< \(Self.format(bound))"
            case .contains(let needle): "contains \(needle.text())"
            case .prefix(let prefix): "starts with \"\(prefix)\""
            case .type(let name): "a \(name)"
            }
        }.joined(separator: " and ")
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number ? String(Int64(number)) : String(number)
    }
}
