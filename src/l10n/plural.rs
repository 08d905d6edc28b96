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
