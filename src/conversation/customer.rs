//! What customers do: open or resume a conversation, write, choose, rate, end.

use super::*;
use crate::actions::{ActionAnswer, ActionRequest};

/// The entries of one customer turn, and what else it leads to.
pub(super) struct TurnOutput {
    entries: Vec<EntryBody>,
    unanswered: Option<Unanswered>,
    /// With `unanswered`: the question was out of scope (see [`Reply::out_of_scope`]).
    out_of_scope: bool,
    /// A business action whose answer follows once the turn is stored.
    action: Option<ActionCall>,
}

impl TurnOutput {
    /// A turn that stores `entries` and nothing else.
    pub(super) fn new(entries: Vec<EntryBody>) -> Self {
        Self {
            entries,
            unanswered: None,
            out_of_scope: false,
            action: None,
        }
    }
}

pub(super) fn customer_message(client_id: &str, text: String, locale: &str) -> EntryBody {
    EntryBody::Message {
        from: Sender::Customer,
        text,
        locale: locale.to_owned(),
        id: Some(client_id.to_owned()),
        intent: None,
        confidence: None,
        quick_replies: Vec::new(),
        articles: Vec::new(),
        agent: None,
    }
}

/// The survey's score when `text` is one typed as a message: a digit 1 to 5
/// on its own ("5", "4.", "5!"), as stars ("⭐⭐⭐⭐", "★★★", "4 ⭐", "5⭐"),
/// with the word for stars ("3 stars", "5 yildiz", "4 Sterne", "5 étoiles",
/// "5 estrellas", "5 звёзд", "5 asteria", "5 bintang", "4 zvaigznes") or
/// out of five ("4/5", "4 out of 5", "4 von 5", "4 sur 5", "4 de 5",
/// "4 из 5", "4 apo 5", "4 dari 5", "4 no 5"), also with the score in words
/// ("five", "beş", "πέντε", "пять", "fünf Sterne"). Phone users and messaging
/// channels answer "please choose from 1 to 5" that way; anything more is
/// a message.
pub(super) fn survey_score(text: &str) -> Option<u8> {
    /// Words for a star (folded, singular and plural), in our languages.
    const STAR_WORDS: &[&str] = &[
        "star",
        "stars",
        "yildiz",
        "stern",
        "sterne",
        "etoile",
        "etoiles",
        "estrella",
        "estrellas",
        "звезда",
        "звезды",
        "звезд",
        "zvezda",
        "zvezdy",
        "zvezd",
        "asteri",
        "asteria",
        "αστερι",
        "αστερια",
        "bintang",
        "zvaigzne",
        "zvaigznes",
    ];
    /// "Out of" before the 5, in our languages (folded).
    const OUT_OF: &[&[&str]] = &[
        &["/"],
        &["out", "of"],
        &["von"],
        &["sur"],
        &["de"],
        &["из"],
        &["iz"],
        &["apo"],
        &["απο"],
        &["dari"],
        &["no"],
    ];
    /// Scores written as words, 1 to 5 in order, in our languages (folded;
    /// Greek and Russian also as phones type them in Latin letters).
    const NUMBER_WORDS: [&[&str]; 5] = [
        &[
            "one", "bir", "ενα", "ena", "satu", "viens", "eins", "un", "une", "uno", "один", "odin",
        ],
        &[
            "two", "iki", "δυο", "dyo", "dio", "dua", "divi", "zwei", "deux", "dos", "два", "dva",
        ],
        &[
            "three", "uc", "τρια", "tria", "tiga", "tris", "drei", "trois", "tres", "три", "tri",
        ],
        &[
            "four",
            "dort",
            "τεσσερα",
            "tessera",
            "empat",
            "cetri",
            "vier",
            "quatre",
            "cuatro",
            "четыре",
            "chetyre",
            "4etyre",
        ],
        &[
            "five",
            "bes",
            "πεντε",
            "pente",
            "lima",
            "pieci",
            "funf",
            "fuenf",
            "cinq",
            "cinco",
            "пять",
            "pyat",
            "piat",
        ],
    ];
    // Most messages are no score: only a short one with a digit or a star,
    // or of at most three words the first of which is a number, is read
    // further (this runs on every message).
    let marked = |c: char| c.is_ascii_digit() || c == '⭐' || c == '★';
    let number_first = || {
        let mut words = text.split_whitespace();
        let first = words.next().map(|w| w.trim_end_matches(['.', '!', ',']));
        words.count() <= 2
            && first.is_some_and(|w| {
                let folded = crate::normalize::fold(w, "und");
                NUMBER_WORDS.iter().any(|n| n.contains(&folded.as_str()))
            })
    };
    if text.len() > 40 || !(text.chars().any(marked) || number_first()) {
        return None;
    }
    let mut spaced = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '/' | '⭐' | '★' => {
                spaced.push(' ');
                spaced.push(c);
                spaced.push(' ');
            }
            '\u{FE0F}' => {}
            c if c.is_ascii_digit() => {
                spaced.push(' ');
                spaced.push(c);
            }
            c => spaced.push(c),
        }
    }
    let folded = crate::normalize::fold(&spaced, "und");
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | '!' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    let star = |w: &str| w == "⭐" || w == "★";
    if !words.is_empty() && words.iter().all(|w| star(w)) {
        return u8::try_from(words.len())
            .ok()
            .filter(|n| (1..=5).contains(n));
    }
    let (first, rest) = words.split_first()?;
    let worded = NUMBER_WORDS
        .iter()
        .position(|words| words.contains(first))
        .and_then(|i| u8::try_from(i + 1).ok());
    let score = match (first.parse::<u8>(), worded) {
        (Ok(n), _) if first.len() == 1 && (1..=5).contains(&n) => n,
        (_, Some(n)) => n,
        _ => return None,
    };
    let fits = match rest {
        [] => true,
        [word] => star(word) || STAR_WORDS.contains(word),
        stars if stars.iter().all(|w| star(w)) => true,
        [out_of @ .., "5"] => OUT_OF.contains(&out_of),
        _ => false,
    };
    fits.then_some(score)
}

impl Conversations {
    /// Resumes the conversation of a session token (also one not stored yet,
    /// whose first socket is still open); `None` if the token is unknown.
    /// Errs only if the store cannot read.
    pub async fn resume(
        &self,
        token: &str,
        address: Option<IpAddr>,
    ) -> Result<Option<Session>, ConversationError> {
        let token = SessionToken::presented(token);
        let live = match self.store.conversation_by_session(&token)? {
            Some(id) => self.live(&id)?,
            None => self
                .unstored_sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&token.hash())
                .and_then(Weak::upgrade),
        };
        let Some(live) = live else {
            return Ok(None);
        };
        let events = live.subscribe();
        let record = self.lock_record(&live).await;
        let locale = self.locale_of(&record);
        let last_seq = record.last_seq;
        // Not stored yet: the greeting is replayed from memory.
        let unsent = live
            .unstored
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|unstored| unstored.entries.clone())
            .unwrap_or_default();
        drop(record);
        let presence = Presence::new(&live, &self.handoff, address);
        Ok(Some(Session {
            live,
            token,
            locale,
            resumed: true,
            last_seq,
            events,
            unsent,
            _presence: presence,
        }))
    }

    /// Starts a new conversation with its greeting. Nothing is stored until
    /// the customer writes (or ends it): a hello costs memory only, while
    /// its socket is open and for [`super::UNSTORED_KEPT`] after the hello
    /// (so that a reload resumes it on this node). `requested_locale` is
    /// negotiated (unknown: English).
    pub fn start(
        &self,
        requested_locale: Option<&str>,
        customer: Option<Customer>,
        timezone: Option<String>,
        address: Option<IpAddr>,
    ) -> Session {
        let locale = self.engine.content().l10n.negotiate(requested_locale);
        let token = SessionToken::random();
        let mut record = ConversationRecord::new(
            ConversationId::random(),
            locale.as_str(),
            customer,
            Timestamp::now(),
        );
        record.timezone = timezone;
        let greeting = self.engine.greeting(&mut record);
        let entries = stamp(&mut record, vec![greeting]);
        tracing::info!(conversation_id = %record.id, locale = %locale, "conversation started");
        let live = self.insert_live(record);
        live.knows_every_customer_id(self.store.sole_writer());
        *live.unstored.lock().unwrap_or_else(|e| e.into_inner()) = Some(Unstored {
            token: token.clone(),
            entries: entries.clone(),
        });
        {
            let mut sessions = self
                .unstored_sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            // Conversations whose sockets all closed unstored are gone: forget them now and then.
            if sessions.len() >= 1024 && sessions.len().is_power_of_two() {
                sessions.retain(|_, weak| weak.strong_count() > 0);
            }
            sessions.insert(token.hash(), Arc::downgrade(&live));
        }
        {
            let mut kept = self.unstored_kept.lock().unwrap_or_else(|e| e.into_inner());
            let now = std::time::Instant::now();
            while kept.front().is_some_and(|(since, _)| {
                now.duration_since(*since) > super::UNSTORED_KEPT
                    || kept.len() >= super::UNSTORED_KEPT_MAX
            }) {
                kept.pop_front();
            }
            kept.push_back((now, Arc::clone(&live)));
        }
        let events = live.subscribe();
        let presence = Presence::new(&live, &self.handoff, address);
        Session {
            live,
            token,
            locale,
            resumed: false,
            last_seq: 0,
            events,
            unsent: entries,
            _presence: presence,
        }
    }

    /// At most `limit` entries with a seq above `after`, in seq order; empty
    /// for an unknown conversation. Errs only if the store cannot read.
    pub fn transcript_page(
        &self,
        id: &ConversationId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<TranscriptEntry>, ConversationError> {
        Ok(self.store.transcript_page(id, after, limit)?)
    }

    /// A customer message: stored, answered, and acked with the seq it was
    /// stored under. A repeated `client_id` gets its first seq back and is not
    /// processed again. A question nothing answered is logged for content owners.
    ///
    /// Errs with a store error (nothing acknowledged) or, if the turn hands
    /// off, a handoff error other than a full queue (which is told politely).
    pub async fn message(
        self: &Arc<Self>,
        live: &Arc<Live>,
        client_id: &str,
        text: &MessageText,
        origin: ConnectionId,
    ) -> Result<TurnOutcome, ConversationError> {
        let address = live.address();
        let text = text.as_str();
        if let Some(score) = survey_score(text) {
            if let Some(rated) = self
                .typed_rating(live, client_id, text, score, origin)
                .await?
            {
                return Ok(rated);
            }
        }
        self.customer_turn(live, client_id, origin, |this, record| {
            // Out of support hours a queued conversation waits for the first
            // agent of the day: until then the bot keeps answering (an email
            // left for the team is still taken first).
            let waiting_overnight = this.waiting_overnight(record)
                && !(record.awaiting_email && entities::email(text).is_some());
            if record.state != ConversationState::Bot && !waiting_overnight {
                return Ok(this.while_with_people(record, client_id, text));
            }
            let mut reply = this.engine.on_text(record, text);
            // The customer's entry carries the language the bot settled on.
            let mut entries = vec![customer_message(client_id, text.to_owned(), &record.locale)];
            entries.append(&mut reply.entries);
            this.follow_handoff(
                record,
                &reply,
                waiting_overnight,
                text,
                address,
                &mut entries,
            )?;
            let unanswered = reply.unanswered.then(|| Unanswered {
                locale: record.locale.clone(),
                text: text.to_owned(),
                conversation: record.id,
                ts: Timestamp::now(),
                channel: record.channel_kind(),
            });
            Ok(TurnOutput {
                entries,
                unanswered,
                out_of_scope: reply.out_of_scope,
                action: reply.action,
            })
        })
        .await
    }

    /// The rest of a customer's message too long for one entry (a channel
    /// splits it): stored, and relayed to the agent holding the
    /// conversation, but not answered again; idempotent on `client_id`.
    pub async fn message_continued(
        self: &Arc<Self>,
        live: &Arc<Live>,
        client_id: &str,
        text: &MessageText,
        origin: ConnectionId,
    ) -> Result<TurnOutcome, ConversationError> {
        let text = text.as_str();
        self.customer_turn(live, client_id, origin, |this, record| {
            if record.state != ConversationState::Bot {
                return Ok(this.while_with_people(record, client_id, text));
            }
            Ok(TurnOutput::new(vec![customer_message(
                client_id,
                text.to_owned(),
                &record.locale,
            )]))
        })
        .await
    }

    /// A customer message while a person has (or will have) the
    /// conversation: the bot stays silent, except to confirm an email
    /// address left while waiting (the queue notices invite one when nobody
    /// is free or support is offline; a wait may grow after it was given).
    pub(super) fn while_with_people(
        &self,
        record: &mut ConversationRecord,
        client_id: &str,
        text: &str,
    ) -> TurnOutput {
        let mut entries = vec![customer_message(client_id, text.to_owned(), &record.locale)];
        if record.awaiting_email || record.state == ConversationState::Queued {
            if let Some(email) = entities::email(text) {
                record.awaiting_email = false;
                record.customer.get_or_insert_with(Customer::default).email = Some(email.clone());
                if let Err(error) = self
                    .handoff
                    .update_customer(record.id, record.customer.clone())
                {
                    tracing::error!(conversation_id = %record.id, %error, "cannot store the email on the queue item");
                }
                let saved = if self.waiting_overnight(record) {
                    Msg::EmailSaved { email: &email }
                } else {
                    Msg::EmailSavedQueued { email: &email }
                };
                entries.push(EntryBody::text(
                    Sender::System,
                    self.text(record, &saved),
                    &record.locale,
                ));
            }
        }
        // Nobody waits in silence: the first message after a queue notice is
        // answered with the place, and that the person will read it.
        if record.state == ConversationState::Queued
            && entries.len() == 1
            && self.first_message_since_notice(record)
        {
            if let Some(position) = self.handoff.position(&record.id) {
                entries.push(EntryBody::text(
                    Sender::System,
                    self.text(record, &Msg::HandoffMessageNoted { position }),
                    &record.locale,
                ));
            }
        }
        // Details given while waiting or served reach the agent (queue.rs).
        self.note_customer_details(record, text);
        TurnOutput {
            entries,
            unanswered: None,
            out_of_scope: false,
            action: None,
        }
    }

    /// A pressed quick reply: stored as the customer's message (its label) and
    /// answered; idempotent on `client_id` like [`Self::message`]. Errs with
    /// [`ConversationError::Invalid`] for a value never offered in this
    /// conversation or meaningless now, else as [`Self::message`].
    pub async fn choice(
        self: &Arc<Self>,
        live: &Arc<Live>,
        client_id: &str,
        value: &str,
        origin: ConnectionId,
    ) -> Result<TurnOutcome, ConversationError> {
        let address = live.address();
        self.customer_turn(live, client_id, origin, |this, record| {
            if !record.offered_choices.iter().any(|v| v == value) {
                return Err(ConversationError::Invalid("choice value was never offered"));
            }
            let label = this
                .engine
                .choice_label(record, value)
                .ok_or(ConversationError::Invalid("choice value is not known"))?;
            let waiting_overnight = this.waiting_overnight(record);
            if record.state != ConversationState::Bot && !waiting_overnight {
                return Ok(this.while_with_people(record, client_id, &label));
            }
            let mut entries = vec![customer_message(client_id, label.clone(), &record.locale)];
            let mut reply = this
                .engine
                .on_choice(record, value)
                .ok_or(ConversationError::Invalid("choice value means nothing now"))?;
            entries.append(&mut reply.entries);
            this.follow_handoff(
                record,
                &reply,
                waiting_overnight,
                &label,
                address,
                &mut entries,
            )?;
            Ok(TurnOutput {
                entries,
                unanswered: None,
                out_of_scope: false,
                action: reply.action,
            })
        })
        .await
    }

    /// "Did this help?" on the bot message `seq`: answered while the bot has
    /// the conversation, only remembered while a person has it. The same
    /// answer again about the same message (a double tap, a widget resending
    /// after a reconnect) adds no reply, no count and no step towards a
    /// person; a changed answer replaces the earlier one, in the figures
    /// too. Errs with [`ConversationError::Invalid`] if `seq` is not a bot
    /// message, else a store or handoff error.
    pub async fn feedback(
        &self,
        live: &Live,
        seq: u64,
        helpful: bool,
    ) -> Result<(), ConversationError> {
        let mut record = self.lock_record(live).await;
        let is_bot_message = self
            .store
            .transcript_after(&live.id, seq.saturating_sub(1))?
            .first()
            .is_some_and(|e| {
                e.seq == seq
                    && matches!(
                        e.body,
                        EntryBody::Message {
                            from: Sender::Bot,
                            ..
                        }
                    )
            });
        if !is_bot_message {
            return Err(ConversationError::Invalid(
                "feedback seq is not a bot message",
            ));
        }
        if record
            .feedback
            .iter()
            .any(|given| given.seq == seq && given.helpful == helpful)
        {
            tracing::debug!(conversation_id = %live.id, seq, "feedback repeated: nothing changes");
            return Ok(());
        }
        let mut next = record.clone();
        let mut entries = Vec::new();
        if next.state == ConversationState::Bot {
            let reply = self.engine.on_feedback(&mut next, seq, helpful);
            entries = reply.entries;
            if let Some(handoff) = reply.handoff {
                let last_words = self.last_customer_words(&next);
                entries.extend(self.hand_off(
                    &mut next,
                    handoff,
                    reply.email_asked,
                    &last_words,
                    live.address(),
                )?);
            }
        } else {
            // A person has the conversation: just remember the answer.
            next.note_feedback(crate::domain::Feedback {
                seq,
                helpful,
                ts: Timestamp::now(),
            });
        }
        self.commit(live, &mut record, next, entries, None, None)
            .await
            .map(|_| ())
    }

    /// The satisfaction survey, after `closed`: stored (replacing an earlier
    /// one), thanked, and relayed to the agent who closed the conversation.
    /// Errs with [`ConversationError::Invalid`] before `closed`, or a store
    /// error.
    ///
    /// With `client_id` (a channel's message id), a repeated id changes
    /// nothing and says nothing.
    pub async fn rating(
        &self,
        live: &Live,
        score: u8,
        comment: Option<String>,
        client_id: Option<&str>,
    ) -> Result<(), ConversationError> {
        let mut record = self.lock_record(live).await;
        if let Some(client_id) = client_id {
            if self.repeated_customer_id(live, client_id).await?.is_some() {
                return Ok(());
            }
        }
        if record.state != ConversationState::Closed {
            return Err(ConversationError::Invalid(
                "rating is only possible after the conversation is closed",
            ));
        }
        let mut next = record.clone();
        let body = self.rate(&mut next, score, comment.clone());
        tracing::info!(conversation_id = %live.id, score, "rating");
        let agent = next.closed_by_agent.clone();
        let client = client_id.map(ClientKey::Customer);
        self.commit(live, &mut record, next, vec![body], client, None)
            .await?;
        self.relay_rating(agent, live.id, score, comment);
        Ok(())
    }

    /// Stores the survey's answer on `next` (replacing an earlier one) and
    /// returns the thanks to say.
    fn rate(&self, next: &mut ConversationRecord, score: u8, comment: Option<String>) -> EntryBody {
        next.rating = Some(Rating {
            score,
            comment,
            ts: Timestamp::now(),
        });
        self.engine.system_text(next, &Msg::RatingThanks)
    }

    /// Tells the agent who closed the conversation (`agent`, if one did)
    /// the rating it got, once it is stored.
    fn relay_rating(
        &self,
        agent: Option<String>,
        conversation: ConversationId,
        score: u8,
        comment: Option<String>,
    ) {
        if let Some(agent) = agent {
            self.handoff.tell_agent(
                &agent,
                AgentEvent::Rating {
                    conversation,
                    score,
                    comment,
                },
            );
        }
    }

    /// A score typed as a message ([`survey_score`]) to a closed conversation
    /// whose survey is unanswered: stored as the customer's message and taken
    /// as their rating, as [`Self::rating`] (thanked, relayed to the agent
    /// who closed it); the conversation stays closed. `None` when the
    /// conversation is not waiting for a rating: the text is then an
    /// ordinary message. Idempotent on `client_id`; errs with a store error.
    async fn typed_rating(
        &self,
        live: &Live,
        client_id: &str,
        text: &str,
        score: u8,
        origin: ConnectionId,
    ) -> Result<Option<TurnOutcome>, ConversationError> {
        let mut record = self.lock_record(live).await;
        if record.state != ConversationState::Closed || record.rating.is_some() {
            return Ok(None);
        }
        if let Some(repeated) = self.repeated_customer_id(live, client_id).await? {
            return Ok(Some(repeated));
        }
        let mut next = record.clone();
        next.last_customer_at = Some(Timestamp::now());
        let said = customer_message(client_id, text.to_owned(), &next.locale);
        let bodies = vec![said, self.rate(&mut next, score, None)];
        tracing::info!(conversation_id = %live.id, score, "rating typed as a message");
        let agent = next.closed_by_agent.clone();
        let seq = next.last_seq + 1;
        let entries = self
            .commit(
                live,
                &mut record,
                next,
                bodies,
                Some(ClientKey::Customer(client_id)),
                Some(origin),
            )
            .await?;
        self.relay_rating(agent, live.id, score, None);
        Ok(Some(TurnOutcome { seq, entries }))
    }

    /// The customer ends the conversation (it leaves the queue, its agent is
    /// told); ending a closed one does nothing. Errs with a store or handoff
    /// error.
    pub async fn end(&self, live: &Live) -> Result<(), ConversationError> {
        let mut record = self.lock_record(live).await;
        if record.state == ConversationState::Closed {
            return Ok(());
        }
        if record.state != ConversationState::Bot {
            match self.handoff.finish(None, live.id) {
                Ok(Some(agent)) => self.handoff.tell_agent(
                    &agent,
                    AgentEvent::Closed {
                        conversation: live.id,
                        by: Sender::Customer,
                    },
                ),
                Ok(None) | Err(HandoffError::NotFound) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let mut next = record.clone();
        next.state = ConversationState::Closed;
        next.assignee = None;
        next.pending_slot = None;
        next.awaiting_email = false;
        let closing = format!(
            "{} {}",
            self.text(&next, &Msg::ClosedCustomer),
            self.text(&next, &Msg::SurveyAsk)
        );
        let bodies = vec![
            EntryBody::text(Sender::System, closing, &next.locale),
            EntryBody::Closed {
                by: Sender::Customer,
                survey: true,
            },
        ];
        tracing::info!(conversation_id = %live.id, "closed by customer");
        self.commit(live, &mut record, next, bodies, None, None)
            .await
            .map(|_| ())
    }

    /// Hands off as the engine's `reply` asked, adding the queue's notices to
    /// `entries` (the customer's entry first, then the bot's). A conversation
    /// already `waiting_overnight` stays where it is: the answer (its
    /// out-of-hours variant) is all there is to say, and a handoff that came
    /// with no words (a second miss) gets "I didn't understand" rather than
    /// silence.
    fn follow_handoff(
        &self,
        record: &mut ConversationRecord,
        reply: &Reply,
        waiting_overnight: bool,
        last_text: &str,
        address: Option<IpAddr>,
        entries: &mut Vec<EntryBody>,
    ) -> Result<(), ConversationError> {
        let Some(handoff) = reply.handoff else {
            return Ok(());
        };
        if !waiting_overnight {
            entries.extend(self.hand_off(
                record,
                handoff,
                reply.email_asked,
                last_text,
                address,
            )?);
        } else if entries.len() == 1 {
            entries.push(EntryBody::text(
                Sender::Bot,
                self.text(record, &Msg::NotUnderstood),
                &record.locale,
            ));
        }
        Ok(())
    }

    /// Whether the conversation waits out of support hours for the first
    /// agent of the day: the bot answers meanwhile.
    fn waiting_overnight(&self, record: &ConversationRecord) -> bool {
        record.state == ConversationState::Queued
            && !self.engine.facts().is_open(jiff::Timestamp::now())
    }

    /// Calls the business action of `call` and stores the bot's answer: the
    /// backend's facts in the customer's language, or an apology with the
    /// offer of a person (`action_failed`) on a timeout, an error or an
    /// answer that cannot be said. Nothing is said if a person took the
    /// conversation meanwhile (or it ended); a customer waiting in the queue
    /// is told, and stays in it. Failures are logged, never shown.
    async fn run_action(&self, live: &Live, pending: PendingAction) {
        let PendingAction { id, call, .. } = pending;
        let (request, zone) = {
            let record = self.lock_record(live).await;
            // Instants are said in the customer's time zone, else the team's.
            let zone = self.engine.facts().zone_for(record.timezone.as_deref());
            let request = ActionRequest {
                action: call.action.clone(),
                intent: call.intent.clone(),
                conversation: live.id.to_string(),
                locale: record.locale.clone(),
                slots: call.slots.clone(),
                customer: record
                    .customer
                    .as_ref()
                    .and_then(|c| serde_json::to_value(c).ok()),
            };
            (request, zone)
        };
        // What the backend named must be sayable, or the customer would
        // read `{$carrier}`: checked in the request's locale (the answer is
        // said in the conversation's locale then, checked again there).
        let sayable = |answer: &ActionAnswer| match answer {
            ActionAnswer::Reply { message, args, .. } => {
                let args = crate::l10n::format::display_args(&request.locale, args, zone.as_ref())
                    .map_err(|error| error.to_string())?;
                let l10n = &self.engine.content().l10n;
                let locale = l10n
                    .locale(&request.locale)
                    .unwrap_or_else(|| l10n.default_locale());
                l10n.render(&locale, message, &args)
                    .map(drop)
                    .map_err(|error| error.to_string())
            }
            ActionAnswer::Handoff => Ok(()),
        };
        let called = self
            .actions
            .call_with_id(&call.action, &id, &request, sayable)
            .await;
        let outcome = match called {
            Ok(ActionAnswer::Reply {
                message,
                args,
                quick_replies,
            }) => match crate::l10n::format::display_args(&request.locale, &args, zone.as_ref()) {
                Ok(args) => ActionOutcome::Answered {
                    message,
                    args,
                    quick_replies,
                },
                Err(error) => {
                    tracing::warn!(conversation_id = %live.id, action = %call.action, %error, "business action answer cannot be said");
                    ActionOutcome::Failed
                }
            },
            Ok(ActionAnswer::Handoff) => ActionOutcome::Handoff,
            Err(error) => {
                tracing::warn!(conversation_id = %live.id, action = %call.action, %error, "business action failed");
                ActionOutcome::Failed
            }
        };
        let mut record = self.lock_record(live).await;
        let mut next = record.clone();
        if next.pending_action.as_ref().is_some_and(|p| p.id == id) {
            next.pending_action = None;
        }
        // While the customer waits in the queue the answer is still theirs
        // ("where is my order 1004528" then "can I talk to someone" at once);
        // once a person has the conversation (or it ended) it is not said.
        let queued = record.state == ConversationState::Queued;
        if record.state != ConversationState::Bot && !queued {
            tracing::info!(conversation_id = %live.id, action = %call.action, "business action answered after a person took over: not said");
            if let Err(error) = self
                .commit(live, &mut record, next, Vec::new(), None, None)
                .await
            {
                tracing::error!(conversation_id = %live.id, action = %call.action, %error, "cannot store that the business action answered");
            }
            return;
        }
        let reply = self.engine.on_action(&mut next, &call, outcome);
        let mut entries = reply.entries;
        if let Some(handoff) = reply.handoff.filter(|_| !queued) {
            let last_words = self.last_customer_words(&next);
            match self.hand_off(
                &mut next,
                handoff,
                reply.email_asked,
                &last_words,
                live.address(),
            ) {
                Ok(notices) => entries.extend(notices),
                Err(error) => {
                    tracing::error!(conversation_id = %live.id, %error, "cannot hand off after a business action");
                    return;
                }
            }
        }
        if let Err(error) = self
            .commit(live, &mut record, next, entries, None, None)
            .await
        {
            tracing::error!(conversation_id = %live.id, action = %call.action, %error, "cannot store the business action's answer");
        }
    }

    /// Calls again, in the background, every business action that was under
    /// way when the server last stopped (its answer was never stored), with
    /// the `webhook-id` of the first try. Run once at start-up; reads every
    /// stored conversation record once. Errs only if the store cannot read.
    pub fn resume_actions(self: &Arc<Self>) -> Result<usize, ConversationError> {
        let mut resumed = 0;
        for id in self
            .store
            .conversations_idle_since(jiff::Timestamp::now())?
        {
            let pending = self.store.conversation(&id)?.and_then(|r| r.pending_action);
            let (Some(pending), Some(live)) = (pending, self.live(&id)?) else {
                continue;
            };
            tracing::info!(conversation_id = %id, action = %pending.call.action, since = %pending.since, "business action under way at the last stop: calling it again");
            resumed += 1;
            let this = Arc::clone(self);
            tokio::spawn(async move { this.run_action(&live, pending).await });
        }
        Ok(resumed)
    }

    /// The outcome to answer a customer frame (or channel message) id that
    /// was stored before with: its first seq and nothing new; `None` for a
    /// new id. Waits until the first attempt is durable (it may still be
    /// waiting for its flush) before that is acknowledged again; the client
    /// has (or will get through replay) what followed. Call it with the
    /// conversation's record locked.
    pub(super) async fn repeated_customer_id(
        &self,
        live: &Live,
        client_id: &str,
    ) -> Result<Option<TurnOutcome>, ConversationError> {
        let seq = match live.known_customer_id(client_id) {
            Some(known) => known,
            None => self
                .store
                .seq_of_client_id(&live.id, ClientKey::Customer(client_id))?,
        };
        let Some(seq) = seq else {
            return Ok(None);
        };
        self.store.durable(0).await?;
        Ok(Some(TurnOutcome {
            seq,
            entries: Vec::new(),
        }))
    }

    /// The customer is typing: the agent holding the conversation sees it.
    pub async fn customer_typing(&self, live: &Live, on: bool) {
        if self.lock_record(live).await.state == ConversationState::WithAgent {
            self.handoff.tell_assignee(
                &live.id,
                AgentEvent::Typing {
                    conversation: live.id,
                    on,
                },
            );
        }
    }

    /// Runs a customer's turn: `turn` returns the entries (the customer's
    /// first) and, if nothing answered, the question to log. The agent
    /// holding the conversation, if any, is told of the customer's message.
    pub(super) async fn customer_turn<F>(
        self: &Arc<Self>,
        live: &Arc<Live>,
        client_id: &str,
        origin: ConnectionId,
        turn: F,
    ) -> Result<TurnOutcome, ConversationError>
    where
        F: Fn(&Self, &mut ConversationRecord) -> Result<TurnOutput, ConversationError>,
    {
        let taken = std::time::Instant::now();
        let mut intent = Some(self.store.write_intent());
        let mut record = self.lock_record(live).await;
        if let Some(repeated) = self.repeated_customer_id(live, client_id).await? {
            return Ok(repeated);
        }
        // Another attempt only after another node wrote first (a conflict).
        let mut attempts = 0;
        let (stored, seq, channel, unanswered, unanswered_in, action, with_agent) = loop {
            attempts += 1;
            let mut next = record.clone();
            next.last_customer_at = Some(Timestamp::now());
            if next.state == ConversationState::Closed {
                // Writing again after the end reopens the conversation with the bot.
                next.state = ConversationState::Bot;
                next.closed_by_agent = None;
            }
            let output = turn(self, &mut next)?;
            if let Some(question) = &output.unanswered {
                self.store.record_unanswered(question)?;
            }
            let unanswered = output.unanswered.as_ref().map(|question| {
                let outcome = if output.out_of_scope {
                    "out_of_scope"
                } else {
                    "no_match"
                };
                (question.locale.clone(), outcome)
            });
            let channel = next.channel_kind();
            let unanswered_in = output.unanswered.is_some().then(|| next.clone());
            // Stored with the turn: an answer lost to a stop is asked for
            // again at start-up (resume_actions).
            let action = output.action.map(|call| PendingAction {
                id: crate::actions::message_id(),
                call,
                since: Timestamp::now(),
            });
            if let Some(pending) = &action {
                next.pending_action = Some(pending.clone());
            }
            let with_agent = next.state == ConversationState::WithAgent;
            let seq = next.last_seq + 1;
            let committed = self
                .commit_with(
                    live,
                    &mut record,
                    next,
                    output.entries,
                    Some(ClientKey::Customer(client_id)),
                    Some(origin),
                    intent.take(),
                )
                .await;
            match committed {
                Err(ConversationError::Store(StoreError::Conflict(reason))) => {
                    // Another node stored this frame a moment ago (the same id
                    // sent to two nodes), or wrote to the conversation: read it
                    // again; a frame stored there gets its ack from here too,
                    // and a new one is answered after what was written.
                    self.reread(live, &mut record)?;
                    if let Some(repeated) = self.repeated_customer_id(live, client_id).await? {
                        return Ok(repeated);
                    }
                    if attempts >= super::CONFLICT_ATTEMPTS {
                        return Err(StoreError::Conflict(reason).into());
                    }
                }
                committed => {
                    break (
                        committed?,
                        seq,
                        channel,
                        unanswered,
                        unanswered_in,
                        action,
                        with_agent,
                    )
                }
            }
        };
        metrics::histogram!(crate::telemetry::ACK_SECONDS, "channel" => channel.as_str())
            .record(taken.elapsed().as_secs_f64());
        if let Some((locale, outcome)) = unanswered {
            metrics::counter!(crate::telemetry::TURNS_UNANSWERED, "locale" => locale, "outcome" => outcome)
                .increment(1);
        }
        if let Some(record) = &unanswered_in {
            self.count_unanswered(record);
        }
        if let Some(pending) = action {
            // The customer has the ack; the answer follows when the backend
            // has spoken (or failed to).
            let (this, live) = (Arc::clone(self), Arc::clone(live));
            tokio::spawn(async move { this.run_action(&live, pending).await });
        }
        if with_agent {
            if let Some(entry) = stored.first() {
                self.handoff.tell_assignee(
                    &live.id,
                    AgentEvent::Message {
                        conversation: live.id,
                        entry: Arc::clone(entry),
                    },
                );
            }
        }
        Ok(TurnOutcome {
            seq,
            entries: stored,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::survey_score;

    #[test]
    fn a_score_typed_as_a_message_is_read_and_anything_more_is_not() {
        for (text, score) in [
            ("5", 5),
            (" 4. ", 4),
            ("1!", 1),
            ("4/5", 4),
            ("3 / 5", 3),
            ("⭐⭐⭐⭐", 4),
            ("★★", 2),
            ("⭐️⭐️⭐️", 3),
            ("4 ⭐", 4),
            ("5⭐", 5),
            ("3 stars", 3),
            ("1 star", 1),
            ("5 yıldız", 5),
            ("4 Sterne", 4),
            ("5 étoiles", 5),
            ("5 estrellas", 5),
            ("5 звёзд", 5),
            ("5 zvezd", 5),
            ("5 asteria", 5),
            ("5 bintang", 5),
            ("4 zvaigznes", 4),
            ("4 out of 5", 4),
            ("4 von 5", 4),
            ("4 sur 5", 4),
            ("4 de 5", 4),
            ("4 из 5", 4),
            ("4 apo 5", 4),
            ("4 no 5", 4),
            // In words, as the survey's "from 1 to 5" is answered too.
            ("five", 5),
            ("Five stars", 5),
            ("beş", 5),
            ("dört yıldız", 4),
            ("πέντε", 5),
            ("pente asteria", 5),
            ("lima bintang", 5),
            ("pieci", 5),
            ("fünf Sterne", 5),
            ("cinq", 5),
            ("cuatro estrellas", 4),
            ("пять", 5),
            ("pyat", 5),
            ("three out of 5", 3),
        ] {
            assert_eq!(survey_score(text), Some(score), "{text:?}");
        }
        for text in [
            "0",
            "6",
            "10",
            "05",
            "4/10",
            "order 5",
            "1004528",
            "",
            "⭐⭐⭐⭐⭐⭐",
            "5/",
            "3 weeks",
            "2 stars please cancel my order",
            "4 out of 10",
            "6 stars",
            "5 euro",
            "one more question",
            "two weeks",
            "dos pedidos",
            "hello",
        ] {
            assert_eq!(survey_score(text), None, "{text:?}");
        }
    }
}
