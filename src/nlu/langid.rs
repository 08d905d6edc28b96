//! Language identification restricted to the supported locales: a naive Bayes
//! model over character 1- to 4-grams, trained at start-up from the content
//! itself (intent examples, Fluent messages, articles), so nothing is downloaded
//! and a new locale folder is a new language.
//!
//! Every word yields its n-grams twice: as typed (lowercased, so "ş" or "ā"
//! count when present) and folded (so "siparisim" still looks Turkish). A text
//! in Greek or Cyrillic script is told apart by its letters alone.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::normalize;

const MAX_N: usize = 4;
/// Add-k smoothing of unseen n-grams.
const SMOOTHING: f64 = 0.5;

/// The keys are FNV hashes already: hashing them again (SipHash, the
/// default) cost more than the lookup.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The trained model: a log-probability per n-gram and language.
pub struct LanguageIdentifier {
    languages: Vec<String>,
    /// n-gram hash -> its row in `table`.
    rows: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    /// log P(n-gram | language), one row of `languages.len()` values per
    /// n-gram, in one allocation; the last row is log P(unseen n-gram | language).
    table: Vec<f32>,
}

/// A guess with its margin: how much more likely (mean log-probability per
/// n-gram) the best language is than the runner-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The most likely language (a locale tag it was trained on).
    pub language: String,
    /// Its lead over the runner-up, in mean log-probability per n-gram
    /// (natural log); infinite with a single language.
    pub margin: f32,
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hashed n-grams of `text`, as typed and folded.
fn ngrams(text: &str, out: &mut Vec<u64>) {
    out.clear();
    // Case mapping without language rules: the language is what we are finding.
    let typed = normalize::lowercase(text, "und");
    let folded = normalize::fold(text, "und");
    // About 2 × 4 n-grams per letter.
    out.reserve(typed.len() * 8);
    let mut padded: Vec<char> = Vec::with_capacity(32);
    for (variant, source) in [(0u8, typed.as_str()), (1u8, folded.as_str())] {
        for word in source
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            padded.clear();
            padded.push(' ');
            padded.extend(word.chars());
            padded.push(' ');
            let mut buffer = [0u8; 4 * MAX_N + 1];
            for n in 1..=MAX_N {
                for window in padded.windows(n) {
                    if n == 1 && window[0] == ' ' {
                        continue;
                    }
                    buffer[0] = variant;
                    let mut len = 1;
                    for c in window {
                        len += c.encode_utf8(&mut buffer[len..]).len();
                    }
                    out.push(fnv(&buffer[..len]));
                }
            }
        }
    }
}

impl LanguageIdentifier {
    /// Trains on `texts`: (language, text) pairs.
    pub fn train<'a>(texts: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut languages: Vec<String> = Vec::new();
        let mut counts: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut totals: Vec<u64> = Vec::new();
        let mut buffer = Vec::new();
        for (language, text) in texts {
            let index = match languages.iter().position(|l| l == language) {
                Some(i) => i,
                None => {
                    languages.push(language.to_owned());
                    totals.push(0);
                    for row in counts.values_mut() {
                        row.push(0);
                    }
                    languages.len() - 1
                }
            };
            ngrams(text, &mut buffer);
            let width = languages.len();
            for gram in &buffer {
                let row = counts.entry(*gram).or_insert_with(|| vec![0; width]);
                row[index] += 1;
            }
            totals[index] += buffer.len() as u64;
        }
        let vocabulary = counts.len() as f64;
        let width = languages.len();
        let denominators: Vec<f64> = totals
            .iter()
            .map(|t| *t as f64 + SMOOTHING * vocabulary)
            .collect();
        let mut rows = HashMap::with_capacity_and_hasher(counts.len(), Default::default());
        let mut table = Vec::with_capacity((counts.len() + 1) * width);
        for (gram, row) in counts {
            rows.insert(gram, (table.len() / width.max(1)) as u32);
            // Rows made before a language was seen are short: zero counts.
            table.extend((0..width).map(|l| {
                let count = row.get(l).copied().unwrap_or(0);
                ((f64::from(count) + SMOOTHING) / denominators[l]).ln() as f32
            }));
        }
        table.extend(denominators.iter().map(|d| (SMOOTHING / d).ln() as f32));
        Self {
            languages,
            rows,
            table,
        }
    }

    /// The languages it chooses from, in the order first seen in training.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The most likely language of `text`, or `None` if it has no letters
    /// (or the model no language).
    pub fn identify(&self, text: &str) -> Option<Guess> {
        let mut buffer = Vec::new();
        ngrams(text, &mut buffer);
        if buffer.is_empty() || self.languages.is_empty() {
            return None;
        }
        let width = self.languages.len();
        let unseen = self.table.len() / width - 1;
        let mut scores = vec![0.0f32; width];
        for gram in &buffer {
            let row = self.rows.get(gram).map_or(unseen, |r| *r as usize);
            let row = &self.table[row * width..(row + 1) * width];
            for (score, lp) in scores.iter_mut().zip(row) {
                *score += lp;
            }
        }
        let n = buffer.len() as f32;
        let mut ranked: Vec<(usize, f32)> = scores.into_iter().map(|s| s / n).enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best, best_score) = ranked[0];
        let margin = ranked.get(1).map_or(f32::INFINITY, |(_, s)| best_score - s);
        Some(Guess {
            language: self.languages[best].clone(),
            margin,
        })
    }
}
