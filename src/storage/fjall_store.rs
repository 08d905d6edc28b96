//! The embedded implementation of [`Store`], on fjall (an LSM-tree engine with
//! a journal and atomic write batches across keyspaces).
//!
//! Why fjall and not sled, which this store used before: measured on this
//! machine, a turn's write (record, two entries, the client id) with an fsync
//! every ten turns cost sled 166 µs of CPU (a transaction across trees, and
//! an I/O thread pool that wakes all its threads for every buffer) and fjall
//! 28 µs (one batch, one journal). sled's 1.0 has stalled; fjall is maintained.
//! A data directory that still holds a sled store is migrated on first open
//! ([`migrate_sled`]).
//!
//! Key layout (one keyspace each; every id is fixed-width so prefixes scan cleanly):
//!
//! | keyspace | key | value |
//! |---|---|---|
//! | `conversation_by_id` | conversation id (16 bytes) | [`ConversationRecord`], written when a turn changes more than its marks |
//! | `marks_by_conversation` | conversation id (16 bytes) | its [`TurnMarks`], written every turn ([`encode_marks`]); they override the record's |
//! | `conversation_by_session_hash` | SHA-256 of the session token (32 bytes) | conversation id (16 bytes) |
//! | `session_hash_by_conversation` | conversation id (16 bytes) | SHA-256 of its session token (32 bytes) |
//! | `conversation_by_customer` | customer id (UTF-8) ++ `\0` ++ conversation id (16) | empty |
//! | `entry_by_conversation_seq` | conversation id (16) ++ seq (u64 big-endian, 8) | [`TranscriptEntry`] |
//! | `seq_by_conversation_client_id` | conversation id (16) ++ [`ClientKey`] bytes (`c\0` id, or `a\0` agent `\0` id) | seq (u64 big-endian) |
//! | `handoff_by_conversation` | conversation id (16 bytes) | [`QueueEntry`] |
//! | `handling_by_locale_time` | locale (UTF-8) ++ `\0` ++ nanoseconds since the epoch (u64 big-endian, 8) | [`HandlingSample`] |
//! | `conversation_by_channel_user` | `<kind>/<name>/<user>` ([`ChannelUser::key`], UTF-8) | conversation id (16 bytes) |
//! | `delivery_by_conversation` | conversation id (16 bytes) | delivered-up-to seq (u64 big-endian) |
//! | `unanswered_by_time` | nanoseconds since the epoch (u64 big-endian, 8) ++ conversation id (16) | [`Unanswered`] |
//! | `daily_by_day_locale_channel` | `YYYY-MM-DD/<locale>/<channel>` ([`DailyKey::encode`], UTF-8; fixed-width days sort in time order) | [`DailyCounts`] |
//!
//! Big-endian seqs make a prefix scan of `entry_by_conversation_seq` return a
//! conversation's transcript in order. Record values are `0x01`, the CRC-32
//! (IEEE, little-endian) of the JSON, then the JSON; values written before
//! checksums (they start with `{`) are read as plain JSON.
//!
//! **Durability.** Writes go to fjall's journal buffer in memory (manual
//! persistence), and [`Store::durable`] hands the caller to a flush thread.
//! The thread takes every request that is waiting, syncs the journal once
//! (`fdatasync`), and answers them all: while one sync runs, the next batch
//! gathers, so the number of syncs stays bounded however many clients write
//! (group commit).
//!
//! **Damage.** A manifest beside the store (`manifest.json`) records how many
//! conversations the store held at its last flush; it is rewritten at most once
//! a second after flushes that changed the count. At open, the store is checked
//! against it and against itself (every index entry points to a record, every
//! record and each conversation's newest entry pass their checksum): a journal
//! recovered up to a torn or corrupt batch would otherwise start with
//! conversations missing and say nothing.
//!
//! **A full disk.** fjall's write errors are sticky (the database is
//! "poisoned"): once a sync fails, that instance never writes again. The store then reports itself unhealthy
//! ([`Store::health`]), refuses writes, and [`Store::recover`] reopens it (all
//! handles dropped, the same directory opened afresh) once a probe file can be
//! written and synced again. Nothing acknowledged is lost: acks wait for a
//! flush that succeeded.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use fjall::{Database, Keyspace, KeyspaceCreateOptions, PersistMode};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::{Durable, InFlight, Store, StoreError, WriteIntent};
use crate::domain::{
    ChannelUser, ClientKey, ConversationId, ConversationRecord, DailyCounts, DailyKey,
    HandlingSample, QueueEntry, SessionToken, Timestamp, TranscriptEntry, TurnMarks, Unanswered,
};

const CONVERSATION_BY_ID: &str = "conversation_by_id";
const MARKS_BY_CONVERSATION: &str = "marks_by_conversation";
const CONVERSATION_BY_SESSION_HASH: &str = "conversation_by_session_hash";
const SESSION_HASH_BY_CONVERSATION: &str = "session_hash_by_conversation";
const CONVERSATION_BY_CUSTOMER: &str = "conversation_by_customer";
const ENTRY_BY_CONVERSATION_SEQ: &str = "entry_by_conversation_seq";
const SEQ_BY_CONVERSATION_CLIENT_ID: &str = "seq_by_conversation_client_id";
const UNANSWERED_BY_TIME: &str = "unanswered_by_time";
const HANDOFF_BY_CONVERSATION: &str = "handoff_by_conversation";
const HANDLING_BY_LOCALE_TIME: &str = "handling_by_locale_time";
const CONVERSATION_BY_CHANNEL_USER: &str = "conversation_by_channel_user";
const DELIVERY_BY_CONVERSATION: &str = "delivery_by_conversation";
const DAILY_BY_DAY_LOCALE_CHANNEL: &str = "daily_by_day_locale_channel";
/// Unanswered questions kept; older ones are dropped as new ones arrive.
const UNANSWERED_KEPT: usize = 10_000;
/// The manifest beside the store.
const MANIFEST: &str = "manifest.json";
/// The manifest is rewritten at most this often.
const MANIFEST_INTERVAL: Duration = Duration::from_secs(1);
/// The first byte of a checksummed value.
const CHECKSUMMED: u8 = 0x01;
/// How long the group commit waits at most for turns in flight (see
/// [`Store::write_intent`]): an fsync costs this machine's disk about 0.35 ms
/// of CPU, so fewer, fuller syncs leave more of it for the turns. Measured
/// with 100 closed-loop clients: 5.3k replies/s without waiting, 11.4k with
/// up to 1 ms, no better with 2 or 4 ms.
const GROUP_COMMIT_LINGER: Duration = Duration::from_millis(1);
/// While turns arrive together (the last sync covered more than one) and
/// the runtime's workers are all busy, a sync starts at most this long after
/// the one before, so the turns of that window share it; it starts at once
/// when every worker has run out of work (they would only wait for it). See
/// [`Workers`] for the measurements.
const GROUP_COMMIT_WINDOW: Duration = Duration::from_millis(2);

/// The async runtime's worker threads, as the runtime reports them parking
/// (out of work) and waking: the group commit holds a sync back only while
/// all of them have work, because then a sync's system calls, wake-ups and
/// preemptions take CPU from the turns, and fewer, fuller syncs leave more
/// of it to them. Under a closed loop of 100 clients the syncs had run back
/// to back, about three turns each, and cost a quarter of the server's CPU
/// per reply (2026-12-03, `/proc` counters per thread: 113-152 µs per reply,
/// 22 µs of it in the flush thread; 91-104 µs and 4-6 µs with this, and
/// 1.11-1.27x the replies per second, README "Chat load"). With a
/// few clients every turn soon waits for the sync and the workers park, so
/// the sync starts then. DESIGN.md §7: "one flush for every entry that
/// arrived in a few milliseconds".
///
/// The binary installs [`Workers::parked`] and [`Workers::unparked`] as the
/// runtime's `on_thread_park` and `on_thread_unpark` and sets the count
/// ([`Workers::set_count`]); without them (a store opened in tests or by
/// tools) the group commit never holds a sync back.
pub struct Workers {
    count: AtomicUsize,
    parked: AtomicUsize,
    /// The group commits of the stores open in this process.
    commits: Mutex<Vec<std::sync::Weak<Commit>>>,
}

/// The process's runtime workers ([`Workers`]).
pub static WORKERS: Workers = Workers::new();

impl Workers {
    const fn new() -> Self {
        Self {
            count: AtomicUsize::new(0),
            parked: AtomicUsize::new(0),
            commits: Mutex::new(Vec::new()),
        }
    }

    /// How many worker threads the runtime has (its `worker_threads`).
    pub fn set_count(&self, count: usize) {
        self.count.store(count, Ordering::SeqCst);
    }

    /// A worker ran out of work. The last one to park starts the sync a
    /// group commit is holding back.
    pub fn parked(&self) {
        let parked = self.parked.fetch_add(1, Ordering::SeqCst) + 1;
        if parked != self.count.load(Ordering::SeqCst) {
            return;
        }
        let commits = self.commits.lock().unwrap_or_else(|e| e.into_inner());
        for commit in commits.iter().filter_map(std::sync::Weak::upgrade) {
            if commit.windowing.load(Ordering::SeqCst) {
                // Taking the lock orders this after the flush thread's check.
                drop(commit.queue());
                commit.wake.notify_one();
            }
        }
    }

    /// A worker has work again.
    pub fn unparked(&self) {
        self.parked.fetch_sub(1, Ordering::SeqCst);
    }

    /// Whether the runtime reports its workers (the hooks are installed).
    fn known(&self) -> bool {
        self.count.load(Ordering::SeqCst) > 0
    }

    fn all_parked(&self) -> bool {
        self.parked.load(Ordering::SeqCst) >= self.count.load(Ordering::SeqCst)
    }

    fn register(&self, commit: &Arc<Commit>) {
        let mut commits = self.commits.lock().unwrap_or_else(|e| e.into_inner());
        commits.retain(|c| c.strong_count() > 0);
        commits.push(Arc::downgrade(commit));
    }
}

/// How long a reopen waits for in-flight operations to let go of the old instance.
const REOPEN_WAIT: Duration = Duration::from_secs(2);

/// How many flushes ran and how many transcript entries they made durable.
#[derive(Debug, Default)]
pub struct FlushStats {
    /// Journal syncs run by the group commit since the store opened
    /// (failed ones included).
    pub flushes: AtomicU64,
    /// Transcript entries their callers said they waited for
    /// ([`Store::durable`]'s `entries`), summed over those syncs.
    pub entries: AtomicU64,
}

struct FlushRequest {
    entries: usize,
    done: oneshot::Sender<Result<(), String>>,
}

/// The group commit's queue: the turns waiting for a sync, and the turns
/// still being worked out ([`Store::write_intent`]) that a sync waits a
/// moment for. The flush thread is woken only when it has something to do:
/// by the first request after a sync, or by the last turn in flight
/// finishing its write while it lingers; never once per request (that
/// wake-up was 5% of a turn's CPU under 100 clients).
#[derive(Default)]
struct Commit {
    queue: Mutex<CommitQueue>,
    wake: Condvar,
    /// Turns in flight.
    writers: AtomicUsize,
    /// The flush thread waits for the turns in flight to finish.
    lingering: AtomicBool,
    /// The flush thread holds a sync back while the workers are busy.
    windowing: AtomicBool,
}

#[derive(Default)]
struct CommitQueue {
    requests: Vec<FlushRequest>,
    /// The flush thread waits for a first request.
    idle: bool,
    /// The store is gone: the flush thread ends.
    closed: bool,
}

impl Commit {
    fn queue(&self) -> std::sync::MutexGuard<'_, CommitQueue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a request for the next sync.
    fn request(&self, request: FlushRequest) {
        let mut queue = self.queue();
        queue.requests.push(request);
        if queue.idle {
            queue.idle = false;
            self.wake.notify_one();
        }
    }

    fn close(&self) {
        self.queue().closed = true;
        self.wake.notify_one();
    }

    /// The requests of the next sync: waits for a first one; then, if a
    /// window is given, until it ends or `workers` all run out of work;
    /// then up to `linger` while turns are in flight. `None` once closed
    /// and drained.
    fn next_batch(
        &self,
        window: Option<(Instant, &Workers)>,
        linger: Duration,
    ) -> Option<Vec<FlushRequest>> {
        let mut queue = self.queue();
        while queue.requests.is_empty() {
            if queue.closed {
                return None;
            }
            queue.idle = true;
            queue = self.wake.wait(queue).unwrap_or_else(|e| e.into_inner());
        }
        queue.idle = false;
        if let Some((end, workers)) = window {
            // Requests arriving meanwhile do not wake this thread (`idle` is
            // false); the last worker to park does. `windowing` is set before
            // the workers are counted and a worker is counted before it reads
            // `windowing` (both SeqCst), as with `lingering` below.
            queue = self.wait_while(queue, &self.windowing, end, || !workers.all_parked());
        }
        // Turns that are being worked out will want this sync too: wait for
        // them a moment, so one sync covers more turns. A lone client never
        // waits. `lingering` is set before `writers` is read, and a turn
        // lowers `writers` before it reads `lingering` (both SeqCst): one of
        // the two sees the other, so the last turn's wake-up is never lost.
        let deadline = Instant::now() + linger;
        queue = self.wait_while(queue, &self.lingering, deadline, || {
            self.writers.load(Ordering::SeqCst) > 0
        });
        Some(std::mem::take(&mut queue.requests))
    }

    /// Waits on the queue while `waiting()` holds, until `deadline` or the
    /// queue closes, with `flag` raised meanwhile so that whoever ends the
    /// wait knows to wake this thread.
    fn wait_while<'a>(
        &self,
        mut queue: std::sync::MutexGuard<'a, CommitQueue>,
        flag: &AtomicBool,
        deadline: Instant,
        waiting: impl Fn() -> bool,
    ) -> std::sync::MutexGuard<'a, CommitQueue> {
        flag.store(true, Ordering::SeqCst);
        while !queue.closed && waiting() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            queue = self
                .wake
                .wait_timeout(queue, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        flag.store(false, Ordering::SeqCst);
        queue
    }
}

impl InFlight for Commit {
    fn begin(&self) {
        self.writers.fetch_add(1, Ordering::SeqCst);
    }

    fn end(&self) {
        if self.writers.fetch_sub(1, Ordering::SeqCst) == 1 && self.lingering.load(Ordering::SeqCst)
        {
            // Taking the lock orders this after the flush thread's check.
            drop(self.queue());
            self.wake.notify_one();
        }
    }
}

/// One opened database and its keyspaces.
struct Inner {
    db: Database,
    conversation_by_id: Keyspace,
    marks_by_conversation: Keyspace,
    conversation_by_session_hash: Keyspace,
    session_hash_by_conversation: Keyspace,
    conversation_by_customer: Keyspace,
    entry_by_conversation_seq: Keyspace,
    seq_by_conversation_client_id: Keyspace,
    unanswered_by_time: Keyspace,
    handoff_by_conversation: Keyspace,
    handling_by_locale_time: Keyspace,
    conversation_by_channel_user: Keyspace,
    delivery_by_conversation: Keyspace,
    daily_by_day_locale_channel: Keyspace,
    /// The data directory, where fjall keeps its journal files.
    dir: PathBuf,
    /// The journal file synced last, by its number ([`Inner::sync`]).
    journal: Mutex<Option<(u64, std::fs::File)>>,
}

/// The most a keyspace's memtable holds before it is flushed to disk.
const MEMTABLE_BYTES: u64 = 8 * 1024 * 1024;

impl Inner {
    fn open(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        migrate_sled(dir, cache_bytes)?;
        let db = Database::builder(dir)
            .cache_size(cache_bytes)
            // Journal writes stay in memory until the group commit syncs them.
            .manual_journal_persist(true)
            // One background thread for flushes and compactions. With two or
            // more, fjall's worker 0 hands every compaction request back to
            // the queue and takes it again while another worker compacts: a
            // busy loop that took 29% of the server's CPU under 100 clients
            // (perf, 2026-12-02; fjall 3.1 `worker_pool::worker_tick`).
            .worker_threads(1)
            .open()?;
        // Memtables of 8 MiB (fjall's default is 64 MiB per keyspace): the
        // hot keyspaces flush sooner, and memory stays bounded under a
        // steady write load (the soak's RSS had not levelled off at 64).
        let keyspace = |name: &str| {
            db.keyspace(name, || {
                KeyspaceCreateOptions::default().max_memtable_size(MEMTABLE_BYTES)
            })
        };
        Ok(Self {
            conversation_by_id: keyspace(CONVERSATION_BY_ID)?,
            marks_by_conversation: keyspace(MARKS_BY_CONVERSATION)?,
            conversation_by_session_hash: keyspace(CONVERSATION_BY_SESSION_HASH)?,
            session_hash_by_conversation: keyspace(SESSION_HASH_BY_CONVERSATION)?,
            conversation_by_customer: keyspace(CONVERSATION_BY_CUSTOMER)?,
            entry_by_conversation_seq: keyspace(ENTRY_BY_CONVERSATION_SEQ)?,
            seq_by_conversation_client_id: keyspace(SEQ_BY_CONVERSATION_CLIENT_ID)?,
            unanswered_by_time: keyspace(UNANSWERED_BY_TIME)?,
            handoff_by_conversation: keyspace(HANDOFF_BY_CONVERSATION)?,
            handling_by_locale_time: keyspace(HANDLING_BY_LOCALE_TIME)?,
            conversation_by_channel_user: keyspace(CONVERSATION_BY_CHANNEL_USER)?,
            delivery_by_conversation: keyspace(DELIVERY_BY_CONVERSATION)?,
            daily_by_day_locale_channel: keyspace(DAILY_BY_DAY_LOCALE_CHANNEL)?,
            db,
            dir: dir.to_owned(),
            journal: Mutex::new(None),
        })
    }

    /// Gives `record` its stored [`TurnMarks`], which are newer than the
    /// record's own when the turns since its last write changed nothing else.
    /// Records written before the marks existed keep theirs.
    fn overlay_marks(&self, record: &mut ConversationRecord) -> Result<(), StoreError> {
        let key = record.id.as_bytes();
        if let Some(bytes) = self.marks_by_conversation.get(key)? {
            record.set_marks(decode_marks(key, &bytes)?);
        }
        Ok(())
    }

    /// Makes every write made before it durable.
    ///
    /// fjall's `persist(SyncData)` holds its journal lock through the
    /// `fdatasync` (about 0.2 ms on this machine's disk), so every turn's
    /// write waited behind each sync. Instead the journal's buffer goes to
    /// the kernel under the lock (`persist(Buffer)`, a `write`), and the
    /// active journal file, the `<n>.jnl` with the highest `n` in the data
    /// directory, is synced outside it while turns keep writing. A journal
    /// sealed in between was synced by fjall before it opened the next
    /// (`journal::Writer::rotate`, fjall 3.1), so what was handed over is on
    /// disk either way. Without a journal file there, fjall's own sync.
    ///
    /// The directory is read again only once `<n + 1>.jnl` exists (fjall
    /// numbers a rotation's new journal so) or `<n>.jnl` was deleted (sealed
    /// journals go oldest first once flushed, so two rotations since the
    /// last sync show as one of the two): reading it on every sync cost
    /// five system calls (`openat`, `fstat`, two `getdents64`, `close`) on
    /// the path every acknowledgement waits for; this costs two. A journal
    /// created after the check holds nothing handed over before it.
    fn sync(&self) -> Result<(), fjall::Error> {
        use std::os::unix::fs::MetadataExt;
        self.db.persist(PersistMode::Buffer)?;
        let mut journal = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        let rotated = journal.as_ref().is_none_or(|(n, file)| {
            let next = self.dir.join(format!("{}.jnl", n + 1));
            // An error reading either: read the directory, which says why.
            next.try_exists().unwrap_or(true) || file.metadata().map_or(true, |m| m.nlink() == 0)
        });
        if rotated {
            let Some(active) = active_journal(&self.dir)? else {
                return self.db.persist(PersistMode::SyncData);
            };
            if journal.as_ref().is_none_or(|(n, _)| *n != active) {
                let path = self.dir.join(format!("{active}.jnl"));
                *journal = Some((active, std::fs::File::open(path)?));
            }
        }
        match journal.as_ref() {
            Some((_, file)) => file.sync_data().map_err(fjall::Error::Io),
            None => self.db.persist(PersistMode::SyncData),
        }
    }
}

/// The number of the newest journal file in `dir` (`<n>.jnl`); `None` if
/// there is none.
fn active_journal(dir: &Path) -> std::io::Result<Option<u64>> {
    let mut newest = None;
    for item in std::fs::read_dir(dir)? {
        let name = item?.file_name();
        let number = name
            .to_str()
            .and_then(|n| n.strip_suffix(".jnl"))
            .and_then(|n| n.parse::<u64>().ok());
        newest = newest.max(number);
    }
    Ok(newest)
}

/// Moves a sled store left in `dir` by an older Switchboard into fjall (the
/// values are the same bytes), then the sled files aside into
/// `sled-before-fjall/`, so nothing a customer said is lost in the upgrade.
fn migrate_sled(dir: &Path, cache_bytes: u64) -> Result<(), StoreError> {
    let (sled_conf, sled_db) = (dir.join("conf"), dir.join("db"));
    if !sled_conf.is_file() || !sled_db.is_file() {
        return Ok(());
    }
    tracing::warn!(dir = %dir.display(), "a sled store from an older version: moving it into the new store");
    let old = sled::Config::new()
        .path(dir)
        .open()
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    let db = Database::builder(dir)
        .cache_size(cache_bytes)
        .manual_journal_persist(true)
        .open()?;
    let mut moved = 0usize;
    for name in [
        CONVERSATION_BY_ID,
        CONVERSATION_BY_SESSION_HASH,
        SESSION_HASH_BY_CONVERSATION,
        CONVERSATION_BY_CUSTOMER,
        ENTRY_BY_CONVERSATION_SEQ,
        SEQ_BY_CONVERSATION_CLIENT_ID,
        UNANSWERED_BY_TIME,
        HANDOFF_BY_CONVERSATION,
    ] {
        let tree = old
            .open_tree(name)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        let keyspace = db.keyspace(name, || {
            KeyspaceCreateOptions::default().max_memtable_size(MEMTABLE_BYTES)
        })?;
        let mut batch = db.batch();
        for item in tree.iter() {
            let (key, value) = item.map_err(|e| StoreError::Migration(e.to_string()))?;
            batch.insert(&keyspace, key.to_vec(), value.to_vec());
            moved += 1;
            if batch.len() >= 10_000 {
                std::mem::replace(&mut batch, db.batch()).commit()?;
            }
        }
        batch.commit()?;
    }
    db.persist(PersistMode::SyncAll)?;
    drop(db);
    drop(old);
    let aside = dir.join("sled-before-fjall");
    std::fs::create_dir_all(&aside).map_err(|e| StoreError::Migration(e.to_string()))?;
    for name in ["conf", "db", "blobs", "snap"] {
        let from = dir.join(name);
        if from.exists() {
            std::fs::rename(&from, aside.join(name))
                .map_err(|e| StoreError::Migration(e.to_string()))?;
        }
    }
    for entry in std::fs::read_dir(dir).map_err(|e| StoreError::Migration(e.to_string()))? {
        let path = entry
            .map_err(|e| StoreError::Migration(e.to_string()))?
            .path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("snap."))
        {
            let name = path.file_name().map(ToOwned::to_owned).unwrap_or_default();
            std::fs::rename(&path, aside.join(name))
                .map_err(|e| StoreError::Migration(e.to_string()))?;
        }
    }
    tracing::warn!(moved, aside = %aside.display(), "sled store migrated; its files are kept aside");
    Ok(())
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
    /// The group commit's queue and turns in flight.
    commit: Arc<Commit>,
    manifest: Mutex<(Manifest, Instant)>,
    stats: FlushStats,
}

/// The embedded [`Store`]: fjall keyspaces in the data directory, a
/// `store-flush` thread for group commit, and a manifest for damage checks.
pub struct FjallStore {
    shared: Arc<Shared>,
    unanswered_inserts: AtomicU64,
    /// Held across a daily counter's read, merge and write, so that two
    /// merges into one key never lose one another.
    daily_merge: Mutex<()>,
}

impl Drop for FjallStore {
    fn drop(&mut self) {
        // Ends the flush thread once it has synced what is queued.
        self.shared.commit.close();
    }
}

/// What is wrong with a store found damaged at open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Damage {
    /// One English sentence per kind of damage (conversations missing
    /// against the manifest, dangling session tokens, missing newest entries,
    /// values that fail their checksum or do not parse); empty: undamaged.
    pub problems: Vec<String>,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problems.join("; "))
    }
}

impl FjallStore {
    /// Opens the store in `dir` with a page cache of `cache_bytes` and checks
    /// it; a damaged store is refused with what is missing unless
    /// `accept_damage` (then the manifest is rewritten to what is there, and
    /// the damage is logged). A sled store left by an older version is
    /// migrated first.
    ///
    /// # Errors
    ///
    /// [`StoreError::Damaged`] as above; [`StoreError::Migration`] if the sled
    /// store cannot be moved; [`StoreError::Fjall`] if fjall cannot open
    /// the directory (another process holds it, I/O); [`StoreError::Flush`]
    /// if the manifest cannot be written or the flush thread cannot start.
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
            commit: Arc::default(),
            manifest: Mutex::new((manifest, Instant::now())),
            stats: FlushStats::default(),
        });
        WORKERS.register(&shared.commit);
        let flusher = Arc::clone(&shared);
        // A plain thread: the flush blocks on fsync; it ends when the store
        // is dropped.
        thread::Builder::new()
            .name("store-flush".into())
            .spawn(move || group_commit(&flusher))
            .map_err(|e| StoreError::Flush(format!("cannot start the flush thread: {e}")))?;
        Ok(Self {
            shared,
            unanswered_inserts: AtomicU64::new(0),
            daily_merge: Mutex::new(()),
        })
    }

    /// How many syncs the group commit ran and how many entries they covered.
    pub fn flush_stats(&self) -> &FlushStats {
        &self.shared.stats
    }

    /// Syncs the journal; used at shutdown.
    pub fn flush(&self) -> Result<(), StoreError> {
        let inner = self.inner()?;
        inner.sync().map_err(|e| self.failed(e))?;
        self.shared.write_manifest_now();
        Ok(())
    }

    fn inner(&self) -> Result<Arc<Inner>, StoreError> {
        self.shared.inner()
    }

    /// Notes a failed write: the instance cannot write any more.
    fn failed(&self, error: fjall::Error) -> StoreError {
        self.shared.note(&error);
        StoreError::Fjall(error)
    }

    fn write<T>(&self, result: Result<T, fjall::Error>) -> Result<T, StoreError> {
        result.map_err(|e| self.failed(e))
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

    /// A write or sync failed: fjall accepts no more writes from this
    /// instance (it is poisoned), whatever the cause.
    fn note(&self, error: &fjall::Error) {
        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        if failure.is_none() {
            let reason = match error {
                fjall::Error::Io(io) => io.to_string(),
                other => other.to_string(),
            };
            tracing::error!(%reason, "the store cannot write: readiness is off until it recovers");
            metrics::counter!("switchboard_store_failures_total").increment(1);
            *failure = Some(reason);
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

/// The window the next sync may wait in ([`GROUP_COMMIT_WINDOW`]): only if
/// the runtime reports its workers and the last sync, begun at `started`,
/// covered more than one request (turns are arriving together).
fn window_end(
    last: Option<(Instant, usize)>,
    workers_known: bool,
    window: Duration,
) -> Option<Instant> {
    last.filter(|(_, requests)| workers_known && *requests > 1)
        .map(|(started, _)| started + window)
}

fn group_commit(shared: &Shared) {
    let mut last = None;
    while let Some(batch) = {
        let end = window_end(last, WORKERS.known(), GROUP_COMMIT_WINDOW);
        shared
            .commit
            .next_batch(end.map(|end| (end, &WORKERS)), GROUP_COMMIT_LINGER)
    } {
        last = Some((Instant::now(), batch.len()));
        // The count must not run ahead of what this flush covers.
        let counted = shared.conversations.load(Ordering::Acquire);
        let result = match (shared.failure(), shared.inner()) {
            (Some(reason), _) => Err(reason),
            (None, Err(error)) => Err(error.to_string()),
            (None, Ok(inner)) => inner.sync().map_err(|e| {
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
    for item in pairs(inner.conversation_by_id.iter()) {
        let (key, value) = item?;
        conversations += 1;
        let mut record: ConversationRecord = match decode(&key, &value) {
            Ok(record) => record,
            Err(_) => {
                corrupt.push(format!("conversation {}", hex::encode(&key)));
                continue;
            }
        };
        if inner.overlay_marks(&mut record).is_err() {
            corrupt.push(format!("turn marks of conversation {}", record.id));
            continue;
        }
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
    for item in pairs(inner.conversation_by_session_hash.iter()) {
        let (_, id) = item?;
        if !inner.conversation_by_id.contains_key(&id)? {
            dangling += 1;
        }
    }
    for item in pairs(inner.handoff_by_conversation.iter()) {
        let (key, value) = item?;
        if decode::<QueueEntry>(&key, &value).is_err() {
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

/// `locale \0 nanos`: a locale's samples sort by time under its prefix.
fn handling_key(sample: &HandlingSample) -> Vec<u8> {
    let nanos = u64::try_from(sample.at.as_jiff().as_nanosecond()).unwrap_or(0);
    [sample.locale.as_bytes(), &[0], &nanos.to_be_bytes()].concat()
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

/// The length of an encoded [`TurnMarks`].
const MARKS_BYTES: usize = 1 + 4 + 8 + 16 + 16;

/// A conversation's [`TurnMarks`] as stored: [`CHECKSUMMED`], the CRC-32 of
/// the rest (little-endian), `last_seq` (u64 big-endian), then `updated_at`
/// and `last_customer_at` as nanoseconds since the epoch (i128 big-endian,
/// `i128::MIN` for none).
fn encode_marks(marks: &TurnMarks) -> Vec<u8> {
    let time = |at: Option<Timestamp>| {
        at.map_or(i128::MIN, |at| at.as_jiff().as_nanosecond())
            .to_be_bytes()
    };
    let mut body = [0u8; MARKS_BYTES - 5];
    body[..8].copy_from_slice(&marks.last_seq.to_be_bytes());
    body[8..24].copy_from_slice(&time(marks.updated_at));
    body[24..].copy_from_slice(&time(marks.last_customer_at));
    let mut bytes = Vec::with_capacity(MARKS_BYTES);
    bytes.push(CHECKSUMMED);
    bytes.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    bytes
}

/// The [`TurnMarks`] [`encode_marks`] wrote; errs on a wrong length, a
/// failed checksum or a time out of range.
fn decode_marks(key: &[u8], bytes: &[u8]) -> Result<TurnMarks, StoreError> {
    let damaged = || StoreError::Checksum {
        key: hex::encode(key),
    };
    if bytes.len() != MARKS_BYTES || bytes[0] != CHECKSUMMED {
        return Err(damaged());
    }
    let (sum, body) = bytes[1..].split_at(4);
    if crc32fast::hash(body).to_le_bytes() != sum {
        return Err(damaged());
    }
    let time = |bytes: &[u8]| -> Result<Option<Timestamp>, StoreError> {
        let nanos = i128::from_be_bytes(bytes.try_into().map_err(|_| damaged())?);
        if nanos == i128::MIN {
            return Ok(None);
        }
        jiff::Timestamp::from_nanosecond(nanos)
            .map(|at| Some(at.into()))
            .map_err(|_| damaged())
    };
    Ok(TurnMarks {
        last_seq: seq_from(&body[..8]).ok_or_else(damaged)?,
        updated_at: time(&body[8..24])?,
        last_customer_at: time(&body[24..])?,
    })
}

/// The key-value pairs of a fjall iterator, with errors as ours.
fn pairs(
    iter: impl Iterator<Item = fjall::Guard>,
) -> impl Iterator<Item = Result<(fjall::Slice, fjall::Slice), StoreError>> {
    iter.map(|guard| guard.into_inner().map_err(StoreError::from))
}

/// The keys of a fjall iterator, with errors as ours.
fn keys(
    iter: impl Iterator<Item = fjall::Guard>,
) -> impl Iterator<Item = Result<fjall::Slice, StoreError>> {
    iter.map(|guard| guard.key().map_err(StoreError::from))
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

impl Store for FjallStore {
    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError> {
        let inner = self.inner()?;
        let Some(bytes) = inner.conversation_by_id.get(id.as_bytes())? else {
            return Ok(None);
        };
        let mut record = decode(id.as_bytes(), &bytes)?;
        inner.overlay_marks(&mut record)?;
        Ok(Some(record))
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

    fn conversation_by_channel_user(
        &self,
        user: &ChannelUser,
    ) -> Result<Option<ConversationId>, StoreError> {
        Ok(self
            .inner()?
            .conversation_by_channel_user
            .get(user.key().as_bytes())?
            .and_then(|bytes| ConversationId::from_bytes(&bytes)))
    }

    fn delivery_cursors(&self) -> Result<Vec<(ConversationId, u64)>, StoreError> {
        pairs(self.inner()?.delivery_by_conversation.iter())
            .filter_map(|item| match item {
                Ok((key, value)) => {
                    Some(Ok((ConversationId::from_bytes(&key)?, seq_from(&value)?)))
                }
                Err(error) => Some(Err(error)),
            })
            .collect()
    }

    fn delivery_cursor(&self, conversation: &ConversationId) -> Result<Option<u64>, StoreError> {
        Ok(self
            .inner()?
            .delivery_by_conversation
            .get(conversation.as_bytes())?
            .and_then(|bytes| seq_from(&bytes)))
    }

    fn set_delivery_cursor(
        &self,
        conversation: &ConversationId,
        seq: u64,
    ) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let inserted = inner
            .delivery_by_conversation
            .insert(conversation.as_bytes().to_vec(), seq.to_be_bytes().to_vec());
        self.write(inserted)
    }

    fn append(
        &self,
        record: &ConversationRecord,
        changed: bool,
        entries: &[TranscriptEntry],
        client: Option<(ClientKey<'_>, u64)>,
        new_session: Option<&SessionToken>,
    ) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let mut batch = inner.db.batch();
        // A whole record is about 1 KB of JSON; its marks are 45 bytes.
        if changed || new_session.is_some() {
            batch.insert(
                &inner.conversation_by_id,
                record.id.as_bytes().to_vec(),
                encode(record)?,
            );
        }
        batch.insert(
            &inner.marks_by_conversation,
            record.id.as_bytes().to_vec(),
            encode_marks(&record.marks()),
        );
        if let Some(session) = new_session {
            let hash = session.hash();
            batch.insert(
                &inner.conversation_by_session_hash,
                hash.to_vec(),
                record.id.as_bytes().to_vec(),
            );
            batch.insert(
                &inner.session_hash_by_conversation,
                record.id.as_bytes().to_vec(),
                hash.to_vec(),
            );
            if let Some(customer) = record.customer.as_ref().and_then(|c| c.id.as_deref()) {
                batch.insert(
                    &inner.conversation_by_customer,
                    customer_key(customer, &record.id),
                    Vec::new(),
                );
            }
            if let Some(user) = &record.channel {
                batch.insert(
                    &inner.conversation_by_channel_user,
                    user.key().into_bytes(),
                    record.id.as_bytes().to_vec(),
                );
                batch.insert(
                    &inner.delivery_by_conversation,
                    record.id.as_bytes().to_vec(),
                    0u64.to_be_bytes().to_vec(),
                );
            }
        }
        for entry in entries {
            batch.insert(
                &inner.entry_by_conversation_seq,
                entry_key(&record.id, entry.seq).to_vec(),
                encode(entry)?,
            );
        }
        if let Some((client, seq)) = client {
            batch.insert(
                &inner.seq_by_conversation_client_id,
                client_id_key(&record.id, client),
                seq.to_be_bytes().to_vec(),
            );
        }
        self.write(batch.commit())?;
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
        pairs(self.inner()?.entry_by_conversation_seq.range(start..=end))
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
        let mut entries = pairs(
            self.inner()?
                .entry_by_conversation_seq
                .range(start..=end)
                .rev(),
        )
        .take(limit)
        .map(|item| {
            let (key, value) = item?;
            decode(&key, &value)
        })
        .collect::<Result<Vec<TranscriptEntry>, StoreError>>()?;
        entries.reverse();
        Ok(entries)
    }

    fn save_handoff(&self, record: &QueueEntry) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        self.write(
            inner
                .handoff_by_conversation
                .insert(record.conversation.as_bytes().to_vec(), encode(record)?),
        )
    }

    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        self.write(
            inner
                .handoff_by_conversation
                .remove(conversation.as_bytes().to_vec()),
        )
    }

    fn handoffs(&self) -> Result<Vec<QueueEntry>, StoreError> {
        pairs(self.inner()?.handoff_by_conversation.iter())
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect()
    }

    fn handoff(&self, conversation: &ConversationId) -> Result<Option<QueueEntry>, StoreError> {
        self.inner()?
            .handoff_by_conversation
            .get(conversation.as_bytes())?
            .map(|bytes| decode(conversation.as_bytes(), &bytes))
            .transpose()
    }

    fn record_handling(&self, sample: &HandlingSample, keep: usize) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let samples = &inner.handling_by_locale_time;
        self.write(samples.insert(handling_key(sample), encode(sample)?))?;
        // At most `keep` per locale: a prefix scan of one locale, newest first.
        let prefix = [sample.locale.as_bytes(), &[0]].concat();
        let older = keys(samples.prefix(&prefix).rev())
            .skip(keep)
            .collect::<Result<Vec<_>, StoreError>>()?;
        for key in older {
            self.write(samples.remove(key))?;
        }
        Ok(())
    }

    fn handling_times(&self) -> Result<Vec<HandlingSample>, StoreError> {
        let mut samples = pairs(self.inner()?.handling_by_locale_time.iter())
            .map(|item| {
                let (key, value) = item?;
                decode::<HandlingSample>(&key, &value)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        samples.sort_by_key(|s| s.at);
        Ok(samples)
    }

    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let nanos = jiff::Timestamp::now().as_nanosecond();
        let mut key = [0u8; 24];
        key[..8].copy_from_slice(&u64::try_from(nanos).unwrap_or(0).to_be_bytes());
        key[8..].copy_from_slice(question.conversation.as_bytes());
        self.write(
            inner
                .unanswered_by_time
                .insert(key.to_vec(), encode(question)?),
        )?;
        // Counting walks the keyspace: prune now and then, not on every insert.
        if self.unanswered_inserts.fetch_add(1, Ordering::Relaxed) % 1000 == 999 {
            let kept = inner.unanswered_by_time.approximate_len();
            let excess = kept.saturating_sub(UNANSWERED_KEPT);
            let oldest = keys(inner.unanswered_by_time.iter())
                .take(excess)
                .collect::<Result<Vec<_>, StoreError>>()?;
            for key in oldest {
                self.write(inner.unanswered_by_time.remove(key))?;
            }
        }
        Ok(())
    }

    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError> {
        pairs(self.inner()?.unanswered_by_time.iter().rev())
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                decode(&key, &value)
            })
            .collect()
    }

    fn add_daily(&self, key: &DailyKey, delta: &DailyCounts) -> Result<(), StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let name = key.encode();
        let _merging = self.daily_merge.lock().unwrap_or_else(|e| e.into_inner());
        let mut counts: DailyCounts =
            match inner.daily_by_day_locale_channel.get(name.as_bytes())? {
                Some(value) => decode(name.as_bytes(), &value)?,
                None => DailyCounts::default(),
            };
        counts.merge(delta);
        self.write(
            inner
                .daily_by_day_locale_channel
                .insert(name.into_bytes(), encode(&counts)?),
        )
    }

    fn daily(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<(DailyKey, DailyCounts)>, StoreError> {
        // '0' sorts right after '/': every key of day `to` is below "{to}0".
        let (low, high) = (from.to_string(), format!("{to}0"));
        pairs(self.inner()?.daily_by_day_locale_channel.range(low..high))
            .filter_map(|item| match item {
                Ok((key, value)) => {
                    let key_text = String::from_utf8_lossy(&key);
                    let Some(daily) = DailyKey::decode(&key_text) else {
                        tracing::warn!(key = %key_text, "a daily key that does not parse is skipped");
                        return None;
                    };
                    Some(decode(&key, &value).map(|counts| (daily, counts)))
                }
                Err(error) => Some(Err(error)),
            })
            .collect()
    }

    fn erase_conversation(&self, id: &ConversationId) -> Result<bool, StoreError> {
        self.refuse_if_failed()?;
        let inner = self.inner()?;
        let Some(value) = inner.conversation_by_id.get(id.as_bytes())? else {
            return Ok(false);
        };
        let record = decode::<ConversationRecord>(id.as_bytes(), &value).ok();
        let channel = record.as_ref().and_then(|r| r.channel.clone());
        let customer = record.and_then(|r| r.customer).and_then(|c| c.id);
        let prefix = &id.as_bytes()[..];
        let mut batch = inner.db.batch();
        for key in keys(inner.entry_by_conversation_seq.prefix(prefix)) {
            batch.remove(&inner.entry_by_conversation_seq, key?);
        }
        for key in keys(inner.seq_by_conversation_client_id.prefix(prefix)) {
            batch.remove(&inner.seq_by_conversation_client_id, key?);
        }
        match inner.session_hash_by_conversation.get(prefix)? {
            Some(hash) => batch.remove(&inner.conversation_by_session_hash, hash),
            None => {
                // Written before the reverse index existed: look the hard way.
                for item in pairs(inner.conversation_by_session_hash.iter()) {
                    let (hash, owner) = item?;
                    if owner.as_ref() == prefix {
                        batch.remove(&inner.conversation_by_session_hash, hash);
                    }
                }
            }
        }
        for key in keys(inner.unanswered_by_time.iter()) {
            let key = key?;
            if key.len() == 24 && &key[8..] == prefix {
                batch.remove(&inner.unanswered_by_time, key);
            }
        }
        if let Some(customer) = customer {
            batch.remove(&inner.conversation_by_customer, customer_key(&customer, id));
        }
        if let Some(user) = channel {
            batch.remove(&inner.conversation_by_channel_user, user.key().into_bytes());
        }
        batch.remove(&inner.delivery_by_conversation, prefix.to_vec());
        batch.remove(&inner.session_hash_by_conversation, prefix.to_vec());
        batch.remove(&inner.handoff_by_conversation, prefix.to_vec());
        batch.remove(&inner.marks_by_conversation, prefix.to_vec());
        batch.remove(&inner.conversation_by_id, prefix.to_vec());
        self.write(batch.commit())?;
        self.shared.conversations.fetch_sub(1, Ordering::AcqRel);
        self.write(inner.sync())?;
        self.shared.write_manifest_now();
        Ok(true)
    }

    fn conversations_of_customer(&self, customer: &str) -> Result<Vec<ConversationId>, StoreError> {
        let prefix = [customer.as_bytes(), &[0]].concat();
        keys(self.inner()?.conversation_by_customer.prefix(&prefix))
            .map(|key| Ok(ConversationId::from_bytes(&key?[prefix.len()..])))
            .filter_map(Result::transpose)
            .collect()
    }

    fn conversations_idle_since(
        &self,
        before: jiff::Timestamp,
    ) -> Result<Vec<ConversationId>, StoreError> {
        let mut idle = Vec::new();
        let inner = self.inner()?;
        for item in pairs(inner.conversation_by_id.iter()) {
            let (key, value) = item?;
            let Ok(mut record) = decode::<ConversationRecord>(&key, &value) else {
                continue;
            };
            let last = record.updated_at.unwrap_or(record.created_at);
            if last.as_jiff() < before {
                // The record may be older than the conversation's last turn.
                inner.overlay_marks(&mut record)?;
            }
            let last = record.updated_at.unwrap_or(record.created_at);
            if last.as_jiff() < before {
                idle.push(record.id);
            }
        }
        Ok(idle)
    }

    fn durable(&self, entries: usize) -> Durable {
        let (done, waiter) = oneshot::channel();
        self.shared.commit.request(FlushRequest { entries, done });
        Box::pin(async move {
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
                let conversations = inner.conversation_by_id.len().unwrap_or(0) as u64;
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

    /// The data directory is locked by the process that opened it.
    fn sole_writer(&self) -> bool {
        true
    }

    fn generation(&self) -> u64 {
        self.shared.generation.load(Ordering::Acquire)
    }

    fn write_intent(&self) -> WriteIntent {
        WriteIntent::new(Arc::clone(&self.shared.commit) as Arc<dyn InFlight>)
    }

    fn flush(&self) -> Result<(), StoreError> {
        FjallStore::flush(self)
    }

    fn flush_stats(&self) -> Option<&FlushStats> {
        Some(FjallStore::flush_stats(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> (FlushRequest, oneshot::Receiver<Result<(), String>>) {
        let (done, waiter) = oneshot::channel();
        (FlushRequest { entries: 1, done }, waiter)
    }

    /// A linger far longer than these tests take: a batch back within
    /// half of it came back because the group commit stopped waiting, not
    /// because the linger ran out (a lost wake-up fails, never hangs).
    const FOREVER: Duration = Duration::from_secs(60);

    /// Through journal rotations (fjall starts a new journal at a memtable
    /// flush once the active one passed 64 MB), each sync syncs a journal at
    /// least as new as the one that was active after the write: never one
    /// left behind by a rotation.
    #[test]
    fn each_sync_follows_the_journal_through_rotations() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let inner = Inner::open(dir.path(), 1 << 20).expect("store");
        // Values that do not compress (fjall may compress its journal).
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut noise = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()
        };
        let mut synced_journals = std::collections::BTreeSet::new();
        for i in 0u32..1200 {
            let value: Vec<u8> = (0..256 * 1024 / 8).flat_map(|_| noise()).collect();
            let mut batch = inner.db.batch();
            batch.insert(
                &inner.entry_by_conversation_seq,
                i.to_be_bytes().to_vec(),
                value,
            );
            batch.commit().expect("write");
            let written_to = active_journal(dir.path())
                .expect("listing")
                .expect("a journal");
            inner.sync().expect("sync");
            let synced = inner
                .journal
                .lock()
                .expect("lock")
                .as_ref()
                .map(|(n, _)| *n);
            let synced = synced.expect("a journal synced");
            assert!(
                synced >= written_to,
                "write {i}: synced {synced}, written to {written_to}"
            );
            synced_journals.insert(synced);
            if synced_journals.len() >= 3 {
                return;
            }
        }
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("e").file_name())
            .collect();
        panic!(
            "the journal rotated less than twice: {synced_journals:?} {files:?} {:?}",
            std::fs::metadata(dir.path().join("0.jnl")).map(|m| m.len())
        );
    }

    #[test]
    fn a_lone_request_is_synced_without_lingering() {
        let commit = Commit::default();
        commit.request(request().0);
        let batch = commit.next_batch(None, FOREVER).expect("a batch");
        assert_eq!(batch.len(), 1);
    }

    #[test]
    fn the_group_commit_waits_for_the_turns_in_flight_then_takes_them_all() {
        let commit = Arc::new(Commit::default());
        let first = WriteIntent::new(Arc::clone(&commit) as Arc<dyn InFlight>);
        let second = WriteIntent::new(Arc::clone(&commit) as Arc<dyn InFlight>);
        commit.request(request().0);
        let started = Instant::now();
        let flusher = {
            let commit = Arc::clone(&commit);
            thread::spawn(move || commit.next_batch(None, FOREVER))
        };
        // The first turn writes and lets go; the second is still in flight,
        // so the flush thread keeps lingering.
        commit.request(request().0);
        drop(first);
        commit.request(request().0);
        // The last turn in flight lets go: the batch holds all three.
        drop(second);
        let batch = flusher.join().expect("flush thread").expect("a batch");
        assert_eq!(batch.len(), 3);
        assert!(started.elapsed() < FOREVER / 2, "woken by the last turn");
    }

    #[test]
    fn a_sync_is_held_back_only_after_one_that_covered_several_turns() {
        let started = Instant::now();
        let window = Duration::from_millis(2);
        assert_eq!(window_end(None, true, window), None);
        assert_eq!(window_end(Some((started, 1)), true, window), None);
        assert_eq!(window_end(Some((started, 5)), false, window), None);
        assert_eq!(
            window_end(Some((started, 2)), true, window),
            Some(started + window)
        );
    }

    #[test]
    fn a_held_back_sync_starts_when_the_last_worker_runs_out_of_work() {
        let workers = Arc::new(Workers::new());
        workers.set_count(2);
        let commit = Arc::new(Commit::default());
        workers.register(&commit);
        commit.request(request().0);
        let started = Instant::now();
        let flusher = {
            let (commit, workers) = (Arc::clone(&commit), Arc::clone(&workers));
            thread::spawn(move || {
                commit.next_batch(Some((Instant::now() + FOREVER, &workers)), FOREVER)
            })
        };
        // One worker parks: the other still has work, so the sync waits.
        workers.parked();
        commit.request(request().0);
        // The second one parks too: nothing else will run, so it starts.
        workers.parked();
        let batch = flusher.join().expect("flush thread").expect("a batch");
        assert_eq!(batch.len(), 2);
        assert!(started.elapsed() < FOREVER / 2, "woken by the last worker");
        // Workers that are already idle hold nothing back.
        commit.request(request().0);
        let batch = commit.next_batch(Some((Instant::now() + FOREVER, &workers)), FOREVER);
        assert_eq!(batch.map(|b| b.len()), Some(1));
    }

    #[test]
    fn a_held_back_sync_starts_when_its_window_ends_though_the_workers_are_busy() {
        let workers = Workers::new();
        workers.set_count(2);
        let commit = Commit::default();
        commit.request(request().0);
        let batch = commit.next_batch(
            Some((Instant::now() + Duration::from_millis(20), &workers)),
            FOREVER,
        );
        assert_eq!(batch.map(|b| b.len()), Some(1));
    }

    #[test]
    fn a_closed_queue_hands_over_what_is_left_then_ends() {
        let commit = Commit::default();
        commit.request(request().0);
        commit.close();
        assert_eq!(commit.next_batch(None, FOREVER).map(|b| b.len()), Some(1));
        assert!(commit.next_batch(None, FOREVER).is_none());
    }

    #[test]
    fn handling_times_are_kept_per_locale_newest_last() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let store = FjallStore::open(dir.path(), 8 << 20, false).expect("store");
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

    /// A turn that moves only the record's marks writes only them: the
    /// record read back (now, after a reopen, and by retention) has the
    /// newest marks and the fields of the last whole write.
    #[test]
    fn a_turn_that_changes_only_the_marks_writes_only_them() {
        use crate::domain::{EntryBody, Sender};
        let dir = tempfile::TempDir::new().expect("temp dir");
        let two_days_ago: Timestamp =
            (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(48)).into();
        let mut record =
            ConversationRecord::new(ConversationId::random(), "en", None, two_days_ago);
        let entry = |seq: u64| TranscriptEntry {
            seq,
            body: EntryBody::text(Sender::Customer, format!("message {seq}"), "en"),
            ts: Timestamp::now(),
        };
        let turn = |record: &mut ConversationRecord| {
            record.last_seq += 1;
            record.updated_at = Some(Timestamp::now());
            record.last_customer_at = record.updated_at;
            entry(record.last_seq)
        };
        {
            let store = FjallStore::open(dir.path(), 8 << 20, false).expect("store");
            record.last_seq = 1;
            record.updated_at = Some(two_days_ago);
            let first = entry(1);
            store
                .append(&record, true, &[first], None, Some(&SessionToken::random()))
                .expect("first write");
            for _ in 0..3 {
                let next = turn(&mut record);
                // A change the caller says is none: the store keeps the old locale.
                record.locale = "de".to_owned();
                store
                    .append(&record, false, &[next], None, None)
                    .expect("marks only");
            }
            let read = store
                .conversation(&record.id)
                .expect("read")
                .expect("stored");
            assert_eq!(read.marks(), record.marks());
            assert_eq!(read.locale, "en", "the whole record was not rewritten");
            let day_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24);
            assert!(
                store
                    .conversations_idle_since(day_ago)
                    .expect("idle")
                    .is_empty(),
                "retention goes by the newest turn, not the record's last write"
            );
            let next = turn(&mut record);
            store
                .append(&record, true, &[next], None, None)
                .expect("whole record");
            store.flush().expect("flush");
        }
        let store = FjallStore::open(dir.path(), 8 << 20, false).expect("reopened clean");
        let read = store
            .conversation(&record.id)
            .expect("read")
            .expect("stored");
        assert_eq!(read, record);
        assert!(store.erase_conversation(&record.id).expect("erase"));
        let inner = store.inner().expect("inner");
        assert!(inner
            .marks_by_conversation
            .get(record.id.as_bytes())
            .expect("get")
            .is_none());
    }

    #[test]
    fn marks_round_trip_and_damage_is_caught() {
        let marks = TurnMarks {
            last_seq: 4_000_000_123,
            updated_at: Some(Timestamp::now()),
            last_customer_at: None,
        };
        let mut bytes = encode_marks(&marks);
        assert_eq!(decode_marks(b"k", &bytes).expect("decode"), marks);
        bytes[9] ^= 1;
        assert!(matches!(
            decode_marks(b"k", &bytes),
            Err(StoreError::Checksum { .. })
        ));
        assert!(decode_marks(b"k", &bytes[..20]).is_err());
    }
}
