import Foundation

/// Where the bytes of a recorded body are: nowhere, in memory (an inline HAR text), or in a body
/// file (Synapse's `bodies/<sha256>`), which replay streams rather than reads whole.
public enum RecordedBody: Sendable, Equatable {
    case none
    case bytes([UInt8])
    case file(path: String, size: Int)

    public var count: Int {
        switch self {
        case .none: 0
        case .bytes(let bytes): bytes.count
        case .file(_, let size): size
        }
    }

    /// The whole body in memory: for small bodies and tests; replay streams files instead.
    public func readAll() throws -> [UInt8] {
        switch self {
        case .none: return []
        case .bytes(let bytes): return bytes
        case .file(let path, _): return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// A request's `postData` or a response's `content`: the body file it references, else its
    /// inline text, else no body. `at` names the field in the problem (`request.postData`).
    static func located(file: String?, text: String?, encoding: String?, size: Int?, folder: String, at: String) throws(BodyProblem) -> RecordedBody {
        if let file {
            do {
                return try Self.file(file, folder: folder, declaredSize: size)
            } catch {
                throw BodyProblem(reason: "\(at): \(error.reason)")
            }
        }
        guard let text else { return .none }
        guard let body = inline(text, encoding: encoding) else { throw BodyProblem(reason: "\(at).text is not valid \(encoding ?? "text")") }
        return body
    }

    /// An inline HAR text: base64 when `encoding` says so (binary bodies in browser exports).
    static func inline(_ text: String, encoding: String?) -> RecordedBody? {
        guard let encoding, !encoding.isEmpty else { return .bytes(Array(text.utf8)) }
        guard encoding.lowercased() == "base64", let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { return nil }
        return .bytes([UInt8](data))
    }

    /// A body file, `relative` to the HAR file's `folder`, checked to exist with the declared size.
    static func file(_ relative: String, folder: String, declaredSize: Int?) throws(BodyProblem) -> RecordedBody {
        // A reference must stay inside the recording (no absolute paths, no `..`).
        if relative.hasPrefix("/") || relative.split(separator: "/").contains("..") {
            throw BodyProblem(reason: "body file \"\(relative)\" points outside the recording")
        }
        let path = (folder as NSString).appendingPathComponent(relative)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw BodyProblem(reason: "body file \"\(relative)\" not found beside the HAR file")
        }
        if let declaredSize, declaredSize >= 0, declaredSize != size {
            throw BodyProblem(reason: "body file \"\(relative)\" holds \(size) bytes, the entry says \(declaredSize)")
        }
        return .file(path: path, size: size)
    }
}

/// Why a body reference is unusable; `RecordedExchange` wraps it into a `HARReadError`.
struct BodyProblem: Error {
    var reason: String
}
