//! The shared vocabulary every layer speaks: ids, locale, message text,
//! transcript entries, the conversation record, agents, handoff reasons and
//! priorities, error codes, timestamps, the daily figures' counters, what
//! the nodes of a deployment relay to each other. Plain data parsed and
//! checked once at the edge; no I/O, and nothing of ours imported (this is
//! the floor the other modules stand on).

mod agent;
mod channel;
pub mod daily;
mod error_code;
mod handoff;
mod ids;
mod locale;
mod record;
mod relay;
mod text;
mod time;
mod transcript;

pub use agent::{AgentProfile, Assignee};
pub use channel::{ChannelKind, ChannelUser, DeadLetter};
pub use daily::{DailyCounts, DailyKey};
pub use error_code::ErrorCode;
pub use locale::Locale;
pub use text::{is_invisible, MessageText, TextError};

pub use handoff::{HandlingSample, HandoffReason, Priority, QueueEntry};
pub use ids::{ClientKey, ConversationId, SessionToken};
pub use record::{
    ActionCall, ConversationRecord, ConversationState, Customer, Feedback, IntentSeen,
    PendingAction, PendingConfirmation, PendingSlot, Rating, TurnMarks, Unanswered, RECORD_HISTORY,
};
pub use relay::{AgentNotice, NodePresence, PresentAgent, Relay, RelayEvent};
pub use time::Timestamp;
pub use transcript::{
    AgentRef, ArticleRef, EntryBody, HandoffStatus, QuickReply, Sender, TranscriptEntry,
};
