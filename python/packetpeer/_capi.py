"""The C ABI of libpacketpeer: where the library is found, and every ctypes signature the package
uses, declared once here and nowhere else.

Lookup order: the ``PACKETPEER_LIBRARY`` environment variable (a path to ``libpacketpeer.so``),
then the copy bundled in this package by ``pip install`` (``packetpeer/libpacketpeer.so``), then a
system copy found by ``ctypes.util.find_library("packetpeer")`` (e.g. after ``cmake --install`` and
``ldconfig``).

Conventions of the declarations: every opaque handle (``pp_peer *``, ``pp_variant *`` ...) is a
``c_void_p``; ``pp_error`` and the C enums are ``c_int32``; input buffers are ``c_char_p`` (bytes) with
an explicit length; every pointer the library allocates and this package frees (``char **`` from
``pp_variant_to_string``, ``uint8_t **`` buffers) is received as ``c_void_p`` so that it can be handed
back to its ``_free`` call unchanged. ctypes does not range-check integer arguments (``2**70``
passed as ``c_int64`` silently becomes 0), so every caller in this package checks ranges before
calling (``_check_int`` in ``packetpeer.errors``).
"""

import ctypes
import ctypes.util
import os
import sys
from ctypes import (CFUNCTYPE, POINTER, Structure, c_bool, c_char_p, c_double, c_float, c_int32,
                    c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p)

#: The ABI this package is written against: libpacketpeer 0.1.x (the SONAME's version).
ABI_VERSION = (0, 1)

H = c_void_p  # any opaque handle
E = c_int32  # pp_error
I32 = c_int32
SZ = c_size_t
PSZ = POINTER(c_size_t)
PH = POINTER(c_void_p)  # out-param receiving a handle or a library-allocated pointer
PI32 = POINTER(c_int32)
PBOOL = POINTER(c_bool)
PD = POINTER(c_double)
BUF = c_char_p  # input bytes (with an explicit length) or NUL-terminated UTF-8


class EnetEvent(Structure):
    """``pp_enet_event``."""
    _fields_ = [("type", c_int32), ("peer", c_void_p), ("data", c_int32), ("channel", c_int32)]


class MultiplayerEvent(Structure):
    """``pp_multiplayer_event``."""
    _fields_ = [("kind", c_int32), ("peer_id", c_int32), ("dropped", c_uint32)]


class SceneMultiplayerMessage(Structure):
    """``pp_scene_multiplayer_message``."""
    _fields_ = [("command", c_int32), ("sys_command", c_int32), ("peer_id", c_int32),
                ("flags", c_uint8), ("payload_offset", c_size_t), ("payload_len", c_size_t)]


class ConditionerDirection(Structure):
    """``pp_conditioner_direction``."""
    _fields_ = [("loss", c_double), ("duplicate", c_double), ("reorder", c_double),
                ("delay_ms", c_uint32), ("jitter_ms", c_uint32), ("bandwidth", c_uint64)]


class ConditionerOptions(Structure):
    """``pp_conditioner_options`` (fill with ``pp_conditioner_options_init``)."""
    _fields_ = [("size", c_size_t), ("seed", c_uint64), ("outgoing", ConditionerDirection),
                ("incoming", ConditionerDirection), ("max_queued", c_uint32)]


#: ``pp_conditioner_direction_stats``'s fields, in order (all ``uint64_t``).
CONDITIONER_DIRECTION_STATS_FIELDS = ("offered", "bytes_offered", "released", "dropped_loss",
                                      "dropped_overflow", "duplicated", "reordered", "send_failed",
                                      "queued")


class ConditionerDirectionStats(Structure):
    """``pp_conditioner_direction_stats``."""
    _fields_ = [(name, c_uint64) for name in CONDITIONER_DIRECTION_STATS_FIELDS]


class ConditionerStats(Structure):
    """``pp_conditioner_stats``."""
    _fields_ = [("outgoing", ConditionerDirectionStats), ("incoming", ConditionerDirectionStats)]


class WebRTCEvent(Structure):
    """``pp_webrtc_event`` (strings received as ``c_void_p``: ``pp_webrtc_event_clear`` frees them)."""
    _fields_ = [("type", c_int32), ("state", c_int32), ("index", c_int32), ("text", c_void_p),
                ("text2", c_void_p), ("channel", c_void_p)]


#: ``pp_webrtc_stats``'s fields, in order (all ``uint64_t``).
WEBRTC_STATS_FIELDS = ("garbage_datagrams", "input_errors", "send_dropped", "events_refused",
                       "messages_refused", "read_throttled", "candidates_ignored")


class WebRTCStats(Structure):
    """``pp_webrtc_stats``."""
    _fields_ = [(name, c_uint64) for name in WEBRTC_STATS_FIELDS]


# Callback tables of the WebRTC extension classes (the ctypes thunks must outlive every call).
CB_I32 = CFUNCTYPE(c_int32, c_void_p)
CB_VOID = CFUNCTYPE(None, c_void_p)
CB_BOOL = CFUNCTYPE(c_bool, c_void_p)
CB_STR = CFUNCTYPE(c_void_p, c_void_p)  # returns a const char * the callee keeps alive


class WebRTCDataChannelExtensionCallbacks(Structure):
    """``pp_webrtc_data_channel_extension_callbacks``."""
    _fields_ = [("size", c_size_t), ("userdata", c_void_p),
                ("get_packet", CFUNCTYPE(c_int32, c_void_p, POINTER(c_void_p), POINTER(c_int32))),
                ("put_packet", CFUNCTYPE(c_int32, c_void_p, c_void_p, c_int32)),
                ("get_available_packet_count", CB_I32), ("get_max_packet_size", CB_I32),
                ("poll", CB_I32), ("close", CB_VOID),
                ("set_write_mode", CFUNCTYPE(None, c_void_p, c_int32)), ("get_write_mode", CB_I32),
                ("was_string_packet", CB_BOOL), ("get_ready_state", CB_I32), ("get_label", CB_STR),
                ("is_ordered", CB_BOOL), ("get_id", CB_I32), ("get_max_packet_life_time", CB_I32),
                ("get_max_retransmits", CB_I32), ("get_protocol", CB_STR), ("is_negotiated", CB_BOOL),
                ("get_buffered_amount", CB_I32), ("destroy", CB_VOID)]


class WebRTCPeerConnectionExtensionCallbacks(Structure):
    """``pp_webrtc_peer_connection_extension_callbacks``."""
    _fields_ = [("size", c_size_t), ("userdata", c_void_p),
                ("initialize", CFUNCTYPE(c_int32, c_void_p, c_void_p)),
                ("create_data_channel", CFUNCTYPE(c_int32, c_void_p, c_char_p, c_void_p,
                                                  POINTER(c_void_p))),
                ("create_offer", CB_I32),
                ("set_remote_description", CFUNCTYPE(c_int32, c_void_p, c_char_p, c_char_p)),
                ("set_local_description", CFUNCTYPE(c_int32, c_void_p, c_char_p, c_char_p)),
                ("add_ice_candidate", CFUNCTYPE(c_int32, c_void_p, c_char_p, c_int32, c_char_p)),
                ("poll", CB_I32), ("close", CB_VOID), ("get_connection_state", CB_I32),
                ("get_gathering_state", CB_I32), ("get_signaling_state", CB_I32),
                ("destroy", CB_VOID)]


_TEXT_OUT = [c_void_p, SZ, PSZ]  # (char *buf, size_t size, size_t *out_len)

# name: (restype, argtypes)
SIGNATURES = {
    # core
    "pp_version_number": (c_uint32, []),
    "pp_version_string": (c_char_p, []),
    "pp_error_name": (c_char_p, [c_int32]),
    "pp_string_free": (None, [c_void_p]),
    "pp_bytes_free": (None, [c_void_p, SZ]),
    # Variant
    "pp_variant_free": (None, [H]),
    "pp_variant_get_type": (c_int32, [H]),
    "pp_variant_type_name": (c_char_p, [c_int32]),
    "pp_variant_equal": (c_bool, [H, H]),
    "pp_variant_to_string": (E, [H, SZ, PH]),
    "pp_variant_to_pickle": (E, [H, c_char_p, PH, PSZ]),
    "pp_variant_new_nil": (E, [PH]),
    "pp_variant_new_bool": (E, [c_bool, PH]),
    "pp_variant_new_int": (E, [c_int64, PH]),
    "pp_variant_new_float": (E, [c_double, PH]),
    "pp_variant_new_string_n": (E, [BUF, SZ, PH]),
    "pp_variant_new_string_name_n": (E, [BUF, SZ, PH]),
    "pp_variant_new_node_path": (E, [BUF, PH]),
    "pp_variant_new_rid": (E, [c_uint64, PH]),
    "pp_variant_new_object_id": (E, [c_uint64, PH]),
    "pp_variant_new_object_full": (E, [BUF, PH]),
    "pp_variant_object_set_property": (E, [H, BUF, H]),
    "pp_variant_new_callable": (E, [PH]),
    "pp_variant_new_signal": (E, [BUF, c_uint64, PH]),
    "pp_variant_new_vector2": (E, [c_double, c_double, PH]),
    "pp_variant_new_vector2i": (E, [I32, I32, PH]),
    "pp_variant_new_rect2": (E, [c_double] * 4 + [PH]),
    "pp_variant_new_rect2i": (E, [I32] * 4 + [PH]),
    "pp_variant_new_vector3": (E, [c_double] * 3 + [PH]),
    "pp_variant_new_vector3i": (E, [I32] * 3 + [PH]),
    "pp_variant_new_vector4": (E, [c_double] * 4 + [PH]),
    "pp_variant_new_vector4i": (E, [I32] * 4 + [PH]),
    "pp_variant_new_plane": (E, [c_double] * 4 + [PH]),
    "pp_variant_new_quaternion": (E, [c_double] * 4 + [PH]),
    "pp_variant_new_aabb": (E, [c_double] * 6 + [PH]),
    "pp_variant_new_color": (E, [c_float] * 4 + [PH]),
    "pp_variant_new_transform2d": (E, [PD, PH]),
    "pp_variant_new_basis": (E, [PD, PH]),
    "pp_variant_new_transform3d": (E, [PD, PH]),
    "pp_variant_new_projection": (E, [PD, PH]),
    "pp_variant_new_array": (E, [PH]),
    "pp_variant_array_append": (E, [H, H]),
    "pp_variant_new_dictionary": (E, [PH]),
    "pp_variant_dictionary_set": (E, [H, H, H]),
    "pp_variant_new_packed_byte_array": (E, [BUF, SZ, PH]),
    "pp_variant_new_packed_int32_array": (E, [c_void_p, SZ, PH]),
    "pp_variant_new_packed_int64_array": (E, [c_void_p, SZ, PH]),
    "pp_variant_new_packed_float32_array": (E, [c_void_p, SZ, PH]),
    "pp_variant_new_packed_float64_array": (E, [c_void_p, SZ, PH]),
    "pp_variant_new_packed_string_array": (E, [POINTER(c_char_p), SZ, PH]),
    "pp_variant_new_packed_vector2_array": (E, [c_void_p, SZ, PH]),
    "pp_variant_new_packed_vector3_array": (E, [c_void_p, SZ, PH]),
    "pp_variant_new_packed_color_array": (E, [c_void_p, SZ, PH]),
    "pp_variant_new_packed_vector4_array": (E, [c_void_p, SZ, PH]),
    "pp_var_to_bytes": (E, [H, c_bool, PH, PSZ]),
    "pp_bytes_to_var": (E, [BUF, SZ, c_bool, PH]),
    # codec
    "pp_codec_new": (E, [PH]),
    "pp_codec_free": (None, [H]),
    "pp_codec_set_dialect": (E, [H, I32]),
    "pp_codec_set_real_is_double": (E, [H, c_bool]),
    "pp_codec_set_full_objects": (E, [H, c_bool]),
    "pp_codec_set_allow_objects": (E, [H, c_bool]),
    "pp_codec_set_godot3_lossy": (E, [H, c_bool]),
    "pp_codec_set_max_depth": (E, [H, c_uint32]),
    "pp_codec_set_max_elements": (E, [H, SZ]),
    "pp_codec_set_max_bytes": (E, [H, SZ]),
    "pp_codec_encode": (E, [H, H, PH, PSZ]),
    "pp_codec_decode": (E, [H, BUF, SZ, PH, PSZ]),
    "pp_codec_get_last_error": (E, [H, PI32, PSZ, POINTER(c_char_p)]),
    # PacketPeer (any pp_peer)
    "pp_put_packet": (E, [H, BUF, SZ]),
    "pp_get_packet": (E, [H, PH, PSZ]),
    "pp_put_var": (E, [H, H, c_bool]),
    "pp_get_var": (E, [H, c_bool, PH]),
    "pp_get_available_packet_count": (E, [H, PI32]),
    "pp_get_max_packet_size": (E, [H, PI32]),
    "pp_get_packet_error": (E, [H]),
    "pp_set_encode_buffer_max_size": (E, [H, I32]),
    "pp_set_var_dialect": (E, [H, I32]),
    "pp_peer_free": (None, [H]),
    # StreamPeer (any pp_stream_peer)
    "pp_stream_peer_put_data": (E, [H, BUF, SZ]),
    "pp_stream_peer_put_partial_data": (E, [H, BUF, SZ, PSZ]),
    "pp_stream_peer_get_data": (E, [H, c_void_p, SZ]),
    "pp_stream_peer_get_partial_data": (E, [H, c_void_p, SZ, PSZ]),
    "pp_stream_peer_get_available_bytes": (E, [H, PI32]),
    "pp_stream_peer_put_var": (E, [H, H, c_bool]),
    "pp_stream_peer_get_var": (E, [H, c_bool, PH]),
    "pp_stream_peer_free": (None, [H]),
    "pp_stream_peer_buffer_new": (E, [PH]),
    "pp_stream_peer_pipe_new": (E, [PH, PH]),
    # PacketPeerStream
    "pp_packet_peer_stream_new": (E, [PH]),
    "pp_packet_peer_stream_set_stream_peer": (E, [H, H]),
    "pp_packet_peer_stream_set_input_buffer_max_size": (E, [H, I32]),
    "pp_packet_peer_stream_set_output_buffer_max_size": (E, [H, I32]),
    # PacketPeerUDP, UDPServer
    "pp_packet_peer_udp_new": (E, [PH]),
    "pp_packet_peer_udp_bind": (E, [H, I32, BUF, I32]),
    "pp_packet_peer_udp_close": (E, [H]),
    "pp_packet_peer_udp_connect_to_host": (E, [H, BUF, I32]),
    "pp_packet_peer_udp_is_socket_connected": (c_bool, [H]),
    "pp_packet_peer_udp_set_dest_address": (E, [H, BUF, I32]),
    "pp_packet_peer_udp_get_packet_ip": (E, [H] + _TEXT_OUT),
    "pp_packet_peer_udp_get_packet_port": (I32, [H]),
    "pp_packet_peer_udp_get_local_port": (I32, [H]),
    "pp_packet_peer_udp_is_bound": (c_bool, [H]),
    "pp_packet_peer_udp_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_packet_peer_udp_wait_timeout": (E, [H, I32]),
    "pp_packet_peer_udp_set_broadcast_enabled": (E, [H, c_bool]),
    "pp_udp_server_new": (E, [PH]),
    "pp_udp_server_free": (None, [H]),
    "pp_udp_server_listen": (E, [H, I32, BUF]),
    "pp_udp_server_poll": (E, [H]),
    "pp_udp_server_is_connection_available": (c_bool, [H]),
    "pp_udp_server_take_connection": (E, [H, PH]),
    "pp_udp_server_stop": (E, [H]),
    "pp_udp_server_is_listening": (c_bool, [H]),
    "pp_udp_server_get_local_port": (I32, [H]),
    "pp_udp_server_set_max_pending_connections": (E, [H, I32]),
    # StreamPeerTCP, TCPServer
    "pp_stream_peer_tcp_new": (E, [PH]),
    "pp_stream_peer_tcp_bind": (E, [H, I32, BUF]),
    "pp_stream_peer_tcp_connect_to_host": (E, [H, BUF, I32]),
    "pp_stream_peer_tcp_poll": (E, [H]),
    "pp_stream_peer_tcp_get_status": (I32, [H]),
    "pp_stream_peer_tcp_disconnect_from_host": (E, [H]),
    "pp_stream_peer_tcp_get_connected_host": (E, [H] + _TEXT_OUT),
    "pp_stream_peer_tcp_get_connected_port": (I32, [H]),
    "pp_stream_peer_tcp_get_local_port": (I32, [H]),
    "pp_stream_peer_tcp_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_stream_peer_tcp_set_no_delay": (E, [H, c_bool]),
    "pp_stream_peer_tcp_set_connect_timeout": (E, [H, I32]),
    "pp_stream_peer_tcp_wait": (E, [H, I32, I32]),
    "pp_tcp_server_new": (E, [PH]),
    "pp_tcp_server_listen": (E, [H, I32, BUF]),
    "pp_tcp_server_is_connection_available": (c_bool, [H]),
    "pp_tcp_server_take_connection": (E, [H, PH]),
    "pp_tcp_server_stop": (E, [H]),
    "pp_tcp_server_is_listening": (c_bool, [H]),
    "pp_tcp_server_get_local_port": (I32, [H]),
    "pp_tcp_server_free": (None, [H]),
    # ENetConnection, ENetPacketPeer
    "pp_enet_connection_new": (E, [PH]),
    "pp_enet_connection_free": (None, [H]),
    "pp_enet_connection_create_host": (E, [H, I32, I32, I32, I32]),
    "pp_enet_connection_create_host_bound": (E, [H, BUF, I32, I32, I32, I32, I32]),
    "pp_enet_connection_destroy": (E, [H]),
    "pp_enet_connection_connect_to_host": (E, [H, BUF, I32, I32, I32, PH]),
    "pp_enet_connection_service": (E, [H, I32, POINTER(EnetEvent)]),
    "pp_enet_connection_flush": (E, [H]),
    "pp_enet_connection_broadcast": (E, [H, I32, BUF, SZ, I32]),
    "pp_enet_connection_compress": (E, [H, I32]),
    "pp_enet_connection_refuse_new_connections": (E, [H, c_bool]),
    "pp_enet_connection_get_local_port": (I32, [H]),
    "pp_enet_connection_get_max_channels": (I32, [H]),
    "pp_enet_connection_get_peers": (E, [H, PH, SZ, PSZ]),
    "pp_enet_packet_peer_send": (E, [H, I32, BUF, SZ, I32]),
    "pp_enet_packet_peer_peer_disconnect": (E, [H, I32]),
    "pp_enet_packet_peer_peer_disconnect_later": (E, [H, I32]),
    "pp_enet_packet_peer_peer_disconnect_now": (E, [H, I32]),
    "pp_enet_packet_peer_reset": (E, [H]),
    "pp_enet_packet_peer_ping": (E, [H]),
    "pp_enet_packet_peer_set_timeout": (E, [H, I32, I32, I32]),
    "pp_enet_packet_peer_get_state": (I32, [H]),
    "pp_enet_packet_peer_get_channels": (I32, [H]),
    "pp_enet_packet_peer_get_remote_address": (E, [H] + _TEXT_OUT),
    "pp_enet_packet_peer_get_remote_port": (I32, [H]),
    "pp_enet_packet_peer_is_active": (c_bool, [H]),
    "pp_enet_packet_peer_get_connect_failure": (I32, [H]),
    "pp_enet_packet_peer_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_enet_connection_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_enet_multiplayer_peer_get_last_error_text": (E, [H] + _TEXT_OUT),
    # MultiplayerPeer and its classes
    "pp_multiplayer_peer_set_target_peer": (E, [H, I32]),
    "pp_multiplayer_peer_set_transfer_mode": (E, [H, I32]),
    "pp_multiplayer_peer_get_transfer_mode": (E, [H, PI32]),
    "pp_multiplayer_peer_set_transfer_channel": (E, [H, I32]),
    "pp_multiplayer_peer_get_transfer_channel": (E, [H, PI32]),
    "pp_multiplayer_peer_get_packet_peer": (E, [H, PI32]),
    "pp_multiplayer_peer_get_packet_channel": (E, [H, PI32]),
    "pp_multiplayer_peer_get_packet_mode": (E, [H, PI32]),
    "pp_multiplayer_peer_poll": (E, [H]),
    "pp_multiplayer_peer_close": (E, [H]),
    "pp_multiplayer_peer_disconnect_peer": (E, [H, I32, c_bool]),
    "pp_multiplayer_peer_get_unique_id": (E, [H, PI32]),
    "pp_multiplayer_peer_is_server": (E, [H, PBOOL]),
    "pp_multiplayer_peer_set_refuse_new_connections": (E, [H, c_bool]),
    "pp_multiplayer_peer_get_connection_status": (E, [H, PI32]),
    "pp_multiplayer_peer_pop_event": (E, [H, POINTER(MultiplayerEvent)]),
    "pp_offline_multiplayer_peer_new": (E, [PH]),
    "pp_enet_multiplayer_peer_new": (E, [PH]),
    "pp_enet_multiplayer_peer_create_server": (E, [H, I32, I32, I32, I32, I32]),
    "pp_enet_multiplayer_peer_create_client": (E, [H, BUF, I32, I32, I32, I32, I32]),
    "pp_enet_multiplayer_peer_create_mesh": (E, [H, I32]),
    "pp_enet_multiplayer_peer_set_bind_ip": (E, [H, BUF]),
    "pp_enet_multiplayer_peer_get_host": (E, [H, PH]),
    "pp_enet_multiplayer_peer_get_peer": (E, [H, I32, PH]),
    # WebSocketPeer, WebSocketMultiplayerPeer
    "pp_websocket_peer_new": (E, [PH]),
    "pp_websocket_peer_connect_to_url": (E, [H, BUF, H]),
    "pp_websocket_peer_accept_stream": (E, [H, H]),
    "pp_websocket_peer_poll": (E, [H]),
    "pp_websocket_peer_send": (E, [H, BUF, SZ, I32]),
    "pp_websocket_peer_send_text": (E, [H, BUF]),
    "pp_websocket_peer_was_string_packet": (c_bool, [H]),
    "pp_websocket_peer_close": (E, [H, I32, BUF]),
    "pp_websocket_peer_get_close_code": (E, [H, PI32]),
    "pp_websocket_peer_get_close_reason": (E, [H] + _TEXT_OUT),
    "pp_websocket_peer_get_requested_url": (E, [H] + _TEXT_OUT),
    "pp_websocket_peer_get_selected_protocol": (E, [H] + _TEXT_OUT),
    "pp_websocket_peer_get_connected_host": (E, [H] + _TEXT_OUT),
    "pp_websocket_peer_get_ready_state": (I32, [H]),
    "pp_websocket_peer_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_websocket_peer_get_connected_port": (I32, [H]),
    "pp_websocket_peer_set_no_delay": (E, [H, c_bool]),
    "pp_websocket_peer_set_supported_protocols": (E, [H, POINTER(c_char_p), SZ]),
    "pp_websocket_peer_set_handshake_timeout": (E, [H, c_double]),
    "pp_websocket_multiplayer_peer_new": (E, [PH]),
    "pp_websocket_multiplayer_peer_create_server": (E, [H, I32, BUF, H]),
    "pp_websocket_multiplayer_peer_create_client": (E, [H, BUF, H]),
    "pp_websocket_multiplayer_peer_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_websocket_multiplayer_peer_get_local_port": (I32, [H]),
    # TLS / DTLS
    "pp_tls_get_last_error_text": (E, _TEXT_OUT),
    "pp_crypto_generate_rsa": (E, [I32, PH]),
    "pp_crypto_generate_self_signed_certificate": (E, [H, BUF, BUF, BUF, PH]),
    "pp_crypto_key_load_pem": (E, [BUF, SZ, c_bool, PH]),
    "pp_crypto_key_save_pem": (E, [H, c_bool] + _TEXT_OUT),
    "pp_crypto_key_is_public_only": (c_bool, [H]),
    "pp_crypto_key_free": (None, [H]),
    "pp_x509_certificate_load_pem": (E, [BUF, SZ, PH]),
    "pp_x509_certificate_save_pem": (E, [H] + _TEXT_OUT),
    "pp_x509_certificate_get_sha256": (E, [H, c_void_p]),
    "pp_x509_certificate_free": (None, [H]),
    "pp_tls_options_client": (E, [H, BUF, PH]),
    "pp_tls_options_client_unsafe": (E, [H, PH]),
    "pp_tls_options_server": (E, [H, H, PH]),
    "pp_tls_options_free": (None, [H]),
    "pp_stream_peer_tls_new": (E, [PH]),
    "pp_stream_peer_tls_connect_to_stream": (E, [H, H, BUF, H]),
    "pp_stream_peer_tls_accept_stream": (E, [H, H, H]),
    "pp_stream_peer_tls_poll": (E, [H]),
    "pp_stream_peer_tls_get_status": (I32, [H]),
    "pp_stream_peer_tls_disconnect_from_stream": (E, [H]),
    "pp_stream_peer_tls_set_handshake_timeout": (E, [H, I32]),
    "pp_stream_peer_tls_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_packet_peer_dtls_new": (E, [PH]),
    "pp_packet_peer_dtls_connect_to_peer": (E, [H, H, BUF, H]),
    "pp_packet_peer_dtls_poll": (E, [H]),
    "pp_packet_peer_dtls_get_status": (I32, [H]),
    "pp_packet_peer_dtls_disconnect_from_peer": (E, [H]),
    "pp_packet_peer_dtls_get_last_error_text": (E, [H] + _TEXT_OUT),
    "pp_dtls_server_new": (E, [PH]),
    "pp_dtls_server_free": (None, [H]),
    "pp_dtls_server_setup": (E, [H, H]),
    "pp_dtls_server_take_connection": (E, [H, H, PH]),
    "pp_dtls_server_get_last_error_text": (E, [H] + _TEXT_OUT),
    # Network conditioner
    "pp_conditioner_options_init": (E, [POINTER(ConditionerOptions)]),
    "pp_packet_peer_udp_set_conditioner": (E, [H, POINTER(ConditionerOptions)]),
    "pp_packet_peer_udp_get_conditioner_stats": (E, [H, POINTER(ConditionerStats)]),
    "pp_enet_connection_set_conditioner": (E, [H, POINTER(ConditionerOptions)]),
    "pp_enet_connection_get_conditioner_stats": (E, [H, POINTER(ConditionerStats)]),
    "pp_packet_peer_dtls_set_conditioner": (E, [H, POINTER(ConditionerOptions)]),
    "pp_packet_peer_dtls_get_conditioner_stats": (E, [H, POINTER(ConditionerStats)]),
    "pp_dtls_server_set_conditioner": (E, [H, POINTER(ConditionerOptions)]),
    "pp_webrtc_peer_connection_set_conditioner": (E, [H, POINTER(ConditionerOptions)]),
    "pp_webrtc_peer_connection_get_conditioner_stats": (E, [H, POINTER(ConditionerStats)]),
    # WebRTCPeerConnection
    "pp_webrtc_peer_connection_new": (E, [PH]),
    "pp_webrtc_peer_connection_free": (None, [H]),
    "pp_webrtc_peer_connection_initialize": (E, [H, H]),
    "pp_webrtc_peer_connection_set_turn_tls_options": (E, [H, H]),
    "pp_webrtc_peer_connection_create_data_channel": (E, [H, BUF, H, PH]),
    "pp_webrtc_peer_connection_create_offer": (E, [H]),
    "pp_webrtc_peer_connection_set_remote_description": (E, [H, BUF, BUF]),
    "pp_webrtc_peer_connection_set_local_description": (E, [H, BUF, BUF]),
    "pp_webrtc_peer_connection_add_ice_candidate": (E, [H, BUF, I32, BUF]),
    "pp_webrtc_peer_connection_poll": (E, [H]),
    "pp_webrtc_peer_connection_close": (None, [H]),
    "pp_webrtc_peer_connection_get_connection_state": (I32, [H]),
    "pp_webrtc_peer_connection_get_gathering_state": (I32, [H]),
    "pp_webrtc_peer_connection_get_signaling_state": (I32, [H]),
    "pp_webrtc_peer_connection_pop_event": (E, [H, POINTER(WebRTCEvent)]),
    "pp_webrtc_event_clear": (None, [POINTER(WebRTCEvent)]),
    "pp_webrtc_peer_connection_get_last_error": (E, [H] + _TEXT_OUT),
    "pp_webrtc_peer_connection_get_stats": (E, [H, POINTER(WebRTCStats)]),
    # WebRTCDataChannel (a pp_peer)
    "pp_webrtc_data_channel_set_write_mode": (E, [H, I32]),
    "pp_webrtc_data_channel_get_write_mode": (I32, [H]),
    "pp_webrtc_data_channel_was_string_packet": (c_bool, [H]),
    "pp_webrtc_data_channel_get_ready_state": (I32, [H]),
    "pp_webrtc_data_channel_get_label": (E, [H] + _TEXT_OUT),
    "pp_webrtc_data_channel_get_protocol": (E, [H] + _TEXT_OUT),
    "pp_webrtc_data_channel_is_ordered": (c_bool, [H]),
    "pp_webrtc_data_channel_is_negotiated": (c_bool, [H]),
    "pp_webrtc_data_channel_get_id": (I32, [H]),
    "pp_webrtc_data_channel_get_max_packet_life_time": (I32, [H]),
    "pp_webrtc_data_channel_get_max_retransmits": (I32, [H]),
    "pp_webrtc_data_channel_get_buffered_amount": (I32, [H]),
    "pp_webrtc_data_channel_get_refused_count": (c_uint64, [H]),
    "pp_webrtc_data_channel_poll": (E, [H]),
    "pp_webrtc_data_channel_close": (None, [H]),
    "pp_webrtc_data_channel_extension_new": (E, [POINTER(WebRTCDataChannelExtensionCallbacks), PH]),
    "pp_webrtc_peer_connection_extension_new": (E, [POINTER(WebRTCPeerConnectionExtensionCallbacks),
                                                    PH]),
    "pp_webrtc_peer_connection_extension_emit_session_description_created": (E, [H, BUF, BUF]),
    "pp_webrtc_peer_connection_extension_emit_ice_candidate_created": (E, [H, BUF, I32, BUF]),
    "pp_webrtc_peer_connection_extension_emit_data_channel_received": (E, [H, H]),
    # WebRTCMultiplayerPeer (a pp_peer)
    "pp_webrtc_multiplayer_peer_new": (E, [PH]),
    "pp_webrtc_multiplayer_peer_create_server": (E, [H, PI32, SZ]),
    "pp_webrtc_multiplayer_peer_create_client": (E, [H, I32, PI32, SZ]),
    "pp_webrtc_multiplayer_peer_create_mesh": (E, [H, I32, PI32, SZ]),
    "pp_webrtc_multiplayer_peer_add_peer": (E, [H, H, I32, I32]),
    "pp_webrtc_multiplayer_peer_remove_peer": (E, [H, I32]),
    "pp_webrtc_multiplayer_peer_has_peer": (c_bool, [H, I32]),
    "pp_webrtc_multiplayer_peer_get_peer": (E, [H, I32, PH, PBOOL]),
    "pp_webrtc_multiplayer_peer_get_peer_channel": (E, [H, I32, I32, PH]),
    "pp_webrtc_multiplayer_peer_get_peers": (E, [H, PI32, SZ, PSZ]),
    "pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime": (E, [H, c_bool]),
    "pp_webrtc_multiplayer_peer_is_honoring_unreliable_lifetime": (c_bool, [H]),
    # SceneMultiplayer framing (no handle)
    "pp_scene_multiplayer_parse": (E, [BUF, SZ, POINTER(SceneMultiplayerMessage)]),
    "pp_scene_multiplayer_build_raw": (E, [BUF, SZ, c_void_p, SZ, PSZ]),
    "pp_scene_multiplayer_build_relay": (E, [I32, BUF, SZ, c_void_p, SZ, PSZ]),
}

_SUFFIX = {"darwin": ".dylib", "win32": ".dll"}.get(sys.platform, ".so")


def _candidates():
    env = os.environ.get("PACKETPEER_LIBRARY")
    if env:
        return [("PACKETPEER_LIBRARY", env)]
    found = []
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libpacketpeer" + _SUFFIX)
    if os.path.exists(bundled):
        found.append(("bundled", bundled))
    system = ctypes.util.find_library("packetpeer")
    if system:
        found.append(("system", system))
    return found


def _load():
    tried = []
    for origin, path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{origin} {path}: {e}")
            continue
        return origin, path, lib
    raise ImportError(
        "packetpeer: libpacketpeer not found ("
        + ("; ".join(tried) or "no bundled copy, ctypes.util.find_library('packetpeer') found none")
        + "). Install the package with pip (it builds and bundles the library), install the C "
        "library system-wide (cmake --install, then ldconfig), or set PACKETPEER_LIBRARY to the "
        "path of libpacketpeer.so.")


LIBRARY_ORIGIN, LIBRARY_PATH, lib = _load()

_number = lib.pp_version_number
_number.restype, _number.argtypes = c_uint32, []
_v = _number()
if (_v // 10000, _v // 100 % 100) != ABI_VERSION:
    raise ImportError(f"packetpeer: {LIBRARY_PATH} is libpacketpeer {_v // 10000}.{_v // 100 % 100}, "
                      f"this package needs {ABI_VERSION[0]}.{ABI_VERSION[1]}.x")

_missing = []
for _name, (_res, _args) in SIGNATURES.items():
    try:
        _f = getattr(lib, _name)
    except AttributeError:
        _missing.append(_name)
        continue
    _f.restype = _res
    _f.argtypes = _args
    globals()[_name] = _f
if _missing:
    raise ImportError(f"packetpeer: {LIBRARY_PATH} lacks {', '.join(_missing[:5])}"
                      f"{' ...' if len(_missing) > 5 else ''}: an older libpacketpeer; "
                      "install a matching one or let pip bundle it")
