// expected-error: initializer 'init(_:body:_:)' requires that 'Upload' conform to 'Decodable'
// A typed-body route whose body type cannot be decoded.
import Trellis

struct Upload: Sendable {
    let name: String
}

let app = Pipeline {
    Router {
        Post("/uploads", body: Upload.self) { _, upload in "got \(upload.name)" }
    }
}
