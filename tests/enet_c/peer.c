/* A stock C ENet peer driven by the Rust interop tests (tests/enet_interop.rs). Loopback only.
 *
 *   peer server <timeout_ms> <disconnects> <expect_data> <peer_timeout_ms> <compress>
 *       Binds 127.0.0.1:0, prints "PORT <n>", echoes every packet back on its channel with its flags.
 *       On CONNECT sends "data=<connect data>" reliably on channel 0. If peer_timeout_ms > 0, sets
 *       enet_peer_timeout(peer, 4, peer_timeout_ms, 2 * peer_timeout_ms), else the generous timeout
 *       below. Exits 0 after <disconnects> DISCONNECT events whose data all equal <expect_data>, 1
 *       otherwise or on timeout.
 *   peer client <port> <data> <n> <timeout_ms> <compress> <mode>
 *       Connects with <data>. mode "full": sends n reliable "m<i>" on channel 0, 64 KiB on channel 1 and
 *       1 MiB on channel 2 reliably, checks the echoes; then unsequenced "u" on 3, unreliable "r" on 4
 *       and a 64 KiB unreliable fragment on 5, checks those echoes; disconnects with data 77 and waits for
 *       the DISCONNECT event. mode "vanish": exits right after CONNECT without a word.
 *   peer multi <port> <n> <timeout_ms>
 *       One host, n connections to <port>; each sends "p<i>" and waits for its echo; then disconnects all.
 *   peer rc c|d
 *       ENet's range coder as a filter: compresses (c) or decompresses (d) stdin to stdout.
 * compress: 0 none, 1 ENet's range coder, 2 ENet's CRC32 checksum (no compression).
 * Except in the timeout tests, every connection gets a generous ENet timeout (GENEROUS_TIMEOUT_MS without
 * any acknowledgement instead of ENet's 5 to 30 s): the bulk transfers overflow the loopback socket
 * buffers whenever a peer is descheduled, and on a loaded machine ENet's backed-off resends can then go
 * unanswered for more than 5 s. What these tests check is the data, not ENet's timeout.
 */
#include <enet/enet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENEROUS_TIMEOUT_MS 60000u

static void generous_timeout(ENetPeer *peer) { enet_peer_timeout(peer, 0, GENEROUS_TIMEOUT_MS, GENEROUS_TIMEOUT_MS); }

static unsigned char pattern(size_t i, int seed) { return (unsigned char)((i * 131u + (size_t)seed * 7u) ^ (i >> 9)); }

static int check_pattern(const ENetPacket *p, size_t len, int seed) {
    size_t i;
    if (p->dataLength != len) return 0;
    for (i = 0; i < len; i++)
        if (p->data[i] != pattern(i, seed)) return 0;
    return 1;
}

static ENetPacket *make_pattern(size_t len, int seed, enet_uint32 flags) {
    size_t i;
    ENetPacket *p = enet_packet_create(NULL, len, flags);
    for (i = 0; i < len; i++) p->data[i] = pattern(i, seed);
    return p;
}

static enet_uint32 echo_flags(enet_uint32 f) {
    return f & (ENET_PACKET_FLAG_RELIABLE | ENET_PACKET_FLAG_UNSEQUENCED | ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT);
}

static int run_server(int timeout_ms, int disconnects, unsigned expect_data, int peer_timeout, int compress) {
    ENetAddress addr;
    ENetHost *host;
    ENetEvent ev;
    int seen = 0, ok = 1;
    enet_uint32 start;
    enet_address_set_host_ip(&addr, "127.0.0.1");
    addr.port = 0;
    host = enet_host_create(&addr, 256, 255, 0, 0);
    if (!host) return 2;
    if (compress == 1) enet_host_compress_with_range_coder(host);
    if (compress == 2) host->checksum = enet_crc32;
    if (enet_socket_get_address(host->socket, &addr) != 0) return 2;
    printf("PORT %u\n", addr.port);
    fflush(stdout);
    start = enet_time_get();
    while (enet_time_get() - start < (enet_uint32)timeout_ms) {
        if (enet_host_service(host, &ev, 10) < 0) return 3;
        switch (ev.type) {
        case ENET_EVENT_TYPE_CONNECT: {
            char msg[64];
            int n = snprintf(msg, sizeof msg, "data=%u", ev.data);
            if (peer_timeout > 0) enet_peer_timeout(ev.peer, 4, (enet_uint32)peer_timeout, (enet_uint32)peer_timeout * 2);
            else generous_timeout(ev.peer);
            enet_peer_send(ev.peer, 0, enet_packet_create(msg, (size_t)n, ENET_PACKET_FLAG_RELIABLE));
            break;
        }
        case ENET_EVENT_TYPE_RECEIVE: {
            ENetPacket *back = enet_packet_create(ev.packet->data, ev.packet->dataLength, echo_flags(ev.packet->flags));
            enet_peer_send(ev.peer, ev.channelID, back);
            enet_packet_destroy(ev.packet);
            break;
        }
        case ENET_EVENT_TYPE_DISCONNECT:
            if (ev.data != expect_data) {
                fprintf(stderr, "disconnect data %u, expected %u\n", ev.data, expect_data);
                ok = 0;
            }
            if (++seen >= disconnects) {
                enet_host_destroy(host);
                return ok ? 0 : 1;
            }
            break;
        default:
            break;
        }
    }
    fprintf(stderr, "server: timeout after %d disconnects\n", seen);
    return 1;
}

static ENetHost *client_host(int peers, int compress) {
    ENetHost *h = enet_host_create(NULL, (size_t)peers, 255, 0, 0);
    if (h && compress == 1) enet_host_compress_with_range_coder(h);
    if (h && compress == 2) h->checksum = enet_crc32;
    return h;
}

static int run_client(int port, unsigned data, int n, int timeout_ms, int compress, const char *mode) {
    ENetAddress addr;
    ENetHost *host = client_host(1, compress);
    ENetPeer *peer;
    ENetEvent ev;
    enet_uint32 start = enet_time_get();
    int phase = 0, next = 0, got64 = 0, got1m = 0, gotu = 0, gotr = 0, gotuf = 0, i;
    enet_uint32 sent2 = 0;
    if (!host) return 2;
    enet_address_set_host_ip(&addr, "127.0.0.1");
    addr.port = (enet_uint16)port;
    peer = enet_host_connect(host, &addr, 8, data);
    if (!peer) return 2;
    generous_timeout(peer);
    while (enet_time_get() - start < (enet_uint32)timeout_ms) {
        if (enet_host_service(host, &ev, 5) < 0) return 3;
        if (phase == 2 && enet_time_get() - sent2 > 300) {
            /* unreliable data may be dropped (throttle, full socket buffers): send again what is missing */
            sent2 = enet_time_get();
            if (!gotu) enet_peer_send(peer, 3, enet_packet_create("u", 1, ENET_PACKET_FLAG_UNSEQUENCED));
            if (!gotr) enet_peer_send(peer, 4, enet_packet_create("r", 1, 0));
            if (!gotuf) enet_peer_send(peer, 5, make_pattern(65536, 5, ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT));
        }
        if (ev.type == ENET_EVENT_TYPE_CONNECT) {
            if (strcmp(mode, "vanish") == 0) { /* acknowledge the handshake, then go silent */
                enet_host_flush(host);
                return 0;
            }
            for (i = 0; i < n; i++) {
                char msg[32];
                int len = snprintf(msg, sizeof msg, "m%d", i);
                if (enet_peer_send(peer, 0, enet_packet_create(msg, (size_t)len, ENET_PACKET_FLAG_RELIABLE)) != 0) return 4;
            }
            enet_peer_send(peer, 1, make_pattern(65536, 1, ENET_PACKET_FLAG_RELIABLE));
            enet_peer_send(peer, 2, make_pattern(1 << 20, 2, ENET_PACKET_FLAG_RELIABLE));
            phase = 1;
        } else if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
            ENetPacket *p = ev.packet;
            switch (ev.channelID) {
            case 0: {
                char msg[32];
                int len = snprintf(msg, sizeof msg, "m%d", next);
                if (p->dataLength != (size_t)len || memcmp(p->data, msg, (size_t)len) != 0 || !(p->flags & ENET_PACKET_FLAG_RELIABLE)) {
                    fprintf(stderr, "client: bad reliable echo at %d\n", next);
                    return 5;
                }
                next++;
                break;
            }
            case 1: got64 = check_pattern(p, 65536, 1); if (!got64) return 6; break;
            case 2: got1m = check_pattern(p, 1 << 20, 2); if (!got1m) return 7; break;
            case 3: if (gotu) break; gotu = p->dataLength == 1 && p->data[0] == 'u' && (p->flags & ENET_PACKET_FLAG_UNSEQUENCED); if (!gotu) return 8; break;
            case 4: if (gotr) break; gotr = p->dataLength == 1 && p->data[0] == 'r'; if (!gotr) return 9; break;
            case 5: if (gotuf) break; gotuf = check_pattern(p, 65536, 5); if (!gotuf) return 10; break;
            default: return 11;
            }
            enet_packet_destroy(p);
            if (phase == 1 && next == n && got64 && got1m) {
                phase = 2; /* the unreliable sends happen at the top of the loop */
            }
            if (phase == 2 && gotu && gotr && gotuf) {
                phase = 3;
                printf("OK\n");
                fflush(stdout);
                enet_peer_disconnect(peer, 77);
            }
        } else if (ev.type == ENET_EVENT_TYPE_DISCONNECT) {
            enet_host_destroy(host);
            return phase == 3 ? 0 : 12;
        }
    }
    fprintf(stderr, "client: timeout phase=%d next=%d 64k=%d 1m=%d u=%d r=%d uf=%d\n", phase, next, got64, got1m, gotu, gotr, gotuf);
    return 1;
}

static int run_multi(int port, int n, int timeout_ms) {
    ENetAddress addr;
    ENetHost *host = client_host(n, 0);
    ENetEvent ev;
    enet_uint32 start = enet_time_get();
    int connected = 0, echoed = 0, gone = 0, i;
    if (!host) return 2;
    enet_address_set_host_ip(&addr, "127.0.0.1");
    addr.port = (enet_uint16)port;
    for (i = 0; i < n; i++) {
        ENetPeer *peer = enet_host_connect(host, &addr, 2, (enet_uint32)i);
        if (!peer) return 2;
        generous_timeout(peer);
    }
    while (enet_time_get() - start < (enet_uint32)timeout_ms) {
        if (enet_host_service(host, &ev, 5) < 0) return 3;
        if (ev.type == ENET_EVENT_TYPE_CONNECT) {
            char msg[32];
            int len = snprintf(msg, sizeof msg, "p%u", (unsigned)(ev.peer - host->peers));
            connected++;
            enet_peer_send(ev.peer, 0, enet_packet_create(msg, (size_t)len, ENET_PACKET_FLAG_RELIABLE));
        } else if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
            char msg[32];
            int len = snprintf(msg, sizeof msg, "p%u", (unsigned)(ev.peer - host->peers));
            if (ev.packet->dataLength != (size_t)len || memcmp(ev.packet->data, msg, (size_t)len) != 0) return 5;
            enet_packet_destroy(ev.packet);
            if (++echoed == n)
                for (i = 0; i < n; i++) enet_peer_disconnect(&host->peers[i], 5);
        } else if (ev.type == ENET_EVENT_TYPE_DISCONNECT) {
            if (++gone == n) {
                enet_host_destroy(host);
                return connected == n ? 0 : 6;
            }
        }
    }
    fprintf(stderr, "multi: timeout connected=%d echoed=%d gone=%d\n", connected, echoed, gone);
    return 1;
}

/* Range coder filter: "rc c" compresses stdin to stdout, "rc d" decompresses (one buffer). */
static int run_rc(const char *how) {
    static enet_uint8 in[1 << 20], out[1 << 20];
    size_t n = fread(in, 1, sizeof in, stdin), m;
    void *ctx = enet_range_coder_create();
    if (!ctx) return 2;
    if (how[0] == 'c') {
        ENetBuffer b;
        b.data = in;
        b.dataLength = n;
        m = enet_range_coder_compress(ctx, &b, 1, n, out, sizeof out);
    } else {
        m = enet_range_coder_decompress(ctx, in, n, out, sizeof out);
    }
    fwrite(out, 1, m, stdout);
    enet_range_coder_destroy(ctx);
    return 0;
}

int main(int argc, char **argv) {
    int rc;
    if (argc == 3 && strcmp(argv[1], "rc") == 0) return run_rc(argv[2]);
    if (enet_initialize() != 0) return 2;
    if (argc == 7 && strcmp(argv[1], "server") == 0)
        rc = run_server(atoi(argv[2]), atoi(argv[3]), (unsigned)strtoul(argv[4], NULL, 10), atoi(argv[5]), atoi(argv[6]));
    else if (argc == 8 && strcmp(argv[1], "client") == 0)
        rc = run_client(atoi(argv[2]), (unsigned)strtoul(argv[3], NULL, 10), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), argv[7]);
    else if (argc == 5 && strcmp(argv[1], "multi") == 0)
        rc = run_multi(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    else {
        fprintf(stderr, "usage: see the comment at the top of peer.c\n");
        rc = 2;
    }
    enet_deinitialize();
    return rc;
}
