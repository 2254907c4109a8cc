// expected: success
// A user's own `Either` and `Maybe` do not collide with the builder's `if`/`else` support.
import Trellis

enum Either<Left, Right> { case left(Left), right(Right) }
struct Maybe<Wrapped> { let value: Wrapped? }

let verbose = Bool.random()
let choice: Either<Int, String> = .left(1)
let maybe = Maybe(value: 3)

let app = Pipeline {
    if verbose {
        ProcessTime()
    } else {
        CORS()
    }
    if verbose { ProcessTime() }
    Router { Get("/") { _ in "ok" } }
}
