//! The store: a small trait, and sled behind it.
//!
//! Writes land in memory first; [`Store::durable`] resolves once everything
//! written before the call is on disk. Callers await it before they tell a client
//! that something is stored (an `ack`), and concurrent callers share one flush
//! (group commit).

mod model;
mod sled_store;

use std::future::Future;
use std::pin::Pin;

pub use model::{
    AgentRef, ArticleRef, ConversationId, ConversationRecord, ConversationState, Customer,
    EntryBody, Feedback, HandoffReason, HandoffRecord, HandoffStatus, IntentSeen, LocaleSwitch,
    Party, PendingSlot, Priority, QuickReply, Rating, SessionToken, TranscriptEntry, Unanswered,
};
pub use sled_store::{FlushStats, SledStore};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sled: {0}")]
    Sled(#[from] sled::Error),
    #[error("corrupt record under {key}: {source}")]
    Corrupt {
        key: String,
        source: serde_json::Error,
    },
    #[error("could not encode a record: {0}")]
    Encode(serde_json::Error),
    #[error("conversation {0} is not in the store")]
    MissingConversation(ConversationId),
    #[error("the flush thread has stopped")]
    FlusherGone,
    #[error("flush failed: {0}")]
    Flush(String),
}

/// Resolves once the writes made before it was created are on disk.
pub type Durable = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>;

pub trait Store: Send + Sync {
    /// Stores a new conversation and the hash of its session token.
    fn create_conversation(
        &self,
        record: &ConversationRecord,
        session: &SessionToken,
    ) -> Result<(), StoreError>;

    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError>;

    fn conversation_by_session(
        &self,
        session: &SessionToken,
    ) -> Result<Option<ConversationId>, StoreError>;

    /// Atomically appends `entries` (their seqs follow the stored `last_seq`
    /// without gaps), stores `record` (whose `last_seq` is the last entry's), and,
    /// when the entries answer a client frame, remembers its id under the seq of
    /// the first entry.
    fn append(
        &self,
        record: &ConversationRecord,
        entries: &[TranscriptEntry],
        client_id: Option<&str>,
    ) -> Result<(), StoreError>;

    /// The seq a client frame id was stored under, if it was.
    fn seq_of_client_id(
        &self,
        conversation: &ConversationId,
        client_id: &str,
    ) -> Result<Option<u64>, StoreError>;

    /// Every entry with a seq above `after`, in order.
    fn transcript_after(
        &self,
        conversation: &ConversationId,
        after: u64,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        self.transcript_page(conversation, after, usize::MAX)
    }

    /// At most `limit` entries with a seq above `after`, in order.
    fn transcript_page(
        &self,
        conversation: &ConversationId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError>;

    /// At most `limit` entries with a seq below `before`, the newest of
    /// them, in order (oldest first).
    fn transcript_before(
        &self,
        conversation: &ConversationId,
        before: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError>;

    /// Stores a conversation's place in the handoff queue (or its holder).
    fn save_handoff(&self, record: &HandoffRecord) -> Result<(), StoreError>;

    /// Removes a conversation from the handoff queue.
    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError>;

    /// Every conversation queued for or held by a person.
    fn handoffs(&self) -> Result<Vec<HandoffRecord>, StoreError>;

    /// Logs a question nothing answered.
    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError>;

    /// The logged unanswered questions, newest first, at most `limit`.
    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError>;

    /// Resolves once everything written so far is on disk; `entries` is how many
    /// transcript entries the caller is waiting for (for the flush statistics).
    fn durable(&self, entries: usize) -> Durable;
}
