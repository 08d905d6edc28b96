//! WhatsApp Cloud API: the verification handshake (`GET`) and webhooks
//! (`POST /v1/channels/whatsapp/<name>`, signed with `X-Hub-Signature-256`),
//! messages out with `POST {phone_number_id}/messages`. Payloads follow
//! Meta's Cloud API reference ("Webhooks: messages", "Messages",
//! "Interactive reply buttons", "Interactive list messages").

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::body::Body as HttpBody;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::outbox::{Provider, SendError};
use super::telegram::{constant_time_eq, retry_after_header};
use super::{
    count_inbound, fit_label, message_text, receive, refused_response, rejected, status,
    survey_buttons, survey_follows, Body, Inbound, Refused, BODY_LIMIT,
};
use crate::config::WhatsappConfig;
use crate::conversation::Conversations;
use crate::domain::{
    ChannelKind, ChannelUser, ConversationId, Customer, EntryBody, Sender, TranscriptEntry,
};
use crate::transport::AppState;

/// The signature header: `sha256=` and the hex HMAC-SHA256 of the raw body.
const SIGNATURE_HEADER: &str = "x-hub-signature-256";
/// At most this many reply buttons (Cloud API).
const BUTTONS_MAX: usize = 3;
/// A reply button's title, at most (Cloud API).
const BUTTON_TITLE_MAX: usize = 20;
/// At most this many rows in a list (Cloud API).
const LIST_ROWS_MAX: usize = 10;
/// A list row's title, at most (Cloud API).
const ROW_TITLE_MAX: usize = 24;
/// A list row's description, at most (Cloud API).
const ROW_DESCRIPTION_MAX: usize = 72;
/// An interactive message's body text, at most (Cloud API).
const INTERACTIVE_BODY_MAX: usize = 1024;
/// A text message's body, at most (Cloud API).
const TEXT_MAX: usize = 4096;
/// How many of a conversation's newest entries are searched for the message
/// whose numbered options a bare number answers.
const NUMBERED_LOOKBACK: usize = 16;
/// Sent messages remembered for their delivery statuses.
const SENT_REMEMBERED: usize = 100_000;

/// Sent message ids to (conversation, seq), and the ids oldest first.
type SentMessages = (HashMap<String, (ConversationId, u64)>, VecDeque<String>);

/// One configured WhatsApp number.
pub(super) struct Whatsapp {
    config: WhatsappConfig,
    client: reqwest::Client,
    channel: String,
    /// `channels.site_url`: relative article links are made full against it.
    site_url: Option<reqwest::Url>,
    /// Our sent message ids (`wamid`) to the entry they carried, so that a
    /// `failed` status marks that entry; the newest [`SENT_REMEMBERED`].
    sent: Mutex<SentMessages>,
}

#[derive(Deserialize)]
struct Notification {
    #[serde(default)]
    entry: Vec<NotificationEntry>,
}

#[derive(Deserialize)]
struct NotificationEntry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    value: ChangeValue,
}

#[derive(Deserialize, Default)]
struct ChangeValue {
    /// The business number the change is for; one app's webhook can
    /// receive several numbers' changes.
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default)]
    messages: Vec<WaMessage>,
    #[serde(default)]
    statuses: Vec<Status>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    phone_number_id: Option<String>,
}

#[derive(Deserialize)]
struct Contact {
    #[serde(default)]
    wa_id: Option<String>,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct WaMessage {
    from: String,
    id: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    text: Option<TextBody>,
    #[serde(default)]
    interactive: Option<Interactive>,
    #[serde(default)]
    button: Option<TemplateButton>,
    #[serde(default)]
    image: Option<Media>,
    #[serde(default)]
    video: Option<Media>,
    #[serde(default)]
    document: Option<Media>,
}

/// A photo, video or document; only its caption is read.
#[derive(Deserialize)]
struct Media {
    #[serde(default)]
    caption: Option<String>,
}

#[derive(Deserialize)]
struct TextBody {
    body: String,
}

#[derive(Deserialize)]
struct Interactive {
    #[serde(default)]
    button_reply: Option<Reply>,
    #[serde(default)]
    list_reply: Option<Reply>,
}

#[derive(Deserialize)]
struct Reply {
    id: String,
}

#[derive(Deserialize)]
struct TemplateButton {
    #[serde(default)]
    payload: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct Status {
    id: String,
    status: String,
    #[serde(default)]
    errors: Vec<StatusError>,
}

#[derive(Deserialize)]
struct StatusError {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    title: Option<String>,
}

/// A message as the Cloud API takes it (without the envelope).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Content {
    Text { text: OutText },
    Interactive { interactive: OutInteractive },
}

#[derive(Serialize)]
struct OutText {
    body: String,
    preview_url: bool,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum OutInteractive {
    Button { body: OutBody, action: ButtonAction },
    List { body: OutBody, action: ListAction },
}

#[derive(Serialize)]
struct OutBody {
    text: String,
}

#[derive(Serialize)]
struct ButtonAction {
    buttons: Vec<OutButton>,
}

#[derive(Serialize)]
struct OutButton {
    #[serde(rename = "type")]
    kind: &'static str,
    reply: OutReply,
}

#[derive(Serialize)]
struct OutReply {
    id: String,
    title: String,
}

#[derive(Serialize)]
struct ListAction {
    button: String,
    sections: Vec<Section>,
}

#[derive(Serialize)]
struct Section {
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    messaging_product: &'static str,
    recipient_type: &'static str,
    to: &'a str,
    #[serde(flatten)]
    content: &'a Content,
}

#[derive(Deserialize)]
struct SendAnswer {
    #[serde(default)]
    messages: Vec<SentId>,
}

#[derive(Deserialize)]
struct SentId {
    id: String,
}

/// Graph error codes that mean "later", whatever the HTTP status (Graph
/// answers its rate limits with 400): 2 service temporarily unavailable,
/// 4 the app's call rate, 80007 the business account's rate, 130429 the
/// number's message throughput, 131056 too many messages to one recipient,
/// 133004 server temporarily unavailable (Meta's Cloud API error codes,
/// developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
const GRAPH_TRY_AGAIN: &[i64] = &[2, 4, 80007, 130429, 131056, 133004];

#[derive(Deserialize)]
struct GraphError {
    error: GraphErrorBody,
}

#[derive(Deserialize)]
struct GraphErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<i64>,
}

/// A message ready to send, and the entry it carries.
pub(super) struct Outgoing {
    /// One message, or a long text's parts in order.
    messages: Vec<Content>,
    /// Messages WhatsApp took already: a retry goes on from the next.
    sent: std::sync::atomic::AtomicUsize,
    conversation: ConversationId,
    seq: u64,
}

/// A quick reply or survey option as WhatsApp shows it.
struct Choice {
    value: String,
    label: String,
    short: Option<String>,
}

impl Whatsapp {
    pub(super) fn new(
        config: WhatsappConfig,
        client: reqwest::Client,
        site_url: Option<reqwest::Url>,
    ) -> Self {
        let channel = format!("whatsapp/{}", config.name);
        Self {
            config,
            client,
            channel,
            site_url,
            sent: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }

    fn user(&self, wa_id: &str) -> ChannelUser {
        ChannelUser {
            kind: ChannelKind::Whatsapp,
            name: self.config.name.clone(),
            user: wa_id.to_owned(),
        }
    }

    fn remember_sent(&self, id: String, conversation: ConversationId, seq: u64) {
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        let (by_id, order) = &mut *sent;
        by_id.insert(id.clone(), (conversation, seq));
        order.push_back(id);
        while order.len() > SENT_REMEMBERED {
            if let Some(old) = order.pop_front() {
                by_id.remove(&old);
            }
        }
    }

    /// Sends one message of `outgoing` to `user`.
    async fn send_one(
        &self,
        user: &ChannelUser,
        content: &Content,
        outgoing: &Outgoing,
    ) -> Result<(), SendError> {
        let envelope = Envelope {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: &user.user,
            content,
        };
        let body =
            serde_json::to_vec(&envelope).map_err(|e| SendError::Permanent(e.to_string()))?;
        let url = format!(
            "{}/{}/messages",
            self.config.api_base.as_str().trim_end_matches('/'),
            self.config.phone_number_id
        );
        let response = self
            .client
            .post(url)
            .bearer_auth(self.config.access_token.expose())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(SendError::transport)?;
        let status = response.status();
        let after = retry_after_header(response.headers());
        let bytes = response.bytes().await.unwrap_or_default();
        if !status.is_success() {
            let error = serde_json::from_slice::<GraphError>(&bytes).ok();
            let code = error.as_ref().and_then(|e| e.error.code);
            let reason = error
                .map(|e| {
                    format!(
                        "{} (code {})",
                        e.error.message.unwrap_or_default(),
                        e.error.code.unwrap_or_default()
                    )
                })
                .unwrap_or_else(|| "no error body".to_owned());
            if code.is_some_and(|code| GRAPH_TRY_AGAIN.contains(&code)) {
                // Graph reports its rate limits as 400 with a code.
                return Err(SendError::Retry {
                    after,
                    reason: format!("{status}: {reason}"),
                });
            }
            return Err(SendError::status(status, after, reason));
        }
        if let Ok(answer) = serde_json::from_slice::<SendAnswer>(&bytes) {
            for sent in answer.messages {
                self.remember_sent(sent.id, outgoing.conversation, outgoing.seq);
            }
        }
        Ok(())
    }

    /// Checks `X-Hub-Signature-256` over the raw body, in constant time.
    fn signed(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        let Some(hex_tag) = headers
            .get(SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().strip_prefix("sha256="))
        else {
            return false;
        };
        let Ok(tag) = hex::decode(hex_tag) else {
            return false;
        };
        let Ok(mut mac) =
            Hmac::<Sha256>::new_from_slice(self.config.app_secret.expose().as_bytes())
        else {
            return false;
        };
        mac.update(body);
        mac.verify_slice(&tag).is_ok()
    }
}

/// The options a message is sent with: its quick replies, and the survey's
/// ratings when the conversation closes right after it.
fn choices_of(entry: &TranscriptEntry, next: Option<&TranscriptEntry>) -> Vec<Choice> {
    let EntryBody::Message { quick_replies, .. } = &entry.body else {
        return Vec::new();
    };
    let mut choices: Vec<Choice> = quick_replies
        .iter()
        .map(|r| Choice {
            value: r.value.clone(),
            label: r.label.clone(),
            short: r.short.clone(),
        })
        .collect();
    if survey_follows(next) {
        choices.extend(survey_buttons().map(|(value, label)| Choice {
            value,
            label,
            short: None,
        }));
    }
    choices
}

/// The entry's text with its options: up to three reply buttons, a list for
/// four to ten, numbered lines beyond that (or when the text is too long for
/// an interactive message); with the values of numbered options.
fn compose(text: String, choices: Vec<Choice>, button_label: String) -> (Content, Vec<String>) {
    if choices.is_empty() {
        return (plain(text), Vec::new());
    }
    if text.chars().count() <= INTERACTIVE_BODY_MAX {
        if choices.len() <= BUTTONS_MAX {
            let buttons = choices
                .into_iter()
                .map(|c| OutButton {
                    kind: "reply",
                    reply: OutReply {
                        title: fit_label(&c.label, c.short.as_deref(), BUTTON_TITLE_MAX),
                        id: c.value,
                    },
                })
                .collect();
            let interactive = OutInteractive::Button {
                body: OutBody { text },
                action: ButtonAction { buttons },
            };
            return (Content::Interactive { interactive }, Vec::new());
        }
        if choices.len() <= LIST_ROWS_MAX {
            let rows = choices
                .into_iter()
                .map(|c| {
                    let title = fit_label(&c.label, c.short.as_deref(), ROW_TITLE_MAX);
                    let cut = title != c.label;
                    Row {
                        id: c.value,
                        title,
                        description: cut.then(|| fit_label(&c.label, None, ROW_DESCRIPTION_MAX)),
                    }
                })
                .collect();
            let interactive = OutInteractive::List {
                body: OutBody { text },
                action: ListAction {
                    button: fit_label(&button_label, None, BUTTON_TITLE_MAX),
                    sections: vec![Section { rows }],
                },
            };
            return (Content::Interactive { interactive }, Vec::new());
        }
    }
    let mut text = text;
    let mut values = Vec::new();
    for (n, choice) in choices.into_iter().enumerate() {
        text.push_str(&format!("\n{}. {}", n + 1, choice.label));
        values.push(choice.value);
    }
    (plain(text), values)
}

fn plain(text: String) -> Content {
    Content::Text {
        text: OutText {
            body: text,
            preview_url: false,
        },
    }
}

/// `content` as the messages WhatsApp takes: a text over [`TEXT_MAX`]
/// characters in several (nothing is cut), anything else as it is.
fn into_messages(content: Content) -> Vec<Content> {
    match content {
        Content::Text { text } if text.body.chars().count() > TEXT_MAX => {
            super::split_text(&text.body, TEXT_MAX)
                .into_iter()
                .map(plain)
                .collect()
        }
        other => vec![other],
    }
}

impl Provider for Whatsapp {
    type Outgoing = Outgoing;

    fn channel(&self) -> &str {
        &self.channel
    }

    fn render(
        &self,
        conversations: &Conversations,
        conversation: ConversationId,
        entry: &TranscriptEntry,
        next: Option<&TranscriptEntry>,
    ) -> Option<Outgoing> {
        let EntryBody::Message { locale, .. } = &entry.body else {
            return None;
        };
        let text = message_text(&entry.body, self.site_url.as_ref())?;
        let choices = choices_of(entry, next);
        let (content, _) = compose(text, choices, conversations.list_button_label(locale));
        Some(Outgoing {
            messages: into_messages(content),
            sent: std::sync::atomic::AtomicUsize::new(0),
            conversation,
            seq: entry.seq,
        })
    }

    async fn send(&self, user: &ChannelUser, outgoing: &Outgoing) -> Result<(), SendError> {
        use std::sync::atomic::Ordering;
        let first = outgoing.sent.load(Ordering::Acquire);
        for (n, content) in outgoing.messages.iter().enumerate().skip(first) {
            self.send_one(user, content, outgoing).await?;
            outgoing.sent.store(n + 1, Ordering::Release);
        }
        Ok(())
    }

    async fn typing(&self, _user: &ChannelUser, _on: bool) {
        // The Cloud API shows typing only while marking a customer's message
        // as read; agents' typing is not relayed to WhatsApp.
    }
}

#[derive(Deserialize)]
pub(super) struct Verification {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// `GET /v1/channels/whatsapp/<name>`: Meta's verification handshake: the
/// challenge back when the mode is `subscribe`, a challenge is given and the
/// token is right. A request that is not such a handshake (another mode, no
/// challenge) is 400; a handshake with a missing or wrong token is 401, as
/// for any missing or wrong secret (PROTOCOL.md, "Messaging channels").
pub(super) async fn verify(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<Verification>,
) -> Response {
    let Some(number) = state.channels.whatsapp(&name) else {
        return rejected(
            StatusCode::NOT_FOUND,
            "no WhatsApp channel of that name is configured",
        );
    };
    let challenge = match (query.mode.as_deref(), query.challenge) {
        (Some("subscribe"), Some(challenge)) => challenge,
        (mode, challenge) => {
            tracing::info!(channel = %number.channel, mode = ?mode, has_challenge = challenge.is_some(), "not a subscribe verification");
            return rejected(
                StatusCode::BAD_REQUEST,
                "not a verification request: hub.mode=subscribe and hub.challenge are required",
            );
        }
    };
    let token_ok = query.verify_token.as_deref().is_some_and(|t| {
        constant_time_eq(t.as_bytes(), number.config.verify_token.expose().as_bytes())
    });
    if !token_ok {
        tracing::warn!(channel = %number.channel, has_token = query.verify_token.is_some(), "verification with a missing or wrong token: refused");
        count_inbound(&number.channel, "unauthorized");
        return rejected(
            StatusCode::UNAUTHORIZED,
            "hub.verify_token is missing or not the channel's verify_token",
        );
    }
    tracing::info!(channel = %number.channel, "webhook verified");
    (StatusCode::OK, challenge).into_response()
}

/// `POST /v1/channels/whatsapp/<name>`: every message of every change of
/// every entry, in order; statuses are read (a `failed` one marks its
/// entry), never answered. 401 without a valid signature, 400 for a body
/// that is not a notification, 5xx if the store failed (Meta retries the
/// whole POST; messages stored already are not stored twice), else 200.
pub(super) async fn inbound(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: HttpBody,
) -> Response {
    let Some(number) = state.channels.whatsapp(&name) else {
        return rejected(
            StatusCode::NOT_FOUND,
            "no WhatsApp channel of that name is configured",
        );
    };
    let Ok(bytes) = super::super::api::read_body(&state, &headers, body, BODY_LIMIT).await else {
        count_inbound(&number.channel, "bad_request");
        return rejected(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body is larger than a notification can be",
        );
    };
    if !number.signed(&headers, &bytes) {
        tracing::warn!(channel = %number.channel, "notification without a valid signature: refused");
        count_inbound(&number.channel, "unauthorized");
        return rejected(
            StatusCode::UNAUTHORIZED,
            "X-Hub-Signature-256 is missing or not the body's HMAC-SHA256 under the channel's app_secret",
        );
    }
    let notification: Notification = match super::parse_object(&bytes) {
        Ok(notification) => notification,
        Err(error) => {
            tracing::info!(channel = %number.channel, %error, "not a WhatsApp notification");
            count_inbound(&number.channel, "bad_request");
            return rejected(
                StatusCode::BAD_REQUEST,
                &format!("not a WhatsApp notification: {error}"),
            );
        }
    };
    let mut failure = None;
    for change in notification.entry.into_iter().flat_map(|e| e.changes) {
        let value = change.value;
        let for_number = value
            .metadata
            .as_ref()
            .and_then(|m| m.phone_number_id.as_deref());
        if for_number.is_some_and(|id| id != number.config.phone_number_id) {
            // Another number of the same app: not ours to answer.
            tracing::warn!(channel = %number.channel, phone_number_id = ?for_number, "a change for another business number: ignored");
            count_inbound(&number.channel, "ignored");
            continue;
        }
        for status in &value.statuses {
            number.on_status(&state.conversations, status).await;
        }
        for message in value.messages {
            let Some(mut inbound) = number.read_message(&value.contacts, message) else {
                count_inbound(&number.channel, "ignored");
                continue;
            };
            if let Body::Text(text) = &inbound.body {
                if let Some(value) =
                    number.numbered_choice(&state.conversations, &inbound.user, text)
                {
                    inbound.body = Body::Choice(value);
                }
            }
            let id = inbound.id.clone();
            match receive(&state, inbound).await {
                Ok(_) => {}
                Err(refused @ Refused::Invalid(_)) => {
                    refused_response(&number.channel, &id, &refused);
                }
                Err(refused) => failure = Some((id, refused)),
            }
        }
    }
    match failure {
        None => status(StatusCode::OK),
        Some((id, refused)) => refused_response(&number.channel, &id, &refused),
    }
}

impl Whatsapp {
    /// The inbound message of `message`; `None` for a reaction (an emoji on
    /// one of our messages: nothing to store or answer).
    fn read_message(&self, contacts: &[Contact], message: WaMessage) -> Option<Inbound> {
        let name = contacts
            .iter()
            .find(|c| c.wa_id.as_deref() == Some(message.from.as_str()))
            .and_then(|c| c.profile.as_ref())
            .and_then(|p| p.name.clone());
        // The number, as WhatsApp vouches for it: for the agent to call
        // back, and for the shop's backend to check an action against.
        let mut attributes = serde_json::Map::new();
        attributes.insert("whatsapp".to_owned(), format!("+{}", message.from).into());
        let customer = Some(Customer {
            name: name.map(|name| name.chars().take(256).collect()),
            attributes,
            ..Customer::default()
        });
        let caption = [&message.image, &message.video, &message.document]
            .into_iter()
            .flatten()
            .find_map(|media| media.caption.clone())
            .filter(|caption| !caption.trim().is_empty());
        let body = match message.kind.as_str() {
            "reaction" => return None,
            "text" => match message.text {
                Some(text) => Body::Text(text.body),
                None => Body::Unsupported("text".to_owned()),
            },
            "image" | "video" | "document" if caption.is_some() => {
                Body::Text(caption.unwrap_or_default())
            }
            "interactive" => match message
                .interactive
                .and_then(|i| i.button_reply.or(i.list_reply))
            {
                Some(reply) => Body::Choice(reply.id),
                None => Body::Unsupported("interactive".to_owned()),
            },
            // What the customer tapped says what they meant; the payload is
            // the business's own code.
            "button" => match message.button.and_then(|b| b.text.or(b.payload)) {
                Some(payload) => Body::Text(payload),
                None => Body::Unsupported("button".to_owned()),
            },
            other => Body::Unsupported(if other.is_empty() { "unknown" } else { other }.to_owned()),
        };
        // The language of the number's country is the first message's
        // hint, as Telegram's `language_code` is: it answers a message with
        // no text (a photo, a sticker) and decides a text too short to tell
        // ("selam", "ok" from +90 are Turkish); a text that says its
        // language ("hi, where is my order" from +90) decides
        // (`Nlu::first_language`).
        let hint = language_of_number(&message.from).map(str::to_owned);
        Some(Inbound {
            user: self.user(&message.from),
            id: message.id,
            hint,
            customer,
            body,
        })
    }

    /// A reply of just a number to options sent as numbered text: the
    /// option's value. The numbering is recomputed from the newest message
    /// sent to the customer (from the store, so it holds across restarts and
    /// nodes); `None` if that message had no numbered options, the number is
    /// out of range, or the store cannot read (then the text is the text).
    fn numbered_choice(
        &self,
        conversations: &Conversations,
        user: &ChannelUser,
        text: &str,
    ) -> Option<String> {
        let n: usize = text.trim().trim_end_matches(['.', ')']).parse().ok()?;
        let recent = conversations
            .channel_recent(user, NUMBERED_LOOKBACK)
            .map_err(|error| tracing::warn!(channel = %self.channel, %error, "cannot read the options sent: the number is taken as text"))
            .ok()?;
        let at = recent.iter().rposition(|entry| {
            matches!(&entry.body, EntryBody::Message { from, .. } if *from != Sender::Customer)
        })?;
        let (entry, next) = (&recent[at], recent.get(at + 1));
        let numbered = self.numbered_options(conversations, entry, next);
        numbered.get(n.checked_sub(1)?).cloned()
    }

    /// The values of the options `entry` is sent with as numbered text
    /// (empty if it has none, or they go as buttons or a list).
    fn numbered_options(
        &self,
        conversations: &Conversations,
        entry: &TranscriptEntry,
        next: Option<&TranscriptEntry>,
    ) -> Vec<String> {
        let EntryBody::Message { locale, .. } = &entry.body else {
            return Vec::new();
        };
        let Some(text) = message_text(&entry.body, self.site_url.as_ref()) else {
            return Vec::new();
        };
        let choices = choices_of(entry, next);
        compose(text, choices, conversations.list_button_label(locale)).1
    }

    async fn on_status(&self, conversations: &Conversations, status: &Status) {
        if status.status != "failed" {
            return;
        }
        let entry = self
            .sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .get(&status.id)
            .copied();
        let reason = status
            .errors
            .first()
            .map(|e| {
                format!(
                    "WhatsApp: {} (code {})",
                    e.title.as_deref().unwrap_or("failed"),
                    e.code.unwrap_or_default()
                )
            })
            .unwrap_or_else(|| "WhatsApp: failed".to_owned());
        let Some((conversation, seq)) = entry else {
            tracing::warn!(channel = %self.channel, message_id = %status.id, %reason, "a message we do not remember failed");
            return;
        };
        tracing::error!(channel = %self.channel, conversation_id = %conversation, seq, %reason, "WhatsApp could not deliver a message: dead letter");
        metrics::counter!("switchboard_channel_dead_letters_total", "channel" => self.channel.clone())
            .increment(1);
        if let Err(error) = conversations
            .note_dead_letter(&conversation, seq, reason)
            .await
        {
            tracing::error!(conversation_id = %conversation, seq, %error, "cannot note the dead letter on the conversation");
        }
    }
}

/// The language most people write in the country of a WhatsApp number
/// (`wa_id`: the international number without `+`), as the hint for the
/// language of a new conversation: WhatsApp sends no language, and a photo
/// or a "selam" says too little of its own. Only countries with one clear
/// language among the supported ones; `None` for the others (and for a number
/// libphonenumber cannot place).
fn language_of_number(wa_id: &str) -> Option<&'static str> {
    use phonenumber::country::Id;
    let number = phonenumber::parse(None, format!("+{wa_id}")).ok()?;
    Some(match number.country().id()? {
        Id::TR => "tr",
        Id::GR | Id::CY => "el",
        Id::MY | Id::BN => "ms",
        Id::LV => "lv",
        Id::DE | Id::AT | Id::LI => "de",
        Id::FR | Id::MC => "fr",
        Id::ES | Id::MX | Id::AR | Id::CO | Id::CL | Id::PE | Id::VE | Id::EC | Id::UY => "es",
        Id::RU | Id::BY => "ru",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_names_its_countrys_language_where_there_is_one() {
        for (wa_id, language) in [
            ("905321234567", Some("tr")),
            ("306912345678", Some("el")),
            ("60123456789", Some("ms")),
            ("37120012345", Some("lv")),
            ("4915112345678", Some("de")),
            ("33612345678", Some("fr")),
            ("34612345678", Some("es")),
            ("79161234567", Some("ru")),
            // Several languages, or none of ours.
            ("41791234567", None),
            ("14155550123", None),
            ("not a number", None),
        ] {
            assert_eq!(language_of_number(wa_id), language, "{wa_id}");
        }
    }

    fn choices(labels: &[&str]) -> Vec<Choice> {
        labels
            .iter()
            .enumerate()
            .map(|(i, label)| Choice {
                value: format!("intent:{i}"),
                label: (*label).to_owned(),
                short: None,
            })
            .collect()
    }

    fn json(content: &Content) -> serde_json::Value {
        serde_json::to_value(content).expect("JSON")
    }

    #[test]
    fn up_to_three_options_are_reply_buttons_within_twenty_characters() {
        let mut options = choices(&["Yes", "Ο εκπτωτικός μου κωδικός δεν λειτουργεί"]);
        options[0].short = Some("Y".to_owned());
        let (content, numbered) =
            compose("Is it one of these?".into(), options, "See options".into());
        let sent = json(&content);
        assert!(numbered.is_empty());
        assert_eq!(sent["type"], "interactive");
        assert_eq!(sent["interactive"]["type"], "button");
        let buttons = sent["interactive"]["action"]["buttons"]
            .as_array()
            .expect("buttons");
        assert_eq!(buttons.len(), 2);
        assert_eq!(buttons[0]["reply"]["title"], "Y");
        assert_eq!(buttons[1]["reply"]["id"], "intent:1");
        let title = buttons[1]["reply"]["title"].as_str().expect("title");
        assert_eq!(title.chars().count(), BUTTON_TITLE_MAX);
    }

    #[test]
    fn four_to_ten_options_are_a_list_and_more_are_numbered_lines() {
        let labels: Vec<String> = (1..=5)
            .map(|i| format!("A rather long option number {i}"))
            .collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let (content, numbered) =
            compose("Pick one".into(), choices(&labels), "See options".into());
        let sent = json(&content);
        assert!(numbered.is_empty());
        assert_eq!(sent["interactive"]["type"], "list");
        assert_eq!(sent["interactive"]["action"]["button"], "See options");
        let rows = sent["interactive"]["action"]["sections"][0]["rows"]
            .as_array()
            .expect("rows");
        assert_eq!(rows.len(), 5);
        for row in rows {
            assert!(row["title"].as_str().expect("title").chars().count() <= ROW_TITLE_MAX);
            assert!(row["description"]
                .as_str()
                .expect("the full label")
                .starts_with("A rather long"));
        }

        let labels: Vec<String> = (1..=11).map(|i| format!("Option {i}")).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let (content, numbered) =
            compose("Pick one".into(), choices(&labels), "See options".into());
        let sent = json(&content);
        assert_eq!(sent["type"], "text");
        let body = sent["text"]["body"].as_str().expect("body");
        assert!(
            body.contains("\n1. Option 1\n") && body.ends_with("11. Option 11"),
            "{body}"
        );
        assert_eq!(numbered.len(), 11);
        assert_eq!(numbered[10], "intent:10");
    }

    #[test]
    fn a_text_too_long_for_an_interactive_body_numbers_its_options() {
        let text = "x".repeat(INTERACTIVE_BODY_MAX + 1);
        let (content, numbered) = compose(text, choices(&["Yes", "No"]), "See options".into());
        assert_eq!(json(&content)["type"], "text");
        assert_eq!(numbered, vec!["intent:0".to_owned(), "intent:1".to_owned()]);
    }

    #[test]
    fn a_text_over_whatsapps_limit_goes_as_several_messages_and_nothing_is_cut() {
        let text = format!("{} THE END", "x ".repeat(2500));
        let messages = into_messages(plain(text.clone()));
        assert_eq!(messages.len(), 2);
        let bodies: Vec<String> = messages
            .iter()
            .map(|m| json(m)["text"]["body"].as_str().expect("body").to_owned())
            .collect();
        assert!(bodies.iter().all(|b| b.chars().count() <= TEXT_MAX));
        assert!(bodies[1].ends_with("THE END"));
        assert_eq!(bodies.join(" "), text);
    }
}
