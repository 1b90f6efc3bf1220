/* C ABI tests of the network conditioner: options init, every NULL and bad value, set/remove on a
 * PacketPeerUDP, an ENetConnection, a PacketPeerDTLS, a DTLSServer and a WebRTCPeerConnection, counters, and a loopback exchange where every datagram is
 * dropped or delayed as configured. Loopback only, port 0, bounded waits. */
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

#define BAD PP_ERR_INVALID_PARAMETER

static void nap_10ms(void) {
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
}

int main(void) {
    pp_conditioner_options o, bad;
    pp_conditioner_stats st;
    pp_peer *rx = NULL, *tx = NULL;
    pp_enet_connection *c = NULL;
    pp_variant *v = NULL;
    int32_t count = 0;
    int i;

    /* init */
    CHECK(pp_conditioner_options_init(NULL) == BAD);
    memset(&o, 0xab, sizeof o);
    CHECK(pp_conditioner_options_init(&o) == PP_OK);
    CHECK(o.size == sizeof o && o.seed == 0 && o.max_queued == 4096);
    CHECK(o.outgoing.loss == 0.0 && o.incoming.delay_ms == 0 && o.outgoing.bandwidth == 0);

    /* PacketPeerUDP: NULL, wrong class, bad values */
    CHECK(pp_packet_peer_udp_new(&rx) == PP_OK);
    CHECK(pp_packet_peer_udp_new(&tx) == PP_OK);
    CHECK(pp_packet_peer_udp_set_conditioner(NULL, &o) == BAD);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(NULL, &st) == BAD);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(rx, NULL) == BAD);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(rx, &st) == PP_ERR_UNCONFIGURED);
    CHECK(pp_packet_peer_udp_set_conditioner(rx, NULL) == PP_OK); /* off: already off */
    bad = o;
    bad.size = 8;
    CHECK(pp_packet_peer_udp_set_conditioner(rx, &bad) == BAD);
    bad = o;
    bad.outgoing.loss = 1.5;
    CHECK(pp_packet_peer_udp_set_conditioner(rx, &bad) == BAD);
    bad = o;
    bad.incoming.duplicate = -0.5;
    CHECK(pp_packet_peer_udp_set_conditioner(rx, &bad) == BAD);
    bad = o;
    bad.incoming.delay_ms = 60001;
    CHECK(pp_packet_peer_udp_set_conditioner(rx, &bad) == BAD);
    bad = o;
    bad.max_queued = 0;
    CHECK(pp_packet_peer_udp_set_conditioner(rx, &bad) == BAD);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(rx, &st) == PP_ERR_UNCONFIGURED);
    CHECK(pp_variant_new_int(1, &v) == PP_OK);
    CHECK(pp_packet_peer_udp_set_conditioner((pp_peer *)v, &o) == BAD); /* not a peer */

    /* Loopback: everything the sender sends is lost, then everything delayed 30 ms. */
    CHECK(pp_packet_peer_udp_bind(rx, 0, "127.0.0.1", 65536) == PP_OK);
    CHECK(pp_packet_peer_udp_set_dest_address(tx, "127.0.0.1", pp_packet_peer_udp_get_local_port(rx)) ==
          PP_OK);
    o.seed = 42;
    o.outgoing.loss = 1.0;
    CHECK(pp_packet_peer_udp_set_conditioner(tx, &o) == PP_OK);
    for (i = 0; i < 10; i++) CHECK(pp_put_packet(tx, (const uint8_t *)"x", 1) == PP_OK);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(tx, &st) == PP_OK);
    CHECK(st.outgoing.offered == 10 && st.outgoing.dropped_loss == 10 && st.outgoing.released == 0);
    CHECK(st.incoming.offered == 0);
    o.outgoing.loss = 0.0;
    o.outgoing.delay_ms = 30;
    CHECK(pp_packet_peer_udp_set_conditioner(tx, &o) == PP_OK); /* starts afresh */
    CHECK(pp_packet_peer_udp_get_conditioner_stats(tx, &st) == PP_OK);
    CHECK(st.outgoing.offered == 0);
    CHECK(pp_put_packet(tx, (const uint8_t *)"late", 4) == PP_OK);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(tx, &st) == PP_OK);
    CHECK(st.outgoing.queued == 1);
    for (i = 0; i < 3000 && count == 0; i++) {
        int32_t unused = 0;
        nap_10ms();
        (void)pp_get_available_packet_count(tx, &unused); /* releases the held datagram */
        CHECK(pp_get_available_packet_count(rx, &count) == PP_OK);
    }
    CHECK(count == 1);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(tx, &st) == PP_OK);
    CHECK(st.outgoing.released == 1 && st.outgoing.queued == 0);
    CHECK(pp_packet_peer_udp_set_conditioner(tx, NULL) == PP_OK);
    CHECK(pp_packet_peer_udp_get_conditioner_stats(tx, &st) == PP_ERR_UNCONFIGURED);

    /* ENetConnection */
    CHECK(pp_enet_connection_set_conditioner(NULL, &o) == BAD);
    CHECK(pp_enet_connection_get_conditioner_stats(NULL, &st) == BAD);
    CHECK(pp_enet_connection_new(&c) == PP_OK);
    CHECK(pp_enet_connection_set_conditioner(c, &o) == PP_ERR_UNCONFIGURED); /* no host */
    CHECK(pp_enet_connection_get_conditioner_stats(c, &st) == PP_ERR_UNCONFIGURED);
    CHECK(pp_enet_connection_create_host(c, 1, 1, 0, 0) == PP_OK);
    CHECK(pp_enet_connection_get_conditioner_stats(c, NULL) == BAD);
    CHECK(pp_enet_connection_set_conditioner(c, &bad) == BAD);
    CHECK(pp_enet_connection_set_conditioner(c, &o) == PP_OK);
    CHECK(pp_enet_connection_get_conditioner_stats(c, &st) == PP_OK);
    CHECK(st.outgoing.offered == 0 && st.incoming.offered == 0);
    CHECK(pp_enet_connection_set_conditioner(c, NULL) == PP_OK);
    CHECK(pp_enet_connection_get_conditioner_stats(c, &st) == PP_ERR_UNCONFIGURED);
    CHECK(pp_enet_connection_set_conditioner((pp_enet_connection *)v, &o) == BAD);

    /* PacketPeerDTLS, DTLSServer, WebRTCPeerConnection: NULL, wrong class, bad options, set, read,
     * remove (what they do to traffic: tests/conditioner_dtls_webrtc.rs). */
    {
        pp_peer *dtls = NULL;
        pp_dtls_server *ds = NULL;
        pp_webrtc_peer_connection *w = NULL;
        CHECK(pp_packet_peer_dtls_new(&dtls) == PP_OK);
        CHECK(pp_packet_peer_dtls_set_conditioner(NULL, &o) == BAD);
        CHECK(pp_packet_peer_dtls_set_conditioner(rx, &o) == BAD); /* a PacketPeerUDP */
        CHECK(pp_packet_peer_dtls_set_conditioner(dtls, &bad) == BAD);
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(NULL, &st) == BAD);
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(dtls, NULL) == BAD);
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(rx, &st) == BAD);
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(dtls, &st) == PP_ERR_UNCONFIGURED);
        CHECK(pp_packet_peer_dtls_set_conditioner(dtls, &o) == PP_OK); /* for its next session */
        memset(&st, 0xab, sizeof st);
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(dtls, &st) == PP_OK);
        CHECK(st.outgoing.offered == 0 && st.incoming.offered == 0 && st.outgoing.queued == 0);
        CHECK(pp_packet_peer_dtls_set_conditioner(dtls, NULL) == PP_OK);
        CHECK(pp_packet_peer_dtls_get_conditioner_stats(dtls, &st) == PP_ERR_UNCONFIGURED);

        CHECK(pp_dtls_server_new(&ds) == PP_OK);
        CHECK(pp_dtls_server_set_conditioner(NULL, &o) == BAD);
        CHECK(pp_dtls_server_set_conditioner((pp_dtls_server *)c, &o) == BAD); /* another type */
        CHECK(pp_dtls_server_set_conditioner(ds, &bad) == BAD);
        CHECK(pp_dtls_server_set_conditioner(ds, &o) == PP_OK);
        CHECK(pp_dtls_server_set_conditioner(ds, NULL) == PP_OK);

        CHECK(pp_webrtc_peer_connection_new(&w) == PP_OK);
        CHECK(pp_webrtc_peer_connection_set_conditioner(NULL, &o) == BAD);
        CHECK(pp_webrtc_peer_connection_set_conditioner((pp_webrtc_peer_connection *)c, &o) == BAD);
        CHECK(pp_webrtc_peer_connection_set_conditioner(w, &bad) == BAD);
        CHECK(pp_webrtc_peer_connection_get_conditioner_stats(NULL, &st) == BAD);
        CHECK(pp_webrtc_peer_connection_get_conditioner_stats(w, NULL) == BAD);
        CHECK(pp_webrtc_peer_connection_get_conditioner_stats(w, &st) == PP_ERR_UNCONFIGURED);
        CHECK(pp_webrtc_peer_connection_set_conditioner(w, &o) == PP_OK);
        memset(&st, 0xab, sizeof st);
        CHECK(pp_webrtc_peer_connection_get_conditioner_stats(w, &st) == PP_OK);
        CHECK(st.outgoing.offered == 0 && st.incoming.offered == 0);
        CHECK(pp_webrtc_peer_connection_set_conditioner(w, NULL) == PP_OK);
        CHECK(pp_webrtc_peer_connection_get_conditioner_stats(w, &st) == PP_ERR_UNCONFIGURED);

        pp_webrtc_peer_connection_free(w);
        pp_dtls_server_free(ds);
        pp_peer_free(dtls);
    }

    pp_enet_connection_free(c);
    pp_variant_free(v);
    pp_peer_free(rx);
    pp_peer_free(tx);
    puts("test_conditioner: OK");
    return 0;
}
