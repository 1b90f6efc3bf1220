/* C API of ENetMultiplayerPeer's Godot 3 mode (NetworkedMultiplayerENet on the wire):
 * pp_enet_multiplayer_peer_set_godot3_compat and pp_enet_multiplayer_peer_get_dropped_packets
 * (NULL arguments, wrong class, only while inactive), then a Godot 3 mode server and two clients on
 * loopback: each client learns the other (peer_connected from the server's ADD_PEER), a packet from
 * one client to the other is relayed by the server with the sender's id, a client's broadcast
 * reaches the server and the other client, and a leaving client is announced. */
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

static void poll3(pp_peer *a, pp_peer *b, pp_peer *c) {
    pp_multiplayer_peer_poll(a);
    pp_multiplayer_peer_poll(b);
    pp_multiplayer_peer_poll(c);
}

/* Polls all three until `p` has a packet (about 30 s max: valgrind on a loaded machine is slow). */
static int wait_packet(pp_peer *p, pp_peer *s, pp_peer *c0, pp_peer *c1) {
    int i;
    for (i = 0; i < 30000; i++) {
        poll3(s, c0, c1);
        if (count_of(p) > 0) return 1;
        nap();
    }
    return 0;
}

/* Polls all three until `p` queued an event of `kind` about `id` (other events are skipped). */
static int wait_event(pp_peer *p, int32_t kind, int32_t id, pp_peer *s, pp_peer *c0, pp_peer *c1) {
    int i;
    pp_multiplayer_event ev;
    for (i = 0; i < 30000; i++) {
        poll3(s, c0, c1);
        while (pp_multiplayer_peer_pop_event(p, &ev) == PP_OK)
            if ((int32_t)ev.kind == kind && ev.peer_id == id) return 1;
        nap();
    }
    return 0;
}

int main(void) {
    pp_peer *s = NULL, *c[2] = {NULL, NULL}, *offline = NULL;
    pp_enet_connection *host = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    uint64_t dropped = 99;
    int32_t port, id[2] = {0, 0}, v = 0, i;
    bool b = true;

    /* NULL arguments and wrong class */
    CHECK(pp_enet_multiplayer_peer_set_godot3_compat(NULL, true) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_dropped_packets(NULL, &dropped) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_offline_multiplayer_peer_new(&offline) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_set_godot3_compat(offline, true) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_dropped_packets(offline, &dropped) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_new(&s) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_get_dropped_packets(s, NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_dropped_packets(s, &dropped) == PP_OK && dropped == 0);

    /* opt-in, set while inactive; no mesh mode in Godot 3 */
    CHECK(pp_enet_multiplayer_peer_set_godot3_compat(s, true) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_create_mesh(s, 2) == PP_ERR_UNAVAILABLE);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(s, "127.0.0.1") == PP_OK);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 8, 253, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 8, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_set_godot3_compat(s, false) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_multiplayer_peer_is_server_relay_supported(s, &b) == PP_OK && !b);
    CHECK(pp_enet_multiplayer_peer_get_host(s, &host) == PP_OK);
    CHECK(pp_enet_connection_get_max_channels(host) == 3); /* Godot 3's channel_count */
    port = pp_enet_connection_get_local_port(host);
    pp_enet_connection_free(host);
    CHECK(port > 0);

    for (i = 0; i < 2; i++) {
        CHECK(pp_enet_multiplayer_peer_new(&c[i]) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_set_godot3_compat(c[i], true) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_create_client(c[i], "127.0.0.1", port, 0, 0, 0, 0) == PP_OK);
    }
    CHECK(wait_event(c[0], PP_MULTIPLAYER_EVENT_PEER_CONNECTED, 1, s, c[0], c[1]));
    CHECK(wait_event(c[1], PP_MULTIPLAYER_EVENT_PEER_CONNECTED, 1, s, c[0], c[1]));
    CHECK(pp_multiplayer_peer_get_unique_id(c[0], &id[0]) == PP_OK && id[0] >= 2);
    CHECK(pp_multiplayer_peer_get_unique_id(c[1], &id[1]) == PP_OK && id[1] >= 2 && id[1] != id[0]);
    /* each client learns the other from the server (SYSMSG_ADD_PEER) */
    CHECK(wait_event(c[0], PP_MULTIPLAYER_EVENT_PEER_CONNECTED, id[1], s, c[0], c[1]));
    CHECK(wait_event(c[1], PP_MULTIPLAYER_EVENT_PEER_CONNECTED, id[0], s, c[0], c[1]));

    /* client 0 -> client 1, relayed by the server */
    CHECK(pp_multiplayer_peer_set_target_peer(c[0], id[1]) == PP_OK);
    CHECK(pp_put_packet(c[0], (const uint8_t *)"hey", 3) == PP_OK);
    CHECK(wait_packet(c[1], s, c[0], c[1]));
    CHECK(pp_multiplayer_peer_get_packet_peer(c[1], &v) == PP_OK && v == id[0]);
    CHECK(pp_get_packet(c[1], &data, &len) == PP_OK && len == 3 && memcmp(data, "hey", 3) == 0);
    CHECK(count_of(s) == 0);

    /* client 1 broadcasts: the server and client 0 */
    CHECK(pp_multiplayer_peer_set_target_peer(c[1], 0) == PP_OK);
    CHECK(pp_put_packet(c[1], (const uint8_t *)"all", 3) == PP_OK);
    CHECK(wait_packet(s, s, c[0], c[1]));
    CHECK(wait_packet(c[0], s, c[0], c[1]));
    CHECK(pp_multiplayer_peer_get_packet_peer(s, &v) == PP_OK && v == id[1]);
    CHECK(pp_get_packet(s, &data, &len) == PP_OK && len == 3 && memcmp(data, "all", 3) == 0);
    CHECK(pp_multiplayer_peer_get_packet_peer(c[0], &v) == PP_OK && v == id[1]);
    CHECK(pp_get_packet(c[0], &data, &len) == PP_OK && len == 3 && memcmp(data, "all", 3) == 0);

    /* an unknown target is refused before sending */
    CHECK(pp_multiplayer_peer_set_target_peer(c[0], 4242) == PP_OK);
    CHECK(pp_put_packet(c[0], (const uint8_t *)"x", 1) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_multiplayer_peer_get_dropped_packets(s, &dropped) == PP_OK && dropped == 0);

    /* client 1 leaves: the server and client 0 hear of it */
    CHECK(pp_multiplayer_peer_close(c[1]) == PP_OK);
    CHECK(wait_event(s, PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED, id[1], s, c[0], c[1]));
    CHECK(wait_event(c[0], PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED, id[1], s, c[0], c[1]));

    pp_peer_free(c[0]);
    pp_peer_free(c[1]);
    pp_peer_free(s);
    pp_peer_free(offline);
    return 0;
}
