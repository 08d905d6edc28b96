//! Plain HTTP routes: health, readiness, metrics, and the pages the binary
//! serves itself (the demo shop with the widget, the agent console).

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.ready.load(Ordering::Acquire) && !state.shutdown.is_cancelled() {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response()
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let body = state
        .metrics
        .as_ref()
        .map(|handle| handle.render())
        .unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

pub async fn index() -> Html<&'static str> {
    Html(include_str!("../../web/index.html"))
}

/// The chat widget any site can embed with one `<script>` tag.
pub async fn widget() -> Response {
    javascript(include_str!("../../web/widget.js"))
}

pub async fn agent_console() -> Html<&'static str> {
    Html(include_str!("../../web/agent.html"))
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
        ],
        source,
    )
        .into_response()
}
