//! The Redis store itself against a real redis-server: the append script's
//! idempotency and gap check, appends from several connections at once, and
//! erasure leaving nothing behind.

use std::sync::Arc;

use switchboard::domain::{
    ChannelUser, ClientKey, ConversationId, ConversationRecord, Customer, EntryBody,
    HandlingSample, Sender, SessionToken, Timestamp, TranscriptEntry, Unanswered,
};
use switchboard::storage::{RedisStore, Store, StoreError};

use crate::common::RedisServer;

fn entry(seq: u64, text: &str) -> TranscriptEntry {
    TranscriptEntry {
        seq,
        body: EntryBody::text(Sender::Customer, text.to_owned(), "en"),
        ts: Timestamp::now(),
    }
}

/// A new conversation stored with its first entry (`m0` as its client id).
fn started(store: &RedisStore) -> (ConversationRecord, SessionToken) {
    let mut record =
        ConversationRecord::new(ConversationId::random(), "en", None, Timestamp::now());
    record.last_seq = 1;
    let token = SessionToken::random();
    store
        .append(
            &record,
            true,
            &[entry(1, "hello")],
            Some((ClientKey::Customer("m0"), 1)),
            Some(&token),
        )
        .expect("first append");
    (record, token)
}

fn open(redis: &RedisServer) -> RedisStore {
    RedisStore::open(&redis.url()).expect("store on redis")
}

#[test]
fn a_repeated_client_id_returns_the_first_seq_and_writes_nothing() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = open(&redis);
    let (mut record, token) = started(&store);
    assert_eq!(
        store.conversation_by_session(&token).expect("read"),
        Some(record.id)
    );
    let generation = store.generation();

    record.last_seq = 3;
    let again = store.append(
        &record,
        true,
        &[entry(2, "once more"), entry(3, "and more")],
        Some((ClientKey::Customer("m0"), 2)),
        None,
    );
    match again {
        Err(StoreError::Conflict(message)) => assert!(message.contains("seq 1"), "{message}"),
        other => panic!("a repeated client id is refused, got {other:?}"),
    }
    assert!(
        store.generation() > generation,
        "the writer is told to read again"
    );
    let transcript = store.transcript_after(&record.id, 0).expect("read");
    assert_eq!(transcript.len(), 1, "nothing was written");
    let stored = store
        .conversation(&record.id)
        .expect("read")
        .expect("stored");
    assert_eq!(stored.last_seq, 1);
    assert_eq!(
        store
            .seq_of_client_id(&record.id, ClientKey::Customer("m0"))
            .expect("read"),
        Some(1)
    );
}

#[test]
fn an_append_numbered_after_a_stale_last_seq_writes_nothing() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = open(&redis);
    let (mut record, _) = started(&store);
    record.last_seq = 3;
    let skipped = store.append(&record, true, &[entry(3, "a gap before me")], None, None);
    assert!(
        matches!(skipped, Err(StoreError::Conflict(_))),
        "{skipped:?}"
    );
    assert_eq!(
        store.transcript_after(&record.id, 0).expect("read").len(),
        1
    );
}

#[test]
fn appends_from_several_connections_to_one_conversation_stay_gap_free() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    const WRITERS: usize = 6;
    const EACH: usize = 40;
    let (record, _) = started(&open(&redis));
    let id = record.id;
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            // Each writer its own store: its own connections, as another node would.
            let store = open(&redis);
            std::thread::spawn(move || {
                let mut conflicts = 0;
                for n in 0..EACH {
                    let client = format!("w{writer}-{n}");
                    loop {
                        let mut next = store.conversation(&id).expect("read").expect("stored");
                        next.last_seq += 1;
                        let seq = next.last_seq;
                        match store.append(
                            &next,
                            true,
                            &[entry(seq, &client)],
                            Some((ClientKey::Customer(&client), seq)),
                            None,
                        ) {
                            Ok(()) => break,
                            Err(StoreError::Conflict(_)) => conflicts += 1,
                            Err(error) => panic!("append: {error}"),
                        }
                    }
                }
                conflicts
            })
        })
        .collect();
    let conflicts: usize = writers.into_iter().map(|w| w.join().expect("writer")).sum();
    let store = open(&redis);
    let transcript = store.transcript_after(&id, 0).expect("read");
    let seqs: Vec<u64> = transcript.iter().map(|e| e.seq).collect();
    let expected: Vec<u64> = (1..=(1 + WRITERS * EACH) as u64).collect();
    assert_eq!(seqs, expected, "gap-free, in order");
    for writer in 0..WRITERS {
        for n in 0..EACH {
            let client = format!("w{writer}-{n}");
            let seq = store
                .seq_of_client_id(&id, ClientKey::Customer(&client))
                .expect("read")
                .expect("every id stored");
            let said = match &transcript[usize::try_from(seq).expect("seq") - 1].body {
                EntryBody::Message { text, .. } => text.clone(),
                other => panic!("{other:?}"),
            };
            assert_eq!(said, client, "the id names its own entry");
        }
    }
    eprintln!("{conflicts} conflicting appends were refused and retried");
}

#[tokio::test]
async fn the_store_works_inside_a_current_thread_runtime() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = Arc::new(open(&redis));
    let (record, _) = started(&store);
    store.durable(1).await.expect("durable");
    let page = store.transcript_page(&record.id, 0, 10).expect("read");
    assert_eq!(page.len(), 1);
    assert!(store.recover(), "Redis answers");
}

#[test]
fn erasing_a_conversation_leaves_nothing_of_it_in_redis() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = open(&redis);
    let mut record =
        ConversationRecord::new(ConversationId::random(), "en", None, Timestamp::now());
    record.customer = Some(Customer {
        id: Some("cust-7".to_owned()),
        ..Customer::default()
    });
    record.channel = Some(ChannelUser {
        kind: switchboard::domain::ChannelKind::Webhook,
        name: "shop".to_owned(),
        user: "u1".to_owned(),
    });
    record.last_seq = 2;
    let token = SessionToken::random();
    store
        .append(
            &record,
            true,
            &[entry(1, "hi"), entry(2, "there")],
            Some((ClientKey::Customer("x"), 1)),
            Some(&token),
        )
        .expect("append");
    store
        .record_unanswered(&Unanswered {
            locale: "en".to_owned(),
            text: "what is a flux capacitor".to_owned(),
            conversation: record.id,
            ts: Timestamp::now(),
            channel: Default::default(),
        })
        .expect("log");
    store.set_delivery_cursor(&record.id, 2).expect("cursor");
    assert_eq!(
        store.delivery_cursors().expect("read"),
        vec![(record.id, 2)]
    );
    assert_eq!(
        store.conversations_of_customer("cust-7").expect("read"),
        vec![record.id]
    );
    assert!(store.erase_conversation(&record.id).expect("erase"));
    assert!(!store.erase_conversation(&record.id).expect("erase again"));
    let client = redis::Client::open(redis.url()).expect("client");
    let mut connection = client.get_connection().expect("connection");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query(&mut connection)
        .expect("keys");
    assert!(keys.is_empty(), "left behind: {keys:?}");
}

#[test]
fn handling_times_are_kept_per_locale_newest_last() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = open(&redis);
    let start = jiff::Timestamp::now();
    let sample = |locale: &str, n: i64| HandlingSample {
        locale: locale.to_owned(),
        seconds: u64::try_from(n).unwrap_or(0),
        at: (start + jiff::SignedDuration::from_secs(n)).into(),
    };
    for n in 0..8 {
        store.record_handling(&sample("en", n), 5).expect("stored");
    }
    store
        .record_handling(&sample("tr", 100), 5)
        .expect("stored");
    let kept: Vec<(String, u64)> = store
        .handling_times()
        .expect("read")
        .into_iter()
        .map(|s| (s.locale, s.seconds))
        .collect();
    let mut expected: Vec<(String, u64)> = (3..8).map(|n| ("en".to_owned(), n)).collect();
    expected.push(("tr".to_owned(), 100));
    assert_eq!(kept, expected, "the newest 5 of en, oldest first; tr apart");
}
