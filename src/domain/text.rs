//! Message text, checked once at the edge: the same rule for a customer's
//! message, an agent's reply and `/v1/nlu/parse`.

/// Why a text is not a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing visible once trimmed: whitespace, control characters (NUL),
    /// or only code points that render as nothing (zero-width spaces and
    /// joiners, word joiners, BOMs, variation selectors, the Mongolian vowel
    /// separator).
    #[error("the text is empty")]
    Empty,
    /// More characters (Unicode scalar values, after trimming) than allowed.
    #[error("the text is longer than {max} characters")]
    TooLong {
        /// The limit that was exceeded, in characters (`limits.max_text_chars`).
        max: usize,
    },
}

/// A message's text: trimmed, something visible in it, at most the
/// configured number of characters (Unicode scalar values). Stored and shown
/// as typed otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    /// Trims whitespace and [invisible](is_invisible) code points from both
    /// ends of `raw` and checks what is left.
    ///
    /// # Errors
    ///
    /// [`TextError::Empty`] if nothing is left; [`TextError::TooLong`] if more
    /// than `max_chars` characters (Unicode scalar values, not bytes) are.
    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, TextError> {
        let text =
            raw.trim_matches(|c: char| c.is_whitespace() || c.is_control() || is_invisible(c));
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        if text.chars().count() > max_chars {
            return Err(TextError::TooLong { max: max_chars });
        }
        Ok(Self(text.to_owned()))
    }

    /// The trimmed text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The trimmed text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Code points that render as nothing on their own (Unicode's
/// Default_Ignorable_Code_Point, the ones people meet in chat), plus the
/// Mongolian vowel separator and the Braille blank U+2800 (not ignorable,
/// but sent as an "empty" message because it shows nothing).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded_in_characters() {
        assert_eq!(
            MessageText::parse("  merhaba  ", 10).map(MessageText::into_string),
            Ok("merhaba".to_owned())
        );
        assert_eq!(
            MessageText::parse(&"ç".repeat(10), 10).map(|t| t.as_str().chars().count()),
            Ok(10),
            "the limit itself is accepted"
        );
        assert_eq!(
            MessageText::parse(&"ç".repeat(11), 10),
            Err(TextError::TooLong { max: 10 })
        );
    }

    #[test]
    fn text_of_nothing_visible_is_empty() {
        for invisible in [
            "\u{200B}",
            "\u{200C}\u{200D}",
            "\u{2060}",
            "\u{FEFF}",
            "\u{180E}",
            "\u{FE0F}",
            " \u{200B} \t",
            "\u{0}",
            "\u{0}\u{1F}\u{7F}",
        ] {
            assert_eq!(
                MessageText::parse(invisible, 100),
                Err(TextError::Empty),
                "{invisible:?}"
            );
        }
        // Joiners inside visible text (an emoji sequence) are kept.
        assert!(MessageText::parse("👩\u{200D}💻 help", 100).is_ok());
    }
}
