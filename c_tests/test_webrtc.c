/* C ABI tests for WebRTCPeerConnection and WebRTCDataChannel: every export's NULL and wrong-type
 * paths, bad SDP, bad candidates, bad configuration and options dictionaries, the event queue and
 * its string ownership, and a loopback pair (DCEP reliable + negotiated unreliable channel, binary,
 * text, put_var/get_var, close). Loopback only, port 0, bounded waits. */
// ctest-timeout: 120
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"
#include "test_cert.h"

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

static pp_variant *str(const char *s) {
    pp_variant *v = NULL;
    return pp_variant_new_string(s, &v) == PP_OK ? v : NULL;
}

/* dict[key] = value; frees value. */
static int put(pp_variant *dict, const char *key, pp_variant *value) {
    pp_variant *k = str(key);
    pp_error e = pp_variant_dictionary_set(dict, k, value);
    pp_variant_free(k);
    pp_variant_free(value);
    return e == PP_OK;
}

static pp_variant *new_dict(void) {
    pp_variant *d = NULL;
    return pp_variant_new_dictionary(&d) == PP_OK ? d : NULL;
}

static pp_variant *new_int(int64_t n) {
    pp_variant *v = NULL;
    return pp_variant_new_int(n, &v) == PP_OK ? v : NULL;
}

static pp_variant *new_bool(bool b) {
    pp_variant *v = NULL;
    return pp_variant_new_bool(b, &v) == PP_OK ? v : NULL;
}

/* {"bindAddresses": ["127.0.0.1"]} */
static pp_variant *loopback_config(void) {
    pp_variant *d = new_dict(), *a = NULL;
    if (!d || pp_variant_new_array(&a) != PP_OK) return NULL;
    pp_variant *ip = str("127.0.0.1");
    if (pp_variant_array_append(a, ip) != PP_OK) return NULL;
    pp_variant_free(ip);
    return put(d, "bindAddresses", a) ? d : NULL;
}

/* Moves every signal of `from` to `to`; the first received channel goes to *got. */
static int relay(pp_webrtc_peer_connection *from, pp_webrtc_peer_connection *to, pp_peer **got) {
    pp_webrtc_event ev;
    while (pp_webrtc_peer_connection_pop_event(from, &ev) == PP_OK) {
        if (ev.type_ == PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED) {
            CHECK(pp_webrtc_peer_connection_set_local_description(from, ev.text, ev.text2) == PP_OK);
            CHECK(pp_webrtc_peer_connection_set_remote_description(to, ev.text, ev.text2) == PP_OK);
        } else if (ev.type_ == PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED) {
            CHECK(pp_webrtc_peer_connection_add_ice_candidate(to, ev.text, ev.index, ev.text2) == PP_OK);
        } else if (ev.type_ == PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED) {
            CHECK(ev.channel != NULL);
            if (*got == NULL) *got = ev.channel;
            else pp_peer_free(ev.channel);
        }
        pp_webrtc_event_clear(&ev);
        CHECK(ev.text == NULL && ev.text2 == NULL);
    }
    return 0;
}

static int null_and_wrong_type(void) {
    pp_webrtc_peer_connection *c = NULL;
    pp_peer *udp = NULL, *ch = NULL;
    pp_variant *v = new_int(1);
    pp_webrtc_event ev;
    pp_webrtc_stats st;
    char buf[8];
    size_t n = 0;

    CHECK(pp_webrtc_peer_connection_new(NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_new(&c) == PP_OK && c);
    CHECK(pp_packet_peer_udp_new(&udp) == PP_OK);
    /* NULL handles */
    CHECK(pp_webrtc_peer_connection_initialize(NULL, NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_create_data_channel(NULL, "x", NULL, &ch) == BAD);
    CHECK(pp_webrtc_peer_connection_create_offer(NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_set_remote_description(NULL, "offer", "v=0") == BAD);
    CHECK(pp_webrtc_peer_connection_set_local_description(NULL, "offer", "v=0") == BAD);
    CHECK(pp_webrtc_peer_connection_add_ice_candidate(NULL, "0", 0, "") == BAD);
    CHECK(pp_webrtc_peer_connection_poll(NULL) == BAD);
    pp_webrtc_peer_connection_close(NULL);
    CHECK(pp_webrtc_peer_connection_get_connection_state(NULL) == PP_WEBRTC_STATE_CLOSED);
    CHECK(pp_webrtc_peer_connection_get_gathering_state(NULL) == PP_WEBRTC_GATHERING_STATE_NEW);
    CHECK(pp_webrtc_peer_connection_get_signaling_state(NULL) == PP_WEBRTC_SIGNALING_STATE_CLOSED);
    CHECK(pp_webrtc_peer_connection_pop_event(NULL, &ev) == BAD);
    CHECK(pp_webrtc_peer_connection_get_last_error(NULL, buf, sizeof buf, &n) == BAD);
    CHECK(pp_webrtc_peer_connection_get_stats(NULL, &st) == BAD);
    pp_webrtc_event_clear(NULL);
    pp_webrtc_peer_connection_free(NULL);
    /* NULL arguments on a live handle */
    CHECK(pp_webrtc_peer_connection_pop_event(c, NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_get_stats(c, NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, NULL, NULL, &ch) == BAD);
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", NULL, NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_set_remote_description(c, NULL, "v=0") == BAD);
    CHECK(pp_webrtc_peer_connection_set_remote_description(c, "offer", NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_add_ice_candidate(c, NULL, 0, "") == BAD);
    CHECK(pp_webrtc_peer_connection_add_ice_candidate(c, "0", 0, NULL) == BAD);
    /* TLS options for turns: servers: client options or NULL (the default); never server ones */
    {
        pp_crypto_key *key = NULL;
        pp_x509_certificate *cert = NULL;
        pp_tls_options *client = NULL, *server = NULL;
        CHECK(pp_crypto_key_load_pem((const uint8_t *)EC_KEY_PEM, strlen(EC_KEY_PEM), false, &key) ==
              PP_OK);
        CHECK(pp_x509_certificate_load_pem((const uint8_t *)EC_CERT_PEM, strlen(EC_CERT_PEM), &cert) ==
              PP_OK);
        CHECK(pp_tls_options_client(cert, NULL, &client) == PP_OK);
        CHECK(pp_tls_options_server(key, cert, &server) == PP_OK);
        CHECK(pp_webrtc_peer_connection_set_turn_tls_options(NULL, client) == BAD);
        CHECK(pp_webrtc_peer_connection_set_turn_tls_options((pp_webrtc_peer_connection *)udp, client) ==
              BAD);
        CHECK(pp_webrtc_peer_connection_set_turn_tls_options(c, server) == BAD);
        CHECK(pp_webrtc_peer_connection_set_turn_tls_options(c, (const pp_tls_options *)v) == BAD);
        CHECK(pp_webrtc_peer_connection_set_turn_tls_options(c, client) == PP_OK);
        pp_tls_options_free(client); /* copied by the connection */
        CHECK(pp_webrtc_peer_connection_set_turn_tls_options(c, NULL) == PP_OK);
        pp_tls_options_free(server);
        pp_x509_certificate_free(cert);
        pp_crypto_key_free(key);
    }
    /* Wrong types: a pp_peer or a variant where a connection belongs, and the reverse */
    CHECK(pp_webrtc_peer_connection_poll((pp_webrtc_peer_connection *)udp) == BAD);
    CHECK(pp_webrtc_peer_connection_create_offer((pp_webrtc_peer_connection *)v) == BAD);
    CHECK(pp_webrtc_peer_connection_initialize(c, (const pp_variant *)udp) == BAD);
    CHECK(pp_webrtc_data_channel_get_ready_state(udp) == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
    CHECK(pp_webrtc_data_channel_get_ready_state((pp_peer *)c) == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
    CHECK(pp_webrtc_data_channel_set_write_mode(udp, 0) == BAD);
    CHECK(pp_webrtc_data_channel_get_write_mode(NULL) == PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_BINARY);
    CHECK(!pp_webrtc_data_channel_was_string_packet(udp));
    CHECK(pp_webrtc_data_channel_get_label(udp, buf, sizeof buf, &n) == BAD);
    CHECK(pp_webrtc_data_channel_get_protocol(NULL, buf, sizeof buf, &n) == BAD);
    CHECK(!pp_webrtc_data_channel_is_ordered(udp));
    CHECK(!pp_webrtc_data_channel_is_negotiated(NULL));
    CHECK(pp_webrtc_data_channel_get_id(udp) == 65535);
    CHECK(pp_webrtc_data_channel_get_max_packet_life_time(NULL) == 65535);
    CHECK(pp_webrtc_data_channel_get_max_retransmits(udp) == 65535);
    CHECK(pp_webrtc_data_channel_get_buffered_amount(NULL) == 0);
    CHECK(pp_webrtc_data_channel_get_refused_count(udp) == 0);
    CHECK(pp_webrtc_data_channel_poll(NULL) == BAD);
    pp_webrtc_data_channel_close(udp);
    pp_webrtc_data_channel_close(NULL);
    pp_webrtc_peer_connection_free((pp_webrtc_peer_connection *)udp); /* another type: ignored */
    CHECK(pp_packet_peer_udp_bind(udp, 0, "127.0.0.1", 65536) == PP_OK);

    /* Before initialize */
    CHECK(pp_webrtc_peer_connection_create_offer(c) == PP_ERR_UNCONFIGURED);
    CHECK(pp_webrtc_peer_connection_poll(c) == PP_ERR_UNCONFIGURED);
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", NULL, &ch) == PP_ERR_UNCONFIGURED);
    CHECK(pp_webrtc_peer_connection_get_last_error(c, NULL, 0, &n) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(n > 0);
    CHECK(pp_webrtc_peer_connection_get_stats(c, &st) == PP_OK && st.garbage_datagrams == 0);
    CHECK(pp_webrtc_peer_connection_pop_event(c, &ev) == PP_ERR_UNAVAILABLE);

    pp_variant_free(v);
    pp_peer_free(udp);
    pp_webrtc_peer_connection_free(c);
    return 0;
}

static int bad_input(void) {
    pp_webrtc_peer_connection *c = NULL;
    pp_peer *ch = NULL;
    pp_variant *cfg = loopback_config(), *opts, *servers = NULL, *server;
    char err[256];

    CHECK(cfg);
    CHECK(pp_webrtc_peer_connection_new(&c) == PP_OK);
    /* Bad configurations: not a dictionary, a server without urls, a URL of another scheme */
    opts = new_int(3);
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == BAD);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(pp_variant_new_array(&servers) == PP_OK);
    server = new_dict();
    CHECK(put(server, "username", str("u")));
    CHECK(pp_variant_array_append(servers, server) == PP_OK);
    pp_variant_free(server);
    CHECK(put(opts, "iceServers", servers));
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == BAD);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(pp_variant_new_array(&servers) == PP_OK);
    server = new_dict();
    CHECK(put(server, "urls", str("http://example.invalid")));
    CHECK(pp_variant_array_append(servers, server) == PP_OK);
    pp_variant_free(server);
    CHECK(put(opts, "iceServers", servers));
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == BAD);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(put(opts, "bindAddresses", str("not an address")));
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == BAD);
    pp_variant_free(opts);
    /* TURN over DTLS (turns: with transport=udp) is refused with ERR_UNAVAILABLE and the reason;
     * a TURN server needs credentials; iceTransportPolicy is "all" or "relay", and "relay" needs a
     * TURN server. */
    opts = new_dict();
    CHECK(pp_variant_new_array(&servers) == PP_OK);
    server = new_dict();
    CHECK(put(server, "urls", str("turns:127.0.0.1:5349?transport=udp")));
    CHECK(put(server, "username", str("u")));
    CHECK(put(server, "credential", str("p")));
    CHECK(pp_variant_array_append(servers, server) == PP_OK);
    pp_variant_free(server);
    CHECK(put(opts, "iceServers", servers));
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == PP_ERR_UNAVAILABLE);
    CHECK(pp_webrtc_peer_connection_get_last_error(c, err, sizeof err, NULL) == PP_OK);
    CHECK(strstr(err, "DTLS") != NULL);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(pp_variant_new_array(&servers) == PP_OK);
    server = new_dict();
    CHECK(put(server, "urls", str("turn:127.0.0.1:3478")));
    CHECK(pp_variant_array_append(servers, server) == PP_OK);
    pp_variant_free(server);
    CHECK(put(opts, "iceServers", servers));
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == BAD);
    CHECK(pp_webrtc_peer_connection_get_last_error(c, err, sizeof err, NULL) == PP_OK);
    CHECK(strstr(err, "username") != NULL);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(put(opts, "iceTransportPolicy", str("relay")));
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == BAD);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(put(opts, "iceTransportPolicy", new_int(1)));
    CHECK(pp_webrtc_peer_connection_initialize(c, opts) == BAD);
    pp_variant_free(opts);

    CHECK(pp_webrtc_peer_connection_initialize(c, cfg) == PP_OK);
    CHECK(pp_webrtc_peer_connection_get_connection_state(c) == PP_WEBRTC_STATE_NEW);
    /* An offer needs a channel */
    CHECK(pp_webrtc_peer_connection_create_offer(c) == PP_FAILED);
    CHECK(pp_webrtc_peer_connection_get_last_error(c, err, sizeof err, NULL) == PP_OK && err[0]);
    /* Bad options dictionaries: each makes no channel */
    opts = new_dict();
    CHECK(put(opts, "negotiated", new_bool(true))); /* without id */
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", opts, &ch) == BAD && ch == NULL);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(put(opts, "id", new_int(4))); /* id without negotiated */
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", opts, &ch) == BAD);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(put(opts, "maxRetransmits", new_int(1)));
    CHECK(put(opts, "maxPacketLifeTime", new_int(1)));
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", opts, &ch) == BAD);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(put(opts, "maxRetransmits", new_int(-1)));
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", opts, &ch) == BAD);
    pp_variant_free(opts);
    opts = new_dict();
    CHECK(put(opts, "ordered", str("yes")));
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", opts, &ch) == BAD);
    pp_variant_free(opts);
    opts = new_int(1);
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "x", opts, &ch) == BAD);
    pp_variant_free(opts);
    CHECK(ch == NULL);
    /* Bad SDP and candidates */
    CHECK(pp_webrtc_peer_connection_set_remote_description(c, "pranswer", "v=0") == BAD);
    CHECK(pp_webrtc_peer_connection_set_remote_description(c, "offer", "garbage") == PP_FAILED);
    CHECK(pp_webrtc_peer_connection_set_remote_description(c, "offer", "") == PP_FAILED);
    CHECK(pp_webrtc_peer_connection_set_remote_description(c, "answer", "v=0\r\n") == PP_FAILED);
    CHECK(pp_webrtc_peer_connection_get_last_error(c, err, sizeof err, NULL) == PP_OK && err[0]);
    CHECK(pp_webrtc_peer_connection_set_local_description(c, "bogus", "v=0") == BAD);
    CHECK(pp_webrtc_peer_connection_set_local_description(c, "offer", "") == BAD);
    CHECK(pp_webrtc_peer_connection_add_ice_candidate(c, "0", 0, "candidate:nonsense") == PP_FAILED);
    CHECK(pp_webrtc_peer_connection_add_ice_candidate(c, "0", 0, "") == PP_OK);
    CHECK(pp_webrtc_data_channel_set_write_mode(NULL, 1) == BAD);
    /* A channel, and its bad write modes */
    CHECK(pp_webrtc_peer_connection_create_data_channel(c, "ok", NULL, &ch) == PP_OK && ch);
    CHECK(pp_webrtc_data_channel_set_write_mode(ch, 2) == BAD);
    CHECK(pp_webrtc_data_channel_set_write_mode(ch, -1) == BAD);
    CHECK(pp_put_packet(ch, (const uint8_t *)"x", 1) == PP_FAILED); /* not open */
    pp_webrtc_peer_connection_close(c);
    CHECK(pp_webrtc_peer_connection_get_connection_state(c) == PP_WEBRTC_STATE_CLOSED);
    CHECK(pp_webrtc_data_channel_get_ready_state(ch) == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
    CHECK(pp_webrtc_peer_connection_poll(c) == PP_ERR_UNCONFIGURED);
    /* The channel outlives the connection handle */
    pp_webrtc_peer_connection_free(c);
    CHECK(pp_webrtc_data_channel_get_ready_state(ch) == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
    pp_peer_free(ch);
    pp_variant_free(cfg);
    return 0;
}

static int pair(void) {
    pp_webrtc_peer_connection *a = NULL, *b = NULL;
    pp_peer *rel = NULL, *rel_b = NULL, *fast = NULL, *fast_b = NULL, *ignored = NULL;
    pp_variant *cfg = loopback_config(), *opts = new_dict(), *val = NULL, *got = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t count = 0;
    int64_t n = 0;
    char label[16];
    size_t llen = 0;
    int i;

    CHECK(cfg && opts);
    CHECK(pp_webrtc_peer_connection_new(&a) == PP_OK);
    CHECK(pp_webrtc_peer_connection_new(&b) == PP_OK);
    CHECK(pp_webrtc_peer_connection_initialize(a, cfg) == PP_OK);
    CHECK(pp_webrtc_peer_connection_initialize(b, cfg) == PP_OK);
    CHECK(pp_webrtc_peer_connection_create_data_channel(a, "reliable", NULL, &rel) == PP_OK);
    CHECK(put(opts, "negotiated", new_bool(true)));
    CHECK(put(opts, "id", new_int(5)));
    CHECK(put(opts, "ordered", new_bool(false)));
    CHECK(put(opts, "maxRetransmits", new_int(0)));
    CHECK(pp_webrtc_peer_connection_create_data_channel(a, "fast", opts, &fast) == PP_OK);
    CHECK(pp_webrtc_peer_connection_create_data_channel(b, "fast", opts, &fast_b) == PP_OK);
    CHECK(pp_webrtc_data_channel_get_id(fast) == 5 && pp_webrtc_data_channel_is_negotiated(fast));
    CHECK(pp_webrtc_data_channel_get_max_retransmits(fast) == 0);
    CHECK(!pp_webrtc_data_channel_is_ordered(fast));
    CHECK(pp_webrtc_data_channel_get_ready_state(rel) == PP_WEBRTC_DATA_CHANNEL_STATE_CONNECTING);

    CHECK(pp_webrtc_peer_connection_create_offer(a) == PP_OK);
    CHECK(pp_webrtc_peer_connection_get_signaling_state(a) == PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
    for (i = 0; i < 20000; i++) {
        (void)pp_webrtc_peer_connection_poll(a);
        (void)pp_webrtc_peer_connection_poll(b);
        CHECK(relay(a, b, &ignored) == 0);
        CHECK(relay(b, a, &rel_b) == 0);
        if (rel_b && pp_webrtc_data_channel_get_ready_state(rel) == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN &&
            pp_webrtc_data_channel_get_ready_state(fast) == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN &&
            pp_webrtc_data_channel_get_ready_state(fast_b) == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN)
            break;
        nap_1ms();
    }
    CHECK(rel_b != NULL && ignored == NULL);
    CHECK(pp_webrtc_peer_connection_get_connection_state(a) == PP_WEBRTC_STATE_CONNECTED);
    CHECK(pp_webrtc_peer_connection_get_gathering_state(a) == PP_WEBRTC_GATHERING_STATE_COMPLETE);
    CHECK(pp_webrtc_data_channel_get_label(rel_b, label, sizeof label, &llen) == PP_OK);
    CHECK(strcmp(label, "reliable") == 0 && llen == 8);
    CHECK(pp_webrtc_data_channel_get_label(rel_b, label, 4, &llen) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_webrtc_data_channel_get_protocol(rel_b, label, sizeof label, &llen) == PP_OK && llen == 0);

    /* binary, text and a variant over the reliable channel; one message on the unreliable one */
    CHECK(pp_put_packet(rel, (const uint8_t *)"bin", 3) == PP_OK);
    CHECK(pp_webrtc_data_channel_set_write_mode(rel, PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT) == PP_OK);
    CHECK(pp_put_packet(rel, (const uint8_t *)"txt", 3) == PP_OK);
    CHECK(pp_webrtc_data_channel_set_write_mode(rel, PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_BINARY) == PP_OK);
    CHECK(pp_variant_new_int(77, &val) == PP_OK);
    CHECK(pp_put_var(rel, val, false) == PP_OK);
    CHECK(pp_put_packet(fast_b, (const uint8_t *)"u", 1) == PP_OK);
    for (i = 0; i < 20000; i++) {
        int32_t c2 = 0;
        (void)pp_webrtc_peer_connection_poll(a);
        (void)pp_webrtc_peer_connection_poll(b);
        CHECK(pp_get_available_packet_count(rel_b, &count) == PP_OK);
        CHECK(pp_get_available_packet_count(fast, &c2) == PP_OK);
        if (count == 3 && c2 == 1) break;
        nap_1ms();
    }
    CHECK(count == 3);
    CHECK(pp_get_packet(rel_b, &data, &len) == PP_OK && len == 3 && memcmp(data, "bin", 3) == 0);
    CHECK(!pp_webrtc_data_channel_was_string_packet(rel_b));
    CHECK(pp_get_packet(rel_b, &data, &len) == PP_OK && len == 3 && memcmp(data, "txt", 3) == 0);
    CHECK(pp_webrtc_data_channel_was_string_packet(rel_b));
    CHECK(pp_get_var(rel_b, false, &got) == PP_OK);
    CHECK(pp_variant_get_int(got, &n) == PP_OK && n == 77);
    CHECK(pp_get_packet(rel_b, &data, &len) == PP_ERR_UNAVAILABLE);
    CHECK(pp_get_packet(fast, &data, &len) == PP_OK && len == 1 && data[0] == 'u');
    CHECK(pp_webrtc_data_channel_get_buffered_amount(rel) >= 0);

    /* close from the answerer's side */
    pp_webrtc_data_channel_close(rel_b);
    for (i = 0; i < 20000; i++) {
        (void)pp_webrtc_peer_connection_poll(a);
        (void)pp_webrtc_peer_connection_poll(b);
        if (pp_webrtc_data_channel_get_ready_state(rel) == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED) break;
        nap_1ms();
    }
    CHECK(pp_webrtc_data_channel_get_ready_state(rel) == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
    CHECK(pp_put_packet(rel, (const uint8_t *)"x", 1) == PP_FAILED);

    pp_variant_free(val);
    pp_variant_free(got);
    pp_variant_free(cfg);
    pp_variant_free(opts);
    pp_peer_free(rel);
    pp_peer_free(rel_b);
    pp_peer_free(fast);
    pp_peer_free(fast_b);
    pp_webrtc_peer_connection_close(a);
    pp_webrtc_peer_connection_free(a);
    pp_webrtc_peer_connection_free(b);
    return 0;
}

/* A server and a client over one connection pair; every NULL / wrong-class path of the class. */
static int multiplayer(void) {
    pp_peer *srv = NULL, *cli = NULL, *udp = NULL, *ch = NULL;
    pp_webrtc_peer_connection *a = NULL, *b = NULL, *got_conn = NULL;
    pp_variant *cfg = loopback_config();
    pp_multiplayer_event ev;
    pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED;
    const int32_t extra[1] = {PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE};
    const int32_t bad_mode[1] = {7};
    const uint8_t *data = NULL;
    size_t len = 0, n = 0;
    int32_t ids[4], from = 0, chan = -1;
    bool connected = false, sconn = false;
    int i;

    CHECK(cfg);
    CHECK(pp_webrtc_multiplayer_peer_new(NULL) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_new(&srv) == PP_OK && pp_webrtc_multiplayer_peer_new(&cli) == PP_OK);
    CHECK(pp_packet_peer_udp_new(&udp) == PP_OK);
    CHECK(pp_webrtc_peer_connection_new(&a) == PP_OK && pp_webrtc_peer_connection_new(&b) == PP_OK);
    /* NULL and wrong class */
    CHECK(pp_webrtc_multiplayer_peer_create_server(NULL, NULL, 0) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_create_server(udp, NULL, 0) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_create_client(NULL, 2, NULL, 0) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_create_mesh(udp, 2, NULL, 0) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_create_server(srv, NULL, 1) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_create_server(srv, bad_mode, 1) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_create_client(cli, 1, NULL, 0) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_create_mesh(cli, 0, NULL, 0) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(NULL, a, 2, 1) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, NULL, 2, 1) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, (pp_webrtc_peer_connection *)udp, 2, 1) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, a, 2, 1) == PP_ERR_UNCONFIGURED);
    CHECK(pp_webrtc_multiplayer_peer_remove_peer(NULL, 2) == BAD);
    CHECK(!pp_webrtc_multiplayer_peer_has_peer(udp, 2));
    CHECK(pp_webrtc_multiplayer_peer_get_peer(NULL, 2, NULL, NULL) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_get_peer(srv, 2, NULL, NULL) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_webrtc_multiplayer_peer_get_peer_channel(srv, 2, 0, NULL) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_get_peer_channel(srv, 2, 0, &ch) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_webrtc_multiplayer_peer_get_peers(srv, NULL, 0, NULL) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_get_peers(srv, NULL, 1, &n) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_get_peers(udp, NULL, 0, &n) == BAD);
    CHECK(pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime(udp, true) == BAD);
    CHECK(!pp_webrtc_multiplayer_peer_is_honoring_unreliable_lifetime(NULL));
    CHECK(pp_put_packet(srv, (const uint8_t *)"x", 1) == PP_ERR_UNCONFIGURED);

    CHECK(pp_webrtc_multiplayer_peer_create_server(srv, extra, 1) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_create_client(cli, 2, extra, 1) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, a, 2, 1) == PP_FAILED); /* not initialized */
    CHECK(pp_webrtc_peer_connection_initialize(a, cfg) == PP_OK);
    CHECK(pp_webrtc_peer_connection_initialize(b, cfg) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, a, 1, 1) == BAD);  /* a server adding 1 */
    CHECK(pp_webrtc_multiplayer_peer_add_peer(cli, b, 3, 1) == BAD);  /* a client adding 3 */
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, a, 2, -1) == BAD); /* negative lifetime */
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, a, 2, 1) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(cli, b, 1, 1) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_get_peers(srv, NULL, 0, &n) == PP_ERR_PARAMETER_RANGE_ERROR && n == 1);
    CHECK(pp_webrtc_multiplayer_peer_get_peers(srv, ids, 4, &n) == PP_OK && n == 1 && ids[0] == 2);
    CHECK(pp_webrtc_multiplayer_peer_get_peer_channel(srv, 2, 4, &ch) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_webrtc_multiplayer_peer_get_peer_channel(srv, 2, 3, &ch) == PP_OK);
    CHECK(pp_webrtc_data_channel_get_id(ch) == 4 && !pp_webrtc_data_channel_is_ordered(ch));
    pp_peer_free(ch);
    CHECK(pp_webrtc_peer_connection_create_offer(a) == PP_OK);
    for (i = 0; i < 20000; i++) {
        pp_peer *none = NULL;
        (void)pp_multiplayer_peer_poll(srv);
        (void)pp_multiplayer_peer_poll(cli);
        CHECK(relay(a, b, &none) == 0 && relay(b, a, &none) == 0 && none == NULL);
        CHECK(pp_multiplayer_peer_get_connection_status(cli, &st) == PP_OK);
        CHECK(pp_webrtc_multiplayer_peer_get_peer(srv, 2, NULL, &sconn) == PP_OK);
        if (st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED && sconn) break;
        nap_1ms();
    }
    CHECK(st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED && sconn);
    CHECK(pp_multiplayer_peer_pop_event(cli, &ev) == PP_OK);
    CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev.peer_id == 1);
    CHECK(pp_multiplayer_peer_pop_event(srv, &ev) == PP_OK && ev.peer_id == 2);
    CHECK(pp_webrtc_multiplayer_peer_get_peer(srv, 2, &got_conn, &connected) == PP_OK && connected);
    CHECK(pp_webrtc_peer_connection_get_connection_state(got_conn) == PP_WEBRTC_STATE_CONNECTED);
    pp_webrtc_peer_connection_free(got_conn);

    /* The client sends on extra channel 1; the server reads it with its channel and sender. */
    CHECK(pp_multiplayer_peer_set_transfer_channel(cli, 1) == PP_OK);
    CHECK(pp_multiplayer_peer_set_target_peer(cli, 1) == PP_OK);
    CHECK(pp_put_packet(cli, (const uint8_t *)"mp", 2) == PP_OK);
    for (i = 0; i < 20000; i++) {
        int32_t c = 0;
        (void)pp_multiplayer_peer_poll(srv);
        (void)pp_multiplayer_peer_poll(cli);
        if (pp_get_available_packet_count(srv, &c) == PP_OK && c > 0) break;
        nap_1ms();
    }
    CHECK(pp_multiplayer_peer_get_packet_peer(srv, &from) == PP_OK && from == 2);
    CHECK(pp_multiplayer_peer_get_packet_channel(srv, &chan) == PP_OK && chan == 1);
    CHECK(pp_get_packet(srv, &data, &len) == PP_OK && len == 2 && memcmp(data, "mp", 2) == 0);

    CHECK(pp_webrtc_multiplayer_peer_remove_peer(srv, 2) == PP_OK);
    CHECK(!pp_webrtc_multiplayer_peer_has_peer(srv, 2));
    CHECK(pp_multiplayer_peer_pop_event(srv, &ev) == PP_OK && ev.kind == PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED);
    CHECK(pp_multiplayer_peer_close(cli) == PP_OK);

    pp_variant_free(cfg);
    pp_peer_free(udp);
    pp_peer_free(srv);
    pp_peer_free(cli);
    pp_webrtc_peer_connection_free(a);
    pp_webrtc_peer_connection_free(b);
    return 0;
}

int main(void) {
    CHECK(null_and_wrong_type() == 0);
    CHECK(bad_input() == 0);
    CHECK(pair() == 0);
    CHECK(multiplayer() == 0);
    puts("test_webrtc: ok");
    return 0;
}
