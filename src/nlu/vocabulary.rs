//! The words the content knows, per language: what tells a message from
//! keyboard noise ("RFSSSw", "jjjjj", "asdfgh") and a Malay sentence with
//! English words in it from an English one.
//!
//! A word is *known* in a language if it occurs, folded, in that language's
//! intent examples, Fluent messages or articles, or (four letters or longer)
//! is one typo away from a word of its intent examples: one letter dropped,
//! added, changed or two swapped, found through deletion neighbourhoods
//! (Garbe's SymSpell) of hashes, so no word list is searched.
//! Runs of three or more of one letter count as one ("hiiii", "plsss").

use std::collections::{HashMap, HashSet};

use super::cache::{CacheError, Decoder, Encoder};
use super::translit;
use crate::normalize;

/// Words shorter than this (in characters) must match exactly.
const MIN_FUZZY_CHARS: usize = 4;

/// Known words by language, and what makes a text noise.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Language -> hashes of its folded words (and, for languages typed in
    /// Latin letters too, of their skeletons).
    words: HashMap<String, HashSet<u64>>,
    /// Language -> hashes of every one-letter deletion of its intent
    /// examples' words of [`MIN_FUZZY_CHARS`] or more.
    deletions: HashMap<String, HashSet<u64>>,
}

fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in text.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// `word` with each letter left out in turn.
fn deletions_of(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| {
        let mut out = String::with_capacity(word.len());
        out.push_str(&word[..i]);
        out.push_str(&word[i + c.len_utf8()..]);
        out
    })
}

/// Collapses runs of three or more of one character to one.
fn unstretch(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while j < chars.len() && chars[j] == chars[i] {
            j += 1;
        }
        let run = j - i;
        for _ in 0..if run >= 3 { 1 } else { run } {
            out.push(chars[i]);
        }
        i = j;
    }
    out
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'α'
            | 'ε'
            | 'η'
            | 'ι'
            | 'ο'
            | 'υ'
            | 'ω'
            | 'а'
            | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'у'
            | 'ы'
            | 'э'
            | 'ю'
            | 'я'
    )
}

impl Vocabulary {
    /// Learns from (language, text) pairs: `examples` (intent examples, which
    /// also give the typo neighbourhoods) and `texts` (messages, articles).
    pub fn new<'a>(
        examples: impl Iterator<Item = (&'a str, &'a str)>,
        texts: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut vocabulary = Self::default();
        for (lang, text) in examples {
            vocabulary.add(lang, text, true);
        }
        for (lang, text) in texts {
            vocabulary.add(lang, text, false);
        }
        vocabulary
    }

    /// Writes the vocabulary for [`super::cache`].
    pub(super) fn encode(&self, out: &mut Encoder) {
        for map in [&self.words, &self.deletions] {
            out.count(map.len());
            for (lang, hashes) in map {
                out.str(lang);
                out.u64s(hashes.iter().copied());
            }
        }
    }

    /// Reads what [`Vocabulary::encode`] wrote.
    ///
    /// # Errors
    ///
    /// [`CacheError::Corrupt`] if it is cut short.
    pub(super) fn decode(input: &mut Decoder) -> Result<Self, CacheError> {
        let mut map = || -> Result<HashMap<String, HashSet<u64>>, CacheError> {
            let n = input.count(16)?;
            (0..n)
                .map(|_| Ok((input.str()?, input.u64s()?.into_iter().collect())))
                .collect()
        };
        Ok(Self {
            words: map()?,
            deletions: map()?,
        })
    }

    fn add(&mut self, lang: &str, text: &str, fuzzy: bool) {
        let mut words = normalize::tokens(text, lang);
        if translit::supports(lang) {
            words.extend(
                translit::skeleton(text, lang)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            );
        }
        let known = self.words.entry(lang.to_owned()).or_default();
        for word in &words {
            known.insert(fnv(&unstretch(word)));
        }
        if fuzzy {
            let deletions = self.deletions.entry(lang.to_owned()).or_default();
            for word in words
                .iter()
                .filter(|w| w.chars().count() >= MIN_FUZZY_CHARS)
            {
                deletions.extend(deletions_of(&unstretch(word)).map(|d| fnv(&d)));
            }
        }
    }

    /// Whether the folded `word` is known in `lang`: exactly, or with
    /// `fuzzy` one typo away (a letter dropped or added from four letters,
    /// changed or swapped from five).
    fn knows(&self, lang: &str, word: &str, fuzzy: bool) -> bool {
        let (Some(words), deletions) = (self.words.get(lang), self.deletions.get(lang)) else {
            return false;
        };
        let word = unstretch(word);
        if words.contains(&fnv(&word)) {
            return true;
        }
        let chars = word.chars().count();
        let (Some(deletions), true) = (deletions, fuzzy && chars >= MIN_FUZZY_CHARS) else {
            return false;
        };
        // A letter dropped: the word is a deletion of a known one.
        if deletions.contains(&fnv(&word)) {
            return true;
        }
        // A letter added (a deletion of it is known) or changed or swapped
        // (a deletion of it is a deletion of a known word).
        let found = deletions_of(&word).any(|d| {
            let h = fnv(&d);
            words.contains(&h) || (chars > MIN_FUZZY_CHARS && deletions.contains(&h))
        });
        found
    }

    /// Whether `word` (folded) is known in any language, or typed in Latin
    /// letters for one with a skeleton: exactly first (the common case, a
    /// few hash lookups), then one typo away if `fuzzy`.
    fn known_anywhere(&self, word: &str, fuzzy: bool) -> bool {
        let skeleton_known = |fuzzy: bool| {
            translit::LANGUAGES.iter().any(|lang| {
                translit::skeleton(word, lang)
                    .split(' ')
                    .all(|w| !w.is_empty() && self.knows(lang, w, fuzzy))
            })
        };
        self.words.keys().any(|lang| self.knows(lang, word, false))
            || skeleton_known(false)
            || (fuzzy
                && (self.words.keys().any(|lang| self.knows(lang, word, true))
                    || skeleton_known(true)))
    }

    /// Whether `text` is keyboard noise rather than words: it has letters,
    /// and every word with a letter is one letter repeated ("jjjjj"), or is
    /// known in no language ("asdfgh"), where a word without a vowel
    /// ("RFSSSw") must be known exactly ("thx", "pls"). Text without letters
    /// (numbers, emoji) is not noise.
    pub fn is_noise(&self, text: &str) -> bool {
        let words: Vec<String> = normalize::tokens(text, "und")
            .into_iter()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect();
        if words.is_empty() || self.words.is_empty() {
            return false;
        }
        words.iter().all(|word| {
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            let repeated = letters.len() >= 3 && letters.iter().all(|c| *c == letters[0]);
            let vowelless = !letters.iter().any(|c| is_vowel(*c));
            repeated || !self.known_anywhere(word, !vowelless)
        })
    }

    /// Whether `text` has a word known in `lang` and in no other language
    /// (exactly, no typo allowance; skeleton words count as in
    /// [`Vocabulary::has_own_word`]): "ja" is German and Latvian, so it
    /// does not tell which of the two a message is written in.
    pub fn has_word_only_in(&self, text: &str, lang: &str) -> bool {
        let Some(own) = self.words.get(lang) else {
            return false;
        };
        let only = |word: &str| {
            let h = fnv(&unstretch(word));
            word.chars().any(char::is_alphabetic)
                && own.contains(&h)
                && self
                    .words
                    .iter()
                    .all(|(other, known)| other == lang || !known.contains(&h))
        };
        words_and_skeletons(text, lang, only)
    }

    /// Whether `text` has a word known in `lang` and unknown in `other`
    /// (exactly, no typo allowance): a sign it is written in `lang`, whatever
    /// the other words are ("parcel sy dah shipped ke belum" has Malay words
    /// among the English ones). For a language with a Latin skeleton, the
    /// text's skeleton words count too ("pou paraggelia" has Greek ones).
    pub fn has_own_word(&self, text: &str, lang: &str, other: &str) -> bool {
        let (Some(own), Some(theirs)) = (self.words.get(lang), self.words.get(other)) else {
            return false;
        };
        let own_word = |word: &str| {
            let h = fnv(&unstretch(word));
            word.chars().any(char::is_alphabetic) && own.contains(&h) && !theirs.contains(&h)
        };
        words_and_skeletons(text, lang, own_word)
    }
}

/// Whether `test` holds for one of `text`'s folded words in `lang` or, for a
/// language typed in Latin letters too, one of its skeleton words.
fn words_and_skeletons(text: &str, lang: &str, test: impl Fn(&str) -> bool) -> bool {
    normalize::tokens(text, lang).iter().any(|w| test(w))
        || (translit::supports(lang)
            && translit::skeleton(text, lang)
                .split(' ')
                .any(|w| !w.is_empty() && test(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::new(
            [
                ("en", "where is my order please"),
                ("en", "where is my parcel"),
                ("en", "thanks a lot"),
                ("ms", "parcel saya dah sampai ke belum"),
                ("de", "danke schön"),
                ("el", "πού είναι η παραγγελία μου"),
                ("ru", "где мой заказ"),
            ]
            .into_iter(),
            [("en", "shipping takes three days")].into_iter(),
        )
    }

    #[test]
    fn noise_is_told_from_words() {
        let v = vocabulary();
        for noise in ["RFSSSw", "jjjjj", "asdfgh", "xkcd qwrt"] {
            assert!(v.is_noise(noise), "{noise}");
        }
        for words in [
            "where is my ordr",
            "thanksss",
            "Danke",
            "1004527",
            "👍",
            "shipping?",
            "pou einai h paraggelia",
            "gde moj zakaz",
            "my order 1004527 xkcd",
        ] {
            assert!(!v.is_noise(words), "{words}");
        }
    }

    #[test]
    fn own_words_mark_code_mixed_text() {
        let v = vocabulary();
        assert!(v.has_own_word("parcel sy dah shipped ke", "ms", "en"));
        assert!(!v.has_own_word("where is my parcel", "ms", "en"));
    }
}
