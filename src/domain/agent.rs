//! Who the agents are.

use serde::{Deserialize, Serialize};

/// A configured agent as the server knows them after sign-in. `id` is
/// stable (the configured `id`, else the first 12 hex digits of the token's
/// SHA-256), so renaming an agent does not take their conversations away;
/// `name` is only what customers and colleagues read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentProfile {
    /// The stable agent id: `[[agents]] id` in the config file, else the
    /// first 12 hex digits of `token_sha256`. Queue items, assignees and
    /// agent frame ids are keyed by it.
    pub id: String,
    /// The display name (`[[agents]] name`), as customers and other agents
    /// see it in `handoff.agent.name`, `claimed.agent.name` and the texts.
    pub name: String,
    /// Locales the agent speaks (`tr`, `en`).
    pub languages: Vec<String>,
    /// May erase customers' data (`DELETE /v1/admin/conversations/{id}`,
    /// `/v1/admin/customers/{id}`); any agent may reload content.
    pub admin: bool,
}

impl AgentProfile {
    /// Whether `locale` (a supported locale tag such as `tr`, compared
    /// exactly) is one of the agent's languages.
    pub fn speaks(&self, locale: &str) -> bool {
        self.languages.iter().any(|l| l == locale)
    }
}

/// The agent a conversation is with: the record of who holds it, written
/// with the transcript entry that says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    /// The agent's stable id ([`AgentProfile::id`]).
    pub id: String,
    /// The agent's display name when they claimed the conversation.
    pub name: String,
}

impl From<&AgentProfile> for Assignee {
    fn from(agent: &AgentProfile) -> Self {
        Self {
            id: agent.id.clone(),
            name: agent.name.clone(),
        }
    }
}
