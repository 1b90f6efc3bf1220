/* C ABI of StreamPeer (any pp_stream_peer), StreamPeerBuffer and the in-memory pipe:
 * success, every NULL argument, bad sizes, class mismatch, _free(NULL), owned strings. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#include "packetpeer.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
    __FILE__, __LINE__, #c); return 1; } } while (0)
#define INVAL PP_ERR_INVALID_PARAMETER

static int test_base_calls_null(void) {
    uint8_t b[4] = {0};
    size_t n = 0;
    int32_t i32v = 0;
    char *str = NULL;
    pp_variant *v = NULL;
    int8_t i8v; uint8_t u8v; int16_t i16v; uint16_t u16v; uint32_t u32v;
    int64_t i64v; uint64_t u64v; float f; double d;

    CHECK(pp_stream_peer_put_data(NULL, b, 1) == INVAL);
    CHECK(pp_stream_peer_put_partial_data(NULL, b, 1, &n) == INVAL);
    CHECK(pp_stream_peer_get_data(NULL, b, 1) == INVAL);
    CHECK(pp_stream_peer_get_partial_data(NULL, b, 1, &n) == INVAL);
    CHECK(pp_stream_peer_get_available_bytes(NULL, &i32v) == INVAL);
    CHECK(pp_stream_peer_set_big_endian(NULL, true) == INVAL);
    CHECK(pp_stream_peer_is_big_endian(NULL) == false);
    CHECK(pp_stream_peer_put_8(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_8(NULL, &i8v) == INVAL);
    CHECK(pp_stream_peer_put_u8(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_u8(NULL, &u8v) == INVAL);
    CHECK(pp_stream_peer_put_16(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_16(NULL, &i16v) == INVAL);
    CHECK(pp_stream_peer_put_u16(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_u16(NULL, &u16v) == INVAL);
    CHECK(pp_stream_peer_put_32(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_32(NULL, &i32v) == INVAL);
    CHECK(pp_stream_peer_put_u32(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_u32(NULL, &u32v) == INVAL);
    CHECK(pp_stream_peer_put_64(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_64(NULL, &i64v) == INVAL);
    CHECK(pp_stream_peer_put_u64(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_get_u64(NULL, &u64v) == INVAL);
    CHECK(pp_stream_peer_put_half(NULL, 1.0f) == INVAL);
    CHECK(pp_stream_peer_get_half(NULL, &f) == INVAL);
    CHECK(pp_stream_peer_put_float(NULL, 1.0f) == INVAL);
    CHECK(pp_stream_peer_get_float(NULL, &f) == INVAL);
    CHECK(pp_stream_peer_put_double(NULL, 1.0) == INVAL);
    CHECK(pp_stream_peer_get_double(NULL, &d) == INVAL);
    CHECK(pp_stream_peer_put_string(NULL, "x") == INVAL);
    CHECK(pp_stream_peer_put_utf8_string(NULL, "x") == INVAL);
    CHECK(pp_stream_peer_get_string(NULL, -1, &str) == INVAL);
    CHECK(pp_stream_peer_get_utf8_string(NULL, -1, &str) == INVAL);
    CHECK(pp_stream_peer_put_var(NULL, NULL, false) == INVAL);
    CHECK(pp_stream_peer_get_var(NULL, false, &v) == INVAL);
    CHECK(str == NULL && v == NULL);
    pp_stream_peer_free(NULL);
    pp_string_free(NULL);
    return 0;
}

static int test_buffer(void) {
    pp_stream_peer *s = NULL, *copy = NULL;
    uint8_t out[64];
    size_t n = 0;
    int32_t i32v = -7;
    int8_t i8v; uint8_t u8v; int16_t i16v; uint16_t u16v; uint32_t u32v;
    int64_t i64v; uint64_t u64v; float f; double d;
    char *str = NULL;
    static const uint8_t le[] = {0xFE, 0xAB, 0xFE, 0xFF, 0x34, 0x12, 0xFE, 0xFF, 0xFF, 0xFF,
                                 0x78, 0x56, 0x34, 0x12};

    CHECK(pp_stream_peer_buffer_new(NULL) == INVAL);
    CHECK(pp_stream_peer_buffer_new(&s) == PP_OK && s != NULL);
    CHECK(pp_stream_peer_is_big_endian(s) == false);

    /* Typed helpers, little-endian. */
    CHECK(pp_stream_peer_put_8(s, -2) == PP_OK);
    CHECK(pp_stream_peer_put_u8(s, 0xAB) == PP_OK);
    CHECK(pp_stream_peer_put_16(s, -2) == PP_OK);
    CHECK(pp_stream_peer_put_u16(s, 0x1234) == PP_OK);
    CHECK(pp_stream_peer_put_32(s, -2) == PP_OK);
    CHECK(pp_stream_peer_put_u32(s, 0x12345678u) == PP_OK);
    CHECK(pp_stream_peer_buffer_get_size(s, &i32v) == PP_OK && i32v == (int32_t)sizeof le);
    CHECK(pp_stream_peer_buffer_get_data_array(s, out, sizeof out, &n) == PP_OK);
    CHECK(n == sizeof le && memcmp(out, le, n) == 0);
    CHECK(pp_stream_peer_buffer_get_data_array(s, out, 3, &n) == INVAL); /* too small */
    CHECK(pp_stream_peer_buffer_get_data_array(s, NULL, 0, &n) == INVAL);
    CHECK(pp_stream_peer_buffer_get_data_array(s, out, sizeof out, NULL) == INVAL);
    CHECK(pp_stream_peer_buffer_get_data_array(NULL, out, sizeof out, &n) == INVAL);
    CHECK(pp_stream_peer_buffer_get_data_array(s, NULL, 5, &n) == INVAL);

    /* Big-endian 64-bit, floats, half. */
    CHECK(pp_stream_peer_set_big_endian(s, true) == PP_OK);
    CHECK(pp_stream_peer_is_big_endian(s) == true);
    CHECK(pp_stream_peer_put_64(s, -2) == PP_OK);
    CHECK(pp_stream_peer_put_u64(s, 0x0102030405060708ull) == PP_OK);
    CHECK(pp_stream_peer_put_half(s, 1.0f) == PP_OK);
    CHECK(pp_stream_peer_put_float(s, 1.5f) == PP_OK);
    CHECK(pp_stream_peer_put_double(s, -0.25) == PP_OK);
    CHECK(pp_stream_peer_buffer_get_data_array(s, out, sizeof out, &n) == PP_OK);
    CHECK(n == 14 + 8 + 8 + 2 + 4 + 8);
    CHECK(out[22] == 0x01 && out[29] == 0x08);  /* u64 big-endian */
    CHECK(out[30] == 0x3C && out[31] == 0x00);  /* half 1.0 big-endian */

    /* Read everything back. */
    CHECK(pp_stream_peer_buffer_get_position(s, &i32v) == PP_OK && i32v == 44);
    CHECK(pp_stream_peer_buffer_seek(s, 0) == PP_OK);
    CHECK(pp_stream_peer_set_big_endian(s, false) == PP_OK);
    CHECK(pp_stream_peer_get_8(s, &i8v) == PP_OK && i8v == -2);
    CHECK(pp_stream_peer_get_u8(s, &u8v) == PP_OK && u8v == 0xAB);
    CHECK(pp_stream_peer_get_16(s, &i16v) == PP_OK && i16v == -2);
    CHECK(pp_stream_peer_get_u16(s, &u16v) == PP_OK && u16v == 0x1234);
    CHECK(pp_stream_peer_get_32(s, &i32v) == PP_OK && i32v == -2);
    CHECK(pp_stream_peer_get_u32(s, &u32v) == PP_OK && u32v == 0x12345678u);
    CHECK(pp_stream_peer_set_big_endian(s, true) == PP_OK);
    CHECK(pp_stream_peer_get_64(s, &i64v) == PP_OK && i64v == -2);
    CHECK(pp_stream_peer_get_u64(s, &u64v) == PP_OK && u64v == 0x0102030405060708ull);
    CHECK(pp_stream_peer_get_half(s, &f) == PP_OK && f == 1.0f);
    CHECK(pp_stream_peer_get_float(s, &f) == PP_OK && f == 1.5f);
    CHECK(pp_stream_peer_get_double(s, &d) == PP_OK && d == -0.25);
    /* Nothing left: short reads are ERR_INVALID_PARAMETER, out untouched. */
    i8v = 5;
    CHECK(pp_stream_peer_get_8(s, &i8v) == INVAL && i8v == 5);
    CHECK(pp_stream_peer_get_8(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_u8(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_16(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_u16(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_32(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_u32(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_64(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_u64(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_half(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_float(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_double(s, NULL) == INVAL);
    CHECK(pp_stream_peer_get_available_bytes(s, &i32v) == PP_OK && i32v == 0);
    CHECK(pp_stream_peer_get_available_bytes(s, NULL) == INVAL);

    /* Seek / resize / position / clear. */
    CHECK(pp_stream_peer_buffer_seek(s, -1) == INVAL);
    CHECK(pp_stream_peer_buffer_seek(s, 45) == INVAL);
    CHECK(pp_stream_peer_buffer_seek(s, 44) == PP_OK);
    CHECK(pp_stream_peer_buffer_seek(NULL, 0) == INVAL);
    CHECK(pp_stream_peer_buffer_resize(s, -1) == INVAL);
    CHECK(pp_stream_peer_buffer_resize(NULL, 1) == INVAL);
    CHECK(pp_stream_peer_buffer_resize(s, 4) == PP_OK);
    CHECK(pp_stream_peer_buffer_get_size(s, &i32v) == PP_OK && i32v == 4);
    CHECK(pp_stream_peer_buffer_get_position(s, &i32v) == PP_OK && i32v == 44);
    CHECK(pp_stream_peer_buffer_get_position(s, NULL) == INVAL);
    CHECK(pp_stream_peer_buffer_get_position(NULL, &i32v) == INVAL);
    CHECK(pp_stream_peer_buffer_get_size(s, NULL) == INVAL);
    CHECK(pp_stream_peer_buffer_get_size(NULL, &i32v) == INVAL);
    CHECK(pp_stream_peer_buffer_clear(s) == PP_OK);
    CHECK(pp_stream_peer_buffer_clear(NULL) == INVAL);
    CHECK(pp_stream_peer_buffer_get_size(s, &i32v) == PP_OK && i32v == 0);
    CHECK(pp_stream_peer_buffer_get_data_array(s, NULL, 0, &n) == PP_OK && n == 0);

    /* data_array setter, raw I/O, duplicate. */
    CHECK(pp_stream_peer_buffer_set_data_array(s, (const uint8_t *)"abcdef", 6) == PP_OK);
    CHECK(pp_stream_peer_buffer_set_data_array(s, NULL, 6) == INVAL);
    CHECK(pp_stream_peer_buffer_set_data_array(NULL, (const uint8_t *)"a", 1) == INVAL);
    CHECK(pp_stream_peer_buffer_set_data_array(s, (const uint8_t *)"a", (size_t)INT32_MAX + 1) == INVAL);
    CHECK(pp_stream_peer_get_data(s, out, 2) == PP_OK && memcmp(out, "ab", 2) == 0);
    CHECK(pp_stream_peer_get_data(s, NULL, 2) == INVAL);
    CHECK(pp_stream_peer_get_data(s, NULL, 0) == PP_OK);
    CHECK(pp_stream_peer_get_partial_data(s, out, sizeof out, &n) == PP_OK && n == 4);
    CHECK(memcmp(out, "cdef", 4) == 0);
    CHECK(pp_stream_peer_get_partial_data(s, out, sizeof out, NULL) == INVAL);
    CHECK(pp_stream_peer_get_partial_data(s, NULL, 1, &n) == INVAL);
    CHECK(pp_stream_peer_get_partial_data(s, out, sizeof out, &n) == PP_OK && n == 0);
    CHECK(pp_stream_peer_put_data(s, (const uint8_t *)"gh", 2) == PP_OK);
    CHECK(pp_stream_peer_put_data(s, NULL, 0) == PP_OK);
    CHECK(pp_stream_peer_put_data(s, NULL, 1) == INVAL);
    CHECK(pp_stream_peer_put_data(s, out, (size_t)INT32_MAX + 1) == INVAL);
    CHECK(pp_stream_peer_put_partial_data(s, (const uint8_t *)"ij", 2, &n) == PP_OK && n == 2);
    CHECK(pp_stream_peer_put_partial_data(s, (const uint8_t *)"ij", 2, NULL) == INVAL);
    CHECK(pp_stream_peer_buffer_duplicate(s, &copy) == PP_OK && copy != NULL);
    CHECK(pp_stream_peer_buffer_duplicate(s, NULL) == INVAL);
    CHECK(pp_stream_peer_buffer_duplicate(NULL, &copy) == INVAL);
    CHECK(pp_stream_peer_buffer_get_position(copy, &i32v) == PP_OK && i32v == 0);
    CHECK(pp_stream_peer_get_data(copy, out, 10) == PP_OK && memcmp(out, "abcdefghij", 10) == 0);
    pp_stream_peer_free(copy);

    /* Strings: owned, freed with pp_string_free. */
    CHECK(pp_stream_peer_buffer_clear(s) == PP_OK);
    CHECK(pp_stream_peer_set_big_endian(s, false) == PP_OK);
    CHECK(pp_stream_peer_put_string(s, "h\xc3\xa9llo") == PP_OK);     /* non-ASCII -> '?' */
    CHECK(pp_stream_peer_put_utf8_string(s, "h\xc3\xa9llo") == PP_OK);
    CHECK(pp_stream_peer_put_string(s, NULL) == INVAL);
    CHECK(pp_stream_peer_put_utf8_string(s, NULL) == INVAL);
    CHECK(pp_stream_peer_put_utf8_string(s, "\xff") == INVAL);        /* bad UTF-8 */
    CHECK(pp_stream_peer_buffer_seek(s, 0) == PP_OK);
    CHECK(pp_stream_peer_get_string(s, -1, &str) == PP_OK && strcmp(str, "h?llo") == 0);
    pp_string_free(str);
    str = NULL;
    CHECK(pp_stream_peer_get_utf8_string(s, -1, &str) == PP_OK && strcmp(str, "h\xc3\xa9llo") == 0);
    pp_string_free(str);
    str = NULL;
    CHECK(pp_stream_peer_get_string(s, -1, NULL) == INVAL);
    CHECK(pp_stream_peer_get_utf8_string(s, -1, NULL) == INVAL);
    CHECK(pp_stream_peer_get_string(s, 1, &str) == INVAL && str == NULL); /* nothing left */
    CHECK(pp_stream_peer_buffer_set_data_array(s, (const uint8_t *)"\xfb\xff\xff\xff", 4) == PP_OK);
    CHECK(pp_stream_peer_get_utf8_string(s, -1, &str) == PP_ERR_INVALID_DATA && str == NULL);
    CHECK(pp_stream_peer_buffer_set_data_array(s, (const uint8_t *)"xyz", 3) == PP_OK);
    CHECK(pp_stream_peer_get_string(s, 2, &str) == PP_OK && strcmp(str, "xy") == 0);
    pp_string_free(str);

    /* Variant: a negative length prefix is ERR_INVALID_DATA; NULLs are invalid. */
    {
        pp_variant *v = NULL;
        CHECK(pp_stream_peer_buffer_set_data_array(s, (const uint8_t *)"\xff\xff\xff\xff", 4) == PP_OK);
        CHECK(pp_stream_peer_get_var(s, false, &v) == PP_ERR_INVALID_DATA && v == NULL);
        CHECK(pp_stream_peer_get_var(s, false, NULL) == INVAL);
        CHECK(pp_stream_peer_put_var(s, NULL, false) == INVAL);
    }
    pp_stream_peer_free(s);
    return 0;
}

static int test_pipe(void) {
    pp_stream_peer *a = NULL, *b = NULL, *buf = NULL;
    uint8_t out[16];
    size_t n = 0;
    int32_t avail = 0;
    bool open = false;

    CHECK(pp_stream_peer_pipe_new(NULL, &b) == INVAL);
    CHECK(pp_stream_peer_pipe_new(&a, NULL) == INVAL && a == NULL);
    CHECK(pp_stream_peer_pipe_new_with_capacity(0, &a, &b) == INVAL);
    CHECK(pp_stream_peer_pipe_new_with_capacity((size_t)INT32_MAX + 1, &a, &b) == INVAL);
    CHECK(pp_stream_peer_pipe_new_with_capacity(8, NULL, &b) == INVAL);
    CHECK(pp_stream_peer_pipe_new_with_capacity(8, &a, &b) == PP_OK && a && b);

    CHECK(pp_stream_peer_put_data(a, (const uint8_t *)"hello", 5) == PP_OK);
    CHECK(pp_stream_peer_put_data(a, (const uint8_t *)"world", 5) == PP_ERR_BUSY); /* all or nothing */
    CHECK(pp_stream_peer_put_data(a, out, 9) == INVAL);                          /* over capacity */
    CHECK(pp_stream_peer_put_partial_data(a, (const uint8_t *)"world", 5, &n) == PP_OK && n == 3);
    CHECK(pp_stream_peer_get_available_bytes(b, &avail) == PP_OK && avail == 8);
    CHECK(pp_stream_peer_get_data(b, out, 9) == INVAL);
    CHECK(pp_stream_peer_get_data(b, out, 5) == PP_OK && memcmp(out, "hello", 5) == 0);
    CHECK(pp_stream_peer_get_data(b, out, 4) == PP_ERR_BUSY);
    CHECK(pp_stream_peer_get_partial_data(b, out, sizeof out, &n) == PP_OK && n == 3);
    CHECK(memcmp(out, "wor", 3) == 0);

    /* Typed helpers over the pipe. */
    CHECK(pp_stream_peer_put_u16(b, 0xBEEF) == PP_OK);
    {
        uint16_t u = 0;
        CHECK(pp_stream_peer_get_u16(a, &u) == PP_OK && u == 0xBEEF);
        CHECK(pp_stream_peer_get_u16(a, &u) == PP_ERR_BUSY);
    }

    /* Class-specific calls on the wrong class. */
    CHECK(pp_stream_peer_buffer_new(&buf) == PP_OK);
    CHECK(pp_stream_peer_pipe_close(buf) == INVAL);
    CHECK(pp_stream_peer_pipe_is_open(buf, &open) == INVAL);
    CHECK(pp_stream_peer_buffer_seek(a, 0) == INVAL);
    CHECK(pp_stream_peer_buffer_get_size(a, &avail) == INVAL);
    CHECK(pp_stream_peer_buffer_duplicate(a, &buf) == INVAL);
    pp_stream_peer_free(buf);

    /* Close: b drains what a sent, then EOF; b's writes fail. */
    CHECK(pp_stream_peer_pipe_is_open(a, &open) == PP_OK && open);
    CHECK(pp_stream_peer_pipe_is_open(a, NULL) == INVAL);
    CHECK(pp_stream_peer_pipe_is_open(NULL, &open) == INVAL);
    CHECK(pp_stream_peer_put_data(a, (const uint8_t *)"bye", 3) == PP_OK);
    CHECK(pp_stream_peer_pipe_close(a) == PP_OK);
    CHECK(pp_stream_peer_pipe_close(a) == PP_OK);
    CHECK(pp_stream_peer_pipe_close(NULL) == INVAL);
    CHECK(pp_stream_peer_pipe_is_open(a, &open) == PP_OK && !open);
    CHECK(pp_stream_peer_put_data(b, (const uint8_t *)"x", 1) == PP_FAILED);
    CHECK(pp_stream_peer_get_partial_data(b, out, sizeof out, &n) == PP_OK && n == 3);
    CHECK(pp_stream_peer_get_partial_data(b, out, sizeof out, &n) == PP_ERR_FILE_EOF);
    CHECK(pp_stream_peer_get_data(b, out, 1) == PP_ERR_FILE_EOF);
    CHECK(pp_stream_peer_get_available_bytes(a, &avail) == PP_FAILED);
    pp_stream_peer_free(a);
    pp_stream_peer_free(b);

    /* Freeing the last handle of an end closes it. */
    CHECK(pp_stream_peer_pipe_new(&a, &b) == PP_OK);
    pp_stream_peer_free(a);
    CHECK(pp_stream_peer_get_partial_data(b, out, sizeof out, &n) == PP_ERR_FILE_EOF);
    pp_stream_peer_free(b);
    return 0;
}

static int test_stream_var(void) {
    pp_stream_peer *s = NULL;
    pp_variant *v = NULL, *got = NULL;
    uint8_t out[16];
    size_t n = 0;
    int be;

    CHECK(pp_variant_new_int(42, &v) == PP_OK);
    for (be = 0; be < 2; be++) {
        CHECK(pp_stream_peer_buffer_new(&s) == PP_OK);
        CHECK(pp_stream_peer_set_big_endian(s, be != 0) == PP_OK);
        CHECK(pp_stream_peer_put_var(s, v, false) == PP_OK);
        CHECK(pp_stream_peer_buffer_get_data_array(s, out, sizeof out, &n) == PP_OK && n == 12);
        /* StreamPeer.put_var's length honours big_endian (PacketPeerStream framing never does). */
        CHECK(be ? memcmp(out, "\0\0\0\x08", 4) == 0 : memcmp(out, "\x08\0\0\0", 4) == 0);
        CHECK(memcmp(out + 4, "\x02\0\0\0\x2a\0\0\0", 8) == 0);
        CHECK(pp_stream_peer_buffer_seek(s, 0) == PP_OK);
        CHECK(pp_stream_peer_get_var(s, false, &got) == PP_OK && pp_variant_equal(got, v));
        pp_variant_free(got);
        got = NULL;
        CHECK(pp_stream_peer_get_var(s, false, &got) == PP_ERR_INVALID_PARAMETER && got == NULL);
        pp_stream_peer_free(s);
    }
    /* A length above 256 MiB is refused before reading on. */
    CHECK(pp_stream_peer_buffer_new(&s) == PP_OK);
    CHECK(pp_stream_peer_put_32(s, INT32_MAX) == PP_OK);
    CHECK(pp_stream_peer_buffer_seek(s, 0) == PP_OK);
    CHECK(pp_stream_peer_get_var(s, false, &got) == PP_ERR_OUT_OF_MEMORY && got == NULL);
    pp_stream_peer_free(s);
    pp_variant_free(v);
    return 0;
}

int main(void) {
    if (test_base_calls_null() != 0) return 1;
    if (test_buffer() != 0) return 1;
    if (test_pipe() != 0) return 1;
    if (test_stream_var() != 0) return 1;
    printf("test_stream_peer: ok\n");
    return 0;
}
