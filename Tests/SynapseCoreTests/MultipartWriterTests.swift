import SynapseCore
import Testing

@Suite struct MultipartWriterTests {
    @Test func aWrittenBodyParsesBackToTheSameParts() throws {
        let writer = MultipartWriter(boundary: "synapse-test-1")
        let audio: [UInt8] = [0x52, 0x49, 0x46, 0x46, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF]
        let body = writer.body([
            .init(name: "language", value: "en"),
            .init(name: "file", filename: "clip.wav", contentType: "audio/wav", body: audio),
        ])
        let parts = try MultipartForm.parse(body: body, boundary: "synapse-test-1")
        #expect(parts.map(\.name) == ["language", "file"])
        #expect(parts[0].body == Array("en".utf8) && parts[0].filename == nil && parts[0].contentType == nil)
        #expect(parts[1].body == audio && parts[1].filename == "clip.wav" && parts[1].contentType == "audio/wav")
        #expect(writer.contentType == "multipart/form-data; boundary=synapse-test-1")
    }

    @Test func theBytesAreTheUsualCRLFFraming() {
        let writer = MultipartWriter(boundary: "b")
        let text = String(decoding: writer.body([.init(name: "files", filename: "a.wav", contentType: "audio/wav", body: Array("RIFF".utf8))]), as: UTF8.self)
        #expect(text == "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\n--b--\r\n")
    }

    @Test func headAndTailFrameAStreamedPartLikeAWholeOne() {
        let writer = MultipartWriter(boundary: "stream")
        let chunks: [[UInt8]] = [[1, 2, 3], [4, 5], [6]]
        var streamed = writer.partHead(name: "file", filename: "big.bin", contentType: "application/octet-stream")
        for chunk in chunks { streamed += chunk }
        streamed += MultipartWriter.partTail + writer.end
        let whole = writer.body([.init(name: "file", filename: "big.bin", contentType: "application/octet-stream", body: chunks.flatMap { $0 })])
        #expect(streamed == whole)
    }

    @Test func quotesAndLineBreaksInNamesCannotEndTheHeader() throws {
        let writer = MultipartWriter(boundary: "q")
        let head = String(decoding: writer.partHead(name: "a\"b", filename: "x\r\nContent-Type: text/html.wav"), as: UTF8.self)
        #expect(head == "--q\r\nContent-Disposition: form-data; name=\"a%22b\"; filename=\"x%0D%0AContent-Type: text/html.wav\"\r\n\r\n")
        let parts = try MultipartForm.parse(body: writer.body([.init(name: "a\"b", filename: "x\r\ny", body: [])]), boundary: "q")
        #expect(parts.count == 1 && parts[0].contentType == nil)
    }

    @Test(arguments: ["", String(repeating: "x", count: 71), "has space", "semi;colon", "quote\"d"])
    func unusableBoundariesAreRecognised(boundary: String) {
        #expect(!MultipartWriter.isValid(boundary: boundary))
    }

    @Test func boundariesOfTheUsualShapesAreValid() {
        #expect(MultipartWriter.isValid(boundary: "----oracleBoundary7MA4YWxkTrZu0gW"))
        #expect(MultipartWriter.isValid(boundary: String(repeating: "x", count: 70)))
    }
}
