//! Generates the C header into OUT_DIR (never outside it) and sets the shared library's SONAME and
//! export list. `scripts/regen-header.sh` copies the generated header to include/packetpeer.h; a test
//! fails when the committed header drifts from the sources.
//!
//! The header is cbindgen's output rearranged by `build_support/header_layout.rs` into the groups of
//! [`GROUPS`] below (cbindgen cannot interleave items or write free-standing comments). cbindgen's own
//! output is kept beside it as OUT_DIR/packetpeer.cbindgen.h, so tests/header.rs can check that the
//! two declare exactly the same things.

#[path = "build_support/header_layout.rs"]
mod header_layout;

use header_layout::Group;
use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let crate_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=packetpeer.map");

    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let raw_header = out_dir.join("packetpeer.cbindgen.h");
    let header = out_dir.join("packetpeer.h");
    match cbindgen::Builder::new()
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(&raw_header);
        }
        Err(e) => panic!("cbindgen could not generate the header: {e}"),
    }
    let raw = fs::read_to_string(&raw_header).expect("read cbindgen's header back");
    // Panics (stopping the build) on a declaration GROUPS does not place, and checks that the result
    // declares exactly what cbindgen did, each type before its first use.
    let arranged = header_layout::arrange(GROUPS, &raw);
    // Rewrite only on change, so the header's mtime (which CMake's staleness check compares) moves
    // only when its text does.
    if fs::read_to_string(&header).ok().as_deref() != Some(arranged.as_str()) {
        fs::write(&header, &arranged).expect("write the header into OUT_DIR");
    }
    println!("cargo:rustc-env=PP_GENERATED_HEADER={}", header.display());
    println!(
        "cargo:rustc-env=PP_CBINDGEN_HEADER={}",
        raw_header.display()
    );

    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    // SONAME: libpacketpeer.so.MAJOR from 1.0 on, libpacketpeer.so.0.MINOR before.
    let soversion = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    match target_os.as_str() {
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpacketpeer.so.{soversion}");
            // Export only pp_* symbols.
            println!(
                "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
                crate_dir.join("packetpeer.map").display()
            );
        }
        "macos" | "ios" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libpacketpeer.{soversion}.dylib");
        }
        _ => {}
    }
    println!("cargo:rustc-env=PP_SOVERSION={soversion}");
}

/// The header's groups, in reading order: the core types, then one group per class in the order a
/// program meets them. Each declaration cbindgen emits is placed by its name (see [`Group::names`]:
/// an exact name beats a prefix, a longer prefix beats a shorter one); every opaque handle typedef
/// goes to the core types whatever its name, so every group can name every handle; a type used by
/// an earlier group than its own moves up to that group, so it is declared before its first use.
/// A declaration no entry places stops the build with its name.
///
/// Adding a class (say TLS) is one entry here: `Group { id, title, names: &["pp_stream_peer_tls_*",
/// …], overview }`, placed where a reader meets the class. Its constructor, calls, enums, structs and
/// constants then land in it by prefix; its opaque handle lands in the core types by itself. A new
/// call of an existing class needs no change when it follows that class's prefix.
///
/// The overviews are part of the manual: keep them true to the `///` docs of the exports (what the
/// class is, its lifecycle and ownership, the events it queues, re-entrancy or thread notes).
const GROUPS: &[Group] = &[
    Group {
        id: "pp_core",
        title: "Core types: errors, versions, strings, handles",
        names: &[
            "pp_error",
            "pp_error_name",
            "pp_version_*",
            "pp_string_free",
            "pp_test_panic",
            "pp_ip_string_size",
        ],
        overview: &[
            "What every group uses. pp_error is Godot's Error (every fallible call returns one,",
            "PP_OK is 0; pp_error_name gives its name for messages). The version macros describe",
            "the header you compile against: check pp_version_number() == PP_VERSION_NUMBER at",
            "start-up. pp_string_free frees every owned string the library gives you;",
            "PP_IP_STRING_SIZE bounds every address text.",
            "",
            "The opaque handle types of every class are declared here. pp_peer is any PacketPeer",
            "class (free it with pp_peer_free) and pp_stream_peer any StreamPeer class",
            "(pp_stream_peer_free); pp_variant, pp_codec, pp_enet_connection, pp_udp_server and",
            "pp_tcp_server have their own _free. The group of each class says which call makes",
            "its handles and who owns the handles it lends.",
            "",
            "pp_version_string, pp_version_number and pp_error_name are safe from any thread;",
            "there is no global init. pp_test_panic exists only in test builds (PP_TEST_PANIC).",
        ],
    },
    Group {
        id: "pp_variant",
        title: "Variant and the binary codec",
        names: &[
            "pp_variant_*",
            "pp_codec_*",
            "pp_object_kind",
            "pp_container_kind",
            "pp_dialect",
            "pp_bytes_*",
            "pp_var_to_bytes",
        ],
        overview: &[
            "Godot's Variant: a pp_variant holds one value of any of the 39 Variant types. Make",
            "it with a pp_variant_new_* call, read it with pp_variant_get_type and the",
            "pp_variant_get_* calls, free it with pp_variant_free. Every pp_variant * a call",
            "gives you is yours, and copies are deep: container getters return an owned copy and",
            "append / set copy their input. Borrowed views (string bytes, packed-array data) live",
            "until that variant is modified or freed.",
            "",
            "Bytes: pp_var_to_bytes / pp_bytes_to_var are Godot's var_to_bytes / bytes_to_var",
            "with the engine's defaults (free their buffers with pp_bytes_free). A pp_codec",
            "(pp_codec_new ... pp_codec_free) encodes and decodes with chosen settings (dialect,",
            "real_t width, object policy, limits) and keeps the last error with its byte offset.",
            "",
            "Errors: wrong variant type, NULL, unknown enum values or invalid UTF-8 give",
            "PP_ERR_INVALID_PARAMETER; an index past the end PP_ERR_PARAMETER_RANGE_ERROR; a",
            "missing dictionary key or object property PP_ERR_DOES_NOT_EXIST.",
        ],
    },
    Group {
        id: "pp_packet_peer",
        title: "PacketPeer: the calls every packet peer answers",
        // The base class's calls are the unprefixed pp_put_* / pp_get_* / pp_set_* ones.
        names: &["pp_put_*", "pp_get_*", "pp_set_*", "pp_peer_free"],
        overview: &[
            "Godot's PacketPeer. A pp_peer is a peer of any packet class (PacketPeerStream,",
            "PacketPeerUDP, PacketPeerExtension, ENetPacketPeer, every MultiplayerPeer) and these",
            "calls work on all of them: pp_put_packet / pp_get_packet move one packet, pp_put_var",
            "/ pp_get_var one Variant in Godot's binary format, pp_get_available_packet_count",
            "tells how many are ready (transports that poll do it there). The bytes pp_get_packet",
            "lends live until the next pp_get_packet, pp_get_var or free on that peer.",
            "",
            "Lifecycle: each class has its constructor in its own group; every peer is freed with",
            "pp_peer_free, except lent peers (the ENet peers of a connection or of an",
            "ENetMultiplayerPeer), which their owner frees; pp_peer_free ignores them.",
        ],
    },
    Group {
        id: "pp_stream_peer",
        title: "StreamPeer: the calls every byte stream answers",
        names: &["pp_stream_peer_*"],
        overview: &[
            "Godot's StreamPeer. A pp_stream_peer is a stream of any class (StreamPeerBuffer, the",
            "in-memory pipe, StreamPeerTCP, StreamPeerExtension) and these calls work on all of",
            "them. put_data / get_data move all the bytes or fail (Godot's blocking calls);",
            "put_partial_data / get_partial_data move what is possible now. The typed helpers",
            "(pp_stream_peer_put_u16, _get_double, _put_utf8_string, _put_var, ...) use the",
            "stream's byte order, little-endian unless pp_stream_peer_set_big_endian. Strings",
            "from pp_stream_peer_get_string / _get_utf8_string are yours: free them with",
            "pp_string_free.",
            "",
            "Lifecycle: made by its class's constructor, freed with pp_stream_peer_free. The",
            "object lives on while another handle or a PacketPeerStream still uses it.",
        ],
    },
    Group {
        id: "pp_stream_peer_buffer",
        title: "StreamPeerBuffer and the in-memory pipe",
        names: &["pp_stream_peer_buffer_*", "pp_stream_peer_pipe_*"],
        overview: &[
            "Godot's StreamPeerBuffer: an in-memory byte array with a cursor; writes grow it,",
            "reads advance the cursor. Make it with pp_stream_peer_buffer_new, use the StreamPeer",
            "calls and seek / resize / clear / data_array here, free it with pp_stream_peer_free.",
            "",
            "The pipe is not a Godot class: pp_stream_peer_pipe_new makes two connected streams,",
            "like socketpair (bytes written on one end are read on the other; 1 MiB per direction",
            "unless made with pp_stream_peer_pipe_new_with_capacity), e.g. to run a",
            "PacketPeerStream without a socket. Free each end with pp_stream_peer_free. When an",
            "end is closed (pp_stream_peer_pipe_close, or its last user lets go) the other end",
            "reads what was already sent, then PP_ERR_FILE_EOF.",
        ],
    },
    Group {
        id: "pp_packet_peer_stream",
        title: "PacketPeerStream: packets over a StreamPeer",
        names: &["pp_packet_peer_stream_*"],
        overview: &[
            "Godot's PacketPeerStream: packets over any StreamPeer, each framed as a u32",
            "little-endian length + payload. Make it with pp_packet_peer_stream_new, give it a",
            "stream with pp_packet_peer_stream_set_stream_peer (a StreamPeerTCP, a pipe end, an",
            "extension stream), then use the PacketPeer calls; free it with pp_peer_free.",
            "",
            "It keeps its own reference to the stream: your stream handle stays yours to use and",
            "to free. Payloads are limited to 65532 bytes each way by default (the",
            "_buffer_max_size calls). A frame announced larger than the input limit leaves the",
            "input dead until another stream is set (pp_packet_peer_stream_is_input_broken).",
        ],
    },
    Group {
        id: "pp_extension",
        title: "PacketPeerExtension and StreamPeerExtension: classes made of C callbacks",
        names: &["pp_packet_peer_extension_*", "pp_stream_peer_extension_*"],
        overview: &[
            "Godot's PacketPeerExtension / StreamPeerExtension: a peer or stream whose primitives",
            "are your callbacks. Fill a pp_packet_peer_extension_callbacks or",
            "pp_stream_peer_extension_callbacks (size first, see CALLBACK TABLES at the top),",
            "pass it to pp_packet_peer_extension_new or pp_stream_peer_extension_new (the table",
            "is copied), then use the result with every PacketPeer or StreamPeer call. Free it",
            "with pp_peer_free / pp_stream_peer_free; destroy(userdata) runs once, when the",
            "object goes away (never if the constructor failed).",
            "",
            "Callbacks run on the thread that called into the object, one at a time, so userdata",
            "must be usable from any thread, one at a time. A callback may call anything; a call",
            "that reaches the object busy running it (its own peer or stream, a PacketPeerStream",
            "reading that stream) returns PP_ERR_LOCKED and changes nothing.",
        ],
    },
    Group {
        id: "pp_packet_peer_udp",
        title: "PacketPeerUDP: UDP datagrams",
        names: &[
            "pp_packet_peer_udp_*",
            "pp_udp_packet_*",
            "pp_packet_data",
            "pp_net_stats",
            "pp_ip_address_to_string",
        ],
        overview: &[
            "Godot's PacketPeerUDP, a pp_peer. Make it with pp_packet_peer_udp_new; bind it to",
            "receive on a known port, connect_to_host or set_dest_address to choose where sends",
            "go; then use the PacketPeer calls; free it with pp_peer_free. Nothing runs in the",
            "background: the socket is read by pp_get_available_packet_count (and by",
            "pp_get_packet / pp_get_var when the queue is empty);",
            "pp_packet_peer_udp_get_packet_ip / _port tell who sent the last packet.",
            "",
            "Beyond the engine: batch calls (pp_packet_peer_udp_put_packets / _get_packets,",
            "sendmmsg / recvmmsg on Linux), traffic counters in pp_net_stats (shared with",
            "UDPServer and StreamPeerTCP), and pp_packet_peer_udp_wait_timeout. Sends wait on a",
            "full socket unless pp_packet_peer_udp_set_blocking_mode turns that off; receiving",
            "never blocks.",
        ],
    },
    Group {
        id: "pp_udp_server",
        title: "UDPServer: accepting UDP peers",
        names: &["pp_udp_server_*"],
        overview: &[
            "Godot's UDPServer, a pp_udp_server. Make it with pp_udp_server_new,",
            "pp_udp_server_listen, then call pp_udp_server_poll regularly: it reads every pending",
            "datagram; a known sender's goes to its peer, an unknown sender becomes a pending",
            "connection (up to max_pending_connections, default 16; more are dropped and",
            "counted). pp_udp_server_take_connection takes the oldest: an owned PacketPeerUDP",
            "connected to that sender through the server's socket (free it with pp_peer_free; it",
            "may outlive the server). Taken peers receive only through pp_udp_server_poll.",
            "",
            "pp_udp_server_stop (and pp_udp_server_free) close the socket: taken peers become",
            "closed, unbound peers that stay valid; pending ones are dropped. Remote ends are not",
            "told.",
        ],
    },
    Group {
        id: "pp_stream_peer_tcp",
        title: "StreamPeerTCP: a TCP connection",
        names: &["pp_stream_peer_tcp_*", "pp_poll_type"],
        overview: &[
            "Godot's StreamPeerTCP, a pp_stream_peer. Make it with pp_stream_peer_tcp_new (or",
            "take one from a TCPServer), optionally bind, then pp_stream_peer_tcp_connect_to_host",
            "(non-blocking) and pp_stream_peer_tcp_poll until pp_stream_peer_tcp_get_status is",
            "CONNECTED or ERROR. Then read and write with the StreamPeer calls, or hand it to a",
            "PacketPeerStream; free it with pp_stream_peer_free. The status changes only in calls",
            "on this stream (poll, reads, writes); a remote that closed shows as NONE after poll.",
            "",
            "Beyond the engine: non-blocking writes (pp_stream_peer_tcp_set_blocking_writes),",
            "write coalescing with pp_stream_peer_tcp_flush, a settable connect timeout (30 s by",
            "default), traffic counters (pp_net_stats) and pp_stream_peer_tcp_wait.",
        ],
    },
    Group {
        id: "pp_tcp_server",
        title: "TCPServer: accepting TCP connections",
        names: &["pp_tcp_server_*"],
        overview: &[
            "Godot's TCPServer, a pp_tcp_server. Make it with pp_tcp_server_new,",
            "pp_tcp_server_listen (non-blocking socket, SO_REUSEADDR), then poll",
            "pp_tcp_server_is_connection_available and pp_tcp_server_take_connection: each gives",
            "an owned StreamPeerTCP, already CONNECTED (free it with pp_stream_peer_free; it may",
            "outlive the server). pp_tcp_server_stop closes the listening socket, taken",
            "connections stay; pp_tcp_server_free stops it and frees the handle.",
        ],
    },
    Group {
        id: "pp_crypto",
        title: "CryptoKey, X509Certificate, Crypto helpers and TLSOptions",
        names: &[
            "pp_crypto_*",
            "pp_x509_certificate_*",
            "pp_tls_options_*",
            "pp_tls_get_last_error_text",
            "pp_tls_set_certificate_bundle_override",
            "pp_tls_set_certificate_bundle_override_path",
            "pp_sha256_size",
        ],
        overview: &[
            "What TLS and DTLS stand on, on the system OpenSSL. pp_crypto_key and",
            "pp_x509_certificate load PEM/DER (a PEM file may hold a chain) and save PEM;",
            "pp_crypto_generate_rsa and _generate_self_signed_certificate make a key pair and a",
            "certificate without the openssl command. pp_tls_options says how to secure a",
            "connection: client (verify against the system CAs or your chain, check the name),",
            "client_unsafe (no verification), server (key + certificate); opt in to SHA-256",
            "pinning of the peer's certificate. Keys, certificates and options are immutable once",
            "made, usable from any thread and freed in any order; objects using them keep a",
            "reference. Why a load or constructor failed: pp_tls_get_last_error_text (per thread).",
        ],
    },
    Group {
        id: "pp_stream_peer_tls",
        title: "StreamPeerTLS: TLS over any StreamPeer",
        names: &["pp_stream_peer_tls_*", "pp_tls_status", "pp_tls_stats"],
        overview: &[
            "Godot's StreamPeerTLS, a pp_stream_peer. Make it with pp_stream_peer_tls_new, then",
            "connect_to_stream (client) or accept_stream (server) over any connected StreamPeer",
            "(TCP, a pipe, an extension) with a pp_tls_options, and pp_stream_peer_tls_poll until",
            "the status is CONNECTED or one of the errors. Then read and write it with the",
            "StreamPeer calls (or give it to a PacketPeerStream); free it with pp_stream_peer_free.",
            "Nothing runs in the background: the handshake advances in poll, reads and writes.",
            "ERROR_HOSTNAME_MISMATCH only for a real name mismatch; why a handshake failed:",
            "pp_stream_peer_tls_get_last_error_text. TLS 1.2 and 1.3.",
        ],
    },
    Group {
        id: "pp_packet_peer_dtls",
        title: "PacketPeerDTLS: DTLS over a connected PacketPeerUDP",
        names: &["pp_packet_peer_dtls_*", "pp_dtls_stats"],
        overview: &[
            "Godot's PacketPeerDTLS, a pp_peer. Make it with pp_packet_peer_dtls_new, then",
            "connect_to_peer over a connected PacketPeerUDP with client pp_tls_options, and",
            "pp_packet_peer_dtls_poll until CONNECTED; server-side peers come from a DTLSServer.",
            "Then send and receive with the PacketPeer calls: one pp_put_packet is one record in",
            "one datagram. Differences from the engine: get_packet with nothing ready is",
            "PP_ERR_UNAVAILABLE, a datagram the socket would not take is PP_ERR_BUSY and counted",
            "(pp_dtls_stats), handshakes time out. Why it failed:",
            "pp_packet_peer_dtls_get_last_error_text. Free it with pp_peer_free.",
        ],
    },
    Group {
        id: "pp_dtls_server",
        title: "DTLSServer: accepting DTLS peers",
        names: &["pp_dtls_server_*"],
        overview: &[
            "Godot's DTLSServer, a pp_dtls_server. pp_dtls_server_setup with server",
            "pp_tls_options, then pp_dtls_server_take_connection for each PacketPeerUDP a",
            "UDPServer accepted: it gives a PacketPeerDTLS in HANDSHAKING (the first, before the",
            "cookie is verified, ends in ERROR as in the engine; no state is kept for a source",
            "before its cookie checks out). Handshakes under way are bounded",
            "(pp_dtls_server_set_max_handshakes) and refusals counted (pp_dtls_server_stats).",
        ],
    },
    Group {
        id: "pp_websocket_peer",
        title: "WebSocketPeer: a WebSocket connection",
        names: &["pp_websocket_peer_*", "pp_websocket_write_mode", "pp_websocket_stats"],
        overview: &[
            "Godot's WebSocketPeer, a pp_peer. Client: pp_websocket_peer_new, set the options",
            "(sub-protocols, handshake headers, buffer sizes, heartbeat), connect_to_url (ws://",
            "or wss:// with client pp_tls_options, NULL = system CAs), then",
            "pp_websocket_peer_poll until get_ready_state is OPEN. Server: accept_stream over a",
            "StreamPeerTCP taken from a TCPServer, or for wss over a StreamPeerTLS started with",
            "pp_stream_peer_tls_accept_stream. Why a connection failed (TLS reason included):",
            "get_last_error_text, get_tls_status. Messages: pp_put_packet sends binary (or",
            "pp_websocket_peer_send / _send_text), pp_get_packet pops one of either kind",
            "(was_string_packet tells), put_var/get_var work. close(code, reason) starts the",
            "closing handshake; poll until CLOSED, then get_close_code/_reason. No silent loss:",
            "a full inbound queue throttles the socket, every refused send returns its code and",
            "is counted (pp_websocket_stats), messages queued before CLOSING stay readable.",
        ],
    },
    Group {
        id: "pp_enet_connection",
        title: "ENetConnection: an ENet host",
        names: &[
            "pp_enet_connection_*",
            "pp_enet_event",
            "pp_enet_event_type",
            "pp_enet_packet_flag",
            "pp_enet_compression_mode",
            "pp_enet_host_statistic",
            "pp_enet_dtls_stats",
        ],
        overview: &[
            "Godot's ENetConnection (an ENet host), a pp_enet_connection. Make it with",
            "pp_enet_connection_new, then create_host or create_host_bound, then connect_to_host",
            "for each outgoing peer; free it with pp_enet_connection_free.",
            "",
            "Events: pp_enet_connection_service runs one service step and returns at most one",
            "event, as in Godot; pp_enet_connection_check_events returns events already received,",
            "without I/O. Call them until the event type is PP_ENET_EVENT_TYPE_NONE. A RECEIVE",
            "event's packet is queued on the event's peer: read it with pp_get_packet.",
            "",
            "Peers (from events, get_peers and connect_to_host) are pp_peer handles lent by the",
            "connection (ENetPacketPeer, next group): valid, possibly inactive, until",
            "pp_enet_connection_free frees them with it; pp_peer_free ignores them. Use a",
            "connection and its peers from one thread at a time.",
        ],
    },
    Group {
        id: "pp_enet_packet_peer",
        title: "ENetPacketPeer: one remote of an ENet host",
        names: &["pp_enet_packet_peer_*", "pp_enet_peer_*", "pp_enet_connect_failure"],
        overview: &[
            "Godot's ENetPacketPeer: one remote of an ENetConnection or of an",
            "ENetMultiplayerPeer, as a pp_peer lent by its owner (you never make or free one).",
            "The PacketPeer calls work on it (pp_get_packet reads what RECEIVE events queued);",
            "pp_enet_packet_peer_send chooses the channel and the PP_ENET_PACKET_PEER_FLAG_*",
            "flags. Disconnect gracefully (peer_disconnect: DISCONNECT events on both sides),",
            "after the queue drains (_disconnect_later), or at once (_disconnect_now, reset).",
            "Timeouts, pings, throttling and statistics are per peer.",
            "",
            "A peer that is gone stays a valid, inactive handle until its owner is freed: its",
            "calls then return PP_ERR_UNCONFIGURED, its getters 0 or",
            "PP_ENET_PEER_STATE_DISCONNECTED.",
        ],
    },
    Group {
        id: "pp_conditioner",
        title: "Network conditioner: loss, delay, jitter, duplication, reordering, bandwidth",
        names: &[
            "pp_conditioner_*",
            "pp_packet_peer_udp_set_conditioner",
            "pp_packet_peer_udp_get_conditioner_stats",
            "pp_enet_connection_set_conditioner",
            "pp_enet_connection_get_conditioner_stats",
            "pp_packet_peer_dtls_set_conditioner",
            "pp_packet_peer_dtls_get_conditioner_stats",
            "pp_dtls_server_set_conditioner",
            "pp_webrtc_peer_connection_set_conditioner",
            "pp_webrtc_peer_connection_get_conditioner_stats",
        ],
        overview: &[
            "A seeded, deterministic network conditioner between a socket and the network, for",
            "testing how a game behaves at, say, 150 ms and 5% loss. Fill a",
            "pp_conditioner_options with pp_conditioner_options_init, set the outgoing and",
            "incoming pp_conditioner_direction (loss, duplicate and reorder probabilities, delay",
            "and jitter in ms, bandwidth in bytes/s) and a seed, then set it on a PacketPeerUDP",
            "(pp_packet_peer_udp_set_conditioner) or on an ENetConnection's socket",
            "(pp_enet_connection_set_conditioner), on a DTLS session",
            "(pp_packet_peer_dtls_set_conditioner, pp_dtls_server_set_conditioner for the peers",
            "a DTLSServer hands out) or on a WebRTCPeerConnection's UDP sockets",
            "(pp_webrtc_peer_connection_set_conditioner); NULL options remove it. One seed gives the",
            "n-th datagram each way the same fate in every run.",
            "",
            "No thread and no timer: held datagrams leave or arrive during the socket's own calls",
            "(get/put packet, service), so keep calling them. The queue is bounded (max_queued per",
            "direction); everything dropped is counted in pp_conditioner_stats. Off by default,",
            "and then free.",
        ],
    },
    Group {
        id: "pp_multiplayer_peer",
        title: "MultiplayerPeer: the calls every multiplayer peer answers, and its events",
        names: &[
            "pp_multiplayer_peer_*",
            "pp_multiplayer_event",
            "pp_multiplayer_event_type",
        ],
        overview: &[
            "Godot's MultiplayerPeer: the calls every multiplayer pp_peer answers",
            "(ENetMultiplayerPeer, OfflineMultiplayerPeer, MultiplayerPeerExtension); a peer of",
            "another class gets PP_ERR_INVALID_PARAMETER. A multiplayer peer is also a",
            "PacketPeer: set the target peer, transfer mode and channel, then pp_put_packet;",
            "before pp_get_packet, pp_multiplayer_peer_get_packet_peer / _channel / _mode",
            "describe the next packet. Free it with pp_peer_free.",
            "",
            "Events: call pp_multiplayer_peer_poll regularly. It queues Godot's peer_connected /",
            "peer_disconnected signals as pp_multiplayer_event values; drain them with",
            "pp_multiplayer_peer_pop_event until it returns PP_ERR_UNAVAILABLE. The queue holds",
            "1024 events unless the class says otherwise; when it is full nothing queued is lost",
            "and one PP_MULTIPLAYER_EVENT_OVERFLOW event counts what was dropped.",
            "pp_multiplayer_peer_close drops the remotes without events.",
        ],
    },
    Group {
        id: "pp_offline_multiplayer_peer",
        title: "OfflineMultiplayerPeer: the peer of a game that is not networked",
        names: &["pp_offline_multiplayer_peer_*"],
        overview: &[
            "Godot's OfflineMultiplayerPeer, a multiplayer pp_peer. Make it with",
            "pp_offline_multiplayer_peer_new, free it with pp_peer_free. It is always a connected",
            "server (ID 1) with no remotes: it queues no events, pp_put_packet discards,",
            "pp_get_packet returns an empty packet (as the engine does) and",
            "pp_multiplayer_peer_close is a no-op.",
        ],
    },
    Group {
        id: "pp_multiplayer_peer_extension",
        title: "MultiplayerPeerExtension: a multiplayer peer made of C callbacks",
        names: &["pp_multiplayer_peer_extension_*"],
        overview: &[
            "Godot's MultiplayerPeerExtension: a multiplayer peer whose methods are your",
            "callbacks. Fill a pp_multiplayer_peer_extension_callbacks (size first; required",
            "callbacks set), pass it to pp_multiplayer_peer_extension_new (the table is copied),",
            "then use the peer with the PacketPeer and MultiplayerPeer calls; free it with",
            "pp_peer_free (destroy(userdata) runs once, when the object goes away).",
            "",
            "Events: raise Godot's signals with pp_multiplayer_peer_extension_emit_peer_connected",
            "/ _emit_peer_disconnected, typically from your poll callback; they queue the events",
            "pp_multiplayer_peer_pop_event drains. The emit calls work inside callbacks; any",
            "other call that reaches the peer whose callback is running returns PP_ERR_LOCKED.",
            "Callbacks run on the thread that called into the peer, one at a time.",
        ],
    },
    Group {
        id: "pp_enet_multiplayer_peer",
        title: "ENetMultiplayerPeer: multiplayer over ENet",
        names: &["pp_enet_multiplayer_peer_*"],
        overview: &[
            "Godot's ENetMultiplayerPeer, a multiplayer pp_peer. Make it with",
            "pp_enet_multiplayer_peer_new, optionally set_bind_ip, then create_server (ID 1),",
            "create_client (a random ID; CONNECTING until poll sees the server) or create_mesh",
            "(then add_mesh_peer for each remote, through an ENetConnection you connected). Then",
            "use the MultiplayerPeer calls: pp_multiplayer_peer_poll services the host and queues",
            "peer_connected / peer_disconnected events. Free it with pp_peer_free, which also",
            "closes it (connected remotes get an ENet DISCONNECT).",
            "",
            "pp_enet_multiplayer_peer_get_peer lends the ENetPacketPeer of a remote (valid until",
            "this peer is freed). pp_enet_multiplayer_peer_get_host gives a new, owned",
            "pp_enet_connection sharing the host: free it with pp_enet_connection_free, and do",
            "not service it (that takes this peer's events).",
        ],
    },
    Group {
        id: "pp_websocket_multiplayer_peer",
        title: "WebSocketMultiplayerPeer: multiplayer over WebSocket",
        names: &["pp_websocket_multiplayer_peer_*"],
        overview: &[
            "Godot 4's WebSocketMultiplayerPeer, a pp_peer driven by the pp_multiplayer_peer_*",
            "calls. create_server(port, bind, tls_server_options) makes this peer the server (ID",
            "1): clients are accepted in poll, get a random ID sent as their first message, and",
            "must finish the handshake within the handshake timeout. create_client(url,",
            "tls_client_options) connects; it becomes CONNECTED (with peer_connected(1)) when the",
            "server's ID arrives. With TLS options (NULL: ws, or the default client options for a",
            "wss:// URL) the connections are wss. Packets are raw WebSocket messages, no header;",
            "targets follow the MultiplayerPeer rules. The per-connection properties",
            "(supported_protocols, handshake_headers, buffer sizes, max_queued_packets) have",
            "set/get calls; get_peer lends the WebSocketPeer of a connected peer. Opt-in: Godot",
            "3's framing (set_godot3_compat). Free it with pp_peer_free.",
        ],
    },
    Group {
        id: "pp_webrtc_peer_connection",
        title: "WebRTCPeerConnection: a WebRTC connection carrying data channels",
        names: &[
            "pp_webrtc_peer_connection",
            "pp_webrtc_peer_connection_*",
            "pp_webrtc_connection_state",
            "pp_webrtc_gathering_state",
            "pp_webrtc_signaling_state",
            "pp_webrtc_event_type",
            "pp_webrtc_event",
            "pp_webrtc_event_clear",
            "pp_webrtc_stats",
        ],
        overview: &[
            "Godot's WebRTCPeerConnection with WebRTC built in (str0m over the library's own UDP",
            "sockets, OpenSSL for DTLS): no plugin, no threads, everything happens in",
            "pp_webrtc_peer_connection_poll. Make it, initialize it (NULL or a configuration",
            "Dictionary), create data channels while it is NEW, then either create_offer or",
            "set_remote_description(\"offer\", ...). Signalling is yours: drain pop_event and",
            "send SESSION_DESCRIPTION_CREATED and ICE_CANDIDATE_CREATED to the remote, whose",
            "set_remote_description / add_ice_candidate take them. Poll until CONNECTED.",
            "Differences from the engine: host, STUN (server-reflexive) and TURN-over-UDP",
            "(relayed) candidates, turns: refused; iceTransportPolicy \"relay\" beyond the",
            "engine; create_offer needs a data channel; failures say why",
            "(get_last_error); every queue is bounded and counts what it refuses (get_stats).",
            "",
            "WebRTCPeerConnectionExtension: pp_webrtc_peer_connection_extension_new makes a",
            "connection whose calls are your callbacks; emit its signals with the",
            "pp_webrtc_peer_connection_extension_emit_* calls (also from inside a callback),",
            "pop_event drains them. WebRTCMultiplayerPeer.add_peer takes extensions too.",
        ],
    },
    Group {
        id: "pp_webrtc_data_channel",
        title: "WebRTCDataChannel: one data channel, a pp_peer",
        names: &["pp_webrtc_data_channel_*"],
        overview: &[
            "A data channel is a pp_peer: pp_put_packet sends one message (binary, or text with",
            "write mode TEXT), pp_get_packet pops one (was_string_packet tells its kind),",
            "pp_put_var / pp_get_var work, pp_peer_free frees the handle. Messages move in the",
            "connection's poll. put_packet: PP_FAILED unless OPEN (as webrtc-native), PP_ERR_BUSY",
            "when the send buffer is full (128 KiB, or 512 messages of the size being written;",
            "nothing is lost: poll, then retry). The receive queue",
            "is bounded: when full the connection stops reading its sockets (the remote",
            "retransmits); past twice the bound messages are refused and counted",
            "(get_refused_count). Unset id / lifetime / retransmits read 65535 (Godot's docs).",
            "WebRTCDataChannelExtension: pp_webrtc_data_channel_extension_new makes a channel",
            "whose PacketPeer and data channel calls are your callbacks.",
        ],
    },
    Group {
        id: "pp_webrtc_multiplayer_peer",
        title: "WebRTCMultiplayerPeer: multiplayer over WebRTC connections",
        names: &["pp_webrtc_multiplayer_peer_*"],
        overview: &[
            "Godot's WebRTCMultiplayerPeer, a multiplayer pp_peer driven by the",
            "pp_multiplayer_peer_* calls. create_server (ID 1), create_client (CONNECTING until",
            "the server, added as peer 1, is connected) or create_mesh; then per remote: make and",
            "initialize a pp_webrtc_peer_connection, add_peer it (pre-negotiated channels on SCTP",
            "streams 1 reliable, 2 ordered, 3 unordered, 4 + i the extra channels_config ones:",
            "both ends must list the same), and do its offer/answer and candidates yourself.",
            "pp_multiplayer_peer_poll polls every connection and announces a remote when its",
            "connection and all its channels are open. Payloads travel as they are. Every lane is",
            "reliable by default, as in real Godot games (the engine misspells the lifetime key);",
            "set_honor_unreliable_lifetime opts into the lifetime the engine meant.",
        ],
    },
    Group {
        id: "pp_scene_multiplayer",
        title: "SceneMultiplayer framing helpers",
        names: &["pp_scene_multiplayer_*"],
        overview: &[
            "The packets of Godot's SceneMultiplayer (the high-level multiplayer API a Godot game",
            "runs on top of its MultiplayerPeer), to talk to such a game.",
            "pp_scene_multiplayer_parse reads a received packet into a",
            "pp_scene_multiplayer_message (command, SYS sub-command, peer, payload offset and",
            "length); pp_scene_multiplayer_build_raw / _auth / _add_peer / _del_peer / _relay",
            "write the packets SceneMultiplayer sends into your buffer (send them with",
            "pp_put_packet). No handle, no state, no events: these calls are safe from any",
            "thread.",
        ],
    },
];
