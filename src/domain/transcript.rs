//! Transcript entries: what was said and what happened in a conversation,
//! numbered by `seq` without gaps.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// Who wrote an entry or ended a conversation (PROTOCOL.md `from`, `by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    /// `customer`: the person chatting.
    Customer,
    /// `bot`: the conversation engine's answers.
    Bot,
    /// `agent`: the person who holds the conversation.
    Agent,
    /// `system`: notices about the conversation itself (queue places, an
    /// agent joining, closing, thanks), in the customer's language.
    System,
}

impl Sender {
    /// Every sender.
    pub const ALL: [Sender; 4] = [Sender::Customer, Sender::Bot, Sender::Agent, Sender::System];

    /// The sender as it travels (`customer`, `bot`, `agent`, `system`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sender::Customer => "customer",
            Sender::Bot => "bot",
            Sender::Agent => "agent",
            Sender::System => "system",
        }
    }
}

/// A quick-reply button under a bot message (PROTOCOL.md `{label, value}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    /// The button's text, in the message's language.
    pub label: String,
    /// What a `choice` frame sends back when it is pressed: `intent:<name>`,
    /// `article:<id>`, `feedback:yes` or `feedback:no`.
    pub value: String,
    /// A label of at most 20 characters for narrow buttons (WhatsApp's
    /// reply buttons), where the content has one (`.short` in Fluent);
    /// `None`: `label` is short enough, or there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
}

/// A help-centre article shown with a bot message (PROTOCOL.md `{id, title, url}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRef {
    /// The article id, shared across languages (the file stem in `knowledge/<lang>/`).
    pub id: String,
    /// The article's title in the message's language.
    pub title: String,
    /// Where the widget links to: the front matter's `url`, else `/help/<id>`.
    pub url: String,
}

/// An agent as customers see them (PROTOCOL.md `agent: {name}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRef {
    /// The agent's display name.
    pub name: String,
}

/// What a `handoff` entry says happened (PROTOCOL.md `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffStatus {
    /// `queued`: waiting for a person, with `position` and `estimated_wait_s`.
    Queued,
    /// `assigned`: an agent took it, with `agent`.
    Assigned,
    /// `returned_to_bot`: the bot answers again (the agent handed it back,
    /// or the customer was away too long and left the queue).
    ReturnedToBot,
    /// `offline`: outside support hours, with `opens_at`; it waits in the
    /// queue for the first agent of the day.
    Offline,
}

/// A persisted transcript entry: the wire frame of the same name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntryBody {
    /// A `message`: something said in the conversation.
    Message {
        /// Who said it.
        from: Sender,
        /// The text as shown (customer and agent text as typed, trimmed).
        text: String,
        /// The language `text` is written in (a supported locale, e.g. `tr`).
        locale: String,
        /// The client's id of a customer `message` or `choice`, so a client can
        /// tell on replay which of its sends arrived.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The intent a bot message answers; `None` for every other message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intent: Option<String>,
        /// The calibrated confidence (0.0 to 1.0) of `intent`; set with it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confidence: Option<f64>,
        /// Buttons offered under a bot message, in order; empty for none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<QuickReply>,
        /// Articles shown with a bot message; empty for none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        articles: Vec<ArticleRef>,
        /// The agent who wrote it, on agent messages only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<AgentRef>,
    },
    /// A `handoff`: who holds the conversation changed. A system `message`
    /// saying the same in the customer's language always follows it.
    Handoff {
        /// What happened.
        status: HandoffStatus,
        /// With `queued`: the place among everything waiting, 1 = next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<u32>,
        /// With `queued`: the estimated wait in seconds (see
        /// `handoff::estimate`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimated_wait_s: Option<u64>,
        /// With `assigned`: the agent who took it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<AgentRef>,
        /// With `offline`: when support opens, RFC 3339 in UTC.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        opens_at: Option<String>,
    },
    /// A `closed`: the conversation ended.
    Closed {
        /// Who ended it: `customer` or `agent` (PROTOCOL.md also allows `system`).
        by: Sender,
        /// True when the client may send a `rating`.
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
    /// The entry's number in its conversation: 1, 2, 3, ... without gaps.
    pub seq: u64,
    /// What the entry says.
    #[serde(flatten)]
    pub body: EntryBody,
    /// When it was stamped (every entry of one turn shares the moment).
    pub ts: Timestamp,
}

#[cfg(test)]
mod tests {
    /// A bot entry's confidence is an f32 widened to f64: the stored JSON
    /// must read back to the same bits, or a replay differs from the live
    /// frame in its last digit (serde_json's `float_roundtrip`).
    #[test]
    fn a_confidence_reads_back_as_it_was_written() {
        let mut wrong = Vec::new();
        for i in 1..20_000u32 {
            let confidence = f64::from(i as f32 / 20_000.0 + 0.000_013_7 * (i % 7) as f32);
            let json = serde_json::to_string(&confidence).expect("a finite float");
            let back: f64 = serde_json::from_str(&json).expect("the float just written");
            if back.to_bits() != confidence.to_bits() {
                wrong.push(json);
            }
        }
        assert!(
            wrong.is_empty(),
            "{} read back changed: {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
    }
}
