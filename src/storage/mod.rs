//! The store: a small trait, and two implementations behind it: fjall in
//! the data directory (the default, called `sled` on the command line) and
//! Redis (`--store redis://...`).
//!
//! Writes may land in memory first; [`Store::durable`] resolves once everything
//! written before the call is on disk. Callers await it before they tell a client
//! that something is stored (an `ack`); with fjall, concurrent callers share one
//! flush (group commit); with Redis, a write is durable when it returned.

mod fjall_store;
mod redis_store;

use std::future::Future;
use std::pin::Pin;

use crate::domain::{
    ChannelUser, ClientKey, ConversationId, ConversationRecord, DailyCounts, DailyKey,
    HandlingSample, NodePresence, QueueEntry, Relay, SessionToken, TranscriptEntry, Unanswered,
};

pub use fjall_store::{Damage, FjallStore, FlushStats, Workers, WORKERS};
pub use redis_store::{redacted, RedisStore};

/// Why the store could not read, write or flush.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// fjall refused an operation (I/O, a poisoned instance, a locked
    /// directory); a failed write also makes the store unhealthy.
    #[error("store: {0}")]
    Fjall(#[from] fjall::Error),
    /// Redis refused a command or could not be reached (I/O, a timeout,
    /// `MISCONF`, a wrong password); it also makes the store unhealthy.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// The store URL does not parse (the reason, with any password redacted).
    #[error("{0}")]
    Url(String),
    /// A write refused because the stored conversation is not what the
    /// writer read (its client id is stored already, or its `last_seq`
    /// moved): nothing was written, and [`Store::generation`] moved on so
    /// that the writer reads it again.
    #[error("conflicting write: {0}")]
    Conflict(String),
    /// Moving a sled store of an older version into fjall failed at open.
    #[error("cannot move the old sled store into the new one: {0}")]
    Migration(String),
    /// A value passed its checksum (or had none) but is not the JSON expected.
    #[error("corrupt record under {key}: {source}")]
    Corrupt {
        /// The key, in hex.
        key: String,
        /// What serde_json made of it.
        source: serde_json::Error,
    },
    /// A value whose CRC-32 does not match its bytes.
    #[error("record under {key} fails its checksum")]
    Checksum {
        /// The key, in hex.
        key: String,
    },
    /// The check at open found damage (what it found, `; `-separated) and
    /// the store was not opened with `accept_damage`.
    #[error("the store is damaged: {0} (start with --accept-store-damage to serve what is left)")]
    Damaged(String),
    /// A write refused because an earlier one failed and the store has not
    /// recovered yet (the reason given then), or because it is reopening.
    #[error("the store cannot write: {0}")]
    Unavailable(String),
    /// A record could not be serialised to JSON.
    #[error("could not encode a record: {0}")]
    Encode(serde_json::Error),
    /// The group-commit thread is gone (the store is being dropped).
    #[error("the flush thread has stopped")]
    FlusherGone,
    /// A sync of the journal failed (the reason given), or the manifest or
    /// flush thread could not be set up at open.
    #[error("flush failed: {0}")]
    Flush(String),
}

/// What a node hears from the other nodes of its deployment (a store shared
/// by several nodes: Redis). Every one names what changed, never the data:
/// the node reads that from the store, so a message lost in between loses
/// nothing but time ([`BusMessage::Resubscribed`] says when to read it all
/// again).
#[derive(Debug, Clone, PartialEq)]
pub enum BusMessage {
    /// A conversation's doorbell: entries were appended, the newest is `last_seq`.
    Bell {
        /// The conversation.
        conversation: ConversationId,
        /// Its `last_seq` after the append.
        last_seq: u64,
    },
    /// A conversation's queue item changed (queued, claimed, released, gone).
    Queue {
        /// The conversation.
        conversation: ConversationId,
    },
    /// Another node's short-lived event ([`Relay`]); a node also hears its own.
    Relay(Relay),
    /// The subscription was (re)established: anything published while it was
    /// down was missed, so every conversation and the queue are read again.
    Resubscribed,
    /// This node now hears a conversation's doorbell ([`Store::hear`]): an
    /// append made before the subscription took effect was not rung here, so
    /// the conversation is read again.
    Hearing {
        /// The conversation.
        conversation: ConversationId,
    },
}

/// While held, this node hears the doorbell of one conversation's appends
/// made by other nodes ([`Store::hear`]); dropping it stops that.
#[derive(Default)]
pub struct Hearing(Option<Box<dyn FnOnce() + Send + Sync>>);

impl Hearing {
    /// A hearing that ends with `stop`.
    pub fn until(stop: impl FnOnce() + Send + Sync + 'static) -> Self {
        Self(Some(Box::new(stop)))
    }
}

impl Drop for Hearing {
    fn drop(&mut self) {
        if let Some(stop) = self.0.take() {
            stop();
        }
    }
}

/// What a compare-and-set of a queue item found ([`Store::swap_handoff`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Swap {
    /// The stored item had the expected assignee and was replaced.
    Done,
    /// It had another (the stored item, `None` if there is none): nothing written.
    Refused(Option<Box<QueueEntry>>),
}

/// Resolves once the writes made before it was created are on disk.
pub type Durable = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>;

/// A turn that will write soon: while any is held, the group commit waits a
/// moment for it, so that one sync covers it too. Dropped when the turn has
/// written (or gives up).
pub struct WriteIntent(std::sync::Arc<dyn InFlight>);

impl WriteIntent {
    /// Counts one more turn in flight on `writers` until the intent is dropped.
    pub fn new(writers: std::sync::Arc<dyn InFlight>) -> Self {
        writers.begin();
        Self(writers)
    }
}

impl Drop for WriteIntent {
    fn drop(&mut self) {
        self.0.end();
    }
}

/// A store's count of turns in flight ([`WriteIntent`]).
pub trait InFlight: Send + Sync {
    /// A turn starts working out what it will write.
    fn begin(&self);
    /// That turn has written, or gave up.
    fn end(&self);
}

/// A plain count of turns in flight, for a store that only reads it.
impl InFlight for std::sync::atomic::AtomicUsize {
    fn begin(&self) {
        self.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    fn end(&self) {
        self.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Where conversations, their transcripts and the handoff queue are kept;
/// with several nodes on one store, also how they hear of each other's
/// changes ([`RedisStore::listen`]).
///
/// Reads see every write made before them, flushed or not; only
/// [`Store::durable`] says what is on disk. Every method errs with
/// [`StoreError`] when the engine fails (I/O, a damaged value); writes also
/// err with [`StoreError::Unavailable`] while the store cannot write.
pub trait Store: Send + Sync {
    /// The record of conversation `id`; `None` if it is not stored.
    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError>;

    /// The conversation a session token belongs to (looked up by the token's
    /// SHA-256); `None` for a token the store does not know.
    fn conversation_by_session(
        &self,
        session: &SessionToken,
    ) -> Result<Option<ConversationId>, StoreError>;

    /// The conversation of a messaging-channel customer; `None` if they
    /// never wrote (or it was erased).
    fn conversation_by_channel_user(
        &self,
        user: &ChannelUser,
    ) -> Result<Option<ConversationId>, StoreError>;

    /// In one atomic batch: stores `record`, appends `entries`, and with
    /// `client`, remembers a client frame's id with the seq of the entry it
    /// became (so a repeated id gets the same `ack`). `new_session` is given
    /// on a conversation's first write only: its token is stored as its
    /// SHA-256, and the record's `customer.id`, if any, is indexed; so is its
    /// `channel`, whose delivery cursor starts at 0.
    ///
    /// `changed` is false when `record` differs from the one stored last in
    /// its [`TurnMarks`](crate::domain::TurnMarks) only: a store may then
    /// write just those (the embedded store does; Redis writes the whole
    /// record every time). It must be true on a conversation's first write.
    ///
    /// The caller numbers `entries` after the stored `last_seq` without gaps
    /// and sets `record.last_seq` to the last one's; the store does not
    /// check. The batch is in memory when this returns: await
    /// [`Store::durable`] before acknowledging it.
    fn append(
        &self,
        record: &ConversationRecord,
        changed: bool,
        entries: &[TranscriptEntry],
        client: Option<(ClientKey<'_>, u64)>,
        new_session: Option<&SessionToken>,
    ) -> Result<(), StoreError>;

    /// The seq of the first entry a client frame id became; `None` if that
    /// id was never stored in this conversation.
    fn seq_of_client_id(
        &self,
        conversation: &ConversationId,
        client: ClientKey<'_>,
    ) -> Result<Option<u64>, StoreError>;

    /// Every entry with a seq above `after` (0: the whole transcript), in
    /// seq order.
    fn transcript_after(
        &self,
        conversation: &ConversationId,
        after: u64,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        self.transcript_page(conversation, after, usize::MAX)
    }

    /// At most `limit` entries with a seq above `after`, in seq order.
    fn transcript_page(
        &self,
        conversation: &ConversationId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError>;

    /// The newest `limit` (at most) entries with a seq below `before`, in
    /// seq order (oldest first); empty when `before` is 0 or 1.
    fn transcript_before(
        &self,
        conversation: &ConversationId,
        before: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError>;

    /// Every messaging-channel conversation with the seq its channel has
    /// delivered up to (its delivery cursor), in conversation id order.
    fn delivery_cursors(&self) -> Result<Vec<(ConversationId, u64)>, StoreError>;

    /// The delivery cursor of a channel conversation; `None` for a web one.
    fn delivery_cursor(&self, conversation: &ConversationId) -> Result<Option<u64>, StoreError>;

    /// Moves a channel conversation's delivery cursor to `seq` (everything up
    /// to it is delivered or dead-lettered). Durable with the next flush: a
    /// crash before it delivers those entries again (at least once).
    fn set_delivery_cursor(
        &self,
        conversation: &ConversationId,
        seq: u64,
    ) -> Result<(), StoreError>;

    /// Stores a conversation's queue item (its place, or its assignee),
    /// replacing the one stored before.
    fn save_handoff(&self, record: &QueueEntry) -> Result<(), StoreError>;

    /// Removes a conversation's queue item; nothing happens if there is none.
    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError>;

    /// Every conversation queued for or held by a person, in conversation id
    /// order (not queue order).
    fn handoffs(&self) -> Result<Vec<QueueEntry>, StoreError>;

    /// The queue item of one conversation; `None` if it is neither queued
    /// nor held. The default reads them all: for a store that only one
    /// node reads this from, it is only called after a [`BusMessage`].
    fn handoff(&self, conversation: &ConversationId) -> Result<Option<QueueEntry>, StoreError> {
        Ok(self
            .handoffs()?
            .into_iter()
            .find(|entry| entry.conversation == *conversation))
    }

    /// Compare-and-set of a queue item's assignee: stores `record` only if
    /// the stored item of its conversation exists and is assigned to
    /// `expected` (`None`: to nobody). This is what makes one claim win
    /// across nodes. The default reads, then writes: right for a store only
    /// one process writes, where the handoff module's lock already makes the
    /// pair atomic.
    fn swap_handoff(
        &self,
        expected: Option<&str>,
        record: &QueueEntry,
    ) -> Result<Swap, StoreError> {
        let stored = self.handoff(&record.conversation)?;
        match &stored {
            Some(item) if item.agent.as_deref() == expected => {
                self.save_handoff(record)?;
                Ok(Swap::Done)
            }
            _ => Ok(Swap::Refused(stored.map(Box::new))),
        }
    }

    /// Takes, or renews, `holder`'s lease on delivering a channel
    /// conversation's entries, for `ttl`; false while another holder's
    /// lease runs (it delivers them). With several nodes this keeps two
    /// nodes from sending the same entry at once. A store one node uses
    /// alone needs none: always true (the default).
    fn delivery_lease(
        &self,
        conversation: &ConversationId,
        holder: &str,
        ttl: std::time::Duration,
    ) -> Result<bool, StoreError> {
        let _ = (conversation, holder, ttl);
        Ok(true)
    }

    /// Gives up `holder`'s delivery lease of a conversation, if it holds it.
    fn end_delivery_lease(
        &self,
        conversation: &ConversationId,
        holder: &str,
    ) -> Result<(), StoreError> {
        let _ = (conversation, holder);
        Ok(())
    }

    /// Tells every node of the deployment `relay` (they hear it as
    /// [`BusMessage::Relay`]). Nothing to do for a store one node uses
    /// alone (the default).
    fn publish(&self, relay: &Relay) -> Result<(), StoreError> {
        let _ = relay;
        Ok(())
    }

    /// Renews this node's presence (`mine`, stale after its `until_ms`) and
    /// returns the other nodes' presences that are not stale yet (dropping
    /// the stale ones). A store one node uses alone has no others (the
    /// default).
    fn heartbeat(&self, mine: &NodePresence) -> Result<Vec<NodePresence>, StoreError> {
        let _ = mine;
        Ok(Vec::new())
    }

    /// Remembers a measured handling time, keeping only the newest `keep` of
    /// its locale (older ones of that locale are removed).
    fn record_handling(&self, sample: &HandlingSample, keep: usize) -> Result<(), StoreError>;

    /// The remembered handling times of every locale, oldest first.
    fn handling_times(&self) -> Result<Vec<HandlingSample>, StoreError>;

    /// Logs a question nothing answered, keyed by the time of the call; only
    /// about the newest 10,000 are kept (older ones are pruned every 1,000
    /// logs).
    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError>;

    /// The logged unanswered questions, newest first, at most `limit`.
    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError>;

    /// Adds each counter of `delta` to the daily counters under `key` (a
    /// counter not stored yet starts at 0): a merge, never a replacement, so
    /// concurrent callers lose none of each other's counts (a Redis store
    /// does one `HINCRBY` per counter). In memory when this returns; durable
    /// with the next flush ([`Store::durable`]). The counters' names and
    /// meaning: [`crate::domain::daily`].
    fn add_daily(&self, key: &DailyKey, delta: &DailyCounts) -> Result<(), StoreError>;

    /// Every stored key whose UTC day is in `from..=to`, with its counters,
    /// by day, then locale, then channel; empty when `from` is after `to`.
    fn daily(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<(DailyKey, DailyCounts)>, StoreError>;

    /// Resolves once everything written so far is on disk; `entries` is how many
    /// transcript entries the caller is waiting for (for the flush statistics).
    /// Concurrent callers share one sync (group commit).
    ///
    /// The future errs with [`StoreError::Flush`] if the sync failed or the
    /// store cannot write, and [`StoreError::FlusherGone`] if the flush thread
    /// has stopped: either way nothing written since the last good flush may
    /// be acknowledged.
    fn durable(&self, entries: usize) -> Durable;

    /// Deletes a conversation and everything about it: record, transcript,
    /// indexes, queue item, logged questions; durable when it returns. False
    /// if it was not there.
    fn erase_conversation(&self, id: &ConversationId) -> Result<bool, StoreError>;

    /// The conversations of the customer with this `customer.id` (as given
    /// in `hello` when each conversation was first stored).
    fn conversations_of_customer(&self, customer: &str) -> Result<Vec<ConversationId>, StoreError>;

    /// Conversations whose newest entry (else their start) is older than
    /// `before`. Records that do not decode are skipped.
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

    /// Whether this process is the only writer of the store, so that what it
    /// wrote since it opened the store is all that changed there. The
    /// default, `false`, suits a store shared by several nodes.
    fn sole_writer(&self) -> bool {
        false
    }

    /// Starts hearing other nodes' appends to `conversation` (it is live on
    /// this node) until the returned [`Hearing`] is dropped. The default, for
    /// a store no other node writes to, hears nothing.
    fn hear(&self, _conversation: &ConversationId) -> Hearing {
        Hearing::default()
    }

    /// Makes everything written so far durable; called at shutdown. The
    /// default does nothing: for a store whose writes are durable when they
    /// return.
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// How many group-commit syncs ran and how many entries they covered;
    /// `None` for a store without group commit.
    fn flush_stats(&self) -> Option<&FlushStats> {
        None
    }
}
