import Foundation
import SynapseCore

/// The values captured so far in one scenario run, and `${name}` substitution in text and JSON.
///
/// `${name}` is the whole value; `${name:12}` its first 12 characters (for names that embed a
/// prefix of a digest, such as the gateway's uploaded reference names). A string that is exactly
/// one reference takes the captured value with its JSON type (a captured number stays a number);
/// anywhere else the value's text is spliced in.
struct ScenarioVariables: Sendable {
    /// One `${…}` in a text.
    struct Reference: Equatable, Sendable {
        var name: String
        /// `${name:N}`: only the first N characters.
        var length: Int?
        /// Where the reference (with `${` and `}`) sits in the text.
        var range: Range<String.Index>
    }

    /// A reference to a variable that has no value, or a malformed `${`.
    struct Unbound: Error, CustomStringConvertible {
        var name: String
        var description: String { "variable '\(name)' has no value (its capture did not succeed)" }
    }

    private(set) var values: [String: JSONValue] = [:]

    subscript(name: String) -> JSONValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    // MARK: Finding references

    /// The references in `text`, or a description of the first malformed one.
    static func references(in text: String) -> Result<[Reference], ReferenceProblem> {
        var found: [Reference] = []
        var searchStart = text.startIndex
        while let open = text[searchStart...].range(of: "${") {
            guard let close = text[open.upperBound...].firstIndex(of: "}") else {
                return .failure(ReferenceProblem(message: "unclosed '${' (write ${name} or ${name:12})"))
            }
            let inner = text[open.upperBound..<close]
            let pieces = inner.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pieces[0])
            guard Capture.isValidName(name) else {
                return .failure(ReferenceProblem(message: "'${\(inner)}' is not a variable reference (write ${name} or ${name:12})"))
            }
            var length: Int?
            if pieces.count == 2 {
                guard let count = Int(pieces[1]), count > 0 else {
                    return .failure(ReferenceProblem(message: "'${\(inner)}': the length after ':' must be a whole number > 0"))
                }
                length = count
            }
            found.append(Reference(name: name, length: length, range: open.lowerBound..<text.index(after: close)))
            searchStart = text.index(after: close)
        }
        return .success(found)
    }

    /// Why a `${…}` could not be read.
    struct ReferenceProblem: Error {
        var message: String
    }

    // MARK: Substituting

    /// `text` with every reference replaced by its value's text.
    func text(_ text: String) throws -> String {
        guard text.contains("${"), case .success(let references) = Self.references(in: text), !references.isEmpty else { return text }
        var result = ""
        var position = text.startIndex
        for reference in references {
            result += text[position..<reference.range.lowerBound]
            result += try value(of: reference).plainText
            position = reference.range.upperBound
        }
        return result + text[position...]
    }

    /// `value` with references substituted in every string (object keys are left alone).
    func json(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .string(let text):
            // A string that is exactly one reference keeps the captured value's type.
            if case .success(let references) = Self.references(in: text), references.count == 1,
                references[0].range == text.startIndex..<text.endIndex
            {
                return try self.value(of: references[0])
            }
            return .string(try self.text(text))
        case .array(let items):
            return .array(try items.map { try json($0) })
        case .object(let members):
            return .object(try members.map { ($0.0, try json($0.1)) })
        case .null, .bool, .int, .double:
            return value
        }
    }

    private func value(of reference: Reference) throws -> JSONValue {
        guard let value = values[reference.name] else { throw Unbound(name: reference.name) }
        guard let length = reference.length else { return value }
        return .string(String(value.plainText.prefix(length)))
    }
}

extension JSONValue {
    /// The value as spliced into text: a string as itself (no quotes), anything else as compact JSON.
    var plainText: String { stringValue ?? text() }
}
