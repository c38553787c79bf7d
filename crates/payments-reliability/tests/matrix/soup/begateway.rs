//! beGateway's decoders: products (one, a list), transactions, the notification (verified with
//! Basic credentials), the return-URL parser, and the error envelope (through the client).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use begateway::{
    Language, Product, ProductId, ReturnParams, Transaction, TransactionStatus, TransactionType,
    WebhookVerifier,
};
use payments_reliability::canary::{SHOP_ID, SHOP_SECRET};
use payments_reliability::fixture;

use super::{forward, soup, soup_through_client, written_back};
use crate::faults::begateway::{PRODUCT, client, credentials, transaction};

fn inner_transaction() -> Vec<u8> {
    serde_json::from_str::<serde_json::Value>(&transaction("successful"))
        .ok()
        .and_then(|v| v.get("transaction").cloned())
        .and_then(|t| serde_json::to_vec(&t).ok())
        .unwrap_or_default()
}

/// Runs beGateway's S4 and S5 rows.
pub async fn run() {
    let products = vec![
        fixture("begateway", "products.get.response.200.json"),
        fixture("begateway", "products.create.response.201.json"),
    ];
    let list = fixture("begateway", "products.list.response.200.json");
    let tx = inner_transaction();
    soup("begateway Product", &products, |b| {
        let _ = serde_json::from_slice::<Product>(b);
    });
    soup("begateway Vec<Product>", std::slice::from_ref(&list), |b| {
        let _ = serde_json::from_slice::<Vec<Product>>(b);
    });
    soup("begateway Transaction", std::slice::from_ref(&tx), |b| {
        let _ = serde_json::from_slice::<Transaction>(b);
    });
    if let Ok(verifier) = WebhookVerifier::new(credentials()) {
        let auth = format!(
            "Basic {}",
            STANDARD.encode(format!("{SHOP_ID}:{SHOP_SECRET}"))
        );
        soup(
            "begateway WebhookVerifier::verify (Basic ok)",
            &[transaction("successful").into_bytes()],
            move |b| {
                let mut headers = begateway::HeaderMap::new();
                if let Ok(value) = auth.parse() {
                    headers.insert("authorization", value);
                }
                let _ = verifier.verify(&headers, b);
            },
        );
    }
    soup(
        "begateway ReturnParams::parse",
        &[b"order=42&uid=1-310b0da80b&status=successful&token=abc".to_vec()],
        |b| {
            let params = ReturnParams::parse(&String::from_utf8_lossy(b));
            let _ = (params.uid(), params.token());
        },
    );
    let errors = vec![fixture("begateway", "products.create.response.422.json")];
    soup_through_client(
        "begateway error envelope (via products.get)",
        422,
        &errors,
        32,
        |base| async move {
            match client(&base) {
                Ok(c) => format!("{:?}", c.products().get(&ProductId::new(PRODUCT)).await),
                Err(e) => format!("{e:?}"),
            }
        },
    )
    .await;

    for (i, seed) in products.iter().enumerate() {
        forward(
            &format!("begateway Product #{i}"),
            seed,
            &[("/language", "tlh"), ("/transaction_type", "instalment")],
            |b| {
                let p: Product = serde_json::from_slice(b).map_err(|e| e.to_string())?;
                Ok(matches!(&p.language, Language::Unknown(v) if v == "tlh")
                    && matches!(&p.transaction_type, TransactionType::Unknown(v) if v == "instalment")
                    && written_back(serde_json::to_value(&p), &["tlh", "instalment"]))
            },
        );
    }
    forward(
        "begateway Vec<Product>",
        &list,
        &[("/0/language", "tlh")],
        |b| {
            let p: Vec<Product> = serde_json::from_slice(b).map_err(|e| e.to_string())?;
            Ok(p.first()
                .is_some_and(|p| matches!(&p.language, Language::Unknown(v) if v == "tlh")))
        },
    );
    forward(
        "begateway Transaction",
        &tx,
        &[("/status", "chargeback"), ("/type", "instalment")],
        |b| {
            let t: Transaction = serde_json::from_slice(b).map_err(|e| e.to_string())?;
            Ok(
                matches!(&t.status, TransactionStatus::Unknown(v) if v == "chargeback")
                    && matches!(&t.kind, Some(TransactionType::Unknown(v)) if v == "instalment")
                    && written_back(serde_json::to_value(&t), &["chargeback", "instalment"]),
            )
        },
    );
}
