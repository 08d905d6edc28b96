//! The error codes of PROTOCOL.md ("Error codes"), as a type.

/// What went wrong, as clients see it. Each code has a localised text
/// (`error-<code>` in `locales/*/errors.ftl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `hello_required`: the first customer frame is not `hello`; the
    /// connection stays open.
    HelloRequired,
    /// `bad_request`: not JSON, a missing or invalid field, text empty or too
    /// long; the connection stays open.
    BadRequest,
    /// `unknown_type`: a `type` that is not in PROTOCOL.md's tables; the
    /// connection stays open.
    UnknownType,
    /// `rate_limited`: over the per-connection frame budget (the frame is
    /// dropped, the connection stays open), or over a per-address pace (new
    /// conversations, `/v1/nlu/parse`, agent login attempts).
    RateLimited,
    /// `too_large`: a frame over the size limit (16 KiB by default); the
    /// socket is then closed with 1009.
    TooLarge,
    /// `unsupported_data`: a binary frame; the socket is then closed with 1003.
    UnsupportedData,
    /// `unauthorized`: agent auth missing or wrong; the socket is then closed
    /// with 1008.
    Unauthorized,
    /// `already_claimed`: an agent acts on a conversation another agent holds.
    AlreadyClaimed,
    /// `not_found`: an unknown conversation id, or one nobody holds.
    NotFound,
    /// `internal`: anything unexpected; the cause goes to the server log,
    /// never to the client.
    Internal,
    /// `window_closed` (agents only): a reply to a WhatsApp customer who last
    /// wrote more than 24 hours ago, which WhatsApp would not deliver; nothing
    /// is stored.
    WindowClosed,
}

impl ErrorCode {
    /// Every code once, in PROTOCOL.md's order (the content checks require an
    /// `error-<code>` message for each).
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::HelloRequired,
        ErrorCode::BadRequest,
        ErrorCode::UnknownType,
        ErrorCode::RateLimited,
        ErrorCode::TooLarge,
        ErrorCode::UnsupportedData,
        ErrorCode::Unauthorized,
        ErrorCode::AlreadyClaimed,
        ErrorCode::NotFound,
        ErrorCode::Internal,
        ErrorCode::WindowClosed,
    ];

    /// The code as it travels in `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::HelloRequired => "hello_required",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::UnknownType => "unknown_type",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::UnsupportedData => "unsupported_data",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::AlreadyClaimed => "already_claimed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Internal => "internal",
            ErrorCode::WindowClosed => "window_closed",
        }
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
