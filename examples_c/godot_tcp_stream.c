/* godot_tcp_stream: the C half of docs/godot-side.md "TCP stream". The Godot game runs:
 *
 *     var tcp := StreamPeerTCP.new()
 *     var pps := PacketPeerStream.new()
 *     func _ready(): tcp.connect_to_host("127.0.0.1", 4243); pps.stream_peer = tcp
 *     func _process(_d):
 *         tcp.poll()
 *         if tcp.get_status() != StreamPeerTCP.STATUS_CONNECTED: return
 *         if not sent: pps.put_var({"hello": "server", "score": 42}); sent = true
 *         while pps.get_available_packet_count() > 0: print(pps.get_var())
 *
 * This server takes one connection and sends each Variant back (PacketPeerStream framing: a u32
 * length before each Variant).
 * Run: ./godot_tcp_stream 4243   serve one real game until it disconnects
 *      ./godot_tcp_stream        self-test: a StreamPeerTCP + PacketPeerStream here play the game
 */
#include "godot_side.h"

int main(int argc, char **argv) {
    pp_tcp_server *listener = NULL;
    pp_stream_peer *conn = NULL, *game_tcp = NULL;
    pp_peer *server = NULL, *game = NULL;
    pp_variant *v = NULL, *hello = NULL, *reply = NULL;
    int status = 1, i, forever = argc > 1, sent = 0;

    TRY(pp_tcp_server_new(&listener));
    TRY(pp_tcp_server_listen(listener, forever ? atoi(argv[1]) : 0, forever ? "*" : "127.0.0.1"));
    if (!forever) { /* the game's part */
        TRY(pp_stream_peer_tcp_new(&game_tcp));
        TRY(pp_stream_peer_tcp_connect_to_host(game_tcp, "127.0.0.1", pp_tcp_server_get_local_port(listener)));
        TRY(pp_packet_peer_stream_new(&game));
        TRY(pp_packet_peer_stream_set_stream_peer(game, game_tcp));
        TRY(hello_message(&hello));
    }
    printf("serving TCP on port %d\n", pp_tcp_server_get_local_port(listener));
    for (i = 0; forever || i < STEPS; i++, nap()) {
        if (game_tcp) {
            TRY(pp_stream_peer_tcp_poll(game_tcp));
            if (!sent && pp_stream_peer_tcp_get_status(game_tcp) == PP_STREAM_PEER_TCP_STATUS_CONNECTED) {
                TRY(pp_put_var(game, hello, false));
                sent = 1;
            }
            if (pp_get_var(game, false, &reply) == PP_OK) break;
        }
        if (!conn) {
            if (pp_tcp_server_take_connection(listener, &conn) != PP_OK) continue;
            TRY(pp_packet_peer_stream_new(&server));
            TRY(pp_packet_peer_stream_set_stream_peer(server, conn));
        }
        TRY(pp_stream_peer_tcp_poll(conn));
        if (pp_stream_peer_tcp_get_status(conn) != PP_STREAM_PEER_TCP_STATUS_CONNECTED) break; /* game left */
        if (pp_get_var(server, false, &v) == PP_OK) {
            print_variant("server got", v);
            TRY(pp_put_var(server, v, false));
            pp_variant_free(v); v = NULL;
        }
    }
    if (reply) print_variant("game got", reply);
    status = forever || (reply && pp_variant_equal(reply, hello)) ? 0 : 1;
done:
    pp_variant_free(v); pp_variant_free(hello); pp_variant_free(reply);
    pp_peer_free(server); pp_peer_free(game);
    pp_stream_peer_free(conn); pp_stream_peer_free(game_tcp); pp_tcp_server_free(listener);
    return status;
}
