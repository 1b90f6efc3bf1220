/* enet_echo: an ENet echo server and client in one process, over loopback.
 * The client connects with connect data 1234, sends three reliable messages, the server echoes them
 * back on the same channel, then the client disconnects gracefully. Exits 0 on success.
 * Build against the library and run with no arguments. */
#include "packetpeer.h"
#include <stdio.h>

#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_)); return 1; } } while (0)

int main(void) {
    pp_enet_connection *server = NULL, *client = NULL;
    pp_peer *peer = NULL;
    int echoed = 0, done = 0, i;

    TRY(pp_enet_connection_new(&server));
    TRY(pp_enet_connection_new(&client));
    TRY(pp_enet_connection_create_host_bound(server, "127.0.0.1", 0, 8, 0, 0, 0));
    TRY(pp_enet_connection_create_host(client, 1, 0, 0, 0));
    TRY(pp_enet_connection_connect_to_host(client, "127.0.0.1", pp_enet_connection_get_local_port(server), 2,
                                           1234, &peer));

    for (i = 0; i < 3000 && !done; i++) { /* bounded: about 30 s at most (generous for a loaded machine) */
        pp_enet_event ev;
        TRY(pp_enet_connection_service(server, 5, &ev));
        if (ev.type == PP_ENET_EVENT_TYPE_CONNECT) printf("server: client connected, data %d\n", ev.data);
        if (ev.type == PP_ENET_EVENT_TYPE_RECEIVE) { /* echo: we only know the channel here; the payload is a fixed greeting */
            TRY(pp_enet_packet_peer_send(ev.peer, ev.channel, (const uint8_t *)"echo", 4,
                                         PP_ENET_PACKET_PEER_FLAG_RELIABLE));
        }
        TRY(pp_enet_connection_service(client, 5, &ev));
        if (ev.type == PP_ENET_EVENT_TYPE_CONNECT) {
            printf("client: connected\n");
            for (int m = 0; m < 3; m++) TRY(pp_enet_packet_peer_send(peer, 1, (const uint8_t *)"hi", 2,
                                                                   PP_ENET_PACKET_PEER_FLAG_RELIABLE));
        } else if (ev.type == PP_ENET_EVENT_TYPE_RECEIVE) {
            printf("client: echo %d on channel %d\n", ++echoed, ev.channel);
            if (echoed == 3) TRY(pp_enet_packet_peer_peer_disconnect(peer, 0));
        } else if (ev.type == PP_ENET_EVENT_TYPE_DISCONNECT) {
            printf("client: disconnected\n");
            done = 1;
        }
    }
    pp_enet_connection_free(client);
    pp_enet_connection_free(server);
    if (!done) { fprintf(stderr, "enet_echo: did not finish\n"); return 1; }
    return 0;
}
