"""WebRTC: WebRTCPeerConnection, WebRTCDataChannel, WebRTCMultiplayerPeer, and the connection's
events.

Godot's names and methods, WebRTC built into the library (no plugin, no thread): everything
happens in ``WebRTCPeerConnection.poll()`` (or ``WebRTCMultiplayerPeer.poll()``), so call it every
few milliseconds. Signalling is yours: after ``create_offer()`` or ``set_remote_description("offer",
...)``, drain ``pop_event()`` / ``events()`` and hand ``SessionDescriptionCreated`` and
``IceCandidateCreated`` to the remote, whose ``set_remote_description`` / ``add_ice_candidate``
take them.

    a, b = pp.WebRTCPeerConnection(), pp.WebRTCPeerConnection()
    for pc in (a, b):
        pc.initialize({"bindAddresses": ["127.0.0.1"]})   # host candidates on loopback only
    chat = a.create_data_channel("chat")
    a.create_offer()
    # ... poll both, pass each one's events to the other, until chat.get_ready_state() is OPEN

Ownership, as the C header says: a connection and every data channel are owned handles (``free()``,
``with`` or garbage collection release them). A channel keeps its connection alive (the Python
object here, the connection itself in the library), so a channel is never left without the
connection that moves its messages; freeing a connection explicitly while channels remain leaves
them valid (the library keeps the connection until they go). ``WebRTCMultiplayerPeer.add_peer``
takes its own reference to the connection. Nothing here is lent, so no handle can outlive what it
points to.

Failures raise ``Error`` with Godot's code; a connection's ``Error.reason`` is its
``get_last_error_text()`` (why the SDP was refused, which option was wrong ...).
"""

import ctypes
import enum
from collections import namedtuple
from ctypes import byref, c_bool, c_int32, c_size_t, c_void_p

from . import _capi as C
from . import conditioner as _cond
from .errors import Err, Error, check, cstr, i32
from .peers import MultiplayerPeer, PacketPeer, _Handle, _new, _text
from .tls import TLSOptions
from .variant import from_python

__all__ = [
    "WebRTCPeerConnection", "WebRTCDataChannel", "WebRTCMultiplayerPeer", "WebRTCStats",
    "WebRTCPeer", "SessionDescriptionCreated", "IceCandidateCreated", "DataChannelReceived",
    "ConnectionStateChanged", "GatheringStateChanged", "SignalingStateChanged",
]


# ---- enums (named as in the C header, without the PP_WEBRTC_ prefix) -------------------------

class ConnectionState(enum.IntEnum):
    """``WebRTCPeerConnection.ConnectionState`` (``pp_webrtc_connection_state``)."""
    STATE_NEW = 0
    STATE_CONNECTING = 1
    STATE_CONNECTED = 2
    STATE_DISCONNECTED = 3
    STATE_FAILED = 4
    STATE_CLOSED = 5


class GatheringState(enum.IntEnum):
    """``WebRTCPeerConnection.GatheringState`` (``pp_webrtc_gathering_state``)."""
    GATHERING_STATE_NEW = 0
    GATHERING_STATE_GATHERING = 1
    GATHERING_STATE_COMPLETE = 2


class SignalingState(enum.IntEnum):
    """``WebRTCPeerConnection.SignalingState`` (``pp_webrtc_signaling_state``); the PRANSWER
    states never occur."""
    SIGNALING_STATE_STABLE = 0
    SIGNALING_STATE_HAVE_LOCAL_OFFER = 1
    SIGNALING_STATE_HAVE_REMOTE_OFFER = 2
    SIGNALING_STATE_HAVE_LOCAL_PRANSWER = 3
    SIGNALING_STATE_HAVE_REMOTE_PRANSWER = 4
    SIGNALING_STATE_CLOSED = 5


class EventType(enum.IntEnum):
    """``pp_webrtc_event_type``: which signal an event is."""
    EVENT_SESSION_DESCRIPTION_CREATED = 0
    EVENT_ICE_CANDIDATE_CREATED = 1
    EVENT_DATA_CHANNEL_RECEIVED = 2
    EVENT_CONNECTION_STATE_CHANGED = 3
    EVENT_GATHERING_STATE_CHANGED = 4
    EVENT_SIGNALING_STATE_CHANGED = 5


class ChannelState(enum.IntEnum):
    """``WebRTCDataChannel.ChannelState`` (``pp_webrtc_data_channel_state``)."""
    STATE_CONNECTING = 0
    STATE_OPEN = 1
    STATE_CLOSING = 2
    STATE_CLOSED = 3


class WriteMode(enum.IntEnum):
    """``WebRTCDataChannel.WriteMode`` (``pp_webrtc_data_channel_write_mode``)."""
    WRITE_MODE_TEXT = 0
    WRITE_MODE_BINARY = 1


# ---- events ----------------------------------------------------------------------------------

def _event(name, fields, doc):
    cls = namedtuple(name, fields, module=__name__)
    cls.__doc__ = doc
    return cls


SessionDescriptionCreated = _event(
    "SessionDescriptionCreated", "type sdp",
    "``session_description_created(type, sdp)``: ``type`` is ``\"offer\"`` or ``\"answer\"``; hand "
    "both to the remote's ``set_remote_description``.")
IceCandidateCreated = _event(
    "IceCandidateCreated", "media index name",
    "``ice_candidate_created(media, index, name)``: hand them to the remote's ``add_ice_candidate``.")
DataChannelReceived = _event(
    "DataChannelReceived", "channel",
    "``data_channel_received(channel)``: a ``WebRTCDataChannel`` the remote opened (yours; keep it "
    "to keep receiving).")
ConnectionStateChanged = _event("ConnectionStateChanged", "state",
                                "The connection state changed to ``state`` (a ``ConnectionState``).")
GatheringStateChanged = _event("GatheringStateChanged", "state",
                               "The gathering state changed to ``state`` (a ``GatheringState``).")
SignalingStateChanged = _event("SignalingStateChanged", "state",
                               "The signaling state changed to ``state`` (a ``SignalingState``).")

WebRTCStats = namedtuple("WebRTCStats", C.WEBRTC_STATS_FIELDS)
WebRTCStats.__doc__ = (
    "A connection's counters (``pp_webrtc_stats``, beyond the engine): garbage_datagrams, "
    "input_errors, send_dropped, events_refused (1024 queued), messages_refused, read_throttled, "
    "candidates_ignored (mDNS / TCP remote candidates). They only grow.")


def _string_at(p):
    return ctypes.string_at(p).decode("utf-8") if p else None


def _dictionary(value, what):
    """A new ``pp_variant *`` Dictionary for ``value`` (a ``dict``), or None for None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a dict or None, not {type(value).__name__}")
    return from_python(value)


# ---- WebRTCPeerConnection --------------------------------------------------------------------

class WebRTCPeerConnection(_Handle):
    """Godot's WebRTCPeerConnection (``pp_webrtc_peer_connection``)."""
    _free_fn = staticmethod(lambda h: C.pp_webrtc_peer_connection_free(h))

    ConnectionState = ConnectionState
    GatheringState = GatheringState
    SignalingState = SignalingState
    EventType = EventType

    def __init__(self, _handle=None):
        super().__init__(_handle or _new(C.pp_webrtc_peer_connection_new,
                                         "pp_webrtc_peer_connection_new"))

    def _check(self, code, call):
        if code:
            raise Error(code, call, reason=self.get_last_error_text() or None)

    def get_last_error_text(self):
        """Why the last failing call on this connection failed, in words, or ``""``."""
        return _text(C.pp_webrtc_peer_connection_get_last_error,
                     "pp_webrtc_peer_connection_get_last_error", self.handle)

    def initialize(self, configuration=None):
        """(Re)creates the connection: state NEW, channels of a previous one CLOSED, events
        dropped. ``configuration``: None or a dict: ``"iceServers"`` (a list of ``{"urls": ...,
        "username": ..., "credential": ...}``; ``stun:`` URLs, and TURN over UDP
        (``turn:host[:port]``), TCP (``turn:...?transport=tcp``) or TLS (``turns:``, see
        ``set_turn_tls_options``)), and beyond the engine ``"iceTransportPolicy"`` (``"all"`` /
        ``"relay"``), ``"bindAddresses"`` (IP literals to gather host candidates on; by default
        every interface but loopback) and ``"iceTimeout"`` (ms). ``Error``
        ``ERR_INVALID_PARAMETER`` for a bad dictionary, ``ERR_UNAVAILABLE`` for a TURN URL with
        another transport (``turns:`` over UDP), ``ERR_CANT_CREATE`` when no socket binds."""
        cfg = _dictionary(configuration, "configuration")
        try:
            self._check(C.pp_webrtc_peer_connection_initialize(self.handle, cfg),
                        "pp_webrtc_peer_connection_initialize")
        finally:
            if cfg:
                C.pp_variant_free(cfg)

    def set_turn_tls_options(self, tls_client_options=None):
        """TLS client options (a ``TLSOptions.client(...)`` / ``client_unsafe(...)``) for
        ``turns:`` TURN servers; None: the system's CAs, the certificate naming the URL's host.
        Read when the allocations start (the first ``create_offer`` or
        ``set_remote_description`` after ``initialize``); it stays through ``initialize``. The
        options are copied. Server options raise ``Error`` ``ERR_INVALID_PARAMETER``."""
        if tls_client_options is not None and not isinstance(tls_client_options, TLSOptions):
            raise TypeError("tls_client_options must be a TLSOptions or None, not "
                            f"{type(tls_client_options).__name__}")
        self._check(C.pp_webrtc_peer_connection_set_turn_tls_options(
            self.handle, tls_client_options.handle if tls_client_options is not None else None),
            "pp_webrtc_peer_connection_set_turn_tls_options")

    def create_data_channel(self, label, options=None):
        """A new ``WebRTCDataChannel`` (only while the connection is NEW). ``options``: None or a
        dict: ``"negotiated"`` and ``"id"`` (both or neither), ``"maxRetransmits"`` or
        ``"maxPacketLifeTime"`` (not both), ``"ordered"``, ``"protocol"``. Bad options raise
        ``Error`` ``ERR_INVALID_PARAMETER`` (where the engine returns null)."""
        opts = _dictionary(options, "options")
        out = c_void_p()
        try:
            self._check(C.pp_webrtc_peer_connection_create_data_channel(
                self.handle, cstr(label, "label"), opts, byref(out)),
                "pp_webrtc_peer_connection_create_data_channel")
        finally:
            if opts:
                C.pp_variant_free(opts)
        return WebRTCDataChannel(out.value, connection=self)

    def create_offer(self):
        """Starts negotiating as the offerer: the offer arrives as a ``SessionDescriptionCreated``
        event, then one ``IceCandidateCreated`` per candidate. Needs a data channel."""
        self._check(C.pp_webrtc_peer_connection_create_offer(self.handle),
                    "pp_webrtc_peer_connection_create_offer")

    def set_remote_description(self, type, sdp):
        """Applies the remote's ``"offer"`` (the answer follows as an event) or ``"answer"``.
        SDP that does not parse or is refused raises ``Error`` ``FAILED`` with the reason."""
        self._check(C.pp_webrtc_peer_connection_set_remote_description(
            self.handle, cstr(type, "type"), cstr(sdp, "sdp")),
            "pp_webrtc_peer_connection_set_remote_description")

    def set_local_description(self, type, sdp):
        """Checks its arguments only: the local description is applied when it is made."""
        self._check(C.pp_webrtc_peer_connection_set_local_description(
            self.handle, cstr(type, "type"), cstr(sdp, "sdp")),
            "pp_webrtc_peer_connection_set_local_description")

    def add_ice_candidate(self, media, index, name):
        """Adds a remote candidate (``name``: the ``candidate:...`` attribute; empty: the end)."""
        self._check(C.pp_webrtc_peer_connection_add_ice_candidate(
            self.handle, cstr(media, "media"), i32(index, "index"), cstr(name, "name")),
            "pp_webrtc_peer_connection_add_ice_candidate")

    def poll(self):
        """Does the network work: sockets, timers, channel messages, events. ``Error``
        ``FAILED`` once the connection failed, ``ERR_UNCONFIGURED`` before initialize or after
        close."""
        self._check(C.pp_webrtc_peer_connection_poll(self.handle), "pp_webrtc_peer_connection_poll")

    def close(self):
        """Closes the connection and its channels (CLOSED; ``initialize`` makes it usable again).
        The object stays usable; ``free()`` releases it."""
        C.pp_webrtc_peer_connection_close(self.handle)

    def get_connection_state(self):
        return ConnectionState(C.pp_webrtc_peer_connection_get_connection_state(self.handle))

    def get_gathering_state(self):
        return GatheringState(C.pp_webrtc_peer_connection_get_gathering_state(self.handle))

    def get_signaling_state(self):
        return SignalingState(C.pp_webrtc_peer_connection_get_signaling_state(self.handle))

    def pop_event(self):
        """The oldest queued signal, or None: a ``SessionDescriptionCreated``,
        ``IceCandidateCreated``, ``DataChannelReceived``, ``ConnectionStateChanged``,
        ``GatheringStateChanged`` or ``SignalingStateChanged``."""
        ev = C.WebRTCEvent()
        r = C.pp_webrtc_peer_connection_pop_event(self.handle, byref(ev))
        if r == Err.ERR_UNAVAILABLE:
            return None
        check(r, "pp_webrtc_peer_connection_pop_event")
        # The channel is ours from here on: wrap it first, so that it is freed whatever happens.
        channel = WebRTCDataChannel(ev.channel, connection=self) if ev.channel else None
        try:
            text, text2 = _string_at(ev.text), _string_at(ev.text2)
        finally:
            C.pp_webrtc_event_clear(byref(ev))
        kind = ev.type
        if kind == EventType.EVENT_SESSION_DESCRIPTION_CREATED:
            return SessionDescriptionCreated(text, text2)
        if kind == EventType.EVENT_ICE_CANDIDATE_CREATED:
            return IceCandidateCreated(text, ev.index, text2)
        if kind == EventType.EVENT_DATA_CHANNEL_RECEIVED:
            return DataChannelReceived(channel)
        if kind == EventType.EVENT_CONNECTION_STATE_CHANGED:
            return ConnectionStateChanged(ConnectionState(ev.state))
        if kind == EventType.EVENT_GATHERING_STATE_CHANGED:
            return GatheringStateChanged(GatheringState(ev.state))
        if kind == EventType.EVENT_SIGNALING_STATE_CHANGED:
            return SignalingStateChanged(SignalingState(ev.state))
        raise Error(Err.ERR_BUG, "pp_webrtc_peer_connection_pop_event",
                    reason=f"unknown event type {kind}")

    def events(self):
        """Drains the event queue (call after ``poll()``)."""
        while True:
            ev = self.pop_event()
            if ev is None:
                return
            yield ev

    def get_stats(self):
        """The connection's counters (``WebRTCStats``)."""
        s = C.WebRTCStats()
        check(C.pp_webrtc_peer_connection_get_stats(self.handle, byref(s)),
              "pp_webrtc_peer_connection_get_stats")
        return WebRTCStats(*(getattr(s, n) for n in C.WEBRTC_STATS_FIELDS))

    def set_conditioner(self, options):
        """Puts a network conditioner (a ``ConditionerOptions``) on this connection's UDP
        sockets (every ICE, DTLS and SCTP datagram, both ways); None removes it. Reliable
        channels stay reliable (SCTP resends); unreliable ones lose what is lost. It stays through
        ``initialize`` and ``close``, which start it afresh."""
        _cond.set_on(C.pp_webrtc_peer_connection_set_conditioner,
                     "pp_webrtc_peer_connection_set_conditioner", self.handle, options)

    def get_conditioner_stats(self):
        """What the conditioner did (``ConditionerStats``); ``Error`` ``ERR_UNCONFIGURED`` without one."""
        return _cond.stats_of(C.pp_webrtc_peer_connection_get_conditioner_stats,
                              "pp_webrtc_peer_connection_get_conditioner_stats", self.handle)


# ---- WebRTCDataChannel -----------------------------------------------------------------------

class WebRTCDataChannel(PacketPeer):
    """Godot's WebRTCDataChannel: a PacketPeer (``put_packet`` sends one message, ``get_packet``
    pops one, ``put_var`` / ``get_var`` work). Messages move in the connection's ``poll()``.
    ``put_packet`` raises ``FAILED`` unless OPEN and ``ERR_BUSY`` when the send buffer is full
    (nothing lost: poll, then retry). Made by ``WebRTCPeerConnection.create_data_channel``, a
    ``DataChannelReceived`` event or ``WebRTCMultiplayerPeer.get_peer_channel``."""

    ChannelState = ChannelState
    WriteMode = WriteMode
    STATE_CONNECTING = ChannelState.STATE_CONNECTING
    STATE_OPEN = ChannelState.STATE_OPEN
    STATE_CLOSING = ChannelState.STATE_CLOSING
    STATE_CLOSED = ChannelState.STATE_CLOSED
    WRITE_MODE_TEXT = WriteMode.WRITE_MODE_TEXT
    WRITE_MODE_BINARY = WriteMode.WRITE_MODE_BINARY
    #: What ``get_id`` / ``get_max_packet_life_time`` / ``get_max_retransmits`` read when unset.
    UNSET = 65535

    def __init__(self, handle, connection=None):
        super().__init__(handle)
        # Keeps the Python connection (whose poll moves this channel's messages) alive as long
        # as the channel; the library keeps the connection itself alive on its own.
        self._connection = connection

    @property
    def connection(self):
        """The ``WebRTCPeerConnection`` this channel came from (None when unknown)."""
        return self._connection

    def set_write_mode(self, mode):
        """``WRITE_MODE_TEXT`` or ``WRITE_MODE_BINARY`` (the default) for ``put_packet``."""
        check(C.pp_webrtc_data_channel_set_write_mode(self.handle, i32(mode, "mode")),
              "pp_webrtc_data_channel_set_write_mode")

    def get_write_mode(self):
        return WriteMode(C.pp_webrtc_data_channel_get_write_mode(self.handle))

    write_mode = property(get_write_mode, set_write_mode, doc="Godot's ``write_mode`` property.")

    def was_string_packet(self):
        """Whether the message the last ``get_packet`` / ``get_var`` returned was text."""
        return C.pp_webrtc_data_channel_was_string_packet(self.handle)

    def get_ready_state(self):
        return ChannelState(C.pp_webrtc_data_channel_get_ready_state(self.handle))

    def get_label(self):
        return _text(C.pp_webrtc_data_channel_get_label, "pp_webrtc_data_channel_get_label",
                     self.handle)

    def get_protocol(self):
        return _text(C.pp_webrtc_data_channel_get_protocol, "pp_webrtc_data_channel_get_protocol",
                     self.handle)

    def is_ordered(self):
        return C.pp_webrtc_data_channel_is_ordered(self.handle)

    def is_negotiated(self):
        return C.pp_webrtc_data_channel_is_negotiated(self.handle)

    def get_id(self):
        """The SCTP stream id; 65535 (``UNSET``) while unknown."""
        return C.pp_webrtc_data_channel_get_id(self.handle)

    def get_max_packet_life_time(self):
        """In ms; 65535 (``UNSET``) when unset."""
        return C.pp_webrtc_data_channel_get_max_packet_life_time(self.handle)

    def get_max_retransmits(self):
        """65535 (``UNSET``) when unset."""
        return C.pp_webrtc_data_channel_get_max_retransmits(self.handle)

    def get_buffered_amount(self):
        """Bytes accepted by ``put_packet`` and not yet acknowledged."""
        return C.pp_webrtc_data_channel_get_buffered_amount(self.handle)

    def get_refused_count(self):
        """Messages refused because the receive queue was over its hard limit (beyond the engine)."""
        return C.pp_webrtc_data_channel_get_refused_count(self.handle)

    def poll(self):
        """Reserved by the engine: the connection's ``poll()`` does the work."""
        check(C.pp_webrtc_data_channel_poll(self.handle), "pp_webrtc_data_channel_poll")

    def close(self):
        """Closes the channel (CLOSING, then CLOSED when the remote confirms during the
        connection's poll); messages already received stay readable. ``free()`` releases it."""
        C.pp_webrtc_data_channel_close(self.handle)


# ---- WebRTCMultiplayerPeer -------------------------------------------------------------------

WebRTCPeer = namedtuple("WebRTCPeer", "connection channels connected")
WebRTCPeer.__doc__ = (
    "What ``WebRTCMultiplayerPeer.get_peer`` returns (Godot's dictionary ``{connection, channels, "
    "connected}``): the remote's ``WebRTCPeerConnection`` (a handle of its own), its "
    "``WebRTCDataChannel`` list (0 reliable, 1 ordered, 2 unreliable, 3 + i the extra channels) "
    "and whether it is connected (every channel open, announced).")


def _channels_config(channels_config):
    items = [i32(m, "channels_config item") for m in channels_config]
    arr = (c_int32 * max(len(items), 1))(*items)
    return arr, len(items)


class WebRTCMultiplayerPeer(MultiplayerPeer):
    """Godot's WebRTCMultiplayerPeer: ``create_server()``, ``create_client(id)`` or
    ``create_mesh(id)``, then per remote: make and initialize a ``WebRTCPeerConnection``,
    ``add_peer`` it, and do its offer/answer and candidates yourself (the multiplayer peer's
    ``poll()`` polls every connection; the connection's events are still yours to drain).
    ``channels_config``: one transfer mode (``TRANSFER_MODE_*``) per extra channel; every remote
    must list the same."""

    def __init__(self):
        super().__init__(_new(C.pp_webrtc_multiplayer_peer_new, "pp_webrtc_multiplayer_peer_new"))

    def create_server(self, channels_config=()):
        """ID 1, CONNECTED at once."""
        arr, n = _channels_config(channels_config)
        check(C.pp_webrtc_multiplayer_peer_create_server(self.handle, arr, n),
              "pp_webrtc_multiplayer_peer_create_server")

    def create_client(self, peer_id, channels_config=()):
        """CONNECTING until the server (added as peer 1) is connected."""
        arr, n = _channels_config(channels_config)
        check(C.pp_webrtc_multiplayer_peer_create_client(self.handle, i32(peer_id, "peer_id"),
                                                         arr, n),
              "pp_webrtc_multiplayer_peer_create_client")

    def create_mesh(self, peer_id, channels_config=()):
        """CONNECTED at once; every remote is added directly."""
        arr, n = _channels_config(channels_config)
        check(C.pp_webrtc_multiplayer_peer_create_mesh(self.handle, i32(peer_id, "peer_id"), arr, n),
              "pp_webrtc_multiplayer_peer_create_mesh")

    def add_peer(self, peer, peer_id, unreliable_lifetime=1):
        """Adds the remote ``peer_id`` on ``peer`` (a ``WebRTCPeerConnection``, initialized and
        NEW): makes its pre-negotiated channels; create the offer (or take the remote's)
        afterwards. The multiplayer peer keeps its own reference to the connection."""
        if not isinstance(peer, WebRTCPeerConnection):
            raise TypeError(f"peer must be a WebRTCPeerConnection, not {type(peer).__name__}")
        check(C.pp_webrtc_multiplayer_peer_add_peer(self.handle, peer.handle,
                                                    i32(peer_id, "peer_id"),
                                                    i32(unreliable_lifetime, "unreliable_lifetime")),
              "pp_webrtc_multiplayer_peer_add_peer")

    def remove_peer(self, peer_id):
        """Forgets the remote and closes its connection (an unknown ID does nothing)."""
        check(C.pp_webrtc_multiplayer_peer_remove_peer(self.handle, i32(peer_id, "peer_id")),
              "pp_webrtc_multiplayer_peer_remove_peer")

    def has_peer(self, peer_id):
        return C.pp_webrtc_multiplayer_peer_has_peer(self.handle, i32(peer_id, "peer_id"))

    def get_peer_connection(self, peer_id):
        """The remote's ``WebRTCPeerConnection`` (a handle of its own) and whether it is connected."""
        out, connected = c_void_p(), c_bool()
        check(C.pp_webrtc_multiplayer_peer_get_peer(self.handle, i32(peer_id, "peer_id"),
                                                    byref(out), byref(connected)),
              "pp_webrtc_multiplayer_peer_get_peer")
        return WebRTCPeerConnection(out.value), connected.value

    def get_peer_channel(self, peer_id, index):
        """One channel of a remote (0 reliable, 1 ordered, 2 unreliable, 3 + i the extra ones), a
        ``WebRTCDataChannel`` of its own; reading from it takes packets this peer would return.
        ``Error`` ``ERR_DOES_NOT_EXIST`` for an unknown ID or index."""
        out = c_void_p()
        check(C.pp_webrtc_multiplayer_peer_get_peer_channel(self.handle, i32(peer_id, "peer_id"),
                                                            i32(index, "index"), byref(out)),
              "pp_webrtc_multiplayer_peer_get_peer_channel")
        return WebRTCDataChannel(out.value)

    def get_peer(self, peer_id):
        """Godot's ``get_peer(id)``: a ``WebRTCPeer(connection, channels, connected)``; ``Error``
        ``ERR_DOES_NOT_EXIST`` for an unknown ID."""
        connection, connected = self.get_peer_connection(peer_id)
        channels = []
        while True:
            out = c_void_p()
            r = C.pp_webrtc_multiplayer_peer_get_peer_channel(self.handle, peer_id, len(channels),
                                                              byref(out))
            if r == Err.ERR_DOES_NOT_EXIST:
                break
            check(r, "pp_webrtc_multiplayer_peer_get_peer_channel")
            channels.append(WebRTCDataChannel(out.value, connection=connection))
        return WebRTCPeer(connection, channels, connected)

    def get_peer_ids(self):
        """The IDs of the remotes, ascending."""
        n = c_size_t()
        r = C.pp_webrtc_multiplayer_peer_get_peers(self.handle, None, 0, byref(n))
        if r != Err.ERR_PARAMETER_RANGE_ERROR:  # (NULL, 0) with remotes: "too small", count set
            check(r, "pp_webrtc_multiplayer_peer_get_peers")
        arr = (c_int32 * max(n.value, 1))()
        check(C.pp_webrtc_multiplayer_peer_get_peers(self.handle, arr, len(arr), byref(n)),
              "pp_webrtc_multiplayer_peer_get_peers")
        return [arr[i] for i in range(n.value)]

    def get_peers(self):
        """Godot's ``get_peers()``: ``{id: WebRTCPeer}`` for every remote."""
        return {peer_id: self.get_peer(peer_id) for peer_id in self.get_peer_ids()}

    def set_honor_unreliable_lifetime(self, enabled):
        """Opt-in (beyond the engine): give the unreliable lanes the lifetime the engine means to
        set; off by default, as real Godot games send every lane reliably. For later ``add_peer``."""
        check(C.pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime(self.handle, bool(enabled)),
              "pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime")

    def is_honoring_unreliable_lifetime(self):
        return C.pp_webrtc_multiplayer_peer_is_honoring_unreliable_lifetime(self.handle)
