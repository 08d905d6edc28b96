//! Switchboard: a multilingual customer-support chat backend.
//!
//! Data flows one way: transport -> conversation -> (nlu, l10n) -> storage.
//!
//! - [`config`]: typed settings from flags, `SWITCHBOARD_*` env and a TOML file.
//! - [`app`]: loads content, opens the store, binds, serves, shuts down gracefully.
//! - [`check`]: content checks (`switchboard check`): Fluent, intents, file:line problems.
//! - [`transport`]: axum routes, the customer WebSocket loop, wire frames.
//! - [`conversation`]: the engine (what the bot says each turn) and each
//!   conversation's state, locking and fan-out to its connections.
//! - [`eval`]: `switchboard eval`: the intent classifier measured on public data sets.
//! - [`files`]: reading content folders in a stable order.
//! - [`knowledge`]: help-centre articles and retrieval over their sections.
//! - [`nlu`]: normalisation, the intent catalogue and matcher chain, entities.
//! - [`l10n`]: Fluent bundles per locale, negotiation, ICU4X plurals, the message catalogue.
//! - [`storage`]: the store trait and its sled implementation with group commit.

pub mod app;
pub mod check;
pub mod config;
pub mod conversation;
pub mod domain;
pub mod eval;
pub mod files;
pub mod handoff;
pub mod knowledge;
pub mod l10n;
pub mod nlu;
pub mod storage;
pub mod transport;
