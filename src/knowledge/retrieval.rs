//! BM25 over article sections, per locale, with the NLU's analyzer: folded
//! text cut into character 4-grams within words, which copes with Turkish and
//! Latvian endings and with typos without a stemmer per language.

use std::collections::HashMap;

use super::Article;
use crate::normalize;

const K1: f32 = 1.2;
const B: f32 = 0.75;
const GRAM: usize = 4;
/// Keeps whole-word terms apart from 4-gram terms.
const WORD_MARK: u64 = 0x8000_0000_0000_0000;

/// How strongly the best section matches a query: its BM25 score per
/// distinct query term, comparable across query lengths.
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

/// The analyzer: folded words, each cut into overlapping 4-grams (a shorter
/// word is one term).
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

    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The best section of each article for `query` in `locale`, best first,
    /// and the number of distinct query terms.
    pub fn search(&self, query: &str, locale: &str, limit: usize) -> (Vec<Hit>, usize) {
        let mut query_terms = terms(query, locale);
        query_terms.sort_unstable();
        query_terms.dedup();
        let Some(index) = self.by_locale.get(locale) else {
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
