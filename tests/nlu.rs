//! The NLU on text it was not trained on: held-out utterances per locale,
//! language identification with and without diacritics.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;
use switchboard::config::bundled_content_dir;
use switchboard::l10n::Localizer;
use switchboard::nlu::cache::ModelCache;
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

#[test]
fn a_text_without_a_letter_names_no_intent_but_keeps_its_entities() {
    // Digits from example sentences once made "1004527" a late delivery at
    // 0.34 in Turkish: a bare number, a phone number, an emoji or a smiley
    // says nothing about the topic, in any language.
    for locale in ALL_LOCALES {
        for text in [
            "1004527",
            "#1004527",
            "12345",
            "+90 532 111 22 33",
            "👍",
            ":)",
            "?!",
        ] {
            let parse = NLU.parse(text, Some(locale));
            assert_eq!(
                parse.intent.map(|m| NLU.intents()[m.intent].name.clone()),
                None,
                "{locale}: {text}"
            );
            assert!(parse.ranking.is_empty(), "{locale}: {text}");
            assert_eq!(parse.language, *locale, "{text}");
        }
        let parse = NLU.parse("#1004527", Some(locale));
        assert_eq!(parse.entity("order_number"), Some("1004527"), "{locale}");
    }
}

/// The intent name and language of `text` in a conversation opened in `hint`.
fn understood(text: &str, hint: &str) -> (Option<String>, String) {
    let parse = NLU.parse(text, Some(hint));
    (
        parse.intent.map(|m| NLU.intents()[m.intent].name.clone()),
        parse.language,
    )
}

#[test]
fn a_verb_that_returns_both_goods_and_money_follows_its_object() {
    // Greek "επιστρέφονται", Spanish "se devuelven", French "repris" and
    // Latvian "atdot atpakaļ" are said of goods (a return) and of money (a
    // refund): short questions about whether goods can go back are returns,
    // those about money refunds (refunds go to a priority queue).
    let cases = [
        ("el", "επιστρεφονται τα παπουτσια;", "return_item"),
        ("el", "επιστρέφονται τα ρολόγια;", "return_item"),
        ("el", "επιστρεφονται τα χρηματα;", "refund_request"),
        ("el", "επιστρεφονται και τα μεταφορικα;", "refund_request"),
        ("es", "los bañadores se devuelven?", "return_item"),
        ("es", "cuando me devuelven el dinero?", "refund_request"),
        ("fr", "les maillots sont repris ?", "return_item"),
        ("lv", "apavus var atdot atpakal?", "return_item"),
        ("lv", "kad atgriezīs naudu?", "refund_request"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(locale, text, expected)| {
            let (intent, _) = understood(text, locale);
            (intent.as_deref() != Some(expected))
                .then(|| format!("{locale}: {text} -> {intent:?}, not {expected}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn questions_about_something_else_that_share_a_word_match_nothing() {
    let cases = [
        ("en", "what time does the match start tonight"),
        ("el", "τι ωρα ανοιγει το μουσειο"),
        ("en", "how long do I boil an egg"),
        ("lv", "cik maksā biļete uz koncertu"),
        ("tr", "bu aksam mac saat kacta basliyor"),
        ("de", "wann öffnet das schwimmbad morgen"),
        ("ms", "pukul berapa muzium buka"),
        ("ms", "pukul berapa farmasi tutup"),
        ("tr", "konser bileti iade edebilir miyim"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(locale, text)| {
            let (intent, _) = understood(text, locale);
            intent.map(|i| format!("{locale}: {text} -> {i}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn keyboard_noise_matches_nothing() {
    for locale in ALL_LOCALES {
        for noise in [
            "RFSSSw",
            "jjjjj",
            "asdfghjkl",
            "qwrtzp",
            "hhhhhhhh",
            "xcvb nmkl",
        ] {
            assert_eq!(understood(noise, locale).0, None, "{locale}: {noise}");
        }
    }
    // Typos and stretched words are still words.
    assert_eq!(
        understood("thnaksss", "en").0.as_deref(),
        Some("thanks"),
        "a typo and a stretch"
    );
}

#[test]
fn money_not_back_is_a_refund_and_waiting_long_is_a_delay() {
    let cases = [
        (
            "el",
            "πότε θα δω τα χρήματα της ακύρωσης στην κάρτα μου",
            "refund_request",
        ),
        (
            "ms",
            "bila duit refund nak masuk, dah seminggu",
            "refund_request",
        ),
        (
            "de",
            "Rücksendung ist längst da, Geld aber nicht",
            "refund_request",
        ),
        (
            "tr",
            "iki haftadir bekliyorum hala kargo gelmedi",
            "delivery_delay",
        ),
        ("ms", "takpe la", "deny"),
        // Lost trust is a complaint, never a request for our address.
        (
            "tr",
            "artik size hic guvenim kalmadi, bir daha sizden alisveris yapmam",
            "complaint",
        ),
    ];
    for (locale, text, intent) in cases {
        assert_eq!(
            understood(text, locale).0.as_deref(),
            Some(intent),
            "{locale}: {text}"
        );
    }
}

#[test]
fn when_will_it_be_delivered_is_the_order_status() {
    let cases = [
        ("en", "when is my stuff going to be delivered"),
        ("tr", "siparis ne zaman teslim edilcek"),
        ("ms", "bila barang sy akan dihantar"),
        ("lv", "kad piegadas manu paku"),
        ("de", "wann wird mein paket geliefert"),
        ("fr", "quand est-ce que ma commande sera livree"),
        ("es", "cuando me entregan el pedido"),
        ("ru", "когда доставят посылку"),
    ];
    for (locale, text) in cases {
        assert_eq!(
            understood(text, locale).0.as_deref(),
            Some("order_status"),
            "{locale}: {text}"
        );
    }
}

#[test]
fn code_mixed_malay_stays_malay() {
    let cases = [
        ("admin, boleh sambung dgn real person tak", "human_agent"),
        ("parcel sy dah shipped ke belum?", "order_status"),
    ];
    for (text, intent) in cases {
        assert_eq!(
            understood(text, "ms"),
            (Some(intent.to_owned()), "ms".to_owned()),
            "{text}"
        );
    }
}

#[test]
fn greeklish_and_russian_translit_are_understood_in_their_language() {
    let cases = [
        ("pou einai h paraggelia mou", "el", "order_status"),
        ("thelw na akyrwsw thn paraggelia", "el", "order_cancel"),
        ("gde moj zakaz", "ru", "order_status"),
        ("hochu vernut den'gi", "ru", "refund_request"),
    ];
    for (text, locale, intent) in cases {
        // In a conversation in that language, and in one opened in English.
        for hint in [locale, "en"] {
            assert_eq!(
                understood(text, hint),
                (Some(intent.to_owned()), locale.to_owned()),
                "{text} (conversation in {hint})"
            );
        }
    }
}

#[test]
fn two_words_in_another_language_are_understood() {
    let cases = [
        ("tr", "kargom nerde", "order_status"),
        ("tr", "siparis iptal", "order_cancel"),
        ("en", "refund please", "refund_request"),
        ("el", "ακύρωση παραγγελίας", "order_cancel"),
        ("ms", "nak refund", "refund_request"),
        ("lv", "kur pasutijums", "order_status"),
        ("de", "bestellung stornieren", "order_cancel"),
        ("fr", "annuler commande", "order_cancel"),
        ("es", "cancelar pedido", "order_cancel"),
        ("ru", "где заказ", "order_status"),
        // A word the conversation's language knows too ("paket" is
        // Turkish) and one it does not: the Turkish model was sure of a
        // late delivery.
        ("de", "wo paket", "order_status"),
        ("de", "geld zurück", "refund_request"),
        // Greeklish: its words are Greek only as skeletons.
        ("el", "pou paraggelia", "order_status"),
    ];
    for (language, text, intent) in cases {
        for hint in ALL_LOCALES.iter().filter(|l| **l != language) {
            // Understood in the conversation's language (the other model
            // knew it) or in the text's own; either way the right intent.
            let (got, in_language) = understood(text, hint);
            assert_eq!(
                got.as_deref(),
                Some(intent),
                "{text} (conversation in {hint})"
            );
            assert!(
                in_language == language || in_language == *hint,
                "{text} (conversation in {hint}): {in_language}"
            );
        }
    }
}

#[test]
fn a_yes_or_no_shared_by_two_languages_keeps_the_conversations_language() {
    // "ja" is German and Latvian (and "nein", "ne", "da" more than one
    // language's): a customer who answers "ja" in an English chat said yes,
    // not that they now write Latvian.
    let cases = [("ja", "affirm"), ("jaa", "affirm"), ("ne", "deny")];
    for (text, intent) in cases {
        for hint in ["en", "tr", "ms", "fr", "es"] {
            let (got, language) = understood(text, hint);
            if got.is_some() {
                assert_eq!(
                    got.as_deref(),
                    Some(intent),
                    "{text} (conversation in {hint})"
                );
            }
            assert_eq!(language, hint, "{text} (conversation in {hint})");
        }
    }
    // Plainly one language's: still read there.
    assert_eq!(
        understood("ja bitte", "en"),
        (Some("affirm".to_owned()), "de".to_owned())
    );
}

/// Measures a phone-style split (tests/data/phone/README.md): per locale
/// and overall accuracy, out-of-scope rejection, confident errors and ECE.
fn phone_split(split: &str) -> Vec<switchboard::eval::PhoneReport> {
    let dir = bundled_content_dir().join("tests/data/phone").join(split);
    let reports = switchboard::eval::phone(&dir, &NLU).expect("phone split");
    for r in &reports {
        eprintln!(
            "{split} {}: accuracy {:.3}, out-of-scope {}/{}, wrong above 0.9 {}, ECE {:.3}",
            r.locale,
            r.accuracy(),
            r.rejected,
            r.out_of_scope,
            r.confident_errors,
            r.ece
        );
    }
    reports
}

#[test]
fn the_frozen_phone_style_split_is_understood() {
    // Measured only, never tuned to (tests/data/phone/README.md). The
    // targets are issue 12's: 0.92 overall, 0.88 per core locale, 0.85 of
    // out-of-scope rows rejected, no wrong answer above 0.9; overall
    // accuracy is held at 0.93 (0.942 on 2026-12-02), so that a change can
    // only keep or improve it.
    let reports = phone_split("frozen");
    assert_eq!(reports.len(), ALL_LOCALES.len());
    let rows: usize = reports.iter().map(|r| r.rows).sum();
    let right: usize = reports.iter().map(|r| r.right).sum();
    let oos: usize = reports.iter().map(|r| r.out_of_scope).sum();
    let rejected: usize = reports.iter().map(|r| r.rejected).sum();
    let confident: usize = reports.iter().map(|r| r.confident_errors).sum();
    assert!(right as f64 / rows as f64 >= 0.93, "overall {right}/{rows}");
    assert!(
        rejected as f64 / oos as f64 >= 0.85,
        "out-of-scope {rejected}/{oos}"
    );
    for r in reports
        .iter()
        .filter(|r| CORE_LOCALES.contains(&r.locale.as_str()))
    {
        assert!(r.accuracy() >= 0.88, "{}: {:.3}", r.locale, r.accuracy());
    }
    assert_eq!(confident, 0, "{confident} wrong answers above 0.9");
}

#[test]
fn the_dev_phone_style_split_is_understood() {
    let reports = phone_split("dev");
    for r in &reports {
        assert!(r.accuracy() >= 0.9, "{}: {:.3}", r.locale, r.accuracy());
        assert_eq!(r.rejected, r.out_of_scope, "{}", r.locale);
        assert_eq!(r.confident_errors, 0, "{}", r.locale);
        assert!(r.ece < 0.1, "{}: ECE {:.3}", r.locale, r.ece);
    }
}

#[test]
fn invisible_characters_inside_words_are_read_through() {
    // A zero-width space or joiner pasted inside a word (phones and
    // copy-paste leave them) does not split it; entity offsets still count
    // the text as it was sent.
    let (intent, language) = understood("ka\u{200B}rgom ner\u{200D}de", "tr");
    assert_eq!(intent.as_deref(), Some("order_status"));
    assert_eq!(language, "tr");
    let text = "sipari\u{200B}sim 1004\u{2060}527 nerede";
    let parse = NLU.parse(text, Some("tr"));
    let order = parse
        .entities
        .iter()
        .find(|e| e.entity == "order_number")
        .expect("the order number across a word joiner");
    assert_eq!(order.value, "1004527");
    let spanned: String = text
        .chars()
        .skip(order.start)
        .take(order.end - order.start)
        .collect();
    assert_eq!(spanned, "1004\u{2060}527");
}

/// (intent catalogue, further texts) of the bundled content, as the server
/// trains on them.
fn training_inputs() -> (Vec<switchboard::nlu::Intent>, Vec<(String, String)>) {
    let dir = bundled_content_dir();
    let l10n = Localizer::load(&dir.join("locales")).expect("locales");
    let intents = load_intents(&dir.join("intents")).expect("intents");
    (intents, l10n.plain_texts())
}

/// Every held-out utterance parsed with each core locale as the hint.
fn parses(nlu: &Nlu) -> Vec<switchboard::nlu::Parse> {
    held_out()
        .iter()
        .flat_map(|(_, _, text)| CORE_LOCALES.iter().map(|hint| nlu.parse(text, Some(hint))))
        .collect()
}

#[test]
fn models_read_back_from_the_cache_answer_exactly_as_trained_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = ModelCache::new(dir.path()).expect("the test binary identifies itself");
    let (intents, texts) = training_inputs();
    let trained = Nlu::load_or_train(intents.clone(), &texts, "en", &cache);
    assert!(!trained.from_cache(), "nothing was cached yet");
    let cached = Nlu::load_or_train(intents.clone(), &texts, "en", &cache);
    assert!(
        cached.from_cache(),
        "the second start reads the first's models"
    );
    let expected = parses(&trained);
    assert!(expected.iter().any(|p| p.intent.is_some()));
    assert_eq!(parses(&cached), expected, "bit for bit the same answers");
    let thresholds = |nlu: &Nlu| -> Vec<(String, f32)> {
        nlu.thresholds().map(|(l, t)| (l.to_owned(), t)).collect()
    };
    assert_eq!(thresholds(&cached), thresholds(&trained));

    // A damaged file is trained around, and rewritten whole.
    let file = std::fs::read_dir(dir.path())
        .expect("cache dir")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "bin"))
        .expect("a model file");
    let mut bytes = std::fs::read(&file).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&file, &bytes).expect("damage it");
    let retrained = Nlu::load_or_train(intents.clone(), &texts, "en", &cache);
    assert!(!retrained.from_cache(), "a damaged file is not used");
    assert_eq!(parses(&retrained), expected);
    let reread = Nlu::load_or_train(intents.clone(), &texts, "en", &cache);
    assert!(reread.from_cache(), "the damaged file was replaced");

    // Other content is another key: trained, not answered by the old models.
    let mut edited = intents;
    let greet = edited
        .iter_mut()
        .find(|i| i.examples.contains_key("en"))
        .expect("an intent with English examples");
    greet
        .examples
        .get_mut("en")
        .expect("en")
        .push("a brand new example sentence".to_owned());
    let other = Nlu::load_or_train(edited, &texts, "en", &cache);
    assert!(!other.from_cache(), "edited content trains again");
}
