// expected: success
// Providers compose with authentication; handlers read every provided value by type.
import Trellis
import TrellisMiddleware

struct Session: Sendable { let id: Int }
struct Tenant: Sendable { let name: String }
struct User: Sendable { let name: String }
struct Item: Codable, Sendable { let name: String }
struct OutOfStock: HTTPResponseError { var status: HTTPStatus { .conflict } }

let app = Pipeline(errorFormat: .json) {
    ProcessTime()
    Authenticate { token in token == "t" ? User(name: "ada") : nil }
    Provide { _ in Session(id: 1) } release: { _, _ in }
    Provide { _ in Tenant(name: "acme") }
    Router.taking(With<Tenant, With<Session, Authenticated<User>>>.self) {
        Get("/me") { input in "\(input.user.name) \(input[Session.self].id) \(input[Tenant.self].name)" }
        Post("/items", body: Item.self) { input, item in item }
        Get("/boom") { _ in throw OutOfStock() }
        Delete("/items/{id}") { input in
            input.request.background.add {}
            return HTTPStatus.noContent
        }
    }
}
