//! Conversations: the engine's policy applied turn by turn, with each
//! conversation's state and transcript kept in the store.
//!
//! A conversation that has a connected client lives in memory as a [`Live`]:
//! its record behind an async mutex (turns of one conversation run one at a
//! time, so seqs stay gap-free) and a broadcast channel that tells every
//! connection of that conversation about new transcript entries.

mod content;
mod engine;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use time::format_description::well_known::Rfc3339;
use tokio::sync::broadcast;

pub use content::{Content, ContentError};
pub use engine::{Engine, Reply, ARTICLE_CHOICE, FEEDBACK_NO, FEEDBACK_YES, INTENT_CHOICE};

use crate::l10n::{Locale, Msg};
use crate::storage::{
    ConversationId, ConversationRecord, ConversationState, Customer, EntryBody, Party, Rating,
    SessionToken, Store, StoreError, TranscriptEntry, Unanswered,
};

/// How many events a slow connection may fall behind before it rereads the
/// transcript from the store.
const EVENT_BUFFER: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Invalid(&'static str),
}

/// Identifies one client connection, so it is not sent back its own messages.
pub type ConnectionId = u64;

/// Something that happened in a conversation, for its connections.
#[derive(Debug, Clone)]
pub enum Event {
    Entry {
        entry: Arc<TranscriptEntry>,
        origin: Option<ConnectionId>,
    },
}

/// A conversation with at least one connected client.
pub struct Live {
    pub id: ConversationId,
    record: tokio::sync::Mutex<ConversationRecord>,
    events: broadcast::Sender<Event>,
}

impl Live {
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// The conversation's current locale.
    pub async fn locale(&self) -> String {
        self.record.lock().await.locale.clone()
    }
}

/// What `hello` opened.
pub struct Session {
    pub live: Arc<Live>,
    pub token: SessionToken,
    pub locale: Locale,
    pub resumed: bool,
    /// The conversation's last seq before this hello.
    pub last_seq: u64,
    pub events: broadcast::Receiver<Event>,
}

pub struct Conversations {
    store: Arc<dyn Store>,
    engine: Engine,
    live: Mutex<HashMap<ConversationId, Weak<Live>>>,
    next_connection: AtomicU64,
}

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

fn customer_message(client_id: &str, text: String, locale: &str) -> EntryBody {
    EntryBody::Message {
        from: Party::Customer,
        text,
        locale: locale.to_owned(),
        id: Some(client_id.to_owned()),
        intent: None,
        confidence: None,
        quick_replies: Vec::new(),
        articles: Vec::new(),
        agent: None,
    }
}

impl Conversations {
    pub fn new(store: Arc<dyn Store>, content: Arc<Content>) -> Self {
        Self {
            store,
            engine: Engine::new(content),
            live: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(1),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Loads and trains the content under `dir` off the async threads, and
    /// makes it live; on any error the old content stays.
    pub async fn reload(&self, dir: &std::path::Path) -> Result<Arc<Content>, ContentError> {
        let dir = dir.to_owned();
        let loaded = tokio::task::spawn_blocking(move || Content::load(&dir))
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))?;
        let content = Arc::new(loaded);
        self.engine.replace(Arc::clone(&content));
        Ok(content)
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    pub fn connection_id(&self) -> ConnectionId {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// Resumes the conversation of `resume` if the token is known, else starts
    /// a new one (with its greeting stored).
    pub async fn open(
        &self,
        requested_locale: Option<&str>,
        resume: Option<&str>,
        customer: Option<Customer>,
    ) -> Result<Session, ConversationError> {
        if let Some(token) = resume {
            let token = SessionToken::presented(token);
            if let Some(id) = self.store.conversation_by_session(&token)? {
                if let Some(live) = self.live(&id)? {
                    let events = live.subscribe();
                    let record = live.record.lock().await;
                    let locale = self.locale_of(&record);
                    let last_seq = record.last_seq;
                    drop(record);
                    return Ok(Session {
                        live,
                        token,
                        locale,
                        resumed: true,
                        last_seq,
                        events,
                    });
                }
            }
            tracing::info!("unknown session token: starting a new conversation");
        }
        let locale = self.engine.content().l10n.negotiate(requested_locale);
        let token = SessionToken::random();
        let mut record = ConversationRecord::new(
            ConversationId::random(),
            locale.as_str(),
            customer,
            now_rfc3339(),
        );
        self.store.create_conversation(&record, &token)?;
        let greeting = self.engine.greeting(&mut record);
        let entries = stamp(&mut record, vec![greeting]);
        self.store.append(&record, &entries, None)?;
        self.store.durable(entries.len()).await?;
        tracing::info!(conversation_id = %record.id, locale = %locale, "conversation started");
        let live = self.insert_live(record);
        let events = live.subscribe();
        Ok(Session {
            live,
            token,
            locale,
            resumed: false,
            last_seq: 0,
            events,
        })
    }

    /// Every entry after `after`, in order.
    pub fn transcript_after(
        &self,
        id: &ConversationId,
        after: u64,
    ) -> Result<Vec<TranscriptEntry>, ConversationError> {
        Ok(self.store.transcript_after(id, after)?)
    }

    /// A customer message: stored, answered, and acked with the seq it was
    /// stored under. A repeated `client_id` gets its first seq back and is not
    /// processed again. A question nothing answered is logged for content owners.
    pub async fn message(
        &self,
        live: &Live,
        client_id: &str,
        text: &str,
        origin: ConnectionId,
    ) -> Result<u64, ConversationError> {
        self.customer_turn(live, client_id, origin, |engine, record| {
            let reply = engine.on_text(record, text);
            // The customer's entry carries the language the bot settled on.
            let customer = customer_message(client_id, text.to_owned(), &record.locale);
            let unanswered = reply.unanswered.then(|| Unanswered {
                locale: record.locale.clone(),
                text: text.to_owned(),
                conversation: record.id,
                ts: now_rfc3339(),
            });
            Ok((
                std::iter::once(customer).chain(reply.entries).collect(),
                unanswered,
            ))
        })
        .await
    }

    /// A pressed quick reply: stored as the customer's message (its label) and answered.
    pub async fn choice(
        &self,
        live: &Live,
        client_id: &str,
        value: &str,
        origin: ConnectionId,
    ) -> Result<u64, ConversationError> {
        self.customer_turn(live, client_id, origin, |engine, record| {
            if !record.offered_choices.iter().any(|v| v == value) {
                return Err(ConversationError::Invalid("choice value was never offered"));
            }
            let label = engine
                .choice_label(record, value)
                .ok_or(ConversationError::Invalid("choice value is not known"))?;
            let customer = customer_message(client_id, label, &record.locale);
            let reply = engine
                .on_choice(record, value)
                .ok_or(ConversationError::Invalid("choice value means nothing now"))?;
            Ok((
                std::iter::once(customer).chain(reply.entries).collect(),
                None,
            ))
        })
        .await
    }

    /// "Did this help?" on the bot message `seq`.
    pub async fn feedback(
        &self,
        live: &Live,
        seq: u64,
        helpful: bool,
    ) -> Result<(), ConversationError> {
        let mut record = live.record.lock().await;
        let is_bot_message = self
            .store
            .transcript_after(&live.id, seq.saturating_sub(1))?
            .first()
            .is_some_and(|e| {
                e.seq == seq
                    && matches!(
                        e.body,
                        EntryBody::Message {
                            from: Party::Bot,
                            ..
                        }
                    )
            });
        if !is_bot_message {
            return Err(ConversationError::Invalid(
                "feedback seq is not a bot message",
            ));
        }
        let mut next = record.clone();
        let reply = self.engine.on_feedback(&mut next, seq, helpful);
        self.commit(live, &mut record, next, reply.entries, None, None)
            .await
    }

    /// The satisfaction survey, after `closed`.
    pub async fn rating(
        &self,
        live: &Live,
        score: u8,
        comment: Option<String>,
    ) -> Result<(), ConversationError> {
        let mut record = live.record.lock().await;
        if record.state != ConversationState::Closed {
            return Err(ConversationError::Invalid(
                "rating is only possible after the conversation is closed",
            ));
        }
        let mut next = record.clone();
        next.rating = Some(Rating {
            score,
            comment,
            ts: now_rfc3339(),
        });
        let body = self.engine.system_text(&next, &Msg::RatingThanks);
        tracing::info!(conversation_id = %live.id, score, "rating");
        self.commit(live, &mut record, next, vec![body], None, None)
            .await
    }

    /// The customer ends the conversation; ending a closed one does nothing.
    pub async fn end(&self, live: &Live) -> Result<(), ConversationError> {
        let mut record = live.record.lock().await;
        if record.state == ConversationState::Closed {
            return Ok(());
        }
        let mut next = record.clone();
        next.state = ConversationState::Closed;
        next.pending_slot = None;
        let closing = format!(
            "{} {}",
            self.text(&next, &Msg::ClosedCustomer),
            self.text(&next, &Msg::SurveyAsk)
        );
        let bodies = vec![
            EntryBody::text(Party::System, closing, &next.locale),
            EntryBody::Closed {
                by: Party::Customer,
                survey: true,
            },
        ];
        tracing::info!(conversation_id = %live.id, "closed by customer");
        self.commit(live, &mut record, next, bodies, None, None)
            .await
    }

    /// The live handle of a stored conversation, loading it if needed.
    pub fn live(&self, id: &ConversationId) -> Result<Option<Arc<Live>>, ConversationError> {
        if let Some(live) = self.lock_live().get(id).and_then(Weak::upgrade) {
            return Ok(Some(live));
        }
        let Some(record) = self.store.conversation(id)? else {
            return Ok(None);
        };
        Ok(Some(self.insert_live(record)))
    }

    fn insert_live(&self, record: ConversationRecord) -> Arc<Live> {
        let mut map = self.lock_live();
        // Another connection may have loaded it meanwhile: share theirs.
        if let Some(live) = map.get(&record.id).and_then(Weak::upgrade) {
            return live;
        }
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let live = Arc::new(Live {
            id: record.id,
            record: tokio::sync::Mutex::new(record),
            events,
        });
        if map.len() >= 1024 && map.len().is_power_of_two() {
            map.retain(|_, weak| weak.strong_count() > 0);
        }
        map.insert(live.id, Arc::downgrade(&live));
        live
    }

    fn lock_live(&self) -> std::sync::MutexGuard<'_, HashMap<ConversationId, Weak<Live>>> {
        // The map holds no invariant a panic could break halfway.
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs a customer's turn: `turn` returns the entries (the customer's
    /// first) and, if nothing answered, the question to log.
    async fn customer_turn<F>(
        &self,
        live: &Live,
        client_id: &str,
        origin: ConnectionId,
        turn: F,
    ) -> Result<u64, ConversationError>
    where
        F: FnOnce(
            &Engine,
            &mut ConversationRecord,
        ) -> Result<(Vec<EntryBody>, Option<Unanswered>), ConversationError>,
    {
        let mut record = live.record.lock().await;
        if let Some(seq) = self.store.seq_of_client_id(&live.id, client_id)? {
            // Stored before, maybe not yet flushed if the first attempt is still
            // waiting for its flush: wait for durability before acking again.
            self.store.durable(0).await?;
            return Ok(seq);
        }
        let mut next = record.clone();
        if next.state == ConversationState::Closed {
            // Writing again after the end reopens the conversation with the bot.
            next.state = ConversationState::Bot;
        }
        let (bodies, unanswered) = turn(&self.engine, &mut next)?;
        if let Some(question) = &unanswered {
            self.store.record_unanswered(question)?;
        }
        let seq = next.last_seq + 1;
        self.commit(
            live,
            &mut record,
            next,
            bodies,
            Some(client_id),
            Some(origin),
        )
        .await?;
        Ok(seq)
    }

    /// Stores `bodies` as the next entries with `next` as the new record, waits
    /// until they are on disk, then publishes them.
    async fn commit(
        &self,
        live: &Live,
        record: &mut ConversationRecord,
        mut next: ConversationRecord,
        bodies: Vec<EntryBody>,
        client_id: Option<&str>,
        origin: Option<ConnectionId>,
    ) -> Result<(), ConversationError> {
        let entries = stamp(&mut next, bodies);
        self.store.append(&next, &entries, client_id)?;
        self.store.durable(entries.len()).await?;
        *record = next;
        for entry in entries {
            // No receiver is fine: nobody is connected to hear it.
            let _ = live.events.send(Event::Entry {
                entry: Arc::new(entry),
                origin,
            });
        }
        Ok(())
    }

    fn locale_of(&self, record: &ConversationRecord) -> Locale {
        let content = self.engine.content();
        content
            .l10n
            .locale(&record.locale)
            .unwrap_or_else(|| content.l10n.default_locale())
    }

    fn text(&self, record: &ConversationRecord, msg: &Msg<'_>) -> String {
        self.engine
            .content()
            .l10n
            .text(&self.locale_of(record), msg)
    }
}

/// Numbers `bodies` after the record's last seq and advances it.
fn stamp(record: &mut ConversationRecord, bodies: Vec<EntryBody>) -> Vec<TranscriptEntry> {
    let ts = now_rfc3339();
    bodies
        .into_iter()
        .map(|body| {
            record.last_seq += 1;
            TranscriptEntry {
                seq: record.last_seq,
                body,
                ts: ts.clone(),
            }
        })
        .collect()
}
