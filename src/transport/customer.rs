//! `GET /v1/chat`: the customer channel (PROTOCOL.md, "Customer channel").
//!
//! Frames become [`ClientFrame`]s once ([`wire::decode`]); the conversation
//! layer does the rest. A message's turn comes back as a value: the ack and
//! the bot's answer are written to the connection that sent it at once, and
//! the conversation's other connections (a second tab) hear of the entries
//! through its fan-out.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, Utf8Bytes, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use tokio::sync::broadcast;

use super::guard::Client;
use super::server::ReadMeter;
use super::socket::{self, Channel, FrameNames, Outbox, Stop, CLOSE_NORMAL, CLOSE_POLICY};
use super::wire::{self, ClientFrame, DecodeError, FrameLimits, ServerFrame};
use super::AppState;
use crate::conversation::{ConnectionId, ConversationError, Event, Session, TurnOutcome};
use crate::domain::{Customer, ErrorCode, Locale, TextError, TranscriptEntry};

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
                let mut connection = Connection::new(&state, Outbox::new(out), client);
                let stop = socket::run(
                    &mut connection,
                    &mut stream,
                    &state.settings.limits,
                    &state.shutdown,
                    meter,
                )
                .await;
                (stop, connection.conversation_id(), stream)
            },
        ))
    })
}

struct Connection<'a> {
    state: &'a AppState,
    out: Outbox,
    client: Client,
    id: ConnectionId,
    frame_limits: FrameLimits,
    /// Until `hello`, the moment the socket is closed without one.
    hello_by: Option<tokio::time::Instant>,
    session: Option<Session>,
    /// The language a refused `hello` asked for (too many new conversations
    /// from the address, a bad field): error texts use it until a `hello` is
    /// taken.
    asked_locale: Option<Locale>,
    /// The largest seq this client has (been sent, acked, or told us it has).
    last_sent_seq: u64,
}

impl<'a> Connection<'a> {
    fn new(state: &'a AppState, out: Outbox, client: Client) -> Self {
        let limits = &state.settings.limits;
        Self {
            state,
            out,
            client,
            id: state.conversations.connection_id(),
            frame_limits: FrameLimits {
                max_text_chars: limits.max_text_chars,
            },
            hello_by: Some(tokio::time::Instant::now() + limits.hello_timeout()),
            session: None,
            asked_locale: None,
            last_sent_seq: 0,
        }
    }

    fn conversation_id(&self) -> Option<String> {
        self.session.as_ref().map(|s| s.live.id.to_string())
    }

    /// The conversation's language now, for error texts; before `hello`, the
    /// language a refused `hello` asked for, else none (English).
    async fn locale(&self) -> Option<Locale> {
        match &self.session {
            Some(session) => Some(self.state.conversations.locale_of_live(&session.live).await),
            None => self.asked_locale.clone(),
        }
    }

    async fn error(&mut self, code: ErrorCode, id: Option<&str>) {
        let locale = self.locale().await;
        let message = self.state.conversations.error_text(locale.as_ref(), code);
        self.send_error(code, message, id);
    }

    async fn text_error(&mut self, error: TextError, id: &str) {
        let locale = self.locale().await;
        let message = self.state.conversations.text_error(locale.as_ref(), error);
        self.send_error(ErrorCode::BadRequest, message, Some(id));
    }

    fn send_error(&mut self, code: ErrorCode, message: String, id: Option<&str>) {
        metrics::counter!("switchboard_chat_errors_total", "code" => code.as_str()).increment(1);
        self.out
            .push_json(&ServerFrame::Error { code, message, id });
    }

    async fn on_decode_error(&mut self, error: DecodeError) {
        tracing::debug!(conversation_id = self.conversation_id(), %error, "bad frame");
        let hello = self.session.is_some();
        match error {
            // Before hello, any other first frame asks for hello (PROTOCOL.md),
            // even one that is not JSON.
            DecodeError::UnknownType(_) | DecodeError::NotAFrame if !hello => {
                self.error(ErrorCode::HelloRequired, None).await
            }
            DecodeError::UnknownType(_) => self.error(ErrorCode::UnknownType, None).await,
            DecodeError::NotAFrame => self.error(ErrorCode::BadRequest, None).await,
            DecodeError::Invalid { kind, id, .. } if !hello && kind != "hello" => {
                self.error(ErrorCode::HelloRequired, id.as_deref()).await
            }
            DecodeError::Invalid {
                kind, id, locale, ..
            } => {
                // A first `hello` with a bad field is refused in the language
                // it asked for.
                if !hello && kind == "hello" && locale.is_some() {
                    self.asked_locale = Some(self.state.conversations.negotiate(locale.as_deref()));
                }
                self.error(ErrorCode::BadRequest, id.as_deref()).await
            }
            DecodeError::Text { id, error } if hello => self.text_error(error, &id).await,
            DecodeError::Text { id, .. } => self.error(ErrorCode::HelloRequired, Some(&id)).await,
        }
    }

    async fn on_frame(&mut self, frame: ClientFrame) -> Option<Stop> {
        if let ClientFrame::Hello {
            locale,
            resume,
            last_seq,
            customer,
            timezone,
        } = frame
        {
            if self.session.is_some() {
                self.error(ErrorCode::BadRequest, None).await;
                return None;
            }
            return self
                .on_hello(locale, resume, last_seq, customer, timezone)
                .await;
        }
        let Some(session) = &self.session else {
            let id = match &frame {
                ClientFrame::Message { id, .. } | ClientFrame::Choice { id, .. } => {
                    Some(id.clone())
                }
                _ => None,
            };
            self.error(ErrorCode::HelloRequired, id.as_deref()).await;
            return None;
        };
        let live = Arc::clone(&session.live);
        let conversations = &self.state.conversations;
        let result = match frame {
            ClientFrame::Hello { .. } => return None,
            ClientFrame::Ping => {
                self.out.push_json(&ServerFrame::Pong);
                return None;
            }
            ClientFrame::Typing { on } => {
                conversations.customer_typing(&live, on).await;
                return None;
            }
            ClientFrame::Message { id, text } => {
                let turn = conversations.message(&live, &id, &text, self.id).await;
                self.answer(&id, turn).await;
                return None;
            }
            ClientFrame::Choice { id, value } => {
                let turn = conversations.choice(&live, &id, &value, self.id).await;
                self.answer(&id, turn).await;
                return None;
            }
            ClientFrame::Feedback { seq, helpful } => {
                conversations.feedback(&live, seq, helpful).await
            }
            ClientFrame::Rating { score, comment } => {
                conversations.rating(&live, score, comment, None).await
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
        customer: Option<Customer>,
        timezone: Option<String>,
    ) -> Option<Stop> {
        let conversations = &self.state.conversations;
        // A trusted proxy that names no client speaks for everyone: its
        // customers share no per-address cap (docs/operations.md).
        let address = self.client.capped.then_some(self.client.ip);
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
                    self.asked_locale = Some(conversations.negotiate(locale.as_deref()));
                    self.error(ErrorCode::RateLimited, None).await;
                    return None;
                }
                conversations.start(locale.as_deref(), customer, timezone, address)
            }
        };
        self.hello_by = None;
        self.out.push_json(&ServerFrame::Welcome {
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
        // Entries not stored yet (a new conversation's greeting, or a
        // resumed one's that has only its greeting) that the client lacks.
        let had = self.last_sent_seq;
        for entry in session.unsent.iter().filter(|e| e.seq > had) {
            self.last_sent_seq = entry.seq;
            self.out.push(entry_message(entry));
        }
        self.session = Some(session);
        self.catch_up().await;
        None
    }

    /// The ack of a message or choice, and everything its turn stored, in
    /// seq order (the customer's own entry is what the ack stands for).
    async fn answer(&mut self, id: &str, turn: Result<TurnOutcome, ConversationError>) {
        let outcome = match turn {
            Ok(outcome) => outcome,
            Err(error) => return self.conversation_error(error, Some(id)).await,
        };
        // Entries stored before this turn that the client does not have yet
        // (another node's, or an agent's still on its way here) come first,
        // so that seqs reach it in order and its own entry is never echoed.
        if outcome.seq > self.last_sent_seq + 1 {
            self.catch_up_to(outcome.seq - 1).await;
        }
        self.out.push_json(&ServerFrame::Ack {
            id,
            seq: outcome.seq,
        });
        self.deliver(&outcome.entries, Some(outcome.seq)).await;
        self.last_sent_seq = self.last_sent_seq.max(outcome.seq);
    }

    /// Sends `entries` in order after what the client has; a gap (entries
    /// committed meanwhile that this connection has not sent yet) is filled
    /// from the store first. `own` is the seq the client was acked for.
    async fn deliver(&mut self, entries: &[Arc<TranscriptEntry>], own: Option<u64>) {
        for entry in entries {
            if entry.seq <= self.last_sent_seq {
                continue;
            }
            if entry.seq > self.last_sent_seq + 1 {
                // The store has everything up to and including these.
                self.catch_up().await;
                return;
            }
            self.last_sent_seq = entry.seq;
            if Some(entry.seq) != own {
                self.out.push(entry_message(entry));
            }
        }
    }

    /// Sends every stored entry after `last_sent_seq`, a page at a time,
    /// waiting for the client to take each frame: a replay of any length
    /// reaches a client that reads, and one that does not is disconnected.
    async fn catch_up(&mut self) {
        self.catch_up_to(u64::MAX).await;
    }

    /// [`Self::catch_up`], up to and including seq `last`.
    async fn catch_up_to(&mut self, last: u64) {
        let Some(session) = &self.session else {
            return;
        };
        let id = session.live.id;
        while self.last_sent_seq < last {
            let before = self.last_sent_seq;
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
            for entry in page.into_iter().take_while(|e| e.seq <= last) {
                if !self
                    .out
                    .push_waiting(entry_message(&entry), REPLAY_SEND_TIMEOUT)
                    .await
                {
                    return;
                }
                self.last_sent_seq = entry.seq;
            }
            if !full || self.last_sent_seq == before {
                return;
            }
        }
    }

    async fn conversation_error(&mut self, error: ConversationError, id: Option<&str>) {
        tracing::debug!(conversation_id = self.conversation_id(), %error, "frame refused");
        self.error(error.code(), id).await;
    }
}

fn entry_message(entry: &TranscriptEntry) -> Message {
    Message::Text(wire::encode_entry(entry).into())
}

impl Channel for Connection<'_> {
    type Event = Result<Event, broadcast::error::RecvError>;

    async fn next_event(&mut self) -> Option<Self::Event> {
        match &mut self.session {
            Some(session) => Some(session.events.recv().await),
            None => std::future::pending().await,
        }
    }

    async fn on_text(&mut self, text: Utf8Bytes) -> Option<Stop> {
        match wire::decode(text.as_str(), self.frame_limits) {
            Ok(frame) => self.on_frame(frame).await,
            Err(error) => {
                self.on_decode_error(error).await;
                None
            }
        }
    }

    async fn on_event(&mut self, event: Self::Event) -> Option<Stop> {
        match event {
            // This connection wrote its own turn's entries already.
            Ok(Event::Entry { origin, .. }) if origin == Some(self.id) => None,
            Ok(Event::Entry { entry, .. }) => {
                self.deliver(&[entry], None).await;
                None
            }
            Ok(Event::AgentTyping { on }) => {
                self.out
                    .push_json(&ServerFrame::Typing { from: "agent", on });
                None
            }
            Ok(Event::Erased) => {
                self.session = None;
                Some(Stop::Close(CLOSE_NORMAL, "conversation erased"))
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

    fn deadline(&self) -> Option<tokio::time::Instant> {
        self.hello_by
    }

    async fn on_deadline(&mut self) -> Stop {
        self.error(ErrorCode::HelloRequired, None).await;
        Stop::Close(CLOSE_POLICY, "no hello in time")
    }

    async fn refuse(&mut self, code: ErrorCode, names: FrameNames) {
        self.error(code, names.id.as_deref()).await;
    }

    fn outbox(&mut self) -> &mut Outbox {
        &mut self.out
    }
}
