/*
 * C ABI tests of the Godot 3 dialect (docs/wire-format.md §19): golden bytes on the codec handle,
 * refusals naming the type, the lossy option, pp_codec_translate between Godot 3 and Godot 4, and
 * pp_put_var / pp_get_var on a peer set to the Godot 3 dialect.
 *
 * Each section returns 0 on success; main runs them all and reports every failing section.
 */
#include <stdio.h>
#include <string.h>

#include "packetpeer.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
    __FILE__, __LINE__, #c); return 1; } } while (0)

#define INV PP_ERR_INVALID_PARAMETER

static int same_bytes(const uint8_t *got, size_t len, const uint8_t *want, size_t want_len) {
    if (len == want_len && memcmp(got, want, len) == 0) return 1;
    fprintf(stderr, "  got:");
    for (size_t i = 0; i < len; i++) fprintf(stderr, " %02x", got[i]);
    fprintf(stderr, "\n");
    return 0;
}

/* §19: var2bytes(Reference.new(), true) and var2bytes(Vector3, RID, Object id, {"k": 1}). */
static int golden(void) {
    static const uint8_t reference[] = {
        0x11, 0, 0, 0, 9, 0, 0, 0, 'R', 'e', 'f', 'e', 'r', 'e', 'n', 'c', 'e', 0, 0, 0,
        1, 0, 0, 0, 6, 0, 0, 0, 's', 'c', 'r', 'i', 'p', 't', 0, 0, 0, 0, 0, 0};
    static const uint8_t dict[] = {0x12, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0,
                                   'k', 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0};
    static const uint8_t rid[] = {0x10, 0, 0, 0};
    static const uint8_t obj_id[] = {0x11, 0, 1, 0, 0xd2, 0x04, 0, 0, 0, 0, 0, 0};
    /* Vector2 with FLAG_64 still reads two f32 in Godot 3. */
    static const uint8_t v2_flag[] = {5, 0, 1, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40};
    pp_codec *c = NULL;
    pp_variant *o = NULL, *nil = NULL, *back = NULL, *d = NULL, *k = NULL, *one = NULL, *r = NULL,
               *id = NULL;
    uint8_t *data = NULL;
    size_t len = 0, used = 0;
    double x = 0, y = 0;

    CHECK(pp_codec_new(&c) == PP_OK);
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_GODOT3) == PP_OK);
    CHECK(pp_codec_get_dialect(c) == PP_DIALECT_GODOT3);
    CHECK(pp_codec_set_full_objects(c, true) == PP_OK);
    CHECK(pp_codec_set_allow_objects(c, true) == PP_OK);

    CHECK(pp_variant_new_object_full("Reference", &o) == PP_OK);
    CHECK(pp_variant_new_nil(&nil) == PP_OK);
    CHECK(pp_variant_object_set_property(o, "script", nil) == PP_OK);
    CHECK(pp_codec_encode(c, o, &data, &len) == PP_OK);
    CHECK(same_bytes(data, len, reference, sizeof reference));
    pp_bytes_free(data, len);
    CHECK(pp_codec_decode(c, reference, sizeof reference, &back, &used) == PP_OK);
    CHECK(used == sizeof reference && pp_variant_equal(back, o));
    pp_variant_free(back);

    CHECK(pp_variant_new_dictionary(&d) == PP_OK);
    CHECK(pp_variant_new_string("k", &k) == PP_OK);
    CHECK(pp_variant_new_int(1, &one) == PP_OK);
    CHECK(pp_variant_dictionary_set(d, k, one) == PP_OK);
    CHECK(pp_codec_encode(c, d, &data, &len) == PP_OK);
    CHECK(same_bytes(data, len, dict, sizeof dict));
    pp_bytes_free(data, len);

    CHECK(pp_variant_new_rid(0, &r) == PP_OK);
    CHECK(pp_codec_encode(c, r, &data, &len) == PP_OK);
    CHECK(same_bytes(data, len, rid, sizeof rid));
    pp_bytes_free(data, len);
    CHECK(pp_variant_new_object_id(1234, &id) == PP_OK);
    CHECK(pp_codec_encode(c, id, &data, &len) == PP_OK);
    CHECK(same_bytes(data, len, obj_id, sizeof obj_id));
    pp_bytes_free(data, len);

    CHECK(pp_codec_decode(c, v2_flag, sizeof v2_flag, &back, &used) == PP_OK && used == 12);
    CHECK(pp_variant_get_vector2(back, &x, &y) == PP_OK && x == 1.0 && y == 2.0);
    pp_variant_free(back);

    pp_variant_free(o);
    pp_variant_free(nil);
    pp_variant_free(d);
    pp_variant_free(k);
    pp_variant_free(one);
    pp_variant_free(r);
    pp_variant_free(id);
    pp_codec_free(c);
    return 0;
}

/* Types Godot 3 lacks are refused by name; the lossy option converts what it documents. */
static int refusals(void) {
    static const uint8_t as_string[] = {4, 0, 0, 0, 2, 0, 0, 0, 's', 'n', 0, 0};
    static const uint8_t as_vector2[] = {5, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40};
    static const uint8_t as_pool_int[] = {0x15, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0};
    const int64_t fits[] = {7}, too_big[] = {(int64_t)1 << 40};
    pp_codec *c = NULL;
    pp_variant *sn = NULL, *v2i = NULL, *p_ok = NULL, *p_big = NULL;
    uint8_t *data = NULL;
    size_t len = 0, off = 0;
    pp_error code = PP_OK;
    const char *reason = NULL;

    CHECK(pp_codec_new(&c) == PP_OK);
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_GODOT3) == PP_OK);
    CHECK(pp_variant_new_string_name("sn", &sn) == PP_OK);
    CHECK(pp_variant_new_vector2i(1, 2, &v2i) == PP_OK);
    CHECK(pp_variant_new_packed_int64_array(fits, 1, &p_ok) == PP_OK);
    CHECK(pp_variant_new_packed_int64_array(too_big, 1, &p_big) == PP_OK);

    CHECK(pp_codec_encode(c, sn, &data, &len) == INV);
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK);
    CHECK(code == INV && off == 0 && strstr(reason, "StringName") != NULL);
    CHECK(pp_codec_encoded_len(c, v2i, &len) == INV);
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK);
    CHECK(strstr(reason, "Vector2i") != NULL);
    CHECK(pp_codec_encode(c, p_ok, &data, &len) == INV);

    CHECK(pp_codec_set_godot3_lossy(NULL, true) == INV);
    CHECK(pp_codec_set_godot3_lossy(c, true) == PP_OK);
    CHECK(pp_codec_encode(c, sn, &data, &len) == PP_OK);
    CHECK(same_bytes(data, len, as_string, sizeof as_string));
    pp_bytes_free(data, len);
    CHECK(pp_codec_encode(c, v2i, &data, &len) == PP_OK);
    CHECK(same_bytes(data, len, as_vector2, sizeof as_vector2));
    pp_bytes_free(data, len);
    CHECK(pp_codec_encode(c, p_ok, &data, &len) == PP_OK);
    CHECK(same_bytes(data, len, as_pool_int, sizeof as_pool_int));
    pp_bytes_free(data, len);
    /* What does not fit is still refused. */
    CHECK(pp_codec_encode(c, p_big, &data, &len) == INV);
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK);
    CHECK(strstr(reason, "PackedInt64Array") != NULL);
    /* The Godot 4 dialect ignores the option. */
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_GODOT4) == PP_OK);
    CHECK(pp_codec_encode(c, sn, &data, &len) == PP_OK && len == 12 && data[0] == 0x15);
    pp_bytes_free(data, len);

    pp_variant_free(sn);
    pp_variant_free(v2i);
    pp_variant_free(p_ok);
    pp_variant_free(p_big);
    pp_codec_free(c);
    return 0;
}

/* A Godot 3 {"k": 1} becomes the Godot 4 bytes of §18, and back. */
static int translation(void) {
    static const uint8_t g3[] = {0x12, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0,
                                 'k', 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0xee, 0xee};
    static const uint8_t g4[] = {0x1b, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0,
                                 'k', 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0};
    static const uint8_t g4_sn[] = {0x15, 0, 0, 0, 1, 0, 0, 0, 'x', 0, 0, 0};
    pp_codec *c = NULL;
    uint8_t *data = NULL;
    size_t len = 0, used = 0, off = 0;
    pp_error code = PP_OK;
    const char *reason = NULL;

    CHECK(pp_codec_new(&c) == PP_OK);
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_GODOT3) == PP_OK);
    CHECK(pp_codec_translate(c, g3, sizeof g3, PP_DIALECT_GODOT4, &data, &len, &used) == PP_OK);
    CHECK(used == sizeof g3 - 2 && same_bytes(data, len, g4, sizeof g4));
    pp_bytes_free(data, len);
    CHECK(pp_codec_translate(c, g3, sizeof g3, PP_DIALECT_GODOT4, &data, &len, NULL) == PP_OK);
    pp_bytes_free(data, len);

    CHECK(pp_codec_set_dialect(c, PP_DIALECT_GODOT4) == PP_OK);
    CHECK(pp_codec_translate(c, g4, sizeof g4, PP_DIALECT_GODOT3, &data, &len, &used) == PP_OK);
    CHECK(used == sizeof g4 && same_bytes(data, len, g3, sizeof g3 - 2));
    pp_bytes_free(data, len);

    /* A StringName has no Godot 3 type: refused, by name; converted with the lossy option. */
    data = NULL;
    CHECK(pp_codec_translate(c, g4_sn, sizeof g4_sn, PP_DIALECT_GODOT3, &data, &len, &used) == INV);
    CHECK(data == NULL);
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK);
    CHECK(code == INV && strstr(reason, "StringName") != NULL);
    CHECK(pp_codec_set_godot3_lossy(c, true) == PP_OK);
    CHECK(pp_codec_translate(c, g4_sn, sizeof g4_sn, PP_DIALECT_GODOT3, &data, &len, &used) == PP_OK);
    CHECK(len == 12 && data[0] == 4);
    pp_bytes_free(data, len);

    /* Decode errors, bad arguments. */
    CHECK(pp_codec_translate(c, g4, 3, PP_DIALECT_GODOT3, &data, &len, &used) == PP_ERR_INVALID_DATA);
    CHECK(pp_codec_translate(c, g4, sizeof g4, 7, &data, &len, &used) == INV);
    CHECK(pp_codec_translate(c, g4, sizeof g4, PP_DIALECT_GODOT3, NULL, &len, &used) == INV);
    CHECK(pp_codec_translate(NULL, g4, sizeof g4, PP_DIALECT_GODOT3, &data, &len, &used) == INV);
    pp_codec_free(c);
    return 0;
}

/* pp_put_var / pp_get_var use the peer's dialect. */
static int peer_dialect(void) {
    pp_peer *a = NULL, *b = NULL;
    pp_stream_peer *sa = NULL, *sb = NULL;
    pp_variant *arr = NULL, *one = NULL, *got = NULL, *sn = NULL;
    const uint8_t *data = NULL;
    size_t len = 0, n = 0;
    pp_dialect d = PP_DIALECT_GODOT4;

    CHECK(pp_stream_peer_pipe_new(&sa, &sb) == PP_OK);
    CHECK(pp_packet_peer_stream_new(&a) == PP_OK);
    CHECK(pp_packet_peer_stream_new(&b) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(a, sa) == PP_OK);
    CHECK(pp_packet_peer_stream_set_stream_peer(b, sb) == PP_OK);
    pp_stream_peer_free(sa);
    pp_stream_peer_free(sb);

    CHECK(pp_get_var_dialect(a, &d) == PP_OK && d == PP_DIALECT_GODOT4);
    CHECK(pp_set_var_dialect(a, 5) == INV);
    CHECK(pp_set_var_dialect(NULL, PP_DIALECT_GODOT3) == INV);
    CHECK(pp_get_var_dialect(a, NULL) == INV);
    CHECK(pp_set_var_dialect(a, PP_DIALECT_GODOT3) == PP_OK);
    CHECK(pp_set_var_dialect(b, PP_DIALECT_GODOT3) == PP_OK);
    CHECK(pp_get_var_dialect(a, &d) == PP_OK && d == PP_DIALECT_GODOT3);

    CHECK(pp_variant_new_array(&arr) == PP_OK);
    CHECK(pp_variant_new_int(1, &one) == PP_OK);
    CHECK(pp_variant_array_append(arr, one) == PP_OK);
    CHECK(pp_put_var(a, arr, false) == PP_OK);
    CHECK(pp_put_var(a, arr, false) == PP_OK);
    /* The first one raw: Godot 3's ARRAY id. */
    CHECK(pp_get_packet(b, &data, &len) == PP_OK && len == 16 && data[0] == 0x13);
    CHECK(pp_get_var(b, false, &got) == PP_OK && pp_variant_equal(got, arr));
    pp_variant_free(got);

    CHECK(pp_variant_new_string_name("x", &sn) == PP_OK);
    CHECK(pp_put_var(a, sn, false) == INV);
    CHECK(pp_set_var_godot3_lossy(NULL, true) == INV);
    CHECK(pp_set_var_godot3_lossy(a, true) == PP_OK);
    CHECK(pp_put_var(a, sn, false) == PP_OK);
    CHECK(pp_get_var(b, false, &got) == PP_OK);
    CHECK(pp_variant_get_type(got) == PP_VARIANT_TYPE_STRING);
    pp_variant_free(got);
    (void)n;

    pp_variant_free(arr);
    pp_variant_free(one);
    pp_variant_free(sn);
    pp_peer_free(a);
    pp_peer_free(b);
    return 0;
}

int main(void) {
    int failed = 0;
    failed += golden();
    failed += refusals();
    failed += translation();
    failed += peer_dialect();
    if (failed) {
        fprintf(stderr, "%d section(s) failed\n", failed);
        return 1;
    }
    printf("test_godot3: all passed\n");
    return 0;
}
