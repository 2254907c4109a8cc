public import Trellis

/// A worker task of an event loop: serves `first`, then each connection the loop's dispatcher hands
/// it, until the dispatcher lets it go (`ConnectionDispatcher`): parse → pipeline → serialise → end
/// the request (cleanups, background tasks), until the connection closes or is parked between
/// requests. The pipeline's frames live in the worker, not in each connection. Specialised in the
/// caller's module for the concrete pipeline type; a request that registered no cleanup and no task
/// pays one atomic load for its end (`Request.end`, the path the test client shares).
@inlinable func serveConnections<R: Responder>(
    startingWith first: HTTP1Connection,
    with responder: R,
    reporter: ErrorReporter,
    observer: (any RequestObserver)?
) async where R.Input == Request, R.Output == Response {
    if let observer {
        var next: HTTP1Connection? = first
        while let connection = next {
            await serveObserved(connection, with: responder, reporter: reporter, observer: observer)
            next = await connection.nextReadyConnection()
        }
        return
    }
    // One loop for every connection this worker serves: no frame per connection.
    var connection = first
    while true {
        guard let request = await connection.nextRequest() else {
            if !connection.isParked { await connection.close() }
            guard let next = await connection.nextReadyConnection() else { return }
            connection = next
            continue
        }
        var response = await answer(request, with: responder, reporter: reporter)
        await send(response, on: connection)
        await request.end(
            response: response,
            reporter: reporter,
            written: { await connection.flushResponse() },
            startBackground: { connection.startBackground($0, reporter: reporter) }
        )
        // The next response's header literal and JSON body take this one's storage: no allocation.
        response.headers.recycleStorage()
        response.body.recycleStorage()
    }
}

/// Serves one connection for a server with a `RequestObserver`, until it closes or is parked: each
/// request is timed, its response flushed before the observer hears of it (so its bytes are known),
/// and its route read before the request ends (which forgets it).
@inlinable func serveObserved<R: Responder>(
    _ connection: HTTP1Connection,
    with responder: R,
    reporter: ErrorReporter,
    observer: any RequestObserver
) async where R.Input == Request, R.Output == Response {
    // Bytes are counted from the end of the previous request: a request's head is read before it begins.
    var mark = connection.transferred
    while let request = await connection.nextRequest() {
        let start = ContinuousClock.now
        observer.requestStarted(request)
        var response = await answer(request, with: responder, reporter: reporter)
        await send(response, on: connection)
        let route = request.route
        let requestID = request.id
        let complete = await connection.flushResponse()
        await request.end(
            response: response,
            reporter: reporter,
            written: { complete },
            startBackground: { connection.startBackground($0, reporter: reporter) }
        )
        // A cleanup may have left the loop (`LoopServices.returnToLoop()`).
        await connection.returnToLoopIfLeft()
        let after = connection.transferred
        observer.requestFinished(
            RequestRecord(
                method: request.method, path: request.path, route: route, status: response.status,
                duration: ContinuousClock.now - start, bytesIn: after.read - mark.read,
                bytesOut: after.written - mark.written, requestID: requestID,
                clientAddress: request.clientAddress, isComplete: complete
            )
        )
        mark = after
        response.headers.recycleStorage()
        response.body.recycleStorage()
    }
    if !connection.isParked { await connection.close() }
}

/// Sends `response`: without a suspension when it goes into the output buffer whole (the usual
/// case), else through `HTTP1Connection.send`.
@inlinable func send(_ response: Response, on connection: HTTP1Connection) async {
    switch connection.sendBuffered(response) {
    case .sent: break
    case .sentThenFlush: await connection.flushAfterSend()
    case .notSent: await connection.send(response)
    }
}

/// The pipeline's response to `request`; an error it throws becomes a reported 500.
@inlinable @inline(__always) func answer<R: Responder>(_ request: Request, with responder: R, reporter: ErrorReporter) async -> Response
where R.Input == Request, R.Output == Response {
    do {
        return try await responder.respond(to: request)
    } catch {
        reporter.report(ErrorReport(stage: .handler, method: request.method, path: request.path, error: error))
        return Response(error: error)
    }
}
