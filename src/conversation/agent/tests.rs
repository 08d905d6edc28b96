//! Agents' actions when the store fails: the queue follows the conversation
//! record, never runs ahead of it.

use std::sync::atomic::AtomicBool;

use super::*;
use crate::domain::HandlingSample;
use crate::storage::{Durable, FjallStore};

/// The real store, whose `append` (a conversation's commit) can be made to fail.
struct FlakyStore {
    inner: FjallStore,
    fail_appends: AtomicBool,
}

impl Store for FlakyStore {
    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError> {
        self.inner.conversation(id)
    }
    fn conversation_by_session(
        &self,
        session: &SessionToken,
    ) -> Result<Option<ConversationId>, StoreError> {
        self.inner.conversation_by_session(session)
    }
    fn append(
        &self,
        record: &ConversationRecord,
        changed: bool,
        entries: &[TranscriptEntry],
        client: Option<(ClientKey<'_>, u64)>,
        new_session: Option<&SessionToken>,
    ) -> Result<(), StoreError> {
        if self.fail_appends.load(Ordering::Acquire) {
            return Err(StoreError::Unavailable("test: appends fail".into()));
        }
        self.inner
            .append(record, changed, entries, client, new_session)
    }
    fn conversation_by_channel_user(
        &self,
        user: &crate::domain::ChannelUser,
    ) -> Result<Option<ConversationId>, StoreError> {
        self.inner.conversation_by_channel_user(user)
    }
    fn delivery_cursors(&self) -> Result<Vec<(ConversationId, u64)>, StoreError> {
        self.inner.delivery_cursors()
    }
    fn delivery_cursor(&self, conversation: &ConversationId) -> Result<Option<u64>, StoreError> {
        self.inner.delivery_cursor(conversation)
    }
    fn set_delivery_cursor(
        &self,
        conversation: &ConversationId,
        seq: u64,
    ) -> Result<(), StoreError> {
        self.inner.set_delivery_cursor(conversation, seq)
    }
    fn seq_of_client_id(
        &self,
        conversation: &ConversationId,
        client: ClientKey<'_>,
    ) -> Result<Option<u64>, StoreError> {
        self.inner.seq_of_client_id(conversation, client)
    }
    fn transcript_page(
        &self,
        conversation: &ConversationId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        self.inner.transcript_page(conversation, after, limit)
    }
    fn transcript_before(
        &self,
        conversation: &ConversationId,
        before: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        self.inner.transcript_before(conversation, before, limit)
    }
    fn save_handoff(&self, record: &QueueEntry) -> Result<(), StoreError> {
        self.inner.save_handoff(record)
    }
    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError> {
        self.inner.remove_handoff(conversation)
    }
    fn handoffs(&self) -> Result<Vec<QueueEntry>, StoreError> {
        self.inner.handoffs()
    }
    fn record_handling(&self, sample: &HandlingSample, keep: usize) -> Result<(), StoreError> {
        self.inner.record_handling(sample, keep)
    }
    fn handling_times(&self) -> Result<Vec<HandlingSample>, StoreError> {
        self.inner.handling_times()
    }
    fn add_daily(
        &self,
        key: &crate::domain::DailyKey,
        delta: &crate::domain::DailyCounts,
    ) -> Result<(), StoreError> {
        self.inner.add_daily(key, delta)
    }

    fn daily(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<(crate::domain::DailyKey, crate::domain::DailyCounts)>, StoreError> {
        self.inner.daily(from, to)
    }

    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError> {
        self.inner.record_unanswered(question)
    }
    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError> {
        self.inner.unanswered(limit)
    }
    fn durable(&self, entries: usize) -> Durable {
        self.inner.durable(entries)
    }
    fn erase_conversation(&self, id: &ConversationId) -> Result<bool, StoreError> {
        self.inner.erase_conversation(id)
    }
    fn conversations_of_customer(&self, customer: &str) -> Result<Vec<ConversationId>, StoreError> {
        self.inner.conversations_of_customer(customer)
    }
    fn conversations_idle_since(
        &self,
        before: jiff::Timestamp,
    ) -> Result<Vec<ConversationId>, StoreError> {
        self.inner.conversations_idle_since(before)
    }
    fn health(&self) -> Result<(), String> {
        self.inner.health()
    }
    fn recover(&self) -> bool {
        self.inner.recover()
    }
    fn generation(&self) -> u64 {
        self.inner.generation()
    }
    fn write_intent(&self) -> crate::storage::WriteIntent {
        self.inner.write_intent()
    }
}

/// The bundled content without the content checks (these tests are about
/// the queue, not the texts).
fn content() -> Arc<Content> {
    let dir = crate::config::bundled_content_dir();
    let l10n = crate::l10n::Localizer::load(&dir.join("locales")).expect("locales");
    let intents = crate::nlu::load_intents(&dir.join("intents")).expect("intents");
    let nlu = crate::nlu::Nlu::new(intents, &[], l10n.default_locale().as_str());
    Arc::new(Content::new(
        nlu,
        l10n,
        crate::knowledge::KnowledgeIndex::new(Vec::new()),
    ))
}

fn john() -> AgentProfile {
    AgentProfile {
        id: "john".into(),
        name: "John".into(),
        languages: vec!["en".into()],
        admin: false,
    }
}

#[tokio::test]
async fn a_failed_write_leaves_the_queue_as_the_record_says() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let store = Arc::new(FlakyStore {
        inner: FjallStore::open(dir.path(), 8 << 20, false).expect("store"),
        fail_appends: AtomicBool::new(false),
    });
    let (events, _keep) = mpsc::channel(64);
    let settings = crate::config::HandoffConfig::default()
        .settings()
        .expect("settings");
    let handoff = Handoff::new(settings, vec![john()], store.clone(), events).expect("handoff");
    let facts = crate::conversation::ShopFacts::default();
    let actions = crate::actions::Actions::new(
        &std::collections::BTreeMap::new(),
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .expect("no actions");
    let conversations = Arc::new(Conversations::new(
        store.clone(),
        content(),
        Arc::clone(&handoff),
        facts,
        Arc::new(actions),
    ));
    let (agent_events, _agent_rx) = mpsc::channel(64);
    conversations.agent_connect(&john(), agent_events);

    let mut ids = Vec::new();
    let mut sessions = Vec::new();
    for n in 0..2 {
        let session = conversations.start(Some("en"), None, None, None);
        let text = MessageText::parse("talk to a human", 4000).expect("text");
        conversations
            .message(&session.live, &format!("m{n}"), &text, 1)
            .await
            .expect("handed off");
        ids.push(session.live.id);
        sessions.push(session);
    }
    let (held, waiting) = (ids[0], ids[1]);
    assert!(handoff.record(&held).is_some(), "queued");
    conversations.claim(&john(), held).await.expect("claimed");

    store.fail_appends.store(true, Ordering::Release);
    assert!(conversations.release(&john(), held).await.is_err());
    assert_eq!(
        handoff.assignee(&held).as_deref(),
        Some("john"),
        "release not written: John still holds it"
    );
    for result in [
        conversations.return_to_bot(&john(), held).await,
        conversations.agent_close(&john(), held).await,
    ] {
        assert!(result.is_err());
        assert_eq!(
            handoff.assignee(&held).as_deref(),
            Some("john"),
            "not written: still in the queue, still John's"
        );
    }
    assert!(conversations.claim(&john(), waiting).await.is_err());
    assert_eq!(
        handoff.assignee(&waiting),
        None,
        "claim not written: it still waits"
    );
    assert!(handoff.record(&waiting).is_some());

    store.fail_appends.store(false, Ordering::Release);
    conversations
        .release(&john(), held)
        .await
        .expect("released");
    assert_eq!(handoff.assignee(&held), None);
    assert!(handoff.record(&held).is_some(), "back in the queue");
}

/// WhatsApp delivers free-form replies only within 24 hours of the
/// customer's last message: an agent's reply outside it is refused
/// (`window_closed`) and not stored; inside it, it goes out.
#[tokio::test]
async fn an_agent_reply_outside_whatsapps_window_is_refused_and_not_stored() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let store = Arc::new(FjallStore::open(dir.path(), 8 << 20, false).expect("store"));
    let (events, _keep) = mpsc::channel(64);
    let settings = crate::config::HandoffConfig::default()
        .settings()
        .expect("settings");
    let handoff = Handoff::new(settings, vec![john()], store.clone(), events).expect("handoff");
    let actions = crate::actions::Actions::new(
        &std::collections::BTreeMap::new(),
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .expect("no actions");
    let conversations = Arc::new(Conversations::new(
        store,
        content(),
        handoff,
        crate::conversation::ShopFacts::default(),
        Arc::new(actions),
    ));
    let (agent_events, _agent_rx) = mpsc::channel(64);
    conversations.agent_connect(&john(), agent_events);
    let user = crate::domain::ChannelUser {
        kind: crate::domain::ChannelKind::Whatsapp,
        name: "shop".into(),
        user: "905321234567".into(),
    };
    let live = conversations
        .open_channel(&user, Some("talk to a human"), None, None)
        .expect("opened");
    let text = MessageText::parse("talk to a human", 4000).expect("text");
    conversations
        .message(&live, "wamid.1", &text, 0)
        .await
        .expect("handed off");
    conversations
        .claim(&john(), live.id)
        .await
        .expect("claimed");

    let wrote_hours_ago = |hours: i64| {
        let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(hours);
        Some(crate::domain::Timestamp::from(at))
    };
    live.record.lock().await.last_customer_at = wrote_hours_ago(25);
    let before = live.record.lock().await.last_seq;
    let reply = MessageText::parse("Merhaba", 4000).expect("text");
    let refused = conversations
        .agent_message(&john(), live.id, "a1", &reply)
        .await;
    assert!(
        matches!(refused, Err(ConversationError::WindowClosed)),
        "{refused:?}"
    );
    assert_eq!(live.record.lock().await.last_seq, before, "nothing stored");

    live.record.lock().await.last_customer_at = wrote_hours_ago(23);
    let seq = conversations
        .agent_message(&john(), live.id, "a1", &reply)
        .await
        .expect("inside the window");
    assert_eq!(seq, before + 1);
}
