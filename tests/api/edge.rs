//! The edge under hostile or broken clients: half-sent requests, sockets that
//! never say hello, floods from one address, wrong tokens, bad frames.
//! Real clients (some written byte by byte) against the real server.

use std::time::{Duration, Instant};

use crate::common::{agent_entry, mask_frame, text_in, Agent, Customer, RawSocket, TestServer};
use serde_json::json;
use switchboard::domain::ErrorCode;
use switchboard::l10n::Msg;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const JOHN: &str = "john-token";

/// Reads an HTTP response head (status code) from `stream` within 10 s.
async fn status_of(stream: &mut TcpStream) -> u16 {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    tokio::time::timeout(Duration::from_secs(10), async {
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "closed without an answer");
            head.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .expect("an answer within 10 s");
    String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_do_not_hold_the_shutdown() {
    let mut server = TestServer::start_logging("", Some("info"));
    let mut half_header = TcpStream::connect(server.addr).await.expect("connect");
    half_header
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let mut short_body = TcpStream::connect(server.addr).await.expect("connect");
    short_body
        .write_all(
            b"POST /v1/nlu/parse HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"text\"",
        )
        .await
        .expect("write");
    // Both are in the server's hands before the signal.
    let (status, _) = server.http_get("/healthz").await;
    assert_eq!(status, 200);
    let started = Instant::now();
    let exit = server.terminate();
    assert!(exit.success(), "{exit}\n{}", server.log());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "PROTOCOL.md: exit within 10 s, took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_absurd_content_length_is_refused_at_once() {
    let server = TestServer::start();
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    stream
        .write_all(
            b"POST /v1/nlu/parse HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 9223372036854775808\r\n\r\n{}",
        )
        .await
        .expect("write");
    assert_eq!(status_of(&mut stream).await, 413);
}

#[tokio::test]
async fn a_socket_that_never_says_hello_is_closed_even_if_it_answers_pings() {
    let server =
        TestServer::start_with_config("[limits]\nhello_timeout_ms = 300\nping_interval_ms = 100\n");
    let mut raw = RawSocket::connect(&server).await;
    raw.send_frame(0x9, b"still here").await;
    loop {
        let (opcode, payload) = raw.read_frame().await;
        match opcode {
            0x1 => {
                let frame: serde_json::Value = serde_json::from_slice(&payload).expect("JSON");
                assert_eq!(frame["code"], "hello_required", "{frame}");
            }
            // Pings and pongs keep it alive, but not past the hello deadline.
            0x9 => raw.send_frame(0xA, &payload).await,
            0xA => {}
            0x8 => {
                assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 1008);
                return;
            }
            other => panic!("unexpected opcode {other}"),
        }
    }
}

#[tokio::test]
async fn sockets_are_capped_per_address_while_others_still_connect() {
    let server = TestServer::start_with_config("[limits]\nmax_sockets_per_address = 3\n");
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(Customer::connect_from(&server, "127.0.0.2").await);
    }
    let refused = tokio_tungstenite::client_async(server.ws_url(), {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind("127.0.0.2:0".parse().expect("addr"))
            .expect("bind");
        socket.connect(server.addr).await.expect("connect")
    })
    .await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 503);
            assert_eq!(
                response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok()),
                Some("10")
            );
            // The API's JSON error body, as on every HTTP refusal.
            let body: serde_json::Value =
                serde_json::from_slice(response.body().as_deref().unwrap_or_default())
                    .expect("a JSON body");
            assert_eq!(body["error"]["code"], "rate_limited", "{body}");
        }
        other => panic!("expected 503, got {other:?}"),
    }
    // Another address, and this host (a trusted proxy), still get in.
    let mut other = Customer::connect_from(&server, "127.0.0.3").await;
    other.send(json!({"type": "hello", "locale": "en"})).await;
    other.expect("welcome").await;
    let _local = server.customer("en").await;
    // A closed socket frees its place.
    held.pop();
    let mut again = loop {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind("127.0.0.2:0".parse().expect("addr"))
            .expect("bind");
        let stream = socket.connect(server.addr).await.expect("connect");
        if let Ok((ws, _)) = tokio_tungstenite::client_async(server.ws_url(), stream).await {
            break ws;
        }
    };
    use futures_util::SinkExt;
    again
        .send(tokio_tungstenite::tungstenite::Message::Text(
            json!({"type": "hello"}).to_string().into(),
        ))
        .await
        .expect("send");
}

#[tokio::test]
async fn new_conversations_from_one_address_are_paced_but_resumes_are_not() {
    let server =
        TestServer::start_with_config("[limits]\nconversations_per_minute_per_address = 2\n");
    let mut sessions = Vec::new();
    for _ in 0..2 {
        let mut customer = Customer::connect_from(&server, "127.0.0.4").await;
        customer
            .send(json!({"type": "hello", "locale": "en"}))
            .await;
        customer.welcome = customer.expect("welcome").await;
        customer.expect("message").await;
        customer.say("m1", "thanks").await;
        sessions.push(customer.session());
    }
    let mut third = Customer::connect_from(&server, "127.0.0.4").await;
    third.send(json!({"type": "hello", "locale": "tr"})).await;
    // Said in the language the hello asked for, as is what follows it.
    let refused = third.expect_error("rate_limited").await;
    let turkish = |code| text_in("tr", &Msg::Error { code });
    assert_eq!(refused["message"], turkish(ErrorCode::RateLimited));
    third
        .send(json!({"type": "message", "id": "m1", "text": "merhaba"}))
        .await;
    let early = third.expect_error("hello_required").await;
    assert_eq!(early["message"], turkish(ErrorCode::HelloRequired));
    // Coming back to an existing conversation is never paced.
    let mut back = Customer::connect_from(&server, "127.0.0.4").await;
    back.send(json!({"type": "hello", "resume": sessions[0], "last_seq": 3}))
        .await;
    assert_eq!(back.expect("welcome").await["resumed"], true);
}

#[tokio::test]
async fn wrong_agent_tokens_make_the_address_wait_and_say_so_once() {
    let server = TestServer::start_logging(&agent_entry("John", &["en"], JOHN), Some("warn"));
    for _ in 0..5 {
        let mut agent = Agent::connect_from(&server, "127.0.0.5", "guess").await;
        assert_eq!(agent.ready["code"], "unauthorized", "{}", agent.ready);
        assert_eq!(agent.expect_close().await, 1008);
    }
    // Even the right token waits now.
    let agent = Agent::connect_from(&server, "127.0.0.5", JOHN).await;
    assert_eq!(agent.ready["code"], "rate_limited", "{}", agent.ready);
    // Other addresses are not held back.
    let agent = Agent::connect_from(&server, "127.0.0.6", JOHN).await;
    assert_eq!(agent.ready["type"], "ready");
    let log = server.log();
    assert_eq!(
        log.matches("wrong agent tokens").count(),
        1,
        "one line for the burst:\n{log}"
    );
}

#[tokio::test]
async fn pages_carry_security_headers_and_foreign_origins_are_refused() {
    let config = format!(
        "[limits]\nallowed_origins = [\"https://shop.example\"]\n{}",
        agent_entry("John", &["en"], JOHN)
    );
    let server = TestServer::start_with_config(&config);
    for page in ["/", "/agent", "/help/returns"] {
        let mut stream = TcpStream::connect(server.addr).await.expect("connect");
        stream
            .write_all(
                format!("GET {page} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .await
            .expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).await.expect("read");
        let head = response
            .split("\r\n\r\n")
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        for header in [
            "content-security-policy: default-src 'self'",
            "x-frame-options: deny",
            "x-content-type-options: nosniff",
            "referrer-policy:",
        ] {
            assert!(head.contains(header), "{page} lacks {header}:\n{head}");
        }
    }
    let upgrade = |path: &str, origin: &str| {
        format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n",
            server.addr
        )
    };
    for (path, origin, expected) in [
        ("/v1/chat", "https://evil.example".to_owned(), 403),
        ("/v1/chat", "https://shop.example".to_owned(), 101),
        ("/v1/agent", "https://evil.example".to_owned(), 403),
        ("/v1/agent", format!("http://{}", server.addr), 101),
    ] {
        let mut stream = TcpStream::connect(server.addr).await.expect("connect");
        stream
            .write_all(upgrade(path, &origin).as_bytes())
            .await
            .expect("write");
        assert_eq!(
            status_of(&mut stream).await,
            expected,
            "{path} from {origin}"
        );
    }
    // CORS for the HTTP API follows the same list.
    let (status, _) = server
        .http(
            "OPTIONS",
            "/v1/nlu/parse",
            &[
                ("Origin", "https://shop.example"),
                ("Access-Control-Request-Method", "POST"),
            ],
            "",
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_ping_flood_is_closed_with_1008() {
    let server = TestServer::start();
    let mut raw = RawSocket::connect(&server).await;
    raw.send_text(r#"{"type":"hello"}"#).await;
    let flood: Vec<u8> = (0..200).flat_map(|_| mask_frame(0x9, b"")).collect();
    raw.stream.write_all(&flood).await.expect("write");
    loop {
        let (opcode, payload) = raw.read_frame().await;
        if opcode == 0x8 {
            assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 1008);
            return;
        }
    }
}

#[tokio::test]
async fn invalid_utf8_gets_1007_and_a_protocol_violation_1002() {
    let server = TestServer::start();
    let mut raw = RawSocket::connect(&server).await;
    raw.send_frame(0x1, &[0xff, 0xfe, 0xfd]).await;
    let (opcode, payload) = raw.read_frame().await;
    assert_eq!(opcode, 0x8);
    assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 1007);

    let mut raw = RawSocket::connect(&server).await;
    // Opcode 0x3 is reserved (RFC 6455 §5.2).
    raw.send_frame(0x3, b"").await;
    let (opcode, payload) = raw.read_frame().await;
    assert_eq!(opcode, 0x8);
    assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 1002);
}

#[tokio::test]
async fn an_unfinished_frame_is_closed_after_its_deadline() {
    let server = TestServer::start_with_config("[limits]\nframe_timeout_ms = 400\n");
    let mut raw = RawSocket::connect(&server).await;
    raw.send_text(r#"{"type":"hello"}"#).await;
    // A text frame announcing 10,000 bytes, of which 100 arrive.
    let mut partial = vec![0x81, 0x80 | 126];
    partial.extend_from_slice(&10_000u16.to_be_bytes());
    partial.extend_from_slice(&[0, 0, 0, 0]);
    partial.extend_from_slice(&[b'x'; 100]);
    raw.stream.write_all(&partial).await.expect("write");
    loop {
        let (opcode, payload) = raw.read_frame().await;
        if opcode == 0x8 {
            assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 1008);
            return;
        }
    }
}

#[tokio::test]
async fn customer_and_agent_message_ids_never_collide() {
    let config = format!(
        "[limits]\nframes_per_second = 1000\nframes_burst = 1000\n{}",
        agent_entry("John", &["en"], JOHN)
    );
    let server = TestServer::start_with_config(&config);
    let mut customer = server.customer("en").await;
    customer
        .send(json!({"type": "message", "id": "q", "text": "talk to a human"}))
        .await;
    customer.wait_for("handoff").await;
    let mut john = Agent::connect(&server, JOHN).await;
    john.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    john.expect_skipping_notices("conversation").await;
    // A customer id that spells the agent's old key.
    customer
        .send(json!({"type": "message", "id": "agent:John:1", "text": "hello?"}))
        .await;
    customer.wait_for("ack").await;
    john.send(json!({"type": "message", "conversation": customer.conversation(), "id": "1", "text": "Hi, John here"}))
        .await;
    // The relay of the customer's "hello?" and the ack of John's own message
    // may come in either order: they answer different events.
    let (mut relayed, mut ack) = (None, None);
    while relayed.is_none() || ack.is_none() {
        let frame = john.recv().await;
        match frame["type"].as_str() {
            Some("message") => relayed = Some(frame),
            Some("ack") => ack = Some(frame),
            Some("queue" | "claimed" | "closed") => {}
            _ => panic!("unexpected frame {frame}"),
        }
    }
    let (relayed, ack) = (relayed.expect("relayed"), ack.expect("ack"));
    assert_eq!(relayed["text"], "hello?", "{relayed}");
    let reply = loop {
        let frame = customer.wait_for("message").await;
        // Skip system notices and the customer's own words (sent to every tab).
        if !["system", "customer"].contains(&frame["from"].as_str().unwrap_or("")) {
            break frame;
        }
    };
    assert_eq!(reply["from"], "agent");
    assert_eq!(reply["seq"], ack["seq"]);
}

#[tokio::test]
async fn trace_logging_never_shows_tokens() {
    let server = TestServer::start_logging(&agent_entry("John", &["en"], JOHN), Some("trace"));
    let customer = server.customer("en").await;
    let john = Agent::connect(&server, JOHN).await;
    drop((customer, john));
    let (status, _) = server.http_get("/healthz").await;
    assert_eq!(status, 200);
    let log = server.log();
    assert!(!log.is_empty(), "trace logging is on");
    assert!(!log.contains(JOHN), "the agent token is in the log");
}

#[test]
fn configs_that_cannot_work_are_refused_with_the_reason() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let same = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    for (config, says) in [
        (
            format!(
                "{}{}",
                agent_entry("Ayşe", &["tr"], "a"),
                agent_entry("Ayşe", &["en"], "b")
            ),
            "configured twice",
        ),
        (
            format!(
                "[[agents]]\nname = \"A\"\nlanguages = [\"en\"]\ntoken_sha256 = \"{same}\"\n\
                 [[agents]]\nname = \"B\"\nlanguages = [\"en\"]\ntoken_sha256 = \"{same}\"\n"
            ),
            "same token",
        ),
        (agent_entry(" ", &["en"], "c"), "empty name"),
        (
            "[limits]\noutbound_queue = 1\n".to_owned(),
            "outbound_queue",
        ),
    ] {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, &config).expect("write");
        let output = std::process::Command::new(crate::common::binary())
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path().join("store"))
            .arg("--config")
            .arg(&path)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "{config}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{config}: {stderr}");
    }
}

#[test]
fn a_fifo_in_the_content_does_not_hang_the_check() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["intents", "locales", "knowledge"] {
        copy_tree(&root.join(folder), &dir.path().join(folder));
    }
    let fifo = dir.path().join("locales/en/stuck.ftl");
    let c_path = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("path");
    // SAFETY: mkfifo(3) on a path we own, with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let mut child = std::process::Command::new(crate::common::binary())
        .args(["check", "--content-dir"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`switchboard check` hung on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// A path segment that is not UTF-8 once percent-decoded is a 400 with the
/// API's JSON error body on every route that takes one (axum's own answer
/// is plain text), as is a WebSocket path asked without the upgrade.
#[tokio::test]
async fn a_path_segment_that_is_not_utf8_gets_a_json_error() {
    let server = TestServer::start();
    for (method, path) in [
        ("GET", "/v1/conversations/%00%ff"),
        ("DELETE", "/v1/admin/conversations/%ff"),
        ("DELETE", "/v1/admin/customers/%ff%fe"),
        ("POST", "/v1/channels/webhook/%ff"),
        ("POST", "/v1/channels/telegram/%ff"),
        ("GET", "/v1/channels/whatsapp/%ff"),
        ("GET", "/help/%ff"),
        ("GET", "/v1/chat"),
    ] {
        let (status, body) = server.http(method, path, &[], "").await;
        assert_eq!(status, 400, "{method} {path}: {body}");
        let answer: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {body}"));
        assert_eq!(
            answer["error"]["code"], "bad_request",
            "{method} {path}: {body}"
        );
        assert!(
            answer["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{method} {path}: {body}"
        );
    }
}
