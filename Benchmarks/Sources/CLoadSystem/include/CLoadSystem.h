// epoll for the load generator (Glibc does not export it to Swift on this toolchain).
#ifndef CLOAD_SYSTEM_H
#define CLOAD_SYSTEM_H
#include <stdint.h>
#include <sys/epoll.h>

typedef struct { uint32_t events; uint64_t data; } cload_event;

static inline int cload_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }
static inline int cload_epoll_add(int epfd, int fd, uint64_t data) {
    struct epoll_event event;
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.u64 = data;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}
static inline int cload_epoll_del(int epfd, int fd) {
    struct epoll_event event = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}
static inline int cload_epoll_wait(int epfd, cload_event *out, int max, int timeout_ms) {
    struct epoll_event events[512];
    if (max > 512) max = 512;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) { out[i].events = events[i].events; out[i].data = events[i].data.u64; }
    return n;
}
#endif
