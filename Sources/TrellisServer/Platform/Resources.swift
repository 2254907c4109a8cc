import CTrellisLinux
import Glibc

/// Raises the soft open-file limit (often 1024) towards the hard limit, so `maxConnections`
/// rather than the descriptor limit decides how many clients are served.
func raiseDescriptorLimit(toServe connections: Int) {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    let wanted = rlim_t(max(0, connections) + 256)
    guard limit.rlim_cur < wanted else { return }
    limit.rlim_cur = min(wanted, limit.rlim_max)
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// Returns the allocator's free pages to the system (glibc `malloc_trim`), so that the resident
/// size falls back after a burst of large requests or many connections.
func releaseFreeMemory() {
    guard !glibcAllocatorReplaced else { return }
    _ = ctrellis_malloc_trim()
}

/// Keeps allocations of 256 KiB and more (large bodies) in their own mappings, returned to the
/// system when freed, instead of letting glibc raise that threshold after the first large free.
func keepLargeAllocationsMapped() {
    guard !glibcAllocatorReplaced else { return }
    ctrellis_fix_mmap_threshold(256 * 1024)
}

/// Whether a sanitizer's allocator has replaced glibc's (ThreadSanitizer, AddressSanitizer): glibc's
/// `malloc_trim`/`mallopt` then tune an allocator nobody uses, and calling them set up glibc arena
/// state that a loop thread's exit later tripped over under ThreadSanitizer ("malloc assertion
/// failure in __malloc_arena_thread_freeres"), so they are skipped.
let glibcAllocatorReplaced: Bool = dlsym(nil, "__tsan_init") != nil || dlsym(nil, "__asan_init") != nil
