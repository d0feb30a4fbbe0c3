import Testing

@testable import SynapseGateway

/// Redaction, line folding and truncation of feed messages, as the original sanitises them.
@Suite struct LogLineSanitizerTests {
    static let plain = LogLineSanitizer(maxLineChars: 1200, extraPatterns: "")

    @Test(arguments: [
        ("line one\r\nline two", "line one  \\n line two"),
        ("a\nb", "a \\n b"),
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer [REDACTED]"),
        ("headers authorization:bearer xyz, next", "headers Authorization: Bearer [REDACTED], next"),
        ("sent bearer tok123 upstream", "sent Bearer [REDACTED] upstream"),
        ("api_key=sk-123&x=1", "api_key=[REDACTED]&x=1"),
        ("apikey: abc", "apikey: [REDACTED]"),
        ("API-KEY=abc", "API-KEY=[REDACTED]"),
        ("password=hunter2 user=bob", "password=[REDACTED] user=bob"),
        ("passwd:hunter2", "passwd:[REDACTED]"),
        ("secret = s3", "secret = [REDACTED]"),
        ("Cookie: session=abc; theme=dark", "Cookie: [REDACTED]; theme=dark"),
        (#"{"token": "abc", "n": 1}"#, #"{"token": "[REDACTED]", "n": 1}"#),
        ("max_tokens=100 prompt_tokens: 5", "max_tokens=100 prompt_tokens: 5"),
        ("HTTP Request: GET http://x/health \"HTTP/1.1 200 OK\"", "HTTP Request: GET http://x/health \"HTTP/1.1 200 OK\""),
    ])
    func foldsLinesAndRedactsSecrets(raw: String, published: String) {
        #expect(Self.plain.message(raw) == published)
    }

    @Test func extraPatternsRedactTheirMatchesAndInvalidOnesAreSkipped() {
        let sanitizer = LogLineSanitizer(maxLineChars: 1200, extraPatterns: "sk-[a-z0-9]+||([unclosed|| ||user-\\d+")
        #expect(sanitizer.message("key sk-abc123 for user-42 ok") == "key [REDACTED] for [REDACTED] ok")
    }

    @Test(arguments: [
        // (configured maximum, message length, published length, truncated)
        (1200, 1200, 1200, false),
        (1200, 1201, 1188 + 14, true),
        (100, 256, 256, false),  // the floor is 256
        (100, 257, 244 + 14, true),
    ])
    func longMessagesAreCutWithAMarker(maximum: Int, length: Int, publishedLength: Int, truncated: Bool) {
        let sanitizer = LogLineSanitizer(maxLineChars: maximum, extraPatterns: "")
        let message = sanitizer.message(String(repeating: "x", count: length))
        #expect(message.unicodeScalars.count == publishedLength)
        #expect(message.hasSuffix("...[truncated]") == truncated)
    }

    @Test func lengthsCountUnicodeScalarsAsPythonDoes() {
        let message = Self.plain.message(String(repeating: "é", count: 1300))
        #expect(message == String(repeating: "é", count: 1188) + "...[truncated]")
    }

    @Test func sourceIsTrimmedAndCutTo120Characters() {
        #expect(LogLineSanitizer.source("  httpx \n") == "httpx")
        #expect(LogLineSanitizer.source(String(repeating: "s", count: 200)) == String(repeating: "s", count: 120))
    }
}
