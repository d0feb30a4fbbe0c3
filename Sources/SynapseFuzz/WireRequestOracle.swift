import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import SynapseGateway

/// Holds `WireRequestHead` (the gateway's own reading of request heads, ahead of NIO's codec) to
/// NIO's reading of the same bytes: a head it reads whole must be, to NIO's decoder and
/// `HTTP1ToHTTPServerCodec`, the same `HTTPRequest`, followed by a body of the same length.
/// Heads it leaves to NIO (`.unusual`) or waits on (`.incomplete`) are NIO's to judge.
public enum WireRequestOracle {
    /// How the two readings of `bytes` differ, or nil when they agree.
    public static func difference(_ bytes: [UInt8], maxLength: Int = 4096, maxFields: Int = 64) -> String? {
        let buffer = ByteBuffer(bytes: bytes)
        guard case .head(let head) = WireRequestHead.read(buffer, maxLength: maxLength, maxFields: maxFields) else { return nil }
        let ours = head.request(in: buffer)
        // As the server builds its decoder, with limits twice the wire reader's, as in the gateway.
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxLength * 2
        limits.maxHeaderListSize = maxLength * 2
        limits.maxHeaderFieldCount = maxFields
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        do {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(limitConfiguration: limits)))
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            // The head and the body it announces, as much of it as there is: NIO must end the
            // request there when all of it is.
            try channel.writeInbound(ByteBuffer(bytes: bytes.prefix(head.length + head.bodyLength)))
        } catch {
            return "NIO refused a head read whole: \(error)"
        }
        var parts: [HTTPRequestPart] = []
        while let part = try? channel.readInbound(as: HTTPRequestPart.self) { parts.append(part) }
        guard case .head(let theirs) = parts.first else { return "NIO read no head (\(parts.count) parts)" }
        guard theirs == ours else { return "heads differ: NIO \(theirs), wire \(ours)" }
        let body = parts.reduce(0) { sum, part in
            if case .body(let chunk) = part { return sum + chunk.readableBytes }
            return sum
        }
        let arrived = min(head.bodyLength, bytes.count - head.length)
        guard body == arrived else { return "NIO read a body of \(body) bytes, wire \(arrived) of \(head.bodyLength)" }
        if arrived == head.bodyLength, !parts.contains(where: { if case .end = $0 { true } else { false } }) {
            return "NIO did not end the request where the wire reader did"
        }
        return nil
    }
}
