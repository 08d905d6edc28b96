//! What one customer turn costs the Redis store, called the two ways a
//! synchronous trait can reach Redis from tokio workers. Not run in CI.
//!
//! `cargo bench --bench redis_store -- [--turns 4000]`
//!
//! A turn is what the engine asks of the store for a customer message: look
//! up the client id (`HGET`), then the append script with the record and two
//! entries (the customer's and the bot's). Measured on a 2-worker tokio
//! runtime against a fresh redis-server (Unix socket, AOF, `appendfsync
//! always`), with 1 and with 100 concurrent conversations:
//!
//! - `pool`: the store as built ([`RedisStore`]: synchronous connections
//!   from a pool, inside `block_in_place`);
//! - `manager`: redis-rs's async `ConnectionManager`, driven from the
//!   synchronous call with `block_in_place` + `Handle::block_on`.
//!
//! Printed per mode: turns per second, and the wall time and the process's
//! CPU time per turn.

#[path = "../tests/api/redis_server.rs"]
mod redis_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use redis_server::RedisServer;
use switchboard::domain::{
    ClientKey, ConversationId, ConversationRecord, EntryBody, Sender, SessionToken, Timestamp,
    TranscriptEntry,
};
use switchboard::storage::{RedisStore, Store};

fn entry(seq: u64, from: Sender, text: &str) -> TranscriptEntry {
    TranscriptEntry {
        seq,
        body: EntryBody::text(from, text.to_owned(), "en"),
        ts: Timestamp::now(),
    }
}

fn cpu() -> Duration {
    // SAFETY: getrusage(2) fills the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Pool,
    Manager,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Pool => "pool (block_in_place)",
            Mode::Manager => "manager (block_in_place + block_on)",
        }
    }
}

/// One turn through the async ConnectionManager, blocking like the trait.
fn manager_turn(
    manager: &redis::aio::ConnectionManager,
    script: &redis::Script,
    record: &ConversationRecord,
    entries: &[TranscriptEntry],
    client: &str,
) {
    let handle = tokio::runtime::Handle::current();
    let id = record.id.to_string();
    let mut manager = manager.clone();
    tokio::task::block_in_place(|| {
        handle.block_on(async {
            let cid = format!("sb:{{c:{id}}}:cid");
            let key = ClientKey::Customer(client).to_bytes();
            let _: Option<u64> = redis::cmd("HGET")
                .arg(&cid)
                .arg(&key)
                .query_async(&mut manager)
                .await
                .expect("hget");
            let mut invocation = script.prepare_invoke();
            invocation
                .key(format!("sb:{{c:{id}}}:meta"))
                .key(format!("sb:{{c:{id}}}:log"))
                .key(&cid)
                .key("sb:conversations")
                .key("sb:session:")
                .key("sb:customer:")
                .key("sb:channel_user:")
                .key("sb:delivery")
                .arg(&id)
                .arg(&key)
                .arg(entries[0].seq)
                .arg(record.last_seq)
                .arg(serde_json::to_vec(record).expect("json"))
                .arg(0)
                .arg("")
                .arg("0")
                .arg("0")
                .arg(entries.len());
            for entry in entries {
                invocation.arg(serde_json::to_vec(entry).expect("json"));
            }
            let (outcome, _): (u8, u64) =
                invocation.invoke_async(&mut manager).await.expect("append");
            assert_eq!(outcome, 2, "appended");
        })
    });
}

async fn run(mode: Mode, redis: &RedisServer, conversations: usize, turns: usize) {
    let store = Arc::new(RedisStore::open(&redis.url()).expect("store"));
    let client = redis::Client::open(redis.url()).expect("client");
    let manager = client.get_connection_manager().await.expect("manager");
    let script = Arc::new(redis::Script::new(RedisStore::APPEND_SCRIPT));
    let each = turns / conversations;
    let (started, cpu_before) = (Instant::now(), cpu());
    let tasks: Vec<_> = (0..conversations)
        .map(|_| {
            let (store, manager, script) = (store.clone(), manager.clone(), script.clone());
            tokio::spawn(async move {
                let mut record =
                    ConversationRecord::new(ConversationId::random(), "en", None, Timestamp::now());
                record.last_seq = 1;
                store
                    .append(
                        &record,
                        true,
                        &[entry(1, Sender::Bot, "hello")],
                        None,
                        Some(&SessionToken::random()),
                    )
                    .expect("first");
                for n in 0..each {
                    let client = format!("m{n}");
                    let seq = record.last_seq + 1;
                    let mut next = record.clone();
                    next.last_seq = seq + 1;
                    let entries = [
                        entry(seq, Sender::Customer, "where is my order 1234567"),
                        entry(
                            seq + 1,
                            Sender::Bot,
                            &"Your order is on its way. ".repeat(8),
                        ),
                    ];
                    match mode {
                        Mode::Manager => manager_turn(&manager, &script, &next, &entries, &client),
                        Mode::Pool => {
                            let key = ClientKey::Customer(&client);
                            assert!(store
                                .seq_of_client_id(&next.id, key)
                                .expect("read")
                                .is_none());
                            store
                                .append(&next, true, &entries, Some((key, seq)), None)
                                .expect("append");
                        }
                    }
                    store.durable(2).await.expect("durable");
                    record = next;
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let (wall, cpu_used) = (started.elapsed(), cpu() - cpu_before);
    let done = (each * conversations) as f64;
    println!(
        "{:<38} conversations={conversations:<4} turns/s={:>7.0} wall/turn={:>6.0} µs cpu/turn={:>5.0} µs",
        mode.name(),
        done / wall.as_secs_f64(),
        wall.as_secs_f64() * 1e6 / done * conversations as f64,
        cpu_used.as_secs_f64() * 1e6 / done,
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut turns = 4000;
    while let Some(arg) = args.next() {
        if arg == "--turns" {
            turns = args.next().and_then(|t| t.parse().ok()).expect("--turns N");
        }
    }
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for conversations in [1, 100] {
        // A B A B: the machine is shared, figures move between runs.
        for _ in 0..2 {
            for mode in [Mode::Pool, Mode::Manager] {
                runtime.block_on(run(mode, &redis, conversations, turns));
            }
        }
    }
}
