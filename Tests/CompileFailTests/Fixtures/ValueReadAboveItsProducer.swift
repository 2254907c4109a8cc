// expected-error: is readable only below the middleware that adds it: put that middleware (BearerAuth, BasicAuth, Provide, …) above this route
// A route reads the session that only its sibling group provides.
import Trellis
import TrellisMiddleware

struct DBSession: Sendable {}
struct User: Sendable { let name: String }
extension With where Value == DBSession { var session: DBSession { value } }

let app = Pipeline {
    ProcessTime()
    BearerAuth { token in User(name: token) }
    Router.taking(Authenticated<User>.self) {
        Group("/orders", middleware: Provide { _ in DBSession() }) {
            Get("/") { input in "\(input.user.name) \(input.session)" }
        }
        Get("/profile") { input in "\(input.user.name) \(input.session)" }
    }
}
