//! `GET /help/{id}`: a help-centre article as a page, in the language asked
//! for (`?lang=tr`, else the browser's `Accept-Language`), so that the links
//! under the bot's answers lead somewhere when no shop site serves them.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pulldown_cmark::{Event, Parser};
use serde::Deserialize;

use super::http::PAGE_POLICY;
use super::AppState;
use crate::conversation::HelpPage;

#[derive(Debug, Deserialize)]
pub struct HelpQuery {
    lang: Option<String>,
}

/// The page of article `id`; 404 (a plain page) when there is none.
pub async fn article(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HelpQuery>,
    headers: HeaderMap,
) -> Response {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    // Browsers list their languages most wanted first; weights are not read.
    let wanted: Vec<&str> = query
        .lang
        .as_deref()
        .into_iter()
        .chain(
            accepted
                .split(',')
                .map(|range| range.split(';').next().unwrap_or_default().trim()),
        )
        .filter(|tag| !tag.is_empty() && *tag != "*")
        .collect();
    let (status, html) = match state.conversations.help_page(&id, &wanted) {
        Some(page) => (StatusCode::OK, render(&page)),
        None => (
            StatusCode::NOT_FOUND,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">\
             <title>Not found</title></head><body><p>There is no such help article.</p></body></html>"
                .to_owned(),
        ),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        ],
        html,
    )
        .into_response()
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
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n{footer}</body>\n</html>\n",
        lang = escape(&page.locale),
        title = escape(&page.title),
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
