//! TS Pay's renderings.

use payments_common::Url;
use payments_reliability::canary::{API_KEY, WEBHOOK_SECRET, scan_debug};
use payments_reliability::patient_config;
use tspay::{
    ApiKeyIssued, AppSecret, Client, Credentials, Onboarding, PathStyle, WebhookRegistered,
    WebhookVerifier,
};

use crate::faults::tspay::{client, pay_link, save_link};

/// Runs TS Pay's S1 probes.
pub fn run() {
    let builder = Client::builder(Credentials::new(API_KEY))
        .item_id("company-42")
        .http_config(patient_config());
    scan_debug("tspay ClientBuilder", &builder);
    if let Ok(c) = builder.build() {
        scan_debug("tspay Client", &c);
        scan_debug("tspay PayLinks", &c.pay_links());
        scan_debug("tspay SaveLinks", &c.save_links());
        scan_debug("tspay Charges", &c.charges());
    }
    if let Ok(base) = Url::parse("http://127.0.0.1:9/")
        && let Ok(c) = client(&base, PathStyle::Direct)
    {
        scan_debug("tspay Client (custom)", &c);
    }
    scan_debug("tspay PayLinkRequest", &pay_link());
    scan_debug("tspay SaveLinkRequest", &save_link());
    if let Ok(v) = WebhookVerifier::new(WEBHOOK_SECRET) {
        scan_debug("tspay WebhookVerifier", &v);
    }
    // The AppSecret, and the answers that carry an issued key or a webhook secret.
    let onboarding = Onboarding::builder(AppSecret::new(API_KEY));
    scan_debug("tspay OnboardingBuilder", &onboarding);
    scan_debug("tspay AppSecret", &AppSecret::new(API_KEY));
    if let Ok(o) = onboarding.build() {
        scan_debug("tspay Onboarding", &o);
    }
    let issued = format!(
        r#"{{"apiKey":"{API_KEY}","authKey":"{WEBHOOK_SECRET}","loginUrl":"https://pay.example/activate","state":"init"}}"#
    );
    if let Ok(issued) = serde_json::from_str::<ApiKeyIssued>(&issued) {
        scan_debug("tspay ApiKeyIssued", &issued);
    }
    let registered = format!(r#"{{"secret":"{WEBHOOK_SECRET}","id":"wh_1"}}"#);
    if let Ok(registered) = serde_json::from_str::<WebhookRegistered>(&registered) {
        scan_debug("tspay WebhookRegistered", &registered);
    }
}
