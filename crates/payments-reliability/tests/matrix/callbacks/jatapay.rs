//! JataPay sends no notifications (none documented): only W7 applies. The customer returns
//! to `callback_url` with nothing that proves payment; the status comes from
//! `GET /entity/subscriptions/{id}`.

use jatapay::{PaymentOutcome, SubscriptionId};
use payments_common::Url;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_reliability::report;

use super::reject_forged;
use crate::faults::jatapay::token_client;

const SUB: &str = "65b279426d2f219d702a7f69";

/// Runs JataPay's callback rows.
pub async fn run() {
    // A forged return claiming payment; the server-side read says `iniziata` (started), and
    // an undocumented `pagato` must not be read as paid either.
    let forged = format!("https://shop.example/jatapay/return?id={SUB}&stato=pagato&paid=true");
    let handle = Url::parse(&forged)
        .ok()
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "id")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    for (label, stato) in [
        ("server says iniziata", "iniziata"),
        ("server says an undocumented pagato", "pagato"),
    ] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(
            200,
            &format!(r#"{{"_id":"{SUB}","importo":2000,"stato":"{stato}"}}"#),
        ))])
        .await;
        let outcome = match token_client(&server.base_url()) {
            Ok(c) => c
                .subscriptions()
                .get(&SubscriptionId::new(handle.clone()))
                .await
                .map(|s| s.outcome()),
            Err(e) => Err(e),
        };
        reject_forged(
            &format!("jatapay W7 forged paid return, {label}"),
            outcome,
            PaymentOutcome::Pending,
        );
    }
    report::not_applicable(
        "jatapay",
        "notifications",
        "W1-W6, W8",
        "JataPay documents no notifications (no webhook, no signature)",
    );
}
