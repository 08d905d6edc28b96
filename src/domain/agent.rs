//! Who the agents are.

use serde::{Deserialize, Serialize};

/// A configured agent as the server knows them after sign-in. `id` is
/// stable (the configured `id`, else the first 12 hex digits of the token's
/// SHA-256), so renaming an agent does not take their conversations away;
/// `name` is only what customers and colleagues read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentProfile {
    pub id: String,
    pub name: String,
    /// Locales the agent speaks (`tr`, `en`).
    pub languages: Vec<String>,
    /// May erase customers' data.
    pub admin: bool,
}

impl AgentProfile {
    pub fn speaks(&self, locale: &str) -> bool {
        self.languages.iter().any(|l| l == locale)
    }
}

/// The agent a conversation is with: the record of who holds it, written
/// with the transcript entry that says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub id: String,
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
