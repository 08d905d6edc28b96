//! Fakes of the messaging providers' APIs (Telegram's Bot API, Meta's Graph
//! API for WhatsApp Cloud, a company's Standard Webhooks callback): small
//! axum servers on 127.0.0.1:0 in the test process that record every request
//! and answer as the provider would, healthy, failing or rate-limiting. Tests
//! wait for the request they expect (with a timeout), never for a time.
//!
//! Also here: the signatures both directions use (`X-Hub-Signature-256`,
//! Standard Webhooks), so that a test signs exactly the bytes it sends.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::watch;

/// How long a test waits for a request it expects at a fake: deliveries go
/// through retries with backoff, so longer than a WebSocket frame.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(20);

/// Which provider a fake plays: decides the shape of its answers.
#[derive(Debug, Clone)]
pub enum Provider {
    /// Telegram's Bot API: `{"ok": true, "result": ..}`; a 429 carries
    /// `parameters.retry_after` in the body and no `Retry-After` header.
    Telegram,
    /// Meta's Graph API: `{"messaging_product", "contacts", "messages"}`; a
    /// 429 carries a `Retry-After` header.
    Graph,
    /// A company's webhook callback, which checks the Standard Webhooks
    /// signature with `secret` (recorded in [`Recorded::signature_valid`]);
    /// a 429 carries a `Retry-After` header.
    Callback {
        /// The `whsec_...` secret shared with the server.
        secret: String,
    },
}

/// How a fake answers the next requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// As a healthy provider: 200 with the provider's success body.
    Ok,
    /// Every request gets this status (e.g. 503, 500) with the provider's
    /// error body.
    Status(u16),
    /// The next request gets 429 asking to retry after `retry_after`
    /// seconds (each provider's way); then [`Mode::Ok`].
    RateLimitOnce {
        /// Seconds, as the provider says them.
        retry_after: u64,
    },
    /// Graph only: the next request gets Graph's throughput limit, which it
    /// answers as 400 with error code 130429 (no `Retry-After`); then
    /// [`Mode::Ok`].
    ThrottledOnce,
    /// The next `times` requests get `status` (as [`Mode::Status`]); then
    /// [`Mode::Ok`]. Counted by the fake, so no test has to switch modes
    /// in time.
    FailTimes {
        /// The status of each failure.
        status: u16,
        /// How many requests fail.
        times: u32,
    },
}

/// One request a fake received, and what it answered.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path (without the query).
    pub path: String,
    pub headers: HeaderMap,
    /// The exact bytes of the body.
    pub raw: Bytes,
    /// The body as JSON; `Null` if it is not JSON.
    pub body: Value,
    /// When it arrived.
    pub at: Instant,
    /// The status the fake answered with.
    pub status: u16,
    /// For a [`Provider::Callback`]: whether the Standard Webhooks signature
    /// verified over the raw body; `None` for the other providers.
    pub signature_valid: Option<bool>,
}

impl Recorded {
    /// A header's value as text; `None` if absent or not text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Answered 2xx: the provider took it.
    pub fn accepted(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

struct Shared {
    provider: Provider,
    mode: Mutex<Mode>,
    requests: Mutex<Vec<Recorded>>,
    /// The number of recorded requests; waiters watch it.
    count: watch::Sender<usize>,
    /// The provider's message ids handed out so far.
    message_ids: AtomicU64,
}

/// A fake provider API on `127.0.0.1:<port>`; stops when dropped.
pub struct FakeApi {
    /// `http://127.0.0.1:<port>`: the `api_base` (or the callback's origin).
    pub base: String,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl FakeApi {
    /// A fake of `provider` answering in `mode`.
    pub async fn start(provider: Provider, mode: Mode) -> Self {
        let (count, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            provider,
            mode: Mutex::new(mode),
            requests: Mutex::new(Vec::new()),
            count,
            message_ids: AtomicU64::new(0),
        });
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake");
        let addr = listener.local_addr().expect("fake address");
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake serves");
        });
        Self {
            base: format!("http://{addr}"),
            shared,
            server,
        }
    }

    pub async fn telegram(mode: Mode) -> Self {
        Self::start(Provider::Telegram, mode).await
    }

    pub async fn graph(mode: Mode) -> Self {
        Self::start(Provider::Graph, mode).await
    }

    pub async fn callback(secret: &str, mode: Mode) -> Self {
        Self::start(
            Provider::Callback {
                secret: secret.to_owned(),
            },
            mode,
        )
        .await
    }

    /// Changes how the next requests are answered.
    pub fn set_mode(&self, mode: Mode) {
        *lock(&self.shared.mode) = mode;
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// Waits until `find` finds something in the requests so far (it is
    /// asked again on every new request); panics after [`DELIVERY_TIMEOUT`]
    /// with `what` and everything the fake saw.
    pub async fn wait_for<T>(
        &self,
        what: &str,
        mut find: impl FnMut(&[Recorded]) -> Option<T>,
    ) -> T {
        let mut changes = self.shared.count.subscribe();
        let waited = tokio::time::timeout(DELIVERY_TIMEOUT, async {
            loop {
                // Marked seen before looking, so a request arriving after the
                // look wakes the wait below.
                changes.borrow_and_update();
                if let Some(found) = find(&lock(&self.shared.requests)) {
                    return found;
                }
                changes.changed().await.expect("the fake is running");
            }
        })
        .await;
        match waited {
            Ok(found) => found,
            Err(_) => panic!(
                "waited {DELIVERY_TIMEOUT:?} for {what}; the fake saw:\n{}",
                self.describe()
            ),
        }
    }

    /// Waits for the `index`-th (from 0) request whose path ends with `suffix`.
    pub async fn request(&self, suffix: &str, index: usize) -> Recorded {
        self.wait_for(&format!("request #{index} to …{suffix}"), |requests| {
            requests
                .iter()
                .filter(|r| r.path.ends_with(suffix))
                .nth(index)
                .cloned()
        })
        .await
    }

    /// Waits until at least `n` requests for which `accept` holds arrived;
    /// returns all of them so far, in order.
    pub async fn at_least(
        &self,
        what: &str,
        n: usize,
        accept: impl Fn(&Recorded) -> bool,
    ) -> Vec<Recorded> {
        self.wait_for(&format!("{n} × {what}"), |requests| {
            let found: Vec<Recorded> = requests.iter().filter(|r| accept(r)).cloned().collect();
            (found.len() >= n).then_some(found)
        })
        .await
    }

    /// One line per request, for failure messages.
    pub fn describe(&self) -> String {
        let requests = lock(&self.shared.requests);
        let Some(first) = requests.first().map(|r| r.at) else {
            return "  (nothing)".to_owned();
        };
        requests
            .iter()
            .map(|r| {
                format!(
                    "  +{:>6} ms {} {} -> {}: {}",
                    r.at.duration_since(first).as_millis(),
                    r.method,
                    r.path,
                    r.status,
                    String::from_utf8_lossy(&r.raw)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every request: recorded, then answered as the mode says.
async fn answer(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let at = Instant::now();
    let body: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    let mode = {
        let mut mode = lock(&shared.mode);
        let now = *mode;
        match now {
            Mode::RateLimitOnce { .. }
            | Mode::ThrottledOnce
            | Mode::FailTimes { times: 0..=1, .. } => *mode = Mode::Ok,
            Mode::FailTimes { status, times } => {
                *mode = Mode::FailTimes {
                    status,
                    times: times - 1,
                }
            }
            Mode::Ok | Mode::Status(_) => {}
        }
        now
    };
    let signature_valid = match &shared.provider {
        Provider::Callback { secret } => Some(standard_webhooks_valid(secret, &headers, &raw)),
        _ => None,
    };
    let path = uri.path().to_owned();
    let (status, response) = match mode {
        Mode::Ok => (200, ok_body(&shared, &path, &body)),
        Mode::FailTimes { times: 0, .. } => (200, ok_body(&shared, &path, &body)),
        Mode::Status(status) | Mode::FailTimes { status, .. } => {
            (status, error_body(&shared.provider, status))
        }
        Mode::RateLimitOnce { retry_after } => (429, rate_limited(&shared.provider, retry_after)),
        Mode::ThrottledOnce => (
            400,
            json_response(
                400,
                &[],
                json!({"error": {"message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429, "fbtrace_id": "AbCdEf"}}),
            ),
        ),
    };
    {
        let mut requests = lock(&shared.requests);
        requests.push(Recorded {
            method: method.to_string(),
            path,
            headers,
            raw,
            body,
            at,
            status,
            signature_valid,
        });
        let n = requests.len();
        shared.count.send_replace(n);
    }
    response
}

fn json_response(status: u16, headers: &[(&str, String)], body: Value) -> Response {
    let status = StatusCode::from_u16(status).expect("a status");
    let mut response = (status, axum::Json(body)).into_response();
    for (name, value) in headers {
        response.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            value.parse().expect("header value"),
        );
    }
    response
}

fn ok_body(shared: &Shared, path: &str, request: &Value) -> Response {
    let n = shared.message_ids.fetch_add(1, Ordering::SeqCst) + 1;
    match &shared.provider {
        Provider::Telegram if path.ends_with("/sendMessage") => json_response(
            200,
            &[],
            json!({"ok": true, "result": {
                "message_id": 1000 + n,
                "date": unix_now(),
                "chat": {"id": request["chat_id"], "type": "private"},
                "text": request["text"],
            }}),
        ),
        Provider::Telegram => json_response(200, &[], json!({"ok": true, "result": true})),
        Provider::Graph => json_response(
            200,
            &[],
            json!({
                "messaging_product": "whatsapp",
                "contacts": [{"input": request["to"], "wa_id": request["to"]}],
                "messages": [{"id": format!("wamid.OUT{n}")}],
            }),
        ),
        Provider::Callback { .. } => StatusCode::OK.into_response(),
    }
}

fn error_body(provider: &Provider, status: u16) -> Response {
    match provider {
        Provider::Telegram => json_response(
            status,
            &[],
            json!({"ok": false, "error_code": status, "description": "Internal Server Error"}),
        ),
        // Graph's code for an overload (5xx), else for a bad request.
        Provider::Graph if status >= 500 => json_response(
            status,
            &[],
            json!({"error": {"message": "Service temporarily unavailable", "type": "OAuthException", "code": 2, "fbtrace_id": "AbCdEf"}}),
        ),
        Provider::Graph => json_response(
            status,
            &[],
            json!({"error": {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100, "fbtrace_id": "AbCdEf"}}),
        ),
        Provider::Callback { .. } => StatusCode::from_u16(status)
            .expect("a status")
            .into_response(),
    }
}

fn rate_limited(provider: &Provider, retry_after: u64) -> Response {
    match provider {
        // Telegram says it only in the body.
        Provider::Telegram => json_response(
            429,
            &[],
            json!({
                "ok": false,
                "error_code": 429,
                "description": format!("Too Many Requests: retry after {retry_after}"),
                "parameters": {"retry_after": retry_after},
            }),
        ),
        Provider::Graph => json_response(
            429,
            &[("Retry-After", retry_after.to_string())],
            json!({"error": {"message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429, "fbtrace_id": "AbCdEf"}}),
        ),
        Provider::Callback { .. } => {
            let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
            response.headers_mut().insert(
                "Retry-After",
                retry_after.to_string().parse().expect("header value"),
            );
            response
        }
    }
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

/// `sha256=<hex HMAC-SHA256(app_secret, body)>`: WhatsApp Cloud's
/// `X-Hub-Signature-256` over the exact bytes of `body`.
pub fn hub_signature(app_secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The key of a `whsec_<base64>` secret.
fn webhook_key(secret: &str) -> Vec<u8> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("a base64 secret")
}

/// The Standard Webhooks `webhook-signature` value (`v1,<base64>`) of `body`
/// sent with `id` at `timestamp` (unix seconds).
pub fn standard_webhooks_signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&webhook_key(secret)).expect("any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// Whether `headers` carry a Standard Webhooks signature of `body` under
/// `secret`: one of the space-separated `v1,<base64>` signatures matches
/// (checked in constant time), and the timestamp is within 5 minutes of now.
pub fn standard_webhooks_valid(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(id), Some(timestamp), Some(signatures)) = (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    ) else {
        return false;
    };
    let Ok(timestamp) = timestamp.parse::<i64>() else {
        return false;
    };
    if (unix_now() - timestamp).abs() > 5 * 60 {
        return false;
    }
    signatures.split(' ').any(|signature| {
        let Some(encoded) = signature.strip_prefix("v1,") else {
            return false;
        };
        let Ok(given) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&webhook_key(secret)).expect("any key length");
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        mac.verify_slice(&given).is_ok()
    })
}
