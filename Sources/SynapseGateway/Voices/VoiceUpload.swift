import Foundation
import NIOCore
import SynapseCore

/// A voice upload (`POST /voices`, `POST /voices/{id}/references`) received straight to disk.
///
/// ```
/// request body ─▶ MultipartParser ─┬─ "files" part ─▶ ReferenceReceiver: WAV header check on the
///                                  │                  first bytes, size cap, 256 KiB writes ─▶ staging/references/ref_NNN.wav
///                                  └─ "name" part ──▶ kept (at most 400 bytes)
/// ```
/// Nothing reaches the library until every file has passed; on any failure the staging folder
/// is removed and, for validation errors, the rest of the body is read and discarded (up to a
/// bound) so that the client receives the error instead of a reset connection.
struct VoiceUpload: Sendable {
    /// The rules for reference uploads.
    struct Limits: Sendable {
        /// Files per request. Default 1–10.
        var fileCount = 1...10
        /// Largest reference file in bytes. Default 50 MiB (the original's limit).
        var maximumFileSize = 50 * 1024 * 1024
        /// A reference must be longer than this, in seconds: Chatterbox Turbo asserts it. Default 5.
        var minimumDuration = 5.0
        /// Characters in a voice name. Default 1–100.
        var nameLength = 1...100
        /// Body bytes read and discarded after a validation error before giving up. Default 600 MiB.
        var drainLimit = 600 * 1024 * 1024
        /// Parts in the form, files included (`gateway.maxFormFields`). Default 32.
        var maxFields = 32
        /// Bytes of a part that is not a file (`gateway.maxFormFieldSize`). Default 64 KiB.
        var maxFieldSize = 64 * 1024
        /// Largest body: every file at its largest plus 1 MiB of form. Also bounds a chunked body.
        var maximumBodySize: Int { fileCount.upperBound * maximumFileSize + (1 << 20) }
    }

    /// One received reference file, already synced to disk.
    struct Reference: Sendable {
        var path: String
        var filename: String
        var size: Int
        /// Seconds of audio, from the header's format and the bytes received.
        var duration: Double
    }

    /// The staging folder holding the files (removed by whoever publishes or discards them).
    var staging: String
    var references: [Reference]
    /// The `name` field, trimmed; nil when absent.
    var name: String?

    /// Reads the whole multipart body into a new staging folder of `library`.
    static func receive<Body: AsyncSequence & Sendable>(
        _ body: Body, contentType: String?, library: VoiceLibrary, limits: Limits
    ) async throws -> VoiceUpload where Body.Element == ByteBuffer {
        guard let contentType, let boundary = MultipartForm.boundary(fromContentType: contentType),
            contentType.lowercased().hasPrefix("multipart/form-data")
        else { throw GatewayError.invalidVoiceInput("Expected a multipart/form-data body with a boundary (fields 'name' and 'files')") }
        var parser: MultipartParser
        do { parser = try MultipartParser(boundary: boundary) } catch {
            throw GatewayError.invalidVoiceInput("Invalid multipart boundary")
        }
        let staging: String
        do { staging = try await library.run { try library.makeStaging() } } catch {
            throw GatewayError.voiceStorageFailed()
        }
        var state = ReceiveState(staging: staging, limits: limits)
        var iterator = body.makeAsyncIterator()
        var received = 0
        do {
            while let chunk = try await iterator.next() {
                // A chunked body has no length to refuse up front: count it.
                received += chunk.readableBytes
                if received > limits.maximumBodySize { throw GatewayError.payloadTooLarge(limit: limits.maximumBodySize) }
                let events: [MultipartParser.Event]
                do { events = try parser.feed(chunk.readableBytesView) } catch {
                    throw GatewayError.invalidVoiceInput("Malformed multipart body (\(error.code))")
                }
                for event in events { try await state.handle(event, library: library) }
            }
            do { try parser.finish() } catch { throw GatewayError.invalidVoiceInput("Malformed multipart body (\(error.code))") }
            try await state.finishAll(library: library)
            guard limits.fileCount.contains(state.references.count) else {
                throw GatewayError.invalidVoiceInput(
                    "Provide \(limits.fileCount.lowerBound)-\(limits.fileCount.upperBound) WAV reference files in the 'files' field")
            }
            return VoiceUpload(staging: staging, references: state.references, name: state.name)
        } catch {
            state.abandon()
            try? await library.run { DurableStorage.remove(staging) }
            if error is GatewayError, !Task.isCancelled {
                // Read the rest so the client, still sending, gets the answer rather than a reset.
                var drained = 0
                while drained < limits.drainLimit, let chunk = try? await iterator.next() { drained += chunk.readableBytes }
            }
            throw error
        }
    }

    /// Checks the `name` field of a new voice; returns it trimmed.
    static func validName(_ name: String?, limits: Limits) throws -> String {
        guard let name, !name.isEmpty else {
            throw GatewayError.invalidVoiceInput("The 'name' field is required (1-\(limits.nameLength.upperBound) characters)")
        }
        guard limits.nameLength.contains(name.count) else {
            throw GatewayError.invalidVoiceInput(
                "The voice name must be \(limits.nameLength.lowerBound)-\(limits.nameLength.upperBound) characters (got \(name.count))")
        }
        return name
    }
}

/// The part-by-part state of one upload.
private struct ReceiveState {
    let staging: String
    let limits: VoiceUpload.Limits
    var references: [VoiceUpload.Reference] = []
    var name: String?
    private var current: Current = .none
    /// Parts named `files` seen so far (counted before their bodies arrive, to refuse an 11th at once).
    private var fileParts = 0
    /// Parts of any kind seen so far, and the bytes of the current part that is not a file.
    private var parts = 0
    private var fieldBytes = 0

    private enum Current {
        case none
        case file(ReferenceReceiver)
        case nameField([UInt8])
        case ignored
    }

    init(staging: String, limits: VoiceUpload.Limits) {
        self.staging = staging
        self.limits = limits
    }

    mutating func handle(_ event: MultipartParser.Event, library: VoiceLibrary) async throws {
        switch event {
        case .partStart(let head):
            parts += 1
            fieldBytes = 0
            guard parts <= limits.maxFields else {
                throw GatewayError.formTooLarge("The form has more than \(limits.maxFields) fields")
            }
            if head.name == "files" {
                fileParts += 1
                guard fileParts <= limits.fileCount.upperBound else {
                    throw GatewayError.invalidVoiceInput("Too many files: at most \(limits.fileCount.upperBound) WAV reference files per request")
                }
                let path = staging + "/references/" + VoiceLibrary.referenceName(fileParts)
                let filename = head.filename ?? "file \(fileParts)"
                let file: StagedFile
                do { file = try await library.run { try StagedFile(creating: path) } } catch { throw GatewayError.voiceStorageFailed() }
                current = .file(ReferenceReceiver(file: file, filename: filename, limits: limits))
            } else if head.name == "name" {
                current = .nameField([])
            } else {
                current = .ignored
            }
        case .bodyBytes(let bytes):
            switch current {
            case .file(var receiver):
                current = .none  // moved out while it works, so its buffers are not copied
                do { try await receiver.receive(bytes, library: library) } catch {
                    receiver.file.closeFile()
                    throw error
                }
                current = .file(receiver)
            case .nameField(var value):
                value += bytes
                fieldBytes += bytes.count
                guard value.count <= limits.nameLength.upperBound * 4 else {
                    throw GatewayError.invalidVoiceInput("The voice name must be \(limits.nameLength.lowerBound)-\(limits.nameLength.upperBound) characters")
                }
                current = .nameField(value)
            case .ignored:
                // Not kept, but not endless either.
                fieldBytes += bytes.count
                guard fieldBytes <= limits.maxFieldSize else {
                    throw GatewayError.formTooLarge("A form field is larger than \(ConfigScalars.format(size: limits.maxFieldSize))")
                }
            case .none:
                break
            }
        case .partEnd:
            switch current {
            case .file(let receiver):
                current = .none
                references.append(try await receiver.finish(library: library))
            case .nameField(let value):
                name = String(decoding: value, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                current = .none
            case .none, .ignored:
                current = .none
            }
        case .end:
            break
        }
    }

    /// The closing delimiter has been seen; nothing can still be open.
    mutating func finishAll(library: VoiceLibrary) async throws {
        if case .file(let receiver) = current {
            current = .none
            references.append(try await receiver.finish(library: library))
        }
    }

    /// Closes an open file after a failure (the folder is removed by the caller).
    mutating func abandon() {
        if case .file(let receiver) = current { receiver.file.closeFile() }
        current = .none
    }
}
