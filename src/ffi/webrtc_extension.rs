//! WebRTCPeerConnectionExtension and WebRTCDataChannelExtension (`docs/classes.md` §21, §22): a
//! WebRTC connection or data channel implemented by C callbacks, reachable through the same
//! `pp_webrtc_peer_connection_*` / `pp_webrtc_data_channel_*` calls and the PacketPeer calls as the
//! built-in classes.
//!
//! Callbacks follow the extension rules of the header (an `int32_t` pp_error result; a number that is
//! not a Godot error counts as `PP_FAILED`; they run on the calling thread, one at a time per
//! object; a callback that calls back into its own object gets `PP_ERR_LOCKED`). The connection's
//! signals are queued by the `pp_webrtc_peer_connection_extension_emit_*` calls and drained by
//! `pp_webrtc_peer_connection_pop_event` like the built-in connection's.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::collections::VecDeque;
use std::ffi::{c_char, c_void, CStr};
use std::mem::offset_of;
use std::ptr;

use super::webrtc::{pp_webrtc_peer_connection, ConnObj};
use super::*;
use crate::error::Result as CoreResult;
use crate::peer::PeerBase;
use crate::sync::Shared;
use crate::webrtc::multiplayer::{ChannelDriver, ConnectionDriver};
use crate::webrtc::{ChannelState, ConnectionState};

/// The callbacks of a WebRTCDataChannelExtension: `size` first (`sizeof` as you compiled it), then
/// `userdata`, then every callback (all required except `destroy`), copied by
/// `pp_webrtc_data_channel_extension_new`. Integer results are the engine's values (states,
/// write modes as the `pp_webrtc_data_channel_*` constants).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct pp_webrtc_data_channel_extension_callbacks {
    /// `sizeof(pp_webrtc_data_channel_extension_callbacks)` as the caller compiled it.
    pub size: usize,
    /// Passed as the first argument of every callback.
    pub userdata: *mut c_void,
    /// `_get_packet`: sets `*out_buf`, `*out_len` (valid until the next `get_packet` or `destroy`);
    /// returns a pp_error.
    pub get_packet: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            out_buf: *mut *const u8,
            out_len: *mut i32,
        ) -> i32,
    >,
    /// `_put_packet` (the bytes are valid during the call only); returns a pp_error.
    pub put_packet:
        Option<unsafe extern "C" fn(userdata: *mut c_void, buf: *const u8, len: i32) -> i32>,
    pub get_available_packet_count: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub get_max_packet_size: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub poll: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub close: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
    pub set_write_mode: Option<unsafe extern "C" fn(userdata: *mut c_void, mode: i32)>,
    pub get_write_mode: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub was_string_packet: Option<unsafe extern "C" fn(userdata: *mut c_void) -> bool>,
    pub get_ready_state: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// NUL-terminated UTF-8 the library copies at once (NULL reads as "").
    pub get_label: Option<unsafe extern "C" fn(userdata: *mut c_void) -> *const c_char>,
    pub is_ordered: Option<unsafe extern "C" fn(userdata: *mut c_void) -> bool>,
    pub get_id: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub get_max_packet_life_time: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub get_max_retransmits: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// As `get_label`.
    pub get_protocol: Option<unsafe extern "C" fn(userdata: *mut c_void) -> *const c_char>,
    pub is_negotiated: Option<unsafe extern "C" fn(userdata: *mut c_void) -> bool>,
    pub get_buffered_amount: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Called once when the channel is destroyed (may be NULL).
    pub destroy: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
}

/// The callbacks of a WebRTCPeerConnectionExtension: `size` first, then `userdata`, then every
/// callback (all required except `destroy`), copied by `pp_webrtc_peer_connection_extension_new`.
/// Strings and variants passed to callbacks are valid during the call only.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct pp_webrtc_peer_connection_extension_callbacks {
    /// `sizeof(pp_webrtc_peer_connection_extension_callbacks)` as the caller compiled it.
    pub size: usize,
    /// Passed as the first argument of every callback.
    pub userdata: *mut c_void,
    /// `_initialize(configuration)`: `configuration` is a Dictionary (empty when the caller passed
    /// NULL); returns a pp_error.
    pub initialize: Option<
        unsafe extern "C" fn(userdata: *mut c_void, configuration: *const pp_variant) -> i32,
    >,
    /// `_create_data_channel(label, options)`: on `PP_OK` sets `*out_channel` to a new owned
    /// `pp_peer` (any PacketPeer; a WebRTCDataChannelExtension makes the data channel calls work),
    /// whose ownership passes to the caller of `pp_webrtc_peer_connection_create_data_channel`.
    pub create_data_channel: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            label: *const c_char,
            options: *const pp_variant,
            out_channel: *mut *mut pp_peer,
        ) -> i32,
    >,
    pub create_offer: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub set_remote_description: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            type_: *const c_char,
            sdp: *const c_char,
        ) -> i32,
    >,
    pub set_local_description: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            type_: *const c_char,
            sdp: *const c_char,
        ) -> i32,
    >,
    pub add_ice_candidate: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            media: *const c_char,
            index: i32,
            name: *const c_char,
        ) -> i32,
    >,
    pub poll: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    pub close: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
    /// A `pp_webrtc_connection_state` value.
    pub get_connection_state: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// A `pp_webrtc_gathering_state` value.
    pub get_gathering_state: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// A `pp_webrtc_signaling_state` value.
    pub get_signaling_state: Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>,
    /// Called once when the connection is destroyed (may be NULL).
    pub destroy: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
}

const _: () = assert!(offset_of!(pp_webrtc_data_channel_extension_callbacks, size) == 0);
const _: () = assert!(offset_of!(pp_webrtc_peer_connection_extension_callbacks, size) == 0);

/// Calls a required callback (checked non-NULL at construction).
macro_rules! call {
    ($cb:expr, $f:ident $(, $a:expr)*) => {
        match $cb.$f {
            // SAFETY: a C callback with its userdata and arguments valid for the call (the table's
            // contract, checked non-NULL at construction).
            Some(f) => Some(unsafe { f($cb.userdata $(, $a)*) }),
            None => None,
        }
    };
}

/// A C string a callback returned, copied ("" for NULL or bad UTF-8).
fn copied(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the callback contract: NULL or a NUL-terminated string valid until we copy it.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// A WebRTCDataChannel implemented by C callbacks.
pub struct WebRtcDataChannelExtension {
    base: PeerBase,
    cb: pp_webrtc_data_channel_extension_callbacks,
}

// SAFETY: the header's thread rule for `userdata` (usable from any thread, one at a time); the
// object is used under its lock only.
unsafe impl Send for WebRtcDataChannelExtension {}

impl Drop for WebRtcDataChannelExtension {
    fn drop(&mut self) {
        let _ = call!(self.cb, destroy);
    }
}

impl WebRtcDataChannelExtension {
    pub fn set_write_mode(&mut self, m: i32) {
        let _ = call!(self.cb, set_write_mode, m);
    }
    pub fn get_write_mode(&self) -> i32 {
        call!(self.cb, get_write_mode).unwrap_or(1)
    }
    pub fn was_string_packet(&self) -> bool {
        call!(self.cb, was_string_packet).unwrap_or(false)
    }
    pub fn get_ready_state(&self) -> i32 {
        call!(self.cb, get_ready_state).unwrap_or(3)
    }
    pub fn get_label(&self) -> String {
        call!(self.cb, get_label).map(copied).unwrap_or_default()
    }
    pub fn is_ordered(&self) -> bool {
        call!(self.cb, is_ordered).unwrap_or(false)
    }
    pub fn get_id(&self) -> i32 {
        call!(self.cb, get_id).unwrap_or(65535)
    }
    pub fn get_max_packet_life_time(&self) -> i32 {
        call!(self.cb, get_max_packet_life_time).unwrap_or(65535)
    }
    pub fn get_max_retransmits(&self) -> i32 {
        call!(self.cb, get_max_retransmits).unwrap_or(65535)
    }
    pub fn get_protocol(&self) -> String {
        call!(self.cb, get_protocol).map(copied).unwrap_or_default()
    }
    pub fn is_negotiated(&self) -> bool {
        call!(self.cb, is_negotiated).unwrap_or(false)
    }
    pub fn get_buffered_amount(&self) -> i32 {
        call!(self.cb, get_buffered_amount).unwrap_or(0)
    }
    pub fn poll(&mut self) -> CoreResult<()> {
        cb_result(call!(self.cb, poll).unwrap_or(1))
    }
    pub fn close(&mut self) {
        let _ = call!(self.cb, close);
    }
}

impl PacketPeer for WebRtcDataChannelExtension {
    fn get_available_packet_count(&mut self) -> i32 {
        call!(self.cb, get_available_packet_count).unwrap_or(0)
    }
    fn get_packet(&mut self) -> CoreResult<&[u8]> {
        let mut buf: *const u8 = ptr::null();
        let mut len: i32 = 0;
        cb_result(call!(self.cb, get_packet, &mut buf, &mut len).unwrap_or(1))?;
        // SAFETY: the callback contract: `len` bytes at `buf`, valid until the next get_packet
        // callback, which needs `&mut self` and so ends this borrow first.
        unsafe { cb_packet(buf, len) }
    }
    fn put_packet(&mut self, data: &[u8]) -> CoreResult<()> {
        let len = i32::try_from(data.len()).map_err(|_| Error::InvalidParameter)?;
        cb_result(call!(self.cb, put_packet, data.as_ptr(), len).unwrap_or(1))
    }
    fn get_max_packet_size(&self) -> i32 {
        call!(self.cb, get_max_packet_size).unwrap_or(0).max(0)
    }
    fn base(&self) -> &PeerBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}

/// Makes a WebRTCDataChannelExtension: a `pp_peer` whose PacketPeer calls and
/// `pp_webrtc_data_channel_*` calls are your callbacks.
///
/// - `callbacks`: copied; `size` at least `sizeof(pp_webrtc_data_channel_extension_callbacks)`,
///   every callback but `destroy` set.
/// - `out_channel`: receives the channel; free it with `pp_peer_free` (`destroy(userdata)` runs once
///   when the object goes away; not at all if this call fails).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a
/// missing callback.
#[no_mangle]
pub extern "C" fn pp_webrtc_data_channel_extension_new(
    callbacks: *const pp_webrtc_data_channel_extension_callbacks,
    out_channel: *mut *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_channel);
        // SAFETY: the caller passes a table of `size` bytes (or NULL, rejected).
        let cb = unsafe { read_table(callbacks) }?;
        let required = [
            cb.get_packet.is_some(),
            cb.put_packet.is_some(),
            cb.get_available_packet_count.is_some(),
            cb.get_max_packet_size.is_some(),
            cb.poll.is_some(),
            cb.close.is_some(),
            cb.set_write_mode.is_some(),
            cb.get_write_mode.is_some(),
            cb.was_string_packet.is_some(),
            cb.get_ready_state.is_some(),
            cb.get_label.is_some(),
            cb.is_ordered.is_some(),
            cb.get_id.is_some(),
            cb.get_max_packet_life_time.is_some(),
            cb.get_max_retransmits.is_some(),
            cb.get_protocol.is_some(),
            cb.is_negotiated.is_some(),
            cb.get_buffered_amount.is_some(),
        ];
        if required.contains(&false) {
            return Err(INVALID);
        }
        out.write(new_peer(WebRtcDataChannelExtension { base: PeerBase::default(), cb }));
        Ok(())
    }
}

/// A signal an extension emitted.
pub(crate) enum ExtEvent {
    Sdp(String, String),
    Candidate(String, i32, String),
    Channel(SharedPeer),
}

/// The signals an extension emitted: behind an internal mutex of their own (never held while a
/// callback runs), so a callback may emit while its connection is busy in the call running it.
#[derive(Default)]
pub(crate) struct ExtEvents {
    pub(crate) q: VecDeque<ExtEvent>,
    pub(crate) refused: u64,
}

impl ExtEvents {
    fn push(&mut self, e: ExtEvent) -> Result<(), pp_error> {
        if self.q.len() >= crate::webrtc::MAX_EVENTS {
            self.refused += 1;
            return Err(pp_error::PP_ERR_OUT_OF_MEMORY);
        }
        self.q.push_back(e);
        Ok(())
    }
}

/// What a `pp_webrtc_peer_connection` holds for an extension.
#[derive(Clone)]
pub(crate) struct ExtConn {
    pub(crate) obj: Shared<WebRtcPeerConnectionExtension>,
    pub(crate) events: std::sync::Arc<std::sync::Mutex<ExtEvents>>,
}

/// A WebRTCPeerConnection implemented by C callbacks.
pub struct WebRtcPeerConnectionExtension {
    cb: pp_webrtc_peer_connection_extension_callbacks,
}

// SAFETY: as WebRtcDataChannelExtension.
unsafe impl Send for WebRtcPeerConnectionExtension {}

impl Drop for WebRtcPeerConnectionExtension {
    fn drop(&mut self) {
        let _ = call!(self.cb, destroy);
    }
}

/// A NUL-terminated copy of `s` for a callback argument (interior NULs cannot occur: `s` came
/// from a C string).
fn c_arg(s: &str) -> Result<std::ffi::CString, pp_error> {
    std::ffi::CString::new(s).map_err(|_| INVALID)
}

impl WebRtcPeerConnectionExtension {
    pub(crate) fn initialize(&mut self, cfg: &Variant) -> Result<(), pp_error> {
        let v = match cfg {
            Variant::Nil => Variant::Dictionary(Box::default()),
            v => v.clone(),
        };
        let lent = Lent::<pp_variant>::new(Excl::new(v));
        let p: *const pp_variant = lent.ptr();
        map(cb_result(call!(self.cb, initialize, p).unwrap_or(1)))
    }

    pub(crate) fn create_data_channel(
        &mut self,
        label: &str,
        options: &Variant,
    ) -> Result<*mut pp_peer, pp_error> {
        let l = c_arg(label)?;
        let lent = Lent::<pp_variant>::new(Excl::new(options.clone()));
        let opts: *const pp_variant = if matches!(options, Variant::Nil) {
            ptr::null()
        } else {
            lent.ptr()
        };
        let mut out: *mut pp_peer = ptr::null_mut();
        map(cb_result(
            call!(self.cb, create_data_channel, l.as_ptr(), opts, &mut out).unwrap_or(1),
        ))?;
        if out.is_null() {
            return Err(pp_error::PP_FAILED);
        }
        Ok(out)
    }

    pub(crate) fn create_offer(&mut self) -> Result<(), pp_error> {
        map(cb_result(call!(self.cb, create_offer).unwrap_or(1)))
    }

    pub(crate) fn set_description(
        &mut self,
        remote: bool,
        kind: &str,
        sdp: &str,
    ) -> Result<(), pp_error> {
        let (k, s) = (c_arg(kind)?, c_arg(sdp)?);
        let r = if remote {
            call!(self.cb, set_remote_description, k.as_ptr(), s.as_ptr())
        } else {
            call!(self.cb, set_local_description, k.as_ptr(), s.as_ptr())
        };
        map(cb_result(r.unwrap_or(1)))
    }

    pub(crate) fn add_ice_candidate(
        &mut self,
        media: &str,
        index: i32,
        name: &str,
    ) -> Result<(), pp_error> {
        let (m, n) = (c_arg(media)?, c_arg(name)?);
        map(cb_result(
            call!(self.cb, add_ice_candidate, m.as_ptr(), index, n.as_ptr()).unwrap_or(1),
        ))
    }

    pub(crate) fn poll(&mut self) -> Result<(), pp_error> {
        map(cb_result(call!(self.cb, poll).unwrap_or(1)))
    }

    pub(crate) fn close(&mut self) {
        let _ = call!(self.cb, close);
    }

    pub(crate) fn states(&self) -> (i32, i32, i32) {
        (
            call!(self.cb, get_connection_state).unwrap_or(5),
            call!(self.cb, get_gathering_state).unwrap_or(0),
            call!(self.cb, get_signaling_state).unwrap_or(5),
        )
    }
}

/// Makes a WebRTCPeerConnectionExtension: a `pp_webrtc_peer_connection` whose calls are your
/// callbacks (`pp_webrtc_multiplayer_peer_add_peer` takes it too). Signals are
/// yours to emit with `pp_webrtc_peer_connection_extension_emit_*`; `pop_event` drains them.
///
/// - `callbacks`: copied; `size` at least `sizeof(pp_webrtc_peer_connection_extension_callbacks)`,
///   every callback but `destroy` set.
/// - `out_connection`: receives the connection; free it with `pp_webrtc_peer_connection_free`
///   (`destroy(userdata)` runs once when the object goes away; not at all if this call fails).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for a NULL argument, a too small `size` or a
/// missing callback.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_extension_new(
    callbacks: *const pp_webrtc_peer_connection_extension_callbacks,
    out_connection: *mut *mut pp_webrtc_peer_connection,
) -> pp_error {
    ffi_boundary! {
        let out = out!(out_connection);
        // SAFETY: the caller passes a table of `size` bytes (or NULL, rejected).
        let cb = unsafe { read_table(callbacks) }?;
        let required = [
            cb.initialize.is_some(),
            cb.create_data_channel.is_some(),
            cb.create_offer.is_some(),
            cb.set_remote_description.is_some(),
            cb.set_local_description.is_some(),
            cb.add_ice_candidate.is_some(),
            cb.poll.is_some(),
            cb.close.is_some(),
            cb.get_connection_state.is_some(),
            cb.get_gathering_state.is_some(),
            cb.get_signaling_state.is_some(),
        ];
        if required.contains(&false) {
            return Err(INVALID);
        }
        let ext = ExtConn {
            obj: crate::sync::shared(WebRtcPeerConnectionExtension { cb }),
            events: Default::default(),
        };
        out.write(new_handle::<pp_webrtc_peer_connection>(ConnObj::Ext(ext)));
        Ok(())
    }
}

/// Queues a signal on an extension connection (`PP_ERR_INVALID_PARAMETER` for a built-in one).
fn emit(connection: *mut pp_webrtc_peer_connection, e: ExtEvent) -> Result<(), pp_error> {
    match try_ref!(connection) {
        ConnObj::Ext(x) => crate::sync::lock(&x.events).push(e),
        ConnObj::Native(_) => Err(INVALID),
    }
}

/// Queues `session_description_created(type, sdp)` on an extension connection (call it from your
/// callbacks or any time; `pp_webrtc_peer_connection_pop_event` delivers it).
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when 1024 events are queued (refused, counted);
/// `PP_ERR_INVALID_PARAMETER` for NULL arguments, bad UTF-8 or a connection that is not an
/// extension.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_peer_connection_extension_emit_session_description_created(
    connection: *mut pp_webrtc_peer_connection,
    type_: *const c_char,
    sdp: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: NUL-terminated strings or NULL (caller's contract).
        let (t, s) = unsafe { (in_str(type_)?, in_str(sdp)?) };
        emit(connection, ExtEvent::Sdp(t.to_string(), s.to_string()))
    }
}

/// Queues `ice_candidate_created(media, index, name)` on an extension connection.
///
/// Returns as `pp_webrtc_peer_connection_extension_emit_session_description_created`.
#[no_mangle]
pub unsafe extern "C" fn pp_webrtc_peer_connection_extension_emit_ice_candidate_created(
    connection: *mut pp_webrtc_peer_connection,
    media: *const c_char,
    index: i32,
    name: *const c_char,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: NUL-terminated strings or NULL (caller's contract).
        let (m, n) = unsafe { (in_str(media)?, in_str(name)?) };
        emit(connection, ExtEvent::Candidate(m.to_string(), index, n.to_string()))
    }
}

/// Queues `data_channel_received(channel)` on an extension connection. `channel` stays yours (the
/// event gives the caller of `pop_event` a new handle to the same object).
///
/// Returns as `pp_webrtc_peer_connection_extension_emit_session_description_created`.
#[no_mangle]
pub extern "C" fn pp_webrtc_peer_connection_extension_emit_data_channel_received(
    connection: *mut pp_webrtc_peer_connection,
    channel: *mut pp_peer,
) -> pp_error {
    ffi_boundary! {
        let ch = try_ref!(channel).clone();
        emit(connection, ExtEvent::Channel(ch))
    }
}

/// An extension connection added to a WebRTCMultiplayerPeer: the multiplayer peer keeps this
/// reference and drives it through the callbacks.
pub(crate) struct ExtDriver(pub(crate) ExtConn);

fn core_err(e: pp_error) -> Error {
    e.to_result().err().unwrap_or(Error::Failed)
}

impl ConnectionDriver for ExtDriver {
    fn connection_state(&mut self) -> ConnectionState {
        use ConnectionState::*;
        let v = self.0.obj.lock().map(|g| g.states().0).unwrap_or(5);
        usize::try_from(v)
            .ok()
            .and_then(|i| {
                [New, Connecting, Connected, Disconnected, Failed, Closed]
                    .get(i)
                    .copied()
            })
            .unwrap_or(Closed)
    }

    fn create_channel(
        &mut self,
        label: &str,
        options: &Variant,
    ) -> CoreResult<Box<dyn ChannelDriver>> {
        let out = self
            .0
            .obj
            .lock()?
            .create_data_channel(label, options)
            .map_err(core_err)?;
        // SAFETY: the callback contract: `out` is a live `pp_peer` handle whose ownership passed
        // to us; we keep another reference to its object and free the handle.
        let peer = unsafe { super::handle::get::<pp_peer>(out) }.cloned();
        // SAFETY: as above; not used after this.
        unsafe { super::handle::free_handle(out) };
        Ok(Box::new(ExtChannelDriver {
            peer: peer.ok_or(Error::Failed)?,
            current: Vec::new(),
            base: PeerBase::default(),
        }))
    }

    fn poll(&mut self) -> CoreResult<()> {
        self.0.obj.lock()?.poll().map_err(core_err)
    }

    fn close(&mut self) {
        if let Ok(mut g) = self.0.obj.lock() {
            g.close()
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A channel an extension connection made for a WebRTCMultiplayerPeer (any PacketPeer; a
/// WebRTCDataChannel or WebRTCDataChannelExtension tells its ready state, any other reads OPEN).
pub(crate) struct ExtChannelDriver {
    pub(crate) peer: SharedPeer,
    current: Vec<u8>,
    base: PeerBase,
}

impl PacketPeer for ExtChannelDriver {
    fn get_available_packet_count(&mut self) -> i32 {
        self.peer
            .lock()
            .map(|mut g| g.get_available_packet_count())
            .unwrap_or(0)
    }

    fn get_packet(&mut self) -> CoreResult<&[u8]> {
        let mut g = self.peer.lock()?;
        let p = g.get_packet()?;
        self.current.clear();
        self.current.extend_from_slice(p);
        drop(g);
        Ok(&self.current)
    }

    fn put_packet(&mut self, data: &[u8]) -> CoreResult<()> {
        self.peer.lock()?.put_packet(data)
    }

    fn get_max_packet_size(&self) -> i32 {
        self.peer
            .lock()
            .map(|g| g.get_max_packet_size())
            .unwrap_or(0)
    }

    fn base(&self) -> &PeerBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}

impl ChannelDriver for ExtChannelDriver {
    fn ready_state(&mut self) -> ChannelState {
        use ChannelState::*;
        let Ok(mut g) = self.peer.lock() else {
            return Closed;
        };
        let any = g.as_any_mut();
        let v = if let Some(d) = any.downcast_mut::<crate::webrtc::WebRtcDataChannel>() {
            d.get_ready_state() as i32
        } else if let Some(d) = any.downcast_mut::<WebRtcDataChannelExtension>() {
            d.get_ready_state()
        } else {
            1
        };
        usize::try_from(v)
            .ok()
            .and_then(|i| [Connecting, Open, Closing, Closed].get(i).copied())
            .unwrap_or(Closed)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
