//! `GET /v1/agent`: the agent channel (PROTOCOL.md, "Agent channel").
//!
//! The first frame must be `auth` within 10 seconds, unless the upgrade
//! carried `Authorization: Bearer`. Then the agent gets `ready`, its queue
//! views and the events of the conversations it holds; what it does goes
//! through the conversation layer. Frames in and out are typed
//! ([`AgentFrame`], [`ToAgent`]).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Utf8Bytes, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::auth::{self, AuthError};
use super::guard::Client;
use super::server::ReadMeter;
use super::socket::{self, Channel, FrameNames, Outbox, Stop, CLOSE_NORMAL, CLOSE_POLICY};
use super::wire::{sender_name, EntryFrame};
use super::AppState;
use crate::conversation::{
    AgentEvent, ConversationContext, ConversationError, History, QueueItem, QueueView,
};
use crate::domain::{
    AgentProfile, ChannelKind, ConversationId, Customer, DeadLetter, EntryBody, ErrorCode,
    HandoffReason, IntentSeen, MessageText, TextError,
};

/// How long a connection may stay without `auth`.
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
/// Events queued for one agent connection before it counts as not keeping up.
const AGENT_EVENTS: usize = 256;

/// A frame from an agent; an unknown `type` is a value, not a failure.
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
    #[serde(other)]
    Unknown,
}

impl AgentFrame {
    /// The conversation the frame is about, if it names one.
    fn conversation(&self) -> Option<&str> {
        match self {
            AgentFrame::Claim { conversation }
            | AgentFrame::Message { conversation, .. }
            | AgentFrame::Typing { conversation, .. }
            | AgentFrame::Release { conversation }
            | AgentFrame::ReturnToBot { conversation }
            | AgentFrame::Close { conversation }
            | AgentFrame::History { conversation, .. } => Some(conversation),
            AgentFrame::Auth { .. }
            | AgentFrame::Status { .. }
            | AgentFrame::Ping {}
            | AgentFrame::Unknown => None,
        }
    }
}

/// What a frame's `id` and `type` are, read before the frame itself, so an
/// invalid frame's error can carry its id.
#[derive(Deserialize)]
struct Peek {
    #[serde(rename = "type")]
    kind: Option<serde_json::Value>,
    id: Option<serde_json::Value>,
    conversation: Option<serde_json::Value>,
}

/// The agent as `ready` shows them.
#[derive(Serialize)]
struct AgentInfo<'a> {
    name: &'a str,
    languages: &'a [String],
}

#[derive(Serialize)]
struct AgentName<'a> {
    name: &'a str,
}

/// A frame to an agent.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ToAgent<'a> {
    Ready {
        agent: AgentInfo<'a>,
        queue: &'a [QueueItem],
        queue_total: u32,
        queue_by_locale: &'a BTreeMap<String, u32>,
        assigned: &'a [ConversationId],
    },
    Queue {
        items: &'a [QueueItem],
        total: u32,
        by_locale: &'a BTreeMap<String, u32>,
    },
    Conversation {
        conversation: ConversationId,
        locale: &'a str,
        customer: Option<&'a Customer>,
        reason: Option<HandoffReason>,
        summary: &'a str,
        intents: &'a [IntentSeen],
        articles_shown: &'a [String],
        transcript: Vec<EntryFrame<'a>>,
        earlier: bool,
        channel: ChannelKind,
        #[serde(skip_serializing_if = "<[DeadLetter]>::is_empty")]
        dead_letters: &'a [DeadLetter],
    },
    History {
        conversation: ConversationId,
        entries: Vec<EntryFrame<'a>>,
        earlier: bool,
    },
    Message {
        conversation: ConversationId,
        seq: u64,
        from: &'static str,
        text: &'a str,
        ts: crate::domain::Timestamp,
    },
    Claimed {
        conversation: ConversationId,
        agent: AgentName<'a>,
    },
    Typing {
        conversation: ConversationId,
        on: bool,
    },
    Closed {
        conversation: ConversationId,
        by: &'static str,
    },
    Rating {
        conversation: ConversationId,
        score: u8,
        comment: Option<&'a str>,
    },
    DeadLetter {
        conversation: ConversationId,
        seq: u64,
        reason: &'a str,
    },
    Ack {
        id: &'a str,
        conversation: ConversationId,
        seq: u64,
    },
    Error {
        code: ErrorCode,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
        /// The conversation the refused frame named (an addition to
        /// PROTOCOL.md's `error`): a console that sent several claims at
        /// once can tell which one lost.
        #[serde(skip_serializing_if = "Option::is_none")]
        conversation: Option<&'a str>,
    },
    Pong,
}

impl<'a> ToAgent<'a> {
    fn context(context: &'a ConversationContext) -> Self {
        ToAgent::Conversation {
            conversation: context.conversation,
            locale: &context.locale,
            customer: context.customer.as_ref(),
            reason: context.reason,
            summary: &context.summary,
            intents: &context.intents,
            articles_shown: &context.articles_shown,
            transcript: context.transcript.iter().map(EntryFrame::from).collect(),
            earlier: context.earlier,
            channel: context.channel,
            dead_letters: &context.dead_letters,
        }
    }

    fn history(history: &'a History) -> Self {
        ToAgent::History {
            conversation: history.conversation,
            entries: history.entries.iter().map(EntryFrame::from).collect(),
            earlier: history.earlier,
        }
    }

    fn queue(view: &'a QueueView) -> Self {
        ToAgent::Queue {
            items: &view.items,
            total: view.total,
            by_locale: &view.by_locale,
        }
    }
}

/// The HTTP form of a `conversation` frame (`GET /v1/conversations/{id}`).
pub fn context_json(context: &ConversationContext) -> serde_json::Value {
    serde_json::to_value(ToAgent::context(context)).unwrap_or_default()
}

/// The HTTP form of a `history` frame (`GET /v1/conversations/{id}?before=`).
pub fn history_json(history: &History) -> serde_json::Value {
    serde_json::to_value(ToAgent::history(history)).unwrap_or_default()
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
    // A bearer header that is present but wrong (or throttled) is refused on
    // the socket, like a wrong `auth` frame.
    let preauthorized = auth::bearer(&state, &headers, client);
    let tracker = state.tracker.clone();
    socket::configure(ws, &state.settings.limits).on_upgrade(move |socket| {
        tracker.track_future(socket::serve(
            socket,
            state,
            "agent",
            move |mut stream, out, state| async move {
                let _slot = slot;
                let (events_tx, events) = mpsc::channel(AGENT_EVENTS);
                let mut connection = AgentConnection {
                    state: &state,
                    out: Outbox::new(out),
                    client,
                    events_tx,
                    events,
                    agent: None,
                    auth_by: Some(tokio::time::Instant::now() + AUTH_TIMEOUT),
                    stop_after_frame: None,
                    held: std::collections::VecDeque::new(),
                    by_bearer: false,
                };
                let stop = match preauthorized {
                    Ok(Some(agent)) => {
                        connection.sign_in(agent);
                        connection.by_bearer = true;
                        None
                    }
                    Ok(None) => None,
                    Err(error) => {
                        connection.error(error.code(), None);
                        Some(Stop::Close(CLOSE_POLICY, "unauthorized"))
                    }
                };
                let stop = match stop {
                    Some(stop) => stop,
                    None => {
                        socket::run(
                            &mut connection,
                            &mut stream,
                            &state.settings.limits,
                            &state.shutdown,
                            meter,
                        )
                        .await
                    }
                };
                let name = connection.agent.as_ref().map(|(a, _)| a.name.clone());
                if let Some((agent, link)) = &connection.agent {
                    state.conversations.agent_disconnect(agent, *link).await;
                }
                (stop, name, stream)
            },
        ))
    })
}

struct AgentConnection<'a> {
    state: &'a AppState,
    out: Outbox,
    client: Client,
    events_tx: mpsc::Sender<AgentEvent>,
    events: mpsc::Receiver<AgentEvent>,
    /// The signed-in agent and its link id in the handoff module.
    agent: Option<(AgentProfile, u64)>,
    /// Until signed in, the moment the socket is closed without `auth`.
    auth_by: Option<tokio::time::Instant>,
    /// An event handled while a frame was answered ended the connection
    /// (`Replaced`): it closes once the frame is done.
    stop_after_frame: Option<Stop>,
    /// Events taken from `events` while a frame was answered that come
    /// after its answer in seq order (`take_events_before`): handed over
    /// next, before anything still in the channel.
    held: std::collections::VecDeque<AgentEvent>,
    /// Signed in by the upgrade's bearer header and no frame read since.
    by_bearer: bool,
}

impl AgentConnection<'_> {
    fn sign_in(&mut self, agent: AgentProfile) {
        let session = self
            .state
            .conversations
            .agent_connect(&agent, self.events_tx.clone());
        self.out.push_json(&ToAgent::Ready {
            agent: AgentInfo {
                name: &agent.name,
                languages: &agent.languages,
            },
            queue: &session.queue.items,
            queue_total: session.queue.total,
            queue_by_locale: &session.queue.by_locale,
            assigned: &session.assigned,
        });
        self.agent = Some((agent, session.link));
        self.auth_by = None;
    }

    /// An `error` frame; agents are staff, so the text is English.
    fn error(&mut self, code: ErrorCode, id: Option<&str>) {
        self.error_about(code, id, None);
    }

    /// An `error` frame naming the conversation of the frame it refuses.
    fn error_about(&mut self, code: ErrorCode, id: Option<&str>, conversation: Option<&str>) {
        let message = self.state.conversations.error_text(None, code);
        self.out.push_json(&ToAgent::Error {
            code,
            message,
            id,
            conversation,
        });
    }

    /// An `error` frame for a frame the conversation refused, naming its
    /// conversation, with the agent's own text where there is one
    /// ([`ConversationError::staff_text`]).
    fn refused(&mut self, error: &ConversationError, id: Option<&str>, conversation: Option<&str>) {
        let code = error.code();
        let message = match error.staff_text() {
            Some(text) => text.to_owned(),
            None => self.state.conversations.error_text(None, code),
        };
        self.out.push_json(&ToAgent::Error {
            code,
            message,
            id,
            conversation,
        });
    }

    fn text_error(&mut self, error: TextError, id: &str, conversation: &str) {
        let message = self.state.conversations.text_error(None, error);
        self.out.push_json(&ToAgent::Error {
            code: ErrorCode::BadRequest,
            message,
            id: Some(id),
            conversation: Some(conversation),
        });
    }

    /// The frame before sign-in: `auth` with a known token, or the end.
    fn on_auth(&mut self, frame: Result<AgentFrame, ErrorCode>) -> Option<Stop> {
        let Ok(AgentFrame::Auth { token }) = frame else {
            self.error(ErrorCode::Unauthorized, None);
            return Some(Stop::Close(CLOSE_POLICY, "unauthorized"));
        };
        match auth::check_token(self.state, self.client, &token) {
            Ok(agent) => {
                self.sign_in(agent);
                None
            }
            Err(error @ (AuthError::Wrong | AuthError::Throttled)) => {
                self.error(error.code(), None);
                Some(Stop::Close(CLOSE_POLICY, "unauthorized"))
            }
        }
    }

    /// Hands over the events already queued for this agent that come before
    /// the entry `seq` of `conversation` (the agent's own message, about to
    /// be acked), so that what it is told keeps seq order with what it is
    /// answered. From the first message of that conversation stored after
    /// it (another node's customer may write in between), the events wait
    /// until after the ack, in their order.
    async fn take_events_before(&mut self, conversation: ConversationId, seq: u64) {
        loop {
            // Those held from an earlier frame come before the channel's.
            let event = match self.held.pop_front() {
                Some(event) => event,
                None => match self.events.try_recv() {
                    Ok(event) => event,
                    Err(_) => return,
                },
            };
            let later = matches!(&event, AgentEvent::Message { conversation: c, entry }
                if *c == conversation && entry.seq > seq);
            if later {
                self.held.push_front(event);
                return;
            }
            if let Some(stop) = Channel::on_event(self, event).await {
                self.stop_after_frame = Some(stop);
                return;
            }
        }
    }

    async fn on_frame(&mut self, agent: AgentProfile, frame: AgentFrame) {
        let conversations = Arc::clone(&self.state.conversations);
        let parse = |text: &str| {
            text.parse::<ConversationId>()
                .map_err(|_| ConversationError::NotFound)
        };
        let about = frame.conversation().map(str::to_owned);
        let about = about.as_deref();
        let result: Result<(), ConversationError> = match frame {
            // Signed in already: a second `auth` (even with another token)
            // changes nothing, and says so, as a second `hello` does.
            AgentFrame::Auth { .. } => {
                self.error(ErrorCode::BadRequest, None);
                Ok(())
            }
            AgentFrame::Unknown => {
                self.error(ErrorCode::UnknownType, None);
                Ok(())
            }
            AgentFrame::Ping {} => {
                self.out.push_json(&ToAgent::Pong);
                Ok(())
            }
            AgentFrame::Status { available } => {
                conversations.agent_status(&agent, available);
                Ok(())
            }
            AgentFrame::Claim { conversation } => match parse(&conversation) {
                Ok(id) => conversations.claim(&agent, id).await.map(|context| {
                    self.out.push_json(&ToAgent::context(&context));
                }),
                Err(error) => Err(error),
            },
            AgentFrame::Message {
                conversation,
                id,
                text,
            } => {
                let valid_id = !id.is_empty() && id.chars().count() <= super::wire::MAX_ID_CHARS;
                if !valid_id {
                    self.error_about(ErrorCode::BadRequest, Some(&id), about);
                    return;
                }
                let text =
                    match MessageText::parse(&text, self.state.settings.limits.max_text_chars) {
                        Ok(text) => text,
                        Err(error) => return self.text_error(error, &id, &conversation),
                    };
                let result = match parse(&conversation) {
                    Ok(conversation) => conversations
                        .agent_message(&agent, conversation, &id, &text)
                        .await
                        .map(|seq| (conversation, seq)),
                    Err(error) => Err(error),
                };
                match result {
                    Ok((conversation, seq)) => {
                        // The customer's message stored just before this one
                        // is already queued for this agent: it goes first.
                        self.take_events_before(conversation, seq).await;
                        self.out.push_json(&ToAgent::Ack {
                            id: &id,
                            conversation,
                            seq,
                        });
                        Ok(())
                    }
                    Err(error) => {
                        tracing::debug!(agent_id = %agent.id, %error, "agent message refused");
                        self.refused(&error, Some(&id), about);
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
                    self.out.push_json(&ToAgent::history(&history));
                }),
                Err(error) => Err(error),
            },
        };
        if let Err(error) = result {
            tracing::debug!(agent_id = %agent.id, %error, "agent frame refused");
            self.refused(&error, None, about);
        }
    }
}

/// A refused frame: its error code, and the id and conversation it named
/// (each when it had one as a string), for the `error` to carry.
type Refused = (ErrorCode, Option<String>, Option<String>);

/// Decodes an agent frame: not a JSON object, or a known type with bad
/// fields, is `bad_request` (with the frame's id and conversation when it
/// had them: "every error answering a frame that names a conversation
/// carries that conversation", docs/protocol.md).
fn decode(text: &str) -> Result<AgentFrame, Refused> {
    let peek: Peek = match serde_json::from_str(text) {
        Ok(peek) => peek,
        Err(_) => return Err((ErrorCode::BadRequest, None, None)),
    };
    let named =
        |v: Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_str()).map(str::to_owned);
    let id = named(peek.id);
    let conversation = named(peek.conversation);
    if !peek.kind.as_ref().is_some_and(serde_json::Value::is_string) {
        return Err((ErrorCode::BadRequest, id, conversation));
    }
    serde_json::from_str(text).map_err(|_| (ErrorCode::BadRequest, id, conversation))
}

impl Channel for AgentConnection<'_> {
    type Event = AgentEvent;

    async fn next_event(&mut self) -> Option<AgentEvent> {
        match self.held.pop_front() {
            Some(event) => Some(event),
            None => self.events.recv().await,
        }
    }

    async fn on_text(&mut self, text: Utf8Bytes) -> Option<Stop> {
        let frame = decode(text.as_str());
        let Some((agent, _)) = self.agent.clone() else {
            return self.on_auth(frame.map_err(|(code, _, _)| code));
        };
        let first_after_bearer = std::mem::take(&mut self.by_bearer);
        match frame {
            // Signed in by the upgrade's bearer header, then sent the `auth`
            // PROTOCOL.md asks for first: the same agent's token is taken
            // quietly (`ready` went out already).
            Ok(AgentFrame::Auth { token })
                if first_after_bearer
                    && auth::check_token(self.state, self.client, &token)
                        .is_ok_and(|same| same.id == agent.id) => {}
            Ok(frame) => self.on_frame(agent, frame).await,
            Err((code, id, conversation)) => {
                self.error_about(code, id.as_deref(), conversation.as_deref());
            }
        }
        self.stop_after_frame.take()
    }

    async fn on_event(&mut self, event: AgentEvent) -> Option<Stop> {
        match event {
            AgentEvent::Queue(view) => self.out.push_json(&ToAgent::queue(&view)),
            AgentEvent::Claimed {
                conversation,
                agent,
            } => self.out.push_json(&ToAgent::Claimed {
                conversation,
                agent: AgentName { name: &agent },
            }),
            AgentEvent::Message {
                conversation,
                entry,
            } => {
                if let EntryBody::Message { from, text, .. } = &entry.body {
                    self.out.push_json(&ToAgent::Message {
                        conversation,
                        seq: entry.seq,
                        from: sender_name(*from),
                        text,
                        ts: entry.ts,
                    });
                }
            }
            AgentEvent::Typing { conversation, on } => {
                self.out.push_json(&ToAgent::Typing { conversation, on })
            }
            AgentEvent::Closed { conversation, by } => self.out.push_json(&ToAgent::Closed {
                conversation,
                by: sender_name(by),
            }),
            AgentEvent::Rating {
                conversation,
                score,
                comment,
            } => self.out.push_json(&ToAgent::Rating {
                conversation,
                score,
                comment: comment.as_deref(),
            }),
            AgentEvent::DeadLetter {
                conversation,
                seq,
                reason,
            } => self.out.push_json(&ToAgent::DeadLetter {
                conversation,
                seq,
                reason: &reason,
            }),
            AgentEvent::Replaced => {
                return Some(Stop::Close(CLOSE_NORMAL, "replaced by a newer connection"))
            }
        }
        None
    }

    fn deadline(&self) -> Option<tokio::time::Instant> {
        self.auth_by
    }

    async fn on_deadline(&mut self) -> Stop {
        self.error(ErrorCode::Unauthorized, None);
        Stop::Close(CLOSE_POLICY, "unauthorized")
    }

    async fn refuse(&mut self, code: ErrorCode, names: FrameNames) {
        self.error_about(code, names.id.as_deref(), names.conversation.as_deref());
    }

    fn outbox(&mut self) -> &mut Outbox {
        &mut self.out
    }
}
