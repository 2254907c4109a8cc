// The reference app (ProcessTime → CORS → routes) behind the catalog middleware a production
// service adds first — RequestID, AccessLog (common format, one write(2) per request to standard
// error) and GZip (responses here are below its minimum size, so it passes them through after
// checking) — for the catalog row of Benchmarks/compare.sh. Run with standard error sent where the
// lines should go (compare.sh: /dev/null).
//
//   trellis-catalog [--port 8088] [--threads 1]
import Dispatch
import Trellis
import TrellisMiddleware
import TrellisReferenceApp
import TrellisServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

var configuration = ServerConfiguration(host: "127.0.0.1", port: 8088, threads: 1)
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch (flag, arguments.popFirst().flatMap { Int($0) }) {
    case ("--port", let number?): configuration.port = number
    case ("--threads", let number?): configuration.threads = number
    default:
        print("usage: trellis-catalog [--port N] [--threads N]")
        exit(2)
    }
}

let app = Pipeline {
    RequestID()
    AccessLog()
    GZip()
    ProcessTime()
    ReferenceApp.cors()
    ReferenceApp.router()
}

// The main thread waits on a semaphore (not a top-level `await`), so this runs under valgrind too.
let stopped = DispatchSemaphore(value: 0)
let startup = configuration
Task.detached {
    do {
        let server = try HTTPServer.start(app, configuration: startup)
        server.stopOnSignals()
        print("trellis-catalog listening on http://127.0.0.1:\(server.port)")
        fflush(nil)
        await server.waitUntilStopped()
    } catch {
        print("error: \(error)")
        exit(1)
    }
    stopped.signal()
}
stopped.wait()
