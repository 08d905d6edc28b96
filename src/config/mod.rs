//! Typed settings. Precedence, lowest first: built-in defaults, the TOML file
//! (`--config`), `SWITCHBOARD_*` environment variables, command-line flags.
//! The reference is in README.md ("Configuration").

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

mod channels;
pub use channels::{
    ChannelsConfig, Delivery, Secret, TelegramConfig, WebhookChannelConfig, WhatsappConfig,
};

/// Why the settings cannot be used; the server does not start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("{path}: cannot read the config file: {source}")]
    Read {
        /// The file given with `--config`.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The config file is not valid TOML of the expected shape (unknown keys
    /// included).
    #[error("{path}: {message}")]
    Parse {
        /// The file given with `--config`.
        path: PathBuf,
        /// The TOML parser's message, with line and column.
        message: String,
    },
    /// A setting out of range or inconsistent.
    #[error("invalid setting {name}: {message}")]
    Invalid {
        /// The setting's dotted name (`limits.max_frame_bytes`, `agents.name`).
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

/// Values given on the command line or in the environment; they override the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--listen` / `SWITCHBOARD_LISTEN`: the address to bind (`HOST:PORT`,
    /// port 0 picks a free one).
    pub listen: Option<String>,
    /// `--data-dir` / `SWITCHBOARD_DATA_DIR`: where the store lives.
    pub data_dir: Option<PathBuf>,
    /// `--model-cache-dir` / `SWITCHBOARD_MODEL_CACHE_DIR`: where trained
    /// models are kept between starts.
    pub model_cache_dir: Option<PathBuf>,
    /// `--content-dir` / `SWITCHBOARD_CONTENT_DIR`: the folder holding
    /// `intents/`, `locales/` and `knowledge/`.
    pub content_dir: Option<PathBuf>,
    /// Serve a store found damaged at start-up (what is left of it).
    pub accept_store_damage: bool,
    /// `--store` / `SWITCHBOARD_STORE`: `sled` or a Redis URL ([`StoreChoice`]).
    pub store: Option<String>,
}

/// Which store the server keeps its data in (`store`, `--store`,
/// `SWITCHBOARD_STORE`).
#[derive(Clone, PartialEq, Eq, Default)]
pub enum StoreChoice {
    /// `sled` (the default): the embedded store in the data directory
    /// (fjall since it moved; the name on the command line stayed).
    #[default]
    Embedded,
    /// `redis://[:PASSWORD@]HOST:PORT/DB`, `redis+unix:///PATH`: Redis, as
    /// written (it may carry a password: print it with [`StoreChoice::redacted`]).
    Redis(String),
}

impl StoreChoice {
    /// Parses `sled`, `redis://...` or `redis+unix://...`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] (`store`) for anything else, `rediss://`
    /// (TLS) included.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let text = text.trim();
        if text == "sled" {
            return Ok(Self::Embedded);
        }
        let host = ["redis://", "redis+unix://"]
            .iter()
            .find_map(|scheme| text.strip_prefix(scheme));
        match host {
            Some(rest) if !rest.is_empty() => Ok(Self::Redis(text.to_owned())),
            _ => Err(ConfigError::Invalid {
                name: "store",
                message: format!(
                    "`{}` is neither `sled` nor a URL like redis://HOST:PORT/DB or redis+unix:///PATH",
                    crate::storage::redacted(text)
                ),
            }),
        }
    }

    /// As written, with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            Self::Embedded => "sled".to_owned(),
            Self::Redis(url) => crate::storage::redacted(url),
        }
    }
}

impl std::fmt::Debug for StoreChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// The server's settings, checked ([`Settings::load`]).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address to bind; default [`DEFAULT_LISTEN`]; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Which store: the embedded one in `data_dir` (default) or Redis.
    pub store: StoreChoice,
    /// Where the embedded store lives; default [`DEFAULT_DATA_DIR`].
    pub data_dir: PathBuf,
    /// `model_cache_dir` (or [`Overrides::model_cache_dir`]): where trained
    /// models are kept between starts (`nlu::cache`); default `models` in
    /// the data directory.
    pub model_cache_dir: PathBuf,
    /// The folder holding `intents/`, `locales/` and `knowledge/`; default
    /// the crate's bundled content ([`bundled_content_dir`]).
    pub content_dir: PathBuf,
    /// `[limits]`: the edge's limits.
    pub limits: Limits,
    /// `[[agents]]`: who may sign in on `/v1/agent`; empty: a demo agent
    /// with a random token is made for the run.
    pub agents: Vec<AgentConfig>,
    /// `[handoff]`: support hours and the queue's behaviour.
    pub handoff: HandoffConfig,
    /// `[contact]`: the support email and phone the texts give.
    pub contact: ContactConfig,
    /// `[orders]`: what the shop's order numbers look like.
    pub orders: OrdersConfig,
    /// Days (fractions allowed) a conversation is kept after its last
    /// activity; 0 keeps them forever.
    pub retention_days: f64,
    /// The store's page cache, in MiB; default [`DEFAULT_STORE_CACHE_MB`].
    pub store_cache_mb: u64,
    /// `--accept-store-damage`: serve what is left of a store found damaged
    /// at start-up instead of refusing to start.
    pub accept_store_damage: bool,
    /// Serve `/v1/conformance/echo` for WebSocket conformance tests (Autobahn).
    pub conformance_echo: bool,
    /// `[actions.NAME]`: the company's backends the intents may call, by
    /// action name. With the demo shop on and none configured: the demo
    /// shop's three ([`DEMO_SHOP_ACTIONS`]).
    pub actions: BTreeMap<String, ActionConfig>,
    /// `[demo] shop`: the secret the demo shop (`POST /demo/shop/...`)
    /// checks signatures with, when it is served; `None`: not served.
    /// Default: served only when `content_dir` is the bundled content.
    pub demo_shop: Option<WebhookSecret>,
    /// `[[channels.<kind>]]`: the messaging channels (Telegram, WhatsApp,
    /// webhook); empty: the web widget only.
    pub channels: ChannelsConfig,
}

/// `[actions.NAME]`: one business action, a backend Switchboard POSTs the
/// filled slots to (PROTOCOL.md, "Business actions").
#[derive(Debug, Clone)]
pub struct ActionConfig {
    /// Where the request goes.
    pub url: ActionUrl,
    /// The Standard Webhooks signing key (`whsec_<base64>` in the file,
    /// decoded here); `None`: requests go unsigned.
    pub secret: Option<WebhookSecret>,
    /// How long a call may take, from sending to the whole answer read, in
    /// milliseconds: 1..=30,000, default [`DEFAULT_ACTION_TIMEOUT_MS`].
    pub timeout_ms: u64,
}

impl ActionConfig {
    /// [`ActionConfig::timeout_ms`] as a duration.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

/// An action's `url`: an absolute `http(s)://` URL, or a path on this
/// server itself, known only once the listener is bound (tests bind port 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionUrl {
    /// `https://shop.example.com/switchboard/order`.
    Absolute(reqwest::Url),
    /// `/demo/shop/order_lookup`: resolved with [`ActionUrl::resolve`].
    ThisServer(String),
}

impl ActionUrl {
    /// Parses a configured `url`. Errs (with the reason) unless it is an
    /// absolute `http`/`https` URL with a host, or a path starting with `/`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.starts_with('/') {
            if text.starts_with("//") || text.contains(char::is_whitespace) {
                return Err(format!("`{text}` is not a path on this server"));
            }
            return Ok(Self::ThisServer(text.to_owned()));
        }
        let url = reqwest::Url::parse(text).map_err(|e| {
            format!("`{text}` is not an absolute URL or a path starting with / ({e})")
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "`{text}` must be an http:// or https:// URL with a host"
            ));
        }
        Ok(Self::Absolute(url))
    }

    /// The URL to call, given the address this server is bound to. A path is
    /// joined to `http://{bound}`; an unspecified bound address (`0.0.0.0`,
    /// `::`) is called on the loopback address of the same family.
    pub fn resolve(&self, bound: SocketAddr) -> reqwest::Url {
        match self {
            Self::Absolute(url) => url.clone(),
            Self::ThisServer(path) => {
                let mut addr = bound;
                if addr.ip().is_unspecified() {
                    addr.set_ip(match addr {
                        SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                        SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
                    });
                }
                // A path that parsed at load joined to a socket address
                // always makes a URL; the fallback is never taken.
                reqwest::Url::parse(&format!("http://{addr}{path}"))
                    .unwrap_or_else(|_| reqwest::Url::parse("http://127.0.0.1/").expect("a URL"))
            }
        }
    }
}

/// A Standard Webhooks signing key: the bytes base64-encoded after `whsec_`
/// in the config file. Its `Debug` never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// The prefix of the configured form.
    pub const PREFIX: &'static str = "whsec_";

    /// Decodes `whsec_<base64>` (standard alphabet, padded). Errs with a
    /// reason that never repeats the secret: missing prefix, bad base64, or
    /// empty.
    pub fn parse(text: &str) -> Result<Self, String> {
        use base64::Engine;
        let Some(encoded) = text.strip_prefix(Self::PREFIX) else {
            return Err(format!("must start with `{}`", Self::PREFIX));
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| format!("the part after `{}` is not valid base64", Self::PREFIX))?;
        if bytes.is_empty() {
            return Err("is empty".into());
        }
        Ok(Self(bytes))
    }

    /// A key of 32 random bytes (the thread-local CSPRNG of `rand`).
    pub fn random() -> Self {
        use rand::RngCore;
        let mut bytes = vec![0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The raw key: what HMAC-SHA256 is keyed with.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

/// `[actions.NAME]` as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionFile {
    url: String,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    timeout_ms: Option<u64>,
}

/// `[demo]` as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DemoFile {
    shop: Option<bool>,
}

/// `[limits]`: the edge's limits, per connection (frames, rate, timeouts),
/// per client address and in total (sockets, new conversations, parses), and
/// who may connect (proxies, origins). Every count must be above 0.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted text frame, in bytes; larger ones close the socket with 1009.
    pub max_frame_bytes: usize,
    /// Longest message text, in characters after trimming.
    pub max_text_chars: usize,
    /// Frames a connection may send per second, sustained.
    pub frames_per_second: u32,
    /// Frames a connection may send at once before the rate applies.
    pub frames_burst: u32,
    /// Frames queued for a client that is not reading before it is disconnected.
    pub outbound_queue: usize,
    /// How often the server pings an idle connection, in milliseconds.
    pub ping_interval_ms: u64,
    /// A connection silent this long (no frame, no pong) is closed, in milliseconds.
    pub idle_timeout_ms: u64,
    /// A customer socket must say `hello` within this many milliseconds.
    pub hello_timeout_ms: u64,
    /// A frame whose first bytes arrived must be complete within this many
    /// milliseconds (checked every few seconds).
    pub frame_timeout_ms: u64,
    /// WebSockets the server holds at once; absent: the process's file
    /// descriptor limit less a reserve, so `/healthz` still answers.
    pub max_sockets: Option<usize>,
    /// WebSockets one client address may hold at once.
    pub max_sockets_per_address: u32,
    /// New conversations (`hello` without a known session) per client
    /// address per minute, also the burst.
    pub conversations_per_minute_per_address: u32,
    /// `POST /v1/nlu/parse` calls per client address per minute.
    pub parses_per_minute_per_address: u32,
    /// Peers whose `X-Forwarded-For` names the client (a reverse proxy);
    /// their own traffic is not capped per address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Web origins (`https://shop.example.com`) allowed to open the customer
    /// channel and to call the HTTP API from a browser; empty: the customer
    /// channel takes any origin and the API none but its own.
    pub allowed_origins: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame_bytes: 16 * 1024,
            max_text_chars: 4000,
            frames_per_second: 10,
            frames_burst: 30,
            outbound_queue: 64,
            ping_interval_ms: 30_000,
            idle_timeout_ms: 75_000,
            hello_timeout_ms: 10_000,
            frame_timeout_ms: 10_000,
            max_sockets: None,
            max_sockets_per_address: 100,
            conversations_per_minute_per_address: 30,
            parses_per_minute_per_address: 600,
            trusted_proxies: vec![
                std::net::IpAddr::from([127, 0, 0, 1]),
                std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
            ],
            allowed_origins: Vec::new(),
        }
    }
}

impl Limits {
    /// [`Limits::ping_interval_ms`] as a duration.
    pub fn ping_interval(&self) -> Duration {
        Duration::from_millis(self.ping_interval_ms)
    }

    /// [`Limits::idle_timeout_ms`] as a duration.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_millis(self.idle_timeout_ms)
    }

    /// [`Limits::hello_timeout_ms`] as a duration.
    pub fn hello_timeout(&self) -> Duration {
        Duration::from_millis(self.hello_timeout_ms)
    }

    /// [`Limits::frame_timeout_ms`] as a duration.
    pub fn frame_timeout(&self) -> Duration {
        Duration::from_millis(self.frame_timeout_ms)
    }
}

/// An agent who may log in on `/v1/agent`; only the token's SHA-256 is kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// A stable id; absent, the first 12 hex digits of `token_sha256`.
    #[serde(default)]
    pub id: Option<String>,
    /// The display name customers and colleagues see; unique
    /// (case-insensitively) and not blank.
    pub name: String,
    /// Locale tags the agent speaks (`["tr", "en"]`): queue items in them are
    /// offered to the agent at once, others after `handoff.offer_all_after_s`.
    pub languages: Vec<String>,
    /// The SHA-256 of the agent's token, 64 hex digits (`switchboard
    /// agent-token` prints one); unique.
    pub token_sha256: String,
    /// May erase customers' data (`DELETE /v1/admin/...`).
    #[serde(default)]
    pub admin: bool,
}

/// When humans are on duty (`hours`, e.g. "Mon-Fri 09:00-18:00", in the IANA
/// `timezone`; no `hours` means always) and how the queue behaves.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HandoffConfig {
    /// `Days HH:MM-HH:MM` windows, comma-separated ([`crate::handoff::SupportHours`]);
    /// `None`: support is always open.
    pub hours: Option<String>,
    /// The IANA time zone of `hours` (`Europe/Istanbul`); `None`: UTC.
    pub timezone: Option<String>,
    /// Seconds after which a queued item is offered to every agent, not only
    /// to those who speak its language; default 120.
    pub offer_all_after_s: u64,
    /// Seconds a disconnected agent keeps their conversations; default 60.
    pub grace_s: u64,
    /// Seconds of handling time assumed for wait estimates until some are
    /// measured (0 counts as 1); default 300.
    pub default_handling_s: u64,
    /// Seconds a claim must last (until release, return to the bot or close)
    /// to be measured as a handling time; shorter ones are not; default 30.
    pub min_handling_s: u64,
    /// Conversations that may wait for a person at once; beyond it customers
    /// are told the queue is full; default 10,000.
    pub max_waiting: u32,
    /// Conversations from one network address that may wait at once; default 20.
    pub max_waiting_per_address: u32,
    /// Seconds a waiting customer may be away (no connection) before leaving
    /// the queue, unless they left an email; default 1800.
    pub abandon_after_s: u64,
}

impl AgentConfig {
    /// The agent as the rest of the server knows them.
    pub fn profile(&self) -> crate::domain::AgentProfile {
        crate::domain::AgentProfile {
            id: self.id.clone().unwrap_or_else(|| {
                let hash = self.token_sha256.to_ascii_lowercase();
                hash.get(..12).unwrap_or(&hash).to_owned()
            }),
            name: self.name.clone(),
            // Canonical case ("EN" is "en", "pt-br" is "pt-BR"), as locale
            // folders are named; validation refused what does not parse.
            languages: self
                .languages
                .iter()
                .map(|l| {
                    l.trim()
                        .parse::<unic_langid::LanguageIdentifier>()
                        .map_or_else(|_| l.trim().to_owned(), |id| id.to_string())
                })
                .collect(),
            admin: self.admin,
        }
    }
}

impl Default for HandoffConfig {
    fn default() -> Self {
        Self {
            hours: None,
            timezone: None,
            offer_all_after_s: 120,
            grace_s: 60,
            default_handling_s: 300,
            min_handling_s: 30,
            max_waiting: 10_000,
            max_waiting_per_address: 20,
            abandon_after_s: 1800,
        }
    }
}

impl HandoffConfig {
    /// The settings the handoff module runs with. Errs with
    /// [`ConfigError::Invalid`] (`handoff.hours`) if the hours or the time
    /// zone do not parse (`handoff.timezone` for an unknown zone without
    /// hours).
    pub fn settings(&self) -> Result<crate::handoff::HandoffSettings, ConfigError> {
        let hours = match &self.hours {
            Some(hours) => Some(
                crate::handoff::SupportHours::parse(hours, self.timezone.as_deref()).map_err(
                    |e| ConfigError::Invalid {
                        name: "handoff.hours",
                        message: e.to_string(),
                    },
                )?,
            ),
            None => {
                // Without hours the zone still says when things happen.
                if let Some(name) = &self.timezone {
                    jiff::tz::TimeZone::get(name).map_err(|e| ConfigError::Invalid {
                        name: "handoff.timezone",
                        message: e.to_string(),
                    })?;
                }
                None
            }
        };
        Ok(crate::handoff::HandoffSettings {
            hours,
            offer_all_after: Duration::from_secs(self.offer_all_after_s),
            grace: Duration::from_secs(self.grace_s),
            default_handling: Duration::from_secs(self.default_handling_s.max(1)),
            min_handling: Duration::from_secs(self.min_handling_s),
            max_waiting: self.max_waiting,
            max_waiting_per_address: self.max_waiting_per_address,
            abandon_after: Duration::from_secs(self.abandon_after_s),
        })
    }
}

/// `[contact]`: how customers reach the support team outside the chat. Every
/// text that gives an email address or a phone number says these
/// (`$email`, `$phone` in `locales/`, `{$email}`, `{$phone}` in articles).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactConfig {
    /// The support email address; default the demo's `support@example.com`.
    pub email: String,
    /// The support phone number as customers dial it; default the demo's
    /// `+44 20 7946 0000`.
    pub phone: String,
}

impl Default for ContactConfig {
    fn default() -> Self {
        Self {
            email: "support@example.com".to_owned(),
            phone: "+44 20 7946 0000".to_owned(),
        }
    }
}

/// `[orders]`: what the shop's order numbers look like, so that a number the
/// customer writes without saying "order" is still read as one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrdersConfig {
    /// A regular expression (Rust `regex` syntax) that a whole run of digits
    /// must match to be an order number without an order word before it,
    /// e.g. `number_pattern = '10\d{5}'` for 1004527 (a TOML literal
    /// string). Default none: a number is an order number only after `#` or
    /// an order word ("order", "sipariş", "παραγγελία", "заказ"...) or in
    /// reply to the order-number question.
    pub number_pattern: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FileSettings {
    listen: Option<String>,
    store: Option<String>,
    data_dir: Option<PathBuf>,
    model_cache_dir: Option<PathBuf>,
    content_dir: Option<PathBuf>,
    limits: Limits,
    agents: Vec<AgentConfig>,
    handoff: HandoffConfig,
    contact: ContactConfig,
    orders: OrdersConfig,
    retention_days: f64,
    store_cache_mb: Option<u64>,
    conformance_echo: bool,
    actions: BTreeMap<String, ActionFile>,
    demo: DemoFile,
    channels: channels::ChannelsFile,
}

/// The address served without `--listen` (PROTOCOL.md, "Running the server").
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The store's page cache unless configured, in MiB.
pub const DEFAULT_STORE_CACHE_MB: u64 = 64;
/// The smallest outbound queue that holds a turn's frames (ack, reply,
/// handoff notices) with room to spare.
const MIN_OUTBOUND_QUEUE: usize = 8;
/// The store's folder without `--data-dir`, relative to the working directory.
pub const DEFAULT_DATA_DIR: &str = "./data";
/// An action's timeout unless configured, in milliseconds.
pub const DEFAULT_ACTION_TIMEOUT_MS: u64 = 2000;
/// The longest timeout an action may have, in milliseconds.
pub const MAX_ACTION_TIMEOUT_MS: u64 = 30_000;
/// Where the demo shop is served; its actions are this followed by their name.
pub const DEMO_SHOP_PATH: &str = "/demo/shop/";
/// The actions configured when the demo shop is on and `[actions]` is empty.
pub const DEMO_SHOP_ACTIONS: [&str; 3] = ["order_lookup", "order_cancel", "change_address"];

/// The content bundled with the crate: its root holds `intents/`, `locales/` and `knowledge/`.
pub fn bundled_content_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Settings {
    /// Reads the optional config file, applies the overrides (which win)
    /// and checks the result.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Read`] or [`ConfigError::Parse`] for the file;
    /// [`ConfigError::Invalid`] for an address that does not parse, a
    /// `store` that is neither `sled` nor a Redis URL, an
    /// action whose `url`, `secret` or `timeout_ms` is malformed (named
    /// `actions.url`, `actions.secret`, `actions.timeout_ms`), a zero
    /// limit, `retention_days` negative or not finite, `outbound_queue`
    /// under 8, support hours that do not parse, an `orders.number_pattern`
    /// that is not a regular expression, or agents with a blank or
    /// repeated name, a repeated id or token, or a token hash that is not 64
    /// hex digits.
    pub fn load(config_file: Option<&Path>, overrides: Overrides) -> Result<Self, ConfigError> {
        let file = match config_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str::<FileSettings>(&text).map_err(|e| ConfigError::Parse {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?
            }
            None => FileSettings::default(),
        };
        let listen_text = overrides
            .listen
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
        let listen = listen_text.parse().map_err(|e| ConfigError::Invalid {
            name: "listen",
            message: format!("`{listen_text}` is not an address like 127.0.0.1:8080 ({e})"),
        })?;
        let content_dir = overrides
            .content_dir
            .or(file.content_dir)
            .unwrap_or_else(bundled_content_dir);
        let demo_on = file
            .demo
            .shop
            .unwrap_or_else(|| is_bundled_content(&content_dir));
        let (actions, demo_shop) = actions(file.actions, demo_on)?;
        let store = match overrides.store.or(file.store) {
            Some(text) => StoreChoice::parse(&text)?,
            None => StoreChoice::Embedded,
        };
        let data_dir = overrides
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let settings = Self {
            listen,
            store,
            model_cache_dir: overrides
                .model_cache_dir
                .or(file.model_cache_dir)
                .unwrap_or_else(|| data_dir.join("models")),
            data_dir,
            content_dir,
            limits: file.limits,
            agents: file.agents,
            handoff: file.handoff,
            contact: file.contact,
            orders: file.orders,
            retention_days: file.retention_days,
            store_cache_mb: file.store_cache_mb.unwrap_or(DEFAULT_STORE_CACHE_MB),
            conformance_echo: file.conformance_echo,
            accept_store_damage: overrides.accept_store_damage,
            actions,
            demo_shop,
            channels: file.channels.check()?,
        };
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.validate_limits()?;
        self.validate_agents()
    }

    fn validate_limits(&self) -> Result<(), ConfigError> {
        let limits = &self.limits;
        let positive = [
            ("limits.max_frame_bytes", limits.max_frame_bytes as u64),
            ("limits.max_text_chars", limits.max_text_chars as u64),
            (
                "limits.frames_per_second",
                u64::from(limits.frames_per_second),
            ),
            ("limits.frames_burst", u64::from(limits.frames_burst)),
            ("limits.outbound_queue", limits.outbound_queue as u64),
            ("limits.ping_interval_ms", limits.ping_interval_ms),
            ("limits.idle_timeout_ms", limits.idle_timeout_ms),
            ("limits.hello_timeout_ms", limits.hello_timeout_ms),
            ("limits.frame_timeout_ms", limits.frame_timeout_ms),
            (
                "limits.max_sockets_per_address",
                u64::from(limits.max_sockets_per_address),
            ),
            (
                "limits.conversations_per_minute_per_address",
                u64::from(limits.conversations_per_minute_per_address),
            ),
            (
                "limits.parses_per_minute_per_address",
                u64::from(limits.parses_per_minute_per_address),
            ),
            ("handoff.max_waiting", u64::from(self.handoff.max_waiting)),
            (
                "handoff.max_waiting_per_address",
                u64::from(self.handoff.max_waiting_per_address),
            ),
        ];
        for (name, value) in positive {
            if value == 0 {
                return Err(ConfigError::Invalid {
                    name,
                    message: "must be greater than 0".into(),
                });
            }
        }
        if !(self.retention_days >= 0.0 && self.retention_days.is_finite()) {
            return Err(ConfigError::Invalid {
                name: "retention_days",
                message: "must be 0 (keep) or a positive number of days".into(),
            });
        }
        if limits.outbound_queue < MIN_OUTBOUND_QUEUE {
            return Err(ConfigError::Invalid {
                name: "limits.outbound_queue",
                message: format!(
                    "must be at least {MIN_OUTBOUND_QUEUE}: a reply and its notices must fit"
                ),
            });
        }
        self.handoff.settings()?;
        if let Some(pattern) = &self.orders.number_pattern {
            if pattern.trim().is_empty() {
                return Err(ConfigError::Invalid {
                    name: "orders.number_pattern",
                    message: "must not be empty: leave it out for none".into(),
                });
            }
            regex::Regex::new(pattern).map_err(|e| ConfigError::Invalid {
                name: "orders.number_pattern",
                message: format!("`{pattern}` is not a regular expression: {e}"),
            })?;
        }
        Ok(())
    }

    fn validate_agents(&self) -> Result<(), ConfigError> {
        let mut names = std::collections::HashSet::new();
        let mut tokens = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for agent in &self.agents {
            if let Some(bad) = agent
                .languages
                .iter()
                .find(|l| l.trim().parse::<unic_langid::LanguageIdentifier>().is_err())
            {
                return Err(ConfigError::Invalid {
                    name: "agents.languages",
                    message: format!(
                        "agent {}: {bad:?} is not a language tag (BCP 47, such as \"tr\" or \"pt-BR\")",
                        agent.name
                    ),
                });
            }
            if agent.name.trim().is_empty() {
                return Err(ConfigError::Invalid {
                    name: "agents.name",
                    message: "an agent has an empty name".into(),
                });
            }
            if !names.insert(agent.name.trim().to_lowercase()) {
                return Err(ConfigError::Invalid {
                    name: "agents.name",
                    message: format!("agent {} is configured twice", agent.name),
                });
            }
            if !tokens.insert(agent.token_sha256.to_ascii_lowercase()) {
                return Err(ConfigError::Invalid {
                    name: "agents.token_sha256",
                    message: format!("agent {} has the same token as another agent", agent.name),
                });
            }
            if !ids.insert(agent.profile().id) {
                return Err(ConfigError::Invalid {
                    name: "agents.id",
                    message: format!("agent {} has the same id as another agent", agent.name),
                });
            }
            let valid = agent.token_sha256.len() == 64
                && agent.token_sha256.bytes().all(|b| b.is_ascii_hexdigit());
            if !valid {
                return Err(ConfigError::Invalid {
                    name: "agents.token_sha256",
                    message: format!(
                        "agent {}: expected 64 hex digits (run `switchboard agent-token`)",
                        agent.name
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Whether `dir` is the content bundled with the crate (the same folder,
/// however it is spelled).
fn is_bundled_content(dir: &Path) -> bool {
    let bundled = bundled_content_dir();
    match (dir.canonicalize(), bundled.canonicalize()) {
        (Ok(dir), Ok(bundled)) => dir == bundled,
        _ => dir == bundled,
    }
}

/// The checked actions, and the demo shop's secret when it is served.
type CheckedActions = (BTreeMap<String, ActionConfig>, Option<WebhookSecret>);

/// Checks `[actions.NAME]` tables. With the demo shop on, picks its secret
/// (that of a configured action pointing at it, else a random one), hands it
/// to unsigned actions pointing at it, and, with no actions configured, adds
/// [`DEMO_SHOP_ACTIONS`].
fn actions(
    files: BTreeMap<String, ActionFile>,
    demo_on: bool,
) -> Result<CheckedActions, ConfigError> {
    let mut actions = BTreeMap::new();
    for (name, file) in files {
        if name.trim().is_empty() {
            return Err(ConfigError::Invalid {
                name: "actions",
                message: "an action has an empty name".into(),
            });
        }
        let url = ActionUrl::parse(&file.url).map_err(|message| ConfigError::Invalid {
            name: "actions.url",
            message: format!("action {name}: {message}"),
        })?;
        let secret = match file.secret.as_deref() {
            Some(text) => {
                Some(
                    WebhookSecret::parse(text).map_err(|reason| ConfigError::Invalid {
                        name: "actions.secret",
                        message: format!("action {name}: the secret {reason}"),
                    })?,
                )
            }
            None => None,
        };
        let timeout_ms = file.timeout_ms.unwrap_or(DEFAULT_ACTION_TIMEOUT_MS);
        if !(1..=MAX_ACTION_TIMEOUT_MS).contains(&timeout_ms) {
            return Err(ConfigError::Invalid {
                name: "actions.timeout_ms",
                message: format!(
                    "action {name}: must be between 1 and {MAX_ACTION_TIMEOUT_MS} milliseconds"
                ),
            });
        }
        actions.insert(
            name,
            ActionConfig {
                url,
                secret,
                timeout_ms,
            },
        );
    }
    if !demo_on {
        return Ok((actions, None));
    }
    let on_demo = |action: &ActionConfig| matches!(&action.url, ActionUrl::ThisServer(path) if path.starts_with(DEMO_SHOP_PATH));
    let secret = actions
        .values()
        .filter(|action| on_demo(action))
        .find_map(|action| action.secret.clone())
        .unwrap_or_else(WebhookSecret::random);
    if actions.is_empty() {
        for name in DEMO_SHOP_ACTIONS {
            actions.insert(
                name.to_owned(),
                ActionConfig {
                    url: ActionUrl::ThisServer(format!("{DEMO_SHOP_PATH}{name}")),
                    secret: Some(secret.clone()),
                    timeout_ms: DEFAULT_ACTION_TIMEOUT_MS,
                },
            );
        }
    }
    for action in actions.values_mut() {
        if on_demo(action) && action.secret.is_none() {
            action.secret = Some(secret.clone());
        }
    }
    Ok((actions, Some(secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: &str) -> Result<Settings, ConfigError> {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("switchboard.toml");
        std::fs::write(&path, toml).expect("write the config");
        Settings::load(Some(&path), Overrides::default())
    }

    #[test]
    fn agent_languages_are_language_tags_in_the_case_locale_folders_use() {
        let agent = |languages: &str| {
            format!(
                "[[agents]]\nname = \"Zoë\"\nlanguages = {languages}\ntoken_sha256 = \"{}\"\n",
                "ab".repeat(32)
            )
        };
        let settings = load(&agent(r#"["tr", " EN", "pt-br"]"#)).expect("valid");
        assert_eq!(
            settings.agents[0].profile().languages,
            ["tr", "en", "pt-BR"]
        );
        for bad in [r#"["e n"]"#, r#"["tr", "türkçe"]"#, r#"[""]"#] {
            let error = load(&agent(bad)).expect_err(bad).to_string();
            assert!(error.contains("agents.languages"), "{bad}: {error}");
        }
    }

    #[test]
    fn an_action_table_becomes_a_checked_action() {
        let settings = load(
            "[demo]\nshop = false\n[actions.order_lookup]\nurl = \"https://shop.example.com/o\"\nsecret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n",
        )
        .expect("valid settings");
        let action = &settings.actions["order_lookup"];
        assert_eq!(action.timeout_ms, DEFAULT_ACTION_TIMEOUT_MS);
        assert_eq!(
            action.url,
            ActionUrl::Absolute(reqwest::Url::parse("https://shop.example.com/o").unwrap())
        );
        assert_eq!(action.secret.as_ref().map(|s| s.bytes().len()), Some(24));
        assert!(settings.demo_shop.is_none());
    }

    #[test]
    fn a_secret_that_is_not_base64_names_the_setting_and_hides_the_value() {
        let error = load(
            "[actions.order_lookup]\nurl = \"/demo/shop/order_lookup\"\nsecret = \"whsec_not*base64!\"\n",
        )
        .expect_err("bad base64");
        let text = error.to_string();
        assert!(text.contains("actions.secret"), "{text}");
        assert!(text.contains("order_lookup"), "{text}");
        assert!(!text.contains("not*base64!"), "{text}");
    }

    #[test]
    fn urls_timeouts_and_unknown_keys_are_checked() {
        for (toml, name) in [
            ("[actions.a]\nurl = \"ftp://x.example/\"\n", "actions.url"),
            ("[actions.a]\nurl = \"shop/order\"\n", "actions.url"),
            (
                "[actions.a]\nurl = \"/x\"\ntimeout_ms = 0\n",
                "actions.timeout_ms",
            ),
            (
                "[actions.a]\nurl = \"/x\"\ntimeout_ms = 30001\n",
                "actions.timeout_ms",
            ),
            (
                "[actions.a]\nurl = \"/x\"\nsecret = \"c2VjcmV0\"\n",
                "actions.secret",
            ),
        ] {
            let text = load(toml).expect_err(toml).to_string();
            assert!(text.contains(name), "{toml}: {text}");
        }
        assert!(load("[actions.a]\nurl = \"/x\"\nretries = 3\n").is_err());
    }

    #[test]
    fn the_bundled_content_gets_the_demo_shop_and_its_three_actions() {
        let settings = load("").expect("defaults");
        let secret = settings.demo_shop.clone().expect("demo shop on");
        let names: Vec<&str> = settings.actions.keys().map(String::as_str).collect();
        assert_eq!(names, ["change_address", "order_cancel", "order_lookup"]);
        for (name, action) in &settings.actions {
            assert_eq!(
                action.url,
                ActionUrl::ThisServer(format!("/demo/shop/{name}"))
            );
            assert_eq!(action.secret.as_ref(), Some(&secret));
        }
    }

    #[test]
    fn the_store_is_sled_or_a_redis_url_and_a_password_is_never_shown() {
        assert_eq!(StoreChoice::parse("sled").ok(), Some(StoreChoice::Embedded));
        let redis = StoreChoice::parse("redis://:hunter2@127.0.0.1:6379/0").expect("redis");
        assert_eq!(redis.redacted(), "redis://:***@127.0.0.1:6379/0");
        assert!(!format!("{redis:?}").contains("hunter2"));
        let unix = StoreChoice::parse("redis+unix:///run/redis.sock").expect("unix");
        assert_eq!(unix.redacted(), "redis+unix:///run/redis.sock");
        for bad in [
            "",
            "redis://",
            "rediss://host:6380",
            "postgres://x:secret@h/db",
        ] {
            let error = StoreChoice::parse(bad).expect_err(bad).to_string();
            assert!(error.contains("store"), "{error}");
            assert!(!error.contains("secret"), "{error}");
        }
    }

    #[test]
    fn an_unknown_time_zone_is_refused_with_or_without_hours() {
        for hours in [None, Some("Mon-Fri 09:00-18:00".to_owned())] {
            let config = HandoffConfig {
                hours: hours.clone(),
                timezone: Some("Mars/Olympus_Mons".to_owned()),
                ..HandoffConfig::default()
            };
            assert!(
                matches!(config.settings(), Err(ConfigError::Invalid { .. })),
                "{hours:?}"
            );
        }
        let known = HandoffConfig {
            timezone: Some("Europe/Riga".to_owned()),
            ..HandoffConfig::default()
        };
        assert!(known.settings().is_ok());
    }

    #[test]
    fn other_content_has_no_demo_shop_unless_asked() {
        let other = tempfile::tempdir().expect("a temp dir");
        let overrides = Overrides {
            content_dir: Some(other.path().to_owned()),
            ..Overrides::default()
        };
        let settings = Settings::load(None, overrides).expect("defaults");
        assert!(settings.demo_shop.is_none());
        assert!(settings.actions.is_empty());
    }

    #[test]
    fn a_path_resolves_against_the_bound_address() {
        let path = ActionUrl::parse("/demo/shop/order_lookup").expect("a path");
        let bound: SocketAddr = "127.0.0.1:41234".parse().unwrap();
        assert_eq!(
            path.resolve(bound).as_str(),
            "http://127.0.0.1:41234/demo/shop/order_lookup"
        );
        let any: SocketAddr = "[::]:8080".parse().unwrap();
        assert_eq!(
            path.resolve(any).as_str(),
            "http://[::1]:8080/demo/shop/order_lookup"
        );
        assert!(format!("{:?}", WebhookSecret::random()).contains(".."));
    }
}
