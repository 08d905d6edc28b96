//! The handoff queue as a data structure: conversations waiting for a person
//! and those a person holds, in queue order (priority first, then when they
//! first entered), with positions answered in O(log N).
//!
//! Every item gets a *ticket* when it first enters: tickets grow with the time
//! of entry, and a released item keeps its ticket, so it returns to its
//! original place. Waiting items sit in an ordered map keyed by (priority,
//! ticket) for walking the queue in order, and in Fenwick trees (binary indexed
//! trees, Fenwick 1994) over tickets, one per priority overall and one per
//! (locale, priority), so that "how many wait ahead of this one" is a prefix
//! sum: O(log N) per insert, removal or position, however long the queue.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use crate::domain::{ConversationId, Priority, QueueEntry, Timestamp};

/// Priorities in queue order: the index of the class served first is 0.
fn priority_index(priority: Priority) -> usize {
    match priority {
        Priority::High => 0,
        Priority::Normal => 1,
    }
}

/// Counts over tickets 0..len with prefix sums in O(log len).
#[derive(Debug, Clone, Default)]
struct Fenwick {
    tree: Vec<i32>,
    total: i32,
}

impl Fenwick {
    fn with_len(len: usize) -> Self {
        Self {
            tree: vec![0; len],
            total: 0,
        }
    }

    fn add(&mut self, ticket: u32, delta: i32) {
        let mut i = ticket as usize + 1;
        while i <= self.tree.len() {
            self.tree[i - 1] += delta;
            i += i & i.wrapping_neg();
        }
        self.total += delta;
    }

    /// How many counted tickets are `<= ticket`.
    fn prefix(&self, ticket: u32) -> i32 {
        let mut i = (ticket as usize + 1).min(self.tree.len());
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i - 1];
            i &= i - 1;
        }
        sum
    }
}

/// The rank indexes of one population (everything, or one locale).
#[derive(Debug, Clone, Default)]
struct Ranks([Fenwick; 2]);

impl Ranks {
    fn with_len(len: usize) -> Self {
        Self([Fenwick::with_len(len), Fenwick::with_len(len)])
    }

    fn add(&mut self, priority: Priority, ticket: u32, delta: i32) {
        self.0[priority_index(priority)].add(ticket, delta);
    }

    /// 1-based place of a waiting item among this population.
    fn place(&self, priority: Priority, ticket: u32) -> u32 {
        let p = priority_index(priority);
        let ahead: i32 = self.0[..p].iter().map(|f| f.total).sum();
        (ahead + self.0[p].prefix(ticket)).max(1) as u32
    }

    fn total(&self) -> u32 {
        self.0.iter().map(|f| f.total).sum::<i32>().max(0) as u32
    }
}

/// A conversation in the queue or held by an agent, with what the server
/// knows of it beyond the stored record.
#[derive(Debug, Clone)]
pub struct Item {
    /// What is stored of it ([`Store::save_handoff`](crate::storage::Store::save_handoff)).
    pub record: QueueEntry,
    ticket: u32,
    /// The address the customer wrote from, for the per-address cap (not stored:
    /// unknown after a restart).
    pub address: Option<IpAddr>,
}

impl Item {
    /// True while no agent holds it.
    pub fn is_waiting(&self) -> bool {
        self.record.agent.is_none()
    }

    fn key(&self) -> (Reverse<Priority>, u32) {
        (Reverse(self.record.priority), self.ticket)
    }
}

/// Where a waiting conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// 1 = next, among everything waiting.
    pub position: u32,
    /// 1 = next, among the waiting items of the same locale.
    pub in_locale: u32,
}

/// Every conversation waiting for or held by a person, indexed for queue
/// order, positions and the per-address cap.
#[derive(Debug, Default)]
pub struct Queue {
    items: HashMap<ConversationId, Item>,
    /// Waiting items in queue order.
    order: BTreeMap<(Reverse<Priority>, u32), ConversationId>,
    overall: Ranks,
    by_locale: HashMap<String, Ranks>,
    waiting_by_address: HashMap<IpAddr, u32>,
    next_ticket: u32,
    /// Tickets the rank indexes have room for.
    capacity: u32,
}

impl Queue {
    /// A queue holding `records` (as loaded from the store), in the order
    /// they first entered.
    pub fn from_records(records: Vec<QueueEntry>) -> Self {
        let mut records = records;
        records.sort_by_key(|r| (r.waiting_since, *r.conversation.as_bytes()));
        let mut queue = Self::default();
        for record in records {
            queue.insert(record, None);
        }
        queue
    }

    /// The item of `conversation`, waiting or held; `None` if not in the queue.
    pub fn get(&self, conversation: &ConversationId) -> Option<&Item> {
        self.items.get(conversation)
    }

    /// Whether `conversation` is in the queue, waiting or held.
    pub fn contains(&self, conversation: &ConversationId) -> bool {
        self.items.contains_key(conversation)
    }

    /// How many conversations wait (held ones excluded).
    pub fn waiting(&self) -> u32 {
        self.overall.total()
    }

    /// The locales with conversations waiting (or that had some), each
    /// with how many wait now.
    pub fn waiting_by_locale(&self) -> impl Iterator<Item = (&str, u32)> {
        self.by_locale
            .iter()
            .map(|(locale, ranks)| (locale.as_str(), ranks.total()))
    }

    /// How many conversations of `locale` wait.
    pub fn waiting_in(&self, locale: &str) -> u32 {
        self.by_locale.get(locale).map_or(0, Ranks::total)
    }

    /// How many waiting conversations came from `address`.
    pub fn waiting_from(&self, address: IpAddr) -> u32 {
        self.waiting_by_address.get(&address).copied().unwrap_or(0)
    }

    /// Adds a new item at the back of its priority; returns false (and
    /// changes nothing) if the conversation is already in the queue.
    pub fn insert(&mut self, record: QueueEntry, address: Option<IpAddr>) -> bool {
        if self.items.contains_key(&record.conversation) {
            return false;
        }
        if self.next_ticket >= self.capacity {
            self.rebuild();
        }
        let item = Item {
            ticket: self.next_ticket,
            record,
            address,
        };
        self.next_ticket += 1;
        let id = item.record.conversation;
        if item.is_waiting() {
            self.index(&item, 1);
        }
        self.items.insert(id, item);
        true
    }

    /// [`Queue::insert`] for an item another node queued: at its place by
    /// time of entry, which is where that node put it (an item that
    /// arrives after a later one costs a rebuild, O(N log N)).
    pub fn insert_by_time(&mut self, record: QueueEntry, address: Option<IpAddr>) -> bool {
        let key = (record.waiting_since, *record.conversation.as_bytes());
        let early = self
            .items
            .values()
            .any(|i| (i.record.waiting_since, *i.record.conversation.as_bytes()) > key);
        if !self.insert(record, address) {
            return false;
        }
        if early {
            self.rebuild_by(|item| {
                (
                    item.record.waiting_since,
                    *item.record.conversation.as_bytes(),
                )
            });
        }
        true
    }

    /// Marks `conversation` as held by `agent` since `now`; returns the
    /// item, or `None` if it is not in the queue. Does not check who held it.
    pub fn assign(
        &mut self,
        conversation: &ConversationId,
        agent: &str,
        now: Timestamp,
    ) -> Option<&Item> {
        let item = self.items.get(conversation)?.clone();
        if item.is_waiting() {
            self.index(&item, -1);
        }
        let item = self.items.get_mut(conversation)?;
        item.record.agent = Some(agent.to_owned());
        item.record.claimed_at = Some(now);
        Some(item)
    }

    /// Puts a held conversation back among the waiting, at its original place.
    pub fn unassign(&mut self, conversation: &ConversationId) -> Option<&Item> {
        let item = self.items.get_mut(conversation)?;
        if !item.is_waiting() {
            item.record.agent = None;
            item.record.claimed_at = None;
            let item = item.clone();
            self.index(&item, 1);
        }
        self.items.get(conversation)
    }

    /// Takes `conversation` out of the queue, waiting or held; the item, or
    /// `None` if it was not there.
    pub fn remove(&mut self, conversation: &ConversationId) -> Option<Item> {
        let item = self.items.remove(conversation)?;
        if item.is_waiting() {
            self.index(&item, -1);
        }
        Some(item)
    }

    /// Changes an item's stored record in place (not its place in the queue).
    pub fn update_record(
        &mut self,
        conversation: &ConversationId,
        change: impl FnOnce(&mut QueueEntry),
    ) -> Option<&QueueEntry> {
        let item = self.items.get_mut(conversation)?;
        change(&mut item.record);
        Some(&item.record)
    }

    /// Where a waiting conversation stands; `None` if it is held or unknown.
    pub fn place(&self, conversation: &ConversationId) -> Option<Place> {
        let item = self.items.get(conversation)?;
        if !item.is_waiting() {
            return None;
        }
        let priority = item.record.priority;
        Some(Place {
            position: self.overall.place(priority, item.ticket),
            in_locale: self
                .by_locale
                .get(&item.record.locale)
                .map_or(1, |r| r.place(priority, item.ticket)),
        })
    }

    /// Where `conversation` stands if it waits, or would stand if its agent
    /// released it now (a held item keeps its ticket, so its original
    /// place); `None` if it is not in the queue.
    pub fn place_on_return(&self, conversation: &ConversationId) -> Option<Place> {
        let item = self.items.get(conversation)?;
        if item.is_waiting() {
            return self.place(conversation);
        }
        let priority = item.record.priority;
        // The held item is not counted in the rank indexes: one more.
        let behind = |ranks: &Ranks| {
            let p = priority_index(priority);
            let ahead: i32 = ranks.0[..p].iter().map(|f| f.total).sum();
            (ahead + ranks.0[p].prefix(item.ticket) + 1).max(1) as u32
        };
        Some(Place {
            position: behind(&self.overall),
            in_locale: self.by_locale.get(&item.record.locale).map_or(1, behind),
        })
    }

    /// How many waiting items of the `locales` stand ahead of
    /// `conversation` or level with it, counting itself (1 = next): the work
    /// the agents who speak those languages have before they reach it. A
    /// held item counts as if released now, at its original place. `None`
    /// if it is not in the queue.
    pub fn ahead_in<'a>(
        &self,
        conversation: &ConversationId,
        locales: impl IntoIterator<Item = &'a str>,
    ) -> Option<u32> {
        let item = self.items.get(conversation)?;
        let p = priority_index(item.record.priority);
        let mut ahead: i32 = if item.is_waiting() { 0 } else { 1 };
        for locale in locales {
            if let Some(ranks) = self.by_locale.get(locale) {
                ahead += ranks.0[..p].iter().map(|f| f.total).sum::<i32>()
                    + ranks.0[p].prefix(item.ticket);
            }
        }
        Some(ahead.max(1) as u32)
    }

    /// Waiting items in queue order.
    pub fn iter_waiting(&self) -> impl Iterator<Item = &Item> {
        self.order.values().filter_map(|id| self.items.get(id))
    }

    /// Every item, waiting or held, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Item> {
        self.items.values()
    }

    fn index(&mut self, item: &Item, delta: i32) {
        let priority = item.record.priority;
        self.overall.add(priority, item.ticket, delta);
        let capacity = self.capacity as usize;
        self.by_locale
            .entry(item.record.locale.clone())
            .or_insert_with(|| Ranks::with_len(capacity))
            .add(priority, item.ticket, delta);
        if delta > 0 {
            self.order.insert(item.key(), item.record.conversation);
        } else {
            self.order.remove(&item.key());
        }
        if let Some(address) = item.address {
            let count = self.waiting_by_address.entry(address).or_default();
            *count = count.saturating_add_signed(delta);
            if *count == 0 {
                self.waiting_by_address.remove(&address);
            }
        }
    }

    /// Gives every item a new ticket in the same order (0, 1, 2, ...) and
    /// sizes the rank indexes for twice as many: tickets only grow, so this
    /// runs once per doubling, O(N log N) each time.
    fn rebuild(&mut self) {
        self.rebuild_by(|item| item.ticket);
    }

    /// [`Queue::rebuild`] in the order of `key`.
    fn rebuild_by<K: Ord>(&mut self, key: impl Fn(&Item) -> K) {
        let mut items: Vec<Item> = self.items.drain().map(|(_, item)| item).collect();
        items.sort_by_key(|item| key(item));
        self.capacity = (items.len() as u32 * 2).max(1024);
        self.order.clear();
        self.overall = Ranks::with_len(self.capacity as usize);
        self.by_locale.clear();
        self.waiting_by_address.clear();
        self.next_ticket = 0;
        for mut item in items {
            item.ticket = self.next_ticket;
            self.next_ticket += 1;
            if item.is_waiting() {
                self.index(&item, 1);
            }
            self.items.insert(item.record.conversation, item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::HandoffReason;

    fn record(n: u8, locale: &str, priority: Priority, enqueued_ms: i64) -> QueueEntry {
        QueueEntry {
            conversation: ConversationId::from_bytes(&[n; 16]).expect("16 bytes"),
            locale: locale.to_owned(),
            reason: HandoffReason::CustomerRequest,
            priority,
            waiting_since: jiff::Timestamp::from_millisecond(enqueued_ms)
                .expect("a time")
                .into(),
            summary: String::new(),
            customer: None,
            agent: None,
            claimed_at: None,
            channel: Default::default(),
        }
    }

    fn id(n: u8) -> ConversationId {
        ConversationId::from_bytes(&[n; 16]).expect("16 bytes")
    }

    fn order(queue: &Queue) -> Vec<u8> {
        queue
            .iter_waiting()
            .map(|i| i.record.conversation.as_bytes()[0])
            .collect()
    }

    #[test]
    fn high_priority_goes_first_then_time_of_entry() {
        let mut queue = Queue::default();
        queue.insert(record(1, "tr", Priority::Normal, 1), None);
        queue.insert(record(2, "en", Priority::Normal, 2), None);
        queue.insert(record(3, "tr", Priority::High, 3), None);
        assert_eq!(order(&queue), vec![3, 1, 2]);
        assert_eq!(
            queue.place(&id(1)),
            Some(Place {
                position: 2,
                in_locale: 2
            })
        );
        assert_eq!(
            queue.place(&id(2)),
            Some(Place {
                position: 3,
                in_locale: 1
            })
        );
        assert_eq!(
            queue.place(&id(3)),
            Some(Place {
                position: 1,
                in_locale: 1
            })
        );
        assert_eq!(queue.waiting(), 3);
        assert_eq!(queue.waiting_in("tr"), 2);
    }

    #[test]
    fn a_released_item_returns_to_its_original_place() {
        let mut queue = Queue::default();
        for n in 1..=3 {
            queue.insert(record(n, "en", Priority::Normal, i64::from(n)), None);
        }
        queue.assign(&id(1), "ayse", Timestamp::now());
        assert_eq!(queue.place(&id(1)), None, "held items have no place");
        assert_eq!(queue.place(&id(2)).map(|p| p.position), Some(1));
        queue.insert(record(4, "en", Priority::Normal, 11), None);
        let before = queue.place_on_return(&id(1));
        queue.unassign(&id(1));
        assert_eq!(before, queue.place(&id(1)), "foretold exactly");
        assert_eq!(order(&queue), vec![1, 2, 3, 4]);
        assert_eq!(queue.place(&id(4)).map(|p| p.position), Some(4));
    }

    #[test]
    fn positions_stay_right_across_rebuilds_and_removals() {
        let mut queue = Queue::default();
        // Enough inserts and removals to force several rebuilds.
        let mut expected: Vec<(u8, u16)> = Vec::new();
        for round in 0u16..3000 {
            let n = (round % 200) as u8;
            if queue.contains(&id(n)) {
                queue.remove(&id(n));
                expected.retain(|(m, _)| *m != n);
            } else {
                let locale = if n.is_multiple_of(3) { "tr" } else { "en" };
                queue.insert(record(n, locale, Priority::Normal, i64::from(round)), None);
                expected.push((n, round));
            }
        }
        for (index, (n, _)) in expected.iter().enumerate() {
            let place = queue.place(&id(*n)).expect("waiting");
            assert_eq!(place.position as usize, index + 1);
            let locale_of = |m: u8| if m.is_multiple_of(3) { "tr" } else { "en" };
            let in_locale = expected[..=index]
                .iter()
                .filter(|(m, _)| locale_of(*m) == locale_of(*n))
                .count();
            assert_eq!(place.in_locale as usize, in_locale);
        }
    }

    #[test]
    fn waiting_items_are_counted_per_address() {
        let mut queue = Queue::default();
        let home: IpAddr = "10.0.0.1".parse().expect("ip");
        queue.insert(record(1, "en", Priority::Normal, 1), Some(home));
        queue.insert(record(2, "en", Priority::Normal, 2), Some(home));
        assert_eq!(queue.waiting_from(home), 2);
        queue.assign(&id(1), "john", Timestamp::now());
        assert_eq!(queue.waiting_from(home), 1);
        queue.remove(&id(2));
        assert_eq!(queue.waiting_from(home), 0);
        queue.unassign(&id(1));
        assert_eq!(queue.waiting_from(home), 1);
    }
}
