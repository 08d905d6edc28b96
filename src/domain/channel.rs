//! Messaging channels: where a conversation's customer writes from, and
//! what could not be delivered there.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// The kind of channel a conversation lives on (PROTOCOL.md `channel`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// `web`: the chat widget on `/v1/chat`.
    #[default]
    Web,
    /// `telegram`: a Telegram bot.
    Telegram,
    /// `whatsapp`: a WhatsApp Cloud API number.
    Whatsapp,
    /// `webhook`: a company's own integration, over signed webhooks.
    Webhook,
}

impl ChannelKind {
    /// Every kind.
    pub const ALL: [ChannelKind; 4] = [
        ChannelKind::Web,
        ChannelKind::Telegram,
        ChannelKind::Whatsapp,
        ChannelKind::Webhook,
    ];

    /// The kind named `name` (`web`, `telegram`, ...); `None` for another name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The kind as it travels (`web`, `telegram`, `whatsapp`, `webhook`) and
    /// as the path segment of `/v1/channels/<kind>/<name>`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Web => "web",
            ChannelKind::Telegram => "telegram",
            ChannelKind::Whatsapp => "whatsapp",
            ChannelKind::Webhook => "webhook",
        }
    }
}

impl ChannelKind {
    /// How long after the customer last wrote a reply may still be sent:
    /// WhatsApp delivers free-form messages only within 24 hours of the
    /// customer's last message (Meta, "Customer service windows"); `None`:
    /// no limit.
    pub fn reply_window(self) -> Option<jiff::SignedDuration> {
        match self {
            ChannelKind::Whatsapp => Some(jiff::SignedDuration::from_hours(24)),
            _ => None,
        }
    }
}

impl std::fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A customer on a messaging channel: one conversation per such customer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChannelUser {
    /// The channel's kind.
    pub kind: ChannelKind,
    /// The configured channel's name (`[[channels.telegram]] name`).
    pub name: String,
    /// The customer's id there: a Telegram chat id, a WhatsApp number
    /// (`wa_id`), a webhook `user`.
    pub user: String,
}

impl ChannelUser {
    /// The configured channel, as `<kind>/<name>` (the metrics' `channel` label).
    pub fn channel(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    /// The key the store indexes the conversation by: `<kind>/<name>/<user>`
    /// (names hold no `/`, so the key is unambiguous).
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.kind, self.name, self.user)
    }
}

/// An outbound entry the channel gave up delivering (PROTOCOL.md: dead-lettered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The entry's seq.
    pub seq: u64,
    /// Why, in English, for agents (the provider's answer or the error).
    pub reason: String,
    /// When it was given up.
    pub ts: Timestamp,
}
