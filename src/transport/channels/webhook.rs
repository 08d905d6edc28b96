//! The generic webhook channel: a company's own integration posts customer
//! messages to `POST /v1/channels/webhook/<name>` and receives every entry
//! for them at its `callback_url`, both ways signed with Standard Webhooks
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature`; a timestamp more
//! than 5 minutes off is refused, against replay).

use axum::body::Body as HttpBody;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::outbox::{Provider, SendError};
use super::telegram::retry_after_header;
use super::{
    count_inbound, receive, survey_buttons, survey_follows, Body, Inbound, Refused, BODY_LIMIT,
    KEY_MAX_CHARS,
};
use crate::actions::signature;
use crate::config::WebhookChannelConfig;
use crate::conversation::Conversations;
use crate::domain::{
    ChannelKind, ChannelUser, ConversationId, Customer, EntryBody, ErrorCode, QuickReply, Sender,
    TranscriptEntry,
};
use crate::transport::api::ApiError;
use crate::transport::wire::EntryFrame;
use crate::transport::AppState;

/// One configured webhook integration.
pub(super) struct Webhook {
    config: WebhookChannelConfig,
    client: reqwest::Client,
    channel: String,
}

/// The inbound body. Fields it does not name are ignored: an integration
/// that adds one of its own (or sends one of a later version) must not break.
#[derive(Deserialize)]
struct Request {
    user: String,
    id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    choice: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    customer: Option<Customer>,
}

/// An entry ready to post: its `webhook-id` (`<conversation>:<seq>`), its
/// conversation and the entry as the web widget gets it.
pub(super) struct Outgoing {
    id: String,
    conversation: ConversationId,
    entry: serde_json::Value,
}

impl Webhook {
    pub(super) fn new(config: WebhookChannelConfig, client: reqwest::Client) -> Self {
        let channel = format!("webhook/{}", config.name);
        Self {
            config,
            client,
            channel,
        }
    }
}

impl Provider for Webhook {
    type Outgoing = Outgoing;

    fn channel(&self) -> &str {
        &self.channel
    }

    /// Every entry but the customer's own messages, as the web widget gets
    /// it; the closing message before a `closed` that asks for a rating
    /// also carries the survey as quick replies (`rating:1` to `rating:5`),
    /// as on Telegram and WhatsApp, since an integration has no survey form.
    fn render(
        &self,
        _conversations: &Conversations,
        conversation: ConversationId,
        entry: &TranscriptEntry,
        next: Option<&TranscriptEntry>,
    ) -> Option<Outgoing> {
        if matches!(
            entry.body,
            EntryBody::Message {
                from: Sender::Customer,
                ..
            }
        ) {
            return None;
        }
        let rendered = match (&entry.body, survey_follows(next)) {
            (EntryBody::Message { .. }, true) => {
                let mut closing = entry.clone();
                if let EntryBody::Message { quick_replies, .. } = &mut closing.body {
                    quick_replies.extend(survey_buttons().map(|(value, label)| QuickReply {
                        label,
                        value,
                        short: None,
                    }));
                }
                serde_json::to_value(EntryFrame::from(&closing))
            }
            _ => serde_json::to_value(EntryFrame::from(entry)),
        };
        let entry_json = match rendered {
            Ok(value) => value,
            Err(error) => {
                tracing::error!(channel = %self.channel, conversation_id = %conversation, seq = entry.seq, %error, "cannot render an entry for the callback: not sent");
                return None;
            }
        };
        Some(Outgoing {
            id: format!("{conversation}:{}", entry.seq),
            conversation,
            entry: entry_json,
        })
    }

    async fn send(&self, user: &ChannelUser, outgoing: &Outgoing) -> Result<(), SendError> {
        let body = serde_json::to_vec(&json!({
            "user": user.user,
            "conversation": outgoing.conversation,
            "entry": outgoing.entry,
        }))
        .map_err(|e| SendError::Permanent(e.to_string()))?;
        let timestamp = signature::unix_now();
        let signed = signature::sign(self.config.secret.bytes(), &outgoing.id, timestamp, &body);
        let response = self
            .client
            .post(self.config.callback_url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(signature::ID, &outgoing.id)
            .header(signature::TIMESTAMP, timestamp.to_string())
            .header(signature::SIGNATURE, signed)
            .body(body)
            .send()
            .await
            .map_err(SendError::transport)?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let after = retry_after_header(response.headers());
        Err(SendError::status(
            status,
            after,
            "the callback refused it".to_owned(),
        ))
    }

    async fn typing(&self, _user: &ChannelUser, _on: bool) {
        // The callback carries transcript entries only.
    }
}

/// `POST /v1/channels/webhook/<name>`: `{user, id, text | choice, locale?,
/// customer?}`, signed. 200 `{conversation, seq}` once stored (a repeated
/// `id` gets the same answer); 401 for a missing, wrong or stale signature;
/// 400 for a body that is not as above or a choice that makes no sense now;
/// 503 if the store failed (retry).
pub(super) async fn inbound(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: HttpBody,
) -> Response {
    let Some(hook) = state.channels.webhook(&name) else {
        return ApiError::explained(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no webhook channel of this name",
        )
        .into_response();
    };
    let bytes = match super::super::api::read_body(&state, &headers, body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            count_inbound(&hook.channel, "bad_request");
            return error.into_response();
        }
    };
    if let Err(refusal) = signature::verify(
        hook.config.secret.bytes(),
        &headers,
        &bytes,
        signature::unix_now(),
    ) {
        tracing::warn!(channel = %hook.channel, %refusal, "webhook request refused");
        count_inbound(&hook.channel, "unauthorized");
        // The sender's developer learns what to fix (a stale timestamp, no
        // matching signature); nothing secret is in it.
        return ApiError::explained(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            &refusal.to_string(),
        )
        .into_response();
    }
    let bad_request = |why: &str| {
        tracing::info!(channel = %hook.channel, why, "webhook request is not valid");
        count_inbound(&hook.channel, "bad_request");
        ApiError::explained(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, why).into_response()
    };
    // An object only: serde would also read a struct from a JSON array.
    let request: Request = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value @ serde_json::Value::Object(_)) => match serde_json::from_value(value) {
            Ok(request) => request,
            Err(error) => {
                return bad_request(&format!(
                    "not the expected object: {}",
                    crate::transport::wire::json_shape_error(&error)
                ));
            }
        },
        _ => return bad_request("not a JSON object"),
    };
    let key_ok = |k: &str| !k.trim().is_empty() && k.chars().count() <= KEY_MAX_CHARS;
    if !key_ok(&request.user) || !key_ok(&request.id) {
        return bad_request("user and id must be 1 to 256 characters");
    }
    if let Some(customer) = &request.customer {
        if let Err(why) = crate::transport::wire::check_customer(customer) {
            return bad_request(why);
        }
    }
    let body = match (request.text, request.choice) {
        (Some(text), None) => Body::Text(text),
        (None, Some(choice)) => Body::Choice(choice),
        _ => return bad_request("exactly one of text and choice"),
    };
    let inbound = Inbound {
        user: ChannelUser {
            kind: ChannelKind::Webhook,
            name: hook.config.name.clone(),
            user: request.user,
        },
        id: request.id.clone(),
        hint: request.locale,
        customer: request.customer,
        body,
    };
    match receive(&state, inbound).await {
        Ok(received) => Json(json!({
            "conversation": received.conversation,
            "seq": received.seq,
        }))
        .into_response(),
        Err(Refused::Invalid(why)) => bad_request(why),
        Err(Refused::Unavailable(error)) => {
            super::refused_response(&hook.channel, &request.id, &Refused::Unavailable(error));
            ApiError::new(&state, StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Internal)
                .into_response()
        }
    }
}
