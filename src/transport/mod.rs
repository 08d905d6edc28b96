//! The edge: the accept loop, axum routes, the two WebSocket channels and
//! the wire types. It talks to the conversation layer only (and reads its
//! limits from the configuration); nothing below this module knows about
//! sockets or HTTP.
//!
//! - `server`: the accept loop (timeouts, a shutdown that cannot be held up).
//! - `guard`: per-address and total limits, client addresses behind proxies.
//! - `socket`: what both WebSocket channels share: limits, writer, one read loop.
//! - `customer` (`/v1/chat`) and `agent` (`/v1/agent`): the two channels.
//! - `wire`: customer frames, and transcript entries as they travel.
//! - `auth`: agent tokens.
//! - `api`: the HTTP API; `http`: health, metrics and the pages.
//! - `insights`: the insights report as JSON and CSV, for the page
//!   `/agent/insights`.
//! - `channels`: messaging channels (Telegram, WhatsApp, webhook): inbound
//!   webhooks and the delivery worker.
//! - `conformance`: an echo endpoint for the Autobahn cases (off by default).

mod agent;
mod api;
mod auth;
pub mod channels;
mod conformance;
mod customer;
pub mod guard;
mod help;
mod http;
mod insights;
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
use crate::conversation::Conversations;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The server's state behind [`AppState`].
pub struct Shared {
    /// The settings the server started with.
    pub settings: Settings,
    /// The conversation layer: the only way into the engine.
    pub conversations: Arc<Conversations>,
    /// True once content is loaded and the store is open.
    pub ready: AtomicBool,
    /// Cancelled when the server begins to shut down.
    pub shutdown: CancellationToken,
    /// Every upgraded socket, so shutdown can wait for them to close.
    pub tracker: TaskTracker,
    /// Renders `/metrics`; `None` if the Prometheus recorder could not be
    /// installed (one was already installed in this process, e.g. by an
    /// earlier server in the same test binary).
    pub metrics: Option<PrometheusHandle>,
    /// Per-address and total limits at the edge.
    pub guard: Arc<guard::Guard>,
    /// The configured agents, by token hash.
    pub agents: auth::Agents,
    /// The messaging channels and their delivery workers.
    pub channels: Arc<channels::Channels>,
}

impl AppState {
    /// Shares `shared` with every handler.
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

/// The configured agents as the edge checks their tokens.
pub fn agents(settings: &Settings) -> auth::Agents {
    auth::Agents::new(&settings.agents)
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Every route: the pages, health, metrics, the two WebSocket channels, the
/// conformance echo (answering only when configured), the HTTP API (with
/// CORS for the allowed origins), and the demo shop's backend
/// (`POST /demo/shop/...`) when it is on.
pub fn router(state: AppState) -> Router {
    let demo_shop = state.settings.demo_shop.clone();
    let api = Router::new()
        .route("/v1/conversations/{id}", get(api::conversation))
        .route("/v1/nlu/parse", post(api::parse))
        .route("/v1/insights/unanswered", get(api::unanswered))
        .route("/v1/insights", get(insights::report))
        .route("/v1/insights/daily.csv", get(insights::daily_csv))
        .route("/v1/insights/unanswered.csv", get(insights::unanswered_csv))
        .route("/v1/admin/reload", post(api::reload))
        .route(
            "/v1/admin/conversations/{id}",
            axum::routing::delete(api::erase_conversation),
        )
        .route(
            "/v1/admin/customers/{id}",
            axum::routing::delete(api::erase_customer),
        )
        // Before the CORS layer, which answers the preflight `OPTIONS`.
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(http::cors(state.guard.allowed_origins()));
    let router = Router::new()
        .route("/", get(http::index))
        .route("/widget.js", get(http::widget))
        .route("/agent", get(http::agent_console))
        .route("/agent.js", get(http::agent_script))
        .route("/agent/insights", get(http::insights_page))
        .route("/agent/insights.js", get(http::insights_script))
        .route("/help/{id}", get(help::article))
        .route("/healthz", get(http::healthz))
        .route("/readyz", get(http::readyz))
        .route("/metrics", get(http::metrics))
        .route("/v1/chat", get(customer::upgrade))
        .route("/v1/agent", get(agent::upgrade))
        .route("/v1/conformance/echo", get(conformance::echo))
        .method_not_allowed_fallback(api::method_not_allowed)
        .merge(api)
        .merge(channels::routes().method_not_allowed_fallback(api::method_not_allowed))
        .fallback(api::no_such_path)
        .layer(axum::middleware::map_response(api::json_rejections))
        .with_state(state);
    match demo_shop {
        Some(secret) => router.merge(crate::actions::demo::router(secret.bytes().to_vec())),
        None => router,
    }
}
