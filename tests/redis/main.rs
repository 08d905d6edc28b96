//! The black-box suite of tests/api, run with every server on its own
//! redis-server (`--store redis+unix://...`), plus what only Redis has:
//! the append script checked against a real Redis, and Redis going away
//! under a connected customer. Tests about the embedded store's disk (a full
//! disk, damage, the sled migration, offline erase) say they were skipped.
//!
//! Without redis-server installed, the suite says it was skipped; under
//! `CI=true` it fails.

#[path = "../api/common.rs"]
mod common;
#[path = "../api/fakes.rs"]
mod fakes;
#[path = "../api/redis_server.rs"]
mod redis_server;

#[path = "../api/actions.rs"]
mod actions;
#[path = "../api/browser.rs"]
mod browser;
#[path = "../api/channels.rs"]
mod channels;
#[path = "../api/chat.rs"]
mod chat;
#[path = "../api/conformance.rs"]
mod conformance;
#[path = "../api/edge.rs"]
mod edge;
#[path = "../api/handoff.rs"]
mod handoff;
#[path = "../api/insights.rs"]
mod insights;
#[path = "../api/knowledge.rs"]
mod knowledge;
#[path = "../api/lifecycle.rs"]
mod lifecycle;
#[path = "../api/parse.rs"]
mod parse;
#[path = "../api/store.rs"]
mod store;
#[path = "../api/volume.rs"]
mod volume;

mod append;
mod nodes;
mod outage;
mod startup;

/// Every server of this suite runs on Redis.
const ON_REDIS: bool = true;

/// What only this suite asks of a customer.
trait AckOrError {
    /// The next `ack` or `error` frame, skipping the rest (an `internal`
    /// error while Redis is away, `conflict` between nodes).
    async fn ack_or_error(&mut self) -> serde_json::Value;
}

impl AckOrError for common::Customer {
    async fn ack_or_error(&mut self) -> serde_json::Value {
        loop {
            let frame = self.recv().await;
            if matches!(frame["type"].as_str(), Some("ack" | "error")) {
                return frame;
            }
        }
    }
}
