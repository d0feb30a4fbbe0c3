import SynapseHAR
import Testing

/// Redaction, multipart params and the inline rule.
@Suite struct HARRecordingPolicyTests {
    @Test func standardAndConfiguredHeadersAreRedactedInAnyCase() {
        let redactor = HARRedactor(secretHeaders: ["X-Vendor-Key"])
        let result = redactor.headers([
            ("AUTHORIZATION", "Bearer t"), ("x-api-key", "k"), ("Cookie", "a=1"), ("x-vendor-key", "v"), ("Content-Type", "application/json"),
        ])
        #expect(result.headers.map(\.value) == ["[REDACTED]", "[REDACTED]", "[REDACTED]", "[REDACTED]", "application/json"])
        #expect(result.redacted == ["authorization", "x-api-key", "cookie", "x-vendor-key"])
    }

    @Test func secretQueryParametersAreRedactedInTheURLText() {
        let result = HARRedactor().query("a=1&API_KEY=s3cret&token=t0k&b")
        #expect(result.text == "a=1&API_KEY=[REDACTED]&token=[REDACTED]&b")
        #expect(result.items.map(\.value) == ["1", "[REDACTED]", "[REDACTED]", ""])
    }

    @Test func cookiesKeepTheirNamesOnly() {
        let redactor = HARRedactor()
        #expect(redactor.requestCookies(["a=1; b=2"]).map(\.name) == ["a", "b"])
        #expect(redactor.responseCookies(["sid=x; Path=/; HttpOnly"]) == [HARNameValue(name: "sid", value: "[REDACTED]")])
    }

    @Test func multipartPartsAreListedWhateverTheChunking() {
        let body = Array(
            ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
                + String(repeating: "A", count: 300)
                + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nen\r\n--XyZ--\r\n").utf8)
        for size in [1, 5, 64, body.count] {
            var collector = MultipartParamCollector(contentType: "multipart/form-data; boundary=XyZ")!
            for start in stride(from: 0, to: body.count, by: size) { collector.feed(body[start..<min(start + size, body.count)]) }
            #expect(
                collector.finish() == [
                    HARParam(name: "file", fileName: "a.wav", contentType: "audio/wav", size: 300), HARParam(name: "language", value: "en", size: 2),
                ])
        }
        #expect(MultipartParamCollector(contentType: "application/json") == nil)
    }

    @Test func onlySmallTextIsInlined() {
        let policy = HARBodyPolicy()
        #expect(policy.mayInline(mimeType: "application/json; charset=utf-8"))
        #expect(policy.mayInline(mimeType: "text/event-stream"))
        #expect(policy.mayInline(mimeType: "application/vnd.api+json"))
        #expect(!policy.mayInline(mimeType: "audio/wav"))
        #expect(!policy.mayInline(mimeType: "multipart/form-data; boundary=x"))
        #expect(!policy.mayInline(mimeType: "application/octet-stream"))
    }
}
