//! Conversations: the engine's policy applied turn by turn, with each
//! conversation's state and transcript kept in the store.
//!
//! A conversation that has a connected client lives in memory as a [`Live`]:
//! its record behind an async mutex (turns of one conversation run one at a
//! time, so seqs stay gap-free) and a broadcast channel that tells every
//! connection of that conversation about new transcript entries.

mod agent;
mod channel;
pub mod checks;
mod content;
mod customer;
mod engine;
pub mod facts;
mod help;
mod insights;
mod nodes;
mod queue;
mod registry;
mod report;
pub mod slots;
mod tally;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use serde::Serialize;
use tokio::sync::{broadcast, mpsc};

pub use crate::handoff::{AgentEvent, QueueItem, QueueView};
pub use agent::{AgentSession, TRANSCRIPT_WINDOW_BYTES, TRANSCRIPT_WINDOW_ENTRIES};
pub use channel::{ChannelSignal, Undelivered};
pub use content::{Content, ContentError};
pub use engine::{
    ActionCall, ActionOutcome, Engine, Reply, ARTICLE_CHOICE, FEEDBACK_NO, FEEDBACK_YES,
    HANDOFF_CHOICE, INTENT_CHOICE,
};
pub use facts::ShopFacts;
pub use help::HelpPage;
pub use insights::{ParsePreview, Ranked, UnansweredQuestion};
pub use registry::Live;
use registry::{stamp, Presence, Unstored};
pub use report::{
    ArticleFeedback, Durations, Figures, Report, ReportQuery, UnansweredRow, MAX_DAYS,
};

use crate::actions::Actions;
use crate::domain::{
    AgentProfile, AgentRef, ChannelKind, ChannelUser, ClientKey, ConversationId,
    ConversationRecord, ConversationState, Customer, DeadLetter, EntryBody, ErrorCode,
    HandoffReason, HandoffStatus, IntentSeen, MessageText, PendingAction, Priority, QueueEntry,
    Rating, Sender, SessionToken, TextError, Timestamp, TranscriptEntry, Unanswered,
};
use crate::handoff::{weekday_code, Handoff, HandoffError, HandoffEvent, Placement};
use crate::l10n::{Locale, Msg};
use crate::nlu::cache::ModelCache;
use crate::nlu::entities;
use crate::storage::{Store, StoreError, WriteIntent};

/// How many times a write is tried when the store refuses it because another
/// node wrote to the conversation first ([`StoreError::Conflict`]); each try
/// after the first reads what that node wrote. A customer and an agent on two
/// nodes writing at once conflict again and again only while both keep
/// writing within the same few milliseconds; one try more than once was not
/// enough for four messages sent at once from each side (a QA pass on three
/// nodes, 2026-12-02).
const CONFLICT_ATTEMPTS: u32 = 10;

/// Why a conversation could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    /// The store failed to read, write or flush; nothing was acknowledged.
    /// Clients see `internal`.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The handoff module refused (not queued, held by another agent, queue
    /// full) or could not store the queue item.
    #[error(transparent)]
    Handoff(#[from] HandoffError),
    /// The frame makes no sense now (a choice never offered, feedback on a
    /// seq that is not a bot message, a rating before `closed`); the text
    /// says which, in English. Clients see `bad_request`.
    #[error("{0}")]
    Invalid(&'static str),
    /// No conversation has that id. Clients see `not_found`.
    #[error("no such conversation")]
    NotFound,
    /// An agent's reply to a channel customer outside the channel's reply
    /// window (WhatsApp: 24 hours after the customer last wrote). Agents see
    /// `window_closed`.
    #[error("the channel's reply window is closed")]
    WindowClosed,
}

impl ConversationError {
    /// What an agent is told when this refuses their frame, where the
    /// code's customer-facing text would mislead: `not_found` also answers a
    /// conversation that exists but is neither queued nor held by them
    /// (claimed while still with the bot, written to after a release).
    /// `None`: the code's own text.
    pub fn staff_text(&self) -> Option<&'static str> {
        match self {
            ConversationError::Handoff(HandoffError::NotFound) => Some(
                "That conversation is neither waiting in the queue nor held by you: \
                 only a queued conversation can be claimed, and only its assignee can \
                 write to it, release it or close it.",
            ),
            _ => None,
        }
    }

    /// The protocol's code for it; unexpected causes are logged here (the
    /// client only ever sees `internal`).
    pub fn code(&self) -> ErrorCode {
        match self {
            ConversationError::Invalid(_) => ErrorCode::BadRequest,
            ConversationError::WindowClosed => ErrorCode::WindowClosed,
            ConversationError::NotFound | ConversationError::Handoff(HandoffError::NotFound) => {
                ErrorCode::NotFound
            }
            ConversationError::Handoff(HandoffError::AssignedToOther(_)) => {
                ErrorCode::AlreadyClaimed
            }
            ConversationError::Store(cause)
            | ConversationError::Handoff(HandoffError::Store(cause)) => {
                tracing::error!(error = %cause, "store failure");
                ErrorCode::Internal
            }
            ConversationError::Handoff(
                cause @ (HandoffError::QueueFull(_) | HandoffError::AddressFull(_)),
            ) => {
                tracing::error!(error = %cause, "queue refusal reached a client");
                ErrorCode::Internal
            }
        }
    }
}

/// Identifies one client connection, so it is not sent back its own messages.
pub type ConnectionId = u64;

/// Something that happened in a conversation, for its connections.
#[derive(Debug, Clone)]
pub enum Event {
    /// A transcript entry was stored (and flushed).
    Entry {
        /// The entry, shared by every connection that hears of it.
        entry: Arc<TranscriptEntry>,
        /// The connection whose `message` or `choice` caused it (it writes
        /// the entries itself, after its `ack`); `None` for every other entry
        /// (feedback, `end`, agents' actions, queue notices).
        origin: Option<ConnectionId>,
    },
    /// The agent holding the conversation started or stopped typing.
    AgentTyping {
        /// True while typing.
        on: bool,
    },
    /// The conversation was erased: its connections close.
    Erased,
}

/// What an agent sees of a conversation (PROTOCOL.md, `conversation`).
#[derive(Debug, Clone)]
pub struct ConversationContext {
    /// `conversation`: its id.
    pub conversation: ConversationId,
    /// `locale`: the language the conversation is in now (e.g. `tr`).
    pub locale: String,
    /// `customer`: what the widget said about the customer; `None` if nothing.
    pub customer: Option<Customer>,
    /// `reason`: why it went to a person (the latest time); `None` if it
    /// never did.
    pub reason: Option<HandoffReason>,
    /// `summary`: a one-line summary made as the context is (reason ·
    /// intents · entities · the customer's latest words); empty if it never
    /// went to a person.
    pub summary: String,
    /// `intents`: each intent recognised in the conversation once, with its
    /// latest confidence.
    pub intents: Vec<IntentSeen>,
    /// `articles_shown`: ids of the articles the bot has shown, in order.
    pub articles_shown: Vec<String>,
    /// The newest entries (at most [`TRANSCRIPT_WINDOW_ENTRIES`] and
    /// [`TRANSCRIPT_WINDOW_BYTES`]), oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// Older entries exist: ask for them with `history`.
    pub earlier: bool,
    /// `channel`: where the customer writes from.
    pub channel: ChannelKind,
    /// `dead_letters`: entries the channel gave up delivering (the customer
    /// never saw them), oldest first; empty on the web.
    pub dead_letters: Vec<DeadLetter>,
}

/// A page of older transcript entries, oldest first.
#[derive(Debug, Clone)]
pub struct History {
    /// The conversation.
    pub conversation: ConversationId,
    /// The newest entries before the requested seq that fit the transcript
    /// window ([`TRANSCRIPT_WINDOW_ENTRIES`], [`TRANSCRIPT_WINDOW_BYTES`]).
    pub entries: Vec<TranscriptEntry>,
    /// Still older entries exist.
    pub earlier: bool,
}

/// What a customer's message or choice came to: the seq the customer's
/// entry was stored under, and every entry the turn stored (the customer's
/// first), for the connection that sent it to write at once.
#[derive(Debug, Clone)]
pub struct TurnOutcome {
    /// The seq to `ack` the frame with: its first entry's.
    pub seq: u64,
    /// The entries this turn stored, in seq order; empty for a repeated
    /// frame id (already stored, nothing new).
    pub entries: Vec<Arc<TranscriptEntry>>,
}

/// What `hello` opened.
pub struct Session {
    /// The conversation's live handle.
    pub live: Arc<Live>,
    /// The session token for `welcome.session` (the one presented, on resume).
    pub token: SessionToken,
    /// The conversation's locale for `welcome.locale`.
    pub locale: Locale,
    /// `welcome.resumed`: true when a known token resumed a conversation.
    pub resumed: bool,
    /// The conversation's last seq before this hello (`welcome.last_seq`);
    /// 0 for a new conversation.
    pub last_seq: u64,
    /// The conversation's events, subscribed before `last_seq` was read, so
    /// nothing after it is missed.
    pub events: broadcast::Receiver<Event>,
    /// Entries of a new conversation to send after `welcome` (the greeting):
    /// they are not in the store yet, so no replay would find them.
    pub unsent: Vec<TranscriptEntry>,
    /// While held, the customer counts as present (for the queue).
    _presence: Presence,
}

/// The conversation layer: every conversation's turns, state and fan-out,
/// over the store, the content and the handoff module. One per server.
pub struct Conversations {
    store: Arc<dyn Store>,
    engine: Engine,
    actions: Arc<Actions>,
    handoff: Arc<Handoff>,
    live: Mutex<HashMap<ConversationId, Weak<Live>>>,
    /// Session tokens (their hashes) of conversations not stored yet, so a
    /// second tab, or a reload, can resume one before the customer has
    /// written anything.
    unstored_sessions: Mutex<HashMap<[u8; 32], Weak<Live>>>,
    /// Conversations not stored yet, newest last, each kept for
    /// [`UNSTORED_KEPT`] after its hello even with no socket open (at most
    /// [`UNSTORED_KEPT_MAX`]): a page reloaded or a phone that lost its
    /// connection before the first message resumes the same conversation.
    unstored_kept: Mutex<std::collections::VecDeque<(std::time::Instant, Arc<Live>)>>,
    /// Channel conversations in memory by [`ChannelUser::key`], so that two
    /// first messages at once open one conversation.
    channel_users: Mutex<HashMap<String, Weak<Live>>>,
    /// Where channel conversations' delivery workers hear of new entries.
    channel_signals: std::sync::OnceLock<mpsc::UnboundedSender<ChannelSignal>>,
    next_connection: AtomicU64,
    /// Daily figures counted since they were last written to the store
    /// ([`Conversations::flush_daily`]): a turn adds to memory only, so that
    /// it takes no store-wide lock.
    daily_pending: Mutex<HashMap<crate::domain::DailyKey, crate::domain::DailyCounts>>,
    /// Other nodes share the store ([`Conversations::join_nodes`]).
    several_nodes: std::sync::atomic::AtomicBool,
    /// Conversations held by agents connected here, kept in memory while
    /// other nodes share the store (`nodes`).
    pinned: Mutex<HashMap<ConversationId, Arc<Live>>>,
    /// Where reloads read and store trained models; `None`: they train.
    model_cache: Option<ModelCache>,
}

/// How long a conversation not stored yet (only its greeting) stays
/// resumable after its hello with no socket open ([`Conversations::start`]).
pub const UNSTORED_KEPT: std::time::Duration = std::time::Duration::from_secs(10 * 60);
/// At most this many such conversations are kept (a few KiB each); beyond
/// it the oldest go first.
pub const UNSTORED_KEPT_MAX: usize = 4096;

/// What a content reload made live.
#[derive(Debug, Clone, Serialize)]
pub struct Reloaded {
    /// Intents in the catalogue (out-of-scope class included).
    pub intents: usize,
    /// Articles, counting each language's copy.
    pub articles: usize,
    /// The supported locales, in folder-name order.
    pub locales: Vec<String>,
}

impl Conversations {
    /// The conversation engine over `store`, answering from `content` and
    /// the shop's `facts`, calling the company's backend through `actions`,
    /// handing conversations to people through `handoff`.
    pub fn new(
        store: Arc<dyn Store>,
        content: Arc<Content>,
        handoff: Arc<Handoff>,
        facts: ShopFacts,
        actions: Arc<Actions>,
    ) -> Self {
        let names = actions.names().map(str::to_owned).collect();
        Self {
            store,
            handoff,
            engine: Engine::new(content, facts, names),
            actions,
            live: Mutex::new(HashMap::new()),
            unstored_sessions: Mutex::new(HashMap::new()),
            unstored_kept: Mutex::new(std::collections::VecDeque::new()),
            channel_users: Mutex::new(HashMap::new()),
            channel_signals: std::sync::OnceLock::new(),
            next_connection: AtomicU64::new(1),
            daily_pending: Mutex::new(HashMap::new()),
            several_nodes: std::sync::atomic::AtomicBool::new(false),
            pinned: Mutex::new(HashMap::new()),
            model_cache: None,
        }
    }

    /// Reloads ([`Conversations::reload`]) read and store trained models in
    /// `cache`.
    #[must_use]
    pub fn with_model_cache(mut self, cache: Option<ModelCache>) -> Self {
        self.model_cache = cache;
        self
    }

    /// Runs what works in the background (telling waiting customers their
    /// place, queue views, grace periods) until `shutdown`.
    pub fn run_background(
        self: &Arc<Self>,
        events: mpsc::Receiver<HandoffEvent>,
        shutdown: tokio_util::sync::CancellationToken,
    ) {
        self.listen_to_handoff(events);
        tokio::spawn(Arc::clone(&self.handoff).run_publisher(shutdown));
    }

    /// Loads and trains the content under `dir` off the async threads, and
    /// makes it live for turns that start from then on; on any error
    /// ([`Content::load`]'s) the old content stays.
    pub async fn reload(&self, dir: &std::path::Path) -> Result<Reloaded, ContentError> {
        let (dir, cache) = (dir.to_owned(), self.model_cache.clone());
        let loaded = tokio::task::spawn_blocking(move || Content::load(&dir, cache.as_ref()))
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))?;
        let content = Arc::new(loaded);
        self.engine.replace(Arc::clone(&content));
        Ok(Reloaded {
            intents: content.nlu.intents().len(),
            articles: content.knowledge.articles().len(),
            locales: content
                .l10n
                .locales()
                .map(|l| l.as_str().to_owned())
                .collect(),
        })
    }

    /// `Err(reason)` while the store cannot write.
    pub fn store_health(&self) -> Result<(), String> {
        self.store.health()
    }

    /// The locale everything falls back to (English).
    pub fn default_locale(&self) -> Locale {
        self.engine.content().l10n.default_locale()
    }

    /// The supported locale closest to what a client asked for (BCP 47).
    pub fn negotiate(&self, requested: Option<&str>) -> Locale {
        self.engine.content().l10n.negotiate(requested)
    }

    /// The text of an error code in `locale` (English without one).
    pub fn error_text(&self, locale: Option<&Locale>, code: ErrorCode) -> String {
        let content = self.engine.content();
        let locale = locale
            .cloned()
            .unwrap_or_else(|| content.l10n.default_locale());
        content.l10n.text(&locale, &Msg::Error { code })
    }

    /// Why a text was refused, in `locale` (English without one).
    pub fn text_error(&self, locale: Option<&Locale>, error: TextError) -> String {
        let content = self.engine.content();
        let locale = locale
            .cloned()
            .unwrap_or_else(|| content.l10n.default_locale());
        let msg = match error {
            TextError::Empty => Msg::TextEmpty,
            TextError::TooLong { max } => Msg::TextTooLong { max },
        };
        content.l10n.text(&locale, &msg)
    }

    /// The label of the button that opens a WhatsApp list of options, in
    /// `locale` (a supported locale's name; else English).
    pub fn list_button_label(&self, locale: &str) -> String {
        let content = self.engine.content();
        let locale = content
            .l10n
            .locale(locale)
            .unwrap_or_else(|| content.l10n.default_locale());
        content.l10n.text(&locale, &Msg::WhatsappListButton)
    }

    /// The language a conversation is in now.
    pub async fn locale_of_live(&self, live: &Live) -> Locale {
        let record = self.lock_record(live).await;
        self.locale_of(&record)
    }
}
