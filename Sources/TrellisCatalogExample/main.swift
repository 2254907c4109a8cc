// A second example: a pipeline that uses every middleware of the catalog, plus a static directory.
//   swift run -c release TrellisCatalogExample [--host 127.0.0.1] [--port 8081] [--static DIR]
//     [--threads N] [--file-io thread-pool|event-loop]
// Try:
//   curl -si --compressed http://127.0.0.1:8081/api/items
//   curl -s http://127.0.0.1:8081/openapi.json                 (the OpenAPI document; /docs in a browser)
//   curl -si http://127.0.0.1:8081/static/                      (the page; ETag, Range, 304)
//   curl -si -u admin:trellis http://127.0.0.1:8081/admin
//   curl -si -H 'Content-Type: application/json' -d '{"name":"lamp","price":3}' http://127.0.0.1:8081/api/items
import Foundation
import Trellis
import TrellisMiddleware
import TrellisServer

struct Admin: Sendable {
    let name: String
}

struct NewItem: Codable, Sendable {
    let name: String
    let price: Double
}

struct Catalog: Codable, Sendable {
    let items: [NewItem]
    let note: String
}

struct ItemIndex: Decodable, Sendable {
    let index: Int
}

var host = "127.0.0.1"
var port = 8081
var threads = 1
var fileIO = StaticFiles.FileIO.threadPool
var staticDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Public").path
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    switch (flag, arguments.next()) {
    case ("--host", let value?): host = value
    case ("--port", let value?): port = Int(value) ?? port
    case ("--static", let value?): staticDirectory = value
    case ("--threads", let value?): threads = max(1, Int(value) ?? threads)
    case ("--file-io", "thread-pool"?): fileIO = .threadPool
    case ("--file-io", "event-loop"?): fileIO = .eventLoop
    default:
        print("usage: TrellisCatalogExample [--host ADDRESS] [--port PORT] [--static DIRECTORY] [--threads N] [--file-io thread-pool|event-loop]")
        exit(2)
    }
}

let adminPassword = ProcessInfo.processInfo.environment["ADMIN_PASSWORD"] ?? "trellis"
let proxies = TrustedProxies(["127.0.0.1", "::1"])
let items = (0..<40).map { NewItem(name: "item \($0)", price: Double($0) * 1.5) }

let app = Pipeline(errorFormat: .json) {
    RequestID()
    AccessLog()
    ProcessTime()
    // Before SecurityHeaders: its Content-Security-Policy ('self' only) would stop /docs loading
    // Swagger UI from jsDelivr.
    OpenAPIDocs(info: OpenAPIInfo(title: "Trellis catalog example", version: "1.0.0"))
    SecurityHeaders(contentSecurityPolicy: "default-src 'self'", proxies: proxies)
    TrustedHost(["localhost", "127.0.0.1", "::1", "*.localhost"])
    GZip()
    StaticFiles(staticDirectory, at: "/static", cacheControl: "public, max-age=300", fileIO: fileIO)
    Router {
        Get("/") { _ in Response(status: .seeOther, headers: [.location: "/static/"]) }
        // Every /api route must answer within a second (a 503 with Retry-After otherwise).
        Group("/api", middleware: Timeout(.seconds(1))) {
            Get("/items") { _ in Catalog(items: items, note: "compressed when you accept gzip") }
            Get("/items/{index}", path: ItemIndex.self) { _, path in
                guard items.indices.contains(path.index) else { throw HTTPError(.notFound, "No item \(path.index).") }
                return items[path.index]
            }
            .responds(.notFound, "No item has this index.")
            Group("/items", middleware: BodyLimit(maxBytes: 16 * 1024)) {
                Post("/", body: NewItem.self) { request, item in
                    request.background.add { print("audit: \(request.id ?? "-") added \(item.name)") }
                    return item
                }
            }
        }
        Group("/admin", middleware: BasicAuth(realm: "admin") { user, password in
            user == "admin" && ConstantTime.equals(password, adminPassword) ? Admin(name: user) : nil
        }) {
            Get("/") { input in "hello \(input.user.name), request \(input.request.id ?? "-")" }
        }
        Group("/secure", middleware: HTTPSRedirect(proxies: proxies)) {
            Get("/") { _ in "you came over HTTPS (says a trusted proxy)" }
        }
    }
}

do {
    let configuration = ServerConfiguration(host: host, port: port, threads: threads)
    let server = try HTTPServer.start(app, configuration: configuration)
    server.stopOnSignals()
    print("static files from \(staticDirectory)")
    fflush(nil)
    await server.waitUntilStopped()
} catch {
    print("error: \(error)")
    exit(1)
}
