/* udp_echo: a UDPServer echoes datagrams back to a PacketPeerUDP client, both in this process.
 *
 * Shows: pp_udp_server_listen/_poll/_take_connection (one PacketPeerUDP per remote address), a client
 * with pp_packet_peer_udp_set_dest_address, the base calls pp_put_packet/pp_get_packet, and
 * pp_packet_peer_udp_get_packet_ip/_port. Loopback only (127.0.0.1, port 0); every wait is bounded, so it
 * finishes by itself (a ctest smoke test).
 * Run: ./udp_echo   (prints each echo, exits 0 on success)
 */
#include <stdio.h>
#include <string.h>

#include "packetpeer.h"

#define TRY(call)                                                                                  \
    do {                                                                                           \
        pp_error e_ = (call);                                                                      \
        if (e_ != PP_OK) {                                                                         \
            fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_));                         \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

int main(void) {
    static const char *msgs[] = {"hello", "from", "packetpeer", "over", "UDP"};
    pp_udp_server *server = NULL;
    pp_peer *client = NULL, *conn = NULL;
    int status = 1, i, tries;

    TRY(pp_udp_server_new(&server));
    TRY(pp_udp_server_listen(server, 0, "127.0.0.1"));
    printf("server listening on 127.0.0.1:%d\n", pp_udp_server_get_local_port(server));

    TRY(pp_packet_peer_udp_new(&client));
    TRY(pp_packet_peer_udp_set_dest_address(client, "127.0.0.1", pp_udp_server_get_local_port(server)));

    for (i = 0; i < 5; i++) {
        const uint8_t *data = NULL;
        size_t len = 0;
        char ip[PP_IP_STRING_SIZE];
        pp_error e = PP_ERR_UNAVAILABLE;

        TRY(pp_put_packet(client, (const uint8_t *)msgs[i], strlen(msgs[i])));

        /* Server side: poll until the datagram arrived, take the connection once (bounded: about
         * 30 s, generous for a loaded machine). */
        for (tries = 0; tries < 6000; tries++) {
            TRY(pp_udp_server_poll(server));
            if (conn == NULL && pp_udp_server_is_connection_available(server))
                TRY(pp_udp_server_take_connection(server, &conn));
            if (conn != NULL && (e = pp_get_packet(conn, &data, &len)) == PP_OK) break;
            (void)pp_packet_peer_udp_wait_timeout(client, 5);
        }
        if (e != PP_OK) {
            fprintf(stderr, "server: no datagram (%s)\n", pp_error_name(e));
            goto done;
        }
        TRY(pp_packet_peer_udp_get_packet_ip(conn, ip, sizeof ip, NULL));
        printf("server got \"%.*s\" from %s:%d, echoing\n", (int)len, (const char *)data, ip,
               pp_packet_peer_udp_get_packet_port(conn));
        TRY(pp_put_packet(conn, data, len)); /* data stays valid until the next get on conn */

        /* Client side: wait (bounded) for the echo. */
        for (tries = 0; tries < 3000; tries++) {
            if ((e = pp_get_packet(client, &data, &len)) == PP_OK) break;
            (void)pp_packet_peer_udp_wait_timeout(client, 10);
        }
        if (e != PP_OK || len != strlen(msgs[i]) || memcmp(data, msgs[i], len) != 0) {
            fprintf(stderr, "client: bad or missing echo (%s)\n", pp_error_name(e));
            goto done;
        }
        printf("client got echo \"%.*s\" from port %d\n", (int)len, (const char *)data,
               pp_packet_peer_udp_get_packet_port(client));
    }
    status = 0;
done:
    pp_peer_free(conn);
    pp_peer_free(client);
    pp_udp_server_free(server);
    return status;
}
