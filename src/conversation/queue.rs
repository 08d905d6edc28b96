//! Handing conversations to people: into the queue, and acting on what the
//! handoff module reports (places to tell, agents or customers gone).

use super::*;

/// Handoff events acted on at once (each is a short commit).
pub(super) const HANDOFF_WORKERS: usize = 32;
/// The longest email taken from a customer's words, as for `hello.customer`.
const MAX_CUSTOMER_EMAIL_CHARS: usize = 256;

/// Which queue notice a waiting customer reads ([`Conversations::queued_entries`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QueueNotice {
    /// The first, on joining the queue: "you're number 3".
    First,
    /// A new place (or back in the queue): "you're now number 3".
    Update,
    /// The same place, only the estimate came, went or moved: "you're still
    /// number 3".
    SamePlace,
    /// A later place than last told (a more urgent request, or a
    /// conversation an agent gave back, went in ahead): said as such, not
    /// as progress ("thank you for waiting, you're now number 8").
    MovedBack,
}

/// A one-line summary of what the bot learned, for the agent.
pub(super) fn summarize(
    record: &ConversationRecord,
    reason: HandoffReason,
    last_text: &str,
) -> String {
    let mut parts = vec![reason.describe().to_owned()];
    // In words, and not the intent the reason already says.
    let said = match reason {
        HandoffReason::CustomerRequest => Some("human_agent"),
        HandoffReason::Complaint => Some("complaint"),
        _ => None,
    };
    let intents: Vec<String> = record
        .intents
        .iter()
        .rev()
        .filter(|i| Some(i.intent.as_str()) != said)
        .take(3)
        .map(|i| i.intent.replace('_', " "))
        .collect();
    if !intents.is_empty() {
        parts.push(intents.join(", "));
    }
    for (entity, value) in &record.entities {
        parts.push(format!("{}: {value}", entity.replace('_', " ")));
    }
    let last: String = last_text.chars().take(80).collect();
    let ellipsis = if last_text.chars().count() > 80 {
        "…"
    } else {
        ""
    };
    parts.push(format!("“{last}{ellipsis}”"));
    parts.join(" · ")
}

/// The text of the newest customer message among `entries` (oldest first).
pub(super) fn last_customer_text(entries: &[TranscriptEntry]) -> Option<&str> {
    entries.iter().rev().find_map(|entry| match &entry.body {
        EntryBody::Message {
            from: Sender::Customer,
            text,
            ..
        } => Some(text.as_str()),
        _ => None,
    })
}

impl Conversations {
    /// Acts on what the handoff module reports (customers to tell,
    /// conversations whose agent or customer is gone), until the channel
    /// closes. Each event is handled under its conversation's lock, against
    /// the handoff module's state at that moment.
    pub fn listen_to_handoff(self: &Arc<Self>, mut events: mpsc::Receiver<HandoffEvent>) {
        let conversations = Arc::clone(self);
        let workers = Arc::new(tokio::sync::Semaphore::new(HANDOFF_WORKERS));
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                let Ok(permit) = Arc::clone(&workers).acquire_owned().await else {
                    return;
                };
                let conversations = Arc::clone(&conversations);
                tokio::spawn(async move {
                    let (id, result) = match event {
                        HandoffEvent::Tell(id) => (id, conversations.tell_queued(id).await),
                        HandoffEvent::AgentGone(id) => (id, conversations.agent_gone(id).await),
                        HandoffEvent::CustomerGone(id) => {
                            (id, conversations.customer_gone(id).await)
                        }
                    };
                    if let Err(error) = result {
                        tracing::error!(conversation_id = %id, ?event, %error, "cannot act on a handoff event");
                    }
                    drop(permit);
                });
            }
        });
    }

    /// Tells a waiting customer where they stand now.
    pub(super) async fn tell_queued(&self, id: ConversationId) -> Result<(), ConversationError> {
        let Some(live) = self.live(&id)? else {
            return Ok(());
        };
        let mut record = self.lock_record(&live).await;
        if record.state != ConversationState::Queued {
            // Claimed, closed or back with the bot meanwhile: clears the pending notice.
            let _ = self.handoff.notice(id);
            return Ok(());
        }
        let Some(((position, wait), told_here)) = self.handoff.notice_told_before(id) else {
            return Ok(());
        };
        // Only a node that never told this customer reads what was told.
        if told_here.is_none() && self.already_told(&record, position, wait) {
            return Ok(());
        }
        let next = record.clone();
        // Only the estimate changed (an agent came, went or stepped away):
        // "you're still number 3", not "you're now number 3".
        let notice = match told_here {
            Some(told) if told == position => QueueNotice::SamePlace,
            Some(told) if told < position => QueueNotice::MovedBack,
            _ => QueueNotice::Update,
        };
        let entries = self.queued_entries(&next, position, wait, notice);
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        Ok(())
    }

    /// The agent holding the conversation did not come back in time: back
    /// to the queue at its original place, and the customer is told.
    pub(super) async fn agent_gone(&self, id: ConversationId) -> Result<(), ConversationError> {
        let Some(live) = self.live(&id)? else {
            return Ok(());
        };
        let mut record = self.lock_record(&live).await;
        let Some((position, wait)) = self.handoff.requeue_abandoned(id) else {
            return Ok(());
        };
        let mut next = record.clone();
        next.state = ConversationState::Queued;
        let agent = next.assignee.take();
        let mut entries = self.queued_entries(&next, position, wait, QueueNotice::First);
        if let Some(agent) = agent {
            self.tell_agent_left(&next, &agent.name, &mut entries);
        }
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        Ok(())
    }

    /// Puts "`agent` had to leave the chat; you keep your place" after the
    /// `handoff` entry of `queued` ([`Self::queued_entries`]), before the
    /// place and wait: a customer handed back to the queue mid-conversation
    /// reads why first.
    pub(super) fn tell_agent_left(
        &self,
        record: &ConversationRecord,
        agent: &str,
        queued: &mut Vec<EntryBody>,
    ) {
        let left = self.text(record, &Msg::HandoffAgentLeft { agent });
        let at = queued.len().min(1);
        queued.insert(at, EntryBody::text(Sender::System, left, &record.locale));
    }

    /// A waiting customer has been away too long (and left no email): the
    /// conversation leaves the queue and returns to the bot; the customer
    /// reads why when they come back.
    pub(super) async fn customer_gone(&self, id: ConversationId) -> Result<(), ConversationError> {
        let Some(live) = self.live(&id)? else {
            return Ok(());
        };
        let mut record = self.lock_record(&live).await;
        if !self.handoff.leave_if_away(id)? {
            return Ok(());
        }
        let mut next = record.clone();
        next.state = ConversationState::Bot;
        next.awaiting_email = false;
        let left = self.text(&next, &Msg::QueueLeft);
        let entries = vec![
            EntryBody::handoff(HandoffStatus::ReturnedToBot),
            EntryBody::text(Sender::System, left, &next.locale),
        ];
        tracing::info!(conversation_id = %id, "customer away too long: left the queue");
        self.commit(&live, &mut record, next, entries, None, None)
            .await?;
        Ok(())
    }

    /// Notes customer details the customer writes while a person has (or
    /// will have) the conversation, today an email address: on the record
    /// (so the agent's `conversation` context carries it) and on the queue
    /// item (so agents get a fresh `queue` view). The caller writes the
    /// record. An address the record already holds changes nothing.
    pub(super) fn note_customer_details(&self, record: &mut ConversationRecord, text: &str) {
        let Some(email) = entities::email(text) else {
            return;
        };
        // The bound `hello.customer` has (docs/protocol.md): every queue view carries it.
        if email.chars().count() > MAX_CUSTOMER_EMAIL_CHARS {
            return;
        }
        let customer = record.customer.get_or_insert_with(Customer::default);
        if customer.email.as_deref() == Some(email.as_str()) {
            return;
        }
        customer.email = Some(email);
        tracing::info!(conversation_id = %record.id, state = ?record.state, "customer gave an email while with people");
        if let Err(error) = self
            .handoff
            .update_customer(record.id, record.customer.clone())
        {
            tracing::error!(conversation_id = %record.id, %error, "cannot store the email on the queue item");
        }
    }

    /// The `handoff` entry and message that tell a customer their place, and
    /// the estimated wait when there is one (`None`: no available agent can
    /// take it, and the text says so instead of guessing).
    pub(super) fn queued_entries(
        &self,
        record: &ConversationRecord,
        position: u32,
        wait: Option<u64>,
        notice: QueueNotice,
    ) -> Vec<EntryBody> {
        let minutes = wait.map(|wait| wait.div_ceil(60).max(1));
        let msg = match (notice, minutes) {
            (QueueNotice::First, Some(minutes)) => Msg::HandoffQueued { position, minutes },
            (QueueNotice::First, None) => Msg::HandoffQueuedNoEstimate { position },
            (QueueNotice::Update, Some(minutes)) => Msg::HandoffQueuedUpdate { position, minutes },
            (QueueNotice::Update, None) => Msg::HandoffQueuedUpdateNoEstimate { position },
            (QueueNotice::SamePlace, Some(minutes)) => Msg::HandoffWaitUpdate { position, minutes },
            (QueueNotice::SamePlace, None) => Msg::HandoffWaitUnknown { position },
            (QueueNotice::MovedBack, Some(minutes)) => Msg::HandoffMovedBack { position, minutes },
            (QueueNotice::MovedBack, None) => Msg::HandoffMovedBackNoEstimate { position },
        };
        vec![
            EntryBody::Handoff {
                status: HandoffStatus::Queued,
                position: Some(position),
                estimated_wait_s: wait,
                agent: None,
                opens_at: None,
            },
            EntryBody::text(Sender::System, self.text(record, &msg), &record.locale),
        ]
    }

    /// Whether the transcript's latest queue notice already says `position`
    /// and the same wait in minutes. The handoff module remembers what it
    /// told only on the node that told it: a customer back on another node
    /// (or after a restart) would otherwise read the same place twice.
    fn already_told(&self, record: &ConversationRecord, position: u32, wait: Option<u64>) -> bool {
        let minutes = |wait: Option<u64>| wait.map(|wait| wait.div_ceil(60).max(1));
        let entries = match self.newest_entries(record) {
            Ok(entries) => entries,
            Err(error) => {
                tracing::warn!(conversation_id = %record.id, %error, "cannot read the last queue notice: telling the place again");
                return false;
            }
        };
        entries.iter().rev().find_map(|entry| match &entry.body {
            EntryBody::Handoff {
                status,
                position: told,
                estimated_wait_s,
                ..
            } => Some(
                *status == HandoffStatus::Queued
                    && *told == Some(position)
                    && minutes(*estimated_wait_s) == minutes(wait),
            ),
            _ => None,
        }) == Some(true)
    }

    /// The conversation's newest stored entries (at most 20, oldest first),
    /// where its latest queue notice and customer message are looked for.
    fn newest_entries(
        &self,
        record: &ConversationRecord,
    ) -> Result<Vec<TranscriptEntry>, StoreError> {
        const LOOK_BACK: usize = 20;
        self.store
            .transcript_before(&record.id, record.last_seq + 1, LOOK_BACK)
    }

    /// Whether no customer message has followed the latest queue notice (a
    /// `handoff` entry) among the newest entries; `false` if the store cannot
    /// read (logged): then nothing more is said.
    pub(super) fn first_message_since_notice(&self, record: &ConversationRecord) -> bool {
        let entries = match self.newest_entries(record) {
            Ok(entries) => entries,
            Err(error) => {
                tracing::warn!(conversation_id = %record.id, %error, "cannot read the last queue notice");
                return false;
            }
        };
        entries.iter().rev().find_map(|entry| match &entry.body {
            EntryBody::Handoff { .. } => Some(true),
            EntryBody::Message {
                from: Sender::Customer,
                ..
            } => Some(false),
            _ => None,
        }) == Some(true)
    }

    /// The text of the customer's latest message among the conversation's
    /// newest entries, for a summary made when no message is at hand (after
    /// a business action or feedback); empty if there is none or the store
    /// cannot read (logged).
    pub(super) fn last_customer_words(&self, record: &ConversationRecord) -> String {
        match self.newest_entries(record) {
            Ok(entries) => last_customer_text(&entries).unwrap_or_default().to_owned(),
            Err(error) => {
                tracing::warn!(conversation_id = %record.id, %error, "cannot read the customer's last words for the summary");
                String::new()
            }
        }
    }

    /// Puts `next` in the queue; the entries that tell the customer. A full
    /// queue is told politely and the conversation stays with the bot.
    ///
    /// A handoff the customer did not ask for (`no_match`: the bot failed
    /// them) starts with the bot saying it passes the question on. Out of
    /// support hours the notice asks for the email address, unless the bot's
    /// answer just did (`email_asked`): then it only says when the team is
    /// back.
    pub(super) fn hand_off(
        &self,
        next: &mut ConversationRecord,
        (reason, priority): (HandoffReason, Priority),
        email_asked: bool,
        last_text: &str,
        address: Option<IpAddr>,
    ) -> Result<Vec<EntryBody>, ConversationError> {
        let summary = summarize(next, reason, last_text);
        if self.several_nodes.load(Ordering::Acquire) {
            // Agents may have come online, left or stepped away on other
            // nodes since this node's last heartbeat (every 2 s; one that
            // just started has heard none yet): read the nodes' presence now
            // (one round trip per handoff), so that the customer is neither
            // told nobody is free nor given a wait nobody will meet.
            if let Err(error) = self.handoff.heartbeat() {
                tracing::warn!(conversation_id = %next.id, %error, "cannot read the other nodes' presence");
            }
        }
        let placement = match self.handoff.enqueue(
            next.id,
            &next.locale,
            reason,
            priority,
            summary,
            next.customer.clone(),
            next.channel_kind(),
            address,
        ) {
            Ok(placement) => placement,
            Err(HandoffError::QueueFull(waiting) | HandoffError::AddressFull(waiting)) => {
                tracing::warn!(conversation_id = %next.id, waiting, ?address, "queue full: handoff refused");
                metrics::counter!("switchboard_handoffs_refused_total").increment(1);
                return Ok(vec![EntryBody::text(
                    Sender::System,
                    self.text(next, &Msg::QueueFull),
                    &next.locale,
                )]);
            }
            Err(error) => return Err(error.into()),
        };
        next.state = ConversationState::Queued;
        next.last_handoff_reason = Some(reason);
        tracing::info!(conversation_id = %next.id, locale = %next.locale, ?reason, ?priority, "handed off");
        let mut entries = Vec::new();
        if reason == HandoffReason::NoMatch {
            entries.push(EntryBody::text(
                Sender::Bot,
                self.text(next, &Msg::HandoffNoMatch),
                &next.locale,
            ));
        }
        entries.extend(match placement {
            Placement::Queued {
                position,
                estimated_wait_s,
            } => self.queued_entries(next, position, estimated_wait_s, QueueNotice::First),
            Placement::Offline { opens_at } => {
                next.awaiting_email = true;
                // In the customer's own zone when the widget said it; else
                // the team's time, with its zone named.
                let customer_zone = next
                    .timezone
                    .as_deref()
                    .and_then(|name| jiff::tz::TimeZone::get(name).ok());
                let opens_at = match &customer_zone {
                    Some(zone) => opens_at.timestamp().to_zoned(zone.clone()),
                    None => opens_at,
                };
                let time = format!("{:02}:{:02}", opens_at.hour(), opens_at.minute());
                let today = jiff::Timestamp::now()
                    .to_zoned(opens_at.time_zone().clone())
                    .date()
                    == opens_at.date();
                let mut when = self.text(
                    next,
                    &Msg::OpensAt {
                        day: if today {
                            "today"
                        } else {
                            weekday_code(&opens_at)
                        },
                        time: &time,
                    },
                );
                if customer_zone.is_none() {
                    let zone = super::facts::zone_label(opens_at.time_zone(), opens_at.timestamp());
                    when = format!("{when} ({zone})");
                }
                let utc = opens_at.timestamp().to_string();
                vec![
                    EntryBody::Handoff {
                        status: HandoffStatus::Offline,
                        position: None,
                        estimated_wait_s: None,
                        agent: None,
                        opens_at: Some(utc),
                    },
                    EntryBody::text(
                        Sender::System,
                        self.text(
                            next,
                            &if email_asked {
                                Msg::HandoffOfflineReopens { opens_at: &when }
                            } else {
                                Msg::HandoffOffline { opens_at: &when }
                            },
                        ),
                        &next.locale,
                    ),
                ]
            }
        });
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_names_intents_in_words_and_not_twice() {
        let mut record =
            ConversationRecord::new(ConversationId::random(), "en", None, Timestamp::now());
        record.note_intent("order_status", 0.9);
        record.note_intent("human_agent", 1.0);
        record
            .entities
            .insert("order_number".to_owned(), "1004527".to_owned());
        assert_eq!(
            summarize(&record, HandoffReason::CustomerRequest, "a person please"),
            "asked for a person · order status · order number: 1004527 · “a person please”"
        );
    }
}
