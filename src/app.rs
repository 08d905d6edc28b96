//! Builds the application (content, store, router), binds the listener and
//! serves until told to stop.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::actions::{ActionError, Actions};
use crate::config::{AgentConfig, Settings, StoreChoice};
use crate::conversation::{Content, ContentError, Conversations, ShopFacts};
use crate::handoff::Handoff;
use crate::nlu::cache::ModelCache;
use crate::storage::{FjallStore, RedisStore, Store, StoreError};
use crate::transport::guard::Guard;
use crate::transport::{self, AppState, Shared};

/// File descriptors kept out of the WebSocket budget: the store, the
/// listener, logs, and plain HTTP requests such as `/healthz`.
const RESERVED_FDS: u64 = 128;
/// How often the edge forgets the rate state of quiet addresses.
const GUARD_SWEEP: Duration = Duration::from_secs(60);

/// How long shutdown waits for sockets to close before flushing anyway.
const SOCKET_DRAIN: Duration = Duration::from_secs(5);
/// Handoff events waiting for the conversation layer; when full, the
/// handoff publisher tries again on its next pass.
const HANDOFF_EVENTS: usize = 1024;

/// Why the server could not start, or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The content under `content_dir` fails to load or its checks.
    #[error("cannot load the content: {0}")]
    Content(#[from] ContentError),
    /// A setting is invalid (the handoff hours, at build).
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    /// The stored handoff queue could not be read or reconciled (the cause,
    /// as text).
    #[error("cannot load the handoff queue: {0}")]
    Handoff(String),
    /// The embedded store could not be opened, or flushed at shutdown.
    #[error("cannot open the store in {path}: {source}")]
    Store {
        /// The data directory.
        path: std::path::PathBuf,
        /// What the store said.
        source: StoreError,
    },
    /// The Redis store could not be opened: a bad URL, Redis unreachable or
    /// refusing us.
    #[error("cannot open the store at {url}: {source}")]
    Redis {
        /// The store URL, any password replaced by `***`.
        url: String,
        /// What the store said.
        source: StoreError,
    },
    /// `switchboard erase` found the store locked by a running server (the
    /// data directory).
    #[error("the store in {0} is in use (is the server running?): stop it, or erase through DELETE /v1/admin/conversations/{{id}} or /v1/admin/customers/{{id}}")]
    StoreInUse(std::path::PathBuf),
    /// `erase` was pointed at a folder that holds no store.
    #[error("there is no store in {0}: check --data-dir (nothing was erased)")]
    NoStore(std::path::PathBuf),
    /// The HTTP client for business actions could not be built.
    #[error("{0}")]
    Actions(#[from] ActionError),
    /// The messaging channels could not be set up.
    #[error("{0}")]
    Channels(#[from] transport::channels::ChannelError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The I/O error (in use, not permitted, ...).
        source: std::io::Error,
    },
}

/// The server, built and bound but not yet serving: [`App::build`], then
/// [`App::run_until_stopped`].
pub struct App {
    listener: TcpListener,
    /// SIGHUP, registered before the server says it is listening: a SIGHUP
    /// that arrives early must reload, not kill the process.
    #[cfg(unix)]
    hangups: Option<tokio::signal::unix::Signal>,
    addr: SocketAddr,
    state: AppState,
    store: Arc<dyn Store>,
}

impl App {
    /// Loads content, opens the store and binds the listener (port 0 picks a
    /// free port); starts the handoff's background work. Without configured
    /// agents, adds a demo agent whose token goes to the log.
    ///
    /// # Errors
    ///
    /// [`AppError::Content`], [`AppError::Store`] or [`AppError::Redis`], [`AppError::Bind`],
    /// [`AppError::Actions`], [`AppError::Config`] or [`AppError::Handoff`],
    /// in the order tried.
    pub async fn build(settings: Settings) -> Result<Self, AppError> {
        let model_cache = ModelCache::new(&settings.model_cache_dir);
        let mut content = Content::load(&settings.content_dir, model_cache.as_ref())?;
        let extractor = crate::nlu::Extractor::new(settings.orders.number_pattern.as_deref())
            .map_err(|e| crate::config::ConfigError::Invalid {
                name: "orders.number_pattern",
                message: e.to_string(),
            })?;
        content.nlu.set_entities(extractor);
        // The phone metadata loads beside the server, not before it.
        std::thread::spawn(crate::nlu::entities::warm_up);
        let content = Arc::new(content);
        let (store, redis) = open_store(&settings)?;
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
        // After binding: `/demo/shop/...` paths are called on the real port.
        let actions = Arc::new(Actions::from_settings(&settings, addr)?);
        if !settings.actions.is_empty() {
            let names: Vec<&str> = actions.names().collect();
            tracing::info!(actions = ?names, demo_shop = settings.demo_shop.is_some(), "business actions");
        }
        let metrics = match crate::telemetry::prometheus().and_then(|b| b.install_recorder()) {
            Ok(handle) => Some(handle),
            Err(error) => {
                tracing::warn!(%error, "metrics recorder not installed");
                None
            }
        };
        crate::telemetry::describe(&crate::telemetry::KnownLabels {
            locales: content
                .l10n
                .locales()
                .map(|l| l.as_str().to_owned())
                .collect(),
            intents: content
                .nlu
                .intents()
                .iter()
                .map(|i| i.name.clone())
                .collect(),
            channels: (settings
                .channels
                .telegram
                .iter()
                .map(|c| format!("telegram/{}", c.name)))
            .chain(
                settings
                    .channels
                    .whatsapp
                    .iter()
                    .map(|c| format!("whatsapp/{}", c.name)),
            )
            .chain(
                settings
                    .channels
                    .webhook
                    .iter()
                    .map(|c| format!("webhook/{}", c.name)),
            )
            .collect(),
        });
        let mut settings = settings;
        if settings.agents.is_empty() {
            settings.agents.push(demo_agent(&content));
        }
        for agent in settings.agents.iter().map(AgentConfig::profile) {
            for language in &agent.languages {
                if content.l10n.locale(language).is_none() {
                    tracing::warn!(agent = %agent.name, %language, "an agent's language is none of the content's locales: nothing in it is offered to them first");
                }
            }
        }
        let (handoff_events, handoff_events_rx) = tokio::sync::mpsc::channel(HANDOFF_EVENTS);
        let handoff_settings = settings.handoff.settings()?;
        let facts = ShopFacts {
            hours: handoff_settings.hours.clone(),
            // Checked by `settings()` above.
            zone: (settings.handoff.timezone.as_deref())
                .and_then(|name| jiff::tz::TimeZone::get(name).ok()),
            email: settings.contact.email.clone(),
            phone: settings.contact.phone.clone(),
        };
        let handoff = Handoff::new(
            handoff_settings,
            settings.agents.iter().map(AgentConfig::profile).collect(),
            store.clone(),
            handoff_events,
        )
        .map_err(|e| AppError::Handoff(e.to_string()))?;
        let conversations = Arc::new(
            Conversations::new(store.clone(), content, handoff, facts, actions)
                .with_model_cache(model_cache),
        );
        let shutdown = CancellationToken::new();
        conversations.run_background(handoff_events_rx, shutdown.clone());
        if let Some(redis) = &redis {
            // Every node on this Redis is one deployment.
            conversations.join_nodes(redis.listen(shutdown.clone()), shutdown.clone());
        }
        let tracker = TaskTracker::new();
        let channels = transport::channels::Channels::start(
            &settings.channels,
            &conversations,
            &shutdown,
            &tracker,
        )?;
        let max_sockets = settings.limits.max_sockets.unwrap_or_else(|| {
            usize::try_from(raise_fd_limit().saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX)
        });
        tracing::info!(max_sockets, "WebSocket capacity");
        let guard = Arc::new(Guard::new(&settings.limits, max_sockets));
        let agents = transport::agents(&settings);
        let state = AppState::new(Shared {
            settings,
            conversations,
            ready: Default::default(),
            shutdown,
            tracker,
            metrics,
            guard,
            agents,
            channels,
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

    /// The address actually bound (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `stop` resolves; then closes every socket with 1001, waits
    /// for them (at most 5 s, side by side with 3 s for open HTTP requests),
    /// and flushes the store. Errs with [`AppError::Store`] only if that
    /// flush fails; a store that could not write is logged, not an error.
    pub async fn run_until_stopped(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), AppError> {
        let state = self.state.clone();
        let router = transport::router(state.clone());
        state.ready.store(true, Ordering::Release);
        state.channels.resume(&state.conversations);
        tokio::spawn(resume_actions(state.clone()));
        #[cfg(unix)]
        if let Some(hangups) = self.hangups {
            tokio::spawn(reload_on_sighup(state.clone(), hangups));
        }
        tokio::spawn(sweep_guard(state.clone()));
        tokio::spawn(flush_daily(state.clone()));
        tokio::spawn(watch_store(state.clone(), Arc::clone(&self.store)));
        if state.settings.retention_days > 0.0 {
            tokio::spawn(retention(state.clone()));
        }
        tracing::info!(addr = %self.addr, "serving");
        let server = tokio::spawn(transport::server::serve(
            self.listener,
            router,
            state.shutdown.clone(),
        ));
        stop.await;
        tracing::info!("shutting down");
        // Every socket and HTTP connection hears it at once; both drains
        // run side by side, so the process exits well within 10 s.
        state.shutdown.cancel();
        state.tracker.close();
        let sockets = async {
            if tokio::time::timeout(SOCKET_DRAIN, state.tracker.wait())
                .await
                .is_err()
            {
                tracing::warn!("some sockets did not close in time");
            }
        };
        let (served, ()) = tokio::join!(server, sockets);
        if let Err(error) = served {
            tracing::error!(%error, "the accept loop failed");
        }
        // The last second's daily figures, into the final flush.
        state.conversations.flush_daily();
        // A store that cannot write has nothing unacknowledged worth a
        // failed exit: every ack waited for a flush that succeeded.
        let flushed = match self.store.health() {
            Ok(()) => self.store.flush(),
            Err(reason) => {
                tracing::error!(%reason, "the store could not write: its last unacknowledged writes are not on disk; every acknowledged entry is");
                Ok(())
            }
        };
        if let Some(stats) = self.store.flush_stats() {
            tracing::info!(
                flushes = stats.flushes.load(Ordering::Relaxed),
                entries = stats.entries.load(Ordering::Relaxed),
                "store flushed"
            );
        }
        flushed.map_err(|source| AppError::Store {
            path: state.settings.data_dir.clone(),
            source,
        })
    }
}

/// With no `[[agents]]` configured, one agent for this run only, speaking
/// every locale, so the demo works out of the box. Its random token goes to
/// the log (stderr), never a fixed one: configuring agents removes it.
fn demo_agent(content: &Content) -> AgentConfig {
    use sha2::Digest;
    let token = crate::domain::SessionToken::random();
    tracing::warn!(
        token = token.as_str(),
        "no [[agents]] configured: a demo agent for this run can log in at /agent with this token \
         (see `switchboard agent-token`)"
    );
    AgentConfig {
        id: Some("demo".to_owned()),
        name: "Demo agent".to_owned(),
        languages: content
            .l10n
            .locales()
            .map(|l| l.as_str().to_owned())
            .collect(),
        token_sha256: hex::encode(sha2::Sha256::digest(token.as_str().as_bytes())),
        admin: true,
    }
}

/// Calls again the business actions that were under way at the last stop.
async fn resume_actions(state: AppState) {
    match state.conversations.resume_actions() {
        Ok(resumed) => tracing::info!(
            resumed,
            "business actions under way at the last stop: called again"
        ),
        Err(error) => {
            tracing::error!(%error, "cannot read the store for business actions under way: their answers are lost")
        }
    }
}

/// How often a store that cannot write is checked for room again.
const STORE_RECOVERY: Duration = Duration::from_secs(2);
/// How often old conversations are looked for, at most.
const RETENTION_SWEEP: Duration = Duration::from_secs(3600);

/// The store, and the same store as Redis when it is (to listen to the
/// other nodes on it).
type Opened = (Arc<dyn Store>, Option<Arc<RedisStore>>);

/// Opens the store the settings choose: the embedded one in the data
/// directory, or Redis.
fn open_store(settings: &Settings) -> Result<Opened, AppError> {
    match &settings.store {
        StoreChoice::Embedded => FjallStore::open(
            &settings.data_dir,
            settings.store_cache_mb * 1024 * 1024,
            settings.accept_store_damage,
        )
        .map(|store| (Arc::new(store) as Arc<dyn Store>, None))
        .map_err(|source| AppError::Store {
            path: settings.data_dir.clone(),
            source,
        }),
        StoreChoice::Redis(url) => RedisStore::open(url)
            .map(|store| {
                let store = Arc::new(store);
                (Arc::clone(&store) as Arc<dyn Store>, Some(store))
            })
            .map_err(|source| AppError::Redis {
                url: settings.store.redacted(),
                source,
            }),
    }
}

/// Every two seconds, lets the store check itself ([`Store::recover`]):
/// the embedded store reopens after a failure once it can write; Redis is
/// pinged, so an outage is noticed (readiness off) even while nobody
/// writes, and its end too.
async fn watch_store(state: AppState, store: Arc<dyn Store>) {
    let mut ticks = tokio::time::interval(STORE_RECOVERY);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = ticks.tick() => {
                let store = Arc::clone(&store);
                let _ = tokio::task::spawn_blocking(move || store.recover()).await;
            }
        }
    }
}

/// Deletes conversations idle for longer than `retention_days`, hourly (or
/// ten times per retention period, if that is shorter).
async fn retention(state: AppState) {
    let keep = Duration::from_secs_f64(state.settings.retention_days * 86_400.0);
    let keep_signed = jiff::SignedDuration::try_from(keep).unwrap_or(jiff::SignedDuration::MAX);
    let every = RETENTION_SWEEP.min(keep / 10).max(Duration::from_secs(1));
    let mut ticks = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = ticks.tick() => {
                let before = jiff::Timestamp::now()
                    .checked_sub(keep_signed)
                    .unwrap_or(jiff::Timestamp::MIN);
                match state.conversations.erase_idle_since(before).await {
                    Ok(0) => {}
                    Ok(erased) => tracing::info!(erased, retention_days = state.settings.retention_days, "old conversations deleted"),
                    Err(error) => tracing::error!(%error, "retention sweep failed"),
                }
            }
        }
    }
}

/// `switchboard erase`: deletes a conversation, or a customer's, from the
/// store in `dir` while no server has it open. Returns how many went (0 for
/// a conversation id that does not parse, or with neither given).
///
/// # Errors
///
/// [`AppError::StoreInUse`] if a server holds the store,
/// [`AppError::NoStore`] if `dir` is missing or empty (a mistyped path),
/// [`AppError::Store`] if it cannot be opened (damage included) or erased.
pub fn erase_offline(
    dir: &std::path::Path,
    conversation: Option<&str>,
    customer: Option<&str>,
) -> Result<usize, AppError> {
    use crate::domain::ConversationId;
    // A mistyped --data-dir must not open (and so create) an empty store
    // there and report "erased 0" as if the erasure had been done.
    let holds_something = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if !holds_something {
        return Err(AppError::NoStore(dir.to_owned()));
    }
    let cache = crate::config::DEFAULT_STORE_CACHE_MB * 1024 * 1024;
    let store = FjallStore::open(dir, cache, false).map_err(|source| match source {
        StoreError::Fjall(ref error) if error.to_string().to_lowercase().contains("lock") => {
            AppError::StoreInUse(dir.to_owned())
        }
        source => AppError::Store {
            path: dir.to_owned(),
            source,
        },
    })?;
    let ids: Vec<ConversationId> = match (conversation, customer) {
        (Some(id), _) => match id.parse() {
            Ok(id) => vec![id],
            Err(_) => return Ok(0),
        },
        (None, Some(customer)) => store
            .conversations_of_customer(customer)
            .map_err(|source| AppError::Store {
                path: dir.to_owned(),
                source,
            })?,
        (None, None) => Vec::new(),
    };
    let mut erased = 0;
    for id in ids {
        let gone = store
            .erase_conversation(&id)
            .map_err(|source| AppError::Store {
                path: dir.to_owned(),
                source,
            })?;
        erased += usize::from(gone);
    }
    Ok(erased)
}

/// Raises the soft limit on open files to the hard limit (a chat server
/// holds one per connection); returns the soft limit in force.
fn raise_fd_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "cannot raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

/// Writes the daily figures counted in memory to the store every second.
async fn flush_daily(state: AppState) {
    let mut ticks = tokio::time::interval(DAILY_FLUSH);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = ticks.tick() => state.conversations.flush_daily(),
        }
    }
}

/// How often the daily figures counted in memory go to the store.
const DAILY_FLUSH: std::time::Duration = std::time::Duration::from_secs(1);

async fn sweep_guard(state: AppState) {
    let mut ticks = tokio::time::interval(GUARD_SWEEP);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = ticks.tick() => state.guard.sweep(),
        }
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
