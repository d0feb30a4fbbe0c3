import Foundation
import SynapseCore

/// Summarizes a request body chunk by chunk without holding it: size, SHA-256, a short prefix,
/// multipart field names and filenames, and (for small JSON bodies) the parsed JSON.
struct BodyDigest: Sendable {
    private(set) var size = 0
    private var hasher = SHA256()
    /// The first bytes: up to the JSON limit for JSON bodies (to parse them), else the prefix limit.
    private var prefix: [UInt8] = []
    private let prefixLimit: Int
    private let keepLimit: Int
    private let isJSON: Bool
    private var multipart: MultipartParser?
    private var parts: [JournalEntry.FormPart] = []
    private var multipartError: MultipartError?

    init(contentType: String?, prefixLimit: Int, jsonLimit: Int) {
        self.prefixLimit = prefixLimit
        self.isJSON = contentType.map { $0.lowercased().contains("json") } ?? false
        self.keepLimit = isJSON ? max(prefixLimit, jsonLimit) : prefixLimit
        if let contentType, let boundary = MultipartForm.boundary(fromContentType: contentType) {
            do {
                multipart = try MultipartParser(boundary: boundary)
            } catch {
                multipartError = error
            }
        }
    }

    mutating func consume(_ bytes: some Collection<UInt8>) {
        size += bytes.count
        hasher.update(bytes)
        if prefix.count < keepLimit { prefix.append(contentsOf: bytes.prefix(keepLimit - prefix.count)) }
        guard multipart != nil else { return }
        do {
            for event in try multipart!.feed(bytes) {
                switch event {
                case .partStart(let head):
                    parts.append(.init(name: head.name, filename: head.filename, contentType: head.contentType, size: 0))
                case .bodyBytes(let chunk):
                    parts[parts.count - 1].size += chunk.count
                case .partEnd, .end:
                    break
                }
            }
        } catch {
            multipartError = error
            multipart = nil
        }
    }

    /// Writes the summary into `entry`; `complete` says whether the body was read to its end.
    mutating func finish(into entry: inout JournalEntry, complete: Bool) {
        entry.bodySize = size
        entry.bodySHA256 = SHA256.hexString(hasher.finalize())
        entry.bodyComplete = complete
        entry.bodyPrefix = Array(prefix.prefix(prefixLimit))
        entry.formParts = parts
        if complete, let parser = multipart {
            do { try parser.finish() } catch { multipartError = error }
        }
        entry.multipartError = multipartError?.code
        if complete, isJSON, size <= keepLimit {
            entry.json = try? JSONValue.parse(prefix)
        }
    }
}
