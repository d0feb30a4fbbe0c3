import Foundation
import SynapseCore

/// A `multipart/form-data` request as a FastAPI endpoint sees it, with FastAPI's validation
/// errors (pydantic v2 wording) for the audio mocks.
///
/// A body that is not multipart (JSON, empty) has no fields at all, so required fields are
/// reported `missing` rather than 415, exactly as FastAPI does.
public struct FastAPIForm: Sendable {
    /// The parts in request order.
    public let parts: [MultipartForm.Part]

    /// Thrown when a multipart body cannot be parsed; FastAPI answers 400 with this detail.
    public struct MalformedBody: Error, Sendable {
        public let detail = "There was an error parsing the body"
    }

    /// Parses `body` sent with `contentType`.
    public init(contentType: String?, body: [UInt8]) throws(MalformedBody) {
        guard let contentType, let boundary = MultipartForm.boundary(fromContentType: contentType) else {
            parts = []
            return
        }
        do {
            parts = try MultipartForm.parse(body: body, boundary: boundary)
        } catch {
            throw MalformedBody()
        }
    }

    /// Collects validation errors in parameter order, as FastAPI reports all of them at once.
    public struct Validation: Sendable {
        public private(set) var issues: [FastAPIValidationIssue] = []
        public init() {}

        /// The 422 body: `{"detail":[…]}`, or nil when the request is valid.
        public var body: JSONValue? { issues.isEmpty ? nil : FastAPIValidationIssue.body(issues) }

        mutating func add(type: String, field: String, message: String, input: JSONValue, context: [(String, JSONValue)]? = nil) {
            issues.append(FastAPIValidationIssue(type: type, loc: [.string("body"), .string(field)], msg: message, input: input, ctx: context))
        }
    }

    /// The last part named `name` (Starlette's form keeps the last value for a repeated key).
    public func part(_ name: String) -> MultipartForm.Part? { parts.last { $0.name == name } }

    /// A required `UploadFile` field: its bytes, or an error recorded in `validation`.
    public func file(_ name: String, _ validation: inout Validation) -> [UInt8]? {
        guard let part = part(name) else {
            validation.add(type: "missing", field: name, message: "Field required", input: .null)
            return nil
        }
        guard part.filename != nil else {
            validation.add(
                type: "value_error", field: name, message: "Value error, Expected UploadFile, received: <class 'str'>",
                input: .string(String(decoding: part.body, as: UTF8.self)), context: [("error", .obj())])
            return nil
        }
        return part.body
    }

    /// An optional text field; an empty value counts as absent, as in FastAPI forms.
    public func text(_ name: String) -> String? {
        guard let part = part(name), !part.body.isEmpty else { return nil }
        return String(decoding: part.body, as: UTF8.self)
    }

    /// An optional boolean field with pydantic's lax parsing (`true/false/1/0/yes/no/on/off/t/f/y/n`,
    /// any case); anything else records `bool_parsing`.
    public func bool(_ name: String, default defaultValue: Bool, _ validation: inout Validation) -> Bool {
        guard let raw = text(name) else { return defaultValue }
        switch raw.lowercased() {
        case "true", "1", "yes", "on", "t", "y": return true
        case "false", "0", "no", "off", "f", "n": return false
        default:
            validation.add(
                type: "bool_parsing", field: name, message: "Input should be a valid boolean, unable to interpret input",
                input: .string(raw))
            return defaultValue
        }
    }

    /// An optional integer field (decimal, optional sign, surrounding spaces allowed); anything
    /// else records `int_parsing`.
    public func int(_ name: String, _ validation: inout Validation) -> Int? {
        guard let raw = text(name) else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if let value = Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed) { return value }
        validation.add(
            type: "int_parsing", field: name, message: "Input should be a valid integer, unable to parse string as an integer",
            input: .string(raw))
        return nil
    }
}
