// swift-tools-version: 6.0
// The metrics and tracing backends both sides of the observed comparison bootstrap (Trellis with its
// adapters, Hummingbird with MetricsMiddleware and TracingMiddleware): the same code, so the
// difference measured is the frameworks', not the backends'.
import PackageDescription

let package = Package(
    name: "ObservabilityBackends",
    platforms: [.macOS(.v15)],
    products: [.library(name: "BenchmarkObservability", targets: ["BenchmarkObservability"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        .target(
            name: "BenchmarkObservability",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ]
        ),
    ]
)
