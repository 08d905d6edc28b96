//! Every metric `/metrics` shows, in one table: name, type, labels, help and
//! (for histograms) buckets. [`prometheus`] builds the exporter with these
//! buckets, [`describe`] gives every family its HELP at start-up and touches
//! the series whose label values are known then (so that a fresh server
//! lists them at 0), and [`complete`] adds the HELP and TYPE lines of any
//! family that still has no series (the exporter prints only families with
//! at least one series).
//!
//! Labels stay bounded: locale, channel, reason, priority, intent, sender,
//! outcome, and a few fixed sets (error code, action name, configured channel
//! name). Never a conversation or customer id.

use metrics::Unit;
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder};

use crate::domain::daily::PEOPLE_BUCKETS_S;
use crate::domain::{ChannelKind, HandoffReason, Priority, Sender};

/// `switchboard_conversations_started_total{channel, locale}`.
pub const CONVERSATIONS_STARTED: &str = "switchboard_conversations_started_total";
/// `switchboard_conversations_contained_total{channel, locale}`.
pub const CONVERSATIONS_CONTAINED: &str = "switchboard_conversations_contained_total";
/// `switchboard_messages_total{channel, sender}`.
pub const MESSAGES: &str = "switchboard_messages_total";
/// `switchboard_intents_matched_total{locale, intent}`.
pub const INTENTS_MATCHED: &str = "switchboard_intents_matched_total";
/// `switchboard_turns_unanswered_total{locale, outcome}`.
pub const TURNS_UNANSWERED: &str = "switchboard_turns_unanswered_total";
/// `switchboard_handoffs_total{locale, reason, priority}`.
pub const HANDOFFS: &str = "switchboard_handoffs_total";
/// `switchboard_handoff_queue_length{locale}`.
pub const QUEUE_LENGTH: &str = "switchboard_handoff_queue_length";
/// `switchboard_handoff_wait_seconds{locale}`.
pub const HANDOFF_WAIT: &str = "switchboard_handoff_wait_seconds";
/// `switchboard_handoff_handling_seconds{locale}`.
pub const HANDOFF_HANDLING: &str = "switchboard_handoff_handling_seconds";
/// `switchboard_csat_rating{locale}`.
pub const CSAT_RATING: &str = "switchboard_csat_rating";
/// `switchboard_answer_feedback_total{locale, outcome}`.
pub const ANSWER_FEEDBACK: &str = "switchboard_answer_feedback_total";
/// `switchboard_ack_seconds{channel}`.
pub const ACK_SECONDS: &str = "switchboard_ack_seconds";
/// `switchboard_nlu_parse_seconds`.
pub const NLU_PARSE: &str = "switchboard_nlu_parse_seconds";

/// What kind of series a family holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only goes up.
    Counter,
    /// Goes up and down.
    Gauge,
    /// Observations in buckets.
    Histogram,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// One metric family.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Its labels' names.
    pub labels: &'static [&'static str],
    /// What it means (the HELP line).
    pub help: &'static str,
    /// Histogram buckets (upper bounds); empty for the others.
    pub buckets: &'static [f64],
}

const SECONDS_FAST: &[f64] = &[
    0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.01, 0.05,
];
const SECONDS_ACK: &[f64] = &[
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
const SECONDS_ACTION: &[f64] = &[0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// [`PEOPLE_BUCKETS_S`] as floats (the daily aggregate uses the same bounds).
const SECONDS_PEOPLE: &[f64] = &[
    5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14_400.0, 28_800.0,
    86_400.0,
];
const SCORES: &[f64] = &[1.0, 2.0, 3.0, 4.0, 5.0];
const ENTRIES: &[f64] = &[
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0,
];

/// Every family `/metrics` shows.
pub const FAMILIES: &[Family] = &[
    Family { name: CONVERSATIONS_STARTED, kind: Kind::Counter, labels: &["channel", "locale"], help: "Conversations started (first stored), by channel and locale.", buckets: &[] },
    Family { name: CONVERSATIONS_CONTAINED, kind: Kind::Counter, labels: &["channel", "locale"], help: "Conversations contained: ended by the customer (or erased idle by the retention sweep) without ever having been handed to a person; counted once per conversation.", buckets: &[] },
    Family { name: MESSAGES, kind: Kind::Counter, labels: &["channel", "sender"], help: "Transcript messages stored, by channel and sender (customer = in; bot, agent, system = out).", buckets: &[] },
    Family { name: INTENTS_MATCHED, kind: Kind::Counter, labels: &["locale", "intent"], help: "Bot answers to a matched intent, by locale and intent.", buckets: &[] },
    Family { name: TURNS_UNANSWERED, kind: Kind::Counter, labels: &["locale", "outcome"], help: "Customer turns neither an intent nor an article answered, by locale; outcome out_of_scope when the best guess was the out-of-scope class, else no_match.", buckets: &[] },
    Family { name: HANDOFFS, kind: Kind::Counter, labels: &["locale", "reason", "priority"], help: "Conversations handed from the bot to the queue, by locale, reason and priority.", buckets: &[] },
    Family { name: QUEUE_LENGTH, kind: Kind::Gauge, labels: &["locale"], help: "Conversations waiting for a person now (not yet claimed), by locale.", buckets: &[] },
    Family { name: HANDOFF_WAIT, kind: Kind::Histogram, labels: &["locale"], help: "Seconds from entering the queue to an assignee claiming the conversation.", buckets: SECONDS_PEOPLE },
    Family { name: HANDOFF_HANDLING, kind: Kind::Histogram, labels: &["locale"], help: "Seconds an assignee held a conversation, from the claim to closing, releasing or returning it.", buckets: SECONDS_PEOPLE },
    Family { name: CSAT_RATING, kind: Kind::Histogram, labels: &["locale"], help: "Satisfaction ratings (CSAT), 1 (worst) to 5 (best).", buckets: SCORES },
    Family { name: ANSWER_FEEDBACK, kind: Kind::Counter, labels: &["locale", "outcome"], help: "Answers to 'did this help?': outcome helpful or not_helpful.", buckets: &[] },
    Family { name: ACK_SECONDS, kind: Kind::Histogram, labels: &["channel"], help: "Seconds from taking a customer's turn to its entries being durable (when the ack can go out).", buckets: SECONDS_ACK },
    Family { name: NLU_PARSE, kind: Kind::Histogram, labels: &[], help: "Seconds one NLU parse takes (language identification, intent, entities).", buckets: SECONDS_FAST },
    Family { name: "switchboard_store_flushes_total", kind: Kind::Counter, labels: &[], help: "Journal syncs run by the group commit (failed ones included).", buckets: &[] },
    Family { name: "switchboard_store_entries_per_flush", kind: Kind::Histogram, labels: &[], help: "Transcript entries made durable by one group-commit sync (the batch size).", buckets: ENTRIES },
    Family { name: "switchboard_store_failures_total", kind: Kind::Counter, labels: &[], help: "Times the store stopped being able to write.", buckets: &[] },
    Family { name: "switchboard_connections", kind: Kind::Gauge, labels: &["kind"], help: "Open WebSocket connections, by kind (chat: customers on /v1/chat; agent).", buckets: &[] },
    Family { name: "switchboard_sockets_refused_total", kind: Kind::Counter, labels: &[], help: "WebSocket upgrades refused at the connection limits.", buckets: &[] },
    Family { name: "switchboard_chat_errors_total", kind: Kind::Counter, labels: &["code"], help: "Error frames sent to customers, by code.", buckets: &[] },
    Family { name: "switchboard_handoffs_refused_total", kind: Kind::Counter, labels: &[], help: "Handoffs refused because the queue was full.", buckets: &[] },
    Family { name: "switchboard_action_calls_total", kind: Kind::Counter, labels: &["action", "outcome"], help: "Business action calls, by action and outcome.", buckets: &[] },
    Family { name: "switchboard_action_seconds", kind: Kind::Histogram, labels: &["action"], help: "Seconds a business action call took.", buckets: SECONDS_ACTION },
    Family { name: "switchboard_channel_inbound_total", kind: Kind::Counter, labels: &["channel", "result"], help: "Inbound channel requests, by configured channel (kind/name) and result.", buckets: &[] },
    Family { name: "switchboard_channel_delivered_total", kind: Kind::Counter, labels: &["channel"], help: "Entries delivered to a messaging channel, by configured channel (kind/name).", buckets: &[] },
    Family { name: "switchboard_channel_retries_total", kind: Kind::Counter, labels: &["channel"], help: "Channel deliveries tried again after a failure, by configured channel (kind/name).", buckets: &[] },
    Family { name: "switchboard_channel_dead_letters_total", kind: Kind::Counter, labels: &["channel"], help: "Entries a channel gave up delivering (dead letters), by configured channel (kind/name).", buckets: &[] },
    Family { name: "switchboard_channel_delivering_conversations", kind: Kind::Gauge, labels: &["channel"], help: "Channel conversations with entries being delivered now, by configured channel (kind/name).", buckets: &[] },
];

/// The label values known at start-up, for the series touched then.
#[derive(Debug, Clone, Default)]
pub struct KnownLabels {
    /// Supported locales.
    pub locales: Vec<String>,
    /// Intent names of the catalogue.
    pub intents: Vec<String>,
    /// Configured messaging channels, as `kind/name`.
    pub channels: Vec<String>,
}

/// The exporter, with every histogram's buckets.
pub fn prometheus() -> Result<PrometheusBuilder, BuildError> {
    let mut builder = PrometheusBuilder::new();
    for family in FAMILIES.iter().filter(|f| f.kind == Kind::Histogram) {
        builder = builder
            .set_buckets_for_metric(Matcher::Full(family.name.to_owned()), family.buckets)?;
    }
    Ok(builder)
}

/// Gives every family its HELP and touches the series whose labels are
/// known now (each at 0), so that a fresh server lists them.
pub fn describe(known: &KnownLabels) {
    debug_assert_eq!(SECONDS_PEOPLE.len(), PEOPLE_BUCKETS_S.len());
    for family in FAMILIES {
        let unit = family.name.ends_with("_seconds").then_some(Unit::Seconds);
        match (family.kind, unit) {
            (Kind::Counter, _) => metrics::describe_counter!(family.name, family.help),
            (Kind::Gauge, _) => metrics::describe_gauge!(family.name, family.help),
            (Kind::Histogram, Some(unit)) => {
                metrics::describe_histogram!(family.name, unit, family.help)
            }
            (Kind::Histogram, None) => metrics::describe_histogram!(family.name, family.help),
        }
    }
    let channels = ChannelKind::ALL.map(ChannelKind::as_str);
    for locale in &known.locales {
        let locale = locale.clone();
        for channel in channels {
            let labels = [("channel", channel.to_owned()), ("locale", locale.clone())];
            metrics::counter!(CONVERSATIONS_STARTED, &labels).absolute(0);
            metrics::counter!(CONVERSATIONS_CONTAINED, &labels).absolute(0);
        }
        for intent in &known.intents {
            let labels = [("locale", locale.clone()), ("intent", intent.clone())];
            metrics::counter!(INTENTS_MATCHED, &labels).absolute(0);
        }
        for outcome in ["no_match", "out_of_scope"] {
            let labels = [("locale", locale.clone()), ("outcome", outcome.to_owned())];
            metrics::counter!(TURNS_UNANSWERED, &labels).absolute(0);
        }
        for outcome in ["helpful", "not_helpful"] {
            let labels = [("locale", locale.clone()), ("outcome", outcome.to_owned())];
            metrics::counter!(ANSWER_FEEDBACK, &labels).absolute(0);
        }
        for reason in HandoffReason::ALL {
            for priority in Priority::ALL {
                let labels = [
                    ("locale", locale.clone()),
                    ("reason", reason.as_str().to_owned()),
                    ("priority", priority.as_str().to_owned()),
                ];
                metrics::counter!(HANDOFFS, &labels).absolute(0);
            }
        }
        metrics::gauge!(QUEUE_LENGTH, "locale" => locale.clone()).set(0.0);
        let _ = metrics::histogram!(HANDOFF_WAIT, "locale" => locale.clone());
        let _ = metrics::histogram!(HANDOFF_HANDLING, "locale" => locale.clone());
        let _ = metrics::histogram!(CSAT_RATING, "locale" => locale.clone());
    }
    for channel in channels {
        for sender in Sender::ALL {
            metrics::counter!(MESSAGES, "channel" => channel, "sender" => sender.as_str())
                .absolute(0);
        }
        let _ = metrics::histogram!(ACK_SECONDS, "channel" => channel);
    }
    let _ = metrics::histogram!(NLU_PARSE);
    metrics::counter!("switchboard_store_flushes_total").absolute(0);
    let _ = metrics::histogram!("switchboard_store_entries_per_flush");
    metrics::counter!("switchboard_store_failures_total").absolute(0);
    for kind in ["chat", "agent"] {
        metrics::gauge!("switchboard_connections", "kind" => kind).increment(0.0);
    }
    metrics::counter!("switchboard_sockets_refused_total").absolute(0);
    metrics::counter!("switchboard_handoffs_refused_total").absolute(0);
    for channel in &known.channels {
        for name in [
            "switchboard_channel_delivered_total",
            "switchboard_channel_retries_total",
            "switchboard_channel_dead_letters_total",
        ] {
            metrics::counter!(name, "channel" => channel.clone()).absolute(0);
        }
        metrics::gauge!("switchboard_channel_delivering_conversations", "channel" => channel.clone())
            .increment(0.0);
    }
}

/// `rendered` with HELP and TYPE lines for every family that has no series
/// yet (a family with no samples is valid in the text format, and tells a
/// scraper the metric exists).
pub fn complete(mut rendered: String) -> String {
    for family in FAMILIES {
        if rendered.contains(&format!("# TYPE {} ", family.name)) {
            continue;
        }
        if !rendered.is_empty() && !rendered.ends_with('\n') {
            rendered.push('\n');
        }
        rendered.push_str(&format!(
            "# HELP {} {}\n# TYPE {} {}\n\n",
            family.name,
            family.help,
            family.name,
            family.kind.as_str()
        ));
    }
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_prometheus_conventions() {
        for family in FAMILIES {
            assert!(family.name.starts_with("switchboard_"), "{}", family.name);
            assert_eq!(
                family.kind == Kind::Counter,
                family.name.ends_with("_total"),
                "{}: counters and only counters end in _total",
                family.name
            );
            assert_eq!(
                family.kind == Kind::Histogram,
                !family.buckets.is_empty(),
                "{}",
                family.name
            );
            for label in family.labels {
                assert!(
                    !label.contains("id") && !label.contains("conversation"),
                    "{}: unbounded label {label}",
                    family.name
                );
            }
        }
    }

    #[test]
    fn a_family_without_series_still_gets_help_and_type() {
        let page = complete(String::new());
        for family in FAMILIES {
            assert!(
                page.contains(&format!("# TYPE {} ", family.name)),
                "{}",
                family.name
            );
        }
        let rendered =
            "# TYPE switchboard_store_flushes_total counter\nswitchboard_store_flushes_total 1\n";
        let page = complete(rendered.to_owned());
        assert_eq!(
            page.matches("# TYPE switchboard_store_flushes_total ")
                .count(),
            1
        );
    }
}
