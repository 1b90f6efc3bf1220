//! Runs the real Godot 3 engine (Debian's `godot3-server`, headless Godot 3.2.3; scripts/deps.sh
//! installs it) on a GDScript of tests/engine3/ and reads what it prints. A missing engine fails the
//! test with the reason. The script runs in a fresh scratch directory (Godot writes its logs and
//! user data there, not in the repository or the home directory); the process is killed by its PID
//! when the handle is dropped, so a test that fails half-way leaves nothing running.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running engine.
pub struct Godot3 {
    child: Option<Child>,
    lines: mpsc::Receiver<String>,
    /// Every line read so far (stdout and stderr), printed when a test fails.
    pub log: Vec<String>,
    dir: PathBuf,
}

fn scratch_dir(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("pp-godot3-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

impl Godot3 {
    /// Starts `godot3-server --no-window -s <script> -- <args>` where `script` is a file of
    /// tests/engine3/. Panics with the reason when the engine cannot be started.
    pub fn start(script: &str, args: &[String]) -> Godot3 {
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/engine3")
            .join(script);
        let dir = scratch_dir(script.trim_end_matches(".gd"));
        std::fs::copy(&src, dir.join(script)).expect("copy the GDScript");
        let mut child = Command::new("godot3-server")
            .current_dir(&dir)
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_CACHE_HOME", dir.join("cache"))
            .env("LANG", "en_US.UTF-8")
            .args(["--no-window", "-s", script, "--"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start godot3-server ({e}): the Godot 3 interop tests need Debian's \
                     godot3-server (headless Godot 3.2.3); scripts/deps.sh installs it"
                )
            });
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                if tx2.send(format!("stderr: {l}")).is_err() {
                    break;
                }
            }
        });
        Godot3 {
            child: Some(child),
            lines,
            log: Vec::new(),
            dir,
        }
    }

    /// Lines printed so far, without waiting.
    pub fn drain(&mut self) -> Vec<String> {
        let mut got = Vec::new();
        while let Ok(l) = self.lines.try_recv() {
            self.log.push(l.clone());
            got.push(l);
        }
        got
    }

    /// Waits until a stdout line starts with `prefix` (returned without it), the engine exits, or
    /// `limit` passes.
    pub fn wait_line(&mut self, prefix: &str, limit: Duration) -> Option<String> {
        let end = Instant::now() + limit;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            match self
                .lines
                .recv_timeout(left.min(Duration::from_millis(100)))
            {
                Ok(l) => {
                    self.log.push(l.clone());
                    if let Some(rest) = l.strip_prefix(prefix) {
                        return Some(rest.to_string());
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Waits up to `limit` for the engine to exit by itself (then reads the rest of its output);
    /// kills it by PID otherwise. Returns whether it exited by itself with status 0.
    pub fn finish(&mut self, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        let mut ok = false;
        if let Some(child) = self.child.as_mut() {
            loop {
                match child.try_wait() {
                    Ok(Some(st)) => {
                        ok = st.success();
                        break;
                    }
                    Ok(None) if Instant::now() < end => {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    _ => break,
                }
            }
        }
        self.kill();
        // The reader threads end when the pipes close.
        while let Ok(l) = self.lines.recv_timeout(Duration::from_millis(500)) {
            self.log.push(l);
        }
        ok
    }

    /// The whole output so far, for a failure message.
    pub fn transcript(&mut self) -> String {
        self.drain();
        self.log.join("\n")
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Child::kill sends SIGKILL to this process's PID only.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Godot3 {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
