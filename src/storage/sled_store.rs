//! The sled implementation of [`Store`].
//!
//! Key layout (one tree each; every id is fixed-width so prefixes scan cleanly):
//!
//! | tree | key | value |
//! |---|---|---|
//! | `conversation_by_id` | conversation id (16 bytes) | JSON [`ConversationRecord`] |
//! | `conversation_by_session_hash` | SHA-256 of the session token (32 bytes) | conversation id (16 bytes) |
//! | `entry_by_conversation_seq` | conversation id (16) ++ seq (u64 big-endian, 8) | JSON [`TranscriptEntry`] |
//! | `seq_by_conversation_client_id` | conversation id (16) ++ client frame id (UTF-8) | seq (u64 big-endian) |
//! | `handoff_by_conversation` | conversation id (16 bytes) | JSON [`HandoffRecord`] |
//! | `unanswered_by_time` | nanoseconds since the epoch (u64 big-endian, 8) ++ conversation id (16) | JSON [`Unanswered`] |
//!
//! Big-endian seqs make a prefix scan of `entry_by_conversation_seq` return a
//! conversation's transcript in order.
//!
//! Durability: sled flushes by itself only every 500 ms, so [`Store::durable`]
//! hands the caller to a flush thread. The thread takes every request that is
//! waiting, runs one `flush`, and answers them all: while one fsync (about 4 ms
//! here) runs, the next batch gathers, so the number of flushes stays bounded
//! however many clients write (group commit).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;

use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use tokio::sync::oneshot;

use super::{
    ConversationId, ConversationRecord, Durable, HandoffRecord, SessionToken, Store, StoreError,
    TranscriptEntry, Unanswered,
};

const CONVERSATION_BY_ID: &str = "conversation_by_id";
const CONVERSATION_BY_SESSION_HASH: &str = "conversation_by_session_hash";
const ENTRY_BY_CONVERSATION_SEQ: &str = "entry_by_conversation_seq";
const SEQ_BY_CONVERSATION_CLIENT_ID: &str = "seq_by_conversation_client_id";
const UNANSWERED_BY_TIME: &str = "unanswered_by_time";
const HANDOFF_BY_CONVERSATION: &str = "handoff_by_conversation";
/// Unanswered questions kept; older ones are dropped as new ones arrive.
const UNANSWERED_KEPT: usize = 10_000;

/// How many flushes ran and how many transcript entries they made durable.
#[derive(Debug, Default)]
pub struct FlushStats {
    pub flushes: AtomicU64,
    pub entries: AtomicU64,
}

struct FlushRequest {
    entries: usize,
    done: oneshot::Sender<Result<(), String>>,
}

pub struct SledStore {
    db: sled::Db,
    conversation_by_id: sled::Tree,
    conversation_by_session_hash: sled::Tree,
    entry_by_conversation_seq: sled::Tree,
    seq_by_conversation_client_id: sled::Tree,
    unanswered_by_time: sled::Tree,
    handoff_by_conversation: sled::Tree,
    unanswered_inserts: AtomicU64,
    flush_requests: mpsc::Sender<FlushRequest>,
    stats: Arc<FlushStats>,
}

impl SledStore {
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let db = sled::Config::new().path(dir).open()?;
        let (flush_requests, requests) = mpsc::channel();
        let stats = Arc::new(FlushStats::default());
        let flusher_db = db.clone();
        let flusher_stats = Arc::clone(&stats);
        // A plain thread: the flush blocks on fsync, and the channel closes (ending
        // the thread) when the store is dropped.
        thread::Builder::new()
            .name("store-flush".into())
            .spawn(move || group_commit(&flusher_db, &requests, &flusher_stats))
            .map_err(|e| StoreError::Flush(format!("cannot start the flush thread: {e}")))?;
        Ok(Self {
            conversation_by_id: db.open_tree(CONVERSATION_BY_ID)?,
            conversation_by_session_hash: db.open_tree(CONVERSATION_BY_SESSION_HASH)?,
            entry_by_conversation_seq: db.open_tree(ENTRY_BY_CONVERSATION_SEQ)?,
            seq_by_conversation_client_id: db.open_tree(SEQ_BY_CONVERSATION_CLIENT_ID)?,
            unanswered_by_time: db.open_tree(UNANSWERED_BY_TIME)?,
            handoff_by_conversation: db.open_tree(HANDOFF_BY_CONVERSATION)?,
            unanswered_inserts: AtomicU64::new(0),
            db,
            flush_requests,
            stats,
        })
    }

    pub fn flush_stats(&self) -> &FlushStats {
        &self.stats
    }

    /// Flushes synchronously; used at shutdown.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

fn group_commit(db: &sled::Db, requests: &mpsc::Receiver<FlushRequest>, stats: &FlushStats) {
    while let Ok(first) = requests.recv() {
        let mut batch = vec![first];
        batch.extend(requests.try_iter());
        let result = db.flush().map(|_| ()).map_err(|e| e.to_string());
        let entries: usize = batch.iter().map(|r| r.entries).sum();
        stats.flushes.fetch_add(1, Ordering::Relaxed);
        stats.entries.fetch_add(entries as u64, Ordering::Relaxed);
        metrics::counter!("switchboard_store_flushes_total").increment(1);
        metrics::histogram!("switchboard_store_entries_per_flush").record(entries as f64);
        for request in batch {
            // The waiter may have gone (its connection closed); the data is flushed anyway.
            let _ = request.done.send(result.clone());
        }
    }
}

fn entry_key(conversation: &ConversationId, seq: u64) -> [u8; 24] {
    let mut key = [0u8; 24];
    key[..16].copy_from_slice(conversation.as_bytes());
    key[16..].copy_from_slice(&seq.to_be_bytes());
    key
}

fn client_id_key(conversation: &ConversationId, client_id: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(16 + client_id.len());
    key.extend_from_slice(conversation.as_bytes());
    key.extend_from_slice(client_id.as_bytes());
    key
}

fn decode<T: serde::de::DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
        key: hex::encode(key),
        source,
    })
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(StoreError::Encode)
}

fn seq_from(bytes: &[u8]) -> Option<u64> {
    bytes.try_into().ok().map(u64::from_be_bytes)
}

impl Store for SledStore {
    fn create_conversation(
        &self,
        record: &ConversationRecord,
        session: &SessionToken,
    ) -> Result<(), StoreError> {
        let value = encode(record)?;
        let result: Result<(), TransactionError<()>> =
            (&self.conversation_by_id, &self.conversation_by_session_hash).transaction(
                |(by_id, by_session)| {
                    by_id.insert(&record.id.as_bytes()[..], value.as_slice())?;
                    by_session.insert(&session.hash()[..], &record.id.as_bytes()[..])?;
                    Ok(())
                },
            );
        result.map_err(transaction_error)
    }

    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError> {
        self.conversation_by_id
            .get(id.as_bytes())?
            .map(|bytes| decode(id.as_bytes(), &bytes))
            .transpose()
    }

    fn conversation_by_session(
        &self,
        session: &SessionToken,
    ) -> Result<Option<ConversationId>, StoreError> {
        Ok(self
            .conversation_by_session_hash
            .get(session.hash())?
            .and_then(|bytes| ConversationId::from_bytes(&bytes)))
    }

    fn append(
        &self,
        record: &ConversationRecord,
        entries: &[TranscriptEntry],
        client_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let record_value = encode(record)?;
        let entry_values = entries
            .iter()
            .map(|entry| Ok((entry_key(&record.id, entry.seq), encode(entry)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let client_key = client_id.map(|id| client_id_key(&record.id, id));
        let first_seq = entries.first().map(|e| e.seq);
        let result: Result<(), TransactionError<()>> = (
            &self.conversation_by_id,
            &self.entry_by_conversation_seq,
            &self.seq_by_conversation_client_id,
        )
            .transaction(|(by_id, by_seq, by_client_id)| {
                by_id.insert(&record.id.as_bytes()[..], record_value.as_slice())?;
                for (key, value) in &entry_values {
                    by_seq.insert(&key[..], value.as_slice())?;
                }
                if let (Some(key), Some(seq)) = (&client_key, first_seq) {
                    by_client_id.insert(key.as_slice(), &seq.to_be_bytes()[..])?;
                }
                Ok::<(), ConflictableTransactionError<()>>(())
            });
        result.map_err(transaction_error)
    }

    fn seq_of_client_id(
        &self,
        conversation: &ConversationId,
        client_id: &str,
    ) -> Result<Option<u64>, StoreError> {
        Ok(self
            .seq_by_conversation_client_id
            .get(client_id_key(conversation, client_id))?
            .and_then(|bytes| seq_from(&bytes)))
    }

    fn transcript_page(
        &self,
        conversation: &ConversationId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        let start = entry_key(conversation, after.saturating_add(1));
        let end = entry_key(conversation, u64::MAX);
        self.entry_by_conversation_seq
            .range(start..=end)
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect()
    }

    fn transcript_before(
        &self,
        conversation: &ConversationId,
        before: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        if before <= 1 {
            return Ok(Vec::new());
        }
        let start = entry_key(conversation, 1);
        let end = entry_key(conversation, before - 1);
        let mut entries = self
            .entry_by_conversation_seq
            .range(start..=end)
            .rev()
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect::<Result<Vec<TranscriptEntry>, StoreError>>()?;
        entries.reverse();
        Ok(entries)
    }

    fn save_handoff(&self, record: &HandoffRecord) -> Result<(), StoreError> {
        self.handoff_by_conversation
            .insert(record.conversation.as_bytes(), encode(record)?)?;
        Ok(())
    }

    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError> {
        self.handoff_by_conversation
            .remove(conversation.as_bytes())?;
        Ok(())
    }

    fn handoffs(&self) -> Result<Vec<HandoffRecord>, StoreError> {
        self.handoff_by_conversation
            .iter()
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect()
    }

    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError> {
        let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let mut key = [0u8; 24];
        key[..8].copy_from_slice(&u64::try_from(nanos).unwrap_or(0).to_be_bytes());
        key[8..].copy_from_slice(question.conversation.as_bytes());
        self.unanswered_by_time.insert(key, encode(question)?)?;
        // Counting a sled tree walks it: prune now and then, not on every insert.
        if self.unanswered_inserts.fetch_add(1, Ordering::Relaxed) % 1000 == 999 {
            let excess = self
                .unanswered_by_time
                .len()
                .saturating_sub(UNANSWERED_KEPT);
            let oldest: Vec<sled::IVec> = self
                .unanswered_by_time
                .iter()
                .keys()
                .take(excess)
                .collect::<Result<_, _>>()?;
            for key in oldest {
                self.unanswered_by_time.remove(key)?;
            }
        }
        Ok(())
    }

    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError> {
        self.unanswered_by_time
            .iter()
            .rev()
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect()
    }

    fn durable(&self, entries: usize) -> Durable {
        let (done, waiter) = oneshot::channel();
        let sent = self
            .flush_requests
            .send(FlushRequest { entries, done })
            .is_ok();
        Box::pin(async move {
            if !sent {
                return Err(StoreError::FlusherGone);
            }
            match waiter.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(message)) => Err(StoreError::Flush(message)),
                Err(_) => Err(StoreError::FlusherGone),
            }
        })
    }
}

fn transaction_error(error: TransactionError<()>) -> StoreError {
    match error {
        TransactionError::Storage(e) => StoreError::Sled(e),
        // No transaction here aborts on purpose.
        TransactionError::Abort(()) => StoreError::Flush("transaction aborted".into()),
    }
}
