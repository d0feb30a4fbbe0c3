import Foundation

/// The compact one-line form of a fault, used by the `X-Mock-Fault` request header.
///
/// Grammar: `kind[=value][;key=value]…`. The value after the kind fills the kind's main field;
/// other keys are the JSON field names. Numbers are numbers, everything else is a string.
///
/// | header                                  | same as                                                  |
/// | --------------------------------------- | -------------------------------------------------------- |
/// | `status=503`                            | `{"kind":"status","status":503}`                         |
/// | `status=429;retry_after=2`              | `{"kind":"status","status":429,"retry_after":2}`         |
/// | `latency=200;jitter_ms=50`              | `{"kind":"latency","ms":200,"jitter_ms":50}`             |
/// | `reset` / `reset=before_request`        | `{"kind":"reset","phase":"before_request"}`              |
/// | `hang`, `refuse`, `load_failure`        | `{"kind":"hang"}`                                        |
/// | `malformed=garbage`                     | `{"kind":"malformed","variant":"garbage"}`               |
/// | `slow_body=1000`                        | `{"kind":"slow_body","bytes_per_second":1000}`           |
/// | `truncate=100` / `truncate;after_events=2` | `{"kind":"truncate","after_bytes":100}`               |
/// | `stall=2;ms=500`                        | `{"kind":"stall","after_events":2,"ms":500}`             |
extension FaultSpec {
    /// The JSON field the value after the kind fills.
    static func primaryField(of kind: Kind) -> String? {
        switch kind {
        case .latency: "ms"
        case .status: "status"
        case .reset: "phase"
        case .malformed: "variant"
        case .slowBody: "bytes_per_second"
        case .truncate: "after_bytes"
        case .stall: "after_events"
        case .refuse, .hang, .loadFailure: nil
        }
    }

    /// Parses the compact form; throws `DecodingError` with a readable description when invalid.
    public init(compact text: String) throws {
        var object: [(String, JSONValue)] = []
        /// Sets a member; a repeated name keeps its last value.
        func set(_ key: String, _ value: JSONValue) {
            if let index = object.firstIndex(where: { $0.0 == key }) { object[index].1 = value } else { object.append((key, value)) }
        }
        let pairs = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = pairs.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "empty fault"))
        }
        for (index, pair) in pairs.enumerated() {
            // Empty pieces are kept so `=` or `=5` reach the check below as an empty key (never an empty array).
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { String($0).trimmingCharacters(in: .whitespaces) }
            guard let key = pieces.first, !key.isEmpty else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "fault part \"\(pair)\" has no name before \"=\""))
            }
            let value = pieces.count > 1 ? pieces[1] : nil
            if index == 0 {
                set("kind", .string(key))
                guard let value else { continue }
                guard let kind = Kind(rawValue: key), let field = Self.primaryField(of: kind) else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: [], debugDescription: "fault \"\(first)\" takes no value after its kind"))
                }
                set(field, Self.compactValue(value))
            } else {
                set(key, value.map(Self.compactValue) ?? .bool(true))
            }
        }
        self = try JSONDecoder().decode(FaultSpec.self, from: Data(JSONValue.object(object).bytes()))
    }

    private static func compactValue(_ text: String) -> JSONValue {
        if let integer = Int(text) { return .int(integer) }
        // `nan` and `inf` parse as doubles but have no JSON form.
        if let double = Double(text), double.isFinite { return .double(double) }
        return .string(text)
    }
}
