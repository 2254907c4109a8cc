public import Trellis

/// Serves one connection: parse → pipeline → serialise → end the request (cleanups, background
/// tasks), until the connection closes. Specialised in the caller's module for the concrete
/// pipeline type; a request that registered no cleanup and no task pays one atomic load for its
/// end (`Request.end`, the path the test client shares).
@inlinable func serveConnection<R: Responder>(_ connection: HTTP1Connection, with responder: R, reporter: ErrorReporter) async
where R.Input == Request, R.Output == Response {
    while let request = await connection.nextRequest() {
        let response: Response
        do {
            response = try await responder.respond(to: request)
        } catch {
            response = Response(error: error)
            reporter.report(ErrorReport(stage: .handler, method: request.method, path: request.path, error: error))
        }
        await connection.send(response)
        await request.end(
            response: response,
            reporter: reporter,
            written: { await connection.flushResponse() },
            startBackground: { connection.startBackground($0, reporter: reporter) }
        )
    }
    await connection.close()
}
