// expected-error: name your own value with `extension With where Value == T { var name: T { value } }`
// A provided value read by a name nobody gave it.
import Trellis

struct DBSession: Sendable {}

let app = Pipeline {
    ProcessTime()
    Provide { _ in DBSession() }
    Router.taking(With<DBSession, Request>.self) {
        Get("/") { input in "\(input.session)" }
    }
}
