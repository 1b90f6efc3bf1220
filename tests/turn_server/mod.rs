//! A coturn (`turnserver`) process for the tests, on 127.0.0.1 with a user of the test's own
//! (tests/webrtc_turn.rs, tests/webrtc_interop.rs). Missing coturn fails the test with the reason.
#![allow(dead_code)]
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "pp-user";
pub const PASSWORD: &str = "pp-secret";

/// A coturn process on 127.0.0.1, stopped (by its pid) when dropped.
pub struct Coturn {
    child: Child,
    /// UDP (and TCP, when started with streams) address.
    pub addr: SocketAddr,
    /// The TLS port, when started with streams.
    pub tls_port: u16,
    dir: std::path::PathBuf,
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_udp_port(ip: &str) -> u16 {
    let s = UdpSocket::bind(format!("{ip}:0")).unwrap();
    s.local_addr().unwrap().port()
}

/// Whether something answers a STUN Binding request at `addr` (coturn does once it listens).
fn answers_binding(addr: SocketAddr) -> bool {
    let any = if addr.is_ipv6() {
        "[::1]:0"
    } else {
        "127.0.0.1:0"
    };
    let s = UdpSocket::bind(any).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let req = packetpeer::webrtc::stun::binding_request(&[9; 12]);
    if s.send_to(&req, addr).is_err() {
        return false;
    }
    let mut buf = [0u8; 512];
    matches!(s.recv_from(&mut buf), Ok((n, _)) if n >= 20 && buf[0..2] == [0x01, 0x01])
}

pub fn start_coturn() -> Coturn {
    start_coturn_on("127.0.0.1")
}

/// coturn listening and relaying on `ip` (`127.0.0.1` or `::1`).
pub fn start_coturn_on(ip: &str) -> Coturn {
    start_coturn_with(ip, &[])
}

/// coturn on `ip` with extra command-line options.
pub fn start_coturn_with(ip: &str, extra: &[&str]) -> Coturn {
    spawn_coturn(ip, None, extra)
}

/// coturn on `ip` also listening on TCP (same port as UDP) and TLS (`tls_port`) with the given PEM
/// certificate and key.
pub fn start_coturn_streams(ip: &str, cert: &std::path::Path, key: &std::path::Path) -> Coturn {
    spawn_coturn(ip, Some((cert, key)), &[])
}

fn free_tcp_port(ip: &str) -> u16 {
    let s = std::net::TcpListener::bind(format!("{ip}:0")).unwrap();
    s.local_addr().unwrap().port()
}

/// Whether a TCP connection to `addr` is accepted.
fn accepts_tcp(addr: SocketAddr) -> bool {
    std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

fn spawn_coturn(
    ip: &str,
    streams: Option<(&std::path::Path, &std::path::Path)>,
    extra: &[&str],
) -> Coturn {
    let bin = ["/usr/bin/turnserver", "/usr/sbin/turnserver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(str::to_string)
        .or_else(|| {
            let out = Command::new("sh")
                .args(["-c", "command -v turnserver"])
                .output()
                .ok()?;
            let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (!p.is_empty()).then_some(p)
        })
        .expect(
            "coturn's `turnserver` is not installed (scripts/deps.sh installs the Debian package coturn)",
        );
    let bind_ip = if ip.contains(':') { "[::1]" } else { ip };
    let port = free_udp_port(bind_ip);
    let tls_port = if streams.is_some() {
        free_tcp_port(bind_ip)
    } else {
        0
    };
    let dir = std::env::temp_dir().join(format!("pp-coturn-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = Command::new(&bin);
    cmd.arg("-n")
        .args(["--listening-ip", ip, "--relay-ip", ip])
        .args(["--listening-port", &port.to_string()])
        .args(["--lt-cred-mech", "--realm", "packetpeer.test"])
        .args(["--user", &format!("{USER}:{PASSWORD}")])
        // The peers are on loopback too; coturn refuses loopback peers unless told.
        .arg("--allow-loopback-peers")
        .args(["--no-cli", "--no-dtls"]);
    match streams {
        None => {
            cmd.args(["--no-tls", "--no-tcp"]);
        }
        Some((cert, key)) => {
            cmd.args(["--tls-listening-port", &tls_port.to_string()])
                .arg("--cert")
                .arg(cert)
                .arg("--pkey")
                .arg(key);
        }
    }
    let child = cmd
        .arg("--userdb")
        .arg(dir.join("turndb"))
        .arg("--pidfile")
        .arg(dir.join("turnserver.pid"))
        .args(["--log-file", "stdout", "--simple-log"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(if std::env::var_os("PP_COTURN_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {bin}: {e}"));
    let addr = SocketAddr::new(ip.parse().unwrap(), port);
    let mut c = Coturn {
        child,
        addr,
        tls_port,
        dir,
    };
    let start = Instant::now();
    let tls_addr = SocketAddr::new(addr.ip(), tls_port);
    while !answers_binding(addr)
        || (streams.is_some() && !(accepts_tcp(addr) && accepts_tcp(tls_addr)))
    {
        if let Ok(Some(st)) = c.child.try_wait() {
            panic!("turnserver exited at start: {st}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "turnserver did not answer on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    c
}
