#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One spare header-field array per thread, so that a response's header fields cost no allocation
/// in steady state.
///
/// Every response needs an array for its fields (`[.contentType: …]` plus what middleware add),
/// and a server frees it as soon as the response is written. Instead, the server hands the emptied
/// array to its thread's slot (`HTTPHeaders.recycleStorage()`), and the next header literal made on
/// that thread takes it (`HTTPHeaders.init(dictionaryLiteral:)`), the way a connection reuses its
/// request's header storage. Each thread has its own slot (a `pthread` key), so nothing is shared
/// or locked; a slot holds at most one array, of at most `maximumKeptCapacity` fields, and frees it
/// when its thread exits. A literal made where the slot is empty allocates as before.
///
/// ```swift
/// var headers: HTTPHeaders = [.contentType: "text/plain"]   // takes the thread's spare array, if any
/// headers.recycleStorage()                                  // gives it back, emptied
/// ```
@usableFromInline package enum SpareHeaderStorage {
    /// Larger arrays are freed rather than kept (a response with many fields is rare).
    static let maximumKeptCapacity = 32

    private typealias Slot = UnsafeMutablePointer<[HTTPHeaders.Field]>

    /// The key of the threads' slots; `nil` if the system had no key left (nothing is kept then).
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { rawSlot in
            // Called with the slot when its thread exits (Darwin passes a non-optional pointer).
            guard let rawSlot = rawSlot as UnsafeMutableRawPointer? else { return }
            let slot = rawSlot.assumingMemoryBound(to: [HTTPHeaders.Field].self)
            slot.deinitialize(count: 1)
            slot.deallocate()
        }
        return created == 0 ? key : nil
    }()

    /// This thread's slot, made on first use when `creating`.
    private static func slot(creating: Bool) -> Slot? {
        guard let key else { return nil }
        if let raw = pthread_getspecific(key) { return raw.assumingMemoryBound(to: [HTTPHeaders.Field].self) }
        guard creating else { return nil }
        let slot = Slot.allocate(capacity: 1)
        slot.initialize(to: [])
        guard pthread_setspecific(key, slot) == 0 else {
            slot.deinitialize(count: 1)
            slot.deallocate()
            return nil
        }
        return slot
    }

    /// This thread's spare array (empty, with room), or an empty array without storage.
    @usableFromInline static func take() -> [HTTPHeaders.Field] {
        var fields: [HTTPHeaders.Field] = []
        if let slot = slot(creating: false) { swap(&fields, &slot.pointee) }
        return fields
    }

    /// Empties `fields` and keeps its storage in this thread's slot when the slot is empty and the
    /// storage is not too large; `fields` is left empty either way.
    package static func keep(_ fields: inout [HTTPHeaders.Field]) {
        guard fields.capacity > 0, fields.capacity <= maximumKeptCapacity, let slot = slot(creating: true),
            slot.pointee.capacity == 0
        else {
            fields = []
            return
        }
        fields.removeAll(keepingCapacity: true)
        swap(&fields, &slot.pointee)
    }
}
