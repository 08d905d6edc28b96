//! The delivery worker one channel runs: the transcript is the outbox.
//!
//! Each channel conversation keeps a durable delivery cursor (the seq up to
//! which its entries are delivered). When entries are stored, or at start-up
//! for every conversation past its cursor, one task per conversation sends
//! what lies past the cursor, in seq order, moving the cursor after each.
//!
//! - **At least once.** The cursor moves only after the provider accepted an
//!   entry. A crash between the two sends the entry again after the restart;
//!   so does a timeout, after which the message may or may not have arrived
//!   (a rare duplicate beats a lost answer).
//! - **Retries.** Connection errors, timeouts, 429 and 5xx are retried with
//!   jittered exponential backoff (`backon`: from `retry_initial_ms`, doubling,
//!   at most `retry_max_ms`); a `retry_after` or `Retry-After` the provider
//!   gives is waited out instead. Other 4xx answers are not retried.
//! - **Dead letters.** An entry still failing `give_up_after_s` after it was
//!   stored, or refused for good, is given up. The last wait before the
//!   deadline ends at it and one last try is made there; only if that one
//!   fails too (or a first try made after the deadline fails) is the entry a
//!   dead letter: counted in `switchboard_channel_dead_letters_total`, noted
//!   on the conversation for agents, and the cursor moves past it.
//! - **Pace.** One limiter for the whole channel (`max_per_second`) and, for
//!   Telegram, one per chat (about one message a second).

use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Delivery;
use crate::conversation::Conversations;
use crate::domain::{ChannelKind, ChannelUser, ConversationId, Timestamp, TranscriptEntry};

/// Entries read from the transcript at a time.
const PAGE: usize = 64;
/// How long to wait before trying again when the store cannot be read.
const STORE_RETRY: Duration = Duration::from_secs(1);
/// How long a node's lease on delivering one conversation lasts unless
/// renewed (before each page and each entry); another node takes over
/// sooner if the holder's presence goes stale (it died).
const LEASE_TTL: Duration = Duration::from_secs(30);
/// How soon a node that found another delivering a conversation looks again
/// (for entries stored after that node's last read).
const LEASE_RETRY: Duration = Duration::from_millis(500);

/// What the worker is asked to do.
#[derive(Debug)]
pub(super) enum Wake {
    /// Deliver what is past the conversation's cursor.
    Deliver {
        user: ChannelUser,
        conversation: ConversationId,
    },
    /// The agent is typing (best effort, never retried).
    Typing { user: ChannelUser, on: bool },
}

/// Why a send failed.
#[derive(Debug)]
pub(super) enum SendError {
    /// Worth trying again: a connection error, a timeout, 429 or 5xx;
    /// `after` is how long the provider asked to wait, if it did.
    Retry {
        after: Option<Duration>,
        reason: String,
    },
    /// Refused for good (another 4xx): dead-lettered at once.
    Permanent(String),
}

impl SendError {
    /// A transport failure of the HTTP client (never with the URL, which
    /// may hold a bot token).
    pub(super) fn transport(error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            "timeout (it may or may not have been delivered)"
        } else if error.is_connect() {
            "cannot connect"
        } else {
            "request failed"
        };
        SendError::Retry {
            after: None,
            reason: format!("{kind}: {}", error.without_url()),
        }
    }

    /// The error for a non-2xx `status` (429 and 5xx retried, with the
    /// provider's `after`), the provider's own words in `reason`.
    pub(super) fn status(
        status: reqwest::StatusCode,
        after: Option<Duration>,
        reason: String,
    ) -> Self {
        let reason = format!("{status}: {reason}");
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS
            || status == reqwest::StatusCode::REQUEST_TIMEOUT
            || status.is_server_error()
        {
            SendError::Retry { after, reason }
        } else {
            SendError::Permanent(reason)
        }
    }
}

/// A provider's side of delivery.
pub(super) trait Provider: Send + Sync + 'static {
    /// One entry as the provider sends it.
    type Outgoing: Send + Sync;

    /// `<kind>/<name>`, for logs and metrics.
    fn channel(&self) -> &str;

    /// What to send for `entry` (`next` is the entry after it, if read):
    /// `None` for entries the channel does not show (the customer's own
    /// messages; handoff entries, whose text message follows them).
    fn render(
        &self,
        conversations: &Conversations,
        conversation: ConversationId,
        entry: &TranscriptEntry,
        next: Option<&TranscriptEntry>,
    ) -> Option<Self::Outgoing>;

    /// Sends it to `user`.
    fn send(
        &self,
        user: &ChannelUser,
        outgoing: &Self::Outgoing,
    ) -> impl Future<Output = Result<(), SendError>> + Send;

    /// Shows (or stops showing) that an agent is typing, where the provider
    /// can; failures are only logged.
    fn typing(&self, user: &ChannelUser, on: bool) -> impl Future<Output = ()> + Send;
}

/// One channel's delivery worker.
pub(super) struct Outbox<P: Provider> {
    provider: Arc<P>,
    conversations: Arc<Conversations>,
    delivery: Delivery,
    /// Conversations being delivered now, each with a flag set when more
    /// entries were stored meanwhile.
    running: Mutex<HashMap<ConversationId, (ChannelUser, Arc<AtomicBool>)>>,
    pace: DefaultDirectRateLimiter,
    per_user: Option<DefaultKeyedRateLimiter<String>>,
    shutdown: CancellationToken,
    /// Delivery tasks, so that shutdown waits for sends under way.
    tracker: TaskTracker,
}

/// How a delivery of one entry ended.
enum Outcome {
    Delivered,
    DeadLetter(String),
    Stopped,
}

impl<P: Provider> Outbox<P> {
    /// Starts the worker of `provider`; wake it through the returned sender.
    pub(super) fn spawn(
        provider: Arc<P>,
        conversations: Arc<Conversations>,
        delivery: Delivery,
        shutdown: CancellationToken,
        tracker: TaskTracker,
    ) -> mpsc::UnboundedSender<Wake> {
        let per_second = NonZeroU32::new(delivery.max_per_second).unwrap_or(NonZeroU32::MIN);
        let outbox = Arc::new(Outbox {
            provider,
            conversations,
            delivery,
            running: Mutex::new(HashMap::new()),
            pace: RateLimiter::direct(Quota::per_second(per_second)),
            per_user: delivery
                .per_user_per_second
                .and_then(NonZeroU32::new)
                .map(|n| RateLimiter::keyed(Quota::per_second(n))),
            shutdown,
            tracker,
        });
        let (wake, mut wakes) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let next = tokio::select! {
                    next = wakes.recv() => next,
                    () = outbox.shutdown.cancelled() => None,
                };
                match next {
                    Some(Wake::Deliver { user, conversation }) => {
                        Arc::clone(&outbox).deliver(user, conversation)
                    }
                    Some(Wake::Typing { user, on }) => {
                        // "Typing…" shown before entries still on their way
                        // at the channel's pace ("Ayşe joined") would come
                        // before them: skipped until they are delivered
                        // (the agent's next keystrokes show it).
                        if on && outbox.delivering_to(&user) {
                            continue;
                        }
                        let outbox = Arc::clone(&outbox);
                        tokio::spawn(async move { outbox.provider.typing(&user, on).await });
                    }
                    None => break,
                }
            }
        });
        wake
    }

    /// Delivers the conversation's entries past its cursor, unless a task
    /// does already (it is then told to look again when done).
    fn deliver(self: Arc<Self>, user: ChannelUser, conversation: ConversationId) {
        let more = {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, more)) = running.get(&conversation) {
                more.store(true, Ordering::Release);
                return;
            }
            let more = Arc::new(AtomicBool::new(false));
            running.insert(conversation, (user.clone(), Arc::clone(&more)));
            more
        };
        metrics::gauge!("switchboard_channel_delivering_conversations", "channel" => self.provider.channel().to_owned())
            .increment(1.0);
        let tracker = self.tracker.clone();
        tracker.spawn(async move {
            self.drain(&user, conversation, &more).await;
            metrics::gauge!("switchboard_channel_delivering_conversations", "channel" => self.provider.channel().to_owned())
                .decrement(1.0);
            if let Some(per_user) = &self.per_user {
                per_user.retain_recent();
            }
        });
    }

    async fn drain(&self, user: &ChannelUser, conversation: ConversationId, more: &AtomicBool) {
        loop {
            more.store(false, Ordering::Release);
            match self.conversations.delivery_lease(&conversation, LEASE_TTL) {
                Ok(true) => {}
                Ok(false) => {
                    // Another node delivers it; look again for what it
                    // may not have read.
                    tokio::select! {
                        () = tokio::time::sleep(LEASE_RETRY) => continue,
                        () = self.shutdown.cancelled() => return self.stop(&conversation),
                    }
                }
                Err(error) => {
                    tracing::error!(channel = self.provider.channel(), conversation_id = %conversation, %error, "cannot take the delivery lease");
                    tokio::select! {
                        () = tokio::time::sleep(STORE_RETRY) => continue,
                        () = self.shutdown.cancelled() => return self.stop(&conversation),
                    }
                }
            }
            let page = self
                .conversations
                .delivery_cursor(&conversation)
                .and_then(|cursor| {
                    self.conversations
                        .transcript_page(&conversation, cursor, PAGE)
                });
            let entries = match page {
                Ok(entries) => entries,
                Err(error) => {
                    tracing::error!(channel = self.provider.channel(), conversation_id = %conversation, %error, "cannot read what to deliver");
                    tokio::select! {
                        () = tokio::time::sleep(STORE_RETRY) => continue,
                        () = self.shutdown.cancelled() => return self.stop(&conversation),
                    }
                }
            };
            // The last entry of a full page waits for the next read, so that
            // every entry is rendered knowing the one after it.
            let entries = if entries.len() == PAGE {
                &entries[..PAGE - 1]
            } else {
                &entries[..]
            };
            if entries.is_empty() {
                if more.load(Ordering::Acquire) {
                    continue;
                }
                if let Err(error) = self.conversations.end_delivery_lease(&conversation) {
                    // It runs out by itself.
                    tracing::warn!(channel = self.provider.channel(), conversation_id = %conversation, %error, "cannot give the delivery lease up");
                }
                let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
                if more.load(Ordering::Acquire) {
                    continue;
                }
                running.remove(&conversation);
                return;
            }
            for (i, entry) in entries.iter().enumerate() {
                if self.shutdown.is_cancelled() {
                    return self.stop(&conversation);
                }
                if i > 0
                    && !matches!(
                        self.conversations.delivery_lease(&conversation, LEASE_TTL),
                        Ok(true)
                    )
                {
                    // Lost (it ran out, or the store failed): the loop's
                    // top takes it again or waits.
                    break;
                }
                let rendered = self.provider.render(
                    &self.conversations,
                    conversation,
                    entry,
                    entries.get(i + 1),
                );
                if let Some(outgoing) = rendered {
                    let outcome = match self.window_closed(user, conversation) {
                        Some(reason) => Outcome::DeadLetter(reason),
                        None => self.send(user, conversation, entry, &outgoing).await,
                    };
                    match outcome {
                        Outcome::Delivered => {
                            metrics::counter!("switchboard_channel_delivered_total", "channel" => self.provider.channel().to_owned())
                                .increment(1);
                        }
                        Outcome::DeadLetter(reason) => {
                            self.dead_letter(conversation, entry.seq, reason).await
                        }
                        Outcome::Stopped => return self.stop(&conversation),
                    }
                }
                // Sent: the cursor must move before anything else is sent, or
                // the next read would send this entry again (and again, while
                // the store cannot write).
                while let Err(error) = self
                    .conversations
                    .set_delivery_cursor(&conversation, entry.seq)
                {
                    tracing::error!(channel = self.provider.channel(), conversation_id = %conversation, seq = entry.seq, %error, "cannot move the delivery cursor: waiting for the store");
                    tokio::select! {
                        () = tokio::time::sleep(STORE_RETRY) => {}
                        () = self.shutdown.cancelled() => return self.stop(&conversation),
                    }
                }
            }
        }
    }

    /// Whether entries for `user` are being delivered now.
    fn delivering_to(&self, user: &ChannelUser) -> bool {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .any(|(to, _)| to == user)
    }

    fn stop(&self, conversation: &ConversationId) {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(conversation);
    }

    /// Why nothing may be sent to `user` now: a channel with a reply window
    /// (WhatsApp: 24 hours from the customer's last message) whose window
    /// is closed. A notice stored meanwhile (a handoff, a close, the
    /// survey) is then a dead letter at once instead of a send the provider
    /// refuses. `None` when it may be sent (or the store cannot say).
    fn window_closed(&self, user: &ChannelUser, conversation: ConversationId) -> Option<String> {
        user.kind.reply_window()?;
        match self.conversations.last_customer_at(&conversation) {
            Ok(last) => outside_window(user.kind, last, jiff::Timestamp::now()),
            Err(error) => {
                tracing::warn!(channel = self.provider.channel(), conversation_id = %conversation, %error, "cannot read the reply window: sending");
                None
            }
        }
    }

    /// Sends one entry until it is delivered, refused for good, too old to
    /// keep trying, or the server stops.
    async fn send(
        &self,
        user: &ChannelUser,
        conversation: ConversationId,
        entry: &TranscriptEntry,
        outgoing: &P::Outgoing,
    ) -> Outcome {
        let mut backoff = ExponentialBuilder::default()
            .with_min_delay(self.delivery.retry_initial)
            .with_max_delay(self.delivery.retry_max)
            .with_jitter()
            .without_max_times()
            .build();
        let give_up_at = entry.ts.as_jiff() + self.delivery.give_up_after;
        // Set once the wait ends at the deadline: that try is the last.
        let mut last_try = false;
        loop {
            tokio::select! {
                () = self.paced(user) => {}
                () = self.shutdown.cancelled() => return Outcome::Stopped,
            }
            // A send under way is finished even when the server stops (it is
            // bounded by the client's timeout, and shutdown waits for it a
            // while): cut off, it would be sent again after the restart.
            let result = self.provider.send(user, outgoing).await;
            let (after, reason) = match result {
                Ok(()) => return Outcome::Delivered,
                Err(SendError::Permanent(reason)) => return Outcome::DeadLetter(reason),
                Err(SendError::Retry { after, reason }) => (after, reason),
            };
            // The jitter may add up to the delay again: `retry_max_ms` is a cap.
            let wanted = after.unwrap_or_else(|| {
                backoff
                    .next()
                    .unwrap_or(self.delivery.retry_max)
                    .min(self.delivery.retry_max)
            });
            if last_try {
                return Outcome::DeadLetter(reason);
            }
            let wait = match next_try(jiff::Timestamp::now(), give_up_at, wanted) {
                NextTry::GiveUp => return Outcome::DeadLetter(reason),
                NextTry::Before(wait) => wait,
                NextTry::AtDeadline(wait) => {
                    last_try = true;
                    wait
                }
            };
            tracing::warn!(channel = self.provider.channel(), conversation_id = %conversation, seq = entry.seq, %reason, wait_ms = wait.as_millis() as u64, "delivery failed: retrying");
            metrics::counter!("switchboard_channel_retries_total", "channel" => self.provider.channel().to_owned())
                .increment(1);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.shutdown.cancelled() => return Outcome::Stopped,
            }
        }
    }

    async fn paced(&self, user: &ChannelUser) {
        if let Some(per_user) = &self.per_user {
            per_user.until_key_ready(&user.user).await;
        }
        self.pace.until_ready().await;
    }

    async fn dead_letter(&self, conversation: ConversationId, seq: u64, reason: String) {
        tracing::error!(channel = self.provider.channel(), conversation_id = %conversation, seq, %reason, "delivery given up: dead letter");
        metrics::counter!("switchboard_channel_dead_letters_total", "channel" => self.provider.channel().to_owned())
            .increment(1);
        if let Err(error) = self
            .conversations
            .note_dead_letter(&conversation, seq, reason)
            .await
        {
            tracing::error!(conversation_id = %conversation, seq, %error, "cannot note the dead letter on the conversation");
        }
    }
}

/// When to try again after a failed try.
#[derive(Debug, PartialEq, Eq)]
enum NextTry {
    /// After this wait, still before the deadline.
    Before(Duration),
    /// After this wait, which ends at the deadline: the last try.
    AtDeadline(Duration),
    /// Never: the deadline has passed (a first try made after it failed).
    GiveUp,
}

/// When to try again after a try failed at `now`, for an entry given up at
/// `give_up_at`, when the backoff (or the provider's `Retry-After`) asks
/// for `wanted`: after `wanted`, but never past the deadline, so that the
/// last try is made at the deadline itself rather than the entry being
/// given up early because the next wait would cross it.
///
/// A `Retry-After` reaching past the deadline is cut short too: one more
/// try, which the provider may refuse, is better than giving up before
/// `give_up_after_s` has passed.
fn next_try(now: jiff::Timestamp, give_up_at: jiff::Timestamp, wanted: Duration) -> NextTry {
    match Duration::try_from(give_up_at.duration_since(now)) {
        Ok(left) if left.is_zero() => NextTry::GiveUp,
        Ok(left) if wanted >= left => NextTry::AtDeadline(left),
        Ok(_) => NextTry::Before(wanted),
        Err(_) => NextTry::GiveUp,
    }
}

/// Why a message to a customer of channel `kind` who last wrote at `last`
/// may not be sent at `now`: the channel's reply window (WhatsApp: 24 hours)
/// has closed. `None` when it is open, or the channel has none.
fn outside_window(
    kind: ChannelKind,
    last: Option<Timestamp>,
    now: jiff::Timestamp,
) -> Option<String> {
    let (window, last) = (kind.reply_window()?, last?);
    (now > last.as_jiff() + window).then(|| {
        format!(
            "not sent: the customer last wrote at {last}, and {kind} allows replies for {} hours after that",
            window.as_hours()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_wait_ends_at_the_deadline_and_only_a_failed_try_there_gives_up() {
        let stored: jiff::Timestamp = "2026-12-01T10:00:00Z".parse().expect("time");
        let give_up_at = stored + jiff::SignedDuration::from_secs(40);
        let at = |ms: i64| stored + jiff::SignedDuration::from_millis(ms);
        let two_s = Duration::from_secs(2);
        // Far from the deadline: the backoff's wait.
        assert_eq!(next_try(at(0), give_up_at, two_s), NextTry::Before(two_s));
        // The wait that would land past the deadline ends at it (the QA
        // case: retry_max 2 s, a failure at 39 s was a dead letter).
        assert_eq!(
            next_try(at(39_000), give_up_at, two_s),
            NextTry::AtDeadline(Duration::from_secs(1))
        );
        assert_eq!(
            next_try(at(38_000), give_up_at, two_s),
            NextTry::AtDeadline(two_s)
        );
        assert_eq!(
            next_try(at(39_999), give_up_at, two_s),
            NextTry::AtDeadline(Duration::from_millis(1))
        );
        // A Retry-After past the deadline too.
        assert_eq!(
            next_try(at(10_000), give_up_at, Duration::from_secs(3600)),
            NextTry::AtDeadline(Duration::from_secs(30))
        );
        // A first try at or after the deadline (after a long outage) failed.
        assert_eq!(next_try(at(40_000), give_up_at, two_s), NextTry::GiveUp);
        assert_eq!(next_try(at(41_000), give_up_at, two_s), NextTry::GiveUp);
        // The whole schedule: tries at 0, 2, 4, ..., 38 and the last at 40.
        let mut now = at(0);
        let mut tries = vec![now];
        loop {
            match next_try(now, give_up_at, two_s) {
                NextTry::Before(wait) => now += wait,
                NextTry::AtDeadline(wait) => {
                    tries.push(now + wait);
                    break;
                }
                NextTry::GiveUp => panic!("gave up at {now} before the deadline"),
            }
            tries.push(now);
        }
        assert_eq!(tries.len(), 21, "{tries:?}");
        assert_eq!(tries.last(), Some(&give_up_at));
        assert!(tries.windows(2).all(|w| w[1] > w[0]), "{tries:?}");
    }

    #[test]
    fn only_connection_errors_429_408_and_5xx_are_retried() {
        use reqwest::StatusCode;
        for status in [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::SERVICE_UNAVAILABLE,
        ] {
            assert!(
                matches!(
                    SendError::status(status, None, String::new()),
                    SendError::Retry { .. }
                ),
                "{status}"
            );
        }
        for status in [
            StatusCode::BAD_REQUEST,
            StatusCode::UNAUTHORIZED,
            StatusCode::FORBIDDEN,
            StatusCode::NOT_FOUND,
        ] {
            assert!(
                matches!(
                    SendError::status(status, None, String::new()),
                    SendError::Permanent(_)
                ),
                "{status}: dead-lettered at once, deadline or not"
            );
        }
    }

    #[test]
    fn whatsapp_notices_after_the_24_hour_window_are_not_sent() {
        let last: jiff::Timestamp = "2026-12-01T10:00:00Z".parse().expect("time");
        let at = |hours: i64| last + jiff::SignedDuration::from_hours(hours);
        let wrote = Some(Timestamp::from(last));
        assert_eq!(outside_window(ChannelKind::Whatsapp, wrote, at(23)), None);
        let reason = outside_window(ChannelKind::Whatsapp, wrote, at(25)).expect("closed");
        assert!(reason.contains("24 hours"), "{reason}");
        // Telegram and webhooks have no window; nor has a customer who never wrote.
        assert_eq!(outside_window(ChannelKind::Telegram, wrote, at(25)), None);
        assert_eq!(outside_window(ChannelKind::Whatsapp, None, at(25)), None);
    }
}
