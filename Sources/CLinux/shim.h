// Linux APIs that Glibc's Swift overlay does not expose (epoll, eventfd, GNU extensions).
#include <pthread.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stdint.h>

static const uint32_t CEPOLL_IN = EPOLLIN;
static const uint32_t CEPOLL_OUT = EPOLLOUT;
static const uint32_t CEPOLL_RDHUP = EPOLLRDHUP;
static const uint32_t CEPOLL_ERR = EPOLLERR;
static const uint32_t CEPOLL_HUP = EPOLLHUP;
static const uint32_t CEPOLL_ET = EPOLLET;
static const int CEPOLL_CLOEXEC = EPOLL_CLOEXEC;
static const int CEFD_NONBLOCK = EFD_NONBLOCK;
static const int CEFD_CLOEXEC = EFD_CLOEXEC;

// epoll_event is packed on x86_64; build and read it here so Swift never sees the layout.
static inline struct epoll_event cepoll_event(uint32_t events, uint64_t token) {
    struct epoll_event e;
    e.events = events;
    e.data.u64 = token;
    return e;
}
static inline uint64_t cepoll_token(const struct epoll_event *events, int index) { return events[index].data.u64; }
static inline uint32_t cepoll_events(const struct epoll_event *events, int index) { return events[index].events; }

// GNU extensions, declared here rather than through _GNU_SOURCE, which would change the
// definitions of types that Swift's Glibc module already imported.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
extern int pthread_setname_np(pthread_t thread, const char *name);

static inline int caccept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) { return accept4(fd, addr, len, flags); }
static inline void cpthread_setname(pthread_t thread, const char *name) { (void)pthread_setname_np(thread, name); }

// Socket type flags (an enum in glibc that Swift's Glibc overlay does not always surface).
static const int CSOCK_STREAM = SOCK_STREAM;
static const int CSOCK_NONBLOCK = SOCK_NONBLOCK;
static const int CSOCK_CLOEXEC = SOCK_CLOEXEC;
