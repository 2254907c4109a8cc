// expected-error: to expected argument type 'nonisolated(nonsending) @Sendable (Request, ItemPath, ItemQuery) async throws -> String'
// A declared-type route whose handler's parameters do not match the declared types.
import Trellis

struct ItemPath: Decodable, Sendable { let item_id: Int }
struct ItemQuery: Decodable, Sendable { let q: String? }

// The handler takes the path's field as an Int, but the route declares the whole ItemPath.
let app = Pipeline {
    Router {
        Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { (request: Request, itemID: Int, query: ItemQuery) in
            "item \(itemID)"
        }
    }
}
