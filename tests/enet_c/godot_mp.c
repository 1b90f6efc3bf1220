/* A stock C ENet peer playing a Godot 4 ENetMultiplayerPeer on the wire (`docs/classes.md` §17), driven by
 * tests/enet_multiplayer_interop.rs. Loopback only.
 *
 *   godot_mp client <port> <id> <timeout_ms>
 *       A Godot client: connects asking for 255 channels with connect data = <id>. On CONNECT sends
 *       "rel" on channel 0 (RELIABLE) and "ch3" on channel 4 (user channel 3, RELIABLE), and
 *       "uns<k>" on channel 1 (UNSEQUENCED|UNRELIABLE_FRAGMENT) and "ord<k>" on channel 1
 *       (UNRELIABLE_FRAGMENT) for k = 0, 1, ...: unreliable packets may be dropped (ENet's throttle, a
 *       full socket buffer), so these go again every 200 ms (k counting the copies) until "bcast-r"
 *       arrives, which the server sends once it has all four. Then waits for the server's broadcasts
 *       "bcast-r" (channel 0, reliable) and "bcast-u" (channel 1, unsequenced), printing
 *       "GOT <channel> <flags> <data>", disconnects and exits 0.
 *   godot_mp server <timeout_ms>
 *       A Godot server: binds 127.0.0.1:0, prints "PORT <n>", prints "CONNECT <data> <channelCount>"
 *       per connection, echoes every packet on its channel with its flags (printing
 *       "RECV <channel> <flags> <data>"), exits 0 at the first DISCONNECT.
 */
#include <enet/enet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F_REL ENET_PACKET_FLAG_RELIABLE
#define F_UNS ENET_PACKET_FLAG_UNSEQUENCED
#define F_FRAG ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT

static void send_str(ENetPeer *p, enet_uint8 ch, const char *s, enet_uint32 flags) {
    enet_peer_send(p, ch, enet_packet_create(s, strlen(s), flags));
}

static int run_client(int port, unsigned id, int timeout_ms) {
    ENetAddress addr;
    ENetHost *host = enet_host_create(NULL, 1, 0, 0, 0);
    ENetPeer *peer;
    ENetEvent ev;
    int got_r = 0, got_u = 0, disconnecting = 0, connected = 0, copies = 0;
    enet_uint32 start = enet_time_get(), sent_unreliable = 0;
    if (!host) return 2;
    enet_address_set_host_ip(&addr, "127.0.0.1");
    addr.port = (enet_uint16)port;
    peer = enet_host_connect(host, &addr, 255, id);
    if (!peer) return 2;
    while (enet_time_get() - start < (enet_uint32)timeout_ms) {
        if (enet_host_service(host, &ev, 5) < 0) return 3;
        if (connected && !got_r && enet_time_get() - sent_unreliable >= 200) {
            char msg[16];
            snprintf(msg, sizeof msg, "uns%d", copies);
            send_str(peer, 1, msg, F_UNS | F_FRAG);
            snprintf(msg, sizeof msg, "ord%d", copies);
            send_str(peer, 1, msg, F_FRAG);
            copies++;
            sent_unreliable = enet_time_get();
        }
        if (ev.type == ENET_EVENT_TYPE_CONNECT) {
            send_str(peer, 0, "rel", F_REL);
            send_str(peer, 4, "ch3", F_REL);
            connected = 1;
            sent_unreliable = enet_time_get() - 200; /* the first copies go out right away */
        } else if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
            char buf[64];
            size_t n = ev.packet->dataLength < 63 ? ev.packet->dataLength : 63;
            memcpy(buf, ev.packet->data, n);
            buf[n] = 0;
            printf("GOT %u %u %s\n", ev.channelID, ev.packet->flags & (F_REL | F_UNS | F_FRAG), buf);
            fflush(stdout);
            if (strcmp(buf, "bcast-r") == 0 && ev.channelID == 0 && (ev.packet->flags & F_REL)) got_r = 1;
            if (strcmp(buf, "bcast-u") == 0 && ev.channelID == 1 && (ev.packet->flags & F_UNS)) got_u = 1;
            enet_packet_destroy(ev.packet);
            if (got_r && got_u && !disconnecting) {
                enet_peer_disconnect(peer, 0);
                disconnecting = 1;
            }
        } else if (ev.type == ENET_EVENT_TYPE_DISCONNECT) {
            enet_host_destroy(host);
            return disconnecting ? 0 : 4;
        }
    }
    fprintf(stderr, "client timed out (got_r %d got_u %d)\n", got_r, got_u);
    return 1;
}

static int run_server(int timeout_ms) {
    ENetAddress addr;
    ENetHost *host;
    ENetEvent ev;
    enet_uint32 start = enet_time_get();
    enet_address_set_host_ip(&addr, "127.0.0.1");
    addr.port = 0;
    host = enet_host_create(&addr, 8, 255, 0, 0);
    if (!host || enet_socket_get_address(host->socket, &addr) != 0) return 2;
    printf("PORT %u\n", addr.port);
    fflush(stdout);
    while (enet_time_get() - start < (enet_uint32)timeout_ms) {
        if (enet_host_service(host, &ev, 5) < 0) return 3;
        if (ev.type == ENET_EVENT_TYPE_CONNECT) {
            printf("CONNECT %u %u\n", ev.data, (unsigned)ev.peer->channelCount);
            fflush(stdout);
        } else if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
            enet_uint32 fl = ev.packet->flags & (F_REL | F_UNS | F_FRAG);
            char buf[64];
            size_t n = ev.packet->dataLength < 63 ? ev.packet->dataLength : 63;
            memcpy(buf, ev.packet->data, n);
            buf[n] = 0;
            printf("RECV %u %u %s\n", ev.channelID, fl, buf);
            fflush(stdout);
            enet_peer_send(ev.peer, ev.channelID, enet_packet_create(ev.packet->data, ev.packet->dataLength, fl));
            enet_packet_destroy(ev.packet);
        } else if (ev.type == ENET_EVENT_TYPE_DISCONNECT) {
            enet_host_destroy(host);
            return 0;
        }
    }
    fprintf(stderr, "server timed out\n");
    return 1;
}

int main(int argc, char **argv) {
    if (enet_initialize() != 0) return 2;
    if (argc == 5 && strcmp(argv[1], "client") == 0)
        return run_client(atoi(argv[2]), (unsigned)strtoul(argv[3], NULL, 10), atoi(argv[4]));
    if (argc == 3 && strcmp(argv[1], "server") == 0) return run_server(atoi(argv[2]));
    fprintf(stderr, "usage: godot_mp client <port> <id> <timeout_ms> | server <timeout_ms>\n");
    return 2;
}
