//! Slot replies as customers phrase them (issue 11): the held-back set in
//! `tests/data/slots/<locale>.toml`, written fresh and never copied into
//! `intents/`. Each reply answers the order-number question of one flow; it
//! must fill that flow with the right number, let the question go ("never
//! mind"), or switch to the new topic it asks about. Run with
//! `cargo test --release --test slots -- --nocapture` for the table.

use std::sync::{Arc, LazyLock};

use serde::Deserialize;
use switchboard::config::bundled_content_dir;
use switchboard::conversation::{Content, Engine, ShopFacts};
use switchboard::domain::{ConversationId, ConversationRecord, EntryBody, PendingSlot, Timestamp};
use switchboard::l10n::Msg;

const LOCALES: &[&str] = &["en", "tr", "el", "ms", "lv", "de", "fr", "es", "ru"];
/// The share of replies that must do what the customer meant.
const TARGET: f64 = 0.95;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let content = Content::load(&bundled_content_dir(), None).expect("content");
    let actions = ["order_lookup", "order_cancel", "change_address"]
        .map(String::from)
        .to_vec();
    Engine::new(Arc::new(content), ShopFacts::default(), actions)
});

#[derive(Deserialize)]
struct File {
    reply: Vec<SlotReply>,
}

#[derive(Deserialize)]
struct SlotReply {
    flow: String,
    text: String,
    expect: String,
    #[serde(default)]
    order: Option<String>,
}

/// Whether the engine did what `reply` means, and what it did.
fn outcome(locale: &str, reply: &SlotReply) -> (bool, String) {
    let mut record =
        ConversationRecord::new(ConversationId::random(), locale, None, Timestamp::now());
    record.last_seq = 2;
    record.pending_slot = Some(PendingSlot {
        intent: reply.flow.clone(),
        slot: "order_number".to_owned(),
        asked: 1,
    });
    let answer = ENGINE.on_text(&mut record, &reply.text);
    // An action that changes something asks to confirm first: that is the
    // flow filled, too.
    let called = answer
        .action
        .as_ref()
        .map(|c| (c.intent.clone(), c.slots.get("order_number").cloned()))
        .or_else(|| {
            record
                .pending_confirmation
                .as_ref()
                .map(|p| (p.intent.clone(), p.slots.get("order_number").cloned()))
        });
    let said = answer.entries.first().map(|e| match e {
        EntryBody::Message { text, intent, .. } => (text.clone(), intent.clone()),
        _ => (String::new(), None),
    });
    let l10n = &ENGINE.content().l10n;
    let abandoned = l10n.text(&l10n.locale(locale).expect("locale"), &Msg::SlotAbandoned);
    let ok = match reply.expect.as_str() {
        "fill" => called == Some((reply.flow.clone(), reply.order.clone())),
        "abandon" => {
            record.pending_slot.is_none()
                && said.as_ref().is_some_and(|(text, _)| *text == abandoned)
        }
        "switch" => {
            record.pending_slot.is_none()
                && called.is_none()
                && (answer.handoff.is_some()
                    || said
                        .as_ref()
                        .is_some_and(|(text, intent)| *text != abandoned && intent.is_some()))
        }
        other => panic!("unknown expectation {other}"),
    };
    let did = match (&called, &said) {
        (Some((intent, order)), _) => format!("called {intent} with {order:?}"),
        (None, Some((text, intent))) => format!("said {intent:?}: {text}"),
        (None, None) => format!("handoff {:?}", answer.handoff),
    };
    (ok, did)
}

/// Every example in `intents/`, lowercased, by locale: a held-back reply
/// that is also a training example (short ones like "no thanks" are bound to
/// be) is counted apart, so the table shows both.
fn trained() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let intents =
        switchboard::nlu::load_intents(&bundled_content_dir().join("intents")).expect("intents");
    let mut out = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for intent in intents {
        for (locale, examples) in intent.examples {
            out.entry(locale)
                .or_default()
                .extend(examples.iter().map(|e| e.trim().to_lowercase()));
        }
    }
    out
}

#[test]
fn at_least_95_percent_of_slot_replies_do_what_the_customer_meant() {
    let trained = trained();
    let mut unseen = (0usize, 0usize);
    let mut total = (0usize, 0usize);
    let mut report = vec!["| locale | fill | abandon | switch | all |".to_owned()];
    report.push("|---|---|---|---|---|".to_owned());
    let mut misses = Vec::new();
    for locale in LOCALES {
        let path = bundled_content_dir().join(format!("tests/data/slots/{locale}.toml"));
        let file: File =
            toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("parse");
        let mut by_kind = std::collections::BTreeMap::<&str, (usize, usize)>::new();
        for reply in &file.reply {
            let (ok, did) = outcome(locale, reply);
            let seen = trained
                .get(*locale)
                .is_some_and(|t| t.contains(&reply.text.trim().to_lowercase()));
            if !seen {
                unseen = (unseen.0 + usize::from(ok), unseen.1 + 1);
            }
            let entry = by_kind.entry(reply.expect.as_str()).or_default();
            entry.1 += 1;
            if ok {
                entry.0 += 1;
            } else {
                misses.push(format!(
                    "{locale} {} {:?} (expected {}): {did}",
                    reply.flow, reply.text, reply.expect
                ));
            }
        }
        let cell = |kind: &str| {
            let (ok, n) = by_kind.get(kind).copied().unwrap_or_default();
            format!("{ok}/{n}")
        };
        let (ok, n) = by_kind
            .values()
            .fold((0, 0), |(a, b), (ok, n)| (a + ok, b + n));
        total = (total.0 + ok, total.1 + n);
        report.push(format!(
            "| {locale} | {} | {} | {} | {:.1}% |",
            cell("fill"),
            cell("abandon"),
            cell("switch"),
            100.0 * ok as f64 / n as f64
        ));
    }
    let share = total.0 as f64 / total.1 as f64;
    println!(
        "{}\nall: {:.1}%; the {} replies that are not also training examples: {:.1}%\n",
        report.join("\n"),
        100.0 * share,
        unseen.1,
        100.0 * unseen.0 as f64 / unseen.1 as f64
    );
    for miss in &misses {
        println!("miss: {miss}");
    }
    assert!(
        share >= TARGET,
        "{:.1}% of slot replies did what was meant",
        100.0 * share
    );
}
