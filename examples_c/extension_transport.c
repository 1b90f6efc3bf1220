/*
 * extension_transport: plug your own transport under the PacketPeer API with PacketPeerExtension.
 * The transport here is an in-process packet queue (a loopback); every PacketPeer call, put_var and
 * get_var included, then works on it. Replace the four callbacks with your engine's or platform's
 * send/receive to give it Godot's packet and Variant semantics.
 *
 * Build and run (from the repository root, after `cargo build`):
 *   cc -std=c99 -I<dir of packetpeer.h> examples_c/extension_transport.c -Ltarget/debug -lpacketpeer
 *   LD_LIBRARY_PATH=target/debug ./a.out
 */
#include <stdio.h>
#include <string.h>

#include "packetpeer.h"

#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_)); goto done; } } while (0)

/* A bounded queue of packets: says PP_ERR_BUSY when full, PP_ERR_UNAVAILABLE when empty. */
enum { SLOTS = 4, SLOT_SIZE = 256 };
typedef struct {
    uint8_t data[SLOTS][SLOT_SIZE];
    int32_t len[SLOTS];
    int head, count;
    uint8_t lent[SLOT_SIZE]; /* the packet handed out by get_packet, valid until the next one */
} queue;

static int32_t q_put(void *ud, const uint8_t *buf, int32_t len) {
    queue *q = ud;
    int slot = (q->head + q->count) % SLOTS;
    if (len > SLOT_SIZE) return PP_ERR_INVALID_PARAMETER;
    if (q->count == SLOTS) return PP_ERR_BUSY;
    memcpy(q->data[slot], buf, (size_t)len);
    q->len[slot] = len;
    q->count++;
    return PP_OK;
}

static int32_t q_get(void *ud, const uint8_t **out_buf, int32_t *out_len) {
    queue *q = ud;
    if (q->count == 0) return PP_ERR_UNAVAILABLE;
    memcpy(q->lent, q->data[q->head], (size_t)q->len[q->head]);
    *out_buf = q->lent;
    *out_len = q->len[q->head];
    q->head = (q->head + 1) % SLOTS;
    q->count--;
    return PP_OK;
}

static int32_t q_count(void *ud) { return ((queue *)ud)->count; }
static int32_t q_max(void *ud) { (void)ud; return SLOT_SIZE; }
static void q_destroy(void *ud) { (void)ud; printf("transport destroyed\n"); }

int main(void) {
    int rc = 1;
    static queue q;
    pp_packet_peer_extension_callbacks cb;
    pp_peer *peer = NULL;
    pp_variant *sent = NULL, *got = NULL;
    char *text = NULL;
    int32_t count = 0;

    memset(&cb, 0, sizeof cb);
    cb.size = sizeof cb;
    cb.userdata = &q;
    cb.get_packet = q_get;
    cb.put_packet = q_put;
    cb.get_available_packet_count = q_count;
    cb.get_max_packet_size = q_max;
    cb.destroy = q_destroy;
    TRY(pp_packet_peer_extension_new(&cb, &peer));

    TRY(pp_variant_new_string("ping over a custom transport", &sent));
    TRY(pp_put_var(peer, sent, false));
    TRY(pp_get_available_packet_count(peer, &count));
    printf("queued packets: %d (first is %d bytes of Variant encoding)\n", (int)count, (int)q.len[0]);

    TRY(pp_get_var(peer, false, &got));
    TRY(pp_variant_to_string(got, 200, &text));
    printf("received: %s (equal: %s)\n", text, pp_variant_equal(sent, got) ? "yes" : "no");
    rc = 0;

done:
    pp_string_free(text);
    pp_variant_free(got);
    pp_variant_free(sent);
    pp_peer_free(peer); /* calls q_destroy */
    return rc;
}
