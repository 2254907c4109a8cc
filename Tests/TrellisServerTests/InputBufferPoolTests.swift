import Testing
import TrellisServer

@Suite struct InputBufferPoolTests {
    /// The buffer given back last is the one taken next (the one still in cache), a connection's
    /// own reference is dropped when it gives its buffer back, and a full pool frees what comes
    /// back instead of keeping it (so connections going idle together return their memory).
    @Test func theLastBufferGivenBackIsTakenFirstAndAFullPoolFreesTheRest() {
        let pool = InputBufferPool(bufferSize: 64, capacity: 2)
        func address(_ buffer: [UInt8]) -> UnsafeRawPointer? { buffer.withUnsafeBytes { $0.baseAddress } }

        var first = pool.take()
        var second = pool.take()
        var third = pool.take()
        #expect(first.count == 64 && second.count == 64 && third.count == 64)
        let (firstAddress, secondAddress) = (address(first), address(second))

        pool.giveBack(&first)
        pool.giveBack(&second)
        pool.giveBack(&third)
        #expect(first.isEmpty && second.isEmpty && third.isEmpty, "the giver keeps no reference")
        #expect(pool.spareCount == 2, "the third buffer was freed: the pool holds at most its capacity")

        let again = pool.take()
        #expect(address(again) == secondAddress, "last in, first out")
        let andAgain = pool.take()
        #expect(address(andAgain) == firstAddress)
        #expect(pool.spareCount == 0)
        #expect(pool.take().count == 64, "an empty pool makes a new buffer")
    }
}
