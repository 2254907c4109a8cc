// expected-error: requires that 'Ticket' conform to 'ResponseConvertible'
// A handler returning a type that is neither ResponseConvertible nor Encodable.
import Trellis

struct Ticket: Sendable {}

let app = Pipeline {
    Router {
        Get("/") { _ in Ticket() }
    }
}
