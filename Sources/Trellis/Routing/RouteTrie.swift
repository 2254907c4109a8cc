/// A prefix tree of path segments mapping a request path to a route index in time proportional to
/// the path's length, not the number of routes.
///
/// Literal segments win over `{parameter}` segments; when a literal branch dead-ends the parameter
/// branch is tried (backtracking), so `/items/new` and `/items/{id}` coexist.
@usableFromInline package struct RouteTrie: Sendable {
    struct Node: Sendable {
        var literals: [Substring: Int] = [:]
        var parameter: Int?
        /// Route index per method at this node: a few pairs, found by comparing methods (cheaper
        /// than hashing one; the standard methods are shared values and compare at once).
        var methods: [(method: HTTPMethod, index: Int)] = []

        func route(for method: HTTPMethod) -> Int? {
            for entry in methods where entry.method == method { return entry.index }
            return nil
        }
        /// The `Allow` header value for this path, computed once.
        var allow = ""
    }

    /// The outcome of a lookup.
    @usableFromInline package enum Match: Sendable {
        /// A route answers with its path parameters (names and values in pattern order). `isHead`
        /// marks a `HEAD` answered by a `GET` route.
        case route(index: Int, parameters: Parameters, isHead: Bool)
        /// The path exists but not for this method; the value is the `Allow` header.
        case methodNotAllowed(allow: String)
        /// No route has this path.
        case notFound
        /// The path is malformed (bad percent-encoding).
        case badPath
    }

    var nodes: [Node] = [Node()]
    /// Every method any route answers (plus HEAD for GET), for `OPTIONS *`.
    @usableFromInline var allMethods = ""
    /// Parameter names per route index, in pattern order.
    @usableFromInline package var parameterNames: [[String]] = []
    /// Patterns registered twice for the same method (only the first one answers).
    var duplicates: [String] = []
    /// Room for the names and values of the route with the most parameters: the one array a match
    /// fills is allocated once, at its first captured value.
    var parameterCapacity = 0

    package init(patterns: [(method: HTTPMethod, path: String)]) {
        for (index, pattern) in patterns.enumerated() { insert(pattern.method, pattern.path, index: index) }
        parameterCapacity = 2 * (parameterNames.map(\.count).max() ?? 0)
        var every = Set(patterns.map(\.method.rawValue))
        if every.contains("GET") { every.insert("HEAD") }
        every.insert("OPTIONS")
        allMethods = every.sorted().joined(separator: ", ")
        for index in nodes.indices {
            var methods = Set(nodes[index].methods.map(\.method.rawValue))
            if methods.contains("GET") { methods.insert("HEAD") }
            nodes[index].allow = methods.sorted().joined(separator: ", ")
        }
    }

    /// The segments of a pattern or path: split on `/`, with one trailing slash ignored.
    static func segments(_ path: Substring) -> [Substring] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    private mutating func insert(_ method: HTTPMethod, _ pattern: String, index: Int) {
        var node = 0
        var names: [String] = []
        for segment in Self.segments(pattern[...]) {
            if segment.hasPrefix("{"), segment.hasSuffix("}"), segment.count > 2 {
                names.append(String(segment.dropFirst().dropLast()))
                if let next = nodes[node].parameter {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].parameter = nodes.count - 1
                    node = nodes.count - 1
                }
            } else {
                let literal = Substring(String(segment))
                if let next = nodes[node].literals[literal] {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].literals[literal] = nodes.count - 1
                    node = nodes.count - 1
                }
            }
        }
        parameterNames.append(names)
        if nodes[node].route(for: method) == nil {
            nodes[node].methods.append((method, index))
        } else {
            duplicates.append("\(method) \(pattern)")
        }
    }

    /// Finds the route for `method` and `path` (the percent-encoded path of a request).
    @usableFromInline package func match(method: HTTPMethod, path: Substring) -> Match {
        // A malformed escape anywhere in the path is a bad request, even in a segment no route reaches.
        if path.containsASCII(UInt8(ascii: "%")) {
            for segment in Self.segments(path) where PercentDecoding.decode(segment, plusIsSpace: false) == nil {
                return .badPath
            }
        }
        var values: [String] = []
        guard let node = find(in: path, from: Self.firstSegmentStart(path), node: 0, values: &values) else {
            return .notFound
        }
        if let index = nodes[node].route(for: method) {
            return .route(index: index, parameters: parameters(index, &values), isHead: false)
        }
        if method == .head, let index = nodes[node].route(for: .get) {
            return .route(index: index, parameters: parameters(index, &values), isHead: true)
        }
        return .methodNotAllowed(allow: nodes[node].allow)
    }

    /// Route `index`'s names put before `values` (in the room `find` reserved: no second allocation).
    private func parameters(_ index: Int, _ values: inout [String]) -> Parameters {
        let names = parameterNames[index]
        if names.isEmpty { return Parameters() }
        // Moved out, not copied: the array stays uniquely held, so inserting writes in place.
        var namesThenValues: [String] = []
        swap(&namesThenValues, &values)
        namesThenValues.insert(contentsOf: names, at: 0)
        return Parameters(namesThenValues: namesThenValues)
    }

    static func firstSegmentStart(_ path: Substring) -> Substring.Index {
        path.utf8.first == UInt8(ascii: "/") ? path.utf8.index(after: path.startIndex) : path.startIndex
    }

    /// Walks the path segment by segment from `start` (no array of segments), decoding a segment only
    /// when it holds an escape (`match` has checked they all decode).
    private func find(in path: Substring, from start: Substring.Index, node: Int, values: inout [String]) -> Int? {
        // One trailing slash is not significant: "/items/" is "/items", and "/" is the root.
        if start == path.endIndex { return nodes[node].methods.isEmpty ? nil : node }
        // Bytes, not `Character`s: `/` is ASCII, and a scan by `Character` costs several times more.
        let end = path[start...].firstIndex(ofASCII: UInt8(ascii: "/")) ?? path.endIndex
        var segment = path[start..<end]
        let next = end == path.endIndex ? end : path.utf8.index(after: end)
        if next == path.endIndex, end != path.endIndex, segment.isEmpty { return nil }
        if segment.containsASCII(UInt8(ascii: "%")), let decoded = PercentDecoding.decode(segment, plusIsSpace: false) {
            segment = Substring(decoded)
        }
        if let child = nodes[node].literals[segment], let found = find(in: path, from: next, node: child, values: &values) {
            return found
        }
        if let child = nodes[node].parameter, !segment.isEmpty {
            if values.capacity == 0 {
                values = ThreadSpares.takeStrings()
                values.reserveCapacity(parameterCapacity)
            }
            values.append(String(segment))
            if let found = find(in: path, from: next, node: child, values: &values) { return found }
            values.removeLast()
        }
        return nil
    }
}
