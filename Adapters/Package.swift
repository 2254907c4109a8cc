// swift-tools-version: 6.0
// Trellis meets the Swift server ecosystem: one product per package it adapts to. Its own package,
// so the root Package.swift keeps no dependencies (as Benchmarks/ does).
import PackageDescription

let package = Package(
    name: "TrellisAdapters",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TrellisLogging", targets: ["TrellisLogging"]),
        .library(name: "TrellisMetrics", targets: ["TrellisMetrics"]),
        .library(name: "TrellisTracing", targets: ["TrellisTracing"]),
        .library(name: "TrellisServiceLifecycle", targets: ["TrellisServiceLifecycle"]),
        .library(name: "TrellisHTTPTypes", targets: ["TrellisHTTPTypes"]),
        .library(name: "TrellisOpenAPI", targets: ["TrellisOpenAPI"]),
        .executable(name: "TrellisAdaptersSample", targets: ["TrellisAdaptersSample"]),
    ],
    dependencies: [
        .package(name: "Trellis", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
    ],
    targets: [
        .target(name: "TrellisLogging", dependencies: [
            .product(name: "Trellis", package: "Trellis"),
            .product(name: "TrellisServer", package: "Trellis"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TrellisMetrics", dependencies: [
            .product(name: "Trellis", package: "Trellis"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "TrellisTracing", dependencies: [
            .product(name: "Trellis", package: "Trellis"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
        ]),
        .target(name: "TrellisServiceLifecycle", dependencies: [
            .product(name: "TrellisServer", package: "Trellis"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "TrellisHTTPTypes", dependencies: [
            .product(name: "Trellis", package: "Trellis"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .target(name: "TrellisOpenAPI", dependencies: [
            "TrellisHTTPTypes",
            .product(name: "Trellis", package: "Trellis"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        ]),
        .target(name: "SampleApp", dependencies: [
            "TrellisLogging", "TrellisMetrics", "TrellisTracing", "TrellisServiceLifecycle",
            .product(name: "TrellisMiddleware", package: "Trellis"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "TrellisAdaptersSample", dependencies: [
            "SampleApp",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "TrellisServer", package: "Trellis"),
        ]),
        .testTarget(name: "TrellisAdaptersTests", dependencies: [
            "SampleApp",
            "TrellisLogging", "TrellisMetrics", "TrellisTracing", "TrellisServiceLifecycle", "TrellisHTTPTypes",
            "TrellisOpenAPI",
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "TrellisServer", package: "Trellis"),
            .product(name: "TrellisMiddleware", package: "Trellis"),
            .product(name: "TrellisTesting", package: "Trellis"),
            .product(name: "InMemoryLogging", package: "swift-log"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
            .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ], exclude: ["OpenAPI/openapi.yaml", "OpenAPI/README.md"]),
    ]
)
