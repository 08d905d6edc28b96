//! The daily aggregate insights are read from: for each UTC day, locale and
//! channel, a set of named counters that only ever have deltas added to them
//! (so that any store can merge them with an atomic increment, and a restart
//! loses nothing that was flushed).
//!
//! Counter names ([`DailyCounts`] keys), each a count of events on that day:
//!
//! | name | counts |
//! |---|---|
//! | `conversations` | conversations started (first stored) |
//! | `contained` | conversations contained: ended by the customer without ever having been handed to a person (counted once per conversation) |
//! | `handoffs` | handoffs from the bot to the queue; `handoffs:<reason>` the same by reason |
//! | `bot_turns` | customer messages the bot answered or tried to (the conversation was with the bot) |
//! | `unanswered` | of those, the ones neither an intent nor an article answered (the fallback) |
//! | `rating:<1..5>` | satisfaction ratings of that score (a replaced rating is taken off its score) |
//! | `helpful:yes`, `helpful:no` | "did this help?" answers |
//! | `article:<id>:yes`, `article:<id>:no` | the same, for the article the answer showed |
//! | `wait_s:<bound>` | waits from entering the queue to an assignee, in the bucket with that upper bound in seconds (`inf`: over the last bound) |
//! | `handling_s:<bound>` | handling times (assignee's claim to letting go), bucketed the same way |
//!
//! Buckets are not cumulative: a wait of 12 s counts in `wait_s:15` only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::channel::ChannelKind;
use super::handoff::HandoffReason;

/// The upper bounds, in seconds, of the buckets waits and handling times
/// are counted in (the same as `/metrics`' histograms of them).
pub const PEOPLE_BUCKETS_S: [u64; 14] = [
    5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400,
];

/// Which day, language and channel a set of daily counters belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DailyKey {
    /// The UTC day the events happened on.
    pub day: jiff::civil::Date,
    /// The conversation's locale at the event (e.g. `tr`).
    pub locale: String,
    /// The channel the conversation lives on.
    pub channel: ChannelKind,
}

impl DailyKey {
    /// The key for an event happening at `at`.
    pub fn at(at: jiff::Timestamp, locale: &str, channel: ChannelKind) -> Self {
        Self {
            day: at.to_zoned(jiff::tz::TimeZone::UTC).date(),
            locale: locale.to_owned(),
            channel,
        }
    }

    /// `YYYY-MM-DD/<locale>/<channel>`: sorts by day first, so a range of
    /// days is a range of keys.
    pub fn encode(&self) -> String {
        format!("{}/{}/{}", self.day, self.locale, self.channel.as_str())
    }

    /// The key [`DailyKey::encode`] wrote; `None` for anything else.
    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '/');
        let day = parts.next()?.parse().ok()?;
        let locale = parts.next()?.to_owned();
        let channel = ChannelKind::parse(parts.next()?)?;
        Some(Self {
            day,
            locale,
            channel,
        })
    }
}

/// Named counters (see the module's table); a name not present is 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DailyCounts(pub BTreeMap<String, i64>);

/// `conversations`.
pub const CONVERSATIONS: &str = "conversations";
/// `contained`.
pub const CONTAINED: &str = "contained";
/// `handoffs`.
pub const HANDOFFS: &str = "handoffs";
/// `bot_turns`.
pub const BOT_TURNS: &str = "bot_turns";
/// `unanswered`.
pub const UNANSWERED: &str = "unanswered";
/// `helpful:yes`.
pub const HELPFUL_YES: &str = "helpful:yes";
/// `helpful:no`.
pub const HELPFUL_NO: &str = "helpful:no";
/// The prefix of wait buckets.
pub const WAIT_S: &str = "wait_s";
/// The prefix of handling-time buckets.
pub const HANDLING_S: &str = "handling_s";

impl DailyCounts {
    /// Adds `delta` to the counter `name`.
    pub fn add(&mut self, name: impl Into<String>, delta: i64) {
        *self.0.entry(name.into()).or_insert(0) += delta;
    }

    /// Adds every counter of `other`.
    pub fn merge(&mut self, other: &DailyCounts) {
        for (name, delta) in &other.0 {
            self.add(name.clone(), *delta);
        }
    }

    /// The counter `name`; 0 if absent.
    pub fn get(&self, name: &str) -> i64 {
        self.0.get(name).copied().unwrap_or(0)
    }

    /// True when no counter is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One more handoff, for `reason`.
    pub fn handoff(&mut self, reason: HandoffReason) {
        self.add(HANDOFFS, 1);
        self.add(format!("{HANDOFFS}:{}", reason.as_str()), 1);
    }

    /// `delta` ratings of `score` (1 to 5).
    pub fn rating(&mut self, score: u8, delta: i64) {
        self.add(format!("rating:{score}"), delta);
    }

    /// One "did this help?" answer (`delta` 1; -1 takes back one the
    /// customer changed), about `article` if the answer showed one.
    pub fn feedback(&mut self, helpful: bool, article: Option<&str>, delta: i64) {
        let answer = if helpful { "yes" } else { "no" };
        self.add(format!("helpful:{answer}"), delta);
        if let Some(article) = article {
            self.add(format!("article:{article}:{answer}"), delta);
        }
    }

    /// One sample of `seconds` in the histogram named `prefix`
    /// ([`WAIT_S`], [`HANDLING_S`]).
    pub fn sample(&mut self, prefix: &str, seconds: f64) {
        self.add(format!("{prefix}:{}", bucket_name(seconds)), 1);
    }

    /// The counts of the histogram `prefix`, one per bucket of
    /// [`PEOPLE_BUCKETS_S`] and a last one over the last bound.
    pub fn buckets(&self, prefix: &str) -> Vec<u64> {
        PEOPLE_BUCKETS_S
            .iter()
            .map(|bound| bound.to_string())
            .chain(["inf".to_owned()])
            .map(|bound| u64::try_from(self.get(&format!("{prefix}:{bound}"))).unwrap_or(0))
            .collect()
    }
}

/// The bucket a sample of `seconds` falls in: its upper bound, or `inf`.
pub fn bucket_name(seconds: f64) -> String {
    PEOPLE_BUCKETS_S
        .iter()
        .find(|&&bound| seconds <= bound as f64)
        .map_or_else(|| "inf".to_owned(), |bound| bound.to_string())
}

/// Where a quantile of a bucketed histogram lies, as far as the buckets tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantileBound {
    /// At most this many seconds (the upper bound of the bucket holding it).
    AtMostS(u64),
    /// More than this many seconds (the last bucket's bound).
    OverS(u64),
}

/// The `q` quantile (0.5: the median, 0.9: p90) of a histogram with the
/// counts `buckets` (per [`PEOPLE_BUCKETS_S`] bucket, then the overflow): the
/// upper bound of the bucket holding the sample of rank ⌈q·n⌉ (nearest-rank
/// method), so that the figure is never lower than the true quantile.
/// `None` without samples.
pub fn quantile(buckets: &[u64], q: f64) -> Option<QuantileBound> {
    let total: u64 = buckets.iter().sum();
    if total == 0 {
        return None;
    }
    let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
    let mut seen = 0;
    for (index, count) in buckets.iter().enumerate() {
        seen += count;
        if seen >= rank {
            return Some(match PEOPLE_BUCKETS_S.get(index) {
                Some(&bound) => QuantileBound::AtMostS(bound),
                None => QuantileBound::OverS(PEOPLE_BUCKETS_S[PEOPLE_BUCKETS_S.len() - 1]),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_its_encoding_and_sorts_by_day() {
        let key = DailyKey {
            day: jiff::civil::date(2026, 12, 1),
            locale: "tr".into(),
            channel: ChannelKind::Whatsapp,
        };
        assert_eq!(key.encode(), "2026-12-01/tr/whatsapp");
        assert_eq!(DailyKey::decode(&key.encode()), Some(key));
        assert!("2026-12-01/tr/web" < "2026-12-02/de/web");
        assert_eq!(DailyKey::decode("2026-12-01/tr/fax"), None);
    }

    #[test]
    fn counters_merge_by_adding() {
        let mut day = DailyCounts::default();
        day.handoff(HandoffReason::Complaint);
        let mut other = DailyCounts::default();
        other.handoff(HandoffReason::Complaint);
        other.handoff(HandoffReason::NoMatch);
        other.rating(5, 1);
        day.merge(&other);
        assert_eq!(day.get(HANDOFFS), 3);
        assert_eq!(day.get("handoffs:complaint"), 2);
        assert_eq!(day.get("handoffs:no_match"), 1);
        assert_eq!(day.get("rating:5"), 1);
        assert_eq!(day.get("rating:1"), 0);
    }

    #[test]
    fn samples_fall_in_the_bucket_whose_bound_is_not_below_them() {
        assert_eq!(bucket_name(0.2), "5");
        assert_eq!(bucket_name(5.0), "5");
        assert_eq!(bucket_name(5.1), "15");
        assert_eq!(bucket_name(90_000.0), "inf");
        let mut day = DailyCounts::default();
        day.sample(WAIT_S, 12.0);
        day.sample(WAIT_S, 100_000.0);
        let buckets = day.buckets(WAIT_S);
        assert_eq!(buckets.len(), PEOPLE_BUCKETS_S.len() + 1);
        assert_eq!(buckets[1], 1);
        assert_eq!(buckets[PEOPLE_BUCKETS_S.len()], 1);
    }

    #[test]
    fn the_median_and_p90_are_the_bounds_of_the_buckets_holding_their_rank() {
        assert_eq!(quantile(&[0; 15], 0.5), None);
        // Ten samples: 6 under 5 s, 3 under 15 s, 1 under 30 s.
        let mut buckets = [0u64; 15];
        buckets[0] = 6;
        buckets[1] = 3;
        buckets[2] = 1;
        assert_eq!(quantile(&buckets, 0.5), Some(QuantileBound::AtMostS(5)));
        assert_eq!(quantile(&buckets, 0.6), Some(QuantileBound::AtMostS(5)));
        assert_eq!(quantile(&buckets, 0.61), Some(QuantileBound::AtMostS(15)));
        assert_eq!(quantile(&buckets, 0.9), Some(QuantileBound::AtMostS(15)));
        assert_eq!(quantile(&buckets, 1.0), Some(QuantileBound::AtMostS(30)));
        // One sample, past the last bound.
        let mut over = [0u64; 15];
        over[14] = 1;
        assert_eq!(quantile(&over, 0.5), Some(QuantileBound::OverS(86_400)));
    }
}
