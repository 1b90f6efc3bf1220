/* C ABI of the PacketPeer base calls and PacketPeerStream over an in-memory pipe:
 * success, every NULL argument, bad sizes, class mismatch, _free(NULL), the borrowed-packet lifetime,
 * the wire framing, and oversized frames being reported instead of wedging. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#include "packetpeer.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
    __FILE__, __LINE__, #c); return 1; } } while (0)
#define INVAL PP_ERR_INVALID_PARAMETER

static int test_null_args(void) {
    const uint8_t *data = NULL;
    size_t len = 0;
    int32_t n = 0;
    bool b = false;
    pp_variant *v = NULL;
    pp_stream_peer *s = NULL;

    CHECK(pp_put_packet(NULL, (const uint8_t *)"x", 1) == INVAL);
    CHECK(pp_get_packet(NULL, &data, &len) == INVAL);
    CHECK(pp_put_var(NULL, NULL, false) == INVAL);
    CHECK(pp_get_var(NULL, false, &v) == INVAL && v == NULL);
    CHECK(pp_get_available_packet_count(NULL, &n) == INVAL);
    CHECK(pp_get_packet_error(NULL) == INVAL);
    CHECK(pp_get_max_packet_size(NULL, &n) == INVAL);
    CHECK(pp_get_encode_buffer_max_size(NULL, &n) == INVAL);
    CHECK(pp_set_encode_buffer_max_size(NULL, 4096) == INVAL);
    CHECK(pp_packet_peer_stream_new(NULL) == INVAL);
    CHECK(pp_packet_peer_stream_set_stream_peer(NULL, NULL) == INVAL);
    CHECK(pp_packet_peer_stream_get_stream_peer(NULL, &s) == INVAL);
    CHECK(pp_packet_peer_stream_set_input_buffer_max_size(NULL, 100) == INVAL);
    CHECK(pp_packet_peer_stream_get_input_buffer_max_size(NULL, &n) == INVAL);
    CHECK(pp_packet_peer_stream_set_output_buffer_max_size(NULL, 100) == INVAL);
    CHECK(pp_packet_peer_stream_get_output_buffer_max_size(NULL, &n) == INVAL);
    CHECK(pp_packet_peer_stream_is_input_broken(NULL, &b) == INVAL);
    pp_peer_free(NULL);
    return 0;
}

static int test_defaults_and_setters(void) {
    pp_peer *p = NULL;
    pp_stream_peer *s = (pp_stream_peer *)&p; /* must be overwritten with NULL */
    int32_t n = 0;
    bool b = true;
    const uint8_t *data = NULL;
    size_t len = 0;

    CHECK(pp_packet_peer_stream_new(&p) == PP_OK && p != NULL);
    /* No stream yet. */
    CHECK(pp_put_packet(p, (const uint8_t *)"x", 1) == PP_ERR_UNCONFIGURED);
    CHECK(pp_put_packet(p, NULL, 0) == PP_OK); /* empty: OK, nothing sent, like the script binding */
    CHECK(pp_put_packet(p, NULL, 1) == INVAL);
    CHECK(pp_get_packet(p, &data, &len) == PP_ERR_UNCONFIGURED);
    CHECK(pp_get_packet_error(p) == PP_ERR_UNCONFIGURED);
    CHECK(pp_get_available_packet_count(p, &n) == PP_OK && n == 0);
    CHECK(pp_get_available_packet_count(p, NULL) == INVAL);
    CHECK(pp_packet_peer_stream_get_stream_peer(p, &s) == PP_OK && s == NULL);
    CHECK(pp_packet_peer_stream_get_stream_peer(p, NULL) == INVAL);

    CHECK(pp_get_max_packet_size(p, &n) == PP_OK && n == 65536);
    CHECK(pp_get_max_packet_size(p, NULL) == INVAL);
    CHECK(pp_packet_peer_stream_get_input_buffer_max_size(p, &n) == PP_OK && n == 65532);
    CHECK(pp_packet_peer_stream_get_output_buffer_max_size(p, &n) == PP_OK && n == 65532);
    CHECK(pp_packet_peer_stream_get_input_buffer_max_size(p, NULL) == INVAL);
    CHECK(pp_packet_peer_stream_get_output_buffer_max_size(p, NULL) == INVAL);
    CHECK(pp_packet_peer_stream_set_output_buffer_max_size(p, 100) == PP_OK);
    CHECK(pp_packet_peer_stream_get_output_buffer_max_size(p, &n) == PP_OK && n == 124);
    CHECK(pp_get_max_packet_size(p, &n) == PP_OK && n == 128);
    CHECK(pp_packet_peer_stream_set_output_buffer_max_size(p, -1) == INVAL);
    CHECK(pp_packet_peer_stream_set_output_buffer_max_size(p, INT32_MAX) == INVAL);
    CHECK(pp_packet_peer_stream_set_input_buffer_max_size(p, -1) == INVAL);
    CHECK(pp_packet_peer_stream_set_input_buffer_max_size(p, 268435453) == INVAL);
    CHECK(pp_packet_peer_stream_set_input_buffer_max_size(p, 2000) == PP_OK);
    CHECK(pp_packet_peer_stream_get_input_buffer_max_size(p, &n) == PP_OK && n == 2044);
    CHECK(pp_packet_peer_stream_is_input_broken(p, &b) == PP_OK && !b);
    CHECK(pp_packet_peer_stream_is_input_broken(p, NULL) == INVAL);

    /* encode_buffer_max_size */
    CHECK(pp_get_encode_buffer_max_size(p, &n) == PP_OK && n == 8388608);
    CHECK(pp_get_encode_buffer_max_size(p, NULL) == INVAL);
    CHECK(pp_set_encode_buffer_max_size(p, 1023) == INVAL);
    CHECK(pp_set_encode_buffer_max_size(p, 268435457) == INVAL);
    CHECK(pp_get_encode_buffer_max_size(p, &n) == PP_OK && n == 8388608);
    CHECK(pp_set_encode_buffer_max_size(p, 2000) == PP_OK);
    CHECK(pp_get_encode_buffer_max_size(p, &n) == PP_OK && n == 2048);
    CHECK(pp_set_encode_buffer_max_size(p, 268435456) == PP_OK);
    CHECK(pp_get_encode_buffer_max_size(p, &n) == PP_OK && n == 268435456);

    CHECK(pp_get_var(p, false, NULL) == INVAL);
    CHECK(pp_put_var(p, NULL, false) == INVAL);
    pp_peer_free(p);
    return 0;
}

static int test_pipe_traffic(void) {
    pp_peer *a = NULL, *b = NULL;
    pp_stream_peer *sa = NULL, *sb = NULL, *raw = NULL, *got = NULL;
    const uint8_t *data = NULL, *first = NULL;
    size_t len = 0, n = 0;
    int32_t count = -1;
    uint8_t wire[64];
    bool broken = false;
    pp_variant *v = NULL;

    CHECK(pp_stream_peer_pipe_new(&sa, &sb) == PP_OK);
    CHECK(pp_packet_peer_stream_new(&a) == PP_OK);
    CHECK(pp_packet_peer_stream_new(&b) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(a, sa) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(b, sb) == PP_OK);
    /* The peers keep their own references: our handles can go now. */
    pp_stream_peer_free(sa);
    pp_stream_peer_free(sb);

    CHECK(pp_put_packet(a, (const uint8_t *)"hello", 5) == PP_OK);
    CHECK(pp_put_packet(a, (const uint8_t *)"world!", 6) == PP_OK);
    CHECK(pp_get_available_packet_count(b, &count) == PP_OK && count == 2);
    CHECK(pp_get_packet(b, &first, &len) == PP_OK && len == 5 && memcmp(first, "hello", 5) == 0);
    CHECK(pp_get_packet_error(b) == PP_OK);
    /* Borrowed bytes survive calls other than get_packet/get_var. */
    CHECK(pp_get_available_packet_count(b, &count) == PP_OK && count == 1);
    CHECK(pp_put_packet(b, (const uint8_t *)"pong", 4) == PP_OK);
    CHECK(memcmp(first, "hello", 5) == 0);
    CHECK(pp_get_packet(b, &data, &len) == PP_OK && len == 6 && memcmp(data, "world!", 6) == 0);
    /* Nothing left: out-params untouched, error recorded. */
    data = (const uint8_t *)"sentinel";
    len = 99;
    CHECK(pp_get_packet(b, &data, &len) == PP_ERR_UNAVAILABLE && len == 99);
    CHECK(pp_get_packet_error(b) == PP_ERR_UNAVAILABLE);
    CHECK(pp_get_packet(b, NULL, &len) == INVAL);
    CHECK(pp_get_packet(b, &data, NULL) == INVAL);
    CHECK(pp_get_packet(a, &data, &len) == PP_OK && len == 4 && memcmp(data, "pong", 4) == 0);

    /* Output limit. */
    CHECK(pp_packet_peer_stream_set_output_buffer_max_size(a, 12) == PP_OK);
    CHECK(pp_put_packet(a, wire, 13) == INVAL);
    CHECK(pp_put_packet(a, wire, (size_t)INT32_MAX + 1) == INVAL);

    /* Framing on the wire: read b's stream through a second handle. Detaching the stream from b
     * first, so b does not pull the bytes. */
    CHECK(pp_packet_peer_stream_get_stream_peer(b, &raw) == PP_OK && raw != NULL);
    CHECK(pp_packet_peer_stream_set_stream_peer(b, NULL) == PP_OK);
    CHECK(pp_get_packet(b, &data, &len) == PP_ERR_UNCONFIGURED);
    CHECK(pp_put_packet(a, (const uint8_t *)"abc", 3) == PP_OK);
    CHECK(pp_stream_peer_get_partial_data(raw, wire, sizeof wire, &n) == PP_OK);
    CHECK(n == 7 && memcmp(wire, "\x03\x00\x00\x00" "abc", 7) == 0);

    /* Hostile length: reported as ERR_OUT_OF_MEMORY after the good packet, never wedged. */
    CHECK(pp_stream_peer_put_data(raw, (const uint8_t *)"\x02\x00\x00\x00ok\xff\xff\xff\xff", 10) == PP_OK);
    CHECK(pp_get_packet(a, &data, &len) == PP_OK && len == 2 && memcmp(data, "ok", 2) == 0);
    CHECK(pp_get_available_packet_count(a, &count) == PP_OK && count == 0);
    CHECK(pp_packet_peer_stream_is_input_broken(a, &broken) == PP_OK && broken);
    CHECK(pp_get_packet(a, &data, &len) == PP_ERR_OUT_OF_MEMORY);
    CHECK(pp_get_packet_error(a) == PP_ERR_OUT_OF_MEMORY);
    CHECK(pp_get_var(a, false, &v) == PP_ERR_OUT_OF_MEMORY && v == NULL);
    /* Re-attaching a stream (another object) discards the input and the broken state. */
    CHECK(pp_stream_peer_buffer_new(&got) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(a, got) == PP_OK);
    CHECK(pp_packet_peer_stream_is_input_broken(a, &broken) == PP_OK && !broken);
    CHECK(pp_get_packet(a, &data, &len) == PP_ERR_UNAVAILABLE);
    pp_stream_peer_free(got);

    /* A zero-length frame is an empty packet; get_var on it is ERR_INVALID_DATA. */
    CHECK(pp_packet_peer_stream_set_stream_peer(b, raw) == PP_OK);
    pp_stream_peer_free(raw);
    raw = NULL;
    CHECK(pp_packet_peer_stream_set_stream_peer(a, NULL) == PP_OK);
    CHECK(pp_stream_peer_pipe_new(&sa, &sb) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(a, sa) == PP_OK);
    CHECK(pp_stream_peer_put_data(sb, (const uint8_t *)"\0\0\0\0\0\0\0\0", 8) == PP_OK);
    CHECK(pp_get_packet(a, &data, &len) == PP_OK && len == 0);
    CHECK(pp_get_var(a, false, &v) == PP_ERR_INVALID_DATA && v == NULL);
    CHECK(pp_get_packet_error(a) == PP_ERR_INVALID_DATA);

    /* Remote end closed: receiver drains, then its puts see EOF from the pull. */
    CHECK(pp_stream_peer_put_data(sb, (const uint8_t *)"\x01\x00\x00\x00z", 5) == PP_OK);
    pp_stream_peer_free(sb); /* last user of that end: closes it */
    CHECK(pp_get_packet(a, &data, &len) == PP_OK && len == 1 && data[0] == 'z');
    CHECK(pp_put_packet(a, (const uint8_t *)"x", 1) == PP_ERR_FILE_EOF);
    pp_stream_peer_free(sa);

    pp_peer_free(a);
    pp_peer_free(b);
    return 0;
}

static int32_t zero_cb(void *ud) {
    (void)ud;
    return 0;
}

static int test_class_mismatch(void) {
    pp_peer *ext = NULL;
    pp_stream_peer *buf = NULL, *s = NULL;
    int32_t n = 0;
    bool b = false;
    pp_packet_peer_extension_callbacks cb;

    memset(&cb, 0, sizeof cb);
    cb.size = sizeof cb;
    cb.get_available_packet_count = zero_cb;
    cb.get_max_packet_size = zero_cb;
    CHECK(pp_packet_peer_extension_new(&cb, &ext) == PP_OK);
    CHECK(pp_stream_peer_buffer_new(&buf) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(ext, buf) == INVAL);
    CHECK(pp_packet_peer_stream_get_stream_peer(ext, &s) == INVAL && s == NULL);
    CHECK(pp_packet_peer_stream_set_input_buffer_max_size(ext, 100) == INVAL);
    CHECK(pp_packet_peer_stream_get_input_buffer_max_size(ext, &n) == INVAL);
    CHECK(pp_packet_peer_stream_set_output_buffer_max_size(ext, 100) == INVAL);
    CHECK(pp_packet_peer_stream_get_output_buffer_max_size(ext, &n) == INVAL);
    CHECK(pp_packet_peer_stream_is_input_broken(ext, &b) == INVAL);
    pp_stream_peer_free(buf);
    pp_peer_free(ext);
    return 0;
}

/* Handles of the wrong type, as a binding could pass them by mistake: refused by their type tag, and
 * ignored by the _free calls of other types. */
static int test_wrong_handle_type(void) {
    pp_stream_peer *sa = NULL, *sb = NULL;
    pp_variant *v = NULL;
    pp_peer *p = NULL;
    int32_t n = 0;
    CHECK(pp_stream_peer_pipe_new(&sa, &sb) == PP_OK);
    CHECK(pp_variant_new_int(7, &v) == PP_OK);
    CHECK(pp_packet_peer_stream_new(&p) == PP_OK);
    CHECK(pp_put_packet((pp_peer *)(void *)sa, (const uint8_t *)"x", 1) == INVAL);
    CHECK(pp_get_available_packet_count((pp_peer *)(void *)v, &n) == INVAL);
    CHECK(pp_stream_peer_put_data((pp_stream_peer *)(void *)p, (const uint8_t *)"x", 1) == INVAL);
    CHECK(pp_packet_peer_stream_set_stream_peer(p, (pp_stream_peer *)(void *)p) == INVAL);
    pp_peer_free((pp_peer *)(void *)sa);          /* not a pp_peer: ignored */
    pp_stream_peer_free((pp_stream_peer *)(void *)p); /* not a pp_stream_peer: ignored */
    CHECK(pp_stream_peer_put_data(sa, (const uint8_t *)"x", 1) == PP_OK); /* still alive */
    CHECK(pp_get_max_packet_size(p, &n) == PP_OK);
    pp_peer_free(p);
    pp_variant_free(v);
    pp_stream_peer_free(sa);
    pp_stream_peer_free(sb);
    return 0;
}

static int test_variants(void) {
    pp_peer *a = NULL, *b = NULL;
    pp_stream_peer *sa = NULL, *sb = NULL;
    pp_variant *i42 = NULL, *dict = NULL, *k = NULL, *val = NULL, *got = NULL, *big = NULL;
    uint8_t wire[32];
    size_t n = 0;
    const uint8_t *data = NULL;
    char text[2100];
    static const uint8_t expect[] = {8, 0, 0, 0, 2, 0, 0, 0, 42, 0, 0, 0};

    CHECK(pp_stream_peer_pipe_new(&sa, &sb) == PP_OK);
    CHECK(pp_packet_peer_stream_new(&a) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(a, sa) == PP_OK);

    /* put_var(42) on the wire: 08000000 02000000 2a000000 (Godot 3.2.3 / 4.x). */
    CHECK(pp_variant_new_int(42, &i42) == PP_OK);
    CHECK(pp_put_var(a, i42, false) == PP_OK);
    CHECK(pp_stream_peer_get_partial_data(sb, wire, sizeof wire, &n) == PP_OK);
    CHECK(n == sizeof expect && memcmp(wire, expect, n) == 0);

    /* A dictionary both ways between two PacketPeerStreams. */
    CHECK(pp_packet_peer_stream_new(&b) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(b, sb) == PP_OK);
    CHECK(pp_variant_new_dictionary(&dict) == PP_OK);
    CHECK(pp_variant_new_string("hp", &k) == PP_OK);
    CHECK(pp_variant_dictionary_set(dict, k, i42) == PP_OK);
    CHECK(pp_variant_new_string("name", &val) == PP_OK);
    CHECK(pp_variant_dictionary_set(dict, val, val) == PP_OK);
    CHECK(pp_put_var(a, dict, false) == PP_OK);
    CHECK(pp_put_var(a, dict, true) == PP_OK);
    CHECK(pp_get_var(b, false, &got) == PP_OK && got != NULL);
    CHECK(pp_variant_equal(got, dict));
    pp_variant_free(got);
    got = NULL;
    CHECK(pp_get_var(b, true, &got) == PP_OK && pp_variant_equal(got, dict));
    pp_variant_free(got);
    got = NULL;
    CHECK(pp_get_packet_error(b) == PP_OK);
    /* Nothing left: out untouched, error recorded (the engine forgets; we do not). */
    CHECK(pp_get_var(b, false, &got) == PP_ERR_UNAVAILABLE && got == NULL);
    CHECK(pp_get_packet_error(b) == PP_ERR_UNAVAILABLE);
    /* Bad bytes: ERR_INVALID_DATA (unknown type id 0xff). */
    CHECK(pp_put_packet(a, (const uint8_t *)"\xff\x00\x00\x00", 4) == PP_OK);
    CHECK(pp_get_var(b, false, &got) == PP_ERR_INVALID_DATA && got == NULL);
    /* Trailing bytes after the value are ignored. */
    CHECK(pp_put_packet(a, (const uint8_t *)"\x02\x00\x00\x00\x2a\x00\x00\x00junk", 12) == PP_OK);
    CHECK(pp_get_var(b, false, &got) == PP_OK && pp_variant_equal(got, i42));
    pp_variant_free(got);
    got = NULL;
    /* get_packet and get_var share the borrowed-packet rule: get_var works after get_packet. */
    CHECK(pp_put_packet(a, (const uint8_t *)"raw", 3) == PP_OK);
    CHECK(pp_get_packet(b, &data, &n) == PP_OK && n == 3);

    /* encode_buffer_max_size limits put_var: ERR_OUT_OF_MEMORY above it, nothing sent. */
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = 0;
    CHECK(pp_variant_new_string(text, &big) == PP_OK);
    CHECK(pp_set_encode_buffer_max_size(a, 1024) == PP_OK);
    CHECK(pp_put_var(a, big, false) == PP_ERR_OUT_OF_MEMORY);
    {
        int32_t count = -1;
        CHECK(pp_get_available_packet_count(b, &count) == PP_OK && count == 0);
    }
    CHECK(pp_set_encode_buffer_max_size(a, 4096) == PP_OK);
    CHECK(pp_put_var(a, big, false) == PP_OK);
    CHECK(pp_get_var(b, false, &got) == PP_OK && pp_variant_equal(got, big));
    pp_variant_free(got);

    pp_variant_free(big);
    pp_variant_free(i42);
    pp_variant_free(dict);
    pp_variant_free(k);
    pp_variant_free(val);
    pp_stream_peer_free(sa);
    pp_stream_peer_free(sb);
    pp_peer_free(a);
    pp_peer_free(b);
    return 0;
}

int main(void) {
    if (test_null_args() != 0) return 1;
    if (test_defaults_and_setters() != 0) return 1;
    if (test_pipe_traffic() != 0) return 1;
    if (test_class_mismatch() != 0) return 1;
    if (test_wrong_handle_type() != 0) return 1;
    if (test_variants() != 0) return 1;
    printf("test_packet_peer: ok\n");
    return 0;
}
