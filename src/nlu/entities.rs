//! Entity extraction. For now: order numbers, the slot the bot asks for.

/// An order number: 6 to 10 digits, optionally written with a leading `#`.
/// Returns the digits of the first one in `text`.
pub fn order_number(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '#'))
        .map(|run| run.trim_start_matches('#'))
        .find(|run| (6..=10).contains(&run.len()) && run.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::order_number;

    #[test]
    fn finds_order_numbers_with_or_without_hash() {
        assert_eq!(order_number("where is 1004527").as_deref(), Some("1004527"));
        assert_eq!(
            order_number("siparişim #2093311 nerede").as_deref(),
            Some("2093311")
        );
        assert_eq!(order_number("order:12345678.").as_deref(), Some("12345678"));
    }

    #[test]
    fn ignores_short_and_long_numbers() {
        assert_eq!(order_number("I waited 3 days"), None);
        assert_eq!(order_number("call 00447946000012345"), None);
    }
}
