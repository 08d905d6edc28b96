//! The shop's facts that texts say: support hours, the time zone they are
//! in, the email address and the phone number. They come from the config
//! (`[handoff] hours`/`timezone`, `[contact]`), never from the texts, and are
//! rendered per locale into intent answers (`$hours`, `$zone`, `$email`,
//! `$phone`) and articles (`{$hours}`, `{$zone}`, `{$email}`, `{$phone}`).

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::handoff::hours::DayWindow;
use crate::handoff::SupportHours;
use crate::l10n::{Facts, Locale, Localizer, Msg, WEEKDAYS};

/// The placeholders an article may hold, and the fact each stands for.
const ARTICLE_PLACEHOLDERS: [&str; 4] = ["{$hours}", "{$zone}", "{$email}", "{$phone}"];

/// The shop's facts from the config.
#[derive(Debug, Clone, Default)]
pub struct ShopFacts {
    /// When people are on duty; `None`: always.
    pub hours: Option<SupportHours>,
    /// The team's IANA time zone (`[handoff] timezone`); `None`: not
    /// configured (then the hours' zone, which is UTC without one).
    pub zone: Option<TimeZone>,
    /// The support email address (`[contact] email`).
    pub email: String,
    /// The support phone number (`[contact] phone`).
    pub phone: String,
}

impl ShopFacts {
    /// Whether people are on duty at `at` (always, without hours).
    pub fn is_open(&self, at: Timestamp) -> bool {
        self.hours.as_ref().is_none_or(|h| h.is_open(at))
    }

    /// Where times are said to a customer: in their IANA `timezone` when
    /// given and known, else in the team's zone; `None` if neither is known.
    pub fn zone_for(&self, timezone: Option<&str>) -> Option<TimeZone> {
        timezone
            .and_then(|name| TimeZone::get(name).ok())
            .or_else(|| self.zone.clone())
            .or_else(|| self.hours.as_ref().map(|h| h.zone().clone()))
    }

    /// The facts in `locale`'s words, with the hours in the customer's IANA
    /// `timezone` when given and known, else in the team's zone, which
    /// `$zone` then names. `at` picks the week (offsets change with daylight
    /// saving time).
    pub fn render(
        &self,
        l10n: &Localizer,
        locale: &Locale,
        timezone: Option<&str>,
        at: Timestamp,
    ) -> Facts {
        let zone = self.zone_for(timezone).unwrap_or(TimeZone::UTC);
        let hours = match &self.hours {
            Some(hours) => describe_week(l10n, locale, &hours.weekly(&zone, at)),
            None => l10n.text(locale, &Msg::HoursAlways),
        };
        Facts {
            hours,
            zone: zone_label(&zone, at),
            email: self.email.clone(),
            phone: self.phone.clone(),
            always: self.hours.is_none(),
        }
    }
}

/// `text` with the article placeholders replaced by `facts`.
pub fn fill_article(text: &str, facts: &Facts) -> String {
    if !text.contains("{$") {
        return text.to_owned();
    }
    let values = [&facts.hours, &facts.zone, &facts.email, &facts.phone];
    let mut out = text.to_owned();
    for (placeholder, value) in ARTICLE_PLACEHOLDERS.iter().zip(values) {
        out = out.replace(placeholder, value);
    }
    out
}

/// "Europe/Istanbul, UTC+03:00": the zone's name and its offset at `at`.
pub fn zone_label(zone: &TimeZone, at: Timestamp) -> String {
    let name = zone.iana_name().unwrap_or("UTC");
    if name == "UTC" {
        return name.to_owned();
    }
    let seconds = zone.to_offset(at).seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{name}, UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// "Monday–Friday 09:00–18:00, Saturday 10:00–14:00": consecutive days with
/// the same window are one range.
fn describe_week(l10n: &Localizer, locale: &Locale, week: &[DayWindow]) -> String {
    let day = |d: usize| {
        l10n.text(
            locale,
            &Msg::Day {
                day: WEEKDAYS.get(d).copied().unwrap_or("mon"),
            },
        )
    };
    let time = |(h, m): (i8, i8)| format!("{h:02}:{m:02}");
    // Runs of days with one window: (first day, that window, last day).
    let mut groups: Vec<(DayWindow, usize)> = Vec::new();
    for w in week {
        match groups.last_mut() {
            Some((first, last))
                if *last + 1 == w.day && first.open == w.open && first.close == w.close =>
            {
                *last = w.day;
            }
            _ => groups.push((*w, w.day)),
        }
    }
    groups
        .iter()
        .map(
            |&(
                DayWindow {
                    day: first,
                    open,
                    close,
                },
                last,
            )| {
                let days = if first == last {
                    day(first)
                } else {
                    format!("{}–{}", day(first), day(last))
                };
                format!("{days} {}–{}", time(open), time(close))
            },
        )
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_named_with_their_offset() {
        let at: Timestamp = "2026-12-02T10:00:00Z".parse().expect("ts");
        let istanbul = TimeZone::get("Europe/Istanbul").expect("zone");
        assert_eq!(zone_label(&istanbul, at), "Europe/Istanbul, UTC+03:00");
        let la = TimeZone::get("America/Los_Angeles").expect("zone");
        assert_eq!(zone_label(&la, at), "America/Los_Angeles, UTC-08:00");
        assert_eq!(zone_label(&TimeZone::UTC, at), "UTC");
    }

    #[test]
    fn articles_get_the_facts_in_place_of_their_placeholders() {
        let facts = Facts {
            hours: "Monday–Friday 09:00–18:00".to_owned(),
            zone: "Europe/Berlin, UTC+01:00".to_owned(),
            email: "help@shop.test".to_owned(),
            phone: "+49 30 1234567".to_owned(),
            always: false,
        };
        assert_eq!(
            fill_article("We work {$hours} ({$zone}): {$email}, {$phone}.", &facts),
            "We work Monday–Friday 09:00–18:00 (Europe/Berlin, UTC+01:00): help@shop.test, +49 30 1234567."
        );
        assert_eq!(fill_article("No facts here.", &facts), "No facts here.");
    }
}
