import Yams

/// A cap on how many nodes a composed YAML document expands to once its aliases are followed.
///
/// Yams shares an anchored node between its aliases, so composing a "billion laughs" file is
/// cheap; walking the tree is not: nine levels of nine aliases each make 9⁹ ≈ 4·10⁸ nodes. Both
/// loaders (`backends.yaml` and scenario files) count before converting and refuse a document
/// over the budget. The count stops at the limit, so refusing costs at most `limit` visits.
public enum YAMLExpansionBudget {
    /// Nodes a configuration or scenario document may expand to. Default 100,000 (a large real
    /// file has a few thousand).
    public static let nodeLimit = 100_000

    /// The message both loaders report when a document is over the budget.
    public static var message: String {
        "the document expands to more than \(nodeLimit) YAML nodes once its aliases are followed (an alias bomb?); refused"
    }

    /// Whether `node`, aliases followed, has at most `limit` nodes.
    public static func allows(_ node: Yams.Node, limit: Int = nodeLimit) -> Bool {
        var remaining = limit
        return visit(node, remaining: &remaining)
    }

    /// Depth-first count that gives up as soon as the budget is spent.
    private static func visit(_ node: Yams.Node, remaining: inout Int) -> Bool {
        remaining -= 1
        guard remaining >= 0 else { return false }
        switch node {
        case .scalar, .alias:
            return true
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard visit(key, remaining: &remaining), visit(value, remaining: &remaining) else { return false }
            }
            return true
        case .sequence(let sequence):
            for element in sequence {
                guard visit(element, remaining: &remaining) else { return false }
            }
            return true
        }
    }
}
