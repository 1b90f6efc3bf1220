//! The two dictionaries a WebRTC caller hands in: the peer connection's configuration
//! (`initialize`) and a data channel's options (`create_data_channel`), checked as
//! `docs/classes.md` §21 says. Nothing here touches the network.
#![forbid(unsafe_code)]

use std::net::IpAddr;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::variant::{Dictionary, Variant};

/// One entry of `iceServers`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IceServer {
    /// `stun:`, `stuns:`, `turn:` or `turns:` URLs.
    pub urls: Vec<String>,
    pub username: String,
    pub credential: String,
}

/// Default of `iceTimeout`: how long ICE and DTLS may take (and how long a DISCONNECTED connection
/// may stay so) before the connection is FAILED.
pub const ICE_TIMEOUT_DEFAULT: Duration = Duration::from_secs(15);

/// `iceTransportPolicy` (beyond the engine; the W3C RTCConfiguration key, also libdatachannel's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IceTransportPolicy {
    /// Host, server-reflexive and relayed candidates.
    #[default]
    All,
    /// Relayed (TURN) candidates only: the sockets' own addresses are neither offered nor used.
    Relay,
}

/// A checked configuration dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configuration {
    pub ice_servers: Vec<IceServer>,
    pub ice_transport_policy: IceTransportPolicy,
    /// Addresses to gather host candidates on (`bindAddresses`, beyond the engine); `None` means
    /// every address of every interface that is up, loopback and link-local IPv6 excluded.
    pub bind_addresses: Option<Vec<IpAddr>>,
    /// `iceTimeout` in milliseconds (beyond the engine).
    pub ice_timeout: Duration,
}

impl Default for Configuration {
    fn default() -> Self {
        Configuration {
            ice_servers: Vec::new(),
            ice_transport_policy: IceTransportPolicy::All,
            bind_addresses: None,
            ice_timeout: ICE_TIMEOUT_DEFAULT,
        }
    }
}

fn text(v: &Variant) -> Option<&str> {
    match v {
        Variant::String(s) | Variant::StringName(s) => Some(s),
        _ => None,
    }
}

/// The strings of a String, an Array of Strings or a PackedStringArray.
fn strings(v: &Variant) -> Result<Vec<String>> {
    match v {
        Variant::String(s) | Variant::StringName(s) => Ok(vec![s.to_string()]),
        Variant::PackedStringArray(a) => Ok(a.clone()),
        Variant::Array(a) => a
            .elements
            .iter()
            .map(|e| text(e).map(str::to_string).ok_or(Error::InvalidParameter))
            .collect(),
        _ => Err(Error::InvalidParameter),
    }
}

fn get<'a>(d: &'a Dictionary, key: &str) -> Option<&'a Variant> {
    d.get(&Variant::String(key.into()))
}

fn ice_server(v: &Variant) -> Result<IceServer> {
    let Variant::Dictionary(d) = v else {
        return Err(Error::InvalidParameter);
    };
    let urls = strings(get(d, "urls").ok_or(Error::InvalidParameter)?)?;
    if urls.is_empty() {
        return Err(Error::InvalidParameter);
    }
    for u in &urls {
        let scheme = u.split(':').next().unwrap_or("");
        let rest = &u[scheme.len()..];
        if !matches!(scheme, "stun" | "stuns" | "turn" | "turns") || rest.len() < 2 {
            return Err(Error::InvalidParameter);
        }
    }
    let opt = |k: &str| -> Result<String> {
        match get(d, k) {
            None => Ok(String::new()),
            Some(v) => text(v).map(str::to_string).ok_or(Error::InvalidParameter),
        }
    };
    Ok(IceServer {
        urls,
        username: opt("username")?,
        credential: opt("credential")?,
    })
}

/// Checks `initialize(configuration)`: Nil or a Dictionary. Known keys must have the documented
/// types; `libdatachannel` (webrtc-native's tuning keys) is accepted and ignored, other keys too
/// (as the engine does).
pub fn parse_configuration(v: &Variant) -> Result<Configuration> {
    let mut c = Configuration::default();
    let d = match v {
        Variant::Nil => return Ok(c),
        Variant::Dictionary(d) => d,
        _ => return Err(Error::InvalidParameter),
    };
    if let Some(s) = get(d, "iceServers") {
        let Variant::Array(a) = s else {
            return Err(Error::InvalidParameter);
        };
        c.ice_servers = a.elements.iter().map(ice_server).collect::<Result<_>>()?;
    }
    if let Some(b) = get(d, "bindAddresses") {
        let list = strings(b)?;
        let ips = list
            .iter()
            .map(|s| s.parse::<IpAddr>().map_err(|_| Error::InvalidParameter))
            .collect::<Result<Vec<_>>>()?;
        if ips.is_empty()
            || ips
                .iter()
                .any(|ip| ip.is_unspecified() || ip.is_multicast())
        {
            return Err(Error::InvalidParameter);
        }
        c.bind_addresses = Some(ips);
    }
    if let Some(p) = get(d, "iceTransportPolicy") {
        c.ice_transport_policy = match text(p) {
            Some("all") => IceTransportPolicy::All,
            Some("relay") => IceTransportPolicy::Relay,
            _ => return Err(Error::InvalidParameter),
        };
    }
    if let Some(t) = get(d, "iceTimeout") {
        match t {
            Variant::Int(ms) if (1..=600_000).contains(ms) => {
                c.ice_timeout = Duration::from_millis(*ms as u64)
            }
            _ => return Err(Error::InvalidParameter),
        }
    }
    Ok(c)
}

/// A checked options dictionary of `create_data_channel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelOptions {
    pub negotiated: bool,
    /// SCTP stream id (required with `negotiated`, refused without it).
    pub id: Option<u16>,
    pub max_retransmits: Option<u16>,
    pub max_packet_life_time: Option<u16>,
    pub ordered: bool,
    pub protocol: String,
}

impl Default for ChannelOptions {
    fn default() -> Self {
        ChannelOptions {
            negotiated: false,
            id: None,
            max_retransmits: None,
            max_packet_life_time: None,
            ordered: true,
            protocol: String::new(),
        }
    }
}

/// Highest SCTP stream id a channel may use (65535 is reserved by RFC 8831).
pub const MAX_STREAM_ID: i64 = 65534;

fn int_in(v: &Variant, max: i64) -> Result<u16> {
    match v {
        Variant::Int(n) if (0..=max).contains(n) => Ok(*n as u16),
        _ => Err(Error::InvalidParameter),
    }
}

fn boolean(v: &Variant) -> Result<bool> {
    match v {
        Variant::Bool(b) => Ok(*b),
        Variant::Int(n) => Ok(*n != 0),
        _ => Err(Error::InvalidParameter),
    }
}

/// Checks `create_data_channel`'s options (`docs/classes.md` §21): `negotiated` and `id` go
/// together; `maxRetransmits` and `maxPacketLifeTime` exclude each other; ints in 0..65535 (`id`
/// 0..65534); `ordered` and `negotiated` Bool (or Int); `protocol` a String. Unknown keys are
/// ignored, as the engine does (so the engine's misspelt `maxPacketLifetime` does nothing, §23).
pub fn parse_channel_options(v: &Variant) -> Result<ChannelOptions> {
    let mut o = ChannelOptions::default();
    let d = match v {
        Variant::Nil => return Ok(o),
        Variant::Dictionary(d) => d,
        _ => return Err(Error::InvalidParameter),
    };
    if let Some(v) = get(d, "negotiated") {
        o.negotiated = boolean(v)?;
    }
    if let Some(v) = get(d, "id") {
        o.id = Some(int_in(v, MAX_STREAM_ID)?);
    }
    if o.negotiated != o.id.is_some() {
        return Err(Error::InvalidParameter);
    }
    let rt = get(d, "maxRetransmits");
    let lt = get(d, "maxPacketLifeTime");
    if rt.is_some() && lt.is_some() {
        return Err(Error::InvalidParameter);
    }
    if let Some(v) = rt {
        o.max_retransmits = Some(int_in(v, 65535)?);
    }
    if let Some(v) = lt {
        o.max_packet_life_time = Some(int_in(v, 65535)?);
    }
    if let Some(v) = get(d, "ordered") {
        o.ordered = boolean(v)?;
    }
    if let Some(v) = get(d, "protocol") {
        o.protocol = text(v).ok_or(Error::InvalidParameter)?.to_string();
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(pairs: &[(&str, Variant)]) -> Variant {
        let mut d = Dictionary::new();
        for (k, v) in pairs {
            d.insert(Variant::String((*k).into()), v.clone());
        }
        Variant::Dictionary(Box::new(d))
    }

    #[test]
    fn channel_options_rules() {
        assert_eq!(
            parse_channel_options(&Variant::Nil).unwrap(),
            ChannelOptions::default()
        );
        let ok = parse_channel_options(&dict(&[
            ("negotiated", Variant::Bool(true)),
            ("id", Variant::Int(3)),
            ("maxRetransmits", Variant::Int(0)),
            ("ordered", Variant::Bool(false)),
            ("protocol", Variant::String("p".into())),
        ]))
        .unwrap();
        assert_eq!(ok.id, Some(3));
        assert_eq!(ok.max_retransmits, Some(0));
        assert!(!ok.ordered);
        for bad in [
            dict(&[("negotiated", Variant::Bool(true))]),
            dict(&[("id", Variant::Int(1))]),
            dict(&[
                ("maxRetransmits", Variant::Int(1)),
                ("maxPacketLifeTime", Variant::Int(1)),
            ]),
            dict(&[("maxRetransmits", Variant::Int(-1))]),
            dict(&[("maxPacketLifeTime", Variant::Int(65536))]),
            dict(&[
                ("negotiated", Variant::Bool(true)),
                ("id", Variant::Int(65535)),
            ]),
            dict(&[("ordered", Variant::String("x".into()))]),
            dict(&[("protocol", Variant::Int(1))]),
            Variant::Int(1),
        ] {
            assert_eq!(parse_channel_options(&bad), Err(Error::InvalidParameter));
        }
    }

    #[test]
    fn configuration_rules() {
        let server = dict(&[
            ("urls", Variant::String("stun:stun.example.org:3478".into())),
            ("username", Variant::String("u".into())),
        ]);
        let arr = Variant::Array(Box::new(crate::variant::Array {
            element_type: Default::default(),
            elements: vec![server],
        }));
        let c = parse_configuration(&dict(&[("iceServers", arr)])).unwrap();
        assert_eq!(c.ice_servers[0].username, "u");
        let no_urls = Variant::Array(Box::new(crate::variant::Array {
            element_type: Default::default(),
            elements: vec![dict(&[])],
        }));
        assert!(parse_configuration(&dict(&[("iceServers", no_urls)])).is_err());
        let bad_url = Variant::Array(Box::new(crate::variant::Array {
            element_type: Default::default(),
            elements: vec![dict(&[("urls", Variant::String("http://x".into()))])],
        }));
        assert!(parse_configuration(&dict(&[("iceServers", bad_url)])).is_err());
        let b = parse_configuration(&dict(&[(
            "bindAddresses",
            Variant::PackedStringArray(vec!["127.0.0.1".into()]),
        )]))
        .unwrap();
        assert_eq!(b.bind_addresses, Some(vec!["127.0.0.1".parse().unwrap()]));
        assert!(parse_configuration(&dict(&[(
            "bindAddresses",
            Variant::PackedStringArray(vec!["nope".into()])
        )]))
        .is_err());
        assert!(parse_configuration(&dict(&[("iceTimeout", Variant::Int(0))])).is_err());
        let relay = dict(&[("iceTransportPolicy", Variant::String("relay".into()))]);
        assert_eq!(
            parse_configuration(&relay).unwrap().ice_transport_policy,
            IceTransportPolicy::Relay
        );
        for bad in [Variant::String("host".into()), Variant::Int(1)] {
            assert!(parse_configuration(&dict(&[("iceTransportPolicy", bad)])).is_err());
        }
    }
}
