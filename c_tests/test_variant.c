/*
 * C ABI tests of the pp_variant API: every constructor and getter, wrong-type getters, NULL
 * arguments, _free(NULL), borrowed views, containers, duplicate/equal/to_string, the codec handle,
 * and golden bytes from the engine's format (docs/wire-format.md §18).
 *
 * Each section returns 0 on success; main runs them all and reports every failing section.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "packetpeer.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
    __FILE__, __LINE__, #c); return 1; } } while (0)

#define INV PP_ERR_INVALID_PARAMETER
#define RANGE PP_ERR_PARAMETER_RANGE_ERROR

static pp_variant *mk_int(int64_t i) {
    pp_variant *v = NULL;
    return pp_variant_new_int(i, &v) == PP_OK ? v : NULL;
}

static pp_variant *mk_str(const char *s) {
    pp_variant *v = NULL;
    return pp_variant_new_string(s, &v) == PP_OK ? v : NULL;
}

static int view_is(const char *data, size_t len, const char *want) {
    return data != NULL && len == strlen(want) && memcmp(data, want, len) == 0;
}

/* Encodes v with default options and compares with the expected bytes. */
static int encodes_as(const pp_variant *v, const uint8_t *want, size_t want_len) {
    uint8_t *data = NULL;
    size_t len = 0;
    int same;
    if (pp_var_to_bytes(v, false, &data, &len) != PP_OK) return 0;
    same = len == want_len && memcmp(data, want, len) == 0;
    if (!same) {
        size_t i;
        fprintf(stderr, "  got:");
        for (i = 0; i < len; i++) fprintf(stderr, " %02x", data[i]);
        fprintf(stderr, "\n");
    }
    pp_bytes_free(data, len);
    return same;
}

/* Decodes want and checks it equals v. */
static int decodes_as(const uint8_t *bytes, size_t len, const pp_variant *v) {
    pp_variant *back = NULL;
    int same;
    if (pp_bytes_to_var(bytes, len, false, &back) != PP_OK) return 0;
    same = pp_variant_equal(back, v);
    pp_variant_free(back);
    return same;
}

static int test_scalars(void) {
    pp_variant *v = NULL, *i = NULL;
    bool b = false;
    int64_t n = 0;
    double f = 0;
    uint64_t id = 0;
    const char *data = NULL;
    size_t len = 0;
    char buf[16];

    CHECK(pp_variant_new_nil(&v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_NIL);
    CHECK(pp_variant_get_bool(v, &b) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_nil(NULL) == INV);

    CHECK(pp_variant_new_bool(true, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_BOOL);
    CHECK(pp_variant_get_bool(v, &b) == PP_OK && b);
    CHECK(pp_variant_get_bool(v, NULL) == INV);
    CHECK(pp_variant_get_bool(NULL, &b) == INV);
    CHECK(pp_variant_get_int(v, &n) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_bool(true, NULL) == INV);

    CHECK(pp_variant_new_int(INT64_MIN, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_INT);
    CHECK(pp_variant_get_int(v, &n) == PP_OK && n == INT64_MIN);
    CHECK(pp_variant_get_int(v, NULL) == INV);
    CHECK(pp_variant_get_int(NULL, &n) == INV);
    CHECK(pp_variant_get_float(v, &f) == INV);
    i = v;
    CHECK(pp_variant_new_int(1, NULL) == INV);

    CHECK(pp_variant_new_float(-0.5, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_FLOAT);
    CHECK(pp_variant_get_float(v, &f) == PP_OK && f == -0.5);
    CHECK(pp_variant_get_float(v, NULL) == INV);
    CHECK(pp_variant_get_float(NULL, &f) == INV);
    CHECK(pp_variant_get_int(v, &n) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_float(1.0, NULL) == INV);

    /* STRING: borrowed view (not NUL-terminated) and copy (NUL-terminated). */
    CHECK(pp_variant_new_string("h\xc3\xa9llo", &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_STRING);
    CHECK(pp_variant_get_string(v, &data, &len) == PP_OK && view_is(data, len, "h\xc3\xa9llo"));
    CHECK(pp_variant_get_string(v, NULL, &len) == INV);
    CHECK(pp_variant_get_string(v, &data, NULL) == INV);
    CHECK(pp_variant_get_string(NULL, &data, &len) == INV);
    CHECK(pp_variant_get_string(i, &data, &len) == INV);
    CHECK(pp_variant_get_string_copy(v, buf, sizeof buf, &len) == PP_OK);
    CHECK(strcmp(buf, "h\xc3\xa9llo") == 0 && len == 6);
    CHECK(pp_variant_get_string_copy(v, buf, 6, &len) == RANGE && len == 6);
    CHECK(pp_variant_get_string_copy(v, NULL, 0, &len) == RANGE && len == 6);
    CHECK(pp_variant_get_string_copy(v, buf, 7, NULL) == PP_OK);
    CHECK(pp_variant_get_string_copy(v, NULL, 7, &len) == INV);
    CHECK(pp_variant_get_string_copy(NULL, buf, sizeof buf, &len) == INV);
    CHECK(pp_variant_get_string_copy(i, buf, sizeof buf, &len) == INV);
    CHECK(pp_variant_get_string_copy(v, buf, (size_t)INT32_MAX + 1, &len) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_string(NULL, &v) == INV);
    CHECK(pp_variant_new_string("a", NULL) == INV);
    CHECK(pp_variant_new_string("\xff", &v) == INV);
    CHECK(pp_variant_new_string_n("abc", 2, &v) == PP_OK);
    CHECK(pp_variant_get_string(v, &data, &len) == PP_OK && view_is(data, len, "ab"));
    pp_variant_free(v);
    CHECK(pp_variant_new_string_n(NULL, 0, &v) == PP_OK);
    CHECK(pp_variant_get_string(v, &data, &len) == PP_OK && len == 0 && data != NULL);
    pp_variant_free(v);
    CHECK(pp_variant_new_string_n(NULL, 1, &v) == INV);
    CHECK(pp_variant_new_string_n("a\0b", 3, &v) == INV);
    CHECK(pp_variant_new_string_n("a", (size_t)INT32_MAX + 1, &v) == INV);
    CHECK(pp_variant_new_string_n("a", 1, NULL) == INV);

    /* STRING_NAME */
    CHECK(pp_variant_new_string_name("sn", &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_STRING_NAME);
    CHECK(pp_variant_get_string_name(v, &data, &len) == PP_OK && view_is(data, len, "sn"));
    CHECK(pp_variant_get_string(v, &data, &len) == INV);
    CHECK(pp_variant_get_string_name(NULL, &data, &len) == INV);
    CHECK(pp_variant_get_string_name(v, NULL, &len) == INV);
    CHECK(pp_variant_get_string_name(v, &data, NULL) == INV);
    CHECK(pp_variant_get_string_name(i, &data, &len) == INV);
    CHECK(pp_variant_get_string_name_copy(v, buf, sizeof buf, &len) == PP_OK && strcmp(buf, "sn") == 0);
    CHECK(pp_variant_get_string_name_copy(v, buf, 2, &len) == RANGE && len == 2);
    CHECK(pp_variant_get_string_name_copy(NULL, buf, sizeof buf, &len) == INV);
    CHECK(pp_variant_get_string_name_copy(i, buf, sizeof buf, &len) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_string_name(NULL, &v) == INV);
    CHECK(pp_variant_new_string_name("a", NULL) == INV);
    CHECK(pp_variant_new_string_name_n("xyz", 3, &v) == PP_OK);
    CHECK(pp_variant_get_string_name(v, &data, &len) == PP_OK && view_is(data, len, "xyz"));
    pp_variant_free(v);
    CHECK(pp_variant_new_string_name_n(NULL, 2, &v) == INV);
    CHECK(pp_variant_new_string_name_n("a", 1, NULL) == INV);

    /* RID, CALLABLE, SIGNAL */
    CHECK(pp_variant_new_rid(77, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_RID);
    CHECK(pp_variant_get_rid(v, &id) == PP_OK && id == 77);
    CHECK(pp_variant_get_rid(v, NULL) == INV);
    CHECK(pp_variant_get_rid(NULL, &id) == INV);
    CHECK(pp_variant_get_rid(i, &id) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_rid(1, NULL) == INV);

    CHECK(pp_variant_new_callable(&v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_CALLABLE);
    pp_variant_free(v);
    CHECK(pp_variant_new_callable(NULL) == INV);

    CHECK(pp_variant_new_signal("done", 1234, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_SIGNAL);
    CHECK(pp_variant_get_signal(v, &data, &len, &id) == PP_OK);
    CHECK(view_is(data, len, "done") && id == 1234);
    CHECK(pp_variant_get_signal(v, NULL, &len, &id) == INV);
    CHECK(pp_variant_get_signal(v, &data, NULL, &id) == INV);
    CHECK(pp_variant_get_signal(v, &data, &len, NULL) == INV);
    CHECK(pp_variant_get_signal(NULL, &data, &len, &id) == INV);
    CHECK(pp_variant_get_signal(i, &data, &len, &id) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_signal(NULL, 1, &v) == INV);
    CHECK(pp_variant_new_signal("s", 1, NULL) == INV);

    pp_variant_free(i);
    return 0;
}

/* Constructor/getter pairs of the math types with explicit components. */
static int test_math(void) {
    pp_variant *v = NULL, *i = mk_int(1);
    double d[16];
    int32_t n[4];
    float c[4];
    double in[16];
    int k;

    CHECK(i != NULL);
    CHECK(pp_variant_new_vector2(1.5, -2, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_VECTOR2);
    CHECK(pp_variant_get_vector2(v, &d[0], &d[1]) == PP_OK && d[0] == 1.5 && d[1] == -2);
    CHECK(pp_variant_get_vector2(v, NULL, &d[1]) == INV);
    CHECK(pp_variant_get_vector2(v, &d[0], NULL) == INV);
    CHECK(pp_variant_get_vector2(NULL, &d[0], &d[1]) == INV);
    CHECK(pp_variant_get_vector2(i, &d[0], &d[1]) == INV);
    CHECK(pp_variant_get_vector2i(v, &n[0], &n[1]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_vector2(0, 0, NULL) == INV);

    CHECK(pp_variant_new_vector2i(3, -4, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_VECTOR2I);
    CHECK(pp_variant_get_vector2i(v, &n[0], &n[1]) == PP_OK && n[0] == 3 && n[1] == -4);
    CHECK(pp_variant_get_vector2i(v, NULL, &n[1]) == INV);
    CHECK(pp_variant_get_vector2i(NULL, &n[0], &n[1]) == INV);
    CHECK(pp_variant_get_vector2i(i, &n[0], &n[1]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_vector2i(0, 0, NULL) == INV);

    CHECK(pp_variant_new_rect2(1, 2, 3, 4, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_RECT2);
    CHECK(pp_variant_get_rect2(v, &d[0], &d[1], &d[2], &d[3]) == PP_OK);
    CHECK(d[0] == 1 && d[1] == 2 && d[2] == 3 && d[3] == 4);
    CHECK(pp_variant_get_rect2(v, &d[0], &d[1], &d[2], NULL) == INV);
    CHECK(pp_variant_get_rect2(NULL, &d[0], &d[1], &d[2], &d[3]) == INV);
    CHECK(pp_variant_get_rect2(i, &d[0], &d[1], &d[2], &d[3]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_rect2(0, 0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_rect2i(-1, -2, 3, 4, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_RECT2I);
    CHECK(pp_variant_get_rect2i(v, &n[0], &n[1], &n[2], &n[3]) == PP_OK);
    CHECK(n[0] == -1 && n[1] == -2 && n[2] == 3 && n[3] == 4);
    CHECK(pp_variant_get_rect2i(v, NULL, &n[1], &n[2], &n[3]) == INV);
    CHECK(pp_variant_get_rect2i(NULL, &n[0], &n[1], &n[2], &n[3]) == INV);
    CHECK(pp_variant_get_rect2i(i, &n[0], &n[1], &n[2], &n[3]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_rect2i(0, 0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_vector3(1, 2, 3, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_VECTOR3);
    CHECK(pp_variant_get_vector3(v, &d[0], &d[1], &d[2]) == PP_OK && d[2] == 3);
    CHECK(pp_variant_get_vector3(v, &d[0], NULL, &d[2]) == INV);
    CHECK(pp_variant_get_vector3(NULL, &d[0], &d[1], &d[2]) == INV);
    CHECK(pp_variant_get_vector3(i, &d[0], &d[1], &d[2]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_vector3(0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_vector3i(1, 2, 3, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_VECTOR3I);
    CHECK(pp_variant_get_vector3i(v, &n[0], &n[1], &n[2]) == PP_OK && n[1] == 2);
    CHECK(pp_variant_get_vector3i(v, &n[0], &n[1], NULL) == INV);
    CHECK(pp_variant_get_vector3i(NULL, &n[0], &n[1], &n[2]) == INV);
    CHECK(pp_variant_get_vector3i(i, &n[0], &n[1], &n[2]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_vector3i(0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_vector4(1, 2, 3, 4, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_VECTOR4);
    CHECK(pp_variant_get_vector4(v, &d[0], &d[1], &d[2], &d[3]) == PP_OK && d[3] == 4);
    CHECK(pp_variant_get_vector4(v, &d[0], &d[1], &d[2], NULL) == INV);
    CHECK(pp_variant_get_vector4(NULL, &d[0], &d[1], &d[2], &d[3]) == INV);
    CHECK(pp_variant_get_vector4(i, &d[0], &d[1], &d[2], &d[3]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_vector4(0, 0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_vector4i(1, 2, 3, 4, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_VECTOR4I);
    CHECK(pp_variant_get_vector4i(v, &n[0], &n[1], &n[2], &n[3]) == PP_OK && n[3] == 4);
    CHECK(pp_variant_get_vector4i(v, NULL, &n[1], &n[2], &n[3]) == INV);
    CHECK(pp_variant_get_vector4i(NULL, &n[0], &n[1], &n[2], &n[3]) == INV);
    CHECK(pp_variant_get_vector4i(i, &n[0], &n[1], &n[2], &n[3]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_vector4i(0, 0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_plane(0, 1, 0, 5, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_PLANE);
    CHECK(pp_variant_get_plane(v, &d[0], &d[1], &d[2], &d[3]) == PP_OK && d[1] == 1 && d[3] == 5);
    CHECK(pp_variant_get_plane(v, &d[0], &d[1], NULL, &d[3]) == INV);
    CHECK(pp_variant_get_plane(NULL, &d[0], &d[1], &d[2], &d[3]) == INV);
    CHECK(pp_variant_get_plane(i, &d[0], &d[1], &d[2], &d[3]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_plane(0, 0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_quaternion(0, 0, 0, 1, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_QUATERNION);
    CHECK(pp_variant_get_quaternion(v, &d[0], &d[1], &d[2], &d[3]) == PP_OK && d[3] == 1);
    CHECK(pp_variant_get_quaternion(v, NULL, &d[1], &d[2], &d[3]) == INV);
    CHECK(pp_variant_get_quaternion(NULL, &d[0], &d[1], &d[2], &d[3]) == INV);
    CHECK(pp_variant_get_quaternion(i, &d[0], &d[1], &d[2], &d[3]) == INV);
    CHECK(pp_variant_get_vector4(v, &d[0], &d[1], &d[2], &d[3]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_quaternion(0, 0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_aabb(1, 2, 3, 4, 5, 6, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_AABB);
    CHECK(pp_variant_get_aabb(v, &d[0], &d[1], &d[2], &d[3], &d[4], &d[5]) == PP_OK);
    CHECK(d[0] == 1 && d[5] == 6);
    CHECK(pp_variant_get_aabb(v, &d[0], &d[1], &d[2], &d[3], &d[4], NULL) == INV);
    CHECK(pp_variant_get_aabb(NULL, &d[0], &d[1], &d[2], &d[3], &d[4], &d[5]) == INV);
    CHECK(pp_variant_get_aabb(i, &d[0], &d[1], &d[2], &d[3], &d[4], &d[5]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_aabb(0, 0, 0, 0, 0, 0, NULL) == INV);

    CHECK(pp_variant_new_color(1.0f, 0.5f, 0.25f, 1.0f, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_COLOR);
    CHECK(pp_variant_get_color(v, &c[0], &c[1], &c[2], &c[3]) == PP_OK && c[1] == 0.5f && c[2] == 0.25f);
    CHECK(pp_variant_get_color(v, &c[0], &c[1], &c[2], NULL) == INV);
    CHECK(pp_variant_get_color(NULL, &c[0], &c[1], &c[2], &c[3]) == INV);
    CHECK(pp_variant_get_color(i, &c[0], &c[1], &c[2], &c[3]) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_color(0, 0, 0, 0, NULL) == INV);

    /* Matrix types: arrays in wire order. */
    for (k = 0; k < 16; k++) in[k] = k + 1;
    CHECK(pp_variant_new_transform2d(in, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_TRANSFORM2D);
    memset(d, 0, sizeof d);
    CHECK(pp_variant_get_transform2d(v, d) == PP_OK && memcmp(d, in, 6 * sizeof(double)) == 0 && d[6] == 0);
    CHECK(pp_variant_get_transform2d(v, NULL) == INV);
    CHECK(pp_variant_get_transform2d(NULL, d) == INV);
    CHECK(pp_variant_get_transform2d(i, d) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_transform2d(NULL, &v) == INV);
    CHECK(pp_variant_new_transform2d(in, NULL) == INV);

    CHECK(pp_variant_new_basis(in, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_BASIS);
    memset(d, 0, sizeof d);
    CHECK(pp_variant_get_basis(v, d) == PP_OK && memcmp(d, in, 9 * sizeof(double)) == 0 && d[9] == 0);
    CHECK(pp_variant_get_basis(v, NULL) == INV);
    CHECK(pp_variant_get_basis(NULL, d) == INV);
    CHECK(pp_variant_get_basis(i, d) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_basis(NULL, &v) == INV);
    CHECK(pp_variant_new_basis(in, NULL) == INV);

    CHECK(pp_variant_new_transform3d(in, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_TRANSFORM3D);
    memset(d, 0, sizeof d);
    CHECK(pp_variant_get_transform3d(v, d) == PP_OK && memcmp(d, in, 12 * sizeof(double)) == 0 && d[12] == 0);
    CHECK(pp_variant_get_transform3d(v, NULL) == INV);
    CHECK(pp_variant_get_transform3d(NULL, d) == INV);
    CHECK(pp_variant_get_transform3d(i, d) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_transform3d(NULL, &v) == INV);
    CHECK(pp_variant_new_transform3d(in, NULL) == INV);

    CHECK(pp_variant_new_projection(in, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_PROJECTION);
    memset(d, 0, sizeof d);
    CHECK(pp_variant_get_projection(v, d) == PP_OK && memcmp(d, in, 16 * sizeof(double)) == 0);
    CHECK(pp_variant_get_projection(v, NULL) == INV);
    CHECK(pp_variant_get_projection(NULL, d) == INV);
    CHECK(pp_variant_get_projection(i, d) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_projection(NULL, &v) == INV);
    CHECK(pp_variant_new_projection(in, NULL) == INV);

    pp_variant_free(i);
    return 0;
}

static int test_node_path(void) {
    pp_variant *v = NULL, *w = NULL, *i = mk_int(1);
    const char *names[] = {"root", "Player"};
    const char *subs[] = {"position", "x"};
    const char *bad[] = {"a", NULL};
    const char *data = NULL;
    size_t len = 0, count = 0;
    bool abs_ = false;
    char buf[64];

    CHECK(i != NULL);
    CHECK(pp_variant_new_node_path("/root/Player:position:x", &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_NODE_PATH);
    CHECK(pp_variant_node_path_get_name_count(v, &count) == PP_OK && count == 2);
    CHECK(pp_variant_node_path_get_subname_count(v, &count) == PP_OK && count == 2);
    CHECK(pp_variant_node_path_is_absolute(v, &abs_) == PP_OK && abs_);
    CHECK(pp_variant_node_path_get_name(v, 1, &data, &len) == PP_OK && view_is(data, len, "Player"));
    CHECK(pp_variant_node_path_get_subname(v, 0, &data, &len) == PP_OK && view_is(data, len, "position"));
    CHECK(pp_variant_node_path_get_name(v, 2, &data, &len) == RANGE);
    CHECK(pp_variant_node_path_get_subname(v, 2, &data, &len) == RANGE);
    CHECK(pp_variant_get_node_path(v, buf, sizeof buf, &len) == PP_OK);
    CHECK(strcmp(buf, "/root/Player:position:x") == 0 && len == 23);
    CHECK(pp_variant_get_node_path(v, buf, 23, &len) == RANGE && len == 23);

    CHECK(pp_variant_new_node_path_parts(names, 2, subs, 2, true, &w) == PP_OK);
    CHECK(pp_variant_equal(v, w));
    pp_variant_free(w);
    CHECK(pp_variant_new_node_path_parts(NULL, 0, NULL, 0, false, &w) == PP_OK);
    CHECK(pp_variant_get_node_path(w, buf, sizeof buf, &len) == PP_OK && len == 0 && buf[0] == 0);
    pp_variant_free(w);

    /* Bad arguments. */
    CHECK(pp_variant_new_node_path(NULL, &w) == INV);
    CHECK(pp_variant_new_node_path("a", NULL) == INV);
    CHECK(pp_variant_new_node_path("a::b", &w) == INV);
    CHECK(pp_variant_new_node_path_parts(NULL, 1, NULL, 0, false, &w) == INV);
    CHECK(pp_variant_new_node_path_parts(names, 2, NULL, 1, false, &w) == INV);
    CHECK(pp_variant_new_node_path_parts(bad, 2, NULL, 0, false, &w) == INV);
    CHECK(pp_variant_new_node_path_parts(names, 2, subs, 2, false, NULL) == INV);
    CHECK(pp_variant_new_node_path_parts(names, (size_t)INT32_MAX + 1, NULL, 0, false, &w) == INV);
    CHECK(pp_variant_get_node_path(NULL, buf, sizeof buf, &len) == INV);
    CHECK(pp_variant_get_node_path(i, buf, sizeof buf, &len) == INV);
    CHECK(pp_variant_get_node_path(v, NULL, 4, &len) == INV);
    CHECK(pp_variant_node_path_get_name_count(NULL, &count) == INV);
    CHECK(pp_variant_node_path_get_name_count(v, NULL) == INV);
    CHECK(pp_variant_node_path_get_name_count(i, &count) == INV);
    CHECK(pp_variant_node_path_get_subname_count(NULL, &count) == INV);
    CHECK(pp_variant_node_path_get_subname_count(v, NULL) == INV);
    CHECK(pp_variant_node_path_get_name(NULL, 0, &data, &len) == INV);
    CHECK(pp_variant_node_path_get_name(v, 0, NULL, &len) == INV);
    CHECK(pp_variant_node_path_get_name(v, 0, &data, NULL) == INV);
    CHECK(pp_variant_node_path_get_name(i, 0, &data, &len) == INV);
    CHECK(pp_variant_node_path_get_subname(NULL, 0, &data, &len) == INV);
    CHECK(pp_variant_node_path_get_subname(v, 0, NULL, &len) == INV);
    CHECK(pp_variant_node_path_get_subname(v, 0, &data, NULL) == INV);
    CHECK(pp_variant_node_path_is_absolute(NULL, &abs_) == INV);
    CHECK(pp_variant_node_path_is_absolute(v, NULL) == INV);
    CHECK(pp_variant_node_path_is_absolute(i, &abs_) == INV);

    pp_variant_free(v);
    pp_variant_free(i);
    return 0;
}

static int test_object(void) {
    pp_variant *v = NULL, *p = NULL, *i = mk_int(5), *path = mk_str("res://a.gd"), *bad = mk_str("a.gd");
    pp_object_kind kind = PP_OBJECT_KIND_FULL;
    uint64_t id = 1;
    const char *data = NULL;
    size_t len = 0, count = 0;
    int64_t n = 0;

    CHECK(i != NULL && path != NULL && bad != NULL);
    CHECK(pp_variant_new_object_null(&v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_OBJECT);
    CHECK(pp_variant_get_object_kind(v, &kind) == PP_OK && kind == PP_OBJECT_KIND_NULL);
    CHECK(pp_variant_get_object_id(v, &id) == PP_OK && id == 0);
    CHECK(pp_variant_get_object_class(v, &data, &len) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_object_null(NULL) == INV);

    CHECK(pp_variant_new_object_id(1234, &v) == PP_OK);
    CHECK(pp_variant_get_object_kind(v, &kind) == PP_OK && kind == PP_OBJECT_KIND_ID);
    CHECK(pp_variant_get_object_id(v, &id) == PP_OK && id == 1234);
    CHECK(pp_variant_object_get_property_count(v, &count) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_object_id(0, &v) == PP_OK);
    CHECK(pp_variant_get_object_kind(v, &kind) == PP_OK && kind == PP_OBJECT_KIND_NULL);
    pp_variant_free(v);
    CHECK(pp_variant_new_object_id(1, NULL) == INV);

    CHECK(pp_variant_new_object_full("Node2D", &v) == PP_OK);
    CHECK(pp_variant_get_object_kind(v, &kind) == PP_OK && kind == PP_OBJECT_KIND_FULL);
    CHECK(pp_variant_get_object_id(v, &id) == INV);
    CHECK(pp_variant_get_object_class(v, &data, &len) == PP_OK && view_is(data, len, "Node2D"));
    CHECK(pp_variant_object_set_property(v, "z_index", i) == PP_OK);
    CHECK(pp_variant_object_set_property(v, "script", path) == PP_OK);
    CHECK(pp_variant_object_set_property(v, "script", bad) == INV);
    CHECK(pp_variant_object_set_property(v, "script", i) == INV);
    CHECK(pp_variant_object_set_property(v, "", i) == INV);
    CHECK(pp_variant_object_set_property(v, "self", v) == PP_OK);
    CHECK(pp_variant_object_get_property_count(v, &count) == PP_OK && count == 3);
    CHECK(pp_variant_object_get_property_name(v, 1, &data, &len) == PP_OK && view_is(data, len, "script"));
    CHECK(pp_variant_object_get_property_name(v, 3, &data, &len) == RANGE);
    CHECK(pp_variant_object_get_property_value(v, 0, &p) == PP_OK);
    CHECK(pp_variant_get_int(p, &n) == PP_OK && n == 5);
    pp_variant_free(p);
    CHECK(pp_variant_object_get_property_value(v, 3, &p) == RANGE);
    CHECK(pp_variant_object_get_property(v, "script", &p) == PP_OK);
    CHECK(pp_variant_equal(p, path));
    pp_variant_free(p);
    CHECK(pp_variant_object_get_property(v, "missing", &p) == PP_ERR_DOES_NOT_EXIST);

    /* NULL and wrong types. */
    CHECK(pp_variant_new_object_full(NULL, &p) == INV);
    CHECK(pp_variant_new_object_full("", &p) == INV);
    CHECK(pp_variant_new_object_full("Node", NULL) == INV);
    CHECK(pp_variant_object_set_property(NULL, "a", i) == INV);
    CHECK(pp_variant_object_set_property(v, NULL, i) == INV);
    CHECK(pp_variant_object_set_property(v, "a", NULL) == INV);
    CHECK(pp_variant_object_set_property(i, "a", i) == INV);
    CHECK(pp_variant_get_object_kind(NULL, &kind) == INV);
    CHECK(pp_variant_get_object_kind(v, NULL) == INV);
    CHECK(pp_variant_get_object_kind(i, &kind) == INV);
    CHECK(pp_variant_get_object_id(NULL, &id) == INV);
    CHECK(pp_variant_get_object_id(i, &id) == INV);
    CHECK(pp_variant_get_object_class(NULL, &data, &len) == INV);
    CHECK(pp_variant_get_object_class(v, NULL, &len) == INV);
    CHECK(pp_variant_get_object_class(v, &data, NULL) == INV);
    CHECK(pp_variant_object_get_property_count(NULL, &count) == INV);
    CHECK(pp_variant_object_get_property_count(v, NULL) == INV);
    CHECK(pp_variant_object_get_property_name(NULL, 0, &data, &len) == INV);
    CHECK(pp_variant_object_get_property_name(v, 0, NULL, &len) == INV);
    CHECK(pp_variant_object_get_property_name(v, 0, &data, NULL) == INV);
    CHECK(pp_variant_object_get_property_value(NULL, 0, &p) == INV);
    CHECK(pp_variant_object_get_property_value(v, 0, NULL) == INV);
    CHECK(pp_variant_object_get_property(NULL, "a", &p) == INV);
    CHECK(pp_variant_object_get_property(v, NULL, &p) == INV);
    CHECK(pp_variant_object_get_property(v, "script", NULL) == INV);
    CHECK(pp_variant_object_get_property(i, "a", &p) == INV);

    pp_variant_free(v);
    pp_variant_free(i);
    pp_variant_free(path);
    pp_variant_free(bad);
    return 0;
}

static int test_array(void) {
    pp_variant *a = NULL, *e = NULL, *one = mk_int(1), *s = mk_str("x");
    size_t n = 0, len = 0;
    int64_t k = 0;
    pp_container_kind kind = PP_CONTAINER_KIND_NONE;
    pp_variant_type bt = PP_VARIANT_TYPE_NIL;
    const char *name = NULL;

    CHECK(one != NULL && s != NULL);
    CHECK(pp_variant_new_array(&a) == PP_OK);
    CHECK(pp_variant_get_type(a) == PP_VARIANT_TYPE_ARRAY);
    CHECK(pp_variant_array_size(a, &n) == PP_OK && n == 0);
    CHECK(pp_variant_array_append(a, one) == PP_OK);
    CHECK(pp_variant_array_append(a, s) == PP_OK);
    CHECK(pp_variant_array_append(a, a) == PP_OK); /* a copy of [1, "x"] */
    CHECK(pp_variant_array_size(a, &n) == PP_OK && n == 3);
    CHECK(pp_variant_array_get(a, 0, &e) == PP_OK);
    CHECK(pp_variant_get_int(e, &k) == PP_OK && k == 1);
    pp_variant_free(e);
    CHECK(pp_variant_array_get(a, 2, &e) == PP_OK);
    CHECK(pp_variant_array_size(e, &n) == PP_OK && n == 2);
    /* Element copies are independent of the container. */
    CHECK(pp_variant_array_append(e, one) == PP_OK);
    pp_variant_free(e);
    CHECK(pp_variant_array_get(a, 2, &e) == PP_OK);
    CHECK(pp_variant_array_size(e, &n) == PP_OK && n == 2);
    pp_variant_free(e);
    CHECK(pp_variant_array_get(a, 3, &e) == RANGE);
    CHECK(pp_variant_array_set(a, 1, one) == PP_OK);
    CHECK(pp_variant_array_set(a, 3, one) == RANGE);
    CHECK(pp_variant_array_remove_at(a, 2) == PP_OK);
    CHECK(pp_variant_array_remove_at(a, 2) == RANGE);
    CHECK(pp_variant_array_get_typed(a, &kind, &bt, &name, &len) == PP_OK);
    CHECK(kind == PP_CONTAINER_KIND_NONE && bt == PP_VARIANT_TYPE_NIL && len == 0);

    /* Typed: existing elements must match; later ones too. */
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_STRING, NULL) == INV);
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_INT, NULL) == PP_OK);
    CHECK(pp_variant_array_append(a, s) == INV);
    CHECK(pp_variant_array_set(a, 0, s) == INV);
    CHECK(pp_variant_array_get_typed(a, &kind, &bt, &name, &len) == PP_OK);
    CHECK(kind == PP_CONTAINER_KIND_BUILTIN && bt == PP_VARIANT_TYPE_INT);
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_NIL, NULL) == INV);
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_MAX, NULL) == INV);
    CHECK(pp_variant_array_set_typed(a, 4, 0, NULL) == INV);
    CHECK(pp_variant_array_set_typed(a, -1, 0, NULL) == INV);
    CHECK(pp_variant_array_clear(a) == PP_OK);
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_CLASS, 0, NULL) == INV);
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_SCRIPT, 0, "player.gd") == INV);
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_SCRIPT, 0, "res://player.gd") == PP_OK);
    CHECK(pp_variant_array_get_typed(a, &kind, &bt, &name, &len) == PP_OK);
    CHECK(kind == PP_CONTAINER_KIND_SCRIPT && bt == PP_VARIANT_TYPE_OBJECT && view_is(name, len, "res://player.gd"));
    CHECK(pp_variant_array_append(a, one) == INV);
    CHECK(pp_variant_array_set_typed(a, PP_CONTAINER_KIND_NONE, 0, NULL) == PP_OK);

    /* NULL and wrong types. */
    CHECK(pp_variant_new_array(NULL) == INV);
    CHECK(pp_variant_array_size(NULL, &n) == INV);
    CHECK(pp_variant_array_size(a, NULL) == INV);
    CHECK(pp_variant_array_size(one, &n) == INV);
    CHECK(pp_variant_array_get(NULL, 0, &e) == INV);
    CHECK(pp_variant_array_get(a, 0, NULL) == INV);
    CHECK(pp_variant_array_get(one, 0, &e) == INV);
    CHECK(pp_variant_array_get(a, (size_t)INT32_MAX + 1, &e) == INV);
    CHECK(pp_variant_array_set(NULL, 0, one) == INV);
    CHECK(pp_variant_array_set(a, 0, NULL) == INV);
    CHECK(pp_variant_array_set(one, 0, one) == INV);
    CHECK(pp_variant_array_append(NULL, one) == INV);
    CHECK(pp_variant_array_append(a, NULL) == INV);
    CHECK(pp_variant_array_append(one, one) == INV);
    CHECK(pp_variant_array_remove_at(NULL, 0) == INV);
    CHECK(pp_variant_array_remove_at(one, 0) == INV);
    CHECK(pp_variant_array_clear(NULL) == INV);
    CHECK(pp_variant_array_clear(one) == INV);
    CHECK(pp_variant_array_set_typed(NULL, 0, 0, NULL) == INV);
    CHECK(pp_variant_array_set_typed(one, 0, 0, NULL) == INV);
    CHECK(pp_variant_array_get_typed(NULL, &kind, &bt, &name, &len) == INV);
    CHECK(pp_variant_array_get_typed(a, NULL, &bt, &name, &len) == INV);
    CHECK(pp_variant_array_get_typed(a, &kind, NULL, &name, &len) == INV);
    CHECK(pp_variant_array_get_typed(a, &kind, &bt, NULL, &len) == INV);
    CHECK(pp_variant_array_get_typed(a, &kind, &bt, &name, NULL) == INV);
    CHECK(pp_variant_array_get_typed(one, &kind, &bt, &name, &len) == INV);

    pp_variant_free(a);
    pp_variant_free(one);
    pp_variant_free(s);
    return 0;
}

static int test_dictionary(void) {
    pp_variant *d = NULL, *v = NULL, *one = mk_int(1), *two = mk_int(2), *k = mk_str("k"), *kn = NULL, *f1 = NULL;
    size_t n = 0, len = 0;
    bool has = false;
    int64_t x = 0;
    pp_container_kind kind = PP_CONTAINER_KIND_NONE;
    pp_variant_type bt = PP_VARIANT_TYPE_NIL;
    const char *name = NULL;

    CHECK(one != NULL && two != NULL && k != NULL);
    CHECK(pp_variant_new_string_name("k", &kn) == PP_OK);
    CHECK(pp_variant_new_float(1.0, &f1) == PP_OK);
    CHECK(pp_variant_new_dictionary(&d) == PP_OK);
    CHECK(pp_variant_get_type(d) == PP_VARIANT_TYPE_DICTIONARY);
    CHECK(pp_variant_dictionary_set(d, k, one) == PP_OK);
    CHECK(pp_variant_dictionary_set(d, one, two) == PP_OK);
    CHECK(pp_variant_dictionary_set(d, f1, one) == PP_OK); /* 1.0 is not 1 */
    CHECK(pp_variant_dictionary_set(d, kn, two) == PP_OK); /* &"k" is "k": overwrite */
    CHECK(pp_variant_dictionary_size(d, &n) == PP_OK && n == 3);
    CHECK(pp_variant_dictionary_get(d, k, &v) == PP_OK);
    CHECK(pp_variant_get_int(v, &x) == PP_OK && x == 2);
    pp_variant_free(v);
    CHECK(pp_variant_dictionary_has(d, kn, &has) == PP_OK && has);
    CHECK(pp_variant_dictionary_has(d, two, &has) == PP_OK && !has);
    CHECK(pp_variant_dictionary_get(d, two, &v) == PP_ERR_DOES_NOT_EXIST);
    /* Iteration in insertion order; the first key keeps its original type. */
    CHECK(pp_variant_dictionary_key_at(d, 0, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_STRING);
    pp_variant_free(v);
    CHECK(pp_variant_dictionary_value_at(d, 1, &v) == PP_OK);
    CHECK(pp_variant_get_int(v, &x) == PP_OK && x == 2);
    pp_variant_free(v);
    CHECK(pp_variant_dictionary_key_at(d, 3, &v) == RANGE);
    CHECK(pp_variant_dictionary_value_at(d, 3, &v) == RANGE);
    CHECK(pp_variant_dictionary_erase(d, f1) == PP_OK);
    CHECK(pp_variant_dictionary_erase(d, f1) == PP_ERR_DOES_NOT_EXIST);
    CHECK(pp_variant_dictionary_set(d, d, d) == PP_OK);
    CHECK(pp_variant_dictionary_size(d, &n) == PP_OK && n == 3);
    CHECK(pp_variant_dictionary_clear(d) == PP_OK);
    CHECK(pp_variant_dictionary_size(d, &n) == PP_OK && n == 0);

    /* Typed: Dictionary[String, int]. */
    CHECK(pp_variant_dictionary_set_typed(d, PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_STRING, NULL,
                                          PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_INT, NULL) == PP_OK);
    CHECK(pp_variant_dictionary_set(d, k, one) == PP_OK);
    CHECK(pp_variant_dictionary_set(d, one, one) == INV);
    CHECK(pp_variant_dictionary_set(d, k, k) == INV);
    CHECK(pp_variant_dictionary_get_typed_key(d, &kind, &bt, &name, &len) == PP_OK);
    CHECK(kind == PP_CONTAINER_KIND_BUILTIN && bt == PP_VARIANT_TYPE_STRING && len == 0);
    CHECK(pp_variant_dictionary_get_typed_value(d, &kind, &bt, &name, &len) == PP_OK);
    CHECK(kind == PP_CONTAINER_KIND_BUILTIN && bt == PP_VARIANT_TYPE_INT);
    CHECK(pp_variant_dictionary_set_typed(d, PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_INT, NULL,
                                          PP_CONTAINER_KIND_NONE, 0, NULL) == INV);
    CHECK(pp_variant_dictionary_set_typed(d, 0, 0, NULL, 9, 0, NULL) == INV);
    CHECK(pp_variant_dictionary_set_typed(d, 0, 0, NULL, PP_CONTAINER_KIND_CLASS, 0, "Node") == INV);
    CHECK(pp_variant_dictionary_clear(d) == PP_OK);
    CHECK(pp_variant_dictionary_set_typed(d, 0, 0, NULL, PP_CONTAINER_KIND_CLASS, 0, "Node") == PP_OK);
    CHECK(pp_variant_dictionary_get_typed_value(d, &kind, &bt, &name, &len) == PP_OK);
    CHECK(kind == PP_CONTAINER_KIND_CLASS && bt == PP_VARIANT_TYPE_OBJECT && view_is(name, len, "Node"));
    CHECK(pp_variant_dictionary_get_typed_key(d, &kind, &bt, &name, &len) == PP_OK && kind == PP_CONTAINER_KIND_NONE);

    /* NULL and wrong types. */
    CHECK(pp_variant_new_dictionary(NULL) == INV);
    CHECK(pp_variant_dictionary_size(NULL, &n) == INV);
    CHECK(pp_variant_dictionary_size(d, NULL) == INV);
    CHECK(pp_variant_dictionary_size(one, &n) == INV);
    CHECK(pp_variant_dictionary_set(NULL, k, one) == INV);
    CHECK(pp_variant_dictionary_set(d, NULL, one) == INV);
    CHECK(pp_variant_dictionary_set(d, k, NULL) == INV);
    CHECK(pp_variant_dictionary_set(one, k, one) == INV);
    CHECK(pp_variant_dictionary_get(NULL, k, &v) == INV);
    CHECK(pp_variant_dictionary_get(d, NULL, &v) == INV);
    CHECK(pp_variant_dictionary_get(d, k, NULL) == INV);
    CHECK(pp_variant_dictionary_get(one, k, &v) == INV);
    CHECK(pp_variant_dictionary_has(NULL, k, &has) == INV);
    CHECK(pp_variant_dictionary_has(d, NULL, &has) == INV);
    CHECK(pp_variant_dictionary_has(d, k, NULL) == INV);
    CHECK(pp_variant_dictionary_erase(NULL, k) == INV);
    CHECK(pp_variant_dictionary_erase(d, NULL) == INV);
    CHECK(pp_variant_dictionary_erase(one, k) == INV);
    CHECK(pp_variant_dictionary_clear(NULL) == INV);
    CHECK(pp_variant_dictionary_clear(one) == INV);
    CHECK(pp_variant_dictionary_key_at(NULL, 0, &v) == INV);
    CHECK(pp_variant_dictionary_key_at(d, 0, NULL) == INV);
    CHECK(pp_variant_dictionary_value_at(NULL, 0, &v) == INV);
    CHECK(pp_variant_dictionary_value_at(d, 0, NULL) == INV);
    CHECK(pp_variant_dictionary_set_typed(NULL, 0, 0, NULL, 0, 0, NULL) == INV);
    CHECK(pp_variant_dictionary_set_typed(one, 0, 0, NULL, 0, 0, NULL) == INV);
    CHECK(pp_variant_dictionary_get_typed_key(NULL, &kind, &bt, &name, &len) == INV);
    CHECK(pp_variant_dictionary_get_typed_key(d, NULL, &bt, &name, &len) == INV);
    CHECK(pp_variant_dictionary_get_typed_key(d, &kind, NULL, &name, &len) == INV);
    CHECK(pp_variant_dictionary_get_typed_key(d, &kind, &bt, NULL, &len) == INV);
    CHECK(pp_variant_dictionary_get_typed_key(d, &kind, &bt, &name, NULL) == INV);
    CHECK(pp_variant_dictionary_get_typed_value(NULL, &kind, &bt, &name, &len) == INV);
    CHECK(pp_variant_dictionary_get_typed_value(d, &kind, &bt, &name, NULL) == INV);
    CHECK(pp_variant_dictionary_get_typed_value(one, &kind, &bt, &name, &len) == INV);

    pp_variant_free(d);
    pp_variant_free(one);
    pp_variant_free(two);
    pp_variant_free(k);
    pp_variant_free(kn);
    pp_variant_free(f1);
    return 0;
}

/* The numeric packed arrays share one shape; this checks it for one element type. */
#define NUMERIC_PACKED(NAME, T, TYPE_ID, A, B)                                              \
    do {                                                                                    \
        T in_[2] = {A, B};                                                                  \
        const T *data_ = NULL;                                                              \
        T x_ = 0;                                                                           \
        size_t n_ = 0;                                                                      \
        pp_variant *v_ = NULL;                                                              \
        CHECK(pp_variant_new_##NAME(in_, 2, &v_) == PP_OK);                                 \
        CHECK(pp_variant_get_type(v_) == TYPE_ID);                                          \
        CHECK(pp_variant_get_##NAME(v_, &data_, &n_) == PP_OK && n_ == 2 && data_[1] == B); \
        CHECK(pp_variant_##NAME##_append(v_, A) == PP_OK);                                  \
        CHECK(pp_variant_##NAME##_get(v_, 2, &x_) == PP_OK && x_ == A);                     \
        CHECK(pp_variant_##NAME##_set(v_, 0, B) == PP_OK);                                  \
        CHECK(pp_variant_##NAME##_get(v_, 0, &x_) == PP_OK && x_ == B);                     \
        CHECK(pp_variant_##NAME##_get(v_, 3, &x_) == RANGE);                                \
        CHECK(pp_variant_##NAME##_set(v_, 3, A) == RANGE);                                  \
        CHECK(pp_variant_packed_array_size(v_, &n_) == PP_OK && n_ == 3);                   \
        CHECK(pp_variant_get_##NAME(v_, NULL, &n_) == INV);                                 \
        CHECK(pp_variant_get_##NAME(v_, &data_, NULL) == INV);                              \
        CHECK(pp_variant_get_##NAME(NULL, &data_, &n_) == INV);                             \
        CHECK(pp_variant_get_##NAME(other, &data_, &n_) == INV);                            \
        CHECK(pp_variant_##NAME##_append(NULL, A) == INV);                                  \
        CHECK(pp_variant_##NAME##_append(other, A) == INV);                                 \
        CHECK(pp_variant_##NAME##_get(NULL, 0, &x_) == INV);                                \
        CHECK(pp_variant_##NAME##_get(v_, 0, NULL) == INV);                                 \
        CHECK(pp_variant_##NAME##_get(other, 0, &x_) == INV);                               \
        CHECK(pp_variant_##NAME##_set(NULL, 0, A) == INV);                                  \
        CHECK(pp_variant_##NAME##_set(other, 0, A) == INV);                                 \
        pp_variant_free(v_);                                                                \
        CHECK(pp_variant_new_##NAME(NULL, 0, &v_) == PP_OK);                                \
        CHECK(pp_variant_get_##NAME(v_, &data_, &n_) == PP_OK && data_ == NULL && n_ == 0); \
        pp_variant_free(v_);                                                                \
        CHECK(pp_variant_new_##NAME(NULL, 1, &v_) == INV);                                  \
        CHECK(pp_variant_new_##NAME(in_, (size_t)INT32_MAX + 1, &v_) == INV);               \
        CHECK(pp_variant_new_##NAME(in_, 2, NULL) == INV);                                  \
    } while (0)

static int test_packed(void) {
    pp_variant *other = mk_str("not packed"), *v = NULL;
    const double xy[] = {1, 2, 3, 4};
    const double xyz[] = {1, 2, 3, 4, 5, 6};
    const double xyzw[] = {1, 2, 3, 4, 5, 6, 7, 8};
    const float rgba[] = {1, 0.5f, 0.25f, 1};
    const double *dd = NULL;
    const float *ff = NULL;
    double d[4];
    float c[4];
    size_t n = 0, len = 0;
    const char *strs[] = {"a", "bc"};
    const char *with_null[] = {"a", NULL};
    const char *data = NULL;
    char buf[8];

    CHECK(other != NULL);
    NUMERIC_PACKED(packed_byte_array, uint8_t, PP_VARIANT_TYPE_PACKED_BYTE_ARRAY, 7, 250);
    NUMERIC_PACKED(packed_int32_array, int32_t, PP_VARIANT_TYPE_PACKED_INT32_ARRAY, -5, INT32_MAX);
    NUMERIC_PACKED(packed_int64_array, int64_t, PP_VARIANT_TYPE_PACKED_INT64_ARRAY, INT64_MIN, 9);
    NUMERIC_PACKED(packed_float32_array, float, PP_VARIANT_TYPE_PACKED_FLOAT32_ARRAY, 0.5f, -2.0f);
    NUMERIC_PACKED(packed_float64_array, double, PP_VARIANT_TYPE_PACKED_FLOAT64_ARRAY, 0.1, 1e300);

    /* Vector arrays: flat component arrays. */
    CHECK(pp_variant_new_packed_vector2_array(xy, 2, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_PACKED_VECTOR2_ARRAY);
    CHECK(pp_variant_packed_vector2_array_append(v, 5, 6) == PP_OK);
    CHECK(pp_variant_get_packed_vector2_array(v, &dd, &n) == PP_OK && n == 3 && dd[3] == 4 && dd[5] == 6);
    CHECK(pp_variant_packed_vector2_array_get(v, 1, &d[0], &d[1]) == PP_OK && d[0] == 3 && d[1] == 4);
    CHECK(pp_variant_packed_vector2_array_set(v, 0, 9, 8) == PP_OK);
    CHECK(pp_variant_packed_vector2_array_get(v, 0, &d[0], &d[1]) == PP_OK && d[0] == 9);
    CHECK(pp_variant_packed_vector2_array_get(v, 3, &d[0], &d[1]) == RANGE);
    CHECK(pp_variant_packed_vector2_array_get(v, 0, &d[0], NULL) == INV);
    CHECK(pp_variant_packed_vector2_array_set(v, 3, 0, 0) == RANGE);
    CHECK(pp_variant_packed_vector2_array_append(NULL, 0, 0) == INV);
    CHECK(pp_variant_packed_vector2_array_append(other, 0, 0) == INV);
    CHECK(pp_variant_packed_vector2_array_get(NULL, 0, &d[0], &d[1]) == INV);
    CHECK(pp_variant_packed_vector2_array_set(NULL, 0, 0, 0) == INV);
    CHECK(pp_variant_get_packed_vector2_array(NULL, &dd, &n) == INV);
    CHECK(pp_variant_get_packed_vector2_array(v, NULL, &n) == INV);
    CHECK(pp_variant_get_packed_vector2_array(v, &dd, NULL) == INV);
    CHECK(pp_variant_get_packed_vector3_array(v, &dd, &n) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_packed_vector2_array(NULL, 1, &v) == INV);
    CHECK(pp_variant_new_packed_vector2_array(xy, 2, NULL) == INV);

    CHECK(pp_variant_new_packed_vector3_array(xyz, 2, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_PACKED_VECTOR3_ARRAY);
    CHECK(pp_variant_packed_vector3_array_append(v, 7, 8, 9) == PP_OK);
    CHECK(pp_variant_get_packed_vector3_array(v, &dd, &n) == PP_OK && n == 3 && dd[8] == 9);
    CHECK(pp_variant_packed_vector3_array_get(v, 1, &d[0], &d[1], &d[2]) == PP_OK && d[2] == 6);
    CHECK(pp_variant_packed_vector3_array_set(v, 1, 0, 0, 1) == PP_OK);
    CHECK(pp_variant_packed_vector3_array_get(v, 1, &d[0], &d[1], NULL) == INV);
    CHECK(pp_variant_packed_vector3_array_get(v, 3, &d[0], &d[1], &d[2]) == RANGE);
    CHECK(pp_variant_packed_vector3_array_set(NULL, 0, 0, 0, 0) == INV);
    CHECK(pp_variant_packed_vector3_array_append(other, 0, 0, 0) == INV);
    CHECK(pp_variant_packed_vector3_array_append(NULL, 0, 0, 0) == INV);
    CHECK(pp_variant_get_packed_vector3_array(NULL, &dd, &n) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_packed_vector3_array(xyz, 2, NULL) == INV);

    CHECK(pp_variant_new_packed_color_array(rgba, 1, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_PACKED_COLOR_ARRAY);
    CHECK(pp_variant_packed_color_array_append(v, 0, 0, 0, 1) == PP_OK);
    CHECK(pp_variant_get_packed_color_array(v, &ff, &n) == PP_OK && n == 2 && ff[2] == 0.25f && ff[7] == 1);
    CHECK(pp_variant_packed_color_array_get(v, 0, &c[0], &c[1], &c[2], &c[3]) == PP_OK && c[1] == 0.5f);
    CHECK(pp_variant_packed_color_array_set(v, 0, 1, 1, 1, 1) == PP_OK);
    CHECK(pp_variant_packed_color_array_get(v, 0, &c[0], &c[1], &c[2], NULL) == INV);
    CHECK(pp_variant_packed_color_array_get(v, 2, &c[0], &c[1], &c[2], &c[3]) == RANGE);
    CHECK(pp_variant_packed_color_array_set(NULL, 0, 0, 0, 0, 0) == INV);
    CHECK(pp_variant_packed_color_array_append(other, 0, 0, 0, 0) == INV);
    CHECK(pp_variant_packed_color_array_append(NULL, 0, 0, 0, 0) == INV);
    CHECK(pp_variant_get_packed_color_array(NULL, &ff, &n) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_packed_color_array(rgba, 1, NULL) == INV);

    CHECK(pp_variant_new_packed_vector4_array(xyzw, 2, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_PACKED_VECTOR4_ARRAY);
    CHECK(pp_variant_packed_vector4_array_append(v, 0, 0, 0, 1) == PP_OK);
    CHECK(pp_variant_get_packed_vector4_array(v, &dd, &n) == PP_OK && n == 3 && dd[7] == 8 && dd[11] == 1);
    CHECK(pp_variant_packed_vector4_array_get(v, 1, &d[0], &d[1], &d[2], &d[3]) == PP_OK && d[3] == 8);
    CHECK(pp_variant_packed_vector4_array_set(v, 1, 1, 1, 1, 1) == PP_OK);
    CHECK(pp_variant_packed_vector4_array_get(v, 1, NULL, &d[1], &d[2], &d[3]) == INV);
    CHECK(pp_variant_packed_vector4_array_get(v, 3, &d[0], &d[1], &d[2], &d[3]) == RANGE);
    CHECK(pp_variant_packed_vector4_array_set(NULL, 0, 0, 0, 0, 0) == INV);
    CHECK(pp_variant_packed_vector4_array_append(other, 0, 0, 0, 0) == INV);
    CHECK(pp_variant_packed_vector4_array_append(NULL, 0, 0, 0, 0) == INV);
    CHECK(pp_variant_get_packed_vector4_array(NULL, &dd, &n) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_packed_vector4_array(xyzw, 2, NULL) == INV);

    /* Strings. */
    CHECK(pp_variant_new_packed_string_array(strs, 2, &v) == PP_OK);
    CHECK(pp_variant_get_type(v) == PP_VARIANT_TYPE_PACKED_STRING_ARRAY);
    CHECK(pp_variant_packed_string_array_append(v, "def") == PP_OK);
    CHECK(pp_variant_packed_array_size(v, &n) == PP_OK && n == 3);
    CHECK(pp_variant_packed_string_array_get(v, 1, &data, &len) == PP_OK && view_is(data, len, "bc"));
    CHECK(pp_variant_packed_string_array_set(v, 1, "xyz") == PP_OK);
    CHECK(pp_variant_packed_string_array_get_copy(v, 1, buf, sizeof buf, &len) == PP_OK && strcmp(buf, "xyz") == 0);
    CHECK(pp_variant_packed_string_array_get_copy(v, 1, buf, 3, &len) == RANGE && len == 3);
    CHECK(pp_variant_packed_string_array_get_copy(v, 3, buf, sizeof buf, &len) == RANGE);
    CHECK(pp_variant_packed_string_array_get(v, 3, &data, &len) == RANGE);
    CHECK(pp_variant_packed_string_array_set(v, 3, "q") == RANGE);
    CHECK(pp_variant_packed_string_array_append(v, NULL) == INV);
    CHECK(pp_variant_packed_string_array_append(v, "\xc3") == INV);
    CHECK(pp_variant_packed_string_array_append(NULL, "a") == INV);
    CHECK(pp_variant_packed_string_array_append(other, "a") == INV);
    CHECK(pp_variant_packed_string_array_set(NULL, 0, "a") == INV);
    CHECK(pp_variant_packed_string_array_set(v, 0, NULL) == INV);
    CHECK(pp_variant_packed_string_array_get(NULL, 0, &data, &len) == INV);
    CHECK(pp_variant_packed_string_array_get(v, 0, NULL, &len) == INV);
    CHECK(pp_variant_packed_string_array_get(v, 0, &data, NULL) == INV);
    CHECK(pp_variant_packed_string_array_get_copy(NULL, 0, buf, sizeof buf, &len) == INV);
    CHECK(pp_variant_packed_string_array_get_copy(other, 0, buf, sizeof buf, &len) == INV);
    pp_variant_free(v);
    CHECK(pp_variant_new_packed_string_array(with_null, 2, &v) == INV);
    CHECK(pp_variant_new_packed_string_array(NULL, 1, &v) == INV);
    CHECK(pp_variant_new_packed_string_array(strs, 2, NULL) == INV);
    CHECK(pp_variant_new_packed_string_array(NULL, 0, &v) == PP_OK);
    CHECK(pp_variant_packed_array_size(v, &n) == PP_OK && n == 0);
    pp_variant_free(v);

    CHECK(pp_variant_packed_array_size(NULL, &n) == INV);
    CHECK(pp_variant_packed_array_size(other, &n) == INV);
    pp_variant_free(other);
    return 0;
}

static int test_misc(void) {
    pp_variant *a = NULL, *b = NULL, *arr = NULL, *bytes = NULL;
    char *text = NULL;
    static uint8_t big[1 << 16];
    int t;

    for (t = 0; t < PP_VARIANT_TYPE_MAX; t++) CHECK(pp_variant_type_name(t) != NULL);
    CHECK(strcmp(pp_variant_type_name(PP_VARIANT_TYPE_VECTOR2), "Vector2") == 0);
    CHECK(strcmp(pp_variant_type_name(PP_VARIANT_TYPE_INT), "int") == 0);
    CHECK(strcmp(pp_variant_type_name(PP_VARIANT_TYPE_PACKED_VECTOR4_ARRAY), "PackedVector4Array") == 0);
    CHECK(strcmp(pp_variant_type_name(-1), "<invalid type>") == 0);
    CHECK(strcmp(pp_variant_type_name(PP_VARIANT_TYPE_MAX), "<invalid type>") == 0);
    CHECK(pp_variant_get_type(NULL) == PP_VARIANT_TYPE_NIL);

    /* Equality is strict: -0.0 != 0.0, NaN == same NaN, types matter. */
    CHECK(pp_variant_new_float(-0.0, &a) == PP_OK);
    CHECK(pp_variant_new_float(0.0, &b) == PP_OK);
    CHECK(!pp_variant_equal(a, b));
    pp_variant_free(b);
    CHECK(pp_variant_duplicate(a, &b) == PP_OK);
    CHECK(pp_variant_equal(a, b));
    CHECK(!pp_variant_equal(a, NULL) && !pp_variant_equal(NULL, a) && !pp_variant_equal(NULL, NULL));
    pp_variant_free(a);
    pp_variant_free(b);
    CHECK(pp_variant_new_float(NAN, &a) == PP_OK);
    CHECK(pp_variant_duplicate(a, &b) == PP_OK && pp_variant_equal(a, b));
    pp_variant_free(a);
    pp_variant_free(b);
    CHECK(pp_variant_duplicate(NULL, &b) == INV);

    /* Deep duplicate. */
    CHECK(pp_variant_new_array(&arr) == PP_OK);
    CHECK(pp_variant_duplicate(arr, NULL) == INV);
    a = mk_str("x");
    CHECK(a != NULL && pp_variant_array_append(arr, a) == PP_OK);
    CHECK(pp_variant_duplicate(arr, &b) == PP_OK && pp_variant_equal(arr, b));
    CHECK(pp_variant_array_append(b, a) == PP_OK && !pp_variant_equal(arr, b));
    pp_variant_free(a);
    pp_variant_free(b);

    /* Text form. */
    a = mk_int(1);
    CHECK(a != NULL && pp_variant_array_append(arr, a) == PP_OK);
    CHECK(pp_variant_to_string(arr, 100, &text) == PP_OK && strcmp(text, "[\"x\", 1]") == 0);
    pp_string_free(text);
    CHECK(pp_variant_to_string(a, 100, &text) == PP_OK && strcmp(text, "1") == 0);
    pp_string_free(text);
    pp_variant_free(a);
    CHECK(pp_variant_new_vector2(1, 2, &a) == PP_OK);
    CHECK(pp_variant_to_string(a, 100, &text) == PP_OK && strcmp(text, "(1, 2)") == 0);
    pp_string_free(text);
    pp_variant_free(a);
    CHECK(pp_variant_new_object_id(1234, &a) == PP_OK);
    CHECK(pp_variant_to_string(a, 100, &text) == PP_OK && strcmp(text, "<Object#1234>") == 0);
    pp_string_free(text);
    pp_variant_free(a);
    /* Bounded: a 64 KiB array prints in at most 32 bytes, ending with U+2026. */
    CHECK(pp_variant_new_packed_byte_array(big, sizeof big, &bytes) == PP_OK);
    CHECK(pp_variant_to_string(bytes, 32, &text) == PP_OK);
    CHECK(strlen(text) <= 32 && strcmp(text + strlen(text) - 3, "\xe2\x80\xa6") == 0);
    pp_string_free(text);
    CHECK(pp_variant_to_string(bytes, 0, &text) == PP_OK && text[0] == 0);
    pp_string_free(text);
    CHECK(pp_variant_to_string(NULL, 10, &text) == INV);
    CHECK(pp_variant_to_string(bytes, 10, NULL) == INV);
    CHECK(pp_variant_to_string(bytes, (size_t)INT32_MAX + 1, &text) == INV);
    pp_variant_free(bytes);
    pp_variant_free(arr);

    /* Every _free accepts NULL. */
    pp_variant_free(NULL);
    pp_string_free(NULL);
    pp_bytes_free(NULL, 0);
    pp_bytes_free(NULL, 5);
    pp_codec_free(NULL);
    return 0;
}

/* Argument checks of the codec calls; independent of the codec bodies. */
static int test_codec_args(void) {
    pp_codec *c = NULL;
    pp_variant *v = mk_int(42), *out = NULL;
    uint8_t *data = NULL;
    uint8_t buf[8];
    size_t len = 0, off = 0;
    pp_error code = PP_OK;
    const char *reason = NULL;

    CHECK(v != NULL);
    CHECK(pp_codec_new(NULL) == INV);
    CHECK(pp_codec_new(&c) == PP_OK && c != NULL);
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK);
    CHECK(code == PP_OK && off == 0 && reason != NULL && reason[0] == 0);
    CHECK(pp_codec_get_dialect(c) == PP_DIALECT_GODOT4);
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_REDOT_STRUCT) == PP_OK);
    CHECK(pp_codec_get_dialect(c) == PP_DIALECT_REDOT_STRUCT);
    CHECK(pp_codec_set_dialect(c, 3) == INV && pp_codec_set_dialect(c, -1) == INV);
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_GODOT4) == PP_OK);
    CHECK(pp_codec_get_dialect(NULL) == PP_DIALECT_GODOT4);
    CHECK(pp_codec_set_real_is_double(c, false) == PP_OK);
    CHECK(pp_codec_set_full_objects(c, false) == PP_OK);
    CHECK(pp_codec_set_allow_objects(c, false) == PP_OK);
    CHECK(pp_codec_set_max_depth(c, 1024) == PP_OK);
    CHECK(pp_codec_set_max_depth(c, 1025) == INV);
    CHECK(pp_codec_set_max_elements(c, (size_t)-1) == PP_OK);
    CHECK(pp_codec_set_max_bytes(c, (size_t)-1) == PP_OK);
    CHECK(pp_codec_set_dialect(NULL, 0) == INV);
    CHECK(pp_codec_set_real_is_double(NULL, true) == INV);
    CHECK(pp_codec_set_full_objects(NULL, true) == INV);
    CHECK(pp_codec_set_allow_objects(NULL, true) == INV);
    CHECK(pp_codec_set_max_depth(NULL, 1) == INV);
    CHECK(pp_codec_set_max_elements(NULL, 1) == INV);
    CHECK(pp_codec_set_max_bytes(NULL, 1) == INV);

    CHECK(pp_codec_encoded_len(NULL, v, &len) == INV);
    CHECK(pp_codec_encoded_len(c, NULL, &len) == INV);
    CHECK(pp_codec_encoded_len(c, v, NULL) == INV);
    CHECK(pp_codec_encode(NULL, v, &data, &len) == INV);
    CHECK(pp_codec_encode(c, NULL, &data, &len) == INV);
    CHECK(pp_codec_encode(c, v, NULL, &len) == INV);
    CHECK(pp_codec_encode(c, v, &data, NULL) == INV);
    CHECK(pp_codec_encode_into(NULL, v, buf, sizeof buf, &len) == INV);
    CHECK(pp_codec_encode_into(c, NULL, buf, sizeof buf, &len) == INV);
    CHECK(pp_codec_encode_into(c, v, NULL, 4, &len) == INV);
    CHECK(pp_codec_encode_into(c, v, buf, sizeof buf, NULL) == INV);
    CHECK(pp_codec_encode_into(c, v, buf, (size_t)INT32_MAX + 1, &len) == INV);
    CHECK(pp_codec_decode(NULL, buf, 4, &out, &len) == INV);
    CHECK(pp_codec_decode(c, NULL, 4, &out, &len) == INV);
    CHECK(pp_codec_decode(c, buf, (size_t)INT32_MAX + 1, &out, &len) == INV);
    CHECK(pp_codec_decode(c, buf, 4, NULL, &len) == INV);
    /* The last argument error is remembered. */
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK && code == INV && reason[0] != 0);
    CHECK(pp_codec_get_last_error(NULL, &code, &off, &reason) == INV);
    CHECK(pp_codec_get_last_error(c, NULL, &off, &reason) == INV);
    CHECK(pp_codec_get_last_error(c, &code, NULL, &reason) == INV);
    CHECK(pp_codec_get_last_error(c, &code, &off, NULL) == INV);
    /* Nothing decodes from an empty buffer, and the failure is remembered. */
    code = pp_codec_decode(c, NULL, 0, &out, NULL);
    CHECK(code != PP_OK);
    {
        pp_error last = PP_OK;
        CHECK(pp_codec_get_last_error(c, &last, &off, &reason) == PP_OK && last == code && reason[0] != 0);
    }

    CHECK(pp_var_to_bytes(NULL, false, &data, &len) == INV);
    CHECK(pp_var_to_bytes(v, false, NULL, &len) == INV);
    CHECK(pp_var_to_bytes(v, false, &data, NULL) == INV);
    CHECK(pp_bytes_to_var(NULL, 4, false, &out) == INV);
    CHECK(pp_bytes_to_var(buf, (size_t)INT32_MAX + 1, false, &out) == INV);
    CHECK(pp_bytes_to_var(buf, 4, false, NULL) == INV);

    pp_codec_free(c);
    pp_variant_free(v);
    return 0;
}

/* Golden bytes from docs/wire-format.md §18 (what the engine sends). Needs the real codec. */
static int test_codec_golden(void) {
    static const uint8_t int42[] = {0x02, 0, 0, 0, 0x2a, 0, 0, 0};
    static const uint8_t int2_31[] = {0x02, 0, 1, 0, 0, 0, 0, 0x80, 0, 0, 0, 0};
    static const uint8_t f01[] = {0x03, 0, 1, 0, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f};
    static const uint8_t f15[] = {0x03, 0, 0, 0, 0, 0, 0xc0, 0x3f};
    static const uint8_t abc[] = {0x04, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 'c', 0};
    static const uint8_t v2[] = {0x05, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40};
    static const uint8_t v2d[] = {0x05, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40};
    static const uint8_t color[] = {0x14, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x3f,
                                    0, 0, 0x80, 0x3e, 0, 0, 0x80, 0x3f};
    static const uint8_t path[] = {0x16, 0, 0, 0, 2, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0,
                                   1, 0, 0, 0, 'a', 0, 0, 0, 1, 0, 0, 0, 'b', 0, 0, 0,
                                   1, 0, 0, 0, 'c', 0, 0, 0};
    static const uint8_t obj[] = {0x18, 0, 1, 0, 0xd2, 0x04, 0, 0, 0, 0, 0, 0};
    static const uint8_t callable[] = {0x19, 0, 0, 0};
    static const uint8_t dict[] = {0x1b, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 'k', 0, 0, 0,
                                   2, 0, 0, 0, 1, 0, 0, 0};
    static const uint8_t arr[] = {0x1c, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0,
                                  4, 0, 0, 0, 1, 0, 0, 0, 'x', 0, 0, 0};
    static const uint8_t typed[] = {0x1c, 0, 1, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0};
    static const uint8_t pba[] = {0x1d, 0, 0, 0, 3, 0, 0, 0, 1, 2, 3, 0};
    static const uint8_t psa[] = {0x22, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 'a', 0, 0, 0};
    pp_variant *v = NULL, *k = NULL, *e = NULL;
    pp_codec *c = NULL;
    uint8_t *data = NULL;
    uint8_t buf[32];
    size_t len = 0, used = 0;
    const char *a_str[] = {"a"};

    CHECK(pp_variant_new_int(42, &v) == PP_OK);
    CHECK(encodes_as(v, int42, sizeof int42) && decodes_as(int42, sizeof int42, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_int(2147483648LL, &v) == PP_OK);
    CHECK(encodes_as(v, int2_31, sizeof int2_31) && decodes_as(int2_31, sizeof int2_31, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_float(0.1, &v) == PP_OK);
    CHECK(encodes_as(v, f01, sizeof f01) && decodes_as(f01, sizeof f01, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_float(1.5, &v) == PP_OK);
    CHECK(encodes_as(v, f15, sizeof f15) && decodes_as(f15, sizeof f15, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_string("abc", &v) == PP_OK);
    CHECK(encodes_as(v, abc, sizeof abc) && decodes_as(abc, sizeof abc, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_vector2(1, 2, &v) == PP_OK);
    CHECK(encodes_as(v, v2, sizeof v2) && decodes_as(v2, sizeof v2, v));
    CHECK(decodes_as(v2d, sizeof v2d, v));
    CHECK(pp_codec_new(&c) == PP_OK && pp_codec_set_real_is_double(c, true) == PP_OK);
    CHECK(pp_codec_encode(c, v, &data, &len) == PP_OK && len == sizeof v2d && memcmp(data, v2d, len) == 0);
    pp_bytes_free(data, len);
    pp_codec_free(c);
    pp_variant_free(v);
    CHECK(pp_variant_new_color(1.0f, 0.5f, 0.25f, 1.0f, &v) == PP_OK);
    CHECK(encodes_as(v, color, sizeof color) && decodes_as(color, sizeof color, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_node_path("a/b:c", &v) == PP_OK);
    CHECK(encodes_as(v, path, sizeof path) && decodes_as(path, sizeof path, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_object_id(1234, &v) == PP_OK);
    CHECK(encodes_as(v, obj, sizeof obj) && decodes_as(obj, sizeof obj, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_callable(&v) == PP_OK);
    CHECK(encodes_as(v, callable, sizeof callable) && decodes_as(callable, sizeof callable, v));
    pp_variant_free(v);

    CHECK(pp_variant_new_dictionary(&v) == PP_OK);
    k = mk_str("k");
    e = mk_int(1);
    CHECK(k != NULL && e != NULL && pp_variant_dictionary_set(v, k, e) == PP_OK);
    CHECK(encodes_as(v, dict, sizeof dict) && decodes_as(dict, sizeof dict, v));
    pp_variant_free(v);
    pp_variant_free(k);

    CHECK(pp_variant_new_array(&v) == PP_OK);
    k = mk_str("x");
    CHECK(k != NULL && pp_variant_array_append(v, e) == PP_OK && pp_variant_array_append(v, k) == PP_OK);
    CHECK(encodes_as(v, arr, sizeof arr) && decodes_as(arr, sizeof arr, v));
    pp_variant_free(v);
    pp_variant_free(k);
    pp_variant_free(e);

    CHECK(pp_variant_new_array(&v) == PP_OK);
    CHECK(pp_variant_array_set_typed(v, PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_INT, NULL) == PP_OK);
    e = mk_int(5);
    CHECK(e != NULL && pp_variant_array_append(v, e) == PP_OK);
    CHECK(encodes_as(v, typed, sizeof typed) && decodes_as(typed, sizeof typed, v));
    pp_variant_free(e);
    pp_variant_free(v);

    CHECK(pp_variant_new_packed_byte_array((const uint8_t *)"\x01\x02\x03", 3, &v) == PP_OK);
    CHECK(encodes_as(v, pba, sizeof pba) && decodes_as(pba, sizeof pba, v));
    pp_variant_free(v);
    CHECK(pp_variant_new_packed_string_array(a_str, 1, &v) == PP_OK);
    CHECK(encodes_as(v, psa, sizeof psa) && decodes_as(psa, sizeof psa, v));

    /* encode_into: too small reports the size; decode reports bytes used and ignores trailing bytes. */
    CHECK(pp_codec_new(&c) == PP_OK);
    CHECK(pp_codec_encoded_len(c, v, &len) == PP_OK && len == sizeof psa);
    CHECK(pp_codec_encode_into(c, v, buf, sizeof psa - 1, &len) == RANGE && len == sizeof psa);
    CHECK(pp_codec_encode_into(c, v, NULL, 0, &len) == RANGE && len == sizeof psa);
    CHECK(pp_codec_encode_into(c, v, buf, sizeof buf, &len) == PP_OK && len == sizeof psa);
    CHECK(memcmp(buf, psa, sizeof psa) == 0);
    pp_variant_free(v);
    memcpy(buf, int42, sizeof int42);
    memset(buf + sizeof int42, 0xee, 4);
    CHECK(pp_codec_decode(c, buf, sizeof int42 + 4, &v, &used) == PP_OK && used == sizeof int42);
    pp_variant_free(v);
    /* A truncated value fails with the engine's code and an offset. */
    CHECK(pp_codec_decode(c, int42, 6, &v, &used) == PP_ERR_INVALID_DATA);
    pp_codec_free(c);
    return 0;
}

/* Codec options: full objects, dialects, limits, error offsets. Needs the real codec. */
static int test_codec_options(void) {
    static const uint8_t node[] = {0x18, 0, 0, 0, 4, 0, 0, 0, 'N', 'o', 'd', 'e', 1, 0, 0, 0,
                                   1, 0, 0, 0, 'x', 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0};
    static const uint8_t redot_callable[] = {0x1a, 0, 0, 0};
    static const uint8_t redot_struct[] = {0x19, 0, 0, 0};
    static const uint8_t nested[] = {0x1c, 0, 0, 0, 1, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t truncated[] = {0x02, 0, 0, 0, 0x2a, 0};
    pp_codec *c = NULL;
    pp_variant *v = NULL, *one = mk_int(1), *out = NULL;
    uint8_t *data = NULL;
    size_t len = 0, off = 0;
    pp_error code = PP_OK;
    const char *reason = NULL;

    CHECK(one != NULL);
    CHECK(pp_codec_new(&c) == PP_OK);
    CHECK(pp_variant_new_object_full("Node", &v) == PP_OK);
    CHECK(pp_variant_object_set_property(v, "x", one) == PP_OK);
    /* A full object has no id: it needs full_objects. */
    CHECK(pp_codec_encode(c, v, &data, &len) == INV);
    CHECK(pp_codec_set_full_objects(c, true) == PP_OK);
    CHECK(pp_codec_encode(c, v, &data, &len) == PP_OK && len == sizeof node && memcmp(data, node, len) == 0);
    pp_bytes_free(data, len);
    CHECK(pp_var_to_bytes(v, true, &data, &len) == PP_OK && len == sizeof node);
    pp_bytes_free(data, len);
    /* Decoding it needs allow_objects; the refusal comes first, at offset 0. */
    CHECK(pp_bytes_to_var(node, sizeof node, false, &out) == PP_ERR_UNAUTHORIZED);
    CHECK(pp_codec_decode(c, node, sizeof node, &out, NULL) == PP_ERR_UNAUTHORIZED);
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK);
    CHECK(code == PP_ERR_UNAUTHORIZED && off == 0 && reason[0] != 0);
    CHECK(pp_codec_set_allow_objects(c, true) == PP_OK);
    CHECK(pp_codec_decode(c, node, sizeof node, &out, NULL) == PP_OK && pp_variant_equal(out, v));
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK && code == PP_OK && reason[0] == 0);
    pp_variant_free(out);
    CHECK(pp_bytes_to_var(node, sizeof node, true, &out) == PP_OK && pp_variant_equal(out, v));
    pp_variant_free(out);
    pp_variant_free(v);

    /* Redot STRUCT dialect: ids from 25 up shift by one; STRUCT itself has no decoder. */
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_REDOT_STRUCT) == PP_OK);
    CHECK(pp_variant_new_callable(&v) == PP_OK);
    CHECK(pp_codec_encode(c, v, &data, &len) == PP_OK && len == 4 && memcmp(data, redot_callable, 4) == 0);
    pp_bytes_free(data, len);
    CHECK(pp_codec_decode(c, redot_callable, 4, &out, NULL) == PP_OK && pp_variant_equal(out, v));
    pp_variant_free(out);
    pp_variant_free(v);
    CHECK(pp_codec_decode(c, redot_struct, 4, &out, NULL) == PP_ERR_BUG);
    CHECK(pp_codec_set_dialect(c, PP_DIALECT_GODOT4) == PP_OK);

    /* Limits. */
    CHECK(pp_codec_decode(c, nested, sizeof nested, &out, NULL) == PP_OK);
    pp_variant_free(out);
    CHECK(pp_codec_set_max_depth(c, 0) == PP_OK);
    CHECK(pp_codec_decode(c, nested, sizeof nested, &out, NULL) == PP_ERR_OUT_OF_MEMORY);
    CHECK(pp_codec_set_max_depth(c, 1024) == PP_OK);
    CHECK(pp_codec_set_max_elements(c, 0) == PP_OK);
    CHECK(pp_codec_decode(c, nested, sizeof nested, &out, NULL) == PP_ERR_OUT_OF_MEMORY);
    CHECK(pp_codec_set_max_elements(c, (size_t)-1) == PP_OK);

    /* 1025 nested arrays with an empty innermost one decode (docs/wire-format.md §14.2); 1026 fail. */
    {
        static uint8_t deep[1026 * 8];
        size_t level;
        pp_variant *copy = NULL;
        for (level = 0; level < 1026; level++) {
            uint8_t *p_ = deep + level * 8;
            memset(p_, 0, 8);
            p_[0] = 0x1c;
            p_[4] = level < 1025 ? 1 : 0;
        }
        /* Levels 0..1023 hold one array each; level 1024 is empty. */
        deep[1024 * 8 + 4] = 0;
        CHECK(pp_codec_decode(c, deep, 1025 * 8, &out, &off) == PP_OK && off == 1025 * 8);
        CHECK(pp_variant_duplicate(out, &copy) == PP_OK && pp_variant_equal(copy, out));
        CHECK(pp_variant_new_array(&v) == PP_OK);
        CHECK(pp_variant_array_append(v, out) == PP_ERR_OUT_OF_MEMORY);
        pp_variant_free(v);
        pp_variant_free(copy);
        pp_variant_free(out);
        deep[1024 * 8 + 4] = 1;
        CHECK(pp_codec_decode(c, deep, sizeof deep, &out, NULL) == PP_ERR_OUT_OF_MEMORY);
    }

    /* A truncated INT: ERR_INVALID_DATA, located past the header. */
    CHECK(pp_codec_decode(c, truncated, sizeof truncated, &out, NULL) == PP_ERR_INVALID_DATA);
    CHECK(pp_codec_get_last_error(c, &code, &off, &reason) == PP_OK);
    CHECK(code == PP_ERR_INVALID_DATA && off > 0 && off <= sizeof truncated && reason[0] != 0);

    pp_codec_free(c);
    pp_variant_free(one);
    return 0;
}

int main(void) {
    int failed = 0;
    failed += test_scalars();
    failed += test_math();
    failed += test_node_path();
    failed += test_object();
    failed += test_array();
    failed += test_dictionary();
    failed += test_packed();
    failed += test_misc();
    failed += test_codec_args();
    failed += test_codec_golden();
    failed += test_codec_options();
    if (failed) {
        fprintf(stderr, "test_variant: %d section(s) failed\n", failed);
        return 1;
    }
    printf("test_variant: all passed\n");
    return 0;
}
