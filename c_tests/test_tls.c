/* C ABI tests for TLS and DTLS: keys, certificates, Crypto helpers, TLSOptions, StreamPeerTLS,
 * PacketPeerDTLS and DTLSServer. NULL, wrong handle type, wrong class, bad PEM, wrong option kind,
 * then a loopback DTLS exchange (UDPServer + DTLSServer, with the cookie round) and a loopback TLS
 * exchange (TCPServer + StreamPeerTCP) with the StreamPeerTLS counters, the CA bundle override by
 * path, and ENet over DTLS between two connections. 127.0.0.1 only, port 0, bounded waits. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "packetpeer.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

#define BAD PP_ERR_INVALID_PARAMETER

static void nap_1ms(void) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

/* The handshakes use the fixed test key and certificate (test_cert.h). RSA generation is exercised
 * with a 1024-bit key. */
#include "test_cert.h"

static pp_crypto_key *key;
static pp_x509_certificate *cert;
static pp_tls_options *server_opts, *client_opts;

static int test_keys_and_options(void) {
    static const char bad_pem[] = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
    pp_crypto_key *k2 = NULL, *pub = NULL, *rsa = NULL;
    pp_x509_certificate *c2 = NULL, *got = NULL, *rsa_cert = NULL;
    pp_tls_options *o = NULL, *pinned = NULL;
    pp_stream_peer *buffer = NULL;
    char text[8192];
    char tiny[8];
    size_t len = 0;
    uint8_t fp[PP_SHA256_SIZE], fp2[PP_SHA256_SIZE];

    /* NULL and range checks. */
    CHECK(pp_crypto_generate_rsa(2048, NULL) == BAD);
    CHECK(pp_crypto_generate_rsa(100, &k2) == BAD && k2 == NULL);
    CHECK(pp_crypto_key_load_pem(NULL, 5, false, &k2) == BAD);
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)"x", 1, NULL) == BAD);
    CHECK(pp_crypto_key_is_public_only(NULL) == false);
    CHECK(pp_x509_certificate_get_count(NULL) == 0);
    CHECK(pp_tls_options_server(NULL, NULL, &o) == BAD);
    CHECK(pp_tls_options_client(NULL, NULL, NULL) == BAD);
    CHECK(pp_tls_options_is_server(NULL) == false);
    pp_crypto_key_free(NULL);
    pp_x509_certificate_free(NULL);
    pp_tls_options_free(NULL);
    pp_dtls_server_free(NULL);

    /* Bad PEM: ERR_INVALID_DATA, and the reason is retrievable. */
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)bad_pem, strlen(bad_pem), &c2) ==
          PP_ERR_INVALID_DATA);
    CHECK(c2 == NULL);
    CHECK(pp_tls_get_last_error_text(text, sizeof text, &len) == PP_OK && len > 0);
    CHECK(pp_crypto_key_load_pem((const uint8_t *)"garbage", 7, false, &k2) == PP_ERR_INVALID_DATA);
    CHECK(pp_crypto_key_load_der((const uint8_t *)"garbage", 7, true, &k2) == PP_ERR_INVALID_DATA);

    /* Generate, save, load. */
    CHECK(pp_crypto_generate_rsa(1024, &rsa) == PP_OK);
    CHECK(pp_crypto_generate_self_signed_certificate(rsa, NULL, NULL, "2014", &c2) == BAD);
    CHECK(pp_crypto_generate_self_signed_certificate(rsa, "CN=localhost,O=packetpeer,C=IT",
                                                     "20200101000000", "20400101000000",
                                                     &rsa_cert) == PP_OK);
    CHECK(pp_x509_certificate_get_count(rsa_cert) == 1);
    CHECK(pp_x509_certificate_save_pem(rsa_cert, tiny, sizeof tiny, &len) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(len > sizeof tiny);
    CHECK(pp_x509_certificate_save_pem(rsa_cert, text, sizeof text, &len) == PP_OK);
    CHECK(strncmp(text, "-----BEGIN CERTIFICATE-----", 27) == 0);
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)text, len, &c2) == PP_OK);
    CHECK(pp_x509_certificate_get_sha256(rsa_cert, fp) == PP_OK);
    CHECK(pp_x509_certificate_get_sha256(c2, fp2) == PP_OK);
    CHECK(memcmp(fp, fp2, sizeof fp) == 0);
    CHECK(pp_x509_certificate_get_sha256(rsa_cert, NULL) == BAD);
    pp_x509_certificate_free(c2);
    c2 = NULL;
    CHECK(pp_crypto_key_load_pem((const uint8_t *)EC_KEY_PEM, strlen(EC_KEY_PEM), false, &key) == PP_OK);
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)EC_CERT_PEM, strlen(EC_CERT_PEM), &cert) == PP_OK);
    CHECK(pp_crypto_key_save_pem(key, true, text, sizeof text, &len) == PP_OK);
    CHECK(pp_crypto_key_load_pem((const uint8_t *)text, len, true, &pub) == PP_OK);
    CHECK(pp_crypto_key_is_public_only(pub) && !pp_crypto_key_is_public_only(key));
    CHECK(pp_crypto_key_save_pem(rsa, false, text, sizeof text, &len) == PP_OK);
    CHECK(pp_crypto_key_load_pem((const uint8_t *)text, len, false, &k2) == PP_OK);
    /* A key that does not match the certificate cannot serve. */
    CHECK(pp_tls_options_server(rsa, cert, &o) == BAD);

    /* Wrong handle type: a certificate where a key belongs (and the reverse). */
    CHECK(pp_crypto_key_is_public_only((const pp_crypto_key *)cert) == false);
    CHECK(pp_tls_options_server((const pp_crypto_key *)cert, cert, &o) == BAD);
    CHECK(pp_tls_options_server(key, (const pp_x509_certificate *)key, &o) == BAD);
    /* A public-only key cannot serve. */
    CHECK(pp_tls_options_server(pub, cert, &o) == BAD);
    CHECK(pp_crypto_generate_self_signed_certificate(pub, NULL, NULL, NULL, &c2) == BAD);

    CHECK(pp_tls_options_server(key, cert, &server_opts) == PP_OK);
    CHECK(pp_tls_options_client(cert, NULL, &client_opts) == PP_OK);
    CHECK(pp_tls_options_is_server(server_opts) && !pp_tls_options_is_server(client_opts));
    CHECK(pp_tls_options_get_kind(server_opts) == PP_TLS_OPTIONS_SERVER);
    CHECK(pp_tls_options_get_trusted_ca_chain(client_opts, &got) == PP_OK);
    pp_x509_certificate_free(got);
    CHECK(pp_tls_options_get_trusted_ca_chain(server_opts, &got) == PP_ERR_UNAVAILABLE);
    CHECK(pp_tls_options_get_private_key(client_opts, &k2) == PP_ERR_UNAVAILABLE);
    CHECK(pp_tls_options_client_unsafe(NULL, &o) == PP_OK);
    CHECK(pp_tls_options_is_unsafe_client(o));
    CHECK(pp_tls_options_with_pinned_sha256(o, fp, 1, &pinned) == PP_OK);
    CHECK(pp_tls_options_with_pinned_sha256(o, NULL, 1, &pinned) == BAD);
    CHECK(pp_tls_options_get_common_name_override(client_opts, text, sizeof text, &len) == PP_OK);
    CHECK(len == 0);
    pp_tls_options_free(pinned);
    pp_tls_options_free(o);

    /* Wrong class and wrong option kind. */
    CHECK(pp_stream_peer_buffer_new(&buffer) == PP_OK);
    CHECK(pp_stream_peer_tls_poll(buffer) == BAD);
    CHECK(pp_stream_peer_tls_get_status(buffer) == PP_TLS_STATUS_DISCONNECTED);
    CHECK(pp_stream_peer_tls_poll(NULL) == BAD);
    {
        pp_tls_stats ts;
        CHECK(pp_stream_peer_tls_get_stats(NULL, &ts) == BAD);
        CHECK(pp_stream_peer_tls_get_stats(buffer, &ts) == BAD); /* wrong class */
    }
    {
        pp_stream_peer *tls = NULL;
        pp_peer *dtls = NULL, *udp = NULL;
        pp_dtls_server *srv = NULL;
        CHECK(pp_stream_peer_tls_new(&tls) == PP_OK);
        CHECK(pp_stream_peer_tls_accept_stream(tls, buffer, client_opts) == BAD);
        CHECK(pp_stream_peer_tls_connect_to_stream(tls, buffer, "localhost", server_opts) == BAD);
        CHECK(pp_stream_peer_tls_connect_to_stream(tls, NULL, "localhost", NULL) == BAD);
        CHECK(pp_stream_peer_tls_connect_to_stream(tls, tls, "localhost", NULL) == BAD);
        CHECK(pp_stream_peer_put_data(tls, (const uint8_t *)"x", 1) == PP_ERR_UNCONFIGURED);
        CHECK(pp_stream_peer_tls_get_stream(tls, &buffer) == PP_ERR_UNAVAILABLE);
        {
            pp_tls_stats ts;
            CHECK(pp_stream_peer_tls_get_stats(tls, NULL) == BAD);
            CHECK(pp_stream_peer_tls_get_stats((pp_stream_peer *)key, &ts) == BAD); /* wrong handle type */
            CHECK(pp_stream_peer_tls_get_stats(tls, &ts) == PP_OK);
            CHECK(ts.handshakes_completed == 0 && ts.handshakes_failed == 0 && ts.bytes_in == 0 &&
                  ts.bytes_out == 0 && ts.writes_refused == 0);
        }
        CHECK(pp_packet_peer_dtls_new(&dtls) == PP_OK);
        CHECK(pp_packet_peer_udp_new(&udp) == PP_OK);
        CHECK(pp_packet_peer_dtls_poll(udp) == BAD);
        CHECK(pp_packet_peer_dtls_connect_to_peer(dtls, udp, "localhost", NULL) == BAD); /* not connected */
        CHECK(pp_packet_peer_dtls_connect_to_peer(dtls, dtls, "localhost", NULL) == BAD); /* not UDP */
        CHECK(pp_packet_peer_udp_connect_to_host(udp, "127.0.0.1", 9) == PP_OK);
        CHECK(pp_packet_peer_dtls_connect_to_peer(dtls, udp, "localhost", server_opts) == BAD);
        CHECK(pp_put_packet(dtls, (const uint8_t *)"x", 1) == PP_ERR_UNCONFIGURED);
        CHECK(pp_dtls_server_new(&srv) == PP_OK);
        {
            pp_peer *p = NULL;
            CHECK(pp_dtls_server_take_connection(srv, udp, &p) == PP_ERR_UNCONFIGURED);
        }
        CHECK(pp_dtls_server_setup(srv, client_opts) == BAD);
        CHECK(pp_dtls_server_setup(srv, server_opts) == PP_OK);
        CHECK(pp_dtls_server_setup(srv, server_opts) == PP_ERR_ALREADY_IN_USE);
        CHECK(pp_dtls_server_set_max_handshakes(srv, -1) == BAD);
        pp_dtls_server_free(srv);
        pp_peer_free(dtls);
        pp_peer_free(udp);
        pp_stream_peer_free(tls);
    }
    pp_stream_peer_free(buffer);
    pp_crypto_key_free(pub);
    pp_crypto_key_free(k2);
    pp_crypto_key_free(rsa);
    pp_x509_certificate_free(c2);
    pp_x509_certificate_free(rsa_cert);
    return 0;
}

/* Polls a DTLS server side until a peer connects; returns it (or NULL). The cookie round's peers
 * (status ERROR) are freed at once, as Godot's docs tell callers to. */
static int test_dtls(const pp_tls_options *copts) {
    pp_udp_server *us = NULL;
    pp_dtls_server *ds = NULL;
    pp_peer *udp = NULL, *cli = NULL, *srv_peer = NULL;
    pp_dtls_server_stats st;
    const uint8_t *data = NULL;
    size_t len = 0;
    int i, got_server = 0, got_client = 0;

    CHECK(pp_udp_server_new(&us) == PP_OK);
    CHECK(pp_udp_server_listen(us, 0, "127.0.0.1") == PP_OK);
    CHECK(pp_dtls_server_new(&ds) == PP_OK);
    CHECK(pp_dtls_server_setup(ds, server_opts) == PP_OK);
    {
        /* Peers handed out get the server's conditioner (the defaults: it only counts). */
        pp_conditioner_options co;
        CHECK(pp_conditioner_options_init(&co) == PP_OK);
        CHECK(pp_dtls_server_set_conditioner(ds, &co) == PP_OK);
    }
    CHECK(pp_packet_peer_udp_new(&udp) == PP_OK);
    CHECK(pp_packet_peer_udp_connect_to_host(udp, "127.0.0.1", pp_udp_server_get_local_port(us)) == PP_OK);
    CHECK(pp_packet_peer_dtls_new(&cli) == PP_OK);
    CHECK(pp_packet_peer_dtls_connect_to_peer(cli, udp, "localhost", copts) == PP_OK);
    pp_peer_free(udp); /* the DTLS peer keeps its own reference */
    for (i = 0; i < 30000 && !(pp_packet_peer_dtls_get_status(cli) == PP_TLS_STATUS_CONNECTED &&
                               srv_peer != NULL &&
                               pp_packet_peer_dtls_get_status(srv_peer) == PP_TLS_STATUS_CONNECTED);
         i++) {
        pp_peer *pending = NULL;
        CHECK(pp_udp_server_poll(us) == PP_OK);
        while (pp_udp_server_take_connection(us, &pending) == PP_OK) {
            pp_peer *p = NULL;
            CHECK(pp_dtls_server_take_connection(ds, pending, &p) == PP_OK);
            pp_peer_free(pending);
            if (pp_packet_peer_dtls_get_status(p) == PP_TLS_STATUS_HANDSHAKING && srv_peer == NULL) {
                srv_peer = p;
            } else {
                pp_peer_free(p);
            }
        }
        CHECK(pp_packet_peer_dtls_poll(cli) == PP_OK);
        if (srv_peer) CHECK(pp_packet_peer_dtls_poll(srv_peer) == PP_OK);
        nap_1ms();
    }
    CHECK(pp_packet_peer_dtls_get_status(cli) == PP_TLS_STATUS_CONNECTED);
    CHECK(srv_peer != NULL && pp_packet_peer_dtls_get_status(srv_peer) == PP_TLS_STATUS_CONNECTED);
    {
        pp_conditioner_stats cs;
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(srv_peer, &cs) == PP_OK);
        CHECK(cs.outgoing.offered > 0 && cs.outgoing.released > 0 && cs.outgoing.dropped_loss == 0);
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(cli, &cs) == PP_ERR_UNCONFIGURED);
    }
    CHECK(pp_dtls_server_get_stats(ds, &st) == PP_OK);
    /* At least one cookie round: a slow run (valgrind) sees the client retransmit its first
     * ClientHello, and each copy is answered statelessly. */
    CHECK(st.cookie_rounds >= 1 && st.handshakes_started == 1 && st.handshakes_under_way == 0);

    CHECK(pp_get_packet(cli, &data, &len) == PP_ERR_UNAVAILABLE);
    CHECK(pp_put_packet(cli, (const uint8_t *)"ping", 4) == PP_OK);
    CHECK(pp_put_packet(srv_peer, (const uint8_t *)"pong", 4) == PP_OK);
    for (i = 0; i < 30000 && !(got_server && got_client); i++) {
        CHECK(pp_udp_server_poll(us) == PP_OK);
        CHECK(pp_packet_peer_dtls_poll(srv_peer) == PP_OK);
        CHECK(pp_packet_peer_dtls_poll(cli) == PP_OK);
        if (!got_server && pp_get_packet(srv_peer, &data, &len) == PP_OK) {
            CHECK(len == 4 && memcmp(data, "ping", 4) == 0);
            got_server = 1;
        }
        if (!got_client && pp_get_packet(cli, &data, &len) == PP_OK) {
            CHECK(len == 4 && memcmp(data, "pong", 4) == 0);
            got_client = 1;
        }
        nap_1ms();
    }
    CHECK(got_server && got_client);
    {
        pp_dtls_stats ds_st;
        char text[256];
        CHECK(pp_packet_peer_dtls_get_stats(cli, &ds_st) == PP_OK);
        CHECK(ds_st.handshakes_completed == 1 && ds_st.packets_out == 1 && ds_st.packets_in == 1);
        CHECK(ds_st.records_discarded == 0);
        CHECK(pp_packet_peer_dtls_get_last_error_text(cli, text, sizeof text, &len) == PP_OK);
    }
    /* close_notify from the client reaches the server. */
    CHECK(pp_packet_peer_dtls_disconnect_from_peer(cli) == PP_OK);
    CHECK(pp_packet_peer_dtls_get_status(cli) == PP_TLS_STATUS_DISCONNECTED);
    for (i = 0; i < 30000 && pp_packet_peer_dtls_get_status(srv_peer) != PP_TLS_STATUS_DISCONNECTED; i++) {
        CHECK(pp_udp_server_poll(us) == PP_OK);
        CHECK(pp_packet_peer_dtls_poll(srv_peer) == PP_OK);
        nap_1ms();
    }
    CHECK(pp_packet_peer_dtls_get_status(srv_peer) == PP_TLS_STATUS_DISCONNECTED);
    pp_peer_free(srv_peer);
    pp_peer_free(cli);
    pp_dtls_server_free(ds);
    pp_udp_server_free(us);
    return 0;
}

static int test_tls(void) {
    pp_tcp_server *ts = NULL;
    pp_stream_peer *tcp = NULL, *acc = NULL, *cli = NULL, *srv = NULL, *inner = NULL;
    uint8_t buf[16];
    size_t n = 0, got = 0;
    int i;

    CHECK(pp_tcp_server_new(&ts) == PP_OK);
    CHECK(pp_tcp_server_listen(ts, 0, "127.0.0.1") == PP_OK);
    CHECK(pp_stream_peer_tcp_new(&tcp) == PP_OK);
    CHECK(pp_stream_peer_tcp_connect_to_host(tcp, "127.0.0.1", pp_tcp_server_get_local_port(ts)) == PP_OK);
    for (i = 0; i < 30000 && (acc == NULL ||
                              pp_stream_peer_tcp_get_status(tcp) != PP_STREAM_PEER_TCP_STATUS_CONNECTED);
         i++) {
        (void)pp_stream_peer_tcp_poll(tcp);
        if (acc == NULL) (void)pp_tcp_server_take_connection(ts, &acc);
        nap_1ms();
    }
    CHECK(acc != NULL);
    CHECK(pp_stream_peer_tls_new(&cli) == PP_OK);
    CHECK(pp_stream_peer_tls_new(&srv) == PP_OK);
    CHECK(pp_stream_peer_tls_connect_to_stream(cli, tcp, "localhost", client_opts) == PP_OK);
    CHECK(pp_stream_peer_tls_accept_stream(srv, acc, server_opts) == PP_OK);
    CHECK(pp_stream_peer_tls_connect_to_stream(cli, tcp, "localhost", client_opts) == PP_ERR_ALREADY_IN_USE);
    for (i = 0; i < 30000 && !(pp_stream_peer_tls_get_status(cli) == PP_TLS_STATUS_CONNECTED &&
                               pp_stream_peer_tls_get_status(srv) == PP_TLS_STATUS_CONNECTED);
         i++) {
        CHECK(pp_stream_peer_tls_poll(cli) == PP_OK);
        CHECK(pp_stream_peer_tls_poll(srv) == PP_OK);
        nap_1ms();
    }
    CHECK(pp_stream_peer_tls_get_status(cli) == PP_TLS_STATUS_CONNECTED);
    CHECK(pp_stream_peer_tls_get_stream(cli, &inner) == PP_OK && inner != NULL);
    pp_stream_peer_free(inner);
    CHECK(pp_stream_peer_put_data(cli, (const uint8_t *)"hello tls", 9) == PP_OK);
    for (i = 0; i < 30000 && got < 9; i++) {
        CHECK(pp_stream_peer_get_partial_data(srv, buf + got, 9 - got, &n) == PP_OK);
        got += n;
        if (n == 0) nap_1ms();
    }
    CHECK(got == 9 && memcmp(buf, "hello tls", 9) == 0);
    {
        pp_tls_stats cs, ss;
        CHECK(pp_stream_peer_tls_get_stats(cli, &cs) == PP_OK);
        CHECK(pp_stream_peer_tls_get_stats(srv, &ss) == PP_OK);
        CHECK(cs.handshakes_completed == 1 && ss.handshakes_completed == 1);
        CHECK(cs.handshakes_failed == 0 && ss.handshakes_failed == 0);
        CHECK(cs.bytes_out == 9 && ss.bytes_in == 9 && cs.bytes_in == 0 && ss.bytes_out == 0);
        CHECK(cs.writes_refused == 0);
    }
    /* close_notify from the server reaches the client. */
    CHECK(pp_stream_peer_tls_disconnect_from_stream(srv) == PP_OK);
    for (i = 0; i < 30000 && pp_stream_peer_tls_get_status(cli) != PP_TLS_STATUS_DISCONNECTED; i++) {
        CHECK(pp_stream_peer_tls_poll(cli) == PP_OK);
        nap_1ms();
    }
    CHECK(pp_stream_peer_tls_get_status(cli) == PP_TLS_STATUS_DISCONNECTED);
    pp_stream_peer_free(cli);
    pp_stream_peer_free(srv);
    pp_stream_peer_free(tcp);
    pp_stream_peer_free(acc);
    pp_tcp_server_free(ts);
    return 0;
}

/* ENet over DTLS between two connections of this process. */
static int test_enet_dtls(void) {
    pp_enet_connection *srv = NULL, *cli = NULL, *none = NULL;
    pp_peer *peer = NULL;
    pp_enet_event ev;
    int i, cli_connected = 0, srv_connected = 0, received = 0;

    CHECK(pp_enet_connection_new(&none) == PP_OK);
    CHECK(pp_enet_connection_dtls_server_setup(none, server_opts) == PP_ERR_UNCONFIGURED);
    CHECK(pp_enet_connection_dtls_server_setup(NULL, server_opts) == BAD);
    pp_enet_connection_free(none);
    CHECK(pp_enet_connection_new(&srv) == PP_OK);
    CHECK(pp_enet_connection_new(&cli) == PP_OK);
    CHECK(pp_enet_connection_create_host_bound(srv, "127.0.0.1", 0, 4, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_connection_create_host(cli, 1, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_connection_dtls_server_setup(srv, client_opts) == BAD);
    CHECK(pp_enet_connection_dtls_client_setup(cli, "localhost", server_opts) == BAD);
    CHECK(pp_enet_connection_dtls_server_setup(srv, server_opts) == PP_OK);
    CHECK(pp_enet_connection_dtls_server_setup(srv, server_opts) == PP_ERR_ALREADY_IN_USE);
    CHECK(pp_enet_connection_dtls_client_setup(cli, "localhost", client_opts) == PP_OK);
    CHECK(pp_enet_connection_connect_to_host(cli, "127.0.0.1", pp_enet_connection_get_local_port(srv), 2, 0,
                                             &peer) == PP_OK);
    for (i = 0; i < 30000 && !(cli_connected && srv_connected && received); i++) {
        if (pp_enet_connection_service(cli, 0, &ev) == PP_OK && ev.type == PP_ENET_EVENT_TYPE_CONNECT) {
            cli_connected = 1;
            CHECK(pp_put_packet(peer, (const uint8_t *)"over dtls", 9) == PP_OK);
        }
        if (pp_enet_connection_service(srv, 0, &ev) == PP_OK) {
            if (ev.type == PP_ENET_EVENT_TYPE_CONNECT) srv_connected = 1;
            if (ev.type == PP_ENET_EVENT_TYPE_RECEIVE) {
                const uint8_t *data = NULL;
                size_t len = 0;
                CHECK(pp_get_packet(ev.peer, &data, &len) == PP_OK);
                CHECK(len == 9 && memcmp(data, "over dtls", 9) == 0);
                received = 1;
            }
        }
        nap_1ms();
    }
    CHECK(cli_connected && srv_connected && received);
    pp_enet_connection_free(cli);
    pp_enet_connection_free(srv);
    return 0;
}

/* Writes `len` bytes to a new file in `dir`; 0 on success. */
static int write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    if (fwrite(data, 1, len, f) != len) {
        fclose(f);
        return 1;
    }
    return fclose(f) != 0;
}

/* The CA bundle override by path: errors (the reason retrievable), then a client(NULL) DTLS
 * handshake against our self-signed server passes with a bundle file holding its certificate, and
 * NULL goes back to the system bundle (where the same handshake fails). */
static int test_bundle_path(void) {
    const char *tmp = getenv("TMPDIR");
    char dir[512], good[600], junk[600], missing[600], text[512];
    pp_tls_options *plain = NULL;
    size_t len = 0;
    int rc;
    snprintf(dir, sizeof dir, "%s/pp-tls-bundle-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(good, sizeof good, "%s/bundle.pem", dir);
    snprintf(junk, sizeof junk, "%s/junk.pem", dir);
    snprintf(missing, sizeof missing, "%s/missing.pem", dir);
    CHECK(write_file(good, EC_CERT_PEM, strlen(EC_CERT_PEM)) == 0);
    CHECK(write_file(junk, "not a certificate\n", 18) == 0);

    CHECK(pp_tls_set_certificate_bundle_override_path(missing) == PP_ERR_FILE_NOT_FOUND);
    CHECK(pp_tls_get_last_error_text(text, sizeof text, &len) == PP_OK && strstr(text, "missing.pem"));
    CHECK(pp_tls_set_certificate_bundle_override_path(dir) == PP_ERR_FILE_CANT_READ);
    CHECK(pp_tls_set_certificate_bundle_override_path(junk) == PP_ERR_INVALID_DATA);
    CHECK(pp_tls_set_certificate_bundle_override_path("\xff\xfe") == BAD); /* not UTF-8 */

    CHECK(pp_tls_options_client(NULL, NULL, &plain) == PP_OK);
    CHECK(pp_tls_set_certificate_bundle_override_path(good) == PP_OK);
    remove(good); /* read once: the override keeps the certificates */
    rc = test_dtls(plain);
    CHECK(pp_tls_set_certificate_bundle_override_path(NULL) == PP_OK);
    CHECK(pp_tls_set_certificate_bundle_override_path("") == PP_OK);
    if (rc == 0) {
        /* Back on the system bundle: our self-signed server is not trusted. */
        pp_peer *udp = NULL, *cli = NULL;
        pp_udp_server *us = NULL;
        pp_dtls_server *ds = NULL;
        int i;
        CHECK(pp_udp_server_new(&us) == PP_OK);
        CHECK(pp_udp_server_listen(us, 0, "127.0.0.1") == PP_OK);
        CHECK(pp_dtls_server_new(&ds) == PP_OK);
        CHECK(pp_dtls_server_setup(ds, server_opts) == PP_OK);
        CHECK(pp_packet_peer_udp_new(&udp) == PP_OK);
        CHECK(pp_packet_peer_udp_connect_to_host(udp, "127.0.0.1", pp_udp_server_get_local_port(us)) == PP_OK);
        CHECK(pp_packet_peer_dtls_new(&cli) == PP_OK);
        CHECK(pp_packet_peer_dtls_connect_to_peer(cli, udp, "localhost", plain) == PP_OK);
        {
            pp_peer *srv_peer = NULL;
            for (i = 0; i < 30000 && pp_packet_peer_dtls_get_status(cli) == PP_TLS_STATUS_HANDSHAKING; i++) {
                pp_peer *pending = NULL;
                CHECK(pp_udp_server_poll(us) == PP_OK);
                while (pp_udp_server_take_connection(us, &pending) == PP_OK) {
                    pp_peer *p = NULL;
                    CHECK(pp_dtls_server_take_connection(ds, pending, &p) == PP_OK);
                    pp_peer_free(pending);
                    if (srv_peer == NULL && pp_packet_peer_dtls_get_status(p) == PP_TLS_STATUS_HANDSHAKING)
                        srv_peer = p;
                    else
                        pp_peer_free(p);
                }
                if (srv_peer) (void)pp_packet_peer_dtls_poll(srv_peer);
                CHECK(pp_packet_peer_dtls_poll(cli) == PP_OK);
                nap_1ms();
            }
            pp_peer_free(srv_peer);
        }
        CHECK(pp_packet_peer_dtls_get_status(cli) == PP_TLS_STATUS_ERROR);
        CHECK(pp_packet_peer_dtls_get_last_error_text(cli, text, sizeof text, &len) == PP_OK);
        CHECK(strstr(text, "certificate verify failed") != NULL);
        pp_peer_free(cli);
        pp_peer_free(udp);
        pp_dtls_server_free(ds);
        pp_udp_server_free(us);
    }
    pp_tls_options_free(plain);
    remove(junk);
    rmdir(dir);
    return rc;
}

int main(void) {
    int rc = test_keys_and_options();
    if (rc == 0) rc = test_dtls(client_opts);
    if (rc == 0) rc = test_bundle_path();
    if (rc == 0) rc = test_tls();
    if (rc == 0) rc = test_enet_dtls();
    pp_tls_options_free(server_opts);
    pp_tls_options_free(client_opts);
    pp_x509_certificate_free(cert);
    pp_crypto_key_free(key);
    if (rc == 0) printf("test_tls: ok\n");
    return rc;
}
