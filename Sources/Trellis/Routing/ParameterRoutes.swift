/// Routes that declare their parameters one by one (up to four; more belong in one `inputs:`
/// type): the handler receives each converted, after the request, in the order declared. A
/// handler whose parameters do not match the declared types does not compile.
///
/// ```swift
/// Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self)) { request, itemID, q in
///     Item(itemID: itemID, q: q)
/// }
/// ```
///
/// Fixed arities, not a parameter pack: in Swift 6.3 a pack route builds its tuple of values from
/// run-time type metadata on every request (it cost 28% more than reading by hand), while these
/// read exactly what hand-written code reads.
extension MethodRoute {
    /// A route whose handler takes one declared parameter and returns JSON.
    ///
    /// ```swift
    /// Get("/items/{item_id}", .path("item_id", as: Int.self)) { request, itemID in Item(itemID: itemID, q: nil) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<A: ParameterValue, Output: Encodable & Sendable>(
        _ template: String,
        _ first: Parameter<A>,
        _ handler: @escaping @Sendable (Input, A) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration], answer: .json(Output.self))) { input in
            let firstValue = try DeclaredParameters.values(first, in: input.request)
            return try JSONResponse.make(try await handler(input, firstValue))
        }
    }

    /// A route whose handler takes one declared parameter and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/hello/{name}", .path("name", as: String.self)) { request, name in "Hello, \(name)!" }
    /// ```
    @inlinable public init<A: ParameterValue, Output: ResponseConvertible>(
        _ template: String,
        _ first: Parameter<A>,
        _ handler: @escaping @Sendable (Input, A) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration], answer: RouteDocumentation.answer(of: Output.self))) { input in
            let firstValue = try DeclaredParameters.values(first, in: input.request)
            return try await handler(input, firstValue).makeResponse()
        }
    }

    /// A route whose handler takes two declared parameters and returns JSON.
    ///
    /// ```swift
    /// Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self)) { request, itemID, q in Item(itemID: itemID, q: q) }
    /// ```
    @_disfavoredOverload
    @inlinable public init<A: ParameterValue, B: ParameterValue, Output: Encodable & Sendable>(
        _ template: String,
        _ first: Parameter<A>,
        _ second: Parameter<B>,
        _ handler: @escaping @Sendable (Input, A, B) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration, second.declaration], answer: .json(Output.self))) { input in
            let (firstValue, secondValue) = try DeclaredParameters.values(first, second, in: input.request)
            return try JSONResponse.make(try await handler(input, firstValue, secondValue))
        }
    }

    /// A route whose handler takes two declared parameters and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/hello/{name}", .path("name", as: String.self), .query("loud", as: Bool?.self)) { request, name, loud in loud == true ? name.uppercased() : name }
    /// ```
    @inlinable public init<A: ParameterValue, B: ParameterValue, Output: ResponseConvertible>(
        _ template: String,
        _ first: Parameter<A>,
        _ second: Parameter<B>,
        _ handler: @escaping @Sendable (Input, A, B) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration, second.declaration], answer: RouteDocumentation.answer(of: Output.self))) { input in
            let (firstValue, secondValue) = try DeclaredParameters.values(first, second, in: input.request)
            return try await handler(input, firstValue, secondValue).makeResponse()
        }
    }

    /// A route whose handler takes three declared parameters and returns JSON.
    ///
    /// ```swift
    /// Get("/search", .query("q", as: String.self), .query("limit", as: Int?.self), .query("offset", as: Int?.self)) { request, q, limit, offset in … }
    /// ```
    @_disfavoredOverload
    @inlinable public init<A: ParameterValue, B: ParameterValue, C: ParameterValue, Output: Encodable & Sendable>(
        _ template: String,
        _ first: Parameter<A>,
        _ second: Parameter<B>,
        _ third: Parameter<C>,
        _ handler: @escaping @Sendable (Input, A, B, C) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration, second.declaration, third.declaration], answer: .json(Output.self))) { input in
            let (firstValue, secondValue, thirdValue) = try DeclaredParameters.values(first, second, third, in: input.request)
            return try JSONResponse.make(try await handler(input, firstValue, secondValue, thirdValue))
        }
    }

    /// A route whose handler takes three declared parameters and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/shops/{shop}/items/{item_id}", .path("shop", as: String.self), .path("item_id", as: Int.self), .header("X-Tenant", as: String?.self)) { request, shop, itemID, tenant in … }
    /// ```
    @inlinable public init<A: ParameterValue, B: ParameterValue, C: ParameterValue, Output: ResponseConvertible>(
        _ template: String,
        _ first: Parameter<A>,
        _ second: Parameter<B>,
        _ third: Parameter<C>,
        _ handler: @escaping @Sendable (Input, A, B, C) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration, second.declaration, third.declaration], answer: RouteDocumentation.answer(of: Output.self))) { input in
            let (firstValue, secondValue, thirdValue) = try DeclaredParameters.values(first, second, third, in: input.request)
            return try await handler(input, firstValue, secondValue, thirdValue).makeResponse()
        }
    }

    /// A route whose handler takes four declared parameters and returns JSON.
    ///
    /// ```swift
    /// Get("/search", .query("q", as: String.self), .query("limit", as: Int?.self), .query("offset", as: Int?.self), .query("sort", as: Sort?.self)) { request, q, limit, offset, sort in … }
    /// ```
    @_disfavoredOverload
    @inlinable public init<A: ParameterValue, B: ParameterValue, C: ParameterValue, D: ParameterValue, Output: Encodable & Sendable>(
        _ template: String,
        _ first: Parameter<A>,
        _ second: Parameter<B>,
        _ third: Parameter<C>,
        _ fourth: Parameter<D>,
        _ handler: @escaping @Sendable (Input, A, B, C, D) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration, second.declaration, third.declaration, fourth.declaration], answer: .json(Output.self))) { input in
            let (firstValue, secondValue, thirdValue, fourthValue) = try DeclaredParameters.values(first, second, third, fourth, in: input.request)
            return try JSONResponse.make(try await handler(input, firstValue, secondValue, thirdValue, fourthValue))
        }
    }

    /// A route whose handler takes four declared parameters and returns text, bytes or a `Response`.
    ///
    /// ```swift
    /// Get("/shops/{shop}/items/{item_id}", .path("shop", as: String.self), .path("item_id", as: Int.self), .query("q", as: String?.self), .header("X-Tenant", as: String?.self)) { request, shop, itemID, q, tenant in … }
    /// ```
    @inlinable public init<A: ParameterValue, B: ParameterValue, C: ParameterValue, D: ParameterValue, Output: ResponseConvertible>(
        _ template: String,
        _ first: Parameter<A>,
        _ second: Parameter<B>,
        _ third: Parameter<C>,
        _ fourth: Parameter<D>,
        _ handler: @escaping @Sendable (Input, A, B, C, D) async throws -> Output
    ) {
        self.init(template, declaring: RouteDocumentation(parameters: [first.declaration, second.declaration, third.declaration, fourth.declaration], answer: RouteDocumentation.answer(of: Output.self))) { input in
            let (firstValue, secondValue, thirdValue, fourthValue) = try DeclaredParameters.values(first, second, third, fourth, in: input.request)
            return try await handler(input, firstValue, secondValue, thirdValue, fourthValue).makeResponse()
        }
    }
}

/// Reading declared parameters: every value, or one `422` listing every parameter that is wrong,
/// in the order declared. One function per arity, like the routes that call it.
@usableFromInline enum DeclaredParameters {
    @inlinable static func values<A>(_ first: Parameter<A>, in request: Request) throws(ValidationError) -> A {
        var issues: [ValidationError.Issue] = []
        let firstValue = first.read(from: request, into: &issues)
        guard let firstValue else { throw ValidationError(issues: issues) }
        return firstValue
    }

    @inlinable static func values<A, B>(_ first: Parameter<A>, _ second: Parameter<B>, in request: Request) throws(ValidationError) -> (A, B) {
        var issues: [ValidationError.Issue] = []
        let firstValue = first.read(from: request, into: &issues)
        let secondValue = second.read(from: request, into: &issues)
        guard let firstValue, let secondValue else { throw ValidationError(issues: issues) }
        return (firstValue, secondValue)
    }

    @inlinable static func values<A, B, C>(_ first: Parameter<A>, _ second: Parameter<B>, _ third: Parameter<C>, in request: Request) throws(ValidationError) -> (A, B, C) {
        var issues: [ValidationError.Issue] = []
        let firstValue = first.read(from: request, into: &issues)
        let secondValue = second.read(from: request, into: &issues)
        let thirdValue = third.read(from: request, into: &issues)
        guard let firstValue, let secondValue, let thirdValue else { throw ValidationError(issues: issues) }
        return (firstValue, secondValue, thirdValue)
    }

    @inlinable static func values<A, B, C, D>(_ first: Parameter<A>, _ second: Parameter<B>, _ third: Parameter<C>, _ fourth: Parameter<D>, in request: Request) throws(ValidationError) -> (A, B, C, D) {
        var issues: [ValidationError.Issue] = []
        let firstValue = first.read(from: request, into: &issues)
        let secondValue = second.read(from: request, into: &issues)
        let thirdValue = third.read(from: request, into: &issues)
        let fourthValue = fourth.read(from: request, into: &issues)
        guard let firstValue, let secondValue, let thirdValue, let fourthValue else { throw ValidationError(issues: issues) }
        return (firstValue, secondValue, thirdValue, fourthValue)
    }
}
