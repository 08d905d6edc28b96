//! A conversation's state, kept beside its transcript, and what the bot
//! logs for content owners.

use serde::{Deserialize, Serialize};

use super::agent::Assignee;
use super::channel::{ChannelKind, ChannelUser, DeadLetter};
use super::ids::ConversationId;
use super::time::Timestamp;

/// Who a conversation is with (DESIGN.md §2: bot, queued, with_agent, closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationState {
    /// The bot answers; where every conversation starts.
    Bot,
    /// Waiting in the handoff queue for a person; the bot is silent.
    Queued,
    /// An agent holds it ([`ConversationRecord::assignee`]); the bot is silent.
    WithAgent,
    /// Ended by the customer or an agent; a new customer message reopens it
    /// with the bot.
    Closed,
}

/// What the customer's widget told us about them in `hello`.
///
/// Bounded at the edge (docs/protocol.md): `id`, `name` and `email` at most
/// 256 characters each, `attributes` at most 20 entries with keys of 1 to 64
/// characters and 4096 bytes of JSON in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// The shop's own customer id, if the widget knows it: the key by which
    /// a customer's conversations are found and erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The customer's name, as the widget gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An email address from the widget, or the one the customer typed when
    /// support was offline (lowercased then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Free-form key-value details from the widget, shown to agents; empty
    /// if none.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// An intent the bot recognised, as recorded on the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentSeen {
    /// The intent's name (its file stem in `intents/`, e.g. `order_status`).
    pub intent: String,
    /// Its calibrated confidence, 0.0 to 1.0; 1.0 for an exact phrase or a
    /// pressed quick reply.
    pub confidence: f64,
}

/// The bot asked for a slot (an order number) to finish answering `intent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSlot {
    /// The intent waiting for the slot (e.g. `order_status`).
    pub intent: String,
    /// The slot's name (`order_number`, the entity that fills it).
    pub slot: String,
    /// How many times the bot has asked for it (1 after the first question;
    /// 0 in records written before this field existed, read as 1).
    #[serde(default)]
    pub asked: u32,
}

/// The bot asked the customer to confirm a business action that changes
/// something (cancelling an order) before it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingConfirmation {
    /// The intent whose action waits (e.g. `order_cancel`).
    pub intent: String,
    /// Its filled slots, by name (`order_number` -> `1004528`).
    pub slots: std::collections::BTreeMap<String, String>,
    /// How many unclear answers it has been asked again after (0 when
    /// first asked); a second unclear answer lets it go.
    #[serde(default)]
    pub asked_again: u32,
}

/// A "did this answer help?" answer (PROTOCOL.md `feedback`, or the yes/no
/// quick reply under a knowledge answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// The seq of the bot `message` it is about.
    pub seq: u64,
    /// True for "yes, it helped".
    pub helpful: bool,
    /// When the answer arrived.
    pub ts: Timestamp,
}

/// The satisfaction survey's answer (PROTOCOL.md `rating`), given after
/// `closed`; a later rating replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// 1 (worst) to 5 (best).
    pub score: u8,
    /// The customer's words, trimmed, at most 4000 characters; `None` if
    /// absent or blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When the rating arrived.
    pub ts: Timestamp,
}

/// How many feedback answers and dead letters a record keeps: it is
/// rewritten whenever a turn changes it, so nothing in it may grow with the
/// conversation.
pub const RECORD_HISTORY: usize = 20;

/// One conversation's state; the transcript itself is stored entry by entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationRecord {
    /// The conversation's id.
    pub id: ConversationId,
    /// The supported locale the bot answers in now (e.g. `tr`): negotiated
    /// from `hello.locale`, then following the customer's language switches.
    pub locale: String,
    /// What the widget said about the customer in `hello`; `None` if nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// Who the conversation is with now.
    pub state: ConversationState,
    /// When `hello` started it.
    pub created_at: Timestamp,
    /// When the newest entry was stamped, for retention; `None` before the
    /// first (and in records written before this field existed): retention
    /// then goes by `created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// The seq of the newest transcript entry; 0 before the first.
    pub last_seq: u64,
    /// Each intent recognised in the conversation once, in order of first
    /// appearance, with its latest confidence. Bounded by the catalogue, so the
    /// record stays small however long the chat.
    #[serde(default)]
    pub intents: Vec<IntentSeen>,
    /// The slot the bot asked for and waits for; `None` if it waits for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_slot: Option<PendingSlot>,
    /// The bot's last message offered a person (a "Talk to a person"
    /// button) for this reason: a typed "yes" takes the offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_offered: Option<super::handoff::HandoffReason>,
    /// The flow (intent) the last order number was asked for or used in, so
    /// that a number sent on its own later (a corrected one) goes there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_flow: Option<String>,
    /// The action the bot asked the customer to confirm; `None` if none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_confirmation: Option<PendingConfirmation>,
    /// The confirmation question the last turn let lapse (another topic came
    /// first): a plain "yes" on the next turn asks it again rather than
    /// getting "Great!" for nothing; any other turn forgets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lapsed_confirmation: Option<PendingConfirmation>,
    /// Entities the customer gave, by name (`order_number`, `email`, `phone`,
    /// `amount`), the latest value of each.
    #[serde(default)]
    pub entities: std::collections::BTreeMap<String, String>,
    /// Consecutive customer turns the bot did not understand.
    #[serde(default)]
    pub consecutive_misses: u32,
    /// Quick-reply values offered so far (newest last, the newest 50 kept),
    /// so that a `choice` can be checked against them.
    #[serde(default)]
    pub offered_choices: Vec<String>,
    /// "Did this help?" answers, oldest first; the newest [`RECORD_HISTORY`] kept.
    #[serde(default)]
    pub feedback: Vec<Feedback>,
    /// The seq of a knowledge answer waiting for "did this help?".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting_feedback: Option<u64>,
    /// "No, that did not help" answers in a row.
    #[serde(default)]
    pub consecutive_unhelpful: u32,
    /// Ids of the articles the bot has shown, in order.
    #[serde(default)]
    pub articles_shown: Vec<String>,
    /// Waiting for the customer's email address (support is offline).
    #[serde(default)]
    pub awaiting_email: bool,
    /// The agent who closed the conversation (their id), who receives the rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by_agent: Option<String>,
    /// The agent the conversation is with (state `with_agent`): this record is
    /// the truth of who holds it; the handoff queue follows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Assignee>,
    /// The latest satisfaction rating; `None` until one is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// The customer's IANA time zone (`Asia/Kuala_Lumpur`) from `hello`,
    /// checked; times are shown in it. `None`: the team's zone, named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The messaging-channel customer the conversation belongs to; `None`
    /// for the web widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelUser>,
    /// When the customer last wrote (WhatsApp's 24-hour window runs from it);
    /// `None` before their first message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_customer_at: Option<Timestamp>,
    /// Entries the channel gave up delivering, oldest first; the newest
    /// [`RECORD_HISTORY`] kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dead_letters: Vec<DeadLetter>,
    /// A business action called and not yet answered: stored with the
    /// customer's turn, so that an answer lost to a stop is asked for again
    /// at start-up; cleared with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_action: Option<PendingAction>,
    /// The conversation has been handed to a person at least once: it can
    /// no longer be contained (insights).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub handed_off: bool,
    /// The conversation was counted as contained (insights count it once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contained: bool,
    /// Since when the assignee holds it (its handling time runs from here);
    /// `None` while nobody does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_at: Option<Timestamp>,
    /// The latest handoff's reason; kept after the conversation left the
    /// queue or its agent, so that its context still says why it went to a
    /// person. `None`: it never did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handoff_reason: Option<super::handoff::HandoffReason>,
}

/// A business action the bot needs before it can answer: the conversation
/// layer calls it and hands the outcome to the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionCall {
    /// The action's name (`order_lookup`), a key of `[actions]`.
    pub action: String,
    /// The intent whose flow it finishes (`order_status`).
    pub intent: String,
    /// The intent's confidence, carried to the answer.
    pub confidence: f64,
    /// The filled slots, by name (`order_number` -> `1004527`).
    pub slots: std::collections::BTreeMap<String, String>,
}

/// A business action under way ([`ConversationRecord::pending_action`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingAction {
    /// The request's `webhook-id` (Standard Webhooks), the same on every
    /// try so that the backend can tell a repeat: `msg_` and 32 hex digits.
    pub id: String,
    /// What is called.
    pub call: ActionCall,
    /// When the customer's turn asked for it.
    pub since: Timestamp,
}

/// What nearly every turn moves on a [`ConversationRecord`]: where its
/// transcript ends and when it was last written to. A store may keep these
/// apart (the embedded store does: 40 bytes a turn) and rewrite the rest of
/// the record only when a turn changed it ([`ConversationRecord::changed_since`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnMarks {
    /// [`ConversationRecord::last_seq`].
    pub last_seq: u64,
    /// [`ConversationRecord::updated_at`].
    pub updated_at: Option<Timestamp>,
    /// [`ConversationRecord::last_customer_at`].
    pub last_customer_at: Option<Timestamp>,
}

impl ConversationRecord {
    /// Its [`TurnMarks`].
    pub fn marks(&self) -> TurnMarks {
        TurnMarks {
            last_seq: self.last_seq,
            updated_at: self.updated_at,
            last_customer_at: self.last_customer_at,
        }
    }

    /// Sets its [`TurnMarks`].
    pub fn set_marks(&mut self, marks: TurnMarks) {
        self.last_seq = marks.last_seq;
        self.updated_at = marks.updated_at;
        self.last_customer_at = marks.last_customer_at;
    }

    /// Whether it differs from `before` in more than its [`TurnMarks`]
    /// (every other field compared; `self` is left as it was).
    pub fn changed_since(&mut self, before: &Self) -> bool {
        let own = self.marks();
        self.set_marks(before.marks());
        let changed = self != before;
        self.set_marks(own);
        changed
    }

    /// A new conversation with the bot, before its first entry.
    pub fn new(
        id: ConversationId,
        locale: &str,
        customer: Option<Customer>,
        created_at: Timestamp,
    ) -> Self {
        Self {
            id,
            locale: locale.to_owned(),
            customer,
            state: ConversationState::Bot,
            created_at,
            updated_at: None,
            last_seq: 0,
            intents: Vec::new(),
            pending_slot: None,
            pending_confirmation: None,
            lapsed_confirmation: None,
            person_offered: None,
            last_flow: None,
            entities: Default::default(),
            consecutive_misses: 0,
            offered_choices: Vec::new(),
            feedback: Vec::new(),
            awaiting_feedback: None,
            consecutive_unhelpful: 0,
            articles_shown: Vec::new(),
            awaiting_email: false,
            closed_by_agent: None,
            assignee: None,
            rating: None,
            timezone: None,
            channel: None,
            last_customer_at: None,
            dead_letters: Vec::new(),
            pending_action: None,
            handed_off: false,
            contained: false,
            assigned_at: None,
            last_handoff_reason: None,
        }
    }

    /// Records a "did this help?" answer, replacing an earlier one about the
    /// same message (the customer changed their mind); the newest
    /// [`RECORD_HISTORY`] are kept.
    pub fn note_feedback(&mut self, feedback: Feedback) {
        self.feedback.retain(|given| given.seq != feedback.seq);
        self.feedback.push(feedback);
        let excess = self.feedback.len().saturating_sub(RECORD_HISTORY);
        self.feedback.drain(..excess);
    }

    /// Records an entry the channel gave up delivering; the newest
    /// [`RECORD_HISTORY`] are kept.
    pub fn note_dead_letter(&mut self, dead: DeadLetter) {
        self.dead_letters.push(dead);
        let excess = self.dead_letters.len().saturating_sub(RECORD_HISTORY);
        self.dead_letters.drain(..excess);
    }

    /// The kind of channel the customer writes from.
    pub fn channel_kind(&self) -> ChannelKind {
        self.channel.as_ref().map_or(ChannelKind::Web, |c| c.kind)
    }

    /// Records that `intent` was recognised with `confidence`: a new intent
    /// is appended, a known one keeps its place and takes the new confidence.
    pub fn note_intent(&mut self, intent: &str, confidence: f64) {
        match self.intents.iter_mut().find(|seen| seen.intent == intent) {
            Some(seen) => seen.confidence = confidence,
            None => self.intents.push(IntentSeen {
                intent: intent.to_owned(),
                confidence,
            }),
        }
    }
}

/// A question neither an intent nor an article answered, for content owners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unanswered {
    /// The conversation's locale when it was asked (e.g. `lv`).
    pub locale: String,
    /// The customer's message text, trimmed, as typed.
    pub text: String,
    /// The conversation it was asked in.
    pub conversation: ConversationId,
    /// When it was asked.
    pub ts: Timestamp,
    /// The channel it was asked on (`web` for questions logged before
    /// channels were recorded).
    #[serde(default)]
    pub channel: super::channel::ChannelKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_change_beyond_the_marks_counts_as_one() {
        let before =
            ConversationRecord::new(ConversationId::random(), "en", None, Timestamp::now());
        let mut after = before.clone();
        after.last_seq = 7;
        after.updated_at = Some(Timestamp::now());
        after.last_customer_at = after.updated_at;
        assert!(!after.changed_since(&before));
        assert_eq!(after.last_seq, 7, "left as it was");
        after.note_intent("order_status", 0.9);
        assert!(after.changed_since(&before));
    }
}
