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
use crate::conversation::{Content, Conversations};
use crate::knowledge::{KnowledgeError, KnowledgeIndex};
use crate::l10n::{L10nError, Localizer};
use crate::nlu::{Nlu, NluError};
use crate::storage::{SledStore, StoreError};
use crate::transport::{self, AppState, Shared};

/// How long shutdown waits for sockets to close before flushing anyway.
const SOCKET_DRAIN: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("cannot load locales: {0}")]
    Locales(#[from] L10nError),
    #[error("cannot load intents: {0}")]
    Intents(#[from] NluError),
    #[error("cannot load articles: {0}")]
    Knowledge(#[from] KnowledgeError),
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

/// Loads intents and locales from a content directory and trains the NLU.
pub fn load_content(content_dir: &std::path::Path) -> Result<Content, AppError> {
    let started = std::time::Instant::now();
    let l10n = Localizer::load(&content_dir.join("locales"))?;
    let intents = crate::nlu::load_intents(&content_dir.join("intents"))?;
    let articles = crate::knowledge::load(&content_dir.join("knowledge"))?;
    let nlu = Nlu::new(intents, &l10n.plain_texts(), l10n.default_locale().as_str());
    let knowledge = KnowledgeIndex::new(articles);
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        thresholds = ?nlu.thresholds().collect::<Vec<_>>(),
        "content loaded"
    );
    Ok(Content {
        nlu,
        l10n,
        knowledge,
    })
}

pub struct App {
    listener: TcpListener,
    addr: SocketAddr,
    state: AppState,
    store: Arc<SledStore>,
}

impl App {
    /// Loads content, opens the store and binds the listener (port 0 picks a free port).
    pub async fn build(settings: Settings) -> Result<Self, AppError> {
        let content = Arc::new(load_content(&settings.content_dir)?);
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
        let conversations = Conversations::new(store.clone(), content);
        let state = AppState::new(Shared {
            settings,
            conversations,
            ready: Default::default(),
            shutdown: CancellationToken::new(),
            tracker: TaskTracker::new(),
            metrics,
        });
        Ok(Self {
            listener,
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
        tracing::info!(addr = %self.addr, "serving");
        let served = axum::serve(listener, router)
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
