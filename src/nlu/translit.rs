//! Greek typed in Latin letters (Greeklish: "pou einai h paraggelia mou") and
//! Russian in translit ("gde moj zakaz"), as people type on phones whose
//! keyboard lacks the script.
//!
//! Neither has one spelling: η is written h, i or y; ω is w or o; χ is x, h or
//! ch; θ is th or 8; й is j, y or i; ж is zh or j. So nothing is converted
//! letter for letter into the native script. Instead both the native examples
//! and the Latin text are reduced to one Latin **skeleton** per language, in
//! which every such set of spellings collapses to one (η, ι, υ, ει, οι, h, i, y
//! all become `i`). The language's classifier is trained on the examples in
//! their script and as skeletons, and classifies a Latin text as its skeleton;
//! the answer is written in the native script as always.
//!
//! Sources for the spellings: ELOT 743 and the Greeklish survey of
//! Chalamandaris et al. (2006) for Greek; GOST 7.79 System B, ISO 9 and common
//! informal translit (4 for ч, w for ш) for Russian.

use crate::normalize;

/// The languages with a Latin skeleton.
pub const LANGUAGES: [&str; 2] = ["el", "ru"];

/// Whether `lang` has a Latin skeleton ([`LANGUAGES`]).
pub fn supports(lang: &str) -> bool {
    LANGUAGES.contains(&lang)
}

/// Whether `text` has a Latin letter with a diacritic ("nē", "ö", "ı"):
/// Greeklish and translit are typed in plain ASCII, so such a text is in
/// another Latin-script language, never Latin-typed Greek or Russian.
pub fn has_accented_latin(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_alphabetic()
            && !c.is_ascii()
            && (c < '\u{0370}' || ('\u{1E00}'..='\u{1EFF}').contains(&c))
    })
}

/// Whether `text` is written in Latin letters for `lang`: it has a Latin
/// letter, none with a diacritic ([`has_accented_latin`]) and no letter of
/// the language's own script (Greek for `el`, Cyrillic for `ru`). Always
/// false for other languages.
pub fn is_latin_for(text: &str, lang: &str) -> bool {
    if has_accented_latin(text) {
        return false;
    }
    let native: fn(char) -> bool = match lang {
        "el" => {
            |c| ('\u{0370}'..='\u{03FF}').contains(&c) || ('\u{1F00}'..='\u{1FFF}').contains(&c)
        }
        "ru" => |c| ('\u{0400}'..='\u{04FF}').contains(&c),
        _ => return false,
    };
    let mut latin = false;
    for c in text.chars() {
        if native(c) {
            return false;
        }
        latin |= c.is_ascii_alphabetic();
    }
    latin
}

/// The skeleton of `text` in `lang` (`el` or `ru`; other languages get the
/// folded text back): native letters are romanised, then spellings that
/// sound alike are collapsed. Words are separated by single spaces; digits
/// inside a word stand for letters (Greeklish 8 = θ, 3 = ξ; translit 4 = ч),
/// other digits are kept.
pub fn skeleton(text: &str, lang: &str) -> String {
    let mut folded = normalize::fold(text, lang);
    if lang == "ru" {
        // Translit writes ь as an apostrophe inside a word: den'gi.
        folded = folded.replace(['\'', '’'], "");
    }
    let mut out = String::with_capacity(folded.len() + 8);
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        match lang {
            "el" => out.push_str(&greek_word(word)),
            "ru" => out.push_str(&russian_word(word)),
            _ => out.push_str(word),
        }
    }
    out
}

/// Replaces, in order, each pattern with its replacement.
fn rewrite(mut word: String, rules: &[(&str, &str)]) -> String {
    for (from, to) in rules {
        if word.contains(from) {
            word = word.replace(from, to);
        }
    }
    word
}

/// Collapses a run of one letter to one (`paraggelia` and `paragelia` meet);
/// digits are kept as they are.
fn squeeze(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in word.chars() {
        if Some(c) != last || !c.is_alphabetic() {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

fn has_letter(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
}

/// One folded Greek or Greeklish word to its skeleton.
fn greek_word(word: &str) -> String {
    let mut latin = String::with_capacity(word.len() * 2);
    let digits_are_letters = has_letter(word);
    for c in word.chars() {
        let s = match c {
            'α' => "a",
            'β' => "v",
            'γ' => "g",
            'δ' => "d",
            'ε' => "e",
            'ζ' => "z",
            'η' => "i",
            'θ' => "q",
            'ι' => "i",
            'κ' => "k",
            'λ' => "l",
            'μ' => "m",
            'ν' => "n",
            'ξ' => "x",
            'ο' => "o",
            'π' => "p",
            'ρ' => "r",
            'σ' | 'ς' => "s",
            'τ' => "t",
            'υ' => "y",
            'φ' => "f",
            'χ' => "x",
            'ψ' => "ps",
            'ω' => "o",
            '8' if digits_are_letters => "q",
            '3' if digits_are_letters => "x",
            '0' if digits_are_letters => "o",
            _ => {
                latin.push(c);
                continue;
            }
        };
        latin.push_str(s);
    }
    // Latin spellings, longest first; `q` stands for θ throughout.
    let latin = rewrite(
        latin,
        &[
            ("th", "q"),
            ("ch", "x"),
            ("kh", "x"),
            ("ks", "x"),
            ("ph", "f"),
            ("ou", "u"),
            ("oy", "u"),
            ("mp", "b"),
            ("nt", "d"),
            ("gk", "g"),
            ("gg", "g"),
            ("ng", "g"),
            ("ai", "e"),
            ("ei", "i"),
            ("oi", "i"),
            ("yi", "i"),
            ("w", "o"),
            ("h", "i"),
            ("b", "v"),
            ("c", "k"),
            ("j", "g"),
        ],
    );
    // αυ/ευ: av, af, au, ay all one; then the remaining υ/y is ι.
    let latin = rewrite(
        latin,
        &[
            ("au", "av"),
            ("ay", "av"),
            ("af", "av"),
            ("eu", "ev"),
            ("ey", "ev"),
            ("ef", "ev"),
            ("y", "i"),
        ],
    );
    squeeze(&latin)
}

/// `text` romanised the way most people type Greeklish or translit (η h, ω w,
/// θ th, χ x; ж zh, й j, ч ch, ш sh), without the skeleton's collapsing: what
/// language identification learns Latin-typed Greek and Russian from. Other
/// languages get `text` back.
pub fn romanize(text: &str, lang: &str) -> String {
    let lower = normalize::lowercase(text, lang);
    let mut out = String::with_capacity(lower.len() * 2);
    for c in normalize::fold_lowercased(&lower).chars() {
        let s = match (lang, c) {
            ("el", 'α') => "a",
            ("el", 'β') => "v",
            ("el", 'γ') => "g",
            ("el", 'δ') => "d",
            ("el", 'ε') => "e",
            ("el", 'ζ') => "z",
            ("el", 'η') => "h",
            ("el", 'θ') => "th",
            ("el", 'ι') => "i",
            ("el", 'κ') => "k",
            ("el", 'λ') => "l",
            ("el", 'μ') => "m",
            ("el", 'ν') => "n",
            ("el", 'ξ') => "ks",
            ("el", 'ο') => "o",
            ("el", 'π') => "p",
            ("el", 'ρ') => "r",
            ("el", 'σ' | 'ς') => "s",
            ("el", 'τ') => "t",
            ("el", 'υ') => "y",
            ("el", 'φ') => "f",
            ("el", 'χ') => "x",
            ("el", 'ψ') => "ps",
            ("el", 'ω') => "w",
            ("ru", 'а') => "a",
            ("ru", 'б') => "b",
            ("ru", 'в') => "v",
            ("ru", 'г') => "g",
            ("ru", 'д') => "d",
            ("ru", 'е' | 'ё' | 'э') => "e",
            ("ru", 'ж') => "zh",
            ("ru", 'з') => "z",
            ("ru", 'и') => "i",
            ("ru", 'й') => "j",
            ("ru", 'к') => "k",
            ("ru", 'л') => "l",
            ("ru", 'м') => "m",
            ("ru", 'н') => "n",
            ("ru", 'о') => "o",
            ("ru", 'п') => "p",
            ("ru", 'р') => "r",
            ("ru", 'с') => "s",
            ("ru", 'т') => "t",
            ("ru", 'у') => "u",
            ("ru", 'ф') => "f",
            ("ru", 'х') => "h",
            ("ru", 'ц') => "ts",
            ("ru", 'ч') => "ch",
            ("ru", 'ш') => "sh",
            ("ru", 'щ') => "sch",
            ("ru", 'ъ' | 'ь') => "",
            ("ru", 'ы') => "y",
            ("ru", 'ю') => "yu",
            ("ru", 'я') => "ya",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(s);
    }
    out
}

/// One folded Russian or translit word to its skeleton.
fn russian_word(word: &str) -> String {
    let mut latin = String::with_capacity(word.len() * 2);
    let digits_are_letters = has_letter(word);
    for c in word.chars() {
        let s = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "z",
            'з' => "z",
            // Folding has made й an и already.
            'и' | 'й' | 'ы' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "c",
            'ч' => "ch",
            'ш' | 'щ' => "sh",
            'ъ' | 'ь' => "",
            'ю' => "iu",
            'я' => "ia",
            '4' if digits_are_letters => "ch",
            _ => {
                latin.push(c);
                continue;
            }
        };
        latin.push_str(s);
    }
    let latin = rewrite(
        latin,
        &[
            ("shch", "sh"),
            ("sch", "sh"),
            ("tch", "ch"),
            ("zh", "z"),
            ("kh", "h"),
            ("ts", "c"),
            ("tz", "c"),
            ("w", "sh"),
            ("x", "h"),
            ("yu", "iu"),
            ("ju", "iu"),
            ("ya", "ia"),
            ("ja", "ia"),
            ("yo", "io"),
            ("jo", "io"),
            ("ye", "e"),
            ("je", "e"),
            ("y", "i"),
            ("j", "i"),
            ("'", ""),
        ],
    );
    squeeze(&latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeklish_spellings_meet_the_greek_word() {
        for (greek, latin) in [
            ("πού είναι η παραγγελία μου", "pou einai h paraggelia mou"),
            ("πού είναι η παραγγελία μου", "pu ine i paragelia mu"),
            ("θέλω τα χρήματά μου πίσω", "8elw ta xrhmata mou pisw"),
            ("θέλω τα χρήματά μου πίσω", "thelo ta chrimata mou piso"),
            ("ευχαριστώ πολύ", "eyxaristw poly"),
            ("ευχαριστώ πολύ", "efxaristo poli"),
            ("μπορώ να μιλήσω", "mporw na milisw"),
            ("ξέρω", "ksero"),
        ] {
            assert_eq!(skeleton(greek, "el"), skeleton(latin, "el"), "{latin}");
        }
    }

    #[test]
    fn translit_spellings_meet_the_russian_word() {
        for (russian, latin) in [
            ("где мой заказ", "gde moj zakaz"),
            ("где мой заказ", "gde moy zakaz"),
            ("пожалуйста", "pozhalujsta"),
            ("спасибо большое", "spasibo bolshoe"),
            ("деньги", "den'gi"),
            ("что с заказом", "4to s zakazom"),
            ("удалите аккаунт", "udalite akkaunt"),
            ("вещь", "vesch"),
            ("хочу", "khochu"),
            ("хочу", "hochu"),
        ] {
            assert_eq!(skeleton(russian, "ru"), skeleton(latin, "ru"), "{latin}");
        }
    }

    #[test]
    fn latin_text_is_told_from_native_script() {
        assert!(is_latin_for("gde moj zakaz", "ru"));
        assert!(!is_latin_for("где мой заказ", "ru"));
        assert!(!is_latin_for("мой order", "ru"));
        assert!(is_latin_for("pou einai", "el"));
        assert!(!is_latin_for("πού είναι", "el"));
        assert!(!is_latin_for("1004527", "el"));
        assert!(!is_latin_for("where is it", "en"));
        // A Latin letter with a diacritic is another Latin-script language.
        assert!(!is_latin_for("nē", "el"));
        assert!(!is_latin_for("siparişim nerede", "ru"));
    }

    #[test]
    fn order_numbers_survive() {
        assert_eq!(skeleton("zakaz 1004527", "ru"), "zakaz 1004527");
        assert_eq!(skeleton("paraggelia 1004527", "el"), "paragelia 1004527");
    }
}
