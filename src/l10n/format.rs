//! A backend's message arguments turned into text for a locale: ISO dates
//! as the locale's long date, RFC 3339 date-times as its long date and
//! time to the minute, money with the locale's separators and symbol
//! placement, numbers with its separators (ICU4X, compiled CLDR data).
//!
//! Money: ICU4X 2 has no stable currency formatter, so the number is
//! formatted by `icu_decimal` and placed in CLDR's standard currency pattern
//! for the language, which is written down here for the supported ones
//! (from CLDR's `currencyFormats-numberSystem-latn/standard`): symbol first
//! (`¤#,##0.00`) in en, ms and tr; after the number, with a no-break space
//! (`#,##0.00 ¤`), in de, el, es, fr, lv and ru. Other languages get the
//! ISO code after the number. The symbol is `€` for EUR everywhere, the
//! local one for a language's home currency (`₺` in tr, `₽` in ru, `RM` in
//! ms, `$` and `£` in en); otherwise the ISO code. A symbol that ends in a
//! letter next to the digits is set apart by a no-break space (CLDR's
//! currency spacing): `RM 49.90`, `USD 49.90`.

use std::str::FromStr;

use fixed_decimal::Decimal;
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{YMD, YMDT};
use icu_datetime::input::{DateTime, Time};
use icu_datetime::options::TimePrecision;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale as IcuLocale;
use serde_json::{Map, Value};

/// CLDR's no-break space between a number and a currency symbol.
const NBSP: char = '\u{a0}';

/// Why arguments could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The locale is not a BCP 47 tag, or ICU4X has no data for it.
    #[error("no formatting data for locale `{0}`")]
    Locale(String),
    /// A `YYYY-MM-DD` string that is not a date (`2026-02-30`), or one
    /// with a time that is not a time (`2026-12-02T25:00`).
    #[error("arg `{arg}`: `{value}` is not a date")]
    Date {
        /// The argument's name.
        arg: String,
        /// Its value.
        value: String,
    },
    /// A number or money amount that is not a finite decimal, or money
    /// with more fraction digits than its currency has (`49.999` EUR).
    #[error("arg `{arg}`: {reason}")]
    Number {
        /// The argument's name.
        arg: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A value that is not a string, number, boolean or `{amount, currency}`.
    #[error("arg `{arg}` is not a string, number, boolean or {{amount, currency}}")]
    Value {
        /// The argument's name.
        arg: String,
    },
}

/// Turns a backend's `args` into `(name, text)` pairs for `locale` (a BCP 47
/// tag, `tr` or `de-AT`), in the map's order:
///
/// - a string `YYYY-MM-DD` → the long date (`28 Kasım 2026`; bare `en` is
///   formatted as international English, `28 November 2026`);
/// - a string `YYYY-MM-DDTHH:MM[:SS[.fraction]]`, with `Z` or `±HH:MM` or
///   without (RFC 3339; `t` or a space for the `T`) → the long date and the
///   time to the minute (`2 Aralık 2026 13:00`). With an offset and a
///   `zone` (the customer's, else the team's), the instant is said in
///   `zone`; otherwise the clock time is said as written;
/// - `{"amount": "49.90" | 49.9, "currency": "EUR"}` → money (`49,90 €` in
///   de, `€49.90` in en), with the currency's minor digits (2 for most, 0
///   for JPY, 3 for KWD);
/// - a whole number → its digits, never grouped: backends send order and
///   customer ids as JSON numbers, and "order 1.004.528" reads as nonsense;
/// - any other number → the locale's decimal form (`1.234,5` in de);
/// - other strings and booleans → as they are.
///
/// # Errors
///
/// [`FormatError::Locale`], [`FormatError::Date`], [`FormatError::Number`]
/// or [`FormatError::Value`], for the first argument that fails.
pub fn display_args(
    locale: &str,
    args: &Map<String, Value>,
    zone: Option<&jiff::tz::TimeZone>,
) -> Result<Vec<(String, String)>, FormatError> {
    let formatter = Formatter::new(locale, zone)?;
    args.iter()
        .map(|(name, value)| Ok((name.clone(), formatter.value(name, value)?)))
        .collect()
}

/// The formatters for one locale, made once per call of [`display_args`].
struct Formatter {
    language: String,
    locale: IcuLocale,
    decimals: DecimalFormatter,
    /// The same without grouping, for whole numbers.
    digits: DecimalFormatter,
    dates: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    /// Where instants are said; `None`: as written.
    zone: Option<jiff::tz::TimeZone>,
}

impl Formatter {
    fn new(tag: &str, zone: Option<&jiff::tz::TimeZone>) -> Result<Self, FormatError> {
        let unknown = || FormatError::Locale(tag.to_owned());
        let mut locale = IcuLocale::from_str(tag).map_err(|_| unknown())?;
        let language = locale.id.language.as_str().to_owned();
        // Bare `en` is US English in CLDR (`November 28, 2026`); the shop
        // writes to Europe, so English without a region is international.
        if language == "en" && locale.id.region.is_none() {
            locale = IcuLocale::from_str("en-001").map_err(|_| unknown())?;
        }
        // Greek times on the 24-hour clock: CLDR's default "6:30 μ.μ." ends
        // in a full stop, so a sentence ending with it read "μ.μ..".
        if language == "el" {
            let tag = format!("{locale}-u-hc-h23");
            locale = IcuLocale::from_str(&tag).map_err(|_| unknown())?;
        }
        let decimals = DecimalFormatter::try_new((&locale).into(), Default::default())
            .map_err(|_| unknown())?;
        let mut ungrouped = DecimalFormatterOptions::default();
        ungrouped.grouping_strategy = Some(GroupingStrategy::Never);
        let digits =
            DecimalFormatter::try_new((&locale).into(), ungrouped).map_err(|_| unknown())?;
        Ok(Self {
            language,
            locale,
            decimals,
            digits,
            dates: None,
            zone: zone.cloned(),
        })
    }

    fn value(&self, name: &str, value: &Value) -> Result<String, FormatError> {
        match value {
            Value::String(text) => match (iso_date(text), iso_date_time(text)) {
                (Some(parts), _) => self.date(name, text, parts),
                (None, Some(Some(split))) => self.date_time(name, text, split),
                (None, Some(None)) => Err(FormatError::Date {
                    arg: name.to_owned(),
                    value: text.clone(),
                }),
                (None, None) => Ok(text.clone()),
            },
            Value::Bool(flag) => Ok(flag.to_string()),
            Value::Number(number) => {
                let decimal = decimal(name, &number.to_string())?;
                let whole = number.is_i64() || number.is_u64();
                let formatter = if whole { &self.digits } else { &self.decimals };
                Ok(formatter.format(&decimal).to_string())
            }
            Value::Object(money) => match (money.get("amount"), money.get("currency")) {
                (Some(amount), Some(Value::String(currency))) if money.len() == 2 => {
                    let amount = match amount {
                        Value::String(text) => text.trim().to_owned(),
                        Value::Number(number) => number.to_string(),
                        _ => {
                            return Err(FormatError::Value {
                                arg: name.to_owned(),
                            })
                        }
                    };
                    self.money(name, &amount, currency)
                }
                _ => Err(FormatError::Value {
                    arg: name.to_owned(),
                }),
            },
            Value::Null | Value::Array(_) => Err(FormatError::Value {
                arg: name.to_owned(),
            }),
        }
    }

    fn date(
        &self,
        name: &str,
        text: &str,
        (y, m, d): (i32, u8, u8),
    ) -> Result<String, FormatError> {
        let bad = || FormatError::Date {
            arg: name.to_owned(),
            value: text.to_owned(),
        };
        let date = Date::try_new_gregorian(y, m, d).map_err(|_| bad())?;
        let formatter = match &self.dates {
            Some(formatter) => formatter,
            None => &FixedCalendarDateTimeFormatter::try_new((&self.locale).into(), YMD::long())
                .map_err(|_| FormatError::Locale(self.locale.to_string()))?,
        };
        Ok(self.first_of_month(d, formatter.format(&date).to_string()))
    }

    /// French writes the first of a month as an ordinal, `1er décembre`
    /// (Imprimerie nationale; CLDR's pattern has the bare day, `1 décembre`).
    fn first_of_month(&self, day: u8, text: String) -> String {
        match text.strip_prefix("1 ") {
            Some(rest) if self.language == "fr" && day == 1 => format!("1er {rest}"),
            _ => text,
        }
    }

    /// `text`, split by [`iso_date_time`] into its clock time and offset.
    fn date_time(
        &self,
        name: &str,
        text: &str,
        (clock, offset): (String, Option<String>),
    ) -> Result<String, FormatError> {
        let bad = || FormatError::Date {
            arg: name.to_owned(),
            value: text.to_owned(),
        };
        let written: jiff::civil::DateTime = clock.parse().map_err(|_| bad())?;
        let shown = match (offset, &self.zone) {
            (Some(offset), Some(zone)) => format!("{clock}{offset}")
                .parse::<jiff::Timestamp>()
                .map_err(|_| bad())?
                .to_zoned(zone.clone())
                .datetime(),
            _ => written,
        };
        let date = Date::try_new_gregorian(
            i32::from(shown.year()),
            shown.month().unsigned_abs(),
            shown.day().unsigned_abs(),
        )
        .map_err(|_| bad())?;
        let time = Time::try_new(
            shown.hour().unsigned_abs(),
            shown.minute().unsigned_abs(),
            0,
            0,
        )
        .map_err(|_| bad())?;
        let fields = YMDT::long().with_time_precision(TimePrecision::Minute);
        let formatter = FixedCalendarDateTimeFormatter::try_new((&self.locale).into(), fields)
            .map_err(|_| FormatError::Locale(self.locale.to_string()))?;
        Ok(self.first_of_month(
            shown.day().unsigned_abs(),
            formatter.format(&DateTime { date, time }).to_string(),
        ))
    }

    fn money(&self, name: &str, amount: &str, currency: &str) -> Result<String, FormatError> {
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(FormatError::Value {
                arg: name.to_owned(),
            });
        }
        let mut decimal = decimal(name, amount)?;
        let digits = minor_digits(currency);
        if decimal.absolute.nonzero_magnitude_end() < -digits {
            return Err(FormatError::Number {
                arg: name.to_owned(),
                reason: format!("`{amount}` has more than {digits} decimals for {currency}"),
            });
        }
        decimal.absolute.pad_end(-digits);
        let number = self.decimals.format(&decimal).to_string();
        let symbol = symbol(&self.language, currency);
        Ok(match symbol_first(&self.language) {
            Some(true) => {
                let space = if symbol.ends_with(char::is_alphabetic) {
                    "\u{a0}"
                } else {
                    ""
                };
                format!("{symbol}{space}{number}")
            }
            Some(false) | None => format!("{number}{NBSP}{symbol}"),
        })
    }
}

/// `YYYY-MM-DD` split into numbers, if `text` has exactly that shape.
fn iso_date(text: &str) -> Option<(i32, u8, u8)> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return None;
    }
    Some((
        text[0..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..10].parse().ok()?,
    ))
}

/// `text` (surrounding whitespace aside) as an RFC 3339 date-time
/// (`2026-12-02T10:00:00+03:00`; seconds, a fraction and the offset may be
/// left out, and the offset may be `±HHMM`), if it has that shape: its
/// clock time (`T` for the separator, the fraction cut to nine digits)
/// and its offset (`Z` or `±HH:MM`); `Some(None)` if it has the shape but
/// an offset out of range (hours 00-23, minutes 00-59).
fn iso_date_time(text: &str) -> Option<Option<(String, Option<String>)>> {
    let text = text.trim();
    let (date, rest) = (text.get(..10)?, text.get(10..)?);
    iso_date(date)?;
    let time = rest.strip_prefix(['T', 't', ' '])?;
    let bytes = time.as_bytes();
    let clock = bytes.len() >= 5
        && bytes[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit());
    if !clock {
        return None;
    }
    let (clock_end, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => (at, Some(&time[at..])),
        None => (time.len(), None),
    };
    let seconds = &time[5..clock_end];
    let mut shown = format!("{date}T{}", &time[..5]);
    if !seconds.is_empty() {
        let whole = seconds.len() >= 3
            && seconds.as_bytes()[0] == b':'
            && seconds[1..3].bytes().all(|b| b.is_ascii_digit());
        if !whole {
            return None;
        }
        shown.push_str(&seconds[..3]);
        match seconds[3..].strip_prefix(['.', ',']) {
            Some(fraction)
                if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
            {
                shown.push('.');
                shown.push_str(&fraction[..fraction.len().min(9)]);
            }
            Some(_) => return None,
            None if seconds.len() == 3 => {}
            None => return None,
        }
    }
    let offset = match offset {
        None => None,
        Some(z) if z.eq_ignore_ascii_case("z") => Some("Z".to_owned()),
        Some(o) => {
            let digits: String = o[1..].chars().filter(|c| *c != ':').collect();
            let shaped = (o.len() == 6 && o.as_bytes()[3] == b':') || o.len() == 5;
            if !shaped || digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (hours, minutes) = (&digits[..2], &digits[2..]);
            if hours > "23" || minutes > "59" {
                return Some(None);
            }
            Some(format!("{}{hours}:{minutes}", &o[..1]))
        }
    };
    Some(Some((shown, offset)))
}

fn decimal(name: &str, text: &str) -> Result<Decimal, FormatError> {
    Decimal::try_from_str(text).map_err(|_| FormatError::Number {
        arg: name.to_owned(),
        reason: format!("`{text}` is not a decimal number"),
    })
}

/// ISO 4217 minor units: 2 but for the currencies listed.
fn minor_digits(currency: &str) -> i16 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Whether CLDR's standard currency pattern puts the symbol first
/// (`¤#,##0.00`) or after the number (`#,##0.00 ¤`); `None` for a language
/// not listed here.
fn symbol_first(language: &str) -> Option<bool> {
    match language {
        "en" | "ms" | "tr" => Some(true),
        "de" | "el" | "es" | "fr" | "lv" | "ru" => Some(false),
        _ => None,
    }
}

/// The currency's symbol in the language (CLDR's `symbol`), for the
/// currencies listed; the ISO code otherwise.
fn symbol<'a>(language: &str, currency: &'a str) -> &'a str {
    let known = symbol_first(language).is_some();
    match (language, currency) {
        (_, "EUR") if known => "€",
        ("tr", "TRY") => "₺",
        ("ru", "RUB") => "₽",
        ("ms", "MYR") => "RM",
        ("en", "USD") => "$",
        ("en", "GBP") => "£",
        _ => currency,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn one(locale: &str, value: Value) -> String {
        in_zone(locale, value, None)
    }

    fn in_zone(locale: &str, value: Value, zone: Option<&str>) -> String {
        let args: Map<String, Value> = [("x".to_owned(), value)].into_iter().collect();
        let zone = zone.map(|name| jiff::tz::TimeZone::get(name).expect("a known zone"));
        let mut out = display_args(locale, &args, zone.as_ref()).expect("formats");
        out.pop().expect("one arg").1
    }

    #[test]
    fn an_rfc3339_date_time_is_the_long_date_and_time_of_every_locale() {
        // CLDR's long date and its glue, to the minute; the 12-hour clock
        // where CLDR has it for the language, but in Greek.
        for (locale, expected) in [
            ("en", "2 December 2026 at 10:05\u{202f}am"),
            ("tr", "2 Aralık 2026 10:05"),
            ("el", "2 Δεκεμβρίου 2026 στις 10:05"),
            ("ms", "2 Disember 2026 pada 10:05\u{202f}PG"),
            ("lv", "2026. gada 2. decembris 10:05"),
            ("de", "2. Dezember 2026 um 10:05"),
            ("fr", "2 décembre 2026 à 10:05"),
            ("es", "2 de diciembre de 2026 a las 10:05"),
            ("ru", "2 декабря 2026\u{202f}г. в 10:05"),
        ] {
            assert_eq!(one(locale, json!("2026-12-02T10:05:00+03:00")), expected);
        }
        assert_eq!(
            one("el", json!("2026-12-02T18:30")),
            "2 Δεκεμβρίου 2026 στις 18:30"
        );
    }

    #[test]
    fn an_instant_is_said_in_the_zone_given_else_as_written() {
        let tr = |value: &str, zone| in_zone("tr", json!(value), zone);
        // Istanbul is UTC+03:00 all year.
        assert_eq!(
            tr("2026-12-02T07:05:00Z", Some("Europe/Istanbul")),
            "2 Aralık 2026 10:05"
        );
        assert_eq!(tr("2026-12-02T07:05:00Z", None), "2 Aralık 2026 07:05");
        assert_eq!(
            tr("2026-12-02T23:30:00+03:00", Some("UTC")),
            "2 Aralık 2026 20:30"
        );
        // Across midnight, and in Berlin's winter time (UTC+01:00).
        assert_eq!(
            in_zone(
                "de",
                json!("2026-12-02T00:30:00+03:00"),
                Some("Europe/Berlin")
            ),
            "1. Dezember 2026 um 22:30"
        );
        // A clock time without an offset is said as written, in any zone.
        assert_eq!(tr("2026-12-02T10:05", Some("UTC")), "2 Aralık 2026 10:05");
        // A space or a lowercase `t`, seconds with a fraction (of any
        // length), `±HHMM`, whitespace around it.
        assert_eq!(tr("2026-12-02 10:05:30.25z", None), "2 Aralık 2026 10:05");
        assert_eq!(tr("2026-12-02t10:05:30", None), "2 Aralık 2026 10:05");
        assert_eq!(
            tr("2026-12-02T07:05:00.123456789123Z", Some("Europe/Istanbul")),
            "2 Aralık 2026 10:05"
        );
        assert_eq!(
            tr(" 2026-12-02T04:20:00+0545\n", Some("Europe/Istanbul")),
            "2 Aralık 2026 01:35"
        );
    }

    #[test]
    fn only_a_whole_date_time_is_read_as_one() {
        for text in [
            "10:05",
            "2026-12-02T10",
            "2026-12-02T10:05 please",
            "call 2026-12-02T10:05",
            "2026-12-02T10:05+3",
            "20261204T153000Z",
            "2026-12-04T15:30:00Z[Europe/Paris]",
        ] {
            assert_eq!(one("tr", json!(text)), text);
        }
        let args = |value: Value| -> Map<String, Value> {
            [("slot".to_owned(), value)].into_iter().collect()
        };
        for impossible in [
            "2026-12-02T25:00",
            "2026-12-02T10:61:00Z",
            "2026-02-30T10:00",
            "2026-12-04T15:30:00+25:00",
        ] {
            assert!(
                matches!(
                    display_args("tr", &args(json!(impossible)), None),
                    Err(FormatError::Date { .. })
                ),
                "{impossible}"
            );
        }
    }

    #[test]
    fn an_iso_date_is_the_long_date_of_every_locale() {
        for (locale, expected) in [
            ("en", "28 November 2026"),
            ("tr", "28 Kasım 2026"),
            ("el", "28 Νοεμβρίου 2026"),
            ("ms", "28 November 2026"),
            ("lv", "2026. gada 28. novembris"),
            ("de", "28. November 2026"),
            ("fr", "28 novembre 2026"),
            ("es", "28 de noviembre de 2026"),
            // CLDR sets the year mark apart with a narrow no-break space.
            ("ru", "28 ноября 2026\u{202f}г."),
        ] {
            assert_eq!(one(locale, json!("2026-11-28")), expected, "{locale}");
        }
        assert_eq!(one("en-US", json!("2026-11-28")), "November 28, 2026");
        assert_eq!(one("fr", json!("2026-12-01")), "1er décembre 2026");
        assert_eq!(one("fr", json!("2026-12-11")), "11 décembre 2026");
        assert_eq!(
            one("fr", json!("2026-12-01T10:05:00")),
            "1er décembre 2026 à 10:05"
        );
        assert_eq!(one("en", json!("2026-12-01")), "1 December 2026");
    }

    #[test]
    fn money_follows_each_locales_cldr_pattern() {
        // CLDR puts the symbol first in tr (`¤#,##0.00`), like en and ms.
        for (locale, expected) in [
            ("en", "€49.90"),
            ("ms", "€49.90"),
            ("tr", "€49,90"),
            ("de", "49,90\u{a0}€"),
            ("fr", "49,90\u{a0}€"),
            ("es", "49,90\u{a0}€"),
            ("lv", "49,90\u{a0}€"),
            ("el", "49,90\u{a0}€"),
            ("ru", "49,90\u{a0}€"),
        ] {
            let money = json!({ "amount": "49.90", "currency": "EUR" });
            assert_eq!(one(locale, money), expected, "{locale}");
            let number = json!({ "amount": 49.9, "currency": "EUR" });
            assert_eq!(one(locale, number), expected, "{locale} from a JSON number");
        }
    }

    #[test]
    fn money_has_the_currencys_digits_grouping_and_symbol() {
        let money =
            |amount: Value, currency: &str| json!({ "amount": amount, "currency": currency });
        assert_eq!(one("de", money(json!("1234.5"), "EUR")), "1.234,50\u{a0}€");
        assert_eq!(
            one("fr", money(json!(1234), "EUR")),
            "1\u{202f}234,00\u{a0}€"
        );
        assert_eq!(one("en", money(json!("1500"), "JPY")), "JPY\u{a0}1,500");
        assert_eq!(one("tr", money(json!("120"), "TRY")), "₺120,00");
        assert_eq!(one("ms", money(json!("5"), "MYR")), "RM\u{a0}5.00");
        assert_eq!(one("ru", money(json!("-3.5"), "RUB")), "-3,50\u{a0}₽");
        let args: Map<String, Value> = [("x".to_owned(), money(json!("49.999"), "EUR"))]
            .into_iter()
            .collect();
        assert!(matches!(
            display_args("en", &args, None),
            Err(FormatError::Number { .. })
        ));
    }

    #[test]
    fn numbers_strings_and_booleans() {
        assert_eq!(one("de", json!(1234.5)), "1.234,5");
        assert_eq!(one("en", json!(12345.5)), "12,345.5");
        // Whole numbers are ids as often as counts: "1.004.528 numaralı
        // siparişiniz" had read as nonsense.
        assert_eq!(one("tr", json!(1004528)), "1004528");
        assert_eq!(one("el", json!(1004528)), "1004528");
        assert_eq!(one("en", json!(1234567)), "1234567");
        assert_eq!(one("de", json!(-3)), "-3");
        assert_eq!(one("tr", json!("1004527")), "1004527");
        assert_eq!(one("tr", json!("DHL")), "DHL");
        assert_eq!(one("el", json!(true)), "true");
    }

    #[test]
    fn bad_values_and_locales_are_errors() {
        let args = |value: Value| -> Map<String, Value> {
            [("when".to_owned(), value)].into_iter().collect()
        };
        assert!(matches!(
            display_args("de", &args(json!("2026-02-30")), None),
            Err(FormatError::Date { .. })
        ));
        assert!(matches!(
            display_args("de", &args(json!(null)), None),
            Err(FormatError::Value { .. })
        ));
        assert!(matches!(
            display_args(
                "de",
                &args(json!({ "amount": "x", "currency": "EUR" })),
                None
            ),
            Err(FormatError::Number { .. })
        ));
        assert!(matches!(
            display_args("not a locale!", &args(json!(1)), None),
            Err(FormatError::Locale(_))
        ));
    }
}
