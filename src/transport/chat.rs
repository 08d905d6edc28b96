//! `GET /v1/chat`: the customer WebSocket.
//!
//! Each socket is split in two tasks (after axum's chat example): this reader
//! decodes frames and drives the conversation, and a writer drains a bounded
//! queue into the socket. A client that stops reading fills the queue and is
//! disconnected instead of growing the server's memory.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use futures_util::StreamExt;
use governor::DefaultDirectRateLimiter;
use tokio::sync::{broadcast, mpsc};

use super::guard::Client;
use super::server::ReadMeter;
use super::socket::{self, Stop, CLOSE_GOING_AWAY, CLOSE_POLICY};
use super::wire::{self, ClientFrame, DecodeError, FrameLimits, ServerFrame};
use super::AppState;
use crate::conversation::{ConnectionId, ConversationError, Event, Session};
use crate::l10n::Msg;

/// Entries read from the store at once while replaying.
const REPLAY_PAGE: usize = 64;
/// How long a replaying client may take to accept the next frame before it
/// counts as not reading.
const REPLAY_SEND_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    meter: Option<Extension<Arc<ReadMeter>>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !state.guard.customer_origin_allowed(&headers) {
        return super::http::refuse_origin();
    }
    let client = state.guard.client(peer, &headers);
    let slot = match state.guard.socket_slot(client) {
        Ok(slot) => slot,
        Err(refusal) => return super::http::refuse_socket(refusal, client),
    };
    let meter = meter.map(|Extension(meter)| meter);
    let tracker = state.tracker.clone();
    socket::configure(ws, &state.settings.limits).on_upgrade(move |socket| {
        tracker.track_future(socket::serve(
            socket,
            state,
            "chat",
            move |mut stream, out, state| async move {
                let _slot = slot;
                let mut connection = Connection::new(&state, out, client);
                let stop = connection.run(&mut stream, meter).await;
                (stop, connection.conversation_id(), stream)
            },
        ))
    })
}

struct Connection<'a> {
    state: &'a AppState,
    out: mpsc::Sender<Message>,
    client: Client,
    overrun: bool,
    id: ConnectionId,
    limiter: DefaultDirectRateLimiter,
    frame_limits: FrameLimits,
    session: Option<Session>,
    /// The largest seq this client has (been sent, acked, or told us it has).
    last_sent_seq: u64,
}

impl<'a> Connection<'a> {
    fn new(state: &'a AppState, out: mpsc::Sender<Message>, client: Client) -> Self {
        let limits = &state.settings.limits;
        Self {
            state,
            out,
            client,
            overrun: false,
            id: state.conversations.connection_id(),
            limiter: socket::rate_limiter(limits),
            frame_limits: FrameLimits {
                max_text_chars: limits.max_text_chars,
            },
            session: None,
            last_sent_seq: 0,
        }
    }

    fn conversation_id(&self) -> Option<String> {
        self.session.as_ref().map(|s| s.live.id.to_string())
    }

    async fn run(
        &mut self,
        stream: &mut futures_util::stream::SplitStream<WebSocket>,
        meter: Option<Arc<ReadMeter>>,
    ) -> Stop {
        let limits = &self.state.settings.limits;
        let mut keepalive = socket::Keepalive::new(limits, meter).await;
        let shutdown = self.state.shutdown.clone();
        let writer = self.out.clone();
        // Pongs and pings prove a client alive, but only `hello` starts a chat.
        let hello_deadline = tokio::time::sleep(limits.hello_timeout());
        tokio::pin!(hello_deadline);
        loop {
            let stop = tokio::select! {
                _ = shutdown.cancelled() => Some(Stop::Close(CLOSE_GOING_AWAY, "server shutting down")),
                _ = writer.closed() => Some(Stop::Gone),
                _ = &mut hello_deadline, if self.session.is_none() => {
                    self.error("hello_required", None, None).await;
                    Some(Stop::Close(CLOSE_POLICY, "no hello in time"))
                }
                received = stream.next() => {
                    keepalive.heard();
                    match received {
                        None | Some(Ok(Message::Close(_))) => Some(Stop::Gone),
                        Some(Ok(message)) => self.on_message(message).await,
                        Some(Err(error)) => Some(self.on_read_error(error)),
                    }
                }
                event = next_event(&mut self.session) => self.on_event(event).await,
                beat = keepalive.beat() => match beat {
                    Ok(Some(ping)) => {
                        self.enqueue(ping);
                        None
                    }
                    Ok(None) => None,
                    Err(stop) => Some(stop),
                },
            };
            if self.overrun {
                return Stop::Overrun;
            }
            if let Some(stop) = stop {
                return stop;
            }
        }
    }

    async fn on_message(&mut self, message: Message) -> Option<Stop> {
        let text = match socket::screen(message, &self.state.settings.limits, &self.limiter) {
            Ok(Some(text)) => text,
            Ok(None) => return None,
            Err(refused) => {
                self.error(refused.code, None, None).await;
                return Some(refused.stop);
            }
        };
        if self.limiter.check().is_err() {
            self.error("rate_limited", None, None).await;
            return None;
        }
        match wire::decode(text.as_str(), self.frame_limits) {
            Ok(frame) => self.on_frame(frame).await,
            Err(error) => {
                self.on_decode_error(error).await;
                None
            }
        }
    }

    fn on_read_error(&mut self, error: axum::Error) -> Stop {
        let (code, stop) = socket::classify_read_error(error).stop();
        if let Some(code) = code {
            // The frame is gone but the socket can still say why.
            let message = self.error_text_sync(code);
            self.enqueue_frame(&ServerFrame::Error {
                code,
                message,
                id: None,
            });
        }
        stop
    }

    async fn on_decode_error(&mut self, error: DecodeError) {
        tracing::debug!(conversation_id = self.conversation_id(), %error, "bad frame");
        match &error {
            DecodeError::UnknownType(_) if self.session.is_some() => {
                self.error("unknown_type", None, None).await
            }
            // Before hello, a well-formed frame of any other type asks for hello.
            DecodeError::UnknownType(_) => self.error("hello_required", None, None).await,
            DecodeError::NotAFrame => self.error("bad_request", None, None).await,
            DecodeError::Invalid { kind, id, .. } => {
                if self.session.is_none() && *kind != "hello" {
                    self.error("hello_required", None, id.as_deref()).await
                } else {
                    self.error("bad_request", None, id.as_deref()).await
                }
            }
            DecodeError::EmptyText { id } => {
                self.error("bad_request", Some(Msg::TextEmpty), Some(id))
                    .await
            }
            DecodeError::TextTooLong { id, max } => {
                self.error(
                    "bad_request",
                    Some(Msg::TextTooLong { max: *max }),
                    Some(id),
                )
                .await
            }
        }
    }

    async fn on_frame(&mut self, frame: ClientFrame) -> Option<Stop> {
        if let ClientFrame::Hello {
            locale,
            resume,
            last_seq,
            customer,
        } = frame
        {
            if self.session.is_some() {
                self.error("bad_request", None, None).await;
                return None;
            }
            return self.on_hello(locale, resume, last_seq, customer).await;
        }
        let Some(session) = &self.session else {
            let id = match &frame {
                ClientFrame::Message { id, .. } | ClientFrame::Choice { id, .. } => {
                    Some(id.clone())
                }
                _ => None,
            };
            self.error("hello_required", None, id.as_deref()).await;
            return None;
        };
        let live = Arc::clone(&session.live);
        let conversations = &self.state.conversations;
        let result = match frame {
            ClientFrame::Hello { .. } => return None,
            ClientFrame::Ping => {
                self.enqueue_frame(&ServerFrame::Pong);
                return None;
            }
            ClientFrame::Typing { on } => {
                conversations.customer_typing(&live, on).await;
                return None;
            }
            ClientFrame::Message { id, text } => {
                let result = conversations.message(&live, &id, &text, self.id).await;
                self.ack_or_error(&id, result).await;
                return None;
            }
            ClientFrame::Choice { id, value } => {
                let result = conversations.choice(&live, &id, &value, self.id).await;
                self.ack_or_error(&id, result).await;
                return None;
            }
            ClientFrame::Feedback { seq, helpful } => {
                conversations.feedback(&live, seq, helpful).await
            }
            ClientFrame::Rating { score, comment } => {
                conversations.rating(&live, score, comment).await
            }
            ClientFrame::End => conversations.end(&live).await,
        };
        if let Err(error) = result {
            self.conversation_error(error, None).await;
        }
        None
    }

    async fn on_hello(
        &mut self,
        locale: Option<String>,
        resume: Option<String>,
        last_seq: Option<u64>,
        customer: Option<crate::domain::Customer>,
    ) -> Option<Stop> {
        let conversations = &self.state.conversations;
        let address = Some(self.client.ip);
        let resumed = match resume.as_deref() {
            Some(token) => match conversations.resume(token, address).await {
                Ok(resumed) => resumed,
                Err(error) => {
                    self.conversation_error(error, None).await;
                    return None;
                }
            },
            None => None,
        };
        let session = match resumed {
            Some(session) => session,
            None => {
                if resume.is_some() {
                    tracing::info!("unknown session token: starting a new conversation");
                }
                if !self.state.guard.allow_conversation(self.client) {
                    tracing::debug!(client = %self.client.ip, "new conversations from this address too fast");
                    self.error("rate_limited", None, None).await;
                    return None;
                }
                conversations.start(locale.as_deref(), customer, address)
            }
        };
        self.enqueue_frame(&ServerFrame::Welcome {
            conversation: session.live.id.to_string(),
            session: session.token.as_str(),
            locale: session.locale.as_str(),
            resumed: session.resumed,
            last_seq: session.last_seq,
        });
        tracing::info!(
            conversation_id = %session.live.id,
            locale = %session.locale,
            resumed = session.resumed,
            "hello"
        );
        // A resuming client has everything up to its last_seq (never more than
        // exists); a new conversation starts from its greeting.
        self.last_sent_seq = if session.resumed {
            last_seq.unwrap_or(0).min(session.last_seq)
        } else {
            0
        };
        for entry in &session.unsent {
            self.last_sent_seq = entry.seq;
            self.enqueue(Message::Text(wire::encode_entry(entry).into()));
        }
        self.session = Some(session);
        self.catch_up().await;
        None
    }

    async fn on_event(
        &mut self,
        event: Result<Event, broadcast::error::RecvError>,
    ) -> Option<Stop> {
        match event {
            Ok(Event::Entry { entry, origin }) => {
                if entry.seq <= self.last_sent_seq {
                    return None;
                }
                if entry.seq > self.last_sent_seq + 1 {
                    // Something was missed: the store has it.
                    self.catch_up().await;
                    return None;
                }
                let own_customer_message = origin == Some(self.id)
                    && matches!(
                        entry.body,
                        crate::domain::EntryBody::Message {
                            from: crate::domain::Sender::Customer,
                            ..
                        }
                    );
                // The sender already has its own message: the ack told it the seq.
                if !own_customer_message {
                    self.enqueue(Message::Text(wire::encode_entry(&entry).into()));
                }
                self.last_sent_seq = entry.seq;
                None
            }
            Ok(Event::AgentTyping { on }) => {
                self.enqueue_frame(&ServerFrame::Typing { from: "agent", on });
                None
            }
            Ok(Event::Erased) => {
                self.session = None;
                Some(Stop::Close(socket::CLOSE_NORMAL, "conversation erased"))
            }
            Err(broadcast::error::RecvError::Lagged(skipped)) => {
                tracing::debug!(
                    conversation_id = self.conversation_id(),
                    skipped,
                    "connection lagged: rereading the transcript"
                );
                self.catch_up().await;
                None
            }
            Err(broadcast::error::RecvError::Closed) => Some(Stop::Gone),
        }
    }

    /// Sends every stored entry after `last_sent_seq`, a page at a time,
    /// waiting for the client to take each frame: a replay of any length
    /// reaches a client that reads, and one that does not is disconnected.
    async fn catch_up(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        let id = session.live.id;
        loop {
            let page =
                match self
                    .state
                    .conversations
                    .transcript_page(&id, self.last_sent_seq, REPLAY_PAGE)
                {
                    Ok(page) => page,
                    Err(error) => return self.conversation_error(error, None).await,
                };
            let full = page.len() == REPLAY_PAGE;
            for entry in page {
                let frame = Message::Text(wire::encode_entry(&entry).into());
                match tokio::time::timeout(REPLAY_SEND_TIMEOUT, self.out.send(frame)).await {
                    Ok(Ok(())) => self.last_sent_seq = entry.seq,
                    Ok(Err(_)) | Err(_) => {
                        self.overrun = true;
                        return;
                    }
                }
            }
            if !full {
                return;
            }
        }
    }

    async fn ack_or_error(&mut self, id: &str, result: Result<u64, ConversationError>) {
        match result {
            Ok(seq) => {
                self.last_sent_seq = self.last_sent_seq.max(seq);
                self.enqueue_frame(&ServerFrame::Ack { id, seq });
            }
            Err(error) => self.conversation_error(error, Some(id)).await,
        }
    }

    async fn conversation_error(&mut self, error: ConversationError, id: Option<&str>) {
        tracing::debug!(conversation_id = self.conversation_id(), %error, "frame refused");
        let code = super::error_code(&error);
        self.error(code, None, id).await;
    }

    /// Sends an `error` frame with the code's text (or `text`) in the
    /// conversation's language.
    async fn error(&mut self, code: &str, text: Option<Msg<'_>>, id: Option<&str>) {
        let l10n = &self.state.conversations.engine().content().l10n;
        let locale = match &self.session {
            Some(session) => {
                let name = session.live.locale().await;
                l10n.locale(&name).unwrap_or_else(|| l10n.default_locale())
            }
            None => l10n.default_locale(),
        };
        let message = l10n.text(&locale, &text.unwrap_or(Msg::Error { code }));
        metrics::counter!("switchboard_chat_errors_total", "code" => code.to_owned()).increment(1);
        self.enqueue_frame(&ServerFrame::Error { code, message, id });
    }

    /// The error text in the session's starting locale, without awaiting.
    fn error_text_sync(&self, code: &str) -> String {
        let l10n = &self.state.conversations.engine().content().l10n;
        let locale = self
            .session
            .as_ref()
            .map(|s| s.locale.clone())
            .unwrap_or_else(|| l10n.default_locale());
        l10n.text(&locale, &Msg::Error { code })
    }

    fn enqueue_frame(&mut self, frame: &ServerFrame<'_>) {
        self.enqueue(Message::Text(wire::encode(frame).into()));
    }

    fn enqueue(&mut self, message: Message) {
        if self.out.try_send(message).is_err() {
            self.overrun = true;
        }
    }
}

async fn next_event(session: &mut Option<Session>) -> Result<Event, broadcast::error::RecvError> {
    match session {
        Some(session) => session.events.recv().await,
        None => std::future::pending().await,
    }
}
