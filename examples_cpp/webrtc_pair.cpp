// examples_cpp/webrtc_pair.cpp: two WebRTCPeerConnections in one process (include/packetpeer.hpp,
// no exceptions). The "signalling server" is a queue in memory: each side's descriptions and ICE
// candidates (pop_event) are handed to the other (set_remote_description / add_ice_candidate).
// Peer A opens a reliable channel (in-band, announced to B) and both make the same negotiated
// unreliable channel; A sends text on the reliable one, B answers with bytes on the unreliable one.
// Host candidates on 127.0.0.1 only ("bindAddresses"), so it runs without a network.
//
// ctest runs it as example_cpp_webrtc_pair; by hand:
//   c++ -std=c++17 -fno-exceptions webrtc_pair.cpp $(pkg-config --cflags --libs packetpeer)
#include <packetpeer.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <thread>

static int fail(const char *what, pp_error e) {
    std::fprintf(stderr, "%s: %s\n", what, pp::error_name(e));
    return 1;
}

// A description or a candidate on its way to the other peer.
struct Signal {
    bool description = false;
    std::string a, b;  // type and SDP, or media and candidate
    int32_t index = 0;
};

// Takes every signal `from` queued: descriptions and candidates go on `wire`, a channel the remote
// opened is kept in `received`.
static pp_error collect(pp::WebRTCPeerConnection &from, std::deque<Signal> &wire, pp::WebRTCDataChannel &received) {
    for (int i = 0; i < 2048; i++) {  // a connection queues at most 1024 signals
        auto ev = from.pop_event();
        if (!ev) return ev.error() == PP_ERR_UNAVAILABLE ? PP_OK : ev.error();
        Signal s;
        if (ev->type == PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED) {
            if (auto r = from.set_local_description(ev->sdp_type(), ev->sdp()); !r) return r.error();
            s.description = true;
            s.a = ev->sdp_type();
            s.b = ev->sdp();
            wire.push_back(std::move(s));
        } else if (ev->type == PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED) {
            s.a = ev->media();
            s.b = ev->candidate();
            s.index = ev->index;
            wire.push_back(std::move(s));
        } else if (ev->type == PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED) {
            received = std::move(ev->channel);
        }
    }
    return PP_OK;
}

static pp_error deliver(std::deque<Signal> &wire, pp::WebRTCPeerConnection &to) {
    for (; !wire.empty(); wire.pop_front()) {
        const Signal &s = wire.front();
        pp::Status r = s.description ? to.set_remote_description(s.a, s.b) : to.add_ice_candidate(s.a, s.index, s.b);
        if (!r) return r.error();
    }
    return PP_OK;
}

static bool is_open(pp::WebRTCDataChannel &c) { return c && c.get_ready_state() == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN; }

int main() {
    // {"bindAddresses": ["127.0.0.1"]}
    auto config = pp::Variant::dictionary();
    auto addresses = pp::Variant::array();
    auto key = pp::Variant::from_string("bindAddresses");
    auto loopback = pp::Variant::from_string("127.0.0.1");
    if (!config || !addresses || !key || !loopback) return fail("variant", PP_ERR_OUT_OF_MEMORY);
    if (!addresses->append(*loopback) || !config->set(*key, *addresses)) return fail("config", PP_FAILED);

    auto a = pp::WebRTCPeerConnection::create();
    auto b = pp::WebRTCPeerConnection::create();
    if (!a || !b) return fail("new", a ? b.error() : a.error());
    if (auto r = a->initialize(*config); !r) return fail("initialize a", r.error());
    if (auto r = b->initialize(*config); !r) return fail("initialize b", r.error());

    // Reliable and ordered (the default), announced in-band: B gets it as DATA_CHANNEL_RECEIVED.
    auto chat = a->create_data_channel("chat");
    if (!chat) return fail("create_data_channel chat", chat.error());
    // Unreliable and unordered, negotiated: both sides make it with the same id.
    auto options = pp::Variant::dictionary();
    if (!options) return fail("variant", options.error());
    struct {
        const char *key;
        pp::Result<pp::Variant> value;
    } fields[] = {{"negotiated", pp::Variant::from_bool(true)},
                  {"id", pp::Variant::from_int(1)},
                  {"ordered", pp::Variant::from_bool(false)},
                  {"maxRetransmits", pp::Variant::from_int(0)}};
    for (auto &f : fields) {
        auto k = pp::Variant::from_string(f.key);
        if (!k || !f.value || !options->set(*k, *f.value)) return fail("options", PP_FAILED);
    }
    auto fast_a = a->create_data_channel("fast", *options);
    auto fast_b = b->create_data_channel("fast", *options);
    if (!fast_a || !fast_b) return fail("create_data_channel fast", fast_a ? fast_b.error() : fast_a.error());

    if (auto r = a->create_offer(); !r) return fail("create_offer", r.error());

    std::deque<Signal> to_a, to_b;
    pp::WebRTCDataChannel chat_b, unused;
    bool sent = false, answered = false, done = false;
    int last_reply = 0;
    for (int i = 0; i < 3000 && !done; i++) {  // at most ~15 s
        (void)a->poll();
        (void)b->poll();
        pp_error e = collect(*a, to_b, unused);
        if (e == PP_OK) e = deliver(to_b, *b);
        if (e == PP_OK) e = collect(*b, to_a, chat_b);
        if (e == PP_OK) e = deliver(to_a, *a);
        if (e != PP_OK) return fail("signalling", e);
        if (a->get_connection_state() == PP_WEBRTC_STATE_FAILED) {
            std::fprintf(stderr, "connection failed: %s\n", a->last_error_text().c_str());
            return 1;
        }

        if (!sent && is_open(*chat) && is_open(chat_b) && is_open(*fast_a) && is_open(*fast_b)) {
            std::puts("connected: channels \"chat\" (reliable) and \"fast\" (unreliable) open");
            if (auto r = chat->set_write_mode(PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT); !r) return fail("write mode", r.error());
            if (auto r = chat->put_packet(std::string_view("hello from A")); !r) return fail("A put_packet", r.error());
            sent = true;
        }
        if (sent && !answered && chat_b.get_available_packet_count().value_or(0) > 0) {
            auto p = chat_b.get_packet();
            if (!p) return fail("B get_packet", p.error());
            std::printf("B got %s on \"chat\": %.*s\n", chat_b.was_string_packet() ? "text" : "bytes",
                        static_cast<int>(p->size), reinterpret_cast<const char *>(p->data));
            answered = true;
        }
        // Unreliable means it may be lost: B repeats its reply every ~100 ms until A has it.
        if (answered && !done && (last_reply == 0 || i - last_reply >= 20)) {
            const uint8_t reply[] = {0x01, 0x02, 0x03};
            if (auto r = fast_b->put_packet(reply); !r) return fail("B put_packet", r.error());
            last_reply = i;
        }
        if (answered && fast_a->get_available_packet_count().value_or(0) > 0) {
            auto p = fast_a->get_packet();
            if (!p) return fail("A get_packet", p.error());
            std::printf("A got %zu %s on \"fast\"\n", p->size, fast_a->was_string_packet() ? "text" : "bytes");
            done = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!done) {
        std::fprintf(stderr, "timed out (A: %s)\n", a->last_error_text().c_str());
        return 1;
    }
    a->close();
    b->close();
    return 0;
}
