//! Helpers shared by the WebRTC test binaries (tests/webrtc_core.rs,
//! tests/conditioner_dtls_webrtc.rs): a connection on 127.0.0.1 and signalling through memory.
#![allow(dead_code)]

use packetpeer::variant::{Dictionary, Variant};
use packetpeer::webrtc::{PeerEvent, WebRtcDataChannel, WebRtcPeerConnection};

/// A Dictionary of string keys.
pub fn dict(pairs: &[(&str, Variant)]) -> Variant {
    let mut d = Dictionary::new();
    for (k, v) in pairs {
        d.insert(Variant::String((*k).into()), v.clone());
    }
    Variant::Dictionary(Box::new(d))
}

/// The configuration of a connection that gathers only on 127.0.0.1.
pub fn loopback_config() -> Variant {
    dict(&[(
        "bindAddresses",
        Variant::PackedStringArray(vec!["127.0.0.1".into()]),
    )])
}

/// A connection initialised with [`loopback_config`].
pub fn new_conn() -> WebRtcPeerConnection {
    let c = WebRtcPeerConnection::new();
    c.initialize(&loopback_config()).unwrap();
    c
}

/// Moves every signal of `from` to `to` (the test is the signalling channel); returns the channels
/// `from` received.
pub fn relay(from: &WebRtcPeerConnection, to: &WebRtcPeerConnection) -> Vec<WebRtcDataChannel> {
    let mut got = Vec::new();
    while let Some(e) = from.pop_event() {
        match e {
            PeerEvent::SessionDescriptionCreated { kind, sdp } => {
                from.set_local_description(&kind, &sdp).unwrap();
                to.set_remote_description(&kind, &sdp).unwrap();
            }
            PeerEvent::IceCandidateCreated { media, index, name } => {
                to.add_ice_candidate(&media, index, &name).unwrap()
            }
            PeerEvent::DataChannelReceived(ch) => got.push(ch),
            _ => {}
        }
    }
    got
}
