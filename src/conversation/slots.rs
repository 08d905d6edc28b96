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
//! | "thanks", "hello", "bye", "are you a bot?"       | [`SlotStep::Switch`] |
//! | another topic whose flow needs the same slot, asked fewer than [`MAX_ASKS`] times | [`SlotStep::Retarget`] |
//! | any other confident topic than the pending intent | [`SlotStep::Switch`] |
//! | anything else ("ok", "I don't have it", nothing understood), asked fewer than [`MAX_ASKS`] times | [`SlotStep::AskAgain`] |
//! | anything else, asked [`MAX_ASKS`] times          | [`SlotStep::GiveUp`] |
//!
//! A question that lapses (switch) is not forgotten for good: the engine
//! sends a number the customer gives later to the flow it was asked for.

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
    /// "Yes", "ok": the customer is about to answer.
    Affirm,
    /// Hello, thanks, bye: said to the bot, answered as it stands.
    SmallTalk,
    /// A topic (an answer, a flow, a request for a person), by intent name;
    /// `same_slot` if its flow asks for the slot pending now.
    Topic {
        /// The intent's name.
        intent: &'a str,
        /// Its flow needs the slot the bot waits for.
        same_slot: bool,
    },
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
    /// A new topic whose flow needs the same slot ("it still hasn't come"
    /// after "where is my order?"): ask for it again, for that flow.
    Retarget(String),
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
    let asked_enough = pending.asked.max(1) >= MAX_ASKS;
    match reply.intent {
        Some(ReplyIntent::Deny) => SlotStep::Abandon,
        Some(ReplyIntent::SmallTalk) => SlotStep::Switch,
        Some(ReplyIntent::Topic { intent, same_slot }) if intent != pending.intent => {
            match (same_slot, asked_enough) {
                (false, _) => SlotStep::Switch,
                (true, false) => SlotStep::Retarget(intent.to_owned()),
                (true, true) => SlotStep::GiveUp,
            }
        }
        _ if asked_enough => SlotStep::GiveUp,
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

    fn topic(intent: &str, same_slot: bool) -> ReplyIntent<'_> {
        ReplyIntent::Topic { intent, same_slot }
    }

    #[test]
    fn a_value_fills_the_pending_flow_whatever_the_words_around_it_mean() {
        for intent in [
            None,
            Some(ReplyIntent::Deny),
            Some(ReplyIntent::Affirm),
            Some(ReplyIntent::SmallTalk),
            Some(topic("order_status", true)),
            Some(topic("contact_info", false)),
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
            step(&pending(1), reply(None, Some(topic("warranty", false)))),
            SlotStep::Switch
        );
        assert_eq!(
            step(&pending(1), reply(None, Some(topic("order_cancel", true)))),
            SlotStep::AskAgain
        );
    }

    #[test]
    fn a_new_topic_needing_the_same_slot_asks_for_it_once_more_then_offers_a_person() {
        // Not the first question word for word again: the count goes on.
        assert_eq!(
            step(
                &pending(1),
                reply(None, Some(topic("delivery_delay", true)))
            ),
            SlotStep::Retarget("delivery_delay".to_owned())
        );
        assert_eq!(
            step(
                &pending(2),
                reply(None, Some(topic("delivery_delay", true)))
            ),
            SlotStep::GiveUp
        );
    }

    #[test]
    fn thanks_or_hello_is_answered_as_it_stands() {
        for asked in [1, 2] {
            assert_eq!(
                step(&pending(asked), reply(None, Some(ReplyIntent::SmallTalk))),
                SlotStep::Switch
            );
        }
    }

    #[test]
    fn an_unanswered_question_is_asked_twice_then_a_person_is_offered() {
        for intent in [
            None,
            Some(ReplyIntent::Affirm),
            Some(ReplyIntent::CannotGive),
        ] {
            assert_eq!(step(&pending(1), reply(None, intent)), SlotStep::AskAgain);
            assert_eq!(step(&pending(2), reply(None, intent)), SlotStep::GiveUp);
        }
        // Records from before the count read as asked once.
        assert_eq!(step(&pending(0), reply(None, None)), SlotStep::AskAgain);
    }
}
