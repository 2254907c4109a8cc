// What Glibc does not export to Swift on this toolchain: epoll, eventfd and accept4, plus the
// flag values Swift imports awkwardly (enum-typed or macro-built). Linux only.
#ifndef CTRELLIS_LINUX_H
#define CTRELLIS_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <malloc.h>
#include <poll.h>

// accept4 is declared only under _GNU_SOURCE, which would change fd_set and clash with the Glibc
// module; declare it directly instead.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// One readiness event, unpacked (struct epoll_event is packed on x86_64).
typedef struct {
    uint32_t events;
    uint64_t data;
} ctrellis_event;

static const uint32_t CTRELLIS_EPOLLIN = EPOLLIN;
static const uint32_t CTRELLIS_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;
static const uint32_t CTRELLIS_EPOLLOUT = EPOLLOUT;
static const uint32_t CTRELLIS_EPOLLERR = EPOLLERR;
static const uint32_t CTRELLIS_EPOLLHUP = EPOLLHUP;
static const uint32_t CTRELLIS_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t CTRELLIS_EPOLLET = EPOLLET;

/// `POLLRDHUP` (the peer closed its side), defined by <poll.h> only under _GNU_SOURCE.
#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif
static const short CTRELLIS_POLLRDHUP = POLLRDHUP;

static inline int ctrellis_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static inline int ctrellis_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &event);
}

static inline int ctrellis_epoll_add(int epfd, int fd, uint32_t events, uint64_t data) {
    return ctrellis_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, events, data);
}

static inline int ctrellis_epoll_del(int epfd, int fd) {
    struct epoll_event event = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}

/// Waits for up to `max` events (max <= 256) and unpacks them.
static inline int ctrellis_epoll_wait(int epfd, ctrellis_event *out, int max, int timeout_ms) {
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].events = events[i].events;
        out[i].data = events[i].data.u64;
    }
    return n;
}

static inline int ctrellis_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/// Accepts a connection as a non-blocking, close-on-exec socket.
static inline int ctrellis_accept(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

static inline int ctrellis_socket(int domain) { return socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); }

static inline int ctrellis_set_int_option(int fd, int level, int name, int value) {
    return setsockopt(fd, level, name, &value, sizeof(value));
}

static const int CTRELLIS_SO_REUSEPORT = SO_REUSEPORT;
static const int CTRELLIS_SO_REUSEADDR = SO_REUSEADDR;
static const int CTRELLIS_TCP_NODELAY = TCP_NODELAY;
static const int CTRELLIS_IPV6_V6ONLY = IPV6_V6ONLY;

/// Gathered send without raising SIGPIPE on a reset connection.
static inline long ctrellis_sendv(int fd, const struct iovec *iov, int count) {
    struct msghdr message = {0};
    message.msg_iov = (struct iovec *)iov;
    message.msg_iovlen = count;
    return sendmsg(fd, &message, MSG_NOSIGNAL);
}

/// Returns free heap pages to the system (malloc.h is not part of the Glibc module).
static inline int ctrellis_malloc_trim(void) { return malloc_trim(0); }

/// Fixes glibc's mmap threshold (which otherwise rises to the size of the largest freed block, up to
/// 32 MiB), so that large request and response bodies keep coming from, and going back to, mmap.
static inline void ctrellis_fix_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }

/// Sets SIGPIPE to be ignored for the process.
static inline void ctrellis_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

#endif
