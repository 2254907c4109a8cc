// The operating-system calls TrellisServer makes, behind one set of C functions with the same
// signatures on every platform, so the Swift platform layer has no per-OS code paths:
// - the readiness poller (`ctrellis_poller_*`): epoll on Linux, kqueue on Darwin, both reporting
//   the same CTRELLIS_READABLE / CTRELLIS_WRITABLE / CTRELLIS_HANGUP bits;
// - the wake-up descriptor (eventfd on Linux, a pipe on Darwin);
// - accept/socket returning non-blocking close-on-exec descriptors, a gathered send that never
//   raises SIGPIPE, threads, the monotonic clock, the descriptor limit and allocator tuning.
// The Linux half is what this repository's CI compiles and tests; the Darwin half is compiled only
// on a Mac (Documentation/Server.md, "Platforms").
#ifndef CTRELLIS_SYSTEM_H
#define CTRELLIS_SYSTEM_H

#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/// One readiness event: the token a descriptor was registered with and what it is ready for
/// (CTRELLIS_READABLE | CTRELLIS_WRITABLE | CTRELLIS_HANGUP).
typedef struct {
    uint32_t events;
    uint64_t data;
} ctrellis_event;

/// Bytes (or end of stream, or an error) can be read.
static const uint32_t CTRELLIS_READABLE = 1;
/// Bytes can be written (or the socket failed).
static const uint32_t CTRELLIS_WRITABLE = 2;
/// The peer closed its side or the connection failed.
static const uint32_t CTRELLIS_HANGUP = 4;

static const int CTRELLIS_SO_REUSEPORT = SO_REUSEPORT;
static const int CTRELLIS_SO_REUSEADDR = SO_REUSEADDR;
static const int CTRELLIS_TCP_NODELAY = TCP_NODELAY;
static const int CTRELLIS_IPV6_V6ONLY = IPV6_V6ONLY;

static inline int ctrellis_set_int_option(int fd, int level, int name, int value) {
    return setsockopt(fd, level, name, &value, sizeof(value));
}

/// Sets SIGPIPE to be ignored for the process.
static inline void ctrellis_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

typedef void *(*ctrellis_thread_body)(void *);

/// Starts a detached thread running `body(context)`; returns 0 or an error number.
static inline int ctrellis_thread_detach(ctrellis_thread_body body, void *context) {
    pthread_t thread;
    int result = pthread_create(&thread, NULL, body, context);
    if (result == 0) pthread_detach(thread);
    return result;
}

/// A number that identifies the calling thread among the live ones (never 0).
static inline uintptr_t ctrellis_thread_id(void) { return (uintptr_t)pthread_self(); }

/// Monotonic time in nanoseconds.
static inline uint64_t ctrellis_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/// Raises the soft open-file limit towards `wanted`, capped by the hard limit.
static inline void ctrellis_raise_descriptor_limit(uint64_t wanted) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= (rlim_t)wanted) return;
    limit.rlim_cur = (rlim_t)wanted < limit.rlim_max ? (rlim_t)wanted : limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &limit);
}

#if defined(__linux__)
// ---------------------------------------------------------------- Linux: epoll, eventfd, accept4

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <malloc.h>
#include <dlfcn.h>

// accept4 is declared only under _GNU_SOURCE, which would change fd_set and clash with the Glibc
// module; declare it directly instead.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// `POLLRDHUP` (the peer closed its side), defined by <poll.h> only under _GNU_SOURCE.
#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif
static const short CTRELLIS_POLLRDHUP = POLLRDHUP;

/// The name of this platform's native poller, for messages.
static const char *const CTRELLIS_NATIVE_POLLER = "epoll";

static inline int ctrellis_poller_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static inline int ctrellis_epoll_add(int epfd, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

/// Watches a connection for both directions, edge-triggered, and for the peer's close.
static inline int ctrellis_poller_watch_connection(int pfd, int fd, uint64_t token) {
    return ctrellis_epoll_add(pfd, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, token);
}

/// Watches a listener several loops share, level-triggered; one loop wakes per connection.
static inline int ctrellis_poller_watch_shared_listener(int pfd, int fd, uint64_t token) {
    return ctrellis_epoll_add(pfd, fd, EPOLLIN | EPOLLEXCLUSIVE, token);
}

/// Watches a descriptor for input, level-triggered.
static inline int ctrellis_poller_watch_input(int pfd, int fd, uint64_t token) {
    return ctrellis_epoll_add(pfd, fd, EPOLLIN, token);
}

static inline int ctrellis_poller_unwatch(int pfd, int fd) {
    struct epoll_event event = {0};
    return epoll_ctl(pfd, EPOLL_CTL_DEL, fd, &event);
}

/// Waits for up to `max` events (max <= 256) and translates them.
static inline int ctrellis_poller_wait(int pfd, ctrellis_event *out, int max, int timeout_ms) {
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n = epoll_wait(pfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        uint32_t flags = events[i].events, readiness = 0;
        if (flags & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readiness |= CTRELLIS_READABLE;
        if (flags & (EPOLLOUT | EPOLLHUP | EPOLLERR)) readiness |= CTRELLIS_WRITABLE;
        if (flags & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readiness |= CTRELLIS_HANGUP;
        out[i].events = readiness;
        out[i].data = events[i].data.u64;
    }
    return n;
}

/// Opens a wake-up descriptor; `*read_end` and `*write_end` are the same eventfd here.
static inline int ctrellis_wakeup_open(int *read_end, int *write_end) {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    *read_end = fd;
    *write_end = fd;
    return fd < 0 ? -1 : 0;
}

static inline void ctrellis_wakeup_signal(int write_end) {
    uint64_t one = 1;
    (void)write(write_end, &one, sizeof(one));
}

static inline void ctrellis_wakeup_drain(int read_end) {
    uint64_t value;
    (void)read(read_end, &value, sizeof(value));
}

/// Accepts a connection as a non-blocking, close-on-exec socket.
static inline int ctrellis_accept(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

static inline int ctrellis_socket(int domain) { return socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); }

/// Gathered send without raising SIGPIPE on a reset connection.
static inline long ctrellis_sendv(int fd, const struct iovec *iov, int count) {
    struct msghdr message = {0};
    message.msg_iov = (struct iovec *)iov;
    message.msg_iovlen = count;
    return sendmsg(fd, &message, MSG_NOSIGNAL);
}

/// Whether a sanitizer's allocator has replaced glibc's (ThreadSanitizer, AddressSanitizer): glibc's
/// `malloc_trim`/`mallopt` would then tune an allocator nobody uses, and calling them set up glibc
/// arena state that a loop thread's exit later tripped over under ThreadSanitizer.
static inline int ctrellis_allocator_replaced(void) {
    return dlsym((void *)0, "__tsan_init") != NULL || dlsym((void *)0, "__asan_init") != NULL;
}

/// Returns free heap pages to the system.
static inline int ctrellis_malloc_trim(void) { return malloc_trim(0); }

/// Fixes glibc's mmap threshold (which otherwise rises to the size of the largest freed block, up to
/// 32 MiB), so that large request and response bodies keep coming from, and going back to, mmap.
static inline void ctrellis_fix_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }

#elif defined(__APPLE__)
// ---------------------------------------------------------------- Darwin: kqueue, a pipe, accept + fcntl
// Compiled only on a Mac; kept to what the Linux half does, call for call.

#include <sys/event.h>
#include <sys/time.h>

/// Darwin has no POLLRDHUP: the peer's close shows as readable, then end of stream.
static const short CTRELLIS_POLLRDHUP = 0;

static const char *const CTRELLIS_NATIVE_POLLER = "kqueue";

static inline int ctrellis_darwin_prepare(int fd) {
    if (fd < 0) return fd;
    int one = 1;
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) == -1) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

static inline int ctrellis_poller_create(void) {
    int fd = kqueue();
    if (fd >= 0) (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

static inline int ctrellis_kevent_change(int pfd, int fd, int16_t filter, uint16_t flags, uint64_t token) {
    struct kevent change;
    EV_SET(&change, fd, filter, flags, 0, 0, (void *)(uintptr_t)token);
    return kevent(pfd, &change, 1, NULL, 0, NULL) == -1 ? -1 : 0;
}

/// Watches a connection for both directions, edge-triggered (EV_CLEAR).
static inline int ctrellis_poller_watch_connection(int pfd, int fd, uint64_t token) {
    if (ctrellis_kevent_change(pfd, fd, EVFILT_READ, EV_ADD | EV_CLEAR, token) != 0) return -1;
    return ctrellis_kevent_change(pfd, fd, EVFILT_WRITE, EV_ADD | EV_CLEAR, token);
}

/// kqueue has no exclusive wake-up: every loop wakes, the ones that lose the race get EAGAIN.
static inline int ctrellis_poller_watch_shared_listener(int pfd, int fd, uint64_t token) {
    return ctrellis_kevent_change(pfd, fd, EVFILT_READ, EV_ADD, token);
}

static inline int ctrellis_poller_watch_input(int pfd, int fd, uint64_t token) {
    return ctrellis_kevent_change(pfd, fd, EVFILT_READ, EV_ADD, token);
}

static inline int ctrellis_poller_unwatch(int pfd, int fd) {
    int read = ctrellis_kevent_change(pfd, fd, EVFILT_READ, EV_DELETE, 0);
    int write = ctrellis_kevent_change(pfd, fd, EVFILT_WRITE, EV_DELETE, 0);
    return read == 0 || write == 0 ? 0 : -1;
}

/// Waits for up to `max` events (max <= 256) and translates them (one event per filter).
static inline int ctrellis_poller_wait(int pfd, ctrellis_event *out, int max, int timeout_ms) {
    struct kevent events[256];
    struct timespec timeout, *limit = NULL;
    if (max > 256) max = 256;
    if (timeout_ms >= 0) {
        timeout.tv_sec = timeout_ms / 1000;
        timeout.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
        limit = &timeout;
    }
    int n = kevent(pfd, NULL, 0, events, max, limit);
    for (int i = 0; i < n; i++) {
        uint32_t readiness = 0;
        int failed = (events[i].flags & (EV_EOF | EV_ERROR)) != 0;
        if (events[i].filter == EVFILT_READ || failed) readiness |= CTRELLIS_READABLE;
        if (events[i].filter == EVFILT_WRITE) readiness |= CTRELLIS_WRITABLE;
        if (failed) readiness |= CTRELLIS_HANGUP;
        out[i].events = readiness;
        out[i].data = (uint64_t)(uintptr_t)events[i].udata;
    }
    return n;
}

/// Opens a wake-up pipe (non-blocking, close-on-exec).
static inline int ctrellis_wakeup_open(int *read_end, int *write_end) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        (void)fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        (void)fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    *read_end = fds[0];
    *write_end = fds[1];
    return 0;
}

static inline void ctrellis_wakeup_signal(int write_end) {
    uint8_t one = 1;
    (void)write(write_end, &one, 1);
}

static inline void ctrellis_wakeup_drain(int read_end) {
    uint8_t bytes[64];
    while (read(read_end, bytes, sizeof(bytes)) > 0) {}
}

static inline int ctrellis_accept(int fd) { return ctrellis_darwin_prepare(accept(fd, NULL, NULL)); }

static inline int ctrellis_socket(int domain) { return ctrellis_darwin_prepare(socket(domain, SOCK_STREAM, 0)); }

/// Gathered send; SO_NOSIGPIPE (set on every socket) keeps a reset connection from raising SIGPIPE.
static inline long ctrellis_sendv(int fd, const struct iovec *iov, int count) {
    struct msghdr message = {0};
    message.msg_iov = (struct iovec *)iov;
    message.msg_iovlen = count;
    return sendmsg(fd, &message, 0);
}

/// Darwin's allocator returns memory by itself; nothing to trim or tune.
static inline int ctrellis_allocator_replaced(void) { return 1; }
static inline int ctrellis_malloc_trim(void) { return 0; }
static inline void ctrellis_fix_mmap_threshold(int bytes) { (void)bytes; }

#else
#error "TrellisServer supports Linux (epoll) and Darwin (kqueue)."
#endif

#endif
