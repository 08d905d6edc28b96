//! Handing a conversation to a person: why, how urgently, and its place in
//! the queue.

use serde::{Deserialize, Serialize};

use super::ids::ConversationId;
use super::record::Customer;
use super::time::Timestamp;

/// Why a conversation went to a person (PROTOCOL.md `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffReason {
    /// `customer_request`: the customer asked for a person (`human_agent`).
    CustomerRequest,
    /// `no_match`: the bot failed to understand repeatedly (two misses in a
    /// row, or "did not help" twice; DESIGN.md §5).
    NoMatch,
    /// `complaint`: an angry or complaint message.
    Complaint,
    /// `policy`: an intent configured to always go to a person (account
    /// deletion).
    Policy,
    /// `action_failed`: a business action the bot needed did not answer
    /// (timeout, error, a bad answer), and the customer took the offer of a
    /// person.
    ActionFailed,
}

impl HandoffReason {
    /// Every reason, in PROTOCOL.md's order.
    pub const ALL: [HandoffReason; 5] = [
        HandoffReason::CustomerRequest,
        HandoffReason::NoMatch,
        HandoffReason::Complaint,
        HandoffReason::Policy,
        HandoffReason::ActionFailed,
    ];

    /// The reason as it travels (`customer_request`, `no_match`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            HandoffReason::CustomerRequest => "customer_request",
            HandoffReason::NoMatch => "no_match",
            HandoffReason::Complaint => "complaint",
            HandoffReason::Policy => "policy",
            HandoffReason::ActionFailed => "action_failed",
        }
    }

    /// The reason in a few English words, the first part of the agent's
    /// one-line summary (agents are staff: their texts are English).
    pub fn describe(self) -> &'static str {
        match self {
            HandoffReason::CustomerRequest => "asked for a person",
            HandoffReason::NoMatch => "the bot could not help",
            HandoffReason::Complaint => "complaint",
            HandoffReason::Policy => "handled by a person by policy",
            HandoffReason::ActionFailed => "the shop's system did not answer",
        }
    }
}

/// Queue priority: complaints, refunds and damaged items come first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// `normal`: served after every `high` item; the default.
    #[default]
    Normal,
    /// `high`: served first (complaints, refunds, damaged items; DESIGN.md §6).
    High,
}

impl Priority {
    /// Both classes.
    pub const ALL: [Priority; 2] = [Priority::Normal, Priority::High];

    /// The class as it travels (`normal`, `high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::High => "high",
        }
    }
}

/// A conversation waiting for, or held by, a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    /// The conversation waiting or held.
    pub conversation: ConversationId,
    /// The conversation's locale when it entered the queue (e.g. `tr`): it is
    /// offered to agents who speak it.
    pub locale: String,
    /// Why it went to a person (PROTOCOL.md `reason`).
    pub reason: HandoffReason,
    /// Its priority class; within a class, the earliest `waiting_since` is
    /// served first.
    pub priority: Priority,
    /// When it first entered the queue; a released conversation keeps it, so
    /// it returns to its original place.
    pub waiting_since: Timestamp,
    /// The one-line summary for the agent: reason · up to three intents seen
    /// · entities · the customer's last words (at most 80 characters).
    pub summary: String,
    /// What the widget said about the customer in `hello`, plus an email
    /// the customer wrote while waiting or served; `None` if nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The id ([`AgentProfile::id`](super::AgentProfile::id)) of the
    /// assignee, if claimed; `None` while it waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Since when that agent holds it (its handling time starts here);
    /// `None` while it waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<Timestamp>,
    /// The channel the customer writes from (`web` for items stored before
    /// channels existed).
    #[serde(default)]
    pub channel: super::channel::ChannelKind,
}

/// How long an agent held a conversation of one locale, measured when they
/// let go of it: the data wait estimates are planned from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandlingSample {
    /// The conversation's queue locale (e.g. `tr`).
    pub locale: String,
    /// Whole seconds from the claim to the release, return to the bot or close.
    pub seconds: u64,
    /// When it ended.
    pub at: Timestamp,
}
