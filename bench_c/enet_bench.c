/* Stock C ENet (libenet) side of the ENet benchmark (benches/enet.rs runs it and our Rust host with
 * the same scenarios on loopback, single-threaded, both hosts serviced alternately with timeout 0).
 * Also the floor: a raw UDP ping-pong of the same 64 bytes between two plain sockets.
 * Prints one "name value unit" line per figure. ENET_BENCH_ONLY=rtt|frag limits it to the ping-pong
 * (with the floor) or the transfers (the fragmented one after the others, as in a full run). */
#include <arpa/inet.h>
#include <enet/enet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct { ENetHost *server, *client; ENetPeer *cpeer, *speer; } pair;

static int drain(ENetHost *h, ENetEvent *got, int max) {
    int n = 0;
    ENetEvent ev;
    while (n < max && enet_host_service(h, &ev, 0) > 0) {
        if (got) got[n] = ev; else if (ev.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(ev.packet);
        n++;
    }
    return n;
}

static int make_pair(pair *p, size_t client_peers) {
    ENetAddress a;
    ENetEvent ev;
    int i, up = 0;
    enet_address_set_host_ip(&a, "127.0.0.1");
    a.port = 0;
    p->server = enet_host_create(&a, 4095, 8, 0, 0);
    enet_socket_get_address(p->server->socket, &a);
    p->client = enet_host_create(NULL, client_peers, 8, 0, 0);
    if (!p->server || !p->client) return 0;
    p->cpeer = enet_host_connect(p->client, &a, 8, 0);
    for (i = 0; i < 20000 && up < 2; i++) {
        while (enet_host_service(p->server, &ev, 0) > 0)
            if (ev.type == ENET_EVENT_TYPE_CONNECT) { p->speer = ev.peer; up++; }
        while (enet_host_service(p->client, &ev, 0) > 0)
            if (ev.type == ENET_EVENT_TYPE_CONNECT) up++;
    }
    return up == 2;
}

static void free_pair(pair *p) {
    enet_host_destroy(p->client);
    enet_host_destroy(p->server);
}

/* Sends n messages of `size` bytes with `flags` from client to server; returns received count and
 * the elapsed time until the last one (or until 1 s of silence). */
static int transfer(pair *p, int n, size_t size, enet_uint32 flags, int batch, double *secs, double *bytes_per_msg) {
    unsigned char *buf = calloc(1, size);
    int sent = 0, got = 0;
    double t0 = now_s(), last = t0;
    ENetEvent ev;
    enet_uint32 before = p->client->totalSentData;
    while (got < n && now_s() - last < 1.0) {
        int k;
        for (k = 0; k < batch && sent < n; k++, sent++)
            enet_peer_send(p->cpeer, 0, enet_packet_create(buf, size, flags));
        while (enet_host_service(p->client, &ev, 0) > 0)
            if (ev.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(ev.packet);
        while (enet_host_service(p->server, &ev, 0) > 0)
            if (ev.type == ENET_EVENT_TYPE_RECEIVE) { got++; last = now_s(); enet_packet_destroy(ev.packet); }
    }
    *secs = last - t0;
    *bytes_per_msg = (double)(p->client->totalSentData - before) / (got ? got : 1);
    free(buf);
    return got;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The floor under any ping-pong over UDP: 64 bytes from one plain non-blocking socket to another and
 * back, nothing else (one sendto and one successful recvfrom each way; loopback delivers during the
 * sendto, so the receiver's first recvfrom normally finds the datagram). */
static int udp_socket(struct sockaddr_in *a) {
    socklen_t l = sizeof *a;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof *a) != 0 || getsockname(fd, (struct sockaddr *)a, &l) != 0) return -1;
    return fd;
}

static int raw_udp_pingpong(double *rtt, int n) {
    struct sockaddr_in ca, sa, from;
    int c = udp_socket(&ca), s = udp_socket(&sa), i;
    unsigned char msg[64] = {0}, buf[2048];
    if (c < 0 || s < 0) return 0;
    for (i = 0; i < n; i++) {
        double t0 = now_s();
        socklen_t fl;
        ssize_t r;
        if (sendto(c, msg, sizeof msg, 0, (struct sockaddr *)&sa, sizeof sa) != (ssize_t)sizeof msg) return 0;
        do {
            fl = sizeof from;
            r = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        } while (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
        if (r != (ssize_t)sizeof msg || sendto(s, buf, (size_t)r, 0, (struct sockaddr *)&from, fl) != r) return 0;
        do {
            fl = sizeof from;
            r = recvfrom(c, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        } while (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
        if (r != (ssize_t)sizeof msg) return 0;
        rtt[i] = (now_s() - t0) * 1e6;
    }
    close(c);
    close(s);
    return 1;
}

int main(void) {
    pair p;
    double secs, bpm;
    int got, i;
    const char *only = getenv("ENET_BENCH_ONLY");
    int all = !only || !*only, rtt_only = only && !strcmp(only, "rtt"), frag_only = only && !strcmp(only, "frag");
    if (enet_initialize() != 0) return 2;

    if (!make_pair(&p, 1)) return 3;
    if (all || frag_only) { /* also the warm-up of the fragmented transfer (throttle, RTT estimate) */
        got = transfer(&p, 20000, 1024, ENET_PACKET_FLAG_RELIABLE, 20000, &secs, &bpm);
        printf("reliable_1k_msgs_per_s %.0f msg/s\nreliable_1k_wire_bytes_per_msg %.1f B\n", got / secs, bpm);
        got = transfer(&p, 200000, 64, 0, 50, &secs, &bpm);
        printf("unreliable_64b_msgs_per_s %.0f msg/s\nunreliable_64b_delivered %d of 200000\nunreliable_64b_wire_bytes_per_msg %.1f B\n", got / secs, got, bpm);
    }
    if (all || frag_only) {
        got = transfer(&p, 200, 65536, ENET_PACKET_FLAG_RELIABLE, 200, &secs, &bpm);
        printf("fragmented_64k_mb_per_s %.1f MB/s\n", got * 65536.0 / secs / 1e6);
    }
    if (all || rtt_only) {
        static double rtt[2000];
        unsigned char msg[64] = {0};
        ENetEvent ev;
        for (i = 0; i < 2000; i++) {
            double t0 = now_s();
            int back = 0;
            enet_peer_send(p.cpeer, 0, enet_packet_create(msg, 64, ENET_PACKET_FLAG_RELIABLE));
            while (!back) {
                while (enet_host_service(p.client, &ev, 0) > 0)
                    if (ev.type == ENET_EVENT_TYPE_RECEIVE) { back = 1; enet_packet_destroy(ev.packet); }
                while (enet_host_service(p.server, &ev, 0) > 0)
                    if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
                        enet_peer_send(ev.peer, 0, enet_packet_create(ev.packet->data, ev.packet->dataLength, ENET_PACKET_FLAG_RELIABLE));
                        enet_packet_destroy(ev.packet);
                    }
            }
            rtt[i] = (now_s() - t0) * 1e6;
        }
        qsort(rtt, 2000, sizeof rtt[0], cmp);
        printf("pingpong_64b_rtt_median %.1f us\npingpong_64b_rtt_p99 %.1f us\n", rtt[1000], rtt[1979]);
        if (raw_udp_pingpong(rtt, 2000)) {
            qsort(rtt, 2000, sizeof rtt[0], cmp);
            printf("raw_udp_pingpong_64b_rtt_median %.1f us\nraw_udp_pingpong_64b_rtt_p99 %.1f us\n", rtt[1000], rtt[1979]);
        }
    }
    free_pair(&p);

    /* service() cost with 4000 connected peers (idle apart from ENet's own pings) */
    if (all) {
        ENetAddress a;
        ENetEvent ev;
        ENetHost *server, *client;
        int up = 0, calls = 0;
        double t0, spent = 0;
        enet_address_set_host_ip(&a, "127.0.0.1");
        a.port = 0;
        server = enet_host_create(&a, 4095, 2, 0, 0);
        enet_socket_get_address(server->socket, &a);
        client = enet_host_create(NULL, 4000, 2, 0, 0);
        t0 = now_s();
        i = 0;
        while (up < 4000 && now_s() - t0 < 30) {
            /* connect in waves of 200 so the handshakes do not overflow the socket buffers */
            if (i < 4000 && i - up < 200) { enet_host_connect(client, &a, 2, 0); i++; continue; }
            while (enet_host_service(server, &ev, 0) > 0) if (ev.type == ENET_EVENT_TYPE_CONNECT) up++;
            drain(client, NULL, 100000);
        }
        t0 = now_s();
        while (now_s() - t0 < 2.0) {
            double s = now_s();
            while (enet_host_service(server, &ev, 0) > 0) {}
            spent += now_s() - s;
            calls++;
            drain(client, NULL, 100000);
        }
        printf("service_4000_peers_connected %d peers\nservice_4000_us_per_call %.1f us\nservice_4000_ns_per_peer %.1f ns\n",
               up, spent / calls * 1e6, spent / calls * 1e9 / 4000);
        enet_host_destroy(client);
        enet_host_destroy(server);
    }
    enet_deinitialize();
    return 0;
}
