//! Load benchmark of the customer channel against the real binary.
//!
//! `cargo bench --bench load -- [--clients 100] [--rounds 50] [--seconds 10] [--server ADDR]`
//!
//! 1. Burst: every client sends one message at the same moment, `rounds` times;
//!    reports the time from send to `ack` (durable: flushed to disk), and how
//!    many transcript entries each flush carried (group commit).
//! 2. Closed loop: every client sends as soon as its previous answer arrives, for
//!    `seconds`; reports bot replies per second and the send-to-answer latency.
//! 3. `--idle N`: N more customers connect, say hello and stay idle; the
//!    server's resident memory growth divided by N.
//! 4. The same closed loop against a bare axum WebSocket server that parses each
//!    message, acks it and echoes it (no NLU, no storage): the ceiling.
//!
//! The server runs with a per-connection rate budget far above a person's, since
//! these clients type faster than anyone.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message as AxumMessage, WebSocket, WebSocketUpgrade};
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct Args {
    /// Drive an already running server (for profiling it) instead of starting one.
    server: Option<SocketAddr>,
    clients: usize,
    rounds: usize,
    seconds: u64,
    /// Idle customer connections to hold for the memory measurement (0: skip).
    idle: usize,
}

fn args() -> Args {
    let mut args = Args {
        server: None,
        clients: 100,
        rounds: 50,
        seconds: 10,
        idle: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<u64>().ok());
        match flag.as_str() {
            "--clients" => args.clients = value().map_or(args.clients, |v| v as usize),
            "--rounds" => args.rounds = value().map_or(args.rounds, |v| v as usize),
            "--seconds" => args.seconds = value().unwrap_or(args.seconds),
            "--idle" => args.idle = value().map_or(args.idle, |v| v as usize),
            "--server" => args.server = it.next().and_then(|v| v.parse().ok()),
            _ => {} // cargo passes --bench
        }
    }
    args
}

fn main() {
    let args = args();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run(args));
}

async fn run(args: Args) {
    let data = tempfile::TempDir::new().expect("temp dir");
    let config = data.path().join("bench.toml");
    std::fs::write(
        &config,
        "[limits]\nframes_per_second = 1000000\nframes_burst = 1000000\noutbound_queue = 1024\n",
    )
    .expect("config");
    let (server, addr) = match args.server {
        Some(addr) => (None, addr),
        None => {
            let (child, addr) = start_server(&data.path().join("store"), &config);
            (Some(child), addr)
        }
    };
    println!("switchboard load benchmark: {} clients", args.clients);

    let mut clients = connect_all(addr, args.clients, true).await;
    let (flushes_before, entries_before) = flush_metrics(addr).await;
    let acks = burst(&mut clients, args.rounds).await;
    let (flushes_after, entries_after) = flush_metrics(addr).await;
    let flushes = flushes_after - flushes_before;
    let entries = entries_after - entries_before;
    println!(
        "burst ({} clients x {} rounds): ack p50 {:.2} ms, p99 {:.2} ms; {} flushes, {:.1} entries per flush",
        args.clients,
        args.rounds,
        percentile(&acks, 0.50),
        percentile(&acks, 0.99),
        flushes,
        entries / flushes.max(1.0),
    );

    let (rate, latencies) = closed_loop(clients, args.seconds, true).await;
    println!(
        "switchboard closed loop ({}s): {:.0} bot replies/s, reply p50 {:.2} ms, p99 {:.2} ms",
        args.seconds,
        rate,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
    );
    let Some(mut server) = server else {
        return;
    };
    if args.idle > 0 {
        idle_memory(addr, server.id(), args.idle).await;
    }
    // SAFETY: kill(2) on our own child process.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let _ = server.wait();

    let echo = start_echo_server().await;
    let echo_clients = connect_all(echo, args.clients, false).await;
    let (echo_rate, echo_latencies) = closed_loop(echo_clients, args.seconds, false).await;
    println!(
        "bare axum echo closed loop ({}s): {:.0} replies/s, reply p50 {:.2} ms, p99 {:.2} ms",
        args.seconds,
        echo_rate,
        percentile(&echo_latencies, 0.50),
        percentile(&echo_latencies, 0.99),
    );
    println!("switchboard / echo: {:.2}", rate / echo_rate);
}

fn start_server(store: &std::path::Path, config: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(store)
        .arg("--config")
        .arg(config)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start switchboard");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .expect("listening line")
        .parse()
        .expect("address");
    (child, addr)
}

async fn connect_all(addr: SocketAddr, n: usize, hello: bool) -> Vec<Socket> {
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        let url = format!("ws://{addr}/v1/chat");
        let (mut ws, _) = tokio_tungstenite::connect_async_with_config(url, None, true)
            .await
            .expect("connect");
        if hello {
            send(&mut ws, json!({"type": "hello", "locale": "en"})).await;
            wait_for(&mut ws, "welcome").await;
            wait_for(&mut ws, "message").await;
        }
        clients.push(ws);
    }
    clients
}

async fn send(ws: &mut Socket, frame: Value) {
    ws.send(Message::Text(frame.to_string().into()))
        .await
        .expect("send");
}

async fn wait_for(ws: &mut Socket, kind: &str) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .expect("frame in time")
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = message {
            let frame: Value = serde_json::from_str(text.as_str()).expect("json");
            if frame["type"] == kind {
                return frame;
            }
        }
    }
}

/// Every client sends at once, `rounds` times; returns ack latencies in ms.
async fn burst(clients: &mut Vec<Socket>, rounds: usize) -> Vec<f64> {
    let barrier = Arc::new(Barrier::new(clients.len()));
    let tasks: Vec<_> = clients
        .drain(..)
        .enumerate()
        .map(|(c, mut ws)| {
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(rounds);
                for r in 0..rounds {
                    barrier.wait().await;
                    let start = Instant::now();
                    send(
                        &mut ws,
                        json!({"type": "message", "id": format!("b{c}-{r}"), "text": "thanks"}),
                    )
                    .await;
                    wait_for(&mut ws, "ack").await;
                    latencies.push(start.elapsed().as_secs_f64() * 1000.0);
                    wait_for(&mut ws, "message").await;
                }
                (ws, latencies)
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        let (ws, latencies) = task.await.expect("client");
        clients.push(ws);
        all.extend(latencies);
    }
    all
}

/// Every client sends as soon as its answer arrives; returns replies per
/// second and reply latencies in ms.
async fn closed_loop(clients: Vec<Socket>, seconds: u64, bot: bool) -> (f64, Vec<f64>) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(c, mut ws)| {
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let start = Instant::now();
                    send(
                        &mut ws,
                        json!({"type": "message", "id": format!("l{c}-{n}"), "text": "thanks"}),
                    )
                    .await;
                    wait_for(&mut ws, "ack").await;
                    let reply = wait_for(&mut ws, "message").await;
                    debug_assert!(!bot || reply["from"] == "bot");
                    latencies.push(start.elapsed().as_secs_f64() * 1000.0);
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    let rate = all.len() as f64 / started.elapsed().as_secs_f64();
    (rate, all)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// (flushes, entries flushed) from the server's /metrics.
async fn flush_metrics(addr: SocketAddr) -> (f64, f64) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut body = String::new();
    stream.read_to_string(&mut body).await.expect("read");
    let metric = |name: &str| {
        body.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (
        metric("switchboard_store_flushes_total"),
        metric("switchboard_store_entries_per_flush_sum"),
    )
}

/// The ceiling: parse each `message`, send `ack`, echo a `message` back.
async fn start_echo_server() -> SocketAddr {
    async fn echo(mut socket: WebSocket) {
        while let Some(Ok(AxumMessage::Text(text))) = socket.recv().await {
            let Ok(frame) = serde_json::from_str::<Value>(text.as_str()) else {
                continue;
            };
            let ack = json!({"type": "ack", "id": frame["id"], "seq": 1}).to_string();
            let reply = json!({"type": "message", "seq": 2, "from": "bot", "text": frame["text"]})
                .to_string();
            if socket.send(AxumMessage::Text(ack.into())).await.is_err()
                || socket.send(AxumMessage::Text(reply.into())).await.is_err()
            {
                return;
            }
        }
    }
    let app = axum::Router::new().route(
        "/v1/chat",
        get(|ws: WebSocketUpgrade| async move {
            ws.read_buffer_size(4096)
                .write_buffer_size(4096)
                .on_upgrade(echo)
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// The server's resident set size in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Opens `n` idle customer connections (each said hello and got its
/// greeting) and reports the server's memory per connection.
async fn idle_memory(addr: SocketAddr, pid: u32, n: usize) {
    // Each connection is a file descriptor here and on the server.
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit on our own process with a valid struct.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
    }
    let before = rss_kib(pid);
    let mut held = Vec::with_capacity(n);
    let batch = 250;
    for start in (0..n).step_by(batch) {
        let tasks: Vec<_> = (start..(start + batch).min(n))
            .map(|_| tokio::spawn(async move { connect_all(addr, 1, true).await }))
            .collect();
        for task in tasks {
            held.extend(task.await.expect("connect"));
        }
    }
    let after = rss_kib(pid);
    println!(
        "idle: {} customer connections held, server memory +{} MiB, {:.1} KiB per connection",
        held.len(),
        after.saturating_sub(before) / 1024,
        after.saturating_sub(before) as f64 / held.len().max(1) as f64
    );
}
