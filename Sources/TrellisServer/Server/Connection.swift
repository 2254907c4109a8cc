import Trellis

/// The connection type the inlinable serving loop calls: HTTP/1.1 over a TCP socket. A thin,
/// non-generic face over `HTTP1Connection<SocketTransport>`, so the calls from the app's module reach
/// code specialised for the socket transport inside this module.
@usableFromInline final class Connection: Sendable {
    let http: HTTP1Connection<SocketTransport>

    init(transport: SocketTransport, loop: EventLoop) {
        http = HTTP1Connection(transport: transport, loop: loop)
    }

    /// The next request, or `nil` when the connection should close.
    @usableFromInline func nextRequest() async -> Request? { await http.nextRequest() }

    /// Writes a response (or buffers it for a pipelined batch).
    @usableFromInline func send(_ response: Response) async { await http.send(response) }

    /// Ends `request` after its response was sent: writes the response out, runs the request's
    /// cleanups with the outcome, then hands its background tasks to the event loop (the next
    /// request does not wait for them).
    @usableFromInline func finishRequest(_ request: Request, response: Response, reporter: ErrorReporter) async {
        let complete = await http.flushResponse()
        let outcome = RequestOutcome(response: response, isComplete: complete)
        let work = await request.context.finish(outcome, method: request.method, path: request.path, reporter: reporter)
        if !work.isEmpty { http.loop.runInBackground(work, reporter: reporter) }
    }

    /// Flushes and closes (lingering when request bytes may still arrive).
    @usableFromInline func finish() async { await http.finish() }
}
