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
pub struct QueueEntry {
    pub conversation: ConversationId,
    pub locale: String,
    pub reason: HandoffReason,
    pub priority: Priority,
    /// When it first entered the queue; a released conversation keeps it, so
    /// it returns to its original place.
    pub waiting_since: Timestamp,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The agent holding it, if claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Since when that agent holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<Timestamp>,
}
