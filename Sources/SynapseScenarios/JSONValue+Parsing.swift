import Foundation
import SynapseCore

/// Parsing, with Core's strict order-preserving parser (Foundation's forgets member order), for
/// response bodies, SSE event data and the control API's answers. Scenarios compare numbers as
/// numbers, so Core's integer/float distinction is folded into `.number`.
extension JSONValue {
    /// Parses JSON text (surrounding whitespace allowed); nil when it is not one JSON value.
    public static func parse(_ data: Data) -> JSONValue? {
        parse(Array(data))
    }

    /// Parses JSON text from bytes; nil when it is not one JSON value.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard let value = try? SynapseCore.JSONValue.parse(bytes) else { return nil }
        return JSONValue(value)
    }

    init(_ value: SynapseCore.JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .object(let members): self = .object(members.map { Member($0.0, JSONValue($0.1)) })
        }
    }
}
