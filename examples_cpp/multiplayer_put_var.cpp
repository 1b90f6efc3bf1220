// examples_cpp/multiplayer_put_var.cpp: the C++ header (include/packetpeer.hpp) in one scenario: an
// ENetMultiplayerPeer server and client in one process on loopback; the client sends a Dictionary
// with put_var, the server answers the sender by id. RAII frees every handle; pp::Result carries
// each error, so it builds with -fno-exceptions too.
//
// Run: scripts/run-example.sh (C examples) does not cover it; ctest runs it as example_cpp_multiplayer_put_var,
// or build it by hand: c++ -std=c++17 multiplayer_put_var.cpp $(pkg-config --cflags --libs packetpeer)
#include <packetpeer.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

static int fail(const char *what, pp_error e) {
    std::fprintf(stderr, "%s: %s\n", what, pp::error_name(e));
    return 1;
}

int main() {
    auto server = pp::ENetMultiplayerPeer::create();
    auto client = pp::ENetMultiplayerPeer::create();
    if (!server || !client) return fail("new", server ? client.error() : server.error());
    if (auto r = server->set_bind_ip("127.0.0.1"); !r) return fail("set_bind_ip", r.error());
    if (auto r = server->create_server(0, 4); !r) return fail("create_server", r.error());
    auto host = server->get_host();  // to learn the port the OS picked
    if (!host) return fail("get_host", host.error());
    if (auto r = client->create_client("127.0.0.1", host->get_local_port()); !r) return fail("create_client", r.error());

    // The message: {"hp": 10, "name": "bob"}
    auto msg = pp::Variant::dictionary();
    auto k1 = pp::Variant::from_string("hp"), v1 = pp::Variant::from_int(10);
    auto k2 = pp::Variant::from_string("name"), v2 = pp::Variant::from_string("bob");
    if (!msg || !k1 || !v1 || !k2 || !v2) return fail("variant", PP_ERR_OUT_OF_MEMORY);
    if (!msg->set(*k1, *v1) || !msg->set(*k2, *v2)) return fail("dictionary_set", PP_FAILED);

    bool sent = false;
    for (int i = 0; i < 1000; i++) {  // at most ~5 s
        (void)server->poll();
        (void)client->poll();
        auto status = client->get_connection_status();
        if (!sent && status && *status == PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED) {
            (void)client->set_target_peer(PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER);
            if (auto r = client->put_var(*msg); !r) return fail("client put_var", r.error());
            sent = true;
        }
        if (server->get_available_packet_count().value_or(0) > 0) {
            auto from = server->get_packet_peer();
            auto got = server->get_var();
            if (!from || !got) return fail("server get_var", from ? got.error() : from.error());
            std::printf("server got %s from peer %d\n", got->to_string()->c_str(), *from);
            (void)server->set_target_peer(*from);
            if (auto r = server->put_var(*pp::Variant::from_string("welcome")); !r) return fail("put_var", r.error());
        }
        if (client->get_available_packet_count().value_or(0) > 0) {
            auto got = client->get_var();
            if (!got) return fail("client get_var", got.error());
            std::printf("client got %s\n", got->to_string()->c_str());
            return 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return fail("exchange", PP_ERR_TIMEOUT);
}
