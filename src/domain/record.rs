//! A conversation's state, kept beside its transcript, and what the bot
//! logs for content owners.

use serde::{Deserialize, Serialize};

use super::agent::Assignee;
use super::ids::ConversationId;
use super::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationState {
    Bot,
    Queued,
    WithAgent,
    Closed,
}

/// What the customer's widget told us about them in `hello`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// An intent the bot recognised, as recorded on the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentSeen {
    pub intent: String,
    pub confidence: f64,
}

/// The bot asked for a slot (an order number) to finish answering `intent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSlot {
    pub intent: String,
    pub slot: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocaleSwitch {
    pub from: String,
    pub to: String,
    /// The conversation's last seq before the message written in `to`.
    pub after_seq: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub seq: u64,
    pub helpful: bool,
    pub ts: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub score: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub ts: Timestamp,
}

/// How many feedback answers and language switches a record keeps: it is
/// rewritten on every turn, so nothing in it may grow with the conversation.
pub const RECORD_HISTORY: usize = 20;

/// One conversation's state; the transcript itself is stored entry by entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationRecord {
    pub id: ConversationId,
    pub locale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    pub state: ConversationState,
    pub created_at: Timestamp,
    /// When the last entry was written (RFC 3339), for retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// The seq of the newest transcript entry; 0 before the first.
    pub last_seq: u64,
    /// Each intent recognised in the conversation once, in order of first
    /// appearance, with its latest confidence. Bounded by the catalogue, so the
    /// record (rewritten every turn) stays small however long the chat.
    #[serde(default)]
    pub intents: Vec<IntentSeen>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_slot: Option<PendingSlot>,
    /// Entities the customer gave, by name (e.g. `order_number`).
    #[serde(default)]
    pub entities: std::collections::BTreeMap<String, String>,
    /// Consecutive customer turns the bot did not understand.
    #[serde(default)]
    pub consecutive_misses: u32,
    /// Quick-reply values offered so far (newest last, bounded), so that a
    /// `choice` can be checked against them.
    #[serde(default)]
    pub offered_choices: Vec<String>,
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
    /// Each time the customer changed language, the bot following.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locale_switches: Vec<LocaleSwitch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

impl ConversationRecord {
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
            locale_switches: Vec::new(),
            rating: None,
        }
    }

    /// Records a "did this help?" answer; the newest [`RECORD_HISTORY`] are kept.
    pub fn note_feedback(&mut self, feedback: Feedback) {
        self.feedback.push(feedback);
        let excess = self.feedback.len().saturating_sub(RECORD_HISTORY);
        self.feedback.drain(..excess);
    }

    /// Records that the customer changed language; the newest
    /// [`RECORD_HISTORY`] are kept.
    pub fn note_locale_switch(&mut self, switch: LocaleSwitch) {
        self.locale_switches.push(switch);
        let excess = self.locale_switches.len().saturating_sub(RECORD_HISTORY);
        self.locale_switches.drain(..excess);
    }

    /// Records that `intent` was recognised with `confidence`.
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
    pub locale: String,
    pub text: String,
    pub conversation: ConversationId,
    pub ts: Timestamp,
}
