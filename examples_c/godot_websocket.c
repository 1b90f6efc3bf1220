/* godot_websocket: the C half of docs/godot-side.md "WebSocket". The Godot game runs:
 *
 *     var ws := WebSocketPeer.new()
 *     func _ready(): ws.connect_to_url("ws://127.0.0.1:4246")
 *     func _process(_d):
 *         ws.poll()
 *         if ws.get_ready_state() != WebSocketPeer.STATE_OPEN: return
 *         if not sent: ws.put_var({"hello": "server", "score": 42}); sent = true
 *         while ws.get_available_packet_count() > 0: print(ws.get_var())
 *
 * This server accepts one WebSocket (TCPServer + pp_websocket_peer_accept_stream, like Godot's
 * WebSocketPeer.accept_stream) and sends each Variant back as a binary message.
 * Run: ./godot_websocket 4246   serve one real game until it leaves
 *      ./godot_websocket        self-test: a client WebSocketPeer here plays the game
 */
#include "godot_side.h"

int main(int argc, char **argv) {
    pp_tcp_server *listener = NULL;
    pp_stream_peer *conn = NULL;
    pp_peer *server = NULL, *game = NULL;
    pp_variant *v = NULL, *hello = NULL, *reply = NULL;
    char url[64];
    int status = 1, i, forever = argc > 1, sent = 0;

    TRY(pp_tcp_server_new(&listener));
    TRY(pp_tcp_server_listen(listener, forever ? atoi(argv[1]) : 0, forever ? "*" : "127.0.0.1"));
    printf("serving WebSocket on port %d\n", pp_tcp_server_get_local_port(listener));
    if (!forever) { /* the game's part */
        snprintf(url, sizeof url, "ws://127.0.0.1:%d", pp_tcp_server_get_local_port(listener));
        TRY(pp_websocket_peer_new(&game));
        TRY(pp_websocket_peer_connect_to_url(game, url, NULL));
        TRY(hello_message(&hello));
    }
    for (i = 0; forever || i < STEPS; i++, nap()) {
        if (game) {
            TRY(pp_websocket_peer_poll(game));
            if (!sent && pp_websocket_peer_get_ready_state(game) == PP_WEBSOCKET_PEER_STATE_OPEN) {
                TRY(pp_put_var(game, hello, false));
                sent = 1;
            }
            if (pp_get_var(game, false, &reply) == PP_OK) break;
        }
        if (!server) {
            if (pp_tcp_server_take_connection(listener, &conn) != PP_OK) continue;
            TRY(pp_websocket_peer_new(&server));
            TRY(pp_websocket_peer_accept_stream(server, conn)); /* the WebSocket owns the stream now */
            pp_stream_peer_free(conn); conn = NULL;
        }
        TRY(pp_websocket_peer_poll(server));
        if (pp_websocket_peer_get_ready_state(server) == PP_WEBSOCKET_PEER_STATE_CLOSED) break; /* game left */
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
    pp_peer_free(server); pp_peer_free(game); pp_stream_peer_free(conn); pp_tcp_server_free(listener);
    return status;
}
