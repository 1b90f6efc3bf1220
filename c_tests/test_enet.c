/* C API of ENetConnection / ENetPacketPeer: argument checks, a loopback connection, data, disconnect. */
#include "packetpeer.h"
#include <stdio.h>
#include <string.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); return 1; } } while (0)

/* One connection plus the events seen on it that nobody waited for yet. */
typedef struct {
    pp_enet_connection *c;
    pp_enet_event stash[16];
    int n;
} side;

static void keep(side *s, const pp_enet_event *ev) {
    if (ev->type != PP_ENET_EVENT_TYPE_NONE && s->n < 16) s->stash[s->n++] = *ev;
}

/* Services both sides until an event of `type` shows up on `a`, at most `rounds` times (each waits up
 * to 10 ms for traffic). */
static int wait_event_rounds(side *a, side *b, int32_t type, pp_enet_event *out, int rounds) {
    int i, k;
    for (k = 0; k < a->n; k++) {
        if (a->stash[k].type == type) {
            *out = a->stash[k];
            for (; k + 1 < a->n; k++) a->stash[k] = a->stash[k + 1];
            a->n--;
            return 1;
        }
    }
    for (i = 0; i < rounds; i++) {
        pp_enet_event ev, other;
        if (pp_enet_connection_service(a->c, 5, &ev) != PP_OK) return 0;
        if (ev.type == type) { *out = ev; return 1; }
        keep(a, &ev);
        if (pp_enet_connection_service(b->c, 5, &other) != PP_OK) return 0;
        keep(b, &other);
    }
    return 0;
}

/* Like wait_event_rounds, bounded at about 30 s: generous, as a loaded machine running this under
 * valgrind can be slow; only a failing test waits that long. */
static int wait_event(side *a, side *b, int32_t type, pp_enet_event *out) {
    return wait_event_rounds(a, b, type, out, 3000);
}

int main(void) {
    pp_enet_connection *server = NULL, *client = NULL;
    pp_enet_event ev;
    pp_peer *cpeer = NULL, *speer = NULL, *list[4];
    size_t count = 0;
    double value = 0;
    char addr[48];
    int32_t port;
    side S, C;

    /* NULL and bad arguments */
    CHECK(pp_enet_connection_new(NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_create_host(NULL, 1, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_service(NULL, 0, &ev) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_packet_peer_send(NULL, 0, (const uint8_t *)"x", 1, PP_ENET_PACKET_PEER_FLAG_RELIABLE) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_packet_peer_get_state(NULL) == PP_ENET_PEER_STATE_DISCONNECTED);
    CHECK(!pp_enet_packet_peer_is_active(NULL));
    CHECK(pp_enet_connection_get_local_port(NULL) == 0);
    pp_enet_connection_free(NULL);

    CHECK(pp_enet_connection_new(&server) == PP_OK);
    CHECK(pp_enet_connection_new(&client) == PP_OK);
    S.c = server;
    S.n = 0;
    C.c = client;
    C.n = 0;
    CHECK(pp_enet_connection_service(server, 0, NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_service(server, 0, &ev) == PP_ERR_UNCONFIGURED);
    CHECK(pp_enet_connection_create_host(server, 0, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_create_host(server, 1, 256, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_create_host_bound(server, NULL, 0, 8, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_create_host_bound(server, "not an ip", 0, 8, 0, 0, 0) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_create_host_bound(server, "127.0.0.1", 0, 8, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_connection_create_host_bound(server, "127.0.0.1", 0, 8, 0, 0, 0) == PP_ERR_ALREADY_IN_USE);
    port = pp_enet_connection_get_local_port(server);
    CHECK(port > 0);
    CHECK(pp_enet_connection_get_max_channels(server) == 255);
    CHECK(pp_enet_connection_compress(server, PP_ENET_COMPRESS_ZSTD + 1) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_compress(server, PP_ENET_COMPRESS_RANGE_CODER) == PP_OK);
    CHECK(pp_enet_connection_create_host(client, 1, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_connection_compress(client, PP_ENET_COMPRESS_RANGE_CODER) == PP_OK);
    CHECK(pp_enet_connection_connect_to_host(client, "127.0.0.1", 0, 0, 0, &cpeer) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_connect_to_host(client, "127.0.0.1", port, 4, 42, NULL) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_connect_to_host(client, "127.0.0.1", port, 4, 42, &cpeer) == PP_OK);
    CHECK(cpeer != NULL);
    CHECK(pp_enet_packet_peer_get_state(cpeer) == PP_ENET_PEER_STATE_CONNECTING);
    {
        pp_peer *again = NULL;
        CHECK(pp_enet_connection_connect_to_host(client, "127.0.0.1", port, 4, 42, &again) == PP_ERR_CANT_CONNECT);
        CHECK(again == NULL);
    }

    CHECK(wait_event(&S, &C, PP_ENET_EVENT_TYPE_CONNECT, &ev));
    CHECK(ev.data == 42);
    speer = ev.peer;
    CHECK(speer != NULL);
    CHECK(wait_event(&C, &S, PP_ENET_EVENT_TYPE_CONNECT, &ev));
    CHECK(ev.peer == cpeer);
    CHECK(ev.data == 0);
    CHECK(pp_enet_packet_peer_is_active(cpeer));
    CHECK(pp_enet_packet_peer_get_state(cpeer) == PP_ENET_PEER_STATE_CONNECTED);
    CHECK(pp_enet_packet_peer_get_channels(cpeer) == 4);
    CHECK(pp_enet_packet_peer_get_remote_port(cpeer) == port);
    CHECK(pp_enet_packet_peer_get_remote_address(cpeer, addr, 4, NULL) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_enet_packet_peer_get_remote_address(cpeer, addr, sizeof addr, NULL) == PP_OK);
    CHECK(strcmp(addr, "127.0.0.1") == 0);
    CHECK(pp_enet_connection_get_peers(server, list, 4, &count) == PP_OK);
    CHECK(count == 1 && list[0] == speer);
    CHECK(pp_enet_connection_get_peers(server, NULL, 0, &count) == PP_OK && count == 1);
    CHECK(pp_enet_connection_get_peers(server, list, (size_t)INT32_MAX + 1, &count) == PP_ERR_INVALID_PARAMETER);

    /* data, flags, argument checks on peers */
    CHECK(pp_enet_packet_peer_send(cpeer, 5, (const uint8_t *)"x", 1, PP_ENET_PACKET_PEER_FLAG_RELIABLE) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_packet_peer_send(cpeer, 4, (const uint8_t *)"x", 1, PP_ENET_PACKET_PEER_FLAG_RELIABLE) == PP_FAILED);
    CHECK(pp_enet_packet_peer_send(cpeer, 0, (const uint8_t *)"x", 1, 4 /* NO_ALLOCATE: not for callers */) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_packet_peer_send(cpeer, 0, NULL, 3, PP_ENET_PACKET_PEER_FLAG_RELIABLE) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_packet_peer_set_timeout(cpeer, 10, 5, 20) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_packet_peer_set_timeout(cpeer, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_packet_peer_ping_interval(cpeer, 200) == PP_OK);
    CHECK(pp_enet_packet_peer_throttle_configure(cpeer, 5000, 2, 2) == PP_OK);
    CHECK(pp_enet_packet_peer_ping(cpeer) == PP_OK);
    CHECK(pp_enet_packet_peer_send(cpeer, 2, (const uint8_t *)"hello", 5, PP_ENET_PACKET_PEER_FLAG_RELIABLE) == PP_OK);
    CHECK(wait_event(&S, &C, PP_ENET_EVENT_TYPE_RECEIVE, &ev));
    CHECK(ev.peer == speer && ev.channel == 2);
    CHECK(pp_enet_packet_peer_get_packet_flags(speer) == 1);
    CHECK(pp_enet_packet_peer_get_statistic(cpeer, PP_ENET_PEER_ROUND_TRIP_TIME, &value) == PP_OK && value > 0);
    CHECK(pp_enet_packet_peer_get_statistic(cpeer, PP_ENET_PEER_PACKET_THROTTLE_INTERVAL + 1, &value) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_broadcast(server, 1, (const uint8_t *)"all", 3, 16) == PP_ERR_INVALID_PARAMETER);
    /* Unsequenced (unreliable): ENet's throttle or a full socket buffer may drop it, so it goes again
     * about every 200 ms until it arrives (bounded). */
    {
        int k, got_it = 0;
        for (k = 0; k < 150 && !got_it; k++) {
            CHECK(pp_enet_connection_broadcast(server, 1, (const uint8_t *)"all", 3, PP_ENET_PACKET_PEER_FLAG_UNSEQUENCED) == PP_OK);
            got_it = wait_event_rounds(&C, &S, PP_ENET_EVENT_TYPE_RECEIVE, &ev, 20);
        }
        CHECK(got_it);
    }
    CHECK(ev.peer == cpeer && ev.channel == 1);
    CHECK(pp_enet_packet_peer_get_packet_flags(cpeer) == 2);
    CHECK(pp_enet_connection_pop_statistic(server, PP_ENET_HOST_TOTAL_RECEIVED_PACKETS, &value) == PP_OK && value > 0);
    CHECK(pp_enet_connection_pop_statistic(server, PP_ENET_HOST_TOTAL_RECEIVED_PACKETS + 1, &value) == PP_ERR_INVALID_PARAMETER);
    CHECK(pp_enet_connection_flush(client) == PP_OK);

    /* graceful disconnect from the server side */
    CHECK(pp_enet_packet_peer_peer_disconnect(speer, 7) == PP_OK);
    CHECK(wait_event(&C, &S, PP_ENET_EVENT_TYPE_DISCONNECT, &ev));
    CHECK(ev.peer == cpeer && ev.data == 7);
    CHECK(!pp_enet_packet_peer_is_active(cpeer));
    CHECK(pp_enet_packet_peer_get_state(cpeer) == PP_ENET_PEER_STATE_DISCONNECTED);
    CHECK(pp_enet_packet_peer_ping(cpeer) == PP_ERR_UNCONFIGURED);
    CHECK(wait_event(&S, &C, PP_ENET_EVENT_TYPE_DISCONNECT, &ev));
    CHECK(ev.peer == speer);

    CHECK(pp_enet_connection_destroy(client) == PP_OK);
    CHECK(pp_enet_connection_destroy(client) == PP_ERR_UNCONFIGURED);
    pp_enet_connection_free(client);
    pp_enet_connection_free(server);
    printf("test_enet: ok\n");
    return 0;
}
