/* enet_mp_client: an ENetMultiplayerPeer client in C for enet_mp_server (or a Godot 4 server that
 * relays Variants). It connects, sends one greeting dictionary {"from": id, "text": ...} with put_var
 * and prints every Variant it receives.
 *
 *   example_enet_mp_client <address> <port> [seconds]   real client (default 30 s, or until the server
 *                                                       goes away)
 *   example_enet_mp_client                              self-test: a tiny relay server on a free
 *                                                       loopback port + 2 clients in this process;
 *                                                       exits 0 once each got the other's greeting
 */
#define _POSIX_C_SOURCE 200809L
#include "packetpeer.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_)); return -1; } } while (0)

static void nap_ms(long ms) { struct timespec ts = {0, ms * 1000000L}; nanosleep(&ts, NULL); }

/* One client step: greet once connected (and `may_greet`), print what arrives. Returns the number of
 * Variants received, or -1 on error / when the connection is gone. */
static int step(pp_peer *c, int may_greet, int *greeted) {
    pp_multiplayer_peer_connection_status st;
    int32_t n = 0, id = 0;
    int got = 0;
    pp_multiplayer_peer_poll(c);
    TRY(pp_multiplayer_peer_get_connection_status(c, &st));
    if (st == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED) return -1;
    if (st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED && may_greet && !*greeted) {
        pp_variant *d = NULL, *k = NULL, *v = NULL;
        TRY(pp_multiplayer_peer_get_unique_id(c, &id));
        TRY(pp_variant_new_dictionary(&d));
        TRY(pp_variant_new_string("from", &k)); TRY(pp_variant_new_int(id, &v));
        TRY(pp_variant_dictionary_set(d, k, v));
        pp_variant_free(k); pp_variant_free(v);
        TRY(pp_variant_new_string("text", &k)); TRY(pp_variant_new_string("hello from C", &v));
        TRY(pp_variant_dictionary_set(d, k, v));
        pp_variant_free(k); pp_variant_free(v);
        TRY(pp_multiplayer_peer_set_target_peer(c, PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER));
        TRY(pp_put_var(c, d, false));
        pp_variant_free(d);
        *greeted = 1;
    }
    while (pp_get_available_packet_count(c, &n) == PP_OK && n > 0) {
        pp_variant *v = NULL;
        char *text = NULL;
        if (pp_get_var(c, false, &v) != PP_OK) continue;
        TRY(pp_multiplayer_peer_get_unique_id(c, &id));
        if (pp_variant_to_string(v, 200, &text) == PP_OK) printf("client %d got: %s\n", id, text);
        pp_string_free(text);
        pp_variant_free(v);
        got++;
    }
    return got;
}

static int self_test(void) {
    pp_peer *server = NULL, *c[2] = {NULL, NULL};
    pp_enet_connection *host = NULL;
    int got[2] = {0, 0}, greeted[2] = {0, 0}, i, k, r, peers = 0;
    TRY(pp_enet_multiplayer_peer_new(&server));
    TRY(pp_enet_multiplayer_peer_set_bind_ip(server, "127.0.0.1"));
    TRY(pp_enet_multiplayer_peer_create_server(server, 0, 4, 0, 0, 0));
    TRY(pp_enet_multiplayer_peer_get_host(server, &host));
    for (k = 0; k < 2; k++) {
        TRY(pp_enet_multiplayer_peer_new(&c[k]));
        TRY(pp_enet_multiplayer_peer_create_client(c[k], "127.0.0.1", pp_enet_connection_get_local_port(host), 0, 0, 0, 0));
    }
    pp_enet_connection_free(host);
    for (i = 0; i < 30000 && !(got[0] && got[1]); i++) { /* about 30 s at most */
        pp_multiplayer_event ev;
        int32_t n = 0, from = 0;
        pp_multiplayer_peer_poll(server); /* the relay: everything to all but the sender */
        while (pp_multiplayer_peer_pop_event(server, &ev) == PP_OK) peers += ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED;
        while (pp_get_available_packet_count(server, &n) == PP_OK && n > 0) {
            const uint8_t *data = NULL;
            size_t len = 0;
            TRY(pp_multiplayer_peer_get_packet_peer(server, &from));
            TRY(pp_get_packet(server, &data, &len));
            TRY(pp_multiplayer_peer_set_target_peer(server, -from));
            TRY(pp_put_packet(server, data, len));
        }
        for (k = 0; k < 2; k++) {
            if ((r = step(c[k], peers == 2, &greeted[k])) < 0) return 1;
            got[k] += r;
        }
        nap_ms(1);
    }
    pp_peer_free(c[0]); pp_peer_free(c[1]); pp_peer_free(server);
    printf("self-test %s\n", got[0] && got[1] ? "passed" : "FAILED");
    return got[0] && got[1] ? 0 : 1;
}

int main(int argc, char **argv) {
    pp_peer *c = NULL;
    int greeted = 0, i, seconds = argc > 3 ? atoi(argv[3]) : 30;
    if (argc < 3) return self_test();
    TRY(pp_enet_multiplayer_peer_new(&c));
    TRY(pp_enet_multiplayer_peer_create_client(c, argv[1], atoi(argv[2]), 0, 0, 0, 0));
    for (i = 0; i < seconds * 200 && step(c, 1, &greeted) >= 0; i++) nap_ms(5);
    pp_peer_free(c);
    return 0;
}
