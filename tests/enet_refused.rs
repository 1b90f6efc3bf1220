//! "Why did it fail" for ENet: a client pointed at a closed port is told "refused" at once (the
//! OS's ICMP port unreachable, read from the socket's error queue on Linux) instead of turning
//! DISCONNECTED after ENet's 31.5 s timeout; the cause and the reason in words reach
//! ENetConnection's peer and ENetMultiplayerPeer. Loopback only, bounded loops.

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use packetpeer::enet::connection::{ConnectFailure, ENetConnection, EventType};
use packetpeer::enet::multiplayer::ENetMultiplayerPeer;
use packetpeer::multiplayer::{ConnectionStatus, MultiplayerEvent, MultiplayerPeer};

/// A port on `ip` where nothing listens: bound once by the OS's choice, then released.
fn closed_port(ip: &str) -> u16 {
    let s = UdpSocket::bind((ip, 0)).expect("bind a probe socket");
    s.local_addr().unwrap().port()
}

/// Well under ENet's default 31.5 s (and under the 5 s minimum ENet waits before giving up).
const REFUSED_WITHIN: Duration = Duration::from_secs(3);

#[test]
fn enet_connection_client_to_a_closed_port_is_refused_quickly() {
    for (bind, ip) in [
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::1"),
        ("*", "127.0.0.1"),
    ] {
        let port = closed_port(ip);
        let mut c = ENetConnection::new();
        if bind == "*" {
            c.create_host(1, 0, 0, 0).unwrap();
        } else {
            c.create_host_bound(bind, 0, 1, 0, 0, 0).unwrap();
        }
        let peer = c.connect_to_host(ip, port as i32, 0, 0).unwrap();
        let start = Instant::now();
        let mut got = None;
        for _ in 0..300 {
            let ev = c.service(10);
            match ev.kind {
                EventType::None => {}
                EventType::Disconnect => {
                    got = Some(ev);
                    break;
                }
                other => panic!("{bind}: unexpected event {other:?}"),
            }
            if start.elapsed() > REFUSED_WITHIN {
                break;
            }
        }
        let ev =
            got.unwrap_or_else(|| panic!("{bind} -> {ip}:{port}: no DISCONNECT within bounds"));
        assert!(
            start.elapsed() < REFUSED_WITHIN,
            "{bind}: took {:?}",
            start.elapsed()
        );
        assert_eq!(ev.data, 0);
        let p = ev.peer.expect("the event names the peer");
        assert!(std::sync::Arc::ptr_eq(&p, &peer));
        let p = p.lock_no_callout();
        assert_eq!(p.connect_failure(), Some(ConnectFailure::Refused), "{bind}");
        let why = p.get_last_error_text().to_string();
        assert!(
            why.contains("refused") && why.contains(&port.to_string()),
            "{why}"
        );
        drop(p);
        assert_eq!(c.get_last_error_text(), why);
        // Nothing more comes for it, and a new connection may start.
        assert_eq!(c.service(0).kind, EventType::None);
        assert!(c.connect_to_host(ip, port as i32, 0, 0).is_some());
    }
}

#[test]
fn enet_multiplayer_client_to_a_closed_port_gets_connect_refused() {
    for ip in ["127.0.0.1", "::1"] {
        let port = closed_port(ip);
        let mut mp = ENetMultiplayerPeer::new();
        mp.create_client(ip, port as i32, 0, 0, 0, 0).unwrap();
        assert_eq!(mp.get_last_error_text(), "");
        let start = Instant::now();
        while mp.get_connection_status().unwrap() != ConnectionStatus::Disconnected
            && start.elapsed() < REFUSED_WITHIN
        {
            let _ = mp.poll();
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            mp.get_connection_status().unwrap(),
            ConnectionStatus::Disconnected,
            "{ip}: still connecting after {:?}",
            start.elapsed()
        );
        let events: Vec<_> = std::iter::from_fn(|| mp.pop_event()).collect();
        assert_eq!(events, vec![MultiplayerEvent::ConnectRefused(1)], "{ip}");
        assert!(
            mp.get_last_error_text().contains("refused"),
            "{}",
            mp.get_last_error_text()
        );
    }
}

#[test]
fn a_silent_port_still_times_out_and_says_so() {
    // A bound socket that never answers: no ICMP, so the attempt ends by ENet's timeout.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let mut c = ENetConnection::new();
    c.create_host_bound("127.0.0.1", 0, 1, 0, 0, 0).unwrap();
    let peer = c.connect_to_host("127.0.0.1", port as i32, 0, 0).unwrap();
    peer.lock_no_callout().set_timeout(32, 100, 300).unwrap();
    let start = Instant::now();
    let mut kind = EventType::None;
    while kind == EventType::None && start.elapsed() < Duration::from_secs(10) {
        kind = c.service(10).kind;
    }
    assert_eq!(kind, EventType::Disconnect);
    let p = peer.lock_no_callout();
    assert_eq!(p.connect_failure(), Some(ConnectFailure::TimedOut));
    assert!(
        p.get_last_error_text().contains("timed out"),
        "{}",
        p.get_last_error_text()
    );
}

#[test]
fn bind_failure_says_why() {
    let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut c = ENetConnection::new();
    assert!(c
        .create_host_bound("127.0.0.1", port as i32, 1, 0, 0, 0)
        .is_err());
    let why = c.get_last_error_text();
    assert!(
        why.contains("bind") && why.contains(&port.to_string()),
        "{why}"
    );
    let mut mp = ENetMultiplayerPeer::new();
    mp.set_bind_ip("127.0.0.1").unwrap();
    assert!(mp.create_server(port as i32, 4, 0, 0, 0).is_err());
    assert!(
        mp.get_last_error_text().contains("bind"),
        "{}",
        mp.get_last_error_text()
    );
}

/// With `set_fail_connect_on_refused(false)` the client keeps retrying as the engine does: no
/// DISCONNECT while nothing listens, and a server started afterwards on that port accepts it.
#[test]
fn enet_client_started_before_its_server_connects_late_when_asked() {
    for ip in ["127.0.0.1", "::1"] {
        let port = closed_port(ip);
        let mut c = ENetConnection::new();
        c.create_host_bound(ip, 0, 1, 0, 0, 0).unwrap();
        assert!(c.is_fail_connect_on_refused());
        c.set_fail_connect_on_refused(false);
        assert!(!c.is_fail_connect_on_refused());
        let peer = c.connect_to_host(ip, port as i32, 0, 0).unwrap();
        // Longer than a refusal takes to arrive (see the test above) and than ENet's first resend.
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(1500) {
            let ev = c.service(10);
            assert_eq!(
                ev.kind,
                EventType::None,
                "{ip}: nothing may end the attempt"
            );
        }
        assert_eq!(peer.lock_no_callout().connect_failure(), None);
        let mut s = ENetConnection::new();
        s.create_host_bound(ip, port as i32, 1, 0, 0, 0).unwrap();
        let mut connected = (false, false);
        let start = Instant::now();
        while !(connected.0 && connected.1) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{ip}: no late connect ({connected:?})"
            );
            if c.service(5).kind == EventType::Connect {
                connected.0 = true;
            }
            if s.service(5).kind == EventType::Connect {
                connected.1 = true;
            }
        }
    }
}
