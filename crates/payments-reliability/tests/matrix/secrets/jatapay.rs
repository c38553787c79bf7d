//! JataPay's renderings.

use jatapay::{Client, Credentials, SecretString, Token};
use payments_common::Url;
use payments_reliability::canary::{self, API_KEY, CLIENT_ID, SHOP_SECRET, scan_debug};
use payments_reliability::patient_config;

use crate::faults::jatapay::{credentials_client, request, token_client};

/// Runs JataPay's S1 probes.
pub fn run() {
    let credentials = Credentials::new(
        SecretString::from(CLIENT_ID),
        SecretString::from(SHOP_SECRET),
    );
    scan_debug("jatapay Credentials", &credentials);
    scan_debug(
        "jatapay Credentials (token)",
        &Credentials::token(SecretString::from(API_KEY)),
    );
    let builder = Client::builder(credentials.with_token(SecretString::from(API_KEY)))
        .http_config(patient_config());
    scan_debug("jatapay ClientBuilder", &builder);
    if let Ok(client) = builder.build() {
        scan_debug("jatapay Client (credentials and token)", &client);
    }
    if let Ok(base) = Url::parse("http://127.0.0.1:9/") {
        if let Ok(c) = token_client(&base) {
            scan_debug("jatapay Client (token)", &c.0);
        }
        if let Ok(c) = credentials_client(&base) {
            scan_debug("jatapay Client (credentials)", &c);
        }
    }
    scan_debug("jatapay GatewayRequest", &request());
    scan_debug(
        "jatapay TokenRequest",
        &jatapay::TokenRequest::client_credentials(),
    );
    let body = format!(r#"{{"token":"{API_KEY}","refresh_token":"{SHOP_SECRET}"}}"#);
    match serde_json::from_str::<Token>(&body) {
        Ok(token) => {
            scan_debug("jatapay Token", &token);
        }
        Err(e) => {
            canary::scan("jatapay Token decode error", &e.to_string());
        }
    }
}
