/*
 * LD_PRELOAD shim for pcscd: sets TCP_NODELAY on every TCP socket pcscd accepts.
 *
 * Why (docs/pcsc.md, "Latency trap"): Debian 12's vpcd 0.8 writes each frame's 2-byte
 * length and its payload in two send() calls on a socket without TCP_NODELAY, so Nagle plus the
 * peer's delayed ACK stall every APDU by ~44 ms. vpcd's listening sockets are the only TCP
 * sockets pcscd accepts; unix sockets (the client socket /run/pcscd/pcscd.comm) are left alone.
 *
 * Built by scripts/build-preload.sh: cc -shared -fPIC -O2 -o libsscard-nodelay.so ... -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

typedef int (*accept_fn)(int, struct sockaddr *, socklen_t *);
typedef int (*accept4_fn)(int, struct sockaddr *, socklen_t *, int);

static void set_nodelay_if_tcp(int fd) {
    struct sockaddr_storage local;
    socklen_t len = sizeof local;
    if (fd < 0 || getsockname(fd, (struct sockaddr *)&local, &len) != 0) return;
    if (local.ss_family != AF_INET && local.ss_family != AF_INET6) return;
    int one = 1;
    /* Best effort: a failure leaves the socket as it was (slow, but working). */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen) {
    static accept_fn real_accept;
    if (!real_accept) real_accept = (accept_fn)dlsym(RTLD_NEXT, "accept");
    int fd = real_accept(sockfd, addr, addrlen);
    set_nodelay_if_tcp(fd);
    return fd;
}

int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    static accept4_fn real_accept4;
    if (!real_accept4) real_accept4 = (accept4_fn)dlsym(RTLD_NEXT, "accept4");
    int fd = real_accept4(sockfd, addr, addrlen, flags);
    set_nodelay_if_tcp(fd);
    return fd;
}
