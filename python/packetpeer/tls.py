"""TLS and DTLS: CryptoKey, X509Certificate, TLSOptions, StreamPeerTLS, PacketPeerDTLS, DTLSServer.

Godot's names and methods. A failed handshake raises or reports with the reason in words
(``get_last_error_text()``: OpenSSL's reason, the certificate verdict); a failed load or constructor
puts ``pp_tls_get_last_error_text`` in the ``Error``'s ``reason``.
"""

import ctypes
import enum
from ctypes import byref, c_size_t, c_void_p

from . import _capi as C
from . import conditioner as _cond
from .errors import Error, cstr, i32
from .peers import PacketPeer, StreamPeer, _Handle, _text

__all__ = ["CryptoKey", "X509Certificate", "TLSOptions", "TLSStatus", "StreamPeerTLS",
           "PacketPeerDTLS", "DTLSServer"]


def _tls_check(code, call):
    """Raises ``Error`` with the library's TLS reason (``pp_tls_get_last_error_text``)."""
    if code:
        raise Error(code, call, reason=_last_tls_text() or None)


def _last_tls_text():
    need = c_size_t()
    buf = ctypes.create_string_buffer(512)
    if C.pp_tls_get_last_error_text(buf, len(buf), byref(need)) == 0:
        return buf.value.decode("utf-8", "replace")
    return ""


def _new(fn, call, *args):
    out = c_void_p()
    _tls_check(fn(*args, byref(out)), call)
    return out.value


class TLSStatus(enum.IntEnum):
    """``StreamPeerTLS.Status`` / ``PacketPeerDTLS.Status``."""
    STATUS_DISCONNECTED = 0
    STATUS_HANDSHAKING = 1
    STATUS_CONNECTED = 2
    STATUS_ERROR = 3
    STATUS_ERROR_HOSTNAME_MISMATCH = 4


class CryptoKey(_Handle):
    """Godot's CryptoKey (an RSA or EC key, private or public only)."""
    _free_fn = staticmethod(lambda h: C.pp_crypto_key_free(h))

    @classmethod
    def generate_rsa(cls, bits=2048):
        """Crypto.generate_rsa(bits)."""
        return cls(_new(C.pp_crypto_generate_rsa, "pp_crypto_generate_rsa", i32(bits, "bits")))

    @classmethod
    def load_pem(cls, pem, public_only=False):
        pem = pem.encode() if isinstance(pem, str) else bytes(pem)
        return cls(_new(C.pp_crypto_key_load_pem, "pp_crypto_key_load_pem", pem, len(pem),
                        bool(public_only)))

    def save_pem(self, public_only=False):
        return _text(lambda h, buf, size, n: C.pp_crypto_key_save_pem(h, bool(public_only), buf,
                                                                       size, n),
                     "pp_crypto_key_save_pem", self.handle)

    def is_public_only(self):
        return C.pp_crypto_key_is_public_only(self.handle)


class X509Certificate(_Handle):
    """Godot's X509Certificate (a chain of one or more certificates)."""
    _free_fn = staticmethod(lambda h: C.pp_x509_certificate_free(h))

    @classmethod
    def load_pem(cls, pem):
        pem = pem.encode() if isinstance(pem, str) else bytes(pem)
        return cls(_new(C.pp_x509_certificate_load_pem, "pp_x509_certificate_load_pem", pem,
                        len(pem)))

    @classmethod
    def generate_self_signed(cls, key, issuer_name="CN=localhost", not_before="20140101000000",
                             not_after="20340101000000"):
        """Crypto.generate_self_signed_certificate(key, issuer_name, not_before, not_after)."""
        return cls(_new(C.pp_crypto_generate_self_signed_certificate,
                        "pp_crypto_generate_self_signed_certificate", key.handle,
                        cstr(issuer_name, "issuer_name"), cstr(not_before, "not_before"),
                        cstr(not_after, "not_after")))

    def save_pem(self):
        return _text(C.pp_x509_certificate_save_pem, "pp_x509_certificate_save_pem", self.handle)

    def get_sha256(self):
        """The first certificate's SHA-256 fingerprint (32 bytes)."""
        out = (ctypes.c_uint8 * 32)()
        _tls_check(C.pp_x509_certificate_get_sha256(self.handle, out), "pp_x509_certificate_get_sha256")
        return bytes(out)


class TLSOptions(_Handle):
    """Godot's TLSOptions: ``client(...)``, ``client_unsafe(...)`` or ``server(key, certificate)``."""
    _free_fn = staticmethod(lambda h: C.pp_tls_options_free(h))

    @classmethod
    def client(cls, trusted_chain=None, common_name_override=None):
        cn = cstr(common_name_override, "common_name_override") if common_name_override else None
        return cls(_new(C.pp_tls_options_client, "pp_tls_options_client",
                        trusted_chain.handle if trusted_chain else None, cn))

    @classmethod
    def client_unsafe(cls, trusted_chain=None):
        """No certificate or name check: tests and development only."""
        return cls(_new(C.pp_tls_options_client_unsafe, "pp_tls_options_client_unsafe",
                        trusted_chain.handle if trusted_chain else None))

    @classmethod
    def server(cls, key, certificate):
        return cls(_new(C.pp_tls_options_server, "pp_tls_options_server", key.handle,
                        certificate.handle))


class StreamPeerTLS(StreamPeer):
    """Godot's StreamPeerTLS over any StreamPeer (a StreamPeerTCP, the pipe, ...)."""

    Status = TLSStatus

    def __init__(self):
        out = c_void_p()
        _tls_check(C.pp_stream_peer_tls_new(byref(out)), "pp_stream_peer_tls_new")
        super().__init__(out.value)
        self._keep = None

    def _check(self, code, call):
        if code:
            raise Error(code, call, reason=self.get_last_error_text() or _last_tls_text() or None)

    def connect_to_stream(self, stream, common_name, client_options=None):
        self._check(C.pp_stream_peer_tls_connect_to_stream(
            self.handle, stream.handle, cstr(common_name, "common_name"),
            client_options.handle if client_options else None), "pp_stream_peer_tls_connect_to_stream")
        self._keep = (stream, client_options)

    def accept_stream(self, stream, server_options):
        self._check(C.pp_stream_peer_tls_accept_stream(self.handle, stream.handle,
                                                       server_options.handle),
                    "pp_stream_peer_tls_accept_stream")
        self._keep = (stream, server_options)

    def poll(self):
        self._check(C.pp_stream_peer_tls_poll(self.handle), "pp_stream_peer_tls_poll")

    def get_status(self):
        return TLSStatus(C.pp_stream_peer_tls_get_status(self.handle))

    def disconnect_from_stream(self):
        self._check(C.pp_stream_peer_tls_disconnect_from_stream(self.handle),
                    "pp_stream_peer_tls_disconnect_from_stream")

    def set_handshake_timeout(self, ms):
        self._check(C.pp_stream_peer_tls_set_handshake_timeout(self.handle, i32(ms, "ms")),
                    "pp_stream_peer_tls_set_handshake_timeout")

    def get_last_error_text(self):
        """Why the handshake or session failed (OpenSSL's reason, the certificate verdict)."""
        return _text(C.pp_stream_peer_tls_get_last_error_text,
                     "pp_stream_peer_tls_get_last_error_text", self.handle)


class PacketPeerDTLS(PacketPeer):
    """Godot's PacketPeerDTLS over a connected PacketPeerUDP."""

    Status = TLSStatus

    def __init__(self, _handle=None):
        if _handle is None:
            out = c_void_p()
            _tls_check(C.pp_packet_peer_dtls_new(byref(out)), "pp_packet_peer_dtls_new")
            _handle = out.value
        super().__init__(_handle)

    def _check(self, code, call):
        if code:
            raise Error(code, call, reason=self.get_last_error_text() or None)

    def connect_to_peer(self, packet_peer, hostname, client_options=None):
        self._check(C.pp_packet_peer_dtls_connect_to_peer(
            self.handle, packet_peer.handle, cstr(hostname, "hostname"),
            client_options.handle if client_options else None), "pp_packet_peer_dtls_connect_to_peer")

    def poll(self):
        self._check(C.pp_packet_peer_dtls_poll(self.handle), "pp_packet_peer_dtls_poll")

    def get_status(self):
        return TLSStatus(C.pp_packet_peer_dtls_get_status(self.handle))

    def disconnect_from_peer(self):
        self._check(C.pp_packet_peer_dtls_disconnect_from_peer(self.handle),
                    "pp_packet_peer_dtls_disconnect_from_peer")

    def get_last_error_text(self):
        return _text(C.pp_packet_peer_dtls_get_last_error_text,
                     "pp_packet_peer_dtls_get_last_error_text", self.handle)

    def set_conditioner(self, options):
        """Puts a network conditioner (a ``ConditionerOptions``) between this session and its UDP
        peer, for the session under way and every later one; None removes it. DTLS resends lost
        handshake datagrams; lost records stay lost."""
        _cond.set_on(C.pp_packet_peer_dtls_set_conditioner, "pp_packet_peer_dtls_set_conditioner",
                     self.handle, options)

    def get_conditioner_stats(self):
        """What the conditioner did in the current (or last) session (``ConditionerStats``);
        ``Error`` ``ERR_UNCONFIGURED`` without one."""
        return _cond.stats_of(C.pp_packet_peer_dtls_get_conditioner_stats,
                              "pp_packet_peer_dtls_get_conditioner_stats", self.handle)


class DTLSServer(_Handle):
    """Godot's DTLSServer: ``setup(options)``, then ``take_connection(udp_peer)`` for each
    PacketPeerUDP a UDPServer hands out."""
    _free_fn = staticmethod(lambda h: C.pp_dtls_server_free(h))

    def __init__(self):
        out = c_void_p()
        _tls_check(C.pp_dtls_server_new(byref(out)), "pp_dtls_server_new")
        super().__init__(out.value)

    def setup(self, server_options):
        _tls_check(C.pp_dtls_server_setup(self.handle, server_options.handle), "pp_dtls_server_setup")
        self._options = server_options

    def take_connection(self, udp_peer):
        out = c_void_p()
        _tls_check(C.pp_dtls_server_take_connection(self.handle, udp_peer.handle, byref(out)),
                   "pp_dtls_server_take_connection")
        return PacketPeerDTLS(out.value)

    def get_last_error_text(self):
        return _text(C.pp_dtls_server_get_last_error_text, "pp_dtls_server_get_last_error_text",
                     self.handle)

    def set_conditioner(self, options):
        """Gives every PacketPeerDTLS ``take_connection`` hands out from now on a network
        conditioner with these options (a ``ConditionerOptions``), the n-th (from 0) seeded
        ``seed + n``; None stops (peers handed out keep theirs). Each peer's counters:
        ``PacketPeerDTLS.get_conditioner_stats``."""
        _cond.set_on(C.pp_dtls_server_set_conditioner, "pp_dtls_server_set_conditioner",
                     self.handle, options)
