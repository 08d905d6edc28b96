//! The language a conversation is in.

use std::fmt;
use std::sync::Arc;

/// A supported locale, e.g. `tr`: one of the folders in `locales/`. Made by
/// the localizer, which knows which ones exist (negotiating what a client
/// asked for), so holding one means the server can speak it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale(Arc<str>);

impl Locale {
    /// A locale of the given tag; only the localizer should vouch for one.
    pub fn supported(tag: &str) -> Self {
        Self(Arc::from(tag))
    }

    /// The tag as the folder under `locales/` is named (`tr`, `en`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Locale({})", self.0)
    }
}
