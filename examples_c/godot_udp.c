/* godot_udp: the C half of docs/godot-side.md "UDP". The Godot game runs:
 *
 *     var udp := PacketPeerUDP.new()
 *     udp.set_dest_address("127.0.0.1", 4242)
 *     udp.put_var({"hello": "server", "score": 42})
 *     # each frame: while udp.get_available_packet_count() > 0: print(udp.get_var())
 *
 * This server answers each Variant by sending it back to its sender.
 * Run: ./godot_udp 4242     serve a real game until killed
 *      ./godot_udp          self-test: a second PacketPeerUDP here sends what the game sends (bounded)
 */
#include "godot_side.h"

/* One step of the server: answer one datagram if there is one. Returns 1 after answering. */
static int serve_one(pp_peer *server) {
    pp_variant *v = NULL;
    char ip[PP_IP_STRING_SIZE];
    int answered = 0;
    if (pp_get_var(server, false, &v) != PP_OK) return 0; /* none, or not a Variant: skipped */
    print_variant("server got", v);
    TRY(pp_packet_peer_udp_get_packet_ip(server, ip, sizeof ip, NULL));
    TRY(pp_packet_peer_udp_set_dest_address(server, ip, pp_packet_peer_udp_get_packet_port(server)));
    TRY(pp_put_var(server, v, false));
    answered = 1;
done:
    pp_variant_free(v);
    return answered;
}

int main(int argc, char **argv) {
    pp_peer *server = NULL, *game = NULL;
    pp_variant *hello = NULL, *reply = NULL;
    int status = 1, i;

    TRY(pp_packet_peer_udp_new(&server));
    TRY(pp_packet_peer_udp_bind(server, argc > 1 ? atoi(argv[1]) : 0, argc > 1 ? "*" : "127.0.0.1", 65536));
    if (argc > 1) {
        printf("serving UDP on port %d\n", pp_packet_peer_udp_get_local_port(server));
        for (;;) if (pp_packet_peer_udp_wait(server) == PP_OK) serve_one(server);
    }
    /* The game's part. */
    TRY(pp_packet_peer_udp_new(&game));
    TRY(pp_packet_peer_udp_set_dest_address(game, "127.0.0.1", pp_packet_peer_udp_get_local_port(server)));
    TRY(hello_message(&hello));
    TRY(pp_put_var(game, hello, false));
    for (i = 0; i < STEPS && !serve_one(server); i++) nap();
    TRY(pp_packet_peer_udp_wait_timeout(game, 10000));
    TRY(pp_get_var(game, false, &reply));
    print_variant("game got", reply);
    status = pp_variant_equal(reply, hello) ? 0 : 1;
done:
    pp_variant_free(hello); pp_variant_free(reply);
    pp_peer_free(game); pp_peer_free(server);
    return status;
}
