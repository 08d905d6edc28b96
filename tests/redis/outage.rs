//! Redis going away under a connected customer, and coming back.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::{Customer, TestServer};
use crate::AckOrError;

/// Polls `check` until it holds, for at most 20 s.
pub(crate) async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_down_nothing_is_acked_and_the_resend_is_acked_once_when_it_is_back() {
    let mut server = TestServer::start();
    let mut customer = server.customer("en").await;
    customer.say("before", "thanks").await;

    server.redis.as_mut().expect("on Redis").kill();
    customer
        .send(json!({"type": "message", "id": "during", "text": "where is my order"}))
        .await;
    let refused = customer.ack_or_error().await;
    assert_eq!(
        refused["type"], "error",
        "no ack while Redis is down: {refused}"
    );
    assert_eq!(refused["code"], "internal", "{refused}");
    assert_eq!(refused["id"], "during", "{refused}");
    let (status, body) = server.http_get("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("store cannot write"), "{body}");

    server.redis.as_mut().expect("on Redis").start_again();
    eventually("readiness back", async || {
        server.http_get("/readyz").await.0 == 200
    })
    .await;
    let mut seqs = Vec::new();
    for _ in 0..2 {
        customer
            .send(json!({"type": "message", "id": "during", "text": "where is my order"}))
            .await;
        let ack = customer.ack_or_error().await;
        assert_eq!(ack["type"], "ack", "{ack}");
        assert_eq!(ack["id"], "during", "{ack}");
        seqs.push(ack["seq"].clone());
    }
    assert_eq!(seqs[0], seqs[1], "the same id, the same ack");

    let (mut again, welcome) = Customer::resume(&server, &customer.session(), 0).await;
    let mut ids: HashMap<String, usize> = HashMap::new();
    for _ in 0..welcome["last_seq"].as_u64().expect("last_seq") {
        let entry = again.recv().await;
        if entry["from"] == "customer" {
            *ids.entry(entry["id"].as_str().unwrap_or_default().to_owned())
                .or_default() += 1;
        }
    }
    assert_eq!(ids.get("before"), Some(&1), "{ids:?}");
    assert_eq!(ids.get("during"), Some(&1), "{ids:?}");
}
