extension Request {
    /// Ends the request once its response has gone out: the one path a server and the test client
    /// share. A request that registered nothing only moves its context on (no call, no allocation);
    /// otherwise `written` says whether the response reached the client whole, the cleanups run
    /// with that outcome (reverse order, each once, throws reported) and the background tasks are
    /// handed to `startBackground`, which runs them without holding up the next request.
    @inlinable package func end(
        response: Response,
        reporter: ErrorReporter,
        written: () async -> Bool,
        startBackground: (BackgroundWork) -> Void
    ) async {
        guard context.needsFinishing else {
            context.endWithoutWork()
            return
        }
        let outcome = RequestOutcome(response: response, isComplete: await written())
        let work = await context.finish(outcome, method: method, path: path, reporter: reporter)
        if !work.isEmpty { startBackground(work) }
    }
}
