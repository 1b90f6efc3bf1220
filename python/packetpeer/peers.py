"""The peer classes: PacketPeer and StreamPeer bases, PacketPeerUDP, UDPServer, StreamPeerTCP,
TCPServer, PacketPeerStream, StreamPeerBuffer, the in-memory pipe, ENetConnection, ENetPacketPeer,
MultiplayerPeer, ENetMultiplayerPeer, OfflineMultiplayerPeer, WebSocketPeer,
WebSocketMultiplayerPeer, and the SceneMultiplayer framing helpers.

Method names are Godot's. Every failing call raises ``Error`` (Godot's code and name); a call
Godot answers with a value returns it. Handles are released by ``free()``, by leaving a ``with``
block, or by garbage collection; peers lent by an owner (the ENetPacketPeers of a connection) are
released with their owner.
"""

import ctypes
import enum
from collections import namedtuple
from ctypes import byref, c_bool, c_char_p, c_int32, c_size_t, c_void_p

from . import _capi as C
from . import conditioner as _cond
from .errors import Err, Error, check, cstr, i32
from .variant import DIALECT_GODOT4, Codec, from_python

__all__ = [
    "PacketPeer", "StreamPeer", "PacketPeerUDP", "UDPServer", "StreamPeerTCP", "TCPServer",
    "PacketPeerStream", "StreamPeerBuffer", "stream_peer_pipe", "ENetConnection", "ENetPacketPeer",
    "ENetEvent", "MultiplayerPeer", "MultiplayerEvent", "ENetMultiplayerPeer",
    "OfflineMultiplayerPeer", "WebSocketPeer", "WebSocketMultiplayerPeer", "scene_multiplayer_parse",
    "scene_multiplayer_build_raw", "SceneMultiplayerMessage",
]


def _new(fn, call):
    out = c_void_p()
    check(fn(byref(out)), call)
    return out.value


def _text(fn, call, h, *args):
    """A string from a (buf, size, *out_len) call."""
    need = c_size_t()
    size = 64
    while True:
        buf = ctypes.create_string_buffer(size)
        r = fn(h, *args, buf, size, byref(need))
        if r == Err.ERR_PARAMETER_RANGE_ERROR and need.value + 1 > size:
            size = need.value + 1
            continue
        check(r, call)
        return buf.raw[:need.value].decode("utf-8")


def _port(port, what="port"):
    return i32(port, what)


class _Handle:
    """Owns one C handle; ``free()`` / ``with`` / GC release it unless it is lent."""
    _free_fn = None

    def __init__(self, handle, owner=None):
        self._h = handle
        self._owner = owner  # keeps a lending owner alive; lent handles are not freed here

    @property
    def handle(self):
        h = self._h
        if not h:
            raise ValueError(f"this {type(self).__name__} has been freed")
        if self._owner is not None and not self._owner._h:
            raise ValueError(f"this {type(self).__name__} was freed with its owner")
        return h

    def free(self):
        h, self._h = getattr(self, "_h", None), None
        if h and self._owner is None and self._free_fn is not None:
            type(self)._free_fn(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()

    def __del__(self):
        try:
            self.free()
        except Exception:  # interpreter shutdown
            pass


def _free_peer(h):
    C.pp_peer_free(h)


def _free_stream(h):
    C.pp_stream_peer_free(h)


class PacketPeer(_Handle):
    """Godot's PacketPeer: the calls every packet peer answers."""
    _free_fn = staticmethod(_free_peer)

    def __init__(self, handle, owner=None):
        super().__init__(handle, owner)
        self._codecs = {}
        self._dialect = DIALECT_GODOT4

    def put_packet(self, data):
        data = bytes(data)
        check(C.pp_put_packet(self.handle, data, len(data)), "pp_put_packet")

    def get_packet(self):
        """The next packet (``Error`` ``ERR_UNAVAILABLE`` when none is queued)."""
        data, size = c_void_p(), c_size_t()
        check(C.pp_get_packet(self.handle, byref(data), byref(size)), "pp_get_packet")
        return ctypes.string_at(data, size.value) if size.value else b""

    def get_available_packet_count(self):
        n = c_int32()
        check(C.pp_get_available_packet_count(self.handle, byref(n)),
              "pp_get_available_packet_count")
        return n.value

    def get_packet_error(self):
        return Err(C.pp_get_packet_error(self.handle))

    def get_max_packet_size(self):
        n = c_int32()
        check(C.pp_get_max_packet_size(self.handle, byref(n)), "pp_get_max_packet_size")
        return n.value

    def set_encode_buffer_max_size(self, size):
        check(C.pp_set_encode_buffer_max_size(self.handle, i32(size, "size")),
              "pp_set_encode_buffer_max_size")

    def set_var_dialect(self, dialect):
        """Godot 4 (``DIALECT_GODOT4``) or Godot 3 (``DIALECT_GODOT3``) Variants for put/get_var."""
        check(C.pp_set_var_dialect(self.handle, i32(dialect, "dialect")), "pp_set_var_dialect")
        self._dialect = dialect

    def put_var(self, value, full_objects=False):
        """Sends ``value`` as one packet in Godot's binary Variant format."""
        v = from_python(value)
        try:
            check(C.pp_put_var(self.handle, v, full_objects), "pp_put_var")
        finally:
            C.pp_variant_free(v)

    def get_var(self, allow_objects=False):
        """The next packet decoded as a Variant (Godot's get_var: get_packet, then decode), as a
        Python value. Malformed bytes raise ``Error`` with the codec's ``offset`` and ``reason``."""
        data = self.get_packet()
        key = (self._dialect, allow_objects)
        codec = self._codecs.get(key)
        if codec is None:
            codec = self._codecs[key] = Codec(self._dialect, allow_objects=allow_objects)
        return codec.decode(data)


class StreamPeer(_Handle):
    """Godot's StreamPeer: the calls every byte stream answers."""
    _free_fn = staticmethod(_free_stream)

    def put_data(self, data):
        data = bytes(data)
        check(C.pp_stream_peer_put_data(self.handle, data, len(data)), "pp_stream_peer_put_data")

    def put_partial_data(self, data):
        """Sends what fits now; returns the number of bytes sent."""
        data, sent = bytes(data), c_size_t()
        check(C.pp_stream_peer_put_partial_data(self.handle, data, len(data), byref(sent)),
              "pp_stream_peer_put_partial_data")
        return sent.value

    def get_data(self, n):
        """Exactly ``n`` bytes, or ``Error``."""
        buf = ctypes.create_string_buffer(max(n, 1))
        check(C.pp_stream_peer_get_data(self.handle, buf, n), "pp_stream_peer_get_data")
        return buf.raw[:n]

    def get_partial_data(self, n):
        """Up to ``n`` bytes available now."""
        buf, got = ctypes.create_string_buffer(max(n, 1)), c_size_t()
        check(C.pp_stream_peer_get_partial_data(self.handle, buf, n, byref(got)),
              "pp_stream_peer_get_partial_data")
        return buf.raw[:got.value]

    def get_available_bytes(self):
        n = c_int32()
        check(C.pp_stream_peer_get_available_bytes(self.handle, byref(n)),
              "pp_stream_peer_get_available_bytes")
        return n.value

    def put_var(self, value, full_objects=False):
        """StreamPeer.put_var: a u32 length, then the Variant."""
        v = from_python(value)
        try:
            check(C.pp_stream_peer_put_var(self.handle, v, full_objects), "pp_stream_peer_put_var")
        finally:
            C.pp_variant_free(v)

    def get_var(self, allow_objects=False):
        from .variant import to_python
        out = c_void_p()
        check(C.pp_stream_peer_get_var(self.handle, allow_objects, byref(out)),
              "pp_stream_peer_get_var")
        try:
            return to_python(out.value)
        finally:
            C.pp_variant_free(out.value)


class StreamPeerBuffer(StreamPeer):
    """Godot's StreamPeerBuffer."""

    def __init__(self):
        super().__init__(_new(C.pp_stream_peer_buffer_new, "pp_stream_peer_buffer_new"))


def stream_peer_pipe():
    """Two connected in-memory StreamPeers (bytes written on one are read on the other)."""
    a, b = c_void_p(), c_void_p()
    check(C.pp_stream_peer_pipe_new(byref(a), byref(b)), "pp_stream_peer_pipe_new")
    return StreamPeer(a.value), StreamPeer(b.value)


# ---- UDP --------------------------------------------------------------------------------------

class PacketPeerUDP(PacketPeer):
    """Godot's PacketPeerUDP."""

    def __init__(self, _handle=None):
        super().__init__(_handle or _new(C.pp_packet_peer_udp_new, "pp_packet_peer_udp_new"))

    def bind(self, port, bind_address="*", recv_buf_size=65536):
        check(C.pp_packet_peer_udp_bind(self.handle, _port(port), cstr(bind_address, "bind_address"),
                                        i32(recv_buf_size, "recv_buf_size")),
              "pp_packet_peer_udp_bind")

    def close(self):
        """Godot's close(): closes the socket (the object stays usable; ``free()`` releases it)."""
        check(C.pp_packet_peer_udp_close(self.handle), "pp_packet_peer_udp_close")

    def connect_to_host(self, host, port):
        check(C.pp_packet_peer_udp_connect_to_host(self.handle, cstr(host, "host"), _port(port)),
              "pp_packet_peer_udp_connect_to_host")

    def is_socket_connected(self):
        return C.pp_packet_peer_udp_is_socket_connected(self.handle)

    def set_dest_address(self, host, port):
        check(C.pp_packet_peer_udp_set_dest_address(self.handle, cstr(host, "host"), _port(port)),
              "pp_packet_peer_udp_set_dest_address")

    def get_packet_ip(self):
        return _text(C.pp_packet_peer_udp_get_packet_ip, "pp_packet_peer_udp_get_packet_ip",
                     self.handle)

    def get_packet_port(self):
        return C.pp_packet_peer_udp_get_packet_port(self.handle)

    def get_local_port(self):
        return C.pp_packet_peer_udp_get_local_port(self.handle)

    def is_bound(self):
        return C.pp_packet_peer_udp_is_bound(self.handle)

    def get_last_error_text(self):
        """Why the last failing call failed (``"recv: Connection refused (os error 111)"``), or ``""``."""
        return _text(C.pp_packet_peer_udp_get_last_error_text,
                     "pp_packet_peer_udp_get_last_error_text", self.handle)

    def wait(self, timeout_ms=-1):
        """Waits for a packet (``timeout_ms`` < 0: no limit); ``Error`` ``ERR_TIMEOUT`` past it."""
        check(C.pp_packet_peer_udp_wait_timeout(self.handle, i32(timeout_ms, "timeout_ms")),
              "pp_packet_peer_udp_wait_timeout")

    def set_broadcast_enabled(self, enabled):
        check(C.pp_packet_peer_udp_set_broadcast_enabled(self.handle, bool(enabled)),
              "pp_packet_peer_udp_set_broadcast_enabled")

    def set_conditioner(self, options):
        """Puts a network conditioner (a ``ConditionerOptions``) between this peer and its
        socket; None removes it. Setting it again starts afresh. Held datagrams move during
        ``put_packet``, ``get_packet``, ``get_available_packet_count`` and ``wait``. ``Error``
        ``ERR_UNAVAILABLE`` on a peer handed out by a UDPServer."""
        _cond.set_on(C.pp_packet_peer_udp_set_conditioner, "pp_packet_peer_udp_set_conditioner",
                     self.handle, options)

    def get_conditioner_stats(self):
        """What the conditioner did (``ConditionerStats``); ``Error`` ``ERR_UNCONFIGURED`` without one."""
        return _cond.stats_of(C.pp_packet_peer_udp_get_conditioner_stats,
                              "pp_packet_peer_udp_get_conditioner_stats", self.handle)


class UDPServer(_Handle):
    """Godot's UDPServer."""
    _free_fn = staticmethod(lambda h: C.pp_udp_server_free(h))

    def __init__(self):
        super().__init__(_new(C.pp_udp_server_new, "pp_udp_server_new"))

    def listen(self, port, bind_address="*"):
        check(C.pp_udp_server_listen(self.handle, _port(port), cstr(bind_address, "bind_address")),
              "pp_udp_server_listen")

    def poll(self):
        check(C.pp_udp_server_poll(self.handle), "pp_udp_server_poll")

    def is_connection_available(self):
        return C.pp_udp_server_is_connection_available(self.handle)

    def take_connection(self):
        out = c_void_p()
        check(C.pp_udp_server_take_connection(self.handle, byref(out)),
              "pp_udp_server_take_connection")
        return PacketPeerUDP(out.value)

    def stop(self):
        check(C.pp_udp_server_stop(self.handle), "pp_udp_server_stop")

    def is_listening(self):
        return C.pp_udp_server_is_listening(self.handle)

    def get_local_port(self):
        return C.pp_udp_server_get_local_port(self.handle)

    def set_max_pending_connections(self, n):
        check(C.pp_udp_server_set_max_pending_connections(self.handle, i32(n, "n")),
              "pp_udp_server_set_max_pending_connections")


# ---- TCP --------------------------------------------------------------------------------------

class StreamPeerTCP(StreamPeer):
    """Godot's StreamPeerTCP."""

    class Status(enum.IntEnum):
        NONE = 0
        CONNECTING = 1
        CONNECTED = 2
        ERROR = 3

    def __init__(self, _handle=None):
        super().__init__(_handle or _new(C.pp_stream_peer_tcp_new, "pp_stream_peer_tcp_new"))

    def bind(self, port, host="*"):
        check(C.pp_stream_peer_tcp_bind(self.handle, _port(port), cstr(host, "host")),
              "pp_stream_peer_tcp_bind")

    def _check(self, code, call):
        if code:
            raise Error(code, call, reason=self.get_last_error_text() or None)

    def connect_to_host(self, host, port):
        """Starts connecting (CONNECTING until ``poll()`` says otherwise). A failure's ``Error``
        carries the reason in words (``reason``: the OS error, a timeout, a name not resolved)."""
        self._check(C.pp_stream_peer_tcp_connect_to_host(self.handle, cstr(host, "host"), _port(port)),
                    "pp_stream_peer_tcp_connect_to_host")

    def poll(self):
        self._check(C.pp_stream_peer_tcp_poll(self.handle), "pp_stream_peer_tcp_poll")

    def get_last_error_text(self):
        """Why the last connect failed (``"connect: Connection refused (os error 111)"``), or ``""``."""
        return _text(C.pp_stream_peer_tcp_get_last_error_text,
                     "pp_stream_peer_tcp_get_last_error_text", self.handle)

    def get_status(self):
        return self.Status(C.pp_stream_peer_tcp_get_status(self.handle))

    def disconnect_from_host(self):
        check(C.pp_stream_peer_tcp_disconnect_from_host(self.handle),
              "pp_stream_peer_tcp_disconnect_from_host")

    def get_connected_host(self):
        return _text(C.pp_stream_peer_tcp_get_connected_host, "pp_stream_peer_tcp_get_connected_host",
                     self.handle)

    def get_connected_port(self):
        return C.pp_stream_peer_tcp_get_connected_port(self.handle)

    def get_local_port(self):
        return C.pp_stream_peer_tcp_get_local_port(self.handle)

    def set_no_delay(self, enabled):
        check(C.pp_stream_peer_tcp_set_no_delay(self.handle, bool(enabled)),
              "pp_stream_peer_tcp_set_no_delay")

    def set_connect_timeout(self, timeout_ms):
        check(C.pp_stream_peer_tcp_set_connect_timeout(self.handle, i32(timeout_ms, "timeout_ms")),
              "pp_stream_peer_tcp_set_connect_timeout")


class TCPServer(_Handle):
    """Godot's TCPServer."""
    _free_fn = staticmethod(lambda h: C.pp_tcp_server_free(h))

    def __init__(self):
        super().__init__(_new(C.pp_tcp_server_new, "pp_tcp_server_new"))

    def listen(self, port, bind_address="*"):
        check(C.pp_tcp_server_listen(self.handle, _port(port), cstr(bind_address, "bind_address")),
              "pp_tcp_server_listen")

    def is_connection_available(self):
        return C.pp_tcp_server_is_connection_available(self.handle)

    def take_connection(self):
        out = c_void_p()
        check(C.pp_tcp_server_take_connection(self.handle, byref(out)),
              "pp_tcp_server_take_connection")
        return StreamPeerTCP(out.value)

    def stop(self):
        check(C.pp_tcp_server_stop(self.handle), "pp_tcp_server_stop")

    def is_listening(self):
        return C.pp_tcp_server_is_listening(self.handle)

    def get_local_port(self):
        return C.pp_tcp_server_get_local_port(self.handle)


class PacketPeerStream(PacketPeer):
    """Godot's PacketPeerStream: packets framed by a u32 length over any StreamPeer."""

    def __init__(self, stream_peer=None):
        super().__init__(_new(C.pp_packet_peer_stream_new, "pp_packet_peer_stream_new"))
        self._stream = None
        if stream_peer is not None:
            self.set_stream_peer(stream_peer)

    def set_stream_peer(self, stream_peer):
        check(C.pp_packet_peer_stream_set_stream_peer(self.handle, stream_peer.handle),
              "pp_packet_peer_stream_set_stream_peer")
        self._stream = stream_peer

    @property
    def stream_peer(self):
        return self._stream

    def set_input_buffer_max_size(self, size):
        check(C.pp_packet_peer_stream_set_input_buffer_max_size(self.handle, i32(size, "size")),
              "pp_packet_peer_stream_set_input_buffer_max_size")

    def set_output_buffer_max_size(self, size):
        check(C.pp_packet_peer_stream_set_output_buffer_max_size(self.handle, i32(size, "size")),
              "pp_packet_peer_stream_set_output_buffer_max_size")


# ---- ENet -------------------------------------------------------------------------------------

ENetEvent = namedtuple("ENetEvent", "type peer data channel")


class ENetPacketPeer(PacketPeer):
    """Godot's ENetPacketPeer, lent by its ENetConnection or ENetMultiplayerPeer (released with it)."""

    FLAG_RELIABLE = 1
    FLAG_UNSEQUENCED = 2
    FLAG_UNRELIABLE_FRAGMENT = 8

    class PeerState(enum.IntEnum):
        STATE_DISCONNECTED = 0
        STATE_CONNECTING = 1
        STATE_ACKNOWLEDGING_CONNECT = 2
        STATE_CONNECTION_PENDING = 3
        STATE_CONNECTION_SUCCEEDED = 4
        STATE_CONNECTED = 5
        STATE_DISCONNECT_LATER = 6
        STATE_DISCONNECTING = 7
        STATE_ACKNOWLEDGING_DISCONNECT = 8
        STATE_ZOMBIE = 9

    def send(self, channel, packet, flags=FLAG_RELIABLE):
        packet = bytes(packet)
        check(C.pp_enet_packet_peer_send(self.handle, i32(channel, "channel"), packet, len(packet),
                                         i32(flags, "flags")), "pp_enet_packet_peer_send")

    def peer_disconnect(self, data=0):
        check(C.pp_enet_packet_peer_peer_disconnect(self.handle, i32(data, "data")),
              "pp_enet_packet_peer_peer_disconnect")

    def peer_disconnect_later(self, data=0):
        check(C.pp_enet_packet_peer_peer_disconnect_later(self.handle, i32(data, "data")),
              "pp_enet_packet_peer_peer_disconnect_later")

    def peer_disconnect_now(self, data=0):
        check(C.pp_enet_packet_peer_peer_disconnect_now(self.handle, i32(data, "data")),
              "pp_enet_packet_peer_peer_disconnect_now")

    def reset(self):
        check(C.pp_enet_packet_peer_reset(self.handle), "pp_enet_packet_peer_reset")

    def ping(self):
        check(C.pp_enet_packet_peer_ping(self.handle), "pp_enet_packet_peer_ping")

    def set_timeout(self, timeout, timeout_min, timeout_max):
        """ENet's timeouts in ms (Godot's set_timeout); a connect attempt gives up after about
        ``timeout_max`` (default 30 000 ms plus retries: 31.5 s to a closed port)."""
        check(C.pp_enet_packet_peer_set_timeout(self.handle, i32(timeout, "timeout"),
                                                i32(timeout_min, "timeout_min"),
                                                i32(timeout_max, "timeout_max")),
              "pp_enet_packet_peer_set_timeout")

    def get_state(self):
        return self.PeerState(C.pp_enet_packet_peer_get_state(self.handle))

    def get_channels(self):
        return C.pp_enet_packet_peer_get_channels(self.handle)

    def get_remote_address(self):
        return _text(C.pp_enet_packet_peer_get_remote_address,
                     "pp_enet_packet_peer_get_remote_address", self.handle)

    def get_remote_port(self):
        return C.pp_enet_packet_peer_get_remote_port(self.handle)

    def is_active(self):
        return C.pp_enet_packet_peer_is_active(self.handle)

    #: ``get_connect_failure()`` values: not failed, refused (closed port), timed out.
    CONNECT_FAILURE_NONE = 0
    CONNECT_FAILURE_REFUSED = 1
    CONNECT_FAILURE_TIMED_OUT = 2

    def get_connect_failure(self):
        """Why this peer's connection attempt failed (``CONNECT_FAILURE_*``), once it disconnected."""
        return C.pp_enet_packet_peer_get_connect_failure(self.handle)

    def get_last_error_text(self):
        """Why this peer's connection failed or ended, in words, or ``""``."""
        return _text(C.pp_enet_packet_peer_get_last_error_text,
                     "pp_enet_packet_peer_get_last_error_text", self.handle)


class ENetConnection(_Handle):
    """Godot's ENetConnection (an ENet host)."""
    _free_fn = staticmethod(lambda h: C.pp_enet_connection_free(h))

    EVENT_ERROR = -1
    EVENT_NONE = 0
    EVENT_CONNECT = 1
    EVENT_DISCONNECT = 2
    EVENT_RECEIVE = 3

    def __init__(self, _handle=None):
        super().__init__(_handle or _new(C.pp_enet_connection_new, "pp_enet_connection_new"))
        self._peers = {}

    def _peer(self, h):
        if not h:
            return None
        p = self._peers.get(h)
        if p is None:
            p = self._peers[h] = ENetPacketPeer(h, owner=self)
        return p

    def create_host(self, max_peers=32, max_channels=0, in_bandwidth=0, out_bandwidth=0):
        check(C.pp_enet_connection_create_host(self.handle, i32(max_peers, "max_peers"),
                                               i32(max_channels, "max_channels"),
                                               i32(in_bandwidth, "in_bandwidth"),
                                               i32(out_bandwidth, "out_bandwidth")),
              "pp_enet_connection_create_host")

    def create_host_bound(self, bind_address, bind_port, max_peers=32, max_channels=0,
                          in_bandwidth=0, out_bandwidth=0):
        check(C.pp_enet_connection_create_host_bound(
            self.handle, cstr(bind_address, "bind_address"), _port(bind_port, "bind_port"),
            i32(max_peers, "max_peers"), i32(max_channels, "max_channels"),
            i32(in_bandwidth, "in_bandwidth"), i32(out_bandwidth, "out_bandwidth")),
            "pp_enet_connection_create_host_bound")

    def destroy(self):
        check(C.pp_enet_connection_destroy(self.handle), "pp_enet_connection_destroy")

    def connect_to_host(self, address, port, channels=0, data=0):
        """Starts connecting; returns the ENetPacketPeer (CONNECTING until a CONNECT event). A
        closed port gives a DISCONNECT event after ENet's timeout (31.5 s by default: shorten it
        with ``peer.set_timeout``)."""
        out = c_void_p()
        check(C.pp_enet_connection_connect_to_host(self.handle, cstr(address, "address"),
                                                   _port(port), i32(channels, "channels"),
                                                   i32(data, "data"), byref(out)),
              "pp_enet_connection_connect_to_host")
        return self._peer(out.value)

    def service(self, timeout=0):
        """One service step, waiting up to ``timeout`` ms: an ``ENetEvent(type, peer, data,
        channel)``; a RECEIVE's packet is read with ``event.peer.get_packet()``."""
        ev = C.EnetEvent()
        check(C.pp_enet_connection_service(self.handle, i32(timeout, "timeout"), byref(ev)),
              "pp_enet_connection_service")
        return ENetEvent(ev.type, self._peer(ev.peer), ev.data, ev.channel)

    def flush(self):
        check(C.pp_enet_connection_flush(self.handle), "pp_enet_connection_flush")

    def broadcast(self, channel, packet, flags=ENetPacketPeer.FLAG_RELIABLE):
        packet = bytes(packet)
        check(C.pp_enet_connection_broadcast(self.handle, i32(channel, "channel"), packet,
                                             len(packet), i32(flags, "flags")),
              "pp_enet_connection_broadcast")

    def compress(self, mode):
        check(C.pp_enet_connection_compress(self.handle, i32(mode, "mode")),
              "pp_enet_connection_compress")

    def refuse_new_connections(self, refuse):
        check(C.pp_enet_connection_refuse_new_connections(self.handle, bool(refuse)),
              "pp_enet_connection_refuse_new_connections")

    def get_local_port(self):
        return C.pp_enet_connection_get_local_port(self.handle)

    def get_last_error_text(self):
        """Why the last call or connection attempt failed, in words, or ``""``."""
        return _text(C.pp_enet_connection_get_last_error_text,
                     "pp_enet_connection_get_last_error_text", self.handle)

    def get_max_channels(self):
        return C.pp_enet_connection_get_max_channels(self.handle)

    def set_conditioner(self, options):
        """Puts a network conditioner (a ``ConditionerOptions``) on this host's socket, under ENet
        (ENet resends what it drops); None removes it. Held datagrams move during ``service`` and
        ``flush``. A new host (``create_host*``) starts without one; ``Error``
        ``ERR_UNCONFIGURED`` without a host."""
        _cond.set_on(C.pp_enet_connection_set_conditioner, "pp_enet_connection_set_conditioner",
                     self.handle, options)

    def get_conditioner_stats(self):
        """What the conditioner did (``ConditionerStats``); ``Error`` ``ERR_UNCONFIGURED`` without
        a host or a conditioner."""
        return _cond.stats_of(C.pp_enet_connection_get_conditioner_stats,
                              "pp_enet_connection_get_conditioner_stats", self.handle)

    def get_peers(self):
        n = c_size_t()
        check(C.pp_enet_connection_get_peers(self.handle, None, 0, byref(n)),
              "pp_enet_connection_get_peers")
        arr = (c_void_p * max(n.value, 1))()
        check(C.pp_enet_connection_get_peers(self.handle, arr, n.value, byref(n)),
              "pp_enet_connection_get_peers")
        return [self._peer(arr[i]) for i in range(n.value)]


# ---- MultiplayerPeer --------------------------------------------------------------------------

MultiplayerEvent = namedtuple("MultiplayerEvent", "kind peer_id dropped")


class MultiplayerPeer(PacketPeer):
    """Godot's MultiplayerPeer: the calls every multiplayer peer answers."""

    TARGET_PEER_BROADCAST = 0
    TARGET_PEER_SERVER = 1
    TRANSFER_MODE_UNRELIABLE = 0
    TRANSFER_MODE_UNRELIABLE_ORDERED = 1
    TRANSFER_MODE_RELIABLE = 2
    CONNECTION_DISCONNECTED = 0
    CONNECTION_CONNECTING = 1
    CONNECTION_CONNECTED = 2
    #: ``MultiplayerEvent.kind`` values (Godot's peer_connected / peer_disconnected signals).
    EVENT_PEER_CONNECTED = 0
    EVENT_PEER_DISCONNECTED = 1
    EVENT_OVERFLOW = 2
    #: A client's connection attempt got no answer within ENet's timeout; the peer is DISCONNECTED.
    EVENT_CONNECT_TIMED_OUT = 3
    #: A client's connection attempt was refused (nothing listens on that port); DISCONNECTED.
    EVENT_CONNECT_REFUSED = 4

    def _get_i32(self, fn, call):
        out = c_int32()
        check(fn(self.handle, byref(out)), call)
        return out.value

    def set_target_peer(self, peer_id):
        check(C.pp_multiplayer_peer_set_target_peer(self.handle, i32(peer_id, "peer_id")),
              "pp_multiplayer_peer_set_target_peer")

    def set_transfer_mode(self, mode):
        check(C.pp_multiplayer_peer_set_transfer_mode(self.handle, i32(mode, "mode")),
              "pp_multiplayer_peer_set_transfer_mode")

    def get_transfer_mode(self):
        return self._get_i32(C.pp_multiplayer_peer_get_transfer_mode,
                             "pp_multiplayer_peer_get_transfer_mode")

    def set_transfer_channel(self, channel):
        check(C.pp_multiplayer_peer_set_transfer_channel(self.handle, i32(channel, "channel")),
              "pp_multiplayer_peer_set_transfer_channel")

    def get_transfer_channel(self):
        return self._get_i32(C.pp_multiplayer_peer_get_transfer_channel,
                             "pp_multiplayer_peer_get_transfer_channel")

    def get_packet_peer(self):
        """The sender of the next packet."""
        return self._get_i32(C.pp_multiplayer_peer_get_packet_peer,
                             "pp_multiplayer_peer_get_packet_peer")

    def get_packet_channel(self):
        return self._get_i32(C.pp_multiplayer_peer_get_packet_channel,
                             "pp_multiplayer_peer_get_packet_channel")

    def get_packet_mode(self):
        return self._get_i32(C.pp_multiplayer_peer_get_packet_mode,
                             "pp_multiplayer_peer_get_packet_mode")

    def poll(self):
        check(C.pp_multiplayer_peer_poll(self.handle), "pp_multiplayer_peer_poll")

    def close(self):
        """Godot's close(): disconnects (the object stays usable; ``free()`` releases it)."""
        check(C.pp_multiplayer_peer_close(self.handle), "pp_multiplayer_peer_close")

    def disconnect_peer(self, peer_id, force=False):
        check(C.pp_multiplayer_peer_disconnect_peer(self.handle, i32(peer_id, "peer_id"),
                                                    bool(force)),
              "pp_multiplayer_peer_disconnect_peer")

    def get_unique_id(self):
        return self._get_i32(C.pp_multiplayer_peer_get_unique_id,
                             "pp_multiplayer_peer_get_unique_id")

    def is_server(self):
        out = c_bool()
        check(C.pp_multiplayer_peer_is_server(self.handle, byref(out)),
              "pp_multiplayer_peer_is_server")
        return out.value

    def set_refuse_new_connections(self, refuse):
        check(C.pp_multiplayer_peer_set_refuse_new_connections(self.handle, bool(refuse)),
              "pp_multiplayer_peer_set_refuse_new_connections")

    def get_connection_status(self):
        return self._get_i32(C.pp_multiplayer_peer_get_connection_status,
                             "pp_multiplayer_peer_get_connection_status")

    def pop_event(self):
        """The oldest queued event (``MultiplayerEvent(kind, peer_id, dropped)``), or None."""
        ev = C.MultiplayerEvent()
        r = C.pp_multiplayer_peer_pop_event(self.handle, byref(ev))
        if r == Err.ERR_UNAVAILABLE:
            return None
        check(r, "pp_multiplayer_peer_pop_event")
        return MultiplayerEvent(ev.kind, ev.peer_id, ev.dropped)

    def events(self):
        """Drains the event queue (call after ``poll()``)."""
        while True:
            ev = self.pop_event()
            if ev is None:
                return
            yield ev


class OfflineMultiplayerPeer(MultiplayerPeer):
    """Godot's OfflineMultiplayerPeer."""

    def __init__(self):
        super().__init__(_new(C.pp_offline_multiplayer_peer_new, "pp_offline_multiplayer_peer_new"))


class ENetMultiplayerPeer(MultiplayerPeer):
    """Godot's ENetMultiplayerPeer."""

    def __init__(self):
        super().__init__(_new(C.pp_enet_multiplayer_peer_new, "pp_enet_multiplayer_peer_new"))

    def create_server(self, port, max_clients=32, max_channels=0, in_bandwidth=0, out_bandwidth=0):
        check(C.pp_enet_multiplayer_peer_create_server(
            self.handle, _port(port), i32(max_clients, "max_clients"),
            i32(max_channels, "max_channels"), i32(in_bandwidth, "in_bandwidth"),
            i32(out_bandwidth, "out_bandwidth")), "pp_enet_multiplayer_peer_create_server")

    def create_client(self, address, port, channel_count=0, in_bandwidth=0, out_bandwidth=0,
                      local_port=0):
        """Starts connecting: CONNECTING until ``poll()`` sees the server. A server that never
        answers leaves the peer CONNECTING for ENet's timeout (31.5 s by default), then
        DISCONNECTED with an ``EVENT_CONNECT_TIMED_OUT`` event; shorten it with
        ``get_peer(1).set_timeout(32, 1000, 3000)`` (about 3.5 s) right after this call."""
        check(C.pp_enet_multiplayer_peer_create_client(
            self.handle, cstr(address, "address"), _port(port), i32(channel_count, "channel_count"),
            i32(in_bandwidth, "in_bandwidth"), i32(out_bandwidth, "out_bandwidth"),
            _port(local_port, "local_port")), "pp_enet_multiplayer_peer_create_client")

    def create_mesh(self, unique_id):
        check(C.pp_enet_multiplayer_peer_create_mesh(self.handle, i32(unique_id, "unique_id")),
              "pp_enet_multiplayer_peer_create_mesh")

    def set_bind_ip(self, ip):
        check(C.pp_enet_multiplayer_peer_set_bind_ip(self.handle, cstr(ip, "ip")),
              "pp_enet_multiplayer_peer_set_bind_ip")

    def get_host(self):
        """The ENetConnection under a server or client (a new handle sharing it)."""
        out = c_void_p()
        check(C.pp_enet_multiplayer_peer_get_host(self.handle, byref(out)),
              "pp_enet_multiplayer_peer_get_host")
        return ENetConnection(out.value)

    def get_local_port(self):
        with self.get_host() as host:
            return host.get_local_port()

    def get_last_error_text(self):
        """Why the last ``create_*`` or this client's connection attempt failed, or ``""``."""
        return _text(C.pp_enet_multiplayer_peer_get_last_error_text,
                     "pp_enet_multiplayer_peer_get_last_error_text", self.handle)

    def get_peer(self, peer_id):
        """The ENetPacketPeer of ``peer_id`` (lent by this multiplayer peer)."""
        out = c_void_p()
        check(C.pp_enet_multiplayer_peer_get_peer(self.handle, i32(peer_id, "peer_id"), byref(out)),
              "pp_enet_multiplayer_peer_get_peer")
        return ENetPacketPeer(out.value, owner=self)


# ---- WebSocket --------------------------------------------------------------------------------

class WebSocketPeer(PacketPeer):
    """Godot's WebSocketPeer (ws:// and wss://)."""

    WRITE_MODE_TEXT = 0
    WRITE_MODE_BINARY = 1

    class State(enum.IntEnum):
        STATE_CONNECTING = 0
        STATE_OPEN = 1
        STATE_CLOSING = 2
        STATE_CLOSED = 3

    def __init__(self):
        super().__init__(_new(C.pp_websocket_peer_new, "pp_websocket_peer_new"))
        self._stream = None

    def connect_to_url(self, url, tls_client_options=None):
        """Starts connecting; ``tls_client_options`` (a ``TLSOptions``) for wss:// (None: the
        library's default client options)."""
        check(C.pp_websocket_peer_connect_to_url(
            self.handle, cstr(url, "url"), tls_client_options.handle if tls_client_options else None),
            "pp_websocket_peer_connect_to_url")
        self._tls = tls_client_options

    def get_last_error_text(self):
        """Why the connection failed or ended, in words (``""`` when it did not)."""
        return _text(C.pp_websocket_peer_get_last_error_text, "pp_websocket_peer_get_last_error_text",
                     self.handle)

    def accept_stream(self, stream):
        check(C.pp_websocket_peer_accept_stream(self.handle, stream.handle),
              "pp_websocket_peer_accept_stream")
        self._stream = stream

    def poll(self):
        check(C.pp_websocket_peer_poll(self.handle), "pp_websocket_peer_poll")

    def send(self, message, write_mode=WRITE_MODE_BINARY):
        message = bytes(message)
        check(C.pp_websocket_peer_send(self.handle, message, len(message),
                                       i32(write_mode, "write_mode")), "pp_websocket_peer_send")

    def send_text(self, text):
        check(C.pp_websocket_peer_send_text(self.handle, cstr(text, "text")),
              "pp_websocket_peer_send_text")

    def was_string_packet(self):
        return C.pp_websocket_peer_was_string_packet(self.handle)

    def close(self, code=1000, reason=""):
        """Godot's close(code, reason): starts the closing handshake."""
        check(C.pp_websocket_peer_close(self.handle, i32(code, "code"), cstr(reason, "reason")),
              "pp_websocket_peer_close")

    def get_close_code(self):
        out = c_int32()
        check(C.pp_websocket_peer_get_close_code(self.handle, byref(out)),
              "pp_websocket_peer_get_close_code")
        return out.value

    def get_close_reason(self):
        return _text(C.pp_websocket_peer_get_close_reason, "pp_websocket_peer_get_close_reason",
                     self.handle)

    def get_requested_url(self):
        return _text(C.pp_websocket_peer_get_requested_url, "pp_websocket_peer_get_requested_url",
                     self.handle)

    def get_selected_protocol(self):
        return _text(C.pp_websocket_peer_get_selected_protocol,
                     "pp_websocket_peer_get_selected_protocol", self.handle)

    def get_connected_host(self):
        return _text(C.pp_websocket_peer_get_connected_host, "pp_websocket_peer_get_connected_host",
                     self.handle)

    def get_connected_port(self):
        return C.pp_websocket_peer_get_connected_port(self.handle)

    def get_ready_state(self):
        return self.State(C.pp_websocket_peer_get_ready_state(self.handle))

    def set_no_delay(self, enabled):
        check(C.pp_websocket_peer_set_no_delay(self.handle, bool(enabled)),
              "pp_websocket_peer_set_no_delay")

    def set_supported_protocols(self, protocols):
        items = [cstr(p, "protocol") for p in protocols]
        arr = (c_char_p * max(len(items), 1))(*items)
        check(C.pp_websocket_peer_set_supported_protocols(self.handle, arr, len(items)),
              "pp_websocket_peer_set_supported_protocols")

    def set_handshake_timeout(self, seconds):
        check(C.pp_websocket_peer_set_handshake_timeout(self.handle, float(seconds)),
              "pp_websocket_peer_set_handshake_timeout")


class WebSocketMultiplayerPeer(MultiplayerPeer):
    """Godot's WebSocketMultiplayerPeer."""

    def __init__(self):
        super().__init__(_new(C.pp_websocket_multiplayer_peer_new,
                              "pp_websocket_multiplayer_peer_new"))

    def create_server(self, port, bind_address="*", tls_server_options=None):
        """A ws server, or wss with ``tls_server_options`` (a ``TLSOptions.server``)."""
        check(C.pp_websocket_multiplayer_peer_create_server(
            self.handle, _port(port), cstr(bind_address, "bind_address"),
            tls_server_options.handle if tls_server_options else None),
            "pp_websocket_multiplayer_peer_create_server")
        self._tls = tls_server_options

    def create_client(self, url, tls_client_options=None):
        check(C.pp_websocket_multiplayer_peer_create_client(
            self.handle, cstr(url, "url"), tls_client_options.handle if tls_client_options else None),
            "pp_websocket_multiplayer_peer_create_client")
        self._tls = tls_client_options

    def get_last_error_text(self):
        """Why the client connection failed or ended, in words."""
        return _text(C.pp_websocket_multiplayer_peer_get_last_error_text,
                     "pp_websocket_multiplayer_peer_get_last_error_text", self.handle)

    def get_local_port(self):
        return C.pp_websocket_multiplayer_peer_get_local_port(self.handle)


# ---- SceneMultiplayer framing -----------------------------------------------------------------

SceneMultiplayerMessage = namedtuple("SceneMultiplayerMessage",
                                     "command sys_command peer_id flags payload")

#: ``SceneMultiplayerMessage.command`` of ``multiplayer.send_bytes`` packets.
SCENE_MULTIPLAYER_COMMAND_RAW = 3


def scene_multiplayer_parse(packet):
    """Parses a SceneMultiplayer packet (what a game using ``multiplayer`` sends through its
    MultiplayerPeer): for ``multiplayer.send_bytes(b)``, command RAW and payload ``b``."""
    packet = bytes(packet)
    msg = C.SceneMultiplayerMessage()
    check(C.pp_scene_multiplayer_parse(packet, len(packet), byref(msg)),
          "pp_scene_multiplayer_parse")
    payload = packet[msg.payload_offset:msg.payload_offset + msg.payload_len]
    return SceneMultiplayerMessage(msg.command, msg.sys_command, msg.peer_id, msg.flags, payload)


def scene_multiplayer_build_raw(payload):
    """The packet ``multiplayer.send_bytes(payload)`` sends: what a game's
    ``peer_packet(id, payload)`` signal receives from it."""
    payload = bytes(payload)
    buf = ctypes.create_string_buffer(len(payload) + 16)
    n = c_size_t()
    check(C.pp_scene_multiplayer_build_raw(payload, len(payload), buf, len(buf), byref(n)),
          "pp_scene_multiplayer_build_raw")
    return buf.raw[:n.value]
