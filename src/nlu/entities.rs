//! Entities in what the customer wrote: order numbers, email addresses, phone
//! numbers and amounts with their currency. Offsets are in characters (Unicode
//! scalar values), `end` exclusive.
//!
//! Phone numbers are judged by the `phonenumber` crate (a port of Google's
//! libphonenumber and its metadata) for the regions of the conversation's
//! language; a bare number is an order number only with an order word, a `#`
//! or the shop's order-number pattern ([`Extractor`]). The kinds are found in
//! the order email, phone, amount, order number, and an entity never overlaps
//! one found before it (so the digits of a phone number are not an order
//! number).

use std::sync::LazyLock;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::{PhoneNumber, Type};
use regex::{Regex, RegexBuilder};

use crate::normalize;

/// An entity found in a text (PROTOCOL.md `/v1/nlu/parse` `entities`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entity {
    /// Its kind: [`ORDER_NUMBER`], [`EMAIL`], [`PHONE`] or [`AMOUNT`].
    pub entity: &'static str,
    /// The value, normalised per kind (see each kind's constant).
    pub value: String,
    /// Where it starts, in characters (Unicode scalar values) from 0.
    pub start: usize,
    /// Where it ends, in characters, exclusive.
    pub end: usize,
}

/// An order number; the value is its digits (`1004527`), the span includes a
/// `#` written before it.
///
/// [`Extractor::extract`] takes a run of 5 to 12 ASCII digits standing alone
/// (no letter, digit, `+` or `_` touching it, and not joined by `.`, `,`, `-`
/// or `/` to more digits as in a decimal, a date or a grouped number) that is
/// not part of an email address, a phone number or an amount, and only when
/// - `#` is right before it (`#1004527`, `# 1004527`), or
/// - an order word is among the 3 words before it, or among the 3 words
///   after it (`1004528 nolu siparişim`, `1004527 hasn't arrived`): `order`,
///   `ord`, `parcel`, `package`, `tracking`, `sipariş`, `kargo`, `paket`,
///   `παραγγελία`, `δέμα`, `pesanan`, `bungkusan`, `pasūtījums`, `sūtījums`,
///   `paka`, `Bestellung`, `Bestellnummer`, `Auftrag`, `Sendung`, `commande`,
///   `colis`, `pedido`, `paquete`, `заказ`, `посылка`, `трек`, their
///   transliterations such as `siparis`, `paraggelia`, `zakaz`, and words of
///   what happens to an order (`track`, `shipped`, `warehouse`,
///   `delivered`, `arrived`, `cancel`, `status`, `takip`, `teslim`, `iptal`,
///   `παράδοση`, `ακύρωση`, `sampai`, `batal`, `piegāde`, `atcelt`,
///   `geliefert`, `stornieren`, `livré`, `annuler`, `llegó`, `cancelar`,
///   `доставка`, `отменить` ...), all compared folded, so case and
///   diacritics do not matter, and by prefix, so `siparişim`, `заказа` and
///   `kargom` count (words with a digit in them are not counted among the
///   3); or
/// - the whole run matches the shop's order-number pattern
///   ([`Extractor::new`]);
///
/// and never when a tax or identity word (`vergi`, `VKN`, `TC`, `kimlik`,
/// `ΑΦΜ`, `AFM`, `VAT`, `tax`, `IBAN`, `ИНН`, `паспорт`, `passport`, `SSN`,
/// `personas kods`, `NIF`, `NIE`, `DNI`, `SIRET`, `Steuernummer`, `USt-IdNr`,
/// `MyKad`, `IC` ...) is among the 3 words before it nearer to it than any
/// order word, or, with no order word or `#` before it, among the 3 words
/// after it nearer than any order word. Phone words (below) between do not
/// count either way (`siparis numaram 1004527`).
/// [`Extractor::order_number_reply`] reads the reply to the order-number
/// question more loosely.
pub const ORDER_NUMBER: &str = "order_number";
/// An email address: a local part of letters (any script: internationalised
/// addresses, RFC 6531, "jānis.bērziņš@pasts.lv", "ayşe@örnek.com.tr"),
/// digits and `._%+-` starting with a letter or digit, `@`, dot-separated
/// domain labels and a top-level domain of 2 or more letters, any case; the
/// value is lowercased.
pub const EMAIL: &str = "email";
/// A phone number; the value is E.164: `+`, the country code and the national
/// significant number, digits only (`+447700900123`).
///
/// A candidate is ASCII digits in groups, each two groups separated by one to
/// three of space, no-break space, `-`, `.`, `/`, `(` and `)` (at most one of
/// `-./`), optionally after `+` or `(`, with no letter, digit, `#`, `_`, `@`
/// or `+` right before it (a last group glued to a letter is dropped). Any
/// run of its whole groups may be the number, longest first, if it
/// - is set off from the rest of the candidate by spaces (`1004527 0532 123
///   45 67` holds a phone number, `192.168.1.20` does not);
/// - has 7 to 15 digits besides a `00` or trunk prefix;
/// - has at most 7 groups, with a group of one digit only first, after `+`
///   or as a trunk prefix (`0`, `1`, `8`), or second, after a country code
///   (`+33 6 12 34 56 78`, `+44 (0)20 7946 0000`);
/// - is not a date (`12.05.2024`, `2024-05-12`) nor an IPv4 address;
/// - unless it starts with `+`, does not have a tax or identity word (see
///   [`ORDER_NUMBER`]) as the nearest context word before it.
///
/// It is a phone when the `phonenumber` library finds it valid, and it looks
/// like a phone:
/// - with a leading `+` or `00` it may be of any country, and that prefix is
///   enough;
/// - otherwise it is read as a national number of each region of the
///   conversation's locale in turn (en: GB, US; tr: TR; el: GR; ms: MY; lv:
///   LV; de: DE, AT, CH; fr: FR; es: ES; ru: RU; a region subtag such as
///   `de-AT` or `en-US` goes first; any other locale, or none: all twelve),
///   and it must start with that region's trunk prefix (0; 8 in RU; 1 in the
///   US), or have a phone word as the nearest context word among the 3 words
///   before it (`phone`, `mobile`, `mob`, `tel`, `cell`, `call`, `number to
///   call me on`, `cep`, `telefon`, `numaram`, `τηλ`, `τηλέφωνο`, `κινητό`,
///   `kinito`, `tilefono`, `telefon bimbit`, `nombor hp`, `no tel`,
///   `tālrunis`, `tālr`, `Handy`, `Telefonnummer`, `portable`, `numéro`,
///   `móvil`, `teléfono`, `телефон`, `номер телефона`, `мобильный`, `звоните`
///   ..., folded and by prefix like the order words; a word of one language,
///   such as `numaram`, counts only for the regions of that language, the
///   English ones and `telefon` for all), or be written in two or more groups
///   one of which has 3 digits or more. Written in groups alone, without its
///   trunk prefix and without a phone word, it must not follow an order word,
///   and where the region has a trunk prefix it must be a mobile number (or
///   one the metadata cannot tell from a landline: `532 123 45 67` is a
///   Turkish mobile, `4471 920` no German phone). A bare run of digits with
///   no prefix and no phone word is never a phone number: it may be an order
///   number.
///
/// When several regions accept it, the first in which it is a mobile number
/// wins, else the first. Ofcom's numbers for drama (07700 900000 to 900999,
/// 01632 960000 to 960999), which the library's metadata leaves out on
/// purpose, count as valid British numbers.
pub const PHONE: &str = "phone";
/// An amount with its currency word or sign: a number (digits, maybe grouped
/// by threes with space, `.` or `,`, maybe with 1 or 2 decimals after `.` or
/// `,`) right before or after a currency sign or word, with at most one
/// space between (`€`, `$`, `£`, `₺`, `₽`, `EUR`, `euro`, `ευρώ`, `евро`,
/// `USD`, `dollar`, `GBP`, `pound`, `TL`, `TRY`, `lira`, `RM`, `MYR`,
/// `ringgit`, `RUB`, `руб`, `рублей` ..., any case). The value is the number
/// with a `.` decimal point and no grouping, then the ISO 4217 code
/// (`1234.50 EUR`).
pub const AMOUNT: &str = "amount";

/// Why an entity configuration is refused.
#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    /// The shop's order-number pattern is empty or only whitespace (leave it
    /// out for "no pattern").
    #[error("the order-number pattern is empty")]
    EmptyOrderPattern,
    /// The shop's order-number pattern is not a valid regex (Rust `regex`
    /// syntax), or compiles to more than 1 MiB.
    #[error("the order-number pattern {pattern:?} is not a valid regex: {source}")]
    InvalidOrderPattern {
        /// The pattern as configured.
        pattern: String,
        /// The regex crate's description of the problem.
        source: regex::Error,
    },
}

/// Finds entities; built once at start-up from the shop's settings.
///
/// [`Extractor::default`] has no order-number pattern; it is cheap to make,
/// but the first phone number it checks then pays for loading the phone
/// metadata, which [`Extractor::new`] does up front.
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    /// The shop's order-number pattern, anchored to match a whole digit run.
    order_pattern: Option<Regex>,
}

/// Texts with fewer digits than this have no phone or order number: the
/// phone library and the context rules are skipped.
const MIN_DIGITS: usize = 5;
/// Digits of an order number, least and most.
const ORDER_DIGITS: std::ops::RangeInclusive<usize> = 5..=12;
/// The fewest digits of an order number read with no order word beside it
/// ([`Extractor::order_number_typed`]): more than any postal code.
const IN_REQUEST_DIGITS: usize = 7;
/// Digits of a phone number without a trunk prefix (E.164 allows 15), least
/// and most; a national number may have one more, its trunk prefix.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 7..=15;
/// Digit groups of a phone number, at most (`+33 6 12 34 56 78` has 6).
const PHONE_GROUPS: usize = 7;
/// Words before (or after) a number in which its context words are looked
/// for; words with a digit in them are not counted.
const CUE_WORDS: usize = 3;
/// Characters before (or after) a number that are folded to find those words.
const CUE_CHARS: usize = 80;
/// Compiled patterns the phone library may keep: its default (100, shared by
/// every country) is too small for the twelve regions tried here and would
/// recompile its largest patterns on almost every call.
const PHONE_PATTERN_CACHE: usize = 4096;

// The patterns are constants: if one did not compile, no test would pass.
static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b[\p{L}\p{N}][\p{L}\p{M}\p{N}._%+-]*@[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)*\.\p{L}[\p{L}\p{M}]+\b",
    )
        .expect("email pattern")
});
/// A run of ASCII digits (an order number candidate).
static DIGIT_RUN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]+").expect("digit run pattern"));
/// Digits standing alone, maybe grouped by single spaces or dashes
/// (`1004 527`, `100-4527`) or in thousands with dots as Turkish, German,
/// Spanish and Greek write them (`1.004.528`), optionally after `#`.
static LOOSE_ORDER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:#|\b)([0-9]{1,3}(?:\.[0-9]{3}){1,3}|[0-9](?:[ -]?[0-9]){3,13})\b")
        .expect("loose order pattern")
});
/// A date written with `.`, `/` or `-`: day, month, year or year, month, day.
static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let day_first = r"[0-9]{1,2}[./-][0-9]{1,2}[./-](?:[0-9]{2}|[0-9]{4})";
    let year_first = r"[0-9]{4}[./-][0-9]{1,2}[./-][0-9]{1,2}";
    Regex::new(&format!("^(?:{day_first}|{year_first})$")).expect("date pattern")
});

/// Currency words and signs, each with its ISO 4217 code.
const CURRENCIES: &[(&str, &str)] = &[
    ("€", "EUR"),
    ("eur", "EUR"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("evro", "EUR"),
    ("ευρώ", "EUR"),
    ("ευρω", "EUR"),
    ("евро", "EUR"),
    ("eiro", "EUR"),
    ("$", "USD"),
    ("usd", "USD"),
    ("dollar", "USD"),
    ("dollars", "USD"),
    ("dolar", "USD"),
    ("£", "GBP"),
    ("gbp", "GBP"),
    ("pound", "GBP"),
    ("pounds", "GBP"),
    ("sterlin", "GBP"),
    ("₺", "TRY"),
    ("tl", "TRY"),
    ("try", "TRY"),
    ("lira", "TRY"),
    ("rm", "MYR"),
    ("myr", "MYR"),
    ("ringgit", "MYR"),
    ("₽", "RUB"),
    ("rub", "RUB"),
    ("руб", "RUB"),
    ("рубль", "RUB"),
    ("рубля", "RUB"),
    ("рублей", "RUB"),
];

static AMOUNT_RE: LazyLock<Regex> = LazyLock::new(|| {
    let mut words: Vec<&str> = CURRENCIES.iter().map(|(w, _)| *w).collect();
    // Longest first, so "euros" wins over "euro".
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let alternatives = words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|");
    let number = r"\d{1,3}(?:[ .,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?";
    Regex::new(&format!(
        r"(?i)(?:(?P<pre>{alternatives})\s?(?P<n1>{number})|(?P<n2>{number})\s?(?P<post>{alternatives})\.?)(?:\b|$|\s)"
    ))
    .expect("amount pattern")
});

// ---------------------------------------------------------------------------
// Regions and the phone library

/// A region phone numbers are read in, with what the library's metadata says
/// of it, read once.
struct Region {
    id: Id,
    /// Its country calling code.
    code: u16,
    /// The languages whose phone words count for it.
    languages: &'static [&'static str],
    /// Its national (trunk) prefix, if it has one: 0, 8 (RU), 1 (US).
    trunk: Option<String>,
    /// Every length a valid national significant number has (the union over
    /// the number types); empty if the metadata leaves one open.
    lengths: Vec<u16>,
    /// Its country calling code, written out.
    code_digits: String,
}

impl Region {
    /// Whether `digits` (a national number as written) can have a valid
    /// length here: as it stands, without the trunk prefix, or without the
    /// country code. A cheap filter before the library parses it.
    fn length_fits(&self, digits: &str) -> bool {
        if self.lengths.is_empty() {
            return true;
        }
        let fits = |len: usize| u16::try_from(len).is_ok_and(|l| self.lengths.contains(&l));
        let code = &self.code_digits;
        fits(digits.len())
            || self
                .trunk
                .as_deref()
                .is_some_and(|t| digits.starts_with(t) && fits(digits.len() - t.len()))
            || (digits.starts_with(code.as_str()) && fits(digits.len() - code.len()))
    }
}

/// The regions numbers are read in, in the order of the locales' list (en,
/// tr, el, ms, lv, de, fr, es, ru), with the languages of their phone words.
const REGION_LIST: [(Id, &[&str]); 12] = [
    (Id::GB, &["en"]),
    (Id::US, &["en"]),
    (Id::TR, &["tr"]),
    (Id::GR, &["el"]),
    (Id::MY, &["ms"]),
    (Id::LV, &["lv"]),
    (Id::DE, &["de"]),
    (Id::AT, &["de"]),
    (Id::CH, &["de", "fr"]),
    (Id::FR, &["fr"]),
    (Id::ES, &["es"]),
    (Id::RU, &["ru"]),
];

/// [`REGION_LIST`] with the library's metadata; building it also makes the
/// library compile the patterns of those regions, so that no customer's
/// message waits for that.
static REGIONS: LazyLock<Vec<Region>> = LazyLock::new(|| {
    if let Ok(mut cache) = DATABASE.cache().lock() {
        cache.set_capacity(PHONE_PATTERN_CACHE);
    }
    let regions: Vec<Region> = REGION_LIST
        .iter()
        .filter_map(|&(id, languages)| {
            let meta = DATABASE.by_id(id.as_ref())?;
            let mut lengths: Vec<u16> = Vec::new();
            let mut open = false;
            for descriptor in type_descriptors(meta) {
                if descriptor.possible_length().is_empty() {
                    open = true;
                }
                lengths.extend_from_slice(descriptor.possible_length());
            }
            lengths.sort_unstable();
            lengths.dedup();
            if open {
                lengths.clear();
            }
            Some(Region {
                id,
                code: meta.country_code(),
                languages,
                trunk: meta.national_prefix().map(str::to_owned),
                lengths,
                code_digits: meta.country_code().to_string(),
            })
        })
        .collect();
    for region in &regions {
        let Some(meta) = DATABASE.by_id(region.id.as_ref()) else {
            continue;
        };
        for example in type_descriptors(meta).filter_map(|d| d.example()) {
            let national = format!("{}{example}", region.trunk.as_deref().unwrap_or(""));
            for (id, text) in [
                (Some(region.id), national),
                (None, format!("+{}{example}", region.code)),
            ] {
                if let Ok(number) = phonenumber::parse(id, &text) {
                    std::hint::black_box(number_kind(&number));
                }
            }
        }
    }
    regions
});

/// The descriptors of the number types a region's metadata has.
fn type_descriptors(
    meta: &phonenumber::Metadata,
) -> impl Iterator<Item = &phonenumber::metadata::Descriptor> {
    let d = meta.descriptors();
    [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ]
    .into_iter()
    .flatten()
}

/// Indices into [`REGIONS`] for `locale`, in the order they are tried.
fn regions_for(locale: &str) -> Vec<usize> {
    let tag = locale.trim().to_ascii_lowercase();
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or("");
    let wanted: &[Id] = match language {
        "en" => &[Id::GB, Id::US],
        "tr" => &[Id::TR],
        "el" => &[Id::GR],
        "ms" => &[Id::MY],
        "lv" => &[Id::LV],
        "de" => &[Id::DE, Id::AT, Id::CH],
        "fr" => &[Id::FR],
        "es" => &[Id::ES],
        "ru" => &[Id::RU],
        _ => &[],
    };
    let mut order: Vec<usize> = REGIONS
        .iter()
        .enumerate()
        .filter(|(_, r)| wanted.is_empty() || wanted.contains(&r.id))
        .map(|(i, _)| i)
        .collect();
    if !wanted.is_empty() {
        order.sort_by_key(|&i| wanted.iter().position(|id| *id == REGIONS[i].id));
    }
    // A region subtag ("de-AT", "en-US") goes first when it is one of them.
    if let Some(subtag) = parts.find(|p| p.len() == 2) {
        if let Some(at) = order
            .iter()
            .position(|&i| REGIONS[i].id.as_ref().eq_ignore_ascii_case(subtag))
        {
            let first = order.remove(at);
            order.insert(0, first);
        }
    }
    order
}

/// Whether the library finds `number` valid, and if so whether it is a
/// mobile number (or one its metadata cannot tell from a landline).
fn number_kind(number: &PhoneNumber) -> Option<bool> {
    if reserved_for_drama(number) {
        return Some(true);
    }
    if !phonenumber::is_valid(number) {
        return None;
    }
    Some(matches!(
        number.number_type(&DATABASE),
        Type::Mobile | Type::FixedLineOrMobile
    ))
}

/// Whether the library finds `number` valid (no type needed).
fn is_valid(number: &PhoneNumber) -> bool {
    reserved_for_drama(number) || phonenumber::is_valid(number)
}

/// Ofcom's ranges for drama, which libphonenumber leaves out on purpose:
/// mobile 07700 900000 to 900999 and geographic 01632 960000 to 960999.
fn reserved_for_drama(number: &PhoneNumber) -> bool {
    let national = number.national();
    number.code().value() == 44
        && national.zeros() == 0
        && ((7_700_900_000..=7_700_900_999).contains(&national.value())
            || (1_632_960_000..=1_632_960_999).contains(&national.value()))
}

/// E.164 of a parsed number: `+`, the country code, the national significant
/// number (what the library's E.164 mode writes, without its lookup of a
/// national format).
fn e164(number: &PhoneNumber) -> String {
    format!("+{}{}", number.code().value(), number.national())
}

// ---------------------------------------------------------------------------
// Context words

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Phone,
    Order,
    Tax,
}

/// A context word or phrase: folded words, each matched whole or, with a
/// trailing `*` in the list, as a prefix of the word in the text.
struct Cue {
    kind: CueKind,
    /// For phone words: the languages whose regions they count for (`*`: all).
    languages: &'static [&'static str],
    words: Vec<(&'static str, bool)>,
}

impl Cue {
    /// Whether the cue's last word is `tokens[end]`.
    fn ends_at(&self, tokens: &[&str], end: usize) -> bool {
        (end + 1)
            .checked_sub(self.words.len())
            .is_some_and(|start| self.starts_at(tokens, start))
    }

    /// Whether the cue's words are `tokens[start..]`.
    fn starts_at(&self, tokens: &[&str], start: usize) -> bool {
        let n = self.words.len();
        if start + n > tokens.len() {
            return false;
        }
        self.words
            .iter()
            .zip(&tokens[start..start + n])
            .all(|((word, prefix), token)| {
                if *prefix {
                    token.starts_with(word)
                } else {
                    token == word
                }
            })
    }
}

const ALL: &[&str] = &["*"];

/// Tax and identity words: a number after one is neither an order number
/// nor a phone number, nor one before one an order number. Folded
/// (lowercase, no diacritics, σ for ς), `*` for a prefix.
#[rustfmt::skip]
const TAX_WORDS: &[&str] = &[
    "vergi*", "vkn", "tckn", "tc", "kimlik*", "afm", "αφμ", "amka", "αμκα", "vat", "tax",
    "tin", "iban", "инн", "паспорт*", "passport*", "pasaport*", "passeport*", "reisepass*",
    "ssn", "personas kod*", "personaskod*", "nif", "nie", "dni", "siret", "siren", "steuer*",
    "ust", "ustid*", "idnr", "mykad", "ic", "nric", "снилс", "snils",
];

/// Order words, and words of what happens to an order (tracked, shipped,
/// left the warehouse, delivered, arrived, cancelled, its status): a number
/// near one is an order number. Folded, `*` for a prefix.
#[rustfmt::skip]
const ORDER_WORDS: &[&str] = &[
    // en, ms
    "order*", "ordr", "ord", "parcel*", "packag*", "tracking", "track", "shipment*",
    "shipped", "shipping", "deliver*", "arriv*", "dispatch*", "warehouse", "cancel*",
    "status", "pesanan*", "tempahan*", "bungkusan*", "sampai", "hantar*", "dihantar",
    "penghantaran*", "pengesanan", "gudang", "batal*",
    // tr
    "sipari*", "kargo*", "paket*", "teslim*", "geldi", "gelmedi", "ulasti", "ulasmadi",
    "takip*", "depo*", "iptal*",
    // el
    "παραγγελ*", "paraggel*", "δεμα*", "dema", "παραδοσ*", "αποστολ*", "ηρθε", "εφτασε",
    "αποθηκ*", "ακυρ*", "akyr*",
    // lv
    "pasutijum*", "sutijum*", "paka", "pakas", "paku", "pakai", "pacina*", "piegad*",
    "noliktav*", "atcel*", "anul*", "statuss*",
    // de
    "bestel*", "best nr", "auftrag*", "sendung*", "liefer*", "geliefert", "versand*",
    "versendet", "zustell*", "zugestellt", "angekommen", "lager", "storn*",
    // fr
    "commande*", "colis", "livr*", "expedi*", "suivi", "entrepot", "annul*",
    // es
    "pedido*", "paquete*", "envi*", "entreg*", "lleg*", "seguimiento", "almacen",
    // ru
    "заказ*", "zakaz*", "посылк*", "posylk*", "трек*", "отправ*", "доставк*", "доставлен*",
    "пришел", "пришла", "пришло", "отслеж*", "склад*", "отмен*", "otmen*",
];

/// Phone words, with the languages they count for (`*`: every region).
#[rustfmt::skip]
const PHONE_WORDS: &[(&str, &[&str])] = &[
    ("phone*", ALL), ("mobil*", ALL), ("mob", ALL), ("tel", ALL), ("telf", ALL),
    ("telefon*", ALL), ("telephon*", ALL), ("cell*", ALL), ("call", ALL), ("gsm", ALL),
    ("whatsapp*", ALL), ("number to call me on", ALL),
    ("cep", &["tr"]), ("cebim*", &["tr"]), ("numara*", &["tr"]), ("ara", &["tr"]),
    ("aray*", &["tr"]),
    ("τηλ*", &["el"]), ("κινητ*", &["el"]), ("kinit*", &["el"]), ("kinht*", &["el"]),
    ("tilef*", &["el"]), ("thlef*", &["el"]),
    ("bimbit", &["ms"]), ("nombor hp", &["ms"]), ("hp", &["ms"]), ("hubungi", &["ms"]),
    ("talr*", &["lv"]), ("zvan*", &["lv"]),
    ("handy*", &["de"]), ("rufnummer*", &["de"]), ("festnetz*", &["de"]), ("anruf*", &["de"]),
    ("portable*", &["fr"]), ("numero", &["fr", "es"]), ("appel*", &["fr"]),
    ("movil*", &["es"]), ("celular*", &["es"]), ("tlf", &["es"]), ("tfno", &["es"]),
    ("llam*", &["es"]),
    ("телефон*", &["ru"]), ("тел", &["ru"]), ("мобил*", &["ru"]), ("сотов*", &["ru"]),
    ("звон*", &["ru"]), ("позвон*", &["ru"]),
];

/// Every context word, tax words first (they win a tie).
static CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    let words = |phrase: &'static str| -> Vec<(&'static str, bool)> {
        phrase
            .split(' ')
            .map(|w| match w.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (w, false),
            })
            .collect()
    };
    let mut cues = Vec::new();
    for (kind, list) in [(CueKind::Tax, TAX_WORDS), (CueKind::Order, ORDER_WORDS)] {
        cues.extend(list.iter().map(|p| Cue {
            kind,
            languages: ALL,
            words: words(p),
        }));
    }
    cues.extend(PHONE_WORDS.iter().map(|(p, languages)| Cue {
        kind: CueKind::Phone,
        languages,
        words: words(p),
    }));
    cues
});

/// What the words before (or after) a number say about it.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// The nearest context word is a phone word, for these languages.
    phone: Option<&'static [&'static str]>,
    /// The nearest context word is a tax or identity word.
    tax_first: bool,
    /// The nearest word other than a phone word is an order word.
    order: bool,
    /// The nearest word other than a phone word is a tax or identity word.
    tax: bool,
}

impl Context {
    /// Whether a phone word before the number counts for `region`.
    fn phone_word_for(&self, region: &Region) -> bool {
        self.phone.is_some_and(|languages| {
            languages
                .iter()
                .any(|l| *l == "*" || region.languages.contains(l))
        })
    }
}

/// The context words among the [`CUE_WORDS`] words before byte `at` of
/// `text`, nearest first (a phrase counts if it ends among them).
fn context(text: &str, at: usize) -> Context {
    let before = &text[..at];
    let from = before
        .char_indices()
        .rev()
        .nth(CUE_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let folded = normalize::fold(&before[from..], "");
    let tokens = words(&folded);
    let nearest_first = (tokens.len().saturating_sub(CUE_WORDS)..tokens.len())
        .rev()
        .filter_map(|end| CUES.iter().find(|c| c.ends_at(&tokens, end)));
    read_cues(nearest_first)
}

/// The context words among the [`CUE_WORDS`] words after byte `at` of
/// `text`, nearest first (a phrase counts if it starts among them).
fn context_after(text: &str, at: usize) -> Context {
    let after = &text[at..];
    let to = after
        .char_indices()
        .nth(CUE_CHARS)
        .map_or(after.len(), |(i, _)| i);
    let folded = normalize::fold(&after[..to], "");
    let tokens = words(&folded);
    let nearest_first = (0..tokens.len().min(CUE_WORDS))
        .filter_map(|start| CUES.iter().find(|c| c.starts_at(&tokens, start)));
    read_cues(nearest_first)
}

/// The words of folded text: runs of letters and digits, less those with a
/// digit (other numbers, or parts of the same one, as in an IBAN, are not
/// counted among the words before or after a number).
fn words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !t.bytes().any(|b| b.is_ascii_digit()))
        .collect()
}

/// What context words, nearest first, say about a number.
fn read_cues<'a>(nearest_first: impl Iterator<Item = &'a Cue>) -> Context {
    let mut context = Context::default();
    for (n, cue) in nearest_first.enumerate() {
        match cue.kind {
            CueKind::Phone => {
                if n == 0 {
                    context.phone = Some(cue.languages);
                }
            }
            CueKind::Order => {
                context.order = true;
                break;
            }
            CueKind::Tax => {
                context.tax = true;
                context.tax_first = n == 0;
                break;
            }
        }
    }
    context
}

// ---------------------------------------------------------------------------
// Phone candidates

/// Characters that may separate the digit groups of a phone number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '-' | '.' | '/' | '(' | ')')
}

/// Digits with separators, maybe a phone number.
struct Candidate {
    /// Byte where it starts (its `+` or `(` included).
    start: usize,
    /// Whether it starts with `+`.
    plus: bool,
    /// Byte ranges of its digit groups.
    groups: Vec<(usize, usize)>,
}

/// The phone number candidates of `text`, in order.
fn phone_candidates(text: &str) -> Vec<Candidate> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |k: usize| chars.get(k).map_or(text.len(), |(b, _)| *b);
    let digit = |k: usize| chars.get(k).is_some_and(|(_, c)| c.is_ascii_digit());
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        let opens = c.is_ascii_digit() || (matches!(c, '+' | '(') && digit(k + 1));
        if !opens {
            k += 1;
            continue;
        }
        let touching = k > 0 && {
            let p = chars[k - 1].1;
            p.is_alphanumeric() || matches!(p, '#' | '_' | '@' | '+')
        };
        let plus = c == '+';
        let mut j = if c.is_ascii_digit() { k } else { k + 1 };
        let mut groups = Vec::new();
        loop {
            let first = j;
            while digit(j) {
                j += 1;
            }
            groups.push((byte(first), byte(j)));
            // Up to three separators, at most one of them `-./`, then a digit
            // (or a parenthesis and a digit).
            let mut s = j;
            let mut marks = 0;
            while s < chars.len() && s - j < 3 && is_separator(chars[s].1) {
                if matches!(chars[s].1, '-' | '.' | '/') {
                    marks += 1;
                }
                s += 1;
            }
            if s > j && marks <= 1 && digit(s) {
                j = s;
            } else {
                break;
            }
        }
        // A last group glued to a letter, or the integer part of a decimal,
        // is not part of the number.
        let after = chars.get(j).map(|(_, c)| *c);
        let glued = after.is_some_and(|a| a.is_alphabetic() || a == '_' || a == '@')
            || (matches!(after, Some('.' | ',')) && digit(j + 1));
        if glued {
            groups.pop();
        }
        if !touching && !groups.is_empty() {
            out.push(Candidate {
                start: byte(k),
                plus,
                groups,
            });
        }
        k = j.max(k + 1);
    }
    out
}

// ---------------------------------------------------------------------------
// The extractor

/// An entity with byte offsets.
struct Found {
    start: usize,
    end: usize,
    kind: &'static str,
    value: String,
}

/// Adds `entity` to `found` unless it overlaps one found before.
fn add(found: &mut Vec<Found>, entity: Found) {
    if !overlaps(found, entity.start, entity.end) {
        found.push(entity);
    }
}

fn overlaps(found: &[Found], start: usize, end: usize) -> bool {
    found.iter().any(|f| start < f.end && end > f.start)
}

/// Whether the digit run `start..end` of `text` stands alone: nothing
/// alphanumeric, `+` or `_` touches it, and no `.`, `,`, `-` or `/` joins it
/// to more digits.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let joins = |c: Option<char>| matches!(c, Some('.' | ',' | '-' | '/'));
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let touches = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    !(touches(b1)
        || touches(a1)
        || b1 == Some('+')
        || (joins(b1) && b2.is_some_and(|c| c.is_ascii_digit()))
        || (joins(a1) && a2.is_some_and(|c| c.is_ascii_digit())))
}

/// Where an order number starting at byte `start` begins with its `#` (and
/// one space after it), and whether it has one.
fn hash_before(text: &str, start: usize) -> (usize, bool) {
    let before = &text[..start];
    if let Some(rest) = before.strip_suffix('#') {
        return (rest.len(), true);
    }
    if let Some(rest) = before.strip_suffix(" ").and_then(|r| r.strip_suffix('#')) {
        return (rest.len(), true);
    }
    (start, false)
}

/// Loads the phone metadata of the twelve regions and compiles their
/// patterns (about 0.3 s of CPU), which would otherwise happen on the first
/// message with a phone-like number. Start-up runs it on a thread of its own
/// while the server already serves.
pub fn warm_up() {
    LazyLock::force(&REGIONS);
    LazyLock::force(&CUES);
}

impl Extractor {
    /// An extractor with the shop's order-number pattern: `order_pattern` is
    /// a regex (Rust `regex` syntax) matched against a whole digit run, e.g.
    /// `10\d{5}`; `None` = no pattern, so a bare number needs an order word
    /// or `#` to be an order number. Refused with [`EntityError`] if the
    /// pattern is empty, not a valid regex or larger than 1 MiB compiled.
    /// The phone metadata loads on first use; [`warm_up`] loads it ahead.
    pub fn new(order_pattern: Option<&str>) -> Result<Self, EntityError> {
        let order_pattern = match order_pattern {
            None => None,
            Some(pattern) if pattern.trim().is_empty() => {
                return Err(EntityError::EmptyOrderPattern)
            }
            Some(pattern) => {
                let invalid = |source| EntityError::InvalidOrderPattern {
                    pattern: pattern.to_owned(),
                    source,
                };
                // Checked alone first, so that the error speaks of the
                // pattern as written and `a)|(b` cannot escape the anchors.
                RegexBuilder::new(pattern)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(invalid)?;
                Some(
                    RegexBuilder::new(&format!("^(?:{pattern})$"))
                        .size_limit(1 << 20)
                        .build()
                        .map_err(invalid)?,
                )
            }
        };
        Ok(Self { order_pattern })
    }

    /// Every entity in `text` written in conversation locale `locale` (a
    /// language tag like `tr` or `de-AT`; unknown or empty: the regions of
    /// all nine languages), in order of position, never overlapping. Emails
    /// first, then phones ([`PHONE`]), amounts ([`AMOUNT`]) and order numbers
    /// ([`ORDER_NUMBER`]); offsets in characters, `end` exclusive.
    pub fn extract(&self, text: &str, locale: &str) -> Vec<Entity> {
        let mut offsets = CharOffsets::new(text);
        self.spans(text, locale, true)
            .into_iter()
            .map(|f| Entity {
                entity: f.kind,
                start: offsets.of(f.start),
                end: offsets.of(f.end),
                value: f.value,
            })
            .collect()
    }

    /// The order number in a reply to the question that asked for one: the
    /// [`ORDER_NUMBER`] of [`Extractor::extract`], else the first 5 to 12
    /// digits standing alone (no letter or digit touching them), maybe
    /// grouped by single spaces or dashes as phones type them (`1004 527`,
    /// `100-4527`, `#100-4527`) or in thousands with dots (`1.004.528`),
    /// that are not part of an email address, an
    /// amount or a phone number (a [`PHONE`] in the locale's regions, or,
    /// with a `+`, `00` or trunk prefix or a phone word, in any of the
    /// twelve: `0532 123 45 67` in an English conversation), are not a date
    /// (`12-05-2024`) and have no tax or identity word among the 3 words
    /// before or after them nearer than an order word. The value is the
    /// digits. Looser than [`Extractor::extract`] because the customer was
    /// just asked for a number.
    pub fn order_number_reply(&self, text: &str, locale: &str) -> Option<String> {
        // Most messages have no digit at all: skip the patterns (this runs on
        // turns the parse already scanned).
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        // Just asked for an order number, a bare run is its answer even if
        // it could be a mobile number (139865205 in a Malaysian chat).
        let mut found = self.spans(text, locale, false);
        if let Some(order) = found.iter().find(|f| f.kind == ORDER_NUMBER) {
            return Some(order.value.clone());
        }
        // A phone number of another region is not an order number either,
        // when it shows it by its trunk prefix or a phone word.
        if text.bytes().filter(u8::is_ascii_digit).count() >= *PHONE_DIGITS.start()
            && regions_for(locale).len() < REGIONS.len()
        {
            phones(text, "", true, &mut found);
        }
        LOOSE_ORDER_RE.captures_iter(text).find_map(|caps| {
            let whole = caps.get(0)?;
            let number = caps.get(1)?;
            if overlaps(&found, whole.start(), whole.end()) || DATE_RE.is_match(number.as_str()) {
                return None;
            }
            let digits: String = number
                .as_str()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            (ORDER_DIGITS.contains(&digits.len())
                && !context(text, whole.start()).tax
                && !context_after(text, whole.end()).tax)
                .then_some(digits)
        })
    }

    /// A number in `text` long enough to be taken for an order number with
    /// no question asked and no order word ("where is 1004527?", "its
    /// 1004528"): [`Extractor::order_number_reply`]'s reading with at least
    /// [`IN_REQUEST_DIGITS`] digits, so no postal code, phone, date or tax
    /// number.
    pub fn order_number_typed(&self, text: &str, locale: &str) -> Option<String> {
        self.order_number_reply(text, locale)
            .filter(|digits| digits.len() >= IN_REQUEST_DIGITS)
    }

    /// The first email address in `text`, lowercased.
    pub fn email(&self, text: &str) -> Option<String> {
        EMAIL_RE.find(text).map(|m| m.as_str().to_lowercase())
    }

    /// [`Extractor::extract`] with byte offsets, in order of position.
    /// With `bare_mobiles`, bare runs that are a whole mobile number of the
    /// locale's country count as phones ([`bare_mobiles`]).
    fn spans(&self, text: &str, locale: &str, bare_mobiles: bool) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        for m in EMAIL_RE.find_iter(text) {
            add(
                &mut found,
                Found {
                    start: m.start(),
                    end: m.end(),
                    kind: EMAIL,
                    value: m.as_str().to_lowercase(),
                },
            );
        }
        let numbers = text.bytes().filter(u8::is_ascii_digit).count() >= MIN_DIGITS;
        if numbers {
            phones(text, locale, false, &mut found);
        }
        // Every amount has a digit (`\d`, which is Unicode `Nd`): the
        // pattern's search was 6% of a turn's CPU on text without one.
        if text.chars().any(char::is_numeric) {
            amounts(text, &mut found);
        }
        if numbers {
            self.orders(text, &mut found);
            if bare_mobiles {
                self::bare_mobiles(text, locale, &mut found);
            }
        }
        found.sort_by_key(|f| f.start);
        found
    }

    /// Adds the order numbers of `text` ([`ORDER_NUMBER`]).
    fn orders(&self, text: &str, found: &mut Vec<Found>) {
        for m in DIGIT_RUN_RE.find_iter(text) {
            if !ORDER_DIGITS.contains(&m.len()) || !stands_alone(text, m.start(), m.end()) {
                continue;
            }
            let (start, hashed) = hash_before(text, m.start());
            if overlaps(found, start, m.end()) {
                continue;
            }
            let before = context(text, start);
            if before.tax {
                continue;
            }
            let patterned = self
                .order_pattern
                .as_ref()
                .is_some_and(|p| p.is_match(m.as_str()));
            let ordered = hashed || before.order || {
                let after = context_after(text, m.end());
                !after.tax && (after.order || patterned)
            };
            if ordered {
                add(
                    found,
                    Found {
                        start,
                        end: m.end(),
                        kind: ORDER_NUMBER,
                        value: m.as_str().to_owned(),
                    },
                );
            }
        }
    }
}

/// Adds the phone numbers of `text` ([`PHONE`]) in the regions of `locale`;
/// with `strong_only`, only those with a `+`, `00` or trunk prefix or a phone
/// word (not those written in groups alone).
fn phones(text: &str, locale: &str, strong_only: bool, found: &mut Vec<Found>) {
    let candidates = phone_candidates(text);
    let long_enough =
        |c: &Candidate| c.groups.iter().map(|(s, e)| e - s).sum::<usize>() >= *PHONE_DIGITS.start();
    if !candidates.iter().any(long_enough) {
        return;
    }
    let regions = regions_for(locale);
    for candidate in candidates.iter().filter(|c| long_enough(c)) {
        let groups = &candidate.groups;
        let gap = |k: usize| &text[groups[k].1..groups[k + 1].0];
        let spaced = |k: usize| gap(k).chars().any(char::is_whitespace);
        // An IPv4 address is not a phone number.
        if groups.len() == 4 && (0..3).all(|k| gap(k) == ".") {
            continue;
        }
        let mut i = 0;
        while i < groups.len() {
            let start = if i == 0 { candidate.start } else { groups[i].0 };
            // The words before it, read once the digits are long enough.
            let mut context = None;
            let mut next = i + 1;
            for j in (i..groups.len()).rev() {
                let end = groups[j].1;
                let digits: String = groups[i..=j].iter().map(|&(s, e)| &text[s..e]).collect();
                // A part of the digits must be set off by a space: `1004527
                // 0532 ...`, not `192.168.1`.
                if (i > 0 && !spaced(i - 1))
                    || (j + 1 < groups.len() && !spaced(j))
                    || !(*PHONE_DIGITS.start()..=PHONE_DIGITS.end() + 2).contains(&digits.len())
                    || !phone_shaped(text, &groups[i..=j], i == 0 && candidate.plus)
                    || overlaps(found, start, end)
                    || DATE_RE.is_match(&text[groups[i].0..end])
                {
                    continue;
                }
                let context = context.get_or_insert_with(|| self::context(text, start));
                let plus = i == 0 && candidate.plus;
                // Groups alone say "phone" only when one has 3 digits or
                // more, as every national grouping does.
                let grouped =
                    j > i && !strong_only && groups[i..=j].iter().any(|(s, e)| e - s >= 3);
                if let Some(value) = phone_value(&digits, plus, grouped, context, &regions) {
                    found.push(Found {
                        start,
                        end,
                        kind: PHONE,
                        value,
                    });
                    next = j + 1;
                    break;
                }
            }
            i = next;
        }
    }
}

/// Whether digit groups are shaped like a phone number: at most
/// [`PHONE_GROUPS`] of them, none of one digit but a first one after `+` or
/// that is a trunk prefix (`0`, `1`, `8`: `8 (912) ...`), or the second after
/// a country code (`+33 6 12 34 56 78`, `+44 (0)20 ...`).
fn phone_shaped(text: &str, groups: &[(usize, usize)], plus: bool) -> bool {
    let first = &text[groups[0].0..groups[0].1];
    let international = plus || first.starts_with("00");
    groups.len() <= PHONE_GROUPS
        && (first.len() >= 2 || plus || matches!(first, "0" | "1" | "8"))
        && groups
            .iter()
            .enumerate()
            .skip(1)
            .all(|(k, (s, e))| e - s >= 2 || (k == 1 && international))
}

/// The E.164 form of `digits` if they are a phone number ([`PHONE`]):
/// `plus` if written after `+`, `grouped` if written in two or more groups,
/// `context` the words before them, `regions` indices into [`REGIONS`].
fn phone_value(
    digits: &str,
    plus: bool,
    grouped: bool,
    context: &Context,
    regions: &[usize],
) -> Option<String> {
    if context.tax_first && !plus {
        return None;
    }
    let international = if plus {
        Some(digits)
    } else {
        digits.strip_prefix("00")
    };
    if let Some(number) = international {
        if !PHONE_DIGITS.contains(&number.len()) {
            return None;
        }
        let parsed = phonenumber::parse(None, format!("+{number}")).ok()?;
        return is_valid(&parsed).then(|| e164(&parsed));
    }
    let mut fallback = None;
    for region in regions.iter().map(|&i| &REGIONS[i]) {
        let trunk_len = region
            .trunk
            .as_deref()
            .filter(|t| digits.starts_with(t))
            .map_or(0, str::len);
        let trunk = trunk_len > 0;
        let cue = context.phone_word_for(region);
        // Groups alone are weak: the order word decides, and a region that
        // writes its trunk prefix wants a mobile number.
        let groups_only = grouped && !trunk && !cue;
        if !(trunk || cue || grouped) || (groups_only && context.order) {
            continue;
        }
        if digits.len() - trunk_len > *PHONE_DIGITS.end() || !region.length_fits(digits) {
            continue;
        }
        let Ok(parsed) = phonenumber::parse(Some(region.id), digits) else {
            continue;
        };
        if parsed.code().value() != region.code {
            continue;
        }
        let wants_mobile = groups_only && region.trunk.is_some();
        if regions.len() == 1 && !wants_mobile {
            if is_valid(&parsed) {
                return Some(e164(&parsed));
            }
            continue;
        }
        match number_kind(&parsed) {
            Some(true) => return Some(e164(&parsed)),
            Some(false) if !wants_mobile => {
                fallback.get_or_insert_with(|| e164(&parsed));
            }
            _ => {}
        }
    }
    fallback
}

/// Digits in a bare run that a whole mobile number has at least (Latvia's 8).
const BARE_MOBILE_DIGITS: std::ops::RangeInclusive<usize> = 8..=12;

/// Adds, as [`PHONE`]s, the bare runs of [`BARE_MOBILE_DIGITS`] digits left
/// after order numbers (so no order word, `#` or shop pattern claimed them)
/// and after no tax word, that are a whole valid mobile number of the
/// regions of `locale` without a prefix: customers give their mobile that
/// way (Greek 6941234567, Spanish 612345678, Russian 9123456789). Nothing
/// without a conversation's language (`locale` empty or unknown).
fn bare_mobiles(text: &str, locale: &str, found: &mut Vec<Found>) {
    let regions = regions_for(locale);
    if regions.len() == REGIONS.len() {
        // No conversation's country: nothing to say a bare run is its mobile.
        return;
    }
    for m in DIGIT_RUN_RE.find_iter(text) {
        if !BARE_MOBILE_DIGITS.contains(&m.len())
            || !stands_alone(text, m.start(), m.end())
            || overlaps(found, m.start(), m.end())
            || context(text, m.start()).tax
            || context_after(text, m.end()).tax
        {
            continue;
        }
        let value = regions.iter().find_map(|&i| {
            let region = &REGIONS[i];
            let parsed = phonenumber::parse(Some(region.id), m.as_str()).ok()?;
            (parsed.code().value() == region.code && number_kind(&parsed) == Some(true))
                .then(|| e164(&parsed))
        });
        if let Some(value) = value {
            found.push(Found {
                start: m.start(),
                end: m.end(),
                kind: PHONE,
                value,
            });
        }
    }
}

/// Adds the amounts of `text` ([`AMOUNT`]).
fn amounts(text: &str, found: &mut Vec<Found>) {
    for caps in AMOUNT_RE.captures_iter(text) {
        let (Some(whole), Some(number), Some(currency)) = (
            caps.get(0),
            caps.name("n1").or_else(|| caps.name("n2")),
            caps.name("pre").or_else(|| caps.name("post")),
        ) else {
            continue;
        };
        let Some(code) = currency_code(currency.as_str()) else {
            continue;
        };
        let end = whole.start() + whole.as_str().trim_end().len();
        add(
            found,
            Found {
                start: whole.start(),
                end,
                kind: AMOUNT,
                value: format!("{} {code}", normalise_number(number.as_str())),
            },
        );
    }
}

/// Byte offsets to character offsets, for offsets asked in increasing order.
struct CharOffsets<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The character offset of byte `at` (a character boundary).
    fn of(&mut self, at: usize) -> usize {
        if at < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..at].chars().count();
        self.byte = at;
        self.chars
    }
}

/// The first email address in `text`, lowercased ([`Extractor::email`]:
/// no setting changes what an email address is).
pub fn email(text: &str) -> Option<String> {
    Extractor::default().email(text)
}

fn currency_code(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    CURRENCIES
        .iter()
        .find(|(w, _)| *w == lower)
        .map(|(_, code)| *code)
}

/// "1.234,50" and "1,234.50" -> "1234.50"; "49,9" -> "49.9".
fn normalise_number(number: &str) -> String {
    let compact: String = number.chars().filter(|c| *c != ' ').collect();
    let decimal = compact
        .rfind([',', '.'])
        .filter(|&i| compact.len() - i - 1 <= 2);
    match decimal {
        Some(i) => {
            let whole: String = compact[..i].chars().filter(char::is_ascii_digit).collect();
            format!("{whole}.{}", &compact[i + 1..])
        }
        None => compact.chars().filter(char::is_ascii_digit).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The extractor without settings, every region (locale ""), as the
    // tests that predate it read.
    fn extract(text: &str) -> Vec<Entity> {
        Extractor::default().extract(text, "")
    }

    fn order_number_reply(text: &str) -> Option<String> {
        Extractor::default().order_number_reply(text, "")
    }

    fn order_number(text: &str) -> Option<String> {
        extract(text)
            .into_iter()
            .find(|e| e.entity == ORDER_NUMBER)
            .map(|e| e.value)
    }

    const LOCALES: &[&str] = &["en", "tr", "el", "ms", "lv", "de", "fr", "es", "ru", ""];

    fn kinds(text: &str) -> Vec<(&'static str, String)> {
        extract(text)
            .into_iter()
            .map(|e| (e.entity, e.value))
            .collect()
    }

    fn kinds_in(extractor: &Extractor, text: &str, locale: &str) -> Vec<(&'static str, String)> {
        extractor
            .extract(text, locale)
            .into_iter()
            .map(|e| (e.entity, e.value))
            .collect()
    }

    fn phones_in(text: &str, locale: &str) -> Vec<String> {
        Extractor::default()
            .extract(text, locale)
            .into_iter()
            .filter(|e| e.entity == PHONE)
            .map(|e| e.value)
            .collect()
    }

    fn order_in(text: &str, locale: &str) -> Option<String> {
        Extractor::default()
            .extract(text, locale)
            .into_iter()
            .find(|e| e.entity == ORDER_NUMBER)
            .map(|e| e.value)
    }

    #[test]
    fn finds_order_numbers_with_or_without_hash() {
        assert_eq!(
            order_number("siparişim #2093311 nerede").as_deref(),
            Some("2093311")
        );
        assert_eq!(order_number("I waited 3 days"), None);
        assert_eq!(order_number("12345678901234"), None);
        // Without "#" or an order word a bare number is not an order number
        // (it used to be).
        assert_eq!(order_number("where is 1004527"), None);
        for (text, locale) in [
            ("where is my order 1004527", "en"),
            ("siparis no 4471203", "tr"),
            ("#1004527", ""),
            ("παραγγελία 5528810", "el"),
            ("kargom 1004527 nerde", "tr"),
            ("SİPARİŞİM NEREDE #1004527", "tr"),
            ("Meine Bestellnummer lautet 1004527.", "de"),
            ("mi pedido es el 1004527", "es"),
            ("где мой заказ 1004527", "ru"),
            ("kur ir mans pasūtījums 1004527", "lv"),
            ("numéro de commande 1004527", "fr"),
            ("pesanan saya 1004527 belum sampai", "ms"),
            ("order no. 1004527", "en"),
        ] {
            assert_eq!(
                order_in(text, locale).as_deref(),
                Some(if text.contains("4471203") {
                    "4471203"
                } else if text.contains("5528810") {
                    "5528810"
                } else {
                    "1004527"
                }),
                "{text}"
            );
            assert_eq!(
                order_in(text, "").as_deref(),
                order_in(text, locale).as_deref()
            );
        }
        // An order word (or a word of the parcel's journey) after it, as
        // Turkish puts it; a tax word after it wins.
        for (text, locale) in [
            ("1004528 nolu siparisi iptal et", "tr"),
            ("1004528 numaralı siparişim nerede", "tr"),
            ("1004528 hasnt arrived yet whats the status", "en"),
            ("ord 1004528 where is it??", "en"),
            ("1004528 nicht angekommen", "de"),
        ] {
            assert_eq!(order_in(text, locale).as_deref(), Some("1004528"), "{text}");
            assert_eq!(order_in(text, "").as_deref(), Some("1004528"), "{text}");
        }
        assert_eq!(order_in("1234567890 vergi numaram", "tr"), None);
        assert_eq!(
            Extractor::default().order_number_reply("1234567890 vergi numaram", "tr"),
            None
        );
        // Too far from the order word, too short, too long.
        assert_eq!(order_in("my order was late and then 1004527", "en"), None);
        assert_eq!(order_in("order 1234", "en"), None);
        assert_eq!(order_in("order 1234567890123", "en"), None);
    }

    #[test]
    fn the_shop_pattern_makes_a_bare_number_an_order_number() {
        assert_eq!(order_in("1004527", "en"), None);
        assert_eq!(order_in("hi 1004527 where is it", "tr"), None);
        let shop = Extractor::new(Some(r"10\d{5}")).expect("pattern");
        assert_eq!(
            kinds_in(&shop, "hi 1004527 where is it", "en"),
            [(ORDER_NUMBER, "1004527".to_owned())]
        );
        assert_eq!(
            kinds_in(&shop, "1004527", ""),
            [(ORDER_NUMBER, "1004527".to_owned())]
        );
        // The whole run must match, and a tax word still wins.
        assert!(kinds_in(&shop, "hi 10045270", "en").is_empty());
        assert!(kinds_in(&shop, "hi 2004527", "en").is_empty());
        assert!(kinds_in(&shop, "vergi no 1004527", "tr").is_empty());
    }

    #[test]
    fn an_invalid_pattern_is_refused() {
        let error = Extractor::new(Some(r"10\d{5")).expect_err("invalid");
        assert!(matches!(error, EntityError::InvalidOrderPattern { .. }));
        assert!(error.to_string().contains(r"10\d{5"), "{error}");
        assert!(error.to_string().contains("repetition"), "{error}");
        assert!(matches!(
            Extractor::new(Some("  ")),
            Err(EntityError::EmptyOrderPattern)
        ));
        assert!(Extractor::new(None).is_ok());
        // An alternation cannot escape the anchors.
        let shop = Extractor::new(Some("1|2")).expect("pattern");
        assert!(kinds_in(&shop, "12345", "en").is_empty());
    }

    #[test]
    fn tax_and_identity_numbers_are_not_order_numbers() {
        for (text, locale) in [
            ("vergi no 1234567890", "tr"),
            ("ΑΦΜ 099887766", "el"),
            ("afm 099887766", "el"),
            ("VAT 123456789", "en"),
            ("tax id 123456789", "en"),
            ("ИНН 7707083893", "ru"),
            ("паспорт 4509123456", "ru"),
            ("passport 123456789", "en"),
            ("TC kimlik no 12345678901", "tr"),
            ("personas kods 12345612345", "lv"),
            ("DNI 12345678", "es"),
            ("Steuernummer 1234567890", "de"),
            ("siparişimin vergi no 1234567890", "tr"),
            ("mykad 900101145678", "ms"),
        ] {
            for locale in [locale, ""] {
                let found = Extractor::default().extract(text, locale);
                assert!(
                    found.iter().all(|e| e.entity != ORDER_NUMBER),
                    "{text} ({locale}): {found:?}"
                );
                assert_eq!(
                    Extractor::default().order_number_reply(text, locale),
                    None,
                    "{text} ({locale})"
                );
            }
        }
        // Nor phone numbers.
        assert!(kinds("ΑΦΜ 099887766").is_empty());
    }

    #[test]
    fn national_phone_numbers_are_phones_in_their_locale_and_never_orders() {
        for (text, locale, e164) in [
            ("my mobile is 07700 900123", "en", "+447700900123"),
            ("0151 23456789", "de", "+4915123456789"),
            ("06 12 34 56 78", "fr", "+33612345678"),
            ("8 (912) 345-67-89", "ru", "+79123456789"),
            ("0532 123 45 67", "tr", "+905321234567"),
        ] {
            for locale in [locale, ""] {
                let found = kinds_in(&Extractor::default(), text, locale);
                assert_eq!(found, [(PHONE, e164.to_owned())], "{text} ({locale})");
                assert_eq!(
                    Extractor::default().order_number_reply(text, locale),
                    None,
                    "{text} ({locale})"
                );
            }
            // Even where the shop's pattern matches part of it.
            let shop = Extractor::new(Some(r"\d{5,7}")).expect("pattern");
            assert_eq!(
                kinds_in(&shop, text, locale),
                [(PHONE, e164.to_owned())],
                "{text}"
            );
        }
        // "my mobile is 07700 900123" used to give the order number 900123.
        assert_eq!(order_number("my mobile is 07700 900123"), None);
    }

    #[test]
    fn international_phone_numbers_are_phones_in_every_locale() {
        for (text, e164) in [
            ("+44 7700 900123", "+447700900123"),
            ("+90 532 123 45 67", "+905321234567"),
            ("+30 691 234 5678", "+306912345678"),
            ("+60 12-345 6789", "+60123456789"),
            ("+371 2612 3456", "+37126123456"),
            ("+49 151 23456789", "+4915123456789"),
            ("+33 6 12 34 56 78", "+33612345678"),
            ("+34 612 34 56 78", "+34612345678"),
            ("+7 912 345-67-89", "+79123456789"),
            ("0044 7700 900123", "+447700900123"),
            ("+44 (0)20 7946 0000", "+442079460000"),
        ] {
            for locale in LOCALES {
                let message = format!("call me on {text} please, order 1004527");
                assert_eq!(
                    kinds_in(&Extractor::default(), &message, locale),
                    [
                        (PHONE, e164.to_owned()),
                        (ORDER_NUMBER, "1004527".to_owned())
                    ],
                    "{text} ({locale})"
                );
                assert_eq!(phones_in(text, locale), [e164], "{text} ({locale})");
            }
        }
        // Not a valid number anywhere.
        assert!(phones_in("+44 1234", "en").is_empty());
        assert!(phones_in("+999 123 456 789", "en").is_empty());
    }

    #[test]
    fn numbers_without_a_trunk_prefix_need_groups_or_a_phone_word() {
        for (text, locale, e164) in [
            ("691 234 5678", "el", "+306912345678"),
            ("κινητό 6912345678", "el", "+306912345678"),
            ("τηλ. 2101234567", "el", "+302101234567"),
            ("kinito 6912345678", "el", "+306912345678"),
            ("612 34 56 78", "es", "+34612345678"),
            ("móvil 612345678", "es", "+34612345678"),
            ("2612 3456", "lv", "+37126123456"),
            ("tālr. 26123456", "lv", "+37126123456"),
            ("532 123 45 67", "tr", "+905321234567"),
            ("cep 5321234567", "tr", "+905321234567"),
            ("telefon bimbit 0123456789", "ms", "+60123456789"),
            ("nombor hp 12-345 6789", "ms", "+60123456789"),
            ("Handy: 015123456789", "de", "+4915123456789"),
            ("mon portable 0612345678", "fr", "+33612345678"),
            ("мой телефон 9123456789", "ru", "+79123456789"),
            ("(212) 555-1234", "en", "+12125551234"),
            ("phone 02079460000", "en", "+442079460000"),
        ] {
            assert_eq!(phones_in(text, locale), [e164], "{text} ({locale})");
            assert_eq!(order_in(text, locale), None, "{text} ({locale})");
        }
        // Bare runs: a whole mobile number of the conversation's country is
        // a phone (customers give theirs that way); without a conversation,
        // or not a mobile there, not a phone (maybe an order number).
        for (text, locale, e164) in [
            ("6912345678", "el", "+306912345678"),
            ("612345678", "es", "+34612345678"),
            ("26123456", "lv", "+37126123456"),
            ("5321234567", "tr", "+905321234567"),
        ] {
            assert_eq!(phones_in(text, locale), [e164], "{text} ({locale})");
            assert!(phones_in(text, "").is_empty(), "{text}");
        }
        assert!(phones_in("1234567890", "en").is_empty());
        assert!(phones_in("1004527", "lv").is_empty(), "7 digits: no mobile");
        // An order word or the shop's pattern keeps a mobile-shaped run an order.
        assert_eq!(
            order_in("order 6912345678", "el"),
            Some("6912345678".into())
        );
        // A landline written without its trunk prefix, in groups: maybe a
        // local number, maybe an order number; not a phone.
        assert!(phones_in("4471 920", "de").is_empty());
        // A date is not a phone.
        assert!(phones_in("12.05.2024", "de").is_empty());
        assert!(phones_in("2024-05-12", "").is_empty());
    }

    #[test]
    fn finds_emails_and_phones_apart_from_order_numbers() {
        assert_eq!(
            kinds("mail me at Ayse.Yilmaz@Example.com.tr or call +90 532 123 45 67"),
            [
                (EMAIL, "ayse.yilmaz@example.com.tr".to_owned()),
                (PHONE, "+905321234567".to_owned())
            ]
        );
        assert_eq!(
            kinds("order 1004527"),
            [(ORDER_NUMBER, "1004527".to_owned())]
        );
        // The value is E.164 now (it used to be the digits as written).
        assert_eq!(
            kinds("tel 020 7946 0000"),
            [(PHONE, "+442079460000".to_owned())]
        );
        assert_eq!(
            email("write to AYSE@example.COM or ali@example.com").as_deref(),
            Some("ayse@example.com")
        );
        assert_eq!(Extractor::default().email("no address here"), None);
        // Internationalised addresses (RFC 6531) are addresses too.
        for (text, address) in [
            (
                "mans e-pasts ir Jānis.Bērziņš@pasts.lv",
                "jānis.bērziņš@pasts.lv",
            ),
            (
                "adresim ayşe@örnek.com.tr, teşekkürler",
                "ayşe@örnek.com.tr",
            ),
            ("пишите на иван@почта.рф", "иван@почта.рф"),
        ] {
            assert_eq!(email(text).as_deref(), Some(address), "{text}");
        }
    }

    #[test]
    fn finds_amounts_with_their_currency() {
        assert_eq!(
            kinds("charged 49,90 € twice"),
            [(AMOUNT, "49.90 EUR".to_owned())]
        );
        assert_eq!(
            kinds("€1.234,50 refund"),
            [(AMOUNT, "1234.50 EUR".to_owned())]
        );
        assert_eq!(kinds("RM 150 dah tolak"), [(AMOUNT, "150 MYR".to_owned())]);
        assert_eq!(
            kinds("заплатил 500 рублей"),
            [(AMOUNT, "500 RUB".to_owned())]
        );
        assert_eq!(kinds("100 tl iade"), [(AMOUNT, "100 TRY".to_owned())]);
        assert_eq!(
            kinds("order 1004527 cost 12500 EUR"),
            [
                (ORDER_NUMBER, "1004527".to_owned()),
                (AMOUNT, "12500 EUR".to_owned())
            ]
        );
    }

    #[test]
    fn a_reply_to_the_order_question_is_read_loosely() {
        assert_eq!(
            order_number_reply("order no 7723104").as_deref(),
            Some("7723104")
        );
        assert_eq!(
            order_number_reply("numaram 4471 920").as_deref(),
            Some("4471920")
        );
        assert_eq!(
            order_number_reply("it's #100-4527 thx").as_deref(),
            Some("1004527")
        );
        assert_eq!(order_number_reply("12345").as_deref(), Some("12345"));
        // Too short, a phone number, an amount: not an order number.
        assert_eq!(order_number_reply("1234"), None);
        assert_eq!(order_number_reply("call me on +90 532 123 45 67"), None);
        assert_eq!(order_number_reply("I paid 12500 EUR"), None);
        assert_eq!(order_number_reply("I don't have it"), None);
        // A date or a decimal amount is not one, dots or not.
        assert_eq!(order_number_reply("12.05.2024"), None);
        assert_eq!(order_number_reply("1.004,50 €"), None);
        let default = Extractor::default();
        for locale in LOCALES {
            for (text, number) in [
                ("1004 527", "1004527"),
                ("#100-4527", "1004527"),
                ("order no 7723104", "7723104"),
                ("ο αριθμός είναι 5528810", "5528810"),
                ("tas ir 4471920", "4471920"),
                ("numaram 4471 920", "4471920"),
                ("The order number is 1067 4482.", "10674482"),
                ("88 12406", "8812406"),
                // Thousands with dots, as Turkish, German, Spanish and Greek write them.
                ("1.004.528", "1004528"),
                ("siparis no 1.004.528.", "1004528"),
            ] {
                assert_eq!(
                    default.order_number_reply(text, locale).as_deref(),
                    Some(number),
                    "{text} ({locale})"
                );
            }
            for text in [
                "0532 123 45 67",
                "+90 532 123 45 67",
                "my mobile is 07700 900123",
                "vergi no 1234567890",
                "ΑΦΜ 099887766",
                "ayse1004527@example.com",
                "12-05-2024",
            ] {
                assert_eq!(
                    default.order_number_reply(text, locale),
                    None,
                    "{text} ({locale})"
                );
            }
        }
    }

    #[test]
    fn offsets_count_characters() {
        let entities = extract("şu sipariş: 1004527");
        assert_eq!((entities[0].start, entities[0].end), (12, 19));
        let entities = extract("SİPARİŞİM NEREDE #1004527");
        assert_eq!((entities[0].start, entities[0].end), (17, 25));
        let entities = Extractor::default().extract("τηλέφωνο: +30 691 234 5678 και ΑΦΜ", "el");
        assert_eq!(
            (entities[0].entity, entities[0].start, entities[0].end),
            (PHONE, 10, 26)
        );
    }

    #[test]
    fn several_numbers_in_one_message_are_told_apart() {
        assert_eq!(
            kinds_in(
                &Extractor::default(),
                "sipariş 1004527 için 0532 123 45 67 arayın",
                "tr"
            ),
            [
                (ORDER_NUMBER, "1004527".to_owned()),
                (PHONE, "+905321234567".to_owned())
            ]
        );
        assert_eq!(
            kinds_in(&Extractor::default(), "+44 7700 900123 1004527", "en"),
            [(PHONE, "+447700900123".to_owned())]
        );
    }

    #[test]
    fn regions_follow_the_locale() {
        let ids = |locale: &str| -> Vec<&str> {
            regions_for(locale)
                .into_iter()
                .map(|i| REGIONS[i].id.as_ref())
                .collect()
        };
        assert_eq!(ids("en"), ["GB", "US"]);
        assert_eq!(ids("en-US"), ["US", "GB"]);
        assert_eq!(ids("de_CH"), ["CH", "DE", "AT"]);
        assert_eq!(ids("tr-TR"), ["TR"]);
        assert_eq!(ids("").len(), 12);
        assert_eq!(ids("pt-BR").len(), 12);
        // A German landline in a German conversation; in no other region.
        assert_eq!(phones_in("030 12345678", "de"), ["+493012345678"]);
        assert!(phones_in("030 12345678", "tr").is_empty());
    }

    #[test]
    fn context_words_are_folded_already() {
        for cue in CUES.iter() {
            for (word, _) in &cue.words {
                assert_eq!(normalize::fold(word, ""), *word);
            }
        }
    }
}
