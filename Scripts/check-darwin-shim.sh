#!/usr/bin/env bash
# The Darwin half of Sources/CTrellisSystem (kqueue, the wake-up pipe, accept + fcntl, SO_NOSIGPIPE)
# cannot be built here, so this checks what can be checked on Linux: that it is valid C, every
# function the Swift side calls is declared with the same signature as on Linux, and clang has no
# warning about it. Darwin's <sys/event.h> is replaced by a stub with XNU's declarations and values
# (Scripts/DarwinStub). It does not run the kqueue backend: that needs a Mac (README, "Platforms").
set -euo pipefail
cd "$(dirname "$0")/.."
check=$(mktemp --suffix=.c)
trap 'rm -f "$check"' EXIT
cat > "$check" <<'C'
#include "CTrellisSystem.h"
int main(void) {
    ctrellis_event events[4];
    int read_end, write_end;
    int result = ctrellis_wakeup_open(&read_end, &write_end);
    ctrellis_wakeup_signal(write_end);
    ctrellis_wakeup_drain(read_end);
    int poller = ctrellis_poller_create();
    result += ctrellis_poller_watch_connection(poller, 3, 7) + ctrellis_poller_watch_shared_listener(poller, 4, 8);
    result += ctrellis_poller_watch_input(poller, read_end, 9) + ctrellis_poller_unwatch(poller, 3);
    result += ctrellis_poller_wait(poller, events, 4, 10) + ctrellis_accept(4) + ctrellis_socket(2);
    result += (int)ctrellis_sendv(3, 0, 0) + ctrellis_malloc_trim() + ctrellis_allocator_replaced();
    ctrellis_fix_mmap_threshold(1 << 18);
    ctrellis_raise_descriptor_limit(1024);
    result += (int)ctrellis_monotonic_ns() + (int)ctrellis_thread_id() + CTRELLIS_POLLRDHUP + (int)CTRELLIS_NATIVE_POLLER[0];
    return result;
}
C
for platform in linux darwin; do
  if [ "$platform" = darwin ]; then flags=(-U__linux__ -D__APPLE__ -IScripts/DarwinStub); else flags=(); fi
  clang -fsyntax-only -Wall -Wextra -Werror "${flags[@]}" -ISources/CTrellisSystem/include "$check"
  echo "CTrellisSystem ($platform half): valid C, every call the Swift side makes is declared"
  # The core's per-thread pointers (no system call; `__thread` on both systems).
  clang -fsyntax-only -Wall -Wextra -Werror "${flags[@]}" -ISources/CTrellisThreadLocal/include Sources/CTrellisThreadLocal/ThreadLocal.c
  echo "CTrellisThreadLocal ($platform): valid C"
done
