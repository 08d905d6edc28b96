//! Insights for support leads, behind the agent login (bearer token):
//! `GET /v1/insights` (the report as JSON), `GET /v1/insights/daily.csv`
//! and `GET /v1/insights/unanswered.csv` (the same data as CSV), and the
//! page that draws them, `GET /agent/insights` with its script. Shapes and
//! units: docs/protocol.md ("Insights") and docs/insights.md.

use std::fmt::Write as _;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::api::{require_agent, ApiError};
use super::AppState;
use crate::conversation::{Durations, Report, ReportQuery, MAX_DAYS};
use crate::domain::daily::{self, QuantileBound};
use crate::domain::{ChannelKind, ErrorCode, HandoffReason};

/// The query string of every insights route; any other parameter is a
/// 400 (a misspelt or unsupported one must not silently change the period).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsightsParams {
    /// Days covered, ending today (UTC): 1 to 366; default 7.
    days: Option<u16>,
    /// A supported locale; absent or empty: all.
    locale: Option<String>,
    /// `web`, `telegram`, `whatsapp` or `webhook`; absent or empty: all.
    channel: Option<String>,
}

/// The report query of the request's query string, or `bad_request`
/// saying what is wrong. Read only after the login is checked.
fn query(state: &AppState, uri: &axum::http::Uri) -> Result<ReportQuery, ApiError> {
    let bad = |why: &str| ApiError::explained(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, why);
    let Query(params) = Query::<InsightsParams>::try_from_uri(uri).map_err(|rejection| {
        tracing::debug!(%rejection, "insights query refused");
        bad("the query takes days (a whole number), locale and channel, each at most once, and nothing else")
    })?;
    let days = params.days.unwrap_or(7);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(bad(&format!("days must be 1 to {MAX_DAYS}")));
    }
    let locale = params.locale.filter(|l| !l.is_empty());
    if let Some(locale) = &locale {
        let supported = state.conversations.supported_locales();
        if !supported.contains(locale) {
            return Err(bad(&format!(
                "locale must be one of {}",
                supported.join(", ")
            )));
        }
    }
    let channel = match params.channel.filter(|c| !c.is_empty()) {
        Some(name) => Some(
            ChannelKind::parse(&name)
                .ok_or_else(|| bad("channel must be web, telegram, whatsapp or webhook"))?,
        ),
        None => None,
    };
    Ok(ReportQuery {
        to: jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date(),
        days,
        locale,
        channel,
    })
}

/// `GET /v1/insights`: the report of the last `days` UTC days.
pub async fn report(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Json<Report>, ApiError> {
    require_agent(&state, &headers, peer)?;
    let query = query(&state, &uri)?;
    state
        .conversations
        .report(&query)
        .map(Json)
        .map_err(|error| ApiError::conversation(&state, &error))
}

/// `GET /v1/insights/daily.csv`: one row per day, locale and channel.
pub async fn daily_csv(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    require_agent(&state, &headers, peer)?;
    let query = query(&state, &uri)?;
    let rows = state
        .conversations
        .daily_rows(&query)
        .map_err(|error| ApiError::conversation(&state, &error))?;
    let mut header_row: Vec<String> = [
        "day",
        "locale",
        "channel",
        "conversations",
        "contained",
        "handoffs",
    ]
    .map(str::to_owned)
    .to_vec();
    header_row.extend(HandoffReason::ALL.map(|r| format!("handoffs_{}", r.as_str())));
    header_row.extend((1..=5).map(|s| format!("rating_{s}")));
    header_row.extend(
        [
            "helpful_yes",
            "helpful_no",
            "wait_samples",
            "wait_median_s",
            "wait_p90_s",
            "handling_samples",
            "handling_median_s",
            "handling_p90_s",
            "bot_turns",
            "unanswered_turns",
        ]
        .map(str::to_owned),
    );
    let mut lines = vec![header_row];
    for (key, counts) in rows {
        let mut row = vec![
            key.day.to_string(),
            key.locale.clone(),
            key.channel.as_str().to_owned(),
            counts.get(daily::CONVERSATIONS).to_string(),
            counts.get(daily::CONTAINED).to_string(),
            counts.get(daily::HANDOFFS).to_string(),
        ];
        row.extend(HandoffReason::ALL.map(|r| {
            counts
                .get(&format!("{}:{}", daily::HANDOFFS, r.as_str()))
                .to_string()
        }));
        row.extend((1..=5).map(|s| counts.get(&format!("rating:{s}")).to_string()));
        row.push(counts.get(daily::HELPFUL_YES).to_string());
        row.push(counts.get(daily::HELPFUL_NO).to_string());
        for prefix in [daily::WAIT_S, daily::HANDLING_S] {
            let durations = Durations::of(&counts, prefix);
            row.push(durations.samples.to_string());
            row.push(bound_text(durations.median));
            row.push(bound_text(durations.p90));
        }
        row.push(counts.get(daily::BOT_TURNS).to_string());
        row.push(counts.get(daily::UNANSWERED).to_string());
        lines.push(row);
    }
    Ok(csv_response("switchboard-daily.csv", &lines))
}

/// `GET /v1/insights/unanswered.csv`: every unanswered question of the
/// range, most asked first.
pub async fn unanswered_csv(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    require_agent(&state, &headers, peer)?;
    let query = query(&state, &uri)?;
    let rows = state
        .conversations
        .unanswered_rows(&query)
        .map_err(|error| ApiError::conversation(&state, &error))?;
    let mut lines = vec![[
        "text",
        "locale",
        "channel",
        "count",
        "last_asked",
        "conversation",
    ]
    .map(str::to_owned)
    .to_vec()];
    for row in rows {
        lines.push(vec![
            row.text,
            row.locale,
            row.channel.as_str().to_owned(),
            row.count.to_string(),
            row.last_asked.to_string(),
            row.conversation.to_string(),
        ]);
    }
    Ok(csv_response("switchboard-unanswered.csv", &lines))
}

/// A quantile in a CSV cell: the bucket's upper bound in seconds (`15`:
/// at most 15 s), `>86400` past the last bound, empty without samples.
fn bound_text(bound: Option<QuantileBound>) -> String {
    match bound {
        Some(QuantileBound::AtMostS(s)) => s.to_string(),
        Some(QuantileBound::OverS(s)) => format!(">{s}"),
        None => String::new(),
    }
}

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote, or a
/// line break, quotes doubled. A field that a spreadsheet would read as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading `'` first (OWASP, "CSV Injection"): customers' words
/// reach these files.
pub fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// `rows` as CSV: fields by [`csv_field`], CRLF line ends (RFC 4180).
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        let _ = write!(out, "{}\r\n", fields.join(","));
    }
    out
}

fn csv_response(file: &str, rows: &[Vec<String>]) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/csv; charset=utf-8; header=present".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv(rows),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("Sipariş nerede?"), "Sipariş nerede?");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn a_field_a_spreadsheet_would_run_as_a_formula_is_defused() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("@me"), "'@me");
    }

    #[test]
    fn rows_end_in_crlf() {
        let rows = vec![
            vec!["text".to_owned(), "count".to_owned()],
            vec!["où, quand".to_owned(), "2".to_owned()],
        ];
        assert_eq!(csv(&rows), "text,count\r\n\"où, quand\",2\r\n");
    }

    #[test]
    fn quantiles_read_as_at_most_or_over() {
        assert_eq!(bound_text(Some(QuantileBound::AtMostS(15))), "15");
        assert_eq!(bound_text(Some(QuantileBound::OverS(86_400))), ">86400");
        assert_eq!(bound_text(None), "");
    }
}
