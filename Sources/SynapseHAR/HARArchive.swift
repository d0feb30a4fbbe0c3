import Foundation

/// The exchanges of one recording — a `.har` file, or a folder of them as `--record` writes —
/// read, checked and put in time order, ready for replay or playback.
///
/// Reads Synapse's own recordings (bodies in `bodies/<sha256>` beside the HAR file) and HAR
/// exported by browsers (Chrome and Firefox DevTools: bodies inline, binary ones in base64,
/// HTTP/2 pseudo-headers among the headers). Every body reference is checked here, so a replay
/// or playback that starts does not fail half-way on a bad entry.
public struct HARArchive: Sendable {
    /// In order of their start time (ties: file, then entry order).
    public var exchanges: [RecordedExchange]
    /// The HAR files read, in name order.
    public var files: [String]

    public init(exchanges: [RecordedExchange], files: [String]) {
        self.exchanges = exchanges
        self.files = files
    }

    /// Reads `path`: a HAR file, or a folder whose `*.har` files are read in name order.
    public static func load(_ path: String) throws(HARReadError) -> HARArchive {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw HARReadError(file: path, problem: "no such file or folder")
        }
        let files: [String]
        if isFolder.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".har") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            if files.isEmpty { throw HARReadError(file: path, problem: "the folder holds no .har file") }
        } else {
            files = [path]
        }
        var loaded: [(date: Date, file: Int, entry: Int, exchange: RecordedExchange)] = []
        for (fileIndex, file) in files.enumerated() {
            let document = try read(file)
            let folder = (file as NSString).deletingLastPathComponent
            for (entryIndex, entry) in document.log.entries.enumerated() {
                let exchange = try RecordedExchange(entry: entry, file: file, entryIndex: entryIndex, folder: folder)
                loaded.append((exchange.startedAt, fileIndex, entryIndex, exchange))
            }
        }
        loaded.sort { ($0.date, $0.file, $0.entry) < ($1.date, $1.file, $1.entry) }
        guard let first = loaded.first?.date else { return HARArchive(exchanges: [], files: files) }
        let exchanges = loaded.map { item in
            var exchange = item.exchange
            exchange.offset = .milliseconds(Int64((item.date.timeIntervalSince(first) * 1000).rounded()))
            return exchange
        }
        return HARArchive(exchanges: exchanges, files: files)
    }

    /// Decodes one HAR file; the error names the file and, for a type or key problem, the path
    /// in the document (`log.entries[3].request.method`).
    static func read(_ file: String) throws(HARReadError) -> HARDocument {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw HARReadError(file: file, problem: "cannot be read: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(HARDocument.self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw HARReadError(file: file, problem: "is not JSON: \(context.debugDescription)")
        } catch let error as DecodingError {
            throw HARReadError(file: file, problem: HARReadError.describe(error))
        } catch {
            throw HARReadError(file: file, problem: "\(error)")
        }
    }
}
