import Foundation
import SynapseCore
import Testing

@Suite struct JSONValuePathsTests {
    let document = try! JSONValue.parse(#"{"data":[{"id":"a"},{"id":"b","n":[1,2.5]}],"error":{"code":"x"}}"#)

    @Test func dottedPathsReadMembersIndexesNegativeIndexesAndLengths() {
        #expect(document.value(at: "error.code") == .string("x"))
        #expect(document.value(at: "data.1.id") == .string("b"))
        #expect(document.value(at: "data.-1.n.1") == .double(2.5))
        #expect(document.value(at: "data.#") == .int(2))
        #expect(document.value(at: "") == document)
        #expect(document.value(at: "data.2") == nil)
        #expect(document.value(at: "error.code.more") == nil)
    }

    @Test func mergingReplacesScalarsMergesObjectsAndAppendsNewKeys() {
        let base = JSONValue.obj(("a", .int(1)), ("o", .obj(("x", .int(1)), ("y", .int(2)))))
        let merged = base.merged(with: .obj(("o", .obj(("y", .int(3)), ("z", .int(4)))), ("b", .bool(true))))
        #expect(merged.text() == #"{"a":1,"o":{"x":1,"y":3,"z":4},"b":true}"#)
        #expect(base.merged(with: .int(5)) == .int(5))
    }

    @Test func typeNamesAreJSONsOwn() {
        #expect(
            [JSONValue.null, .bool(true), .int(1), .double(1), .string(""), .array([]), .object([])].map(\.typeName)
                == ["null", "boolean", "number", "number", "string", "array", "object"])
    }

    @Test func measuredNumbersAreIntegersWhenTheyAreWhole() {
        #expect(JSONValue.number(3) == .int(3))
        #expect(JSONValue.number(-0.5) == .double(-0.5))
        #expect(JSONValue.number(1e300) == .double(1e300))
        #expect(JSONValue.number(.nan).text() == "null")
    }

    @Test func sortingKeysOrdersEveryObjectByteWise() {
        let value = JSONValue.obj(("type", .int(1)), ("backend", .array([.obj(("b", .null), ("a", .null))])), ("request_id", .int(2)), ("code", .int(3)))
        #expect(value.sortingKeys().text() == #"{"backend":[{"a":null,"b":null}],"code":3,"request_id":2,"type":1}"#)
    }

    @Test func encodingKeepsNumberKindsAndTheLastOfRepeatedKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = try JSONValue.parse(#"{"k":1,"f":1.5,"k":"last","a":[true,null]}"#)
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(text == #"{"a":[true,null],"f":1.5,"k":"last"}"#)
    }
}
