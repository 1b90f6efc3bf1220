//! The library's one re-entrancy rule, driven through the C entry points the way a C program's
//! callbacks would: a callback may call anything on any handle; a call that reaches an object busy in
//! the call running the callback returns `PP_ERR_LOCKED` and changes nothing. Runs under Miri too
//! (see the README's developer section): no aliasing of a borrowed object may happen on these paths.

use std::ffi::c_void;
use std::mem::size_of;
use std::ptr;

use packetpeer::ffi::extension::*;
use packetpeer::ffi::multiplayer::*;
use packetpeer::ffi::peer::*;
use packetpeer::ffi::stream::*;
use packetpeer::ffi::variant::*;
use packetpeer::ffi::*;

const OK: pp_error = pp_error::PP_OK;
const LOCKED: pp_error = pp_error::PP_ERR_LOCKED;

/// What the callbacks do, and what they saw.
struct St {
    /// The handle whose callbacks these are.
    me: *mut pp_peer,
    /// Another, unrelated handle.
    other: *mut pp_peer,
    /// A stream handle (for the stream extension) and the PacketPeerStream using it.
    stream: *mut pp_stream_peer,
    pps: *mut pp_peer,
    /// A variant the outer call is reading.
    value: *mut pp_variant,
    seen: Vec<(&'static str, pp_error)>,
    queued: Vec<Vec<u8>>,
}

impl St {
    /// A new state as the userdata C code would hold: a raw pointer, from which every access
    /// (the callbacks' and the test's) derives a fresh reference, never held across a library call.
    fn new() -> *mut c_void {
        let b = Box::new(St {
            me: ptr::null_mut(),
            other: ptr::null_mut(),
            stream: ptr::null_mut(),
            pps: ptr::null_mut(),
            value: ptr::null_mut(),
            seen: Vec::new(),
            queued: Vec::new(),
        });
        Box::into_raw(b).cast()
    }

    /// Frees a state made by [`St::new`].
    fn free(ud: *mut c_void) {
        // SAFETY: made by `St::new` and freed once, after the handles using it are gone.
        drop(unsafe { Box::from_raw(ud.cast::<St>()) });
    }
}

fn st(ud: *mut c_void) -> &'static mut St {
    // SAFETY: the tests pass a live, boxed `St` as userdata and use it from this thread only.
    unsafe { &mut *ud.cast::<St>() }
}

unsafe extern "C" fn count(ud: *mut c_void) -> i32 {
    st(ud).queued.len() as i32
}
unsafe extern "C" fn max_size(_: *mut c_void) -> i32 {
    1 << 16
}

/// put_packet of the PacketPeerExtension: re-enters its own peer, another peer, and the variant
/// the outer `pp_put_var` is encoding from.
unsafe extern "C" fn put_reentering(ud: *mut c_void, buf: *const u8, len: i32) -> i32 {
    let s = st(ud);
    let mut n = 0;
    s.seen
        .push(("put own", pp_put_packet(s.me, buf, len as usize)));
    s.seen
        .push(("count own", pp_get_available_packet_count(s.me, &mut n)));
    s.seen.push((
        "count other",
        pp_get_available_packet_count(s.other, &mut n),
    ));
    if !s.value.is_null() {
        let mut n = 0usize;
        s.seen
            .push(("read value", pp_variant_array_size(s.value, &mut n)));
        s.seen
            .push(("write value", pp_variant_array_append(s.value, s.value)));
    }
    // SAFETY: `len` readable bytes at `buf` for the duration of this callback.
    let bytes = unsafe { std::slice::from_raw_parts(buf, len as usize) };
    s.queued.push(bytes.to_vec());
    OK as i32
}

fn packet_table(ud: *mut c_void) -> pp_packet_peer_extension_callbacks {
    pp_packet_peer_extension_callbacks {
        size: size_of::<pp_packet_peer_extension_callbacks>(),
        userdata: ud,
        get_packet: None,
        put_packet: Some(put_reentering),
        get_available_packet_count: Some(count),
        get_max_packet_size: Some(max_size),
        destroy: None,
    }
}

#[test]
fn a_packet_peer_callback_gets_locked_for_its_own_peer_only() {
    let ud = St::new();
    let t = packet_table(ud);
    let mut me = ptr::null_mut();
    let mut other = ptr::null_mut();
    assert_eq!(pp_packet_peer_extension_new(&t, &mut me), OK);
    assert_eq!(pp_packet_peer_stream_new(&mut other), OK);
    st(ud).me = me;
    st(ud).other = other;

    assert_eq!(pp_put_packet(me, b"hi".as_ptr(), 2), OK);
    assert_eq!(
        st(ud).seen,
        vec![
            ("put own", LOCKED),
            ("count own", LOCKED),
            ("count other", OK)
        ]
    );
    assert_eq!(st(ud).queued, vec![b"hi".to_vec()]);

    // pp_put_var reads a variant while the callback runs: reading it again works, changing it is
    // refused, and the value sent is the one read.
    st(ud).seen.clear();
    let mut v = ptr::null_mut();
    let mut seven = ptr::null_mut();
    assert_eq!(pp_variant_new_array(&mut v), OK);
    assert_eq!(pp_variant_new_int(7, &mut seven), OK);
    assert_eq!(pp_variant_array_append(v, seven), OK);
    pp_variant_free(seven);
    st(ud).value = v;
    assert_eq!(pp_put_var(me, v, false), OK);
    assert_eq!(
        st(ud).seen,
        vec![
            ("put own", LOCKED),
            ("count own", LOCKED),
            ("count other", OK),
            ("read value", OK),
            ("write value", LOCKED),
        ]
    );
    let mut n = 0usize;
    assert_eq!(pp_variant_array_size(v, &mut n), OK);
    assert_eq!(n, 1, "the refused write changed nothing");
    assert_eq!(
        st(ud).queued[1],
        [28, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0],
        "an ARRAY holding the INT 7"
    );

    // Outside any callback everything works again.
    let mut n = 0;
    assert_eq!(pp_get_available_packet_count(me, &mut n), OK);
    assert_eq!(n, 2);
    pp_variant_free(v);
    pp_peer_free(me);
    pp_peer_free(other);
    St::free(ud);
}

/// put_data of the StreamPeerExtension under a PacketPeerStream: re-enters the stream and the
/// PacketPeerStream (both busy), then writes through.
unsafe extern "C" fn stream_put(ud: *mut c_void, buf: *const u8, len: i32, sent: *mut i32) -> i32 {
    let s = st(ud);
    let mut out = 0usize;
    let data = ptr::null();
    let mut dlen = 0usize;
    s.seen.push((
        "stream put",
        pp_stream_peer_put_data(s.stream, buf, len as usize),
    ));
    s.seen.push((
        "stream partial",
        pp_stream_peer_put_partial_data(s.stream, buf, 0, &mut out),
    ));
    let mut d = data;
    s.seen
        .push(("pps get", pp_get_packet(s.pps, &mut d, &mut dlen)));
    // SAFETY: `len` readable bytes at `buf` during the callback; `sent` is writable.
    unsafe {
        s.queued
            .push(std::slice::from_raw_parts(buf, len as usize).to_vec());
        *sent = len;
    }
    OK as i32
}
unsafe extern "C" fn stream_get_partial(
    _: *mut c_void,
    _: *mut u8,
    _: i32,
    received: *mut i32,
) -> i32 {
    // SAFETY: the library passes a writable count.
    unsafe { *received = 0 };
    OK as i32
}
unsafe extern "C" fn no_bytes(_: *mut c_void) -> i32 {
    0
}

#[test]
fn a_stream_callback_gets_locked_for_its_stream_and_the_packet_peer_using_it() {
    let ud = St::new();
    let t = pp_stream_peer_extension_callbacks {
        size: size_of::<pp_stream_peer_extension_callbacks>(),
        userdata: ud,
        put_data: Some(stream_put),
        put_partial_data: None,
        get_data: None,
        get_partial_data: Some(stream_get_partial),
        get_available_bytes: Some(no_bytes),
        destroy: None,
    };
    let mut stream = ptr::null_mut();
    let mut pps = ptr::null_mut();
    assert_eq!(pp_stream_peer_extension_new(&t, &mut stream), OK);
    assert_eq!(pp_packet_peer_stream_new(&mut pps), OK);
    assert_eq!(pp_packet_peer_stream_set_stream_peer(pps, stream), OK);
    st(ud).stream = stream;
    st(ud).pps = pps;

    assert_eq!(pp_put_packet(pps, b"abc".as_ptr(), 3), OK);
    assert_eq!(
        st(ud).seen,
        vec![
            ("stream put", LOCKED),
            ("stream partial", LOCKED),
            ("pps get", LOCKED)
        ]
    );
    assert_eq!(st(ud).queued, vec![vec![3, 0, 0, 0, b'a', b'b', b'c']]);
    pp_peer_free(pps);
    pp_stream_peer_free(stream);
    St::free(ud);
}

/// The MultiplayerPeerExtension's poll: emitting its own signals works (the call made for use inside
/// callbacks); any other call on its own peer is locked.
unsafe extern "C" fn mp_poll(ud: *mut c_void) -> i32 {
    let s = st(ud);
    let mut id = 0;
    s.seen.push((
        "emit",
        pp_multiplayer_peer_extension_emit_peer_connected(s.me, 5),
    ));
    s.seen
        .push(("own id", pp_multiplayer_peer_get_unique_id(s.me, &mut id)));
    s.seen.push(("own poll", pp_multiplayer_peer_poll(s.me)));
    0
}
unsafe extern "C" fn zero(_: *mut c_void) -> i32 {
    0
}
unsafe extern "C" fn one(_: *mut c_void) -> i32 {
    1
}
unsafe extern "C" fn set_ok(_: *mut c_void, _: i32) -> i32 {
    0
}
unsafe extern "C" fn no(_: *mut c_void) -> bool {
    false
}
unsafe extern "C" fn disc(_: *mut c_void, _: i32, _: bool) -> i32 {
    0
}

#[test]
fn a_multiplayer_callback_may_emit_but_not_re_enter() {
    let ud = St::new();
    let t = pp_multiplayer_peer_extension_callbacks {
        size: size_of::<pp_multiplayer_peer_extension_callbacks>(),
        userdata: ud,
        destroy: None,
        get_packet: None,
        put_packet: None,
        get_available_packet_count: Some(zero),
        get_max_packet_size: Some(zero),
        get_packet_channel: Some(zero),
        get_packet_mode: Some(zero),
        get_packet_peer: Some(zero),
        set_transfer_channel: Some(set_ok),
        get_transfer_channel: Some(zero),
        set_transfer_mode: Some(set_ok),
        get_transfer_mode: Some(zero),
        set_target_peer: Some(set_ok),
        is_server: Some(no),
        poll: Some(mp_poll),
        close: Some(zero),
        disconnect_peer: Some(disc),
        get_unique_id: Some(one),
        get_connection_status: Some(zero),
        set_refuse_new_connections: None,
        is_refusing_new_connections: None,
        is_server_relay_supported: None,
    };
    let mut me = ptr::null_mut();
    assert_eq!(pp_multiplayer_peer_extension_new(&t, &mut me), OK);
    st(ud).me = me;
    assert_eq!(pp_multiplayer_peer_poll(me), OK);
    assert_eq!(
        st(ud).seen,
        vec![("emit", OK), ("own id", LOCKED), ("own poll", LOCKED)]
    );
    let mut ev = pp_multiplayer_event {
        kind: pp_multiplayer_event_type::PP_MULTIPLAYER_EVENT_OVERFLOW,
        peer_id: 0,
        dropped: 0,
    };
    assert_eq!(pp_multiplayer_peer_pop_event(me, &mut ev), OK);
    assert_eq!(
        (ev.kind, ev.peer_id),
        (
            pp_multiplayer_event_type::PP_MULTIPLAYER_EVENT_PEER_CONNECTED,
            5
        )
    );
    let mut id = 0;
    assert_eq!(pp_multiplayer_peer_get_unique_id(me, &mut id), OK);
    assert_eq!(id, 1);
    pp_peer_free(me);
    St::free(ud);
}
