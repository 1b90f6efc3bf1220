/* dtls_echo: a DTLS server (UDPServer + DTLSServer) echoes packets back to a PacketPeerDTLS client,
 * both in this process, with a key and self-signed certificate made on the spot.
 *
 * Shows: pp_crypto_generate_rsa / _generate_self_signed_certificate, server and client TLSOptions
 * (the client trusts exactly that certificate and checks the name "localhost"), the cookie round
 * (the first server-side peer of a client ends in ERROR and is dropped; its retry is taken), the
 * base calls pp_put_packet / pp_get_packet over DTLS, and close_notify. Loopback only (127.0.0.1,
 * port 0), bounded waits: a ctest smoke test. Run: ./dtls_echo (exits 0 on success)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"

#define TRY(call)                                                                                  \
    do {                                                                                           \
        pp_error e_ = (call);                                                                      \
        if (e_ != PP_OK) {                                                                         \
            fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_));                         \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

static void nap_1ms(void) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

int main(void) {
    pp_crypto_key *key = NULL;
    pp_x509_certificate *cert = NULL;
    pp_tls_options *server_opts = NULL, *client_opts = NULL;
    pp_udp_server *udp_server = NULL; pp_dtls_server *dtls_server = NULL;
    pp_peer *udp = NULL, *client = NULL, *served = NULL;
    const uint8_t *data; size_t len; int i, echoed = 0, ok = 0;

    TRY(pp_crypto_generate_rsa(2048, &key));
    TRY(pp_crypto_generate_self_signed_certificate(key, "CN=localhost,O=example,C=IT", NULL, NULL, &cert));
    TRY(pp_tls_options_server(key, cert, &server_opts));
    TRY(pp_tls_options_client(cert, NULL, &client_opts));

    TRY(pp_udp_server_new(&udp_server));
    TRY(pp_udp_server_listen(udp_server, 0, "127.0.0.1"));
    TRY(pp_dtls_server_new(&dtls_server));
    TRY(pp_dtls_server_setup(dtls_server, server_opts));
    TRY(pp_packet_peer_udp_new(&udp));
    TRY(pp_packet_peer_udp_connect_to_host(udp, "127.0.0.1", pp_udp_server_get_local_port(udp_server)));
    TRY(pp_packet_peer_dtls_new(&client));
    TRY(pp_packet_peer_dtls_connect_to_peer(client, udp, "localhost", client_opts));

    for (i = 0; i < 20000 && echoed < 3; i++) {
        pp_peer *pending = NULL;
        /* Server: new sources become DTLS peers; keep only those still handshaking. */
        TRY(pp_udp_server_poll(udp_server));
        while (pp_udp_server_take_connection(udp_server, &pending) == PP_OK) {
            pp_peer *p = NULL;
            TRY(pp_dtls_server_take_connection(dtls_server, pending, &p));
            pp_peer_free(pending);
            if (served == NULL && pp_packet_peer_dtls_get_status(p) == PP_TLS_STATUS_HANDSHAKING) {
                served = p;
            } else {
                printf("server: dropped a peer in status %d (the cookie round)\n",
                       (int)pp_packet_peer_dtls_get_status(p));
                pp_peer_free(p);
            }
        }
        if (served != NULL) {
            TRY(pp_packet_peer_dtls_poll(served));
            while (pp_get_packet(served, &data, &len) == PP_OK) TRY(pp_put_packet(served, data, len));
        }
        /* Client: once connected, send a message and wait for its echo, three times. */
        TRY(pp_packet_peer_dtls_poll(client));
        if (pp_packet_peer_dtls_get_status(client) == PP_TLS_STATUS_CONNECTED) {
            char msg[32];
            if (pp_get_packet(client, &data, &len) == PP_OK) {
                printf("client: echo \"%.*s\"\n", (int)len, (const char *)data);
                echoed++;
            } else if (i % 100 == 0) {
                snprintf(msg, sizeof msg, "hello over DTLS #%d", echoed + 1);
                TRY(pp_put_packet(client, (const uint8_t *)msg, strlen(msg)));
            }
        }
        nap_1ms();
    }
    TRY(pp_packet_peer_dtls_disconnect_from_peer(client));
    ok = echoed >= 3;
done:
    pp_peer_free(served);
    pp_peer_free(client);
    pp_peer_free(udp);
    pp_dtls_server_free(dtls_server);
    pp_udp_server_free(udp_server);
    pp_tls_options_free(client_opts);
    pp_tls_options_free(server_opts);
    pp_x509_certificate_free(cert);
    pp_crypto_key_free(key);
    printf("%s\n", ok ? "dtls_echo: ok" : "dtls_echo: FAILED");
    return ok ? 0 : 1;
}
