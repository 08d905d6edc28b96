//! Transcript entries: what was said and what happened in a conversation,
//! numbered by `seq` without gaps.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
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
        from: Sender,
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
        by: Sender,
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
    pub fn text(from: Sender, text: String, locale: &str) -> Self {
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
    pub ts: Timestamp,
}
