/* codec_bench: one small dictionary through the C ABI, the way a C caller pays for it.
 *
 * The dictionary of `cargo bench --bench codec` payload (d), {"id": 123, "pos": Vector2(1.5, -2.25),
 * "name": "player_123", "hp": 87.5}, is built with pp_variant_* calls, then, in one run:
 *   encode: pp_codec_encode_into into a reused caller buffer, N times;
 *   decode: pp_codec_decode of its bytes and pp_variant_free of the result, N times;
 *   memcpy: the same bytes copied into a reused buffer, N times (the floor of any codec).
 * Both dialects (godot4, godot3), timed in thread CPU time. Each figure is printed for every round,
 * then as the median:
 *   c_small_dict_<dialect>_<what>: <median> (<min>..<max>) ns/op
 * Run by `cargo bench --bench codec` (payload d), which builds this file against the library it just
 * built; by hand:
 *   cc -O2 -Iinclude bench_c/codec_bench.c -Ltarget/release -lpacketpeer \
 *      -Wl,-rpath,"$PWD/target/release" -o codec_bench && ./codec_bench [rounds] [N]
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packetpeer.h"

/* CPU time of this thread, not wall time (as net_bench): the machine may be shared, and a loop that
 * is descheduled half the time would otherwise look twice as slow. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, pp_error e) {
    fprintf(stderr, "codec_bench: %s failed (%s)\n", what, pp_error_name(e));
    exit(1);
}
#define OK(call)                                                                                   \
    do {                                                                                           \
        pp_error e_ = (call);                                                                      \
        if (e_ != PP_OK) die(#call, e_);                                                           \
    } while (0)

static void set(struct pp_variant *d, struct pp_variant *k, struct pp_variant *v) {
    OK(pp_variant_dictionary_set(d, k, v));
    pp_variant_free(k);
    pp_variant_free(v);
}

static struct pp_variant *small_dict(void) {
    struct pp_variant *d, *k, *v;
    OK(pp_variant_new_dictionary(&d));
    OK(pp_variant_new_string("id", &k));
    OK(pp_variant_new_int(123, &v));
    set(d, k, v);
    OK(pp_variant_new_string("pos", &k));
    OK(pp_variant_new_vector2(1.5, -2.25, &v));
    set(d, k, v);
    OK(pp_variant_new_string("name", &k));
    OK(pp_variant_new_string("player_123", &v));
    set(d, k, v);
    OK(pp_variant_new_string("hp", &k));
    OK(pp_variant_new_float(87.5, &v));
    set(d, k, v);
    return d;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    double med = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    printf("%s: %.1f (%.1f..%.1f) ns/op\n", name, med, v[0], v[n - 1]);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 9;
    long n = argc > 2 ? atol(argv[2]) : 200000;
    if (rounds < 1 || rounds > 1000 || n < 1) {
        fprintf(stderr, "usage: codec_bench [rounds 1..1000] [N]\n");
        return 2;
    }
    struct pp_variant *dict = small_dict();
    static const struct {
        int dialect;
        const char *name;
    } dialects[] = {{PP_DIALECT_GODOT4, "godot4"}, {PP_DIALECT_GODOT3, "godot3"}};
    for (size_t di = 0; di < sizeof dialects / sizeof dialects[0]; di++) {
        struct pp_codec *codec;
        OK(pp_codec_new(&codec));
        OK(pp_codec_set_dialect(codec, dialects[di].dialect));
        uint8_t buf[256], dst[256];
        size_t len = 0;
        OK(pp_codec_encode_into(codec, dict, buf, sizeof buf, &len));
        printf("# c_small_dict_%s: %zu bytes\n", dialects[di].name, len);
        double *enc = calloc((size_t)rounds, sizeof(double));
        double *dec = calloc((size_t)rounds, sizeof(double));
        double *cpy = calloc((size_t)rounds, sizeof(double));
        if (!enc || !dec || !cpy) return 1;
        uint8_t out[256];
        for (int r = -1; r < rounds; r++) { /* round -1: warm-up */
            size_t got = 0;
            double t0 = now();
            for (long i = 0; i < n; i++) {
                pp_error e = pp_codec_encode_into(codec, dict, out, sizeof out, &got);
                if (e != PP_OK) die("pp_codec_encode_into", e);
            }
            double t1 = now();
            for (long i = 0; i < n; i++) {
                struct pp_variant *v;
                pp_error e = pp_codec_decode(codec, buf, len, &v, NULL);
                if (e != PP_OK) die("pp_codec_decode", e);
                pp_variant_free(v);
            }
            double t2 = now();
            for (long i = 0; i < n; i++) {
                memcpy(dst, buf, len);
                /* Keep the copy: the compiler must not drop or hoist it. */
                __asm__ __volatile__("" : : "r"(dst) : "memory");
            }
            double t3 = now();
            if (got != len || memcmp(out, buf, len) != 0) {
                fprintf(stderr, "codec_bench: encode_into gave different bytes\n");
                return 1;
            }
            if (r < 0) continue;
            enc[r] = (t1 - t0) * 1e9 / (double)n;
            dec[r] = (t2 - t1) * 1e9 / (double)n;
            cpy[r] = (t3 - t2) * 1e9 / (double)n;
            printf("# round %d %s: encode_into %.1f, decode+free %.1f, memcpy %.1f ns/op\n", r + 1,
                   dialects[di].name, enc[r], dec[r], cpy[r]);
        }
        char name[96];
        snprintf(name, sizeof name, "c_small_dict_%s_encode_into_reused", dialects[di].name);
        report(name, enc, rounds);
        snprintf(name, sizeof name, "c_small_dict_%s_decode_and_free", dialects[di].name);
        report(name, dec, rounds);
        snprintf(name, sizeof name, "c_small_dict_%s_memcpy", dialects[di].name);
        report(name, cpy, rounds);
        free(enc);
        free(dec);
        free(cpy);
        pp_codec_free(codec);
    }
    pp_variant_free(dict);
    return 0;
}
