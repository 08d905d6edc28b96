//! The edge: axum routes, the WebSocket loops and the wire types. Nothing
//! below this module knows about sockets or HTTP.

mod agent;
mod api;
pub mod chat;
mod conformance;
pub mod guard;
mod http;
pub mod server;
mod socket;
pub mod wire;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Settings;
use crate::conversation::{ConversationError, Conversations};
use crate::handoff::HandoffError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub settings: Settings,
    pub conversations: Arc<Conversations>,
    /// True once content is loaded and the store is open.
    pub ready: AtomicBool,
    /// Cancelled when the server begins to shut down.
    pub shutdown: CancellationToken,
    /// Every upgraded socket, so shutdown can wait for them to close.
    pub tracker: TaskTracker,
    pub metrics: Option<PrometheusHandle>,
    /// Per-address and total limits at the edge.
    pub guard: Arc<guard::Guard>,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/conversations/{id}", get(api::conversation))
        .route("/v1/nlu/parse", post(api::parse))
        .route("/v1/insights/unanswered", get(api::unanswered))
        .route("/v1/admin/reload", post(api::reload))
        .route(
            "/v1/admin/conversations/{id}",
            axum::routing::delete(api::erase_conversation),
        )
        .route(
            "/v1/admin/customers/{id}",
            axum::routing::delete(api::erase_customer),
        )
        .layer(http::cors(state.guard.allowed_origins()));
    Router::new()
        .route("/", get(http::index))
        .route("/widget.js", get(http::widget))
        .route("/agent", get(http::agent_console))
        .route("/agent.js", get(http::agent_script))
        .route("/healthz", get(http::healthz))
        .route("/readyz", get(http::readyz))
        .route("/metrics", get(http::metrics))
        .route("/v1/chat", get(chat::upgrade))
        .route("/v1/agent", get(agent::upgrade))
        .route("/v1/conformance/echo", get(conformance::echo))
        .merge(api)
        .with_state(state)
}

/// The protocol error code for a failure inside a conversation; unexpected
/// causes are logged here, and the client only sees `internal`.
pub fn error_code(error: &ConversationError) -> &'static str {
    match error {
        ConversationError::Invalid(_) => "bad_request",
        ConversationError::NotFound | ConversationError::Handoff(HandoffError::NotFound) => {
            "not_found"
        }
        ConversationError::Handoff(HandoffError::HeldByOther(_)) => "already_claimed",
        // The conversation layer turns a full queue into a message; never reached.
        ConversationError::Handoff(HandoffError::QueueFull(_) | HandoffError::AddressFull(_)) => {
            "internal"
        }
        ConversationError::Store(cause)
        | ConversationError::Handoff(HandoffError::Store(cause)) => {
            tracing::error!(error = %cause, "store failure");
            "internal"
        }
    }
}
