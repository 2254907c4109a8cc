/// Serves the pipeline's OpenAPI document at `path` (`/openapi.json`) and an interactive docs page
/// at `docs` (`/docs`, Swagger UI), as FastAPI does. The document is built once, when the
/// `Pipeline` is made; a type it cannot describe stops the server from starting with a message
/// naming the type. Requests for other paths pass straight on.
///
/// The docs page loads Swagger UI 5 from jsDelivr (`cdn.jsdelivr.net/npm/swagger-ui-dist@5`): the
/// browser needs that host; nothing else leaves your server.
///
/// ```swift
/// let app = Pipeline {
///     OpenAPIDocs(info: OpenAPIInfo(title: "Shop", version: "1.0.0"))
///     ProcessTime()
///     Router { Get("/items/{item_id}", path: ItemPath.self) { request, path in Item(itemID: path.item_id, q: nil) } }
/// }
/// ```
public struct OpenAPIDocs: PassThroughMiddleware {
    /// The document's `info`.
    public let info: OpenAPIInfo
    /// Where the JSON document is served.
    public let path: String
    /// Where the docs page is served (nil: no page).
    public let docs: String?
    @usableFromInline let store: OpenAPIDocumentStore

    /// Serves the document at `path` and the docs page at `docs`.
    ///
    /// ```swift
    /// OpenAPIDocs(info: OpenAPIInfo(title: "Shop", version: "1.0.0"), path: "/api/openapi.json", docs: nil)
    /// ```
    public init(info: OpenAPIInfo, path: String = "/openapi.json", docs: String? = "/docs") {
        self.info = info
        self.path = path
        self.docs = docs
        self.store = OpenAPIDocumentStore()
    }

    /// Answers `GET`/`HEAD` of the document and the page; passes everything else on.
    @inlinable public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        // The path's bytes compared where they lie: no copy of the request, no string made of its
        // path, for every request that passes on.
        if input.request.method == .get || input.request.method == .head {
            if input.request.hasPath(path) { return store.documentResponse() }
            if let docs, input.request.hasPath(docs) { return store.pageResponse() }
        }
        return try await next(input)
    }

    /// Lists `OpenAPIDocs` and builds the document once the pipeline is described.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("OpenAPIDocs(\(path)\(docs.map { ", \($0)" } ?? ""))")
        let store = self.store
        let info = self.info
        let path = self.path
        description.onComplete { composition, errorFormat in
            do {
                let document = try OpenAPIBuilder.document(info: info, from: composition, errorFormat: errorFormat)
                store.set(document: document.jsonBytes(), page: OpenAPIDocs.page(title: info.title, documentPath: path))
                return []
            } catch {
                return ["OpenAPIDocs: \(error)"]
            }
        }
    }

    /// FastAPI's Swagger UI page, pointed at `documentPath`.
    static func page(title: String, documentPath: String) -> [UInt8] {
        let escapedTitle = title.replacingHTMLSpecials()
        let url = documentPath.replacingHTMLSpecials()
        return Array("""
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link type="text/css" rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
            <title>\(escapedTitle) - Swagger UI</title>
            </head>
            <body>
            <div id="swagger-ui"></div>
            <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
            <script>
            const ui = SwaggerUIBundle({
                url: "\(url)",
                dom_id: "#swagger-ui",
                layout: "BaseLayout",
                deepLinking: true,
                showExtensions: true,
                showCommonExtensions: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
            })
            </script>
            </body>
            </html>

            """.utf8)
    }
}

/// The built document and page of one `OpenAPIDocs`, set once when its pipeline is made.
@usableFromInline final class OpenAPIDocumentStore: Sendable {
    private let built = Locked<(document: [UInt8], page: [UInt8])?>(nil)

    init() {}

    func set(document: [UInt8], page: [UInt8]) { built.withLock { $0 = (document, page) } }

    @usableFromInline func documentResponse() -> Response {
        guard let document = built.withLock({ $0?.document }) else { return Response(status: .notFound) }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"], body: .bytes(document))
    }

    @usableFromInline func pageResponse() -> Response {
        guard let page = built.withLock({ $0?.page }) else { return Response(status: .notFound) }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"], body: .bytes(page))
    }
}

extension String {
    /// `&`, `<`, `>` and `"` as HTML character references.
    func replacingHTMLSpecials() -> String {
        var result = ""
        for character in self {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
