/* ENetMultiplayerPeer over DTLS through the C API, the way Godot games set it up: create_server /
 * create_client, then pp_enet_connection_dtls_server_setup / _client_setup on the host from
 * pp_enet_multiplayer_peer_get_host. A server and two clients on loopback: unique ids and connect
 * events, reliable packets once and in order both ways, unreliable ones, the DTLS counters
 * (pp_enet_connection_get_dtls_stats, with its NULL and no-DTLS cases), a server-side disconnect and
 * a client close. 127.0.0.1 only, port 0, bounded waits. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"

// ctest-timeout: 180

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

#define BAD PP_ERR_INVALID_PARAMETER
#define N_RELIABLE 20

#include "test_cert.h" /* the fixed test key and certificate */

static void nap(void) {
    struct timespec ts = {0, 1000000}; /* 1 ms */
    nanosleep(&ts, NULL);
}

static int32_t count_of(pp_peer *p) {
    int32_t n = -1;
    if (pp_get_available_packet_count(p, &n) != PP_OK) return -1;
    return n;
}

static int32_t status_of(pp_peer *p) {
    pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED;
    if (pp_multiplayer_peer_get_connection_status(p, &st) != PP_OK) return -1;
    return (int32_t)st;
}

static void poll_all(pp_peer *s, pp_peer **c) {
    pp_multiplayer_peer_poll(s);
    pp_multiplayer_peer_poll(c[0]);
    pp_multiplayer_peer_poll(c[1]);
}

static int dtls_sessions(pp_peer *mp) {
    pp_enet_connection *h = NULL;
    pp_enet_dtls_stats st;
    int r = -1;
    if (pp_enet_multiplayer_peer_get_host(mp, &h) != PP_OK) return -1;
    if (pp_enet_connection_get_dtls_stats(h, &st) == PP_OK) r = (int)st.sessions_connected;
    pp_enet_connection_free(h); /* a shared handle: the peer keeps its host */
    return r;
}

int main(void) {
    pp_crypto_key *key = NULL;
    pp_x509_certificate *cert = NULL;
    pp_tls_options *so = NULL, *co = NULL;
    pp_peer *s = NULL, *c[2] = {NULL, NULL};
    pp_enet_connection *host = NULL, *bare = NULL, *plain = NULL;
    pp_enet_dtls_stats st;
    pp_multiplayer_event ev;
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t port, id[2] = {0, 0}, v = 0;
    int i, k, joined = 0, next[2] = {0, 0}, got_news[2] = {0, 0}, left = 0;
    char msg[32];
    pp_multiplayer_peer_transfer_mode mode;

    CHECK(pp_crypto_key_load_pem((const uint8_t *)EC_KEY_PEM, strlen(EC_KEY_PEM), false, &key) == PP_OK);
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)EC_CERT_PEM, strlen(EC_CERT_PEM), &cert) == PP_OK);
    CHECK(pp_tls_options_server(key, cert, &so) == PP_OK);
    CHECK(pp_tls_options_client(cert, NULL, &co) == PP_OK);

    /* pp_enet_connection_get_dtls_stats: NULL, no host, a host without DTLS. */
    CHECK(pp_enet_connection_get_dtls_stats(NULL, &st) == BAD);
    CHECK(pp_enet_connection_new(&bare) == PP_OK);
    CHECK(pp_enet_connection_get_dtls_stats(bare, NULL) == BAD);
    CHECK(pp_enet_connection_get_dtls_stats(bare, &st) == PP_ERR_UNAVAILABLE);
    CHECK(pp_enet_connection_new(&plain) == PP_OK);
    CHECK(pp_enet_connection_create_host_bound(plain, "127.0.0.1", 0, 1, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_connection_get_dtls_stats(plain, &st) == PP_ERR_UNAVAILABLE);
    pp_enet_connection_free(plain);
    pp_enet_connection_free(bare);

    /* The server: create_server, then DTLS on its host. */
    CHECK(pp_enet_multiplayer_peer_new(&s) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_set_bind_ip(s, "127.0.0.1") == PP_OK);
    CHECK(pp_enet_multiplayer_peer_create_server(s, 0, 8, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_multiplayer_peer_get_host(s, &host) == PP_OK);
    CHECK(pp_enet_connection_dtls_server_setup(host, co) == BAD);
    CHECK(pp_enet_connection_dtls_server_setup(host, so) == PP_OK);
    CHECK(pp_enet_connection_dtls_server_setup(host, so) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_enet_connection_get_dtls_stats(host, &st) == PP_OK && st.sessions_connected == 0);
    port = pp_enet_connection_get_local_port(host);
    CHECK(port > 0);

    /* Two clients: create_client, then DTLS on their hosts (the CONNECT goes out encrypted). */
    for (i = 0; i < 2; i++) {
        pp_enet_connection *ch = NULL;
        CHECK(pp_enet_multiplayer_peer_new(&c[i]) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_create_client(c[i], "127.0.0.1", port, 0, 0, 0, 0) == PP_OK);
        CHECK(pp_enet_multiplayer_peer_get_host(c[i], &ch) == PP_OK);
        CHECK(pp_enet_connection_dtls_client_setup(ch, "localhost", so) == BAD);
        CHECK(pp_enet_connection_dtls_client_setup(ch, "localhost", co) == PP_OK);
        pp_enet_connection_free(ch);
    }
    for (i = 0; i < 30000 && !(joined == 2 && status_of(c[0]) == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED &&
                               status_of(c[1]) == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
         i++) {
        poll_all(s, c);
        while (pp_multiplayer_peer_pop_event(s, &ev) == PP_OK) {
            CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev.peer_id >= 2);
            joined++;
        }
        nap();
    }
    CHECK(joined == 2);
    for (i = 0; i < 2; i++) {
        CHECK(status_of(c[i]) == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
        CHECK(pp_multiplayer_peer_get_unique_id(c[i], &id[i]) == PP_OK && id[i] >= 2);
        CHECK(pp_multiplayer_peer_pop_event(c[i], &ev) == PP_OK);
        CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev.peer_id == 1);
        CHECK(dtls_sessions(c[i]) == 1);
    }
    CHECK(id[0] != id[1]);
    CHECK(pp_enet_connection_get_dtls_stats(host, &st) == PP_OK && st.sessions_connected == 2);

    /* Reliable, clients to server: each sender's packets once, in order. */
    for (i = 0; i < 2; i++) {
        CHECK(pp_multiplayer_peer_set_transfer_mode(c[i], PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE) == PP_OK);
        CHECK(pp_multiplayer_peer_set_target_peer(c[i], 1) == PP_OK);
        for (k = 0; k < N_RELIABLE; k++) {
            snprintf(msg, sizeof msg, "c%d-%d", i, k);
            CHECK(pp_put_packet(c[i], (const uint8_t *)msg, strlen(msg)) == PP_OK);
        }
    }
    /* Reliable broadcast, server to clients. */
    CHECK(pp_multiplayer_peer_set_target_peer(s, 0) == PP_OK);
    CHECK(pp_put_packet(s, (const uint8_t *)"news", 4) == PP_OK);
    for (i = 0; i < 30000 && !(next[0] == N_RELIABLE && next[1] == N_RELIABLE && got_news[0] && got_news[1]); i++) {
        poll_all(s, c);
        while (count_of(s) > 0) {
            int from;
            CHECK(pp_multiplayer_peer_get_packet_peer(s, &v) == PP_OK);
            CHECK(pp_multiplayer_peer_get_packet_mode(s, &mode) == PP_OK && mode == PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE);
            CHECK(v == id[0] || v == id[1]);
            from = v == id[0] ? 0 : 1;
            CHECK(pp_get_packet(s, &data, &len) == PP_OK);
            CHECK(next[from] < N_RELIABLE);
            snprintf(msg, sizeof msg, "c%d-%d", from, next[from]);
            CHECK(len == strlen(msg) && memcmp(data, msg, len) == 0); /* once, in order */
            next[from]++;
        }
        for (k = 0; k < 2; k++) {
            while (count_of(c[k]) > 0) {
                CHECK(pp_multiplayer_peer_get_packet_peer(c[k], &v) == PP_OK && v == 1);
                CHECK(pp_get_packet(c[k], &data, &len) == PP_OK && len == 4 && memcmp(data, "news", 4) == 0);
                CHECK(!got_news[k]);
                got_news[k] = 1;
            }
        }
        nap();
    }
    CHECK(next[0] == N_RELIABLE && next[1] == N_RELIABLE && got_news[0] && got_news[1]);

    /* Unreliable, server to c[0] only: sent again every 200 ms until it arrives. */
    CHECK(pp_multiplayer_peer_set_transfer_mode(s, PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE) == PP_OK);
    CHECK(pp_multiplayer_peer_set_target_peer(s, id[0]) == PP_OK);
    for (k = 0; k < 150 && count_of(c[0]) <= 0; k++) {
        CHECK(pp_put_packet(s, (const uint8_t *)"fast", 4) == PP_OK);
        for (i = 0; i < 200 && count_of(c[0]) <= 0; i++) {
            poll_all(s, c);
            nap();
        }
    }
    CHECK(count_of(c[0]) > 0);
    CHECK(pp_multiplayer_peer_get_packet_mode(c[0], &mode) == PP_OK && mode == PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE);
    CHECK(pp_get_packet(c[0], &data, &len) == PP_OK && len == 4 && memcmp(data, "fast", 4) == 0);
    CHECK(count_of(c[1]) == 0);

    /* The server disconnects c[1]; then c[0] closes. */
    CHECK(pp_multiplayer_peer_disconnect_peer(s, id[1], false) == PP_OK);
    for (i = 0; i < 30000 && !(status_of(c[1]) == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED && left == 1); i++) {
        poll_all(s, c);
        while (pp_multiplayer_peer_pop_event(s, &ev) == PP_OK) {
            CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED && ev.peer_id == id[1]);
            left++;
        }
        nap();
    }
    CHECK(status_of(c[1]) == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED && left == 1);
    CHECK(status_of(c[0]) == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
    CHECK(pp_multiplayer_peer_close(c[0]) == PP_OK);
    for (i = 0; i < 30000 && left < 2; i++) {
        pp_multiplayer_peer_poll(s);
        while (pp_multiplayer_peer_pop_event(s, &ev) == PP_OK) {
            CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED && ev.peer_id == id[0]);
            left++;
        }
        nap();
    }
    CHECK(left == 2);
    CHECK(pp_enet_connection_get_dtls_stats(host, &st) == PP_OK && st.sessions_connected == 2);

    pp_enet_connection_free(host);
    pp_peer_free(c[0]);
    pp_peer_free(c[1]);
    pp_peer_free(s);
    pp_tls_options_free(so);
    pp_tls_options_free(co);
    pp_x509_certificate_free(cert);
    pp_crypto_key_free(key);
    printf("test_enet_multiplayer_dtls: ok\n");
    return 0;
}
