//! The HTTP API: `POST /v1/nlu/parse`, and for agents (bearer token)
//! `GET /v1/conversations/{id}`, `GET /v1/insights/unanswered`,
//! `POST /v1/admin/reload`, and for admins the erasure routes
//! (`DELETE /v1/admin/conversations/{id}`, `/v1/admin/customers/{id}`).
//!
//! Errors have the chat channel's codes in PROTOCOL.md's shape,
//! `{"error": {"code", "message"}}`; causes go to the log only.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::auth::{self, AuthError};
use super::AppState;
use crate::conversation::{ConversationError, ParsePreview, Reloaded, UnansweredQuestion};
use crate::domain::{AgentProfile, ConversationId, ErrorCode, Locale, MessageText, TextError};

/// How long a client may take to send a request body.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// An HTTP API failure: its status, code and localised message.
#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
}

impl ApiError {
    /// An error of `code` with its text in English.
    pub(super) fn new(state: &AppState, status: StatusCode, code: ErrorCode) -> Self {
        Self {
            status,
            code,
            message: state.conversations.error_text(None, code),
        }
    }

    /// An error of `code` explained in `message` (English, for the developer
    /// of an integration: what in their request was wrong, never an
    /// internal detail).
    pub(super) fn explained(status: StatusCode, code: ErrorCode, message: &str) -> Self {
        Self {
            status,
            code,
            message: message.to_owned(),
        }
    }

    /// A refused text, in `locale`.
    fn text(state: &AppState, locale: Option<&Locale>, error: TextError) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: ErrorCode::BadRequest,
            message: state.conversations.text_error(locale, error),
        }
    }

    /// An unexpected failure; the cause was logged by [`ConversationError::code`].
    pub(super) fn conversation(state: &AppState, error: &ConversationError) -> Self {
        match error.code() {
            ErrorCode::NotFound => Self::new(state, StatusCode::NOT_FOUND, ErrorCode::NotFound),
            code => Self::new(state, StatusCode::INTERNAL_SERVER_ERROR, code),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// A path the server does not serve: 404 with the API's error body (not
/// axum's empty one), so a client's typo reads as one.
pub(super) async fn no_such_path(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    tracing::debug!(%method, path = uri.path(), "no such path");
    ApiError::explained(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "There is nothing at this path: PROTOCOL.md lists the server's paths.",
    )
}

/// axum's own refusals (its extractors' rejections: a path segment that is
/// not UTF-8, a query that is not, a WebSocket path without the upgrade)
/// are plain text; the API's errors are JSON, so they are rewritten with its
/// error body, their status kept. Plain text the server means (`/readyz`'s
/// 503, a refused origin's 403) is left as it is.
pub(super) async fn json_rejections(response: Response) -> Response {
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/plain"));
    let (code, message) = match response.status() {
        _ if !plain => return response,
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => (
            ErrorCode::BadRequest,
            "The request could not be read: its path, query or headers are not what this \
             path takes (a path segment or parameter must be UTF-8; PROTOCOL.md lists the paths).",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            ErrorCode::TooLarge,
            "The body is larger than this path takes.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            ErrorCode::BadRequest,
            "The body must be JSON, sent with Content-Type: application/json.",
        ),
        StatusCode::UPGRADE_REQUIRED => (
            ErrorCode::BadRequest,
            "This path takes a WebSocket connection.",
        ),
        _ => return response,
    };
    ApiError::explained(response.status(), code, message).into_response()
}

/// A path the server serves, asked with a method it does not take: 405 with
/// the API's error body; axum adds the `Allow` header naming the methods.
pub(super) async fn method_not_allowed(method: axum::http::Method) -> ApiError {
    ApiError::explained(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::BadRequest,
        &format!("This path does not take {method}: the Allow header names the methods it takes."),
    )
}

/// A request body of at most `limit` bytes: a larger declared length is
/// refused before anything is read, and a body that does not arrive within
/// [`BODY_READ_TIMEOUT`] is refused too.
pub(super) async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let too_large = || ApiError::new(state, StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge);
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
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::BadRequest,
        )),
    }
}

#[derive(Deserialize)]
struct ParseRequest {
    text: String,
    #[serde(default)]
    locale: Option<String>,
}

/// `POST /v1/nlu/parse`: the language, intent, entities and ranking of a text.
pub async fn parse(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ParsePreview>, ApiError> {
    let limits = &state.settings.limits;
    if !state.guard.allow_parse(state.guard.client(peer, &headers)) {
        return Err(ApiError::new(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
        ));
    }
    let bytes = read_body(&state, &headers, body, limits.max_frame_bytes).await?;
    let request: ParseRequest = serde_json::from_slice(&bytes).map_err(|error| {
        tracing::debug!(%error, "parse body is not a valid request");
        ApiError::new(&state, StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    })?;
    let text = MessageText::parse(&request.text, limits.max_text_chars).map_err(|error| {
        let locale = request
            .locale
            .as_deref()
            .map(|requested| state.conversations.negotiate(Some(requested)));
        ApiError::text(&state, locale.as_ref(), error)
    })?;
    Ok(Json(
        state
            .conversations
            .parse_preview(&text, request.locale.as_deref()),
    ))
}

/// The agent a staff-only request is from, or the error to answer.
pub(super) fn require_agent(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<AgentProfile, ApiError> {
    let client = state.guard.client(peer, headers);
    match auth::bearer(state, headers, client) {
        Ok(Some(agent)) => Ok(agent),
        Ok(None) | Err(AuthError::Wrong) => Err(ApiError::new(
            state,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
        )),
        Err(AuthError::Throttled) => Err(ApiError::new(
            state,
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
        )),
    }
}

/// An admin's request, or the error to answer (401 for no or a wrong token,
/// 403 for an agent who is not an admin).
fn require_admin(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<AgentProfile, ApiError> {
    let agent = require_agent(state, headers, peer)?;
    if agent.admin {
        return Ok(agent);
    }
    // PROTOCOL.md has one code for both; the message says which it is.
    Err(ApiError::explained(
        StatusCode::FORBIDDEN,
        ErrorCode::Unauthorized,
        "This needs an admin's token: yours signs in an agent who is not an admin.",
    ))
}

/// `GET /v1/insights/unanswered`: questions nothing answered, by locale;
/// the same question (same folded words) counted once, newest first.
pub async fn unanswered(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<BTreeMap<String, Vec<UnansweredQuestion>>>, ApiError> {
    require_agent(&state, &headers, peer)?;
    state
        .conversations
        .unanswered()
        .map(Json)
        .map_err(|error| ApiError::conversation(&state, &error))
}

#[derive(Serialize)]
pub struct ReloadAnswer {
    status: &'static str,
    #[serde(flatten)]
    reloaded: Reloaded,
}

/// `POST /v1/admin/reload`: loads the content again; a broken file leaves the
/// old content live and is reported (`file:line`) to the caller and the log.
pub async fn reload(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<ReloadAnswer>, ApiError> {
    let agent = require_agent(&state, &headers, peer)?;
    match state
        .conversations
        .reload(&state.settings.content_dir)
        .await
    {
        Ok(reloaded) => {
            tracing::info!(agent_id = %agent.id, "content reloaded");
            Ok(Json(ReloadAnswer {
                status: "reloaded",
                reloaded,
            }))
        }
        Err(error) => {
            tracing::error!(agent_id = %agent.id, %error, "reload refused; the previous content stays live");
            // The caller is staff: the problem list is what they need to fix it.
            Err(ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: ErrorCode::BadRequest,
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
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> Result<Json<serde_json::Value>, ApiError> {
    require_agent(&state, &headers, peer)?;
    // Read only after the login is checked, and refused as JSON like every
    // other error here (axum's own rejection is plain text).
    let Query(query) = Query::<ConversationQuery>::try_from_uri(&uri).map_err(|_| {
        ApiError::explained(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            "before must be a transcript seq: a whole number, at most once",
        )
    })?;
    let not_found = || ApiError::new(&state, StatusCode::NOT_FOUND, ErrorCode::NotFound);
    let id: ConversationId = id.parse().map_err(|_| not_found())?;
    let found = match query.before {
        Some(before) => state
            .conversations
            .history(&id, before)
            .await
            .map(|history| super::agent::history_json(&history)),
        None => state
            .conversations
            .context(&id)
            .await
            .map(|context| super::agent::context_json(&context)),
    };
    found
        .map(Json)
        .map_err(|error| ApiError::conversation(&state, &error))
}

#[derive(Serialize)]
pub struct Erased {
    erased: usize,
}

/// `DELETE /v1/admin/conversations/{id}`: erases a conversation and
/// everything about it (admins only); 404 when unknown.
pub async fn erase_conversation(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Erased>, ApiError> {
    let admin = require_admin(&state, &headers, peer)?;
    let not_found = || ApiError::new(&state, StatusCode::NOT_FOUND, ErrorCode::NotFound);
    let id: ConversationId = id.parse().map_err(|_| not_found())?;
    match state.conversations.erase(&id).await {
        Ok(true) => {
            tracing::info!(admin = %admin.id, conversation_id = %id, "erased on request");
            Ok(Json(Erased { erased: 1 }))
        }
        Ok(false) => Err(not_found()),
        Err(error) => Err(ApiError::conversation(&state, &error)),
    }
}

/// `DELETE /v1/admin/customers/{id}`: erases every conversation of the
/// customer with this `customer.id` (admins only); how many there were.
pub async fn erase_customer(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(customer): Path<String>,
) -> Result<Json<Erased>, ApiError> {
    let admin = require_admin(&state, &headers, peer)?;
    match state.conversations.erase_customer(&customer).await {
        Ok(erased) => {
            tracing::info!(admin = %admin.id, erased, "customer erased on request");
            Ok(Json(Erased { erased }))
        }
        Err(error) => Err(ApiError::conversation(&state, &error)),
    }
}
