public struct HARRequest: Codable, Sendable, Equatable {
    public var method: String
    /// Absolute URL as the client addressed it (`http://host:port/v1/embeddings?x=1`).
    public var url: String
    public var httpVersion: String
    public var cookies: [HARNameValue]
    public var headers: [HARNameValue]
    public var queryString: [HARNameValue]
    public var postData: HARPostData?
    /// -1 when unknown.
    public var headersSize: Int
    /// Request body bytes; -1 when unknown.
    public var bodySize: Int

    public init(
        method: String, url: String, httpVersion: String = "HTTP/1.1", cookies: [HARNameValue] = [], headers: [HARNameValue] = [],
        queryString: [HARNameValue] = [], postData: HARPostData? = nil, headersSize: Int = -1, bodySize: Int = 0
    ) {
        self.method = method
        self.url = url
        self.httpVersion = httpVersion
        self.cookies = cookies
        self.headers = headers
        self.queryString = queryString
        self.postData = postData
        self.headersSize = headersSize
        self.bodySize = bodySize
    }

    enum CodingKeys: String, CodingKey { case method, url, httpVersion, cookies, headers, queryString, postData, headersSize, bodySize }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decode(String.self, forKey: .method)
        url = try c.decode(String.self, forKey: .url)
        httpVersion = try c.decodeIfPresent(String.self, forKey: .httpVersion) ?? "HTTP/1.1"
        cookies = try c.decodeIfPresent([HARNameValue].self, forKey: .cookies) ?? []
        headers = try c.decodeIfPresent([HARNameValue].self, forKey: .headers) ?? []
        queryString = try c.decodeIfPresent([HARNameValue].self, forKey: .queryString) ?? []
        postData = try c.decodeIfPresent(HARPostData.self, forKey: .postData)
        headersSize = try c.decodeIfPresent(Int.self, forKey: .headersSize) ?? -1
        bodySize = try c.decodeIfPresent(Int.self, forKey: .bodySize) ?? -1
    }
}

public struct HARResponse: Codable, Sendable, Equatable {
    public var status: Int
    public var statusText: String
    public var httpVersion: String
    public var cookies: [HARNameValue]
    public var headers: [HARNameValue]
    public var content: HARContent
    public var redirectURL: String
    public var headersSize: Int
    public var bodySize: Int

    public init(
        status: Int, statusText: String = "", httpVersion: String = "HTTP/1.1", cookies: [HARNameValue] = [], headers: [HARNameValue] = [],
        content: HARContent, redirectURL: String = "", headersSize: Int = -1, bodySize: Int = 0
    ) {
        self.status = status
        self.statusText = statusText
        self.httpVersion = httpVersion
        self.cookies = cookies
        self.headers = headers
        self.content = content
        self.redirectURL = redirectURL
        self.headersSize = headersSize
        self.bodySize = bodySize
    }

    enum CodingKeys: String, CodingKey { case status, statusText, httpVersion, cookies, headers, content, redirectURL, headersSize, bodySize }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(Int.self, forKey: .status)
        statusText = try c.decodeIfPresent(String.self, forKey: .statusText) ?? ""
        httpVersion = try c.decodeIfPresent(String.self, forKey: .httpVersion) ?? "HTTP/1.1"
        cookies = try c.decodeIfPresent([HARNameValue].self, forKey: .cookies) ?? []
        headers = try c.decodeIfPresent([HARNameValue].self, forKey: .headers) ?? []
        content = try c.decodeIfPresent(HARContent.self, forKey: .content) ?? HARContent(size: 0, mimeType: "")
        redirectURL = try c.decodeIfPresent(String.self, forKey: .redirectURL) ?? ""
        headersSize = try c.decodeIfPresent(Int.self, forKey: .headersSize) ?? -1
        bodySize = try c.decodeIfPresent(Int.self, forKey: .bodySize) ?? -1
    }
}

/// A request body. Exactly one of `text` (inline) and `file` (Synapse: `bodies/<sha256>`,
/// relative to the HAR file's folder) carries the bytes; `params` lists multipart or form fields
/// for readers (the bytes of a multipart body are the raw body, boundaries included).
public struct HARPostData: Codable, Sendable, Equatable {
    public var mimeType: String
    public var text: String?
    /// `base64` when `text` holds base64: browsers' binary uploads, read from `encoding` (as
    /// `content` has it) or `_encoding`. Synapse stores binary request bodies as files instead.
    public var encoding: String?
    public var params: [HARParam]?
    public var file: String?
    /// Body length in bytes when stored in `file`.
    public var size: Int?

    public init(mimeType: String, text: String? = nil, encoding: String? = nil, params: [HARParam]? = nil, file: String? = nil, size: Int? = nil) {
        self.mimeType = mimeType
        self.text = text
        self.encoding = encoding
        self.params = params
        self.file = file
        self.size = size
    }

    enum CodingKeys: String, CodingKey {
        case mimeType, text, params, comment, encoding
        case customEncoding = "_encoding"
        case file = "_file"
        case size = "_size"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mimeType = try c.decodeIfPresent(String.self, forKey: .mimeType) ?? ""
        text = try c.decodeIfPresent(String.self, forKey: .text)
        encoding = try c.decodeIfPresent(String.self, forKey: .encoding) ?? c.decodeIfPresent(String.self, forKey: .customEncoding)
        params = try c.decodeIfPresent([HARParam].self, forKey: .params)
        file = try c.decodeIfPresent(String.self, forKey: .file)
        size = try c.decodeIfPresent(Int.self, forKey: .size)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mimeType, forKey: .mimeType)
        // The spec requires `text` (or `params`); a body stored as a file has an empty text.
        try c.encode(text ?? "", forKey: .text)
        try c.encodeIfPresent(encoding, forKey: .encoding)
        try c.encodeIfPresent(params, forKey: .params)
        try c.encodeIfPresent(file, forKey: .file)
        try c.encodeIfPresent(size, forKey: .size)
    }
}

/// A multipart or form field: its name, and for a file part its filename and content type.
public struct HARParam: Codable, Sendable, Equatable {
    public var name: String
    /// The value of a text field (file parts: absent).
    public var value: String?
    public var fileName: String?
    public var contentType: String?
    /// File parts: the part's own length in bytes.
    public var size: Int?

    public init(name: String, value: String? = nil, fileName: String? = nil, contentType: String? = nil, size: Int? = nil) {
        self.name = name
        self.value = value
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
    }

    enum CodingKeys: String, CodingKey {
        case name, value, fileName, contentType
        case size = "_size"
    }
}

/// A response body: inline `text` (UTF-8, or base64 with `encoding: base64` as browsers export
/// binary), or Synapse's `file` reference; for an event stream, `events` gives each event's
/// arrival time.
public struct HARContent: Codable, Sendable, Equatable {
    /// Body length in bytes (decoded).
    public var size: Int
    public var compression: Int?
    public var mimeType: String
    public var text: String?
    public var encoding: String?
    /// Synapse: `bodies/<sha256>`, relative to the HAR file's folder.
    public var file: String?
    /// Synapse, `text/event-stream` responses: each event and when it was sent.
    public var events: [HARStreamEvent]?

    public init(
        size: Int, compression: Int? = nil, mimeType: String, text: String? = nil, encoding: String? = nil, file: String? = nil,
        events: [HARStreamEvent]? = nil
    ) {
        self.size = size
        self.compression = compression
        self.mimeType = mimeType
        self.text = text
        self.encoding = encoding
        self.file = file
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case size, compression, mimeType, text, encoding
        case file = "_file"
        case events = "_events"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        size = try c.decodeIfPresent(Int.self, forKey: .size) ?? -1
        compression = try c.decodeIfPresent(Int.self, forKey: .compression)
        mimeType = try c.decodeIfPresent(String.self, forKey: .mimeType) ?? ""
        text = try c.decodeIfPresent(String.self, forKey: .text)
        encoding = try c.decodeIfPresent(String.self, forKey: .encoding)
        file = try c.decodeIfPresent(String.self, forKey: .file)
        events = try c.decodeIfPresent([HARStreamEvent].self, forKey: .events)
    }
}

/// One server-sent event of a recorded stream.
public struct HARStreamEvent: Codable, Sendable, Equatable {
    /// Milliseconds from the start of the response (the head) to the event's last byte.
    public var offsetMs: Double
    /// Byte offset in the body just past the event (its blank line included): the events
    /// partition the body, so playback sends `body[previous end ..< end]` at `offsetMs`.
    public var end: Int
    /// The event's `event:` field, when it had one.
    public var event: String?

    public init(offsetMs: Double, end: Int, event: String? = nil) {
        self.offsetMs = offsetMs
        self.end = end
        self.event = event
    }
}
