use std::collections::BTreeMap;
use std::net::SocketAddr;

use serde_json::json;

use super::*;
use crate::config::{ActionConfig, ActionUrl, WebhookSecret};

fn request(action: &str, order: &str) -> ActionRequest {
    ActionRequest {
        action: action.to_owned(),
        intent: "order_status".to_owned(),
        conversation: "0123456789abcdef0123456789abcdef".to_owned(),
        locale: "tr".to_owned(),
        slots: BTreeMap::from([("order_number".to_owned(), order.to_owned())]),
        customer: None,
    }
}

#[test]
fn a_request_serialises_with_the_protocol_keys_in_order() {
    let mut request = request("order_lookup", "1004527");
    request.customer = Some(json!({ "id": "c-42" }));
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"action":"order_lookup","intent":"order_status","conversation":"0123456789abcdef0123456789abcdef","locale":"tr","slots":{"order_number":"1004527"},"customer":{"id":"c-42"}}"#
    );
    request.customer = None;
    assert!(serde_json::to_string(&request)
        .unwrap()
        .ends_with(r#""customer":null}"#));
}

#[test]
fn a_message_with_args_and_quick_replies_is_a_reply() {
    let body = json!({
        "message": "order-cancelled",
        "args": { "order": "1004528", "count": 2, "paid": true,
                  "refund": { "amount": "49.90", "currency": "EUR" } },
        "quick_replies": ["return_item"],
        "extra": "ignored"
    });
    let answer = parse_answer(body.to_string().as_bytes()).expect("a good answer");
    let ActionAnswer::Reply {
        message,
        args,
        quick_replies,
    } = answer
    else {
        panic!("not a reply");
    };
    assert_eq!(message, "order-cancelled");
    assert_eq!(args.len(), 4);
    assert_eq!(quick_replies, ["return_item"]);
    assert_eq!(
        parse_answer(br#"{"handoff": true}"#),
        Ok(ActionAnswer::Handoff)
    );
}

#[test]
fn malformed_answers_are_refused_with_a_reason() {
    let too_many_args: serde_json::Map<String, Value> = (0..=MAX_ARGS)
        .map(|i| (format!("a{i}"), json!(i)))
        .collect();
    let too_many_replies: Vec<String> = (0..=MAX_QUICK_REPLIES).map(|i| format!("i{i}")).collect();
    for (body, reason) in [
        ("not json".to_owned(), "not JSON"),
        ("[1]".to_owned(), "not a JSON object"),
        ("{}".to_owned(), "neither"),
        (r#"{"handoff": false}"#.to_owned(), "neither"),
        (r#"{"message": "1st"}"#.to_owned(), "Fluent message id"),
        (r#"{"message": "a b"}"#.to_owned(), "Fluent message id"),
        (
            r#"{"message": "ok", "args": {"x": null}}"#.to_owned(),
            "arg `x`",
        ),
        (
            r#"{"message": "ok", "args": {"x": [1]}}"#.to_owned(),
            "arg `x`",
        ),
        (
            r#"{"message": "ok", "args": {"x": {"amount": "1"}}}"#.to_owned(),
            "arg `x`",
        ),
        (
            r#"{"message": "ok", "args": {"x": {"amount": "1", "currency": "eur"}}}"#.to_owned(),
            "arg `x`",
        ),
        (
            r#"{"message": "ok", "args": {"bad name": 1}}"#.to_owned(),
            "variable name",
        ),
        (
            json!({ "message": "ok", "args": too_many_args }).to_string(),
            "more than 20",
        ),
        (
            json!({ "message": "ok", "quick_replies": too_many_replies }).to_string(),
            "more than 10",
        ),
        (
            r#"{"message": "ok", "quick_replies": [1]}"#.to_owned(),
            "quick reply",
        ),
    ] {
        let error = parse_answer(body.as_bytes()).expect_err(&body);
        assert!(error.contains(reason), "{body}: {error}");
    }
}

/// Serves the demo shop on 127.0.0.1:0 and returns its address.
async fn serve_shop(secret: &WebhookSecret) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let router = demo::router(secret.bytes().to_vec());
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

fn action(path: &str, secret: Option<&WebhookSecret>, timeout_ms: u64) -> ActionConfig {
    ActionConfig {
        url: ActionUrl::parse(path).expect("a URL"),
        secret: secret.cloned(),
        timeout_ms,
    }
}

fn iso(days: i64) -> String {
    jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

fn reply(answer: Result<ActionAnswer, ActionError>) -> (String, Value, Vec<String>) {
    match answer {
        Ok(ActionAnswer::Reply {
            message,
            args,
            quick_replies,
        }) => (message, Value::Object(args), quick_replies),
        other => panic!("not a reply: {other:?}"),
    }
}

#[tokio::test]
async fn the_demo_shop_answers_every_action_and_failure_through_the_client() {
    let secret = WebhookSecret::random();
    let shop = serve_shop(&secret).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let configs = BTreeMap::from([
        (
            "order_lookup".to_owned(),
            action("/demo/shop/order_lookup", Some(&secret), 2000),
        ),
        (
            "order_cancel".to_owned(),
            action("/demo/shop/order_cancel", Some(&secret), 2000),
        ),
        (
            "change_address".to_owned(),
            action("/demo/shop/change_address", Some(&secret), 2000),
        ),
        (
            "impatient".to_owned(),
            action("/demo/shop/order_lookup", Some(&secret), 300),
        ),
        (
            "forged".to_owned(),
            action(
                "/demo/shop/order_lookup",
                Some(&WebhookSecret::random()),
                2000,
            ),
        ),
        (
            "unsigned".to_owned(),
            action("/demo/shop/order_lookup", None, 2000),
        ),
        (
            "absent".to_owned(),
            action("/demo/shop/no_such_action", Some(&secret), 2000),
        ),
        (
            "unreachable".to_owned(),
            action(&format!("http://{closed}/x"), Some(&secret), 2000),
        ),
    ]);
    let actions = Actions::new(&configs, shop).expect("a client");
    assert!(actions.names().any(|n| n == "order_lookup"));
    assert!(!actions.names().any(|n| n == "refund"));

    let (message, args, _) = reply(
        actions
            .call("order_lookup", &request("order_lookup", "1004527"))
            .await,
    );
    assert_eq!(message, "order-shipped");
    assert_eq!(
        args,
        json!({ "order": "1004527", "carrier": "DHL",
                "tracking_url": "https://www.dhl.com/track?id=JD014600003828",
                "shipped_on": iso(-2), "delivery_by": iso(2) })
    );
    let (message, args, _) = reply(
        actions
            .call("order_lookup", &request("order_lookup", "1004528"))
            .await,
    );
    assert_eq!(message, "order-in-warehouse");
    assert_eq!(
        args,
        json!({ "order": "1004528", "ordered_on": iso(-1), "ships_by": iso(1) })
    );
    let (message, args, _) = reply(
        actions
            .call("order_lookup", &request("order_lookup", " #555"))
            .await,
    );
    assert_eq!(
        (message.as_str(), args),
        ("order-not-found", json!({ "order": "555" }))
    );

    let (message, args, _) = reply(
        actions
            .call("order_cancel", &request("order_cancel", "1004528"))
            .await,
    );
    assert_eq!(message, "order-cancelled");
    assert_eq!(
        args,
        json!({ "order": "1004528", "refund": { "amount": "49.90", "currency": "EUR" } })
    );
    let (message, args, quick_replies) = reply(
        actions
            .call("order_cancel", &request("order_cancel", "1004527"))
            .await,
    );
    assert_eq!(message, "order-cancel-too-late");
    assert_eq!(args, json!({ "order": "1004527", "shipped_on": iso(-2) }));
    assert_eq!(quick_replies, ["return_item"]);
    let (message, _, _) = reply(
        actions
            .call("order_cancel", &request("order_cancel", "1"))
            .await,
    );
    assert_eq!(message, "order-not-found");

    let (message, args, _) = reply(
        actions
            .call("change_address", &request("change_address", "1004528"))
            .await,
    );
    assert_eq!(message, "address-change-possible");
    assert_eq!(
        args,
        json!({ "order": "1004528", "ships_by": iso(1),
                "url": "https://shop.example.com/orders/1004528/address" })
    );
    let (message, args, _) = reply(
        actions
            .call("change_address", &request("change_address", "1004527"))
            .await,
    );
    assert_eq!(message, "address-change-too-late");
    assert_eq!(
        args,
        json!({ "order": "1004527", "carrier": "DHL",
                "tracking_url": "https://www.dhl.com/track?id=JD014600003828" })
    );
    let (message, _, _) = reply(
        actions
            .call("change_address", &request("change_address", "9"))
            .await,
    );
    assert_eq!(message, "order-not-found");

    // The failure paths.
    let slow = actions
        .call("impatient", &request("order_lookup", "1009991"))
        .await;
    assert!(
        matches!(
            slow,
            Err(ActionError::Timeout {
                timeout_ms: 300,
                ..
            })
        ),
        "{slow:?}"
    );
    let down = actions
        .call("order_lookup", &request("order_lookup", "1009992"))
        .await;
    assert!(
        matches!(down, Err(ActionError::Status { status: 500, .. })),
        "{down:?}"
    );
    let garbled = actions
        .call("order_cancel", &request("order_cancel", "1009993"))
        .await;
    assert!(
        matches!(&garbled, Err(ActionError::BadAnswer { reason, .. }) if reason.starts_with("not JSON")),
        "{garbled:?}"
    );
    let handoff = actions
        .call("change_address", &request("change_address", "1009994"))
        .await;
    assert!(matches!(handoff, Ok(ActionAnswer::Handoff)), "{handoff:?}");
    let (message, _, _) = reply(
        actions
            .call("order_lookup", &request("order_lookup", "1009995"))
            .await,
    );
    assert_eq!(
        message, "order-exploded",
        "the client checks syntax; the caller checks the catalogue"
    );
    let forged = actions
        .call("forged", &request("order_lookup", "1004527"))
        .await;
    assert!(
        matches!(forged, Err(ActionError::Status { status: 401, .. })),
        "{forged:?}"
    );
    let unsigned = actions
        .call("unsigned", &request("order_lookup", "1004527"))
        .await;
    assert!(
        matches!(unsigned, Err(ActionError::Status { status: 401, .. })),
        "{unsigned:?}"
    );
    let absent = actions
        .call("absent", &request("order_lookup", "1004527"))
        .await;
    assert!(
        matches!(absent, Err(ActionError::Status { status: 404, .. })),
        "{absent:?}"
    );
    let unreachable = actions
        .call("unreachable", &request("order_lookup", "1004527"))
        .await;
    assert!(
        matches!(unreachable, Err(ActionError::Transport { .. })),
        "{unreachable:?}"
    );
    let unknown = actions.call("refund", &request("refund", "1004527")).await;
    assert!(
        matches!(unknown, Err(ActionError::Unknown(ref name)) if name == "refund"),
        "{unknown:?}"
    );
}
