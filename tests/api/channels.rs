//! Messaging channels (PROTOCOL.md "Messaging channels"): Telegram, WhatsApp
//! Cloud and a signed generic webhook, each against a fake of the provider's
//! API (`fakes`) that records what the server sends. What a channel
//! customer is told is compared with what the web chat tells a customer who
//! says the same (one engine), so these tests follow the bundled content.
//!
//! Nothing here sleeps for a delivery: a test waits (with a timeout) for the
//! request it expects at the fake. "Nothing else was sent" is shown with a
//! later message of the same customer: deliveries keep a conversation's
//! order, so once the later message's answer has arrived, anything stored
//! before it would have arrived first.

use std::collections::HashSet;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};
use switchboard::l10n::Msg;

use crate::common::{agent_entry, localizer, text_in, Agent, Customer, TestServer};
use crate::fakes::{
    hub_signature, standard_webhooks_signature, unix_now, FakeApi, Mode, Recorded, DELIVERY_TIMEOUT,
};

const BOT_TOKEN: &str = "123456:ABC-DEF";
pub(crate) const TELEGRAM_SECRET: &str = "s3cr3t-Token_1";
const PHONE_NUMBER_ID: &str = "1234567890";
const ACCESS_TOKEN: &str = "EAAGtest";
const APP_SECRET: &str = "appsecret";
const VERIFY_TOKEN: &str = "verify-me";
const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A valid secret, but not the channel's.
const OTHER_WEBHOOK_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const AYSE: &str = "ayse-token";
/// The Telegram customer's chat.
pub(crate) const CHAT: i64 = 42;
/// The WhatsApp customer's number.
const ALI: &str = "905321234567";

/// Backoff of milliseconds, so that a retry is not a wait of the defaults' seconds.
pub(crate) const FAST_RETRIES: &str = "retry_initial_ms = 50\nretry_max_ms = 500\n";
/// Gives up after a second, retrying quickly until then.
const GIVE_UP_FAST: &str = "retry_initial_ms = 20\nretry_max_ms = 100\ngive_up_after_s = 1\n";

// ---------------------------------------------------------------- config

pub(crate) fn telegram_channel(api: &FakeApi, retries: &str) -> String {
    format!(
        "[[channels.telegram]]\nname = \"shop\"\nbot_token = \"{BOT_TOKEN}\"\n\
         secret_token = \"{TELEGRAM_SECRET}\"\napi_base = \"{}\"\n{retries}\n",
        api.base
    )
}

fn whatsapp_channel(api: &FakeApi, retries: &str) -> String {
    format!(
        "[[channels.whatsapp]]\nname = \"shop\"\nphone_number_id = \"{PHONE_NUMBER_ID}\"\n\
         access_token = \"{ACCESS_TOKEN}\"\napp_secret = \"{APP_SECRET}\"\n\
         verify_token = \"{VERIFY_TOKEN}\"\napi_base = \"{}\"\n{retries}\n",
        api.base
    )
}

fn webhook_channel(callback: &FakeApi, retries: &str) -> String {
    format!(
        "[[channels.webhook]]\nname = \"crm\"\nsecret = \"{WEBHOOK_SECRET}\"\n\
         callback_url = \"{}/hooks\"\n{retries}\n",
        callback.base
    )
}

/// The channels, and Ayşe (Turkish and English) as the agent.
pub(crate) fn config(channels: &[String]) -> String {
    format!(
        "{}\n{}",
        channels.concat(),
        agent_entry("Ayşe", &["tr", "en"], AYSE)
    )
}

// ---------------------------------------------------------------- texts

/// Whether `text` is the bot's greeting in some locale. The protocol does
/// not say whether a channel conversation starts with a greeting (the web
/// one does, on `hello`); these tests neither require nor forbid one, and
/// compare answers with a greeting left out.
fn is_greeting(text: &str) -> bool {
    static GREETINGS: OnceLock<HashSet<String>> = OnceLock::new();
    GREETINGS
        .get_or_init(|| {
            let l10n = localizer();
            l10n.locales()
                .map(|locale| l10n.text(locale, &Msg::Greeting))
                .collect()
        })
        .contains(text)
}

/// One web turn: sends `frame` (a `message` or a `choice`), waits for its
/// ack and the first message after it, then for a `pong`, and returns every
/// `message` (bot and system) the turn brought.
async fn web_turn(customer: &mut Customer, frame: Value) -> Vec<Value> {
    customer.send(frame.clone()).await;
    let ack = customer.expect("ack").await;
    assert_eq!(ack["id"], frame["id"], "{ack}");
    let mut said = vec![customer.wait_for("message").await];
    customer.send(json!({"type": "ping"})).await;
    loop {
        let next = customer.recv().await;
        match next["type"].as_str() {
            Some("pong") => return said,
            Some("message") => said.push(next),
            _ => {}
        }
    }
}

/// What the web chat says to `texts` said in this order by one customer
/// who said hello with `locale`: per text, the messages of its turn.
pub(crate) async fn web_answers(
    server: &TestServer,
    locale: &str,
    texts: &[&str],
) -> Vec<Vec<Value>> {
    let mut customer = server.customer(locale).await;
    let mut turns = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let frame = json!({"type": "message", "id": format!("w{n}"), "text": text});
        turns.push(web_turn(&mut customer, frame).await);
    }
    turns
}

/// What the web chat says to `text`, the first thing a customer says.
async fn web_answer(server: &TestServer, locale: &str, text: &str) -> Vec<Value> {
    web_answers(server, locale, &[text]).await.remove(0)
}

/// The texts of `turns`' messages, turn after turn.
pub(crate) fn said(turns: &[Vec<Value>]) -> Vec<String> {
    turns.iter().flat_map(|turn| texts_of(turn)).collect()
}

fn texts_of(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| m["text"].as_str().expect("a text").to_owned())
        .collect()
}

/// The texts of Telegram `sendMessage` bodies.
pub(crate) fn telegram_texts(bodies: &[Value]) -> Vec<String> {
    bodies
        .iter()
        .map(|b| b["text"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The channel said what the web chat said, one message for one, in order.
/// A channel may add to a text what its format cannot carry otherwise (an
/// article's link), so each delivered text contains the expected one.
pub(crate) fn assert_said(delivered: &[String], expected: &[String]) {
    assert_eq!(
        delivered.len(),
        expected.len(),
        "delivered {delivered:#?}\nexpected {expected:#?}"
    );
    for (got, want) in delivered.iter().zip(expected) {
        assert!(
            got.contains(want.as_str()),
            "delivered {delivered:#?}\nexpected {expected:#?}"
        );
    }
}

/// Whether every turn says something of its own: then the order of what
/// arrives tells the turns apart.
fn all_different(turns: &[Vec<Value>]) -> bool {
    let joined: HashSet<String> = turns.iter().map(|t| texts_of(t).join("\n")).collect();
    joined.len() == turns.len()
}

// ---------------------------------------------------------------- Telegram

fn telegram_from(chat: i64, language_code: &str) -> Value {
    json!({"id": chat, "is_bot": false, "first_name": "Ayşe", "language_code": language_code})
}

/// A Bot API `Update` with a text message from `chat`.
pub(crate) fn telegram_message(
    update_id: u64,
    chat: i64,
    text: &str,
    language_code: &str,
) -> Value {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": unix_now(),
            "from": telegram_from(chat, language_code),
            "chat": {"id": chat, "type": "private"},
            "text": text,
        },
    })
}

/// A Bot API `Update` with a press of the inline button carrying `data`.
fn telegram_press(update_id: u64, chat: i64, callback_id: &str, data: &str) -> Value {
    json!({
        "update_id": update_id,
        "callback_query": {
            "id": callback_id,
            "from": telegram_from(chat, "en"),
            "message": {
                "message_id": update_id,
                "date": unix_now(),
                "chat": {"id": chat, "type": "private"},
            },
            "chat_instance": "-4242424242",
            "data": data,
        },
    })
}

pub(crate) async fn post_telegram_with(
    server: &TestServer,
    update: &Value,
    secret: Option<&str>,
) -> (u16, String) {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(secret) = secret {
        headers.push(("X-Telegram-Bot-Api-Secret-Token", secret));
    }
    server
        .http(
            "POST",
            "/v1/channels/telegram/shop",
            &headers,
            &update.to_string(),
        )
        .await
}

/// Posts `update` as Telegram would; it must be taken (200).
async fn post_telegram(server: &TestServer, update: &Value) {
    let (status, body) = post_telegram_with(server, update, Some(TELEGRAM_SECRET)).await;
    assert_eq!(status, 200, "{update}: {body}");
}

fn is_telegram_send_to(request: &Recorded, chat: i64) -> bool {
    request.path == format!("/bot{BOT_TOKEN}/sendMessage") && request.body["chat_id"] == chat
}

/// Whether Telegram took `request` as a message to `chat` that answers
/// something (not a greeting).
fn is_telegram_answer(request: &Recorded, chat: i64) -> bool {
    request.accepted()
        && is_telegram_send_to(request, chat)
        && !is_greeting(request.body["text"].as_str().unwrap_or(""))
}

/// Waits until Telegram took at least `n` answers for `chat`; returns every
/// one so far (the `sendMessage` bodies), in order.
pub(crate) async fn telegram_answers(fake: &FakeApi, chat: i64, n: usize) -> Vec<Value> {
    fake.at_least(&format!("sendMessage to chat {chat}"), n, |r| {
        is_telegram_answer(r, chat)
    })
    .await
    .into_iter()
    .map(|r| r.body)
    .collect()
}

/// Waits until Telegram took at least `n` messages for `chat`, greetings
/// included; returns every one so far (the `sendMessage` bodies), in order.
async fn telegram_sends(fake: &FakeApi, chat: i64, n: usize) -> Vec<Value> {
    fake.at_least(&format!("sendMessage to chat {chat}"), n, |r| {
        r.accepted() && is_telegram_send_to(r, chat)
    })
    .await
    .into_iter()
    .map(|r| r.body)
    .collect()
}

/// Every inline button of a `sendMessage`, row by row.
fn inline_buttons(body: &Value) -> Vec<Vec<Value>> {
    body["reply_markup"]["inline_keyboard"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| row.as_array().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------- WhatsApp

fn wa_text(from: &str, id: &str, text: &str) -> Value {
    json!({"from": from, "id": id, "timestamp": unix_now().to_string(), "type": "text", "text": {"body": text}})
}

fn wa_button_reply(from: &str, id: &str, value: &str, title: &str) -> Value {
    json!({
        "from": from, "id": id, "timestamp": unix_now().to_string(), "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": value, "title": title}},
    })
}

fn wa_list_reply(from: &str, id: &str, value: &str, title: &str) -> Value {
    json!({
        "from": from, "id": id, "timestamp": unix_now().to_string(), "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": value, "title": title}},
    })
}

/// One `entry` with one `messages` change: `messages` from the contact
/// `name` at `wa_id`.
fn wa_entry(name: &str, wa_id: &str, messages: Vec<Value>) -> Value {
    json!({
        "id": "WABA",
        "changes": [{
            "field": "messages",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550000000", "phone_number_id": PHONE_NUMBER_ID},
                "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                "messages": messages,
            },
        }],
    })
}

fn wa_payload(entries: Vec<Value>) -> Value {
    json!({"object": "whatsapp_business_account", "entry": entries})
}

/// Posts `body` (exactly these bytes) with `signature` as
/// `X-Hub-Signature-256`, if any.
async fn post_whatsapp_raw(server: &TestServer, body: &str, signature: Option<&str>) -> u16 {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(signature) = signature {
        headers.push(("X-Hub-Signature-256", signature));
    }
    server
        .http("POST", "/v1/channels/whatsapp/shop", &headers, body)
        .await
        .0
}

/// Posts `payload` signed as Meta signs it; it must be taken (200).
async fn post_whatsapp(server: &TestServer, payload: &Value) {
    let body = payload.to_string();
    let signature = hub_signature(APP_SECRET, body.as_bytes());
    let status = post_whatsapp_raw(server, &body, Some(&signature)).await;
    assert_eq!(status, 200, "{body}");
}

/// The text a Graph message shows: a text's body or an interactive one's.
fn whatsapp_text(body: &Value) -> String {
    let text = match body["type"].as_str() {
        Some("text") => &body["text"]["body"],
        _ => &body["interactive"]["body"]["text"],
    };
    text.as_str().unwrap_or("").to_owned()
}

/// The quick replies of a Graph message, as (id, title): reply buttons or
/// list rows.
fn whatsapp_choices(body: &Value) -> Vec<(String, String)> {
    let action = &body["interactive"]["action"];
    let pairs: Vec<&Value> = match body["interactive"]["type"].as_str() {
        Some("button") => action["buttons"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| &b["reply"])
            .collect(),
        Some("list") => action["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["rows"].as_array().into_iter().flatten())
            .collect(),
        _ => Vec::new(),
    };
    pairs
        .into_iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or("").to_owned(),
                p["title"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Meta refuses a message outside these limits: a customer would get nothing.
fn assert_whatsapp_message_is_valid(request: &Recorded) {
    let body = &request.body;
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {ACCESS_TOKEN}").as_str()),
        "{body}"
    );
    assert_eq!(body["messaging_product"], "whatsapp", "{body}");
    assert_eq!(body["recipient_type"], "individual", "{body}");
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    match body["type"].as_str() {
        Some("text") => {
            let n = chars(&body["text"]["body"]);
            assert!((1..=4096).contains(&n), "{body}");
        }
        Some("interactive") => {
            let interactive = &body["interactive"];
            let n = chars(&interactive["body"]["text"]);
            assert!((1..=1024).contains(&n), "body text: {body}");
            let action = &interactive["action"];
            match interactive["type"].as_str() {
                Some("button") => {
                    let buttons = action["buttons"].as_array().expect("buttons");
                    assert!((1..=3).contains(&buttons.len()), "{body}");
                    for button in buttons {
                        assert_eq!(button["type"], "reply", "{body}");
                        let title = chars(&button["reply"]["title"]);
                        assert!((1..=20).contains(&title), "button title: {body}");
                        let id = chars(&button["reply"]["id"]);
                        assert!((1..=256).contains(&id), "button id: {body}");
                    }
                }
                Some("list") => {
                    let button = chars(&action["button"]);
                    assert!((1..=20).contains(&button), "list button: {body}");
                    let sections = action["sections"].as_array().expect("sections");
                    assert!((1..=10).contains(&sections.len()), "{body}");
                    let rows: Vec<&Value> = sections
                        .iter()
                        .flat_map(|s| s["rows"].as_array().into_iter().flatten())
                        .collect();
                    assert!((1..=10).contains(&rows.len()), "rows: {body}");
                    for row in rows {
                        let title = chars(&row["title"]);
                        assert!((1..=24).contains(&title), "row title: {body}");
                        let id = chars(&row["id"]);
                        assert!((1..=200).contains(&id), "row id: {body}");
                        assert!(chars(&row["description"]) <= 72, "row description: {body}");
                    }
                }
                other => panic!("an interactive message of type {other:?}: {body}"),
            }
        }
        other => panic!("a message of type {other:?}: {body}"),
    }
}

/// Whether the Graph API took `request` as a message to `to` that answers
/// something (not a greeting).
fn is_whatsapp_answer(request: &Recorded, to: &str) -> bool {
    request.accepted()
        && request.path == format!("/{PHONE_NUMBER_ID}/messages")
        && request.body["to"] == to
        && !is_greeting(&whatsapp_text(&request.body))
}

/// Waits until the Graph API took at least `n` answers (not greetings) for
/// `to`; returns every one so far, each checked against Meta's limits.
async fn whatsapp_answers(fake: &FakeApi, to: &str, n: usize) -> Vec<Value> {
    fake.at_least(&format!("a message to {to}"), n, |r| {
        is_whatsapp_answer(r, to)
    })
    .await
    .into_iter()
    .map(|r| {
        assert_whatsapp_message_is_valid(&r);
        r.body
    })
    .collect()
}

/// Waits for a message to `to` (after the first `skip` answers) for which
/// `accept` holds; returns it and how many answers there were up to it.
async fn whatsapp_answer_where(
    fake: &FakeApi,
    to: &str,
    skip: usize,
    what: &str,
    accept: impl Fn(&Value) -> bool,
) -> (Value, usize) {
    let path = format!("/{PHONE_NUMBER_ID}/messages");
    let (request, count) = fake
        .wait_for(what, |requests| {
            let answers: Vec<&Recorded> = requests
                .iter()
                .filter(|r| r.accepted() && r.path == path && r.body["to"] == to)
                .collect();
            answers
                .iter()
                .enumerate()
                .skip(skip)
                .find(|(_, r)| accept(&r.body))
                .map(|(i, r)| ((*r).clone(), i + 1))
        })
        .await;
    assert_whatsapp_message_is_valid(&request);
    (request.body, count)
}

// ---------------------------------------------------------------- webhook

/// Posts `body` with Standard Webhooks headers signed by `secret` at
/// `timestamp` (unix seconds).
async fn post_webhook_signed_by(
    server: &TestServer,
    body: &str,
    secret: &str,
    timestamp: i64,
) -> (u16, String) {
    let id = format!("msg_{timestamp}_{}", body.len());
    let signature = standard_webhooks_signature(secret, &id, timestamp, body.as_bytes());
    let timestamp = timestamp.to_string();
    server
        .http(
            "POST",
            "/v1/channels/webhook/crm",
            &[
                ("Content-Type", "application/json"),
                ("webhook-id", &id),
                ("webhook-timestamp", &timestamp),
                ("webhook-signature", &signature),
            ],
            body,
        )
        .await
}

/// Posts `body` signed now with the channel's secret; it must be taken
/// (200 `{"conversation", "seq"}`), which is returned.
async fn post_webhook(server: &TestServer, body: &Value) -> Value {
    let (status, answer) =
        post_webhook_signed_by(server, &body.to_string(), WEBHOOK_SECRET, unix_now()).await;
    assert_eq!(status, 200, "{body}: {answer}");
    let answer: Value = serde_json::from_str(&answer).expect("a JSON answer");
    assert!(answer["conversation"].is_string(), "{answer}");
    assert!(answer["seq"].is_u64(), "{answer}");
    answer
}

/// Whether the callback took `request` as a correctly signed entry for
/// `user` that answers something (not a greeting).
fn is_callback_answer(request: &Recorded, user: &str) -> bool {
    request.accepted()
        && request.signature_valid == Some(true)
        && request.body["user"] == user
        && !is_greeting(request.body["entry"]["text"].as_str().unwrap_or(""))
}

/// Waits until the callback took at least `n` answers for `user`; returns
/// every one so far.
async fn callback_posts(fake: &FakeApi, user: &str, n: usize) -> Vec<Recorded> {
    fake.at_least(&format!("a callback for {user}"), n, |r| {
        is_callback_answer(r, user)
    })
    .await
}

/// A webhook entry is the web chat's `message` object: the same fields.
fn assert_same_message(entry: &Value, web: &Value) {
    for field in [
        "type",
        "from",
        "text",
        "locale",
        "intent",
        "quick_replies",
        "articles",
    ] {
        assert_eq!(entry[field], web[field], "{field}: {entry} vs {web}");
    }
}

// ---------------------------------------------------------------- metrics

/// The value of `name{..label..}` in a Prometheus text page.
fn metric(page: &str, name: &str, label: &str) -> Option<f64> {
    page.lines()
        .filter(|line| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') && rest.contains(label))
        })
        .find_map(|line| line.split_whitespace().last()?.parse().ok())
}

/// Asks `/metrics` until `name{label}` is at least `at_least`; returns it.
/// Waits until `channel` has counted exactly `expected` dead letters.
async fn dead_letters_reach(server: &TestServer, channel: &str, expected: usize) {
    let label = format!("channel=\"{channel}\"");
    let name = "switchboard_channel_dead_letters_total";
    let count = metric_reaching(server, name, &label, expected as f64).await;
    assert_eq!(count, expected as f64, "dead letters of {channel}");
}

async fn metric_reaching(server: &TestServer, name: &str, label: &str, at_least: f64) -> f64 {
    let polled = tokio::time::timeout(DELIVERY_TIMEOUT, async {
        loop {
            let (_, page) = server.http_get("/metrics").await;
            if let Some(value) = metric(&page, name, label).filter(|v| *v >= at_least) {
                return value;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    polled.unwrap_or_else(|_| panic!("{name}{{{label}}} did not reach {at_least}"))
}

// ================================================================ tests

/// Identified from the text, not from Telegram's `language_code`: a Turkish
/// message from an app set to English is answered in Turkish, as the web
/// chat answers it.
#[tokio::test]
async fn a_turkish_telegram_message_with_an_english_hint_gets_a_turkish_answer() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let web = web_answers(&server, "tr", &["kargom nerede"]).await;
    assert_eq!(web[0][0]["locale"], "tr", "{web:?}");
    let english = web_answers(&server, "en", &["where is my parcel"]).await;
    assert_ne!(said(&web), said(&english));

    post_telegram(
        &server,
        &telegram_message(1001, CHAT, "kargom nerede", "en"),
    )
    .await;
    let sent = telegram_answers(&fake, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
    assert_eq!(sent[0]["chat_id"], CHAT, "{}", sent[0]);
}

/// `/start`, what Telegram sends when a customer first taps Start, is not a
/// question: it is greeted in the app's language (`language_code`), with the
/// greeting's buttons, in every locale. Posted twice, it greets once.
#[tokio::test]
async fn telegram_start_is_greeted_in_the_apps_language() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let locales = ["tr", "el", "ms", "lv", "de", "fr", "es", "ru", "en"];
    for (n, locale) in (0u64..).zip(locales) {
        let chat = CHAT + 1000 + i64::try_from(n).expect("small");
        let start = telegram_message(3000 + n, chat, "/start", &format!("{locale}-XX"));
        post_telegram(&server, &start).await;
        post_telegram(&server, &start).await;
        let sent = telegram_sends(&fake, chat, 1).await;
        assert_eq!(
            telegram_texts(&sent),
            vec![text_in(locale, &Msg::Greeting)],
            "{locale}"
        );
        assert!(!inline_buttons(&sent[0]).is_empty(), "{}", sent[0]);
    }
    // The deep-link form carries a parameter: still a greeting.
    let deep = telegram_message(3100, CHAT, "/start campaign42", "tr");
    post_telegram(&server, &deep).await;
    let sent = telegram_sends(&fake, CHAT, 1).await;
    assert_eq!(telegram_texts(&sent), vec![text_in("tr", &Msg::Greeting)]);
    // Greeted once, though every update came twice: what follows the
    // greeting is the answer to the next message.
    let chat = CHAT + 1000;
    let web = web_answers(&server, "tr", &["kargom nerede"]).await;
    post_telegram(
        &server,
        &telegram_message(3200, chat, "kargom nerede", "tr"),
    )
    .await;
    let sent = telegram_sends(&fake, chat, 1 + said(&web).len()).await;
    assert_said(&telegram_texts(&sent[1..]), &said(&web));
}

/// A first message too short to tell its language ("ok", "no") is read in
/// the app's language, as the web chat reads it after a `hello` in that
/// language: the same answer, in the same language.
#[tokio::test]
async fn a_short_first_telegram_message_keeps_the_apps_language() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let cases = [
        ("tr", "ok"),
        ("en", "ok"),
        ("lv", "ok"),
        ("de", "ok"),
        ("ms", "no"),
        ("el", "ok"),
        // An app language Switchboard does not speak counts as none:
        // English, as for a widget's hello in it.
        ("pt", "ok"),
        ("it", "no"),
    ];
    for (n, (locale, text)) in (0u64..).zip(cases) {
        let chat = CHAT + 2000 + i64::try_from(n).expect("small");
        let web = web_answers(&server, locale, &[text]).await;
        post_telegram(&server, &telegram_message(4000 + n, chat, text, locale)).await;
        let sent = telegram_answers(&fake, chat, said(&web).len()).await;
        assert_said(&telegram_texts(&sent), &said(&web));
    }
}

/// WhatsApp sends no language: the number's country stands in for one, as
/// Telegram's `language_code` does. A first "ok" or "selam" from a Turkish
/// number is Turkish; from a number whose country has no one supported
/// language (the UK here) it is read as the widget reads it after a `hello`
/// without a locale (English), not in whichever language also has the word;
/// a text that says its language decides whatever the number.
#[tokio::test]
async fn a_short_first_whatsapp_message_is_read_in_the_language_of_the_numbers_country() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    for (n, (prefix, text, locale)) in [
        ("44770090000", "ok", ""),
        ("44770090000", "OK!", ""),
        ("44770090000", "okay", ""),
        ("44770090000", "no", ""),
        ("90532000000", "ok", "tr"),
        ("90532000000", "selam", "tr"),
        ("3461200000", "hola", "es"),
        ("90532000000", "hello, how much does shipping cost?", "en"),
    ]
    .iter()
    .enumerate()
    {
        let web = web_answers(&server, locale, &[text]).await;
        let to = format!("{prefix}{n}");
        let id = format!("wamid.S{n}");
        post_whatsapp(
            &server,
            &wa_payload(vec![wa_entry("Ali", &to, vec![wa_text(&to, &id, text)])]),
        )
        .await;
        let sent = whatsapp_answers(&fake, &to, said(&web).len()).await;
        let delivered: Vec<String> = sent.iter().map(whatsapp_text).collect();
        assert_said(&delivered, &said(&web));
    }
}

/// A message whose sender or id is absurdly long (64 KiB and more) is not a
/// message: it is refused (200, so that Meta does not retry it) and the
/// server goes on serving.
#[tokio::test]
async fn a_whatsapp_message_with_a_huge_id_is_refused_and_nothing_breaks() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let huge = "w".repeat(100_000);
    for (from, id) in [(ALI, huge.as_str()), (huge.as_str(), "wamid.H1")] {
        post_whatsapp(
            &server,
            &wa_payload(vec![wa_entry("Ali", from, vec![wa_text(from, id, "hi")])]),
        )
        .await;
    }
    let web = web_answers(&server, "en", &["where is my order"]).await;
    let ask = wa_text(ALI, "wamid.H2", "where is my order");
    post_whatsapp(&server, &wa_payload(vec![wa_entry("Ali", ALI, vec![ask])])).await;
    let sent = whatsapp_answers(&fake, ALI, said(&web).len()).await;
    let delivered: Vec<String> = sent.iter().map(whatsapp_text).collect();
    assert_said(&delivered, &said(&web));
}

/// Quick replies become inline buttons (one per row, `callback_data` the
/// value); a press is acknowledged with `answerCallbackQuery` and answered
/// as the web chat answers the same `choice`.
#[tokio::test]
async fn a_telegram_button_press_is_answered_as_a_choice() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let text = "how much does shipping cost";
    let mut web = server.customer("en").await;
    let offer = web_turn(
        &mut web,
        json!({"type": "message", "id": "w1", "text": text}),
    )
    .await;
    let quick_replies = offer[0]["quick_replies"]
        .as_array()
        .cloned()
        .expect("the shipping answer offers quick replies");
    assert!(!quick_replies.is_empty(), "{offer:?}");

    post_telegram(&server, &telegram_message(1001, CHAT, text, "en")).await;
    let sent = telegram_answers(&fake, CHAT, offer.len()).await;
    let keyboard = inline_buttons(&sent[0]);
    let expected: Vec<Vec<Value>> = quick_replies
        .iter()
        .map(|q| vec![json!({"text": q["label"], "callback_data": q["value"]})])
        .collect();
    assert_eq!(keyboard, expected, "{}", sent[0]);

    let value = quick_replies.last().expect("a quick reply")["value"]
        .as_str()
        .expect("a value")
        .to_owned();
    let answer = web_turn(
        &mut web,
        json!({"type": "choice", "id": "w2", "value": value}),
    )
    .await;
    post_telegram(&server, &telegram_press(1002, CHAT, "cbq-1", &value)).await;
    let answered = fake.request("/answerCallbackQuery", 0).await;
    assert_eq!(
        answered.path,
        format!("/bot{BOT_TOKEN}/answerCallbackQuery")
    );
    assert_eq!(
        answered.body["callback_query_id"], "cbq-1",
        "{}",
        answered.body
    );
    let sent = telegram_answers(&fake, CHAT, offer.len() + answer.len()).await;
    assert_said(&telegram_texts(&sent[offer.len()..]), &texts_of(&answer));
}

/// The `update_id` is the idempotency key: five copies at once, and the
/// same update again after a restart, get one answer.
// Multi-threaded: the fake answers while the test's thread waits for the
// server to stop and start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_telegram_update_posted_five_times_at_once_or_after_a_restart_is_answered_once() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let mut server =
        TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let texts = [
        "how much does shipping cost",
        "what are your opening hours",
        "what payment methods do you accept",
    ];
    let web = web_answers(&server, "en", &texts).await;
    assert!(all_different(&web), "{web:#?}");

    let update = telegram_message(1001, CHAT, texts[0], "en");
    let statuses = futures_util::future::join_all(
        (0..5).map(|_| post_telegram_with(&server, &update, Some(TELEGRAM_SECRET))),
    )
    .await;
    for (status, body) in &statuses {
        assert_eq!(*status, 200, "{body}");
    }
    telegram_answers(&fake, CHAT, said(&web[..1]).len()).await;
    // A later message's answer comes after any second answer to the first.
    post_telegram(&server, &telegram_message(1002, CHAT, texts[1], "en")).await;
    let sent = telegram_answers(&fake, CHAT, said(&web[..2]).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web[..2]));

    let before = telegram_texts(&sent);
    server.restart();
    post_telegram(&server, &update).await;
    post_telegram(&server, &telegram_message(1003, CHAT, texts[2], "en")).await;
    let last = said(&web).pop().expect("an answer");
    let sent = fake
        .wait_for("the answer to the message after the restart", |requests| {
            let answers: Vec<Value> = requests
                .iter()
                .filter(|r| is_telegram_answer(r, CHAT))
                .map(|r| r.body.clone())
                .collect();
            let texts = telegram_texts(&answers);
            texts.iter().any(|t| t.contains(&last)).then_some(texts)
        })
        .await;
    let mut after = sent[before.len()..].to_vec();
    // At least once: the answer Telegram took just before the stop may come
    // again if the server stopped before it read Telegram's 200. The update
    // posted again must bring nothing.
    if after.len() > 1 && after.first() == before.last() {
        after.remove(0);
    }
    assert_said(&after, &said(&web[2..]));
}

/// A missing or wrong `X-Telegram-Bot-Api-Secret-Token` gets 401 and
/// nothing is stored or sent; an unknown channel name is 404.
#[tokio::test]
async fn a_telegram_update_without_the_right_secret_gets_401_and_no_answer() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let refused = telegram_message(1001, CHAT, "how much does shipping cost", "en");
    for secret in [
        None,
        Some(""),
        Some("wrong"),
        Some("s3cr3t-token_1"),
        Some("s3cr3t-Token_"),
    ] {
        let (status, body) = post_telegram_with(&server, &refused, secret).await;
        assert_eq!(status, 401, "secret {secret:?}: {body}");
        // The developer wiring the bot is told why (Telegram reads only the status).
        let answer: Value = serde_json::from_str(&body).expect("a JSON error body");
        assert_eq!(answer["error"]["code"], "unauthorized", "{body}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("secret_token")),
            "{body}"
        );
    }
    let (status, body) = post_telegram_with(
        &server,
        &json!({"update_id": 1, "message": "not a message"}),
        Some(TELEGRAM_SECRET),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("a JSON error body");
    assert_eq!(answer["error"]["code"], "bad_request", "{body}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("not a Telegram update") && !m.contains("struct")),
        "{body}"
    );
    let (status, _) = server
        .http(
            "POST",
            "/v1/channels/telegram/elsewhere",
            &[
                ("Content-Type", "application/json"),
                ("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET),
            ],
            &refused.to_string(),
        )
        .await;
    assert_eq!(status, 404, "an unknown channel name");

    // The same chat, properly: its answer is the first thing sent to it.
    let text = "what are your opening hours";
    let web = web_answers(&server, "en", &[text]).await;
    post_telegram(&server, &telegram_message(1002, CHAT, text, "en")).await;
    let sent = telegram_answers(&fake, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
    let elsewhere: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| !is_telegram_answer(r, CHAT))
        .map(|r| r.path.clone())
        .collect();
    assert!(elsewhere.is_empty(), "{elsewhere:?}\n{}", fake.describe());
}

/// `X-Hub-Signature-256` missing, made with another secret, or made over
/// another body: 401, and nothing is stored or sent.
#[tokio::test]
async fn a_whatsapp_post_without_a_valid_signature_gets_401_and_no_answer() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let refused = wa_payload(vec![wa_entry(
        "Ali",
        ALI,
        vec![wa_text(ALI, "wamid.B1", "siparişim nerede? kargo/teslimat")],
    )])
    .to_string();
    let other = wa_payload(vec![wa_entry(
        "Ali",
        ALI,
        vec![wa_text(ALI, "wamid.B2", "how much does shipping cost")],
    )])
    .to_string();
    let right = hub_signature(APP_SECRET, refused.as_bytes());
    let wrong_signatures = [
        None,
        Some(String::new()),
        Some("sha256=".to_owned()),
        Some(hub_signature("not-the-app-secret", refused.as_bytes())),
        Some(hub_signature(APP_SECRET, other.as_bytes())),
        // The right digest without its scheme.
        Some(right.trim_start_matches("sha256=").to_owned()),
    ];
    for signature in &wrong_signatures {
        let status = post_whatsapp_raw(&server, &refused, signature.as_deref()).await;
        assert_eq!(status, 401, "signature {signature:?}");
    }

    let text = "what are your opening hours";
    let web = web_answers(&server, "en", &[text]).await;
    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry(
            "Ali",
            ALI,
            vec![wa_text(ALI, "wamid.G1", text)],
        )]),
    )
    .await;
    let sent = whatsapp_answers(&fake, ALI, said(&web).len()).await;
    let delivered: Vec<String> = sent.iter().map(whatsapp_text).collect();
    assert_said(&delivered, &said(&web));
    let elsewhere = fake
        .requests()
        .iter()
        .filter(|r| !is_whatsapp_answer(r, ALI))
        .count();
    assert_eq!(elsewhere, 0, "{}", fake.describe());
}

/// The signature is checked over the bytes as sent, not over a
/// re-serialisation: non-ASCII text kept as UTF-8, "/" escaped as "\/",
/// non-ASCII escaped as "\uXXXX" all verify, and are read as the same text.
#[tokio::test]
async fn a_whatsapp_signature_is_checked_over_the_exact_bytes_sent() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let text = "siparişim nerede? kargo/teslimat";
    let web = web_answers(&server, "tr", &[text]).await;
    assert_eq!(web[0][0]["locale"], "tr", "{web:?}");

    let body_for = |wa_id: &str, id: &str| {
        wa_payload(vec![wa_entry("Ali", wa_id, vec![wa_text(wa_id, id, text)])]).to_string()
    };
    // serde_json's own output: UTF-8 as is, "/" unescaped.
    let plain = body_for("905321234561", "wamid.S1");
    assert!(plain.contains("şi") && plain.contains("o/t"), "{plain}");
    // As Meta sends it: "/" escaped.
    let slashes = body_for("905321234562", "wamid.S2").replace('/', "\\/");
    // Non-ASCII escaped.
    let escaped: String = body_for("905321234563", "wamid.S3")
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                c.encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|unit| format!("\\u{unit:04x}"))
                    .collect()
            }
        })
        .collect();
    for body in [&plain, &slashes, &escaped] {
        let signature = hub_signature(APP_SECRET, body.as_bytes());
        let status = post_whatsapp_raw(&server, body, Some(&signature)).await;
        assert_eq!(status, 200, "{body}");
    }
    for wa_id in ["905321234561", "905321234562", "905321234563"] {
        let sent = whatsapp_answers(&fake, wa_id, said(&web).len()).await;
        let delivered: Vec<String> = sent.iter().map(whatsapp_text).collect();
        assert_said(&delivered, &said(&web));
    }
}

/// Meta's subscription check: the challenge comes back, as the whole body,
/// only for the configured verify token. A missing or wrong token is a
/// missing or wrong secret: 401 (PROTOCOL.md). A request that is not a
/// subscribe verification at all (another mode, no challenge) is 400.
#[tokio::test]
async fn the_whatsapp_verification_get_echoes_the_challenge_only_for_the_right_token() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let path = "/v1/channels/whatsapp/shop";
    let (status, body) = server
        .http_get(&format!(
            "{path}?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"
        ))
        .await;
    assert_eq!((status, body.as_str()), (200, "1158201444"));
    for token in ["verify-you", "", "VERIFY-ME"] {
        let (status, body) = server
            .http_get(&format!(
                "{path}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
            ))
            .await;
        assert_eq!(status, 401, "token {token:?}: {body}");
        assert!(!body.contains("1158201444"), "{body}");
    }
    let (status, body) = server
        .http_get(&format!(
            "{path}?hub.mode=subscribe&hub.challenge=1158201444"
        ))
        .await;
    assert_eq!(status, 401, "no token: {body}");
    assert!(!body.contains("1158201444"), "{body}");
    for query in [
        format!("hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"),
        format!("hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"),
        format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}"),
        String::new(),
    ] {
        let (status, body) = server.http_get(&format!("{path}?{query}")).await;
        assert_eq!(status, 400, "{query:?}: {body}");
        assert!(
            body.contains("hub.mode=subscribe"),
            "says what is missing: {body}"
        );
        assert!(!body.contains("1158201444"), "{body}");
    }
    assert!(fake.requests().is_empty(), "{}", fake.describe());
}

/// Standard Webhooks: no headers, another key, a signature of another body,
/// a timestamp 10 minutes old (a replay) or ahead: 401, nothing stored or sent.
#[tokio::test]
async fn an_unsigned_wrongly_signed_or_replayed_webhook_gets_401_and_no_answer() {
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Ok).await;
    let server =
        TestServer::start_with_config(&config(&[webhook_channel(&callback, FAST_RETRIES)]));
    let refused = json!({"user": "u-1", "id": "m-1", "text": "cuanto cuesta el envio"}).to_string();
    let now = unix_now();

    let (status, _) = server
        .http(
            "POST",
            "/v1/channels/webhook/crm",
            &[("Content-Type", "application/json")],
            &refused,
        )
        .await;
    assert_eq!(status, 401, "no headers");
    for (what, secret, timestamp) in [
        ("another key", OTHER_WEBHOOK_SECRET, now),
        ("10 minutes old", WEBHOOK_SECRET, now - 600),
        ("10 minutes ahead", WEBHOOK_SECRET, now + 600),
    ] {
        let (status, _) = post_webhook_signed_by(&server, &refused, secret, timestamp).await;
        assert_eq!(status, 401, "{what}");
    }
    let other = json!({"user": "u-1", "id": "m-1", "text": "hola"}).to_string();
    let timestamp = now.to_string();
    for (what, signature) in [
        (
            "another body's signature",
            standard_webhooks_signature(WEBHOOK_SECRET, "msg_1", now, other.as_bytes()),
        ),
        ("not base64", "v1,not-a-signature".to_owned()),
        (
            "another scheme",
            standard_webhooks_signature(WEBHOOK_SECRET, "msg_1", now, refused.as_bytes())
                .replacen("v1,", "v2,", 1),
        ),
    ] {
        let (status, _) = server
            .http(
                "POST",
                "/v1/channels/webhook/crm",
                &[
                    ("Content-Type", "application/json"),
                    ("webhook-id", "msg_1"),
                    ("webhook-timestamp", &timestamp),
                    ("webhook-signature", &signature),
                ],
                &refused,
            )
            .await;
        assert_eq!(status, 401, "{what}");
    }

    let text = "hola, donde esta mi pedido";
    let web = web_answers(&server, "es", &[text]).await;
    let answer = post_webhook(&server, &json!({"user": "u-1", "id": "m-2", "text": text})).await;
    let posts = callback_posts(&callback, "u-1", said(&web).len()).await;
    assert_eq!(
        posts[0].body["entry"]["seq"],
        answer["seq"].as_u64().expect("seq") + 1
    );
    let delivered: Vec<String> = posts
        .iter()
        .map(|p| p.body["entry"]["text"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_said(&delivered, &said(&web));
    let elsewhere = callback
        .requests()
        .iter()
        .filter(|r| !is_callback_answer(r, "u-1"))
        .count();
    assert_eq!(elsewhere, 0, "{}", callback.describe());
}

/// A correctly signed body that is neither `{user, id, text}` nor
/// `{user, id, choice}` is a 400.
#[tokio::test]
async fn a_signed_webhook_body_of_the_wrong_shape_gets_400() {
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Ok).await;
    let server =
        TestServer::start_with_config(&config(&[webhook_channel(&callback, FAST_RETRIES)]));
    for body in [
        "not json".to_owned(),
        json!({"id": "m-1", "text": "hola"}).to_string(),
        json!({"user": "u-1", "text": "hola"}).to_string(),
        json!({"user": "u-1", "id": "m-1"}).to_string(),
        json!({"user": "u-1", "id": "m-1", "text": 5}).to_string(),
        json!({"user": "u-1", "id": "m-1", "text": "   "}).to_string(),
        json!(["u-1", "m-1", "hola"]).to_string(),
    ] {
        let (status, answer) =
            post_webhook_signed_by(&server, &body, WEBHOOK_SECRET, unix_now()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        let answer: Value = serde_json::from_str(&answer).expect("JSON");
        assert_eq!(answer["error"]["code"], "bad_request", "{body}: {answer}");
    }
    // The integration's developer is told what was wrong.
    let body = json!({"id": "m-1", "text": "hola"}).to_string();
    let (_, answer) = post_webhook_signed_by(&server, &body, WEBHOOK_SECRET, unix_now()).await;
    let answer: Value = serde_json::from_str(&answer).expect("JSON");
    let message = answer["error"]["message"].as_str().expect("a message");
    assert!(message.contains("user"), "{answer}");
    // ... in the JSON's words, never with the names of the server's types.
    let body = json!({"user": "u-1", "id": "m-1", "text": "hola", "customer": "str"}).to_string();
    let (status, answer) = post_webhook_signed_by(&server, &body, WEBHOOK_SECRET, unix_now()).await;
    assert_eq!(status, 400, "{answer}");
    let answer: Value = serde_json::from_str(&answer).expect("JSON");
    let message = answer["error"]["message"].as_str().expect("a message");
    assert!(message.contains("expected an object"), "{answer}");
    assert!(!message.contains("struct"), "{answer}");
}

/// Telegram's 429 says when to come back in its body
/// (`parameters.retry_after`): the retry waits that long (not the
/// configured 50 ms), and the answer arrives once.
#[tokio::test]
async fn a_telegram_429_is_retried_after_its_retry_after_and_delivered_once() {
    let fake = FakeApi::telegram(Mode::RateLimitOnce { retry_after: 2 }).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let texts = ["how much does shipping cost", "what are your opening hours"];
    let web = web_answers(&server, "en", &texts).await;

    post_telegram(&server, &telegram_message(1001, CHAT, texts[0], "en")).await;
    let limited = fake.request("/sendMessage", 0).await;
    assert_eq!(limited.status, 429);
    let retried = fake.request("/sendMessage", 1).await;
    assert_eq!(retried.status, 200);
    assert_eq!(retried.body, limited.body, "the same message again");
    let waited = retried.at.duration_since(limited.at);
    assert!(
        waited >= Duration::from_millis(1900),
        "retried after {waited:?}, asked for 2 s\n{}",
        fake.describe()
    );

    post_telegram(&server, &telegram_message(1002, CHAT, texts[1], "en")).await;
    let sent = telegram_answers(&fake, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
}

/// The Graph API's 429 says when to come back in `Retry-After`: honoured; its
/// throughput limit (400, code 130429) is retried as well.
#[tokio::test]
async fn a_whatsapp_429_or_throughput_400_is_retried_and_delivered_once() {
    let fake = FakeApi::graph(Mode::RateLimitOnce { retry_after: 2 }).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let texts = ["how much does shipping cost", "what are your opening hours"];
    let web = web_answers(&server, "en", &texts).await;

    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry(
            "Ali",
            ALI,
            vec![wa_text(ALI, "wamid.A1", texts[0])],
        )]),
    )
    .await;
    let limited = fake.request("/messages", 0).await;
    assert_eq!(limited.status, 429);
    let retried = fake.request("/messages", 1).await;
    assert_eq!(retried.status, 200);
    assert_eq!(retried.body, limited.body, "the same message again");
    let waited = retried.at.duration_since(limited.at);
    assert!(
        waited >= Duration::from_millis(1900),
        "retried after {waited:?}, asked for 2 s\n{}",
        fake.describe()
    );

    // Graph answers its throughput limit with 400 and code 130429, not 429:
    // that is retried too, not dead-lettered.
    fake.set_mode(Mode::ThrottledOnce);
    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry(
            "Ali",
            ALI,
            vec![wa_text(ALI, "wamid.A2", texts[1])],
        )]),
    )
    .await;
    let throttled = fake.request("/messages", 2).await;
    assert_eq!(throttled.status, 400);
    let retried = fake.request("/messages", 3).await;
    assert_eq!(retried.status, 200, "{}", fake.describe());
    assert_eq!(retried.body, throttled.body, "the same message again");
    let sent = whatsapp_answers(&fake, ALI, said(&web).len()).await;
    let delivered: Vec<String> = sent.iter().map(whatsapp_text).collect();
    assert_said(&delivered, &said(&web));
}

/// Telegram is down (503) while three messages are taken; the server is
/// killed (SIGKILL) and started again; once Telegram is back every answer
/// arrives, once, in the order of the messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_stored_while_telegram_was_down_are_delivered_once_in_order_after_a_crash() {
    let fake = FakeApi::telegram(Mode::Status(503)).await;
    let mut server =
        TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let texts = [
        "how much does shipping cost",
        "what are your opening hours",
        "what payment methods do you accept",
        "how can i contact you",
    ];
    let web = web_answers(&server, "en", &texts).await;
    assert!(all_different(&web), "{web:#?}");

    for (n, text) in texts[..3].iter().enumerate() {
        post_telegram(
            &server,
            &telegram_message(1001 + n as u64, CHAT, text, "en"),
        )
        .await;
    }
    // The server tried, and Telegram refused.
    fake.wait_for("a refused sendMessage", |requests| {
        requests.iter().find(|r| r.status == 503).cloned()
    })
    .await;
    server.kill();
    server.start_again();
    fake.set_mode(Mode::Ok);

    telegram_answers(&fake, CHAT, said(&web[..3]).len()).await;
    // A fourth message after them: its answer comes after any duplicate.
    post_telegram(&server, &telegram_message(1004, CHAT, texts[3], "en")).await;
    let sent = telegram_answers(&fake, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
}

/// A WhatsApp customer asks for a person: the agent sees the channel in the
/// queue and the context, the agent's reply leaves through WhatsApp, and on
/// close the survey comes as a list of the five ratings; a pick reaches the
/// agent and the customer is thanked.
#[tokio::test]
async fn a_whatsapp_customer_is_served_by_an_agent_whose_reply_and_survey_reach_whatsapp() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let mut ayse = Agent::connect(&server, AYSE).await;
    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry(
            "Ali",
            ALI,
            vec![wa_text(ALI, "wamid.A1", "I want to talk to a human")],
        )]),
    )
    .await;
    let items = ayse.queue_until(|items| !items.is_empty()).await;
    assert_eq!(items[0]["channel"], "whatsapp", "{items:?}");
    assert_eq!(items[0]["reason"], "customer_request", "{items:?}");
    let conversation = items[0]["conversation"].as_str().expect("an id").to_owned();

    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let context = ayse.expect_skipping_queue("conversation").await;
    assert_eq!(context["channel"], "whatsapp", "{context}");
    // Who wrote, as WhatsApp vouches for it: the agent can call them back.
    assert_eq!(context["customer"]["name"], "Ali", "{context}");
    assert_eq!(
        context["customer"]["attributes"]["whatsapp"],
        format!("+{ALI}"),
        "{context}"
    );
    assert!(
        context["transcript"]
            .as_array()
            .is_some_and(|t| t.iter().any(|e| e["text"] == "I want to talk to a human")),
        "{context}"
    );

    ayse.send(json!({"type": "message", "conversation": conversation, "id": "a1", "text": "Merhaba, ben Ayşe"}))
        .await;
    assert_eq!(ayse.expect_skipping_queue("ack").await["id"], "a1");
    let (_, seen) = whatsapp_answer_where(&fake, ALI, 0, "the agent's reply", |body| {
        whatsapp_text(body).contains("Merhaba, ben Ayşe")
    })
    .await;

    ayse.send(json!({"type": "close", "conversation": conversation}))
        .await;
    assert_eq!(ayse.expect_skipping_queue("closed").await["by"], "agent");
    let (survey, _) = whatsapp_answer_where(&fake, ALI, seen, "the survey", |body| {
        !whatsapp_choices(body).is_empty()
    })
    .await;
    let values: Vec<String> = whatsapp_choices(&survey)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        values,
        ["rating:1", "rating:2", "rating:3", "rating:4", "rating:5"],
        "{survey}"
    );

    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry(
            "Ali",
            ALI,
            vec![wa_list_reply(ALI, "wamid.A2", "rating:5", "5")],
        )]),
    )
    .await;
    let rating = ayse.expect_skipping_notices("rating").await;
    assert_eq!(
        (rating["conversation"].as_str(), rating["score"].as_u64()),
        (Some(conversation.as_str()), Some(5)),
        "{rating}"
    );
    let thanks = text_in("en", &Msg::RatingThanks);
    whatsapp_answer_where(&fake, ALI, seen, "the thanks for the rating", |body| {
        whatsapp_text(body).contains(&thanks)
    })
    .await;
}

/// A Telegram customer (chat [`CHAT`]) asks for a person and Ayşe claims
/// the conversation: her connection, its id and the context she got.
async fn claimed_telegram_chat(server: &TestServer) -> (Agent, String, Value) {
    let mut ayse = Agent::connect(server, AYSE).await;
    post_telegram(
        server,
        &telegram_message(1001, CHAT, "I want to talk to a human", "en"),
    )
    .await;
    let items = ayse.queue_until(|items| !items.is_empty()).await;
    assert_eq!(items[0]["channel"], "telegram", "{items:?}");
    let conversation = items[0]["conversation"].as_str().expect("an id").to_owned();
    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let context = ayse.expect_skipping_queue("conversation").await;
    // Who wrote, as Telegram vouches for it.
    assert_eq!(
        context["customer"]["attributes"]["telegram_user_id"], CHAT,
        "{context}"
    );
    (ayse, conversation, context)
}

/// An agent closes a Telegram chat: the closing text comes with five rating
/// buttons; a press is acknowledged, reaches the agent as a `rating`, and
/// the customer is thanked.
#[tokio::test]
async fn an_agent_closing_a_telegram_chat_sends_rating_buttons_and_a_press_reaches_the_agent() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let (mut ayse, conversation, context) = claimed_telegram_chat(&server).await;
    assert_eq!(context["channel"], "telegram", "{context}");
    ayse.send(json!({"type": "close", "conversation": conversation}))
        .await;
    ayse.expect_skipping_queue("closed").await;

    let closing = text_in("en", &Msg::ClosedAgent { agent: "Ayşe" });
    let survey = fake
        .wait_for("the rating buttons", |requests| {
            requests
                .iter()
                .find(|r| is_telegram_answer(r, CHAT) && !inline_buttons(&r.body).is_empty())
                .cloned()
        })
        .await;
    // One row of stars or one per row: both read as a scale.
    let data: Vec<String> = inline_buttons(&survey.body)
        .into_iter()
        .flatten()
        .map(|button| button["callback_data"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        data,
        ["rating:1", "rating:2", "rating:3", "rating:4", "rating:5"],
        "{}",
        survey.body
    );
    fake.wait_for("the closing text", |requests| {
        requests
            .iter()
            .find(|r| {
                is_telegram_answer(r, CHAT)
                    && r.body["text"]
                        .as_str()
                        .is_some_and(|t| t.contains(&closing))
            })
            .cloned()
    })
    .await;

    post_telegram(&server, &telegram_press(1002, CHAT, "cbq-rate", "rating:4")).await;
    let answered = fake.request("/answerCallbackQuery", 0).await;
    assert_eq!(answered.body["callback_query_id"], "cbq-rate");
    let rating = ayse.expect_skipping_notices("rating").await;
    assert_eq!(rating["score"], 4, "{rating}");
    let thanks = text_in("en", &Msg::RatingThanks);
    fake.wait_for("the thanks for the rating", |requests| {
        requests
            .iter()
            .find(|r| {
                is_telegram_answer(r, CHAT)
                    && r.body["text"].as_str().is_some_and(|t| t.contains(&thanks))
            })
            .cloned()
    })
    .await;
}

/// A company's integration: a Spanish text and a button press are answered
/// with the web chat's own entries, POSTed to the callback signed, with
/// `webhook-id` `<conversation>:<seq>`, for the conversation the inbound
/// answer named; the customer's own entries are not sent back.
#[tokio::test]
async fn a_webhook_integration_gets_signed_spanish_entries_for_its_conversation() {
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Ok).await;
    let server =
        TestServer::start_with_config(&config(&[webhook_channel(&callback, FAST_RETRIES)]));
    let text = "hola, donde esta mi pedido";
    let web = web_answer(&server, "es", text).await;
    assert_eq!(web[0]["locale"], "es", "{web:?}");

    let answer = post_webhook(&server, &json!({"user": "u-1", "id": "m-1", "text": text})).await;
    let conversation = answer["conversation"].as_str().expect("an id");
    let seq = answer["seq"].as_u64().expect("seq");
    let posts = callback_posts(&callback, "u-1", web.len()).await;
    for (n, (post, web)) in posts.iter().zip(&web).enumerate() {
        assert_eq!(post.path, "/hooks");
        assert_eq!(post.body["conversation"], conversation, "{}", post.body);
        let entry = &post.body["entry"];
        assert_eq!(entry["seq"], seq + 1 + n as u64, "{entry}");
        assert_eq!(
            post.header("webhook-id"),
            Some(format!("{conversation}:{}", seq + 1 + n as u64).as_str())
        );
        assert_same_message(entry, web);
    }

    // Another user, a text with quick replies, and a press of one.
    let mut customer = server.customer("es").await;
    let offer = web_turn(
        &mut customer,
        json!({"type": "message", "id": "w1", "text": "cuanto cuesta el envio"}),
    )
    .await;
    let value = offer[0]["quick_replies"][0]["value"]
        .as_str()
        .expect("the shipping answer offers quick replies")
        .to_owned();
    let chosen = web_turn(
        &mut customer,
        json!({"type": "choice", "id": "w2", "value": value}),
    )
    .await;
    let first = post_webhook(
        &server,
        &json!({"user": "u-2", "id": "m-1", "text": "cuanto cuesta el envio"}),
    )
    .await;
    callback_posts(&callback, "u-2", offer.len()).await;
    let second = post_webhook(
        &server,
        &json!({"user": "u-2", "id": "m-2", "choice": value}),
    )
    .await;
    assert_eq!(
        second["conversation"], first["conversation"],
        "one conversation per user"
    );
    assert_ne!(second["conversation"], answer["conversation"]);
    let posts = callback_posts(&callback, "u-2", offer.len() + chosen.len()).await;
    for (post, web) in posts.iter().zip(offer.iter().chain(&chosen)) {
        assert_same_message(&post.body["entry"], web);
    }

    for post in callback.requests() {
        assert_eq!(post.signature_valid, Some(true), "{}", callback.describe());
        assert_ne!(post.body["entry"]["from"], "customer", "{}", post.body);
    }
}

/// A provider that always fails (500) past `give_up_after_s`: the entry is
/// dead-lettered, counted per channel in `/metrics` and listed on the
/// conversation for agents.
#[tokio::test]
async fn an_entry_that_cannot_be_delivered_in_time_is_dead_lettered_counted_and_shown_to_agents() {
    let telegram = FakeApi::telegram(Mode::Status(500)).await;
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Status(500)).await;
    let server = TestServer::start_with_config(&config(&[
        telegram_channel(&telegram, GIVE_UP_FAST),
        webhook_channel(&callback, GIVE_UP_FAST),
    ]));
    let turkish = web_answer(&server, "tr", "kargom nerede").await;
    let spanish = web_answer(&server, "es", "hola, donde esta mi pedido").await;

    post_telegram(
        &server,
        &telegram_message(1001, CHAT, "kargom nerede", "en"),
    )
    .await;
    let answer = post_webhook(
        &server,
        &json!({"user": "u-1", "id": "m-1", "text": "hola, donde esta mi pedido"}),
    )
    .await;
    dead_letters_reach(&server, "telegram/shop", turkish.len()).await;
    dead_letters_reach(&server, "webhook/crm", spanish.len()).await;

    let path = format!(
        "/v1/conversations/{}",
        answer["conversation"].as_str().expect("an id")
    );
    let auth = [("Authorization", "Bearer ayse-token")];
    let listed = tokio::time::timeout(DELIVERY_TIMEOUT, async {
        loop {
            let (status, body) = server.http("GET", &path, &auth, "").await;
            assert_eq!(status, 200, "{body}");
            let context: Value = serde_json::from_str(&body).expect("JSON");
            if context["dead_letters"]
                .as_array()
                .is_some_and(|d| d.len() >= spanish.len())
            {
                return context;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the dead letters on the conversation");
    assert_eq!(listed["channel"], "webhook", "{listed}");
    let dead = listed["dead_letters"].as_array().expect("dead letters");
    let seq = answer["seq"].as_u64().expect("seq");
    let seqs: Vec<u64> = dead.iter().filter_map(|d| d["seq"].as_u64()).collect();
    let expected: Vec<u64> = (1..=spanish.len() as u64).map(|n| seq + n).collect();
    assert_eq!(seqs, expected, "{listed}");
    for letter in dead {
        assert!(
            letter["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "{letter}"
        );
        let ts: jiff::Timestamp = letter["ts"]
            .as_str()
            .expect("ts")
            .parse()
            .expect("RFC 3339");
        assert!(ts <= jiff::Timestamp::now(), "{letter}");
    }
}

/// One POST may carry several entries, changes and messages: each customer
/// is answered; a `statuses` change is read and answered with nothing.
#[tokio::test]
async fn several_whatsapp_messages_in_one_post_each_get_their_answer_and_statuses_none() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let (ayse_no, john_no, eve_no) = ("905321234567", "447700900123", "491701234567");
    let turkish = web_answer(&server, "tr", "siparişim nerede?").await;
    let english = web_answer(&server, "en", "how much does shipping cost").await;
    let hours = web_answer(&server, "en", "what are your opening hours").await;

    let statuses = json!({
        "id": "WABA",
        "changes": [{
            "field": "messages",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550000000", "phone_number_id": PHONE_NUMBER_ID},
                "statuses": [
                    {"id": "wamid.OUT1", "status": "delivered", "timestamp": unix_now().to_string(), "recipient_id": eve_no},
                    {"id": "wamid.OUT1", "status": "read", "timestamp": unix_now().to_string(), "recipient_id": eve_no},
                ],
            },
        }],
    });
    post_whatsapp(
        &server,
        &wa_payload(vec![
            wa_entry(
                "Ayşe",
                ayse_no,
                vec![wa_text(ayse_no, "wamid.M1", "siparişim nerede?")],
            ),
            statuses,
            wa_entry(
                "John",
                john_no,
                vec![wa_text(john_no, "wamid.M2", "how much does shipping cost")],
            ),
        ]),
    )
    .await;
    let sent = whatsapp_answers(&fake, ayse_no, turkish.len()).await;
    assert_said(
        &sent.iter().map(whatsapp_text).collect::<Vec<_>>(),
        &texts_of(&turkish),
    );
    let sent = whatsapp_answers(&fake, john_no, english.len()).await;
    assert_said(
        &sent.iter().map(whatsapp_text).collect::<Vec<_>>(),
        &texts_of(&english),
    );

    // The number the statuses were about: the first thing it is sent
    // answers its own first message.
    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry(
            "Eve",
            eve_no,
            vec![wa_text(eve_no, "wamid.M3", "what are your opening hours")],
        )]),
    )
    .await;
    let sent = whatsapp_answers(&fake, eve_no, hours.len()).await;
    assert_said(
        &sent.iter().map(whatsapp_text).collect::<Vec<_>>(),
        &texts_of(&hours),
    );
}

/// A text longer than `limits.max_text_chars` is stored whole, in parts
/// (ids `<id>`, `<id>#2`, ...), and answered once: the bot does not answer
/// every part of one message.
#[tokio::test]
async fn a_long_channel_message_is_stored_in_parts_and_answered_once() {
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Ok).await;
    let server =
        TestServer::start_with_config(&config(&[webhook_channel(&callback, FAST_RETRIES)]));
    let text = "where is my order, I have been waiting for it a long time ".repeat(160);
    let answer = post_webhook(
        &server,
        &json!({"user": "u-long", "id": "m-1", "text": text}),
    )
    .await;
    let path = format!(
        "/v1/conversations/{}",
        answer["conversation"].as_str().expect("an id")
    );
    let auth = [("Authorization", "Bearer ayse-token")];
    let (status, body) = server.http("GET", &path, &auth, "").await;
    assert_eq!(status, 200, "{body}");
    let context: Value = serde_json::from_str(&body).expect("JSON");
    let entries = context["transcript"].as_array().expect("transcript");
    let from: Vec<&str> = entries
        .iter()
        .filter(|e| e["type"] == "message")
        .map(|e| e["from"].as_str().unwrap_or(""))
        .collect();
    let customer: Vec<&Value> = entries.iter().filter(|e| e["from"] == "customer").collect();
    assert_eq!(customer.len(), 3, "{from:?}");
    let stored: String = customer
        .iter()
        .map(|e| e["text"].as_str().expect("text"))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(stored, text.trim(), "nothing is cut");
    let first_reply = from.iter().position(|f| *f == "bot").expect("an answer");
    assert_eq!(from[0], "customer");
    assert!(
        from[first_reply..]
            .iter()
            .skip_while(|f| **f == "bot")
            .all(|f| *f == "customer"),
        "answered once, after the first part: {from:?}"
    );
}

/// An agent's reply that Telegram never takes (500 past `give_up_after_s`)
/// is told to that agent as it is dead-lettered (`dead_letter`, our
/// extension of the agent channel), not only when they reopen the
/// conversation.
#[tokio::test]
async fn the_agent_is_told_at_once_when_their_reply_is_dead_lettered() {
    let fake = FakeApi::telegram(Mode::Status(500)).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, GIVE_UP_FAST)]));
    let (mut ayse, conversation, _) = claimed_telegram_chat(&server).await;
    ayse.send(json!({"type": "message", "conversation": conversation, "id": "a1", "text": "Hello, this is Ayşe"}))
        .await;
    let ack = ayse.expect_skipping_queue("ack").await;
    let seq = ack["seq"].as_u64().expect("seq");
    let dead = tokio::time::timeout(DELIVERY_TIMEOUT, async {
        loop {
            let frame = ayse.recv().await;
            if frame["type"] == "dead_letter" && frame["seq"] == seq {
                return frame;
            }
        }
    })
    .await
    .expect("a dead_letter frame for the agent's reply");
    assert_eq!(dead["conversation"], conversation.as_str(), "{dead}");
    assert!(
        dead["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{dead}"
    );
}

/// Quick replies on WhatsApp: up to three are reply buttons with the quick
/// replies' values as ids (more are a list); pressing one is a `choice`,
/// answered as on the web.
#[tokio::test]
async fn whatsapp_quick_replies_are_reply_buttons_and_a_press_is_a_choice() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let text = "how much does shipping cost";
    let mut web = server.customer("en").await;
    let offer = web_turn(
        &mut web,
        json!({"type": "message", "id": "w1", "text": text}),
    )
    .await;
    let values: Vec<String> = offer[0]["quick_replies"]
        .as_array()
        .expect("the shipping answer offers quick replies")
        .iter()
        .map(|q| q["value"].as_str().expect("a value").to_owned())
        .collect();

    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry(
            "Ali",
            ALI,
            vec![wa_text(ALI, "wamid.A1", text)],
        )]),
    )
    .await;
    let sent = whatsapp_answers(&fake, ALI, offer.len()).await;
    let kind = if values.len() <= 3 { "button" } else { "list" };
    assert_eq!(sent[0]["type"], "interactive", "{}", sent[0]);
    assert_eq!(sent[0]["interactive"]["type"], kind, "{}", sent[0]);
    assert!(whatsapp_text(&sent[0]).contains(offer[0]["text"].as_str().expect("text")));
    let choices = whatsapp_choices(&sent[0]);
    let ids: Vec<&String> = choices.iter().map(|(id, _)| id).collect();
    assert_eq!(ids, values.iter().collect::<Vec<_>>(), "{}", sent[0]);

    let (value, title) = choices.last().expect("a choice").clone();
    let answer = web_turn(
        &mut web,
        json!({"type": "choice", "id": "w2", "value": value}),
    )
    .await;
    let press = if kind == "button" {
        wa_button_reply(ALI, "wamid.A2", &value, &title)
    } else {
        wa_list_reply(ALI, "wamid.A2", &value, &title)
    };
    post_whatsapp(
        &server,
        &wa_payload(vec![wa_entry("Ali", ALI, vec![press])]),
    )
    .await;
    let sent = whatsapp_answers(&fake, ALI, offer.len() + answer.len()).await;
    let delivered: Vec<String> = sent[offer.len()..].iter().map(whatsapp_text).collect();
    assert_said(&delivered, &texts_of(&answer));
}

/// What a WhatsApp customer sends besides text: a photo's caption is read
/// as their text; a reaction (an emoji on one of our messages) is neither
/// stored nor answered; and a change for another business number of the
/// same app is not ours to answer. The customer hears exactly the web's
/// answer to the caption.
#[tokio::test]
async fn a_photo_caption_is_read_and_reactions_and_other_numbers_are_not_answered() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    let text = "where is my order";
    let web = web_answers(&server, "en", &[text]).await;

    let mut other_number = wa_entry("Ali", ALI, vec![wa_text(ALI, "wamid.O1", "hello there")]);
    other_number["changes"][0]["value"]["metadata"]["phone_number_id"] = json!("999999");
    let reaction = json!({
        "from": ALI, "id": "wamid.R1", "timestamp": unix_now().to_string(), "type": "reaction",
        "reaction": {"message_id": "wamid.X", "emoji": "\u{1F44D}"},
    });
    let photo = json!({
        "from": ALI, "id": "wamid.P1", "timestamp": unix_now().to_string(), "type": "image",
        "image": {"id": "MEDIA1", "mime_type": "image/jpeg", "sha256": "x", "caption": text},
    });
    post_whatsapp(
        &server,
        &wa_payload(vec![
            other_number,
            wa_entry("Ali", ALI, vec![reaction, photo]),
        ]),
    )
    .await;
    // Delivered in the order stored: anything stored before the caption
    // would have been answered first.
    let sent = whatsapp_answers(&fake, ALI, said(&web).len()).await;
    let delivered: Vec<String> = sent.iter().map(whatsapp_text).collect();
    assert_said(&delivered, &said(&web));
}

/// A first WhatsApp message that is no text at all (a sticker) is answered
/// in the language of the number's country ("please type"), not in
/// English; a number of a country with no one language of ours gets the
/// default.
#[tokio::test]
async fn a_first_sticker_is_answered_in_the_language_of_the_numbers_country() {
    let fake = FakeApi::graph(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[whatsapp_channel(&fake, FAST_RETRIES)]));
    for (n, (wa_id, locale)) in [
        ("306912345678", "el"),
        ("79161234567", "ru"),
        ("41791234567", "en"),
    ]
    .into_iter()
    .enumerate()
    {
        let sticker = json!({
            "from": wa_id, "id": format!("wamid.K{n}"), "timestamp": unix_now().to_string(),
            "type": "sticker", "sticker": {"id": "MEDIA2", "mime_type": "image/webp"},
        });
        post_whatsapp(
            &server,
            &wa_payload(vec![wa_entry("Eleni", wa_id, vec![sticker])]),
        )
        .await;
        let sent = whatsapp_answers(&fake, wa_id, 1).await;
        assert_eq!(
            whatsapp_text(&sent[0]),
            text_in(locale, &Msg::ChannelUnsupportedContent),
            "{wa_id}"
        );
    }
}

// ---------------------------------------------------------------- QA fixes

/// `give_up_after_s` is a deadline, not a guess: the last wait of an entry
/// that keeps failing ends at it, and the entry is tried once more there.
/// With a backoff (5 s) longer than the deadline (2 s), an entry is tried
/// when stored and then at its deadline, nothing in between. A callback
/// that fails the first try and takes the one at the deadline gets the
/// entry (no dead letter); a provider failing both is dead-lettered then.
/// The fakes count their failures themselves: nothing depends on when the
/// test looks.
#[tokio::test]
async fn an_entry_failing_until_its_deadline_is_tried_once_more_there_and_only_then_given_up() {
    const DEADLINE: &str = "retry_initial_ms = 5000\nretry_max_ms = 5000\ngive_up_after_s = 2\n";
    const GIVE_UP: Duration = Duration::from_secs(2);
    let telegram = FakeApi::telegram(Mode::Status(500)).await;
    let callback = FakeApi::callback(
        WEBHOOK_SECRET,
        Mode::FailTimes {
            status: 503,
            times: 1,
        },
    )
    .await;
    let server = TestServer::start_with_config(&config(&[
        telegram_channel(&telegram, DEADLINE),
        webhook_channel(&callback, DEADLINE),
    ]));
    let turkish = web_answer(&server, "tr", "kargom nerede").await;
    let spanish = web_answer(&server, "es", "hola, donde esta mi pedido").await;

    let webhook_posted = std::time::Instant::now();
    let answer = post_webhook(
        &server,
        &json!({"user": "u-1", "id": "m-1", "text": "hola, donde esta mi pedido"}),
    )
    .await;
    let telegram_posted = std::time::Instant::now();
    post_telegram(
        &server,
        &telegram_message(1001, CHAT, "kargom nerede", "en"),
    )
    .await;

    // The callback: refused once, taken at the deadline.
    let posts = callback_posts(&callback, "u-1", spanish.len()).await;
    let delivered: Vec<String> = posts
        .iter()
        .map(|p| p.body["entry"]["text"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_said(&delivered, &said(std::slice::from_ref(&spanish)));
    let requests = callback.requests();
    let (refused, last_try) = (&requests[0], &requests[1]);
    assert_eq!(
        (refused.status, last_try.status),
        (503, 200),
        "{}",
        callback.describe()
    );
    assert_eq!(last_try.body, refused.body, "the same entry again");
    let at = last_try.at.duration_since(webhook_posted);
    assert!(
        at >= GIVE_UP - Duration::from_millis(100),
        "tried again {at:?} after it was posted, before its deadline\n{}",
        callback.describe()
    );
    let waited = last_try.at.duration_since(refused.at);
    assert!(
        waited < Duration::from_millis(4000),
        "waited {waited:?}: the 5 s backoff, not the deadline\n{}",
        callback.describe()
    );
    let path = format!(
        "/v1/conversations/{}",
        answer["conversation"].as_str().expect("an id")
    );
    let (status, body) = server
        .http("GET", &path, &[("Authorization", "Bearer ayse-token")], "")
        .await;
    assert_eq!(status, 200, "{body}");
    let context: Value = serde_json::from_str(&body).expect("JSON");
    assert!(
        context["dead_letters"]
            .as_array()
            .is_none_or(|d| d.is_empty()),
        "{context}"
    );

    // Telegram: failing at the deadline too, so dead letters, and only then.
    let name = "switchboard_channel_dead_letters_total";
    dead_letters_reach(&server, "telegram/shop", turkish.len()).await;
    let tries = telegram.requests();
    // The first entry twice (stored, deadline); those after it once each:
    // their deadline had passed by their first try.
    assert_eq!(tries.len(), turkish.len() + 1, "{}", telegram.describe());
    assert_eq!(tries[1].body, tries[0].body, "{}", telegram.describe());
    let at = tries[1].at.duration_since(telegram_posted);
    assert!(
        at >= GIVE_UP - Duration::from_millis(100),
        "tried again {at:?} after it was posted, before its deadline\n{}",
        telegram.describe()
    );
    let (_, page) = server.http_get("/metrics").await;
    assert_eq!(
        metric(&page, name, "channel=\"webhook/crm\"").unwrap_or(0.0),
        0.0,
        "{page}"
    );
}

/// The closing message a webhook integration receives after an agent closes
/// the conversation carries the survey as five quick replies, `rating:1` to
/// `rating:5` labelled "1 ★" to "5 ★" (as on Telegram and WhatsApp); the
/// integration rates with `{"user", "id", "choice": "rating:4"}`, which
/// reaches the agent and is thanked.
#[tokio::test]
async fn an_agent_closing_a_webhook_conversation_sends_rating_quick_replies_and_a_choice_rates() {
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Ok).await;
    let server =
        TestServer::start_with_config(&config(&[webhook_channel(&callback, FAST_RETRIES)]));
    let mut ayse = Agent::connect(&server, AYSE).await;
    post_webhook(
        &server,
        &json!({"user": "u-1", "id": "m-1", "text": "I want to talk to a human"}),
    )
    .await;
    let items = ayse.queue_until(|items| !items.is_empty()).await;
    assert_eq!(items[0]["channel"], "webhook", "{items:?}");
    let conversation = items[0]["conversation"].as_str().expect("an id").to_owned();
    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    ayse.expect_skipping_queue("conversation").await;
    ayse.send(json!({"type": "close", "conversation": conversation}))
        .await;
    ayse.expect_skipping_queue("closed").await;

    let closing = text_in("en", &Msg::ClosedAgent { agent: "Ayşe" });
    let post = callback
        .wait_for("the closing message", |requests| {
            requests
                .iter()
                .find(|r| {
                    is_callback_answer(r, "u-1")
                        && r.body["entry"]["type"] == "message"
                        && r.body["entry"]["text"]
                            .as_str()
                            .is_some_and(|t| t.contains(&closing))
                })
                .cloned()
        })
        .await;
    let expected: Vec<Value> = (1..=5)
        .map(|n| json!({"label": format!("{n} ★"), "value": format!("rating:{n}")}))
        .collect();
    assert_eq!(
        post.body["entry"]["quick_replies"],
        Value::Array(expected),
        "{}",
        post.body
    );
    callback
        .wait_for("the closed entry", |requests| {
            requests
                .iter()
                .find(|r| r.body["entry"]["type"] == "closed")
                .cloned()
        })
        .await;

    let rated = post_webhook(
        &server,
        &json!({"user": "u-1", "id": "m-2", "choice": "rating:4"}),
    )
    .await;
    assert_eq!(rated["conversation"], conversation.as_str(), "{rated}");
    let rating = ayse.expect_skipping_notices("rating").await;
    assert_eq!(rating["score"], 4, "{rating}");
    let thanks = text_in("en", &Msg::RatingThanks);
    callback
        .wait_for("the thanks for the rating", |requests| {
            requests
                .iter()
                .find(|r| {
                    is_callback_answer(r, "u-1")
                        && r.body["entry"]["text"]
                            .as_str()
                            .is_some_and(|t| t.contains(&thanks))
                })
                .cloned()
        })
        .await;
}

/// The `answerCallbackQuery` calls Telegram got for `callback_id`.
fn callback_answers(fake: &FakeApi, callback_id: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| {
            r.path == format!("/bot{BOT_TOKEN}/answerCallbackQuery")
                && r.body["callback_query_id"] == callback_id
        })
        .count()
}

/// A button press is a duplicate when its `update_id` is: posted again, one
/// after the other or several at once, it is answered with
/// `answerCallbackQuery` once. (The server answers before it answers the
/// update, so once a later press's answer arrived, any second answer to
/// the first would have arrived before it.)
#[tokio::test]
async fn a_telegram_button_press_posted_again_is_answered_with_answer_callback_query_once() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    post_telegram(
        &server,
        &telegram_message(1001, CHAT, "how much does shipping cost", "en"),
    )
    .await;
    let offer = fake
        .wait_for("a message with buttons", |requests| {
            requests
                .iter()
                .find(|r| is_telegram_answer(r, CHAT) && !inline_buttons(&r.body).is_empty())
                .cloned()
        })
        .await;
    let value = inline_buttons(&offer.body)[0][0]["callback_data"]
        .as_str()
        .expect("callback data")
        .to_owned();

    let press = telegram_press(1002, CHAT, "cbq-1", &value);
    post_telegram(&server, &press).await;
    post_telegram(&server, &press).await;
    let statuses = futures_util::future::join_all(
        (0..3).map(|_| post_telegram_with(&server, &press, Some(TELEGRAM_SECRET))),
    )
    .await;
    for (status, body) in &statuses {
        assert_eq!(*status, 200, "{body}");
    }
    // Another press (a new update) of the same button, answered too.
    post_telegram(&server, &telegram_press(1003, CHAT, "cbq-2", &value)).await;
    fake.wait_for("the answer to the later press", |requests| {
        requests
            .iter()
            .find(|r| r.body["callback_query_id"] == "cbq-2")
            .cloned()
    })
    .await;
    assert_eq!(callback_answers(&fake, "cbq-1"), 1, "{}", fake.describe());
    assert_eq!(callback_answers(&fake, "cbq-2"), 1, "{}", fake.describe());
}

/// A `callback_query` without `data` (a game button) or without `message`
/// (a button under an inline-mode message: `inline_message_id` instead) is
/// still answered with `answerCallbackQuery`, so that the customer's
/// button stops spinning, and otherwise ignored: 200, nothing stored or
/// sent. A repeat of its `update_id` is not answered again.
#[tokio::test]
async fn a_telegram_callback_query_without_data_or_message_is_answered_and_otherwise_ignored() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let without_data = json!({
        "update_id": 2001,
        "callback_query": {
            "id": "cbq-no-data",
            "from": telegram_from(CHAT, "en"),
            "message": {
                "message_id": 7,
                "date": unix_now(),
                "chat": {"id": CHAT, "type": "private"},
            },
            "chat_instance": "-4242424242",
            "game_short_name": "quiz",
        },
    });
    let inline = json!({
        "update_id": 2002,
        "callback_query": {
            "id": "cbq-inline",
            "from": telegram_from(CHAT, "en"),
            "inline_message_id": "AAAAAAAAAAAAAAAA",
            "chat_instance": "-4242424242",
            "data": "rating:5",
        },
    });
    for update in [&without_data, &inline, &without_data, &inline] {
        post_telegram(&server, update).await;
    }
    assert_eq!(
        callback_answers(&fake, "cbq-no-data"),
        1,
        "{}",
        fake.describe()
    );
    assert_eq!(
        callback_answers(&fake, "cbq-inline"),
        1,
        "{}",
        fake.describe()
    );

    // Nothing was stored for that chat: its next message's answer is the
    // first thing sent to it.
    let text = "what are your opening hours";
    let web = web_answers(&server, "en", &[text]).await;
    post_telegram(&server, &telegram_message(2003, CHAT, text, "en")).await;
    let sent = telegram_sends(&fake, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
    assert_eq!(callback_answers(&fake, "cbq-no-data"), 1);
    assert_eq!(callback_answers(&fake, "cbq-inline"), 1);
}

/// An integration that adds a field of its own (or a later version of this
/// API's) is not broken by it: unknown fields are ignored. The other checks
/// hold: text and choice together, or neither, is still a 400.
#[tokio::test]
async fn a_webhook_body_with_fields_it_does_not_know_is_taken_and_answered() {
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Ok).await;
    let server =
        TestServer::start_with_config(&config(&[webhook_channel(&callback, FAST_RETRIES)]));
    let text = "hola, donde esta mi pedido";
    let web = web_answer(&server, "es", text).await;
    post_webhook(
        &server,
        &json!({
            "user": "u-1", "id": "m-1", "text": text,
            "foo": 1, "crm": {"ticket": "T-1", "tags": ["vip"]}, "sent_at": null,
        }),
    )
    .await;
    let posts = callback_posts(&callback, "u-1", web.len()).await;
    let delivered: Vec<String> = posts
        .iter()
        .map(|p| p.body["entry"]["text"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_said(&delivered, &said(&[web]));

    for body in [
        json!({"user": "u-2", "id": "m-1", "text": "hola", "choice": "rating:4", "foo": 1}),
        json!({"user": "u-2", "id": "m-1", "foo": "bar"}),
    ] {
        let (status, answer) =
            post_webhook_signed_by(&server, &body.to_string(), WEBHOOK_SECRET, unix_now()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        let answer: Value = serde_json::from_str(&answer).expect("JSON");
        assert_eq!(answer["error"]["code"], "bad_request", "{body}: {answer}");
    }
}

/// Inbound bodies are read as JSON whatever their `Content-Type` says (none,
/// `text/plain`, a form type): providers and integrations are not refused
/// for a header. Paths that are not a configured channel are 404 and a
/// method a channel does not take is 405, with nothing stored.
#[tokio::test]
async fn channel_bodies_are_json_whatever_the_content_type_and_other_paths_are_refused() {
    let telegram = FakeApi::telegram(Mode::Ok).await;
    let graph = FakeApi::graph(Mode::Ok).await;
    let callback = FakeApi::callback(WEBHOOK_SECRET, Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[
        telegram_channel(&telegram, FAST_RETRIES),
        whatsapp_channel(&graph, FAST_RETRIES),
        webhook_channel(&callback, FAST_RETRIES),
    ]));
    let text = "what are your opening hours";
    let web = web_answers(&server, "en", &[text]).await;

    for (n, content_type) in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ]
    .into_iter()
    .enumerate()
    {
        let n_i64 = i64::try_from(n).expect("small");
        let mut headers = vec![("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET)];
        headers.extend(content_type.map(|c| ("Content-Type", c)));
        let update = telegram_message(5000 + n as u64, CHAT + 3000 + n_i64, text, "en");
        let (status, body) = server
            .http(
                "POST",
                "/v1/channels/telegram/shop",
                &headers,
                &update.to_string(),
            )
            .await;
        assert_eq!(status, 200, "{content_type:?}: {body}");
        let sent = telegram_answers(&telegram, CHAT + 3000 + n_i64, said(&web).len()).await;
        assert_said(&telegram_texts(&sent), &said(&web));

        let to = format!("90532000010{n}");
        let payload = wa_payload(vec![wa_entry(
            "Ali",
            &to,
            vec![wa_text(&to, &format!("wamid.C{n}"), text)],
        )])
        .to_string();
        let signature = hub_signature(APP_SECRET, payload.as_bytes());
        let mut headers = vec![("X-Hub-Signature-256", signature.as_str())];
        headers.extend(content_type.map(|c| ("Content-Type", c)));
        let (status, body) = server
            .http("POST", "/v1/channels/whatsapp/shop", &headers, &payload)
            .await;
        assert_eq!(status, 200, "{content_type:?}: {body}");
        let sent = whatsapp_answers(&graph, &to, said(&web).len()).await;
        assert_said(
            &sent.iter().map(whatsapp_text).collect::<Vec<_>>(),
            &said(&web),
        );

        let user = format!("u-{n}");
        let body = json!({"user": user, "id": "m-1", "text": text}).to_string();
        let now = unix_now();
        let signature = standard_webhooks_signature(WEBHOOK_SECRET, "msg_ct", now, body.as_bytes());
        let now = now.to_string();
        let mut headers = vec![
            ("webhook-id", "msg_ct"),
            ("webhook-timestamp", now.as_str()),
            ("webhook-signature", signature.as_str()),
        ];
        headers.extend(content_type.map(|c| ("Content-Type", c)));
        let (status, answer) = server
            .http("POST", "/v1/channels/webhook/crm", &headers, &body)
            .await;
        assert_eq!(status, 200, "{content_type:?}: {answer}");
        let posts = callback_posts(&callback, &user, said(&web).len()).await;
        let delivered: Vec<String> = posts
            .iter()
            .map(|p| p.body["entry"]["text"].as_str().unwrap_or("").to_owned())
            .collect();
        assert_said(&delivered, &said(&web));
    }

    let update = telegram_message(5100, CHAT, text, "en").to_string();
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET),
    ];
    for path in [
        "/v1/channels/sms/shop",
        "/v1/channels/telegram/elsewhere",
        "/v1/channels/telegram/shop/extra",
        "/v1/channels/telegram/shop/",
        "/v1/channels/telegram",
        "/v1/channels/whatsapp/elsewhere",
    ] {
        let (status, body) = server.http("POST", path, &headers, &update).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let (status, body) = server
        .http("POST", "/v1/channels/webhook/elsewhere", &headers, &update)
        .await;
    assert_eq!(status, 404, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["error"]["code"], "not_found", "{answer}");
    for (method, path) in [
        ("GET", "/v1/channels/telegram/shop"),
        ("GET", "/v1/channels/webhook/crm"),
        ("PUT", "/v1/channels/whatsapp/shop"),
    ] {
        let (status, body) = server.http(method, path, &headers, &update).await;
        assert_eq!(status, 405, "{method} {path}: {body}");
    }
    // An update is a JSON object: an array holding its fields in order is
    // not one (serde would read it as one), on Telegram and WhatsApp alike.
    let message = telegram_message(5102, CHAT, text, "en");
    let array = json!([5102, message["message"]]).to_string();
    let (status, body) = server
        .http("POST", "/v1/channels/telegram/shop", &headers, &array)
        .await;
    assert_eq!(status, 400, "{body}");
    let payload = wa_payload(vec![wa_entry(
        "Ali",
        "905320000199",
        vec![wa_text("905320000199", "wamid.ARR", text)],
    )]);
    let array = json!([payload["object"], payload["entry"]]).to_string();
    let signature = hub_signature(APP_SECRET, array.as_bytes());
    let (status, body) = server
        .http(
            "POST",
            "/v1/channels/whatsapp/shop",
            &[("X-Hub-Signature-256", signature.as_str())],
            &array,
        )
        .await;
    assert_eq!(status, 400, "{body}");
    // Nothing of that reached anyone: the chat's first answer is still to
    // come, for its first message.
    post_telegram(&server, &telegram_message(5101, CHAT, text, "en")).await;
    let sent = telegram_answers(&telegram, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
}

// ---------------------------------------------------------------- at size

/// At size: 180 Telegram customers in the nine languages (20 each, phones set
/// to English, typed without diacritics) write at once, every update posted
/// twice at the same moment, the way Telegram retries; then each writes
/// again. Every chat gets the web chat's two answers to the same two
/// messages in its own language, once each and in order: no duplicate, no
/// answer crossed into another chat.
#[tokio::test]
async fn one_hundred_eighty_telegram_customers_posted_twice_at_once_each_get_their_answers_once() {
    use futures_util::StreamExt;
    const PER_LOCALE: i64 = 20;
    let texts: [(&str, &str, &str); 9] = [
        (
            "en",
            "where is my order",
            "i still dont know where my order is",
        ),
        ("tr", "siparisim nerede", "siparisim hala gelmedi nerede"),
        (
            "el",
            "που ειναι η παραγγελια μου",
            "ακομα δεν ξερω που ειναι η παραγγελια",
        ),
        ("ms", "mana pesanan saya", "pesanan saya masih belum sampai"),
        ("lv", "kur ir mans pasutijums", "kur tad ir mans pasutijums"),
        (
            "de",
            "wo ist meine bestellung",
            "wo bleibt meine bestellung denn",
        ),
        (
            "fr",
            "ou est ma commande",
            "je ne sais toujours pas ou est ma commande",
        ),
        (
            "es",
            "donde esta mi pedido",
            "todavia no se donde esta mi pedido",
        ),
        ("ru", "где мой заказ", "так где же мой заказ"),
    ];
    let fake = FakeApi::telegram(Mode::Ok).await;
    let channel = telegram_channel(&fake, &format!("{FAST_RETRIES}max_per_second = 1000\n"));
    let server = TestServer::start_with_config(&config(&[channel]));
    let mut expected = Vec::new();
    for (locale, first, second) in texts {
        expected.push(said(&web_answers(&server, locale, &[first, second]).await));
    }
    let chats: Vec<(i64, usize)> = (0..texts.len())
        .flat_map(|l| (0..PER_LOCALE).map(move |n| (10_000 + l as i64 * 100 + n, l)))
        .collect();
    for turn in 0..2u64 {
        let posts: Vec<Value> = chats
            .iter()
            .flat_map(|&(chat, l)| {
                let text = if turn == 0 { texts[l].1 } else { texts[l].2 };
                let update = telegram_message(chat as u64 * 10 + turn, chat, text, "en");
                [update.clone(), update]
            })
            .collect();
        let statuses: Vec<(u16, String)> = futures_util::stream::iter(posts.iter())
            .map(|update| post_telegram_with(&server, update, Some(TELEGRAM_SECRET)))
            .buffer_unordered(40)
            .collect()
            .await;
        assert!(statuses.iter().all(|(s, _)| *s == 200), "{statuses:?}");
    }
    for &(chat, l) in &chats {
        let sent = telegram_answers(&fake, chat, expected[l].len()).await;
        assert_said(&telegram_texts(&sent), &expected[l]);
    }
}

/// An agent who starts typing as they claim a Telegram conversation: the
/// "typing…" shows after "Ayşe joined", never before it (entries go out at
/// the channel's pace, typing at once), and typing still shows once what
/// was queued is delivered.
#[tokio::test]
async fn an_agents_typing_never_shows_before_the_queued_notices_on_telegram() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let (mut ayse, conversation, _) = claimed_telegram_chat(&server).await;
    ayse.send(json!({"type": "typing", "conversation": conversation, "on": true}))
        .await;
    let joined = text_in("en", &Msg::HandoffAssigned { agent: "Ayşe" });
    let is_joined = |r: &Recorded| {
        is_telegram_send_to(r, CHAT) && r.body["text"].as_str().is_some_and(|t| t.contains(&joined))
    };
    let is_typing = |r: &Recorded| r.path.ends_with("/sendChatAction");
    // Typing until it shows: the first keystrokes may be skipped while the
    // notice is on its way.
    let typed = tokio::time::timeout(DELIVERY_TIMEOUT, async {
        loop {
            let requests = fake.requests();
            if requests.iter().any(is_typing) {
                return requests;
            }
            ayse.send(json!({"type": "typing", "conversation": conversation, "on": true}))
                .await;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("typing never showed; the fake saw:\n{}", fake.describe()));
    let joined_at = typed.iter().position(is_joined);
    let typing_at = typed.iter().position(is_typing);
    assert!(
        joined_at.is_some() && joined_at < typing_at,
        "typing before the notice:\n{}",
        fake.describe()
    );
}

/// A Telegram message the customer edits arrives as `edited_message`: the
/// corrected text is answered as a new message, not dropped.
#[tokio::test]
async fn an_edited_telegram_message_is_answered_as_a_new_one() {
    let fake = FakeApi::telegram(Mode::Ok).await;
    let server = TestServer::start_with_config(&config(&[telegram_channel(&fake, FAST_RETRIES)]));
    let text = "what are your opening hours";
    let web = web_answers(&server, "en", &[text]).await;
    let mut edited = telegram_message(7001, CHAT, text, "en");
    let message = edited["message"].take();
    edited["edited_message"] = message;
    edited.as_object_mut().expect("an object").remove("message");
    post_telegram(&server, &edited).await;
    let sent = telegram_answers(&fake, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
}
