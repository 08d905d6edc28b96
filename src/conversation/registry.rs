//! Live conversations: the handles of those with a connected client, their
//! record behind a lock, and the one way anything is written (commit).

use super::*;
use crate::storage::Hearing;

/// How many events a slow connection may fall behind before it rereads the
/// transcript from the store (a turn is two or three events). The buffer is
/// allocated whole for every live conversation.
pub(super) const EVENT_BUFFER: usize = 16;

/// A conversation with at least one connected client.
pub struct Live {
    /// The conversation's id.
    pub id: ConversationId,
    pub(super) record: tokio::sync::Mutex<ConversationRecord>,
    pub(super) events: broadcast::Sender<Event>,
    /// Open customer connections.
    pub(super) connections: AtomicUsize,
    /// The agent holding the conversation is typing (so that leaving turns it off).
    pub(super) agent_typing: std::sync::atomic::AtomicBool,
    /// The store generation the record was read at ([`Store::generation`]).
    pub(super) generation: AtomicU64,
    /// The network address of the newest customer connection.
    pub(super) address: Mutex<Option<IpAddr>>,
    /// A new conversation lives in memory until the customer does something:
    /// its session token and the entries (the greeting) not yet stored. Taken
    /// by the first commit, under the record's lock.
    pub(super) unstored: Mutex<Option<Unstored>>,
    /// The messaging-channel customer, for a channel conversation.
    pub(super) channel: Option<ChannelUser>,
    /// Other nodes' appends to it ring here while it is live.
    _hearing: Hearing,
    /// Every customer frame id stored in the conversation and the seq it was
    /// stored under, while this process knows all of them: the conversation
    /// was started here, on a store only this process writes to. `None`: the
    /// store is asked (a lookup in its index cost 4% of a turn's CPU under
    /// load). Read and changed under the record's lock.
    customer_ids: Mutex<Option<HashMap<Box<str>, u64>>>,
}

pub(super) struct Unstored {
    pub(super) token: SessionToken,
    pub(super) entries: Vec<TranscriptEntry>,
}

impl Live {
    /// A receiver of the conversation's events from now on; one that falls
    /// more than `EVENT_BUFFER` events behind misses some (it lags) and must
    /// reread the transcript from the store.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    fn lock_customer_ids(&self) -> std::sync::MutexGuard<'_, Option<HashMap<Box<str>, u64>>> {
        self.customer_ids.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Called when the conversation is started in this process: no customer
    /// frame id was stored for it before, so with `sole_writer` (no other
    /// process writes to the store) every one is known here from now on.
    pub(super) fn knows_every_customer_id(&self, sole_writer: bool) {
        if sole_writer {
            *self.lock_customer_ids() = Some(HashMap::new());
        }
    }

    /// The seq stored under customer frame id `id`: `Some(None)` if it was
    /// never stored, `None` if only the store can tell.
    pub(super) fn known_customer_id(&self, id: &str) -> Option<Option<u64>> {
        self.lock_customer_ids()
            .as_ref()
            .map(|ids| ids.get(id).copied())
    }

    /// After a commit: `written` holds the customer frame id and seq it
    /// stored, if any; `None` means the write failed and may still have
    /// landed, so only the store can tell from now on.
    pub(super) fn remember_customer_id(&self, written: Option<Option<(&str, u64)>>) {
        let mut ids = self.lock_customer_ids();
        match written {
            None => *ids = None,
            Some(Some((id, seq))) => {
                if let Some(ids) = ids.as_mut() {
                    ids.insert(id.into(), seq);
                }
            }
            Some(None) => {}
        }
    }

    pub(super) fn address(&self) -> Option<IpAddr> {
        *self.address.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The conversation's current locale.
    pub async fn locale(&self) -> String {
        self.record.lock().await.locale.clone()
    }
}

/// One open customer connection of a conversation; when the last one goes,
/// the handoff queue learns that the customer is away.
pub(super) struct Presence {
    pub(super) live: Arc<Live>,
    pub(super) handoff: Arc<Handoff>,
}

impl Presence {
    pub(super) fn new(live: &Arc<Live>, handoff: &Arc<Handoff>, address: Option<IpAddr>) -> Self {
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

impl Live {
    /// The agent started or stopped typing: the customer's connections hear it.
    pub(super) fn agent_typing(&self, on: bool) {
        self.agent_typing.store(on, Ordering::Release);
        let _ = self.events.send(Event::AgentTyping { on });
    }

    /// The agent left the conversation: if they were typing, they are not now.
    pub(super) fn agent_left(&self) {
        if self.agent_typing.swap(false, Ordering::AcqRel) {
            let _ = self.events.send(Event::AgentTyping { on: false });
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

impl Conversations {
    /// Locks a conversation's record, first reading it again if the store
    /// was reopened since (after a failure, the store is the truth: writes
    /// that were never acknowledged may or may not have reached it).
    pub(super) async fn lock_record<'a>(
        &self,
        live: &'a Live,
    ) -> tokio::sync::MutexGuard<'a, ConversationRecord> {
        let mut record = live.record.lock().await;
        let generation = self.store.generation();
        if live.generation.swap(generation, Ordering::AcqRel) != generation {
            // Entries stored meanwhile (by another node, or a write whose
            // answer was lost) reach the connections here too.
            match self.reread(live, &mut record) {
                Ok(()) | Err(ConversationError::NotFound) => {}
                Err(error) => {
                    tracing::error!(conversation_id = %live.id, %error, "cannot reread the conversation");
                    live.generation.store(u64::MAX, Ordering::Release);
                }
            }
        }
        record
    }

    /// A new id for a client connection, unique for the process's life.
    pub fn connection_id(&self) -> ConnectionId {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    pub(super) fn live_or_not_found(
        &self,
        id: &ConversationId,
    ) -> Result<Arc<Live>, ConversationError> {
        self.live(id)?.ok_or(ConversationError::NotFound)
    }

    /// The live handle of a conversation: the one in memory, else loaded
    /// from the store; `None` if it is neither. Errs only if the store
    /// cannot read.
    pub fn live(&self, id: &ConversationId) -> Result<Option<Arc<Live>>, ConversationError> {
        if let Some(live) = self.lock_live().get(id).and_then(Weak::upgrade) {
            return Ok(Some(live));
        }
        let Some(record) = self.store.conversation(id)? else {
            return Ok(None);
        };
        Ok(Some(self.insert_live(record)))
    }

    pub(super) fn insert_live(&self, record: ConversationRecord) -> Arc<Live> {
        let mut map = self.lock_live();
        // Another connection may have loaded it meanwhile: share theirs.
        if let Some(live) = map.get(&record.id).and_then(Weak::upgrade) {
            return live;
        }
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let channel = record.channel.clone();
        let record_id = record.id;
        let live = Arc::new(Live {
            id: record.id,
            record: tokio::sync::Mutex::new(record),
            events,
            connections: AtomicUsize::new(0),
            agent_typing: std::sync::atomic::AtomicBool::new(false),
            generation: AtomicU64::new(self.store.generation()),
            address: Mutex::new(None),
            unstored: Mutex::new(None),
            channel,
            _hearing: self.store.hear(&record_id),
            customer_ids: Mutex::new(None),
        });
        if map.len() >= 1024 && map.len().is_power_of_two() {
            map.retain(|_, weak| weak.strong_count() > 0);
        }
        map.insert(live.id, Arc::downgrade(&live));
        live
    }

    pub(super) fn lock_live(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<ConversationId, Weak<Live>>> {
        // The map holds no invariant a panic could break halfway.
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores `bodies` as the next entries with `next` as the new record, waits
    /// until they are on disk, then publishes them. The first commit of a new
    /// conversation also stores it, with its greeting and session token.
    pub(super) async fn commit(
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
    pub(super) async fn commit_with(
        &self,
        live: &Live,
        record: &mut ConversationRecord,
        mut next: ConversationRecord,
        bodies: Vec<EntryBody>,
        client: Option<ClientKey<'_>>,
        origin: Option<ConnectionId>,
        intent: Option<WriteIntent>,
    ) -> Result<Vec<Arc<TranscriptEntry>>, ConversationError> {
        let unstored = live
            .unstored
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let now = Timestamp::now();
        let queued = bodies
            .iter()
            .any(|body| matches!(body, EntryBody::Handoff { .. }))
            .then(|| self.handoff.record(&next.id))
            .flatten();
        let tally = super::tally::Tally::of(
            record,
            &mut next,
            &bodies,
            unstored.is_some(),
            queued.as_ref(),
            now,
        );
        // Most turns move only the record's turn marks (last seq, times):
        // the store then need not rewrite the whole record.
        let changed = unstored.is_some() || next.changed_since(record);
        let entries = stamp(&mut next, bodies);
        // A client frame's id names the first entry of its turn.
        let client = client.zip(entries.first().map(|e| e.seq));
        let appended = match &unstored {
            None => self.store.append(&next, changed, &entries, client, None),
            Some(first) => {
                let all: Vec<TranscriptEntry> =
                    first.entries.iter().chain(&entries).cloned().collect();
                self.store
                    .append(&next, changed, &all, client, Some(&first.token))
            }
        };
        if let Err(error) = appended {
            // Still not stored: the next commit tries again.
            *live.unstored.lock().unwrap_or_else(|e| e.into_inner()) = unstored;
            live.remember_customer_id(None);
            return Err(error.into());
        }
        live.remember_customer_id(Some(client.and_then(|(key, seq)| match key {
            ClientKey::Customer(id) => Some((id, seq)),
            ClientKey::Agent { .. } => None,
        })));
        drop(intent);
        self.count(&next.id, &tally, now);
        if let Some(first) = &unstored {
            // The store knows the token now.
            self.unstored_sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&first.token.hash());
            // Stored conversations are found in the store: holding this one
            // would keep it live (and hearing its doorbell) with no socket.
            // Searched from the newest: the first message follows the hello soon.
            let mut kept = self.unstored_kept.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(at) = kept
                .iter()
                .rposition(|(_, kept)| std::ptr::eq(Arc::as_ptr(kept), live))
            {
                kept.remove(at);
            }
        }
        self.store.durable(entries.len()).await?;
        if let (Some(user), false) = (&next.channel, entries.is_empty()) {
            self.signal_channel(ChannelSignal::Stored {
                user: user.clone(),
                conversation: next.id,
            });
        }
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

    pub(super) fn locale_of(&self, record: &ConversationRecord) -> Locale {
        let content = self.engine.content();
        content
            .l10n
            .locale(&record.locale)
            .unwrap_or_else(|| content.l10n.default_locale())
    }

    pub(super) fn text(&self, record: &ConversationRecord, msg: &Msg<'_>) -> String {
        self.engine
            .content()
            .l10n
            .text(&self.locale_of(record), msg)
    }
}

/// Numbers `bodies` after the record's last seq and advances it.
pub(super) fn stamp(
    record: &mut ConversationRecord,
    bodies: Vec<EntryBody>,
) -> Vec<TranscriptEntry> {
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
