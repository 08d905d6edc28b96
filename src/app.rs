//! Builds the application (content, store, router), binds the listener and
//! serves until told to stop.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use metrics_exporter_prometheus::PrometheusBuilder;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Settings;
use crate::conversation::{Content, ContentError, Conversations};
use crate::handoff::Handoff;
use crate::storage::{SledStore, StoreError};
use crate::transport::{self, AppState, Shared};

/// How long shutdown waits for sockets to close before flushing anyway.
const SOCKET_DRAIN: Duration = Duration::from_secs(5);
/// Handoff events waiting for the conversation layer; when full, the
/// handoff publisher tries again on its next pass.
const HANDOFF_EVENTS: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("cannot load the content: {0}")]
    Content(#[from] ContentError),
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("cannot load the handoff queue: {0}")]
    Handoff(String),
    #[error("cannot open the store in {path}: {source}")]
    Store {
        path: std::path::PathBuf,
        source: StoreError,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

pub struct App {
    listener: TcpListener,
    /// SIGHUP, registered before the server says it is listening: a SIGHUP
    /// that arrives early must reload, not kill the process.
    #[cfg(unix)]
    hangups: Option<tokio::signal::unix::Signal>,
    addr: SocketAddr,
    state: AppState,
    store: Arc<SledStore>,
}

impl App {
    /// Loads content, opens the store and binds the listener (port 0 picks a free port).
    pub async fn build(settings: Settings) -> Result<Self, AppError> {
        let content = Arc::new(Content::load(&settings.content_dir)?);
        let store =
            Arc::new(
                SledStore::open(&settings.data_dir).map_err(|source| AppError::Store {
                    path: settings.data_dir.clone(),
                    source,
                })?,
            );
        let listener =
            TcpListener::bind(settings.listen)
                .await
                .map_err(|source| AppError::Bind {
                    addr: settings.listen,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| AppError::Bind {
            addr: settings.listen,
            source,
        })?;
        let metrics = match PrometheusBuilder::new().install_recorder() {
            Ok(handle) => Some(handle),
            Err(error) => {
                tracing::warn!(%error, "metrics recorder not installed");
                None
            }
        };
        let mut settings = settings;
        if settings.agents.is_empty() {
            settings.agents.push(demo_agent(&content));
        }
        let (handoff_events, handoff_events_rx) = tokio::sync::mpsc::channel(HANDOFF_EVENTS);
        let handoff = Handoff::new(
            settings.handoff.settings()?,
            settings.agents.clone(),
            store.clone(),
            handoff_events,
        )
        .map_err(|e| AppError::Handoff(e.to_string()))?;
        let conversations = Arc::new(Conversations::new(store.clone(), content, handoff));
        conversations.listen_to_handoff(handoff_events_rx);
        let state = AppState::new(Shared {
            settings,
            conversations,
            ready: Default::default(),
            shutdown: CancellationToken::new(),
            tracker: TaskTracker::new(),
            metrics,
        });
        #[cfg(unix)]
        let hangups = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
            Ok(hangups) => Some(hangups),
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGHUP");
                None
            }
        };
        Ok(Self {
            listener,
            #[cfg(unix)]
            hangups,
            addr,
            state,
            store,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `stop` resolves; then closes every socket with 1001, waits
    /// for them, and flushes the store.
    pub async fn run_until_stopped(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), AppError> {
        let state = self.state.clone();
        let router = transport::router(state.clone());
        let shutdown = state.shutdown.clone();
        let listener = axum::serve::ListenerExt::tap_io(self.listener, |tcp| {
            // Without it every reply that follows an ack waits for a delayed ACK.
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "cannot set TCP_NODELAY");
            }
        });
        state.ready.store(true, Ordering::Release);
        #[cfg(unix)]
        if let Some(hangups) = self.hangups {
            tokio::spawn(reload_on_sighup(state.clone(), hangups));
        }
        tokio::spawn(
            Arc::clone(state.conversations.handoff()).run_publisher(state.shutdown.clone()),
        );
        tracing::info!(addr = %self.addr, "serving");
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            stop.await;
            tracing::info!("shutting down");
            shutdown.cancel();
        })
        .await;
        // Upgraded sockets live outside axum's graceful shutdown: wait for them.
        state.shutdown.cancel();
        state.tracker.close();
        if tokio::time::timeout(SOCKET_DRAIN, state.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!("some sockets did not close in time");
        }
        let flushed = self.store.flush();
        let stats = self.store.flush_stats();
        tracing::info!(
            flushes = stats.flushes.load(Ordering::Relaxed),
            entries = stats.entries.load(Ordering::Relaxed),
            "store flushed"
        );
        served.map_err(AppError::Serve)?;
        flushed.map_err(|source| AppError::Store {
            path: state.settings.data_dir.clone(),
            source,
        })
    }
}

/// With no `[[agents]]` configured, one agent for this run only, speaking
/// every locale, so the demo works out of the box. Its random token goes to
/// the log (stderr), never a fixed one: configuring agents removes it.
fn demo_agent(content: &Content) -> crate::config::AgentConfig {
    use sha2::Digest;
    let token = crate::storage::SessionToken::random();
    tracing::warn!(
        token = token.as_str(),
        "no [[agents]] configured: a demo agent for this run can log in at /agent with this token \
         (see `switchboard agent-token`)"
    );
    crate::config::AgentConfig {
        name: "Demo agent".to_owned(),
        languages: content
            .l10n
            .locales()
            .map(|l| l.as_str().to_owned())
            .collect(),
        token_sha256: hex::encode(sha2::Sha256::digest(token.as_str().as_bytes())),
    }
}

/// Reloads the content on every SIGHUP until shutdown.
#[cfg(unix)]
async fn reload_on_sighup(state: AppState, mut hangups: tokio::signal::unix::Signal) {
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            received = hangups.recv() => {
                if received.is_none() {
                    return;
                }
                match state.conversations.reload(&state.settings.content_dir).await {
                    Ok(_) => tracing::info!("content reloaded on SIGHUP"),
                    Err(error) => tracing::error!(%error, "reload refused; the previous content stays live"),
                }
            }
        }
    }
}
