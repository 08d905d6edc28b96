//! `PLURAL($n)`: the CLDR cardinal plural category of a number, from ICU4X.

use std::str::FromStr;

use fixed_decimal::Decimal;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentResource, FluentValue};
use icu_locale_core::Locale as IcuLocale;
use icu_plurals::{PluralCategory, PluralOperands, PluralRules};
use unic_langid::LanguageIdentifier;

/// The CLDR plural category (`zero`, `one`, `two`, `few`, `many`, `other`) of
/// `number` in the language `lang`; `other` if the language is unknown to ICU4X.
pub fn plural_category(lang: &str, number: f64) -> &'static str {
    let rules = IcuLocale::from_str(lang)
        .ok()
        .and_then(|locale| PluralRules::try_new_cardinal((&locale).into()).ok());
    match rules {
        Some(rules) => category_name(category_for(&rules, number)),
        None => "other",
    }
}

fn category_for(rules: &PluralRules, number: f64) -> PluralCategory {
    // Rust prints the shortest decimal that round-trips (1.5, 111), which is
    // what the plural operands need: 1.5 has a visible fraction digit.
    match Decimal::try_from_str(&number.to_string()) {
        Ok(decimal) => rules.category_for(PluralOperands::from(&decimal)),
        Err(_) => PluralCategory::Other,
    }
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// Adds `PLURAL()` to a bundle of the language `langid`.
pub(super) fn register(bundle: &mut FluentBundle<FluentResource>, langid: &LanguageIdentifier) {
    let lang = langid.language.as_str().to_owned();
    let result = bundle.add_function("PLURAL", move |positional, _named| {
        match positional.first() {
            Some(FluentValue::Number(number)) => {
                FluentValue::from(plural_category(&lang, number.value))
            }
            Some(FluentValue::String(text)) => match text.parse::<f64>() {
                Ok(number) => FluentValue::from(plural_category(&lang, number)),
                Err(_) => FluentValue::from("other"),
            },
            _ => FluentValue::from("other"),
        }
    });
    if let Err(error) = result {
        tracing::error!(?error, "cannot register PLURAL()");
    }
}

#[cfg(test)]
mod tests {
    use super::plural_category;

    #[test]
    fn latvian_follows_cldr_zero_one_other() {
        // intl_pluralrules 7 gets 11 and 111 wrong; CLDR: zero for n%10=0 or n%100=11..19.
        for (n, category) in [
            (0.0, "zero"),
            (1.0, "one"),
            (2.0, "other"),
            (10.0, "zero"),
            (11.0, "zero"),
            (19.0, "zero"),
            (21.0, "one"),
            (111.0, "zero"),
            (1.5, "other"),
        ] {
            assert_eq!(plural_category("lv", n), category, "lv {n}");
        }
    }

    #[test]
    fn russian_has_one_few_many_and_other_for_fractions() {
        for (n, category) in [
            (1.0, "one"),
            (21.0, "one"),
            (3.0, "few"),
            (24.0, "few"),
            (5.0, "many"),
            (11.0, "many"),
            (12.0, "many"),
            (1.5, "other"),
        ] {
            assert_eq!(plural_category("ru", n), category, "ru {n}");
        }
    }

    #[test]
    fn the_other_languages() {
        assert_eq!(plural_category("fr", 0.0), "one");
        assert_eq!(plural_category("fr", 1.0), "one");
        assert_eq!(plural_category("fr", 2.0), "other");
        assert_eq!(plural_category("en", 0.0), "other");
        assert_eq!(plural_category("de", 1.0), "one");
        assert_eq!(plural_category("es", 1_000_000.0), "many");
        assert_eq!(plural_category("tr", 1.0), "one");
        assert_eq!(plural_category("tr", 2.0), "other");
        assert_eq!(plural_category("el", 1.0), "one");
        // Malay has no plural forms.
        assert_eq!(plural_category("ms", 1.0), "other");
        assert_eq!(plural_category("xx-unknown", 1.0), "other");
    }
}
