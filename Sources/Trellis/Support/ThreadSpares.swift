import CTrellisThreadLocal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-thread spare storage, so that the arrays and objects every request needs cost no
/// allocation in steady state.
///
/// A response's header fields need an array, a route with path parameters an array of their
/// values, and a JSON response its encoder's output object; each is freed as soon as the request
/// is done with it. Instead, whoever is done with one gives it, emptied, to its thread's slot
/// (`keep…`), and the next request on that thread takes it (`take…`), the way a connection reuses
/// its request's header storage:
///
/// - header fields: taken by `HTTPHeaders.init(dictionaryLiteral:)`, kept by the server once the
///   response is written (`HTTPHeaders.recycleStorage()`);
/// - path-parameter values: taken by the route trie, kept by the router once the handler returns;
/// - the JSON writer's output object: taken and kept by `JSONWriter.encode`;
/// - byte buffers, one per `BytesUse`: a JSON body's (taken by `JSONWriter.encode`, kept by the
///   server once the response is written) and an access-log line's (taken and kept by `AccessLog`).
///
/// Each thread has its own slot, so nothing is shared or locked: found through a `__thread`
/// pointer (`ctrellis_thread_spares_get`, one load), and registered with a `pthread` key only for
/// the key's destructor, which frees it when the thread exits. A slot holds
/// at most one of each, arrays of at most `maximumKeptCapacity` elements (byte buffers of at most
/// `maximumKeptBytes`), and frees them when its thread exits. Taking from an empty slot allocates
/// as before; an array kept while another copy still holds its storage (a handler that kept the
/// request) is copied, once, by emptying it.
///
/// ```swift
/// var headers: HTTPHeaders = [.contentType: "text/plain"]   // takes the thread's spare array, if any
/// headers.recycleStorage()                                  // gives it back, emptied
/// ```
@usableFromInline package enum ThreadSpares {
    /// Larger arrays are freed rather than kept (a request with that many is rare).
    static let maximumKeptCapacity = 32
    /// The largest byte buffer kept.
    static let maximumKeptBytes = 4096

    /// One thread's spares.
    private struct Spares {
        var fields: [HTTPHeaders.Field] = []
        var strings: [String] = []
        var bodyBytes: [UInt8] = []
        var lineBytes: [UInt8] = []
        var jsonOutput: JSONWriter.Output?
    }

    /// The key of the threads' slots; `nil` if the system had no key left (nothing is kept then).
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { rawSlot in
            // Called with the slot when its thread exits (Darwin passes a non-optional pointer).
            guard let rawSlot = rawSlot as UnsafeMutableRawPointer? else { return }
            let slot = rawSlot.assumingMemoryBound(to: Spares.self)
            // Forgotten first (the destructor runs on the exiting thread): a destructor that runs
            // after this one and keeps something makes a new slot, as with the key alone.
            if ctrellis_thread_spares_get() == rawSlot { ctrellis_thread_spares_set(nil) }
            slot.deinitialize(count: 1)
            slot.deallocate()
        }
        return created == 0 ? key : nil
    }()

    /// This thread's slot, made on first use when `creating`.
    private static func slot(creating: Bool) -> UnsafeMutablePointer<Spares>? {
        if let raw = ctrellis_thread_spares_get() { return raw.assumingMemoryBound(to: Spares.self) }
        guard creating, let key else { return nil }
        let slot = UnsafeMutablePointer<Spares>.allocate(capacity: 1)
        slot.initialize(to: Spares())
        guard pthread_setspecific(key, slot) == 0 else {
            slot.deinitialize(count: 1)
            slot.deallocate()
            return nil
        }
        ctrellis_thread_spares_set(slot)
        return slot
    }

    /// Empties `array` and swaps it into `spare` when `spare` has no storage and `array`'s is not
    /// too large; `array` is left empty either way.
    private static func keep<Element>(_ array: inout [Element], in spare: inout [Element], limit: Int = maximumKeptCapacity) {
        guard array.capacity > 0, array.capacity <= limit, spare.capacity == 0 else {
            array = []
            return
        }
        array.removeAllKeepingStorage()
        swap(&array, &spare)
    }

    /// This thread's spare header array (empty, with room), or an empty array without storage.
    @usableFromInline static func takeFields() -> [HTTPHeaders.Field] {
        var fields: [HTTPHeaders.Field] = []
        if let slot = slot(creating: false) { swap(&fields, &slot.pointee.fields) }
        return fields
    }

    /// Keeps `fields`' storage for the next `takeFields()` on this thread; `fields` is left empty.
    package static func keep(_ fields: inout [HTTPHeaders.Field]) {
        guard let slot = slot(creating: true) else {
            fields = []
            return
        }
        keep(&fields, in: &slot.pointee.fields)
    }

    /// This thread's spare string array (empty, with room), or an empty array without storage.
    package static func takeStrings() -> [String] {
        var strings: [String] = []
        if let slot = slot(creating: false) { swap(&strings, &slot.pointee.strings) }
        return strings
    }

    /// Keeps `strings`' storage for the next `takeStrings()` on this thread; `strings` is left empty.
    package static func keep(_ strings: inout [String]) {
        guard let slot = slot(creating: true) else {
            strings = []
            return
        }
        keep(&strings, in: &slot.pointee.strings)
    }

    /// What a spare byte buffer is for: each use has its own, so that one request's body and its
    /// log line do not take each other's.
    package enum BytesUse {
        /// A response body's bytes (JSON).
        case body
        /// An access-log line.
        case line
    }

    /// This thread's spare byte buffer for `use` (empty, with room), or an empty array without storage.
    package static func takeBytes(for use: BytesUse) -> [UInt8] {
        var bytes: [UInt8] = []
        guard let slot = slot(creating: false) else { return bytes }
        switch use {
        case .body: swap(&bytes, &slot.pointee.bodyBytes)
        case .line: swap(&bytes, &slot.pointee.lineBytes)
        }
        return bytes
    }

    /// Keeps `bytes`' storage for the next `takeBytes(for: use)` on this thread; `bytes` is left empty.
    package static func keep(_ bytes: inout [UInt8], for use: BytesUse) {
        guard let slot = slot(creating: true) else {
            bytes = []
            return
        }
        switch use {
        case .body: keep(&bytes, in: &slot.pointee.bodyBytes, limit: maximumKeptBytes)
        case .line: keep(&bytes, in: &slot.pointee.lineBytes, limit: maximumKeptBytes)
        }
    }

    /// This thread's spare JSON output object, or `nil`.
    static func takeJSONOutput() -> JSONWriter.Output? {
        slot(creating: false)?.pointee.jsonOutput.take()
    }

    /// Keeps `output` for the next `takeJSONOutput()` on this thread, when nothing else holds it.
    static func keep(_ output: inout JSONWriter.Output) {
        guard isKnownUniquelyReferenced(&output), let slot = slot(creating: true), slot.pointee.jsonOutput == nil else { return }
        slot.pointee.jsonOutput = output
    }
}
