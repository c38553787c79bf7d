//! The hosted HTML pages: a payment page with Pay and Decline buttons, error and result pages.
//!
//! Plain HTML forms, no JavaScript. Both buttons post to the page's own URL with a hidden
//! `decision` field (`pay` or `decline`); the buttons have the ids `pay` and `decline`.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// What a payment page shows.
pub(crate) struct PaymentPage<'a> {
    /// Provider brand shown in the header.
    pub provider: &'a str,
    /// Page heading (merchant or product name).
    pub title: &'a str,
    /// Human readable amount, e.g. `14.50 EUR`.
    pub amount: &'a str,
    /// Description lines (empty ones are skipped).
    pub details: Vec<(&'a str, String)>,
    /// Extra hidden form fields to carry through the POST.
    pub hidden: Vec<(&'a str, String)>,
    /// Label of the confirm button.
    pub pay_label: &'a str,
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n\
         body{{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:2rem;color:#222}}\n\
         main{{max-width:28rem;margin:0 auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 4px #0002}}\n\
         .sandbox{{font-size:.75rem;color:#a15c00;text-transform:uppercase;letter-spacing:.05em}}\n\
         .amount{{font-size:2rem;font-weight:600;margin:.5rem 0 1rem}}\n\
         dl{{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}} dt{{color:#666}} dd{{margin:0}}\n\
         .actions{{display:flex;gap:1rem;margin-top:1.5rem}} form{{margin:0}}\n\
         button{{font-size:1rem;padding:.6rem 1.4rem;border-radius:6px;border:0;cursor:pointer}}\n\
         #pay{{background:#1a7f37;color:#fff}} #decline{{background:#ddd;color:#222}}\n\
         </style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}

/// Renders a payment page.
pub(crate) fn payment_page(page: &PaymentPage<'_>) -> Response {
    let mut details = String::new();
    for (label, value) in &page.details {
        if !value.is_empty() {
            details.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                escape(label),
                escape(value)
            ));
        }
    }
    let mut hidden = String::new();
    for (name, value) in &page.hidden {
        hidden.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(name),
            escape(value)
        ));
    }
    let body = format!(
        "<p class=\"sandbox\">{provider} &middot; local sandbox, no real money</p>\n\
         <h1 id=\"title\">{title}</h1>\n\
         <p class=\"amount\" id=\"amount\">{amount}</p>\n\
         <dl>\n{details}</dl>\n\
         <div class=\"actions\">\n\
         <form method=\"post\">{hidden}<input type=\"hidden\" name=\"decision\" value=\"pay\">\
         <button type=\"submit\" id=\"pay\">{pay_label}</button></form>\n\
         <form method=\"post\">{hidden}<input type=\"hidden\" name=\"decision\" value=\"decline\">\
         <button type=\"submit\" id=\"decline\">Decline</button></form>\n\
         </div>\n",
        provider = escape(page.provider),
        title = escape(page.title),
        amount = escape(page.amount),
        pay_label = escape(page.pay_label),
    );
    Html(layout(
        &format!("{} – {}", page.provider, page.title),
        &body,
    ))
    .into_response()
}

/// An HTML error page with `status`.
pub(crate) fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<h1 id=\"error\">{}</h1>\n<p id=\"message\">{}</p>\n",
        escape(title),
        escape(message)
    );
    (status, Html(layout(title, &body))).into_response()
}

/// An HTML page shown after a decision when the merchant gave no URL to return to.
pub(crate) fn result_page(title: &str, message: &str) -> Response {
    let body = format!(
        "<h1 id=\"result\">{}</h1>\n<p id=\"message\">{}</p>\n",
        escape(title),
        escape(message)
    );
    Html(layout(title, &body)).into_response()
}

/// A page with one button that posts an empty form back to the page's own URL (TS Pay's
/// API-key activation page).
pub(crate) fn action_page(title: &str, message: &str, button_id: &str, label: &str) -> Response {
    let body = format!(
        "<h1 id=\"title\">{}</h1>\n<p id=\"message\">{}</p>\n\
         <form method=\"post\"><button id=\"{}\" type=\"submit\">{}</button></form>\n",
        escape(title),
        escape(message),
        escape(button_id),
        escape(label)
    );
    Html(layout(title, &body)).into_response()
}

/// The form posted by the Pay and Decline buttons.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct DecisionForm {
    /// `pay` or `decline`.
    pub decision: String,
    /// beGateway: the merchant's tracking id carried from the page URL.
    #[serde(default)]
    pub tracking_id: Option<String>,
}

/// The customer's choice on a payment page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The Pay button.
    Pay,
    /// The Decline button.
    Decline,
}

impl DecisionForm {
    /// The decision, or `None` for anything but `pay` / `decline`.
    pub(crate) fn decision(&self) -> Option<Decision> {
        match self.decision.as_str() {
            "pay" => Some(Decision::Pay),
            "decline" => Some(Decision::Decline),
            _ => None,
        }
    }
}

/// The page shown for a form without a valid decision.
pub(crate) fn bad_decision() -> Response {
    error_page(
        StatusCode::BAD_REQUEST,
        "Invalid request",
        "The form must carry decision=pay or decision=decline.",
    )
}
