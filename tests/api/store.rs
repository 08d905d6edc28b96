//! The store when things go wrong, and what it keeps: a full disk, a damaged
//! store, retention and erasure on request. The real server on port 0 with a
//! real store in a temp dir; a full disk is a small tmpfs (mounting needs
//! root: without it those two tests say they were skipped).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::common::{agent_entry, Customer, SmallDisk, TestServer};
use serde_json::{json, Value};

const ADMIN: &str = "admin-token";
const JOHN: &str = "john-token";

fn config() -> String {
    format!(
        "[limits]\nframes_per_second = 100000\nframes_burst = 100000\n{}\n[[agents]]\nname = \"Admin\"\nlanguages = [\"en\"]\ntoken_sha256 = \"{}\"\nadmin = true\n",
        agent_entry("John", &["en"], JOHN),
        sha256(ADMIN)
    )
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// Polls `check` until it holds, for at most 20 s.
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sends messages until one is refused; returns the ids that were acked.
async fn write_until_refused(customer: &mut Customer) -> Vec<String> {
    let mut acked = Vec::new();
    for n in 0..20_000 {
        let id = format!("m{n}");
        let text = format!("where is my order {}", "x".repeat(500));
        customer
            .send(json!({"type": "message", "id": id, "text": text}))
            .await;
        loop {
            let frame = customer.recv().await;
            match frame["type"].as_str() {
                Some("ack") => {
                    acked.push(id);
                    break;
                }
                Some("error") => {
                    assert_eq!(frame["code"], "internal", "{frame}");
                    assert_eq!(frame["id"], id.as_str());
                    return acked;
                }
                _ => {}
            }
        }
    }
    panic!("the store never ran out of room");
}

/// Every customer message id in the transcript from 0, with how often it appears.
async fn transcript_ids(server: &TestServer, session: &str) -> HashMap<String, usize> {
    let (mut again, welcome) = Customer::resume(server, session, 0).await;
    let mut ids = HashMap::new();
    for _ in 0..welcome["last_seq"].as_u64().expect("last_seq") {
        let entry = again.recv().await;
        if entry["from"] == "customer" {
            *ids.entry(entry["id"].as_str().unwrap_or_default().to_owned())
                .or_default() += 1;
        }
    }
    ids
}

/// True (after saying so) in the Redis suite: the test is about the
/// embedded store's files.
fn skipped_on_redis() -> bool {
    let skipped = crate::common::on_redis();
    if skipped {
        eprintln!("skipped on Redis: this test is about the embedded store's files");
    }
    skipped
}

/// A server whose store lives on a 3 MiB disk.
fn server_on_small_disk() -> Option<(SmallDisk, TestServer)> {
    if skipped_on_redis() {
        return None;
    }
    let Some(disk) = SmallDisk::mount(3) else {
        eprintln!("skipped: cannot mount a tmpfs (needs root)");
        return None;
    };
    let data = tempfile::TempDir::new_in(disk.dir.path()).expect("temp dir");
    let server = TestServer::start_in(data, &config(), None);
    Some((disk, server))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_turns_readiness_off_acks_nothing_and_recovers_when_room_returns() {
    let Some((disk, server)) = server_on_small_disk() else {
        return;
    };
    let mut customer = server.customer("en").await;
    customer.say("m-first", "thanks").await;
    let acked = write_until_refused(&mut customer).await;
    let (status, body) = server.http_get("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("store cannot write"), "{body}");

    disk.grow(64);
    eventually("readiness back", async || {
        server.http_get("/readyz").await.0 == 200
    })
    .await;
    let mut fresh = server.customer("en").await;
    fresh.say("after", "thanks").await;
    customer
        .send(json!({"type": "message", "id": "back", "text": "thanks"}))
        .await;
    customer.wait_for("ack").await;

    let ids = transcript_ids(&server, &customer.session()).await;
    for id in acked
        .iter()
        .chain(["m-first".to_owned(), "back".to_owned()].iter())
    {
        assert_eq!(
            ids.get(id),
            Some(&1),
            "acked {id} is in the transcript once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_whose_disk_is_full_still_stops_cleanly_and_loses_nothing_acked() {
    let Some((disk, mut server)) = server_on_small_disk() else {
        return;
    };
    let mut customer = server.customer("en").await;
    customer.say("m-first", "thanks").await;
    let acked = write_until_refused(&mut customer).await;
    let session = customer.session();
    drop(customer);
    let exit = server.terminate();
    assert!(exit.success(), "SIGTERM with a full disk: {exit}");
    disk.grow(64);
    server.start_again();
    let ids = transcript_ids(&server, &session).await;
    for id in acked.iter().chain(std::iter::once(&"m-first".to_owned())) {
        assert_eq!(ids.get(id), Some(&1), "acked {id} survived");
    }
}

#[tokio::test]
async fn a_damaged_store_is_reported_not_served_as_if_whole() {
    if skipped_on_redis() {
        return;
    }
    let mut server = TestServer::start_with_config(&config());
    for n in 0..3 {
        let mut customer = server.customer("en").await;
        customer.say(&format!("m{n}"), "where is my order").await;
        customer.say(&format!("n{n}"), &"thanks ".repeat(200)).await;
    }
    assert!(server.terminate().success());
    // Cut the journal short, where a crash or a bad disk would: its tail is lost.
    let journal = std::fs::read_dir(server.store_dir())
        .expect("store dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "jnl"))
        .expect("a journal");
    let bytes = std::fs::read(&journal).expect("journal");
    let used = bytes.iter().rposition(|b| *b != 0).map_or(0, |at| at + 1);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .expect("open");
    file.set_len(used as u64 / 3).expect("truncate");

    let run = |extra: &[&str]| {
        let mut command = std::process::Command::new(crate::common::binary());
        command
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(server.store_dir())
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        command
    };
    let output = run(&[]).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("damaged") || stderr.contains("missing") || stderr.contains("corrupt"),
        "says what is wrong: {stderr}"
    );
}

#[tokio::test]
async fn conversations_idle_longer_than_the_retention_are_deleted() {
    // 0.00003 days is about 2.6 s.
    let server = TestServer::start_with_config(&format!("retention_days = 0.00003\n{}", config()));
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is my order").await;
    let path = format!("/v1/conversations/{}", customer.conversation());
    let auth = format!("Bearer {JOHN}");
    let get = async || {
        server
            .http("GET", &path, &[("Authorization", &auth)], "")
            .await
            .0
    };
    assert_eq!(get().await, 200);
    eventually("retention deleted it", async || get().await == 404).await;
}

#[tokio::test]
async fn an_admin_erases_a_customer_everywhere_and_others_cannot() {
    let server = TestServer::start_with_config(&config());
    let mut conversations = Vec::new();
    let mut sessions = Vec::new();
    for n in 0..2 {
        let mut customer = Customer::connect(&server).await;
        customer
            .send(json!({"type": "hello", "locale": "en", "customer": {"id": "cust-42", "email": "ayse@example.com"}}))
            .await;
        customer.welcome = customer.expect("welcome").await;
        customer.expect("message").await;
        customer
            .say(&format!("m{n}"), "zxqv blorptastic wibble")
            .await;
        conversations.push(customer.conversation());
        sessions.push(customer.session());
        if n == 1 {
            // This one stays connected: it is closed by the erasure.
            let admin = format!("Bearer {ADMIN}");
            let (status, body) = server
                .http(
                    "DELETE",
                    "/v1/admin/customers/cust-42",
                    &[("Authorization", &format!("Bearer {JOHN}"))],
                    "",
                )
                .await;
            assert_eq!(status, 403, "only admins erase");
            let refused: Value = serde_json::from_str(&body).expect("JSON");
            assert_eq!(refused["error"]["code"], "unauthorized");
            let message = refused["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("admin") && !message.contains("signed in"),
                "an agent who is signed in is told it takes an admin: {message}"
            );
            let (status, body) = server
                .http(
                    "DELETE",
                    "/v1/admin/customers/cust-42",
                    &[("Authorization", &admin)],
                    "",
                )
                .await;
            assert_eq!(status, 200, "{body}");
            let erased: Value = serde_json::from_str(&body).expect("JSON");
            assert_eq!(erased["erased"], 2);
            assert_eq!(customer.expect_close().await, 1000);
        }
    }
    let auth = format!("Bearer {JOHN}");
    for id in &conversations {
        let (status, _) = server
            .http(
                "GET",
                &format!("/v1/conversations/{id}"),
                &[("Authorization", &auth)],
                "",
            )
            .await;
        assert_eq!(status, 404, "conversation {id} is gone");
    }
    let (_, unanswered) = server
        .http(
            "GET",
            "/v1/insights/unanswered",
            &[("Authorization", &auth)],
            "",
        )
        .await;
    assert!(!unanswered.contains("blorptastic"), "{unanswered}");
    for session in &sessions {
        let (_, welcome) = Customer::resume(&server, session, 0).await;
        assert_eq!(welcome["resumed"], false, "the session token is gone too");
    }
}

#[tokio::test]
async fn switchboard_erase_works_on_a_stopped_server_and_refuses_a_running_one() {
    if skipped_on_redis() {
        return;
    }
    let mut server = TestServer::start_with_config(&config());
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is my order").await;
    let id = customer.conversation();
    drop(customer);
    let erase = |server: &TestServer| {
        std::process::Command::new(crate::common::binary())
            .args(["erase", "--conversation", &id, "--data-dir"])
            .arg(server.store_dir())
            .output()
            .expect("run")
    };
    let busy = erase(&server);
    assert_eq!(busy.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&busy.stderr).contains("in use"));
    // A mistyped --data-dir is refused; it had made an empty store there
    // and said "erased 0 conversation(s)", exit 0.
    let typo = server.store_dir().with_extension("typo");
    let missed = std::process::Command::new(crate::common::binary())
        .args(["erase", "--conversation", &id, "--data-dir"])
        .arg(&typo)
        .output()
        .expect("run");
    assert_eq!(missed.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missed.stderr).contains("no store"),
        "{}",
        String::from_utf8_lossy(&missed.stderr)
    );
    assert!(!typo.exists(), "nothing was made there");

    assert!(server.terminate().success());
    let done = erase(&server);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&done.stdout).trim(),
        "erased 1 conversation(s)"
    );
    server.start_again();
    let (status, _) = server
        .http(
            "GET",
            &format!("/v1/conversations/{id}"),
            &[("Authorization", &format!("Bearer {JOHN}"))],
            "",
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_sled_store_from_an_older_version_is_carried_over_whole() {
    if skipped_on_redis() {
        return;
    }
    use sha2::Digest;
    let data = tempfile::TempDir::new().expect("temp dir");
    let store = data.path().join("store");
    let id = [7u8; 16];
    let token = "0123456789abcdef0123456789abcdef";
    {
        // What Switchboard before fjall wrote: plain JSON values in sled trees.
        let db = sled::open(&store).expect("sled");
        let record = json!({
            "id": hex::encode(id), "locale": "tr", "state": "bot",
            "created_at": "2026-11-01T10:00:00Z", "last_seq": 2
        });
        db.open_tree("conversation_by_id")
            .expect("tree")
            .insert(id, serde_json::to_vec(&record).expect("json"))
            .expect("insert");
        let hash: [u8; 32] = sha2::Sha256::digest(token.as_bytes()).into();
        db.open_tree("conversation_by_session_hash")
            .expect("tree")
            .insert(hash, &id[..])
            .expect("insert");
        let entries = db.open_tree("entry_by_conversation_seq").expect("tree");
        for (seq, from, text) in [
            (1u64, "bot", "Merhaba!"),
            (2, "customer", "siparişim nerede"),
        ] {
            let key = [&id[..], &seq.to_be_bytes()].concat();
            let entry = json!({"seq": seq, "type": "message", "from": from, "text": text, "locale": "tr", "ts": "2026-11-01T10:00:00Z"});
            entries
                .insert(key, serde_json::to_vec(&entry).expect("json"))
                .expect("insert");
        }
        db.flush().expect("flush");
    }
    let server = TestServer::start_in(data, &config(), None);
    let (mut customer, welcome) = Customer::resume(&server, token, 0).await;
    assert_eq!(welcome["resumed"], true, "{welcome}");
    assert_eq!(customer.recv().await["text"], "Merhaba!");
    assert_eq!(customer.recv().await["text"], "siparişim nerede");
    assert!(server
        .store_dir()
        .join("sled-before-fjall")
        .join("db")
        .exists());
}
