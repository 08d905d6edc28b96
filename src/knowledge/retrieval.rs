//! BM25 over article sections, per locale (Robertson & Zaragoza, "The
//! Probabilistic Relevance Framework: BM25 and Beyond", 2009, with Lucene's
//! non-negative IDF `ln(1 + (N - df + 0.5) / (df + 0.5))`). The analyzer
//! takes the same folded words as the NLU ([`normalize::tokens`]) and cuts
//! each into character 4-grams besides the whole word, which copes with
//! Turkish and Latvian endings and with typos without a stemmer per language.

use std::collections::HashMap;

use super::Article;
use crate::normalize;

/// BM25's term-frequency saturation; 1.2 is the customary value
/// (Robertson & Zaragoza 2009 suggest 1.2 to 2.0).
const K1: f32 = 1.2;
/// BM25's length normalisation, 0 (none) to 1 (full); 0.75 is the customary value.
const B: f32 = 0.75;
/// The length of the character n-grams a word is cut into.
const GRAM: usize = 4;
/// Keeps whole-word terms apart from 4-gram terms.
const WORD_MARK: u64 = 0x8000_0000_0000_0000;

/// How strongly the best section matches a query: its BM25 score per
/// distinct query term (`query_terms`, counted as at least 1), comparable
/// across query lengths; 0.0 without hits. `hits` must be best first, as
/// [`KnowledgeIndex::search`] returns them.
pub fn strength(hits: &[Hit], query_terms: usize) -> f32 {
    hits.first()
        .map_or(0.0, |h| h.score / query_terms.max(1) as f32)
}

/// A section that answers a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index into [`KnowledgeIndex::articles`].
    pub article: usize,
    /// Index into that article's sections.
    pub section: usize,
    /// Its BM25 score from [`KnowledgeIndex::search`] (positive, unbounded);
    /// the conversation layer rescales it when it ranks passages.
    pub score: f32,
}

struct Doc {
    article: usize,
    section: usize,
    len: f32,
}

struct LocaleIndex {
    docs: Vec<Doc>,
    /// term -> (doc, term frequency)
    postings: HashMap<u64, Vec<(u32, f32)>>,
    avg_len: f32,
}

/// Every article, and a BM25 index per locale whose documents are sections.
pub struct KnowledgeIndex {
    articles: Vec<Article>,
    by_locale: HashMap<String, LocaleIndex>,
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The analyzer: each folded word as a whole-word term, plus its overlapping
/// 4-grams when it is longer than 4 characters; with repetitions.
pub fn terms(text: &str, lang: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for word in normalize::tokens(text, lang) {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        // The whole word as well: an exact match counts more than a partial one.
        out.push(fnv(word.as_bytes()) ^ WORD_MARK);
        if chars.len() <= GRAM {
            continue;
        }
        for start in 0..=chars.len() - GRAM {
            let from = chars[start].0;
            let to = chars.get(start + GRAM).map_or(word.len(), |(i, _)| *i);
            out.push(fnv(&word.as_bytes()[from..to]));
        }
    }
    out
}

impl KnowledgeIndex {
    /// Indexes every section of `articles`, each with its article's title and
    /// tags, in the article's locale; a document's length is its term count.
    pub fn new(articles: Vec<Article>) -> Self {
        let mut by_locale: HashMap<String, LocaleIndex> = HashMap::new();
        for (a, article) in articles.iter().enumerate() {
            let index = by_locale
                .entry(article.locale.clone())
                .or_insert_with(|| LocaleIndex {
                    docs: Vec::new(),
                    postings: HashMap::new(),
                    avg_len: 0.0,
                });
            // Every section also carries the article's title and tags: they
            // say what the whole article is about.
            let context = format!("{} {}", article.title, article.tags.join(" "));
            for (s, section) in article.sections.iter().enumerate() {
                let text = format!("{context} {} {}", section.heading, section.text);
                let terms = terms(&text, &article.locale);
                let doc = index.docs.len() as u32;
                let mut tf: HashMap<u64, f32> = HashMap::new();
                for term in &terms {
                    *tf.entry(*term).or_default() += 1.0;
                }
                for (term, count) in tf {
                    index.postings.entry(term).or_default().push((doc, count));
                }
                index.docs.push(Doc {
                    article: a,
                    section: s,
                    len: terms.len() as f32,
                });
            }
        }
        for index in by_locale.values_mut() {
            index.avg_len =
                index.docs.iter().map(|d| d.len).sum::<f32>() / index.docs.len().max(1) as f32;
        }
        Self {
            articles,
            by_locale,
        }
    }

    /// Every article, all locales, in load order: hit indexes point into it.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The best section of each article for `query` in `locale`, best first,
    /// at most `limit` of them, and the number of distinct query terms.
    /// Sections that share no term score nothing and are left out; an
    /// unknown locale finds nothing, and so does a query with no word that
    /// has a letter: "4" or "5" names no topic, and the passage that happens
    /// to hold the number ("€4.90", "5 business days") is no answer to it.
    pub fn search(&self, query: &str, locale: &str, limit: usize) -> (Vec<Hit>, usize) {
        let mut query_terms = terms(query, locale);
        query_terms.sort_unstable();
        query_terms.dedup();
        let named = normalize::tokens(query, locale)
            .iter()
            .any(|word| word.chars().any(char::is_alphabetic));
        let Some(index) = self.by_locale.get(locale).filter(|_| named) else {
            return (Vec::new(), query_terms.len());
        };
        let n = index.docs.len() as f32;
        let mut scores = vec![0.0f32; index.docs.len()];
        for term in &query_terms {
            let Some(postings) = index.postings.get(term) else {
                continue;
            };
            let df = postings.len() as f32;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for (doc, tf) in postings {
                let len = index.docs[*doc as usize].len;
                let norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / index.avg_len));
                scores[*doc as usize] += idf * norm;
            }
        }
        let mut best: HashMap<usize, Hit> = HashMap::new();
        for (doc, score) in scores.into_iter().enumerate() {
            if score <= 0.0 {
                continue;
            }
            let d = &index.docs[doc];
            let hit = Hit {
                article: d.article,
                section: d.section,
                score,
            };
            match best.get(&d.article) {
                Some(existing) if existing.score >= score => {}
                _ => {
                    best.insert(d.article, hit);
                }
            }
        }
        let mut hits: Vec<Hit> = best.into_values().collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        (hits, query_terms.len())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::knowledge::Section;

    fn article(id: &str, locale: &str, title: &str, sections: &[(&str, &str)]) -> Article {
        Article {
            id: id.to_owned(),
            locale: locale.to_owned(),
            title: title.to_owned(),
            tags: Vec::new(),
            url: format!("/help/{id}"),
            intents: Vec::new(),
            sections: sections
                .iter()
                .map(|(heading, text)| Section {
                    heading: (*heading).to_owned(),
                    text: (*text).to_owned(),
                })
                .collect(),
            path: PathBuf::from(format!("{id}.md")),
        }
    }

    fn index() -> KnowledgeIndex {
        KnowledgeIndex::new(vec![
            article(
                "returns",
                "en",
                "Returns",
                &[
                    ("Returns", "You can send an item back within 30 days."),
                    ("Refunds", "Your refund reaches your card within 5 days."),
                ],
            ),
            article(
                "shipping",
                "en",
                "Shipping",
                &[("Shipping", "Parcels leave the warehouse within one day.")],
            ),
            article(
                "iade",
                "tr",
                "İade",
                &[(
                    "İade",
                    "Ürünü 30 gün içinde geri gönderebilirsiniz. İade ücretsizdir.",
                )],
            ),
        ])
    }

    #[test]
    fn the_section_that_holds_the_words_ranks_first_one_hit_per_article() {
        let (hits, terms) = index().search("when does my refund reach my card", "en", 5);
        assert!(terms > 0);
        assert_eq!((hits[0].article, hits[0].section), (0, 1));
        let articles: Vec<usize> = hits.iter().map(|h| h.article).collect();
        let mut unique = articles.clone();
        unique.dedup();
        assert_eq!(articles, unique, "one hit per article");
    }

    #[test]
    fn a_bare_number_finds_nothing_but_helps_beside_words() {
        for query in ["5", "30", " 5 !", "#30"] {
            let (hits, _) = index().search(query, "en", 5);
            assert!(hits.is_empty(), "{query}: {hits:?}");
        }
        let (hits, _) = index().search("refund 5 days", "en", 5);
        assert_eq!((hits[0].article, hits[0].section), (0, 1));
    }

    #[test]
    fn a_rare_term_outweighs_a_common_one() {
        // "within" is in every English section; "warehouse" in one.
        let (hits, _) = index().search("within warehouse", "en", 5);
        assert_eq!(hits[0].article, 1);
    }

    #[test]
    fn locales_are_searched_apart_and_unknown_ones_find_nothing() {
        let (hits, _) = index().search("iade", "en", 5);
        assert!(hits.is_empty(), "{hits:?}");
        let (hits, terms) = index().search("iade", "xx", 5);
        assert!(hits.is_empty());
        assert_eq!(terms, 1);
    }

    #[test]
    fn turkish_without_diacritics_and_with_endings_still_matches() {
        let (hits, _) = index().search("urunu iadesi ucretsiz mi", "tr", 5);
        assert_eq!(hits.first().map(|h| h.article), Some(2));
    }

    #[test]
    fn strength_is_per_query_term_and_zero_without_hits() {
        let hits = vec![Hit {
            article: 0,
            section: 0,
            score: 6.0,
        }];
        assert_eq!(strength(&hits, 3), 2.0);
        assert_eq!(strength(&[], 3), 0.0);
        assert_eq!(strength(&hits, 0), 6.0);
    }

    #[test]
    fn words_shorter_than_a_gram_are_one_term_and_longer_ones_add_grams() {
        assert_eq!(terms("tv", "en").len(), 1);
        // "refund": the word plus 3 four-grams (refu, efun, fund).
        assert_eq!(terms("refund", "en").len(), 4);
    }
}
