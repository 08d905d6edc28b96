//! Understanding what the customer wrote: normalisation, the intent catalogue,
//! the matcher chain and entities.
//!
//! Matchers run cheapest first (STYLE.md, after snips-nlu): the exact-phrase
//! matcher answers a known phrase with certainty; a statistical matcher follows
//! in the chain for everything else.

pub mod classifier;
pub mod entities;
pub mod features;
pub mod intents;
pub mod normalize;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use intents::{Action, HandoffReason, Intent, Priority, Slot};

#[derive(Debug, thiserror::Error)]
pub enum NluError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{0}: no intent files found")]
    NoIntents(PathBuf),
}

/// An intent the matcher chain recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentMatch {
    /// Index into [`Nlu::intents`].
    pub intent: usize,
    pub confidence: f64,
    /// The locale of the example that matched, when the matcher knows it.
    pub locale: Option<String>,
}

/// What the NLU made of one utterance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Understanding {
    pub intent: Option<IntentMatch>,
    pub order_number: Option<String>,
}

/// One link of the matcher chain.
pub trait IntentMatcher: Send + Sync {
    /// The best intent for `text`, typed in a conversation whose locale is
    /// `locale`; `None` when this matcher has no opinion.
    fn best(&self, text: &str, locale: &str) -> Option<IntentMatch>;
}

/// Matches an utterance whose normalised words equal those of an example.
pub struct ExactPhraseMatcher {
    /// Phrase key -> (intent index, locale of the example); several when the
    /// same words are an example in more than one locale.
    intent_by_phrase: HashMap<String, Vec<(usize, String)>>,
}

impl ExactPhraseMatcher {
    pub fn new(intents: &[Intent]) -> Self {
        let mut intent_by_phrase: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (index, intent) in intents.iter().enumerate() {
            for (locale, examples) in &intent.examples {
                for example in examples {
                    let key = normalize::phrase_key(example, locale);
                    if key.is_empty() {
                        continue;
                    }
                    let candidates = intent_by_phrase.entry(key).or_default();
                    if !candidates.iter().any(|(i, l)| *i == index && l == locale) {
                        candidates.push((index, locale.clone()));
                    }
                }
            }
        }
        Self { intent_by_phrase }
    }
}

impl IntentMatcher for ExactPhraseMatcher {
    fn best(&self, text: &str, locale: &str) -> Option<IntentMatch> {
        let candidates = self
            .intent_by_phrase
            .get(&normalize::phrase_key(text, locale))?;
        // The same words in the conversation's own language win.
        let (intent, example_locale) = candidates
            .iter()
            .find(|(_, l)| l == locale)
            .or_else(|| candidates.first())?;
        Some(IntentMatch {
            intent: *intent,
            confidence: 1.0,
            locale: Some(example_locale.clone()),
        })
    }
}

/// The intent catalogue and the matcher chain over it.
pub struct Nlu {
    intents: Vec<Intent>,
    chain: Vec<Box<dyn IntentMatcher>>,
}

impl Nlu {
    pub fn load(intents_dir: &Path) -> Result<Self, NluError> {
        Ok(Self::new(intents::load(intents_dir)?))
    }

    pub fn new(intents: Vec<Intent>) -> Self {
        let chain: Vec<Box<dyn IntentMatcher>> = vec![Box::new(ExactPhraseMatcher::new(&intents))];
        Self { intents, chain }
    }

    pub fn intents(&self) -> &[Intent] {
        &self.intents
    }

    pub fn intent_index(&self, name: &str) -> Option<usize> {
        self.intents.iter().position(|i| i.name == name)
    }

    /// Runs the chain, cheapest first, and extracts entities.
    pub fn understand(&self, text: &str, locale: &str) -> Understanding {
        Understanding {
            intent: self.chain.iter().find_map(|m| m.best(text, locale)),
            order_number: entities::order_number(text),
        }
    }
}
