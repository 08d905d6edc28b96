//! Several nodes on one store (Redis): what this node does when another one
//! changed something. The store is the truth and the bus only a doorbell
//! ([`BusMessage`]): on each message this node reads what changed from the
//! store, from where it had got to, so a lost message costs time, never an
//! entry.
//!
//! - A conversation's doorbell: a conversation in memory here reads its
//!   record and every entry after the seq it had, and its connections hear
//!   them; an agent here who holds it hears the customer's messages.
//! - A queue change: the queue here reads the item again (a claim made
//!   elsewhere reaches the agents here as `claimed`).
//! - A relay: typing, notices for an agent connected here, a waiting
//!   customer now connected elsewhere, erasures.
//! - After the subscription came back: all of the above, for everything.
//!
//! Conversations held by an agent connected here stay in memory (pinned),
//! so that their doorbells have a seq to read from.

use super::*;
use crate::domain::RelayEvent;
use crate::storage::BusMessage;

impl Conversations {
    /// Starts listening to the other nodes (`bus`, from
    /// [`crate::storage::RedisStore::listen`]) and renewing this node's
    /// presence every [`crate::handoff::HEARTBEAT_INTERVAL`], until `shutdown`.
    pub fn join_nodes(
        self: &Arc<Self>,
        mut bus: mpsc::Receiver<BusMessage>,
        shutdown: tokio_util::sync::CancellationToken,
    ) {
        self.several_nodes.store(true, Ordering::Release);
        tracing::info!(node = self.handoff.node(), "listening to the other nodes");
        let this = Arc::clone(self);
        tokio::spawn(async move {
            while let Some(message) = bus.recv().await {
                this.heard(message);
            }
        });
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(crate::handoff::HEARTBEAT_INTERVAL);
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    _ = ticks.tick() => {}
                    () = this.handoff.presence_changed() => {}
                }
                let handoff = Arc::clone(&this.handoff);
                match tokio::task::spawn_blocking(move || handoff.heartbeat()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => tracing::warn!(%error, "cannot renew this node's presence"),
                    Err(panic) => std::panic::resume_unwind(panic.into_panic()),
                }
                this.repin();
            }
        });
    }

    /// Acts on one message from the bus (work that waits on a conversation's
    /// lock runs in its own task).
    fn heard(self: &Arc<Self>, message: BusMessage) {
        match message {
            BusMessage::Bell {
                conversation,
                last_seq,
            } => {
                let live = self.lock_live().get(&conversation).and_then(Weak::upgrade);
                let Some(live) = live else { return };
                // This node's own append (the usual case) is known already:
                // skip the task when the record says so without waiting.
                let known = live
                    .record
                    .try_lock()
                    .is_ok_and(|record| record.last_seq >= last_seq);
                if !known {
                    let this = Arc::clone(self);
                    tokio::spawn(async move { this.catch_up(conversation, Some(last_seq)).await });
                }
            }
            BusMessage::Hearing { conversation } => {
                let live = self.lock_live().get(&conversation).and_then(Weak::upgrade);
                // One not stored yet (a greeting only) has nothing to miss.
                let stored = live.is_some_and(|live| {
                    live.unstored
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .is_none()
                });
                if stored {
                    let this = Arc::clone(self);
                    tokio::spawn(async move { this.catch_up(conversation, None).await });
                }
            }
            BusMessage::Queue { conversation } => match self.handoff.sync(conversation) {
                // Only this conversation's pin can have changed: no walk of
                // the whole queue per change (the heartbeat's repin catches
                // anything else).
                Ok(holder) => self.pin(
                    conversation,
                    holder.is_some_and(|a| self.handoff.is_here(&a)),
                ),
                Err(error) => {
                    tracing::warn!(conversation_id = %conversation, %error, "cannot read a queue item another node changed");
                }
            },
            BusMessage::Relay(relay) => {
                if relay.node != self.handoff.node() {
                    self.relayed(relay.event);
                }
            }
            BusMessage::Resubscribed => {
                if let Err(error) = self.handoff.sync_all() {
                    tracing::warn!(%error, "cannot read the queue again");
                }
                self.repin();
                let lives: Vec<Arc<Live>> = self
                    .lock_live()
                    .values()
                    .filter_map(Weak::upgrade)
                    .collect();
                for live in lives {
                    let this = Arc::clone(self);
                    tokio::spawn(async move { this.catch_up(live.id, None).await });
                }
            }
        }
    }

    /// Another node's event.
    fn relayed(&self, event: RelayEvent) {
        match event {
            RelayEvent::AgentTyping { conversation, on } => {
                let live = self.lock_live().get(&conversation).and_then(Weak::upgrade);
                if let Some(live) = live {
                    if on {
                        live.agent_typing(true);
                    } else {
                        live.agent_left();
                    }
                }
            }
            RelayEvent::ToAgent { agent, notice } => self.handoff.deliver(&agent, notice),
            RelayEvent::CustomerHere { conversation } => {
                self.handoff.customer_elsewhere(conversation);
            }
            RelayEvent::Erased { conversation } => {
                let live = self.lock_live().remove(&conversation);
                if let Some(live) = live.and_then(|weak| weak.upgrade()) {
                    let _ = live.events.send(Event::Erased);
                }
                self.lock_pinned().remove(&conversation);
                if let Err(error) = self.handoff.sync(conversation) {
                    tracing::warn!(conversation_id = %conversation, %error, "cannot read the queue item of an erased conversation");
                }
            }
        }
    }

    /// Brings a conversation in memory here up to the store after its
    /// doorbell rang (`last_seq`) or the subscription came back (`None`).
    /// Nothing to do if this node wrote the entries (its record has them).
    async fn catch_up(&self, id: ConversationId, last_seq: Option<u64>) {
        let Some(live) = self.lock_live().get(&id).and_then(Weak::upgrade) else {
            return;
        };
        let mut record = self.lock_record(&live).await;
        if last_seq.is_some_and(|seq| seq <= record.last_seq) {
            return;
        }
        if let Err(error) = self.reread(&live, &mut record) {
            // The next doorbell, or the resubscription after the outage,
            // reads from the same seq.
            tracing::warn!(conversation_id = %id, %error, "cannot read what another node wrote");
        }
    }

    /// Reads a conversation's record again, with every entry after the seq
    /// this node had: its connections here hear them, and so does its agent
    /// if connected here (the customer's messages). Call it with the
    /// record locked: after a doorbell, or after a write was refused as
    /// [`StoreError::Conflict`] because another node wrote first.
    pub(super) fn reread(
        &self,
        live: &Live,
        record: &mut ConversationRecord,
    ) -> Result<(), ConversationError> {
        let Some(stored) = self.store.conversation(&live.id)? else {
            return Err(ConversationError::NotFound);
        };
        live.generation
            .store(self.store.generation(), Ordering::Release);
        // Reread because the store changed under us: ask it from now on.
        live.remember_customer_id(None);
        if stored.last_seq <= record.last_seq {
            *record = stored;
            return Ok(());
        }
        let entries = self.store.transcript_after(&live.id, record.last_seq)?;
        let upto = stored.last_seq;
        *record = stored;
        let id = live.id;
        for entry in entries.into_iter().filter(|e| e.seq <= upto) {
            let entry = Arc::new(entry);
            if matches!(
                entry.body,
                EntryBody::Message {
                    from: Sender::Customer,
                    ..
                }
            ) {
                self.handoff.tell_assignee(
                    &id,
                    AgentEvent::Message {
                        conversation: id,
                        entry: Arc::clone(&entry),
                    },
                );
            }
            // No receiver is fine: nobody here is connected to hear it.
            let _ = live.events.send(Event::Entry {
                entry,
                origin: None,
            });
        }
        Ok(())
    }

    /// Keeps in memory exactly the conversations held by agents connected
    /// here (with several nodes only): their doorbells need a seq to read from.
    pub(super) fn repin(&self) {
        if !self.several_nodes.load(Ordering::Acquire) {
            return;
        }
        let held = self.handoff.held_here();
        let mut keep = HashMap::with_capacity(held.len());
        for id in held {
            let pinned = self.lock_pinned().get(&id).cloned();
            let live = match pinned {
                Some(live) => Some(live),
                None => match self.live(&id) {
                    Ok(live) => live,
                    Err(error) => {
                        tracing::warn!(conversation_id = %id, %error, "cannot load a conversation held here");
                        None
                    }
                },
            };
            if let Some(live) = live {
                keep.insert(id, live);
            }
        }
        *self.lock_pinned() = keep;
    }

    /// Keeps one conversation in memory (`held_here`) or lets it go (with
    /// several nodes only).
    pub(super) fn pin(&self, id: ConversationId, held_here: bool) {
        if !self.several_nodes.load(Ordering::Acquire) {
            return;
        }
        if !held_here {
            self.lock_pinned().remove(&id);
            return;
        }
        if self.lock_pinned().contains_key(&id) {
            return;
        }
        match self.live(&id) {
            Ok(Some(live)) => {
                self.lock_pinned().insert(id, live);
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(conversation_id = %id, %error, "cannot load a conversation held here");
            }
        }
    }

    fn lock_pinned(&self) -> std::sync::MutexGuard<'_, HashMap<ConversationId, Arc<Live>>> {
        // A map of handles: no invariant a panic could break.
        self.pinned.lock().unwrap_or_else(|e| e.into_inner())
    }
}
