"""WebRTCDataChannelExtension and WebRTCPeerConnectionExtension written in Python: every call
reaching its method with its arguments, the PacketPeer calls on an extension channel, signals
emitted from inside a callback, exceptions turned into error codes, the object released once the
library lets go, and a WebRTCMultiplayerPeer client over a Python extension that delegates to one
of our connections reaching a server over a built-in one (127.0.0.1, bounded waits)."""

import gc
import weakref

import pytest

import packetpeer as pp
from packetpeer.webrtc import ChannelState, ConnectionState
from packetpeer.webrtc_extension import _LIVE

from _helpers import LOOPBACK, Signalling


class QueueChannel(pp.WebRTCDataChannelExtension):
    """A channel that loops what it is given back to its reader."""

    def __init__(self, label="ext-label"):
        super().__init__()
        self.queue, self.mode, self.calls, self.label = [], 1, [], label
        self.last_was_text = False

    def _get_packet(self):
        if not self.queue:
            raise pp.Error(pp.Err.ERR_UNAVAILABLE)
        data, self.last_was_text = self.queue.pop(0)
        return data

    def _put_packet(self, data):
        if data == b"refuse":
            raise pp.Error(pp.Err.ERR_BUSY)
        if data == b"crash":
            raise RuntimeError("a bug in the extension")
        self.queue.append((data, self.mode == 0))

    def _get_available_packet_count(self):
        return len(self.queue)

    def _get_max_packet_size(self):
        return 1 << 16

    def _poll(self):
        self.calls.append("poll")

    def _close(self):
        self.calls.append("close")

    def _set_write_mode(self, mode):
        self.mode = mode

    def _get_write_mode(self):
        return self.mode

    def _was_string_packet(self):
        return self.last_was_text

    def _get_ready_state(self):
        return ChannelState.STATE_CLOSED if "close" in self.calls else ChannelState.STATE_OPEN

    def _get_label(self):
        return self.label

    def _is_ordered(self):
        return True

    def _get_id(self):
        return 42

    def _get_max_packet_life_time(self):
        return 7

    def _get_max_retransmits(self):
        return 65535

    def _get_protocol(self):
        return "proto-ü"

    def _is_negotiated(self):
        return True

    def _get_buffered_amount(self):
        return 5


def test_data_channel_extension_calls_reach_python():
    ch = QueueChannel()
    assert isinstance(ch, pp.WebRTCDataChannel) and isinstance(ch, pp.PacketPeer)
    ch.put_var({"a": [1, 2]})
    assert ch.get_available_packet_count() == 1
    assert ch.get_var() == {"a": [1, 2]} and not ch.was_string_packet()
    ch.write_mode = pp.WebRTCDataChannel.WRITE_MODE_TEXT
    assert ch.get_write_mode() == pp.WebRTCDataChannel.WRITE_MODE_TEXT
    ch.put_packet(b"text")
    assert ch.get_packet() == b"text" and ch.was_string_packet()
    with pytest.raises(pp.Error) as e:
        ch.get_packet()
    assert e.value.code == pp.Err.ERR_UNAVAILABLE
    with pytest.raises(pp.Error) as e:
        ch.put_packet(b"refuse")
    assert e.value.code == pp.Err.ERR_BUSY
    with pytest.raises(pp.Error) as e:
        ch.put_packet(b"crash")  # any other exception: FAILED, kept for the caller to see
    assert e.value.code == pp.Err.FAILED
    assert isinstance(ch.last_callback_error, RuntimeError)
    assert ch.get_max_packet_size() == 65536
    assert (ch.get_label(), ch.get_protocol(), ch.get_id()) == ("ext-label", "proto-ü", 42)
    assert ch.is_ordered() and ch.is_negotiated()
    assert (ch.get_max_packet_life_time(), ch.get_max_retransmits()) == (7, 65535)
    assert ch.get_buffered_amount() == 5 and ch.get_ready_state() == ChannelState.STATE_OPEN
    ch.poll()
    ch.close()
    assert ch.calls == ["poll", "close"] and ch.get_ready_state() == ChannelState.STATE_CLOSED


def test_extension_is_released_when_the_library_lets_go():
    before = len(_LIVE)
    ch = QueueChannel()
    ref = weakref.ref(ch)
    assert len(_LIVE) == before + 1
    ch.free()  # the last handle: the library's destroy callback lets the object go
    assert len(_LIVE) == before
    del ch
    gc.collect()
    from packetpeer import webrtc_extension
    webrtc_extension._GRAVE.clear()  # what destroy left to outlive its callback
    gc.collect()
    assert ref() is None


class Recorder(pp.WebRTCPeerConnectionExtension):
    """A connection that records its calls and emits its signals from inside them."""

    def __init__(self):
        super().__init__()
        self.log = []
        self.state = ConnectionState.STATE_NEW

    def _initialize(self, configuration):
        self.log.append(("initialize", configuration))
        if configuration.get("refuse"):
            raise pp.Error(pp.Err.ERR_INVALID_DATA)

    def _create_data_channel(self, label, options):
        self.log.append(("channel", label, options))
        if label == "fail":
            raise pp.Error(pp.Err.ERR_CANT_CREATE)
        if label == "wrong":
            return "not a channel"
        return QueueChannel(label)

    def _create_offer(self):
        self.log.append(("offer",))
        with pytest.raises(pp.Error) as e:
            self.poll()  # the object is busy in this very call
        self.log.append(("reentry", e.value.code))
        self.emit_session_description_created("offer", "v=0 ext")
        self.emit_ice_candidate_created("0", 0, "candidate:x")

    def _set_remote_description(self, type, sdp):
        self.log.append(("remote", type, sdp))

    def _set_local_description(self, type, sdp):
        self.log.append(("local", type, sdp))

    def _add_ice_candidate(self, media, index, name):
        self.log.append(("candidate", media, index, name))

    def _poll(self):
        self.log.append(("poll",))

    def _close(self):
        self.log.append(("close",))
        self.state = ConnectionState.STATE_CLOSED

    def _get_connection_state(self):
        return self.state

    def _get_gathering_state(self):
        return 2

    def _get_signaling_state(self):
        return 0


def test_connection_extension_calls_and_signals():
    pc = Recorder()
    pc.initialize({"k": 1})
    pc.initialize()
    with pytest.raises(pp.Error) as e:
        pc.initialize({"refuse": True})
    assert e.value.code == pp.Err.ERR_INVALID_DATA
    ch = pc.create_data_channel("made", {"ordered": False})
    assert isinstance(ch, pp.WebRTCDataChannel) and ch.get_label() == "made"
    ch.put_packet(b"x")
    assert ch.get_packet() == b"x"  # the channel the extension made, through the library
    with pytest.raises(pp.Error) as e:
        pc.create_data_channel("fail")
    assert e.value.code == pp.Err.ERR_CANT_CREATE
    with pytest.raises(pp.Error) as e:
        pc.create_data_channel("wrong")
    assert e.value.code == pp.Err.FAILED and isinstance(pc.last_callback_error, TypeError)
    pc.create_offer()
    assert ("reentry", pp.Err.ERR_LOCKED) in pc.log
    assert list(pc.events()) == [pp.SessionDescriptionCreated("offer", "v=0 ext"),
                                 pp.IceCandidateCreated("0", 0, "candidate:x")]
    pc.set_remote_description("answer", "v=0 r")
    pc.set_local_description("offer", "v=0 l")
    pc.add_ice_candidate("0", 3, "candidate:y")
    pc.poll()
    assert pc.get_connection_state() == ConnectionState.STATE_NEW
    assert pc.get_gathering_state() == pp.WebRTCPeerConnection.GatheringState.GATHERING_STATE_COMPLETE
    mine = QueueChannel("theirs")
    pc.emit_data_channel_received(mine)
    (ev,) = list(pc.events())
    assert isinstance(ev, pp.DataChannelReceived) and ev.channel.get_label() == "theirs"
    ev.channel.free()
    mine.free()
    pc.close()
    assert pc.get_connection_state() == ConnectionState.STATE_CLOSED
    assert pc.log[:3] == [("initialize", {"k": 1}), ("initialize", {}), ("initialize", {"refuse": True})]
    assert ("channel", "made", {"ordered": False}) in pc.log
    assert ("remote", "answer", "v=0 r") in pc.log and ("local", "offer", "v=0 l") in pc.log
    assert ("candidate", "0", 3, "candidate:y") in pc.log and ("close",) in pc.log
    with pytest.raises(pp.Error) as e:
        pc.set_conditioner(pp.ConditionerOptions())  # its sockets are not the library's
    assert e.value.code == pp.Err.ERR_UNAVAILABLE
    ch.free()
    pc.free()


class Delegate(pp.WebRTCPeerConnectionExtension):
    """A connection in Python that hands every call to one of our built-in connections and
    passes its events on as its own signals."""

    def __init__(self):
        super().__init__()
        self.inner = pp.WebRTCPeerConnection()

    def _initialize(self, configuration):
        self.inner.initialize(configuration)

    def _create_data_channel(self, label, options):
        return self.inner.create_data_channel(label, options)

    def _create_offer(self):
        self.inner.create_offer()

    def _set_remote_description(self, type, sdp):
        self.inner.set_remote_description(type, sdp)

    def _set_local_description(self, type, sdp):
        self.inner.set_local_description(type, sdp)

    def _add_ice_candidate(self, media, index, name):
        self.inner.add_ice_candidate(media, index, name)

    def _poll(self):
        self.inner.poll()
        for ev in self.inner.events():
            if isinstance(ev, pp.SessionDescriptionCreated):
                self.emit_session_description_created(ev.type, ev.sdp)
            elif isinstance(ev, pp.IceCandidateCreated):
                self.emit_ice_candidate_created(ev.media, ev.index, ev.name)
            elif isinstance(ev, pp.DataChannelReceived):
                self.emit_data_channel_received(ev.channel)

    def _close(self):
        self.inner.close()

    def _get_connection_state(self):
        return self.inner.get_connection_state()

    def _get_gathering_state(self):
        return self.inner.get_gathering_state()

    def _get_signaling_state(self):
        return self.inner.get_signaling_state()


def test_multiplayer_client_over_a_python_extension(wait):
    server, client = pp.WebRTCMultiplayerPeer(), pp.WebRTCMultiplayerPeer()
    server.create_server()
    client.create_client(2)
    sc = pp.WebRTCPeerConnection()
    sc.initialize(LOOPBACK)
    ext = Delegate()
    ext.initialize(LOOPBACK)
    server.add_peer(sc, 2)
    client.add_peer(ext, 1)  # its channels come from Delegate._create_data_channel
    sc.create_offer()

    sig = Signalling(sc, ext)

    def step():
        server.poll()
        client.poll()  # polls the extension (Delegate._poll)
        sig.relay()

    wait(step, lambda: client.get_connection_status() == pp.MultiplayerPeer.CONNECTION_CONNECTED,
         what="the client over the Python extension to connect")
    assert ext.get_connection_state() == ConnectionState.STATE_CONNECTED
    client.set_target_peer(1)
    client.put_var(["via", "python"])
    wait(step, lambda: server.get_available_packet_count() > 0, what="the client's packet")
    assert server.get_packet_peer() == 2 and server.get_var() == ["via", "python"]
    assert ext.last_callback_error is None
    client.close()
    server.close()
    for h in (sc, ext, server, client):
        h.free()
