import Testing
import Trellis

/// The trie against a plain reading of its rules, on every path built from a pool of segments:
/// a path matches a pattern when both have as many segments, each literal equals its segment
/// (after percent-decoding, compared as `String`s) and each parameter's segment is not empty;
/// among the patterns a path matches, a literal beats a parameter at the first place they differ.
struct RouteTrieTests {
    static let patterns: [(method: HTTPMethod, path: String)] = [
        (.get, "/"), (.get, "/items/{item_id}"), (.post, "/items"), (.get, "/items/new"),
        (.get, "/users/{user}/posts/{post}"), (.delete, "/users/{user}"), (.get, "/files/{name}/raw"),
        (.get, "/café/{x}"), (.get, "/K/{y}"), (.put, "/items/new"), (.get, "/{any}/raw"),
    ]

    /// Which pattern the rules pick for `path` (before the method is looked at), or `nil`; `bad` for
    /// an escape that does not decode.
    static func reference(_ path: String) -> (pattern: String?, bad: Bool) {
        var text = Substring(path)
        if text.hasPrefix("/") { text = text.dropFirst() }
        var segments = text.split(separator: "/", omittingEmptySubsequences: false)
        if segments.last == "" { segments.removeLast() }
        var decoded: [String] = []
        for segment in segments {
            guard let value = PercentDecoding.decode(segment, plusIsSpace: false) else { return (nil, true) }
            decoded.append(value)
        }
        var best: (pattern: String, shape: [Int])?
        for pattern in Set(patterns.map(\.path)) {
            var parts = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            if parts.last == "" { parts.removeLast() }
            guard parts.count == decoded.count else { continue }
            var shape: [Int] = []
            var matches = true
            for (part, segment) in zip(parts, decoded) {
                if part.hasPrefix("{") {
                    matches = matches && !segment.isEmpty
                    shape.append(1)
                } else {
                    matches = matches && String(part) == segment
                    shape.append(0)
                }
            }
            if matches, best == nil || shape.lexicographicallyPrecedes(best!.shape) { best = (pattern, shape) }
        }
        return (best?.pattern, false)
    }

    @Test func matchesWhatItsRulesSayOnEveryPathOfAPool() {
        let trie = RouteTrie(patterns: Self.patterns)
        let pool = ["items", "new", "42", "", "users", "posts", "files", "raw", "x%2Fy", "%41", "caf%C3%A9",
                    "cafe%CC%81", "%E2%84%AA", "K", "%zz", "ne%77"]
        var paths: Set<String> = ["/", ""]
        var frontier = [""]
        for _ in 0..<3 {
            frontier = frontier.flatMap { prefix in pool.map { prefix + "/" + $0 } }
            for path in frontier { paths.insert(path); paths.insert(path + "/") }
        }
        var mismatches: [String] = []
        for path in paths {
            let expected = Self.reference(path)
            for method in [HTTPMethod.get, .post, .put, .delete] {
                let outcome: String
                switch trie.match(method: method, path: Substring(path)) {
                case .route(let index, _, _): outcome = Self.patterns[index].path
                case .methodNotAllowed: outcome = "405"
                case .notFound: outcome = "404"
                case .badPath: outcome = "bad"
                }
                let wanted: String
                if expected.bad {
                    wanted = "bad"
                } else if let pattern = expected.pattern {
                    wanted = Self.patterns.contains { $0.path == pattern && $0.method == method } ? pattern : "405"
                } else {
                    wanted = "404"
                }
                if outcome != wanted { mismatches.append("\(method) \(path): \(outcome), expected \(wanted)") }
            }
        }
        #expect(paths.count > 8_000)
        #expect(mismatches.count == 0, "\(mismatches.prefix(8))")
    }

    @Test func aNodeWithManyLiteralsIsLookedUpByTextAndFindsEveryOne() {
        let names = (0..<40).map { "segment\($0)" }
        let trie = RouteTrie(patterns: names.map { (.get, "/many/\($0)") } + [(.get, "/many/{other}")])
        for (index, name) in names.enumerated() {
            guard case .route(let found, _, _) = trie.match(method: .get, path: Substring("/many/\(name)")) else {
                Issue.record("no route for \(name)")
                continue
            }
            #expect(found == index)
        }
        guard case .route(let found, let parameters, _) = trie.match(method: .get, path: "/many/else") else {
            Issue.record("no route for /many/else")
            return
        }
        #expect(found == names.count && parameters["other"] == "else")
    }
}
