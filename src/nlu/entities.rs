//! Entities in what the customer wrote: order numbers, email addresses, phone
//! numbers and amounts with their currency. Offsets are in characters (Unicode
//! scalar values), `end` exclusive.

use std::sync::LazyLock;

use regex::Regex;

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

/// An order number: 6 to 10 digits standing alone, optionally after `#`;
/// the value is the digits.
pub const ORDER_NUMBER: &str = "order_number";
/// An email address; the value is lowercased.
pub const EMAIL: &str = "email";
/// A phone number: `+` and at least 7 digits, or a number starting with 0
/// written in groups; the value is its digits (and a leading `+`).
pub const PHONE: &str = "phone";
/// An amount with its currency word or sign; the value is the number with a
/// `.` decimal point and no grouping, then the ISO 4217 code (`1234.50 EUR`).
pub const AMOUNT: &str = "amount";

// The patterns are constants: if one did not compile, no test would pass.
static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
        .expect("email pattern")
});
/// An international number (+...) or a number written with separators; a bare
/// run of 6 to 10 digits is an order number instead.
static PHONE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+\d[\d ()./-]{6,}\d|\b0\d{2,4}[ ./-]\d{2,4}(?:[ ./-]\d{2,4}){1,3}\b)")
        .expect("phone pattern")
});
static ORDER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:#|\b)(\d{6,10})\b").expect("order pattern"));

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

/// Every entity in `text`, in order of position. Kinds are found in the
/// order email, phone, amount, order number, and an entity never overlaps one
/// found before it (so the digits of a phone number are not an order number).
pub fn extract(text: &str) -> Vec<Entity> {
    spans(text)
        .into_iter()
        .map(|(start, end, entity, value)| Entity {
            entity,
            value,
            start: text[..start].chars().count(),
            end: text[..end].chars().count(),
        })
        .collect()
}

/// [`extract`] with byte offsets.
fn spans(text: &str) -> Vec<(usize, usize, &'static str, String)> {
    let mut found: Vec<(usize, usize, &'static str, String)> = Vec::new();
    let mut add = |start: usize, end: usize, entity: &'static str, value: String| {
        if found.iter().all(|(s, e, _, _)| end <= *s || start >= *e) {
            found.push((start, end, entity, value));
        }
    };
    for m in EMAIL_RE.find_iter(text) {
        add(m.start(), m.end(), EMAIL, m.as_str().to_lowercase());
    }
    for m in PHONE_RE.find_iter(text) {
        let digits: String = m
            .as_str()
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        if digits.chars().filter(char::is_ascii_digit).count() >= 7 {
            add(m.start(), m.end(), PHONE, digits);
        }
    }
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
            whole.start(),
            end,
            AMOUNT,
            format!("{} {code}", normalise_number(number.as_str())),
        );
    }
    for caps in ORDER_RE.captures_iter(text) {
        if let (Some(whole), Some(digits)) = (caps.get(0), caps.get(1)) {
            add(
                whole.start(),
                whole.end(),
                ORDER_NUMBER,
                digits.as_str().to_owned(),
            );
        }
    }
    found.sort_by_key(|(start, ..)| *start);
    found
}

/// Digits standing alone, maybe grouped by single spaces or dashes
/// (`1004 527`, `100-4527`), optionally after `#`.
static LOOSE_ORDER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:#|\b)(\d(?:[ -]?\d){3,13})\b").expect("loose order pattern"));

/// The order number in a reply to the question that asked for one: the
/// [`ORDER_NUMBER`] entity, else 5 to 12 digits standing alone, maybe grouped
/// by single spaces or dashes as phones type them (`1004 527`), that are not
/// part of a phone number, an email address or an amount. The value is the
/// digits. Looser than [`extract`] because the customer was just asked for a
/// number.
pub fn order_number_reply(text: &str) -> Option<String> {
    // Most messages have no digit at all: skip the patterns (this runs on
    // turns the parse already scanned).
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let found = spans(text);
    if let Some((.., value)) = found.iter().find(|(.., kind, _)| *kind == ORDER_NUMBER) {
        return Some(value.clone());
    }
    LOOSE_ORDER_RE.captures_iter(text).find_map(|caps| {
        let m = caps.get(1)?;
        let overlaps = found
            .iter()
            .any(|(s, e, ..)| m.start() < *e && m.end() > *s);
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        (!overlaps && (5..=12).contains(&digits.len())).then_some(digits)
    })
}

/// The order number in `text`, if any.
pub fn order_number(text: &str) -> Option<String> {
    first(text, ORDER_NUMBER)
}

/// The email address in `text`, if any.
pub fn email(text: &str) -> Option<String> {
    first(text, EMAIL)
}

fn first(text: &str, kind: &str) -> Option<String> {
    extract(text)
        .into_iter()
        .find(|e| e.entity == kind)
        .map(|e| e.value)
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

    fn kinds(text: &str) -> Vec<(&'static str, String)> {
        extract(text)
            .into_iter()
            .map(|e| (e.entity, e.value))
            .collect()
    }

    #[test]
    fn finds_order_numbers_with_or_without_hash() {
        assert_eq!(order_number("where is 1004527").as_deref(), Some("1004527"));
        assert_eq!(
            order_number("siparişim #2093311 nerede").as_deref(),
            Some("2093311")
        );
        assert_eq!(order_number("I waited 3 days"), None);
        assert_eq!(order_number("12345678901234"), None);
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
        assert_eq!(
            kinds("tel 020 7946 0000"),
            [(PHONE, "02079460000".to_owned())]
        );
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
    }

    #[test]
    fn offsets_count_characters() {
        let entities = extract("şu sipariş: 1004527");
        assert_eq!((entities[0].start, entities[0].end), (12, 19));
    }
}
