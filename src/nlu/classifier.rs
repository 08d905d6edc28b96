//! A linear SVM over TF-IDF features, trained one-vs-rest by dual coordinate
//! descent (Hsieh et al., "A Dual Coordinate Descent Method for Large-scale
//! Linear SVM", ICML 2008: the L2-regularised, L2-loss solver of LIBLINEAR,
//! which scikit-learn's LinearSVC uses), with confidences calibrated by a
//! softmax whose temperature is fitted on held-out predictions (temperature
//! scaling, Guo et al., "On Calibration of Modern Neural Networks", 2017).

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::features::{FeatureSpace, Sparse};

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
}

impl Default for SvmParams {
    fn default() -> Self {
        Self {
            c: 1.0,
            tolerance: 0.1,
            max_epochs: 200,
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
        let targets: Vec<usize> = examples.iter().map(|(_, l)| *l).collect();
        let n_features = space.len() + 1;
        let n_classes = labels.len();
        let per_class: Vec<Vec<f32>> = std::thread::scope(|scope| {
            let workers = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(n_classes.max(1));
            let handles: Vec<_> = (0..workers)
                .map(|worker| {
                    let vectors = &vectors;
                    let targets = &targets;
                    scope.spawn(move || {
                        (worker..n_classes)
                            .step_by(workers)
                            .map(|class| {
                                (
                                    class,
                                    train_binary(vectors, targets, class, n_features, params),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut out = vec![Vec::new(); n_classes];
            for handle in handles {
                for (class, w) in handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                {
                    out[class] = w;
                }
            }
            out
        });
        let mut weights = vec![0.0f32; n_features * n_classes];
        for (class, w) in per_class.iter().enumerate() {
            for (feature, value) in w.iter().enumerate() {
                weights[feature * n_classes + class] = *value;
            }
        }
        Self {
            space,
            labels,
            weights,
            temperature: 1.0,
            lang: lang.to_owned(),
        }
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
        let n = self.n_classes();
        let bias_row = self.space.len() * n;
        let mut scores = self.weights[bias_row..bias_row + n].to_vec();
        for (feature, value) in vector {
            let row = *feature as usize * n;
            for (score, w) in scores.iter_mut().zip(&self.weights[row..row + n]) {
                *score += w * value;
            }
        }
        scores
    }

    /// Calibrated probabilities of every class for `text`.
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        softmax(&self.scores(text), self.temperature)
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
        // Golden-section search over log(temperature).
        let (mut lo, mut hi) = ((0.005f32).ln(), (5.0f32).ln());
        let ratio = (5.0f32.sqrt() - 1.0) / 2.0;
        for _ in 0..40 {
            let a = hi - ratio * (hi - lo);
            let b = lo + ratio * (hi - lo);
            if nll(a.exp()) < nll(b.exp()) {
                hi = b;
            } else {
                lo = a;
            }
        }
        self.temperature = ((lo + hi) / 2.0).exp();
    }
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

/// Dual coordinate descent for one class against the rest.
fn train_binary(
    vectors: &[Sparse],
    targets: &[usize],
    class: usize,
    n_features: usize,
    params: SvmParams,
) -> Vec<f32> {
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
    let mut alpha = vec![0.0f32; n];
    let mut w = vec![0.0f32; n_features];
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = StdRng::seed_from_u64(class as u64);
    for _ in 0..params.max_epochs {
        order.shuffle(&mut rng);
        let (mut pg_max, mut pg_min) = (f32::NEG_INFINITY, f32::INFINITY);
        for &i in &order {
            let x = &vectors[i];
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
    w
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
