import Foundation
import Testing
import Trellis
import TrellisServer

/// Collects what an observer and the server-event sink hear.
final class Heard: Sendable {
    let started = Locked<[String]>([])
    let finished = Locked<[RequestRecord]>([])
    let events = Locked<[ServerEvent]>([])
}

struct RecordingObserver: RequestObserver {
    let heard: Heard
    func requestStarted(_ request: Request) { heard.started.withLock { $0.append(request.path) } }
    func requestFinished(_ record: RequestRecord) { heard.finished.withLock { $0.append(record) } }
}

/// The core's hooks over real sockets: a request observer with the matched route, status,
/// duration and bytes, and the server's own events from start to stop.
@Suite struct ObserverTests {
    @Test func observerHearsEachRequestWithItsRouteStatusAndBytes() async throws {
        let heard = Heard()
        try await withServer(configure: {
            $0.observer = RecordingObserver(heard: heard)
            $0.events = ServerEvents { event in heard.events.withLock { $0.append(event) } }
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /items/7?q=x HTTP/1.1\r\nHost: t\r\n\r\n")
            let first = try client.readResponse()
            try client.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try client.readResponse()
            #expect(eventually(within: 5) { heard.finished.withLock { $0.count } == 2 })
            let records = heard.finished.withLock { $0 }
            #expect(heard.started.withLock { $0 } == ["/items/7", "/nowhere"])
            #expect(records[0].route == "/items/{item_id}")
            #expect(records[0].status == .ok)
            #expect(records[0].method == .get)
            #expect(records[0].bytesIn == "GET /items/7?q=x HTTP/1.1\r\nHost: t\r\n\r\n".utf8.count)
            #expect(records[0].bytesOut == first.rawByteCount)
            #expect(records[0].clientAddress?.host == "127.0.0.1")
            #expect(records[0].isComplete)
            #expect(records[0].duration > .zero)
            #expect(records[0].requestID == nil)
            #expect(records[1].route == nil)
            #expect(records[1].status == .notFound)
            #expect(heard.events.withLock { $0 }.first == .started(host: "127.0.0.1", port: server.port, loops: 1))
        }
        #expect(heard.events.withLock { $0 }.suffix(2) == [.stopping, .stopped])
    }

    /// The connection's context records each request's route: a repeat of the last pattern (which
    /// only moves the generation on), a request no route matched, and a change of pattern.
    @Test func eachRequestOnAConnectionHasItsOwnRoute() async throws {
        let heard = Heard()
        try await withServer(configure: { $0.observer = RecordingObserver(heard: heard) }) { server in
            let client = try RawClient(port: server.port)
            let targets = ["/items/7", "/items/8", "/nowhere", "/items/9", "/path/a", "/path/b", "/items/10"]
            for target in targets {
                try client.send("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = try client.readResponse()
            }
            #expect(eventually(within: 5) { heard.finished.withLock { $0.count } == targets.count })
            let routes = heard.finished.withLock { $0 }.map(\.route)
            #expect(routes == ["/items/{item_id}", "/items/{item_id}", nil, "/items/{item_id}", "/path/{name}", "/path/{name}", "/items/{item_id}"])
        }
    }
}
