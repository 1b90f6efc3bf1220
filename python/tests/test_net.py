"""put_var / get_var over real sockets on loopback (127.0.0.1 and ::1, port 0): UDP, UDPServer, a
TCP stream with PacketPeerStream, ENetConnection, ENetMultiplayerPeer, WebSocketMultiplayerPeer.
Every wait is bounded (conftest.wait_until)."""

import ipaddress
import time

import pytest

import packetpeer as pp

MESSAGE = {"id": 7, "pos": pp.Vector2(1.5, 2.0), "name": "player_007", "tags": ["a", "b"],
           "blob": b"\x00\xff", "big": 2 ** 40}
HOSTS = ["127.0.0.1", "::1"]


@pytest.mark.parametrize("host", HOSTS)
def test_udp_put_var_get_var(host, wait):
    with pp.PacketPeerUDP() as a, pp.PacketPeerUDP() as b:
        a.bind(0, host)
        b.bind(0, host)
        a.set_dest_address(host, b.get_local_port())
        a.put_var(MESSAGE)
        wait(lambda: None, lambda: b.get_available_packet_count() > 0, what="a UDP datagram")
        assert b.get_var() == MESSAGE
        # Godot's text form of an address (IPv6 not shortened: "0:0:0:0:0:0:0:1")
        assert ipaddress.ip_address(b.get_packet_ip()) == ipaddress.ip_address(host)
        assert b.get_packet_port() == a.get_local_port()
        with pytest.raises(pp.Error) as e:
            b.get_packet()
        assert e.value.code == pp.Err.ERR_UNAVAILABLE


def test_udp_server(wait):
    with pp.UDPServer() as server, pp.PacketPeerUDP() as client:
        server.listen(0, "127.0.0.1")
        client.connect_to_host("127.0.0.1", server.get_local_port())
        client.put_var("hello")
        wait(server.poll, server.is_connection_available, what="a UDPServer connection")
        with server.take_connection() as peer:
            assert peer.get_var() == "hello"
            peer.put_var([1, 2.5])
            wait(lambda: None, lambda: client.get_available_packet_count() > 0, what="the reply")
            assert client.get_var() == [1, 2.5]


@pytest.mark.parametrize("host", HOSTS)
def test_tcp_stream(host, wait):
    with pp.TCPServer() as server, pp.StreamPeerTCP() as client:
        server.listen(0, host)
        client.connect_to_host(host, server.get_local_port())
        wait(client.poll, lambda: client.get_status() != pp.StreamPeerTCP.Status.CONNECTING,
             what="the TCP connect")
        assert client.get_status() == pp.StreamPeerTCP.Status.CONNECTED
        wait(lambda: None, server.is_connection_available, what="the accepted connection")
        with server.take_connection() as accepted, pp.PacketPeerStream(client) as a, \
                pp.PacketPeerStream(accepted) as b:
            a.put_var(MESSAGE)
            a.put_var(None)
            wait(accepted.poll, lambda: b.get_available_packet_count() >= 2, what="two frames")
            assert b.get_var() == MESSAGE
            assert b.get_var() is None
            b.put_packet(b"raw")
            wait(client.poll, lambda: a.get_available_packet_count() > 0, what="the reply frame")
            assert a.get_packet() == b"raw"


def test_stream_peer_pipe_and_stream_put_var():
    a, b = pp.stream_peer_pipe()
    with a, b:
        a.put_var({"k": pp.Color(1, 0, 0)})
        assert b.get_available_bytes() > 0
        assert b.get_var() == {"k": pp.Color(1.0, 0.0, 0.0, 1.0)}
        a.put_data(b"abc")
        assert b.get_data(3) == b"abc"


@pytest.mark.parametrize("host", HOSTS)
def test_enet_connection(host, wait):
    with pp.ENetConnection() as server, pp.ENetConnection() as client:
        server.create_host_bound(host, 0, 4)
        client.create_host_bound(host, 0, 1)
        peer = client.connect_to_host(host, server.get_local_port(), 2, 1234)
        events = {"server": [], "client": []}

        def step():
            for name, host_ in (("server", server), ("client", client)):
                ev = host_.service(0)
                if ev.type != pp.ENetConnection.EVENT_NONE:
                    events[name].append(ev)

        def connected():
            return (any(e.type == pp.ENetConnection.EVENT_CONNECT for e in events["server"])
                    and any(e.type == pp.ENetConnection.EVENT_CONNECT for e in events["client"]))
        wait(step, connected, what="the ENet handshake")
        remote = next(e for e in events["server"] if e.type == pp.ENetConnection.EVENT_CONNECT)
        assert remote.data == 1234
        assert peer.get_state() == pp.ENetPacketPeer.PeerState.STATE_CONNECTED
        peer.put_var(MESSAGE)
        wait(step, lambda: any(e.type == pp.ENetConnection.EVENT_RECEIVE for e in events["server"]),
             what="the ENet packet")
        got = next(e for e in events["server"] if e.type == pp.ENetConnection.EVENT_RECEIVE)
        assert got.peer is remote.peer and got.peer.get_var() == MESSAGE
        got.peer.send(1, pp.var_to_bytes("back"), pp.ENetPacketPeer.FLAG_RELIABLE)
        wait(step, lambda: any(e.type == pp.ENetConnection.EVENT_RECEIVE for e in events["client"]),
             what="the reply")
        assert peer.get_var() == "back"
    with pytest.raises(ValueError):
        peer.get_state()  # lent peers go away with their connection


def test_enet_multiplayer(wait):
    with pp.ENetMultiplayerPeer() as server, pp.ENetMultiplayerPeer() as client:
        server.set_bind_ip("127.0.0.1")
        server.create_server(0, 4)
        client.create_client("127.0.0.1", server.get_local_port())
        seen = []

        def step():
            server.poll()
            client.poll()
            seen.extend(server.events())

        wait(step, lambda: client.get_connection_status() == pp.MultiplayerPeer.CONNECTION_CONNECTED
             and seen, what="the client to connect")
        assert seen[0].kind == pp.MultiplayerPeer.EVENT_PEER_CONNECTED
        assert seen[0].peer_id == client.get_unique_id() and server.is_server()
        client.set_target_peer(pp.MultiplayerPeer.TARGET_PEER_SERVER)
        client.put_var(MESSAGE)
        wait(step, lambda: server.get_available_packet_count() > 0, what="the client's packet")
        assert server.get_packet_peer() == client.get_unique_id()
        assert server.get_var() == MESSAGE
        server.set_target_peer(client.get_unique_id())
        server.put_var(pp.NodePath("/root/Main"))
        wait(step, lambda: client.get_available_packet_count() > 0, what="the server's packet")
        assert client.get_packet_peer() == 1 and client.get_var() == pp.NodePath("/root/Main")
        assert server.get_peer(client.get_unique_id()).get_remote_address() == "127.0.0.1"


def test_enet_client_that_never_connects_says_so(wait):
    with pp.PacketPeerUDP() as silent, pp.ENetMultiplayerPeer() as client:
        silent.bind(0, "127.0.0.1")  # a port where nothing answers
        client.create_client("127.0.0.1", silent.get_local_port())
        client.get_peer(1).set_timeout(32, 100, 300)
        seen = []

        def step():
            client.poll()
            seen.extend(client.events())

        wait(step, lambda: client.get_connection_status() == pp.MultiplayerPeer.CONNECTION_DISCONNECTED,
             what="the client to give up")
        seen.extend(client.events())
        assert seen == [pp.MultiplayerEvent(pp.MultiplayerPeer.EVENT_CONNECT_TIMED_OUT, 1, 0)]


def _closed_port(ip):
    with pp.PacketPeerUDP() as probe:
        probe.bind(0, ip)
        return probe.get_local_port()


@pytest.mark.parametrize("ip", ["127.0.0.1", "::1"])
def test_enet_client_to_a_closed_port_is_refused(wait, ip):
    port = _closed_port(ip)
    with pp.ENetMultiplayerPeer() as client:
        client.create_client(ip, port)
        seen = []

        def step():
            client.poll()
            seen.extend(client.events())

        wait(step, lambda: client.get_connection_status() == pp.MultiplayerPeer.CONNECTION_DISCONNECTED,
             what="the refusal")
        seen.extend(client.events())
        assert seen == [pp.MultiplayerEvent(pp.MultiplayerPeer.EVENT_CONNECT_REFUSED, 1, 0)]
        assert "refused" in client.get_last_error_text()


def test_udp_and_enet_say_why_in_words():
    with pp.PacketPeerUDP() as taken, pp.PacketPeerUDP() as udp, pp.ENetConnection() as enet:
        taken.bind(0, "127.0.0.1")
        assert udp.get_last_error_text() == ""
        with pytest.raises(pp.Error):
            udp.bind(taken.get_local_port(), "127.0.0.1")
        assert "in use" in udp.get_last_error_text()
        with pytest.raises(pp.Error):
            enet.create_host_bound("127.0.0.1", taken.get_local_port())
        assert "bind" in enet.get_last_error_text()


def test_websocket_multiplayer(wait):
    with pp.WebSocketMultiplayerPeer() as server, pp.WebSocketMultiplayerPeer() as client:
        server.create_server(0, "127.0.0.1")
        client.create_client(f"ws://127.0.0.1:{server.get_local_port()}")

        def step():
            server.poll()
            client.poll()

        wait(step, lambda: client.get_connection_status() == pp.MultiplayerPeer.CONNECTION_CONNECTED,
             what="the WebSocket client to connect")
        client.set_target_peer(1)
        client.put_var(MESSAGE)
        wait(step, lambda: server.get_available_packet_count() > 0, what="the client's message")
        assert server.get_var() == MESSAGE


def test_scene_multiplayer_raw():
    packet = pp.scene_multiplayer_build_raw(pp.var_to_bytes({"hp": 3}))
    assert packet[0] == 0x03  # what multiplayer.send_bytes() sends
    msg = pp.scene_multiplayer_parse(packet)
    assert msg.command == pp.peers.SCENE_MULTIPLAYER_COMMAND_RAW
    assert pp.bytes_to_var(msg.payload) == {"hp": 3}


def test_errors_from_the_library():
    with pp.PacketPeerUDP() as a, pp.PacketPeerUDP() as b:
        a.bind(0, "127.0.0.1")
        with pytest.raises(pp.Error) as e:
            b.bind(a.get_local_port(), "127.0.0.1")
        assert e.value.code == pp.Err.ERR_UNAVAILABLE and e.value.call == "pp_packet_peer_udp_bind"
        with pytest.raises(pp.RangeError):
            b.bind(2 ** 40)  # would be silently truncated by ctypes
        with pytest.raises(pp.Error) as e:
            b.bind(70000)
        assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(ValueError):
        a.get_local_port()  # freed by the with block
    with pp.PacketPeerUDP() as c:
        with pytest.raises(pp.Error) as e:
            c.put_packet(b"x")  # no destination
        assert e.value.code == pp.Err.ERR_UNCONFIGURED
    with pp.TCPServer() as closed:
        closed.listen(0, "127.0.0.1")
        port = closed.get_local_port()
    with pp.StreamPeerTCP() as tcp:
        tcp.connect_to_host("127.0.0.1", port)  # nothing listens there any more
        with pytest.raises(pp.Error) as e:
            for _ in range(2000):  # bounded: 10 s
                tcp.poll()
                time.sleep(0.005)
        assert e.value.code == pp.Err.ERR_CONNECTION_ERROR
        assert "refused" in e.value.reason and e.value.reason == tcp.get_last_error_text()
    peer = pp.PacketPeerUDP()
    peer.free()
    peer.free()  # twice is fine
