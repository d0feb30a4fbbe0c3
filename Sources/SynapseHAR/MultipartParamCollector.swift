import SynapseCore

/// Lists the parts of a `multipart/form-data` body as HAR `params` while the body streams past:
/// each part's field name, file name, content type and size, and the value of short text
/// fields. File contents are counted, never kept.
public struct MultipartParamCollector: Sendable {
    /// Longest text field value written into `params`; longer values are left out (the raw body
    /// file has them). Default 4 KiB.
    public static let maxValueBytes = 4 << 10

    private var parser: MultipartParser
    private var params: [HARParam] = []
    private var value: [UInt8] = []
    private var valueTooLong = false
    private var failed = false

    /// Nil unless `contentType` is multipart with a usable boundary.
    public init?(contentType: String) {
        let header = HeaderParameters(contentType)
        guard header.value.lowercased().hasPrefix("multipart/"), let boundary = header["boundary"],
            let parser = try? MultipartParser(boundary: boundary)
        else { return nil }
        self.parser = parser
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        guard !failed else { return }
        do {
            for event in try parser.feed(bytes) { apply(event) }
        } catch {
            failed = true
        }
    }

    /// The parts, or nil when the body was not well-formed multipart (the raw bytes are still stored).
    public func finish() -> [HARParam]? {
        guard !failed, parser.isFinished else { return nil }
        return params
    }

    private mutating func apply(_ event: MultipartParser.Event) {
        switch event {
        case .partStart(let head):
            params.append(HARParam(name: head.name, fileName: head.filename, contentType: head.contentType, size: 0))
            value = []
            valueTooLong = false
        case .bodyBytes(let bytes):
            guard !params.isEmpty else { return }
            params[params.count - 1].size = (params[params.count - 1].size ?? 0) + bytes.count
            if params[params.count - 1].fileName == nil, !valueTooLong {
                if value.count + bytes.count <= Self.maxValueBytes { value += bytes } else { valueTooLong = true }
            }
        case .partEnd:
            guard !params.isEmpty, params[params.count - 1].fileName == nil, !valueTooLong else { return }
            params[params.count - 1].value = String(validating: value, as: UTF8.self)
        case .end:
            break
        }
    }
}
