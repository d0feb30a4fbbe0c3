import SynapseCore

/// What the gateway does to llama-router's model lists before answering `GET /models` and
/// `GET /v1/models`: attach stored profiles (§2.7) and collapse split GGUF models (§3).
public enum ModelListing {
    /// The profile keys copied into `status.synapse_defaults`: in practice all of them.
    static let defaultsKeys: Set<String> = Set(ModelProfileSchema.generationDefaultKeys + ["runtime_ctx_size", "system_prompt", "reasoning_effort"])

    // MARK: Profiles

    /// `attachProfiles(to:profile:)` with the store's profiles. `list` is the `data` array, or
    /// an object holding one (the whole upstream body); anything else comes back unchanged.
    public static func attachProfiles(to list: JSONValue, store: ModelProfileStore) -> JSONValue {
        attachProfiles(to: list, profile: store.profile(for:))
    }

    /// For each model (an object with a string `id`) whose profile is non-empty:
    /// `status.synapse_profile` = the profile and `status.synapse_defaults` = its default keys;
    /// a `status` that is not an object becomes `{}` first. Other items are left alone.
    public static func attachProfiles(to list: JSONValue, profile: (String) -> [(String, JSONValue)]) -> JSONValue {
        switch list {
        case .array(let models):
            return .array(attachProfiles(to: models, profile: profile))
        case .object(var members):
            guard case .array(let models)? = list["data"] else { return list }
            members.set("data", .array(attachProfiles(to: models, profile: profile)))
            return .object(members)
        default:
            return list
        }
    }

    /// One model with its stored profile attached (see `attachProfiles(to:profile:)`).
    public static func attachProfile(to model: JSONValue, store: ModelProfileStore) -> JSONValue {
        attachProfiles(to: [model], profile: store.profile(for:))[0]
    }

    /// The models of a `data` array with their profiles attached.
    public static func attachProfiles(to models: [JSONValue], profile: (String) -> [(String, JSONValue)]) -> [JSONValue] {
        models.map { model in
            guard case .object(var members) = model, case .string(let id)? = model["id"] else { return model }
            let values = profile(id)
            guard !values.isEmpty else { return model }
            var status: [(String, JSONValue)] = model["status"]?.objectValue ?? []
            status.set("synapse_profile", .object(values))
            status.set("synapse_defaults", .object(values.filter { defaultsKeys.contains($0.0) }))
            members.set("status", .object(status))
            return .object(members)
        }
    }

    // MARK: Split models

    /// A split model id `<base>-<part>-of-<total>` (`^(?P<base>.+)-(?P<part>\d+)-of-(?P<total>\d+)$`),
    /// valid when part ≥ 1, total ≥ 2 and part ≤ total.
    public struct SplitID: Hashable, Sendable {
        public var base: String
        public var part: Int
        public var total: Int

        public init(base: String, part: Int, total: Int) {
            self.base = base
            self.part = part
            self.total = total
        }

        /// Parses as Python's `re.match` does: `\d` is any decimal digit, `.` anything but a
        /// line break, and `$` also matches before one final `\n`.
        public init?(_ id: String) {
            var scalars = Array(id.unicodeScalars)
            if scalars.last == "\n" { scalars.removeLast() }
            func number(endingAt end: Int) -> (value: Int, start: Int)? {
                var start = end
                while start > 0, PythonText.digitValue(scalars[start - 1]) != nil { start -= 1 }
                guard start < end else { return nil }
                var value = 0
                for scalar in scalars[start..<end] {
                    let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                    // The addition can overflow too (`…-of-9223372036854775808`): checked, not trapped.
                    let (sum, carry) = product.addingReportingOverflow(PythonText.digitValue(scalar) ?? 0)
                    guard !overflow, !carry else { return nil }
                    value = sum
                }
                return (value, start)
            }
            guard let total = number(endingAt: scalars.count), total.start >= 4,
                scalars[(total.start - 4)..<total.start].elementsEqual("-of-".unicodeScalars),
                let part = number(endingAt: total.start - 4), part.start >= 2, scalars[part.start - 1] == "-"
            else { return nil }
            let base = scalars[..<(part.start - 1)]
            guard !base.contains("\n"), part.value >= 1, total.value >= 2, part.value <= total.value else { return nil }
            self.base = String(String.UnicodeScalarView(base))
            self.part = part.value
            self.total = total.value
        }
    }

    /// Collapses the parts of each split model into one entry, as `_collapse_split_models` does.
    ///
    /// Parts are grouped by (base, total). The group's entry stands where its first member
    /// stood and is a copy of part 1 (or of the lowest part present), so it keeps that part's
    /// `id`, e.g. `big-00001-of-00003`. When part 1's `status` is an object, its `value` is
    /// merged over the parts whose `status` is an object:
    ///
    /// | any part    | value                                                           |
    /// | ----------- | --------------------------------------------------------------- |
    /// | `loaded`    | `loaded`                                                        |
    /// | `loading`   | `loading`                                                       |
    /// | `unloading` | `unloading`                                                     |
    /// | otherwise   | `unloaded` if every string value is `unloaded`, else unchanged  |
    ///
    /// The last row is the original's quirk, kept: mixed values such as `unloaded` plus
    /// `unknown` (or `failed`) leave part 1's own value as it was; and when no part has a
    /// string value at all, the check holds vacuously and the value becomes `unloaded` even
    /// if part 1 had none. `failed: true` is set when any part's `status.failed` is truthy.
    /// Items that are not split models (or not objects with a string id) pass through.
    public static func collapseSplitModels(_ data: [JSONValue]) -> [JSONValue] {
        func split(_ model: JSONValue) -> SplitID? {
            guard case .string(let id)? = model.objectValue.flatMap({ _ in model["id"] }) else { return nil }
            return SplitID(id)
        }
        struct GroupKey: Hashable {
            var base: String
            var total: Int
        }
        var groups: [GroupKey: [(part: Int, model: JSONValue)]] = [:]
        for model in data {
            guard let id = split(model) else { continue }
            groups[GroupKey(base: id.base, total: id.total), default: []].append((id.part, model))
        }
        guard !groups.isEmpty else { return data }

        var collapsed: [JSONValue] = []
        var emitted = Set<GroupKey>()
        for model in data {
            guard let id = split(model) else {
                collapsed.append(model)
                continue
            }
            let key = GroupKey(base: id.base, total: id.total)
            guard emitted.insert(key).inserted else { continue }
            // A stable sort by part, as Python's `list.sort`: of two equal parts the first listed wins.
            let members = groups[key, default: []].enumerated().sorted { ($0.element.part, $0.offset) < ($1.element.part, $1.offset) }.map(\.element)
            let primary = members.first { $0.part == 1 }?.model ?? members[0].model
            collapsed.append(merged(primary, over: members.map(\.model)))
        }
        return collapsed
    }

    /// `primary` with the merged status of `members`.
    private static func merged(_ primary: JSONValue, over members: [JSONValue]) -> JSONValue {
        guard case .object(var fields) = primary, case .object(var status)? = primary["status"] else { return primary }
        let values = members.compactMap { member -> JSONValue? in
            guard case .object? = member["status"] else { return nil }
            return member["status"]?["value"] ?? .null
        }
        let strings = values.compactMap(\.stringValue)
        func any(_ state: String) -> Bool { strings.contains(state) }
        let value: String? =
            if any("loaded") { "loaded" } else if any("loading") { "loading" } else if any("unloading") {
                "unloading"
            } else if strings.allSatisfy({ $0 == "unloaded" }) { "unloaded" } else { nil }
        if let value { status.set("value", .string(value)) }
        if members.contains(where: { $0["status"]?["failed"]?.isTruthy == true }) {
            status.set("failed", .bool(true))
        }
        fields.set("status", .object(status))
        return .object(fields)
    }
}
