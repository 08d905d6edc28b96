//! The frames on the wire (PROTOCOL.md): the customer channel's, decoded
//! once at the edge into [`ClientFrame`], and transcript entries as they
//! travel ([`EntryFrame`], from the domain's [`TranscriptEntry`]: the wire's
//! shape is the protocol's, whatever the store keeps).

use serde::{Deserialize, Serialize};

use crate::domain::{
    AgentRef, ArticleRef, Customer, EntryBody, ErrorCode, MessageText, QuickReply, Sender,
    TextError, Timestamp, TranscriptEntry,
};

/// A frame from a customer client.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientFrame {
    Hello {
        locale: Option<String>,
        resume: Option<String>,
        last_seq: Option<u64>,
        customer: Option<Customer>,
    },
    Message {
        id: String,
        text: MessageText,
    },
    Choice {
        id: String,
        value: String,
    },
    Typing {
        on: bool,
    },
    Feedback {
        seq: u64,
        helpful: bool,
    },
    Rating {
        score: u8,
        comment: Option<String>,
    },
    End,
    Ping,
}

/// Why a text frame is not a [`ClientFrame`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("not a JSON object with a string `type`")]
    NotAFrame,
    #[error("unknown frame type `{0}`")]
    UnknownType(String),
    #[error("invalid `{kind}` frame: {reason}")]
    Invalid {
        kind: &'static str,
        reason: String,
        /// The frame's `id`, when it had a readable one.
        id: Option<String>,
    },
    #[error("message text: {error}")]
    Text { id: String, error: TextError },
}

/// Limits applied while decoding.
#[derive(Debug, Clone, Copy)]
pub struct FrameLimits {
    pub max_text_chars: usize,
}

pub const MAX_ID_CHARS: usize = 64;
pub const MAX_COMMENT_CHARS: usize = 4000;
/// Bounds on `hello.customer` (docs/protocol.md): it travels with every queue
/// view an agent is sent, so it must stay small.
pub const MAX_CUSTOMER_FIELD_CHARS: usize = 256;
pub const MAX_CUSTOMER_ATTRIBUTES: usize = 20;
pub const MAX_ATTRIBUTE_KEY_CHARS: usize = 64;
pub const MAX_ATTRIBUTES_BYTES: usize = 4096;

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum RawFrame {
    Hello {
        #[serde(default)]
        locale: Option<String>,
        #[serde(default)]
        resume: Option<String>,
        #[serde(default)]
        last_seq: Option<u64>,
        #[serde(default)]
        customer: Option<Customer>,
    },
    Message {
        id: String,
        text: String,
    },
    Choice {
        id: String,
        value: String,
    },
    Typing {
        on: bool,
    },
    Feedback {
        seq: u64,
        helpful: bool,
    },
    Rating {
        score: u8,
        #[serde(default)]
        comment: Option<String>,
    },
    End {},
    Ping {},
}

const KNOWN_TYPES: &[&str] = &[
    "hello", "message", "choice", "typing", "feedback", "rating", "end", "ping",
];

pub fn decode(text: &str, limits: FrameLimits) -> Result<ClientFrame, DecodeError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|_| DecodeError::NotAFrame)?;
    let kind = value
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or(DecodeError::NotAFrame)?;
    let Some(&kind) = KNOWN_TYPES.iter().find(|k| **k == kind) else {
        return Err(DecodeError::UnknownType(kind.chars().take(64).collect()));
    };
    let id = value
        .get("id")
        .and_then(|v| v.as_str())
        .filter(|id| valid_id(id))
        .map(str::to_owned);
    let raw: RawFrame = serde_json::from_value(value).map_err(|e| DecodeError::Invalid {
        kind,
        reason: e.to_string(),
        id: id.clone(),
    })?;
    let invalid = |reason: &str| DecodeError::Invalid {
        kind,
        reason: reason.to_owned(),
        id: id.clone(),
    };
    Ok(match raw {
        RawFrame::Hello {
            locale,
            resume,
            last_seq,
            customer,
        } => {
            if let Some(customer) = &customer {
                check_customer(customer).map_err(&invalid)?;
            }
            ClientFrame::Hello {
                locale,
                resume,
                last_seq,
                customer,
            }
        }
        RawFrame::Message { id, text } => {
            check_id(&id).map_err(&invalid)?;
            match MessageText::parse(&text, limits.max_text_chars) {
                Ok(text) => ClientFrame::Message { id, text },
                Err(error) => return Err(DecodeError::Text { id, error }),
            }
        }
        RawFrame::Choice { id, value } => {
            check_id(&id).map_err(&invalid)?;
            ClientFrame::Choice { id, value }
        }
        RawFrame::Typing { on } => ClientFrame::Typing { on },
        RawFrame::Feedback { seq, helpful } => ClientFrame::Feedback { seq, helpful },
        RawFrame::Rating { score, comment } => {
            if !(1..=5).contains(&score) {
                return Err(invalid("score must be 1 to 5"));
            }
            let comment = comment
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty());
            if comment
                .as_ref()
                .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
            {
                return Err(invalid("comment is too long"));
            }
            ClientFrame::Rating { score, comment }
        }
        RawFrame::End {} => ClientFrame::End,
        RawFrame::Ping {} => ClientFrame::Ping,
    })
}

/// Checks the bounds on what a widget tells us about its customer.
fn check_customer(customer: &Customer) -> Result<(), &'static str> {
    let fields = [&customer.id, &customer.name, &customer.email];
    if fields.iter().any(|f| {
        f.as_ref()
            .is_some_and(|f| f.chars().count() > MAX_CUSTOMER_FIELD_CHARS)
    }) {
        return Err("customer id, name and email must be at most 256 characters");
    }
    if customer.attributes.len() > MAX_CUSTOMER_ATTRIBUTES {
        return Err("customer.attributes may have at most 20 entries");
    }
    if customer
        .attributes
        .keys()
        .any(|k| k.is_empty() || k.chars().count() > MAX_ATTRIBUTE_KEY_CHARS)
    {
        return Err("customer.attributes keys must be 1 to 64 characters");
    }
    let bytes = serde_json::to_vec(&customer.attributes).map_or(usize::MAX, |v| v.len());
    if bytes > MAX_ATTRIBUTES_BYTES {
        return Err("customer.attributes must be at most 4096 bytes of JSON");
    }
    Ok(())
}

fn valid_id(id: &str) -> bool {
    check_id(id).is_ok()
}

fn check_id(id: &str) -> Result<(), &'static str> {
    let chars = id.chars().count();
    if chars == 0 || chars > MAX_ID_CHARS {
        return Err("id must be 1 to 64 characters");
    }
    Ok(())
}

/// A frame to a customer client, other than transcript entries.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame<'a> {
    Welcome {
        conversation: String,
        session: &'a str,
        locale: &'a str,
        resumed: bool,
        last_seq: u64,
    },
    Ack {
        id: &'a str,
        seq: u64,
    },
    Error {
        code: ErrorCode,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
    },
    Typing {
        from: &'a str,
        on: bool,
    },
    Pong,
}

/// Serialises a frame; our frames always serialise.
pub fn encode<T: Serialize>(frame: &T) -> String {
    serde_json::to_string(frame).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot encode a frame");
        String::from(r#"{"type":"error","code":"internal","message":"internal error"}"#)
    })
}

fn sender(from: Sender) -> &'static str {
    match from {
        Sender::Customer => "customer",
        Sender::Bot => "bot",
        Sender::Agent => "agent",
        Sender::System => "system",
    }
}

/// A transcript entry as it travels: a `message`, `handoff` or `closed` frame.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntryFrame<'a> {
    Message {
        seq: u64,
        from: &'static str,
        text: &'a str,
        locale: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        intent: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        confidence: Option<f64>,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        quick_replies: &'a [QuickReply],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        articles: &'a [ArticleRef],
        #[serde(skip_serializing_if = "Option::is_none")]
        agent: Option<&'a AgentRef>,
        ts: Timestamp,
    },
    Handoff {
        seq: u64,
        status: crate::domain::HandoffStatus,
        #[serde(skip_serializing_if = "Option::is_none")]
        position: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        estimated_wait_s: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        agent: Option<&'a AgentRef>,
        #[serde(skip_serializing_if = "Option::is_none")]
        opens_at: Option<&'a str>,
        ts: Timestamp,
    },
    Closed {
        seq: u64,
        by: &'static str,
        survey: bool,
        ts: Timestamp,
    },
}

impl<'a> From<&'a TranscriptEntry> for EntryFrame<'a> {
    fn from(entry: &'a TranscriptEntry) -> Self {
        let (seq, ts) = (entry.seq, entry.ts);
        match &entry.body {
            EntryBody::Message {
                from,
                text,
                locale,
                id,
                intent,
                confidence,
                quick_replies,
                articles,
                agent,
            } => EntryFrame::Message {
                seq,
                from: sender(*from),
                text,
                locale,
                id: id.as_deref(),
                intent: intent.as_deref(),
                confidence: *confidence,
                quick_replies,
                articles,
                agent: agent.as_ref(),
                ts,
            },
            EntryBody::Handoff {
                status,
                position,
                estimated_wait_s,
                agent,
                opens_at,
            } => EntryFrame::Handoff {
                seq,
                status: *status,
                position: *position,
                estimated_wait_s: *estimated_wait_s,
                agent: agent.as_ref(),
                opens_at: opens_at.as_deref(),
                ts,
            },
            EntryBody::Closed { by, survey } => EntryFrame::Closed {
                seq,
                by: sender(*by),
                survey: *survey,
                ts,
            },
        }
    }
}

/// A transcript entry's frame as JSON.
pub fn encode_entry(entry: &TranscriptEntry) -> String {
    encode(&EntryFrame::from(entry))
}

/// The name a sender has on the wire (`from`, `by`).
pub fn sender_name(from: Sender) -> &'static str {
    sender(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: FrameLimits = FrameLimits { max_text_chars: 10 };

    #[test]
    fn message_text_is_trimmed_and_bounded() {
        assert!(matches!(
            decode(r#"{"type":"message","id":"a","text":"  hi  "}"#, LIMITS),
            Ok(ClientFrame::Message { text, .. }) if text.as_str() == "hi"
        ));
        assert!(matches!(
            decode(r#"{"type":"message","id":"a","text":"   "}"#, LIMITS),
            Err(DecodeError::Text {
                error: TextError::Empty,
                ..
            })
        ));
        assert!(matches!(
            decode(
                r#"{"type":"message","id":"a","text":"çççççççççççç"}"#,
                LIMITS
            ),
            Err(DecodeError::Text {
                error: TextError::TooLong { max: 10 },
                ..
            })
        ));
    }

    #[test]
    fn unknown_and_malformed_frames_are_told_apart() {
        assert_eq!(decode("nope", LIMITS), Err(DecodeError::NotAFrame));
        assert_eq!(
            decode(r#"{"kind":"x"}"#, LIMITS),
            Err(DecodeError::NotAFrame)
        );
        assert_eq!(
            decode(r#"{"type":"dance"}"#, LIMITS),
            Err(DecodeError::UnknownType("dance".into()))
        );
        assert!(matches!(
            decode(r#"{"type":"message","id":"x"}"#, LIMITS),
            Err(DecodeError::Invalid {
                kind: "message",
                id: Some(_),
                ..
            })
        ));
        assert!(matches!(
            decode(r#"{"type":"rating","score":9}"#, LIMITS),
            Err(DecodeError::Invalid { kind: "rating", .. })
        ));
    }
}
