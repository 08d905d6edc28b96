//! `switchboard eval`: trains the intent classifier on a public data set's
//! train split and measures it on the test split.
//!
//! Files are JSONL, one `{"id", "locale", "utt", "intent"}` per line, named
//! `<locale>.train.jsonl`, `<locale>.dev.jsonl` (optional) and
//! `<locale>.test.jsonl`. The dev split, when there is one, calibrates the
//! confidences and picks the no-match threshold; the test split is only measured.
//! Without a dev split the temperature stays 1.0 and a threshold picked on
//! nothing is 0.99 (see [`evaluate`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;

use crate::nlu::classifier::{
    argmax, softmax, threshold_within_budget, LinearClassifier, SvmParams,
};

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A folder or data file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A JSONL line or a TOML question file does not parse.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// The folder (the path given) has no train/test pair.
    #[error("{0}: no <locale>.train.jsonl with a matching <locale>.test.jsonl")]
    NoSplits(PathBuf),
}

#[derive(Debug, Deserialize)]
struct Row {
    utt: String,
    intent: String,
}

/// One locale's results.
#[derive(Debug, Clone)]
pub struct Report {
    /// The split's locale as in its file names (e.g. `tr-TR`).
    pub locale: String,
    /// Training examples (the rows of the train split).
    pub train: usize,
    /// Test utterances measured.
    pub test: usize,
    /// Share of test utterances whose best intent is right, 0.0 to 1.0 (no
    /// threshold; an intent unseen in training counts as wrong).
    pub accuracy: f64,
    /// Macro-averaged F1 over the intents that occur in the test split, 0.0 to 1.0.
    pub macro_f1: f64,
    /// Median time to score one utterance, in microseconds.
    pub parse_p50_us: f64,
    /// 99th-percentile time to score one utterance, in microseconds.
    pub parse_p99_us: f64,
    /// Wall-clock time to train the classifier, in seconds.
    pub train_s: f64,
    /// Expected calibration error of the test split's top label
    /// ([`expected_calibration_error`]), with the temperature fitted on the
    /// dev split (1.0 without one), 0.0 to 1.0.
    pub ece: f64,
    /// With an out-of-scope label: (threshold, in-scope accuracy, out-of-scope
    /// recall), the last two 0.0 to 1.0; `None` without one, or if the train
    /// split lacks that label.
    pub out_of_scope: Option<(f32, f64, f64)>,
}

fn read(path: &Path) -> Result<Vec<Row>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_owned(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| EvalError::Parse {
                path: path.to_owned(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// One locale's files.
pub struct Split {
    /// The locale part of the file names (`tr-TR`).
    pub locale: String,
    /// `<locale>.train.jsonl`.
    pub train: PathBuf,
    /// `<locale>.dev.jsonl`, if present.
    pub dev: Option<PathBuf>,
    /// `<locale>.test.jsonl`.
    pub test: PathBuf,
}

/// Finds `<locale>.train.jsonl` / `.test.jsonl` pairs in `dir`, sorted by
/// locale (unreadable directory entries are skipped).
///
/// # Errors
///
/// [`EvalError::Read`] if `dir` cannot be read, [`EvalError::NoSplits`] if
/// no pair is found.
pub fn splits(dir: &Path) -> Result<Vec<Split>, EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|source| EvalError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(locale) = name.strip_suffix(".train.jsonl") else {
            continue;
        };
        let test = dir.join(format!("{locale}.test.jsonl"));
        if !test.exists() {
            continue;
        }
        let dev = dir.join(format!("{locale}.dev.jsonl"));
        found.push(Split {
            locale: locale.to_owned(),
            train: entry.path(),
            dev: dev.exists().then_some(dev),
            test,
        });
    }
    found.sort_by(|a, b| a.locale.cmp(&b.locale));
    if found.is_empty() {
        return Err(EvalError::NoSplits(dir.to_owned()));
    }
    Ok(found)
}

/// Trains on `train`, calibrates on `dev`, measures on `test`. With
/// `out_of_scope` (the label of the out-of-scope class), also picks a
/// threshold on `dev` and reports in-scope accuracy and out-of-scope recall
/// at it. Without `dev` nothing is calibrated (temperature 1.0), and the
/// threshold picked on no data is 0.99. With the environment variable `SWEEP`
/// set, the dev split's trade-off is printed to stderr every 0.05.
///
/// # Errors
///
/// [`EvalError::Read`] or [`EvalError::Parse`] for any of the files.
pub fn evaluate(
    locale: &str,
    train: &Path,
    dev: Option<&Path>,
    test: &Path,
    out_of_scope: Option<&str>,
    params: SvmParams,
) -> Result<Report, EvalError> {
    let lang = locale
        .split(['-', '_'])
        .next()
        .unwrap_or(locale)
        .to_lowercase();
    let train_rows = read(train)?;
    let test_rows = read(test)?;
    let dev_rows = dev.map(read).transpose()?.unwrap_or_default();
    let mut labels: Vec<String> = train_rows.iter().map(|r| r.intent.clone()).collect();
    labels.sort();
    labels.dedup();
    let index: HashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let examples: Vec<(String, usize)> = train_rows
        .iter()
        .filter_map(|r| index.get(r.intent.as_str()).map(|&i| (r.utt.clone(), i)))
        .collect();

    let started = Instant::now();
    let mut model = LinearClassifier::train(&examples, labels.clone(), &lang, params);
    let train_s = started.elapsed().as_secs_f64();

    let dev_scores: Vec<(Vec<f32>, usize)> = dev_rows
        .iter()
        .filter_map(|r| {
            index
                .get(r.intent.as_str())
                .map(|&i| (model.scores(&r.utt), i))
        })
        .collect();
    model.calibrate(&dev_scores);

    let oos_index = out_of_scope.and_then(|label| index.get(label).copied());
    let threshold = oos_index.map(|oos| pick_threshold(&dev_scores, model.temperature, oos));
    if std::env::var_os("SWEEP").is_some() {
        if let Some(oos) = oos_index {
            let predictions: Vec<(usize, f32)> = dev_scores
                .iter()
                .map(|(s, _)| argmax(&softmax(s, model.temperature)))
                .collect();
            let gold: Vec<Option<usize>> = dev_scores.iter().map(|(_, g)| Some(*g)).collect();
            for i in (0..100).step_by(5) {
                let t = i as f32 / 100.0;
                let (a, r) = oos_metrics(&predictions, &gold, oos, t);
                eprintln!("dev t={t:.2} in-scope {a:.3} oos {r:.3}");
            }
        }
    }

    let mut latencies = Vec::with_capacity(test_rows.len());
    let mut predictions = Vec::with_capacity(test_rows.len());
    for row in &test_rows {
        let started = Instant::now();
        let probabilities = model.probabilities(&row.utt);
        latencies.push(started.elapsed().as_secs_f64() * 1e6);
        let (best, confidence) = argmax(&probabilities);
        predictions.push((best, confidence));
    }
    let gold: Vec<Option<usize>> = test_rows
        .iter()
        .map(|r| index.get(r.intent.as_str()).copied())
        .collect();
    let correct = predictions
        .iter()
        .zip(&gold)
        .filter(|((p, _), g)| Some(*p) == **g)
        .count();
    let accuracy = correct as f64 / test_rows.len().max(1) as f64;
    let macro_f1 = macro_f1(&predictions, &gold, labels.len());
    let calibration: Vec<(f64, bool)> = predictions
        .iter()
        .zip(&gold)
        .map(|((p, confidence), g)| (f64::from(*confidence), Some(*p) == *g))
        .collect();
    let ece = expected_calibration_error(&calibration);
    let out_of_scope = match (oos_index, threshold) {
        (Some(oos), Some(t)) => {
            let (in_scope, recall) = oos_metrics(&predictions, &gold, oos, t);
            Some((t, in_scope, recall))
        }
        _ => None,
    };
    latencies.sort_by(f64::total_cmp);
    Ok(Report {
        locale: locale.to_owned(),
        train: examples.len(),
        test: test_rows.len(),
        accuracy,
        macro_f1,
        parse_p50_us: percentile(&latencies, 0.5),
        parse_p99_us: percentile(&latencies, 0.99),
        train_s,
        ece,
        out_of_scope,
    })
}

/// (in-scope accuracy, out-of-scope recall) when predictions under
/// `threshold` count as out of scope.
fn oos_metrics(
    predictions: &[(usize, f32)],
    gold: &[Option<usize>],
    oos: usize,
    threshold: f32,
) -> (f64, f64) {
    let (mut in_total, mut in_correct, mut oos_total, mut oos_caught) = (0, 0, 0, 0);
    for ((predicted, confidence), gold) in predictions.iter().zip(gold) {
        let rejected = *predicted == oos || *confidence < threshold;
        if *gold == Some(oos) {
            oos_total += 1;
            oos_caught += usize::from(rejected);
        } else {
            in_total += 1;
            in_correct += usize::from(!rejected && Some(*predicted) == *gold);
        }
    }
    (
        in_correct as f64 / in_total.max(1) as f64,
        oos_caught as f64 / oos_total.max(1) as f64,
    )
}

/// The confidence threshold picked on the dev split: the highest that costs
/// at most [`IN_SCOPE_BUDGET`](crate::nlu::classifier::IN_SCOPE_BUDGET) of
/// in-scope accuracy. On an empty split every threshold costs nothing, so
/// this is 0.99.
fn pick_threshold(dev: &[(Vec<f32>, usize)], temperature: f32, oos: usize) -> f32 {
    let predictions: Vec<(usize, f32)> = dev
        .iter()
        .map(|(scores, _)| argmax(&softmax(scores, temperature)))
        .collect();
    let gold: Vec<Option<usize>> = dev.iter().map(|(_, g)| Some(*g)).collect();
    let in_scope_at = |t: f32| oos_metrics(&predictions, &gold, oos, t).0;
    threshold_within_budget(in_scope_at)
}

fn macro_f1(predictions: &[(usize, f32)], gold: &[Option<usize>], n: usize) -> f64 {
    let mut tp = vec![0usize; n];
    let mut fp = vec![0usize; n];
    let mut fn_ = vec![0usize; n];
    for ((p, _), g) in predictions.iter().zip(gold) {
        match g {
            Some(g) if g == p => tp[*p] += 1,
            Some(g) => {
                fp[*p] += 1;
                fn_[*g] += 1;
            }
            None => fp[*p] += 1,
        }
    }
    let f1s: Vec<f64> = (0..n)
        .filter(|&c| tp[c] + fn_[c] > 0)
        .map(|c| {
            let denominator = 2 * tp[c] + fp[c] + fn_[c];
            if denominator == 0 {
                0.0
            } else {
                2.0 * tp[c] as f64 / denominator as f64
            }
        })
        .collect();
    f1s.iter().sum::<f64>() / f1s.len().max(1) as f64
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs every split in `dir` and prints a Markdown table to stdout (one row
/// per locale, as it finishes). Errs at the first split that cannot be read.
pub fn run(
    dir: &Path,
    out_of_scope: Option<&str>,
    params: SvmParams,
) -> Result<Vec<Report>, EvalError> {
    let mut reports = Vec::new();
    println!(
        "| locale | train | test | accuracy | macro-F1 | ECE | parse p50 µs | parse p99 µs | train s |{}",
        if out_of_scope.is_some() {
            " threshold | in-scope acc | oos recall |"
        } else {
            ""
        }
    );
    println!(
        "|---|---|---|---|---|---|---|---|---|{}",
        if out_of_scope.is_some() {
            "---|---|---|"
        } else {
            ""
        }
    );
    for split in splits(dir)? {
        let report = evaluate(
            &split.locale,
            &split.train,
            split.dev.as_deref(),
            &split.test,
            out_of_scope,
            params,
        )?;
        let oos = report
            .out_of_scope
            .map(|(t, acc, recall)| {
                format!(" {t:.2} | {:.1}% | {:.1}% |", acc * 100.0, recall * 100.0)
            })
            .unwrap_or_default();
        println!(
            "| {} | {} | {} | {:.1}% | {:.1}% | {:.3} | {:.0} | {:.0} | {:.2} |{oos}",
            report.locale,
            report.train,
            report.test,
            report.accuracy * 100.0,
            report.macro_f1 * 100.0,
            report.ece,
            report.parse_p50_us,
            report.parse_p99_us,
            report.train_s,
        );
        reports.push(report);
    }
    Ok(reports)
}

/// Language identification measured on the test splits of `dir` whose locale
/// is supported: utterances of three words or more, as typed and with
/// diacritics folded away. Prints a Markdown table to stdout. Errs at the
/// first split that cannot be read.
pub fn run_language(dir: &Path, nlu: &crate::nlu::Nlu) -> Result<(), EvalError> {
    println!("| locale | utterances | as typed | without diacritics | identify p50 µs |");
    println!("|---|---|---|---|---|");
    for split in splits(dir)? {
        let lang = split
            .locale
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_lowercase();
        if !nlu.languages().contains(&lang) {
            continue;
        }
        let rows = read(&split.test)?;
        let texts: Vec<&str> = rows
            .iter()
            .map(|r| r.utt.as_str())
            .filter(|t| t.split_whitespace().count() >= 3)
            .collect();
        let (mut typed, mut folded) = (0usize, 0usize);
        let mut latencies = Vec::with_capacity(texts.len());
        for text in &texts {
            let started = Instant::now();
            let (language, _) = nlu.language(text, None);
            latencies.push(started.elapsed().as_secs_f64() * 1e6);
            typed += usize::from(language == lang);
            let plain = crate::normalize::fold(text, &lang);
            folded += usize::from(nlu.language(&plain, None).0 == lang);
        }
        latencies.sort_by(f64::total_cmp);
        let n = texts.len().max(1) as f64;
        println!(
            "| {} | {} | {:.1}% | {:.1}% | {:.0} |",
            split.locale,
            texts.len(),
            typed as f64 / n * 100.0,
            folded as f64 / n * 100.0,
            percentile(&latencies, 0.5)
        );
    }
    Ok(())
}

/// The `<locale>.<extension>` files of `dir`, sorted by name: (path, the
/// file's stem, its text). Unreadable directory entries are skipped.
///
/// # Errors
///
/// [`EvalError::Read`] if `dir` or one of the files cannot be read.
fn locale_files(dir: &Path, extension: &str) -> Result<Vec<(PathBuf, String, String)>, EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|source| EvalError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let locale = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(|source| EvalError::Read {
                path: path.clone(),
                source,
            })?;
            Ok((path, locale, text))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
struct Questions {
    question: Vec<Question>,
}

#[derive(Debug, Deserialize)]
struct Question {
    article: String,
    text: String,
}

/// Retrieval quality of one locale's question set.
#[derive(Debug, Clone)]
pub struct RetrievalReport {
    /// The question file's stem (`tr` for `tr.toml`).
    pub locale: String,
    /// Questions asked.
    pub questions: usize,
    /// Share of questions whose article ranked first, 0.0 to 1.0.
    pub recall_at_1: f64,
    /// Mean reciprocal rank of the right article (0 when not ranked), 0.0 to 1.0.
    pub mrr: f64,
    /// Median time of one search, in microseconds.
    pub search_p50_us: f64,
    /// The questions whose article did not rank first: (question, its
    /// article, the article that ranked first if any).
    pub misses: Vec<(String, String, Option<String>)>,
}

/// Reads `<locale>.toml` question files from `dir` (`[[question]]` with
/// `article` and `text`) and ranks the help centre for each question with
/// `search(text, locale)`, which returns article ids best first.
///
/// # Errors
///
/// [`EvalError::Read`] if `dir` or a file cannot be read,
/// [`EvalError::Parse`] for a file that does not parse.
pub fn retrieval(
    dir: &Path,
    search: impl Fn(&str, &str) -> Vec<String>,
) -> Result<Vec<RetrievalReport>, EvalError> {
    let mut reports = Vec::new();
    for (path, locale, text) in locale_files(dir, "toml")? {
        let questions: Questions = toml::from_str(&text).map_err(|e| EvalError::Parse {
            path: path.clone(),
            line: e
                .span()
                .map_or(1, |s| text[..s.start].matches('\n').count() + 1),
            message: e.message().to_owned(),
        })?;
        let (mut first, mut reciprocal) = (0usize, 0.0f64);
        let mut latencies = Vec::new();
        let mut misses = Vec::new();
        for question in &questions.question {
            let started = Instant::now();
            let ranked = search(&question.text, &locale);
            latencies.push(started.elapsed().as_secs_f64() * 1e6);
            let rank = ranked.iter().position(|id| *id == question.article);
            if let Some(rank) = rank {
                first += usize::from(rank == 0);
                reciprocal += 1.0 / (rank + 1) as f64;
            }
            if rank != Some(0) {
                misses.push((
                    question.text.clone(),
                    question.article.clone(),
                    ranked.first().cloned(),
                ));
            }
        }
        latencies.sort_by(f64::total_cmp);
        let n = questions.question.len().max(1) as f64;
        reports.push(RetrievalReport {
            locale,
            questions: questions.question.len(),
            recall_at_1: first as f64 / n,
            mrr: reciprocal / n,
            search_p50_us: percentile(&latencies, 0.5),
            misses,
        });
    }
    Ok(reports)
}

/// The matcher's results on one locale of a phone-style set
/// (`tests/data/phone/<split>/<locale>.tsv`).
#[derive(Debug, Clone, Default)]
pub struct PhoneReport {
    /// The file's stem (`tr` for `tr.tsv`), used as the conversation's locale.
    pub locale: String,
    /// Rows measured.
    pub rows: usize,
    /// Rows whose outcome is right: the labelled intent, or no intent for an
    /// `out_of_scope` row.
    pub right: usize,
    /// `out_of_scope` rows.
    pub out_of_scope: usize,
    /// `out_of_scope` rows that matched no intent.
    pub rejected: usize,
    /// Rows answered with a wrong intent at a confidence above 0.9.
    pub confident_errors: usize,
    /// Expected calibration error of the classifier's top label (out-of-scope
    /// class included), 10 equal-width bins, 0.0 to 1.0 (Guo et al. 2017).
    pub ece: f64,
    /// The rows answered wrongly: (text, label, outcome, confidence).
    pub wrong: Vec<(String, String, String, f64)>,
}

impl PhoneReport {
    /// `right / rows`, 0.0 to 1.0.
    pub fn accuracy(&self) -> f64 {
        self.right as f64 / self.rows.max(1) as f64
    }

    /// `rejected / out_of_scope`, 0.0 to 1.0 (1.0 with no such rows).
    pub fn rejection(&self) -> f64 {
        if self.out_of_scope == 0 {
            1.0
        } else {
            self.rejected as f64 / self.out_of_scope as f64
        }
    }
}

/// Expected calibration error of (confidence, right) pairs over 10
/// equal-width confidence bins: the bins' |accuracy − mean confidence|
/// weighted by their share of the pairs (Guo et al. 2017, "On Calibration of
/// Modern Neural Networks"). 0.0 for no pairs.
pub fn expected_calibration_error(pairs: &[(f64, bool)]) -> f64 {
    const BINS: usize = 10;
    let mut sums = [(0usize, 0.0f64, 0usize); BINS];
    for &(confidence, right) in pairs {
        let bin = ((confidence.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
        sums[bin].0 += 1;
        sums[bin].1 += confidence;
        sums[bin].2 += usize::from(right);
    }
    let n = pairs.len().max(1) as f64;
    sums.iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|&(count, confidence, right)| {
            let count_f = count as f64;
            (count_f / n) * (right as f64 / count_f - confidence / count_f).abs()
        })
        .sum()
}

/// Parses every row of the `<locale>.tsv` files in `dir` (`text<TAB>label`,
/// `#` comments; format in `tests/data/phone/README.md`) in a conversation
/// opened in that locale, and scores the outcome.
///
/// # Errors
///
/// [`EvalError::Read`] if `dir` or a file cannot be read,
/// [`EvalError::Parse`] for a row without a tab.
pub fn phone(dir: &Path, nlu: &crate::nlu::Nlu) -> Result<Vec<PhoneReport>, EvalError> {
    let mut reports = Vec::new();
    for (path, locale, text) in locale_files(dir, "tsv")? {
        let mut report = PhoneReport {
            locale: locale.clone(),
            ..PhoneReport::default()
        };
        let mut calibration = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((utterance, label)) = line.split_once('\t') else {
                return Err(EvalError::Parse {
                    path: path.clone(),
                    line: i + 1,
                    message: "expected text<TAB>label".to_owned(),
                });
            };
            let label = label.trim();
            let parse = nlu.parse(utterance, Some(&locale));
            let (outcome, confidence) = match &parse.intent {
                Some(hit) => (nlu.intents()[hit.intent].name.as_str(), hit.confidence),
                None => ("out_of_scope", 0.0),
            };
            report.rows += 1;
            let right = outcome == label;
            report.right += usize::from(right);
            if label == "out_of_scope" {
                report.out_of_scope += 1;
                report.rejected += usize::from(parse.intent.is_none());
            }
            if !right {
                report.confident_errors += usize::from(confidence > 0.9);
                report.wrong.push((
                    utterance.to_owned(),
                    label.to_owned(),
                    outcome.to_owned(),
                    confidence,
                ));
            }
            if let Some(&(top, p)) = parse
                .probabilities
                .iter()
                .max_by(|a, b| a.1.total_cmp(&b.1))
            {
                calibration.push((f64::from(p), nlu.intents()[top].name == label));
            }
        }
        report.ece = expected_calibration_error(&calibration);
        reports.push(report);
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::expected_calibration_error;

    #[test]
    fn calibration_error_weighs_each_bin_by_its_share() {
        assert_eq!(expected_calibration_error(&[]), 0.0);
        // Perfectly calibrated: 0.75 confident and 3 of 4 right.
        let calibrated = [(0.75, true), (0.75, true), (0.75, true), (0.75, false)];
        assert!(expected_calibration_error(&calibrated).abs() < 1e-9);
        // Always 0.95 sure, right half the time: off by 0.45.
        let overconfident = [(0.95, true), (0.95, false)];
        assert!((expected_calibration_error(&overconfident) - 0.45).abs() < 1e-9);
        // Three bins: 0.3x (1 of 4, none right), 0.2x (1 of 4, none right),
        // 0.9x (2 of 4, both right).
        let mixed = [(0.35, false), (0.25, false), (0.9, true), (0.9, true)];
        let expected = 0.25 * 0.35 + 0.25 * 0.25 + 0.5 * 0.1;
        assert!((expected_calibration_error(&mixed) - expected).abs() < 1e-9);
    }
}
