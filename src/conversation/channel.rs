//! Messaging channels as the conversation layer sees them: one conversation
//! per channel customer, opened on their first message in the language of
//! its text, and a signal to the channel's delivery worker whenever an entry
//! is stored. The engine does not know which channel a conversation is on.

use super::*;

/// What a channel's delivery worker is told (handed down by the transport
/// with [`Conversations::set_channel_signals`]).
#[derive(Debug, Clone)]
pub enum ChannelSignal {
    /// Entries were stored in a channel conversation: deliver what is past
    /// its cursor.
    Stored {
        /// The channel customer.
        user: ChannelUser,
        /// Their conversation.
        conversation: ConversationId,
    },
    /// The agent holding a channel conversation started or stopped typing.
    AgentTyping {
        /// The channel customer.
        user: ChannelUser,
        /// True while typing.
        on: bool,
    },
}

/// A channel conversation with entries its channel has not delivered yet.
#[derive(Debug, Clone)]
pub struct Undelivered {
    /// The channel customer.
    pub user: ChannelUser,
    /// Their conversation.
    pub conversation: ConversationId,
}

impl Conversations {
    /// Hands down where channel signals go; set once, at start-up, before any
    /// channel request is served.
    pub fn set_channel_signals(&self, signals: mpsc::UnboundedSender<ChannelSignal>) {
        let _ = self.channel_signals.set(signals);
    }

    pub(super) fn signal_channel(&self, signal: ChannelSignal) {
        if let Some(signals) = self.channel_signals.get() {
            // Closed only when the server shuts down: the cursor redelivers.
            let _ = signals.send(signal);
        }
    }

    /// The conversation of a channel customer: theirs if they wrote before
    /// (in memory or in the store), else a new one, not stored until its
    /// first turn commits. A new conversation's language is that of
    /// `first_text`, with `hint` (Telegram's `language_code`, the UI
    /// language of the app) deciding only for a text too short to tell
    /// ([`Self::first_locale`]). Errs only if the store cannot read.
    pub fn open_channel(
        &self,
        user: &ChannelUser,
        first_text: Option<&str>,
        hint: Option<&str>,
        customer: Option<Customer>,
    ) -> Result<Arc<Live>, ConversationError> {
        // Held across the lookup and the creation: two first messages at once
        // must not open two conversations.
        let mut open = self.channel_users.lock().unwrap_or_else(|e| e.into_inner());
        let key = user.key();
        if let Some(live) = open.get(&key).and_then(Weak::upgrade) {
            let unstored = live
                .unstored
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_some();
            // One not stored yet may have lost the race to another node,
            // whose conversation the store has now.
            if !unstored || self.store.conversation_by_channel_user(user)?.is_none() {
                return Ok(live);
            }
            open.remove(&key);
        }
        if let Some(id) = self.store.conversation_by_channel_user(user)? {
            if let Some(live) = self.live(&id)? {
                open.insert(key, Arc::downgrade(&live));
                return Ok(live);
            }
        }
        let locale = self.first_locale(first_text, hint);
        let mut record = ConversationRecord::new(
            ConversationId::random(),
            locale.as_str(),
            customer,
            Timestamp::now(),
        );
        record.channel = Some(user.clone());
        tracing::info!(conversation_id = %record.id, locale = %locale, channel = %user.channel(), "conversation started");
        let live = self.insert_live(record);
        live.knows_every_customer_id(self.store.sole_writer());
        // The session token is never shown: channel customers are found by
        // their channel id. It makes the first commit store the conversation.
        *live.unstored.lock().unwrap_or_else(|e| e.into_inner()) = Some(Unstored {
            token: SessionToken::random(),
            entries: Vec::new(),
        });
        if open.len() >= 1024 && open.len().is_power_of_two() {
            open.retain(|_, weak| weak.strong_count() > 0);
        }
        open.insert(key, Arc::downgrade(&live));
        Ok(live)
    }

    /// The language of a new channel conversation: of its first text
    /// ([`crate::nlu::Nlu::first_language`]), with `hint` deciding only for
    /// a text too short to tell. A hint that names no supported language
    /// (or none: WhatsApp sends none) counts as the default locale, as a
    /// widget's `hello` without a supported `locale` does.
    fn first_locale(&self, text: Option<&str>, hint: Option<&str>) -> Locale {
        let content = self.engine.content();
        let hinted = hint
            .and_then(|requested| {
                let locale = content.l10n.negotiate(Some(requested));
                let language = requested.split(['-', '_']).next().unwrap_or_default();
                language
                    .eq_ignore_ascii_case(locale.as_str())
                    .then_some(locale)
            })
            .unwrap_or_else(|| content.l10n.negotiate(None));
        let Some(text) = text else {
            return hinted;
        };
        let language = content.nlu.first_language(text, hinted.as_str());
        content.l10n.locale(&language).unwrap_or(hinted)
    }

    /// When the customer of conversation `id` last wrote; `None` before
    /// their first message or for an unknown conversation. Errs only if the
    /// store cannot read.
    pub fn last_customer_at(
        &self,
        id: &ConversationId,
    ) -> Result<Option<Timestamp>, ConversationError> {
        Ok(self
            .store
            .conversation(id)?
            .and_then(|record| record.last_customer_at))
    }

    /// The newest `limit` entries (at most) of a channel customer's
    /// conversation, oldest first; empty if none is stored. Errs only if
    /// the store cannot read.
    pub fn channel_recent(
        &self,
        user: &ChannelUser,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, ConversationError> {
        let Some(id) = self.store.conversation_by_channel_user(user)? else {
            return Ok(Vec::new());
        };
        Ok(self.store.transcript_before(&id, u64::MAX, limit)?)
    }

    /// Channel conversations whose channel has entries past its delivery
    /// cursor (after a restart: what was stored but not yet delivered).
    pub fn undelivered(&self) -> Result<Vec<Undelivered>, ConversationError> {
        let mut pending = Vec::new();
        for (id, cursor) in self.store.delivery_cursors()? {
            let Some(record) = self.store.conversation(&id)? else {
                continue;
            };
            if let (Some(user), true) = (record.channel, record.last_seq > cursor) {
                pending.push(Undelivered {
                    user,
                    conversation: id,
                });
            }
        }
        Ok(pending)
    }

    /// The seq a channel conversation's entries are delivered up to; 0 if
    /// it has none (or is not a channel conversation).
    pub fn delivery_cursor(&self, id: &ConversationId) -> Result<u64, ConversationError> {
        Ok(self.store.delivery_cursor(id)?.unwrap_or(0))
    }

    /// Takes or renews this node's lease on delivering a channel
    /// conversation's entries ([`Store::delivery_lease`]); false while
    /// another node's runs.
    pub fn delivery_lease(
        &self,
        id: &ConversationId,
        ttl: std::time::Duration,
    ) -> Result<bool, ConversationError> {
        Ok(self.store.delivery_lease(id, self.handoff.node(), ttl)?)
    }

    /// Gives this node's delivery lease of a conversation up (nothing is
    /// left to deliver).
    pub fn end_delivery_lease(&self, id: &ConversationId) -> Result<(), ConversationError> {
        Ok(self.store.end_delivery_lease(id, self.handoff.node())?)
    }

    /// Moves a channel conversation's delivery cursor to `seq`.
    pub fn set_delivery_cursor(
        &self,
        id: &ConversationId,
        seq: u64,
    ) -> Result<(), ConversationError> {
        Ok(self.store.set_delivery_cursor(id, seq)?)
    }

    /// Records that the channel gave up delivering entry `seq`: agents see
    /// it on the conversation (`dead_letters`). Errs with a store error.
    pub async fn note_dead_letter(
        &self,
        id: &ConversationId,
        seq: u64,
        reason: String,
    ) -> Result<(), ConversationError> {
        let live = self.live_or_not_found(id)?;
        let mut record = self.lock_record(&live).await;
        let mut next = record.clone();
        next.note_dead_letter(DeadLetter {
            seq,
            reason: reason.clone(),
            ts: Timestamp::now(),
        });
        self.commit(&live, &mut record, next, Vec::new(), None, None)
            .await?;
        // The agent holding it hears it now, not only when they reopen it.
        self.handoff.tell_assignee(
            id,
            AgentEvent::DeadLetter {
                conversation: *id,
                seq,
                reason,
            },
        );
        Ok(())
    }

    /// The customer opened the chat with the channel's start command
    /// (Telegram's `/start`, sent when they first tap Start): greeted in the
    /// conversation's language, as the widget is after `hello`. Nothing is
    /// said while a person has (or will have) the conversation. Idempotent
    /// on `client_id` like [`Self::message`]; errs with a store error.
    pub async fn channel_start(
        &self,
        live: &Arc<Live>,
        client_id: &str,
    ) -> Result<TurnOutcome, ConversationError> {
        let mut record = self.lock_record(live).await;
        if let Some(repeated) = self.repeated_customer_id(live, client_id).await? {
            return Ok(repeated);
        }
        let mut next = record.clone();
        match next.state {
            ConversationState::Bot => {}
            ConversationState::Closed => {
                next.state = ConversationState::Bot;
                next.closed_by_agent = None;
            }
            ConversationState::Queued | ConversationState::WithAgent => {
                return Ok(TurnOutcome {
                    seq: 0,
                    entries: Vec::new(),
                })
            }
        }
        let seq = next.last_seq + 1;
        let greeting = self.engine.greeting(&mut next);
        let entries = self
            .commit(
                live,
                &mut record,
                next,
                vec![greeting],
                Some(ClientKey::Customer(client_id)),
                None,
            )
            .await?;
        Ok(TurnOutcome { seq, entries })
    }

    /// A message the channel cannot carry as text (a photo, a sticker, a
    /// voice note): stored as `[<kind>]` so that nothing sent is silently
    /// dropped, and answered, while the bot has the conversation, with a
    /// request to type. Idempotent on `client_id` like [`Self::message`].
    pub async fn unsupported_content(
        self: &Arc<Self>,
        live: &Arc<Live>,
        client_id: &str,
        kind: &str,
    ) -> Result<TurnOutcome, ConversationError> {
        let marker = format!("[{kind}]");
        self.customer_turn(live, client_id, 0, |this, record| {
            if record.state != ConversationState::Bot {
                return Ok(this.while_with_people(record, client_id, &marker));
            }
            let entries = vec![
                customer::customer_message(client_id, marker.clone(), &record.locale),
                EntryBody::text(
                    Sender::Bot,
                    this.text(record, &Msg::ChannelUnsupportedContent),
                    &record.locale,
                ),
            ];
            Ok(customer::TurnOutput::new(entries))
        })
        .await
    }
}
