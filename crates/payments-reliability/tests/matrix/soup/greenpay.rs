//! GreenPay's decoders: every response model (the `result` of each answer, or the whole body
//! for the created subscription), the cadence, both notifications, the signature verifier and
//! its key parser, and — through the client, as the envelope decoder is private — GreenPay's
//! envelope on every operation (SUCCESS and FAIL bodies, and S5 with the envelope's own extra
//! fields and unseen values). The answers without that envelope (issue 16: order sessions, the
//! card token, the token payment) go into their models, into the decoder the client runs on them
//! (`greenpay::__bench::decode_plain`, one pass on a success) at a success and an error status,
//! and through the client (`orders().create`, `orders().pay_with_token`).

use greenpay::cards::TokenizedCard;
use greenpay::orders::{CreateOrder, OrderSession, TokenPayment, TokenPaymentResult};
use greenpay::subscriptions::{
    Cadence, CadenceUnit, CancelSubscription, CreatedSubscription, ListPayments, ListSubscriptions,
    ManualPayment, ManualPaymentResult, PaymentPage, PaymentStatus, SubscriptionPage,
    SubscriptionRecord, SubscriptionStatus, UpdateAmount, UpdateCardToken,
};
use greenpay::webhook::{
    CheckoutResult, SubscriptionPaymentNotification, WebhookVerifier, parse_checkout,
    parse_subscription_payment,
};
use greenpay::{CardToken, Currency, Money, SubscriptionId};
use payments_common::http::Response;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{StatusCode, Url};
use payments_reliability::{canary, fixture, report};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::Value;

use super::{add_extra_fields, forward, soup, soup_through_client, written_back};
use crate::faults::greenpay::{SUB, create, sdk_client};

/// The `result` of a documented answer, as bytes.
fn result_of(file: &str) -> Vec<u8> {
    serde_json::from_slice::<Value>(&fixture("greenpay", file))
        .ok()
        .and_then(|v| v.get("result").cloned())
        .and_then(|r| serde_json::to_vec(&r).ok())
        .unwrap_or_default()
}

fn id() -> SubscriptionId {
    SubscriptionId::new(SUB)
}

fn usd(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::USD)
}

/// GreenPay's documented FAIL bodies, as seeds for the plain decoder.
fn fails_for_plain() -> Vec<Vec<u8>> {
    vec![
        fixture("greenpay", "subscriptions.pay.response.not-payable.json"),
        fixture(
            "greenpay",
            "subscriptions.pay.response.merchant-not-found.json",
        ),
    ]
}

/// Which operation a through-client case calls.
#[derive(Debug, Clone, Copy)]
enum Op {
    Create,
    Pay,
    Cancel,
    UpdateAmount,
    UpdateCardToken,
    List,
    ListPayments,
}

/// Calls `op` on a client of `base`; the answer rendered with `Debug`, and the decoded value
/// serialized back (for S5), when there is one.
async fn call(op: Op, base: Url) -> (String, Option<Result<Value, serde_json::Error>>) {
    let c = match sdk_client(&base) {
        Ok(c) => c,
        Err(e) => return (format!("{e:?}"), None),
    };
    let s = c.subscriptions();
    macro_rules! done {
        ($call:expr $(,)?) => {{
            let r = $call;
            (format!("{r:?}"), r.ok().map(|v| serde_json::to_value(&v)))
        }};
    }
    match op {
        Op::Create => done!(s.create(&create()).await),
        Op::Pay => done!(s.pay(&ManualPayment::new(id())).await),
        Op::Cancel => done!(
            s.cancel(&CancelSubscription::new(
                id(),
                "user-42",
                "customer request"
            ))
            .await,
        ),
        Op::UpdateAmount => done!(
            s.update_amount(&UpdateAmount::new(id(), "user-42", usd(1200)))
                .await,
        ),
        Op::UpdateCardToken => done!(
            s.update_card_token(&UpdateCardToken::new(
                id(),
                "user-42",
                CardToken::new("tok-2"),
            ))
            .await,
        ),
        Op::List => done!(s.list(&ListSubscriptions::new(1, 10)).await),
        Op::ListPayments => done!(s.list_payments(&ListPayments::new(id(), 1, 10)).await),
    }
}

/// S5 through the client: the whole documented answer with extra fields in every object (the
/// envelope's included) and `enums` set, served by the fault server; the decoded value must
/// write back every one of `kept`.
async fn forward_through_client(op: Op, file: &str, enums: &[(&str, &str)], kept: &[&str]) {
    let label = format!("greenpay {op:?} through the client ({file})");
    let Ok(mut value) = serde_json::from_slice::<Value>(&fixture("greenpay", file)) else {
        report::forward_compat(&label, false, "the fixture is not JSON");
        return;
    };
    add_extra_fields(&mut value);
    for (pointer, new) in enums {
        match value.pointer_mut(pointer) {
            Some(slot) => *slot = Value::String((*new).to_owned()),
            None => {
                report::forward_compat(&label, false, &format!("no {pointer} in the fixture"));
                return;
            }
        }
    }
    let server =
        FaultServer::start(vec![Fault::Respond(Reply::json(200, &value.to_string()))]).await;
    let base = server.base_url();
    match payments_reliability::run_case(&label, payments_reliability::DEADLINE, call(op, base))
        .await
    {
        payments_reliability::CaseEnd::Done((text, back)) => {
            canary::scan(&label, &text);
            match back {
                Some(back) => report::forward_compat(
                    &label,
                    written_back(back, kept),
                    &format!("decoded, but a value was not kept: {text}"),
                ),
                None => report::forward_compat(&label, false, &text),
            }
        }
        other => report::forward_compat(&label, false, &format!("{other:?}")),
    }
}

/// Runs GreenPay's S4 and S5 rows.
pub async fn run() {
    let created = vec![
        fixture("greenpay", "subscriptions.create.response.json"),
        fixture(
            "greenpay",
            "subscriptions.create.response.no-initial-payment.json",
        ),
    ];
    let paid = result_of("subscriptions.pay.response.approved.json");
    let records: Vec<Vec<u8>> = [
        "subscriptions.cancel.response.json",
        "subscriptions.update_amount.response.json",
        "subscriptions.update_card_token.response.json",
    ]
    .iter()
    .map(|f| result_of(f))
    .collect();
    let list = result_of("subscriptions.list.response.json");
    let payments = result_of("subscriptions.list_payments.response.json");
    let checkout = fixture("greenpay", "webhooks.checkout.notification.json");
    let charges = fixture(
        "greenpay",
        "webhooks.subscription_payment.notification.json",
    );
    let cadences = vec![
        br#""EVERY 15 DAY""#.to_vec(),
        br#"{"day":15,"mode":"EVERY","unit":"MONTH","every":1}"#.to_vec(),
    ];

    // S4, straight into the public decoders.
    soup("greenpay CreatedSubscription", &created, |b| {
        let _ = serde_json::from_slice::<CreatedSubscription>(b);
    });
    soup(
        "greenpay ManualPaymentResult",
        std::slice::from_ref(&paid),
        |b| {
            let _ = serde_json::from_slice::<ManualPaymentResult>(b);
        },
    );
    soup("greenpay SubscriptionRecord", &records, |b| {
        let _ = serde_json::from_slice::<SubscriptionRecord>(b);
    });
    soup(
        "greenpay SubscriptionPage",
        std::slice::from_ref(&list),
        |b| {
            let _ = serde_json::from_slice::<SubscriptionPage>(b);
        },
    );
    soup(
        "greenpay PaymentPage",
        std::slice::from_ref(&payments),
        |b| {
            let _ = serde_json::from_slice::<PaymentPage>(b);
        },
    );
    soup("greenpay Cadence", &cadences, |b| {
        let _ = serde_json::from_slice::<Cadence>(b);
    });
    soup(
        "greenpay webhook::parse_checkout",
        std::slice::from_ref(&checkout),
        |b| {
            if let Ok(r) = parse_checkout(b) {
                let _ = (r.outcome(), r.signed_fields());
            }
        },
    );
    soup(
        "greenpay webhook::parse_subscription_payment",
        std::slice::from_ref(&charges),
        |b| {
            if let Ok(n) = parse_subscription_payment(b) {
                for c in n.approved.iter().chain(&n.rejected) {
                    let _ = (c.outcome(), c.signed_fields());
                }
            }
        },
    );
    let pem = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024)
        .ok()
        .and_then(|k| k.to_public_key().to_public_key_pem(LineEnding::LF).ok())
        .unwrap_or_default();
    let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    soup(
        "greenpay WebhookVerifier::new (key text)",
        &[pem.clone().into_bytes(), der.clone().into_bytes()],
        |b| {
            let _ = WebhookVerifier::new(&String::from_utf8_lossy(b));
        },
    );
    if let Ok(verifier) = WebhookVerifier::new(&der) {
        soup(
            "greenpay WebhookVerifier::verify (raw body; and parsed checkout, its _signature)",
            std::slice::from_ref(&checkout),
            move |b| {
                let _ = verifier.verify(&greenpay::HeaderMap::new(), b);
                if let Ok(r) = parse_checkout(b) {
                    let _ = verifier.verify_fields(
                        &r.signed_fields(),
                        r.signature.as_deref().unwrap_or_default(),
                    );
                }
                let _ = verifier.verify_fields(&[("status", "200")], &String::from_utf8_lossy(b));
            },
        );
    }

    // S4: the answers without GreenPay's envelope, into their models and the plain decoder.
    let sessions = vec![
        fixture("greenpay", "orders.create.response.json"),
        fixture("greenpay", "orders.create_v2.response.json"),
        fixture("greenpay", "cards.session.response.json"),
    ];
    let tokenized = fixture("greenpay", "cards.tokenize.response.json");
    let token_paid = fixture("greenpay", "orders.pay_with_token.response.json");
    soup("greenpay OrderSession", &sessions, |b| {
        let _ = serde_json::from_slice::<OrderSession>(b);
    });
    soup(
        "greenpay TokenizedCard",
        std::slice::from_ref(&tokenized),
        |b| {
            let _ = serde_json::from_slice::<TokenizedCard>(b);
        },
    );
    soup(
        "greenpay TokenPaymentResult",
        std::slice::from_ref(&token_paid),
        |b| {
            if let Ok(r) = serde_json::from_slice::<TokenPaymentResult>(b) {
                let _ = r.outcome();
            }
        },
    );
    let mut plain_seeds = sessions.clone();
    plain_seeds.extend([tokenized.clone(), token_paid.clone()]);
    plain_seeds.push(fixture(
        "greenpay",
        "subscriptions.pay.response.not-payable.json",
    ));
    soup(
        "greenpay plain decoder (session, card token, token payment; HTTP 200 and 400)",
        &plain_seeds,
        |b| {
            for status in [StatusCode::OK, StatusCode::BAD_REQUEST] {
                let r = Response::for_tests(status, "application/json", b);
                let _ = greenpay::__bench::decode_plain::<OrderSession>(&r);
                let _ = greenpay::__bench::decode_plain::<TokenizedCard>(&r);
                let _ = greenpay::__bench::decode_plain::<TokenPaymentResult>(&r);
            }
        },
    );
    let mut order_seeds = sessions.clone();
    order_seeds.extend(fails_for_plain());
    soup_through_client(
        "greenpay plain decoder (via orders.create)",
        200,
        &order_seeds,
        32,
        |base| async move {
            match sdk_client(&base) {
                Ok(c) => format!(
                    "{:?}",
                    c.orders()
                        .create(&CreateOrder::new(usd(1450), "Parking ticket", "order-1"))
                        .await
                ),
                Err(e) => format!("{e:?}"),
            }
        },
    )
    .await;
    let mut payment_seeds = vec![token_paid.clone()];
    payment_seeds.extend(fails_for_plain());
    soup_through_client(
        "greenpay plain decoder (via orders.pay_with_token)",
        200,
        &payment_seeds,
        32,
        |base| async move {
            let payment =
                TokenPayment::new(usd(2000), "Order 7", "order-7", CardToken::new("tok-1"));
            match sdk_client(&base) {
                Ok(c) => format!("{:?}", c.orders().pay_with_token(&payment).await),
                Err(e) => format!("{e:?}"),
            }
        },
    )
    .await;

    // S4 through the client: the envelope decoder on a read, a write, and FAIL bodies.
    let fails = vec![
        fixture("greenpay", "subscriptions.pay.response.not-payable.json"),
        fixture(
            "greenpay",
            "subscriptions.pay.response.merchant-not-found.json",
        ),
    ];
    let mut read_seeds = vec![fixture(
        "greenpay",
        "subscriptions.list_payments.response.json",
    )];
    read_seeds.extend(fails.iter().cloned());
    soup_through_client(
        "greenpay envelope (via subscriptions.list_payments)",
        200,
        &read_seeds,
        32,
        |base| async move { call(Op::ListPayments, base).await.0 },
    )
    .await;
    let mut write_seeds = vec![fixture(
        "greenpay",
        "subscriptions.pay.response.approved.json",
    )];
    write_seeds.extend(fails.iter().cloned());
    soup_through_client(
        "greenpay envelope (via subscriptions.pay)",
        200,
        &write_seeds,
        32,
        |base| async move { call(Op::Pay, base).await.0 },
    )
    .await;
    soup_through_client(
        "greenpay FAIL envelope at HTTP 500 (via subscriptions.cancel)",
        500,
        &fails,
        32,
        |base| async move { call(Op::Cancel, base).await.0 },
    )
    .await;

    // S5: the answers without the envelope, with fields no fixture has, still decode.
    for (i, seed) in sessions.iter().enumerate() {
        forward(&format!("greenpay OrderSession #{i}"), seed, &[], |b| {
            serde_json::from_slice::<OrderSession>(b)
                .map(|s| !s.session.is_empty() && !s.token.expose().is_empty())
                .map_err(|e| e.to_string())
        });
    }
    forward("greenpay TokenizedCard", &tokenized, &[], |b| {
        serde_json::from_slice::<TokenizedCard>(b)
            .map(|t| t.token.as_str() == "f4a3e2d1-c0b9-4a87-9654-3210fedcba98")
            .map_err(|e| e.to_string())
    });
    forward("greenpay TokenPaymentResult", &token_paid, &[], |b| {
        serde_json::from_slice::<TokenPaymentResult>(b)
            .map(|r| r.outcome() == greenpay::PaymentOutcome::Paid)
            .map_err(|e| e.to_string())
    });

    // S5, straight into the public decoders.
    for (i, seed) in created.iter().enumerate() {
        forward(
            &format!("greenpay CreatedSubscription #{i}"),
            seed,
            &[],
            |b| {
                serde_json::from_slice::<CreatedSubscription>(b)
                    .map(|_| true)
                    .map_err(|e| e.to_string())
            },
        );
    }
    forward(
        "greenpay ManualPaymentResult",
        &paid,
        &[("/status", "refunded"), ("/orderStatus", "PAUSED")],
        |b| {
            let r: ManualPaymentResult = serde_json::from_slice(b).map_err(|e| e.to_string())?;
            Ok(
                matches!(&r.status, PaymentStatus::Unknown(v) if v == "refunded")
                    && matches!(&r.order_status, SubscriptionStatus::Unknown(v) if v == "PAUSED")
                    && written_back(serde_json::to_value(&r), &["refunded", "PAUSED"]),
            )
        },
    );
    for (i, seed) in records.iter().enumerate() {
        forward(
            &format!("greenpay SubscriptionRecord #{i}"),
            seed,
            &[
                ("/status", "ARCHIVED"),
                ("/purchase_order/subscription/0/cadence/unit", "WEEK"),
            ],
            |b| {
                let r: SubscriptionRecord = serde_json::from_slice(b).map_err(|e| e.to_string())?;
                let unit = r
                    .purchase_order
                    .as_ref()
                    .and_then(|p| p.subscription.first())
                    .and_then(|c| c.cadence.as_ref())
                    .map(|c| c.unit.clone());
                Ok(
                    matches!(&r.status, SubscriptionStatus::Unknown(v) if v == "ARCHIVED")
                        && matches!(&unit, Some(CadenceUnit::Unknown(v)) if v == "WEEK")
                        && written_back(serde_json::to_value(&r), &["ARCHIVED", "WEEK"]),
                )
            },
        );
    }
    forward(
        "greenpay SubscriptionPage",
        &list,
        &[
            ("/entries/0/status", "PAUSED"),
            ("/entries/1/cadence", "EVERY 2 WEEK"),
        ],
        |b| {
            let p: SubscriptionPage = serde_json::from_slice(b).map_err(|e| e.to_string())?;
            let unit = p
                .entries
                .get(1)
                .and_then(|s| s.cadence.as_ref())
                .map(|c| c.unit.clone());
            Ok(p.entries.first().is_some_and(
                |s| matches!(&s.status, SubscriptionStatus::Unknown(v) if v == "PAUSED"),
            ) && matches!(&unit, Some(CadenceUnit::Unknown(v)) if v == "WEEK")
                && written_back(serde_json::to_value(&p), &["PAUSED", "WEEK"]))
        },
    );
    forward("greenpay PaymentPage", &payments, &[], |b| {
        serde_json::from_slice::<PaymentPage>(b)
            .map(|p| !p.entries.is_empty())
            .map_err(|e| e.to_string())
    });
    forward("greenpay CheckoutResult", &checkout, &[], |b| {
        parse_checkout(b)
            .map(|r: CheckoutResult| r.result.is_some() && r.order_id.is_some())
            .map_err(|e| e.to_string())
    });
    forward(
        "greenpay SubscriptionPaymentNotification",
        &charges,
        &[
            ("/approved/0/status", "chargeback"),
            ("/approved/0/orderStatus", "PAUSED"),
        ],
        |b| {
            let n: SubscriptionPaymentNotification =
                parse_subscription_payment(b).map_err(|e| e.to_string())?;
            Ok(n.approved.first().is_some_and(|c| {
                matches!(&c.status, PaymentStatus::Unknown(v) if v == "chargeback")
                    && matches!(&c.order_status, Some(SubscriptionStatus::Unknown(v)) if v == "PAUSED")
            }) && written_back(serde_json::to_value(&n), &["chargeback", "PAUSED"]))
        },
    );

    // S5 through the client: the envelope with extra fields, on every operation.
    forward_through_client(
        Op::Create,
        "subscriptions.create.response.json",
        &[],
        &[SUB],
    )
    .await;
    forward_through_client(
        Op::Create,
        "subscriptions.create.response.no-initial-payment.json",
        &[],
        &[SUB],
    )
    .await;
    forward_through_client(
        Op::Pay,
        "subscriptions.pay.response.approved.json",
        &[
            ("/result/status", "refunded"),
            ("/result/orderStatus", "PAUSED"),
        ],
        &["refunded", "PAUSED"],
    )
    .await;
    for (op, file) in [
        (Op::Cancel, "subscriptions.cancel.response.json"),
        (
            Op::UpdateAmount,
            "subscriptions.update_amount.response.json",
        ),
        (
            Op::UpdateCardToken,
            "subscriptions.update_card_token.response.json",
        ),
    ] {
        forward_through_client(op, file, &[("/result/status", "ARCHIVED")], &["ARCHIVED"]).await;
    }
    forward_through_client(
        Op::List,
        "subscriptions.list.response.json",
        &[("/result/entries/0/status", "PAUSED")],
        &["PAUSED"],
    )
    .await;
    forward_through_client(
        Op::ListPayments,
        "subscriptions.list_payments.response.json",
        &[],
        &["9541b344c3d45d421acd454d61251cde_1"],
    )
    .await;
}
