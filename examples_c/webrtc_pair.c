/* webrtc_pair: two WebRTC peer connections in one process, signalling through memory, with a
 * reliable (in-band, DCEP) and an unreliable (negotiated, unordered, no retransmits) data channel.
 *
 * Shows: pp_webrtc_peer_connection_new/_initialize (a configuration Dictionary limiting host
 * candidates to 127.0.0.1), _create_data_channel with options, _create_offer, the event queue
 * (session descriptions and ICE candidates handed to the other side, the received channel), _poll,
 * and pp_put_packet/pp_get_packet on the channels. Loopback only; every wait is bounded.
 * Run: ./webrtc_pair   (prints the messages, exits 0 on success)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
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

/* Hands every signal of `from` to `to` (the "signalling server"); keeps a received channel. */
static void signal_to(pp_webrtc_peer_connection *from, pp_webrtc_peer_connection *to, pp_peer **got) {
    pp_webrtc_event ev;
    while (pp_webrtc_peer_connection_pop_event(from, &ev) == PP_OK) {
        if (ev.type_ == PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED)
            (void)pp_webrtc_peer_connection_set_remote_description(to, ev.text, ev.text2);
        else if (ev.type_ == PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED)
            (void)pp_webrtc_peer_connection_add_ice_candidate(to, ev.text, ev.index, ev.text2);
        else if (ev.type_ == PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED && !*got)
            *got = ev.channel;
        else if (ev.channel)
            pp_peer_free(ev.channel);
        pp_webrtc_event_clear(&ev);
    }
}

static void set(pp_variant *dict, const char *key, pp_variant *value) {
    pp_variant *k = NULL;
    if (pp_variant_new_string(key, &k) == PP_OK) (void)pp_variant_dictionary_set(dict, k, value);
    pp_variant_free(k);
    pp_variant_free(value);
}

int main(void) {
    struct timespec ms = {0, 1000000};
    pp_webrtc_peer_connection *a = NULL, *b = NULL;
    pp_peer *rel = NULL, *rel_b = NULL, *fast = NULL, *fast_b = NULL, *none = NULL;
    pp_variant *cfg = NULL, *opts = NULL, *v = NULL;
    const uint8_t *data;
    size_t len;
    int status = 1, i, got = 0;

    TRY(pp_variant_new_dictionary(&cfg));
    TRY(pp_variant_new_string("127.0.0.1", &v));
    set(cfg, "bindAddresses", v);
    TRY(pp_variant_new_dictionary(&opts));
    TRY(pp_variant_new_bool(true, &v));
    set(opts, "negotiated", v);
    TRY(pp_variant_new_int(3, &v));
    set(opts, "id", v);
    TRY(pp_variant_new_bool(false, &v));
    set(opts, "ordered", v);
    TRY(pp_variant_new_int(0, &v));
    set(opts, "maxRetransmits", v);
    v = NULL;

    TRY(pp_webrtc_peer_connection_new(&a));
    TRY(pp_webrtc_peer_connection_new(&b));
    TRY(pp_webrtc_peer_connection_initialize(a, cfg));
    TRY(pp_webrtc_peer_connection_initialize(b, cfg));
    TRY(pp_webrtc_peer_connection_create_data_channel(a, "chat", NULL, &rel));
    TRY(pp_webrtc_peer_connection_create_data_channel(a, "state", opts, &fast));
    TRY(pp_webrtc_peer_connection_create_data_channel(b, "state", opts, &fast_b));
    TRY(pp_webrtc_peer_connection_create_offer(a));

    for (i = 0; i < 10000 && !(rel_b && pp_webrtc_data_channel_get_ready_state(rel) == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN &&
                               pp_webrtc_data_channel_get_ready_state(fast_b) == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN);
         i++) {
        (void)pp_webrtc_peer_connection_poll(a);
        (void)pp_webrtc_peer_connection_poll(b);
        signal_to(a, b, &none);
        signal_to(b, a, &rel_b);
        nanosleep(&ms, NULL);
    }
    if (!rel_b) {
        fprintf(stderr, "no channel within 10 s\n");
        goto done;
    }
    printf("connected after %d polls\n", i);

    TRY(pp_put_packet(rel, (const uint8_t *)"hello over the reliable channel", 31));
    TRY(pp_put_packet(fast, (const uint8_t *)"position 1,2,3", 14));
    for (i = 0; i < 10000 && got < 2; i++) {
        (void)pp_webrtc_peer_connection_poll(a);
        (void)pp_webrtc_peer_connection_poll(b);
        if (pp_get_packet(rel_b, &data, &len) == PP_OK) {
            printf("reliable:   %.*s\n", (int)len, (const char *)data);
            got++;
        }
        if (pp_get_packet(fast_b, &data, &len) == PP_OK) {
            printf("unreliable: %.*s\n", (int)len, (const char *)data);
            got++;
        }
        nanosleep(&ms, NULL);
    }
    status = got == 2 ? 0 : 1;
    if (status) fprintf(stderr, "only %d of 2 messages arrived\n", got);
done:
    pp_peer_free(rel);
    pp_peer_free(rel_b);
    pp_peer_free(fast);
    pp_peer_free(fast_b);
    pp_peer_free(none);
    pp_webrtc_peer_connection_close(a);
    pp_webrtc_peer_connection_close(b);
    pp_webrtc_peer_connection_free(a);
    pp_webrtc_peer_connection_free(b);
    pp_variant_free(cfg);
    pp_variant_free(opts);
    return status;
}
