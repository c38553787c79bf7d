//! The bodies every arm decodes: the documented fixtures, byte for byte, and the generated
//! beGateway list the bare stack was first measured on (see `docs/benchmarks.md`).

/// Includes `fixtures/<provider>/<file>` from the repository root.
macro_rules! fixture {
    ($provider:literal, $file:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/",
            $provider,
            "/",
            $file
        ))
        .as_slice()
    };
}

/// beGateway `products.get.response.200.json`.
pub const BEGATEWAY_PRODUCT_GET: &[u8] = fixture!("begateway", "products.get.response.200.json");
/// beGateway `products.create.response.201.json`.
pub const BEGATEWAY_PRODUCT_CREATE: &[u8] =
    fixture!("begateway", "products.create.response.201.json");
/// beGateway `products.list.response.200.json` (three products).
pub const BEGATEWAY_PRODUCT_LIST: &[u8] = fixture!("begateway", "products.list.response.200.json");
/// beGateway `products.create.response.422.json` (an error body).
pub const BEGATEWAY_PRODUCT_422: &[u8] = fixture!("begateway", "products.create.response.422.json");
/// beGateway `card.payment.response.json` (`{"transaction": …}`).
pub const BEGATEWAY_CARD_PAYMENT: &[u8] = fixture!("begateway", "card.payment.response.json");
/// beGateway `card.authorization.response.json`.
pub const BEGATEWAY_CARD_AUTHORIZATION: &[u8] =
    fixture!("begateway", "card.authorization.response.json");
/// beGateway `card.refund.response.json`.
pub const BEGATEWAY_CARD_REFUND: &[u8] = fixture!("begateway", "card.refund.response.json");
/// beGateway `checkouts.get.response.json` (`{"checkout": …}`).
pub const BEGATEWAY_CHECKOUT_GET: &[u8] = fixture!("begateway", "checkouts.get.response.json");
/// beGateway `card_tokens.create.response.json` (a bare card).
pub const BEGATEWAY_CARD_TOKEN: &[u8] = fixture!("begateway", "card_tokens.create.response.json");
/// beGateway `products.create.request.infinite.json`.
pub const BEGATEWAY_CREATE_INFINITE: &[u8] =
    fixture!("begateway", "products.create.request.infinite.json");
/// beGateway `products.create.request.limited.json`.
pub const BEGATEWAY_CREATE_LIMITED: &[u8] =
    fixture!("begateway", "products.create.request.limited.json");
/// beGateway `products.update.request.json`.
pub const BEGATEWAY_UPDATE: &[u8] = fixture!("begateway", "products.update.request.json");
/// beGateway `plans.create.response.json` (reconstructed: fixtures/begateway/README.md).
pub const BEGATEWAY_PLAN: &[u8] = fixture!("begateway", "plans.create.response.json");
/// beGateway `subscriptions.get.response.json` (reconstructed).
pub const BEGATEWAY_SUBSCRIPTION: &[u8] = fixture!("begateway", "subscriptions.get.response.json");
/// A checkout create answer with its `redirect_url` (the documented shape, `{"checkout":
/// {"token", "redirect_url"}}`; the Ruby SDK's token; the crate needs the URL, which the Ruby
/// SDK's own answer fixture leaves out).
pub const BEGATEWAY_CHECKOUT_CREATED: &[u8] = br#"{"checkout":{"token":"3241e439f8c87d941d92621a4bdc030d4c9a69c67f3b0cfe12de4a13cc34aa51","redirect_url":"https://checkout.begateway.com/v2/checkout?token=3241e439f8c87d941d92621a4bdc030d4c9a69c67f3b0cfe12de4a13cc34aa51"}}"#;
/// The Ruby SDK's charge (`card.payment.request.json`, also sent to authorizations and
/// tokenizations) as the crate sends it: without the `language`, `billing_address` and
/// `customer` sections it does not model, with `test`, and `exp_year` as an integer
/// (fixtures/begateway/README.md).
pub const BEGATEWAY_CHARGE_SENT: &[u8] = br#"{"request":{"amount":100,"currency":"USD","description":"Test transaction","tracking_id":"your_uniq_number","test":false,"credit_card":{"number":"4200000000000000","verification_value":"123","holder":"John Doe","exp_month":"05","exp_year":2020}}}"#;
/// beGateway `card.capture.request.json` (the void's body is the same).
pub const BEGATEWAY_CAPTURE_REQUEST: &[u8] = fixture!("begateway", "card.capture.request.json");
/// beGateway `card.refund.request.json`.
pub const BEGATEWAY_REFUND_REQUEST: &[u8] = fixture!("begateway", "card.refund.request.json");
/// beGateway `card.credit.request.json`.
pub const BEGATEWAY_CREDIT_REQUEST: &[u8] = fixture!("begateway", "card.credit.request.json");
/// The Ruby SDK's checkout (`checkouts.create.request.json`) as the crate sends it: without
/// `version` (sent as the `X-API-Version` header), with `test` and `order.tracking_id`, and
/// its notification URL in https (fixtures/begateway/README.md).
pub const BEGATEWAY_CHECKOUT_SENT: &[u8] = br#"{"checkout":{"transaction_type":"payment","test":false,"order":{"amount":4299,"currency":"GBP","description":"Order description","tracking_id":"order-4299"},"settings":{"language":"en","notification_url":"https://your_shop.com/notification","success_url":"http://127.0.0.1:4567/success","decline_url":"http://127.0.0.1:4567/decline","fail_url":"http://127.0.0.1:4567/fail","cancel_url":"http://127.0.0.1:4567/cancel","customer_fields":{"read_only":["email"],"hidden":["phone"]}},"customer":{"email":"jake@example.com","country":"GB","city":"London","address":"Baker street 221b"}}}"#;
/// beGateway `plans.create.request.json` (reconstructed).
pub const BEGATEWAY_PLAN_REQUEST: &[u8] = fixture!("begateway", "plans.create.request.json");
/// beGateway `subscriptions.create.request.json` (reconstructed).
pub const BEGATEWAY_SUBSCRIPTION_REQUEST: &[u8] =
    fixture!("begateway", "subscriptions.create.request.json");
/// A card-token create as the crate sends it (number, holder, two-digit month, year; the
/// request fields are inferred: docs/providers/begateway.md).
pub const BEGATEWAY_CARD_TOKEN_REQUEST: &[u8] = br#"{"request":{"number":"4200000000000000","holder":"John Doe","exp_month":"05","exp_year":2030}}"#;

/// TS Pay `charges.response.array.json`.
pub const TSPAY_CHARGES_ARRAY: &[u8] = fixture!("tspay", "charges.response.array.json");
/// TS Pay `charges.response.data.json`.
pub const TSPAY_CHARGES_DATA: &[u8] = fixture!("tspay", "charges.response.data.json");
/// TS Pay `charges.response.empty.json`.
pub const TSPAY_CHARGES_EMPTY: &[u8] = fixture!("tspay", "charges.response.empty.json");
/// TS Pay `charges.response.single.json`.
pub const TSPAY_CHARGES_SINGLE: &[u8] = fixture!("tspay", "charges.response.single.json");
/// TS Pay `charges.response.wrapped.json`.
pub const TSPAY_CHARGES_WRAPPED: &[u8] = fixture!("tspay", "charges.response.wrapped.json");
/// TS Pay `link2pay.response.json`.
pub const TSPAY_LINK2PAY_RESPONSE: &[u8] = fixture!("tspay", "link2pay.response.json");
/// TS Pay `link2save.response.json`.
pub const TSPAY_LINK2SAVE_RESPONSE: &[u8] = fixture!("tspay", "link2save.response.json");
/// TS Pay `error.response.400.json` (an error body).
pub const TSPAY_ERROR_400: &[u8] = fixture!("tspay", "error.response.400.json");
/// TS Pay `error.response.400-messages.json` (an error body with a list of messages).
pub const TSPAY_ERROR_400_MESSAGES: &[u8] = fixture!("tspay", "error.response.400-messages.json");
/// TS Pay `link2pay.request.json`.
pub const TSPAY_LINK2PAY_REQUEST: &[u8] = fixture!("tspay", "link2pay.request.json");
/// TS Pay `link2pay.request.integration.json`.
pub const TSPAY_LINK2PAY_REQUEST_INTEGRATION: &[u8] =
    fixture!("tspay", "link2pay.request.integration.json");
/// TS Pay `link2save.request.json`.
pub const TSPAY_LINK2SAVE_REQUEST: &[u8] = fixture!("tspay", "link2save.request.json");
/// TS Pay's answer to an API-key request (`POST /auth/api-key`).
pub const TSPAY_API_KEY_RESPONSE: &[u8] = fixture!("tspay", "api-key.response.json");
/// TS Pay's key check (`GET /auth/`).
pub const TSPAY_AUTH_RESPONSE: &[u8] = fixture!("tspay", "auth.response.json");
/// TS Pay's answer to a webhook registration (`POST /notification/webhook`).
pub const TSPAY_WEBHOOK_REGISTRATION_RESPONSE: &[u8] =
    fixture!("tspay", "webhook-registration.response.json");
/// A TS Pay webhook registration (`POST /notification/webhook`).
pub const TSPAY_WEBHOOK_REGISTRATION_REQUEST: &[u8] =
    fixture!("tspay", "webhook-registration.request.json");

/// JataPay `subscriptions.get.response.json`.
pub const JATAPAY_SUBSCRIPTION_GET: &[u8] = fixture!("jatapay", "subscriptions.get.response.json");
/// JataPay `subscriptions.create.response.json`.
pub const JATAPAY_SUBSCRIPTION_CREATE: &[u8] =
    fixture!("jatapay", "subscriptions.create.response.json");
/// JataPay `token.create.response.json`.
pub const JATAPAY_TOKEN: &[u8] = fixture!("jatapay", "token.create.response.json");
/// JataPay `subscriptions.create.request.json`.
pub const JATAPAY_SUBSCRIPTION_CREATE_REQUEST: &[u8] =
    fixture!("jatapay", "subscriptions.create.request.json");
/// JataPay `token.create.request.json`.
pub const JATAPAY_TOKEN_REQUEST: &[u8] = fixture!("jatapay", "token.create.request.json");

/// GreenPay `subscriptions.pay.response.approved.json`.
pub const GREENPAY_PAY_APPROVED: &[u8] =
    fixture!("greenpay", "subscriptions.pay.response.approved.json");

/// GreenPay `subscriptions.pay.response.not-payable.json` (a FAIL envelope).
pub const GREENPAY_PAY_NOT_PAYABLE: &[u8] =
    fixture!("greenpay", "subscriptions.pay.response.not-payable.json");

/// GreenPay `orders.create.response.json` (`session`, `token`).
pub const GREENPAY_ORDER_CREATE: &[u8] = fixture!("greenpay", "orders.create.response.json");
/// GreenPay `orders.create_v2.response.json`.
pub const GREENPAY_ORDER_CREATE_V2: &[u8] = fixture!("greenpay", "orders.create_v2.response.json");
/// GreenPay `cards.tokenize.response.json` (the card token answer).
pub const GREENPAY_CARD_TOKENIZED: &[u8] = fixture!("greenpay", "cards.tokenize.response.json");
/// GreenPay `orders.pay_with_token.response.json`.
pub const GREENPAY_TOKEN_PAYMENT: &[u8] =
    fixture!("greenpay", "orders.pay_with_token.response.json");
/// GreenPay `webhooks.checkout.notification.json`.
pub const GREENPAY_CHECKOUT_NOTIFICATION: &[u8] =
    fixture!("greenpay", "webhooks.checkout.notification.json");
/// GreenPay `orders.create.request.json` (the body of `create` and `create_v2`).
pub const GREENPAY_ORDER_REQUEST: &[u8] = fixture!("greenpay", "orders.create.request.json");
/// GreenPay `orders.pay_with_token.request.json`.
pub const GREENPAY_TOKEN_PAYMENT_REQUEST: &[u8] =
    fixture!("greenpay", "orders.pay_with_token.request.json");
/// GreenPay `cards.session.request.json`.
pub const GREENPAY_CARD_SESSION_REQUEST: &[u8] = fixture!("greenpay", "cards.session.request.json");
/// GreenPay `cards.tokenize.request.aes-ctr-vector.json` (its `plaintext` is the card JSON).
pub const GREENPAY_CARD_VECTOR: &[u8] =
    fixture!("greenpay", "cards.tokenize.request.aes-ctr-vector.json");

/// Baseline body (a): the 634-byte beGateway product the bare baseline was measured on.
pub const BASELINE_PRODUCT: &[u8] = br#"{"id":"prd_9a1f6c2e4b7d0007","name":"Annual premium subscription 7","description":"Annual access to the premium plan with priority support","currency":"EUR","amount":12997,"quantity":1,"infinite":true,"language":"en","transaction_type":"payment","created_at":"2024-03-14T09:26:53.589Z","updated_at":"2024-05-02T17:03:11.004Z","test":true,"additional_data":{},"pay_url":"https://api.begateway.com/products/prd_9a1f6c2e4b7d0007/pay","payment_url":"https://checkout.begateway.com/v2/confirm_order/prd_9a1f6c2e4b7d0007/4321","confirm_url":"https://checkout.begateway.com/v2/confirm_order/prd_9a1f6c2e4b7d0007/4321?token=3f1c9d7e2a5b48c6"}"#;

/// Baseline body (b): a JSON array of 100 baseline products (`i` = 0..99 in place of
/// `0007`/`7`, amount 12990 + i), 63,591 bytes.
///
/// ```
/// assert_eq!(payments_bench::fixtures::list100().len(), 63_591);
/// ```
pub fn list100() -> Vec<u8> {
    let text = std::str::from_utf8(BASELINE_PRODUCT).unwrap_or_default();
    let mut out = String::with_capacity(64 * 1024);
    out.push('[');
    for i in 0..100 {
        if i > 0 {
            out.push(',');
        }
        let doc = text
            .replace("prd_9a1f6c2e4b7d0007", &format!("prd_9a1f6c2e4b7d{i:04}"))
            .replace("subscription 7\"", &format!("subscription {i}\""))
            .replace("12997", &(12990 + i).to_string());
        out.push_str(&doc);
    }
    out.push(']');
    out.into_bytes()
}
