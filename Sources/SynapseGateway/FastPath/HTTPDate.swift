import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `Date` header's value (RFC 9110's IMF-fixdate, `Mon, 07 Dec 2026 14:49:03 GMT`), formatted
/// once per second. Hummingbird stamps every answer it writes with one (replacing a backend's), so
/// the fast path's answers carry it too.
final class HTTPDate: Sendable {
    static let shared = HTTPDate()
    private let cached = Mutex<(second: Int, value: String)>((-1, ""))

    var now: String {
        var now = time(nil)
        let second = Int(now)
        if let value = cached.withLock({ $0.second == second ? $0.value : nil }) { return value }
        var parts = tm()
        var buffer = [Int8](repeating: 0, count: 64)
        // strftime's day and month names are the C locale's, which the process never changes.
        guard gmtime_r(&now, &parts) != nil, strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts) > 0 else { return "" }
        let value = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        cached.withLock { $0 = (second, value) }
        return value
    }
}
