//! NLU and content benchmark: loading and training the bundled content (all
//! locales), then full parses (language identification, exact phrase,
//! classifier, entities), help-centre searches, and the bot's whole decision
//! on a message (the engine's turn: parse, policy, slots, answer text; no
//! socket, no store), which is what a chat turn costs on top of the I/O.
//!
//! `cargo bench --bench nlu`

use std::collections::BTreeMap;
use std::time::Instant;

use switchboard::config::bundled_content_dir;
use switchboard::conversation::{Content, Engine, ShopFacts};
use switchboard::domain::{ConversationId, ConversationRecord, Timestamp};
use switchboard::nlu::cache::ModelCache;

#[derive(serde::Deserialize)]
struct HeldOut {
    examples: BTreeMap<String, Vec<String>>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let dir = bundled_content_dir();
    let started = Instant::now();
    let content = Content::load(&dir, None).expect("content");
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The same content again through a model cache: once to fill it, then
    // as a restart reads it.
    let cache_dir = tempfile::tempdir().expect("temp dir");
    let cache = ModelCache::new(cache_dir.path()).expect("the bench identifies itself");
    let started = Instant::now();
    drop(Content::load(&dir, Some(&cache)).expect("content"));
    let fill_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let cached = Content::load(&dir, Some(&cache)).expect("content");
    let cached_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert!(cached.nlu.from_cache());
    drop(cached);

    let mut utterances: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(dir.join("tests/data/heldout")).expect("held-out") {
        let path = entry.expect("entry").path();
        let file: HeldOut =
            toml::from_str(&std::fs::read_to_string(path).expect("read")).expect("toml");
        for (locale, texts) in file.examples {
            utterances.extend(texts.into_iter().map(|t| (locale.clone(), t)));
        }
    }
    let mut parse = Vec::new();
    let mut parse_no_hint = Vec::new();
    let mut search = Vec::new();
    let mut turn = Vec::new();
    let engine = Engine::new(
        std::sync::Arc::new(Content::load(&dir, None).expect("content")),
        ShopFacts::default(),
        Vec::new(),
    );
    for _ in 0..20 {
        for (locale, text) in &utterances {
            let t = Instant::now();
            std::hint::black_box(content.nlu.parse(text, Some(locale)));
            parse.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            std::hint::black_box(content.nlu.parse(text, None));
            parse_no_hint.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            std::hint::black_box(content.answer_passages(text, locale));
            search.push(t.elapsed().as_secs_f64() * 1e6);
            // Each utterance opens a conversation in its locale, as a
            // customer's first message after the greeting.
            let mut record =
                ConversationRecord::new(ConversationId::random(), locale, None, Timestamp::now());
            engine.greeting(&mut record);
            record.last_seq = 1;
            let t = Instant::now();
            std::hint::black_box(engine.on_text(&mut record, text));
            turn.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    for v in [&mut parse, &mut parse_no_hint, &mut search, &mut turn] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "content load + training, {} locales: {load_ms:.0} ms",
        content.l10n.locales().count()
    );
    println!(
        "content load + training + writing the model cache: {fill_ms:.0} ms; \
         content load with the models read from the cache: {cached_ms:.0} ms"
    );
    println!(
        "parse with the conversation's locale ({} utterances x 20): p50 {:.1} us, p99 {:.1} us",
        utterances.len(),
        percentile(&parse, 0.5),
        percentile(&parse, 0.99)
    );
    println!(
        "parse without a locale hint: p50 {:.1} us, p99 {:.1} us",
        percentile(&parse_no_hint, 0.5),
        percentile(&parse_no_hint, 0.99)
    );
    println!(
        "help-centre search (BM25 + intent fusion): p50 {:.1} us, p99 {:.1} us",
        percentile(&search, 0.5),
        percentile(&search, 0.99)
    );
    println!(
        "the bot's turn on a first message (parse, policy, answer text): p50 {:.1} us, p99 {:.1} us",
        percentile(&turn, 0.5),
        percentile(&turn, 0.99)
    );
}
