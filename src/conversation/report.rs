//! The insights report: the daily aggregate of a range of UTC days, filtered
//! by locale and channel, summed and turned into rates and quantiles, with
//! the questions nothing answered in that range (`GET /v1/insights`,
//! docs/insights.md).

use std::collections::BTreeMap;

use serde::Serialize;

use super::*;
use crate::domain::daily::{self, quantile, DailyCounts, DailyKey, QuantileBound};

/// How many logged questions the report reads (the store keeps about 10,000).
const UNANSWERED_READ: usize = 5_000;
/// How many unanswered questions the report lists.
const UNANSWERED_LISTED: usize = 20;
/// The longest range a report covers, in days.
pub const MAX_DAYS: u16 = 366;

/// Which figures a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    /// The last day covered (UTC), usually today.
    pub to: jiff::civil::Date,
    /// How many days, ending with `to` (1 to [`MAX_DAYS`]).
    pub days: u16,
    /// Only this locale; `None`: every locale.
    pub locale: Option<String>,
    /// Only this channel; `None`: every channel.
    pub channel: Option<ChannelKind>,
}

impl ReportQuery {
    /// The first day covered.
    pub fn from(&self) -> jiff::civil::Date {
        let back = i64::from(self.days.clamp(1, MAX_DAYS)) - 1;
        self.to
            .checked_sub(jiff::Span::new().days(back))
            .unwrap_or(self.to)
    }

    fn keeps(&self, key: &DailyKey) -> bool {
        self.locale.as_ref().is_none_or(|l| *l == key.locale)
            && self.channel.is_none_or(|c| c == key.channel)
    }
}

/// The figures of a range (or of one day of it).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figures {
    /// Conversations started.
    pub conversations: i64,
    /// Conversations contained (ended by the customer, never handed off).
    pub contained: i64,
    /// Handoffs from the bot to the queue.
    pub handoffs: i64,
    /// `contained / conversations`, 0.0 to 1.0; `null` without conversations.
    pub containment_rate: Option<f64>,
    /// `handoffs / conversations`, 0.0 to 1.0; `null` without conversations.
    pub handoff_rate: Option<f64>,
    /// Customer messages the bot handled.
    pub bot_turns: i64,
    /// Of those, the ones nothing answered.
    pub unanswered_turns: i64,
    /// `unanswered_turns / bot_turns`, 0.0 to 1.0 (DESIGN.md's fallback
    /// rate); `null` without bot turns.
    pub fallback_rate: Option<f64>,
}

impl Figures {
    fn of(counts: &DailyCounts) -> Self {
        let conversations = counts.get(daily::CONVERSATIONS);
        let rate = |part: i64| (conversations > 0).then(|| part as f64 / conversations as f64);
        let contained = counts.get(daily::CONTAINED);
        let handoffs = counts.get(daily::HANDOFFS);
        let bot_turns = counts.get(daily::BOT_TURNS);
        let unanswered_turns = counts.get(daily::UNANSWERED);
        Self {
            conversations,
            contained,
            handoffs,
            containment_rate: rate(contained),
            handoff_rate: rate(handoffs),
            bot_turns,
            unanswered_turns,
            fallback_rate: (bot_turns > 0).then(|| unanswered_turns as f64 / bot_turns as f64),
        }
    }
}

/// One day of a range.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    /// The UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// A histogram of seconds, summarised.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Durations {
    /// How many were measured.
    pub samples: u64,
    /// The median (see [`daily::quantile`]); `null` without samples.
    pub median: Option<QuantileBound>,
    /// The 90th percentile; `null` without samples.
    pub p90: Option<QuantileBound>,
    /// Counts per bucket, for the bounds in `bucket_bounds_s` and a last
    /// one over the last bound.
    pub buckets: Vec<u64>,
}

impl Durations {
    /// The summary of the histogram `prefix` in `counts`.
    pub fn of(counts: &DailyCounts, prefix: &str) -> Self {
        let buckets = counts.buckets(prefix);
        Self {
            samples: buckets.iter().sum(),
            median: quantile(&buckets, 0.5),
            p90: quantile(&buckets, 0.9),
            buckets,
        }
    }
}

/// "Did this help?" for one article.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArticleFeedback {
    /// The article id (shared across languages).
    pub article: String,
    /// "Yes" answers.
    pub helpful: i64,
    /// "No" answers.
    pub not_helpful: i64,
}

/// A question nothing answered in the range, with how often it was asked.
#[derive(Debug, Clone, Serialize)]
pub struct UnansweredRow {
    /// The newest wording, as typed.
    pub text: String,
    /// Its locale.
    pub locale: String,
    /// The channel of its newest asking.
    pub channel: ChannelKind,
    /// How often the same question (same folded words) was asked.
    pub count: usize,
    /// When it was last asked.
    pub last_asked: Timestamp,
    /// The conversation it was last asked in.
    pub conversation: ConversationId,
}

/// `GET /v1/insights`'s answer.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The first UTC day covered, `YYYY-MM-DD`.
    pub from: String,
    /// The last UTC day covered.
    pub to: String,
    /// How many days.
    pub days: u16,
    /// The locale filter; `null`: all.
    pub locale: Option<String>,
    /// The channel filter; `null`: all.
    pub channel: Option<ChannelKind>,
    /// The supported locales (for the filter).
    pub locales: Vec<String>,
    /// The range's figures.
    pub totals: Figures,
    /// Each day of the range, oldest first, zeros included.
    pub by_day: Vec<Day>,
    /// Handoffs by reason (every reason, zeros included).
    pub handoffs_by_reason: BTreeMap<String, i64>,
    /// Ratings by score, `"1"` to `"5"`.
    pub ratings: BTreeMap<String, i64>,
    /// How many ratings.
    pub ratings_count: i64,
    /// The average score; `null` without ratings.
    pub csat_average: Option<f64>,
    /// "Did this help?" answers overall: `yes`, `no`.
    pub helpful: BTreeMap<String, i64>,
    /// Per article, most "no" first.
    pub articles: Vec<ArticleFeedback>,
    /// The upper bounds of the wait and handling buckets, in seconds.
    pub bucket_bounds_s: Vec<u64>,
    /// Waits from entering the queue to an assignee.
    pub wait: Durations,
    /// Handling times.
    pub handling: Durations,
    /// The most asked questions nothing answered, most asked first.
    pub unanswered: Vec<UnansweredRow>,
}

/// Sums the counters of `rows` that `query` keeps: the total, and per day.
pub fn sum(
    rows: &[(DailyKey, DailyCounts)],
    query: &ReportQuery,
) -> (DailyCounts, BTreeMap<jiff::civil::Date, DailyCounts>) {
    let mut total = DailyCounts::default();
    let mut per_day: BTreeMap<jiff::civil::Date, DailyCounts> = BTreeMap::new();
    for (key, counts) in rows.iter().filter(|(key, _)| query.keeps(key)) {
        total.merge(counts);
        per_day.entry(key.day).or_default().merge(counts);
    }
    (total, per_day)
}

/// The report of `rows` (the store's daily rows of the range) and
/// `questions` (logged unanswered questions, newest first).
pub fn report(
    query: &ReportQuery,
    locales: Vec<String>,
    rows: &[(DailyKey, DailyCounts)],
    questions: Vec<Unanswered>,
) -> Report {
    let from = query.from();
    let (total, per_day) = sum(rows, query);
    let mut by_day = Vec::new();
    let mut day = from;
    while day <= query.to {
        let counts = per_day.get(&day).cloned().unwrap_or_default();
        by_day.push(Day {
            day: day.to_string(),
            figures: Figures::of(&counts),
        });
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    let handoffs_by_reason = HandoffReason::ALL
        .iter()
        .map(|r| {
            let name = r.as_str();
            (
                name.to_owned(),
                total.get(&format!("{}:{name}", daily::HANDOFFS)),
            )
        })
        .collect();
    let ratings: BTreeMap<String, i64> = (1..=5u8)
        .map(|score| (score.to_string(), total.get(&format!("rating:{score}"))))
        .collect();
    let ratings_count: i64 = ratings.values().sum();
    let score_sum: i64 = (1..=5i64)
        .map(|score| score * ratings[&score.to_string()])
        .sum();
    let mut articles: BTreeMap<String, ArticleFeedback> = BTreeMap::new();
    for (name, count) in &total.0 {
        let Some(rest) = name.strip_prefix("article:") else {
            continue;
        };
        let Some((article, answer)) = rest.rsplit_once(':') else {
            continue;
        };
        let row = articles
            .entry(article.to_owned())
            .or_insert_with(|| ArticleFeedback {
                article: article.to_owned(),
                helpful: 0,
                not_helpful: 0,
            });
        match answer {
            "yes" => row.helpful += count,
            "no" => row.not_helpful += count,
            _ => {}
        }
    }
    let mut articles: Vec<ArticleFeedback> = articles.into_values().collect();
    articles.sort_by(|a, b| {
        b.not_helpful
            .cmp(&a.not_helpful)
            .then(b.helpful.cmp(&a.helpful))
            .then(a.article.cmp(&b.article))
    });
    Report {
        from: from.to_string(),
        to: query.to.to_string(),
        days: query.days,
        locale: query.locale.clone(),
        channel: query.channel,
        locales,
        totals: Figures::of(&total),
        by_day,
        handoffs_by_reason,
        ratings,
        ratings_count,
        csat_average: (ratings_count > 0).then(|| score_sum as f64 / ratings_count as f64),
        helpful: [
            ("yes".to_owned(), total.get(daily::HELPFUL_YES)),
            ("no".to_owned(), total.get(daily::HELPFUL_NO)),
        ]
        .into(),
        articles,
        bucket_bounds_s: daily::PEOPLE_BUCKETS_S.to_vec(),
        wait: Durations::of(&total, daily::WAIT_S),
        handling: Durations::of(&total, daily::HANDLING_S),
        unanswered: top_unanswered(query, questions),
    }
}

/// The questions of `questions` (newest first) asked in the query's range,
/// locale and channel; the same question (same folded words) counted once,
/// most asked first (then the most recent).
pub fn top_unanswered(query: &ReportQuery, questions: Vec<Unanswered>) -> Vec<UnansweredRow> {
    let from = query.from();
    let mut rows: Vec<UnansweredRow> = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for question in questions {
        let day = question
            .ts
            .as_jiff()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        if day < from
            || day > query.to
            || query.locale.as_ref().is_some_and(|l| *l != question.locale)
            || query.channel.is_some_and(|c| c != question.channel)
        {
            continue;
        }
        let key = (
            question.locale.clone(),
            crate::normalize::phrase_key(&question.text, &question.locale),
        );
        match seen.get(&key) {
            Some(&at) => rows[at].count += 1,
            None => {
                seen.insert(key, rows.len());
                rows.push(UnansweredRow {
                    text: question.text,
                    locale: question.locale,
                    channel: question.channel,
                    count: 1,
                    last_asked: question.ts,
                    conversation: question.conversation,
                });
            }
        }
    }
    // Stable: equal counts keep newest first.
    rows.sort_by_key(|row| std::cmp::Reverse(row.count));
    rows
}

impl Conversations {
    /// The insights report for `query`. Errs only if the store cannot read.
    pub fn report(&self, query: &ReportQuery) -> Result<Report, ConversationError> {
        self.flush_daily();
        let rows = self.store.daily(query.from(), query.to)?;
        let questions = self.store.unanswered(UNANSWERED_READ)?;
        let mut report = report(query, self.supported_locales(), &rows, questions);
        report.unanswered.truncate(UNANSWERED_LISTED);
        Ok(report)
    }

    /// The daily rows of `query`'s range that it keeps, by day, locale and channel.
    pub fn daily_rows(
        &self,
        query: &ReportQuery,
    ) -> Result<Vec<(DailyKey, DailyCounts)>, ConversationError> {
        self.flush_daily();
        Ok(self
            .store
            .daily(query.from(), query.to)?
            .into_iter()
            .filter(|(key, _)| query.keeps(key))
            .collect())
    }

    /// Every unanswered question of `query`'s range, most asked first.
    pub fn unanswered_rows(
        &self,
        query: &ReportQuery,
    ) -> Result<Vec<UnansweredRow>, ConversationError> {
        Ok(top_unanswered(
            query,
            self.store.unanswered(UNANSWERED_READ)?,
        ))
    }

    /// The supported locales, by name.
    pub fn supported_locales(&self) -> Vec<String> {
        self.engine
            .content()
            .l10n
            .locales()
            .map(|l| l.as_str().to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(day: i8, locale: &str, channel: ChannelKind) -> DailyKey {
        DailyKey {
            day: jiff::civil::date(2026, 12, day),
            locale: locale.into(),
            channel,
        }
    }

    fn counts(pairs: &[(&str, i64)]) -> DailyCounts {
        let mut counts = DailyCounts::default();
        for (name, n) in pairs {
            counts.add(*name, *n);
        }
        counts
    }

    fn query(locale: Option<&str>) -> ReportQuery {
        ReportQuery {
            to: jiff::civil::date(2026, 12, 3),
            days: 3,
            locale: locale.map(str::to_owned),
            channel: None,
        }
    }

    #[test]
    fn a_report_sums_the_days_kept_and_turns_them_into_rates() {
        let rows = vec![
            (
                key(1, "tr", ChannelKind::Web),
                counts(&[
                    ("conversations", 4),
                    ("contained", 2),
                    ("handoffs", 1),
                    ("handoffs:complaint", 1),
                    ("rating:5", 1),
                    ("rating:2", 1),
                    ("article:returns:no", 2),
                    ("article:returns:yes", 1),
                    ("wait_s:5", 3),
                    ("wait_s:60", 1),
                ]),
            ),
            (
                key(3, "en", ChannelKind::Telegram),
                counts(&[
                    ("conversations", 1),
                    ("handoffs", 1),
                    ("handoffs:no_match", 1),
                ]),
            ),
        ];
        let all = report(&query(None), vec![], &rows, vec![]);
        assert_eq!(all.from, "2026-12-01");
        assert_eq!(all.by_day.len(), 3);
        assert_eq!(all.by_day[1].figures.conversations, 0);
        assert_eq!(all.by_day[1].figures.containment_rate, None);
        assert_eq!(all.totals.conversations, 5);
        assert_eq!(all.totals.containment_rate, Some(0.4));
        assert_eq!(all.totals.handoff_rate, Some(0.4));
        assert_eq!(all.handoffs_by_reason["complaint"], 1);
        assert_eq!(all.handoffs_by_reason["no_match"], 1);
        assert_eq!(all.handoffs_by_reason["policy"], 0);
        assert_eq!(all.ratings_count, 2);
        assert_eq!(all.csat_average, Some(3.5));
        assert_eq!(all.articles[0].not_helpful, 2);
        assert_eq!(all.wait.samples, 4);
        assert_eq!(all.wait.median, Some(QuantileBound::AtMostS(5)));
        assert_eq!(all.wait.p90, Some(QuantileBound::AtMostS(60)));

        let english = report(&query(Some("en")), vec![], &rows, vec![]);
        assert_eq!(english.totals.conversations, 1);
        assert_eq!(english.totals.handoff_rate, Some(1.0));
        assert_eq!(english.ratings_count, 0);
        assert_eq!(english.csat_average, None);
    }

    #[test]
    fn the_same_unanswered_question_is_counted_once_and_outside_the_range_not_at_all() {
        let at = |day: i8| {
            Timestamp::from(
                jiff::civil::date(2026, 12, day)
                    .at(12, 0, 0, 0)
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .expect("a valid time")
                    .timestamp(),
            )
        };
        let question = |text: &str, day: i8| Unanswered {
            locale: "fr".into(),
            text: text.into(),
            conversation: ConversationId::random(),
            ts: at(day),
            channel: ChannelKind::Web,
        };
        // Newest first, as the store gives them.
        let questions = vec![
            question("Où est le cinéma ?", 3),
            question("ou est le cinema", 2),
            question("Quand ouvre la piscine", 2),
            question("où est le cinéma", 1),
            question("très vieux", 1),
        ];
        let mut old = questions.clone();
        old.push(Unanswered {
            ts: Timestamp::from(jiff::Timestamp::UNIX_EPOCH),
            ..question("avant", 1)
        });
        let rows = top_unanswered(&query(None), old);
        assert_eq!(rows[0].text, "Où est le cinéma ?");
        assert_eq!(rows[0].count, 3);
        assert!(rows.iter().all(|r| r.text != "avant"));
        assert!(top_unanswered(&query(Some("de")), questions).is_empty());
    }
}
