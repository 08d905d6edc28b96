//! Insights: a scripted day of conversations through the real protocol (bot
//! answers ended by the customer, handoffs of three reasons claimed and
//! closed by an agent, ratings, "did this help?"), then the exact figures
//! on `/metrics`, in `GET /v1/insights` and in the CSV exports, and the daily
//! figures again after a restart.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{agent_entry, Agent, Customer, TestServer, FRAME_TIMEOUT};

pub const JOHN: &str = "john-insights-token";

/// The server the script runs against: John speaks English.
pub fn server() -> TestServer {
    TestServer::start_with_config(&agent_entry("John", &["en"], JOHN))
}

/// What the script did, for the checks.
pub struct Script {
    /// The conversation whose two questions nothing answered.
    pub unanswered_in: String,
    /// The article the customer said did not help.
    pub unhelpful_article: String,
    /// The complaint still waiting in the queue (keep it connected).
    pub waiting: Customer,
}

/// Ends a conversation as its customer and rates it `score` (if any).
async fn end_and_rate(customer: &mut Customer, score: Option<u8>) {
    customer.send(json!({"type": "end"})).await;
    customer.wait_for("closed").await;
    if let Some(score) = score {
        customer
            .send(json!({"type": "rating", "score": score}))
            .await;
        customer.expect("message").await;
    }
}

/// Six conversations, five in English and one in Turkish, all on the web:
/// 1. "thanks", helpful, ended, rated 5: contained;
/// 2. a shipping question with its article, not helpful, ended, rated 4: contained;
/// 3. two questions nothing answers: handed off (`no_match`), claimed and
///    closed by John, rated 2;
/// 4. "talk to a human": handed off (`customer_request`), claimed, ended by
///    the customer;
/// 5. a complaint: handed off (`complaint`, high), left waiting;
/// 6. a Turkish thank-you, ended: contained.
pub async fn run(server: &TestServer) -> Script {
    let mut john = Agent::connect(server, JOHN).await;

    let mut first = server.customer("en").await;
    let (_, answer) = first.say("m1", "thanks").await;
    first
        .send(json!({"type": "feedback", "seq": answer["seq"], "helpful": true}))
        .await;
    first.expect("message").await;
    end_and_rate(&mut first, Some(5)).await;

    let mut second = server.customer("en").await;
    let (_, answer) = second.say("m1", "how much is shipping").await;
    let article = answer["articles"][0]["id"]
        .as_str()
        .expect("the shipping answer shows an article")
        .to_owned();
    second
        .send(json!({"type": "feedback", "seq": answer["seq"], "helpful": false}))
        .await;
    second.expect("message").await;
    end_and_rate(&mut second, Some(4)).await;

    let mut third = server.customer("en").await;
    third.say("m1", "zzzz qqqq xxxx").await;
    third
        .send(json!({"type": "message", "id": "m2", "text": "vvvv wwww yyyy"}))
        .await;
    third.expect("ack").await;
    third.wait_for_status("queued").await;
    john.send(json!({"type": "claim", "conversation": third.conversation()}))
        .await;
    john.expect_skipping_queue("conversation").await;
    third.wait_for_status("assigned").await;
    john.send(json!({"type": "close", "conversation": third.conversation()}))
        .await;
    john.expect_skipping_queue("closed").await;
    third.wait_for("closed").await;
    third.send(json!({"type": "rating", "score": 2})).await;
    third.expect("message").await;
    john.expect_skipping_queue("rating").await;

    let mut fourth = server.customer("en").await;
    fourth
        .send(json!({"type": "message", "id": "m1", "text": "talk to a human"}))
        .await;
    fourth.expect("ack").await;
    fourth.wait_for_status("queued").await;
    john.send(json!({"type": "claim", "conversation": fourth.conversation()}))
        .await;
    john.expect_skipping_queue("conversation").await;
    fourth.wait_for_status("assigned").await;
    end_and_rate(&mut fourth, None).await;

    let mut waiting = server.customer("en").await;
    waiting
        .send(json!({"type": "message", "id": "m1", "text": "i want to make a complaint"}))
        .await;
    waiting.expect("ack").await;
    waiting.wait_for_status("queued").await;

    let mut turkish = server.customer("tr").await;
    turkish.say("m1", "teşekkür ederim").await;
    end_and_rate(&mut turkish, None).await;

    Script {
        unanswered_in: third.conversation(),
        unhelpful_article: article,
        waiting,
    }
}

/// The value of the series `name` with exactly `labels`, if present.
pub fn metric(page: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    page.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (series_name, rest) = match series.split_once('{') {
            Some((n, rest)) => (n, rest.strip_suffix('}')?),
            None => (series, ""),
        };
        if series_name != name {
            return None;
        }
        let mut found: Vec<(&str, &str)> = rest
            .split(',')
            .filter(|pair| !pair.is_empty())
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                Some((key, value.trim_matches('"')))
            })
            .collect();
        let mut wanted = labels.to_vec();
        found.sort_unstable();
        wanted.sort_unstable();
        (found == wanted).then(|| value.parse().ok()).flatten()
    })
}

/// `GET path` with John's token.
async fn get(server: &TestServer, path: &str) -> (u16, String) {
    let bearer = format!("Bearer {JOHN}");
    server
        .http("GET", path, &[("Authorization", bearer.as_str())], "")
        .await
}

async fn report(server: &TestServer, query: &str) -> Value {
    let (status, body) = get(server, &format!("/v1/insights?{query}")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("the report is JSON")
}

/// Asks `/metrics` until `accept` holds for the page; returns it.
async fn metrics_until(server: &TestServer, accept: impl Fn(&str) -> bool) -> String {
    let waited = tokio::time::timeout(FRAME_TIMEOUT, async {
        loop {
            let (_, page) = server.http_get("/metrics").await;
            if accept(&page) {
                return page;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    waited.expect("/metrics reached the expected figures in time")
}

/// Checks the figures of the script in a report of the last two days (so
/// that a run across midnight UTC still sees the whole script).
fn check_report(report: &Value, unanswered_in: &str, unhelpful_article: &str) {
    let totals = &report["totals"];
    assert_eq!(totals["conversations"], 6, "{report}");
    assert_eq!(totals["contained"], 3, "{report}");
    assert_eq!(totals["handoffs"], 3, "{report}");
    assert_eq!(totals["containment_rate"], 0.5, "{report}");
    assert_eq!(totals["handoff_rate"], 0.5, "{report}");
    // Seven customer messages reached the bot; two were not understood.
    assert_eq!(totals["bot_turns"], 7, "{report}");
    assert_eq!(totals["unanswered_turns"], 2, "{report}");
    let fallback = totals["fallback_rate"].as_f64().expect("a fallback rate");
    assert!((fallback - 2.0 / 7.0).abs() < 1e-9, "{fallback}");
    let reasons = &report["handoffs_by_reason"];
    assert_eq!(
        (
            &reasons["no_match"],
            &reasons["customer_request"],
            &reasons["complaint"],
            &reasons["policy"],
            &reasons["action_failed"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(0), &json!(0)),
        "{report}"
    );
    assert_eq!(
        report["ratings"],
        json!({"1": 0, "2": 1, "3": 0, "4": 1, "5": 1})
    );
    assert_eq!(report["ratings_count"], 3);
    let average = report["csat_average"].as_f64().expect("an average");
    assert!((average - 11.0 / 3.0).abs() < 1e-9, "{average}");
    assert_eq!(report["helpful"], json!({"yes": 1, "no": 1}));
    assert!(
        report["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .any(|a| a["article"] == unhelpful_article && a["not_helpful"] == 1),
        "{report}"
    );
    assert_eq!(report["wait"]["samples"], 2, "{report}");
    assert_eq!(
        report["wait"]["median"],
        json!({"at_most_s": 5}),
        "{report}"
    );
    assert_eq!(report["handling"]["samples"], 2, "{report}");
    let unanswered = report["unanswered"].as_array().expect("unanswered");
    let texts: Vec<&str> = unanswered
        .iter()
        .filter_map(|q| q["text"].as_str())
        .collect();
    assert!(texts.contains(&"zzzz qqqq xxxx"), "{report}");
    assert!(texts.contains(&"vvvv wwww yyyy"), "{report}");
    assert!(unanswered
        .iter()
        .all(|q| q["conversation"] == unanswered_in && q["count"] == 1));
    assert_eq!(report["by_day"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_fresh_server_describes_every_metric_before_any_traffic() {
    let server = server();
    let (status, page) = server.http_get("/metrics").await;
    assert_eq!(status, 200);
    for family in [
        "switchboard_conversations_started_total counter",
        "switchboard_conversations_contained_total counter",
        "switchboard_messages_total counter",
        "switchboard_intents_matched_total counter",
        "switchboard_turns_unanswered_total counter",
        "switchboard_handoffs_total counter",
        "switchboard_handoff_queue_length gauge",
        "switchboard_handoff_wait_seconds histogram",
        "switchboard_handoff_handling_seconds histogram",
        "switchboard_csat_rating histogram",
        "switchboard_answer_feedback_total counter",
        "switchboard_ack_seconds histogram",
        "switchboard_store_entries_per_flush histogram",
        "switchboard_nlu_parse_seconds histogram",
        "switchboard_channel_retries_total counter",
        "switchboard_channel_dead_letters_total counter",
    ] {
        assert!(
            page.contains(&format!("# TYPE {family}")),
            "{family}:\n{page}"
        );
        let name = family.split(' ').next().unwrap_or_default();
        assert!(page.contains(&format!("# HELP {name} ")), "{name}");
    }
    assert_eq!(
        metric(
            &page,
            "switchboard_conversations_started_total",
            &[("channel", "web"), ("locale", "tr")]
        ),
        Some(0.0)
    );
    assert!(
        !page.contains("conversation=\""),
        "no conversation ids as labels"
    );
}

#[tokio::test]
async fn a_scripted_day_gives_exact_figures_that_survive_a_restart() {
    let mut server = server();
    let script = run(&server).await;

    // The queue gauge follows the queue on the next publisher pass.
    let page = metrics_until(&server, |page| {
        metric(
            page,
            "switchboard_handoff_queue_length",
            &[("locale", "en")],
        ) == Some(1.0)
    })
    .await;
    let value = |name: &str, labels: &[(&str, &str)]| metric(&page, name, labels);
    let started = "switchboard_conversations_started_total";
    assert_eq!(
        value(started, &[("channel", "web"), ("locale", "en")]),
        Some(5.0)
    );
    assert_eq!(
        value(started, &[("channel", "web"), ("locale", "tr")]),
        Some(1.0)
    );
    let contained = "switchboard_conversations_contained_total";
    assert_eq!(
        value(contained, &[("channel", "web"), ("locale", "en")]),
        Some(2.0)
    );
    assert_eq!(
        value(contained, &[("channel", "web"), ("locale", "tr")]),
        Some(1.0)
    );
    let handoffs = "switchboard_handoffs_total";
    for (reason, priority) in [
        ("no_match", "normal"),
        ("customer_request", "normal"),
        ("complaint", "high"),
    ] {
        assert_eq!(
            value(
                handoffs,
                &[("locale", "en"), ("reason", reason), ("priority", priority)]
            ),
            Some(1.0),
            "{reason}"
        );
    }
    assert_eq!(
        value(
            handoffs,
            &[
                ("locale", "en"),
                ("reason", "policy"),
                ("priority", "normal")
            ]
        ),
        Some(0.0)
    );
    assert_eq!(
        value(
            "switchboard_messages_total",
            &[("channel", "web"), ("sender", "customer")]
        ),
        Some(7.0)
    );
    assert_eq!(
        value(
            "switchboard_intents_matched_total",
            &[("locale", "en"), ("intent", "shipping_info")]
        ),
        Some(1.0)
    );
    let unanswered = "switchboard_turns_unanswered_total";
    let misses = value(unanswered, &[("locale", "en"), ("outcome", "no_match")]).unwrap_or(0.0)
        + value(unanswered, &[("locale", "en"), ("outcome", "out_of_scope")]).unwrap_or(0.0);
    assert_eq!(misses, 2.0);
    assert_eq!(
        value("switchboard_csat_rating_count", &[("locale", "en")]),
        Some(3.0)
    );
    assert_eq!(
        value("switchboard_csat_rating_sum", &[("locale", "en")]),
        Some(11.0)
    );
    assert_eq!(
        value(
            "switchboard_csat_rating_bucket",
            &[("locale", "en"), ("le", "2")]
        ),
        Some(1.0)
    );
    let feedback = "switchboard_answer_feedback_total";
    assert_eq!(
        value(feedback, &[("locale", "en"), ("outcome", "helpful")]),
        Some(1.0)
    );
    assert_eq!(
        value(feedback, &[("locale", "en"), ("outcome", "not_helpful")]),
        Some(1.0)
    );
    assert_eq!(
        value(
            "switchboard_handoff_wait_seconds_count",
            &[("locale", "en")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            "switchboard_handoff_handling_seconds_count",
            &[("locale", "en")]
        ),
        Some(2.0)
    );
    assert!(value("switchboard_nlu_parse_seconds_count", &[]).is_some_and(|n| n >= 7.0));
    assert!(
        value("switchboard_ack_seconds_count", &[("channel", "web")]).is_some_and(|n| n >= 7.0)
    );

    // The report, and its filters.
    let all = report(&server, "days=2").await;
    check_report(&all, &script.unanswered_in, &script.unhelpful_article);
    let turkish = report(&server, "days=2&locale=tr").await;
    assert_eq!(turkish["totals"]["conversations"], 1);
    assert_eq!(turkish["totals"]["contained"], 1);
    assert_eq!(turkish["totals"]["containment_rate"], 1.0);
    assert_eq!(turkish["unanswered"], json!([]));
    let telegram = report(&server, "days=2&channel=telegram").await;
    assert_eq!(telegram["totals"]["conversations"], 0);
    assert_eq!(telegram["totals"]["containment_rate"], Value::Null);
    assert_eq!(get(&server, "/v1/insights?days=0").await.0, 400);
    assert_eq!(get(&server, "/v1/insights?locale=xx").await.0, 400);
    assert_eq!(get(&server, "/v1/insights?channel=fax").await.0, 400);
    // Malformed, repeated or unknown parameters are a 400 that says what is
    // wrong (a misspelt one must not silently give another period), and
    // only after the login: without a token it is a 401 whatever the query.
    for query in [
        "days=abc",
        "days=-1",
        "days=7&days=1",
        "from=2026-12-01",
        "range=30",
    ] {
        let (status, body) = get(&server, &format!("/v1/insights?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        let answer: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(answer["error"]["code"], "bad_request", "{query}: {body}");
        // Said in the API's words, not the query parser's.
        let message = answer["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains("days"), "{query}: {body}");
        assert!(!message.contains("deserialize"), "{query}: {body}");
    }
    let (_, body) = get(&server, "/v1/insights?locale=xx").await;
    assert!(body.contains("locale must be one of"), "{body}");
    assert_eq!(server.http_get("/v1/insights?days=abc").await.0, 401);
    assert_eq!(server.http_get("/v1/insights").await.0, 401);
    assert_eq!(server.http_get("/v1/insights/daily.csv").await.0, 401);

    // The CSV exports.
    let (status, csv) = get(&server, "/v1/insights/daily.csv?days=2").await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(
        lines[0].starts_with("day,locale,channel,conversations,contained,handoffs,"),
        "{csv}"
    );
    let header: Vec<&str> = lines[0].split(',').collect();
    let english = lines
        .iter()
        .find(|l| l.contains(",en,web,"))
        .expect("an English web row");
    let cells: Vec<&str> = english.split(',').collect();
    let cell = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .map(|i| cells[i])
            .unwrap_or_else(|| panic!("no column {name}: {csv}"))
    };
    assert_eq!(
        (cell("conversations"), cell("contained"), cell("handoffs")),
        ("5", "2", "3"),
        "{csv}"
    );
    assert_eq!(
        (
            cell("handoffs_complaint"),
            cell("rating_5"),
            cell("rating_2")
        ),
        ("1", "1", "1")
    );
    assert_eq!((cell("wait_samples"), cell("wait_median_s")), ("2", "5"));
    assert_eq!((cell("bot_turns"), cell("unanswered_turns")), ("6", "2"));
    assert!(lines.iter().any(|l| l.contains(",tr,web,1,1,0,")), "{csv}");
    let (status, csv) = get(&server, "/v1/insights/unanswered.csv?days=2").await;
    assert_eq!(status, 200);
    assert!(
        csv.starts_with("text,locale,channel,count,last_asked,conversation\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("zzzz qqqq xxxx,en,web,1,") && csv.contains(&script.unanswered_in),
        "{csv}"
    );

    // The daily figures are in the store: a restart keeps them, while the
    // live counters start again from zero.
    drop(script.waiting);
    server.restart();
    let after = report(&server, "days=2").await;
    check_report(&after, &script.unanswered_in, &script.unhelpful_article);
    let (_, page) = server.http_get("/metrics").await;
    assert_eq!(
        metric(&page, started, &[("channel", "web"), ("locale", "en")]),
        Some(0.0)
    );
}

#[tokio::test]
async fn a_bot_only_conversation_erased_idle_by_retention_counts_as_contained() {
    // About 2.6 s of retention; the sweep runs every second.
    let server = TestServer::start_with_config(&format!(
        "retention_days = 0.00003\n{}",
        agent_entry("John", &["en"], JOHN)
    ));
    let mut quiet = server.customer("de").await;
    quiet.say("m1", "danke").await;
    drop(quiet);
    let contained = [("channel", "web"), ("locale", "de")];
    metrics_until(&server, |page| {
        metric(
            page,
            "switchboard_conversations_contained_total",
            &contained,
        ) == Some(1.0)
    })
    .await;
    let german = report(&server, "days=2&locale=de").await;
    assert_eq!(german["totals"]["conversations"], 1, "{german}");
    assert_eq!(german["totals"]["contained"], 1, "{german}");
}

/// At size: 180 customers in the nine languages, 32 talking at once, each
/// thanks the bot in their own words (typed without diacritics) and ends the
/// chat. Every one of them is started and contained in its language, in the
/// report, and again after a restart: counts gathered concurrently are
/// neither lost nor doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_and_eighty_conversations_at_once_are_each_counted_once() {
    use futures_util::stream::{self, StreamExt};
    let thanks = [
        ("en", "thanks a lot"),
        ("tr", "cok tesekkurler"),
        ("el", "ευχαριστω πολυ"),
        ("ms", "terima kasih ya"),
        ("lv", "liels paldies"),
        ("de", "danke schon"),
        ("fr", "merci beaucoup"),
        ("es", "muchas gracias"),
        ("ru", "спасибо большое"),
    ];
    let mut server = server();
    let server_ref = &server;
    stream::iter((0..180).map(|n| thanks[n % thanks.len()]))
        .map(|(locale, text)| async move {
            let mut customer = server_ref.customer(locale).await;
            customer.say("t1", text).await;
            end_and_rate(&mut customer, None).await;
        })
        .buffer_unordered(32)
        .collect::<Vec<()>>()
        .await;
    let check = |report: &Value| {
        assert_eq!(report["totals"]["conversations"], 180, "{report}");
        assert_eq!(report["totals"]["contained"], 180, "{report}");
        assert_eq!(report["totals"]["handoffs"], 0, "{report}");
    };
    check(&report(&server, "days=1").await);
    for (locale, _) in thanks {
        let one = report(&server, &format!("days=1&locale={locale}")).await;
        assert_eq!(one["totals"]["conversations"], 20, "{locale}: {one}");
        assert_eq!(one["totals"]["contained"], 20, "{locale}: {one}");
    }
    server.restart();
    check(&report(&server, "days=1").await);
}
