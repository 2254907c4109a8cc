import Foundation
import Testing
import Trellis

struct JSONWriterTests {
    struct Inner: Encodable { let name: String; let tags: [String] }
    struct Outer: Encodable {
        let id: Int
        let inner: Inner
        let list: [Inner]
        let maybe: String?
        let ratio: Double
        let flag: Bool
        let matrix: [[Int]]
    }

    func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONWriter.encode(value), as: UTF8.self) }

    @Test func keepsDeclarationOrderAndNests() throws {
        let value = Outer(
            id: 7,
            inner: Inner(name: "a", tags: ["x", "y"]),
            list: [Inner(name: "b", tags: []), Inner(name: "c", tags: ["z"])],
            maybe: nil,
            ratio: 0.25,
            flag: true,
            matrix: [[1, 2], [], [3]]
        )
        #expect(
            try text(value)
                == #"{"id":7,"inner":{"name":"a","tags":["x","y"]},"list":[{"name":"b","tags":[]},{"name":"c","tags":["z"]}],"ratio":0.25,"flag":true,"matrix":[[1,2],[],[3]]}"#
        )
    }

    @Test func escapesStrings() throws {
        #expect(try text("a\"b\\c\nd\u{1}é/") == #""a\"b\\c\nd\u0001é/""#)
    }

    /// The escape of one byte, written out plainly: what `appendQuoted` must produce.
    func expectedEscape(_ byte: UInt8, escapingDelete: Bool) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        case 0x00..<0x20: return "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        case 0x7F where escapingDelete: return "\\u007f"
        default: return String(UnicodeScalar(byte))
        }
    }

    @Test func everyByteToEscapeIsEscapedAtEveryPositionOfEveryLength() {
        // Lengths around the eight-byte steps; each byte that needs an escape, and some that do not.
        let bytes: [UInt8] = [0x22, 0x5C, 0x0A, 0x00, 0x01, 0x1F, 0x7F, 0x20, 0x21, 0x5B, 0x7E]
        for escapingDelete in [false, true] {
            for length in 1...24 {
                for position in 0..<length {
                    for byte in bytes {
                        var text = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                        text[position] = byte
                        var written: [UInt8] = []
                        JSONWriter.appendQuoted(String(decoding: text, as: UTF8.self), to: &written, escapingDelete: escapingDelete)
                        let expected = "\"" + text.map { expectedEscape($0, escapingDelete: escapingDelete) }.joined() + "\""
                        if String(decoding: written, as: UTF8.self) != expected {
                            Issue.record("byte \(byte) at \(position) of \(length): \(String(decoding: written, as: UTF8.self))")
                        }
                        // The encoder's own storage (short ASCII strings go from their words
                        // into it whole), as a value and as a key, with its neighbours after it.
                        if !escapingDelete {
                            let string = String(decoding: text, as: UTF8.self)
                            let encoded = (try? JSONWriter.encode([string: [string, "z"]])).map { String(decoding: $0, as: UTF8.self) }
                            #expect(encoded == "{\(expected):[\(expected),\"z\"]}", "byte \(byte) at \(position) of \(length)")
                        }
                    }
                }
            }
        }
    }

    @Test func scalarsAndNull() throws {
        #expect(try text("") == "\"\"")
        #expect(try text(["", "a", ""]) == "[\"\",\"a\",\"\"]")
        #expect(try text(42) == "42")
        #expect(try text(2.0) == "2")
        #expect(try text(Optional<Int>.none) == "null")
        #expect(try text([String]()) == "[]")
        #expect(throws: (any Error).self) { try JSONWriter.encode(Double.nan) }
    }

    @Test func integersAreWrittenAsSwiftWritesThemAtEveryWidthAndEdge() throws {
        for value in [0, 7, -7, 10, -10, 1_000_000, Int.min, Int.max] {
            #expect(try text(value) == String(value))
        }
        #expect(try text(Int8.min) == "-128")
        #expect(try text(UInt64.max) == "18446744073709551615")  // wider than Int64: the string path
        #expect(try text([Int64.min, Int64.max]) == "[\(Int64.min),\(Int64.max)]")
    }

    @Test func outputParsesAsTheSameJSONAsJSONEncoder() throws {
        let value = Outer(id: 1, inner: Inner(name: "ü\t", tags: ["q"]), list: [], maybe: "m", ratio: 1e-7, flag: false, matrix: [[0]])
        let ours = try JSONSerialization.jsonObject(with: Data(try JSONWriter.encode(value))) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? NSDictionary
        #expect(ours != nil && ours == theirs)
    }

    @Test func dataFallsBackToJSONEncoder() throws {
        struct Blob: Encodable { let data: Data }
        #expect(throws: JSONWriter.Unsupported.self) { try JSONWriter.encode(Blob(data: Data([1, 2]))) }
        let response = try JSONResponse.make(Blob(data: Data([1, 2])))
        #expect(response.body.bytes.map { String(decoding: $0, as: UTF8.self) } == #"{"data":"AQI="}"#)
    }

    /// A tree: the same key type open at several depths at once.
    struct Tree: Encodable {
        let name: String
        let children: [Tree]
    }

    /// Asks for its keyed container twice and nests one of the same key type by hand.
    struct Twice: Encodable {
        enum Keys: String, CodingKey { case a, b, nested }
        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: Keys.self)
            try first.encode(1, forKey: .a)
            var nested = first.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            try nested.encode("inner", forKey: .a)
            var second = encoder.container(keyedBy: Keys.self)
            try second.encode(2, forKey: .b)
        }
    }

    @Test func containersOfOneKeyTypeAtManyDepthsAndOverManyValuesWriteWhatJSONEncoderWrites() throws {
        let tree = Tree(name: "root", children: [
            Tree(name: "a", children: [Tree(name: "a1", children: []), Tree(name: "a2", children: [])]),
            Tree(name: "b", children: []),
        ])
        let expected = #"{"name":"root","children":[{"name":"a","children":[{"name":"a1","children":[]},{"name":"a2","children":[]}]},{"name":"b","children":[]}]}"#
        // Again and again on one thread: the containers the first value left are used by the next.
        for _ in 0..<3 {
            #expect(try text(tree) == expected)
            #expect(try text(Twice()) == #"{"a":1,"nested":{"a":"inner"},"b":2}"#)
            #expect(try text([Twice(), Twice()]) == #"[{"a":1,"nested":{"a":"inner"},"b":2},{"a":1,"nested":{"a":"inner"},"b":2}]"#)
        }
        let theirs = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(tree)) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: Data(try JSONWriter.encode(tree))) as? NSDictionary
        #expect(ours != nil && ours == theirs)
    }
}
