//! Human handoff: the queue, agents' presence and languages, routing, claims,
//! wait estimates and support hours.
//!
//! All state sits behind one mutex, held only for short synchronous updates:
//! that is what makes a claim atomic (two agents claiming at once, exactly one
//! wins). Queue items are persisted, so the queue and assignments survive a
//! restart.
//!
//! This module never calls the conversation layer. Changes that need the
//! customer told, or the conversation changed (a new position, an agent who
//! did not come back, a customer gone too long), go out as [`HandoffEvent`]s on
//! the bounded channel the conversation layer hands in; the conversation layer
//! then acts under the conversation's own lock and asks this module again for
//! the truth at that moment (so an update computed before a claim can never
//! undo the claim). What agents must be told goes to each agent connection's
//! channel as [`AgentEvent`]s.
//!
//! Queue views and customer notices are produced by one *publisher* pass over
//! the queue (O(N) per pass, at most 20 passes a second (`PASSES_PER_SECOND`)
//! however many changes arrive, and one a second for changes that come with
//! time); each change itself costs O(log N) ([`queue`]).

pub mod estimate;
pub mod hours;
pub mod queue;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use jiff::{Timestamp, Zoned};
use serde::Serialize;
use tokio::sync::{mpsc, Notify};
use tokio_util::sync::CancellationToken;

pub use hours::{weekday_code, HoursError, SupportHours};

use crate::domain::{
    self, AgentNotice, AgentProfile, ConversationId, Customer, HandlingSample, HandoffReason,
    NodePresence, PresentAgent, Priority, QueueEntry, Relay, RelayEvent, Sender, TranscriptEntry,
};
use crate::storage::{Store, StoreError, Swap};
use estimate::HandlingTimes;
use queue::Queue;

/// A new estimate is worth telling the customer when it moves this much.
const MEANINGFUL_WAIT_CHANGE_S: u64 = 60;
/// Customers further back than this are told of a new place at most once per
/// [`FAR_NOTICE_INTERVAL`]: when a long queue moves, telling thousands of
/// people of every step would be noise for them and write load for us. An
/// estimate withdrawn (no available agent can take it any more) is told at
/// once, wherever the customer stands.
const NEAR_POSITIONS: u32 = 10;
/// How often, at most, a customer beyond [`NEAR_POSITIONS`] is told a new place.
const FAR_NOTICE_INTERVAL: Duration = Duration::from_secs(30);
/// An estimate back this soon after the customer was told it was withdrawn,
/// for the same place, is told only once this has passed: an agent flipping
/// between away and available would otherwise have every waiting customer
/// re-told an unchanged place each time.
const ESTIMATE_BACK_AFTER: Duration = Duration::from_secs(30);
/// Queue items an agent is sent at most (the first by priority and wait); the
/// view also carries the total and the count per locale.
pub const QUEUE_VIEW_ITEMS: usize = 50;
/// Publisher passes run at most this often when changes keep coming.
const PASSES_PER_SECOND: u64 = 20;
/// A pass runs at least this often, for what changes with time (offers to
/// everyone, support opening, grace periods, customers gone too long).
const PASS_INTERVAL: Duration = Duration::from_secs(1);
/// How often a node renews its presence (its online agents) in a shared
/// store, and reads the other nodes'.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(2);
/// A node's presence is stale this long after it was renewed: its agents
/// count as disconnected from then on (their grace period starts).
const PRESENCE_TTL: Duration = Duration::from_secs(6);

/// Why a handoff operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum HandoffError {
    /// The conversation is not in the queue, or (for an agent's action) nobody
    /// holds it. Clients see `not_found`.
    #[error("conversation is not waiting for or held by a person")]
    NotFound,
    /// Another agent holds it (that agent's id). Clients see `already_claimed`.
    #[error("conversation is assigned to {0}")]
    AssignedToOther(String),
    /// [`HandoffSettings::max_waiting`] conversations already wait (the count).
    #[error("the queue is full ({0} waiting)")]
    QueueFull(u32),
    /// [`HandoffSettings::max_waiting_per_address`] conversations from the
    /// customer's network address already wait (the count).
    #[error("{0} conversations from this address are already waiting")]
    AddressFull(u32),
    /// Persisting the queue item failed; the queue in memory is unchanged.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How the handoff behaves: the `[handoff]` section of the config file,
/// checked (the config module builds it; this module knows no config).
#[derive(Debug, Clone)]
pub struct HandoffSettings {
    /// When people are on duty; `None`: always.
    pub hours: Option<SupportHours>,
    /// After this wait an item is offered to every agent, not only to those
    /// who speak its language.
    pub offer_all_after: Duration,
    /// How long a disconnected agent keeps their conversations.
    pub grace: Duration,
    /// Handling time assumed until any has been measured (at least 1 s).
    pub default_handling: Duration,
    /// A claim that ends (release, return to the bot, close) sooner than
    /// this was not a handling and is not measured: a claim by mistake, or
    /// a look and a release, would otherwise promise customers a wait of
    /// seconds.
    pub min_handling: Duration,
    /// Conversations that may wait at once; more are refused politely.
    pub max_waiting: u32,
    /// Conversations from one network address that may wait at once.
    pub max_waiting_per_address: u32,
    /// A waiting customer with no connection for this long, who left no
    /// email, leaves the queue.
    pub abandon_after: Duration,
}

/// A queue item as agents see it (PROTOCOL.md, `queue`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueItem {
    /// `conversation`: the waiting conversation.
    pub conversation: ConversationId,
    /// `locale`: the language it waits in (e.g. `tr`).
    pub locale: String,
    /// `reason`: why it went to a person.
    pub reason: HandoffReason,
    /// `priority`: `high` items are served first.
    pub priority: Priority,
    /// `waiting_since`: when it first entered the queue (kept across releases).
    pub waiting_since: domain::Timestamp,
    /// `position`: its place in the whole queue, 1 = next (not only among
    /// the items this agent is offered).
    pub position: u32,
    /// `summary`: the one-line summary of what the bot learned.
    pub summary: String,
    /// `customer`: what the widget said about the customer; `None` if nothing.
    pub customer: Option<Customer>,
    /// `channel`: where the customer writes from (`web`, `telegram`, ...).
    pub channel: domain::ChannelKind,
}

/// What one agent is offered: the first [`QUEUE_VIEW_ITEMS`] items, how many
/// are offered in all, and how many of them per locale.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct QueueView {
    /// The first [`QUEUE_VIEW_ITEMS`] items offered, in queue order
    /// (priority, then waiting time).
    pub items: Vec<QueueItem>,
    /// How many waiting items this agent is offered in all.
    pub total: u32,
    /// How many of them per locale.
    pub by_locale: std::collections::BTreeMap<String, u32>,
}

/// What an agent connection is told; each becomes the agent frame of the
/// same name (PROTOCOL.md, "Server to agent").
#[derive(Debug, Clone)]
pub enum AgentEvent {
    /// `queue`: the agent's view changed.
    Queue(QueueView),
    /// `claimed`: another agent took a conversation.
    Claimed {
        /// The conversation taken.
        conversation: ConversationId,
        /// The display name of the agent who took it.
        agent: String,
    },
    /// `message`: a customer wrote in a conversation this agent holds.
    Message {
        /// The conversation.
        conversation: ConversationId,
        /// The customer's stored entry.
        entry: Arc<TranscriptEntry>,
    },
    /// `typing`: the customer of a conversation this agent holds is typing.
    Typing {
        /// The conversation.
        conversation: ConversationId,
        /// True while typing.
        on: bool,
    },
    /// `closed`: a conversation this agent held (or closed) ended.
    Closed {
        /// The conversation.
        conversation: ConversationId,
        /// Who ended it: `customer`, `agent`, or `system` (erased).
        by: Sender,
    },
    /// `rating`: the customer rated a conversation this agent closed.
    Rating {
        /// The conversation.
        conversation: ConversationId,
        /// 1 to 5.
        score: u8,
        /// The customer's words; `None` if none.
        comment: Option<String>,
    },
    /// `dead_letter`: the channel gave up delivering an entry of a
    /// conversation this agent holds.
    DeadLetter {
        /// The conversation.
        conversation: ConversationId,
        /// The undelivered entry's seq.
        seq: u64,
        /// Why, as the channel said it (never customer-facing).
        reason: String,
    },
    /// Another connection of the same agent took over.
    Replaced,
}

/// What the conversation layer must act on. Each names only the
/// conversation: the layer takes the conversation's lock and asks this
/// module for the truth at that moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffEvent {
    /// Tell the customer their place ([`Handoff::notice`]).
    Tell(ConversationId),
    /// Its agent did not come back within the grace period
    /// ([`Handoff::requeue_abandoned`]).
    AgentGone(ConversationId),
    /// The customer has been away too long ([`Handoff::leave_if_away`]).
    CustomerGone(ConversationId),
}

/// Where a conversation stands after entering the queue.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Support is open (or has no hours): its place now.
    Queued {
        /// Its place among everything waiting, 1 = next.
        position: u32,
        /// The estimated wait in seconds ([`estimate::wait_s`]); `None`
        /// while no available agent can take it (nobody can say).
        estimated_wait_s: Option<u64>,
    },
    /// Outside support hours: it waits for the first agent of the day.
    Offline {
        /// When support next opens, in the support team's time zone.
        opens_at: Zoned,
    },
}

struct Online {
    link: u64,
    available: bool,
    tx: mpsc::Sender<AgentEvent>,
}

/// A place to tell a waiting customer now ((position, estimated wait in
/// seconds if any)), and the position this node told them before, if any
/// ([`Handoff::notice_told_before`]).
pub type NoticeNow = ((u32, Option<u64>), Option<u32>);

/// What the publisher knows of each queue item beyond the queue.
#[derive(Debug, Default, Clone)]
struct Notice {
    /// The place and estimate (if there was one) the customer was last
    /// told, and when.
    told: Option<(u32, Option<u64>, Instant)>,
    /// When the customer was last told their estimate was withdrawn (no
    /// available agent could take it any more).
    withdrawn: Option<Instant>,
    /// The customer came back since they were last told: a change is told
    /// at once, however far back they wait (an unchanged place is not told
    /// again: their replay already shows it).
    returned: bool,
    /// An event about it is on its way to the conversation layer.
    pending: bool,
    /// Since when no customer connection is open (None: connected).
    away_since: Option<Instant>,
    /// Another node queued it and no customer connection of it has been
    /// open here: that node tells the customer and notices them leave.
    elsewhere: bool,
}

struct State {
    queue: Queue,
    notices: HashMap<ConversationId, Notice>,
    online: HashMap<String, Online>,
    /// Since when each agent holding conversations has been offline.
    offline_since: HashMap<String, Instant>,
    next_link: u64,
    handling: HandlingTimes,
    /// A fingerprint of the view each online agent was last sent.
    last_views: HashMap<String, u64>,
    /// The queue length last set on `/metrics`, by locale.
    gauged: HashMap<String, u32>,
    /// Agents online on other nodes (by id), with whether they are available.
    remote: HashMap<String, bool>,
}

/// Every agent online on any node, with whether they are available (one
/// online here counts as here).
fn present(state: &State) -> impl Iterator<Item = (&str, bool)> {
    let here = state
        .online
        .iter()
        .map(|(id, online)| (id.as_str(), online.available));
    let elsewhere = state
        .remote
        .iter()
        .filter(|(id, _)| !state.online.contains_key(*id))
        .map(|(id, available)| (id.as_str(), *available));
    here.chain(elsewhere)
}

/// The handoff module's state and operations; one per server, shared by
/// every connection.
pub struct Handoff {
    settings: HandoffSettings,
    agents: Vec<AgentProfile>,
    store: Arc<dyn Store>,
    state: Mutex<State>,
    events: mpsc::Sender<HandoffEvent>,
    changed: Notify,
    /// This node's id, random at every start ([`NodePresence::node`]).
    node: String,
    /// An agent came, went or changed status: renew the presence now.
    beat: Notify,
}

impl Handoff {
    /// Loads the persisted queue and handling times; `events` carries what
    /// the conversation layer must act on. Call [`Handoff::run_publisher`]
    /// to start telling.
    pub fn new(
        settings: HandoffSettings,
        agents: Vec<AgentProfile>,
        store: Arc<dyn Store>,
        events: mpsc::Sender<HandoffEvent>,
    ) -> Result<Arc<Self>, HandoffError> {
        let queue =
            Queue::from_records(Self::reconcile(store.handoffs()?, &agents, store.as_ref())?);
        let mut handling = HandlingTimes::default();
        for sample in store.handling_times()? {
            handling.record(&sample.locale, sample.seconds);
        }
        let started = Instant::now();
        // After a restart nobody is connected: customers are away until they
        // come back, and agents' conversations wait for them for the grace period.
        let notices = queue
            .iter()
            .map(|item| {
                let notice = Notice {
                    away_since: Some(started),
                    ..Notice::default()
                };
                (item.record.conversation, notice)
            })
            .collect();
        let offline_since = queue
            .iter()
            .filter_map(|item| item.record.agent.clone())
            .map(|agent| (agent, started))
            .collect();
        Ok(Arc::new(Self {
            settings,
            agents,
            store,
            state: Mutex::new(State {
                queue,
                notices,
                online: HashMap::new(),
                offline_since,
                next_link: 0,
                handling,
                last_views: HashMap::new(),
                gauged: HashMap::new(),
                remote: HashMap::new(),
            }),
            events,
            changed: Notify::new(),
            node: ConversationId::random().to_string()[..12].to_owned(),
            beat: Notify::new(),
        }))
    }

    /// The stored queue, made to agree with the conversation records, which
    /// are the truth of who holds what (written, flushed, with the entries
    /// that told the customer): a queue item whose conversation is back with
    /// the bot, closed or gone is dropped, and each item's agent is the
    /// record's assignee. Items written before agents had ids name the agent;
    /// they are mapped to the id.
    fn reconcile(
        entries: Vec<QueueEntry>,
        agents: &[AgentProfile],
        store: &dyn Store,
    ) -> Result<Vec<QueueEntry>, HandoffError> {
        let mut kept = Vec::with_capacity(entries.len());
        for mut entry in entries {
            let record = store.conversation(&entry.conversation)?;
            let state = record.as_ref().map(|r| r.state);
            match state {
                Some(domain::ConversationState::Queued | domain::ConversationState::WithAgent) => {}
                _ => {
                    store.remove_handoff(&entry.conversation)?;
                    continue;
                }
            }
            let assignee = record
                .and_then(|r| r.assignee)
                .map(|a| a.id)
                .or_else(|| {
                    // A record from before assignees: what the queue item said.
                    let named = entry.agent.take()?;
                    Some(
                        agents
                            .iter()
                            .find(|a| a.id == named || a.name == named)
                            .map_or(named, |a| a.id.clone()),
                    )
                })
                .filter(|_| state == Some(domain::ConversationState::WithAgent));
            if entry.agent != assignee {
                entry.agent = assignee;
                if entry.agent.is_none() {
                    entry.claimed_at = None;
                }
                store.save_handoff(&entry)?;
            }
            kept.push(entry);
        }
        Ok(kept)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update leaves the state whole before it can panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn profile(&self, agent: &str) -> Option<&AgentProfile> {
        self.agents.iter().find(|a| a.id == agent)
    }

    fn speaks(&self, agent: &str, locale: &str) -> bool {
        self.profile(agent).is_some_and(|a| a.speaks(locale))
    }

    /// Every language the available agents who speak `locale` speak (with
    /// `locale` itself): they serve the waiting of all of them, so all of
    /// them count in a wait for `locale`.
    fn served_with(&self, state: &State, locale: &str) -> Vec<String> {
        let mut languages = vec![locale.to_owned()];
        for (name, available) in present(state) {
            if !available || !self.speaks(name, locale) {
                continue;
            }
            if let Some(profile) = self.profile(name) {
                for language in &profile.languages {
                    if !languages.contains(language) {
                        languages.push(language.clone());
                    }
                }
            }
        }
        languages
    }

    /// The waiting ahead of `conversation` (itself included) that its
    /// possible agents must serve first: everything when it is offered to
    /// all, else the waiting of every language those agents speak.
    fn work_ahead(
        &self,
        state: &State,
        conversation: &ConversationId,
        offered_to_all: bool,
    ) -> Option<u32> {
        let item = state.queue.get(conversation)?;
        if offered_to_all {
            return state
                .queue
                .place_on_return(conversation)
                .map(|p| p.position);
        }
        let languages = self.served_with(state, &item.record.locale);
        let ahead = state
            .queue
            .ahead_in(conversation, languages.iter().map(String::as_str))?;
        if !item.is_waiting() {
            return Some(ahead);
        }
        // Items of other languages offered to every agent by now are offered
        // to these agents too, ahead of this one: counted, so the estimate
        // is never shorter than the queue they see.
        let now = now_ms();
        let offered = state
            .queue
            .iter_waiting()
            .take_while(|other| other.record.conversation != *conversation)
            .filter(|other| {
                !languages.contains(&other.record.locale) && self.offered_to_all(&other.record, now)
            })
            .count() as u32;
        Some(ahead + offered)
    }

    /// Whether support is open now.
    fn is_open(&self) -> bool {
        self.settings
            .hours
            .as_ref()
            .is_none_or(|h| h.is_open(Timestamp::now()))
    }

    /// Something changed: the publisher runs soon.
    fn touch(&self) {
        self.changed.notify_one();
    }

    /// Puts a conversation in the queue (or leaves it where it is, if it is
    /// already there) and says where it stands. Refused when the queue, or the
    /// share of it from `address`, is full.
    #[allow(clippy::too_many_arguments)]
    pub fn enqueue(
        &self,
        conversation: ConversationId,
        locale: &str,
        reason: HandoffReason,
        priority: Priority,
        summary: String,
        customer: Option<Customer>,
        channel: domain::ChannelKind,
        address: Option<IpAddr>,
    ) -> Result<Placement, HandoffError> {
        let mut state = self.lock();
        if !state.queue.contains(&conversation) {
            let waiting = state.queue.waiting();
            if waiting >= self.settings.max_waiting {
                return Err(HandoffError::QueueFull(waiting));
            }
            if let Some(address) = address {
                let from = state.queue.waiting_from(address);
                if from >= self.settings.max_waiting_per_address {
                    return Err(HandoffError::AddressFull(from));
                }
            }
            let record = QueueEntry {
                conversation,
                locale: locale.to_owned(),
                reason,
                priority,
                waiting_since: domain::Timestamp::now(),
                summary,
                customer,
                agent: None,
                claimed_at: None,
                channel,
            };
            self.store.save_handoff(&record)?;
            state.queue.insert(record, address);
            state.notices.insert(conversation, Notice::default());
        }
        let placement = match (&self.settings.hours, self.is_open()) {
            (Some(hours), false) => match hours.next_open(Timestamp::now()) {
                Some(opens_at) => Placement::Offline { opens_at },
                None => self.placement(&mut state, conversation),
            },
            _ => self.placement(&mut state, conversation),
        };
        self.touch();
        Ok(placement)
    }

    fn placement(&self, state: &mut State, conversation: ConversationId) -> Placement {
        let (position, estimated_wait_s) = self.tell_now(state, conversation).unwrap_or((1, None));
        Placement::Queued {
            position,
            estimated_wait_s,
        }
    }

    /// (position, estimated wait in seconds, if anyone can take it) of a
    /// waiting conversation, now.
    fn estimate(&self, state: &State, conversation: &ConversationId) -> Option<(u32, Option<u64>)> {
        let place = state.queue.place(conversation)?;
        let record = &state.queue.get(conversation)?.record;
        let offered_to_all = self.offered_to_all(record, now_ms());
        let agents = self.available_for(state, &record.locale, offered_to_all);
        let handling = state
            .handling
            .planned(&record.locale, self.settings.default_handling.as_secs());
        let ahead = self
            .work_ahead(state, conversation, offered_to_all)
            .unwrap_or(place.in_locale);
        Some((place.position, estimate::wait_s(ahead, agents, handling)))
    }

    /// Whether `record` has waited long enough to be offered to every agent,
    /// not only to those who speak its locale: it has waited
    /// `offer_all_after` by `now_ms` (from [`now_ms`]).
    fn offered_to_all(&self, record: &QueueEntry, now_ms: i64) -> bool {
        let waited_since = record.waiting_since.as_millisecond();
        waited_since <= now_ms - self.settings.offer_all_after.as_millis() as i64
    }

    /// Available online agents who can take a conversation of `locale`:
    /// those who speak it, or all of them once it is `offered_to_all`.
    fn available_for(&self, state: &State, locale: &str, offered_to_all: bool) -> u32 {
        present(state)
            .filter(|(name, available)| *available && (offered_to_all || self.speaks(name, locale)))
            .count() as u32
    }

    /// The estimate of a waiting conversation, remembered as told.
    fn tell_now(
        &self,
        state: &mut State,
        conversation: ConversationId,
    ) -> Option<(u32, Option<u64>)> {
        let placed = self.estimate(state, &conversation);
        if let Some(notice) = state.notices.get_mut(&conversation) {
            notice.pending = false;
            notice.returned = false;
            if let Some((position, wait)) = placed {
                let had_estimate = notice.told.is_some_and(|(_, told, _)| told.is_some());
                if had_estimate && wait.is_none() {
                    notice.withdrawn = Some(Instant::now());
                }
                notice.told = Some((position, wait, Instant::now()));
            }
        }
        placed
    }

    /// For a [`HandoffEvent::Tell`]: the place to tell the customer now, if
    /// the conversation still waits (remembered as told); `None` if it was
    /// claimed, left the queue, or support is closed meanwhile. The
    /// estimate is `None` while no available agent can take it.
    pub fn notice(&self, conversation: ConversationId) -> Option<(u32, Option<u64>)> {
        self.notice_told_before(conversation)
            .map(|(placed, _)| placed)
    }

    /// The place of a waiting conversation now (1 = next), as the queue
    /// notices give it; `None` if it is not waiting. Tells nothing and
    /// changes nothing.
    pub fn position(&self, conversation: &ConversationId) -> Option<u32> {
        self.lock()
            .queue
            .place(conversation)
            .map(|place| place.position)
    }

    /// [`Self::notice`], with the place this node had told the customer
    /// before, if it had (`None` on a node that never did: the transcript
    /// may have).
    pub fn notice_told_before(&self, conversation: ConversationId) -> Option<NoticeNow> {
        let mut state = self.lock();
        let notice = state.notices.get_mut(&conversation);
        let told_before = notice
            .as_ref()
            .and_then(|n| n.told)
            .map(|(position, _, _)| position);
        if !self.is_open() {
            if let Some(notice) = notice {
                notice.pending = false;
            }
            return None;
        }
        self.tell_now(&mut state, conversation)
            .map(|placed| (placed, told_before))
    }

    /// Updates the customer details of a queued or held conversation.
    pub fn update_customer(
        &self,
        conversation: ConversationId,
        customer: Option<Customer>,
    ) -> Result<(), HandoffError> {
        let mut state = self.lock();
        let Some(record) = state
            .queue
            .update_record(&conversation, |r| r.customer = customer)
        else {
            return Ok(());
        };
        self.store.save_handoff(record)?;
        self.touch();
        Ok(())
    }

    /// Claims a queued conversation for the agent of `profile`; exactly one
    /// concurrent claimer wins, and every other connected agent is sent
    /// [`AgentEvent::Claimed`]. Claiming one you already hold succeeds again.
    /// Returns the stored queue item, now with its assignee.
    ///
    /// # Errors
    ///
    /// [`HandoffError::NotFound`] if it is not in the queue,
    /// [`HandoffError::AssignedToOther`] if another agent holds it,
    /// [`HandoffError::Store`] if the claim cannot be stored (it is undone).
    pub fn claim(
        &self,
        profile: &AgentProfile,
        conversation: ConversationId,
    ) -> Result<QueueEntry, HandoffError> {
        let agent = profile.id.as_str();
        if !self.lock().queue.contains(&conversation) {
            // Another node may have queued it a moment ago.
            self.sync(conversation)?;
        }
        let mut state = self.lock();
        let item = state
            .queue
            .get(&conversation)
            .ok_or(HandoffError::NotFound)?;
        match &item.record.agent {
            Some(assignee) if assignee != agent => {
                return Err(HandoffError::AssignedToOther(assignee.clone()))
            }
            Some(_) => return Ok(item.record.clone()),
            None => {}
        }
        let mut claimed = item.record.clone();
        let now = domain::Timestamp::now();
        claimed.agent = Some(agent.to_owned());
        claimed.claimed_at = Some(now);
        // The store decides: another node's agent may have claimed it a
        // moment ago, and this node not heard yet.
        if let Swap::Refused(stored) = self.store.swap_handoff(None, &claimed)? {
            let holder = stored.as_ref().and_then(|s| s.agent.clone());
            self.apply(&mut state, conversation, stored.map(|s| *s));
            return match holder {
                Some(holder) if holder == agent => state
                    .queue
                    .get(&conversation)
                    .map(|i| i.record.clone())
                    .ok_or(HandoffError::NotFound),
                Some(holder) => Err(HandoffError::AssignedToOther(holder)),
                None => Err(HandoffError::NotFound),
            };
        }
        state.queue.assign(&conversation, agent, now);
        if let Some(notice) = state.notices.get_mut(&conversation) {
            notice.told = None;
        }
        // Every console drops a claimed item from its view by itself (the
        // claimer on success, the others on `claimed`): what each was last
        // sent is no longer what it shows, so the next views go out whatever.
        state.last_views.clear();
        for (id, online) in &state.online {
            if id != agent {
                let _ = online.tx.try_send(AgentEvent::Claimed {
                    conversation,
                    agent: profile.name.clone(),
                });
            }
        }
        self.touch();
        Ok(claimed)
    }

    /// The agent `conversation` is assigned to, if any.
    pub fn assignee(&self, conversation: &ConversationId) -> Option<String> {
        self.lock()
            .queue
            .get(conversation)
            .and_then(|i| i.record.agent.clone())
    }

    /// The queue record of `conversation`, if it is queued or held.
    pub fn record(&self, conversation: &ConversationId) -> Option<QueueEntry> {
        self.lock()
            .queue
            .get(conversation)
            .map(|i| i.record.clone())
    }

    /// Checks that `agent` holds `conversation`: [`HandoffError::NotFound`]
    /// if nobody does, [`HandoffError::AssignedToOther`] if another agent does.
    pub fn check_assignee(
        &self,
        agent: &str,
        conversation: &ConversationId,
    ) -> Result<(), HandoffError> {
        check_held_by(&self.lock(), agent, conversation)
    }

    /// Where a conversation `agent` holds would stand if released now, at its
    /// original place: (position, estimated wait in seconds if anyone can
    /// take it). Changes nothing: the caller writes the conversation record
    /// that tells the customer, then calls [`Handoff::release`].
    ///
    /// # Errors
    ///
    /// [`HandoffError::NotFound`] if nobody holds it,
    /// [`HandoffError::AssignedToOther`] if another agent does.
    pub fn release_place(
        &self,
        agent: &str,
        conversation: ConversationId,
    ) -> Result<(u32, Option<u64>), HandoffError> {
        let state = self.lock();
        check_held_by(&state, agent, &conversation)?;
        let item = state
            .queue
            .get(&conversation)
            .ok_or(HandoffError::NotFound)?;
        let place = state
            .queue
            .place_on_return(&conversation)
            .ok_or(HandoffError::NotFound)?;
        let offered_to_all = self.offered_to_all(&item.record, now_ms());
        let agents = self.available_for(&state, &item.record.locale, offered_to_all);
        let handling = state.handling.planned(
            &item.record.locale,
            self.settings.default_handling.as_secs(),
        );
        let ahead = self
            .work_ahead(&state, &conversation, offered_to_all)
            .unwrap_or(place.in_locale);
        Ok((place.position, estimate::wait_s(ahead, agents, handling)))
    }

    /// Puts a conversation `agent` holds back in the queue at its original
    /// place, once the record saying so is written; `told` is the place and
    /// estimate the customer was told ([`Handoff::release_place`]). The queue
    /// in memory follows the record even if the store cannot save the item.
    ///
    /// # Errors
    ///
    /// As [`Handoff::release_place`].
    pub fn release(
        &self,
        agent: &str,
        conversation: ConversationId,
        told: (u32, Option<u64>),
    ) -> Result<(), HandoffError> {
        let mut state = self.lock();
        self.unassign(&mut state, agent, conversation, true, Order::RecordWritten)?;
        if let Some(notice) = state.notices.get_mut(&conversation) {
            notice.pending = false;
            notice.told = Some((told.0, told.1, Instant::now()));
        }
        self.touch();
        Ok(())
    }

    /// Undoes a [`Handoff::claim`] whose record could not be written: the
    /// conversation waits again at its original place, no handling measured.
    pub fn unclaim(&self, agent: &str, conversation: ConversationId) {
        let mut state = self.lock();
        let order = Order::RecordWritten;
        if self
            .unassign(&mut state, agent, conversation, false, order)
            .is_err()
        {
            return;
        }
        state.last_views.clear();
        self.touch();
    }

    /// For a [`HandoffEvent::AgentGone`]: if `conversation`'s agent is still
    /// offline after the grace period, it goes back to the queue at its
    /// original place; (position, estimated wait if anyone can take it) to
    /// tell the customer. The time it was held is not measured as a handling
    /// time: nobody handled it through the grace period.
    pub fn requeue_abandoned(&self, conversation: ConversationId) -> Option<(u32, Option<u64>)> {
        // Who is online on the other nodes now, not at the last heartbeat:
        // the agent may have come back there a moment ago.
        if let Err(error) = self.heartbeat() {
            tracing::warn!(conversation_id = %conversation, %error, "cannot read the other nodes' presence: not requeued now");
            if let Some(notice) = self.lock().notices.get_mut(&conversation) {
                notice.pending = false;
            }
            return None;
        }
        let mut state = self.lock();
        let agent = state.queue.get(&conversation)?.record.agent.clone()?;
        let gone = state
            .offline_since
            .get(&agent)
            .is_some_and(|since| since.elapsed() >= self.settings.grace);
        if !gone || state.online.contains_key(&agent) || state.remote.contains_key(&agent) {
            if let Some(notice) = state.notices.get_mut(&conversation) {
                notice.pending = false;
            }
            return None;
        }
        // Nobody handled it for the grace period (and the agent may have
        // vanished right after the claim): not a handling time.
        let order = Order::StoreFirst;
        if let Err(error) = self.unassign(&mut state, &agent, conversation, false, order) {
            tracing::error!(conversation_id = %conversation, %error, "cannot requeue");
            return None;
        }
        tracing::info!(conversation_id = %conversation, agent, "agent did not come back: requeued");
        let placed = self.tell_now(&mut state, conversation).unwrap_or((1, None));
        self.touch();
        Some(placed)
    }

    /// For a [`HandoffEvent::CustomerGone`]: takes a waiting conversation out
    /// of the queue if its customer is still away; true if it left.
    pub fn leave_if_away(&self, conversation: ConversationId) -> Result<bool, HandoffError> {
        let mut state = self.lock();
        let notice = state
            .notices
            .get(&conversation)
            .cloned()
            .unwrap_or_default();
        let away = notice
            .away_since
            .is_some_and(|since| since.elapsed() >= self.settings.abandon_after);
        let waiting = state
            .queue
            .get(&conversation)
            .is_some_and(|i| i.is_waiting());
        if !away || !waiting {
            if let Some(notice) = state.notices.get_mut(&conversation) {
                notice.pending = false;
            }
            return Ok(false);
        }
        self.store.remove_handoff(&conversation)?;
        state.queue.remove(&conversation);
        state.notices.remove(&conversation);
        self.touch();
        Ok(true)
    }

    /// Whether a customer connection of `conversation` is open; a waiting
    /// customer who comes back is told where they stand if it changed since
    /// they were last told (reconnecting over a flaky line adds nothing to
    /// the transcript otherwise).
    pub fn customer_present(&self, conversation: ConversationId, present: bool) {
        let mut state = self.lock();
        let Some(notice) = state.notices.get_mut(&conversation) else {
            return;
        };
        if present {
            if std::mem::take(&mut notice.elsewhere) | notice.away_since.take().is_some() {
                notice.returned = true;
                self.touch();
            }
            drop(state);
            self.relay(RelayEvent::CustomerHere { conversation });
        } else {
            notice.away_since.get_or_insert_with(Instant::now);
        }
    }

    /// A customer connection of a waiting conversation opened on another
    /// node: that node tells them where they stand and notices when they
    /// leave, so this one no longer counts them as away.
    pub fn customer_elsewhere(&self, conversation: ConversationId) {
        let mut state = self.lock();
        if let Some(notice) = state.notices.get_mut(&conversation) {
            notice.elsewhere = true;
            notice.away_since = None;
        }
    }

    /// The conversation leaves the handoff (closed, returned to the bot, or
    /// ended by the customer), before the record saying so is written: if
    /// the store cannot remove the item, nothing changes. With `agent`, only
    /// its assignee may do this. Returns the agent who held it.
    pub fn finish(
        &self,
        agent: Option<&str>,
        conversation: ConversationId,
    ) -> Result<Option<String>, HandoffError> {
        self.finish_in_order(agent, conversation, Order::StoreFirst)
    }

    /// [`Handoff::finish`] once the record saying so is written: the queue
    /// in memory follows the record even if the store cannot remove the item.
    pub fn finish_written(
        &self,
        agent: Option<&str>,
        conversation: ConversationId,
    ) -> Result<Option<String>, HandoffError> {
        self.finish_in_order(agent, conversation, Order::RecordWritten)
    }

    fn finish_in_order(
        &self,
        agent: Option<&str>,
        conversation: ConversationId,
        order: Order,
    ) -> Result<Option<String>, HandoffError> {
        let mut state = self.lock();
        let item = state
            .queue
            .get(&conversation)
            .ok_or(HandoffError::NotFound)?;
        match (agent, &item.record.agent) {
            (Some(agent), Some(assignee)) if agent != assignee => {
                return Err(HandoffError::AssignedToOther(assignee.clone()))
            }
            (Some(_), None) => return Err(HandoffError::NotFound),
            _ => {}
        }
        let assignee = item.record.agent.clone();
        order.stored(conversation, self.store.remove_handoff(&conversation))?;
        self.record_handling(&mut state, conversation);
        state.queue.remove(&conversation);
        state.notices.remove(&conversation);
        self.touch();
        Ok(assignee)
    }

    /// The conversation is erased: it leaves the queue without a trace (no
    /// handling time is recorded). Returns the agent who held it.
    pub fn forget(&self, conversation: ConversationId) -> Option<String> {
        let mut state = self.lock();
        let item = state.queue.remove(&conversation)?;
        state.notices.remove(&conversation);
        self.touch();
        item.record.agent
    }

    /// Puts a conversation `agent` holds back among the waiting; with
    /// `measure`, the time it was held counts as a handling time.
    fn unassign(
        &self,
        state: &mut State,
        agent: &str,
        conversation: ConversationId,
        measure: bool,
        order: Order,
    ) -> Result<(), HandoffError> {
        check_held_by(state, agent, &conversation)?;
        let mut record = state
            .queue
            .get(&conversation)
            .map(|i| i.record.clone())
            .ok_or(HandoffError::NotFound)?;
        record.agent = None;
        record.claimed_at = None;
        match self.store.swap_handoff(Some(agent), &record) {
            Ok(Swap::Done) => {}
            Ok(Swap::Refused(stored)) => {
                // Another node moved it first (requeued it, say): the
                // store's item is the truth.
                self.apply(state, conversation, stored.map(|s| *s));
                return Err(HandoffError::NotFound);
            }
            Err(error) => order.stored(conversation, Err(error))?,
        }
        if measure {
            self.record_handling(state, conversation);
        }
        state.queue.unassign(&conversation);
        if let Some(notice) = state.notices.get_mut(&conversation) {
            notice.told = None;
        }
        Ok(())
    }

    /// Measures how long the conversation's assignee has held it, if it is
    /// held and for at least [`HandoffSettings::min_handling`]; kept in
    /// memory and in the store, so estimates survive a restart.
    fn record_handling(&self, state: &mut State, conversation: ConversationId) {
        let Some(item) = state.queue.get(&conversation) else {
            return;
        };
        // Never claimed (nobody handled it): nothing to measure.
        let Some(claimed) = item.record.claimed_at else {
            return;
        };
        let now = domain::Timestamp::now();
        let seconds = now.seconds_since(claimed);
        if seconds < self.settings.min_handling.as_secs() {
            tracing::debug!(conversation_id = %conversation, seconds, "too short to count as a handling time");
            return;
        }
        let sample = HandlingSample {
            locale: item.record.locale.clone(),
            seconds,
            at: now,
        };
        state.handling.record(&sample.locale, sample.seconds);
        if let Err(error) = self
            .store
            .record_handling(&sample, estimate::HANDLING_SAMPLES)
        {
            tracing::warn!(conversation_id = %conversation, %error, "cannot store a handling time");
        }
    }

    /// An agent connected: returns its link id, queue view and held conversations.
    pub fn connect(
        &self,
        agent: &str,
        tx: mpsc::Sender<AgentEvent>,
    ) -> (u64, QueueView, Vec<ConversationId>) {
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
        state.offline_since.remove(agent);
        self.beat.notify_one();
        let view = self.views(&state, &[agent]).pop().unwrap_or_default();
        state
            .last_views
            .insert(agent.to_owned(), fingerprint(&view));
        let mut held: Vec<(domain::Timestamp, ConversationId)> = state
            .queue
            .iter()
            .filter(|i| i.record.agent.as_deref() == Some(agent))
            .map(|i| (i.record.waiting_since, i.record.conversation))
            .collect();
        held.sort();
        self.touch();
        (link, view, held.into_iter().map(|(_, c)| c).collect())
    }

    /// An agent's connection `link` closed: it keeps its conversations for the
    /// grace period. False if a newer connection of the agent is the one online.
    pub fn disconnect(&self, agent: &str, link: u64) -> bool {
        let mut state = self.lock();
        if state.online.get(agent).is_none_or(|o| o.link != link) {
            return false;
        }
        state.online.remove(agent);
        state.last_views.remove(agent);
        state.offline_since.insert(agent.to_owned(), Instant::now());
        self.beat.notify_one();
        self.touch();
        true
    }

    /// Whether `agent` is connected to this node.
    pub fn is_here(&self, agent: &str) -> bool {
        self.lock().online.contains_key(agent)
    }

    /// The conversations held by agents connected to this node.
    pub fn held_here(&self) -> Vec<ConversationId> {
        let state = self.lock();
        state
            .queue
            .iter()
            .filter(|i| {
                i.record
                    .agent
                    .as_ref()
                    .is_some_and(|agent| state.online.contains_key(agent))
            })
            .map(|i| i.record.conversation)
            .collect()
    }

    /// The conversations `agent` holds.
    pub fn held_by(&self, agent: &str) -> Vec<ConversationId> {
        self.lock()
            .queue
            .iter()
            .filter(|i| i.record.agent.as_deref() == Some(agent))
            .map(|i| i.record.conversation)
            .collect()
    }

    /// Whether the online `agent` (by id) takes new conversations: only
    /// available agents count for wait estimates. Nothing happens if the
    /// agent is not connected.
    pub fn set_available(&self, agent: &str, available: bool) {
        let mut state = self.lock();
        if let Some(online) = state.online.get_mut(agent) {
            online.available = available;
        }
        self.beat.notify_one();
        self.touch();
    }

    /// Sends `event` to the agent holding `conversation`, if connected
    /// here, else to the node it is connected to ([`Handoff::tell_agent`]).
    pub fn tell_assignee(&self, conversation: &ConversationId, event: AgentEvent) {
        let assignee = self
            .lock()
            .queue
            .get(conversation)
            .and_then(|i| i.record.agent.clone());
        if let Some(assignee) = assignee {
            self.tell_agent(&assignee, event);
        }
    }

    /// Sends `event` to `agent` if connected here; if they are connected to
    /// another node, that node is sent it (except a customer's message,
    /// which every node reads from the transcript when the doorbell rings).
    pub fn tell_agent(&self, agent: &str, event: AgentEvent) {
        let state = self.lock();
        if let Some(online) = state.online.get(agent) {
            if online.tx.try_send(event).is_err() {
                tracing::warn!(agent, "agent connection is not keeping up");
            }
            return;
        }
        drop(state);
        let notice = match event {
            AgentEvent::Typing { conversation, on } => AgentNotice::Typing { conversation, on },
            AgentEvent::Closed { conversation, by } => AgentNotice::Closed { conversation, by },
            AgentEvent::Rating {
                conversation,
                score,
                comment,
            } => AgentNotice::Rating {
                conversation,
                score,
                comment,
            },
            AgentEvent::DeadLetter {
                conversation,
                seq,
                reason,
            } => AgentNotice::DeadLetter {
                conversation,
                seq,
                reason,
            },
            AgentEvent::Queue(_)
            | AgentEvent::Claimed { .. }
            | AgentEvent::Message { .. }
            | AgentEvent::Replaced => return,
        };
        self.relay(RelayEvent::ToAgent {
            agent: agent.to_owned(),
            notice,
        });
    }

    /// Tells the other nodes `event` (a failure is logged: relays are
    /// short-lived, and nothing stored depends on them).
    pub fn relay(&self, event: RelayEvent) {
        let relay = Relay {
            node: self.node.clone(),
            event,
        };
        if let Err(error) = self.store.publish(&relay) {
            tracing::warn!(%error, "cannot relay an event to the other nodes");
        }
    }

    /// This node's id (random at every start).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Another node's notice for `agent`: sent on if they are connected here.
    pub fn deliver(&self, agent: &str, notice: AgentNotice) {
        let event = match notice {
            AgentNotice::Typing { conversation, on } => AgentEvent::Typing { conversation, on },
            AgentNotice::Closed { conversation, by } => AgentEvent::Closed { conversation, by },
            AgentNotice::Rating {
                conversation,
                score,
                comment,
            } => AgentEvent::Rating {
                conversation,
                score,
                comment,
            },
            AgentNotice::DeadLetter {
                conversation,
                seq,
                reason,
            } => AgentEvent::DeadLetter {
                conversation,
                seq,
                reason,
            },
        };
        if let Some(online) = self.lock().online.get(agent) {
            let _ = online.tx.try_send(event);
        }
    }

    /// A conversation's queue item changed in the store (another node
    /// queued, claimed, released or finished it): the queue here follows.
    /// Returns the agent who holds it now, if any.
    pub fn sync(&self, conversation: ConversationId) -> Result<Option<String>, HandoffError> {
        // Read under the lock: every write of this node happens under it,
        // so what is read is never older than the queue here.
        let mut state = self.lock();
        let stored = self.store.handoff(&conversation)?;
        self.apply(&mut state, conversation, stored);
        Ok(state
            .queue
            .get(&conversation)
            .and_then(|i| i.record.agent.clone()))
    }

    /// Reads the whole queue again (after this node may have missed changes:
    /// the subscription to the other nodes broke).
    pub fn sync_all(&self) -> Result<(), HandoffError> {
        let mut state = self.lock();
        let stored = self.store.handoffs()?;
        let mut gone: std::collections::HashSet<ConversationId> =
            state.queue.iter().map(|i| i.record.conversation).collect();
        for entry in stored {
            let id = entry.conversation;
            gone.remove(&id);
            self.apply(&mut state, id, Some(entry));
        }
        for id in gone {
            self.apply(&mut state, id, None);
        }
        Ok(())
    }

    /// Makes the queue here hold `stored` as the item of `conversation`
    /// (`None`: it left the queue); agents here hear of a claim made
    /// elsewhere.
    fn apply(&self, state: &mut State, conversation: ConversationId, stored: Option<QueueEntry>) {
        let Some(stored) = stored else {
            if state.queue.remove(&conversation).is_some() {
                state.notices.remove(&conversation);
                self.touch();
            }
            return;
        };
        let before = state.queue.get(&conversation).map(|i| i.record.clone());
        if before.as_ref() == Some(&stored) {
            return;
        }
        match &before {
            None => {
                state.queue.insert_by_time(stored.clone(), None);
                let notice = Notice {
                    elsewhere: true,
                    ..Notice::default()
                };
                state.notices.insert(conversation, notice);
            }
            Some(before) => {
                match (&before.agent, &stored.agent) {
                    (None, Some(agent)) => {
                        let at = stored.claimed_at.unwrap_or_else(domain::Timestamp::now);
                        state.queue.assign(&conversation, agent, at);
                    }
                    (Some(_), None) => {
                        state.queue.unassign(&conversation);
                    }
                    (Some(old), Some(new)) if old != new => {
                        state.queue.unassign(&conversation);
                        let at = stored.claimed_at.unwrap_or_else(domain::Timestamp::now);
                        state.queue.assign(&conversation, new, at);
                    }
                    _ => {}
                }
                let record = stored.clone();
                state.queue.update_record(&conversation, |r| *r = record);
                if before.agent.is_some() && stored.agent.is_none() {
                    // The node that put it back told the customer where they
                    // stand: this one remembers that as told, or it would
                    // tell them again.
                    self.tell_now(state, conversation);
                }
            }
        }
        if let (None | Some(QueueEntry { agent: None, .. }), Some(agent)) = (&before, &stored.agent)
        {
            // Whoever claimed it is online (on the node that claimed it),
            // whatever this node last heard: no grace period runs for them
            // until a heartbeat says they are gone.
            state.offline_since.remove(agent);
            if !state.online.contains_key(agent) {
                state.remote.entry(agent.clone()).or_insert(true);
            }
            let name = self
                .profile(agent)
                .map_or(agent.clone(), |a| a.name.clone());
            state.last_views.clear();
            for (id, online) in &state.online {
                if id != agent {
                    let _ = online.tx.try_send(AgentEvent::Claimed {
                        conversation,
                        agent: name.clone(),
                    });
                }
            }
        }
        self.touch();
    }

    /// Resolves when an agent connected, left or changed status here since
    /// the last call: the other nodes should hear of it before the next
    /// [`HEARTBEAT_INTERVAL`].
    pub async fn presence_changed(&self) {
        self.beat.notified().await;
    }

    /// Renews this node's presence in the store and takes in the other
    /// nodes': their agents count for estimates, and an agent holding
    /// conversations who is online on no node any more starts their grace
    /// period (their node stopped or died).
    pub fn heartbeat(&self) -> Result<(), HandoffError> {
        let mine = {
            let state = self.lock();
            let until = domain::Timestamp::now().as_millisecond() + PRESENCE_TTL.as_millis() as i64;
            NodePresence {
                node: self.node.clone(),
                until_ms: until,
                agents: state
                    .online
                    .iter()
                    .map(|(id, online)| PresentAgent {
                        id: id.clone(),
                        available: online.available,
                    })
                    .collect(),
            }
        };
        let others = self.store.heartbeat(&mine)?;
        let mut remote = HashMap::new();
        for presence in others {
            for agent in presence.agents {
                *remote.entry(agent.id).or_insert(false) |= agent.available;
            }
        }
        let mut state = self.lock();
        let now = Instant::now();
        let holders: Vec<String> = state
            .queue
            .iter()
            .filter_map(|i| i.record.agent.clone())
            .collect();
        // Held by someone online on no node (their node died, maybe before
        // it ever said they were there): their grace period runs.
        for agent in holders {
            if remote.contains_key(&agent) {
                state.offline_since.remove(&agent);
            } else if !state.online.contains_key(&agent) {
                state.offline_since.entry(agent).or_insert(now);
            }
        }
        if state.remote != remote {
            tracing::info!(agents = ?remote, "agents online on other nodes");
            state.remote = remote;
            self.touch();
        }
        Ok(())
    }

    /// Runs publisher passes until `shutdown`: after changes (at most 20 a
    /// second, `PASSES_PER_SECOND`) and at least every second (`PASS_INTERVAL`).
    pub async fn run_publisher(self: Arc<Self>, shutdown: CancellationToken) {
        let pause = Duration::from_millis(1000 / PASSES_PER_SECOND);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = self.changed.notified() => {}
                _ = tokio::time::sleep(PASS_INTERVAL) => {}
            }
            self.publish();
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// One publisher pass: new queue views to agents whose view changed,
    /// and events for customers to tell and conversations to act on.
    fn publish(&self) {
        let mut state = self.lock();
        let names: Vec<String> = state.online.keys().cloned().collect();
        let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let views = self.views(&state, &name_refs);
        for (name, view) in names.into_iter().zip(views) {
            let print = fingerprint(&view);
            if state.last_views.get(&name) == Some(&print) {
                continue;
            }
            if let Some(online) = state.online.get(&name) {
                if online.tx.try_send(AgentEvent::Queue(view)).is_ok() {
                    state.last_views.insert(name, print);
                }
            }
        }
        gauge_queue_lengths(&mut state);
        let events = self.due_events(&state);
        for event in events {
            let id = match event {
                HandoffEvent::Tell(id)
                | HandoffEvent::AgentGone(id)
                | HandoffEvent::CustomerGone(id) => id,
            };
            // A full channel: the next pass tries again.
            if self.events.try_send(event).is_ok() {
                if let Some(notice) = state.notices.get_mut(&id) {
                    notice.pending = true;
                }
            }
        }
    }

    /// What the conversation layer must act on now, in one walk of the queue.
    fn due_events(&self, state: &State) -> Vec<HandoffEvent> {
        let mut events = Vec::new();
        let open = self.is_open();
        let default_handling = self.settings.default_handling.as_secs();
        let now = now_ms();
        let available_to_all = present(state).filter(|(_, available)| *available).count() as u32;
        let mut in_locale: HashMap<&str, u32> = HashMap::new();
        // Items so far offered to every agent, by locale (see `work_ahead`).
        let mut offered_all: HashMap<&str, u32> = HashMap::new();
        let mut per_locale: HashMap<&str, (u32, u64)> = HashMap::new();
        // The languages served by the agents of each locale, found once a pass.
        let mut served: HashMap<&str, Vec<String>> = HashMap::new();
        for (index, item) in state.queue.iter_waiting().enumerate() {
            let id = item.record.conversation;
            let locale = item.record.locale.as_str();
            let rank = in_locale.entry(locale).or_default();
            *rank += 1;
            let to_all = self.offered_to_all(&item.record, now);
            if to_all {
                *offered_all.entry(locale).or_default() += 1;
            }
            let notice = state.notices.get(&id).cloned().unwrap_or_default();
            if notice.pending || notice.elsewhere {
                continue;
            }
            if let Some(since) = notice.away_since {
                let has_email = item
                    .record
                    .customer
                    .as_ref()
                    .is_some_and(|c| c.email.is_some());
                if !has_email && since.elapsed() >= self.settings.abandon_after {
                    events.push(HandoffEvent::CustomerGone(id));
                }
                // Nobody to tell: they hear where they stand when they come back.
                continue;
            }
            if !open {
                continue;
            }
            let (speakers, handling) = *per_locale.entry(locale).or_insert_with(|| {
                (
                    self.available_for(state, locale, false),
                    state.handling.planned(locale, default_handling),
                )
            });
            let position = index as u32 + 1;
            let (agents, ahead) = if to_all {
                (available_to_all, position)
            } else {
                // Everything waiting so far in the languages its agents
                // serve, and what of other languages is offered to everyone.
                let languages = served
                    .entry(locale)
                    .or_insert_with(|| self.served_with(state, locale));
                let ahead = languages
                    .iter()
                    .map(|l| in_locale.get(l.as_str()).copied().unwrap_or(0))
                    .sum::<u32>()
                    + offered_all
                        .iter()
                        .filter(|(l, _)| !languages.iter().any(|s| s == *l))
                        .map(|(_, n)| n)
                        .sum::<u32>();
                (speakers, ahead)
            };
            let wait = estimate::wait_s(ahead, agents, handling);
            let due = match notice.told {
                None => true,
                Some((told_position, told_wait, at)) => {
                    let changed = told_position != position
                        || match (wait, told_wait) {
                            (Some(wait), Some(told)) => {
                                wait.abs_diff(told) >= MEANINGFUL_WAIT_CHANGE_S
                            }
                            // An estimate appeared or went away.
                            (Some(_), None) | (None, Some(_)) => true,
                            (None, None) => false,
                        };
                    // An estimate nobody can meet any more is withdrawn at
                    // once, however far back (PROTOCOL.md: never a made-up wait).
                    let withdrawn = told_wait.is_some() && wait.is_none();
                    // One back soon after it was withdrawn waits
                    // ([`ESTIMATE_BACK_AFTER`]).
                    let back_soon = told_wait.is_none()
                        && wait.is_some()
                        && told_position == position
                        && notice
                            .withdrawn
                            .is_some_and(|at| at.elapsed() < ESTIMATE_BACK_AFTER);
                    changed
                        && !back_soon
                        && (position <= NEAR_POSITIONS
                            || withdrawn
                            || notice.returned
                            || at.elapsed() >= FAR_NOTICE_INTERVAL)
                }
            };
            if due {
                events.push(HandoffEvent::Tell(id));
            }
        }
        for item in state.queue.iter() {
            let Some(agent) = &item.record.agent else {
                continue;
            };
            let gone = state
                .offline_since
                .get(agent)
                .is_some_and(|since| since.elapsed() >= self.settings.grace);
            let pending = state
                .notices
                .get(&item.record.conversation)
                .is_some_and(|n| n.pending);
            if gone && !pending && !state.remote.contains_key(agent) {
                events.push(HandoffEvent::AgentGone(item.record.conversation));
            }
        }
        events
    }

    /// The queue views of `agents`, in one walk of the queue: items in their
    /// languages, and every item that has waited longer than `offer_all_after`.
    /// An agent who is not available is offered nothing (PROTOCOL.md,
    /// `status`): their view is empty until they are available again.
    fn views(&self, state: &State, agents: &[&str]) -> Vec<QueueView> {
        let now = now_ms();
        // `None`: not available, offered nothing.
        let languages: Vec<Option<&[String]>> = agents
            .iter()
            .map(|name| {
                let available = state.online.get(*name).is_none_or(|o| o.available);
                available.then(|| {
                    self.profile(name)
                        .map_or(&[][..], |a| a.languages.as_slice())
                })
            })
            .collect();
        let mut views = vec![QueueView::default(); agents.len()];
        for (index, item) in state.queue.iter_waiting().enumerate() {
            let record = &item.record;
            let offered_to_all = self.offered_to_all(record, now);
            for (view, langs) in views.iter_mut().zip(&languages) {
                let Some(langs) = langs else {
                    continue;
                };
                if !offered_to_all && !langs.contains(&record.locale) {
                    continue;
                }
                view.total += 1;
                *view.by_locale.entry(record.locale.clone()).or_default() += 1;
                if view.items.len() < QUEUE_VIEW_ITEMS {
                    view.items.push(QueueItem {
                        conversation: record.conversation,
                        locale: record.locale.clone(),
                        reason: record.reason,
                        priority: record.priority,
                        waiting_since: record.waiting_since,
                        position: index as u32 + 1,
                        summary: record.summary.clone(),
                        customer: record.customer.clone(),
                        channel: record.channel,
                    });
                }
            }
        }
        views
    }
}

/// Where a queue change stands to the conversation record that says the
/// same (the record is the truth: [`Handoff::reconcile`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// The record is written next: a store failure refuses the change, so
    /// the queue never runs ahead of the record.
    StoreFirst,
    /// The record is written: the queue in memory follows it whatever the
    /// store says (a stored item left behind is reconciled at the next start).
    RecordWritten,
}

impl Order {
    /// What a store write of the queue item comes to in this order.
    fn stored(
        self,
        conversation: ConversationId,
        written: Result<(), StoreError>,
    ) -> Result<(), HandoffError> {
        match (written, self) {
            (Ok(()), _) => Ok(()),
            (Err(error), Order::StoreFirst) => Err(error.into()),
            (Err(error), Order::RecordWritten) => {
                tracing::error!(conversation_id = %conversation, %error, "cannot store the queue item; reconciled at the next start");
                Ok(())
            }
        }
    }
}

/// Whether `agent` holds `conversation` in `state`.
fn check_held_by(
    state: &State,
    agent: &str,
    conversation: &ConversationId,
) -> Result<(), HandoffError> {
    match state
        .queue
        .get(conversation)
        .and_then(|i| i.record.agent.as_deref())
    {
        Some(assignee) if assignee == agent => Ok(()),
        Some(assignee) => Err(HandoffError::AssignedToOther(assignee.to_owned())),
        None => Err(HandoffError::NotFound),
    }
}

/// Now, in milliseconds since the epoch, for [`Handoff::offered_to_all`].
/// Sets `/metrics`' queue length of every locale whose length changed
/// (a locale whose queue emptied goes to 0).
fn gauge_queue_lengths(state: &mut State) {
    let now: HashMap<String, u32> = state
        .queue
        .waiting_by_locale()
        .map(|(locale, waiting)| (locale.to_owned(), waiting))
        .collect();
    for (locale, before) in &state.gauged {
        if !now.contains_key(locale) && *before != 0 {
            metrics::gauge!(crate::telemetry::QUEUE_LENGTH, "locale" => locale.clone()).set(0.0);
        }
    }
    for (locale, waiting) in &now {
        if state.gauged.get(locale) != Some(waiting) {
            metrics::gauge!(crate::telemetry::QUEUE_LENGTH, "locale" => locale.clone())
                .set(f64::from(*waiting));
        }
    }
    state.gauged.retain(|locale, _| now.contains_key(locale));
    state.gauged.extend(now);
}

fn now_ms() -> i64 {
    domain::Timestamp::now().as_millisecond()
}

/// A fingerprint of a view: whether it changed since it was last sent.
fn fingerprint(view: &QueueView) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    view.total.hash(&mut hasher);
    for item in &view.items {
        item.conversation.hash(&mut hasher);
        item.position.hash(&mut hasher);
        item.summary.hash(&mut hasher);
        item.customer
            .as_ref()
            .and_then(|c| c.email.as_ref())
            .hash(&mut hasher);
    }
    for (locale, count) in &view.by_locale {
        locale.hash(&mut hasher);
        count.hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::FjallStore;

    fn john() -> AgentProfile {
        AgentProfile {
            id: "john".into(),
            name: "John".into(),
            languages: vec!["en".into()],
            admin: false,
        }
    }

    /// Every claim is measured, and an agent who drops is gone at once.
    fn settings() -> HandoffSettings {
        HandoffSettings {
            hours: None,
            offer_all_after: Duration::from_secs(120),
            grace: Duration::ZERO,
            default_handling: Duration::from_secs(300),
            min_handling: Duration::ZERO,
            max_waiting: 100,
            max_waiting_per_address: 100,
            abandon_after: Duration::from_secs(1800),
        }
    }

    fn handoff_with(settings: HandoffSettings) -> (tempfile::TempDir, Arc<Handoff>) {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let store = Arc::new(FjallStore::open(dir.path(), 8 << 20, false).expect("store"));
        let (events, _events) = mpsc::channel(1024);
        let handoff = Handoff::new(settings, vec![john()], store, events).expect("handoff");
        (dir, handoff)
    }

    fn waiting(handoff: &Handoff, locale: &str) -> ConversationId {
        let id = ConversationId::random();
        handoff
            .enqueue(
                id,
                locale,
                HandoffReason::CustomerRequest,
                Priority::Normal,
                String::new(),
                None,
                crate::domain::ChannelKind::Web,
                None,
            )
            .expect("queued");
        id
    }

    /// Far back in the queue a new place waits for the next interval, but
    /// an estimate nobody can meet any more is withdrawn at once: all of
    /// 2,000 waiting customers, in two languages.
    #[test]
    fn when_the_last_agent_steps_away_every_estimate_is_withdrawn_at_once() {
        let (_dir, handoff) = handoff_with(HandoffSettings {
            max_waiting: 5000,
            max_waiting_per_address: 5000,
            ..settings()
        });
        let (tx, _rx) = mpsc::channel(16);
        handoff.connect("john", tx);
        let ids: Vec<_> = (0..2000)
            .map(|i| waiting(&handoff, if i % 3 == 0 { "es" } else { "en" }))
            .collect();
        // John speaks English only: the Spanish customers never had an estimate.
        let ids: Vec<_> = ids
            .into_iter()
            .filter(|id| handoff.notice(*id).is_some_and(|(_, wait)| wait.is_some()))
            .collect();
        assert!(ids.len() > 1300, "{}", ids.len());
        handoff.set_available("john", false);
        let due = handoff.due_events(&handoff.lock());
        for id in &ids {
            assert!(
                due.iter()
                    .any(|e| matches!(e, HandoffEvent::Tell(t) if t == id)),
                "place {} not told",
                handoff.notice(*id).map_or(0, |(p, _)| p)
            );
            assert_eq!(handoff.notice(*id).and_then(|(_, wait)| wait), None);
        }
    }

    /// An agent flipping between away and available, with 1,000 waiting:
    /// every withdrawn estimate is told at once, but their return for the
    /// same places waits, and the next flips have nothing new to tell.
    #[test]
    fn an_agent_flipping_away_and_back_does_not_re_tell_the_place() {
        let (_dir, handoff) = handoff_with(HandoffSettings {
            max_waiting: 5000,
            max_waiting_per_address: 5000,
            ..settings()
        });
        let (tx, _rx) = mpsc::channel(16);
        handoff.connect("john", tx);
        let ids: Vec<_> = (0..1000).map(|_| waiting(&handoff, "en")).collect();
        for id in &ids {
            assert!(handoff.notice(*id).is_some_and(|(_, wait)| wait.is_some()));
        }
        let told = |handoff: &Handoff| {
            handoff
                .due_events(&handoff.lock())
                .iter()
                .filter(|e| matches!(e, HandoffEvent::Tell(_)))
                .count()
        };
        handoff.set_available("john", false);
        assert_eq!(
            told(&handoff),
            ids.len(),
            "withdrawn estimates are told at once"
        );
        for (place, id) in ids.iter().enumerate() {
            assert_eq!(handoff.notice(*id), Some((place as u32 + 1, None)));
        }
        for _ in 0..3 {
            handoff.set_available("john", true);
            assert_eq!(told(&handoff), 0, "back within seconds: not told again");
            handoff.set_available("john", false);
            assert_eq!(told(&handoff), 0, "away again: nothing changed");
        }
    }

    /// Items of other languages that have waited past `offer_all_after` are
    /// offered to the English agent too, ahead of a new English customer:
    /// that customer's wait counts them.
    #[test]
    fn other_languages_offered_to_everyone_count_in_the_wait() {
        let (_dir, handoff) = handoff_with(HandoffSettings {
            offer_all_after: Duration::from_millis(200),
            ..settings()
        });
        let (tx, _rx) = mpsc::channel(16);
        handoff.connect("john", tx);
        waiting(&handoff, "ru");
        waiting(&handoff, "es");
        // Ages only grow: both are past `offer_all_after` from here on, and
        // the English item below is not (it would count 3 then too).
        std::thread::sleep(Duration::from_millis(250));
        let offered = handoff
            .views(&handoff.lock(), &["john"])
            .pop()
            .expect("view");
        assert_eq!(offered.total, 2, "both offered to John");
        let id = waiting(&handoff, "en");
        let (position, wait) = handoff.notice(id).expect("waiting");
        assert_eq!((position, wait), (3, Some(3 * 300)));
        let due = handoff.due_events(&handoff.lock());
        assert!(
            !due.iter()
                .any(|e| matches!(e, HandoffEvent::Tell(t) if *t == id)),
            "the queue pass computes the wait the notice told: {due:?}"
        );
    }

    #[test]
    fn a_conversation_whose_agent_vanished_is_not_measured_as_handled() {
        let (_dir, handoff) = handoff_with(settings());
        let (tx, _rx) = mpsc::channel(16);
        let (link, _, _) = handoff.connect("john", tx);
        let id = waiting(&handoff, "en");
        handoff.claim(&john(), id).expect("claimed");
        assert!(handoff.disconnect("john", link));
        assert!(handoff.requeue_abandoned(id).is_some(), "grace is over");

        let (tx, _rx) = mpsc::channel(16);
        handoff.connect("john", tx);
        assert_eq!(
            handoff.notice(id),
            Some((1, Some(300))),
            "still the default: nothing was measured"
        );
    }
}
