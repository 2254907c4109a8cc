import CTrellisSystem

/// Raises the soft open-file limit (often 1024) towards the hard limit, so `maxConnections`
/// rather than the descriptor limit decides how many clients are served.
func raiseDescriptorLimit(toServe connections: Int) {
    ctrellis_raise_descriptor_limit(UInt64(max(0, connections) + 256))
}

/// Returns the allocator's free pages to the system (glibc `malloc_trim`), so that the resident
/// size falls back after a burst of large requests or many connections.
func releaseFreeMemory() {
    guard !systemAllocatorReplaced else { return }
    _ = ctrellis_malloc_trim()
}

/// Keeps allocations of 256 KiB and more (large bodies) in their own mappings, returned to the
/// system when freed, instead of letting glibc raise that threshold after the first large free.
func keepLargeAllocationsMapped() {
    guard !systemAllocatorReplaced else { return }
    ctrellis_fix_mmap_threshold(256 * 1024)
}

/// Whether glibc's allocator is not the one in use: a sanitizer's replaced it (ThreadSanitizer,
/// AddressSanitizer; calling `malloc_trim`/`mallopt` then set up glibc arena state that a loop
/// thread's exit later tripped over under ThreadSanitizer), or this is not glibc (Darwin).
let systemAllocatorReplaced: Bool = ctrellis_allocator_replaced() != 0
