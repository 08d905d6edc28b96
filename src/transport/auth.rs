//! Who an agent is: tokens checked against the configured SHA-256 hashes,
//! from the `auth` frame or an `Authorization: Bearer` header, with wrong
//! guesses counted per client address.

use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};

use super::guard::Client;
use super::AppState;
use crate::domain::{AgentProfile, ErrorCode};

/// The configured agents, by the SHA-256 of their token (lowercase hex).
pub struct Agents(Vec<(String, AgentProfile)>);

impl Agents {
    pub fn new(agents: &[crate::config::AgentConfig]) -> Self {
        Self(
            agents
                .iter()
                .map(|a| (a.token_sha256.to_ascii_lowercase(), a.profile()))
                .collect(),
        )
    }

    /// The agent whose token this is.
    pub fn by_token(&self, token: &str) -> Option<&AgentProfile> {
        let digest = hex::encode(Sha256::digest(token.as_bytes()));
        self.0
            .iter()
            .find(|(hash, _)| *hash == digest)
            .map(|(_, agent)| agent)
    }
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthError {
    /// Not a configured agent's token.
    Wrong,
    /// The address guessed wrong too often and must wait.
    Throttled,
}

impl AuthError {
    pub fn code(self) -> ErrorCode {
        match self {
            AuthError::Wrong => ErrorCode::Unauthorized,
            AuthError::Throttled => ErrorCode::RateLimited,
        }
    }
}

/// Checks a token presented by `client`: a right one clears the address's
/// wrong guesses, a wrong one counts (and after a few, the address waits).
pub fn check_token(
    state: &AppState,
    client: Client,
    token: &str,
) -> Result<AgentProfile, AuthError> {
    if !state.guard.auth_allowed(client.ip) {
        return Err(AuthError::Throttled);
    }
    match state.agents.by_token(token) {
        Some(agent) => {
            state.guard.auth_succeeded(client.ip);
            Ok(agent.clone())
        }
        None => {
            state.guard.auth_failed(client.ip);
            Err(AuthError::Wrong)
        }
    }
}

/// The agent of an `Authorization: Bearer <token>` header; `Ok(None)` when
/// the request carries none.
pub fn bearer(
    state: &AppState,
    headers: &HeaderMap,
    client: Client,
) -> Result<Option<AgentProfile>, AuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` too.
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .unwrap_or_default();
    check_token(state, client, token).map(Some)
}
