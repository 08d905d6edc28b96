//! TF-IDF features: character n-grams (2 to 5, within word boundaries, as
//! scikit-learn's `char_wb`) and word unigrams and bigrams, over folded text
//! so that words typed with and without diacritics share features. Features
//! are hashed (64-bit FNV-1a); the character block and the word block are
//! each L2-normalised, so a vector's squared norm is 2 (1 if one block is empty).

use std::collections::HashMap;

use super::cache::{CacheError, Decoder, Encoder};
use crate::normalize;

const CHAR_MIN: usize = 2;
const CHAR_MAX: usize = 5;

/// A sparse vector: (feature index, value), indices ascending.
pub type Sparse = Vec<(u32, f32)>;

/// The vocabulary and IDF weights learned from a training set.
#[derive(Debug, Clone)]
pub struct FeatureSpace {
    index: HashMap<u64, u32>,
    idf: Vec<f32>,
    /// Indices below this are character n-grams; the rest are words.
    words_start: u32,
}

/// 64-bit FNV-1a with a seed per feature kind.
fn hash(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325 ^ seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const CHAR_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const WORD_SEED: u64 = 0x2545_f491_4f6c_dd1d;
const BIGRAM_SEED: u64 = 0x5851_f42d_4c95_7f2d;

/// The hashed terms of `text`: (is_word, hash), with repetitions; word
/// bigrams and unigrams count as words. `owners` gets, for each term, the
/// first and last word (by position) it comes from. Returns the number of
/// words.
fn terms(
    text: &str,
    lang: &str,
    out: &mut Vec<(bool, u64)>,
    owners: &mut Vec<(u16, u16)>,
) -> usize {
    out.clear();
    owners.clear();
    let words = normalize::tokens(text, lang);
    let position = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
    for (i, pair) in words.windows(2).enumerate() {
        let joined = format!("{} {}", pair[0], pair[1]);
        out.push((true, hash(BIGRAM_SEED, joined.as_bytes())));
        owners.push((position(i), position(i + 1)));
    }
    let mut padded = String::new();
    let mut bounds: Vec<usize> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let before = out.len();
        out.push((true, hash(WORD_SEED, word.as_bytes())));
        padded.clear();
        padded.push(' ');
        padded.push_str(word);
        padded.push(' ');
        bounds.clear();
        bounds.extend(padded.char_indices().map(|(i, _)| i));
        bounds.push(padded.len());
        let chars = bounds.len() - 1;
        for n in CHAR_MIN..=CHAR_MAX {
            if chars < n {
                // A short word counts once, whole (as scikit-learn does).
                out.push((false, hash(CHAR_SEED, padded.as_bytes())));
                break;
            }
            for start in 0..=chars - n {
                out.push((
                    false,
                    hash(
                        CHAR_SEED,
                        &padded.as_bytes()[bounds[start]..bounds[start + n]],
                    ),
                ));
            }
        }
        owners.extend(std::iter::repeat_n(
            (position(i), position(i)),
            out.len() - before,
        ));
    }
    words.len()
}

impl FeatureSpace {
    /// Learns the vocabulary and IDF from `texts` (each in language `lang`).
    pub fn fit<'a>(texts: impl Iterator<Item = &'a str>, lang: &str) -> Self {
        let mut df: HashMap<(bool, u64), u32> = HashMap::new();
        let mut buffer = Vec::new();
        let mut owners = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut n_docs = 0u32;
        for text in texts {
            n_docs += 1;
            terms(text, lang, &mut buffer, &mut owners);
            seen.clear();
            for term in &buffer {
                if seen.insert(*term) {
                    *df.entry(*term).or_default() += 1;
                }
            }
        }
        let mut entries: Vec<((bool, u64), u32)> = df.into_iter().collect();
        // Characters first, then words; stable order for reproducible models.
        entries.sort_unstable_by_key(|((is_word, h), _)| (*is_word, *h));
        let words_start = entries.iter().take_while(|((w, _), _)| !w).count() as u32;
        let mut index = HashMap::with_capacity(entries.len());
        let mut idf = Vec::with_capacity(entries.len());
        for (i, ((is_word, h), df)) in entries.into_iter().enumerate() {
            index.insert(key(is_word, h), i as u32);
            // scikit-learn's smooth IDF: ln((1 + n) / (1 + df)) + 1.
            idf.push(((1.0 + n_docs as f32) / (1.0 + df as f32)).ln() + 1.0);
        }
        Self {
            index,
            idf,
            words_start,
        }
    }

    /// Writes the space for [`super::cache`].
    pub(super) fn encode(&self, out: &mut Encoder) {
        out.u32(self.words_start);
        out.f32s(&self.idf);
        out.count(self.index.len());
        for (key, index) in &self.index {
            out.u64(*key);
            out.u32(*index);
        }
    }

    /// Reads what [`FeatureSpace::encode`] wrote.
    ///
    /// # Errors
    ///
    /// [`CacheError::Corrupt`] if it is cut short or a feature index is out of range.
    pub(super) fn decode(input: &mut Decoder) -> Result<Self, CacheError> {
        let words_start = input.u32()?;
        let idf = input.f32s()?;
        let n = input.count(12)?;
        let mut index = HashMap::with_capacity(n);
        for _ in 0..n {
            let (key, at) = (input.u64()?, input.u32()?);
            if at as usize >= idf.len() {
                return Err(CacheError::Corrupt("feature index"));
            }
            index.insert(key, at);
        }
        if words_start as usize > idf.len() {
            return Err(CacheError::Corrupt("feature index"));
        }
        Ok(Self {
            index,
            idf,
            words_start,
        })
    }

    /// How many features (distinct terms seen in training).
    pub fn len(&self) -> usize {
        self.idf.len()
    }

    /// True when training saw no term at all.
    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    /// The TF-IDF vector of `text`; terms unseen in training are dropped.
    pub fn transform(&self, text: &str, lang: &str) -> Sparse {
        self.transform_with_words(text, lang).vector
    }

    /// [`FeatureSpace::transform`], with what each word of `text` added to it.
    pub fn transform_with_words(&self, text: &str, lang: &str) -> WordFeatures {
        let mut buffer = Vec::new();
        let mut owners = Vec::new();
        let words = terms(text, lang, &mut buffer, &mut owners);
        let known: Vec<(u32, (u16, u16))> = buffer
            .iter()
            .zip(&owners)
            .filter_map(|((is_word, h), owner)| {
                self.index.get(&key(*is_word, *h)).map(|&i| (i, *owner))
            })
            .collect();
        let mut counts: Vec<(u32, f32)> = known.iter().map(|(i, _)| (*i, 1.0)).collect();
        counts.sort_unstable_by_key(|(i, _)| *i);
        let mut vector: Sparse = Vec::with_capacity(counts.len());
        for (i, c) in counts {
            match vector.last_mut() {
                Some((last, value)) if *last == i => *value += c,
                _ => vector.push((i, c)),
            }
        }
        for (i, value) in &mut vector {
            *value *= self.idf[*i as usize];
        }
        let split = vector.partition_point(|(i, _)| *i < self.words_start);
        let (char_block, word_block) = vector.split_at_mut(split);
        let norms = (normalise(char_block), normalise(word_block));
        WordFeatures {
            vector,
            terms: known,
            norms,
            words,
        }
    }

    /// The IDF weight of feature `index`.
    pub fn idf(&self, index: u32) -> f32 {
        self.idf[index as usize]
    }

    /// Whether feature `index` is a word (unigram or bigram) rather than a
    /// character n-gram.
    pub fn is_word(&self, index: u32) -> bool {
        index >= self.words_start
    }
}

/// A text's TF-IDF vector and where its terms came from
/// ([`FeatureSpace::transform_with_words`]).
#[derive(Debug, Clone)]
pub struct WordFeatures {
    /// The vector [`FeatureSpace::transform`] gives.
    pub vector: Sparse,
    /// Each known term occurrence: its feature and the first and last word
    /// it was made from (a bigram has two).
    pub terms: Vec<(u32, (u16, u16))>,
    /// The L2 norms of the character block and of the word block before
    /// they were normalised (0 for an empty block).
    pub norms: (f32, f32),
    /// The number of words in the text.
    pub words: usize,
}

fn key(is_word: bool, h: u64) -> u64 {
    // Word and character hashes come from different seeds, and the low bit is
    // meant to keep the two kinds apart even if their hashes are equal. It
    // does not quite: `h ^ 1` clears the bit of an odd word hash, as `h & !1`
    // does for every character hash, so a word and a character n-gram whose
    // hashes differ at most in the low bit share a key (odds of about 2^-63
    // per pair). Setting the bit for words (`h | 1`) would keep them apart.
    if is_word {
        h ^ 1
    } else {
        h & !1
    }
}

/// Scales `values` to unit L2 norm; returns the norm they had.
fn normalise(values: &mut [(u32, f32)]) -> f32 {
    let norm = values.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, v) in values {
            *v /= norm;
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_do_not_change_the_features() {
        let space = FeatureSpace::fit(["siparişim nerede", "kargom gelmedi"].into_iter(), "tr");
        assert_eq!(
            space.transform("SİPARİŞİM NEREDE", "tr"),
            space.transform("siparisim nerede", "tr")
        );
    }

    #[test]
    fn vectors_have_unit_blocks() {
        let space = FeatureSpace::fit(["where is my order"].into_iter(), "en");
        let v = space.transform("where is my order", "en");
        let total: f32 = v.iter().map(|(_, x)| x * x).sum();
        assert!((total - 2.0).abs() < 1e-4, "two unit blocks: {total}");
        assert!(space.transform("zzzz", "en").is_empty());
    }
}
