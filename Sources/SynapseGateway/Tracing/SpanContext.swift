/// One span's place in a trace, as W3C Trace Context carries it between processes:
/// `traceparent: 00-<trace id, 32 hex>-<span id, 16 hex>-<flags>` and the opaque `tracestate`.
public struct SpanContext: Sendable, Equatable {
    public var traceID: TraceID
    public var spanID: UInt64
    /// The `sampled` flag: whether this trace is recorded (by the gateway, and so by whoever
    /// follows the parent's decision).
    public var sampled: Bool
    /// The client's `tracestate`, passed on unchanged (the gateway adds no entry of its own).
    public var state: String?

    public struct TraceID: Sendable, Hashable {
        public var high: UInt64
        public var low: UInt64
        public var hex: String { Hex.encode(high) + Hex.encode(low) }
    }

    public var spanIDHex: String { Hex.encode(spanID) }

    /// The `traceparent` value naming this span as the parent; written into one buffer, as it
    /// is on every backend request.
    public var traceparent: String {
        String(unsafeUninitializedCapacity: 55) { buffer in
            let dash = UInt8(ascii: "-")
            let zero = UInt8(ascii: "0")
            buffer[0] = zero
            buffer[1] = zero
            buffer[2] = dash
            Hex.write(traceID.high, into: buffer, at: 3)
            Hex.write(traceID.low, into: buffer, at: 19)
            buffer[35] = dash
            Hex.write(spanID, into: buffer, at: 36)
            buffer[52] = dash
            buffer[53] = zero
            buffer[54] = sampled ? UInt8(ascii: "1") : zero
            return 55
        }
    }

    /// A `traceparent` value's trace id, parent span id and flags; nil for anything the
    /// specification says to ignore (then the gateway starts a trace of its own).
    ///
    /// Version `00` is exactly 55 characters; a higher version may append `-…` fields, which are
    /// ignored; version `ff`, upper-case hex, and all-zero ids are invalid.
    static func parse(traceparent value: String) -> (traceID: TraceID, parent: UInt64, flags: UInt8)? {
        let bytes = Array(value.utf8)
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return nil }
        guard let version = Hex.decode(bytes[0..<2]), version != 0xff else { return nil }
        if version == 0 ? bytes.count != 55 : bytes.count > 55 && bytes[55] != UInt8(ascii: "-") { return nil }
        guard let high = Hex.decode(bytes[3..<19]), let low = Hex.decode(bytes[19..<35]), let parent = Hex.decode(bytes[36..<52]),
            let flags = Hex.decode(bytes[53..<55]), high | low != 0, parent != 0
        else { return nil }
        return (TraceID(high: high, low: low), parent, UInt8(flags))
    }

    /// A `tracestate` worth passing on: at most 512 characters of visible ASCII (the
    /// specification's limit); anything else is dropped rather than forwarded broken.
    static func acceptable(tracestate value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 512, value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return value
    }
}

/// Lower-case hex, as trace context and OTLP/JSON write ids.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// 16 digits, zero-padded.
    static func encode(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            write(value, into: buffer, at: 0)
            return 16
        }
    }

    /// Writes `value`'s 16 digits at `offset`.
    static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<16 { buffer[offset + index] = digits[Int((value >> (60 - 4 * UInt64(index))) & 0xf)] }
    }

    /// At most 16 lower-case hex digits; nil for any other character.
    static func decode(_ digits: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }
}
