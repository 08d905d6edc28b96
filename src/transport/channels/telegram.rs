//! Telegram's Bot API: updates in on `POST /v1/channels/telegram/<name>`
//! (a webhook set with `setWebhook` and a `secret_token`), messages out with
//! `sendMessage`. Payloads follow core.telegram.org/bots/api ("Update",
//! "Message", "CallbackQuery", "sendMessage", "InlineKeyboardMarkup").

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body as HttpBody;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::outbox::{Provider, SendError};
use super::{
    count_inbound, fit_label, message_text, receive, refused_response, rejected, status,
    survey_buttons, survey_follows, Body, Inbound, Refused, BODY_LIMIT,
};
use crate::config::TelegramConfig;
use crate::conversation::Conversations;
use crate::domain::{
    ChannelKind, ChannelUser, ConversationId, Customer, EntryBody, TranscriptEntry,
};
use crate::transport::AppState;

/// The header Telegram sends the webhook's `secret_token` in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// The most bytes a button's `callback_data` may have (Bot API).
const CALLBACK_DATA_MAX: usize = 64;
/// The most a message's text may have, in UTF-16 code units after entity
/// parsing (Bot API `sendMessage`: "1-4096 characters").
const TEXT_MAX: usize = 4096;
/// Button presses remembered as answered, per bot. Telegram retries an
/// update for a while, not for ever: far more than any retry burst.
const PRESSES_REMEMBERED: usize = 10_000;
/// How long the answer to a button press may take before the update is
/// answered without it (the answer is best effort, never retried).
const CALLBACK_ANSWER_TIMEOUT: Duration = Duration::from_secs(5);
/// A button's text is not limited by Telegram, but long ones are cut on
/// phones: the same 20 characters as WhatsApp keep the keyboard readable.
const BUTTON_TEXT_MAX: usize = 40;

/// One configured Telegram bot.
pub(super) struct Telegram {
    config: TelegramConfig,
    client: reqwest::Client,
    channel: String,
    /// `channels.site_url`: relative article links are made full against it.
    site_url: Option<reqwest::Url>,
    /// The `update_id`s of the newest button presses answered with
    /// `answerCallbackQuery` (at most [`PRESSES_REMEMBERED`]): a repeated
    /// update is a duplicate and is not answered again.
    answered_presses: Mutex<RecentIds>,
}

/// Update ids, and the same ids oldest first (to forget the oldest).
type RecentIds = (HashSet<i64>, VecDeque<i64>);

#[derive(Deserialize)]
struct Update {
    update_id: i64,
    #[serde(default)]
    message: Option<Message>,
    /// A message the customer edited: read as a new one, so that a
    /// correction ("1004528", not "1004582") is answered, not dropped.
    #[serde(default)]
    edited_message: Option<Message>,
    #[serde(default)]
    callback_query: Option<CallbackQuery>,
}

#[derive(Deserialize)]
struct Message {
    chat: Chat,
    #[serde(default)]
    from: Option<User>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    photo: Option<serde_json::Value>,
    #[serde(default)]
    sticker: Option<serde_json::Value>,
    #[serde(default)]
    voice: Option<serde_json::Value>,
    #[serde(default)]
    document: Option<serde_json::Value>,
    #[serde(default)]
    location: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Chat {
    id: i64,
}

#[derive(Deserialize)]
struct User {
    /// Telegram's id of the user: stable, and vouched for by Telegram.
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    language_code: Option<String>,
}

#[derive(Deserialize)]
struct CallbackQuery {
    id: String,
    from: User,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    data: Option<String>,
}

#[derive(Serialize)]
struct SendMessage<'a> {
    chat_id: i64,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_markup: Option<&'a InlineKeyboard>,
}

#[derive(Serialize)]
struct InlineKeyboard {
    inline_keyboard: Vec<Vec<InlineButton>>,
}

#[derive(Serialize)]
struct InlineButton {
    text: String,
    callback_data: String,
}

#[derive(Serialize)]
struct AnswerCallbackQuery<'a> {
    callback_query_id: &'a str,
}

#[derive(Serialize)]
struct SendChatAction {
    chat_id: i64,
    action: &'static str,
}

#[derive(Deserialize)]
struct ApiAnswer {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<ResponseParameters>,
}

#[derive(Deserialize)]
struct ResponseParameters {
    #[serde(default)]
    retry_after: Option<u64>,
}

/// A message as Telegram sends it.
pub(super) struct Outgoing {
    /// The text in parts of at most [`TEXT_MAX`] UTF-16 code units (one
    /// part but for very long texts), sent in order.
    parts: Vec<String>,
    /// On the last part.
    keyboard: Option<InlineKeyboard>,
    /// Parts Telegram took already: a retry goes on from the first not taken.
    sent: std::sync::atomic::AtomicUsize,
}

impl Telegram {
    pub(super) fn new(
        config: TelegramConfig,
        client: reqwest::Client,
        site_url: Option<reqwest::Url>,
    ) -> Self {
        let channel = format!("telegram/{}", config.name);
        Self {
            config,
            client,
            channel,
            site_url,
            answered_presses: Mutex::new((HashSet::new(), VecDeque::new())),
        }
    }

    /// Whether the press of update `update_id` is to be answered now: true
    /// the first time only (it is then remembered as answered).
    fn first_answer(&self, update_id: i64) -> bool {
        let mut answered = self
            .answered_presses
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let (ids, order) = &mut *answered;
        if !ids.insert(update_id) {
            return false;
        }
        order.push_back(update_id);
        while order.len() > PRESSES_REMEMBERED {
            if let Some(old) = order.pop_front() {
                ids.remove(&old);
            }
        }
        true
    }

    /// Stops the pressed button's spinner: `answerCallbackQuery`, best
    /// effort (a failure or a slow answer is only logged).
    async fn answer_press(&self, update_id: i64, callback_query_id: &str) {
        let answer = AnswerCallbackQuery { callback_query_id };
        match tokio::time::timeout(
            CALLBACK_ANSWER_TIMEOUT,
            self.call("answerCallbackQuery", &answer),
        )
        .await
        {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                tracing::debug!(channel = %self.channel, update_id, ?error, "callback query not answered")
            }
            Err(_) => {
                tracing::debug!(channel = %self.channel, update_id, "callback query not answered in time")
            }
        }
    }

    fn method_url(&self, method: &str) -> String {
        format!(
            "{}/bot{}/{method}",
            self.config.api_base.as_str().trim_end_matches('/'),
            self.config.bot_token.expose()
        )
    }

    /// Calls a Bot API method; `Err` as [`SendError`], with Telegram's
    /// `description` and `parameters.retry_after`.
    async fn call<T: Serialize>(&self, method: &str, body: &T) -> Result<(), SendError> {
        let body = serde_json::to_vec(body).map_err(|e| SendError::Permanent(e.to_string()))?;
        let response = self
            .client
            .post(self.method_url(method))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(SendError::transport)?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let header_after = retry_after_header(response.headers());
        let bytes = response.bytes().await.unwrap_or_default();
        let answer: Option<ApiAnswer> = serde_json::from_slice(&bytes).ok();
        let after = answer
            .as_ref()
            .and_then(|a| a.parameters.as_ref())
            .and_then(|p| p.retry_after)
            .map(Duration::from_secs)
            .or(header_after);
        let reason = answer
            .and_then(|a| a.description)
            .unwrap_or_else(|| "no description".to_owned());
        Err(SendError::status(status, after, reason))
    }
}

/// `Retry-After` in seconds (the form providers use), if present.
pub(super) fn retry_after_header(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

impl Provider for Telegram {
    type Outgoing = Outgoing;

    fn channel(&self) -> &str {
        &self.channel
    }

    fn render(
        &self,
        _conversations: &Conversations,
        _conversation: ConversationId,
        entry: &TranscriptEntry,
        next: Option<&TranscriptEntry>,
    ) -> Option<Outgoing> {
        let mut rows: Vec<Vec<InlineButton>> = Vec::new();
        let text = match &entry.body {
            EntryBody::Message { quick_replies, .. } => {
                let text = message_text(&entry.body, self.site_url.as_ref())?;
                for reply in quick_replies {
                    if reply.value.len() > CALLBACK_DATA_MAX {
                        tracing::warn!(value = %reply.value, "a quick reply's value is too long for Telegram: button left out");
                        continue;
                    }
                    rows.push(vec![InlineButton {
                        text: fit_label(&reply.label, reply.short.as_deref(), BUTTON_TEXT_MAX),
                        callback_data: reply.value.clone(),
                    }]);
                }
                text
            }
            // Handoff entries: the system message after them says it; a
            // closed entry: its closing message carries the survey.
            _ => return None,
        };
        if survey_follows(next) {
            rows.push(
                survey_buttons()
                    .map(|(value, label)| InlineButton {
                        text: label,
                        callback_data: value,
                    })
                    .collect(),
            );
        }
        Some(Outgoing {
            parts: super::split_text_in(&text, TEXT_MAX, char::len_utf16),
            keyboard: (!rows.is_empty()).then_some(InlineKeyboard {
                inline_keyboard: rows,
            }),
            sent: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    async fn send(&self, user: &ChannelUser, outgoing: &Outgoing) -> Result<(), SendError> {
        use std::sync::atomic::Ordering;
        let chat_id = chat_id(user)?;
        let last = outgoing.parts.len().saturating_sub(1);
        for (n, part) in outgoing
            .parts
            .iter()
            .enumerate()
            .skip(outgoing.sent.load(Ordering::Acquire))
        {
            self.call(
                "sendMessage",
                &SendMessage {
                    chat_id,
                    text: part,
                    reply_markup: outgoing.keyboard.as_ref().filter(|_| n == last),
                },
            )
            .await?;
            outgoing.sent.store(n + 1, Ordering::Release);
        }
        Ok(())
    }

    async fn typing(&self, user: &ChannelUser, on: bool) {
        // "typing" shows for five seconds or until the next message; there
        // is nothing to send for off.
        let Ok(chat_id) = chat_id(user) else { return };
        if !on {
            return;
        }
        let action = SendChatAction {
            chat_id,
            action: "typing",
        };
        if let Err(error) = self.call("sendChatAction", &action).await {
            tracing::debug!(channel = %self.channel, ?error, "typing not shown");
        }
    }
}

fn chat_id(user: &ChannelUser) -> Result<i64, SendError> {
    user.user
        .parse()
        .map_err(|_| SendError::Permanent(format!("`{}` is not a Telegram chat id", user.user)))
}

/// `POST /v1/channels/telegram/<name>`: one Update. 401 without the right
/// secret header, 404 for an unknown bot, 400 for a body that is not an
/// Update, 5xx if the store failed (Telegram retries), else 200.
///
/// A button press (`callback_query`) is answered with `answerCallbackQuery`
/// once per `update_id`, also when it carries nothing to act on (no `data`,
/// or no `message`: a button under an inline-mode message), so that the
/// customer's button stops spinning. The answer is made before the update
/// is answered, so that once Telegram has our 200 the press has been
/// answered (or that failed), and a repeat of the update finds it so.
pub(super) async fn inbound(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: HttpBody,
) -> Response {
    let Some(bot) = state.channels.telegram(&name) else {
        return rejected(
            StatusCode::NOT_FOUND,
            "no Telegram channel of that name is configured",
        );
    };
    let presented = headers.get(SECRET_HEADER).map(|v| v.as_bytes());
    if !presented.is_some_and(|p| constant_time_eq(p, bot.config.secret_token.expose().as_bytes()))
    {
        tracing::warn!(channel = %bot.channel, "update without the right secret token: refused");
        count_inbound(&bot.channel, "unauthorized");
        return rejected(
            StatusCode::UNAUTHORIZED,
            "X-Telegram-Bot-Api-Secret-Token is missing or not the channel's secret_token",
        );
    }
    let Ok(bytes) = super::super::api::read_body(&state, &headers, body, BODY_LIMIT).await else {
        count_inbound(&bot.channel, "bad_request");
        return rejected(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body is larger than an update can be",
        );
    };
    let update: Update = match super::parse_object(&bytes) {
        Ok(update) => update,
        Err(error) => {
            tracing::info!(channel = %bot.channel, %error, "not a Telegram update");
            count_inbound(&bot.channel, "bad_request");
            return rejected(
                StatusCode::BAD_REQUEST,
                &format!("not a Telegram update: {error}"),
            );
        }
    };
    let update_id = update.update_id;
    let (inbound, press) = read_update(&bot, update);
    let result = match inbound {
        Some(inbound) => {
            let id = inbound.id.clone();
            Some((id, receive(&state, inbound).await))
        }
        None => None,
    };
    if let Some(callback_query_id) = press {
        let answer = match &result {
            // Not taken: Telegram sends the update again, answered then.
            Some((_, Err(Refused::Unavailable(_)))) => false,
            // Stored before (a repeat after a restart): answered then.
            Some((_, Ok(received))) => !received.duplicate,
            // A stale button, or nothing to act on: only the spinner.
            Some((_, Err(Refused::Invalid(_)))) | None => true,
        };
        if answer && bot.first_answer(update_id) {
            bot.answer_press(update_id, &callback_query_id).await;
        }
    }
    match result {
        Some((_, Ok(_))) => status(StatusCode::OK),
        Some((id, Err(refused))) => refused_response(&bot.channel, &id, &refused),
        None => {
            // Edited messages, channel posts, joins, presses without data:
            // nothing to store or answer.
            tracing::debug!(channel = %bot.channel, update_id, "update ignored");
            count_inbound(&bot.channel, "ignored");
            status(StatusCode::OK)
        }
    }
}

/// The inbound message of an update (`None` for updates without one), and
/// for a button press the callback query's id to answer, whether or not
/// the press carries anything to act on.
fn read_update(bot: &Telegram, update: Update) -> (Option<Inbound>, Option<String>) {
    let id = update.update_id.to_string();
    if let Some(query) = update.callback_query {
        let inbound = match (query.message.as_ref(), query.data) {
            (Some(message), Some(value)) => Some(Inbound {
                user: bot.user(message.chat.id),
                id,
                hint: query.from.language_code.clone(),
                customer: customer(&query.from),
                body: Body::Choice(value),
            }),
            // A game's button (no data) or one under an inline-mode message
            // (no chat to answer in).
            _ => None,
        };
        return (inbound, Some(query.id));
    }
    let Some(message) = update.message.or(update.edited_message) else {
        return (None, None);
    };
    let body = match (&message.text, &message.caption) {
        (Some(text), _) if is_start_command(text) => Body::Start,
        (Some(text), _) => Body::Text(text.clone()),
        (None, Some(caption)) if !caption.trim().is_empty() => Body::Text(caption.clone()),
        _ => Body::Unsupported(content_kind(&message).to_owned()),
    };
    let from = message.from.as_ref();
    (
        Some(Inbound {
            user: bot.user(message.chat.id),
            id,
            hint: from.and_then(|f| f.language_code.clone()),
            customer: from.and_then(customer),
            body,
        }),
        None,
    )
}

/// Telegram's start command: `/start`, `/start <payload>` (a deep link's
/// parameter) or `/start@<bot>` in a group.
fn is_start_command(text: &str) -> bool {
    let text = text.trim();
    text.strip_prefix("/start")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '@']))
}

fn content_kind(message: &Message) -> &'static str {
    if message.photo.is_some() {
        "photo"
    } else if message.sticker.is_some() {
        "sticker"
    } else if message.voice.is_some() {
        "voice"
    } else if message.document.is_some() {
        "document"
    } else if message.location.is_some() {
        "location"
    } else {
        "attachment"
    }
}

fn customer(user: &User) -> Option<Customer> {
    let name = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut customer = Customer::default();
    if !name.trim().is_empty() {
        customer.name = Some(name.chars().take(256).collect());
    }
    if let Some(username) = &user.username {
        customer
            .attributes
            .insert("telegram".to_owned(), format!("@{username}").into());
    }
    // Who wrote, as Telegram vouches for it: for the agent to know them by,
    // and for the shop's backend to check an action against (a username
    // can change; the id does not).
    if let Some(id) = user.id {
        customer
            .attributes
            .insert("telegram_user_id".to_owned(), id.into());
    }
    (customer != Customer::default()).then_some(customer)
}

impl Telegram {
    fn user(&self, chat: i64) -> ChannelUser {
        ChannelUser {
            kind: ChannelKind::Telegram,
            name: self.config.name.clone(),
            user: chat.to_string(),
        }
    }
}

/// Compares two secrets in time independent of where they differ (or of
/// their lengths): their SHA-256 digests are compared byte by byte, always
/// all 32.
pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}
