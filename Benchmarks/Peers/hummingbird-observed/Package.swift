// swift-tools-version:6.0
// The Hummingbird 2 reference app (../../../shared/peers/hummingbird-app) with Hummingbird's own
// MetricsMiddleware and TracingMiddleware, bootstrapped with the same backends as Trellis's observed
// server (ObservabilityBackends): the peer of `trellis-observed` in Benchmarks/compare-observed.sh.
import PackageDescription

let package = Package(
    name: "PeerHummingbirdObserved",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(name: "ObservabilityBackends", path: "../ObservabilityBackends"),
    ],
    targets: [
        .executableTarget(
            name: "PeerHummingbirdObserved",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "BenchmarkObservability", package: "ObservabilityBackends"),
            ]
        ),
    ]
)
