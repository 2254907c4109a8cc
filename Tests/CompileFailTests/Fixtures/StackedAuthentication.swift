// expected: success
// Two authentication middleware stack: each adds its identity, and the nearest one is `input.user`.
import Trellis
import TrellisMiddleware

struct Admin: Sendable { let name: String }

let app = Pipeline {
    BearerAuth { token in token }
    BasicAuth { user, _ in Admin(name: user) }
    Router.taking(With<Identity<Admin>, With<Identity<String>, Request>>.self) {
        Get("/") { input in "\(input.user.name) via \(input[Identity<String>.self].user)" }
    }
}
