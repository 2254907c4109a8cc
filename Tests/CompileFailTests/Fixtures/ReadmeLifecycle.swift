// expected: success
// The README's lifecycle example, as a newcomer would paste it.
import Trellis
import TrellisMiddleware

struct Session: Sendable { func close() async {} }
struct NewItem: Codable, Sendable { let name: String; let price: Double }

let shop = Pipeline {
    ProcessTime()
    Provide { _ in Session() } release: { session, outcome in await session.close() }
    Router.taking(With<Session, Request>.self) {
        Post("/items", body: NewItem.self) { input, item in       // 422 names the bad field
            input.request.background.add { print("audit: added \(item.name)") }
            return item
        }
    }
}

// The README's catalog example.
let catalog = Pipeline {
    RequestID()
    AccessLog()
    SecurityHeaders()
    TrustedHost(["localhost", "127.0.0.1"])
    GZip()
    StaticFiles("public", at: "/static")
    Router {
        Group("/admin", middleware: BasicAuth(realm: "admin") { user, password in
            user == "admin" && ConstantTime.equals(password, "s3cret") ? user : nil
        }) { Get("/") { input in "hello \(input.user)" } }
    }
}
