// Tests of include/packetpeer.hpp, built by CMake four ways: with and without -fno-exceptions, each
// plain and under ASan+UBSan (-std=c++17 -Wall -Wextra -Wpedantic -Werror). Loopback only (127.0.0.1
// and ::1), port 0, every wait bounded.
#include <packetpeer.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <thread>
#include <type_traits>

#include "../../c_tests/test_cert.h"  // the fixed test key and certificate (CN=localhost)

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
static_assert(!std::is_copy_constructible_v<pp::WebRTCPeerConnection>);
static_assert(!std::is_copy_constructible_v<pp::WebRTCEvent>);  // it owns its channel
static_assert(std::is_nothrow_move_constructible_v<pp::WebRTCDataChannel>);
static_assert(std::is_base_of_v<pp::Peer, pp::WebRTCDataChannel>);
static_assert(std::is_base_of_v<pp::MultiplayerPeer, pp::WebRTCMultiplayerPeer>);
static_assert(std::is_base_of_v<pp::Peer, pp::PacketPeerDTLS>);
static_assert(std::is_base_of_v<pp::StreamPeer, pp::StreamPeerTLS>);
static_assert(std::is_base_of_v<pp_conditioner_options, pp::ConditionerOptions>);

// Calls `step` until `done` (at most `rounds` rounds of 5 ms: ~5 s by default).
template <typename Step, typename Done>
static bool wait_for(Step step, Done done, int rounds = 1000) {
    for (int i = 0; i < rounds; i++) {
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

// A port nothing listens on: bound, read, and closed again.
static int32_t closed_udp_port(const char *ip) {
    auto u = pp::PacketPeerUDP::create();
    if (!u || !u->bind(0, ip)) return 0;
    return u->get_local_port();
}

// PacketPeerUDP on 127.0.0.1 and ::1: the conditioner drops what it is told to and counts it;
// last_error_text says why a bind failed.
static int test_udp_conditioner_and_errors() {
    for (const char *ip : {"127.0.0.1", "::1"}) {
        auto a = pp::PacketPeerUDP::create();
        auto b = pp::PacketPeerUDP::create();
        CHECK(a && b && a->bind(0, ip) && b->bind(0, ip));
        CHECK(a->is_bound() && !a->is_socket_connected());
        CHECK(a->set_dest_address(ip, b->get_local_port()));
        pp::ConditionerOptions drop_all;
        CHECK(drop_all.size == sizeof(pp_conditioner_options) && drop_all.max_queued == 4096);
        CHECK(drop_all.outgoing.loss == 0.0 && drop_all.incoming.delay_ms == 0);
        CHECK(a->get_conditioner_stats().error() == PP_ERR_UNCONFIGURED);
        drop_all.seed = 1;
        drop_all.outgoing.loss = 1.0;
        CHECK(a->set_conditioner(drop_all));
        for (int i = 0; i < 5; i++) CHECK(a->put_packet(std::string_view("lost")));
        CHECK(b->wait(100).error() == PP_ERR_BUSY);  // nothing gets through (BUSY: the time passed)
        auto st = a->get_conditioner_stats();
        CHECK(st && st->outgoing.offered == 5 && st->outgoing.dropped_loss == 5 && st->outgoing.released == 0);
        pp::ConditionerOptions bad;
        bad.outgoing.loss = 2.0;
        CHECK(a->set_conditioner(bad).error() == PP_ERR_INVALID_PARAMETER);
        CHECK(a->remove_conditioner());
        CHECK(a->get_conditioner_stats().error() == PP_ERR_UNCONFIGURED);
        CHECK(a->put_packet(std::string_view("kept")));
        CHECK(b->wait(5000));
        CHECK(b->wait());  // the unbounded wait returns at once: a datagram is pending
        auto p = b->get_packet();
        CHECK(p && p->size == 4 && std::memcmp(p->data, "kept", 4) == 0);
        CHECK(*b->get_packet_ip() == (ip[0] == ':' ? "0:0:0:0:0:0:0:1" : ip));  // Godot writes IPv6 out
        auto net = a->get_stats();
        CHECK(net.ok());
        // Batches: three datagrams out in one call, in one call back.
        const std::vector<pp::Bytes> batch = {std::string_view("one"), std::string_view("two"), std::string_view("three")};
        auto sent = a->put_packets(batch);
        CHECK(sent && *sent == 3);
        std::vector<uint8_t> slots(4 * 256);
        std::vector<pp_udp_packet_info> infos;
        std::vector<std::string> payloads;
        CHECK(wait_for(
            [&] {
                auto got = b->get_packets(slots, 4);
                if (!got) return;
                for (const pp_udp_packet_info &i : *got) {
                    infos.push_back(i);
                    payloads.emplace_back(reinterpret_cast<const char *>(slots.data() + i.offset), i.len);
                }
            },
            [&] { return infos.size() >= 3; }));
        CHECK(payloads == (std::vector<std::string>{"one", "two", "three"}) && !infos[2].truncated);
        std::array<uint8_t, 16> from{};
        std::memcpy(from.data(), infos[0].ip, 16);
        CHECK(*pp::ip_address_to_string(from) == *b->get_packet_ip() && infos[0].port == a->get_local_port());

        auto c = pp::PacketPeerUDP::create();
        CHECK(c->last_error_text().empty());
        CHECK(c->bind(a->get_local_port(), ip).error() == PP_ERR_UNAVAILABLE);
        std::string why = c->last_error_text();
        CHECK(why.find("in use") != std::string::npos);
    }
    return 0;
}

// ENet on 127.0.0.1 and ::1: a connect to a closed port fails at once with the cause and a reason
// (fail_connect_on_refused, on by default); a conditioner on the client's host sees the handshake.
static int test_enet_refused_and_conditioner() {
    for (const char *ip : {"127.0.0.1", "::1"}) {
        auto c = pp::ENetConnection::create();
        CHECK(c && c->is_fail_connect_on_refused());
        CHECK(c->set_fail_connect_on_refused(false) && !c->is_fail_connect_on_refused());
        CHECK(c->set_fail_connect_on_refused(true) && c->is_fail_connect_on_refused());
        CHECK(c->create_host_bound(ip, 0, 1));
        int32_t port = closed_udp_port(ip);
        CHECK(port > 0);
        auto peer = c->connect_to_host(ip, port);
        CHECK(peer && peer->get_connect_failure() == PP_ENET_CONNECT_FAILURE_NONE && peer->last_error_text().empty());
        pp_enet_event_type got = PP_ENET_EVENT_TYPE_NONE;
        for (int i = 0; i < 400 && got == PP_ENET_EVENT_TYPE_NONE; i++) {  // ENet alone: 31.5 s
            auto ev = c->service(5);
            CHECK(ev);
            got = ev->type;
        }
        CHECK(got == PP_ENET_EVENT_TYPE_DISCONNECT);
        CHECK(peer->get_connect_failure() == PP_ENET_CONNECT_FAILURE_REFUSED && !peer->is_active());
        CHECK(peer->last_error_text().find("refused") != std::string::npos);
        CHECK(c->last_error_text() == peer->last_error_text());

        auto server = pp::ENetConnection::create();
        auto client = pp::ENetConnection::create();
        CHECK(server && client && server->create_host_bound(ip, 0, 4) && client->create_host_bound(ip, 0, 1));
        pp::ConditionerOptions slow;
        slow.seed = 3;
        slow.outgoing.delay_ms = 10;
        slow.incoming.delay_ms = 10;
        CHECK(client->set_conditioner(slow));
        auto to_server = client->connect_to_host(ip, server->get_local_port(), 2);
        CHECK(to_server);
        bool up = false, server_up = false;
        CHECK(wait_for(
            [&] {
                if (auto ev = server->service(0)) server_up = server_up || ev->type == PP_ENET_EVENT_TYPE_CONNECT;
                if (auto ev = client->service(0)) up = up || ev->type == PP_ENET_EVENT_TYPE_CONNECT;
            },
            [&] { return up && server_up; }));
        auto st = client->get_conditioner_stats();
        CHECK(st && st->outgoing.offered > 0 && st->incoming.offered > 0 && st->outgoing.released > 0);
        CHECK(st->outgoing.dropped_loss == 0);
        auto peers = server->get_peers();
        CHECK(peers && peers->size() == 1 && (*peers)[0].get_remote_port() == client->get_local_port());
        CHECK(*(*peers)[0].get_remote_address() == (ip[0] == ':' ? "0:0:0:0:0:0:0:1" : ip));
        CHECK(to_server->get_channels() == 2);
        CHECK(client->remove_conditioner());
        CHECK(client->get_conditioner_stats().error() == PP_ERR_UNCONFIGURED);
    }
    return 0;
}

// StreamPeerTLS over an in-memory pipe with a key and certificate made by the wrapped Crypto calls;
// then a client that does not trust the server fails with a reason.
static int test_stream_tls() {
    auto key = pp::CryptoKey::generate_rsa(2048);
    CHECK(key && !key->is_public_only());
    auto cert = pp::X509Certificate::generate_self_signed(*key, "CN=localhost,O=packetpeer,C=IT");
    CHECK(cert && cert->get_count() == 1);
    auto pem = cert->save_pem();
    CHECK(pem && pem->find("BEGIN CERTIFICATE") != std::string::npos);
    auto again = pp::X509Certificate::load_pem(*pem);
    CHECK(again && *again->get_sha256() == *cert->get_sha256());
    auto pub = pp::CryptoKey::load_pem(*key->save_pem(true), true);
    CHECK(pub && pub->is_public_only());
    CHECK(!pp::CryptoKey::load_pem(std::string_view("not a key")));
    CHECK(!pp::tls_last_error_text().empty());
    auto server_opts = pp::TLSOptions::server(*key, *cert);
    auto client_opts = pp::TLSOptions::client(&*cert);
    CHECK(server_opts && client_opts && server_opts->is_server() && client_opts->get_kind() == PP_TLS_OPTIONS_CLIENT);
    CHECK(server_opts->get_own_certificate() && client_opts->get_private_key().error() == PP_ERR_UNAVAILABLE);

    for (int round = 0; round < 2; round++) {
        const bool trusted = round == 0;
        auto system_opts = pp::TLSOptions::client();  // the system CAs: our self-signed server is not in them
        CHECK(system_opts);
        auto pipe = pp::StreamPeer::pipe();
        CHECK(pipe);
        auto client = pp::StreamPeerTLS::create();
        auto server = pp::StreamPeerTLS::create();
        CHECK(client && server && client->get_status() == PP_TLS_STATUS_DISCONNECTED);
        CHECK(client->get_stream().error() == PP_ERR_UNAVAILABLE);
        CHECK(server->accept_stream(pipe->second, *client_opts).error() == PP_ERR_INVALID_PARAMETER);
        CHECK(client->connect_to_stream(pipe->first, "localhost", trusted ? &*client_opts : &*system_opts));
        CHECK(server->accept_stream(pipe->second, *server_opts));
        auto settled = [&] {
            return client->get_status() != PP_TLS_STATUS_HANDSHAKING && server->get_status() != PP_TLS_STATUS_HANDSHAKING;
        };
        CHECK(wait_for(
            [&] {
                (void)client->poll();
                (void)server->poll();
            },
            settled));
        if (!trusted) {
            CHECK(client->get_status() == PP_TLS_STATUS_ERROR);
            CHECK(!client->last_error_text().empty());
            CHECK(client->get_stats()->handshakes_failed == 1);
            continue;
        }
        CHECK(client->get_status() == PP_TLS_STATUS_CONNECTED && server->get_status() == PP_TLS_STATUS_CONNECTED);
        CHECK(client->last_error_text().empty());
        CHECK(client->get_stream());
        CHECK(client->put_var(*pp::Variant::from_string("over tls")));
        CHECK(wait_for([&] { (void)server->poll(); },
                       [&] { return server->get_available_bytes().value_or(0) > 0; }));
        auto got = server->get_var();
        CHECK(got && *got->as_string() == "over tls");
        CHECK(client->get_stats()->handshakes_completed == 1);
        CHECK(client->disconnect_from_stream() && client->get_status() == PP_TLS_STATUS_DISCONNECTED);
    }
    return 0;
}

// DTLS on 127.0.0.1 and ::1 with the fixed test certificate: a UDPServer + DTLSServer (handing
// out peers with a conditioner) and a PacketPeerDTLS client exchange a packet each way; a client
// trusting only the system CAs fails with a reason.
static int test_dtls() {
    auto key = pp::CryptoKey::load_pem(std::string_view(EC_KEY_PEM));
    auto cert = pp::X509Certificate::load_pem(std::string_view(EC_CERT_PEM));
    CHECK(key && cert);
    auto server_opts = pp::TLSOptions::server(*key, *cert);
    auto client_opts = pp::TLSOptions::client(&*cert);
    CHECK(server_opts && client_opts);
    for (const char *ip : {"127.0.0.1", "::1"}) {
        for (int round = 0; round < 2; round++) {
            const bool trusted = round == 0;
            auto system_opts = pp::TLSOptions::client();
            auto us = pp::UDPServer::create();
            auto ds = pp::DTLSServer::create();
            CHECK(system_opts && us && ds && us->listen(0, ip) && us->is_listening());
            auto udp = pp::PacketPeerUDP::create();
            CHECK(udp && udp->connect_to_host(ip, us->get_local_port()));
            CHECK(ds->take_connection(*udp).error() == PP_ERR_UNCONFIGURED);  // not set up yet
            CHECK(ds->last_error_text().empty());
            CHECK(ds->setup(*client_opts).error() == PP_ERR_INVALID_PARAMETER);
            CHECK(ds->last_error_text().find("server options") != std::string::npos);
            CHECK(ds->setup(*server_opts));
            CHECK(ds->setup(*server_opts).error() == PP_ERR_ALREADY_IN_USE);
            CHECK(ds->set_max_handshakes(-1).error() == PP_ERR_INVALID_PARAMETER);
            CHECK(ds->set_max_handshakes(8));
            pp::ConditionerOptions cond;
            cond.seed = 11;
            cond.outgoing.delay_ms = 2;
            CHECK(ds->set_conditioner(cond));
            auto cli = pp::PacketPeerDTLS::create();
            CHECK(cli && cli->get_status() == PP_TLS_STATUS_DISCONNECTED);
            CHECK(cli->set_handshake_timeout(5000));
            CHECK(cli->connect_to_peer(*udp, "localhost", trusted ? &*client_opts : &*system_opts));
            udp->reset();  // the DTLS peer keeps its own reference
            pp::PacketPeerDTLS srv;
            auto step = [&] {
                (void)us->poll();
                while (auto pending = us->take_connection()) {
                    auto p = ds->take_connection(*pending);
                    // The cookie round's peers end in ERROR at once: drop them, keep the retry.
                    if (p && p->get_status() == PP_TLS_STATUS_HANDSHAKING && !srv) srv = std::move(*p);
                }
                (void)cli->poll();
                if (srv) (void)srv.poll();
            };
            auto settled = [&] {
                return cli->get_status() != PP_TLS_STATUS_HANDSHAKING &&
                       (!trusted || (srv && srv.get_status() == PP_TLS_STATUS_CONNECTED));
            };
            CHECK(wait_for(step, settled, 2000));
            if (!trusted) {
                CHECK(cli->get_status() == PP_TLS_STATUS_ERROR);
                CHECK(!cli->last_error_text().empty());
                CHECK(cli->get_stats()->handshakes_failed == 1);
                continue;
            }
            CHECK(cli->get_status() == PP_TLS_STATUS_CONNECTED && cli->last_error_text().empty());
            auto sst = ds->get_stats();
            CHECK(sst && sst->cookie_rounds >= 1 && sst->handshakes_started == 1);
            CHECK(cli->get_conditioner_stats().error() == PP_ERR_UNCONFIGURED);
            CHECK(cli->put_packet(std::string_view("ping")) && srv.put_packet(std::string_view("pong")));
            std::string at_server, at_client;
            CHECK(wait_for(
                [&] {
                    step();
                    if (auto p = srv.get_packet()) at_server.assign(reinterpret_cast<const char *>(p->data), p->size);
                    if (auto p = cli->get_packet()) at_client.assign(reinterpret_cast<const char *>(p->data), p->size);
                },
                [&] { return !at_server.empty() && !at_client.empty(); }));
            CHECK(at_server == "ping" && at_client == "pong");
            // The server's peer came with the conditioner: it held back what the server sent.
            auto cst = srv.get_conditioner_stats();
            CHECK(cst && cst->outgoing.offered > 0 && cst->outgoing.released > 0);
            auto st = cli->get_stats();
            CHECK(st && st->handshakes_completed == 1 && st->packets_out == 1 && st->packets_in == 1);
            CHECK(cli->disconnect_from_peer() && cli->get_status() == PP_TLS_STATUS_DISCONNECTED);
        }
    }
    return 0;
}

// What one peer's signals become on the way to the other (the "signalling server" is a queue).
struct Signal {
    bool description = false;  // else a candidate
    std::string a, b;          // type and SDP, or media and candidate
    int32_t index = 0;
};

// Moves every signal of `from` into `wire`; keeps the channels it announces.
static bool drain(pp::WebRTCPeerConnection &from, std::deque<Signal> &wire,
                  std::vector<pp::WebRTCDataChannel> &received) {
    for (int i = 0; i < 2048; i++) {  // the queue holds at most 1024
        auto ev = from.pop_event();
        if (!ev) return ev.error() == PP_ERR_UNAVAILABLE;
        Signal s;
        switch (ev->type) {
        case PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED:
            if (!from.set_local_description(ev->sdp_type(), ev->sdp())) return false;
            s.description = true;
            s.a = ev->sdp_type();
            s.b = ev->sdp();
            wire.push_back(std::move(s));
            break;
        case PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED:
            s.a = ev->media();
            s.b = ev->candidate();
            s.index = ev->index;
            wire.push_back(std::move(s));
            break;
        case PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED:
            if (!ev->channel) return false;
            received.push_back(std::move(ev->channel));
            break;
        default:
            break;
        }
    }
    return false;
}

static bool deliver(std::deque<Signal> &wire, pp::WebRTCPeerConnection &to) {
    for (; !wire.empty(); wire.pop_front()) {
        const Signal &s = wire.front();
        pp::Status st = s.description ? to.set_remote_description(s.a, s.b) : to.add_ice_candidate(s.a, s.index, s.b);
        if (!st) return false;
    }
    return true;
}

// {"bindAddresses": [ip]}: host candidates on loopback only.
static pp::Result<pp::Variant> loopback_config(std::string_view ip) {
    auto d = pp::Variant::dictionary();
    auto list = pp::Variant::array();
    auto k = pp::Variant::from_string("bindAddresses");
    auto v = pp::Variant::from_string(ip);
    if (!d || !list || !k || !v) return PP_ERR_OUT_OF_MEMORY;
    if (!list->append(*v) || !d->set(*k, *list)) return PP_FAILED;
    return std::move(*d);
}

// Two WebRTCPeerConnections in one process on `ip` (127.0.0.1, then ::1), signalling through memory: a reliable
// in-band channel and a negotiated unreliable one carry text and binary both ways; the conditioner
// on one side sees every datagram; a bad answer gives a reason; channels outlive the connection.
static int test_webrtc_pair(const char *ip) {
    auto cfg = loopback_config(ip);
    auto a = pp::WebRTCPeerConnection::create();
    auto b = pp::WebRTCPeerConnection::create();
    CHECK(cfg && a && b);
    CHECK(a->create_offer().error() == PP_ERR_UNCONFIGURED);
    CHECK(a->initialize(*cfg) && b->initialize(*cfg));
    CHECK(a->get_connection_state() == PP_WEBRTC_STATE_NEW);
    CHECK(a->pop_event().error() == PP_ERR_UNAVAILABLE);
    CHECK(a->get_conditioner_stats().error() == PP_ERR_UNCONFIGURED);
    pp::ConditionerOptions cond;  // a little delay each way, nothing lost
    cond.seed = 5;
    cond.outgoing.delay_ms = 2;
    cond.incoming.delay_ms = 2;
    CHECK(a->set_conditioner(cond));

    auto chat = a->create_data_channel("chat");
    auto opts = pp::Variant::dictionary();
    CHECK(chat && opts);
    CHECK(opts->set(*pp::Variant::from_string("negotiated"), *pp::Variant::from_bool(true)));
    CHECK(opts->set(*pp::Variant::from_string("id"), *pp::Variant::from_int(3)));
    CHECK(opts->set(*pp::Variant::from_string("ordered"), *pp::Variant::from_bool(false)));
    CHECK(opts->set(*pp::Variant::from_string("maxRetransmits"), *pp::Variant::from_int(0)));
    auto fast_a = a->create_data_channel("fast", *opts);
    auto fast_b = b->create_data_channel("fast", *opts);
    CHECK(fast_a && fast_b);
    CHECK(fast_a->get_id() == 3 && fast_a->is_negotiated() && !fast_a->is_ordered());
    CHECK(fast_a->get_max_retransmits() == 0 && fast_a->get_max_packet_life_time() == 65535);
    CHECK(chat->get_ready_state() == PP_WEBRTC_DATA_CHANNEL_STATE_CONNECTING && chat->is_ordered());
    CHECK(chat->get_write_mode() == PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_BINARY);
    CHECK(*chat->get_label() == "chat" && chat->poll());
    CHECK(a->create_data_channel(std::string_view("x\0y", 3)).error() == PP_ERR_INVALID_PARAMETER);

    CHECK(a->create_offer());
    CHECK(a->get_signaling_state() == PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
    std::deque<Signal> to_a, to_b;
    std::vector<pp::WebRTCDataChannel> got_a, got_b;
    bool signalling_ok = true;
    auto step = [&] {
        (void)a->poll();
        (void)b->poll();
        signalling_ok = signalling_ok && drain(*a, to_b, got_a) && deliver(to_b, *b);
        signalling_ok = signalling_ok && drain(*b, to_a, got_b) && deliver(to_a, *a);
    };
    auto open = [](pp::WebRTCDataChannel &c) { return c.get_ready_state() == PP_WEBRTC_DATA_CHANNEL_STATE_OPEN; };
    CHECK(wait_for(step, [&] { return !signalling_ok || (got_b.size() == 1 && open(*chat) && open(*fast_a) && open(*fast_b)); }, 3000));
    CHECK(signalling_ok && got_a.empty());
    CHECK(a->get_connection_state() == PP_WEBRTC_STATE_CONNECTED && b->get_connection_state() == PP_WEBRTC_STATE_CONNECTED);
    pp::WebRTCDataChannel &chat_b = got_b[0];
    CHECK(*chat_b.get_label() == "chat" && chat_b.get_protocol()->empty() && !chat_b.is_negotiated());

    // Reliable: binary (with a NUL), text, a Variant. Unreliable, the other way: binary, then text.
    const uint8_t bin[] = {'b', 0, 0xff};
    CHECK(chat->put_packet(bin));
    CHECK(chat->set_write_mode(PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT));
    CHECK(chat->put_packet(std::string_view("hello text")));
    CHECK(chat->set_write_mode(PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_BINARY));
    CHECK(chat->put_var(*pp::Variant::from_int(77)));
    CHECK(fast_b->put_packet(std::string_view("u-bin")));
    CHECK(fast_b->set_write_mode(PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT));
    CHECK(fast_b->put_packet(std::string_view("u-text")));
    CHECK(wait_for(step, [&] {
        return chat_b.get_available_packet_count().value_or(0) == 3 && fast_a->get_available_packet_count().value_or(0) == 2;
    }, 3000));
    auto p = chat_b.get_packet();
    CHECK(p && p->size == 3 && std::memcmp(p->data, bin, 3) == 0 && !chat_b.was_string_packet());
    auto p2 = chat_b.get_packet();
    CHECK(p2 && std::string_view(reinterpret_cast<const char *>(p2->data), p2->size) == "hello text");
    CHECK(chat_b.was_string_packet());
    auto v = chat_b.get_var();
    CHECK(v && *v->as_int() == 77 && !chat_b.was_string_packet());
    CHECK(chat_b.get_packet().error() == PP_ERR_UNAVAILABLE);
    // Unordered: either order; each keeps its kind.
    for (int i = 0; i < 2; i++) {
        auto q = fast_a->get_packet();
        CHECK(q);
        std::string_view s(reinterpret_cast<const char *>(q->data), q->size);
        CHECK((s == "u-bin" && !fast_a->was_string_packet()) || (s == "u-text" && fast_a->was_string_packet()));
    }
    CHECK(chat->get_buffered_amount() >= 0 && chat_b.get_refused_count() == 0);

    auto cst = a->get_conditioner_stats();
    CHECK(cst && cst->outgoing.offered > 0 && cst->incoming.offered > 0 && cst->incoming.released > 0);
    CHECK(cst->outgoing.dropped_loss == 0 && cst->incoming.dropped_loss == 0);
    auto stats = a->get_stats();
    CHECK(stats && stats->messages_refused == 0);

    // An answer without an offer of ours: a code and, beyond the engine, the reason.
    CHECK(b->last_error_text().empty());
    CHECK(!b->set_remote_description("answer", "v=0\r\n"));
    CHECK(!b->last_error_text().empty() && *b->get_last_error() == b->last_error_text());

    // Closing the channel from b's side closes it at a; then the connection goes, the channels stay.
    chat_b.close();
    CHECK(wait_for(step, [&] { return chat->get_ready_state() == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED; }, 3000));
    CHECK(chat->put_packet(std::string_view("late")).error() == PP_FAILED);
    a->close();
    CHECK(a->get_connection_state() == PP_WEBRTC_STATE_CLOSED);
    a.value().reset();
    CHECK(fast_a->get_ready_state() == PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
    return 0;
}

// WebRTCMultiplayerPeer: a server and a client over one connection pair on 127.0.0.1; the client
// sends on the extra unreliable channel; the server sees who and where.
static int test_webrtc_multiplayer() {
    auto cfg = loopback_config("127.0.0.1");
    auto srv = pp::WebRTCMultiplayerPeer::create();
    auto cli = pp::WebRTCMultiplayerPeer::create();
    auto a = pp::WebRTCPeerConnection::create();
    auto b = pp::WebRTCPeerConnection::create();
    CHECK(cfg && srv && cli && a && b);
    const std::vector<pp_multiplayer_peer_transfer_mode> extra = {PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE};
    CHECK(srv->add_peer(*a, 2).error() == PP_ERR_UNCONFIGURED);
    CHECK(srv->create_server(extra) && cli->create_client(2, extra));
    CHECK(*srv->is_server() && !*cli->is_server() && *cli->get_unique_id() == 2);
    CHECK(!srv->is_honoring_unreliable_lifetime());
    CHECK(a->initialize(*cfg) && b->initialize(*cfg));
    CHECK(srv->add_peer(*a, 1).error() == PP_ERR_INVALID_PARAMETER);  // a server adding 1
    CHECK(srv->add_peer(*a, 2) && cli->add_peer(*b, 1));
    CHECK(srv->has_peer(2) && !srv->has_peer(3));
    auto ids = srv->get_peers();
    CHECK(ids && *ids == std::vector<int32_t>{2});
    auto lane = srv->get_peer_channel(2, 3);
    CHECK(lane && lane->get_id() == 4 && !lane->is_ordered());
    CHECK(srv->get_peer_channel(2, 4).error() == PP_ERR_DOES_NOT_EXIST);
    CHECK(srv->get_peer(3).error() == PP_ERR_DOES_NOT_EXIST);

    CHECK(a->create_offer());
    std::deque<Signal> to_a, to_b;
    std::vector<pp::WebRTCDataChannel> none;
    bool signalling_ok = true;
    auto step = [&] {
        (void)srv->poll();
        (void)cli->poll();
        signalling_ok = signalling_ok && drain(*a, to_b, none) && deliver(to_b, *b);
        signalling_ok = signalling_ok && drain(*b, to_a, none) && deliver(to_a, *a);
    };
    CHECK(wait_for(step, [&] {
        auto info = srv->get_peer(2);
        return !signalling_ok || (cli->get_connection_status().value_or(PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED) ==
                                      PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED &&
                                  info && info->connected);
    }, 3000));
    CHECK(signalling_ok && none.empty());
    auto ev = cli->pop_event();
    CHECK(ev && ev->kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev->peer_id == 1);
    auto ev2 = srv->pop_event();
    CHECK(ev2 && ev2->kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev2->peer_id == 2);
    auto info = srv->get_peer(2);
    CHECK(info && info->connected && info->connection.get_connection_state() == PP_WEBRTC_STATE_CONNECTED);

    CHECK(cli->set_transfer_channel(1) && *cli->get_transfer_channel() == 1);
    CHECK(cli->set_target_peer(1));
    CHECK(cli->put_packet(std::string_view("mp")));
    CHECK(wait_for(step, [&] { return srv->get_available_packet_count().value_or(0) > 0; }, 3000));
    CHECK(*srv->get_packet_peer() == 2 && *srv->get_packet_channel() == 1);
    auto p = srv->get_packet();
    CHECK(p && p->size == 2 && std::memcmp(p->data, "mp", 2) == 0);

    CHECK(srv->remove_peer(2) && !srv->has_peer(2));
    auto ev3 = srv->pop_event();
    CHECK(ev3 && ev3->kind == PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED && ev3->peer_id == 2);
    CHECK(cli->close());
    return 0;
}

// The MultiplayerPeer calls every class shares, on an OfflineMultiplayerPeer.
static int test_multiplayer_common() {
    auto off = pp::OfflineMultiplayerPeer::create();
    CHECK(off && *off->get_unique_id() == 1 && *off->is_server());
    CHECK(*off->get_connection_status() == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED);
    auto id = off->generate_unique_id();
    CHECK(id && *id > 0);
    CHECK(off->set_transfer_mode(PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED));
    CHECK(*off->get_transfer_mode() == PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED);
    CHECK(off->set_transfer_channel(2) && *off->get_transfer_channel() == 2);
    CHECK(off->set_refuse_new_connections(true) && *off->is_refusing_new_connections());
    CHECK(off->is_server_relay_supported().ok());
    CHECK(off->pop_event().error() == PP_ERR_UNAVAILABLE);
    CHECK(std::strlen(pp::version_string()) > 0);
    // A class-specific call on another class: a code, never a crash.
    auto ws = pp::WebRTCMultiplayerPeer(off->release());
    CHECK(ws.create_server().error() == PP_ERR_INVALID_PARAMETER);
    return 0;
}

// TCP and UDP servers' extra calls, a refused StreamPeerTCP in words, PacketPeerStream's buffers.
static int test_tcp_udp_extras() {
    auto server = pp::TCPServer::create();
    CHECK(server && !server->is_listening() && server->listen(0, "127.0.0.1") && server->is_listening());
    auto client = pp::StreamPeerTCP::create();
    CHECK(client && client->set_connect_timeout(5000));
    CHECK(client->connect_to_host("127.0.0.1", server->get_local_port()));
    CHECK(wait_for([&] { (void)client->poll(); },
                   [&] { return client->get_status() != PP_STREAM_PEER_TCP_STATUS_CONNECTING; }));
    CHECK(client->get_status() == PP_STREAM_PEER_TCP_STATUS_CONNECTED);
    CHECK(*client->get_connected_host() == "127.0.0.1" && client->get_connected_port() == server->get_local_port());
    CHECK(wait_for([] {}, [&] { return server->is_connection_available(); }));
    auto accepted = server->take_connection();
    CHECK(accepted);
    CHECK(client->put_var(*pp::Variant::from_int(9)));
    CHECK(wait_for([&] { (void)accepted->poll(); }, [&] { return accepted->get_available_bytes().value_or(0) >= 12; }));
    auto v = accepted->get_var();
    CHECK(v && *v->as_int() == 9);
    auto sent = client->put_partial_data(std::string_view("abc"));
    CHECK(sent && *sent == 3);
    CHECK(client->get_stats().ok());
    auto pps = pp::PacketPeerStream::create();
    CHECK(pps && pps->get_stream_peer() && !*pps->get_stream_peer());  // none set yet: an empty owner
    CHECK(pps->set_stream_peer(*client) && *pps->get_stream_peer());
    CHECK(pps->set_input_buffer_max_size(4096) && *pps->get_input_buffer_max_size() >= 4096);
    CHECK(pps->set_output_buffer_max_size(4096) && *pps->get_output_buffer_max_size() >= 4096);
    CHECK(!*pps->is_input_broken());
    int32_t closed = server->get_local_port();
    CHECK(server->stop() && !server->is_listening());

    auto refused = pp::StreamPeerTCP::create();
    CHECK(refused && refused->last_error_text().empty());
    CHECK(refused->connect_to_host("127.0.0.1", closed));
    CHECK(wait_for([&] { (void)refused->poll(); },
                   [&] { return refused->get_status() != PP_STREAM_PEER_TCP_STATUS_CONNECTING; }));
    CHECK(refused->get_status() == PP_STREAM_PEER_TCP_STATUS_ERROR);
    CHECK(refused->last_error_text().find("refused") != std::string::npos);

    auto us = pp::UDPServer::create();
    CHECK(us && us->listen(0, "::1") && us->is_listening());
    CHECK(us->set_max_pending_connections(4) && us->get_max_pending_connections() == 4);
    auto udp = pp::PacketPeerUDP::create();
    CHECK(udp && udp->connect_to_host("::1", us->get_local_port()) && udp->is_socket_connected());
    CHECK(udp->put_packet(std::string_view("hi")));
    CHECK(wait_for([&] { (void)us->poll(); }, [&] { return us->is_connection_available(); }));
    auto peer = us->take_connection();
    CHECK(peer && peer->get_packet());
    CHECK(us->get_stats().ok() && us->stop() && !us->is_listening());
    return 0;
}

// The ENet calls beyond connect and send, over DTLS (the fixed test certificate): compression,
// broadcast, statistics, ping and throttle, raw socket sends, a graceful disconnect, a mesh peer;
// ENetMultiplayerPeer's reason for a port in use.
static int test_enet_extras() {
    auto key = pp::CryptoKey::load_pem(std::string_view(EC_KEY_PEM));
    auto cert = pp::X509Certificate::load_pem(std::string_view(EC_CERT_PEM));
    CHECK(key && cert);
    auto server_opts = pp::TLSOptions::server(*key, *cert);
    auto client_opts = pp::TLSOptions::client(&*cert);
    CHECK(server_opts && client_opts);
    auto server = pp::ENetConnection::create();
    auto client = pp::ENetConnection::create();
    CHECK(server && client);
    CHECK(server->dtls_server_setup(*server_opts).error() == PP_ERR_UNCONFIGURED);  // no host yet
    CHECK(server->create_host_bound("127.0.0.1", 0, 4, 3) && client->create_host_bound("127.0.0.1", 0, 1, 3));
    CHECK(server->get_max_channels() == 3);
    CHECK(server->dtls_server_setup(*server_opts) && client->dtls_client_setup("localhost", &*client_opts));
    CHECK(server->compress(PP_ENET_COMPRESS_RANGE_CODER) && client->compress(PP_ENET_COMPRESS_RANGE_CODER));
    CHECK(server->bandwidth_limit(0, 0) && server->channel_limit(3));
    auto to_server = client->connect_to_host("127.0.0.1", server->get_local_port(), 3);
    CHECK(to_server);
    pp::ENetPacketPeer remote;
    bool up = false, gone = false;
    std::string got, raw;
    auto raw_sink = pp::PacketPeerUDP::create();
    CHECK(raw_sink && raw_sink->bind(0, "127.0.0.1"));
    auto step = [&] {
        if (auto ev = server->service(0)) {
            if (ev->type == PP_ENET_EVENT_TYPE_CONNECT) remote = ev->peer;
            if (ev->type == PP_ENET_EVENT_TYPE_DISCONNECT) gone = true;
        }
        for (int k = 0; k < 64; k++) {  // one service, then what it queued
            auto ev = k == 0 ? client->service(0) : client->check_events();
            if (!ev || ev->type == PP_ENET_EVENT_TYPE_NONE) break;
            if (ev->type == PP_ENET_EVENT_TYPE_CONNECT) up = true;
            if (ev->type == PP_ENET_EVENT_TYPE_RECEIVE) {
                const bool reliable = ev->peer.get_packet_flags() & PP_ENET_PACKET_PEER_FLAG_RELIABLE;  // the next packet's
                auto p = ev->peer.get_packet();
                if (p && reliable)
                    got.assign(reinterpret_cast<const char *>(p->data), p->size);
            }
        }
        if (auto p = raw_sink->get_packet()) raw.assign(reinterpret_cast<const char *>(p->data), p->size);
    };
    CHECK(wait_for(step, [&] { return up && bool(remote); }));
    auto dst = server->get_dtls_stats();
    CHECK(dst && dst->sessions_connected == 1);
    CHECK(server->broadcast(1, std::string_view("to everyone")));
    CHECK(server->socket_send("127.0.0.1", raw_sink->get_local_port(), std::string_view("raw")));
    CHECK(wait_for(step, [&] { return !got.empty() && !raw.empty(); }));
    CHECK(got == "to everyone" && raw == "raw");
    CHECK(remote.ping() && remote.ping_interval(500) && remote.throttle_configure(5000, 2, 2));
    CHECK(remote.get_statistic(PP_ENET_PEER_ROUND_TRIP_TIME).ok());
    auto sent = server->pop_statistic(PP_ENET_HOST_TOTAL_SENT_DATA);
    CHECK(sent && *sent > 0);
    CHECK(server->refuse_new_connections(true));

    // The client's host (one CONNECTED peer) joins a mesh as member 9.
    auto mesh = pp::ENetMultiplayerPeer::create();
    CHECK(mesh && mesh->create_mesh(5) && mesh->add_mesh_peer(9, *client));
    auto ev = mesh->pop_event();
    CHECK(ev && ev->kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED && ev->peer_id == 9);
    CHECK(to_server->peer_disconnect_later());
    CHECK(wait_for([&] { (void)mesh->poll(); if (auto e = server->service(0)) gone = gone || e->type == PP_ENET_EVENT_TYPE_DISCONNECT; },
                   [&] { return gone; }));
    CHECK(*mesh->get_dropped_packets() == 0);

    auto third = pp::ENetConnection::create();
    CHECK(third && third->create_host(2) && third->get_local_port() == 0 && third->destroy());
    auto mp = pp::ENetMultiplayerPeer::create();
    CHECK(mp && mp->last_error_text().empty() && mp->set_godot3_compat(false) && mp->set_bind_ip("127.0.0.1"));
    CHECK(mp->create_server(server->get_local_port()).error() == PP_ERR_CANT_CREATE);  // the port is taken
    CHECK(mp->last_error_text().find("in use") != std::string::npos);
    return 0;
}

// WebSocketPeer client and server on 127.0.0.1 (a TCPServer's connection given to accept_stream):
// sub-protocol choice, text and binary, the close code and reason; WebSocketMultiplayerPeer's peer
// address; a refused connect in words.
static int test_websocket_extras() {
    auto tcp = pp::TCPServer::create();
    auto cli = pp::WebSocketPeer::create();
    CHECK(tcp && cli && tcp->listen(0, "127.0.0.1"));
    CHECK(cli->set_supported_protocols({"chat", "other"}) && cli->set_handshake_headers({"X-Test: 1"}));
    CHECK(*cli->get_supported_protocols() == (std::vector<std::string>{"chat", "other"}));
    CHECK(*cli->get_handshake_headers() == std::vector<std::string>{"X-Test: 1"});
    CHECK(cli->set_inbound_buffer_size(1 << 17) && *cli->get_inbound_buffer_size() == 1 << 17);
    CHECK(cli->set_outbound_buffer_size(1 << 17) && *cli->get_outbound_buffer_size() == 1 << 17);
    CHECK(cli->set_max_queued_packets(100) && *cli->get_max_queued_packets() == 100);
    CHECK(cli->set_heartbeat_interval(0) && *cli->get_heartbeat_interval() == 0);
    CHECK(cli->set_handshake_timeout(5));
    CHECK(cli->set_no_delay(true).error() == PP_ERR_UNCONFIGURED);  // no connection yet
    std::string url = "ws://127.0.0.1:" + std::to_string(tcp->get_local_port()) + "/game";
    CHECK(cli->connect_to_url(url));
    CHECK(wait_for([&] { (void)cli->poll(); }, [&] { return tcp->is_connection_available(); }));
    auto stream = tcp->take_connection();
    auto srv = pp::WebSocketPeer::create();
    CHECK(stream && srv && srv->set_supported_protocols({"chat"}) && srv->accept_stream(*stream));
    auto open = [](pp::WebSocketPeer &p) { return p.get_ready_state() == PP_WEBSOCKET_PEER_STATE_OPEN; };
    CHECK(wait_for([&] { (void)cli->poll(); (void)srv->poll(); }, [&] { return open(*cli) && open(*srv); }));
    CHECK(*cli->get_selected_protocol() == "chat" && *cli->get_requested_url() == url && cli->set_no_delay(true));
    CHECK(*srv->get_connected_host() == "127.0.0.1" && srv->get_connected_port() > 0);
    CHECK(cli->get_tls_status() == PP_TLS_STATUS_DISCONNECTED && cli->get_current_outbound_buffered_amount() >= 0);
    CHECK(cli->send_text("words") && cli->send(std::string_view("bytes")));
    CHECK(wait_for([&] { (void)cli->poll(); (void)srv->poll(); },
                   [&] { return srv->get_available_packet_count().value_or(0) == 2; }));
    auto p = srv->get_packet();
    CHECK(p && p->size == 5 && srv->was_string_packet());
    auto p2 = srv->get_packet();
    CHECK(p2 && p2->size == 5 && !srv->was_string_packet());
    CHECK(cli->close(4000, "bye"));
    CHECK(wait_for([&] { (void)cli->poll(); (void)srv->poll(); },
                   [&] { return srv->get_ready_state() == PP_WEBSOCKET_PEER_STATE_CLOSED; }));
    CHECK(*srv->get_close_code() == 4000 && *srv->get_close_reason() == "bye");
    CHECK(srv->get_stats().ok());

    // Nothing listens: CLOSED, with the reason.
    CHECK(tcp->stop());
    auto lost = pp::WebSocketPeer::create();
    CHECK(lost && lost->connect_to_url(url));
    CHECK(wait_for([&] { (void)lost->poll(); }, [&] { return lost->get_ready_state() == PP_WEBSOCKET_PEER_STATE_CLOSED; }));
    CHECK(!lost->last_error_text().empty());

    auto ms = pp::WebSocketMultiplayerPeer::create();
    auto mc = pp::WebSocketMultiplayerPeer::create();
    CHECK(ms && mc && ms->set_handshake_timeout(5) && *ms->get_handshake_timeout() == 5);
    CHECK(ms->set_supported_protocols({"mp"}) && mc->set_supported_protocols({"mp"}));
    CHECK(*ms->get_supported_protocols() == std::vector<std::string>{"mp"} && ms->get_handshake_headers()->empty());
    CHECK(ms->set_inbound_buffer_size(1 << 17) && *ms->get_inbound_buffer_size() == 1 << 17);
    CHECK(ms->set_outbound_buffer_size(1 << 17) && *ms->get_outbound_buffer_size() == 1 << 17);
    CHECK(ms->set_max_queued_packets(64) && *ms->get_max_queued_packets() == 64);
    CHECK(ms->set_heartbeat_interval(0) && *ms->get_heartbeat_interval() == 0);
    CHECK(ms->set_godot3_compat(false) && ms->last_error_text().empty());
    CHECK(ms->configure({"mp"}, 1 << 16, 1 << 16, 32) && *ms->get_max_queued_packets() == 32);
    CHECK(ms->configure({"mp"}, -1, 1 << 16, 32).error() == PP_ERR_INVALID_PARAMETER);
    CHECK(*ms->get_max_queued_packets() == 32);  // all or nothing
    CHECK(ms->create_server(0, "127.0.0.1"));
    CHECK(mc->create_client("ws://127.0.0.1:" + std::to_string(ms->get_local_port())));
    int32_t joined = 0;
    CHECK(wait_for([&] {
        (void)ms->poll();
        (void)mc->poll();
        if (auto e = ms->pop_event(); e && e->kind == PP_MULTIPLAYER_EVENT_PEER_CONNECTED) joined = e->peer_id;
    }, [&] { return joined != 0; }));
    CHECK(*ms->get_peer_address(joined) == "127.0.0.1" && *ms->get_peer_port(joined) > 0);
    CHECK(ms->get_peer_port(joined + 1).error() == PP_ERR_DOES_NOT_EXIST);
    auto lent = ms->get_peer(joined);  // a view: the multiplayer peer keeps it
    CHECK(lent && lent->get_ready_state() == PP_WEBSOCKET_PEER_STATE_OPEN && *lent->get_selected_protocol() == "mp");
    CHECK(*lent->get_connected_host() == "127.0.0.1" && lent->last_error_text().empty());
    CHECK(ms->get_peer(joined + 1).error() == PP_ERR_DOES_NOT_EXIST);
    CHECK(ms->disconnect_peer(joined));

    // A client pointed at a closed port: DISCONNECTED, with the reason.
    auto nobody = pp::WebSocketMultiplayerPeer::create();
    CHECK(nobody && nobody->create_client(url));
    CHECK(wait_for([&] { (void)nobody->poll(); }, [&] {
        return nobody->get_connection_status().value_or(PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING) ==
               PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED;
    }));
    CHECK(!nobody->last_error_text().empty());
    return 0;
}

// TLSOptions built from others, and PacketPeer calls every class answers.
static int test_tls_options_extras() {
    auto cert = pp::X509Certificate::load_pem(std::string_view(EC_CERT_PEM));
    CHECK(cert);
    auto named = pp::TLSOptions::client(&*cert, "localhost");
    CHECK(named && *named->get_common_name_override() == "localhost" && named->get_trusted_ca_chain());
    auto sha = cert->get_sha256();
    CHECK(sha);
    auto pinned = named->with_pinned_sha256(*sha);
    CHECK(pinned && pinned->get_kind() == PP_TLS_OPTIONS_CLIENT);
    const uint8_t short_pin[3] = {1, 2, 3};
    CHECK(named->with_pinned_sha256(short_pin).error() == PP_ERR_INVALID_PARAMETER);
    auto no13 = named->with_tls13(false);
    CHECK(no13 && !no13->is_server() && !no13->is_unsafe_client());
    auto unsafe = pp::TLSOptions::client_unsafe();
    CHECK(unsafe && unsafe->is_unsafe_client() && unsafe->get_kind() == PP_TLS_OPTIONS_CLIENT_UNSAFE);

    auto dtls = pp::PacketPeerDTLS::create();
    CHECK(dtls && *dtls->get_max_packet_size() == 488);
    CHECK(dtls->get_packet().error() != PP_OK && dtls->get_packet_error() != PP_OK);
    CHECK(dtls->put_packet(std::string_view("x")).error() == PP_ERR_UNCONFIGURED);
    pp::ConditionerOptions cond;
    CHECK(dtls->set_conditioner(cond) && dtls->get_conditioner_stats() && dtls->remove_conditioner());
    return 0;
}

// StreamPeer's typed calls (on a StreamPeerBuffer and a pipe), StreamPeerBuffer, the Codec's
// limits and dialects, the per-peer Variant settings, StreamPeerTCP's write settings.
static int test_streams_and_codec() {
    auto buf = pp::StreamPeerBuffer::create();
    CHECK(buf && !buf->is_big_endian());
    CHECK(buf->put_8(-2) && buf->put_u8(250) && buf->put_16(-300) && buf->put_u16(60000));
    CHECK(buf->put_32(-70000) && buf->put_u32(4000000000u) && buf->put_64(-5) && buf->put_u64(1ull << 40));
    CHECK(buf->put_half(1.5f) && buf->put_float(2.25f) && buf->put_double(-0.125));
    CHECK(buf->put_string("ascii") && buf->put_utf8_string("h\xc3\xa9"));
    CHECK(buf->set_big_endian(true) && buf->is_big_endian() && buf->put_u32(0x01020304) && buf->set_big_endian(false));
    CHECK(buf->put_var(*pp::Variant::from_string("v")));
    auto size = buf->get_size();
    CHECK(size && *size > 40 && *buf->get_position() == *size);
    auto copy = buf->duplicate();
    CHECK(copy && *copy->get_size() == *size);
    CHECK(buf->seek(0));
    CHECK(*buf->get_8() == -2 && *buf->get_u8() == 250 && *buf->get_16() == -300 && *buf->get_u16() == 60000);
    CHECK(*buf->get_32() == -70000 && *buf->get_u32() == 4000000000u && *buf->get_64() == -5);
    CHECK(*buf->get_u64() == 1ull << 40 && *buf->get_half() == 1.5f && *buf->get_float() == 2.25f);
    CHECK(*buf->get_double() == -0.125 && *buf->get_string() == "ascii" && *buf->get_utf8_string() == "h\xc3\xa9");
    auto be = buf->get_data(4);
    CHECK(be && (*be)[0] == 1 && (*be)[3] == 4);
    CHECK(*buf->get_var()->as_string() == "v");
    CHECK(buf->get_u8().error() != PP_OK);  // nothing left
    auto all = buf->get_data_array();
    CHECK(all && all->size() == static_cast<size_t>(*size));
    CHECK(buf->set_data_array(std::string_view("xyz")) && *buf->get_size() == 3);
    CHECK(buf->resize(5) && *buf->get_size() == 5 && buf->clear() && *buf->get_size() == 0);

    auto pipe = pp::StreamPeer::pipe(64);
    CHECK(pipe && *pipe->first.pipe_is_open());
    CHECK(pipe->first.put_u16(7) && *pipe->second.get_u16() == 7);
    CHECK(pipe->first.pipe_close() && !*pipe->second.pipe_is_open());

    auto codec = pp::Codec::create();
    CHECK(codec && codec->get_dialect() == PP_DIALECT_GODOT4);
    auto v = pp::Variant::from_string("hello");
    auto len = codec->encoded_len(*v);
    CHECK(len && *len == 16);  // type, length, 5 bytes padded to 8
    uint8_t out[32];
    auto wrote = codec->encode_into(*v, out, sizeof out);
    CHECK(wrote && *wrote == 16 && out[0] == 4);
    CHECK(codec->encode_into(*v, out, 4).error() != PP_OK);
    size_t used = 0;
    auto g3 = codec->translate(*v->to_bytes(), PP_DIALECT_GODOT3, &used);
    CHECK(g3 && used == 16 && g3->size() == 16);
    auto name = pp::Variant::from_string_name("n");
    CHECK(codec->translate(*name->to_bytes(), PP_DIALECT_GODOT3).error() == PP_ERR_INVALID_PARAMETER);
    CHECK(codec->set_godot3_lossy(true) && codec->translate(*name->to_bytes(), PP_DIALECT_GODOT3));
    CHECK(codec->set_max_elements(1) && codec->set_max_bytes(1 << 20));
    auto arr = pp::Variant::array();
    CHECK(arr && arr->append(*v) && arr->append(*v));
    CHECK(!codec->decode(*arr->to_bytes()));  // two elements, one allowed

    auto udp = pp::PacketPeerUDP::create();
    CHECK(udp && *udp->get_var_dialect() == PP_DIALECT_GODOT4);
    CHECK(udp->set_var_dialect(PP_DIALECT_GODOT3) && *udp->get_var_dialect() == PP_DIALECT_GODOT3);
    CHECK(udp->set_var_godot3_lossy(true));
    CHECK(udp->set_encode_buffer_max_size(1 << 16) && *udp->get_encode_buffer_max_size() >= 1 << 16);

    auto server = pp::TCPServer::create();
    auto tcp = pp::StreamPeerTCP::create();
    CHECK(server && tcp && server->listen(0, "127.0.0.1"));
    CHECK(tcp->bind(0, "127.0.0.1") && tcp->connect_to_host("127.0.0.1", server->get_local_port()));
    CHECK(tcp->wait(PP_POLL_TYPE_OUT, 5000));
    CHECK(wait_for([&] { (void)tcp->poll(); }, [&] { return tcp->get_status() != PP_STREAM_PEER_TCP_STATUS_CONNECTING; }));
    CHECK(tcp->set_blocking_writes(false) && tcp->set_write_coalescing(true) && tcp->set_out_buffer_max_size(1 << 16));
    CHECK(tcp->put_data(std::string_view("queued")) && tcp->get_queued_bytes() >= 0 && tcp->flush());
    CHECK(std::string(pp::version_string()).size() > 0 && pp::version_number() > 0);
    return 0;
}

// The process-wide CA bundle: with the test certificate as the bundle, TLSOptions::client()
// trusts the test server; an empty path goes back to the system's. Last: it changes the process.
static int test_certificate_bundle_override() {
    auto key = pp::CryptoKey::load_pem(std::string_view(EC_KEY_PEM));
    auto cert = pp::X509Certificate::load_pem(std::string_view(EC_CERT_PEM));
    auto server_opts = pp::TLSOptions::server(*key, *cert);
    CHECK(key && cert && server_opts);
    CHECK(pp::tls_set_certificate_bundle_override(std::string_view("no certificate")).error() == PP_ERR_INVALID_DATA);
    CHECK(pp::tls_set_certificate_bundle_override(std::string_view(EC_CERT_PEM)));
    auto pipe = pp::StreamPeer::pipe();
    auto client = pp::StreamPeerTLS::create();
    auto server = pp::StreamPeerTLS::create();
    CHECK(pipe && client && server);
    CHECK(client->connect_to_stream(pipe->first, "localhost") && server->accept_stream(pipe->second, *server_opts));
    CHECK(wait_for([&] { (void)client->poll(); (void)server->poll(); },
                   [&] { return client->get_status() != PP_TLS_STATUS_HANDSHAKING; }));
    CHECK(client->get_status() == PP_TLS_STATUS_CONNECTED);
    CHECK(pp::tls_set_certificate_bundle_override(pp::Bytes()));
    CHECK(pp::tls_set_certificate_bundle_override_path("/nonexistent/bundle.pem").error() == PP_ERR_FILE_NOT_FOUND);
    CHECK(pp::tls_set_certificate_bundle_override_path(""));
    return 0;
}

// Variant's other types, containers and packed arrays round-trip through the encoder; the
// SceneMultiplayer framing helpers build and parse.
static int test_variant_types_and_framing() {
    auto check_roundtrip = [](const pp::Result<pp::Variant> &v) {
        if (!v) return false;
        auto bytes = v->to_bytes();
        if (!bytes) return false;
        auto back = pp::Variant::from_bytes(*bytes);
        return back && *back == *v;
    };
    CHECK(check_roundtrip(pp::Variant::from_vector2i(1, -2)) && check_roundtrip(pp::Variant::from_vector3(1, 2, 3)));
    CHECK(check_roundtrip(pp::Variant::from_vector3i(1, 2, 3)) && check_roundtrip(pp::Variant::from_vector4(1, 2, 3, 4)));
    CHECK(check_roundtrip(pp::Variant::from_vector4i(1, 2, 3, 4)) && check_roundtrip(pp::Variant::from_rect2(0, 0, 2, 3)));
    CHECK(check_roundtrip(pp::Variant::from_rect2i(0, 0, 2, 3)) && check_roundtrip(pp::Variant::from_plane(0, 1, 0, 5)));
    CHECK(check_roundtrip(pp::Variant::from_quaternion(0, 0, 0, 1)) && check_roundtrip(pp::Variant::from_aabb(0, 0, 0, 1, 1, 1)));
    CHECK(check_roundtrip(pp::Variant::from_color(1, 0.5f, 0.25f)) && check_roundtrip(pp::Variant::from_rid(77)));
    CHECK(check_roundtrip(pp::Variant::from_transform2d({1, 0, 0, 1, 5, 6})));
    CHECK(check_roundtrip(pp::Variant::from_basis({1, 0, 0, 0, 1, 0, 0, 0, 1})));
    CHECK(check_roundtrip(pp::Variant::from_transform3d({1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 8, 9})));
    CHECK(check_roundtrip(pp::Variant::from_projection({1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1})));
    CHECK(check_roundtrip(pp::Variant::from_node_path("/root/Player:position")));
    CHECK(*pp::Variant::from_vector3i(1, 2, 3)->as_vector3i() == (std::array<int32_t, 3>{1, 2, 3}));
    CHECK(pp::Variant::from_vector4(1, 2, 3, 4)->as_vector4()->at(3) == 4);
    CHECK(pp::Variant::from_vector2i(1, 2)->as_vector2i()->at(1) == 2);
    CHECK(pp::Variant::from_vector4i(1, 2, 3, 4)->as_vector4i()->at(2) == 3);
    CHECK(pp::Variant::from_rect2(0, 0, 2, 3)->as_rect2()->at(3) == 3);
    CHECK(pp::Variant::from_rect2i(0, 0, 2, 3)->as_rect2i()->at(2) == 2);
    CHECK(pp::Variant::from_plane(0, 1, 0, 5)->as_plane()->at(3) == 5);
    CHECK(pp::Variant::from_quaternion(0, 0, 0, 1)->as_quaternion()->at(3) == 1);
    CHECK(pp::Variant::from_aabb(0, 0, 0, 1, 2, 3)->as_aabb()->at(5) == 3);
    CHECK(pp::Variant::from_color(1, 0.5f, 0.25f)->as_color()->at(3) == 1.0f);
    CHECK(pp::Variant::from_vector3(1, 2, 3)->as_vector3()->at(2) == 3);
    CHECK(*pp::Variant::from_rid(77)->as_rid() == 77);
    CHECK(pp::Variant::from_transform2d({1, 0, 0, 1, 5, 6})->as_transform2d()->at(5) == 6);
    CHECK(pp::Variant::from_basis({1, 0, 0, 0, 1, 0, 0, 0, 2})->as_basis()->at(8) == 2);
    CHECK(pp::Variant::from_transform3d({1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 8, 9})->as_transform3d()->at(11) == 9);
    CHECK(pp::Variant::from_projection({1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 4})->as_projection()->at(15) == 4);
    CHECK(*pp::Variant::from_node_path("/root/Player:position")->as_node_path() == "/root/Player:position");
    CHECK(*pp::Variant::from_string_name("sn")->as_string_name() == "sn");
    CHECK(std::strcmp(pp::Variant::type_name(PP_VARIANT_TYPE_VECTOR2), "Vector2") == 0);

    CHECK(*pp::Variant::from_packed_bytes(std::string_view("ab"))->as_packed_bytes() == (std::vector<uint8_t>{'a', 'b'}));
    CHECK(*pp::Variant::from_packed_int32s({1, -2})->as_packed_int32s() == (std::vector<int32_t>{1, -2}));
    CHECK(*pp::Variant::from_packed_int64s({1ll << 40})->as_packed_int64s() == (std::vector<int64_t>{1ll << 40}));
    CHECK(*pp::Variant::from_packed_float32s({0.5f})->as_packed_float32s() == std::vector<float>{0.5f});
    CHECK(*pp::Variant::from_packed_float64s({0.25, 2})->as_packed_float64s() == (std::vector<double>{0.25, 2}));
    CHECK(*pp::Variant::from_packed_vector2s({1, 2, 3, 4})->as_packed_vector2s() == (std::vector<double>{1, 2, 3, 4}));
    CHECK(*pp::Variant::from_packed_vector3s({1, 2, 3})->as_packed_vector3s() == (std::vector<double>{1, 2, 3}));
    CHECK(*pp::Variant::from_packed_colors({1, 0, 0, 1})->as_packed_colors() == (std::vector<float>{1, 0, 0, 1}));
    CHECK(pp::Variant::from_packed_vector2s({1, 2, 3}).error() == PP_ERR_INVALID_PARAMETER);
    {
        auto pb = pp::Variant::from_packed_bytes(pp::Bytes());
        CHECK(pb && pb->packed_bytes_append(7) && pb->packed_bytes_set(0, 9) && *pb->packed_bytes_get(0) == 9);
        CHECK(pb->packed_bytes_get(1).error() != PP_OK && pb->packed_int32s_append(1).error() == PP_ERR_INVALID_PARAMETER);
        auto pi = pp::Variant::from_packed_int32s({});
        CHECK(pi && pi->packed_int32s_append(-1) && pi->packed_int32s_set(0, -3) && *pi->packed_int32s_get(0) == -3);
        auto pl = pp::Variant::from_packed_int64s({});
        CHECK(pl && pl->packed_int64s_append(1ll << 40) && *pl->packed_int64s_get(0) == 1ll << 40 && pl->packed_int64s_set(0, 2));
        auto pf = pp::Variant::from_packed_float32s({});
        CHECK(pf && pf->packed_float32s_append(0.5f) && pf->packed_float32s_set(0, 1.5f) && *pf->packed_float32s_get(0) == 1.5f);
        auto pd = pp::Variant::from_packed_float64s({});
        CHECK(pd && pd->packed_float64s_append(0.25) && pd->packed_float64s_set(0, 2.5) && *pd->packed_float64s_get(0) == 2.5);
        auto ps = pp::Variant::from_packed_strings({});
        CHECK(ps && ps->packed_strings_append("a") && ps->packed_strings_set(0, "b") && *ps->packed_strings_get(0) == "b");
        auto p2 = pp::Variant::from_packed_vector2s({});
        CHECK(p2 && p2->packed_vector2s_append({1, 2}) && p2->packed_vector2s_set(0, {3, 4}) && p2->packed_vector2s_get(0)->at(1) == 4);
        auto p3 = pp::Variant::from_packed_vector3s({});
        CHECK(p3 && p3->packed_vector3s_append({1, 2, 3}) && p3->packed_vector3s_set(0, {4, 5, 6}) && p3->packed_vector3s_get(0)->at(2) == 6);
        auto p4 = pp::Variant::from_packed_vector4s({});
        CHECK(p4 && p4->packed_vector4s_append({1, 2, 3, 4}) && p4->packed_vector4s_set(0, {5, 6, 7, 8}) && p4->packed_vector4s_get(0)->at(3) == 8);
        auto pc = pp::Variant::from_packed_colors({});
        CHECK(pc && pc->packed_colors_append({1, 0, 0, 1}) && pc->packed_colors_set(0, {0, 1, 0, 1}) && pc->packed_colors_get(0)->at(1) == 1);
        CHECK(*pc->packed_size() == 1 && check_roundtrip(pc));
    }
    auto strings = pp::Variant::from_packed_strings({"a", "bc"});
    CHECK(strings && *strings->packed_size() == 2 && check_roundtrip(strings));
    CHECK(pp::Variant::from_packed_bytes(pp::Bytes())->as_packed_bytes()->empty());

    auto arr = pp::Variant::array();
    CHECK(arr && arr->append(*pp::Variant::from_int(1)) && arr->append(*pp::Variant::from_int(2)));
    CHECK(arr->set_at(0, *pp::Variant::from_int(5)) && *arr->at(0)->as_int() == 5);
    CHECK(arr->remove_at(1) && *arr->size() == 1 && arr->remove_at(3).error() != PP_OK);
    CHECK(arr->clear() && *arr->size() == 0);
    auto dict = pp::Variant::dictionary();
    auto k = pp::Variant::from_string("k");
    CHECK(dict && k && dict->set(*k, *pp::Variant::from_int(3)) && *dict->has(*k));
    CHECK(*dict->key_at(0) == *k && *dict->value_at(0)->as_int() == 3 && dict->key_at(1).error() != PP_OK);
    CHECK(dict->erase(*k) && !*dict->has(*k) && dict->set(*k, *k) && dict->clear() && *dict->size() == 0);

    CHECK(*pp::Variant::from_packed_strings({"a", "bc"})->as_packed_strings() == (std::vector<std::string>{"a", "bc"}));
    CHECK(*pp::Variant::from_packed_vector4s({1, 2, 3, 4})->as_packed_vector4s() == (std::vector<double>{1, 2, 3, 4}));
    auto sig = pp::Variant::from_signal("hit", 42);
    CHECK(sig && sig->as_signal()->first == "hit" && sig->as_signal()->second == 42 && check_roundtrip(sig));
    CHECK(pp::Variant::callable()->type() == PP_VARIANT_TYPE_CALLABLE);
    auto np = pp::Variant::from_node_path_parts({"root", "Player"}, {"position"}, true);
    CHECK(np && *np->as_node_path() == "/root/Player:position" && *np->node_path_is_absolute());
    CHECK(*np->node_path_names() == (std::vector<std::string>{"root", "Player"}));
    CHECK(*np->node_path_subnames() == std::vector<std::string>{"position"});
    CHECK(*pp::Variant::object_null()->object_kind() == PP_OBJECT_KIND_NULL);
    CHECK(*pp::Variant::from_object_id(99)->object_id() == 99);
    auto obj = pp::Variant::object_full("Node2D");
    CHECK(obj && *obj->object_kind() == PP_OBJECT_KIND_FULL && *obj->object_class() == "Node2D");
    CHECK(obj->object_set_property("hp", *pp::Variant::from_int(10)) && *obj->object_property_count() == 1);
    CHECK(*obj->object_property_name(0) == "hp" && *obj->object_property_value(0)->as_int() == 10);
    CHECK(*obj->object_get_property("hp")->as_int() == 10 && obj->object_get_property("mp").error() == PP_ERR_DOES_NOT_EXIST);
    auto full = obj->to_bytes(true);
    auto back = pp::Variant::from_bytes(*full, true);
    CHECK(back && *back == *obj);
    auto typed = pp::Variant::array();
    CHECK(typed && typed->set_typed(PP_CONTAINER_KIND_BUILTIN, PP_VARIANT_TYPE_INT));
    CHECK(typed->append(*pp::Variant::from_int(1)) && !typed->append(*pp::Variant::from_string("no")));
    CHECK(typed->get_typed()->kind == PP_CONTAINER_KIND_BUILTIN && typed->get_typed()->builtin == PP_VARIANT_TYPE_INT);
    CHECK(check_roundtrip(typed));
    auto nodes = pp::Variant::array();
    CHECK(nodes && nodes->set_typed(PP_CONTAINER_KIND_CLASS, PP_VARIANT_TYPE_OBJECT, "Node") && nodes->get_typed()->name == "Node");
    auto tdict = pp::Variant::dictionary();
    pp::Variant::ContainerType key_t, value_t;
    key_t.kind = PP_CONTAINER_KIND_BUILTIN;
    key_t.builtin = PP_VARIANT_TYPE_STRING;
    CHECK(tdict && tdict->set_typed_dictionary(key_t, value_t));
    CHECK(tdict->get_typed_key()->builtin == PP_VARIANT_TYPE_STRING && tdict->get_typed_value()->kind == PP_CONTAINER_KIND_NONE);
    CHECK(!tdict->set(*pp::Variant::from_int(1), *pp::Variant::from_int(2)));

    auto raw = pp::scene_multiplayer_build_raw(std::string_view("hi"));
    auto m = pp::scene_multiplayer_parse(*raw);
    CHECK(m && m->command == PP_SCENE_MULTIPLAYER_COMMAND_RAW && m->payload.size == 2 && m->payload.data[0] == 'h');
    auto add = pp::scene_multiplayer_build_add_peer(5);
    CHECK(add && add->size() == 6);
    auto madd = pp::scene_multiplayer_parse(*add);
    CHECK(madd && madd->sys_command == PP_SCENE_MULTIPLAYER_SYS_ADD_PEER && madd->peer_id == 5);
    auto del = pp::scene_multiplayer_parse(*pp::scene_multiplayer_build_del_peer(6));
    CHECK(del && del->sys_command == PP_SCENE_MULTIPLAYER_SYS_DEL_PEER && del->peer_id == 6);
    auto relay = pp::scene_multiplayer_parse(*pp::scene_multiplayer_build_relay(7, *raw));
    CHECK(relay && relay->sys_command == PP_SCENE_MULTIPLAYER_SYS_RELAY && relay->peer_id == 7 && relay->payload.size == raw->size());
    auto auth = pp::scene_multiplayer_parse(*pp::scene_multiplayer_build_auth(std::string_view("pw")));
    CHECK(auth && auth->sys_command == PP_SCENE_MULTIPLAYER_SYS_AUTH && auth->payload.size == 2);
    CHECK(pp::scene_multiplayer_build_raw(pp::Bytes()).error() == PP_ERR_INVALID_DATA);
    CHECK(pp::scene_multiplayer_build_add_peer(0).error() == PP_ERR_INVALID_PARAMETER);
    CHECK(pp::scene_multiplayer_parse(pp::Bytes()).error() == PP_ERR_INVALID_DATA);
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
    failed |= test_udp_conditioner_and_errors();
    failed |= test_enet_refused_and_conditioner();
    failed |= test_stream_tls();
    failed |= test_dtls();
    failed |= test_webrtc_pair("127.0.0.1");
    failed |= test_webrtc_pair("::1");
    failed |= test_webrtc_multiplayer();
    failed |= test_multiplayer_common();
    failed |= test_tcp_udp_extras();
    failed |= test_enet_extras();
    failed |= test_websocket_extras();
    failed |= test_tls_options_extras();
    failed |= test_streams_and_codec();
    failed |= test_variant_types_and_framing();
    failed |= test_certificate_bundle_override();
#if defined(__cpp_exceptions)
    failed |= test_exceptions();
    std::puts(failed ? "FAILED (exceptions on)" : "ok (exceptions on)");
#else
    std::puts(failed ? "FAILED (-fno-exceptions)" : "ok (-fno-exceptions)");
#endif
    return failed;
}
