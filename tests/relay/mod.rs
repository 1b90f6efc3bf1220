//! The seeded lossy, reordering, duplicating UDP relay that the fault tests put between two hosts
//! (plain ENet in enet_faults.rs, ENet over DTLS in enet_dtls.rs). Loopback only; it stops when told.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// xorshift64: reproducible from its seed.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Relays datagrams between the first source it hears from and `server`, losing 20%, duplicating 5%
/// and holding back 10% to deliver them after later ones. Runs until `stop`.
pub fn spawn_relay(
    server: SocketAddr,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> (SocketAddr, std::thread::JoinHandle<u64>) {
    spawn_relay_losing(server, seed, stop, 20)
}

/// [`spawn_relay`] losing `loss_percent` of the datagrams instead of 20%.
pub fn spawn_relay_losing(
    server: SocketAddr,
    seed: u64,
    stop: Arc<AtomicBool>,
    loss_percent: u64,
) -> (SocketAddr, std::thread::JoinHandle<u64>) {
    let sock = UdpSocket::bind(SocketAddr::new(LO, 0)).unwrap();
    // Bursts from both hosts must not overflow the relay's socket buffer: it loses what it decides
    // to lose, not more.
    socket2::SockRef::from(&sock)
        .set_recv_buffer_size(4 << 20)
        .unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    let addr = sock.local_addr().unwrap();
    let h = std::thread::spawn(move || {
        let mut rng = Rng(seed);
        let mut client: Option<SocketAddr> = None;
        let mut held: Vec<(SocketAddr, Vec<u8>)> = Vec::new();
        let mut buf = [0u8; 4096];
        let mut relayed = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                for (to, d) in held.drain(..) {
                    let _ = sock.send_to(&d, to);
                }
                continue;
            };
            let to = if from == server {
                match client {
                    Some(c) => c,
                    None => continue,
                }
            } else {
                client = Some(from);
                server
            };
            relayed += 1;
            if rng.chance(loss_percent) {
                continue;
            }
            let d = buf[..n].to_vec();
            if rng.chance(10) {
                held.push((to, d));
                continue;
            }
            let _ = sock.send_to(&d, to);
            if rng.chance(5) {
                let _ = sock.send_to(&d, to);
            }
            if !held.is_empty() && rng.chance(30) {
                let i = (rng.next() % held.len() as u64) as usize;
                let (t, d) = held.swap_remove(i);
                let _ = sock.send_to(&d, t);
            }
        }
        relayed
    });
    (addr, h)
}
