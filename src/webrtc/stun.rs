//! Server-reflexive candidate gathering: STUN Binding requests (RFC 8489, no authentication) from
//! each of our sockets to each configured `stun:` server, answered by the address the server saw
//! (XOR-MAPPED-ADDRESS). Only what gathering needs: requests out, success responses in; everything
//! else on the sockets belongs to str0m.
#![forbid(unsafe_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

const MAGIC: u32 = 0x2112_A442;
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
const ATTR_MAPPED_ADDRESS: u16 = 0x0001;
const ATTR_XOR_MAPPED_ADDRESS: u16 = 0x0020;
/// First retransmission timeout (RFC 8489's default RTO), doubled on each retry.
const RTO: Duration = Duration::from_millis(500);
/// Requests per server and socket before gathering gives up on it (sent at 0, 0.5, 1.5, 3.5 s).
const TRIES: u32 = 4;
/// How long after the last try a response is still awaited.
const LAST_WAIT: Duration = Duration::from_millis(1500);

/// Where a `stun:` / `stuns:` URL points: `stun:host[:port]` (default port 3478), IPv6 in brackets.
/// `None` for other schemes (TURN is not supported yet) and for URLs that do not parse.
pub fn stun_host_port(url: &str) -> Option<(String, u16)> {
    let rest = url
        .strip_prefix("stun:")
        .or_else(|| url.strip_prefix("stuns:"))?;
    let rest = rest.split('?').next()?;
    if let Some(v6) = rest.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => 3478,
            None => return None,
        };
        return Some((host.to_string(), port));
    }
    match rest.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), p.parse().ok()?)),
        None => Some((rest.to_string(), 3478)),
    }
    .filter(|(h, p)| !h.is_empty() && *p != 0)
}

/// Resolves a STUN server (a numeric host never waits; a name blocks up to the system resolver's
/// timeout, as `connect_to_url` does elsewhere in the library).
pub fn resolve(host: &str, port: u16) -> Vec<SocketAddr> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return vec![SocketAddr::new(ip, port)];
    }
    (host, port)
        .to_socket_addrs()
        .map(|a| a.collect())
        .unwrap_or_default()
}

/// A Binding request with this transaction id.
pub fn binding_request(tid: &[u8; 12]) -> [u8; 20] {
    let mut m = [0u8; 20];
    m[0..2].copy_from_slice(&BINDING_REQUEST.to_be_bytes());
    // length 0
    m[4..8].copy_from_slice(&MAGIC.to_be_bytes());
    m[8..20].copy_from_slice(tid);
    m
}

/// If `d` is a Binding success response: its transaction id and the mapped address.
pub fn parse_binding_success(d: &[u8]) -> Option<([u8; 12], SocketAddr)> {
    if d.len() < 20 || u16::from_be_bytes([d[0], d[1]]) != BINDING_SUCCESS {
        return None;
    }
    if u32::from_be_bytes([d[4], d[5], d[6], d[7]]) != MAGIC {
        return None;
    }
    let len = u16::from_be_bytes([d[2], d[3]]) as usize;
    let body = d.get(20..20 + len)?;
    let mut tid = [0u8; 12];
    tid.copy_from_slice(&d[8..20]);
    let mut plain = None;
    let mut i = 0;
    while i + 4 <= body.len() {
        let t = u16::from_be_bytes([body[i], body[i + 1]]);
        let l = u16::from_be_bytes([body[i + 2], body[i + 3]]) as usize;
        let v = body.get(i + 4..i + 4 + l)?;
        if t == ATTR_XOR_MAPPED_ADDRESS {
            if let Some(a) = address(v, true, &tid) {
                return Some((tid, a));
            }
        } else if t == ATTR_MAPPED_ADDRESS {
            plain = address(v, false, &tid);
        }
        i += 4 + l.div_ceil(4) * 4;
    }
    plain.map(|a| (tid, a))
}

fn address(v: &[u8], xor: bool, tid: &[u8; 12]) -> Option<SocketAddr> {
    if v.len() < 8 {
        return None;
    }
    let mut port = u16::from_be_bytes([v[2], v[3]]);
    let cookie = MAGIC.to_be_bytes();
    if xor {
        port ^= (MAGIC >> 16) as u16;
    }
    match v[1] {
        0x01 => {
            let mut a = [v[4], v[5], v[6], v[7]];
            if xor {
                for (b, c) in a.iter_mut().zip(cookie) {
                    *b ^= c;
                }
            }
            Some(SocketAddr::new(IpAddr::V4(Ipv4Addr::from(a)), port))
        }
        0x02 if v.len() >= 20 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(&v[4..20]);
            if xor {
                let key: Vec<u8> = cookie.iter().chain(tid.iter()).copied().collect();
                for (b, c) in a.iter_mut().zip(key) {
                    *b ^= c;
                }
            }
            Some(SocketAddr::new(IpAddr::V6(Ipv6Addr::from(a)), port))
        }
        _ => None,
    }
}

/// One outstanding Binding transaction: from our socket `sock` to `server`.
#[derive(Debug)]
pub struct Transaction {
    pub tid: [u8; 12],
    pub sock: usize,
    pub server: SocketAddr,
    pub tries: u32,
    pub next: Instant,
    pub done: bool,
}

impl Transaction {
    pub fn new(tid: [u8; 12], sock: usize, server: SocketAddr, now: Instant) -> Transaction {
        Transaction {
            tid,
            sock,
            server,
            tries: 0,
            next: now,
            done: false,
        }
    }

    /// Whether a (re)transmission is due now; schedules the next one. After the last try the
    /// transaction ends once `LAST_WAIT` has passed.
    pub fn due(&mut self, now: Instant) -> bool {
        if self.done || now < self.next {
            return false;
        }
        if self.tries >= TRIES {
            self.done = true;
            return false;
        }
        self.tries += 1;
        self.next = now
            + if self.tries >= TRIES {
                LAST_WAIT
            } else {
                RTO * (1 << (self.tries - 1))
            };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            stun_host_port("stun:stun.example.org"),
            Some(("stun.example.org".into(), 3478))
        );
        assert_eq!(
            stun_host_port("stun:127.0.0.1:5000"),
            Some(("127.0.0.1".into(), 5000))
        );
        assert_eq!(stun_host_port("stun:[::1]:7"), Some(("::1".into(), 7)));
        assert_eq!(stun_host_port("stun:[::1]"), Some(("::1".into(), 3478)));
        assert_eq!(stun_host_port("turn:x:1"), None);
        assert_eq!(stun_host_port("stun::1"), None);
        assert_eq!(stun_host_port("stun:x:0"), None);
    }

    #[test]
    fn response_round_trip() {
        let tid = [7u8; 12];
        let req = binding_request(&tid);
        assert_eq!(&req[8..], &tid);
        // A success response with XOR-MAPPED-ADDRESS 192.0.2.1:32853 (RFC 5769-style encoding).
        let addr: SocketAddr = "192.0.2.1:32853".parse().unwrap();
        let mut body = vec![0x00, 0x20, 0x00, 0x08, 0x00, 0x01];
        body.extend_from_slice(&(32853u16 ^ 0x2112).to_be_bytes());
        let ip = [192u8, 0, 2, 1];
        let c = MAGIC.to_be_bytes();
        body.extend((0..4).map(|i| ip[i] ^ c[i]));
        let mut m = vec![0x01, 0x01];
        m.extend_from_slice(&(body.len() as u16).to_be_bytes());
        m.extend_from_slice(&MAGIC.to_be_bytes());
        m.extend_from_slice(&tid);
        m.extend_from_slice(&body);
        assert_eq!(parse_binding_success(&m), Some((tid, addr)));
        assert_eq!(parse_binding_success(&m[..m.len() - 1]), None);
        assert_eq!(parse_binding_success(&req), None);
    }

    #[test]
    fn retransmission_schedule_is_bounded() {
        let t0 = Instant::now();
        let mut t = Transaction::new([0; 12], 0, "127.0.0.1:1".parse().unwrap(), t0);
        let mut sent = 0;
        let mut now = t0;
        while !t.done {
            if t.due(now) {
                sent += 1;
            }
            now += Duration::from_millis(100);
            assert!(now < t0 + Duration::from_secs(10));
        }
        assert_eq!(sent, TRIES);
    }
}
