//! The store: a small trait, and fjall behind it.
//!
//! Writes land in memory first; [`Store::durable`] resolves once everything
//! written before the call is on disk. Callers await it before they tell a client
//! that something is stored (an `ack`), and concurrent callers share one flush
//! (group commit).

mod fjall_store;

use std::future::Future;
use std::pin::Pin;

use crate::domain::{
    ClientKey, ConversationId, ConversationRecord, QueueEntry, SessionToken, TranscriptEntry,
    Unanswered,
};

pub use fjall_store::{Damage, FjallStore, FlushStats};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Fjall(#[from] fjall::Error),
    #[error("cannot move the old sled store into the new one: {0}")]
    Migration(String),
    #[error("corrupt record under {key}: {source}")]
    Corrupt {
        key: String,
        source: serde_json::Error,
    },
    #[error("record under {key} fails its checksum")]
    Checksum { key: String },
    #[error("the store is damaged: {0} (start with --accept-store-damage to serve what is left)")]
    Damaged(String),
    #[error("the store cannot write: {0}")]
    Unavailable(String),
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

/// A turn that will write soon: while any is held, the group commit waits a
/// moment for it, so that one sync covers it too. Dropped when the turn has
/// written (or gives up).
pub struct WriteIntent(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl WriteIntent {
    pub fn new(writers: std::sync::Arc<std::sync::atomic::AtomicUsize>) -> Self {
        writers.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Self(writers)
    }
}

impl Drop for WriteIntent {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

pub trait Store: Send + Sync {
    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError>;

    fn conversation_by_session(
        &self,
        session: &SessionToken,
    ) -> Result<Option<ConversationId>, StoreError>;

    /// Atomically appends `entries` (their seqs follow the stored `last_seq`
    /// without gaps), stores `record` (whose `last_seq` is the last entry's),
    /// when the entries answer a client frame, remembers its id with the seq
    /// of the entry it became, and for a conversation's first write, the hash
    /// of its session token.
    fn append(
        &self,
        record: &ConversationRecord,
        entries: &[TranscriptEntry],
        client: Option<(ClientKey<'_>, u64)>,
        new_session: Option<&SessionToken>,
    ) -> Result<(), StoreError>;

    /// The seq a client frame id was stored under, if it was.
    fn seq_of_client_id(
        &self,
        conversation: &ConversationId,
        client: ClientKey<'_>,
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

    /// Stores a conversation's place in the handoff queue (or its assignee).
    fn save_handoff(&self, record: &QueueEntry) -> Result<(), StoreError>;

    /// Removes a conversation from the handoff queue.
    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError>;

    /// Every conversation queued for or held by a person.
    fn handoffs(&self) -> Result<Vec<QueueEntry>, StoreError>;

    /// Logs a question nothing answered.
    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError>;

    /// The logged unanswered questions, newest first, at most `limit`.
    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError>;

    /// Resolves once everything written so far is on disk; `entries` is how many
    /// transcript entries the caller is waiting for (for the flush statistics).
    fn durable(&self, entries: usize) -> Durable;

    /// Deletes a conversation and everything about it: record, transcript,
    /// indexes, queue item, logged questions; durable when it returns. False
    /// if it was not there.
    fn erase_conversation(&self, id: &ConversationId) -> Result<bool, StoreError>;

    /// The conversations of the customer with this `customer.id`.
    fn conversations_of_customer(&self, customer: &str) -> Result<Vec<ConversationId>, StoreError>;

    /// Conversations with no activity since `before`.
    fn conversations_idle_since(
        &self,
        before: jiff::Timestamp,
    ) -> Result<Vec<ConversationId>, StoreError>;

    /// `Err(reason)` while the store cannot write.
    fn health(&self) -> Result<(), String>;

    /// Tries to make a store that could not write, write again; true when it
    /// can (or always could).
    fn recover(&self) -> bool;

    /// Changes each time the store is reopened: state read before may be stale.
    fn generation(&self) -> u64;

    /// Announces a write that is being prepared (a customer's turn).
    fn write_intent(&self) -> WriteIntent;
}
