import Testing
import Trellis
import TrellisMiddleware
import TrellisTesting

struct GZipTests {
    static let text = String(repeating: "Trellis compresses repeated text very well. ", count: 40)

    let app = Pipeline(reporter: .discarding) {
        GZip()
        Router {
            Get("/text") { _ in GZipTests.text }
            Get("/small") { _ in "tiny" }
            Get("/png") { _ in Response(headers: [.contentType: "image/png"], body: Array(GZipTests.text.utf8)) }
            Get("/svg") { _ in Response(headers: [.contentType: "image/svg+xml"], body: Array(GZipTests.text.utf8)) }
            Get("/encoded") { _ in Response(headers: [.contentType: "text/plain", .contentEncoding: "br"], body: Array(GZipTests.text.utf8)) }
            Get("/partial") { _ in Response(status: .partialContent, headers: [.contentType: "text/plain"], body: Array(GZipTests.text.utf8)) }
            Get("/etag") { _ in
                Response(headers: [.contentType: "text/plain", .etag: "\"v1\"", .contentLength: "1800"], body: Array(GZipTests.text.utf8))
            }
            Get("/stream") { _ in
                Response(headers: [.contentType: "text/plain"], body: .stream { writer in
                    for _ in 0..<20 { try await writer.write(GZipTests.text) }
                })
            }
            Post("/echo") { request in Response(headers: [.contentType: "application/octet-stream"], body: try await request.body.collect()) }
        }
    }

    func get(_ path: String, accept: String?) async throws -> TestResponse {
        var headers: HTTPHeaders = [:]
        if let accept { headers[.acceptEncoding] = accept }
        return try await app.run(.get, path, headers: headers, body: [])
    }

    @Test func negotiatesWithQValues() {
        #expect(GZip.negotiate(["gzip"]) == true)
        #expect(GZip.negotiate(["gzip, deflate, br"]) == true)
        #expect(GZip.negotiate(["deflate"]) == false)
        #expect(GZip.negotiate(["gzip;q=0, deflate"]) == false)
        #expect(GZip.negotiate(["gzip;q=0"]) == nil)
        #expect(GZip.negotiate(["*"]) == true)
        #expect(GZip.negotiate(["*;q=0"]) == nil)
        #expect(GZip.negotiate(["br, *;q=0.5, gzip;q=0"]) == false, "* covers deflate, gzip is refused")
        #expect(GZip.negotiate(["identity"]) == nil)
        #expect(GZip.negotiate([]) == nil)
        #expect(GZip.negotiate(["GZIP;Q=0.5", "deflate;q=0.9"]) == false)
        #expect(GZip.negotiate(["gzip;q=banana"]) == nil)
    }

    @Test func compressesAndRoundTrips() async throws {
        let response = try await get("/text", accept: "gzip")
        #expect(response.headers[.contentEncoding] == "gzip")
        #expect(response.headers[.vary] == "Accept-Encoding")
        #expect(response.body.count < GZipTests.text.utf8.count / 5)
        #expect(response.body.prefix(2) == [0x1F, 0x8B], "a gzip member")
        // Decompress through the same middleware's request path: POST the bytes back as gzip.
        let echoed = try await app.run(.post, "/echo", headers: [.contentEncoding: "gzip"], body: response.body)
        #expect(echoed.text == GZipTests.text)
        let deflated = try await get("/text", accept: "deflate")
        #expect(deflated.headers[.contentEncoding] == "deflate")
        #expect(try await app.run(.post, "/echo", headers: [.contentEncoding: "deflate"], body: deflated.body).text == GZipTests.text)
    }

    @Test func leavesAloneWhatShouldNotBeCompressed() async throws {
        let identity = try await get("/text", accept: nil)
        #expect(identity.headers[.contentEncoding] == nil)
        #expect(identity.headers[.vary] == "Accept-Encoding", "the representation depends on Accept-Encoding")
        #expect(identity.text == GZipTests.text)
        for path in ["/small", "/png", "/encoded", "/partial"] {
            let response = try await get(path, accept: "gzip")
            #expect(response.headers[.contentEncoding] != "gzip", "\(path)")
        }
        #expect(try await get("/svg", accept: "gzip").headers[.contentEncoding] == "gzip")
        let head = try await app.run(.head, "/text", headers: [.acceptEncoding: "gzip"], body: [])
        #expect(head.headers[.contentEncoding] == "gzip", "HEAD gets the headers GET would")
        #expect(head.headers[.contentLength] == nil)
        #expect(head.headers[.vary] == "Accept-Encoding")
        let smallHead = try await app.run(.head, "/small", headers: [.acceptEncoding: "gzip"], body: [])
        #expect(smallHead.headers[.contentEncoding] == nil)
    }

    @Test func fixesFraming() async throws {
        let response = try await get("/etag", accept: "gzip")
        #expect(response.headers[.contentEncoding] == "gzip")
        #expect(response.headers[.contentLength] == nil, "a stale Content-Length is dropped")
        #expect(response.headers[.etag] == "W/\"v1\"")
    }

    @Test func streamsAreCompressedChunkByChunk() async throws {
        let response = try await get("/stream", accept: "gzip")
        #expect(response.headers[.contentEncoding] == "gzip")
        let echoed = try await app.run(.post, "/echo", headers: [.contentEncoding: "gzip"], body: response.body)
        #expect(echoed.text == String(repeating: GZipTests.text, count: 20))
    }

    @Test func badRequestBodies() async throws {
        let corrupt = try await app.run(.post, "/echo", headers: [.contentEncoding: "gzip"], body: [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(corrupt.status == .badRequest)
        let truncated = try await get("/text", accept: "gzip").body.dropLast(12)
        #expect(try await app.run(.post, "/echo", headers: [.contentEncoding: "gzip"], body: Array(truncated)).status == .badRequest)
        #expect(try await app.run(.post, "/echo", headers: [.contentEncoding: "br"], body: [1, 2]).status == .unsupportedMediaType)
        #expect(try await app.run(.post, "/echo", headers: [.contentEncoding: "gzip, gzip"], body: [1]).status == .unsupportedMediaType)
    }

    @Test func aDecompressionBombStopsAtTheLimit() async throws {
        let bombApp = Pipeline(reporter: .discarding) {
            GZip(minimumSize: 0, maxDecompressedBytes: 1 << 20)
            Router {
                Get("/zeros") { _ in Response(headers: [.contentType: "text/plain"], body: [UInt8](repeating: 0, count: 8 << 20)) }
                Post("/count") { request in
                    var total = 0
                    for try await chunk in request.body { total += chunk.count }
                    return "\(total)"
                }
            }
        }
        let bomb = try await bombApp.run(.get, "/zeros", headers: [.acceptEncoding: "gzip"], body: []).body
        #expect(bomb.count < 20_000, "8 MiB of zeros compress to a few KiB")
        let response = try await bombApp.run(.post, "/count", headers: [.contentEncoding: "gzip"], body: bomb)
        #expect(response.status == .contentTooLarge)
    }
}
