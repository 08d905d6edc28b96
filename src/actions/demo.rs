//! The demo shop's backend: what a company's order system would answer,
//! served by Switchboard itself at `POST /demo/shop/{action}` when the demo
//! shop is on (`[demo] shop`, default with the bundled content), so the
//! bundled intents can call real actions out of the box.
//!
//! Every request must carry a valid Standard Webhooks signature made with
//! the shop's secret, at most 5 minutes old (401 otherwise; 400 for a body
//! that is not an action request). The order is `slots.order_number`; dates
//! are ISO (`2026-11-28`), relative to today in the server's time zone.
//!
//! | order | `order_lookup` | `order_cancel` | `change_address` |
//! |---|---|---|---|
//! | `1004527` (shipped) | `order-shipped`: `order`, `carrier`, `tracking_url`, `shipped_on` (today − 2), `delivery_by` (today + 2) | `order-cancel-too-late`: `order`, `shipped_on`; quick reply `return_item` | `address-change-too-late`: `order`, `carrier`, `tracking_url` |
//! | `1004528` (in the warehouse) | `order-in-warehouse`: `order`, `ordered_on` (today − 1), `ships_by` (today + 1) | `order-cancelled`: `order`, `refund` (`{"amount": "49.90", "currency": "EUR"}`) | `address-change-possible`: `order`, `ships_by`, `url` |
//! | any other | `order-not-found`: `order` | `order-not-found`: `order` | `order-not-found`: `order` |
//!
//! Failure paths, for tests, the same for every action:
//!
//! | order | answer |
//! |---|---|
//! | `1009991` | after 10 s (a caller's timeout fires first) |
//! | `1009992` | HTTP 500 |
//! | `1009993` | HTTP 200 with a body that is not JSON |
//! | `1009994` | `{"handoff": true}` |
//! | `1009995` | the message id `order-exploded`, which no locale has |
//! | `1009996` | `order-shipped` with only `order`: its other variables unfilled |

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::signature;

/// The order that has shipped.
pub const ORDER_SHIPPED: &str = "1004527";
/// The order still in the warehouse.
pub const ORDER_IN_WAREHOUSE: &str = "1004528";
/// Answers after [`SLOW_ANSWER`]: a caller's timeout fires first.
pub const ORDER_SLOW: &str = "1009991";
/// Answers HTTP 500.
pub const ORDER_SERVER_ERROR: &str = "1009992";
/// Answers HTTP 200 with a body that is not JSON.
pub const ORDER_NOT_JSON: &str = "1009993";
/// Answers `{"handoff": true}`.
pub const ORDER_HANDOFF: &str = "1009994";
/// Answers the message id `order-exploded`, which exists in no locale.
pub const ORDER_UNKNOWN_MESSAGE: &str = "1009995";
/// Answers `order-shipped` with the order number alone, leaving the
/// message's other variables (carrier, dates, tracking link) unfilled.
pub const ORDER_MISSING_ARGS: &str = "1009996";
/// How long [`ORDER_SLOW`] takes to answer.
pub const SLOW_ANSWER: Duration = Duration::from_secs(10);

const CARRIER: &str = "DHL";
const TRACKING_URL: &str = "https://www.dhl.com/track?id=JD014600003828";

/// The shop's three actions on `POST /demo/shop/{order_lookup,
/// order_cancel, change_address}`, checking signatures made with `secret`
/// (the raw key, decoded from `whsec_...`).
pub fn router(secret: Vec<u8>) -> Router {
    let secret: Arc<[u8]> = secret.into();
    Router::new()
        .route("/demo/shop/{action}", post(answer))
        .with_state(secret)
}

/// The part of an action request the shop reads.
#[derive(Deserialize)]
struct ShopRequest {
    #[serde(default)]
    slots: BTreeMap<String, String>,
}

/// Checks the signature, then answers as the action would unless the order
/// is one of the failure paths; 404 for an action the shop does not have.
async fn answer(
    State(secret): State<Arc<[u8]>>,
    Path(action): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let action: fn(&str, Days) -> Value = match action.as_str() {
        "order_lookup" => order_lookup,
        "order_cancel" => order_cancel,
        "change_address" => change_address,
        _ => return (StatusCode::NOT_FOUND, "no such action\n").into_response(),
    };
    if let Err(refusal) = signature::verify(&secret, &headers, &body, signature::unix_now()) {
        tracing::info!(%refusal, "demo shop: request refused");
        return (StatusCode::UNAUTHORIZED, "bad or missing signature\n").into_response();
    }
    let Ok(request) = serde_json::from_slice::<ShopRequest>(&body) else {
        return (StatusCode::BAD_REQUEST, "not an action request\n").into_response();
    };
    let order: String = request
        .slots
        .get("order_number")
        .map(|number| number.trim().trim_start_matches('#').to_owned())
        .unwrap_or_default();
    match order.as_str() {
        ORDER_SLOW => {
            tokio::time::sleep(SLOW_ANSWER).await;
            axum::Json(not_found(&order)).into_response()
        }
        ORDER_SERVER_ERROR => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the order system is down\n",
        )
            .into_response(),
        ORDER_NOT_JSON => (
            [(header::CONTENT_TYPE, "application/json")],
            "<html>this is not JSON",
        )
            .into_response(),
        ORDER_HANDOFF => axum::Json(json!({ "handoff": true })).into_response(),
        ORDER_UNKNOWN_MESSAGE => {
            axum::Json(json!({ "message": "order-exploded", "args": { "order": order } }))
                .into_response()
        }
        ORDER_MISSING_ARGS => {
            axum::Json(json!({ "message": "order-shipped", "args": { "order": order } }))
                .into_response()
        }
        _ => axum::Json(action(&order, Days::today())).into_response(),
    }
}

/// Today, and the days around it as ISO dates.
#[derive(Clone, Copy)]
struct Days(jiff::civil::Date);

impl Days {
    fn today() -> Self {
        Self(jiff::Zoned::now().date())
    }

    /// Today plus `days` (negative: before), as `YYYY-MM-DD`.
    fn iso(self, days: i64) -> String {
        self.0
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(self.0)
            .to_string()
    }
}

fn not_found(order: &str) -> Value {
    json!({ "message": "order-not-found", "args": { "order": order } })
}

fn order_lookup(order: &str, days: Days) -> Value {
    match order {
        ORDER_SHIPPED => json!({
            "message": "order-shipped",
            "args": {
                "order": order,
                "carrier": CARRIER,
                "tracking_url": TRACKING_URL,
                "shipped_on": days.iso(-2),
                "delivery_by": days.iso(2),
            },
        }),
        ORDER_IN_WAREHOUSE => json!({
            "message": "order-in-warehouse",
            "args": { "order": order, "ordered_on": days.iso(-1), "ships_by": days.iso(1) },
        }),
        _ => not_found(order),
    }
}

fn order_cancel(order: &str, days: Days) -> Value {
    match order {
        ORDER_IN_WAREHOUSE => json!({
            "message": "order-cancelled",
            "args": { "order": order, "refund": { "amount": "49.90", "currency": "EUR" } },
        }),
        ORDER_SHIPPED => json!({
            "message": "order-cancel-too-late",
            "args": { "order": order, "shipped_on": days.iso(-2) },
            "quick_replies": ["return_item"],
        }),
        _ => not_found(order),
    }
}

fn change_address(order: &str, days: Days) -> Value {
    match order {
        ORDER_IN_WAREHOUSE => json!({
            "message": "address-change-possible",
            "args": {
                "order": order,
                "ships_by": days.iso(1),
                "url": format!("https://shop.example.com/orders/{order}/address"),
            },
        }),
        ORDER_SHIPPED => json!({
            "message": "address-change-too-late",
            "args": { "order": order, "carrier": CARRIER, "tracking_url": TRACKING_URL },
        }),
        _ => not_found(order),
    }
}
