//! Everything the bot answers from, loaded and trained as one unit so that a
//! reload swaps all of it at once.

use std::collections::HashMap;
use std::path::Path;

use super::checks::Problem;
use crate::knowledge::{strength, Article, Hit, KnowledgeError, KnowledgeIndex};
use crate::l10n::{L10nError, Localizer};
use crate::nlu::cache::ModelCache;
use crate::nlu::{Action, Nlu, NluError};

/// Why content cannot be loaded (and a reload keeps the old content).
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// `locales/` cannot be loaded.
    #[error("locales: {0}")]
    Locales(#[from] L10nError),
    /// `intents/` cannot be loaded.
    #[error("intents: {0}")]
    Intents(#[from] NluError),
    /// `knowledge/` cannot be loaded.
    #[error("articles: {0}")]
    Knowledge(#[from] KnowledgeError),
    /// The content checks failed: every problem, `; `-separated when shown.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Check(Vec<Problem>),
}

/// How much the intent classifier counts against BM25 when ranking articles:
/// a hit's score is its BM25 score over the best hit's (0 to 1) plus this
/// times the highest probability of an intent the article backs up.
const INTENT_WEIGHT: f32 = 1.0;
/// The share of out-of-scope examples whose passage strength a real answer
/// must beat: the threshold is the 75th percentile of their strengths.
const OUT_OF_SCOPE_QUANTILE: f64 = 0.75;

/// The bundle a conversation engine answers from; immutable once built.
pub struct Content {
    /// The intent catalogue and the models trained from it.
    pub nlu: Nlu,
    /// The Fluent bundles: the supported locales.
    pub l10n: Localizer,
    /// The help centre's articles and their BM25 index.
    pub knowledge: KnowledgeIndex,
    /// Per locale: the passage strength under which no article answers.
    passage_thresholds: HashMap<String, f32>,
    /// Per article (by index): the article most related to it, ranked once
    /// at load from its title, offered under a passage answer.
    related: Vec<Option<usize>>,
}

impl Content {
    /// Loads `locales/`, `intents/` and `knowledge/` under `dir`, refuses
    /// content that fails the checks, and trains the NLU (blocking: seconds
    /// of CPU for the bundled content), or reads it from `cache` when the
    /// same build trained the same content before ([`ModelCache`]).
    ///
    /// # Errors
    ///
    /// [`ContentError::Check`] with every problem the checks find (they run
    /// beside the loading, and their findings win); otherwise the first
    /// loading error of the locales, intents or articles.
    pub fn load(dir: &Path, cache: Option<&ModelCache>) -> Result<Self, ContentError> {
        let started = std::time::Instant::now();
        // The checks read the files on a thread of their own while the
        // content loads and trains; their findings win over a loading error.
        let (problems, loaded) = std::thread::scope(|scope| {
            let checks = scope.spawn(|| super::checks::check_content(dir));
            let loaded = Self::load_parts(dir, cache);
            let problems = checks
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (problems, loaded)
        });
        if !problems.is_empty() {
            return Err(ContentError::Check(problems));
        }
        let (nlu, l10n, articles) = loaded?;
        let content = Self::new(nlu, l10n, KnowledgeIndex::new(articles));
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            intents = content.nlu.intents().len(),
            articles = content.knowledge.articles().len(),
            models = if content.nlu.from_cache() { "cached" } else { "trained" },
            thresholds = ?content.nlu.thresholds().collect::<Vec<_>>(),
            "content loaded"
        );
        Ok(content)
    }

    /// Reads the locales, intents and articles and trains the NLU on them
    /// (through `cache` if given).
    fn load_parts(
        dir: &Path,
        cache: Option<&ModelCache>,
    ) -> Result<(Nlu, Localizer, Vec<crate::knowledge::Article>), ContentError> {
        let l10n = Localizer::load(&dir.join("locales"))?;
        let intents = crate::nlu::load_intents(&dir.join("intents"))?;
        let articles = crate::knowledge::load(&dir.join("knowledge"))?;
        let mut texts = l10n.plain_texts();
        texts.extend(articles.iter().flat_map(|a| {
            a.sections
                .iter()
                .map(|s| (a.locale.clone(), s.text.clone()))
        }));
        let default_locale = l10n.default_locale();
        let default_locale = default_locale.as_str();
        let nlu = match cache {
            Some(cache) => Nlu::load_or_train(intents, &texts, default_locale, cache),
            None => Nlu::new(intents, &texts, default_locale),
        };
        Ok((nlu, l10n, articles))
    }

    /// Content from parts already loaded: calibrates each locale's passage
    /// threshold and ranks each article's most related one (no checks).
    pub fn new(nlu: Nlu, l10n: Localizer, knowledge: KnowledgeIndex) -> Self {
        let mut content = Self {
            nlu,
            l10n,
            knowledge,
            passage_thresholds: HashMap::new(),
            related: Vec::new(),
        };
        content.passage_thresholds = content.calibrate_passages();
        content.related = (0..content.knowledge.articles().len())
            .map(|index| {
                let article = content.article(index);
                content
                    .answer_passages(&article.title, &article.locale)
                    .0
                    .into_iter()
                    .map(|hit| hit.article)
                    .find(|other| *other != index)
            })
            .collect();
        content
    }

    /// For each locale, the strength that out-of-scope examples (the `out_of_scope`
    /// intents) reach at the [`OUT_OF_SCOPE_QUANTILE`]: passages must be stronger.
    fn calibrate_passages(&self) -> HashMap<String, f32> {
        let mut by_locale: HashMap<String, Vec<f32>> = HashMap::new();
        for intent in self.nlu.intents() {
            if intent.action.answers() {
                continue;
            }
            for (locale, examples) in &intent.examples {
                let strengths = by_locale.entry(locale.clone()).or_default();
                for example in examples {
                    let (hits, terms) = self.knowledge.search(example, locale, 1);
                    strengths.push(strength(&hits, terms));
                }
            }
        }
        by_locale
            .into_iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(locale, mut strengths)| {
                strengths.sort_by(f32::total_cmp);
                let at = ((strengths.len() - 1) as f64 * OUT_OF_SCOPE_QUANTILE).round() as usize;
                (locale, strengths[at])
            })
            .collect()
    }

    /// The passage strength ([`strength`]) a knowledge answer must reach in
    /// `locale` with no intent matched; `None` if the locale has no
    /// out-of-scope examples (then no passage answers on its own).
    pub fn passage_threshold(&self, locale: &str) -> Option<f32> {
        self.passage_thresholds.get(locale).copied()
    }

    /// The article at `index` in [`KnowledgeIndex::articles`]; panics if
    /// out of range.
    pub fn article(&self, index: usize) -> &Article {
        &self.knowledge.articles()[index]
    }

    /// The index of article `id` in `locale`; `None` if that language has no
    /// copy of it.
    pub fn article_by_id(&self, id: &str, locale: &str) -> Option<usize> {
        self.knowledge
            .articles()
            .iter()
            .position(|a| a.id == id && a.locale == locale)
    }

    /// Indexes of the articles of `locale` that back up `intent` (their front
    /// matter's `intents`), in load order.
    pub fn articles_for_intent(&self, intent: &str, locale: &str) -> Vec<usize> {
        self.knowledge
            .articles()
            .iter()
            .enumerate()
            .filter(|(_, a)| a.locale == locale && a.intents.iter().any(|i| i == intent))
            .map(|(i, _)| i)
            .collect()
    }

    /// The index of the article most related to `article` (the best other
    /// hit for its title, in its language), if any.
    pub fn related(&self, article: usize) -> Option<usize> {
        self.related.get(article).copied().flatten()
    }

    /// Article ids ranked for a question in `locale`, best first.
    pub fn search_articles(&self, text: &str, locale: &str) -> Vec<String> {
        self.answer_passages(text, locale)
            .0
            .into_iter()
            .map(|hit| self.article(hit.article).id.clone())
            .collect()
    }

    /// Sections that answer `text`, best first (BM25 relative to the best hit,
    /// plus how likely the question is one of the article's intents), and the
    /// raw strength of the best BM25 match.
    pub fn answer_passages(&self, text: &str, locale: &str) -> (Vec<Hit>, f32) {
        self.rank_passages(text, locale, &self.nlu.intent_probabilities(text, locale))
    }

    /// [`Self::answer_passages`] with the intent probabilities already known
    /// (a turn's parse computed them).
    pub fn rank_passages(
        &self,
        text: &str,
        locale: &str,
        intents: &[(usize, f32)],
    ) -> (Vec<Hit>, f32) {
        let (mut hits, terms) = self.knowledge.search(text, locale, 10);
        let raw = strength(&hits, terms);
        let Some(top) = hits.first().map(|h| h.score) else {
            return (hits, raw);
        };
        for hit in &mut hits {
            let article = self.article(hit.article);
            let intent_p = intents
                .iter()
                .filter(|(i, _)| article.intents.contains(&self.nlu.intents()[*i].name))
                .map(|(_, p)| *p)
                .fold(0.0f32, f32::max);
            hit.score = hit.score / top + INTENT_WEIGHT * intent_p;
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        (hits, raw)
    }

    /// The passage to answer with when no intent matched: strong enough for
    /// this locale, and not something the classifier files as out of scope.
    /// `intents` are the turn's intent probabilities in `locale`.
    pub fn strong_passage(
        &self,
        text: &str,
        locale: &str,
        intents: &[(usize, f32)],
    ) -> Option<Hit> {
        let threshold = self.passage_threshold(locale)?;
        let out_of_scope = intents
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .is_some_and(|(i, _)| matches!(self.nlu.intents()[*i].action, Action::OutOfScope {}));
        if out_of_scope {
            return None;
        }
        let (hits, raw) = self.rank_passages(text, locale, intents);
        if raw < threshold {
            return None;
        }
        hits.into_iter().next()
    }
}
