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
}
