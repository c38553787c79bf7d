//! beGateway's renderings.

use begateway::{Client, WebhookVerifier};
use payments_common::Url;
use payments_reliability::canary::{self, scan_debug};
use payments_reliability::patient_config;

use crate::faults::begateway::{client, create, credentials, update};

/// Runs beGateway's S1 probes.
pub fn run() {
    scan_debug("begateway Credentials", &credentials());
    let builder = Client::builder(credentials()).http_config(patient_config());
    scan_debug("begateway ClientBuilder", &builder);
    if let Ok(c) = builder.build() {
        scan_debug("begateway Client", &c);
        scan_debug("begateway Products", &c.products());
        scan_debug("begateway Transactions", &c.transactions());
    }
    if let Ok(base) = Url::parse("http://127.0.0.1:9/")
        && let Ok(c) = client(&base)
    {
        scan_debug("begateway Client (custom)", &c);
    }
    scan_debug("begateway CreateProduct", &create());
    scan_debug("begateway UpdateProduct", &update());
    scan_debug(
        "begateway ChargeRequest (token)",
        &crate::faults::begateway::charge(),
    );
    // The canary card (its number and CVC are scanned for in every rendering).
    let card = begateway::Card::new(canary::PAN, canary::CVV, "JOHN DOE", 1, 2030);
    scan_debug("begateway Card", &card);
    scan_debug(
        "begateway ChargeRequest (card)",
        &begateway::ChargeRequest::new(
            begateway::Money::from_minor_units(990, begateway::Currency::USD),
            "Order 42",
            "order-42",
            begateway::PaymentSource::Card(card),
        ),
    );
    scan_debug("begateway FollowUp", &crate::faults::begateway::refund());
    scan_debug(
        "begateway CreateCardToken",
        &crate::faults::begateway::card_to_save(),
    );
    // Credits carry the saved card token (a canary); a tokenization's answer holds one.
    scan_debug(
        "begateway CreditRequest",
        &crate::faults::begateway::credit(),
    );
    scan_debug(
        "begateway ChargeRequest (tokenization)",
        &crate::faults::begateway::tokenization(),
    );
    // (A `Tokenization` holding the canary token is scanned by the fault rows, which render
    // every answer they decode.)
    let answer = crate::faults::begateway::card_token_answer();
    if let Ok(card) = serde_json::from_str::<begateway::CardToken>(&answer) {
        scan_debug("begateway CardToken", &card);
    }
    // The card-token update rows ran with a canary token in the path: the log must show the
    // template (the S3 scan of the whole log proves the token itself never appears).
    let log = payments_reliability::capture::text();
    if !log.contains("/credit_cards/{token}") {
        payments_reliability::report::leak(
            "the TRACE log (no `/credit_cards/{token}` span: the card-token update rows did not trace their template)",
            "card token path",
            "",
        );
    }
    if let Ok(v) = WebhookVerifier::new(credentials()) {
        scan_debug("begateway WebhookVerifier", &v);
    }
}
