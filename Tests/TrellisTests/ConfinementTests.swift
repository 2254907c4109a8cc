import Testing
import Trellis
@testable import TrellisMiddleware
import TrellisTesting

/// The three `@unchecked Sendable` types whose stated rule used to be false, each driven the way
/// that broke it: two tasks on one writer or one body at once. Under ThreadSanitizer the old code
/// reports a data race here; without it, the old `GZip` stream produced a corrupt gzip stream.
struct ConfinementTests {
    static let pieces = (0..<64).map { index in String(repeating: Character(UnicodeScalar(UInt8(65 + index % 26))), count: 512) }

    /// A stream whose writer is used by 8 tasks at once.
    static func concurrentStream() -> ResponseBody {
        .stream { writer in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        for index in stride(from: lane, to: pieces.count, by: 8) { try await writer.write(pieces[index]) }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func collectingAStreamWrittenFromSeveralTasksKeepsEveryPieceWhole() async throws {
        let bytes = try await Self.concurrentStream().collect()
        #expect(bytes.count == Self.pieces.count * 512)
        // Every 512-byte piece landed whole (one letter throughout), whatever the order.
        for start in stride(from: 0, to: bytes.count, by: 512) {
            #expect(Set(bytes[start..<(start + 512)]).count == 1)
        }
    }

    @Test func gzipStreamWrittenFromSeveralTasksIsOneValidGzipStream() async throws {
        let app = Pipeline(reporter: .discarding) {
            GZip()
            Router { Get("/many") { _ in Response(headers: [.contentType: "text/plain"], body: Self.concurrentStream()) } }
        }
        let response = try await app.run(.get, "/many", headers: [.acceptEncoding: "gzip"], body: [])
        #expect(response.headers[.contentEncoding] == "gzip")
        let plain = try gunzip(response.body)
        #expect(plain.count == Self.pieces.count * 512)
        let expected = Self.pieces.reduce(into: [UInt8: Int]()) { counts, piece in counts[piece.utf8.first ?? 0, default: 0] += 512 }
        let actual = plain.reduce(into: [UInt8: Int]()) { counts, byte in counts[byte, default: 0] += 1 }
        #expect(actual == expected)
    }

    @Test func aDecompressingBodyRefusesASecondConcurrentReader() async throws {
        let source = HeldSource(chunks: [gzip(Array("hello, world".utf8))])
        let body = try DecompressingBody(original: RequestBody(source: source, token: 0, expectedLength: nil), limit: 1 << 20)
        let first = Task { try await body.nextBodyChunk(token: 0) }
        await source.waitUntilAsked()
        // The first reader is suspended inside the original body: a second one must not touch the
        // iterator or the inflater it is using.
        await #expect(throws: DecompressingBody.ConcurrentRead.self) { _ = try await body.nextBodyChunk(token: 0) }
        source.release()
        #expect(try await first.value == Array("hello, world".utf8))
    }
}

/// A body source whose first read waits until the test releases it.
final class HeldSource: RequestBodySource {
    private let state = Locked<(chunks: [[UInt8]], asked: CheckedContinuation<Void, Never>?, askedAlready: Bool, gate: CheckedContinuation<Void, Never>?, released: Bool)>(
        ([], nil, false, nil, false)
    )

    init(chunks: [[UInt8]]) { state.withLock { $0.chunks = chunks } }

    func waitUntilAsked() async {
        await withCheckedContinuation { continuation in
            let already = state.withLock { state in
                if state.askedAlready { return true }
                state.asked = continuation
                return false
            }
            if already { continuation.resume() }
        }
    }

    func release() {
        let gate = state.withLock { state in
            state.released = true
            defer { state.gate = nil }
            return state.gate
        }
        gate?.resume()
    }

    func nextBodyChunk(token: UInt64) async throws -> [UInt8]? {
        let asked = state.withLock { state in
            state.askedAlready = true
            defer { state.asked = nil }
            return state.asked
        }
        asked?.resume()
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if state.released { return true }
                state.gate = continuation
                return false
            }
            if open { continuation.resume() }
        }
        return state.withLock { state in state.chunks.isEmpty ? nil : state.chunks.removeFirst() }
    }

    func refuseBody(token: UInt64) async {}
}

/// gzip-compresses `bytes` with the system zlib.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    let deflater = try? Deflater(gzip: true, level: 6)
    return deflater?.compress(bytes, flush: false, finish: true) ?? []
}

/// Decompresses a whole gzip stream with the system zlib; throws unless it is one valid stream.
func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let inflater = try Inflater()
    inflater.feed(bytes)
    var output: [UInt8] = []
    while !inflater.isAtEnd {
        let piece = try inflater.inflateSome(chunk: 64 * 1024)
        if piece.isEmpty && !inflater.isAtEnd { throw ZlibError.corrupt }
        output += piece
    }
    return output
}
