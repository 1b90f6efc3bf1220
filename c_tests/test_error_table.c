/* The README's error table, checked: every example a row gives ("typical meaning here") is made
 * to happen here against the real classes, and must return that row's code (the reason in words
 * too, where the class keeps one). Change the table and this file together. Loopback only, port 0, bounded waits. */
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
/* `call` must return `code` (the README row's constant). */
#define EXPECT(code, call)                                                                         \
    do {                                                                                           \
        pp_error got_ = (call);                                                                    \
        if (got_ != (code)) {                                                                      \
            fprintf(stderr, "%s:%d: %s gave %s, the README says %s\n", __FILE__, __LINE__, #call,  \
                    pp_error_name(got_), pp_error_name(code));                                     \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

static void nap(void) {
    struct timespec ts = {0, 5 * 1000000L};
    nanosleep(&ts, NULL);
}

#include "test_cert.h" /* the fixed test key and certificate */

/* PP_ERR_TIMEOUT: a StreamPeerTLS blocking get_data that gives up after the handshake timeout. A
 * client and a server over an in-process pipe finish the handshake; the client then waits for 4
 * bytes the server never sends, with a 200 ms timeout. */
static int tls_blocking_read_times_out(void) {
    pp_crypto_key *key = NULL;
    pp_x509_certificate *cert = NULL;
    pp_tls_options *sopts = NULL, *copts = NULL;
    pp_stream_peer *a = NULL, *b = NULL, *cli = NULL, *srv = NULL;
    uint8_t buf[4];
    struct timespec t0, t1;
    double waited_ms;
    int i;
    EXPECT(PP_OK, pp_crypto_key_load_pem((const uint8_t *)EC_KEY_PEM, strlen(EC_KEY_PEM), false, &key));
    EXPECT(PP_OK, pp_x509_certificate_load_pem((const uint8_t *)EC_CERT_PEM, strlen(EC_CERT_PEM), &cert));
    EXPECT(PP_OK, pp_tls_options_server(key, cert, &sopts));
    EXPECT(PP_OK, pp_tls_options_client(cert, NULL, &copts));
    EXPECT(PP_OK, pp_stream_peer_pipe_new(&a, &b));
    EXPECT(PP_OK, pp_stream_peer_tls_new(&cli));
    EXPECT(PP_OK, pp_stream_peer_tls_new(&srv));
    EXPECT(PP_OK, pp_stream_peer_tls_connect_to_stream(cli, a, "localhost", copts));
    EXPECT(PP_OK, pp_stream_peer_tls_accept_stream(srv, b, sopts));
    for (i = 0; i < 2000 && !(pp_stream_peer_tls_get_status(cli) == PP_TLS_STATUS_CONNECTED &&
                              pp_stream_peer_tls_get_status(srv) == PP_TLS_STATUS_CONNECTED);
         i++) {
        EXPECT(PP_OK, pp_stream_peer_tls_poll(cli));
        EXPECT(PP_OK, pp_stream_peer_tls_poll(srv));
    }
    CHECK(pp_stream_peer_tls_get_status(cli) == PP_TLS_STATUS_CONNECTED);
    EXPECT(PP_OK, pp_stream_peer_tls_set_handshake_timeout(cli, 200));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EXPECT(PP_ERR_TIMEOUT, pp_stream_peer_get_data(cli, buf, sizeof buf));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    waited_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(waited_ms >= 190.0 && waited_ms < 30000.0);
    /* The session is intact: what the server sends afterwards is read in full. */
    EXPECT(PP_OK, pp_stream_peer_put_data(srv, (const uint8_t *)"late", 4));
    EXPECT(PP_OK, pp_stream_peer_get_data(cli, buf, sizeof buf));
    CHECK(memcmp(buf, "late", 4) == 0);
    pp_stream_peer_free(cli); pp_stream_peer_free(srv); pp_stream_peer_free(a); pp_stream_peer_free(b);
    pp_tls_options_free(sopts); pp_tls_options_free(copts);
    pp_x509_certificate_free(cert); pp_crypto_key_free(key);
    return 0;
}

/* A UDP port on `ip` where nothing listens: bound by the OS's choice, then closed. */
static int32_t closed_udp_port(const char *ip) {
    pp_peer *p = NULL;
    int32_t port;
    if (pp_packet_peer_udp_new(&p) != PP_OK) return 0;
    if (pp_packet_peer_udp_bind(p, 0, ip, 65536) != PP_OK) { pp_peer_free(p); return 0; }
    port = pp_packet_peer_udp_get_local_port(p);
    pp_peer_free(p);
    return port;
}

/* "Why did it fail" for UDP and ENet: a port in use, and a client pointed at a closed port, which
 * the OS refuses (ICMP port unreachable): a connected PacketPeerUDP reads PP_FAILED with the reason,
 * an ENet client gets DISCONNECT / CONNECT_REFUSED at once (well before ENet's 31.5 s timeout),
 * on 127.0.0.1 and ::1. */
static int refused_and_in_use_say_why(int32_t taken_port) {
    static const char *const ips[] = {"127.0.0.1", "::1"};
    char why[256];
    size_t len = 0;
    const uint8_t *data = NULL;
    pp_peer *u = NULL;
    pp_enet_connection *c = NULL;
    unsigned k;
    int i;

    /* PacketPeerUDP: the OS's reason for a port in use, the argument refused, the refusal. */
    EXPECT(PP_OK, pp_packet_peer_udp_new(&u));
    EXPECT(PP_OK, pp_packet_peer_udp_get_last_error_text(u, why, sizeof why, &len));
    CHECK(len == 0 && why[0] == 0);
    EXPECT(PP_ERR_UNAVAILABLE, pp_packet_peer_udp_bind(u, taken_port, "127.0.0.1", 65536));
    EXPECT(PP_OK, pp_packet_peer_udp_get_last_error_text(u, why, sizeof why, &len));
    CHECK(strstr(why, "in use") != NULL && strstr(why, "bind") != NULL && len == strlen(why));
    EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_packet_peer_udp_get_last_error_text(u, why, 4, &len));
    CHECK(len > 4);
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_packet_peer_udp_get_last_error_text(NULL, why, sizeof why, &len));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_packet_peer_udp_get_last_error_text(u, NULL, 5, &len));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_packet_peer_udp_connect_to_host(u, "not an ip", 9));
    EXPECT(PP_OK, pp_packet_peer_udp_get_last_error_text(u, why, sizeof why, NULL));
    CHECK(strstr(why, "not an IP") != NULL);
    for (k = 0; k < 2; k++) {
        int32_t port = closed_udp_port(ips[k]);
        pp_error e = PP_OK;
        CHECK(port > 0);
        EXPECT(PP_OK, pp_packet_peer_udp_connect_to_host(u, ips[k], port));
        EXPECT(PP_OK, pp_packet_peer_udp_get_last_error_text(u, why, sizeof why, &len));
        CHECK(len == 0); /* connect_to_host clears it */
        EXPECT(PP_OK, pp_put_packet(u, (const uint8_t *)"anyone?", 7));
        for (i = 0; i < 400 && (e = pp_get_packet(u, &data, &len)) == PP_ERR_UNAVAILABLE; i++) nap();
        EXPECT(PP_FAILED, e);
        EXPECT(PP_OK, pp_packet_peer_udp_get_last_error_text(u, why, sizeof why, &len));
        CHECK(strstr(why, "recv") != NULL && strstr(why, "refused") != NULL);
        EXPECT(PP_OK, pp_packet_peer_udp_close(u));
    }

    pp_peer_free(u);

    /* ENetConnection: a port in use, in words. */
    EXPECT(PP_OK, pp_enet_connection_new(&c));
    EXPECT(PP_OK, pp_enet_connection_get_last_error_text(c, why, sizeof why, &len));
    CHECK(len == 0);
    EXPECT(PP_ERR_CANT_CREATE, pp_enet_connection_create_host_bound(c, "127.0.0.1", taken_port, 1, 0, 0, 0));
    EXPECT(PP_OK, pp_enet_connection_get_last_error_text(c, why, sizeof why, &len));
    CHECK(strstr(why, "bind") != NULL && strstr(why, "in use") != NULL);
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_enet_connection_get_last_error_text(NULL, why, sizeof why, &len));
    EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_enet_connection_get_last_error_text(c, why, 3, &len));
    pp_enet_connection_free(c);

    /* Refused connects fail at once by default; the engine's way (retry until the timeout) on request. */
    EXPECT(PP_OK, pp_enet_connection_new(&c));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_enet_connection_set_fail_connect_on_refused(NULL, false));
    CHECK(!pp_enet_connection_is_fail_connect_on_refused(NULL));
    CHECK(pp_enet_connection_is_fail_connect_on_refused(c));
    EXPECT(PP_OK, pp_enet_connection_set_fail_connect_on_refused(c, false));
    CHECK(!pp_enet_connection_is_fail_connect_on_refused(c));
    EXPECT(PP_OK, pp_enet_connection_create_host_bound(c, "127.0.0.1", 0, 1, 0, 0, 0));
    CHECK(!pp_enet_connection_is_fail_connect_on_refused(c));
    EXPECT(PP_OK, pp_enet_connection_set_fail_connect_on_refused(c, true));
    CHECK(pp_enet_connection_is_fail_connect_on_refused(c));
    pp_enet_connection_free(c);

    for (k = 0; k < 2; k++) {
        int32_t port = closed_udp_port(ips[k]);
        pp_peer *peer = NULL, *mp = NULL, *udp = NULL;
        pp_enet_event ev;
        pp_multiplayer_event mev;
        pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING;
        struct timespec t0, t1;
        CHECK(port > 0);

        /* ENetConnection: DISCONNECT for the peer, cause REFUSED, the reason on peer and host. */
        EXPECT(PP_OK, pp_enet_connection_new(&c));
        EXPECT(PP_OK, pp_enet_connection_create_host_bound(c, ips[k], 0, 1, 0, 0, 0));
        EXPECT(PP_OK, pp_enet_connection_connect_to_host(c, ips[k], port, 0, 0, &peer));
        CHECK(pp_enet_packet_peer_get_connect_failure(peer) == PP_ENET_CONNECT_FAILURE_NONE);
        EXPECT(PP_OK, pp_enet_packet_peer_get_last_error_text(peer, why, sizeof why, &len));
        CHECK(len == 0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ev.type = PP_ENET_EVENT_TYPE_NONE;
        for (i = 0; i < 400 && ev.type == PP_ENET_EVENT_TYPE_NONE; i++) {
            EXPECT(PP_OK, pp_enet_connection_service(c, 5, &ev));
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        CHECK(ev.type == PP_ENET_EVENT_TYPE_DISCONNECT && ev.peer == peer && ev.data == 0);
        CHECK(t1.tv_sec - t0.tv_sec < 5); /* ENet alone would wait 31.5 s */
        CHECK(pp_enet_packet_peer_get_connect_failure(peer) == PP_ENET_CONNECT_FAILURE_REFUSED);
        CHECK(!pp_enet_packet_peer_is_active(peer));
        EXPECT(PP_OK, pp_enet_packet_peer_get_last_error_text(peer, why, sizeof why, &len));
        CHECK(strstr(why, "refused") != NULL && len == strlen(why));
        {
            char host_why[256];
            EXPECT(PP_OK, pp_enet_connection_get_last_error_text(c, host_why, sizeof host_why, NULL));
            CHECK(strcmp(host_why, why) == 0);
        }
        EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_enet_packet_peer_get_last_error_text(peer, why, 5, &len));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_enet_packet_peer_get_last_error_text(NULL, why, sizeof why, &len));
        EXPECT(PP_OK, pp_packet_peer_udp_new(&udp));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_enet_packet_peer_get_last_error_text(udp, why, sizeof why, &len));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_packet_peer_udp_get_last_error_text(peer, why, sizeof why, &len));
        CHECK(pp_enet_packet_peer_get_connect_failure(udp) == PP_ENET_CONNECT_FAILURE_NONE);
        CHECK(pp_enet_packet_peer_get_connect_failure(NULL) == PP_ENET_CONNECT_FAILURE_NONE);
        pp_enet_connection_free(c);

        /* ENetMultiplayerPeer: CONNECT_REFUSED (peer 1), DISCONNECTED, the reason. */
        EXPECT(PP_OK, pp_enet_multiplayer_peer_new(&mp));
        EXPECT(PP_OK, pp_enet_multiplayer_peer_create_client(mp, ips[k], port, 0, 0, 0, 0));
        for (i = 0; i < 400 && st != PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED; i++) {
            (void)pp_multiplayer_peer_poll(mp);
            EXPECT(PP_OK, pp_multiplayer_peer_get_connection_status(mp, &st));
            nap();
        }
        CHECK(st == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);
        EXPECT(PP_OK, pp_multiplayer_peer_pop_event(mp, &mev));
        CHECK(mev.kind == PP_MULTIPLAYER_EVENT_CONNECT_REFUSED && mev.peer_id == 1 && mev.dropped == 0);
        EXPECT(PP_ERR_UNAVAILABLE, pp_multiplayer_peer_pop_event(mp, &mev));
        EXPECT(PP_OK, pp_enet_multiplayer_peer_get_last_error_text(mp, why, sizeof why, &len));
        CHECK(strstr(why, "refused") != NULL);
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_enet_multiplayer_peer_get_last_error_text(NULL, why, sizeof why, &len));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_enet_multiplayer_peer_get_last_error_text(udp, why, sizeof why, &len));
        EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_enet_multiplayer_peer_get_last_error_text(mp, why, 2, &len));
        pp_peer_free(mp);
        pp_peer_free(udp);
    }
    return 0;
}

int main(void) {
    pp_peer *udp = NULL, *udp2 = NULL, *udp3 = NULL, *pps = NULL, *mp = NULL, *ws_mp = NULL;
    pp_udp_server *udp_server = NULL;
    pp_tcp_server *tcp = NULL, *tcp2 = NULL;
    pp_stream_peer *client = NULL, *pipe_a = NULL, *pipe_b = NULL;
    pp_enet_connection *enet = NULL, *enet2 = NULL;
    pp_variant *arr = NULL, *item = NULL, *big = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    uint8_t byte, blob[4096];
    int32_t udp_port, tcp_port;
    int i;

    /* PP_OK: success. */
    EXPECT(PP_OK, pp_packet_peer_udp_new(&udp));
    EXPECT(PP_OK, pp_packet_peer_udp_bind(udp, 0, "127.0.0.1", 65536));
    udp_port = pp_packet_peer_udp_get_local_port(udp);
    EXPECT(PP_OK, pp_tcp_server_new(&tcp));
    EXPECT(PP_OK, pp_tcp_server_listen(tcp, 0, "127.0.0.1"));
    tcp_port = pp_tcp_server_get_local_port(tcp);

    /* PP_ERR_UNAVAILABLE: nothing to read yet; a UDP port in use (PacketPeerUDP.bind, UDPServer.listen). */
    EXPECT(PP_ERR_UNAVAILABLE, pp_get_packet(udp, &data, &len));
    EXPECT(PP_OK, pp_packet_peer_udp_new(&udp2));
    EXPECT(PP_ERR_UNAVAILABLE, pp_packet_peer_udp_bind(udp2, udp_port, "127.0.0.1", 65536));
    EXPECT(PP_OK, pp_udp_server_new(&udp_server));
    EXPECT(PP_ERR_UNAVAILABLE, pp_udp_server_listen(udp_server, udp_port, "127.0.0.1"));

    /* PP_ERR_ALREADY_IN_USE: already bound / listening; a TCP port in use (TCPServer.listen,
     * WebSocketMultiplayerPeer.create_server). */
    EXPECT(PP_ERR_ALREADY_IN_USE, pp_packet_peer_udp_bind(udp, 0, "127.0.0.1", 65536));
    EXPECT(PP_OK, pp_tcp_server_new(&tcp2));
    EXPECT(PP_ERR_ALREADY_IN_USE, pp_tcp_server_listen(tcp2, tcp_port, "127.0.0.1"));
    EXPECT(PP_OK, pp_websocket_multiplayer_peer_new(&ws_mp));
    EXPECT(PP_ERR_ALREADY_IN_USE, pp_websocket_multiplayer_peer_create_server(ws_mp, tcp_port, "127.0.0.1", NULL));

    /* PP_ERR_CANT_CREATE: an ENet port in use (ENetConnection.create_host_bound,
     * ENetMultiplayerPeer.create_server). */
    EXPECT(PP_OK, pp_enet_connection_new(&enet));
    EXPECT(PP_ERR_CANT_CREATE, pp_enet_connection_create_host_bound(enet, "127.0.0.1", udp_port, 1, 0, 0, 0));
    EXPECT(PP_OK, pp_enet_multiplayer_peer_new(&mp));
    EXPECT(PP_OK, pp_enet_multiplayer_peer_set_bind_ip(mp, "127.0.0.1"));
    EXPECT(PP_ERR_CANT_CREATE, pp_enet_multiplayer_peer_create_server(mp, udp_port, 4, 0, 0, 0));

    /* PP_ERR_UNCONFIGURED: no destination, no stream peer. */
    EXPECT(PP_ERR_UNCONFIGURED, pp_put_packet(udp2, (const uint8_t *)"x", 1));
    EXPECT(PP_OK, pp_packet_peer_stream_new(&pps));
    EXPECT(PP_ERR_UNCONFIGURED, pp_put_packet(pps, (const uint8_t *)"x", 1));

    /* PP_ERR_PARAMETER_RANGE_ERROR: an index past the end, a text buffer too small. */
    EXPECT(PP_OK, pp_variant_new_array(&arr));
    EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_variant_array_get(arr, 0, &item));
    {
        char small[2];
        EXPECT(PP_OK, pp_packet_peer_udp_set_dest_address(udp2, "127.0.0.1", udp_port));
        EXPECT(PP_OK, pp_put_packet(udp2, (const uint8_t *)"x", 1));
        EXPECT(PP_OK, pp_packet_peer_udp_wait_timeout(udp, 10000));
        EXPECT(PP_OK, pp_get_packet(udp, &data, &len)); /* get_packet_ip tells this packet's sender */
        EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_packet_peer_udp_get_packet_ip(udp, small, sizeof small, &len));
        CHECK(len == strlen("127.0.0.1"));
    }

    /* PP_ERR_OUT_OF_MEMORY: put_var over the encode limit. */
    memset(blob, 7, sizeof blob);
    EXPECT(PP_OK, pp_variant_new_packed_byte_array(blob, sizeof blob, &big));
    EXPECT(PP_OK, pp_set_encode_buffer_max_size(udp2, 1024));
    EXPECT(PP_ERR_OUT_OF_MEMORY, pp_put_var(udp2, big, false));

    /* PP_ERR_BUSY, not PP_ERR_TIMEOUT: a UDP wait whose time ran out (the engine's code). */
    EXPECT(PP_ERR_BUSY, pp_packet_peer_udp_wait_timeout(udp2, 20));

    /* PP_ERR_CANT_CONNECT: the connection cannot start (ENet: no free peer slot). */
    EXPECT(PP_OK, pp_enet_connection_new(&enet2));
    EXPECT(PP_OK, pp_enet_connection_create_host_bound(enet2, "127.0.0.1", 0, 1, 0, 0, 0));
    {
        pp_peer *p1 = NULL, *p2 = NULL;
        EXPECT(PP_OK, pp_enet_connection_connect_to_host(enet2, "127.0.0.1", udp_port, 0, 0, &p1));
        EXPECT(PP_ERR_CANT_CONNECT, pp_enet_connection_connect_to_host(enet2, "127.0.0.1", udp_port, 0, 0, &p2));
    }

    /* PP_ERR_CANT_RESOLVE: a host name that does not resolve (the empty name: no resolver involved). */
    EXPECT(PP_ERR_CANT_RESOLVE, pp_packet_peer_udp_set_dest_address(udp2, "", 9));

    /* PP_ERR_CONNECTION_ERROR: the connection failed or was lost (StreamPeerTCP.poll after a refused
     * connect: the listener is stopped first). PP_FAILED: a write on that broken socket. */
    EXPECT(PP_OK, pp_tcp_server_stop(tcp));
    EXPECT(PP_OK, pp_stream_peer_tcp_new(&client));
    EXPECT(PP_OK, pp_stream_peer_tcp_connect_to_host(client, "127.0.0.1", tcp_port));
    {
        pp_error e = PP_OK;
        for (i = 0; i < 2000 && pp_stream_peer_tcp_get_status(client) == PP_STREAM_PEER_TCP_STATUS_CONNECTING; i++) {
            e = pp_stream_peer_tcp_poll(client);
            nap();
        }
        CHECK(pp_stream_peer_tcp_get_status(client) == PP_STREAM_PEER_TCP_STATUS_ERROR);
        EXPECT(PP_ERR_CONNECTION_ERROR, e);
        EXPECT(PP_FAILED, pp_stream_peer_put_data(client, (const uint8_t *)"x", 1));
    }
    {   /* ... and the words beside the code: the OS's reason. */
        char why[128];
        EXPECT(PP_OK, pp_stream_peer_tcp_get_last_error_text(client, why, sizeof why, &len));
        CHECK(strstr(why, "refused") != NULL && len == strlen(why));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_stream_peer_tcp_get_last_error_text((pp_stream_peer *)udp, why, sizeof why, &len));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_stream_peer_tcp_get_last_error_text(NULL, why, sizeof why, &len));
        EXPECT(PP_OK, pp_stream_peer_tcp_get_last_error_text(client, why, sizeof why, NULL));
        EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_stream_peer_tcp_get_last_error_text(client, why, 4, &len));
    }

    /* PP_ERR_BUSY: would block (a blocking-style read on a stream with too few bytes). */
    EXPECT(PP_OK, pp_stream_peer_pipe_new(&pipe_a, &pipe_b));
    EXPECT(PP_ERR_BUSY, pp_stream_peer_get_data(pipe_b, &byte, 1));
    {
        char why[8];
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_stream_peer_tcp_get_last_error_text(pipe_a, why, sizeof why, NULL));
    }

    /* A client that never connects (README): the server's port stays silent (a UDP socket that never
     * answers); with a short ENet timeout the client gives up within a second and says so with a
     * CONNECT_TIMED_OUT event instead of a silent DISCONNECTED. */
    {
        pp_peer *mp_client = NULL, *server_peer = NULL;
        pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING;
        pp_multiplayer_event ev;
        EXPECT(PP_OK, pp_enet_multiplayer_peer_new(&mp_client));
        EXPECT(PP_OK, pp_enet_multiplayer_peer_create_client(mp_client, "127.0.0.1", udp_port, 0, 0, 0, 0));
        EXPECT(PP_OK, pp_enet_multiplayer_peer_get_peer(mp_client, 1, &server_peer));
        EXPECT(PP_OK, pp_enet_packet_peer_set_timeout(server_peer, 32, 100, 300));
        for (i = 0; i < 2000 && st != PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED; i++) {
            (void)pp_multiplayer_peer_poll(mp_client);
            EXPECT(PP_OK, pp_multiplayer_peer_get_connection_status(mp_client, &st));
            nap();
        }
        CHECK(st == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);
        EXPECT(PP_OK, pp_multiplayer_peer_pop_event(mp_client, &ev));
        CHECK(ev.kind == PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT && ev.peer_id == 1 && ev.dropped == 0);
        EXPECT(PP_ERR_UNAVAILABLE, pp_multiplayer_peer_pop_event(mp_client, &ev));
        {
            char why[256];
            EXPECT(PP_OK, pp_enet_multiplayer_peer_get_last_error_text(mp_client, why, sizeof why, &len));
            CHECK(strstr(why, "timed out") != NULL);
            CHECK(pp_enet_packet_peer_get_connect_failure(server_peer) == PP_ENET_CONNECT_FAILURE_TIMED_OUT);
        }
        pp_peer_free(mp_client);
    }

    CHECK(tls_blocking_read_times_out() == 0);
    CHECK(refused_and_in_use_say_why(udp_port) == 0);

    /* PP_ERR_INVALID_DATA: malformed bytes. PP_ERR_INVALID_PARAMETER: NULL, bad port, wrong class. */
    EXPECT(PP_ERR_INVALID_DATA, pp_bytes_to_var((const uint8_t *)"\x01", 1, false, &item));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_put_packet(NULL, NULL, 0));
    EXPECT(PP_OK, pp_packet_peer_udp_new(&udp3));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_packet_peer_udp_bind(udp3, 70000, "*", 65536));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_tcp_server_listen((pp_tcp_server *)udp_server, 0, "*"));

    pp_variant_free(arr); pp_variant_free(big);
    pp_peer_free(udp); pp_peer_free(udp2); pp_peer_free(udp3); pp_peer_free(pps); pp_peer_free(mp); pp_peer_free(ws_mp);
    pp_udp_server_free(udp_server); pp_tcp_server_free(tcp); pp_tcp_server_free(tcp2);
    pp_stream_peer_free(client); pp_stream_peer_free(pipe_a); pp_stream_peer_free(pipe_b);
    pp_enet_connection_free(enet); pp_enet_connection_free(enet2);
    puts("the README's error table holds");
    return 0;
}
