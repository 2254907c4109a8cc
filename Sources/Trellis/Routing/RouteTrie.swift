/// A prefix tree of path segments mapping a request path to a route index in time proportional to
/// the path's length, not the number of routes.
///
/// Literal segments win over `{parameter}` segments; when a literal branch dead-ends the parameter
/// branch is tried (backtracking), so `/items/new` and `/items/{id}` coexist.
@usableFromInline package struct RouteTrie: Sendable {
    struct Node: Sendable {
        /// The literal children by segment text (what insertion builds; a lookup reads a copy of it
        /// only for a node with more than `listedLiteralLimit` of them or with one beyond ASCII,
        /// and for a segment beyond ASCII).
        var literals: [Substring: Int] = [:]
        /// The same children as their segments' UTF-8 bytes (which `LookupTable` lays out for a
        /// lookup to compare lengths, then bytes, with no hashing and no `Substring` per segment).
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
    /// What a lookup reads of the nodes, in memory of its own (made once, after insertion).
    var lookup = LookupTable()

    /// Every method any route answers (plus HEAD for GET), for `OPTIONS *`.
    @usableFromInline var allMethods = ""
    /// Parameter names per route index, in pattern order.
    @usableFromInline package var parameterNames: [[String]] = []
    /// Patterns registered twice for the same method (only the first one answers).
    var duplicates: [String] = []
    package init(patterns: [(method: HTTPMethod, path: String)]) {
        for (index, pattern) in patterns.enumerated() { insert(pattern.method, pattern.path, index: index) }
        lookup = LookupTable(nodes: nodes, parameterCapacity: 2 * (parameterNames.map(\.count).max() ?? 0))
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
        path.withContiguousUTF8 { match(method: method, pathBytes: $0) }
    }

    /// Finds the route for `method` and the path that occupies the UTF-8 offsets `path` of `text`
    /// (a request's target text).
    @usableFromInline package func match(method: HTTPMethod, path: Range<Int>, of text: String) -> Match {
        text.withContiguousUTF8 { match(method: method, pathBytes: UnsafeBufferPointer(rebasing: $0[path])) }
    }

    /// Finds the route for `method` and the path whose UTF-8 bytes are `bytes`, where they lie.
    @usableFromInline package func match(method: HTTPMethod, pathBytes bytes: UnsafeBufferPointer<UInt8>) -> Match {
        var values: [String] = []
        // One pass over the path's bytes: the escape check, then the walk.
        // Unretained: `self` holds the table for as long as the walk takes.
        let lookup = Unmanaged.passUnretained(lookup)
        let found: Int?? = {
            // A malformed escape anywhere in the path is a bad request, even in a segment no route reaches.
            if bytes.contains(UInt8(ascii: "%")), !Self.escapesDecode(in: bytes) { return .none }
            return lookup._withUnsafeGuaranteedRef { lookup in
                if bytes.count <= 1, bytes.first ?? UInt8(ascii: "/") == UInt8(ascii: "/") {
                    // The root ("/", or an empty path): no segment to walk. (`find` would answer
                    // the same; answering here saves its call on every `GET /`, ~20 instructions.)
                    return lookup.steps[0].hasRoutes ? .some(0) : .some(nil)
                }
                return .some(lookup.find(in: bytes, from: bytes.first == UInt8(ascii: "/") ? 1 : 0, node: 0, values: &values))
            }
        }()
        guard let found else { return .badPath }
        guard let node = found else { return .notFound }
        if let index = nodes[node].route(for: method) {
            return .route(index: index, parameters: parameters(index, &values), isHead: false)
        }
        if method == .head, let index = nodes[node].route(for: .get) {
            return .route(index: index, parameters: parameters(index, &values), isHead: true)
        }
        return .methodNotAllowed(allow: nodes[node].allow)
    }

    /// Whether every escape in `path` decodes (each `/`-separated segment decodes on its own).
    static func escapesDecode(in path: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start <= path.count {
            var end = start
            while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
            let segment = UnsafeBufferPointer(rebasing: path[start..<end])
            if segment.contains(UInt8(ascii: "%")), PercentDecoding.decode(utf8: segment, plusIsSpace: false) == nil { return false }
            start = end + 1
        }
        return true
    }

    /// Route `index`'s names put before `values` (in the room `find` reserved: no second allocation).
    private func parameters(_ index: Int, _ values: inout [String]) -> Parameters {
        let names = parameterNames[index]
        if names.isEmpty { return Parameters() }
        // Moved out, not copied: the array stays uniquely held, so appending writes in place.
        var namesThenValues: [String] = []
        swap(&namesThenValues, &values)
        // The names appended after the values, then the two halves swapped element by element (a
        // move each, nothing retained): about 25 instructions fewer than inserting the names at
        // the front, which goes through `replaceSubrange` and moves the values up.
        let count = names.count
        namesThenValues.append(contentsOf: names)
        namesThenValues.withUnsafeMutableBufferPointer { both in
            for offset in 0..<count { both.swapAt(offset, offset + count) }
        }
        return Parameters(namesThenValues: namesThenValues)
    }

    /// Nodes with more literal children than this are looked up by hashing the segment.
    static let listedLiteralLimit = 16
}
