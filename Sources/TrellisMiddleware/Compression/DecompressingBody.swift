public import Trellis
/// A request body with `Content-Encoding: gzip` (or `deflate`) read through an `Inflater`:
/// compressed chunks are pulled from the original body as the handler reads, and the handler
/// gets at most 64 KiB of decompressed bytes per chunk. More than `limit` decompressed bytes is
/// `413` (a 10 MB → 10 GB bomb stops at the limit with bounded memory); a corrupt or truncated
/// stream is `400`.
final class DecompressingBody: RequestBodySource, @unchecked Sendable {
    // One reader at a time: a RequestBody is read by one task (servers refuse concurrent reads).
    private let original: RequestBody
    private var iterator: RequestBody.Iterator
    private let inflater: Inflater
    private let limit: Int
    private var produced = 0
    private var ended = false

    init(original: RequestBody, limit: Int) throws(ZlibError) {
        self.original = original
        iterator = original.makeAsyncIterator()
        inflater = try Inflater()
        self.limit = limit
    }

    func nextBodyChunk(token: UInt64) async throws -> [UInt8]? {
        var idleRounds = 0
        while !ended {
            if inflater.finished {
                ended = true
                return nil
            }
            if inflater.hasPendingInput {
                let output: [UInt8]
                do {
                    output = try inflater.inflateSome(chunk: 64 * 1024)
                } catch {
                    ended = true
                    await original.refuse()
                    throw HTTPError(.badRequest, "The request body is not valid \(GZip.codingName) data.")
                }
                produced += output.count
                if produced > limit {
                    ended = true
                    await original.refuse()
                    throw HTTPError(.contentTooLarge, "Decompressed request body larger than \(limit) bytes.")
                }
                if !output.isEmpty { return output }
                idleRounds += 1
                if idleRounds > 4 && inflater.hasPendingInput {
                    ended = true
                    throw HTTPError(.badRequest, "The request body is not valid \(GZip.codingName) data.")
                }
                continue
            }
            guard let compressed = try await iterator.next() else {
                ended = true
                throw HTTPError(.badRequest, "The compressed request body ends before its end marker.")
            }
            inflater.feed(compressed)
        }
        return nil
    }

    func refuseBody(token: UInt64) async {
        ended = true
        await original.refuse()
    }
}
