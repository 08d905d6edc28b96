//! Understanding what the customer wrote: language identification, the
//! intent catalogue, the matcher chain and entities, over the text folding of
//! [`crate::normalize`].
//!
//! The chain runs cheapest first (after snips-nlu): an exact lookup of the
//! normalised utterance answers a known phrase with certainty; otherwise the
//! statistical classifier of the message's language ranks every intent, and
//! its calibrated confidence decides against that locale's no-match threshold.

pub mod classifier;
pub mod entities;
pub mod features;
pub mod intents;
pub mod langid;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use entities::Entity;
pub use intents::{Action, Intent, Slot};

use classifier::{argmax, softmax, threshold_within_budget, LinearClassifier, SvmParams};
use langid::LanguageIdentifier;

use crate::normalize;

/// Why `intents/` cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum NluError {
    /// The folder or an intent file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An intent file is not valid TOML of the expected shape.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The `.toml` file.
        path: PathBuf,
        /// 1-based line of the error (1 if unknown).
        line: usize,
        /// The TOML parser's description of it.
        message: String,
    },
    /// The folder (the path given) holds no `*.toml` file.
    #[error("{0}: no intent files found")]
    NoIntents(PathBuf),
}

/// Messages of this many words (with a letter in them) or fewer keep the
/// conversation's language: too short to tell ("ok", "taksi") and not worth
/// a switch.
pub const MAX_WORDS_KEEPING_LOCALE: usize = 2;
/// How much more likely (mean log-probability per n-gram) another language must
/// be before the conversation follows the customer into it.
pub const SWITCH_MARGIN: f32 = 0.25;
/// Intents in a parse's ranking, at most (PROTOCOL.md `ranking`).
pub const RANKING_SIZE: usize = 5;
/// Folds of the cross-validation that calibrates each locale's model.
const CALIBRATION_FOLDS: usize = 3;

/// An intent with its confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentMatch {
    /// Index into [`Nlu::intents`].
    pub intent: usize,
    /// The calibrated probability, 0.0 to 1.0 (1.0 for an exact phrase).
    pub confidence: f64,
}

/// What the NLU made of one utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct Parse {
    /// The language the utterance was understood in.
    pub language: String,
    /// Whether that differs from the hint because the text clearly is in it.
    pub switched: bool,
    /// The answerable intent, if one is confident enough.
    pub intent: Option<IntentMatch>,
    /// The best answerable intents, most likely first.
    pub ranking: Vec<IntentMatch>,
    /// The calibrated probability of every intent of the parse's language
    /// (the out-of-scope class included), by intent index: what the classifier
    /// computed once, for retrieval to reuse. An exact phrase is certain of
    /// its intent; empty without a model for the language.
    pub probabilities: Vec<(usize, f32)>,
    /// Entities found in the text, in order ([`entities::extract`]).
    pub entities: Vec<Entity>,
}

impl Parse {
    /// The value of the first entity of `kind` (e.g. [`entities::ORDER_NUMBER`]).
    pub fn entity(&self, kind: &str) -> Option<&str> {
        self.entities
            .iter()
            .find(|e| e.entity == kind)
            .map(|e| e.value.as_str())
    }
}

/// Matches an utterance whose normalised words equal those of an example.
pub struct ExactPhraseMatcher {
    /// Phrase key -> (intent index, locale of the example).
    intent_by_phrase: HashMap<String, Vec<(usize, String)>>,
}

impl ExactPhraseMatcher {
    /// Indexes every example of `intents` by its phrase key
    /// ([`normalize::phrase_key`] in the example's locale).
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

    /// The intent of an example with the same folded words, preferring one of
    /// `locale`, with that example's locale; `None` if no example has them.
    pub fn lookup(&self, text: &str, locale: &str) -> Option<(usize, &str)> {
        let candidates = self
            .intent_by_phrase
            .get(&normalize::phrase_key(text, locale))?;
        candidates
            .iter()
            .find(|(_, l)| l == locale)
            .or_else(|| candidates.first())
            .map(|(i, l)| (*i, l.as_str()))
    }
}

/// One locale's classifier and its no-match threshold.
pub struct LocaleModel {
    classifier: LinearClassifier,
    /// The intent index of each classifier label.
    intent_of_label: Vec<usize>,
    /// Calibrated confidence under which nothing matches, 0.00 to 0.99: the
    /// highest that costs at most [`classifier::IN_SCOPE_BUDGET`] of held-out
    /// in-scope accuracy (3-fold cross-validation).
    pub threshold: f32,
}

impl LocaleModel {
    /// Trains on every example of `locale`, calibrating by cross-validation.
    fn train(intents: &[Intent], locale: &str) -> Option<Self> {
        let intent_of_label: Vec<usize> = intents
            .iter()
            .enumerate()
            .filter(|(_, i)| i.examples.get(locale).is_some_and(|e| !e.is_empty()))
            .map(|(index, _)| index)
            .collect();
        if intent_of_label.len() < 2 {
            return None;
        }
        let labels: Vec<String> = intent_of_label
            .iter()
            .map(|&i| intents[i].name.clone())
            .collect();
        let examples: Vec<(String, usize)> = intent_of_label
            .iter()
            .enumerate()
            .flat_map(|(label, &intent)| {
                intents[intent].examples[locale]
                    .iter()
                    .map(move |text| (text.clone(), label))
            })
            .collect();
        let answers: Vec<bool> = intent_of_label
            .iter()
            .map(|&i| intents[i].action.answers())
            .collect();
        let params = SvmParams::default();
        // Held-out scores: each example scored by a model that never saw it.
        let mut held_out: Vec<(Vec<f32>, usize)> = Vec::with_capacity(examples.len());
        for fold in 0..CALIBRATION_FOLDS {
            let (test, train): (Vec<_>, Vec<_>) = examples
                .iter()
                .enumerate()
                .partition(|(i, _)| i % CALIBRATION_FOLDS == fold);
            let train: Vec<(String, usize)> = train.into_iter().map(|(_, e)| e.clone()).collect();
            let model = LinearClassifier::train(&train, labels.clone(), locale, params);
            held_out.extend(
                test.into_iter()
                    .map(|(_, (text, label))| (model.scores(text), *label)),
            );
        }
        let mut classifier = LinearClassifier::train(&examples, labels, locale, params);
        classifier.calibrate(&held_out);
        let predictions: Vec<(usize, f32, usize)> = held_out
            .iter()
            .map(|(scores, gold)| {
                let probabilities = softmax(scores, classifier.temperature);
                let (best, confidence) = argmax(&probabilities);
                (best, confidence, *gold)
            })
            .collect();
        // In-scope: examples of answerable intents, right and confident enough.
        let in_scope_at = |t: f32| {
            let (mut total, mut right) = (0usize, 0usize);
            for (best, confidence, gold) in &predictions {
                if answers[*gold] {
                    total += 1;
                    right += usize::from(best == gold && *confidence >= t);
                }
            }
            right as f64 / total.max(1) as f64
        };
        let threshold = threshold_within_budget(in_scope_at);
        tracing::debug!(
            locale,
            threshold,
            temperature = classifier.temperature,
            held_out_accuracy = in_scope_at(0.0),
            "intent model trained"
        );
        Some(Self {
            classifier,
            intent_of_label,
            threshold,
        })
    }
}

/// The intent catalogue and everything trained from it.
pub struct Nlu {
    intents: Vec<Intent>,
    exact: ExactPhraseMatcher,
    models: BTreeMap<String, LocaleModel>,
    langid: LanguageIdentifier,
    default_locale: String,
}

impl Nlu {
    /// Trains on `intents`; `texts` are further (locale, text) samples of each
    /// language (messages, articles) for language identification.
    pub fn new(intents: Vec<Intent>, texts: &[(String, String)], default_locale: &str) -> Self {
        let mut locales: Vec<String> = intents
            .iter()
            .flat_map(|i| i.examples.keys().cloned())
            .collect();
        locales.sort();
        locales.dedup();
        let models: BTreeMap<String, LocaleModel> = std::thread::scope(|scope| {
            let handles: Vec<_> = locales
                .iter()
                .map(|locale| {
                    let intents = &intents;
                    scope.spawn(move || (locale.clone(), LocaleModel::train(intents, locale)))
                })
                .collect();
            handles
                .into_iter()
                .filter_map(|h| {
                    let (locale, model) = h
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    model.map(|m| (locale, m))
                })
                .collect()
        });
        let samples = intents
            .iter()
            .flat_map(|i| {
                i.examples
                    .iter()
                    .flat_map(|(l, e)| e.iter().map(move |t| (l.as_str(), t.as_str())))
            })
            .chain(texts.iter().map(|(l, t)| (l.as_str(), t.as_str())));
        let langid = LanguageIdentifier::train(samples);
        Self {
            exact: ExactPhraseMatcher::new(&intents),
            intents,
            models,
            langid,
            default_locale: default_locale.to_owned(),
        }
    }

    /// The catalogue, sorted by file name: intent indexes point into it.
    pub fn intents(&self) -> &[Intent] {
        &self.intents
    }

    /// The index of the intent called `name`; `None` if there is none.
    pub fn intent_index(&self, name: &str) -> Option<usize> {
        self.intents.iter().position(|i| i.name == name)
    }

    /// The calibrated probability of every intent for `text` in `locale`
    /// (out-of-scope class included), by intent index; empty without a model.
    pub fn intent_probabilities(&self, text: &str, locale: &str) -> Vec<(usize, f32)> {
        let Some(model) = self.models.get(locale) else {
            return Vec::new();
        };
        model
            .classifier
            .probabilities(text)
            .into_iter()
            .enumerate()
            .map(|(label, p)| (model.intent_of_label[label], p))
            .collect()
    }

    /// The languages language identification chooses from.
    pub fn languages(&self) -> &[String] {
        self.langid.languages()
    }

    /// The no-match threshold of each locale with a model, by locale tag.
    pub fn thresholds(&self) -> impl Iterator<Item = (&str, f32)> {
        self.models.iter().map(|(l, m)| (l.as_str(), m.threshold))
    }

    /// The language of `text`, given the conversation's language `hint`, and
    /// whether it differs from the hint. Short texts keep the hint
    /// ([`MAX_WORDS_KEEPING_LOCALE`]); another language wins only by
    /// [`SWITCH_MARGIN`]; with no hint and no letters, the default locale.
    pub fn language(&self, text: &str, hint: Option<&str>) -> (String, bool) {
        let words = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        if let (Some(hint), true) = (hint, words <= MAX_WORDS_KEEPING_LOCALE) {
            // Too short to tell: no need to ask language identification.
            return (hint.to_owned(), false);
        }
        match (hint, self.langid.identify(text)) {
            (Some(hint), Some(guess))
                if guess.language != hint && guess.margin >= SWITCH_MARGIN =>
            {
                (guess.language, true)
            }
            (Some(hint), _) => (hint.to_owned(), false),
            (None, Some(guess)) => (guess.language, false),
            (None, None) => (self.default_locale.clone(), false),
        }
    }

    /// Language, intent and entities of `text`; `hint` is the conversation's
    /// locale. The language switches from the hint only when the text is
    /// understood in the other language: text that merely looks foreign
    /// (gibberish, a name) keeps the conversation's language.
    pub fn parse(&self, text: &str, hint: Option<&str>) -> Parse {
        let (language, switched) = self.language(text, hint);
        let parse = self.parse_in(text, &language, hint);
        match hint {
            Some(hint) if switched && parse.intent.is_none() => {
                self.parse_in(text, hint, Some(hint))
            }
            _ => Parse {
                switched: parse.switched || switched,
                ..parse
            },
        }
    }

    /// Parses `text` as written in `language`.
    fn parse_in(&self, text: &str, language: &str, hint: Option<&str>) -> Parse {
        let mut language = language.to_owned();
        let mut switched = false;
        let entities = entities::extract(text);
        if let Some((intent, example_locale)) = self.exact.lookup(text, &language) {
            // A whole example of another language, long enough to be sure.
            if example_locale != language
                && self.models.contains_key(example_locale)
                && text.split_whitespace().count() > MAX_WORDS_KEEPING_LOCALE
            {
                language = example_locale.to_owned();
            }
            switched = hint.is_some_and(|h| h != language);
            let hit = IntentMatch {
                intent,
                confidence: 1.0,
            };
            let answerable = self.intents[intent].action.answers();
            return Parse {
                language,
                switched,
                intent: answerable.then(|| hit.clone()),
                ranking: if answerable { vec![hit] } else { Vec::new() },
                probabilities: vec![(intent, 1.0)],
                entities,
            };
        }
        let Some(model) = self.models.get(&language) else {
            return Parse {
                language,
                switched,
                intent: None,
                ranking: Vec::new(),
                probabilities: Vec::new(),
                entities,
            };
        };
        let by_label = model.classifier.probabilities(text);
        let probabilities: Vec<(usize, f32)> = by_label
            .iter()
            .enumerate()
            .map(|(label, p)| (model.intent_of_label[label], *p))
            .collect();
        let mut ranked: Vec<(usize, f32)> = by_label.into_iter().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best_label, best_confidence) = ranked[0];
        let best_intent = model.intent_of_label[best_label];
        let intent = (self.intents[best_intent].action.answers()
            && best_confidence >= model.threshold)
            .then_some(IntentMatch {
                intent: best_intent,
                confidence: f64::from(best_confidence),
            });
        let ranking = ranked
            .into_iter()
            .map(|(label, p)| (model.intent_of_label[label], p))
            .filter(|(i, _)| self.intents[*i].action.answers())
            .take(RANKING_SIZE)
            .map(|(intent, p)| IntentMatch {
                intent,
                confidence: f64::from(p),
            })
            .collect();
        Parse {
            language,
            switched,
            intent,
            ranking,
            probabilities,
            entities,
        }
    }
}

/// Loads the intent files in `dir`, sorted by name. Errs as
/// [`intents::load`] does.
pub fn load_intents(dir: &Path) -> Result<Vec<Intent>, NluError> {
    intents::load(dir)
}
