//! Black-box tests: the release `switchboard` binary on port 0 with its own
//! store in a temp dir, driven through PROTOCOL.md by real WebSocket and HTTP
//! clients (and a real Chromium for the pages). One binary, shared helpers in
//! `common`.

mod common;
mod fakes;
mod redis_server;

/// The servers run on the embedded store here; tests/redis runs these
/// same tests on Redis.
const ON_REDIS: bool = false;

mod actions;
mod browser;
mod channels;
mod chat;
mod conformance;
mod edge;
mod handoff;
mod insights;
mod knowledge;
mod lifecycle;
mod parse;
mod store;
mod volume;
