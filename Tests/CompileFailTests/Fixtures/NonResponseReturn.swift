// expected-error: a handler returns a String, bytes, HTTPStatus or Response, or an Encodable value (sent as JSON): make the returned type Encodable
// A handler returning a type that is neither ResponseConvertible nor Encodable.
import Trellis

struct Ticket: Sendable {}

let app = Pipeline {
    Router {
        Get("/") { _ in Ticket() }
    }
}
