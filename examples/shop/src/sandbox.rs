//! The two providers' clients, pointed at the local sandbox.

use payments_sandbox::RunningSandbox;

use crate::{Providers, ShopError};

/// Clients and verifiers for the sandbox's beGateway and TS Pay, with the shop's notification
/// endpoints under `public_url` (TS Pay's webhook is registered through the SDK, and its
/// answer's secret goes straight into the verifier).
pub async fn providers(sandbox: &RunningSandbox, public_url: &str) -> Result<Providers, ShopError> {
    let shop = sandbox.begateway_credentials();
    let credentials = begateway::Credentials::new(shop.shop_id.clone(), shop.secret_key.clone());
    let begateway = begateway::Client::builder(credentials.clone())
        .api_base_url(sandbox.begateway_api_url())
        .gateway_base_url(sandbox.begateway_gateway_url())
        .build()?;
    let begateway_verifier =
        begateway::WebhookVerifier::new(credentials)?.public_key(&shop.public_key)?;

    let tspay = tspay::Client::builder(tspay::Credentials::new(
        sandbox.tspay_credentials().api_key.clone(),
    ))
    .base_url(sandbox.tspay_url())
    .build()?;
    let registration = tspay::WebhookRegistration::new(format!(
        "{}/notify/tspay",
        public_url.trim_end_matches('/')
    ))
    .build()?;
    let registered = tspay.webhooks().register(&registration).await?;
    let tspay_verifier = tspay::WebhookVerifier::new(registered.secret)?;

    Ok(Providers {
        begateway,
        begateway_verifier,
        tspay,
        tspay_verifier,
    })
}
