import Trellis
import CZlib

/// What a zlib stream reported.
package enum ZlibError: Error {
    /// The compressed input is not valid gzip/zlib data.
    case corrupt
    /// zlib could not start (out of memory).
    case unavailable
}

/// A zlib deflate stream producing gzip (`windowBits` 31) or zlib (`deflate`, 15) data, chunk by
/// chunk. Its state (~256 KiB) is freed when it is released.
///
/// Confinement: one user at a time. A pooled deflater is used synchronously by the code that took
/// it until it gives it back; a stream's deflater only inside that stream's `SerialGate` (its
/// writer may be called from several tasks). `compress` asserts this in debug builds.
package final class Deflater: @unchecked Sendable {
    private let use = ExclusiveUse("Deflater")
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    let gzip: Bool
    let level: Int32

    /// Idle deflaters, reset and ready: setting one up costs more than compressing a small body.
    private static let pool = Locked<[Deflater]>([])
    private static let poolLimit = 32

    /// A ready deflater from the pool, or a new one.
    static func take(gzip: Bool, level: Int32) throws(ZlibError) -> Deflater {
        let pooled = pool.withLock { idle -> Deflater? in
            guard let index = idle.lastIndex(where: { $0.gzip == gzip && $0.level == level }) else { return nil }
            return idle.remove(at: index)
        }
        if let pooled { return pooled }
        return try Deflater(gzip: gzip, level: level)
    }

    /// Resets the deflater (after a finished stream) and keeps it for the next response.
    static func give(_ deflater: Deflater) {
        guard deflateReset(deflater.stream) == Z_OK else { return }
        pool.withLock { idle in
            if idle.count < poolLimit { idle.append(deflater) }
        }
    }

    package init(gzip: Bool, level: Int32) throws(ZlibError) {
        // Stored only once initialised: a throw after that would run `deinit` and free it twice.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard ctrellis_deflate_init(stream, level, gzip ? 31 : 15) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .unavailable
        }
        self.gzip = gzip
        self.level = level
        self.stream = stream
        output = [UInt8](repeating: 0, count: 16 * 1024)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input`; `finish` ends the stream. With `flush`, everything so far is output
    /// (a streamed response reaches the client as it is written).
    package func compress(_ input: [UInt8], flush: Bool, finish: Bool) -> [UInt8] {
        use.enter()
        defer { use.leave() }
        var result: [UInt8] = []
        let mode = finish ? Z_FINISH : (flush ? Z_SYNC_FLUSH : Z_NO_FLUSH)
        input.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            repeat {
                let produced: Int = output.withUnsafeMutableBufferPointer { buffer in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = UInt32(buffer.count)
                    _ = deflate(stream, mode)
                    return buffer.count - Int(stream.pointee.avail_out)
                }
                result.append(contentsOf: output[0..<produced])
            } while stream.pointee.avail_out == 0
            stream.pointee.next_in = nil
        }
        return result
    }
}

/// A zlib inflate stream that reads gzip or zlib data (detected from the header) and yields at
/// most `chunk` bytes per call, so a small input that expands enormously is never held at once.
///
/// Confinement: one user at a time (its `DecompressingBody` admits one reader at a time); `feed`
/// and `inflateSome` assert this in debug builds.
package final class Inflater: @unchecked Sendable {
    private let use = ExclusiveUse("Inflater")
    private let stream: UnsafeMutablePointer<z_stream>
    private var input: UnsafeMutableBufferPointer<UInt8>
    /// The current member's end marker (and checksum) has been read.
    private var memberEnded = false
    /// The first two bytes of the stream: `1f 8b` is gzip, whose data may be several members
    /// (RFC 1952 §2.2); anything else is zlib (`deflate`), a single stream.
    private var leadingBytes: [UInt8] = []

    package init() throws(ZlibError) {
        // Stored only once initialised: a throw after that would run `deinit` and free it twice.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard ctrellis_inflate_init(stream, 15 + 32) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .unavailable
        }
        self.stream = stream
        input = .allocate(capacity: 0)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Whether compressed input is still waiting to be inflated.
    package var hasPendingInput: Bool { stream.pointee.avail_in > 0 }

    /// Whether the data may end here: a member (or the zlib stream) is complete and nothing after
    /// it is pending. More input may still follow: for gzip, the next member.
    package var isAtEnd: Bool { memberEnded && stream.pointee.avail_in == 0 }

    private var isGzip: Bool { leadingBytes == [0x1f, 0x8b] }

    /// Takes the next piece of compressed input (only when none is pending).
    package func feed(_ bytes: [UInt8]) {
        use.enter()
        defer { use.leave() }
        if leadingBytes.count < 2 { leadingBytes += bytes.prefix(2 - leadingBytes.count) }
        input.deallocate()
        input = .allocate(capacity: bytes.count)
        _ = input.initialize(from: bytes)
        stream.pointee.next_in = input.baseAddress
        stream.pointee.avail_in = UInt32(bytes.count)
    }

    /// Inflates up to `chunk` bytes of output from the pending input. Bytes after a complete member
    /// start the next gzip member; after a zlib stream, or if they are no gzip member, they are
    /// `ZlibError.corrupt`.
    package func inflateSome(chunk: Int) throws(ZlibError) -> [UInt8] {
        use.enter()
        defer { use.leave() }
        guard stream.pointee.avail_in > 0 else { return [] }
        if memberEnded {
            guard isGzip, inflateReset(stream) == Z_OK else { throw .corrupt }
            memberEnded = false
        }
        var output = [UInt8](repeating: 0, count: chunk)
        let (status, produced): (Int32, Int) = output.withUnsafeMutableBufferPointer { buffer in
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = UInt32(buffer.count)
            let status = inflate(stream, Z_NO_FLUSH)
            return (status, buffer.count - Int(stream.pointee.avail_out))
        }
        switch status {
        case Z_STREAM_END:
            memberEnded = true
        case Z_OK, Z_BUF_ERROR:
            break
        default:
            throw .corrupt
        }
        output.removeSubrange(produced...)
        return output
    }
}
