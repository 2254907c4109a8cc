extension Array {
    /// Removes every element and keeps the storage, as `removeAll(keepingCapacity: true)` does,
    /// but up to eight elements are removed one by one from the end: cheaper than the generic
    /// `replaceSubrange` that `removeAll(keepingCapacity:)` runs (the per-request reset of a
    /// connection's header fields and the recycled field storage of a response).
    ///
    /// ```swift
    /// fields.removeAllKeepingStorage()
    /// ```
    @inlinable package mutating func removeAllKeepingStorage() {
        guard count <= 8 else {
            removeAll(keepingCapacity: true)
            return
        }
        while !isEmpty { removeLast() }
    }
}
