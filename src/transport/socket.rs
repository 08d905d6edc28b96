//! What every WebSocket of the server shares: buffer and size limits, the
//! writer task behind a bounded queue, and the closing sequence.
//!
//! Each socket is split in two tasks (after axum's chat example): the
//! caller's reader decodes frames, and a writer drains a bounded queue into
//! the socket. A client that stops reading fills the queue and is
//! disconnected instead of growing the server's memory.

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

/// Close codes of RFC 6455 that the protocol names.
pub const CLOSE_NORMAL: u16 = 1000;
pub const CLOSE_GOING_AWAY: u16 = 1001;
pub const CLOSE_UNSUPPORTED: u16 = 1003;
pub const CLOSE_POLICY: u16 = 1008;
pub const CLOSE_TOO_BIG: u16 = 1009;

/// tungstenite's own cap on a message, far above our limit: frames between the
/// two are read whole and answered with a proper 1009 close; only beyond this
/// does tungstenite refuse them itself.
const HARD_MESSAGE_CAP: usize = 1 << 20;
/// Chat frames are small: a few KiB of buffer instead of tungstenite's 128 KiB.
const READ_BUFFER: usize = 4 * 1024;
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

/// A frame the server refuses: the error code to send, then how to close.
pub struct Refused {
    pub code: &'static str,
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
/// over the size limit.
pub fn screen(message: Message, limits: &Limits) -> Result<Option<Utf8Bytes>, Refused> {
    match message {
        Message::Text(text) if text.len() > limits.max_frame_bytes => Err(Refused {
            code: "too_large",
            stop: Stop::Close(CLOSE_TOO_BIG, "frame too large"),
        }),
        Message::Text(text) => Ok(Some(text)),
        Message::Binary(_) => Err(Refused {
            code: "unsupported_data",
            stop: Stop::Close(CLOSE_UNSUPPORTED, "binary frames are not supported"),
        }),
        Message::Ping(_) | Message::Pong(_) | Message::Close(_) => Ok(None),
    }
}

/// Whether a read failed because the frame was over tungstenite's own cap.
pub fn is_too_large(error: axum::Error) -> bool {
    error
        .into_inner()
        .downcast::<tungstenite::Error>()
        .is_ok_and(|e| matches!(*e, tungstenite::Error::Capacity(_)))
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
    let (mut sink, stream) = socket.split();
    let (out, mut queue) = mpsc::channel::<Message>(state.settings.limits.outbound_queue);
    let writer = tokio::spawn(async move {
        while let Some(message) = queue.recv().await {
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
            if let Err(error) = sink.send(message).await {
                // Dropping the queue ends the reader (it watches `closed()`).
                tracing::warn!(kind, %error, "cannot write to the socket: closing it");
                let _ = sink
                    .send(Message::Close(Some(CloseFrame {
                        code: CLOSE_INTERNAL,
                        reason: "write failed".into(),
                    })))
                    .await;
                break;
            }
            if closing {
                break;
            }
        }
    });
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

/// Pings a connection at the configured interval and gives up on one that
/// has been silent (no frame, no pong) for the idle timeout.
pub struct Keepalive {
    ticks: tokio::time::Interval,
    last_heard: tokio::time::Instant,
    idle: Duration,
}

impl Keepalive {
    pub async fn new(limits: &Limits) -> Self {
        let mut ticks = tokio::time::interval(limits.ping_interval());
        // The first tick is immediate; the first ping is due one interval from now.
        ticks.tick().await;
        Self {
            ticks,
            last_heard: tokio::time::Instant::now(),
            idle: limits.idle_timeout(),
        }
    }

    /// The client said something.
    pub fn heard(&mut self) {
        self.last_heard = tokio::time::Instant::now();
    }

    /// At the next tick: a ping to send, or the close of an idle connection.
    pub async fn beat(&mut self) -> Result<Message, Stop> {
        self.ticks.tick().await;
        if self.last_heard.elapsed() >= self.idle {
            Err(Stop::Close(CLOSE_NORMAL, "idle timeout"))
        } else {
            Ok(Message::Ping(Default::default()))
        }
    }
}
