import Foundation
import Testing

@testable import SynapseGateway

@Suite struct JSONSyntaxTests {
    static let valid = [
        #"{}"#, #"[]"#, #" {"a": [1, -2.5e+3, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"]} "#, #""s""#, "0", "-0.1",
        #"{"input":"The quick brown fox","model":"m","n":[[1,2],[3]]}"#, "\"ünïcode ✓\"",
    ]
    static let invalid = [
        "", " ", "{", #"{"a":}"#, #"{"a" 1}"#, #"{a:1}"#, "[1,]", "[1 2]", "01", "1.", "-", "1e", "+1", "tru", "nul",
        #""unterminated"#, "\"bad \\x escape\"", "\"\\u12g4\"", "{} {}", "\"tab\tinside\"", "NaN",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ]

    @Test(arguments: valid) func acceptsValidJSON(_ text: String) {
        let problem = Array(text.utf8).withUnsafeBytes { JSONSyntax.problem(in: $0) }
        #expect(problem == nil)
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil, "the oracle agrees")
    }

    @Test(arguments: invalid) func rejectsInvalidJSON(_ text: String) {
        let problem = Array(text.utf8).withUnsafeBytes { JSONSyntax.problem(in: $0) }
        #expect(problem != nil)
    }
}
