//! `GET /help/{id}`: a help-centre article as a page, in the language asked
//! for (`?lang=tr`, else the browser's `Accept-Language`), so that the links
//! under the bot's answers lead somewhere when no shop site serves them.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use pulldown_cmark::{Event, Parser};

use super::AppState;
use crate::conversation::HelpPage;

/// The page of article `id`; 404, saying so in the reader's language, when
/// there is none.
pub async fn article(
    State(state): State<AppState>,
    Path(id): Path<String>,
    // Pairs, not a struct: a repeated `lang` takes the first, never a 400.
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let lang = query
        .iter()
        .find(|(name, _)| name == "lang")
        .map(|(_, value)| value.as_str());
    let wanted: Vec<&str> = lang
        .into_iter()
        .chain(accepted_languages(accepted))
        .filter(|tag| !tag.is_empty() && *tag != "*")
        .collect();
    let (status, html) = match state.conversations.help_page(&id, &wanted) {
        Some(page) => (StatusCode::OK, render(&page)),
        None => {
            let (locale, text) = state.conversations.help_not_found(&wanted);
            let body = format!("<p>{}</p>\n", escape(&text));
            (StatusCode::NOT_FOUND, document(&locale, &text, &body, ""))
        }
    };
    let mut response = super::http::page_with(status, html);
    // The language follows the header: caches must key on it.
    response.headers_mut().insert(
        header::VARY,
        axum::http::HeaderValue::from_static("Accept-Language"),
    );
    response
}

/// The language ranges of an `Accept-Language` header, most wanted first
/// (by `q`, ties in the order given; `q=0` means "not this one"), RFC 9110
/// §12.5.4.
fn accepted_languages(header: &str) -> Vec<&str> {
    let mut ranges: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((range, q))
        })
        .collect();
    // A stable sort keeps the header's order among equal weights.
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranges.into_iter().map(|(range, _)| range).collect()
}

/// The whole page. The article's Markdown is the company's own, but raw
/// HTML in it is shown as text, never run.
fn render(page: &HelpPage) -> String {
    let mut body = String::new();
    for (i, (heading, markdown)) in page.sections.iter().enumerate() {
        if i == 0 {
            body.push_str(&format!("<h1>{}</h1>\n", escape(&page.title)));
        } else {
            body.push_str(&format!("<h2>{}</h2>\n", escape(heading)));
        }
        let events = Parser::new(markdown).map(|event| match event {
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            other => other,
        });
        pulldown_cmark::html::push_html(&mut body, events);
    }
    let others: Vec<String> = page
        .languages
        .iter()
        .filter(|language| **language != page.locale)
        .map(|language| {
            let language = escape(language);
            format!(
                "<a href=\"?lang={language}\" hreflang=\"{language}\" lang=\"{language}\">{}</a>",
                language.to_uppercase()
            )
        })
        .collect();
    let footer = if others.is_empty() {
        String::new()
    } else {
        format!(
            "<footer><nav aria-label=\"Languages\">{}</nav></footer>\n",
            others.join(" · ")
        )
    };
    document(&page.locale, &page.title, &body, &footer)
}

/// A help-centre page in `lang` with `title`, and `body` and `footer`
/// (HTML, already escaped).
fn document(lang: &str, title: &str, body: &str, footer: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n{footer}</body>\n</html>\n",
        lang = escape(lang),
        title = escape(title),
    )
}

const STYLE: &str = "body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1e2a3a;background:#fafbfc}\
main,footer{max-width:720px;margin:0 auto;padding:16px 20px}main{padding-top:24px}\
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-top:1.8em}\
a{color:#2f54eb}footer{color:#5b6573;font-size:.95rem;padding-bottom:40px}\
@media (prefers-color-scheme:dark){body{background:#12161c;color:#e6e9ee}a{color:#8aa4ff}footer{color:#9aa4b2}}";

/// `text` safe inside HTML text and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::accepted_languages;

    #[test]
    fn accept_language_goes_by_weight_and_drops_q0() {
        assert_eq!(accepted_languages("fr;q=0.1,de;q=0.9"), vec!["de", "fr"]);
        assert_eq!(accepted_languages("de;q=0, tr"), vec!["tr"]);
        assert_eq!(
            accepted_languages("el, en;q=0.5, ms"),
            vec!["el", "ms", "en"]
        );
    }
}
