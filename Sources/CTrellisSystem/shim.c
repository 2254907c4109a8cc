// Everything else lives in include/CTrellisSystem.h as static inline functions. What is here needs
// one definition for the whole process: a thread-local variable.
#include "CTrellisSystem.h"

static _Thread_local uintptr_t enqueue_target;

uintptr_t ctrellis_enqueue_target_exchange(uintptr_t next) {
    uintptr_t previous = enqueue_target;
    enqueue_target = next;
    return previous;
}
