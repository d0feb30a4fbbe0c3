// swift-tools-version:6.1
import PackageDescription

/// One set of compiler settings for every target: Swift 6 mode plus the upcoming features we rely on.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let asyncHTTPClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let nio = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let hummingbirdHTTP2 = Target.Dependency.product(name: "HummingbirdHTTP2", package: "hummingbird")

let package = Package(
    name: "synapse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "synapse", targets: ["synapse"]),
        .library(name: "SynapseCore", targets: ["SynapseCore"]),
        .library(name: "SynapseGateway", targets: ["SynapseGateway"]),
        .library(name: "SynapseMocks", targets: ["SynapseMocks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // Tests only: decodes /openapi.json as OpenAPIKit's 3.1 document and runs its validation.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0"),
    ],
    targets: [
        // MARK: Gateway
        // The one clock vocabulary (AnyClock, VirtualClock, Deadline): a leaf, standard library only.
        .target(name: "SynapseClock", swiftSettings: swiftSettings),
        .target(name: "SynapseCore", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),
        .target(name: "SynapseResilience", dependencies: ["SynapseCore", "SynapseClock"], swiftSettings: swiftSettings),
        // HAR 1.2 recordings: the model, the reader (Synapse's own and browser exports) and the body store.
        .target(name: "SynapseHAR", dependencies: ["SynapseCore"], swiftSettings: swiftSettings),
        // The load tester's figures: HDR histograms per route, thresholds, JSON/JUnit/HTML reports.
        .target(
            name: "SynapseLoadReport", dependencies: ["SynapseCore", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: swiftSettings),
        // `synapse load`: replays recordings against a target with its own NIO HTTP/1.1 client.
        .target(
            name: "SynapseLoad", dependencies: ["SynapseCore", "SynapseClock", "SynapseHAR", "SynapseLoadReport", nio, nioPosix, nioHTTP1, logging],
            swiftSettings: swiftSettings),
        .target(
            name: "SynapseGateway",
            dependencies: [
                "SynapseCore", "SynapseClock", "SynapseResilience", "SynapseHAR", hummingbird, hummingbirdHTTP2, asyncHTTPClient, logging, serviceLifecycle,
                nio, nioPosix, nioHTTP1, nioSSL,
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SynapseScenarios",
            dependencies: [
                // No mock, catalogue or audio module: the mocks come through the MockSet contract.
                "SynapseCore", "SynapseClock", "SynapseGateway", "SynapseLoad", "SynapseLoadReport", "SynapseHAR", asyncHTTPClient, nioPosix,
                .product(name: "Yams", package: "Yams"), logging,
            ],
            swiftSettings: swiftSettings
        ),
        // The fuzz targets and their child-process supervisor (`synapse fuzz`, scripts/fuzz.sh).
        .target(
            name: "SynapseFuzz",
            dependencies: [
                "SynapseCore", "SynapseGateway", "SynapseMocks", "SynapseScenarios", "MockAudio", "MockFastAPI", "MockLlama", "MockChatterbox", logging, nio,
                nioHTTP1, .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "synapse",
            dependencies: [
                "SynapseCore", "SynapseGateway", "SynapseMocks", "SynapseScenarios", "InProcessMocks", "SynapseFuzz", "SynapseHAR", "SynapseLoad",
                "SynapseLoadReport", "MockPlayback", logging, serviceLifecycle,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Mocks
        .target(
            name: "SynapseMockKit", dependencies: ["SynapseCore", "SynapseClock", hummingbird, logging, serviceLifecycle, nio, nioPosix, nioHTTP1],
            path: "Mocks/SynapseMockKit", swiftSettings: swiftSettings),
        // The system audio libraries (scripts/setup.sh installs their Debian -dev packages).
        .systemLibrary(name: "CSndFile", path: "Mocks/CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CSampleRate", path: "Mocks/CSampleRate", pkgConfig: "samplerate", providers: [.apt(["libsamplerate0-dev"])]),
        .target(name: "MockAudio", dependencies: ["SynapseCore", "CSndFile", "CSampleRate"], path: "Mocks/MockAudio", swiftSettings: swiftSettings),
        // `synapse mocks --playback`: recorded answers served as mock backends, faults on top.
        .target(
            name: "MockPlayback", dependencies: ["SynapseMockKit", "SynapseHAR", "SynapseCore", "SynapseClock", hummingbird, nio],
            path: "Mocks/MockPlayback", swiftSettings: swiftSettings),
        // FastAPI's form parsing, validation errors and routing answers, shared by the FastAPI mocks.
        .target(name: "MockFastAPI", dependencies: ["SynapseCore", hummingbird], path: "Mocks/MockFastAPI", swiftSettings: swiftSettings),
        .target(name: "MockLlama", dependencies: ["SynapseMockKit", hummingbird], path: "Mocks/MockLlama", swiftSettings: swiftSettings),
        .target(
            name: "MockChatterbox", dependencies: ["SynapseMockKit", "MockAudio", "MockFastAPI", hummingbird], path: "Mocks/MockChatterbox",
            swiftSettings: swiftSettings),
        .target(
            name: "MockWhisper", dependencies: ["SynapseMockKit", "MockAudio", "MockFastAPI", hummingbird], path: "Mocks/MockWhisper",
            swiftSettings: swiftSettings),
        .target(
            name: "MockPyannote", dependencies: ["SynapseMockKit", "MockAudio", "MockFastAPI", hummingbird], path: "Mocks/MockPyannote",
            swiftSettings: swiftSettings),
        .target(
            name: "MockDeepFilter", dependencies: ["SynapseMockKit", "MockAudio", "MockFastAPI", hummingbird], path: "Mocks/MockDeepFilter",
            swiftSettings: swiftSettings),
        .target(
            name: "SynapseMocks",
            dependencies: [
                "SynapseMockKit", "MockAudio", "MockLlama", "MockChatterbox", "MockWhisper", "MockPyannote", "MockDeepFilter", hummingbird, serviceLifecycle,
            ],
            path: "Mocks/SynapseMocks",
            swiftSettings: swiftSettings
        ),
        // The scenario runner's in-process mock sets: SynapseMocks behind SynapseScenarios'
        // MockSet contract. Its own module, so neither the mocks nor the runner import the other.
        .target(
            name: "InProcessMocks",
            dependencies: ["SynapseScenarios", "SynapseMocks", "SynapseMockKit", "MockAudio", "SynapseClock", "SynapseCore", logging],
            path: "Mocks/InProcessMocks",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(
            name: "SynapseTestSupport",
            dependencies: ["SynapseCore", "SynapseMockKit", "SynapseMocks", hummingbird, asyncHTTPClient, nio, nioPosix, nioHTTP1, logging],
            path: "Tests/SynapseTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SynapseScenariosTests",
            dependencies: ["SynapseScenarios", "InProcessMocks", "SynapseMocks", "SynapseClock", "SynapseTestSupport", "SynapseMockKit"],
            swiftSettings: swiftSettings),
        .testTarget(name: "SynapseCoreTests", dependencies: ["SynapseCore", "SynapseTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SynapseHARTests", dependencies: ["SynapseHAR", "SynapseCore"], swiftSettings: swiftSettings),
        .testTarget(name: "SynapseLoadReportTests", dependencies: ["SynapseLoadReport", "SynapseCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SynapseLoadTests",
            dependencies: ["SynapseLoad", "SynapseHAR", "SynapseLoadReport", "SynapseClock", "SynapseTestSupport", nio, nioPosix, nioHTTP1],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "MockPlaybackTests",
            dependencies: ["MockPlayback", "SynapseHAR", "SynapseMockKit", "SynapseTestSupport", hummingbird, asyncHTTPClient, nio, nioPosix, nioHTTP1],
            swiftSettings: swiftSettings),
        .testTarget(name: "SynapseFuzzTests", dependencies: ["SynapseFuzz"], swiftSettings: swiftSettings),
        // No mocks, Hummingbird or NIO: the clock comes from SynapseClock, the seeded generator from Core.
        .testTarget(name: "SynapseResilienceTests", dependencies: ["SynapseResilience", "SynapseClock", "SynapseCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SynapseGatewayTests",
            dependencies: [
                "SynapseGateway", "SynapseClock", "SynapseResilience", "SynapseTestSupport", "SynapseMocks", "SynapseMockKit", "MockAudio", "SynapseHAR",
                "SynapseLoad", "SynapseLoadReport",
                hummingbird, asyncHTTPClient, nio, nioPosix, nioHTTP1, nioSSL,
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SynapseMockKitTests",
            dependencies: ["SynapseMockKit", "SynapseClock", "SynapseTestSupport", hummingbird, asyncHTTPClient, nio, nioPosix, nioHTTP1],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MockBackendTests",
            dependencies: ["SynapseMocks", "MockAudio", "SynapseTestSupport", hummingbird, asyncHTTPClient, nio, nioPosix, nioHTTP1],
            resources: [],
            swiftSettings: swiftSettings
        ),
    ]
)
