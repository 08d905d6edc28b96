//! Plain HTTP routes: health, readiness, metrics, and the pages the binary
//! serves itself (the demo shop with the widget, the agent console, the
//! insights page).

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::guard::{Client, SocketRefusal};
use super::AppState;
use crate::domain::ErrorCode;

/// What the pages may load and who may frame them (OWASP's secure headers):
/// scripts and connections only from this server, no framing. Styles may be
/// inline: the pages and the widget carry their own.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 once content is loaded and the store is open and can write; 503
/// (with the reason) before that, while shutting down, and while the store
/// cannot write (a full disk): nothing would be acknowledged then.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if !state.ready.load(Ordering::Acquire) || state.shutdown.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response();
    }
    match state.conversations.store_health() {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: the store cannot write ({reason})\n"),
        )
            .into_response(),
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let body = state
        .metrics
        .as_ref()
        .map(|handle| handle.render())
        .unwrap_or_default();
    let body = crate::telemetry::complete(body);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

pub async fn index() -> Response {
    page(include_str!("../../web/index.html"))
}

/// The chat widget any site can embed with one `<script>` tag.
pub async fn widget() -> Response {
    javascript(include_str!("../../web/widget.js"))
}

pub async fn agent_console() -> Response {
    page(include_str!("../../web/agent.html"))
}

/// The insights page for support leads; its data needs an agent's token.
pub async fn insights_page() -> Response {
    page(include_str!("../../web/insights.html"))
}

pub async fn insights_script() -> Response {
    javascript(include_str!("../../web/insights.js"))
}

fn page(html: &'static str) -> Response {
    page_with(StatusCode::OK, html.to_owned())
}

/// An HTML page with the pages' security headers.
pub(super) fn page_with(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        ],
        html,
    )
        .into_response()
}

/// CORS for the HTTP API: browsers on the listed origins may call it (with
/// an agent's bearer token); none when the list is empty.
pub fn cors(allowed: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = allowed
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
}

/// A WebSocket upgrade from a browser page on an origin that may not use it.
pub fn refuse_origin() -> Response {
    tracing::info!("WebSocket refused: origin not allowed");
    super::api::ApiError::explained(
        StatusCode::FORBIDDEN,
        ErrorCode::Unauthorized,
        "This page's origin may not open this WebSocket: see limits.allowed_origins.",
    )
    .into_response()
}

/// A WebSocket upgrade the caps have no room for.
pub fn refuse_socket(refusal: SocketRefusal, client: Client) -> Response {
    let why = match refusal {
        SocketRefusal::Full => "the server is at its connection limit",
        SocketRefusal::AddressFull => "too many connections from this address",
    };
    tracing::warn!(client = %client.ip, why, "WebSocket refused");
    metrics::counter!("switchboard_sockets_refused_total").increment(1);
    let mut response = super::api::ApiError::explained(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::RateLimited,
        &format!("{why}; try again in a few seconds (Retry-After)."),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    response
}

pub async fn agent_script() -> Response {
    javascript(include_str!("../../web/agent.js"))
}

fn javascript(source: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // Embedding sites load the widget cross-origin.
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        source,
    )
        .into_response()
}
