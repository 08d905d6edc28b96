//! What agents do with a conversation: claim, reply, type, release, hand back, close.

use super::queue::QueueNotice;
use super::*;
use crate::domain::RelayEvent;

/// How long a claim waits for a conversation another node queued to be
/// stored (its first turn queues it, then stores it; a QA pass on three
/// nodes claimed in between twice in about 45 claims).
const STORED_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
/// How often that wait looks in the store.
const STORED_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// The transcript an agent is sent with a conversation: at most this many of
/// the newest entries, and at most [`TRANSCRIPT_WINDOW_BYTES`] of them; older
/// entries are fetched on demand ([`Conversations::history`]).
pub const TRANSCRIPT_WINDOW_ENTRIES: usize = 50;
/// The most bytes of entries (their stored JSON) in an agent's transcript
/// window, 128 KiB; the newest entry is always sent, whatever its size. Keeps
/// every agent frame under the 256 KiB a server frame may have.
pub const TRANSCRIPT_WINDOW_BYTES: usize = 128 * 1024;

/// An agent's connection to the handoff module: the queue view and the
/// conversations it holds when it connected.
pub struct AgentSession {
    /// Identifies this connection of the agent (a newer one replaces it).
    pub link: u64,
    /// The queue as this agent is offered it now (for `ready.queue`).
    pub queue: QueueView,
    /// Conversations the agent holds (`ready.assigned`), the earliest to
    /// enter the queue first.
    pub assigned: Vec<ConversationId>,
}

impl Conversations {
    /// An agent connected: `events` receives its queue views and the events
    /// of the conversations it holds. A newer connection of the same agent
    /// replaces this one; whatever the older one was typing, the new one is
    /// not, so the customers of its conversations stop seeing it type (the
    /// replaced socket's own end changes nothing: it is no longer the
    /// agent's connection).
    pub fn agent_connect(
        &self,
        agent: &AgentProfile,
        events: mpsc::Sender<AgentEvent>,
    ) -> AgentSession {
        let (link, queue, assigned) = self.handoff.connect(&agent.id, events);
        tracing::info!(agent = %agent.name, agent_id = %agent.id, "agent connected");
        for id in &assigned {
            // Only conversations in memory can have a typing indicator on.
            if let Some(live) = self.lock_live().get(id).and_then(Weak::upgrade) {
                live.agent_left();
            }
        }
        self.repin();
        AgentSession {
            link,
            queue,
            assigned,
        }
    }

    /// The agent's connection `link` closed: they keep their conversations
    /// for the grace period; their customers stop seeing them type.
    pub async fn agent_disconnect(&self, agent: &AgentProfile, link: u64) {
        if !self.handoff.disconnect(&agent.id, link) {
            return;
        }
        for id in self.handoff.held_by(&agent.id) {
            if let Ok(Some(live)) = self.live(&id) {
                live.agent_left();
            }
            self.handoff.relay(RelayEvent::AgentTyping {
                conversation: id,
                on: false,
            });
        }
        self.repin();
    }

    /// Whether the agent takes new conversations (counts for wait estimates).
    pub fn agent_status(&self, agent: &AgentProfile, available: bool) {
        self.handoff.set_available(&agent.id, available);
    }

    /// `agent` claims a queued conversation: exactly one concurrent claimer
    /// wins and gets the context; the customer is told who joined. The
    /// record, written with that notice, says who holds it from then on.
    /// Claiming a conversation the agent already holds answers the context
    /// again and writes nothing.
    ///
    /// Errs with [`ConversationError::NotFound`] for an unknown id,
    /// [`HandoffError::NotFound`] if it is not in the queue,
    /// [`HandoffError::AssignedToOther`] if another agent holds it, and a
    /// store error if the notice cannot be stored.
    pub async fn claim(
        &self,
        agent: &AgentProfile,
        id: ConversationId,
    ) -> Result<ConversationContext, ConversationError> {
        let live = match self.live(&id)? {
            Some(live) => live,
            None => self.live_once_stored(&id).await?,
        };
        let mut record = self.lock_record(&live).await;
        let claimed = self.handoff.claim(agent, id)?;
        let holds = record.assignee.as_ref().is_some_and(|a| a.id == agent.id);
        if !holds || record.state != ConversationState::WithAgent {
            let mut committed = self.claim_notice(&live, &mut record, agent).await;
            let mut attempts = 1;
            while attempts < super::CONFLICT_ATTEMPTS
                && matches!(
                    committed,
                    Err(ConversationError::Store(StoreError::Conflict(_)))
                )
            {
                // Another node wrote to it a moment ago: read it again.
                attempts += 1;
                committed = match self.reread(&live, &mut record) {
                    Ok(()) => self.claim_notice(&live, &mut record, agent).await,
                    Err(error) => Err(error),
                };
            }
            if let Err(error) = committed {
                // The record does not say the agent holds it: nor may the queue.
                self.handoff.unclaim(&agent.id, id);
                return Err(error);
            }
            tracing::info!(conversation_id = %id, agent_id = %agent.id, "claimed");
            self.pin(id, true);
        }
        self.context_of(&record, Some(claimed))
    }

    /// A conversation another node has queued but not stored yet: its first
    /// turn queues it (other nodes see it at once) and stores it a moment
    /// later. Waits up to [`STORED_WAIT`] for it; [`ConversationError::NotFound`]
    /// if it is not queued, or still not stored by then.
    async fn live_once_stored(&self, id: &ConversationId) -> Result<Arc<Live>, ConversationError> {
        let deadline = tokio::time::Instant::now() + STORED_WAIT;
        while self.handoff.sync(*id).is_ok() && self.handoff.record(id).is_some() {
            if let Some(live) = self.live(id)? {
                return Ok(live);
            }
            if tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(STORED_POLL).await;
        }
        Err(ConversationError::NotFound)
    }

    /// Writes that `agent` holds the conversation, telling the customer.
    async fn claim_notice(
        &self,
        live: &Live,
        record: &mut ConversationRecord,
        agent: &AgentProfile,
    ) -> Result<(), ConversationError> {
        let mut next = record.clone();
        next.state = ConversationState::WithAgent;
        next.assignee = Some(agent.into());
        next.awaiting_email = false;
        let joined = self.text(&next, &Msg::HandoffAssigned { agent: &agent.name });
        let entries = vec![
            EntryBody::Handoff {
                status: HandoffStatus::Assigned,
                position: None,
                estimated_wait_s: None,
                agent: Some(AgentRef {
                    name: agent.name.clone(),
                }),
                opens_at: None,
            },
            EntryBody::text(Sender::System, joined, &next.locale),
        ];
        self.commit(live, record, next, entries, None, None).await?;
        Ok(())
    }

    /// What an agent sees of a conversation (any conversation, held or not).
    /// Errs with [`ConversationError::NotFound`] for an unknown id, or a store
    /// error.
    pub async fn context(
        &self,
        id: &ConversationId,
    ) -> Result<ConversationContext, ConversationError> {
        let live = self.live_or_not_found(id)?;
        let record = self.lock_record(&live).await;
        self.context_of(&record, None)
    }

    pub(super) fn context_of(
        &self,
        record: &ConversationRecord,
        queued: Option<QueueEntry>,
    ) -> Result<ConversationContext, ConversationError> {
        let queued = queued.or_else(|| self.handoff.record(&record.id));
        let (transcript, earlier) = self.window_before(&record.id, record.last_seq + 1)?;
        // Queued or held: the queue's reason; after it left them, the last.
        let reason = queued
            .as_ref()
            .map(|q| q.reason)
            .or(record.last_handoff_reason);
        // Made now: what the bot knows and the customer's latest words (the
        // queue item's summary is as of the handoff).
        let summary = reason.map_or_else(String::new, |reason| {
            let last = super::queue::last_customer_text(&transcript).unwrap_or_default();
            super::queue::summarize(record, reason, last)
        });
        Ok(ConversationContext {
            conversation: record.id,
            locale: record.locale.clone(),
            customer: record.customer.clone(),
            reason,
            summary,
            intents: record.intents.clone(),
            articles_shown: record.articles_shown.clone(),
            transcript,
            earlier,
            channel: record.channel_kind(),
            dead_letters: record.dead_letters.clone(),
        })
    }

    /// The newest entries before `before` that fit the transcript window,
    /// oldest first, and whether older ones exist.
    pub(super) fn window_before(
        &self,
        id: &ConversationId,
        before: u64,
    ) -> Result<(Vec<TranscriptEntry>, bool), ConversationError> {
        let mut entries = self
            .store
            .transcript_before(id, before, TRANSCRIPT_WINDOW_ENTRIES)?;
        let mut bytes = 0;
        let mut keep = 0;
        for entry in entries.iter().rev() {
            let size = serde_json::to_vec(entry).map_or(0, |v| v.len());
            // Always at least one entry: a single entry is bounded by the text limits.
            if keep > 0 && bytes + size > TRANSCRIPT_WINDOW_BYTES {
                break;
            }
            bytes += size;
            keep += 1;
        }
        let dropped = entries.len() - keep;
        entries.drain(..dropped);
        let earlier = entries.first().is_some_and(|e| e.seq > 1);
        Ok((entries, earlier))
    }

    /// Older transcript entries of a conversation, before seq `before`, for
    /// an agent: the newest that fit the transcript window, oldest first.
    /// Errs with [`ConversationError::NotFound`] for an unknown id, or a store
    /// error.
    pub async fn history(
        &self,
        id: &ConversationId,
        before: u64,
    ) -> Result<History, ConversationError> {
        if self.store.conversation(id)?.is_none() {
            return Err(ConversationError::NotFound);
        }
        let (entries, earlier) = self.window_before(id, before)?;
        Ok(History {
            conversation: *id,
            entries,
            earlier,
        })
    }

    /// A message from the agent holding the conversation; the seq it was
    /// stored under (a repeated `client_id` of the same agent gets the same
    /// seq back, once it is durable, and is not stored twice, even after the
    /// agent let the conversation go).
    ///
    /// Errs with [`ConversationError::NotFound`] for an unknown id,
    /// [`HandoffError::NotFound`] if nobody holds it,
    /// [`HandoffError::AssignedToOther`] if another agent does, and a store
    /// error if it cannot be stored.
    pub async fn agent_message(
        &self,
        agent: &AgentProfile,
        id: ConversationId,
        client_id: &str,
        text: &MessageText,
    ) -> Result<u64, ConversationError> {
        let key = ClientKey::Agent {
            agent: &agent.id,
            id: client_id,
        };
        let live = self.live_or_not_found(&id)?;
        let mut record = self.lock_record(&live).await;
        // Under the lock, before the hold is checked: a message resent after
        // its ack was lost gets its seq back even if the agent no longer
        // holds the conversation (released, closed): it was delivered.
        if let Some(seq) = self.store.seq_of_client_id(&id, key)? {
            self.store.durable(0).await?;
            return Ok(seq);
        }
        self.handoff.check_assignee(&agent.id, &id)?;
        if let Some(window) = record.channel_kind().reply_window() {
            let last = record
                .last_customer_at
                .map_or(record.created_at.as_jiff(), |t| t.as_jiff());
            if jiff::Timestamp::now().duration_since(last) > window {
                return Err(ConversationError::WindowClosed);
            }
        }
        // PROTOCOL.md: a message's `locale` is the language its text is
        // written in; an agent may answer in another language the customer
        // wrote in (an English reply in a Greek conversation is `en`).
        let (locale, _) = self
            .engine
            .content()
            .nlu
            .language(text.as_str(), Some(&record.locale));
        let entry = EntryBody::Message {
            from: Sender::Agent,
            text: text.as_str().to_owned(),
            locale,
            id: None,
            intent: None,
            confidence: None,
            quick_replies: Vec::new(),
            articles: Vec::new(),
            agent: Some(AgentRef {
                name: agent.name.clone(),
            }),
        };
        let mut attempts = 0;
        loop {
            attempts += 1;
            let seq = record.last_seq + 1;
            let next = record.clone();
            let written = self
                .commit(
                    &live,
                    &mut record,
                    next,
                    vec![entry.clone()],
                    Some(key),
                    None,
                )
                .await;
            match written {
                Err(ConversationError::Store(StoreError::Conflict(_)))
                    if attempts < super::CONFLICT_ATTEMPTS =>
                {
                    // Another node wrote to it a moment ago (the customer,
                    // say): read it again and write after it.
                    self.reread(&live, &mut record)?;
                    if let Some(seq) = self.store.seq_of_client_id(&id, key)? {
                        return Ok(seq);
                    }
                }
                written => {
                    written?;
                    return Ok(seq);
                }
            }
        }
    }

    /// The agent holding the conversation is typing (`on`) or stopped; the
    /// customer's connections hear it. Errs as [`Self::agent_message`] does
    /// when the agent does not hold it.
    pub fn agent_typing(
        &self,
        agent: &AgentProfile,
        id: ConversationId,
        on: bool,
    ) -> Result<(), ConversationError> {
        self.handoff.check_assignee(&agent.id, &id)?;
        let live = self.live_or_not_found(&id)?;
        live.agent_typing(on);
        // The customer may be connected to another node.
        self.handoff.relay(RelayEvent::AgentTyping {
            conversation: id,
            on,
        });
        if let Some(user) = &live.channel {
            self.signal_channel(ChannelSignal::AgentTyping {
                user: user.clone(),
                on,
            });
        }
        Ok(())
    }

    /// Runs `agent`'s action on a conversation it holds: `change` updates
    /// the record and returns the entries that tell the customer (checking,
    /// changing nothing else) and what `apply` needs; once they are written,
    /// `apply` makes the queue follow. A failed write leaves the queue as it was. Under the
    /// conversation's lock nothing else changes its queue item meanwhile.
    /// The agent leaves the conversation, so the customer stops seeing them
    /// type (`typing` `on: false`, if it was on).
    pub(super) async fn agent_action<F, A, T>(
        &self,
        agent: &AgentProfile,
        id: ConversationId,
        change: F,
        apply: A,
    ) -> Result<(), ConversationError>
    where
        F: FnOnce(&Self, &mut ConversationRecord) -> Result<(Vec<EntryBody>, T), ConversationError>,
        A: FnOnce(&Self, T) -> Result<(), HandoffError>,
    {
        let live = self.live_or_not_found(&id)?;
        let mut record = self.lock_record(&live).await;
        self.handoff.check_assignee(&agent.id, &id)?;
        let mut next = record.clone();
        let (entries, applied) = change(self, &mut next)?;
        next.assignee = None;
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        if let Err(error) = apply(self, applied) {
            // Only a change of assignee could cause this, and that takes the
            // lock held here.
            tracing::error!(conversation_id = %id, agent_id = %agent.id, %error, "queue did not follow the record");
        }
        live.agent_left();
        self.handoff.relay(RelayEvent::AgentTyping {
            conversation: id,
            on: false,
        });
        self.pin(id, false);
        Ok(())
    }

    /// The agent puts the conversation back in the queue, at its original
    /// place; the customer is told their place. Errs with
    /// [`ConversationError::NotFound`] for an unknown id,
    /// [`HandoffError::NotFound`] if nobody holds it,
    /// [`HandoffError::AssignedToOther`] if another agent does, and a store
    /// error.
    pub async fn release(
        &self,
        agent: &AgentProfile,
        id: ConversationId,
    ) -> Result<(), ConversationError> {
        self.agent_action(
            agent,
            id,
            |this, next| {
                let (position, wait) = this.handoff.release_place(&agent.id, id)?;
                next.state = ConversationState::Queued;
                // After "you keep your place" the place is said as a first
                // notice ("you're number 1"), not as progress ("you're now").
                let mut entries = this.queued_entries(next, position, wait, QueueNotice::First);
                this.tell_agent_left(next, &agent.name, &mut entries);
                // What the customer is told, for the queue to remember as told.
                Ok((entries, (position, wait)))
            },
            |this, told| this.handoff.release(&agent.id, id, told),
        )
        .await?;
        tracing::info!(conversation_id = %id, agent_id = %agent.id, "released");
        Ok(())
    }

    /// The agent hands the conversation back to the bot (it leaves the queue;
    /// the bot's miss counters start again); the customer gets `handoff`
    /// `returned_to_bot`. Errs as [`Self::release`] does.
    pub async fn return_to_bot(
        &self,
        agent: &AgentProfile,
        id: ConversationId,
    ) -> Result<(), ConversationError> {
        self.agent_action(
            agent,
            id,
            |this, next| {
                next.state = ConversationState::Bot;
                next.consecutive_misses = 0;
                next.consecutive_unhelpful = 0;
                let back = this.text(next, &Msg::HandoffReturned);
                let entries = vec![
                    EntryBody::handoff(HandoffStatus::ReturnedToBot),
                    EntryBody::text(Sender::System, back, &next.locale),
                ];
                Ok((entries, ()))
            },
            |this, ()| this.handoff.finish_written(Some(&agent.id), id).map(|_| ()),
        )
        .await?;
        tracing::info!(conversation_id = %id, agent_id = %agent.id, "returned to the bot");
        Ok(())
    }

    /// The agent closes the conversation (it leaves the queue); the customer
    /// gets `closed` with the survey, the agent `closed`. A later rating goes
    /// to this agent. Errs as [`Self::release`] does.
    pub async fn agent_close(
        &self,
        agent: &AgentProfile,
        id: ConversationId,
    ) -> Result<(), ConversationError> {
        self.agent_action(
            agent,
            id,
            |this, next| {
                next.state = ConversationState::Closed;
                next.closed_by_agent = Some(agent.id.clone());
                let closing = format!(
                    "{} {}",
                    this.text(next, &Msg::ClosedAgent { agent: &agent.name }),
                    this.text(next, &Msg::SurveyAsk)
                );
                let entries = vec![
                    EntryBody::text(Sender::System, closing, &next.locale),
                    EntryBody::Closed {
                        by: Sender::Agent,
                        survey: true,
                    },
                ];
                Ok((entries, ()))
            },
            |this, ()| this.handoff.finish_written(Some(&agent.id), id).map(|_| ()),
        )
        .await?;
        self.handoff.tell_agent(
            &agent.id,
            AgentEvent::Closed {
                conversation: id,
                by: Sender::Agent,
            },
        );
        tracing::info!(conversation_id = %id, agent_id = %agent.id, "closed by agent");
        Ok(())
    }
}

#[cfg(test)]
mod tests;
