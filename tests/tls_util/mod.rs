//! Helpers of the TLS/DTLS tests: certificates made with the library's own Crypto helpers, real
//! peers (`openssl s_server` / `s_client`, Python's `ssl`) run as child processes that are killed by
//! pid when the test ends, and bounded waits.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use packetpeer::tls::{generate_rsa, generate_self_signed_certificate, CryptoKey, X509Certificate};

/// Bound on every wait: generous for a loaded 2-core machine; only a failing test waits that long.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Fails the test (never skips) when a tool it needs is missing.
pub fn need(tool: &str) {
    let ok = Command::new(tool)
        .arg(if tool == "openssl" {
            "version"
        } else {
            "--version"
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "this test needs `{tool}` (scripts/deps.sh installs it: openssl, python3)"
    );
}

/// A fresh directory for one test's files.
pub fn temp_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "pp-tls-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

pub struct Cert {
    pub key: CryptoKey,
    pub cert: X509Certificate,
    pub key_path: PathBuf,
    pub cert_path: PathBuf,
}

/// A self-signed certificate for `cn` (RSA 2048, or ECDSA P-256 when `ec`), written to `dir`.
pub fn make_cert(dir: &std::path::Path, name: &str, cn: &str, ec: bool) -> Cert {
    let key = if ec {
        let g = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
        CryptoKey::Private(PKey::from_ec_key(EcKey::generate(&g).unwrap()).unwrap())
    } else {
        generate_rsa(2048).unwrap()
    };
    let cert = generate_self_signed_certificate(
        &key,
        &format!("CN={cn},O=packetpeer tests,C=IT"),
        "20200101000000",
        "20400101000000",
    )
    .unwrap();
    let key_path = dir.join(format!("{name}.key.pem"));
    let cert_path = dir.join(format!("{name}.cert.pem"));
    std::fs::write(&key_path, key.to_pem(false).unwrap()).unwrap();
    std::fs::write(&cert_path, cert.to_pem().unwrap()).unwrap();
    Cert {
        key,
        cert,
        key_path,
        cert_path,
    }
}

/// A child process whose stdout and stderr lines arrive on channels; killed (by its pid) on drop.
pub struct Proc {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    out: Receiver<String>,
    err: Receiver<String>,
    pub out_seen: Vec<String>,
    pub err_seen: Vec<String>,
}

fn lines_of<R: Read + Send + 'static>(r: R) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(r).lines() {
            match l {
                Ok(l) => {
                    if tx.send(l).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
    });
    rx
}

impl Proc {
    pub fn spawn(prog: &str, args: &[&str]) -> Proc {
        let mut child = Command::new(prog)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {prog}: {e}"));
        let stdin = child.stdin.take();
        let out = lines_of(child.stdout.take().unwrap());
        let err = lines_of(child.stderr.take().unwrap());
        Proc {
            child,
            stdin,
            out,
            err,
            out_seen: Vec::new(),
            err_seen: Vec::new(),
        }
    }

    fn drain(&mut self) {
        while let Ok(l) = self.out.try_recv() {
            self.out_seen.push(l);
        }
        while let Ok(l) = self.err.try_recv() {
            self.err_seen.push(l);
        }
    }

    /// Whether a stdout line containing `s` has been printed (non-blocking).
    pub fn saw(&mut self, s: &str) -> bool {
        self.drain();
        self.out_seen.iter().any(|l| l.contains(s))
    }

    pub fn saw_err(&mut self, s: &str) -> bool {
        self.drain();
        self.err_seen.iter().any(|l| l.contains(s))
    }

    /// Waits (bounded) for a stdout line containing `s`, running `tick` meanwhile.
    pub fn wait_for(&mut self, s: &str, mut tick: impl FnMut()) {
        let end = Instant::now() + LIMIT;
        while !self.saw(s) {
            assert!(
                Instant::now() < end,
                "peer never printed {s:?}; stdout: {:?}; stderr: {:?}",
                self.out_seen,
                self.err_seen
            );
            if let Ok(Some(st)) = self.child.try_wait() {
                self.drain();
                if self.saw(s) {
                    return;
                }
                panic!(
                    "peer exited ({st}) before printing {s:?}; stdout: {:?}; stderr: {:?}",
                    self.out_seen, self.err_seen
                );
            }
            tick();
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The port from a line `ACCEPT host:port` (openssl s_server) or a line holding just the port.
    pub fn port(&mut self) -> i32 {
        let end = Instant::now() + LIMIT;
        loop {
            self.drain();
            for l in &self.out_seen {
                let t = l.trim();
                if let Some(rest) = t.strip_prefix("ACCEPT ") {
                    if let Some(p) = rest.rsplit(':').next().and_then(|p| p.parse().ok()) {
                        return p;
                    }
                }
                if let Ok(p) = t.parse() {
                    return p;
                }
            }
            assert!(
                Instant::now() < end,
                "no port printed; stdout {:?} stderr {:?}",
                self.out_seen,
                self.err_seen
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn send(&mut self, s: &str) {
        let w = self.stdin.as_mut().expect("stdin open");
        w.write_all(s.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits (bounded) for the process to exit; its status.
    pub fn wait_exit(&mut self, mut tick: impl FnMut()) -> std::process::ExitStatus {
        let end = Instant::now() + LIMIT;
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(20));
                self.drain();
                return st;
            }
            self.drain();
            assert!(
                Instant::now() < end,
                "peer did not exit; stdout {:?} stderr {:?}",
                self.out_seen,
                self.err_seen
            );
            tick();
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // Ends only this child, by its pid.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Polls `f` until it returns true, bounded by [`LIMIT`]; panics with `what` otherwise.
pub fn until(what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + LIMIT;
    while !f() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}
