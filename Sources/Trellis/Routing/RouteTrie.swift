/// A prefix tree of path segments mapping a request path to a route index in time proportional to
/// the path's length, not the number of routes.
///
/// Literal segments win over `{parameter}` segments; when a literal branch dead-ends the parameter
/// branch is tried (backtracking), so `/items/new` and `/items/{id}` coexist.
@usableFromInline package struct RouteTrie: Sendable {
    struct Node: Sendable {
        /// The literal children by segment text (what insertion builds; a lookup reads it only for a
        /// node with more than `listedLiteralLimit` of them or with one beyond ASCII, and for a
        /// segment beyond ASCII).
        var literals: [Substring: Int] = [:]
        /// The same children as their segments' UTF-8 bytes: a lookup compares lengths, then bytes,
        /// where a path is matched (no hashing, no `Substring` per segment).
        var listedLiterals: [(bytes: [UInt8], child: Int)] = []
        /// Every literal child is ASCII (a character beyond ASCII may be canonically equivalent to
        /// other bytes, so such a node is looked up by text).
        var literalsAreASCII = true
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
                    nodes[node].listedLiterals.append((Array(literal.utf8), nodes.count - 1))
                    if literal.utf8.contains(where: { $0 >= 0x80 }) { nodes[node].literalsAreASCII = false }
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
        let found: Int?
        if path.utf8.count <= 1, path.utf8.first ?? UInt8(ascii: "/") == UInt8(ascii: "/") {
            // The root ("/", or an empty path): no segment to walk.
            found = nodes[0].methods.isEmpty ? nil : 0
        } else {
            found = path.withContiguousUTF8 { bytes in
                find(in: bytes, from: bytes.first == UInt8(ascii: "/") ? 1 : 0, node: 0, values: &values)
            }
        }
        guard let node = found else { return .notFound }
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

    /// Nodes with more literal children than this are looked up by hashing the segment.
    static let listedLiteralLimit = 16

    /// Walks the path's bytes segment by segment from `start` (no array of segments, no
    /// `Substring` per segment), decoding a segment only when it holds an escape (`match` has
    /// checked they all decode).
    private func find(
        in path: UnsafeBufferPointer<UInt8>,
        from start: Int,
        node: Int,
        values: inout [String]
    ) -> Int? {
        // One trailing slash is not significant: "/items/" is "/items", and "/" is the root.
        if start == path.count { return nodes[node].methods.isEmpty ? nil : node }
        var end = start
        while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
        let next = end == path.count ? end : end + 1
        if next == path.count, end != path.count, end == start { return nil }
        let raw = UnsafeBufferPointer(rebasing: path[start..<end])
        var decoded: String?
        if raw.contains(UInt8(ascii: "%")) { decoded = PercentDecoding.decode(utf8: raw, plusIsSpace: false) }
        let child: Int?
        if let decoded {
            var text = decoded
            child = text.withUTF8 { literalChild(of: node, matching: $0) }
        } else {
            child = literalChild(of: node, matching: raw)
        }
        if let child, let found = find(in: path, from: next, node: child, values: &values) {
            return found
        }
        if let child = nodes[node].parameter, !raw.isEmpty {
            if values.capacity == 0 {
                values = ThreadSpares.takeStrings()
                values.reserveCapacity(parameterCapacity)
            }
            values.append(decoded ?? String(utf8: raw))
            if let found = find(in: path, from: next, node: child, values: &values) { return found }
            values.removeLast()
        }
        return nil
    }

    /// The literal child of node `node` spelled as `segment`. An ASCII segment is compared byte
    /// by byte with the listed literals; a segment with other characters (percent-decoded) is
    /// looked up by text, as are the children of a node with many, so the matching is the same
    /// as `String` comparison everywhere.
    private func literalChild(of node: Int, matching segment: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = nodes[node].listedLiterals.count
        guard count <= Self.listedLiteralLimit, nodes[node].literalsAreASCII, !segment.contains(where: { $0 >= 0x80 }) else {
            return nodes[node].literals[Substring(String(utf8: segment))]
        }
        for index in 0..<count where nodes[node].listedLiterals[index].bytes.count == segment.count {
            if nodes[node].listedLiterals[index].bytes.withUnsafeBufferPointer({ $0.elementsEqual(segment) }) {
                return nodes[node].listedLiterals[index].child
            }
        }
        return nil
    }
}
