import SynapseCore

/// Generates input number `index` of a run: a seed mutated by a generator seeded from the run's
/// seed and the index alone, so any input can be made again from `(seed, index)` (the supervisor
/// saves a crashing input that way, without the child having to write it).
///
/// Mutations, one to eight stacked, in the manner of libFuzzer's: flip a bit, set a byte, insert
/// or overwrite a dictionary token, insert random bytes, delete or duplicate a range, splice in a
/// piece of another seed, overwrite 1/2/4 bytes with an edge value, truncate.
public struct FuzzInput: Sendable {
    public let seeds: [[UInt8]]
    public let dictionary: [[UInt8]]
    public let maximumSize: Int

    public init(seeds: [[UInt8]], dictionary: [[UInt8]], maximumSize: Int) {
        self.seeds = seeds.isEmpty ? [[]] : seeds
        self.dictionary = dictionary + Self.commonTokens
        self.maximumSize = maximumSize
    }

    /// Numbers and delimiters that break parsers everywhere.
    static let commonTokens: [[UInt8]] = [
        "0", "-1", "1e300", "-1e300", "nan", "inf", "-inf", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "4294967295", "65536", "1.5", "=", ";", ":", ",", "\"", "\\", "\r\n", "\n", "\0", "\u{FF}", "%", "{", "}", "[", "]",
    ].map { Array($0.utf8) }

    static let edgeValues: [UInt32] = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]

    public func input(index: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        var bytes = seeds[Int(generator.next() % UInt64(seeds.count))]
        // Every 16th input is a seed as it is, so the valid paths run too.
        if generator.next() % 16 == 0 { return bytes }
        let mutations = 1 + Int(generator.next() % 8)
        for _ in 0..<mutations { mutate(&bytes, &generator) }
        if bytes.count > maximumSize { bytes.removeLast(bytes.count - maximumSize) }
        return bytes
    }

    private func mutate(_ bytes: inout [UInt8], _ g: inout SplitMix64) {
        func position(_ inclusive: Bool = false) -> Int { Int(g.next() % UInt64(bytes.count + (inclusive ? 1 : 0))) }
        let choice = g.next() % 10
        if bytes.isEmpty, choice != 2, choice != 3 {
            bytes = dictionary[Int(g.next() % UInt64(dictionary.count))]
            return
        }
        switch choice {
        case 0:
            let at = position()
            bytes[at] ^= 1 << UInt8(g.next() % 8)
        case 1:
            bytes[position()] = UInt8(truncatingIfNeeded: g.next())
        case 2:
            bytes.insert(contentsOf: dictionary[Int(g.next() % UInt64(dictionary.count))], at: position(true))
        case 3:
            let count = Int(g.next() % 16) + 1
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) }, at: position(true))
        case 4:
            let start = position()
            let end = min(bytes.count, start + 1 + Int(g.next() % 64))
            bytes.removeSubrange(start..<end)
        case 5:
            let start = position()
            let end = min(bytes.count, start + 1 + Int(g.next() % 256))
            bytes.insert(contentsOf: bytes[start..<end], at: position(true))
        case 6:
            let other = seeds[Int(g.next() % UInt64(seeds.count))]
            guard !other.isEmpty else { return }
            let start = Int(g.next() % UInt64(other.count))
            let end = min(other.count, start + 1 + Int(g.next() % 512))
            bytes.replaceSubrange(position()..<bytes.count, with: other[start..<end])
        case 7:
            let token = dictionary[Int(g.next() % UInt64(dictionary.count))]
            let at = position()
            bytes.replaceSubrange(at..<min(bytes.count, at + token.count), with: token)
        case 8:
            let value = Self.edgeValues[Int(g.next() % UInt64(Self.edgeValues.count))]
            let width = [1, 2, 4][Int(g.next() % 3)]
            let at = position()
            for offset in 0..<width where at + offset < bytes.count {
                bytes[at + offset] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(offset)))
            }
        default:
            bytes.removeLast(Int(g.next() % UInt64(bytes.count)))
        }
    }
}
