//! What each commit changes in the figures: read from the record before and
//! after the commit and the entries it stores, counted on `/metrics` (the
//! live view) and added to the store's daily aggregate (the durable one).
//!
//! Definitions (docs/insights.md has the full table):
//! - a conversation *starts* when it is first stored;
//! - it is *handed off* each time it goes from the bot to the queue (a
//!   release back to the queue is not a new handoff);
//! - it is *contained* when the customer ends it (`end`), or the retention
//!   sweep erases it idle, and it was never handed to a person; counted once
//!   per conversation, on the day it ended (or was erased);
//! - *wait* runs from entering the queue to an assignee's claim; *handling*
//!   from the claim to the assignee closing, releasing or returning it, or
//!   the customer ending it.

use super::*;
use crate::domain::daily::{self, DailyCounts, DailyKey};
use crate::domain::Feedback;
use crate::telemetry;

/// What one commit counts.
#[derive(Debug, Default)]
pub(super) struct Tally {
    locale: String,
    channel: ChannelKind,
    started: bool,
    /// A customer message the bot answered (or tried to).
    bot_turn: bool,
    messages: Vec<Sender>,
    intents: Vec<String>,
    handoff: Option<(HandoffReason, Priority)>,
    wait_s: Option<f64>,
    handling_s: Option<f64>,
    contained: bool,
    /// A new rating, and the one it replaces.
    rating: Option<(u8, Option<Rating>)>,
    /// A new "did this help?" answer: helpful, and the seq it is about.
    feedback: Option<(bool, u64)>,
    /// The earlier answer about the same message it replaces.
    feedback_replaced: Option<Feedback>,
}

/// Seconds from `earlier` to `later` (0 if `later` is before it).
fn seconds_between(earlier: Timestamp, later: Timestamp) -> f64 {
    (later.as_millisecond() - earlier.as_millisecond()).max(0) as f64 / 1000.0
}

impl Tally {
    /// The figures the commit from `before` to `next` with `bodies` changes;
    /// `next` gets the marks that make each count once (`handed_off`,
    /// `contained`, `assigned_at`). `queued` is the conversation's queue item
    /// (read after the handoff module acted, before the commit).
    pub(super) fn of(
        before: &ConversationRecord,
        next: &mut ConversationRecord,
        bodies: &[EntryBody],
        started: bool,
        queued: Option<&QueueEntry>,
        now: Timestamp,
    ) -> Self {
        let mut tally = Tally {
            locale: next.locale.clone(),
            channel: next.channel_kind(),
            started,
            ..Tally::default()
        };
        let mut queued_now = false;
        let mut assigned = false;
        let mut ended_by_customer = false;
        for body in bodies {
            match body {
                EntryBody::Message { from, intent, .. } => {
                    tally.messages.push(*from);
                    if let (Sender::Bot, Some(intent)) = (from, intent) {
                        tally.intents.push(intent.clone());
                    }
                }
                EntryBody::Handoff { status, .. } => match status {
                    HandoffStatus::Queued | HandoffStatus::Offline => queued_now = true,
                    HandoffStatus::Assigned => assigned = true,
                    HandoffStatus::ReturnedToBot => {}
                },
                EntryBody::Closed { by, .. } => {
                    ended_by_customer |= *by == Sender::Customer;
                }
            }
        }
        let from_bot = matches!(
            before.state,
            ConversationState::Bot | ConversationState::Closed
        );
        tally.bot_turn = from_bot && tally.messages.contains(&Sender::Customer);
        if queued_now && from_bot && next.state == ConversationState::Queued {
            if let Some(item) = queued {
                tally.handoff = Some((item.reason, item.priority));
            }
            next.handed_off = true;
        }
        if before.state == ConversationState::WithAgent
            && next.state != ConversationState::WithAgent
        {
            if let Some(since) = before.assigned_at {
                tally.handling_s = Some(seconds_between(since, now));
            }
            next.assigned_at = None;
        }
        if assigned {
            if let Some(item) = queued {
                tally.wait_s = Some(seconds_between(
                    item.waiting_since,
                    item.claimed_at.unwrap_or(now),
                ));
            }
            next.assigned_at = Some(now);
        }
        if ended_by_customer && !next.handed_off && !next.contained {
            next.contained = true;
            tally.contained = true;
        }
        if next.rating != before.rating {
            if let Some(rating) = &next.rating {
                tally.rating = Some((rating.score, before.rating.clone()));
            }
        }
        if next.feedback.last() != before.feedback.last() {
            if let Some(new) = next.feedback.last() {
                tally.feedback = Some((new.helpful, new.seq));
                tally.feedback_replaced = before
                    .feedback
                    .iter()
                    .find(|old| old.seq == new.seq)
                    .cloned();
            }
        }
        tally
    }

    /// The daily counters this tally adds (`article` is the article the
    /// feedback is about, if any), and for a replaced rating the key and
    /// counters that take it off its day.
    pub(super) fn daily(
        &self,
        now: Timestamp,
        article: Option<&str>,
    ) -> Vec<(DailyKey, DailyCounts)> {
        let key = DailyKey::at(now.as_jiff(), &self.locale, self.channel);
        let mut counts = DailyCounts::default();
        if self.started {
            counts.add(daily::CONVERSATIONS, 1);
        }
        if self.bot_turn {
            counts.add(daily::BOT_TURNS, 1);
        }
        if self.contained {
            counts.add(daily::CONTAINED, 1);
        }
        if let Some((reason, _)) = self.handoff {
            counts.handoff(reason);
        }
        if let Some(wait) = self.wait_s {
            counts.sample(daily::WAIT_S, wait);
        }
        if let Some(handling) = self.handling_s {
            counts.sample(daily::HANDLING_S, handling);
        }
        if let Some((helpful, _)) = self.feedback {
            counts.feedback(helpful, article, 1);
        }
        let mut out = Vec::new();
        if let Some(old) = &self.feedback_replaced {
            let mut undo = DailyCounts::default();
            undo.feedback(old.helpful, article, -1);
            out.push((
                DailyKey::at(old.ts.as_jiff(), &self.locale, self.channel),
                undo,
            ));
        }
        if let Some((score, replaced)) = &self.rating {
            counts.rating(*score, 1);
            if let Some(old) = replaced {
                let mut undo = DailyCounts::default();
                undo.rating(old.score, -1);
                out.push((
                    DailyKey::at(old.ts.as_jiff(), &self.locale, self.channel),
                    undo,
                ));
            }
        }
        if !counts.is_empty() {
            out.insert(0, (key, counts));
        }
        out
    }

    /// Counts the tally on `/metrics`.
    pub(super) fn to_metrics(&self) {
        let locale = self.locale.clone();
        let channel = self.channel.as_str();
        if self.started {
            metrics::counter!(telemetry::CONVERSATIONS_STARTED, "channel" => channel, "locale" => locale.clone())
                .increment(1);
        }
        for sender in &self.messages {
            metrics::counter!(telemetry::MESSAGES, "channel" => channel, "sender" => sender.as_str())
                .increment(1);
        }
        for intent in &self.intents {
            metrics::counter!(telemetry::INTENTS_MATCHED, "locale" => locale.clone(), "intent" => intent.clone())
                .increment(1);
        }
        if let Some((reason, priority)) = self.handoff {
            metrics::counter!(
                telemetry::HANDOFFS,
                "locale" => locale.clone(),
                "reason" => reason.as_str(),
                "priority" => priority.as_str()
            )
            .increment(1);
        }
        if let Some(wait) = self.wait_s {
            metrics::histogram!(telemetry::HANDOFF_WAIT, "locale" => locale.clone()).record(wait);
        }
        if let Some(handling) = self.handling_s {
            metrics::histogram!(telemetry::HANDOFF_HANDLING, "locale" => locale.clone())
                .record(handling);
        }
        if self.contained {
            metrics::counter!(telemetry::CONVERSATIONS_CONTAINED, "channel" => channel, "locale" => locale.clone())
                .increment(1);
        }
        if let Some((score, _)) = self.rating {
            metrics::histogram!(telemetry::CSAT_RATING, "locale" => locale.clone())
                .record(f64::from(score));
        }
        if let Some((helpful, _)) = self.feedback {
            let outcome = if helpful { "helpful" } else { "not_helpful" };
            metrics::counter!(telemetry::ANSWER_FEEDBACK, "locale" => locale, "outcome" => outcome)
                .increment(1);
        }
    }

    /// The seq of the bot answer a new "did this help?" is about.
    pub(super) fn feedback_seq(&self) -> Option<u64> {
        self.feedback.map(|(_, seq)| seq)
    }
}

impl Conversations {
    /// A conversation the retention sweep is about to erase, idle past
    /// `retention_days`: if the bot had it alone (never handed to a person)
    /// and it was not counted yet, it is contained, counted on the day of
    /// the sweep.
    pub(super) fn count_idle_contained(&self, record: &ConversationRecord) {
        if record.handed_off || record.contained {
            return;
        }
        let tally = Tally {
            locale: record.locale.clone(),
            channel: record.channel_kind(),
            contained: true,
            ..Tally::default()
        };
        self.count(&record.id, &tally, Timestamp::now());
    }

    /// Counts a stored customer turn nothing answered in the daily figures
    /// (`/metrics` counts it where the turn runs, with its outcome).
    pub(super) fn count_unanswered(&self, record: &ConversationRecord) {
        let key = DailyKey::at(
            jiff::Timestamp::now(),
            &record.locale,
            record.channel_kind(),
        );
        let mut counts = DailyCounts::default();
        counts.add(daily::UNANSWERED, 1);
        self.add_daily_soon(key, &counts);
    }

    /// Adds `counts` to the daily figures in memory; written to the store
    /// within a second ([`Self::flush_daily`]).
    fn add_daily_soon(&self, key: DailyKey, counts: &DailyCounts) {
        if counts.is_empty() {
            return;
        }
        let mut pending = self.daily_pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.entry(key).or_default().merge(counts);
    }

    /// Writes the daily figures counted since the last call to the store
    /// (one merge per day, locale and channel), durable with its next
    /// flush. Called every second, before every report and at shutdown, so
    /// a crash loses at most about a second of counts (never a turn). What
    /// the store refuses stays in memory for the next call.
    pub fn flush_daily(&self) {
        let pending =
            std::mem::take(&mut *self.daily_pending.lock().unwrap_or_else(|e| e.into_inner()));
        for (key, counts) in pending {
            if let Err(error) = self.store.add_daily(&key, &counts) {
                tracing::warn!(day = %key.day, locale = %key.locale, %error, "daily figures not written yet: kept for the next try");
                self.add_daily_soon(key, &counts);
            }
        }
    }

    /// Counts a stored commit: on `/metrics`, and in the daily aggregate
    /// (which a store failure leaves short, logged; the commit stands).
    pub(super) fn count(&self, conversation: &ConversationId, tally: &Tally, now: Timestamp) {
        tally.to_metrics();
        let article = tally.feedback_seq().and_then(|seq| {
            let entries = self
                .store
                .transcript_page(conversation, seq.saturating_sub(1), 1)
                .map_err(|error| {
                    tracing::warn!(conversation_id = %conversation, %error, "cannot read the answer feedback is about");
                })
                .ok()?;
            match &entries.first()?.body {
                EntryBody::Message { articles, .. } => articles.first().map(|a| a.id.clone()),
                _ => None,
            }
        });
        for (key, counts) in tally.daily(now, article.as_deref()) {
            self.add_daily_soon(key, &counts);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Feedback, Timestamp};

    fn record() -> ConversationRecord {
        ConversationRecord::new(ConversationId::random(), "tr", None, Timestamp::now())
    }

    fn closed_by_customer() -> Vec<EntryBody> {
        vec![EntryBody::Closed {
            by: Sender::Customer,
            survey: true,
        }]
    }

    #[test]
    fn a_conversation_the_customer_ends_with_the_bot_alone_is_contained_once() {
        let before = record();
        let mut next = before.clone();
        next.state = ConversationState::Closed;
        let now = Timestamp::now();
        let tally = Tally::of(&before, &mut next, &closed_by_customer(), false, None, now);
        assert!(tally.contained && next.contained);
        let days = tally.daily(now, None);
        assert_eq!(days.len(), 1);
        assert_eq!(days[0].1.get(daily::CONTAINED), 1);
        // Reopened and ended again: not counted a second time.
        let again = next.clone();
        let mut after = again.clone();
        let tally = Tally::of(&again, &mut after, &closed_by_customer(), false, None, now);
        assert!(!tally.contained);
    }

    #[test]
    fn a_handed_off_conversation_is_never_contained() {
        let before = record();
        let mut next = before.clone();
        next.state = ConversationState::Queued;
        let item = QueueEntry {
            conversation: next.id,
            locale: "tr".into(),
            reason: HandoffReason::Complaint,
            priority: Priority::High,
            waiting_since: Timestamp::now(),
            summary: String::new(),
            customer: None,
            agent: None,
            claimed_at: None,
            channel: ChannelKind::Web,
        };
        let now = Timestamp::now();
        let bodies = vec![EntryBody::handoff(HandoffStatus::Queued)];
        let tally = Tally::of(&before, &mut next, &bodies, false, Some(&item), now);
        assert_eq!(
            tally.handoff,
            Some((HandoffReason::Complaint, Priority::High))
        );
        assert!(next.handed_off);
        let counts = &tally.daily(now, None)[0].1;
        assert_eq!(counts.get("handoffs:complaint"), 1);
        let mut closed = next.clone();
        closed.state = ConversationState::Closed;
        let tally = Tally::of(&next, &mut closed, &closed_by_customer(), false, None, now);
        assert!(!tally.contained);
    }

    #[test]
    fn a_replaced_rating_is_taken_off_its_score() {
        let mut before = record();
        before.state = ConversationState::Closed;
        let old = Rating {
            score: 2,
            comment: None,
            ts: Timestamp::now(),
        };
        before.rating = Some(old);
        let mut next = before.clone();
        next.rating = Some(Rating {
            score: 5,
            comment: None,
            ts: Timestamp::now(),
        });
        let now = Timestamp::now();
        let tally = Tally::of(&before, &mut next, &[], false, None, now);
        let days = tally.daily(now, None);
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].1.get("rating:5"), 1);
        assert_eq!(days[1].1.get("rating:2"), -1);
    }

    #[test]
    fn feedback_counts_for_its_article() {
        let before = record();
        let mut next = before.clone();
        next.note_feedback(Feedback {
            seq: 3,
            helpful: false,
            ts: Timestamp::now(),
        });
        let now = Timestamp::now();
        let tally = Tally::of(&before, &mut next, &[], false, None, now);
        assert_eq!(tally.feedback_seq(), Some(3));
        let counts = &tally.daily(now, Some("returns"))[0].1;
        assert_eq!(counts.get(daily::HELPFUL_NO), 1);
        assert_eq!(counts.get("article:returns:no"), 1);
    }

    /// "Helpful" then "not helpful" about one answer is one answer, the
    /// second: the first is taken off its day.
    #[test]
    fn a_changed_feedback_replaces_the_earlier_one() {
        let mut before = record();
        before.note_feedback(Feedback {
            seq: 3,
            helpful: true,
            ts: Timestamp::now(),
        });
        let mut next = before.clone();
        next.note_feedback(Feedback {
            seq: 3,
            helpful: false,
            ts: Timestamp::now(),
        });
        assert_eq!(next.feedback.len(), 1, "one answer per message");
        let now = Timestamp::now();
        let days = Tally::of(&before, &mut next, &[], false, None, now).daily(now, Some("returns"));
        // What this commit adds to the days: the earlier "yes" was counted
        // when it came.
        let sum = |key: &str| days.iter().map(|(_, counts)| counts.get(key)).sum::<i64>();
        assert_eq!(sum(daily::HELPFUL_NO), 1);
        assert_eq!(sum(daily::HELPFUL_YES), -1);
        assert_eq!(sum("article:returns:yes"), -1);
        assert_eq!(sum("article:returns:no"), 1);
    }
}
