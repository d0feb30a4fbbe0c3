import NIOCore
import SynapseHAR

/// One body on the writer's side: kept in memory while it may still be written inline, and
/// streamed into a body file (hashed on the way) as soon as it cannot be: a binary media type,
/// or more than `HARBodyPolicy.maxInlineSize`. So at most the inline limit is ever held.
struct BodyCapture {
    /// Where a finished body went.
    enum Stored: Equatable {
        case empty
        case inline(String)
        case file(reference: String)
    }

    let store: HARBodyStore
    let mayInline: Bool
    let inlineLimit: Int
    private var memory: [UInt8] = []
    private var upload: HARBodyStore.Upload?
    /// Bytes seen.
    private(set) var size = 0

    init(store: HARBodyStore, mimeType: String, policy: HARBodyPolicy) {
        self.store = store
        self.mayInline = policy.mayInline(mimeType: mimeType)
        self.inlineLimit = policy.maxInlineSize
    }

    mutating func append(_ chunk: ByteBuffer) throws {
        size += chunk.readableBytes
        if upload == nil, mayInline, memory.count + chunk.readableBytes <= inlineLimit {
            memory.append(contentsOf: chunk.readableBytesView)
            return
        }
        if upload == nil {
            let started = try store.begin()
            try started.append(memory)
            memory = []
            upload = started
        }
        try chunk.withUnsafeReadableBytes { try upload?.append($0) }
    }

    /// Stores the body: inline when it stayed small and is UTF-8, else as `bodies/<sha256>`.
    mutating func finish() throws -> Stored {
        if upload == nil {
            if size == 0 { return .empty }
            if let text = String(validating: memory, as: UTF8.self) { return .inline(text) }
            let started = try store.begin()
            try started.append(memory)
            upload = started
        }
        let digest = try upload!.commit()
        upload = nil
        return .file(reference: HARBodyStore.reference(sha256: digest))
    }

    /// Gives the body up, removing its partial file.
    mutating func discard() {
        upload?.discard()
        upload = nil
        memory = []
    }
}
