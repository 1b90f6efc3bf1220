"""WebRTCPeerConnectionExtension and WebRTCDataChannelExtension: a WebRTC connection or data channel
written in Python, usable wherever the library takes one (``WebRTCMultiplayerPeer.add_peer``, the
PacketPeer calls, ``pop_event``).

Subclass and override Godot's virtual methods (``_poll``, ``_get_packet``, ...); every one a class
needs is listed in its docstring. The library calls them on the thread that made the call, from
inside that call (``pp_webrtc_peer_connection_extension_new`` /
``pp_webrtc_data_channel_extension_new`` tables of ctypes callbacks). A method that acts returns
None (``OK``), or raises ``Error`` (its code goes back to the library; any other exception gives
``FAILED``); a getter's exception gives the C default (0, false, ""). The last exception a callback
raised is kept in ``last_callback_error``. Inside a callback, calls that reach the object being
called are refused with ``ERR_LOCKED`` (the header's re-entry rule), except the ``emit_*`` calls.

Lifetime: the library holds the Python object (and calls it) for as long as any handle to it lives
(yours, a WebRTCMultiplayerPeer's, a channel event's), and lets go when the last one is freed
(its ``destroy`` callback). Release yours with ``free()`` or a ``with`` block: garbage collection
alone cannot, since the library still references the object.
"""

import ctypes
import itertools
from ctypes import byref, c_void_p

from . import _capi as C
from .errors import Err, Error, check, cstr, i32
from .peers import PacketPeer
from .variant import to_python
from .webrtc import WebRTCDataChannel, WebRTCPeerConnection

__all__ = ["WebRTCPeerConnectionExtension", "WebRTCDataChannelExtension"]

_I32, _VOID, _BOOL, _STR = C.CB_I32, C.CB_VOID, C.CB_BOOL, C.CB_STR
_DataChannelCallbacks = C.WebRTCDataChannelExtensionCallbacks
_ConnectionCallbacks = C.WebRTCPeerConnectionExtensionCallbacks
_fn = {name: getattr(C, name) for name in (
    "pp_webrtc_data_channel_extension_new", "pp_webrtc_peer_connection_extension_new",
    "pp_webrtc_peer_connection_extension_emit_session_description_created",
    "pp_webrtc_peer_connection_extension_emit_ice_candidate_created",
    "pp_webrtc_peer_connection_extension_emit_data_channel_received")}

# token -> (the Python object, its callbacks): alive until the library's destroy callback. What
# destroy lets go waits in _GRAVE a while: a ctypes thunk must not be freed while it runs (destroy
# itself, or a destroy nested in it when the object's last references go).
_LIVE = {}
_GRAVE = []
_TOKENS = itertools.count(1)


def _code(impl, fn, *args):
    """Runs a callback that acts: its pp_error number."""
    try:
        r = fn(*args)
        return 0 if r is None else int(r)
    except Error as e:
        impl.last_callback_error = e
        return int(e.code)
    except BaseException as e:  # noqa: BLE001 - nothing may cross back into C
        impl.last_callback_error = e
        return int(Err.FAILED)


def _value(impl, default, fn, *args):
    """Runs a getter callback: its value, or ``default`` if it raised."""
    try:
        return fn(*args)
    except BaseException as e:  # noqa: BLE001
        impl.last_callback_error = e
        return default


def _text(impl, name, fn):
    """Runs a getter returning text: the address of a NUL-terminated copy kept on ``impl``."""
    try:
        data = cstr(fn() or "", name)
    except BaseException as e:  # noqa: BLE001
        impl.last_callback_error = e
        data = b""
    buf = ctypes.create_string_buffer(data)
    impl._cb_strings[name] = buf
    return ctypes.addressof(buf)


def _destroy(token):
    entry = _LIVE.pop(token, None)
    if entry is not None:
        _GRAVE.append(entry)


def _register(obj, table, ctor, call):
    if len(_GRAVE) > 64:
        del _GRAVE[:32]  # long returned from their destroy callbacks
    token = next(_TOKENS)
    table.size = ctypes.sizeof(table)
    table.userdata = token
    table.destroy = type(table.destroy)(lambda u: _destroy(token))
    out = c_void_p()
    _LIVE[token] = (obj, table)
    r = ctor(byref(table), byref(out))
    if r:
        _LIVE.pop(token, None)  # destroy never runs when the constructor fails
        raise Error(r, call)
    obj._token = token
    return out.value


def _take_handle(channel):
    """The handle of a channel object, which passes to the library (the object lets it go)."""
    if not isinstance(channel, PacketPeer):
        raise TypeError(f"_create_data_channel must return a PacketPeer, not {type(channel).__name__}")
    if channel._owner is not None:
        raise TypeError("_create_data_channel must return a peer it owns, not a lent one")
    h = channel.handle
    channel._h = None
    return h


class WebRTCDataChannelExtension(WebRTCDataChannel):
    """Godot's WebRTCDataChannelExtension: a data channel whose PacketPeer and data channel calls
    are your methods. Override ``_get_packet() -> bytes`` (raise ``Error(Err.ERR_UNAVAILABLE)``
    when empty), ``_put_packet(data)``, ``_get_available_packet_count()``,
    ``_get_max_packet_size()``, ``_poll()``, ``_close()``, ``_set_write_mode(mode)``,
    ``_get_write_mode()``, ``_was_string_packet()``, ``_get_ready_state()``, ``_get_label()``,
    ``_is_ordered()``, ``_get_id()``, ``_get_max_packet_life_time()``, ``_get_max_retransmits()``,
    ``_get_protocol()``, ``_is_negotiated()``, ``_get_buffered_amount()``. The calls of
    ``WebRTCDataChannel`` (``get_packet``, ``get_label`` ...) reach them through the library."""

    def __init__(self):
        self.last_callback_error = None
        self._cb_strings = {}
        self._cb_packet = ctypes.create_string_buffer(1)
        t = _DataChannelCallbacks()
        t.get_packet = type(t.get_packet)(self._cb_get_packet)
        t.put_packet = type(t.put_packet)(
            lambda u, buf, n: _code(self, self._put_packet, ctypes.string_at(buf, n) if n else b""))
        t.get_available_packet_count = _I32(lambda u: _value(self, 0, self._get_available_packet_count))
        t.get_max_packet_size = _I32(lambda u: _value(self, 0, self._get_max_packet_size))
        t.poll = _I32(lambda u: _code(self, self._poll))
        t.close = _VOID(lambda u: _value(self, None, self._close))
        t.set_write_mode = type(t.set_write_mode)(lambda u, m: _value(self, None, self._set_write_mode, m))
        t.get_write_mode = _I32(lambda u: _value(self, 1, self._get_write_mode))
        t.was_string_packet = _BOOL(lambda u: _value(self, False, self._was_string_packet))
        t.get_ready_state = _I32(lambda u: _value(self, 3, self._get_ready_state))
        t.get_label = _STR(lambda u: _text(self, "label", self._get_label))
        t.is_ordered = _BOOL(lambda u: _value(self, False, self._is_ordered))
        t.get_id = _I32(lambda u: _value(self, 65535, self._get_id))
        t.get_max_packet_life_time = _I32(lambda u: _value(self, 65535, self._get_max_packet_life_time))
        t.get_max_retransmits = _I32(lambda u: _value(self, 65535, self._get_max_retransmits))
        t.get_protocol = _STR(lambda u: _text(self, "protocol", self._get_protocol))
        t.is_negotiated = _BOOL(lambda u: _value(self, False, self._is_negotiated))
        t.get_buffered_amount = _I32(lambda u: _value(self, 0, self._get_buffered_amount))
        super().__init__(_register(self, t, _fn["pp_webrtc_data_channel_extension_new"],
                                   "pp_webrtc_data_channel_extension_new"))

    def _cb_get_packet(self, u, out_buf, out_len):
        try:
            data = bytes(self._get_packet())
        except Error as e:
            if e.code != Err.ERR_UNAVAILABLE:
                self.last_callback_error = e
            return int(e.code)
        except BaseException as e:  # noqa: BLE001
            self.last_callback_error = e
            return int(Err.FAILED)
        if len(data) > 0x7fffffff:
            return int(Err.ERR_OUT_OF_MEMORY)
        self._cb_packet = ctypes.create_string_buffer(data, max(len(data), 1))  # until the next call
        out_buf[0] = ctypes.addressof(self._cb_packet)
        out_len[0] = len(data)
        return 0

    def _get_packet(self):
        raise NotImplementedError("_get_packet")

    def _put_packet(self, data):
        raise NotImplementedError("_put_packet")

    def _get_available_packet_count(self):
        raise NotImplementedError("_get_available_packet_count")

    def _get_max_packet_size(self):
        raise NotImplementedError("_get_max_packet_size")

    def _poll(self):
        raise NotImplementedError("_poll")

    def _close(self):
        raise NotImplementedError("_close")

    def _set_write_mode(self, mode):
        raise NotImplementedError("_set_write_mode")

    def _get_write_mode(self):
        raise NotImplementedError("_get_write_mode")

    def _was_string_packet(self):
        raise NotImplementedError("_was_string_packet")

    def _get_ready_state(self):
        raise NotImplementedError("_get_ready_state")

    def _get_label(self):
        raise NotImplementedError("_get_label")

    def _is_ordered(self):
        raise NotImplementedError("_is_ordered")

    def _get_id(self):
        raise NotImplementedError("_get_id")

    def _get_max_packet_life_time(self):
        raise NotImplementedError("_get_max_packet_life_time")

    def _get_max_retransmits(self):
        raise NotImplementedError("_get_max_retransmits")

    def _get_protocol(self):
        raise NotImplementedError("_get_protocol")

    def _is_negotiated(self):
        raise NotImplementedError("_is_negotiated")

    def _get_buffered_amount(self):
        raise NotImplementedError("_get_buffered_amount")


def _s(b):
    return b.decode("utf-8") if b is not None else ""


class WebRTCPeerConnectionExtension(WebRTCPeerConnection):
    """Godot's WebRTCPeerConnectionExtension: a connection whose calls are your methods. Override
    ``_initialize(configuration: dict)``, ``_create_data_channel(label, options: dict)`` (returns
    a new channel object, e.g. a ``WebRTCDataChannelExtension`` or another connection's
    ``create_data_channel``; its handle passes to the library and the object lets it go),
    ``_create_offer()``, ``_set_remote_description(type, sdp)``,
    ``_set_local_description(type, sdp)``, ``_add_ice_candidate(media, index, name)``, ``_poll()``,
    ``_close()``, ``_get_connection_state()``, ``_get_gathering_state()``,
    ``_get_signaling_state()``; send its signals with the ``emit_*`` methods (from a callback or
    any time): ``pop_event`` / ``events()`` deliver them. ``WebRTCMultiplayerPeer.add_peer`` takes
    it (then its ``_create_data_channel``, ``_poll``, state getters and ``_close`` are called from
    the multiplayer peer)."""

    def __init__(self):
        self.last_callback_error = None
        self._cb_strings = {}
        t = _ConnectionCallbacks()
        t.initialize = type(t.initialize)(
            lambda u, cfg: _code(self, self._initialize, to_python(cfg) if cfg else {}))
        t.create_data_channel = type(t.create_data_channel)(self._cb_create_data_channel)
        t.create_offer = _I32(lambda u: _code(self, self._create_offer))
        t.set_remote_description = type(t.set_remote_description)(
            lambda u, ty, sdp: _code(self, self._set_remote_description, _s(ty), _s(sdp)))
        t.set_local_description = type(t.set_local_description)(
            lambda u, ty, sdp: _code(self, self._set_local_description, _s(ty), _s(sdp)))
        t.add_ice_candidate = type(t.add_ice_candidate)(
            lambda u, m, i, n: _code(self, self._add_ice_candidate, _s(m), i, _s(n)))
        t.poll = _I32(lambda u: _code(self, self._poll))
        t.close = _VOID(lambda u: _value(self, None, self._close))
        t.get_connection_state = _I32(lambda u: _value(self, 5, self._get_connection_state))
        t.get_gathering_state = _I32(lambda u: _value(self, 0, self._get_gathering_state))
        t.get_signaling_state = _I32(lambda u: _value(self, 5, self._get_signaling_state))
        super().__init__(_register(self, t, _fn["pp_webrtc_peer_connection_extension_new"],
                                   "pp_webrtc_peer_connection_extension_new"))

    def _cb_create_data_channel(self, u, label, options, out_channel):
        def make():
            channel = self._create_data_channel(_s(label), to_python(options) if options else {})
            out_channel[0] = _take_handle(channel)
        return _code(self, make)

    def emit_session_description_created(self, type, sdp):
        check(_fn["pp_webrtc_peer_connection_extension_emit_session_description_created"](
            self.handle, cstr(type, "type"), cstr(sdp, "sdp")),
            "pp_webrtc_peer_connection_extension_emit_session_description_created")

    def emit_ice_candidate_created(self, media, index, name):
        check(_fn["pp_webrtc_peer_connection_extension_emit_ice_candidate_created"](
            self.handle, cstr(media, "media"), i32(index, "index"), cstr(name, "name")),
            "pp_webrtc_peer_connection_extension_emit_ice_candidate_created")

    def emit_data_channel_received(self, channel):
        """Queues ``data_channel_received``; ``channel`` stays yours (the event gets a handle of
        its own to the same object)."""
        check(_fn["pp_webrtc_peer_connection_extension_emit_data_channel_received"](
            self.handle, channel.handle),
            "pp_webrtc_peer_connection_extension_emit_data_channel_received")

    def _initialize(self, configuration):
        raise NotImplementedError("_initialize")

    def _create_data_channel(self, label, options):
        raise NotImplementedError("_create_data_channel")

    def _create_offer(self):
        raise NotImplementedError("_create_offer")

    def _set_remote_description(self, type, sdp):
        raise NotImplementedError("_set_remote_description")

    def _set_local_description(self, type, sdp):
        raise NotImplementedError("_set_local_description")

    def _add_ice_candidate(self, media, index, name):
        raise NotImplementedError("_add_ice_candidate")

    def _poll(self):
        raise NotImplementedError("_poll")

    def _close(self):
        raise NotImplementedError("_close")

    def _get_connection_state(self):
        raise NotImplementedError("_get_connection_state")

    def _get_gathering_state(self):
        raise NotImplementedError("_get_gathering_state")

    def _get_signaling_state(self):
        raise NotImplementedError("_get_signaling_state")
