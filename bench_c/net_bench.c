/* net_bench: packets per second through packetpeer's sockets vs plain C on the same loopback sockets.
 *
 * Prints, in one run: UDP 64 B and 1200 B through pp_put_packet/pp_get_packet, through the batch calls
 * (pp_packet_peer_udp_put_packets/_get_packets), through plain sendto/recvfrom and plain
 * sendmmsg/recvmmsg; TCP framed (u32 LE length + payload) 64 B and 1 KiB through PacketPeerStream over
 * StreamPeerTCP (immediate and coalescing), and through a plain C one-write-per-frame loop. Sender and
 * receiver run in this one thread, alternating windows of packets, so both sides' costs are counted.
 * TCP "send side" and "both sides" figures come from separate runs: timing the send half of each window
 * takes two clock reads (system calls, ~1 us) per window, which would otherwise be counted in the
 * both-sides figure — about 10% of a coalesced window of 64-byte frames, under 1% of an immediate one.
 * Loopback only (127.0.0.1, port 0); every loop is bounded.
 *
 * Build (from the repo root, after `cargo build --release`):
 *   gcc -O2 -std=c99 -I"$(dirname "$(find target/release/build -name packetpeer.h | head -1)")" \
 *       bench_c/net_bench.c -Ltarget/release -lpacketpeer -Wl,-rpath,"$PWD/target/release" -o net_bench
 * Run: ./net_bench [packets]   (default 50000 per run; each figure is the best of 5 runs;
 *      NET_BENCH_ONLY=udp or tcp runs one part)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packetpeer.h"

#define W 32 /* packets per window */

static long N = 50000;
static uint8_t payload[65536];

/* CPU time of this thread, not wall time: the machine may run other work, and what a caller pays is
 * the CPU its thread spends (loopback delivery runs inside the sending system call). */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, int e) {
    fprintf(stderr, "net_bench: %s failed (%s)\n", what, pp_error_name(e));
    exit(1);
}
#define OK(call)                                                                                   \
    do {                                                                                           \
        pp_error e_ = (call);                                                                      \
        if (e_ != PP_OK) die(#call, e_);                                                           \
    } while (0)

static void report(const char *name, double pps, double base) {
    if (base > 0)
        printf("  %-44s %12.0f pkt/s   %5.2fx\n", name, pps, pps / base);
    else
        printf("  %-44s %12.0f pkt/s\n", name, pps);
}

/* ---------------------------------------------------------------- UDP, plain C */
static int udp_sock(struct sockaddr_in *out) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rcv = 4 << 20;
    socklen_t l = sizeof *out;
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    if (fd < 0 || bind(fd, (struct sockaddr *)out, sizeof *out) != 0) die("udp socket", 1);
    getsockname(fd, (struct sockaddr *)out, &l);
    return fd;
}

static double plain_udp(size_t size) {
    struct sockaddr_in sa, sb;
    int a = udp_sock(&sa), b = udp_sock(&sb);
    static uint8_t rbuf[65536];
    long done = 0;
    double t0 = now();
    while (done < N) {
        int i;
        for (i = 0; i < W; i++)
            if (sendto(a, payload, size, 0, (struct sockaddr *)&sb, sizeof sb) != (ssize_t)size) die("sendto", 1);
        for (i = 0; i < W; i++) {
            struct sockaddr_in from;
            socklen_t fl = sizeof from;
            if (recvfrom(b, rbuf, sizeof rbuf, 0, (struct sockaddr *)&from, &fl) != (ssize_t)size) die("recvfrom", 1);
        }
        done += W;
    }
    t0 = now() - t0;
    close(a);
    close(b);
    return (double)done / t0;
}

static double plain_mmsg(size_t size) {
    struct sockaddr_in sa, sb, from[W];
    int a = udp_sock(&sa), b = udp_sock(&sb);
    static uint8_t rbuf[W][2048];
    struct mmsghdr sm[W], rm[W];
    struct iovec siov[W], riov[W];
    long done = 0;
    int i;
    double t0;
    memset(sm, 0, sizeof sm);
    for (i = 0; i < W; i++) {
        siov[i].iov_base = payload;
        siov[i].iov_len = size;
        sm[i].msg_hdr.msg_iov = &siov[i];
        sm[i].msg_hdr.msg_iovlen = 1;
        sm[i].msg_hdr.msg_name = &sb;
        sm[i].msg_hdr.msg_namelen = sizeof sb;
    }
    t0 = now();
    while (done < N) {
        int got = 0;
        if (sendmmsg(a, sm, W, 0) != W) die("sendmmsg", 1);
        while (got < W) {
            int r;
            memset(rm, 0, sizeof rm);
            for (i = 0; i < W; i++) {
                riov[i].iov_base = rbuf[i];
                riov[i].iov_len = sizeof rbuf[i];
                rm[i].msg_hdr.msg_iov = &riov[i];
                rm[i].msg_hdr.msg_iovlen = 1;
                rm[i].msg_hdr.msg_name = &from[i];
                rm[i].msg_hdr.msg_namelen = sizeof from[i];
            }
            r = recvmmsg(b, rm, (unsigned)(W - got), MSG_DONTWAIT, NULL);
            if (r > 0) got += r;
        }
        done += W;
    }
    t0 = now() - t0;
    close(a);
    close(b);
    return (double)done / t0;
}

/* ---------------------------------------------------------------- UDP, packetpeer */
static void udp_pair(pp_peer **a, pp_peer **b) {
    OK(pp_packet_peer_udp_new(a));
    OK(pp_packet_peer_udp_new(b));
    OK(pp_packet_peer_udp_bind(*a, 0, "127.0.0.1", 1 << 20));
    OK(pp_packet_peer_udp_bind(*b, 0, "127.0.0.1", 1 << 20));
    OK(pp_packet_peer_udp_set_dest_address(*a, "127.0.0.1", pp_packet_peer_udp_get_local_port(*b)));
}

static double lib_udp(size_t size) {
    pp_peer *a, *b;
    long done = 0;
    double t0;
    udp_pair(&a, &b);
    t0 = now();
    while (done < N) {
        int i, got = 0;
        for (i = 0; i < W; i++) OK(pp_put_packet(a, payload, size));
        while (got < W) {
            const uint8_t *d;
            size_t l;
            if (pp_get_packet(b, &d, &l) == PP_OK) got++;
        }
        done += W;
    }
    t0 = now() - t0;
    pp_peer_free(a);
    pp_peer_free(b);
    return (double)done / t0;
}

static double lib_batch(size_t size) {
    pp_peer *a, *b;
    pp_packet_data pk[W];
    pp_udp_packet_info info[W];
    static uint8_t rbuf[W * 2048];
    long done = 0;
    int i;
    double t0;
    udp_pair(&a, &b);
    for (i = 0; i < W; i++) {
        pk[i].data = payload;
        pk[i].len = size;
    }
    t0 = now();
    while (done < N) {
        size_t sent = 0, got = 0;
        OK(pp_packet_peer_udp_put_packets(a, pk, W, &sent));
        while (got < W) {
            size_t n = 0;
            OK(pp_packet_peer_udp_get_packets(b, rbuf, sizeof rbuf, info, W - got, &n));
            got += n;
        }
        done += W;
    }
    t0 = now() - t0;
    pp_peer_free(a);
    pp_peer_free(b);
    return (double)done / t0;
}

/* ---------------------------------------------------------------- TCP, plain C */
static void plain_tcp_pair(int *c, int *s) {
    struct sockaddr_in sa;
    socklen_t l = sizeof sa;
    int one = 1;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) || listen(lfd, 8)) die("tcp listen", 1);
    getsockname(lfd, (struct sockaddr *)&sa, &l);
    *c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(*c, (struct sockaddr *)&sa, sizeof sa)) die("tcp connect", 1);
    *s = accept(lfd, NULL, NULL);
    setsockopt(*c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    close(lfd);
}

/* Receives `count` frames of `size` bytes (u32 LE prefix), parsing them from a byte buffer. */
static void plain_recv_frames(int fd, size_t size, int count) {
    static uint8_t buf[1 << 17];
    static size_t have = 0;
    int got = 0;
    while (got < count) {
        size_t off = 0;
        ssize_t r = recv(fd, buf + have, sizeof buf - have, 0);
        if (r <= 0) die("recv", 1);
        have += (size_t)r;
        while (got < count && have - off >= 4) {
            uint32_t n = (uint32_t)buf[off] | (uint32_t)buf[off + 1] << 8 | (uint32_t)buf[off + 2] << 16 |
                         (uint32_t)buf[off + 3] << 24;
            if (n != size) die("frame size", 1);
            if (have - off < 4 + n) break;
            off += 4 + n;
            got++;
        }
        memmove(buf, buf + off, have - off);
        have -= off;
    }
}

/* send_pps NULL: time the whole loop only (both sides); else time only the send half of each window. */
static double plain_tcp(size_t size, double *send_pps) {
    int c, s;
    static uint8_t frame[4 + 65536];
    long done = 0;
    double t0, ts = 0;
    plain_tcp_pair(&c, &s);
    t0 = now();
    while (done < N) {
        int i;
        double t1 = send_pps ? now() : 0;
        for (i = 0; i < W; i++) {
            frame[0] = (uint8_t)size;
            frame[1] = (uint8_t)(size >> 8);
            frame[2] = frame[3] = 0;
            memcpy(frame + 4, payload, size);
            if (send(c, frame, 4 + size, MSG_NOSIGNAL) != (ssize_t)(4 + size)) die("send", 1);
        }
        if (send_pps) ts += now() - t1;
        plain_recv_frames(s, size, W);
        done += W;
    }
    t0 = now() - t0;
    close(c);
    close(s);
    if (send_pps) *send_pps = (double)done / ts;
    return (double)done / t0;
}

/* ---------------------------------------------------------------- TCP, packetpeer */
static void lib_tcp_pair(pp_stream_peer **c, pp_stream_peer **s, pp_tcp_server **srv) {
    int i;
    OK(pp_tcp_server_new(srv));
    OK(pp_tcp_server_listen(*srv, 0, "127.0.0.1"));
    OK(pp_stream_peer_tcp_new(c));
    OK(pp_stream_peer_tcp_connect_to_host(*c, "127.0.0.1", pp_tcp_server_get_local_port(*srv)));
    for (i = 0; i < 1000 && pp_stream_peer_tcp_get_status(*c) == PP_STREAM_PEER_TCP_STATUS_CONNECTING; i++) {
        OK(pp_stream_peer_tcp_poll(*c));
        (void)pp_stream_peer_tcp_wait(*c, PP_POLL_TYPE_OUT, 10);
    }
    OK(pp_stream_peer_tcp_set_no_delay(*c, true));
    for (i = 0; i < 1000 && !pp_tcp_server_is_connection_available(*srv); i++) (void)pp_stream_peer_tcp_wait(*c, PP_POLL_TYPE_IN, 1);
    OK(pp_tcp_server_take_connection(*srv, s));
}

/* send_pps as in plain_tcp. */
static double lib_tcp(size_t size, bool coalesce, double *send_pps) {
    pp_tcp_server *srv;
    pp_stream_peer *c, *s;
    pp_peer *pc, *ps;
    long done = 0;
    double t0, ts = 0;
    lib_tcp_pair(&c, &s, &srv);
    OK(pp_packet_peer_stream_new(&pc));
    OK(pp_packet_peer_stream_new(&ps));
    OK(pp_packet_peer_stream_set_stream_peer(pc, c));
    OK(pp_packet_peer_stream_set_stream_peer(ps, s));
    if (coalesce) OK(pp_stream_peer_tcp_set_write_coalescing(c, true));
    t0 = now();
    while (done < N) {
        int i, got = 0;
        double t1 = send_pps ? now() : 0;
        for (i = 0; i < W; i++) OK(pp_put_packet(pc, payload, size));
        if (coalesce) OK(pp_stream_peer_tcp_flush(c));
        if (send_pps) ts += now() - t1;
        while (got < W) {
            const uint8_t *d;
            size_t l;
            pp_error e = pp_get_packet(ps, &d, &l);
            if (e == PP_OK) {
                if (l != size) die("frame size", 1);
                got++;
            } else if (e != PP_ERR_UNAVAILABLE) {
                die("pp_get_packet", e);
            }
        }
        done += W;
    }
    t0 = now() - t0;
    pp_peer_free(pc);
    pp_peer_free(ps);
    pp_stream_peer_free(c);
    pp_stream_peer_free(s);
    pp_tcp_server_free(srv);
    if (send_pps) *send_pps = (double)done / ts;
    return (double)done / t0;
}

/* The machine may be shared: each figure is the best of ROUNDS runs, and the runs of the rows that are
 * compared are interleaved so that load changes hit both alike. The TCP send-side rows also print every
 * round and the median of the per-round ratios. NET_BENCH_ONLY=udp or =tcp runs only that part. */
#define ROUNDS 5

static double best(double cur, double v) { return v > cur ? v : cur; }

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(const double *v, int n) {
    double s[ROUNDS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return s[n / 2];
}

int main(int argc, char **argv) {
    static const size_t udp_sizes[] = {64, 1200};
    static const size_t tcp_sizes[] = {64, 1024};
    const char *only = getenv("NET_BENCH_ONLY");
    int do_udp = !only || !*only || !strcmp(only, "udp"), do_tcp = !only || !*only || !strcmp(only, "tcp");
    size_t k;
    int r;
    if (argc > 1) N = atol(argv[1]);
    if (N < W) N = W;
    memset(payload, 0xA5, sizeof payload);
    printf("net_bench: %ld packets per run, windows of %d, loopback, one thread; packets per CPU-second, best of %d runs\n", N, W,
           ROUNDS);
    for (k = 0; do_udp && k < 2; k++) {
        size_t sz = udp_sizes[k];
        double plain = 0, lib = 0, mmsg = 0, batch = 0;
        for (r = 0; r < ROUNDS; r++) {
            plain = best(plain, plain_udp(sz));
            lib = best(lib, lib_udp(sz));
            mmsg = best(mmsg, plain_mmsg(sz));
            batch = best(batch, lib_batch(sz));
        }
        printf("UDP %zu B\n", sz);
        report("plain sendto/recvfrom", plain, 0);
        report("pp_put_packet/pp_get_packet (vs plain)", lib, plain);
        report("plain sendmmsg/recvmmsg", mmsg, 0);
        report("batch put_packets/get_packets (vs mmsg)", batch, mmsg);
    }
    for (k = 0; do_tcp && k < 2; k++) {
        size_t sz = tcp_sizes[k];
        double plain = 0, imm = 0, coal = 0, plain_s = 0, imm_s = 0, coal_s = 0;
        double rp[ROUNDS], ri[ROUNDS], rc[ROUNDS], ratio_s[ROUNDS], ratio_b[ROUNDS];
        for (r = 0; r < ROUNDS; r++) {
            double a = plain_tcp(sz, NULL), b = lib_tcp(sz, false, NULL);
            plain = best(plain, a);
            imm = best(imm, b);
            ratio_b[r] = b / a;
            coal = best(coal, lib_tcp(sz, true, NULL));
            (void)plain_tcp(sz, &rp[r]);
            plain_s = best(plain_s, rp[r]);
            (void)lib_tcp(sz, false, &ri[r]);
            imm_s = best(imm_s, ri[r]);
            (void)lib_tcp(sz, true, &rc[r]);
            coal_s = best(coal_s, rc[r]);
            ratio_s[r] = ri[r] / rp[r];
        }
        printf("TCP framed %zu B, send side (put + flush, loopback delivery included)\n", sz);
        for (r = 0; r < ROUNDS; r++)
            printf("  round %d: plain %.0f, immediate %.0f (%.2fx), coalescing %.0f pkt/s\n", r + 1, rp[r], ri[r], ratio_s[r], rc[r]);
        report("plain C one send per frame", plain_s, 0);
        report("PacketPeerStream immediate (vs plain)", imm_s, plain_s);
        report("PacketPeerStream coalescing (vs immediate)", coal_s, imm_s);
        printf("  median of the per-round immediate/plain ratios: %.2fx\n", median(ratio_s, ROUNDS));
        printf("TCP framed %zu B, both sides (send + receive and parse)\n", sz);
        report("plain C one send per frame, recv + parse", plain, 0);
        report("PacketPeerStream immediate (vs plain)", imm, plain);
        report("PacketPeerStream coalescing (vs immediate)", coal, imm);
        printf("  median of the per-round immediate/plain ratios: %.2fx\n", median(ratio_b, ROUNDS));
    }
    return 0;
}
