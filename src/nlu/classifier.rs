//! A linear SVM over TF-IDF features, trained one-vs-rest by dual coordinate
//! descent (Hsieh et al., "A Dual Coordinate Descent Method for Large-scale
//! Linear SVM", ICML 2008: the L2-regularised, L2-loss solver of LIBLINEAR,
//! which scikit-learn's LinearSVC uses), with confidences calibrated by a
//! softmax whose temperature is fitted on held-out predictions (temperature
//! scaling, Guo et al., "On Calibration of Modern Neural Networks", 2017).

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::cache::{CacheError, Decoder, Encoder};
use super::features::{FeatureSpace, Sparse, WordFeatures};

/// Training settings; `c` and `tolerance` default to LIBLINEAR's command-line
/// defaults for this solver (C = 1, ε = 0.1).
#[derive(Debug, Clone, Copy)]
pub struct SvmParams {
    /// Misclassification cost (LIBLINEAR's C).
    pub c: f32,
    /// Stop when the projected gradient's spread falls below this.
    pub tolerance: f32,
    /// Passes over the training set at most, per class.
    pub max_epochs: usize,
    /// Threads training classes side by side (at least 1); default the
    /// available cores.
    pub workers: usize,
}

impl Default for SvmParams {
    fn default() -> Self {
        Self {
            c: 1.0,
            tolerance: 0.1,
            max_epochs: 200,
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// A trained classifier over `labels`.
#[derive(Debug, Clone)]
pub struct LinearClassifier {
    /// The vocabulary and IDF weights its features come from.
    pub space: FeatureSpace,
    /// The class names; a class's index is its label.
    pub labels: Vec<String>,
    /// Row-major `[feature][class]`; the last row is the bias.
    weights: Vec<f32>,
    /// Softmax temperature applied to the decision scores.
    pub temperature: f32,
    lang: String,
}

impl LinearClassifier {
    /// Trains on `examples` (text, label index into `labels`) in language `lang`.
    pub fn train(
        examples: &[(String, usize)],
        labels: Vec<String>,
        lang: &str,
        params: SvmParams,
    ) -> Self {
        let space = FeatureSpace::fit(examples.iter().map(|(t, _)| t.as_str()), lang);
        let vectors: Vec<Sparse> = examples
            .iter()
            .map(|(text, _)| space.transform(text, lang))
            .collect();
        let rows: Vec<(&Sparse, usize)> = vectors
            .iter()
            .zip(examples.iter().map(|(_, l)| *l))
            .collect();
        let weights = train_weights(&rows, space.len() + 1, labels.len(), params, &[]);
        Self::from_parts(space, labels, weights, lang)
    }

    /// A classifier from weights [`train_weights`] computed over vectors of
    /// `space` (temperature 1.0).
    pub fn from_parts(
        space: FeatureSpace,
        labels: Vec<String>,
        weights: Vec<f32>,
        lang: &str,
    ) -> Self {
        Self {
            space,
            labels,
            weights,
            temperature: 1.0,
            lang: lang.to_owned(),
        }
    }

    /// Writes the classifier for [`super::cache`].
    pub(super) fn encode(&self, out: &mut Encoder) {
        self.space.encode(out);
        out.count(self.labels.len());
        self.labels.iter().for_each(|l| out.str(l));
        out.f32s(&self.weights);
        out.f32(self.temperature);
        out.str(&self.lang);
    }

    /// Reads what [`LinearClassifier::encode`] wrote.
    ///
    /// # Errors
    ///
    /// [`CacheError::Corrupt`] if it is cut short or its weights do not fit
    /// its features and labels.
    pub(super) fn decode(input: &mut Decoder) -> Result<Self, CacheError> {
        let space = FeatureSpace::decode(input)?;
        let n = input.count(8)?;
        let labels = (0..n).map(|_| input.str()).collect::<Result<Vec<_>, _>>()?;
        let weights = input.f32s()?;
        if Some(weights.len()) != (space.len() + 1).checked_mul(labels.len()) {
            return Err(CacheError::Corrupt("weights"));
        }
        Ok(Self {
            space,
            labels,
            weights,
            temperature: input.f32()?,
            lang: input.str()?,
        })
    }

    /// How many classes (labels) it tells apart.
    pub fn n_classes(&self) -> usize {
        self.labels.len()
    }

    /// Decision scores of every class for `text`.
    pub fn scores(&self, text: &str) -> Vec<f32> {
        let vector = self.space.transform(text, &self.lang);
        self.scores_of(&vector)
    }

    fn scores_of(&self, vector: &Sparse) -> Vec<f32> {
        scores_with(&self.weights, self.n_classes(), vector)
    }

    /// Calibrated probabilities of every class for `text`.
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        softmax(&self.scores(text), self.temperature)
    }

    /// The features of `text` and every class's decision score, for
    /// [`LinearClassifier::contested`].
    pub fn evidence(&self, text: &str) -> Evidence {
        let features = self.space.transform_with_words(text, &self.lang);
        let blocks = self.blocks(&features);
        let scores = self.scores_from(&blocks.parts, blocks.squares);
        Evidence {
            features,
            blocks,
            scores,
        }
    }

    /// Whether the decision for `text` (top class `top`, `evidence` from
    /// [`LinearClassifier::evidence`]) is contested, so that its confidence
    /// should be held below certainty: a message of at least
    /// [`CONTESTED_MIN_WORDS`] words whose top class changes when one of
    /// the [`CONTESTED_WORDS_TRIED`] words it leans on most is left out (the
    /// decision trusts one shared keyword), or one of two or more sentences whose top classes, each
    /// sentence read alone, differ (a ramble with more than one subject).
    pub fn contested(&self, text: &str, evidence: &Evidence, top: usize) -> bool {
        let features = &evidence.features;
        if (CONTESTED_MIN_WORDS..usize::from(u16::MAX)).contains(&features.words) {
            // The words the decision leans on most: those whose terms give
            // the top class the largest lead over the runner-up.
            let n = self.n_classes();
            let runner_up = argmax(
                &evidence
                    .scores
                    .iter()
                    .enumerate()
                    .map(|(c, s)| if c == top { f32::NEG_INFINITY } else { *s })
                    .collect::<Vec<f32>>(),
            )
            .0;
            let (char_norm, word_norm) = features.norms;
            let mut lead = vec![0.0f32; features.words];
            for (feature, (first, last)) in &features.terms {
                let norm = if self.space.is_word(*feature) {
                    word_norm
                } else {
                    char_norm
                };
                let row = *feature as usize * n;
                let value = self.space.idf(*feature) / norm.max(1e-6);
                let gain = value * (self.weights[row + top] - self.weights[row + runner_up]);
                lead[usize::from(*first)] += gain;
                if last != first {
                    lead[usize::from(*last)] += gain;
                }
            }
            let mut words: Vec<usize> = (0..features.words).collect();
            words.sort_unstable_by(|a, b| lead[*b].total_cmp(&lead[*a]));
            let mut removed = Vec::new();
            for &word in words.iter().take(CONTESTED_WORDS_TRIED) {
                let scores = self.scores_without_in(features, &evidence.blocks, word, &mut removed);
                if argmax(&scores).0 != top {
                    return true;
                }
            }
        }
        let mut sentences = sentences(text).filter(|s| s.chars().any(char::is_alphabetic));
        if let (Some(first), Some(_)) = (sentences.next(), sentences.clone().next()) {
            let first = argmax(&self.scores(first)).0;
            return sentences.any(|s| argmax(&self.scores(s)).0 != first);
        }
        false
    }

    /// The decision scores of a text without the terms word number `word`
    /// made (its unigram, character n-grams and the bigrams it is in), each
    /// block normalised again: what the text would score without that
    /// word, computed from its features.
    #[cfg(test)]
    fn scores_without(&self, features: &WordFeatures, word: usize) -> Vec<f32> {
        let blocks = self.blocks(features);
        let mut removed = Vec::new();
        self.scores_without_in(features, &blocks, word, &mut removed)
    }

    /// Each block's share of every class's score before normalisation, and
    /// its squared norm (character n-grams first, then words).
    fn blocks(&self, features: &WordFeatures) -> Blocks {
        let n = self.n_classes();
        let (char_norm, word_norm) = features.norms;
        let mut parts = [vec![0.0f32; n], vec![0.0f32; n]];
        for (feature, value) in &features.vector {
            let block = usize::from(self.space.is_word(*feature));
            let raw = value * [char_norm, word_norm][block];
            let row = *feature as usize * n;
            for (part, w) in parts[block].iter_mut().zip(&self.weights[row..row + n]) {
                *part += w * raw;
            }
        }
        Blocks {
            parts,
            squares: [char_norm * char_norm, word_norm * word_norm],
        }
    }

    /// [`LinearClassifier::scores_without`] from the text's [`Blocks`];
    /// `removed` is scratch space.
    fn scores_without_in(
        &self,
        features: &WordFeatures,
        blocks: &Blocks,
        word: usize,
        removed: &mut Vec<(u32, f32)>,
    ) -> Vec<f32> {
        let n = self.n_classes();
        let word = u16::try_from(word).unwrap_or(u16::MAX);
        // How often each feature came from the word, by feature.
        removed.clear();
        removed.extend(
            features
                .terms
                .iter()
                .filter(|(_, (first, last))| *first == word || *last == word)
                .map(|(feature, _)| (*feature, 1.0)),
        );
        removed.sort_unstable_by_key(|(feature, _)| *feature);
        removed.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 += next.1;
            }
            same
        });
        let (char_norm, word_norm) = features.norms;
        let mut parts = blocks.parts.clone();
        let mut squares = blocks.squares;
        for (feature, occurrences) in removed.iter() {
            let Ok(at) = features.vector.binary_search_by_key(feature, |(f, _)| *f) else {
                continue;
            };
            let block = usize::from(self.space.is_word(*feature));
            let raw = features.vector[at].1 * [char_norm, word_norm][block];
            let lost = occurrences * self.space.idf(*feature);
            let left = raw - lost;
            squares[block] -= raw * raw - left * left;
            let row = *feature as usize * n;
            for (part, w) in parts[block].iter_mut().zip(&self.weights[row..row + n]) {
                *part -= w * lost;
            }
        }
        self.scores_from(&parts, squares)
    }

    /// Every class's score from its blocks' shares before normalisation and
    /// their squared norms: the bias plus each share over its block's norm.
    fn scores_from(&self, parts: &[Vec<f32>; 2], squares: [f32; 2]) -> Vec<f32> {
        let n = self.n_classes();
        let bias_row = self.weights.len() / n.max(1) - 1;
        let mut scores = self.weights[bias_row * n..(bias_row + 1) * n].to_vec();
        for (part, square) in parts.iter().zip(squares) {
            let norm = square.max(0.0).sqrt();
            if norm > 1e-4 {
                for (score, p) in scores.iter_mut().zip(part) {
                    *score += p / norm;
                }
            }
        }
        scores
    }

    /// Fits the softmax temperature that best predicts held-out labels from
    /// their decision scores (minimum negative log-likelihood).
    pub fn calibrate(&mut self, held_out: &[(Vec<f32>, usize)]) {
        if held_out.is_empty() {
            return;
        }
        let nll = |t: f32| -> f32 {
            held_out
                .iter()
                .map(|(scores, label)| -softmax(scores, t)[*label].max(1e-9).ln())
                .sum()
        };
        // Golden-section search over log(temperature), one new evaluation
        // per step; 30 steps narrow the range by 0.618^30 (about 5e-7).
        let ratio = (5.0f32.sqrt() - 1.0) / 2.0;
        let (mut lo, mut hi) = ((0.005f32).ln(), (5.0f32).ln());
        let mut a = hi - ratio * (hi - lo);
        let mut b = lo + ratio * (hi - lo);
        let (mut fa, mut fb) = (nll(a.exp()), nll(b.exp()));
        for _ in 0..30 {
            if fa < fb {
                hi = b;
                (b, fb) = (a, fa);
                a = hi - ratio * (hi - lo);
                fa = nll(a.exp());
            } else {
                lo = a;
                (a, fa) = (b, fb);
                b = lo + ratio * (hi - lo);
                fb = nll(b.exp());
            }
        }
        self.temperature = ((lo + hi) / 2.0).exp();
    }
}

/// A text's features and decision scores ([`LinearClassifier::evidence`]).
#[derive(Debug, Clone)]
pub struct Evidence {
    features: WordFeatures,
    blocks: Blocks,
    /// Every class's decision score.
    pub scores: Vec<f32>,
}

/// A text's score parts by feature block ([`LinearClassifier::contested`]).
#[derive(Debug, Clone)]
struct Blocks {
    parts: [Vec<f32>; 2],
    squares: [f32; 2],
}

/// How many of a message's words, those its decision leans on most, are
/// each left out to see whether the decision changes.
pub const CONTESTED_WORDS_TRIED: usize = 2;

/// Words a message needs before leaving one out may contest its decision
/// ([`LinearClassifier::contested`]): shorter ones are their keyword.
pub const CONTESTED_MIN_WORDS: usize = 4;

/// The sentences of `text`: split after `.`, `!`, `?` or `…` followed by
/// white space, and at line breaks (a decimal point is not a split).
pub fn sentences(text: &str) -> impl Iterator<Item = &str> + Clone {
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((i, c)) = chars.next() {
            let end = i + c.len_utf8();
            let ends = c == '\n'
                || (matches!(c, '.' | '!' | '?' | '…')
                    && chars.peek().is_none_or(|(_, next)| next.is_whitespace()));
            if ends {
                let sentence = &text[start..end];
                start = end;
                return Some(sentence);
            }
        }
        (start < text.len()).then(|| {
            let sentence = &text[start..];
            start = text.len();
            sentence
        })
    })
}

/// Probabilities of `scores` at the smallest temperature from `temperature`
/// up at which the largest is at most `cap` (below 1): a softmax softened
/// just enough, its ranking unchanged.
pub fn softmax_capped(scores: &[f32], temperature: f32, cap: f32) -> Vec<f32> {
    let probabilities = softmax(scores, temperature);
    if argmax(&probabilities).1 <= cap || scores.len() < 2 {
        return probabilities;
    }
    // The top probability falls as the temperature rises: bisect log(T).
    let (mut lo, mut hi) = (temperature.ln(), (temperature * 1e4).ln());
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if argmax(&softmax(scores, mid.exp())).1 > cap {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    softmax(scores, hi.exp())
}

/// The index and value of the largest of `values` (the first on ties).
pub fn argmax(values: &[f32]) -> (usize, f32) {
    values
        .iter()
        .copied()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, v)| {
            if v > best.1 {
                (i, v)
            } else {
                best
            }
        })
}

/// `exp(s / T)` normalised to sum to 1, computed stably (the largest score
/// is subtracted first); one probability per score, in order.
pub fn softmax(scores: &[f32], temperature: f32) -> Vec<f32> {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = scores
        .iter()
        .map(|s| ((s - max) / temperature).exp())
        .collect();
    let total: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / total).collect()
}

/// Decision scores of every class for `vector`, with `weights` as
/// [`train_weights`] returns them for `n_classes` classes.
pub fn scores_with(weights: &[f32], n_classes: usize, vector: &Sparse) -> Vec<f32> {
    let n = n_classes;
    let bias_row = weights.len() / n.max(1) - 1;
    let mut scores = weights[bias_row * n..(bias_row + 1) * n].to_vec();
    for (feature, value) in vector {
        let row = *feature as usize * n;
        for (score, w) in scores.iter_mut().zip(&weights[row..row + n]) {
            *score += w * value;
        }
    }
    scores
}

/// Runs `per_class(class, weights, alphas)` for every class below
/// `n_classes`, after training that class against the rest on `rows`
/// (vector, class), from `start[class]` (dual variables, one per row; empty
/// for none), on the available cores; each worker reuses one weight buffer.
/// Returns what `per_class` returned, by class.
fn one_vs_rest<T: Send>(
    rows: &[(&Sparse, usize)],
    n_features: usize,
    n_classes: usize,
    params: SvmParams,
    start: &[Vec<f32>],
    per_class: impl Fn(usize, &[f32], &[f32]) -> T + Sync,
) -> Vec<T> {
    let vectors: Vec<&Sparse> = rows.iter().map(|(v, _)| *v).collect();
    let targets: Vec<usize> = rows.iter().map(|(_, l)| *l).collect();
    let mut results: Vec<Option<T>> = std::thread::scope(|scope| {
        let workers = params.workers.clamp(1, n_classes.max(1));
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let (vectors, targets, per_class) = (&vectors, &targets, &per_class);
                scope.spawn(move || {
                    let mut w = Vec::new();
                    (worker..n_classes)
                        .step_by(workers)
                        .map(|class| {
                            let mut alpha = start.get(class).cloned().unwrap_or_default();
                            train_binary(
                                vectors, targets, class, n_features, params, &mut w, &mut alpha,
                            );
                            (class, per_class(class, &w, &alpha))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out: Vec<Option<T>> = (0..n_classes).map(|_| None).collect();
        for handle in handles {
            for (class, result) in handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            {
                out[class] = Some(result);
            }
        }
        out
    });
    results.iter_mut().filter_map(Option::take).collect()
}

/// One-vs-rest weights for `rows` (vector, class below `n_classes`) with
/// `n_features` features (the last one the bias): row-major
/// `[feature][class]`. `start` warm-starts each class's solver with dual
/// variables (one per row; empty for none), e.g. from [`held_out_scores`].
pub fn train_weights(
    rows: &[(&Sparse, usize)],
    n_features: usize,
    n_classes: usize,
    params: SvmParams,
    start: &[Vec<f32>],
) -> Vec<f32> {
    let per_class = one_vs_rest(rows, n_features, n_classes, params, start, |_, w, _| {
        w.to_vec()
    });
    let mut weights = vec![0.0f32; n_features * n_classes];
    for (class, w) in per_class.iter().enumerate() {
        for (feature, value) in w.iter().enumerate() {
            weights[feature * n_classes + class] = *value;
        }
    }
    weights
}

/// What a model trained on some rows and never kept leaves behind.
#[derive(Debug, Clone)]
pub struct HeldOut {
    /// The decision scores of every class, for each held-out vector.
    pub scores: Vec<Vec<f32>>,
    /// Each class's dual variables at the solution, one per training row.
    pub alphas: Vec<Vec<f32>>,
}

/// The decision scores of every class for each of `held_out`, by a model
/// trained on `rows` (as [`train_weights`] would), with its dual variables.
pub fn held_out_scores(
    rows: &[(&Sparse, usize)],
    held_out: &[&Sparse],
    n_features: usize,
    n_classes: usize,
    params: SvmParams,
) -> HeldOut {
    let bias = n_features - 1;
    let by_class = one_vs_rest(rows, n_features, n_classes, params, &[], |_, w, alpha| {
        let scores = held_out
            .iter()
            .map(|x| x.iter().map(|(f, v)| w[*f as usize] * v).sum::<f32>() + w[bias])
            .collect::<Vec<f32>>();
        (scores, alpha.to_vec())
    });
    HeldOut {
        scores: (0..held_out.len())
            .map(|i| by_class.iter().map(|(scores, _)| scores[i]).collect())
            .collect(),
        alphas: by_class.into_iter().map(|(_, alpha)| alpha).collect(),
    }
}

/// Dual coordinate descent for one class against the rest, from the dual
/// variables in `alpha` (one per vector; zeros if it has another length),
/// which it leaves at the solution; `w` gets the weights.
fn train_binary(
    vectors: &[&Sparse],
    targets: &[usize],
    class: usize,
    n_features: usize,
    params: SvmParams,
    w: &mut Vec<f32>,
    alpha: &mut Vec<f32>,
) {
    let n = vectors.len();
    let bias = n_features - 1;
    let diag = 0.5 / params.c;
    let y: Vec<f32> = targets
        .iter()
        .map(|&t| if t == class { 1.0 } else { -1.0 })
        .collect();
    let qii: Vec<f32> = vectors
        .iter()
        .map(|x| x.iter().map(|(_, v)| v * v).sum::<f32>() + 1.0 + diag)
        .collect();
    if alpha.len() != n {
        alpha.clear();
        alpha.resize(n, 0.0);
    }
    w.clear();
    w.resize(n_features, 0.0);
    // A warm start: w of the starting alphas (w = sum of alpha y x).
    for ((x, a), yi) in vectors.iter().zip(alpha.iter()).zip(&y) {
        if *a != 0.0 {
            for (f, v) in x.iter() {
                w[*f as usize] += a * yi * v;
            }
            w[bias] += a * yi;
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = StdRng::seed_from_u64(class as u64);
    for _ in 0..params.max_epochs {
        order.shuffle(&mut rng);
        let (mut pg_max, mut pg_min) = (f32::NEG_INFINITY, f32::INFINITY);
        for &i in &order {
            let x = vectors[i];
            let margin = x.iter().map(|(f, v)| w[*f as usize] * v).sum::<f32>() + w[bias];
            let g = y[i] * margin - 1.0 + diag * alpha[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (alpha[i] - g / qii[i]).max(0.0);
                let step = (alpha[i] - old) * y[i];
                for (f, v) in x {
                    w[*f as usize] += step * v;
                }
                w[bias] += step;
            }
        }
        if pg_max - pg_min < params.tolerance {
            break;
        }
    }
}

/// In-scope accuracy a no-match threshold may cost, as a fraction (0.02: two
/// percentage points): rejecting unrelated messages is worth a little, but
/// not much, of the answers we get right.
pub const IN_SCOPE_BUDGET: f64 = 0.02;

/// The highest threshold in 0.00..=0.99 whose in-scope accuracy stays within
/// [`IN_SCOPE_BUDGET`] of the accuracy without a threshold.
pub fn threshold_within_budget(in_scope_at: impl Fn(f32) -> f64) -> f32 {
    let floor = in_scope_at(0.0) - IN_SCOPE_BUDGET;
    (0..100)
        .map(|i| i as f32 / 100.0)
        .take_while(|t| in_scope_at(*t) >= floor)
        .last()
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_after_end_marks_but_not_in_numbers() {
        let parts: Vec<&str> = sentences("paid 36.90 eur. still no refund!why?\nok").collect();
        assert_eq!(
            parts,
            ["paid 36.90 eur.", " still no refund!why?", "\n", "ok"]
        );
        assert_eq!(sentences("where is my order").count(), 1);
        assert_eq!(sentences("").count(), 0);
    }

    #[test]
    fn leaving_out_a_word_scores_as_the_text_without_it() {
        let examples: Vec<(String, usize)> = [
            ("where is my order", 0),
            ("my parcel has not arrived", 0),
            ("i want my money back", 1),
            ("refund my order please", 1),
            ("what time does the match start", 2),
            ("how do i boil an egg", 2),
        ]
        .into_iter()
        .map(|(t, l)| (t.to_owned(), l))
        .collect();
        let labels = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let model = LinearClassifier::train(&examples, labels, "en", SvmParams::default());
        let evidence = model.evidence("where is my money order");
        // The last word is in one bigram only: without it, the text is
        // exactly its first four words.
        let without = model.scores_without(&evidence.features, 4);
        for (a, b) in without.iter().zip(model.scores("where is my money")) {
            assert!((a - b).abs() < 1e-4, "{without:?}");
        }
        for (a, b) in evidence
            .scores
            .iter()
            .zip(model.scores("where is my money order"))
        {
            assert!((a - b).abs() < 1e-5);
        }
        // Two sentences, two subjects.
        let ramble = "how do i boil an egg. i want my money back";
        let evidence = model.evidence(ramble);
        assert!(model.contested(ramble, &evidence, argmax(&evidence.scores).0));
        // One sentence that leaving out no single word changes.
        let plain = "what time does the match start";
        let evidence = model.evidence(plain);
        let top = argmax(&evidence.scores).0;
        assert_eq!(top, 2);
        let any_flip = (0..evidence.features.words)
            .any(|w| argmax(&model.scores_without(&evidence.features, w)).0 != top);
        // Only words it leans on are tried: contested implies a flip.
        assert!(!model.contested(plain, &evidence, top) || any_flip);
    }

    #[test]
    fn a_capped_softmax_keeps_the_ranking_under_the_cap() {
        let scores = [2.0, 0.5, -1.0];
        let sharp = softmax(&scores, 0.1);
        assert!(sharp[0] > 0.99);
        let capped = softmax_capped(&scores, 0.1, 0.9);
        assert!(capped[0] <= 0.9 && capped[0] > 0.89, "{capped:?}");
        assert!(capped[0] > capped[1] && capped[1] > capped[2]);
        assert!((capped.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        // Under the cap already: unchanged.
        assert_eq!(softmax_capped(&scores, 5.0, 0.9), softmax(&scores, 5.0));
    }
}
