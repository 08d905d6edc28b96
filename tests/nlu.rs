//! The NLU on text it was not trained on: held-out utterances per locale,
//! language identification with and without diacritics.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;
use switchboard::config::bundled_content_dir;
use switchboard::l10n::Localizer;
use switchboard::nlu::{load_intents, Nlu};
use switchboard::normalize::fold;

const CORE_LOCALES: &[&str] = &["en", "tr", "el", "ms", "lv"];
const ALL_LOCALES: &[&str] = &["en", "tr", "el", "ms", "lv", "de", "fr", "es", "ru"];

static NLU: LazyLock<Nlu> = LazyLock::new(|| {
    let dir = bundled_content_dir();
    let l10n = Localizer::load(&dir.join("locales")).expect("locales");
    let intents = load_intents(&dir.join("intents")).expect("intents");
    Nlu::new(intents, &l10n.plain_texts(), "en")
});

#[derive(Deserialize)]
struct HeldOut {
    examples: BTreeMap<String, Vec<String>>,
}

/// (intent, locale, utterance) of every held-out file.
fn held_out() -> Vec<(String, String, String)> {
    let dir = bundled_content_dir().join("tests/data/heldout");
    let mut all = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("heldout dir")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for path in paths {
        let intent = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let file: HeldOut =
            toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("toml");
        for (locale, utterances) in file.examples {
            for utterance in utterances {
                all.push((intent.clone(), locale.clone(), utterance));
            }
        }
    }
    all
}

#[test]
fn held_out_utterances_are_understood_in_every_locale() {
    let held_out = held_out();
    let mut failures = Vec::new();
    for locale in ALL_LOCALES {
        let cases: Vec<_> = held_out.iter().filter(|(_, l, _)| l == locale).collect();
        assert!(
            cases.len() >= 10,
            "{locale}: only {} held-out utterances",
            cases.len()
        );
        let mut right = 0;
        for (intent, _, text) in &cases {
            let parse = NLU.parse(text, Some(locale));
            let got = parse.intent.map(|m| NLU.intents()[m.intent].name.clone());
            if got.as_deref() == Some(intent.as_str()) {
                right += 1;
            } else {
                failures.push(format!("{locale} {text:?}: expected {intent}, got {got:?}"));
            }
        }
        let accuracy = right as f64 / cases.len() as f64;
        eprintln!(
            "{locale}: {right}/{} held-out utterances ({:.1}%)",
            cases.len(),
            accuracy * 100.0
        );
        for failure in failures.iter().filter(|f| f.starts_with(locale)) {
            eprintln!("  miss: {failure}");
        }
        assert!(
            accuracy >= 0.9,
            "{locale}: {:.1}% < 90%\n{}",
            accuracy * 100.0,
            failures.join("\n")
        );
    }
}

#[test]
fn the_language_of_held_out_utterances_is_identified_with_and_without_diacritics() {
    let held_out = held_out();
    for locale in ALL_LOCALES {
        let cases: Vec<&String> = held_out
            .iter()
            .filter(|(_, l, t)| l == locale && t.split_whitespace().count() >= 3)
            .map(|(_, _, t)| t)
            .collect();
        let (mut typed, mut folded) = (0, 0);
        let mut wrong = Vec::new();
        for text in &cases {
            let (language, _) = NLU.language(text, None);
            typed += usize::from(language == *locale);
            let plain = fold(text, locale);
            let (language_plain, _) = NLU.language(&plain, None);
            folded += usize::from(language_plain == *locale);
            if language != *locale || language_plain != *locale {
                wrong.push(format!(
                    "{text:?} -> {language}, {plain:?} -> {language_plain}"
                ));
            }
        }
        let n = cases.len() as f64;
        eprintln!(
            "{locale}: {typed}/{} as typed, {folded}/{} without diacritics",
            cases.len(),
            cases.len()
        );
        assert!(
            typed as f64 / n >= 0.9,
            "{locale} as typed:\n{}",
            wrong.join("\n")
        );
        assert!(
            folded as f64 / n >= 0.85,
            "{locale} folded:\n{}",
            wrong.join("\n")
        );
    }
}

#[test]
fn short_messages_keep_the_conversation_language() {
    // "ok" and "taksi" are words in several languages: never a reason to switch.
    assert_eq!(NLU.language("ok", Some("tr")), ("tr".to_owned(), false));
    assert_eq!(
        NLU.language("paldies", Some("en")),
        ("en".to_owned(), false)
    );
}

#[test]
fn a_clear_sentence_in_another_language_switches() {
    let cases = [
        ("siparisim hala gelmedi ne zaman gelir", "tr"),
        ("kur ir mans pasutijums, jau nedelu gaidu", "lv"),
        ("που ειναι η παραγγελια μου", "el"),
        ("saya nak tahu bila barang saya sampai", "ms"),
        ("wo ist meine bestellung geblieben", "de"),
        ("je voudrais annuler ma commande", "fr"),
        ("quiero devolver unos zapatos", "es"),
        ("где мой заказ, уже неделю жду", "ru"),
    ];
    for (text, locale) in cases {
        assert_eq!(
            NLU.language(text, Some("en")),
            (locale.to_owned(), true),
            "{text}"
        );
    }
    assert_eq!(
        NLU.language("where is my order please", Some("tr")),
        ("en".to_owned(), true)
    );
}

#[test]
fn core_locales_have_their_own_thresholds() {
    let thresholds: BTreeMap<&str, f32> = NLU.thresholds().collect();
    for locale in CORE_LOCALES {
        let t = thresholds.get(locale).copied().expect("a model per locale");
        assert!((0.0..1.0).contains(&t), "{locale}: {t}");
    }
}

#[test]
fn off_topic_messages_match_nothing() {
    let cases = [
        ("en", "what's the weather like in paris tomorrow"),
        ("tr", "bana bir fıkra anlatır mısın"),
        ("lv", "kāds šodien būs laiks rīgā"),
        ("el", "ποιος κέρδισε χθες στο ποδόσφαιρο"),
        ("ms", "boleh tolong buat kerja sekolah saya"),
    ];
    for (locale, text) in cases {
        let parse = NLU.parse(text, Some(locale));
        assert_eq!(
            parse.intent.map(|m| NLU.intents()[m.intent].name.clone()),
            None,
            "{locale}: {text}"
        );
    }
}
