//! Understanding what the customer wrote: language identification, the
//! intent catalogue, the matcher chain and entities, over the text folding of
//! [`crate::normalize`].
//!
//! The chain runs cheapest first (after snips-nlu): an exact lookup of the
//! normalised utterance answers a known phrase with certainty; otherwise the
//! statistical classifier of the message's language ranks every intent, and
//! its calibrated confidence decides against that locale's no-match threshold.
//! Before it, [`vocabulary`] tells keyboard noise from words; Greek and
//! Russian typed in Latin letters are matched through [`translit`]'s
//! skeletons; the conversation's language is a prior ([`Nlu::parse`]).

pub mod cache;
pub mod classifier;
pub mod entities;
pub mod features;
pub mod intents;
pub mod langid;
pub mod negation;
pub mod translit;
pub mod vocabulary;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use entities::{Entity, Extractor};
pub use intents::{Action, Intent, Slot};

use cache::{CacheError, Decoder, Encoder, ModelCache};
use classifier::{
    argmax, held_out_scores, softmax, softmax_capped, threshold_within_budget, train_weights,
    LinearClassifier, SvmParams,
};
use features::{FeatureSpace, Sparse};
use langid::LanguageIdentifier;
use vocabulary::Vocabulary;

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
/// A parse in the conversation's language less confident than this (or
/// matching nothing) is tried in the language the text looks like.
pub const CROSS_LANGUAGE_BELOW: f64 = 0.5;
/// How confident another language's model must be to take a text the
/// conversation's language did not understand.
pub const CROSS_LANGUAGE_MIN: f64 = 0.8;
/// The highest confidence of a contested decision
/// ([`classifier::LinearClassifier::contested`]: one word decides a longer
/// message, or its sentences disagree). On the phone-style dev split such
/// decisions above it were all right (85 of 85), so it stays high; they are
/// held just under certainty, not below the no-match thresholds (0.25 to 0.39), so what
/// is answered does not change, only how sure it claims to be.
pub const CONTESTED_CONFIDENCE: f32 = 0.9;
/// Intents in a parse's ranking, at most (PROTOCOL.md `ranking`).
pub const RANKING_SIZE: usize = 5;
/// The content models' stopping rule (LIBLINEAR's default is 0.1): on the
/// bundled content 0.3 gives the same accuracy on the phone-style dev split
/// and held-out utterances for about a sixth less training.
const CONTENT_TOLERANCE: f32 = 0.3;
/// How much looser the cross-validation models' stopping rule is than the
/// final model's.
const FOLD_TOLERANCE_FACTOR: f32 = 3.0;
/// Folds of the cross-validation that calibrates each locale's model.
const CALIBRATION_FOLDS: usize = 2;

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
    /// Entities found in the text, in order ([`Extractor::extract`]).
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
    /// (locale, skeleton) -> intent index, for the languages typed in Latin
    /// letters too ([`translit`]).
    intent_by_skeleton: HashMap<(String, String), usize>,
}

impl ExactPhraseMatcher {
    /// Indexes every example of `intents` by its phrase key
    /// ([`normalize::phrase_key`] in the example's locale).
    pub fn new(intents: &[Intent]) -> Self {
        let mut intent_by_phrase: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut intent_by_skeleton = HashMap::new();
        for (index, intent) in intents.iter().enumerate() {
            for (locale, examples) in &intent.examples {
                for example in examples {
                    if translit::supports(locale) {
                        let skeleton = translit::skeleton(example, locale);
                        if !skeleton.is_empty() {
                            intent_by_skeleton
                                .entry((locale.clone(), skeleton))
                                .or_insert(index);
                        }
                    }
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
        Self {
            intent_by_phrase,
            intent_by_skeleton,
        }
    }

    /// Whether `word` alone is an example of intent `index` in any locale,
    /// exactly or (in `locale`, if it has skeletons) by its skeleton. An
    /// example of `locale` itself decides: Latin-typed Greek "ne" is a yes
    /// (ναι) in a Greek conversation, though German and Latvian have it as
    /// a no (a skeleton counts only for a word with no accented Latin
    /// letter: Greeklish and translit are typed in plain ASCII).
    pub fn is_example_of(&self, word: &str, locale: &str, index: usize) -> bool {
        let accented = translit::has_accented_latin(word);
        self.is_example_typed(word, locale, index, accented)
    }

    /// [`Self::is_example_of`] for a word of a text that had a Latin letter
    /// with a diacritic (`accented`) or not: folding takes the macron off
    /// "nē", so the caller says how it was typed.
    fn is_example_typed(&self, word: &str, locale: &str, index: usize, accented: bool) -> bool {
        let candidates = self
            .intent_by_phrase
            .get(&normalize::phrase_key(word, locale));
        let own = candidates
            .and_then(|candidates| candidates.iter().find(|(_, l)| l == locale))
            .map(|(i, _)| *i)
            // Greeklish and translit are typed in plain ASCII: "nē" is
            // Latvian, not a Greek "ne".
            .or_else(|| {
                (translit::supports(locale) && !accented)
                    .then(|| self.lookup_skeleton(word, locale))
                    .flatten()
            });
        match own {
            Some(own) => own == index,
            None => {
                candidates.is_some_and(|candidates| candidates.iter().any(|(i, _)| *i == index))
            }
        }
    }

    /// The intent of an example of `locale` whose skeleton equals that of
    /// `text` (a Latin-typed text in a language with a skeleton).
    pub fn lookup_skeleton(&self, text: &str, locale: &str) -> Option<usize> {
        self.intent_by_skeleton
            .get(&(locale.to_owned(), translit::skeleton(text, locale)))
            .copied()
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
        let skeletons = translit::supports(locale);
        let examples: Vec<(String, usize)> = intent_of_label
            .iter()
            .enumerate()
            .flat_map(|(label, &intent)| {
                intents[intent].examples[locale]
                    .iter()
                    .flat_map(move |text| {
                        // Latin-typed Greek and Russian are learnt as skeletons.
                        let skeleton = skeletons.then(|| (translit::skeleton(text, locale), label));
                        std::iter::once((text.clone(), label)).chain(skeleton)
                    })
            })
            .collect();
        let answers: Vec<bool> = intent_of_label
            .iter()
            .map(|&i| intents[i].action.answers())
            .collect();
        // Locales train side by side, one thread each; classes in turn.
        let params = SvmParams {
            tolerance: CONTENT_TOLERANCE,
            workers: 1,
            ..SvmParams::default()
        };
        // The fold models only score held-out examples for calibration: a
        // looser stopping rule costs little there and saves a sixth of the
        // solver's passes over the bundled content (7.3 to 6.1 million).
        let fold_params = SvmParams {
            tolerance: params.tolerance * FOLD_TOLERANCE_FACTOR,
            ..params
        };
        let stride = if skeletons { 2 } else { 1 };
        // One feature space for the folds and the final model: the folds'
        // IDF has seen their held-out texts, a small optimism traded for
        // extracting each example's features once.
        let space = FeatureSpace::fit(examples.iter().map(|(t, _)| t.as_str()), locale);
        let vectors: Vec<Sparse> = examples
            .iter()
            .map(|(text, _)| space.transform(text, locale))
            .collect();
        let rows: Vec<(&Sparse, usize)> = vectors
            .iter()
            .zip(examples.iter().map(|(_, l)| *l))
            .collect();
        let (n_features, n_classes) = (space.len() + 1, labels.len());
        // Held-out scores: each example scored by a model that never saw it
        // (an example and its skeleton fall in the same fold).
        let mut held_out: Vec<(Vec<f32>, usize)> = Vec::with_capacity(examples.len());
        // The folds' dual variables, summed per example and class, start the
        // final model's solver near its solution.
        let mut start = vec![vec![0.0f32; rows.len()]; n_classes];
        let mut trained_in = vec![0u32; rows.len()];
        for fold in 0..CALIBRATION_FOLDS {
            let in_fold = |i: usize| (i / stride) % CALIBRATION_FOLDS == fold;
            let (train_at, train): (Vec<usize>, Vec<(&Sparse, usize)>) = rows
                .iter()
                .enumerate()
                .filter(|(i, _)| !in_fold(*i))
                .map(|(i, r)| (i, *r))
                .unzip();
            let (test, labels): (Vec<&Sparse>, Vec<usize>) = rows
                .iter()
                .enumerate()
                .filter(|(i, _)| in_fold(*i))
                .map(|(_, (vector, label))| (*vector, *label))
                .unzip();
            let fold_model = held_out_scores(&train, &test, n_features, n_classes, fold_params);
            held_out.extend(fold_model.scores.into_iter().zip(labels));
            for (class, alphas) in fold_model.alphas.iter().enumerate() {
                for (&i, a) in train_at.iter().zip(alphas) {
                    start[class][i] += a;
                }
            }
            for &i in &train_at {
                trained_in[i] += 1;
            }
        }
        for alphas in &mut start {
            for (a, n) in alphas.iter_mut().zip(&trained_in) {
                *a /= (*n).max(1) as f32;
            }
        }
        let weights = train_weights(&rows, n_features, n_classes, params, &start);
        let mut classifier = LinearClassifier::from_parts(space, labels, weights, locale);
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

    fn encode(&self, out: &mut Encoder) {
        self.classifier.encode(out);
        let labels: Vec<u32> = self.intent_of_label.iter().map(|&i| i as u32).collect();
        out.u32s(&labels);
        out.f32(self.threshold);
    }

    /// Reads what [`LocaleModel::encode`] wrote, for a catalogue of
    /// `n_intents` intents.
    fn decode(input: &mut Decoder, n_intents: usize) -> Result<Self, CacheError> {
        let classifier = LinearClassifier::decode(input)?;
        let intent_of_label: Vec<usize> = input.u32s()?.into_iter().map(|i| i as usize).collect();
        if intent_of_label.len() != classifier.n_classes()
            || intent_of_label.iter().any(|&i| i >= n_intents)
        {
            return Err(CacheError::Corrupt("labels"));
        }
        Ok(Self {
            classifier,
            intent_of_label,
            threshold: input.f32()?,
        })
    }
}

/// What training makes and the cache stores: each locale's model, language
/// identification and the vocabulary.
type Trained = (
    BTreeMap<String, LocaleModel>,
    LanguageIdentifier,
    Vocabulary,
);

/// The intent catalogue and everything trained from it.
pub struct Nlu {
    intents: Vec<Intent>,
    exact: ExactPhraseMatcher,
    models: BTreeMap<String, LocaleModel>,
    langid: LanguageIdentifier,
    /// The languages language identification chooses from, without the
    /// Latin-typed forms it also learnt ([`LATIN_SUFFIX`]).
    languages: Vec<String>,
    vocabulary: Vocabulary,
    entities: Extractor,
    default_locale: String,
    /// Whether the models were read from a [`ModelCache`], not trained.
    from_cache: bool,
}

/// What language identification calls Greek or Russian typed in Latin
/// letters: `el` + this is Greeklish.
const LATIN_SUFFIX: &str = "-Latn";

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
        let examples = || {
            intents.iter().flat_map(|i| {
                i.examples
                    .iter()
                    .flat_map(|(l, e)| e.iter().map(move |t| (l.as_str(), t.as_str())))
            })
        };
        let latin: Vec<(String, String)> = examples()
            .filter(|(l, _)| translit::supports(l))
            .map(|(l, t)| (format!("{l}{LATIN_SUFFIX}"), translit::romanize(t, l)))
            .collect();
        // Language identification, the vocabulary and the exact phrases are
        // learnt on one thread while the locales' models train on the others.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let (models, (langid, vocabulary, exact)) = std::thread::scope(|scope| {
            // As many trainers as cores, each taking the next locale: fewer
            // threads, so fewer allocator heaps faulting in fresh memory.
            let trainers = std::thread::available_parallelism().map_or(1, |n| n.get());
            let handles: Vec<_> = (0..trainers.min(locales.len()))
                .map(|_| {
                    let (intents, locales, next) = (&intents, &locales, &next);
                    scope.spawn(move || {
                        let mut trained = Vec::new();
                        loop {
                            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(locale) = locales.get(at) else {
                                return trained;
                            };
                            trained.push((locale.clone(), LocaleModel::train(intents, locale)));
                        }
                    })
                })
                .collect();
            let rest = scope.spawn(|| {
                let mut samples: Vec<(&str, &str)> = Vec::new();
                samples.extend(examples());
                samples.extend(texts.iter().map(|(l, t)| (l.as_str(), t.as_str())));
                samples.extend(latin.iter().map(|(l, t)| (l.as_str(), t.as_str())));
                let langid = LanguageIdentifier::train(samples.into_iter());
                let vocabulary = Vocabulary::new(
                    examples(),
                    texts.iter().map(|(l, t)| (l.as_str(), t.as_str())),
                );

                (langid, vocabulary, ExactPhraseMatcher::new(&intents))
            });
            let models: BTreeMap<String, LocaleModel> = handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .filter_map(|(locale, model)| model.map(|m| (locale, m)))
                .collect();
            let rest = rest
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (models, rest)
        });
        Self::from_parts(intents, models, langid, vocabulary, exact, default_locale)
    }

    fn from_parts(
        intents: Vec<Intent>,
        models: BTreeMap<String, LocaleModel>,
        langid: LanguageIdentifier,
        vocabulary: Vocabulary,
        exact: ExactPhraseMatcher,
        default_locale: &str,
    ) -> Self {
        let languages = langid
            .languages()
            .iter()
            .filter(|l| !l.ends_with(LATIN_SUFFIX))
            .cloned()
            .collect();
        Self {
            exact,
            intents,
            models,
            langid,
            languages,
            vocabulary,
            entities: Extractor::default(),
            default_locale: default_locale.to_owned(),
            from_cache: false,
        }
    }

    /// Whether [`Nlu::load_or_train`] read the models from its cache
    /// (`false`: they were trained in this process).
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }

    /// [`Nlu::new`], through `cache`: models trained before on the same
    /// inputs by the same build are read back instead (identical, bit for
    /// bit); otherwise they are trained and stored. A cache that cannot be
    /// read or written is logged and trained around.
    pub fn load_or_train(
        intents: Vec<Intent>,
        texts: &[(String, String)],
        default_locale: &str,
        cache: &ModelCache,
    ) -> Self {
        let key = cache.key(&intents, texts, default_locale);
        match cache.open(&key) {
            Ok(Some(mut input)) => match Self::decode(&mut input, &intents)
                .and_then(|trained| input.finish().map(|()| trained))
            {
                Ok((models, langid, vocabulary)) => {
                    let exact = ExactPhraseMatcher::new(&intents);
                    return Self {
                        from_cache: true,
                        ..Self::from_parts(
                            intents,
                            models,
                            langid,
                            vocabulary,
                            exact,
                            default_locale,
                        )
                    };
                }
                Err(error) => tracing::warn!(%error, "model cache not used: training"),
            },
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "model cache not used: training"),
        }
        let nlu = Self::new(intents, texts, default_locale);
        let started = std::time::Instant::now();
        if let Err(error) = cache.write(&key, |out| nlu.encode(out)) {
            tracing::warn!(%error, "trained models not cached");
        }
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "trained models cached"
        );
        nlu
    }

    /// Writes the trained parts ([`Nlu::load_or_train`]'s cache payload).
    fn encode(&self, out: &mut Encoder) {
        out.count(self.models.len());
        for (locale, model) in &self.models {
            out.str(locale);
            model.encode(out);
        }
        self.langid.encode(out);
        self.vocabulary.encode(out);
    }

    /// Reads what [`Nlu::encode`] wrote, for `intents`.
    fn decode(input: &mut Decoder, intents: &[Intent]) -> Result<Trained, CacheError> {
        let n = input.count(8)?;
        let mut models = BTreeMap::new();
        for _ in 0..n {
            let locale = input.str()?;
            models.insert(locale, LocaleModel::decode(input, intents.len())?);
        }
        let langid = LanguageIdentifier::decode(input)?;
        let vocabulary = Vocabulary::decode(input)?;
        Ok((models, langid, vocabulary))
    }

    /// Uses `extractor` (the shop's order-number pattern) for entities from
    /// now on; until then, [`Extractor::default`].
    pub fn set_entities(&mut self, extractor: Extractor) {
        self.entities = extractor;
    }

    /// The entity extractor parses use.
    pub fn entities(&self) -> &Extractor {
        &self.entities
    }

    /// Whether a word of `text`, on its own, is an example of intent `index`
    /// (in any locale; Latin-typed Greek and Russian by skeleton): the "no"
    /// of "no thats ok", the "oxi" of "oxi, kala einai etsi" for `deny`.
    pub fn has_word_of(&self, text: &str, locale: &str, index: usize) -> bool {
        let accented = translit::has_accented_latin(text);
        normalize::tokens(text, locale)
            .iter()
            .any(|word| self.exact.is_example_typed(word, locale, index, accented))
    }

    /// Whether `text` as a whole is an example of intent `index` (its folded
    /// words, in any locale; Latin-typed Greek and Russian by skeleton).
    pub fn is_example_of(&self, text: &str, locale: &str, index: usize) -> bool {
        self.exact.is_example_of(text, locale, index)
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
        &self.languages
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
        let (language, switched, _) = self.language_and_guess(text, hint);
        (language, switched)
    }

    /// The language of a conversation's first message when the channel
    /// gives only a hint (`hint`: a supported locale, the app's UI language
    /// such as Telegram's `language_code`, else the default). A text of at
    /// most [`MAX_WORDS_KEEPING_LOCALE`] words leaves the hint's language
    /// only when language identification is clear about another
    /// ([`SWITCH_MARGIN`]), the text is understood there and has a word of
    /// that language the hint's does not know ("kargom nerede" from an
    /// English app is Turkish; "ok" and "no" stay in the hint's); otherwise,
    /// and for longer texts, the text is read as a turn in the hint's
    /// language would be ([`Nlu::parse`]).
    pub fn first_language(&self, text: &str, hint: &str) -> String {
        let words = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        if words <= MAX_WORDS_KEEPING_LOCALE {
            let clear = self
                .guess(text)
                .filter(|g| g.language != hint && g.margin >= SWITCH_MARGIN);
            if let Some(guess) = clear {
                let understood = self.parse_in(text, &guess.language, None).intent.is_some();
                if understood && self.vocabulary.has_own_word(text, &guess.language, hint) {
                    return guess.language;
                }
            }
        }
        self.parse(text, Some(hint)).language
    }

    /// [`Nlu::language`], with language identification's guess (Latin-typed
    /// Greek and Russian as `el` and `ru`) when it was asked.
    fn language_and_guess(&self, text: &str, hint: Option<&str>) -> (String, bool, Option<String>) {
        let words = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        if let (Some(hint), true) = (hint, words <= MAX_WORDS_KEEPING_LOCALE) {
            // Too short to tell: no need to ask language identification.
            return (hint.to_owned(), false, None);
        }
        let guess = self.guess(text);
        let (language, switched) = match (hint, &guess) {
            (Some(hint), Some(guess))
                if guess.language != hint && guess.margin >= SWITCH_MARGIN =>
            {
                (guess.language.clone(), true)
            }
            (Some(hint), _) => (hint.to_owned(), false),
            (None, Some(guess)) => (guess.language.clone(), false),
            (None, None) => (self.default_locale.clone(), false),
        };
        (language, switched, guess.map(|g| g.language))
    }

    /// Language identification's guess, Latin-typed Greek and Russian named
    /// `el` and `ru`.
    fn guess(&self, text: &str) -> Option<langid::Guess> {
        self.langid.identify(text).map(|mut g| {
            if let Some(native) = g.language.strip_suffix(LATIN_SUFFIX) {
                g.language = native.to_owned();
            }
            g
        })
    }

    /// Language, intent and entities of `text`; `hint` is the conversation's
    /// locale, a prior rather than a wall:
    ///
    /// - the language switches from the hint only when the text is understood
    ///   in the other language: text that merely looks foreign (a name) keeps
    ///   the conversation's language;
    /// - a code-mixed text ("parcel sy dah shipped ke belum") that the hint's
    ///   model understands and that has a word only the hint's language knows
    ///   stays in the hint's language;
    /// - a text the hint's model does not understand with
    ///   [`CROSS_LANGUAGE_BELOW`] confidence, short ones included ("kargom
    ///   nerde" in an English conversation), switches to the language
    ///   identification's guess when that language's model understands it with
    ///   [`CROSS_LANGUAGE_MIN`];
    /// - keyboard noise ([`Vocabulary::is_noise`]) matches no intent, nor
    ///   does a text without a letter (a bare order number, an emoji) unless
    ///   it is a whole example.
    ///
    /// Each parse's time goes to `/metrics` (`switchboard_nlu_parse_seconds`).
    pub fn parse(&self, text: &str, hint: Option<&str>) -> Parse {
        let started = std::time::Instant::now();
        let parse = if text.chars().any(crate::domain::is_invisible) {
            // A zero-width space inside a word ("ka\u{200B}rgom") is read
            // without it; entity offsets still count the text as sent.
            let (kept, visible): (Vec<usize>, String) = text
                .chars()
                .enumerate()
                .filter(|(_, c)| !crate::domain::is_invisible(*c))
                .unzip();
            let mut parse = self.parse_untimed(&visible, hint);
            let total = text.chars().count();
            for entity in &mut parse.entities {
                entity.start = kept.get(entity.start).copied().unwrap_or(total);
                entity.end = match entity.end.checked_sub(1).and_then(|last| kept.get(last)) {
                    Some(last) => last + 1,
                    None => entity.start,
                };
            }
            parse
        } else {
            self.parse_untimed(text, hint)
        };
        metrics::histogram!(crate::telemetry::NLU_PARSE).record(started.elapsed().as_secs_f64());
        parse
    }

    /// [`Nlu::parse`], unmeasured.
    fn parse_untimed(&self, text: &str, hint: Option<&str>) -> Parse {
        let (language, switched, guess) = self.language_and_guess(text, hint);
        if self.vocabulary.is_noise(text) {
            return self.unmatched(text, hint.unwrap_or(&language));
        }
        let Some(hint) = hint else {
            return self.parse_in(text, &language, None);
        };
        if switched {
            // The other language's reading wins unless it understands nothing
            // or the hint's model understands the text and it has a word only
            // the hint's language knows; the hint's model is asked only then.
            let other = self.parse_in(text, &language, Some(hint));
            if other.intent.is_some() && !self.vocabulary.has_own_word(text, hint, &language) {
                return Parse {
                    switched: true,
                    ..other
                };
            }
            let own = self.parse_in(text, hint, Some(hint));
            if other.intent.is_some() && own.intent.is_none() {
                return Parse {
                    switched: true,
                    ..other
                };
            }
            return own;
        }
        let own = self.parse_in(text, hint, Some(hint));
        let own_confidence = own.intent.as_ref().map_or(0.0, |m| m.confidence);
        if own_confidence >= CROSS_LANGUAGE_BELOW {
            // Short texts skipped language identification.
            let foreign = guess
                .is_none()
                .then(|| self.foreign_short_text(text, hint))
                .flatten();
            return foreign.unwrap_or(own);
        }
        // Short texts skipped language identification: ask it now.
        let Some(guess) = guess.or_else(|| self.guess(text).map(|g| g.language)) else {
            return own;
        };
        if guess == hint {
            return own;
        }
        let other = self.parse_in(text, &guess, Some(hint));
        match &other.intent {
            Some(m) if m.confidence >= CROSS_LANGUAGE_MIN && m.confidence > own_confidence => {
                Parse {
                    switched: true,
                    ..other
                }
            }
            _ => own,
        }
    }

    /// A short text (one that skipped language identification) that the
    /// hint's model understood, read in another language instead when it is
    /// plainly written in that one: language identification is clear about
    /// it ([`SWITCH_MARGIN`]), the text has a word that only that language
    /// knows, and none the hint's knows and it does not, and that
    /// language's model understands it with [`CROSS_LANGUAGE_MIN`]. "wo
    /// paket" in a Turkish conversation is German ("paket" is Turkish too,
    /// "wo" is German only), where the Turkish model had read a late
    /// delivery; "ja" in an English one stays English ("ja" is German and
    /// Latvian: it does not say which).
    fn foreign_short_text(&self, text: &str, hint: &str) -> Option<Parse> {
        let guess = self
            .guess(text)
            .filter(|g| g.language != hint && g.margin >= SWITCH_MARGIN)?;
        let (vocabulary, language) = (&self.vocabulary, guess.language.as_str());
        if !vocabulary.has_word_only_in(text, language)
            || vocabulary.has_own_word(text, hint, language)
        {
            return None;
        }
        let other = self.parse_in(text, language, Some(hint));
        other
            .intent
            .as_ref()
            .is_some_and(|m| m.confidence >= CROSS_LANGUAGE_MIN)
            .then_some(Parse {
                switched: true,
                ..other
            })
    }

    /// A parse of `text` in `language` that matches nothing.
    fn unmatched(&self, text: &str, language: &str) -> Parse {
        Parse {
            language: language.to_owned(),
            switched: false,
            intent: None,
            ranking: Vec::new(),
            probabilities: Vec::new(),
            entities: self.entities.extract(text, language),
        }
    }

    /// Parses `text` as written in `language`.
    fn parse_in(&self, text: &str, language: &str, hint: Option<&str>) -> Parse {
        let mut language = language.to_owned();
        let mut switched = false;
        let entities = self.entities.extract(text, &language);
        let latin = translit::is_latin_for(text, &language);
        let exact = if latin {
            self.exact
                .lookup_skeleton(text, &language)
                .map(|i| (i, language.as_str()))
        } else {
            self.exact.lookup(text, &language)
        };
        if let Some((intent, example_locale)) = exact {
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
        // A text without a letter ("1004527", "#1004527", "👍") names an
        // intent only as a whole example: the classifier would read the
        // digits it learnt from example sentences (the demo's order numbers)
        // as a topic, "1004527" alone as a late delivery at 0.34 in Turkish.
        let worded = text.chars().any(char::is_alphabetic);
        let (true, Some(model)) = (worded, self.models.get(&language)) else {
            return Parse {
                language,
                switched,
                intent: None,
                ranking: Vec::new(),
                probabilities: Vec::new(),
                entities,
            };
        };
        let skeleton;
        let input = if latin {
            skeleton = translit::skeleton(text, &language);
            skeleton.as_str()
        } else {
            text
        };
        let classifier = &model.classifier;
        let evidence = classifier.evidence(input);
        let scores = &evidence.scores;
        let mut by_label = softmax(scores, classifier.temperature);
        let (top, top_probability) = argmax(&by_label);
        // A contested decision is never certain: a clarifying question
        // beats a wrong answer given with confidence.
        if top_probability > CONTESTED_CONFIDENCE && classifier.contested(input, &evidence, top) {
            by_label = softmax_capped(scores, classifier.temperature, CONTESTED_CONFIDENCE);
        }
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
        let parse = Parse {
            language,
            switched,
            intent,
            ranking,
            probabilities,
            entities,
        };
        self.without_declined(text, parse, hint)
    }

    /// A parse for a person, a no or the bot, read again without the
    /// clauses that decline something ([`negation`]). For a person: "ne nado
    /// operatora, gde moi zakaz" asks where the order is; "insan
    /// istemiyorum" is a no (the `deny` intent, at the person request's
    /// confidence); "ne nado bota, operatora" (no bot: an operator) still
    /// asks for a person. For a no or the bot, a person left counts ("i dont
    /// want to wait, get me a human", "ne bots, ists cilveks"), and a topic
    /// after a negated want ("tak perlu agen, mana barang saya"); after a
    /// bare no, the parse stays a no ("no, its 1004527": the conversation
    /// knows whether a question waits for it). What is left must be a person or a topic
    /// ([`Action::topical`]), in two words or more or at
    /// [`CROSS_LANGUAGE_MIN`] ("zakaz"): a pronoun or a courtesy left over
    /// ("ich", "please") says nothing, and the parse stays as it was (a
    /// person: a no; declining the bot: a person). Any other parse is returned as it is: a topic's
    /// declined clause may hold what the rest is about ("yillik
    /// uyeligimi yenilemek istemiyorum, nasil iptal ederim" is the
    /// membership's cancellation, not an order's; the phone-typed frozen
    /// split lost it when topics were read again too).
    fn without_declined(&self, text: &str, parse: Parse, hint: Option<&str>) -> Parse {
        let Some(asked) = parse.intent.as_ref() else {
            return parse;
        };
        let person = |intent: usize| {
            matches!(
                self.intents[intent].action,
                Action::Handoff {
                    reason: crate::domain::HandoffReason::CustomerRequest,
                    ..
                }
            )
        };
        let deny = self.intent_index("deny");
        let asks_person = person(asked.intent);
        let topical = |intent: usize| self.intents[intent].action.topical();
        let about_the_bot = self.intents[asked.intent].name == "bot_identity";
        if !asks_person && deny != Some(asked.intent) && !about_the_bot {
            return parse;
        }
        let Some(declines) = negation::read_declines(text, &parse.language) else {
            return parse;
        };
        let rest = declines.rest;
        let again = self.parse_in(&rest, &parse.language, hint);
        let said = |m: &IntentMatch| {
            person(m.intent)
                || (topical(m.intent)
                    && (rest.split_whitespace().count() > 1 || m.confidence >= CROSS_LANGUAGE_MIN))
        };
        match again.intent.as_ref() {
            Some(m) if asks_person && person(m.intent) => parse,
            // A no read again only for a person: "no, its 1004527" answers
            // an open question, which the conversation knows of and the
            // parse does not (it reads a no, then a request, itself).
            Some(m) if said(m) && (asks_person || person(m.intent) || declines.wants) => Parse {
                language: parse.language,
                switched: parse.switched,
                entities: parse.entities,
                ..again
            },
            _ => {
                // Declining the bot, and nothing more, asks for a person
                // ("i dont want to chat with a bot", "ne bots, ists
                // cilveks"); declining a person, and nothing more, is a no.
                let instead = match (declines.the_bot, asks_person) {
                    (true, _) => (0..self.intents.len()).find(|i| person(*i)),
                    (false, true) => deny,
                    (false, false) => None,
                };
                let Some(intent) = instead else {
                    return parse;
                };
                let reading = IntentMatch {
                    intent,
                    confidence: asked.confidence,
                };
                Parse {
                    intent: Some(reading.clone()),
                    ranking: vec![reading],
                    probabilities: vec![(intent, asked.confidence as f32)],
                    ..parse
                }
            }
        }
    }
}

/// Loads the intent files in `dir`, sorted by name. Errs as
/// [`intents::load`] does.
pub fn load_intents(dir: &Path) -> Result<Vec<Intent>, NluError> {
    intents::load(dir)
}
