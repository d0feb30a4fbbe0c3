import SynapseCore

/// A JSON Schema (OpenAPI 3.1 dialect) as written into `/openapi.json`: small constructors for
/// the shapes the gateway's bodies have, so the catalogue reads like the bodies it describes.
struct JSONSchema: Sendable {
    var json: JSONValue

    init(_ json: JSONValue) { self.json = json }

    private init(type: String, _ extra: [(String, JSONValue)] = []) {
        json = .object([("type", .string(type))] + extra)
    }

    static let string = JSONSchema(type: "string")
    static let integer = JSONSchema(type: "integer")
    static let number = JSONSchema(type: "number")
    static let boolean = JSONSchema(type: "boolean")
    /// Any JSON value (the backend decides).
    static let any = JSONSchema(.object([]))
    /// An object whose members are not described (a backend's own answer, a profile's values).
    static let anyObject = JSONSchema(type: "object")
    /// A file part of a multipart form.
    static let binary = JSONSchema(type: "string", [("format", .string("binary"))])

    static func string(format: String) -> JSONSchema { JSONSchema(type: "string", [("format", .string(format))]) }
    static func string(oneOf values: [String]) -> JSONSchema { JSONSchema(type: "string", [("enum", .array(values.map(JSONValue.string)))]) }
    static func integer(minimum: Int? = nil, maximum: Int? = nil) -> JSONSchema {
        JSONSchema(type: "integer", [minimum.map { ("minimum", .int($0)) }, maximum.map { ("maximum", .int($0)) }].compactMap { $0 })
    }
    static func number(minimum: Double? = nil, maximum: Double? = nil) -> JSONSchema {
        JSONSchema(type: "number", [minimum.map { ("minimum", .double($0)) }, maximum.map { ("maximum", .double($0)) }].compactMap { $0 })
    }
    static func array(of items: JSONSchema, minItems: Int? = nil, maxItems: Int? = nil) -> JSONSchema {
        var extra: [(String, JSONValue)] = [("items", items.json)]
        if let minItems { extra.append(("minItems", .int(minItems))) }
        if let maxItems { extra.append(("maxItems", .int(maxItems))) }
        return JSONSchema(type: "array", extra)
    }
    /// An object with these members (`required` names the ones always present); others allowed.
    static func object(_ properties: [(String, JSONSchema)], required: [String] = []) -> JSONSchema {
        var extra: [(String, JSONValue)] = [("properties", .object(properties.map { ($0.0, $0.1.json) }))]
        if !required.isEmpty { extra.append(("required", .array(required.map(JSONValue.string)))) }
        return JSONSchema(type: "object", extra)
    }
    /// An object used as a map: any member names, each value of `values`.
    static func map(of values: JSONSchema) -> JSONSchema { JSONSchema(type: "object", [("additionalProperties", values.json)]) }
    /// A reusable schema of `components/schemas`.
    static func ref(_ name: String) -> JSONSchema { JSONSchema(.obj(("$ref", .string("#/components/schemas/\(name)")))) }
    static func oneOf(_ choices: [JSONSchema]) -> JSONSchema { JSONSchema(.obj(("oneOf", .array(choices.map(\.json))))) }

    /// This schema, or `null` (3.1: a type list).
    var nullable: JSONSchema {
        guard case .object(var members) = json, let index = members.firstIndex(where: { $0.0 == "type" }), let type = members[index].1.stringValue else {
            return .oneOf([self, JSONSchema(type: "null")])
        }
        members[index].1 = .array([.string(type), .string("null")])
        // An enum lists every allowed value, null included.
        if let enumIndex = members.firstIndex(where: { $0.0 == "enum" }), case .array(let values) = members[enumIndex].1 {
            members[enumIndex].1 = .array(values + [.null])
        }
        return JSONSchema(.object(members))
    }

    /// This schema with a `description` (and an example, if given).
    func described(_ text: String, example: JSONValue? = nil) -> JSONSchema {
        guard case .object(var members) = json else { return self }
        // 3.1 allows siblings of $ref, so a reference takes a description too.
        members.append(("description", .string(text)))
        if let example { members.append(("examples", .array([example]))) }
        return JSONSchema(.object(members))
    }

    /// This schema with a default value.
    func defaulting(to value: JSONValue) -> JSONSchema {
        guard case .object(var members) = json else { return self }
        members.append(("default", value))
        return JSONSchema(.object(members))
    }
}
