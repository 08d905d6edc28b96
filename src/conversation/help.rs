//! The help centre's pages (`GET /help/{id}`): an article in the language a
//! reader asks for, with the shop's facts filled in as the bot says them.

use super::facts::fill_article;
use super::Conversations;
use crate::l10n::Msg;

/// One article as its page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HelpPage {
    /// The article's id (its file stem in `knowledge/<lang>/`).
    pub id: String,
    /// The language it is shown in (a folder of `knowledge/`, e.g. `tr`).
    pub locale: String,
    /// Its title, in that language.
    pub title: String,
    /// Its sections in order, as (heading, Markdown); the first one's
    /// heading is the title. Hours, zone, email and phone are filled in.
    pub sections: Vec<(String, String)>,
    /// Every language the article is written in, in name order.
    pub languages: Vec<String>,
}

impl Conversations {
    /// Article `id` in the first of `wanted` (BCP 47 tags, most wanted
    /// first; only the language subtag counts) it is written in, else in the
    /// default locale, else in the first language it has; `None` if no
    /// article has that id.
    pub fn help_page(&self, id: &str, wanted: &[&str]) -> Option<HelpPage> {
        let content = self.engine.content();
        let translations: Vec<_> = content
            .knowledge
            .articles()
            .iter()
            .filter(|article| article.id == id)
            .collect();
        let default = content.l10n.default_locale();
        let article = wanted
            .iter()
            .find_map(|tag| {
                let language = primary_language(tag);
                translations.iter().find(|a| a.locale == language)
            })
            .or_else(|| translations.iter().find(|a| a.locale == default.as_str()))
            .or_else(|| translations.first())?;
        let locale = content
            .l10n
            .locale(&article.locale)
            .unwrap_or_else(|| default.clone());
        let facts =
            self.engine
                .facts()
                .render(&content.l10n, &locale, None, jiff::Timestamp::now());
        let mut languages: Vec<String> = translations.iter().map(|a| a.locale.clone()).collect();
        languages.sort();
        Some(HelpPage {
            id: article.id.clone(),
            locale: article.locale.clone(),
            title: article.title.clone(),
            sections: article
                .sections
                .iter()
                .map(|section| (section.heading.clone(), fill_article(&section.text, &facts)))
                .collect(),
            languages,
        })
    }

    /// What the help centre says when no article has the id asked for:
    /// `(locale, text)` in the first of `wanted` (BCP 47 tags, most wanted
    /// first) the chat speaks, else in the default locale.
    pub fn help_not_found(&self, wanted: &[&str]) -> (String, String) {
        let content = self.engine.content();
        let locale = wanted
            .iter()
            .find_map(|tag| content.l10n.locale(&primary_language(tag)))
            .unwrap_or_else(|| content.l10n.default_locale());
        let text = content.l10n.text(&locale, &Msg::HelpNotFound);
        (locale.as_str().to_owned(), text)
    }
}

/// The language subtag of a BCP 47 tag, lowercased (`tr-TR` → `tr`).
fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}
