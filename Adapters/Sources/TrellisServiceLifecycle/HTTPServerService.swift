public import ServiceLifecycle
public import Trellis
public import TrellisServer

/// The Trellis server as a swift-service-lifecycle `Service`: `run()` starts it and returns once
/// it has stopped; a graceful shutdown of the `ServiceGroup` (SIGTERM, SIGINT, or another service
/// ending) drains it — in-flight requests finish, new connections are refused — and task
/// cancellation stops it the same way.
///
/// Not generic: the initialiser (inlined where the app's type is known) makes the start-up call,
/// so the server's request path is specialised for the app as with `HTTPServer.start`.
///
/// ```swift
/// let group = ServiceGroup(
///     services: [HTTPServerService(app, configuration: ServerConfiguration(port: 8080))],
///     gracefulShutdownSignals: [.sigterm, .sigint],
///     logger: logger
/// )
/// try await group.run()
/// ```
public struct HTTPServerService: Service {
    @usableFromInline let start: @Sendable () throws -> HTTPServer
    @usableFromInline let onStart: @Sendable (HTTPServer) -> Void

    /// A service serving `app` with `configuration`; `onStart` is told the running server (its port).
    @inlinable public init<App: Responder>(
        _ app: App,
        configuration: ServerConfiguration,
        onStart: @escaping @Sendable (HTTPServer) -> Void = { _ in }
    ) where App.Input == Request, App.Output == Response {
        start = { try HTTPServer.start(app, configuration: configuration) }
        self.onStart = onStart
    }

    /// Serves until a graceful shutdown or cancellation, then drains and returns.
    public func run() async throws {
        let server = try start()
        onStart(server)
        await withTaskCancellationOrGracefulShutdownHandler {
            await server.waitUntilStopped()
        } onCancelOrGracefulShutdown: {
            server.beginShutdown()
        }
    }
}
