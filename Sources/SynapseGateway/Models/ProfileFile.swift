import Foundation
import Logging
import SynapseCore

/// The profile store's file: its byte format (Python's `json.dumps(indent=2, sort_keys=True,
/// ensure_ascii=True)`), durable atomic writes, change detection, and Python's `isoformat()`.
enum ProfileFile {
    /// What identifies one version of the file: a rewrite renames a new inode into place, and
    /// an edit in place changes size or mtime.
    struct Signature: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        /// Seconds since 1970, as precise as the filesystem and Foundation give it.
        var modified: Double
    }

    /// `json.dumps(indent=2, sort_keys=True, ensure_ascii=True)`: `": "` and `","` line ends,
    /// `\uXXXX` for non-ASCII, floats as `repr` (NaN as `NaN`).
    static let style = JSONStyle(layout: .indented(2), escapesNonASCII: true, floats: .pythonRepr)

    /// The whole file's text for `models`.
    static func text(models: [String: JSONValue]) -> String {
        canonical(.obj(("models", .object(models.map { ($0.key, $0.value) })), ("version", .int(1)))).text(style)
    }

    /// `value` as Python's `sort_keys=True` writes a dict: every object's keys unique (last
    /// wins, as `json.loads` keeps them) and in code-point order.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): .array(items.map(canonical))
        case .object(let members): .object(sorted(ModelProfileSchema.pythonDict(members)).map { ($0.0, canonical($0.1)) })
        default: value
        }
    }

    /// Members sorted by key in code-point order, as Python compares `str`.
    static func sorted(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        members.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
    }

    static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    // MARK: Reading

    /// The `models` object of the file; empty (with a warning) when it cannot be read or parsed.
    static func read(_ path: String, logger: Logger) -> [String: JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            logger.warning("Model profile file unreadable; treating it as empty", metadata: ["synapse.path": "\(path)"])
            return [:]
        }
        guard let document = try? parsePython(Array(data)), case .object(let models)? = document["models"] else {
            logger.warning("Model profile file is not a JSON object with 'models'; treating it as empty", metadata: ["synapse.path": "\(path)"])
            return [:]
        }
        return Dictionary(models, uniquingKeysWith: { _, last in last })
    }

    private static let nanMark = "\u{0}synapse:NaN", infinityMark = "\u{0}synapse:Infinity", negativeInfinityMark = "\u{0}synapse:-Infinity"

    /// JSON as Python's `json.loads` reads it, which also takes the `NaN`, `Infinity` and
    /// `-Infinity` that `json.dumps` writes for such floats (a NaN temperature passes
    /// validation). Core's parser is strict, so these tokens become marked strings first and
    /// are turned back into doubles after parsing.
    static func parsePython(_ bytes: [UInt8]) throws -> JSONValue {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var inString = false
        func token(_ word: String) -> Bool { bytes[index...].starts(with: word.utf8) }
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                out.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    out.append(bytes[index + 1])
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                index += 1
                continue
            }
            var replacement: (String, Int)?
            if token("NaN") {
                replacement = (nanMark, 3)
            } else if token("Infinity") {
                replacement = (infinityMark, 8)
            } else if token("-Infinity") {
                replacement = (negativeInfinityMark, 9)
            }
            if let (mark, length) = replacement {
                out += Array(JSONValue.quoted(mark).utf8)
                index += length
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = true }
            out.append(byte)
            index += 1
        }
        return unmark(try JSONValue.parse(out))
    }

    private static func unmark(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(nanMark): .double(.nan)
        case .string(infinityMark): .double(.infinity)
        case .string(negativeInfinityMark): .double(-.infinity)
        case .array(let items): .array(items.map(unmark))
        case .object(let members): .object(members.map { ($0.0, unmark($0.1)) })
        default: value
        }
    }

    // MARK: Writing

    /// Writes the file durably and atomically: `<path>.tmp`, fsync, rename, fsync of the
    /// directory. Returns the new file's signature.
    static func write(models: [String: JSONValue], to path: String) throws(ProfileStoreError) -> Signature? {
        let directory = directory(of: path)
        let temporary = path + ".tmp"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // A leftover from a crash; a concurrent writer elsewhere makes the exclusive create fail instead.
            DurableStorage.remove(temporary)
            try DurableStorage.writeNewFile(temporary, bytes: Array(text(models: models).utf8))
            try DurableStorage.move(temporary, to: path)
            try DurableStorage.syncDirectory(directory)
        } catch {
            DurableStorage.remove(temporary)
            throw ProfileStoreError(path: path, message: "\(error)")
        }
        return signature(of: path)
    }

    /// The file's identity and version, or nil when it does not exist.
    static func signature(of path: String) -> Signature? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return Signature(
            device: (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0,
            inode: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0,
            size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
            modified: modified)
    }

    // MARK: Time

    /// `datetime.now(timezone.utc).isoformat()`: `2026-02-21T09:30:05.123456+00:00`, the
    /// fraction left out when the microseconds are zero, as Python does.
    static func isoformat(_ date: Date) -> String {
        // Python floors nanoseconds to microseconds; a `Date` is a binary fraction, so the nearest
        // microsecond is what it stands for.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = (micros.floorDivided(by: 1_000_000), micros.floorModulo(1_000_000))
        let (days, secondOfDay) = (seconds.floorDivided(by: 86_400), seconds.floorModulo(86_400))
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var text = String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
        if fraction != 0 { text += String(format: ".%06lld", fraction) }
        return text + "+00:00"
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}
