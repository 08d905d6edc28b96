//! The intent catalogue: `intents/<intent>.toml`, one file per intent, holding
//! the examples per locale and what the bot does when the intent matches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::NluError;

use crate::domain::{HandoffReason, Priority};

/// What the bot does when an intent matches.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Reply with the Fluent message `message`.
    Answer {
        /// The Fluent id of the answer (in `locales/<lang>/intents.ftl`).
        message: String,
        /// The queue priority if the conversation later reaches a person.
        #[serde(default)]
        priority: Priority,
        /// Intent names offered as quick replies under the answer.
        #[serde(default)]
        quick_replies: Vec<String>,
        /// Small talk (hello, thanks, yes, no): never offered as a topic when
        /// the bot is unsure, and never taken as a change of topic while it
        /// waits for a slot.
        #[serde(default)]
        small_talk: bool,
    },
    /// Ask for `slot` with the message `ask` unless the customer already gave
    /// it, then reply with `message` (which receives it as `$order`).
    AskSlot {
        /// The Fluent id of the answer, which receives the slot as `$order`.
        message: String,
        /// The slot the answer needs.
        slot: Slot,
        /// The Fluent id of the question that asks for the slot.
        ask: String,
        /// The queue priority if the conversation later reaches a person.
        #[serde(default)]
        priority: Priority,
        /// Intent names offered as quick replies under the answer.
        #[serde(default)]
        quick_replies: Vec<String>,
        /// The business action (`[actions.<name>]` in the config) that answers
        /// once the slot is filled, instead of `message`; `message` stays the
        /// answer when no such action is configured.
        #[serde(default)]
        call: Option<String>,
        /// The Fluent id of a question asked before `call` runs ("Shall I
        /// cancel order { $order }?"), for actions that change something:
        /// only a yes calls it. `None`: the action runs at once (a lookup).
        #[serde(default)]
        confirm: Option<String>,
    },
    /// Reply with `message`, then hand the conversation to a person.
    Handoff {
        /// The Fluent id of the reply sent before the handoff (an
        /// acknowledgement; empathy for a complaint).
        message: String,
        /// The handoff reason the queue item carries.
        reason: HandoffReason,
        /// The queue priority (raised to the highest of the intents seen).
        #[serde(default)]
        priority: Priority,
        /// Intent names offered as quick replies under the reply.
        #[serde(default)]
        quick_replies: Vec<String>,
    },
    /// Examples of what the bot must not answer (weather, jokes, other
    /// services): the out-of-scope class. Matching it is no match; its
    /// examples teach the classifier where the shop's topics end.
    #[serde(alias = "no_match")]
    OutOfScope {},
}

impl Action {
    /// The Fluent message that answers the intent; `None` for [`Action::OutOfScope`].
    pub fn message(&self) -> Option<&str> {
        match self {
            Action::Answer { message, .. }
            | Action::AskSlot { message, .. }
            | Action::Handoff { message, .. } => Some(message),
            Action::OutOfScope {} => None,
        }
    }

    /// The queue priority if this intent's conversation reaches a person.
    pub fn priority(&self) -> Priority {
        match self {
            Action::Answer { priority, .. }
            | Action::AskSlot { priority, .. }
            | Action::Handoff { priority, .. } => *priority,
            Action::OutOfScope {} => Priority::Normal,
        }
    }

    /// Intent names offered as quick replies with the answer (only those the
    /// bot can answer are shown); empty for [`Action::OutOfScope`].
    pub fn quick_replies(&self) -> &[String] {
        match self {
            Action::Answer { quick_replies, .. }
            | Action::AskSlot { quick_replies, .. }
            | Action::Handoff { quick_replies, .. } => quick_replies,
            Action::OutOfScope {} => &[],
        }
    }

    /// Whether this is small talk (see [`Action::Answer`]'s `small_talk`).
    pub fn small_talk(&self) -> bool {
        matches!(
            self,
            Action::Answer {
                small_talk: true,
                ..
            }
        )
    }

    /// Whether the intent is a topic the bot can be unsure between: not
    /// small talk, not a request for a person or a complaint, not out of scope.
    pub fn topical(&self) -> bool {
        matches!(self, Action::Answer { .. } | Action::AskSlot { .. }) && !self.small_talk()
    }

    /// The slot the intent's flow asks for, if it asks for one.
    pub fn slot(&self) -> Option<&Slot> {
        match self {
            Action::AskSlot { slot, .. } => Some(slot),
            _ => None,
        }
    }

    /// The question asked before the business action runs, if any.
    pub fn confirm(&self) -> Option<&str> {
        match self {
            Action::AskSlot { confirm, .. } => confirm.as_deref(),
            _ => None,
        }
    }

    /// The business action that answers the intent, if it names one.
    pub fn call(&self) -> Option<&str> {
        match self {
            Action::AskSlot { call, .. } => call.as_deref(),
            _ => None,
        }
    }

    /// Whether matching this intent means the bot has an answer.
    pub fn answers(&self) -> bool {
        !matches!(self, Action::OutOfScope {})
    }
}

/// A piece of information an intent's answer needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// `order_number`: filled by the entity of that name (6 to 10 digits).
    OrderNumber,
}

impl Slot {
    /// The slot's name, which is also the entity that fills it.
    pub fn name(self) -> &'static str {
        match self {
            Slot::OrderNumber => "order_number",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentFile {
    action: Action,
    examples: BTreeMap<String, Vec<String>>,
}

/// One intent of the catalogue.
#[derive(Debug, Clone)]
pub struct Intent {
    /// The intent's name: its file stem (`order_status`).
    pub name: String,
    /// The file it was loaded from.
    pub path: PathBuf,
    /// What the bot does when it matches.
    pub action: Action,
    /// Example utterances by locale tag (`tr` -> [...]), as written.
    pub examples: BTreeMap<String, Vec<String>>,
}

/// Loads every `*.toml` in `dir`, sorted by name.
///
/// # Errors
///
/// [`NluError::Read`] if the folder or a file cannot be read,
/// [`NluError::Syntax`] for the first file that does not parse (unknown
/// fields included), [`NluError::NoIntents`] if there is no intent file.
pub fn load(dir: &Path) -> Result<Vec<Intent>, NluError> {
    let mut paths = crate::files::sorted_entries(dir).map_err(|source| NluError::Read {
        path: dir.to_owned(),
        source,
    })?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    let mut intents = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = std::fs::read_to_string(&path).map_err(|source| NluError::Read {
            path: path.clone(),
            source,
        })?;
        let file: IntentFile = toml::from_str(&source).map_err(|e| NluError::Syntax {
            line: e
                .span()
                .map(|span| source[..span.start].matches('\n').count() + 1)
                .unwrap_or(1),
            path: path.clone(),
            message: e.message().to_owned(),
        })?;
        intents.push(Intent {
            name,
            path,
            action: file.action,
            examples: file.examples,
        });
    }
    if intents.is_empty() {
        return Err(NluError::NoIntents(dir.to_owned()));
    }
    Ok(intents)
}
