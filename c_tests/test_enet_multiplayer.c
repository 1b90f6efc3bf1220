/* C API of ENetMultiplayerPeer: every pp_enet_multiplayer_peer_* export (success, NULL arguments,
 * wrong class, bad values), then a server and two clients on loopback using the generic
 * pp_multiplayer_peer_* calls, get_host / get_peer ownership, and a mesh pair. */
#define _POSIX_C_SOURCE 200809L
#include "packetpeer.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); return 1; } } while (0)

static void nap(void) {
    struct timespec ts = {0, 1000000}; /* 1 ms */
    nanosleep(&ts, NULL);
}

static int32_t count_of(pp_peer *p) {
    int32_t n = -1;
    if (pp_get_available_packet_count(p, &n) != PP_OK) return -1;
    return n;
}

static int32_t status_of(pp_peer *p) {
    pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED;
    if (pp_multiplayer_peer_get_connection_status(p, &st) != PP_OK) return -1;
    return (int32_t)st;
}

/* Bounds below are generous (about 30 s): a loaded machine running this under valgrind can be slow,
 * and only a failing test waits that long. */

/* Polls all peers until the server knows `n` clients and every client is connected (about 30 s max). */
static int wait_connected(pp_peer *s, pp_peer **cs, int n, int *out_joined) {
    int i, k, joined = 0;
    for (i = 0; i < 30000; i++) {
        pp_multiplayer_event ev;
        int ok = 1;
        pp_multiplayer_peer_poll(s);
        while (pp_multiplayer_peer_pop_event(s, &ev) == PP_OK)
            if (ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED) joined++;
        for (k = 0; k < n; k++) {
            pp_multiplayer_peer_poll(cs[k]);
            if (status_of(cs[k]) != PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED) ok = 0;
        }
        if (ok && joined == n) { *out_joined = joined; return 1; }
        nap();
    }
    return 0;
}

/* Polls `rx` (and `other`) until a packet is queued on `rx`, at most `rounds` times (1 ms apart). */
static int wait_packet_rounds(pp_peer *rx, pp_peer *other, int rounds) {
    int i;
    for (i = 0; i < rounds; i++) {
        pp_multiplayer_peer_poll(rx);
        if (other) pp_multiplayer_peer_poll(other);
        if (count_of(rx) > 0) return 1;
        nap();
    }
    return 0;
}

/* Polls `rx` (and `other`) until a packet is queued on `rx` (about 30 s max). */
static int wait_packet(pp_peer *rx, pp_peer *other) { return wait_packet_rounds(rx, other, 30000); }

/* Sends `msg` from `tx` (in its current mode) again about every 200 ms until it is queued on `rx`
 * (about 30 s max): unreliable packets may be dropped (ENet's throttle, a full socket buffer). */
static int send_until_received(pp_peer *tx, pp_peer *rx, const char *msg) {
    int k;
    for (k = 0; k < 150; k++) {
        if (pp_put_packet(tx, (const uint8_t *)msg, strlen(msg)) != PP_OK) return 0;
        if (wait_packet_rounds(rx, tx, 200)) return 1;
    }
    return 0;
}

int main(void) {
    pp_peer *s = NULL, *c[2] = {NULL, NULL}, *offline = NULL, *ep = NULL, *ep2 = NULL;
    pp_enet_connection *host = NULL, *host2 = NULL, *bare = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t port, id0 = 0, id1 = 0, v = 0, joined = 0, i;
    bool b = false;
    pp_multiplayer_peer_transfer_mode mode;

    /* NULL arguments */
    CHECK(pp_enet_multiplayer_peer_new(NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_server(NULL, 0, 32, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_client(NULL, "127.0.0.1", 1, 0, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_mesh(NULL, 2) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_add_mesh_peer(NULL, 2, NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(NULL, "*") == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_host(NULL, &host) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_peer(NULL, 1, &ep) == PP_ERR_INVALID_PARAMETER);

    CHECK(pp_enet_multiplayer_peer_new(&s) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_create_client(s, NULL, 1, 0, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(s, NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_host(s, NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_peer(s, 1, NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_add_mesh_peer(s, 2, NULL) == PP_ERR_INVALID_PARAMETER);

    /* wrong class */
    CHECK(pp_offline_multiplayer_peer_new(&offline) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_create_server(offline, 0, 32, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_client(offline, "127.0.0.1", 1, 0, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_mesh(offline, 2) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(offline, "*") == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_host(offline, &host) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_peer(offline, 1, &ep) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_new(&bare) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_add_mesh_peer(offline, 2, bare) == PP_ERR_INVALID_PARAMETER);

    /* inactive: bad values and the getters */
    CHECK(pp_enet_multiplayer_peer_get_host(s, &host) == PP_ERR_UNCONFIGURED);
    CHECK(pp_enet_multiplayer_peer_get_peer(s, 1, &ep) == PP_ERR_UNCONFIGURED);
    CHECK(pp_enet_multiplayer_peer_add_mesh_peer(s, 2, bare) == PP_ERR_UNCONFIGURED);
    CHECK(pp_multiplayer_peer_get_unique_id(s, &v) == PP_OK && v == 0);
    CHECK(pp_multiplayer_peer_poll(s) == PP_ERR_UNCONFIGURED);
    CHECK(pp_put_packet(s, (const uint8_t *)"x", 1) == PP_ERR_UNCONFIGURED);
    CHECK(pp_get_max_packet_size(s, &v) == PP_OK && v == 16777216);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(s, "localhost") == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(s, "*") == PP_OK);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(s, "127.0.0.1") == PP_OK);
    CHECK(pp_enet_multiplayer_peer_create_mesh(s, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 70000, 32, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 0, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 4096, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 32, 254, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 32, 0, -1, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_client(s, "127.0.0.1", 0, 0, 0, 0, 0) == PP_ERR_CANT_CREATE);
    CHECK(pp_enet_multiplayer_peer_create_client(s, "127.0.0.1", 1, -1, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_client(s, "127.0.0.1", 1, 254, 0, 0, 0) == PP_ERR_CANT_CREATE);
    CHECK(pp_enet_multiplayer_peer_create_client(s, "127.0.0.1", 1, 0, 0, 0, 70000) == PP_ERR_INVALID_PARAMETER);

    /* a server on loopback with two clients */
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 8, 4, 0, 0) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 8, 0, 0, 0) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_enet_multiplayer_peer_create_mesh(s, 3) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_multiplayer_peer_get_unique_id(s, &v) == PP_OK && v == 1);
    CHECK(pp_multiplayer_peer_is_server(s, &b) == PP_OK && b);
    CHECK(pp_multiplayer_peer_is_server_relay_supported(s, &b) == PP_OK && b);
    CHECK(pp_enet_multiplayer_peer_get_host(s, &host) == PP_OK && host != NULL);
    CHECK(pp_enet_connection_get_max_channels(host) == 6); /* 4 user channels + 2 */
    port = pp_enet_connection_get_local_port(host);
    CHECK(port > 0);
    for (i = 0; i < 2; i++) {
        CHECK(pp_enet_multiplayer_peer_new(&c[i]) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_create_client(c[i], "127.0.0.1", port, 4, 0, 0, 0) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_create_client(c[i], "127.0.0.1", port, 4, 0, 0, 0) == PP_ERR_ALREADY_IN_USE);
        CHECK(status_of(c[i]) == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING);
        CHECK(pp_enet_multiplayer_peer_get_host(c[i], &host2) == PP_OK);
        pp_enet_connection_free(host2); /* only a shared handle: the client keeps its host */
        host2 = NULL;
    }
    CHECK(wait_connected(s, c, 2, &joined) && joined == 2);
    CHECK(pp_multiplayer_peer_get_unique_id(c[0], &id0) == PP_OK && id0 >= 2);
    CHECK(pp_multiplayer_peer_get_unique_id(c[1], &id1) == PP_OK && id1 >= 2 && id1 != id0);

    /* get_peer: lent handles, valid until the multiplayer peer is freed */
    CHECK(pp_enet_multiplayer_peer_get_peer(s, id0, &ep) == PP_OK && ep != NULL);
    CHECK(pp_enet_multiplayer_peer_get_peer(s, id0, &ep2) == PP_OK && ep2 == ep);
    CHECK(pp_enet_packet_peer_get_state(ep) == PP_ENET_PEER_STATE_CONNECTED);
    CHECK(pp_enet_packet_peer_get_channels(ep) == 6);
    CHECK(pp_enet_multiplayer_peer_get_peer(s, 12345, &ep2) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_enet_multiplayer_peer_get_peer(c[0], 2, &ep2) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_enet_multiplayer_peer_get_peer(c[0], 1, &ep2) == PP_OK);
    pp_peer_free(ep2); /* ignored: lent */
    CHECK(pp_enet_packet_peer_is_active(ep2));

    /* client -> server on user channel 2, unreliable */
    CHECK(pp_multiplayer_peer_set_transfer_mode(c[0], PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE) == PP_OK);
    CHECK(pp_multiplayer_peer_set_transfer_channel(c[0], 2) == PP_OK);
    CHECK(pp_multiplayer_peer_set_target_peer(c[0], 1) == PP_OK);
    CHECK(send_until_received(c[0], s, "hello"));
    CHECK(pp_multiplayer_peer_get_packet_peer(s, &v) == PP_OK && v == id0);
    CHECK(pp_multiplayer_peer_get_packet_channel(s, &v) == PP_OK && v == 2);
    CHECK(pp_multiplayer_peer_get_packet_mode(s, &mode) == PP_OK && mode == PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE);
    CHECK(pp_get_packet(s, &data, &len) == PP_OK && len == 5 && memcmp(data, "hello", 5) == 0);
    while (count_of(s) > 0) /* earlier copies that arrived after all */
        CHECK(pp_get_packet(s, &data, &len) == PP_OK && len == 5 && memcmp(data, "hello", 5) == 0);
    CHECK(pp_get_packet(s, &data, &len) == PP_ERR_UNAVAILABLE);

    /* server -> all but c[0], reliable */
    CHECK(pp_multiplayer_peer_set_target_peer(s, -id0) == PP_OK);
    CHECK(pp_put_packet(s, (const uint8_t *)"news", 4) == PP_OK);
    CHECK(wait_packet(c[1], s));
    CHECK(pp_multiplayer_peer_get_packet_mode(c[1], &mode) == PP_OK && mode == PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE);
    CHECK(pp_get_packet(c[1], &data, &len) == PP_OK && len == 4 && memcmp(data, "news", 4) == 0);
    CHECK(count_of(c[0]) == 0);
    CHECK(pp_multiplayer_peer_set_target_peer(s, 999) == PP_OK);
    CHECK(pp_put_packet(s, (const uint8_t *)"x", 1) == PP_ERR_INVALID_PARAMETER);

    /* disconnect c[1] from the server side */
    CHECK(pp_multiplayer_peer_disconnect_peer(s, 999, false) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_multiplayer_peer_disconnect_peer(s, id1, false) == PP_OK);
    for (i = 0; i < 30000 && status_of(c[1]) != PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED; i++) {
        pp_multiplayer_peer_poll(s);
        pp_multiplayer_peer_poll(c[1]);
        nap();
    }
    CHECK(status_of(c[1]) == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);

    /* freeing the server closes it: the remaining client sees the server go */
    pp_peer_free(s);
    s = NULL;
    CHECK(pp_enet_connection_get_local_port(host) == port); /* our shared handle keeps the host */
    pp_enet_connection_free(host);
    host = NULL;
    for (i = 0; i < 30000 && status_of(c[0]) != PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED; i++) {
        pp_multiplayer_peer_poll(c[0]);
        nap();
    }
    CHECK(status_of(c[0]) == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);
    CHECK(!pp_enet_packet_peer_is_active(ep2)); /* lent handle still valid, now inactive */

    /* mesh: c[0] becomes member 5 linked to member 9 (c[1]) by a pair of connections */
    {
        pp_enet_connection *a = NULL, *bb = NULL;
        pp_enet_event ev;
        pp_peer *link = NULL;
        int ca = 0, cb = 0;
        CHECK(pp_enet_connection_new(&a) == PP_OK && pp_enet_connection_new(&bb) == PP_OK);
        CHECK(pp_enet_connection_create_host_bound(a, "127.0.0.1", 0, 1, 0, 0, 0) == PP_OK);
        CHECK(pp_enet_connection_create_host(bb, 1, 0, 0, 0) == PP_OK);
        CHECK(pp_enet_connection_connect_to_host(bb, "127.0.0.1", pp_enet_connection_get_local_port(a), 0, 0,
                                                 &link) == PP_OK);
        for (i = 0; i < 7500 && !(ca && cb); i++) {
            CHECK(pp_enet_connection_service(a, 2, &ev) == PP_OK);
            if (ev.type == PP_ENET_EVENT_TYPE_CONNECT) ca = 1;
            CHECK(pp_enet_connection_service(bb, 2, &ev) == PP_OK);
            if (ev.type == PP_ENET_EVENT_TYPE_CONNECT) cb = 1;
        }
        CHECK(ca && cb);
        CHECK(pp_enet_multiplayer_peer_create_mesh(c[0], 5) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_create_mesh(c[1], 9) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_add_mesh_peer(c[0], 9, bare) == PP_ERR_INVALID_PARAMETER); /* no peer */
        CHECK(pp_enet_multiplayer_peer_add_mesh_peer(c[0], 0, a) == PP_ERR_INVALID_PARAMETER);
        CHECK(pp_enet_multiplayer_peer_add_mesh_peer(c[0], 9, a) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_add_mesh_peer(c[0], 9, a) == PP_ERR_INVALID_PARAMETER); /* duplicate */
        CHECK(pp_enet_multiplayer_peer_add_mesh_peer(c[1], 5, bb) == PP_OK);
        pp_enet_connection_free(a); /* the mesh peers share them */
        pp_enet_connection_free(bb);
        CHECK(pp_enet_multiplayer_peer_get_host(c[0], &host2) == PP_ERR_UNCONFIGURED);
        CHECK(pp_multiplayer_peer_is_server_relay_supported(c[0], &b) == PP_OK && !b);
        CHECK(pp_multiplayer_peer_set_target_peer(c[0], 9) == PP_OK);
        CHECK(send_until_received(c[0], c[1], "mesh")); /* c[0] still sends UNRELIABLE */
        CHECK(pp_multiplayer_peer_get_packet_peer(c[1], &v) == PP_OK && v == 5);
        CHECK(pp_get_packet(c[1], &data, &len) == PP_OK && len == 4);
    }

    pp_peer_free(c[0]);
    pp_peer_free(c[1]);
    pp_peer_free(offline);
    pp_enet_connection_free(bare);
    pp_peer_free(NULL);
    return 0;
}
