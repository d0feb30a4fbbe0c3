import SynapseCore
import Testing

@Suite struct JSONValueTests {
    // MARK: Writing

    @Test func compactTextKeepsKeyOrderAndKeepsIntsApartFromFloats() {
        let value = JSONValue.obj(("z", .int(1)), ("a", .double(1)), ("m", .array([.null, .bool(true), .string("x")])))
        #expect(value.text() == #"{"z":1,"a":1.0,"m":[null,true,"x"]}"#)
    }

    @Test func pythonDumpsUsesSpacedSeparatorsAndEscapesNonASCII() {
        let value = JSONValue.obj(("text", .string("héllo 😀")), ("items", .array([.int(1), .int(2)])))
        #expect(value.text(.pythonDumps) == #"{"text": "h\u00e9llo \ud83d\ude00", "items": [1, 2]}"#)
        #expect(value.text(.pythonCompact) == #"{"text":"héllo 😀","items":[1,2]}"#)
    }

    @Test func controlCharactersAreEscapedByNameOrAsLowercaseHex() {
        #expect(JSONValue.string("a\"\\\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}").text() == #""a\"\\\n\r\t\b\f\u0001\u001f\#u{7F}""#)
        #expect(JSONValue.string("\u{7F}").text(.pythonDumps) == #""\u007f""#)
    }

    @Test(arguments: [
        (1.0, "1.0"), (0.5, "0.5"), (0.1, "0.1"), (1e-05, "1e-05"), (1e16, "1e+16"), (-0.0, "-0.0"),
        (1_000_000_000_000_000.0, "1000000000000000.0"), (Double(Float(0.8)), "0.800000011920929"),
        (-1.2331109246588312e-05, "-1.2331109246588312e-05"),
    ])
    func finiteFloatsUseShortestRoundTripDigitsInEveryFormat(value: Double, text: String) {
        #expect(JSONFloatFormat.shortest.spell(value) == text)
        #expect(JSONFloatFormat.pythonRepr.spell(value) == text)
    }

    @Test func nonFiniteFloatsAreNullForNlohmannAndNamedForPython() {
        let value = JSONValue.array([.double(.nan), .double(.infinity), .double(-.infinity)])
        #expect(value.text() == "[null,null,null]")
        #expect(value.text(.pythonCompact) == "[NaN,Infinity,-Infinity]")
    }

    @Test func aCustomFloatFormatIsUsedForEveryFloat() {
        let fixed = JSONStyle(floats: JSONFloatFormat { _ in "0" })
        #expect(JSONValue.array([.double(1.5), .int(2)]).text(fixed) == "[0,2]")
    }

    @Test func indentedTextMatchesPythonIndentMode() {
        let value = JSONValue.obj(("name", .string("é")), ("refs", .array([.string("a"), .string("b")])), ("empty", .array([])), ("o", .obj()))
        let expected = """
            {
              "name": "é",
              "refs": [
                "a",
                "b"
              ],
              "empty": [],
              "o": {}
            }
            """
        #expect(value.text(.indented(2)) == expected)
    }

    // MARK: Parsing

    @Test func parsingKeepsOrderRepeatedKeysAndNumberKinds() throws {
        let value = try JSONValue.parse(#" {"b": 1, "a": [1.5, -0, 2e3, 12345678901234567890], "b": "x"} "#)
        #expect(value.objectValue?.map(\.0) == ["b", "a", "b"])
        #expect(value["b"] == .string("x"))
        #expect(value["a"] == .array([.double(1.5), .int(0), .double(2000), .double(12_345_678_901_234_567_890)]))
    }

    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":{"d":"é\n\u00e9\ud83d\ude00"},"e":-1.25e-3}"#,
        #"[]"#, #"{}"#, #""\"\\\/\b\f\n\r\t""#, "0", "-0.5",
    ])
    func compactTextRoundTrips(source: String) throws {
        let value = try JSONValue.parse(source)
        #expect(try JSONValue.parse(value.text()) == value)
        #expect(try JSONValue.parse(value.text(.pythonDumps)) == value)
        #expect(try JSONValue.parse(value.text(.indented(4))) == value)
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEndOfInput, 0),
        ("   ", .unexpectedEndOfInput, 3),
        ("[1,]", .expectedValue, 3),
        ("{\"a\" 1}", .expectedColon, 5),
        ("{\"a\":1,}", .expectedKey, 7),
        ("{'a':1}", .expectedKey, 1),
        ("[1 2]", .expectedCommaOrEnd, 3),
        ("[tru]", .invalidLiteral, 1),
        ("[nul", .unexpectedEndOfInput, 4),
        ("01", .trailingCharacters, 1),
        ("[1.]", .invalidNumber, 3),
        ("-x", .invalidNumber, 1),
        ("1e+", .unexpectedEndOfInput, 3),
        ("NaN", .expectedValue, 0),
        ("\"ab\u{01}\"", .controlCharacterInString, 3),
        ("\"a\\x\"", .invalidEscape, 2),
        ("\"a\\u12G4\"", .invalidUnicodeEscape, 2),
        ("\"\\udc00\"", .invalidUnicodeEscape, 1),
        ("\"\\ud83d\\u0041\"", .invalidUnicodeEscape, 7),
        ("\"abc", .unexpectedEndOfInput, 4),
        ("{} x", .trailingCharacters, 3),
    ])
    func errorsNameTheReasonAndTheByteOffset(source: String, reason: JSONParseError.Reason, offset: Int) {
        #expect(throws: JSONParseError(reason, at: offset)) { try JSONValue.parse(source) }
    }

    @Test func invalidUTF8IsReportedAtItsFirstByte() {
        let bytes: [UInt8] = Array("[\"é\\n".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: JSONParseError(.invalidUTF8, at: 6)) { try JSONValue.parse(bytes) }
    }

    @Test func deepNestingIsRefusedInsteadOfOverflowingTheStack() {
        let source = String(repeating: "[", count: JSONValue.maximumDepth + 1) + String(repeating: "]", count: JSONValue.maximumDepth + 1)
        #expect(throws: JSONParseError(.tooDeeplyNested, at: JSONValue.maximumDepth)) { try JSONValue.parse(source) }
        let fits = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect((try? JSONValue.parse(fits)) != nil)
    }

    // MARK: Values

    @Test func equalityIsStructuralAndOrderSensitive() {
        #expect(JSONValue.int(1) != .double(1))
        #expect(JSONValue.double(.nan) == .double(.nan))
        #expect(JSONValue.obj(("a", .int(1)), ("b", .int(2))) != .obj(("b", .int(2)), ("a", .int(1))))
        #expect(JSONValue.double(3).intValue == 3)
        #expect(JSONValue.double(3.5).intValue == nil)
        #expect(JSONValue.int(2).doubleValue == 2)
    }
}
