//! Human handoff: the queue, agents' presence and languages, routing, claims,
//! wait estimates and support hours.
//!
//! All state sits behind one mutex, held only for short synchronous updates:
//! that is what makes a claim atomic (two agents claiming at once, exactly one
//! wins). Queue items are persisted, so the queue and assignments survive a
//! restart. This module never calls the conversation layer: what the customer
//! must be told (a new position, being requeued) goes out as [`HandoffEvent`]s
//! on the channel the conversation layer hands in; what agents must be told
//! goes to each agent connection's own channel as [`AgentEvent`]s.

pub mod hours;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jiff::{Timestamp, Zoned};
use serde::Serialize;
use tokio::sync::mpsc;

pub use hours::{weekday_code, HoursError, SupportHours};

use crate::config::AgentConfig;
use crate::storage::{
    ConversationId, Customer, HandoffReason, HandoffRecord, Party, Priority, Store, StoreError,
    TranscriptEntry,
};

/// Handling times remembered for the estimates.
const HANDLING_SAMPLES: usize = 50;
/// Samples of one locale needed before its own figures are used.
const LOCALE_SAMPLES_MIN: usize = 5;
/// A new estimate is worth telling the customer when it moves this much.
const MEANINGFUL_WAIT_CHANGE_S: u64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum HandoffError {
    #[error("conversation is not waiting for or held by a person")]
    NotFound,
    #[error("conversation is held by {0}")]
    HeldByOther(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone)]
pub struct HandoffSettings {
    pub hours: Option<SupportHours>,
    /// After this wait an item is offered to every agent, not only to those
    /// who speak its language.
    pub offer_all_after: Duration,
    /// How long a disconnected agent keeps their conversations.
    pub grace: Duration,
    /// Handling time assumed until enough have been measured.
    pub default_handling: Duration,
}

/// A queue item as agents see it (PROTOCOL.md, `queue`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueItem {
    pub conversation: ConversationId,
    pub locale: String,
    pub reason: HandoffReason,
    pub priority: Priority,
    pub waiting_since: String,
    pub position: u32,
    pub summary: String,
    pub customer: Option<Customer>,
}

/// What an agent connection is told.
#[derive(Debug, Clone)]
pub enum AgentEvent {
    Queue(Vec<QueueItem>),
    Claimed {
        conversation: ConversationId,
        agent: String,
    },
    Message {
        conversation: ConversationId,
        entry: Arc<TranscriptEntry>,
    },
    Typing {
        conversation: ConversationId,
        on: bool,
    },
    Closed {
        conversation: ConversationId,
        by: Party,
    },
    Rating {
        conversation: ConversationId,
        score: u8,
        comment: Option<String>,
    },
    /// Another connection of the same agent took over.
    Replaced,
}

/// What a customer must be told about their place in the queue.
#[derive(Debug, Clone, PartialEq)]
pub enum HandoffEvent {
    /// Position or estimate changed meaningfully, or the conversation came
    /// back to the queue (released, or its agent did not come back in time).
    Queued {
        conversation: ConversationId,
        position: u32,
        estimated_wait_s: u64,
    },
}

/// Where a conversation stands after entering the queue.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    Queued {
        position: u32,
        estimated_wait_s: u64,
    },
    /// Outside support hours: it waits for the first agent of the day.
    Offline { opens_at: Zoned },
}

struct Online {
    link: u64,
    available: bool,
    tx: mpsc::Sender<AgentEvent>,
}

#[derive(Default)]
struct State {
    items: HashMap<ConversationId, HandoffRecord>,
    /// The position and estimate each queued customer was last told.
    told: HashMap<ConversationId, (u32, u64)>,
    online: HashMap<String, Online>,
    next_link: u64,
    /// (locale, seconds) of recently finished handlings, newest last.
    handling: VecDeque<(String, u64)>,
    /// The queue each online agent was last sent, by conversation id.
    last_views: HashMap<String, Vec<(ConversationId, u32)>>,
}

pub struct Handoff {
    settings: HandoffSettings,
    agents: Vec<AgentConfig>,
    store: Arc<dyn Store>,
    state: Mutex<State>,
    events: mpsc::UnboundedSender<HandoffEvent>,
}

fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

impl Handoff {
    /// Loads the persisted queue; `events` carries what customers must be told.
    pub fn new(
        settings: HandoffSettings,
        agents: Vec<AgentConfig>,
        store: Arc<dyn Store>,
        events: mpsc::UnboundedSender<HandoffEvent>,
    ) -> Result<Arc<Self>, HandoffError> {
        let items = store
            .handoffs()?
            .into_iter()
            .map(|r| (r.conversation, r))
            .collect();
        let handoff = Arc::new(Self {
            settings,
            agents,
            store,
            state: Mutex::new(State {
                items,
                ..State::default()
            }),
            events,
        });
        // Agents are all offline after a restart: their conversations wait
        // for them for the grace period, like after a disconnect.
        let held: HashMap<String, Vec<ConversationId>> = {
            let state = handoff.lock();
            let mut held: HashMap<String, Vec<ConversationId>> = HashMap::new();
            for item in state.items.values() {
                if let Some(agent) = &item.agent {
                    held.entry(agent.clone())
                        .or_default()
                        .push(item.conversation);
                }
            }
            held
        };
        for agent in held.into_keys() {
            handoff.start_grace(agent);
        }
        Ok(handoff)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update leaves the state whole before it can panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn agent_config(&self, name: &str) -> Option<&AgentConfig> {
        self.agents.iter().find(|a| a.name == name)
    }

    /// Whether support is open now.
    pub fn is_open(&self) -> bool {
        self.settings
            .hours
            .as_ref()
            .is_none_or(|h| h.is_open(Timestamp::now()))
    }

    /// Puts a conversation in the queue (or leaves it where it is, if it is
    /// already there) and says where it stands.
    pub fn enqueue(
        &self,
        conversation: ConversationId,
        locale: &str,
        reason: HandoffReason,
        priority: Priority,
        summary: String,
        customer: Option<Customer>,
    ) -> Result<Placement, HandoffError> {
        let mut state = self.lock();
        if let std::collections::hash_map::Entry::Vacant(slot) = state.items.entry(conversation) {
            let record = HandoffRecord {
                conversation,
                locale: locale.to_owned(),
                reason,
                priority,
                waiting_since: crate::conversation::now_rfc3339(),
                enqueued_ms: now_ms(),
                summary,
                customer,
                agent: None,
                claimed_ms: None,
            };
            self.store.save_handoff(&record)?;
            slot.insert(record);
        }
        let placement = match (&self.settings.hours, self.is_open()) {
            (Some(hours), false) => match hours.next_open(Timestamp::now()) {
                Some(opens_at) => Placement::Offline { opens_at },
                None => self.placement(&mut state, conversation),
            },
            _ => self.placement(&mut state, conversation),
        };
        self.after_change(&mut state);
        Ok(placement)
    }

    fn placement(&self, state: &mut State, conversation: ConversationId) -> Placement {
        let (position, estimated_wait_s) = self.estimate(state, conversation).unwrap_or((1, 0));
        state
            .told
            .insert(conversation, (position, estimated_wait_s));
        Placement::Queued {
            position,
            estimated_wait_s,
        }
    }

    /// Updates the customer details of a queued or held conversation.
    pub fn update_customer(
        &self,
        conversation: ConversationId,
        customer: Option<Customer>,
    ) -> Result<(), HandoffError> {
        let mut state = self.lock();
        let Some(item) = state.items.get_mut(&conversation) else {
            return Ok(());
        };
        item.customer = customer;
        self.store.save_handoff(item)?;
        self.after_change(&mut state);
        Ok(())
    }

    /// Claims a queued conversation for `agent`; exactly one concurrent
    /// claimer wins. Claiming one you already hold succeeds again.
    pub fn claim(
        &self,
        agent: &str,
        conversation: ConversationId,
    ) -> Result<HandoffRecord, HandoffError> {
        let mut state = self.lock();
        let item = state
            .items
            .get_mut(&conversation)
            .ok_or(HandoffError::NotFound)?;
        match &item.agent {
            Some(holder) if holder != agent => {
                return Err(HandoffError::HeldByOther(holder.clone()))
            }
            Some(_) => return Ok(item.clone()),
            None => {}
        }
        item.agent = Some(agent.to_owned());
        item.claimed_ms = Some(now_ms());
        let claimed = item.clone();
        self.store.save_handoff(&claimed)?;
        state.told.remove(&conversation);
        for (name, online) in &state.online {
            if name != agent {
                let _ = online.tx.try_send(AgentEvent::Claimed {
                    conversation,
                    agent: agent.to_owned(),
                });
            }
        }
        self.after_change(&mut state);
        Ok(claimed)
    }

    /// The agent holding `conversation`, if any.
    pub fn holder(&self, conversation: &ConversationId) -> Option<String> {
        self.lock()
            .items
            .get(conversation)
            .and_then(|i| i.agent.clone())
    }

    /// The queue record of `conversation`, if it is queued or held.
    pub fn record(&self, conversation: &ConversationId) -> Option<HandoffRecord> {
        self.lock().items.get(conversation).cloned()
    }

    /// Checks that `agent` holds `conversation`.
    pub fn check_holder(
        &self,
        agent: &str,
        conversation: &ConversationId,
    ) -> Result<(), HandoffError> {
        match self.holder(conversation) {
            Some(holder) if holder == agent => Ok(()),
            Some(holder) => Err(HandoffError::HeldByOther(holder)),
            None => Err(HandoffError::NotFound),
        }
    }

    /// Puts a held conversation back in the queue at its original place.
    pub fn release(
        &self,
        agent: &str,
        conversation: ConversationId,
    ) -> Result<(u32, u64), HandoffError> {
        let mut state = self.lock();
        self.unassign(&mut state, agent, conversation)?;
        let placed = self.estimate(&state, conversation).unwrap_or((1, 0));
        state.told.insert(conversation, placed);
        self.after_change(&mut state);
        Ok(placed)
    }

    /// The conversation leaves the handoff (closed, returned to the bot, or
    /// ended by the customer). With `agent`, only its holder may do this.
    pub fn finish(
        &self,
        agent: Option<&str>,
        conversation: ConversationId,
    ) -> Result<Option<String>, HandoffError> {
        let mut state = self.lock();
        let item = state
            .items
            .get(&conversation)
            .ok_or(HandoffError::NotFound)?;
        if let (Some(agent), Some(holder)) = (agent, &item.agent) {
            if agent != holder {
                return Err(HandoffError::HeldByOther(holder.clone()));
            }
        }
        if let (Some(_), None) = (agent, &item.agent) {
            return Err(HandoffError::NotFound);
        }
        let holder = item.agent.clone();
        self.record_handling(&mut state, conversation);
        state.items.remove(&conversation);
        state.told.remove(&conversation);
        self.store.remove_handoff(&conversation)?;
        self.after_change(&mut state);
        Ok(holder)
    }

    fn unassign(
        &self,
        state: &mut State,
        agent: &str,
        conversation: ConversationId,
    ) -> Result<(), HandoffError> {
        let item = state
            .items
            .get(&conversation)
            .ok_or(HandoffError::NotFound)?;
        match &item.agent {
            Some(holder) if holder == agent => {}
            Some(holder) => return Err(HandoffError::HeldByOther(holder.clone())),
            None => return Err(HandoffError::NotFound),
        }
        self.record_handling(state, conversation);
        let Some(item) = state.items.get_mut(&conversation) else {
            return Err(HandoffError::NotFound);
        };
        item.agent = None;
        item.claimed_ms = None;
        self.store.save_handoff(item)?;
        Ok(())
    }

    fn record_handling(&self, state: &mut State, conversation: ConversationId) {
        let Some(item) = state.items.get(&conversation) else {
            return;
        };
        if let Some(claimed) = item.claimed_ms {
            let seconds = u64::try_from((now_ms() - claimed) / 1000)
                .unwrap_or(0)
                .max(1);
            let locale = item.locale.clone();
            state.handling.push_back((locale, seconds));
            if state.handling.len() > HANDLING_SAMPLES {
                state.handling.pop_front();
            }
        }
    }

    /// An agent connected: returns its link id, queue view and held conversations.
    pub fn connect(
        &self,
        agent: &str,
        tx: mpsc::Sender<AgentEvent>,
    ) -> (u64, Vec<QueueItem>, Vec<ConversationId>) {
        let mut state = self.lock();
        state.next_link += 1;
        let link = state.next_link;
        let previous = state.online.insert(
            agent.to_owned(),
            Online {
                link,
                available: true,
                tx,
            },
        );
        if let Some(previous) = previous {
            let _ = previous.tx.try_send(AgentEvent::Replaced);
        }
        let view = self.view(&state, agent);
        state.last_views.insert(
            agent.to_owned(),
            view.iter().map(|i| (i.conversation, i.position)).collect(),
        );
        let mut held: Vec<(i64, ConversationId)> = state
            .items
            .values()
            .filter(|i| i.agent.as_deref() == Some(agent))
            .map(|i| (i.enqueued_ms, i.conversation))
            .collect();
        held.sort();
        self.after_change(&mut state);
        (link, view, held.into_iter().map(|(_, c)| c).collect())
    }

    /// An agent's connection `link` closed: it keeps its conversations for the
    /// grace period.
    pub fn disconnect(self: &Arc<Self>, agent: &str, link: u64) {
        {
            let mut state = self.lock();
            if state.online.get(agent).is_none_or(|o| o.link != link) {
                return;
            }
            state.online.remove(agent);
            state.last_views.remove(agent);
            self.after_change(&mut state);
        }
        self.start_grace(agent.to_owned());
    }

    /// After the grace period, conversations of an agent who has not come
    /// back return to the queue at their original place.
    fn start_grace(self: &Arc<Self>, agent: String) {
        let handoff = Arc::clone(self);
        let grace = self.settings.grace;
        tokio::spawn(async move {
            tokio::time::sleep(grace).await;
            let mut state = handoff.lock();
            if state.online.contains_key(&agent) {
                return;
            }
            let held: Vec<ConversationId> = state
                .items
                .values()
                .filter(|i| i.agent.as_deref() == Some(agent.as_str()))
                .map(|i| i.conversation)
                .collect();
            for conversation in held {
                if handoff.unassign(&mut state, &agent, conversation).is_err() {
                    continue;
                }
                tracing::info!(conversation_id = %conversation, agent, "agent did not come back: requeued");
                let (position, estimated_wait_s) =
                    handoff.estimate(&state, conversation).unwrap_or((1, 0));
                state
                    .told
                    .insert(conversation, (position, estimated_wait_s));
                let _ = handoff.events.send(HandoffEvent::Queued {
                    conversation,
                    position,
                    estimated_wait_s,
                });
            }
            handoff.after_change(&mut state);
        });
    }

    pub fn set_available(&self, agent: &str, available: bool) {
        let mut state = self.lock();
        if let Some(online) = state.online.get_mut(agent) {
            online.available = available;
        }
        self.after_change(&mut state);
    }

    /// Sends `event` to the agent holding `conversation`, if connected.
    pub fn tell_holder(&self, conversation: &ConversationId, event: AgentEvent) {
        let state = self.lock();
        let Some(holder) = state.items.get(conversation).and_then(|i| i.agent.clone()) else {
            return;
        };
        if let Some(online) = state.online.get(&holder) {
            if online.tx.try_send(event).is_err() {
                tracing::warn!(agent = holder, "agent connection is not keeping up");
            }
        }
    }

    /// Sends `event` to `agent`, if connected.
    pub fn tell_agent(&self, agent: &str, event: AgentEvent) {
        if let Some(online) = self.lock().online.get(agent) {
            let _ = online.tx.try_send(event);
        }
    }

    /// Re-sends queue views that changed with time (items passing the
    /// offer-to-everyone wait) and tells waiting customers when support opens.
    pub fn tick(&self) {
        let mut state = self.lock();
        self.after_change(&mut state);
    }

    /// Queued items in order: priority first, then waiting time.
    fn ordered(state: &State) -> Vec<&HandoffRecord> {
        let mut queued: Vec<&HandoffRecord> =
            state.items.values().filter(|i| i.agent.is_none()).collect();
        queued.sort_by_key(|i| {
            (
                std::cmp::Reverse(i.priority),
                i.enqueued_ms,
                *i.conversation.as_bytes(),
            )
        });
        queued
    }

    fn speaks(&self, agent: &str, locale: &str) -> bool {
        self.agent_config(agent)
            .is_some_and(|a| a.languages.iter().any(|l| l == locale))
    }

    /// The queue offered to `agent`: items in its languages, and every item
    /// that has waited longer than `offer_all_after`.
    fn view(&self, state: &State, agent: &str) -> Vec<QueueItem> {
        let offer_all_before = now_ms() - self.settings.offer_all_after.as_millis() as i64;
        Self::ordered(state)
            .into_iter()
            .enumerate()
            .filter(|(_, i)| self.speaks(agent, &i.locale) || i.enqueued_ms <= offer_all_before)
            .map(|(n, i)| QueueItem {
                conversation: i.conversation,
                locale: i.locale.clone(),
                reason: i.reason,
                priority: i.priority,
                waiting_since: i.waiting_since.clone(),
                position: n as u32 + 1,
                summary: i.summary.clone(),
                customer: i.customer.clone(),
            })
            .collect()
    }

    /// The handling time to plan with for `locale`: the 75th percentile of
    /// recent handlings (of the locale when there are enough, else of all),
    /// never below what was measured, the default until anything was.
    fn handling_time(&self, state: &State, locale: &str) -> u64 {
        let of_locale: Vec<u64> = state
            .handling
            .iter()
            .filter(|(l, _)| l == locale)
            .map(|(_, s)| *s)
            .collect();
        let mut samples = if of_locale.len() >= LOCALE_SAMPLES_MIN {
            of_locale
        } else {
            state.handling.iter().map(|(_, s)| *s).collect()
        };
        if samples.is_empty() {
            return self.settings.default_handling.as_secs();
        }
        samples.sort_unstable();
        samples[((samples.len() - 1) as f64 * 0.75).ceil() as usize]
    }

    /// (position, estimated wait in seconds) of a queued conversation.
    /// Agents who speak its language each take one conversation per handling
    /// time; the ones ahead of it in its language must go first. Rounded up:
    /// a customer is never promised a shorter wait than the data supports.
    fn estimate(&self, state: &State, conversation: ConversationId) -> Option<(u32, u64)> {
        let ordered = Self::ordered(state);
        let index = ordered
            .iter()
            .position(|i| i.conversation == conversation)?;
        let item = ordered[index];
        let ahead_in_locale = ordered[..=index]
            .iter()
            .filter(|i| i.locale == item.locale)
            .count() as u64;
        let agents = state
            .online
            .iter()
            .filter(|(name, o)| o.available && self.speaks(name, &item.locale))
            .count()
            .max(1) as u64;
        let rounds = ahead_in_locale.div_ceil(agents);
        Some((
            index as u32 + 1,
            rounds * self.handling_time(state, &item.locale),
        ))
    }

    /// After any change: new queue views to agents whose view changed, and
    /// customers whose position or estimate moved meaningfully are told.
    fn after_change(&self, state: &mut State) {
        let names: Vec<String> = state.online.keys().cloned().collect();
        for name in names {
            let view = self.view(state, &name);
            let key: Vec<(ConversationId, u32)> =
                view.iter().map(|i| (i.conversation, i.position)).collect();
            if state.last_views.get(&name) != Some(&key) {
                if let Some(online) = state.online.get(&name) {
                    let _ = online.tx.try_send(AgentEvent::Queue(view));
                }
                state.last_views.insert(name, key);
            }
        }
        if !self.is_open() {
            return;
        }
        let queued: Vec<ConversationId> = Self::ordered(state)
            .iter()
            .map(|i| i.conversation)
            .collect();
        for conversation in queued {
            let Some((position, wait)) = self.estimate(state, conversation) else {
                continue;
            };
            let meaningful = match state.told.get(&conversation) {
                None => true,
                Some((p, w)) => *p != position || wait.abs_diff(*w) >= MEANINGFUL_WAIT_CHANGE_S,
            };
            if meaningful {
                state.told.insert(conversation, (position, wait));
                let _ = self.events.send(HandoffEvent::Queued {
                    conversation,
                    position,
                    estimated_wait_s: wait,
                });
            }
        }
    }
}
