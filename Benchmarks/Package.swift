// swift-tools-version: 6.1
// The bundled benchmark harness: its own package so the root Package.swift stays dependency-free.
import PackageDescription

let package = Package(
    name: "TrellisBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Trellis", path: ".."),
        .package(name: "TrellisAdapters", path: "../Adapters"),
        .package(name: "ObservabilityBackends", path: "Peers/ObservabilityBackends"),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.6.0"),
    ],
    targets: [
        .target(name: "CLoadSystem"),
        .target(name: "BenchmarkRequests", path: "Sources/BenchmarkRequests"),
        .executableTarget(
            name: "trellis-load",
            dependencies: [
                "CLoadSystem",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
        ),
        .executableTarget(
            name: "trellis-micro",
            dependencies: [
                .product(name: "Trellis", package: "Trellis"),
                .product(name: "TrellisMiddleware", package: "Trellis"),
                .product(name: "TrellisReferenceApp", package: "Trellis"),
                .product(name: "TrellisServer", package: "Trellis"),
                "BenchmarkRequests",
                .product(name: "TrellisLogging", package: "TrellisAdapters"),
                .product(name: "TrellisMetrics", package: "TrellisAdapters"),
                .product(name: "TrellisTracing", package: "TrellisAdapters"),
            ],
            path: "Sources/trellis-micro",
            swiftSettings: [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
        ),
        .executableTarget(
            name: "trellis-observed",
            dependencies: [
                .product(name: "Trellis", package: "Trellis"),
                .product(name: "TrellisServer", package: "Trellis"),
                .product(name: "TrellisMiddleware", package: "Trellis"),
                .product(name: "TrellisReferenceApp", package: "Trellis"),
                .product(name: "TrellisLogging", package: "TrellisAdapters"),
                .product(name: "TrellisMetrics", package: "TrellisAdapters"),
                .product(name: "TrellisTracing", package: "TrellisAdapters"),
                .product(name: "BenchmarkObservability", package: "ObservabilityBackends"),
            ],
            path: "Sources/trellis-observed"
        ),
        .executableTarget(
            name: "trellis-catalog",
            dependencies: [
                .product(name: "Trellis", package: "Trellis"),
                .product(name: "TrellisServer", package: "Trellis"),
                .product(name: "TrellisMiddleware", package: "Trellis"),
                .product(name: "TrellisReferenceApp", package: "Trellis"),
            ],
            path: "Sources/trellis-catalog"
        ),
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                .product(name: "Trellis", package: "Trellis"),
                .product(name: "TrellisServer", package: "Trellis"),
                .product(name: "TrellisReferenceApp", package: "Trellis"),
                .product(name: "Benchmark", package: "benchmark"),
                "BenchmarkRequests",
            ],
            path: "Benchmarks/PipelineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
