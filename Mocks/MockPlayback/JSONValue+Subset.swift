import SynapseCore

extension JSONValue {
    /// The first place where this (recorded) document is not a subset of `other`, as a path
    /// (`$.messages[0].content`), or nil when it is one.
    ///
    /// Subset: every member of a recorded object is present in the other object (extra members
    /// there are fine, key order does not matter) with a value that is itself a subset; arrays have
    /// the same length and are subsets element by element; numbers are equal by value (`1` and
    /// `1.0` match); other scalars are equal.
    func firstMismatch(asSubsetOf other: JSONValue, at path: String = "$") -> String? {
        compare(with: other, at: path, allowExtraMembers: true)
    }

    /// The first place where the two documents differ (key order ignored), or nil when equal.
    func firstDifference(from other: JSONValue, at path: String = "$") -> String? {
        compare(with: other, at: path, allowExtraMembers: false)
    }

    private func compare(with other: JSONValue, at path: String, allowExtraMembers: Bool) -> String? {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            for (key, value) in mine {
                let child = "\(path).\(key)"
                guard let counterpart = other[key] else { return child }
                if let mismatch = value.compare(with: counterpart, at: child, allowExtraMembers: allowExtraMembers) { return mismatch }
            }
            if !allowExtraMembers, let extra = theirs.first(where: { self[$0.0] == nil }) { return "\(path).\(extra.0)" }
            return nil
        case (.array(let mine), .array(let theirs)):
            for (index, (value, counterpart)) in zip(mine, theirs).enumerated() {
                if let mismatch = value.compare(with: counterpart, at: "\(path)[\(index)]", allowExtraMembers: allowExtraMembers) {
                    return mismatch
                }
            }
            return mine.count == theirs.count ? nil : "\(path)[\(min(mine.count, theirs.count))]"
        default:
            if isNumber, other.isNumber { return doubleValue == other.doubleValue ? nil : path }
            return self == other ? nil : path
        }
    }
}
