#ifndef CTRELLIS_THREAD_LOCAL_H
#define CTRELLIS_THREAD_LOCAL_H

// Per-thread pointers Trellis reads on every request: the thread's spare storage (`ThreadSpares`)
// and the loop a job being enqueued belongs to (`TaskRouting`). Each is a `__thread` variable
// read and written by these inline functions: on Linux with the initial-exec model, one move
// from the thread pointer, where `pthread_getspecific` is a call into libc and a key check
// (about 17 instructions, and a lazy global's check on the Swift side for the key).
//
//     void *spares = ctrellis_thread_spares_get();

#if defined(__linux__)
#define CTRELLIS_TLS_MODEL __attribute__((tls_model("initial-exec")))
#else
#define CTRELLIS_TLS_MODEL
#endif

extern __thread void *ctrellis_thread_spares CTRELLIS_TLS_MODEL;
extern __thread void *ctrellis_enqueue_target CTRELLIS_TLS_MODEL;

/// This thread's spare storage, or NULL before it has any.
static inline void *ctrellis_thread_spares_get(void) { return ctrellis_thread_spares; }
/// Sets this thread's spare storage.
static inline void ctrellis_thread_spares_set(void *spares) { ctrellis_thread_spares = spares; }

/// The loop jobs this thread enqueues now go to (a tagged pointer), or NULL.
static inline void *ctrellis_enqueue_target_get(void) { return ctrellis_enqueue_target; }
/// Sets the loop jobs this thread enqueues now go to.
static inline void ctrellis_enqueue_target_set(void *target) { ctrellis_enqueue_target = target; }

#endif
