//! Text normalisation shared by intent matching and knowledge search.
//!
//! Two levels: [`lowercase`] is language-aware and keeps every letter as the
//! customer wrote it (safe to show); [`fold`] also strips diacritics, dotless ı
//! and final sigma so that "SİPARİŞİM", "siparişim" and "siparisim" meet. Folded
//! text is for matching only, never for display.

use icu_casemap::CaseMapper;
use icu_locale_core::langid;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercases with the language's rules: Turkish and Azerbaijani map İ to i and I
/// to ı; Greek gets a final ς where a word ends.
pub fn lowercase(text: &str, lang: &str) -> String {
    let mapper = CaseMapper::new();
    match lang {
        "tr" | "az" => mapper
            .lowercase_to_string(text, &langid!("tr"))
            .into_owned(),
        _ => mapper
            .lowercase_to_string(text, &langid!("und"))
            .into_owned(),
    }
}

/// Lowercases and folds for matching: diacritics dropped (ā→a, ş→s, ά→α, ё→е),
/// dotless ı→i, final ς→σ, ß→ss.
///
/// One customer turn folds the same text for language identification, the
/// noise check, the exact-phrase match and the classifier's features of one
/// or two languages, and retrieval: the thread's last [`RECENT_FOLDS`] folds
/// are kept, so each is computed once per turn.
pub fn fold(text: &str, lang: &str) -> String {
    let turkic = matches!(lang, "tr" | "az");
    if text.len() > MAX_REMEMBERED_FOLD {
        return fold_lowercased(&lowercase(text, lang));
    }
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some((_, _, folded)) = recent.iter().find(|(t, s, _)| *t == turkic && s == text) {
            return folded.clone();
        }
        let folded = fold_lowercased(&lowercase(text, lang));
        if recent.len() == RECENT_FOLDS {
            recent.pop_back();
        }
        recent.push_front((turkic, text.to_owned(), folded.clone()));
        folded
    })
}

/// How many folds each thread keeps (see [`fold`]).
const RECENT_FOLDS: usize = 4;
/// Longer texts (in bytes) are folded every time: a message is at most a
/// few kilobytes, and the kept folds stay small.
const MAX_REMEMBERED_FOLD: usize = 4096;

thread_local! {
    /// The last folds: (Turkic case rules, text, folded), newest first.
    static RECENT: std::cell::RefCell<std::collections::VecDeque<(bool, String, String)>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

/// [`fold`] of text that [`lowercase`] has already been applied to.
pub fn fold_lowercased(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ı' => out.push('i'),
            'ς' => out.push('σ'),
            'ß' => out.push_str("ss"),
            _ => out.push(c),
        }
    }
    out
}

/// Folded words: runs of letters and digits; everything else separates them.
pub fn tokens(text: &str, lang: &str) -> Vec<String> {
    fold(text, lang)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The key the exact-phrase matcher looks up: the folded words, space-separated.
pub fn phrase_key(text: &str, lang: &str) -> String {
    tokens(text, lang).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_capitals_lowercase_with_dotted_and_dotless_i() {
        assert_eq!(lowercase("İSTANBUL", "tr"), "istanbul");
        assert_eq!(lowercase("SİPARİŞİM", "tr"), "siparişim");
        assert_eq!(lowercase("IŞIK", "tr"), "ışık");
        // The root rules would give "i̇stanbul" with a stray U+0307.
        assert_ne!(lowercase("İSTANBUL", "en"), "istanbul");
    }

    #[test]
    fn turkish_with_and_without_diacritics_fold_together() {
        assert_eq!(fold("SİPARİŞİM NEREDE", "tr"), "siparisim nerede");
        assert_eq!(fold("siparisim nerede", "tr"), "siparisim nerede");
        assert_eq!(fold("IŞIK", "tr"), "isik");
    }

    #[test]
    fn a_kept_fold_is_the_fold_of_that_text_under_those_case_rules() {
        let texts = ["Iİ ışık", "IŞIK", "ΟΔΌΣ", "Straße", "IŞIK", "Iİ ışık"];
        for _ in 0..3 {
            for text in texts {
                for lang in ["tr", "en", "el", "az", "de"] {
                    let fresh = fold_lowercased(&lowercase(text, lang));
                    assert_eq!(fold(text, lang), fresh, "{text} in {lang}");
                }
            }
        }
        let long = "İ".repeat(MAX_REMEMBERED_FOLD);
        assert_eq!(fold(&long, "tr"), "i".repeat(MAX_REMEMBERED_FOLD));
    }

    #[test]
    fn greek_accents_and_final_sigma_fold() {
        assert_eq!(
            fold("Πού είναι η παραγγελία μου;", "el"),
            "που ειναι η παραγγελια μου;"
        );
        assert_eq!(fold("ΛΟΓΑΡΙΑΣΜΟΣ", "el"), "λογαριασμοσ");
        assert_eq!(fold("λογαριασμός", "el"), fold("λογαριασμοσ", "el"));
        assert_eq!(lowercase("ΛΟΓΑΡΙΑΣΜΟΣ", "el"), "λογαριασμος");
    }

    #[test]
    fn latvian_long_vowels_and_consonants_fold() {
        assert_eq!(
            fold("Kur ir mans pasūtījums?", "lv"),
            "kur ir mans pasutijums?"
        );
        assert_eq!(
            fold("ŅEMŠANA ĢĒRBŠANA ĶĒĶIS", "lv"),
            "nemsana gerbsana kekis"
        );
    }

    #[test]
    fn tokens_drop_punctuation_and_keep_numbers() {
        assert_eq!(
            tokens("Where's order #100234??", "en"),
            ["where", "s", "order", "100234"]
        );
        assert_eq!(
            phrase_key("  Où est   ma commande ?", "fr"),
            "ou est ma commande"
        );
    }
}
