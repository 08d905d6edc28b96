//! The error codes of PROTOCOL.md ("Error codes"), as a type.

/// What went wrong, as clients see it. Each code has a localised text
/// (`error-<code>` in `locales/*/errors.ftl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    HelloRequired,
    BadRequest,
    UnknownType,
    RateLimited,
    TooLarge,
    UnsupportedData,
    Unauthorized,
    AlreadyClaimed,
    NotFound,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 10] = [
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
        }
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
