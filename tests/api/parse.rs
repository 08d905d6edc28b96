//! `POST /v1/nlu/parse` through a real server, and the NLU inside real
//! conversations in each core locale.

use std::collections::BTreeMap;

use crate::common::TestServer;
use serde_json::{json, Value};
use switchboard::config::bundled_content_dir;

async fn parse(server: &TestServer, body: Value) -> (u16, Value) {
    let (status, text) = server.http_post("/v1/nlu/parse", &body.to_string()).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn parse_returns_language_intent_entities_and_ranking() {
    let server = TestServer::start();
    let (status, body) = parse(&server, json!({"text": "SİPARİŞİM NEREDE #1004527"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["language"], "tr");
    assert_eq!(body["intent"], "order_status");
    let confidence = body["confidence"].as_f64().expect("confidence");
    assert!(confidence > 0.5 && confidence <= 1.0, "{body}");
    assert_eq!(
        body["entities"],
        json!([{"entity": "order_number", "value": "1004527", "start": 17, "end": 25}])
    );
    let ranking = body["ranking"].as_array().expect("ranking");
    assert_eq!(ranking[0]["intent"], "order_status");
    let confidences: Vec<f64> = ranking
        .iter()
        .filter_map(|r| r["confidence"].as_f64())
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "sorted: {body}"
    );
}

#[tokio::test]
async fn parse_finds_amounts_emails_and_phones() {
    let server = TestServer::start();
    let (_, body) = parse(
        &server,
        json!({"text": "I was charged 49,90 € twice, write to me at ayse@example.com or +90 532 123 45 67", "locale": "en-GB"}),
    )
    .await;
    assert_eq!(body["language"], "en");
    assert_eq!(body["intent"], "payment_problem");
    let kinds: Vec<(&str, &str)> = body["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| {
            (
                e["entity"].as_str().unwrap_or(""),
                e["value"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("amount", "49.90 EUR"),
            ("email", "ayse@example.com"),
            ("phone", "+905321234567")
        ]
    );
}

#[tokio::test]
async fn an_off_topic_text_has_a_null_intent_but_still_a_ranking() {
    let server = TestServer::start();
    let (status, body) = parse(
        &server,
        json!({"text": "what's the weather like in paris tomorrow", "locale": "en"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["intent"], Value::Null, "{body}");
    assert!(!body["ranking"].as_array().expect("ranking").is_empty());
}

#[tokio::test]
async fn parse_refuses_bad_input_with_the_chat_error_codes() {
    let server = TestServer::start();
    let (status, body) = parse(&server, json!({"text": "   "})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_request"))
    );
    let (status, body) = parse(&server, json!({"text": "\u{200B}\u{FEFF}\u{180E}"})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_request"))
    );
    let (status, body) = parse(&server, json!({"text": "ş".repeat(4001)})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_request"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("4000")),
        "{body}"
    );
    let (status, text) = server.http_post("/v1/nlu/parse", "not json").await;
    assert_eq!(status, 400, "{text}");
    let (status, text) = server
        .http_post(
            "/v1/nlu/parse",
            &json!({"text": "a".repeat(20_000)}).to_string(),
        )
        .await;
    assert_eq!(status, 413, "{text}");
    let body: Value = serde_json::from_str(&text).expect("json error body");
    assert_eq!(body["error"]["code"], "too_large");
    // Error messages follow the requested locale.
    let (_, body) = parse(&server, json!({"text": "", "locale": "tr"})).await;
    let tr_message = body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (_, body) = parse(&server, json!({"text": ""})).await;
    assert_ne!(
        body["error"]["message"].as_str().unwrap_or_default(),
        tr_message
    );
}

#[derive(serde::Deserialize)]
struct HeldOut {
    examples: BTreeMap<String, Vec<String>>,
}

fn held_out(intent: &str) -> BTreeMap<String, Vec<String>> {
    let path = bundled_content_dir().join(format!("tests/data/heldout/{intent}.toml"));
    let file: HeldOut =
        toml::from_str(&std::fs::read_to_string(path).expect("read")).expect("toml");
    file.examples
}

#[tokio::test]
async fn a_customer_in_each_core_locale_is_answered_in_it_with_the_right_intent() {
    let server = TestServer::start();
    for intent in ["return_item", "payment_methods", "warranty"] {
        let examples = held_out(intent);
        for locale in ["en", "tr", "el", "ms", "lv"] {
            let mut customer = server.customer(locale).await;
            let text = &examples[locale][0];
            let (_, reply) = customer.say("m1", text).await;
            assert_eq!(reply["intent"], intent, "{locale}: {text:?} -> {reply}");
            assert_eq!(reply["locale"], locale, "{reply}");
            let confidence = reply["confidence"].as_f64().expect("confidence");
            assert!(confidence > 0.0 && confidence <= 1.0);
        }
    }
}
