//! The accept loop: HTTP/1.1 over TCP with the timeouts a public server needs,
//! and a shutdown that cannot be held up.
//!
//! axum's own `serve` has no header read timeout and waits for every
//! connection at shutdown: one client that sends half a request header
//! holds the process forever. Here each connection gets
//! [`HEADER_READ_TIMEOUT`] to send its headers, the router sees the peer
//! address (`ConnectInfo`) and a byte meter of the connection ([`ReadMeter`],
//! which the WebSocket loops use to put a deadline on unfinished frames), and
//! at shutdown idle connections close at once and busy ones get
//! [`HTTP_DRAIN`] before they are dropped.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// How long a client may take to send a request's headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long open HTTP requests may take to finish once shutdown begins.
pub const HTTP_DRAIN: Duration = Duration::from_secs(3);
/// How long to wait before accepting again when the process is out of
/// file descriptors (the accept would fail again at once).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Bytes read from one connection so far, shared with its request handlers.
#[derive(Debug, Default)]
pub struct ReadMeter(AtomicU64);

impl ReadMeter {
    /// Bytes read from the connection since it was accepted (HTTP headers
    /// and WebSocket frames alike).
    pub fn bytes(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A TCP stream that counts the bytes read from it.
struct Metered {
    stream: TcpStream,
    meter: Arc<ReadMeter>,
}

impl AsyncRead for Metered {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if read > 0 {
            self.meter.0.fetch_add(read as u64, Ordering::Relaxed);
        }
        polled
    }
}

impl AsyncWrite for Metered {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Serves `router` on `listener` until `shutdown` is cancelled; then stops
/// accepting, lets open requests finish for up to [`HTTP_DRAIN`] and drops
/// what is left. Upgraded WebSockets are not waited for here: their loops
/// watch `shutdown` themselves.
pub async fn serve(listener: TcpListener, router: Router, shutdown: CancellationToken) {
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => break,
            // Reap finished connection tasks so the set stays small.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // EMFILE/ENFILE and friends: the listener is fine, the
                    // process is full; try again shortly instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        // Without it every reply that follows an ack waits for a delayed ACK.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
        connections.spawn(serve_connection(
            stream,
            peer,
            router.clone(),
            shutdown.clone(),
        ));
    }
    let drained = tokio::time::timeout(HTTP_DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "HTTP connections still open after the drain time: closing them"
        );
        connections.abort_all();
    }
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    shutdown: CancellationToken,
) {
    let meter = Arc::new(ReadMeter::default());
    let io = TokioIo::new(Metered {
        stream,
        meter: Arc::clone(&meter),
    });
    let service = tower::ServiceExt::map_request(
        router,
        move |mut request: axum::http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.extensions_mut().insert(Arc::clone(&meter));
            request
        },
    );
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let connection = builder
        .serve_connection(io, TowerToHyperService::new(service))
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, %peer, "HTTP connection ended with an error");
            }
            return;
        }
        _ = shutdown.cancelled() => connection.as_mut().graceful_shutdown(),
    }
    if let Err(error) = connection.await {
        tracing::debug!(%error, %peer, "HTTP connection ended with an error");
    }
}
