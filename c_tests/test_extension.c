/* C ABI of PacketPeerExtension and StreamPeerExtension: constructor checks, missing callbacks, bad
 * callback results (negative lengths, NULL buffers, unknown codes, impossible counts), destroy, the
 * borrowed-packet rule, and PacketPeerStream running over a C-implemented stream. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#include "packetpeer.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
    __FILE__, __LINE__, #c); return 1; } } while (0)
#define INVAL PP_ERR_INVALID_PARAMETER

/* ---- a packet queue implemented in C ---- */
#define QN 8
typedef struct {
    uint8_t pkt[QN][64];
    int32_t len[QN];
    int head, count;
    uint8_t current[65];   /* what get_packet lends out */
    int destroyed;
    int mode;              /* 0 normal, 1 negative length, 2 NULL buffer, 3 unknown code, 4 unavailable */
} queue;

static int32_t q_get(void *ud, const uint8_t **out_buf, int32_t *out_len) {
    queue *q = (queue *)ud;
    switch (q->mode) {
    case 1: *out_buf = q->current; *out_len = -5; return PP_OK;
    case 2: *out_buf = NULL; *out_len = 3; return PP_OK;
    case 3: return 1234;
    case 4: return PP_ERR_UNAVAILABLE;
    default: break;
    }
    if (q->count == 0) return PP_ERR_UNAVAILABLE;
    memcpy(q->current, q->pkt[q->head], (size_t)q->len[q->head]);
    *out_buf = q->current;
    *out_len = q->len[q->head];
    q->head = (q->head + 1) % QN;
    q->count--;
    return PP_OK;
}

static int32_t q_put(void *ud, const uint8_t *buf, int32_t len) {
    queue *q = (queue *)ud;
    int tail;
    if (q->count == QN) return PP_ERR_BUSY;
    if (len > 64) return PP_ERR_INVALID_PARAMETER;
    tail = (q->head + q->count) % QN;
    memcpy(q->pkt[tail], buf, (size_t)len);
    q->len[tail] = len;
    q->count++;
    return PP_OK;
}

static int32_t q_count(void *ud) {
    queue *q = (queue *)ud;
    return q->mode == 5 ? -3 : q->count;
}

static int32_t q_max(void *ud) {
    (void)ud;
    return 64;
}

static void q_destroy(void *ud) {
    ((queue *)ud)->destroyed++;
}

static int test_packet_peer_extension(void) {
    static queue q;
    pp_packet_peer_extension_callbacks cb;
    pp_peer *p = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t n = 0;

    memset(&q, 0, sizeof q);
    memset(&cb, 0, sizeof cb);
    cb.size = sizeof cb;
    cb.userdata = &q;
    cb.get_packet = q_get;
    cb.put_packet = q_put;
    cb.get_available_packet_count = q_count;
    cb.get_max_packet_size = q_max;
    cb.destroy = q_destroy;

    /* Constructor checks; on failure destroy is not called. */
    CHECK(pp_packet_peer_extension_new(NULL, &p) == INVAL);
    CHECK(pp_packet_peer_extension_new(&cb, NULL) == INVAL);
    cb.size = sizeof cb - 1;
    CHECK(pp_packet_peer_extension_new(&cb, &p) == INVAL);
    cb.size = sizeof cb;
    cb.get_available_packet_count = NULL;
    CHECK(pp_packet_peer_extension_new(&cb, &p) == INVAL);
    cb.get_available_packet_count = q_count;
    cb.get_max_packet_size = NULL;
    CHECK(pp_packet_peer_extension_new(&cb, &p) == INVAL);
    cb.get_max_packet_size = q_max;
    CHECK(p == NULL && q.destroyed == 0);

    CHECK(pp_packet_peer_extension_new(&cb, &p) == PP_OK && p != NULL);
    CHECK(pp_get_max_packet_size(p, &n) == PP_OK && n == 64);
    CHECK(pp_put_packet(p, (const uint8_t *)"one", 3) == PP_OK);
    CHECK(pp_put_packet(p, (const uint8_t *)"", 0) == PP_OK);  /* empty: not passed to the callback */
    CHECK(q.count == 1);
    CHECK(pp_put_packet(p, (const uint8_t *)"two", 3) == PP_OK);
    CHECK(pp_put_packet(p, q.current, 65) == INVAL); /* callback's own error passes through */
    CHECK(pp_get_available_packet_count(p, &n) == PP_OK && n == 2);
    /* The packet is the callback's buffer, lent until the next get_packet. */
    CHECK(pp_get_packet(p, &data, &len) == PP_OK && len == 3 && data == q.current);
    CHECK(memcmp(data, "one", 3) == 0);
    CHECK(pp_get_packet(p, &data, &len) == PP_OK && len == 3 && memcmp(data, "two", 3) == 0);
    CHECK(pp_get_packet(p, &data, &len) == PP_ERR_UNAVAILABLE);
    CHECK(pp_get_packet_error(p) == PP_ERR_UNAVAILABLE);

    /* Bad callback results are errors, never UB. */
    q.mode = 1;
    CHECK(pp_get_packet(p, &data, &len) == PP_ERR_INVALID_DATA);
    q.mode = 2;
    CHECK(pp_get_packet(p, &data, &len) == PP_ERR_INVALID_DATA);
    q.mode = 3;
    CHECK(pp_get_packet(p, &data, &len) == PP_FAILED);
    CHECK(pp_get_packet_error(p) == PP_FAILED);
    q.mode = 4;
    CHECK(pp_get_packet(p, &data, &len) == PP_ERR_UNAVAILABLE);
    q.mode = 5; /* a negative count is the callback's error, not 0 packets; out-param untouched */
    n = 77;
    CHECK(pp_get_available_packet_count(p, &n) == PP_FAILED && n == 77);
    q.mode = 0;

    /* put_var / get_var ride on the callbacks: the encoded bytes are one queued packet. */
    {
        pp_variant *v = NULL, *got = NULL;
        CHECK(pp_variant_new_int(42, &v) == PP_OK);
        CHECK(pp_put_var(p, v, false) == PP_OK);
        CHECK(q.count == 1 && q.len[q.head] == 8);
        CHECK(memcmp(q.pkt[q.head], "\x02\0\0\0\x2a\0\0\0", 8) == 0);
        CHECK(pp_get_var(p, false, &got) == PP_OK && pp_variant_equal(got, v));
        pp_variant_free(got);
        got = NULL;
        CHECK(pp_get_var(p, false, &got) == PP_ERR_UNAVAILABLE && got == NULL);
        q.mode = 1;
        CHECK(pp_get_var(p, false, &got) == PP_ERR_INVALID_DATA && got == NULL);
        q.mode = 0;
        pp_variant_free(v);
    }

    /* Base setters work on extensions too. */
    CHECK(pp_set_encode_buffer_max_size(p, 4096) == PP_OK);
    CHECK(pp_get_encode_buffer_max_size(p, &n) == PP_OK && n == 4096);

    CHECK(q.destroyed == 0);
    pp_peer_free(p);
    CHECK(q.destroyed == 1);

    /* NULL get/put callbacks: FAILED, as the engine does for missing virtuals. */
    cb.get_packet = NULL;
    cb.put_packet = NULL;
    cb.destroy = NULL;
    CHECK(pp_packet_peer_extension_new(&cb, &p) == PP_OK);
    CHECK(pp_put_packet(p, (const uint8_t *)"x", 1) == PP_FAILED);
    CHECK(pp_get_packet(p, &data, &len) == PP_FAILED);
    pp_peer_free(p);
    return 0;
}

/* ---- a byte ring implemented in C (a loopback stream: reads what it wrote) ---- */
typedef struct {
    uint8_t buf[256];
    int32_t r, w;
    int destroyed;
    int lie;   /* 1: report more bytes than asked */
} ring;

static int32_t r_put_partial(void *ud, const uint8_t *data, int32_t len, int32_t *out_sent) {
    ring *g = (ring *)ud;
    int32_t room = (int32_t)sizeof g->buf - g->w;
    int32_t n = len < room ? len : room;
    memcpy(g->buf + g->w, data, (size_t)n);
    g->w += n;
    *out_sent = g->lie ? len + 1 : n;
    return PP_OK;
}

static int32_t r_put(void *ud, const uint8_t *data, int32_t len, int32_t *out_sent) {
    ring *g = (ring *)ud;
    if (len > (int32_t)sizeof g->buf - g->w) return PP_ERR_BUSY;
    return r_put_partial(ud, data, len, out_sent);
}

static int32_t r_get_partial(void *ud, uint8_t *buf, int32_t len, int32_t *out_received) {
    ring *g = (ring *)ud;
    int32_t avail = g->w - g->r;
    int32_t n = len < avail ? len : avail;
    memcpy(buf, g->buf + g->r, (size_t)n);
    g->r += n;
    *out_received = g->lie ? -1 : n;
    return PP_OK;
}

static int32_t r_get(void *ud, uint8_t *buf, int32_t len, int32_t *out_received) {
    ring *g = (ring *)ud;
    if (len > g->w - g->r) return PP_ERR_BUSY;
    return r_get_partial(ud, buf, len, out_received);
}

static int32_t r_avail(void *ud) {
    ring *g = (ring *)ud;
    return g->lie ? -1 : g->w - g->r;
}

static void r_destroy(void *ud) {
    ((ring *)ud)->destroyed++;
}

static int test_stream_peer_extension(void) {
    static ring g;
    pp_stream_peer_extension_callbacks cb;
    pp_stream_peer *s = NULL;
    pp_peer *p = NULL;
    uint8_t out[32];
    size_t n = 0;
    int32_t avail = 0;
    uint32_t u = 0;
    const uint8_t *data = NULL;

    memset(&g, 0, sizeof g);
    memset(&cb, 0, sizeof cb);
    cb.size = sizeof cb;
    cb.userdata = &g;
    cb.put_data = r_put;
    cb.put_partial_data = r_put_partial;
    cb.get_data = r_get;
    cb.get_partial_data = r_get_partial;
    cb.get_available_bytes = r_avail;
    cb.destroy = r_destroy;

    CHECK(pp_stream_peer_extension_new(NULL, &s) == INVAL);
    CHECK(pp_stream_peer_extension_new(&cb, NULL) == INVAL);
    cb.size = 8;
    CHECK(pp_stream_peer_extension_new(&cb, &s) == INVAL);
    cb.size = sizeof cb;
    cb.get_available_bytes = NULL;
    CHECK(pp_stream_peer_extension_new(&cb, &s) == INVAL);
    cb.get_available_bytes = r_avail;
    CHECK(s == NULL && g.destroyed == 0);
    CHECK(pp_stream_peer_extension_new(&cb, &s) == PP_OK && s != NULL);

    /* Typed helpers and raw calls go through the callbacks. */
    CHECK(pp_stream_peer_set_big_endian(s, true) == PP_OK);
    CHECK(pp_stream_peer_put_u32(s, 0x01020304u) == PP_OK);
    CHECK(g.w == 4 && g.buf[0] == 1 && g.buf[3] == 4);
    CHECK(pp_stream_peer_get_available_bytes(s, &avail) == PP_OK && avail == 4);
    CHECK(pp_stream_peer_get_u32(s, &u) == PP_OK && u == 0x01020304u);
    CHECK(pp_stream_peer_get_u32(s, &u) == PP_ERR_BUSY);
    CHECK(pp_stream_peer_put_partial_data(s, (const uint8_t *)"ab", 2, &n) == PP_OK && n == 2);
    CHECK(pp_stream_peer_get_partial_data(s, out, sizeof out, &n) == PP_OK && n == 2);
    CHECK(pp_stream_peer_set_big_endian(s, false) == PP_OK);

    /* Impossible counts from callbacks are PP_ERR_INVALID_DATA; a negative byte count is PP_FAILED. */
    g.lie = 1;
    CHECK(pp_stream_peer_put_partial_data(s, (const uint8_t *)"ab", 2, &n) == PP_ERR_INVALID_DATA);
    CHECK(pp_stream_peer_put_data(s, (const uint8_t *)"ab", 2) == PP_ERR_INVALID_DATA);
    CHECK(pp_stream_peer_get_partial_data(s, out, sizeof out, &n) == PP_ERR_INVALID_DATA);
    CHECK(pp_stream_peer_get_available_bytes(s, &avail) == PP_FAILED);
    g.lie = 0;
    g.r = g.w = 0;

    /* PacketPeerStream over the C stream: the frame lands in the C ring and reads back. */
    CHECK(pp_packet_peer_stream_new(&p) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(p, s) == PP_OK);
    pp_stream_peer_free(s); /* the PacketPeerStream keeps the stream alive */
    CHECK(g.destroyed == 0);
    CHECK(pp_put_packet(p, (const uint8_t *)"loop", 4) == PP_OK);
    CHECK(g.w == 8 && memcmp(g.buf, "\x04\x00\x00\x00loop", 8) == 0);
    CHECK(pp_get_packet(p, &data, &n) == PP_OK && n == 4 && memcmp(data, "loop", 4) == 0);
    pp_peer_free(p);
    CHECK(g.destroyed == 1);

    /* NULL callbacks other than get_available_bytes: PP_FAILED. */
    memset(&cb, 0, sizeof cb);
    cb.size = sizeof cb;
    cb.get_available_bytes = r_avail;
    cb.userdata = &g;
    CHECK(pp_stream_peer_extension_new(&cb, &s) == PP_OK);
    CHECK(pp_stream_peer_put_data(s, (const uint8_t *)"a", 1) == PP_FAILED);
    CHECK(pp_stream_peer_put_partial_data(s, (const uint8_t *)"a", 1, &n) == PP_FAILED);
    CHECK(pp_stream_peer_get_data(s, out, 1) == PP_FAILED);
    CHECK(pp_stream_peer_get_partial_data(s, out, 1, &n) == PP_FAILED);
    CHECK(pp_stream_peer_buffer_seek(s, 0) == INVAL);   /* class mismatch */
    CHECK(pp_stream_peer_pipe_close(s) == INVAL);
    pp_stream_peer_free(s);
    CHECK(g.destroyed == 1);
    return 0;
}

int main(void) {
    if (test_packet_peer_extension() != 0) return 1;
    if (test_stream_peer_extension() != 0) return 1;
    printf("test_extension: ok\n");
    return 0;
}
