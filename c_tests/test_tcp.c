/* C ABI tests for StreamPeerTCP and TCPServer, and PacketPeerStream over TCP: every export's
 * success, NULL, bad-argument and wrong-class paths, _free(NULL), refused connections, peer close,
 * coalescing, hostile frames. Loopback only, port 0, bounded waits. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

#define BAD PP_ERR_INVALID_PARAMETER

/* Bounds below are generous (about 30 s): a loaded machine running this under valgrind can be slow,
 * and only a failing test waits that long. */

/* Drives a connect to CONNECTED or ERROR (bounded ~30 s); returns the last poll result. */
static pp_error pump(pp_stream_peer *s) {
    pp_error e = PP_OK;
    int i;
    for (i = 0; i < 3000 && pp_stream_peer_tcp_get_status(s) == PP_STREAM_PEER_TCP_STATUS_CONNECTING; i++) {
        e = pp_stream_peer_tcp_poll(s);
        if (e != PP_OK) return e;
        (void)pp_stream_peer_tcp_wait(s, PP_POLL_TYPE_OUT, 10);
    }
    return e;
}

/* Takes the next connection (bounded ~30 s). The client may see CONNECTED before the server side
 * has queued the connection: its final ACK can still be on its way on a loaded machine. */
static int accept_one(pp_tcp_server *srv, pp_stream_peer **out) {
    int i;
    for (i = 0; i < 30000; i++) {
        struct timespec ts = {0, 1000000}; /* 1 ms */
        if (pp_tcp_server_is_connection_available(srv)) return pp_tcp_server_take_connection(srv, out) == PP_OK;
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int test_server_and_stream(void) {
    pp_tcp_server *srv = NULL, *srv2 = NULL;
    pp_stream_peer *c = NULL, *a = NULL, *buf = NULL, *none = NULL;
    char host[PP_IP_STRING_SIZE], tiny[3];
    uint8_t in[16];
    size_t got = 0;
    int32_t avail = 0;
    pp_net_stats st;
    int i;

    /* server */
    CHECK(pp_tcp_server_new(NULL) == BAD);
    CHECK(pp_tcp_server_new(&srv) == PP_OK && srv != NULL);
    CHECK(pp_tcp_server_listen(NULL, 0, "127.0.0.1") == BAD);
    CHECK(pp_tcp_server_listen(srv, 0, NULL) == BAD);
    CHECK(pp_tcp_server_listen(srv, 0, "localhost") == BAD);
    CHECK(pp_tcp_server_listen(srv, 65536, "*") == BAD);
    CHECK(!pp_tcp_server_is_listening(srv) && !pp_tcp_server_is_listening(NULL));
    CHECK(!pp_tcp_server_is_connection_available(srv) && !pp_tcp_server_is_connection_available(NULL));
    CHECK(pp_tcp_server_take_connection(srv, &a) == PP_ERR_UNAVAILABLE && a == NULL);
    CHECK(pp_tcp_server_take_connection(NULL, &a) == BAD);
    CHECK(pp_tcp_server_take_connection(srv, NULL) == BAD);
    CHECK(pp_tcp_server_listen(srv, 0, "127.0.0.1") == PP_OK);
    CHECK(pp_tcp_server_listen(srv, 0, "127.0.0.1") == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_tcp_server_is_listening(srv));
    CHECK(pp_tcp_server_get_local_port(srv) > 0 && pp_tcp_server_get_local_port(NULL) == 0);
    CHECK(pp_tcp_server_new(&srv2) == PP_OK);
    CHECK(pp_tcp_server_listen(srv2, pp_tcp_server_get_local_port(srv), "127.0.0.1") == PP_ERR_ALREADY_IN_USE);

    /* client */
    CHECK(pp_stream_peer_tcp_new(NULL) == BAD);
    CHECK(pp_stream_peer_tcp_new(&c) == PP_OK);
    CHECK(pp_stream_peer_buffer_new(&buf) == PP_OK); /* a pp_stream_peer of another class */
    CHECK(pp_stream_peer_tcp_get_status(c) == PP_STREAM_PEER_TCP_STATUS_NONE);
    CHECK(pp_stream_peer_tcp_get_status(NULL) == 0 && pp_stream_peer_tcp_get_status(buf) == 0);
    CHECK(pp_stream_peer_tcp_connect_to_host(NULL, "127.0.0.1", 1) == BAD);
    CHECK(pp_stream_peer_tcp_connect_to_host(c, NULL, 1) == BAD);
    CHECK(pp_stream_peer_tcp_connect_to_host(c, "127.0.0.1", 0) == BAD);
    CHECK(pp_stream_peer_tcp_connect_to_host(c, "", 80) == PP_ERR_CANT_RESOLVE);
    CHECK(pp_stream_peer_tcp_connect_to_host(buf, "127.0.0.1", 1) == BAD);
    CHECK(pp_stream_peer_tcp_bind(NULL, 0, "*") == BAD);
    CHECK(pp_stream_peer_tcp_bind(c, 0, NULL) == BAD);
    CHECK(pp_stream_peer_tcp_bind(c, -1, "*") == BAD);
    CHECK(pp_stream_peer_tcp_bind(buf, 0, "*") == BAD);
    CHECK(pp_stream_peer_tcp_set_no_delay(c, true) == PP_ERR_UNCONFIGURED);
    CHECK(pp_stream_peer_tcp_wait(c, PP_POLL_TYPE_IN, 0) == PP_ERR_UNAVAILABLE);
    CHECK(pp_stream_peer_tcp_get_local_port(c) == 0);
    CHECK(pp_stream_peer_tcp_bind(c, 0, "127.0.0.1") == PP_OK);
    CHECK(pp_stream_peer_tcp_bind(c, 0, "127.0.0.1") == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_stream_peer_tcp_get_local_port(c) > 0);
    CHECK(pp_stream_peer_tcp_connect_to_host(c, "localhost", pp_tcp_server_get_local_port(srv)) == PP_OK ||
          pp_stream_peer_tcp_get_status(c) == PP_STREAM_PEER_TCP_STATUS_NONE);
    if (pp_stream_peer_tcp_get_status(c) == PP_STREAM_PEER_TCP_STATUS_NONE) {
        /* localhost resolved to ::1 first on this machine; the socket was bound to IPv4. */
        CHECK(pp_stream_peer_tcp_connect_to_host(c, "127.0.0.1", pp_tcp_server_get_local_port(srv)) == PP_OK);
    }
    CHECK(pp_stream_peer_tcp_connect_to_host(c, "127.0.0.1", 1) == PP_ERR_ALREADY_IN_USE);
    CHECK(pump(c) == PP_OK);
    CHECK(pp_stream_peer_tcp_get_status(c) == PP_STREAM_PEER_TCP_STATUS_CONNECTED);
    CHECK(accept_one(srv, &a));
    CHECK(pp_stream_peer_tcp_get_status(a) == PP_STREAM_PEER_TCP_STATUS_CONNECTED);
    CHECK(pp_stream_peer_tcp_get_connected_port(a) == pp_stream_peer_tcp_get_local_port(c));
    CHECK(pp_stream_peer_tcp_get_connected_port(c) == pp_tcp_server_get_local_port(srv));
    CHECK(pp_stream_peer_tcp_get_connected_port(NULL) == 0 && pp_stream_peer_tcp_get_connected_port(buf) == 0);
    CHECK(pp_stream_peer_tcp_get_local_port(NULL) == 0 && pp_stream_peer_tcp_get_local_port(buf) == 0);
    CHECK(pp_stream_peer_tcp_get_connected_host(a, host, sizeof host, NULL) == PP_OK && strcmp(host, "127.0.0.1") == 0);
    {
        size_t need = 0;
        CHECK(pp_stream_peer_tcp_get_connected_host(a, NULL, 0, &need) == PP_ERR_PARAMETER_RANGE_ERROR && need == 9);
    }
    CHECK(pp_stream_peer_tcp_get_connected_host(a, tiny, sizeof tiny, NULL) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_stream_peer_tcp_get_connected_host(a, NULL, 40, NULL) == BAD);
    CHECK(pp_stream_peer_tcp_get_connected_host(NULL, host, sizeof host, NULL) == BAD);
    CHECK(pp_stream_peer_tcp_get_connected_host(buf, host, sizeof host, NULL) == BAD);
    CHECK(pp_stream_peer_tcp_set_no_delay(c, true) == PP_OK);
    CHECK(pp_stream_peer_tcp_set_no_delay(NULL, true) == BAD && pp_stream_peer_tcp_set_no_delay(buf, true) == BAD);
    CHECK(pp_stream_peer_tcp_poll(NULL) == BAD && pp_stream_peer_tcp_poll(buf) == BAD);
    CHECK(pp_stream_peer_tcp_poll(c) == PP_OK);

    /* data through the StreamPeer base calls */
    CHECK(pp_stream_peer_put_data(c, (const uint8_t *)"ping", 4) == PP_OK);
    CHECK(pp_stream_peer_tcp_wait(a, PP_POLL_TYPE_IN, 2000) == PP_OK);
    CHECK(pp_stream_peer_tcp_wait(a, 7, 0) == BAD);
    CHECK(pp_stream_peer_tcp_wait(NULL, 0, 0) == BAD && pp_stream_peer_tcp_wait(buf, 0, 0) == BAD);
    CHECK(pp_stream_peer_get_data(a, in, 4) == PP_OK && memcmp(in, "ping", 4) == 0);
    CHECK(pp_stream_peer_get_partial_data(a, in, sizeof in, &got) == PP_OK && got == 0);
    CHECK(pp_stream_peer_get_available_bytes(a, &avail) == PP_OK && avail == 0);
    CHECK(pp_stream_peer_tcp_get_stats(c, &st) == PP_OK && st.bytes_sent == 4);
    CHECK(pp_stream_peer_tcp_get_stats(a, &st) == PP_OK && st.bytes_received == 4);
    CHECK(pp_stream_peer_tcp_get_stats(NULL, &st) == BAD && pp_stream_peer_tcp_get_stats(c, NULL) == BAD);
    CHECK(pp_stream_peer_tcp_get_stats(buf, &st) == BAD);

    /* coalescing */
    CHECK(pp_stream_peer_tcp_set_write_coalescing(c, true) == PP_OK);
    CHECK(pp_stream_peer_tcp_set_write_coalescing(NULL, true) == BAD);
    CHECK(pp_stream_peer_tcp_set_write_coalescing(buf, true) == BAD);
    for (i = 0; i < 10; i++) CHECK(pp_stream_peer_put_data(c, (const uint8_t *)"ab", 2) == PP_OK);
    CHECK(pp_stream_peer_tcp_get_queued_bytes(c) == 20);
    CHECK(pp_stream_peer_tcp_get_queued_bytes(NULL) == 0 && pp_stream_peer_tcp_get_queued_bytes(buf) == 0);
    CHECK(pp_stream_peer_tcp_flush(c) == PP_OK && pp_stream_peer_tcp_get_queued_bytes(c) == 0);
    CHECK(pp_stream_peer_tcp_flush(NULL) == BAD && pp_stream_peer_tcp_flush(buf) == BAD);
    CHECK(pp_stream_peer_get_data(a, in, 16) == PP_OK && memcmp(in, "abababababababab", 16) == 0);
    CHECK(pp_stream_peer_get_data(a, in, 4) == PP_OK);
    CHECK(pp_stream_peer_tcp_set_write_coalescing(c, false) == PP_OK);
    CHECK(pp_stream_peer_tcp_set_out_buffer_max_size(c, 0) == BAD);
    CHECK(pp_stream_peer_tcp_set_out_buffer_max_size(NULL, 10) == BAD);
    CHECK(pp_stream_peer_tcp_set_out_buffer_max_size(c, 1 << 20) == PP_OK);
    CHECK(pp_stream_peer_tcp_set_blocking_writes(c, false) == PP_OK);
    CHECK(pp_stream_peer_put_data(c, (const uint8_t *)"nb", 2) == PP_OK);
    CHECK(pp_stream_peer_tcp_set_blocking_writes(c, true) == PP_OK);
    CHECK(pp_stream_peer_tcp_set_blocking_writes(NULL, true) == BAD);
    CHECK(pp_stream_peer_tcp_set_blocking_writes(buf, true) == BAD);
    CHECK(pp_stream_peer_get_data(a, in, 2) == PP_OK && memcmp(in, "nb", 2) == 0);

    /* peer closes: poll → NONE, reads fail */
    pp_stream_peer_free(a);
    for (i = 0; i < 3000 && pp_stream_peer_tcp_get_status(c) == PP_STREAM_PEER_TCP_STATUS_CONNECTED; i++) {
        CHECK(pp_stream_peer_tcp_poll(c) == PP_OK);
        (void)pp_stream_peer_tcp_wait(c, PP_POLL_TYPE_IN, 10);
    }
    CHECK(pp_stream_peer_tcp_get_status(c) == PP_STREAM_PEER_TCP_STATUS_NONE);
    CHECK(pp_stream_peer_put_data(c, (const uint8_t *)"x", 1) == PP_FAILED);
    CHECK(pp_stream_peer_tcp_disconnect_from_host(c) == PP_OK);
    CHECK(pp_stream_peer_tcp_disconnect_from_host(NULL) == BAD);
    CHECK(pp_stream_peer_tcp_disconnect_from_host(buf) == BAD);

    /* refused: connect to a port nobody listens on → ERROR (or FAILED at once) */
    {
        int32_t port = pp_tcp_server_get_local_port(srv);
        pp_error e;
        CHECK(pp_tcp_server_stop(srv) == PP_OK && !pp_tcp_server_is_listening(srv));
        CHECK(pp_tcp_server_stop(NULL) == BAD);
        CHECK(pp_stream_peer_tcp_new(&none) == PP_OK);
        CHECK(pp_stream_peer_tcp_set_connect_timeout(none, -1) == BAD);
        CHECK(pp_stream_peer_tcp_set_connect_timeout(NULL, 10) == BAD);
        CHECK(pp_stream_peer_tcp_set_connect_timeout(buf, 10) == BAD);
        CHECK(pp_stream_peer_tcp_set_connect_timeout(none, 1000) == PP_OK);
        e = pp_stream_peer_tcp_connect_to_host(none, "127.0.0.1", port);
        if (e == PP_OK) {
            CHECK(pump(none) == PP_ERR_CONNECTION_ERROR);
            CHECK(pp_stream_peer_tcp_get_status(none) == PP_STREAM_PEER_TCP_STATUS_ERROR);
        } else {
            CHECK(e == PP_FAILED);
        }
    }

    pp_stream_peer_free(c);
    pp_stream_peer_free(none);
    pp_stream_peer_free(buf);
    pp_stream_peer_free(NULL);
    pp_tcp_server_free(srv);
    pp_tcp_server_free(srv2);
    pp_tcp_server_free(NULL);
    return 0;
}

/* PacketPeerStream over TCP, and hostile frames written raw by the other side. */
static int test_packet_peer_stream(void) {
    pp_tcp_server *srv = NULL;
    pp_stream_peer *c = NULL, *a = NULL;
    pp_peer *pc = NULL, *pa = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    static uint8_t big[65532];
    int i, n;

    CHECK(pp_tcp_server_new(&srv) == PP_OK);
    CHECK(pp_tcp_server_listen(srv, 0, "::1") == PP_OK);
    CHECK(pp_stream_peer_tcp_new(&c) == PP_OK);
    CHECK(pp_stream_peer_tcp_connect_to_host(c, "::1", pp_tcp_server_get_local_port(srv)) == PP_OK);
    CHECK(pump(c) == PP_OK && pp_stream_peer_tcp_get_status(c) == PP_STREAM_PEER_TCP_STATUS_CONNECTED);
    CHECK(accept_one(srv, &a));
    CHECK(pp_packet_peer_stream_new(&pc) == PP_OK && pp_packet_peer_stream_new(&pa) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(pc, c) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(pa, a) == PP_OK);

    for (i = 0; i < (int)sizeof big; i++) big[i] = (uint8_t)(i * 7);
    for (n = 1; n <= 65532; n = n < 300 ? n + 1 : n * 2 + 1) {
        int k;
        if (n > 65532) n = 65532;
        CHECK(pp_put_packet(pc, big, (size_t)n) == PP_OK);
        for (k = 0; k < 6000; k++) {
            pp_error e = pp_get_packet(pa, &data, &len);
            if (e == PP_OK) break;
            CHECK(e == PP_ERR_UNAVAILABLE);
            (void)pp_stream_peer_tcp_wait(a, PP_POLL_TYPE_IN, 5);
        }
        CHECK(len == (size_t)n && memcmp(data, big, len) == 0);
        if (n == 65532) break;
    }
    CHECK(pp_put_packet(pc, big, 65533) == PP_ERR_INVALID_PARAMETER);

    /* hostile: a good frame, then a length of 0x80000000 (negative as int32) */
    {
        const uint8_t raw[] = {3, 0, 0, 0, 'a', 'b', 'c', 0x00, 0x00, 0x00, 0x80, 1, 2};
        pp_error e = PP_ERR_UNAVAILABLE;
        CHECK(pp_stream_peer_put_data(a, raw, sizeof raw) == PP_OK);
        for (i = 0; i < 6000; i++) {
            e = pp_get_packet(pc, &data, &len);
            if (e != PP_ERR_UNAVAILABLE) break;
            (void)pp_stream_peer_tcp_wait(c, PP_POLL_TYPE_IN, 5);
        }
        CHECK(e == PP_OK && len == 3 && memcmp(data, "abc", 3) == 0);
        for (i = 0; i < 6000; i++) {
            e = pp_get_packet(pc, &data, &len);
            if (e != PP_ERR_UNAVAILABLE) break;
            (void)pp_stream_peer_tcp_wait(c, PP_POLL_TYPE_IN, 5);
        }
        CHECK(e == PP_ERR_OUT_OF_MEMORY); /* reported, not wedged */
    }

    /* truncated: the peer announces 10 bytes, sends 2, closes */
    {
        const uint8_t raw[] = {10, 0, 0, 0, 1, 2};
        pp_peer *p2 = NULL;
        pp_error e = PP_OK;
        CHECK(pp_packet_peer_stream_new(&p2) == PP_OK);
        CHECK(pp_packet_peer_stream_set_stream_peer(p2, a) == PP_OK);
        CHECK(pp_stream_peer_put_data(c, raw, sizeof raw) == PP_OK);
        CHECK(pp_stream_peer_tcp_disconnect_from_host(c) == PP_OK);
        for (i = 0; i < 6000; i++) {
            e = pp_get_packet(p2, &data, &len);
            if (pp_stream_peer_tcp_get_status(a) == PP_STREAM_PEER_TCP_STATUS_NONE) break;
            (void)pp_stream_peer_tcp_wait(a, PP_POLL_TYPE_IN, 5);
        }
        CHECK(pp_get_packet(p2, &data, &len) == PP_ERR_UNAVAILABLE);
        CHECK(pp_stream_peer_tcp_get_status(a) == PP_STREAM_PEER_TCP_STATUS_NONE);
        (void)e;
        pp_peer_free(p2);
    }

    pp_peer_free(pc);
    pp_peer_free(pa);
    pp_stream_peer_free(c);
    pp_stream_peer_free(a);
    pp_tcp_server_free(srv);
    return 0;
}

int main(void) {
    if (test_server_and_stream() || test_packet_peer_stream()) return 1;
    printf("test_tcp: all passed\n");
    return 0;
}
