//! The Redis implementation of [`Store`]: one node on Redis, with the same
//! guarantees as the embedded store (gap-free seq, idempotent client ids,
//! nothing acknowledged before it is durable).
//!
//! Key layout (`<id>` is the conversation id in 32 hex digits; everything a
//! conversation owns carries the hash tag `{c:<id>}`, so it could live in one
//! Redis Cluster slot):
//!
//! | key | type | holds |
//! |---|---|---|
//! | `sb:{c:<id>}:meta` | hash | `record`: the [`ConversationRecord`] (JSON); `last_seq`: its seq (decimal, read by the append script); `session`: SHA-256 of its session token (hex) |
//! | `sb:{c:<id>}:log` | stream | the transcript: entry `<seq>-0`, field `e` = the [`TranscriptEntry`] (JSON) |
//! | `sb:{c:<id>}:lease` | string | the node id delivering the conversation's entries to its channel now, expiring ([`Store::delivery_lease`]) |
//! | `sb:{c:<id>}:cid` | hash | [`ClientKey`] bytes (`c\0` id, or `a\0` agent `\0` id) -> seq (decimal) |
//! | `sb:{c:<id>}:bell` | pub/sub channel | the doorbell: the new `last_seq` after every append (a node subscribes to the doorbells of the conversations live on it, [`Store::hear`]) |
//! | `sb:queue` | pub/sub channel | a conversation id (hex) whose queue item changed: written with the item |
//! | `sb:relay` | pub/sub channel | a [`Relay`] (JSON): typing, notices for an agent on another node, erasures |
//! | `sb:nodes` | hash | node id -> [`NodePresence`] (JSON): each node's online agents, renewed every 2 s, stale after its `until_ms` |
//! | `sb:session:<sha256 hex>` | string | conversation id (hex): the session-token index (the token itself is never stored) |
//! | `sb:channel_user:<kind>/<name>/<user>` | string | conversation id (hex) ([`ChannelUser::key`]) |
//! | `sb:customer:<customer id>` | set | conversation ids (hex) of a `customer.id` |
//! | `sb:conversations` | sorted set | every conversation id (hex), scored by its last activity (`updated_at`, else `created_at`, µs since the epoch) |
//! | `sb:delivery` | hash | conversation id (hex) -> delivery cursor (decimal seq), channel conversations only |
//! | `sb:handoff` | hash | conversation id (hex) -> [`QueueEntry`] (JSON): the queue's items, places and assignees |
//! | `sb:handling:<locale>` | sorted set | [`HandlingSample`] (JSON) scored by its end (µs since the epoch) |
//! | `sb:handling_locales` | set | the locales with handling samples |
//! | `sb:unanswered` | list | [`Unanswered`] (JSON), newest first, trimmed to 10,000 |
//! | `sb:daily:<day>/<locale>/<channel>` | hash | the daily aggregate's counters ([`crate::domain::daily`]) -> count (decimal), added to with `HINCRBY` |
//! | `sb:daily` | sorted set | every daily key's `<day>/<locale>/<channel>`, all scored 0 so that a range of days is a lexical range |
//!
//! The global indexes (`sb:session:*`, `sb:channel_user:*`, `sb:customer:*`,
//! `sb:conversations`, `sb:delivery`) are written by the same append script as
//! a conversation's keys: that needs one Redis (with replicas or Sentinel),
//! not Redis Cluster.
//!
//! **Appends.** [`APPEND`] is one Lua script, so one append is atomic and
//! checked inside Redis: a client id already known returns its seq and writes
//! nothing; a `last_seq` that is not the one the caller numbered from writes
//! nothing either; otherwise it `XADD`s each entry with the id `<seq>-0`,
//! stores the record, records the client id and publishes the doorbell. Both
//! refusals are [`StoreError::Conflict`] and move [`Store::generation`] on,
//! so the engine reads the conversation again before its next turn.
//!
//! **Durability.** The operator runs Redis with `appendonly yes` and
//! `appendfsync always` (docs/redis.md); Redis then fsyncs its AOF before it
//! sends any reply, so a write is durable when its command returned and
//! [`Store::durable`] has nothing left to wait for. The settings are read at
//! open and a weaker one is logged as an error.
//!
//! **Calling Redis from a synchronous trait.** The trait is called from tokio
//! worker threads; each call takes a synchronous connection from a
//! pool (opening one when none is idle) and runs its command there. On a
//! multi-thread runtime the call is wrapped in
//! [`tokio::task::block_in_place`], so the worker's other tasks move to
//! another thread while this one waits on the socket; on a current-thread
//! runtime (unit tests) it simply blocks, which cannot deadlock because a
//! synchronous connection needs no runtime to make progress. The async
//! `ConnectionManager` would need a runtime thread free to drive it while the
//! caller blocks: `block_in_place` plus `Handle::block_on` works on a
//! multi-thread runtime but panics on a current-thread one, and inside the
//! server, whose workers are busy with language work, it answered 25-40%
//! fewer replies per second than this pool (docs/redis.md has the figures;
//! `cargo bench --bench redis_store` measures both at the store level).
//!
//! **Failures.** Any error from Redis (unreachable, a timeout, `MISCONF`,
//! `LOADING`) marks the store unhealthy: [`Store::health`] errs, `/readyz`
//! answers 503, writes are refused, and the idle connections are dropped.
//! [`Store::recover`] (called every two seconds by the app) pings a fresh
//! connection, and when Redis answers again clears the failure and moves
//! [`Store::generation`] on: the engine rereads what it holds, since an
//! unacknowledged write may or may not have reached Redis.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use redis::{Client, Connection, ConnectionAddr, Script};

use super::{BusMessage, Durable, Hearing, Store, StoreError, Swap, WriteIntent};
use crate::domain::{
    ChannelUser, ClientKey, ConversationId, ConversationRecord, DailyCounts, DailyKey,
    HandlingSample, NodePresence, QueueEntry, Relay, SessionToken, TranscriptEntry, Unanswered,
};

/// Unanswered questions kept; older ones are dropped as new ones arrive.
const UNANSWERED_KEPT: isize = 10_000;
/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one command may wait for its reply (an fsync included).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(5);
/// Idle connections kept in the pool; more may be open while busy.
const POOL_IDLE: usize = 128;

const CONVERSATIONS: &str = "sb:conversations";
const DELIVERY: &str = "sb:delivery";
const HANDOFF: &str = "sb:handoff";
const HANDLING_LOCALES: &str = "sb:handling_locales";
const UNANSWERED: &str = "sb:unanswered";
const DAILY: &str = "sb:daily";
const QUEUE_CHANNEL: &str = "sb:queue";
const RELAY_CHANNEL: &str = "sb:relay";
/// Channels per `SUBSCRIBE` when a node subscribes to every doorbell it
/// wants again after reconnecting.
const SUBSCRIBE_CHUNK: usize = 512;
const NODES: &str = "sb:nodes";
/// How many bus messages may wait for the node to handle them before the
/// subscription stops reading (Redis then buffers them, up to its
/// `client-output-buffer-limit pubsub`).
const BUS_BUFFER: usize = 4096;
/// How long to wait before subscribing again after the subscription broke.
const RESUBSCRIBE_PAUSE: Duration = Duration::from_millis(500);

/// Takes or renews a delivery lease ([`Store::delivery_lease`]). KEYS: the
/// lease, `sb:nodes`. ARGV: holder, ttl in ms, now in ms since the epoch.
/// Another node's lease is taken over when that node's presence is gone or
/// stale (it died: a restarted node must not wait out the lease of the
/// process it replaces). Returns 1 when `holder` holds it now.
const LEASE: &str = r"
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  local presence = redis.call('HGET', KEYS[2], holder)
  if presence and tonumber(cjson.decode(presence)['until_ms']) >= tonumber(ARGV[3]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
";

/// Gives a delivery lease up if `holder` (ARGV[1]) holds it. KEYS: the lease.
const UNLEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
";

/// The compare-and-set of a queue item's assignee ([`Store::swap_handoff`]).
/// KEYS: `sb:handoff`. ARGV: conversation id (hex), the expected assignee
/// (empty: nobody), the new item (JSON). Returns `{1}` when written (and
/// publishes the change on `sb:queue`), `{0, stored item or nil}` when not.
const SWAP: &str = r"
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return {0, false} end
local agent = cjson.decode(stored)['agent']
if agent == nil or agent == cjson.null then agent = '' end
if agent ~= ARGV[2] then return {0, stored} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PUBLISH', 'sb:queue', ARGV[1])
return {1, false}
";

/// The append, atomically (see the module docs). KEYS: meta, log, cid,
/// `sb:conversations`, session index, customer set, channel-user index,
/// `sb:delivery`. ARGV: id (hex), client key bytes (empty: none), the client
/// id's seq, `last_seq` after the append, the record (JSON), the activity
/// score, the session hash (hex; empty: not a new session), `1` to index the
/// customer, `1` to index the channel user, the number of entries, then the
/// entries (JSON) in seq order.
///
/// Returns `{0, seq}` for a known client id, `{1, stored last_seq}` for a
/// gap, `{2, last_seq}` when written, `{3, 0}` when a new conversation's
/// channel user has another conversation already (another node opened it
/// a moment before).
const APPEND: &str = r"
local id = ARGV[1]
local client = ARGV[2]
if client ~= '' then
  local known = redis.call('HGET', KEYS[3], client)
  if known then return {0, tonumber(known)} end
end
if ARGV[7] ~= '' and ARGV[9] == '1' then
  local other = redis.call('GET', KEYS[7])
  if other and other ~= id then return {3, 0} end
end
local stored = tonumber(redis.call('HGET', KEYS[1], 'last_seq') or '0')
local last = tonumber(ARGV[4])
local n = tonumber(ARGV[10])
if stored ~= last - n then return {1, stored} end
for i = 1, n do
  redis.call('XADD', KEYS[2], (last - n + i) .. '-0', 'e', ARGV[10 + i])
end
redis.call('HSET', KEYS[1], 'record', ARGV[5], 'last_seq', ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[6], id)
if client ~= '' then redis.call('HSET', KEYS[3], client, ARGV[3]) end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'session', ARGV[7])
  redis.call('SET', KEYS[5], id)
  if ARGV[8] == '1' then redis.call('SADD', KEYS[6], id) end
  if ARGV[9] == '1' then
    redis.call('SET', KEYS[7], id)
    redis.call('HSET', KEYS[8], id, 0)
  end
end
if n > 0 then redis.call('PUBLISH', 'sb:{c:' .. id .. '}:bell', ARGV[4]) end
return {2, last}
";

/// A conversation's keys.
struct Keys {
    id: String,
    meta: String,
    log: String,
    cid: String,
}

impl Keys {
    fn of(id: &ConversationId) -> Self {
        let id = id.to_string();
        Self {
            meta: format!("sb:{{c:{id}}}:meta"),
            log: format!("sb:{{c:{id}}}:log"),
            cid: format!("sb:{{c:{id}}}:cid"),
            id,
        }
    }
}

fn session_key(hash: &[u8; 32]) -> String {
    format!("sb:session:{}", hex::encode(hash))
}

fn channel_user_key(user: &ChannelUser) -> String {
    format!("sb:channel_user:{}", user.key())
}

fn customer_key(customer: &str) -> String {
    format!("sb:customer:{customer}")
}

fn lease_key(conversation: &ConversationId) -> String {
    format!("sb:{{c:{conversation}}}:lease")
}

fn handling_key(locale: &str) -> String {
    format!("sb:handling:{locale}")
}

/// Microseconds since the epoch: exact in a sorted set's f64 score for the
/// next few centuries.
fn micros(at: jiff::Timestamp) -> i64 {
    at.as_microsecond()
}

/// A Redis URL with any password replaced by `***`, for logs and errors.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or("", |(user, _)| user);
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None if url.contains("password=") => {
            // redis+unix:///path?pass=... style query parameters.
            match url.split_once('?') {
                Some((base, _)) => format!("{base}?***"),
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    }
}

/// The Redis [`Store`]: a pool of synchronous connections to one Redis.
pub struct RedisStore {
    client: Client,
    /// Where Redis is, with any password redacted (for logs).
    place: String,
    idle: Mutex<Vec<Connection>>,
    append: Script,
    swap: Script,
    lease: Script,
    unlease: Script,
    /// Why the store cannot write, once Redis failed.
    failure: Mutex<Option<String>>,
    generation: AtomicU64,
    writers: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    bells: std::sync::Arc<Bells>,
}

/// The doorbells this node wants to hear: the conversations live on it, each
/// counted by its [`Hearing`]s, and the listening task's inbox of
/// conversations whose want changed.
#[derive(Default)]
struct Bells {
    wanted: Mutex<std::collections::HashMap<ConversationId, usize>>,
    changed: Mutex<Option<tokio::sync::mpsc::UnboundedSender<ConversationId>>>,
}

impl Bells {
    fn wanted(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<ConversationId, usize>> {
        self.wanted.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn is_wanted(&self, conversation: &ConversationId) -> bool {
        self.wanted().contains_key(conversation)
    }

    /// Counts one more (`up`) or one fewer hearing of `conversation`, and
    /// tells the listening task when the conversation's want changed.
    fn count(&self, conversation: ConversationId, up: bool) {
        let mut wanted = self.wanted();
        let changed = if up {
            let n = wanted.entry(conversation).or_insert(0);
            *n += 1;
            *n == 1
        } else {
            match wanted.get_mut(&conversation) {
                Some(n) if *n > 1 => {
                    *n -= 1;
                    false
                }
                Some(_) => {
                    wanted.remove(&conversation);
                    true
                }
                None => false,
            }
        };
        drop(wanted);
        if changed {
            if let Some(changes) = &*self.changed.lock().unwrap_or_else(|e| e.into_inner()) {
                // The task reads the want when it gets to it: a change sent
                // twice or out of order still ends in the right state.
                let _ = changes.send(conversation);
            }
        }
    }
}

/// The doorbell channel of `conversation`.
fn bell_channel(conversation: &ConversationId) -> String {
    format!("sb:{{c:{conversation}}}:bell")
}

impl RedisStore {
    /// The append script's Lua source ([`APPEND`]), for benchmarks that
    /// call it another way.
    pub const APPEND_SCRIPT: &'static str = APPEND;

    /// Connects to the Redis at `url` (`redis://[:PASSWORD@]HOST:PORT/DB` or
    /// `redis+unix:///PATH[?db=N]`), checks that it answers, and reads its
    /// durability settings: without `appendonly yes` and `appendfsync
    /// always`, an ack does not mean the entry survives a Redis crash, and
    /// that is logged as an error (the store still opens).
    ///
    /// # Errors
    ///
    /// [`StoreError::Url`] for a URL the redis crate does not accept;
    /// [`StoreError::Redis`] if Redis cannot be reached or refuses `PING`
    /// (a wrong password, say).
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let client = Client::open(url)
            .map_err(|e| StoreError::Url(format!("`{}` is not a Redis URL: {e}", redacted(url))))?;
        let place = match client.get_connection_info().addr() {
            ConnectionAddr::Unix(path) => format!("unix:{}", path.display()),
            other => other.to_string(),
        };
        let store = Self {
            client,
            place,
            idle: Mutex::new(Vec::new()),
            append: Script::new(APPEND),
            swap: Script::new(SWAP),
            lease: Script::new(LEASE),
            unlease: Script::new(UNLEASE),
            failure: Mutex::new(None),
            generation: AtomicU64::new(0),
            writers: std::sync::Arc::default(),
            bells: std::sync::Arc::default(),
        };
        let mut connection = store.connect()?;
        redis::cmd("PING").query::<String>(&mut connection)?;
        store.append.load(&mut connection)?;
        store.check_durability(&mut connection);
        store.give_back(connection);
        tracing::info!(redis = %store.place, "store: Redis");
        Ok(store)
    }

    /// Where Redis is (`host:port` or `unix:/path`), without credentials.
    pub fn place(&self) -> &str {
        &self.place
    }

    /// Subscribes to the other nodes' changes (doorbells, queue changes,
    /// relays) until `shutdown`, on its own connection, and returns what it
    /// hears. Whenever the subscription is (re)established, after Redis was
    /// unreachable or restarted, [`BusMessage::Resubscribed`] comes first:
    /// pub/sub keeps nothing for a subscriber that was away, so the node
    /// reads the store again from where it was. Must be called inside a
    /// tokio runtime.
    pub fn listen(
        &self,
        shutdown: tokio_util::sync::CancellationToken,
    ) -> tokio::sync::mpsc::Receiver<BusMessage> {
        let (tx, rx) = tokio::sync::mpsc::channel(BUS_BUFFER);
        let (changes, mut changed) = tokio::sync::mpsc::unbounded_channel();
        *self.bells.changed.lock().unwrap_or_else(|e| e.into_inner()) = Some(changes);
        let client = self.client.clone();
        let place = self.place.clone();
        let bells = std::sync::Arc::clone(&self.bells);
        tokio::spawn(async move {
            let mut broken = false;
            loop {
                let subscribed = tokio::select! {
                    () = shutdown.cancelled() => return,
                    subscribed = subscribe(&client, &bells) => subscribed,
                };
                match subscribed {
                    Ok((mut sink, mut messages)) => {
                        if broken {
                            tracing::info!(redis = %place, "subscribed to the other nodes again");
                        }
                        if tx.send(BusMessage::Resubscribed).await.is_err() {
                            return;
                        }
                        loop {
                            let heard = tokio::select! {
                                () = shutdown.cancelled() => return,
                                message = futures_util::StreamExt::next(&mut messages) => {
                                    let Some(message) = message else { break };
                                    bus_message(&message)
                                }
                                conversation = changed.recv() => {
                                    let Some(conversation) = conversation else { return };
                                    let channel = bell_channel(&conversation);
                                    if bells.is_wanted(&conversation) {
                                        if sink.subscribe(&channel).await.is_err() {
                                            break;
                                        }
                                        Some(BusMessage::Hearing { conversation })
                                    } else {
                                        if sink.unsubscribe(&channel).await.is_err() {
                                            break;
                                        }
                                        None
                                    }
                                }
                            };
                            if let Some(heard) = heard {
                                if tx.send(heard).await.is_err() {
                                    return;
                                }
                            }
                        }
                        tracing::warn!(redis = %place, "lost the subscription to the other nodes; subscribing again");
                    }
                    Err(error) => {
                        if !broken {
                            tracing::warn!(redis = %place, %error, "cannot subscribe to the other nodes; trying again");
                        }
                    }
                }
                broken = true;
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(RESUBSCRIBE_PAUSE) => {}
                }
            }
        });
        rx
    }

    fn check_durability(&self, connection: &mut Connection) {
        let mut setting = |name: &str| -> Option<String> {
            let pair: Vec<String> = redis::cmd("CONFIG")
                .arg("GET")
                .arg(name)
                .query(connection)
                .ok()?;
            pair.into_iter().nth(1)
        };
        match (setting("appendonly"), setting("appendfsync")) {
            (Some(only), Some(fsync)) if only == "yes" && fsync == "always" => {}
            (Some(appendonly), Some(appendfsync)) => tracing::error!(
                redis = %self.place,
                %appendonly,
                %appendfsync,
                "Redis is not run with appendonly yes and appendfsync always: \
                 an acknowledged entry can be lost if Redis crashes (docs/redis.md)"
            ),
            _ => tracing::warn!(
                redis = %self.place,
                "cannot read Redis's appendonly and appendfsync (CONFIG GET refused): \
                 make sure they are yes and always (docs/redis.md)"
            ),
        }
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let connection = self.client.get_connection_with_timeout(CONNECT_TIMEOUT)?;
        connection.set_read_timeout(Some(COMMAND_TIMEOUT))?;
        connection.set_write_timeout(Some(COMMAND_TIMEOUT))?;
        Ok(connection)
    }

    fn give_back(&self, connection: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < POOL_IDLE {
            idle.push(connection);
        }
    }

    /// Runs `work` on a pooled connection, off the async worker (see the
    /// module docs). An error from Redis marks the store unhealthy and
    /// drops every idle connection (after a restart they are all dead).
    fn with<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        blocking(|| {
            let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut connection = match taken {
                Some(connection) => connection,
                None => self.connect().inspect_err(|e| self.note(e))?,
            };
            match work(&mut connection) {
                Ok(value) => {
                    self.give_back(connection);
                    Ok(value)
                }
                Err(error) => {
                    let error = StoreError::Redis(error);
                    self.note(&error);
                    Err(error)
                }
            }
        })
    }

    /// [`Self::with`], refused while the store is unhealthy.
    fn write<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        if let Some(reason) = self.failure() {
            return Err(StoreError::Unavailable(reason));
        }
        self.with(work)
    }

    fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn note(&self, error: &StoreError) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        if failure.is_none() {
            let reason = error.to_string();
            tracing::error!(redis = %self.place, %reason, "the store cannot write: readiness is off until Redis answers again");
            metrics::counter!("switchboard_store_failures_total").increment(1);
            *failure = Some(reason);
        }
    }
}

/// Runs blocking work without stalling the runtime's other tasks: on a
/// multi-thread runtime through `block_in_place`; elsewhere (no runtime, or
/// a current-thread one, where `block_in_place` would panic) directly.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// A pub/sub connection listening to the queue, relays and the doorbells
/// of the conversations live on this node, as a sink to subscribe to more
/// and the stream of what it hears.
async fn subscribe(
    client: &Client,
    bells: &Bells,
) -> Result<(redis::aio::PubSubSink, redis::aio::PubSubStream), StoreError> {
    let connect = async {
        let mut pubsub = client.get_async_pubsub().await?;
        pubsub.subscribe(&[QUEUE_CHANNEL, RELAY_CHANNEL]).await?;
        let wanted: Vec<String> = bells.wanted().keys().map(bell_channel).collect();
        for chunk in wanted.chunks(SUBSCRIBE_CHUNK) {
            pubsub.subscribe(chunk).await?;
        }
        Ok::<_, redis::RedisError>(pubsub.split())
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(subscribed) => Ok(subscribed?),
        Err(_) => Err(StoreError::Unavailable("subscribing timed out".to_owned())),
    }
}

/// What a pub/sub message says; `None` (logged) for one that does not parse.
fn bus_message(message: &redis::Msg) -> Option<BusMessage> {
    let channel = message.get_channel_name();
    let payload = message.get_payload_bytes();
    let heard = if channel == QUEUE_CHANNEL {
        std::str::from_utf8(payload)
            .ok()
            .and_then(conversation_id)
            .map(|conversation| BusMessage::Queue { conversation })
    } else if channel == RELAY_CHANNEL {
        serde_json::from_slice(payload).ok().map(BusMessage::Relay)
    } else {
        let id = channel
            .strip_prefix("sb:{c:")
            .and_then(|rest| rest.strip_suffix("}:bell"))
            .and_then(conversation_id);
        let last_seq = std::str::from_utf8(payload)
            .ok()
            .and_then(|seq| seq.parse().ok());
        id.zip(last_seq)
            .map(|(conversation, last_seq)| BusMessage::Bell {
                conversation,
                last_seq,
            })
    };
    if heard.is_none() {
        tracing::warn!(
            channel,
            "a message from another node that does not parse; ignored"
        );
    }
    heard
}

fn decode<T: serde::de::DeserializeOwned>(key: &str, bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
        key: key.to_owned(),
        source,
    })
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(StoreError::Encode)
}

fn conversation_id(hex: &str) -> Option<ConversationId> {
    hex.parse().ok()
}

/// A stream reply (`XRANGE`, `XREVRANGE`): `[[id, [field, value, ...]], ...]`.
type StreamReply = Vec<(String, Vec<Vec<u8>>)>;

fn entries_of(key: &str, reply: StreamReply) -> Result<Vec<TranscriptEntry>, StoreError> {
    reply
        .into_iter()
        .filter_map(|(id, fields)| {
            // Fields come as name, value pairs; the entry is under `e`.
            let value = fields
                .chunks(2)
                .find(|pair| pair.first().is_some_and(|name| name == b"e"))
                .and_then(|pair| pair.get(1).cloned());
            value.map(|bytes| decode(&format!("{key} {id}"), &bytes))
        })
        .collect()
}

/// A `COUNT` Redis accepts for `limit` entries.
fn count(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

impl Store for RedisStore {
    fn conversation(&self, id: &ConversationId) -> Result<Option<ConversationRecord>, StoreError> {
        let keys = Keys::of(id);
        let bytes: Option<Vec<u8>> =
            self.with(|c| redis::cmd("HGET").arg(&keys.meta).arg("record").query(c))?;
        bytes.map(|b| decode(&keys.meta, &b)).transpose()
    }

    fn conversation_by_session(
        &self,
        session: &SessionToken,
    ) -> Result<Option<ConversationId>, StoreError> {
        let key = session_key(&session.hash());
        let id: Option<String> = self.with(|c| redis::cmd("GET").arg(&key).query(c))?;
        Ok(id.as_deref().and_then(conversation_id))
    }

    fn conversation_by_channel_user(
        &self,
        user: &ChannelUser,
    ) -> Result<Option<ConversationId>, StoreError> {
        let key = channel_user_key(user);
        let id: Option<String> = self.with(|c| redis::cmd("GET").arg(&key).query(c))?;
        Ok(id.as_deref().and_then(conversation_id))
    }

    fn append(
        &self,
        record: &ConversationRecord,
        // One round trip either way: the record rides with the append.
        _changed: bool,
        entries: &[TranscriptEntry],
        client: Option<(ClientKey<'_>, u64)>,
        new_session: Option<&SessionToken>,
    ) -> Result<(), StoreError> {
        let keys = Keys::of(&record.id);
        let session_hash = new_session.map(|s| s.hash());
        let customer = record.customer.as_ref().and_then(|c| c.id.as_deref());
        let activity = micros(record.updated_at.unwrap_or(record.created_at).as_jiff());
        let mut invocation = self.append.prepare_invoke();
        invocation
            .key(&keys.meta)
            .key(&keys.log)
            .key(&keys.cid)
            .key(CONVERSATIONS)
            .key(session_hash.map_or_else(|| "sb:session:".to_owned(), |h| session_key(&h)))
            .key(customer_key(customer.unwrap_or_default()))
            .key(
                record
                    .channel
                    .as_ref()
                    .map_or_else(|| "sb:channel_user:".to_owned(), channel_user_key),
            )
            .key(DELIVERY)
            .arg(&keys.id)
            .arg(client.map(|(key, _)| key.to_bytes()).unwrap_or_default())
            .arg(client.map_or(0, |(_, seq)| seq))
            .arg(record.last_seq)
            .arg(encode(record)?)
            .arg(activity)
            .arg(session_hash.map(hex::encode).unwrap_or_default())
            .arg(if customer.is_some() { "1" } else { "0" })
            .arg(if record.channel.is_some() { "1" } else { "0" })
            .arg(entries.len());
        for entry in entries {
            invocation.arg(encode(entry)?);
        }
        let (outcome, seq): (u8, u64) = self.write(|c| invocation.invoke(c))?;
        match outcome {
            2 => {
                // The metrics the embedded store's group commit keeps: here
                // every append is its own fsync in Redis (Redis may share
                // one between clients; that is not visible from here).
                metrics::counter!("switchboard_store_flushes_total").increment(1);
                metrics::histogram!("switchboard_store_entries_per_flush")
                    .record(entries.len() as f64);
                Ok(())
            }
            0 => {
                self.generation.fetch_add(1, Ordering::AcqRel);
                Err(StoreError::Conflict(format!(
                    "conversation {}: the client id is stored already, as seq {seq}",
                    keys.id
                )))
            }
            3 => {
                self.generation.fetch_add(1, Ordering::AcqRel);
                Err(StoreError::Conflict(format!(
                    "conversation {}: its channel user has another conversation already",
                    keys.id
                )))
            }
            _ => {
                self.generation.fetch_add(1, Ordering::AcqRel);
                Err(StoreError::Conflict(format!(
                    "conversation {}: its stored last_seq is {seq}, not {}",
                    keys.id,
                    record.last_seq.saturating_sub(entries.len() as u64)
                )))
            }
        }
    }

    fn seq_of_client_id(
        &self,
        conversation: &ConversationId,
        client: ClientKey<'_>,
    ) -> Result<Option<u64>, StoreError> {
        let keys = Keys::of(conversation);
        self.with(|c| {
            redis::cmd("HGET")
                .arg(&keys.cid)
                .arg(client.to_bytes())
                .query(c)
        })
    }

    fn transcript_page(
        &self,
        conversation: &ConversationId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        if limit == 0 || after == u64::MAX {
            return Ok(Vec::new());
        }
        let keys = Keys::of(conversation);
        let reply: StreamReply = self.with(|c| {
            redis::cmd("XRANGE")
                .arg(&keys.log)
                .arg(format!("{}-0", after + 1))
                .arg("+")
                .arg("COUNT")
                .arg(count(limit))
                .query(c)
        })?;
        entries_of(&keys.log, reply)
    }

    fn transcript_before(
        &self,
        conversation: &ConversationId,
        before: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        if before <= 1 || limit == 0 {
            return Ok(Vec::new());
        }
        let keys = Keys::of(conversation);
        let reply: StreamReply = self.with(|c| {
            redis::cmd("XREVRANGE")
                .arg(&keys.log)
                .arg(format!("{}-0", before - 1))
                .arg("-")
                .arg("COUNT")
                .arg(count(limit))
                .query(c)
        })?;
        let mut entries = entries_of(&keys.log, reply)?;
        entries.reverse();
        Ok(entries)
    }

    fn delivery_cursors(&self) -> Result<Vec<(ConversationId, u64)>, StoreError> {
        let all: Vec<(String, u64)> =
            self.with(|c| redis::cmd("HGETALL").arg(DELIVERY).query(c))?;
        let mut cursors: Vec<(ConversationId, u64)> = all
            .into_iter()
            .filter_map(|(id, seq)| Some((conversation_id(&id)?, seq)))
            .collect();
        cursors.sort_by_key(|(id, _)| *id);
        Ok(cursors)
    }

    fn delivery_cursor(&self, conversation: &ConversationId) -> Result<Option<u64>, StoreError> {
        let id = conversation.to_string();
        self.with(|c| redis::cmd("HGET").arg(DELIVERY).arg(&id).query(c))
    }

    fn set_delivery_cursor(
        &self,
        conversation: &ConversationId,
        seq: u64,
    ) -> Result<(), StoreError> {
        let id = conversation.to_string();
        self.write(|c| redis::cmd("HSET").arg(DELIVERY).arg(&id).arg(seq).query(c))
    }

    fn save_handoff(&self, record: &QueueEntry) -> Result<(), StoreError> {
        let id = record.conversation.to_string();
        let value = encode(record)?;
        self.write(|c| {
            redis::pipe()
                .atomic()
                .cmd("HSET")
                .arg(HANDOFF)
                .arg(&id)
                .arg(&value)
                .ignore()
                .cmd("PUBLISH")
                .arg(QUEUE_CHANNEL)
                .arg(&id)
                .ignore()
                .query(c)
        })
    }

    fn remove_handoff(&self, conversation: &ConversationId) -> Result<(), StoreError> {
        let id = conversation.to_string();
        self.write(|c| {
            redis::pipe()
                .atomic()
                .cmd("HDEL")
                .arg(HANDOFF)
                .arg(&id)
                .ignore()
                .cmd("PUBLISH")
                .arg(QUEUE_CHANNEL)
                .arg(&id)
                .ignore()
                .query(c)
        })
    }

    fn handoff(&self, conversation: &ConversationId) -> Result<Option<QueueEntry>, StoreError> {
        let id = conversation.to_string();
        let value: Option<Vec<u8>> =
            self.with(|c| redis::cmd("HGET").arg(HANDOFF).arg(&id).query(c))?;
        value
            .map(|bytes| decode(&format!("{HANDOFF} {id}"), &bytes))
            .transpose()
    }

    fn swap_handoff(
        &self,
        expected: Option<&str>,
        record: &QueueEntry,
    ) -> Result<Swap, StoreError> {
        let id = record.conversation.to_string();
        let value = encode(record)?;
        let (done, stored): (i64, Option<Vec<u8>>) = self.write(|c| {
            self.swap
                .key(HANDOFF)
                .arg(&id)
                .arg(expected.unwrap_or(""))
                .arg(&value)
                .invoke(c)
        })?;
        if done == 1 {
            return Ok(Swap::Done);
        }
        let stored = stored
            .map(|bytes| decode(&format!("{HANDOFF} {id}"), &bytes))
            .transpose()?;
        Ok(Swap::Refused(stored.map(Box::new)))
    }

    fn delivery_lease(
        &self,
        conversation: &ConversationId,
        holder: &str,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let key = lease_key(conversation);
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let now = jiff::Timestamp::now().as_millisecond();
        let held: i64 = self.write(|c| {
            self.lease
                .key(&key)
                .key(NODES)
                .arg(holder)
                .arg(ms)
                .arg(now)
                .invoke(c)
        })?;
        Ok(held == 1)
    }

    fn end_delivery_lease(
        &self,
        conversation: &ConversationId,
        holder: &str,
    ) -> Result<(), StoreError> {
        let key = lease_key(conversation);
        self.write(|c| self.unlease.key(&key).arg(holder).invoke::<i64>(c))?;
        Ok(())
    }

    fn publish(&self, relay: &Relay) -> Result<(), StoreError> {
        let value = encode(relay)?;
        self.with(|c| {
            redis::cmd("PUBLISH")
                .arg(RELAY_CHANNEL)
                .arg(&value)
                .query(c)
        })
    }

    fn heartbeat(&self, mine: &NodePresence) -> Result<Vec<NodePresence>, StoreError> {
        let value = encode(mine)?;
        let all: Vec<(String, Vec<u8>)> = self.write(|c| {
            let ((), all): ((), Vec<(String, Vec<u8>)>) = redis::pipe()
                .cmd("HSET")
                .arg(NODES)
                .arg(&mine.node)
                .arg(&value)
                .cmd("HGETALL")
                .arg(NODES)
                .query(c)?;
            Ok(all)
        })?;
        let now = jiff::Timestamp::now().as_millisecond();
        let mut others = Vec::new();
        let mut stale = Vec::new();
        for (node, bytes) in all {
            if node == mine.node {
                continue;
            }
            match serde_json::from_slice::<NodePresence>(&bytes) {
                Ok(presence) if presence.until_ms >= now => others.push(presence),
                _ => stale.push(node),
            }
        }
        if !stale.is_empty() {
            self.write(|c| redis::cmd("HDEL").arg(NODES).arg(&stale).query::<()>(c))?;
        }
        Ok(others)
    }

    fn handoffs(&self) -> Result<Vec<QueueEntry>, StoreError> {
        let mut all: Vec<(String, Vec<u8>)> =
            self.with(|c| redis::cmd("HGETALL").arg(HANDOFF).query(c))?;
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all.into_iter()
            .map(|(id, value)| decode(&format!("{HANDOFF} {id}"), &value))
            .collect()
    }

    fn record_handling(&self, sample: &HandlingSample, keep: usize) -> Result<(), StoreError> {
        let key = handling_key(&sample.locale);
        let value = encode(sample)?;
        let score = micros(sample.at.as_jiff());
        // Rank -(keep+1) is the newest one beyond `keep`; with keep 0, all go.
        let beyond = -isize::try_from(keep).unwrap_or(isize::MAX - 1) - 1;
        self.write(|c| {
            redis::pipe()
                .atomic()
                .cmd("ZADD")
                .arg(&key)
                .arg(score)
                .arg(&value)
                .ignore()
                .cmd("ZREMRANGEBYRANK")
                .arg(&key)
                .arg(0)
                .arg(beyond)
                .ignore()
                .cmd("SADD")
                .arg(HANDLING_LOCALES)
                .arg(&sample.locale)
                .ignore()
                .query(c)
        })
    }

    fn handling_times(&self) -> Result<Vec<HandlingSample>, StoreError> {
        let values: Vec<Vec<Vec<u8>>> = self.with(|c| {
            let locales: Vec<String> = redis::cmd("SMEMBERS").arg(HANDLING_LOCALES).query(c)?;
            if locales.is_empty() {
                // An empty pipeline is an error to redis-rs.
                return Ok(Vec::new());
            }
            let mut pipe = redis::pipe();
            for locale in &locales {
                pipe.cmd("ZRANGE").arg(handling_key(locale)).arg(0).arg(-1);
            }
            pipe.query(c)
        })?;
        let mut samples = values
            .into_iter()
            .flatten()
            .map(|value| decode::<HandlingSample>("sb:handling", &value))
            .collect::<Result<Vec<_>, StoreError>>()?;
        samples.sort_by_key(|s| s.at);
        Ok(samples)
    }

    fn record_unanswered(&self, question: &Unanswered) -> Result<(), StoreError> {
        let value = encode(question)?;
        self.write(|c| {
            redis::pipe()
                .atomic()
                .cmd("LPUSH")
                .arg(UNANSWERED)
                .arg(&value)
                .ignore()
                .cmd("LTRIM")
                .arg(UNANSWERED)
                .arg(0)
                .arg(UNANSWERED_KEPT - 1)
                .ignore()
                .query(c)
        })
    }

    fn unanswered(&self, limit: usize) -> Result<Vec<Unanswered>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let last = isize::try_from(limit).map_or(-1, |l| l - 1);
        let values: Vec<Vec<u8>> = self.with(|c| {
            redis::cmd("LRANGE")
                .arg(UNANSWERED)
                .arg(0)
                .arg(last)
                .query(c)
        })?;
        values
            .iter()
            .map(|value| decode(UNANSWERED, value))
            .collect()
    }

    fn add_daily(&self, key: &DailyKey, delta: &DailyCounts) -> Result<(), StoreError> {
        if delta.is_empty() {
            return Ok(());
        }
        let name = key.encode();
        let hash = format!("{DAILY}:{name}");
        self.write(|c| {
            let mut pipe = redis::pipe();
            pipe.atomic();
            for (counter, by) in &delta.0 {
                pipe.cmd("HINCRBY")
                    .arg(&hash)
                    .arg(counter)
                    .arg(*by)
                    .ignore();
            }
            pipe.cmd("ZADD").arg(DAILY).arg(0).arg(&name).ignore();
            pipe.query(c)
        })
    }

    fn daily(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<(DailyKey, DailyCounts)>, StoreError> {
        if from > to {
            return Ok(Vec::new());
        }
        // '0' sorts right after '/': every key of day `to` is below "{to}0".
        let (low, high) = (format!("[{from}"), format!("({to}0"));
        let names: Vec<String> = self.with(|c| {
            redis::cmd("ZRANGEBYLEX")
                .arg(DAILY)
                .arg(&low)
                .arg(&high)
                .query(c)
        })?;
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let counters: Vec<std::collections::BTreeMap<String, i64>> = self.with(|c| {
            let mut pipe = redis::pipe();
            for name in &names {
                pipe.cmd("HGETALL").arg(format!("{DAILY}:{name}"));
            }
            pipe.query(c)
        })?;
        Ok(names
            .iter()
            .zip(counters)
            .filter_map(|(name, counts)| match DailyKey::decode(name) {
                Some(key) => Some((key, DailyCounts(counts))),
                None => {
                    tracing::warn!(key = %name, "a daily key that does not parse is skipped");
                    None
                }
            })
            .collect())
    }

    fn durable(&self, _entries: usize) -> Durable {
        // Redis replied only after its AOF was fsynced (appendfsync always).
        let result = match self.failure() {
            Some(reason) => Err(StoreError::Flush(reason)),
            None => Ok(()),
        };
        Box::pin(std::future::ready(result))
    }

    fn erase_conversation(&self, id: &ConversationId) -> Result<bool, StoreError> {
        let keys = Keys::of(id);
        let (record, session): (Option<Vec<u8>>, Option<String>) = self.with(|c| {
            redis::cmd("HMGET")
                .arg(&keys.meta)
                .arg("record")
                .arg("session")
                .query(c)
        })?;
        let Some(record) = record else {
            return Ok(false);
        };
        let record = decode::<ConversationRecord>(&keys.meta, &record).ok();
        let questions: Vec<Vec<u8>> =
            self.with(|c| redis::cmd("LRANGE").arg(UNANSWERED).arg(0).arg(-1).query(c))?;
        let mine: Vec<Vec<u8>> = questions
            .into_iter()
            .filter(|value| {
                serde_json::from_slice::<Unanswered>(value)
                    .is_ok_and(|question| question.conversation == *id)
            })
            .collect();
        let mut pipe = redis::pipe();
        pipe.atomic()
            .cmd("DEL")
            .arg(&keys.meta)
            .arg(&keys.log)
            .arg(&keys.cid)
            .ignore();
        if let Some(session) = session {
            pipe.cmd("DEL")
                .arg(format!("sb:session:{session}"))
                .ignore();
        }
        if let Some(customer) = record
            .as_ref()
            .and_then(|r| r.customer.as_ref())
            .and_then(|c| c.id.as_deref())
        {
            pipe.cmd("SREM")
                .arg(customer_key(customer))
                .arg(&keys.id)
                .ignore();
        }
        if let Some(user) = record.as_ref().and_then(|r| r.channel.as_ref()) {
            pipe.cmd("DEL").arg(channel_user_key(user)).ignore();
        }
        for value in &mine {
            pipe.cmd("LREM").arg(UNANSWERED).arg(0).arg(value).ignore();
        }
        pipe.cmd("HDEL").arg(DELIVERY).arg(&keys.id).ignore();
        pipe.cmd("HDEL").arg(HANDOFF).arg(&keys.id).ignore();
        pipe.cmd("PUBLISH")
            .arg(QUEUE_CHANNEL)
            .arg(&keys.id)
            .ignore();
        pipe.cmd("ZREM").arg(CONVERSATIONS).arg(&keys.id).ignore();
        self.write(|c| pipe.query::<()>(c))?;
        Ok(true)
    }

    fn conversations_of_customer(&self, customer: &str) -> Result<Vec<ConversationId>, StoreError> {
        let key = customer_key(customer);
        let ids: Vec<String> = self.with(|c| redis::cmd("SMEMBERS").arg(&key).query(c))?;
        let mut ids: Vec<ConversationId> =
            ids.iter().filter_map(|id| conversation_id(id)).collect();
        ids.sort();
        Ok(ids)
    }

    fn conversations_idle_since(
        &self,
        before: jiff::Timestamp,
    ) -> Result<Vec<ConversationId>, StoreError> {
        let below = format!("({}", micros(before));
        let ids: Vec<String> = self.with(|c| {
            redis::cmd("ZRANGEBYSCORE")
                .arg(CONVERSATIONS)
                .arg("-inf")
                .arg(&below)
                .query(c)
        })?;
        Ok(ids.iter().filter_map(|id| conversation_id(id)).collect())
    }

    fn health(&self) -> Result<(), String> {
        match self.failure() {
            Some(reason) => Err(reason),
            None => Ok(()),
        }
    }

    fn recover(&self) -> bool {
        let answered = blocking(|| {
            self.connect()
                .and_then(|mut c| Ok(redis::cmd("PING").query::<String>(&mut c)?))
        });
        match answered {
            Ok(_) => {
                let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
                if failure.take().is_some() {
                    self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
                    self.generation.fetch_add(1, Ordering::AcqRel);
                    tracing::warn!(redis = %self.place, "the store writes again: Redis answers");
                }
                true
            }
            Err(error) => {
                self.note(&error);
                false
            }
        }
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn hear(&self, conversation: &ConversationId) -> Hearing {
        self.bells.count(*conversation, true);
        let (bells, conversation) = (std::sync::Arc::clone(&self.bells), *conversation);
        Hearing::until(move || bells.count(conversation, false))
    }

    fn write_intent(&self) -> WriteIntent {
        WriteIntent::new(std::sync::Arc::clone(&self.writers) as std::sync::Arc<dyn super::InFlight>)
    }
}
