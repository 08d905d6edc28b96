//! JSON HTTP endpoints: `POST /v1/nlu/parse`, and for agents (bearer token)
//! `GET /v1/insights/unanswered` and `POST /v1/admin/reload`.
//!
//! Errors have the chat channel's codes in PROTOCOL.md's shape,
//! `{"error": {"code", "message"}}`; details go to the log only.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use sha2::{Digest, Sha256};

use super::guard::Client;
use super::AppState;
use crate::config::AgentConfig;

/// How long a client may take to send a request body.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
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

/// A request body of at most `limit` bytes: a larger declared length is
/// refused before anything is read, and a body that does not arrive within
/// [`BODY_READ_TIMEOUT`] is refused too.
async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let english = state.conversations.engine().content().l10n.default_locale();
    let too_large = || {
        ApiError::new(
            state,
            &english,
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            None,
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(BODY_READ_TIMEOUT, to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => {
            tracing::debug!(%error, "request body over the limit or unreadable");
            Err(too_large())
        }
        Err(_) => Err(ApiError::new(
            state,
            &english,
            StatusCode::REQUEST_TIMEOUT,
            "bad_request",
            None,
        )),
    }
}

/// `POST /v1/nlu/parse`: the language, intent, entities and ranking of a text.
pub async fn parse(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ParseResponse>, ApiError> {
    let limits = &state.settings.limits;
    let content = state.conversations.engine().content();
    let english = content.l10n.default_locale();
    if !state.guard.allow_parse(state.guard.client(peer, &headers)) {
        return Err(ApiError::new(
            &state,
            &english,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            None,
        ));
    }
    let bytes = read_body(&state, &headers, body, limits.max_frame_bytes).await?;
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

/// Why a bearer token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerError {
    /// Not a configured agent's token.
    Wrong,
    /// The address guessed wrong too often and must wait.
    Throttled,
}

impl BearerError {
    pub fn code(self) -> &'static str {
        match self {
            BearerError::Wrong => "unauthorized",
            BearerError::Throttled => "rate_limited",
        }
    }
}

/// The configured agent whose token the request carries as
/// `Authorization: Bearer <token>`; `Ok(None)` when it carries none. Wrong
/// tokens count against the client's address (back-off after a few).
pub fn bearer_agent<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    client: Client,
) -> Result<Option<&'a AgentConfig>, BearerError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    if !state.guard.auth_allowed(client.ip) {
        return Err(BearerError::Throttled);
    }
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    match agent_by_token(state, token) {
        Some(agent) => {
            state.guard.auth_succeeded(client.ip);
            Ok(Some(agent))
        }
        None => {
            state.guard.auth_failed(client.ip);
            Err(BearerError::Wrong)
        }
    }
}

/// The agent a staff-only HTTP request is from, or the error to answer.
fn require_agent<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<&'a AgentConfig, ApiError> {
    let client = state.guard.client(peer, headers);
    match bearer_agent(state, headers, client) {
        Ok(Some(agent)) => Ok(agent),
        Ok(None) | Err(BearerError::Wrong) => Err(unauthorized(state)),
        Err(BearerError::Throttled) => {
            let english = state.conversations.engine().content().l10n.default_locale();
            Err(ApiError::new(
                state,
                &english,
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                None,
            ))
        }
    }
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
    last_asked: crate::domain::Timestamp,
}

/// How many logged questions the insights read.
const INSIGHTS_WINDOW: usize = 5_000;

/// `GET /v1/insights/unanswered`: questions nothing answered, by locale;
/// the same question (same folded words) counted once, newest first.
pub async fn unanswered(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<BTreeMap<String, Vec<UnansweredQuestion>>>, ApiError> {
    require_agent(&state, &headers, peer)?;
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<Reloaded>, ApiError> {
    let agent = require_agent(&state, &headers, peer)?;
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<ConversationQuery>,
) -> Result<Response, ApiError> {
    require_agent(&state, &headers, peer)?;
    let english = state.conversations.engine().content().l10n.default_locale();
    let not_found = || ApiError::new(&state, &english, StatusCode::NOT_FOUND, "not_found", None);
    let id: crate::domain::ConversationId = id.parse().map_err(|_| not_found())?;
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

#[derive(Serialize)]
pub struct Erased {
    erased: usize,
}

/// An admin's request, or the error to answer (401 for no or a wrong token,
/// 403 for an agent who is not an admin).
fn require_admin<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<&'a AgentConfig, ApiError> {
    let agent = require_agent(state, headers, peer)?;
    if agent.admin {
        return Ok(agent);
    }
    let english = state.conversations.engine().content().l10n.default_locale();
    Err(ApiError::new(
        state,
        &english,
        StatusCode::FORBIDDEN,
        "unauthorized",
        None,
    ))
}

fn erase_failed(state: &AppState, error: &crate::conversation::ConversationError) -> ApiError {
    tracing::error!(%error, "erasure failed");
    let english = state.conversations.engine().content().l10n.default_locale();
    ApiError::new(
        state,
        &english,
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        None,
    )
}

/// `DELETE /v1/admin/conversations/{id}`: erases a conversation and
/// everything about it (admins only); 404 when unknown.
pub async fn erase_conversation(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<Erased>, ApiError> {
    let admin = require_admin(&state, &headers, peer)?;
    let english = state.conversations.engine().content().l10n.default_locale();
    let not_found = || ApiError::new(&state, &english, StatusCode::NOT_FOUND, "not_found", None);
    let id: crate::domain::ConversationId = id.parse().map_err(|_| not_found())?;
    match state.conversations.erase(&id).await {
        Ok(true) => {
            tracing::info!(admin = %admin.name, conversation_id = %id, "erased on request");
            Ok(Json(Erased { erased: 1 }))
        }
        Ok(false) => Err(not_found()),
        Err(error) => Err(erase_failed(&state, &error)),
    }
}

/// `DELETE /v1/admin/customers/{id}`: erases every conversation of the
/// customer with this `customer.id` (admins only); how many there were.
pub async fn erase_customer(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::extract::Path(customer): axum::extract::Path<String>,
) -> Result<Json<Erased>, ApiError> {
    let admin = require_admin(&state, &headers, peer)?;
    match state.conversations.erase_customer(&customer).await {
        Ok(erased) => {
            tracing::info!(admin = %admin.name, erased, "customer erased on request");
            Ok(Json(Erased { erased }))
        }
        Err(error) => Err(erase_failed(&state, &error)),
    }
}
