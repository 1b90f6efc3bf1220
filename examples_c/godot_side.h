/* godot_side.h: what the godot_*.c examples share (docs/godot-side.md): error checks, a bounded nap,
 * the message a Godot game sends in the guide, printing a Variant. */
#ifndef GODOT_SIDE_H
#define GODOT_SIDE_H
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "packetpeer.h"

#define TRY(call)                                                                                  \
    do {                                                                                           \
        pp_error e_ = (call);                                                                      \
        if (e_ != PP_OK) {                                                                         \
            fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_));                         \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

/* Self-tests wait at most STEPS naps of 5 ms (10 s). */
#define STEPS 2000
static inline void nap(void) {
    struct timespec ts = {0, 5 * 1000000L};
    nanosleep(&ts, NULL);
}

/* The game's message in the guide: {"hello": "server", "score": 42}. */
static inline pp_error hello_message(pp_variant **out) {
    pp_variant *d = NULL, *k = NULL, *v = NULL;
    pp_error e;
    if ((e = pp_variant_new_dictionary(&d)) != PP_OK) return e;
    if ((e = pp_variant_new_string("hello", &k)) == PP_OK && (e = pp_variant_new_string("server", &v)) == PP_OK)
        e = pp_variant_dictionary_set(d, k, v);
    pp_variant_free(k); pp_variant_free(v); k = v = NULL;
    if (e == PP_OK && (e = pp_variant_new_string("score", &k)) == PP_OK && (e = pp_variant_new_int(42, &v)) == PP_OK)
        e = pp_variant_dictionary_set(d, k, v);
    pp_variant_free(k); pp_variant_free(v);
    if (e != PP_OK) pp_variant_free(d); else *out = d;
    return e;
}

static inline void print_variant(const char *who, const pp_variant *v) {
    char *text = NULL;
    if (pp_variant_to_string(v, 200, &text) == PP_OK) printf("%s %s\n", who, text);
    pp_string_free(text);
}
#endif
