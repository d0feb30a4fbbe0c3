/// Packs packets of one logical bitstream into Ogg pages (RFC 3533).
///
/// Page layout: `"OggS"`, version 0, flags (1 continued, 2 first page, 4 last page), 64-bit granule
/// position, serial number, page sequence number, CRC-32 (Ogg polynomial, computed with the field
/// zeroed), segment count, lacing values, then the data. A page's granule position is that of the last
/// packet that *ends* on it, or -1 when none does.
public struct OggStreamWriter: Sendable {
    /// Bitstream serial number written into every page.
    public let serialNumber: UInt32
    /// Page data size at which a page is closed even if more segments would fit. Default 4096 bytes.
    public let targetPageSize: Int

    private var output: [UInt8] = []
    private var sequence: UInt32 = 0
    private var lacing: [UInt8] = []
    private var data: [UInt8] = []
    private var granule: Int64 = -1
    private var pageStartsInsidePacket = false
    private var wroteFirstPage = false

    public init(serialNumber: UInt32, targetPageSize: Int = 4096) {
        self.serialNumber = serialNumber
        self.targetPageSize = targetPageSize
    }

    /// Adds one packet ending at `granulePosition`; `flush` closes the page after it (header packets
    /// must sit on pages of their own).
    public mutating func addPacket(_ packet: [UInt8], granulePosition: Int64, flush: Bool = false) {
        var offset = 0
        var remaining = packet.count
        while true {
            let segment = min(remaining, 255)
            lacing.append(UInt8(segment))
            data.append(contentsOf: packet[offset..<offset + segment])
            offset += segment
            remaining -= segment
            // A segment shorter than 255 (possibly 0) ends the packet.
            let packetEnded = segment < 255
            if packetEnded { granule = granulePosition }
            if lacing.count == 255 {
                emitPage(isLast: false)
                pageStartsInsidePacket = !packetEnded
            }
            if packetEnded { break }
        }
        if flush || data.count >= targetPageSize, !lacing.isEmpty {
            emitPage(isLast: false)
            pageStartsInsidePacket = false
        }
    }

    /// Closes the stream (the last page carries the end-of-stream flag) and returns all pages.
    public mutating func finish() -> [UInt8] {
        emitPage(isLast: true)
        return output
    }

    private mutating func emitPage(isLast: Bool) {
        var flags: UInt8 = 0
        if pageStartsInsidePacket { flags |= 0x01 }
        if !wroteFirstPage { flags |= 0x02 }
        if isLast { flags |= 0x04 }
        var page: [UInt8] = Array("OggS".utf8)
        page.append(0)  // stream structure version
        page.append(flags)
        let granuleBits = UInt64(bitPattern: granule)
        for shift in stride(from: 0, to: 64, by: 8) { page.append(UInt8(truncatingIfNeeded: granuleBits >> UInt64(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { page.append(UInt8(truncatingIfNeeded: serialNumber >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { page.append(UInt8(truncatingIfNeeded: sequence >> UInt32(shift))) }
        let crcOffset = page.count
        page.append(contentsOf: [0, 0, 0, 0])
        page.append(UInt8(lacing.count))
        page.append(contentsOf: lacing)
        page.append(contentsOf: data)
        let crc = AudioChecksum.oggCRC32(page)
        for index in 0..<4 { page[crcOffset + index] = UInt8(truncatingIfNeeded: crc >> UInt32(index * 8)) }
        output.append(contentsOf: page)
        sequence += 1
        wroteFirstPage = true
        lacing.removeAll(keepingCapacity: true)
        data.removeAll(keepingCapacity: true)
        granule = -1
    }
}
