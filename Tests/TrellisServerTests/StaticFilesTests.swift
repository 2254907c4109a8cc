import Foundation
import Testing
import Trellis
import TrellisMiddleware
import TrellisServer

/// A directory of files to serve, with a symbolic link that leaves it.
final class SiteDirectory: @unchecked Sendable {
    let root: String
    let outside: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-static-\(UUID().uuidString)").path
        root = base + "/site"
        outside = base + "/secret.txt"
        try FileManager.default.createDirectory(atPath: root + "/docs", withIntermediateDirectories: true)
        try "top secret".write(toFile: outside, atomically: true, encoding: .utf8)
        try "<h1>home</h1>".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try "0123456789".write(toFile: root + "/digits.txt", atomically: true, encoding: .utf8)
        try "body { }".write(toFile: root + "/docs/style.css", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/leak.txt", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: root + "/inside.txt", withDestinationPath: root + "/digits.txt")
    }

    /// A sparse file of `size` bytes (zeros), cheap to create.
    func sparseFile(_ name: String, size: Int64) throws -> String {
        let path = root + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
        return path
    }

    deinit { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
}

func makeStaticApp(_ site: SiteDirectory) -> some Responder<Request, Response> {
    Pipeline(reporter: .discarding) {
        StaticFiles(site.root, at: "/static", cacheControl: "public, max-age=60")
        Router { Get("/") { _ in "router" } }
    }
}

/// Whether this process runs under AddressSanitizer, whose quarantine keeps freed memory resident
/// (memory bounds are not what such a run checks).
let runsUnderAddressSanitizer: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil

/// Whether this process runs under AddressSanitizer or ThreadSanitizer, which slow every syscall.
let runsUnderASanitizer: Bool = runsUnderAddressSanitizer || dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil

/// Current resident set size of this process, in bytes.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
}

@Suite(.serialized) struct StaticFilesTests {
    @Test func servesFilesWithTypesValidatorsAndIndex() async throws {
        let site = try SiteDirectory()
        try await withServer(makeStaticApp(site)) { server in
            let (file, index, css, head, other) = try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /static/digits.txt HTTP/1.1\r\nHost: a\r\n\r\n")
                let file = try client.readResponse()
                try client.send("GET /static/ HTTP/1.1\r\nHost: a\r\n\r\n")
                let index = try client.readResponse()
                try client.send("GET /static/docs/style.css HTTP/1.1\r\nHost: a\r\n\r\n")
                let css = try client.readResponse()
                try client.send("HEAD /static/digits.txt HTTP/1.1\r\nHost: a\r\n\r\n")
                let head = try client.readResponse(head: true)
                try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
                return (file, index, css, head, try client.readResponse())
            }
            #expect(file.text == "0123456789")
            #expect(file.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(file.header("Content-Length") == "10")
            #expect(file.header("ETag")?.hasPrefix("\"") == true)
            #expect(file.header("Last-Modified")?.hasSuffix(" GMT") == true)
            #expect(file.header("Cache-Control") == "public, max-age=60")
            #expect(file.header("Accept-Ranges") == "bytes")
            #expect(index.text == "<h1>home</h1>")
            #expect(index.header("Content-Type") == "text/html; charset=utf-8")
            #expect(css.header("Content-Type") == "text/css; charset=utf-8")
            #expect(head.header("Content-Length") == "10")
            #expect(head.body.isEmpty)
            #expect(other.text == "router", "paths outside the prefix go on to the router")
        }
    }

    @Test(arguments: [false, true])
    func dotfilesAre404UnlessAllowedAndWellKnownIsServed(_ allowDotfiles: Bool) async throws {
        let site = try SiteDirectory()
        try FileManager.default.createDirectory(atPath: site.root + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: site.root + "/.well-known", withIntermediateDirectories: true)
        try "SECRET=1".write(toFile: site.root + "/.env", atomically: true, encoding: .utf8)
        try "[core]".write(toFile: site.root + "/.git/config", atomically: true, encoding: .utf8)
        try "token".write(toFile: site.root + "/.well-known/acme", atomically: true, encoding: .utf8)
        let app = Pipeline(reporter: .discarding) {
            StaticFiles(site.root, at: "/static", allowDotfiles: allowDotfiles, fileIO: allowDotfiles ? .eventLoop : .threadPool)
            Router { Get("/") { _ in "router" } }
        }
        try await withServer(app) { server in
            try await onOwnThread {
                let client = try RawClient(port: server.port)
                for path in ["/static/.env", "/static/.git/config", "/static/%2eenv", "/static/docs/../.env"] {
                    try client.send("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")
                    let response = try client.readResponse()
                    if allowDotfiles && !path.contains("..") {
                        #expect(response.status == 200, "\(path)")
                    } else {
                        #expect(response.status == 404, "\(path)")
                        #expect(!response.text.contains("SECRET") && !response.text.contains("[core]"))
                    }
                }
                try client.send("GET /static/.well-known/acme HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().text == "token")
                try client.send("GET /static/digits.txt HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().text == "0123456789", "served with fileIO \(allowDotfiles ? "eventLoop" : "threadPool")")
            }
        }
    }

    @Test func conditionalRequestsGet304() async throws {
        let site = try SiteDirectory()
        try await withServer(makeStaticApp(site)) { server in
            let statuses = try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /static/digits.txt HTTP/1.1\r\nHost: a\r\n\r\n")
                let first = try client.readResponse()
                let etag = first.header("ETag") ?? ""
                let modified = first.header("Last-Modified") ?? ""
                var statuses: [Int] = []
                for condition in [
                    "If-None-Match: \(etag)", "If-None-Match: \"other\", W/\(etag)", "If-None-Match: *",
                    "If-Modified-Since: \(modified)", "If-None-Match: \"other\"", "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT",
                    "If-None-Match: \"other\"\r\nIf-Modified-Since: \(modified)",
                ] {
                    try client.send("GET /static/digits.txt HTTP/1.1\r\nHost: a\r\n\(condition)\r\n\r\n")
                    statuses.append(try client.readResponse().status)
                }
                return statuses
            }
            #expect(statuses == [304, 304, 304, 304, 200, 200, 200], "If-None-Match wins over If-Modified-Since")
        }
    }

    @Test func rangesGet206Or416() async throws {
        let site = try SiteDirectory()
        try await withServer(makeStaticApp(site)) { server in
            let responses = try await onOwnThread {
                let client = try RawClient(port: server.port)
                var responses: [RawResponse] = []
                for range in ["bytes=2-5", "bytes=7-", "bytes=-3", "bytes=5-100", "bytes=10-", "bytes=0-1,4-5", "items=1-2", "bytes=5-2"] {
                    try client.send("GET /static/digits.txt HTTP/1.1\r\nHost: a\r\nRange: \(range)\r\n\r\n")
                    responses.append(try client.readResponse())
                }
                try client.send("GET /static/digits.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-0\r\nIf-Range: \"stale\"\r\n\r\n")
                responses.append(try client.readResponse())
                return responses
            }
            #expect(responses.map(\.status) == [206, 206, 206, 206, 416, 200, 200, 200, 200])
            #expect(responses[0].text == "2345")
            #expect(responses[0].header("Content-Range") == "bytes 2-5/10")
            #expect(responses[1].text == "789")
            #expect(responses[2].text == "789")
            #expect(responses[3].header("Content-Range") == "bytes 5-9/10")
            #expect(responses[4].header("Content-Range") == "bytes */10")
            #expect(responses[8].text == "0123456789", "a stale If-Range gets the whole file")
        }
    }

    @Test func traversalInEverySpellingIs404() async throws {
        let site = try SiteDirectory()
        try await withServer(makeStaticApp(site)) { server in
            let attempts = [
                "/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E/secret.txt", "/static/docs/..%2f..%2fsecret.txt",
                "/static/..%5csecret.txt", "/static/%2e%2e%5csecret.txt", "/static/%00digits.txt", "/static/digits.txt%00",
                "/static//etc/passwd", "/static/leak.txt", "/static/docs/%2e%2e/%2e%2e/secret.txt", "/static/nope.txt",
                "/static/%zz",
            ]
            let results = try await onOwnThread {
                let client = try RawClient(port: server.port)
                var results: [(Int, String)] = []
                for path in attempts {
                    try client.send("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")
                    let response = try client.readResponse()
                    results.append((response.status, response.text))
                }
                try client.send("GET /static/inside.txt HTTP/1.1\r\nHost: a\r\n\r\n")
                results.append((try client.readResponse().status, "inside"))
                return results
            }
            for (index, path) in attempts.enumerated() {
                #expect([400, 404].contains(results[index].0), "\(path) → \(results[index].0)")
                #expect(!results[index].1.contains("top secret"), "\(path)")
            }
            #expect(results.last?.0 == 200, "a link that stays inside the root is served")
        }
    }

    @Test func aLargeFileStreamsWithFlatMemory() async throws {
        let site = try SiteDirectory()
        let size: Int64 = 256 << 20
        _ = try site.sparseFile("large.bin", size: size)
        try await withServer(makeStaticApp(site)) { server in
            let before = residentBytes()
            let (received, peakGrowth) = try await onOwnThread {
                let client = try RawClient(port: server.port, timeout: 30)
                try client.send("GET /static/large.bin HTTP/1.1\r\nHost: a\r\n\r\n")
                var total = 0
                var peak = 0
                var chunk = [UInt8](repeating: 0, count: 256 * 1024)
                while true {
                    let count = recv(client.fd, &chunk, chunk.count, 0)
                    guard count > 0 else { break }
                    total += count
                    if total % (32 << 20) < count { peak = max(peak, residentBytes() - before) }
                    if total >= Int(size) { break }
                }
                return (total, peak)
            }
            #expect(received >= Int(size), "the head plus \(size) bytes")
            if !runsUnderAddressSanitizer {
                #expect(peakGrowth < 64 << 20, "RSS grew by \(peakGrowth >> 20) MiB while streaming 256 MiB")
            }
        }
    }
}
