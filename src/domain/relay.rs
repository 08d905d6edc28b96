//! What the nodes of one deployment tell each other beside the store (on
//! Redis pub/sub): short-lived events that are not transcript entries, and
//! which agents each node has online. Losing one of these loses no data: a
//! typing indicator goes stale, a notice an agent would have seen live is in
//! the transcript or the queue the next time it is read, and presence is sent
//! again every few seconds.

use serde::{Deserialize, Serialize};

use super::ids::ConversationId;
use super::transcript::Sender;

/// One node's message to the others: who sent it (a node ignores its own)
/// and what happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relay {
    /// The sending node's id ([`NodePresence::node`]).
    pub node: String,
    /// What happened.
    pub event: RelayEvent,
}

/// An event relayed between nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RelayEvent {
    /// The agent holding `conversation` started or stopped typing: the node
    /// with the customer's connections tells them.
    AgentTyping {
        /// The conversation.
        conversation: ConversationId,
        /// True while typing.
        on: bool,
    },
    /// Something for agent `agent`, who is connected to another node.
    ToAgent {
        /// The agent's id.
        agent: String,
        /// What to tell them.
        notice: AgentNotice,
    },
    /// A customer connection of a waiting conversation opened on the sending
    /// node: the others stop counting the customer as away (only that node
    /// tells them their place, and notices when they leave).
    CustomerHere {
        /// The conversation.
        conversation: ConversationId,
    },
    /// The conversation was erased: every node closes its connections to it.
    Erased {
        /// The conversation.
        conversation: ConversationId,
    },
}

/// An agent frame produced on one node for an agent connected to another
/// (PROTOCOL.md, "Server to agent"). Customer messages are not relayed: every
/// node reads them from the transcript when the doorbell rings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentNotice {
    /// `typing`: the customer is typing.
    Typing {
        /// The conversation.
        conversation: ConversationId,
        /// True while typing.
        on: bool,
    },
    /// `closed`: the conversation ended.
    Closed {
        /// The conversation.
        conversation: ConversationId,
        /// Who ended it.
        by: Sender,
    },
    /// `rating`: the customer rated a conversation this agent closed.
    Rating {
        /// The conversation.
        conversation: ConversationId,
        /// 1 to 5.
        score: u8,
        /// The customer's words, if any.
        comment: Option<String>,
    },
    /// `dead_letter`: the channel gave up delivering an entry.
    DeadLetter {
        /// The conversation.
        conversation: ConversationId,
        /// The undelivered entry's seq.
        seq: u64,
        /// Why, as the channel said it.
        reason: String,
    },
}

/// Which agents one node has online, until when (a node that stops
/// renewing this is gone: its agents count as disconnected).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodePresence {
    /// The node's id: random, new at every start.
    pub node: String,
    /// Milliseconds since the epoch after which this is stale.
    pub until_ms: i64,
    /// The agents connected to it.
    pub agents: Vec<PresentAgent>,
}

/// An agent connected to some node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentAgent {
    /// The agent's id.
    pub id: String,
    /// Whether they take new conversations (`status`).
    pub available: bool,
}
