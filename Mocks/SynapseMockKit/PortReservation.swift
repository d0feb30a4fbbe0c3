#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Holds a refusing mock's port: a TCP socket bound to it (with `SO_REUSEADDR`) that never
/// listens, so connections to the port are still refused (RST, `ECONNREFUSED`) while nobody else —
/// another test's server binding port 0, an outgoing connection's ephemeral port — can take it
/// before the mock re-binds. Without it a cleared `refuse` could find its port gone.
///
/// Both it and the mock's listening sockets set `SO_REUSEADDR` and `SO_REUSEPORT`, so the
/// reservation binds while the old listener still listens (the port is never free for a moment),
/// the new listener binds beside it, and the reservation is released once the mock listens again.
/// A socket bound without listening takes no connections: the kernel refuses them.
final class PortReservation: Sendable {
    private let descriptor: Int32

    /// Nil when `host` is not a numeric IPv4 or IPv6 address, or the bind fails (the mock then
    /// re-binds as before, without the guarantee).
    init?(host: String, port: Int) {
        var storage = sockaddr_storage()
        let length: socklen_t
        let family: Int32
        if let address = Self.ipv4(host, port: port) {
            withUnsafeMutableBytes(of: &storage) { raw in raw.storeBytes(of: address, as: sockaddr_in.self) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
        } else if let address = Self.ipv6(host, port: port) {
            withUnsafeMutableBytes(of: &storage) { raw in raw.storeBytes(of: address, as: sockaddr_in6.self) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
        } else {
            return nil
        }
        #if canImport(Glibc)
            let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(family, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 }
        }
        guard bound else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    private static func ipv4(_ host: String, port: Int) -> sockaddr_in? {
        var address = sockaddr_in()
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        return address
    }

    private static func ipv6(_ host: String, port: Int) -> sockaddr_in6? {
        var address = sockaddr_in6()
        guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return nil }
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        return address
    }
}
