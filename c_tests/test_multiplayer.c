/* C ABI of MultiplayerPeer: every pp_multiplayer_peer_* call on OfflineMultiplayerPeer and on a
 * MultiplayerPeerExtension (a loopback implemented here), NULL arguments, bad enum values, non-multiplayer
 * handles, the event queue (order, re-entrant emit from poll, overflow), extension table validation and
 * callback results, and the SceneMultiplayer framing helpers. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#include "packetpeer.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
    __FILE__, __LINE__, #c); return 1; } } while (0)
#define INVAL PP_ERR_INVALID_PARAMETER

/* ---- a loopback MultiplayerPeer in C: packets put are delivered to itself ---- */
#define QN 4
typedef struct {
    uint8_t pkt[QN][32];
    int32_t len[QN], ch[QN], mode[QN];
    int head, count;
    uint8_t lent[32];
    int32_t target, channel, mode_now, uid, status;
    int32_t bad;           /* 1: bad uid, 2: bad packet mode, 3: bad status, 4: bad transfer mode, 5: odd rc */
    int pending_connect;   /* poll emits peer_connected(pending_connect) */
    int disconnects, closes, destroyed, refuse_calls;
    int32_t last_disconnect;
    pp_peer *self;         /* for emitting from poll */
    pp_error emit_rc, reenter_rc;
} loop;

static int32_t l_get(void *ud, const uint8_t **b, int32_t *n) {
    loop *l = ud;
    if (l->count == 0) return PP_ERR_UNAVAILABLE;
    memcpy(l->lent, l->pkt[l->head], (size_t)l->len[l->head]);
    *b = l->lent;
    *n = l->len[l->head];
    l->head = (l->head + 1) % QN;
    l->count--;
    return PP_OK;
}
static int32_t l_put(void *ud, const uint8_t *b, int32_t n) {
    loop *l = ud;
    int t = (l->head + l->count) % QN;
    if (l->bad == 5) return 9999;
    if (l->count == QN) return PP_ERR_BUSY;
    if (n > 32) return INVAL;
    memcpy(l->pkt[t], b, (size_t)n);
    l->len[t] = n;
    l->ch[t] = l->channel;
    l->mode[t] = l->mode_now;
    l->count++;
    return PP_OK;
}
static int32_t l_count(void *ud) { loop *l = ud; return l->bad == 6 ? -1 : l->count; }
static int32_t l_max(void *ud) { (void)ud; return 32; }
static int32_t l_pchan(void *ud) { loop *l = ud; return l->count ? l->ch[l->head] : 0; }
static int32_t l_pmode(void *ud) {
    loop *l = ud;
    if (l->bad == 2) return 7;
    return l->count ? l->mode[l->head] : PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE;
}
static int32_t l_ppeer(void *ud) { loop *l = ud; return l->count ? l->uid : 0; }
static int32_t l_set_chan(void *ud, int32_t c) { ((loop *)ud)->channel = c; return PP_OK; }
static int32_t l_get_chan(void *ud) { return ((loop *)ud)->channel; }
static int32_t l_set_mode(void *ud, int32_t m) { ((loop *)ud)->mode_now = m; return PP_OK; }
static int32_t l_get_mode(void *ud) { loop *l = ud; return l->bad == 4 ? -1 : l->mode_now; }
static int32_t l_set_target(void *ud, int32_t t) { ((loop *)ud)->target = t; return PP_OK; }
static bool l_is_server(void *ud) { return ((loop *)ud)->uid == 1; }
static int32_t l_poll(void *ud) {
    loop *l = ud;
    if (l->bad == 5) return -42;
    if (l->pending_connect) {
        /* Re-entrant: the peer is locked by pp_multiplayer_peer_poll right now. */
        int32_t id = 0;
        l->emit_rc = pp_multiplayer_peer_extension_emit_peer_connected(l->self, l->pending_connect);
        l->pending_connect = 0;
        /* Any other multiplayer call on the locked handle is refused instead of deadlocking. */
        l->reenter_rc = pp_multiplayer_peer_get_unique_id(l->self, &id);
    }
    return PP_OK;
}
static int32_t l_close(void *ud) { loop *l = ud; l->closes++; l->status = 0; return PP_OK; }
static int32_t l_disc(void *ud, int32_t id, bool force) {
    loop *l = ud;
    l->disconnects++;
    l->last_disconnect = id;
    if (!force) return pp_multiplayer_peer_extension_emit_peer_disconnected(l->self, id);
    return PP_OK;
}
static int32_t l_uid(void *ud) { loop *l = ud; return l->bad == 1 ? 0 : l->uid; }
static int32_t l_status(void *ud) { loop *l = ud; return l->bad == 3 ? 3 : l->status; }
static int32_t l_set_refuse(void *ud, bool r) { (void)r; ((loop *)ud)->refuse_calls++; return PP_OK; }
static bool l_relay(void *ud) { (void)ud; return true; }
static void l_destroy(void *ud) { ((loop *)ud)->destroyed++; }

static pp_multiplayer_peer_extension_callbacks table(loop *l) {
    pp_multiplayer_peer_extension_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.size = sizeof cb;
    cb.userdata = l;
    cb.destroy = l_destroy;
    cb.get_packet = l_get;
    cb.put_packet = l_put;
    cb.get_available_packet_count = l_count;
    cb.get_max_packet_size = l_max;
    cb.get_packet_channel = l_pchan;
    cb.get_packet_mode = l_pmode;
    cb.get_packet_peer = l_ppeer;
    cb.set_transfer_channel = l_set_chan;
    cb.get_transfer_channel = l_get_chan;
    cb.set_transfer_mode = l_set_mode;
    cb.get_transfer_mode = l_get_mode;
    cb.set_target_peer = l_set_target;
    cb.is_server = l_is_server;
    cb.poll = l_poll;
    cb.close = l_close;
    cb.disconnect_peer = l_disc;
    cb.get_unique_id = l_uid;
    cb.get_connection_status = l_status;
    return cb;
}

static int test_enums(void) {
    CHECK(PP_MULTIPLAYER_PEER_TARGET_PEER_BROADCAST == 0);
    CHECK(PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER == 1);
    CHECK(PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE == 0);
    CHECK(PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED == 1);
    CHECK(PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE == 2);
    CHECK(PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED == 0);
    CHECK(PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING == 1);
    CHECK(PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED == 2);
    CHECK(PP_MULTIPLAYER_EVENT_PEER_CONNECTED == 0);
    CHECK(PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED == 1);
    CHECK(PP_MULTIPLAYER_EVENT_OVERFLOW == 2);
    CHECK(PP_SCENE_MULTIPLAYER_COMMAND_REMOTE_CALL == 0 && PP_SCENE_MULTIPLAYER_COMMAND_RAW == 3);
    CHECK(PP_SCENE_MULTIPLAYER_COMMAND_SYS == 7 && PP_SCENE_MULTIPLAYER_SYS_NONE == -1);
    CHECK(PP_SCENE_MULTIPLAYER_SYS_AUTH == 0 && PP_SCENE_MULTIPLAYER_SYS_RELAY == 3);
    return 0;
}

/* Every pp_multiplayer_peer_* call refuses `p` (NULL or not a multiplayer peer). */
static int refuses_all(pp_peer *p) {
    int32_t i = 0;
    bool b = false;
    pp_multiplayer_peer_transfer_mode m;
    pp_multiplayer_peer_connection_status s;
    pp_multiplayer_event ev;
    CHECK(pp_multiplayer_peer_set_target_peer(p, 0) == INVAL);
    CHECK(pp_multiplayer_peer_set_transfer_mode(p, 0) == INVAL);
    CHECK(pp_multiplayer_peer_get_transfer_mode(p, &m) == INVAL);
    CHECK(pp_multiplayer_peer_set_transfer_channel(p, 0) == INVAL);
    CHECK(pp_multiplayer_peer_get_transfer_channel(p, &i) == INVAL);
    CHECK(pp_multiplayer_peer_get_packet_peer(p, &i) == INVAL);
    CHECK(pp_multiplayer_peer_get_packet_channel(p, &i) == INVAL);
    CHECK(pp_multiplayer_peer_get_packet_mode(p, &m) == INVAL);
    CHECK(pp_multiplayer_peer_poll(p) == INVAL);
    CHECK(pp_multiplayer_peer_close(p) == INVAL);
    CHECK(pp_multiplayer_peer_disconnect_peer(p, 2, false) == INVAL);
    CHECK(pp_multiplayer_peer_get_unique_id(p, &i) == INVAL);
    CHECK(pp_multiplayer_peer_generate_unique_id(p, &i) == INVAL);
    CHECK(pp_multiplayer_peer_is_server(p, &b) == INVAL);
    CHECK(pp_multiplayer_peer_is_server_relay_supported(p, &b) == INVAL);
    CHECK(pp_multiplayer_peer_set_refuse_new_connections(p, true) == INVAL);
    CHECK(pp_multiplayer_peer_is_refusing_new_connections(p, &b) == INVAL);
    CHECK(pp_multiplayer_peer_get_connection_status(p, &s) == INVAL);
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == INVAL);
    CHECK(pp_multiplayer_peer_extension_emit_peer_connected(p, 2) == INVAL);
    CHECK(pp_multiplayer_peer_extension_emit_peer_disconnected(p, 2) == INVAL);
    return 0;
}

/* Every getter refuses NULL out-params on a valid multiplayer peer. */
static int refuses_null_outs(pp_peer *p) {
    CHECK(pp_multiplayer_peer_get_transfer_mode(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_get_transfer_channel(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_get_packet_peer(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_get_packet_channel(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_get_packet_mode(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_get_unique_id(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_generate_unique_id(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_is_server(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_is_server_relay_supported(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_is_refusing_new_connections(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_get_connection_status(p, NULL) == INVAL);
    CHECK(pp_multiplayer_peer_pop_event(p, NULL) == INVAL);
    /* Bad values, on any multiplayer peer. */
    CHECK(pp_multiplayer_peer_set_transfer_mode(p, 3) == INVAL);
    CHECK(pp_multiplayer_peer_set_transfer_mode(p, -1) == INVAL);
    CHECK(pp_multiplayer_peer_set_transfer_channel(p, 256) == INVAL);
    CHECK(pp_multiplayer_peer_set_transfer_channel(p, -1) == INVAL);
    CHECK(pp_multiplayer_peer_set_target_peer(p, INT32_MIN) == INVAL);
    return 0;
}

static int test_offline(void) {
    pp_peer *p = NULL;
    int32_t i = -1;
    bool b = false;
    const uint8_t *data = NULL;
    size_t len = 99;
    pp_multiplayer_peer_transfer_mode m;
    pp_multiplayer_peer_connection_status s;
    pp_multiplayer_event ev;

    CHECK(pp_offline_multiplayer_peer_new(NULL) == INVAL);
    CHECK(pp_offline_multiplayer_peer_new(&p) == PP_OK && p != NULL);
    CHECK(pp_multiplayer_peer_get_unique_id(p, &i) == PP_OK && i == 1);
    CHECK(pp_multiplayer_peer_get_connection_status(p, &s) == PP_OK);
    CHECK(s == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
    CHECK(pp_multiplayer_peer_is_server(p, &b) == PP_OK && b);
    CHECK(pp_multiplayer_peer_is_server_relay_supported(p, &b) == PP_OK && !b);
    CHECK(pp_get_available_packet_count(p, &i) == PP_OK && i == 0);
    CHECK(pp_get_max_packet_size(p, &i) == PP_OK && i == 0);
    CHECK(pp_put_packet(p, (const uint8_t *)"x", 1) == PP_OK);
    CHECK(pp_get_packet(p, &data, &len) == PP_OK && len == 0); /* the engine's quirk, kept */
    CHECK(pp_multiplayer_peer_get_packet_peer(p, &i) == PP_OK && i == 0);
    CHECK(pp_multiplayer_peer_get_packet_channel(p, &i) == PP_OK && i == 0);
    CHECK(pp_multiplayer_peer_get_packet_mode(p, &m) == PP_OK);
    CHECK(m == PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE);
    CHECK(pp_multiplayer_peer_get_transfer_mode(p, &m) == PP_OK);
    CHECK(m == PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE);
    CHECK(pp_multiplayer_peer_set_transfer_mode(p, PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE) == PP_OK);
    CHECK(pp_multiplayer_peer_get_transfer_mode(p, &m) == PP_OK);
    CHECK(m == PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE);
    CHECK(pp_multiplayer_peer_get_transfer_channel(p, &i) == PP_OK && i == 0);
    CHECK(pp_multiplayer_peer_set_transfer_channel(p, 255) == PP_OK);
    CHECK(pp_multiplayer_peer_get_transfer_channel(p, &i) == PP_OK && i == 255);
    CHECK(pp_multiplayer_peer_is_refusing_new_connections(p, &b) == PP_OK && !b);
    CHECK(pp_multiplayer_peer_set_refuse_new_connections(p, true) == PP_OK);
    CHECK(pp_multiplayer_peer_is_refusing_new_connections(p, &b) == PP_OK && b);
    CHECK(pp_multiplayer_peer_set_target_peer(p, -5) == PP_OK);
    CHECK(pp_multiplayer_peer_set_target_peer(p, PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER) == PP_OK);
    CHECK(pp_multiplayer_peer_disconnect_peer(p, 7, true) == PP_OK);
    CHECK(pp_multiplayer_peer_poll(p) == PP_OK);
    CHECK(pp_multiplayer_peer_close(p) == PP_OK);
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_ERR_UNAVAILABLE);
    CHECK(pp_multiplayer_peer_generate_unique_id(p, &i) == PP_OK && i >= 2);
    if (refuses_null_outs(p)) return 1;
    /* Offline is not an extension. */
    CHECK(pp_multiplayer_peer_extension_emit_peer_connected(p, 2) == INVAL);
    pp_peer_free(p);
    return 0;
}

static int test_not_multiplayer(void) {
    pp_peer *p = NULL;
    if (refuses_all(NULL)) return 1;
    CHECK(pp_packet_peer_stream_new(&p) == PP_OK);
    if (refuses_all(p)) return 1;
    pp_peer_free(p);
    pp_peer_free(NULL);
    return 0;
}

static int test_extension_table(void) {
    loop l;
    pp_multiplayer_peer_extension_callbacks cb;
    pp_peer *p = NULL;
    const uint8_t *data;
    size_t len;
    memset(&l, 0, sizeof l);
    cb = table(&l);
    CHECK(pp_multiplayer_peer_extension_new(NULL, &p) == INVAL);
    CHECK(pp_multiplayer_peer_extension_new(&cb, NULL) == INVAL);
    cb.size = sizeof cb - 1;
    CHECK(pp_multiplayer_peer_extension_new(&cb, &p) == INVAL);
    cb = table(&l);
    cb.get_unique_id = NULL;
    CHECK(pp_multiplayer_peer_extension_new(&cb, &p) == INVAL);
    cb = table(&l);
    cb.poll = NULL;
    CHECK(pp_multiplayer_peer_extension_new(&cb, &p) == INVAL);
    cb = table(&l);
    cb.set_transfer_mode = NULL;
    CHECK(pp_multiplayer_peer_extension_new(&cb, &p) == INVAL);
    CHECK(p == NULL && l.destroyed == 0);
    /* get/put may be NULL: their calls fail with FAILED. */
    cb = table(&l);
    cb.get_packet = NULL;
    cb.put_packet = NULL;
    CHECK(pp_multiplayer_peer_extension_new(&cb, &p) == PP_OK);
    CHECK(pp_put_packet(p, (const uint8_t *)"a", 1) == PP_FAILED);
    CHECK(pp_get_packet(p, &data, &len) == PP_FAILED);
    pp_peer_free(p);
    CHECK(l.destroyed == 1);
    return 0;
}

static int test_extension(void) {
    loop l;
    pp_multiplayer_peer_extension_callbacks cb;
    pp_peer *p = NULL;
    int32_t i = 0, n;
    bool b = true;
    const uint8_t *data = NULL;
    size_t len = 0;
    pp_multiplayer_peer_transfer_mode m;
    pp_multiplayer_peer_connection_status s;
    pp_multiplayer_event ev;

    memset(&l, 0, sizeof l);
    l.uid = 1;
    l.status = PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED;
    l.mode_now = PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE;
    cb = table(&l);
    CHECK(pp_multiplayer_peer_extension_new(&cb, &p) == PP_OK);
    l.self = p;

    /* Packets through the base calls, described by the multiplayer getters. */
    CHECK(pp_multiplayer_peer_set_target_peer(p, -3) == PP_OK && l.target == -3);
    CHECK(pp_multiplayer_peer_set_transfer_channel(p, 4) == PP_OK);
    CHECK(pp_multiplayer_peer_get_transfer_channel(p, &i) == PP_OK && i == 4);
    CHECK(pp_multiplayer_peer_set_transfer_mode(p, PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED) == PP_OK);
    CHECK(pp_multiplayer_peer_get_transfer_mode(p, &m) == PP_OK);
    CHECK(m == PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED);
    CHECK(pp_put_packet(p, (const uint8_t *)"hey", 3) == PP_OK);
    CHECK(pp_get_available_packet_count(p, &n) == PP_OK && n == 1);
    CHECK(pp_multiplayer_peer_get_packet_peer(p, &i) == PP_OK && i == 1);
    CHECK(pp_multiplayer_peer_get_packet_channel(p, &i) == PP_OK && i == 4);
    CHECK(pp_multiplayer_peer_get_packet_mode(p, &m) == PP_OK);
    CHECK(m == PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED);
    CHECK(pp_get_packet(p, &data, &len) == PP_OK && len == 3 && memcmp(data, "hey", 3) == 0);
    CHECK(pp_get_packet(p, &data, &len) == PP_ERR_UNAVAILABLE);
    CHECK(pp_get_max_packet_size(p, &n) == PP_OK && n == 32);
    CHECK(pp_multiplayer_peer_get_unique_id(p, &i) == PP_OK && i == 1);
    CHECK(pp_multiplayer_peer_is_server(p, &b) == PP_OK && b);
    CHECK(pp_multiplayer_peer_get_connection_status(p, &s) == PP_OK);
    CHECK(s == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
    /* Optional callbacks absent: relay false, refuse flag kept by the library. */
    CHECK(pp_multiplayer_peer_is_server_relay_supported(p, &b) == PP_OK && !b);
    CHECK(pp_multiplayer_peer_set_refuse_new_connections(p, true) == PP_OK);
    CHECK(pp_multiplayer_peer_is_refusing_new_connections(p, &b) == PP_OK && b);
    CHECK(pp_multiplayer_peer_generate_unique_id(p, &i) == PP_OK && i >= 2);
    if (refuses_null_outs(p)) return 1;

    /* Events: emitted from inside poll (re-entrant), from outside, and by disconnect_peer. */
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_ERR_UNAVAILABLE);
    l.pending_connect = 42;
    CHECK(pp_multiplayer_peer_poll(p) == PP_OK && l.emit_rc == PP_OK);
    CHECK(l.reenter_rc == PP_ERR_LOCKED);
    CHECK(pp_multiplayer_peer_extension_emit_peer_connected(p, 43) == PP_OK);
    CHECK(pp_multiplayer_peer_extension_emit_peer_connected(p, 0) == INVAL);
    CHECK(pp_multiplayer_peer_extension_emit_peer_disconnected(p, -1) == INVAL);
    CHECK(pp_multiplayer_peer_disconnect_peer(p, 42, false) == PP_OK && l.last_disconnect == 42);
    CHECK(pp_multiplayer_peer_disconnect_peer(p, 43, true) == PP_OK && l.disconnects == 2);
    CHECK(pp_multiplayer_peer_disconnect_peer(p, 0, false) == INVAL && l.disconnects == 2);
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_OK);
    CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev.peer_id == 42 && ev.dropped == 0);
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_OK);
    CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev.peer_id == 43);
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_OK);
    CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED && ev.peer_id == 42);
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_ERR_UNAVAILABLE);

    /* Overflow: nothing queued is lost; the excess is counted in one OVERFLOW event at the tail. */
    for (i = 0; i < 1024; i++) CHECK(pp_multiplayer_peer_extension_emit_peer_connected(p, i + 2) == PP_OK);
    for (i = 0; i < 10; i++) CHECK(pp_multiplayer_peer_extension_emit_peer_disconnected(p, 5) == PP_ERR_BUSY);
    for (i = 0; i < 1024; i++) {
        CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_OK);
        CHECK(ev.kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev.peer_id == i + 2);
    }
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_OK);
    CHECK(ev.kind == PP_MULTIPLAYER_EVENT_OVERFLOW && ev.dropped == 10 && ev.peer_id == 0);
    CHECK(pp_multiplayer_peer_pop_event(p, &ev) == PP_ERR_UNAVAILABLE);

    /* Callback results the library refuses. */
    l.bad = 1;
    CHECK(pp_multiplayer_peer_get_unique_id(p, &i) == PP_ERR_INVALID_DATA);
    l.bad = 2;
    CHECK(pp_multiplayer_peer_get_packet_mode(p, &m) == PP_ERR_INVALID_DATA);
    l.bad = 3;
    CHECK(pp_multiplayer_peer_get_connection_status(p, &s) == PP_ERR_INVALID_DATA);
    l.bad = 4;
    CHECK(pp_multiplayer_peer_get_transfer_mode(p, &m) == PP_ERR_INVALID_DATA);
    l.bad = 5; /* codes that are not Godot errors count as FAILED */
    CHECK(pp_put_packet(p, (const uint8_t *)"x", 1) == PP_FAILED);
    CHECK(pp_multiplayer_peer_poll(p) == PP_FAILED);
    l.bad = 6; /* a negative count is the callback's error, not 0 packets; out-param untouched */
    i = 77;
    CHECK(pp_get_available_packet_count(p, &i) == PP_FAILED && i == 77);
    l.bad = 0;
    /* Sizes C cannot express as int32 are refused before calling out. */
    CHECK(pp_put_packet(p, (const uint8_t *)"x", (size_t)INT32_MAX + 1) == INVAL);

    CHECK(pp_multiplayer_peer_close(p) == PP_OK && l.closes == 1);
    CHECK(pp_multiplayer_peer_get_connection_status(p, &s) == PP_OK);
    CHECK(s == PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED);
    pp_peer_free(p);
    CHECK(l.destroyed == 1);

    /* Optional callbacks present. */
    memset(&l, 0, sizeof l);
    l.uid = 7;
    cb = table(&l);
    cb.set_refuse_new_connections = l_set_refuse;
    cb.is_server_relay_supported = l_relay;
    CHECK(pp_multiplayer_peer_extension_new(&cb, &p) == PP_OK);
    CHECK(pp_multiplayer_peer_is_server_relay_supported(p, &b) == PP_OK && b);
    CHECK(pp_multiplayer_peer_is_server(p, &b) == PP_OK && !b);
    CHECK(pp_multiplayer_peer_set_refuse_new_connections(p, true) == PP_OK && l.refuse_calls == 1);
    CHECK(pp_multiplayer_peer_is_refusing_new_connections(p, &b) == PP_OK && b);
    pp_peer_free(p);
    CHECK(l.destroyed == 1);
    return 0;
}

static int test_scene(void) {
    uint8_t buf[64];
    size_t n = 0;
    pp_scene_multiplayer_message msg;
    static const uint8_t add[6] = {7, 1, 0x78, 0x56, 0x34, 0x12};

    /* RAW: size query, build, parse. */
    CHECK(pp_scene_multiplayer_build_raw((const uint8_t *)"hi", 2, NULL, 0, &n) == PP_OK && n == 3);
    CHECK(pp_scene_multiplayer_build_raw((const uint8_t *)"hi", 2, buf, 2, &n) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_scene_multiplayer_build_raw((const uint8_t *)"hi", 2, buf, sizeof buf, &n) == PP_OK);
    CHECK(n == 3 && memcmp(buf, "\x03hi", 3) == 0);
    CHECK(pp_scene_multiplayer_parse(buf, n, &msg) == PP_OK);
    CHECK(msg.command == PP_SCENE_MULTIPLAYER_COMMAND_RAW && msg.sys_command == PP_SCENE_MULTIPLAYER_SYS_NONE);
    CHECK(msg.payload_offset == 1 && msg.payload_len == 2 && msg.flags == 0 && msg.peer_id == 0);
    CHECK(pp_scene_multiplayer_build_raw(NULL, 0, buf, sizeof buf, &n) == PP_ERR_INVALID_DATA);
    CHECK(pp_scene_multiplayer_build_raw(NULL, 1, buf, sizeof buf, &n) == INVAL);
    CHECK(pp_scene_multiplayer_build_raw((const uint8_t *)"hi", 2, NULL, 5, &n) == INVAL);
    CHECK(pp_scene_multiplayer_build_raw((const uint8_t *)"hi", 2, buf, sizeof buf, NULL) == INVAL);
    CHECK(pp_scene_multiplayer_build_raw(buf + 1, 4, buf, sizeof buf, &n) == INVAL); /* overlap */
    CHECK(pp_scene_multiplayer_build_raw((const uint8_t *)"hi", 2, buf, (size_t)INT32_MAX + 1, &n) == INVAL);
    CHECK(pp_scene_multiplayer_build_del_peer(7, buf, (size_t)INT32_MAX + 1, &n) == INVAL);

    /* AUTH: data, and the bare completion message. */
    CHECK(pp_scene_multiplayer_build_auth(NULL, 0, buf, sizeof buf, &n) == PP_OK && n == 2);
    CHECK(buf[0] == 7 && buf[1] == 0);
    CHECK(pp_scene_multiplayer_parse(buf, n, &msg) == PP_OK);
    CHECK(msg.sys_command == PP_SCENE_MULTIPLAYER_SYS_AUTH && msg.payload_len == 0);
    CHECK(pp_scene_multiplayer_build_auth((const uint8_t *)"pw", 2, buf, sizeof buf, &n) == PP_OK && n == 4);
    CHECK(pp_scene_multiplayer_parse(buf, n, &msg) == PP_OK);
    CHECK(msg.command == PP_SCENE_MULTIPLAYER_COMMAND_SYS && msg.payload_offset == 2 && msg.payload_len == 2);
    CHECK(pp_scene_multiplayer_build_auth((const uint8_t *)"pw", 2, NULL, 0, NULL) == INVAL);

    /* ADD_PEER / DEL_PEER. */
    CHECK(pp_scene_multiplayer_build_add_peer(0x12345678, buf, sizeof buf, &n) == PP_OK && n == 6);
    CHECK(memcmp(buf, add, 6) == 0);
    CHECK(pp_scene_multiplayer_parse(buf, n, &msg) == PP_OK);
    CHECK(msg.sys_command == PP_SCENE_MULTIPLAYER_SYS_ADD_PEER && msg.peer_id == 0x12345678);
    CHECK(pp_scene_multiplayer_build_add_peer(0, buf, sizeof buf, &n) == INVAL);
    CHECK(pp_scene_multiplayer_build_add_peer(2, buf, 5, &n) == PP_ERR_PARAMETER_RANGE_ERROR);
    CHECK(pp_scene_multiplayer_build_add_peer(2, NULL, 0, &n) == PP_OK && n == 6);
    CHECK(pp_scene_multiplayer_build_del_peer(9, buf, sizeof buf, &n) == PP_OK && n == 6);
    CHECK(pp_scene_multiplayer_parse(buf, n, &msg) == PP_OK);
    CHECK(msg.sys_command == PP_SCENE_MULTIPLAYER_SYS_DEL_PEER && msg.peer_id == 9);
    CHECK(pp_scene_multiplayer_build_del_peer(-9, buf, sizeof buf, &n) == INVAL);
    CHECK(pp_scene_multiplayer_build_del_peer(9, buf, sizeof buf, NULL) == INVAL);

    /* RELAY around a RAW packet. */
    CHECK(pp_scene_multiplayer_build_relay(-2, (const uint8_t *)"\x03z", 2, buf, sizeof buf, &n) == PP_OK);
    CHECK(n == 8 && buf[2] == 0xfe && buf[5] == 0xff && buf[6] == 3);
    CHECK(pp_scene_multiplayer_parse(buf, n, &msg) == PP_OK);
    CHECK(msg.sys_command == PP_SCENE_MULTIPLAYER_SYS_RELAY && msg.peer_id == -2);
    CHECK(msg.payload_offset == 6 && msg.payload_len == 2);
    CHECK(pp_scene_multiplayer_build_relay(INT32_MIN, (const uint8_t *)"x", 1, buf, sizeof buf, &n) == INVAL);
    CHECK(pp_scene_multiplayer_build_relay(2, NULL, 0, buf, sizeof buf, &n) == INVAL);
    CHECK(pp_scene_multiplayer_build_relay(2, (const uint8_t *)"x", 1, buf, 6, &n) == PP_ERR_PARAMETER_RANGE_ERROR);

    /* Flags and unparsed commands. */
    buf[0] = 0x50;
    CHECK(pp_scene_multiplayer_parse(buf, 1, &msg) == PP_OK);
    CHECK(msg.command == PP_SCENE_MULTIPLAYER_COMMAND_REMOTE_CALL && msg.flags == 5 && msg.payload_len == 0);

    /* Malformed input and bad arguments. */
    CHECK(pp_scene_multiplayer_parse(NULL, 0, &msg) == PP_ERR_INVALID_DATA);
    CHECK(pp_scene_multiplayer_parse((const uint8_t *)"\x03", 1, &msg) == PP_ERR_INVALID_DATA);
    CHECK(pp_scene_multiplayer_parse((const uint8_t *)"\x07", 1, &msg) == PP_ERR_INVALID_DATA);
    CHECK(pp_scene_multiplayer_parse((const uint8_t *)"\x07\x09\0\0\0\0", 6, &msg) == PP_ERR_INVALID_DATA);
    CHECK(pp_scene_multiplayer_parse((const uint8_t *)"\x07\x01\x02\0\0", 5, &msg) == PP_ERR_INVALID_DATA);
    CHECK(pp_scene_multiplayer_parse((const uint8_t *)"\x07\x03\x02\0\0\0", 6, &msg) == PP_ERR_INVALID_DATA);
    CHECK(pp_scene_multiplayer_parse(NULL, 3, &msg) == INVAL);
    CHECK(pp_scene_multiplayer_parse(buf, 1, NULL) == INVAL);
    CHECK(pp_scene_multiplayer_parse(buf, (size_t)INT32_MAX + 1, &msg) == INVAL);
    return 0;
}

int main(void) {
    if (test_enums()) return 1;
    if (test_offline()) return 1;
    if (test_not_multiplayer()) return 1;
    if (test_extension_table()) return 1;
    if (test_extension()) return 1;
    if (test_scene()) return 1;
    printf("test_multiplayer: ok\n");
    return 0;
}
