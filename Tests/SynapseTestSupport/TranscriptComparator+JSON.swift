import SynapseCore

/// Structural comparison of JSON bodies and SSE data lines.
extension TranscriptComparator {
    /// Structural comparison; free subtrees are compared by type only and arrays in them may differ in length.
    func compareJSON(_ o: JSONValue, _ l: JSONValue, path: String, free: Bool, into out: inout [String]) {
        let free = free || policy.isFree(path)
        let numberish: Set<String> = ["integer", "number"]
        // An integer may stand where the original has a float (100 vs 100.0), not the other way round.
        let sameType = o.typeName == l.typeName || (o.typeName == "number" && l.typeName == "integer")
        guard sameType || (free && numberish.contains(o.typeName) && numberish.contains(l.typeName)) else {
            out.append("\(path): expected \(o.typeName) \(o.summary), got \(l.typeName) \(l.summary)")
            return
        }
        switch (o, l) {
        case (.object(let op), .object(let lp)):
            let oKeys = op.map(\.0)
            let lKeys = lp.map(\.0)
            let missing = oKeys.filter { !lKeys.contains($0) }
            let extra = lKeys.filter { !oKeys.contains($0) }
            if !missing.isEmpty || !extra.isEmpty {
                out.append("\(path): keys differ: missing \(missing), unexpected \(extra)")
            }
            let commonO = oKeys.filter { lKeys.contains($0) }
            let commonL = lKeys.filter { oKeys.contains($0) }
            if policy.strictKeyOrder, commonO != commonL {
                out.append("\(path): key order \(commonL) differs from the original's \(commonO)")
            }
            for (key, ov) in op {
                guard let lv = lp.first(where: { $0.0 == key })?.1 else { continue }
                compareJSON(ov, lv, path: "\(path).\(key)", free: free, into: &out)
            }
        case (.array(let oa), .array(let la)):
            if !free, oa.count != la.count {
                out.append("\(path): expected \(oa.count) items, got \(la.count)")
            }
            for (i, item) in la.enumerated() {
                if free && oa.isEmpty { break }
                guard i < oa.count || free else { break }
                compareJSON(oa[min(i, oa.count - 1)], item, path: "\(path)[\(i)]", free: free, into: &out)
            }
        default:
            if !free, !o.sameScalar(as: l) { out.append("\(path): expected \(o.summary), got \(l.summary)") }
        }
    }
}

extension JSONValue {
    /// The JSON type name used in difference messages (`integer` and `number` are distinct).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A short rendering for messages.
    var summary: String {
        let text: String
        switch self {
        case .string(let s): text = "\"\(s)\""
        case .array(let items): text = "array(\(items.count))"
        case .object(let pairs): text = "object{\(pairs.map(\.0).joined(separator: ","))}"
        default: text = self.text()
        }
        return text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }

    /// Leaf equality where numbers compare by value, so `100` matches an original `100.0`.
    func sameScalar(as other: JSONValue) -> Bool {
        if let a = doubleValue, let b = other.doubleValue, isNumber, other.isNumber { return a == b }
        return self == other
    }
}
