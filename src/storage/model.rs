//! What the store keeps: conversations and their transcript entries.
//!
//! Transcript entries serialise exactly as the customer channel's `message`,
//! `handoff` and `closed` frames, so replay, the agent context and the store share
//! one shape.

use std::fmt;
use std::str::FromStr;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A random 128-bit conversation id, written as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConversationId([u8; 16]);

impl ConversationId {
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }
}

impl fmt::Display for ConversationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for ConversationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConversationId({self})")
    }
}

impl FromStr for ConversationId {
    type Err = hex::FromHexError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(s, &mut bytes)?;
        Ok(Self(bytes))
    }
}

impl Serialize for ConversationId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ConversationId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A session token as handed to the client: 128 random bits in hex. Only its
/// SHA-256 is ever stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// Wraps a token a client presented; nothing is checked until it is looked up.
    pub fn presented(token: &str) -> Self {
        Self(token.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

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
    pub ts: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub score: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub ts: String,
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
    pub created_at: String,
    /// When the last entry was written (RFC 3339), for retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
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
    /// The agent who closed the conversation, who receives the rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by_agent: Option<String>,
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
        created_at: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Customer,
    Bot,
    Agent,
    System,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRef {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRef {
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffStatus {
    Queued,
    Assigned,
    ReturnedToBot,
    Offline,
}

/// A persisted transcript entry: the wire frame of the same name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntryBody {
    Message {
        from: Party,
        text: String,
        locale: String,
        /// The client's id of a customer `message` or `choice`, so a client can
        /// tell on replay which of its sends arrived.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intent: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confidence: Option<f64>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<QuickReply>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        articles: Vec<ArticleRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<AgentRef>,
    },
    Handoff {
        status: HandoffStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimated_wait_s: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<AgentRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        opens_at: Option<String>,
    },
    Closed {
        by: Party,
        survey: bool,
    },
}

impl EntryBody {
    /// A `handoff` entry of `status` with no optional field set.
    pub fn handoff(status: HandoffStatus) -> Self {
        EntryBody::Handoff {
            status,
            position: None,
            estimated_wait_s: None,
            agent: None,
            opens_at: None,
        }
    }

    /// A plain text message with no intent, quick replies or articles.
    pub fn text(from: Party, text: String, locale: &str) -> Self {
        EntryBody::Message {
            from,
            text,
            locale: locale.to_owned(),
            id: None,
            intent: None,
            confidence: None,
            quick_replies: Vec::new(),
            articles: Vec::new(),
            agent: None,
        }
    }
}

/// A transcript entry with its place in the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptEntry {
    pub seq: u64,
    #[serde(flatten)]
    pub body: EntryBody,
    pub ts: String,
}

/// Whose frame id an entry answers: customers and agents choose ids
/// independently, so each has its own namespace (a customer id that looks
/// like an agent's can never swallow the agent's message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKey<'a> {
    Customer(&'a str),
    Agent { agent: &'a str, id: &'a str },
}

impl ClientKey<'_> {
    /// The key's bytes: a tag byte, then the id (after the agent's name and a
    /// NUL for agents).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            ClientKey::Customer(id) => [&[b'c', 0][..], id.as_bytes()].concat(),
            ClientKey::Agent { agent, id } => {
                [&[b'a', 0][..], agent.as_bytes(), &[0], id.as_bytes()].concat()
            }
        }
    }
}

/// A question neither an intent nor an article answered, for content owners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unanswered {
    pub locale: String,
    pub text: String,
    pub conversation: ConversationId,
    pub ts: String,
}

/// Why a conversation went to a person (PROTOCOL.md `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffReason {
    CustomerRequest,
    NoMatch,
    Complaint,
    Policy,
}

impl HandoffReason {
    pub fn describe(self) -> &'static str {
        match self {
            HandoffReason::CustomerRequest => "asked for a person",
            HandoffReason::NoMatch => "the bot could not help",
            HandoffReason::Complaint => "complaint",
            HandoffReason::Policy => "handled by a person by policy",
        }
    }
}

/// Queue priority: complaints, refunds and damaged items come first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    High,
}

/// A conversation waiting for, or held by, a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffRecord {
    pub conversation: ConversationId,
    pub locale: String,
    pub reason: HandoffReason,
    pub priority: Priority,
    /// When it first entered the queue (RFC 3339); a released conversation
    /// keeps it, so it returns to its original place.
    pub waiting_since: String,
    /// The same moment in milliseconds since the epoch, for ordering.
    pub enqueued_ms: i64,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The agent holding it, if claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_ms: Option<i64>,
}
