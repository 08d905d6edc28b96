//! Wait estimates from measured handling times (DESIGN.md §6, "honest waiting").
//!
//! The estimate for a waiting customer is
//! `ceil(place among the waiting of their locale / available agents who speak it)`
//! rounds of the planned handling time, where the planned handling time is the
//! 75th percentile of recent handlings (of the locale once it has
//! [`LOCALE_SAMPLES_MIN`], else of all locales). Every step rounds up, so a
//! customer is never promised a shorter wait than the data supports.
//!
//! With no available agent who can take the conversation there is no
//! estimate at all ([`wait_s`] is `None`): PROTOCOL.md (`handoff`) wants
//! `estimated_wait_s` absent then, never a made-up wait.

use std::collections::VecDeque;

/// Handling times remembered for the estimates.
pub const HANDLING_SAMPLES: usize = 50;
/// Samples of one locale needed before its own figures are used.
pub const LOCALE_SAMPLES_MIN: usize = 5;
/// The percentile of handling times planned with.
const PLANNED_PERCENTILE: f64 = 0.75;

/// Recently measured handling times, newest last.
#[derive(Debug, Default, Clone)]
pub struct HandlingTimes {
    samples: VecDeque<(String, u64)>,
}

impl HandlingTimes {
    /// Records that a conversation of `locale` took `seconds` of an agent's time.
    pub fn record(&mut self, locale: &str, seconds: u64) {
        self.samples.push_back((locale.to_owned(), seconds.max(1)));
        if self.samples.len() > HANDLING_SAMPLES {
            self.samples.pop_front();
        }
    }

    /// The handling time to plan with for `locale`, in seconds; `default`
    /// until anything was measured.
    pub fn planned(&self, locale: &str, default: u64) -> u64 {
        let of_locale: Vec<u64> = self
            .samples
            .iter()
            .filter(|(l, _)| l == locale)
            .map(|(_, s)| *s)
            .collect();
        let mut samples = if of_locale.len() >= LOCALE_SAMPLES_MIN {
            of_locale
        } else {
            self.samples.iter().map(|(_, s)| *s).collect()
        };
        if samples.is_empty() {
            return default;
        }
        samples.sort_unstable();
        let at = ((samples.len() - 1) as f64 * PLANNED_PERCENTILE).ceil() as usize;
        samples[at]
    }
}

/// The estimated wait in seconds of a customer with `ahead` conversations
/// to be served before theirs is done (1-based: theirs counts, so 1 = next;
/// the handoff module counts every language their agents serve), with
/// `agents` available agents who can take it and `handling_s` seconds
/// planned per conversation: `ceil(ahead / agents) * handling_s`. Place 1
/// with one agent waits one whole handling time. `None` when no agent is
/// available: nobody can say.
pub fn wait_s(ahead: u32, agents: u32, handling_s: u64) -> Option<u64> {
    if agents == 0 {
        return None;
    }
    let rounds = u64::from(ahead.max(1)).div_ceil(u64::from(agents));
    Some(rounds * handling_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_holds_until_something_is_measured() {
        assert_eq!(HandlingTimes::default().planned("tr", 300), 300);
    }

    #[test]
    fn a_locale_uses_its_own_times_once_it_has_five() {
        let mut times = HandlingTimes::default();
        for s in [100, 100, 100] {
            times.record("tr", s);
        }
        times.record("en", 1000);
        times.record("en", 1000);
        assert_eq!(times.planned("tr", 300), 1000, "all locales: p75 of 5");
        times.record("tr", 100);
        times.record("tr", 100);
        assert_eq!(times.planned("tr", 300), 100, "tr alone now");
    }

    #[test]
    fn the_planned_time_is_the_75th_percentile_rounded_up() {
        let mut times = HandlingTimes::default();
        for s in [60, 120, 180, 240, 300] {
            times.record("el", s);
        }
        assert_eq!(times.planned("el", 1), 240);
    }

    #[test]
    fn only_the_newest_samples_count() {
        let mut times = HandlingTimes::default();
        for _ in 0..HANDLING_SAMPLES {
            times.record("lv", 1000);
        }
        for _ in 0..HANDLING_SAMPLES {
            times.record("lv", 10);
        }
        assert_eq!(times.planned("lv", 300), 10);
    }

    #[test]
    fn waits_round_up_to_whole_rounds_of_agents() {
        assert_eq!(wait_s(1, 2, 300), Some(300));
        assert_eq!(wait_s(2, 2, 300), Some(300));
        assert_eq!(wait_s(3, 2, 300), Some(600));
    }

    #[test]
    fn nobody_available_means_no_estimate() {
        assert_eq!(wait_s(2, 0, 300), None);
    }
}
