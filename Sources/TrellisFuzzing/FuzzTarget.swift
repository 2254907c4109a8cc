/// The fuzz targets: each takes arbitrary bytes and checks an invariant beyond "no crash",
/// returning a description of the first violation (`nil` when the input is handled correctly).
/// `trellis-fuzz` drives them under libFuzzer (`Scripts/fuzz.sh`); the tests replay the committed
/// corpora and every finding's input (`Fuzz/corpus/<target>/`).
///
/// ```swift
/// let problem = FuzzTarget.framer.check(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
/// ```
package enum FuzzTarget: String, CaseIterable, Sendable {
    /// The HTTP/1 framer: heads and chunked or sized bodies, in random splits.
    case framer
    /// Router path matching, percent-decoding and query decoding.
    case route
    /// The `Cookie` header parser.
    case cookies
    /// JSON request bodies.
    case json
    /// Form (`application/x-www-form-urlencoded`) request bodies.
    case form
    /// GZip request-body decompression.
    case gzip
    /// `Range` and conditional headers (`StaticFiles`).
    case range
    /// The response serializer with handler-built statuses, fields and cookies.
    case serializer

    /// Runs the target on `bytes`; the violation found, or `nil`.
    package func check(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var input = FuzzInput(bytes)
        switch self {
        case .framer: return FramerTarget.run(&input)
        case .route: return RouteTarget.run(&input)
        case .cookies: return CookieTarget.run(&input)
        case .json: return DecodingTarget.run(&input, form: false)
        case .form: return DecodingTarget.run(&input, form: true)
        case .gzip: return GZipTarget.run(&input)
        case .range: return RangeTarget.run(&input)
        case .serializer: return SerializerTarget.run(&input)
        }
    }

    /// Runs the target on `bytes`.
    package func check(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer { check($0) } }
}
