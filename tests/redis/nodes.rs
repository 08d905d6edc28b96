//! Several nodes on one Redis behave as one Switchboard (PROTOCOL.md,
//! "Several nodes"): a customer on one node and an agent on another, claims
//! made on two nodes at once, a node killed mid-conversation, and Redis
//! restarted under them.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use tempfile::TempDir;

use crate::channels::{
    assert_said, post_telegram_with, said, telegram_answers, telegram_channel, telegram_message,
    telegram_texts, web_answers, CHAT, FAST_RETRIES, TELEGRAM_SECRET,
};
use crate::common::{agent_entry, claim_outcome, Agent, Customer, RedisServer, TestServer};
use crate::fakes::{FakeApi, Mode};
use crate::outage::eventually;
use crate::AckOrError;

const AYSE: &str = "ayse-token";
const MEHMET: &str = "mehmet-token";

fn config() -> String {
    [
        "[limits]\nframes_per_second = 1000\nframes_burst = 1000\n".to_owned(),
        agent_entry("Ayşe", &["tr", "en"], AYSE),
        agent_entry("Mehmet", &["tr"], MEHMET),
    ]
    .join("\n")
}

/// A node of a deployment on the Redis at `url` (shared with other nodes),
/// with a TOML config file holding `config`, logging at `info`.
fn start_node(url: &str, config: &str) -> TestServer {
    let data = TempDir::new().expect("temp dir");
    TestServer::launch(data, None, Some(url.to_owned()), config, Some("info"))
}

/// Two nodes on one fresh Redis; `None` (skipped) without redis-server.
fn two_nodes() -> Option<(RedisServer, TestServer, TestServer)> {
    let redis = RedisServer::start()?;
    let a = start_node(&redis.url(), &config());
    let b = start_node(&redis.url(), &config());
    Some((redis, a, b))
}

/// A Turkish customer on `server` who asked for a person and was queued.
async fn waiting_customer(server: &TestServer, id: &str) -> Customer {
    asking_for_a_person(server, id).await.0
}

/// A Turkish customer on `server` who asked for a person, and the `queued`
/// handoff frame they got.
async fn asking_for_a_person(server: &TestServer, id: &str) -> (Customer, Value) {
    let mut customer = server.customer("tr").await;
    customer
        .send(json!({"type": "message", "id": id, "text": "müşteri temsilcisi lütfen"}))
        .await;
    customer.expect("ack").await;
    let handoff = customer.wait_for("handoff").await;
    assert_eq!(handoff["status"], "queued", "{handoff}");
    (customer, handoff)
}

/// `agent` claims `conversation` and gets its context; the customer hears
/// that a person joined.
async fn claim(agent: &mut Agent, customer: &mut Customer, conversation: &str) -> Value {
    agent
        .send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let context = agent.expect_skipping_queue("conversation").await;
    customer.wait_for_status("assigned").await;
    context
}

/// Waits until `agent`'s queue view offers `conversation`.
async fn offered(agent: &mut Agent, conversation: &str) {
    agent
        .queue_until(|items| items.iter().any(|i| i["conversation"] == conversation))
        .await;
}

/// The next frame of `kind` for `agent`, skipping queue views and notices.
async fn agent_next(agent: &mut Agent, kind: &str) -> Value {
    agent_next_of(agent, &[kind]).await
}

/// The next frame of one of `kinds` for `agent`, skipping queue views and
/// notices.
async fn agent_next_of(agent: &mut Agent, kinds: &[&str]) -> Value {
    loop {
        let frame = agent.recv().await;
        let kind = frame["type"].as_str().unwrap_or("");
        if kinds.contains(&kind) {
            return frame;
        }
        assert!(
            ["queue", "claimed", "typing", "closed"].contains(&kind),
            "expected one of {kinds:?}, got {frame}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_on_one_node_and_an_agent_on_another_hear_every_entry_once_in_order() {
    let Some((_redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&b, AYSE).await;
    let mut customer = waiting_customer(&a, "m1").await;
    let conversation = customer.conversation();

    // Queued on A, offered on B, claimed on B: A's customer hears who joined.
    offered(&mut ayse, &conversation).await;
    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let context = ayse.expect_skipping_queue("conversation").await;
    assert!(
        context["transcript"]
            .as_array()
            .is_some_and(|t| t.iter().any(|e| e["text"] == "müşteri temsilcisi lütfen")),
        "{context}"
    );
    let assigned = customer.wait_for_status("assigned").await;
    assert_eq!(assigned["agent"]["name"], "Ayşe", "{assigned}");

    // Typing crosses both ways.
    customer.send(json!({"type": "typing", "on": true})).await;
    let typing = agent_next(&mut ayse, "typing").await;
    assert_eq!(typing["conversation"], conversation.as_str(), "{typing}");
    assert_eq!(typing["on"], true);
    ayse.send(json!({"type": "typing", "conversation": conversation, "on": true}))
        .await;
    loop {
        let frame = customer.recv().await;
        if frame["type"] == "typing" {
            assert_eq!(frame["on"], true, "{frame}");
            break;
        }
    }

    // Five turns each way, interleaved.
    let mut heard_by_customer = Vec::new();
    let mut heard_by_agent = Vec::new();
    for turn in 0..5 {
        let said = format!("kargom nerede {turn}");
        customer
            .send(json!({"type": "message", "id": format!("c{turn}"), "text": said}))
            .await;
        let ack = customer.ack_or_error().await;
        assert_eq!(ack["type"], "ack", "{ack}");
        let message = agent_next(&mut ayse, "message").await;
        assert_eq!(message["text"], said.as_str(), "{message}");
        heard_by_agent.push(message["seq"].as_u64().expect("seq"));

        let answer = format!("bakıyorum {turn}");
        ayse.send(json!({"type": "message", "conversation": conversation, "id": format!("a{turn}"), "text": answer}))
            .await;
        agent_next(&mut ayse, "ack").await;
        loop {
            let frame = customer.recv().await;
            if frame["type"] == "message" && frame["from"] == "agent" {
                assert_eq!(frame["text"], answer.as_str(), "{frame}");
                heard_by_customer.push(frame["seq"].as_u64().expect("seq"));
                break;
            }
        }
    }
    let increasing = |seqs: &[u64]| seqs.windows(2).all(|w| w[0] < w[1]);
    assert!(increasing(&heard_by_agent), "{heard_by_agent:?}");
    assert!(increasing(&heard_by_customer), "{heard_by_customer:?}");

    // The agent closes on B; the customer rates on A; the agent hears it.
    ayse.send(json!({"type": "close", "conversation": conversation}))
        .await;
    let closed = customer.wait_for("closed").await;
    assert_eq!(closed["survey"], true, "{closed}");
    customer
        .send(json!({"type": "rating", "score": 5, "comment": "çok iyi"}))
        .await;
    let rating = agent_next(&mut ayse, "rating").await;
    assert_eq!(rating["score"], 5, "{rating}");
    assert_eq!(rating["conversation"], conversation.as_str());

    // Resumed on B: the whole transcript, every seq once, in order.
    let (_again, welcome) = Customer::resume(&b, &customer.session(), 0).await;
    assert_eq!(welcome["resumed"], true, "{welcome}");
    let last = welcome["last_seq"].as_u64().expect("last_seq");
    assert!(heard_by_customer.iter().all(|s| *s <= last));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_double_claims_from_two_nodes_have_exactly_one_winner_each() {
    let Some((_redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&a, AYSE).await;
    let mut mehmet = Agent::connect(&b, MEHMET).await;
    for round in 0..30 {
        // Customers alternate between the nodes.
        let node = if round % 2 == 0 { &a } else { &b };
        let customer = waiting_customer(node, &format!("r{round}")).await;
        let conversation = customer.conversation();
        offered(&mut ayse, &conversation).await;
        offered(&mut mehmet, &conversation).await;
        let claim = json!({"type": "claim", "conversation": conversation});
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

/// Every `message` seq a resumed customer is replayed, checked to be each once.
async fn replayed(server: &TestServer, session: &str) -> Vec<u64> {
    let (mut customer, welcome) = Customer::resume(server, session, 0).await;
    let last = welcome["last_seq"].as_u64().expect("last_seq");
    let mut seqs = Vec::new();
    while seqs.last().is_none_or(|s| *s < last) {
        let frame = customer.recv().await;
        if let Some(seq) = frame["seq"].as_u64() {
            if frame["type"] != "ack" {
                seqs.push(seq);
            }
        }
    }
    let unique: BTreeSet<u64> = seqs.iter().copied().collect();
    assert_eq!(
        unique.len(),
        seqs.len(),
        "an entry replayed twice: {seqs:?}"
    );
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    seqs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_mid_conversation_loses_no_acknowledged_entry() {
    let Some((_redis, mut a, b)) = two_nodes() else {
        return;
    };
    let mut customer = a.customer("en").await;
    let mut acked = Vec::new();
    for turn in 0..5 {
        customer
            .send(json!({"type": "message", "id": format!("k{turn}"), "text": "where is my order"}))
            .await;
        let ack = customer.ack_or_error().await;
        acked.push(ack["seq"].as_u64().expect("an ack"));
    }
    // One more sent, and the node killed before its answer is read.
    customer
        .send(json!({"type": "message", "id": "k5", "text": "where is my order"}))
        .await;
    a.kill();

    let seqs = replayed(&b, &customer.session()).await;
    for seq in &acked {
        assert!(seqs.contains(seq), "acked seq {seq} lost: {seqs:?}");
    }
    // The resend of the last frame on B is acked once, whatever A managed.
    let last = seqs.last().copied().unwrap_or(0);
    let (mut again, _) = Customer::resume(&b, &customer.session(), last).await;
    let mut acks = Vec::new();
    for _ in 0..2 {
        again
            .send(json!({"type": "message", "id": "k5", "text": "where is my order"}))
            .await;
        let ack = again.ack_or_error().await;
        acks.push(ack["seq"].as_u64().expect("an ack"));
    }
    assert_eq!(acks[0], acks[1], "the same id, the same seq: {acks:?}");
    let seqs = replayed(&b, &customer.session()).await;
    assert!(seqs.contains(&acks[0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_redis_restarts_the_nodes_hear_each_other_again() {
    let Some((mut redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&b, AYSE).await;
    let mut customer = waiting_customer(&a, "m1").await;
    let conversation = customer.conversation();
    offered(&mut ayse, &conversation).await;
    claim(&mut ayse, &mut customer, &conversation).await;

    redis.kill();
    redis.start_again();
    // Until both nodes are ready again, a message may be refused; the
    // customer resends it with the same id, as PROTOCOL.md says.
    let mut seq = None;
    for _ in 0..100 {
        customer
            .send(json!({"type": "message", "id": "after", "text": "hala bekliyorum"}))
            .await;
        let frame = customer.ack_or_error().await;
        if frame["type"] == "ack" {
            seq = frame["seq"].as_u64();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let seq = seq.expect("acked once Redis is back");
    let message = agent_next(&mut ayse, "message").await;
    assert_eq!(message["text"], "hala bekliyorum", "{message}");
    assert_eq!(message["seq"].as_u64(), Some(seq));
}

/// The next frame of `customer` for which `accept` holds, waiting up to 30 s
/// in all (longer than one frame's timeout: a lease takes seconds to lapse).
async fn frame_within(customer: &mut Customer, accept: impl Fn(&Value) -> bool) -> Value {
    use futures_util::StreamExt;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let next = tokio::time::timeout_at(deadline, customer.ws.next())
            .await
            .expect("the frame within 30 s");
        let Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text))) = next else {
            continue;
        };
        let frame: Value = serde_json::from_str(text.as_str()).expect("JSON frame");
        if accept(&frame) {
            return frame;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_node_of_an_agent_dies_their_conversation_returns_to_the_queue() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let config = format!("[handoff]\ngrace_s = 1\n{}", config());
    let mut a = start_node(&redis.url(), &config);
    let b = start_node(&redis.url(), &config);
    let mut ayse = Agent::connect(&a, AYSE).await;
    let mut customer = waiting_customer(&b, "m1").await;
    let conversation = customer.conversation();
    offered(&mut ayse, &conversation).await;
    claim(&mut ayse, &mut customer, &conversation).await;
    let mut mehmet = Agent::connect(&b, MEHMET).await;

    // Node A stops renewing Ayşe's presence; after it lapses and the grace
    // period ends, node B puts the conversation back and tells the customer.
    a.kill();
    let requeued = frame_within(&mut customer, |f| {
        f["type"] == "handoff" && f["status"] == "queued"
    })
    .await;
    assert_eq!(requeued["position"], 1, "{requeued}");
    offered(&mut mehmet, &conversation).await;
}

/// The same Telegram update posted to two nodes at once is one entry and
/// one answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_telegram_update_posted_to_two_nodes_is_answered_once() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let fake = FakeApi::telegram(Mode::Ok).await;
    let config = crate::channels::config(&[telegram_channel(&fake, FAST_RETRIES)]);
    let a = start_node(&redis.url(), &config);
    let b = start_node(&redis.url(), &config);
    let texts = ["what are your opening hours", "how much does shipping cost"];
    let web = web_answers(&a, "en", &texts).await;

    let update = telegram_message(3001, CHAT, texts[0], "en");
    let (first, second) = tokio::join!(
        post_telegram_with(&a, &update, Some(TELEGRAM_SECRET)),
        post_telegram_with(&b, &update, Some(TELEGRAM_SECRET)),
    );
    // One of them may have lost the race to store it; either way Telegram
    // is told to stop or to retry, and the retry finds it stored.
    for (status, body) in [&first, &second] {
        if *status != 200 {
            let (status, body) = post_telegram_with(&b, &update, Some(TELEGRAM_SECRET)).await;
            assert_eq!(status, 200, "the retry: {body}");
        }
        let _ = body;
    }
    telegram_answers(&fake, CHAT, said(&web[..1]).len()).await;
    // A later message's answer comes after any second answer to the first.
    let (status, body) = post_telegram_with(
        &a,
        &telegram_message(3002, CHAT, texts[1], "en"),
        Some(TELEGRAM_SECRET),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sent = telegram_answers(&fake, CHAT, said(&web).len()).await;
    assert_said(&telegram_texts(&sent), &said(&web));
}

/// Longer than a publisher pass (1 s): what a wrong pass would do has been
/// done by then. Only for asserting that something does not happen.
const PASS: std::time::Duration = std::time::Duration::from_millis(1500);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_frame_sent_to_two_nodes_at_once_is_acked_once_with_one_seq_on_both() {
    let Some((_redis, a, b)) = two_nodes() else {
        return;
    };
    let mut first = a.customer("en").await;
    first.say("m0", "hello").await;
    let (mut second, _) = Customer::resume(&b, &first.session(), 0).await;
    for round in 0..5 {
        // The same id from both connections: stored once, the same ack on both.
        let same =
            json!({"type": "message", "id": format!("same{round}"), "text": "where is my order"});
        tokio::join!(first.send(same.clone()), second.send(same));
        let (one, two) = tokio::join!(first.ack_or_error(), second.ack_or_error());
        assert_eq!(one["type"], "ack", "round {round}: {one}");
        assert_eq!(two["type"], "ack", "round {round}: {two}");
        assert_eq!(one["seq"], two["seq"], "round {round}");
        // Different ids at once: both stored, both acked.
        let (x, y) = (
            json!({"type": "message", "id": format!("x{round}"), "text": "thanks"}),
            json!({"type": "message", "id": format!("y{round}"), "text": "thank you"}),
        );
        tokio::join!(first.send(x), second.send(y));
        let (one, two) = tokio::join!(first.ack_or_error(), second.ack_or_error());
        assert_eq!(one["type"], "ack", "round {round}: {one}");
        assert_eq!(two["type"], "ack", "round {round}: {two}");
        assert_ne!(one["seq"], two["seq"], "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_back_after_the_grace_period_on_another_node_keeps_what_they_claim() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let config = format!("[handoff]\ngrace_s = 1\n{}", config());
    let a = start_node(&redis.url(), &config);
    let b = start_node(&redis.url(), &config);
    // Ayşe was on node A and left; her grace period there is long over.
    drop(Agent::connect(&a, AYSE).await);
    let mut customer = waiting_customer(&a, "m1").await;
    tokio::time::sleep(PASS).await;
    let conversation = customer.conversation();

    // Back, on node B, she claims at once.
    let mut ayse = Agent::connect(&b, AYSE).await;
    assert!(
        ayse.ready["queue"]
            .as_array()
            .is_some_and(|q| q.iter().any(|i| i["conversation"] == conversation.as_str())),
        "{}",
        ayse.ready
    );
    claim(&mut ayse, &mut customer, &conversation).await;
    tokio::time::sleep(PASS).await;
    ayse.send(
        json!({"type": "message", "conversation": conversation, "id": "a1", "text": "merhaba"}),
    )
    .await;
    let acked = agent_next(&mut ayse, "ack").await;
    assert_eq!(acked["id"], "a1", "{acked}");
    loop {
        let frame = customer.recv().await;
        assert!(
            !(frame["type"] == "handoff" && frame["status"] == "queued"),
            "requeued although Ayşe is online: {frame}"
        );
        if frame["type"] == "message" && frame["from"] == "agent" {
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_on_another_node_tells_the_customer_once() {
    let Some((_redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&b, AYSE).await;
    let mut customer = waiting_customer(&a, "m1").await;
    let conversation = customer.conversation();
    offered(&mut ayse, &conversation).await;
    claim(&mut ayse, &mut customer, &conversation).await;

    ayse.send(json!({"type": "release", "conversation": conversation}))
        .await;
    customer.wait_for_status("queued").await;
    tokio::time::sleep(PASS).await;
    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let next = customer.wait_for("handoff").await;
    assert_eq!(
        next["status"], "assigned",
        "told where they stand twice: {next}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_behave_as_one() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let [a, b, c] = [(); 3].map(|()| start_node(&redis.url(), &config()));
    let mut ayse = Agent::connect(&b, AYSE).await;
    let mut mehmet = Agent::connect(&c, MEHMET).await;
    let mut customer = waiting_customer(&a, "m1").await;
    let conversation = customer.conversation();
    offered(&mut ayse, &conversation).await;
    offered(&mut mehmet, &conversation).await;

    // Both claim from their nodes at once: one wins.
    let claim = json!({"type": "claim", "conversation": conversation});
    tokio::join!(ayse.send(claim.clone()), mehmet.send(claim));
    let outcomes = [
        claim_outcome(&mut ayse, &conversation).await,
        claim_outcome(&mut mehmet, &conversation).await,
    ];
    let (winner, loser, loser_name) = match outcomes {
        ["won", "lost"] => (&mut ayse, &mut mehmet, "Mehmet"),
        ["lost", "won"] => (&mut mehmet, &mut ayse, "Ayşe"),
        other => panic!("exactly one winner, got {other:?}"),
    };
    customer.wait_for_status("assigned").await;

    // A turn each way between A and the winner's node.
    winner
        .send(
            json!({"type": "message", "conversation": conversation, "id": "w1", "text": "merhaba"}),
        )
        .await;
    agent_next(winner, "ack").await;
    loop {
        let frame = customer.recv().await;
        if frame["type"] == "message" && frame["from"] == "agent" {
            assert_eq!(frame["text"], "merhaba", "{frame}");
            break;
        }
    }
    customer
        .send(json!({"type": "message", "id": "c1", "text": "kargom nerede"}))
        .await;
    assert_eq!(customer.ack_or_error().await["type"], "ack");
    let heard = agent_next(winner, "message").await;
    assert_eq!(heard["text"], "kargom nerede", "{heard}");

    // Released on one node, claimed on the third: the customer hears who.
    winner
        .send(json!({"type": "release", "conversation": conversation}))
        .await;
    customer.wait_for_status("queued").await;
    offered(loser, &conversation).await;
    loser
        .send(json!({"type": "claim", "conversation": conversation}))
        .await;
    assert_eq!(claim_outcome(loser, &conversation).await, "won");
    let assigned = customer.wait_for_status("assigned").await;
    assert_eq!(assigned["agent"]["name"], loser_name, "{assigned}");

    // Every node replays the same transcript, each entry once.
    let seqs = replayed(&a, &customer.session()).await;
    assert_eq!(replayed(&b, &customer.session()).await, seqs);
    assert_eq!(replayed(&c, &customer.session()).await, seqs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_customer_who_moved_to_another_node_is_not_taken_for_gone() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let config = format!("[handoff]\nabandon_after_s = 1\n{}", config());
    let a = start_node(&redis.url(), &config);
    let b = start_node(&redis.url(), &config);
    let customer = waiting_customer(&a, "m1").await;
    let session = customer.session();
    let conversation = customer.conversation();
    // The customer's connection moves from A to B (a reconnect through the
    // load balancer); A no longer has one.
    let (mut moved, _) = Customer::resume(&b, &session, 0).await;
    drop(customer);
    tokio::time::sleep(PASS + PASS).await;

    // Still waiting: an agent is offered it, and the customer hears a claim.
    let mut ayse = Agent::connect(&b, AYSE).await;
    assert!(
        ayse.ready["queue"]
            .as_array()
            .is_some_and(|q| q.iter().any(|i| i["conversation"] == conversation.as_str())),
        "left the queue although connected to B: {}",
        ayse.ready
    );
    claim(&mut ayse, &mut moved, &conversation).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_customer_back_on_another_node_is_not_told_the_same_place_again() {
    let Some((_redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&b, AYSE).await;
    let (customer, queued) = asking_for_a_person(&a, "m1").await;
    let session = customer.session();
    let conversation = customer.conversation();
    // The queue notice is the handoff entry and the text after it.
    let told = queued["seq"].as_u64().expect("seq") + 1;
    drop(customer);
    // Back through the load balancer on B, which never had them connected.
    let (mut moved, _) = Customer::resume(&b, &session, told).await;
    offered(&mut ayse, &conversation).await;
    // An absence: B's queue pass gets the time it takes to tell.
    tokio::time::sleep(PASS).await;
    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let next = moved.wait_for("handoff").await;
    assert_eq!(
        next["status"], "assigned",
        "told the same place again on B: {next}"
    );
}

/// The next `queue` frame of `agent` whose total is `total`.
async fn queue_of(agent: &mut Agent, total: u64) -> Vec<Value> {
    loop {
        let frame = agent.recv().await;
        if frame["type"] == "queue" && frame["total"].as_u64() == Some(total) {
            return frame["items"].as_array().cloned().unwrap_or_default();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_and_twenty_waiting_on_two_nodes_are_claimed_by_agents_on_both_at_once() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    // Every test customer comes from 127.0.0.1.
    let config = format!("[handoff]\nmax_waiting_per_address = 1000\n{}", config());
    let a = start_node(&redis.url(), &config);
    let b = start_node(&redis.url(), &config);
    let mut ayse = Agent::connect(&a, AYSE).await;
    let mut mehmet = Agent::connect(&b, MEHMET).await;
    let mut customers = Vec::new();
    for n in 0..120 {
        let node = if n % 2 == 0 { &a } else { &b };
        customers.push(waiting_customer(node, &format!("w{n}")).await);
    }

    // Both consoles see all 120, in the same order with the same places.
    let places = |items: &[Value]| -> Vec<(String, u64)> {
        items
            .iter()
            .map(|i| {
                let id = i["conversation"].as_str().unwrap_or("").to_owned();
                (id, i["position"].as_u64().unwrap_or(0))
            })
            .collect()
    };
    let seen_on_a = places(&queue_of(&mut ayse, 120).await);
    let seen_on_b = places(&queue_of(&mut mehmet, 120).await);
    assert_eq!(seen_on_a, seen_on_b);
    assert_eq!(seen_on_a[0].0, customers[0].conversation());

    // Claims of different conversations at the same moment, from both
    // nodes: Ayşe takes the even ones, Mehmet the odd ones; every claim
    // goes out before any answer is read.
    for (n, customer) in customers.iter().enumerate() {
        let claim = json!({"type": "claim", "conversation": customer.conversation()});
        if n % 2 == 0 {
            ayse.send(claim).await;
        } else {
            mehmet.send(claim).await;
        }
    }
    for agent in [&mut ayse, &mut mehmet] {
        let mut won = 0;
        while won < 60 {
            let frame = agent.recv().await;
            assert_ne!(frame["type"], "error", "{frame}");
            if frame["type"] == "conversation" {
                won += 1;
            }
        }
    }
    for (n, customer) in customers.iter_mut().enumerate() {
        let assigned = customer.wait_for_status("assigned").await;
        let name = if n % 2 == 0 { "Ayşe" } else { "Mehmet" };
        assert_eq!(assigned["agent"]["name"], name, "customer {n}: {assigned}");
    }
    queue_of(&mut ayse, 0).await;
    queue_of(&mut mehmet, 0).await;
}

/// How many subscribers `channel` has, and how many pattern subscriptions
/// Redis holds in all.
fn subscribers(redis: &RedisServer, channel: &str) -> (u64, u64) {
    let client = redis::Client::open(redis.url()).expect("redis url");
    let mut connection = client.get_connection().expect("redis connection");
    let (_, count): (String, u64) = redis::cmd("PUBSUB")
        .arg("NUMSUB")
        .arg(channel)
        .query(&mut connection)
        .expect("PUBSUB NUMSUB");
    let patterns: u64 = redis::cmd("PUBSUB")
        .arg("NUMPAT")
        .query(&mut connection)
        .expect("PUBSUB NUMPAT");
    (count, patterns)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_hears_the_doorbells_of_the_conversations_it_hosts_only() {
    let Some((redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&b, AYSE).await;
    let mut customer = waiting_customer(&a, "m1").await;
    let conversation = customer.conversation();
    let bell = format!("sb:{{c:{conversation}}}:bell");
    // Only A hosts it (B's agent sees it in the queue), and no node
    // listens to every conversation.
    eventually("A subscribing to the doorbell", async || {
        subscribers(&redis, &bell) == (1, 0)
    })
    .await;

    // The agent on B claims it: B hosts it too, and hears A's appends.
    offered(&mut ayse, &conversation).await;
    claim(&mut ayse, &mut customer, &conversation).await;
    eventually("B subscribing too", async || {
        subscribers(&redis, &bell).0 == 2
    })
    .await;
    customer
        .send(json!({"type": "message", "id": "m2", "text": "merhaba, orada mısınız?"}))
        .await;
    customer.wait_for("ack").await;
    let heard = agent_next(&mut ayse, "message").await;
    assert_eq!(heard["text"], "merhaba, orada mısınız?", "{heard}");

    // The agent closes it and leaves, the customer leaves: nobody listens.
    ayse.send(json!({"type": "close", "conversation": conversation}))
        .await;
    customer.wait_for("closed").await;
    drop(ayse);
    drop(customer);
    eventually("both nodes unsubscribing", async || {
        subscribers(&redis, &bell).0 == 0
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_and_an_agent_on_two_nodes_writing_at_once_are_all_stored_in_order() {
    let Some((_redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&b, AYSE).await;
    let mut customer = waiting_customer(&a, "m0").await;
    let conversation = customer.conversation();
    offered(&mut ayse, &conversation).await;
    claim(&mut ayse, &mut customer, &conversation).await;

    // Thirty rounds of four messages sent at once from each side (a chat of
    // 240 entries across the nodes): every
    // conflict between the nodes is read and written after, never refused.
    const ROUNDS: usize = 30;
    const EACH: usize = 4;
    let (mut customer_seen, mut agent_seen) = (0u64, 0u64);
    for round in 0..ROUNDS {
        for k in 0..EACH {
            customer
                .send(json!({"type": "message", "id": format!("c{round}-{k}"), "text": format!("müşteri {round}-{k}")}))
                .await;
            ayse.send(json!({"type": "message", "conversation": conversation, "id": format!("a{round}-{k}"), "text": format!("temsilci {round}-{k}")}))
                .await;
        }
        // Each side hears the other's four and gets its own four acks, every
        // seq above the last it was given, none of its own entries echoed.
        let (mut acks, mut heard) = (0, 0);
        while acks < EACH || heard < EACH {
            let frame = customer.recv().await;
            match frame["type"].as_str() {
                Some("ack") => acks += 1,
                Some("message") if frame["from"] == "agent" => heard += 1,
                Some("message") => {
                    assert_ne!(frame["from"], "customer", "own entry echoed: {frame}")
                }
                _ => panic!("customer got {frame}"),
            }
            let seq = frame["seq"].as_u64().expect("seq");
            assert!(
                seq > customer_seen,
                "customer: {seq} after {customer_seen}: {frame}"
            );
            customer_seen = seq;
        }
        let (mut acks, mut heard) = (0, 0);
        while acks < EACH || heard < EACH {
            let frame = agent_next_of(&mut ayse, &["ack", "message"]).await;
            if frame["type"] == "ack" {
                acks += 1;
            } else {
                assert_eq!(frame["from"], "customer", "{frame}");
                heard += 1;
            }
            let seq = frame["seq"].as_u64().expect("seq");
            assert!(seq > agent_seen, "agent: {seq} after {agent_seen}: {frame}");
            agent_seen = seq;
        }
    }
    let expected = ROUNDS * EACH * 2;
    let (_again, welcome) = Customer::resume(&b, &customer.session(), 0).await;
    assert!(welcome["last_seq"].as_u64().expect("last_seq") >= expected as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_conversations_queued_on_one_node_are_won_at_first_sight_on_the_other() {
    // A new conversation's first message asks for a person, and an agent on
    // the other node claims it the moment it is offered. Its first turn
    // queues it before storing it; a claim that came in between (twice in
    // about 45 in a QA run under load) answered `not_found` and now waits
    // for it. This run is too quick to land in that gap every time: it
    // holds the claim at first sight, not the gap itself.
    let Some((_redis, a, b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&b, AYSE).await;
    for round in 0..20 {
        let mut customer = a.customer("tr").await;
        let conversation = customer.conversation();
        customer
            .send(json!({"type": "message", "id": format!("m{round}"), "text": "müşteri temsilcisi lütfen"}))
            .await;
        offered(&mut ayse, &conversation).await;
        ayse.send(json!({"type": "claim", "conversation": conversation}))
            .await;
        let won = agent_next_of(&mut ayse, &["conversation", "error"]).await;
        assert_eq!(won["type"], "conversation", "round {round}: {won}");
        customer.wait_for_status("assigned").await;
        ayse.send(json!({"type": "close", "conversation": conversation}))
            .await;
    }
}

/// Whether some node's presence in Redis names an online agent who is
/// `available` (or not).
fn an_agent_is_present(redis: &RedisServer, available: bool) -> bool {
    let client = redis::Client::open(redis.url()).expect("redis url");
    let mut connection = client.get_connection().expect("redis connection");
    let nodes: Vec<String> = redis::cmd("HVALS")
        .arg("sb:nodes")
        .query(&mut connection)
        .expect("HVALS sb:nodes");
    nodes.iter().any(|presence| {
        serde_json::from_str::<Value>(presence).is_ok_and(|p| {
            p["agents"]
                .as_array()
                .is_some_and(|a| a.iter().any(|agent| agent["available"] == available))
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_asking_for_a_person_right_after_an_agent_came_online_elsewhere_gets_a_wait() {
    let Some((redis, a, b)) = two_nodes() else {
        return;
    };
    // A has heard nobody at its start-up heartbeat; Ayşe comes online on B,
    // and B says so in Redis. A would hear it at its next heartbeat (every
    // 2 s): the customer asks before that.
    let _ayse = Agent::connect(&b, AYSE).await;
    eventually("B naming Ayşe in its presence", async || {
        an_agent_is_present(&redis, true)
    })
    .await;
    let (_customer, handoff) = asking_for_a_person(&a, "m1").await;
    assert!(
        handoff["estimated_wait_s"].is_u64(),
        "an agent is online on B: the customer is given a wait, not told nobody is free: {handoff}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_asking_right_after_the_only_agent_stepped_away_is_given_no_wait() {
    let Some((redis, a, b)) = two_nodes() else {
        return;
    };
    // Ayşe is online on B, and A has heard it (a customer there is given a
    // wait); then she steps away, and B says so in Redis. A would hear it
    // at its next heartbeat: the next customer asks before that.
    let mut ayse = Agent::connect(&b, AYSE).await;
    eventually("B naming Ayşe in its presence", async || {
        an_agent_is_present(&redis, true)
    })
    .await;
    let first = waiting_customer(&a, "m0").await;
    drop(first);
    ayse.send(json!({"type": "status", "available": false}))
        .await;
    eventually("B saying Ayşe stepped away", async || {
        !an_agent_is_present(&redis, true) && an_agent_is_present(&redis, false)
    })
    .await;
    let (_customer, handoff) = asking_for_a_person(&a, "m1").await;
    assert!(
        handoff.get("estimated_wait_s").is_none(),
        "nobody is available: no made-up wait: {handoff}"
    );
}

/// A claim refused while Redis is down changes nothing the customer reads:
/// once Redis is back the same claim succeeds, and the customer's transcript
/// holds one `queued` notice, then `assigned`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_refused_during_a_redis_outage_leaves_no_trace_in_the_transcript() {
    let Some((mut redis, a, _b)) = two_nodes() else {
        return;
    };
    let mut ayse = Agent::connect(&a, AYSE).await;
    let mut customer = waiting_customer(&a, "m1").await;
    let conversation = customer.conversation();
    offered(&mut ayse, &conversation).await;

    redis.kill();
    ayse.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let refused = agent_next(&mut ayse, "error").await;
    assert_eq!(refused["code"], "internal", "{refused}");
    redis.start_again();
    eventually("readiness back", async || {
        a.http_get("/readyz").await.0 == 200
    })
    .await;
    claim(&mut ayse, &mut customer, &conversation).await;

    let (mut again, welcome) = Customer::resume(&a, &customer.session(), 0).await;
    let mut statuses = Vec::new();
    for _ in 0..welcome["last_seq"].as_u64().expect("last_seq") {
        let entry = again.recv().await;
        if entry["type"] == "handoff" {
            statuses.push(entry["status"].as_str().unwrap_or_default().to_owned());
        }
    }
    assert_eq!(statuses, ["queued", "assigned"], "{statuses:?}");
}
