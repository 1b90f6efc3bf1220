/* enet_mp_server: a dedicated ENetMultiplayerPeer server in C. Godot 4 clients (or enet_mp_client)
 * connect with their own IDs; the server admits them, prints joins and leaves, and relays every
 * put_var Variant (here: dictionaries) to all clients but the sender.
 *
 *   example_enet_mp_server <port>      real server on all addresses, runs until killed
 *   example_enet_mp_server             self-test: server on a free loopback port + 3 clients in this
 *                                      process; exits 0 once every client got both others' greetings
 *                                      (at most 5 s)
 */
#define _POSIX_C_SOURCE 200809L
#include "packetpeer.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_)); return 1; } } while (0)
#define NCLIENTS 3

static void nap_ms(long ms) { struct timespec ts = {0, ms * 1000000L}; nanosleep(&ts, NULL); }

static int joined; /* clients the server admitted */

/* One server step: events, then relay each Variant to everyone but its sender. */
static int serve(pp_peer *server) {
    pp_multiplayer_event ev;
    int32_t n = 0, from = 0;
    pp_multiplayer_peer_poll(server);
    while (pp_multiplayer_peer_pop_event(server, &ev) == PP_OK) {
        joined += ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED;
        printf("server: peer %d %s\n", ev.peer_id, ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED ? "joined" : "left");
    }
    while (pp_get_available_packet_count(server, &n) == PP_OK && n > 0) {
        pp_variant *v = NULL;
        char *text = NULL;
        TRY(pp_multiplayer_peer_get_packet_peer(server, &from));
        if (pp_get_var(server, false, &v) != PP_OK) continue; /* not a Variant: ignore it */
        if (pp_variant_to_string(v, 200, &text) == PP_OK) printf("server: from %d: %s\n", from, text);
        pp_string_free(text);
        TRY(pp_multiplayer_peer_set_target_peer(server, -from));
        TRY(pp_put_var(server, v, false));
        pp_variant_free(v);
    }
    return 0;
}

/* A greeting dictionary {"from": id, "text": "hello"}. */
static int greet(pp_peer *client, int32_t id) {
    pp_variant *d = NULL, *k1 = NULL, *v1 = NULL, *k2 = NULL, *v2 = NULL;
    TRY(pp_variant_new_dictionary(&d));
    TRY(pp_variant_new_string("from", &k1));
    TRY(pp_variant_new_int(id, &v1));
    TRY(pp_variant_new_string("text", &k2));
    TRY(pp_variant_new_string("hello", &v2));
    TRY(pp_variant_dictionary_set(d, k1, v1));
    TRY(pp_variant_dictionary_set(d, k2, v2));
    TRY(pp_put_var(client, d, false));
    pp_variant_free(d); pp_variant_free(k1); pp_variant_free(v1); pp_variant_free(k2); pp_variant_free(v2);
    return 0;
}

static int self_test(void) {
    pp_peer *server = NULL, *clients[NCLIENTS] = {NULL};
    pp_enet_connection *host = NULL;
    int got[NCLIENTS] = {0}, greeted[NCLIENTS] = {0}, i, k, done = 0;
    TRY(pp_enet_multiplayer_peer_new(&server));
    TRY(pp_enet_multiplayer_peer_set_bind_ip(server, "127.0.0.1"));
    TRY(pp_enet_multiplayer_peer_create_server(server, 0, 8, 0, 0, 0));
    TRY(pp_enet_multiplayer_peer_get_host(server, &host));
    for (k = 0; k < NCLIENTS; k++) {
        TRY(pp_enet_multiplayer_peer_new(&clients[k]));
        TRY(pp_enet_multiplayer_peer_create_client(clients[k], "127.0.0.1", pp_enet_connection_get_local_port(host),
                                                   0, 0, 0, 0));
    }
    pp_enet_connection_free(host); /* a shared handle: the server keeps its host */
    for (i = 0; i < 30000 && !done; i++) { /* about 30 s at most */
        if (serve(server)) return 1;
        done = 1;
        for (k = 0; k < NCLIENTS; k++) {
            pp_multiplayer_peer_connection_status st;
            int32_t n = 0, id = 0;
            pp_multiplayer_peer_poll(clients[k]);
            TRY(pp_multiplayer_peer_get_connection_status(clients[k], &st));
            if (st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED && joined == NCLIENTS && !greeted[k]) {
                TRY(pp_multiplayer_peer_get_unique_id(clients[k], &id));
                if (greet(clients[k], id)) return 1;
                greeted[k] = 1;
            }
            while (pp_get_available_packet_count(clients[k], &n) == PP_OK && n > 0) {
                pp_variant *v = NULL;
                TRY(pp_get_var(clients[k], false, &v));
                pp_variant_free(v);
                got[k]++;
            }
            if (got[k] < NCLIENTS - 1) done = 0;
        }
        nap_ms(1);
    }
    for (k = 0; k < NCLIENTS; k++) pp_peer_free(clients[k]);
    pp_peer_free(server);
    printf("self-test %s\n", done ? "passed" : "FAILED");
    return done ? 0 : 1;
}

int main(int argc, char **argv) {
    pp_peer *server = NULL;
    if (argc < 2) return self_test();
    TRY(pp_enet_multiplayer_peer_new(&server));
    TRY(pp_enet_multiplayer_peer_create_server(server, atoi(argv[1]), 32, 0, 0, 0));
    printf("listening on port %s\n", argv[1]);
    for (;;) { if (serve(server)) break; nap_ms(5); }
    pp_peer_free(server);
    return 1;
}
