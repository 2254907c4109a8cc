import Trellis
import TrellisServer
import TrellisReferenceApp
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// `TrellisExample [--host 127.0.0.1] [--port 8080] [--threads N] [--seed]`: serves the reference
/// app with its OpenAPI document (`/openapi.json`, `/docs`), or with `--seed` the bare seed pipeline
/// the benchmarks measure (ProcessTime → CORS → Router, hand-written reads, no document).
func parseConfiguration(_ arguments: [String]) -> (configuration: ServerConfiguration, seed: Bool)? {
    var configuration = ServerConfiguration()
    var seed = false
    var index = 1
    while index < arguments.count {
        let flag = arguments[index]
        if flag == "--seed" {
            seed = true
            index += 1
            continue
        }
        let value = index + 1 < arguments.count ? arguments[index + 1] : nil
        switch flag {
        case "--host":
            guard let value else { return nil }
            configuration.host = value
        case "--port":
            guard let value, let port = Int(value), (0...65535).contains(port) else { return nil }
            configuration.port = port
        case "--threads":
            guard let value, let threads = Int(value), threads > 0 else { return nil }
            configuration.threads = threads
        default:
            return nil
        }
        index += 2
    }
    return (configuration, seed)
}

guard let (configuration, seed) = parseConfiguration(CommandLine.arguments) else {
    print("usage: TrellisExample [--host ADDRESS] [--port PORT] [--threads N] [--seed]")
    exit(2)
}

// The server runs on the concurrency pool while the main thread waits on a semaphore. (With a
// top-level `await` the main thread would enter Dispatch's main loop, which parks in `sigsuspend`
// with its signal mask in read-only memory; valgrind 3.19 writes to that mask and aborts with
// "Valgrind received a signal 11". Waiting this way, the example runs under valgrind/callgrind.)
let stopped = DispatchSemaphore(value: 0)
Task.detached {
    do {
        let server = seed
            ? try HTTPServer.start(ReferenceApp.make(), configuration: configuration)
            : try HTTPServer.start(ReferenceApp.makeDocumented(), configuration: configuration)
        server.stopOnSignals()
        await server.waitUntilStopped()
        print("Trellis stopped")
    } catch {
        print("error: \(error)")
        exit(1)
    }
    stopped.signal()
}
stopped.wait()
