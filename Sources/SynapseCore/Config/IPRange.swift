#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address block in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address
/// (`192.168.1.10`, `::1`). Used for `gateway.trustedProxies`; parsed once, at load time.
///
/// IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`, which a dual-stack listener reports for IPv4
/// clients) are compared as the IPv4 address they carry.
public struct IPRange: Sendable, Equatable, CustomStringConvertible {
    /// Network address bytes: 4 for IPv4, 16 for IPv6.
    public let network: [UInt8]
    /// Number of leading bits that must match.
    public let prefixLength: Int

    public var description: String {
        let address =
            network.count == 4
            ? network.map(String.init).joined(separator: ".")
            : Self.ipv6Text(network)
        return "\(address)/\(prefixLength)"
    }

    /// Parses `address[/prefix]`; nil when it is not an IP address with a prefix in range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let bytes = Self.bytes(of: String(first)) else { return nil }
        let maximum = bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maximum).contains(parsed), parts[1].allSatisfy(\.isNumber) else { return nil }
            length = parsed
        }
        // Host bits are cleared, so `10.1.2.3/8` means `10.0.0.0/8`.
        self.network = Self.masked(bytes, prefixLength: length)
        self.prefixLength = length
    }

    /// Whether `address` (a textual IP address, as `SocketAddress.ipAddress` gives it) is in the block.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address), bytes.count == network.count else { return false }
        return Self.masked(bytes, prefixLength: prefixLength) == network
    }

    /// The address's bytes (4 or 16; IPv4-mapped IPv6 as 4); nil when it is not an IP address.
    /// A zone (`fe80::1%eth0`) is ignored.
    public static func bytes(of text: String) -> [UInt8]? {
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        guard !address.isEmpty, address.utf8.count < 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsKept = min(max(prefixLength - index * 8, 0), 8)
            result[index] &= bitsKept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsKept))
        }
        return result
    }

    private static func ipv6Text(_ bytes: [UInt8]) -> String {
        stride(from: 0, to: bytes.count, by: 2)
            .map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
