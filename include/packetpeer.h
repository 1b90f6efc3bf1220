/*
 * packetpeer: the Redot/Godot 4 PacketPeer family and binary Variant format, as a C library.
 *
 * CONVENTIONS
 * - Every call returns pp_error (Godot's Error numbers; PP_OK is 0), except the _free calls (void),
 *   pp_version_string / pp_version_number / pp_error_name, and the infallible getters, which return a
 *   value and give 0 / false (a status: its NONE) for NULL or a handle of another class; each says so.
 * - Handles are opaque. The library allocates; only the matching _free call releases (pp_peer_free for
 *   every PacketPeer class, pp_stream_peer_free for every StreamPeer class). _free(NULL) is a no-op.
 * - Lent handles: the ENet peers a pp_enet_connection (or an ENetMultiplayerPeer) reports are pp_peer
 *   handles it owns: valid until its owner is freed, ignored by pp_peer_free.
 * - Every handle carries a type tag, checked on entry and overwritten on free: a handle of the wrong
 *   type (a pp_variant * where a pp_peer * belongs) and, usually, an already freed one give
 *   PP_ERR_INVALID_PARAMETER (the _free calls ignore them) instead of a crash. This is a diagnosis for
 *   bindings and dynamic languages, best effort and not a guarantee: freed memory may be reused, and a
 *   pointer the library never made is undefined behaviour.
 * - Out-parameters (out_*) are written only when the call returns PP_OK, with one exception, the
 *   text-out rule: every call that copies text into your buffer (buf, size) also takes size_t *out_len
 *   (may be NULL) and writes the text's length without the NUL there whether or not it fits; the text and
 *   its NUL are copied when size > length, otherwise nothing is copied and the call returns
 *   PP_ERR_PARAMETER_RANGE_ERROR. (NULL, 0) asks for the length only. Address text never needs more than
 *   PP_IP_STRING_SIZE bytes.
 * - Inputs are copied: no call keeps a pointer to memory you passed in.
 * - Borrowed outputs say until when they live (e.g. pp_get_packet: until the next pp_get_packet,
 *   pp_get_var or free on that peer). Owned outputs name the call that frees them.
 * - NULL where a pointer is required, (NULL, n > 0) buffers, sizes and counts above INT32_MAX, unknown
 *   enum values (enums arrive as int32_t) and invalid UTF-8 give PP_ERR_INVALID_PARAMETER. A
 *   class-specific call on a handle of another class gives PP_ERR_INVALID_PARAMETER.
 * - A Rust panic never crosses into C: the call returns PP_ERR_BUG (or NULL / 0 / false where it returns no
 *   pp_error).
 * - Strings you pass are NUL-terminated UTF-8, except in the calls that take (pointer, length), such as
 *   pp_variant_new_string_n (UTF-8 without NUL bytes: a Godot String cannot hold U+0000). Strings you get:
 *   views lent as (const char *, length), such as pp_variant_get_string, are NOT NUL-terminated; text
 *   copied into your buffer and owned strings (pp_variant_to_string, pp_stream_peer_get_string) are.
 *   Every owned string is freed with pp_string_free.
 *
 * CALLBACK TABLES
 * - The extension classes (pp_packet_peer_extension_new, pp_stream_peer_extension_new,
 *   pp_multiplayer_peer_extension_new) take a struct of function pointers. Set its first field, size, to
 *   sizeof the struct as you compiled it (a smaller size is PP_ERR_INVALID_PARAMETER; later versions add
 *   fields at the end). The table is copied. Every callback gets your userdata first; callbacks that act
 *   return an int32_t pp_error number (numbers that are not Godot errors count as PP_FAILED); each
 *   field's doc says what a bad returned value does. destroy(userdata) runs once, when the object goes
 *   away, and never if the constructor failed.
 *
 * RE-ENTRY
 * - A callback may call any function on any handle. A call that reaches an object that is busy in the
 *   call running the callback (the extension's own peer or stream, a PacketPeerStream reading that
 *   stream, a Variant being read by that call) returns PP_ERR_LOCKED and changes nothing; the one call
 *   made for use inside callbacks, pp_multiplayer_peer_extension_emit_*, works there. The same holds for
 *   every class, current and future.
 *
 * THREADS
 * - A handle may move between threads but must be used by one thread at a time.
 * - Distinct handles are independent, even when one object is shared by two handles (the library locks).
 * - pp_version_string, pp_version_number and pp_error_name are safe from any thread, as are the other
 *   calls that take no handle and say so (pp_variant_type_name, pp_ip_address_to_string, the
 *   pp_scene_multiplayer_* framing helpers). There is no global init.
 * - The library starts no threads and never calls back into your code from another thread: callbacks
 *   (the extension tables above) run on the thread that made the call.
 *
 * SIGNALS AS EVENTS
 * - Godot signals become events you read after driving the object. MultiplayerPeer: poll()
 *   (pp_multiplayer_peer_poll) queues peer_connected / peer_disconnected per peer; drain them with
 *   pp_multiplayer_peer_pop_event. The queue is bounded (1024 unless the class says otherwise); when full,
 *   nothing queued is lost and one PP_MULTIPLAYER_EVENT_OVERFLOW event counts what was dropped.
 *   ENetConnection: pp_enet_connection_service / _check_events return one event per call, as in Godot.
 */


#ifndef PACKETPEER_H
#define PACKETPEER_H

/* Generated by cbindgen from the Rust sources in src/ffi. Do not edit: run scripts/regen-header.sh. */

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/*
 * CONTENTS: the declarations come grouped by class, in the order a program meets them; each group
 * opens with an overview of the class (lifecycle, ownership, events). Every opaque handle is
 * declared in group 1, so any group may name any handle.
 *    1. Core types: errors, versions, strings, handles
 *    2. Variant and the binary codec
 *    3. PacketPeer: the calls every packet peer answers
 *    4. StreamPeer: the calls every byte stream answers
 *    5. StreamPeerBuffer and the in-memory pipe
 *    6. PacketPeerStream: packets over a StreamPeer
 *    7. PacketPeerExtension and StreamPeerExtension: classes made of C callbacks
 *    8. PacketPeerUDP: UDP datagrams
 *    9. UDPServer: accepting UDP peers
 *   10. StreamPeerTCP: a TCP connection
 *   11. TCPServer: accepting TCP connections
 *   12. CryptoKey, X509Certificate, Crypto helpers and TLSOptions
 *   13. StreamPeerTLS: TLS over any StreamPeer
 *   14. PacketPeerDTLS: DTLS over a connected PacketPeerUDP
 *   15. DTLSServer: accepting DTLS peers
 *   16. WebSocketPeer: a WebSocket connection
 *   17. ENetConnection: an ENet host
 *   18. ENetPacketPeer: one remote of an ENet host
 *   19. Network conditioner: loss, delay, jitter, duplication, reordering, bandwidth
 *   20. MultiplayerPeer: the calls every multiplayer peer answers, and its events
 *   21. OfflineMultiplayerPeer: the peer of a game that is not networked
 *   22. MultiplayerPeerExtension: a multiplayer peer made of C callbacks
 *   23. ENetMultiplayerPeer: multiplayer over ENet
 *   24. WebSocketMultiplayerPeer: multiplayer over WebSocket
 *   25. WebRTCPeerConnection: a WebRTC connection carrying data channels
 *   26. WebRTCDataChannel: one data channel, a pp_peer
 *   27. WebRTCMultiplayerPeer: multiplayer over WebRTC connections
 *   28. SceneMultiplayer framing helpers
 */

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/* ====================================================================================================
 * 1. Core types: errors, versions, strings, handles
 * ==================================================================================================== */

/**
 * @defgroup pp_core Core types: errors, versions, strings, handles
 *
 * What every group uses. pp_error is Godot's Error (every fallible call returns one,
 * PP_OK is 0; pp_error_name gives its name for messages). The version macros describe
 * the header you compile against: check pp_version_number() == PP_VERSION_NUMBER at
 * start-up. pp_string_free frees every owned string the library gives you;
 * PP_IP_STRING_SIZE bounds every address text.
 *
 * The opaque handle types of every class are declared here. pp_peer is any PacketPeer
 * class (free it with pp_peer_free) and pp_stream_peer any StreamPeer class
 * (pp_stream_peer_free); pp_variant, pp_codec, pp_enet_connection, pp_udp_server and
 * pp_tcp_server have their own _free. The group of each class says which call makes
 * its handles and who owns the handles it lends.
 *
 * pp_version_string, pp_version_number and pp_error_name are safe from any thread;
 * there is no global init. pp_test_panic exists only in test builds (PP_TEST_PANIC).
 *
 * @{
 */

/**
 * Major version, from Cargo.toml.
 */
#define PP_VERSION_MAJOR 0

/**
 * Minor version, from Cargo.toml.
 */
#define PP_VERSION_MINOR 1

/**
 * Patch version, from Cargo.toml.
 */
#define PP_VERSION_PATCH 0

/**
 * `MAJOR * 10000 + MINOR * 100 + PATCH`.
 */
#define PP_VERSION_NUMBER (((PP_VERSION_MAJOR * 10000) + (PP_VERSION_MINOR * 100)) + PP_VERSION_PATCH)

/**
 * Bytes a buffer needs for any address text from this library, NUL included: the longest is a
 * full IPv6 address, eight groups of four hex digits and seven colons (39) + NUL.
 */
#define PP_IP_STRING_SIZE 40

/**
 * Godot's `Error` enum, numbered exactly like the engine (core/error/error_list.h).
 * `PP_OK` (0) is success; every other value is a failure. `int32_t` in C.
 */
enum pp_error
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_OK = 0,
    PP_FAILED = 1,
    PP_ERR_UNAVAILABLE = 2,
    PP_ERR_UNCONFIGURED = 3,
    PP_ERR_UNAUTHORIZED = 4,
    PP_ERR_PARAMETER_RANGE_ERROR = 5,
    PP_ERR_OUT_OF_MEMORY = 6,
    PP_ERR_FILE_NOT_FOUND = 7,
    PP_ERR_FILE_BAD_DRIVE = 8,
    PP_ERR_FILE_BAD_PATH = 9,
    PP_ERR_FILE_NO_PERMISSION = 10,
    PP_ERR_FILE_ALREADY_IN_USE = 11,
    PP_ERR_FILE_CANT_OPEN = 12,
    PP_ERR_FILE_CANT_WRITE = 13,
    PP_ERR_FILE_CANT_READ = 14,
    PP_ERR_FILE_UNRECOGNIZED = 15,
    PP_ERR_FILE_CORRUPT = 16,
    PP_ERR_FILE_MISSING_DEPENDENCIES = 17,
    PP_ERR_FILE_EOF = 18,
    PP_ERR_CANT_OPEN = 19,
    PP_ERR_CANT_CREATE = 20,
    PP_ERR_QUERY_FAILED = 21,
    PP_ERR_ALREADY_IN_USE = 22,
    PP_ERR_LOCKED = 23,
    PP_ERR_TIMEOUT = 24,
    PP_ERR_CANT_CONNECT = 25,
    PP_ERR_CANT_RESOLVE = 26,
    PP_ERR_CONNECTION_ERROR = 27,
    PP_ERR_CANT_ACQUIRE_RESOURCE = 28,
    PP_ERR_CANT_FORK = 29,
    PP_ERR_INVALID_DATA = 30,
    PP_ERR_INVALID_PARAMETER = 31,
    PP_ERR_ALREADY_EXISTS = 32,
    PP_ERR_DOES_NOT_EXIST = 33,
    PP_ERR_DATABASE_CANT_READ = 34,
    PP_ERR_DATABASE_CANT_WRITE = 35,
    PP_ERR_COMPILATION_FAILED = 36,
    PP_ERR_METHOD_NOT_FOUND = 37,
    PP_ERR_LINK_FAILED = 38,
    PP_ERR_SCRIPT_FAILED = 39,
    PP_ERR_CYCLIC_LINK = 40,
    PP_ERR_INVALID_DECLARATION = 41,
    PP_ERR_DUPLICATE_SYMBOL = 42,
    PP_ERR_PARSE_ERROR = 43,
    PP_ERR_BUSY = 44,
    PP_ERR_SKIP = 45,
    PP_ERR_HELP = 46,
    PP_ERR_BUG = 47,
    PP_ERR_PRINTER_ON_FIRE = 48,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_error pp_error;
#else
typedef int32_t pp_error;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Opaque codec settings plus the last error: encode/decode with a dialect, real_t width, object
 * policy and decode limits. Make with `pp_codec_new`, free with `pp_codec_free`. One thread at a time.
 */
typedef struct pp_codec pp_codec;

/**
 * Opaque handle to a CryptoKey (private, or public-only). Free with `pp_crypto_key_free`.
 */
typedef struct pp_crypto_key pp_crypto_key;

/**
 * Opaque handle to a DTLSServer. Free with `pp_dtls_server_free`.
 */
typedef struct pp_dtls_server pp_dtls_server;

/**
 * Opaque handle to an ENetConnection (an ENet host). Make with `pp_enet_connection_new`, free with
 * `pp_enet_connection_free`.
 *
 * The ENet peers it reports are `pp_peer` handles it lends: each stays valid (possibly inactive)
 * until the connection is freed, and costs a few dozen bytes until then. Use a connection and its
 * peers from one thread at a time.
 */
typedef struct pp_enet_connection pp_enet_connection;

/**
 * Opaque handle to any PacketPeer class (PacketPeerStream, PacketPeerUDP, PacketPeerExtension,
 * ENetPacketPeer, MultiplayerPeer …). Free with `pp_peer_free` unless the owning object lends it.
 */
typedef struct pp_peer pp_peer;

/**
 * Opaque handle to any StreamPeer class (StreamPeerBuffer, StreamPeerTCP, StreamPeerExtension, the
 * in-memory pipe). Free with `pp_stream_peer_free`.
 */
typedef struct pp_stream_peer pp_stream_peer;

/**
 * Opaque handle to a TCPServer. Free with `pp_tcp_server_free`.
 */
typedef struct pp_tcp_server pp_tcp_server;

/**
 * Opaque handle to a TLSOptions (immutable). Free with `pp_tls_options_free`.
 */
typedef struct pp_tls_options pp_tls_options;

/**
 * Opaque handle to a UDPServer. Free with `pp_udp_server_free`.
 */
typedef struct pp_udp_server pp_udp_server;

/**
 * Opaque handle to one Variant value. Made and read by the `pp_variant_*` calls; free with
 * `pp_variant_free`.
 */
typedef struct pp_variant pp_variant;

/**
 * Opaque handle to a WebRTCPeerConnection. Make with `pp_webrtc_peer_connection_new`, free with
 * `pp_webrtc_peer_connection_free`. Its data channels (`pp_peer`) stay valid after it is freed
 * (they read CLOSED once the connection is closed).
 */
typedef struct pp_webrtc_peer_connection pp_webrtc_peer_connection;

/**
 * Opaque handle to an X509Certificate: one certificate or a chain, leaf first. Free with
 * `pp_x509_certificate_free`.
 */
typedef struct pp_x509_certificate pp_x509_certificate;

/**
 * The library's version as `"MAJOR.MINOR.PATCH"`. Static storage; never NULL. Safe from any thread.
 */
const char *pp_version_string(void);

/**
 * The library's version as `MAJOR * 10000 + MINOR * 100 + PATCH`, to compare with `PP_VERSION_NUMBER`
 * from the header you compiled against. Safe from any thread.
 */
uint32_t pp_version_number(void);

/**
 * The constant name of an error number (`"OK"`, `"ERR_INVALID_DATA"`, …); `"ERR_UNKNOWN"` for numbers
 * that are not Godot errors. Static storage; never NULL. Safe from any thread.
 */
const char *pp_error_name(int32_t error);

/**
 * Frees a string the library allocated for you (`pp_variant_to_string`, `pp_stream_peer_get_string`,
 * `pp_stream_peer_get_utf8_string`, and every later call that returns an owned `char *`). NULL is a
 * no-op.
 */
void pp_string_free(char *text);

#if defined(PP_TEST_PANIC)
/**
 * Test-only: panics inside the boundary, so C tests can check it returns `PP_ERR_BUG`.
 */
pp_error pp_test_panic(void);
#endif

/** @} */

/* ====================================================================================================
 * 2. Variant and the binary codec
 * ==================================================================================================== */

/**
 * @defgroup pp_variant Variant and the binary codec
 *
 * Godot's Variant: a pp_variant holds one value of any of the 39 Variant types. Make
 * it with a pp_variant_new_* call, read it with pp_variant_get_type and the
 * pp_variant_get_* calls, free it with pp_variant_free. Every pp_variant * a call
 * gives you is yours, and copies are deep: container getters return an owned copy and
 * append / set copy their input. Borrowed views (string bytes, packed-array data) live
 * until that variant is modified or freed.
 *
 * Bytes: pp_var_to_bytes / pp_bytes_to_var are Godot's var_to_bytes / bytes_to_var
 * with the engine's defaults (free their buffers with pp_bytes_free). A pp_codec
 * (pp_codec_new ... pp_codec_free) encodes and decodes with chosen settings (dialect,
 * real_t width, object policy, limits) and keeps the last error with its byte offset.
 *
 * Errors: wrong variant type, NULL, unknown enum values or invalid UTF-8 give
 * PP_ERR_INVALID_PARAMETER; an index past the end PP_ERR_PARAMETER_RANGE_ERROR; a
 * missing dictionary key or object property PP_ERR_DOES_NOT_EXIST.
 *
 * @{
 */

/**
 * Which type-id table the codec speaks (`docs/wire-format.md` §3). `int32_t` in C.
 */
enum pp_dialect
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Godot 4.3+ and Redot builds without STRUCT. The default.
     */
    PP_DIALECT_GODOT4 = 0,
    /**
     * Redot after the GDScript structs merge: STRUCT at 25, every later type id one higher.
     */
    PP_DIALECT_REDOT_STRUCT = 1,
    /**
     * Godot 3.x (`var2bytes` / `bytes2var`, `docs/wire-format.md` §19): Godot 3's type ids, RID
     * without payload, math types always 32-bit, no typed containers. Values Godot 3 has no type
     * for are refused with `PP_ERR_INVALID_PARAMETER` and a reason naming the type, unless the
     * Godot 3 lossy option is on (`pp_codec_set_godot3_lossy`, `pp_set_var_godot3_lossy`).
     */
    PP_DIALECT_GODOT3 = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_dialect pp_dialect;
#else
typedef int32_t pp_dialect;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Variant type ids, numbered as in Godot 4.3+ (`Variant::Type`). `PP_VARIANT_TYPE_MAX` is the count,
 * never a type. `int32_t` in C.
 */
enum pp_variant_type
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_VARIANT_TYPE_NIL = 0,
    PP_VARIANT_TYPE_BOOL = 1,
    PP_VARIANT_TYPE_INT = 2,
    PP_VARIANT_TYPE_FLOAT = 3,
    PP_VARIANT_TYPE_STRING = 4,
    PP_VARIANT_TYPE_VECTOR2 = 5,
    PP_VARIANT_TYPE_VECTOR2I = 6,
    PP_VARIANT_TYPE_RECT2 = 7,
    PP_VARIANT_TYPE_RECT2I = 8,
    PP_VARIANT_TYPE_VECTOR3 = 9,
    PP_VARIANT_TYPE_VECTOR3I = 10,
    PP_VARIANT_TYPE_TRANSFORM2D = 11,
    PP_VARIANT_TYPE_VECTOR4 = 12,
    PP_VARIANT_TYPE_VECTOR4I = 13,
    PP_VARIANT_TYPE_PLANE = 14,
    PP_VARIANT_TYPE_QUATERNION = 15,
    PP_VARIANT_TYPE_AABB = 16,
    PP_VARIANT_TYPE_BASIS = 17,
    PP_VARIANT_TYPE_TRANSFORM3D = 18,
    PP_VARIANT_TYPE_PROJECTION = 19,
    PP_VARIANT_TYPE_COLOR = 20,
    PP_VARIANT_TYPE_STRING_NAME = 21,
    PP_VARIANT_TYPE_NODE_PATH = 22,
    PP_VARIANT_TYPE_RID = 23,
    PP_VARIANT_TYPE_OBJECT = 24,
    PP_VARIANT_TYPE_CALLABLE = 25,
    PP_VARIANT_TYPE_SIGNAL = 26,
    PP_VARIANT_TYPE_DICTIONARY = 27,
    PP_VARIANT_TYPE_ARRAY = 28,
    PP_VARIANT_TYPE_PACKED_BYTE_ARRAY = 29,
    PP_VARIANT_TYPE_PACKED_INT32_ARRAY = 30,
    PP_VARIANT_TYPE_PACKED_INT64_ARRAY = 31,
    PP_VARIANT_TYPE_PACKED_FLOAT32_ARRAY = 32,
    PP_VARIANT_TYPE_PACKED_FLOAT64_ARRAY = 33,
    PP_VARIANT_TYPE_PACKED_STRING_ARRAY = 34,
    PP_VARIANT_TYPE_PACKED_VECTOR2_ARRAY = 35,
    PP_VARIANT_TYPE_PACKED_VECTOR3_ARRAY = 36,
    PP_VARIANT_TYPE_PACKED_COLOR_ARRAY = 37,
    PP_VARIANT_TYPE_PACKED_VECTOR4_ARRAY = 38,
    PP_VARIANT_TYPE_MAX = 39,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_variant_type pp_variant_type;
#else
typedef int32_t pp_variant_type;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What an OBJECT variant holds. `int32_t` in C.
 */
enum pp_object_kind
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * A null (or freed) object. It is sent as NIL.
     */
    PP_OBJECT_KIND_NULL = 0,
    /**
     * An object sent by instance id (Godot's `EncodedObjectAsID`, the default of `put_var`).
     */
    PP_OBJECT_KIND_ID = 1,
    /**
     * An object sent in full (`full_objects`): a class name and its stored properties.
     */
    PP_OBJECT_KIND_FULL = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_object_kind pp_object_kind;
#else
typedef int32_t pp_object_kind;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * How a typed container restricts its elements (keys, values), with the wire's numbers
 * (`docs/wire-format.md` §9). `int32_t` in C.
 */
enum pp_container_kind
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Untyped: any Variant.
     */
    PP_CONTAINER_KIND_NONE = 0,
    /**
     * One builtin Variant type (`Array[int]`).
     */
    PP_CONTAINER_KIND_BUILTIN = 1,
    /**
     * Objects of a named class (`Array[Node]`).
     */
    PP_CONTAINER_KIND_CLASS = 2,
    /**
     * Objects of a script class, named by its `res://` path.
     */
    PP_CONTAINER_KIND_SCRIPT = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_container_kind pp_container_kind;
#else
typedef int32_t pp_container_kind;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Frees a variant handle and everything it holds. NULL is a no-op. Borrowed views into the variant
 * (strings, packed-array data) die with it.
 *
 * Ownership model of the `pp_variant_*` calls: every `pp_variant *` a call gives you is yours and is
 * freed with this call. Values inside containers (array elements, dictionary keys and values, object
 * properties) are not handles: getters give you an owned deep copy, and `append`/`set` copy their
 * inputs, so a container never shares anything with your handles (a value may even be inserted into
 * itself). Borrowed views (`const char *` + length, packed-array data) live until the variant they
 * come from is modified or freed. Getters on a variant of another type return
 * `PP_ERR_INVALID_PARAMETER`; indexes at or past the end `PP_ERR_PARAMETER_RANGE_ERROR`; a missing
 * dictionary key or object property `PP_ERR_DOES_NOT_EXIST`. Values nest at most 1024 deep (the
 * engine's limit): inserting deeper gives `PP_ERR_OUT_OF_MEMORY`, the engine's code.
 */
void pp_variant_free(struct pp_variant *variant);

/**
 * The type of a variant, a `PP_VARIANT_TYPE_*` value. NULL gives `PP_VARIANT_TYPE_NIL`.
 */
pp_variant_type pp_variant_get_type(const struct pp_variant *variant);

/**
 * Godot's name of a type id, as `type_string()` gives it (`"int"`, `"Vector2"`, `"PackedByteArray"`);
 * `"<invalid type>"` for numbers that are not types. Static storage; never NULL. Safe from any thread.
 */
const char *pp_variant_type_name(int32_t type_id);

/**
 * A deep copy of a variant (every variant copy is deep: nothing is shared between handles).
 * - `variant`: the variant to copy.
 * - `out_variant`: receives the copy; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
 */
pp_error pp_variant_duplicate(const struct pp_variant *variant, struct pp_variant **out_variant);

/**
 * Strict structural equality: same type and same contents, containers element by element (with their
 * container types), dictionaries in the same order. Floats compare by bit pattern: a NaN equals the
 * same NaN, and `-0.0` differs from `0.0`. String and StringName are never equal to each other.
 * Returns false when either pointer is NULL.
 */
bool pp_variant_equal(const struct pp_variant *a, const struct pp_variant *b);

/**
 * A readable text form for logs, close to Godot's `str()`: `(1, 2)`, `[1, "a"]`, `{ "k": 1 }`,
 * `<Object#1234>`, `<null>`. Not meant to be parsed back. Containers nested more than 64 levels deep
 * print as `…`.
 * - `variant`: the variant to print.
 * - `max_len`: the longest text wanted, in bytes without the NUL; longer text is cut at a UTF-8
 *   character boundary and ends with `…` (U+2026, 3 bytes, counted in `max_len`). The work done is
 *   bounded by `max_len`, so printing a huge array is cheap. Pass INT32_MAX for no practical limit.
 * - `out_text`: receives a new NUL-terminated UTF-8 string; free it with `pp_string_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `max_len > INT32_MAX`.
 */
pp_error pp_variant_to_string(const struct pp_variant *variant, size_t max_len, char **out_text);

/**
 * Decodes one Variant from bytes, like Godot's `bytes_to_var` (or `bytes_to_var_with_objects` when
 * `allow_objects` is true), with the Godot 4 dialect and the engine's 1024 depth limit. Trailing bytes
 * after the value are ignored, as the engine does; use `pp_codec_decode` to learn how many were used.
 * - `data`, `len`: the bytes; `(NULL, 0)` is an empty buffer. Copied; not kept.
 * - `allow_objects`: accept objects sent in full; when false they fail with `PP_ERR_UNAUTHORIZED`.
 *   Objects sent as ids are always accepted.
 * - `out_variant`: receives the value; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`; the engine's decode error (`PP_ERR_INVALID_DATA`, `PP_ERR_FILE_EOF`,
 * `PP_ERR_UNAUTHORIZED`, `PP_ERR_OUT_OF_MEMORY` for nesting beyond 1024, ...); or
 * `PP_ERR_INVALID_PARAMETER` for NULL pointers or `len > INT32_MAX`.
 */
pp_error pp_bytes_to_var(const uint8_t *data,
                         size_t len,
                         bool allow_objects,
                         struct pp_variant **out_variant);

/**
 * Encodes a variant like Godot's `var_to_bytes` (or `var_to_bytes_with_objects` when `full_objects`
 * is true), Godot 4 dialect, real_t as float.
 * - `variant`: the value; not modified.
 * - `full_objects`: send objects in full instead of as instance ids.
 * - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
 *   `pp_bytes_free(data, len)`.
 *
 * Returns `PP_OK`; an encode error: `PP_ERR_OUT_OF_MEMORY` for nesting beyond 1024 or a size above
 * INT32_MAX, `PP_ERR_UNAVAILABLE` (with `full_objects`) for a `script` path or typed-container script
 * that is not `res://`, `PP_ERR_INVALID_PARAMETER` for a full object while `full_objects` is false
 * (it has no id to send); or `PP_ERR_INVALID_PARAMETER` for NULL pointers.
 */
pp_error pp_var_to_bytes(const struct pp_variant *variant,
                         bool full_objects,
                         uint8_t **out_data,
                         size_t *out_len);

/**
 * Frees a buffer returned by `pp_var_to_bytes` or `pp_codec_encode`. `len` must be the length that
 * call returned. NULL is a no-op; an empty buffer (length 0) is freed like any other.
 */
void pp_bytes_free(uint8_t *data, size_t len);

/**
 * Writes a variant as a Python pickle (protocol 4), for language bindings: Python's C unpickler
 * (`pickle.loads`) then builds the whole value tree in one call instead of one foreign call per
 * element, which is what makes the Python package's decoding fast. Builtin values map to Python
 * builtins (Nil → None, Dictionary → dict, Array → list, PackedByteArray → bytes, the packed numeric
 * arrays → `array.array`), the other types to classes of `module` named like the Godot type
 * (`Vector2`, `Color`, `StringName`, `NodePath`, ...); inside a dictionary key an Array becomes a
 * tuple. The exact mapping is documented in the package (`python/packetpeer/types.py`).
 * - `variant`: the value; not modified.
 * - `module`: NUL-terminated name of the Python module holding those classes (`"packetpeer.types"`).
 * - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
 *   `pp_bytes_free(data, len)`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL pointers, a `module` that is empty or not
 * UTF-8, or a Dictionary or full Object used as a dictionary key (no hashable Python form);
 * `PP_ERR_OUT_OF_MEMORY` for nesting beyond 1024.
 */
pp_error pp_variant_to_pickle(const struct pp_variant *variant,
                              const char *module,
                              uint8_t **out_data,
                              size_t *out_len);

/**
 * A new NIL variant (`null`).
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_nil(struct pp_variant **out_variant);

/**
 * A new BOOL variant.
 * - `value`: the value.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_bool(bool value, struct pp_variant **out_variant);

/**
 * The value of a BOOL variant.
 * - `variant`: a BOOL variant.
 * - `out_value`: receives the value.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a BOOL.
 */
pp_error pp_variant_get_bool(const struct pp_variant *variant, bool *out_value);

/**
 * A new INT variant (Godot's `int` is 64-bit).
 * - `value`: the value.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_int(int64_t value, struct pp_variant **out_variant);

/**
 * The value of an INT variant.
 * - `variant`: an INT variant.
 * - `out_value`: receives the value.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an INT.
 */
pp_error pp_variant_get_int(const struct pp_variant *variant, int64_t *out_value);

/**
 * A new FLOAT variant (Godot's `float` is a double). The encoder sends it as 32 bits when that is
 * exact, else as 64 bits (NaN always as 64 bits), like the engine.
 * - `value`: the value.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_float(double value, struct pp_variant **out_variant);

/**
 * The value of a FLOAT variant (an INT is not converted: it is the wrong type).
 * - `variant`: a FLOAT variant.
 * - `out_value`: receives the value.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a FLOAT.
 */
pp_error pp_variant_get_float(const struct pp_variant *variant, double *out_value);

/**
 * A new STRING variant from NUL-terminated UTF-8.
 * - `text`: the string; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `text` is not UTF-8.
 */
pp_error pp_variant_new_string(const char *text, struct pp_variant **out_variant);

/**
 * A new STRING variant from `len` bytes of UTF-8 (no terminator needed).
 * - `data`, `len`: the bytes; `(NULL, 0)` is the empty string. Copied. A NUL byte is invalid: a
 *   Godot String cannot hold U+0000.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers, `len > INT32_MAX`, invalid UTF-8
 * or a NUL byte.
 */
pp_error pp_variant_new_string_n(const char *data, size_t len, struct pp_variant **out_variant);

/**
 * Lends the text of a STRING variant.
 * - `variant`: a STRING variant.
 * - `out_data`: receives a pointer to the UTF-8 bytes, **not NUL-terminated** (use
 *   `pp_variant_get_string_copy` for a C string). Valid until the variant is modified or freed.
 * - `out_len`: receives the length in bytes.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * STRING.
 */
pp_error pp_variant_get_string(const struct pp_variant *variant, const char **out_data, size_t *out_len);

/**
 * Copies the text of a STRING variant into your buffer, NUL-terminated.
 * - `variant`: a STRING variant.
 * - `buf`, `cap`: your buffer and its size in bytes; it needs length + 1 bytes. `(NULL, 0)` only asks
 *   for the length.
 * - `out_len`: if not NULL, receives the length without the NUL, also when `cap` is too small.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `cap` is too small (nothing is copied; this
 * is the one failure that writes an out-param, `out_len`); `PP_ERR_INVALID_PARAMETER` when the
 * variant is NULL or not a STRING, `buf` is NULL with `cap > 0`, or `cap > INT32_MAX`.
 */
pp_error pp_variant_get_string_copy(const struct pp_variant *variant, char *buf, size_t cap, size_t *out_len);

/**
 * A new STRING_NAME variant from NUL-terminated UTF-8.
 * - `text`: the name; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `text` is not UTF-8.
 */
pp_error pp_variant_new_string_name(const char *text, struct pp_variant **out_variant);

/**
 * A new STRING_NAME variant from `len` bytes of UTF-8; see `pp_variant_new_string_n`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers, `len > INT32_MAX`, invalid UTF-8
 * or a NUL byte.
 */
pp_error pp_variant_new_string_name_n(const char *data, size_t len, struct pp_variant **out_variant);

/**
 * Lends the text of a STRING_NAME variant; see `pp_variant_get_string` (not NUL-terminated; valid
 * until the variant is modified or freed).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * STRING_NAME.
 */
pp_error pp_variant_get_string_name(const struct pp_variant *variant, const char **out_data, size_t *out_len);

/**
 * Copies the text of a STRING_NAME variant into your buffer, NUL-terminated; see
 * `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
 */
pp_error pp_variant_get_string_name_copy(const struct pp_variant *variant,
                                         char *buf,
                                         size_t cap,
                                         size_t *out_len);

/**
 * A new RID variant. Only the 64-bit id travels; it means nothing outside the engine that made it.
 * - `id`: the RID's id.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_rid(uint64_t id, struct pp_variant **out_variant);

/**
 * The id of a RID variant.
 * - `variant`: a RID variant.
 * - `out_id`: receives the id.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a RID.
 */
pp_error pp_variant_get_rid(const struct pp_variant *variant, uint64_t *out_id);

/**
 * A new CALLABLE variant. Nothing about a callable travels on the wire (only its type), so there is
 * nothing to set or get: `pp_variant_get_type` tells a callable apart.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_callable(struct pp_variant **out_variant);

/**
 * A new SIGNAL variant: a signal name and the instance id of the object that owns it.
 * - `name`: the signal name, NUL-terminated UTF-8; copied.
 * - `object_id`: the owning object's instance id.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `name` is not UTF-8.
 */
pp_error pp_variant_new_signal(const char *name, uint64_t object_id, struct pp_variant **out_variant);

/**
 * The parts of a SIGNAL variant.
 * - `variant`: a SIGNAL variant.
 * - `out_name`, `out_name_len`: receive the signal name, borrowed and not NUL-terminated, valid until
 *   the variant is modified or freed.
 * - `out_object_id`: receives the owning object's instance id.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * SIGNAL.
 */
pp_error pp_variant_get_signal(const struct pp_variant *variant,
                               const char **out_name,
                               size_t *out_name_len,
                               uint64_t *out_object_id);

/**
 * A new NODE_PATH variant from Godot's path syntax, as `NodePath("…")` parses it: a leading `/`
 * makes it absolute, names are `/`-separated (empty ones are skipped), subnames follow `:`
 * (`"/root/Player:position:x"`). `""` is the empty path.
 * - `path`: NUL-terminated UTF-8; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `path` is not UTF-8, or
 * it has
 * an empty subname before the end (`"a::b"`).
 */
pp_error pp_variant_new_node_path(const char *path, struct pp_variant **out_variant);

/**
 * A new NODE_PATH variant from its parts, as the wire carries them.
 * - `names`, `name_count`: the `/`-separated names (`{"root", "Player"}`); `(NULL, 0)` for none.
 * - `subnames`, `subname_count`: the `:`-separated subnames (`{"position", "x"}`); `(NULL, 0)` for
 *   none.
 * - `absolute`: whether the path starts at the root (`/root/...`).
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Every name is NUL-terminated UTF-8 and non-empty; everything is copied.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers (a list or an entry), a count above
 * INT32_MAX, an empty name or invalid UTF-8.
 */
pp_error pp_variant_new_node_path_parts(const char *const *names,
                                        size_t name_count,
                                        const char *const *subnames,
                                        size_t subname_count,
                                        bool absolute,
                                        struct pp_variant **out_variant);

/**
 * Copies a NODE_PATH variant's text in Godot's path syntax (`"/root/Player:position"`) into your
 * buffer, NUL-terminated; see `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
 */
pp_error pp_variant_get_node_path(const struct pp_variant *variant, char *buf, size_t cap, size_t *out_len);

/**
 * The number of names of a NODE_PATH variant (`/root/a:b` has 2).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * NODE_PATH.
 */
pp_error pp_variant_node_path_get_name_count(const struct pp_variant *variant, size_t *out_count);

/**
 * Lends name `index` of a NODE_PATH variant (not NUL-terminated; valid until the variant is modified
 * or freed).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the name count;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a NODE_PATH.
 */
pp_error pp_variant_node_path_get_name(const struct pp_variant *variant,
                                       size_t index,
                                       const char **out_data,
                                       size_t *out_len);

/**
 * The number of subnames of a NODE_PATH variant (`/root/a:b` has 1).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * NODE_PATH.
 */
pp_error pp_variant_node_path_get_subname_count(const struct pp_variant *variant, size_t *out_count);

/**
 * Lends subname `index` of a NODE_PATH variant (not NUL-terminated; valid until the variant is
 * modified or freed).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the subname count;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a NODE_PATH.
 */
pp_error pp_variant_node_path_get_subname(const struct pp_variant *variant,
                                          size_t index,
                                          const char **out_data,
                                          size_t *out_len);

/**
 * Whether a NODE_PATH variant is absolute (starts with `/`).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * NODE_PATH.
 */
pp_error pp_variant_node_path_is_absolute(const struct pp_variant *variant, bool *out_absolute);

/**
 * A new OBJECT variant holding a null object. It is sent as NIL, as the engine does.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_object_null(struct pp_variant **out_variant);

/**
 * A new OBJECT variant that refers to an object by instance id (sent as Godot's
 * `EncodedObjectAsID`, what `put_var` sends by default).
 * - `object_id`: the instance id; 0 makes a null object, as the decoder does.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_object_id(uint64_t object_id, struct pp_variant **out_variant);

/**
 * A new OBJECT variant sent in full (with `full_objects`): a class name and no properties yet; add
 * them in order with `pp_variant_object_set_property`. The library never instantiates classes.
 * Encoding it needs `full_objects` (it has no instance id); without it the encoder returns
 * `PP_ERR_INVALID_PARAMETER`. Decoding one needs `allow_objects`.
 * - `class_name`: the Godot class (`"Node2D"`), NUL-terminated UTF-8, non-empty; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `class_name` is empty or
 * not UTF-8.
 */
pp_error pp_variant_new_object_full(const char *class_name, struct pp_variant **out_variant);

/**
 * Sets a property of a full OBJECT variant: replaces the value of an existing property of that name
 * (keeping its position), else appends it. The encoder sends properties in this order.
 * - `object`: a full OBJECT variant (`PP_OBJECT_KIND_FULL`).
 * - `name`: the property name, NUL-terminated UTF-8, non-empty; copied.
 * - `value`: the value; copied (it may be `object` itself: the copy is taken first). The `script`
 *   property must be NIL or a STRING holding a `res://` path, as the engine requires.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when the value nests deeper than the engine's 1024 limit;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `object` is not a full object, `name` is empty
 * or not UTF-8, or a `script` value breaks the rule above.
 */
pp_error pp_variant_object_set_property(struct pp_variant *object,
                                        const char *name,
                                        const struct pp_variant *value);

/**
 * What an OBJECT variant holds: `PP_OBJECT_KIND_NULL`, `_ID` or `_FULL`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
 * OBJECT.
 */
pp_error pp_variant_get_object_kind(const struct pp_variant *variant, pp_object_kind *out_kind);

/**
 * The instance id of an OBJECT variant sent by id; 0 for a null object.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, the variant is not an OBJECT,
 * or it is a full object (which has no id on the wire).
 */
pp_error pp_variant_get_object_id(const struct pp_variant *variant, uint64_t *out_object_id);

/**
 * Lends the class name of a full OBJECT variant (not NUL-terminated; valid until the variant is
 * modified or freed).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full
 * OBJECT.
 */
pp_error pp_variant_get_object_class(const struct pp_variant *variant,
                                     const char **out_data,
                                     size_t *out_len);

/**
 * The number of properties of a full OBJECT variant.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full
 * OBJECT.
 */
pp_error pp_variant_object_get_property_count(const struct pp_variant *variant, size_t *out_count);

/**
 * Lends the name of property `index` of a full OBJECT variant (not NUL-terminated; valid until the
 * variant is modified or freed).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the property count;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full OBJECT.
 */
pp_error pp_variant_object_get_property_name(const struct pp_variant *variant,
                                             size_t index,
                                             const char **out_data,
                                             size_t *out_len);

/**
 * A copy of the value of property `index` of a full OBJECT variant.
 * - `out_variant`: receives the copy; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the property count;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a full OBJECT.
 */
pp_error pp_variant_object_get_property_value(const struct pp_variant *variant,
                                              size_t index,
                                              struct pp_variant **out_variant);

/**
 * A copy of the value of the property called `name` of a full OBJECT variant.
 * - `out_variant`: receives the copy; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when there is no such property; `PP_ERR_INVALID_PARAMETER`
 * when a pointer is NULL, `name` is not UTF-8 or the variant is not a full OBJECT.
 */
pp_error pp_variant_object_get_property(const struct pp_variant *variant,
                                        const char *name,
                                        struct pp_variant **out_variant);

/**
 * A new, empty, untyped ARRAY variant.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_array(struct pp_variant **out_variant);

/**
 * The number of elements of an ARRAY variant.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
 * ARRAY.
 */
pp_error pp_variant_array_size(const struct pp_variant *array, size_t *out_size);

/**
 * A copy of element `index` of an ARRAY variant (elements are not handles: change the copy and put it
 * back with `pp_variant_array_set`).
 * - `out_variant`: receives the copy; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an ARRAY.
 */
pp_error pp_variant_array_get(const struct pp_variant *array, size_t index, struct pp_variant **out_variant);

/**
 * Replaces element `index` of an ARRAY variant with a copy of `value` (which may be `array` itself).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_OUT_OF_MEMORY` when the value nests deeper than the engine's 1024 limit;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `array` is not an ARRAY, or the array is
 * typed and
 * `value` does not have its element type.
 */
pp_error pp_variant_array_set(struct pp_variant *array, size_t index, const struct pp_variant *value);

/**
 * Appends a copy of `value` (which may be `array` itself) to an ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when the value nests deeper than the engine's 1024 limit or
 * the array already has INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when a pointer is NULL,
 * `array` is not an ARRAY, or the array is typed and `value` does not have its element type.
 */
pp_error pp_variant_array_append(struct pp_variant *array, const struct pp_variant *value);

/**
 * Removes element `index` of an ARRAY variant; later elements move down by one.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY.
 */
pp_error pp_variant_array_remove_at(struct pp_variant *array, size_t index);

/**
 * Removes every element of an ARRAY variant; its element type stays.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY.
 */
pp_error pp_variant_array_clear(struct pp_variant *array);

/**
 * Sets the element type of an ARRAY variant (`Array[int]`, `Array[Node]`), which the wire carries.
 * Elements already in the array must have that type.
 * - `array`: an ARRAY variant.
 * - `kind`: a `pp_container_kind` value.
 * - `builtin_type`: for `PP_CONTAINER_KIND_BUILTIN`, the element type (`PP_VARIANT_TYPE_BOOL` to
 *   `PP_VARIANT_TYPE_PACKED_VECTOR4_ARRAY`; NIL means untyped, use `PP_CONTAINER_KIND_NONE`). Ignored
 *   otherwise.
 * - `name`: for `PP_CONTAINER_KIND_CLASS`, the class name (`"Node"`); for `PP_CONTAINER_KIND_SCRIPT`,
 *   the script path (`"res://player.gd"`); NUL-terminated, non-empty, copied. Ignored (may be NULL)
 *   otherwise.
 *
 * Typing is strict: an INT is not a FLOAT. Object-typed arrays (OBJECT builtin, CLASS, SCRIPT) take
 * any OBJECT variant and NIL; the library cannot check class inheritance.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `array` is NULL or not an ARRAY, `kind` or
 * `builtin_type` is out of range, `name` is missing or invalid, or an element does not match.
 */
pp_error pp_variant_array_set_typed(struct pp_variant *array,
                                    int32_t kind,
                                    int32_t builtin_type,
                                    const char *name);

/**
 * The element type of an ARRAY variant.
 * - `out_kind`: receives a `pp_container_kind` (`PP_CONTAINER_KIND_NONE` when untyped).
 * - `out_builtin_type`: receives the element's builtin type: NIL when untyped, OBJECT for CLASS and
 *   SCRIPT.
 * - `out_name`, `out_name_len`: receive the class name or script path, borrowed and not
 *   NUL-terminated, valid until the variant is modified or freed; `""` for NONE and BUILTIN.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not an
 * ARRAY.
 */
pp_error pp_variant_array_get_typed(const struct pp_variant *array,
                                    pp_container_kind *out_kind,
                                    pp_variant_type *out_builtin_type,
                                    const char **out_name,
                                    size_t *out_name_len);

/**
 * A new, empty, untyped DICTIONARY variant. Dictionaries keep insertion order, which is the order the
 * encoder sends.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_dictionary(struct pp_variant **out_variant);

/**
 * The number of entries of a DICTIONARY variant.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * DICTIONARY.
 */
pp_error pp_variant_dictionary_size(const struct pp_variant *dictionary, size_t *out_size);

/**
 * Sets `dictionary[key] = value` with copies of both (either may be `dictionary` itself). Keys follow
 * Godot's identity: different types are different keys (1, 1.0 and true are three keys) except that a
 * STRING and a STRING_NAME with the same text are the same key; every NaN is one key and -0.0 is 0.0.
 * An existing key keeps its position and its original key value; only the value changes.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when the key or value nests deeper than the engine's 1024
 * limit or the dictionary already has INT32_MAX entries; `PP_ERR_INVALID_PARAMETER` when a pointer is
 * NULL, `dictionary` is not a DICTIONARY, or it is typed and the key or value does not match.
 */
pp_error pp_variant_dictionary_set(struct pp_variant *dictionary,
                                   const struct pp_variant *key,
                                   const struct pp_variant *value);

/**
 * A copy of `dictionary[key]` (Godot key identity, see `pp_variant_dictionary_set`).
 * - `out_value`: receives the copy; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when the key is absent; `PP_ERR_INVALID_PARAMETER` when a
 * pointer is NULL or `dictionary` is not a DICTIONARY.
 */
pp_error pp_variant_dictionary_get(const struct pp_variant *dictionary,
                                   const struct pp_variant *key,
                                   struct pp_variant **out_value);

/**
 * Whether `dictionary` has `key` (Godot key identity, see `pp_variant_dictionary_set`).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `dictionary` is not a
 * DICTIONARY.
 */
pp_error pp_variant_dictionary_has(const struct pp_variant *dictionary,
                                   const struct pp_variant *key,
                                   bool *out_has);

/**
 * Removes `key` from `dictionary`; later entries move down by one position.
 *
 * Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when the key is absent; `PP_ERR_INVALID_PARAMETER` when a
 * pointer is NULL or `dictionary` is not a DICTIONARY.
 */
pp_error pp_variant_dictionary_erase(struct pp_variant *dictionary, const struct pp_variant *key);

/**
 * Removes every entry of a DICTIONARY variant; its key and value types stay.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `dictionary` is NULL or not a DICTIONARY.
 */
pp_error pp_variant_dictionary_clear(struct pp_variant *dictionary);

/**
 * A copy of the key at position `index` (insertion order) of a DICTIONARY variant. With
 * `pp_variant_dictionary_value_at` and `pp_variant_dictionary_size` this iterates the dictionary.
 * - `out_key`: receives the copy; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a DICTIONARY.
 */
pp_error pp_variant_dictionary_key_at(const struct pp_variant *dictionary,
                                      size_t index,
                                      struct pp_variant **out_key);

/**
 * A copy of the value at position `index` (insertion order) of a DICTIONARY variant.
 * - `out_value`: receives the copy; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a DICTIONARY.
 */
pp_error pp_variant_dictionary_value_at(const struct pp_variant *dictionary,
                                        size_t index,
                                        struct pp_variant **out_value);

/**
 * Sets the key and value types of a DICTIONARY variant (`Dictionary[String, int]`, Godot 4.4+), which
 * the wire carries. Existing entries must match. Each type is given as in
 * `pp_variant_array_set_typed`: a `pp_container_kind`, a builtin type used with BUILTIN, and a class
 * name or script path used with CLASS and SCRIPT.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `dictionary` is NULL or not a DICTIONARY, a kind
 * or type is out of range, a name is missing or invalid, or an entry does not match.
 */
pp_error pp_variant_dictionary_set_typed(struct pp_variant *dictionary,
                                         int32_t key_kind,
                                         int32_t key_builtin_type,
                                         const char *key_name,
                                         int32_t value_kind,
                                         int32_t value_builtin_type,
                                         const char *value_name);

/**
 * The key type of a DICTIONARY variant; the out-params are those of `pp_variant_array_get_typed`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * DICTIONARY.
 */
pp_error pp_variant_dictionary_get_typed_key(const struct pp_variant *dictionary,
                                             pp_container_kind *out_kind,
                                             pp_variant_type *out_builtin_type,
                                             const char **out_name,
                                             size_t *out_name_len);

/**
 * The value type of a DICTIONARY variant; the out-params are those of `pp_variant_array_get_typed`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * DICTIONARY.
 */
pp_error pp_variant_dictionary_get_typed_value(const struct pp_variant *dictionary,
                                               pp_container_kind *out_kind,
                                               pp_variant_type *out_builtin_type,
                                               const char **out_name,
                                               size_t *out_name_len);

/**
 * The number of elements of any packed-array variant (PACKED_BYTE_ARRAY … PACKED_VECTOR4_ARRAY).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a packed
 * array.
 */
pp_error pp_variant_packed_array_size(const struct pp_variant *variant, size_t *out_size);

/**
 * A new PACKED_STRING_ARRAY variant.
 * - `strings`, `count`: `count` NUL-terminated UTF-8 strings; `(NULL, 0)` for an empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers (the list or an entry),
 * `count > INT32_MAX` or invalid UTF-8.
 */
pp_error pp_variant_new_packed_string_array(const char *const *strings,
                                            size_t count,
                                            struct pp_variant **out_variant);

/**
 * Appends a string to a PACKED_STRING_ARRAY variant.
 * - `text`: NUL-terminated UTF-8; copied.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when a
 * pointer is NULL, `text` is not UTF-8 or the variant is not a PACKED_STRING_ARRAY.
 */
pp_error pp_variant_packed_string_array_append(struct pp_variant *variant, const char *text);

/**
 * Replaces element `index` of a PACKED_STRING_ARRAY variant.
 * - `text`: NUL-terminated UTF-8; copied.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `text` is not UTF-8 or the variant is not a
 * PACKED_STRING_ARRAY.
 */
pp_error pp_variant_packed_string_array_set(struct pp_variant *variant, size_t index, const char *text);

/**
 * Lends element `index` of a PACKED_STRING_ARRAY variant (not NUL-terminated; valid until the
 * variant is modified or freed).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_STRING_ARRAY.
 */
pp_error pp_variant_packed_string_array_get(const struct pp_variant *variant,
                                            size_t index,
                                            const char **out_data,
                                            size_t *out_len);

/**
 * Copies element `index` of a PACKED_STRING_ARRAY variant into your buffer, NUL-terminated; see
 * `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
 * `PP_ERR_PARAMETER_RANGE_ERROR` also means `index` is not below the size (then `out_len` is not
 * written).
 */
pp_error pp_variant_packed_string_array_get_copy(const struct pp_variant *variant,
                                                 size_t index,
                                                 char *buf,
                                                 size_t cap,
                                                 size_t *out_len);

/**
 * A new VECTOR2 variant `Vector2(x, y)`.
 * Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
 * to `real_is_double`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_vector2(double x, double y, struct pp_variant **out_variant);

/**
 * The components of a VECTOR2 variant, in the order of `pp_variant_new_vector2`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * VECTOR2.
 */
pp_error pp_variant_get_vector2(const struct pp_variant *variant, double *out_x, double *out_y);

/**
 * A new VECTOR2I variant `Vector2i(x, y)`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_vector2i(int32_t x, int32_t y, struct pp_variant **out_variant);

/**
 * The components of a VECTOR2I variant, in the order of `pp_variant_new_vector2i`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * VECTOR2I.
 */
pp_error pp_variant_get_vector2i(const struct pp_variant *variant, int32_t *out_x, int32_t *out_y);

/**
 * A new RECT2 variant `Rect2(x, y, width, height)`: position, then size.
 * Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
 * to `real_is_double`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_rect2(double x,
                              double y,
                              double width,
                              double height,
                              struct pp_variant **out_variant);

/**
 * The components of a RECT2 variant, in the order of `pp_variant_new_rect2`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a RECT2.
 */
pp_error pp_variant_get_rect2(const struct pp_variant *variant,
                              double *out_x,
                              double *out_y,
                              double *out_width,
                              double *out_height);

/**
 * A new RECT2I variant `Rect2i(x, y, width, height)`: position, then size.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_rect2i(int32_t x,
                               int32_t y,
                               int32_t width,
                               int32_t height,
                               struct pp_variant **out_variant);

/**
 * The components of a RECT2I variant, in the order of `pp_variant_new_rect2i`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * RECT2I.
 */
pp_error pp_variant_get_rect2i(const struct pp_variant *variant,
                               int32_t *out_x,
                               int32_t *out_y,
                               int32_t *out_width,
                               int32_t *out_height);

/**
 * A new VECTOR3 variant `Vector3(x, y, z)`.
 * Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
 * to `real_is_double`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_vector3(double x, double y, double z, struct pp_variant **out_variant);

/**
 * The components of a VECTOR3 variant, in the order of `pp_variant_new_vector3`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * VECTOR3.
 */
pp_error pp_variant_get_vector3(const struct pp_variant *variant,
                                double *out_x,
                                double *out_y,
                                double *out_z);

/**
 * A new VECTOR3I variant `Vector3i(x, y, z)`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_vector3i(int32_t x, int32_t y, int32_t z, struct pp_variant **out_variant);

/**
 * The components of a VECTOR3I variant, in the order of `pp_variant_new_vector3i`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * VECTOR3I.
 */
pp_error pp_variant_get_vector3i(const struct pp_variant *variant,
                                 int32_t *out_x,
                                 int32_t *out_y,
                                 int32_t *out_z);

/**
 * A new VECTOR4 variant `Vector4(x, y, z, w)`.
 * Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
 * to `real_is_double`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_vector4(double x, double y, double z, double w, struct pp_variant **out_variant);

/**
 * The components of a VECTOR4 variant, in the order of `pp_variant_new_vector4`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * VECTOR4.
 */
pp_error pp_variant_get_vector4(const struct pp_variant *variant,
                                double *out_x,
                                double *out_y,
                                double *out_z,
                                double *out_w);

/**
 * A new VECTOR4I variant `Vector4i(x, y, z, w)`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_vector4i(int32_t x, int32_t y, int32_t z, int32_t w, struct pp_variant **out_variant);

/**
 * The components of a VECTOR4I variant, in the order of `pp_variant_new_vector4i`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * VECTOR4I.
 */
pp_error pp_variant_get_vector4i(const struct pp_variant *variant,
                                 int32_t *out_x,
                                 int32_t *out_y,
                                 int32_t *out_z,
                                 int32_t *out_w);

/**
 * A new PLANE variant `Plane(normal, d)`.
 * Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
 * to `real_is_double`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_plane(double normal_x,
                              double normal_y,
                              double normal_z,
                              double d,
                              struct pp_variant **out_variant);

/**
 * The components of a PLANE variant, in the order of `pp_variant_new_plane`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PLANE.
 */
pp_error pp_variant_get_plane(const struct pp_variant *variant,
                              double *out_normal_x,
                              double *out_normal_y,
                              double *out_normal_z,
                              double *out_d);

/**
 * A new QUATERNION variant `Quaternion(x, y, z, w)`.
 * Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
 * to `real_is_double`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_quaternion(double x, double y, double z, double w, struct pp_variant **out_variant);

/**
 * The components of a QUATERNION variant, in the order of `pp_variant_new_quaternion`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * QUATERNION.
 */
pp_error pp_variant_get_quaternion(const struct pp_variant *variant,
                                   double *out_x,
                                   double *out_y,
                                   double *out_z,
                                   double *out_w);

/**
 * A new AABB variant `AABB(position, size)`.
 * Components are doubles; the encoder sends them as 32-bit floats unless the codec is set
 * to `real_is_double`.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_aabb(double x,
                             double y,
                             double z,
                             double size_x,
                             double size_y,
                             double size_z,
                             struct pp_variant **out_variant);

/**
 * The components of a AABB variant, in the order of `pp_variant_new_aabb`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a AABB.
 */
pp_error pp_variant_get_aabb(const struct pp_variant *variant,
                             double *out_x,
                             double *out_y,
                             double *out_z,
                             double *out_size_x,
                             double *out_size_y,
                             double *out_size_z);

/**
 * A new COLOR variant `Color(r, g, b, a)`; always 32-bit floats, on the wire too.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
 */
pp_error pp_variant_new_color(float r, float g, float b, float a, struct pp_variant **out_variant);

/**
 * The components of a COLOR variant, in the order of `pp_variant_new_color`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a COLOR.
 */
pp_error pp_variant_get_color(const struct pp_variant *variant,
                              float *out_r,
                              float *out_g,
                              float *out_b,
                              float *out_a);

/**
 * A new TRANSFORM2D variant from 6 doubles in wire order: x axis (x, y), y axis (x, y), origin (x, y).
 * The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
 * - `values`: 6 doubles; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
 */
pp_error pp_variant_new_transform2d(const double *values, struct pp_variant **out_variant);

/**
 * The 6 values of a TRANSFORM2D variant, in wire order: x axis (x, y), y axis (x, y), origin (x, y).
 * - `out_values`: room for 6 doubles.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * TRANSFORM2D.
 */
pp_error pp_variant_get_transform2d(const struct pp_variant *variant, double *out_values);

/**
 * A new BASIS variant from 9 doubles in wire order, row-major: `rows[0][0..3]`, `rows[1][0..3]`,
 * `rows[2][0..3]`.
 * The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
 * - `values`: 9 doubles; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
 */
pp_error pp_variant_new_basis(const double *values, struct pp_variant **out_variant);

/**
 * The 9 values of a BASIS variant, in wire order, row-major: `rows[0][0..3]`, `rows[1][0..3]`,
 * `rows[2][0..3]`.
 * - `out_values`: room for 9 doubles.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a BASIS.
 */
pp_error pp_variant_get_basis(const struct pp_variant *variant, double *out_values);

/**
 * A new TRANSFORM3D variant from 12 doubles in wire order: the 9 basis values row-major as for
 * BASIS, then origin (x, y, z).
 * The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
 * - `values`: 12 doubles; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
 */
pp_error pp_variant_new_transform3d(const double *values, struct pp_variant **out_variant);

/**
 * The 12 values of a TRANSFORM3D variant, in wire order: the 9 basis values row-major as for
 * BASIS, then origin (x, y, z).
 * - `out_values`: room for 12 doubles.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * TRANSFORM3D.
 */
pp_error pp_variant_get_transform3d(const struct pp_variant *variant, double *out_values);

/**
 * A new PROJECTION variant from 16 doubles in wire order, column-major: `columns[0][0..4]` …
 * `columns[3][0..4]`.
 * The encoder sends them as 32-bit floats unless the codec is set to `real_is_double`.
 * - `values`: 16 doubles; copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
 */
pp_error pp_variant_new_projection(const double *values, struct pp_variant **out_variant);

/**
 * The 16 values of a PROJECTION variant, in wire order, column-major: `columns[0][0..4]` …
 * `columns[3][0..4]`.
 * - `out_values`: room for 16 doubles.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PROJECTION.
 */
pp_error pp_variant_get_projection(const struct pp_variant *variant, double *out_values);

/**
 * A new PACKED_BYTE_ARRAY variant.
 * - `data`, `count`: `count` bytes; `(NULL, 0)` for an empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_byte_array(const uint8_t *data, size_t count, struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_BYTE_ARRAY variant.
 * - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
 *   NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_BYTE_ARRAY.
 */
pp_error pp_variant_get_packed_byte_array(const struct pp_variant *variant,
                                          const uint8_t **out_data,
                                          size_t *out_count);

/**
 * Appends `value` to a PACKED_BYTE_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_BYTE_ARRAY.
 */
pp_error pp_variant_packed_byte_array_append(struct pp_variant *variant, uint8_t value);

/**
 * Element `index` of a PACKED_BYTE_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_BYTE_ARRAY.
 */
pp_error pp_variant_packed_byte_array_get(const struct pp_variant *variant, size_t index, uint8_t *out_value);

/**
 * Replaces element `index` of a PACKED_BYTE_ARRAY variant with `value`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_BYTE_ARRAY.
 */
pp_error pp_variant_packed_byte_array_set(struct pp_variant *variant, size_t index, uint8_t value);

/**
 * A new PACKED_INT32_ARRAY variant.
 * - `data`, `count`: `count` 32-bit integers; `(NULL, 0)` for an empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_int32_array(const int32_t *data,
                                           size_t count,
                                           struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_INT32_ARRAY variant.
 * - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
 *   NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_INT32_ARRAY.
 */
pp_error pp_variant_get_packed_int32_array(const struct pp_variant *variant,
                                           const int32_t **out_data,
                                           size_t *out_count);

/**
 * Appends `value` to a PACKED_INT32_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_INT32_ARRAY.
 */
pp_error pp_variant_packed_int32_array_append(struct pp_variant *variant, int32_t value);

/**
 * Element `index` of a PACKED_INT32_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_INT32_ARRAY.
 */
pp_error pp_variant_packed_int32_array_get(const struct pp_variant *variant,
                                           size_t index,
                                           int32_t *out_value);

/**
 * Replaces element `index` of a PACKED_INT32_ARRAY variant with `value`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_INT32_ARRAY.
 */
pp_error pp_variant_packed_int32_array_set(struct pp_variant *variant, size_t index, int32_t value);

/**
 * A new PACKED_INT64_ARRAY variant.
 * - `data`, `count`: `count` 64-bit integers; `(NULL, 0)` for an empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_int64_array(const int64_t *data,
                                           size_t count,
                                           struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_INT64_ARRAY variant.
 * - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
 *   NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_INT64_ARRAY.
 */
pp_error pp_variant_get_packed_int64_array(const struct pp_variant *variant,
                                           const int64_t **out_data,
                                           size_t *out_count);

/**
 * Appends `value` to a PACKED_INT64_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_INT64_ARRAY.
 */
pp_error pp_variant_packed_int64_array_append(struct pp_variant *variant, int64_t value);

/**
 * Element `index` of a PACKED_INT64_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_INT64_ARRAY.
 */
pp_error pp_variant_packed_int64_array_get(const struct pp_variant *variant,
                                           size_t index,
                                           int64_t *out_value);

/**
 * Replaces element `index` of a PACKED_INT64_ARRAY variant with `value`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_INT64_ARRAY.
 */
pp_error pp_variant_packed_int64_array_set(struct pp_variant *variant, size_t index, int64_t value);

/**
 * A new PACKED_FLOAT32_ARRAY variant.
 * - `data`, `count`: `count` 32-bit floats; `(NULL, 0)` for an empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_float32_array(const float *data,
                                             size_t count,
                                             struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_FLOAT32_ARRAY variant.
 * - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
 *   NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_FLOAT32_ARRAY.
 */
pp_error pp_variant_get_packed_float32_array(const struct pp_variant *variant,
                                             const float **out_data,
                                             size_t *out_count);

/**
 * Appends `value` to a PACKED_FLOAT32_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_FLOAT32_ARRAY.
 */
pp_error pp_variant_packed_float32_array_append(struct pp_variant *variant, float value);

/**
 * Element `index` of a PACKED_FLOAT32_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_FLOAT32_ARRAY.
 */
pp_error pp_variant_packed_float32_array_get(const struct pp_variant *variant,
                                             size_t index,
                                             float *out_value);

/**
 * Replaces element `index` of a PACKED_FLOAT32_ARRAY variant with `value`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_FLOAT32_ARRAY.
 */
pp_error pp_variant_packed_float32_array_set(struct pp_variant *variant, size_t index, float value);

/**
 * A new PACKED_FLOAT64_ARRAY variant.
 * - `data`, `count`: `count` 64-bit floats; `(NULL, 0)` for an empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_float64_array(const double *data,
                                             size_t count,
                                             struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_FLOAT64_ARRAY variant.
 * - `out_data`: receives a pointer to the elements, valid until the variant is modified or freed;
 *   NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_FLOAT64_ARRAY.
 */
pp_error pp_variant_get_packed_float64_array(const struct pp_variant *variant,
                                             const double **out_data,
                                             size_t *out_count);

/**
 * Appends `value` to a PACKED_FLOAT64_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_FLOAT64_ARRAY.
 */
pp_error pp_variant_packed_float64_array_append(struct pp_variant *variant, double value);

/**
 * Element `index` of a PACKED_FLOAT64_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_FLOAT64_ARRAY.
 */
pp_error pp_variant_packed_float64_array_get(const struct pp_variant *variant,
                                             size_t index,
                                             double *out_value);

/**
 * Replaces element `index` of a PACKED_FLOAT64_ARRAY variant with `value`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_FLOAT64_ARRAY.
 */
pp_error pp_variant_packed_float64_array_set(struct pp_variant *variant, size_t index, double value);

/**
 * A new PACKED_VECTOR2_ARRAY variant.
 * - `values`, `count`: `count` elements given as `2 * count` doubles (x, y, x, y, …); `(NULL, 0)`
 *   for an
 *   empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_vector2_array(const double *values,
                                             size_t count,
                                             struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_VECTOR2_ARRAY variant as a flat array of doubles.
 * - `out_values`: receives a pointer to `2 * count` doubles (x, y, …), valid until the variant is
 *   modified or freed; NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_VECTOR2_ARRAY.
 */
pp_error pp_variant_get_packed_vector2_array(const struct pp_variant *variant,
                                             const double **out_values,
                                             size_t *out_count);

/**
 * Appends (x, y) to a PACKED_VECTOR2_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_VECTOR2_ARRAY.
 */
pp_error pp_variant_packed_vector2_array_append(struct pp_variant *variant, double x, double y);

/**
 * Element `index` of a PACKED_VECTOR2_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR2_ARRAY.
 */
pp_error pp_variant_packed_vector2_array_get(const struct pp_variant *variant,
                                             size_t index,
                                             double *out_x,
                                             double *out_y);

/**
 * Replaces element `index` of a PACKED_VECTOR2_ARRAY variant with (x, y).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR2_ARRAY.
 */
pp_error pp_variant_packed_vector2_array_set(struct pp_variant *variant, size_t index, double x, double y);

/**
 * A new PACKED_VECTOR3_ARRAY variant.
 * - `values`, `count`: `count` elements given as `3 * count` doubles (x, y, z, x, y, z, …);
 *   `(NULL, 0)` for an
 *   empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_vector3_array(const double *values,
                                             size_t count,
                                             struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_VECTOR3_ARRAY variant as a flat array of doubles.
 * - `out_values`: receives a pointer to `3 * count` doubles (x, y, z, …), valid until the variant is
 *   modified or freed; NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_VECTOR3_ARRAY.
 */
pp_error pp_variant_get_packed_vector3_array(const struct pp_variant *variant,
                                             const double **out_values,
                                             size_t *out_count);

/**
 * Appends (x, y, z) to a PACKED_VECTOR3_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_VECTOR3_ARRAY.
 */
pp_error pp_variant_packed_vector3_array_append(struct pp_variant *variant, double x, double y, double z);

/**
 * Element `index` of a PACKED_VECTOR3_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR3_ARRAY.
 */
pp_error pp_variant_packed_vector3_array_get(const struct pp_variant *variant,
                                             size_t index,
                                             double *out_x,
                                             double *out_y,
                                             double *out_z);

/**
 * Replaces element `index` of a PACKED_VECTOR3_ARRAY variant with (x, y, z).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR3_ARRAY.
 */
pp_error pp_variant_packed_vector3_array_set(struct pp_variant *variant,
                                             size_t index,
                                             double x,
                                             double y,
                                             double z);

/**
 * A new PACKED_COLOR_ARRAY variant.
 * - `values`, `count`: `count` elements given as `4 * count` floats (r, g, b, a, r, g, b, a, …);
 *   `(NULL, 0)` for an
 *   empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_color_array(const float *values,
                                           size_t count,
                                           struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_COLOR_ARRAY variant as a flat array of floats.
 * - `out_values`: receives a pointer to `4 * count` floats (r, g, b, a, …), valid until the variant is
 *   modified or freed; NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_COLOR_ARRAY.
 */
pp_error pp_variant_get_packed_color_array(const struct pp_variant *variant,
                                           const float **out_values,
                                           size_t *out_count);

/**
 * Appends (r, g, b, a) to a PACKED_COLOR_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_COLOR_ARRAY.
 */
pp_error pp_variant_packed_color_array_append(struct pp_variant *variant, float r, float g, float b, float a);

/**
 * Element `index` of a PACKED_COLOR_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_COLOR_ARRAY.
 */
pp_error pp_variant_packed_color_array_get(const struct pp_variant *variant,
                                           size_t index,
                                           float *out_r,
                                           float *out_g,
                                           float *out_b,
                                           float *out_a);

/**
 * Replaces element `index` of a PACKED_COLOR_ARRAY variant with (r, g, b, a).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_COLOR_ARRAY.
 */
pp_error pp_variant_packed_color_array_set(struct pp_variant *variant,
                                           size_t index,
                                           float r,
                                           float g,
                                           float b,
                                           float a);

/**
 * A new PACKED_VECTOR4_ARRAY variant.
 * - `values`, `count`: `count` elements given as `4 * count` doubles (x, y, z, w, x, y, z, w, …);
 *   `(NULL, 0)` for an
 *   empty array. Copied.
 * - `out_variant`: receives the new variant; free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers or `count > INT32_MAX`.
 */
pp_error pp_variant_new_packed_vector4_array(const double *values,
                                             size_t count,
                                             struct pp_variant **out_variant);

/**
 * Lends the elements of a PACKED_VECTOR4_ARRAY variant as a flat array of doubles.
 * - `out_values`: receives a pointer to `4 * count` doubles (x, y, z, w, …), valid until the
 *   variant is
 *   modified or freed; NULL when the array is empty.
 * - `out_count`: receives the number of elements.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
 * PACKED_VECTOR4_ARRAY.
 */
pp_error pp_variant_get_packed_vector4_array(const struct pp_variant *variant,
                                             const double **out_values,
                                             size_t *out_count);

/**
 * Appends (x, y, z, w) to a PACKED_VECTOR4_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` at INT32_MAX elements; `PP_ERR_INVALID_PARAMETER` when
 * `variant` is NULL or not a PACKED_VECTOR4_ARRAY.
 */
pp_error pp_variant_packed_vector4_array_append(struct pp_variant *variant,
                                                double x,
                                                double y,
                                                double z,
                                                double w);

/**
 * Element `index` of a PACKED_VECTOR4_ARRAY variant.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a PACKED_VECTOR4_ARRAY.
 */
pp_error pp_variant_packed_vector4_array_get(const struct pp_variant *variant,
                                             size_t index,
                                             double *out_x,
                                             double *out_y,
                                             double *out_z,
                                             double *out_w);

/**
 * Replaces element `index` of a PACKED_VECTOR4_ARRAY variant with (x, y, z, w).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
 * `PP_ERR_INVALID_PARAMETER` when `variant` is NULL or not a PACKED_VECTOR4_ARRAY.
 */
pp_error pp_variant_packed_vector4_array_set(struct pp_variant *variant,
                                             size_t index,
                                             double x,
                                             double y,
                                             double z,
                                             double w);

/**
 * A new codec with the engine's defaults: Godot 4 dialect, real_t as 32-bit float, objects sent as
 * ids, full objects refused on decode, depth limit 1024, no element or byte limit.
 * - `out_codec`: receives the codec; free it with `pp_codec_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_codec` is NULL.
 */
pp_error pp_codec_new(struct pp_codec **out_codec);

/**
 * Frees a codec. NULL is a no-op.
 */
void pp_codec_free(struct pp_codec *codec);

/**
 * Sets the type-id table used to encode and decode.
 * - `dialect`: a `pp_dialect` value (`PP_DIALECT_GODOT4`, the default, `PP_DIALECT_REDOT_STRUCT`
 *   or `PP_DIALECT_GODOT3`).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL or `dialect` is unknown.
 */
pp_error pp_codec_set_dialect(struct pp_codec *codec, int32_t dialect);

/**
 * The codec's dialect; `PP_DIALECT_GODOT4` when `codec` is NULL.
 */
pp_dialect pp_codec_get_dialect(const struct pp_codec *codec);

/**
 * Whether the Godot 3 encoder converts values Godot 3 has no type for, where a conversion is
 * documented, instead of refusing them (`docs/wire-format.md` §19). Default false. Only the
 * `PP_DIALECT_GODOT3` encoder (and `pp_codec_translate` towards it) looks at it. The conversions:
 * StringName → String; Vector2i, Rect2i, Vector3i → Vector2, Rect2, Vector3 when every component
 * is exactly a 32-bit float; PackedInt64Array → PoolIntArray when every value fits in 32 bits;
 * PackedFloat64Array → PoolRealArray (each value rounded to 32 bits: the loss); typed Array and
 * Dictionary → untyped; an RID with a non-zero id → Godot 3's payload-less RID. Anything else, and
 * anything that does not fit, is still refused with `PP_ERR_INVALID_PARAMETER`: Vector4, Vector4i,
 * Projection, Callable, Signal, PackedVector4Array.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
 */
pp_error pp_codec_set_godot3_lossy(struct pp_codec *codec, bool enabled);

/**
 * Whether the encoder writes real_t components (vectors, transforms, …) as 64-bit floats with
 * FLAG_64, like a `precision=double` engine build. Default false. The decoder always follows the flag.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
 */
pp_error pp_codec_set_real_is_double(struct pp_codec *codec, bool enabled);

/**
 * Whether the encoder sends objects in full (`var_to_bytes_with_objects`) instead of as instance ids.
 * Default false.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
 */
pp_error pp_codec_set_full_objects(struct pp_codec *codec, bool enabled);

/**
 * Whether the decoder accepts objects sent in full (`bytes_to_var_with_objects`); when false they
 * fail with `PP_ERR_UNAUTHORIZED`. Default false. Objects sent as ids are always accepted.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
 */
pp_error pp_codec_set_allow_objects(struct pp_codec *codec, bool enabled);

/**
 * The deepest nesting the decoder accepts; deeper data fails with `PP_ERR_OUT_OF_MEMORY`, the
 * engine's code. Default and maximum: 1024, the engine's limit.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL or `max_depth > 1024`.
 */
pp_error pp_codec_set_max_depth(struct pp_codec *codec, uint32_t max_depth);

/**
 * The most values (elements, keys, values, properties, packed items) one decode may build.
 * Default SIZE_MAX: no limit beyond what the input itself can describe. Any value is accepted.
 * A decode that goes past it fails with `PP_ERR_OUT_OF_MEMORY`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
 */
pp_error pp_codec_set_max_elements(struct pp_codec *codec, size_t max_elements);

/**
 * The most bytes of memory one decoded value may hold (approximate: a fixed size per value plus
 * string and packed-array contents). Default SIZE_MAX: no limit beyond what the input itself can
 * describe. Any value is accepted. A decode that goes past it fails with `PP_ERR_OUT_OF_MEMORY`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `codec` is NULL.
 */
pp_error pp_codec_set_max_bytes(struct pp_codec *codec, size_t max_bytes);

/**
 * The number of bytes `pp_codec_encode` would produce for `variant`.
 * - `out_len`: receives the length.
 *
 * Returns `PP_OK`, the encoder's error (see `pp_var_to_bytes`), or `PP_ERR_INVALID_PARAMETER` for
 * NULL pointers. Sets the codec's last error.
 */
pp_error pp_codec_encoded_len(struct pp_codec *codec, const struct pp_variant *variant, size_t *out_len);

/**
 * Encodes `variant` with the codec's settings.
 * - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
 *   `pp_bytes_free(data, len)`.
 *
 * Returns `PP_OK`, the encoder's error (see `pp_var_to_bytes`), or `PP_ERR_INVALID_PARAMETER` for
 * NULL pointers. Sets the codec's last error.
 */
pp_error pp_codec_encode(struct pp_codec *codec,
                         const struct pp_variant *variant,
                         uint8_t **out_data,
                         size_t *out_len);

/**
 * Encodes `variant` with the codec's settings into your buffer.
 * - `buf`, `cap`: your buffer and its size; `(NULL, 0)` only asks for the size.
 * - `out_len`: receives the encoded length. When `cap` is too small the call returns
 *   `PP_ERR_PARAMETER_RANGE_ERROR`, writes nothing to `buf`, and still sets `*out_len` to the size
 *   needed (the one failure that writes an out-param).
 *
 * The codec encodes into a buffer of its own (at most `cap` bytes), then copies; it keeps that
 * buffer for the next call while it is 64 KiB or smaller, so repeated calls allocate nothing.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` as above; the encoder's error (see
 * `pp_var_to_bytes`); `PP_ERR_INVALID_PARAMETER` for NULL pointers, `buf` NULL with `cap > 0`, or
 * `cap > INT32_MAX`. Sets the codec's last error.
 */
pp_error pp_codec_encode_into(struct pp_codec *codec,
                              const struct pp_variant *variant,
                              uint8_t *buf,
                              size_t cap,
                              size_t *out_len);

/**
 * Decodes one value from the start of `data` with the codec's settings. Trailing bytes are not an
 * error (the engine ignores them); `out_consumed` tells how many bytes the value used, so a strict
 * caller can reject leftovers.
 * - `data`, `len`: the bytes; `(NULL, 0)` is an empty buffer. Copied; not kept.
 * - `out_variant`: receives the value; free it with `pp_variant_free`.
 * - `out_consumed`: if not NULL, receives the bytes used (at most `len`).
 *
 * Returns `PP_OK`; the decoder's error (`PP_ERR_INVALID_DATA`, `PP_ERR_FILE_EOF`,
 * `PP_ERR_UNAUTHORIZED`, `PP_ERR_OUT_OF_MEMORY` beyond the depth or size limits, `PP_ERR_BUG` for a
 * STRUCT in the Redot dialect, ...); `PP_ERR_INVALID_PARAMETER` for NULL pointers or `len >
 * INT32_MAX`. Sets the codec's last error, with the byte offset where decoding failed.
 */
pp_error pp_codec_decode(struct pp_codec *codec,
                         const uint8_t *data,
                         size_t len,
                         struct pp_variant **out_variant,
                         size_t *out_consumed);

/**
 * Decodes one value from the start of `data` with the codec's decode settings and dialect, and
 * encodes it with the codec's encode settings in `to_dialect`, in one call: a relay between a
 * Godot 3 and a Godot 4 game uses a codec in one dialect and the other as `to_dialect`
 * (`docs/wire-format.md` §19). Trailing bytes are not translated (`out_consumed` tells where the
 * value ended).
 * - `data`, `len`: the bytes; `(NULL, 0)` is an empty buffer. Not kept.
 * - `to_dialect`: a `pp_dialect` value for the output.
 * - `out_data`, `out_len`: receive a new buffer of exactly `*out_len` bytes; free it with
 *   `pp_bytes_free(data, len)`.
 * - `out_consumed`: if not NULL, receives the input bytes used (at most `len`).
 *
 * Returns `PP_OK`; the decoder's error (see `pp_codec_decode`); the encoder's error (e.g.
 * `PP_ERR_INVALID_PARAMETER` for a value the target dialect has no type for, such as a StringName
 * towards Godot 3 without `pp_codec_set_godot3_lossy`); `PP_ERR_INVALID_PARAMETER` for NULL
 * pointers, an unknown `to_dialect` or `len > INT32_MAX`. Sets the codec's last error; its offset is
 * into the input for a decode error and into the output for an encode error (a reason starting
 * with "Godot 3 has no" is always an encode refusal).
 */
pp_error pp_codec_translate(struct pp_codec *codec,
                            const uint8_t *data,
                            size_t len,
                            int32_t to_dialect,
                            uint8_t **out_data,
                            size_t *out_len,
                            size_t *out_consumed);

/**
 * How the codec's last encode/decode call ended.
 * - `out_code`: receives its result (`PP_OK` if it succeeded or no call was made yet).
 * - `out_offset`: receives the byte offset where the codec detected the error (0 on success or for
 *   argument errors).
 * - `out_reason`: receives a short English reason, NUL-terminated (`""` on success), owned by the
 *   codec
 *   and valid until its next call or `pp_codec_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL.
 */
pp_error pp_codec_get_last_error(const struct pp_codec *codec,
                                 pp_error *out_code,
                                 size_t *out_offset,
                                 const char **out_reason);

/** @} */

/* ====================================================================================================
 * 3. PacketPeer: the calls every packet peer answers
 * ==================================================================================================== */

/**
 * @defgroup pp_packet_peer PacketPeer: the calls every packet peer answers
 *
 * Godot's PacketPeer. A pp_peer is a peer of any packet class (PacketPeerStream,
 * PacketPeerUDP, PacketPeerExtension, ENetPacketPeer, every MultiplayerPeer) and these
 * calls work on all of them: pp_put_packet / pp_get_packet move one packet, pp_put_var
 * / pp_get_var one Variant in Godot's binary format, pp_get_available_packet_count
 * tells how many are ready (transports that poll do it there). The bytes pp_get_packet
 * lends live until the next pp_get_packet, pp_get_var or free on that peer.
 *
 * Lifecycle: each class has its constructor in its own group; every peer is freed with
 * pp_peer_free, except lent peers (the ENet peers of a connection or of an
 * ENetMultiplayerPeer), which their owner frees; pp_peer_free ignores them.
 *
 * @{
 */

/**
 * Sends one packet on any peer (PacketPeer.put_packet).
 *
 * - `peer`: the peer.
 * - `data`, `len`: the payload, copied before the call returns. An empty buffer (`len == 0`, `data` may
 *   be NULL) returns `PP_OK` and sends nothing, as Godot's script binding does.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL `peer`, `data == NULL` with `len > 0`,
 * `len > INT32_MAX`), or the transport's error (PacketPeerStream: `PP_ERR_UNCONFIGURED` without a stream,
 * `PP_ERR_INVALID_PARAMETER` above `output_buffer_max_size`, the stream's error such as `PP_ERR_BUSY`).
 */
pp_error pp_put_packet(struct pp_peer *peer, const uint8_t *data, size_t len);

/**
 * Pops the next packet of any peer (PacketPeer.get_packet). Also records the result for
 * `pp_get_packet_error`.
 *
 * - `peer`: the peer.
 * - `out_data`, `out_len`: receive the packet. **Borrowed**: the bytes stay valid until the next
 *   `pp_get_packet` or `pp_get_var` on this peer (through any handle) or until the peer is freed; copy
 *   them to keep them. An empty packet gives `*out_data == NULL`, `*out_len == 0`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; else the transport's error
 * (typically `PP_ERR_UNAVAILABLE` when no packet is ready; PacketPeerStream: `PP_ERR_UNCONFIGURED`
 * without a stream, `PP_ERR_OUT_OF_MEMORY` once the remote announced a frame longer than
 * `input_buffer_max_size`).
 */
pp_error pp_get_packet(struct pp_peer *peer, const uint8_t **out_data, size_t *out_len);

/**
 * Encodes a Variant (Godot's binary format) and sends it as one packet (PacketPeer.put_var).
 *
 * - `peer`: the peer. `value`: the value, read during the call only.
 * - `full_objects`: send objects in full instead of as instance ids.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; the encoder's error (e.g.
 * `PP_ERR_OUT_OF_MEMORY` when nested too deep); `PP_ERR_OUT_OF_MEMORY` when the encoding is larger than
 * `encode_buffer_max_size`; else what `pp_put_packet` would return.
 */
pp_error pp_put_var(struct pp_peer *peer, const struct pp_variant *value, bool full_objects);

/**
 * Pops the next packet and decodes it as a Variant (PacketPeer.get_var); trailing bytes are ignored.
 * Unlike the engine (which forgets), the result is also recorded for `pp_get_packet_error`.
 *
 * - `peer`: the peer.
 * - `allow_objects`: accept objects sent in full; otherwise they give `PP_ERR_UNAUTHORIZED`.
 * - `out_value`: receives a new Variant, **owned** by the caller: free it with `pp_variant_free`.
 *
 * Ends the lifetime of the last `pp_get_packet` bytes of this peer. Returns `PP_OK`,
 * `PP_ERR_INVALID_PARAMETER` for a NULL argument, the `pp_get_packet` error, or the decoder's error
 * (e.g. `PP_ERR_INVALID_DATA`).
 */
pp_error pp_get_var(struct pp_peer *peer, bool allow_objects, struct pp_variant **out_value);

/**
 * Number of packets ready to read (PacketPeer.get_available_packet_count). Transports that poll do it
 * here.
 *
 * - `peer`: the peer. `out_count`: receives the count (never negative).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; `PP_FAILED` where the engine's
 * method returns -1 (PacketPeerUDP whose socket is not open or reported a receive error) and where an
 * extension's `get_available_packet_count` callback returns a negative value: the C API has no -1
 * sentinel.
 */
pp_error pp_get_available_packet_count(struct pp_peer *peer, int32_t *out_count);

/**
 * The error of the last `pp_get_packet` or `pp_get_var` on this peer (PacketPeer.get_packet_error);
 * `PP_OK` before any. Returns `PP_ERR_INVALID_PARAMETER` for a NULL `peer`.
 */
pp_error pp_get_packet_error(struct pp_peer *peer);

/**
 * The transport's informational maximum packet size (PacketPeer.get_max_packet_size; PacketPeerStream:
 * the output buffer size including the 4-byte header, 65536 by default).
 *
 * - `peer`: the peer. `out_size`: receives the size.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument.
 */
pp_error pp_get_max_packet_size(struct pp_peer *peer, int32_t *out_size);

/**
 * The largest encoding `pp_put_var` sends (PacketPeer.encode_buffer_max_size, default 8388608).
 *
 * - `peer`: the peer. `out_size`: receives the size.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument.
 */
pp_error pp_get_encode_buffer_max_size(struct pp_peer *peer, int32_t *out_size);

/**
 * Sets the largest encoding `pp_put_var` sends, rounded up to a power of two (2000 → 2048).
 *
 * - `peer`: the peer. `size`: 1024 ..= 268435456.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer` or a size out of range (no change;
 * the engine only prints an error).
 */
pp_error pp_set_encode_buffer_max_size(struct pp_peer *peer, int32_t size);

/**
 * Sets the dialect `pp_put_var` encodes and `pp_get_var` decodes with on this peer (the codec's
 * `pp_codec_set_dialect` for a PacketPeer). Default `PP_DIALECT_GODOT4`. A peer talking to a Godot 3
 * game sets `PP_DIALECT_GODOT3` (`docs/wire-format.md` §19).
 *
 * - `peer`: the peer. `dialect`: a `pp_dialect` value.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer` or an unknown `dialect` (no change).
 */
pp_error pp_set_var_dialect(struct pp_peer *peer, int32_t dialect);

/**
 * The dialect of this peer's `pp_put_var` / `pp_get_var`.
 *
 * - `peer`: the peer. `out_dialect`: receives the `pp_dialect`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument.
 */
pp_error pp_get_var_dialect(struct pp_peer *peer, pp_dialect *out_dialect);

/**
 * Whether this peer's `pp_put_var` in `PP_DIALECT_GODOT3` converts values Godot 3 has no type for,
 * where a conversion is documented, instead of refusing them (the conversions of
 * `pp_codec_set_godot3_lossy`). Default false.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer`.
 */
pp_error pp_set_var_godot3_lossy(struct pp_peer *peer, bool enabled);

/**
 * Frees a peer handle of any class. NULL is a no-op. The object itself lives on while something else
 * still uses it. A lent handle (one that its owner lends out and documents as such, e.g. the peers of
 * an ENet connection) is not freed by this call: its owner releases it. A handle of another type is
 * ignored where the library can tell (best effort).
 */
void pp_peer_free(struct pp_peer *peer);

/** @} */

/* ====================================================================================================
 * 4. StreamPeer: the calls every byte stream answers
 * ==================================================================================================== */

/**
 * @defgroup pp_stream_peer StreamPeer: the calls every byte stream answers
 *
 * Godot's StreamPeer. A pp_stream_peer is a stream of any class (StreamPeerBuffer, the
 * in-memory pipe, StreamPeerTCP, StreamPeerExtension) and these calls work on all of
 * them. put_data / get_data move all the bytes or fail (Godot's blocking calls);
 * put_partial_data / get_partial_data move what is possible now. The typed helpers
 * (pp_stream_peer_put_u16, _get_double, _put_utf8_string, _put_var, ...) use the
 * stream's byte order, little-endian unless pp_stream_peer_set_big_endian. Strings
 * from pp_stream_peer_get_string / _get_utf8_string are yours: free them with
 * pp_string_free.
 *
 * Lifecycle: made by its class's constructor, freed with pp_stream_peer_free. The
 * object lives on while another handle or a PacketPeerStream still uses it.
 *
 * @{
 */

/**
 * Writes all of `data` to any stream (StreamPeer.put_data; blocking in Godot's sense: all bytes or an
 * error). Input is copied.
 *
 * - `stream`: the stream. `data`, `len`: the bytes; `(NULL, 0)` is an empty write.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error (pipe: `PP_ERR_BUSY`
 * when the bytes do not all fit now — nothing is written; TCP: `PP_FAILED` when not connected …).
 */
pp_error pp_stream_peer_put_data(struct pp_stream_peer *stream, const uint8_t *data, size_t len);

/**
 * Writes what fits now (StreamPeer.put_partial_data; non-blocking).
 *
 * - `stream`: the stream. `data`, `len`: the bytes. `out_sent`: receives how many were written (maybe 0).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error.
 */
pp_error pp_stream_peer_put_partial_data(struct pp_stream_peer *stream,
                                         const uint8_t *data,
                                         size_t len,
                                         size_t *out_sent);

/**
 * Reads exactly `len` bytes into `buf` (StreamPeer.get_data; blocking in Godot's sense).
 *
 * - `stream`: the stream. `buf`, `len`: where to put them (`(NULL, 0)` reads nothing). On error the
 *   contents of `buf` are unspecified (StreamPeerBuffer, like the engine, copies and consumes what is
 *   left before failing).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error (StreamPeerBuffer:
 * `PP_ERR_INVALID_PARAMETER` when fewer bytes are left; pipe: `PP_ERR_BUSY` when not all are there yet —
 * nothing consumed — and `PP_ERR_FILE_EOF` after the other end closed).
 */
pp_error pp_stream_peer_get_data(struct pp_stream_peer *stream, uint8_t *buf, size_t len);

/**
 * Reads what is available now, up to `len` bytes (StreamPeer.get_partial_data; non-blocking).
 *
 * - `stream`: the stream. `buf`, `len`: where to put them. `out_received`: receives the count (maybe 0).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for bad arguments, or the stream's error (pipe:
 * `PP_ERR_FILE_EOF` once the other end closed and everything was read).
 */
pp_error pp_stream_peer_get_partial_data(struct pp_stream_peer *stream,
                                         uint8_t *buf,
                                         size_t len,
                                         size_t *out_received);

/**
 * Bytes readable now without blocking (StreamPeer.get_available_bytes).
 *
 * - `stream`: the stream. `out_bytes`: receives the count.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL argument; `PP_FAILED` when the stream reports an
 * error (the engine's -1).
 */
pp_error pp_stream_peer_get_available_bytes(struct pp_stream_peer *stream, int32_t *out_bytes);

/**
 * Sets the byte order of the typed helpers (StreamPeer.big_endian; default false = little-endian).
 * It never affects PacketPeerStream framing.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `stream`.
 */
pp_error pp_stream_peer_set_big_endian(struct pp_stream_peer *stream, bool big_endian);

/**
 * Whether the typed helpers use big-endian. False for a NULL `stream`.
 */
bool pp_stream_peer_is_big_endian(struct pp_stream_peer *stream);

/**
 * Writes a signed 8-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_8).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_8(struct pp_stream_peer *stream, int8_t value);

/**
 * Reads a signed 8-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_8) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_8(struct pp_stream_peer *stream,
                              int8_t *out_value);

/**
 * Writes an unsigned 8-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u8).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_u8(struct pp_stream_peer *stream, uint8_t value);

/**
 * Reads an unsigned 8-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u8) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_u8(struct pp_stream_peer *stream,
                               uint8_t *out_value);

/**
 * Writes a signed 16-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_16).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_16(struct pp_stream_peer *stream, int16_t value);

/**
 * Reads a signed 16-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_16) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_16(struct pp_stream_peer *stream,
                               int16_t *out_value);

/**
 * Writes an unsigned 16-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u16).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_u16(struct pp_stream_peer *stream, uint16_t value);

/**
 * Reads an unsigned 16-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u16) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_u16(struct pp_stream_peer *stream,
                                uint16_t *out_value);

/**
 * Writes a signed 32-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_32).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_32(struct pp_stream_peer *stream, int32_t value);

/**
 * Reads a signed 32-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_32) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_32(struct pp_stream_peer *stream,
                               int32_t *out_value);

/**
 * Writes an unsigned 32-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u32).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_u32(struct pp_stream_peer *stream, uint32_t value);

/**
 * Reads an unsigned 32-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u32) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_u32(struct pp_stream_peer *stream,
                                uint32_t *out_value);

/**
 * Writes a signed 64-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_64).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_64(struct pp_stream_peer *stream, int64_t value);

/**
 * Reads a signed 64-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_64) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_64(struct pp_stream_peer *stream,
                               int64_t *out_value);

/**
 * Writes an unsigned 64-bit integer in the stream's byte order with a blocking put_data (StreamPeer.put_u64).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_u64(struct pp_stream_peer *stream, uint64_t value);

/**
 * Reads an unsigned 64-bit integer in the stream's byte order with a blocking get_data (StreamPeer.get_u64) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_u64(struct pp_stream_peer *stream,
                                uint64_t *out_value);

/**
 * Writes a half float (2 bytes; converted like the engine: mantissa truncated, magnitudes below 2^-14 become +0) in the stream's byte order with a blocking put_data (StreamPeer.put_half).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_half(struct pp_stream_peer *stream,
                                 float value);

/**
 * Reads a half float (2 bytes; converted like the engine: mantissa truncated, magnitudes below 2^-14 become +0) in the stream's byte order with a blocking get_data (StreamPeer.get_half) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_half(struct pp_stream_peer *stream,
                                 float *out_value);

/**
 * Writes a 32-bit float in the stream's byte order with a blocking put_data (StreamPeer.put_float).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_float(struct pp_stream_peer *stream, float value);

/**
 * Reads a 32-bit float in the stream's byte order with a blocking get_data (StreamPeer.get_float) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_float(struct pp_stream_peer *stream,
                                  float *out_value);

/**
 * Writes a 64-bit float in the stream's byte order with a blocking put_data (StreamPeer.put_double).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL `stream`, or the stream's error.
 */
pp_error pp_stream_peer_put_double(struct pp_stream_peer *stream, double value);

/**
 * Reads a 64-bit float in the stream's byte order with a blocking get_data (StreamPeer.get_double) into `out_value`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, or the stream's error
 * (StreamPeerBuffer: `PP_ERR_INVALID_PARAMETER` when too few bytes are left; pipe: `PP_ERR_BUSY`).
 */
pp_error pp_stream_peer_get_double(struct pp_stream_peer *stream,
                                   double *out_value);

/**
 * Writes a string as u32 length (stream byte order) + ASCII bytes, no terminator (StreamPeer.put_string).
 * Like the engine, each character that is not ASCII is written as `?`.
 *
 * - `stream`: the stream. `string`: NUL-terminated UTF-8.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument or invalid UTF-8, or the stream's error.
 */
pp_error pp_stream_peer_put_string(struct pp_stream_peer *stream, const char *string);

/**
 * Writes a string as u32 length (stream byte order) + UTF-8 bytes, no terminator
 * (StreamPeer.put_utf8_string).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument or invalid UTF-8, or the stream's error.
 */
pp_error pp_stream_peer_put_utf8_string(struct pp_stream_peer *stream, const char *string);

/**
 * Reads a string (StreamPeer.get_string): `bytes` bytes, or when `bytes < 0` an i32 length (stream byte
 * order) first. The bytes are Latin-1, as in the engine; the string ends at the first NUL.
 *
 * - `out_string`: receives a new NUL-terminated UTF-8 string, **owned**: free it with
 *   `pp_string_free`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, `PP_ERR_INVALID_DATA` for a negative
 * length on the stream, or the stream's error.
 */
pp_error pp_stream_peer_get_string(struct pp_stream_peer *stream, int32_t bytes, char **out_string);

/**
 * Reads a UTF-8 string (StreamPeer.get_utf8_string), like `pp_stream_peer_get_string`; invalid UTF-8
 * becomes U+FFFD.
 *
 * - `out_string`: receives a new string, **owned**: free it with `pp_string_free`.
 *
 * Returns as `pp_stream_peer_get_string`.
 */
pp_error pp_stream_peer_get_utf8_string(struct pp_stream_peer *stream, int32_t bytes, char **out_string);

/**
 * Writes a Variant as u32 length (in the stream's byte order, unlike PacketPeerStream framing) + its
 * binary encoding (StreamPeer.put_var).
 *
 * - `stream`: the stream. `value`: read during the call only. `full_objects`: send objects in full.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, the encoder's error,
 * `PP_ERR_OUT_OF_MEMORY` above 256 MiB, or the stream's error.
 */
pp_error pp_stream_peer_put_var(struct pp_stream_peer *stream,
                                const struct pp_variant *value,
                                bool full_objects);

/**
 * Reads a Variant written by `pp_stream_peer_put_var` (StreamPeer.get_var).
 *
 * - `allow_objects`: accept objects sent in full.
 * - `out_value`: receives a new Variant, **owned**: free it with `pp_variant_free`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for a NULL argument, `PP_ERR_INVALID_DATA` for a negative
 * length, `PP_ERR_OUT_OF_MEMORY` for a length above 256 MiB (nothing more is read), the stream's error, or
 * the decoder's error.
 */
pp_error pp_stream_peer_get_var(struct pp_stream_peer *stream,
                                bool allow_objects,
                                struct pp_variant **out_value);

/**
 * Frees a stream handle of any class. NULL is a no-op. The stream object lives on while something else
 * (another handle, a PacketPeerStream) still uses it; a pipe end closes when its last user lets go.
 */
void pp_stream_peer_free(struct pp_stream_peer *stream);

/** @} */

/* ====================================================================================================
 * 5. StreamPeerBuffer and the in-memory pipe
 * ==================================================================================================== */

/**
 * @defgroup pp_stream_peer_buffer StreamPeerBuffer and the in-memory pipe
 *
 * Godot's StreamPeerBuffer: an in-memory byte array with a cursor; writes grow it,
 * reads advance the cursor. Make it with pp_stream_peer_buffer_new, use the StreamPeer
 * calls and seek / resize / clear / data_array here, free it with pp_stream_peer_free.
 *
 * The pipe is not a Godot class: pp_stream_peer_pipe_new makes two connected streams,
 * like socketpair (bytes written on one end are read on the other; 1 MiB per direction
 * unless made with pp_stream_peer_pipe_new_with_capacity), e.g. to run a
 * PacketPeerStream without a socket. Free each end with pp_stream_peer_free. When an
 * end is closed (pp_stream_peer_pipe_close, or its last user lets go) the other end
 * reads what was already sent, then PP_ERR_FILE_EOF.
 *
 * @{
 */

/**
 * Creates an empty StreamPeerBuffer (an in-memory stream with a cursor; writes grow it).
 *
 * - `out_stream`: receives the handle; free it with `pp_stream_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `out_stream`.
 */
pp_error pp_stream_peer_buffer_new(struct pp_stream_peer **out_stream);

/**
 * Moves the cursor of a StreamPeerBuffer (StreamPeerBuffer.seek).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream` or a
 * position outside `0 ..= size` (no change; the engine only prints an error).
 */
pp_error pp_stream_peer_buffer_seek(struct pp_stream_peer *stream, int32_t position);

/**
 * The cursor of a StreamPeerBuffer (StreamPeerBuffer.get_position), into `out_position`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream of another class.
 */
pp_error pp_stream_peer_buffer_get_position(struct pp_stream_peer *stream, int32_t *out_position);

/**
 * The size of a StreamPeerBuffer's array (StreamPeerBuffer.get_size), into `out_size`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream of another class.
 */
pp_error pp_stream_peer_buffer_get_size(struct pp_stream_peer *stream, int32_t *out_size);

/**
 * Grows (with zeros) or truncates a StreamPeerBuffer's array; the cursor is unchanged
 * (StreamPeerBuffer.resize).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream` or a
 * negative size.
 */
pp_error pp_stream_peer_buffer_resize(struct pp_stream_peer *stream, int32_t size);

/**
 * Empties a StreamPeerBuffer and moves its cursor to 0 (StreamPeerBuffer.clear).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream`.
 */
pp_error pp_stream_peer_buffer_clear(struct pp_stream_peer *stream);

/**
 * A new StreamPeerBuffer with a copy of the array, cursor at 0 (StreamPeerBuffer.duplicate).
 *
 * - `out_copy`: receives the new handle; free it with `pp_stream_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream of another class.
 */
pp_error pp_stream_peer_buffer_duplicate(struct pp_stream_peer *stream, struct pp_stream_peer **out_copy);

/**
 * Replaces a StreamPeerBuffer's array with a copy of `data` and moves the cursor to 0
 * (StreamPeerBuffer.data_array setter).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-StreamPeerBuffer `stream` or a bad
 * buffer.
 */
pp_error pp_stream_peer_buffer_set_data_array(struct pp_stream_peer *stream, const uint8_t *data, size_t len);

/**
 * Copies a StreamPeerBuffer's whole array (StreamPeerBuffer.data_array getter) into the caller's buffer.
 *
 * - `out_buf`, `buf_len`: where to copy; `buf_len` must be at least the size (see
 *   `pp_stream_peer_buffer_get_size`). `(NULL, 0)` works for an empty array.
 * - `out_len`: receives the number of bytes copied (the size).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a stream of another class or a
 * buffer too small (nothing copied).
 */
pp_error pp_stream_peer_buffer_get_data_array(struct pp_stream_peer *stream,
                                              uint8_t *out_buf,
                                              size_t buf_len,
                                              size_t *out_len);

/**
 * Creates a connected in-memory stream pair, like `socketpair`: bytes written on one end are read on
 * the other. Each direction holds up to 1 MiB (see `pp_stream_peer_pipe_new_with_capacity`).
 *
 * Non-blocking rules (a pipe used from one thread cannot block): `pp_stream_peer_put_data` writes all
 * or nothing and returns `PP_ERR_BUSY` when the bytes do not fit now; `pp_stream_peer_get_data` reads
 * all or nothing and returns `PP_ERR_BUSY` when they are not all there; more than the capacity is
 * `PP_ERR_INVALID_PARAMETER`. Closing an end (`pp_stream_peer_pipe_close`, or freeing its last user)
 * works like closing a TCP socket: the other end reads what was sent, then gets `PP_ERR_FILE_EOF`; its
 * writes get `PP_FAILED`. Each end may be used from its own thread. The typed helpers are all or
 * nothing per read, but a string or Variant read is two reads (length, then bytes): when only the
 * length has arrived it is consumed and the call returns `PP_ERR_BUSY`, so check
 * `pp_stream_peer_get_available_bytes` first (PacketPeerStream framing has no such issue).
 *
 * - `out_a`, `out_b`: receive the two ends; free each with `pp_stream_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument (nothing is created).
 */
pp_error pp_stream_peer_pipe_new(struct pp_stream_peer **out_a, struct pp_stream_peer **out_b);

/**
 * Like `pp_stream_peer_pipe_new`, with `capacity` bytes per direction (1 ..= INT32_MAX; memory is
 * allocated as data arrives).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a capacity out of range.
 */
pp_error pp_stream_peer_pipe_new_with_capacity(size_t capacity,
                                               struct pp_stream_peer **out_a,
                                               struct pp_stream_peer **out_b);

/**
 * Closes one end of a pipe (like closing a socket): its unread input is dropped; the other end reads
 * what was already sent, then `PP_ERR_FILE_EOF`. Calls on the closed end return `PP_FAILED`. Closing
 * twice is harmless.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `stream` or one that is not a pipe end.
 */
pp_error pp_stream_peer_pipe_close(struct pp_stream_peer *stream);

/**
 * Whether a pipe end is open: not closed itself, and the other end is open or still has data for it.
 *
 * - `out_open`: receives the state.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a stream that is not a pipe end.
 */
pp_error pp_stream_peer_pipe_is_open(struct pp_stream_peer *stream, bool *out_open);

/** @} */

/* ====================================================================================================
 * 6. PacketPeerStream: packets over a StreamPeer
 * ==================================================================================================== */

/**
 * @defgroup pp_packet_peer_stream PacketPeerStream: packets over a StreamPeer
 *
 * Godot's PacketPeerStream: packets over any StreamPeer, each framed as a u32
 * little-endian length + payload. Make it with pp_packet_peer_stream_new, give it a
 * stream with pp_packet_peer_stream_set_stream_peer (a StreamPeerTCP, a pipe end, an
 * extension stream), then use the PacketPeer calls; free it with pp_peer_free.
 *
 * It keeps its own reference to the stream: your stream handle stays yours to use and
 * to free. Payloads are limited to 65532 bytes each way by default (the
 * _buffer_max_size calls). A frame announced larger than the input limit leaves the
 * input dead until another stream is set (pp_packet_peer_stream_is_input_broken).
 *
 * @{
 */

/**
 * Creates a PacketPeerStream (packets over a StreamPeer, framed as `u32 length (little-endian) +
 * payload`), with no stream yet and the default 65532-byte input and output limits.
 *
 * Differences from the engine: a frame of the largest size the sender accepts (65532) is received (the
 * engine never delivers it), and a frame announcing more than `input_buffer_max_size` makes
 * `pp_get_packet` return `PP_ERR_OUT_OF_MEMORY` (the engine stalls silently forever); see
 * `pp_packet_peer_stream_is_input_broken`.
 *
 * - `out_peer`: receives the new peer; free it with `pp_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `out_peer`.
 */
pp_error pp_packet_peer_stream_new(struct pp_peer **out_peer);

/**
 * Sets the StreamPeer a PacketPeerStream reads and writes (PacketPeerStream.stream_peer).
 *
 * - `peer`: a PacketPeerStream.
 * - `stream`: any stream handle, or NULL to clear. The PacketPeerStream keeps its own reference to the
 *   stream object: `stream` stays yours to use and to free with `pp_stream_peer_free`.
 *
 * A stream different from the current one (by object, not handle) discards buffered input.
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL `peer` or one that is not a
 * PacketPeerStream.
 */
pp_error pp_packet_peer_stream_set_stream_peer(struct pp_peer *peer, struct pp_stream_peer *stream);

/**
 * The StreamPeer of a PacketPeerStream.
 *
 * - `peer`: a PacketPeerStream.
 * - `out_stream`: receives a **new** handle sharing the stream object (free it with
 *   `pp_stream_peer_free`; that does not detach it), or NULL when no stream is set.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
 */
pp_error pp_packet_peer_stream_get_stream_peer(struct pp_peer *peer, struct pp_stream_peer **out_stream);

/**
 * Sets the largest payload received: the input buffer becomes `next_power_of_2(size + 4)` bytes.
 *
 * - `peer`: a PacketPeerStream. `size`: 0 ..= 268435452.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL or non-PacketPeerStream `peer` or a size out of
 * range; `PP_ERR_ALREADY_IN_USE` while received bytes are buffered (no change in either case).
 */
pp_error pp_packet_peer_stream_set_input_buffer_max_size(struct pp_peer *peer, int32_t size);

/**
 * The largest payload received (input buffer size − 4; default 65532).
 *
 * - `peer`: a PacketPeerStream. `out_size`: receives the size.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
 */
pp_error pp_packet_peer_stream_get_input_buffer_max_size(struct pp_peer *peer, int32_t *out_size);

/**
 * Sets the largest payload sent: the output buffer becomes `next_power_of_2(size + 4)` bytes.
 *
 * - `peer`: a PacketPeerStream. `size`: 0 ..= 268435452 (the engine does not check; we do).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL or non-PacketPeerStream `peer` or a size out
 * of range (no change).
 */
pp_error pp_packet_peer_stream_set_output_buffer_max_size(struct pp_peer *peer, int32_t size);

/**
 * The largest payload sent (output buffer size − 4; default 65532).
 *
 * - `peer`: a PacketPeerStream. `out_size`: receives the size.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
 */
pp_error pp_packet_peer_stream_get_output_buffer_max_size(struct pp_peer *peer, int32_t *out_size);

/**
 * Not in the engine: whether the remote announced a frame longer than `input_buffer_max_size`. The
 * framing cannot resynchronise, so the input is then dead: `pp_get_packet` returns
 * `PP_ERR_OUT_OF_MEMORY` once the packets before that frame are read. Setting another stream (or
 * NULL) discards the input and clears this.
 *
 * - `peer`: a PacketPeerStream. `out_broken`: receives the state.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or a peer of another class.
 */
pp_error pp_packet_peer_stream_is_input_broken(struct pp_peer *peer, bool *out_broken);

/** @} */

/* ====================================================================================================
 * 7. PacketPeerExtension and StreamPeerExtension: classes made of C callbacks
 * ==================================================================================================== */

/**
 * @defgroup pp_extension PacketPeerExtension and StreamPeerExtension: classes made of C callbacks
 *
 * Godot's PacketPeerExtension / StreamPeerExtension: a peer or stream whose primitives
 * are your callbacks. Fill a pp_packet_peer_extension_callbacks or
 * pp_stream_peer_extension_callbacks (size first, see CALLBACK TABLES at the top),
 * pass it to pp_packet_peer_extension_new or pp_stream_peer_extension_new (the table
 * is copied), then use the result with every PacketPeer or StreamPeer call. Free it
 * with pp_peer_free / pp_stream_peer_free; destroy(userdata) runs once, when the
 * object goes away (never if the constructor failed).
 *
 * Callbacks run on the thread that called into the object, one at a time, so userdata
 * must be usable from any thread, one at a time. A callback may call anything; a call
 * that reaches the object busy running it (its own peer or stream, a PacketPeerStream
 * reading that stream) returns PP_ERR_LOCKED and changes nothing.
 *
 * @{
 */

/**
 * The callbacks of a PacketPeerExtension. Fill every field, set
 * `size = sizeof(pp_packet_peer_extension_callbacks)` (so later versions can add fields), and pass it to
 * `pp_packet_peer_extension_new`, which copies it.
 *
 * Thread rule: `userdata` travels with the peer. Callbacks run on whichever thread is calling into the
 * peer (one at a time), and `destroy` runs on the thread that releases the last reference; so
 * `userdata` must be usable from any thread, one at a time. A callback that calls back into the same
 * peer gets `PP_ERR_LOCKED` (the library's re-entrancy rule; see the header's conventions).
 */
typedef struct pp_packet_peer_extension_callbacks {
    /**
     * `sizeof(pp_packet_peer_extension_callbacks)` as the caller compiled it.
     */
    size_t size;
    /**
     * Passed as the first argument of every callback.
     */
    void *userdata;
    /**
     * Pops one packet: sets `*out_buf`, `*out_len` and returns a pp_error. The bytes must stay valid
     * until the next `get_packet` callback (or `destroy`). A negative length, or a NULL buffer with a
     * positive length, makes the call fail with `PP_ERR_INVALID_DATA`. NULL callback → `PP_FAILED`.
     */
    int32_t (*get_packet)(void *userdata, const uint8_t **out_buf, int32_t *out_len);
    /**
     * Sends one packet (the bytes are only valid during the call); returns a pp_error. NULL callback →
     * `PP_FAILED`.
     */
    int32_t (*put_packet)(void *userdata, const uint8_t *buf, int32_t len);
    /**
     * Packets ready to read. Required. A negative value reports an error (as the engine's -1 does):
     * `pp_get_available_packet_count` then returns `PP_FAILED`.
     */
    int32_t (*get_available_packet_count)(void *userdata);
    /**
     * Informational maximum packet size (negative counts as 0). Required.
     */
    int32_t (*get_max_packet_size)(void *userdata);
    /**
     * Called once when the peer is destroyed (may be NULL).
     */
    void (*destroy)(void *userdata);
} pp_packet_peer_extension_callbacks;

/**
 * The callbacks of a StreamPeerExtension; same rules as `pp_packet_peer_extension_callbacks`
 * (`size` first, copied by `pp_stream_peer_extension_new`, thread rule). Counts are `int32_t`; the
 * library sets `*out_sent` / `*out_received` before each call (to `len` for the blocking calls, to 0
 * for the partial ones), so a callback may leave them alone when that is right. A count outside
 * `0 ..= len` (or other than `len` for the blocking calls, when they return `PP_OK`) makes the call fail
 * with `PP_ERR_INVALID_DATA`. A NULL callback makes its call return `PP_FAILED`, except
 * `get_available_bytes`, which is required.
 *
 * The library never blocks on your behalf: "blocking" calls mean "all bytes or an error", and a
 * stream that cannot do that now should return `PP_ERR_BUSY`. A callback that calls back into the same
 * stream, or into a PacketPeerStream that is using it, gets `PP_ERR_LOCKED`.
 */
typedef struct pp_stream_peer_extension_callbacks {
    /**
     * `sizeof(pp_stream_peer_extension_callbacks)` as the caller compiled it.
     */
    size_t size;
    /**
     * Passed as the first argument of every callback.
     */
    void *userdata;
    /**
     * Writes all `len` bytes (blocking in Godot's sense); returns a pp_error.
     */
    int32_t (*put_data)(void *userdata, const uint8_t *data, int32_t len, int32_t *out_sent);
    /**
     * Writes what fits now; `*out_sent` = bytes written; returns a pp_error.
     */
    int32_t (*put_partial_data)(void *userdata, const uint8_t *data, int32_t len, int32_t *out_sent);
    /**
     * Reads exactly `len` bytes into `buf`; returns a pp_error.
     */
    int32_t (*get_data)(void *userdata, uint8_t *buf, int32_t len, int32_t *out_received);
    /**
     * Reads up to `len` bytes available now; `*out_received` = bytes read; returns a pp_error.
     */
    int32_t (*get_partial_data)(void *userdata, uint8_t *buf, int32_t len, int32_t *out_received);
    /**
     * Bytes readable now; a negative value means an error. Required.
     */
    int32_t (*get_available_bytes)(void *userdata);
    /**
     * Called once when the stream is destroyed (may be NULL).
     */
    void (*destroy)(void *userdata);
} pp_stream_peer_extension_callbacks;

/**
 * Creates a PacketPeerExtension: a peer whose four primitives are your callbacks. Every base call
 * works on it (`pp_put_packet`, `pp_get_packet`, `pp_put_var`, `pp_get_var`, …); `pp_get_packet`'s
 * bytes are your `get_packet` buffer, valid under your callback's rule.
 *
 * - `callbacks`: copied; `size` must be at least `sizeof(pp_packet_peer_extension_callbacks)`, and
 *   `get_available_packet_count` and `get_max_packet_size` must be set.
 * - `out_peer`: receives the peer; free it with `pp_peer_free`. `destroy(userdata)` runs once when the
 *   peer object goes away. If this call fails, nothing is kept and `destroy` is not called.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a missing
 * required callback.
 */
pp_error pp_packet_peer_extension_new(const struct pp_packet_peer_extension_callbacks *callbacks,
                                      struct pp_peer **out_peer);

/**
 * Creates a StreamPeerExtension: a stream whose primitives are your callbacks. Every
 * `pp_stream_peer_*` base call works on it, and it can carry a PacketPeerStream
 * (`pp_packet_peer_stream_set_stream_peer`).
 *
 * - `callbacks`: copied; `size` must be at least `sizeof(pp_stream_peer_extension_callbacks)`, and
 *   `get_available_bytes` must be set.
 * - `out_stream`: receives the stream; free it with `pp_stream_peer_free`. `destroy(userdata)` runs once
 *   when the stream object goes away (which may be later, if a PacketPeerStream still uses it). If
 *   this call fails, nothing is kept and `destroy` is not called.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a missing
 * `get_available_bytes`.
 */
pp_error pp_stream_peer_extension_new(const struct pp_stream_peer_extension_callbacks *callbacks,
                                      struct pp_stream_peer **out_stream);

/** @} */

/* ====================================================================================================
 * 8. PacketPeerUDP: UDP datagrams
 * ==================================================================================================== */

/**
 * @defgroup pp_packet_peer_udp PacketPeerUDP: UDP datagrams
 *
 * Godot's PacketPeerUDP, a pp_peer. Make it with pp_packet_peer_udp_new; bind it to
 * receive on a known port, connect_to_host or set_dest_address to choose where sends
 * go; then use the PacketPeer calls; free it with pp_peer_free. Nothing runs in the
 * background: the socket is read by pp_get_available_packet_count (and by
 * pp_get_packet / pp_get_var when the queue is empty);
 * pp_packet_peer_udp_get_packet_ip / _port tell who sent the last packet.
 *
 * Beyond the engine: batch calls (pp_packet_peer_udp_put_packets / _get_packets,
 * sendmmsg / recvmmsg on Linux), traffic counters in pp_net_stats (shared with
 * UDPServer and StreamPeerTCP), and pp_packet_peer_udp_wait_timeout. Sends wait on a
 * full socket unless pp_packet_peer_udp_set_blocking_mode turns that off; receiving
 * never blocks.
 *
 * @{
 */

/**
 * Traffic counters of a socket object (`pp_packet_peer_udp_get_stats`, `pp_udp_server_get_stats`,
 * `pp_stream_peer_tcp_get_stats`). For UDP a packet is a datagram; for TCP it is one write or read
 * call that moved bytes. Counters start at 0 when the object is made and only grow.
 */
typedef struct pp_net_stats {
    /**
     * Datagrams (UDP) or successful writes (TCP) sent.
     */
    uint64_t packets_sent;
    /**
     * Payload bytes handed to the OS.
     */
    uint64_t bytes_sent;
    /**
     * Datagrams read from the OS, including those then dropped (UDP); reads that got data (TCP).
     */
    uint64_t packets_received;
    /**
     * Payload bytes read from the OS.
     */
    uint64_t bytes_received;
    /**
     * Datagrams dropped because the receive queue (or, for a UDPServer, the pending list) was full.
     */
    uint64_t packets_dropped;
    /**
     * Bytes of those dropped datagrams.
     */
    uint64_t bytes_dropped;
} pp_net_stats;

/**
 * One datagram to send with `pp_packet_peer_udp_put_packets`.
 */
typedef struct pp_packet_data {
    /**
     * The payload (may be NULL when `len` is 0).
     */
    const uint8_t *data;
    /**
     * Payload length in bytes (at most INT32_MAX).
     */
    size_t len;
} pp_packet_data;

/**
 * Where one datagram received by `pp_packet_peer_udp_get_packets` landed.
 */
typedef struct pp_udp_packet_info {
    /**
     * Offset of the payload in the caller's buffer.
     */
    size_t offset;
    /**
     * Payload bytes stored at `offset`.
     */
    size_t len;
    /**
     * Sender address, 16 bytes; IPv4 senders are IPv4-mapped (`::ffff:a.b.c.d`). Text with
     * `pp_ip_address_to_string`.
     */
    uint8_t ip[16];
    /**
     * Sender port.
     */
    uint16_t port;
    /**
     * True when the datagram was longer than its slot and was cut to `len` bytes.
     */
    bool truncated;
} pp_udp_packet_info;

/**
 * Makes a PacketPeerUDP: unbound, no destination, broadcast off, blocking sends, 65 536-byte
 * receive ring.
 *
 * Use it with the base calls: `pp_put_packet` sends one datagram to the destination
 * (`PP_ERR_UNCONFIGURED` without one, `PP_FAILED` for an OS error such as a datagram over 65 507
 * bytes on IPv4 or a broadcast without `set_broadcast_enabled`, `PP_ERR_BUSY` on a full socket in
 * non-blocking mode); `pp_get_packet` returns the oldest queued datagram (`PP_ERR_UNAVAILABLE`
 * when none, `PP_FAILED` if the socket is not open or the OS reports an error, e.g. ICMP port
 * unreachable on a connected socket); `pp_get_available_packet_count` returns `PP_FAILED` in those
 * error cases (the engine's -1); `pp_get_max_packet_size` is 512 (nominal, not enforced). The socket is read into the
 * receive ring by `pp_get_available_packet_count` always and by `pp_get_packet` when the ring is
 * empty (the engine reads on every call; same packets, same order, one system call less per
 * packet). Nothing is read in the background. Datagrams that do not fit the ring are dropped and
 * counted (`pp_packet_peer_udp_get_stats`).
 *
 * - `out_peer`: receives the new peer; free it with `pp_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
 */
pp_error pp_packet_peer_udp_new(struct pp_peer **out_peer);

/**
 * Binds the socket (`bind(port, bind_address, recv_buf_size)`).
 *
 * - `port`: 0..65535; 0 lets the OS pick (read it back with `pp_packet_peer_udp_get_local_port`).
 * - `bind_address`: `"*"` (all addresses, dual-stack IPv6 socket), or an IPv4 / IPv6 literal
 *   (that family only). Names are not resolved.
 * - `recv_buf_size`: sizes the receive ring to the smallest power of two strictly greater than it
 *   (the engine's default is 65536 → 131 072 bytes). Each queued datagram takes its size + 24
 *   bytes; datagrams that do not fit are dropped and counted. At most 2^28 - 1.
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if the socket is already open (also when opened
 * implicitly by a send, `connect_to_host` or a multicast join); `PP_ERR_INVALID_PARAMETER` for a
 * bad address, port or size, NULL, or another class; `PP_ERR_CANT_CREATE` if no socket could be
 * made; `PP_ERR_UNAVAILABLE` if the OS bind fails (e.g. port in use; the socket is closed again).
 */
pp_error pp_packet_peer_udp_bind(struct pp_peer *peer,
                                 int32_t port,
                                 const char *bind_address,
                                 int32_t recv_buf_size);

/**
 * Closes the socket (or detaches from the owning UDPServer), empties the receive queue, ring back
 * to 65 536 bytes, not connected. The destination address is kept.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_udp_close(struct pp_peer *peer);

/**
 * Connects the socket to `host:port` (OS-level connect: only datagrams from there are received,
 * sends go there). Opens the socket if needed (family of `host`, ephemeral port). Sends nothing.
 * Clears the receive queue and its packet count (the engine forgets the count).
 *
 * - `host`: an IP literal; names are refused, like the engine.
 * - `port`: 1..65535.
 *
 * Returns `PP_OK`; `PP_ERR_LOCKED` on a peer handed out by a UDPServer; `PP_ERR_INVALID_PARAMETER`
 * for a bad address or port, NULL, or another class; `PP_ERR_CANT_OPEN` if a socket could not be
 * opened; `PP_FAILED` if the OS refuses the connect (the socket is closed).
 */
pp_error pp_packet_peer_udp_connect_to_host(struct pp_peer *peer, const char *host, int32_t port);

/**
 * Why the last failing call on this PacketPeerUDP failed, in words, beside its `pp_error` (beyond
 * the engine, which prints it): the OS error of a bind (`"bind 127.0.0.1:7000: Address in use (os
 * error 98)"`), a connect, a send or a receive — a connected peer whose destination has no listener
 * gets `"recv: Connection refused (os error 111)"` with `PP_FAILED` from `pp_get_packet` — or the
 * argument that was refused. `""` until a call fails; bind, connect_to_host and close clear it.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_packet_peer_udp_get_last_error_text(struct pp_peer *peer,
                                                char *out_text,
                                                size_t out_text_size,
                                                size_t *out_len);

/**
 * True if the socket is connected (`connect_to_host`, or a UDPServer peer). False for NULL or
 * another class.
 */
bool pp_packet_peer_udp_is_socket_connected(struct pp_peer *peer);

/**
 * Sets where `pp_put_packet` sends. Resolves host names (blocking, first address of any family).
 *
 * - `host`: IP literal or name (e.g. `"localhost"`); `"255.255.255.255"` needs broadcast enabled
 *   to send.
 * - `port`: 0..65535.
 *
 * Returns `PP_OK`; `PP_ERR_CANT_RESOLVE` if the name does not resolve; `PP_ERR_UNAVAILABLE` on a
 * connected socket (the engine's script binding prints an error and returns OK);
 * `PP_ERR_INVALID_PARAMETER` for a bad port, NULL, or another class.
 */
pp_error pp_packet_peer_udp_set_dest_address(struct pp_peer *peer, const char *host, int32_t port);

/**
 * The sender address of the last packet returned by `pp_get_packet` / `pp_get_var` /
 * `pp_packet_peer_udp_get_packets` (for a connected socket: the connected address), as text:
 * dotted IPv4 for IPv4 (and IPv4-mapped) senders, eight lowercase hex groups without zero
 * compression for IPv6 (`0:0:0:0:0:0:0:1`), `""` before any packet.
 *
 * - `out_ip`, `out_ip_size`: buffer for the NUL-terminated text (`PP_IP_STRING_SIZE` bytes always
 *   suffice), filled by the text-out rule (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for a NULL or bad handle, another class, or a bad buffer.
 */
pp_error pp_packet_peer_udp_get_packet_ip(struct pp_peer *peer,
                                          char *out_ip,
                                          size_t out_ip_size,
                                          size_t *out_len);

/**
 * The sender port of the last packet returned (see `pp_packet_peer_udp_get_packet_ip`); 0 before
 * any packet, for NULL, or another class.
 */
int32_t pp_packet_peer_udp_get_packet_port(struct pp_peer *peer);

/**
 * The local port, 0 if not bound (or NULL / another class). A UDPServer peer reports the server's.
 */
int32_t pp_packet_peer_udp_get_local_port(struct pp_peer *peer);

/**
 * True if the socket is open (bound explicitly or implicitly, or a UDPServer peer). False for NULL
 * or another class.
 */
bool pp_packet_peer_udp_is_bound(struct pp_peer *peer);

/**
 * Blocks, with no timeout, until a packet can be read (`wait()`); returns at once when packets are
 * already queued. Does not dequeue. A UDPServer peer waits on the server socket (its packets
 * still arrive only through `pp_udp_server_poll`). Prefer `pp_packet_peer_udp_wait_timeout`.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if the socket is not open; `PP_FAILED` on a poll error;
 * `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_udp_wait(struct pp_peer *peer);

/**
 * `wait()` with a bound.
 *
 * - `timeout_ms`: milliseconds; negative waits forever, 0 only checks.
 *
 * Returns as `pp_packet_peer_udp_wait`, plus `PP_ERR_BUSY` when the time passed first (the
 * engine's NetSocket::poll code for a timeout).
 */
pp_error pp_packet_peer_udp_wait_timeout(struct pp_peer *peer, int32_t timeout_ms);

/**
 * Enables or disables sending to broadcast addresses (SO_BROADCAST; off by default). Applied now
 * if the socket is open and remembered for later opens. Without it, a send to 255.255.255.255
 * fails with `PP_FAILED`.
 *
 * Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_FAILED` if the OS refuses;
 * `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_udp_set_broadcast_enabled(struct pp_peer *peer, bool enabled);

/**
 * Joins a multicast group on one interface. Opens the socket if needed, so bind first (a later
 * bind would fail with `PP_ERR_ALREADY_IN_USE`). IPv4 groups use the interface's first IPv4
 * address (also on a dual-stack socket); IPv6 groups use its index. TTL and loopback stay at the
 * OS defaults.
 *
 * - `multicast_address`: IPv4 or IPv6 group literal.
 * - `interface_name`: OS interface name, e.g. `"lo"`, `"eth0"`.
 *
 * Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_ERR_INVALID_PARAMETER` for a bad
 * address, unknown interface, an IPv4 group on an interface without IPv4, a group of a family the
 * socket cannot use, NULL, or another class; `PP_FAILED` if the OS refuses.
 */
pp_error pp_packet_peer_udp_join_multicast_group(struct pp_peer *peer,
                                                 const char *multicast_address,
                                                 const char *interface_name);

/**
 * Leaves a multicast group joined with `pp_packet_peer_udp_join_multicast_group`.
 *
 * Returns as join, plus `PP_ERR_UNCONFIGURED` if the socket is not open.
 */
pp_error pp_packet_peer_udp_leave_multicast_group(struct pp_peer *peer,
                                                  const char *multicast_address,
                                                  const char *interface_name);

/**
 * Redot's `set_reuse_address`: SO_REUSEADDR for the next bind (off by default).
 *
 * Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_ERR_INVALID_PARAMETER` for NULL or
 * another class.
 */
pp_error pp_packet_peer_udp_set_reuse_address(struct pp_peer *peer, bool enabled);

/**
 * Redot's `set_reuse_port`: SO_REUSEPORT for the next bind (off by default; no-op where the OS has
 * none).
 *
 * Returns `PP_OK`; `PP_ERR_LOCKED` on a UDPServer peer; `PP_ERR_INVALID_PARAMETER` for NULL or
 * another class.
 */
pp_error pp_packet_peer_udp_set_reuse_port(struct pp_peer *peer, bool enabled);

/**
 * The engine's internal `set_blocking_mode`. Blocking (true, the default): a send on a full
 * socket waits until it goes out. Non-blocking: such a send returns `PP_ERR_BUSY` and sends
 * nothing. Receiving never blocks either way.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_udp_set_blocking_mode(struct pp_peer *peer, bool blocking);

/**
 * The peer's traffic counters, including datagrams dropped because the receive queue was full.
 *
 * - `out_stats`: receives the counters.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_udp_get_stats(struct pp_peer *peer, struct pp_net_stats *out_stats);

/**
 * Sends several datagrams to the destination (as `pp_put_packet` would, one datagram each) with
 * as few system calls as the OS allows (sendmmsg on Linux, up to 64 per call).
 *
 * - `packets`: `count` entries; each `data` is copied, no pointer is kept.
 * - `count`: number of entries (0 is allowed: nothing happens, `*out_sent` = 0).
 * - `out_sent`: receives how many were sent, in order.
 *
 * Blocking mode (default): returns when all were sent. Non-blocking mode: sends what the socket
 * takes now (`*out_sent` may be less than `count`). An OS error on a later datagram stops there
 * with `PP_OK` and the count so far (the next call reports it).
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a destination; `PP_ERR_BUSY` if, in non-blocking
 * mode, none could be sent; `PP_FAILED` if the first datagram fails (too large, broadcast
 * without the flag, …); `PP_ERR_INVALID_PARAMETER` for NULL `packets` with `count` > 0, `count` >
 * INT32_MAX, an entry with NULL data and `len` > 0 or `len` > INT32_MAX, NULL `out_sent`, or another
 * class.
 */
pp_error pp_packet_peer_udp_put_packets(struct pp_peer *peer,
                                        const struct pp_packet_data *packets,
                                        size_t count,
                                        size_t *out_sent);

/**
 * Receives several datagrams at once: first those already queued, then fresh ones straight from
 * the OS into `buf` (recvmmsg on Linux; no intermediate copy). Never blocks.
 *
 * Layout: `buf` is cut into `max_packets` equal slots of `buf_size / max_packets` bytes; datagram
 * i is stored at `out_infos[i].offset` = i × slot. A datagram longer than its slot is cut to the
 * slot and flagged `truncated` (size slots for your largest datagram, e.g. 2048 bytes for
 * 1200-byte game traffic, 65 536 for anything).
 *
 * - `buf`, `buf_size`: the caller's buffer; its contents are valid until you reuse it.
 * - `out_infos`, `max_packets`: at least `max_packets` entries; the first `*out_count` are written.
 *   At most 4096 datagrams are returned per call.
 * - `out_count`: receives the number of datagrams (0 when none is pending).
 *
 * Also sets what `pp_packet_peer_udp_get_packet_ip/_port` report (the last datagram returned).
 *
 * Returns `PP_OK`; `PP_FAILED` if the socket is not open or the OS reports a receive error before
 * anything was received; `PP_ERR_INVALID_PARAMETER` for NULL pointers (with non-zero sizes),
 * `buf_size` or `max_packets` above INT32_MAX, or another class.
 */
pp_error pp_packet_peer_udp_get_packets(struct pp_peer *peer,
                                        uint8_t *buf,
                                        size_t buf_size,
                                        struct pp_udp_packet_info *out_infos,
                                        size_t max_packets,
                                        size_t *out_count);

/**
 * Text form of a 16-byte address (as in `pp_udp_packet_info.ip`): dotted IPv4 for IPv4-mapped
 * addresses, eight lowercase hex groups without zero compression otherwise. Safe from any thread.
 *
 * - `ip`: 16 readable bytes.
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text (`PP_IP_STRING_SIZE` suffices),
 *   filled by the text-out rule (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for a NULL `ip` or a bad buffer.
 */
pp_error pp_ip_address_to_string(const uint8_t *ip, char *out_text, size_t out_text_size, size_t *out_len);

/** @} */

/* ====================================================================================================
 * 9. UDPServer: accepting UDP peers
 * ==================================================================================================== */

/**
 * @defgroup pp_udp_server UDPServer: accepting UDP peers
 *
 * Godot's UDPServer, a pp_udp_server. Make it with pp_udp_server_new,
 * pp_udp_server_listen, then call pp_udp_server_poll regularly: it reads every pending
 * datagram; a known sender's goes to its peer, an unknown sender becomes a pending
 * connection (up to max_pending_connections, default 16; more are dropped and
 * counted). pp_udp_server_take_connection takes the oldest: an owned PacketPeerUDP
 * connected to that sender through the server's socket (free it with pp_peer_free; it
 * may outlive the server). Taken peers receive only through pp_udp_server_poll.
 *
 * pp_udp_server_stop (and pp_udp_server_free) close the socket: taken peers become
 * closed, unbound peers that stay valid; pending ones are dropped. Remote ends are not
 * told.
 *
 * @{
 */

/**
 * Makes a UDPServer (not listening; `max_pending_connections` 16).
 *
 * - `out_server`: receives the server; free it with `pp_udp_server_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_server` is NULL.
 */
pp_error pp_udp_server_new(struct pp_udp_server **out_server);

/**
 * Frees a UDPServer (stopping it: peers already taken become closed, unbound peers and stay
 * valid until their own `pp_peer_free`). NULL is a no-op.
 */
void pp_udp_server_free(struct pp_udp_server *server);

/**
 * Starts listening (`listen(port, bind_address)`): non-blocking socket, SO_REUSEADDR.
 *
 * - `port`: 0..65535 (0: the OS picks; see `pp_udp_server_get_local_port`).
 * - `bind_address`: `"*"` (dual stack) or an IPv4 / IPv6 literal.
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if already listening; `PP_ERR_INVALID_PARAMETER` for a
 * bad address or port, NULL; `PP_ERR_CANT_CREATE` if no socket could be made; `PP_ERR_UNAVAILABLE`
 * if the OS bind fails.
 */
pp_error pp_udp_server_listen(struct pp_udp_server *server, int32_t port, const char *bind_address);

/**
 * Reads every pending datagram and hands each to its peer: a known sender's datagram goes to its
 * peer's queue (dropped and counted there when full); an unknown sender becomes a new pending
 * connection unless `max_pending_connections` are pending (then it is dropped and counted in
 * `pp_udp_server_get_stats`). Call it regularly; taken peers receive nothing otherwise.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if not listening; `PP_FAILED` on an OS receive error;
 * `PP_ERR_INVALID_PARAMETER` for NULL.
 */
pp_error pp_udp_server_poll(struct pp_udp_server *server);

/**
 * True if a pending connection waits (and the server listens). False for NULL.
 */
bool pp_udp_server_is_connection_available(struct pp_udp_server *server);

/**
 * Takes the oldest pending connection: a PacketPeerUDP connected to that sender through the
 * server's socket, holding what it sent so far. Read it with the base calls; its sends go out of
 * the server's port; `connect_to_host`, multicast, broadcast and reuse calls are `PP_ERR_LOCKED`.
 * Closing or freeing it makes the server forget the sender.
 *
 * - `out_peer`: receives the peer; free it with `pp_peer_free` (it may outlive the server).
 *
 * Returns `PP_OK`; `PP_ERR_UNAVAILABLE` if none is pending (or not listening);
 * `PP_ERR_INVALID_PARAMETER` for NULL.
 */
pp_error pp_udp_server_take_connection(struct pp_udp_server *server, struct pp_peer **out_peer);

/**
 * Stops listening: closes the socket; taken peers become closed, unbound peers; pending ones are
 * dropped. Remote ends are not told (UDP).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL.
 */
pp_error pp_udp_server_stop(struct pp_udp_server *server);

/**
 * True while listening. False for NULL.
 */
bool pp_udp_server_is_listening(struct pp_udp_server *server);

/**
 * The local port while listening; 0 otherwise or for NULL.
 */
int32_t pp_udp_server_get_local_port(struct pp_udp_server *server);

/**
 * Sets how many unknown senders may wait as pending connections (default 16). When lowered below
 * the current count, the newest pending connections are dropped until the count fits (the
 * engine's loop is inverted and would empty the list when *raising* the limit).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a negative value or NULL.
 */
pp_error pp_udp_server_set_max_pending_connections(struct pp_udp_server *server,
                                                   int32_t max_pending_connections);

/**
 * The maximum number of pending connections; 0 for NULL.
 */
int32_t pp_udp_server_get_max_pending_connections(struct pp_udp_server *server);

/**
 * Counters of the listening socket: datagrams received, and dropped because the pending list was
 * full. (Drops in a peer's queue are in that peer's `pp_packet_peer_udp_get_stats`.)
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL.
 */
pp_error pp_udp_server_get_stats(struct pp_udp_server *server, struct pp_net_stats *out_stats);

/** @} */

/* ====================================================================================================
 * 10. StreamPeerTCP: a TCP connection
 * ==================================================================================================== */

/**
 * @defgroup pp_stream_peer_tcp StreamPeerTCP: a TCP connection
 *
 * Godot's StreamPeerTCP, a pp_stream_peer. Make it with pp_stream_peer_tcp_new (or
 * take one from a TCPServer), optionally bind, then pp_stream_peer_tcp_connect_to_host
 * (non-blocking) and pp_stream_peer_tcp_poll until pp_stream_peer_tcp_get_status is
 * CONNECTED or ERROR. Then read and write with the StreamPeer calls, or hand it to a
 * PacketPeerStream; free it with pp_stream_peer_free. The status changes only in calls
 * on this stream (poll, reads, writes); a remote that closed shows as NONE after poll.
 *
 * Beyond the engine: non-blocking writes (pp_stream_peer_tcp_set_blocking_writes),
 * write coalescing with pp_stream_peer_tcp_flush, a settable connect timeout (30 s by
 * default), traffic counters (pp_net_stats) and pp_stream_peer_tcp_wait.
 *
 * @{
 */

/**
 * Godot's `StreamPeerTCP.Status`, from `pp_stream_peer_tcp_get_status`. `int32_t` in C.
 */
enum pp_stream_peer_tcp_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Not connected.
     */
    PP_STREAM_PEER_TCP_STATUS_NONE = 0,
    /**
     * Connect in progress (call `pp_stream_peer_tcp_poll`).
     */
    PP_STREAM_PEER_TCP_STATUS_CONNECTING = 1,
    /**
     * Connected.
     */
    PP_STREAM_PEER_TCP_STATUS_CONNECTED = 2,
    /**
     * The connect failed or timed out, or a socket error occurred.
     */
    PP_STREAM_PEER_TCP_STATUS_ERROR = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_stream_peer_tcp_status pp_stream_peer_tcp_status;
#else
typedef int32_t pp_stream_peer_tcp_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What `pp_stream_peer_tcp_wait` waits for (the engine's `NetSocket::PollType`). `int32_t` in C.
 */
enum pp_poll_type
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Until readable.
     */
    PP_POLL_TYPE_IN = 0,
    /**
     * Until writable.
     */
    PP_POLL_TYPE_OUT = 1,
    /**
     * Until readable or writable.
     */
    PP_POLL_TYPE_IN_OUT = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_poll_type pp_poll_type;
#else
typedef int32_t pp_poll_type;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Makes a StreamPeerTCP: status NONE, no socket, 30 s connect timeout, blocking writes,
 * coalescing off.
 *
 * - `out_stream`: receives the stream; free it with `pp_stream_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_stream` is NULL.
 */
pp_error pp_stream_peer_tcp_new(struct pp_stream_peer **out_stream);

/**
 * Fixes the local address and port before connecting (`bind(port, host)`).
 *
 * - `port`: 0..65535 (0: the OS picks).
 * - `host`: `"*"` (dual stack) or an IPv4 / IPv6 literal.
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if the socket is already open;
 * `PP_ERR_INVALID_PARAMETER` for a bad port or address, NULL, or another class;
 * `PP_ERR_CANT_CREATE` if no socket could be made; `PP_ERR_UNAVAILABLE` if the OS bind fails (the
 * socket is closed again, so you may retry).
 */
pp_error pp_stream_peer_tcp_bind(struct pp_stream_peer *stream, int32_t port, const char *host);

/**
 * Starts connecting (`connect_to_host(host, port)`); non-blocking: drive it with
 * `pp_stream_peer_tcp_poll` until the status is CONNECTED or ERROR. The connect deadline starts
 * now (see `pp_stream_peer_tcp_set_connect_timeout`).
 *
 * - `host`: IP literal or name (resolved, blocking, first address of any family).
 * - `port`: 1..65535.
 *
 * Returns `PP_OK` (status CONNECTING, or CONNECTED when the OS finished at once);
 * `PP_ERR_CANT_RESOLVE`; `PP_ERR_ALREADY_IN_USE` unless the status is NONE;
 * `PP_ERR_INVALID_PARAMETER` for a bad port, NULL, or another class; `PP_FAILED` if the OS refuses
 * at once (status NONE).
 */
pp_error pp_stream_peer_tcp_connect_to_host(struct pp_stream_peer *stream, const char *host, int32_t port);

/**
 * Updates the status (`poll()`). CONNECTING: finished → CONNECTED; refused or past the deadline →
 * ERROR and `PP_ERR_CONNECTION_ERROR`. CONNECTED: the peer closed → NONE and `PP_OK`; a socket
 * error → ERROR and that error. Also sends bytes queued by coalescing or non-blocking writes.
 *
 * Returns `PP_OK`, the errors above, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tcp_poll(struct pp_stream_peer *stream);

/**
 * The status, a `pp_stream_peer_tcp_status`. It changes only in calls on this stream
 * (`pp_stream_peer_tcp_poll`, reads, writes). `PP_STREAM_PEER_TCP_STATUS_NONE` for NULL or another
 * class.
 */
pp_stream_peer_tcp_status pp_stream_peer_tcp_get_status(struct pp_stream_peer *stream);

/**
 * Closes the connection (status NONE, address cleared, queued output discarded).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tcp_disconnect_from_host(struct pp_stream_peer *stream);

/**
 * The remote address as text (dotted IPv4, or eight lowercase hex groups for IPv6); `""` when not
 * connecting or connected.
 *
 * - `out_host`, `out_host_size`: buffer for the NUL-terminated text (`PP_IP_STRING_SIZE` suffices),
 *   filled by the text-out rule (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for a NULL or bad handle, another class, or a bad buffer.
 */
pp_error pp_stream_peer_tcp_get_connected_host(struct pp_stream_peer *stream,
                                               char *out_host,
                                               size_t out_host_size,
                                               size_t *out_len);

/**
 * Why the last connect failed, in words: the OS error (`"connect: Connection refused (os error
 * 111)"`), `"connect timed out after N ms"`, or `"cannot resolve host ..."`; `""` when the last
 * connect did not fail. Beside the `pp_error` code, for logs and users (not a Godot method).
 *
 * - `buf`, `size`: buffer for the NUL-terminated text, filled by the text-out rule (see the
 *   header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for a NULL or bad handle, another class, or a bad buffer.
 */
pp_error pp_stream_peer_tcp_get_last_error_text(struct pp_stream_peer *stream,
                                                char *buf,
                                                size_t size,
                                                size_t *out_len);

/**
 * The remote port; 0 when not connected, for NULL or another class.
 */
int32_t pp_stream_peer_tcp_get_connected_port(struct pp_stream_peer *stream);

/**
 * The local port; 0 if the socket is not bound, for NULL or another class.
 */
int32_t pp_stream_peer_tcp_get_local_port(struct pp_stream_peer *stream);

/**
 * TCP_NODELAY on or off (default off: Nagle on).
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if the socket is not open; `PP_FAILED` if the OS refuses;
 * `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tcp_set_no_delay(struct pp_stream_peer *stream, bool enabled);

/**
 * Waits until the socket is ready (the engine's internal `wait(type, timeout)`).
 *
 * - `poll_type`: a `pp_poll_type` (`PP_POLL_TYPE_IN`, `_OUT`, `_IN_OUT`).
 * - `timeout_ms`: milliseconds; negative waits forever, 0 only checks.
 *
 * Returns `PP_OK` when ready; `PP_ERR_BUSY` on timeout; `PP_ERR_UNAVAILABLE` without a socket;
 * `PP_FAILED` on a socket error; `PP_ERR_INVALID_PARAMETER` for a bad `poll_type`, NULL, or
 * another class.
 */
pp_error pp_stream_peer_tcp_wait(struct pp_stream_peer *stream, int32_t poll_type, int32_t timeout_ms);

/**
 * Sets the connect deadline used by later `pp_stream_peer_tcp_connect_to_host` calls (the
 * engine's `network/limits/tcp/connect_timeout_seconds`, default 30 000 ms).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a negative value, NULL, or another class.
 */
pp_error pp_stream_peer_tcp_set_connect_timeout(struct pp_stream_peer *stream, int32_t timeout_ms);

/**
 * Chooses how writes (`put_data`, and so `pp_put_packet` through a PacketPeerStream) behave when
 * the socket is full.
 *
 * - `blocking` true (default, the engine's): wait until every byte is written.
 * - `blocking` false: a write either accepts *all* its bytes — sending what the OS takes now and
 *   queueing the rest, which `pp_stream_peer_tcp_poll`, `_flush` and later writes push out — or
 *   returns `PP_ERR_BUSY` having accepted none, so frames are never cut. The queue holds at most
 *   `max(out_buffer_max_size, one write)` bytes.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tcp_set_blocking_writes(struct pp_stream_peer *stream, bool blocking);

/**
 * Write coalescing (off by default). On: writes are appended to the output buffer without a
 * system call while they fit in `out_buffer_max_size` bytes; `pp_stream_peer_tcp_flush`,
 * `pp_stream_peer_tcp_poll`, or a write that does not fit sends everything with one vectored
 * send. Many small frames then cost one system call. Nothing leaves until then: flush once per
 * frame of your loop. Turning it off does not send what is queued.
 *
 * Reads are batched the same way: while output is queued, once a non-blocking read
 * (`pp_stream_peer_get_partial_data`, and the pull PacketPeerStream does before every
 * `pp_put_packet`, and before a `pp_get_packet` that has no whole frame buffered) has found nothing, further non-blocking reads report 0 bytes
 * without a system call until the next `_flush`/`_poll` or a write that reaches the OS. Blocking
 * reads always ask the OS.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tcp_set_write_coalescing(struct pp_stream_peer *stream,
                                                 bool enabled);

/**
 * Bound of the output buffer used by coalescing and non-blocking writes (default 65 536 bytes).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a value below 1, NULL, or another class.
 */
pp_error pp_stream_peer_tcp_set_out_buffer_max_size(struct pp_stream_peer *stream, int32_t max_size);

/**
 * Bytes written but still queued (coalescing or non-blocking writes); 0 for NULL or another class.
 */
int32_t pp_stream_peer_tcp_get_queued_bytes(struct pp_stream_peer *stream);

/**
 * Sends everything queued. Blocking writes: waits until done. Non-blocking: sends what the OS
 * takes now.
 *
 * Returns `PP_OK` when nothing is left queued; `PP_ERR_BUSY` (non-blocking) when bytes remain;
 * `PP_FAILED` when not connected or on a socket error (the connection is closed);
 * `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tcp_flush(struct pp_stream_peer *stream);

/**
 * The stream's traffic counters (bytes in and out; "packets" = write / read calls that moved
 * bytes).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tcp_get_stats(struct pp_stream_peer *stream, struct pp_net_stats *out_stats);

/** @} */

/* ====================================================================================================
 * 11. TCPServer: accepting TCP connections
 * ==================================================================================================== */

/**
 * @defgroup pp_tcp_server TCPServer: accepting TCP connections
 *
 * Godot's TCPServer, a pp_tcp_server. Make it with pp_tcp_server_new,
 * pp_tcp_server_listen (non-blocking socket, SO_REUSEADDR), then poll
 * pp_tcp_server_is_connection_available and pp_tcp_server_take_connection: each gives
 * an owned StreamPeerTCP, already CONNECTED (free it with pp_stream_peer_free; it may
 * outlive the server). pp_tcp_server_stop closes the listening socket, taken
 * connections stay; pp_tcp_server_free stops it and frees the handle.
 *
 * @{
 */

/**
 * Makes a TCPServer (not listening).
 *
 * - `out_server`: receives the server; free it with `pp_tcp_server_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_server` is NULL.
 */
pp_error pp_tcp_server_new(struct pp_tcp_server **out_server);

/**
 * Starts listening (`listen(port, bind_address)`): SO_REUSEADDR, backlog 8, non-blocking.
 *
 * - `port`: 0..65535 (0: the OS picks; see `pp_tcp_server_get_local_port`).
 * - `bind_address`: `"*"` (dual-stack IPv6 socket), or an IPv4 / IPv6 literal (`"0.0.0.0"` /
 *   `"::"`: that family only).
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if already listening or if the OS bind fails (port in
 * use — the engine's code); `PP_ERR_INVALID_PARAMETER` for a bad address or port, NULL;
 * `PP_ERR_CANT_CREATE` if no socket could be made; `PP_FAILED` if listen() fails.
 */
pp_error pp_tcp_server_listen(struct pp_tcp_server *server, int32_t port, const char *bind_address);

/**
 * True if a connection waits to be taken (listening socket readable). False for NULL.
 */
bool pp_tcp_server_is_connection_available(struct pp_tcp_server *server);

/**
 * Accepts one connection: a StreamPeerTCP, status CONNECTED, non-blocking, remote address set.
 *
 * - `out_stream`: receives it; free it with `pp_stream_peer_free` (it may outlive the server).
 *
 * Returns `PP_OK`; `PP_ERR_UNAVAILABLE` if none is waiting (or not listening);
 * `PP_ERR_INVALID_PARAMETER` for NULL.
 */
pp_error pp_tcp_server_take_connection(struct pp_tcp_server *server, struct pp_stream_peer **out_stream);

/**
 * Stops listening (closes the listening socket; taken connections are unaffected).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL.
 */
pp_error pp_tcp_server_stop(struct pp_tcp_server *server);

/**
 * True while listening. False for NULL.
 */
bool pp_tcp_server_is_listening(struct pp_tcp_server *server);

/**
 * The local port while listening; 0 otherwise or for NULL.
 */
int32_t pp_tcp_server_get_local_port(struct pp_tcp_server *server);

/**
 * Frees a TCPServer (closing the listening socket). NULL is a no-op.
 */
void pp_tcp_server_free(struct pp_tcp_server *server);

/** @} */

/* ====================================================================================================
 * 12. CryptoKey, X509Certificate, Crypto helpers and TLSOptions
 * ==================================================================================================== */

/**
 * @defgroup pp_crypto CryptoKey, X509Certificate, Crypto helpers and TLSOptions
 *
 * What TLS and DTLS stand on, on the system OpenSSL. pp_crypto_key and
 * pp_x509_certificate load PEM/DER (a PEM file may hold a chain) and save PEM;
 * pp_crypto_generate_rsa and _generate_self_signed_certificate make a key pair and a
 * certificate without the openssl command. pp_tls_options says how to secure a
 * connection: client (verify against the system CAs or your chain, check the name),
 * client_unsafe (no verification), server (key + certificate); opt in to SHA-256
 * pinning of the peer's certificate. Keys, certificates and options are immutable once
 * made, usable from any thread and freed in any order; objects using them keep a
 * reference. Why a load or constructor failed: pp_tls_get_last_error_text (per thread).
 *
 * @{
 */

/**
 * Size of a SHA-256 fingerprint (`pp_x509_certificate_get_sha256`).
 */
#define PP_SHA256_SIZE 32

/**
 * Which constructor made a `pp_tls_options` (`pp_tls_options_get_kind`). `int32_t` in C.
 */
enum pp_tls_options_kind
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * `pp_tls_options_client`.
     */
    PP_TLS_OPTIONS_CLIENT = 0,
    /**
     * `pp_tls_options_client_unsafe`.
     */
    PP_TLS_OPTIONS_CLIENT_UNSAFE = 1,
    /**
     * `pp_tls_options_server`.
     */
    PP_TLS_OPTIONS_SERVER = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_tls_options_kind pp_tls_options_kind;
#else
typedef int32_t pp_tls_options_kind;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Copies the text of the last failed key/certificate load, Crypto helper or TLSOptions
 * constructor of the calling thread (OpenSSL's reason included; `""` if none failed yet), with the
 * library's text rule: `*out_len` (if not NULL) gets the length without the NUL; the text and its
 * NUL are copied when `size > length`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` if `buf` is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for `(NULL, size > 0)`.
 */
pp_error pp_tls_get_last_error_text(char *buf, size_t size, size_t *out_len);

/**
 * Loads a key from PEM (`CryptoKey.load_from_string`).
 *
 * - `pem`, `len`: the PEM text (no NUL needed). With `public_only`, a `PUBLIC KEY` block; without,
 *   an unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC).
 * - `out_key`: receives the key; free it with `pp_crypto_key_free`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_DATA` if the text is not such a key (reason:
 * `pp_tls_get_last_error_text`); `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_crypto_key_load_pem(const uint8_t *pem,
                                size_t len,
                                bool public_only,
                                struct pp_crypto_key **out_key);

/**
 * Loads a key from DER (SubjectPublicKeyInfo with `public_only`, else a private key). As
 * `pp_crypto_key_load_pem` otherwise.
 */
pp_error pp_crypto_key_load_der(const uint8_t *der,
                                size_t len,
                                bool public_only,
                                struct pp_crypto_key **out_key);

/**
 * Saves a key as PEM (`CryptoKey.save_to_string`): the private key as PKCS#8 (`BEGIN PRIVATE KEY`;
 * mbedTLS writes `BEGIN RSA PRIVATE KEY` for RSA — both load anywhere), or with `public_only` (and
 * always for a public-only key) the public key. Text rule as `pp_tls_get_last_error_text`.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` if `buf` is too small (`*out_len` tells the
 * size); `PP_ERR_INVALID_PARAMETER` for NULL `key` or `(NULL, size > 0)`.
 */
pp_error pp_crypto_key_save_pem(const struct pp_crypto_key *key,
                                bool public_only,
                                char *buf,
                                size_t size,
                                size_t *out_len);

/**
 * Whether the key has no private part (`CryptoKey.is_public_only`). False for NULL.
 */
bool pp_crypto_key_is_public_only(const struct pp_crypto_key *key);

/**
 * Frees a key handle. NULL is a no-op; options made with it keep their own reference.
 */
void pp_crypto_key_free(struct pp_crypto_key *key);

/**
 * Loads one certificate or a chain (PEM blocks concatenated, leaf first) from PEM
 * (`X509Certificate.load_from_string`).
 *
 * - `out_cert`: receives the certificate; free it with `pp_x509_certificate_free`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_DATA` if there is no valid certificate (reason:
 * `pp_tls_get_last_error_text`); `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_x509_certificate_load_pem(const uint8_t *pem, size_t len, struct pp_x509_certificate **out_cert);

/**
 * Loads one certificate from DER. As `pp_x509_certificate_load_pem` otherwise.
 */
pp_error pp_x509_certificate_load_der(const uint8_t *der, size_t len, struct pp_x509_certificate **out_cert);

/**
 * Saves every certificate of the chain as PEM, concatenated (`X509Certificate.save_to_string`).
 * Text rule and codes as `pp_crypto_key_save_pem`.
 */
pp_error pp_x509_certificate_save_pem(const struct pp_x509_certificate *cert,
                                      char *buf,
                                      size_t size,
                                      size_t *out_len);

/**
 * Number of certificates in the chain (at least 1); 0 for NULL.
 */
int32_t pp_x509_certificate_get_count(const struct pp_x509_certificate *cert);

/**
 * The SHA-256 fingerprint of the first certificate's DER encoding (what
 * `pp_tls_options_with_pinned_sha256` compares), written to `out_sha256` (`PP_SHA256_SIZE` bytes).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_x509_certificate_get_sha256(const struct pp_x509_certificate *cert, uint8_t *out_sha256);

/**
 * Frees a certificate handle. NULL is a no-op; options made with it keep their own reference.
 */
void pp_x509_certificate_free(struct pp_x509_certificate *cert);

/**
 * `Crypto.generate_rsa(size)`: a new RSA private key, public exponent 65537.
 *
 * - `bits`: 1024..=8192 (the engine leaves the range to mbedTLS).
 * - `out_key`: receives the key; free it with `pp_crypto_key_free`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a size out of range or NULL `out_key`;
 * `PP_FAILED` if OpenSSL fails.
 */
pp_error pp_crypto_generate_rsa(int32_t bits, struct pp_crypto_key **out_key);

/**
 * `Crypto.generate_self_signed_certificate(key, issuer_name, not_before, not_after)`: subject =
 * issuer = the name, serial 1, SHA-256 signature, CA:TRUE (so it can also be a client's trusted
 * chain), like the engine.
 *
 * - `key`: a private key (RSA or EC).
 * - `issuer_name`: Godot's format, e.g. `"CN=myserver,O=myorganisation,C=IT"`; NULL = that default.
 * - `not_before`, `not_after`: UTC `"YYYYMMDDhhmmss"`; NULL = `"20140101000000"` /
 *   `"20340101000000"` (the engine's defaults).
 * - `out_cert`: receives the certificate; free it with `pp_x509_certificate_free`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a public-only key, a malformed name or date,
 * NULL `key`/`out_cert` (reason: `pp_tls_get_last_error_text`); `PP_FAILED` if OpenSSL fails.
 */
pp_error pp_crypto_generate_self_signed_certificate(const struct pp_crypto_key *key,
                                                    const char *issuer_name,
                                                    const char *not_before,
                                                    const char *not_after,
                                                    struct pp_x509_certificate **out_cert);

/**
 * `TLSOptions.client(trusted_chain, common_name_override)`: verify the peer's chain (against
 * `trusted_chain`, else the CA bundle: the system's unless `pp_tls_set_certificate_bundle_override`)
 * and its name (`common_name_override` if not NULL/empty, else the connect call's name), which is
 * also sent as SNI (an IP address is checked against the certificate's IP entries, not sent).
 *
 * - `trusted_chain`: NULL or a certificate handle (copied; free yours when you like).
 * - `out_options`: receives the options; free them with `pp_tls_options_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL `out_options`, a handle of another type,
 * or a name that is not UTF-8.
 */
pp_error pp_tls_options_client(const struct pp_x509_certificate *trusted_chain,
                               const char *common_name_override,
                               struct pp_tls_options **out_options);

/**
 * `TLSOptions.client_unsafe(trusted_chain)`: no name check, no SNI; the chain is verified against
 * `trusted_chain` when one is given, otherwise nothing is verified. Codes as
 * `pp_tls_options_client`.
 */
pp_error pp_tls_options_client_unsafe(const struct pp_x509_certificate *trusted_chain,
                                      struct pp_tls_options **out_options);

/**
 * `TLSOptions.server(key, certificate)`: the certificate may be a chain (sent whole); no client
 * certificates are asked for.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments, a public-only key, or a key that
 * does not match the certificate (the engine finds that out at the first handshake; reason:
 * `pp_tls_get_last_error_text`).
 */
pp_error pp_tls_options_server(const struct pp_crypto_key *key,
                               const struct pp_x509_certificate *certificate,
                               struct pp_tls_options **out_options);

/**
 * Beyond the engine: new options equal to `options` that also require the peer's certificate to
 * have one of `count` SHA-256 fingerprints (`PP_SHA256_SIZE` bytes each, back to back in
 * `sha256s`; see
 * `pp_x509_certificate_get_sha256`). A pin replaces chain verification (a self-signed server can be
 * trusted without turning verification off); client options still check the name. Server options
 * ignore pins. `count` 0 removes the pins.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments (`sha256s` may be NULL when
 * `count` is 0).
 */
pp_error pp_tls_options_with_pinned_sha256(const struct pp_tls_options *options,
                                           const uint8_t *sha256s,
                                           size_t count,
                                           struct pp_tls_options **out_options);

/**
 * New options equal to `options` with TLS 1.3 allowed (`true`, the default) or not (stream TLS
 * only; DTLS is always 1.2). The engine has one global setting (`network/tls/enable_tls_v1.3`).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_tls_options_with_tls13(const struct pp_tls_options *options,
                                   bool enabled,
                                   struct pp_tls_options **out_options);

/**
 * Which constructor made the options; `PP_TLS_OPTIONS_CLIENT` for NULL.
 */
pp_tls_options_kind pp_tls_options_get_kind(const struct pp_tls_options *options);

/**
 * `is_server()`; false for NULL.
 */
bool pp_tls_options_is_server(const struct pp_tls_options *options);

/**
 * `is_unsafe_client()`; false for NULL.
 */
bool pp_tls_options_is_unsafe_client(const struct pp_tls_options *options);

/**
 * `get_common_name_override()` copied with the text rule of `pp_tls_get_last_error_text`
 * (`""` when none). `PP_ERR_INVALID_PARAMETER` for NULL `options`.
 */
pp_error pp_tls_options_get_common_name_override(const struct pp_tls_options *options,
                                                 char *buf,
                                                 size_t size,
                                                 size_t *out_len);

/**
 * `get_trusted_ca_chain()`: a new handle on the trusted chain in `*out_cert` (free it with
 * `pp_x509_certificate_free`). `PP_ERR_UNAVAILABLE` when the options have none;
 * `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_tls_options_get_trusted_ca_chain(const struct pp_tls_options *options,
                                             struct pp_x509_certificate **out_cert);

/**
 * `get_private_key()` of server options: a new key handle in `*out_key` (free it with
 * `pp_crypto_key_free`). `PP_ERR_UNAVAILABLE` for client options; `PP_ERR_INVALID_PARAMETER` for
 * NULL arguments.
 */
pp_error pp_tls_options_get_private_key(const struct pp_tls_options *options, struct pp_crypto_key **out_key);

/**
 * `get_own_certificate()` of server options: a new certificate handle in `*out_cert`.
 * `PP_ERR_UNAVAILABLE` for client options; `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_tls_options_get_own_certificate(const struct pp_tls_options *options,
                                            struct pp_x509_certificate **out_cert);

/**
 * Frees an options handle. NULL is a no-op; sessions started with the options are not affected.
 */
void pp_tls_options_free(struct pp_tls_options *options);

/**
 * The CA bundle `pp_tls_options_client` options without a trusted chain use instead of the
 * system's (the engine's `network/tls/certificate_bundle_override`), process-wide, for sessions
 * started afterwards. `(NULL, 0)` goes back to the system bundle.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_DATA` if the PEM holds no certificate (reason:
 * `pp_tls_get_last_error_text`); `PP_ERR_INVALID_PARAMETER` for `(NULL, len > 0)`.
 */
pp_error pp_tls_set_certificate_bundle_override(const uint8_t *pem, size_t len);

/**
 * The CA bundle override from a PEM file, as the engine's `network/tls/certificate_bundle_override`
 * (a path): same effect as `pp_tls_set_certificate_bundle_override` with the file's content. The
 * file is read once, now (at most 16 MiB); NULL or `""` goes back to the system bundle. On error
 * the override is unchanged.
 *
 * Returns `PP_OK`; `PP_ERR_FILE_NOT_FOUND`, `PP_ERR_FILE_NO_PERMISSION`, `PP_ERR_FILE_CANT_OPEN`,
 * `PP_ERR_FILE_CANT_READ` (a directory, an I/O error, a file over 16 MiB), `PP_ERR_INVALID_DATA`
 * (no certificate in it) — the reason in `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER`
 * for a path that is not UTF-8.
 */
pp_error pp_tls_set_certificate_bundle_override_path(const char *path);

/** @} */

/* ====================================================================================================
 * 13. StreamPeerTLS: TLS over any StreamPeer
 * ==================================================================================================== */

/**
 * @defgroup pp_stream_peer_tls StreamPeerTLS: TLS over any StreamPeer
 *
 * Godot's StreamPeerTLS, a pp_stream_peer. Make it with pp_stream_peer_tls_new, then
 * connect_to_stream (client) or accept_stream (server) over any connected StreamPeer
 * (TCP, a pipe, an extension) with a pp_tls_options, and pp_stream_peer_tls_poll until
 * the status is CONNECTED or one of the errors. Then read and write it with the
 * StreamPeer calls (or give it to a PacketPeerStream); free it with pp_stream_peer_free.
 * Nothing runs in the background: the handshake advances in poll, reads and writes.
 * ERROR_HOSTNAME_MISMATCH only for a real name mismatch; why a handshake failed:
 * pp_stream_peer_tls_get_last_error_text. TLS 1.2 and 1.3.
 *
 * @{
 */

/**
 * Status of a StreamPeerTLS or a PacketPeerDTLS (Godot's `StreamPeerTLS.Status` and
 * `PacketPeerDTLS.Status`, same values). `int32_t` in C.
 */
enum pp_tls_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * No session (never connected, closed by either side, or released).
     */
    PP_TLS_STATUS_DISCONNECTED = 0,
    /**
     * Handshake under way: keep calling the object's `_poll`.
     */
    PP_TLS_STATUS_HANDSHAKING = 1,
    /**
     * Connected: data can be read and written.
     */
    PP_TLS_STATUS_CONNECTED = 2,
    /**
     * The handshake or the session failed (see the object's `_get_last_error_text`).
     */
    PP_TLS_STATUS_ERROR = 3,
    /**
     * The peer's certificate does not match the expected name. Only for a real mismatch (the
     * engine also uses it for any immediate handshake failure).
     */
    PP_TLS_STATUS_ERROR_HOSTNAME_MISMATCH = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_tls_status pp_tls_status;
#else
typedef int32_t pp_tls_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Counters of a StreamPeerTLS (`pp_stream_peer_tls_get_stats`); they start at 0 and only grow
 * (a new `connect_to_stream`/`accept_stream` on the same stream keeps counting).
 */
typedef struct pp_tls_stats {
    /**
     * Handshakes that completed.
     */
    uint64_t handshakes_completed;
    /**
     * Handshakes that failed (verification, alert, timeout, pin, transport error).
     */
    uint64_t handshakes_failed;
    /**
     * Plaintext bytes decrypted from the peer (read by the caller or waiting to be).
     */
    uint64_t bytes_in;
    /**
     * Plaintext bytes the put calls took (encrypted and queued for the transport).
     */
    uint64_t bytes_out;
    /**
     * Put calls refused (nothing taken) because the transport had not taken the bytes queued
     * before (the caller retries; `pp_stream_peer_put_partial_data` returns 0 sent).
     */
    uint64_t writes_refused;
} pp_tls_stats;

/**
 * Makes a StreamPeerTLS (status DISCONNECTED). It is a `pp_stream_peer`: once CONNECTED, read and
 * write it with the StreamPeer base calls (before that they return `PP_ERR_UNCONFIGURED`; the
 * blocking `put_data`/`get_data` give up with `PP_ERR_TIMEOUT` after the handshake timeout instead
 * of spinning forever). Plaintext that arrived before the peer closed can still be read after the
 * status changed (the engine drops it).
 *
 * - `out_stream`: receives the stream; free it with `pp_stream_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_stream` is NULL.
 */
pp_error pp_stream_peer_tls_new(struct pp_stream_peer **out_stream);

/**
 * `connect_to_stream(stream, common_name, client_options)`: starts a client handshake over
 * `stream` (any `pp_stream_peer`, e.g. a connected StreamPeerTCP; the TLS object keeps a reference,
 * so you may free your handle).
 *
 * - `common_name`: the name checked in the certificate and sent as SNI (unless the options have a
 *   `common_name_override` or are `client_unsafe`).
 * - `options`: client options, or NULL for `pp_tls_options_client(NULL, NULL)`.
 *
 * Returns `PP_OK` (status HANDSHAKING, or already CONNECTED); `PP_ERR_INVALID_PARAMETER` for NULL
 * `tls`/`stream`/`common_name`, a `tls` of another class, `stream` being `tls` itself, or server
 * options; `PP_ERR_ALREADY_IN_USE` while handshaking or connected; `PP_FAILED` if the first
 * handshake step failed (the status says how; `pp_stream_peer_tls_get_last_error_text` says why).
 */
pp_error pp_stream_peer_tls_connect_to_stream(struct pp_stream_peer *tls,
                                              struct pp_stream_peer *stream,
                                              const char *common_name,
                                              const struct pp_tls_options *options);

/**
 * `accept_stream(stream, server_options)`: starts a server handshake over `stream`.
 *
 * Returns `PP_OK` (HANDSHAKING); `PP_ERR_INVALID_PARAMETER` for NULL arguments, another class,
 * `stream` being `tls` itself, or client options; `PP_ERR_ALREADY_IN_USE` while handshaking or connected; `PP_FAILED` if the first
 * step failed.
 */
pp_error pp_stream_peer_tls_accept_stream(struct pp_stream_peer *tls,
                                          struct pp_stream_peer *stream,
                                          const struct pp_tls_options *options);

/**
 * `poll()`: advances the handshake, or when connected reads incoming records (a close_notify from
 * the peer is answered and the status becomes DISCONNECTED; the transport closing under the
 * session also gives DISCONNECTED; other failures ERROR). Call it regularly.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tls_poll(struct pp_stream_peer *tls);

/**
 * `get_status()`. `PP_TLS_STATUS_DISCONNECTED` for NULL or another class.
 */
pp_tls_status pp_stream_peer_tls_get_status(struct pp_stream_peer *tls);

/**
 * `get_stream()`: a new handle on the transport stream in `*out_stream` (free it with
 * `pp_stream_peer_free`). `PP_ERR_UNAVAILABLE` when there is none (never connected, or released
 * after a disconnect or failure); `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tls_get_stream(struct pp_stream_peer *tls, struct pp_stream_peer **out_stream);

/**
 * `disconnect_from_stream()`: sends close_notify when connected, then releases the session and the
 * transport (which stays open: close it yourself). Status DISCONNECTED.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_stream_peer_tls_disconnect_from_stream(struct pp_stream_peer *tls);

/**
 * Sets the handshake time limit (default 60 000 ms; the engine has none), also the limit of the
 * blocking `put_data`/`get_data`. `ms` must be > 0.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for `ms <= 0`, NULL or another class.
 */
pp_error pp_stream_peer_tls_set_handshake_timeout(struct pp_stream_peer *tls, int32_t ms);

/**
 * Why the last handshake, read or write failed (`""` if nothing failed): OpenSSL's reason and the
 * certificate verify result. Text rule as `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER`
 * for NULL or another class.
 */
pp_error pp_stream_peer_tls_get_last_error_text(struct pp_stream_peer *tls,
                                                char *buf,
                                                size_t size,
                                                size_t *out_len);

/**
 * The stream's counters into `*out_stats`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class.
 */
pp_error pp_stream_peer_tls_get_stats(struct pp_stream_peer *tls, struct pp_tls_stats *out_stats);

/** @} */

/* ====================================================================================================
 * 14. PacketPeerDTLS: DTLS over a connected PacketPeerUDP
 * ==================================================================================================== */

/**
 * @defgroup pp_packet_peer_dtls PacketPeerDTLS: DTLS over a connected PacketPeerUDP
 *
 * Godot's PacketPeerDTLS, a pp_peer. Make it with pp_packet_peer_dtls_new, then
 * connect_to_peer over a connected PacketPeerUDP with client pp_tls_options, and
 * pp_packet_peer_dtls_poll until CONNECTED; server-side peers come from a DTLSServer.
 * Then send and receive with the PacketPeer calls: one pp_put_packet is one record in
 * one datagram. Differences from the engine: get_packet with nothing ready is
 * PP_ERR_UNAVAILABLE, a datagram the socket would not take is PP_ERR_BUSY and counted
 * (pp_dtls_stats), handshakes time out. Why it failed:
 * pp_packet_peer_dtls_get_last_error_text. Free it with pp_peer_free.
 *
 * @{
 */

/**
 * Counters of a PacketPeerDTLS (`pp_packet_peer_dtls_get_stats`); they start at 0 and only grow.
 */
typedef struct pp_dtls_stats {
    /**
     * Handshakes that completed.
     */
    uint64_t handshakes_completed;
    /**
     * Handshakes that failed (verification, alert, timeout, pin).
     */
    uint64_t handshakes_failed;
    /**
     * Datagrams read from the UDP peer (including ones OpenSSL then discarded as invalid).
     */
    uint64_t datagrams_in;
    /**
     * Datagrams sent.
     */
    uint64_t datagrams_out;
    /**
     * Application packets decrypted.
     */
    uint64_t packets_in;
    /**
     * Application packets sent.
     */
    uint64_t packets_out;
    /**
     * Datagrams the socket would not take (dropped; `pp_put_packet` returned `PP_ERR_BUSY`).
     */
    uint64_t send_busy;
    /**
     * Decrypted packets dropped because the receive queue was full (1024 packets or 1 MiB).
     */
    uint64_t queue_drops;
    /**
     * Fatal record errors after the handshake.
     */
    uint64_t record_errors;
    /**
     * Datagrams read after the handshake that delivered no packet, which OpenSSL discards silently:
     * replayed records (the DTLS replay window), records failing authentication or of another
     * epoch, handshake retransmissions. Nothing is delivered twice.
     */
    uint64_t records_discarded;
} pp_dtls_stats;

/**
 * Makes a PacketPeerDTLS (status DISCONNECTED). It is a `pp_peer`: once CONNECTED use the base
 * calls. `pp_put_packet` sends one application-data record in one datagram: `PP_OK`;
 * `PP_ERR_UNCONFIGURED` when not connected; `PP_ERR_BUSY` when the socket would not take the
 * datagram (it is dropped and counted; the engine says OK and loses it); `PP_ERR_INVALID_PARAMETER`
 * above 16 384 bytes; `PP_ERR_CONNECTION_ERROR` on a fatal error (status ERROR). A 0-byte packet
 * is OK and sends nothing. `pp_get_packet`: the oldest decrypted packet; `PP_ERR_UNAVAILABLE` when
 * none is ready (the engine: OK with an empty packet); `PP_ERR_UNCONFIGURED` when not connected
 * and nothing is queued; `PP_ERR_CONNECTION_ERROR` when this very call found the session closed or
 * failed. `pp_get_available_packet_count` reads the socket and counts the queued packets (the
 * engine: 0 or 1 after a poll). `pp_get_max_packet_size`: 488 (nominal, like the engine).
 *
 * - `out_peer`: receives the peer; free it with `pp_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
 */
pp_error pp_packet_peer_dtls_new(struct pp_peer **out_peer);

/**
 * `connect_to_peer(packet_peer, hostname, client_options)`: starts a client handshake (sends the
 * ClientHello) over a connected PacketPeerUDP (`pp_packet_peer_udp_connect_to_host`). The DTLS peer
 * keeps a reference to the UDP peer until the session ends; do not read the UDP peer yourself
 * meanwhile.
 *
 * - `hostname`: the name checked in the certificate and sent as SNI.
 * - `options`: client options, or NULL for `pp_tls_options_client(NULL, NULL)`.
 *
 * Returns `PP_OK` (HANDSHAKING, or already CONNECTED); `PP_ERR_INVALID_PARAMETER` for NULL
 * `dtls`/`udp_peer`/`hostname`, a `dtls` that is not a PacketPeerDTLS, a `udp_peer` that is not a
 * connected PacketPeerUDP, or server options; `PP_ERR_ALREADY_IN_USE` while handshaking or
 * connected; `PP_FAILED` if the first step failed (status ERROR, or ERROR_HOSTNAME_MISMATCH only
 * for a real mismatch — the engine sets that status for any immediate failure).
 */
pp_error pp_packet_peer_dtls_connect_to_peer(struct pp_peer *dtls,
                                             struct pp_peer *udp_peer,
                                             const char *hostname,
                                             const struct pp_tls_options *options);

/**
 * `poll()`: advances the handshake (and its retransmission timer: 1 s, doubling), or when
 * connected decrypts waiting records into the queue (a close_notify from the peer is answered and
 * the status becomes DISCONNECTED; fatal errors ERROR). Call it regularly.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_dtls_poll(struct pp_peer *dtls);

/**
 * `get_status()`. `PP_TLS_STATUS_DISCONNECTED` for NULL or another class.
 */
pp_tls_status pp_packet_peer_dtls_get_status(struct pp_peer *dtls);

/**
 * `disconnect_from_peer()`: sends close_notify when connected and drops the session (also during a
 * handshake, which the engine ignores). Status DISCONNECTED; the UDP peer is released.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_dtls_disconnect_from_peer(struct pp_peer *dtls);

/**
 * Sets the handshake time limit (default 60 000 ms, about mbedTLS's retransmission limit). `ms`
 * must be > 0.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for `ms <= 0`, NULL or another class.
 */
pp_error pp_packet_peer_dtls_set_handshake_timeout(struct pp_peer *dtls, int32_t ms);

/**
 * Why the handshake or session failed (`""` if nothing failed). Text rule as
 * `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_packet_peer_dtls_get_last_error_text(struct pp_peer *dtls,
                                                 char *buf,
                                                 size_t size,
                                                 size_t *out_len);

/**
 * The peer's counters into `*out_stats`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class.
 */
pp_error pp_packet_peer_dtls_get_stats(struct pp_peer *dtls, struct pp_dtls_stats *out_stats);

/** @} */

/* ====================================================================================================
 * 15. DTLSServer: accepting DTLS peers
 * ==================================================================================================== */

/**
 * @defgroup pp_dtls_server DTLSServer: accepting DTLS peers
 *
 * Godot's DTLSServer, a pp_dtls_server. pp_dtls_server_setup with server
 * pp_tls_options, then pp_dtls_server_take_connection for each PacketPeerUDP a
 * UDPServer accepted: it gives a PacketPeerDTLS in HANDSHAKING (the first, before the
 * cookie is verified, ends in ERROR as in the engine; no state is kept for a source
 * before its cookie checks out). Handshakes under way are bounded
 * (pp_dtls_server_set_max_handshakes) and refusals counted (pp_dtls_server_stats).
 *
 * @{
 */

/**
 * Counters of a DTLSServer (`pp_dtls_server_get_stats`).
 */
typedef struct pp_dtls_server_stats {
    /**
     * ClientHellos without a valid cookie, answered with a HelloVerifyRequest (the cookie round).
     */
    uint64_t cookie_rounds;
    /**
     * Verified handshakes refused because `max_handshakes` were under way.
     */
    uint64_t refused_handshakes;
    /**
     * New sources whose first datagram was not a usable ClientHello (garbage, fragments, …).
     */
    uint64_t failed_first_steps;
    /**
     * Handshakes started after a verified cookie.
     */
    uint64_t handshakes_started;
    /**
     * Handshakes under way now (started, not yet connected, failed or freed).
     */
    uint64_t handshakes_under_way;
} pp_dtls_server_stats;

/**
 * Makes a DTLSServer (not set up; at most 128 handshakes under way after their cookie round).
 *
 * - `out_server`: receives the server; free it with `pp_dtls_server_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_server` is NULL.
 */
pp_error pp_dtls_server_new(struct pp_dtls_server **out_server);

/**
 * Frees a DTLSServer. NULL is a no-op. Peers it handed out keep working.
 */
void pp_dtls_server_free(struct pp_dtls_server *server);

/**
 * `setup(server_options)`: takes the certificate and key and makes a random cookie secret.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL or client options; `PP_ERR_ALREADY_IN_USE`
 * for a second call (like the engine).
 */
pp_error pp_dtls_server_setup(struct pp_dtls_server *server, const struct pp_tls_options *options);

/**
 * `take_connection(udp_peer)`: a new PacketPeerDTLS for a peer from `pp_udp_server_take_connection`,
 * whose status is the result: HANDSHAKING (keep it and poll it); ERROR — including the expected
 * cookie round: a ClientHello without a valid cookie is answered with a HelloVerifyRequest, this
 * peer ends in ERROR and releases the UDP peer, and the client's retry comes back as a new UDPServer
 * connection (free both of your handles of such a peer so its address is forgotten) — also for a
 * first datagram that is not a ClientHello (the engine keeps a HANDSHAKING object), and when
 * `max_handshakes` are under way (counted); DISCONNECTED if the UDP peer is not connected. The UDP
 * peer is switched to non-blocking sends. Cookies are HMAC-SHA256 of the client's address and port.
 * A ClientHello fragmented over several datagrams is taken when all its fragments are already
 * queued on the UDP peer (a client sends them back to back; at most 64 fragments, 64 KiB);
 * otherwise the peer ends in ERROR, counted in `failed_first_steps`, and the client's
 * retransmission tries again (no state is kept for a source before its cookie is verified).
 *
 * - `out_peer`: receives the new peer; free it with `pp_peer_free`.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` if the server is not set up; `PP_ERR_INVALID_PARAMETER`
 * for NULL arguments or a `udp_peer` that is not a PacketPeerUDP.
 */
pp_error pp_dtls_server_take_connection(struct pp_dtls_server *server,
                                        struct pp_peer *udp_peer,
                                        struct pp_peer **out_peer);

/**
 * Sets how many handshakes (after their cookie round) may be under way at once; beyond it a new
 * peer ends in ERROR and is counted. Default 128; 0 refuses every handshake.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or a negative `max`.
 */
pp_error pp_dtls_server_set_max_handshakes(struct pp_dtls_server *server, int32_t max);

/**
 * The server's counters into `*out_stats`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_dtls_server_get_stats(struct pp_dtls_server *server, struct pp_dtls_server_stats *out_stats);

/**
 * Why the last setup or new peer failed (`""` if none did). Text rule as
 * `pp_tls_get_last_error_text`; `PP_ERR_INVALID_PARAMETER` for NULL.
 */
pp_error pp_dtls_server_get_last_error_text(struct pp_dtls_server *server,
                                            char *buf,
                                            size_t size,
                                            size_t *out_len);

/** @} */

/* ====================================================================================================
 * 16. WebSocketPeer: a WebSocket connection
 * ==================================================================================================== */

/**
 * @defgroup pp_websocket_peer WebSocketPeer: a WebSocket connection
 *
 * Godot's WebSocketPeer, a pp_peer. Client: pp_websocket_peer_new, set the options
 * (sub-protocols, handshake headers, buffer sizes, heartbeat), connect_to_url (ws://
 * or wss:// with client pp_tls_options, NULL = system CAs), then
 * pp_websocket_peer_poll until get_ready_state is OPEN. Server: accept_stream over a
 * StreamPeerTCP taken from a TCPServer, or for wss over a StreamPeerTLS started with
 * pp_stream_peer_tls_accept_stream. Why a connection failed (TLS reason included):
 * get_last_error_text, get_tls_status. Messages: pp_put_packet sends binary (or
 * pp_websocket_peer_send / _send_text), pp_get_packet pops one of either kind
 * (was_string_packet tells), put_var/get_var work. close(code, reason) starts the
 * closing handshake; poll until CLOSED, then get_close_code/_reason. No silent loss:
 * a full inbound queue throttles the socket, every refused send returns its code and
 * is counted (pp_websocket_stats), messages queued before CLOSING stay readable.
 *
 * @{
 */

/**
 * `WebSocketPeer.State`, from `pp_websocket_peer_get_ready_state`. `int32_t` in C.
 */
enum pp_websocket_peer_state
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Resolving, connecting or in the opening handshake (call `pp_websocket_peer_poll`).
     */
    PP_WEBSOCKET_PEER_STATE_CONNECTING = 0,
    /**
     * Open: messages flow.
     */
    PP_WEBSOCKET_PEER_STATE_OPEN = 1,
    /**
     * A close frame was sent or received; keep polling until CLOSED.
     */
    PP_WEBSOCKET_PEER_STATE_CLOSING = 2,
    /**
     * No connection (also the initial state).
     */
    PP_WEBSOCKET_PEER_STATE_CLOSED = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_websocket_peer_state pp_websocket_peer_state;
#else
typedef int32_t pp_websocket_peer_state;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * `WebSocketPeer.WriteMode`, the `write_mode` of `pp_websocket_peer_send`. `int32_t` in C.
 */
enum pp_websocket_write_mode
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * A text message (opcode 1); the bytes must be UTF-8.
     */
    PP_WEBSOCKET_WRITE_MODE_TEXT = 0,
    /**
     * A binary message (opcode 2).
     */
    PP_WEBSOCKET_WRITE_MODE_BINARY = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_websocket_write_mode pp_websocket_write_mode;
#else
typedef int32_t pp_websocket_write_mode;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Counters of a WebSocketPeer, from `pp_websocket_peer_get_stats` (beyond the engine). They start at 0
 * when the peer is made and only grow.
 */
typedef struct pp_websocket_stats {
    /**
     * Messages accepted by the send calls.
     */
    uint64_t messages_sent;
    /**
     * Payload bytes of those messages.
     */
    uint64_t bytes_sent;
    /**
     * Messages received (and queued for reading).
     */
    uint64_t messages_received;
    /**
     * Payload bytes of those messages.
     */
    uint64_t bytes_received;
    /**
     * Sends refused with `PP_ERR_OUT_OF_MEMORY` because `max_queued_packets` messages were queued.
     */
    uint64_t refused_queue_full;
    /**
     * Sends refused with `PP_ERR_OUT_OF_MEMORY` because the message did not fit `outbound_buffer_size`.
     */
    uint64_t refused_too_big;
    /**
     * Polls that stopped reading the socket because the inbound queue was full (back-pressure).
     */
    uint64_t read_throttled;
} pp_websocket_stats;

/**
 * Makes a WebSocketPeer: state CLOSED, the engine's defaults (no protocols or extra headers, 65535-byte
 * inbound and outbound buffers, 4096 queued messages, no heartbeat).
 *
 * - `out_peer`: receives the peer; free it with `pp_peer_free` (an open connection is dropped
 *   without a close frame).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
 */
pp_error pp_websocket_peer_new(struct pp_peer **out_peer);

/**
 * Starts a client connection (`connect_to_url(url, tls_client_options)`); non-blocking: state
 * CONNECTING, progress in `pp_websocket_peer_poll`. A numeric host (`127.0.0.1`, `[::1]`) never
 * waits; a name is resolved in this call, blocking up to the system resolver's timeout (the library
 * starts no threads; the engine resolves in the background), and each address is tried in order
 * (the engine's order). Default port 80 (443 for wss), default path `/`; the path keeps its query,
 * the fragment and any credentials are dropped, the host is lower-cased.
 *
 * - `url`: `ws://host[:port][/path]` or `wss://…` (a missing scheme means `ws://`).
 * - `tls_client_options`: for `wss://`, client options (`pp_tls_options_client` or
 *   `_client_unsafe`, optionally pinned; copied, you may free yours), or NULL for
 *   `pp_tls_options_client(NULL, NULL)`: the system CA bundle, and the certificate must name the
 *   URL's host (also sent as SNI unless it is an IP address). Ignored for `ws://`, like the engine.
 *   The TLS handshake runs in `pp_websocket_peer_poll` before the WebSocket handshake, bounded by
 *   StreamPeerTLS's 60 s (the engine: no bound); if it fails the peer turns CLOSED (close code -1)
 *   and `pp_websocket_peer_get_tls_status` / `pp_websocket_peer_get_last_error_text` say why (the
 *   engine only prints it).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for an empty or unparsable URL (unclosed `[`, port
 * outside 1..65535), a scheme other than ws/wss, server options, options of another handle type,
 * NULL or another class; `PP_ERR_ALREADY_IN_USE` unless CLOSED or CLOSING; `PP_ERR_CANT_RESOLVE`
 * for a name without addresses; `PP_FAILED` if no TCP connect can start.
 */
pp_error pp_websocket_peer_connect_to_url(struct pp_peer *peer,
                                          const char *url,
                                          const struct pp_tls_options *tls_client_options);

/**
 * Server side over an accepted connection (`accept_stream(stream)`): state CONNECTING, the handshake
 * completes in `pp_websocket_peer_poll` (a request the engine would refuse closes the connection,
 * no HTTP response). TCP_NODELAY is set.
 *
 * - `stream`: a CONNECTED StreamPeerTCP (from `pp_tcp_server_take_connection`), or for `wss` a
 *   StreamPeerTLS that `pp_stream_peer_tls_accept_stream` started (HANDSHAKING or CONNECTED; the
 *   WebSocket handshake waits for the TLS handshake, `pp_websocket_peer_poll` drives both). Its
 *   connection moves into the WebSocketPeer: afterwards `stream` is an unconnected StreamPeerTCP
 *   (status NONE) or a DISCONNECTED StreamPeerTLS, that you still free with `pp_stream_peer_free`.
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless CLOSED or CLOSING (the stream is untouched);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class, a StreamPeerTCP that is not connected or a
 * StreamPeerTLS that is neither handshaking nor connected.
 */
pp_error pp_websocket_peer_accept_stream(struct pp_peer *peer, struct pp_stream_peer *stream);

/**
 * Why the last connection failed to start or ended without a close handshake (beyond the engine,
 * which prints it): a TCP connect that failed, the TLS handshake's failure with OpenSSL's reason and
 * the certificate verify result, a refused opening handshake, a timeout, an unanswered heartbeat
 * ping, a close handshake that did not finish, a connection that just ended. `""` while nothing
 * failed since the last connect/accept (a normal close leaves it empty).
 *
 * - `out_text`, `out_text_size`, `out_len`: the text-out rule (see the header's conventions).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_peer_get_last_error_text(struct pp_peer *peer,
                                               char *out_text,
                                               size_t out_text_size,
                                               size_t *out_len);

/**
 * The status of the connection's TLS session (beyond the engine): `PP_TLS_STATUS_DISCONNECTED` for
 * `ws://` and after a `wss` connection ended normally; HANDSHAKING, then CONNECTED; ERROR, or
 * ERROR_HOSTNAME_MISMATCH when the certificate does not name the host, if the TLS handshake failed
 * (kept until the next connect/accept). `PP_TLS_STATUS_DISCONNECTED` for NULL or another class.
 */
pp_tls_status pp_websocket_peer_get_tls_status(struct pp_peer *peer);

/**
 * Drives the connection (`poll()`): resolving, TCP connect, opening handshake, writing queued
 * messages, reading (while the inbound queue has room), answering pings, echoing a close, the
 * heartbeat, and finishing a close. Call it regularly, also while CLOSING.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class. (What happened shows
 * in the ready state and the close code.)
 */
pp_error pp_websocket_peer_poll(struct pp_peer *peer);

/**
 * Queues one message (`send(message, write_mode)`), sent unfragmented by the next
 * `pp_websocket_peer_poll`. `pp_put_packet` is the same with BINARY.
 *
 * - `data`, `len`: the payload (copied); `(NULL, 0)` is an empty message.
 * - `write_mode`: a `pp_websocket_write_mode`.
 *
 * Returns `PP_OK`; `PP_FAILED` unless OPEN; `PP_ERR_OUT_OF_MEMORY` (counted in the stats) if
 * `max_queued_packets` messages are queued or the queued bytes plus this message exceed
 * `outbound_buffer_size` (so with the default 65535 a larger message cannot be sent: raise it);
 * `PP_ERR_INVALID_PARAMETER` for TEXT bytes that are not UTF-8 (the engine sends them and a Godot
 * receiver closes with 1007), an unknown mode, a bad buffer, NULL or another class.
 */
pp_error pp_websocket_peer_send(struct pp_peer *peer, const uint8_t *data, size_t len, int32_t write_mode);

/**
 * Queues a text message (`send_text(message)`); as `pp_websocket_peer_send` with TEXT.
 *
 * - `text`: NUL-terminated UTF-8 (copied).
 *
 * Returns as `pp_websocket_peer_send`.
 */
pp_error pp_websocket_peer_send_text(struct pp_peer *peer, const char *text);

/**
 * Whether the message the last `pp_get_packet` / `pp_get_var` returned was a text message. False for
 * NULL or another class.
 */
bool pp_websocket_peer_was_string_packet(struct pp_peer *peer);

/**
 * Closes (`close(code, reason)`). `code` < 0: the connection is dropped at once (no close frame,
 * CLOSED, close code -1). OPEN: queues a close frame (code 0 sends an empty body) and turns CLOSING;
 * CLOSED follows in `pp_websocket_peer_poll` when the peer's close arrives (or after 10 s).
 * CONNECTING: dropped at once. CLOSING / CLOSED: nothing.
 *
 * - `code`: -1 (abrupt), 0 (no code) or 1..65535; the engine's default is 1000.
 * - `reason`: NULL or NUL-terminated UTF-8, at most 123 bytes (the engine accepts longer reasons,
 *   sends nothing and still turns CLOSING).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (nothing changes) for a reason over 123 bytes, a code
 * above 65535, NULL `peer` or another class.
 */
pp_error pp_websocket_peer_close(struct pp_peer *peer, int32_t code, const char *reason);

/**
 * The close status (`get_close_code()`): the code of the peer's close frame (0 if it had none); the
 * code this side sent when it aborted (1002 protocol error, 1007 invalid payload data, 1009 message
 * too big); -1 when the connection ended without a close handshake (or never opened).
 *
 * - `out_code`: receives it.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_peer_get_close_code(struct pp_peer *peer, int32_t *out_code);

/**
 * The reason of the close status (`get_close_reason()`), UTF-8; `""` when none.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_peer_get_close_reason(struct pp_peer *peer,
                                            char *out_text,
                                            size_t out_text_size,
                                            size_t *out_len);

/**
 * The sub-protocol the handshake selected (`get_selected_protocol()`); `""` when none.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_peer_get_selected_protocol(struct pp_peer *peer,
                                                 char *out_text,
                                                 size_t out_text_size,
                                                 size_t *out_len);

/**
 * `get_requested_url()`: the client's URL as given; on the server side `ws://` + the request's
 * Host header + its path.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_peer_get_requested_url(struct pp_peer *peer,
                                             char *out_text,
                                             size_t out_text_size,
                                             size_t *out_len);

/**
 * The remote address (`get_connected_host()`), dotted IPv4 or eight lowercase hex groups for
 * IPv6; `""` without a connection. `PP_IP_STRING_SIZE` bytes always suffice.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_peer_get_connected_host(struct pp_peer *peer,
                                              char *out_text,
                                              size_t out_text_size,
                                              size_t *out_len);

/**
 * `supported_protocols`, the entries joined with `\n` (`""` when empty).
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_peer_get_supported_protocols(struct pp_peer *peer,
                                                   char *out_text,
                                                   size_t out_text_size,
                                                   size_t *out_len);

/**
 * `handshake_headers`, the lines joined with `\n` (`""` when empty).
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_peer_get_handshake_headers(struct pp_peer *peer,
                                                 char *out_text,
                                                 size_t out_text_size,
                                                 size_t *out_len);

/**
 * The ready state (`get_ready_state()`), a `pp_websocket_peer_state`. It changes only in calls on this
 * peer. `PP_WEBSOCKET_PEER_STATE_CLOSED` for NULL or another class.
 */
pp_websocket_peer_state pp_websocket_peer_get_ready_state(struct pp_peer *peer);

/**
 * The remote port (`get_connected_port()`); 0 without a connection, for NULL or another class.
 */
int32_t pp_websocket_peer_get_connected_port(struct pp_peer *peer);

/**
 * Payload bytes of queued messages not yet fully written (`get_current_outbound_buffered_amount()`);
 * 0 unless OPEN, for NULL or another class.
 */
int32_t pp_websocket_peer_get_current_outbound_buffered_amount(struct pp_peer *peer);

/**
 * TCP_NODELAY on the connection (`set_no_delay(enabled)`; on by default).
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a connection (the engine fails silently);
 * `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_peer_set_no_delay(struct pp_peer *peer, bool enabled);

/**
 * Sets `supported_protocols` (used by the next connection): a client offers them in this order, a
 * server selects the first of the client's offers that is in this list. Entries are
 * whitespace-trimmed.
 *
 * - `protocols`, `count`: `count` NUL-terminated UTF-8 strings (copied); `(NULL, 0)` clears.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for an entry that is NULL, empty after
 * trimming, or holds a comma, CR or LF, a bad array, NULL `peer` or another class.
 */
pp_error pp_websocket_peer_set_supported_protocols(struct pp_peer *peer,
                                                   const char *const *protocols,
                                                   size_t count);

/**
 * Sets `handshake_headers` (used by the next connection): raw `Name: value` lines added to the
 * request (client) or response (server), verbatim and in this order.
 *
 * - `headers`, `count`: `count` NUL-terminated UTF-8 strings (copied); `(NULL, 0)` clears.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a line holding CR or LF (the engine
 * sends it), a NULL entry, a bad array, NULL `peer` or another class.
 */
pp_error pp_websocket_peer_set_handshake_headers(struct pp_peer *peer,
                                                 const char *const *headers,
                                                 size_t count);

/**
 * Sets `inbound_buffer_size` (next connection): the largest message accepted (a larger one is
 * answered with close 1009), 1..1073741824; the engine's default 65535.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
 * class.
 */
pp_error pp_websocket_peer_set_inbound_buffer_size(struct pp_peer *peer, int32_t value);

/**
 * `inbound_buffer_size`.
 *
 * - `out_value`: receives it.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_peer_get_inbound_buffer_size(struct pp_peer *peer, int32_t *out_value);

/**
 * Sets `outbound_buffer_size` (next connection): the most payload bytes queued unsent, 0 =
 * unlimited, up to 1073741824; the engine's default 65535.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
 * class.
 */
pp_error pp_websocket_peer_set_outbound_buffer_size(struct pp_peer *peer, int32_t value);

/**
 * `outbound_buffer_size`.
 *
 * - `out_value`: receives it.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_peer_get_outbound_buffer_size(struct pp_peer *peer, int32_t *out_value);

/**
 * Sets `max_queued_packets` (next connection): the most messages queued in each direction, >= 1;
 * the engine's default 4096. A full inbound queue throttles the socket (nothing is dropped).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
 * class.
 */
pp_error pp_websocket_peer_set_max_queued_packets(struct pp_peer *peer, int32_t value);

/**
 * `max_queued_packets`.
 *
 * - `out_value`: receives it.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_peer_get_max_queued_packets(struct pp_peer *peer, int32_t *out_value);

/**
 * Sets `heartbeat_interval` in seconds (applies at once): while OPEN an empty ping goes out every
 * interval, and if the previous one was not answered by then the connection is dropped (close code
 * -1). 0 turns it off (the default).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a negative or non-finite value, NULL
 * or another class.
 */
pp_error pp_websocket_peer_set_heartbeat_interval(struct pp_peer *peer, double seconds);

/**
 * `heartbeat_interval` in seconds (0 when off).
 *
 * - `out_seconds`: receives it.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_peer_get_heartbeat_interval(struct pp_peer *peer, double *out_seconds);

/**
 * Bounds CONNECTING (resolve, connect, handshake) of later connections (beyond the engine, which
 * waits forever): past it the connection is dropped (CLOSED, close code -1).
 *
 * - `seconds`: > 0, or 0 for no bound (the default).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a negative or non-finite value, NULL or another
 * class.
 */
pp_error pp_websocket_peer_set_handshake_timeout(struct pp_peer *peer, double seconds);

/**
 * The peer's counters (beyond the engine).
 *
 * - `out_stats`: receives them.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_peer_get_stats(struct pp_peer *peer, struct pp_websocket_stats *out_stats);

/** @} */

/* ====================================================================================================
 * 17. ENetConnection: an ENet host
 * ==================================================================================================== */

/**
 * @defgroup pp_enet_connection ENetConnection: an ENet host
 *
 * Godot's ENetConnection (an ENet host), a pp_enet_connection. Make it with
 * pp_enet_connection_new, then create_host or create_host_bound, then connect_to_host
 * for each outgoing peer; free it with pp_enet_connection_free.
 *
 * Events: pp_enet_connection_service runs one service step and returns at most one
 * event, as in Godot; pp_enet_connection_check_events returns events already received,
 * without I/O. Call them until the event type is PP_ENET_EVENT_TYPE_NONE. A RECEIVE
 * event's packet is queued on the event's peer: read it with pp_get_packet.
 *
 * Peers (from events, get_peers and connect_to_host) are pp_peer handles lent by the
 * connection (ENetPacketPeer, next group): valid, possibly inactive, until
 * pp_enet_connection_free frees them with it; pp_peer_free ignores them. Use a
 * connection and its peers from one thread at a time.
 *
 * @{
 */

/**
 * Godot's `ENetConnection.EventType`: the `type` of a `pp_enet_event`. `int32_t` in C.
 */
enum pp_enet_event_type
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * A failure inside `service` (Godot's EVENT_ERROR); the call returns an error too.
     */
    PP_ENET_EVENT_TYPE_ERROR = -1,
    /**
     * Nothing happened before the timeout.
     */
    PP_ENET_EVENT_TYPE_NONE = 0,
    /**
     * A peer connected: `peer`, `data` (the remote's connect data).
     */
    PP_ENET_EVENT_TYPE_CONNECT = 1,
    /**
     * A peer disconnected or timed out: `peer`, `data` (the remote's disconnect data, 0 on timeout).
     */
    PP_ENET_EVENT_TYPE_DISCONNECT = 2,
    /**
     * A packet is queued on `peer` (read it with `pp_get_packet`), from ENet channel `channel`.
     */
    PP_ENET_EVENT_TYPE_RECEIVE = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_enet_event_type pp_enet_event_type;
#else
typedef int32_t pp_enet_event_type;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Godot's `ENetPacketPeer` packet flags, combined with `|` in `pp_enet_packet_peer_send` /
 * `pp_enet_connection_broadcast` and returned by `pp_enet_packet_peer_get_packet_flags`. No flag is a
 * plain unreliable, sequenced packet. `int32_t` in C.
 */
enum pp_enet_packet_flag
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Delivered, once, in order (resent until acknowledged).
     */
    PP_ENET_PACKET_PEER_FLAG_RELIABLE = 1,
    /**
     * Unreliable and not sequenced: may arrive out of order.
     */
    PP_ENET_PACKET_PEER_FLAG_UNSEQUENCED = 2,
    /**
     * An unreliable packet larger than the MTU is sent as unreliable fragments instead of reliably.
     */
    PP_ENET_PACKET_PEER_FLAG_UNRELIABLE_FRAGMENT = 8,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_enet_packet_flag pp_enet_packet_flag;
#else
typedef int32_t pp_enet_packet_flag;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Godot's `ENetConnection.CompressionMode`, for `pp_enet_connection_compress`. Both ends must use
 * the same mode. `int32_t` in C.
 */
enum pp_enet_compression_mode
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_ENET_COMPRESS_NONE = 0,
    PP_ENET_COMPRESS_RANGE_CODER = 1,
    PP_ENET_COMPRESS_FASTLZ = 2,
    PP_ENET_COMPRESS_ZLIB = 3,
    PP_ENET_COMPRESS_ZSTD = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_enet_compression_mode pp_enet_compression_mode;
#else
typedef int32_t pp_enet_compression_mode;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Godot's `ENetConnection.HostStatistic`, for `pp_enet_connection_pop_statistic`. `int32_t` in C.
 */
enum pp_enet_host_statistic
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Bytes sent.
     */
    PP_ENET_HOST_TOTAL_SENT_DATA = 0,
    /**
     * Datagrams sent.
     */
    PP_ENET_HOST_TOTAL_SENT_PACKETS = 1,
    /**
     * Bytes received.
     */
    PP_ENET_HOST_TOTAL_RECEIVED_DATA = 2,
    /**
     * Datagrams received.
     */
    PP_ENET_HOST_TOTAL_RECEIVED_PACKETS = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_enet_host_statistic pp_enet_host_statistic;
#else
typedef int32_t pp_enet_host_statistic;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * One event from `pp_enet_connection_service` / `pp_enet_connection_check_events`.
 */
typedef struct pp_enet_event {
    /**
     * What happened.
     */
    pp_enet_event_type type;
    /**
     * The peer (a handle lent by the connection, valid until `pp_enet_connection_free`), or NULL.
     */
    struct pp_peer *peer;
    /**
     * CONNECT: the remote's connect data (0 on the connecting side); DISCONNECT: the remote's
     * disconnect data (0 on timeout).
     */
    int32_t data;
    /**
     * RECEIVE: the ENet channel of the packet queued on `peer`.
     */
    int32_t channel;
} pp_enet_event;

/**
 * Counters of an ENet host's DTLS layer (`pp_enet_connection_get_dtls_stats`); they start at 0
 * when DTLS is set up and only grow.
 */
typedef struct pp_enet_dtls_stats {
    /**
     * Datagrams from sources without a live session (dropped; on a server also a first datagram
     * that is no ClientHello, and each ClientHello answered by the cookie round).
     */
    uint64_t dropped_no_session;
    /**
     * New sources refused (server): the handshakes from new sources were at their bound (16), or
     * new connections are refused.
     */
    uint64_t refused_sources;
    /**
     * ENet datagrams dropped because their session was still handshaking (ENet resends them).
     */
    uint64_t dropped_handshaking;
    /**
     * Datagrams dropped because a session's input queue or the decrypted inbox was full.
     */
    uint64_t dropped_queue_full;
    /**
     * Sessions removed after an error or a close.
     */
    uint64_t sessions_closed;
    /**
     * Sessions that completed their handshake.
     */
    uint64_t sessions_connected;
} pp_enet_dtls_stats;

/**
 * Creates an ENetConnection without a host (call `pp_enet_connection_create_host[_bound]` next).
 *
 * - `out_connection`: receives the handle; free it with `pp_enet_connection_free`.
 *
 * Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL `out_connection`).
 */
pp_error pp_enet_connection_new(struct pp_enet_connection **out_connection);

/**
 * Frees the handle and every peer handle it lent. When no ENetMultiplayerPeer shares the connection
 * (see `pp_enet_multiplayer_peer_get_host` / `pp_enet_multiplayer_peer_add_mesh_peer`) its host is
 * destroyed too (nothing is sent: remotes time out); otherwise the host lives on with the
 * multiplayer peer. NULL is a no-op.
 */
void pp_enet_connection_free(struct pp_enet_connection *c);

/**
 * `create_host(max_peers, max_channels, in_bandwidth, out_bandwidth)`: a host on a dual-stack socket
 * whose port the OS picks.
 *
 * - `max_peers`: 1..4095; `max_channels`: 0..255 (0 = 255), the channel limit for incoming
 *   connections; bandwidths in bytes/second, 0 = unlimited.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL handle or a value out of range),
 * `PP_ERR_ALREADY_IN_USE` (already has a host) or `PP_ERR_CANT_CREATE` (socket failure).
 */
pp_error pp_enet_connection_create_host(struct pp_enet_connection *c,
                                        int32_t max_peers,
                                        int32_t max_channels,
                                        int32_t in_bandwidth,
                                        int32_t out_bandwidth);

/**
 * `create_host_bound(bind_address, bind_port, max_peers, max_channels, in_bandwidth, out_bandwidth)`.
 *
 * - `bind_address`: an IP literal (`"127.0.0.1"`, `"::1"`) or `"*"` (all addresses, dual stack).
 * - `bind_port`: 0..65535 (0 = any free port; read it back with `pp_enet_connection_get_local_port`).
 * - other parameters as in `pp_enet_connection_create_host`.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`, `PP_ERR_ALREADY_IN_USE` or `PP_ERR_CANT_CREATE`
 * (e.g. the port is taken).
 */
pp_error pp_enet_connection_create_host_bound(struct pp_enet_connection *c,
                                              const char *bind_address,
                                              int32_t bind_port,
                                              int32_t max_peers,
                                              int32_t max_channels,
                                              int32_t in_bandwidth,
                                              int32_t out_bandwidth);

/**
 * `destroy()`: frees the host; every peer becomes inactive (their handles stay valid). Nothing is sent.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL) or `PP_ERR_UNCONFIGURED` (no host).
 */
pp_error pp_enet_connection_destroy(struct pp_enet_connection *c);

/**
 * `connect_to_host(address, port, channels, data)`: starts connecting; the peer is CONNECTING until
 * a CONNECT event. A closed port gives a DISCONNECT event within a service step or two where the
 * OS reports the refusal (Linux; `pp_enet_packet_peer_get_connect_failure` then says
 * `PP_ENET_CONNECT_FAILURE_REFUSED`). A server that never answers gives a DISCONNECT event after
 * ENet's peer timeout (31.5 s with the defaults; `PP_ENET_CONNECT_FAILURE_TIMED_OUT`);
 * `pp_enet_packet_peer_set_timeout(peer, 32, 1000, 3000)` on the returned peer gives up after
 * about 3.5 s.
 *
 * - `address`: IP literal or host name (resolved now, blocking; first address of any family).
 * - `port`: 1..65535; `channels`: 0..255 (0 = 255); `data`: delivered to the remote's CONNECT event.
 * - `out_peer`: receives a peer handle lent by the connection (valid until
 *   `pp_enet_connection_free`; do not `pp_peer_free` it).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, bad port or channels), `PP_ERR_UNCONFIGURED`
 * (no host) or `PP_ERR_CANT_CONNECT` (the host already has a peer, the name did not resolve, or no
 * peer slot is free — where Godot returns null).
 */
pp_error pp_enet_connection_connect_to_host(struct pp_enet_connection *c,
                                            const char *address,
                                            int32_t port,
                                            int32_t channels,
                                            int32_t data,
                                            struct pp_peer **out_peer);

/**
 * `service(timeout)`: drops inactive peers, runs one ENet service step (waiting up to `timeout_ms`
 * for an event; a negative value does not wait, like 0) and reports at most one event. A RECEIVE event's packet is queued on the event's
 * peer: read it with `pp_get_packet`.
 *
 * - `out_event`: receives the event (type NONE when nothing happened, ERROR on a socket error or an
 *   event for a peer this connection never knew).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL) or `PP_ERR_UNCONFIGURED` (no host).
 */
pp_error pp_enet_connection_service(struct pp_enet_connection *c,
                                    int32_t timeout_ms,
                                    struct pp_enet_event *out_event);

/**
 * Redot's `check_events()`: the next event already queued by an earlier service, without network
 * I/O (NONE when there is none). Same event rules and returns as `pp_enet_connection_service`.
 */
pp_error pp_enet_connection_check_events(struct pp_enet_connection *c, struct pp_enet_event *out_event);

/**
 * `flush()`: sends every queued command now. Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`,
 * `PP_ERR_UNCONFIGURED` (no host) or `PP_FAILED` (socket error).
 */
pp_error pp_enet_connection_flush(struct pp_enet_connection *c);

/**
 * `bandwidth_limit(in_bandwidth, out_bandwidth)` in bytes/second (0 = unlimited); peers learn it at
 * the next bandwidth recalculation (every second). Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`
 * (NULL, negative) or `PP_ERR_UNCONFIGURED`.
 */
pp_error pp_enet_connection_bandwidth_limit(struct pp_enet_connection *c,
                                            int32_t in_bandwidth,
                                            int32_t out_bandwidth);

/**
 * `channel_limit(limit)` for future incoming connections (0 or >255 -> 255; <1 -> 1).
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL) or `PP_ERR_UNCONFIGURED`.
 */
pp_error pp_enet_connection_channel_limit(struct pp_enet_connection *c, int32_t limit);

/**
 * `broadcast(channel, packet, flags)`: queues a copy of `data` to every connected peer.
 *
 * - `channel`: below the host's channel limit; `flags`: a combination of 1 (reliable),
 *   2 (unsequenced), 8 (unreliable fragment).
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` or `PP_ERR_UNCONFIGURED`.
 */
pp_error pp_enet_connection_broadcast(struct pp_enet_connection *c,
                                      int32_t channel,
                                      const uint8_t *data,
                                      size_t len,
                                      int32_t flags);

/**
 * `compress(mode)`: `mode` is a `pp_enet_compression_mode` (`PP_ENET_COMPRESS_NONE`, `_RANGE_CODER`,
 * `_FASTLZ`, `_ZLIB`, `_ZSTD`). Both ends must use the same mode.
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, unknown mode) or `PP_ERR_UNCONFIGURED`.
 */
pp_error pp_enet_connection_compress(struct pp_enet_connection *c, int32_t mode);

/**
 * Beyond the engine: whether a peer still CONNECTING whose address the OS reports refused (ICMP
 * port unreachable; Linux) fails at once — a DISCONNECT event within a service step or two,
 * `pp_enet_packet_peer_get_connect_failure` = `PP_ENET_CONNECT_FAILURE_REFUSED` — (`on` true, the
 * default), or keeps sending its CONNECT until ENet's timeout as the engine does (`on` false), so a
 * client started before its server is still accepted once the server is up. May be set before or
 * after `create_host`; takes effect at the next service step. For an ENetMultiplayerPeer client,
 * call it on the connection from `pp_enet_multiplayer_peer_get_host` right after
 * `pp_enet_multiplayer_peer_create_client`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (NULL or another class).
 */
pp_error pp_enet_connection_set_fail_connect_on_refused(struct pp_enet_connection *c, bool on);

/**
 * Whether a refused connect fails at once (`pp_enet_connection_set_fail_connect_on_refused`):
 * true by default; false for NULL or another class.
 */
bool pp_enet_connection_is_fail_connect_on_refused(struct pp_enet_connection *c);

/**
 * `refuse_new_connections(refuse)`: only affects DTLS servers; kept for API parity.
 * Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL).
 */
pp_error pp_enet_connection_refuse_new_connections(struct pp_enet_connection *c, bool refuse);

/**
 * `pop_statistic(statistic)`: `statistic` is a `pp_enet_host_statistic` (`PP_ENET_HOST_TOTAL_*`);
 * returns the counter and resets it.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, unknown statistic) or `PP_ERR_UNCONFIGURED`.
 */
pp_error pp_enet_connection_pop_statistic(struct pp_enet_connection *c, int32_t statistic, double *out_value);

/**
 * `get_max_channels()`: the host's channel limit; 0 for NULL or no host.
 */
int32_t pp_enet_connection_get_max_channels(struct pp_enet_connection *c);

/**
 * `get_local_port()`: the bound port; 0 for NULL, no host, or a host made by
 * `pp_enet_connection_create_host` (not explicitly bound).
 */
int32_t pp_enet_connection_get_local_port(struct pp_enet_connection *c);

/**
 * `get_peers()`: the peers the connection knows (connecting, connected, disconnecting).
 *
 * - `out_peers`: array of `capacity` slots (may be NULL when `capacity` is 0) receiving lent peer
 *   handles (valid until `pp_enet_connection_free`).
 * - `out_count`: receives the total number of peers (may exceed `capacity`; then only `capacity` are
 *   written).
 *
 * Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL `c` or `out_count`, NULL `out_peers` with
 * `capacity` > 0, `capacity` > INT32_MAX).
 */
pp_error pp_enet_connection_get_peers(struct pp_enet_connection *c,
                                      struct pp_peer **out_peers,
                                      size_t capacity,
                                      size_t *out_count);

/**
 * `socket_send(destination_address, destination_port, packet)`: sends `data` as one raw datagram from
 * the host's socket (NAT hole punching). Needs a bound host.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER`, `PP_ERR_UNCONFIGURED` (no host or not bound),
 * `PP_ERR_CANT_RESOLVE` or `PP_FAILED` (send error).
 */
pp_error pp_enet_connection_socket_send(struct pp_enet_connection *c,
                                        const char *destination_address,
                                        int32_t destination_port,
                                        const uint8_t *data,
                                        size_t len);

/**
 * Why the last call or connection attempt on this connection failed, in words (beyond the
 * engine): a socket that could not be bound (`"bind 127.0.0.1 port 7000: Address in use (os error
 * 98)"`), a `connect_to_host` refusal (bad port, name that did not resolve...), a socket error in
 * `service`, a failed `socket_send`, or the last peer whose connect was refused or timed out (that
 * peer's `pp_enet_packet_peer_get_last_error_text`). `""` until something fails; a new host clears
 * it.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_enet_connection_get_last_error_text(struct pp_enet_connection *c,
                                                char *out_text,
                                                size_t out_text_size,
                                                size_t *out_len);

/**
 * `ENetConnection.dtls_server_setup(server_options)`: from now on the host speaks ENet over DTLS
 * 1.2 as a server on its socket (`docs/classes.md` §18.5): each ENet datagram is the plaintext of
 * one record, one session per remote address:port, every new source answered with the cookie round,
 * at most 16 handshakes from new sources at once (none while `refuse_new_connections`), failed or
 * closed sessions removed, datagrams from sources without a live session dropped and counted
 * (`pp_enet_connection_get_dtls_stats`). A fragmented ClientHello is taken when its fragments
 * arrive in one read burst of the host (as `pp_dtls_server_take_connection`). A
 * plain ENet client cannot connect (and a DTLS client cannot reach a plain host), as in Godot.
 * `pp_enet_connection_socket_send` still sends raw datagrams, like the engine.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host (`pp_enet_connection_create_host*`);
 * `PP_ERR_INVALID_PARAMETER` for NULL or client options; `PP_ERR_ALREADY_IN_USE` if the host
 * already uses DTLS (the engine would wrap it twice).
 */
pp_error pp_enet_connection_dtls_server_setup(struct pp_enet_connection *connection,
                                              const struct pp_tls_options *options);

/**
 * `ENetConnection.dtls_client_setup(hostname, client_options)`: from now on the host speaks ENet
 * over DTLS 1.2 as a client. The first ENet send towards an address (the CONNECT of
 * `pp_enet_connection_connect_to_host`) starts a DTLS handshake with it, checking `hostname` per the
 * options; while it runs, ENet's sends are dropped and ENet's retransmission resends the CONNECT
 * once the session is up (so connecting takes a few hundred ms longer than plain ENet).
 *
 * - `options`: client options, or NULL for `pp_tls_options_client(NULL, NULL)`.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host; `PP_ERR_INVALID_PARAMETER` for NULL
 * `connection`/`hostname` or server options; `PP_ERR_ALREADY_IN_USE` if the host already uses DTLS.
 */
pp_error pp_enet_connection_dtls_client_setup(struct pp_enet_connection *connection,
                                              const char *hostname,
                                              const struct pp_tls_options *options);

/**
 * The counters of the host's DTLS layer into `*out_stats` (`docs/classes.md` §18.5): what it
 * dropped, refused, and the sessions it connected and closed.
 *
 * Returns `PP_OK`; `PP_ERR_UNAVAILABLE` without a host or when the host does not use DTLS;
 * `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_enet_connection_get_dtls_stats(struct pp_enet_connection *connection,
                                           struct pp_enet_dtls_stats *out_stats);

/** @} */

/* ====================================================================================================
 * 18. ENetPacketPeer: one remote of an ENet host
 * ==================================================================================================== */

/**
 * @defgroup pp_enet_packet_peer ENetPacketPeer: one remote of an ENet host
 *
 * Godot's ENetPacketPeer: one remote of an ENetConnection or of an
 * ENetMultiplayerPeer, as a pp_peer lent by its owner (you never make or free one).
 * The PacketPeer calls work on it (pp_get_packet reads what RECEIVE events queued);
 * pp_enet_packet_peer_send chooses the channel and the PP_ENET_PACKET_PEER_FLAG_*
 * flags. Disconnect gracefully (peer_disconnect: DISCONNECT events on both sides),
 * after the queue drains (_disconnect_later), or at once (_disconnect_now, reset).
 * Timeouts, pings, throttling and statistics are per peer.
 *
 * A peer that is gone stays a valid, inactive handle until its owner is freed: its
 * calls then return PP_ERR_UNCONFIGURED, its getters 0 or
 * PP_ENET_PEER_STATE_DISCONNECTED.
 *
 * @{
 */

/**
 * Godot's `ENetPacketPeer.PeerState`, from `pp_enet_packet_peer_get_state`. `int32_t` in C.
 */
enum pp_enet_peer_state
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_ENET_PEER_STATE_DISCONNECTED = 0,
    PP_ENET_PEER_STATE_CONNECTING = 1,
    PP_ENET_PEER_STATE_ACKNOWLEDGING_CONNECT = 2,
    PP_ENET_PEER_STATE_CONNECTION_PENDING = 3,
    PP_ENET_PEER_STATE_CONNECTION_SUCCEEDED = 4,
    PP_ENET_PEER_STATE_CONNECTED = 5,
    PP_ENET_PEER_STATE_DISCONNECT_LATER = 6,
    PP_ENET_PEER_STATE_DISCONNECTING = 7,
    PP_ENET_PEER_STATE_ACKNOWLEDGING_DISCONNECT = 8,
    PP_ENET_PEER_STATE_ZOMBIE = 9,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_enet_peer_state pp_enet_peer_state;
#else
typedef int32_t pp_enet_peer_state;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Why this peer's connection attempt failed (beyond the engine, where the DISCONNECT event alone
 * says nothing), from `pp_enet_packet_peer_get_connect_failure`. `int32_t` in C.
 */
enum pp_enet_connect_failure
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The attempt did not fail (still connecting, connected, or a peer that connected to us).
     */
    PP_ENET_CONNECT_FAILURE_NONE = 0,
    /**
     * The server's OS refused it: nothing listens on that port (ICMP port unreachable). Reported
     * within a service step or two where the OS tells (Linux) instead of after ENet's timeout.
     */
    PP_ENET_CONNECT_FAILURE_REFUSED = 1,
    /**
     * No answer within ENet's peer timeout (31.5 s by default): a silent or filtered port, a wrong
     * address, a server that did not accept.
     */
    PP_ENET_CONNECT_FAILURE_TIMED_OUT = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_enet_connect_failure pp_enet_connect_failure;
#else
typedef int32_t pp_enet_connect_failure;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Godot's `ENetPacketPeer.PeerStatistic`, for `pp_enet_packet_peer_get_statistic`. `int32_t` in C.
 */
enum pp_enet_peer_statistic
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_ENET_PEER_PACKET_LOSS = 0,
    PP_ENET_PEER_PACKET_LOSS_VARIANCE = 1,
    PP_ENET_PEER_PACKET_LOSS_EPOCH = 2,
    /**
     * Mean round-trip time in milliseconds.
     */
    PP_ENET_PEER_ROUND_TRIP_TIME = 3,
    PP_ENET_PEER_ROUND_TRIP_TIME_VARIANCE = 4,
    PP_ENET_PEER_LAST_ROUND_TRIP_TIME = 5,
    PP_ENET_PEER_LAST_ROUND_TRIP_TIME_VARIANCE = 6,
    PP_ENET_PEER_PACKET_THROTTLE = 7,
    PP_ENET_PEER_PACKET_THROTTLE_LIMIT = 8,
    PP_ENET_PEER_PACKET_THROTTLE_COUNTER = 9,
    PP_ENET_PEER_PACKET_THROTTLE_EPOCH = 10,
    PP_ENET_PEER_PACKET_THROTTLE_ACCELERATION = 11,
    PP_ENET_PEER_PACKET_THROTTLE_DECELERATION = 12,
    PP_ENET_PEER_PACKET_THROTTLE_INTERVAL = 13,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_enet_peer_statistic pp_enet_peer_statistic;
#else
typedef int32_t pp_enet_peer_statistic;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * `send(channel, packet, flags)`: queues a copy of `data` on an ENet channel.
 *
 * - `flags`: `pp_enet_packet_flag` values combined with `|` (`PP_ENET_PACKET_PEER_FLAG_RELIABLE`,
 *   `_UNSEQUENCED`, `_UNRELIABLE_FRAGMENT`); 0 for a plain unreliable packet.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, not an ENet peer, channel < 0 or > channel
 * count, other flags), `PP_ERR_UNCONFIGURED` (inactive peer) or `PP_FAILED` (ENet refused: not
 * connected, channel == count, more than 32 MiB).
 */
pp_error pp_enet_packet_peer_send(struct pp_peer *peer,
                                  int32_t channel,
                                  const uint8_t *data,
                                  size_t len,
                                  int32_t flags);

/**
 * `get_packet_flags()`: the `pp_enet_packet_flag` bits of the next queued packet (0 for a plain
 * unreliable one); 0 when none or for NULL / another class.
 */
int32_t pp_enet_packet_peer_get_packet_flags(struct pp_peer *peer);

/**
 * `peer_disconnect(data)`: graceful; DISCONNECT events on both sides once acknowledged.
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` or `PP_ERR_UNCONFIGURED` (inactive).
 */
pp_error pp_enet_packet_peer_peer_disconnect(struct pp_peer *peer, int32_t data);

/**
 * `peer_disconnect_later(data)`: disconnects once every queued packet has been sent and acknowledged.
 * Returns as `pp_enet_packet_peer_peer_disconnect`.
 */
pp_error pp_enet_packet_peer_peer_disconnect_later(struct pp_peer *peer, int32_t data);

/**
 * `peer_disconnect_now(data)`: sends an unreliable DISCONNECT at once and drops the peer without a
 * local event; the peer becomes inactive. Returns as `pp_enet_packet_peer_peer_disconnect`.
 */
pp_error pp_enet_packet_peer_peer_disconnect_now(struct pp_peer *peer, int32_t data);

/**
 * `reset()`: drops the peer without telling the remote (it times out); inactive afterwards.
 * Returns as `pp_enet_packet_peer_peer_disconnect`.
 */
pp_error pp_enet_packet_peer_reset(struct pp_peer *peer);

/**
 * `ping()`: queues a PING now. Returns as `pp_enet_packet_peer_peer_disconnect`.
 */
pp_error pp_enet_packet_peer_ping(struct pp_peer *peer);

/**
 * `ping_interval(ms)`: time between automatic pings (0 = 500). Returns `PP_OK`,
 * `PP_ERR_INVALID_PARAMETER` (NULL, negative) or `PP_ERR_UNCONFIGURED`.
 */
pp_error pp_enet_packet_peer_ping_interval(struct pp_peer *peer, int32_t ping_interval);

/**
 * `set_timeout(timeout, timeout_min, timeout_max)` (ms; 0 = ENet defaults 32, 5000, 30000).
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL, another class, or unless timeout <=
 * timeout_min <= timeout_max; `PP_ERR_UNCONFIGURED` when inactive.
 */
pp_error pp_enet_packet_peer_set_timeout(struct pp_peer *peer,
                                         int32_t timeout,
                                         int32_t timeout_min,
                                         int32_t timeout_max);

/**
 * `throttle_configure(interval, acceleration, deceleration)`: sets the local throttle and tells the
 * remote. Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` (NULL, negative) or `PP_ERR_UNCONFIGURED`.
 */
pp_error pp_enet_packet_peer_throttle_configure(struct pp_peer *peer,
                                                int32_t interval,
                                                int32_t acceleration,
                                                int32_t deceleration);

/**
 * `get_statistic(statistic)`: `statistic` is a `pp_enet_peer_statistic` (e.g.
 * `PP_ENET_PEER_ROUND_TRIP_TIME`, in ms).
 * Returns `PP_OK` (0 for an inactive peer), or `PP_ERR_INVALID_PARAMETER` (NULL, unknown statistic).
 */
pp_error pp_enet_packet_peer_get_statistic(struct pp_peer *peer, int32_t statistic, double *out_value);

/**
 * `get_state()`: the peer's `pp_enet_peer_state` (`PP_ENET_PEER_STATE_DISCONNECTED` when inactive,
 * NULL or another class).
 */
pp_enet_peer_state pp_enet_packet_peer_get_state(struct pp_peer *peer);

/**
 * `get_channels()`: the peer's channel count (0 when inactive, NULL or another class).
 */
int32_t pp_enet_packet_peer_get_channels(struct pp_peer *peer);

/**
 * `get_remote_address()`: the address as NUL-terminated text (dotted IPv4, or eight hex groups for
 * IPv6).
 *
 * - `out_buffer`, `capacity`: the caller's buffer (`PP_IP_STRING_SIZE` is always enough), filled by
 *   the text-out rule (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` (NULL, another class, bad buffer) or `PP_ERR_UNCONFIGURED` (inactive).
 */
pp_error pp_enet_packet_peer_get_remote_address(struct pp_peer *peer,
                                                char *out_buffer,
                                                size_t capacity,
                                                size_t *out_len);

/**
 * `get_remote_port()`: the remote's UDP port (0 when inactive, NULL or another class).
 */
int32_t pp_enet_packet_peer_get_remote_port(struct pp_peer *peer);

/**
 * Why the connection attempt of a peer from `pp_enet_connection_connect_to_host` failed, once its
 * DISCONNECT event came: `PP_ENET_CONNECT_FAILURE_REFUSED` or `_TIMED_OUT`; `_NONE` while it did
 * not fail, once it connected, and for NULL or another class.
 */
pp_enet_connect_failure pp_enet_packet_peer_get_connect_failure(struct pp_peer *peer);

/**
 * Why this peer's connection failed or ended, in words (beyond the engine): a refused connect
 * (`"connect to 127.0.0.1:7000: Connection refused (os error 111): nothing listens on that port
 * (ICMP port unreachable)"`), a timed-out one, or a connection the remote ended or that stopped
 * answering. `""` while nothing failed; a disconnect this side asked for leaves it empty. Kept
 * after the peer turned inactive.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_enet_packet_peer_get_last_error_text(struct pp_peer *peer,
                                                 char *out_text,
                                                 size_t out_text_size,
                                                 size_t *out_len);

/**
 * `is_active()`: false after DISCONNECT, reset, disconnect_now or host destruction (and for NULL or
 * another class).
 */
bool pp_enet_packet_peer_is_active(struct pp_peer *peer);

/** @} */

/* ====================================================================================================
 * 19. Network conditioner: loss, delay, jitter, duplication, reordering, bandwidth
 * ==================================================================================================== */

/**
 * @defgroup pp_conditioner Network conditioner: loss, delay, jitter, duplication, reordering, bandwidth
 *
 * A seeded, deterministic network conditioner between a socket and the network, for
 * testing how a game behaves at, say, 150 ms and 5% loss. Fill a
 * pp_conditioner_options with pp_conditioner_options_init, set the outgoing and
 * incoming pp_conditioner_direction (loss, duplicate and reorder probabilities, delay
 * and jitter in ms, bandwidth in bytes/s) and a seed, then set it on a PacketPeerUDP
 * (pp_packet_peer_udp_set_conditioner) or on an ENetConnection's socket
 * (pp_enet_connection_set_conditioner), on a DTLS session
 * (pp_packet_peer_dtls_set_conditioner, pp_dtls_server_set_conditioner for the peers
 * a DTLSServer hands out) or on a WebRTCPeerConnection's UDP sockets
 * (pp_webrtc_peer_connection_set_conditioner); NULL options remove it. One seed gives the
 * n-th datagram each way the same fate in every run.
 *
 * No thread and no timer: held datagrams leave or arrive during the socket's own calls
 * (get/put packet, service), so keep calling them. The queue is bounded (max_queued per
 * direction); everything dropped is counted in pp_conditioner_stats. Off by default,
 * and then free.
 *
 * @{
 */

/**
 * What the conditioner does to datagrams going one way. Probabilities are in 0.0..=1.0.
 */
typedef struct pp_conditioner_direction {
    /**
     * Probability that a datagram is dropped.
     */
    double loss;
    /**
     * Probability that a datagram is sent twice.
     */
    double duplicate;
    /**
     * Probability that a datagram is held 20 ms longer than its delay, so later ones overtake it.
     */
    double reorder;
    /**
     * Delay in milliseconds (at most 60 000).
     */
    uint32_t delay_ms;
    /**
     * Each datagram's delay varies by up to this many milliseconds either way (at most 60 000);
     * jitter alone never reorders.
     */
    uint32_t jitter_ms;
    /**
     * Bytes per second the link carries; 0 = unlimited. A burst is spread out, not dropped.
     */
    uint64_t bandwidth;
} pp_conditioner_direction;

/**
 * Options of a network conditioner. Fill it with `pp_conditioner_options_init` (which sets `size`
 * and the defaults: nothing dropped or delayed, seed 0, 4096 datagrams held per direction at
 * most), then change what you need: later versions may add fields at the end.
 */
typedef struct pp_conditioner_options {
    /**
     * `sizeof(pp_conditioner_options)` as the caller compiled it (set by the init call).
     */
    size_t size;
    /**
     * Seed of the random decisions: one seed, one fate for the n-th datagram each way.
     */
    uint64_t seed;
    /**
     * Datagrams the socket sends.
     */
    struct pp_conditioner_direction outgoing;
    /**
     * Datagrams the socket receives.
     */
    struct pp_conditioner_direction incoming;
    /**
     * Datagrams held per direction at most (1..=1 048 576); more are dropped and counted.
     */
    uint32_t max_queued;
} pp_conditioner_options;

/**
 * What the conditioner did to datagrams going one way. Counters only grow, except `queued`.
 */
typedef struct pp_conditioner_direction_stats {
    /**
     * Datagrams offered to the conditioner.
     */
    uint64_t offered;
    /**
     * Bytes offered.
     */
    uint64_t bytes_offered;
    /**
     * Datagrams released to the socket or the receiver (duplicates included).
     */
    uint64_t released;
    /**
     * Dropped on purpose (`loss`).
     */
    uint64_t dropped_loss;
    /**
     * Dropped because `max_queued` datagrams were held.
     */
    uint64_t dropped_overflow;
    /**
     * Extra copies made (`duplicate`).
     */
    uint64_t duplicated;
    /**
     * Held back to be overtaken (`reorder`).
     */
    uint64_t reordered;
    /**
     * Released but refused by the socket (full send buffer or OS error); outgoing only.
     */
    uint64_t send_failed;
    /**
     * Datagrams held now.
     */
    uint64_t queued;
} pp_conditioner_direction_stats;

/**
 * What the conditioner did, both ways.
 */
typedef struct pp_conditioner_stats {
    struct pp_conditioner_direction_stats outgoing;
    struct pp_conditioner_direction_stats incoming;
} pp_conditioner_stats;

/**
 * Fills `out_options` with the defaults: `size` set, seed 0, no loss, delay, duplication,
 * reordering or bandwidth cap either way, at most 4096 datagrams held per direction.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_options` is NULL.
 */
pp_error pp_conditioner_options_init(struct pp_conditioner_options *out_options);

/**
 * Puts a network conditioner between a PacketPeerUDP and its socket, or removes it.
 *
 * Seeded and deterministic: loss, delay with jitter, duplication, reordering and a bandwidth cap,
 * for outgoing and incoming datagrams. No thread or timer: held datagrams leave or arrive on the
 * peer's own calls (`pp_put_packet`, `pp_get_available_packet_count`, `pp_get_packet`,
 * `pp_packet_peer_udp_put_packets` / `_get_packets`, and `pp_packet_peer_udp_wait`, which wakes up
 * when the next one is due), so call one of them regularly. Off (the default) it costs nothing
 * measurable. Setting it again starts afresh (held datagrams and counters are dropped).
 *
 * - `options`: copied; NULL removes the conditioner. `size` must be at least
 *   `sizeof(pp_conditioner_options)` (use `pp_conditioner_options_init`).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL or other-class `peer`, a too small `size`,
 * a probability outside 0..1 (or NaN), a delay or jitter over 60 000 ms or `max_queued` outside
 * 1..=1 048 576; `PP_ERR_UNAVAILABLE` on a peer handed out by a UDPServer.
 */
pp_error pp_packet_peer_udp_set_conditioner(struct pp_peer *peer,
                                            const struct pp_conditioner_options *options);

/**
 * What the PacketPeerUDP's conditioner did.
 *
 * - `out_stats`: receives the counters.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` when no conditioner is set; `PP_ERR_INVALID_PARAMETER`
 * for NULL arguments or a peer of another class.
 */
pp_error pp_packet_peer_udp_get_conditioner_stats(struct pp_peer *peer,
                                                  struct pp_conditioner_stats *out_stats);

/**
 * Puts a network conditioner on an ENetConnection's socket (under ENet, and under DTLS when the
 * connection uses it), or removes it. Every datagram of every peer goes through it, so reliable
 * traffic is resent by ENet as over a real lossy link. Held datagrams leave or arrive during
 * `pp_enet_connection_service` (which wakes up when the next one is due) and `_flush`. A new host
 * (`create_host*`) starts without one.
 *
 * - `options`: copied; NULL removes the conditioner (see `pp_packet_peer_udp_set_conditioner`).
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host; `PP_ERR_INVALID_PARAMETER` for a NULL
 * connection or bad options (as `pp_packet_peer_udp_set_conditioner`).
 */
pp_error pp_enet_connection_set_conditioner(struct pp_enet_connection *c,
                                            const struct pp_conditioner_options *options);

/**
 * Puts a network conditioner between a PacketPeerDTLS session and its UDP peer, or removes it. It
 * acts on the session under way from now on (records and handshake datagrams alike) and on every
 * later session of this peer (each starts it afresh); DTLS retransmits lost handshake datagrams,
 * application records lost stay lost (DTLS is unreliable, like UDP). Held datagrams leave or
 * arrive on the peer's own calls (`pp_packet_peer_dtls_poll`, `pp_get_packet`,
 * `pp_get_available_packet_count`, `pp_put_packet`).
 *
 * - `options`: copied; NULL removes the conditioner (see `pp_packet_peer_udp_set_conditioner`).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL or other-class `dtls` or bad options (as
 * `pp_packet_peer_udp_set_conditioner`).
 */
pp_error pp_packet_peer_dtls_set_conditioner(struct pp_peer *dtls,
                                             const struct pp_conditioner_options *options);

/**
 * What the PacketPeerDTLS's conditioner did in its current (or last) session.
 *
 * - `out_stats`: receives the counters.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` when no conditioner is set; `PP_ERR_INVALID_PARAMETER`
 * for NULL arguments or a peer of another class.
 */
pp_error pp_packet_peer_dtls_get_conditioner_stats(struct pp_peer *dtls,
                                                   struct pp_conditioner_stats *out_stats);

/**
 * Gives every PacketPeerDTLS that `pp_dtls_server_take_connection` hands out from now on a network
 * conditioner with these options, the n-th such peer (from 0) seeded `seed + n` so runs repeat;
 * NULL stops doing so (peers handed out keep theirs). It acts once the cookie round is over, from
 * the server's answer to the verified ClientHello on. Each peer's counters:
 * `pp_packet_peer_dtls_get_conditioner_stats`; change one peer's with
 * `pp_packet_peer_dtls_set_conditioner`.
 *
 * - `options`: copied; NULL stops (see `pp_packet_peer_udp_set_conditioner`).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL `server` or bad options.
 */
pp_error pp_dtls_server_set_conditioner(struct pp_dtls_server *server,
                                        const struct pp_conditioner_options *options);

/**
 * Puts a network conditioner on a WebRTCPeerConnection's UDP sockets (every ICE, DTLS and SCTP
 * datagram, both ways), or removes it. Reliable channels stay reliable and ordered (SCTP resends
 * what is lost); unreliable ones lose what is lost. Held datagrams leave or arrive on
 * `pp_webrtc_peer_connection_poll` and on sends. It stays through `initialize` and `close`,
 * which start it afresh (held datagrams dropped, counters from 0).
 *
 * - `options`: copied; NULL removes the conditioner (see `pp_packet_peer_udp_set_conditioner`).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a NULL `connection` or bad options;
 * `PP_ERR_UNAVAILABLE` for a connection made by a C extension (its sockets are not ours).
 */
pp_error pp_webrtc_peer_connection_set_conditioner(struct pp_webrtc_peer_connection *connection,
                                                   const struct pp_conditioner_options *options);

/**
 * What the conditioner on a WebRTCPeerConnection's sockets did.
 *
 * - `out_stats`: receives the counters.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` when no conditioner is set; `PP_ERR_INVALID_PARAMETER`
 * for NULL arguments; `PP_ERR_UNAVAILABLE` for a connection made by a C extension.
 */
pp_error pp_webrtc_peer_connection_get_conditioner_stats(struct pp_webrtc_peer_connection *connection,
                                                         struct pp_conditioner_stats *out_stats);

/**
 * What the conditioner on an ENetConnection's socket did.
 *
 * - `out_stats`: receives the counters.
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` without a host or conditioner;
 * `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_enet_connection_get_conditioner_stats(struct pp_enet_connection *c,
                                                  struct pp_conditioner_stats *out_stats);

/** @} */

/* ====================================================================================================
 * 20. MultiplayerPeer: the calls every multiplayer peer answers, and its events
 * ==================================================================================================== */

/**
 * @defgroup pp_multiplayer_peer MultiplayerPeer: the calls every multiplayer peer answers, and its events
 *
 * Godot's MultiplayerPeer: the calls every multiplayer pp_peer answers
 * (ENetMultiplayerPeer, OfflineMultiplayerPeer, MultiplayerPeerExtension); a peer of
 * another class gets PP_ERR_INVALID_PARAMETER. A multiplayer peer is also a
 * PacketPeer: set the target peer, transfer mode and channel, then pp_put_packet;
 * before pp_get_packet, pp_multiplayer_peer_get_packet_peer / _channel / _mode
 * describe the next packet. Free it with pp_peer_free.
 *
 * Events: call pp_multiplayer_peer_poll regularly. It queues Godot's peer_connected /
 * peer_disconnected signals as pp_multiplayer_event values; drain them with
 * pp_multiplayer_peer_pop_event until it returns PP_ERR_UNAVAILABLE. The queue holds
 * 1024 events unless the class says otherwise; when it is full nothing queued is lost
 * and one PP_MULTIPLAYER_EVENT_OVERFLOW event counts what was dropped.
 * pp_multiplayer_peer_close drops the remotes without events.
 *
 * @{
 */

/**
 * `TARGET_PEER_BROADCAST`: `pp_multiplayer_peer_set_target_peer` value that sends to every peer.
 */
#define PP_MULTIPLAYER_PEER_TARGET_PEER_BROADCAST 0

/**
 * `TARGET_PEER_SERVER`: the server's peer ID, always 1.
 */
#define PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER 1

/**
 * Godot's `MultiplayerPeer.TransferMode`. Passed and returned as `int32_t`.
 */
enum pp_multiplayer_peer_transfer_mode
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Packets may be lost, duplicated or reordered.
     */
    PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE = 0,
    /**
     * Packets may be lost but arrive in order (late ones are dropped).
     */
    PP_MULTIPLAYER_PEER_TRANSFER_MODE_UNRELIABLE_ORDERED = 1,
    /**
     * Packets arrive, once, in order. The default.
     */
    PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_multiplayer_peer_transfer_mode pp_multiplayer_peer_transfer_mode;
#else
typedef int32_t pp_multiplayer_peer_transfer_mode;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Godot's `MultiplayerPeer.ConnectionStatus`. Returned as `int32_t`.
 */
enum pp_multiplayer_peer_connection_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_MULTIPLAYER_PEER_CONNECTION_DISCONNECTED = 0,
    PP_MULTIPLAYER_PEER_CONNECTION_CONNECTING = 1,
    PP_MULTIPLAYER_PEER_CONNECTION_CONNECTED = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_multiplayer_peer_connection_status pp_multiplayer_peer_connection_status;
#else
typedef int32_t pp_multiplayer_peer_connection_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Kind of a `pp_multiplayer_event`.
 */
enum pp_multiplayer_event_type
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Godot's `peer_connected(id)` signal.
     */
    PP_MULTIPLAYER_EVENT_PEER_CONNECTED = 0,
    /**
     * Godot's `peer_disconnected(id)` signal.
     */
    PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED = 1,
    /**
     * The event queue was full: `dropped` events that belonged here were lost (the events before and
     * after this one are intact and in order).
     */
    PP_MULTIPLAYER_EVENT_OVERFLOW = 2,
    /**
     * A client's connection attempt failed because the server (`peer_id` 1) did not answer within
     * ENet's peer timeout (31.5 s by default: a closed port, a wrong address, a server that never
     * accepted); the peer is DISCONNECTED. Without this event the only sign is the status going from
     * CONNECTING to DISCONNECTED (what Godot's SceneMultiplayer reports as `connection_failed`). A
     * server that accepts and then drops the client gives `PP_MULTIPLAYER_EVENT_PEER_DISCONNECTED`.
     */
    PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT = 3,
    /**
     * A client's connection attempt failed because the server's OS refused it: nothing listens on
     * that port (ICMP port unreachable). Reported as soon as the OS says so (Linux: within a
     * service step or two, instead of ENet's 31.5 s timeout); the peer (`peer_id` 1) is
     * DISCONNECTED. Where the OS does not tell (other systems, a firewall that drops silently) the
     * attempt ends with `PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT` instead. The reason in words:
     * `pp_enet_multiplayer_peer_get_last_error_text`.
     */
    PP_MULTIPLAYER_EVENT_CONNECT_REFUSED = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_multiplayer_event_type pp_multiplayer_event_type;
#else
typedef int32_t pp_multiplayer_event_type;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * One event popped by `pp_multiplayer_peer_pop_event`.
 */
typedef struct pp_multiplayer_event {
    /**
     * What happened.
     */
    pp_multiplayer_event_type kind;
    /**
     * The peer that connected or disconnected; 0 for `PP_MULTIPLAYER_EVENT_OVERFLOW`.
     */
    int32_t peer_id;
    /**
     * `PP_MULTIPLAYER_EVENT_OVERFLOW`: how many events were lost (saturates at `UINT32_MAX`); else 0.
     */
    uint32_t dropped;
} pp_multiplayer_event;

/**
 * Sets where the following `pp_put_packet` calls go: `PP_MULTIPLAYER_PEER_TARGET_PEER_BROADCAST` (0)
 * every peer, N > 0 peer N (`PP_MULTIPLAYER_PEER_TARGET_PEER_SERVER` = 1 is the server), −N every
 * peer except N.
 *
 * - `peer`: a multiplayer peer.
 * - `target_peer`: the target; `INT32_MIN` (no such peer can exist) is refused.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL, a non-multiplayer handle or `INT32_MIN`; or the
 * class's own error.
 */
pp_error pp_multiplayer_peer_set_target_peer(struct pp_peer *peer, int32_t target_peer);

/**
 * Sets the transfer mode of the following `pp_put_packet` calls (Godot's `transfer_mode` property;
 * default `PP_MULTIPLAYER_PEER_TRANSFER_MODE_RELIABLE`).
 *
 * - `peer`: a multiplayer peer.
 * - `mode`: a `pp_multiplayer_peer_transfer_mode` value.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL, a non-multiplayer handle or an unknown mode.
 */
pp_error pp_multiplayer_peer_set_transfer_mode(struct pp_peer *peer, int32_t mode);

/**
 * Reads the `transfer_mode` property.
 *
 * - `peer`: a multiplayer peer.
 * - `out_mode`: receives a `pp_multiplayer_peer_transfer_mode` value.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
 * `PP_ERR_INVALID_DATA` when an extension's callback returned an unknown mode.
 */
pp_error pp_multiplayer_peer_get_transfer_mode(struct pp_peer *peer,
                                               pp_multiplayer_peer_transfer_mode *out_mode);

/**
 * Sets the channel of the following `pp_put_packet` calls (Godot's `transfer_channel` property;
 * default 0, which transports split into one lane per transfer mode).
 *
 * - `peer`: a multiplayer peer.
 * - `channel`: 0..255.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL, a non-multiplayer handle or a channel
 * outside 0..255 (nothing changes).
 */
pp_error pp_multiplayer_peer_set_transfer_channel(struct pp_peer *peer, int32_t channel);

/**
 * Reads the `transfer_channel` property.
 *
 * - `peer`: a multiplayer peer.
 * - `out_channel`: receives the channel.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_get_transfer_channel(struct pp_peer *peer, int32_t *out_channel);

/**
 * The sender's peer ID of the packet the next `pp_get_packet` returns.
 *
 * - `peer`: a multiplayer peer.
 * - `out_peer_id`: receives the ID.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_get_packet_peer(struct pp_peer *peer, int32_t *out_peer_id);

/**
 * The channel of the packet the next `pp_get_packet` returns.
 *
 * - `peer`: a multiplayer peer.
 * - `out_channel`: receives the channel.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_get_packet_channel(struct pp_peer *peer, int32_t *out_channel);

/**
 * The transfer mode of the packet the next `pp_get_packet` returns.
 *
 * - `peer`: a multiplayer peer.
 * - `out_mode`: receives a `pp_multiplayer_peer_transfer_mode` value.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
 * `PP_ERR_INVALID_DATA` when an extension's callback returned an unknown mode.
 */
pp_error pp_multiplayer_peer_get_packet_mode(struct pp_peer *peer,
                                             pp_multiplayer_peer_transfer_mode *out_mode);

/**
 * Processes network events. `peer_connected` / `peer_disconnected` become events to drain with
 * `pp_multiplayer_peer_pop_event` afterwards.
 *
 * - `peer`: a multiplayer peer.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle, or the class's own
 * error (e.g. `PP_ERR_UNCONFIGURED` for an inactive transport).
 */
pp_error pp_multiplayer_peer_poll(struct pp_peer *peer);

/**
 * Closes at once: status becomes DISCONNECTED and remote peers are dropped without
 * `peer_disconnected` events. Events queued before the call stay queued. (OfflineMultiplayerPeer:
 * a no-op; it stays CONNECTED.)
 *
 * - `peer`: a multiplayer peer (still valid afterwards; free it with `pp_peer_free`).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_close(struct pp_peer *peer);

/**
 * Disconnects one remote peer.
 *
 * - `peer`: a multiplayer peer.
 * - `peer_id`: the remote peer.
 * - `force`: true = drop it now with no `peer_disconnected` event; false = graceful, with the event.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle (extensions also
 * refuse IDs < 1 before calling out), or the class's own error.
 */
pp_error pp_multiplayer_peer_disconnect_peer(struct pp_peer *peer, int32_t peer_id, bool force);

/**
 * This peer's unique ID (1 for a server, 2..2147483647 for a client; 0 from a transport that is not
 * active, as in Godot).
 *
 * - `peer`: a multiplayer peer.
 * - `out_id`: receives the ID.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
 * `PP_ERR_INVALID_DATA` when an extension's callback returned an ID outside 1..2147483647.
 */
pp_error pp_multiplayer_peer_get_unique_id(struct pp_peer *peer, int32_t *out_id);

/**
 * Godot's `generate_unique_id()`: a random ID in 2..2147483647 (never 0 or 1), e.g. for a mesh member.
 * IDs come from OS-seeded hashing of the clock, a counter and the thread.
 *
 * - `peer`: a multiplayer peer (Godot's method is an instance method; the peer is not changed).
 * - `out_id`: receives the ID.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_generate_unique_id(struct pp_peer *peer, int32_t *out_id);

/**
 * Whether this peer is the server.
 *
 * - `peer`: a multiplayer peer.
 * - `out_is_server`: receives the answer.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_is_server(struct pp_peer *peer, bool *out_is_server);

/**
 * Whether the transport lets SceneMultiplayer announce peers and relay through the server (Godot's
 * `is_server_relay_supported()`; false unless the class says otherwise).
 *
 * - `peer`: a multiplayer peer.
 * - `out_supported`: receives the answer.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_is_server_relay_supported(struct pp_peer *peer, bool *out_supported);

/**
 * Sets the `refuse_new_connections` property (default false): when true, servers turn new peers away.
 *
 * - `peer`: a multiplayer peer.
 * - `refuse`: the new value.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_set_refuse_new_connections(struct pp_peer *peer, bool refuse);

/**
 * Reads the `refuse_new_connections` property.
 *
 * - `peer`: a multiplayer peer.
 * - `out_refusing`: receives the value.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_is_refusing_new_connections(struct pp_peer *peer, bool *out_refusing);

/**
 * The connection status.
 *
 * - `peer`: a multiplayer peer.
 * - `out_status`: receives a `pp_multiplayer_peer_connection_status` value.
 *
 * Returns `PP_OK`, `PP_ERR_INVALID_PARAMETER` for NULL arguments or a non-multiplayer handle, or
 * `PP_ERR_INVALID_DATA` when an extension's callback returned an unknown status.
 */
pp_error pp_multiplayer_peer_get_connection_status(struct pp_peer *peer,
                                                   pp_multiplayer_peer_connection_status *out_status);

/**
 * Takes the oldest queued event (Godot's `peer_connected` / `peer_disconnected` signals, which the
 * engine emits from `poll`). Call it after `pp_multiplayer_peer_poll` until it returns
 * `PP_ERR_UNAVAILABLE`.
 *
 * The queue holds 1024 events (unless the class documents another size). When it is full, nothing already queued is dropped: new events are
 * counted in one `PP_MULTIPLAYER_EVENT_OVERFLOW` event placed where they would have been, so you learn
 * what was lost and where.
 *
 * - `peer`: a multiplayer peer.
 * - `out_event`: receives the event.
 *
 * Returns `PP_OK`, `PP_ERR_UNAVAILABLE` when the queue is empty, or `PP_ERR_INVALID_PARAMETER` for NULL
 * arguments or a non-multiplayer handle.
 */
pp_error pp_multiplayer_peer_pop_event(struct pp_peer *peer,
                                       struct pp_multiplayer_event *out_event);

/** @} */

/* ====================================================================================================
 * 21. OfflineMultiplayerPeer: the peer of a game that is not networked
 * ==================================================================================================== */

/**
 * @defgroup pp_offline_multiplayer_peer OfflineMultiplayerPeer: the peer of a game that is not networked
 *
 * Godot's OfflineMultiplayerPeer, a multiplayer pp_peer. Make it with
 * pp_offline_multiplayer_peer_new, free it with pp_peer_free. It is always a connected
 * server (ID 1) with no remotes: it queues no events, pp_put_packet discards,
 * pp_get_packet returns an empty packet (as the engine does) and
 * pp_multiplayer_peer_close is a no-op.
 *
 * @{
 */

/**
 * Creates an OfflineMultiplayerPeer: always a connected server (ID 1) with no peers and no events.
 * `pp_put_packet` discards; `pp_get_packet` returns `PP_OK` with an empty packet although the packet
 * count is 0 (the engine does the same; kept for fidelity).
 *
 * - `out_peer`: receives the peer; free it with `pp_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
 */
pp_error pp_offline_multiplayer_peer_new(struct pp_peer **out_peer);

/** @} */

/* ====================================================================================================
 * 22. MultiplayerPeerExtension: a multiplayer peer made of C callbacks
 * ==================================================================================================== */

/**
 * @defgroup pp_multiplayer_peer_extension MultiplayerPeerExtension: a multiplayer peer made of C callbacks
 *
 * Godot's MultiplayerPeerExtension: a multiplayer peer whose methods are your
 * callbacks. Fill a pp_multiplayer_peer_extension_callbacks (size first; required
 * callbacks set), pass it to pp_multiplayer_peer_extension_new (the table is copied),
 * then use the peer with the PacketPeer and MultiplayerPeer calls; free it with
 * pp_peer_free (destroy(userdata) runs once, when the object goes away).
 *
 * Events: raise Godot's signals with pp_multiplayer_peer_extension_emit_peer_connected
 * / _emit_peer_disconnected, typically from your poll callback; they queue the events
 * pp_multiplayer_peer_pop_event drains. The emit calls work inside callbacks; any
 * other call that reaches the peer whose callback is running returns PP_ERR_LOCKED.
 * Callbacks run on the thread that called into the peer, one at a time.
 *
 * @{
 */

/**
 * The callbacks of a MultiplayerPeerExtension (Godot's `_get_packet`, `_put_packet`, … virtuals).
 * Fill it, set `size = sizeof(pp_multiplayer_peer_extension_callbacks)` (later versions may append
 * fields), and pass it to `pp_multiplayer_peer_extension_new`, which copies it.
 *
 * Callbacks returning `int32_t` status return a `pp_error` value (`PP_OK` normally); a number that is
 * not a Godot error counts as `PP_FAILED`. Required callbacks must be non-NULL; `get_packet` /
 * `put_packet` may be NULL (their calls then return `PP_FAILED`, as in Godot); the optional ones
 * have the defaults written on them.
 *
 * Re-entrancy (the library's one rule): a callback may call
 * `pp_multiplayer_peer_extension_emit_peer_connected` / `_emit_peer_disconnected` on its own peer
 * (that is how `poll` raises signals); every other call on that peer, the base calls
 * (`pp_put_packet`, …) included, returns `PP_ERR_LOCKED` while the callback runs.
 *
 * Thread rule: `userdata` travels with the peer. Callbacks run on whichever thread is calling into the
 * peer, one at a time, and `destroy` on the thread that releases the last reference, so `userdata`
 * must be usable from any thread, one at a time.
 */
typedef struct pp_multiplayer_peer_extension_callbacks {
    /**
     * `sizeof(pp_multiplayer_peer_extension_callbacks)` as the caller compiled it.
     */
    size_t size;
    /**
     * Passed as the first argument of every callback.
     */
    void *userdata;
    /**
     * Called once when the peer object goes away (may be NULL).
     */
    void (*destroy)(void *userdata);
    /**
     * Pops one packet: sets `*out_buf`, `*out_len`, returns a pp_error. The bytes must stay valid until
     * the next `get_packet` callback (or `destroy`). A negative length, or NULL with a positive length,
     * makes the call fail with `PP_ERR_INVALID_DATA`. NULL → `pp_get_packet` returns `PP_FAILED`.
     */
    int32_t (*get_packet)(void *userdata, const uint8_t **out_buf, int32_t *out_len);
    /**
     * Sends one packet to the current target with the current mode and channel; the bytes are only
     * valid during the call. Returns a pp_error. NULL → `pp_put_packet` returns `PP_FAILED`.
     */
    int32_t (*put_packet)(void *userdata, const uint8_t *buf, int32_t len);
    /**
     * Packets ready to read. Required. A negative value reports an error (as the engine's -1 does):
     * `pp_get_available_packet_count` then returns `PP_FAILED`.
     */
    int32_t (*get_available_packet_count)(void *userdata);
    /**
     * Informational maximum packet size (negative counts as 0). Required.
     */
    int32_t (*get_max_packet_size)(void *userdata);
    /**
     * Channel of the next packet. Required.
     */
    int32_t (*get_packet_channel)(void *userdata);
    /**
     * Transfer mode of the next packet (a `pp_multiplayer_peer_transfer_mode`). Required.
     */
    int32_t (*get_packet_mode)(void *userdata);
    /**
     * Sender of the next packet. Required.
     */
    int32_t (*get_packet_peer)(void *userdata);
    /**
     * Stores the transfer channel (already checked to be 0..255). Returns a pp_error. Required.
     */
    int32_t (*set_transfer_channel)(void *userdata, int32_t channel);
    /**
     * The transfer channel. Required.
     */
    int32_t (*get_transfer_channel)(void *userdata);
    /**
     * Stores the transfer mode (already checked to be a known mode). Returns a pp_error. Required.
     */
    int32_t (*set_transfer_mode)(void *userdata, int32_t mode);
    /**
     * The transfer mode (a `pp_multiplayer_peer_transfer_mode`). Required.
     */
    int32_t (*get_transfer_mode)(void *userdata);
    /**
     * Stores the target (already checked: never `INT32_MIN`). Returns a pp_error. Required.
     */
    int32_t (*set_target_peer)(void *userdata, int32_t target_peer);
    /**
     * Whether this peer is the server. Required.
     */
    bool (*is_server)(void *userdata);
    /**
     * Processes events; may call the emit functions. Returns a pp_error. Required.
     */
    int32_t (*poll)(void *userdata);
    /**
     * Closes at once (no disconnect events). Returns a pp_error. Required.
     */
    int32_t (*close)(void *userdata);
    /**
     * Disconnects `peer_id` (already checked ≥ 1); with `force`, without emitting
     * `peer_disconnected`. Returns a pp_error. Required.
     */
    int32_t (*disconnect_peer)(void *userdata, int32_t peer_id, bool force);
    /**
     * This peer's ID; must be 1..2147483647 (else the call fails with `PP_ERR_INVALID_DATA`). Required.
     */
    int32_t (*get_unique_id)(void *userdata);
    /**
     * A `pp_multiplayer_peer_connection_status`. Required.
     */
    int32_t (*get_connection_status)(void *userdata);
    /**
     * Optional; told of every change. The library keeps the flag as well, and reports it when
     * `is_refusing_new_connections` is NULL. Returns a pp_error.
     */
    int32_t (*set_refuse_new_connections)(void *userdata, bool refuse);
    /**
     * Optional; NULL → the flag last set through `pp_multiplayer_peer_set_refuse_new_connections`.
     */
    bool (*is_refusing_new_connections)(void *userdata);
    /**
     * Optional; NULL → false.
     */
    bool (*is_server_relay_supported)(void *userdata);
} pp_multiplayer_peer_extension_callbacks;

/**
 * Creates a MultiplayerPeerExtension: a multiplayer peer whose methods are your callbacks. Every base
 * call (`pp_put_packet`, `pp_get_packet`, `pp_put_var`, …) and every `pp_multiplayer_peer_*` call works
 * on it; raise signals with `pp_multiplayer_peer_extension_emit_peer_connected` /
 * `_emit_peer_disconnected`.
 *
 * - `callbacks`: copied; `size` must be at least `sizeof(pp_multiplayer_peer_extension_callbacks)` and
 *   every callback marked Required must be set.
 * - `out_peer`: receives the peer; free it with `pp_peer_free`. `destroy(userdata)` runs once when the
 *   peer object goes away. If this call fails nothing is kept and `destroy` is not called.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a missing
 * required callback.
 */
pp_error pp_multiplayer_peer_extension_new(const struct pp_multiplayer_peer_extension_callbacks *callbacks,
                                           struct pp_peer **out_peer);

/**
 * Raises `peer_connected(peer_id)` on a MultiplayerPeerExtension: queues the event for
 * `pp_multiplayer_peer_pop_event`. May be called from the extension's own callbacks (typically
 * `poll`) or from any thread.
 *
 * - `peer`: a peer made by `pp_multiplayer_peer_extension_new`.
 * - `peer_id`: the peer that connected, 1..2147483647.
 *
 * Returns `PP_OK`; `PP_ERR_BUSY` when the queue is full (the event is counted in an overflow event:
 * do not retry); `PP_ERR_INVALID_PARAMETER` for NULL, another class or an invalid ID.
 */
pp_error pp_multiplayer_peer_extension_emit_peer_connected(struct pp_peer *peer, int32_t peer_id);

/**
 * Raises `peer_disconnected(peer_id)` on a MultiplayerPeerExtension; same rules as
 * `pp_multiplayer_peer_extension_emit_peer_connected`.
 *
 * - `peer`: a peer made by `pp_multiplayer_peer_extension_new`.
 * - `peer_id`: the peer that disconnected, 1..2147483647.
 *
 * Returns `PP_OK`, `PP_ERR_BUSY` (queue full; counted, do not retry), or `PP_ERR_INVALID_PARAMETER`.
 */
pp_error pp_multiplayer_peer_extension_emit_peer_disconnected(struct pp_peer *peer, int32_t peer_id);

/** @} */

/* ====================================================================================================
 * 23. ENetMultiplayerPeer: multiplayer over ENet
 * ==================================================================================================== */

/**
 * @defgroup pp_enet_multiplayer_peer ENetMultiplayerPeer: multiplayer over ENet
 *
 * Godot's ENetMultiplayerPeer, a multiplayer pp_peer. Make it with
 * pp_enet_multiplayer_peer_new, optionally set_bind_ip, then create_server (ID 1),
 * create_client (a random ID; CONNECTING until poll sees the server) or create_mesh
 * (then add_mesh_peer for each remote, through an ENetConnection you connected). Then
 * use the MultiplayerPeer calls: pp_multiplayer_peer_poll services the host and queues
 * peer_connected / peer_disconnected events. Free it with pp_peer_free, which also
 * closes it (connected remotes get an ENet DISCONNECT).
 *
 * pp_enet_multiplayer_peer_get_peer lends the ENetPacketPeer of a remote (valid until
 * this peer is freed). pp_enet_multiplayer_peer_get_host gives a new, owned
 * pp_enet_connection sharing the host: free it with pp_enet_connection_free, and do
 * not service it (that takes this peer's events).
 *
 * @{
 */

/**
 * Creates an inactive ENetMultiplayerPeer (call `pp_enet_multiplayer_peer_create_server`,
 * `_create_client` or `_create_mesh` next). Its bind address is `"*"` until
 * `pp_enet_multiplayer_peer_set_bind_ip`.
 *
 * - `out_peer`: receives the peer; free it with `pp_peer_free` (which also closes it: connected
 *   remotes get an immediate ENet DISCONNECT).
 *
 * Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL `out_peer`).
 */
pp_error pp_enet_multiplayer_peer_new(struct pp_peer **out_peer);

/**
 * `create_server(port, max_clients, max_channels, in_bandwidth, out_bandwidth)`: an ENet host bound
 * to the bind address (`"*"` by default) and `port`; this peer becomes the server (ID 1, CONNECTED).
 * Clients are admitted in `pp_multiplayer_peer_poll` with the ID they send as ENet connect data
 * (2..2147483647, not already in use, and only while not refusing new connections); others are
 * dropped silently and time out.
 *
 * - `port`: 0..65535 (0 = a free port; read it with `pp_enet_connection_get_local_port` on the
 *   host from `pp_enet_multiplayer_peer_get_host`).
 * - `max_clients`: 1..4095. Godot's default is 32.
 * - `max_channels`: user channels 0..253 (0 = as many as ENet allows): the host accepts
 *   `max_channels + 2` ENet channels (255 for 0). Godot's engine passes this value as the host's
 *   incoming bandwidth instead and never limits channels, and ignores `in_bandwidth` (an argument
 *   shift); this library implements the intended mapping. A Godot client sees the difference only
 *   through ENet flow control.
 * - `in_bandwidth`, `out_bandwidth`: bytes/second, 0 = unlimited.
 *
 * In Godot 3 mode (`pp_enet_multiplayer_peer_set_godot3_compat`) `max_channels` is 0..252 and the
 * host accepts `3 + max_channels` ENet channels (3 = Godot 3's default `channel_count`).
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if the peer is active; `PP_ERR_INVALID_PARAMETER` for NULL,
 * another class or a value out of range; `PP_ERR_CANT_CREATE` if the socket cannot be bound.
 */
pp_error pp_enet_multiplayer_peer_create_server(struct pp_peer *peer,
                                                int32_t port,
                                                int32_t max_clients,
                                                int32_t max_channels,
                                                int32_t in_bandwidth,
                                                int32_t out_bandwidth);

/**
 * `create_client(address, port, channel_count, in_bandwidth, out_bandwidth, local_port)`: draws this
 * peer's unique ID (2..2147483647) and starts connecting to a server. The status is CONNECTING
 * until `pp_multiplayer_peer_poll` sees the ENet CONNECT (then CONNECTED and a `peer_connected(1)`
 * event). On the wire the ENet CONNECT carries the ID as its data and asks for `channel_count + 2`
 * channels (255 for 0), as a Godot client does.
 *
 * A closed port (nothing listens there) is reported at once where the OS tells (Linux: ICMP port
 * unreachable, read from the socket's error queue): DISCONNECTED with a
 * `PP_MULTIPLAYER_EVENT_CONNECT_REFUSED` event within a poll or two. A server that never answers
 * (a silent or filtered port, a wrong address) leaves the status CONNECTING for ENet's
 * peer timeout, **31.5 s** with the defaults, then DISCONNECTED with a
 * `PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT` event. Either way
 * `pp_enet_multiplayer_peer_get_last_error_text` says why. To give up
 * sooner, shorten the timeout right after this call: `pp_enet_multiplayer_peer_get_peer(peer, 1,
 * &server)` then `pp_enet_packet_peer_set_timeout(server, 32, 1000, 3000)` (about 3.5 s).
 *
 * - `address`: IP literal or host name (resolved now, blocking).
 * - `port`: the server's port, 1..65535.
 * - `channel_count`: user channels, 0..253 (0 = 255 ENet channels).
 * - `in_bandwidth`, `out_bandwidth`: bytes/second, 0 = unlimited.
 * - `local_port`: 0 = any; otherwise the socket is bound to the bind address and this port.
 *
 * In Godot 3 mode (`pp_enet_multiplayer_peer_set_godot3_compat`) the CONNECT asks for
 * `3 + channel_count` channels (3 = Godot 3's default `channel_count`).
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` if active; `PP_ERR_INVALID_PARAMETER` for NULL, another
 * class, a negative `channel_count`, a bad `local_port` or a negative bandwidth; `PP_ERR_CANT_CREATE`
 * if the socket cannot be made or the connection cannot start (bad port, unresolvable address,
 * `channel_count` above 253).
 */
pp_error pp_enet_multiplayer_peer_create_client(struct pp_peer *peer,
                                                const char *address,
                                                int32_t port,
                                                int32_t channel_count,
                                                int32_t in_bandwidth,
                                                int32_t out_bandwidth,
                                                int32_t local_port);

/**
 * `create_mesh(unique_id)`: mesh mode with this ID, CONNECTED at once. Add each remote with
 * `pp_enet_multiplayer_peer_add_mesh_peer`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL, another class or `unique_id` ≤ 0;
 * `PP_ERR_ALREADY_IN_USE` if active.
 */
pp_error pp_enet_multiplayer_peer_create_mesh(struct pp_peer *peer, int32_t unique_id);

/**
 * `add_mesh_peer(peer_id, host)`: adds a mesh member reached through `host`, an ENetConnection with
 * exactly one peer, already CONNECTED (connect it yourself with `pp_enet_connection_*`). Queues a
 * `peer_connected(peer_id)` event. From now on `pp_multiplayer_peer_poll` services `host`.
 *
 * - `peer_id`: the member's ID, 1..2147483647, not already added (Godot silently replaces a
 *   duplicate; this library refuses it).
 * - `host`: shared, not taken: the multiplayer peer keeps the connection alive; you may still free
 *   your handle (the host then lives as long as the multiplayer peer uses it).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments, another class, a bad or duplicate
 * ID, or a host without exactly one CONNECTED peer; `PP_ERR_UNCONFIGURED` if not in mesh mode.
 */
pp_error pp_enet_multiplayer_peer_add_mesh_peer(struct pp_peer *peer,
                                                int32_t peer_id,
                                                struct pp_enet_connection *host);

/**
 * `set_bind_ip(ip)`: the address later `create_server` / `create_client` (with a local port) bind.
 *
 * - `ip`: an IP literal (`"127.0.0.1"`, `"::1"`) or `"*"` (all addresses, dual stack; the default).
 *
 * Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL, another class, not an IP literal or `"*"`;
 * nothing changes).
 */
pp_error pp_enet_multiplayer_peer_set_bind_ip(struct pp_peer *peer, const char *ip);

/**
 * `get_host()`: the ENetConnection of a server or client.
 *
 * - `out_host`: receives a **new handle sharing** the multiplayer peer's connection (owned by you:
 *   free it with `pp_enet_connection_free`, which leaves the host running while the multiplayer
 *   peer uses it). Calls on it act on the multiplayer peer's host: `pp_enet_connection_service`
 *   would take events the multiplayer peer needs, `pp_enet_connection_destroy` ends it (the next
 *   poll closes the multiplayer peer). Statistics, `get_local_port`, `compress` etc. are safe.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class;
 * `PP_ERR_UNCONFIGURED` when inactive or in mesh mode (Godot returns null).
 */
pp_error pp_enet_multiplayer_peer_get_host(struct pp_peer *peer, struct pp_enet_connection **out_host);

/**
 * `get_peer(id)`: the ENet peer (ENetPacketPeer) of a connected remote, to use with the
 * `pp_enet_packet_peer_*` calls (statistics, timeouts, ping...).
 *
 * - `id`: the remote's ID (a client knows only the server, 1).
 * - `out_peer`: receives a handle **lent** by the multiplayer peer: valid until the multiplayer peer
 *   is freed (inactive once that remote is gone); do not `pp_peer_free` it (that is ignored). Each
 *   distinct ENet peer lent costs a few dozen bytes until then.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class;
 * `PP_ERR_UNCONFIGURED` when inactive; `PP_ERR_DOES_NOT_EXIST` for an unknown ID (Godot returns null).
 */
pp_error pp_enet_multiplayer_peer_get_peer(struct pp_peer *peer, int32_t id, struct pp_peer **out_peer);

/**
 * Speaks Godot 3.x's `NetworkedMultiplayerENet` (`docs/godot3-multiplayer.md` §1) instead of Godot
 * 4's ENetMultiplayerPeer, to talk to Godot 3.x games (a Godot 3 peer and a Godot 4 peer cannot talk).
 * Off by default. In this mode:
 *
 * - every data packet carries an 8-byte `[u32 source id][i32 target id]` header (added by
 *   `pp_put_packet`, removed before `pp_get_packet`); ENet channel 0 carries the server's config
 *   messages, channel 1 RELIABLE, channel 2 both unreliable modes (UNRELIABLE unsequenced,
 *   UNRELIABLE_ORDERED sequenced), user transfer channel N ENet channel N + 2 (Godot 3's
 *   `transfer_channel` N + 2); `max_channels` / `channel_count` of `create_server` /
 *   `create_client` count user channels on top of the 3 system ones (0 = Godot 3's default of 3
 *   ENet channels, at most 252);
 * - clients send every packet to the server with the real target in the header; the server relays
 *   client-to-client packets, broadcasts and "all but N" by that target, and tells every client
 *   who joins and leaves (a client gets `peer_connected` / `peer_disconnected` events for the
 *   other clients and may target them);
 * - what Godot 3 drops (a packet shorter than the header, a spoofed source id, a config message
 *   reaching a server, a relay to an unknown id) is dropped and counted
 *   (`pp_enet_multiplayer_peer_get_dropped_packets`);
 * - `pp_multiplayer_peer_disconnect_peer` on a server with `force` queues `peer_disconnected`
 *   at once (Godot 3's `now`); `pp_multiplayer_peer_close` sends the own id as disconnect data;
 *   `pp_multiplayer_peer_is_server_relay_supported` is false (the peer relays by itself);
 *   `pp_enet_multiplayer_peer_create_mesh` gives `PP_ERR_UNAVAILABLE` (Godot 3 has no mesh mode).
 *
 * Engine differences: Godot 3's `server_relay` is always on (its default) and `always_ordered`
 * off (its default); compression is set on the host (`pp_enet_connection_compress`) and must
 * match the Godot 3 side (Godot 3.2's default is none).
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` while active (set it before `create_*`);
 * `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_enet_multiplayer_peer_set_godot3_compat(struct pp_peer *peer, bool enabled);

/**
 * Packets received and dropped by Godot 3's rules since the peer was created (see
 * `pp_enet_multiplayer_peer_set_godot3_compat`); always 0 in Godot 4 mode.
 *
 * - `out_count`: receives the count.
 *
 * Returns `PP_OK` or `PP_ERR_INVALID_PARAMETER` (NULL arguments or another class).
 */
pp_error pp_enet_multiplayer_peer_get_dropped_packets(struct pp_peer *peer, uint64_t *out_count);

/**
 * Why the last create_server / create_client / create_mesh failed (the socket's OS error, e.g.
 * `"bind 127.0.0.1 port 7000: Address in use (os error 98)"`, or an address that did not resolve)
 * or why this client's connection attempt failed or ended: refused (nothing listens on that port:
 * `PP_MULTIPLAYER_EVENT_CONNECT_REFUSED`), timed out (`PP_MULTIPLAYER_EVENT_CONNECT_TIMED_OUT`),
 * or the server that ended the connection. `""` while nothing failed since the last `create_*`.
 * Beyond the engine, which turns DISCONNECTED without a reason.
 *
 * - `out_text`, `out_text_size`: buffer for the NUL-terminated text, filled by the text-out rule
 *   (see the header's conventions).
 * - `out_len`: NULL, or receives the text's length without the NUL, also when it does not fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_enet_multiplayer_peer_get_last_error_text(struct pp_peer *peer,
                                                      char *out_text,
                                                      size_t out_text_size,
                                                      size_t *out_len);

/** @} */

/* ====================================================================================================
 * 24. WebSocketMultiplayerPeer: multiplayer over WebSocket
 * ==================================================================================================== */

/**
 * @defgroup pp_websocket_multiplayer_peer WebSocketMultiplayerPeer: multiplayer over WebSocket
 *
 * Godot 4's WebSocketMultiplayerPeer, a pp_peer driven by the pp_multiplayer_peer_*
 * calls. create_server(port, bind, tls_server_options) makes this peer the server (ID
 * 1): clients are accepted in poll, get a random ID sent as their first message, and
 * must finish the handshake within the handshake timeout. create_client(url,
 * tls_client_options) connects; it becomes CONNECTED (with peer_connected(1)) when the
 * server's ID arrives. With TLS options (NULL: ws, or the default client options for a
 * wss:// URL) the connections are wss. Packets are raw WebSocket messages, no header;
 * targets follow the MultiplayerPeer rules. The per-connection properties
 * (supported_protocols, handshake_headers, buffer sizes, max_queued_packets) have
 * set/get calls; get_peer lends the WebSocketPeer of a connected peer. Opt-in: Godot
 * 3's framing (set_godot3_compat). Free it with pp_peer_free.
 *
 * @{
 */

/**
 * Makes an inactive WebSocketMultiplayerPeer (Godot 4's protocol, `docs/classes.md` §20). Drive it with
 * the `pp_multiplayer_peer_*` calls (poll, events, targets, disconnect_peer, close) and the PacketPeer
 * calls; its WebSocket settings are the engine's defaults, its handshake timeout 3 s.
 *
 * - `out_peer`: receives the peer; free it with `pp_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
 */
pp_error pp_websocket_multiplayer_peer_new(struct pp_peer **out_peer);

/**
 * `create_server(port, bind_address, tls_server_options)`: listens; this peer becomes the server
 * (ID 1, CONNECTED). Clients are accepted in `pp_multiplayer_peer_poll` (not while refusing new
 * connections), get a random ID (2..2147483647) sent as their first message (4 bytes,
 * little-endian), and must finish the handshake (TLS included) within the handshake timeout.
 *
 * - `port`: 0..65535 (0: the OS picks; read it with `pp_websocket_multiplayer_peer_get_local_port`).
 * - `bind_address`: NULL or `"*"` (all, dual stack), or an IP literal.
 * - `tls_server_options`: NULL for `ws`, or server options (`pp_tls_options_server`; copied) for
 *   `wss`: every connection then runs a TLS handshake first.
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless DISCONNECTED or if the port is taken;
 * `PP_ERR_INVALID_PARAMETER` for a bad port or address, client options, options of another handle
 * type, NULL `peer` or another class.
 */
pp_error pp_websocket_multiplayer_peer_create_server(struct pp_peer *peer,
                                                     int32_t port,
                                                     const char *bind_address,
                                                     const struct pp_tls_options *tls_server_options);

/**
 * `create_client(url, tls_client_options)`: connects to a server (as
 * `pp_websocket_peer_connect_to_url`, `wss://` included); CONNECTING until the server's ID message
 * arrives (then CONNECTED and a `peer_connected(1)` event). If that does not happen within the
 * handshake timeout (or the connection fails, TLS included) the peer silently returns to
 * DISCONNECTED, like the engine.
 *
 * - `tls_client_options`: as in `pp_websocket_peer_connect_to_url` (NULL: the default client
 *   options; server options are refused).
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless DISCONNECTED; the errors of
 * `pp_websocket_peer_connect_to_url`.
 */
pp_error pp_websocket_multiplayer_peer_create_client(struct pp_peer *peer,
                                                     const char *url,
                                                     const struct pp_tls_options *tls_client_options);

/**
 * `get_peer(id)`: the WebSocketPeer of a connected remote (a client knows only the server, 1), to
 * read its state, close code, TLS status, selected protocol, connected host and counters with the
 * `pp_websocket_peer_*` calls. Reading packets from it or sending on it bypasses the multiplayer
 * peer (as in the engine).
 *
 * - `id`: the remote's ID.
 * - `out_peer`: receives a handle **lent** by the multiplayer peer: valid until the multiplayer peer
 *   is freed (its connection is closed once that remote is gone or the multiplayer peer closes); do
 *   not `pp_peer_free` it (that is ignored). Each distinct peer lent costs a few hundred bytes until
 *   then; asking again for the same peer gives the same handle.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for NULL arguments or another class;
 * `PP_ERR_UNCONFIGURED` when inactive; `PP_ERR_DOES_NOT_EXIST` for an unknown ID (Godot returns
 * null).
 */
pp_error pp_websocket_multiplayer_peer_get_peer(struct pp_peer *peer, int32_t id, struct pp_peer **out_peer);

/**
 * Why this client's last connection failed or ended (beyond the engine, whose client turns
 * DISCONNECTED silently): the WebSocketPeer's reason (`pp_websocket_peer_get_last_error_text`, TLS
 * included), no server ID within the handshake timeout, or the close code the server ended with.
 * `""` if nothing failed, until the next create_server / create_client.
 *
 * - `out_text`, `out_text_size`, `out_len`: the text-out rule (see the header's conventions).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied);
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_multiplayer_peer_get_last_error_text(struct pp_peer *peer,
                                                           char *out_text,
                                                           size_t out_text_size,
                                                           size_t *out_len);

/**
 * The port the server listens on; 0 when not a server, for NULL or another class.
 */
int32_t pp_websocket_multiplayer_peer_get_local_port(struct pp_peer *peer);

/**
 * The address of a connected peer (`get_peer_address(id)`; a client knows only the server, ID 1).
 *
 * - `out_text`, `out_text_size`, `out_len`: the text-out rule; `PP_IP_STRING_SIZE` bytes suffice.
 *
 * Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID; `PP_ERR_PARAMETER_RANGE_ERROR` when the
 * buffer is too small; `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_websocket_multiplayer_peer_get_peer_address(struct pp_peer *peer,
                                                        int32_t id,
                                                        char *out_text,
                                                        size_t out_text_size,
                                                        size_t *out_len);

/**
 * The port of a connected peer (`get_peer_port(id)`).
 *
 * - `out_port`: receives it.
 *
 * Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID; `PP_ERR_INVALID_PARAMETER` for NULL or
 * another class.
 */
pp_error pp_websocket_multiplayer_peer_get_peer_port(struct pp_peer *peer, int32_t id, int32_t *out_port);

/**
 * Sets `handshake_timeout` in seconds (> 0; the engine's default 3).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value <= 0 or not finite, NULL or
 * another class.
 */
pp_error pp_websocket_multiplayer_peer_set_handshake_timeout(struct pp_peer *peer, double seconds);

/**
 * `handshake_timeout` in seconds.
 *
 * - `out_seconds`: receives it.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_multiplayer_peer_get_handshake_timeout(struct pp_peer *peer, double *out_seconds);

/**
 * Sets `supported_protocols` for later connections (rules of
 * `pp_websocket_peer_set_supported_protocols`). Connections already open keep theirs.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a bad entry or array, NULL `peer` or
 * another class.
 */
pp_error pp_websocket_multiplayer_peer_set_supported_protocols(struct pp_peer *peer,
                                                               const char *const *protocols,
                                                               size_t count);

/**
 * `supported_protocols`, the entries joined with `\n`; the text-out rule as
 * `pp_websocket_peer_get_supported_protocols`.
 */
pp_error pp_websocket_multiplayer_peer_get_supported_protocols(struct pp_peer *peer,
                                                               char *out_text,
                                                               size_t out_text_size,
                                                               size_t *out_len);

/**
 * Sets `handshake_headers` for later connections: raw `Name: value` lines the server adds to each
 * handshake response (a client to its request), rules of `pp_websocket_peer_set_handshake_headers`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a line with CR or LF, a bad array,
 * NULL `peer` or another class.
 */
pp_error pp_websocket_multiplayer_peer_set_handshake_headers(struct pp_peer *peer,
                                                             const char *const *headers,
                                                             size_t count);

/**
 * `handshake_headers`, the lines joined with `\n`; the text-out rule as
 * `pp_websocket_peer_get_handshake_headers`.
 */
pp_error pp_websocket_multiplayer_peer_get_handshake_headers(struct pp_peer *peer,
                                                             char *out_text,
                                                             size_t out_text_size,
                                                             size_t *out_len);

/**
 * Sets `inbound_buffer_size` for later connections (1..1073741824; the engine's default 65535).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
 * class.
 */
pp_error pp_websocket_multiplayer_peer_set_inbound_buffer_size(struct pp_peer *peer, int32_t value);

/**
 * `inbound_buffer_size`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_multiplayer_peer_get_inbound_buffer_size(struct pp_peer *peer, int32_t *out_value);

/**
 * Sets `outbound_buffer_size` for later connections (0 = unlimited, up to 1073741824; the engine's
 * default 65535). `pp_get_max_packet_size` on the multiplayer peer is this minus 9.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
 * class.
 */
pp_error pp_websocket_multiplayer_peer_set_outbound_buffer_size(struct pp_peer *peer, int32_t value);

/**
 * `outbound_buffer_size`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_multiplayer_peer_get_outbound_buffer_size(struct pp_peer *peer, int32_t *out_value);

/**
 * Sets `max_queued_packets` (>= 1; the engine's default 4096): per connection, the most messages
 * queued in each direction, and the size of the multiplayer peer's incoming queue (when it is
 * full the sockets are throttled; nothing is dropped).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a value out of range, NULL or another
 * class.
 */
pp_error pp_websocket_multiplayer_peer_set_max_queued_packets(struct pp_peer *peer, int32_t value);

/**
 * `max_queued_packets`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_multiplayer_peer_get_max_queued_packets(struct pp_peer *peer, int32_t *out_value);

/**
 * Sets the `heartbeat_interval` (seconds, 0 = off) of later connections (beyond the engine, whose
 * WebSocketMultiplayerPeer has no such property): each connection pings every interval and is
 * dropped if the previous ping was not answered, as `pp_websocket_peer_set_heartbeat_interval`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a negative or non-finite value, NULL
 * or another class.
 */
pp_error pp_websocket_multiplayer_peer_set_heartbeat_interval(struct pp_peer *peer, double seconds);

/**
 * The `heartbeat_interval` of later connections in seconds (0 when off).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_websocket_multiplayer_peer_get_heartbeat_interval(struct pp_peer *peer, double *out_seconds);

/**
 * Sets four WebSocket settings every later connection of this multiplayer peer copies
 * (`supported_protocols`, `inbound_buffer_size`, `outbound_buffer_size`, `max_queued_packets`) in
 * one call, with the rules of the WebSocketPeer setters; all or nothing. The same as the four
 * `pp_websocket_multiplayer_peer_set_*` calls; `handshake_headers` and `heartbeat_interval` are
 * left as they are.
 *
 * - `protocols`, `count`: as `pp_websocket_peer_set_supported_protocols`.
 * - `inbound_buffer_size`, `outbound_buffer_size`, `max_queued_packets`: as the WebSocketPeer
 *   properties.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` (no change) for a bad value, NULL or another class.
 */
pp_error pp_websocket_multiplayer_peer_configure(struct pp_peer *peer,
                                                 const char *const *protocols,
                                                 size_t count,
                                                 int32_t inbound_buffer_size,
                                                 int32_t outbound_buffer_size,
                                                 int32_t max_queued_packets);

/**
 * Speaks Godot 3's WebSocketMultiplayerPeer protocol (`gd_mp_api`: a 9-byte `[u8 type][i32 from][i32 to]`
 * header on every message, SYS_ID/SYS_ADD/SYS_DEL announcements, the server relaying between clients)
 * instead of Godot 4's, to talk to Godot 3.x games. Off by default. In this mode
 * `pp_multiplayer_peer_is_server_relay_supported` is false, and a client is CONNECTED once the
 * server announced itself (SYS_ADD(1)).
 *
 * Returns `PP_OK`; `PP_ERR_ALREADY_IN_USE` unless DISCONNECTED; `PP_ERR_INVALID_PARAMETER` for NULL
 * or another class.
 */
pp_error pp_websocket_multiplayer_peer_set_godot3_compat(struct pp_peer *peer, bool enabled);

/** @} */

/* ====================================================================================================
 * 25. WebRTCPeerConnection: a WebRTC connection carrying data channels
 * ==================================================================================================== */

/**
 * @defgroup pp_webrtc_peer_connection WebRTCPeerConnection: a WebRTC connection carrying data channels
 *
 * Godot's WebRTCPeerConnection with WebRTC built in (str0m over the library's own UDP
 * sockets, OpenSSL for DTLS): no plugin, no threads, everything happens in
 * pp_webrtc_peer_connection_poll. Make it, initialize it (NULL or a configuration
 * Dictionary), create data channels while it is NEW, then either create_offer or
 * set_remote_description("offer", ...). Signalling is yours: drain pop_event and
 * send SESSION_DESCRIPTION_CREATED and ICE_CANDIDATE_CREATED to the remote, whose
 * set_remote_description / add_ice_candidate take them. Poll until CONNECTED.
 * Differences from the engine: host, STUN (server-reflexive) and TURN-over-UDP
 * (relayed) candidates, turns: refused; iceTransportPolicy "relay" beyond the
 * engine; create_offer needs a data channel; failures say why
 * (get_last_error); every queue is bounded and counts what it refuses (get_stats).
 *
 * WebRTCPeerConnectionExtension: pp_webrtc_peer_connection_extension_new makes a
 * connection whose calls are your callbacks; emit its signals with the
 * pp_webrtc_peer_connection_extension_emit_* calls (also from inside a callback),
 * pop_event drains them. WebRTCMultiplayerPeer.add_peer takes extensions too.
 *
 * @{
 */

/**
 * `WebRTCPeerConnection.ConnectionState`. `int32_t` in C.
 */
enum pp_webrtc_connection_state
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Made or initialized; nothing negotiated yet.
     */
    PP_WEBRTC_STATE_NEW = 0,
    /**
     * ICE checks and the DTLS handshake under way.
     */
    PP_WEBRTC_STATE_CONNECTING = 1,
    /**
     * ICE and DTLS up: channels open.
     */
    PP_WEBRTC_STATE_CONNECTED = 2,
    /**
     * Connectivity lost or the remote closed; FAILED after the ICE timeout unless it recovers.
     */
    PP_WEBRTC_STATE_DISCONNECTED = 3,
    /**
     * ICE/DTLS did not connect within the ICE timeout, or the stack failed.
     */
    PP_WEBRTC_STATE_FAILED = 4,
    /**
     * Closed locally (`pp_webrtc_peer_connection_close`).
     */
    PP_WEBRTC_STATE_CLOSED = 5,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_webrtc_connection_state pp_webrtc_connection_state;
#else
typedef int32_t pp_webrtc_connection_state;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * `WebRTCPeerConnection.GatheringState`. `int32_t` in C.
 */
enum pp_webrtc_gathering_state
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_WEBRTC_GATHERING_STATE_NEW = 0,
    PP_WEBRTC_GATHERING_STATE_GATHERING = 1,
    /**
     * Every candidate was reported (host candidates right after the first description; STUN
     * answered or timed out).
     */
    PP_WEBRTC_GATHERING_STATE_COMPLETE = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_webrtc_gathering_state pp_webrtc_gathering_state;
#else
typedef int32_t pp_webrtc_gathering_state;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * `WebRTCPeerConnection.SignalingState`. `int32_t` in C. The PRANSWER states never occur.
 */
enum pp_webrtc_signaling_state
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_WEBRTC_SIGNALING_STATE_STABLE = 0,
    PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER = 1,
    PP_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER = 2,
    PP_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER = 3,
    PP_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER = 4,
    PP_WEBRTC_SIGNALING_STATE_CLOSED = 5,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_webrtc_signaling_state pp_webrtc_signaling_state;
#else
typedef int32_t pp_webrtc_signaling_state;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What a `pp_webrtc_event` reports. `int32_t` in C.
 */
enum pp_webrtc_event_type
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * `session_description_created(type, sdp)`: `text` = "offer" or "answer", `text2` = the SDP.
     */
    PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED = 0,
    /**
     * `ice_candidate_created(media, index, name)`: `text` = media (mid), `index`, `text2` = name.
     */
    PP_WEBRTC_EVENT_ICE_CANDIDATE_CREATED = 1,
    /**
     * `data_channel_received(channel)`: `channel` is a new owned `pp_peer` (free it with
     * `pp_peer_free`; keep it to keep receiving).
     */
    PP_WEBRTC_EVENT_DATA_CHANNEL_RECEIVED = 2,
    /**
     * The connection state changed to `state` (a `pp_webrtc_connection_state`).
     */
    PP_WEBRTC_EVENT_CONNECTION_STATE_CHANGED = 3,
    /**
     * The gathering state changed to `state` (a `pp_webrtc_gathering_state`).
     */
    PP_WEBRTC_EVENT_GATHERING_STATE_CHANGED = 4,
    /**
     * The signaling state changed to `state` (a `pp_webrtc_signaling_state`).
     */
    PP_WEBRTC_EVENT_SIGNALING_STATE_CHANGED = 5,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_webrtc_event_type pp_webrtc_event_type;
#else
typedef int32_t pp_webrtc_event_type;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * One signal of a connection, filled by `pp_webrtc_peer_connection_pop_event`. The strings are
 * owned by the event: release them with `pp_webrtc_event_clear` (the channel is yours to
 * `pp_peer_free` separately).
 */
typedef struct pp_webrtc_event {
    /**
     * A `pp_webrtc_event_type`.
     */
    int32_t type_;
    /**
     * The new state (state-change events), else 0.
     */
    int32_t state;
    /**
     * The candidate's m-line index (always 0 here), else 0.
     */
    int32_t index;
    /**
     * NUL-terminated UTF-8 or NULL (see the event type).
     */
    char *text;
    /**
     * NUL-terminated UTF-8 or NULL (see the event type).
     */
    char *text2;
    /**
     * DATA_CHANNEL_RECEIVED: a new owned data channel; else NULL.
     */
    struct pp_peer *channel;
} pp_webrtc_event;

/**
 * Counters of a connection (beyond the engine), from `pp_webrtc_peer_connection_get_stats`. They
 * start at 0 at `pp_webrtc_peer_connection_new` and only grow.
 */
typedef struct pp_webrtc_stats {
    /**
     * Datagrams on our sockets that were not STUN/DTLS for this connection.
     */
    uint64_t garbage_datagrams;
    /**
     * Datagrams the stack accepted but could not process.
     */
    uint64_t input_errors;
    /**
     * Datagrams the socket refused (reliable data is retransmitted).
     */
    uint64_t send_dropped;
    /**
     * Events refused because 1024 were queued.
     */
    uint64_t events_refused;
    /**
     * Messages refused because a channel's receive queue was over its hard limit.
     */
    uint64_t messages_refused;
    /**
     * Polls that left the sockets unread because a channel's receive queue was full.
     */
    uint64_t read_throttled;
    /**
     * Remote candidates ignored (mDNS `.local` names, TCP).
     */
    uint64_t candidates_ignored;
} pp_webrtc_stats;

/**
 * The callbacks of a WebRTCPeerConnectionExtension: `size` first, then `userdata`, then every
 * callback (all required except `destroy`), copied by `pp_webrtc_peer_connection_extension_new`.
 * Strings and variants passed to callbacks are valid during the call only.
 */
typedef struct pp_webrtc_peer_connection_extension_callbacks {
    /**
     * `sizeof(pp_webrtc_peer_connection_extension_callbacks)` as the caller compiled it.
     */
    size_t size;
    /**
     * Passed as the first argument of every callback.
     */
    void *userdata;
    /**
     * `_initialize(configuration)`: `configuration` is a Dictionary (empty when the caller passed
     * NULL); returns a pp_error.
     */
    int32_t (*initialize)(void *userdata, const struct pp_variant *configuration);
    /**
     * `_create_data_channel(label, options)`: on `PP_OK` sets `*out_channel` to a new owned
     * `pp_peer` (any PacketPeer; a WebRTCDataChannelExtension makes the data channel calls work),
     * whose ownership passes to the caller of `pp_webrtc_peer_connection_create_data_channel`.
     */
    int32_t (*create_data_channel)(void *userdata,
                                   const char *label,
                                   const struct pp_variant *options,
                                   struct pp_peer **out_channel);
    int32_t (*create_offer)(void *userdata);
    int32_t (*set_remote_description)(void *userdata, const char *type_, const char *sdp);
    int32_t (*set_local_description)(void *userdata, const char *type_, const char *sdp);
    int32_t (*add_ice_candidate)(void *userdata, const char *media, int32_t index, const char *name);
    int32_t (*poll)(void *userdata);
    void (*close)(void *userdata);
    /**
     * A `pp_webrtc_connection_state` value.
     */
    int32_t (*get_connection_state)(void *userdata);
    /**
     * A `pp_webrtc_gathering_state` value.
     */
    int32_t (*get_gathering_state)(void *userdata);
    /**
     * A `pp_webrtc_signaling_state` value.
     */
    int32_t (*get_signaling_state)(void *userdata);
    /**
     * Called once when the connection is destroyed (may be NULL).
     */
    void (*destroy)(void *userdata);
} pp_webrtc_peer_connection_extension_callbacks;

/**
 * Makes a WebRTCPeerConnection, not initialized (call `pp_webrtc_peer_connection_initialize`).
 *
 * - `out_connection`: receives the connection; free it with `pp_webrtc_peer_connection_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_connection` is NULL.
 */
pp_error pp_webrtc_peer_connection_new(struct pp_webrtc_peer_connection **out_connection);

/**
 * Frees a connection handle; the connection is closed unless a data channel or a
 * WebRTCMultiplayerPeer still references it (then it lives on until they are freed; close it
 * first to stop it). NULL is a no-op.
 */
void pp_webrtc_peer_connection_free(struct pp_webrtc_peer_connection *connection);

/**
 * (Re)creates the connection (`initialize(configuration)`): state NEW, one UDP socket per local
 * address, channels of a previous connection CLOSED, queued events dropped.
 *
 * - `configuration`: NULL (an empty Dictionary) or a Dictionary: `"iceServers"`: Array of
 *   `{ "urls": String or Array of "stun:"/"stuns:"/"turn:"/"turns:" URLs, "username": String,
 *   "credential": String }`: each `stun:`/`stuns:` server (host names resolved here, blocking up to the
 *   system resolver's timeout; numeric hosts never wait) gives server-reflexive candidates (a plain
 *   Binding request, no TLS for `stuns:`); each TURN server gives a relayed candidate (a TURN
 *   allocation with the long-term credentials `username` and `credential`, both required; kept
 *   alive by the connection's poll): `turn:host[:port][?transport=udp]` over UDP (default port
 *   3478), `turn:host[:port]?transport=tcp` over TCP, `turns:host[:port][?transport=tcp]` over TLS
 *   (default port 5349; the certificate must name `host`, checked against the system's trusted CAs
 *   unless `pp_webrtc_peer_connection_set_turn_tls_options` says otherwise). The relayed address is
 *   UDP in every case. TCP and TLS connect in `pp_webrtc_peer_connection_poll`; a refused
 *   connection or a failed handshake ends that allocation with the reason in the last-error
 *   text. The conditioner does not act on TCP/TLS TURN traffic. `turns:` with `?transport=udp`
 *   (TURN over DTLS) is refused with `PP_ERR_UNAVAILABLE` and a last-error text;
 *   beyond the engine: `"iceTransportPolicy"`: `"all"` (default) or `"relay"` (only relayed
 *   candidates are reported and used, so every datagram goes through the TURN server; needs a
 *   TURN server; the connection is FAILED as soon as every allocation has failed, the reason
 *   in `pp_webrtc_peer_connection_get_last_error`, e.g. a 401 for a wrong credential);
 *   beyond the engine: `"bindAddresses"`: Array or PackedStringArray of IP literals to gather host
 *   candidates on (default: every address of every interface that is up, loopback and link-local
 *   IPv6 excluded), `"iceTimeout"`: int ms 1..600000 (default 15000), how long connecting (or
 *   staying DISCONNECTED) may take before FAILED. Other keys (webrtc-native's `"libdatachannel"`)
 *   are ignored.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a bad dictionary (a server without `urls`, a URL
 * of another scheme, a wrong type, a TURN server without username or credential, `"relay"`
 * without a TURN server), NULL `connection` or a handle of another type;
 * `PP_ERR_UNAVAILABLE` for a TURN URL with another transport (`turns:` over UDP, `transport=sctp`);
 * `PP_ERR_CANT_CREATE` when no socket could be bound.
 */
pp_error pp_webrtc_peer_connection_initialize(struct pp_webrtc_peer_connection *connection,
                                              const struct pp_variant *configuration);

/**
 * TLS options for `turns:` TURN servers (beyond the engine, which has no TURN of its own).
 *
 * - `tls_client_options`: client options (`pp_tls_options_client` with your trusted CA, or
 *   `_client_unsafe`, optionally pinned; copied, you may free yours), or NULL for
 *   `pp_tls_options_client(NULL, NULL)`: the system CA bundle, and the certificate must name the
 *   URL's host (also sent as SNI unless it is an IP address).
 *
 * Read when the allocations start (the first `pp_webrtc_peer_connection_create_offer` or
 * `_set_remote_description` after `_initialize`), so set it before those; it stays through
 * `_initialize`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for server options, options of another handle type,
 * NULL `connection` or a handle of another type; `PP_ERR_UNAVAILABLE` for a connection made by a
 * C extension.
 */
pp_error pp_webrtc_peer_connection_set_turn_tls_options(struct pp_webrtc_peer_connection *connection,
                                                        const struct pp_tls_options *tls_client_options);

/**
 * Makes a data channel (`create_data_channel(label, options)`), only while the connection is NEW.
 * Channels made before `create_offer` (offerer) or before `set_remote_description` (answerer) are
 * announced with the first description; in-band (DCEP) channels open when SCTP is up.
 *
 * - `label`: NUL-terminated UTF-8, at most 65535 bytes.
 * - `options`: NULL or a Dictionary: `"negotiated"`: bool and `"id"`: int 0..65534 (both or
 *   neither; the remote must make the same channel), `"maxRetransmits"` or `"maxPacketLifeTime"`
 *   (ms): int 0..65535 (not both), `"ordered"`: bool (default true), `"protocol"`: String.
 *   Unknown keys are ignored, as in the engine.
 * - `out_channel`: receives a new owned `pp_peer` (a WebRTCDataChannel); free it with
 *   `pp_peer_free`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for bad options (where the engine returns null), a
 * negotiated `id` already used, NULL arguments or a handle of another type; `PP_ERR_UNCONFIGURED`
 * before initialize; `PP_FAILED` unless the connection is NEW.
 */
pp_error pp_webrtc_peer_connection_create_data_channel(struct pp_webrtc_peer_connection *connection,
                                                       const char *label,
                                                       const struct pp_variant *options,
                                                       struct pp_peer **out_channel);

/**
 * Starts negotiation as the offerer (`create_offer()`): the offer arrives as a
 * `PP_WEBRTC_EVENT_SESSION_DESCRIPTION_CREATED` event from the next `pop_event`, followed by one
 * ICE_CANDIDATE_CREATED event per host candidate (they are also in the SDP), and later one per
 * server-reflexive candidate a STUN server gives (gathering turns COMPLETE when every STUN
 * request is answered or has timed out, at most ~5 s).
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` before initialize; `PP_FAILED` unless NEW and stable, or
 * when no data channel was made (beyond the engine: the stack offers only what it carries);
 * `PP_ERR_INVALID_PARAMETER` for NULL or another type.
 */
pp_error pp_webrtc_peer_connection_create_offer(struct pp_webrtc_peer_connection *connection);

/**
 * Applies the remote's description (`set_remote_description(type, sdp)`). An offer produces the
 * answer at once (an event, then the candidates).
 *
 * - `type`: "offer" or "answer". `sdp`: the description text.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for another type, NULL arguments or bad UTF-8;
 * `PP_FAILED` for SDP that does not parse or is refused, an offer while one is pending, an answer
 * without a local offer (`pp_webrtc_peer_connection_get_last_error` says which);
 * `PP_ERR_UNCONFIGURED` before initialize.
 */
pp_error pp_webrtc_peer_connection_set_remote_description(struct pp_webrtc_peer_connection *connection,
                                                          const char *type_,
                                                          const char *sdp);

/**
 * `set_local_description(type, sdp)`: the local description is applied when it is made, so this
 * only checks its arguments (as webrtc-native does). Call it with what the event gave, or not.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for a type other than "offer"/"answer", an empty
 * SDP, NULL arguments; `PP_ERR_UNCONFIGURED` before initialize.
 */
pp_error pp_webrtc_peer_connection_set_local_description(struct pp_webrtc_peer_connection *connection,
                                                         const char *type_,
                                                         const char *sdp);

/**
 * Adds a remote candidate (`add_ice_candidate(media, index, name)`).
 *
 * - `media`: the m-line's mid, `index`: its index (one m-line: not needed, any value).
 * - `name`: the `candidate:...` attribute (`a=` accepted; empty = end of candidates). mDNS
 *   (`.local`) and TCP candidates are ignored and counted (`candidates_ignored`).
 *
 * Returns `PP_OK`; `PP_FAILED` for text that does not parse; `PP_ERR_UNCONFIGURED` before
 * initialize; `PP_ERR_INVALID_PARAMETER` for NULL arguments.
 */
pp_error pp_webrtc_peer_connection_add_ice_candidate(struct pp_webrtc_peer_connection *connection,
                                                     const char *media,
                                                     int32_t index,
                                                     const char *name);

/**
 * Does the network work (`poll()`): reads the sockets, runs the ICE/DTLS/SCTP timers, sends what
 * the data channels queued, queues events and received messages. Call it often (every few ms
 * while connecting or sending).
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` before initialize or after close; `PP_FAILED` when the
 * stack failed (state FAILED); `PP_ERR_INVALID_PARAMETER` for NULL or another type.
 */
pp_error pp_webrtc_peer_connection_poll(struct pp_webrtc_peer_connection *connection);

/**
 * Closes the connection and every channel (`close()`): a DTLS close_notify is sent, state CLOSED,
 * no events. `pp_webrtc_peer_connection_initialize` makes it usable again. NULL is a no-op.
 */
void pp_webrtc_peer_connection_close(struct pp_webrtc_peer_connection *connection);

/**
 * `get_connection_state()`. CLOSED for NULL or another type.
 */
pp_webrtc_connection_state pp_webrtc_peer_connection_get_connection_state(struct pp_webrtc_peer_connection *connection);

/**
 * `get_gathering_state()`. NEW for NULL or another type.
 */
pp_webrtc_gathering_state pp_webrtc_peer_connection_get_gathering_state(struct pp_webrtc_peer_connection *connection);

/**
 * `get_signaling_state()`. CLOSED for NULL or another type.
 */
pp_webrtc_signaling_state pp_webrtc_peer_connection_get_signaling_state(struct pp_webrtc_peer_connection *connection);

/**
 * Takes the oldest signal (the engine's signals, as a queue of at most 1024; more are refused and
 * counted in `events_refused`).
 *
 * - `out_event`: receives the event; release its strings with `pp_webrtc_event_clear`.
 *
 * Returns `PP_OK`; `PP_ERR_UNAVAILABLE` when none is queued (`out_event` untouched);
 * `PP_ERR_INVALID_PARAMETER` for NULL or another type.
 */
pp_error pp_webrtc_peer_connection_pop_event(struct pp_webrtc_peer_connection *connection,
                                             struct pp_webrtc_event *out_event);

/**
 * Frees the strings of an event from `pp_webrtc_peer_connection_pop_event` and sets them to NULL
 * (the `channel`, if any, is not touched: free it with `pp_peer_free`). NULL is a no-op; clearing
 * twice is harmless.
 */
void pp_webrtc_event_clear(struct pp_webrtc_event *event);

/**
 * Why the last failing call on this connection failed, UTF-8 (beyond the engine); `""` when none
 * has. Text-out rule (see the header's conventions).
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small (nothing copied,
 * `*out_len` set); `PP_ERR_INVALID_PARAMETER` for NULL `connection`, another type or a bad buffer.
 */
pp_error pp_webrtc_peer_connection_get_last_error(struct pp_webrtc_peer_connection *connection,
                                                  char *out_text,
                                                  size_t out_text_size,
                                                  size_t *out_len);

/**
 * The connection's counters (beyond the engine).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument or another type.
 */
pp_error pp_webrtc_peer_connection_get_stats(struct pp_webrtc_peer_connection *connection,
                                             struct pp_webrtc_stats *out_stats);

/**
 * Makes a WebRTCPeerConnectionExtension: a `pp_webrtc_peer_connection` whose calls are your
 * callbacks (`pp_webrtc_multiplayer_peer_add_peer` takes it too). Signals are
 * yours to emit with `pp_webrtc_peer_connection_extension_emit_*`; `pop_event` drains them.
 *
 * - `callbacks`: copied; `size` at least `sizeof(pp_webrtc_peer_connection_extension_callbacks)`,
 *   every callback but `destroy` set.
 * - `out_connection`: receives the connection; free it with `pp_webrtc_peer_connection_free`
 *   (`destroy(userdata)` runs once when the object goes away; not at all if this call fails).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a
 * missing callback.
 */
pp_error pp_webrtc_peer_connection_extension_new(const struct pp_webrtc_peer_connection_extension_callbacks *callbacks,
                                                 struct pp_webrtc_peer_connection **out_connection);

/**
 * Queues `session_description_created(type, sdp)` on an extension connection (call it from your
 * callbacks or any time; `pp_webrtc_peer_connection_pop_event` delivers it).
 *
 * Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when 1024 events are queued (refused, counted);
 * `PP_ERR_INVALID_PARAMETER` for NULL arguments, bad UTF-8 or a connection that is not an
 * extension.
 */
pp_error pp_webrtc_peer_connection_extension_emit_session_description_created(struct pp_webrtc_peer_connection *connection,
                                                                              const char *type_,
                                                                              const char *sdp);

/**
 * Queues `ice_candidate_created(media, index, name)` on an extension connection.
 *
 * Returns as `pp_webrtc_peer_connection_extension_emit_session_description_created`.
 */
pp_error pp_webrtc_peer_connection_extension_emit_ice_candidate_created(struct pp_webrtc_peer_connection *connection,
                                                                        const char *media,
                                                                        int32_t index,
                                                                        const char *name);

/**
 * Queues `data_channel_received(channel)` on an extension connection. `channel` stays yours (the
 * event gives the caller of `pop_event` a new handle to the same object).
 *
 * Returns as `pp_webrtc_peer_connection_extension_emit_session_description_created`.
 */
pp_error pp_webrtc_peer_connection_extension_emit_data_channel_received(struct pp_webrtc_peer_connection *connection,
                                                                        struct pp_peer *channel);

/** @} */

/* ====================================================================================================
 * 26. WebRTCDataChannel: one data channel, a pp_peer
 * ==================================================================================================== */

/**
 * @defgroup pp_webrtc_data_channel WebRTCDataChannel: one data channel, a pp_peer
 *
 * A data channel is a pp_peer: pp_put_packet sends one message (binary, or text with
 * write mode TEXT), pp_get_packet pops one (was_string_packet tells its kind),
 * pp_put_var / pp_get_var work, pp_peer_free frees the handle. Messages move in the
 * connection's poll. put_packet: PP_FAILED unless OPEN (as webrtc-native), PP_ERR_BUSY
 * when the send buffer is full (128 KiB, or 512 messages of the size being written;
 * nothing is lost: poll, then retry). The receive queue
 * is bounded: when full the connection stops reading its sockets (the remote
 * retransmits); past twice the bound messages are refused and counted
 * (get_refused_count). Unset id / lifetime / retransmits read 65535 (Godot's docs).
 * WebRTCDataChannelExtension: pp_webrtc_data_channel_extension_new makes a channel
 * whose PacketPeer and data channel calls are your callbacks.
 *
 * @{
 */

/**
 * `WebRTCDataChannel.ChannelState`. `int32_t` in C.
 */
enum pp_webrtc_data_channel_state
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    PP_WEBRTC_DATA_CHANNEL_STATE_CONNECTING = 0,
    PP_WEBRTC_DATA_CHANNEL_STATE_OPEN = 1,
    PP_WEBRTC_DATA_CHANNEL_STATE_CLOSING = 2,
    PP_WEBRTC_DATA_CHANNEL_STATE_CLOSED = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_webrtc_data_channel_state pp_webrtc_data_channel_state;
#else
typedef int32_t pp_webrtc_data_channel_state;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * `WebRTCDataChannel.WriteMode`. `int32_t` in C.
 */
enum pp_webrtc_data_channel_write_mode
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Messages go out as text (PPID 51); sent as given, not checked for UTF-8.
     */
    PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_TEXT = 0,
    /**
     * Messages go out as binary (PPID 53); the default.
     */
    PP_WEBRTC_DATA_CHANNEL_WRITE_MODE_BINARY = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_webrtc_data_channel_write_mode pp_webrtc_data_channel_write_mode;
#else
typedef int32_t pp_webrtc_data_channel_write_mode;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The callbacks of a WebRTCDataChannelExtension: `size` first (`sizeof` as you compiled it), then
 * `userdata`, then every callback (all required except `destroy`), copied by
 * `pp_webrtc_data_channel_extension_new`. Integer results are the engine's values (states,
 * write modes as the `pp_webrtc_data_channel_*` constants).
 */
typedef struct pp_webrtc_data_channel_extension_callbacks {
    /**
     * `sizeof(pp_webrtc_data_channel_extension_callbacks)` as the caller compiled it.
     */
    size_t size;
    /**
     * Passed as the first argument of every callback.
     */
    void *userdata;
    /**
     * `_get_packet`: sets `*out_buf`, `*out_len` (valid until the next `get_packet` or `destroy`);
     * returns a pp_error.
     */
    int32_t (*get_packet)(void *userdata, const uint8_t **out_buf, int32_t *out_len);
    /**
     * `_put_packet` (the bytes are valid during the call only); returns a pp_error.
     */
    int32_t (*put_packet)(void *userdata, const uint8_t *buf, int32_t len);
    int32_t (*get_available_packet_count)(void *userdata);
    int32_t (*get_max_packet_size)(void *userdata);
    int32_t (*poll)(void *userdata);
    void (*close)(void *userdata);
    void (*set_write_mode)(void *userdata, int32_t mode);
    int32_t (*get_write_mode)(void *userdata);
    bool (*was_string_packet)(void *userdata);
    int32_t (*get_ready_state)(void *userdata);
    /**
     * NUL-terminated UTF-8 the library copies at once (NULL reads as "").
     */
    const char *(*get_label)(void *userdata);
    bool (*is_ordered)(void *userdata);
    int32_t (*get_id)(void *userdata);
    int32_t (*get_max_packet_life_time)(void *userdata);
    int32_t (*get_max_retransmits)(void *userdata);
    /**
     * As `get_label`.
     */
    const char *(*get_protocol)(void *userdata);
    bool (*is_negotiated)(void *userdata);
    int32_t (*get_buffered_amount)(void *userdata);
    /**
     * Called once when the channel is destroyed (may be NULL).
     */
    void (*destroy)(void *userdata);
} pp_webrtc_data_channel_extension_callbacks;

/**
 * Sets how `pp_put_packet` sends (`write_mode`), a `pp_webrtc_data_channel_write_mode`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for another value, NULL or another class.
 */
pp_error pp_webrtc_data_channel_set_write_mode(struct pp_peer *peer, int32_t mode);

/**
 * The write mode (a `pp_webrtc_data_channel_write_mode`); BINARY for NULL or another class.
 */
int32_t pp_webrtc_data_channel_get_write_mode(struct pp_peer *peer);

/**
 * Whether the message the last `pp_get_packet` / `pp_get_var` returned was text. False for NULL or
 * another class.
 */
bool pp_webrtc_data_channel_was_string_packet(struct pp_peer *peer);

/**
 * `get_ready_state()`. CLOSED for NULL or another class, and once the connection is closed or
 * re-initialized.
 */
pp_webrtc_data_channel_state pp_webrtc_data_channel_get_ready_state(struct pp_peer *peer);

/**
 * `get_label()`, UTF-8, by the text-out rule.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when the buffer is too small;
 * `PP_ERR_INVALID_PARAMETER` for NULL, another class or a bad buffer.
 */
pp_error pp_webrtc_data_channel_get_label(struct pp_peer *peer,
                                          char *out_text,
                                          size_t out_text_size,
                                          size_t *out_len);

/**
 * `get_protocol()`, UTF-8, by the text-out rule; returns as `pp_webrtc_data_channel_get_label`.
 */
pp_error pp_webrtc_data_channel_get_protocol(struct pp_peer *peer,
                                             char *out_text,
                                             size_t out_text_size,
                                             size_t *out_len);

/**
 * `is_ordered()`. False for NULL or another class.
 */
bool pp_webrtc_data_channel_is_ordered(struct pp_peer *peer);

/**
 * `is_negotiated()`. False for NULL or another class.
 */
bool pp_webrtc_data_channel_is_negotiated(struct pp_peer *peer);

/**
 * `get_id()`: the SCTP stream id; 65535 while unknown (an in-band channel before SCTP is up; the
 * engine's documented value, webrtc-native returns -1). 65535 for NULL or another class.
 */
int32_t pp_webrtc_data_channel_get_id(struct pp_peer *peer);

/**
 * `get_max_packet_life_time()` in ms; 65535 when unset (as documented; webrtc-native: -1).
 */
int32_t pp_webrtc_data_channel_get_max_packet_life_time(struct pp_peer *peer);

/**
 * `get_max_retransmits()`; 65535 when unset (as documented; webrtc-native: -1).
 */
int32_t pp_webrtc_data_channel_get_max_retransmits(struct pp_peer *peer);

/**
 * `get_buffered_amount()`: bytes accepted by `pp_put_packet` and not yet acknowledged. 0 for NULL
 * or another class.
 */
int32_t pp_webrtc_data_channel_get_buffered_amount(struct pp_peer *peer);

/**
 * Messages this channel refused because its receive queue was over its hard limit (twice 4096
 * messages or 32 MiB; beyond the engine, whose desktop queue is unbounded). 0 for NULL.
 */
uint64_t pp_webrtc_data_channel_get_refused_count(struct pp_peer *peer);

/**
 * `poll()`: reserved by the engine (the connection's poll does the work).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_webrtc_data_channel_poll(struct pp_peer *peer);

/**
 * Closes the channel (`close()`): the SCTP stream is reset, the remote sees it close; CLOSING,
 * then CLOSED when the remote confirms (in the connection's poll). Messages already received stay
 * readable. NULL is a no-op.
 */
void pp_webrtc_data_channel_close(struct pp_peer *peer);

/**
 * Makes a WebRTCDataChannelExtension: a `pp_peer` whose PacketPeer calls and
 * `pp_webrtc_data_channel_*` calls are your callbacks.
 *
 * - `callbacks`: copied; `size` at least `sizeof(pp_webrtc_data_channel_extension_callbacks)`,
 *   every callback but `destroy` set.
 * - `out_channel`: receives the channel; free it with `pp_peer_free` (`destroy(userdata)` runs once
 *   when the object goes away; not at all if this call fails).
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a
 * missing callback.
 */
pp_error pp_webrtc_data_channel_extension_new(const struct pp_webrtc_data_channel_extension_callbacks *callbacks,
                                              struct pp_peer **out_channel);

/** @} */

/* ====================================================================================================
 * 27. WebRTCMultiplayerPeer: multiplayer over WebRTC connections
 * ==================================================================================================== */

/**
 * @defgroup pp_webrtc_multiplayer_peer WebRTCMultiplayerPeer: multiplayer over WebRTC connections
 *
 * Godot's WebRTCMultiplayerPeer, a multiplayer pp_peer driven by the
 * pp_multiplayer_peer_* calls. create_server (ID 1), create_client (CONNECTING until
 * the server, added as peer 1, is connected) or create_mesh; then per remote: make and
 * initialize a pp_webrtc_peer_connection, add_peer it (pre-negotiated channels on SCTP
 * streams 1 reliable, 2 ordered, 3 unordered, 4 + i the extra channels_config ones:
 * both ends must list the same), and do its offer/answer and candidates yourself.
 * pp_multiplayer_peer_poll polls every connection and announces a remote when its
 * connection and all its channels are open. Payloads travel as they are. Every lane is
 * reliable by default, as in real Godot games (the engine misspells the lifetime key);
 * set_honor_unreliable_lifetime opts into the lifetime the engine meant.
 *
 * @{
 */

/**
 * Makes an inactive WebRTCMultiplayerPeer (`docs/classes.md` §23). Make it a server, client or
 * mesh member, add a WebRTCPeerConnection per remote (`pp_webrtc_multiplayer_peer_add_peer`), do
 * the signalling of each connection yourself, and drive it with the `pp_multiplayer_peer_*` calls
 * (its poll polls every connection).
 *
 * - `out_peer`: receives the peer; free it with `pp_peer_free`.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` if `out_peer` is NULL.
 */
pp_error pp_webrtc_multiplayer_peer_new(struct pp_peer **out_peer);

/**
 * `create_server(channels_config)`: ID 1, CONNECTED at once.
 *
 * - `channels_config`, `count`: one TransferMode (`PP_MULTIPLAYER_PEER_TRANSFER_MODE_*`, 0..2) per extra channel
 *   (SCTP streams 4, 5, ...); `(NULL, 0)` for none. Every remote must list the same.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for another value, a bad array, NULL or another class.
 */
pp_error pp_webrtc_multiplayer_peer_create_server(struct pp_peer *peer,
                                                  const int32_t *channels_config,
                                                  size_t count);

/**
 * `create_client(peer_id, channels_config)`: CONNECTING until the server (added as peer 1) is
 * connected, then CONNECTED with `peer_connected(1)`.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for `peer_id` 1 or < 1, a bad `channels_config`
 * (see `pp_webrtc_multiplayer_peer_create_server`), NULL or another class.
 */
pp_error pp_webrtc_multiplayer_peer_create_client(struct pp_peer *peer,
                                                  int32_t peer_id,
                                                  const int32_t *channels_config,
                                                  size_t count);

/**
 * `create_mesh(peer_id, channels_config)`: CONNECTED at once; every remote is added directly.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_PARAMETER` for `peer_id` < 1, a bad `channels_config`, NULL or
 * another class.
 */
pp_error pp_webrtc_multiplayer_peer_create_mesh(struct pp_peer *peer,
                                                int32_t peer_id,
                                                const int32_t *channels_config,
                                                size_t count);

/**
 * `add_peer(peer, peer_id, unreliable_lifetime)`: makes the pre-negotiated channels on
 * `connection` (SCTP streams 1 reliable, 2 ordered, 3 unordered, 4 + i the extra ones), which
 * must be initialized and NEW; create the offer (or take the remote's) afterwards. The multiplayer
 * peer keeps its own reference to the connection: you may free your handle. A
 * WebRTCPeerConnectionExtension works too: its `create_data_channel` callback makes the channels
 * (with the same options), its `poll` and state callbacks are called from the multiplayer peer's
 * poll, `close` when the peer leaves; a channel it returns that is neither a WebRTCDataChannel nor
 * a WebRTCDataChannelExtension reads OPEN.
 *
 * - `unreliable_lifetime`: ms, 0..65535 (the engine's default is 1). As in real games, it is not
 *   applied unless `pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime` is on (§23's quirk).
 *
 * Returns `PP_OK`; `PP_ERR_UNCONFIGURED` before create_*; `PP_ERR_INVALID_PARAMETER` for a client
 * adding an ID other than 1, a server adding 1, an ID < 1 or already added, a lifetime out of
 * range, a connection that is not NEW, NULL or another class; `PP_ERR_UNAUTHORIZED` while refusing
 * new connections; `PP_FAILED` when a channel cannot be made (a connection not initialized).
 */
pp_error pp_webrtc_multiplayer_peer_add_peer(struct pp_peer *peer,
                                             struct pp_webrtc_peer_connection *connection,
                                             int32_t peer_id,
                                             int32_t unreliable_lifetime);

/**
 * `remove_peer(peer_id)`: forgets the remote and closes its connection; `peer_disconnected` is
 * queued if it had been announced (a client removing the server turns DISCONNECTED). An unknown
 * ID does nothing.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_webrtc_multiplayer_peer_remove_peer(struct pp_peer *peer, int32_t peer_id);

/**
 * `has_peer(peer_id)`. False for NULL or another class.
 */
bool pp_webrtc_multiplayer_peer_has_peer(struct pp_peer *peer, int32_t peer_id);

/**
 * `get_peer(peer_id)`: the remote's connection and whether it is connected (its channels:
 * `pp_webrtc_multiplayer_peer_get_peer_channel`).
 *
 * - `out_connection`: NULL, or receives a new owned handle to the connection (free it with
 *   `pp_webrtc_peer_connection_free`).
 * - `out_connected`: NULL, or receives whether it is connected (every channel open, announced).
 *
 * Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID (nothing written);
 * `PP_ERR_INVALID_PARAMETER` for NULL `peer` or another class.
 */
pp_error pp_webrtc_multiplayer_peer_get_peer(struct pp_peer *peer,
                                             int32_t peer_id,
                                             struct pp_webrtc_peer_connection **out_connection,
                                             bool *out_connected);

/**
 * One channel of a remote, by index (0 reliable, 1 ordered, 2 unreliable, 3 + i the extra ones).
 *
 * - `out_channel`: receives a new owned `pp_peer` on that channel (its own write mode and last
 *   packet; reading from it takes packets the multiplayer peer would have returned; for an
 *   extension connection, another handle on the object its `create_data_channel` made). Free it
 *   with `pp_peer_free`.
 *
 * Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` for an unknown ID or index; `PP_ERR_INVALID_PARAMETER`
 * for NULL or another class.
 */
pp_error pp_webrtc_multiplayer_peer_get_peer_channel(struct pp_peer *peer,
                                                     int32_t peer_id,
                                                     int32_t index,
                                                     struct pp_peer **out_channel);

/**
 * `get_peers()`: the IDs of the remotes, ascending.
 *
 * - `out_ids`, `capacity`: buffer for up to `capacity` IDs; `(NULL, 0)` asks for the count.
 * - `out_count`: receives the number of remotes, whether or not they fit.
 *
 * Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `capacity` is too small (nothing copied,
 * `*out_count` set); `PP_ERR_INVALID_PARAMETER` for NULL `peer`/`out_count`, `(NULL, n > 0)` or
 * another class.
 */
pp_error pp_webrtc_multiplayer_peer_get_peers(struct pp_peer *peer,
                                              int32_t *out_ids,
                                              size_t capacity,
                                              size_t *out_count);

/**
 * Opt-in (beyond the engine): give the unreliable lanes the lifetime the engine means to set
 * (`unreliable_lifetime` on lanes 1 and 2, 1 ms on unreliable extra channels). Off by default:
 * real Godot games send every lane reliably (the engine misspells the key, §23). Applies to later
 * `add_peer` calls.
 *
 * Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL or another class.
 */
pp_error pp_webrtc_multiplayer_peer_set_honor_unreliable_lifetime(struct pp_peer *peer, bool enabled);

/**
 * Whether the unreliable lifetime is honoured. False for NULL or another class.
 */
bool pp_webrtc_multiplayer_peer_is_honoring_unreliable_lifetime(struct pp_peer *peer);

/** @} */

/* ====================================================================================================
 * 28. SceneMultiplayer framing helpers
 * ==================================================================================================== */

/**
 * @defgroup pp_scene_multiplayer SceneMultiplayer framing helpers
 *
 * The packets of Godot's SceneMultiplayer (the high-level multiplayer API a Godot game
 * runs on top of its MultiplayerPeer), to talk to such a game.
 * pp_scene_multiplayer_parse reads a received packet into a
 * pp_scene_multiplayer_message (command, SYS sub-command, peer, payload offset and
 * length); pp_scene_multiplayer_build_raw / _auth / _add_peer / _del_peer / _relay
 * write the packets SceneMultiplayer sends into your buffer (send them with
 * pp_put_packet). No handle, no state, no events: these calls are safe from any
 * thread.
 *
 * @{
 */

/**
 * SceneMultiplayer's command in the low 3 bits of a packet's first byte.
 */
enum pp_scene_multiplayer_command
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * RPC (body uses node-path caches and the Variant encoding; not parsed).
     */
    PP_SCENE_MULTIPLAYER_COMMAND_REMOTE_CALL = 0,
    PP_SCENE_MULTIPLAYER_COMMAND_SIMPLIFY_PATH = 1,
    PP_SCENE_MULTIPLAYER_COMMAND_CONFIRM_PATH = 2,
    /**
     * `send_bytes` / `peer_packet`: `[0x03][payload]`.
     */
    PP_SCENE_MULTIPLAYER_COMMAND_RAW = 3,
    PP_SCENE_MULTIPLAYER_COMMAND_SPAWN = 4,
    PP_SCENE_MULTIPLAYER_COMMAND_DESPAWN = 5,
    PP_SCENE_MULTIPLAYER_COMMAND_SYNC = 6,
    /**
     * System messages: see `pp_scene_multiplayer_sys_command`.
     */
    PP_SCENE_MULTIPLAYER_COMMAND_SYS = 7,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_scene_multiplayer_command pp_scene_multiplayer_command;
#else
typedef int32_t pp_scene_multiplayer_command;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The sub-command (byte 1) of a SYS packet.
 */
enum pp_scene_multiplayer_sys_command
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Not a SYS packet.
     */
    PP_SCENE_MULTIPLAYER_SYS_NONE = -1,
    /**
     * `[0x07][0x00][auth data]`; no data = "my side finished authentication".
     */
    PP_SCENE_MULTIPLAYER_SYS_AUTH = 0,
    /**
     * `[0x07][0x01][peer i32 LE]`: server → clients, a peer joined.
     */
    PP_SCENE_MULTIPLAYER_SYS_ADD_PEER = 1,
    /**
     * `[0x07][0x02][peer i32 LE]`: server → clients, a peer left.
     */
    PP_SCENE_MULTIPLAYER_SYS_DEL_PEER = 2,
    /**
     * `[0x07][0x03][peer i32 LE][inner packet]`: peer = target (client → server) or source (server →
     * client).
     */
    PP_SCENE_MULTIPLAYER_SYS_RELAY = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pp_scene_multiplayer_sys_command pp_scene_multiplayer_sys_command;
#else
typedef int32_t pp_scene_multiplayer_sys_command;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What `pp_scene_multiplayer_parse` found in a packet.
 */
typedef struct pp_scene_multiplayer_message {
    /**
     * The command (low 3 bits of byte 0).
     */
    pp_scene_multiplayer_command command;
    /**
     * The SYS sub-command; `PP_SCENE_MULTIPLAYER_SYS_NONE` unless `command` is SYS.
     */
    pp_scene_multiplayer_sys_command sys_command;
    /**
     * ADD_PEER/DEL_PEER: the peer; RELAY: target or source; otherwise 0.
     */
    int32_t peer_id;
    /**
     * Bits 4–7 of byte 0 (per-command flags), shifted down: 0..15.
     */
    uint8_t flags;
    /**
     * Where the payload starts in the parsed buffer: RAW the user bytes, AUTH the auth data, RELAY the
     * inner packet, ADD/DEL_PEER bytes after the 6-byte message (normally none), other commands
     * everything after byte 0.
     */
    size_t payload_offset;
    /**
     * Payload length (may be 0 for AUTH, ADD/DEL_PEER and unparsed commands; ≥ 1 for RAW and RELAY).
     */
    size_t payload_len;
} pp_scene_multiplayer_message;

/**
 * Parses a SceneMultiplayer packet (what a Godot game puts inside MultiplayerPeer packets). Reads
 * only `data[0..len)`.
 *
 * - `data`, `len`: the packet (as returned by `pp_get_packet`).
 * - `out_message`: receives the result; the payload is `data + payload_offset`, `payload_len` bytes.
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_DATA` for a malformed packet (empty, RAW without payload, SYS too
 * short, unknown SYS command, ADD/DEL_PEER with an ID < 1, RELAY with an empty inner packet or peer
 * `INT32_MIN`); `PP_ERR_INVALID_PARAMETER` for NULL `out_message`, `(NULL, len > 0)` or
 * `len > INT32_MAX`. Safe from any thread.
 */
pp_error pp_scene_multiplayer_parse(const uint8_t *data,
                                    size_t len,
                                    struct pp_scene_multiplayer_message *out_message);

/**
 * Builds a RAW packet `[0x03][payload]`: what `SceneMultiplayer.send_bytes` sends and what a Godot
 * game receives through its `peer_packet` signal. Send it with `pp_put_packet`.
 *
 * - `payload`, `payload_len`: the user bytes (at least 1).
 * - `out_buf`, `buf_cap`: where to write. `(NULL, 0)` asks for the size only: `*out_len` = bytes
 *   needed (`payload_len + 1`), nothing written. Must not overlap `payload`.
 * - `out_len`: receives the bytes written (or needed).
 *
 * Returns `PP_OK`; `PP_ERR_INVALID_DATA` for an empty payload (as `send_bytes`);
 * `PP_ERR_PARAMETER_RANGE_ERROR` when `buf_cap` is too small (nothing written);
 * `PP_ERR_INVALID_PARAMETER` for NULL `out_len`, `(NULL, n > 0)` buffers, overlapping buffers or sizes
 * above `INT32_MAX`. Safe from any thread.
 */
pp_error pp_scene_multiplayer_build_raw(const uint8_t *payload,
                                        size_t payload_len,
                                        uint8_t *out_buf,
                                        size_t buf_cap,
                                        size_t *out_len);

/**
 * Builds a SYS AUTH packet `[0x07][0x00][data]` (`SceneMultiplayer.send_auth`); with no data it is the
 * "my side finished authentication" message (`complete_auth`).
 *
 * - `data`, `data_len`: the authentication bytes; `(NULL, 0)` = the completion message.
 * - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = `data_len + 2`).
 *
 * Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`.
 * Safe from any thread.
 */
pp_error pp_scene_multiplayer_build_auth(const uint8_t *data,
                                         size_t data_len,
                                         uint8_t *out_buf,
                                         size_t buf_cap,
                                         size_t *out_len);

/**
 * Builds a SYS ADD_PEER packet `[0x07][0x01][peer_id i32 LE]` (6 bytes; server → clients, sent
 * reliable on channel 0 when a peer joins).
 *
 * - `peer_id`: the peer that joined, 1..2147483647.
 * - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = 6).
 *
 * Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`
 * (bad ID, NULL `out_len`, `(NULL, n > 0)` buffer). Safe from any thread.
 */
pp_error pp_scene_multiplayer_build_add_peer(int32_t peer_id,
                                             uint8_t *out_buf,
                                             size_t buf_cap,
                                             size_t *out_len);

/**
 * Builds a SYS DEL_PEER packet `[0x07][0x02][peer_id i32 LE]` (6 bytes; server → clients when a peer
 * leaves).
 *
 * - `peer_id`: the peer that left, 1..2147483647.
 * - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = 6).
 *
 * Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`.
 * Safe from any thread.
 */
pp_error pp_scene_multiplayer_build_del_peer(int32_t peer_id,
                                             uint8_t *out_buf,
                                             size_t buf_cap,
                                             size_t *out_len);

/**
 * Builds a SYS RELAY packet `[0x07][0x03][peer_id i32 LE][inner packet]`. A client sends it to the
 * server (ID 1) with `peer_id` = the target (0 all, N a peer, −N all but N); the server forwards it
 * with `peer_id` = the source, on the mode and channel it arrived on.
 *
 * - `peer_id`: target or source; `INT32_MIN` is refused.
 * - `packet`, `packet_len`: the inner SceneMultiplayer packet (at least 1 byte, e.g. a RAW packet).
 * - `out_buf`, `buf_cap`, `out_len`: as `pp_scene_multiplayer_build_raw` (needed = `packet_len + 6`).
 *
 * Returns `PP_OK`, `PP_ERR_PARAMETER_RANGE_ERROR` (buffer too small) or `PP_ERR_INVALID_PARAMETER`
 * (empty inner packet, `INT32_MIN`, NULL `out_len`, bad or overlapping buffers). Safe from any thread.
 */
pp_error pp_scene_multiplayer_build_relay(int32_t peer_id,
                                          const uint8_t *packet,
                                          size_t packet_len,
                                          uint8_t *out_buf,
                                          size_t buf_cap,
                                          size_t *out_len);

/** @} */

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* PACKETPEER_H */
