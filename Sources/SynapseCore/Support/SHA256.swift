/// SHA-256 (FIPS 180-4), incremental: `update` with chunks as they arrive, then `finalize`.
///
/// Core has no crypto dependency; this is used for request journals and recordings (body
/// fingerprints), never for security decisions.
public struct SHA256: Sendable {
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var hash: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// Bytes waiting for a full 64-byte block.
    private var pending: [UInt8] = []
    /// Total message length in bytes.
    private var length: UInt64 = 0

    public init() {
        pending.reserveCapacity(64)
    }

    /// Hashes the next chunk of the message.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        length &+= UInt64(bytes.count)
        // Fast path: large contiguous chunks are compressed in place, without copying.
        if pending.isEmpty, bytes.withContiguousStorageIfAvailable({ absorb($0) }) != nil {
            return
        }
        pending.append(contentsOf: bytes)
        let whole = pending.count - pending.count % 64
        guard whole > 0 else { return }
        let blocks = Array(pending[..<whole])
        blocks.withUnsafeBufferPointer { compressBlocks($0) }
        pending.removeFirst(whole)
    }

    /// Pads the message and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { compressBlocks($0) }
        pending = []
        let words = [hash.0, hash.1, hash.2, hash.3, hash.4, hash.5, hash.6, hash.7]
        return words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
    }

    /// The digest of `bytes` as 64 lowercase hex characters.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    /// Lowercase hex of a digest.
    public static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Compression

    /// Compresses whole blocks straight from contiguous input and keeps the remainder pending.
    private mutating func absorb(_ input: UnsafeBufferPointer<UInt8>) {
        let whole = input.count - input.count % 64
        if whole > 0 { compressBlocks(UnsafeBufferPointer(rebasing: input[..<whole])) }
        pending.append(contentsOf: input[whole...])
    }

    private mutating func compressBlocks(_ data: UnsafeBufferPointer<UInt8>) {
        // Unsafe buffers and local state keep this usable in debug builds, where tests hash
        // uploads of tens of megabytes (array bounds checks and tuple copies cost ~5×).
        var h0 = hash.0
        var h1 = hash.1
        var h2 = hash.2
        var h3 = hash.3
        var h4 = hash.4
        var h5 = hash.5
        var h6 = hash.6
        var h7 = hash.7
        Self.roundConstants.withUnsafeBufferPointer { constantBuffer in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { scheduleBuffer in
                guard let bytes = data.baseAddress, let schedule = scheduleBuffer.baseAddress,
                    let constants = constantBuffer.baseAddress
                else { return }
                var offset = 0
                while offset + 64 <= data.count {
                    let block = bytes + offset
                    // `while` loops: range iterators are not inlined in debug builds.
                    var index = 0
                    let words = UnsafeRawPointer(block)
                    while index < 16 {
                        schedule[index] = UInt32(bigEndian: words.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
                        index &+= 1
                    }
                    while index < 64 {
                        let w15 = schedule[index &- 15]
                        let w2 = schedule[index &- 2]
                        let s0 = (w15 >> 7 | w15 << 25) ^ (w15 >> 18 | w15 << 14) ^ (w15 >> 3)
                        let s1 = (w2 >> 17 | w2 << 15) ^ (w2 >> 19 | w2 << 13) ^ (w2 >> 10)
                        schedule[index] = schedule[index &- 16] &+ s0 &+ schedule[index &- 7] &+ s1
                        index &+= 1
                    }
                    var a = h0
                    var b = h1
                    var c = h2
                    var d = h3
                    var e = h4
                    var f = h5
                    var g = h6
                    var h = h7
                    index = 0
                    while index < 64 {
                        let s1 = (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7)
                        let choice = (e & f) ^ (~e & g)
                        let t1 = h &+ s1 &+ choice &+ constants[index] &+ schedule[index]
                        let s0 = (a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        h = g
                        g = f
                        f = e
                        e = d &+ t1
                        d = c
                        c = b
                        b = a
                        a = t1 &+ s0 &+ majority
                        index &+= 1
                    }
                    h0 = h0 &+ a
                    h1 = h1 &+ b
                    h2 = h2 &+ c
                    h3 = h3 &+ d
                    h4 = h4 &+ e
                    h5 = h5 &+ f
                    h6 = h6 &+ g
                    h7 = h7 &+ h
                    offset &+= 64
                }
            }
        }
        hash = (h0, h1, h2, h3, h4, h5, h6, h7)
    }
}
