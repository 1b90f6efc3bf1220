/* Baseline of the DTLS benchmark (benches/dtls.rs): the same OpenSSL DTLS 1.2 session driven
 * directly from C, client and server in one process on two connected, non-blocking loopback UDP
 * sockets (OpenSSL's own datagram BIO), an ECDSA P-256 self-signed certificate, default ciphers.
 * Prints "name value unit" lines: put+get pairs per CPU-second (client SSL_write, server SSL_read)
 * for 64 B and 1200 B payloads. An optional argument sets the pairs per size (200000; fewer for
 * callgrind). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

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

static int cookie_gen(SSL *ssl, unsigned char *c, unsigned int *n) { (void)ssl; memset(c, 7, 16); *n = 16; return 1; }
static int cookie_ok(SSL *ssl, const unsigned char *c, unsigned int n) { (void)ssl; (void)c; return n == 16; }

int main(int argc, char **argv) {
    struct sockaddr_in ca, sa;
    int cs = udp_socket(&ca), ss = udp_socket(&sa), i, rounds;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    SSL_CTX *sctx = SSL_CTX_new(DTLS_server_method()), *cctx = SSL_CTX_new(DTLS_client_method());
    SSL *srv, *cli;
    unsigned char buf[2048], rbuf[65536];
    size_t sizes[2] = {64, 1200};
    if (cs < 0 || ss < 0 || !key || !x || !sctx || !cctx) return 1;
    connect(cs, (struct sockaddr *)&sa, sizeof sa);
    connect(ss, (struct sockaddr *)&ca, sizeof ca);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_sign(x, key, EVP_sha256());
    SSL_CTX_use_certificate(sctx, x);
    SSL_CTX_use_PrivateKey(sctx, key);
    SSL_CTX_set_options(sctx, SSL_OP_COOKIE_EXCHANGE);
    SSL_CTX_set_cookie_generate_cb(sctx, cookie_gen);
    SSL_CTX_set_cookie_verify_cb(sctx, cookie_ok);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
    srv = SSL_new(sctx);
    cli = SSL_new(cctx);
    {
        BIO *sb = BIO_new_dgram(ss, BIO_NOCLOSE), *cb = BIO_new_dgram(cs, BIO_NOCLOSE);
        BIO_ADDR *speer = BIO_ADDR_new(), *cpeer = BIO_ADDR_new();
        BIO_ADDR_rawmake(speer, AF_INET, &ca.sin_addr, sizeof ca.sin_addr, ca.sin_port);
        BIO_ADDR_rawmake(cpeer, AF_INET, &sa.sin_addr, sizeof sa.sin_addr, sa.sin_port);
        BIO_ctrl_set_connected(sb, speer);
        BIO_ctrl_set_connected(cb, cpeer);
        BIO_ADDR_free(speer);
        BIO_ADDR_free(cpeer);
        SSL_set_bio(srv, sb, sb);
        SSL_set_bio(cli, cb, cb);
    }
    SSL_set_accept_state(srv);
    SSL_set_connect_state(cli);
    {
        double t0 = cpu_s();
        while (!(SSL_is_init_finished(srv) && SSL_is_init_finished(cli)) && cpu_s() - t0 < 10) {
            SSL_do_handshake(cli);
            SSL_do_handshake(srv);
        }
    }
    if (!SSL_is_init_finished(srv) || !SSL_is_init_finished(cli)) {
        fprintf(stderr, "handshake: client %s, server %s\n", SSL_state_string_long(cli), SSL_state_string_long(srv));
        ERR_print_errors_fp(stderr);
        return 2;
    }
    for (rounds = 0; rounds < 2; rounds++) {
        size_t size = sizes[rounds];
        int n = argc > 1 ? atoi(argv[1]) : 200000, got = 0;
        double c0;
        memset(buf, 0x5a, sizeof buf);
        c0 = cpu_s();
        for (i = 0; i < n; i++) {
            if (SSL_write(cli, buf, (int)size) != (int)size) return 3;
            while (SSL_read(srv, rbuf, sizeof rbuf) <= 0) {
            }
            got++;
        }
        printf("c_pairs_per_cpu_s_%zu %.0f pairs/cpu-s\n", size, got / (cpu_s() - c0));
    }
    SSL_free(cli);
    SSL_free(srv);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    X509_free(x);
    EVP_PKEY_free(key);
    close(cs);
    close(ss);
    return 0;
}
