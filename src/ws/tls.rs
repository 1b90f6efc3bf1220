//! `wss://`: a WebSocket over a StreamPeerTLS (`docs/classes.md` §19 with §9), client and server.
//!
//! [`TlsWsStream`] is a [`WsStream`] made of a [`StreamPeerTls`] over a TCP stream. The client
//! builds one from its connected StreamPeerTCP with TLSOptions (default `TLSOptions.client()`:
//! system CAs, name checked against the URL's host, sent as SNI); the server side wraps a
//! StreamPeerTLS that was given to `accept_stream` (still handshaking or connected), or one made from
//! an accepted TCP connection and server options (WebSocketMultiplayerPeer). The WebSocket waits for
//! the TLS handshake before its own opening handshake; a TLS failure ends the connection (close code
//! -1, like the engine) and leaves the TLS status and OpenSSL's reason readable on the peer.
#![forbid(unsafe_code)]

use std::net::IpAddr;

use super::{StreamStatus, WsStream};
use crate::error::{Error, Result};
use crate::net::tcp::StreamPeerTcp;
use crate::peer::StreamPeer;
use crate::sync::{shared, Shared};
use crate::tls::{StreamPeerTls, TlsOptions, TlsStatus};

/// Sets TCP_NODELAY on the transport under the TLS session (it may not be TCP: then
/// `ERR_UNCONFIGURED`).
pub type NoDelayFn<S> = fn(&mut S, bool) -> Result<()>;

fn tcp_no_delay(t: &mut StreamPeerTcp, on: bool) -> Result<()> {
    t.set_no_delay(on)
}

/// A StreamPeerTLS as the transport of a WebSocket.
pub struct TlsWsStream<S: ?Sized + StreamPeer + Send + 'static> {
    tls: StreamPeerTls<S>,
    /// The transport below the session (kept to set TCP_NODELAY).
    inner: Option<Shared<S>>,
    remote: Option<(IpAddr, u16)>,
    no_delay: NoDelayFn<S>,
}

impl<S: ?Sized + StreamPeer + Send + 'static> std::fmt::Debug for TlsWsStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TlsWsStream {{ status: {:?}, remote: {:?} }}",
            self.tls.get_status(),
            self.remote
        )
    }
}

impl TlsWsStream<StreamPeerTcp> {
    /// Client: starts a TLS handshake over a connected TCP stream for `host` (checked in the
    /// certificate and sent as SNI unless the options say otherwise). `options` None =
    /// `TLSOptions.client()`; server options are `ERR_INVALID_PARAMETER`. A first handshake step
    /// that fails is `Err((code, status, text))`.
    pub fn client(
        tcp: StreamPeerTcp,
        host: &str,
        options: Option<&TlsOptions>,
    ) -> std::result::Result<Self, (Error, TlsStatus, String)> {
        let remote = tcp
            .get_connected_host()
            .map(|h| (h, tcp.get_connected_port()));
        let inner = shared(tcp);
        let mut tls = StreamPeerTls::new();
        if let Err(e) = tls.connect_to_stream(inner.clone(), host, options) {
            let st = match tls.get_status() {
                TlsStatus::Handshaking | TlsStatus::Connected | TlsStatus::Disconnected => {
                    TlsStatus::Error
                }
                s => s,
            };
            return Err((e, st, tls.get_last_error_text().to_owned()));
        }
        Ok(TlsWsStream {
            tls,
            inner: Some(inner),
            remote,
            no_delay: tcp_no_delay,
        })
    }

    /// Server: starts a TLS handshake over an accepted TCP stream with server `options` (client
    /// options are `ERR_INVALID_PARAMETER`).
    pub fn server(tcp: StreamPeerTcp, options: &TlsOptions) -> Result<Self> {
        if !options.is_server() {
            return Err(Error::InvalidParameter);
        }
        let remote = tcp
            .get_connected_host()
            .map(|h| (h, tcp.get_connected_port()));
        let inner = shared(tcp);
        let mut tls = StreamPeerTls::new();
        tls.accept_stream(inner.clone(), options)?;
        Ok(TlsWsStream {
            tls,
            inner: Some(inner),
            remote,
            no_delay: tcp_no_delay,
        })
    }
}

impl<S: ?Sized + StreamPeer + Send + 'static> TlsWsStream<S> {
    /// Wraps a StreamPeerTLS that is HANDSHAKING or CONNECTED (else `ERR_INVALID_PARAMETER`).
    /// `remote` is the address of the connection below it, `no_delay` sets TCP_NODELAY there.
    pub fn from_tls(
        tls: StreamPeerTls<S>,
        remote: Option<(IpAddr, u16)>,
        no_delay: NoDelayFn<S>,
    ) -> Result<Self> {
        if !matches!(
            tls.get_status(),
            TlsStatus::Handshaking | TlsStatus::Connected
        ) {
            return Err(Error::InvalidParameter);
        }
        let inner = tls.get_stream();
        Ok(TlsWsStream {
            tls,
            inner,
            remote,
            no_delay,
        })
    }

    /// The TLS session.
    pub fn tls(&self) -> &StreamPeerTls<S> {
        &self.tls
    }
}

impl<S: ?Sized + StreamPeer + Send + 'static> StreamPeer for TlsWsStream<S> {
    fn put_data(&mut self, data: &[u8]) -> Result<()> {
        self.tls.put_data(data)
    }
    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize> {
        self.tls.put_partial_data(data)
    }
    fn get_data(&mut self, buf: &mut [u8]) -> Result<()> {
        self.tls.get_data(buf)
    }
    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.tls.get_partial_data(buf)
    }
    fn get_available_bytes(&self) -> i32 {
        self.tls.get_available_bytes()
    }
    fn is_big_endian(&self) -> bool {
        self.tls.is_big_endian()
    }
    fn set_big_endian(&mut self, big_endian: bool) {
        self.tls.set_big_endian(big_endian)
    }
}

impl<S: ?Sized + StreamPeer + Send + 'static> WsStream for TlsWsStream<S> {
    fn poll_stream(&mut self) -> StreamStatus {
        if self.tls.get_status() == TlsStatus::Handshaking {
            self.tls.poll();
        }
        match self.tls.get_status() {
            TlsStatus::Handshaking => StreamStatus::Connecting,
            TlsStatus::Connected => StreamStatus::Open,
            _ => StreamStatus::Closed,
        }
    }
    fn set_no_delay(&mut self, enabled: bool) -> Result<()> {
        let inner = self.inner.as_ref().ok_or(Error::Unconfigured)?;
        let mut g = inner.lock()?;
        (self.no_delay)(&mut g, enabled)
    }
    fn remote(&self) -> Option<(IpAddr, u16)> {
        self.remote
    }
    fn is_tls(&self) -> bool {
        true
    }
    fn tls_failure(&self) -> Option<(TlsStatus, String)> {
        match self.tls.get_status() {
            s @ (TlsStatus::Error | TlsStatus::ErrorHostnameMismatch) => {
                Some((s, self.tls.get_last_error_text().to_owned()))
            }
            _ => None,
        }
    }
    fn shutdown(&mut self) {
        self.tls.disconnect_from_stream();
    }
    fn push_pending(&mut self) {
        // An empty write only pushes the records queued for the transport (a failure shows in the
        // next read or write).
        let _ = self.tls.put_partial_data(&[]);
    }
}
