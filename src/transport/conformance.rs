//! `GET /v1/conformance/echo` (only with `conformance_echo = true`): a
//! WebSocket that echoes every message, on exactly the socket machinery of
//! the chat channels (buffer and size limits, the bounded writer, close codes
//! for bad frames), so that the Autobahn test cases can check it. Autobahn's
//! cases expect an echo; the chat channels answer JSON instead.

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::socket::{self, Stop, CLOSE_GOING_AWAY, CLOSE_TOO_BIG};
use super::AppState;

pub async fn echo(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    if !state.settings.conformance_echo {
        return StatusCode::NOT_FOUND.into_response();
    }
    let tracker = state.tracker.clone();
    socket::configure(ws, &state.settings.limits).on_upgrade(move |socket| {
        tracker.track_future(socket::serve(
            socket,
            state,
            "echo",
            |mut stream, out, state| async move {
                let limits = &state.settings.limits;
                let stop = loop {
                    let received = tokio::select! {
                        _ = state.shutdown.cancelled() => break Stop::Close(CLOSE_GOING_AWAY, "server shutting down"),
                        received = stream.next() => received,
                    };
                    let echo = match received {
                        None | Some(Ok(Message::Close(_))) => break Stop::Gone,
                        Some(Ok(Message::Text(text))) if text.len() > limits.max_frame_bytes => {
                            break Stop::Close(CLOSE_TOO_BIG, "frame too large")
                        }
                        Some(Ok(Message::Binary(data))) if data.len() > limits.max_frame_bytes => {
                            break Stop::Close(CLOSE_TOO_BIG, "frame too large")
                        }
                        Some(Ok(message @ (Message::Text(_) | Message::Binary(_)))) => message,
                        Some(Ok(_)) => continue,
                        Some(Err(error)) => break socket::classify_read_error(error).stop().1,
                    };
                    if out.send(echo).await.is_err() {
                        break Stop::Gone;
                    }
                };
                (stop, None, stream)
            },
        ))
    })
}
