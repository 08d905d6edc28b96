//! Slot filling: what the customer's reply to a slot question means.
//!
//! The bot asked for a slot (an order number) to finish an intent's flow. The
//! reply is read for the slot first, whatever words surround the value; only
//! a reply without it can change the flow. The engine reads the reply; this
//! module decides, and knows nothing else.
//!
//! | reply                                            | step                |
//! |--------------------------------------------------|---------------------|
//! | has the value                                    | [`SlotStep::Fill`]  |
//! | "no" / "never mind" (a small-talk "no")          | [`SlotStep::Abandon`] |
//! | a confident topic other than the pending intent  | [`SlotStep::Switch`] |
//! | anything else, asked fewer than [`MAX_ASKS`] times | [`SlotStep::AskAgain`] |
//! | anything else, asked [`MAX_ASKS`] times          | [`SlotStep::GiveUp`] |

use crate::domain::PendingSlot;

/// How many times the bot asks for a slot before it offers a person.
pub const MAX_ASKS: u32 = 2;

/// What kind of intent a reply to a slot question matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyIntent<'a> {
    /// "No", "never mind": the customer does not want to go on.
    Deny,
    /// "I don't have it", "no idea" (`dont_know`): a non-answer like any
    /// other, but the hint asked again comes with the offer of a person.
    CannotGive,
    /// Hello, thanks, yes: no change of topic.
    SmallTalk,
    /// A topic (an answer, a flow, a request for a person), by intent name.
    Topic(&'a str),
}

/// A reply to a pending slot question, as the engine read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotReply<'a> {
    /// The slot's value found in the reply (the digits of an order number).
    pub value: Option<&'a str>,
    /// The intent the reply matched with confidence, if any.
    pub intent: Option<ReplyIntent<'a>>,
}

/// What the bot does with a reply to a slot question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotStep {
    /// The value finishes the pending intent's flow.
    Fill(String),
    /// The customer let it go: say so politely and forget the question.
    Abandon,
    /// A clear new topic: forget the question and answer that.
    Switch,
    /// Ask again, with a hint (the last time).
    AskAgain,
    /// Asked [`MAX_ASKS`] times without an answer: forget the question and
    /// offer a person.
    GiveUp,
}

/// The step for `reply` to the question of `pending`.
pub fn step(pending: &PendingSlot, reply: SlotReply<'_>) -> SlotStep {
    if let Some(value) = reply.value {
        return SlotStep::Fill(value.to_owned());
    }
    match reply.intent {
        Some(ReplyIntent::Deny) => SlotStep::Abandon,
        Some(ReplyIntent::Topic(intent)) if intent != pending.intent => SlotStep::Switch,
        _ if pending.asked.max(1) >= MAX_ASKS => SlotStep::GiveUp,
        _ => SlotStep::AskAgain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(asked: u32) -> PendingSlot {
        PendingSlot {
            intent: "order_cancel".to_owned(),
            slot: "order_number".to_owned(),
            asked,
        }
    }

    fn reply<'a>(value: Option<&'a str>, intent: Option<ReplyIntent<'a>>) -> SlotReply<'a> {
        SlotReply { value, intent }
    }

    #[test]
    fn a_value_fills_the_pending_flow_whatever_the_words_around_it_mean() {
        for intent in [
            None,
            Some(ReplyIntent::Deny),
            Some(ReplyIntent::SmallTalk),
            Some(ReplyIntent::Topic("order_status")),
            Some(ReplyIntent::Topic("contact_info")),
        ] {
            assert_eq!(
                step(&pending(1), reply(Some("4471203"), intent)),
                SlotStep::Fill("4471203".to_owned()),
                "{intent:?}"
            );
        }
    }

    #[test]
    fn no_or_never_mind_abandons_the_question() {
        assert_eq!(
            step(&pending(1), reply(None, Some(ReplyIntent::Deny))),
            SlotStep::Abandon
        );
        assert_eq!(
            step(&pending(2), reply(None, Some(ReplyIntent::Deny))),
            SlotStep::Abandon
        );
    }

    #[test]
    fn a_new_topic_switches_but_the_same_one_does_not() {
        assert_eq!(
            step(
                &pending(1),
                reply(None, Some(ReplyIntent::Topic("warranty")))
            ),
            SlotStep::Switch
        );
        assert_eq!(
            step(
                &pending(1),
                reply(None, Some(ReplyIntent::Topic("order_cancel")))
            ),
            SlotStep::AskAgain
        );
    }

    #[test]
    fn an_unanswered_question_is_asked_twice_then_a_person_is_offered() {
        for intent in [None, Some(ReplyIntent::SmallTalk)] {
            assert_eq!(step(&pending(1), reply(None, intent)), SlotStep::AskAgain);
            assert_eq!(step(&pending(2), reply(None, intent)), SlotStep::GiveUp);
        }
        // Records from before the count read as asked once.
        assert_eq!(step(&pending(0), reply(None, None)), SlotStep::AskAgain);
    }
}
