#![warn(missing_docs)]
//! Switchboard: a multilingual customer-support chat backend.
//!
//! Data flows one way: transport -> conversation -> (nlu, knowledge,
//! handoff, l10n, actions) -> storage, all standing on `domain`, which
//! imports nothing of ours. Modules on the same level do not import each other;
//! what must go back up (the queue telling a customer their place, an agent
//! their view) travels on channels the upper layer hands down. Beside the
//! arrow: `app` wires everything, `config` (read by `app`, `transport` and
//! `actions`) builds the handoff settings and prints store URLs through
//! `storage`'s redaction, `transport` serves the demo shop
//! from `actions` and signs channel webhooks with its Standard Webhooks
//! code, `eval` uses `nlu` and `normalize`, `files` and `normalize` are
//! helpers that import nothing of ours, and `telemetry` (the metric table)
//! imports only `domain`.
//!
//! - [`app`]: builds everything from the settings, binds, serves, shuts down.
//! - [`config`]: typed settings from flags, `SWITCHBOARD_*` env and a TOML file.
//! - [`transport`]: the edge: accept loop, limits, the customer and agent
//!   WebSockets, the HTTP API and pages (the help centre's articles among
//!   them), wire frames, and the messaging channels
//!   (Telegram, WhatsApp, signed webhook) with their delivery worker.
//! - [`conversation`]: the engine: each conversation's turns, state and
//!   fan-out (a channel conversation's new entries wake its delivery
//!   worker), the policy (answer, clarify, hand off), slot filling, the
//!   shop's facts in every text, business actions' answers, agents' actions,
//!   the content bundle and its checks, help-centre pages in the reader's
//!   language, and what each stored change adds to
//!   the figures (`/metrics` and the store's daily aggregate) and the
//!   insights report read from them, and, with several nodes on Redis, what
//!   the other nodes did (doorbells read from the store, queue changes,
//!   relays).
//! - [`nlu`]: language identification, the intent catalogue and matcher
//!   chain (noise check, exact phrase, then a per-locale classifier;
//!   Greeklish and translit through Latin skeletons), entities (phones through
//!   libphonenumber, order numbers in context), and the cache of trained
//!   models on disk that spares a restart the training.
//! - [`knowledge`]: help-centre articles and retrieval over their sections.
//! - [`handoff`]: the queue, agents' presence (on every node), claims
//!   (compare-and-set in the store), wait estimates, hours.
//! - [`actions`]: business actions: the signed HTTP client that asks the
//!   company's backend for facts, and the demo shop's backend.
//! - [`l10n`]: Fluent bundles per locale, negotiation, ICU4X plurals, the
//!   message catalogue, dates, numbers and money per locale.
//! - [`storage`]: the store trait; its fjall implementation with group
//!   commit (the default, `sled` on the command line) and its Redis one
//!   (one Lua script per append, compare-and-sets of queue items, delivery
//!   leases, node presence, and the pub/sub bus the nodes hear each other
//!   on); the daily aggregate for insights in both.
//! - [`domain`]: the shared vocabulary: ids, locale, message text, transcript
//!   entries, the conversation record, handoff reasons, timestamps, the
//!   daily figures' counters and buckets, what nodes relay to each other.
//! - [`eval`]: `switchboard eval`: the intent classifier and language
//!   identification measured on public data sets, retrieval on question files.
//! - [`files`]: reading content folders in a stable order.
//! - [`telemetry`]: every metric `/metrics` shows (name, type, labels,
//!   help, buckets), described and touched at start-up.
//! - [`normalize`]: text folded for matching (language-aware case, accents),
//!   shared by `nlu` and `knowledge`.

pub mod actions;
pub mod app;
pub mod config;
pub mod conversation;
pub mod domain;
pub mod eval;
pub mod files;
pub mod handoff;
pub mod knowledge;
pub mod l10n;
pub mod nlu;
pub mod normalize;
pub mod storage;
pub mod telemetry;
pub mod transport;
