import Trellis
import TrellisServer
import TrellisReferenceApp

#if canImport(Glibc)
import Glibc
#endif

/// `TrellisExample [--host 127.0.0.1] [--port 8080] [--threads N]`: serves the reference app.
func parseConfiguration(_ arguments: [String]) -> ServerConfiguration? {
    var configuration = ServerConfiguration()
    var index = 1
    while index < arguments.count {
        let flag = arguments[index]
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
    return configuration
}

guard let configuration = parseConfiguration(CommandLine.arguments) else {
    print("usage: TrellisExample [--host ADDRESS] [--port PORT] [--threads N]")
    exit(2)
}

let app = ReferenceApp.make()
do {
    let server = try HTTPServer.start(app, configuration: configuration)
    server.stopOnSignals()
    await server.waitUntilStopped()
    print("Trellis stopped")
} catch {
    print("error: \(error)")
    exit(1)
}
