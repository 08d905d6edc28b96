//! Messaging channels (PROTOCOL.md, "Messaging channels"): Telegram,
//! WhatsApp Cloud and a signed generic webhook, on the same conversation
//! engine as the web widget.
//!
//! - Inbound: each provider's module checks the secret or signature over the
//!   raw body (401 and nothing changed if it is wrong), reads the payload into
//!   [`Inbound`] messages, and [`receive`] runs them as customer turns keyed
//!   by the provider's message id: a repeated id is stored once and answered
//!   once, and the request is answered 2xx only once the turn is on disk
//!   (5xx on a store failure, so that the provider retries).
//! - Outbound: the transcript is the outbox. Each channel conversation keeps
//!   a durable delivery cursor; [`outbox::Outbox`] sends what is past it, in
//!   seq order, at least once, with retries, pacing and dead letters.
//!
//! - `telegram`, `whatsapp`, `webhook`: one module per provider: payloads
//!   (serde structs written here, no bot framework), checks, rendering.
//! - `outbox`: the delivery worker they share.

mod outbox;
mod telegram;
mod webhook;
mod whatsapp;

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::AppState;
use crate::config::ChannelsConfig;
use crate::conversation::{ChannelSignal, ConversationError, Conversations};
use crate::domain::{ChannelUser, ConversationId, Customer, ErrorCode, MessageText, TextError};

/// The most bytes an inbound channel request may have (a WhatsApp POST
/// batches many messages; Telegram updates are small).
const BODY_LIMIT: usize = 1024 * 1024;
/// How long one outbound HTTP request may take before it counts as a
/// timeout (and is retried: it may or may not have been delivered).
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
/// A value of a survey button: `rating:<1..=5>`.
pub const RATING_CHOICE: &str = "rating:";

/// Why the channels could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The HTTP client could not be built.
    #[error("cannot build the channels' HTTP client: {0}")]
    Client(String),
}

/// What a customer sent on a channel, read from the provider's payload.
#[derive(Debug, Clone)]
pub(super) enum Body {
    /// A text message.
    Text(String),
    /// A pressed button: a quick reply's value, or `rating:N`.
    Choice(String),
    /// Something other than text (`photo`, `sticker`, `audio`...): stored as
    /// `[kind]` and answered with a request to type.
    Unsupported(String),
    /// The channel's start command (Telegram's `/start`): a greeting, not
    /// a question.
    Start,
}

/// One inbound message, whichever provider it came from.
#[derive(Debug, Clone)]
pub(super) struct Inbound {
    /// The customer.
    pub user: ChannelUser,
    /// The provider's message id: the idempotency key.
    pub id: String,
    /// A language hint for a new conversation's first message, if the
    /// provider has one (Telegram's `language_code`).
    pub hint: Option<String>,
    /// What the customer is known as there, for agents.
    pub customer: Option<Customer>,
    /// What they sent.
    pub body: Body,
}

/// Why an inbound message could not be taken.
#[derive(Debug)]
pub(super) enum Refused {
    /// The store (or the queue) failed: answer 5xx so that the provider retries.
    Unavailable(ConversationError),
    /// The message makes no sense (a choice never offered, a rating out of
    /// range): answered 4xx where the sender can act on it (the webhook),
    /// else dropped with a log line.
    Invalid(&'static str),
}

/// What one message came to: the conversation and the seq of its entry
/// (0 if it stored none, e.g. a repeated rating).
pub(super) struct Received {
    pub conversation: ConversationId,
    pub seq: u64,
    /// The message id was stored before: nothing new was stored or
    /// answered. (A repeated rating is not told apart: false.)
    pub duplicate: bool,
}

/// Every configured channel's delivery worker, by `<kind>/<name>`.
pub struct Channels {
    outboxes: HashMap<String, mpsc::UnboundedSender<outbox::Wake>>,
    telegram: HashMap<String, Arc<telegram::Telegram>>,
    whatsapp: HashMap<String, Arc<whatsapp::Whatsapp>>,
    webhook: HashMap<String, Arc<webhook::Webhook>>,
}

impl Channels {
    /// Sets up every channel in `config` and starts its delivery worker;
    /// `conversations` signals them from now on. Nothing is delivered until
    /// [`Channels::resume`]. Deliveries run on `tracker`: shutdown waits for
    /// sends under way (and starts no new ones after `shutdown`).
    ///
    /// # Errors
    ///
    /// [`ChannelError::Client`] if the HTTP client cannot be built.
    pub fn start(
        config: &ChannelsConfig,
        conversations: &Arc<Conversations>,
        shutdown: &CancellationToken,
        tracker: &TaskTracker,
    ) -> Result<Arc<Self>, ChannelError> {
        let mut channels = Channels {
            outboxes: HashMap::new(),
            telegram: HashMap::new(),
            whatsapp: HashMap::new(),
            webhook: HashMap::new(),
        };
        if config.is_empty() {
            return Ok(Arc::new(channels));
        }
        // reqwest runs rustls on ring, installed for the process (as for
        // business actions); an error means it is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(SEND_TIMEOUT)
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ChannelError::Client(e.without_url().to_string()))?;
        let workers = Workers {
            conversations,
            shutdown,
            tracker,
        };
        for settings in &config.telegram {
            let provider =
                telegram::Telegram::new(settings.clone(), client.clone(), config.site_url.clone());
            let provider = workers.start(provider, settings.delivery, &mut channels.outboxes);
            channels.telegram.insert(settings.name.clone(), provider);
        }
        for settings in &config.whatsapp {
            let provider =
                whatsapp::Whatsapp::new(settings.clone(), client.clone(), config.site_url.clone());
            let provider = workers.start(provider, settings.delivery, &mut channels.outboxes);
            channels.whatsapp.insert(settings.name.clone(), provider);
        }
        for settings in &config.webhook {
            let provider = webhook::Webhook::new(settings.clone(), client.clone());
            let provider = workers.start(provider, settings.delivery, &mut channels.outboxes);
            channels.webhook.insert(settings.name.clone(), provider);
        }
        let channels = Arc::new(channels);
        let (signals, receiver) = mpsc::unbounded_channel();
        conversations.set_channel_signals(signals);
        tokio::spawn(Arc::clone(&channels).dispatch(receiver));
        Ok(channels)
    }

    /// Wakes the delivery of every channel conversation with entries past
    /// its cursor: what was stored before a restart and not yet delivered.
    pub fn resume(&self, conversations: &Conversations) {
        if self.outboxes.is_empty() {
            return;
        }
        match conversations.undelivered() {
            Ok(pending) => {
                if !pending.is_empty() {
                    tracing::info!(conversations = pending.len(), "resuming channel deliveries");
                }
                for item in pending {
                    self.wake(&item.user, item.conversation);
                }
            }
            Err(error) => {
                tracing::error!(%error, "cannot read which channel conversations wait for delivery")
            }
        }
    }

    fn telegram(&self, name: &str) -> Option<Arc<telegram::Telegram>> {
        self.telegram.get(name).cloned()
    }

    fn whatsapp(&self, name: &str) -> Option<Arc<whatsapp::Whatsapp>> {
        self.whatsapp.get(name).cloned()
    }

    fn webhook(&self, name: &str) -> Option<Arc<webhook::Webhook>> {
        self.webhook.get(name).cloned()
    }

    fn wake(&self, user: &ChannelUser, conversation: ConversationId) {
        match self.outboxes.get(&user.channel()) {
            Some(outbox) => {
                let _ = outbox.send(outbox::Wake::Deliver {
                    user: user.clone(),
                    conversation,
                });
            }
            None => tracing::warn!(
                channel = %user.channel(),
                conversation_id = %conversation,
                "a conversation of a channel no longer configured: not delivered"
            ),
        }
    }

    async fn dispatch(self: Arc<Self>, mut signals: mpsc::UnboundedReceiver<ChannelSignal>) {
        while let Some(signal) = signals.recv().await {
            match signal {
                ChannelSignal::Stored { user, conversation } => self.wake(&user, conversation),
                ChannelSignal::AgentTyping { user, on } => {
                    if let Some(outbox) = self.outboxes.get(&user.channel()) {
                        let _ = outbox.send(outbox::Wake::Typing { user, on });
                    }
                }
            }
        }
    }
}

/// What every channel's delivery worker is started with.
struct Workers<'a> {
    conversations: &'a Arc<Conversations>,
    shutdown: &'a CancellationToken,
    tracker: &'a TaskTracker,
}

impl Workers<'_> {
    /// Starts `provider`'s delivery worker and registers its wake-up sender
    /// under `<kind>/<name>`.
    fn start<P: outbox::Provider>(
        &self,
        provider: P,
        delivery: crate::config::Delivery,
        outboxes: &mut HashMap<String, mpsc::UnboundedSender<outbox::Wake>>,
    ) -> Arc<P> {
        let provider = Arc::new(provider);
        let wake = outbox::Outbox::spawn(
            Arc::clone(&provider),
            Arc::clone(self.conversations),
            delivery,
            self.shutdown.clone(),
            self.tracker.clone(),
        );
        outboxes.insert(provider.channel().to_owned(), wake);
        provider
    }
}

/// The channels' inbound routes: `/v1/channels/<kind>/<name>`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/channels/telegram/{name}", post(telegram::inbound))
        .route(
            "/v1/channels/whatsapp/{name}",
            post(whatsapp::inbound).get(whatsapp::verify),
        )
        .route("/v1/channels/webhook/{name}", post(webhook::inbound))
}

/// Counts an inbound request's outcome (`stored`, `duplicate`,
/// `unauthorized`, `bad_request`, `unavailable`, `ignored`).
fn count_inbound(channel: &str, result: &'static str) {
    metrics::counter!(
        "switchboard_channel_inbound_total",
        "channel" => channel.to_owned(),
        "result" => result
    )
    .increment(1);
}

/// A plain status answer (providers read only the status).
fn status(code: StatusCode) -> Response {
    (code, "").into_response()
}

/// A refused provider request: its status, with the API's JSON error body
/// saying why (providers read only the status; the developer wiring the
/// bridge reads the reason).
fn rejected(code: StatusCode, why: &str) -> Response {
    let error = match code {
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthorized,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::TooLarge,
        _ => ErrorCode::BadRequest,
    };
    super::api::ApiError::explained(code, error, why).into_response()
}

/// A provider's update read from `body`, which must be a JSON object: serde
/// would otherwise read a JSON array's items as a struct's fields in order.
/// Errs with why it is not one, for the log.
fn parse_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("not a JSON object".to_owned());
    }
    serde_json::from_slice(body).map_err(|e| super::wire::json_shape_error(&e))
}

/// The most characters a sender's or a message's id may have (provider ids
/// are far shorter; a store key may not exceed 64 KiB).
pub(super) const KEY_MAX_CHARS: usize = 256;

/// Runs one inbound message as a customer turn. Text longer than
/// `limits.max_text_chars` is split into several messages (ids `<id>`,
/// `<id>#2`, ...) rather than refused: nothing a customer sent is dropped.
pub(super) async fn receive(state: &AppState, inbound: Inbound) -> Result<Received, Refused> {
    let conversations = &state.conversations;
    let channel = inbound.user.channel();
    let first_text = match &inbound.body {
        Body::Text(text) => Some(text.as_str()),
        _ => None,
    };
    let key_ok = |k: &str| !k.trim().is_empty() && k.chars().count() <= KEY_MAX_CHARS;
    if !key_ok(&inbound.id) || !key_ok(&inbound.user.user) {
        // Provider ids are short; a huge one is not a message (and no store
        // key may be that long).
        return Err(Refused::Invalid(
            "the sender or message id is empty or too long",
        ));
    }
    if first_text
        .is_some_and(|text| matches!(MessageText::parse(text, usize::MAX), Err(TextError::Empty)))
    {
        // Nothing to store: no conversation is opened for it.
        return Err(Refused::Invalid("the text is empty"));
    }
    let live = conversations
        .open_channel(
            &inbound.user,
            first_text,
            inbound.hint.as_deref(),
            inbound.customer.clone(),
        )
        .map_err(Refused::Unavailable)?;
    let conversation = live.id;
    let outcome = match inbound.body {
        Body::Text(text) => {
            let max = state.settings.limits.max_text_chars;
            let mut first = None;
            for (n, part) in split_text(&text, max).into_iter().enumerate() {
                let id = if n == 0 {
                    inbound.id.clone()
                } else {
                    format!("{}#{}", inbound.id, n + 1)
                };
                let text = match MessageText::parse(&part, max) {
                    Ok(text) => text,
                    Err(TextError::Empty) => return Err(Refused::Invalid("the text is empty")),
                    Err(TextError::TooLong { .. }) => {
                        return Err(Refused::Invalid("the text is too long"))
                    }
                };
                // One message, one answer: the rest of a long text is
                // stored after the first part's answer, not answered again.
                let outcome = if n == 0 {
                    conversations.message(&live, &id, &text, 0).await
                } else {
                    conversations.message_continued(&live, &id, &text, 0).await
                };
                first.get_or_insert(outcome.map_err(Refused::Unavailable)?);
            }
            first.ok_or(Refused::Invalid("the text is empty"))?
        }
        Body::Choice(value) => {
            if let Some(score) = value.strip_prefix(RATING_CHOICE) {
                let score = score
                    .parse::<u8>()
                    .ok()
                    .filter(|s| (1..=5).contains(s))
                    .ok_or(Refused::Invalid("a rating is 1 to 5"))?;
                return match conversations
                    .rating(&live, score, None, Some(&inbound.id))
                    .await
                {
                    Ok(()) => Ok(Received {
                        conversation,
                        seq: 0,
                        duplicate: false,
                    }),
                    Err(ConversationError::Invalid(why)) => Err(Refused::Invalid(why)),
                    Err(error) => Err(Refused::Unavailable(error)),
                };
            }
            match conversations.choice(&live, &inbound.id, &value, 0).await {
                Ok(outcome) => outcome,
                Err(ConversationError::Invalid(why)) => return Err(Refused::Invalid(why)),
                Err(error) => return Err(Refused::Unavailable(error)),
            }
        }
        Body::Unsupported(kind) => conversations
            .unsupported_content(&live, &inbound.id, &kind)
            .await
            .map_err(Refused::Unavailable)?,
        Body::Start => conversations
            .channel_start(&live, &inbound.id)
            .await
            .map_err(Refused::Unavailable)?,
    };
    let duplicate = outcome.entries.is_empty();
    count_inbound(&channel, if duplicate { "duplicate" } else { "stored" });
    Ok(Received {
        conversation,
        seq: outcome.seq,
        duplicate,
    })
}

/// The response for a refusal that the provider should not retry forever:
/// 5xx for a store failure (retry), 200 for a message that makes no sense
/// (a stale button: retrying cannot help), logged either way.
fn refused_response(channel: &str, id: &str, refused: &Refused) -> Response {
    match refused {
        Refused::Unavailable(error) => {
            let code = error.code();
            tracing::error!(%channel, message_id = %id, ?code, %error, "inbound channel message not stored");
            count_inbound(channel, "unavailable");
            status(StatusCode::SERVICE_UNAVAILABLE)
        }
        Refused::Invalid(why) => {
            tracing::info!(%channel, message_id = %id, why, "inbound channel message ignored");
            count_inbound(channel, "ignored");
            status(StatusCode::OK)
        }
    }
}

/// `text` in parts of at most `max` characters, split at whitespace where
/// one is near the end of a part; one part if it fits.
fn split_text(text: &str, max: usize) -> Vec<String> {
    split_text_in(text, max, |_| 1)
}

/// [`split_text`] with each character counting `units(c)` toward `max`
/// (`char::len_utf16` for Telegram, whose limit counts UTF-16 code units).
/// Parts end between user-perceived characters (Unicode grapheme clusters):
/// a flag or a family emoji is never cut in two.
fn split_text_in(text: &str, max: usize, units: fn(char) -> usize) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let text = text.trim();
    let measure = |s: &str| s.chars().map(units).sum::<usize>();
    if max == 0 || measure(text) <= max {
        return vec![text.to_owned()];
    }
    let mut parts = Vec::new();
    let mut rest = text;
    while measure(rest) > max {
        let mut used = 0;
        let mut cut = rest.len();
        for (i, grapheme) in rest.grapheme_indices(true) {
            let width = measure(grapheme);
            if used + width > max {
                cut = i;
                break;
            }
            used += width;
        }
        if cut == 0 {
            // One cluster wider than `max`: it goes alone.
            cut = rest.graphemes(true).next().map_or(rest.len(), str::len);
        }
        // Prefer the last whitespace in the final tenth of the part.
        let soft = rest[..cut]
            .rfind(char::is_whitespace)
            .filter(|&i| i > 0 && measure(&rest[..i]) >= max - max / 10);
        let at = soft.unwrap_or(cut);
        parts.push(rest[..at].trim().to_owned());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

/// The label of a button at most `max` characters long: the short form if
/// it fits, else the label cut with an ellipsis.
fn fit_label(label: &str, short: Option<&str>, max: usize) -> String {
    let label = short.filter(|s| s.chars().count() <= max).unwrap_or(label);
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(max.saturating_sub(1)).collect();
    cut = cut.trim_end().to_owned();
    cut.push('…');
    cut
}

/// The text of a message entry as a messaging app shows it: an agent's
/// name before their words, and the articles as title and link lines.
///
/// Articles are listed after the text with their link: a relative `url` is
/// made full against `site_url`, or left out without one (a chat app cannot
/// open a path).
fn message_text(
    entry: &crate::domain::EntryBody,
    site_url: Option<&reqwest::Url>,
) -> Option<String> {
    let crate::domain::EntryBody::Message {
        from,
        text,
        articles,
        agent,
        ..
    } = entry
    else {
        return None;
    };
    if *from == crate::domain::Sender::Customer {
        return None;
    }
    let mut out = match (from, agent) {
        (crate::domain::Sender::Agent, Some(agent)) => format!("{}: {text}", agent.name),
        _ => text.clone(),
    };
    for article in articles {
        let link = match reqwest::Url::parse(&article.url) {
            Ok(full) => Some(full),
            Err(_) => site_url.and_then(|base| {
                // The site's path is kept ("https://x.example/shop" +
                // "/help/a" is ".../shop/help/a"); its query is not.
                let mut base = base.clone();
                if !base.path().ends_with('/') {
                    base.set_path(&format!("{}/", base.path()));
                }
                base.set_query(None);
                base.set_fragment(None);
                base.join(article.url.trim_start_matches('/')).ok()
            }),
        };
        match link {
            Some(link) => out.push_str(&format!("\n• {} {link}", article.title)),
            None => out.push_str(&format!("\n• {}", article.title)),
        }
    }
    Some(out)
}

/// Whether the entry after a message is a `closed` that asks for a rating:
/// the message then carries the survey buttons.
fn survey_follows(next: Option<&crate::domain::TranscriptEntry>) -> bool {
    matches!(
        next.map(|e| &e.body),
        Some(crate::domain::EntryBody::Closed { survey: true, .. })
    )
}

/// The five survey buttons' values and labels.
fn survey_buttons() -> impl Iterator<Item = (String, String)> {
    (1..=5u8).map(|n| (format!("{RATING_CHOICE}{n}"), format!("{n} ★")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_split_at_whitespace_and_nothing_is_lost() {
        let text = "word ".repeat(30);
        let parts = split_text(&text, 42);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.chars().count() <= 42), "{parts:?}");
        assert_eq!(parts.join(" "), text.trim());
        let unbroken = "ğ".repeat(100);
        let parts = split_text(&unbroken, 40);
        assert_eq!(parts.concat(), unbroken);
        // Telegram counts UTF-16 code units: an emoji is two.
        let emoji = "😀".repeat(10);
        let parts16 = split_text_in(&emoji, 8, char::len_utf16);
        assert_eq!(parts16.len(), 3);
        assert!(parts16.iter().all(|p| p.encode_utf16().count() <= 8));
        assert_eq!(parts16.concat(), emoji);
        // Flags (two regional indicators) and ZWJ families stay whole.
        let flags = "🇹🇷".repeat(5);
        let parts = split_text_in(&flags, 6, char::len_utf16);
        assert!(
            parts.iter().all(|p| p.chars().count() % 2 == 0),
            "{parts:?}"
        );
        assert_eq!(parts.concat(), flags);
        let family = "👨\u{200d}👩\u{200d}👧".repeat(3);
        let parts = split_text_in(&family, 10, char::len_utf16);
        assert!(
            parts
                .iter()
                .all(|p| !p.starts_with('\u{200d}') && !p.ends_with('\u{200d}')),
            "{parts:?}"
        );
        assert_eq!(parts.concat(), family);
        assert_eq!(split_text("short", 40), vec!["short".to_owned()]);
    }

    #[test]
    fn article_links_are_full_links_or_left_out() {
        use crate::domain::{ArticleRef, EntryBody, Sender};
        let mut entry = EntryBody::text(Sender::Bot, "See:".to_owned(), "en");
        if let EntryBody::Message { articles, .. } = &mut entry {
            articles.push(ArticleRef {
                id: "returns".into(),
                title: "Returns".into(),
                url: "/help/returns".into(),
            });
            articles.push(ArticleRef {
                id: "dhl".into(),
                title: "Tracking".into(),
                url: "https://www.dhl.com/track".into(),
            });
        }
        let site = reqwest::Url::parse("https://shop.example/").expect("url");
        assert_eq!(
            message_text(&entry, Some(&site)).expect("text"),
            "See:\n• Returns https://shop.example/help/returns\n• Tracking https://www.dhl.com/track"
        );
        let under_a_path = reqwest::Url::parse("https://x.example/de?ref=bot").expect("url");
        assert!(message_text(&entry, Some(&under_a_path))
            .expect("text")
            .contains("• Returns https://x.example/de/help/returns\n"));
        assert_eq!(
            message_text(&entry, None).expect("text"),
            "See:\n• Returns\n• Tracking https://www.dhl.com/track"
        );
    }

    #[test]
    fn labels_fit_whatsapps_limits() {
        assert_eq!(
            fit_label("Wo ist meine Bestellung?", Some("Meine Bestellung"), 20),
            "Meine Bestellung"
        );
        assert_eq!(fit_label("Yes", None, 20), "Yes");
        let cut = fit_label("Ο εκπτωτικός μου κωδικός δεν λειτουργεί", None, 20);
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with('…'));
    }
}
