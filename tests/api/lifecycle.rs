//! The server as a process: readiness line, HTTP routes, configuration,
//! graceful shutdown, crash recovery, idle reaping and slow clients.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use crate::common::{mask_frame, Customer, RawSocket, TestServer, FRAME_TIMEOUT};
use serde_json::json;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn health_readiness_and_metrics_answer_over_http() {
    let server = TestServer::start();
    assert_eq!(server.http_get("/healthz").await, (200, "ok".to_owned()));
    assert_eq!(server.http_get("/readyz").await.0, 200);
    let mut customer = server.customer("en").await;
    customer.say("m1", "thanks").await;
    let (status, body) = server.http_get("/metrics").await;
    assert_eq!(status, 200);
    assert!(body.contains("switchboard_store_flushes_total"), "{body}");
    assert_eq!(server.http_get("/").await.0, 200);
}

#[tokio::test]
async fn sigterm_closes_every_socket_with_1001_and_exits_0() {
    let mut server = TestServer::start();
    let mut first = server.customer("en").await;
    let mut second = server.customer("tr").await;
    let (ack, _) = first.say("m1", "thanks").await;
    let status = server.terminate();
    assert!(status.success(), "exit status {status}");
    assert_eq!(first.expect_close().await, 1001);
    assert_eq!(second.expect_close().await, 1001);

    // The acked message is there after the restart.
    server.start_again();
    let (mut again, welcome) = Customer::resume(&server, &first.session(), 0).await;
    assert_eq!(welcome["last_seq"], 3);
    again.expect("message").await;
    assert_eq!(again.expect("message").await["seq"], ack["seq"]);
}

#[tokio::test]
async fn every_acked_message_survives_sigkill_exactly_once() {
    const CLIENTS: usize = 10;
    // The clients send as fast as acks come: far above a person's rate budget.
    let mut server = TestServer::start_with_config(
        "[limits]\nframes_per_second = 100000\nframes_burst = 100000\n",
    );
    let (acked_tx, mut acked_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut sessions = Vec::new();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let customer = server.customer("en").await;
        sessions.push(customer.session());
        let acked = acked_tx.clone();
        tasks.push(tokio::spawn(send_until_cut_off(customer, client, acked)));
    }
    drop(acked_tx);
    // Kill the server once every client has had a few messages acked.
    let mut acked: HashMap<usize, Vec<String>> = HashMap::new();
    while acked.values().filter(|ids| ids.len() >= 5).count() < CLIENTS {
        let (client, id) = tokio::time::timeout(FRAME_TIMEOUT, acked_rx.recv())
            .await
            .expect("acks keep coming")
            .expect("senders alive");
        acked.entry(client).or_default().push(id);
    }
    server.kill();
    for task in tasks {
        task.await.expect("client task");
    }
    while let Ok((client, id)) = acked_rx.try_recv() {
        acked.entry(client).or_default().push(id);
    }

    server.start_again();
    for (client, session) in sessions.iter().enumerate() {
        let (mut customer, welcome) = Customer::resume(&server, session, 0).await;
        let last_seq = welcome["last_seq"].as_u64().expect("last_seq");
        let mut seen = Vec::new();
        for seq in 1..=last_seq {
            let entry = customer.expect("message").await;
            assert_eq!(entry["seq"], seq, "replay is gap-free and in order");
            if entry["from"] == "customer" {
                seen.push(entry["id"].as_str().expect("id").to_owned());
            }
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "client {client}: no message twice"
        );
        for id in &acked[&client] {
            assert!(seen.contains(id), "client {client}: acked {id} was lost");
        }
    }
}

/// Sends messages as fast as acks come until the server goes away; reports
/// each acked id.
async fn send_until_cut_off(
    mut customer: Customer,
    client: usize,
    acked: tokio::sync::mpsc::UnboundedSender<(usize, String)>,
) {
    for n in 0.. {
        let id = format!("c{client}-m{n}");
        let frame = json!({"type": "message", "id": id, "text": "thanks"}).to_string();
        use futures_util::SinkExt;
        if customer.ws.send(frame.into()).await.is_err() {
            return;
        }
        loop {
            match customer.next().await {
                Ok(frame) if frame["type"] == "ack" => {
                    let _ = acked.send((client, id.clone()));
                    break;
                }
                Ok(frame) if frame["type"] == "error" => {
                    panic!("unexpected error frame {frame}")
                }
                Ok(_) => continue,
                Err(_) => return,
            }
        }
    }
}

#[tokio::test]
async fn an_idle_connection_that_does_not_answer_pings_is_closed() {
    let server =
        TestServer::start_with_config("[limits]\nping_interval_ms = 100\nidle_timeout_ms = 300\n");
    let mut raw = RawSocket::connect(&server).await;
    raw.send_text(r#"{"type":"hello"}"#).await;
    // Read frames without ever answering a ping, until the server gives up.
    let mut pings = 0;
    let code = loop {
        match raw.read_frame().await {
            (0x9, _) => pings += 1,
            (0x8, payload) => break u16::from_be_bytes([payload[0], payload[1]]),
            _ => continue,
        }
    };
    assert!(pings >= 1, "the server pinged before giving up");
    assert_eq!(code, 1000);
}

#[tokio::test]
async fn a_client_that_answers_pings_stays_connected_past_the_idle_timeout() {
    let server =
        TestServer::start_with_config("[limits]\nping_interval_ms = 50\nidle_timeout_ms = 200\n");
    let mut raw = RawSocket::connect(&server).await;
    raw.send_text(r#"{"type":"hello"}"#).await;
    let mut pings = 0;
    while pings < 10 {
        match raw.read_frame().await {
            (0x9, payload) => {
                pings += 1;
                raw.send_frame(0xA, &payload).await;
            }
            (0x8, _) => panic!("closed after {pings} pings although every ping was answered"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_client_that_never_reads_is_disconnected() {
    let server = TestServer::start_with_config(
        "[limits]\nframes_per_second = 1000000\nframes_burst = 1000000\noutbound_queue = 8\n",
    );
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("rcvbuf");
    let stream = socket.connect(server.addr).await.expect("connect");
    let mut raw = RawSocket::handshake(stream, &server).await;
    raw.send_text(r#"{"type":"hello"}"#).await;
    // Ask for far more pongs than any socket buffer holds, never reading one.
    let ping = mask_frame(0x1, br#"{"type":"ping"}"#);
    let burst: Vec<u8> = ping
        .iter()
        .copied()
        .cycle()
        .take(ping.len() * 1000)
        .collect();
    let cut_off = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if raw.stream.write_all(&burst).await.is_err() {
                return;
            }
        }
    })
    .await;
    assert!(
        cut_off.is_ok(),
        "the server kept buffering for a client that never reads"
    );
}

#[tokio::test]
async fn a_config_file_with_agents_and_hours_is_accepted() {
    let server = TestServer::start_with_config(
        r#"
[[agents]]
name = "Ayşe"
languages = ["tr", "en"]
token_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

[handoff]
hours = "Mon-Fri 09:00-18:00"
timezone = "Europe/Istanbul"
"#,
    );
    assert_eq!(server.http_get("/healthz").await.0, 200);
}

/// Starts the server with a config file `name` holding `contents`, expects
/// it to refuse to start (exit 2, no listening line) and returns its stderr.
fn refused_config(name: &str, contents: &str) -> String {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let config = dir.path().join(name);
    std::fs::write(&config, contents).expect("write");
    let output = std::process::Command::new(crate::common::binary())
        .args(["--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("store"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        output.stdout.is_empty(),
        "no listening line for a server that did not start"
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_bad_config_file_is_refused_with_a_clear_error() {
    let stderr = refused_config("bad.toml", "[limits]\nframes_per_sec = 5\n");
    assert!(
        stderr.contains("bad.toml") && stderr.contains("frames_per_sec"),
        "{stderr}"
    );
}

#[test]
fn an_order_number_pattern_that_is_not_a_regex_is_refused() {
    let stderr = refused_config("shop.toml", "[orders]\nnumber_pattern = '10\\d{5'\n");
    assert!(
        stderr.contains("orders.number_pattern") && stderr.contains("10\\d{5"),
        "{stderr}"
    );
}

#[test]
fn the_listen_address_can_come_from_the_environment() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let output = std::process::Command::new(crate::common::binary())
        .env("SWITCHBOARD_LISTEN", "not-an-address")
        .env("SWITCHBOARD_DATA_DIR", dir.path().join("store"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not-an-address"));
}

#[tokio::test]
async fn without_configured_agents_a_demo_agent_can_log_in_with_the_logged_token() {
    use std::io::BufRead;
    let dir = tempfile::TempDir::new().expect("temp dir");
    let mut child = std::process::Command::new(crate::common::binary())
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("store"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start");
    let stderr = child.stderr.take().expect("stderr");
    let token = std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("token=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned)
        })
        .expect("the demo agent's token in the log");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .expect("address");
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/v1/agent"))
        .await
        .expect("connect");
    use futures_util::{SinkExt, StreamExt};
    ws.send(json!({"type": "auth", "token": token}).to_string().into())
        .await
        .expect("send");
    let ready = tokio::time::timeout(FRAME_TIMEOUT, ws.next())
        .await
        .expect("a frame")
        .expect("open")
        .expect("frame");
    let ready: serde_json::Value =
        serde_json::from_str(ready.to_text().expect("text")).expect("json");
    assert_eq!(ready["type"], "ready");
    assert_eq!(ready["agent"]["name"], "Demo agent");
    assert_eq!(
        ready["agent"]["languages"].as_array().map(Vec::len),
        Some(9)
    );
    let _ = child.kill();
    let _ = child.wait();
}
