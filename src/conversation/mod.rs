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
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use serde::Serialize;
use tokio::sync::{broadcast, mpsc};

pub use content::{Content, ContentError};
pub use engine::{Engine, Reply, ARTICLE_CHOICE, FEEDBACK_NO, FEEDBACK_YES, INTENT_CHOICE};

use crate::domain::QueueEntry;
use crate::domain::{
    AgentRef, ClientKey, ConversationId, ConversationRecord, ConversationState, Customer,
    EntryBody, HandoffReason, HandoffStatus, IntentSeen, Priority, Rating, Sender, SessionToken,
    Timestamp, TranscriptEntry, Unanswered,
};
use crate::handoff::{weekday_code, AgentEvent, Handoff, HandoffError, HandoffEvent, Placement};
use crate::l10n::{Locale, Msg};
use crate::nlu::entities;
use crate::storage::{Store, StoreError, WriteIntent};

/// How many events a slow connection may fall behind before it rereads the
/// transcript from the store.
const EVENT_BUFFER: usize = 64;
/// Handoff events acted on at once (each is a short commit).
const HANDOFF_WORKERS: usize = 32;
/// The transcript an agent is sent with a conversation: at most this many of
/// the newest entries, and at most this many bytes of them; older entries are
/// fetched on demand ([`Conversations::history`]).
pub const TRANSCRIPT_WINDOW_ENTRIES: usize = 50;
pub const TRANSCRIPT_WINDOW_BYTES: usize = 128 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Handoff(#[from] HandoffError),
    #[error("{0}")]
    Invalid(&'static str),
    #[error("no such conversation")]
    NotFound,
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
    /// The agent holding the conversation is typing.
    AgentTyping { on: bool },
    /// The conversation was erased: its connections close.
    Erased,
}

/// What an agent sees of a conversation (PROTOCOL.md, `conversation`).
#[derive(Debug, Clone, Serialize)]
pub struct ConversationContext {
    pub conversation: ConversationId,
    pub locale: String,
    pub customer: Option<Customer>,
    pub reason: Option<HandoffReason>,
    pub summary: String,
    pub intents: Vec<IntentSeen>,
    pub articles_shown: Vec<String>,
    /// The newest entries (at most [`TRANSCRIPT_WINDOW_ENTRIES`] and
    /// [`TRANSCRIPT_WINDOW_BYTES`]), oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// Older entries exist: ask for them with `history`.
    pub earlier: bool,
}

/// A page of older transcript entries, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub conversation: ConversationId,
    pub entries: Vec<TranscriptEntry>,
    /// Still older entries exist.
    pub earlier: bool,
}

/// The entries of one customer turn, and what else it leads to.
struct TurnOutput {
    entries: Vec<EntryBody>,
    unanswered: Option<Unanswered>,
}

/// A conversation with at least one connected client.
pub struct Live {
    pub id: ConversationId,
    record: tokio::sync::Mutex<ConversationRecord>,
    events: broadcast::Sender<Event>,
    /// Open customer connections.
    connections: AtomicUsize,
    /// The store generation the record was read at ([`Store::generation`]).
    generation: AtomicU64,
    /// The network address of the newest customer connection.
    address: Mutex<Option<IpAddr>>,
    /// A new conversation lives in memory until the customer does something:
    /// its session token and the entries (the greeting) not yet stored. Taken
    /// by the first commit, under the record's lock.
    unstored: Mutex<Option<Unstored>>,
}

struct Unstored {
    token: SessionToken,
    entries: Vec<TranscriptEntry>,
}

impl Live {
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    fn address(&self) -> Option<IpAddr> {
        *self.address.lock().unwrap_or_else(|e| e.into_inner())
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
    /// Entries of a new conversation to send after `welcome` (the greeting):
    /// they are not in the store yet, so no replay would find them.
    pub unsent: Vec<TranscriptEntry>,
    /// While held, the customer counts as present (for the queue).
    _presence: Presence,
}

/// One open customer connection of a conversation; when the last one goes,
/// the handoff queue learns that the customer is away.
struct Presence {
    live: Arc<Live>,
    handoff: Arc<Handoff>,
}

impl Presence {
    fn new(live: &Arc<Live>, handoff: &Arc<Handoff>, address: Option<IpAddr>) -> Self {
        if address.is_some() {
            *live.address.lock().unwrap_or_else(|e| e.into_inner()) = address;
        }
        if live.connections.fetch_add(1, Ordering::AcqRel) == 0 {
            handoff.customer_present(live.id, true);
        }
        Self {
            live: Arc::clone(live),
            handoff: Arc::clone(handoff),
        }
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        if self.live.connections.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.handoff.customer_present(self.live.id, false);
        }
    }
}

pub struct Conversations {
    store: Arc<dyn Store>,
    engine: Engine,
    handoff: Arc<Handoff>,
    live: Mutex<HashMap<ConversationId, Weak<Live>>>,
    /// Session tokens (their hashes) of conversations not stored yet, so a
    /// second tab can resume one before the customer has written anything.
    unstored_sessions: Mutex<HashMap<[u8; 32], Weak<Live>>>,
    next_connection: AtomicU64,
}

fn customer_message(client_id: &str, text: String, locale: &str) -> EntryBody {
    EntryBody::Message {
        from: Sender::Customer,
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

/// A one-line summary of what the bot learned, for the agent.
fn summarize(record: &ConversationRecord, reason: HandoffReason, last_text: &str) -> String {
    let mut parts = vec![reason.describe().to_owned()];
    let intents: Vec<&str> = record
        .intents
        .iter()
        .rev()
        .take(3)
        .map(|i| i.intent.as_str())
        .collect();
    if !intents.is_empty() {
        parts.push(intents.join(", "));
    }
    for (entity, value) in &record.entities {
        parts.push(format!("{}: {value}", entity.replace('_', " ")));
    }
    let last: String = last_text.chars().take(80).collect();
    let ellipsis = if last_text.chars().count() > 80 {
        "…"
    } else {
        ""
    };
    parts.push(format!("“{last}{ellipsis}”"));
    parts.join(" · ")
}

impl Conversations {
    pub fn new(store: Arc<dyn Store>, content: Arc<Content>, handoff: Arc<Handoff>) -> Self {
        Self {
            store,
            handoff,
            engine: Engine::new(content),
            live: Mutex::new(HashMap::new()),
            unstored_sessions: Mutex::new(HashMap::new()),
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

    /// `Err(reason)` while the store cannot write.
    pub fn store_health(&self) -> Result<(), String> {
        self.store.health()
    }

    /// Locks a conversation's record, first reading it again if the store
    /// was reopened since (after a failure, the store is the truth: writes
    /// that were never acknowledged may or may not have reached it).
    async fn lock_record<'a>(
        &self,
        live: &'a Live,
    ) -> tokio::sync::MutexGuard<'a, ConversationRecord> {
        let mut record = live.record.lock().await;
        let generation = self.store.generation();
        if live.generation.swap(generation, Ordering::AcqRel) != generation {
            match self.store.conversation(&live.id) {
                Ok(Some(stored)) => *record = stored,
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(conversation_id = %live.id, %error, "cannot reread the conversation");
                    live.generation.store(u64::MAX, Ordering::Release);
                }
            }
        }
        record
    }

    pub fn handoff(&self) -> &Arc<Handoff> {
        &self.handoff
    }

    /// Acts on what the handoff module reports (customers to tell,
    /// conversations whose agent or customer is gone), until the channel
    /// closes. Each event is handled under its conversation's lock, against
    /// the handoff module's state at that moment.
    pub fn listen_to_handoff(self: &Arc<Self>, mut events: mpsc::Receiver<HandoffEvent>) {
        let conversations = Arc::clone(self);
        let workers = Arc::new(tokio::sync::Semaphore::new(HANDOFF_WORKERS));
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                let Ok(permit) = Arc::clone(&workers).acquire_owned().await else {
                    return;
                };
                let conversations = Arc::clone(&conversations);
                tokio::spawn(async move {
                    let (id, result) = match event {
                        HandoffEvent::Tell(id) => (id, conversations.tell_queued(id).await),
                        HandoffEvent::AgentGone(id) => (id, conversations.agent_gone(id).await),
                        HandoffEvent::CustomerGone(id) => {
                            (id, conversations.customer_gone(id).await)
                        }
                    };
                    if let Err(error) = result {
                        tracing::error!(conversation_id = %id, ?event, %error, "cannot act on a handoff event");
                    }
                    drop(permit);
                });
            }
        });
    }

    /// Tells a waiting customer where they stand now.
    async fn tell_queued(&self, id: ConversationId) -> Result<(), ConversationError> {
        let Some(live) = self.live(&id)? else {
            return Ok(());
        };
        let mut record = self.lock_record(&live).await;
        if record.state != ConversationState::Queued {
            // Claimed, closed or back with the bot meanwhile: clears the pending notice.
            let _ = self.handoff.notice(id);
            return Ok(());
        }
        let Some((position, wait)) = self.handoff.notice(id) else {
            return Ok(());
        };
        let next = record.clone();
        let entries = self.queued_entries(&next, position, wait, true);
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        Ok(())
    }

    /// The agent holding the conversation did not come back in time: back
    /// to the queue at its original place, and the customer is told.
    async fn agent_gone(&self, id: ConversationId) -> Result<(), ConversationError> {
        let Some(live) = self.live(&id)? else {
            return Ok(());
        };
        let mut record = self.lock_record(&live).await;
        let Some((position, wait)) = self.handoff.requeue_abandoned(id) else {
            return Ok(());
        };
        let mut next = record.clone();
        next.state = ConversationState::Queued;
        let entries = self.queued_entries(&next, position, wait, false);
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        Ok(())
    }

    /// A waiting customer has been away too long (and left no email): the
    /// conversation leaves the queue and returns to the bot; the customer
    /// reads why when they come back.
    async fn customer_gone(&self, id: ConversationId) -> Result<(), ConversationError> {
        let Some(live) = self.live(&id)? else {
            return Ok(());
        };
        let mut record = self.lock_record(&live).await;
        if !self.handoff.leave_if_away(id)? {
            return Ok(());
        }
        let mut next = record.clone();
        next.state = ConversationState::Bot;
        next.awaiting_email = false;
        let left = self.text(&next, &Msg::QueueLeft);
        let entries = vec![
            EntryBody::handoff(HandoffStatus::ReturnedToBot),
            EntryBody::text(Sender::System, left, &next.locale),
        ];
        tracing::info!(conversation_id = %id, "customer away too long: left the queue");
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        Ok(())
    }

    /// The `handoff` entry and message that tell a customer their place.
    fn queued_entries(
        &self,
        record: &ConversationRecord,
        position: u32,
        wait: u64,
        update: bool,
    ) -> Vec<EntryBody> {
        let minutes = wait.div_ceil(60).max(1);
        let msg = if update {
            Msg::HandoffQueuedUpdate { position, minutes }
        } else {
            Msg::HandoffQueued { position, minutes }
        };
        vec![
            EntryBody::Handoff {
                status: HandoffStatus::Queued,
                position: Some(position),
                estimated_wait_s: Some(wait),
                agent: None,
                opens_at: None,
            },
            EntryBody::text(Sender::System, self.text(record, &msg), &record.locale),
        ]
    }

    /// Puts `next` in the queue; the entries that tell the customer. A full
    /// queue is told politely and the conversation stays with the bot.
    fn hand_off(
        &self,
        next: &mut ConversationRecord,
        reason: HandoffReason,
        priority: Priority,
        last_text: &str,
        address: Option<IpAddr>,
    ) -> Result<Vec<EntryBody>, ConversationError> {
        let summary = summarize(next, reason, last_text);
        let placement = match self.handoff.enqueue(
            next.id,
            &next.locale,
            reason,
            priority,
            summary,
            next.customer.clone(),
            address,
        ) {
            Ok(placement) => placement,
            Err(HandoffError::QueueFull(waiting) | HandoffError::AddressFull(waiting)) => {
                tracing::warn!(conversation_id = %next.id, waiting, ?address, "queue full: handoff refused");
                metrics::counter!("switchboard_handoffs_refused_total").increment(1);
                return Ok(vec![EntryBody::text(
                    Sender::System,
                    self.text(next, &Msg::QueueFull),
                    &next.locale,
                )]);
            }
            Err(error) => return Err(error.into()),
        };
        next.state = ConversationState::Queued;
        tracing::info!(conversation_id = %next.id, locale = %next.locale, ?reason, ?priority, "handed off");
        Ok(match placement {
            Placement::Queued {
                position,
                estimated_wait_s,
            } => self.queued_entries(next, position, estimated_wait_s, false),
            Placement::Offline { opens_at } => {
                next.awaiting_email = true;
                let time = format!("{:02}:{:02}", opens_at.hour(), opens_at.minute());
                let when = self.text(
                    next,
                    &Msg::OpensAt {
                        day: weekday_code(&opens_at),
                        time: &time,
                    },
                );
                let utc = opens_at.timestamp().to_string();
                vec![
                    EntryBody::Handoff {
                        status: HandoffStatus::Offline,
                        position: None,
                        estimated_wait_s: None,
                        agent: None,
                        opens_at: Some(utc),
                    },
                    EntryBody::text(
                        Sender::System,
                        self.text(next, &Msg::HandoffOffline { opens_at: &when }),
                        &next.locale,
                    ),
                ]
            }
        })
    }

    pub fn connection_id(&self) -> ConnectionId {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// Resumes the conversation of a session token; `None` if the token is unknown.
    pub async fn resume(
        &self,
        token: &str,
        address: Option<IpAddr>,
    ) -> Result<Option<Session>, ConversationError> {
        let token = SessionToken::presented(token);
        let live = match self.store.conversation_by_session(&token)? {
            Some(id) => self.live(&id)?,
            None => self
                .unstored_sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&token.hash())
                .and_then(Weak::upgrade),
        };
        let Some(live) = live else {
            return Ok(None);
        };
        let events = live.subscribe();
        let record = self.lock_record(&live).await;
        let locale = self.locale_of(&record);
        let last_seq = record.last_seq;
        drop(record);
        let presence = Presence::new(&live, &self.handoff, address);
        Ok(Some(Session {
            live,
            token,
            locale,
            resumed: true,
            last_seq,
            events,
            unsent: Vec::new(),
            _presence: presence,
        }))
    }

    /// Starts a new conversation with its greeting. Nothing is stored until
    /// the customer writes (or ends it): a hello costs memory only while its
    /// socket is open. `requested_locale` is negotiated (unknown: English).
    pub fn start(
        &self,
        requested_locale: Option<&str>,
        customer: Option<Customer>,
        address: Option<IpAddr>,
    ) -> Session {
        let locale = self.engine.content().l10n.negotiate(requested_locale);
        let token = SessionToken::random();
        let mut record = ConversationRecord::new(
            ConversationId::random(),
            locale.as_str(),
            customer,
            Timestamp::now(),
        );
        let greeting = self.engine.greeting(&mut record);
        let entries = stamp(&mut record, vec![greeting]);
        tracing::info!(conversation_id = %record.id, locale = %locale, "conversation started");
        let live = self.insert_live(record);
        *live.unstored.lock().unwrap_or_else(|e| e.into_inner()) = Some(Unstored {
            token: token.clone(),
            entries: entries.clone(),
        });
        {
            let mut sessions = self
                .unstored_sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            // Conversations whose sockets all closed unstored are gone: forget them now and then.
            if sessions.len() >= 1024 && sessions.len().is_power_of_two() {
                sessions.retain(|_, weak| weak.strong_count() > 0);
            }
            sessions.insert(token.hash(), Arc::downgrade(&live));
        }
        let events = live.subscribe();
        let presence = Presence::new(&live, &self.handoff, address);
        Session {
            live,
            token,
            locale,
            resumed: false,
            last_seq: 0,
            events,
            unsent: entries,
            _presence: presence,
        }
    }

    /// At most `limit` entries after `after`, in order.
    pub fn transcript_page(
        &self,
        id: &ConversationId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, ConversationError> {
        Ok(self.store.transcript_page(id, after, limit)?)
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
        let address = live.address();
        self.customer_turn(live, client_id, origin, |this, record| {
            if record.state != ConversationState::Bot {
                return Ok(this.while_with_people(record, client_id, text));
            }
            let reply = this.engine.on_text(record, text);
            // The customer's entry carries the language the bot settled on.
            let mut entries = vec![customer_message(client_id, text.to_owned(), &record.locale)];
            entries.extend(reply.entries);
            if let Some((reason, priority)) = reply.handoff {
                entries.extend(this.hand_off(record, reason, priority, text, address)?);
            }
            let unanswered = reply.unanswered.then(|| Unanswered {
                locale: record.locale.clone(),
                text: text.to_owned(),
                conversation: record.id,
                ts: Timestamp::now(),
            });
            Ok(TurnOutput {
                entries,
                unanswered,
            })
        })
        .await
    }

    /// A customer message while a person has (or will have) the
    /// conversation: the bot stays silent, except to take an email address
    /// it asked for when support was offline.
    fn while_with_people(
        &self,
        record: &mut ConversationRecord,
        client_id: &str,
        text: &str,
    ) -> TurnOutput {
        let mut entries = vec![customer_message(client_id, text.to_owned(), &record.locale)];
        if record.awaiting_email {
            if let Some(email) = entities::email(text) {
                record.awaiting_email = false;
                record.customer.get_or_insert_with(Customer::default).email = Some(email.clone());
                if let Err(error) = self
                    .handoff
                    .update_customer(record.id, record.customer.clone())
                {
                    tracing::error!(conversation_id = %record.id, %error, "cannot store the email on the queue item");
                }
                entries.push(EntryBody::text(
                    Sender::System,
                    self.text(record, &Msg::EmailSaved { email: &email }),
                    &record.locale,
                ));
            }
        }
        TurnOutput {
            entries,
            unanswered: None,
        }
    }

    /// A pressed quick reply: stored as the customer's message (its label) and answered.
    pub async fn choice(
        &self,
        live: &Live,
        client_id: &str,
        value: &str,
        origin: ConnectionId,
    ) -> Result<u64, ConversationError> {
        let address = live.address();
        self.customer_turn(live, client_id, origin, |this, record| {
            if !record.offered_choices.iter().any(|v| v == value) {
                return Err(ConversationError::Invalid("choice value was never offered"));
            }
            let label = this
                .engine
                .choice_label(record, value)
                .ok_or(ConversationError::Invalid("choice value is not known"))?;
            if record.state != ConversationState::Bot {
                return Ok(this.while_with_people(record, client_id, &label));
            }
            let mut entries = vec![customer_message(client_id, label.clone(), &record.locale)];
            let reply = this
                .engine
                .on_choice(record, value)
                .ok_or(ConversationError::Invalid("choice value means nothing now"))?;
            entries.extend(reply.entries);
            if let Some((reason, priority)) = reply.handoff {
                entries.extend(this.hand_off(record, reason, priority, &label, address)?);
            }
            Ok(TurnOutput {
                entries,
                unanswered: None,
            })
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
        let mut record = self.lock_record(live).await;
        let is_bot_message = self
            .store
            .transcript_after(&live.id, seq.saturating_sub(1))?
            .first()
            .is_some_and(|e| {
                e.seq == seq
                    && matches!(
                        e.body,
                        EntryBody::Message {
                            from: Sender::Bot,
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
        let mut entries = Vec::new();
        if next.state == ConversationState::Bot {
            let reply = self.engine.on_feedback(&mut next, seq, helpful);
            entries = reply.entries;
            if let Some((reason, priority)) = reply.handoff {
                entries.extend(self.hand_off(&mut next, reason, priority, "", live.address())?);
            }
        } else {
            // A person has the conversation: just remember the answer.
            next.note_feedback(crate::domain::Feedback {
                seq,
                helpful,
                ts: Timestamp::now(),
            });
        }
        self.commit(live, &mut record, next, entries, None, None)
            .await
            .map(|_| ())
    }

    /// The satisfaction survey, after `closed`.
    pub async fn rating(
        &self,
        live: &Live,
        score: u8,
        comment: Option<String>,
    ) -> Result<(), ConversationError> {
        let mut record = self.lock_record(live).await;
        if record.state != ConversationState::Closed {
            return Err(ConversationError::Invalid(
                "rating is only possible after the conversation is closed",
            ));
        }
        let mut next = record.clone();
        next.rating = Some(Rating {
            score,
            comment: comment.clone(),
            ts: Timestamp::now(),
        });
        let body = self.engine.system_text(&next, &Msg::RatingThanks);
        tracing::info!(conversation_id = %live.id, score, "rating");
        let agent = next.closed_by_agent.clone();
        self.commit(live, &mut record, next, vec![body], None, None)
            .await?;
        if let Some(agent) = agent {
            self.handoff.tell_agent(
                &agent,
                AgentEvent::Rating {
                    conversation: live.id,
                    score,
                    comment,
                },
            );
        }
        Ok(())
    }

    /// The customer ends the conversation; ending a closed one does nothing.
    pub async fn end(&self, live: &Live) -> Result<(), ConversationError> {
        let mut record = self.lock_record(live).await;
        if record.state == ConversationState::Closed {
            return Ok(());
        }
        if record.state != ConversationState::Bot {
            match self.handoff.finish(None, live.id) {
                Ok(Some(agent)) => self.handoff.tell_agent(
                    &agent,
                    AgentEvent::Closed {
                        conversation: live.id,
                        by: Sender::Customer,
                    },
                ),
                Ok(None) | Err(HandoffError::NotFound) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let mut next = record.clone();
        next.state = ConversationState::Closed;
        next.pending_slot = None;
        next.awaiting_email = false;
        let closing = format!(
            "{} {}",
            self.text(&next, &Msg::ClosedCustomer),
            self.text(&next, &Msg::SurveyAsk)
        );
        let bodies = vec![
            EntryBody::text(Sender::System, closing, &next.locale),
            EntryBody::Closed {
                by: Sender::Customer,
                survey: true,
            },
        ];
        tracing::info!(conversation_id = %live.id, "closed by customer");
        self.commit(live, &mut record, next, bodies, None, None)
            .await
            .map(|_| ())
    }

    /// The customer is typing: the agent holding the conversation sees it.
    pub async fn customer_typing(&self, live: &Live, on: bool) {
        if self.lock_record(live).await.state == ConversationState::WithAgent {
            self.handoff.tell_holder(
                &live.id,
                AgentEvent::Typing {
                    conversation: live.id,
                    on,
                },
            );
        }
    }

    fn live_or_not_found(&self, id: &ConversationId) -> Result<Arc<Live>, ConversationError> {
        self.live(id)?.ok_or(ConversationError::NotFound)
    }

    /// `agent` claims a queued conversation: exactly one concurrent claimer
    /// wins and gets the context; the customer is told who joined.
    pub async fn claim(
        &self,
        agent: &str,
        id: ConversationId,
    ) -> Result<ConversationContext, ConversationError> {
        let live = self.live_or_not_found(&id)?;
        let mut record = self.lock_record(&live).await;
        let claimed = self.handoff.claim(agent, id)?;
        if record.state != ConversationState::WithAgent {
            let mut next = record.clone();
            next.state = ConversationState::WithAgent;
            next.awaiting_email = false;
            let joined = self.text(&next, &Msg::HandoffAssigned { agent });
            let entries = vec![
                EntryBody::Handoff {
                    status: HandoffStatus::Assigned,
                    position: None,
                    estimated_wait_s: None,
                    agent: Some(AgentRef {
                        name: agent.to_owned(),
                    }),
                    opens_at: None,
                },
                EntryBody::text(Sender::System, joined, &next.locale),
            ];
            self.commit(&live, &mut record, next, entries, None, None)
                .await?;
            tracing::info!(conversation_id = %id, agent, "claimed");
        }
        self.context_of(&record, Some(claimed))
    }

    /// What an agent sees of a conversation.
    pub async fn context(
        &self,
        id: &ConversationId,
    ) -> Result<ConversationContext, ConversationError> {
        let live = self.live_or_not_found(id)?;
        let record = self.lock_record(&live).await;
        self.context_of(&record, None)
    }

    fn context_of(
        &self,
        record: &ConversationRecord,
        queued: Option<QueueEntry>,
    ) -> Result<ConversationContext, ConversationError> {
        let queued = queued.or_else(|| self.handoff.record(&record.id));
        let (transcript, earlier) = self.window_before(&record.id, record.last_seq + 1)?;
        Ok(ConversationContext {
            conversation: record.id,
            locale: record.locale.clone(),
            customer: record.customer.clone(),
            reason: queued.as_ref().map(|q| q.reason),
            summary: queued.map(|q| q.summary).unwrap_or_default(),
            intents: record.intents.clone(),
            articles_shown: record.articles_shown.clone(),
            transcript,
            earlier,
        })
    }

    /// The newest entries before `before` that fit the transcript window,
    /// oldest first, and whether older ones exist.
    fn window_before(
        &self,
        id: &ConversationId,
        before: u64,
    ) -> Result<(Vec<TranscriptEntry>, bool), ConversationError> {
        let mut entries = self
            .store
            .transcript_before(id, before, TRANSCRIPT_WINDOW_ENTRIES)?;
        let mut bytes = 0;
        let mut keep = 0;
        for entry in entries.iter().rev() {
            let size = serde_json::to_vec(entry).map_or(0, |v| v.len());
            // Always at least one entry: a single entry is bounded by the text limits.
            if keep > 0 && bytes + size > TRANSCRIPT_WINDOW_BYTES {
                break;
            }
            bytes += size;
            keep += 1;
        }
        let dropped = entries.len() - keep;
        entries.drain(..dropped);
        let earlier = entries.first().is_some_and(|e| e.seq > 1);
        Ok((entries, earlier))
    }

    /// Older transcript entries of a conversation, before `before`, for an agent.
    pub async fn history(
        &self,
        id: &ConversationId,
        before: u64,
    ) -> Result<History, ConversationError> {
        if self.store.conversation(id)?.is_none() {
            return Err(ConversationError::NotFound);
        }
        let (entries, earlier) = self.window_before(id, before)?;
        Ok(History {
            conversation: *id,
            entries,
            earlier,
        })
    }

    /// A message from the agent holding the conversation; the seq it was
    /// stored under (a repeated id gets the same seq back).
    pub async fn agent_message(
        &self,
        agent: &str,
        id: ConversationId,
        client_id: &str,
        text: &str,
    ) -> Result<u64, ConversationError> {
        let live = self.live_or_not_found(&id)?;
        let mut record = self.lock_record(&live).await;
        self.handoff.check_holder(agent, &id)?;
        let key = ClientKey::Agent {
            agent,
            id: client_id,
        };
        if let Some(seq) = self.store.seq_of_client_id(&id, key)? {
            self.store.durable(0).await?;
            return Ok(seq);
        }
        let next = record.clone();
        let entry = EntryBody::Message {
            from: Sender::Agent,
            text: text.to_owned(),
            locale: next.locale.clone(),
            id: None,
            intent: None,
            confidence: None,
            quick_replies: Vec::new(),
            articles: Vec::new(),
            agent: Some(AgentRef {
                name: agent.to_owned(),
            }),
        };
        let seq = next.last_seq + 1;
        self.commit(&live, &mut record, next, vec![entry], Some(key), None)
            .await?;
        Ok(seq)
    }

    /// The agent holding the conversation is typing.
    pub fn agent_typing(
        &self,
        agent: &str,
        id: ConversationId,
        on: bool,
    ) -> Result<(), ConversationError> {
        self.handoff.check_holder(agent, &id)?;
        let live = self.live_or_not_found(&id)?;
        let _ = live.events.send(Event::AgentTyping { on });
        Ok(())
    }

    /// Runs an agent's action on a conversation: `change` updates the record
    /// (and the queue) and returns the entries that tell the customer.
    async fn agent_action<F>(&self, id: ConversationId, change: F) -> Result<(), ConversationError>
    where
        F: FnOnce(&Self, &mut ConversationRecord) -> Result<Vec<EntryBody>, ConversationError>,
    {
        let live = self.live_or_not_found(&id)?;
        let mut record = self.lock_record(&live).await;
        let mut next = record.clone();
        let entries = change(self, &mut next)?;
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        Ok(())
    }

    /// The agent puts the conversation back in the queue, at its original place.
    pub async fn release(&self, agent: &str, id: ConversationId) -> Result<(), ConversationError> {
        self.agent_action(id, |this, next| {
            let (position, wait) = this.handoff.release(agent, id)?;
            next.state = ConversationState::Queued;
            Ok(this.queued_entries(next, position, wait, true))
        })
        .await?;
        tracing::info!(conversation_id = %id, agent, "released");
        Ok(())
    }

    /// The agent hands the conversation back to the bot.
    pub async fn return_to_bot(
        &self,
        agent: &str,
        id: ConversationId,
    ) -> Result<(), ConversationError> {
        self.agent_action(id, |this, next| {
            this.handoff.finish(Some(agent), id)?;
            next.state = ConversationState::Bot;
            next.consecutive_misses = 0;
            next.consecutive_unhelpful = 0;
            let back = this.text(next, &Msg::HandoffReturned);
            Ok(vec![
                EntryBody::handoff(HandoffStatus::ReturnedToBot),
                EntryBody::text(Sender::System, back, &next.locale),
            ])
        })
        .await?;
        tracing::info!(conversation_id = %id, agent, "returned to the bot");
        Ok(())
    }

    /// The agent closes the conversation; the customer gets the survey.
    pub async fn agent_close(
        &self,
        agent: &str,
        id: ConversationId,
    ) -> Result<(), ConversationError> {
        self.agent_action(id, |this, next| {
            this.handoff.finish(Some(agent), id)?;
            next.state = ConversationState::Closed;
            next.closed_by_agent = Some(agent.to_owned());
            let closing = format!(
                "{} {}",
                this.text(next, &Msg::ClosedAgent { agent }),
                this.text(next, &Msg::SurveyAsk)
            );
            Ok(vec![
                EntryBody::text(Sender::System, closing, &next.locale),
                EntryBody::Closed {
                    by: Sender::Agent,
                    survey: true,
                },
            ])
        })
        .await?;
        self.handoff.tell_agent(
            agent,
            AgentEvent::Closed {
                conversation: id,
                by: Sender::Agent,
            },
        );
        tracing::info!(conversation_id = %id, agent, "closed by agent");
        Ok(())
    }

    /// Erases a conversation and everything about it (GDPR Art. 17, KVKK
    /// Art. 7): its open connections close, it leaves the queue, its agent is
    /// told it closed, and the store deletes it durably. False if unknown.
    pub async fn erase(&self, id: &ConversationId) -> Result<bool, ConversationError> {
        let live = self.lock_live().get(id).and_then(Weak::upgrade);
        // Held across the deletion: no turn of this conversation can write meanwhile.
        let _record = match &live {
            Some(live) => Some(self.lock_record(live).await),
            None => None,
        };
        if let Some(agent) = self.handoff.forget(*id) {
            self.handoff.tell_agent(
                &agent,
                AgentEvent::Closed {
                    conversation: *id,
                    by: Sender::System,
                },
            );
        }
        let erased = self.store.erase_conversation(id)?;
        if let Some(live) = &live {
            let _ = live.events.send(Event::Erased);
            self.lock_live().remove(id);
        }
        tracing::info!(conversation_id = %id, erased, "conversation erased");
        Ok(erased || live.is_some())
    }

    /// Erases every conversation of the customer with this `customer.id`;
    /// how many there were.
    pub async fn erase_customer(&self, customer: &str) -> Result<usize, ConversationError> {
        let mut erased = 0;
        for id in self.store.conversations_of_customer(customer)? {
            erased += usize::from(self.erase(&id).await?);
        }
        Ok(erased)
    }

    /// Erases conversations idle since `before`; how many.
    pub async fn erase_idle_since(
        &self,
        before: jiff::Timestamp,
    ) -> Result<usize, ConversationError> {
        let mut erased = 0;
        for id in self.store.conversations_idle_since(before)? {
            // One still in someone's hands is not idle, whatever its record says.
            if self.handoff.record(&id).is_some() {
                continue;
            }
            erased += usize::from(self.erase(&id).await?);
        }
        Ok(erased)
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
            connections: AtomicUsize::new(0),
            generation: AtomicU64::new(self.store.generation()),
            address: Mutex::new(None),
            unstored: Mutex::new(None),
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
    /// first) and, if nothing answered, the question to log. The agent
    /// holding the conversation, if any, is told of the customer's message.
    async fn customer_turn<F>(
        &self,
        live: &Live,
        client_id: &str,
        origin: ConnectionId,
        turn: F,
    ) -> Result<u64, ConversationError>
    where
        F: FnOnce(&Self, &mut ConversationRecord) -> Result<TurnOutput, ConversationError>,
    {
        let intent = self.store.write_intent();
        let mut record = self.lock_record(live).await;
        if let Some(seq) = self
            .store
            .seq_of_client_id(&live.id, ClientKey::Customer(client_id))?
        {
            // Stored before, maybe not yet flushed if the first attempt is still
            // waiting for its flush: wait for durability before acking again.
            self.store.durable(0).await?;
            return Ok(seq);
        }
        let mut next = record.clone();
        if next.state == ConversationState::Closed {
            // Writing again after the end reopens the conversation with the bot.
            next.state = ConversationState::Bot;
            next.closed_by_agent = None;
        }
        let output = turn(self, &mut next)?;
        if let Some(question) = &output.unanswered {
            self.store.record_unanswered(question)?;
        }
        let with_agent = next.state == ConversationState::WithAgent;
        let seq = next.last_seq + 1;
        let stored = self
            .commit_with(
                live,
                &mut record,
                next,
                output.entries,
                Some(ClientKey::Customer(client_id)),
                Some(origin),
                Some(intent),
            )
            .await?;
        if with_agent {
            if let Some(entry) = stored.into_iter().next() {
                self.handoff.tell_holder(
                    &live.id,
                    AgentEvent::Message {
                        conversation: live.id,
                        entry,
                    },
                );
            }
        }
        Ok(seq)
    }

    /// Stores `bodies` as the next entries with `next` as the new record, waits
    /// until they are on disk, then publishes them. The first commit of a new
    /// conversation also stores it, with its greeting and session token.
    async fn commit(
        &self,
        live: &Live,
        record: &mut ConversationRecord,
        next: ConversationRecord,
        bodies: Vec<EntryBody>,
        client: Option<ClientKey<'_>>,
        origin: Option<ConnectionId>,
    ) -> Result<Vec<Arc<TranscriptEntry>>, ConversationError> {
        self.commit_with(live, record, next, bodies, client, origin, None)
            .await
    }

    /// [`Self::commit`], letting go of the turn's write intent once written.
    #[allow(clippy::too_many_arguments)]
    async fn commit_with(
        &self,
        live: &Live,
        record: &mut ConversationRecord,
        mut next: ConversationRecord,
        bodies: Vec<EntryBody>,
        client: Option<ClientKey<'_>>,
        origin: Option<ConnectionId>,
        intent: Option<WriteIntent>,
    ) -> Result<Vec<Arc<TranscriptEntry>>, ConversationError> {
        let entries = stamp(&mut next, bodies);
        // A client frame's id names the first entry of its turn.
        let client = client.zip(entries.first().map(|e| e.seq));
        let unstored = live
            .unstored
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let appended = match &unstored {
            None => self.store.append(&next, &entries, client, None),
            Some(first) => {
                let all: Vec<TranscriptEntry> =
                    first.entries.iter().chain(&entries).cloned().collect();
                self.store.append(&next, &all, client, Some(&first.token))
            }
        };
        if let Err(error) = appended {
            // Still not stored: the next commit tries again.
            *live.unstored.lock().unwrap_or_else(|e| e.into_inner()) = unstored;
            return Err(error.into());
        }
        drop(intent);
        if let Some(first) = &unstored {
            // The store knows the token now.
            self.unstored_sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&first.token.hash());
        }
        self.store.durable(entries.len()).await?;
        *record = next;
        let entries: Vec<Arc<TranscriptEntry>> = entries.into_iter().map(Arc::new).collect();
        for entry in &entries {
            // No receiver is fine: nobody is connected to hear it.
            let _ = live.events.send(Event::Entry {
                entry: Arc::clone(entry),
                origin,
            });
        }
        Ok(entries)
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
    let ts = Timestamp::now();
    if !bodies.is_empty() {
        record.updated_at = Some(ts);
    }
    bodies
        .into_iter()
        .map(|body| {
            record.last_seq += 1;
            TranscriptEntry {
                seq: record.last_seq,
                body,
                ts,
            }
        })
        .collect()
}
