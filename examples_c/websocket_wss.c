/* websocket_wss: a WebSocketMultiplayerPeer server and client over wss (TLS), both in this process.
 *
 * Shows: a self-signed certificate from the Crypto helpers (pp_crypto_generate_rsa,
 * pp_crypto_generate_self_signed_certificate), pp_tls_options_server / _client, create_server and
 * create_client with TLS options, a packet each way, the server's lent WebSocketPeer of the client
 * (pp_websocket_multiplayer_peer_get_peer, its TLS status), and a client with the default options
 * (system CAs) that is refused, with the reason (pp_websocket_multiplayer_peer_get_last_error_text).
 * Loopback, port 0, bounded waits, exits 0 (a ctest smoke test).
 * Run: ./websocket_wss
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"

#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s: %s\n", #call, pp_error_name(e_)); goto done; } } while (0)

static void nap(void) { struct timespec ts = {0, 1000000}; nanosleep(&ts, NULL); }

/* Polls the server and a client until the client's status is `want` (bounded, ~30 s). */
static int until_status(pp_peer *srv, pp_peer *cl, pp_multiplayer_peer_connection_status want) {
    pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING;
    int i;
    for (i = 0; i < 30000; i++) {
        pp_multiplayer_peer_poll(srv);
        pp_multiplayer_peer_poll(cl);
        if (pp_multiplayer_peer_get_connection_status(cl, &st) == PP_OK && st == want) return 1;
        nap();
    }
    return 0;
}

int main(void) {
    pp_crypto_key *key = NULL; pp_x509_certificate *cert = NULL;
    pp_tls_options *server_opts = NULL, *client_opts = NULL;
    pp_peer *server = NULL, *client = NULL, *stranger = NULL, *view = NULL;
    const uint8_t *data; size_t len; char url[64], text[512];
    int32_t id = 0, n = 0, m = 0; int i, ok = 0;

    TRY(pp_crypto_generate_rsa(2048, &key));
    TRY(pp_crypto_generate_self_signed_certificate(key, "CN=localhost,O=packetpeer example,C=IT",
                                                   "20240101000000", "20440101000000", &cert));
    TRY(pp_tls_options_server(key, cert, &server_opts));
    TRY(pp_tls_options_client(cert, "localhost", &client_opts)); /* trust exactly this certificate */

    TRY(pp_websocket_multiplayer_peer_new(&server));
    TRY(pp_websocket_multiplayer_peer_create_server(server, 0, "127.0.0.1", server_opts));
    snprintf(url, sizeof url, "wss://127.0.0.1:%d/game", (int)pp_websocket_multiplayer_peer_get_local_port(server));
    TRY(pp_websocket_multiplayer_peer_new(&client));
    TRY(pp_websocket_multiplayer_peer_create_client(client, url, client_opts));
    if (!until_status(server, client, PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED)) goto done;
    TRY(pp_multiplayer_peer_get_unique_id(client, &id));
    TRY(pp_websocket_multiplayer_peer_get_peer(server, id, &view)); /* lent: do not free */
    printf("client %d connected to %s, TLS status %d (2 = connected)\n", (int)id, url,
           (int)pp_websocket_peer_get_tls_status(view));

    TRY(pp_put_packet(client, (const uint8_t *)"hello over tls", 14));
    TRY(pp_multiplayer_peer_set_target_peer(server, id));
    TRY(pp_put_packet(server, (const uint8_t *)"welcome", 7));
    for (i = 0; i < 30000 && (n < 1 || m < 1); i++) {
        pp_multiplayer_peer_poll(server); pp_multiplayer_peer_poll(client); nap();
        pp_get_available_packet_count(client, &n); pp_get_available_packet_count(server, &m);
    }
    TRY(pp_get_packet(server, &data, &len));
    printf("server got: %.*s\n", (int)len, (const char *)data);
    TRY(pp_get_packet(client, &data, &len));
    printf("client got: %.*s\n", (int)len, (const char *)data);

    /* NULL options = the system CAs, which do not know our self-signed certificate. */
    TRY(pp_websocket_multiplayer_peer_new(&stranger));
    TRY(pp_websocket_multiplayer_peer_create_client(stranger, url, NULL));
    if (!until_status(server, stranger, PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED)) goto done;
    TRY(pp_websocket_multiplayer_peer_get_last_error_text(stranger, text, sizeof text, NULL));
    printf("a client without the certificate was refused: %s\n", text);
    ok = 1;
done:
    if (!ok) fprintf(stderr, "websocket_wss failed\n");
    pp_peer_free(stranger); pp_peer_free(client); pp_peer_free(server);
    pp_tls_options_free(client_opts); pp_tls_options_free(server_opts);
    pp_x509_certificate_free(cert); pp_crypto_key_free(key);
    return ok ? 0 : 1;
}
