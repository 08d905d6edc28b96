//! Language identification restricted to the supported locales: a naive Bayes
//! model over character 1- to 4-grams, trained at start-up from the content
//! itself (intent examples, Fluent messages, articles), so nothing is downloaded
//! and a new locale folder is a new language.
//!
//! Every word yields its n-grams twice: as typed (lowercased, so "ş" or "ā"
//! count when present) and folded (so "siparisim" still looks Turkish). A text
//! in Greek or Cyrillic script is told apart by its letters alone.

use std::collections::HashMap;

use super::cache::{CacheError, Decoder, Encoder};
use crate::normalize;

const MAX_N: usize = 4;
/// Add-k smoothing of unseen n-grams.
const SMOOTHING: f64 = 0.5;

/// The n-grams' rows of log-probabilities, each stored next to its key:
/// open addressing with linear probing over one allocation, so a lookup
/// touches one place in memory. (A hash map from n-gram to a row index in a
/// separate table touched two; a profile under load put about 80% of
/// `identify`'s own time on those two loads, half each.)
struct Rows {
    /// Log-probabilities per row: the number of languages.
    width: usize,
    /// Slots minus one; the slot count is a power of two, at most half full.
    mask: usize,
    /// `2 + width` words per slot: the key's low and high halves, then the
    /// row's `f32`s as bits. Key 0 marks an empty slot.
    slots: Vec<u32>,
    /// The row of the n-gram whose hash is 0, which cannot sit in a slot.
    zero: Option<Vec<f32>>,
    /// log P(unseen n-gram | language) per language.
    unseen: Vec<f32>,
}

impl Rows {
    fn with_capacity(width: usize, n: usize, unseen: Vec<f32>) -> Self {
        let slots = (n.max(1) * 2).next_power_of_two();
        Self {
            width,
            mask: slots - 1,
            slots: vec![0; slots * (2 + width)],
            zero: None,
            unseen,
        }
    }

    fn stride(&self) -> usize {
        2 + self.width
    }

    /// Puts `row` (of `width` values) under `key`; a key is inserted once.
    fn insert(&mut self, key: u64, row: impl Iterator<Item = f32>) {
        if key == 0 {
            self.zero = Some(row.collect());
            return;
        }
        let stride = self.stride();
        let mut slot = (key as usize) & self.mask;
        loop {
            let at = slot * stride;
            if self.slots[at] == 0 && self.slots[at + 1] == 0 {
                self.slots[at] = key as u32;
                self.slots[at + 1] = (key >> 32) as u32;
                for (word, value) in self.slots[at + 2..at + stride].iter_mut().zip(row) {
                    *word = value.to_bits();
                }
                return;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Adds the row of `key` (or of an unseen n-gram) to `scores`.
    fn add_to(&self, key: u64, scores: &mut [f32]) {
        if key == 0 {
            let row = self.zero.as_deref().unwrap_or(&self.unseen);
            scores.iter_mut().zip(row).for_each(|(s, lp)| *s += lp);
            return;
        }
        let stride = self.stride();
        let (low, high) = (key as u32, (key >> 32) as u32);
        let mut slot = (key as usize) & self.mask;
        loop {
            let at = slot * stride;
            let (l, h) = (self.slots[at], self.slots[at + 1]);
            if l == low && h == high {
                let row = &self.slots[at + 2..at + stride];
                scores
                    .iter_mut()
                    .zip(row)
                    .for_each(|(s, bits)| *s += f32::from_bits(*bits));
                return;
            }
            if l == 0 && h == 0 {
                scores
                    .iter_mut()
                    .zip(&self.unseen)
                    .for_each(|(s, lp)| *s += lp);
                return;
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

/// The trained model: a log-probability per n-gram and language.
pub struct LanguageIdentifier {
    languages: Vec<String>,
    /// log P(n-gram | language), one row of `languages.len()` values per
    /// n-gram, and the row of an unseen n-gram.
    rows: Rows,
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
        let unseen = denominators
            .iter()
            .map(|d| (SMOOTHING / d).ln() as f32)
            .collect();
        let mut rows = Rows::with_capacity(width, counts.len(), unseen);
        for (gram, row) in counts {
            // Rows made before a language was seen are short: zero counts.
            rows.insert(
                gram,
                (0..width).map(|l| {
                    let count = row.get(l).copied().unwrap_or(0);
                    ((f64::from(count) + SMOOTHING) / denominators[l]).ln() as f32
                }),
            );
        }
        Self { languages, rows }
    }

    /// Writes the model for [`super::cache`].
    pub(super) fn encode(&self, out: &mut Encoder) {
        out.count(self.languages.len());
        self.languages.iter().for_each(|l| out.str(l));
        let rows = &self.rows;
        out.u64(rows.mask as u64);
        out.u32s(&rows.slots);
        out.f32s(rows.zero.as_deref().unwrap_or_default());
        out.f32s(&rows.unseen);
    }

    /// Reads what [`LanguageIdentifier::encode`] wrote.
    ///
    /// # Errors
    ///
    /// [`CacheError::Corrupt`] if it is cut short or its table is not one
    /// this code builds (its size, its rows' width, no empty slot).
    pub(super) fn decode(input: &mut Decoder) -> Result<Self, CacheError> {
        let n = input.count(8)?;
        let languages = (0..n).map(|_| input.str()).collect::<Result<Vec<_>, _>>()?;
        let width = languages.len();
        let mask = usize::try_from(input.u64()?).map_err(|_| CacheError::Corrupt("table"))?;
        let slots = input.u32s()?;
        let zero = input.f32s()?;
        let unseen = input.f32s()?;
        let stride = 2 + width;
        let count = mask.wrapping_add(1);
        // A lookup ends at an empty slot: there must be one.
        let has_empty = slots
            .chunks_exact(stride)
            .any(|slot| slot[0] == 0 && slot[1] == 0);
        if !count.is_power_of_two()
            || Some(slots.len()) != count.checked_mul(stride)
            || unseen.len() != width
            || !(zero.is_empty() || zero.len() == width)
            || !has_empty
        {
            return Err(CacheError::Corrupt("language table"));
        }
        let rows = Rows {
            width,
            mask,
            slots,
            zero: (!zero.is_empty()).then_some(zero),
            unseen,
        };
        Ok(Self { languages, rows })
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
        let mut scores = vec![0.0f32; self.languages.len()];
        for gram in &buffer {
            self.rows.add_to(*gram, &mut scores);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(rows: &Rows, key: u64) -> Vec<f32> {
        let mut scores = vec![0.0; rows.width];
        rows.add_to(key, &mut scores);
        scores
    }

    #[test]
    fn every_row_is_found_under_its_own_key_even_when_keys_share_a_slot() {
        let unseen = vec![-9.0, -8.0];
        let mut rows = Rows::with_capacity(2, 4, unseen.clone());
        // Same low bits: all four start probing at the same slot.
        let keys = [1u64 << 40, 2 << 40, 3 << 40, 0x10];
        for (i, key) in keys.iter().enumerate() {
            rows.insert(*key, [i as f32, -(i as f32)].into_iter());
        }
        rows.insert(0, [7.0, 7.5].into_iter());
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(scores(&rows, *key), vec![i as f32, -(i as f32)]);
        }
        assert_eq!(scores(&rows, 0), vec![7.0, 7.5]);
        assert_eq!(scores(&rows, 4 << 40), unseen);
        assert_eq!(scores(&rows, 0x11), unseen);
    }

    #[test]
    fn a_text_is_told_by_the_n_grams_of_its_language() {
        let model = LanguageIdentifier::train(
            [
                ("en", "where is my order please"),
                ("de", "wo ist meine bestellung bitte"),
                ("tr", "siparişim nerede lütfen"),
            ]
            .into_iter(),
        );
        let guess = |text| model.identify(text).map(|g| g.language);
        assert_eq!(guess("my order").as_deref(), Some("en"));
        assert_eq!(guess("meine bestellung").as_deref(), Some("de"));
        assert_eq!(guess("siparisim nerede").as_deref(), Some("tr"));
        assert_eq!(guess("1234 !!"), None);
    }
}
