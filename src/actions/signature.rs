//! Standard Webhooks signatures (standardwebhooks.com, "Signature
//! scheme"): HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the decoded
//! secret, sent as `webhook-signature: v1,<base64>` beside `webhook-id` and
//! `webhook-timestamp` (Unix seconds).
//!
//! Written on `hmac` and `sha2` rather than the `standardwebhooks` crate: that
//! crate has had one release (2024) and brings a second `base64` and `time`;
//! the scheme is a dozen lines, and the spec's test vector pins it below.

use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The message id header: unique per message, the same on a retry.
pub const ID: &str = "webhook-id";
/// The send time header, in Unix seconds.
pub const TIMESTAMP: &str = "webhook-timestamp";
/// The signatures header: space-separated `v1,<base64>` entries.
pub const SIGNATURE: &str = "webhook-signature";
/// How far a timestamp may be from the receiver's clock, either way, in
/// seconds (the spec's recommendation: 5 minutes).
pub const TOLERANCE_S: i64 = 300;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `webhook-signature` value for a message: `v1,<base64 HMAC-SHA256>`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = mac(key, id, timestamp, body).finalize().into_bytes();
    format!("v1,{}", BASE64.encode(tag))
}

/// Why a signed request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A header is missing or not text.
    #[error("a webhook header is missing")]
    Missing,
    /// `webhook-timestamp` is not a number of seconds.
    #[error("the timestamp is not a number")]
    BadTimestamp,
    /// The timestamp is more than [`TOLERANCE_S`] from now, either way.
    #[error("the timestamp is too old or too new")]
    Stale,
    /// No `v1` signature matches.
    #[error("no signature matches")]
    Mismatch,
}

/// Checks the three headers against `body` and the clock (`now`, Unix
/// seconds). Compares in constant time; accepts any matching `v1` entry (a
/// sender rotating keys sends several).
pub fn verify(key: &[u8], headers: &HeaderMap, body: &[u8], now: i64) -> Result<(), Refusal> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .ok_or(Refusal::Missing)
    };
    let id = text(ID)?;
    let timestamp: i64 = text(TIMESTAMP)?
        .trim()
        .parse()
        .map_err(|_| Refusal::BadTimestamp)?;
    let signatures = text(SIGNATURE)?;
    if (now - timestamp).abs() > TOLERANCE_S {
        return Err(Refusal::Stale);
    }
    let expected = mac(key, id, timestamp, body);
    let matches = signatures
        .split_whitespace()
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|encoded| BASE64.decode(encoded).ok())
        .any(|tag| expected.clone().verify_slice(&tag).is_ok());
    if matches {
        Ok(())
    } else {
        Err(Refusal::Mismatch)
    }
}

/// Now, in Unix seconds.
pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    // The example in the Standard Webhooks specification (spec/standard-webhooks.md).
    const SECRET: &str = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP_S: i64 = 1_614_265_330;
    const BODY: &str = r#"{"test": 2432232314}"#;
    const EXPECTED: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn headers(signature: &str, timestamp: i64) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ID, HeaderValue::from_static(MSG_ID));
        headers.insert(TIMESTAMP, HeaderValue::from(timestamp));
        headers.insert(SIGNATURE, HeaderValue::from_str(signature).unwrap());
        headers
    }

    #[test]
    fn the_specification_test_vector_signs_as_published() {
        let key = BASE64.decode(SECRET).unwrap();
        assert_eq!(sign(&key, MSG_ID, TIMESTAMP_S, BODY.as_bytes()), EXPECTED);
    }

    #[test]
    fn a_good_signature_verifies_among_others() {
        let key = BASE64.decode(SECRET).unwrap();
        let several = format!("v1,AAAA v1a,xyz {EXPECTED}");
        let checked = verify(
            &key,
            &headers(&several, TIMESTAMP_S),
            BODY.as_bytes(),
            TIMESTAMP_S + 10,
        );
        assert_eq!(checked, Ok(()));
    }

    #[test]
    fn a_changed_body_a_wrong_key_or_an_old_timestamp_is_refused() {
        let key = BASE64.decode(SECRET).unwrap();
        let good = headers(EXPECTED, TIMESTAMP_S);
        assert_eq!(
            verify(&key, &good, b"{\"test\": 1}", TIMESTAMP_S),
            Err(Refusal::Mismatch)
        );
        assert_eq!(
            verify(b"another key", &good, BODY.as_bytes(), TIMESTAMP_S),
            Err(Refusal::Mismatch)
        );
        assert_eq!(
            verify(&key, &good, BODY.as_bytes(), TIMESTAMP_S + TOLERANCE_S + 1),
            Err(Refusal::Stale)
        );
        assert_eq!(
            verify(&key, &HeaderMap::new(), BODY.as_bytes(), TIMESTAMP_S),
            Err(Refusal::Missing)
        );
    }
}
