#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Request {
    /// Reads the body (up to `limit`, by default the body's own limit) and decodes it as `T` by its
    /// `Content-Type`: JSON (`application/json`, any `+json` type, or no type at all) or
    /// `application/x-www-form-urlencoded`.
    ///
    /// What a client can get wrong becomes a response, never a 500: another content type → `415`,
    /// a body past the limit → `413`, JSON that does not parse → `400`, content that does not fit
    /// `T` → `422` naming the field (`ValidationError`).
    ///
    /// ```swift
    /// struct Item: Decodable { let name: String; let price: Double }
    /// Post("/items") { request in
    ///     let item = try await request.decode(Item.self)
    ///     return "added \(item.name)"
    /// }
    /// ```
    public func decode<T: Decodable>(_ type: T.Type, limit: Int? = nil) async throws -> T {
        let kind = try BodyKind(contentType: headers[.contentType])
        let bytes: [UInt8]
        if let limit {
            bytes = try await body.collect(upTo: limit)
        } else {
            bytes = try await body.collect()
        }
        switch kind {
        case .json:
            return try JSONBody.decode(type, from: bytes)
        case .form:
            let text = String(decoding: bytes, as: UTF8.self)
            return try FormDecoder.decode(type, from: QueryParameters(parsing: text[...]), source: .body)
        }
    }
}

extension QueryParameters {
    /// Decodes the query pairs into `T` (see `FormDecoder`); a value that does not fit throws a
    /// `422` `ValidationError` located in `query`.
    ///
    /// ```swift
    /// struct Filter: Decodable { let q: String?; let limit: Int }
    /// Get("/search") { request in
    ///     let filter = try request.query.decode(Filter.self)
    ///     return "first \(filter.limit) for \(filter.q ?? "everything")"
    /// }
    /// ```
    public func decode<T: Decodable>(_ type: T.Type) throws(ValidationError) -> T {
        try FormDecoder.decode(type, from: self, source: .query)
    }
}

/// The body formats `decode` understands, chosen by `Content-Type`.
enum BodyKind {
    case json
    case form

    init(contentType: String?) throws(HTTPError) {
        guard let contentType else {
            self = .json
            return
        }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingHTTPWhitespace().lowercased() } ?? ""
        if mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) {
            self = .json
        } else if mediaType == "application/x-www-form-urlencoded" {
            self = .form
        } else {
            throw HTTPError(
                .unsupportedMediaType,
                "Content-Type '\(mediaType)' is not accepted; send application/json or application/x-www-form-urlencoded."
            )
        }
    }
}

/// JSON request bodies through Foundation's `JSONDecoder`, with its errors turned into 400/422.
public enum JSONBody {
    /// Decodes `T` from JSON bytes: malformed JSON → `400`, content that does not fit → `422`.
    ///
    /// ```swift
    /// let item = try JSONBody.decode(Item.self, from: Array(#"{"name":"a","price":1}"#.utf8))
    /// ```
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                context.underlyingError != nil || context.debugDescription.contains("not valid JSON")
            {
                throw HTTPError(.badRequest, "The body is not valid JSON.")
            }
            throw ValidationError(every: CollectingDecoding.jsonIssues(decoding: type, from: Data(bytes)), first: error, source: .body)
        }
    }
}
