/* C ABI tests for WebSocketPeer and WebSocketMultiplayerPeer: every export's success, NULL and
 * wrong-class paths, bad URLs, property bounds, and loopback exchanges (text, binary, put_var/get_var,
 * close code and reason, refusals, multiplayer IDs and targets, wss with TLS options and a hostname
 * mismatch, lent peers). Loopback only, port 0, bounded waits. */
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

/* wss uses the fixed test key and certificate (test_cert.h). */
#include "test_cert.h"

static void nap_1ms(void) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

/* Polls both peers until both are in `state` (bounded, ~30 s). */
static int pump_state(pp_peer *a, pp_peer *b, pp_websocket_peer_state state) {
    int i;
    for (i = 0; i < 30000; i++) {
        (void)pp_websocket_peer_poll(a);
        if (b) (void)pp_websocket_peer_poll(b);
        if (pp_websocket_peer_get_ready_state(a) == state && (!b || pp_websocket_peer_get_ready_state(b) == state))
            return 1;
        nap_1ms();
    }
    return 0;
}

/* Polls both until `rx` has `n` messages queued (bounded, ~30 s). */
static int pump_count(pp_peer *tx, pp_peer *rx, int32_t n) {
    int i;
    for (i = 0; i < 30000; i++) {
        int32_t c = 0;
        (void)pp_websocket_peer_poll(tx);
        (void)pp_websocket_peer_poll(rx);
        if (pp_get_available_packet_count(rx, &c) == PP_OK && c >= n) return 1;
        nap_1ms();
    }
    return 0;
}

/* A connected client/server pair over loopback; the server's TCP stream is freed here. */
static int connect_pair(pp_peer *client, pp_peer *server) {
    pp_tcp_server *srv = NULL;
    pp_stream_peer *conn = NULL;
    char url[64];
    int i, port;
    CHECK(pp_tcp_server_new(&srv) == PP_OK);
    CHECK(pp_tcp_server_listen(srv, 0, "127.0.0.1") == PP_OK);
    port = pp_tcp_server_get_local_port(srv);
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/chat?room=1", port);
    CHECK(pp_websocket_peer_connect_to_url(client, url, NULL) == PP_OK);
    CHECK(pp_websocket_peer_get_ready_state(client) == PP_WEBSOCKET_PEER_STATE_CONNECTING);
    CHECK(pp_websocket_peer_connect_to_url(client, url, NULL) == PP_ERR_ALREADY_IN_USE);
    for (i = 0; i < 30000 && pp_tcp_server_take_connection(srv, &conn) != PP_OK; i++) {
        (void)pp_websocket_peer_poll(client);
        nap_1ms();
    }
    CHECK(conn != NULL);
    CHECK(pp_websocket_peer_accept_stream(server, conn) == PP_OK);
    /* The connection moved: the stream handle is left unconnected, and cannot be accepted again. */
    CHECK(pp_stream_peer_tcp_get_status(conn) == PP_STREAM_PEER_TCP_STATUS_NONE);
    CHECK(pp_websocket_peer_accept_stream(server, conn) == PP_ERR_ALREADY_IN_USE);
    pp_stream_peer_free(conn);
    pp_tcp_server_free(srv);
    CHECK(pump_state(client, server, PP_WEBSOCKET_PEER_STATE_OPEN));
    return 0;
}

static int test_calls_and_bad_input(void) {
    pp_peer *ws = NULL, *other = NULL;
    pp_stream_peer *notcp = NULL, *unconnected = NULL;
    const char *protos[2] = {" chat ", "v2"};
    const char *bad_protos[1] = {"a,b"};
    const char *headers[1] = {"X-Game: 1"};
    const char *bad_headers[1] = {"X-Evil: 1\r\nX-Injected: 2"};
    char buf[64];
    size_t len = 0;
    int32_t v = 0;
    double hb = -1.0;
    pp_websocket_stats st;

    CHECK(pp_websocket_peer_new(NULL) == BAD);
    CHECK(pp_websocket_peer_new(&ws) == PP_OK && ws != NULL);
    CHECK(pp_packet_peer_udp_new(&other) == PP_OK);
    CHECK(pp_stream_peer_buffer_new(&notcp) == PP_OK);
    CHECK(pp_stream_peer_tcp_new(&unconnected) == PP_OK);

    /* connect_to_url: NULL, wrong class, bad URLs. */
    CHECK(pp_websocket_peer_connect_to_url(NULL, "ws://127.0.0.1:1", NULL) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(ws, NULL, NULL) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(other, "ws://127.0.0.1:1", NULL) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(ws, "", NULL) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(ws, "http://127.0.0.1/", NULL) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(ws, "ws://[::1", NULL) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(ws, "ws://127.0.0.1:70000", NULL) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(ws, "ws://127.0.0.1:0", NULL) == BAD);
    CHECK(pp_websocket_peer_get_ready_state(ws) == PP_WEBSOCKET_PEER_STATE_CLOSED);

    /* accept_stream: NULL, wrong classes, an unconnected TCP stream. */
    CHECK(pp_websocket_peer_accept_stream(NULL, unconnected) == BAD);
    CHECK(pp_websocket_peer_accept_stream(ws, NULL) == BAD);
    CHECK(pp_websocket_peer_accept_stream(other, unconnected) == BAD);
    CHECK(pp_websocket_peer_accept_stream(ws, notcp) == BAD);
    CHECK(pp_websocket_peer_accept_stream(ws, unconnected) == BAD);

    /* Calls on a CLOSED peer, NULL and wrong class. */
    CHECK(pp_websocket_peer_poll(NULL) == BAD && pp_websocket_peer_poll(other) == BAD);
    CHECK(pp_websocket_peer_poll(ws) == PP_OK);
    CHECK(pp_websocket_peer_send(ws, (const uint8_t *)"x", 1, PP_WEBSOCKET_WRITE_MODE_BINARY) == PP_FAILED);
    CHECK(pp_websocket_peer_send(ws, NULL, 1, PP_WEBSOCKET_WRITE_MODE_BINARY) == BAD);
    CHECK(pp_websocket_peer_send(ws, (const uint8_t *)"x", 1, 7) == BAD);
    CHECK(pp_websocket_peer_send(NULL, (const uint8_t *)"x", 1, 1) == BAD);
    CHECK(pp_websocket_peer_send(other, (const uint8_t *)"x", 1, 1) == BAD);
    CHECK(pp_websocket_peer_send_text(ws, "x") == PP_FAILED);
    CHECK(pp_websocket_peer_send_text(ws, NULL) == BAD && pp_websocket_peer_send_text(other, "x") == BAD);
    CHECK(pp_put_packet(ws, (const uint8_t *)"x", 1) == PP_FAILED);
    CHECK(!pp_websocket_peer_was_string_packet(NULL) && !pp_websocket_peer_was_string_packet(other));
    CHECK(pp_websocket_peer_close(ws, 1000, NULL) == PP_OK);
    CHECK(pp_websocket_peer_close(NULL, 1000, "") == BAD && pp_websocket_peer_close(other, 1000, "") == BAD);
    {
        char reason[125];
        memset(reason, 'r', 124);
        reason[124] = 0;
        CHECK(pp_websocket_peer_close(ws, 1000, reason) == BAD); /* 124 bytes */
        reason[123] = 0;
        CHECK(pp_websocket_peer_close(ws, 1000, reason) == PP_OK); /* 123 bytes */
    }
    CHECK(pp_websocket_peer_close(ws, 70000, "") == BAD);
    CHECK(pp_websocket_peer_get_close_code(ws, &v) == PP_OK && v == -1);
    CHECK(pp_websocket_peer_get_close_code(NULL, &v) == BAD && pp_websocket_peer_get_close_code(ws, NULL) == BAD);
    CHECK(pp_websocket_peer_get_close_code(other, &v) == BAD);
    CHECK(pp_websocket_peer_get_close_reason(ws, buf, sizeof buf, &len) == PP_OK && len == 0 && buf[0] == 0);
    CHECK(pp_websocket_peer_get_close_reason(NULL, buf, sizeof buf, &len) == BAD);
    CHECK(pp_websocket_peer_get_close_reason(other, buf, sizeof buf, &len) == BAD);
    CHECK(pp_websocket_peer_get_selected_protocol(ws, buf, sizeof buf, NULL) == PP_OK && buf[0] == 0);
    CHECK(pp_websocket_peer_get_selected_protocol(other, buf, sizeof buf, NULL) == BAD);
    CHECK(pp_websocket_peer_get_requested_url(ws, buf, sizeof buf, NULL) == PP_OK);
    CHECK(pp_websocket_peer_get_requested_url(NULL, buf, sizeof buf, NULL) == BAD);
    CHECK(pp_websocket_peer_get_connected_host(ws, buf, sizeof buf, NULL) == PP_OK && buf[0] == 0);
    CHECK(pp_websocket_peer_get_connected_host(other, buf, sizeof buf, NULL) == BAD);
    CHECK(pp_websocket_peer_get_connected_port(ws) == 0 && pp_websocket_peer_get_connected_port(NULL) == 0);
    CHECK(pp_websocket_peer_get_ready_state(NULL) == PP_WEBSOCKET_PEER_STATE_CLOSED);
    CHECK(pp_websocket_peer_get_ready_state(other) == PP_WEBSOCKET_PEER_STATE_CLOSED);
    CHECK(pp_websocket_peer_get_current_outbound_buffered_amount(ws) == 0);
    CHECK(pp_websocket_peer_get_current_outbound_buffered_amount(other) == 0);
    CHECK(pp_websocket_peer_set_no_delay(ws, true) == PP_ERR_UNCONFIGURED);
    CHECK(pp_websocket_peer_set_no_delay(NULL, true) == BAD && pp_websocket_peer_set_no_delay(other, true) == BAD);

    /* Properties. */
    CHECK(pp_websocket_peer_set_supported_protocols(ws, protos, 2) == PP_OK);
    CHECK(pp_websocket_peer_get_supported_protocols(ws, buf, sizeof buf, &len) == PP_OK);
    CHECK(strcmp(buf, "chat\nv2") == 0 && len == 7);
    CHECK(pp_websocket_peer_get_supported_protocols(ws, buf, 3, &len) == PP_ERR_PARAMETER_RANGE_ERROR && len == 7);
    CHECK(pp_websocket_peer_set_supported_protocols(ws, bad_protos, 1) == BAD);
    CHECK(pp_websocket_peer_set_supported_protocols(ws, NULL, 1) == BAD);
    CHECK(pp_websocket_peer_set_supported_protocols(other, protos, 2) == BAD);
    CHECK(pp_websocket_peer_set_supported_protocols(ws, NULL, 0) == PP_OK);
    CHECK(pp_websocket_peer_set_handshake_headers(ws, headers, 1) == PP_OK);
    CHECK(pp_websocket_peer_get_handshake_headers(ws, buf, sizeof buf, NULL) == PP_OK && strcmp(buf, "X-Game: 1") == 0);
    CHECK(pp_websocket_peer_set_handshake_headers(ws, bad_headers, 1) == BAD);
    CHECK(pp_websocket_peer_get_handshake_headers(NULL, buf, sizeof buf, NULL) == BAD);
    CHECK(pp_websocket_peer_set_handshake_headers(NULL, headers, 1) == BAD);
    CHECK(pp_websocket_peer_get_inbound_buffer_size(ws, &v) == PP_OK && v == 65535);
    CHECK(pp_websocket_peer_set_inbound_buffer_size(ws, 0) == BAD);
    CHECK(pp_websocket_peer_set_inbound_buffer_size(ws, 1 << 20) == PP_OK);
    CHECK(pp_websocket_peer_get_inbound_buffer_size(ws, &v) == PP_OK && v == 1 << 20);
    CHECK(pp_websocket_peer_get_inbound_buffer_size(other, &v) == BAD);
    CHECK(pp_websocket_peer_get_inbound_buffer_size(ws, NULL) == BAD);
    CHECK(pp_websocket_peer_get_outbound_buffer_size(ws, &v) == PP_OK && v == 65535);
    CHECK(pp_websocket_peer_set_outbound_buffer_size(ws, -1) == BAD);
    CHECK(pp_websocket_peer_set_outbound_buffer_size(ws, 0) == PP_OK);
    CHECK(pp_websocket_peer_set_outbound_buffer_size(other, 0) == BAD);
    CHECK(pp_websocket_peer_get_max_queued_packets(ws, &v) == PP_OK && v == 4096);
    CHECK(pp_websocket_peer_set_max_queued_packets(ws, 0) == BAD);
    CHECK(pp_websocket_peer_set_max_queued_packets(ws, 16) == PP_OK);
    CHECK(pp_websocket_peer_get_max_queued_packets(NULL, &v) == BAD);
    CHECK(pp_websocket_peer_get_heartbeat_interval(ws, &hb) == PP_OK && hb == 0.0);
    CHECK(pp_websocket_peer_set_heartbeat_interval(ws, -1.0) == BAD);
    CHECK(pp_websocket_peer_set_heartbeat_interval(ws, 2.5) == PP_OK);
    CHECK(pp_websocket_peer_get_heartbeat_interval(ws, &hb) == PP_OK && hb == 2.5);
    CHECK(pp_websocket_peer_get_heartbeat_interval(other, &hb) == BAD);
    CHECK(pp_websocket_peer_get_heartbeat_interval(ws, NULL) == BAD);
    CHECK(pp_websocket_peer_set_heartbeat_interval(other, 1.0) == BAD);
    CHECK(pp_websocket_peer_set_handshake_timeout(ws, -1.0) == BAD);
    CHECK(pp_websocket_peer_set_handshake_timeout(ws, 5.0) == PP_OK);
    CHECK(pp_websocket_peer_set_handshake_timeout(other, 5.0) == BAD);
    CHECK(pp_websocket_peer_get_stats(ws, &st) == PP_OK && st.messages_sent == 0);
    CHECK(pp_websocket_peer_get_stats(ws, NULL) == BAD && pp_websocket_peer_get_stats(other, &st) == BAD);

    pp_peer_free(ws);
    pp_peer_free(other);
    pp_peer_free(NULL);
    pp_stream_peer_free(notcp);
    pp_stream_peer_free(unconnected);
    return 0;
}

static int test_exchange(void) {
    pp_peer *c = NULL, *s = NULL;
    pp_variant *out = NULL, *in = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    const char *protos[1] = {"chat"};
    char buf[128];
    int32_t code = 0;
    int64_t iv = 0;
    pp_websocket_stats st;
    uint8_t big[70000];

    CHECK(pp_websocket_peer_new(&c) == PP_OK && pp_websocket_peer_new(&s) == PP_OK);
    CHECK(pp_websocket_peer_set_supported_protocols(c, protos, 1) == PP_OK);
    CHECK(pp_websocket_peer_set_supported_protocols(s, protos, 1) == PP_OK);
    if (connect_pair(c, s)) return 1;
    CHECK(pp_websocket_peer_get_selected_protocol(c, buf, sizeof buf, NULL) == PP_OK && strcmp(buf, "chat") == 0);
    CHECK(pp_websocket_peer_get_requested_url(s, buf, sizeof buf, NULL) == PP_OK);
    CHECK(strncmp(buf, "ws://127.0.0.1:", 15) == 0 && strstr(buf, "/chat?room=1") != NULL);
    CHECK(pp_websocket_peer_get_connected_host(c, buf, sizeof buf, NULL) == PP_OK && strcmp(buf, "127.0.0.1") == 0);
    CHECK(pp_websocket_peer_get_connected_port(c) > 0);
    CHECK(pp_websocket_peer_set_no_delay(c, true) == PP_OK);

    /* Text, binary, a Variant. */
    CHECK(pp_websocket_peer_send_text(c, "h\xc3\xa9llo") == PP_OK);
    CHECK(pp_websocket_peer_send(c, (const uint8_t *)"\x01\x02", 2, PP_WEBSOCKET_WRITE_MODE_BINARY) == PP_OK);
    CHECK(pp_websocket_peer_send(c, (const uint8_t *)"\xff", 1, PP_WEBSOCKET_WRITE_MODE_TEXT) == BAD);
    CHECK(pp_variant_new_int(42, &out) == PP_OK && pp_put_var(c, out, false) == PP_OK);
    CHECK(pump_count(c, s, 3));
    CHECK(pp_get_packet(s, &data, &len) == PP_OK && len == 6 && memcmp(data, "h\xc3\xa9llo", 6) == 0);
    CHECK(pp_websocket_peer_was_string_packet(s));
    CHECK(pp_get_packet(s, &data, &len) == PP_OK && len == 2 && data[1] == 2);
    CHECK(!pp_websocket_peer_was_string_packet(s));
    CHECK(pp_get_var(s, false, &in) == PP_OK && pp_variant_get_int(in, &iv) == PP_OK && iv == 42);
    CHECK(pp_get_packet(s, &data, &len) == PP_ERR_UNAVAILABLE);

    /* Refused sends are counted: a message over outbound_buffer_size (65535). */
    memset(big, 7, sizeof big);
    CHECK(pp_websocket_peer_send(c, big, sizeof big, PP_WEBSOCKET_WRITE_MODE_BINARY) == PP_ERR_OUT_OF_MEMORY);
    CHECK(pp_websocket_peer_get_stats(c, &st) == PP_OK && st.refused_too_big == 1 && st.messages_sent == 3);

    /* Server → client, then the client closes with a code and reason; the message stays readable. */
    CHECK(pp_websocket_peer_send_text(s, "bye") == PP_OK);
    CHECK(pump_count(s, c, 1));
    CHECK(pp_websocket_peer_close(c, 4000, "done") == PP_OK);
    CHECK(pp_websocket_peer_get_ready_state(c) == PP_WEBSOCKET_PEER_STATE_CLOSING);
    CHECK(pump_state(c, s, PP_WEBSOCKET_PEER_STATE_CLOSED));
    CHECK(pp_websocket_peer_get_close_code(s, &code) == PP_OK && code == 4000);
    CHECK(pp_websocket_peer_get_close_reason(s, buf, sizeof buf, NULL) == PP_OK && strcmp(buf, "done") == 0);
    CHECK(pp_websocket_peer_get_close_code(c, &code) == PP_OK && code == 4000);
    CHECK(pp_get_packet(c, &data, &len) == PP_OK && len == 3 && memcmp(data, "bye", 3) == 0);

    pp_variant_free(out);
    pp_variant_free(in);
    pp_peer_free(c);
    pp_peer_free(s);
    return 0;
}

static int test_over_limit(void) {
    pp_peer *c = NULL, *s = NULL;
    static uint8_t big[70000];
    int32_t code = 0;
    char buf[64];

    CHECK(pp_websocket_peer_new(&c) == PP_OK && pp_websocket_peer_new(&s) == PP_OK);
    CHECK(pp_websocket_peer_set_outbound_buffer_size(c, 0) == PP_OK);
    if (connect_pair(c, s)) return 1;
    CHECK(pp_websocket_peer_send(c, big, sizeof big, PP_WEBSOCKET_WRITE_MODE_BINARY) == PP_OK);
    CHECK(pump_state(c, s, PP_WEBSOCKET_PEER_STATE_CLOSED));
    CHECK(pp_websocket_peer_get_close_code(s, &code) == PP_OK && code == 1009);
    CHECK(pp_websocket_peer_get_close_reason(s, buf, sizeof buf, NULL) == PP_OK && strcmp(buf, "Message too big") == 0);
    CHECK(pp_websocket_peer_get_close_code(c, &code) == PP_OK && code == 1009);
    pp_peer_free(c);
    pp_peer_free(s);
    return 0;
}

static int test_multiplayer(void) {
    pp_peer *srv = NULL, *cl = NULL, *ws = NULL;
    const char *protos[1] = {"game"};
    char url[64], buf[64];
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t id = 0, from = 0, port = 0;
    pp_multiplayer_peer_connection_status status = PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED;
    pp_multiplayer_event ev;
    int i;

    CHECK(pp_websocket_multiplayer_peer_new(NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_new(&srv) == PP_OK && pp_websocket_multiplayer_peer_new(&cl) == PP_OK);
    CHECK(pp_websocket_peer_new(&ws) == PP_OK); /* another class */
    CHECK(pp_websocket_multiplayer_peer_create_server(NULL, 0, NULL, NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_create_server(ws, 0, NULL, NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_create_server(srv, 70000, NULL, NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_create_client(cl, "", NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_create_client(ws, "ws://127.0.0.1:1", NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_handshake_timeout(srv, 0.0) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_handshake_timeout(srv, 5.0) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_set_handshake_timeout(ws, 5.0) == BAD);
    CHECK(pp_websocket_multiplayer_peer_configure(srv, protos, 1, 0, 65535, 64) == BAD);
    CHECK(pp_websocket_multiplayer_peer_configure(srv, protos, 1, 1 << 20, 1 << 20, 64) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_configure(cl, protos, 1, 1 << 20, 1 << 20, 64) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_configure(ws, protos, 1, 1 << 20, 1 << 20, 64) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_local_port(srv) == 0);
    CHECK(pp_websocket_multiplayer_peer_set_godot3_compat(NULL, true) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_godot3_compat(ws, true) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_godot3_compat(srv, true) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_set_godot3_compat(srv, false) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_create_server(srv, 0, "127.0.0.1", NULL) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_create_server(srv, 0, "127.0.0.1", NULL) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_websocket_multiplayer_peer_set_godot3_compat(srv, true) == PP_ERR_ALREADY_IN_USE);
    port = pp_websocket_multiplayer_peer_get_local_port(srv);
    CHECK(port > 0 && pp_websocket_multiplayer_peer_get_local_port(ws) == 0);
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", (int)port);
    CHECK(pp_websocket_multiplayer_peer_create_client(cl, url, NULL) == PP_OK);
    for (i = 0; i < 30000; i++) {
        (void)pp_multiplayer_peer_poll(srv);
        (void)pp_multiplayer_peer_poll(cl);
        if (pp_multiplayer_peer_get_connection_status(cl, &status) == PP_OK &&
            status == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED)
            break;
        nap_1ms();
    }
    CHECK(status == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
    CHECK(pp_multiplayer_peer_get_unique_id(cl, &id) == PP_OK && id >= 2);
    CHECK(pp_multiplayer_peer_pop_event(srv, &ev) == PP_OK && ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev.peer_id == id);
    CHECK(pp_websocket_multiplayer_peer_get_peer_address(srv, id, buf, sizeof buf, NULL) == PP_OK);
    CHECK(strcmp(buf, "127.0.0.1") == 0);
    CHECK(pp_websocket_multiplayer_peer_get_peer_address(srv, 999, buf, sizeof buf, NULL) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_websocket_multiplayer_peer_get_peer_address(ws, id, buf, sizeof buf, NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_peer_port(srv, id, &port) == PP_OK && port > 0);
    CHECK(pp_websocket_multiplayer_peer_get_peer_port(srv, 999, &port) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_websocket_multiplayer_peer_get_peer_port(srv, id, NULL) == BAD);

    CHECK(pp_multiplayer_peer_set_target_peer(srv, id) == PP_OK);
    CHECK(pp_put_packet(srv, (const uint8_t *)"to-you", 6) == PP_OK);
    CHECK(pp_put_packet(cl, (const uint8_t *)"to-srv", 6) == PP_OK);
    for (i = 0; i < 30000; i++) {
        int32_t a = 0, b = 0;
        (void)pp_multiplayer_peer_poll(srv);
        (void)pp_multiplayer_peer_poll(cl);
        if (pp_get_available_packet_count(srv, &a) == PP_OK && a == 1 && pp_get_available_packet_count(cl, &b) == PP_OK && b == 1)
            break;
        nap_1ms();
    }
    CHECK(pp_multiplayer_peer_get_packet_peer(srv, &from) == PP_OK && from == id);
    CHECK(pp_get_packet(srv, &data, &len) == PP_OK && len == 6 && memcmp(data, "to-srv", 6) == 0);
    CHECK(pp_multiplayer_peer_get_packet_peer(cl, &from) == PP_OK && from == 1);
    CHECK(pp_get_packet(cl, &data, &len) == PP_OK && len == 6 && memcmp(data, "to-you", 6) == 0);

    pp_peer_free(cl);
    pp_peer_free(srv);
    pp_peer_free(ws);
    return 0;
}

/* wss between our client and our server: the TLS options arguments (NULL, wrong class, the wrong
 * kind), accept_stream over a StreamPeerTLS, the TLS status and last error, a hostname mismatch. */
static int test_wss(void) {
    pp_crypto_key *key = NULL;
    pp_x509_certificate *cert = NULL;
    pp_tls_options *so = NULL, *co = NULL, *wrong_name = NULL;
    pp_peer *c = NULL, *s = NULL, *udp = NULL;
    pp_tcp_server *srv = NULL;
    pp_stream_peer *conn = NULL, *tls = NULL, *idle_tls = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    char url[96], buf[512];
    int32_t code = 0;
    int i, round;

    CHECK(pp_crypto_key_load_pem((const uint8_t *)EC_KEY_PEM, strlen(EC_KEY_PEM), false, &key) == PP_OK);
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)EC_CERT_PEM, strlen(EC_CERT_PEM), &cert) == PP_OK);
    CHECK(pp_tls_options_server(key, cert, &so) == PP_OK);
    CHECK(pp_tls_options_client(cert, "localhost", &co) == PP_OK);
    CHECK(pp_tls_options_client(cert, "wrong.example", &wrong_name) == PP_OK);
    CHECK(pp_websocket_peer_new(&c) == PP_OK && pp_websocket_peer_new(&s) == PP_OK);
    CHECK(pp_packet_peer_udp_new(&udp) == PP_OK);

    /* Bad options: server options to a client, another handle type as options. Nothing changes. */
    CHECK(pp_websocket_peer_connect_to_url(c, "wss://127.0.0.1:1/", so) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(c, "wss://127.0.0.1:1/", (const pp_tls_options *)cert) == BAD);
    CHECK(pp_websocket_peer_connect_to_url(c, "wss://127.0.0.1:1/", (const pp_tls_options *)udp) == BAD);
    CHECK(pp_websocket_peer_get_ready_state(c) == PP_WEBSOCKET_PEER_STATE_CLOSED);
    CHECK(pp_websocket_peer_get_tls_status(c) == PP_TLS_STATUS_DISCONNECTED);
    CHECK(pp_websocket_peer_get_tls_status(NULL) == PP_TLS_STATUS_DISCONNECTED);
    CHECK(pp_websocket_peer_get_tls_status(udp) == PP_TLS_STATUS_DISCONNECTED);
    CHECK(pp_websocket_peer_get_last_error_text(c, buf, sizeof buf, &len) == PP_OK && len == 0);
    CHECK(pp_websocket_peer_get_last_error_text(NULL, buf, sizeof buf, &len) == BAD);
    CHECK(pp_websocket_peer_get_last_error_text(udp, buf, sizeof buf, &len) == BAD);
    CHECK(pp_websocket_peer_get_last_error_text(c, NULL, 5, &len) == BAD);
    /* A StreamPeerTLS that never started a handshake cannot be accepted. */
    CHECK(pp_stream_peer_tls_new(&idle_tls) == PP_OK);
    CHECK(pp_websocket_peer_accept_stream(s, idle_tls) == BAD);

    CHECK(pp_tcp_server_new(&srv) == PP_OK && pp_tcp_server_listen(srv, 0, "127.0.0.1") == PP_OK);
    snprintf(url, sizeof url, "wss://127.0.0.1:%d/secure", pp_tcp_server_get_local_port(srv));
    /* Round 0: trusted chain, name override "localhost": OPEN. Round 1: a name the certificate does
     * not hold: the client turns CLOSED with ERROR_HOSTNAME_MISMATCH and the reason. Round 2: as round
     * 0, with the server's TLS handshake finished before accept_stream. */
    for (round = 0; round < 3; round++) {
        CHECK(pp_websocket_peer_connect_to_url(c, url, round == 1 ? wrong_name : co) == PP_OK);
        conn = NULL;
        for (i = 0; i < 30000 && pp_tcp_server_take_connection(srv, &conn) != PP_OK; i++) {
            (void)pp_websocket_peer_poll(c);
            nap_1ms();
        }
        CHECK(conn != NULL);
        CHECK(pp_stream_peer_tls_new(&tls) == PP_OK);
        CHECK(pp_stream_peer_tls_accept_stream(tls, conn, so) == PP_OK);
        for (i = 0; round == 2 && i < 30000 && pp_stream_peer_tls_get_status(tls) != PP_TLS_STATUS_CONNECTED; i++) {
            (void)pp_websocket_peer_poll(c);
            (void)pp_stream_peer_tls_poll(tls);
            nap_1ms();
        }
        CHECK(round != 2 || pp_stream_peer_tls_get_status(tls) == PP_TLS_STATUS_CONNECTED);
        CHECK(pp_websocket_peer_accept_stream(s, tls) == PP_OK);
        /* The session moved into the WebSocketPeer. */
        CHECK(pp_stream_peer_tls_get_status(tls) == PP_TLS_STATUS_DISCONNECTED);
        pp_stream_peer_free(tls);
        pp_stream_peer_free(conn);
        tls = conn = NULL;
        if (round != 1) {
            CHECK(pump_state(c, s, PP_WEBSOCKET_PEER_STATE_OPEN));
            CHECK(pp_websocket_peer_get_tls_status(c) == PP_TLS_STATUS_CONNECTED);
            CHECK(pp_websocket_peer_get_tls_status(s) == PP_TLS_STATUS_CONNECTED);
            CHECK(pp_websocket_peer_get_requested_url(s, buf, sizeof buf, NULL) == PP_OK);
            CHECK(strncmp(buf, "wss://127.0.0.1:", 16) == 0 && strstr(buf, "/secure") != NULL);
            CHECK(pp_websocket_peer_send_text(c, "over tls") == PP_OK);
            CHECK(pump_count(c, s, 1));
            CHECK(pp_get_packet(s, &data, &len) == PP_OK && len == 8 && memcmp(data, "over tls", 8) == 0);
            CHECK(pp_websocket_peer_close(s, 4001, "tls bye") == PP_OK);
            CHECK(pump_state(c, s, PP_WEBSOCKET_PEER_STATE_CLOSED));
            CHECK(pp_websocket_peer_get_close_code(c, &code) == PP_OK && code == 4001);
            CHECK(pp_websocket_peer_get_tls_status(c) == PP_TLS_STATUS_DISCONNECTED);
        } else {
            for (i = 0; i < 30000 && pp_websocket_peer_get_ready_state(c) != PP_WEBSOCKET_PEER_STATE_CLOSED; i++) {
                (void)pp_websocket_peer_poll(c);
                (void)pp_websocket_peer_poll(s);
                nap_1ms();
            }
            CHECK(pp_websocket_peer_get_ready_state(c) == PP_WEBSOCKET_PEER_STATE_CLOSED);
            CHECK(pp_websocket_peer_get_close_code(c, &code) == PP_OK && code == -1);
            CHECK(pp_websocket_peer_get_tls_status(c) == PP_TLS_STATUS_ERROR_HOSTNAME_MISMATCH);
            CHECK(pp_websocket_peer_get_last_error_text(c, buf, sizeof buf, &len) == PP_OK);
            CHECK(len > 0 && strstr(buf, "hostname mismatch") != NULL);
            CHECK(pp_websocket_peer_get_last_error_text(c, buf, 4, &len) == PP_ERR_PARAMETER_RANGE_ERROR);
            (void)pp_websocket_peer_close(s, -1, NULL);
        }
    }

    pp_tcp_server_free(srv);
    pp_stream_peer_free(idle_tls);
    pp_peer_free(c);
    pp_peer_free(s);
    pp_peer_free(udp);
    pp_tls_options_free(so);
    pp_tls_options_free(co);
    pp_tls_options_free(wrong_name);
    pp_x509_certificate_free(cert);
    pp_crypto_key_free(key);
    return 0;
}

/* WebSocketMultiplayerPeer: wss (server + two clients), the TLS options arguments, get_peer's lent
 * handles, and the per-connection properties. */
static int test_multiplayer_wss_and_properties(void) {
    pp_crypto_key *key = NULL;
    pp_x509_certificate *cert = NULL;
    pp_tls_options *so = NULL, *co = NULL;
    pp_peer *srv = NULL, *cl[2] = {NULL, NULL}, *ws = NULL, *lent = NULL, *lent2 = NULL;
    const char *protos[2] = {"game", "v2"};
    const char *bad_protos[1] = {""};
    const char *headers[1] = {"X-Server: packetpeer"};
    const char *bad_headers[1] = {"X: 1\r\nY: 2"};
    pp_multiplayer_peer_connection_status st[2] = {PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED,
                                                   PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED};
    char url[64], buf[128];
    size_t len = 0;
    int32_t v = 0, id = 0;
    double d = 0.0;
    int i, k;

    CHECK(pp_crypto_key_load_pem((const uint8_t *)EC_KEY_PEM, strlen(EC_KEY_PEM), false, &key) == PP_OK);
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)EC_CERT_PEM, strlen(EC_CERT_PEM), &cert) == PP_OK);
    CHECK(pp_tls_options_server(key, cert, &so) == PP_OK);
    CHECK(pp_tls_options_client(cert, "localhost", &co) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_new(&srv) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_new(&cl[0]) == PP_OK && pp_websocket_multiplayer_peer_new(&cl[1]) == PP_OK);
    CHECK(pp_websocket_peer_new(&ws) == PP_OK); /* another class */

    /* Properties: defaults, set/get, bounds, NULL, wrong class. */
    CHECK(pp_websocket_multiplayer_peer_get_handshake_timeout(srv, &d) == PP_OK && d == 3.0);
    CHECK(pp_websocket_multiplayer_peer_set_handshake_timeout(srv, 60.0) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_get_handshake_timeout(srv, &d) == PP_OK && d == 60.0);
    CHECK(pp_websocket_multiplayer_peer_get_handshake_timeout(ws, &d) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_handshake_timeout(srv, NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_supported_protocols(srv, protos, 2) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_get_supported_protocols(srv, buf, sizeof buf, &len) == PP_OK);
    CHECK(strcmp(buf, "game\nv2") == 0 && len == 7);
    CHECK(pp_websocket_multiplayer_peer_set_supported_protocols(srv, bad_protos, 1) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_supported_protocols(srv, NULL, 1) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_supported_protocols(ws, protos, 2) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_supported_protocols(ws, buf, sizeof buf, &len) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_handshake_headers(srv, headers, 1) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_set_handshake_headers(srv, bad_headers, 1) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_handshake_headers(NULL, headers, 1) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_handshake_headers(srv, buf, sizeof buf, NULL) == PP_OK);
    CHECK(strcmp(buf, "X-Server: packetpeer") == 0);
    CHECK(pp_websocket_multiplayer_peer_get_handshake_headers(srv, buf, 3, &len) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_websocket_multiplayer_peer_get_handshake_headers(ws, buf, sizeof buf, NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_inbound_buffer_size(srv, &v) == PP_OK && v == 65535);
    CHECK(pp_websocket_multiplayer_peer_set_inbound_buffer_size(srv, 0) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_inbound_buffer_size(srv, 1 << 20) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_get_inbound_buffer_size(srv, &v) == PP_OK && v == 1 << 20);
    CHECK(pp_websocket_multiplayer_peer_get_inbound_buffer_size(ws, &v) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_inbound_buffer_size(ws, 100) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_outbound_buffer_size(srv, &v) == PP_OK && v == 65535);
    CHECK(pp_websocket_multiplayer_peer_set_outbound_buffer_size(srv, -1) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_outbound_buffer_size(srv, 1 << 20) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_get_outbound_buffer_size(srv, &v) == PP_OK && v == 1 << 20);
    CHECK(pp_websocket_multiplayer_peer_get_outbound_buffer_size(srv, NULL) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_outbound_buffer_size(ws, 1) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_max_queued_packets(srv, &v) == PP_OK && v == 4096);
    CHECK(pp_websocket_multiplayer_peer_set_max_queued_packets(srv, 0) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_max_queued_packets(srv, 256) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_get_max_queued_packets(srv, &v) == PP_OK && v == 256);
    CHECK(pp_websocket_multiplayer_peer_get_max_queued_packets(ws, &v) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_max_queued_packets(NULL, 1) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_heartbeat_interval(srv, &d) == PP_OK && d == 0.0);
    CHECK(pp_websocket_multiplayer_peer_set_heartbeat_interval(srv, -1.0) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_heartbeat_interval(srv, 5.0) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_get_heartbeat_interval(srv, &d) == PP_OK && d == 5.0);
    CHECK(pp_websocket_multiplayer_peer_get_heartbeat_interval(ws, &d) == BAD);
    CHECK(pp_websocket_multiplayer_peer_set_heartbeat_interval(ws, 1.0) == BAD);
    /* configure changes its four settings only. */
    CHECK(pp_websocket_multiplayer_peer_configure(srv, protos, 1, 1 << 20, 1 << 20, 256) == PP_OK);
    CHECK(pp_websocket_multiplayer_peer_get_handshake_headers(srv, buf, sizeof buf, NULL) == PP_OK);
    CHECK(strcmp(buf, "X-Server: packetpeer") == 0);
    CHECK(pp_websocket_multiplayer_peer_get_supported_protocols(srv, buf, sizeof buf, NULL) == PP_OK);
    CHECK(strcmp(buf, "game") == 0);
    for (k = 0; k < 2; k++) {
        CHECK(pp_websocket_multiplayer_peer_set_supported_protocols(cl[k], protos, 1) == PP_OK);
        CHECK(pp_websocket_multiplayer_peer_set_handshake_timeout(cl[k], 60.0) == PP_OK); /* valgrind, ASan */
    }

    /* get_peer before anything is set up. */
    CHECK(pp_websocket_multiplayer_peer_get_peer(srv, 2, &lent) == PP_ERR_UNCONFIGURED);
    CHECK(pp_websocket_multiplayer_peer_get_peer(NULL, 2, &lent) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_peer(ws, 2, &lent) == BAD);
    CHECK(pp_websocket_multiplayer_peer_get_peer(srv, 2, NULL) == BAD);

    /* TLS options of the wrong kind or class. */
    CHECK(pp_websocket_multiplayer_peer_create_server(srv, 0, "127.0.0.1", co) == BAD);
    CHECK(pp_websocket_multiplayer_peer_create_server(srv, 0, "127.0.0.1", (const pp_tls_options *)cert) == BAD);
    CHECK(pp_websocket_multiplayer_peer_create_client(cl[0], "wss://127.0.0.1:1", so) == BAD);
    CHECK(pp_websocket_multiplayer_peer_create_client(cl[0], "wss://127.0.0.1:1", (const pp_tls_options *)key) == BAD);
    CHECK(pp_multiplayer_peer_get_connection_status(cl[0], &st[0]) == PP_OK &&
          st[0] == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);

    CHECK(pp_websocket_multiplayer_peer_create_server(srv, 0, "127.0.0.1", so) == PP_OK);
    snprintf(url, sizeof url, "wss://127.0.0.1:%d", (int)pp_websocket_multiplayer_peer_get_local_port(srv));
    for (k = 0; k < 2; k++) CHECK(pp_websocket_multiplayer_peer_create_client(cl[k], url, co) == PP_OK);
    for (i = 0; i < 30000; i++) {
        (void)pp_multiplayer_peer_poll(srv);
        for (k = 0; k < 2; k++) {
            (void)pp_multiplayer_peer_poll(cl[k]);
            (void)pp_multiplayer_peer_get_connection_status(cl[k], &st[k]);
        }
        if (st[0] == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED && st[1] == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED) break;
        nap_1ms();
    }
    CHECK(st[0] == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED && st[1] == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
    CHECK(pp_multiplayer_peer_get_unique_id(cl[0], &id) == PP_OK && id >= 2);

    /* A client with the default options (system CAs) is refused, and says why. */
    {
        pp_peer *untrusted = NULL;
        pp_multiplayer_peer_connection_status ust = PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING;
        CHECK(pp_websocket_multiplayer_peer_new(&untrusted) == PP_OK);
        CHECK(pp_websocket_multiplayer_peer_get_last_error_text(untrusted, buf, sizeof buf, &len) == PP_OK && len == 0);
        CHECK(pp_websocket_multiplayer_peer_set_handshake_timeout(untrusted, 60.0) == PP_OK); /* valgrind */
        CHECK(pp_websocket_multiplayer_peer_create_client(untrusted, url, NULL) == PP_OK);
        for (i = 0; i < 30000 && ust != PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED; i++) {
            (void)pp_multiplayer_peer_poll(srv);
            (void)pp_multiplayer_peer_poll(untrusted);
            (void)pp_multiplayer_peer_get_connection_status(untrusted, &ust);
            nap_1ms();
        }
        CHECK(ust == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);
        CHECK(pp_websocket_multiplayer_peer_get_last_error_text(untrusted, buf, sizeof buf, &len) == PP_OK);
        if (!(len > 0 && strstr(buf, "TLS") != NULL)) fprintf(stderr, "untrusted client: %s\n", buf);
        CHECK(len > 0 && strstr(buf, "TLS") != NULL);
        CHECK(pp_websocket_multiplayer_peer_get_last_error_text(untrusted, buf, 2, &len) == PP_ERR_PARAMETER_RANGE_ERROR);
        CHECK(pp_websocket_multiplayer_peer_get_last_error_text(NULL, buf, sizeof buf, &len) == BAD);
        CHECK(pp_websocket_multiplayer_peer_get_last_error_text(ws, buf, sizeof buf, &len) == BAD);
        pp_peer_free(untrusted);
    }

    /* The server's view of client 0: a lent WebSocketPeer over TLS, the same handle each time. */
    CHECK(pp_websocket_multiplayer_peer_get_peer(srv, id, &lent) == PP_OK && lent != NULL);
    CHECK(pp_websocket_multiplayer_peer_get_peer(srv, id, &lent2) == PP_OK && lent2 == lent);
    CHECK(pp_websocket_peer_get_ready_state(lent) == PP_WEBSOCKET_PEER_STATE_OPEN);
    CHECK(pp_websocket_peer_get_tls_status(lent) == PP_TLS_STATUS_CONNECTED);
    CHECK(pp_websocket_peer_get_selected_protocol(lent, buf, sizeof buf, NULL) == PP_OK && strcmp(buf, "game") == 0);
    CHECK(pp_websocket_peer_get_requested_url(lent, buf, sizeof buf, NULL) == PP_OK && strncmp(buf, "wss://", 6) == 0);
    pp_peer_free(lent); /* lent: ignored */
    CHECK(pp_websocket_peer_get_ready_state(lent) == PP_WEBSOCKET_PEER_STATE_OPEN);
    CHECK(pp_websocket_multiplayer_peer_get_peer(srv, 999, &lent2) == PP_ERR_DOES_NOT_EXIST);
    /* A client knows only the server. */
    CHECK(pp_websocket_multiplayer_peer_get_peer(cl[1], 1, &lent2) == PP_OK);
    CHECK(pp_websocket_peer_get_tls_status(lent2) == PP_TLS_STATUS_CONNECTED);
    CHECK(pp_websocket_multiplayer_peer_get_peer(cl[1], id, &lent2) == PP_ERR_DOES_NOT_EXIST);

    /* A packet each way over wss. */
    CHECK(pp_multiplayer_peer_set_target_peer(srv, id) == PP_OK);
    CHECK(pp_put_packet(srv, (const uint8_t *)"tls", 3) == PP_OK);
    for (i = 0; i < 30000; i++) {
        int32_t n = 0;
        (void)pp_multiplayer_peer_poll(srv);
        (void)pp_multiplayer_peer_poll(cl[0]);
        if (pp_get_available_packet_count(cl[0], &n) == PP_OK && n == 1) break;
        nap_1ms();
    }
    {
        const uint8_t *data = NULL;
        CHECK(pp_get_packet(cl[0], &data, &len) == PP_OK && len == 3 && memcmp(data, "tls", 3) == 0);
    }

    /* Client 0 leaves; the lent handle stays valid, its connection is gone. */
    CHECK(pp_multiplayer_peer_close(cl[0]) == PP_OK);
    for (i = 0; i < 30000 && pp_websocket_multiplayer_peer_get_peer(srv, id, &lent2) == PP_OK; i++) {
        (void)pp_multiplayer_peer_poll(srv);
        nap_1ms();
    }
    CHECK(pp_websocket_multiplayer_peer_get_peer(srv, id, &lent2) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_websocket_peer_get_ready_state(lent) == PP_WEBSOCKET_PEER_STATE_CLOSED);

    for (k = 0; k < 2; k++) pp_peer_free(cl[k]);
    pp_peer_free(srv);
    pp_peer_free(ws);
    pp_tls_options_free(so);
    pp_tls_options_free(co);
    pp_x509_certificate_free(cert);
    pp_crypto_key_free(key);
    return 0;
}

int main(void) {
    if (test_calls_and_bad_input() || test_exchange() || test_over_limit() || test_multiplayer() || test_wss() ||
        test_multiplayer_wss_and_properties())
        return 1;
    printf("test_websocket: all passed\n");
    return 0;
}
