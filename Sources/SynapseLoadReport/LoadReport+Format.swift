/// Choosing a rendering by name (`--format html`) or by the output file's extension
/// (`--output report.xml`), so the command holds no table of its own.
extension LoadReport {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case junit
        case html

        /// The format an output file's name implies: `.html`/`.htm`, `.json`, `.xml` (JUnit),
        /// `.txt`; nil for anything else.
        public init?(fileName: String) {
            guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
            switch fileName[fileName.index(after: dot)...].lowercased() {
            case "html", "htm": self = .html
            case "json": self = .json
            case "xml": self = .junit
            case "txt", "text": self = .text
            default: return nil
            }
        }
    }

    /// The report in `format`.
    public func rendered(as format: Format) -> String {
        switch format {
        case .text: text()
        case .json: json()
        case .junit: junit()
        case .html: html()
        }
    }
}
