//! The policy: given a conversation and what the customer did, what the bot
//! says. Knows nothing of sockets or storage: it takes a turn and returns the
//! entries to store and send.

use std::sync::Arc;

use crate::l10n::{Localizer, Msg};
use crate::nlu::{Action, IntentMatch, Nlu, Understanding};
use crate::storage::{ConversationRecord, EntryBody, Party, PendingSlot, QuickReply};

/// How many offered quick-reply values a conversation remembers.
const OFFERED_CHOICES_KEPT: usize = 50;

/// Prefix of a quick-reply value that asks for an intent.
pub const INTENT_CHOICE_PREFIX: &str = "intent:";

/// Words from which a message in another supported language is taken as the
/// customer switching language (shorter messages keep the session locale).
const MIN_WORDS_TO_SWITCH_LOCALE: usize = 3;

/// The content the engine answers from.
pub struct Content {
    pub nlu: Nlu,
    pub l10n: Localizer,
}

pub struct Engine {
    content: Arc<Content>,
}

impl Engine {
    pub fn new(content: Arc<Content>) -> Self {
        Self { content }
    }

    pub fn content(&self) -> &Content {
        &self.content
    }

    /// The first message of a new conversation.
    pub fn greeting(&self, record: &mut ConversationRecord) -> EntryBody {
        let text = self.text(record, &Msg::Greeting);
        let quick_replies = self
            .content
            .nlu
            .intent_index("greet")
            .map(|i| {
                self.quick_replies(record, self.content.nlu.intents()[i].action.quick_replies())
            })
            .unwrap_or_default();
        let mut entry = EntryBody::text(Party::Bot, text, &record.locale);
        if let EntryBody::Message {
            quick_replies: q, ..
        } = &mut entry
        {
            *q = quick_replies;
        }
        entry
    }

    /// The bot's reply to a customer message.
    pub fn on_text(&self, record: &mut ConversationRecord, text: &str) -> Vec<EntryBody> {
        let understanding = self.content.nlu.understand(text, &record.locale);
        if let Some(order) = &understanding.order_number {
            record
                .entities
                .insert("order_number".to_owned(), order.clone());
        }
        if let (Some(pending), Some(order)) = (&record.pending_slot, &understanding.order_number) {
            let matched_other = understanding
                .intent
                .as_ref()
                .is_some_and(|m| self.content.nlu.intents()[m.intent].name != pending.intent);
            if !matched_other {
                if let Some(index) = self.content.nlu.intent_index(&pending.intent) {
                    let order = order.clone();
                    record.pending_slot = None;
                    return vec![self.answer(record, index, 1.0, Some(&order))];
                }
            }
        }
        match understanding.intent.clone() {
            Some(matched) => {
                self.maybe_switch_locale(record, text, &matched);
                self.on_intent(record, matched.intent, matched.confidence, &understanding)
            }
            None => {
                record.consecutive_misses += 1;
                vec![EntryBody::text(
                    Party::Bot,
                    self.text(record, &Msg::NotUnderstood),
                    &record.locale,
                )]
            }
        }
    }

    /// The label shown for a quick-reply value that was offered, if it is one.
    pub fn choice_label(&self, record: &ConversationRecord, value: &str) -> Option<String> {
        let intent = value.strip_prefix(INTENT_CHOICE_PREFIX)?;
        self.content.nlu.intent_index(intent)?;
        Some(self.text(record, &Msg::IntentLabel { intent }))
    }

    /// The bot's reply to a pressed quick reply; `None` if the value is not one
    /// this engine offers.
    pub fn on_choice(
        &self,
        record: &mut ConversationRecord,
        value: &str,
    ) -> Option<Vec<EntryBody>> {
        let intent = value.strip_prefix(INTENT_CHOICE_PREFIX)?;
        let index = self.content.nlu.intent_index(intent)?;
        Some(self.on_intent(record, index, 1.0, &Understanding::default()))
    }

    /// A short system message (closing, survey, feedback), in the conversation's locale.
    pub fn system_text(&self, record: &ConversationRecord, msg: &Msg<'_>) -> EntryBody {
        EntryBody::text(Party::System, self.text(record, msg), &record.locale)
    }

    /// A bot message, in the conversation's locale.
    pub fn bot_text(&self, record: &ConversationRecord, msg: &Msg<'_>) -> EntryBody {
        EntryBody::text(Party::Bot, self.text(record, msg), &record.locale)
    }

    fn on_intent(
        &self,
        record: &mut ConversationRecord,
        index: usize,
        confidence: f64,
        understanding: &Understanding,
    ) -> Vec<EntryBody> {
        let intent = &self.content.nlu.intents()[index];
        record.consecutive_misses = 0;
        record.note_intent(&intent.name, confidence);
        match &intent.action {
            Action::Answer { .. } => vec![self.answer(record, index, confidence, None)],
            Action::AskSlot { ask, .. } => {
                let known = understanding
                    .order_number
                    .clone()
                    .or_else(|| record.entities.get("order_number").cloned());
                match known {
                    Some(order) => vec![self.answer(record, index, confidence, Some(&order))],
                    None => {
                        record.pending_slot = Some(PendingSlot {
                            intent: intent.name.clone(),
                            slot: "order_number".to_owned(),
                        });
                        let text = self.text(
                            record,
                            &Msg::IntentAnswer {
                                message: ask,
                                order: None,
                            },
                        );
                        vec![self.intent_message(record, index, confidence, text, Vec::new())]
                    }
                }
            }
            Action::Handoff { .. } => {
                // No agents can take conversations yet: say so honestly rather
                // than pretend someone is coming.
                vec![
                    self.answer(record, index, confidence, None),
                    self.system_text(record, &Msg::HandoffUnavailable),
                ]
            }
        }
    }

    fn answer(
        &self,
        record: &mut ConversationRecord,
        index: usize,
        confidence: f64,
        order: Option<&str>,
    ) -> EntryBody {
        let action = &self.content.nlu.intents()[index].action;
        let text = self.text(
            record,
            &Msg::IntentAnswer {
                message: action.message(),
                order,
            },
        );
        let quick_replies = self.quick_replies(record, action.quick_replies());
        self.intent_message(record, index, confidence, text, quick_replies)
    }

    fn intent_message(
        &self,
        record: &ConversationRecord,
        index: usize,
        confidence: f64,
        text: String,
        quick_replies: Vec<QuickReply>,
    ) -> EntryBody {
        EntryBody::Message {
            from: Party::Bot,
            text,
            locale: record.locale.clone(),
            id: None,
            intent: Some(self.content.nlu.intents()[index].name.clone()),
            confidence: Some(confidence),
            quick_replies,
            articles: Vec::new(),
            agent: None,
        }
    }

    /// Quick replies for the named intents; remembers them as offered.
    fn quick_replies(
        &self,
        record: &mut ConversationRecord,
        intents: &[String],
    ) -> Vec<QuickReply> {
        let replies: Vec<QuickReply> = intents
            .iter()
            .filter(|name| self.content.nlu.intent_index(name).is_some())
            .map(|name| QuickReply {
                label: self.text(record, &Msg::IntentLabel { intent: name }),
                value: format!("{INTENT_CHOICE_PREFIX}{name}"),
            })
            .collect();
        for reply in &replies {
            if !record.offered_choices.contains(&reply.value) {
                record.offered_choices.push(reply.value.clone());
            }
        }
        let excess = record
            .offered_choices
            .len()
            .saturating_sub(OFFERED_CHOICES_KEPT);
        record.offered_choices.drain(..excess);
        replies
    }

    /// Follows the customer into another supported language when a message of
    /// several words matched an example of that language only.
    fn maybe_switch_locale(
        &self,
        record: &mut ConversationRecord,
        text: &str,
        matched: &IntentMatch,
    ) {
        let Some(example_locale) = &matched.locale else {
            return;
        };
        if *example_locale == record.locale
            || text.split_whitespace().count() < MIN_WORDS_TO_SWITCH_LOCALE
        {
            return;
        }
        if let Some(locale) = self.content.l10n.locale(example_locale) {
            tracing::info!(
                conversation_id = %record.id,
                from = %record.locale,
                to = %locale,
                "customer switched language"
            );
            record.locale = locale.as_str().to_owned();
        }
    }

    fn text(&self, record: &ConversationRecord, msg: &Msg<'_>) -> String {
        let locale = self
            .content
            .l10n
            .locale(&record.locale)
            .unwrap_or_else(|| self.content.l10n.default_locale());
        self.content.l10n.text(&locale, msg)
    }
}
