//! Test helpers: the real `switchboard` binary on port 0 with a fresh store
//! in a temp dir, and WebSocket clients that wait for frames with timeouts.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub use crate::redis_server::RedisServer;

/// How long any single expected frame may take.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(10);

pub struct TestServer {
    child: Option<Child>,
    pub addr: SocketAddr,
    /// The server's own redis-server, in the Redis suite (`crate::ON_REDIS`).
    pub redis: Option<RedisServer>,
    /// The Redis it shares with other nodes ([`TestServer::launch`]).
    shared_redis: Option<String>,
    data: TempDir,
    config: Option<PathBuf>,
    log: Option<(PathBuf, String)>,
}

/// Whether this suite runs the servers on Redis (tests/redis) rather than on
/// the embedded store (tests/api).
pub fn on_redis() -> bool {
    crate::ON_REDIS
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with_config("")
    }

    /// Starts with a TOML config file holding `config`.
    pub fn start_with_config(config: &str) -> Self {
        Self::start_logging(config, None)
    }

    /// Starts with `config`, and with `rust_log` its log goes to a file
    /// ([`TestServer::log`]) at that level instead of the test's stderr.
    pub fn start_logging(config: &str, rust_log: Option<&str>) -> Self {
        Self::start_in(TempDir::new().expect("temp dir"), config, rust_log)
    }

    /// Starts with its store (and config) in `data`, e.g. on a small disk;
    /// in the Redis suite, on its own redis-server.
    pub fn start_in(data: TempDir, config: &str, rust_log: Option<&str>) -> Self {
        let redis = on_redis().then(|| {
            // Without redis-server every test of this suite would skip: skip
            // them all at once.
            RedisServer::start().unwrap_or_else(|| std::process::exit(0))
        });
        Self::launch(data, redis, None, config, rust_log)
    }

    /// Starts with its store (and config) in `data`, on `redis` (its own
    /// redis-server) or else on `shared_redis` (a Redis URL other nodes use
    /// too), or else on the embedded store.
    pub fn launch(
        data: TempDir,
        redis: Option<RedisServer>,
        shared_redis: Option<String>,
        config: &str,
        rust_log: Option<&str>,
    ) -> Self {
        let config_path = (!config.is_empty()).then(|| {
            let path = data.path().join("switchboard.toml");
            std::fs::write(&path, config).expect("write config");
            path
        });
        let log = rust_log.map(|level| (data.path().join("server.log"), level.to_owned()));
        let store = data.path().join("store");
        let url = redis
            .as_ref()
            .map(RedisServer::url)
            .or(shared_redis.clone());
        let (child, addr) = spawn(&store, url.as_deref(), config_path.as_deref(), log.as_ref());
        Self {
            child: Some(child),
            addr,
            redis,
            shared_redis,
            data,
            config: config_path,
            log,
        }
    }

    /// What the server logged so far (with [`TestServer::start_logging`]).
    pub fn log(&self) -> String {
        self.log
            .as_ref()
            .and_then(|(path, _)| std::fs::read_to_string(path).ok())
            .unwrap_or_default()
    }

    pub fn store_dir(&self) -> PathBuf {
        self.data.path().join("store")
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/v1/chat", self.addr)
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("server is running");
        signal(&child, libc::SIGTERM);
        wait_with_timeout(&mut child, Duration::from_secs(15))
    }

    /// Sends `signal` to the running server.
    pub fn signal(&self, signal: libc::c_int) {
        self::signal(self.child.as_ref().expect("server is running"), signal);
    }

    /// Kills the process with SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        let mut child = self.child.take().expect("server is running");
        signal(&child, libc::SIGKILL);
        let _ = child.wait();
    }

    /// Starts the server again on the same store (after `terminate` or `kill`).
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "stop the server first");
        let url = self
            .redis
            .as_ref()
            .map(RedisServer::url)
            .or_else(|| self.shared_redis.clone());
        let (child, addr) = spawn(
            &self.store_dir(),
            url.as_deref(),
            self.config.as_deref(),
            self.log.as_ref(),
        );
        self.child = Some(child);
        self.addr = addr;
    }

    /// Terminates gracefully and starts again on the same store.
    pub fn restart(&mut self) {
        let status = self.terminate();
        assert!(status.success(), "graceful shutdown exited with {status}");
        self.start_again();
    }

    /// A connected customer that said hello with `locale` and got `welcome`
    /// and the greeting.
    pub async fn customer(&self, locale: &str) -> Customer {
        let mut customer = Customer::connect(self).await;
        customer
            .send(json!({"type": "hello", "locale": locale}))
            .await;
        let welcome = customer.expect("welcome").await;
        let greeting = customer.expect("message").await;
        customer.welcome = welcome;
        customer.greeting = greeting;
        customer
    }

    pub async fn http_get(&self, path: &str) -> (u16, String) {
        self.http("GET", path, &[], "").await
    }

    /// A POST with a body; returns the status and the response body.
    pub async fn http_post(&self, path: &str, body: &str) -> (u16, String) {
        self.http("POST", path, &[("Content-Type", "application/json")], body)
            .await
    }

    pub async fn http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).await.expect("connect");
        let extra: String = headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}\r\n"))
            .collect();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n{extra}\r\n{body}",
            self.addr,
            body.len()
        );
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut response = String::new();
        tokio::time::timeout(FRAME_TIMEOUT, stream.read_to_string(&mut response))
            .await
            .expect("http response in time")
            .expect("read");
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The server under test: this crate's binary, or the one named by
/// `SWITCHBOARD_TEST_BINARY` (to show that a test fails on an older build).
pub fn binary() -> String {
    std::env::var("SWITCHBOARD_TEST_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_switchboard").to_owned())
}

/// The content the server under test serves: the bundled content, or the
/// folder named by `SWITCHBOARD_TEST_CONTENT_DIR` (e.g. with texts another
/// branch has not delivered yet).
pub fn content_dir() -> Option<PathBuf> {
    std::env::var_os("SWITCHBOARD_TEST_CONTENT_DIR").map(PathBuf::from)
}

fn spawn(
    store: &Path,
    redis: Option<&str>,
    config: Option<&Path>,
    log: Option<&(PathBuf, String)>,
) -> (Child, SocketAddr) {
    let mut command = Command::new(binary());
    // One model cache for every server of the run (and the next run of
    // the same binary): the first trains, the others read its models.
    command
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(store)
        .arg("--model-cache-dir")
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("model-cache"))
        .stdout(Stdio::piped());
    if let Some(url) = redis {
        command.arg("--store").arg(url);
    }
    match log {
        Some((path, level)) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .expect("log file");
            command.env("RUST_LOG", level).stderr(Stdio::from(file));
        }
        None => {
            command.env("RUST_LOG", "warn").stderr(Stdio::inherit());
        }
    }
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    if let Some(content) = content_dir() {
        command.arg("--content-dir").arg(content);
    }
    let mut child = command.spawn().expect("start switchboard");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(line)) = lines.next() {
            let _ = tx.send(line);
        }
        // Keep draining so the server never blocks on a full pipe.
        for _ in lines {}
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server prints its listening line");
    let addr = line
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .parse()
        .expect("an address");
    (child, addr)
}

pub fn signal(child: &Child, signal: libc::c_int) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: kill(2) on a child we spawned and have not reaped.
    let rc = unsafe { libc::kill(pid, signal) };
    assert_eq!(rc, 0, "kill({pid}, {signal})");
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> ExitStatus {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not exit within {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A customer's WebSocket client.
pub struct Customer {
    pub ws: Socket,
    pub welcome: Value,
    pub greeting: Value,
}

/// What came instead of a text frame.
#[derive(Debug)]
pub enum Closed {
    Frame(Option<CloseFrame>),
    Eof,
}

impl Customer {
    pub async fn connect(server: &TestServer) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(server.ws_url())
            .await
            .expect("websocket connect");
        Self {
            ws,
            welcome: Value::Null,
            greeting: Value::Null,
        }
    }

    /// Connects from the loopback address `source` (any of 127.0.0.0/8), so
    /// that the server sees a customer from another network address.
    pub async fn connect_from(server: &TestServer, source: &str) -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(format!("{source}:0").parse().expect("source address"))
            .expect("bind the source address");
        let stream = socket.connect(server.addr).await.expect("connect");
        let (ws, _) =
            tokio_tungstenite::client_async(server.ws_url(), MaybeTlsStream::Plain(stream))
                .await
                .expect("websocket handshake");
        Self {
            ws,
            welcome: Value::Null,
            greeting: Value::Null,
        }
    }

    /// Hello with a resume token and last seq; returns the welcome.
    pub async fn resume(server: &TestServer, session: &str, last_seq: u64) -> (Self, Value) {
        let mut customer = Self::connect(server).await;
        customer
            .send(json!({"type": "hello", "resume": session, "last_seq": last_seq}))
            .await;
        let welcome = customer.expect("welcome").await;
        customer.welcome = welcome.clone();
        (customer, welcome)
    }

    /// Closes the socket and waits until the server has closed it too.
    pub async fn close(&mut self) {
        use futures_util::StreamExt;
        let _ = self.ws.close(None).await;
        let drained = tokio::time::timeout(Duration::from_secs(10), async {
            while let Some(Ok(_)) = self.ws.next().await {}
        });
        assert!(drained.await.is_ok(), "the server did not close the socket");
    }

    pub fn session(&self) -> String {
        self.welcome["session"]
            .as_str()
            .expect("session")
            .to_owned()
    }

    pub fn conversation(&self) -> String {
        self.welcome["conversation"]
            .as_str()
            .expect("conversation")
            .to_owned()
    }

    pub async fn send(&mut self, frame: Value) {
        self.send_text(frame.to_string()).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .expect("send");
    }

    /// The next text frame as JSON; panics on timeout or close.
    pub async fn recv(&mut self) -> Value {
        recv_frame(&mut self.ws).await
    }

    /// The next text frame, which must be of type `kind`.
    pub async fn expect(&mut self, kind: &str) -> Value {
        expect_frame(&mut self.ws, kind).await
    }

    /// The next `error` frame, which must carry `code`.
    pub async fn expect_error(&mut self, code: &str) -> Value {
        let frame = self.expect("error").await;
        assert_eq!(frame["code"], code, "{frame}");
        assert!(
            frame["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error frames carry a message: {frame}"
        );
        frame
    }

    /// Sends a message and returns its ack and the bot's reply.
    pub async fn say(&mut self, id: &str, text: &str) -> (Value, Value) {
        self.send(json!({"type": "message", "id": id, "text": text}))
            .await;
        let ack = self.expect("ack").await;
        assert_eq!(ack["id"], id);
        let reply = self.expect("message").await;
        assert_eq!(reply["from"], "bot", "{reply}");
        (ack, reply)
    }

    /// The next text frame, or how the socket closed.
    pub async fn next(&mut self) -> Result<Value, Closed> {
        next_frame(&mut self.ws).await
    }

    /// Waits for the close frame and returns its code.
    pub async fn expect_close(&mut self) -> u16 {
        close_code(&mut self.ws).await
    }
}

/// The config lines admitting an agent with `token` (its SHA-256).
pub fn agent_entry(name: &str, languages: &[&str], token: &str) -> String {
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(token.as_bytes()));
    let languages: Vec<String> = languages.iter().map(|l| format!("{l:?}")).collect();
    format!(
        "[[agents]]\nname = {name:?}\nlanguages = [{}]\ntoken_sha256 = \"{digest}\"\n",
        languages.join(", ")
    )
}

/// An agent's WebSocket client.
pub struct Agent {
    pub ws: Socket,
    pub ready: Value,
}

impl Agent {
    /// Connects and authenticates with the first frame; waits for `ready`.
    pub async fn connect(server: &TestServer, token: &str) -> Self {
        let mut agent = Self::connect_unauthenticated(server).await;
        agent.send(json!({"type": "auth", "token": token})).await;
        agent.ready = agent.expect("ready").await;
        agent
    }

    /// Connects from the loopback address `source` and sends `auth` with
    /// `token`; the first frame that comes back is in `ready` (or an error).
    pub async fn connect_from(server: &TestServer, source: &str, token: &str) -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(format!("{source}:0").parse().expect("source address"))
            .expect("bind the source address");
        let stream = socket.connect(server.addr).await.expect("connect");
        let url = format!("ws://{}/v1/agent", server.addr);
        let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream))
            .await
            .expect("websocket handshake");
        let mut agent = Self {
            ws,
            ready: Value::Null,
        };
        agent.send(json!({"type": "auth", "token": token})).await;
        agent.ready = agent.recv().await;
        agent
    }

    pub async fn connect_unauthenticated(server: &TestServer) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/v1/agent", server.addr))
            .await
            .expect("websocket connect");
        Self {
            ws,
            ready: Value::Null,
        }
    }

    pub async fn send(&mut self, frame: Value) {
        self.ws
            .send(Message::Text(frame.to_string().into()))
            .await
            .expect("send");
    }

    pub async fn recv(&mut self) -> Value {
        recv_frame(&mut self.ws).await
    }

    pub async fn expect(&mut self, kind: &str) -> Value {
        expect_frame(&mut self.ws, kind).await
    }

    /// Skips `queue` updates (they come whenever the queue changes) until a
    /// frame of `kind`.
    pub async fn expect_skipping_queue(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.recv().await;
            if frame["type"] == "queue" && kind != "queue" {
                continue;
            }
            assert_eq!(
                frame["type"], kind,
                "expected a `{kind}` frame, got {frame}"
            );
            return frame;
        }
    }

    /// Skips `queue` updates, `claimed` notices of other agents' claims and
    /// `closed` notices until a frame of `kind`.
    pub async fn expect_skipping_notices(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.recv().await;
            let notice =
                ["queue", "claimed", "closed"].contains(&frame["type"].as_str().unwrap_or(""));
            if notice && frame["type"] != kind {
                continue;
            }
            assert_eq!(
                frame["type"], kind,
                "expected a `{kind}` frame, got {frame}"
            );
            return frame;
        }
    }

    /// Waits for a `queue` frame for which `accept` holds.
    pub async fn queue_until(&mut self, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        loop {
            let frame = self.recv().await;
            if frame["type"] != "queue" {
                continue;
            }
            let items = frame["items"].as_array().cloned().unwrap_or_default();
            if accept(&items) {
                return items;
            }
        }
    }

    pub async fn expect_close(&mut self) -> u16 {
        close_code(&mut self.ws).await
    }
}

impl Customer {
    /// Skips frames until a `handoff` of `status`.
    pub async fn wait_for_status(&mut self, status: &str) -> Value {
        loop {
            let frame = self.wait_for("handoff").await;
            if frame["status"] == status {
                return frame;
            }
        }
    }

    /// Skips frames until one of `kind`.
    pub async fn wait_for(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.recv().await;
            if frame["type"] == kind {
                return frame;
            }
        }
    }
}

/// How `agent`'s claim of `conversation` ended, skipping other frames:
/// `won` (its context came) or `lost` (`already_claimed`).
pub async fn claim_outcome(agent: &mut Agent, conversation: &str) -> &'static str {
    loop {
        let frame = agent.recv().await;
        match frame["type"].as_str() {
            Some("conversation") if frame["conversation"] == conversation => return "won",
            Some("error") => {
                assert_eq!(frame["code"], "already_claimed", "{frame}");
                assert_eq!(frame["conversation"], conversation, "{frame}");
                return "lost";
            }
            _ => continue,
        }
    }
}

/// The next text frame of `ws` as JSON, or how it closed; panics on timeout.
async fn next_frame(ws: &mut Socket) -> Result<Value, Closed> {
    loop {
        let item = tokio::time::timeout(FRAME_TIMEOUT, ws.next())
            .await
            .expect("a frame within the timeout");
        match item {
            Some(Ok(Message::Text(text))) => {
                return Ok(serde_json::from_str(text.as_str()).expect("JSON frame"))
            }
            Some(Ok(Message::Close(frame))) => return Err(Closed::Frame(frame)),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return Err(Closed::Eof),
        }
    }
}

/// Skips frames until the close frame; returns its code.
async fn close_code(ws: &mut Socket) -> u16 {
    loop {
        match next_frame(ws).await {
            Ok(_) => continue,
            Err(Closed::Frame(Some(frame))) => return u16::from(frame.code),
            Err(other) => panic!("expected a close frame with a code, got {other:?}"),
        }
    }
}

/// The next text frame of `ws`; panics on timeout or close.
async fn recv_frame(ws: &mut Socket) -> Value {
    match next_frame(ws).await {
        Ok(value) => value,
        Err(closed) => panic!("expected a frame, got {closed:?}"),
    }
}

/// The next text frame of `ws`, which must be of type `kind`.
async fn expect_frame(ws: &mut Socket, kind: &str) -> Value {
    let frame = recv_frame(ws).await;
    assert_eq!(
        frame["type"], kind,
        "expected a `{kind}` frame, got {frame}"
    );
    frame
}

/// A WebSocket client written by hand, so that a test can decide when (and
/// whether) to read or to answer pings.
pub struct RawSocket {
    pub stream: TcpStream,
    buffer: Vec<u8>,
}

impl RawSocket {
    pub async fn connect(server: &TestServer) -> Self {
        let stream = TcpStream::connect(server.addr).await.expect("connect");
        Self::handshake(stream, server).await
    }

    pub async fn handshake(stream: TcpStream, server: &TestServer) -> Self {
        Self::handshake_to(stream, server, "/v1/chat").await
    }

    pub async fn handshake_to(mut stream: TcpStream, server: &TestServer, path: &str) -> Self {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            server.addr
        );
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut raw = Self {
            stream,
            buffer: Vec::new(),
        };
        let end = loop {
            if let Some(end) = raw.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            raw.fill().await;
        };
        let head = String::from_utf8_lossy(&raw.buffer[..end]).into_owned();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        raw.buffer.drain(..end);
        raw
    }

    pub async fn fill(&mut self) {
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout(FRAME_TIMEOUT, self.stream.read(&mut chunk))
            .await
            .expect("data within the timeout")
            .expect("read");
        assert!(
            n > 0,
            "the server closed the TCP connection without a close frame"
        );
        self.buffer.extend_from_slice(&chunk[..n]);
    }

    pub async fn send_text(&mut self, text: &str) {
        self.send_frame(0x1, text.as_bytes()).await;
    }

    pub async fn send_frame(&mut self, opcode: u8, payload: &[u8]) {
        self.stream
            .write_all(&mask_frame(opcode, payload))
            .await
            .expect("write");
    }

    /// The next frame from the server: (opcode, payload).
    pub async fn read_frame(&mut self) -> (u8, Vec<u8>) {
        loop {
            if self.buffer.len() >= 2 {
                let opcode = self.buffer[0] & 0x0f;
                let (len, header) = match self.buffer[1] & 0x7f {
                    126 if self.buffer.len() >= 4 => (
                        usize::from(u16::from_be_bytes([self.buffer[2], self.buffer[3]])),
                        4,
                    ),
                    126 | 127 => (usize::MAX, 0),
                    n => (usize::from(n), 2),
                };
                if len != usize::MAX && self.buffer.len() >= header + len {
                    let payload = self.buffer[header..header + len].to_vec();
                    self.buffer.drain(..header + len);
                    return (opcode, payload);
                }
            }
            self.fill().await;
        }
    }
}

/// A client frame: final, masked (with a zero mask, which RFC 6455 allows).
pub fn mask_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    frame.extend_from_slice(&[0, 0, 0, 0]);
    frame.extend_from_slice(payload);
    frame
}

/// A small tmpfs, for a disk that fills up: mounting needs root (CI and the
/// development machine run as root); `None` where it cannot be mounted.
pub struct SmallDisk {
    pub dir: TempDir,
}

impl SmallDisk {
    pub fn mount(megabytes: u32) -> Option<Self> {
        let dir = TempDir::new().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .ok()?
            .success();
        mounted.then_some(Self { dir })
    }

    /// Gives the disk room again.
    pub fn grow(&self, megabytes: u32) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={megabytes}m")])
            .arg(self.dir.path())
            .status()
            .expect("remount");
        assert!(status.success(), "remount");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// The bundled content's messages, loaded once per test binary.
pub fn localizer() -> &'static switchboard::l10n::Localizer {
    static L10N: OnceLock<switchboard::l10n::Localizer> = OnceLock::new();
    L10N.get_or_init(|| {
        switchboard::l10n::Localizer::load(
            &switchboard::config::bundled_content_dir().join("locales"),
        )
        .expect("locales")
    })
}

/// `msg` as the bundled content says it in `locale`.
pub fn text_in(locale: &str, msg: &switchboard::l10n::Msg<'_>) -> String {
    let l10n = localizer();
    l10n.text(&l10n.locale(locale).expect("locale"), msg)
}
