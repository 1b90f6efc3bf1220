/*
 * variant_codec: build a Godot Dictionary, encode it as Godot's var_to_bytes() would, print the
 * bytes in hex, decode them back (as bytes_to_var()) and print the value's text form.
 *
 * Build and run (from the repository root, after `cargo build`):
 *   cc -std=c99 -I<dir of packetpeer.h> examples_c/variant_codec.c -Ltarget/debug -lpacketpeer
 *   LD_LIBRARY_PATH=target/debug ./a.out
 */
#include <stdio.h>

#include "packetpeer.h"

/* Prints the failing call and its error name, and jumps to cleanup. */
#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_)); goto done; } } while (0)

int main(void) {
    int rc = 1;
    pp_variant *dict = NULL, *key = NULL, *value = NULL, *decoded = NULL;
    pp_codec *codec = NULL;
    uint8_t *bytes = NULL;
    size_t len = 0, used = 0, i;
    char *text = NULL;
    const char *tags[] = {"red", "fast"};

    /* { "name": "Player", "hp": 100, "pos": Vector2(1.5, -2), "tags": PackedStringArray } */
    TRY(pp_variant_new_dictionary(&dict));
    TRY(pp_variant_new_string("name", &key));
    TRY(pp_variant_new_string("Player", &value));
    TRY(pp_variant_dictionary_set(dict, key, value));
    pp_variant_free(key);
    pp_variant_free(value);
    key = value = NULL;
    TRY(pp_variant_new_string("hp", &key));
    TRY(pp_variant_new_int(100, &value));
    TRY(pp_variant_dictionary_set(dict, key, value));
    pp_variant_free(key);
    pp_variant_free(value);
    key = value = NULL;
    TRY(pp_variant_new_string("pos", &key));
    TRY(pp_variant_new_vector2(1.5, -2.0, &value));
    TRY(pp_variant_dictionary_set(dict, key, value));
    pp_variant_free(key);
    pp_variant_free(value);
    key = value = NULL;
    TRY(pp_variant_new_string("tags", &key));
    TRY(pp_variant_new_packed_string_array(tags, 2, &value));
    TRY(pp_variant_dictionary_set(dict, key, value));

    /* Encode with the defaults of var_to_bytes (Godot 4 ids, floats for real_t, objects as ids). */
    TRY(pp_codec_new(&codec));
    TRY(pp_codec_encode(codec, dict, &bytes, &len));
    printf("%zu bytes:", len);
    for (i = 0; i < len; i++) printf("%s%02x", i % 16 ? " " : "\n  ", bytes[i]);
    printf("\n");

    /* Decode them back; `used` tells how many bytes the value took. */
    TRY(pp_codec_decode(codec, bytes, len, &decoded, &used));
    TRY(pp_variant_to_string(decoded, 1000, &text));
    printf("decoded %zu bytes: %s\n", used, text);
    printf("round trip %s\n", pp_variant_equal(dict, decoded) ? "equal" : "DIFFERENT");
    rc = pp_variant_equal(dict, decoded) ? 0 : 1;

done:
    pp_string_free(text);
    pp_bytes_free(bytes, len);
    pp_variant_free(decoded);
    pp_codec_free(codec);
    pp_variant_free(key);
    pp_variant_free(value);
    pp_variant_free(dict);
    return rc;
}
