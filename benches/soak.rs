//! Soak: many customers chatting for minutes, some asking for a person, agents
//! claiming and closing, sockets coming and going; the server's memory, open
//! files and latency sampled throughout. Not run in CI.
//!
//! `cargo bench --bench soak -- [--minutes 10] [--clients 1000] [--agents 5]`
//! (`SOAK_CONFIG='store_cache_mb = 8'` adds top-level settings to the server's config)
//!
//! Each customer says hello (nine locales in turn), then sends a message every
//! 1-3 s (closed loop: the next waits for the answer) from a rotation of
//! customer texts; one message in 40 asks for a person, who is claimed by one
//! of the agents, answered and closed; 1% of the customers a minute drop their
//! socket and resume. Every 30 s one line: server RSS, open file descriptors,
//! bot replies per second, the p50/p99 of send-to-answer in that window, and
//! the queue length an agent sees.

mod common;
use common::start_server;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const LOCALES: [&str; 9] = ["en", "tr", "el", "ms", "lv", "de", "fr", "es", "ru"];
const TEXTS: [&str; 8] = [
    "where is my order",
    "siparişim nerede",
    "πού είναι η παραγγελία μου",
    "mana pesanan saya",
    "kur ir mans pasūtījums",
    "wie kann ich etwas zurückschicken",
    "je veux un remboursement",
    "olvidé mi contraseña",
];
/// Asking for a person, in each of [`LOCALES`].
const ASK_PERSON: [&str; 9] = [
    "talk to a human",
    "müşteri temsilcisi",
    "θέλω να μιλήσω με άνθρωπο",
    "nak cakap dengan orang",
    "gribu runāt ar cilvēku",
    "ich möchte mit einem Menschen sprechen",
    "je veux parler à un conseiller",
    "quiero hablar con una persona",
    "позовите оператора",
];
const SAMPLE_EVERY: Duration = Duration::from_secs(30);

struct Args {
    minutes: u64,
    clients: usize,
    agents: usize,
}

fn args() -> Args {
    let mut args = Args {
        minutes: 10,
        clients: 1000,
        agents: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<u64>().ok());
        match flag.as_str() {
            "--minutes" => args.minutes = value().unwrap_or(args.minutes),
            "--clients" => args.clients = value().map_or(args.clients, |v| v as usize),
            "--agents" => args.agents = value().map_or(args.agents, |v| v as usize),
            _ => {} // cargo passes --bench
        }
    }
    args
}

/// Send-to-answer latencies of the current window, and counters.
#[derive(Default)]
struct Stats {
    window: Mutex<Vec<f64>>,
    all: Mutex<Vec<f64>>,
    replies: AtomicU64,
    handoffs: AtomicU64,
    closed_by_agents: AtomicU64,
    errors: AtomicU64,
    queue: AtomicU64,
}

fn main() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let args = args();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run(args));
}

async fn run(args: Args) {
    let data = tempfile::TempDir::new().expect("temp dir");
    // SOAK_CONFIG: top-level settings to try (e.g. `store_cache_mb = 8`).
    let mut config = std::env::var("SOAK_CONFIG").unwrap_or_default();
    config.push_str(
        "\n[limits]\nframes_per_second = 1000\nframes_burst = 1000\n\
         [handoff]\ndefault_handling_s = 60\n",
    );
    for n in 0..args.agents {
        config.push_str(&agent_entry(
            &format!("Agent {n}"),
            &format!("soak-agent-{n}"),
        ));
    }
    let config_path = data.path().join("soak.toml");
    std::fs::write(&config_path, config).expect("config");
    let (mut child, addr) = start_server(&data.path().join("store"), &config_path);
    let pid = child.id();
    let stats = Arc::new(Stats::default());
    let deadline = Instant::now() + Duration::from_secs(args.minutes * 60);

    let mut tasks = Vec::new();
    for n in 0..args.agents {
        tasks.push(tokio::spawn(agent(
            addr,
            format!("soak-agent-{n}"),
            deadline,
            Arc::clone(&stats),
        )));
    }
    for n in 0..args.clients {
        tasks.push(tokio::spawn(customer(
            addr,
            n,
            deadline,
            Arc::clone(&stats),
        )));
        if n % 50 == 49 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    println!("| minute | RSS MiB | open fds | replies/s | p50 ms | p99 ms | queue | handoffs | closed by agents | errors |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let started = Instant::now();
    let mut last_replies = 0;
    let mut rss = Vec::new();
    let mut fds = Vec::new();
    while Instant::now() < deadline {
        tokio::time::sleep(SAMPLE_EVERY.min(deadline.saturating_duration_since(Instant::now())))
            .await;
        let window: Vec<f64> = std::mem::take(&mut *stats.window.lock().expect("lock"));
        let replies = stats.replies.load(Ordering::Relaxed);
        let (r, f) = (rss_mib(pid), open_fds(pid));
        rss.push(r);
        fds.push(f);
        println!(
            "| {:.1} | {r:.1} | {f} | {:.0} | {:.1} | {:.1} | {} | {} | {} | {} |",
            started.elapsed().as_secs_f64() / 60.0,
            (replies - last_replies) as f64 / SAMPLE_EVERY.as_secs_f64(),
            percentile(&window, 0.50),
            percentile(&window, 0.99),
            stats.queue.load(Ordering::Relaxed),
            stats.handoffs.load(Ordering::Relaxed),
            stats.closed_by_agents.load(Ordering::Relaxed),
            stats.errors.load(Ordering::Relaxed),
        );
        last_replies = replies;
    }
    for task in tasks {
        task.abort();
    }
    let all = stats.all.lock().expect("lock").clone();
    println!();
    println!(
        "{} clients, {} agents, {} minutes: {} bot replies, p50 {:.1} ms, p99 {:.1} ms, p99.9 {:.1} ms; \
         RSS {:.1} MiB after the first sample, {:.1} at the end (max {:.1}); open fds {} -> {}",
        args.clients,
        args.agents,
        args.minutes,
        stats.replies.load(Ordering::Relaxed),
        percentile(&all, 0.50),
        percentile(&all, 0.99),
        percentile(&all, 0.999),
        rss.first().copied().unwrap_or(0.0),
        rss.last().copied().unwrap_or(0.0),
        rss.iter().copied().fold(0.0, f64::max),
        fds.first().copied().unwrap_or(0),
        fds.last().copied().unwrap_or(0),
    );
    let _ = child.kill();
    let _ = child.wait();
}

async fn customer(addr: SocketAddr, n: usize, deadline: Instant, stats: Arc<Stats>) {
    let locale = LOCALES[n % LOCALES.len()];
    let mut session: Option<String> = None;
    let mut turn = 0u64;
    let mut seed = n as u64 * 2_654_435_761 + 1;
    let mut random = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    'connection: while Instant::now() < deadline {
        let Ok((mut ws, _)) =
            tokio_tungstenite::connect_async(format!("ws://{addr}/v1/chat")).await
        else {
            stats.errors.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        let hello = match &session {
            Some(token) => json!({"type": "hello", "resume": token, "last_seq": u64::MAX}),
            None => json!({"type": "hello", "locale": locale}),
        };
        if send(&mut ws, hello).await.is_err() {
            continue;
        }
        let Some(welcome) = wait_for(&mut ws, |f| f["type"] == "welcome").await else {
            continue;
        };
        session = welcome["session"].as_str().map(str::to_owned);
        loop {
            if Instant::now() >= deadline {
                break 'connection;
            }
            tokio::time::sleep(Duration::from_millis(1000 + random(2000))).await;
            // 1% of the customers a minute drop their socket and resume.
            if random(6000) < 2 {
                continue 'connection;
            }
            turn += 1;
            let wants_person = random(40) == 0;
            let text = if wants_person {
                ASK_PERSON[n % LOCALES.len()]
            } else {
                TEXTS[random(TEXTS.len() as u64) as usize]
            };
            let sent = Instant::now();
            if send(
                &mut ws,
                json!({"type": "message", "id": format!("t{turn}"), "text": text}),
            )
            .await
            .is_err()
            {
                continue 'connection;
            }
            let answer = wait_for(&mut ws, |f| {
                (f["type"] == "message" && f["from"] != "customer") || f["type"] == "error"
            })
            .await;
            match answer {
                Some(frame) if frame["type"] == "error" => {
                    stats.errors.fetch_add(1, Ordering::Relaxed);
                }
                Some(_) => {
                    let ms = sent.elapsed().as_secs_f64() * 1000.0;
                    stats.window.lock().expect("lock").push(ms);
                    stats.all.lock().expect("lock").push(ms);
                    stats.replies.fetch_add(1, Ordering::Relaxed);
                }
                None => continue 'connection,
            }
            if wants_person {
                // The turn's frames come before the pong: was it handed off?
                if send(&mut ws, json!({"type": "ping"})).await.is_err() {
                    continue 'connection;
                }
                let mut queued = false;
                loop {
                    match next(&mut ws).await {
                        Some(frame) if frame["type"] == "pong" => break,
                        Some(frame) => queued |= frame["type"] == "handoff",
                        None => continue 'connection,
                    }
                }
                if queued {
                    stats.handoffs.fetch_add(1, Ordering::Relaxed);
                    // Wait until an agent closes it, as a customer would.
                    if wait_for(&mut ws, |f| f["type"] == "closed").await.is_none() {
                        continue 'connection;
                    }
                }
            }
        }
    }
}

async fn agent(addr: SocketAddr, token: String, deadline: Instant, stats: Arc<Stats>) {
    while Instant::now() < deadline {
        let Ok((mut ws, _)) =
            tokio_tungstenite::connect_async(format!("ws://{addr}/v1/agent")).await
        else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        if send(&mut ws, json!({"type": "auth", "token": token}))
            .await
            .is_err()
        {
            continue;
        }
        let mut reply = 0u64;
        while let Some(frame) = next(&mut ws).await {
            match frame["type"].as_str() {
                Some("ready") | Some("queue") => {
                    let items = if frame["type"] == "ready" {
                        &frame["queue"]
                    } else {
                        &frame["items"]
                    };
                    let total = if frame["type"] == "ready" {
                        &frame["queue_total"]
                    } else {
                        &frame["total"]
                    };
                    stats
                        .queue
                        .store(total.as_u64().unwrap_or(0), Ordering::Relaxed);
                    if let Some(first) = items.as_array().and_then(|i| i.first()) {
                        let _ = send(
                            &mut ws,
                            json!({"type": "claim", "conversation": first["conversation"]}),
                        )
                        .await;
                    }
                }
                Some("conversation") => {
                    let id = frame["conversation"].clone();
                    reply += 1;
                    let _ = send(&mut ws, json!({"type": "message", "conversation": id, "id": format!("r{reply}"), "text": "Hello, how can I help?"})).await;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    if send(&mut ws, json!({"type": "close", "conversation": id}))
                        .await
                        .is_ok()
                    {
                        stats.closed_by_agents.fetch_add(1, Ordering::Relaxed);
                    }
                }
                _ => {}
            }
        }
    }
}

async fn send(ws: &mut Socket, frame: Value) -> Result<(), ()> {
    ws.send(Message::Text(frame.to_string().into()))
        .await
        .map_err(|_| ())
}

async fn next(ws: &mut Socket) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(60), ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => return serde_json::from_str(text.as_str()).ok(),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

async fn wait_for(ws: &mut Socket, accept: impl Fn(&Value) -> bool) -> Option<Value> {
    loop {
        let frame = next(ws).await?;
        if accept(&frame) {
            return Some(frame);
        }
    }
}

fn agent_entry(name: &str, token: &str) -> String {
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(token.as_bytes()));
    format!(
        "[[agents]]\nname = {name:?}\nlanguages = [\"en\", \"tr\", \"el\", \"ms\", \"lv\", \"de\", \"fr\", \"es\", \"ru\"]\ntoken_sha256 = \"{digest}\"\n"
    )
}

fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
