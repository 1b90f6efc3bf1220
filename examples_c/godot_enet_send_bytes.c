/* godot_enet_send_bytes: the C half of docs/godot-side.md "ENet, through multiplayer.send_bytes".
 * The Godot game hands its peer to SceneMultiplayer, which frames every packet (send_bytes: a 0x03
 * byte, then the bytes; docs/scene-multiplayer.md):
 *
 *     func _ready():
 *         var peer := ENetMultiplayerPeer.new()
 *         peer.create_client("127.0.0.1", 4245)
 *         multiplayer.multiplayer_peer = peer
 *         multiplayer.connected_to_server.connect(func():
 *             multiplayer.send_bytes(var_to_bytes({"hello": "server", "score": 42}), 1))
 *         multiplayer.peer_packet.connect(func(id, bytes): print(id, bytes_to_var(bytes)))
 *
 * Fed to pp_bytes_to_var as is, such a packet "succeeds" as a wrong value; this server parses it with
 * pp_scene_multiplayer_parse, decodes the RAW payload, and answers with
 * pp_scene_multiplayer_build_raw, which the game's peer_packet signal receives.
 * Run: ./godot_enet_send_bytes 4245   serve real games until killed
 *      ./godot_enet_send_bytes        self-test: a client here sends what SceneMultiplayer sends
 */
#include "godot_side.h"

/* RAW-frames `v` and sends it to `to` (reliable, like send_bytes' default). */
static pp_error send_raw(pp_peer *peer, int32_t to, const pp_variant *v) {
    uint8_t *bytes = NULL, frame[1024];
    size_t len = 0, flen = 0;
    pp_error e = pp_var_to_bytes(v, false, &bytes, &len);
    if (e == PP_OK) e = pp_scene_multiplayer_build_raw(bytes, len, frame, sizeof frame, &flen);
    if (e == PP_OK) e = pp_multiplayer_peer_set_target_peer(peer, to);
    if (e == PP_OK) e = pp_put_packet(peer, frame, flen);
    pp_bytes_free(bytes, len);
    return e;
}

/* The Variant inside a RAW packet; PP_ERR_SKIP for SceneMultiplayer's other packets (SYS, RPC, ...). */
static pp_error recv_raw(pp_peer *peer, pp_variant **out) {
    const uint8_t *data = NULL;
    size_t len = 0;
    pp_scene_multiplayer_message msg;
    pp_error e = pp_get_packet(peer, &data, &len);
    if (e == PP_OK) e = pp_scene_multiplayer_parse(data, len, &msg);
    if (e == PP_OK && msg.command != PP_SCENE_MULTIPLAYER_COMMAND_RAW) e = PP_ERR_SKIP;
    if (e == PP_OK) e = pp_bytes_to_var(data + msg.payload_offset, msg.payload_len, false, out);
    return e;
}

int main(int argc, char **argv) {
    pp_peer *server = NULL, *game = NULL;
    pp_enet_connection *host = NULL;
    pp_variant *v = NULL, *hello = NULL, *reply = NULL;
    pp_multiplayer_peer_connection_status st;
    int status = 1, i, forever = argc > 1, sent = 0;
    int32_t from = 0, count = 0;

    TRY(pp_enet_multiplayer_peer_new(&server));
    if (!forever) TRY(pp_enet_multiplayer_peer_set_bind_ip(server, "127.0.0.1"));
    TRY(pp_enet_multiplayer_peer_create_server(server, forever ? atoi(argv[1]) : 0, 32, 0, 0, 0));
    TRY(pp_enet_multiplayer_peer_get_host(server, &host));
    printf("serving ENet (SceneMultiplayer RAW) on port %d\n", pp_enet_connection_get_local_port(host));
    if (!forever) {
        TRY(pp_enet_multiplayer_peer_new(&game));
        TRY(pp_enet_multiplayer_peer_create_client(game, "127.0.0.1", pp_enet_connection_get_local_port(host), 0, 0, 0, 0));
        TRY(hello_message(&hello));
    }
    for (i = 0; forever || i < STEPS; i++, nap()) {
        if (game) { /* the game's part: SceneMultiplayer's bytes */
            TRY(pp_multiplayer_peer_poll(game));
            TRY(pp_multiplayer_peer_get_connection_status(game, &st));
            if (!sent && st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED) {
                TRY(send_raw(game, PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER, hello));
                sent = 1;
            }
            if (recv_raw(game, &reply) == PP_OK) break;
        }
        TRY(pp_multiplayer_peer_poll(server));
        while (pp_get_available_packet_count(server, &count) == PP_OK && count > 0) {
            TRY(pp_multiplayer_peer_get_packet_peer(server, &from));
            pp_error e = recv_raw(server, &v);
            if (e != PP_OK) { /* not RAW, or a bad Variant: say so and go on */
                if (e != PP_ERR_SKIP) fprintf(stderr, "peer %d: %s\n", from, pp_error_name(e));
                continue;
            }
            print_variant("server got", v);
            TRY(send_raw(server, from, v));
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
