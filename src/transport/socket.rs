//! What every WebSocket of the server shares: buffer and size limits, the
//! writer task behind a bounded queue, one reading loop for both channels
//! ([`Channel`], [`run`]), and the closing sequence.
//!
//! Each socket is split in two tasks (after axum's chat example): the loop
//! reads frames and drives the channel, and a writer drains a bounded queue
//! into the socket. A client that stops reading fills the queue and is
//! disconnected instead of growing the server's memory. The loop is generic
//! over the stream of frames (after axum's testing-websockets example).

use std::future::Future;
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use futures_util::stream::SplitStream;
use futures_util::{SinkExt, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::mpsc;

use super::AppState;
use crate::config::Limits;
use crate::domain::ErrorCode;

/// Close codes of RFC 6455 that the protocol names.
pub const CLOSE_NORMAL: u16 = 1000;
pub const CLOSE_GOING_AWAY: u16 = 1001;
pub const CLOSE_PROTOCOL: u16 = 1002;
pub const CLOSE_UNSUPPORTED: u16 = 1003;
pub const CLOSE_INVALID_DATA: u16 = 1007;
pub const CLOSE_POLICY: u16 = 1008;
pub const CLOSE_TOO_BIG: u16 = 1009;
/// How often a connection checks its deadlines (frames, idleness, pings), at most.
const CHECK_INTERVAL: Duration = Duration::from_secs(5);

/// tungstenite's own cap on a message, above our limit: frames between the
/// two are read whole and answered with a proper 1009 close; beyond this
/// tungstenite refuses them from their header, before reading them, so an
/// unfinished oversized frame never holds more than this.
const HARD_MESSAGE_CAP: usize = 64 * 1024;
/// Chat frames are small: the read buffer starts at 1 KiB instead of
/// tungstenite's 128 KiB and grows to a larger frame's length only while one
/// is read. Every idle connection holds it (4 KiB cost 3 KiB more per
/// connection, measured with heaptrack).
const READ_BUFFER: usize = 1024;
const WRITE_BUFFER: usize = 4 * 1024;
/// The largest frame the server sends. Every frame is bounded below it by
/// construction (text limits, the agent's windowed transcript and trimmed
/// queue view); the writer refuses anything larger rather than fail the socket.
pub const MAX_SERVER_FRAME: usize = 256 * 1024;
/// tungstenite refuses a message larger than its write-buffer cap, so the cap
/// leaves room for the largest frame on top of a full buffer. The buffer only
/// grows this far while a large frame is written.
const MAX_WRITE_BUFFER: usize = 2 * MAX_SERVER_FRAME;
/// RFC 6455: the server hit an unexpected condition.
pub const CLOSE_INTERNAL: u16 = 1011;

/// Why a reader stopped.
pub enum Stop {
    /// The client closed or the socket failed.
    Gone,
    /// We close the socket with this code.
    Close(u16, &'static str),
    /// The outbound queue is full: the client is not reading.
    Overrun,
}

/// The `id` and `conversation` of a frame refused before it was read (over
/// the rate budget), for the `error` that answers it; both `None` when the
/// text is not a JSON object with them as strings.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FrameNames {
    #[serde(default, deserialize_with = "lenient_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub conversation: Option<String>,
}

impl FrameNames {
    pub fn of(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// A string, or `None` for any other JSON value.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    Ok(match value {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

/// A frame the server refuses: the error code to send, then how to close.
pub struct Refused {
    pub code: ErrorCode,
    pub stop: Stop,
}

/// Sizes the upgrade for chat.
pub fn configure(ws: WebSocketUpgrade, limits: &Limits) -> WebSocketUpgrade {
    let max_message = HARD_MESSAGE_CAP.max(limits.max_frame_bytes * 4);
    ws.read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(max_message)
        .max_frame_size(max_message)
}

/// The text of a client frame; `None` for ping, pong and close (tungstenite
/// handles them; they only prove the client alive); refused if binary or
/// over the size limit. Pings count in the rate budget like any frame: a
/// client over it with pings is flooding, and is closed.
fn screen(
    message: Message,
    limits: &Limits,
    budget: &DefaultDirectRateLimiter,
) -> Result<Option<Utf8Bytes>, Refused> {
    match message {
        Message::Ping(_) if budget.check().is_err() => Err(Refused {
            code: ErrorCode::RateLimited,
            stop: Stop::Close(CLOSE_POLICY, "too many pings"),
        }),
        Message::Text(text) if text.len() > limits.max_frame_bytes => Err(Refused {
            code: ErrorCode::TooLarge,
            stop: Stop::Close(CLOSE_TOO_BIG, "frame too large"),
        }),
        Message::Text(text) => Ok(Some(text)),
        Message::Binary(_) => Err(Refused {
            code: ErrorCode::UnsupportedData,
            stop: Stop::Close(CLOSE_UNSUPPORTED, "binary frames are not supported"),
        }),
        Message::Ping(_) | Message::Pong(_) | Message::Close(_) => Ok(None),
    }
}

/// What a failed read means for the socket.
pub enum ReadFailure {
    /// The frame was over tungstenite's own cap: `too_large`, then 1009.
    TooLarge,
    /// Text that is not UTF-8: close 1007.
    InvalidUtf8,
    /// A frame that breaks RFC 6455: close 1002.
    Protocol,
    /// The connection is gone.
    Gone,
}

pub fn classify_read_error(error: axum::Error) -> ReadFailure {
    match error.into_inner().downcast::<tungstenite::Error>() {
        Ok(error) => match *error {
            tungstenite::Error::Capacity(_) => ReadFailure::TooLarge,
            tungstenite::Error::Utf8(_) => ReadFailure::InvalidUtf8,
            tungstenite::Error::Protocol(ref violation) => {
                tracing::debug!(%violation, "protocol violation");
                ReadFailure::Protocol
            }
            _ => ReadFailure::Gone,
        },
        Err(_) => ReadFailure::Gone,
    }
}

impl ReadFailure {
    /// How the socket stops, and the error code to send first, if any.
    pub fn stop(&self) -> (Option<ErrorCode>, Stop) {
        match self {
            ReadFailure::TooLarge => (
                Some(ErrorCode::TooLarge),
                Stop::Close(CLOSE_TOO_BIG, "frame too large"),
            ),
            ReadFailure::InvalidUtf8 => (None, Stop::Close(CLOSE_INVALID_DATA, "invalid UTF-8")),
            ReadFailure::Protocol => (None, Stop::Close(CLOSE_PROTOCOL, "protocol error")),
            ReadFailure::Gone => (None, Stop::Gone),
        }
    }
}

/// The per-connection rate limiter.
pub fn rate_limiter(limits: &Limits) -> DefaultDirectRateLimiter {
    let per_second = NonZeroU32::new(limits.frames_per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(limits.frames_burst).unwrap_or(NonZeroU32::MIN);
    RateLimiter::direct(Quota::per_second(per_second).allow_burst(burst))
}

/// Runs `read` over a socket with a writer behind a bounded queue, then
/// closes the way `read` says. `read` gets the incoming half, the queue and
/// the state, and returns why it stopped and an id for the log.
pub async fn serve<F, Fut>(socket: WebSocket, state: AppState, kind: &'static str, read: F)
where
    F: FnOnce(SplitStream<WebSocket>, mpsc::Sender<Message>, AppState) -> Fut,
    Fut: Future<Output = (Stop, Option<String>, SplitStream<WebSocket>)>,
{
    let (sink, stream) = socket.split();
    let (out, queue) = mpsc::channel::<Message>(state.settings.limits.outbound_queue);
    let writer = tokio::spawn(write_queue(sink, queue, kind));
    metrics::gauge!("switchboard_connections", "kind" => kind).increment(1);
    let (stop, id, mut stream) = read(stream, out.clone(), state).await;
    metrics::gauge!("switchboard_connections", "kind" => kind).decrement(1);
    match stop {
        Stop::Close(code, reason) => {
            tracing::debug!(kind, id, code, reason, "closing socket");
            let _ = out.try_send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })));
            drop(out);
            // Let the writer send what is queued and the close frame, then wait
            // briefly for the client's close so it sees a clean shutdown.
            let _ = writer.await;
            let _ = tokio::time::timeout(Duration::from_secs(2), async {
                while let Some(Ok(_)) = stream.next().await {}
            })
            .await;
        }
        Stop::Overrun => {
            tracing::warn!(kind, id, "client is not reading: disconnecting");
            writer.abort();
        }
        Stop::Gone => {
            drop(out);
            let _ = writer.await;
        }
    }
}

/// Drains the outbound queue into the socket until it closes. Frames that
/// are already queued go out together with one flush: an ack and the bot's
/// answer cost one system call, not two.
async fn write_queue(
    mut sink: futures_util::stream::SplitSink<WebSocket, Message>,
    mut queue: mpsc::Receiver<Message>,
    kind: &'static str,
) {
    'frames: while let Some(first) = queue.recv().await {
        let mut next = Some(first);
        while let Some(message) = next.take().or_else(|| queue.try_recv().ok()) {
            if let Message::Text(text) = &message {
                if text.len() > MAX_SERVER_FRAME {
                    tracing::error!(
                        kind,
                        bytes = text.len(),
                        "frame over the server's frame limit: not sent"
                    );
                    continue;
                }
            }
            let closing = matches!(message, Message::Close(_));
            if let Err(error) = sink.feed(message).await {
                failed_write(&mut sink, kind, &error).await;
                break 'frames;
            }
            if closing {
                break 'frames;
            }
        }
        if let Err(error) = sink.flush().await {
            failed_write(&mut sink, kind, &error).await;
            break;
        }
    }
    // Sends what tungstenite still holds, such as its answer to the
    // client's close frame, so the closing handshake completes.
    let _ = sink.close().await;
}

/// A write failed: logged (unless the client simply left) and the socket is
/// closed with 1011. Dropping the queue ends the reader (it watches `closed()`).
async fn failed_write(
    sink: &mut futures_util::stream::SplitSink<WebSocket, Message>,
    kind: &'static str,
    error: &axum::Error,
) {
    if gone(error) {
        tracing::debug!(kind, %error, "the client has gone");
    } else {
        tracing::warn!(kind, %error, "cannot write to the socket: closing it");
    }
    let _ = sink
        .send(Message::Close(Some(CloseFrame {
            code: CLOSE_INTERNAL,
            reason: "write failed".into(),
        })))
        .await;
}

/// Whether a write failed only because the client has gone.
fn gone(error: &axum::Error) -> bool {
    use std::error::Error;
    let mut cause: Option<&(dyn Error + 'static)> = error.source();
    while let Some(e) = cause {
        if let Some(ws) = e.downcast_ref::<tungstenite::Error>() {
            return match ws {
                tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => true,
                tungstenite::Error::Io(io) => matches!(
                    io.kind(),
                    std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
                ),
                _ => false,
            };
        }
        cause = e.source();
    }
    false
}

/// A connection's deadlines: it is pinged at the configured interval, closed
/// when silent (no frame, no pong) for the idle timeout, and closed when a
/// frame it started has not been completed within the frame timeout (the
/// bytes read from the connection moved, but no frame came of them).
pub struct Keepalive {
    ticks: tokio::time::Interval,
    last_heard: tokio::time::Instant,
    last_ping: tokio::time::Instant,
    ping_every: Duration,
    idle: Duration,
    frame_timeout: Duration,
    meter: Option<std::sync::Arc<super::server::ReadMeter>>,
    /// The meter's reading when the last whole frame arrived.
    bytes_heard: u64,
    /// When a check first saw bytes of a frame that has not arrived whole.
    partial_since: Option<tokio::time::Instant>,
}

impl Keepalive {
    pub async fn new(
        limits: &Limits,
        meter: Option<std::sync::Arc<super::server::ReadMeter>>,
    ) -> Self {
        let ping_every = limits.ping_interval();
        let frame_timeout = limits.frame_timeout();
        let check = ping_every.min(CHECK_INTERVAL).min(frame_timeout / 2);
        let mut ticks = tokio::time::interval(check.max(Duration::from_millis(10)));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is immediate; the first check is due one interval from now.
        ticks.tick().await;
        let now = tokio::time::Instant::now();
        let bytes_heard = meter.as_ref().map_or(0, |m| m.bytes());
        Self {
            ticks,
            last_heard: now,
            last_ping: now,
            ping_every,
            idle: limits.idle_timeout(),
            frame_timeout,
            meter,
            bytes_heard,
            partial_since: None,
        }
    }

    /// A whole frame arrived.
    pub fn heard(&mut self) {
        self.last_heard = tokio::time::Instant::now();
        self.partial_since = None;
        if let Some(meter) = &self.meter {
            self.bytes_heard = meter.bytes();
        }
    }

    /// At the next check: a ping to send (or nothing), or why to close.
    pub async fn beat(&mut self) -> Result<Option<Message>, Stop> {
        self.ticks.tick().await;
        let now = tokio::time::Instant::now();
        let unfinished = self
            .meter
            .as_ref()
            .is_some_and(|m| m.bytes() > self.bytes_heard);
        if unfinished {
            let since = *self.partial_since.get_or_insert(now);
            if now.duration_since(since) >= self.frame_timeout {
                return Err(Stop::Close(CLOSE_POLICY, "frame not completed in time"));
            }
        }
        if now.duration_since(self.last_heard) >= self.idle {
            return Err(Stop::Close(CLOSE_NORMAL, "idle timeout"));
        }
        if now.duration_since(self.last_ping) >= self.ping_every {
            self.last_ping = now;
            return Ok(Some(Message::Ping(Default::default())));
        }
        Ok(None)
    }
}

/// The queue of frames to a client.
pub struct Outbox {
    tx: mpsc::Sender<Message>,
    /// A frame did not fit: the client is not reading.
    overrun: bool,
}

impl Outbox {
    pub fn new(tx: mpsc::Sender<Message>) -> Self {
        Self { tx, overrun: false }
    }

    /// Queues a frame; a full queue marks the client as not reading.
    pub fn push(&mut self, message: Message) {
        if self.tx.try_send(message).is_err() {
            self.overrun = true;
        }
    }

    /// Queues a JSON frame.
    pub fn push_json<T: serde::Serialize>(&mut self, frame: &T) {
        match serde_json::to_string(frame) {
            Ok(text) => self.push(Message::Text(text.into())),
            Err(error) => tracing::error!(%error, "cannot encode a frame"),
        }
    }

    /// Queues a frame, waiting up to `patience` for room: for a replay of any
    /// length to reach a client that reads. False if it did not get in.
    pub async fn push_waiting(&mut self, message: Message, patience: Duration) -> bool {
        match tokio::time::timeout(patience, self.tx.send(message)).await {
            Ok(Ok(())) => true,
            Ok(Err(_)) | Err(_) => {
                self.overrun = true;
                false
            }
        }
    }
}

/// One side of the protocol over a socket: what its frames and events mean.
/// [`run`] drives it; sockets, limits and deadlines stay there.
pub trait Channel: Send {
    /// What the rest of the server tells this connection.
    type Event: Send;

    /// The next event for the connection; pending while none can come.
    fn next_event(&mut self) -> impl Future<Output = Option<Self::Event>> + Send;

    /// A text frame within the size and rate limits.
    fn on_text(&mut self, text: Utf8Bytes) -> impl Future<Output = Option<Stop>> + Send;

    fn on_event(&mut self, event: Self::Event) -> impl Future<Output = Option<Stop>> + Send;

    /// The client must have done what the channel needs by then (`hello`,
    /// `auth`), else [`Channel::on_deadline`].
    fn deadline(&self) -> Option<tokio::time::Instant>;

    fn on_deadline(&mut self) -> impl Future<Output = Stop> + Send;

    /// Sends an `error` frame with `code`, naming the refused frame's `id`
    /// and `conversation` where it had them ([`FrameNames`]).
    fn refuse(&mut self, code: ErrorCode, names: FrameNames) -> impl Future<Output = ()> + Send;

    fn outbox(&mut self) -> &mut Outbox;
}

/// Reads `stream` and drives `channel` until the client goes, the server
/// shuts down, a limit or deadline is crossed, or the channel stops.
pub async fn run<C, S>(
    channel: &mut C,
    stream: &mut S,
    limits: &Limits,
    shutdown: &tokio_util::sync::CancellationToken,
    meter: Option<std::sync::Arc<super::server::ReadMeter>>,
) -> Stop
where
    C: Channel,
    S: futures_util::Stream<Item = Result<Message, axum::Error>> + Unpin + Send,
{
    // The channel's handlers are boxed: a turn's future is large and lives
    // only while the turn runs, while this loop's own state is held by every
    // idle connection (4.8 KiB per connection unboxed, measured).
    let budget = rate_limiter(limits);
    let mut keepalive = Keepalive::new(limits, meter).await;
    let writer = channel.outbox().tx.clone();
    loop {
        let deadline = channel.deadline();
        let stop = tokio::select! {
            _ = shutdown.cancelled() => Some(Stop::Close(CLOSE_GOING_AWAY, "server shutting down")),
            _ = writer.closed() => Some(Stop::Gone),
            _ = sleep_until(deadline), if deadline.is_some() => Some(Box::pin(channel.on_deadline()).await),
            received = stream.next() => {
                keepalive.heard();
                match received {
                    None | Some(Ok(Message::Close(_))) => Some(Stop::Gone),
                    Some(Ok(message)) => match screen(message, limits, &budget) {
                        Ok(None) => None,
                        Ok(Some(text)) if budget.check().is_err() => {
                            // Named, so that the client knows which frame to send again.
                            let names = FrameNames::of(&text);
                            Box::pin(channel.refuse(ErrorCode::RateLimited, names)).await;
                            None
                        }
                        Ok(Some(text)) => Box::pin(channel.on_text(text)).await,
                        Err(refused) => {
                            Box::pin(channel.refuse(refused.code, FrameNames::default())).await;
                            Some(refused.stop)
                        }
                    },
                    Some(Err(error)) => {
                        let (code, stop) = classify_read_error(error).stop();
                        if let Some(code) = code {
                            // The frame is gone but the socket can still say why.
                            Box::pin(channel.refuse(code, FrameNames::default())).await;
                        }
                        Some(stop)
                    }
                }
            }
            event = channel.next_event() => match event {
                Some(event) => Box::pin(channel.on_event(event)).await,
                None => Some(Stop::Gone),
            },
            beat = keepalive.beat() => match beat {
                Ok(Some(ping)) => {
                    channel.outbox().push(ping);
                    None
                }
                Ok(None) => None,
                Err(stop) => Some(stop),
            },
        };
        if channel.outbox().overrun {
            return Stop::Overrun;
        }
        if let Some(stop) = stop {
            return stop;
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
