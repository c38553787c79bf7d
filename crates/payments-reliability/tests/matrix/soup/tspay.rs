//! TS Pay's decoders: the created link, the charges of an order (every documented shape), the
//! notification (parse, and verify-then-parse), and the error envelope (through the client).

use payments_common::{HeaderMap, signature};
use payments_reliability::canary::WEBHOOK_SECRET;
use payments_reliability::fixture;
use tspay::{
    ChargeState, EventEntity, LinkCreated, Notification, OrderCharges, OrderKey, PathStyle,
    SIGNATURE_HEADER, SourceType, WebhookVerifier,
};

use super::{forward, soup, soup_through_client, written_back};
use crate::faults::tspay::{ORDER_KEY, client};

/// Runs TS Pay's S4 and S5 rows.
pub async fn run() {
    let links = vec![
        fixture("tspay", "link2pay.response.json"),
        fixture("tspay", "link2save.response.json"),
    ];
    let charges: Vec<Vec<u8>> = ["array", "data", "empty", "single", "wrapped"]
        .iter()
        .map(|shape| fixture("tspay", &format!("charges.response.{shape}.json")))
        .collect();
    let notifications = vec![
        fixture("tspay", "webhook.request.charge-active.json"),
        fixture("tspay", "webhook.request.state-in-event.json"),
    ];
    soup("tspay LinkCreated", &links, |b| {
        let _ = serde_json::from_slice::<LinkCreated>(b);
    });
    soup("tspay OrderCharges", &charges, |b| {
        let _ = serde_json::from_slice::<OrderCharges>(b);
    });
    soup("tspay Notification::parse", &notifications, |b| {
        let _ = Notification::parse(b);
    });
    if let Ok(verifier) = WebhookVerifier::new(WEBHOOK_SECRET) {
        soup(
            "tspay WebhookVerifier::verify (signed)",
            &notifications,
            move |b| {
                let tag = signature::to_hex(&signature::hmac_sha256(WEBHOOK_SECRET.as_bytes(), b));
                let mut headers = HeaderMap::new();
                if let Ok(value) = tag.parse() {
                    headers.insert(SIGNATURE_HEADER, value);
                }
                let _ = verifier.verify(&headers, b);
            },
        );
    }
    let errors: Vec<Vec<u8>> = ["400-messages", "400", "401", "404"]
        .iter()
        .map(|c| fixture("tspay", &format!("error.response.{c}.json")))
        .collect();
    soup_through_client(
        "tspay error envelope (via charges.of_order)",
        400,
        &errors,
        32,
        |base| async move {
            match client(&base, PathStyle::Direct) {
                Ok(c) => format!(
                    "{:?}",
                    c.charges().of_order(&OrderKey::new(ORDER_KEY)).await
                ),
                Err(e) => format!("{e:?}"),
            }
        },
    )
    .await;

    for (i, seed) in links.iter().enumerate() {
        forward(&format!("tspay LinkCreated #{i}"), seed, &[], |b| {
            serde_json::from_slice::<LinkCreated>(b)
                .map(|_| true)
                .map_err(|e| e.to_string())
        });
    }
    if let Some(array) = charges.first() {
        forward(
            "tspay OrderCharges (charges.response.array.json)",
            array,
            &[
                ("/0/state", "disputed"),
                ("/0/payMethod/type", "crypto_wallet"),
            ],
            |b| {
                let o: OrderCharges = serde_json::from_slice(b).map_err(|e| e.to_string())?;
                let Some(c) = o.charges.first() else {
                    return Ok(false);
                };
                let kind = c.pay_method.as_ref().and_then(|p| p.kind.clone());
                Ok(
                    matches!(&c.state, ChargeState::Unknown(v) if v == "disputed")
                        && matches!(&kind, Some(SourceType::Unknown(v)) if v == "crypto_wallet")
                        && written_back(serde_json::to_value(&o), &["disputed", "crypto_wallet"]),
                )
            },
        );
    }
    for (i, seed) in charges.iter().enumerate().skip(1) {
        forward(&format!("tspay OrderCharges shape #{i}"), seed, &[], |b| {
            serde_json::from_slice::<OrderCharges>(b)
                .map(|_| true)
                .map_err(|e| e.to_string())
        });
    }
    if let Some(active) = notifications.first() {
        forward(
            "tspay Notification (webhook.request.charge-active.json)",
            active,
            &[
                ("/event/entity", "tspay_refund"),
                ("/event/state", "disputed"),
                ("/payload/state", "disputed"),
            ],
            |b| {
                let n = Notification::parse(b).map_err(|e| e.to_string())?;
                Ok(
                    matches!(&n.event.entity, EventEntity::Unknown(v) if v == "tspay_refund")
                        && matches!(&n.payload.state, ChargeState::Unknown(v) if v == "disputed")
                        && written_back(serde_json::to_value(&n), &["tspay_refund", "disputed"]),
                )
            },
        );
    }
}
