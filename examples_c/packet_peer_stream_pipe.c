/*
 * packet_peer_stream_pipe: two PacketPeerStreams talk over an in-memory pipe, exactly as a Godot game's
 * PacketPeerStream talks over TCP: one sends a Dictionary with put_var, the other receives it with
 * get_var and prints it, then replies with a string. Swap the pipe for a StreamPeerTCP and the bytes
 * on the wire are what a Godot 4 peer sends and expects (u32 little-endian length + Variant bytes).
 *
 * Build and run (from the repository root, after `cargo build`):
 *   cc -std=c99 -I<dir of packetpeer.h> examples_c/packet_peer_stream_pipe.c -Ltarget/debug -lpacketpeer
 *   LD_LIBRARY_PATH=target/debug ./a.out
 */
#include <stdio.h>

#include "packetpeer.h"

/* Prints the failing call and its error name, and jumps to cleanup. */
#define TRY(call) do { pp_error e_ = (call); if (e_ != PP_OK) { \
    fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_)); goto done; } } while (0)

/* Receives one Variant on `peer` and prints its text form. */
static pp_error receive_and_print(pp_peer *peer, const char *who) {
    pp_variant *v = NULL;
    char *text = NULL;
    int32_t count = 0;
    pp_error e = pp_get_available_packet_count(peer, &count);
    if (e == PP_OK) e = pp_get_var(peer, false, &v);
    if (e == PP_OK) e = pp_variant_to_string(v, 1000, &text);
    if (e == PP_OK) printf("%s received (%d packet(s) were waiting): %s\n", who, (int)count, text);
    pp_string_free(text);
    pp_variant_free(v);
    return e;
}

int main(void) {
    int rc = 1;
    pp_stream_peer *end_a = NULL, *end_b = NULL;
    pp_peer *alice = NULL, *bob = NULL;
    pp_variant *dict = NULL, *key = NULL, *value = NULL, *reply = NULL;

    /* A connected pair of in-memory streams, and a PacketPeerStream on each end. */
    TRY(pp_stream_peer_pipe_new(&end_a, &end_b));
    TRY(pp_packet_peer_stream_new(&alice));
    TRY(pp_packet_peer_stream_new(&bob));
    TRY(pp_packet_peer_stream_set_stream_peer(alice, end_a));
    TRY(pp_packet_peer_stream_set_stream_peer(bob, end_b));

    /* { "name": "Player", "hp": 100 } */
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

    TRY(pp_put_var(alice, dict, false));
    TRY(receive_and_print(bob, "bob"));

    TRY(pp_variant_new_string("hello, alice", &reply));
    TRY(pp_put_var(bob, reply, false));
    TRY(receive_and_print(alice, "alice"));
    rc = 0;

done:
    pp_variant_free(reply);
    pp_variant_free(value);
    pp_variant_free(key);
    pp_variant_free(dict);
    pp_peer_free(bob);
    pp_peer_free(alice);
    pp_stream_peer_free(end_b);
    pp_stream_peer_free(end_a);
    return rc;
}
