"""WebRTC from Python: two of our connections in one process on 127.0.0.1 (the signalling is this
test), a reliable in-band channel and an unreliable negotiated one, text and binary messages,
put_var / get_var; a WebRTCMultiplayerPeer server and client; the events as Python objects;
ownership (channels outliving their connection's Python object, handles after free); error paths
with Godot's codes and the connection's reason in words. Every wait is bounded
(conftest.wait_until)."""

import gc

import pytest

import packetpeer as pp
from packetpeer.webrtc import ChannelState, ConnectionState, SignalingState, WriteMode

from _helpers import LOOPBACK, Signalling

MESSAGE = {"id": 7, "pos": pp.Vector2(1.5, 2.0), "tags": ["a", "b"], "blob": b"\x00\xff"}
UNRELIABLE = {"negotiated": True, "id": 3, "ordered": False, "maxRetransmits": 0}


def _pair():
    a, b = pp.WebRTCPeerConnection(), pp.WebRTCPeerConnection()
    a.initialize(LOOPBACK)
    b.initialize(LOOPBACK)
    return a, b


def _read(step, wait, channel, n=1, what="a message"):
    wait(step, lambda: channel.get_available_packet_count() >= n, what=what)


def test_two_connections_exchange_text_binary_and_variants(wait):
    a, b = _pair()
    assert a.get_connection_state() == ConnectionState.STATE_NEW
    assert a.get_signaling_state() == SignalingState.SIGNALING_STATE_STABLE
    assert a.get_gathering_state() == pp.WebRTCPeerConnection.GatheringState.GATHERING_STATE_NEW
    rel = a.create_data_channel("chat", {"protocol": "chat-v1"})
    fast = a.create_data_channel("state", UNRELIABLE)
    fast_b = b.create_data_channel("state", UNRELIABLE)
    assert rel.connection is a and rel.get_ready_state() == ChannelState.STATE_CONNECTING
    a.create_offer()
    assert a.get_signaling_state() == SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER
    sig = Signalling(a, b)
    wait(sig.step, lambda: sig.received[id(b)]
         and sig.received[id(b)][0].get_ready_state() == ChannelState.STATE_OPEN
         and rel.get_ready_state() == ChannelState.STATE_OPEN
         and fast.get_ready_state() == fast_b.get_ready_state() == ChannelState.STATE_OPEN,
         what="both channels to open")
    rel_b = sig.received[id(b)][0]
    assert a.get_connection_state() == b.get_connection_state() == ConnectionState.STATE_CONNECTED

    # the events arrived as typed objects
    seen_a = sig.seen[id(a)]
    assert seen_a[0] == pp.SignalingStateChanged(SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER)
    offer = next(e for e in seen_a if isinstance(e, pp.SessionDescriptionCreated))
    assert offer.type == "offer" and offer.sdp.startswith("v=0")
    cands = [e for e in seen_a if isinstance(e, pp.IceCandidateCreated)]
    assert cands and all("127.0.0.1" in e.name for e in cands)
    assert pp.ConnectionStateChanged(ConnectionState.STATE_CONNECTED) in seen_a
    answer = next(e for e in sig.seen[id(b)] if isinstance(e, pp.SessionDescriptionCreated))
    assert answer.type == "answer"
    assert any(isinstance(e, pp.SignalingStateChanged) for e in sig.seen[id(b)])
    assert isinstance(rel_b, pp.WebRTCDataChannel) and rel_b.connection is b

    # what each channel says about itself
    assert rel_b.get_label() == "chat" and rel_b.get_protocol() == "chat-v1"
    assert rel.is_ordered() and not rel.is_negotiated()
    assert rel.get_max_retransmits() == pp.WebRTCDataChannel.UNSET
    assert rel.get_max_packet_life_time() == 65535
    assert rel.get_id() == rel_b.get_id() != 65535
    assert fast.get_label() == "state" and fast.get_protocol() == ""
    assert fast.is_negotiated() and not fast.is_ordered()
    assert fast.get_id() == 3 and fast.get_max_retransmits() == 0
    assert rel.get_write_mode() == WriteMode.WRITE_MODE_BINARY

    # binary, text, and a Variant over the reliable channel
    rel.put_packet(b"\x00bin\xff")
    rel.write_mode = pp.WebRTCDataChannel.WRITE_MODE_TEXT
    assert rel.get_write_mode() == WriteMode.WRITE_MODE_TEXT
    rel.put_packet("héllo".encode())
    rel.set_write_mode(pp.WebRTCDataChannel.WRITE_MODE_BINARY)
    rel.put_var(MESSAGE)
    _read(sig.step, wait, rel_b, 3, "three reliable messages")
    assert rel_b.get_packet() == b"\x00bin\xff" and not rel_b.was_string_packet()
    assert rel_b.get_packet().decode() == "héllo" and rel_b.was_string_packet()
    assert rel_b.get_var() == MESSAGE and not rel_b.was_string_packet()
    with pytest.raises(pp.Error) as e:
        rel_b.get_packet()
    assert e.value.code == pp.Err.ERR_UNAVAILABLE

    # the unreliable channel, both ways (loopback loses nothing)
    fast_b.put_var(pp.Vector3(1, 2, 3))
    fast.set_write_mode(pp.WebRTCDataChannel.WRITE_MODE_TEXT)
    fast.put_packet(b"pos 1,2")
    _read(sig.step, wait, fast, what="the unreliable Variant")
    _read(sig.step, wait, fast_b, what="the unreliable text")
    assert fast.get_var() == pp.Vector3(1.0, 2.0, 3.0)
    assert fast_b.get_packet() == b"pos 1,2" and fast_b.was_string_packet()
    assert rel.get_buffered_amount() >= 0 and rel_b.get_refused_count() == 0
    rel.poll()  # reserved by the engine: does nothing, fails nothing

    stats = a.get_stats()
    assert isinstance(stats, pp.WebRTCStats) and stats.events_refused == 0
    assert stats.messages_refused == 0

    # a channel closed by the answerer closes on the offerer; sending then fails
    rel_b.close()
    wait(sig.step, lambda: rel.get_ready_state() == ChannelState.STATE_CLOSED, what="the close")
    with pytest.raises(pp.Error) as e:
        rel.put_packet(b"x")
    assert e.value.code == pp.Err.FAILED

    a.close()
    assert a.get_connection_state() == ConnectionState.STATE_CLOSED
    assert fast.get_ready_state() == ChannelState.STATE_CLOSED
    with pytest.raises(pp.Error) as e:
        a.poll()
    assert e.value.code == pp.Err.ERR_UNCONFIGURED
    for obj in (rel, rel_b, fast, fast_b, a, b):
        obj.free()


def test_channels_keep_their_connection(wait):
    """A channel keeps its connection's Python object; freeing the connection explicitly leaves
    the channel valid (the library keeps the connection while a channel references it)."""
    a = pp.WebRTCPeerConnection()
    a.initialize(LOOPBACK)
    ch = a.create_data_channel("keep")
    del a
    gc.collect()
    assert ch.connection.get_connection_state() == ConnectionState.STATE_NEW
    ch.connection.free()
    assert ch.get_label() == "keep"
    assert ch.get_ready_state() in (ChannelState.STATE_CONNECTING, ChannelState.STATE_CLOSED)
    with pytest.raises(ValueError):
        ch.connection.poll()  # this handle was freed
    ch.free()
    with pytest.raises(ValueError):
        ch.get_label()
    ch.free()  # twice is fine


def test_dropped_events_free_their_channels(wait):
    """A DataChannelReceived nobody keeps frees its channel with the event."""
    a, b = _pair()
    a.create_data_channel("one")
    a.create_offer()
    got = []
    # The channel is not kept: it goes with the event.
    sig = Signalling(a, b, on_channel=lambda src, ch: got.append(ch.get_label()))
    wait(sig.step, lambda: got, what="the received channel")
    gc.collect()
    assert got == ["one"]
    a.close()
    b.close()


def test_bad_sdp_candidates_and_options_say_why():
    a = pp.WebRTCPeerConnection()
    with pytest.raises(pp.Error) as e:
        a.create_data_channel("early")
    assert e.value.code == pp.Err.ERR_UNCONFIGURED
    with pytest.raises(pp.Error) as e:
        a.poll()
    assert e.value.code == pp.Err.ERR_UNCONFIGURED
    a.initialize(LOOPBACK)

    with pytest.raises(pp.Error) as e:
        a.set_remote_description("offer", "this is not SDP")
    assert e.value.code == pp.Err.FAILED
    assert e.value.call == "pp_webrtc_peer_connection_set_remote_description"
    assert e.value.reason and e.value.reason == a.get_last_error_text()
    with pytest.raises(pp.Error) as e:
        a.set_remote_description("pranswer", "v=0")
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(pp.Error) as e:
        a.set_remote_description("answer", "v=0\r\n")  # no local offer
    assert e.value.code == pp.Err.FAILED and e.value.reason
    with pytest.raises(pp.Error) as e:
        a.set_local_description("offer", "")
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(pp.Error) as e:
        a.add_ice_candidate("0", 0, "candidate:nonsense")
    assert e.value.code == pp.Err.FAILED
    with pytest.raises(pp.Error) as e:
        a.create_offer()  # no data channel yet
    assert e.value.code == pp.Err.FAILED

    for options in ({"negotiated": True},  # no id
                    {"negotiated": True, "id": 65535},
                    {"maxRetransmits": 1, "maxPacketLifeTime": 1},
                    {"maxRetransmits": 70000},
                    {"ordered": "yes"}):
        with pytest.raises(pp.Error) as e:
            a.create_data_channel("bad", options)
        assert e.value.code == pp.Err.ERR_INVALID_PARAMETER, options
    a.create_data_channel("n", {"negotiated": True, "id": 5})
    with pytest.raises(pp.Error) as e:
        a.create_data_channel("again", {"negotiated": True, "id": 5})  # id already used
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(TypeError):
        a.create_data_channel("bad", ["not", "a", "dict"])
    with pytest.raises(pp.Error) as e:
        a.create_data_channel("nul\0label")
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(pp.RangeError):
        a.add_ice_candidate("0", 2 ** 40, "")

    for config, code in (({"iceServers": [{"urls": "http://example.invalid"}]}, pp.Err.ERR_INVALID_PARAMETER),
                         ({"iceServers": [{"username": "u"}]}, pp.Err.ERR_INVALID_PARAMETER),
                         ({"iceServers": [{"urls": "turn:127.0.0.1:3478"}]}, pp.Err.ERR_INVALID_PARAMETER),
                         ({"iceTransportPolicy": "relay"}, pp.Err.ERR_INVALID_PARAMETER),
                         ({"iceServers": [{"urls": "turns:127.0.0.1?transport=udp", "username": "u",
                                           "credential": "p"}]}, pp.Err.ERR_UNAVAILABLE)):
        b = pp.WebRTCPeerConnection()
        with pytest.raises(pp.Error) as e:
            b.initialize(config)
        assert e.value.code == code, config
        b.free()
    a.close()
    a.free()
    with pytest.raises(ValueError):
        a.get_connection_state()


def test_turn_over_tcp_and_tls_configuration():
    """TURN over TCP and TLS are configured (no server is contacted before an offer); the TLS
    options for turns: take client options only."""
    key = pp.CryptoKey.generate_rsa(2048)
    cert = pp.X509Certificate.generate_self_signed(key, "CN=localhost")
    with pp.WebRTCPeerConnection() as pc:
        pc.set_turn_tls_options(pp.TLSOptions.client(cert))
        pc.set_turn_tls_options(pp.TLSOptions.client_unsafe())
        pc.set_turn_tls_options(None)  # the system's CAs
        with pytest.raises(pp.Error) as e:
            pc.set_turn_tls_options(pp.TLSOptions.server(key, cert))
        assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
        with pytest.raises(TypeError):
            pc.set_turn_tls_options("not options")
        pc.initialize(dict(LOOPBACK, iceServers=[
            {"urls": ["turn:127.0.0.1:3478?transport=tcp", "turns:localhost:5349"],
             "username": "u", "credential": "p"}]))
        assert pc.get_connection_state() == ConnectionState.STATE_NEW


def _mp_connect(wait, server, client, client_id):
    sc, cc = _pair()
    server.add_peer(sc, client_id)
    client.add_peer(cc, 1)
    sc.create_offer()
    sig = Signalling(sc, cc)
    events = {"server": [], "client": []}

    def step():
        server.poll()
        client.poll()
        sig.relay()
        events["server"].extend(server.events())
        events["client"].extend(client.events())

    wait(step, lambda: client.get_connection_status() == pp.MultiplayerPeer.CONNECTION_CONNECTED
         and events["server"], what="the WebRTC multiplayer client to connect")
    return sc, cc, step, events


def test_webrtc_multiplayer_server_and_client(wait):
    server, client = pp.WebRTCMultiplayerPeer(), pp.WebRTCMultiplayerPeer()
    with pytest.raises(pp.Error) as e:
        server.add_peer(pp.WebRTCPeerConnection(), 2)
    assert e.value.code == pp.Err.ERR_UNCONFIGURED
    extra = [pp.MultiplayerPeer.TRANSFER_MODE_UNRELIABLE]
    with pytest.raises(pp.Error) as e:
        server.create_server([7])
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(pp.Error) as e:
        client.create_client(1)
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    server.create_server(extra)
    client.create_client(2, extra)
    assert server.is_server() and server.get_unique_id() == 1
    assert client.get_connection_status() == pp.MultiplayerPeer.CONNECTION_CONNECTING
    assert not server.is_honoring_unreliable_lifetime()

    odd = pp.WebRTCPeerConnection()
    odd.initialize(LOOPBACK)
    with pytest.raises(pp.Error) as e:
        server.add_peer(odd, 1)  # a server adding 1
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(pp.Error) as e:
        client.add_peer(odd, 3)  # a client adding another ID than 1
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(pp.Error) as e:
        server.add_peer(odd, 2, -1)
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    with pytest.raises(TypeError):
        server.add_peer(pp.PacketPeerUDP(), 2)
    odd.free()

    sc, cc, step, events = _mp_connect(wait, server, client, 2)
    assert events["server"][0] == pp.MultiplayerEvent(pp.MultiplayerPeer.EVENT_PEER_CONNECTED, 2, 0)
    assert events["client"][0] == pp.MultiplayerEvent(pp.MultiplayerPeer.EVENT_PEER_CONNECTED, 1, 0)
    assert server.has_peer(2) and not server.has_peer(3)
    assert server.get_peer_ids() == [2] and list(server.get_peers()) == [2]
    info = server.get_peer(2)
    assert info.connected and len(info.channels) == 4
    assert info.connection.get_connection_state() == ConnectionState.STATE_CONNECTED
    assert [c.get_id() for c in info.channels] == [1, 2, 3, 4]
    assert info.channels[0].is_ordered() and not info.channels[2].is_ordered()
    with pytest.raises(pp.Error) as e:
        server.get_peer(9)
    assert e.value.code == pp.Err.ERR_DOES_NOT_EXIST
    with pytest.raises(pp.Error) as e:
        server.get_peer_channel(2, 4)
    assert e.value.code == pp.Err.ERR_DOES_NOT_EXIST
    for c in info.channels:
        c.free()
    info.connection.free()
    sc.free()  # the multiplayer peer keeps its own reference
    cc.free()

    def step():
        server.poll()
        client.poll()

    client.set_target_peer(pp.MultiplayerPeer.TARGET_PEER_SERVER)
    client.put_var(MESSAGE)
    wait(step, lambda: server.get_available_packet_count() > 0, what="the client's packet")
    assert server.get_packet_peer() == 2 and server.get_packet_channel() == 0
    assert server.get_var() == MESSAGE
    server.set_target_peer(2)
    server.set_transfer_channel(1)  # the extra channel
    server.put_var(pp.NodePath("/root/Main"))
    wait(step, lambda: client.get_available_packet_count() > 0, what="the server's packet")
    assert client.get_packet_peer() == 1 and client.get_packet_channel() == 1
    assert client.get_var() == pp.NodePath("/root/Main")

    server.remove_peer(2)
    assert not server.has_peer(2) and server.get_peers() == {}
    assert list(server.events()) == [pp.MultiplayerEvent(pp.MultiplayerPeer.EVENT_PEER_DISCONNECTED, 2, 0)]
    server.remove_peer(2)  # unknown: nothing
    client.close()
    server.free()
    client.free()


def test_webrtc_mesh(wait):
    one, two = pp.WebRTCMultiplayerPeer(), pp.WebRTCMultiplayerPeer()
    with pytest.raises(pp.Error) as e:
        one.create_mesh(0)
    assert e.value.code == pp.Err.ERR_INVALID_PARAMETER
    one.set_honor_unreliable_lifetime(True)
    assert one.is_honoring_unreliable_lifetime()
    one.create_mesh(1)
    two.create_mesh(5)
    assert one.get_connection_status() == pp.MultiplayerPeer.CONNECTION_CONNECTED
    c1, c5 = _pair()
    one.add_peer(c1, 5)
    two.add_peer(c5, 1)
    c1.create_offer()
    sig = Signalling(c1, c5)

    def step():
        one.poll()
        two.poll()
        sig.relay()

    wait(step, lambda: one.get_peer_connection(5)[1] and two.get_peer_connection(1)[1],
         what="the mesh link")
    two.set_target_peer(1)
    two.put_packet(b"mesh")
    wait(step, lambda: one.get_available_packet_count() > 0, what="the mesh packet")
    assert one.get_packet_peer() == 5 and one.get_packet() == b"mesh"
    one.close()
    two.close()
