/*
 * Values built in C are decoded by the real Godot 3 engine (Debian's godot3-server, headless Godot
 * 3.2.3; scripts/deps.sh installs it; missing, the test fails saying so) and checked there:
 * tests/engine3/c_values.gd receives each over PacketPeerUDP on loopback, sent with pp_put_var on a
 * peer set to PP_DIALECT_GODOT3, compares its bytes with the engine's own encoding and the decoded
 * value with the one it built, and replies "ok <i>" or "FAIL <i> <why>" (first differing byte).
 * Covered: a 64-bit int, NaN, -0.0, non-ASCII and empty strings, Vector2/3, Color, absolute and
 * relative NodePaths, a nested Dictionary, pool arrays (String, int, real), an object by id and in
 * full, RID, an 11-deep Array. The engine runs in a scratch directory and is killed by its PID.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "packetpeer.h"

// ctest-timeout: 120

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); goto fail; } } while (0)

#define NVALUES 18

static void nap(void) {
    struct timespec ts = {0, 1000000}; /* 1 ms */
    nanosleep(&ts, NULL);
}

static int on_path(const char *tool) {
    const char *path = getenv("PATH");
    char buf[4096];
    while (path && *path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        if (n > 0 && n + strlen(tool) + 2 < sizeof buf) {
            memcpy(buf, path, n);
            buf[n] = '/';
            strcpy(buf + n + 1, tool);
            if (access(buf, X_OK) == 0) return 1;
        }
        path = end ? end + 1 : NULL;
    }
    return 0;
}

static int copy_file(const char *from, const char *to) {
    char buf[4096];
    size_t n;
    int ok = 1;
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    if (!in || !out) ok = 0;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) ok = 0;
    if (in) fclose(in);
    if (out && fclose(out) != 0) ok = 0;
    return ok;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

/* Waits up to `ms` for a packet on `u`; returns its bytes (borrowed) or NULL. */
static const uint8_t *wait_packet(pp_peer *u, int ms, size_t *len) {
    const uint8_t *data = NULL;
    int i;
    int32_t n = 0;
    for (i = 0; i < ms; i++) {
        if (pp_get_available_packet_count(u, &n) == PP_OK && n > 0 && pp_get_packet(u, &data, len) == PP_OK)
            return data;
        nap();
    }
    return NULL;
}

/* Builds value `i` of c_values.gd's expected() list; sets *full. */
static pp_error build(int i, pp_variant **out, bool *full) {
    pp_variant *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    pp_error e = PP_OK;
    *full = false;
    switch (i) {
    case 0: return pp_variant_new_int(-9000000000LL, out);
    case 1: return pp_variant_new_float((double)NAN, out);
    case 2: return pp_variant_new_float(-0.0, out);
    case 3: return pp_variant_new_string("h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\xae", out);
    case 4: return pp_variant_new_string("", out);
    case 5: return pp_variant_new_vector2(1.5, -2.25, out);
    case 6: return pp_variant_new_vector3(1, 2, 3, out);
    case 7: return pp_variant_new_color(0.1f, 0.2f, 0.3f, 0.4f, out);
    case 8: return pp_variant_new_node_path("/root/Main:position:rotx", out);
    case 9: return pp_variant_new_node_path("abcd/efgh", out);
    case 10: { /* {"name": "player", "pos": Vector2(1, 2), "list": [1, "two", [3.5]], 7: null} */
        pp_variant *dict = NULL, *list = NULL, *inner = NULL;
        if ((e = pp_variant_new_dictionary(&dict)) != PP_OK) return e;
        if ((e = pp_variant_new_string("name", &a)) == PP_OK && (e = pp_variant_new_string("player", &b)) == PP_OK)
            e = pp_variant_dictionary_set(dict, a, b);
        pp_variant_free(a); pp_variant_free(b); a = b = NULL;
        if (e == PP_OK && (e = pp_variant_new_string("pos", &a)) == PP_OK && (e = pp_variant_new_vector2(1, 2, &b)) == PP_OK)
            e = pp_variant_dictionary_set(dict, a, b);
        pp_variant_free(a); pp_variant_free(b); a = b = NULL;
        if (e == PP_OK && (e = pp_variant_new_array(&list)) == PP_OK && (e = pp_variant_new_int(1, &a)) == PP_OK &&
            (e = pp_variant_array_append(list, a)) == PP_OK && (e = pp_variant_new_string("two", &b)) == PP_OK &&
            (e = pp_variant_array_append(list, b)) == PP_OK && (e = pp_variant_new_array(&inner)) == PP_OK &&
            (e = pp_variant_new_float(3.5, &c)) == PP_OK && (e = pp_variant_array_append(inner, c)) == PP_OK &&
            (e = pp_variant_array_append(list, inner)) == PP_OK && (e = pp_variant_new_string("list", &d)) == PP_OK)
            e = pp_variant_dictionary_set(dict, d, list);
        pp_variant_free(a); pp_variant_free(b); pp_variant_free(c); pp_variant_free(d);
        pp_variant_free(list); pp_variant_free(inner);
        a = b = NULL;
        if (e == PP_OK && (e = pp_variant_new_int(7, &a)) == PP_OK && (e = pp_variant_new_nil(&b)) == PP_OK)
            e = pp_variant_dictionary_set(dict, a, b);
        pp_variant_free(a); pp_variant_free(b);
        if (e != PP_OK) { pp_variant_free(dict); return e; }
        *out = dict;
        return PP_OK;
    }
    case 11: {
        static const char *const s[] = {"a", "\xc3\xa9", ""};
        return pp_variant_new_packed_string_array(s, 3, out);
    }
    case 12: {
        static const int32_t v[] = {1, -1, 2147483647};
        return pp_variant_new_packed_int32_array(v, 3, out);
    }
    case 13: {
        const float v[] = {1.5f, -0.0f};
        return pp_variant_new_packed_float32_array(v, 2, out);
    }
    case 14: return pp_variant_new_object_id(1234567890123ULL, out);
    case 15: { /* Resource in full: its storage properties in the engine's order */
        pp_variant *obj = NULL;
        *full = true;
        if ((e = pp_variant_new_object_full("Resource", &obj)) != PP_OK) return e;
        if ((e = pp_variant_new_bool(false, &a)) == PP_OK)
            e = pp_variant_object_set_property(obj, "resource_local_to_scene", a);
        if (e == PP_OK && (e = pp_variant_new_string("c", &b)) == PP_OK)
            e = pp_variant_object_set_property(obj, "resource_name", b);
        if (e == PP_OK && (e = pp_variant_new_nil(&c)) == PP_OK)
            e = pp_variant_object_set_property(obj, "script", c);
        pp_variant_free(a); pp_variant_free(b); pp_variant_free(c);
        if (e != PP_OK) { pp_variant_free(obj); return e; }
        *out = obj;
        return PP_OK;
    }
    case 16: return pp_variant_new_rid(0, out);
    case 17: { /* [[[[[[[[[[["leaf"]]]]]]]]]]] */
        int k;
        if ((e = pp_variant_new_array(&a)) != PP_OK) return e;
        if ((e = pp_variant_new_string("leaf", &b)) == PP_OK) e = pp_variant_array_append(a, b);
        pp_variant_free(b);
        for (k = 0; k < 10 && e == PP_OK; k++) {
            if ((e = pp_variant_new_array(&c)) == PP_OK) e = pp_variant_array_append(c, a);
            pp_variant_free(a);
            a = c;
            c = NULL;
        }
        if (e != PP_OK) { pp_variant_free(a); return e; }
        *out = a;
        return PP_OK;
    }
    default: return PP_ERR_INVALID_PARAMETER;
    }
}

int main(void) {
    char dir[512], script[600], portstr[16], ip[64];
    const char *tmp = getenv("TMPDIR");
    pp_peer *u = NULL;
    pid_t pid = -1;
    int32_t port;
    size_t len = 0, iplen = 0;
    const uint8_t *data;
    int i, fails = 0, rc = 1, made_dir = 0;

    if (!on_path("godot3-server")) {
        fprintf(stderr, "godot3-server not found on PATH: this test needs Debian's godot3-server (headless "
                        "Godot 3.2.3); scripts/deps.sh installs it\n");
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/pp-godot3-c-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
    CHECK(mkdtemp(dir) != NULL);
    made_dir = 1;
    snprintf(script, sizeof script, "%s/c_values.gd", dir);
    CHECK(copy_file("tests/engine3/c_values.gd", script));

    CHECK(pp_packet_peer_udp_new(&u) == PP_OK);
    CHECK(pp_packet_peer_udp_bind(u, 0, "127.0.0.1", 65536) == PP_OK);
    CHECK(pp_set_var_dialect(u, PP_DIALECT_GODOT3) == PP_OK);
    port = pp_packet_peer_udp_get_local_port(u);
    CHECK(port > 0);
    snprintf(portstr, sizeof portstr, "%d", (int)port);

    fflush(NULL);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char data_home[600];
        snprintf(data_home, sizeof data_home, "%s/data", dir);
        if (chdir(dir) != 0) _exit(126);
        setenv("XDG_DATA_HOME", data_home, 1);
        setenv("XDG_CONFIG_HOME", data_home, 1);
        setenv("XDG_CACHE_HOME", data_home, 1);
        setenv("LANG", "en_US.UTF-8", 1);
        execlp("godot3-server", "godot3-server", "--no-window", "-s", "c_values.gd", "--", portstr, (char *)NULL);
        _exit(127);
    }

    /* The engine says it is ready (up to 30 s: a loaded machine starts it slowly). */
    data = wait_packet(u, 30000, &len);
    CHECK(data != NULL && len == 5 && memcmp(data, "ready", 5) == 0);
    CHECK(pp_packet_peer_udp_get_packet_ip(u, ip, sizeof ip, &iplen) == PP_OK);
    CHECK(pp_packet_peer_udp_set_dest_address(u, ip, pp_packet_peer_udp_get_packet_port(u)) == PP_OK);

    for (i = 0; i < NVALUES; i++) {
        pp_variant *v = NULL;
        bool full = false;
        CHECK(build(i, &v, &full) == PP_OK);
        CHECK(pp_put_var(u, v, full) == PP_OK);
        pp_variant_free(v);
        data = wait_packet(u, 10000, &len);
        if (!data) {
            fprintf(stderr, "value %d: no reply from the engine within 10 s\n", i);
            fails++;
            break;
        }
        if (!(len >= 3 && memcmp(data, "ok ", 3) == 0)) {
            fprintf(stderr, "value %d: %.*s\n", i, (int)len, (const char *)data);
            fails++;
        }
    }
    CHECK(fails == 0);
    rc = 0;
fail:
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    }
    pp_peer_free(u);
    if (made_dir) nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return rc;
}
