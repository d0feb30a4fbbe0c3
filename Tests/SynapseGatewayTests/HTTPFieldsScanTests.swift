import HTTPTypes
import Testing

@testable import SynapseGateway

/// The scans that stand in for HTTPTypes' subscript on the fast path give what the subscript gives.
@Suite struct HTTPFieldsScanTests {
    static let fields: HTTPFields = [
        .contentType: "application/json", .cookie: "a=1", HTTPField.Name("X-Team")!: "one", .cookie: "b=2", HTTPField.Name("x-team")!: "two",
        .authorization: "",
    ]

    @Test(arguments: [
        HTTPField.Name.contentType, .cookie, HTTPField.Name("X-Team")!, .authorization, .origin, .connection,
    ])
    func aScanFindsWhatTheSubscriptFinds(name: HTTPField.Name) {
        #expect(Self.fields.value(of: name) == Self.fields[name])
        #expect(Self.fields.values(of: name) == Self.fields[values: name])
    }

    @Test func settingAppendsAnAbsentNameAndReplacesAPresentOne() {
        var scanned = Self.fields
        var subscripted = Self.fields
        for (name, value) in [(HTTPField.Name.date, "now"), (HTTPField.Name("x-team")!, "three"), (.contentType, "text/plain")] {
            scanned.set(value, for: name)
            subscripted[name] = value
        }
        #expect(scanned == subscripted)
        #expect(scanned[HTTPField.Name("X-Team")!] == "three")
    }
}
