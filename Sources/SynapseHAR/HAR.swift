/// The HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/), as Synapse writes it
/// and as browsers export it.
///
/// Decoding is lenient where exporters differ (Chrome and Firefox leave out fields the spec calls
/// required, or write -1); encoding writes every required field. Synapse's own additions start
/// with an underscore, as the spec asks of custom fields, so HAR viewers ignore them.
public struct HARDocument: Codable, Sendable, Equatable {
    public var log: HARLog

    public init(log: HARLog) {
        self.log = log
    }
}

public struct HARLog: Codable, Sendable, Equatable {
    public var version: String
    public var creator: HARCreator
    public var browser: HARCreator?
    public var entries: [HAREntry]
    public var comment: String?

    public init(version: String = "1.2", creator: HARCreator, browser: HARCreator? = nil, entries: [HAREntry] = [], comment: String? = nil) {
        self.version = version
        self.creator = creator
        self.browser = browser
        self.entries = entries
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey { case version, creator, browser, entries, comment }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(String.self, forKey: .version) ?? "1.2"
        creator = try c.decodeIfPresent(HARCreator.self, forKey: .creator) ?? HARCreator(name: "unknown", version: "")
        browser = try c.decodeIfPresent(HARCreator.self, forKey: .browser)
        entries = try c.decode([HAREntry].self, forKey: .entries)
        comment = try c.decodeIfPresent(String.self, forKey: .comment)
    }
}

public struct HARCreator: Codable, Sendable, Equatable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// A name/value pair: headers, query parameters and cookies.
public struct HARNameValue: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case name, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decodeIfPresent(String.self, forKey: .value) ?? ""
    }
}
