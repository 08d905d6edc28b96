//! The frames on the wire (PROTOCOL.md): the customer channel's, decoded
//! once at the edge into [`ClientFrame`], and transcript entries as they
//! travel ([`EntryFrame`], from the domain's [`TranscriptEntry`]: the wire's
//! shape is the protocol's, whatever the store keeps).

use serde::{Deserialize, Serialize};

use crate::domain::{
    AgentRef, ArticleRef, Customer, EntryBody, ErrorCode, MessageText, QuickReply, Sender,
    TextError, Timestamp, TranscriptEntry,
};

/// A frame from a customer client (PROTOCOL.md, "Client to server"), checked.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientFrame {
    /// `hello`: opens or resumes a conversation; must be the first frame.
    Hello {
        /// `locale`: the BCP 47 tag the client asks for (negotiated later);
        /// `None`: English.
        locale: Option<String>,
        /// `resume`: a session token from an earlier `welcome`; `None`
        /// starts a new conversation.
        resume: Option<String>,
        /// `last_seq`: the largest seq the client has; replay starts after
        /// it. `None` replays the whole transcript.
        last_seq: Option<u64>,
        /// `customer`: what the widget knows of the customer, within the
        /// `MAX_CUSTOMER_*` and `MAX_ATTRIBUTE*` bounds.
        customer: Option<Customer>,
        /// `timezone`: the customer's IANA time zone (`Asia/Kuala_Lumpur`),
        /// checked against the bundled time-zone database; times are shown
        /// in it. `None`: the team's time, with its zone named.
        timezone: Option<String>,
    },
    /// `message`: a customer utterance.
    Message {
        /// `id`: client-chosen, 1 to [`MAX_ID_CHARS`] characters, the
        /// idempotency key within the conversation.
        id: String,
        /// `text`: trimmed, 1 to `max_text_chars` characters.
        text: MessageText,
    },
    /// `choice`: a press of a quick-reply button.
    Choice {
        /// `id`: as for `message`.
        id: String,
        /// `value`: the button's value as offered (not checked here).
        value: String,
    },
    /// `typing`: relayed to the agent who holds the conversation.
    Typing {
        /// `on`: true while typing.
        on: bool,
    },
    /// `feedback`: "did this answer help?".
    Feedback {
        /// `seq`: the bot message it is about.
        seq: u64,
        /// `helpful`: the answer.
        helpful: bool,
    },
    /// `rating`: the satisfaction survey, after `closed`.
    Rating {
        /// `score`: 1 to 5.
        score: u8,
        /// `comment`: trimmed, at most [`MAX_COMMENT_CHARS`] characters;
        /// `None` if absent or blank.
        comment: Option<String>,
    },
    /// `end`: the customer ends the conversation.
    End,
    /// `ping`: answered with `pong`.
    Ping,
}

/// Why a text frame is not a [`ClientFrame`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// Not JSON, or no string `type`: `bad_request`.
    #[error("not a JSON object with a string `type`")]
    NotAFrame,
    /// A `type` not in PROTOCOL.md's table (its first 64 characters):
    /// `unknown_type` (`hello_required` before `hello`).
    #[error("unknown frame type `{0}`")]
    UnknownType(String),
    /// A known type with a missing or invalid field: `bad_request`
    /// (`hello_required` before `hello`).
    #[error("invalid `{kind}` frame: {reason}")]
    Invalid {
        /// The frame's `type`.
        kind: &'static str,
        /// What is wrong, in English (for the log).
        reason: String,
        /// The frame's `id`, when it had a readable one.
        id: Option<String>,
        /// The frame's `locale`, when it had a string one (a `hello`): the
        /// error is said in that language.
        locale: Option<String>,
    },
    /// A `message` whose text is empty or too long: `bad_request`, with a
    /// text that says which.
    #[error("message text: {error}")]
    Text {
        /// The message's `id` (valid).
        id: String,
        /// What is wrong with the text.
        error: TextError,
    },
}

/// Limits applied while decoding.
#[derive(Debug, Clone, Copy)]
pub struct FrameLimits {
    /// The longest message text, in characters after trimming
    /// (`limits.max_text_chars`, default 4000).
    pub max_text_chars: usize,
}

/// The longest frame `id`, in characters (PROTOCOL.md: 1-64 chars).
pub const MAX_ID_CHARS: usize = 64;
/// The longest `rating.comment`, in characters after trimming.
pub const MAX_COMMENT_CHARS: usize = 4000;
/// The longest `hello.customer` `id`, `name` or `email`, in characters. The
/// bounds on `hello.customer` (docs/protocol.md) keep it small: it travels
/// with every queue view an agent is sent.
pub const MAX_CUSTOMER_FIELD_CHARS: usize = 256;
/// The longest `hello.timezone`, in bytes (IANA names are under 40).
pub const MAX_TIMEZONE_BYTES: usize = 64;
/// The most entries in `hello.customer.attributes`.
pub const MAX_CUSTOMER_ATTRIBUTES: usize = 20;
/// The longest attribute key, in characters (keys must not be empty).
pub const MAX_ATTRIBUTE_KEY_CHARS: usize = 64;
/// The most bytes `hello.customer.attributes` may take as JSON.
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
        #[serde(default)]
        timezone: Option<String>,
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

/// Decodes one text frame of the customer channel. Unknown fields are
/// ignored; what each error means to the client is on [`DecodeError`].
///
/// # Errors
///
/// [`DecodeError::NotAFrame`], [`DecodeError::UnknownType`],
/// [`DecodeError::Invalid`] (a missing or mistyped field, an `id` outside
/// 1-64 characters, a score outside 1-5, an overlong comment, customer
/// details over their bounds), or [`DecodeError::Text`] for message text.
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
    let locale = value
        .get("locale")
        .and_then(|v| v.as_str())
        .map(|l| l.chars().take(64).collect::<String>());
    let raw: RawFrame = serde_json::from_value(value).map_err(|e| DecodeError::Invalid {
        kind,
        reason: e.to_string(),
        id: id.clone(),
        locale: locale.clone(),
    })?;
    let invalid = |reason: &str| DecodeError::Invalid {
        kind,
        reason: reason.to_owned(),
        id: id.clone(),
        locale: locale.clone(),
    };
    Ok(match raw {
        RawFrame::Hello {
            locale,
            resume,
            last_seq,
            customer,
            timezone,
        } => {
            if let Some(customer) = &customer {
                check_customer(customer).map_err(&invalid)?;
            }
            if let Some(zone) = &timezone {
                if zone.len() > MAX_TIMEZONE_BYTES || jiff::tz::TimeZone::get(zone).is_err() {
                    return Err(invalid(
                        "timezone must be an IANA time zone name such as Europe/Istanbul",
                    ));
                }
            }
            ClientFrame::Hello {
                locale,
                resume,
                last_seq,
                customer,
                timezone,
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
pub(super) fn check_customer(customer: &Customer) -> Result<(), &'static str> {
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
    /// `welcome`: the reply to `hello`.
    Welcome {
        /// `conversation`: the conversation id, 32 hex digits.
        conversation: String,
        /// `session`: the token to `resume` with.
        session: &'a str,
        /// `locale`: the negotiated locale (e.g. `tr`).
        locale: &'a str,
        /// `resumed`: true when `resume` named a known conversation.
        resumed: bool,
        /// `last_seq`: the conversation's last seq before this hello (0 for
        /// a new one).
        last_seq: u64,
    },
    /// `ack`: a `message` or `choice` is durably stored.
    Ack {
        /// `id`: the frame's id.
        id: &'a str,
        /// `seq`: the seq of the entry it became.
        seq: u64,
    },
    /// `error`: see [`ErrorCode`].
    Error {
        /// `code`: the protocol's error code.
        code: ErrorCode,
        /// `message`: a short text in the conversation's language (English
        /// before `hello`); never the internal cause.
        message: String,
        /// `id`: the id of the frame it answers, when it had a valid one.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
    },
    /// `typing`: the agent is typing.
    Typing {
        /// `from`: always `agent`.
        from: &'a str,
        /// `on`: true while typing.
        on: bool,
    },
    /// `pong`: the answer to `ping`.
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
///
/// Each field carries the [`EntryBody`] field of the same name; absent
/// optional fields and empty lists are left out of the JSON.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntryFrame<'a> {
    /// `message`.
    Message {
        /// `seq`: the entry's number, from 1.
        seq: u64,
        /// `from`: `customer`, `bot`, `agent` or `system`.
        from: &'static str,
        /// `text`: what was said.
        text: &'a str,
        /// `locale`: the language `text` is written in.
        locale: &'a str,
        /// `id`: the client's id of a customer message or choice.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
        /// `intent`: the intent a bot answer answers.
        #[serde(skip_serializing_if = "Option::is_none")]
        intent: Option<&'a str>,
        /// `confidence`: that intent's calibrated confidence, 0.0 to 1.0.
        #[serde(skip_serializing_if = "Option::is_none")]
        confidence: Option<f64>,
        /// `quick_replies`: `{label, value}` buttons.
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        quick_replies: &'a [QuickReply],
        /// `articles`: `{id, title, url}` of articles shown.
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        articles: &'a [ArticleRef],
        /// `agent`: `{name}` of the agent who wrote it.
        #[serde(skip_serializing_if = "Option::is_none")]
        agent: Option<&'a AgentRef>,
        /// `ts`: when the server recorded it, RFC 3339 UTC.
        ts: Timestamp,
    },
    /// `handoff`.
    Handoff {
        /// `seq`: the entry's number, from 1.
        seq: u64,
        /// `status`: `queued`, `assigned`, `returned_to_bot` or `offline`.
        status: crate::domain::HandoffStatus,
        /// `position`: 1 = next (with `queued`).
        #[serde(skip_serializing_if = "Option::is_none")]
        position: Option<u32>,
        /// `estimated_wait_s`: seconds (with `queued`).
        #[serde(skip_serializing_if = "Option::is_none")]
        estimated_wait_s: Option<u64>,
        /// `agent`: `{name}` (with `assigned`).
        #[serde(skip_serializing_if = "Option::is_none")]
        agent: Option<&'a AgentRef>,
        /// `opens_at`: RFC 3339 UTC (with `offline`).
        #[serde(skip_serializing_if = "Option::is_none")]
        opens_at: Option<&'a str>,
        /// `ts`: when the server recorded it, RFC 3339 UTC.
        ts: Timestamp,
    },
    /// `closed`.
    Closed {
        /// `seq`: the entry's number, from 1.
        seq: u64,
        /// `by`: `customer`, `agent` or `system`.
        by: &'static str,
        /// `survey`: true when the client may send `rating`.
        survey: bool,
        /// `ts`: when the server recorded it, RFC 3339 UTC.
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

/// Why a JSON body is not the expected shape, for the developer who sent
/// it: serde's words ("missing field `user`", "invalid type: string
/// \"x\", expected a boolean") without the names of the server's own types
/// ("expected struct Customer" reads "expected an object").
pub fn json_shape_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("struct ") {
        out.push_str(&rest[..at]);
        out.push_str("an object");
        rest = rest[at + "struct ".len()..]
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    }
    out.push_str(rest);
    out
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

    #[test]
    fn a_json_shape_error_names_no_type_of_ours() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            customer: Inner,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            id: String,
        }
        let error = serde_json::from_str::<Outer>(r#"{"customer": "str"}"#).unwrap_err();
        let said = super::json_shape_error(&error);
        assert!(said.contains("expected an object"), "{said}");
        assert!(!said.contains("Inner"), "{said}");
    }
}
