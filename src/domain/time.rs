//! One timestamp type for everything the server records.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A moment, in UTC, written as RFC 3339 (`2026-11-30T22:56:13.462787413Z`)
/// on the wire and on disk. Ordered; millisecond arithmetic for durations.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(jiff::Timestamp);

impl Timestamp {
    /// The current system time.
    pub fn now() -> Self {
        Self(jiff::Timestamp::now())
    }

    /// Milliseconds since the Unix epoch.
    pub fn as_millisecond(self) -> i64 {
        self.0.as_millisecond()
    }

    /// The same moment as jiff sees it (for time zones and calendars).
    pub fn as_jiff(self) -> jiff::Timestamp {
        self.0
    }

    /// Whole seconds from `earlier` to `self`, 0 if `earlier` is later.
    pub fn seconds_since(self, earlier: Timestamp) -> u64 {
        u64::try_from((self.as_millisecond() - earlier.as_millisecond()) / 1000).unwrap_or(0)
    }
}

impl From<jiff::Timestamp> for Timestamp {
    fn from(at: jiff::Timestamp) -> Self {
        Self(at)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.0)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = jiff::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Self)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_as_rfc_3339_and_read_the_older_format() {
        let at: Timestamp = "2026-11-30T22:56:13.462787413Z".parse().expect("rfc 3339");
        let json = serde_json::to_string(&at).expect("json");
        assert_eq!(json, "\"2026-11-30T22:56:13.462787413Z\"");
        let back: Timestamp = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, at);
        let later: Timestamp = "2026-11-30T22:57:14Z".parse().expect("rfc 3339");
        assert_eq!(later.seconds_since(at), 60);
        assert_eq!(at.seconds_since(later), 0);
    }
}
