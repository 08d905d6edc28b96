//! Declined requests: "i dont need a human", "insan istemiyorum", "не нужен
//! оператор", "no quiero hablar con una persona". The classifier reads the
//! person words of such a text and not its negation (a bag of n-grams has no
//! scope), so it hands the customer to a person who said they want none; and
//! examples of declining cannot teach it otherwise: they pull the person
//! words towards "no" as well, so "ne nado bota, operatora" (no bot, an
//! operator) became a no (tried with 40 examples in eight languages).
//!
//! So the scope is found here, as NegEx does for clinical text (Chapman et
//! al., 2001): a **cue** of declining (a negated "want" or "need" of the
//! language) governs the words of its clause, which ends at punctuation, at a
//! conjunction, a question word or a plain "want"/"need" (a **break**). What
//! a cue governs depends on the language's word order ([`Scope`]).
//! [`read_declines`] gives the text without the declined clauses, for
//! the classifier to read again ([`super::Nlu::parse`]).
//!
//! Cues are negated *wants* ("dont want", "no quiero", "istemiyorum") and a
//! "no" or "without" before what is declined ("no human please", "kein
//! mensch", "sin agente", "без оператора", "χωρίς υπάλληλο"), never a bare
//! "not": "ich komme nicht weiter bitte einen mitarbeiter" (I am stuck, an
//! agent please) wants a person, and "i dont know" is not declining
//! anything. What is left is read again ([`super::Nlu::parse`]), so a cue
//! that governs something else ("keine antwort, mitarbeiter bitte") leaves
//! the person in the rest.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::normalize;

/// Which words of its clause a cue governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The cue and the words after it ("dont want a human"): verb-first
    /// languages. Words before it in the clause stay ("i really").
    After,
    /// The words before it and the cue, and the clause ends with it
    /// ("temsilci istemiyorum", "human not needed"): the verb closes a
    /// Turkish clause.
    Before,
    /// The whole clause ("оператор не нужен", "не нужен оператор"): free
    /// word order.
    Clause,
}

/// One language's cues and breaks, as written (folded when built).
struct Words {
    after: &'static [&'static str],
    before: &'static [&'static str],
    clause: &'static [&'static str],
    breaks: &'static [&'static str],
}

/// The cues and breaks of each language. Cues are typed as customers type
/// them: without apostrophes ("dont") or diacritics, in Greeklish and
/// translit too. A break that is a cue's own word ("want" in "dont want")
/// does not break there.
const LANGUAGES: [(&str, Words); 9] = [
    (
        "en",
        Words {
            after: &[
                "no",
                "without",
                "dont want",
                "don t want",
                "do not want",
                "dont wanna",
                "don t wanna",
                "dont need",
                "don t need",
                "do not need",
                "dont wish",
                "don t wish",
                "do not wish",
                "no need for",
                "no need to",
                "dont connect me",
                "don t connect me",
                "do not connect me",
                "dont transfer me",
                "don t transfer me",
                "do not transfer me",
            ],
            before: &["not needed", "not necessary"],
            clause: &["no need"],
            breaks: &[
                "get", "give", "let", "connect", "put", "but", "just", "only", "instead", "rather",
                "want", "wanna", "need", "where", "when", "how", "why", "what", "can", "could",
                "please", "pls", "tell", "show",
            ],
        },
    ),
    (
        "de",
        Words {
            after: &[
                "kein",
                "keinen",
                "keine",
                "ohne",
                "will kein",
                "will keinen",
                "will keine",
                "will nicht",
                "mochte kein",
                "mochte keinen",
                "mochte keine",
                "mochte nicht",
                "moechte kein",
                "moechte keinen",
                "moechte nicht",
                "brauche kein",
                "brauche keinen",
                "brauche keine",
                "brauche nicht",
                "brauch kein",
                "brauch keinen",
                "brauch nicht",
                "muss nicht",
                "kein bedarf an",
                "keinen bedarf an",
                "verbinden sie mich nicht",
            ],
            before: &[
                "nicht notig",
                "nicht noetig",
                "nicht notwendig",
                "nicht erforderlich",
                "nicht gebraucht",
            ],
            clause: &["niemand", "niemanden", "niemandem"],
            breaks: &[
                "aber", "sondern", "nur", "lieber", "will", "mochte", "moechte", "brauche", "wo",
                "wann", "wie", "warum", "was", "bitte", "konnen", "koennen",
            ],
        },
    ),
    (
        "fr",
        Words {
            after: &[
                "pas de",
                "pas d",
                "sans",
                "ne veux pas",
                "veux pas",
                "ne voudrais pas",
                "voudrais pas",
                "ne souhaite pas",
                "souhaite pas",
                "n ai pas besoin",
                "ai pas besoin",
                "pas besoin",
                "ne me transferez pas",
                "ne me passez pas",
            ],
            before: &["pas necessaire", "pas la peine"],
            clause: &[],
            breaks: &[
                "mais",
                "juste",
                "seulement",
                "plutot",
                "veux",
                "voudrais",
                "besoin",
                "ou",
                "quand",
                "comment",
                "pourquoi",
                "svp",
                "pouvez",
            ],
        },
    ),
    (
        "es",
        Words {
            after: &[
                "sin",
                "no quiero",
                "no necesito",
                "no deseo",
                "no me pases",
                "no me pase",
                "no me transfieras",
                "no me transfiera",
                "no me comuniques",
                "no me comunique",
            ],
            before: &[],
            clause: &["no hace falta", "no es necesario"],
            breaks: &[
                "pero",
                "sino",
                "solo",
                "mejor",
                "quiero",
                "necesito",
                "donde",
                "cuando",
                "como",
                "por favor",
                "porfa",
                "puede",
                "puedes",
            ],
        },
    ),
    (
        "tr",
        Words {
            after: &[],
            before: &[
                "olmasin",
                "aktarma",
                "istemiyorum",
                "istemiyom",
                "istemiyoruz",
                "istemem",
                "gerek yok",
                "gerekmiyor",
                "gerekmez",
                "lazim degil",
                "ihtiyacim yok",
                "ihtiyac yok",
                "baglamayin",
                "aktarmayin",
            ],
            clause: &[],
            breaks: &[
                "ama",
                "fakat",
                "sadece",
                "istiyorum",
                "istiyom",
                "lazim",
                "nerde",
                "nerede",
                "ne zaman",
                "nasil",
                "neden",
                "lutfen",
                "bagla",
                "baglayin",
            ],
        },
    ),
    (
        "el",
        Words {
            after: &[
                "οχι",
                "oxi",
                "ohi",
                "χωρις",
                "xwris",
                "xoris",
                "horis",
                "δεν θελω",
                "δε θελω",
                "δεν χρειαζομαι",
                "δε χρειαζομαι",
                "δεν χρειαζεται",
                "δε χρειαζεται",
                "μη με συνδεσετε",
                "μην με συνδεσετε",
                "den thelo",
                "den thelw",
                "de thelo",
                "de thelw",
                "dn thelo",
                "dn thelw",
                "den xreiazomai",
                "den xriazome",
                "den xriazomai",
                "dn xreiazomai",
                "dn xriazome",
                "den xreiazetai",
                "den xriazete",
                "dn xriazete",
            ],
            before: &[],
            clause: &[],
            breaks: &[
                "αλλα",
                "μονο",
                "θελω",
                "χρειαζομαι",
                "που",
                "ποτε",
                "πως",
                "γιατι",
                "παρακαλω",
                "alla",
                "mono",
                "thelo",
                "thelw",
                "xreiazomai",
                "xriazome",
                "pou",
                "pote",
                "pws",
                "pos",
                "giati",
                "parakalo",
                "parakalw",
            ],
        },
    ),
    (
        "ru",
        Words {
            after: &["без", "bez"],
            before: &[],
            clause: &[
                "не нужен",
                "не нужна",
                "не нужно",
                "не надо",
                "не хочу",
                "не требуется",
                "не зови",
                "не зовите",
                "не переключай",
                "не переключайте",
                "не соединяй",
                "не соединяйте",
                "ne nuzhen",
                "ne nuzhna",
                "ne nuzhno",
                "ne nujen",
                "ne nado",
                "ne hochu",
                "ne xochu",
                "ne trebuetsya",
            ],
            breaks: &[
                "но",
                "а",
                "лучше",
                "только",
                "хочу",
                "нужен",
                "надо",
                "где",
                "когда",
                "как",
                "почему",
                "пожалуйста",
                "позовите",
                "дайте",
                "no",
                "a",
                "hochu",
                "xochu",
                "nuzhen",
                "nado",
                "gde",
                "kogda",
                "kak",
                "pochemu",
                "pozhaluysta",
                "pozovite",
                "daite",
            ],
        },
    ),
    (
        "ms",
        Words {
            after: &[
                "jangan",
                "tanpa",
                "tak nak",
                "taknak",
                "x nak",
                "xnak",
                "tidak mahu",
                "tak mahu",
                "tidak mau",
                "tak mau",
                "tak perlu",
                "tidak perlu",
                "x perlu",
                "tak payah",
                "tidak payah",
                "x payah",
                "tak usah",
                "tidak usah",
                "x usah",
                "tak ingin",
                "tidak ingin",
                "jangan sambung",
                "jangan pindah",
            ],
            before: &[],
            clause: &[],
            breaks: &[
                "tapi",
                "tetapi",
                "cuma",
                "hanya",
                "nak",
                "mahu",
                "mau",
                "perlu",
                "mana",
                "bila",
                "bagaimana",
                "kenapa",
                "tolong",
                "boleh",
            ],
        },
    ),
    (
        "lv",
        Words {
            after: &["bez", "ne"],
            before: &[],
            clause: &[
                "negribu",
                "negribam",
                "negribetu",
                "nevajag",
                "nevajadzes",
                "nevelos",
                "nav vajadzigs",
                "nav vajadziga",
                "nav vajadzibas",
                "nav nepieciesams",
                "nesavienojiet",
                "neparsledziet",
            ],
            breaks: &[
                "bet",
                "tikai",
                "labak",
                "gribu",
                "vajag",
                "velos",
                "kur",
                "kad",
                "kapec",
                "ludzu",
                "savienojiet",
            ],
        },
    ),
];

/// A cue found in a text: its first and past-the-last word, and its scope.
type Cue = (usize, usize, Scope);
/// A clause of a text: its first and past-the-last word, and its cues.
type Clause = (usize, usize, Vec<Cue>);

/// A language's cues (folded words, longest first) and breaks (folded words).
struct Lexicon {
    /// Each cue's words, scope, and whether it is bare ([`BARE`]).
    cues: Vec<(Vec<String>, Scope, bool)>,
    breaks: HashSet<Vec<String>>,
    /// The most words in a break.
    longest_break: usize,
}

static LEXICONS: LazyLock<HashMap<&'static str, Lexicon>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .map(|(lang, words)| {
            let fold = |phrase: &str| normalize::tokens(phrase, lang);
            let mut cues: Vec<(Vec<String>, Scope, bool)> = [
                (words.after, Scope::After),
                (words.before, Scope::Before),
                (words.clause, Scope::Clause),
            ]
            .into_iter()
            .flat_map(|(list, scope)| {
                list.iter()
                    .map(move |cue| (fold(cue), scope, BARE.contains(cue)))
            })
            .collect();
            cues.sort_by_key(|(cue, _, _)| std::cmp::Reverse(cue.len()));
            let breaks: HashSet<Vec<String>> = words.breaks.iter().map(|b| fold(b)).collect();
            let longest_break = breaks.iter().map(Vec::len).max().unwrap_or(0);
            (
                *lang,
                Lexicon {
                    cues,
                    breaks,
                    longest_break,
                },
            )
        })
        .collect()
});

/// The cues that are a bare "no" or "without" before what is declined ("no
/// human", "kein mensch", "sin agente"), not a negated want: after one, a
/// request is no reason to read a no again ("no, its 1004527" corrects
/// what a question asked), while after a want it is ("tak perlu agen, mana
/// barang saya").
const BARE: &[&str] = &[
    "no",
    "without",
    "kein",
    "keinen",
    "keine",
    "ohne",
    "pas de",
    "pas d",
    "sans",
    "sin",
    "olmasin",
    "aktarma",
    "οχι",
    "oxi",
    "ohi",
    "χωρις",
    "xwris",
    "xoris",
    "horis",
    "без",
    "bez",
    "jangan",
    "tanpa",
    "ne",
];

/// Marks that end a clause.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        ',' | '.' | '!' | '?' | ';' | ':' | '-' | '–' | '—' | '…' | '\n' | '(' | ')' | '/'
    )
}

/// What a text declines ([`read_declines`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declines {
    /// The text without the clauses a cue governs, as folded words joined by
    /// spaces; empty if nothing else was said.
    pub rest: String,
    /// A declined clause names the bot ("i dont want to chat with a bot",
    /// "не хочу общаться с ботом"): declining it is asking for a person.
    pub the_bot: bool,
    /// A cue was a negated want ("dont need", "tak perlu"), not only a bare
    /// "no" or "without" ([`BARE`]).
    pub wants: bool,
}

/// What `text` (in `lang`) declines; `None` if it declines nothing, or
/// `lang` has no cues.
pub fn read_declines(text: &str, lang: &str) -> Option<Declines> {
    let lexicon = LEXICONS.get(lang)?;
    let mut kept: Vec<String> = Vec::new();
    let mut governed: Vec<String> = Vec::new();
    let mut declined = false;
    let mut wants = false;
    for part in text.split(ends_clause) {
        let words = normalize::tokens(part, lang);
        declined |= lexicon.keep_undeclined(words, &mut kept, &mut governed, &mut wants);
    }
    declined.then(|| Declines {
        rest: if without_courtesy(&kept).is_empty() {
            String::new()
        } else {
            kept.join(" ")
        },
        the_bot: governed.iter().any(|word| names_the_bot(word)),
        wants,
    })
}

/// Words of courtesy, which say nothing of what is wanted: left alone after
/// a declined clause ("no human *please*", "kein mensch *bitte*") they are
/// no rest (read alone, "please" is a request for a person); beside other
/// words they stay, and help read them ("hol *bitte* jemand echten").
const COURTESY: &[&str] = &[
    "please",
    "pls",
    "plz",
    "thanks",
    "thank you",
    "thx",
    "bitte",
    "danke",
    "svp",
    "stp",
    "s il vous plait",
    "merci",
    "por favor",
    "porfa",
    "xfa",
    "gracias",
    "lutfen",
    "tesekkurler",
    "tesekkur ederim",
    "sagol",
    "παρακαλω",
    "ευχαριστω",
    "parakalo",
    "parakalw",
    "efxaristo",
    "euxaristw",
    "пожалуиста",
    "спасибо",
    "pozhaluista",
    "pozhaluysta",
    "pojaluista",
    "spasibo",
    "tolong",
    "sila",
    "terima kasih",
    "ludzu",
    "paldies",
];

static COURTESY_WORDS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    COURTESY
        .iter()
        .map(|phrase| normalize::tokens(phrase, "und"))
        .collect()
});

/// `words` without the words of courtesy ([`COURTESY`]) in them.
fn without_courtesy(words: &[String]) -> Vec<String> {
    let mut kept = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        match COURTESY_WORDS
            .iter()
            .find(|phrase| words[at..].starts_with(phrase))
        {
            Some(phrase) => at += phrase.len(),
            None => {
                kept.push(words[at].clone());
                at += 1;
            }
        }
    }
    kept
}

/// Whether a folded word names the bot, in any of our languages (and their
/// inflections: "botla", "ботом", "robota").
fn names_the_bot(word: &str) -> bool {
    const STEMS: &[&str] = &[
        "bot",
        "robot",
        "chatbot",
        "бот",
        "робот",
        "μποτ",
        "ρομποτ",
        "program",
        "программ",
        "προγραμμα",
        "automat",
        "автомат",
    ];
    const WORDS: &[&str] = &[
        "machine",
        "maschine",
        "maquina",
        "makine",
        "makineyle",
        "mesin",
        "masina",
        "masinu",
        "машина",
        "машиной",
        "mashina",
        "mashinoi",
        "μηχανη",
        "mixani",
        "mhxanh",
        "ai",
    ];
    STEMS.iter().any(|stem| word.starts_with(stem)) || WORDS.contains(&word)
}

impl Lexicon {
    /// The cue starting at word `at`, if any: its length and scope.
    fn cue_at(&self, words: &[String], at: usize) -> Option<(usize, Scope, bool)> {
        self.cues
            .iter()
            .find(|(cue, _, _)| words[at..].starts_with(cue))
            .map(|(cue, scope, bare)| (cue.len(), *scope, *bare))
    }

    /// Whether a break starts at word `at`.
    fn breaks_at(&self, words: &[String], at: usize) -> bool {
        (1..=self.longest_break.min(words.len() - at))
            .any(|n| self.breaks.contains(&words[at..at + n]))
    }

    /// Pushes the words of one punctuation-delimited part that no cue
    /// governs onto `kept`; whether a cue was found.
    fn keep_undeclined(
        &self,
        words: Vec<String>,
        kept: &mut Vec<String>,
        governed: &mut Vec<String>,
        wants: &mut bool,
    ) -> bool {
        // Clauses as [start, end) word ranges, each with its cues.
        let mut clauses: Vec<Clause> = Vec::new();
        let mut start = 0;
        let mut cues = Vec::new();
        let mut at = 0;
        while at < words.len() {
            if let Some((len, scope, bare)) = self.cue_at(&words, at) {
                *wants |= !bare;
                cues.push((at, at + len, scope));
                at += len;
                if scope == Scope::Before {
                    clauses.push((start, at, std::mem::take(&mut cues)));
                    start = at;
                }
                continue;
            }
            if at > start && self.breaks_at(&words, at) {
                clauses.push((start, at, std::mem::take(&mut cues)));
                start = at;
            }
            at += 1;
        }
        clauses.push((start, words.len(), cues));
        let mut found = false;
        for (start, end, cues) in clauses {
            let keep_until = cues
                .iter()
                .map(|&(cue_start, _, scope)| match scope {
                    Scope::After => cue_start,
                    Scope::Before | Scope::Clause => start,
                })
                .min()
                .unwrap_or(end);
            found |= !cues.is_empty();
            kept.extend(words[start..keep_until].iter().cloned());
            governed.extend(words[keep_until..end].iter().cloned());
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rest(text: &str, lang: &str) -> Option<String> {
        read_declines(text, lang).map(|declines| declines.rest)
    }

    #[test]
    fn a_declined_person_leaves_nothing_or_the_rest_of_the_message() {
        let mut wrong = Vec::new();
        for (lang, text, left) in [
            ("en", "i dont need a human", "i"),
            (
                "en",
                "I don't want to talk to a person, where is my order",
                "i where is my order",
            ),
            ("en", "i really dont need an agent", "i really"),
            ("en", "dont want the bot want a human", "want a human"),
            ("en", "human not needed", ""),
            ("tr", "insan istemiyorum", ""),
            (
                "tr",
                "temsilciye gerek yok siparisim nerde",
                "siparisim nerde",
            ),
            ("tr", "bot istemiyorum insan istiyorum", "insan istiyorum"),
            ("de", "ich brauche keinen Menschen", "ich"),
            (
                "de",
                "Mitarbeiter nicht nötig, wo ist meine Bestellung",
                "wo ist meine bestellung",
            ),
            ("fr", "je ne veux pas parler à un conseiller", "je"),
            (
                "fr",
                "pas besoin d'un humain mais ou est ma commande",
                "mais ou est ma commande",
            ),
            ("es", "no quiero hablar con una persona", ""),
            (
                "es",
                "no quiero el bot quiero una persona",
                "quiero una persona",
            ),
            ("el", "Δεν θέλω άνθρωπο", ""),
            (
                "el",
                "den thelo anthrwpo pou einai i paraggelia mou",
                "pou einai i paraggelia mou",
            ),
            ("ru", "оператор не нужен", ""),
            ("ru", "мне не нужен оператор где мой заказ", "где мои заказ"),
            ("ru", "ne nado bota, operatora", "operatora"),
            ("ms", "saya tak nak cakap dengan orang", "saya"),
            (
                "ms",
                "tak perlu agen tapi mana barang saya",
                "tapi mana barang saya",
            ),
            ("lv", "operators nav vajadzigs", ""),
            (
                "lv",
                "nevajag operatoru, kur ir mans pasutijums",
                "kur ir mans pasutijums",
            ),
            // "No" and "without" before a noun govern it too; what is left
            // still asks for the person where it does.
            ("en", "no human please", ""),
            ("de", "kein mensch bitte", ""),
            ("de", "ich will mit niemandem reden", "ich"),
            (
                "de",
                "ich bekomme keine Antwort, Mitarbeiter bitte",
                "ich bekomme mitarbeiter bitte",
            ),
            ("fr", "pas d'humain svp", ""),
            ("es", "sin agente por favor", ""),
            ("ru", "без оператора пожалуйста", ""),
            ("el", "oxi anthrwpo parakalw", ""),
            ("ms", "jangan pindahkan saya kepada sesiapa", ""),
            ("lv", "ludzu bez operatora", ""),
            ("tr", "canli destek olmasin", ""),
        ] {
            let got = rest(text, lang);
            if got.as_deref() != Some(left) {
                wrong.push(format!("{lang}: {text}: {got:?}, not {left:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn only_a_negated_want_is_a_cue() {
        for (lang, text) in [
            ("en", "i dont know, let me talk to a person"),
            ("en", "i want a human not a bot"),
            ("en", "why cant i talk to a human"),
            ("de", "ich komme nicht weiter bitte einen Mitarbeiter"),
            ("es", "no puedo entrar, quiero hablar con alguien"),
            ("tr", "canli destek istiyorum"),
            ("ru", "не могу найти заказ, позовите оператора"),
            ("xx", "dont want a human"),
        ] {
            assert_eq!(rest(text, lang), None, "{lang}: {text}");
        }
    }

    /// A message at the size limit (4,000 characters of phone-typed
    /// clauses) is read in one pass: every declined clause goes, every
    /// other clause stays, in order.
    #[test]
    fn a_long_message_keeps_every_clause_it_does_not_decline() {
        let clause = "dont need a human, where is my order 1004528";
        let text = std::iter::repeat_n(clause, 85)
            .collect::<Vec<_>>()
            .join(". ");
        assert!(text.chars().count() <= 4000);
        let rest = rest(&text, "en").expect("cues");
        let kept = "where is my order 1004528";
        assert_eq!(
            rest,
            std::iter::repeat_n(kept, 85).collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn declining_the_bot_is_told_apart() {
        for (lang, text, the_bot) in [
            ("en", "i dont want to chat with a bot", true),
            ("tr", "botla konusmak istemiyorum", true),
            ("ru", "не хочу общаться с ботом", true),
            ("lv", "ne bots, ists cilveks", true),
            ("de", "ich will nicht mit einer Maschine reden", true),
            ("en", "i dont need a human", false),
            ("es", "no necesito un agente", false),
        ] {
            let declines = read_declines(text, lang).expect("a cue");
            assert_eq!(declines.the_bot, the_bot, "{lang}: {text}");
        }
    }

    #[test]
    fn every_cue_and_break_folds_to_words() {
        for (lang, lexicon) in LEXICONS.iter() {
            assert!(!lexicon.cues.is_empty(), "{lang}");
            for (cue, _, _) in &lexicon.cues {
                assert!(!cue.is_empty(), "{lang}: an empty cue");
            }
            assert!(lexicon.breaks.iter().all(|b| !b.is_empty()), "{lang}");
        }
        // Each bare cue is one of some language's cues.
        for bare in BARE {
            let listed = LANGUAGES.iter().any(|(_, w)| {
                [w.after, w.before, w.clause]
                    .iter()
                    .any(|list| list.contains(bare))
            });
            assert!(listed, "{bare} is no cue");
        }
    }
}
