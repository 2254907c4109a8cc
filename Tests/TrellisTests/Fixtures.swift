import Trellis
import TrellisReferenceApp

/// A user for authentication tests.
struct User: Sendable, Equatable {
    let name: String
}

/// The reference app of the brief (`TrellisReferenceApp`: ProcessTime → CORS → Router), the same
/// definition the example server and the benchmarks use.
func makeSeedApp() -> ReferenceApp.Application { ReferenceApp.make() }

/// The reference app's middleware over routes that fail: `/boom` throws an unexpected error,
/// `/teapot` an `HTTPError` with a status of its own.
func makeFailingApp() -> ReferenceApp.Application {
    ReferenceApp.make {
        Get("/boom") { _ -> String in throw SecretError() }
        Get("/teapot") { _ -> String in throw HTTPError(HTTPStatus(code: 418), "short and stout") }
    }
}

struct SecretError: Error, CustomStringConvertible {
    var description: String { "database password is hunter2" }
}
