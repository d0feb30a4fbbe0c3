import HTTPTypes

extension HTTPFields {
    /// `self[name]`, found by a scan: HTTPTypes' subscript builds a lookup index of every name on
    /// an instance's first lookup (a dictionary, each name hashed) and joins even a single value
    /// into a new string. A request's few lookups on its dozen fields are cheaper as scans (the
    /// fast path makes about ten on each request's fields). A repeated name is joined as the
    /// subscript joins it.
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            if found != nil { return self[name] }
            found = field.value
        }
        return found
    }

    /// `self[values: name]`, found by a scan (see `value(of:)`).
    func values(of name: HTTPField.Name) -> [String] {
        var found: [String] = []
        for field in self where field.name == name { found.append(field.value) }
        return found
    }
}

extension HTTPFields {
    /// `self[name] = value`: appended when the name is absent (found by a scan), else replaced as
    /// the subscript replaces it (see `value(of:)`).
    mutating func set(_ value: String, for name: HTTPField.Name) {
        if contains(where: { $0.name == name }) {
            self[name] = value
        } else {
            append(HTTPField(name: name, value: value))
        }
    }
}
