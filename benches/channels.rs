//! Channel delivery: how fast the outbox delivers to a provider, and how long
//! a reply stored while the provider was down waits after a restart.
//! Not run in CI.
//!
//! `cargo bench --bench channels -- [--messages 1000] [--per-second 30]`
//!
//! A local fake of Telegram's Bot API answers 503 while `--messages`
//! customers (one chat each) write to the bot: every answer is stored and
//! none delivered. The server is killed (SIGKILL), the fake turns healthy, and
//! the server is started again on the same store: every conversation resumes
//! from its delivery cursor at once. Printed: the time from the restarted
//! server's `listening` line to the first and the last delivery, and the
//! delivery rate between them, with the channel's `max_per_second` at
//! `--per-second` (Telegram's own limit, 30, by default) and lifted.

mod common;
use common::start_server;

use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

const SECRET: &str = "bench-secret";
const TOKEN: &str = "1:bench";

#[derive(Default)]
struct Fake {
    healthy: AtomicBool,
    delivered: Mutex<Vec<Instant>>,
}

async fn send_message(
    State(fake): State<Arc<Fake>>,
    Json(_): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if !fake.healthy.load(Ordering::Acquire) {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"ok": false})));
    }
    fake.delivered
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Instant::now());
    (StatusCode::OK, Json(json!({"ok": true, "result": {}})))
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let messages = arg("--messages", 1000) as usize;
    let per_second = arg("--per-second", 30);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        for limit in [per_second, 1_000_000] {
            run(messages, limit).await;
        }
    });
}

async fn run(messages: usize, per_second: u64) {
    let fake = Arc::new(Fake::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let fake_addr = listener.local_addr().expect("address");
    let app = Router::new()
        .route(&format!("/bot{TOKEN}/sendMessage"), post(send_message))
        .with_state(Arc::clone(&fake));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::TempDir::new().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[[channels.telegram]]\nname = \"bench\"\nbot_token = \"{TOKEN}\"\nsecret_token = \"{SECRET}\"\n\
             api_base = \"http://{fake_addr}\"\nretry_initial_ms = 600000\nretry_max_ms = 600000\n\
             max_per_second = {per_second}\n"
        ),
    )
    .expect("config");
    let store = dir.path().join("store");
    let (mut server, addr) = start_server(&store, &config);

    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let url = format!("http://{addr}/v1/channels/telegram/bench");
    let started = Instant::now();
    let mut posts = tokio::task::JoinSet::new();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for _ in 0..16 {
        let (client, url, next) = (client.clone(), url.clone(), Arc::clone(&next));
        posts.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= messages {
                    break;
                }
                let update = json!({"update_id": n, "message": {"message_id": 1, "date": 0,
                    "chat": {"id": 1000 + n, "type": "private"}, "text": "where is my order"}});
                let response = client
                    .post(&url)
                    .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                    .header("Content-Type", "application/json")
                    .body(update.to_string())
                    .send()
                    .await
                    .expect("post");
                assert!(response.status().is_success(), "{}", response.status());
            }
        });
    }
    while posts.join_next().await.is_some() {}
    let taken = started.elapsed();
    kill(&mut server);
    fake.healthy.store(true, Ordering::Release);

    let (mut server, _) = start_server(&store, &config);
    let restarted = Instant::now();
    let deadline = restarted + Duration::from_secs(600);
    loop {
        let delivered = fake
            .delivered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        if delivered >= messages || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let delivered = fake
        .delivered
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    kill(&mut server);
    let (Some(first), Some(last)) = (delivered.first(), delivered.last()) else {
        println!("max_per_second {per_second}: nothing delivered");
        return;
    };
    let spread = last.duration_since(*first).as_secs_f64();
    println!(
        "max_per_second {per_second}: {messages} customers written in {:.1} s ({:.0}/s); after the restart: \
         first reply {:.0} ms, last {:.2} s after `listening`; {} delivered, {:.0} messages/s",
        taken.as_secs_f64(),
        messages as f64 / taken.as_secs_f64(),
        first.duration_since(restarted).as_secs_f64() * 1000.0,
        last.duration_since(restarted).as_secs_f64(),
        delivered.len(),
        if spread > 0.0 { (delivered.len() - 1) as f64 / spread } else { f64::INFINITY },
    );
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}
