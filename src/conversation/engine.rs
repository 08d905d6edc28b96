//! The policy: given a conversation and what the customer did, what the bot
//! says. Knows nothing of sockets or storage: it takes a turn and returns the
//! entries to store and send.

use std::sync::Arc;

use crate::knowledge::{Hit, KnowledgeIndex};
use crate::l10n::{Localizer, Msg};
use crate::nlu::{entities, Action, Nlu, Parse};
use crate::storage::{ConversationRecord, EntryBody, LocaleSwitch, Party, PendingSlot, QuickReply};

/// How many offered quick-reply values a conversation remembers.
const OFFERED_CHOICES_KEPT: usize = 50;

/// Prefix of a quick-reply value that asks for an intent.
pub const INTENT_CHOICE_PREFIX: &str = "intent:";

/// Quick replies offered when the bot is unsure what the customer meant.
const CLARIFY_OPTIONS: usize = 2;

/// The content the engine answers from.
pub struct Content {
    pub nlu: Nlu,
    pub l10n: Localizer,
    pub knowledge: KnowledgeIndex,
}

impl Content {
    /// Article ids ranked for a question in `locale`, best first.
    pub fn search_articles(&self, text: &str, locale: &str) -> Vec<String> {
        self.answer_passages(text, locale)
            .into_iter()
            .map(|hit| self.knowledge.articles()[hit.article].id.clone())
            .collect()
    }

    /// Sections that answer `text`, best first: BM25 relative to the best
    /// hit, plus how likely the question is one of the article's intents.
    pub fn answer_passages(&self, text: &str, locale: &str) -> Vec<Hit> {
        let mut hits = self.knowledge.search(text, locale, 10);
        let Some(top) = hits.first().map(|h| h.score) else {
            return hits;
        };
        let intents = self.nlu.intent_probabilities(text, locale);
        for hit in &mut hits {
            let article = &self.knowledge.articles()[hit.article];
            let intent_p = intents
                .iter()
                .filter(|(i, _)| article.intents.contains(&self.nlu.intents()[*i].name))
                .map(|(_, p)| *p)
                .fold(0.0f32, f32::max);
            hit.score = hit.score / top + INTENT_WEIGHT * intent_p;
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits
    }
}

/// How much the intent classifier counts against BM25 when ranking articles.
const INTENT_WEIGHT: f32 = 1.0;

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
        let parse = self.content.nlu.parse(text, Some(&record.locale));
        self.follow_language(record, &parse);
        for entity in &parse.entities {
            record
                .entities
                .insert(entity.entity.to_owned(), entity.value.clone());
        }
        let order = parse.entity(entities::ORDER_NUMBER).map(str::to_owned);
        if let (Some(pending), Some(order)) = (&record.pending_slot, &order) {
            let matched_other = parse
                .intent
                .as_ref()
                .is_some_and(|m| self.content.nlu.intents()[m.intent].name != pending.intent);
            if !matched_other {
                if let Some(index) = self.content.nlu.intent_index(&pending.intent) {
                    record.pending_slot = None;
                    return vec![self.answer(record, index, 1.0, Some(order.clone()))];
                }
            }
        }
        match &parse.intent {
            Some(matched) => self.on_intent(record, matched.intent, matched.confidence, order),
            None => self.on_miss(record, &parse),
        }
    }

    /// Nothing matched: the first time, say what the bot thinks it might be and
    /// offer those as quick replies; after that, ask to rephrase.
    fn on_miss(&self, record: &mut ConversationRecord, parse: &Parse) -> Vec<EntryBody> {
        record.consecutive_misses += 1;
        let options: Vec<String> = parse
            .ranking
            .iter()
            .take(CLARIFY_OPTIONS)
            .map(|m| self.content.nlu.intents()[m.intent].name.clone())
            .collect();
        if record.consecutive_misses == 1 && !options.is_empty() {
            let quick_replies = self.quick_replies(record, &options);
            let mut entry = self.bot_text(record, &Msg::Clarify);
            if let EntryBody::Message {
                quick_replies: q, ..
            } = &mut entry
            {
                *q = quick_replies;
            }
            return vec![entry];
        }
        vec![self.bot_text(record, &Msg::NotUnderstood)]
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
        Some(self.on_intent(record, index, 1.0, None))
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
        order: Option<String>,
    ) -> Vec<EntryBody> {
        let intent = &self.content.nlu.intents()[index];
        record.consecutive_misses = 0;
        record.note_intent(&intent.name, confidence);
        match &intent.action {
            Action::Answer { .. } => vec![self.answer(record, index, confidence, None)],
            Action::AskSlot { ask, slot, .. } => {
                let known = order.or_else(|| record.entities.get(slot.name()).cloned());
                match known {
                    Some(order) => vec![self.answer(record, index, confidence, Some(order))],
                    None => {
                        record.pending_slot = Some(PendingSlot {
                            intent: intent.name.clone(),
                            slot: slot.name().to_owned(),
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
            // The parse never returns a no-match intent; a quick reply cannot name one.
            Action::NoMatch {} => vec![self.bot_text(record, &Msg::NotUnderstood)],
        }
    }

    fn answer(
        &self,
        record: &mut ConversationRecord,
        index: usize,
        confidence: f64,
        order: Option<String>,
    ) -> EntryBody {
        let action = &self.content.nlu.intents()[index].action;
        let text = self.text(
            record,
            &Msg::IntentAnswer {
                message: action.message().unwrap_or_default(),
                order: order.as_deref(),
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

    /// Follows the customer into another supported language, and records it.
    fn follow_language(&self, record: &mut ConversationRecord, parse: &Parse) {
        if !parse.switched || parse.language == record.locale {
            return;
        }
        let Some(locale) = self.content.l10n.locale(&parse.language) else {
            return;
        };
        tracing::info!(
            conversation_id = %record.id,
            from = %record.locale,
            to = %locale,
            "customer switched language"
        );
        record.locale_switches.push(LocaleSwitch {
            from: record.locale.clone(),
            to: locale.as_str().to_owned(),
            after_seq: record.last_seq,
        });
        record.locale = locale.as_str().to_owned();
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
