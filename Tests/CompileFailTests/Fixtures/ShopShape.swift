// expected: success
// The shop: a DB session for every request, a public group, an auth group below it, and a handler
// that reads both values by name and by type.
import Trellis
import TrellisMiddleware

struct DBSession: Sendable { func close() async {} }
struct User: Sendable { let name: String }
struct Product: Codable, Sendable { let name: String }
extension With where Value == DBSession { var session: DBSession { value } }

struct Tenant: Sendable { let id: String }
struct CurrentTenant: ProvidingMiddleware {
    func value(for request: Request) async throws -> Tenant { Tenant(id: request.headers["X-Tenant"] ?? "shop") }
}

let shop = Pipeline {
    RequestID()
    ProcessTime()
    Provide { _ in DBSession() } release: { session, _ in await session.close() }
    GZip()
    Router.taking(With<DBSession, Request>.self) {
        Group("/products") {
            Get("/") { input in [Product(name: "tea \(input.session)")] }
        }
        Group("/account", middleware: BearerAuth { token in token == "t" ? User(name: "ada") : nil }) {
            Get("/orders") { input in "\(input.user.name) \(input.session) \(input[DBSession.self]) \(input.headers.count)" }
            Group("/tenant", middleware: CurrentTenant()) {
                Get("/") { input in "\(input.value.id) \(input.user.name) \(input.session)" }
            }
        }
    }
}
