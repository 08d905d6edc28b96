//! Human handoff and the agent channel, with real WebSocket clients against
//! the real server (PROTOCOL.md "Agent channel", DESIGN.md §6).

use crate::common::{agent_entry, claim_outcome, text_in, Agent, Customer, TestServer};
use serde_json::{json, Value};
use switchboard::l10n::Msg;

const AYSE: &str = "ayse-token";
const MEHMET: &str = "mehmet-token";
const JOHN: &str = "john-token";

fn agents() -> String {
    [
        agent_entry("Ayşe", &["tr", "en"], AYSE),
        agent_entry("Mehmet", &["tr"], MEHMET),
        agent_entry("John", &["en"], JOHN),
    ]
    .join("\n")
}

fn server_with(extra: &str) -> TestServer {
    TestServer::start_with_config(&format!("{extra}\n{}", agents()))
}

/// A Turkish customer who asked for a person; returns them with the
/// `handoff` frame they got.
async fn waiting_customer(server: &TestServer, locale: &str, text: &str) -> (Customer, Value) {
    let mut customer = server.customer(locale).await;
    customer
        .send(json!({"type": "message", "id": "m1", "text": text}))
        .await;
    customer.expect("ack").await;
    let handoff = customer.wait_for("handoff").await;
    let told = customer.expect("message").await;
    assert_eq!(told["from"], "system", "{told}");
    (customer, handoff)
}

#[tokio::test]
async fn a_wrong_or_missing_token_is_refused_with_1008() {
    let server = server_with("");
    let mut agent = Agent::connect_unauthenticated(&server).await;
    agent.send(json!({"type": "auth", "token": "nope"})).await;
    let error = agent.expect("error").await;
    assert_eq!(error["code"], "unauthorized");
    assert_eq!(agent.expect_close().await, 1008);

    let mut agent = Agent::connect_unauthenticated(&server).await;
    agent
        .send(json!({"type": "claim", "conversation": "x"}))
        .await;
    assert_eq!(agent.expect("error").await["code"], "unauthorized");

    // Signed in, a second auth is refused and the agent stays signed in.
    let mut john = Agent::connect(&server, JOHN).await;
    for token in [JOHN, "nope"] {
        john.send(json!({"type": "auth", "token": token})).await;
        assert_eq!(
            john.expect_skipping_queue("error").await["code"],
            "bad_request"
        );
    }
    john.send(json!({"type": "ping"})).await;
    john.expect_skipping_queue("pong").await;
    assert_eq!(agent.expect_close().await, 1008);
}

#[tokio::test]
async fn a_bearer_header_on_the_upgrade_authenticates_too() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let server = server_with("");
    let mut request = format!("ws://{}/v1/agent", server.addr)
        .into_client_request()
        .expect("request");
    // The scheme is case-insensitive (RFC 9110): some clients send `bearer`.
    request.headers_mut().insert(
        "Authorization",
        format!("bearer {JOHN}").parse().expect("header"),
    );
    let (ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let mut agent = Agent {
        ws,
        ready: Value::Null,
    };
    let ready = agent.expect("ready").await;
    assert_eq!(ready["agent"], json!({"name": "John", "languages": ["en"]}));
    // A client that also sends the `auth` PROTOCOL.md asks for first is
    // not refused: the same agent's token is taken quietly.
    agent.send(json!({"type": "auth", "token": JOHN})).await;
    agent.send(json!({"type": "ping"})).await;
    agent.expect_skipping_queue("pong").await;
}

/// An agent's message resent after its ack was lost gets the same ack even
/// when the agent has let the conversation go since, and the customer reads
/// it once; frames refused for a bad field still name their conversation.
#[tokio::test]
async fn an_agent_message_resent_after_release_gets_its_ack_again() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    let (mut customer, _) = waiting_customer(&server, "en", "talk to a human").await;
    let conversation = customer.conversation();
    john.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    john.expect_skipping_queue("conversation").await;
    let hello = json!({"type": "message", "conversation": conversation, "id": "m1", "text": "Hello, this is John."});
    john.send(hello.clone()).await;
    let ack = john.expect_skipping_queue("ack").await;
    john.send(json!({"type": "release", "conversation": conversation}))
        .await;
    john.queue_until(|items| {
        items
            .iter()
            .any(|i| i["conversation"] == conversation.as_str())
    })
    .await;
    john.send(hello).await;
    let again = john.expect_skipping_queue("ack").await;
    assert_eq!(again["seq"], ack["seq"], "{again}");
    assert_eq!(again["id"], "m1");
    // A new message to the released conversation is refused, saying why
    // (not "couldn't find that conversation": it exists).
    john.send(json!({"type": "message", "conversation": conversation, "id": "m2", "text": "Still there?"}))
        .await;
    let refused = john.expect_skipping_queue("error").await;
    assert_eq!(refused["code"], "not_found", "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("held by you")),
        "{refused}"
    );

    for frame in [
        json!({"type": "history", "conversation": conversation, "before": "abc"}),
        json!({"type": "message", "conversation": conversation, "text": "no id"}),
    ] {
        john.send(frame.clone()).await;
        let error = john.expect_skipping_queue("error").await;
        assert_eq!(error["code"], "bad_request", "{frame}: {error}");
        assert_eq!(
            error["conversation"],
            conversation.as_str(),
            "{frame}: {error}"
        );
    }

    let mut told = 0;
    customer.send(json!({"type": "ping"})).await;
    loop {
        let frame = customer.recv().await;
        if frame["type"] == "pong" {
            break;
        }
        if frame["type"] == "message" && frame["text"] == "Hello, this is John." {
            told += 1;
        }
    }
    assert_eq!(told, 1, "the customer read the message once");
}

#[tokio::test]
async fn a_turkish_customer_is_queued_claimed_served_closed_and_rated() {
    let server = server_with("");
    let mut ayse = Agent::connect(&server, AYSE).await;
    let mut mehmet = Agent::connect(&server, MEHMET).await;
    assert_eq!(ayse.ready["agent"]["name"], "Ayşe");
    assert_eq!(ayse.ready["queue"], json!([]));

    let (mut customer, handoff) = waiting_customer(&server, "tr", "müşteri temsilcisi").await;
    assert_eq!(handoff["status"], "queued");
    assert_eq!(handoff["position"], 1);
    let wait = handoff["estimated_wait_s"].as_u64().expect("estimate");
    assert!(wait > 0, "{handoff}");
    let conversation = customer.conversation();

    let items = ayse.queue_until(|items| !items.is_empty()).await;
    assert_eq!(items[0]["conversation"], conversation.as_str());
    assert_eq!(items[0]["locale"], "tr");
    assert_eq!(items[0]["reason"], "customer_request");
    assert_eq!(items[0]["priority"], "normal");
    assert_eq!(items[0]["position"], 1);
    assert!(
        items[0]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("müşteri temsilcisi")),
        "{items:?}"
    );
    assert!(items[0]["waiting_since"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));

    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let context = ayse.expect_skipping_queue("conversation").await;
    assert_eq!(context["conversation"], conversation.as_str());
    assert_eq!(context["locale"], "tr");
    assert_eq!(context["reason"], "customer_request");
    assert_eq!(context["intents"][0]["intent"], "human_agent");
    let transcript = context["transcript"].as_array().expect("transcript");
    assert!(
        transcript.iter().any(|e| e["text"] == "müşteri temsilcisi"),
        "{context}"
    );
    let claimed = mehmet.expect_skipping_queue("claimed").await;
    assert_eq!(claimed["conversation"], conversation.as_str());
    assert_eq!(claimed["agent"]["name"], "Ayşe");

    let assigned = customer.wait_for("handoff").await;
    assert_eq!(assigned["status"], "assigned");
    assert_eq!(assigned["agent"]["name"], "Ayşe");
    let joined = customer.expect("message").await;
    assert!(
        joined["text"].as_str().is_some_and(|t| t.contains("Ayşe")),
        "{joined}"
    );

    // Agent to customer, acked; typing both ways.
    ayse.send(json!({"type": "typing", "conversation": conversation, "on": true}))
        .await;
    assert_eq!(
        customer.expect("typing").await,
        json!({"type": "typing", "from": "agent", "on": true})
    );
    ayse.send(json!({"type": "message", "conversation": conversation, "id": "a1", "text": "Merhaba, size nasıl yardımcı olabilirim?"})).await;
    let ack = ayse.expect_skipping_queue("ack").await;
    assert_eq!(
        (ack["id"].as_str(), ack["conversation"].as_str()),
        (Some("a1"), Some(conversation.as_str()))
    );
    let relayed = customer.expect("message").await;
    assert_eq!(relayed["from"], "agent");
    assert_eq!(relayed["agent"]["name"], "Ayşe");
    assert_eq!(relayed["seq"], ack["seq"]);
    assert_eq!(relayed["locale"], "tr");
    // `locale` is the language the text is written in (PROTOCOL.md): an
    // agent's English reply in a Turkish conversation is `en`.
    ayse.send(json!({"type": "message", "conversation": conversation, "id": "a-en", "text": "Sorry, may I continue in English? I can check your order for you."})).await;
    ayse.expect_skipping_queue("ack").await;
    let english = customer.expect("message").await;
    assert_eq!(english["locale"], "en", "{english}");
    // Text of nothing visible (zero-width space, word joiner) is empty for
    // agents as for customers: refused, nothing relayed.
    ayse.send(json!({"type": "message", "conversation": conversation, "id": "a-blank", "text": "\u{200B}\u{2060}"})).await;
    let error = ayse.expect_skipping_queue("error").await;
    assert_eq!(
        (error["code"].as_str(), error["id"].as_str()),
        (Some("bad_request"), Some("a-blank")),
        "{error}"
    );

    // Customer to agent; the bot stays silent.
    customer.send(json!({"type": "typing", "on": true})).await;
    let typing = ayse.expect_skipping_queue("typing").await;
    assert_eq!(
        typing,
        json!({"type": "typing", "conversation": conversation, "on": true})
    );
    customer
        .send(json!({"type": "message", "id": "m2", "text": "siparişim nerede"}))
        .await;
    let ack = customer.expect("ack").await;
    let message = ayse.expect_skipping_queue("message").await;
    assert_eq!(message["text"], "siparişim nerede");
    assert_eq!(message["from"], "customer");
    assert_eq!(message["seq"], ack["seq"]);
    customer.send(json!({"type": "ping"})).await;
    assert_eq!(
        customer.recv().await["type"],
        "pong",
        "no bot answer while an agent holds it"
    );

    // Close, survey, rating relayed to the agent.
    ayse.send(json!({"type": "close", "conversation": conversation}))
        .await;
    let closed = ayse.expect_skipping_queue("closed").await;
    assert_eq!(closed["by"], "agent");
    customer.expect("message").await;
    let closed = customer.expect("closed").await;
    assert_eq!(
        (closed["by"].as_str(), closed["survey"].as_bool()),
        (Some("agent"), Some(true))
    );
    customer
        .send(json!({"type": "rating", "score": 5, "comment": "Çok hızlıydı"}))
        .await;
    let rating = ayse.expect_skipping_queue("rating").await;
    assert_eq!(
        rating,
        json!({"type": "rating", "conversation": conversation, "score": 5, "comment": "Çok hızlıydı"})
    );

    // The whole conversation is still there after a restart.
    let session = customer.session();
    drop(customer);
    let mut server = server;
    server.restart();
    let (mut again, welcome) = Customer::resume(&server, &session, 0).await;
    let last = welcome["last_seq"].as_u64().expect("last_seq");
    let mut kinds = Vec::new();
    for seq in 1..=last {
        let entry = again.recv().await;
        assert_eq!(entry["seq"], seq);
        kinds.push(entry["type"].as_str().unwrap_or("").to_owned());
    }
    assert!(
        kinds.contains(&"handoff".to_owned())
            && kinds.last().map(String::as_str) == Some("message")
    );
}

#[tokio::test]
async fn two_agents_claiming_at_once_exactly_one_wins_fifty_times() {
    // 50 rounds in a few seconds: above a person's rate budget.
    let server = server_with("[limits]\nframes_per_second = 1000\nframes_burst = 1000\n");
    let mut ayse = Agent::connect(&server, AYSE).await;
    let mut mehmet = Agent::connect(&server, MEHMET).await;
    for round in 0..50 {
        let (_customer, _) =
            waiting_customer(&server, "tr", "temsilciyle görüşmek istiyorum").await;
        let conversation = _customer.conversation();
        let claim = json!({"type": "claim", "conversation": conversation});
        // Both claims go out before either answer is read.
        ayse.send(claim.clone()).await;
        mehmet.send(claim).await;
        let mut outcomes = vec![
            claim_outcome(&mut ayse, &conversation).await,
            claim_outcome(&mut mehmet, &conversation).await,
        ];
        outcomes.sort();
        assert_eq!(outcomes, ["lost", "won"], "round {round}");
    }
}

#[tokio::test]
async fn complaints_go_first_with_empathy_and_policy_intents_go_to_a_person() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    let (mut first, _) = waiting_customer(&server, "en", "talk to a human").await;

    let mut angry = server.customer("en").await;
    angry
        .send(json!({"type": "message", "id": "m1", "text": "i want to make a complaint"}))
        .await;
    angry.expect("ack").await;
    let empathy = angry.expect("message").await;
    assert_eq!(empathy["intent"], "complaint");
    assert_eq!(empathy["from"], "bot");
    let handoff = angry.expect("handoff").await;
    assert_eq!(
        handoff["position"], 1,
        "a complaint goes ahead of a normal request"
    );
    // The customer it went ahead of is told their place got later, not
    // thanked as if they had moved up.
    let (update, told) = next_notice(&mut first).await;
    assert_eq!(update["position"], 2, "{update}");
    let minutes = update["estimated_wait_s"]
        .as_u64()
        .map(|wait| wait.div_ceil(60).max(1))
        .expect("an agent is available: an estimate");
    assert_eq!(
        told["text"],
        text_in(
            "en",
            &Msg::HandoffMovedBack {
                position: 2,
                minutes
            }
        )
    );

    let (deleting, handoff) = waiting_customer(&server, "en", "delete my account").await;
    assert_eq!(handoff["position"], 3);
    let items = john.queue_until(|items| items.len() == 3).await;
    assert_eq!(items[0]["reason"], "complaint");
    assert_eq!(items[0]["priority"], "high");
    assert_eq!(items[1]["reason"], "customer_request");
    assert_eq!(items[2]["reason"], "policy");
    assert_eq!(items[2]["conversation"], deleting.conversation().as_str());
}

#[tokio::test]
async fn two_misses_in_a_row_hand_off_with_reason_no_match() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    for locale in ["en", "tr", "ru"] {
        let mut customer = server.customer(locale).await;
        customer.say("m1", "zzzz qqqq xxxx").await;
        customer
            .send(json!({"type": "message", "id": "m2", "text": "vvvv wwww yyyy"}))
            .await;
        customer.expect("ack").await;
        // The customer did not ask for a person: the bot says why one comes.
        let bridge = customer.expect("message").await;
        assert_eq!(bridge["from"], "bot", "{bridge}");
        assert_eq!(
            bridge["text"],
            text_in(locale, &switchboard::l10n::Msg::HandoffNoMatch).as_str()
        );
        assert_eq!(customer.expect("handoff").await["status"], "queued");
        assert_eq!(customer.expect("message").await["from"], "system");
        if locale == "en" {
            // John speaks English: he sees it queued, and why.
            let items = john.queue_until(|items| !items.is_empty()).await;
            assert_eq!(items[0]["reason"], "no_match");
        }
    }
}

#[tokio::test]
async fn wait_estimates_follow_agents_coming_and_going() {
    let server = server_with("[handoff]\ndefault_handling_s = 300\n");
    let mut ayse = Agent::connect(&server, AYSE).await;
    let (_first, handoff) = waiting_customer(&server, "tr", "müşteri temsilcisi").await;
    assert_eq!(handoff["estimated_wait_s"], 300);
    let (mut second, handoff) =
        waiting_customer(&server, "tr", "temsilciyle görüşmek istiyorum").await;
    assert_eq!(handoff["position"], 2);
    assert_eq!(
        handoff["estimated_wait_s"], 600,
        "one Turkish agent, one ahead"
    );

    // A second Turkish agent: the second customer is told the shorter wait.
    let mut mehmet = Agent::connect(&server, MEHMET).await;
    let update = second.wait_for("handoff").await;
    assert_eq!(
        (
            update["position"].as_u64(),
            update["estimated_wait_s"].as_u64()
        ),
        (Some(2), Some(300))
    );
    second.expect("message").await;

    // Ayşe steps away: the estimate goes back up, honestly.
    ayse.send(json!({"type": "status", "available": false}))
        .await;
    let update = second.wait_for("handoff").await;
    assert_eq!(update["estimated_wait_s"], 600);
    second.expect("message").await;

    // The first customer is claimed: the second moves up.
    let first_id = _first.conversation();
    mehmet
        .send(json!({"type": "claim", "conversation": first_id}))
        .await;
    mehmet.expect_skipping_queue("conversation").await;
    let update = second.wait_for("handoff").await;
    assert_eq!(
        (
            update["position"].as_u64(),
            update["estimated_wait_s"].as_u64()
        ),
        (Some(1), Some(300))
    );
}

#[tokio::test]
async fn released_conversations_return_to_their_place_and_return_to_bot_revives_the_bot() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    let (mut first, _) = waiting_customer(&server, "en", "talk to a human").await;
    let (_second, _) = waiting_customer(&server, "en", "human please").await;
    john.send(json!({"type": "claim", "conversation": first.conversation()}))
        .await;
    john.expect_skipping_queue("conversation").await;
    first.wait_for("handoff").await;
    first.expect("message").await;

    john.send(json!({"type": "release", "conversation": first.conversation()}))
        .await;
    let back = first.wait_for("handoff").await;
    assert_eq!(
        (back["status"].as_str(), back["position"].as_u64()),
        (Some("queued"), Some(1)),
        "its original place"
    );
    // Told why before where they stand.
    let msg = switchboard::l10n::Msg::HandoffAgentLeft { agent: "John" };
    assert_eq!(
        first.expect("message").await["text"],
        text_in("en", &msg).as_str()
    );
    // Then the place, as it stands, not as progress ("you're now number 1").
    let place = match back["estimated_wait_s"].as_u64() {
        Some(wait) => Msg::HandoffQueued {
            position: 1,
            minutes: wait.div_ceil(60).max(1),
        },
        None => Msg::HandoffQueuedNoEstimate { position: 1 },
    };
    assert_eq!(first.expect("message").await["text"], text_in("en", &place));
    let items = john.queue_until(|items| items.len() == 2).await;
    assert_eq!(items[0]["conversation"], first.conversation().as_str());

    john.send(json!({"type": "claim", "conversation": first.conversation()}))
        .await;
    john.expect_skipping_queue("conversation").await;
    first.wait_for("handoff").await;
    first.expect("message").await;
    john.send(json!({"type": "return_to_bot", "conversation": first.conversation()}))
        .await;
    let returned = first.wait_for("handoff").await;
    assert_eq!(returned["status"], "returned_to_bot");
    first.expect("message").await;
    let (_, reply) = first.say("m9", "thanks").await;
    assert_eq!(reply["intent"], "thanks", "the bot answers again");

    // Back with the bot, its context still says why it went to a person,
    // and its summary ends with the customer's latest words.
    let path = format!("/v1/conversations/{}", first.conversation());
    let auth = [("Authorization", "Bearer john-token")];
    let (status, body) = server.http("GET", &path, &auth, "").await;
    assert_eq!(status, 200, "{body}");
    let context: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(context["reason"], "customer_request", "{context}");
    let summary = context["summary"].as_str().unwrap_or_default();
    assert!(summary.starts_with("asked for a person"), "{context}");
    assert!(summary.ends_with("“thanks”"), "{context}");
}

#[tokio::test]
async fn an_agent_cannot_act_on_a_conversation_it_does_not_hold() {
    let server = server_with("");
    let mut ayse = Agent::connect(&server, AYSE).await;
    let mut mehmet = Agent::connect(&server, MEHMET).await;
    let (customer, _) = waiting_customer(&server, "tr", "müşteri temsilcisi").await;
    let conversation = customer.conversation();

    // Queued, held by nobody.
    ayse.send(
        json!({"type": "message", "conversation": conversation, "id": "x1", "text": "merhaba"}),
    )
    .await;
    let error = ayse.expect_skipping_queue("error").await;
    assert_eq!(
        (error["code"].as_str(), error["id"].as_str()),
        (Some("not_found"), Some("x1"))
    );

    mehmet
        .send(json!({"type": "claim", "conversation": conversation}))
        .await;
    mehmet.expect_skipping_queue("conversation").await;
    assert_eq!(
        ayse.expect_skipping_queue("claimed").await["agent"]["name"],
        "Mehmet"
    );
    for frame in [
        json!({"type": "message", "conversation": conversation, "id": "x2", "text": "merhaba"}),
        json!({"type": "close", "conversation": conversation}),
        json!({"type": "release", "conversation": conversation}),
        json!({"type": "return_to_bot", "conversation": conversation}),
        json!({"type": "typing", "conversation": conversation, "on": true}),
        json!({"type": "claim", "conversation": conversation}),
    ] {
        ayse.send(frame.clone()).await;
        let error = ayse.expect_skipping_queue("error").await;
        assert_eq!(error["code"], "already_claimed", "{frame}");
        // The error names the conversation of the frame it refuses.
        assert_eq!(error["conversation"], conversation.as_str(), "{error}");
    }
    ayse.send(json!({"type": "claim", "conversation": "00000000000000000000000000000000"}))
        .await;
    assert_eq!(
        ayse.expect_skipping_queue("error").await["code"],
        "not_found"
    );
    ayse.send(json!({"type": "dance"})).await;
    assert_eq!(
        ayse.expect_skipping_queue("error").await["code"],
        "unknown_type"
    );
}

fn closed_hours() -> String {
    // A window on another weekday than today (UTC), so support is closed now.
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .weekday();
    let day = if today == jiff::civil::Weekday::Sunday {
        "Mon"
    } else {
        "Sun"
    };
    format!("[handoff]\nhours = \"{day} 09:00-10:00\"\ntimezone = \"UTC\"\n")
}

#[tokio::test]
async fn outside_support_hours_the_customer_is_told_when_we_open_and_can_leave_an_email() {
    let server = server_with(&closed_hours());
    let (mut customer, handoff) = waiting_customer(&server, "en", "talk to a human").await;
    assert_eq!(handoff["status"], "offline");
    let opens_at: jiff::Timestamp = handoff["opens_at"]
        .as_str()
        .expect("opens_at")
        .parse()
        .expect("RFC 3339");
    assert!(opens_at > jiff::Timestamp::now());
    let (_, welcome) = Customer::resume(&server, &customer.session(), 3).await;
    assert!(welcome["last_seq"].as_u64().is_some());

    customer
        .send(json!({"type": "message", "id": "m2", "text": "sure, it's ayse.yilmaz@example.com"}))
        .await;
    customer.expect("ack").await;
    let saved = customer.expect("message").await;
    assert!(
        saved["text"]
            .as_str()
            .is_some_and(|t| t.contains("ayse.yilmaz@example.com")),
        "{saved}"
    );

    // It waits in the queue for the first agent of the day, email included.
    let mut john = Agent::connect(&server, JOHN).await;
    let items = john.ready["queue"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{}", john.ready);
    assert_eq!(items[0]["customer"]["email"], "ayse.yilmaz@example.com");
    john.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    let context = john.expect_skipping_queue("conversation").await;
    assert_eq!(context["customer"]["email"], "ayse.yilmaz@example.com");
}

#[tokio::test]
async fn outside_support_hours_the_customer_is_asked_for_their_email_once() {
    let server = server_with(&closed_hours());
    // The answer asks for the address: the notice only says when we are back.
    for (locale, text) in [
        ("en", "talk to a human"),
        ("de", "ich möchte mit einem mitarbeiter sprechen"),
        ("el", "θελω να μιλησω με ανθρωπο"),
    ] {
        let mut customer = server.customer(locale).await;
        customer
            .send(json!({"type": "message", "id": "m1", "text": text}))
            .await;
        customer.expect("ack").await;
        let answer = customer.expect("message").await;
        assert_eq!(answer["from"], "bot", "{answer}");
        let handoff = customer.expect("handoff").await;
        assert_eq!(handoff["status"], "offline");
        let notice = customer.expect("message").await;
        assert_eq!(notice["from"], "system");
        let reopens = text_in(
            locale,
            &switchboard::l10n::Msg::HandoffOfflineReopens { opens_at: "" },
        );
        let invite = text_in(
            locale,
            &switchboard::l10n::Msg::HandoffOffline { opens_at: "" },
        );
        let invitation = invite
            .strip_prefix(reopens.as_str())
            .expect("a longer text");
        let notice = notice["text"].as_str().unwrap_or_default();
        assert!(!notice.contains(invitation.trim()), "{locale}: {notice}");
    }
    // Two misses: nothing asked for the address yet, so the notice does.
    let mut customer = server.customer("en").await;
    customer.say("m1", "zzzz qqqq xxxx").await;
    customer
        .send(json!({"type": "message", "id": "m2", "text": "vvvv wwww yyyy"}))
        .await;
    customer.expect("ack").await;
    assert_eq!(customer.expect("message").await["from"], "bot");
    assert_eq!(customer.expect("handoff").await["status"], "offline");
    let notice = customer.expect("message").await;
    assert!(
        notice["text"]
            .as_str()
            .is_some_and(|t| t.contains("email address")),
        "{notice}"
    );
}

#[tokio::test]
async fn an_agent_who_drops_gets_their_conversations_back_within_the_grace_period() {
    let server = server_with("[handoff]\ngrace_s = 30\n");
    let mut john = Agent::connect(&server, JOHN).await;
    let (customer, _) = waiting_customer(&server, "en", "talk to a human").await;
    john.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    john.expect_skipping_queue("conversation").await;
    drop(john);
    let john = Agent::connect(&server, JOHN).await;
    assert_eq!(john.ready["assigned"], json!([customer.conversation()]));
}

#[tokio::test]
async fn after_the_grace_period_the_conversation_returns_to_the_queue_and_the_customer_is_told() {
    let server = server_with("[handoff]\ngrace_s = 1\n");
    let mut ayse = Agent::connect(&server, AYSE).await;
    let (mut customer, _) = waiting_customer(&server, "en", "talk to a human").await;
    let (_other, _) = waiting_customer(&server, "en", "human please").await;
    let mut john = Agent::connect(&server, JOHN).await;
    john.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    john.expect_skipping_queue("conversation").await;
    customer.wait_for("handoff").await;
    customer.expect("message").await;
    drop(john);
    // Waiting for the frames the grace period ends with, not for a time:
    // the handoff as everywhere, then why, then where they stand.
    let requeued = customer.wait_for("handoff").await;
    assert_eq!(
        (requeued["status"].as_str(), requeued["position"].as_u64()),
        (Some("queued"), Some(1))
    );
    let left = customer.expect("message").await;
    let msg = switchboard::l10n::Msg::HandoffAgentLeft { agent: "John" };
    assert_eq!(left["text"], text_in("en", &msg).as_str(), "{left}");
    assert_eq!(left["from"], "system");
    let items = ayse
        .queue_until(|items| {
            items
                .iter()
                .any(|i| i["conversation"] == customer.conversation().as_str())
        })
        .await;
    assert_eq!(
        items[0]["conversation"],
        customer.conversation().as_str(),
        "back at its original place"
    );
}

#[tokio::test]
async fn the_queue_and_assignments_survive_a_restart() {
    let mut server = server_with("[handoff]\ngrace_s = 60\n");
    let mut john = Agent::connect(&server, JOHN).await;
    let (assigned, _) = waiting_customer(&server, "en", "talk to a human").await;
    let (queued, _) = waiting_customer(&server, "en", "human please").await;
    john.send(json!({"type": "claim", "conversation": assigned.conversation()}))
        .await;
    john.expect_skipping_queue("conversation").await;
    drop(john);
    server.restart();

    let john = Agent::connect(&server, JOHN).await;
    assert_eq!(john.ready["assigned"], json!([assigned.conversation()]));
    let queue = john.ready["queue"].as_array().cloned().unwrap_or_default();
    assert_eq!(queue.len(), 1, "{}", john.ready);
    assert_eq!(queue[0]["conversation"], queued.conversation().as_str());
    assert_eq!(queue[0]["reason"], "customer_request");
}

#[tokio::test]
async fn a_score_typed_after_the_agent_closes_is_the_rating_and_the_next_message_reopens() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    let (mut customer, _) = waiting_customer(&server, "en", "talk to a human").await;
    let conversation = customer.conversation();
    john.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    john.expect_skipping_queue("conversation").await;
    customer.wait_for("handoff").await;
    customer.expect("message").await;
    john.send(json!({"type": "close", "conversation": conversation}))
        .await;
    john.expect_skipping_queue("closed").await;
    customer.expect("message").await;
    assert_eq!(customer.expect("closed").await["survey"], true);

    // Phone users answer "choose from 1 to 5" by typing the digit.
    customer
        .send(json!({"type": "message", "id": "r1", "text": "4"}))
        .await;
    let ack = customer.expect("ack").await;
    let thanks = customer.expect("message").await;
    assert_eq!(thanks["text"], text_in("en", &Msg::RatingThanks));
    assert_eq!(thanks["seq"].as_u64(), ack["seq"].as_u64().map(|s| s + 1));
    let rating = john.expect_skipping_queue("rating").await;
    assert_eq!(
        rating,
        json!({"type": "rating", "conversation": conversation, "score": 4, "comment": null})
    );
    // The same frame again changes nothing; the digit is in the transcript.
    customer
        .send(json!({"type": "message", "id": "r1", "text": "4"}))
        .await;
    assert_eq!(customer.expect("ack").await, ack);

    // Rated already: the next message is a message, and the bot answers it.
    customer.say("m3", "where is my order").await;
    let auth = [("Authorization", "Bearer john-token")];
    let path = format!("/v1/conversations/{conversation}");
    let (_, body) = server.http("GET", &path, &auth, "").await;
    let context: Value = serde_json::from_str(&body).expect("json");
    let texts: Vec<&str> = context["transcript"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["from"] == "customer")
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(texts.contains(&"4"), "{context}");
}

#[tokio::test]
async fn a_waiting_customer_who_writes_is_told_once_that_the_person_will_read_it() {
    let server = server_with("");
    let _john = Agent::connect(&server, JOHN).await;
    let (mut first, _) = waiting_customer(&server, "en", "talk to a human").await;
    let (mut customer, handoff) =
        waiting_customer(&server, "de", "ich möchte mit einem Menschen sprechen").await;
    assert_eq!(handoff["position"], 2, "{handoff}");
    customer
        .send(json!({"type": "message", "id": "m2", "text": "hallo? ist da jemand"}))
        .await;
    customer.expect("ack").await;
    let noted = customer.expect("message").await;
    assert_eq!(noted["from"], "system", "{noted}");
    assert_eq!(
        noted["text"],
        text_in("de", &Msg::HandoffMessageNoted { position: 2 })
    );
    // Said once per notice: the next message gets its ack and nothing more.
    customer
        .send(json!({"type": "message", "id": "m3", "text": "wo ist meine bestellung 1004527"}))
        .await;
    customer.expect("ack").await;
    customer.send(json!({"type": "ping"})).await;
    assert_eq!(customer.recv().await["type"], "pong");
    // A new notice (the first customer leaves: number 1 now), then a message
    // is answered again with the new place.
    first.send(json!({"type": "end"})).await;
    let (moved, _) = next_notice(&mut customer).await;
    assert_eq!(moved["position"], 1, "{moved}");
    customer
        .send(json!({"type": "message", "id": "m4", "text": "danke"}))
        .await;
    customer.expect("ack").await;
    let noted = customer.expect("message").await;
    assert_eq!(
        noted["text"],
        text_in("de", &Msg::HandoffMessageNoted { position: 1 })
    );
}

#[tokio::test]
async fn the_conversation_endpoint_needs_an_agent_token() {
    let server = server_with("");
    let (customer, _) = waiting_customer(&server, "en", "talk to a human").await;
    let path = format!("/v1/conversations/{}", customer.conversation());
    assert_eq!(server.http_get(&path).await.0, 401);
    let auth = [("Authorization", "Bearer john-token")];
    let (status, body) = server.http("GET", &path, &auth, "").await;
    assert_eq!(status, 200, "{body}");
    let context: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(context["reason"], "customer_request");
    assert!(context["transcript"]
        .as_array()
        .is_some_and(|t| t.len() >= 4));
    // A `before` that is not a seq is refused as every error is: JSON.
    for query in ["?before=abc", "?before=-1", "?before=1&before=2"] {
        let (status, body) = server
            .http("GET", &format!("{path}{query}"), &auth, "")
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        let refused: Value = serde_json::from_str(&body).expect("a JSON error");
        assert_eq!(refused["error"]["code"], "bad_request", "{body}");
    }
    let (status, _) = server
        .http(
            "GET",
            "/v1/conversations/00000000000000000000000000000000",
            &auth,
            "",
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_item_is_offered_to_agents_of_other_languages_after_the_configured_wait() {
    let server = server_with("[handoff]\noffer_all_after_s = 1\n");
    let mut john = Agent::connect(&server, JOHN).await;
    let (customer, _) = waiting_customer(&server, "tr", "müşteri temsilcisi").await;
    // John speaks only English: the Turkish item is not his at first...
    assert_eq!(john.ready["queue"], json!([]));
    // ...but once it has waited, it is offered to him too (the queue is
    // re-checked every few seconds; this waits for that frame).
    let items = john.queue_until(|items| !items.is_empty()).await;
    assert_eq!(items[0]["conversation"], customer.conversation().as_str());
    assert_eq!(items[0]["locale"], "tr");
}

#[tokio::test]
async fn what_the_bot_extracted_reaches_the_agent_in_the_summary() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is order #1004527").await;
    customer
        .send(json!({"type": "message", "id": "m2", "text": "talk to a human"}))
        .await;
    customer.expect("ack").await;
    customer.wait_for("handoff").await;
    let items = john.queue_until(|items| !items.is_empty()).await;
    let summary = items[0]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("order status") && summary.contains("1004527"),
        "{summary}"
    );
}

/// The next `handoff` frame of `customer`, with the system message after it.
async fn next_notice(customer: &mut Customer) -> (Value, Value) {
    let handoff = customer.wait_for("handoff").await;
    let told = customer.expect("message").await;
    assert_eq!(told["from"], "system", "{told}");
    (handoff, told)
}

#[tokio::test]
async fn with_nobody_available_no_wait_is_made_up_and_it_comes_and_goes_with_agents() {
    let server = server_with("[handoff]\ndefault_handling_s = 300\n");
    // Nobody connected: a place, no estimate.
    let (mut first, handoff) = waiting_customer(&server, "en", "talk to a human").await;
    assert_eq!(handoff["status"], "queued");
    assert_eq!(handoff["position"], 1);
    assert!(
        handoff.get("estimated_wait_s").is_none(),
        "nobody to take it, no estimate: {handoff}"
    );
    let (mut second, handoff) = waiting_customer(&server, "en", "human please").await;
    assert_eq!(handoff["position"], 2);
    assert!(handoff.get("estimated_wait_s").is_none(), "{handoff}");

    // An English agent arrives: both are told an estimate now, and that
    // their place is the same ("still number 1", not "now number 1").
    let mut john = Agent::connect(&server, JOHN).await;
    let (update, told) = next_notice(&mut first).await;
    assert_eq!(
        (
            update["position"].as_u64(),
            update["estimated_wait_s"].as_u64()
        ),
        (Some(1), Some(300))
    );
    assert_eq!(
        told["text"],
        text_in(
            "en",
            &Msg::HandoffWaitUpdate {
                position: 1,
                minutes: 5
            }
        )
    );
    let (update, _) = next_notice(&mut second).await;
    assert_eq!(
        (
            update["position"].as_u64(),
            update["estimated_wait_s"].as_u64()
        ),
        (Some(2), Some(600))
    );

    // The only agent steps away: the estimate goes, honestly.
    john.send(json!({"type": "status", "available": false}))
        .await;
    let (update, _) = next_notice(&mut second).await;
    assert_eq!(update["position"], 2);
    assert!(
        update.get("estimated_wait_s").is_none(),
        "the only agent is away: {update}"
    );
    let (update, told) = next_notice(&mut first).await;
    assert!(update.get("estimated_wait_s").is_none(), "{update}");
    assert_eq!(
        told["text"],
        text_in("en", &Msg::HandoffWaitUnknown { position: 1 })
    );

    // A Turkish-only agent cannot take an English conversation (not yet
    // offered to everyone): still no estimate for a newcomer.
    let _mehmet = Agent::connect(&server, MEHMET).await;
    let (_third, handoff) = waiting_customer(&server, "en", "a person please").await;
    assert_eq!(handoff["position"], 3);
    assert!(handoff.get("estimated_wait_s").is_none(), "{handoff}");
}

#[tokio::test]
async fn a_claim_let_go_at_once_is_not_measured_as_a_handling_time() {
    let server = server_with("[handoff]\ndefault_handling_s = 300\n");
    let mut john = Agent::connect(&server, JOHN).await;
    let (first, _) = waiting_customer(&server, "en", "talk to a human").await;
    for action in ["release", "close"] {
        john.send(json!({"type": "claim", "conversation": first.conversation()}))
            .await;
        john.expect_skipping_notices("conversation").await;
        john.send(json!({"type": action, "conversation": first.conversation()}))
            .await;
    }
    john.expect_skipping_notices("closed").await;
    let (_next, handoff) = waiting_customer(&server, "en", "human please").await;
    assert_eq!(
        (
            handoff["position"].as_u64(),
            handoff["estimated_wait_s"].as_u64()
        ),
        (Some(1), Some(300)),
        "claims of a second are not handling times (min_handling_s, default 30)"
    );
}

#[tokio::test]
async fn measured_handling_times_survive_a_restart() {
    // Every claim counts here, so that a second's claim is a measurement.
    let mut server = server_with("[handoff]\ndefault_handling_s = 300\nmin_handling_s = 0\n");
    let mut john = Agent::connect(&server, JOHN).await;
    let (first, _) = waiting_customer(&server, "en", "talk to a human").await;
    john.send(json!({"type": "claim", "conversation": first.conversation()}))
        .await;
    john.expect_skipping_notices("conversation").await;
    john.send(json!({"type": "close", "conversation": first.conversation()}))
        .await;
    john.expect_skipping_notices("closed").await;
    let (_second, handoff) = waiting_customer(&server, "en", "human please").await;
    let measured = handoff["estimated_wait_s"].as_u64().expect("an estimate");
    assert!(
        measured < 300,
        "a measured time, not the default: {handoff}"
    );
    drop(john);

    server.restart();
    let _john = Agent::connect(&server, JOHN).await;
    let (_third, handoff) = waiting_customer(&server, "en", "a person please").await;
    assert_eq!(
        handoff["position"], 2,
        "the second customer still waits: {handoff}"
    );
    assert_eq!(
        handoff["estimated_wait_s"].as_u64(),
        Some(2 * measured),
        "planned from the measurement made before the restart"
    );
}

#[tokio::test]
async fn an_agent_who_is_away_is_offered_nothing_until_available_again() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    let (first, _) = waiting_customer(&server, "en", "talk to a human").await;
    john.queue_until(|items| items.len() == 1).await;

    john.send(json!({"type": "status", "available": false}))
        .await;
    let cleared = john.expect_skipping_notices("queue").await;
    assert_eq!(cleared["items"], json!([]), "{cleared}");
    assert_eq!(cleared["total"], 0, "{cleared}");

    // A newcomer is not offered to him while he is away.
    let (second, _) = waiting_customer(&server, "en", "human please").await;
    john.send(json!({"type": "ping"})).await;
    loop {
        let frame = john.recv().await;
        if frame["type"] == "pong" {
            break;
        }
        assert!(
            frame["type"] != "queue" || frame["items"] == json!([]),
            "offered while away: {frame}"
        );
    }

    // He may still claim what he knows of (docs/protocol.md).
    john.send(json!({"type": "claim", "conversation": first.conversation()}))
        .await;
    john.expect_skipping_notices("conversation").await;

    john.send(json!({"type": "status", "available": true}))
        .await;
    let items = john.queue_until(|items| !items.is_empty()).await;
    assert_eq!(items[0]["conversation"], second.conversation().as_str());
}

/// A customer who is with John, and John typing to them.
async fn john_typing_to_a_customer(server: &TestServer) -> (Agent, Customer) {
    let mut john = Agent::connect(server, JOHN).await;
    let (mut customer, _) = waiting_customer(server, "en", "talk to a human").await;
    john.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    john.expect_skipping_notices("conversation").await;
    customer.wait_for_status("assigned").await;
    john.send(json!({"type": "typing", "conversation": customer.conversation(), "on": true}))
        .await;
    assert_eq!(customer.wait_for("typing").await["on"], true);
    (john, customer)
}

#[tokio::test]
async fn the_agent_typing_indicator_goes_off_when_the_agent_lets_go_or_its_socket_goes() {
    let server = server_with("[handoff]\ngrace_s = 30\n");
    for action in ["release", "return_to_bot", "close"] {
        let (mut john, mut customer) = john_typing_to_a_customer(&server).await;
        john.send(json!({"type": action, "conversation": customer.conversation()}))
            .await;
        let typing = customer.wait_for("typing").await;
        assert_eq!(
            typing,
            json!({"type": "typing", "from": "agent", "on": false}),
            "{action}"
        );
        if action == "release" {
            john.send(json!({"type": "claim", "conversation": customer.conversation()}))
                .await;
            john.expect_skipping_notices("conversation").await;
            john.send(json!({"type": "close", "conversation": customer.conversation()}))
                .await;
        }
    }

    // The socket goes away.
    let (john, mut customer) = john_typing_to_a_customer(&server).await;
    drop(john);
    let typing = customer.wait_for("typing").await;
    assert_eq!(typing["on"], false, "socket gone");
}

#[tokio::test]
async fn the_agent_typing_indicator_goes_off_when_a_newer_console_replaces_the_typing_one() {
    let server = server_with("");
    let (_john, mut customer) = john_typing_to_a_customer(&server).await;
    let _newer = Agent::connect(&server, JOHN).await;
    let typing = customer.wait_for("typing").await;
    assert_eq!(typing["on"], false, "replaced by a newer connection");
}

#[tokio::test]
async fn an_email_given_while_queued_reaches_the_queue_item_and_the_agent() {
    let server = server_with("");
    let mut john = Agent::connect(&server, JOHN).await;
    let (mut customer, _) = waiting_customer(&server, "en", "talk to a human").await;
    john.queue_until(|items| items.len() == 1).await;
    customer
        .send(json!({"type": "message", "id": "m2", "text": "you can write to ayse.yilmaz@example.com"}))
        .await;
    customer.expect("ack").await;
    // Confirmed even though this notice gave a wait and invited none.
    let saved = customer.expect("message").await;
    let msg = switchboard::l10n::Msg::EmailSavedQueued {
        email: "ayse.yilmaz@example.com",
    };
    assert_eq!(saved["text"], text_in("en", &msg).as_str());

    let items = john
        .queue_until(|items| items.first().is_some_and(|i| !i["customer"].is_null()))
        .await;
    assert_eq!(items[0]["customer"]["email"], "ayse.yilmaz@example.com");
    john.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    let context = john.expect_skipping_notices("conversation").await;
    assert_eq!(context["customer"]["email"], "ayse.yilmaz@example.com");
}

/// Waits until the server counts no open customer connection (each one's
/// presence in the queue is let go before it is uncounted).
async fn no_customer_connected(server: &TestServer) {
    let none = async {
        loop {
            let (_, page) = server.http_get("/metrics").await;
            let open =
                crate::insights::metric(&page, "switchboard_connections", &[("kind", "chat")]);
            if open == Some(0.0) {
                return;
            }
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), none)
        .await
        .expect("the customer's connection closed on the server");
}

#[tokio::test]
async fn a_waiting_customer_reconnecting_adds_nothing_until_their_place_changes() {
    let server = server_with("");
    let (customer, handoff) = waiting_customer(&server, "tr", "canli destek lutfen").await;
    assert!(handoff.get("estimated_wait_s").is_none(), "{handoff}");
    let last = handoff["seq"].as_u64().expect("seq") + 1;
    let session = customer.session();
    // A flaky line: the customer leaves and comes back three times (each
    // close completed, so the server has seen them gone).
    let mut gone = customer;
    for _ in 0..3 {
        gone.close().await;
        no_customer_connected(&server).await;
        let (again, welcome) = Customer::resume(&server, &session, last).await;
        assert_eq!(welcome["last_seq"], last, "nothing new to tell");
        gone = again;
    }
    gone.close().await;
    let (mut again, _) = Customer::resume(&server, &session, last).await;
    // A real change: an agent who speaks Turkish comes online.
    let _ayse = Agent::connect(&server, AYSE).await;
    let notice = again.wait_for("handoff").await;
    assert_eq!(notice["seq"], last + 1, "{notice}");
    assert!(notice.get("estimated_wait_s").is_some(), "{notice}");
}

#[tokio::test]
async fn an_email_left_when_the_queue_notice_invites_one_is_confirmed() {
    use switchboard::l10n::{Localizer, Msg};
    let server = server_with("");
    // Nobody online: the notice gives no wait and invites an email address.
    let (mut customer, handoff) =
        waiting_customer(&server, "el", "θελω να μιλησω με ανθρωπο").await;
    assert!(handoff.get("estimated_wait_s").is_none(), "{handoff}");
    customer
        .send(json!({"type": "message", "id": "m2", "text": "to email mou einai Eleni.K@example.com"}))
        .await;
    customer.expect("ack").await;
    let saved = customer.expect("message").await;
    let l10n = Localizer::load(&switchboard::config::bundled_content_dir().join("locales"))
        .expect("locales");
    let el = l10n.locale("el").expect("el");
    let expected = l10n.text(
        &el,
        &Msg::EmailSavedQueued {
            email: "eleni.k@example.com",
        },
    );
    assert_eq!(saved["text"], expected.as_str(), "{saved}");
    assert_eq!(saved["from"], "system");

    let mut ayse = Agent::connect(&server, AYSE).await;
    ayse.send(json!({"type": "claim", "conversation": customer.conversation()}))
        .await;
    let context = ayse.expect_skipping_notices("conversation").await;
    assert_eq!(context["customer"]["email"], "eleni.k@example.com");
}

/// An agent who speaks two languages serves the waiting of both: a customer
/// of the second language is told the wait for everyone ahead of them whom
/// that agent must serve first, not only those of their own language.
#[tokio::test]
async fn a_wait_counts_the_other_languages_the_same_agent_serves() {
    let server = TestServer::start_with_config(&agent_entry("Ayşe", &["tr", "en"], AYSE));
    let mut ayse = Agent::connect(&server, AYSE).await;
    let (_first, _) = waiting_customer(&server, "tr", "müşteri temsilcisi").await;
    let (_second, _) = waiting_customer(&server, "tr", "canlı destek lütfen").await;
    ayse.queue_until(|items| items.len() == 2).await;
    let (_third, handoff) = waiting_customer(&server, "en", "let me talk to a human").await;
    assert_eq!(handoff["position"], 3, "{handoff}");
    // Three conversations for one agent at the default 300 s each.
    assert_eq!(handoff["estimated_wait_s"], 900, "{handoff}");
}

#[tokio::test]
async fn an_agent_hears_the_customer_before_the_ack_of_a_reply_written_after() {
    // The customer writes, the agent answers at once: the customer's message
    // is stored first, so the agent must get it before the ack of its answer
    // (a widget keeping the highest seq would drop it otherwise).
    let server = server_with("[limits]\nframes_per_second = 1000\nframes_burst = 1000\n");
    let mut ayse = Agent::connect(&server, AYSE).await;
    let (mut customer, _) = waiting_customer(&server, "tr", "müşteri temsilcisi").await;
    let conversation = customer.conversation();
    ayse.queue_until(|items| !items.is_empty()).await;
    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    ayse.expect_skipping_queue("conversation").await;
    customer.wait_for_status("assigned").await;
    let mut seen = 0u64;
    for round in 0..30 {
        customer
            .send(json!({"type": "message", "id": format!("c{round}"), "text": format!("soru {round}")}))
            .await;
        ayse.send(json!({"type": "message", "conversation": conversation, "id": format!("a{round}"), "text": format!("cevap {round}")}))
            .await;
        let (mut ack, mut heard) = (false, false);
        while !(ack && heard) {
            let frame = ayse.recv().await;
            match frame["type"].as_str() {
                Some("ack") => ack = true,
                Some("message") => heard = true,
                _ => continue,
            }
            let seq = frame["seq"].as_u64().expect("seq");
            assert!(seq > seen, "{seq} after {seen}: {frame}");
            seen = seq;
        }
    }
}

#[tokio::test]
async fn the_entry_printed_by_a_bare_agent_token_command_admits_its_token() {
    for args in [
        &["agent-token"][..],
        &["agent-token", "--name", "Ayşe", "--languages", "tr,en"],
    ] {
        let output = std::process::Command::new(crate::common::binary())
            .args(args)
            .output()
            .expect("run agent-token");
        assert!(output.status.success(), "{args:?}: {output:?}");
        let printed = String::from_utf8(output.stdout).expect("utf-8");
        // The token is the comment line of 32 hex digits.
        let token = printed
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .find(|l| l.len() == 32 && l.chars().all(|c| c.is_ascii_hexdigit()))
            .expect("the token")
            .to_owned();
        let server = TestServer::start_with_config(&printed);
        let agent = Agent::connect(&server, &token).await;
        let expected = if args.len() == 1 { "Agent" } else { "Ayşe" };
        assert_eq!(agent.ready["agent"]["name"], expected, "{printed}");
    }
}
