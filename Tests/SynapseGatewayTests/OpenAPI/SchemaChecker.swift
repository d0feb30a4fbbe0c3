import Foundation
import SynapseCore

/// The subset of JSON Schema the gateway's OpenAPI document uses, checked against a value:
/// `$ref` (into the document's `components/schemas`), `type` (a name or a list), `properties`,
/// `required`, `additionalProperties`, `items`, `minItems`, `maxItems`, `enum`, `minimum`,
/// `maximum`, `oneOf` and `anyOf`. Keywords it does not know fail the check, so the document
/// cannot use one the tests would silently ignore.
struct SchemaChecker {
    let document: JSONValue

    /// Keywords that only annotate.
    private static let annotations: Set<String> = ["description", "examples", "example", "default", "format", "title"]
    private static let known: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "enum", "minimum", "maximum", "oneOf", "anyOf",
    ]

    /// Every way `value` breaks `schema`, each with its JSON path; empty when it conforms.
    func problems(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard let members = schema.objectValue else { return ["\(path): the schema is not an object"] }
        var problems: [String] = []
        for (key, _) in members where !Self.known.contains(key) && !Self.annotations.contains(key) {
            problems.append("\(path): unsupported schema keyword \(key)")
        }
        if let reference = schema["$ref"]?.stringValue {
            guard let target = resolve(reference) else { return problems + ["\(path): unresolvable \(reference)"] }
            problems += self.problems(value, against: target, at: path)
        }
        if let type = schema["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            guard names.contains(where: { Self.value(value, is: $0) }) else {
                return problems + ["\(path): expected \(names.joined(separator: " or ")), got \(value.text())".prefix(300).description]
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            problems.append("\(path): \(value.text()) is not one of \(JSONValue.array(allowed).text())")
        }
        if let number = value.doubleValue, value.isNumber {
            if let minimum = schema["minimum"]?.doubleValue, number < minimum { problems.append("\(path): \(number) < minimum \(minimum)") }
            if let maximum = schema["maximum"]?.doubleValue, number > maximum { problems.append("\(path): \(number) > maximum \(maximum)") }
        }
        if let object = value.objectValue {
            let properties = schema["properties"]?.objectValue ?? []
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !object.contains(where: { $0.0 == name }) {
                problems.append("\(path): required member \(name) is missing")
            }
            for (name, member) in object {
                if let property = properties.first(where: { $0.0 == name })?.1 {
                    problems += self.problems(member, against: property, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] {
                    if additional == .bool(false) {
                        problems.append("\(path): member \(name) is not allowed")
                    } else if additional.objectValue != nil {
                        problems += self.problems(member, against: additional, at: "\(path).\(name)")
                    }
                }
            }
        }
        if let items = value.arrayValue {
            if let minimum = schema["minItems"]?.intValue, items.count < minimum { problems.append("\(path): \(items.count) items < minItems \(minimum)") }
            if let maximum = schema["maxItems"]?.intValue, items.count > maximum { problems.append("\(path): \(items.count) items > maxItems \(maximum)") }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { problems += self.problems(item, against: itemSchema, at: "\(path)[\(index)]") }
            }
        }
        if let choices = schema["oneOf"]?.arrayValue {
            let matching = choices.filter { self.problems(value, against: $0, at: path).isEmpty }.count
            if matching != 1 { problems.append("\(path): matches \(matching) of the oneOf choices, not exactly one") }
        }
        if let choices = schema["anyOf"]?.arrayValue, !choices.contains(where: { self.problems(value, against: $0, at: path).isEmpty }) {
            problems.append("\(path): matches none of the anyOf choices")
        }
        return problems
    }

    /// `#/components/schemas/Name` (any JSON pointer into the document).
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    static func value(_ value: JSONValue, is type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .int), ("number", .double):
            true
        case ("integer", .int): true
        case ("integer", .double(let number)): number.rounded() == number
        default: false
        }
    }
}
