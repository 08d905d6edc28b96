//! `GET /v1/agent`: the agent WebSocket (PROTOCOL.md, "Agent channel").
//!
//! The first frame must be `auth` within 10 seconds, unless the upgrade
//! carried `Authorization: Bearer`. Then the agent gets `ready`, and from
//! the handoff module its queue view and the events of the conversations it
//! holds; what it does goes through the conversation layer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use futures_util::stream::SplitStream;
use futures_util::StreamExt;
use governor::DefaultDirectRateLimiter;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::api::{agent_by_token, bearer_agent, BearerError};
use super::guard::Client;
use super::server::ReadMeter;
use super::socket::{self, Stop, CLOSE_GOING_AWAY, CLOSE_NORMAL, CLOSE_POLICY};
use super::AppState;
use crate::config::AgentConfig;
use crate::conversation::{ConversationContext, ConversationError, History};
use crate::domain::{ConversationId, EntryBody};
use crate::handoff::{AgentEvent, QueueView};
use crate::l10n::Msg;

/// How long a connection may stay without `auth`.
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
/// Events queued for one agent connection before it counts as not keeping up.
const AGENT_EVENTS: usize = 256;

/// A frame from an agent.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum AgentFrame {
    Auth {
        token: String,
    },
    Claim {
        conversation: String,
    },
    Message {
        conversation: String,
        id: String,
        text: String,
    },
    Typing {
        conversation: String,
        on: bool,
    },
    Release {
        conversation: String,
    },
    ReturnToBot {
        conversation: String,
    },
    Close {
        conversation: String,
    },
    Status {
        available: bool,
    },
    /// Older transcript entries of a conversation, before `before` (a seq).
    History {
        conversation: String,
        before: u64,
    },
    Ping {},
}

const KNOWN_TYPES: &[&str] = &[
    "auth",
    "claim",
    "message",
    "typing",
    "release",
    "return_to_bot",
    "close",
    "status",
    "history",
    "ping",
];

#[derive(Serialize)]
#[serde(tag = "type", rename = "conversation")]
struct ContextFrame<'a> {
    #[serde(flatten)]
    context: &'a ConversationContext,
}

#[derive(Serialize)]
#[serde(tag = "type", rename = "history")]
struct HistoryFrame<'a> {
    #[serde(flatten)]
    history: &'a History,
}

#[derive(Serialize)]
#[serde(tag = "type", rename = "queue")]
struct QueueFrame<'a> {
    #[serde(flatten)]
    view: &'a QueueView,
}

pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    meter: Option<Extension<Arc<ReadMeter>>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !state.guard.agent_origin_allowed(&headers) {
        return super::http::refuse_origin();
    }
    let client = state.guard.client(peer, &headers);
    let slot = match state.guard.socket_slot(client) {
        Ok(slot) => slot,
        Err(refusal) => return super::http::refuse_socket(refusal, client),
    };
    let meter = meter.map(|Extension(meter)| meter);
    let tracker = state.tracker.clone();
    // A bearer header that is present but wrong (or throttled) is refused
    // on the socket, like a wrong `auth` frame.
    let preauthorized = bearer_agent(&state, &headers, client).map(|agent| agent.cloned());
    socket::configure(ws, &state.settings.limits).on_upgrade(move |socket| {
        tracker.track_future(socket::serve(
            socket,
            state,
            "agent",
            move |mut stream, out, state| async move {
                let _slot = slot;
                let mut connection = AgentConnection {
                    limiter: socket::rate_limiter(&state.settings.limits),
                    state: &state,
                    out,
                    overrun: false,
                    agent: None,
                    client,
                };
                let stop = connection.run(&mut stream, preauthorized, meter).await;
                let name = connection.agent.as_ref().map(|(a, _)| a.name.clone());
                if let Some((agent, link)) = &connection.agent {
                    state.conversations.handoff().disconnect(&agent.name, *link);
                }
                (stop, name, stream)
            },
        ))
    })
}

struct AgentConnection<'a> {
    state: &'a AppState,
    out: mpsc::Sender<Message>,
    overrun: bool,
    limiter: DefaultDirectRateLimiter,
    /// The authenticated agent and its link id in the handoff module.
    agent: Option<(AgentConfig, u64)>,
    client: Client,
}

impl AgentConnection<'_> {
    async fn run(
        &mut self,
        stream: &mut SplitStream<WebSocket>,
        preauthorized: Result<Option<AgentConfig>, BearerError>,
        meter: Option<Arc<ReadMeter>>,
    ) -> Stop {
        let (events_tx, mut events) = mpsc::channel(AGENT_EVENTS);
        let agent = match preauthorized {
            Ok(Some(agent)) => agent,
            Ok(None) => match self.authenticate(stream).await {
                Ok(agent) => agent,
                Err(stop) => return stop,
            },
            Err(error) => {
                self.error(error.code(), None);
                return Stop::Close(CLOSE_POLICY, "unauthorized");
            }
        };
        let handoff = self.state.conversations.handoff();
        let (link, queue, assigned) = handoff.connect(&agent.name, events_tx);
        tracing::info!(agent = %agent.name, "agent connected");
        self.send(&json!({
            "type": "ready",
            "agent": {"name": agent.name, "languages": agent.languages},
            "queue": queue.items,
            "queue_total": queue.total,
            "queue_by_locale": queue.by_locale,
            "assigned": assigned,
        }));
        self.agent = Some((agent, link));
        let shutdown = self.state.shutdown.clone();
        let limits = &self.state.settings.limits;
        let mut keepalive = socket::Keepalive::new(limits, meter).await;
        let writer = self.out.clone();
        loop {
            let stop = tokio::select! {
                _ = shutdown.cancelled() => Some(Stop::Close(CLOSE_GOING_AWAY, "server shutting down")),
                _ = writer.closed() => Some(Stop::Gone),
                received = stream.next() => {
                    keepalive.heard();
                    match received {
                        None | Some(Ok(Message::Close(_))) => Some(Stop::Gone),
                        Some(Ok(message)) => self.on_message(message).await,
                        Some(Err(error)) => {
                            let (code, stop) = socket::classify_read_error(error).stop();
                            if let Some(code) = code {
                                self.error(code, None);
                            }
                            Some(stop)
                        }
                    }
                }
                event = events.recv() => match event {
                    Some(event) => self.on_event(event),
                    None => Some(Stop::Gone),
                },
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

    /// Waits for `auth` with a known token.
    async fn authenticate(
        &mut self,
        stream: &mut SplitStream<WebSocket>,
    ) -> Result<AgentConfig, Stop> {
        let refused = |this: &mut Self| {
            this.error("unauthorized", None);
            Stop::Close(CLOSE_POLICY, "unauthorized")
        };
        let first = match tokio::time::timeout(AUTH_TIMEOUT, stream.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => text,
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return Err(Stop::Gone),
            Ok(Some(Ok(_))) | Err(_) => return Err(refused(self)),
        };
        let guard = &self.state.guard;
        match serde_json::from_str::<AgentFrame>(first.as_str()) {
            Ok(AgentFrame::Auth { .. }) if !guard.auth_allowed(self.client.ip) => {
                self.error("rate_limited", None);
                Err(Stop::Close(CLOSE_POLICY, "too many wrong tokens"))
            }
            Ok(AgentFrame::Auth { token }) => match agent_by_token(self.state, &token) {
                Some(agent) => {
                    guard.auth_succeeded(self.client.ip);
                    Ok(agent.clone())
                }
                None => {
                    guard.auth_failed(self.client.ip);
                    Err(refused(self))
                }
            },
            _ => Err(refused(self)),
        }
    }

    fn name(&self) -> &str {
        self.agent.as_ref().map_or("", |(a, _)| a.name.as_str())
    }

    async fn on_message(&mut self, message: Message) -> Option<Stop> {
        let text = match socket::screen(message, &self.state.settings.limits, &self.limiter) {
            Ok(Some(text)) => text,
            Ok(None) => return None,
            Err(refused) => {
                self.error(refused.code, None);
                return Some(refused.stop);
            }
        };
        if self.limiter.check().is_err() {
            self.error("rate_limited", None);
            return None;
        }
        let value: Value = match serde_json::from_str(text.as_str()) {
            Ok(value @ Value::Object(_)) => value,
            _ => {
                self.error("bad_request", None);
                return None;
            }
        };
        let id = value.get("id").and_then(Value::as_str).map(str::to_owned);
        match value.get("type").and_then(Value::as_str) {
            Some(kind) if KNOWN_TYPES.contains(&kind) => {}
            Some(_) => {
                self.error("unknown_type", id.as_deref());
                return None;
            }
            None => {
                self.error("bad_request", id.as_deref());
                return None;
            }
        }
        let frame: AgentFrame = match serde_json::from_value(value) {
            Ok(frame) => frame,
            Err(_) => {
                self.error("bad_request", id.as_deref());
                return None;
            }
        };
        self.on_frame(frame).await;
        None
    }

    async fn on_frame(&mut self, frame: AgentFrame) {
        let conversations = std::sync::Arc::clone(&self.state.conversations);
        let agent = self.name().to_owned();
        let parse = |text: &str| {
            text.parse::<ConversationId>()
                .map_err(|_| ConversationError::NotFound)
        };
        let result: Result<(), ConversationError> = match frame {
            AgentFrame::Auth { .. } => Ok(()),
            AgentFrame::Ping {} => {
                self.send(&json!({"type": "pong"}));
                Ok(())
            }
            AgentFrame::Status { available } => {
                conversations.handoff().set_available(&agent, available);
                Ok(())
            }
            AgentFrame::Claim { conversation } => match parse(&conversation) {
                Ok(id) => conversations.claim(&agent, id).await.map(|context| {
                    self.send(&ContextFrame { context: &context });
                }),
                Err(error) => Err(error),
            },
            AgentFrame::Message {
                conversation,
                id,
                text,
            } => {
                let text = text.trim();
                let valid_id = !id.is_empty() && id.chars().count() <= 64;
                if !valid_id
                    || text.is_empty()
                    || text.chars().count() > self.state.settings.limits.max_text_chars
                {
                    self.error("bad_request", Some(&id));
                    return;
                }
                let result = match parse(&conversation) {
                    Ok(conversation_id) => {
                        conversations
                            .agent_message(&agent, conversation_id, &id, text)
                            .await
                    }
                    Err(error) => Err(error),
                };
                match result {
                    Ok(seq) => {
                        self.send(&json!({"type": "ack", "id": id, "conversation": conversation, "seq": seq}));
                        Ok(())
                    }
                    Err(error) => {
                        let code = super::error_code(&error);
                        self.error(code, Some(&id));
                        return;
                    }
                }
            }
            AgentFrame::Typing { conversation, on } => {
                parse(&conversation).and_then(|id| conversations.agent_typing(&agent, id, on))
            }
            AgentFrame::Release { conversation } => match parse(&conversation) {
                Ok(id) => conversations.release(&agent, id).await,
                Err(error) => Err(error),
            },
            AgentFrame::ReturnToBot { conversation } => match parse(&conversation) {
                Ok(id) => conversations.return_to_bot(&agent, id).await,
                Err(error) => Err(error),
            },
            AgentFrame::Close { conversation } => match parse(&conversation) {
                Ok(id) => conversations.agent_close(&agent, id).await,
                Err(error) => Err(error),
            },
            AgentFrame::History {
                conversation,
                before,
            } => match parse(&conversation) {
                Ok(id) => conversations.history(&id, before).await.map(|history| {
                    self.send(&HistoryFrame { history: &history });
                }),
                Err(error) => Err(error),
            },
        };
        if let Err(error) = result {
            tracing::debug!(agent, %error, "agent frame refused");
            let code = super::error_code(&error);
            self.error(code, None);
        }
    }

    fn on_event(&mut self, event: AgentEvent) -> Option<Stop> {
        let frame = match event {
            AgentEvent::Queue(view) => {
                self.send(&QueueFrame { view: &view });
                return None;
            }
            AgentEvent::Claimed {
                conversation,
                agent,
            } => json!({"type": "claimed", "conversation": conversation, "agent": {"name": agent}}),
            AgentEvent::Message {
                conversation,
                entry,
            } => {
                let EntryBody::Message { from, text, .. } = &entry.body else {
                    return None;
                };
                json!({"type": "message", "conversation": conversation, "seq": entry.seq, "from": from, "text": text, "ts": entry.ts})
            }
            AgentEvent::Typing { conversation, on } => {
                json!({"type": "typing", "conversation": conversation, "on": on})
            }
            AgentEvent::Closed { conversation, by } => {
                json!({"type": "closed", "conversation": conversation, "by": by})
            }
            AgentEvent::Rating {
                conversation,
                score,
                comment,
            } => {
                json!({"type": "rating", "conversation": conversation, "score": score, "comment": comment})
            }
            AgentEvent::Replaced => {
                return Some(Stop::Close(CLOSE_NORMAL, "replaced by a newer connection"))
            }
        };
        self.send(&frame);
        None
    }

    /// An `error` frame; agents are staff, so the text is English.
    fn error(&mut self, code: &str, id: Option<&str>) {
        let content = self.state.conversations.engine().content();
        let message = content
            .l10n
            .text(&content.l10n.default_locale(), &Msg::Error { code });
        let mut frame = json!({"type": "error", "code": code, "message": message});
        if let Some(id) = id {
            frame["id"] = json!(id);
        }
        self.send(&frame);
    }

    fn send<T: Serialize>(&mut self, frame: &T) {
        match serde_json::to_string(frame) {
            Ok(text) => self.enqueue(Message::Text(text.into())),
            Err(error) => tracing::error!(%error, "cannot encode an agent frame"),
        }
    }

    fn enqueue(&mut self, message: Message) {
        if self.out.try_send(message).is_err() {
            self.overrun = true;
        }
    }
}
