import Testing
import Trellis
import TrellisServer

/// The byte storage behind a connection's output buffer and the JSON writer: what is appended or
/// written in place comes out byte for byte, across every growth, and a large buffer is given back
/// when it rests.
struct ByteStorageTests {
    @Test func appendsComeOutInOrderAcrossEveryGrowth() {
        var output = ByteStorage(initialCapacity: 16)
        defer { output.deallocate() }
        var expected: [UInt8] = []
        #expect(output.isEmpty && output.capacity == 16)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for step in 0..<400 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(seed >> 52) % 700
            let piece = (0..<length).map { UInt8(truncatingIfNeeded: $0 &+ step) }
            switch step % 4 {
            case 0: piece.withUnsafeBufferPointer { output.append(contentsOf: $0) }
            case 1: output.append(contentsOf: piece)  // contiguous: one copy
            case 2: output.append(contentsOf: piece.lazy.map { $0 })  // not contiguous: byte by byte
            default: for byte in piece { output.append(byte) }
            }
            expected += piece
            #expect(output.count == expected.count && output.capacity >= output.count)
        }
        #expect(Array(output.written) == expected)
    }

    @Test func spareRoomIsAtLeastWhatWasAskedAndOnlyTheWrittenBytesCount() {
        var output = ByteStorage(initialCapacity: 16)
        defer { output.deallocate() }
        output.append(contentsOf: Array("before".utf8))
        for minimum in [1, 100, 1018, 1019, 5000] {
            let countBefore = output.count
            let room = output.write(intoSpareRoomOfAtLeast: minimum) { room in
                room[0] = UInt8(ascii: "x")
                room[room.count - 1] = UInt8(ascii: "y")  // beyond what is counted: not kept
                return (room.count, 1)
            }
            #expect(room >= minimum)
            #expect(output.count == countBefore + 1)
        }
        #expect(String(decoding: output.written, as: UTF8.self) == "beforexxxxx")
    }

    @Test func aRestingBufferKeepsItsStorageUpToTheLimit() {
        var output = ByteStorage(initialCapacity: 1024)
        defer { output.deallocate() }
        output.append(contentsOf: [UInt8](repeating: 1, count: 3000))
        let capacity = output.capacity
        output.removeAll(keepingAtMost: 16 * 1024)
        #expect(output.isEmpty && output.capacity == capacity)
        output.append(contentsOf: [UInt8](repeating: 2, count: 40_000))
        output.removeAll(keepingAtMost: 16 * 1024)
        #expect(output.isEmpty && output.capacity == output.initialCapacity)
        output.append(contentsOf: Array("again".utf8))
        #expect(String(decoding: output.written, as: UTF8.self) == "again")
    }

    /// A head written in place after bytes already waiting (pipelined responses) whatever room is
    /// left: the same bytes as on its own, the fallback to the computed room included.
    @Test func aHeadWrittenAfterWaitingBytesIsTheSameWhateverTheRoomLeft() {
        let date = Array("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".utf8)
        for padding in [0, 300, 900, 1000, 2000] {
            var response = Response(status: .ok, headers: ["X-First": "1"], body: Array("hello".utf8))
            response.headers.append("X-Pad", String(repeating: "p", count: padding))
            var alone: [UInt8] = []
            _ = ResponseSerializer.writeHead(response, into: &alone, date: date, requestVersion: .http1_1, isHeadRequest: false, keepAlive: true)
            for waiting in stride(from: 0, through: 2100, by: 150) {
                var output = ByteStorage(initialCapacity: 1024)
                defer { output.deallocate() }
                let before = [UInt8](repeating: UInt8(ascii: "w"), count: waiting)
                output.append(contentsOf: before)
                let result = ResponseSerializer.writeHead(
                    response, into: &output, date: date, requestVersion: .http1_1, isHeadRequest: false, keepAlive: true
                )
                #expect(result.keepAlive)
                if Array(output.written) != before + alone { Issue.record("padding \(padding), \(waiting) bytes waiting") }
            }
        }
    }
}
