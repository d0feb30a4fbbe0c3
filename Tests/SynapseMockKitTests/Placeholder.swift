import Testing

@Suite struct PlaceholderSuite { @Test func builds() { #expect(Bool(true)) } }
