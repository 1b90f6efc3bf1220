//! Godot's `IPAddress` rules: literals, the `"*"` wildcard, name resolution, and the text form
//! (`docs/classes.md` §0.2): dotted IPv4 for IPv4 and IPv4-mapped addresses, and for real IPv6 eight
//! lowercase hex groups without zero compression or leading zeros.
#![forbid(unsafe_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6, ToSocketAddrs};

use crate::error::{Error, Result};

/// A bind address: the `"*"` wildcard (dual-stack) or one concrete address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindAddress {
    Wildcard,
    Ip(IpAddr),
}

/// The address family a socket was opened with. `Any` is an IPv6 socket with IPV6_V6ONLY off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
    Any,
}

/// An IPv4-mapped IPv6 address becomes plain IPv4 (the engine treats both as IPv4).
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

/// [`canonical`] for a socket address. A real IPv6 address is returned untouched, scope id and flow
/// label included: a link-local peer is only reachable (and only recognised again) with its scope.
pub fn canonical_socket(addr: SocketAddr) -> SocketAddr {
    match canonical(addr.ip()) {
        IpAddr::V4(v4) => SocketAddr::new(IpAddr::V4(v4), addr.port()),
        IpAddr::V6(_) => addr,
    }
}

/// The 16-byte form the engine stores (IPv4 as `::ffff:a.b.c.d`).
pub fn to_bytes16(ip: IpAddr) -> [u8; 16] {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    }
}

/// Back from the 16-byte form.
pub fn from_bytes16(b: [u8; 16]) -> IpAddr {
    canonical(IpAddr::V6(Ipv6Addr::from(b)))
}

/// An IP literal (no name resolution). Brackets are not accepted, like the engine.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok().map(canonical)
}

/// A bind address: `"*"` or an IP literal; anything else is `ERR_INVALID_PARAMETER`.
pub fn parse_bind(s: &str) -> Result<BindAddress> {
    if s == "*" {
        return Ok(BindAddress::Wildcard);
    }
    parse_ip(s)
        .map(BindAddress::Ip)
        .ok_or(Error::InvalidParameter)
}

/// A host: an IP literal, or a name resolved (blocking) to its first address of any family.
/// Failure is `ERR_CANT_RESOLVE`.
pub fn resolve(host: &str) -> Result<IpAddr> {
    if let Some(ip) = parse_ip(host) {
        return Ok(ip);
    }
    if host.is_empty() || host == "*" {
        return Err(Error::CantResolve);
    }
    let mut it = (host, 0u16)
        .to_socket_addrs()
        .map_err(|_| Error::CantResolve)?;
    it.next()
        .map(|a| canonical(a.ip()))
        .ok_or(Error::CantResolve)
}

/// Godot's text form of an address.
pub fn ip_to_string(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!(
                "{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
                s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
            )
        }
    }
}

/// The family a socket needs for this address.
pub fn family_of(ip: IpAddr) -> Family {
    match canonical(ip) {
        IpAddr::V4(_) => Family::V4,
        IpAddr::V6(_) => Family::V6,
    }
}

/// The socket address to give the OS for `ip:port` on a socket of `family`: IPv4 on an IPv4
/// socket, IPv6 (IPv4-mapped for IPv4) on IPv6 and dual-stack sockets. An IPv6 destination on an
/// IPv4 socket, or IPv4 on an IPv6-only socket, cannot be reached: `FAILED`.
pub fn sockaddr_for(family: Family, ip: IpAddr, port: u16) -> Result<SocketAddr> {
    match (family, canonical(ip)) {
        (Family::V4, IpAddr::V4(v4)) => Ok(SocketAddr::V4(SocketAddrV4::new(v4, port))),
        (Family::V4, IpAddr::V6(_)) => Err(Error::Failed),
        (Family::V6, IpAddr::V4(_)) => Err(Error::Failed),
        (Family::V6 | Family::Any, IpAddr::V6(v6)) => {
            Ok(SocketAddr::V6(SocketAddrV6::new(v6, port, 0, 0)))
        }
        (Family::Any, IpAddr::V4(v4)) => Ok(SocketAddr::V6(SocketAddrV6::new(
            v4.to_ipv6_mapped(),
            port,
            0,
            0,
        ))),
    }
}

/// The local address to bind for `addr:port` on a socket of `family`.
pub fn bind_sockaddr(family: Family, addr: BindAddress, port: u16) -> Result<SocketAddr> {
    match addr {
        BindAddress::Wildcard => Ok(match family {
            Family::V4 => SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)),
            _ => SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, port, 0, 0)),
        }),
        BindAddress::Ip(ip) => sockaddr_for(family, ip, port).map_err(|_| Error::InvalidParameter),
    }
}

/// The family to open for a bind address (`"*"` → dual stack).
pub fn family_for_bind(addr: BindAddress) -> Family {
    match addr {
        BindAddress::Wildcard => Family::Any,
        BindAddress::Ip(ip) => family_of(ip),
    }
}

/// Checks a port given as a script `int`.
pub fn port_in_range(port: i32, min: i32) -> Result<u16> {
    if port < min || port > 65535 {
        Err(Error::InvalidParameter)
    } else {
        Ok(port as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms() {
        assert_eq!(ip_to_string(parse_ip("::1").unwrap()), "0:0:0:0:0:0:0:1");
        assert_eq!(
            ip_to_string(parse_ip("::ffff:10.0.0.1").unwrap()),
            "10.0.0.1"
        );
        assert_eq!(
            ip_to_string(parse_ip("FE80::0AB:1").unwrap()),
            "fe80:0:0:0:0:0:ab:1"
        );
        assert_eq!(ip_to_string(parse_ip("127.0.0.1").unwrap()), "127.0.0.1");
        assert_eq!(
            from_bytes16(to_bytes16(parse_ip("1.2.3.4").unwrap())),
            parse_ip("1.2.3.4").unwrap()
        );
    }

    #[test]
    fn addresses_print_like_godot() {
        assert_eq!(ip_to_string("127.0.0.1".parse().unwrap()), "127.0.0.1");
        assert_eq!(ip_to_string("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1");
        assert_eq!(ip_to_string("::1".parse().unwrap()), "0:0:0:0:0:0:0:1");
        assert_eq!(
            ip_to_string("fe80::1:abcd".parse().unwrap()),
            "fe80:0:0:0:0:0:1:abcd"
        );
    }

    #[test]
    fn socket_addresses_lose_only_the_ipv4_mapping() {
        let mapped: SocketAddr = "[::ffff:10.0.0.1]:7".parse().unwrap();
        assert_eq!(canonical_socket(mapped), "10.0.0.1:7".parse().unwrap());
        let v4: SocketAddr = "10.0.0.1:7".parse().unwrap();
        assert_eq!(canonical_socket(v4), v4);
        let scoped = SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 7, 3, 2));
        assert_eq!(canonical_socket(scoped), scoped);
    }

    #[test]
    fn literals_and_names() {
        assert!(parse_ip("localhost").is_none());
        assert!(parse_ip("[::1]").is_none());
        assert_eq!(parse_bind("*").unwrap(), BindAddress::Wildcard);
        assert_eq!(parse_bind("nope"), Err(Error::InvalidParameter));
        let lo = resolve("localhost").unwrap();
        assert!(lo.is_loopback());
        assert_eq!(resolve(""), Err(Error::CantResolve));
        assert_eq!(port_in_range(65536, 0), Err(Error::InvalidParameter));
        assert_eq!(port_in_range(0, 1), Err(Error::InvalidParameter));
        assert_eq!(port_in_range(0, 0), Ok(0));
    }
}
