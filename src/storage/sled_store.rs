//! The sled implementation of [`Store`].
//!
//! Key layout (one tree each; every id is fixed-width so prefixes scan cleanly):
//!
//! | tree | key | value |
//! |---|---|---|
//! | `conversation_by_id` | conversation id (16 bytes) | [`ConversationRecord`] |
//! | `conversation_by_session_hash` | SHA-256 of the session token (32 bytes) | conversation id (16 bytes) |
//! | `session_hash_by_conversation` | conversation id (16 bytes) | SHA-256 of its session token (32 bytes) |
//! | `conversation_by_customer` | customer id (UTF-8) ++ `\0` ++ conversation id (16) | empty |
//! | `entry_by_conversation_seq` | conversation id (16) ++ seq (u64 big-endian, 8) | [`TranscriptEntry`] |
//! | `seq_by_conversation_client_id` | conversation id (16) ++ [`ClientKey`] bytes (`c\0` id, or `a\0` agent `\0` id) | seq (u64 big-endian) |
//! | `handoff_by_conversation` | conversation id (16 bytes) | [`HandoffRecord`] |
//! | `unanswered_by_time` | nanoseconds since the epoch (u64 big-endian, 8) ++ conversation id (16) | [`Unanswered`] |
//!
//! Big-endian seqs make a prefix scan of `entry_by_conversation_seq` return a
//! conversation's transcript in order. Record values are `0x01`, the CRC-32
//! (IEEE, little-endian) of the JSON, then the JSON; values written before
//! checksums (they start with `{`) are read as plain JSON.
//!
//! **Durability.** sled flushes by itself only every 500 ms, so
//! [`Store::durable`] hands the caller to a flush thread. The thread takes
//! every request that is waiting, runs one `flush`, and answers them all:
//! while one fsync runs, the next batch gathers, so the number of flushes
//! stays bounded however many clients write (group commit).
//!
//! **Damage.** A manifest beside the store (`manifest.json`) records how many
//! conversations the store held at its last flush; it is rewritten at most once
//! a second after flushes that changed the count. At open, the store is checked
//! against it and against itself (every index entry points to a record, every
//! record and each conversation's newest entry pass their checksum): sled
//! recovers a truncated or bit-flipped log silently, so without this a damaged
//! store would start with conversations missing and say nothing.
//!
//! **A full disk.** sled's I/O errors are sticky: once a flush fails, that
//! instance never writes again. The store then reports itself unhealthy
//! ([`Store::health`]), refuses writes, and [`Store::recover`] reopens it (all
//! handles dropped, the same directory opened afresh) once a probe file can be
//! written and synced again. Nothing acknowledged is lost: acks wait for a
//! flush that succeeded.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use tokio::sync::oneshot;

use super::{
    ClientKey, ConversationId, ConversationRecord, Durable, HandoffRecord, SessionToken, Store,
    StoreError, TranscriptEntry, Unanswered,
};

const CONVERSATION_BY_ID: &str = "conversation_by_id";
const CONVERSATION_BY_SESSION_HASH: &str = "conversation_by_session_hash";
const SESSION_HASH_BY_CONVERSATION: &str = "session_hash_by_conversation";
const CONVERSATION_BY_CUSTOMER: &str = "conversation_by_customer";
const ENTRY_BY_CONVERSATION_SEQ: &str = "entry_by_conversation_seq";
const SEQ_BY_CONVERSATION_CLIENT_ID: &str = "seq_by_conversation_client_id";
const UNANSWERED_BY_TIME: &str = "unanswered_by_time";
const HANDOFF_BY_CONVERSATION: &str = "handoff_by_conversation";
/// Unanswered questions kept; older ones are dropped as new ones arrive.
const UNANSWERED_KEPT: usize = 10_000;
/// The manifest beside the store.
const MANIFEST: &str = "manifest.json";
/// The manifest is rewritten at most this often.
const MANIFEST_INTERVAL: Duration = Duration::from_secs(1);
/// The first byte of a checksummed value.
const CHECKSUMMED: u8 = 0x01;
/// How long a reopen waits for in-flight operations to let go of the old instance.
const REOPEN_WAIT: Duration = Duration::from_secs(2);

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

/// One opened sled instance and its trees.
struct Inner {
    db: sled::Db,
    conversation_by_id: sled::Tree,
    conversation_by_session_hash: sled::Tree,
    session_hash_by_conversation: sled::Tree,
    conversation_by_customer: sled::Tree,
    entry_by_conversation_seq: sled::Tree,
    seq_by_conversation_client_id: sled::Tree,
    unanswered_by_time: sled::Tree,
    handoff_by_conversation: sled::Tree,
}

impl Inner {
    fn open(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        // sled's default cache is 1 GiB, which it fills as data is written:
        // the server's memory would grow for an hour before it levelled off.
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .open()?;
        Ok(Self {
            conversation_by_id: db.open_tree(CONVERSATION_BY_ID)?,
            conversation_by_session_hash: db.open_tree(CONVERSATION_BY_SESSION_HASH)?,
            session_hash_by_conversation: db.open_tree(SESSION_HASH_BY_CONVERSATION)?,
            conversation_by_customer: db.open_tree(CONVERSATION_BY_CUSTOMER)?,
            entry_by_conversation_seq: db.open_tree(ENTRY_BY_CONVERSATION_SEQ)?,
            seq_by_conversation_client_id: db.open_tree(SEQ_BY_CONVERSATION_CLIENT_ID)?,
            unanswered_by_time: db.open_tree(UNANSWERED_BY_TIME)?,
            handoff_by_conversation: db.open_tree(HANDOFF_BY_CONVERSATION)?,
            db,
        })
    }
}

/// What the manifest records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    conversations: u64,
}

/// State shared with the flush thread.
struct Shared {
    dir: PathBuf,
    cache_bytes: u64,
    /// The open instance; `None` while it is being reopened.
    inner: RwLock<Option<Arc<Inner>>>,
    /// Why the store cannot write, once it could not.
    failure: Mutex<Option<String>>,
    /// Counts reopenings: a reader of older state knows to read again.
    generation: AtomicU64,
    /// Conversations in the store (after the writes made so far).
    conversations: AtomicU64,
    manifest: Mutex<(Manifest, Instant)>,
    stats: FlushStats,
}

pub struct SledStore {
    shared: Arc<Shared>,
    unanswered_inserts: AtomicU64,
    flush_requests: mpsc::Sender<FlushRequest>,
}

/// What is wrong with a store found damaged at open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Damage {
    pub problems: Vec<String>,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problems.join("; "))
    }
}

impl SledStore {
    /// Opens the store in `dir` with a page cache of `cache_bytes` and checks
    /// it; a damaged store is refused with what is missing unless
    /// `accept_damage` (then the manifest is rewritten to what is there, and
    /// the damage is logged).
    pub fn open(dir: &Path, cache_bytes: u64, accept_damage: bool) -> Result<Self, StoreError> {
        let inner = Inner::open(dir, cache_bytes)?;
        let (conversations, damage) = check(dir, &inner)?;
        if !damage.problems.is_empty() {
            if !accept_damage {
                return Err(StoreError::Damaged(damage.to_string()));
            }
            tracing::error!(%damage, "the store is damaged; starting anyway as asked (--accept-store-damage)");
        }
        let manifest = Manifest { conversations };
        write_manifest(dir, manifest).map_err(|e| StoreError::Flush(e.to_string()))?;
        let shared = Arc::new(Shared {
            dir: dir.to_owned(),
            cache_bytes,
            inner: RwLock::new(Some(Arc::new(inner))),
            failure: Mutex::new(None),
            generation: AtomicU64::new(0),
            conversations: AtomicU64::new(conversations),
            manifest: Mutex::new((manifest, Instant::now())),
            stats: FlushStats::default(),
        });
        let (flush_requests, requests) = mpsc::channel();
        let flusher = Arc::clone(&shared);
        // A plain thread: the flush blocks on fsync, and the channel closes (ending
        // the thread) when the store is dropped.
        thread::Builder::new()
            .name("store-flush".into())
            .spawn(move || group_commit(&flusher, &requests))
            .map_err(|e| StoreError::Flush(format!("cannot start the flush thread: {e}")))?;
        Ok(Self {
            shared,
            unanswered_inserts: AtomicU64::new(0),
            flush_requests,
        })
    }

    pub fn flush_stats(&self) -> &FlushStats {
        &self.shared.stats
    }

    /// Flushes synchronously; used at shutdown.
    pub fn flush(&self) -> Result<(), StoreError> {
        let inner = self.inner()?;
        inner.db.flush().map_err(|e| self.failed(e))?;
        self.shared.write_manifest_now();
        Ok(())
    }

    fn inner(&self) -> Result<Arc<Inner>, StoreError> {
        self.shared.inner()
    }

    /// Notes a sled error; an I/O error means the instance cannot write any more.
    fn failed(&self, error: sled::Error) -> StoreError {
        self.shared.note(&error);
        StoreError::Sled(error)
    }

    fn write<T>(&self, result: Result<T, sled::Error>) -> Result<T, StoreError> {
        result.map_err(|e| self.failed(e))
    }

    fn transaction(&self, result: Result<(), TransactionError<()>>) -> Result<(), StoreError> {
        result.map_err(|error| match error {
            TransactionError::Storage(e) => self.failed(e),
            // No transaction here aborts on purpose.
            TransactionError::Abort(()) => StoreError::Flush("transaction aborted".into()),
        })
    }

    fn refuse_if_failed(&self) -> Result<(), StoreError> {
        match self.shared.failure() {
            Some(reason) => Err(StoreError::Unavailable(reason)),
            None => Ok(()),
        }
    }
}

impl Shared {
    fn inner(&self) -> Result<Arc<Inner>, StoreError> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| StoreError::Unavailable("the store is reopening".into()))
    }

    fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn note(&self, error: &sled::Error) {
        if let sled::Error::Io(io) = error {
            let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
            if failure.is_none() {
                tracing::error!(error = %io, "the store cannot write: readiness is off until it recovers");
                metrics::counter!("switchboard_store_failures_total").increment(1);
                *failure = Some(io.to_string());
            }
        }
    }

    /// Rewrites the manifest if the count changed and the last write is old enough.
    fn maybe_write_manifest(&self) {
        let mut manifest = self.manifest.lock().unwrap_or_else(|e| e.into_inner());
        let now = Manifest {
            conversations: self.conversations.load(Ordering::Acquire),
        };
        if now != manifest.0 && manifest.1.elapsed() >= MANIFEST_INTERVAL {
            match write_manifest(&self.dir, now) {
                Ok(()) => *manifest = (now, Instant::now()),
                Err(error) => tracing::warn!(%error, "cannot write the store manifest"),
            }
        }
    }

    fn write_manifest_now(&self) {
        let mut manifest = self.manifest.lock().unwrap_or_else(|e| e.into_inner());
        let now = Manifest {
            conversations: self.conversations.load(Ordering::Acquire),
        };
        match write_manifest(&self.dir, now) {
            Ok(()) => *manifest = (now, Instant::now()),
            Err(error) => tracing::warn!(%error, "cannot write the store manifest"),
        }
    }
}

fn group_commit(shared: &Shared, requests: &mpsc::Receiver<FlushRequest>) {
    while let Ok(first) = requests.recv() {
        // The count must not run ahead of what this flush covers.
        let counted = shared.conversations.load(Ordering::Acquire);
        let mut batch = vec![first];
        batch.extend(requests.try_iter());
        let result = match (shared.failure(), shared.inner()) {
            (Some(reason), _) => Err(reason),
            (None, Err(error)) => Err(error.to_string()),
            (None, Ok(inner)) => inner.db.flush().map(|_| ()).map_err(|e| {
                shared.note(&e);
                e.to_string()
            }),
        };
        let entries: usize = batch.iter().map(|r| r.entries).sum();
        shared.stats.flushes.fetch_add(1, Ordering::Relaxed);
        shared
            .stats
            .entries
            .fetch_add(entries as u64, Ordering::Relaxed);
        metrics::counter!("switchboard_store_flushes_total").increment(1);
        metrics::histogram!("switchboard_store_entries_per_flush").record(entries as f64);
        for request in batch {
            // The waiter may have gone (its connection closed); the data is flushed anyway.
            let _ = request.done.send(result.clone());
        }
        if result.is_ok() && counted == shared.conversations.load(Ordering::Acquire) {
            shared.maybe_write_manifest();
        }
    }
}

fn write_manifest(dir: &Path, manifest: Manifest) -> std::io::Result<()> {
    use std::io::Write;
    let temp = dir.join(format!("{MANIFEST}.tmp"));
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(&serde_json::to_vec(&manifest).map_err(std::io::Error::other)?)?;
    file.sync_all()?;
    std::fs::rename(&temp, dir.join(MANIFEST))?;
    std::fs::File::open(dir)?.sync_all()
}

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(dir.join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Checks a freshly opened store against its manifest and itself; returns
/// how many conversations it holds and what is wrong.
fn check(dir: &Path, inner: &Inner) -> Result<(u64, Damage), StoreError> {
    let mut damage = Damage::default();
    let mut conversations = 0u64;
    let mut corrupt = Vec::new();
    let mut no_newest_entry = Vec::new();
    for item in inner.conversation_by_id.iter() {
        let (key, value) = item?;
        conversations += 1;
        let record: ConversationRecord = match decode(&key, &value) {
            Ok(record) => record,
            Err(_) => {
                corrupt.push(format!("conversation {}", hex::encode(&key)));
                continue;
            }
        };
        if record.last_seq == 0 {
            continue;
        }
        match inner
            .entry_by_conversation_seq
            .get(entry_key(&record.id, record.last_seq))?
        {
            None => no_newest_entry.push(record.id.to_string()),
            Some(entry) => {
                if decode::<TranscriptEntry>(&key, &entry).is_err() {
                    corrupt.push(format!(
                        "entry {} of conversation {}",
                        record.last_seq, record.id
                    ));
                }
            }
        }
    }
    let mut dangling = 0;
    for item in inner.conversation_by_session_hash.iter() {
        let (_, id) = item?;
        if !inner.conversation_by_id.contains_key(&id)? {
            dangling += 1;
        }
    }
    for item in inner.handoff_by_conversation.iter() {
        let (key, value) = item?;
        if decode::<HandoffRecord>(&key, &value).is_err() {
            corrupt.push(format!("queue item {}", hex::encode(&key)));
        }
    }
    if let Some(manifest) = read_manifest(dir) {
        if manifest.conversations > conversations {
            damage.problems.push(format!(
                "{} of the {} conversations the manifest lists are missing",
                manifest.conversations - conversations,
                manifest.conversations
            ));
        }
    }
    if dangling > 0 {
        damage.problems.push(format!(
            "{dangling} session tokens point to conversations that are missing"
        ));
    }
    if !no_newest_entry.is_empty() {
        damage.problems.push(format!(
            "the newest transcript entry is missing in {} conversation(s): {}",
            no_newest_entry.len(),
            no_newest_entry.join(", ")
        ));
    }
    if !corrupt.is_empty() {
        damage.problems.push(format!(
            "{} record(s) fail their checksum or do not parse: {}",
            corrupt.len(),
            corrupt.join(", ")
        ));
    }
    Ok((conversations, damage))
}

fn entry_key(conversation: &ConversationId, seq: u64) -> [u8; 24] {
    let mut key = [0u8; 24];
    key[..16].copy_from_slice(conversation.as_bytes());
    key[16..].copy_from_slice(&seq.to_be_bytes());
    key
}

fn client_id_key(conversation: &ConversationId, client: ClientKey<'_>) -> Vec<u8> {
    [&conversation.as_bytes()[..], &client.to_bytes()].concat()
}

fn customer_key(customer: &str, conversation: &ConversationId) -> Vec<u8> {
    [customer.as_bytes(), &[0], conversation.as_bytes()].concat()
}

fn decode<T: serde::de::DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    let json = match bytes.split_first() {
        Some((&CHECKSUMMED, rest)) if rest.len() >= 4 => {
            let (sum, json) = rest.split_at(4);
            let expected = u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]);
            if crc32fast::hash(json) != expected {
                return Err(StoreError::Checksum {
                    key: hex::encode(key),
                });
            }
            json
        }
        // Written before values carried checksums.
        _ => bytes,
    };
    serde_json::from_slice(json).map_err(|source| StoreError::Corrupt {
        key: hex::encode(key),
        source,
    })
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let json = serde_json::to_vec(value).map_err(StoreError::Encode)?;
    let mut bytes = Vec::with_capacity(json.len() + 5);
    bytes.push(CHECKSUMMED);
    bytes.extend_from_slice(&crc32fast::hash(&json).to_le_bytes());
    bytes.extend_from_slice(&json);
    Ok(bytes)
}

fn seq_from(bytes: &[u8]) -> Option<u64> {
    bytes.try_into().ok().map(u64::from_be_bytes)
}

/// Whether a file can be written and synced in `dir` now (the disk has room).
fn probe(dir: &Path) -> bool {
    use std::io::Write;
    let path = dir.join("probe.tmp");
    let written = std::fs::File::create(&path).and_then(|mut file| {
        file.write_all(&[0u8; 64 * 1024])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&path);
    written.is_ok()
}

impl Store for SledStore {
    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError> {
        self.inner()?
            .conversation_by_id
            .get(id.as_bytes())?
            .map(|bytes| decode(id.as_bytes(), &bytes))
            .transpose()
    }

    fn conversation_by_session(
        &self,
        session: &SessionToken,
    ) -> Result<Option<ConversationId>, StoreError> {
        Ok(self
            .inner()?
            .conversation_by_session_hash
            .get(session.hash())?
            .and_then(|bytes| ConversationId::from_bytes(&bytes)))
    }

    fn append(
        &self,
        record: &ConversationRecord,
        entries: &[TranscriptEntry],
        client: Option<(ClientKey<'_>, u64)>,
        new_session: Option<&SessionToken>,
    ) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let record_value = encode(record)?;
        let entry_values = entries
            .iter()
            .map(|entry| Ok((entry_key(&record.id, entry.seq), encode(entry)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let client_key = client.map(|(client, seq)| (client_id_key(&record.id, client), seq));
        let session_hash = new_session.map(SessionToken::hash);
        let customer = new_session
            .and(record.customer.as_ref())
            .and_then(|c| c.id.as_deref())
            .map(|id| customer_key(id, &record.id));
        let result: Result<(), TransactionError<()>> = (
            &inner.conversation_by_id,
            &inner.entry_by_conversation_seq,
            &inner.seq_by_conversation_client_id,
            &inner.conversation_by_session_hash,
            &inner.session_hash_by_conversation,
            &inner.conversation_by_customer,
        )
            .transaction(
                |(by_id, by_seq, by_client_id, by_session, session_of, by_customer)| {
                    by_id.insert(&record.id.as_bytes()[..], record_value.as_slice())?;
                    if let Some(hash) = &session_hash {
                        by_session.insert(&hash[..], &record.id.as_bytes()[..])?;
                        session_of.insert(&record.id.as_bytes()[..], &hash[..])?;
                    }
                    if let Some(key) = &customer {
                        by_customer.insert(key.as_slice(), &[][..])?;
                    }
                    for (key, value) in &entry_values {
                        by_seq.insert(&key[..], value.as_slice())?;
                    }
                    if let Some((key, seq)) = &client_key {
                        by_client_id.insert(key.as_slice(), &seq.to_be_bytes()[..])?;
                    }
                    Ok::<(), ConflictableTransactionError<()>>(())
                },
            );
        self.transaction(result)?;
        if new_session.is_some() {
            self.shared.conversations.fetch_add(1, Ordering::AcqRel);
        }
        Ok(())
    }

    fn seq_of_client_id(
        &self,
        conversation: &ConversationId,
        client: ClientKey<'_>,
    ) -> Result<Option<u64>, StoreError> {
        Ok(self
            .inner()?
            .seq_by_conversation_client_id
            .get(client_id_key(conversation, client))?
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
        self.inner()?
            .entry_by_conversation_seq
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
            .inner()?
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
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        self.write(
            inner
                .handoff_by_conversation
                .insert(record.conversation.as_bytes(), encode(record)?),
        )?;
        Ok(())
    }

    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        self.write(
            inner
                .handoff_by_conversation
                .remove(conversation.as_bytes()),
        )?;
        Ok(())
    }

    fn handoffs(&self) -> Result<Vec<HandoffRecord>, StoreError> {
        self.inner()?
            .handoff_by_conversation
            .iter()
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect()
    }

    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let nanos = jiff::Timestamp::now().as_nanosecond();
        let mut key = [0u8; 24];
        key[..8].copy_from_slice(&u64::try_from(nanos).unwrap_or(0).to_be_bytes());
        key[8..].copy_from_slice(question.conversation.as_bytes());
        self.write(inner.unanswered_by_time.insert(key, encode(question)?))?;
        // Counting a sled tree walks it: prune now and then, not on every insert.
        if self.unanswered_inserts.fetch_add(1, Ordering::Relaxed) % 1000 == 999 {
            let excess = inner
                .unanswered_by_time
                .len()
                .saturating_sub(UNANSWERED_KEPT);
            let oldest: Vec<sled::IVec> = inner
                .unanswered_by_time
                .iter()
                .keys()
                .take(excess)
                .collect::<Result<_, _>>()?;
            for key in oldest {
                self.write(inner.unanswered_by_time.remove(key))?;
            }
        }
        Ok(())
    }

    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError> {
        self.inner()?
            .unanswered_by_time
            .iter()
            .rev()
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect()
    }

    fn erase_conversation(&self, id: &ConversationId) -> Result<bool, StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let Some(value) = inner.conversation_by_id.get(id.as_bytes())? else {
            return Ok(false);
        };
        let customer = decode::<ConversationRecord>(id.as_bytes(), &value)
            .ok()
            .and_then(|r| r.customer)
            .and_then(|c| c.id);
        let prefix = &id.as_bytes()[..];
        let entries: Vec<sled::IVec> = inner
            .entry_by_conversation_seq
            .scan_prefix(prefix)
            .keys()
            .collect::<Result<_, _>>()?;
        let client_ids: Vec<sled::IVec> = inner
            .seq_by_conversation_client_id
            .scan_prefix(prefix)
            .keys()
            .collect::<Result<_, _>>()?;
        let mut sessions: Vec<sled::IVec> = inner
            .session_hash_by_conversation
            .get(prefix)?
            .into_iter()
            .collect();
        if sessions.is_empty() {
            // Written before the reverse index existed: look the hard way.
            for item in inner.conversation_by_session_hash.iter() {
                let (hash, owner) = item?;
                if owner.as_ref() == prefix {
                    sessions.push(hash);
                }
            }
        }
        let unanswered: Vec<sled::IVec> = inner
            .unanswered_by_time
            .iter()
            .keys()
            .filter(|key| {
                key.as_ref()
                    .is_ok_and(|k| k.len() == 24 && &k[8..] == prefix)
            })
            .collect::<Result<_, _>>()?;
        for key in entries {
            self.write(inner.entry_by_conversation_seq.remove(key))?;
        }
        for key in client_ids {
            self.write(inner.seq_by_conversation_client_id.remove(key))?;
        }
        for key in sessions {
            self.write(inner.conversation_by_session_hash.remove(key))?;
        }
        for key in unanswered {
            self.write(inner.unanswered_by_time.remove(key))?;
        }
        if let Some(customer) = customer {
            self.write(
                inner
                    .conversation_by_customer
                    .remove(customer_key(&customer, id)),
            )?;
        }
        self.write(inner.session_hash_by_conversation.remove(prefix))?;
        self.write(inner.handoff_by_conversation.remove(prefix))?;
        self.write(inner.conversation_by_id.remove(prefix))?;
        self.shared.conversations.fetch_sub(1, Ordering::AcqRel);
        self.write(inner.db.flush())?;
        self.shared.write_manifest_now();
        Ok(true)
    }

    fn conversations_of_customer(&self, customer: &str) -> Result<Vec<ConversationId>, StoreError> {
        let prefix = [customer.as_bytes(), &[0]].concat();
        self.inner()?
            .conversation_by_customer
            .scan_prefix(&prefix)
            .keys()
            .map(|key| Ok(ConversationId::from_bytes(&key?[prefix.len()..])))
            .filter_map(Result::transpose)
            .collect()
    }

    fn conversations_idle_since(
        &self,
        before: jiff::Timestamp,
    ) -> Result<Vec<ConversationId>, StoreError> {
        let mut idle = Vec::new();
        for item in self.inner()?.conversation_by_id.iter() {
            let (key, value) = item?;
            let Ok(record) = decode::<ConversationRecord>(&key, &value) else {
                continue;
            };
            let last = record.updated_at.as_deref().unwrap_or(&record.created_at);
            if last
                .parse::<jiff::Timestamp>()
                .is_ok_and(|last| last < before)
            {
                idle.push(record.id);
            }
        }
        Ok(idle)
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

    fn health(&self) -> Result<(), String> {
        match self.shared.failure() {
            Some(reason) => Err(reason),
            None => Ok(()),
        }
    }

    fn recover(&self) -> bool {
        if self.shared.failure().is_none() {
            return true;
        }
        if !probe(&self.shared.dir) {
            return false;
        }
        let mut slot = self.shared.inner.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = slot.take() {
            // Readers hold their Arc for one call; wait for them to let go.
            let deadline = Instant::now() + REOPEN_WAIT;
            let mut old = old;
            loop {
                match Arc::try_unwrap(old) {
                    Ok(inner) => {
                        drop(inner);
                        break;
                    }
                    Err(still) if Instant::now() < deadline => {
                        old = still;
                        thread::sleep(Duration::from_millis(5));
                    }
                    Err(still) => {
                        *slot = Some(still);
                        return false;
                    }
                }
            }
        }
        match Inner::open(&self.shared.dir, self.shared.cache_bytes) {
            Ok(inner) => {
                let conversations = inner.conversation_by_id.len() as u64;
                self.shared
                    .conversations
                    .store(conversations, Ordering::Release);
                *slot = Some(Arc::new(inner));
                *self
                    .shared
                    .failure
                    .lock()
                    .unwrap_or_else(|e| e.into_inner()) = None;
                self.shared.generation.fetch_add(1, Ordering::AcqRel);
                tracing::warn!("the store writes again: reopened after the failure");
                true
            }
            Err(error) => {
                tracing::error!(%error, "cannot reopen the store yet");
                false
            }
        }
    }

    fn generation(&self) -> u64 {
        self.shared.generation.load(Ordering::Acquire)
    }
}
