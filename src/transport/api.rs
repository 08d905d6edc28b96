//! JSON HTTP endpoints: `POST /v1/nlu/parse`, and for agents (bearer token)
//! `GET /v1/insights/unanswered` and `POST /v1/admin/reload`.
//!
//! Errors have the chat channel's codes in PROTOCOL.md's shape,
//! `{"error": {"code", "message"}}`; details go to the log only.

use std::collections::{BTreeMap, HashMap};

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use sha2::{Digest, Sha256};

use super::AppState;
use crate::config::AgentConfig;
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

/// The configured agent whose token the request carries as
/// `Authorization: Bearer <token>`.
pub fn bearer_agent<'a>(state: &'a AppState, headers: &HeaderMap) -> Option<&'a AgentConfig> {
    let token = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim();
    agent_by_token(state, token)
}

/// The agent whose token hashes to a configured `token_sha256`.
pub fn agent_by_token<'a>(state: &'a AppState, token: &str) -> Option<&'a AgentConfig> {
    let digest = hex::encode(Sha256::digest(token.as_bytes()));
    state
        .settings
        .agents
        .iter()
        .find(|agent| agent.token_sha256.eq_ignore_ascii_case(&digest))
}

fn unauthorized(state: &AppState) -> ApiError {
    let english = state.conversations.engine().content().l10n.default_locale();
    ApiError::new(
        state,
        &english,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
    )
}

#[derive(Serialize)]
pub struct UnansweredQuestion {
    text: String,
    count: usize,
    last_asked: String,
}

/// How many logged questions the insights read.
const INSIGHTS_WINDOW: usize = 5_000;

/// `GET /v1/insights/unanswered`: questions nothing answered, by locale;
/// the same question (same folded words) counted once, newest first.
pub async fn unanswered(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<BTreeMap<String, Vec<UnansweredQuestion>>>, ApiError> {
    if bearer_agent(&state, &headers).is_none() {
        return Err(unauthorized(&state));
    }
    let questions = state
        .conversations
        .store()
        .unanswered(INSIGHTS_WINDOW)
        .map_err(|error| {
            tracing::error!(%error, "cannot read unanswered questions");
            let english = state.conversations.engine().content().l10n.default_locale();
            ApiError::new(
                &state,
                &english,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                None,
            )
        })?;
    let mut by_locale: BTreeMap<String, Vec<UnansweredQuestion>> = BTreeMap::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    // Newest first: the first occurrence of a question is its latest.
    for question in questions {
        let key = (
            question.locale.clone(),
            crate::nlu::normalize::phrase_key(&question.text, &question.locale),
        );
        let list = by_locale.entry(question.locale.clone()).or_default();
        match seen.get(&key) {
            Some(&at) => list[at].count += 1,
            None => {
                seen.insert(key, list.len());
                list.push(UnansweredQuestion {
                    text: question.text,
                    count: 1,
                    last_asked: question.ts,
                });
            }
        }
    }
    Ok(Json(by_locale))
}

#[derive(Serialize)]
pub struct Reloaded {
    status: &'static str,
    intents: usize,
    articles: usize,
    locales: Vec<String>,
}

/// `POST /v1/admin/reload`: loads the content again; a broken file leaves the
/// old content live and is reported (`file:line`) to the caller and the log.
pub async fn reload(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Reloaded>, ApiError> {
    let Some(agent) = bearer_agent(&state, &headers) else {
        return Err(unauthorized(&state));
    };
    match state
        .conversations
        .reload(&state.settings.content_dir)
        .await
    {
        Ok(content) => {
            tracing::info!(agent = %agent.name, "content reloaded");
            Ok(Json(Reloaded {
                status: "reloaded",
                intents: content.nlu.intents().len(),
                articles: content.knowledge.articles().len(),
                locales: content
                    .l10n
                    .locales()
                    .map(|l| l.as_str().to_owned())
                    .collect(),
            }))
        }
        Err(error) => {
            tracing::error!(agent = %agent.name, %error, "reload refused; the previous content stays live");
            // The caller is staff: the problem list is what they need to fix it.
            Err(ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "bad_request",
                message: format!("reload refused, the previous content stays live: {error}"),
            })
        }
    }
}

#[derive(Deserialize)]
pub struct ConversationQuery {
    /// Older entries than this seq instead of the context.
    before: Option<u64>,
}

/// `GET /v1/conversations/{id}`: the context an agent sees, with the newest
/// part of the transcript; `?before=SEQ`: the older entries before SEQ.
pub async fn conversation(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<ConversationQuery>,
) -> Result<Response, ApiError> {
    if bearer_agent(&state, &headers).is_none() {
        return Err(unauthorized(&state));
    }
    let english = state.conversations.engine().content().l10n.default_locale();
    let not_found = || ApiError::new(&state, &english, StatusCode::NOT_FOUND, "not_found", None);
    let id: crate::storage::ConversationId = id.parse().map_err(|_| not_found())?;
    let found = match query.before {
        Some(before) => state
            .conversations
            .history(&id, before)
            .await
            .map(|history| Json(history).into_response()),
        None => state
            .conversations
            .context(&id)
            .await
            .map(|context| Json(context).into_response()),
    };
    match found {
        Ok(response) => Ok(response),
        Err(crate::conversation::ConversationError::NotFound) => Err(not_found()),
        Err(error) => {
            let code = super::error_code(&error);
            Err(ApiError::new(
                &state,
                &english,
                StatusCode::INTERNAL_SERVER_ERROR,
                code,
                None,
            ))
        }
    }
}
