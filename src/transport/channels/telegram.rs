//! Telegram's Bot API: updates in on `POST /v1/channels/telegram/<name>`
//! (a webhook set with `setWebhook` and a `secret_token`), messages out with
//! `sendMessage`. Payloads follow core.telegram.org/bots/api ("Update",
//! "Message", "CallbackQuery", "sendMessage", "InlineKeyboardMarkup").

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body as HttpBody;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::outbox::{Provider, SendError};
use super::{
    count_inbound, fit_label, message_text, receive, refused_response, status, survey_buttons,
    survey_follows, Body, Inbound, BODY_LIMIT,
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
}

#[derive(Deserialize)]
struct Update {
    update_id: i64,
    #[serde(default)]
    message: Option<Message>,
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
pub(super) async fn inbound(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: HttpBody,
) -> Response {
    let Some(bot) = state.channels.telegram(&name) else {
        return status(StatusCode::NOT_FOUND);
    };
    let presented = headers.get(SECRET_HEADER).map(|v| v.as_bytes());
    if !presented.is_some_and(|p| constant_time_eq(p, bot.config.secret_token.expose().as_bytes()))
    {
        tracing::warn!(channel = %bot.channel, "update without the right secret token: refused");
        count_inbound(&bot.channel, "unauthorized");
        return status(StatusCode::UNAUTHORIZED);
    }
    let Ok(bytes) = super::super::api::read_body(&state, &headers, body, BODY_LIMIT).await else {
        count_inbound(&bot.channel, "bad_request");
        return status(StatusCode::PAYLOAD_TOO_LARGE);
    };
    let update: Update = match serde_json::from_slice(&bytes) {
        Ok(update) => update,
        Err(error) => {
            tracing::info!(channel = %bot.channel, %error, "not a Telegram update");
            count_inbound(&bot.channel, "bad_request");
            return status(StatusCode::BAD_REQUEST);
        }
    };
    let Some(inbound) = read_update(&bot, update) else {
        // Edited messages, channel posts, joins: nothing to answer.
        count_inbound(&bot.channel, "ignored");
        return status(StatusCode::OK);
    };
    let callback = inbound.1;
    let inbound = inbound.0;
    let id = inbound.id.clone();
    let result = receive(&state, inbound).await;
    if let (Some(callback), Ok(_) | Err(super::Refused::Invalid(_))) = (callback, &result) {
        // The button stops spinning; best effort, never retried.
        let bot = Arc::clone(&bot);
        tokio::spawn(async move {
            let answer = AnswerCallbackQuery {
                callback_query_id: &callback,
            };
            if let Err(error) = bot.call("answerCallbackQuery", &answer).await {
                tracing::debug!(channel = %bot.channel, ?error, "callback query not answered");
            }
        });
    }
    match result {
        Ok(_) => status(StatusCode::OK),
        Err(refused) => refused_response(&bot.channel, &id, &refused),
    }
}

/// The inbound message of an update and, for a button press, the callback
/// query's id to answer; `None` for updates without one.
fn read_update(bot: &Telegram, update: Update) -> Option<(Inbound, Option<String>)> {
    let id = update.update_id.to_string();
    if let Some(query) = update.callback_query {
        let chat = query.message.as_ref()?.chat.id;
        let value = query.data?;
        return Some((
            Inbound {
                user: bot.user(chat),
                id,
                hint: query.from.language_code.clone(),
                customer: customer(&query.from),
                body: Body::Choice(value),
            },
            Some(query.id),
        ));
    }
    let message = update.message?;
    let body = match (&message.text, &message.caption) {
        (Some(text), _) if is_start_command(text) => Body::Start,
        (Some(text), _) => Body::Text(text.clone()),
        (None, Some(caption)) if !caption.trim().is_empty() => Body::Text(caption.clone()),
        _ => Body::Unsupported(content_kind(&message).to_owned()),
    };
    let from = message.from.as_ref();
    Some((
        Inbound {
            user: bot.user(message.chat.id),
            id,
            hint: from.and_then(|f| f.language_code.clone()),
            customer: from.and_then(customer),
            body,
        },
        None,
    ))
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
