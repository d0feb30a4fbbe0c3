#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The child side of a run: executes inputs `start..<count` and records, before each one, its
/// index in a small shared memory-mapped file. A store to mapped memory costs nothing and
/// survives the process dying, so the supervisor learns which input killed it without a signal
/// handler (a stack overflow leaves no stack to run one on).
public enum FuzzWorker {
    public static func run(target: any FuzzTarget, input: FuzzInput, seed: UInt64, range: Range<Int>, progressPath: String) async throws {
        let progress = try ProgressFile(path: progressPath)
        defer { progress.close() }
        try await target.withSession { session in
            for index in range {
                progress.record(index)
                await session.execute(input.input(index: index, seed: seed))
            }
        }
        progress.record(range.upperBound)
    }
}

/// Eight bytes shared with the supervisor: the index of the input being executed.
struct ProgressFile: @unchecked Sendable {
    // The mapping is written only by the worker's one fuzzing loop and read by the supervisor
    // after the worker has exited; nothing else touches it.
    private let pointer: UnsafeMutableRawPointer
    private let fd: Int32

    init(path: String) throws {
        fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0, ftruncate(fd, 8) == 0 else { throw FuzzError.progressFile(path) }
        guard let mapped = mmap(nil, 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            throw FuzzError.progressFile(path)
        }
        pointer = mapped
    }

    func record(_ index: Int) { pointer.storeBytes(of: Int64(index), as: Int64.self) }

    func close() {
        munmap(pointer, 8)
        _ = Glibc.close(fd)
    }

    /// The index stored in the file at `path`, if it has one.
    static func read(path: String) -> Int? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { _ = Glibc.close(fd) }
        var value: Int64 = -1
        guard pread(fd, &value, 8, 0) == 8 else { return nil }
        return Int(value)
    }
}

public enum FuzzError: Error, CustomStringConvertible {
    case progressFile(String)
    case unknownTarget(String)
    case setup(String)

    public var description: String {
        switch self {
        case .progressFile(let path): "cannot map the progress file \(path)"
        case .unknownTarget(let name): "unknown fuzz target \(name)"
        case .setup(let reason): "cannot set up the target: \(reason)"
        }
    }
}
