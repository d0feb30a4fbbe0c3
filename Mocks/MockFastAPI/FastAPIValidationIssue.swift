import SynapseCore

/// One pydantic-v2 validation error as FastAPI renders it in a 422 body:
/// `{"type":…,"loc":["body",…],"msg":…,"input":…[,"ctx":{…}]}` in that key order.
public struct FastAPIValidationIssue: Sendable {
    public var type: String
    public var loc: [JSONValue]
    public var msg: String
    public var input: JSONValue
    public var ctx: [(String, JSONValue)]? = nil

    public init(type: String, loc: [JSONValue], msg: String, input: JSONValue, ctx: [(String, JSONValue)]? = nil) {
        self.type = type
        self.loc = loc
        self.msg = msg
        self.input = input
        self.ctx = ctx
    }

    /// The issue as one entry of the 422 body's `detail` list.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string(type)), ("loc", .array(loc)), ("msg", .string(msg)), ("input", input),
        ]
        if let ctx { members.append(("ctx", .object(ctx))) }
        return .object(members)
    }

    /// The whole 422 body for a list of issues.
    public static func body(_ issues: [FastAPIValidationIssue]) -> JSONValue {
        .object([("detail", .array(issues.map(\.json)))])
    }
}
