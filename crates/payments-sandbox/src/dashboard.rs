//! The dashboard at `/`: per provider, the objects and their states, the notifications sent
//! (signature, status, the merchant's answer), and buttons to replay a notification, make the
//! provider's next API call time out or fail with 500, and move an object to another state.
//!
//! Plain server-rendered HTML and forms, no JavaScript. Every button posts a form to a
//! `/_sandbox/…` route that acts, then answers `303 See Other` back to `/`.

use std::time::Duration;

use axum::Router;
use axum::extract::{Form, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::pages::escape;
use crate::state::App;

/// How long a "timeout" fault holds the call before answering `504`.
pub(crate) const FAULT_HOLD: Duration = Duration::from_secs(60);

/// The providers, in page order: (path prefix, display name).
const PROVIDERS: &[(&str, &str)] = &[
    ("jatapay", "JataPay"),
    ("tspay", "TS Pay"),
    ("greenpay", "GreenPay"),
    ("begateway", "beGateway"),
];

/// A fault armed for a provider's next API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Hold the call for [`FAULT_HOLD`], then answer 504.
    Timeout,
    /// Answer 500 with a plain-text body.
    ServerError,
}

impl Fault {
    fn label(self) -> &'static str {
        match self {
            Fault::Timeout => "timeout",
            Fault::ServerError => "500",
        }
    }
}

/// One object as the dashboard lists it.
pub(crate) struct Row {
    /// What it is (`subscription`, `charge`, `product`, …).
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// Amount and description.
    pub detail: String,
    /// Its current state.
    pub state: String,
    /// The states it may be moved to (empty: not movable).
    pub states: &'static [&'static str],
}

/// The element of `states` equal to `wanted`.
pub(crate) fn pick(states: &'static [&'static str], wanted: &str) -> Option<&'static str> {
    states.iter().copied().find(|s| *s == wanted)
}

/// The dashboard's routes.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/", get(page))
        .route("/_sandbox/replay", post(replay))
        .route("/_sandbox/fault", post(arm_fault))
        .route("/_sandbox/state", post(move_state))
}

/// Middleware: applies an armed fault to the provider's next API call (hosted pages and the
/// sandbox-only routes are not API calls).
pub(crate) async fn faults(State(app): State<App>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let provider = PROVIDERS.iter().map(|(p, _)| *p).find(|p| {
        path.strip_prefix('/')
            .and_then(|r| r.strip_prefix(p))
            .is_some_and(|r| r.starts_with('/'))
    });
    let fault = match provider {
        Some(p) if !is_page(path) => app.lock().faults.remove(p),
        _ => None,
    };
    match fault {
        None => next.run(req).await,
        Some(Fault::ServerError) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error (simulated by the sandbox dashboard)",
        )
            .into_response(),
        Some(Fault::Timeout) => {
            tokio::time::sleep(FAULT_HOLD).await;
            (
                StatusCode::GATEWAY_TIMEOUT,
                "Gateway Timeout (simulated by the sandbox dashboard)",
            )
                .into_response()
        }
    }
}

/// Hosted pages and sandbox-only routes: never the target of a fault.
fn is_page(path: &str) -> bool {
    path.starts_with("/jatapay/dashboard/")
        || path.starts_with("/tspay/pay/")
        || path.starts_with("/greenpay/_sandbox/")
        || path.starts_with("/begateway/checkout/")
        || (path.starts_with("/begateway/api/products/") && path.ends_with("/pay"))
}

#[derive(serde::Deserialize)]
struct ReplayForm {
    index: usize,
}

async fn replay(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<ReplayForm>,
) -> Response {
    if let Some(refused) = foreign_origin(&app, &headers) {
        return refused;
    }
    let Some(original) = app.lock().deliveries.get(form.index).cloned() else {
        return crate::pages::error_page(
            StatusCode::NOT_FOUND,
            "No such notification",
            "The dashboard lists the notifications that can be replayed.",
        );
    };
    crate::notify::deliver(
        &app,
        original.provider,
        &original.url,
        original.body.into_bytes(),
        original.headers,
    )
    .await;
    Redirect::to("/").into_response()
}

#[derive(serde::Deserialize)]
struct FaultForm {
    provider: String,
    kind: String,
}

async fn arm_fault(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<FaultForm>,
) -> Response {
    if let Some(refused) = foreign_origin(&app, &headers) {
        return refused;
    }
    let fault = match form.kind.as_str() {
        "timeout" => Fault::Timeout,
        "500" => Fault::ServerError,
        _ => return bad_request("kind must be timeout or 500"),
    };
    let Some((provider, _)) = PROVIDERS.iter().find(|(p, _)| *p == form.provider) else {
        return bad_request("unknown provider");
    };
    app.lock().faults.insert(provider, fault);
    Redirect::to("/").into_response()
}

#[derive(serde::Deserialize)]
struct StateForm {
    provider: String,
    id: String,
    state: String,
}

async fn move_state(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<StateForm>,
) -> Response {
    if let Some(refused) = foreign_origin(&app, &headers) {
        return refused;
    }
    let mut st = app.lock();
    let moved = match form.provider.as_str() {
        "jatapay" => crate::jatapay::set_state(&mut st.jatapay, &form.id, &form.state),
        "tspay" => crate::tspay::set_state(&mut st.tspay, &form.id, &form.state),
        "greenpay" => crate::greenpay::set_state(&mut st.greenpay, &form.id, &form.state),
        "begateway" => crate::begateway::set_state(&mut st.begateway, &form.id, &form.state),
        _ => false,
    };
    drop(st);
    if moved {
        Redirect::to("/").into_response()
    } else {
        bad_request("unknown object or state")
    }
}

/// Refuses a form posted by another site's page (its `Origin` is not the sandbox's): the
/// buttons change state, and any page open in the developer's browser could post to loopback.
fn foreign_origin(app: &App, headers: &HeaderMap) -> Option<Response> {
    let origin = headers.get("origin")?.to_str().unwrap_or("?");
    (origin != app.base_url).then(|| {
        crate::pages::error_page(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "The dashboard's buttons only work from the dashboard page.",
        )
    })
}

fn bad_request(message: &str) -> Response {
    crate::pages::error_page(StatusCode::BAD_REQUEST, "Bad request", message)
}

/// Cuts `text` to `max` characters, marking the cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

async fn page(State(app): State<App>) -> Response {
    let st = app.lock();
    let mut body = String::new();
    body.push_str(&format!(
        "<header><h1>Payments sandbox</h1><p class=\"muted\">{} · state: {} · local emulator, no real money</p></header>\n",
        escape(&app.base_url),
        escape(
            &app.state_dir
                .as_ref()
                .map_or_else(|| "memory only".to_owned(), |d| d.display().to_string())
        ),
    ));
    for (index, (provider, name)) in PROVIDERS.iter().enumerate() {
        let rows = match *provider {
            "jatapay" => crate::jatapay::dashboard_rows(&st.jatapay),
            "tspay" => crate::tspay::dashboard_rows(&st.tspay),
            "greenpay" => crate::greenpay::dashboard_rows(&st.greenpay),
            _ => crate::begateway::dashboard_rows(&st.begateway),
        };
        let armed = st.faults.get(provider).copied();
        body.push_str(&format!(
            "<section id=\"{provider}\"><h2>{name}</h2>\n<div class=\"faults\">"
        ));
        for fault in [Fault::Timeout, Fault::ServerError] {
            body.push_str(&format!(
                "<form method=\"post\" action=\"/_sandbox/fault\"><input type=\"hidden\" name=\"provider\" value=\"{provider}\">\
                 <input type=\"hidden\" name=\"kind\" value=\"{k}\"><button id=\"fault-{provider}-{k}\" type=\"submit\">Next call: {k}</button></form>",
                k = fault.label()
            ));
        }
        body.push_str(&format!(
            "<span class=\"armed\" id=\"armed-{provider}\">{}</span></div>\n",
            armed.map_or_else(String::new, |f| format!(
                "armed: next API call → {}",
                f.label()
            ))
        ));
        body.push_str("<h3>Objects</h3>\n");
        if rows.is_empty() {
            body.push_str("<p class=\"muted\">None yet.</p>\n");
        } else {
            body.push_str("<table class=\"objects\"><tr><th>kind</th><th>id</th><th>detail</th><th>state</th><th>move to</th></tr>\n");
            for row in &rows {
                let id = escape(&row.id);
                let mover = if row.states.is_empty() {
                    String::new()
                } else {
                    let options: String = row
                        .states
                        .iter()
                        .map(|s| {
                            let selected = if *s == row.state { " selected" } else { "" };
                            format!("<option{selected}>{s}</option>")
                        })
                        .collect();
                    format!(
                        "<form class=\"move\" method=\"post\" action=\"/_sandbox/state\" data-id=\"{id}\">\
                         <input type=\"hidden\" name=\"provider\" value=\"{provider}\"><input type=\"hidden\" name=\"id\" value=\"{id}\">\
                         <select name=\"state\">{options}</select> <button type=\"submit\">Move</button></form>"
                    )
                };
                body.push_str(&format!(
                    "<tr data-id=\"{id}\"><td>{kind}</td><td><code>{id}</code></td><td>{detail}</td>\
                     <td class=\"state state-{state_class}\">{state}</td><td>{mover}</td></tr>\n",
                    kind = row.kind,
                    detail = escape(&row.detail),
                    state = escape(&row.state),
                    state_class = escape(&row.state.replace(' ', "-")),
                ));
            }
            body.push_str("</table>\n");
        }
        body.push_str("<h3>Notifications sent</h3>\n");
        let sent: Vec<(usize, &crate::Delivery)> = st
            .deliveries
            .iter()
            .enumerate()
            .filter(|(_, d)| d.provider == *provider)
            .collect();
        if index == 0 {
            body.push_str(
                "<p class=\"muted\">JataPay sends no notifications (none are documented).</p>\n",
            );
        } else if sent.is_empty() {
            body.push_str("<p class=\"muted\">None yet.</p>\n");
        } else {
            body.push_str("<table class=\"deliveries\"><tr><th>#</th><th>to</th><th>signature</th><th>status</th><th>merchant's answer</th><th></th></tr>\n");
            for (n, d) in sent {
                let signature = if d.headers.is_empty() {
                    "<span class=\"muted\">in the body (<code>_signature</code>)</span>".to_owned()
                } else {
                    d.headers
                        .iter()
                        .map(|(k, v)| {
                            format!(
                                "<div title=\"{full}\"><b>{k}</b>: <code>{short}</code></div>",
                                k = escape(k),
                                full = escape(v),
                                short = escape(&cut(v, 24))
                            )
                        })
                        .collect()
                };
                let status = match (d.status, &d.error) {
                    (Some(code), _) => format!(
                        "<span class=\"{}\">{code}</span>",
                        if (200..300).contains(&code) {
                            "ok"
                        } else {
                            "bad"
                        }
                    ),
                    (None, Some(err)) => format!(
                        "<span class=\"bad\" title=\"{}\">no answer</span>",
                        escape(err)
                    ),
                    (None, None) => "—".to_owned(),
                };
                body.push_str(&format!(
                    "<tr data-index=\"{n}\"><td>{n}</td><td><code>{url}</code></td><td>{signature}</td><td class=\"status\">{status}</td>\
                     <td><code>{answer}</code></td><td><form method=\"post\" action=\"/_sandbox/replay\">\
                     <input type=\"hidden\" name=\"index\" value=\"{n}\"><button id=\"replay-{n}\" type=\"submit\">Replay</button></form></td></tr>\n",
                    url = escape(&d.url),
                    answer = escape(&cut(d.answer.as_deref().unwrap_or(""), 120)),
                ));
            }
            body.push_str("</table>\n");
        }
        body.push_str("</section>\n");
    }
    drop(st);
    Html(layout(&body)).into_response()
}

fn layout(body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Payments sandbox</title>\n<style>\n\
         body{{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:1.5rem;color:#222;font-size:14px}}\n\
         header h1{{margin:0}} .muted{{color:#777}}\n\
         section{{background:#fff;border-radius:8px;padding:.5rem 1.25rem 1rem;margin:1rem 0;box-shadow:0 1px 4px #0002}}\n\
         h2{{margin:.5rem 0}} h3{{margin:.75rem 0 .25rem;font-size:.95rem;color:#555}}\n\
         table{{border-collapse:collapse;width:100%}} th,td{{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top}}\n\
         th{{color:#666;font-weight:600}} code{{font-size:.85em;word-break:break-all}}\n\
         form{{display:inline;margin:0}} button{{padding:.25rem .7rem;border-radius:5px;border:1px solid #bbb;background:#f7f7f7;cursor:pointer}}\n\
         .faults{{display:flex;gap:.5rem;align-items:center}} .armed{{color:#a15c00;font-weight:600}}\n\
         .ok{{color:#1a7f37;font-weight:600}} .bad{{color:#c62828;font-weight:600}} .state{{font-weight:600}}\n\
         </style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}
