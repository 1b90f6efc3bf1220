/* C ABI tests for WebRTCPeerConnectionExtension and WebRTCDataChannelExtension: table checks
 * (NULL, short size, missing callback), every pp_webrtc_peer_connection_* and
 * pp_webrtc_data_channel_* call reaching its callback with the right arguments, the emitted
 * signals through pop_event, the channel made by the extension's create_data_channel, the
 * PacketPeer calls on an extension channel, destroy exactly once, re-entry (PP_ERR_LOCKED), and a
 * WebRTCMultiplayerPeer client over an extension connection (one that delegates to a built-in
 * connection) reaching a server over a built-in one. Loopback only, bounded waits. */
// ctest-timeout: 120
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

/* ---- a data channel extension: a loopback queue of one packet ---- */
typedef struct {
    uint8_t pkt[64];
    int32_t len; /* -1: empty */
    int32_t mode;
    int closed, polled, destroyed;
} chan_state;

static int32_t ch_get_packet(void *u, const uint8_t **buf, int32_t *len) {
    chan_state *s = u;
    if (s->len < 0) return PP_ERR_UNAVAILABLE;
    *buf = s->pkt;
    *len = s->len;
    s->len = -1;
    return PP_OK;
}
static int32_t ch_put_packet(void *u, const uint8_t *buf, int32_t len) {
    chan_state *s = u;
    if (len > (int32_t)sizeof s->pkt) return PP_ERR_OUT_OF_MEMORY;
    memcpy(s->pkt, buf, (size_t)len);
    s->len = len;
    return PP_OK;
}
static int32_t ch_count(void *u) { return ((chan_state *)u)->len >= 0 ? 1 : 0; }
static int32_t ch_max(void *u) { (void)u; return 64; }
static int32_t ch_poll(void *u) { ((chan_state *)u)->polled++; return PP_OK; }
static void ch_close(void *u) { ((chan_state *)u)->closed++; }
static void ch_set_mode(void *u, int32_t m) { ((chan_state *)u)->mode = m; }
static int32_t ch_get_mode(void *u) { return ((chan_state *)u)->mode; }
static bool ch_was_string(void *u) { return ((chan_state *)u)->mode == 0; }
static int32_t ch_state(void *u) { return ((chan_state *)u)->closed ? 3 : 1; }
static const char *ch_label(void *u) { (void)u; return "ext-label"; }
static bool ch_true(void *u) { (void)u; return true; }
static int32_t ch_id(void *u) { (void)u; return 42; }
static int32_t ch_life(void *u) { (void)u; return 7; }
static int32_t ch_rexmit(void *u) { (void)u; return 65535; }
static const char *ch_protocol(void *u) { (void)u; return NULL; }
static int32_t ch_buffered(void *u) { (void)u; return 5; }
static void ch_destroy(void *u) { ((chan_state *)u)->destroyed++; }

static pp_webrtc_data_channel_extension_callbacks chan_table(chan_state *s) {
    pp_webrtc_data_channel_extension_callbacks t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.userdata = s;
    t.get_packet = ch_get_packet;
    t.put_packet = ch_put_packet;
    t.get_available_packet_count = ch_count;
    t.get_max_packet_size = ch_max;
    t.poll = ch_poll;
    t.close = ch_close;
    t.set_write_mode = ch_set_mode;
    t.get_write_mode = ch_get_mode;
    t.was_string_packet = ch_was_string;
    t.get_ready_state = ch_state;
    t.get_label = ch_label;
    t.is_ordered = ch_true;
    t.get_id = ch_id;
    t.get_max_packet_life_time = ch_life;
    t.get_max_retransmits = ch_rexmit;
    t.get_protocol = ch_protocol;
    t.is_negotiated = ch_true;
    t.get_buffered_amount = ch_buffered;
    t.destroy = ch_destroy;
    return t;
}

/* ---- a peer connection extension that records its calls ---- */
typedef struct {
    pp_webrtc_peer_connection *self;
    chan_state chan;
    char last[256];
    int32_t last_index;
    int initialized, offers, polls, closes, destroyed;
    pp_error reentry;
} conn_state;

static int32_t pc_initialize(void *u, const pp_variant *cfg) {
    conn_state *s = u;
    size_t n = 99;
    s->initialized++;
    if (!cfg || pp_variant_dictionary_size(cfg, &n) != PP_OK) return PP_FAILED;
    return n == 0 ? PP_OK : PP_ERR_INVALID_DATA;
}
static int32_t pc_create_dc(void *u, const char *label, const pp_variant *opts, pp_peer **out) {
    conn_state *s = u;
    pp_webrtc_data_channel_extension_callbacks t = chan_table(&s->chan);
    (void)opts;
    if (strcmp(label, "fail") == 0) return PP_ERR_CANT_CREATE;
    snprintf(s->last, sizeof s->last, "dc:%s", label);
    return pp_webrtc_data_channel_extension_new(&t, out);
}
static int32_t pc_offer(void *u) {
    conn_state *s = u;
    s->offers++;
    /* Signals are emitted from inside the callback; re-entering the connection is refused. */
    s->reentry = pp_webrtc_peer_connection_poll(s->self);
    return pp_webrtc_peer_connection_extension_emit_session_description_created(s->self, "offer", "v=0 ext");
}
static int32_t pc_set_remote(void *u, const char *t, const char *sdp) {
    snprintf(((conn_state *)u)->last, 256, "remote:%s:%s", t, sdp);
    return PP_OK;
}
static int32_t pc_set_local(void *u, const char *t, const char *sdp) {
    snprintf(((conn_state *)u)->last, 256, "local:%s:%s", t, sdp);
    return PP_OK;
}
static int32_t pc_add_cand(void *u, const char *m, int32_t i, const char *n) {
    conn_state *s = u;
    snprintf(s->last, sizeof s->last, "cand:%s:%s", m, n);
    s->last_index = i;
    return PP_OK;
}
static int32_t pc_poll(void *u) { ((conn_state *)u)->polls++; return PP_OK; }
static void pc_close(void *u) { ((conn_state *)u)->closes++; }
static int32_t pc_conn_state(void *u) { return ((conn_state *)u)->closes ? 5 : 2; }
static int32_t pc_gather_state(void *u) { (void)u; return 2; }
static int32_t pc_sig_state(void *u) { (void)u; return 99; /* out of range: reads CLOSED */ }
static void pc_destroy(void *u) { ((conn_state *)u)->destroyed++; }

/* ---- an extension connection that delegates every call to a built-in connection ---- */
static int32_t d_init(void *u, const pp_variant *cfg) { return pp_webrtc_peer_connection_initialize(u, cfg); }
static int32_t d_create_dc(void *u, const char *label, const pp_variant *opts, pp_peer **out) {
    return pp_webrtc_peer_connection_create_data_channel(u, label, opts, out);
}
static int32_t d_offer(void *u) { return pp_webrtc_peer_connection_create_offer(u); }
static int32_t d_set_remote(void *u, const char *t, const char *sdp) {
    return pp_webrtc_peer_connection_set_remote_description(u, t, sdp);
}
static int32_t d_set_local(void *u, const char *t, const char *sdp) {
    return pp_webrtc_peer_connection_set_local_description(u, t, sdp);
}
static int32_t d_add_cand(void *u, const char *m, int32_t i, const char *n) {
    return pp_webrtc_peer_connection_add_ice_candidate(u, m, i, n);
}
static int32_t d_poll(void *u) { return pp_webrtc_peer_connection_poll(u); }
static void d_close(void *u) { pp_webrtc_peer_connection_close(u); }
static int32_t d_conn_state(void *u) { return pp_webrtc_peer_connection_get_connection_state(u); }
static int32_t d_gather_state(void *u) { return pp_webrtc_peer_connection_get_gathering_state(u); }
static int32_t d_sig_state(void *u) { return pp_webrtc_peer_connection_get_signaling_state(u); }

static void nap_1ms(void) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

/* Moves the signals of one built-in connection to another connection (any kind). */
static int relay(pp_webrtc_peer_connection *from, pp_webrtc_peer_connection *to) {
    pp_webrtc_event ev;
    while (pp_webrtc_peer_connection_pop_event(from, &ev) == PP_OK) {
        if (ev.type_ == PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED) {
            CHECK(pp_webrtc_peer_connection_set_remote_description(to, ev.text, ev.text2) == PP_OK);
        } else if (ev.type_ == PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED) {
            CHECK(pp_webrtc_peer_connection_add_ice_candidate(to, ev.text, ev.index, ev.text2) == PP_OK);
        }
        pp_webrtc_event_clear(&ev);
    }
    return 0;
}

static int multiplayer_over_extension(void) {
    pp_webrtc_peer_connection_extension_callbacks t;
    pp_webrtc_peer_connection *inner = NULL, *ext = NULL, *server_side = NULL, *got = NULL;
    pp_peer *srv = NULL, *cli = NULL, *ch = NULL;
    pp_variant *cfg = NULL, *key = NULL, *arr = NULL, *ip = NULL;
    pp_multiplayer_peer_connection_status st = PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED;
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t from = 0, count = 0;
    bool connected = false;
    int i;

    /* {"bindAddresses": ["127.0.0.1"]} */
    CHECK(pp_variant_new_dictionary(&cfg) == PP_OK && pp_variant_new_array(&arr) == PP_OK);
    CHECK(pp_variant_new_string("127.0.0.1", &ip) == PP_OK && pp_variant_array_append(arr, ip) == PP_OK);
    CHECK(pp_variant_new_string("bindAddresses", &key) == PP_OK);
    CHECK(pp_variant_dictionary_set(cfg, key, arr) == PP_OK);
    pp_variant_free(ip);
    pp_variant_free(key);
    pp_variant_free(arr);

    CHECK(pp_webrtc_peer_connection_new(&inner) == PP_OK);
    CHECK(pp_webrtc_peer_connection_new(&server_side) == PP_OK);
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.userdata = inner;
    t.initialize = d_init;
    t.create_data_channel = d_create_dc;
    t.create_offer = d_offer;
    t.set_remote_description = d_set_remote;
    t.set_local_description = d_set_local;
    t.add_ice_candidate = d_add_cand;
    t.poll = d_poll;
    t.close = d_close;
    t.get_connection_state = d_conn_state;
    t.get_gathering_state = d_gather_state;
    t.get_signaling_state = d_sig_state;
    CHECK(pp_webrtc_peer_connection_extension_new(&t, &ext) == PP_OK);
    CHECK(pp_webrtc_peer_connection_initialize(ext, cfg) == PP_OK);
    CHECK(pp_webrtc_peer_connection_initialize(server_side, cfg) == PP_OK);

    CHECK(pp_webrtc_multiplayer_peer_new(&srv) == PP_OK && pp_webrtc_multiplayer_peer_new(&cli) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_create_server(srv, NULL, 0) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_create_client(cli, 2, NULL, 0) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(srv, server_side, 2, 1) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(cli, ext, 1, 1) == PP_OK); /* the extension */
    CHECK(pp_webrtc_multiplayer_peer_add_peer(cli, ext, 1, 1) == BAD);   /* already added */
    CHECK(pp_webrtc_peer_connection_create_offer(ext) == PP_OK);
    for (i = 0; i < 20000; i++) {
        (void)pp_multiplayer_peer_poll(srv);
        (void)pp_multiplayer_peer_poll(cli); /* polls the extension, which polls `inner` */
        CHECK(relay(inner, server_side) == 0 && relay(server_side, inner) == 0);
        CHECK(pp_multiplayer_peer_get_connection_status(cli, &st) == PP_OK);
        if (st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED) break;
        nap_1ms();
    }
    CHECK(st == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
    /* get_peer gives the extension connection back, get_peer_channel the channel it made */
    CHECK(pp_webrtc_multiplayer_peer_get_peer(cli, 1, &got, &connected) == PP_OK && connected);
    CHECK(pp_webrtc_peer_connection_get_connection_state(got) == PP_WEBRTC_STATE_CONNECTED);
    CHECK(pp_webrtc_peer_connection_extension_emit_ice_candidate_created(got, "0", 0, "x") == PP_OK);
    pp_webrtc_peer_connection_free(got);
    CHECK(pp_webrtc_multiplayer_peer_get_peer_channel(cli, 1, 2, &ch) == PP_OK);
    CHECK(pp_webrtc_data_channel_get_id(ch) == 3 && !pp_webrtc_data_channel_is_ordered(ch));
    pp_peer_free(ch);
    CHECK(pp_webrtc_multiplayer_peer_get_peer_channel(cli, 1, 3, &ch) == PP_ERR_DOES_NOT_EXIST);

    /* Both ways through the extension's channels */
    CHECK(pp_multiplayer_peer_set_target_peer(cli, 1) == PP_OK);
    CHECK(pp_put_packet(cli, (const uint8_t *)"up", 2) == PP_OK);
    CHECK(pp_multiplayer_peer_set_target_peer(srv, 2) == PP_OK);
    CHECK(pp_put_packet(srv, (const uint8_t *)"down", 4) == PP_OK);
    for (i = 0; i < 20000; i++) {
        int32_t a = 0, b = 0;
        (void)pp_multiplayer_peer_poll(srv);
        (void)pp_multiplayer_peer_poll(cli);
        if (pp_get_available_packet_count(srv, &a) == PP_OK && a > 0 &&
            pp_get_available_packet_count(cli, &b) == PP_OK && b > 0)
            break;
        nap_1ms();
    }
    CHECK(pp_multiplayer_peer_get_packet_peer(srv, &from) == PP_OK && from == 2);
    CHECK(pp_get_packet(srv, &data, &len) == PP_OK && len == 2 && memcmp(data, "up", 2) == 0);
    CHECK(pp_multiplayer_peer_get_packet_peer(cli, &from) == PP_OK && from == 1);
    CHECK(pp_get_packet(cli, &data, &len) == PP_OK && len == 4 && memcmp(data, "down", 4) == 0);
    CHECK(pp_get_available_packet_count(cli, &count) == PP_OK && count == 0);

    /* Removing the peer closes the extension connection (and so `inner`) */
    CHECK(pp_webrtc_multiplayer_peer_remove_peer(cli, 1) == PP_OK);
    CHECK(pp_webrtc_peer_connection_get_connection_state(inner) == PP_WEBRTC_STATE_CLOSED);

    pp_peer_free(srv);
    pp_peer_free(cli);
    pp_webrtc_peer_connection_free(ext);
    pp_webrtc_peer_connection_free(inner);
    pp_webrtc_peer_connection_free(server_side);
    pp_variant_free(cfg);
    return 0;
}

int main(void) {
    conn_state cs;
    chan_state own;
    pp_webrtc_peer_connection_extension_callbacks t;
    pp_webrtc_data_channel_extension_callbacks ct;
    pp_webrtc_peer_connection *pc = NULL, *native = NULL;
    pp_peer *ch = NULL, *mine = NULL, *mp = NULL;
    pp_webrtc_event ev;
    pp_webrtc_stats st;
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t count = 0;
    char buf[32];

    memset(&cs, 0, sizeof cs);
    memset(&own, 0, sizeof own);
    own.len = -1;
    cs.chan.len = -1;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.userdata = &cs;
    t.initialize = pc_initialize;
    t.create_data_channel = pc_create_dc;
    t.create_offer = pc_offer;
    t.set_remote_description = pc_set_remote;
    t.set_local_description = pc_set_local;
    t.add_ice_candidate = pc_add_cand;
    t.poll = pc_poll;
    t.close = pc_close;
    t.get_connection_state = pc_conn_state;
    t.get_gathering_state = pc_gather_state;
    t.get_signaling_state = pc_sig_state;
    t.destroy = pc_destroy;

    /* Table checks */
    CHECK(pp_webrtc_peer_connection_extension_new(NULL, &pc) == BAD);
    CHECK(pp_webrtc_peer_connection_extension_new(&t, NULL) == BAD);
    t.size = sizeof t - 1;
    CHECK(pp_webrtc_peer_connection_extension_new(&t, &pc) == BAD);
    t.size = sizeof t;
    t.poll = NULL;
    CHECK(pp_webrtc_peer_connection_extension_new(&t, &pc) == BAD);
    t.poll = pc_poll;
    ct = chan_table(&own);
    CHECK(pp_webrtc_data_channel_extension_new(NULL, &mine) == BAD);
    CHECK(pp_webrtc_data_channel_extension_new(&ct, NULL) == BAD);
    ct.get_label = NULL;
    CHECK(pp_webrtc_data_channel_extension_new(&ct, &mine) == BAD);
    ct = chan_table(&own);
    ct.size = 8;
    CHECK(pp_webrtc_data_channel_extension_new(&ct, &mine) == BAD);
    CHECK(cs.destroyed == 0 && own.destroyed == 0);

    /* The connection's calls reach the callbacks */
    CHECK(pp_webrtc_peer_connection_extension_new(&t, &pc) == PP_OK && pc);
    cs.self = pc;
    CHECK(pp_webrtc_peer_connection_initialize(pc, NULL) == PP_OK && cs.initialized == 1);
    CHECK(pp_webrtc_peer_connection_create_data_channel(pc, "fail", NULL, &ch) == PP_ERR_CANT_CREATE);
    CHECK(pp_webrtc_peer_connection_create_data_channel(pc, "chat", NULL, &ch) == PP_OK && ch);
    CHECK(strcmp(cs.last, "dc:chat") == 0);
    CHECK(pp_webrtc_peer_connection_create_offer(pc) == PP_OK && cs.offers == 1);
    CHECK(cs.reentry == PP_ERR_LOCKED);
    CHECK(pp_webrtc_peer_connection_set_remote_description(pc, "answer", "v=0 r") == PP_OK);
    CHECK(strcmp(cs.last, "remote:answer:v=0 r") == 0);
    CHECK(pp_webrtc_peer_connection_set_local_description(pc, "offer", "v=0 l") == PP_OK);
    CHECK(strcmp(cs.last, "local:offer:v=0 l") == 0);
    CHECK(pp_webrtc_peer_connection_add_ice_candidate(pc, "0", 3, "candidate:x") == PP_OK);
    CHECK(strcmp(cs.last, "cand:0:candidate:x") == 0 && cs.last_index == 3);
    CHECK(pp_webrtc_peer_connection_poll(pc) == PP_OK && cs.polls == 1);
    CHECK(pp_webrtc_peer_connection_get_connection_state(pc) == PP_WEBRTC_STATE_CONNECTED);
    CHECK(pp_webrtc_peer_connection_get_gathering_state(pc) == PP_WEBRTC_GATHERING_STATE_COMPLETE);
    CHECK(pp_webrtc_peer_connection_get_signaling_state(pc) == PP_WEBRTC_SIGNALING_STATE_CLOSED);

    /* Emitted signals come out of pop_event in order */
    CHECK(pp_webrtc_peer_connection_extension_emit_ice_candidate_created(pc, "0", 0, "candidate:y") == PP_OK);
    CHECK(pp_webrtc_data_channel_extension_new(&ct, &mine) == BAD); /* ct.size still 8 */
    ct = chan_table(&own);
    CHECK(pp_webrtc_data_channel_extension_new(&ct, &mine) == PP_OK);
    CHECK(pp_webrtc_peer_connection_extension_emit_data_channel_received(pc, mine) == PP_OK);
    CHECK(pp_webrtc_peer_connection_pop_event(pc, &ev) == PP_OK);
    CHECK(ev.type_ == PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED && strcmp(ev.text, "offer") == 0);
    CHECK(strcmp(ev.text2, "v=0 ext") == 0);
    pp_webrtc_event_clear(&ev);
    CHECK(pp_webrtc_peer_connection_pop_event(pc, &ev) == PP_OK);
    CHECK(ev.type_ == PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED && strcmp(ev.text2, "candidate:y") == 0);
    pp_webrtc_event_clear(&ev);
    CHECK(pp_webrtc_peer_connection_pop_event(pc, &ev) == PP_OK);
    CHECK(ev.type_ == PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED && ev.channel != NULL);
    CHECK(pp_webrtc_data_channel_get_id(ev.channel) == 42); /* the same object as `mine` */
    pp_peer_free(ev.channel);
    CHECK(pp_webrtc_peer_connection_pop_event(pc, &ev) == PP_ERR_UNAVAILABLE);
    CHECK(pp_webrtc_peer_connection_get_stats(pc, &st) == PP_OK && st.events_refused == 0);
    CHECK(pp_webrtc_peer_connection_get_last_error(pc, buf, sizeof buf, &len) == PP_OK && len == 0);

    /* Emit calls: NULL and a built-in connection are refused */
    CHECK(pp_webrtc_peer_connection_extension_emit_session_description_created(NULL, "a", "b") == BAD);
    CHECK(pp_webrtc_peer_connection_extension_emit_session_description_created(pc, NULL, "b") == BAD);
    CHECK(pp_webrtc_peer_connection_extension_emit_ice_candidate_created(pc, "0", 0, NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_extension_emit_data_channel_received(pc, NULL) == BAD);
    CHECK(pp_webrtc_peer_connection_new(&native) == PP_OK);
    CHECK(pp_webrtc_peer_connection_extension_emit_session_description_created(native, "a", "b") == BAD);
    /* WebRTCMultiplayerPeer takes an extension connection only while it is NEW (this one says
     * CONNECTED); multiplayer_over_extension() adds one that is. */
    CHECK(pp_webrtc_multiplayer_peer_new(&mp) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_create_mesh(mp, 2, NULL, 0) == PP_OK);
    CHECK(pp_webrtc_multiplayer_peer_add_peer(mp, pc, 3, 1) == BAD);

    /* The channel the extension made: data channel calls and PacketPeer calls reach its callbacks */
    CHECK(pp_webrtc_data_channel_get_ready_state(ch) == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN);
    CHECK(pp_webrtc_data_channel_get_label(ch, buf, sizeof buf, &len) == PP_OK && strcmp(buf, "ext-label") == 0);
    CHECK(pp_webrtc_data_channel_get_protocol(ch, buf, sizeof buf, &len) == PP_OK && len == 0);
    CHECK(pp_webrtc_data_channel_is_ordered(ch) && pp_webrtc_data_channel_is_negotiated(ch));
    CHECK(pp_webrtc_data_channel_get_max_packet_life_time(ch) == 7);
    CHECK(pp_webrtc_data_channel_get_max_retransmits(ch) == 65535);
    CHECK(pp_webrtc_data_channel_get_buffered_amount(ch) == 5);
    CHECK(pp_webrtc_data_channel_set_write_mode(ch, PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT) == PP_OK);
    CHECK(pp_webrtc_data_channel_get_write_mode(ch) == PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT);
    CHECK(pp_webrtc_data_channel_set_write_mode(ch, 5) == BAD);
    CHECK(pp_put_packet(ch, (const uint8_t *)"abc", 3) == PP_OK);
    CHECK(pp_get_available_packet_count(ch, &count) == PP_OK && count == 1);
    CHECK(pp_get_packet(ch, &data, &len) == PP_OK && len == 3 && memcmp(data, "abc", 3) == 0);
    CHECK(pp_webrtc_data_channel_was_string_packet(ch));
    CHECK(pp_get_packet(ch, &data, &len) == PP_ERR_UNAVAILABLE);
    CHECK(pp_webrtc_data_channel_poll(ch) == PP_OK && cs.chan.polled == 1);
    pp_webrtc_data_channel_close(ch);
    CHECK(cs.chan.closed == 1);
    CHECK(pp_webrtc_data_channel_get_ready_state(ch) == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);

    pp_webrtc_peer_connection_close(pc);
    CHECK(cs.closes == 1 && pp_webrtc_peer_connection_get_connection_state(pc) == PP_WEBRTC_STATE_CLOSED);

    pp_peer_free(ch);
    CHECK(cs.chan.destroyed == 1);
    pp_peer_free(mine);
    CHECK(own.destroyed == 1);
    pp_webrtc_peer_connection_free(pc);
    CHECK(cs.destroyed == 1);
    pp_webrtc_peer_connection_free(native);
    pp_peer_free(mp);
    CHECK(multiplayer_over_extension() == 0);
    puts("test_webrtc_extension: ok");
    return 0;
}
