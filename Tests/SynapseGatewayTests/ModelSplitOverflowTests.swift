import SynapseGateway
import Testing

/// A split-model id from the router whose numbers pass `Int.max` is "not split", never a trap.
@Suite struct ModelSplitOverflowTests {
    @Test(arguments: ["qwen-00001-of-9223372036854775808", "qwen-9223372036854775809-of-00002", "qwen-00001-of-99999999999999999999"])
    func numbersBeyondIntAreNotASplit(id: String) {
        #expect(ModelListing.SplitID(id) == nil)
    }

    @Test func anOrdinarySplitStillParses() {
        #expect(ModelListing.SplitID("qwen-00001-of-00002") == ModelListing.SplitID(base: "qwen", part: 1, total: 2))
    }
}
