// expected: success
// The core alone: ProcessTime, CORS, a router and a provider, with no catalog import. The harness
// gives this file no zlib module map, so it compiles only while `Trellis` needs no system library.
import Trellis

struct Session: Sendable {}

let app = Pipeline {
    ProcessTime()
    CORS(allowOrigins: ["https://example.com"], expose: ["X-Process-Time"])
    Provide { _ in Session() }
    Router.taking(With<Session, Request>.self) {
        Get("/") { _ in "Hello, World!" }
    }
}
