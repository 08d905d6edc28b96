//! Support hours: when humans are on duty, in the support team's time zone.
//!
//! `hours` is a comma-separated list of `Days HH:MM-HH:MM`, where Days is a
//! day (`Mon`) or a range (`Mon-Fri`): "Mon-Fri 09:00-18:00, Sat 10:00-14:00".

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// Why `[handoff] hours` or `timezone` cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HoursError {
    /// A window (the text given) that is not `Days HH:MM-HH:MM`, names an
    /// unknown day, or closes before it opens; or no window at all.
    #[error("`{0}` is not like `Mon-Fri 09:00-18:00`")]
    Format(String),
    /// A time zone name (the text given) not in the bundled IANA database.
    #[error("unknown time zone `{0}`")]
    TimeZone(String),
}

#[derive(Debug, Clone)]
struct Window {
    /// Days of the week, Monday = 0.
    days: [bool; 7],
    open: Time,
    close: Time,
}

/// Parsed support hours: weekly windows in one time zone. A window's end is
/// exclusive (`09:00-18:00` is closed at 18:00); `24:00` is the end of the day.
#[derive(Debug, Clone)]
pub struct SupportHours {
    windows: Vec<Window>,
    zone: TimeZone,
}

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

fn day_index(name: &str) -> Option<usize> {
    let name = name.trim().to_lowercase();
    DAYS.iter().position(|(d, _)| name.starts_with(d))
}

fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    if h == 24 && m == 0 {
        return Some(Time::MAX);
    }
    Time::new(h, m, 0, 0).ok()
}

impl SupportHours {
    /// Parses `hours` in the IANA time zone `zone` (UTC when absent). Day
    /// names are matched on their first three letters, case-insensitively; a
    /// range may wrap (`Sat-Mon`).
    ///
    /// # Errors
    ///
    /// [`HoursError::TimeZone`] for an unknown zone, [`HoursError::Format`]
    /// for a window that does not parse, or when there is none.
    pub fn parse(hours: &str, zone: Option<&str>) -> Result<Self, HoursError> {
        let zone = match zone {
            Some(name) => TimeZone::get(name).map_err(|_| HoursError::TimeZone(name.to_owned()))?,
            None => TimeZone::UTC,
        };
        let mut windows = Vec::new();
        for spec in hours.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let bad = || HoursError::Format(spec.to_owned());
            let (days, times) = spec.split_once(' ').ok_or_else(bad)?;
            let (open, close) = times.split_once('-').ok_or_else(bad)?;
            let (open, close) = (
                parse_time(open).ok_or_else(bad)?,
                parse_time(close).ok_or_else(bad)?,
            );
            if open >= close {
                return Err(bad());
            }
            let mut set = [false; 7];
            let (first, last) = match days.split_once('-') {
                Some((a, b)) => (day_index(a).ok_or_else(bad)?, day_index(b).ok_or_else(bad)?),
                None => {
                    let d = day_index(days).ok_or_else(bad)?;
                    (d, d)
                }
            };
            let mut d = first;
            loop {
                set[d] = true;
                if d == last {
                    break;
                }
                d = (d + 1) % 7;
            }
            windows.push(Window {
                days: set,
                open,
                close,
            });
        }
        if windows.is_empty() {
            return Err(HoursError::Format(hours.to_owned()));
        }
        Ok(Self { windows, zone })
    }

    fn local(&self, at: Timestamp) -> Zoned {
        at.to_zoned(self.zone.clone())
    }

    /// Whether `at` falls in a window, read in the support team's time zone.
    pub fn is_open(&self, at: Timestamp) -> bool {
        let local = self.local(at);
        let day = local.weekday().to_monday_zero_offset() as usize;
        let time = local.time();
        self.windows
            .iter()
            .any(|w| w.days[day] && time >= w.open && time < w.close)
    }

    /// The next moment support opens after `at` (`at` itself if open now),
    /// in the support team's time zone; `None` if no window opens within the
    /// next eight days.
    pub fn next_open(&self, at: Timestamp) -> Option<Zoned> {
        if self.is_open(at) {
            return Some(self.local(at));
        }
        let local = self.local(at);
        let mut date: Date = local.date();
        for _ in 0..8 {
            let day = date.weekday().to_monday_zero_offset() as usize;
            let mut opens: Vec<Time> = self
                .windows
                .iter()
                .filter(|w| w.days[day])
                .map(|w| w.open)
                .collect();
            opens.sort();
            for open in opens {
                if let Ok(candidate) = date.to_datetime(open).to_zoned(self.zone.clone()) {
                    if candidate.timestamp() > at {
                        return Some(candidate);
                    }
                }
            }
            date = date.tomorrow().ok()?;
        }
        None
    }
}

/// One day's opening as a customer reads it: a weekday and a window, in
/// some time zone ([`SupportHours::weekly`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayWindow {
    /// The weekday, Monday = 0, in the zone it was read in.
    pub day: usize,
    /// Opening time, `(hour, minute)`.
    pub open: (i8, i8),
    /// Closing time, `(hour, minute)`; `(24, 0)` for the end of the day. An
    /// earlier time than `open` means the window runs past midnight.
    pub close: (i8, i8),
}

impl SupportHours {
    /// The team's time zone (its IANA name, `UTC` when none was given).
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The week's windows as read in `zone`, for the week that contains
    /// `at`, Monday first: a window keeps its length and moves with the
    /// offset between the zones (09:00–18:00 in Istanbul is 14:00–23:00 in
    /// Kuala Lumpur, and may land on another weekday).
    pub fn weekly(&self, zone: &TimeZone, at: Timestamp) -> Vec<DayWindow> {
        let local = self.local(at);
        let monday = local
            .date()
            .checked_sub(jiff::Span::new().days(i64::from(local.weekday().to_monday_zero_offset())))
            .unwrap_or(local.date());
        let mut out = Vec::new();
        for offset in 0..7i64 {
            let Ok(date) = monday.checked_add(jiff::Span::new().days(offset)) else {
                continue;
            };
            let day = date.weekday().to_monday_zero_offset() as usize;
            for window in self.windows.iter().filter(|w| w.days[day]) {
                let at_time = |time: Time| -> Option<Zoned> {
                    let zoned = if time == Time::MAX {
                        date.tomorrow().ok()?.to_datetime(Time::midnight())
                    } else {
                        date.to_datetime(time)
                    };
                    zoned.to_zoned(self.zone.clone()).ok()
                };
                let (Some(open), Some(close)) = (at_time(window.open), at_time(window.close))
                else {
                    continue;
                };
                let (open, close) = (
                    open.timestamp().to_zoned(zone.clone()),
                    close.timestamp().to_zoned(zone.clone()),
                );
                let end_of_day = close.time() == Time::midnight() && close.date() > open.date();
                out.push(DayWindow {
                    day: open.weekday().to_monday_zero_offset() as usize,
                    open: (open.hour(), open.minute()),
                    close: if end_of_day {
                        (24, 0)
                    } else {
                        (close.hour(), close.minute())
                    },
                });
            }
        }
        out.sort_by_key(|w| (w.day, w.open));
        out
    }
}

/// The weekday of `at` as `mon`..`sun`, for the Fluent message ids.
pub fn weekday_code(at: &Zoned) -> &'static str {
    DAYS[at.weekday().to_monday_zero_offset() as usize].0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn the_week_moves_with_the_customers_zone() {
        let hours =
            SupportHours::parse("Mon-Fri 09:00-18:00", Some("Europe/Istanbul")).expect("hours");
        let at = ts("2026-12-02T10:00:00Z");
        let own = hours.weekly(hours.zone(), at);
        assert_eq!(own.len(), 5);
        assert_eq!(
            own[0],
            DayWindow {
                day: 0,
                open: (9, 0),
                close: (18, 0)
            }
        );
        let kl = TimeZone::get("Asia/Kuala_Lumpur").expect("zone");
        let theirs = hours.weekly(&kl, at);
        assert_eq!(
            (theirs[4].day, theirs[4].open, theirs[4].close),
            (4, (14, 0), (23, 0))
        );
        // Los Angeles (UTC-8): 09:00 in Istanbul is 22:00 the evening before.
        let la = TimeZone::get("America/Los_Angeles").expect("zone");
        let theirs = hours.weekly(&la, at);
        assert_eq!(
            (theirs[0].day, theirs[0].open, theirs[0].close),
            (0, (22, 0), (7, 0))
        );
        assert_eq!((theirs[4].day, theirs[4].open), (6, (22, 0)));
        let whole = SupportHours::parse("Sat 00:00-24:00", None).expect("hours");
        assert_eq!(whole.weekly(whole.zone(), at)[0].close, (24, 0));
    }

    #[test]
    fn weekdays_in_istanbul() {
        let hours =
            SupportHours::parse("Mon-Fri 09:00-18:00", Some("Europe/Istanbul")).expect("hours");
        // 2026-11-23 is a Monday; Istanbul is UTC+3.
        assert!(hours.is_open(ts("2026-11-23T06:00:00Z")));
        assert!(!hours.is_open(ts("2026-11-23T05:59:00Z")));
        assert!(!hours.is_open(ts("2026-11-23T15:00:00Z")));
        let next = hours.next_open(ts("2026-11-27T16:00:00Z")).expect("opens");
        assert_eq!(
            next.timestamp(),
            ts("2026-11-30T06:00:00Z"),
            "Friday evening -> Monday 09:00"
        );
        assert_eq!(weekday_code(&next), "mon");
    }

    #[test]
    fn several_windows_and_bad_specs() {
        let hours =
            SupportHours::parse("Mon-Fri 09:00-18:00, Sat 10:00-14:00", None).expect("hours");
        assert!(hours.is_open(ts("2026-11-28T11:00:00Z")));
        assert_eq!(
            hours
                .next_open(ts("2026-11-28T15:00:00Z"))
                .map(|z| z.timestamp()),
            Some(ts("2026-11-30T09:00:00Z"))
        );
        assert!(SupportHours::parse("weekdays nine to five", None).is_err());
        assert!(SupportHours::parse("Mon-Fri 18:00-09:00", None).is_err());
        assert!(SupportHours::parse("Mon-Fri 09:00-18:00", Some("Mars/Olympus")).is_err());
    }
}
