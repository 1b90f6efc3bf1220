// Tests of include/packetpeer.hpp, built by CMake four ways: with and without -fno-exceptions, each
// plain and under ASan+UBSan (-std=c++17 -Wall -Wextra -Wpedantic -Werror). Loopback only, port 0,
// every wait bounded.
#include <packetpeer.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <type_traits>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                           \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

// Owners are move-only.
static_assert(!std::is_copy_constructible_v<pp::Variant>);
static_assert(!std::is_copy_assignable_v<pp::PacketPeerUDP>);
static_assert(std::is_nothrow_move_constructible_v<pp::ENetConnection>);
static_assert(std::is_nothrow_move_assignable_v<pp::StreamPeerTCP>);
static_assert(!std::is_copy_constructible_v<pp::Result<pp::Variant>>);

// Calls `step` until `done` (at most ~5 s).
template <typename Step, typename Done>
static bool wait_for(Step step, Done done) {
    for (int i = 0; i < 1000; i++) {
        step();
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

static int test_result_and_variant() {
    pp::Result<int> bad(PP_ERR_BUSY);
    CHECK(!bad && bad.error() == PP_ERR_BUSY && std::strcmp(bad.error_name(), "ERR_BUSY") == 0);
    CHECK(std::move(bad).value_or(7) == 7);
    pp::Result<int> zero(PP_OK);  // an error result never claims success
    CHECK(!zero && zero.error() == PP_ERR_BUG);

    auto v = pp::Variant::dictionary();
    CHECK(v.ok());
    auto key = pp::Variant::from_string("pos");
    auto val = pp::Variant::from_vector2(1.5, -2);
    CHECK(key && val);
    CHECK(v->set(*key, *val));
    auto bytes = v->to_bytes();
    CHECK(bytes && !bytes->empty());
    auto back = pp::Variant::from_bytes(*bytes);
    CHECK(back && *back == *v);
    auto got = back->at(*key);
    CHECK(got && got->as_vector2()->at(0) == 1.5);
    CHECK(got->as_int().error() == PP_ERR_INVALID_PARAMETER);  // wrong type: a code, not a crash
    CHECK(back->to_string()->find("pos") != std::string::npos);

    auto s = pp::Variant::from_string(std::string_view("a\0b", 3));  // a Godot String holds no NUL
    CHECK(s.error() == PP_ERR_INVALID_PARAMETER);
    CHECK(*pp::Variant::from_string(std::string_view("abc", 2))->as_string() == "ab");

    // Moves leave the source empty; the owner frees exactly once.
    pp::Variant moved = std::move(*back);
    CHECK(moved && !*back);
    pp::Variant other;
    other = std::move(moved);
    CHECK(other && !moved);

    // Codec errors keep the offset and reason.
    auto codec = pp::Codec::create();
    CHECK(codec);
    const uint8_t truncated[] = {0x1c, 0, 0, 0, 2, 0, 0, 0};
    auto d = codec->decode(truncated);
    CHECK(!d && d.error() == PP_ERR_INVALID_DATA);
    pp::CodecError why = codec->last_error();
    CHECK(why.code == PP_ERR_INVALID_DATA && why.offset == 8 && !why.reason.empty());
    size_t used = 0;
    std::vector<uint8_t> five = *pp::Variant::from_int(5)->to_bytes();
    five.push_back(0xff);
    CHECK(codec->decode(five, &used) && used == 8);

    auto raw = pp::scene_multiplayer_build_raw(std::string_view("hi"));
    CHECK(raw && (*raw)[0] == 0x03);
    return 0;
}

static int test_udp() {
    auto a = pp::PacketPeerUDP::create();
    auto b = pp::PacketPeerUDP::create();
    CHECK(a && b);
    CHECK(a->bind(0, "127.0.0.1"));
    CHECK(b->bind(0, "127.0.0.1"));
    CHECK(a->set_dest_address("127.0.0.1", b->get_local_port()));
    CHECK(a->put_var(*pp::Variant::from_int(42)));
    CHECK(b->wait(5000));
    auto v = b->get_var();
    CHECK(v && *v->as_int() == 42);
    CHECK(*b->get_packet_ip() == "127.0.0.1");
    CHECK(b->get_packet().error() == PP_ERR_UNAVAILABLE);
    // The port is taken: UDP bind answers ERR_UNAVAILABLE (the README's error table).
    auto c = pp::PacketPeerUDP::create();
    CHECK(c->bind(a->get_local_port(), "127.0.0.1").error() == PP_ERR_UNAVAILABLE);
    CHECK(c->bind(0, std::string_view("127.0.0.1\0x", 11)).error() == PP_ERR_INVALID_PARAMETER);
    return 0;
}

static int test_tcp_stream() {
    auto server = pp::TCPServer::create();
    auto client = pp::StreamPeerTCP::create();
    CHECK(server && client);
    CHECK(server->listen(0, "127.0.0.1"));
    CHECK(client->connect_to_host("127.0.0.1", server->get_local_port()));
    CHECK(wait_for([&] { (void)client->poll(); },
                   [&] { return client->get_status() != PP_STREAM_PEER_TCP_STATUS_CONNECTING; }));
    CHECK(client->get_status() == PP_STREAM_PEER_TCP_STATUS_CONNECTED);
    CHECK(wait_for([] {}, [&] { return server->is_connection_available(); }));
    auto accepted = server->take_connection();
    CHECK(accepted);
    auto a = pp::PacketPeerStream::create();
    auto b = pp::PacketPeerStream::create();
    CHECK(a && b && a->set_stream_peer(*client) && b->set_stream_peer(*accepted));
    CHECK(a->put_var(*pp::Variant::from_string("over tcp")));
    CHECK(wait_for([&] { (void)accepted->poll(); }, [&] { return b->get_available_packet_count().value_or(0) > 0; }));
    auto v = b->get_var();
    CHECK(v && *v->as_string() == "over tcp");
    return 0;
}

static int test_enet() {
    auto server = pp::ENetConnection::create();
    auto client = pp::ENetConnection::create();
    CHECK(server && client);
    CHECK(server->create_host_bound("127.0.0.1", 0, 4));
    CHECK(client->create_host_bound("127.0.0.1", 0, 1));
    auto peer = client->connect_to_host("127.0.0.1", server->get_local_port(), 2, 77);
    CHECK(peer);
    pp::ENetPacketPeer remote;
    bool client_up = false;
    std::vector<uint8_t> received;
    auto step = [&] {
        if (auto ev = server->service(0)) {
            if (ev->type == PP_ENET_EVENT_TYPE_CONNECT) remote = ev->peer;
            if (ev->type == PP_ENET_EVENT_TYPE_RECEIVE) {
                auto v = ev->peer.get_var();
                if (v) received = *v->to_bytes();
            }
        }
        if (auto ev = client->service(0)) client_up = client_up || ev->type == PP_ENET_EVENT_TYPE_CONNECT;
    };
    CHECK(wait_for(step, [&] { return bool(remote) && client_up; }));
    auto payload = pp::Variant::from_int(1234);
    CHECK(peer->put_var(*payload));
    CHECK(wait_for(step, [&] { return !received.empty(); }));
    CHECK(received == *payload->to_bytes());
    // The port is taken: ENet create_host_bound answers ERR_CANT_CREATE (the README's error table).
    auto third = pp::ENetConnection::create();
    CHECK(third->create_host_bound("127.0.0.1", server->get_local_port()).error() == PP_ERR_CANT_CREATE);
    return 0;
}

#if defined(__cpp_exceptions)
static int test_exceptions() {
    try {
        pp::Result<int> r(PP_ERR_TIMEOUT);
        (void)r.value_or_throw();
        CHECK(false);
    } catch (const pp::Exception &e) {
        CHECK(e.code() == PP_ERR_TIMEOUT && std::strcmp(e.what(), "ERR_TIMEOUT") == 0);
    }
    pp::Variant v = pp::Variant::from_int(3).value_or_throw();
    CHECK(*v.as_int() == 3);
    bool thrown = false;
    try {
        pp::check(PP_ERR_BUSY);
    } catch (const pp::Exception &) {
        thrown = true;
    }
    CHECK(thrown);
    return 0;
}
#endif

int main() {
    int failed = 0;
    failed |= test_result_and_variant();
    failed |= test_udp();
    failed |= test_tcp_stream();
    failed |= test_enet();
#if defined(__cpp_exceptions)
    failed |= test_exceptions();
    std::puts(failed ? "FAILED (exceptions on)" : "ok (exceptions on)");
#else
    std::puts(failed ? "FAILED (-fno-exceptions)" : "ok (-fno-exceptions)");
#endif
    return failed;
}
