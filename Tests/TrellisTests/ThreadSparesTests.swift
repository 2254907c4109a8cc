import Testing
@testable import Trellis

/// The per-thread spares (`ThreadSpares`): what a request gives back is what the next one on the
/// same thread takes, and giving back never disturbs another copy. No `await` inside a test, so
/// each runs on one thread and reaches one slot.
struct ThreadSparesTests {
    @Test func aResponsesHeaderStorageIsReusedByTheNextLiteralOnItsThread() {
        var first: HTTPHeaders = [.contentType: "text/plain"]
        first.append(.vary, "Origin")
        let storage = first.withFields { $0.baseAddress }
        first.recycleStorage()
        #expect(first.isEmpty)
        // No await in between: the same thread, so the same slot.
        let second: HTTPHeaders = [.contentType: "application/json"]
        #expect(second.withFields { $0.baseAddress } == storage)
        #expect(second.map(\.value) == ["application/json"])
    }

    @Test func recyclingSharedHeadersLeavesTheOtherCopyIntact() {
        var recycled: HTTPHeaders = [.contentType: "text/plain", .vary: "Origin"]
        let kept = recycled
        recycled.recycleStorage()
        var next: HTTPHeaders = [.cacheControl: "no-store"]
        next.append(.etag, "\"1\"")
        #expect(kept.map(\.value) == ["text/plain", "Origin"])
        #expect(next.map(\.value) == ["no-store", "\"1\""])
    }

    @Test func pathParameterStorageIsReusedByTheNextMatch() {
        let trie = RouteTrie(patterns: [(.get, "/items/{id}"), (.get, "/shops/{shop}/items/{id}")])
        guard case .route(_, var first, _) = trie.match(method: .get, path: "/shops/a/items/1") else {
            Issue.record("no match")
            return
        }
        #expect(first["shop"] == "a" && first["id"] == "1")
        let storage = first.namesThenValues.withUnsafeBufferPointer { $0.baseAddress }
        first.recycleStorage()
        guard case .route(_, let second, _) = trie.match(method: .get, path: "/items/2") else {
            Issue.record("no match")
            return
        }
        #expect(second["id"] == "2")
        #expect(second.namesThenValues.withUnsafeBufferPointer { $0.baseAddress } == storage)
    }

    @Test func theJSONWritersOutputIsReusedAndItsBytesAreNot() throws {
        struct Pair: Encodable { let a: Int; let b: String }
        let first = try JSONWriter.encode(Pair(a: 1, b: "x"))
        let second = try JSONWriter.encode(Pair(a: 2, b: "y"))
        #expect(String(decoding: first, as: UTF8.self) == #"{"a":1,"b":"x"}"#)
        #expect(String(decoding: second, as: UTF8.self) == #"{"a":2,"b":"y"}"#)
        let spare = try #require(ThreadSpares.takeJSONOutput(), "the output object went back to the slot")
        #expect(spare.state.bytes.count == 0, "the bytes went with the response")
        #expect(spare.state.bytes.capacity >= spare.state.bytes.initialCapacity, "the output keeps its own storage")
        // Each body is an array of its own, not the output's storage.
        #expect(first.withUnsafeBufferPointer { $0.baseAddress } != second.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func aFailedEncodingLeavesNoStateForTheNext() throws {
        struct Fails: Encodable {
            struct Failure: Error {}
            func encode(to encoder: any Encoder) throws {
                var container = encoder.unkeyedContainer()
                try container.encode(1)
                throw Failure()
            }
        }
        #expect(throws: Fails.Failure.self) { try JSONWriter.encode([Fails()]) }
        #expect(String(decoding: try JSONWriter.encode(["k": 1]), as: UTF8.self) == #"{"k":1}"#)
    }
}
