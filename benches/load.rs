//! Latency benchmarks of the customer channel against the real binary.
//! Throughput against a ceiling is measured with `../shared/loadgen` (sbload
//! and refserver, see README); this file measures what sbload does not.
//!
//! `cargo bench --bench load -- [--clients 100] [--rounds 30] [--idle N] [--open-loop RATE --seconds S] [--server ADDR]`
//!
//! 1. Burst: every client sends one message at the same moment, `rounds` times;
//!    reports the time from send to `ack` (durable: flushed to disk), and how
//!    many transcript entries each flush carried (group commit).
//! 2. `--idle N`: N more customers connect, say hello and stay idle; the
//!    server's resident memory growth divided by N.
//! 3. `--open-loop RATE`: `clients` customers together send RATE messages per
//!    second for `seconds`, each on its own fixed schedule with a random
//!    phase, whether or not earlier answers have come (open loop: a slow
//!    server is not given time to catch up). Latency runs from the scheduled
//!    send time, so queueing inside the client counts too (no coordinated
//!    omission). Reports ack and reply p50, p99 and p99.9.
//!
//! The server runs with a per-connection rate budget far above a person's, since
//! these clients type faster than anyone.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    /// Messages per second, all clients together, for the open loop (0: skip).
    open_loop: u64,
}

fn args() -> Args {
    let mut args = Args {
        server: None,
        clients: 100,
        rounds: 30,
        seconds: 30,
        idle: 0,
        open_loop: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<u64>().ok());
        match flag.as_str() {
            "--clients" => args.clients = value().map_or(args.clients, |v| v as usize),
            "--rounds" => args.rounds = value().map_or(args.rounds, |v| v as usize),
            "--seconds" => args.seconds = value().unwrap_or(args.seconds),
            "--idle" => args.idle = value().map_or(args.idle, |v| v as usize),
            "--open-loop" => args.open_loop = value().unwrap_or(args.open_loop),
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
    raise_fd_limit();
    let data = tempfile::TempDir::new().expect("temp dir");
    let config = data.path().join("bench.toml");
    std::fs::write(
        &config,
        "[limits]\nframes_per_second = 1000000\nframes_burst = 1000000\n",
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

    let mut clients = connect_all(addr, args.clients).await;
    if args.open_loop > 0 {
        open_loop(clients, args.open_loop, args.seconds).await;
    } else {
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
        drop(clients);
    }
    let Some(mut server) = server else {
        return;
    };
    if args.idle > 0 {
        idle_memory(addr, server.id(), args.idle).await;
    }
    // SAFETY: kill(2) on our own child process.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let _ = server.wait();
}

/// Each connection is a file descriptor here and on the server.
fn raise_fd_limit() {
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

/// `n` customers, each greeted (hello, welcome, greeting).
async fn connect_all(addr: SocketAddr, n: usize) -> Vec<Socket> {
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        let url = format!("ws://{addr}/v1/chat");
        let (mut ws, _) = tokio_tungstenite::connect_async_with_config(url, None, true)
            .await
            .expect("connect");
        send(&mut ws, json!({"type": "hello", "locale": "en"})).await;
        wait_for(&mut ws, "welcome").await;
        wait_for(&mut ws, "message").await;
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

/// Texts that each get one bot answer and never a handoff, in several
/// languages, so the open loop runs the NLU, retrieval and l10n paths.
const OPEN_LOOP_TEXTS: [&str; 6] = [
    "thanks",
    "what payment methods do you accept",
    "iade nasil yapilir",
    "wie lange dauert der versand",
    "merci beaucoup",
    "hello",
];

/// `clients` customers together send `rate` messages per second for
/// `seconds`; prints ack and reply latency percentiles from the scheduled
/// send time.
async fn open_loop(clients: Vec<Socket>, rate: u64, seconds: u64) {
    let interval = Duration::from_secs_f64(clients.len() as f64 / rate as f64);
    let started = tokio::time::Instant::now();
    let end = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(c, ws)| {
            let phase = interval.mul_f64(rand::random::<f64>());
            tokio::spawn(client_schedule(c, ws, started + phase, interval, end))
        })
        .collect();
    let (mut acks, mut replies, mut missing) = (Vec::new(), Vec::new(), 0usize);
    for task in tasks {
        let (a, r, m) = task.await.expect("client");
        acks.extend(a);
        replies.extend(r);
        missing += m;
    }
    println!(
        "open loop ({} msg/s for {seconds} s): {} sent, {:.0} replies/s; \
         ack p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms; \
         reply p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms; {missing} without a reply",
        rate,
        replies.len() + missing,
        replies.len() as f64 / seconds as f64,
        percentile(&acks, 0.50),
        percentile(&acks, 0.99),
        percentile(&acks, 0.999),
        percentile(&replies, 0.50),
        percentile(&replies, 0.99),
        percentile(&replies, 0.999),
    );
}

/// One customer of the open loop: sends on schedule, reads what comes.
/// Returns ack latencies, reply latencies (ms) and messages left unanswered.
async fn client_schedule(
    c: usize,
    ws: Socket,
    first: tokio::time::Instant,
    interval: Duration,
    end: tokio::time::Instant,
) -> (Vec<f64>, Vec<f64>, usize) {
    let (mut sink, mut stream) = ws.split();
    // Scheduled send times of messages not yet acked, in order: the server
    // answers a conversation's turns in order (ack, then the bot's entries).
    let scheduled = Arc::new(Mutex::new(VecDeque::<Instant>::new()));
    let sender = {
        let scheduled = Arc::clone(&scheduled);
        tokio::spawn(async move {
            let mut next = first;
            let mut n = 0usize;
            while next < end {
                tokio::time::sleep_until(next).await;
                // Latency counts from when the message was due.
                let due = Instant::now() - (tokio::time::Instant::now() - next);
                scheduled.lock().expect("lock").push_back(due);
                let text = OPEN_LOOP_TEXTS[(c + n) % OPEN_LOOP_TEXTS.len()];
                let frame = json!({"type": "message", "id": format!("o{c}-{n}"), "text": text});
                if sink
                    .send(Message::Text(frame.to_string().into()))
                    .await
                    .is_err()
                {
                    break;
                }
                n += 1;
                next += interval;
            }
            sink
        })
    };
    let (mut acks, mut replies) = (Vec::new(), Vec::new());
    // Acked messages still waiting for the bot's answer.
    let mut acked = VecDeque::<Instant>::new();
    let drain_until = end + Duration::from_secs(10);
    loop {
        let text = match tokio::time::timeout_at(drain_until, stream.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => text,
            Ok(Some(Ok(_))) => continue,
            _ => break,
        };
        let frame: Value = serde_json::from_str(text.as_str()).expect("json");
        match frame["type"].as_str() {
            Some("ack") => {
                let due = scheduled.lock().expect("lock").pop_front();
                if let Some(due) = due {
                    acks.push(due.elapsed().as_secs_f64() * 1000.0);
                    acked.push_back(due);
                }
            }
            Some("message") if frame["from"] == "bot" => {
                if let Some(due) = acked.pop_front() {
                    replies.push(due.elapsed().as_secs_f64() * 1000.0);
                }
            }
            Some("error") => panic!("error frame: {frame}"),
            _ => {}
        }
        let all_sent = tokio::time::Instant::now() >= end;
        if all_sent && acked.is_empty() && scheduled.lock().expect("lock").is_empty() {
            break;
        }
    }
    let _sink = sender.await.expect("sender");
    let missing = acked.len() + scheduled.lock().expect("lock").len();
    (acks, replies, missing)
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
/// greeting), then `n` more, and reports the server's memory growth per
/// connection for each step. The first step can reuse memory the allocator
/// kept from start-up and earlier benchmarks, so it reads low; the second
/// is the marginal cost once that is used up.
async fn idle_memory(addr: SocketAddr, pid: u32, n: usize) {
    // Readings after the server has settled: the allocator returns freed
    // pages with a delay, and closed benchmark connections are still being
    // dropped for a moment.
    let settle = Duration::from_secs(2);
    tokio::time::sleep(settle).await;
    let mut held = Vec::with_capacity(2 * n);
    let mut reading = rss_kib(pid);
    for step in ["first", "next"] {
        let batch = 250;
        for start in (0..n).step_by(batch) {
            let tasks: Vec<_> = (start..(start + batch).min(n))
                .map(|_| tokio::spawn(async move { connect_all(addr, 1).await }))
                .collect();
            for task in tasks {
                held.extend(task.await.expect("connect"));
            }
        }
        tokio::time::sleep(settle).await;
        let now = rss_kib(pid);
        println!(
            "idle: {step} {n} customer connections (holding {}): server memory +{:.1} MiB, {:.1} KiB per connection",
            held.len(),
            now.saturating_sub(reading) as f64 / 1024.0,
            now.saturating_sub(reading) as f64 / n.max(1) as f64
        );
        reading = now;
    }
}
