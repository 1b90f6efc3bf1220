//! The WebSocket opening handshake (`docs/classes.md` §19.1): the client request and server response
//! written byte for byte like the engine (header names, order, CRLF), and both sides' validation rules.
//! Pure functions over byte slices, so the fuzz target can drive them.
#![forbid(unsafe_code)]

/// Largest handshake head (request or response, up to and including the blank line) either side accepts.
pub const MAX_HEAD: usize = 4096;

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// SHA-1 (FIPS 180-4). Only used for `Sec-WebSocket-Accept`, where RFC 6455 prescribes it.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// `Sec-WebSocket-Accept` for a key: base64(SHA-1(key + GUID)).
pub fn accept_key(key: &str) -> String {
    let mut k = key.as_bytes().to_vec();
    k.extend_from_slice(GUID.as_bytes());
    base64(&sha1(&k))
}

/// A parsed `ws://` / `wss://` URL, following the engine's `String::parse_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsUrl {
    pub tls: bool,
    /// Lower-cased; IPv6 literals without brackets.
    pub host: String,
    pub port: u16,
    /// Starts with `/`; includes any query string; fragment dropped.
    pub path: String,
}

/// Parses a WebSocket URL like the engine: missing scheme = `ws://`; schemes other than `ws`/`wss`,
/// an empty host, an unclosed `[`, an unbracketed IPv6 address, or a port that is not an integer in
/// 1..65535 are `None` (the caller's `ERR_INVALID_PARAMETER`). Credentials are stripped.
pub fn parse_url(url: &str) -> Option<WsUrl> {
    let (tls, mut base) = match url.find("://") {
        Some(p) => match url[..p].to_ascii_lowercase().as_str() {
            "ws" => (false, &url[p + 3..]),
            "wss" => (true, &url[p + 3..]),
            _ => return None,
        },
        None => (false, url),
    };
    if let Some(p) = base.find('#') {
        base = &base[..p];
    }
    let mut path = "/";
    if let Some(p) = base.find('/') {
        path = &base[p..];
        base = &base[..p];
    }
    if let Some(p) = base.rfind('@') {
        base = &base[p + 1..];
    }
    let (host, rest) = if let Some(b) = base.strip_prefix('[') {
        let p = b.rfind(']')?;
        (&b[..p], &b[p + 1..])
    } else {
        if base.matches(':').count() > 1 {
            return None;
        }
        match base.rfind(':') {
            Some(p) => (&base[..p], &base[p..]),
            None => (base, ""),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = if let Some(p) = rest.strip_prefix(':') {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 5 {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if !(1..=65535).contains(&n) {
            return None;
        }
        n as u16
    } else if rest.is_empty() {
        if tls {
            443
        } else {
            80
        }
    } else {
        return None;
    };
    Some(WsUrl {
        tls,
        host: host.to_ascii_lowercase(),
        port,
        path: path.to_string(),
    })
}

/// The client request, exactly as the engine writes it (§19.1).
pub fn client_request(url: &WsUrl, key: &str, protocols: &[String], headers: &[String]) -> Vec<u8> {
    let mut r = format!("GET {} HTTP/1.1\r\nHost: {}", url.path, url.host);
    let default_port = if url.tls { 443 } else { 80 };
    if url.port != default_port {
        r.push_str(&format!(":{}", url.port));
    }
    r.push_str("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
    r.push_str(key);
    r.push_str("\r\nSec-WebSocket-Version: 13\r\n");
    if !protocols.is_empty() {
        r.push_str("Sec-WebSocket-Protocol: ");
        r.push_str(&protocols.join(","));
        r.push_str("\r\n");
    }
    for h in headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str("\r\n");
    r.into_bytes()
}

/// The server's 101 response, exactly as the engine writes it (§19.1).
pub fn server_response(key: &str, protocol: Option<&str>, headers: &[String]) -> Vec<u8> {
    let mut r = String::from(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ",
    );
    r.push_str(&accept_key(key));
    r.push_str("\r\n");
    if let Some(p) = protocol {
        r.push_str("Sec-WebSocket-Protocol: ");
        r.push_str(p);
        r.push_str("\r\n");
    }
    for h in headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str("\r\n");
    r.into_bytes()
}

/// Position just past the first CRLFCRLF in `buf`, if any.
pub fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// A parsed head: the first line's space-separated tokens and the headers (names lower-cased,
/// repeated headers joined with `,`, values trimmed), in order of first appearance.
#[derive(Debug, Default)]
pub struct Head {
    pub first: Vec<String>,
    pub headers: Vec<(String, String)>,
}

impl Head {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a head (without or with its trailing blank line) like the engine: UTF-8, at least 4
/// non-empty lines, every header line `name: value`.
pub fn parse_head(head: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(head).ok()?;
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    if lines.len() < 4 {
        return None;
    }
    let mut h = Head {
        first: lines[0]
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        headers: Vec::new(),
    };
    for l in &lines[1..] {
        let (n, v) = l.split_once(':')?;
        let n = n.trim().to_ascii_lowercase();
        let v = v.trim();
        if n.is_empty() {
            return None;
        }
        match h.headers.iter_mut().find(|(k, _)| *k == n) {
            Some((_, old)) => {
                old.push(',');
                old.push_str(v);
            }
            None => h.headers.push((n, v.to_string())),
        }
    }
    Some(h)
}

/// Client validation of the server's response (§19.1). Returns the selected protocol (empty if
/// none), or `None` when the response is refused.
pub fn check_response(head: &[u8], key: &str, protocols: &[String]) -> Option<String> {
    let h = parse_head(head)?;
    if h.first.len() < 2 || h.first[0] != "HTTP/1.1" || h.first[1] != "101" {
        return None;
    }
    if !h.get("connection")?.eq_ignore_ascii_case("upgrade") {
        return None;
    }
    if !h.get("upgrade")?.eq_ignore_ascii_case("websocket") {
        return None;
    }
    if h.get("sec-websocket-accept")? != accept_key(key) {
        return None;
    }
    match h.get("sec-websocket-protocol") {
        None if protocols.is_empty() => Some(String::new()),
        Some(p) if protocols.iter().any(|x| x == p) => Some(p.to_string()),
        _ => None,
    }
}

/// What the server learned from an accepted request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: String,
    pub host: String,
    pub key: String,
    /// The selected sub-protocol, if any.
    pub protocol: Option<String>,
}

/// Server validation of a client's request (§19.1). `None` = rejected (the caller closes the TCP
/// connection without an HTTP response, like the engine).
pub fn check_request(head: &[u8], supported: &[String]) -> Option<Request> {
    let h = parse_head(head)?;
    if h.first.len() < 3 || h.first[0] != "GET" || h.first[2] != "HTTP/1.1" {
        return None;
    }
    if !h.get("upgrade")?.eq_ignore_ascii_case("websocket") {
        return None;
    }
    if h.get("sec-websocket-version")? != "13" {
        return None;
    }
    let key = h.get("sec-websocket-key")?.to_string();
    h.get("connection")?;
    let offered: Vec<&str> = h
        .get("sec-websocket-protocol")
        .map(|p| {
            p.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let protocol = if offered.is_empty() {
        if !supported.is_empty() {
            return None;
        }
        None
    } else {
        Some(
            offered
                .iter()
                .find(|o| supported.iter().any(|s| s == *o))?
                .to_string(),
        )
    };
    Some(Request {
        path: h.first[1].clone(),
        host: h.get("host").unwrap_or("").to_string(),
        key,
        protocol,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_and_accept() {
        assert_eq!(base64(&sha1(b"abc")), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
        assert_eq!(base64(&sha1(b"")), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
        // RFC 6455 §1.3.
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
    }

    #[test]
    fn urls() {
        let u = parse_url("ws://User:pw@Example.COM:8080/a/b?x=1#frag").unwrap();
        assert_eq!(
            (u.tls, u.host.as_str(), u.port, u.path.as_str()),
            (false, "example.com", 8080, "/a/b?x=1")
        );
        let u = parse_url("wss://[::1]/").unwrap();
        assert_eq!((u.tls, u.host.as_str(), u.port), (true, "::1", 443));
        let u = parse_url("127.0.0.1").unwrap();
        assert_eq!((u.port, u.path.as_str()), (80, "/"));
        for bad in [
            "",
            "http://a",
            "ws://[::1",
            "ws://a:70000",
            "ws://a:0",
            "ws://::1",
            "ws://",
            "ws://a:x",
            "ws://:80",
        ] {
            assert!(parse_url(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn request_bytes_and_checks() {
        let u = parse_url("ws://127.0.0.1:9000/chat").unwrap();
        let req = client_request(&u, "KEY", &["a".into(), "b".into()], &["X-A: 1".into()]);
        assert_eq!(
            std::str::from_utf8(&req).unwrap(),
            "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: KEY\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a,b\r\nX-A: 1\r\n\r\n"
        );
        let r = check_request(&req, &["b".into(), "a".into()]).unwrap();
        assert_eq!(r.protocol.as_deref(), Some("a"));
        assert!(check_request(&req, &["c".into()]).is_none());
        assert!(check_request(&req, &[]).is_none());
        let resp = server_response("KEY", Some("a"), &[]);
        assert_eq!(
            check_response(&resp, "KEY", &["a".into(), "b".into()]).as_deref(),
            Some("a")
        );
        assert!(check_response(&resp, "KEY", &[]).is_none());
        assert!(check_response(&resp, "OTHER", &["a".into()]).is_none());
        let ka = b"HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade, keep-alive\r\nSec-WebSocket-Accept: x\r\n\r\n";
        assert!(check_response(ka, "KEY", &[]).is_none());
    }
}
