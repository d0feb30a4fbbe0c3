import Foundation
import Hummingbird
import NIOCore
import SynapseCore
import Testing

@testable import SynapseGateway

/// Multipart forms the gateway reads itself are bounded (field count, non-file field size, total
/// size even when chunked); `/audio/convert`'s read-ahead goes to disk, not memory; the per-voice
/// lock map keeps nothing once the library is idle.
@Suite struct FormLimitTests {
    static func form(extraFields: Int, extraFieldSize: Int = 10) -> MultipartBody {
        var form = VoiceKit.voiceForm(name: "v", files: [("a.wav", VoiceKit.tone(seconds: 6))])
        for index in 0..<extraFields {
            form.parts.insert(("extra\(index)", nil, nil, Data(repeating: 0x61, count: extraFieldSize)), at: 0)
        }
        return form
    }

    func receive(_ form: MultipartBody, library: VoiceLibrary, limits: VoiceUpload.Limits = .init()) async throws -> VoiceUpload {
        try await VoiceUpload.receive(
            GatedBody(form.data, chunkSize: 8192, pauseAfter: nil), contentType: form.contentType,
            library: library, limits: limits)
    }

    @Test func aVoiceFormWithTooManyFieldsIsRefused() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            try library.prepare()
            let error = await #expect(throws: GatewayError.self) { try await receive(Self.form(extraFields: 40), library: library) }
            #expect(error?.status == .contentTooLarge)
            #expect(error?.message == "The form has more than 32 fields")
            // Within the limit, extra fields are still ignored.
            let upload = try await receive(Self.form(extraFields: 20), library: library)
            #expect(upload.references.count == 1)
            DurableStorage.remove(upload.staging)
        }
    }

    @Test func anOversizedNonFileFieldIsRefused() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            try library.prepare()
            let error = await #expect(throws: GatewayError.self) {
                try await receive(Self.form(extraFields: 1, extraFieldSize: 100_000), library: library)
            }
            #expect(error?.status == .contentTooLarge)
            #expect(error?.message == "A form field is larger than 64KiB")
            // Nothing is left behind.
            #expect(VoiceKit.entries(in: folder, prefix: ".tmp-").isEmpty)
        }
    }

    @Test func aChunkedVoiceUploadIsBoundedByTheBodyLimit() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            try library.prepare()
            var limits = VoiceUpload.Limits()
            limits.maximumFileSize = 10_000  // body limit: 10 × 10 kB + 1 MiB
            limits.drainLimit = 0
            let error = await #expect(throws: GatewayError.self) {
                try await receive(Self.form(extraFields: 30, extraFieldSize: 60_000), library: library, limits: limits)
            }
            #expect(error?.code == "payload_too_large")
            #expect(error?.message.hasPrefix("Request body exceeds the limit") == true)
        }
    }

    @Test func formLimitsComeFromTheConfiguration() {
        var gateway = GatewaySettings()
        #expect(gateway.maxFormFields == 32)
        #expect(gateway.maxFormFieldSize == 64 << 10)
        gateway.maxFormFields = 5
        gateway.maxFormFieldSize = 100
        let limits = VoiceUpload.Limits().bounded(by: gateway)
        #expect(limits.maxFields == 5)
        #expect(limits.maxFieldSize == 100)
    }

    @Test func convertReadAheadPastTheMemoryLimitIsSpooledToDisk() async throws {
        // 8 MiB of file before `output_format`: the peek must read it all, and keeps at most 1 MiB in memory.
        var form = MultipartBody()
        form.parts.append(("file", "a.wav", "audio/wav", Data(repeating: 7, count: 8 << 20)))
        form.parts.append(("output_format", nil, nil, Data("mp3".utf8)))
        let data = form.data
        let chunks = stride(from: 0, to: data.count, by: 64 << 10).map { ByteBuffer(bytes: data[$0..<min($0 + (64 << 10), data.count)]) }
        let body = RequestBody(asyncSequence: chunks.async)
        let peek = try await FormFieldPeek.peek(
            field: "output_format", in: body, boundary: MultipartBody.boundary, limit: 1 << 30,
            memoryLimit: 1 << 20)
        #expect(peek.value == "mp3")
        #expect(peek.body.spool.isOnDisk)
        #expect(peek.body.spool.memoryBytes <= 1 << 20)
        #expect(peek.body.spool.count > 8 << 20)
        // And the forwarded body is the whole form, byte for byte.
        var forwarded = Data()
        for try await chunk in peek.body { forwarded += chunk.readableBytesView }
        #expect(forwarded == data)
    }

    @Test func theSpoolIsReplayedFromDiskOneChunkAtATime() async throws {
        // Replaying used to read the whole file into memory at once (300 MB upload → +290 MB RSS).
        let spool = BodySpool(memoryLimit: 0)
        for _ in 0..<64 { try spool.append(ByteBuffer(repeating: 1, count: 64 << 10)) }
        var iterator = spool.replay().makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.readableBytes == 64 << 10)
        #expect(try iterator.reader?.offset() == 64 << 10)
        var total = first?.readableBytes ?? 0
        while let chunk = try await iterator.next() { total += chunk.readableBytes }
        #expect(total == 4 << 20)
        spool.discard()
    }

    @Test func theVoiceLockMapKeepsNothingOnceIdle() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            try library.prepare()
            // Deleting voices that never existed (any client can ask) used to leave a lock each.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<500 {
                    group.addTask { _ = try await library.run { try library.delete(VoiceID("dead-\(index)")!) } }
                }
                try await group.waitForAll()
            }
            #expect(library.lockedVoiceCount == 0)
        }
    }
}

extension Array where Element == ByteBuffer {
    /// The elements as an async sequence.
    fileprivate var async: AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}

/// Model names chosen by clients are remembered for the switch's eviction order, but not forever.
@Suite struct ModelUseOrderTests {
    @Test func onlyTheMostRecentModelNamesAreRemembered() {
        var uses: [String: UInt64] = [:]
        for tick in 1...5000 as ClosedRange<UInt64> {
            ModelSwitcher.remember("made-up-\(tick)", tick: tick, in: &uses, limit: 100)
        }
        #expect(uses.count == 100)
        #expect(uses["made-up-5000"] == 5000)
        #expect(uses["made-up-4901"] == 4901)
        #expect(uses["made-up-4900"] == nil)
    }
}
