//! A real `redis-server` for the tests: its own temp dir, a Unix socket
//! there, no TCP port, no RDB snapshots, AOF with an fsync per write (as
//! docs/redis.md asks operators to run it). Killed when dropped.
//!
//! Without redis-server installed, the Redis tests say they were skipped;
//! with `CI=true` they fail instead.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long redis-server may take to answer PING after it was started
/// (replaying its AOF included).
const READY_TIMEOUT: Duration = Duration::from_secs(15);

pub struct RedisServer {
    child: Option<Child>,
    dir: PathBuf,
    _temp: Option<TempDir>,
}

/// The redis-server binary: `$REDIS_SERVER`, else `/usr/bin/redis-server`,
/// else one on the PATH.
fn binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("REDIS_SERVER") {
        return Some(PathBuf::from(path));
    }
    let usual = PathBuf::from("/usr/bin/redis-server");
    if usual.is_file() {
        return Some(usual);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("redis-server"))
            .find(|path| path.is_file())
    })
}

/// Whether a missing redis-server fails the tests (`CI=true`).
fn required() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

impl RedisServer {
    /// A fresh redis-server in a temp dir; `None` (after saying the test was
    /// skipped) when redis-server is not installed, unless `CI=true`, where
    /// that panics.
    pub fn start() -> Option<Self> {
        if !Self::available() {
            return None;
        }
        let temp = TempDir::new().expect("temp dir");
        let mut server = Self::start_in(temp.path().to_owned());
        server._temp = Some(temp);
        Some(server)
    }

    /// Whether redis-server is here; says so on stderr when it is not (and
    /// panics under `CI=true`).
    pub fn available() -> bool {
        if binary().is_some() {
            return true;
        }
        assert!(
            !required(),
            "redis-server is not installed and CI=true: the Redis tests cannot be skipped"
        );
        eprintln!("skipped: redis-server is not installed (apt-get install redis-server)");
        false
    }

    /// A redis-server keeping its AOF and socket in `dir` (created).
    fn start_in(dir: PathBuf) -> Self {
        std::fs::create_dir_all(&dir).expect("redis dir");
        let mut server = Self {
            child: None,
            dir,
            _temp: None,
        };
        server.start_again();
        server
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.join("redis.sock")
    }

    /// `redis+unix:///...`, for `--store`.
    pub fn url(&self) -> String {
        format!("redis+unix://{}", self.socket().display())
    }

    /// SIGKILL, as a crash would; the AOF stays.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts redis-server (again) on the same dir and socket, replaying the
    /// AOF; returns once it answers PING.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "kill it first");
        let binary = binary().expect("redis-server");
        let _ = std::fs::remove_file(self.socket());
        let child = Command::new(binary)
            .arg("--port")
            .arg("0")
            .arg("--unixsocket")
            .arg(self.socket())
            .arg("--unixsocketperm")
            .arg("700")
            .arg("--save")
            .arg("")
            .arg("--appendonly")
            .arg("yes")
            .arg("--appendfsync")
            .arg("always")
            .arg("--dir")
            .arg(&self.dir)
            .arg("--logfile")
            .arg(self.dir.join("redis.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        self.wait_until_ready();
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if self.pong() {
                return;
            }
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    let log =
                        std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default();
                    panic!("redis-server exited with {status}:\n{log}");
                }
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer PING within {READY_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether it answers PING with PONG now (not LOADING, not absent).
    fn pong(&self) -> bool {
        let Ok(mut stream) = UnixStream::connect(self.socket()) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        if stream.write_all(b"PING\r\n").is_err() {
            return false;
        }
        let mut reply = [0u8; 7];
        stream
            .read(&mut reply)
            .is_ok_and(|n| reply[..n].starts_with(b"+PONG"))
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
