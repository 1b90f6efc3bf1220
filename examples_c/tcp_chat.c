/* tcp_chat: two chat peers exchange Godot dictionaries ({"from": String, "seq": int, "text": String})
 * with put_var/get_var through PacketPeerStream over TCP, both in this process.
 *
 * Shows: pp_tcp_server_listen/_take_connection, pp_stream_peer_tcp_connect_to_host + _poll until
 * CONNECTED, pp_packet_peer_stream_set_stream_peer, pp_put_var/pp_get_var with pp_variant
 * dictionaries, pp_variant_to_string. The bytes on the wire are what a Godot game's
 * PacketPeerStream.put_var/get_var use. Loopback only (127.0.0.1, port 0), bounded waits: it
 * finishes by itself (a ctest smoke test).
 * Run: ./tcp_chat   (prints each message, exits 0 on success)
 */
#include <stdio.h>

#include "packetpeer.h"

#define TRY(call)                                                                                  \
    do {                                                                                           \
        pp_error e_ = (call);                                                                      \
        if (e_ != PP_OK) {                                                                         \
            fprintf(stderr, "%s failed: %s\n", #call, pp_error_name(e_));                         \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

/* Builds {"from": from, "seq": seq, "text": text}; NULL on failure. */
static pp_variant *message(const char *from, int64_t seq, const char *text) {
    static const char *keys[3] = {"from", "seq", "text"};
    pp_variant *d = NULL, *k = NULL, *v = NULL;
    int i, ok = pp_variant_new_dictionary(&d) == PP_OK;
    for (i = 0; ok && i < 3; i++) {
        ok = pp_variant_new_string(keys[i], &k) == PP_OK &&
             (i == 1 ? pp_variant_new_int(seq, &v) : pp_variant_new_string(i == 0 ? from : text, &v)) == PP_OK &&
             pp_variant_dictionary_set(d, k, v) == PP_OK;
        pp_variant_free(k);
        pp_variant_free(v);
        k = v = NULL;
    }
    if (!ok) {
        pp_variant_free(d);
        return NULL;
    }
    return d;
}

/* Sends one message from `tx` and prints what `rx` (reading from `rx_tcp`) receives (bounded wait:
 * about 30 s, generous for a loaded machine). */
static pp_error say(pp_peer *tx, pp_peer *rx, pp_stream_peer *rx_tcp, const char *from, int64_t seq,
                    const char *text) {
    pp_variant *out = message(from, seq, text), *in = NULL;
    char *shown = NULL;
    pp_error e = out ? pp_put_var(tx, out, false) : PP_ERR_OUT_OF_MEMORY;
    int tries;
    for (tries = 0; e == PP_OK && tries < 3000; tries++) {
        e = pp_get_var(rx, false, &in);
        if (e != PP_ERR_UNAVAILABLE) break;
        e = PP_OK;
        in = NULL;
        (void)pp_stream_peer_tcp_wait(rx_tcp, PP_POLL_TYPE_IN, 10); /* until more bytes arrive */
    }
    if (e == PP_OK && in == NULL) e = PP_ERR_TIMEOUT;
    if (e == PP_OK) e = pp_variant_to_string(in, 200, &shown);
    if (e == PP_OK) printf("received %s\n", shown);
    pp_string_free(shown);
    pp_variant_free(in);
    pp_variant_free(out);
    return e;
}

int main(void) {
    pp_tcp_server *server = NULL;
    pp_stream_peer *alice_tcp = NULL, *bob_tcp = NULL;
    pp_peer *alice = NULL, *bob = NULL;
    int status = 1, tries;

    TRY(pp_tcp_server_new(&server));
    TRY(pp_tcp_server_listen(server, 0, "127.0.0.1"));
    TRY(pp_stream_peer_tcp_new(&alice_tcp));
    TRY(pp_stream_peer_tcp_connect_to_host(alice_tcp, "127.0.0.1", pp_tcp_server_get_local_port(server)));
    for (tries = 0; tries < 3000 && pp_stream_peer_tcp_get_status(alice_tcp) == PP_STREAM_PEER_TCP_STATUS_CONNECTING; tries++) {
        TRY(pp_stream_peer_tcp_poll(alice_tcp));
        (void)pp_stream_peer_tcp_wait(alice_tcp, PP_POLL_TYPE_OUT, 10);
    }
    if (pp_stream_peer_tcp_get_status(alice_tcp) != PP_STREAM_PEER_TCP_STATUS_CONNECTED) goto done;
    for (tries = 0; tries < 6000 && !pp_tcp_server_is_connection_available(server); tries++)
        (void)pp_stream_peer_tcp_wait(alice_tcp, PP_POLL_TYPE_IN, 5);
    TRY(pp_tcp_server_take_connection(server, &bob_tcp));
    printf("connected: 127.0.0.1:%d <-> 127.0.0.1:%d\n", pp_stream_peer_tcp_get_local_port(alice_tcp),
           pp_stream_peer_tcp_get_connected_port(alice_tcp));

    TRY(pp_packet_peer_stream_new(&alice));
    TRY(pp_packet_peer_stream_new(&bob));
    TRY(pp_packet_peer_stream_set_stream_peer(alice, alice_tcp));
    TRY(pp_packet_peer_stream_set_stream_peer(bob, bob_tcp));

    TRY(say(alice, bob, bob_tcp, "alice", 1, "hi bob"));
    TRY(say(bob, alice, alice_tcp, "bob", 1, "hello alice"));
    TRY(say(alice, bob, bob_tcp, "alice", 2, "bye"));
    status = 0;
done:
    pp_peer_free(alice);
    pp_peer_free(bob);
    pp_stream_peer_free(alice_tcp);
    pp_stream_peer_free(bob_tcp);
    pp_tcp_server_free(server);
    return status;
}
