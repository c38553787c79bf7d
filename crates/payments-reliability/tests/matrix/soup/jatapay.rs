//! JataPay's decoders: the created subscription and payment, the subscription, the token, and
//! the error envelope (through the client).

use jatapay::{
    CreatedPayment, CreatedSubscription, Subscription, SubscriptionId, SubscriptionStatus, Token,
};
use payments_reliability::fixture;

use super::{forward, soup, soup_through_client, written_back};
use crate::faults::jatapay::token_client;

const PAYMENT: &[u8] = br#"{"id_pagamento":"65b278baa103dca4496d968f"}"#;

/// Runs JataPay's S4 and S5 rows.
pub async fn run() {
    let get = fixture("jatapay", "subscriptions.get.response.json");
    let created = fixture("jatapay", "subscriptions.create.response.json");
    let token = fixture("jatapay", "token.create.response.json");
    soup("jatapay Subscription", std::slice::from_ref(&get), |b| {
        let _ = serde_json::from_slice::<Subscription>(b);
    });
    soup(
        "jatapay CreatedSubscription",
        std::slice::from_ref(&created),
        |b| {
            let _ = serde_json::from_slice::<CreatedSubscription>(b);
        },
    );
    soup("jatapay CreatedPayment", &[PAYMENT.to_vec()], |b| {
        let _ = serde_json::from_slice::<CreatedPayment>(b);
    });
    soup("jatapay Token", std::slice::from_ref(&token), |b| {
        let _ = serde_json::from_slice::<Token>(b);
    });
    let errors = vec![
        br#"{"msg":"Token has expired"}"#.to_vec(),
        br#"{"message":"importo mancante"}"#.to_vec(),
    ];
    soup_through_client(
        "jatapay error envelope (via subscriptions.get)",
        400,
        &errors,
        32,
        |base| async move {
            match token_client(&base) {
                Ok(c) => format!(
                    "{:?}",
                    c.subscriptions()
                        .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
                        .await
                ),
                Err(e) => format!("{e:?}"),
            }
        },
    )
    .await;

    forward(
        "jatapay Subscription",
        &get,
        &[("/stato", "stato_futuro_x")],
        |b| {
            let s: Subscription = serde_json::from_slice(b).map_err(|e| e.to_string())?;
            let kept = matches!(&s.status, SubscriptionStatus::Unknown(v) if v == "stato_futuro_x");
            let back = serde_json::to_value(&s);
            if kept && written_back(serde_json::to_value(&s), &["stato_futuro_x"]) {
                Ok(true)
            } else {
                Err(format!("status {:?}, written back as {back:?}", s.status))
            }
        },
    );
    forward("jatapay CreatedSubscription", &created, &[], |b| {
        serde_json::from_slice::<CreatedSubscription>(b)
            .map(|_| true)
            .map_err(|e| e.to_string())
    });
    forward("jatapay CreatedPayment", PAYMENT, &[], |b| {
        serde_json::from_slice::<CreatedPayment>(b)
            .map(|_| true)
            .map_err(|e| e.to_string())
    });
    forward("jatapay Token", &token, &[], |b| {
        serde_json::from_slice::<Token>(b)
            .map(|_| true)
            .map_err(|e| e.to_string())
    });
}
