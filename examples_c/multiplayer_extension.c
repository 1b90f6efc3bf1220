/*
 * multiplayer_extension: implement a MultiplayerPeer in C with MultiplayerPeerExtension. The "network"
 * is a loopback that delivers every packet to itself; its poll raises peer_connected, which the app
 * drains from the event queue. Packets carry SceneMultiplayer RAW framing, as Godot's send_bytes does.
 *
 * Build and run (from the repository root, after `cargo build`):
 *   cc -std=c99 -I<dir of packetpeer.h> examples_c/multiplayer_extension.c -Ltarget/debug -lpacketpeer
 *   LD_LIBRARY_PATH=target/debug ./a.out
 */
#include <stdio.h>
#include <string.h>

#include "packetpeer.h"

#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_)); goto done; } } while (0)

typedef struct {          /* one-slot loopback */
    uint8_t pkt[64], lent[64];
    int32_t len, full, channel, mode, target;
    pp_peer *self;        /* to raise signals from poll */
    int announced;
} loop;

static int32_t put(void *u, const uint8_t *b, int32_t n) {
    loop *l = u;
    if (l->full) return PP_ERR_BUSY;
    if (n > 64) return PP_ERR_INVALID_PARAMETER;
    memcpy(l->pkt, b, (size_t)n); l->len = n; l->full = 1;
    return PP_OK;
}
static int32_t get(void *u, const uint8_t **b, int32_t *n) {
    loop *l = u;
    if (!l->full) return PP_ERR_UNAVAILABLE;
    memcpy(l->lent, l->pkt, (size_t)l->len); l->full = 0;
    *b = l->lent; *n = l->len;
    return PP_OK;
}
static int32_t count(void *u) { return ((loop *)u)->full; }
static int32_t max_size(void *u) { (void)u; return 64; }
static int32_t pkt_channel(void *u) { return ((loop *)u)->channel; }
static int32_t pkt_mode(void *u) { return ((loop *)u)->mode; }
static int32_t pkt_peer(void *u) { (void)u; return PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER; }
static int32_t set_channel(void *u, int32_t c) { ((loop *)u)->channel = c; return PP_OK; }
static int32_t get_channel(void *u) { return ((loop *)u)->channel; }
static int32_t set_mode(void *u, int32_t m) { ((loop *)u)->mode = m; return PP_OK; }
static int32_t get_mode(void *u) { return ((loop *)u)->mode; }
static int32_t set_target(void *u, int32_t t) { ((loop *)u)->target = t; return PP_OK; }
static bool is_server(void *u) { (void)u; return true; }
static int32_t poll_cb(void *u) {
    loop *l = u;
    if (!l->announced) { l->announced = 1; return pp_multiplayer_peer_extension_emit_peer_connected(l->self, 1); }
    return PP_OK;
}
static int32_t close_cb(void *u) { (void)u; return PP_OK; }
static int32_t disconnect(void *u, int32_t id, bool force) { (void)u; (void)id; (void)force; return PP_OK; }
static int32_t unique_id(void *u) { (void)u; return PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER; }
static int32_t status(void *u) { (void)u; return PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED; }

int main(void) {
    loop l = {0};
    pp_multiplayer_peer_extension_callbacks cb = {0};
    pp_peer *peer = NULL;
    pp_multiplayer_event ev;
    uint8_t framed[64];
    size_t framed_len = 0, len = 0;
    const uint8_t *data = NULL;
    pp_scene_multiplayer_message msg;
    int32_t from = 0, rc = 1;

    l.mode = PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE;
    cb.size = sizeof cb; cb.userdata = &l;
    cb.get_packet = get; cb.put_packet = put; cb.get_available_packet_count = count;
    cb.get_max_packet_size = max_size; cb.get_packet_channel = pkt_channel; cb.get_packet_mode = pkt_mode;
    cb.get_packet_peer = pkt_peer; cb.set_transfer_channel = set_channel; cb.get_transfer_channel = get_channel;
    cb.set_transfer_mode = set_mode; cb.get_transfer_mode = get_mode; cb.set_target_peer = set_target;
    cb.is_server = is_server; cb.poll = poll_cb; cb.close = close_cb; cb.disconnect_peer = disconnect;
    cb.get_unique_id = unique_id; cb.get_connection_status = status;
    TRY(pp_multiplayer_peer_extension_new(&cb, &peer));
    l.self = peer;

    TRY(pp_multiplayer_peer_poll(peer));   /* raises peer_connected(1) */
    while (pp_multiplayer_peer_pop_event(peer, &ev) == PP_OK)
        printf("event %d: peer %d\n", (int)ev.kind, (int)ev.peer_id);

    TRY(pp_multiplayer_peer_set_target_peer(peer, PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER));
    TRY(pp_scene_multiplayer_build_raw((const uint8_t *)"hello", 5, framed, sizeof framed, &framed_len));
    TRY(pp_put_packet(peer, framed, framed_len));
    TRY(pp_multiplayer_peer_get_packet_peer(peer, &from));
    TRY(pp_get_packet(peer, &data, &len));
    TRY(pp_scene_multiplayer_parse(data, len, &msg));
    printf("from %d: %.*s\n", (int)from, (int)msg.payload_len, (const char *)data + msg.payload_offset);
    rc = 0;
done:
    pp_peer_free(peer);
    return rc;
}
