//! What the bot knows, on request: a parse preview, the questions nothing
//! answered, and erasure and retention of customers' data.

use std::collections::BTreeMap;

use super::*;

/// How many logged questions the unanswered summary reads.
const INSIGHTS_WINDOW: usize = 5_000;

/// An intent and how confident the matcher is, for `/v1/nlu/parse`.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    /// The intent's name.
    pub intent: String,
    /// Its calibrated probability, 0.0 to 1.0.
    pub confidence: f64,
}

/// `/v1/nlu/parse`'s answer (PROTOCOL.md, "HTTP").
#[derive(Debug, Clone, Serialize)]
pub struct ParsePreview {
    /// `language`: the locale the text was understood in (e.g. `tr`).
    pub language: String,
    /// `intent`: the matched answerable intent; null when none is confident
    /// enough (below the locale's no-match threshold, or an out-of-scope
    /// best guess).
    pub intent: Option<String>,
    /// `confidence`: the matched intent's, else the best-ranked one's; 0.0
    /// with no ranking at all.
    pub confidence: f64,
    /// `entities`: `{entity, value, start, end}`, offsets in characters.
    pub entities: Vec<crate::nlu::Entity>,
    /// `ranking`: up to five answerable intents, most likely first.
    pub ranking: Vec<Ranked>,
}

/// A question nothing answered, with how often it was asked.
#[derive(Debug, Clone, Serialize)]
pub struct UnansweredQuestion {
    /// The newest wording of the question, as typed.
    pub text: String,
    /// How often it was asked among the logged questions read.
    pub count: usize,
    /// When it was last asked.
    pub last_asked: Timestamp,
}

impl Conversations {
    /// What the bot makes of `text`, as `/v1/nlu/parse` shows it; `locale`
    /// (BCP 47, negotiated) is the conversation's language, if any.
    pub fn parse_preview(&self, text: &MessageText, locale: Option<&str>) -> ParsePreview {
        let content = self.engine.content();
        let hint = locale.map(|requested| content.l10n.negotiate(Some(requested)));
        let parse = content
            .nlu
            .parse(text.as_str(), hint.as_ref().map(Locale::as_str));
        let name = |index: usize| content.nlu.intents()[index].name.clone();
        let confidence = parse
            .intent
            .as_ref()
            .or(parse.ranking.first())
            .map_or(0.0, |m| m.confidence);
        ParsePreview {
            language: parse.language,
            intent: parse.intent.as_ref().map(|m| name(m.intent)),
            confidence,
            entities: parse.entities,
            ranking: parse
                .ranking
                .iter()
                .map(|m| Ranked {
                    intent: name(m.intent),
                    confidence: m.confidence,
                })
                .collect(),
        }
    }

    /// Questions nothing answered, by locale; the same question (the same
    /// folded words) counted once, newest first. Reads the newest 5,000
    /// logged questions. Errs only if the store cannot read.
    pub fn unanswered(
        &self,
    ) -> Result<BTreeMap<String, Vec<UnansweredQuestion>>, ConversationError> {
        let questions = self.store.unanswered(INSIGHTS_WINDOW)?;
        let mut by_locale: BTreeMap<String, Vec<UnansweredQuestion>> = BTreeMap::new();
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        // Newest first: the first occurrence of a question is its latest.
        for question in questions {
            let key = (
                question.locale.clone(),
                crate::normalize::phrase_key(&question.text, &question.locale),
            );
            let list = by_locale.entry(question.locale.clone()).or_default();
            match seen.get(&key) {
                Some(&at) => list[at].count += 1,
                None => {
                    seen.insert(key, list.len());
                    list.push(UnansweredQuestion {
                        text: question.text,
                        count: 1,
                        last_asked: question.ts,
                    });
                }
            }
        }
        Ok(by_locale)
    }

    /// Erases a conversation and everything about it (GDPR Art. 17, KVKK
    /// Art. 7): its open connections close, it leaves the queue, its agent is
    /// told it closed, and the store deletes it durably. False if unknown.
    /// Errs if the store cannot delete it (the queue item is gone anyway).
    pub async fn erase(&self, id: &ConversationId) -> Result<bool, ConversationError> {
        let live = self.lock_live().get(id).and_then(Weak::upgrade);
        // Held across the deletion: no turn of this conversation can write meanwhile.
        let _record = match &live {
            Some(live) => Some(self.lock_record(live).await),
            None => None,
        };
        if let Some(agent) = self.handoff.forget(*id) {
            self.handoff.tell_agent(
                &agent,
                AgentEvent::Closed {
                    conversation: *id,
                    by: Sender::System,
                },
            );
        }
        let erased = self.store.erase_conversation(id)?;
        // Its connections to other nodes close too.
        self.handoff
            .relay(crate::domain::RelayEvent::Erased { conversation: *id });
        if let Some(live) = &live {
            let _ = live.events.send(Event::Erased);
            self.lock_live().remove(id);
        }
        tracing::info!(conversation_id = %id, erased, "conversation erased");
        Ok(erased || live.is_some())
    }

    /// Erases every conversation of the customer with this `customer.id`;
    /// how many there were. Stops at the first store error.
    pub async fn erase_customer(&self, customer: &str) -> Result<usize, ConversationError> {
        let mut erased = 0;
        for id in self.store.conversations_of_customer(customer)? {
            erased += usize::from(self.erase(&id).await?);
        }
        Ok(erased)
    }

    /// Erases conversations idle since `before` (no entry since then) that
    /// are not in the queue; how many. Stops at the first store error.
    pub async fn erase_idle_since(
        &self,
        before: jiff::Timestamp,
    ) -> Result<usize, ConversationError> {
        let mut erased = 0;
        for id in self.store.conversations_idle_since(before)? {
            // One still in someone's hands is not idle, whatever its record says.
            if self.handoff.record(&id).is_some() {
                continue;
            }
            if let Some(record) = self.store.conversation(&id)? {
                self.count_idle_contained(&record);
            }
            erased += usize::from(self.erase(&id).await?);
        }
        Ok(erased)
    }
}
