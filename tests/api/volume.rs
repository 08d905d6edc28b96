//! The product at the sizes a busy support desk reaches: thousands waiting,
//! chats of hundreds of turns, many claims at the same moment, one address
//! flooding the queue. Real clients against the real server on port 0.

use crate::common::{agent_entry, Agent, Customer, TestServer};
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

const JOHN: &str = "john-token";
const MARY: &str = "mary-token";

fn agents() -> String {
    [
        agent_entry("John", &["en"], JOHN),
        agent_entry("Mary", &["en"], MARY),
    ]
    .join("\n")
}

/// No per-connection rate limit: the tests drive long chats quickly.
const FAST: &str = "[limits]\nframes_per_second = 100000\nframes_burst = 100000\n";

/// A customer who asked for a person and was told their place.
async fn queued_customer(server: &TestServer) -> Customer {
    let mut customer = server.customer("en").await;
    asks_for_a_person(&mut customer).await;
    customer
}

/// A chat of `turns` customer messages, each answered by the bot.
async fn long_chat(customer: &mut Customer, turns: usize) {
    let texts = ["where is my order", "how do I return an item", "thanks"];
    for turn in 0..turns {
        let text = texts[turn % texts.len()];
        customer
            .send(json!({"type": "message", "id": format!("t{turn}"), "text": text}))
            .await;
        customer.expect("ack").await;
        let reply = customer.expect("message").await;
        assert_eq!(reply["from"], "bot", "{reply}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_signs_in_and_claims_with_5000_customers_waiting() {
    let config = format!("[handoff]\nmax_waiting_per_address = 100000\n{}", agents());
    let server = TestServer::start_with_config(&config);
    let waiting = 5000;
    let conversations: Vec<String> = stream::iter(0..waiting)
        .map(|_| async {
            // Each customer leaves once queued: the queue keeps their place.
            let customer = queued_customer(&server).await;
            customer.conversation()
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert_eq!(conversations.len(), waiting);

    let mut john = Agent::connect(&server, JOHN).await;
    assert_eq!(
        john.ready["queue_total"], waiting,
        "the whole queue is counted"
    );
    assert_eq!(john.ready["queue_by_locale"]["en"], waiting);
    let items = john.ready["queue"].as_array().expect("queue items");
    assert_eq!(items.len(), 50, "the view is the first 50");
    assert_eq!(items[0]["position"], 1);
    assert_eq!(items[49]["position"], 50);

    let first = items[0]["conversation"].as_str().expect("id").to_owned();
    john.send(json!({"type": "claim", "conversation": first}))
        .await;
    let context = john.expect_skipping_queue("conversation").await;
    assert_eq!(context["conversation"], first.as_str());
    let view = john
        .queue_until(|items| {
            items
                .first()
                .is_some_and(|i| i["conversation"] != first.as_str())
        })
        .await;
    assert_eq!(view.len(), 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_who_describe_themselves_at_length_are_refused_clearly_and_lock_nobody_out() {
    let server = TestServer::start_with_config(&format!(
        "{FAST}\n[handoff]\nmax_waiting_per_address = 1000\n{}",
        agents()
    ));
    let big: serde_json::Map<String, Value> = (0..5)
        .map(|i| (format!("note{i}"), json!("x".repeat(3000))))
        .collect();
    for _ in 0..5 {
        let mut customer = Customer::connect(&server).await;
        customer
            .send(json!({"type": "hello", "locale": "en", "customer": {"attributes": big}}))
            .await;
        customer.expect_error("bad_request").await;
    }
    // At the bound, many waiting customers still fit the agent's view.
    let fitting: serde_json::Map<String, Value> = (0..20)
        .map(|i| (format!("k{i}"), json!("y".repeat(150))))
        .collect();
    for _ in 0..60 {
        let mut customer = Customer::connect(&server).await;
        customer
            .send(json!({
                "type": "hello", "locale": "en",
                "customer": {"id": "c".repeat(256), "name": "n".repeat(256), "attributes": fitting}
            }))
            .await;
        customer.expect("welcome").await;
        customer.expect("message").await;
        customer
            .send(json!({"type": "message", "id": "q", "text": "talk to a human"}))
            .await;
        customer.wait_for("handoff").await;
    }
    let john = Agent::connect(&server, JOHN).await;
    assert_eq!(john.ready["queue_total"], 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_turn_chat_is_claimed_with_a_window_and_resumes_from_zero_entry_by_entry() {
    let server = TestServer::start_with_config(&format!("{FAST}\n{}", agents()));
    let mut customer = server.customer("en").await;
    long_chat(&mut customer, 500).await;
    customer
        .send(json!({"type": "message", "id": "human", "text": "talk to a human"}))
        .await;
    customer.expect("ack").await;
    let handoff = customer.wait_for("handoff").await;
    let last_seq = handoff["seq"].as_u64().expect("seq") + 1;

    // The agent claims it and gets the newest part, then pages back to the start.
    let mut john = Agent::connect(&server, JOHN).await;
    john.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    let context = john.expect_skipping_queue("conversation").await;
    let window = context["transcript"].as_array().expect("transcript");
    assert!(!window.is_empty() && window.len() <= 50, "{}", window.len());
    assert_eq!(context["earlier"], true);
    let mut seqs: Vec<u64> = window.iter().filter_map(|e| e["seq"].as_u64()).collect();
    // The claim itself added the assigned notice after the window was read.
    assert!(*seqs.last().expect("seq") >= last_seq);
    while seqs[0] > 1 {
        john.send(
            json!({"type": "history", "conversation": customer.conversation(), "before": seqs[0]}),
        )
        .await;
        let page = john.expect_skipping_queue("history").await;
        let older: Vec<u64> = page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["seq"].as_u64())
            .collect();
        assert!(!older.is_empty());
        assert_eq!(page["earlier"], older[0] > 1);
        seqs.splice(0..0, older);
    }
    let expected: Vec<u64> = (1..=*seqs.last().expect("seq")).collect();
    assert_eq!(seqs, expected, "every entry once, in order");

    // A reload of the page: resume from 0 replays every entry, in order, once.
    let session = customer.session();
    drop(customer);
    let (mut again, welcome) = Customer::resume(&server, &session, 0).await;
    let newest = welcome["last_seq"].as_u64().expect("last_seq");
    assert!(newest > 1000, "500 turns and their answers: {newest}");
    for seq in 1..=newest {
        let entry = again.recv().await;
        assert_eq!(entry["seq"], seq, "{entry}");
    }
    // The connection is live afterwards: the agent's reply arrives.
    john.send(json!({"type": "message", "conversation": again.conversation(), "id": "a1", "text": "Hello, I'm John"}))
        .await;
    let reply = again.wait_for("message").await;
    assert_eq!(reply["from"], "agent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_claims_of_different_conversations_all_stand_for_100_rounds() {
    let server = TestServer::start_with_config(&format!("{FAST}\n{}", agents()));
    let mut john = Agent::connect(&server, JOHN).await;
    let mut mary = Agent::connect(&server, MARY).await;
    for round in 0..100 {
        let mut first = queued_customer(&server).await;
        let mut second = queued_customer(&server).await;
        let (a, b) = (first.conversation(), second.conversation());
        let (john_sent, mary_sent) = tokio::join!(
            john.send(json!({"type": "claim", "conversation": a})),
            mary.send(json!({"type": "claim", "conversation": b})),
        );
        let _ = (john_sent, mary_sent);
        let (ctx_a, ctx_b) = tokio::join!(
            john.expect_skipping_notices("conversation"),
            mary.expect_skipping_notices("conversation"),
        );
        assert_eq!(ctx_a["conversation"], a.as_str());
        assert_eq!(ctx_b["conversation"], b.as_str());
        for (customer, agent_name) in [(&mut first, "John"), (&mut second, "Mary")] {
            let assigned = customer.wait_for_status("assigned").await;
            assert_eq!(assigned["agent"]["name"], agent_name, "round {round}");
            customer
                .send(json!({"type": "message", "id": "after", "text": "are you there?"}))
                .await;
            // Nothing may put the conversation back in the queue after the claim.
            loop {
                let frame = customer.recv().await;
                assert_ne!(frame["type"], "handoff", "round {round}: {frame}");
                if frame["type"] == "ack" {
                    break;
                }
            }
        }
        // Each agent gets its own customer's message: the claims stood.
        for (agent, id) in [(&mut john, &a), (&mut mary, &b)] {
            let message = agent.expect_skipping_notices("message").await;
            assert_eq!(message["conversation"], id.as_str(), "round {round}");
            agent
                .send(json!({"type": "close", "conversation": id}))
                .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_flood_from_one_address_stops_at_its_cap_and_others_still_get_in() {
    let config = format!(
        "{FAST}\n[handoff]\nmax_waiting_per_address = 20\nmax_waiting = 30\n{}",
        agents()
    );
    let server = TestServer::start_with_config(&config);
    // 127.0.0.3 is not a trusted proxy: it is one client, capped.
    for _ in 0..20 {
        asks_for_a_person(&mut customer_from(&server, "127.0.0.3").await).await;
    }
    // The 21st from the same address is told the queue is full, kindly.
    let mut flooder = customer_from(&server, "127.0.0.3").await;
    flooder
        .send(json!({"type": "message", "id": "q", "text": "talk to a human"}))
        .await;
    flooder.expect("ack").await;
    let full = next_system_message(&mut flooder).await;
    assert!(
        full["text"].as_str().is_some_and(|t| t.contains("full")),
        "{full}"
    );

    // A trusted proxy (this host) that names no client speaks for everyone:
    // not capped as one address (docs/operations.md).
    let mut proxied = server.customer("en").await;
    assert_eq!(asks_for_a_person(&mut proxied).await["position"], 21);

    // A customer from another address still gets in, and is answered at once.
    let mut other = customer_from(&server, "127.0.0.2").await;
    let (_, reply) = other.say("m1", "where is my order").await;
    assert_eq!(reply["from"], "bot");
    assert_eq!(asks_for_a_person(&mut other).await["position"], 22);

    // The whole queue has a cap too.
    for n in 0..8 {
        let mut customer = customer_from(&server, &format!("127.0.1.{n}")).await;
        asks_for_a_person(&mut customer).await;
    }
    let mut last = customer_from(&server, "127.0.2.1").await;
    last.send(json!({"type": "message", "id": "q", "text": "talk to a human"}))
        .await;
    last.expect("ack").await;
    let full = next_system_message(&mut last).await;
    assert!(
        full["text"].as_str().is_some_and(|t| t.contains("full")),
        "{full}"
    );
}

/// An English customer connected from the loopback address `source`, greeted.
async fn customer_from(server: &TestServer, source: &str) -> Customer {
    let mut customer = Customer::connect_from(server, source).await;
    customer
        .send(json!({"type": "hello", "locale": "en"}))
        .await;
    customer.expect("welcome").await;
    customer.expect("message").await;
    customer
}

/// Asks for a person and returns the `handoff` frame, which says `queued`.
async fn asks_for_a_person(customer: &mut Customer) -> Value {
    customer
        .send(json!({"type": "message", "id": "q", "text": "talk to a human"}))
        .await;
    customer.expect("ack").await;
    let handoff = customer.wait_for("handoff").await;
    assert_eq!(handoff["status"], "queued", "{handoff}");
    handoff
}

/// Skips the bot's acknowledgement to the next system message.
async fn next_system_message(customer: &mut Customer) -> Value {
    loop {
        let frame = customer.recv().await;
        assert_ne!(frame["type"], "handoff", "not queued: {frame}");
        if frame["type"] == "message" && frame["from"] == "system" {
            return frame;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_away_too_long_leaves_the_queue_and_reads_why_on_return() {
    let config = format!("[handoff]\nabandon_after_s = 1\n{}", agents());
    let server = TestServer::start_with_config(&config);
    let customer = queued_customer(&server).await;
    let session = customer.session();
    let stays = queued_customer(&server).await;
    drop(customer);
    let mut john = Agent::connect(&server, JOHN).await;
    if john.ready["queue"].as_array().map_or(0, Vec::len) != 1 {
        john.queue_until(|items| items.len() == 1).await;
    }
    let (mut back, welcome) = Customer::resume(&server, &session, 0).await;
    let last = welcome["last_seq"].as_u64().expect("last_seq");
    let mut returned = false;
    for _ in 0..last {
        let entry = back.recv().await;
        if entry["type"] == "handoff" && entry["status"] == "returned_to_bot" {
            returned = true;
        }
    }
    assert!(returned, "the transcript says the customer left the queue");
    let (_, reply) = back.say("again", "where is my order").await;
    assert_eq!(reply["from"], "bot", "the bot answers again");
    drop(stays);
}

/// At size, as phones type: 180 customers in nine languages at once (32 in
/// flight), each a four-turn chat of keyboard noise, their own phone number,
/// an order question typed their way (Greeklish, translit, code-mixed Malay,
/// no diacritics, Turkish in an English chat) and then the bare order
/// number. Noise is not understood, the number is thanked and offered to a
/// person, the question is answered in the language it was typed in, and the
/// order's status arrives for every one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_and_eighty_phone_typed_chats_in_nine_languages_at_once() {
    use switchboard::l10n::{Localizer, Msg};
    let l10n = Localizer::load(&switchboard::config::bundled_content_dir().join("locales"))
        .expect("locales");
    let text_in =
        |locale: &str, msg: &Msg<'_>| l10n.text(&l10n.locale(locale).expect("locale"), msg);
    // (conversation's locale, own number, order question, language answered in)
    let chats = [
        ("en", "my mobile is 07700 900123", "kargom nerde", "tr"),
        (
            "tr",
            "numaram 0532 123 45 67 beni arayin",
            "kargom nerde",
            "tr",
        ),
        (
            "el",
            "το κινητό μου είναι 691 234 5678",
            "pou einai h paraggelia mou",
            "el",
        ),
        (
            "ms",
            "no tel sy 012-345 6789",
            "parcel sy dah shipped ke belum?",
            "ms",
        ),
        (
            "lv",
            "mans telefons ir 2612 3456",
            "kad piegadas manu paku",
            "lv",
        ),
        (
            "de",
            "meine Handynummer ist 0151 23456789",
            "wann wird mein paket geliefert",
            "de",
        ),
        (
            "fr",
            "mon numéro c'est le 06 12 34 56 78",
            "quand est-ce que ma commande sera livree",
            "fr",
        ),
        (
            "es",
            "mi móvil es el 612 34 56 78",
            "cuando me entregan el pedido",
            "es",
        ),
        ("ru", "мой телефон 8 (912) 345-67-89", "gde moj zakaz", "ru"),
    ];
    let config = format!("{FAST}conversations_per_minute_per_address = 100000\n");
    let server = TestServer::start_with_config(&config);
    let finished: Vec<usize> = stream::iter(0..180)
        .map(|n| {
            let (locale, number, question, answered_in) = chats[n % chats.len()];
            let server = &server;
            let text_in = &text_in;
            async move {
                let mut customer = server.customer(locale).await;
                let (_, reply) = customer.say("m1", "RFSSSw").await;
                assert_eq!(reply["text"], text_in(locale, &Msg::NotUnderstood), "{n}");
                let (_, reply) = customer.say("m2", number).await;
                assert_eq!(
                    reply["text"],
                    text_in(locale, &Msg::ContactDetailsGiven),
                    "{n}: {number}"
                );
                let (_, reply) = customer.say("m3", question).await;
                assert_eq!(reply["intent"], "order_status", "{n}: {question}: {reply}");
                assert_eq!(reply["locale"], answered_in, "{n}: {question}");
                let (_, reply) = customer.say("m4", "1004527").await;
                assert!(
                    reply["text"]
                        .as_str()
                        .is_some_and(|t| t.contains("JD014600003828")),
                    "{n}: {reply}"
                );
                n
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert_eq!(finished.len(), 180);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300_turn_chat_that_changes_language_every_turn_replays_exactly_as_it_was_sent() {
    let server = TestServer::start_with_config(FAST);
    let mut customer = server.customer("en").await;
    // Phone-typed, no diacritics, a new language each turn: the bot follows
    // every switch, and the record written each turn stays small.
    let texts = [
        ("tr", "kargo ucreti ne kadar"),
        ("fr", "combien coute la livraison"),
        ("es", "como devuelvo un producto"),
        ("el", "pos kano epistrofi"),
        ("en", "how do i return an item"),
        ("ms", "mana boleh pulang barang"),
    ];
    let mut live = Vec::new();
    for turn in 0..300 {
        let (language, text) = texts[turn % texts.len()];
        customer
            .send(json!({"type": "message", "id": format!("t{turn}"), "text": text}))
            .await;
        customer.expect("ack").await;
        let reply = customer.expect("message").await;
        assert_eq!(reply["from"], "bot", "{reply}");
        assert_eq!(reply["locale"], language, "turn {turn}, {text}: {reply}");
        live.push(reply);
    }
    // A reload replays each bot answer exactly as it was sent live,
    // confidences to the last digit.
    let session = customer.session();
    drop(customer);
    let (mut again, welcome) = Customer::resume(&server, &session, 0).await;
    let newest = welcome["last_seq"].as_u64().expect("last_seq");
    let mut replayed = Vec::new();
    for seq in 1..=newest {
        let entry = again.recv().await;
        assert_eq!(entry["seq"], seq, "{entry}");
        if entry["from"] == "bot" {
            replayed.push(entry);
        }
    }
    // The first is the greeting, sent before the chat.
    replayed.remove(0);
    assert_eq!(replayed.len(), live.len());
    for (sent, again) in live.iter().zip(&replayed) {
        assert_eq!(sent, again);
    }
}

/// 300 customers wait, in nine languages, and a complaint goes in ahead of
/// them all: those near the front are told at once, each in their own
/// language, that their place got later (not thanked as if they had moved
/// up); those further back are left in peace until the next notice round.
/// Requests for a person in the nine languages, typed as on phones.
const PERSON_ASKS: [(&str, &str); 9] = [
    ("en", "talk to a human"),
    ("tr", "musteri temsilcisiyle gorusmek istiyorum"),
    ("el", "thelo na milisw me ekprosopo"),
    ("ms", "nak cakap dengan orang"),
    ("lv", "gribu runat ar cilveku"),
    ("de", "mit einem menschen sprechen bitte"),
    ("fr", "je veux parler a un conseiller"),
    ("es", "quiero hablar con una persona"),
    ("ru", "soedinite s operatorom"),
];

/// `n` customers, the nine languages in turn, each queued and told its
/// place: (locale, place, customer), front of the queue first.
async fn waiting_in_nine_languages(
    server: &TestServer,
    n: usize,
) -> Vec<(&'static str, u64, Customer)> {
    let mut waiting: Vec<(&str, u64, Customer)> = stream::iter(0..n)
        .map(|i| {
            let (locale, text) = PERSON_ASKS[i % PERSON_ASKS.len()];
            async move {
                let mut customer = server.customer(locale).await;
                customer
                    .send(json!({"type": "message", "id": "q", "text": text}))
                    .await;
                customer.expect("ack").await;
                let handoff = customer.wait_for("handoff").await;
                assert_eq!(handoff["status"], "queued", "{locale} {text}: {handoff}");
                let told = customer.expect("message").await;
                assert_eq!(told["from"], "system", "{told}");
                let position = handoff["position"].as_u64().expect("a place");
                (locale, position, customer)
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    waiting.sort_by_key(|(_, position, _)| *position);
    waiting
}

/// 300 waiting customers in nine languages all write at once, typed as on
/// phones: each is answered once, in its language, with its own place; the
/// next message of each gets its ack and nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_waiting_customers_who_write_are_each_told_their_place_once() {
    use crate::common::text_in;
    use switchboard::l10n::Msg;
    let server = TestServer::start_with_config(&format!(
        "{FAST}[handoff]\nmax_waiting_per_address = 100000\n"
    ));
    let waiting = waiting_in_nine_languages(&server, 300).await;
    let places: Vec<u64> = waiting.iter().map(|(_, p, _)| *p).collect();
    assert_eq!(places, (1..=300).collect::<Vec<u64>>(), "one place each");
    let texts = [
        "helo?? any1 there",
        "siparisim 1004527 nerde",
        "wo bleibt ihr??",
    ];
    let answered: Vec<u64> = stream::iter(waiting.into_iter().enumerate())
        .map(|(i, (locale, position, mut customer))| async move {
            customer
                .send(json!({"type": "message", "id": "w1", "text": texts[i % texts.len()]}))
                .await;
            customer.expect("ack").await;
            let noted = customer.expect("message").await;
            assert_eq!(noted["from"], "system", "{noted}");
            let place = u32::try_from(position).expect("a small place");
            assert_eq!(
                noted["text"],
                text_in(locale, &Msg::HandoffMessageNoted { position: place }),
                "{locale} {position}"
            );
            customer
                .send(json!({"type": "message", "id": "w2", "text": "???"}))
                .await;
            customer.expect("ack").await;
            customer.send(json!({"type": "ping"})).await;
            assert_eq!(
                customer.recv().await["type"],
                "pong",
                "{locale} {position}: said once"
            );
            position
        })
        .buffer_unordered(64)
        .collect()
        .await;
    assert_eq!(answered.len(), 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_ahead_of_300_waiting_tells_the_front_in_their_language_that_they_moved_back() {
    use crate::common::text_in;
    use switchboard::l10n::Msg;
    const NEAR: u64 = 10;
    let server = TestServer::start_with_config("[handoff]\nmax_waiting_per_address = 100000\n");
    let mut waiting = waiting_in_nine_languages(&server, 300).await;
    let places: Vec<u64> = waiting.iter().map(|(_, p, _)| *p).collect();
    assert_eq!(places, (1..=300).collect::<Vec<u64>>(), "one place each");

    let mut angry = server.customer("en").await;
    angry
        .send(json!({"type": "message", "id": "m1", "text": "i want to make a complaint"}))
        .await;
    angry.expect("ack").await;
    assert_eq!(angry.wait_for("handoff").await["position"], 1);

    // Nobody is online to take them, so no wait is promised.
    for (locale, old, customer) in waiting.iter_mut().take(NEAR as usize - 1) {
        let update = customer.wait_for("handoff").await;
        assert_eq!(update["position"].as_u64(), Some(*old + 1), "{update}");
        let told = customer.expect("message").await;
        assert_eq!(told["from"], "system", "{told}");
        assert_eq!(
            told["text"],
            text_in(
                locale,
                &Msg::HandoffMovedBackNoEstimate {
                    position: (*old + 1) as u32
                }
            ),
            "{locale}"
        );
    }
}
