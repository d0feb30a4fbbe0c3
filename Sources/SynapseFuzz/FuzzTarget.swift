/// One parser (or the whole HTTP layer) that faces untrusted input, driven by generated inputs.
///
/// A target must not trap on any input: throwing, refusing or answering an error is fine. The
/// supervisor runs it in a child process, so a trap is seen as the child dying.
public protocol FuzzTarget: Sendable {
    /// The name used on the command line and for the seed folder `Fixtures/fuzz/<name>/`.
    var name: String { get }
    /// Inputs that exercise the parser's valid paths, used when the seed folder is empty or missing.
    var builtInSeeds: [[UInt8]] { get }
    /// Tokens the mutator splices in (keywords, delimiters, numbers at the edges of ranges).
    var dictionary: [[UInt8]] { get }
    /// Largest generated input in bytes.
    var maximumInputSize: Int { get }
    /// Runs `body` with whatever the target needs alive (servers, sockets); parser targets just call it.
    func withSession(_ body: @Sendable (any FuzzSession) async throws -> Void) async throws
}

/// Feeds one input at a time to a prepared target.
public protocol FuzzSession: Sendable {
    func execute(_ input: [UInt8]) async
}

/// A target that is one synchronous function of the input bytes.
public struct ParserTarget: FuzzTarget {
    public let name: String
    public let builtInSeeds: [[UInt8]]
    public let dictionary: [[UInt8]]
    public let maximumInputSize: Int
    let parse: @Sendable ([UInt8]) -> Void

    public init(
        name: String, seeds: [[UInt8]], dictionary: [String] = [], maximumInputSize: Int = 64 * 1024,
        parse: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.name = name
        self.builtInSeeds = seeds
        self.dictionary = dictionary.map { Array($0.utf8) }
        self.maximumInputSize = maximumInputSize
        self.parse = parse
    }

    public func withSession(_ body: @Sendable (any FuzzSession) async throws -> Void) async throws {
        try await body(Session(parse: parse))
    }

    struct Session: FuzzSession {
        let parse: @Sendable ([UInt8]) -> Void
        func execute(_ input: [UInt8]) async { parse(input) }
    }
}

/// Every target, by name.
public enum FuzzTargets {
    public static var all: [any FuzzTarget] {
        [wav, multipart, faultSpec, config, scenario, json, mockJSON, audio, relayResponse, wireRequest, HTTPTarget()]
    }

    public static func named(_ name: String) -> (any FuzzTarget)? { (all + [trapCheck]).first { $0.name == name } }

    /// Not in `all`: traps on any input holding a `!`, so `scripts/fuzz.sh` can check that the
    /// supervisor notices a dying worker, saves the input and carries on.
    static let trapCheck = ParserTarget(name: "trap-check", seeds: [Array("!".utf8), Array("abc".utf8)], dictionary: ["!"]) { bytes in
        if bytes.contains(0x21) { fatalError("trap-check: input holds '!'") }
    }
}
