/* websocket_chat: a WebSocket chat server and client (WebSocketPeer), both in this process by default.
 *
 * Shows: pp_tcp_server_listen/_take_connection + pp_websocket_peer_accept_stream (server side),
 * pp_websocket_peer_connect_to_url (client), pp_websocket_peer_poll, send_text/pp_get_packet,
 * close with a code and reason. Default: loopback, port 0, bounded waits, exits 0 (a ctest smoke test).
 * Run: ./websocket_chat          (one exchange, prints it)
 *      ./websocket_chat 8080     (echo server on 127.0.0.1:8080 for a browser: in its console,
 *        s = new WebSocket("ws://127.0.0.1:8080"); s.onmessage = e => console.log(e.data); s.send("hi"))
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"

static void nap(void) { struct timespec ts = {0, 1000000}; nanosleep(&ts, NULL); }

/* Polls the peers until `rx` has a message (bounded, ~30 s unless `forever`), prints and returns it. */
static int receive(pp_peer *a, pp_peer *b, pp_peer *rx, char *out, size_t size, int forever) {
    const uint8_t *data; size_t len; int i;
    for (i = 0; forever || i < 30000; i++) {
        pp_websocket_peer_poll(a);
        if (b) pp_websocket_peer_poll(b);
        if (pp_get_packet(rx, &data, &len) == PP_OK) {
            if (len >= size) len = size - 1;
            memcpy(out, data, len); out[len] = 0;
            return 1;
        }
        if (pp_websocket_peer_get_ready_state(rx) == PP_WEBSOCKET_PEER_STATE_CLOSED) return 0;
        nap();
    }
    return 0;
}

static pp_peer *accept_client(pp_tcp_server *srv, pp_peer *client, int forever) {
    pp_stream_peer *conn = NULL; pp_peer *ws = NULL; int i;
    for (i = 0; forever || i < 30000; i++) {
        if (client) pp_websocket_peer_poll(client);
        if (pp_tcp_server_take_connection(srv, &conn) == PP_OK) break;
        nap();
    }
    if (!conn || pp_websocket_peer_new(&ws) != PP_OK || pp_websocket_peer_accept_stream(ws, conn) != PP_OK) {
        pp_peer_free(ws); ws = NULL;
    }
    pp_stream_peer_free(conn); /* the connection moved into ws */
    return ws;
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0, ok = 0, i;
    pp_tcp_server *srv = NULL; pp_peer *server = NULL, *client = NULL;
    char url[64], line[256], reply[300];
    const char *lines[3] = {"hello", "how are you?", "bye \xe2\x9c\x93"};

    if (pp_tcp_server_new(&srv) != PP_OK || pp_tcp_server_listen(srv, port, "127.0.0.1") != PP_OK) {
        fprintf(stderr, "cannot listen on port %d\n", port);
        goto done;
    }
    if (port) { /* browser mode: echo every text message of each client, until killed */
        printf("listening on ws://127.0.0.1:%d\n", port);
        fflush(stdout);
        for (;;) {
            server = accept_client(srv, NULL, 1);
            while (server && receive(server, NULL, server, line, sizeof line, 1)) {
                snprintf(reply, sizeof reply, "echo: %s", line);
                pp_websocket_peer_send_text(server, reply);
                printf("%s\n", reply);
                fflush(stdout);
            }
            pp_peer_free(server);
        }
    }
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/chat", pp_tcp_server_get_local_port(srv));
    if (pp_websocket_peer_new(&client) != PP_OK || pp_websocket_peer_connect_to_url(client, url, NULL) != PP_OK) goto done;
    if (!(server = accept_client(srv, client, 0))) goto done;
    for (i = 0; i < 3; i++) {
        for (int k = 0; k < 30000 && pp_websocket_peer_send_text(client, lines[i]) == PP_FAILED; k++) {
            pp_websocket_peer_poll(client); pp_websocket_peer_poll(server); nap(); /* until OPEN */
        }
        if (!receive(client, server, server, line, sizeof line, 0)) goto done;
        printf("server got: %s\n", line);
        snprintf(reply, sizeof reply, "echo: %s", line);
        if (pp_websocket_peer_send_text(server, reply) != PP_OK) goto done;
        if (!receive(client, server, client, line, sizeof line, 0)) goto done;
        printf("client got: %s\n", line);
    }
    pp_websocket_peer_close(client, 1000, "done");
    for (i = 0; i < 30000 && pp_websocket_peer_get_ready_state(client) != PP_WEBSOCKET_PEER_STATE_CLOSED; i++) {
        pp_websocket_peer_poll(client); pp_websocket_peer_poll(server); nap();
    }
    ok = pp_websocket_peer_get_ready_state(client) == PP_WEBSOCKET_PEER_STATE_CLOSED;
done:
    if (!ok) fprintf(stderr, "websocket_chat failed\n");
    pp_peer_free(client); pp_peer_free(server); pp_tcp_server_free(srv);
    return ok ? 0 : 1;
}
