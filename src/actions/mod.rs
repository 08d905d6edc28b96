//! Business actions: the company's own backend answers an intent (order
//! lookup, cancellation) with facts, and Switchboard says them in the
//! customer's language (PROTOCOL.md, "Business actions").
//!
//! [`Actions`] holds one pooled HTTP client and the configured actions by
//! name; [`Actions::call`] POSTs an [`ActionRequest`] as JSON, signed with
//! Standard Webhooks headers when the action has a secret, and returns an
//! [`ActionAnswer`] checked for shape, or an [`ActionError`]. It does not
//! know the message catalogue: whether a returned message id exists in
//! `locales/` is for the caller to check (an unknown one is a failure too).
//!
//! - `signature`: signing and verifying Standard Webhooks headers.
//! - [`demo`]: the demo shop's backend, served by this same server.

pub mod demo;
pub mod signature;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::{ActionConfig, Settings, WebhookSecret};

/// Most `args` an answer may carry.
pub const MAX_ARGS: usize = 20;
/// Most `quick_replies` an answer may carry.
pub const MAX_QUICK_REPLIES: usize = 10;
/// Largest answer body read, in bytes; a longer one is a bad answer.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// How much of a backend's body may reach the log, in characters.
const LOGGED_BODY_CHARS: usize = 200;
/// How long opening a connection may take, at most, whatever the action's
/// own timeout (which bounds the whole call).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What Switchboard POSTs to an action, as JSON with these keys in this order
/// (`customer` is `null` when unknown).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRequest {
    /// The action's configured name (`order_lookup`).
    pub action: String,
    /// The intent that called it (`order_status`).
    pub intent: String,
    /// The conversation id (32 hex digits).
    pub conversation: String,
    /// The conversation's locale tag (`tr`).
    pub locale: String,
    /// The intent's filled slots by name (`order_number` → `1004527`).
    pub slots: BTreeMap<String, String>,
    /// What the widget said about the customer (`hello.customer`), as given.
    pub customer: Option<Value>,
}

/// A backend's answer, checked for shape.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionAnswer {
    /// Say the Fluent message `message` with `args`.
    Reply {
        /// A Fluent message id (syntax checked, existence not).
        message: String,
        /// At most [`MAX_ARGS`] values, each a string, a number, a boolean
        /// or `{"amount": "49.90" | 49.9, "currency": "EUR"}` (turned into
        /// text by [`crate::l10n::format::display_args`]).
        args: Map<String, Value>,
        /// At most [`MAX_QUICK_REPLIES`] intent names offered next.
        quick_replies: Vec<String>,
    },
    /// `{"handoff": true}`: the backend wants a person to take over.
    Handoff,
}

/// Why an action gave no usable answer. The customer never sees these: the
/// caller apologises and offers a person.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// No action of that name is configured.
    #[error("action {0} is not configured")]
    Unknown(String),
    /// The HTTP client could not be built (its TLS setup).
    #[error("cannot build the HTTP client for actions: {0}")]
    Client(String),
    /// No whole answer within the action's `timeout_ms`.
    #[error("action {action} did not answer within {timeout_ms} ms")]
    Timeout {
        /// The action's name.
        action: String,
        /// Its timeout, in milliseconds.
        timeout_ms: u64,
    },
    /// The request could not be sent or the answer not read (refused
    /// connection, DNS, TLS, reset).
    #[error("action {action}: {message}")]
    Transport {
        /// The action's name.
        action: String,
        /// The HTTP client's description, without the URL.
        message: String,
    },
    /// The backend answered with a status other than 2xx.
    #[error("action {action} answered HTTP {status}")]
    Status {
        /// The action's name.
        action: String,
        /// The HTTP status code.
        status: u16,
    },
    /// A 2xx answer that is not the expected JSON (not JSON, neither
    /// `message` nor `handoff`, a bad message id, bad or too many args or
    /// quick replies, too large), or one that cannot be said (a message
    /// unknown to `locales/`, a variable without its arg).
    #[error("action {action} gave a bad answer: {reason}")]
    BadAnswer {
        /// The action's name.
        action: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl ActionError {
    /// A short name for metrics and logs: `unknown`, `client`, `timeout`,
    /// `transport`, `status` or `bad_answer`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unknown(_) => "unknown",
            Self::Client(_) => "client",
            Self::Timeout { .. } => "timeout",
            Self::Transport { .. } => "transport",
            Self::Status { .. } => "status",
            Self::BadAnswer { .. } => "bad_answer",
        }
    }
}

/// One configured action, resolved.
struct Target {
    url: reqwest::Url,
    secret: Option<WebhookSecret>,
    timeout: Duration,
}

/// The configured actions and one pooled HTTP client; cheap to share in an
/// `Arc`, safe to call from many tasks at once.
pub struct Actions {
    client: reqwest::Client,
    targets: BTreeMap<String, Target>,
}

impl std::fmt::Debug for Actions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Actions")
            .field("names", &self.targets.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Actions {
    /// The actions in `settings`, with paths (`/demo/shop/...`) resolved
    /// against `bound`, the address the server actually listens on (so call
    /// it after binding; see [`crate::config::ActionUrl::resolve`]).
    ///
    /// # Errors
    ///
    /// [`ActionError::Client`] if the HTTP client cannot be built.
    pub fn from_settings(settings: &Settings, bound: SocketAddr) -> Result<Self, ActionError> {
        Self::new(&settings.actions, bound)
    }

    /// The actions `configs` by name, paths resolved against `bound`.
    ///
    /// # Errors
    ///
    /// [`ActionError::Client`] if the HTTP client cannot be built.
    pub fn new(
        configs: &BTreeMap<String, ActionConfig>,
        bound: SocketAddr,
    ) -> Result<Self, ActionError> {
        // reqwest is built without a crypto provider of its own (no aws-lc,
        // hence no cmake): rustls runs on ring, installed for the process.
        // An error means one is installed already, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ActionError::Client(e.without_url().to_string()))?;
        let targets = configs
            .iter()
            .map(|(name, config)| {
                let target = Target {
                    url: config.url.resolve(bound),
                    secret: config.secret.clone(),
                    timeout: config.timeout(),
                };
                (name.clone(), target)
            })
            .collect();
        Ok(Self { client, targets })
    }

    /// The configured actions' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.targets.keys().map(String::as_str)
    }

    /// Calls the action `name` with `request` and checks its answer. Takes
    /// at most the action's `timeout_ms`. Every outcome is counted in
    /// `switchboard_action_calls_total{action, outcome}` (`reply`,
    /// `handoff`, or [`ActionError::kind`]) and timed in
    /// `switchboard_action_seconds{action}`; failures are logged with the
    /// action, conversation and status, never the secret, and at most 200
    /// characters of the backend's body.
    ///
    /// # Errors
    ///
    /// [`ActionError::Unknown`], [`ActionError::Timeout`],
    /// [`ActionError::Transport`], [`ActionError::Status`] or
    /// [`ActionError::BadAnswer`].
    pub async fn call(
        &self,
        name: &str,
        request: &ActionRequest,
    ) -> Result<ActionAnswer, ActionError> {
        self.call_with_id(name, &message_id(), request, |_| Ok(()))
            .await
    }

    /// [`Self::call`] with the request's `webhook-id` given: a call made
    /// again after a restart keeps the id of the first try, so that the
    /// backend can tell the repeat (Standard Webhooks' idempotency key).
    /// `accept` checks what only the caller can: that a well-formed answer
    /// can be said (its message exists, its args fill every variable); its
    /// refusal is a [`ActionError::BadAnswer`] like any other.
    ///
    /// # Errors
    ///
    /// As [`Self::call`].
    pub async fn call_with_id(
        &self,
        name: &str,
        id: &str,
        request: &ActionRequest,
        accept: impl FnOnce(&ActionAnswer) -> Result<(), String>,
    ) -> Result<ActionAnswer, ActionError> {
        let started = Instant::now();
        let result = match self.targets.get(name) {
            Some(target) => self.call_target(name, id, target, request).await,
            None => Err(ActionError::Unknown(name.to_owned())),
        };
        let result = result.and_then(|answer| match accept(&answer) {
            Ok(()) => Ok(answer),
            Err(reason) => {
                tracing::warn!(action = name, conversation = %request.conversation, %reason, "action answer cannot be said");
                Err(ActionError::BadAnswer {
                    action: name.to_owned(),
                    reason,
                })
            }
        });
        let outcome = match &result {
            Ok(ActionAnswer::Reply { .. }) => "reply",
            Ok(ActionAnswer::Handoff) => "handoff",
            Err(error) => error.kind(),
        };
        metrics::counter!(
            "switchboard_action_calls_total",
            "action" => name.to_owned(),
            "outcome" => outcome
        )
        .increment(1);
        metrics::histogram!("switchboard_action_seconds", "action" => name.to_owned())
            .record(started.elapsed().as_secs_f64());
        result
    }

    async fn call_target(
        &self,
        name: &str,
        id: &str,
        target: &Target,
        request: &ActionRequest,
    ) -> Result<ActionAnswer, ActionError> {
        // Serialising a struct of strings and JSON values cannot fail.
        let body = serde_json::to_vec(request).unwrap_or_default();
        let mut builder = self
            .client
            .post(target.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(secret) = &target.secret {
            let timestamp = signature::unix_now();
            let signed = signature::sign(secret.bytes(), id, timestamp, &body);
            builder = builder
                .header(signature::ID, id)
                .header(signature::TIMESTAMP, timestamp.to_string())
                .header(signature::SIGNATURE, signed);
        }
        let exchange = async {
            let response = builder.body(body).send().await?;
            let status = response.status();
            let body = read_capped(response).await?;
            Ok::<_, reqwest::Error>((status, body))
        };
        let conversation = request.conversation.as_str();
        let (status, body) = match tokio::time::timeout(target.timeout, exchange).await {
            Err(_) => {
                let timeout_ms = u64::try_from(target.timeout.as_millis()).unwrap_or(u64::MAX);
                tracing::warn!(action = name, conversation, timeout_ms, "action timed out");
                return Err(ActionError::Timeout {
                    action: name.to_owned(),
                    timeout_ms,
                });
            }
            Ok(Err(error)) => {
                let message = error.without_url().to_string();
                tracing::warn!(action = name, conversation, error = %message, "action unreachable");
                return Err(ActionError::Transport {
                    action: name.to_owned(),
                    message,
                });
            }
            Ok(Ok(answer)) => answer,
        };
        let Body { bytes, truncated } = body;
        if !status.is_success() {
            tracing::warn!(
                action = name,
                conversation,
                status = status.as_u16(),
                body = %snippet(&bytes),
                "action failed"
            );
            return Err(ActionError::Status {
                action: name.to_owned(),
                status: status.as_u16(),
            });
        }
        let parsed = if truncated {
            Err(format!("larger than {MAX_ANSWER_BYTES} bytes"))
        } else {
            parse_answer(&bytes)
        };
        parsed.map_err(|reason| {
            tracing::warn!(
                action = name,
                conversation,
                status = status.as_u16(),
                %reason,
                body = %snippet(&bytes),
                "action gave a bad answer"
            );
            ActionError::BadAnswer {
                action: name.to_owned(),
                reason,
            }
        })
    }
}

/// A fresh `webhook-id`: `msg_` and 128 random bits in hex.
pub fn message_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("msg_{}", hex::encode(bytes))
}

/// An answer body read up to [`MAX_ANSWER_BYTES`].
struct Body {
    bytes: Vec<u8>,
    truncated: bool,
}

async fn read_capped(mut response: reqwest::Response) -> Result<Body, reqwest::Error> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
            let room = MAX_ANSWER_BYTES - bytes.len();
            bytes.extend_from_slice(&chunk[..room]);
            return Ok(Body {
                bytes,
                truncated: true,
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Body {
        bytes,
        truncated: false,
    })
}

/// At most [`LOGGED_BODY_CHARS`] characters of a body, for the log.
fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(LOGGED_BODY_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Whether `id` is a Fluent identifier: `[a-zA-Z][a-zA-Z0-9_-]*`.
pub fn is_fluent_identifier(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Checks an answer body's shape (see [`ActionAnswer`]); errs with the
/// reason.
fn parse_answer(bytes: &[u8]) -> Result<ActionAnswer, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON ({e})"))?;
    let Value::Object(mut object) = value else {
        return Err("not a JSON object".into());
    };
    match object.get("handoff") {
        Some(Value::Bool(true)) => return Ok(ActionAnswer::Handoff),
        Some(Value::Bool(false)) | None => {}
        Some(_) => return Err("`handoff` is not a boolean".into()),
    }
    let message = match object.remove("message") {
        Some(Value::String(message)) => message,
        Some(_) => return Err("`message` is not a string".into()),
        None => return Err("neither `message` nor `handoff`".into()),
    };
    if !is_fluent_identifier(&message) {
        return Err(format!(
            "`{}` is not a Fluent message id",
            snippet(message.as_bytes())
        ));
    }
    let args = match object.remove("args") {
        Some(Value::Object(args)) => args,
        Some(Value::Null) | None => Map::new(),
        Some(_) => return Err("`args` is not an object".into()),
    };
    if args.len() > MAX_ARGS {
        return Err(format!("{} args, more than {MAX_ARGS}", args.len()));
    }
    for (name, value) in &args {
        if !is_fluent_identifier(name) {
            return Err(format!(
                "arg `{}` is not a Fluent variable name",
                snippet(name.as_bytes())
            ));
        }
        if !is_arg_value(value) {
            return Err(format!(
                "arg `{name}` is not a string, number, boolean or {{amount, currency}}"
            ));
        }
    }
    let quick_replies = match object.remove("quick_replies") {
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::String(intent) => Ok(intent),
                _ => Err("a quick reply is not a string".to_owned()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(Value::Null) | None => Vec::new(),
        Some(_) => return Err("`quick_replies` is not an array".into()),
    };
    if quick_replies.len() > MAX_QUICK_REPLIES {
        return Err(format!(
            "{} quick replies, more than {MAX_QUICK_REPLIES}",
            quick_replies.len()
        ));
    }
    Ok(ActionAnswer::Reply {
        message,
        args,
        quick_replies,
    })
}

/// A string, number, boolean, or `{"amount": string | number, "currency":
/// "XXX"}` with nothing else in it.
fn is_arg_value(value: &Value) -> bool {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
        Value::Object(money) => {
            let amount_ok = matches!(
                money.get("amount"),
                Some(Value::String(_) | Value::Number(_))
            );
            let currency_ok = matches!(
                money.get("currency"),
                Some(Value::String(code)) if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
            );
            amount_ok && currency_ok && money.len() == 2
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
