//! Identifiers: conversations, session tokens, and the keys that make
//! client frames idempotent.

use std::fmt;
use std::str::FromStr;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A random 128-bit conversation id, written as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConversationId([u8; 16]);

impl ConversationId {
    /// A new id from 128 random bits (the thread-local CSPRNG of `rand`).
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The 16 raw bytes, as the store keys conversations.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The id of 16 raw bytes; `None` for any other length.
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
    /// A new token from 128 random bits, as 32 lowercase hex digits.
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// Wraps a token a client presented; nothing is checked until it is looked up.
    pub fn presented(token: &str) -> Self {
        Self(token.to_owned())
    }

    /// The token as the client sends it (`welcome.session`, `hello.resume`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SHA-256 of the token's UTF-8 bytes: the only form the store keeps.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// Whose frame id an entry answers: customers and agents choose ids
/// independently, so each has its own namespace (a customer id that looks
/// like an agent's can never swallow the agent's message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKey<'a> {
    /// The `id` of a customer `message` or `choice` frame (1 to 64 characters).
    Customer(&'a str),
    /// The `id` of an agent `message` frame, within that agent's namespace.
    Agent {
        /// The agent's stable id ([`AgentProfile::id`](super::AgentProfile::id)).
        agent: &'a str,
        /// The frame's `id`, as the agent's client chose it.
        id: &'a str,
    },
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
