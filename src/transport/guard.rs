//! Limits at the edge, per client address and in total: WebSocket slots,
//! the pace of new conversations and of `/v1/nlu/parse`, agent token
//! guesses, and which web origins may open a socket.
//!
//! The client address is the TCP peer, unless the peer is a trusted proxy
//! (`limits.trusted_proxies`, by default this host: a reverse proxy or a load
//! tool on the same machine): then it is the right-most `X-Forwarded-For`
//! address that is not itself a trusted proxy. A trusted proxy that forwards
//! no client address is not capped per address: its traffic is everyone's.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Limits;

/// Failed agent logins from one address before it must wait.
const AUTH_FAILURES_FREE: u32 = 5;
/// The longest an address must wait between agent login attempts.
const AUTH_BACKOFF_MAX: Duration = Duration::from_secs(15 * 60);
/// Failures older than this are forgotten.
const AUTH_FAILURE_MEMORY: Duration = Duration::from_secs(60 * 60);

/// Who is on the other end, as far as the caps are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address: the TCP peer, or the right-most untrusted
    /// `X-Forwarded-For` address behind a trusted proxy.
    pub ip: IpAddr,
    /// False for a trusted proxy that did not say for whom it speaks.
    pub capped: bool,
}

/// Why a new socket is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketRefusal {
    /// The server holds as many sockets as it has room for.
    Full,
    /// This address holds as many as it may.
    AddressFull,
}

#[derive(Debug, Default)]
struct AuthFailures {
    count: u32,
    last: Option<Instant>,
    blocked_until: Option<Instant>,
}

/// The edge's caps and their state, shared by every connection: socket
/// slots, new-conversation and parse paces, agent login backoff, origins.
pub struct Guard {
    trusted_proxies: Vec<IpAddr>,
    allowed_origins: Vec<String>,
    max_sockets: usize,
    max_sockets_per_address: u32,
    sockets: AtomicUsize,
    per_address: Mutex<HashMap<IpAddr, u32>>,
    hellos: DefaultKeyedRateLimiter<IpAddr>,
    parses: DefaultKeyedRateLimiter<IpAddr>,
    auth: Mutex<HashMap<IpAddr, AuthFailures>>,
}

/// One WebSocket's place in the caps; freed when dropped.
pub struct SocketSlot {
    guard: Arc<Guard>,
    ip: Option<IpAddr>,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        self.guard.sockets.fetch_sub(1, Ordering::AcqRel);
        if let Some(ip) = self.ip {
            let mut per_address = self.guard.per_address();
            if let Some(count) = per_address.get_mut(&ip) {
                *count -= 1;
                if *count == 0 {
                    per_address.remove(&ip);
                }
            }
        }
    }
}

fn quota(per_minute: u32, burst: u32) -> Quota {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(burst)
}

impl Guard {
    /// `max_sockets` is how many WebSockets the process may hold at once.
    pub fn new(limits: &Limits, max_sockets: usize) -> Self {
        Self {
            trusted_proxies: limits.trusted_proxies.clone(),
            allowed_origins: limits
                .allowed_origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect(),
            max_sockets,
            max_sockets_per_address: limits.max_sockets_per_address,
            sockets: AtomicUsize::new(0),
            per_address: Mutex::new(HashMap::new()),
            hellos: RateLimiter::keyed(quota(
                limits.conversations_per_minute_per_address,
                limits.conversations_per_minute_per_address,
            )),
            parses: RateLimiter::keyed(quota(
                limits.parses_per_minute_per_address,
                limits.parses_per_minute_per_address / 4 + 1,
            )),
            auth: Mutex::new(HashMap::new()),
        }
    }

    fn per_address(&self) -> MutexGuard<'_, HashMap<IpAddr, u32>> {
        self.per_address.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The client behind a request from `peer`.
    pub fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> Client {
        let peer = peer.ip().to_canonical();
        if !self.trusted_proxies.contains(&peer) {
            return Client {
                ip: peer,
                capped: true,
            };
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .map(|a| a.to_canonical())
            .rev()
            .find(|a| !self.trusted_proxies.contains(a));
        match forwarded {
            Some(ip) => Client { ip, capped: true },
            None => Client {
                ip: peer,
                capped: false,
            },
        }
    }

    /// A place for a new WebSocket of `client`, if there is room.
    pub fn socket_slot(self: &Arc<Self>, client: Client) -> Result<SocketSlot, SocketRefusal> {
        let taken = self.sockets.fetch_add(1, Ordering::AcqRel);
        if taken >= self.max_sockets {
            self.sockets.fetch_sub(1, Ordering::AcqRel);
            return Err(SocketRefusal::Full);
        }
        if !client.capped {
            return Ok(SocketSlot {
                guard: Arc::clone(self),
                ip: None,
            });
        }
        let mut per_address = self.per_address();
        let count = per_address.entry(client.ip).or_default();
        if *count >= self.max_sockets_per_address {
            drop(per_address);
            self.sockets.fetch_sub(1, Ordering::AcqRel);
            return Err(SocketRefusal::AddressFull);
        }
        *count += 1;
        Ok(SocketSlot {
            guard: Arc::clone(self),
            ip: Some(client.ip),
        })
    }

    /// Whether `client` may start another conversation now.
    pub fn allow_conversation(&self, client: Client) -> bool {
        !client.capped || self.hellos.check_key(&client.ip).is_ok()
    }

    /// Whether `client` may call `/v1/nlu/parse` now.
    pub fn allow_parse(&self, client: Client) -> bool {
        !client.capped || self.parses.check_key(&client.ip).is_ok()
    }

    /// Whether `ip` may try an agent token now (it is not backing off).
    pub fn auth_allowed(&self, ip: IpAddr) -> bool {
        let auth = self.auth.lock().unwrap_or_else(|e| e.into_inner());
        auth.get(&ip)
            .and_then(|f| f.blocked_until)
            .is_none_or(|until| Instant::now() >= until)
    }

    /// A wrong agent token from `ip`: after a few, the address waits, twice
    /// as long each time. One log line when the waiting starts, not one per try.
    pub fn auth_failed(&self, ip: IpAddr) {
        let mut auth = self.auth.lock().unwrap_or_else(|e| e.into_inner());
        let failures = auth.entry(ip).or_default();
        let now = Instant::now();
        if failures
            .last
            .is_some_and(|last| now.duration_since(last) > AUTH_FAILURE_MEMORY)
        {
            *failures = AuthFailures::default();
        }
        failures.count += 1;
        failures.last = Some(now);
        if failures.count >= AUTH_FAILURES_FREE {
            let doublings = (failures.count - AUTH_FAILURES_FREE).min(20);
            let wait = Duration::from_secs(1u64 << doublings).min(AUTH_BACKOFF_MAX);
            failures.blocked_until = Some(now + wait);
            tracing::warn!(%ip, failures = failures.count, wait_s = wait.as_secs(), "wrong agent tokens: this address must wait");
        } else {
            tracing::debug!(%ip, failures = failures.count, "wrong agent token");
        }
    }

    /// A right agent token from `ip`: its failures are forgotten.
    pub fn auth_succeeded(&self, ip: IpAddr) {
        self.auth
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&ip);
    }

    /// Whether a browser on `headers`' `Origin` may open the customer
    /// channel: any origin when `allowed_origins` is empty (the widget is
    /// embedded anywhere), else only those; non-browser clients send none.
    pub fn customer_origin_allowed(&self, headers: &HeaderMap) -> bool {
        match origin(headers) {
            None => true,
            Some(origin) => {
                self.allowed_origins.is_empty() || self.allowed_origins.contains(&origin)
            }
        }
    }

    /// Whether a browser on `headers`' `Origin` may open the agent channel:
    /// the server's own origin (the console it serves) or a listed one.
    pub fn agent_origin_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = origin(headers) else {
            return true;
        };
        let same_host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|host| {
                origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
            });
        same_host || self.allowed_origins.contains(&origin)
    }

    /// The origins the HTTP API answers CORS requests from.
    pub fn allowed_origins(&self) -> &[String] {
        &self.allowed_origins
    }

    /// Forgets rate-limit state of quiet addresses and old login failures.
    pub fn sweep(&self) {
        self.hellos.retain_recent();
        self.parses.retain_recent();
        self.hellos.shrink_to_fit();
        self.parses.shrink_to_fit();
        let now = Instant::now();
        self.auth
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, f| {
                f.last
                    .is_some_and(|last| now.duration_since(last) < AUTH_FAILURE_MEMORY)
            });
    }
}

fn origin(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(trusted: &[&str]) -> Guard {
        let limits = Limits {
            trusted_proxies: trusted.iter().map(|a| a.parse().expect("ip")).collect(),
            max_sockets_per_address: 2,
            ..Limits::default()
        };
        Guard::new(&limits, 3)
    }

    fn peer(ip: &str) -> SocketAddr {
        SocketAddr::new(ip.parse().expect("ip"), 5000)
    }

    #[test]
    fn a_trusted_proxy_speaks_for_the_address_it_forwards() {
        let guard = guard(&["127.0.0.1"]);
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 127.0.0.1".parse().expect("value"),
        );
        let client = guard.client(peer("127.0.0.1"), &headers);
        assert_eq!(
            client,
            Client {
                ip: "203.0.113.9".parse().expect("ip"),
                capped: true
            }
        );
        // Anyone else's X-Forwarded-For is ignored.
        let client = guard.client(peer("198.51.100.7"), &headers);
        assert_eq!(client.ip, "198.51.100.7".parse::<IpAddr>().expect("ip"));
        // A trusted proxy that forwards nobody is not capped.
        assert!(!guard.client(peer("127.0.0.1"), &HeaderMap::new()).capped);
    }

    #[test]
    fn sockets_are_capped_per_address_and_in_total() {
        let guard = Arc::new(guard(&[]));
        let a = Client {
            ip: "198.51.100.1".parse().expect("ip"),
            capped: true,
        };
        let b = Client {
            ip: "198.51.100.2".parse().expect("ip"),
            capped: true,
        };
        let first = guard.socket_slot(a).expect("room");
        let _second = guard.socket_slot(a).expect("room");
        assert_eq!(guard.socket_slot(a).err(), Some(SocketRefusal::AddressFull));
        let _third = guard.socket_slot(b).expect("room");
        assert_eq!(guard.socket_slot(b).err(), Some(SocketRefusal::Full));
        drop(first);
        assert!(
            guard.socket_slot(a).is_ok(),
            "a closed socket frees its place"
        );
    }

    #[test]
    fn wrong_tokens_make_an_address_wait_longer_each_time() {
        let guard = guard(&[]);
        let ip: IpAddr = "198.51.100.3".parse().expect("ip");
        for _ in 0..AUTH_FAILURES_FREE - 1 {
            guard.auth_failed(ip);
            assert!(guard.auth_allowed(ip));
        }
        guard.auth_failed(ip);
        assert!(!guard.auth_allowed(ip));
        guard.auth_succeeded(ip);
        assert!(guard.auth_allowed(ip));
    }
}
