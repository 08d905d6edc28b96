//! JSON HTTP endpoints: `POST /v1/nlu/parse`.
//!
//! Errors have the chat channel's codes in PROTOCOL.md's shape,
//! `{"error": {"code", "message"}}`; details go to the log only.

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::AppState;
use crate::l10n::{Locale, Msg};

/// An HTTP API failure: its status, code and localised message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(
        state: &AppState,
        locale: &Locale,
        status: StatusCode,
        code: &'static str,
        msg: Option<Msg<'_>>,
    ) -> Self {
        let l10n = &state.conversations.engine().content().l10n;
        Self {
            status,
            code,
            message: l10n.text(locale, &msg.unwrap_or(Msg::Error { code })),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

#[derive(Deserialize)]
struct ParseRequest {
    text: String,
    #[serde(default)]
    locale: Option<String>,
}

#[derive(Serialize)]
struct Ranked {
    intent: String,
    confidence: f64,
}

#[derive(Serialize)]
pub struct ParseResponse {
    language: String,
    intent: Option<String>,
    confidence: f64,
    entities: Vec<crate::nlu::Entity>,
    ranking: Vec<Ranked>,
}

/// `POST /v1/nlu/parse`: the language, intent, entities and ranking of a text.
pub async fn parse(
    State(state): State<AppState>,
    body: Body,
) -> Result<Json<ParseResponse>, ApiError> {
    let limits = &state.settings.limits;
    let content = state.conversations.engine().content();
    let english = content.l10n.default_locale();
    let bytes = to_bytes(body, limits.max_frame_bytes)
        .await
        .map_err(|error| {
            tracing::debug!(%error, "parse body over the limit or unreadable");
            ApiError::new(
                &state,
                &english,
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                None,
            )
        })?;
    let request: ParseRequest = serde_json::from_slice(&bytes).map_err(|error| {
        tracing::debug!(%error, "parse body is not a valid request");
        ApiError::new(
            &state,
            &english,
            StatusCode::BAD_REQUEST,
            "bad_request",
            None,
        )
    })?;
    let hint = request
        .locale
        .as_deref()
        .map(|requested| content.l10n.negotiate(Some(requested)));
    let locale = hint.clone().unwrap_or(english);
    let text = request.text.trim();
    if text.is_empty() {
        return Err(ApiError::new(
            &state,
            &locale,
            StatusCode::BAD_REQUEST,
            "bad_request",
            Some(Msg::TextEmpty),
        ));
    }
    if text.chars().count() > limits.max_text_chars {
        let msg = Msg::TextTooLong {
            max: limits.max_text_chars,
        };
        return Err(ApiError::new(
            &state,
            &locale,
            StatusCode::BAD_REQUEST,
            "bad_request",
            Some(msg),
        ));
    }
    let parse = content.nlu.parse(text, hint.as_ref().map(Locale::as_str));
    let name = |index: usize| content.nlu.intents()[index].name.clone();
    let confidence = parse
        .intent
        .as_ref()
        .or(parse.ranking.first())
        .map_or(0.0, |m| m.confidence);
    Ok(Json(ParseResponse {
        language: parse.language,
        intent: parse.intent.as_ref().map(|m| name(m.intent)),
        confidence,
        entities: parse.entities,
        ranking: parse
            .ranking
            .iter()
            .map(|m| Ranked {
                intent: name(m.intent),
                confidence: m.confidence,
            })
            .collect(),
    }))
}
