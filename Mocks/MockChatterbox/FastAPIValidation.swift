import MockFastAPI
import SynapseCore

/// A body that failed validation: the issues FastAPI returns with its 422.
struct FastAPIValidationFailure: Error {
    var issues: [FastAPIValidationIssue]
}

/// Reads the fields of a JSON request body with pydantic's lax-mode rules, collecting every
/// problem (pydantic reports all of them at once, in field order).
struct FastAPIBodyReader {
    /// The parsed body object.
    let body: JSONValue
    private(set) var issues: [FastAPIValidationIssue] = []

    init(body: JSONValue) { self.body = body }

    /// Parses raw bytes; a decoding problem or a non-object body comes back as the single issue.
    static func parse(_ bytes: [UInt8]) throws(FastAPIValidationFailure) -> FastAPIBodyReader {
        func failure(_ issue: FastAPIValidationIssue) -> FastAPIValidationFailure { FastAPIValidationFailure(issues: [issue]) }
        if bytes.isEmpty {
            throw failure(FastAPIValidationIssue(type: "missing", loc: [.string("body")], msg: "Field required", input: .null))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let value: JSONValue
        do {
            value = try PythonJSONDecoder.decode(text)
        } catch {
            throw failure(
                FastAPIValidationIssue(
                    type: "json_invalid", loc: [.string("body"), .int(error.position)], msg: "JSON decode error", input: .object([]),
                    ctx: [("error", .string(error.message))]))
        }
        guard case .object = value else {
            throw failure(
                FastAPIValidationIssue(
                    type: "model_attributes_type", loc: [.string("body")],
                    msg: "Input should be a valid dictionary or object to extract fields from", input: value))
        }
        return FastAPIBodyReader(body: value)
    }

    private mutating func report(_ type: String, _ field: String, _ msg: String, _ input: JSONValue, ctx: [(String, JSONValue)]? = nil) {
        issues.append(FastAPIValidationIssue(type: type, loc: [.string("body"), .string(field)], msg: msg, input: input, ctx: ctx))
    }

    /// A field that must be present; reports `missing` with the whole body as input otherwise.
    private mutating func present(_ field: String) -> JSONValue? {
        guard let value = body[field] else {
            issues.append(FastAPIValidationIssue(type: "missing", loc: [.string("body"), .string(field)], msg: "Field required", input: body))
            return nil
        }
        return value
    }

    /// `str` (required when `defaultValue` is nil and `optional` is false); nil also when invalid.
    mutating func string(_ field: String, required: Bool = false, nullable: Bool = true, minLength: Int? = nil) -> String? {
        let value: JSONValue?
        if required { value = present(field) } else { value = body[field] }
        guard let value else { return nil }
        if case .null = value, nullable, !required { return nil }
        guard case .string(let text) = value else {
            report("string_type", field, "Input should be a valid string", value)
            return nil
        }
        if let minLength, text.count < minLength {
            let unit = minLength == 1 ? "character" : "characters"
            report("string_too_short", field, "String should have at least \(minLength) \(unit)", value, ctx: [("min_length", .int(minLength))])
            return nil
        }
        return text
    }

    /// `Literal[...]`: one of `allowed` (or null when `nullable`).
    mutating func literal(_ field: String, allowed: [String], required: Bool = false, nullable: Bool = false) -> String? {
        let value: JSONValue?
        if required { value = present(field) } else { value = body[field] }
        guard let value else { return nil }
        if case .null = value, nullable { return nil }
        if case .string(let text) = value, allowed.contains(text) { return text }
        let quoted = allowed.map { "'\($0)'" }
        let expected = quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " or " + quoted.last! : quoted.joined()
        report("literal_error", field, "Input should be \(expected)", value, ctx: [("expected", .string(expected))])
        return nil
    }

    /// `bool` in lax mode (`true`, `1`, `"yes"`, ...).
    mutating func bool(_ field: String, nullable: Bool = true) -> Bool? {
        guard let value = body[field] else { return nil }
        switch value {
        case .null where nullable: return nil
        case .bool(let flag): return flag
        case .int(let number) where number == 0 || number == 1: return number == 1
        case .double(let number) where number == 0 || number == 1: return number == 1
        case .string(let text):
            switch text.lowercased() {
            case "true", "1", "yes", "y", "on", "t": return true
            case "false", "0", "no", "n", "off", "f": return false
            default: break
            }
            report("bool_parsing", field, "Input should be a valid boolean, unable to interpret input", value)
        case .int, .double:
            report("bool_parsing", field, "Input should be a valid boolean, unable to interpret input", value)
        default:
            report("bool_type", field, "Input should be a valid boolean", value)
        }
        return nil
    }

    /// `int` in lax mode, with optional `ge`/`le` bounds.
    mutating func int(_ field: String, nullable: Bool = true, ge: Int? = nil, le: Int? = nil) -> Int? {
        guard let value = body[field] else { return nil }
        var number: Int?
        switch value {
        case .null where nullable: return nil
        case .int(let integer): number = integer
        // `Int(exactly:)`: a whole double such as 1e300 does not fit in an Int (a plain `Int(real)` traps).
        case .double(let real) where Int(exactly: real) != nil: number = Int(exactly: real)
        case .double:
            report("int_from_float", field, "Input should be a valid integer, got a number with a fractional part", value)
        case .string(let text):
            number = Int(text.trimmingWhitespace())
            if number == nil { report("int_parsing", field, "Input should be a valid integer, unable to parse string as an integer", value) }
        default:
            report("int_type", field, "Input should be a valid integer", value)
        }
        guard let number else { return nil }
        if let ge, number < ge {
            report("greater_than_equal", field, "Input should be greater than or equal to \(ge)", value, ctx: [("ge", .int(ge))])
            return nil
        }
        if let le, number > le {
            report("less_than_equal", field, "Input should be less than or equal to \(le)", value, ctx: [("le", .int(le))])
            return nil
        }
        return number
    }

    /// `float` in lax mode.
    mutating func float(_ field: String, nullable: Bool = true) -> Double? {
        guard let value = body[field] else { return nil }
        switch value {
        case .null where nullable: return nil
        case .int(let integer): return Double(integer)
        case .double(let real): return real
        case .string(let text):
            if let real = Double(text.trimmingWhitespace()) { return real }
            report("float_parsing", field, "Input should be a valid number, unable to parse string as a number", value)
        default:
            report("float_type", field, "Input should be a valid number", value)
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
