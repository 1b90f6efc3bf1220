/* Our ENet-over-DTLS server (pp_enet_connection_dtls_server_setup) against a client built from the
 * stock C ENet library (Debian's libenet-dev) and OpenSSL, as docs/classes.md §18.5 puts it on the
 * wire: C ENet talks plain UDP to a bridge in this process, and the bridge carries each ENet
 * datagram, unchanged, as the plaintext of one DTLS 1.2 record on its own socket (OpenSSL's
 * datagram BIO, verifying our certificate and the name "localhost"); while the DTLS handshake runs,
 * ENet's datagrams are dropped and ENet retransmits its CONNECT, as with Godot's ENetDTLS client.
 * Checked: the cookie round and one session on our server, the ENet connect on both sides, reliable
 * data both ways, the ENet disconnect and the DTLS close_notify, our counters. 127.0.0.1 only, port 0,
 * bounded waits. */
// ctest-link: enet ssl crypto
// ctest-timeout: 120
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <enet/enet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packetpeer.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                \
            ERR_print_errors_fp(stderr);                                                           \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

#include "test_cert.h" /* the fixed test key and certificate */

static void nap(void) {
    struct timespec ts = {0, 1000000}; /* 1 ms */
    nanosleep(&ts, NULL);
}

/* A non-blocking UDP socket on 127.0.0.1, port 0; its address in *a. */
static int udp_socket(struct sockaddr_in *a) {
    socklen_t l = sizeof *a;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || bind(s, (struct sockaddr *)a, sizeof *a) != 0) return -1;
    getsockname(s, (struct sockaddr *)a, &l);
    fcntl(s, F_SETFL, O_NONBLOCK);
    return s;
}

/* The bridge between C ENet (plain UDP on `plain`) and our server (DTLS on `wire`). */
struct bridge {
    int plain, wire;
    SSL *ssl;
    struct sockaddr_in enet_addr;
    int have_enet_addr;
    unsigned long dropped_handshaking, records_out, records_in;
};

/* Moves what is waiting each way; advances the handshake and its retransmission timer. */
static void bridge_pump(struct bridge *b) {
    unsigned char buf[4096];
    ssize_t n;
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    int finished = SSL_is_init_finished(b->ssl);
    while ((n = recvfrom(b->plain, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl)) > 0) {
        b->enet_addr = from;
        b->have_enet_addr = 1;
        if (!finished) {
            b->dropped_handshaking++; /* ENet retransmits */
        } else if (SSL_write(b->ssl, buf, (int)n) == (int)n) {
            b->records_out++;
        }
        fl = sizeof from;
    }
    if (!SSL_is_init_finished(b->ssl)) {
        SSL_do_handshake(b->ssl);
        DTLSv1_handle_timeout(b->ssl);
        return;
    }
    while ((n = SSL_read(b->ssl, buf, sizeof buf)) > 0) {
        b->records_in++;
        if (b->have_enet_addr)
            sendto(b->plain, buf, (size_t)n, 0, (struct sockaddr *)&b->enet_addr, sizeof b->enet_addr);
    }
}

int main(void) {
    pp_crypto_key *key = NULL;
    pp_x509_certificate *cert = NULL;
    pp_tls_options *so = NULL;
    pp_enet_connection *srv = NULL;
    pp_enet_event pev;
    pp_enet_dtls_stats st;
    struct sockaddr_in plain_addr, wire_addr, srv_addr;
    struct bridge b;
    SSL_CTX *ctx;
    BIO *bio, *pem;
    X509 *x;
    ENetHost *chost;
    ENetPeer *cpeer;
    ENetAddress to;
    ENetEvent ev;
    int i, c_connected = 0, s_connected = 0, s_got = 0, c_got = 0, c_gone = 0, s_gone = 0;
    const char *hello = "hello from C ENet over DTLS";

    /* Our server: an ENet host with DTLS. */
    CHECK(pp_crypto_key_load_pem((const uint8_t *)EC_KEY_PEM, strlen(EC_KEY_PEM), false, &key) == PP_OK);
    CHECK(pp_x509_certificate_load_pem((const uint8_t *)EC_CERT_PEM, strlen(EC_CERT_PEM), &cert) == PP_OK);
    CHECK(pp_tls_options_server(key, cert, &so) == PP_OK);
    CHECK(pp_enet_connection_new(&srv) == PP_OK);
    CHECK(pp_enet_connection_create_host_bound(srv, "127.0.0.1", 0, 4, 0, 0, 0) == PP_OK);
    CHECK(pp_enet_connection_dtls_server_setup(srv, so) == PP_OK);
    memset(&srv_addr, 0, sizeof srv_addr);
    srv_addr.sin_family = AF_INET;
    srv_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    srv_addr.sin_port = htons((uint16_t)pp_enet_connection_get_local_port(srv));

    /* The bridge: OpenSSL DTLS 1.2 client on a connected socket, trusting our certificate. */
    memset(&b, 0, sizeof b);
    b.plain = udp_socket(&plain_addr);
    b.wire = udp_socket(&wire_addr);
    CHECK(b.plain >= 0 && b.wire >= 0);
    CHECK(connect(b.wire, (struct sockaddr *)&srv_addr, sizeof srv_addr) == 0);
    ctx = SSL_CTX_new(DTLS_client_method());
    CHECK(ctx != NULL);
    CHECK(SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1);
    pem = BIO_new_mem_buf(EC_CERT_PEM, -1);
    x = PEM_read_bio_X509(pem, NULL, NULL, NULL);
    BIO_free(pem);
    CHECK(x != NULL && X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), x) == 1);
    X509_free(x);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    b.ssl = SSL_new(ctx);
    CHECK(b.ssl != NULL && SSL_set1_host(b.ssl, "localhost") == 1);
    bio = BIO_new_dgram(b.wire, BIO_NOCLOSE);
    {
        BIO_ADDR *peer = BIO_ADDR_new();
        BIO_ADDR_rawmake(peer, AF_INET, &srv_addr.sin_addr, sizeof srv_addr.sin_addr, srv_addr.sin_port);
        BIO_ctrl_set_connected(bio, peer);
        BIO_ADDR_free(peer);
    }
    SSL_set_bio(b.ssl, bio, bio);
    SSL_set_connect_state(b.ssl);

    /* The stock C ENet client, connecting to the bridge. */
    CHECK(enet_initialize() == 0);
    chost = enet_host_create(NULL, 1, 2, 0, 0);
    CHECK(chost != NULL);
    CHECK(enet_address_set_host(&to, "127.0.0.1") == 0);
    to.port = ntohs(plain_addr.sin_port);
    cpeer = enet_host_connect(chost, &to, 2, 0);
    CHECK(cpeer != NULL);

    for (i = 0; i < 30000 && !(c_gone && s_gone); i++) {
        while (enet_host_service(chost, &ev, 0) > 0) {
            if (ev.type == ENET_EVENT_TYPE_CONNECT) {
                ENetPacket *p = enet_packet_create(hello, strlen(hello), ENET_PACKET_FLAG_RELIABLE);
                c_connected = 1;
                CHECK(enet_peer_send(cpeer, 0, p) == 0);
            } else if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
                CHECK(ev.packet->dataLength == 10 && memcmp(ev.packet->data, "hello back", 10) == 0);
                enet_packet_destroy(ev.packet);
                c_got++;
                enet_peer_disconnect(cpeer, 0);
            } else if (ev.type == ENET_EVENT_TYPE_DISCONNECT) {
                c_gone = 1;
            }
        }
        bridge_pump(&b);
        while (pp_enet_connection_service(srv, 0, &pev) == PP_OK && pev.type != PP_ENET_EVENT_TYPE_NONE) {
            if (pev.type == PP_ENET_EVENT_TYPE_CONNECT) {
                s_connected = 1;
            } else if (pev.type == PP_ENET_EVENT_TYPE_RECEIVE) {
                const uint8_t *data = NULL;
                size_t len = 0;
                CHECK(pp_get_packet(pev.peer, &data, &len) == PP_OK);
                CHECK(len == strlen(hello) && memcmp(data, hello, len) == 0);
                s_got++;
                CHECK(pp_put_packet(pev.peer, (const uint8_t *)"hello back", 10) == PP_OK);
            } else if (pev.type == PP_ENET_EVENT_TYPE_DISCONNECT) {
                s_gone = 1;
            }
        }
        bridge_pump(&b);
        nap();
    }
    if (!(c_connected && s_connected) && pp_enet_connection_get_dtls_stats(srv, &st) == PP_OK)
        fprintf(stderr, "server: no session %llu refused %llu closed %llu connected %llu\n",
                (unsigned long long)st.dropped_no_session, (unsigned long long)st.refused_sources,
                (unsigned long long)st.sessions_closed, (unsigned long long)st.sessions_connected);
    if (!(c_connected && s_connected))
        fprintf(stderr, "after %d rounds: client %d server %d, bridge %s, dropped %lu out %lu in %lu\n", i, c_connected,
                s_connected, SSL_state_string_long(b.ssl), b.dropped_handshaking, b.records_out, b.records_in);
    CHECK(c_connected && s_connected);
    CHECK(s_got == 1 && c_got == 1);
    CHECK(c_gone && s_gone);
    CHECK(SSL_is_init_finished(b.ssl));
    CHECK(b.dropped_handshaking >= 1); /* the first CONNECT went while the handshake ran */
    CHECK(b.records_out >= 2 && b.records_in >= 2);
    CHECK(pp_enet_connection_get_dtls_stats(srv, &st) == PP_OK);
    CHECK(st.sessions_connected == 1);
    CHECK(st.dropped_no_session >= 1); /* the cookie round */

    /* The bridge's close_notify ends our session. */
    SSL_shutdown(b.ssl);
    for (i = 0; i < 30000; i++) {
        (void)pp_enet_connection_service(srv, 0, &pev);
        CHECK(pp_enet_connection_get_dtls_stats(srv, &st) == PP_OK);
        if (st.sessions_closed >= 1) break;
        nap();
    }
    CHECK(st.sessions_closed == 1);

    enet_host_destroy(chost);
    enet_deinitialize();
    SSL_free(b.ssl);
    SSL_CTX_free(ctx);
    close(b.plain);
    close(b.wire);
    pp_enet_connection_free(srv);
    pp_tls_options_free(so);
    pp_x509_certificate_free(cert);
    pp_crypto_key_free(key);
    printf("test_enet_dtls_c_client: ok\n");
    return 0;
}
