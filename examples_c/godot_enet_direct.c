/* godot_enet_direct: the C half of docs/godot-side.md "ENet, the peer used directly". The Godot
 * game uses its ENetMultiplayerPeer itself (it does NOT assign it to multiplayer.multiplayer_peer,
 * which would wrap every packet in SceneMultiplayer framing: see godot_enet_send_bytes.c):
 *
 *     var peer := ENetMultiplayerPeer.new()
 *     func _ready(): peer.create_client("127.0.0.1", 4244)
 *     func _process(_d):
 *         peer.poll()
 *         if peer.get_connection_status() == MultiplayerPeer.CONNECTION_CONNECTED and not sent:
 *             peer.set_target_peer(MultiplayerPeer.TARGET_PEER_SERVER)
 *             peer.put_var({"hello": "server", "score": 42}); sent = true
 *         while peer.get_available_packet_count() > 0: print(peer.get_var())
 *
 * This server (an ENetMultiplayerPeer, ID 1) sends each Variant back to the peer that sent it.
 * Run: ./godot_enet_direct 4244   serve real games until killed
 *      ./godot_enet_direct        self-test: a client ENetMultiplayerPeer here plays the game
 */
#include "godot_side.h"

int main(int argc, char **argv) {
    pp_peer *server = NULL, *game = NULL;
    pp_enet_connection *host = NULL;
    pp_variant *v = NULL, *hello = NULL, *reply = NULL;
    pp_multiplayer_event ev;
    pp_multiplayer_peer_connection_status st;
    int status = 1, i, forever = argc > 1, sent = 0;
    int32_t from = 0, count = 0;

    TRY(pp_enet_multiplayer_peer_new(&server));
    if (!forever) TRY(pp_enet_multiplayer_peer_set_bind_ip(server, "127.0.0.1"));
    TRY(pp_enet_multiplayer_peer_create_server(server, forever ? atoi(argv[1]) : 0, 32, 0, 0, 0));
    TRY(pp_enet_multiplayer_peer_get_host(server, &host));
    printf("serving ENet on port %d\n", pp_enet_connection_get_local_port(host));
    if (!forever) { /* the game's part */
        TRY(pp_enet_multiplayer_peer_new(&game));
        TRY(pp_enet_multiplayer_peer_create_client(game, "127.0.0.1", pp_enet_connection_get_local_port(host), 0, 0, 0, 0));
        TRY(hello_message(&hello));
    }
    for (i = 0; forever || i < STEPS; i++, nap()) {
        if (game) {
            TRY(pp_multiplayer_peer_poll(game));
            TRY(pp_multiplayer_peer_get_connection_status(game, &st));
            if (!sent && st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED) {
                TRY(pp_multiplayer_peer_set_target_peer(game, PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER));
                TRY(pp_put_var(game, hello, false));
                sent = 1;
            }
            if (pp_get_var(game, false, &reply) == PP_OK) break;
        }
        TRY(pp_multiplayer_peer_poll(server));
        while (pp_multiplayer_peer_pop_event(server, &ev) == PP_OK)
            printf("peer %d %s\n", ev.peer_id, ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED ? "joined" : "left");
        while (pp_get_available_packet_count(server, &count) == PP_OK && count > 0) {
            TRY(pp_multiplayer_peer_get_packet_peer(server, &from));
            if (pp_get_var(server, false, &v) != PP_OK) continue; /* not a Variant: skipped */
            print_variant("server got", v);
            TRY(pp_multiplayer_peer_set_target_peer(server, from)); /* answer the sender */
            TRY(pp_put_var(server, v, false));
            pp_variant_free(v); v = NULL;
        }
    }
    if (reply) print_variant("game got", reply);
    status = reply && pp_variant_equal(reply, hello) ? 0 : 1;
done:
    pp_variant_free(v); pp_variant_free(hello); pp_variant_free(reply);
    pp_enet_connection_free(host); pp_peer_free(game); pp_peer_free(server);
    return status;
}
