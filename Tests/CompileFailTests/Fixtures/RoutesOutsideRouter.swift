// expected-error: 'RoutesMustBeInsideRouter' conform to 'Responder'
// (a) Routes written straight into the Pipeline, without `Router { }`.
import Trellis

let app = Pipeline {
    ProcessTime()
    Get("/") { _ in "Hello" }
    Get("/items") { _ in "[]" }
}
