// swift-tools-version: 6.0
import PackageDescription

/// Settings every Trellis target shares: Swift 6 language mode (complete strict concurrency)
/// and every existential spelled `any`, so none can hide on the hot path.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Async functions run on their caller's executor instead of hopping to the generic one: no
    // swift_task_switch (and its status-record lock) on every non-inlined async call of a request.
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "Trellis",
    products: [
        .library(name: "Trellis", targets: ["Trellis"]),
        .library(name: "TrellisTesting", targets: ["TrellisTesting"]),
        .library(name: "TrellisServer", targets: ["TrellisServer"]),
        .executable(name: "TrellisExample", targets: ["TrellisExample"]),
        .executable(name: "TrellisCatalogExample", targets: ["TrellisCatalogExample"]),
    ],
    targets: [
        // The system zlib (zlib1g-dev on a fresh Debian/Ubuntu machine): GZip's compression.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Trellis", dependencies: ["CZlib"], swiftSettings: strictSettings),
        .target(name: "TrellisTesting", dependencies: ["Trellis"], swiftSettings: strictSettings),
        .target(name: "CTrellisLinux"),
        .target(name: "TrellisServer", dependencies: ["Trellis", "CTrellisLinux"], swiftSettings: strictSettings),
        .executableTarget(name: "TrellisExample", dependencies: ["Trellis", "TrellisServer"], swiftSettings: strictSettings),
        .executableTarget(
            name: "TrellisCatalogExample",
            dependencies: ["Trellis", "TrellisServer"],
            exclude: ["Public"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "TrellisTests", dependencies: ["Trellis", "TrellisTesting"], swiftSettings: strictSettings),
        .testTarget(name: "TrellisServerTests", dependencies: ["Trellis", "TrellisServer"], swiftSettings: strictSettings),
        .testTarget(
            name: "CompileFailTests",
            dependencies: ["Trellis"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
