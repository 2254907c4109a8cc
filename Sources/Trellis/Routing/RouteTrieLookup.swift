extension RouteTrie {
    /// A node as a lookup reads it.
    struct Step {
        /// Its listed literal children: `edges[firstEdge ..< firstEdge + edgeCount]`.
        var firstEdge: Int32 = 0
        var edgeCount: Int32 = 0
        /// The parameter child, or -1.
        var parameter: Int32 = -1
        /// Whether a segment is looked up by comparing it with the listed literals (at most
        /// `listedLiteralLimit` of them, all ASCII), not by hashing its text.
        var isListed = true
        /// Whether some route ends here.
        var hasRoutes = false
    }

    /// A literal child: the bytes `bytes[start ..< start + count]` lead to node `child`.
    struct Edge {
        var start: Int32
        var count: Int32
        var child: Int32
    }

    /// The nodes as a walk reads them: plain values in memory the table owns, so a walk takes no
    /// reference and checks no nested array per step.
    ///
    /// Unchecked for concurrency: every property is a `let`, and nothing writes the memory the
    /// pointers hold after `init` (only `deinit` frees it), so any thread may read it.
    final class LookupTable: @unchecked Sendable {
        /// Per node, by node index.
        let steps: UnsafeMutableBufferPointer<Step>
        /// Every node's listed literal children, each node's in one run.
        let edges: UnsafeMutableBufferPointer<Edge>
        /// The segments the edges spell, one after another.
        let bytes: UnsafeMutableBufferPointer<UInt8>

        /// The literal children of each node by their text (by node index): what a segment that
        /// is not compared byte by byte is looked up in.
        let literalsByText: [[Substring: Int]]
        /// Room for the values of the route with the most parameters (and its names).
        let parameterCapacity: Int

        /// Walks the path's bytes segment by segment from `start` (no array of segments, no
        /// `Substring` per segment), decoding a segment only when it holds an escape (`match` has
        /// checked they all decode).
        func find(
            in path: UnsafeBufferPointer<UInt8>,
            from start: Int,
            node: Int,
            values: inout [String]
        ) -> Int? {
            let step = steps[node]
            // One trailing slash is not significant: "/items/" is "/items", and "/" is the root.
            if start == path.count { return step.hasRoutes ? node : nil }
            var end = start
            while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
            let next = end == path.count ? end : end + 1
            if next == path.count, end != path.count, end == start { return nil }
            let raw = UnsafeBufferPointer(rebasing: path[start..<end])
            var decoded: String?
            if raw.contains(UInt8(ascii: "%")) { decoded = PercentDecoding.decode(utf8: raw, plusIsSpace: false) }
            let child: Int?
            if var text = decoded {
                child = text.withUTF8 { literalChild(of: node, step: step, matching: $0) }
            } else {
                child = literalChild(of: node, step: step, matching: raw)
            }
            if let child, let found = find(in: path, from: next, node: child, values: &values) { return found }
            if step.parameter >= 0, !raw.isEmpty {
                if values.capacity == 0 {
                    values = ThreadSpares.takeStrings()
                    values.reserveCapacity(parameterCapacity)
                }
                values.append(decoded ?? String(utf8: raw))
                if let found = find(in: path, from: next, node: Int(step.parameter), values: &values) { return found }
                values.removeLast()
            }
            return nil
        }

        /// The literal child of node `node` spelled as `segment`. An ASCII segment is compared byte
        /// by byte with the listed literals; a segment with other characters (percent-decoded) is
        /// looked up by text, as are the children of a node with many, so the matching is the same
        /// as `String` comparison everywhere.
        func literalChild(
            of node: Int,
            step: Step,
            matching segment: UnsafeBufferPointer<UInt8>
        ) -> Int? {
            if step.isListed {
                let first = Int(step.firstEdge)
                for edge in edges[first..<first + Int(step.edgeCount)] where Int(edge.count) == segment.count {
                    let start = Int(edge.start)
                    if UnsafeBufferPointer(rebasing: bytes[start..<start + segment.count]).elementsEqual(segment) {
                        return Int(edge.child)
                    }
                }
                // No literal has these bytes: only a segment beyond ASCII may still equal one as text.
                if step.edgeCount == 0 || !segment.contains(where: { $0 >= 0x80 }) { return nil }
            }
            return literalsByText[node][Substring(String(utf8: segment))]
        }

        init(nodes: [Node] = [], parameterCapacity: Int = 0) {
            self.parameterCapacity = parameterCapacity
            literalsByText = nodes.map(\.literals)
            var steps: [Step] = []
            var edges: [Edge] = []
            var bytes: [UInt8] = []
            for node in nodes {
                var step = Step(firstEdge: Int32(edges.count), edgeCount: Int32(node.listedLiterals.count))
                step.parameter = node.parameter.map(Int32.init) ?? -1
                step.isListed = node.listedLiterals.count <= RouteTrie.listedLiteralLimit && node.literalsAreASCII
                step.hasRoutes = !node.methods.isEmpty
                for literal in node.listedLiterals {
                    edges.append(Edge(start: Int32(bytes.count), count: Int32(literal.bytes.count), child: Int32(literal.child)))
                    bytes.append(contentsOf: literal.bytes)
                }
                steps.append(step)
            }
            self.steps = .allocate(capacity: steps.count)
            _ = self.steps.initialize(from: steps)
            self.edges = .allocate(capacity: edges.count)
            _ = self.edges.initialize(from: edges)
            self.bytes = .allocate(capacity: bytes.count)
            _ = self.bytes.initialize(from: bytes)
        }

        deinit {
            steps.deallocate()
            edges.deallocate()
            bytes.deallocate()
        }
    }
}
