/* The README's error table, checked: every example a row gives ("typical meaning here") is made
 * to happen here against the real classes, and must return that row's code. Change the table and
 * this file together. Loopback only, port 0, bounded waits. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)
/* `call` must return `code` (the README row's constant). */
#define EXPECT(code, call)                                                                         \
    do {                                                                                           \
        pp_error got_ = (call);                                                                    \
        if (got_ != (code)) {                                                                      \
            fprintf(stderr, "%s:%d: %s gave %s, the README says %s\n", __FILE__, __LINE__, #call,  \
                    pp_error_name(got_), pp_error_name(code));                                     \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

static void nap(void) {
    struct timespec ts = {0, 5 * 1000000L};
    nanosleep(&ts, NULL);
}

int main(void) {
    pp_peer *udp = NULL, *udp2 = NULL, *udp3 = NULL, *pps = NULL, *mp = NULL, *ws_mp = NULL;
    pp_udp_server *udp_server = NULL;
    pp_tcp_server *tcp = NULL, *tcp2 = NULL;
    pp_stream_peer *client = NULL, *pipe_a = NULL, *pipe_b = NULL;
    pp_enet_connection *enet = NULL, *enet2 = NULL;
    pp_variant *arr = NULL, *item = NULL, *big = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    uint8_t byte, blob[4096];
    int32_t udp_port, tcp_port;
    int i;

    /* PP_OK: success. */
    EXPECT(PP_OK, pp_packet_peer_udp_new(&udp));
    EXPECT(PP_OK, pp_packet_peer_udp_bind(udp, 0, "127.0.0.1", 65536));
    udp_port = pp_packet_peer_udp_get_local_port(udp);
    EXPECT(PP_OK, pp_tcp_server_new(&tcp));
    EXPECT(PP_OK, pp_tcp_server_listen(tcp, 0, "127.0.0.1"));
    tcp_port = pp_tcp_server_get_local_port(tcp);

    /* PP_ERR_UNAVAILABLE: nothing to read yet; a UDP port in use (PacketPeerUDP.bind, UDPServer.listen). */
    EXPECT(PP_ERR_UNAVAILABLE, pp_get_packet(udp, &data, &len));
    EXPECT(PP_OK, pp_packet_peer_udp_new(&udp2));
    EXPECT(PP_ERR_UNAVAILABLE, pp_packet_peer_udp_bind(udp2, udp_port, "127.0.0.1", 65536));
    EXPECT(PP_OK, pp_udp_server_new(&udp_server));
    EXPECT(PP_ERR_UNAVAILABLE, pp_udp_server_listen(udp_server, udp_port, "127.0.0.1"));

    /* PP_ERR_ALREADY_IN_USE: already bound / listening; a TCP port in use (TCPServer.listen,
     * WebSocketMultiplayerPeer.create_server). */
    EXPECT(PP_ERR_ALREADY_IN_USE, pp_packet_peer_udp_bind(udp, 0, "127.0.0.1", 65536));
    EXPECT(PP_OK, pp_tcp_server_new(&tcp2));
    EXPECT(PP_ERR_ALREADY_IN_USE, pp_tcp_server_listen(tcp2, tcp_port, "127.0.0.1"));
    EXPECT(PP_OK, pp_websocket_multiplayer_peer_new(&ws_mp));
    EXPECT(PP_ERR_ALREADY_IN_USE, pp_websocket_multiplayer_peer_create_server(ws_mp, tcp_port, "127.0.0.1", NULL));

    /* PP_ERR_CANT_CREATE: an ENet port in use (ENetConnection.create_host_bound,
     * ENetMultiplayerPeer.create_server). */
    EXPECT(PP_OK, pp_enet_connection_new(&enet));
    EXPECT(PP_ERR_CANT_CREATE, pp_enet_connection_create_host_bound(enet, "127.0.0.1", udp_port, 1, 0, 0, 0));
    EXPECT(PP_OK, pp_enet_multiplayer_peer_new(&mp));
    EXPECT(PP_OK, pp_enet_multiplayer_peer_set_bind_ip(mp, "127.0.0.1"));
    EXPECT(PP_ERR_CANT_CREATE, pp_enet_multiplayer_peer_create_server(mp, udp_port, 4, 0, 0, 0));

    /* PP_ERR_UNCONFIGURED: no destination, no stream peer. */
    EXPECT(PP_ERR_UNCONFIGURED, pp_put_packet(udp2, (const uint8_t *)"x", 1));
    EXPECT(PP_OK, pp_packet_peer_stream_new(&pps));
    EXPECT(PP_ERR_UNCONFIGURED, pp_put_packet(pps, (const uint8_t *)"x", 1));

    /* PP_ERR_PARAMETER_RANGE_ERROR: an index past the end, a text buffer too small. */
    EXPECT(PP_OK, pp_variant_new_array(&arr));
    EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_variant_array_get(arr, 0, &item));
    {
        char small[2];
        EXPECT(PP_OK, pp_packet_peer_udp_set_dest_address(udp2, "127.0.0.1", udp_port));
        EXPECT(PP_OK, pp_put_packet(udp2, (const uint8_t *)"x", 1));
        EXPECT(PP_OK, pp_packet_peer_udp_wait_timeout(udp, 10000));
        EXPECT(PP_OK, pp_get_packet(udp, &data, &len)); /* get_packet_ip tells this packet's sender */
        EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_packet_peer_udp_get_packet_ip(udp, small, sizeof small, &len));
        CHECK(len == strlen("127.0.0.1"));
    }

    /* PP_ERR_OUT_OF_MEMORY: put_var over the encode limit. */
    memset(blob, 7, sizeof blob);
    EXPECT(PP_OK, pp_variant_new_packed_byte_array(blob, sizeof blob, &big));
    EXPECT(PP_OK, pp_set_encode_buffer_max_size(udp2, 1024));
    EXPECT(PP_ERR_OUT_OF_MEMORY, pp_put_var(udp2, big, false));

    /* PP_ERR_BUSY, not PP_ERR_TIMEOUT: a UDP wait whose time ran out (the engine's code). */
    EXPECT(PP_ERR_BUSY, pp_packet_peer_udp_wait_timeout(udp2, 20));

    /* PP_ERR_CANT_CONNECT: the connection cannot start (ENet: no free peer slot). */
    EXPECT(PP_OK, pp_enet_connection_new(&enet2));
    EXPECT(PP_OK, pp_enet_connection_create_host_bound(enet2, "127.0.0.1", 0, 1, 0, 0, 0));
    {
        pp_peer *p1 = NULL, *p2 = NULL;
        EXPECT(PP_OK, pp_enet_connection_connect_to_host(enet2, "127.0.0.1", udp_port, 0, 0, &p1));
        EXPECT(PP_ERR_CANT_CONNECT, pp_enet_connection_connect_to_host(enet2, "127.0.0.1", udp_port, 0, 0, &p2));
    }

    /* PP_ERR_CANT_RESOLVE: a host name that does not resolve (the empty name: no resolver involved). */
    EXPECT(PP_ERR_CANT_RESOLVE, pp_packet_peer_udp_set_dest_address(udp2, "", 9));

    /* PP_ERR_CONNECTION_ERROR: the connection failed or was lost (StreamPeerTCP.poll after a refused
     * connect: the listener is stopped first). PP_FAILED: a write on that broken socket. */
    EXPECT(PP_OK, pp_tcp_server_stop(tcp));
    EXPECT(PP_OK, pp_stream_peer_tcp_new(&client));
    EXPECT(PP_OK, pp_stream_peer_tcp_connect_to_host(client, "127.0.0.1", tcp_port));
    {
        pp_error e = PP_OK;
        for (i = 0; i < 2000 && pp_stream_peer_tcp_get_status(client) == PP_STREAM_PEER_TCP_STATUS_CONNECTING; i++) {
            e = pp_stream_peer_tcp_poll(client);
            nap();
        }
        CHECK(pp_stream_peer_tcp_get_status(client) == PP_STREAM_PEER_TCP_STATUS_ERROR);
        EXPECT(PP_ERR_CONNECTION_ERROR, e);
        EXPECT(PP_FAILED, pp_stream_peer_put_data(client, (const uint8_t *)"x", 1));
    }
    {   /* ... and the words beside the code: the OS's reason. */
        char why[128];
        EXPECT(PP_OK, pp_stream_peer_tcp_get_last_error_text(client, why, sizeof why, &len));
        CHECK(strstr(why, "refused") != NULL && len == strlen(why));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_stream_peer_tcp_get_last_error_text((pp_stream_peer *)udp, why, sizeof why, &len));
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_stream_peer_tcp_get_last_error_text(NULL, why, sizeof why, &len));
        EXPECT(PP_OK, pp_stream_peer_tcp_get_last_error_text(client, why, sizeof why, NULL));
        EXPECT(PP_ERR_PARAMETER_RANGE_ERROR, pp_stream_peer_tcp_get_last_error_text(client, why, 4, &len));
    }

    /* PP_ERR_BUSY: would block (a blocking-style read on a stream with too few bytes). */
    EXPECT(PP_OK, pp_stream_peer_pipe_new(&pipe_a, &pipe_b));
    EXPECT(PP_ERR_BUSY, pp_stream_peer_get_data(pipe_b, &byte, 1));
    {
        char why[8];
        EXPECT(PP_ERR_INVALID_PARAMETER, pp_stream_peer_tcp_get_last_error_text(pipe_a, why, sizeof why, NULL));
    }

    /* A client that never connects (README): the server's port stays silent (a UDP socket that never
     * answers); with a short ENet timeout the client gives up within a second and says so with a
     * CONNECT_TIMED_OUT event instead of a silent DISCONNECTED. */
    {
        pp_peer *mp_client = NULL, *server_peer = NULL;
        pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING;
        pp_multiplayer_event ev;
        EXPECT(PP_OK, pp_enet_multiplayer_peer_new(&mp_client));
        EXPECT(PP_OK, pp_enet_multiplayer_peer_create_client(mp_client, "127.0.0.1", udp_port, 0, 0, 0, 0));
        EXPECT(PP_OK, pp_enet_multiplayer_peer_get_peer(mp_client, 1, &server_peer));
        EXPECT(PP_OK, pp_enet_packet_peer_set_timeout(server_peer, 32, 100, 300));
        for (i = 0; i < 2000 && st != PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED; i++) {
            (void)pp_multiplayer_peer_poll(mp_client);
            EXPECT(PP_OK, pp_multiplayer_peer_get_connection_status(mp_client, &st));
            nap();
        }
        CHECK(st == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);
        EXPECT(PP_OK, pp_multiplayer_peer_pop_event(mp_client, &ev));
        CHECK(ev.kind == PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT && ev.peer_id == 1 && ev.dropped == 0);
        EXPECT(PP_ERR_UNAVAILABLE, pp_multiplayer_peer_pop_event(mp_client, &ev));
        pp_peer_free(mp_client);
    }

    /* PP_ERR_INVALID_DATA: malformed bytes. PP_ERR_INVALID_PARAMETER: NULL, bad port, wrong class. */
    EXPECT(PP_ERR_INVALID_DATA, pp_bytes_to_var((const uint8_t *)"\x01", 1, false, &item));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_put_packet(NULL, NULL, 0));
    EXPECT(PP_OK, pp_packet_peer_udp_new(&udp3));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_packet_peer_udp_bind(udp3, 70000, "*", 65536));
    EXPECT(PP_ERR_INVALID_PARAMETER, pp_tcp_server_listen((pp_tcp_server *)udp_server, 0, "*"));

    pp_variant_free(arr); pp_variant_free(big);
    pp_peer_free(udp); pp_peer_free(udp2); pp_peer_free(udp3); pp_peer_free(pps); pp_peer_free(mp); pp_peer_free(ws_mp);
    pp_udp_server_free(udp_server); pp_tcp_server_free(tcp); pp_tcp_server_free(tcp2);
    pp_stream_peer_free(client); pp_stream_peer_free(pipe_a); pp_stream_peer_free(pipe_b);
    pp_enet_connection_free(enet); pp_enet_connection_free(enet2);
    puts("the README's error table holds");
    return 0;
}
