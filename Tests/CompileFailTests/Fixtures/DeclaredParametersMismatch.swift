// expected-error: to expected argument type 'nonisolated(nonsending) @Sendable (Request, Int, String?) async throws -> String'
// A route declaring its parameters one by one whose handler takes one of them as another type.
import Trellis

// `item_id` is declared an Int, but the handler takes it as a String.
let app = Pipeline {
    Router {
        Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self)) { (request: Request, itemID: String, q: String?) in
            "item \(itemID)"
        }
    }
}
