/* C ABI tests for PacketPeerUDP and UDPServer: every export's success, NULL, bad-argument and
 * wrong-class paths, _free(NULL), borrow lifetimes. Loopback only (127.0.0.1, ::1), port 0, bounded
 * waits. */
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

/* Bounds below are generous (about 30 s): a loaded machine running this under valgrind can be slow
 * even to deliver a loopback datagram, and only a failing test waits that long. */

static void nap_10ms(void) {
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
}

/* Waits (bounded, ~30 s) until `p` has at least `n` packets queued; returns the count. (A plain
 * sleep, not wait_timeout: that returns at once while anything is queued.) */
static int32_t wait_count(pp_peer *p, int32_t n) {
    int32_t c = 0;
    int i;
    for (i = 0; i < 3000; i++) {
        if (pp_get_available_packet_count(p, &c) == PP_OK && c >= n) return c;
        nap_10ms();
    }
    return c;
}

/* Waits (bounded, ~30 s) until `p` has read `n` datagrams from the OS in all (queued or dropped). */
static int wait_received(pp_peer *p, uint64_t n) {
    int i;
    for (i = 0; i < 3000; i++) {
        pp_net_stats st;
        int32_t c = 0;
        (void)pp_get_available_packet_count(p, &c);
        if (pp_packet_peer_udp_get_stats(p, &st) == PP_OK && st.packets_received >= n) return 1;
        nap_10ms();
    }
    return 0;
}

static int test_peer(void) {
    pp_peer *a = NULL, *b = NULL, *other = NULL, *srv_peer = NULL;
    pp_stream_peer *notudp = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    char ip[PP_IP_STRING_SIZE];
    char tiny[4];
    pp_net_stats st;
    int32_t count = -7;

    CHECK(pp_packet_peer_udp_new(NULL) == BAD);
    CHECK(pp_packet_peer_udp_new(&a) == PP_OK && a != NULL);
    CHECK(pp_packet_peer_udp_new(&b) == PP_OK);
    CHECK(pp_packet_peer_stream_new(&other) == PP_OK); /* a pp_peer of another class */
    {
        /* The engine's -1 for a socket that is not open becomes PP_FAILED; out_count is untouched. */
        int32_t unbound_count = 77;
        CHECK(pp_get_available_packet_count(a, &unbound_count) == PP_FAILED && unbound_count == 77);
    }

    /* bind */
    CHECK(pp_packet_peer_udp_bind(NULL, 0, "127.0.0.1", 65536) == BAD);
    CHECK(pp_packet_peer_udp_bind(a, 0, NULL, 65536) == BAD);
    CHECK(pp_packet_peer_udp_bind(a, 70000, "127.0.0.1", 65536) == BAD);
    CHECK(pp_packet_peer_udp_bind(a, 0, "localhost", 65536) == BAD);
    CHECK(pp_packet_peer_udp_bind(a, 0, "127.0.0.1", -1) == BAD);
    CHECK(pp_packet_peer_udp_bind(other, 0, "127.0.0.1", 65536) == BAD);
    CHECK(!pp_packet_peer_udp_is_bound(a));
    CHECK(pp_packet_peer_udp_get_local_port(a) == 0);
    CHECK(pp_packet_peer_udp_bind(a, 0, "127.0.0.1", 65536) == PP_OK);
    CHECK(pp_packet_peer_udp_bind(a, 0, "127.0.0.1", 65536) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_packet_peer_udp_bind(b, pp_packet_peer_udp_get_local_port(a), "127.0.0.1", 65536) ==
          PP_ERR_UNAVAILABLE);
    CHECK(pp_packet_peer_udp_bind(b, 0, "127.0.0.1", 65536) == PP_OK);
    CHECK(pp_packet_peer_udp_is_bound(a) && !pp_packet_peer_udp_is_bound(NULL) &&
          !pp_packet_peer_udp_is_bound(other));
    CHECK(pp_packet_peer_udp_get_local_port(a) > 0);
    CHECK(pp_packet_peer_udp_get_local_port(NULL) == 0 && pp_packet_peer_udp_get_local_port(other) == 0);

    /* dest + send/receive through the base calls */
    CHECK(pp_put_packet(a, (const uint8_t *)"x", 1) == PP_ERR_UNCONFIGURED);
    CHECK(pp_packet_peer_udp_set_dest_address(NULL, "127.0.0.1", 1) == BAD);
    CHECK(pp_packet_peer_udp_set_dest_address(a, NULL, 1) == BAD);
    CHECK(pp_packet_peer_udp_set_dest_address(a, "127.0.0.1", 70000) == BAD);
    CHECK(pp_packet_peer_udp_set_dest_address(a, "", 1) == PP_ERR_CANT_RESOLVE);
    CHECK(pp_packet_peer_udp_set_dest_address(other, "127.0.0.1", 1) == BAD);
    CHECK(pp_packet_peer_udp_set_dest_address(a, "localhost", 9) == PP_OK);
    CHECK(pp_packet_peer_udp_set_dest_address(a, "127.0.0.1", pp_packet_peer_udp_get_local_port(b)) == PP_OK);
    CHECK(pp_put_packet(a, (const uint8_t *)"hello", 5) == PP_OK);
    CHECK(pp_put_packet(a, (const uint8_t *)"world!", 6) == PP_OK);
    CHECK(wait_count(b, 2) == 2);
    CHECK(pp_get_packet(b, &data, &len) == PP_OK && len == 5 && memcmp(data, "hello", 5) == 0);
    CHECK(pp_packet_peer_udp_get_packet_ip(b, ip, sizeof ip, NULL) == PP_OK && strcmp(ip, "127.0.0.1") == 0);
    {
        size_t need = 0;
        CHECK(pp_packet_peer_udp_get_packet_ip(b, tiny, sizeof tiny, &need) == PP_ERR_PARAMETER_RANGE_ERROR && need == 9);
    }
    CHECK(pp_packet_peer_udp_get_packet_ip(b, tiny, sizeof tiny, NULL) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_packet_peer_udp_get_packet_ip(b, NULL, 40, NULL) == BAD);
    CHECK(pp_packet_peer_udp_get_packet_ip(NULL, ip, sizeof ip, NULL) == BAD);
    CHECK(pp_packet_peer_udp_get_packet_ip(other, ip, sizeof ip, NULL) == BAD);
    CHECK(pp_packet_peer_udp_get_packet_port(b) == pp_packet_peer_udp_get_local_port(a));
    CHECK(pp_packet_peer_udp_get_packet_port(NULL) == 0 && pp_packet_peer_udp_get_packet_port(other) == 0);
    CHECK(pp_get_packet(b, &data, &len) == PP_OK && len == 6 && memcmp(data, "world!", 6) == 0);
    CHECK(pp_get_packet(b, &data, &len) == PP_ERR_UNAVAILABLE);

    /* stats */
    CHECK(pp_packet_peer_udp_get_stats(a, &st) == PP_OK && st.packets_sent == 2 && st.bytes_sent == 11);
    CHECK(pp_packet_peer_udp_get_stats(b, &st) == PP_OK && st.packets_received == 2 && st.packets_dropped == 0);
    CHECK(pp_packet_peer_udp_get_stats(NULL, &st) == BAD);
    CHECK(pp_packet_peer_udp_get_stats(a, NULL) == BAD);
    CHECK(pp_packet_peer_udp_get_stats(other, &st) == BAD);

    /* wait */
    CHECK(pp_packet_peer_udp_wait_timeout(b, 0) == PP_ERR_BUSY);
    CHECK(pp_packet_peer_udp_wait_timeout(NULL, 0) == BAD);
    CHECK(pp_packet_peer_udp_wait(NULL) == BAD);
    CHECK(pp_packet_peer_udp_wait(other) == BAD);
    CHECK(pp_put_packet(a, (const uint8_t *)"w", 1) == PP_OK);
    CHECK(pp_packet_peer_udp_wait(b) == PP_OK);
    CHECK(wait_count(b, 1) == 1);
    CHECK(pp_packet_peer_udp_wait(b) == PP_OK); /* queued: returns at once */

    /* flags */
    CHECK(pp_packet_peer_udp_set_blocking_mode(a, false) == PP_OK);
    CHECK(pp_put_packet(a, (const uint8_t *)"nb", 2) == PP_OK);
    CHECK(pp_packet_peer_udp_set_blocking_mode(a, true) == PP_OK);
    CHECK(pp_packet_peer_udp_set_blocking_mode(NULL, true) == BAD);
    CHECK(pp_packet_peer_udp_set_blocking_mode(other, true) == BAD);
    CHECK(pp_packet_peer_udp_set_reuse_address(a, true) == PP_OK);
    CHECK(pp_packet_peer_udp_set_reuse_port(a, true) == PP_OK);
    CHECK(pp_packet_peer_udp_set_reuse_address(NULL, true) == BAD);
    CHECK(pp_packet_peer_udp_set_reuse_port(other, true) == BAD);
    CHECK(pp_packet_peer_udp_set_broadcast_enabled(NULL, true) == BAD);
    CHECK(pp_packet_peer_udp_set_broadcast_enabled(other, true) == BAD);

    /* oversize datagram: the engine's FAILED */
    {
        static uint8_t big[65508];
        CHECK(pp_put_packet(a, big, 65507) == PP_OK);
        CHECK(pp_put_packet(a, big, 65508) == PP_FAILED);
    }

    /* broadcast refused until enabled; nothing is sent after enabling */
    {
        pp_peer *bc = NULL;
        CHECK(pp_packet_peer_udp_new(&bc) == PP_OK);
        CHECK(pp_packet_peer_udp_bind(bc, 0, "127.0.0.1", 65536) == PP_OK);
        CHECK(pp_packet_peer_udp_set_dest_address(bc, "255.255.255.255", 9) == PP_OK);
        CHECK(pp_put_packet(bc, (const uint8_t *)"x", 1) == PP_FAILED);
        CHECK(pp_packet_peer_udp_set_broadcast_enabled(bc, true) == PP_OK);
        pp_peer_free(bc);
    }

    /* multicast on lo (skipped with a note if the kernel refuses) */
    {
        pp_peer *m = NULL;
        pp_error e;
        CHECK(pp_packet_peer_udp_new(&m) == PP_OK);
        CHECK(pp_packet_peer_udp_leave_multicast_group(m, "239.255.1.2", "lo") == PP_ERR_UNCONFIGURED);
        CHECK(pp_packet_peer_udp_bind(m, 0, "0.0.0.0", 65536) == PP_OK);
        CHECK(pp_packet_peer_udp_join_multicast_group(NULL, "239.255.1.2", "lo") == BAD);
        CHECK(pp_packet_peer_udp_join_multicast_group(m, NULL, "lo") == BAD);
        CHECK(pp_packet_peer_udp_join_multicast_group(m, "239.255.1.2", NULL) == BAD);
        CHECK(pp_packet_peer_udp_join_multicast_group(m, "nope", "lo") == BAD);
        CHECK(pp_packet_peer_udp_join_multicast_group(m, "239.255.1.2", "no-such-if0") == BAD);
        CHECK(pp_packet_peer_udp_join_multicast_group(other, "239.255.1.2", "lo") == BAD);
        CHECK(pp_packet_peer_udp_leave_multicast_group(NULL, "239.255.1.2", "lo") == BAD);
        e = pp_packet_peer_udp_join_multicast_group(m, "239.255.1.2", "lo");
        if (e == PP_OK) {
            CHECK(pp_packet_peer_udp_leave_multicast_group(m, "239.255.1.2", "lo") == PP_OK);
        } else {
            printf("note: multicast join on lo refused (%s); skipped\n", pp_error_name(e));
        }
        pp_peer_free(m);
    }

    /* connect_to_host: IP literals only; filters; clears the queue */
    CHECK(pp_packet_peer_udp_connect_to_host(NULL, "127.0.0.1", 1) == BAD);
    CHECK(pp_packet_peer_udp_connect_to_host(b, NULL, 1) == BAD);
    CHECK(pp_packet_peer_udp_connect_to_host(b, "localhost", 1) == BAD);
    CHECK(pp_packet_peer_udp_connect_to_host(b, "127.0.0.1", 0) == BAD);
    CHECK(pp_packet_peer_udp_connect_to_host(other, "127.0.0.1", 1) == BAD);
    CHECK(!pp_packet_peer_udp_is_socket_connected(b));
    /* Datagrams already in the kernel queue would survive connect(); leave them in our ring only:
     * all five sent to b so far ("hello", "world!", "w", "nb", the 65507-byte one) have been read. */
    CHECK(wait_received(b, 5));
    CHECK(pp_packet_peer_udp_connect_to_host(b, "127.0.0.1", pp_packet_peer_udp_get_local_port(a)) == PP_OK);
    CHECK(pp_packet_peer_udp_is_socket_connected(b));
    CHECK(!pp_packet_peer_udp_is_socket_connected(NULL) && !pp_packet_peer_udp_is_socket_connected(other));
    CHECK(pp_get_available_packet_count(b, &count) == PP_OK && count == 0);
    CHECK(pp_packet_peer_udp_set_dest_address(b, "127.0.0.1", 9) == PP_ERR_UNAVAILABLE);

    /* close */
    CHECK(pp_packet_peer_udp_close(NULL) == BAD);
    CHECK(pp_packet_peer_udp_close(other) == BAD);
    CHECK(pp_packet_peer_udp_close(b) == PP_OK);
    CHECK(!pp_packet_peer_udp_is_bound(b) && !pp_packet_peer_udp_is_socket_connected(b));
    CHECK(pp_get_packet(b, &data, &len) == PP_FAILED);
    CHECK(pp_packet_peer_udp_wait(b) == PP_ERR_UNCONFIGURED);

    /* IPv6 text form */
    {
        pp_peer *v6a = NULL, *v6b = NULL;
        CHECK(pp_packet_peer_udp_new(&v6a) == PP_OK && pp_packet_peer_udp_new(&v6b) == PP_OK);
        CHECK(pp_packet_peer_udp_bind(v6a, 0, "::1", 65536) == PP_OK);
        CHECK(pp_packet_peer_udp_bind(v6b, 0, "*", 65536) == PP_OK);
        CHECK(pp_packet_peer_udp_set_dest_address(v6a, "::1", pp_packet_peer_udp_get_local_port(v6b)) == PP_OK);
        CHECK(pp_put_packet(v6a, (const uint8_t *)"six", 3) == PP_OK);
        CHECK(wait_count(v6b, 1) == 1);
        CHECK(pp_get_packet(v6b, &data, &len) == PP_OK && len == 3);
        CHECK(pp_packet_peer_udp_get_packet_ip(v6b, ip, sizeof ip, NULL) == PP_OK);
        CHECK(strcmp(ip, "0:0:0:0:0:0:0:1") == 0);
        pp_peer_free(v6a);
        pp_peer_free(v6b);
    }

    /* the stream class is not a pp_peer, but a UDP call must reject other pp_peer classes: done
     * above with `other`. */
    (void)notudp;
    (void)srv_peer;
    pp_peer_free(a);
    pp_peer_free(b);
    pp_peer_free(other);
    pp_peer_free(NULL);
    return 0;
}

static int test_batch(void) {
    pp_peer *a = NULL, *b = NULL;
    pp_packet_data pk[100];
    uint8_t payload[100][64];
    static uint8_t buf[64 * 128];
    pp_udp_packet_info info[64];
    size_t sent = 99, got = 99, total = 0;
    char ip[PP_IP_STRING_SIZE];
    int i, tries;

    CHECK(pp_packet_peer_udp_new(&a) == PP_OK && pp_packet_peer_udp_new(&b) == PP_OK);
    CHECK(pp_packet_peer_udp_bind(a, 0, "127.0.0.1", 65536) == PP_OK);
    CHECK(pp_packet_peer_udp_bind(b, 0, "127.0.0.1", 1 << 20) == PP_OK);
    CHECK(pp_packet_peer_udp_set_dest_address(a, "127.0.0.1", pp_packet_peer_udp_get_local_port(b)) == PP_OK);
    for (i = 0; i < 100; i++) {
        memset(payload[i], i, sizeof payload[i]);
        pk[i].data = payload[i];
        pk[i].len = (size_t)(i % 64) + 1;
    }
    CHECK(pp_packet_peer_udp_put_packets(NULL, pk, 100, &sent) == BAD);
    CHECK(pp_packet_peer_udp_put_packets(a, NULL, 100, &sent) == BAD);
    CHECK(pp_packet_peer_udp_put_packets(a, pk, 100, NULL) == BAD);
    /* counts above INT32_MAX are invalid before any entry is read */
    CHECK(pp_packet_peer_udp_put_packets(a, pk, (size_t)INT32_MAX + 1, &sent) == BAD);
    CHECK(pp_packet_peer_udp_put_packets(a, NULL, 0, &sent) == PP_OK && sent == 0);
    CHECK(pp_packet_peer_udp_put_packets(a, pk, 100, &sent) == PP_OK && sent == 100);

    CHECK(pp_packet_peer_udp_get_packets(NULL, buf, sizeof buf, info, 64, &got) == BAD);
    CHECK(pp_packet_peer_udp_get_packets(b, NULL, sizeof buf, info, 64, &got) == BAD);
    CHECK(pp_packet_peer_udp_get_packets(b, buf, sizeof buf, NULL, 64, &got) == BAD);
    CHECK(pp_packet_peer_udp_get_packets(b, buf, sizeof buf, info, 64, NULL) == BAD);
    for (tries = 0; tries < 3000 && total < 100; tries++) {
        size_t k;
        CHECK(pp_packet_peer_udp_get_packets(b, buf, sizeof buf, info, 64, &got) == PP_OK);
        for (k = 0; k < got; k++) {
            size_t n = total + k;
            CHECK(info[k].offset == k * 128);
            CHECK(info[k].len == (n % 64) + 1 && !info[k].truncated);
            CHECK(buf[info[k].offset] == (uint8_t)n);
            CHECK(info[k].port == (uint16_t)pp_packet_peer_udp_get_local_port(a));
        }
        total += got;
        if (got == 0) (void)pp_packet_peer_udp_wait_timeout(b, 10);
    }
    CHECK(total == 100);
    CHECK(pp_ip_address_to_string(info[0].ip, ip, sizeof ip, NULL) == PP_OK && strcmp(ip, "127.0.0.1") == 0);
    CHECK(pp_ip_address_to_string(NULL, ip, sizeof ip, NULL) == BAD);
    CHECK(pp_ip_address_to_string(info[0].ip, NULL, 40, NULL) == BAD);
    CHECK(pp_ip_address_to_string(info[0].ip, ip, 3, NULL) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_ip_address_to_string(info[0].ip, ip, (size_t)INT32_MAX + 1, NULL) == BAD); /* sizes are int */
    pp_peer_free(a);
    pp_peer_free(b);
    return 0;
}

static int test_server(void) {
    pp_udp_server *s = NULL;
    pp_peer *c = NULL, *conn = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    pp_net_stats st;
    int i;

    CHECK(pp_udp_server_new(NULL) == BAD);
    CHECK(pp_udp_server_new(&s) == PP_OK);
    CHECK(pp_udp_server_listen(NULL, 0, "127.0.0.1") == BAD);
    CHECK(pp_udp_server_listen(s, 0, NULL) == BAD);
    CHECK(pp_udp_server_listen(s, 0, "bad") == BAD);
    CHECK(pp_udp_server_listen(s, -1, "*") == BAD);
    CHECK(pp_udp_server_poll(s) == PP_ERR_UNCONFIGURED);
    CHECK(pp_udp_server_poll(NULL) == BAD);
    CHECK(!pp_udp_server_is_listening(s) && !pp_udp_server_is_listening(NULL));
    CHECK(pp_udp_server_listen(s, 0, "127.0.0.1") == PP_OK);
    CHECK(pp_udp_server_listen(s, 0, "127.0.0.1") == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_udp_server_is_listening(s));
    CHECK(pp_udp_server_get_local_port(s) > 0 && pp_udp_server_get_local_port(NULL) == 0);
    CHECK(pp_udp_server_get_max_pending_connections(s) == 16);
    CHECK(pp_udp_server_get_max_pending_connections(NULL) == 0);
    CHECK(pp_udp_server_set_max_pending_connections(s, -1) == BAD);
    CHECK(pp_udp_server_set_max_pending_connections(NULL, 1) == BAD);
    CHECK(pp_udp_server_set_max_pending_connections(s, 4) == PP_OK);
    CHECK(pp_udp_server_get_max_pending_connections(s) == 4);
    CHECK(!pp_udp_server_is_connection_available(s) && !pp_udp_server_is_connection_available(NULL));
    CHECK(pp_udp_server_take_connection(s, &conn) == PP_ERR_UNAVAILABLE && conn == NULL);
    CHECK(pp_udp_server_take_connection(NULL, &conn) == BAD);
    CHECK(pp_udp_server_take_connection(s, NULL) == BAD);

    CHECK(pp_packet_peer_udp_new(&c) == PP_OK);
    CHECK(pp_packet_peer_udp_set_dest_address(c, "127.0.0.1", pp_udp_server_get_local_port(s)) == PP_OK);
    CHECK(pp_put_packet(c, (const uint8_t *)"hi", 2) == PP_OK);
    for (i = 0; i < 6000 && !pp_udp_server_is_connection_available(s); i++) {
        CHECK(pp_udp_server_poll(s) == PP_OK);
        if (!pp_udp_server_is_connection_available(s)) (void)pp_packet_peer_udp_wait_timeout(c, 5);
    }
    CHECK(pp_udp_server_is_connection_available(s));
    CHECK(pp_udp_server_take_connection(s, &conn) == PP_OK && conn != NULL);
    CHECK(pp_get_packet(conn, &data, &len) == PP_OK && len == 2 && memcmp(data, "hi", 2) == 0);
    CHECK(pp_packet_peer_udp_is_socket_connected(conn));
    CHECK(pp_packet_peer_udp_get_local_port(conn) == pp_udp_server_get_local_port(s));
    CHECK(pp_packet_peer_udp_connect_to_host(conn, "127.0.0.1", 5) == PP_ERR_LOCKED);
    CHECK(pp_packet_peer_udp_set_broadcast_enabled(conn, true) == PP_ERR_LOCKED);
    CHECK(pp_packet_peer_udp_set_reuse_address(conn, true) == PP_ERR_LOCKED);
    CHECK(pp_packet_peer_udp_join_multicast_group(conn, "239.1.2.3", "lo") == PP_ERR_LOCKED);
    CHECK(pp_packet_peer_udp_bind(conn, 0, "*", 65536) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_put_packet(conn, (const uint8_t *)"yo", 2) == PP_OK);
    CHECK(wait_count(c, 1) == 1);
    CHECK(pp_get_packet(c, &data, &len) == PP_OK && len == 2 && memcmp(data, "yo", 2) == 0);
    CHECK(pp_udp_server_get_stats(s, &st) == PP_OK && st.packets_received == 1);
    CHECK(pp_udp_server_get_stats(NULL, &st) == BAD);
    CHECK(pp_udp_server_get_stats(s, NULL) == BAD);

    CHECK(pp_udp_server_stop(NULL) == BAD);
    CHECK(pp_udp_server_stop(s) == PP_OK);
    CHECK(!pp_udp_server_is_listening(s));
    CHECK(!pp_packet_peer_udp_is_bound(conn)); /* detached */
    pp_udp_server_free(s);
    pp_udp_server_free(NULL);
    pp_peer_free(conn); /* outlives the server */
    pp_peer_free(c);
    return 0;
}

int main(void) {
    if (test_peer() || test_batch() || test_server()) return 1;
    printf("test_udp: all passed\n");
    return 0;
}
