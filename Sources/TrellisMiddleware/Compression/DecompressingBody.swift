import Trellis
import Synchronization

/// A request body with `Content-Encoding: gzip` (or `deflate`) read through an `Inflater`:
/// compressed chunks are pulled from the original body as the handler reads, and the handler
/// gets at most 64 KiB of decompressed bytes per chunk. A gzip body may be several members, as
/// RFC 1952 §2.2 defines gzip data (they decompress to their concatenation); anything else after
/// the last member, or after a `deflate` stream, is `400`. More than `limit` decompressed bytes is
/// `413` (a 10 MB → 10 GB bomb stops at the limit with bounded memory); a corrupt or truncated
/// stream is `400`.
///
/// Confinement: one reader at a time. `reading` is claimed before the iterator, the inflater or
/// the counters are touched, so a second task reading the same body at once is refused with an
/// error instead of sharing them; `ended` is atomic because `refuseBody` may come from anywhere.
final class DecompressingBody: RequestBodySource, @unchecked Sendable {
    private let original: RequestBody
    private var iterator: RequestBody.Iterator
    private let inflater: Inflater
    private let limit: Int
    private var produced = 0
    private let reading = Atomic<Bool>(false)
    private let endedFlag = Atomic<Bool>(false)
    private var ended: Bool {
        get { endedFlag.load(ordering: .acquiring) }
        set { endedFlag.store(newValue, ordering: .releasing) }
    }

    /// Two tasks read the same body at once.
    struct ConcurrentRead: Error, CustomStringConvertible {
        var description: String { "the request body is already being read by another task" }
    }

    init(original: RequestBody, limit: Int) throws(ZlibError) {
        self.original = original
        iterator = original.makeAsyncIterator()
        inflater = try Inflater()
        self.limit = limit
    }

    func nextBodyChunk(token: UInt64) async throws -> [UInt8]? {
        guard reading.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            throw ConcurrentRead()
        }
        defer { reading.store(false, ordering: .releasing) }
        var idleRounds = 0
        while !ended {
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
            // Read the original body to its end: a gzip body may hold further members.
            guard let compressed = try await iterator.next() else {
                ended = true
                if inflater.isAtEnd { return nil }
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
