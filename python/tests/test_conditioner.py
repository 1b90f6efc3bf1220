"""The network conditioner from Python: loss, delay and determinism observed through real loopback
exchanges (PacketPeerUDP, ENetConnection, PacketPeerDTLS / DTLSServer, WebRTCPeerConnection), its
counters, and bad options refused with Godot's code. Every wait is bounded (conftest.wait_until)."""

import math
import time

import pytest

import packetpeer as pp
from packetpeer.webrtc import ChannelState

from _helpers import Signalling, dtls_step

N = 200


def _udp_pair():
    a, b = pp.PacketPeerUDP(), pp.PacketPeerUDP()
    a.bind(0, "127.0.0.1")
    b.bind(0, "127.0.0.1")
    a.set_dest_address("127.0.0.1", b.get_local_port())
    return a, b


def _drain(b):
    got = []
    while b.get_available_packet_count() > 0:
        got.append(b.get_packet())
    return got


def _lossy_run(seed):
    """Sends N numbered datagrams through 30 % outgoing loss; returns the numbers received and
    the sender's counters."""
    a, b = _udp_pair()
    with a, b:
        a.set_conditioner(pp.ConditionerOptions(seed=seed, outgoing=pp.ConditionerDirection(loss=0.3)))
        for i in range(N):
            a.put_packet(i.to_bytes(2, "big"))
        stats = a.get_conditioner_stats()
        got = []
        deadline = time.monotonic() + 5
        # released datagrams were sent at once (no delay): read until all of them are here
        while len(got) < stats.outgoing.released and time.monotonic() < deadline:
            b.wait(100)
            got.extend(int.from_bytes(p, "big") for p in _drain(b))
        return got, stats


def test_udp_loss_is_counted_and_repeats_with_the_seed():
    got, stats = _lossy_run(seed=7)
    out = stats.outgoing
    assert out.offered == N and out.bytes_offered == 2 * N
    assert out.dropped_loss + out.released == N
    assert 0.15 * N < out.dropped_loss < 0.45 * N  # 30 % of 200, give or take
    assert len(got) == out.released and got == sorted(got)  # no reordering asked for
    assert stats.incoming == pp.ConditionerDirectionStats(*([0] * 9))
    again, stats2 = _lossy_run(seed=7)
    assert again == got and stats2 == stats  # one seed, one fate
    other, _ = _lossy_run(seed=8)
    assert other != got


def test_udp_delay_and_incoming_loss(wait):
    a, b = _udp_pair()
    with a, b:
        a.set_conditioner(pp.ConditionerOptions(outgoing=pp.ConditionerDirection(delay_ms=150)))
        start = time.monotonic()
        a.put_var({"t": "late"})
        assert a.get_conditioner_stats().outgoing.queued == 1
        # held datagrams leave during the sender's own calls: keep calling one
        wait(lambda: a.get_available_packet_count(), lambda: b.get_available_packet_count() > 0,
             what="the delayed datagram")
        elapsed = time.monotonic() - start
        assert elapsed >= 0.15
        assert b.get_var() == {"t": "late"}
        assert a.get_conditioner_stats().outgoing.queued == 0

        b.set_conditioner(pp.ConditionerOptions(incoming=pp.ConditionerDirection(loss=1.0)))
        a.set_conditioner(None)
        with pytest.raises(pp.Error) as e:
            a.get_conditioner_stats()
        assert e.value.code == pp.Err.ERR_UNCONFIGURED
        for i in range(10):
            a.put_packet(b"x")
        wait(lambda: b.get_available_packet_count(),
             lambda: b.get_conditioner_stats().incoming.offered == 10, what="the ten datagrams")
        assert b.get_available_packet_count() == 0
        assert b.get_conditioner_stats().incoming.dropped_loss == 10


def _enet_pair(wait):
    server, client = pp.ENetConnection(), pp.ENetConnection()
    server.create_host_bound("127.0.0.1", 0, 4)
    client.create_host_bound("127.0.0.1", 0, 1)
    peer = client.connect_to_host("127.0.0.1", server.get_local_port(), 1)
    received = []

    def step():
        for host in (server, client):
            for _ in range(64):  # bounded per step
                ev = host.service(0)
                if ev.type == pp.ENetConnection.EVENT_NONE:
                    break
                if ev.type == pp.ENetConnection.EVENT_RECEIVE and host is server:
                    received.append(ev.peer.get_packet())

    wait(step, lambda: peer.get_state() == pp.ENetPacketPeer.PeerState.STATE_CONNECTED,
         what="the ENet handshake")
    return server, client, peer, step, received


def test_enet_resends_what_the_conditioner_drops(wait):
    server, client, peer, step, received = _enet_pair(wait)
    with server, client:
        client.set_conditioner(pp.ConditionerOptions(seed=3, outgoing=pp.ConditionerDirection(
            loss=0.2, delay_ms=20, jitter_ms=10)))
        for i in range(50):  # 1000 bytes each: one datagram per packet
            peer.send(0, i.to_bytes(2, "big") * 500, pp.ENetPacketPeer.FLAG_RELIABLE)
            client.flush()
        wait(step, lambda: len(received) >= 50, timeout=30, what="50 reliable packets through 20 % loss")
        assert received == [i.to_bytes(2, "big") * 500 for i in range(50)]  # whole and in order
        out = client.get_conditioner_stats().outgoing
        assert out.dropped_loss > 0 and out.offered > 50  # ENet resent what was lost
        assert out.released + out.dropped_loss + out.queued >= out.offered


def test_enet_delay(wait):
    server, client, peer, step, received = _enet_pair(wait)
    with server, client:
        client.set_conditioner(pp.ConditionerOptions(outgoing=pp.ConditionerDirection(delay_ms=200)))
        start = time.monotonic()
        peer.send(0, b"slow", pp.ENetPacketPeer.FLAG_RELIABLE)
        wait(step, lambda: received, what="the delayed ENet packet")
        assert time.monotonic() - start >= 0.2 and received == [b"slow"]
        client.set_conditioner(None)
        with pytest.raises(pp.Error) as e:
            client.get_conditioner_stats()
        assert e.value.code == pp.Err.ERR_UNCONFIGURED


def test_dtls_handshake_and_records_through_the_conditioner(wait):
    key = pp.CryptoKey.generate_rsa(2048)
    cert = pp.X509Certificate.generate_self_signed(key, "CN=localhost")
    opts = pp.ConditionerOptions(seed=11, outgoing=pp.ConditionerDirection(delay_ms=30, duplicate=0.2),
                                 incoming=pp.ConditionerDirection(delay_ms=10))
    with pp.UDPServer() as udp_server, pp.DTLSServer() as dtls_server, pp.PacketPeerUDP() as udp:
        udp_server.listen(0, "127.0.0.1")
        dtls_server.setup(pp.TLSOptions.server(key, cert))
        dtls_server.set_conditioner(opts)
        udp.connect_to_host("127.0.0.1", udp_server.get_local_port())
        client = pp.PacketPeerDTLS()
        client.set_conditioner(opts)
        client.connect_to_peer(udp, "localhost", pp.TLSOptions.client(cert))
        server = []

        def step():
            dtls_step(udp_server, dtls_server, client, server)

        wait(step, lambda: client.get_status() == pp.TLSStatus.STATUS_CONNECTED and server
             and server[0].get_status() == pp.TLSStatus.STATUS_CONNECTED, timeout=20,
             what="the DTLS handshake through the conditioner")
        client.put_var("through")
        wait(step, lambda: server[0].get_available_packet_count() > 0, what="the DTLS record")
        assert server[0].get_var() == "through"
        for p in (client, server[0]):
            s = p.get_conditioner_stats()
            assert s.outgoing.offered > 0 and s.incoming.offered > 0
        assert client.get_conditioner_stats().outgoing.duplicated > 0
        client.set_conditioner(None)
        dtls_server.set_conditioner(None)


def test_webrtc_reliable_channel_through_loss(wait):
    a, b = pp.WebRTCPeerConnection(), pp.WebRTCPeerConnection()
    cfg = {"bindAddresses": ["127.0.0.1"]}
    a.initialize(cfg)
    b.initialize(cfg)
    lossy = pp.ConditionerDirection(loss=0.05, delay_ms=5)
    ch = a.create_data_channel("r")
    a.create_offer()
    sig = Signalling(a, b)
    step = sig.step
    got = sig.received[id(b)]

    wait(step, lambda: got and ch.get_ready_state() == ChannelState.STATE_OPEN,
         what="the WebRTC channel")
    # on a live connection: its sockets are conditioned from now on
    a.set_conditioner(pp.ConditionerOptions(seed=5, outgoing=lossy, incoming=lossy))
    for i in range(100):
        ch.put_packet(i.to_bytes(2, "big") * 200)
    msgs = []

    def read():
        step()
        while got[0].get_available_packet_count() > 0:
            msgs.append(got[0].get_packet())

    wait(read, lambda: len(msgs) >= 100, timeout=30, what="100 reliable messages through loss")
    assert msgs == [i.to_bytes(2, "big") * 200 for i in range(100)]
    s = a.get_conditioner_stats()
    assert s.outgoing.offered > 0 and s.incoming.offered > 0
    assert s.outgoing.dropped_loss + s.incoming.dropped_loss > 0
    a.set_conditioner(None)
    with pytest.raises(pp.Error) as e:
        a.get_conditioner_stats()
    assert e.value.code == pp.Err.ERR_UNCONFIGURED
    a.close()
    b.close()


def test_bad_options_are_refused():
    def opts(**kw):
        d = {k: kw.pop(k) for k in list(kw) if k in ("loss", "duplicate", "reorder", "delay_ms",
                                                     "jitter_ms", "bandwidth")}
        return pp.ConditionerOptions(outgoing=pp.ConditionerDirection(**d), **kw)

    defaults = pp.ConditionerOptions()
    assert defaults.seed == 0 and defaults.max_queued == 4096
    assert defaults.outgoing == defaults.incoming == pp.ConditionerDirection()
    assert defaults.outgoing.loss == 0.0 and defaults.outgoing.bandwidth == 0

    with pp.PacketPeerUDP() as udp, pp.ENetConnection() as enet, pp.DTLSServer() as dtls_server:
        dtls = pp.PacketPeerDTLS()
        webrtc = pp.WebRTCPeerConnection()
        targets = [udp, enet, dtls, dtls_server, webrtc]
        enet.create_host_bound("127.0.0.1", 0)
        for bad in (opts(loss=1.5), opts(duplicate=-0.1), opts(reorder=math.nan), opts(delay_ms=60001),
                    opts(jitter_ms=70000), opts(max_queued=0), opts(max_queued=1048577)):
            for t in targets:
                with pytest.raises(pp.Error) as e:
                    t.set_conditioner(bad)
                assert e.value.code == pp.Err.ERR_INVALID_PARAMETER, (type(t).__name__, bad)
        for bad in (opts(delay_ms=-1), opts(bandwidth=2 ** 64), opts(seed=-1), opts(max_queued=2 ** 32)):
            with pytest.raises(pp.RangeError):
                udp.set_conditioner(bad)
        with pytest.raises(TypeError):
            udp.set_conditioner(opts(loss="0.5"))
        with pytest.raises(TypeError):
            udp.set_conditioner({"loss": 0.5})
        with pytest.raises(TypeError):
            udp.set_conditioner(pp.ConditionerOptions(outgoing=0.5))

        # the edges are accepted
        for t in targets:
            t.set_conditioner(opts(loss=1.0, delay_ms=60000, max_queued=1048576, seed=2 ** 64 - 1))
            t.set_conditioner(None)
        for t in (udp, enet, dtls, webrtc):
            with pytest.raises(pp.Error) as e:
                t.get_conditioner_stats()
            assert e.value.code == pp.Err.ERR_UNCONFIGURED
        dtls.free()
        webrtc.free()

    with pp.ENetConnection() as no_host:
        with pytest.raises(pp.Error) as e:
            no_host.set_conditioner(pp.ConditionerOptions())
        assert e.value.code == pp.Err.ERR_UNCONFIGURED

    with pp.UDPServer() as server, pp.PacketPeerUDP() as client:
        server.listen(0, "127.0.0.1")
        client.connect_to_host("127.0.0.1", server.get_local_port())
        client.put_packet(b"hi")
        for _ in range(1000):  # bounded: 5 s
            server.poll()
            if server.is_connection_available():
                break
            time.sleep(0.005)
        with server.take_connection() as handed_out:
            with pytest.raises(pp.Error) as e:
                handed_out.set_conditioner(pp.ConditionerOptions())
            assert e.value.code == pp.Err.ERR_UNAVAILABLE
