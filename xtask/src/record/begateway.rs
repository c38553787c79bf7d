//! beGateway: products create / get / list / update, and a transaction by uid.

use begateway::{
    Client, CreateProduct, Credentials, Currency, Language, Money, ReturnParams, TransactionUid,
    UpdateProduct,
};
use url::Url;

use super::{Session, Target};

/// Records `products.create`, `products.get`, `products.list`, `products.update` and
/// `transactions.get`.
pub(crate) async fn run(session: &mut Session) -> Result<(), String> {
    // Credentials first: nothing is sent if one is missing.
    let (shop_id, secret_key, api_base, gateway_base, live_uid) = match &session.target {
        Target::Sandbox(sandbox) => {
            let creds = sandbox.begateway_credentials();
            (
                creds.shop_id.clone(),
                creds.secret_key.clone(),
                sandbox.begateway_api_url(),
                sandbox.begateway_gateway_url(),
                None,
            )
        }
        Target::Live {
            base_url,
            gateway_url,
            ..
        } => {
            let (base_url, gateway_url) = (base_url.clone(), gateway_url.clone());
            (
                session.env("BEGATEWAY_SHOP_ID")?,
                session.env("BEGATEWAY_SECRET_KEY")?,
                base_url,
                gateway_url.unwrap_or_else(|| begateway::DEFAULT_GATEWAY_URL.to_owned()),
                std::env::var("BEGATEWAY_TRANSACTION_UID")
                    .ok()
                    .filter(|v| !v.trim().is_empty()),
            )
        }
    };
    // The shop id is not secret (and short: replacing it everywhere would garble ids).
    session.secret(&secret_key);
    let api_proxy = session.proxy(&api_base).await?;
    let gateway_proxy = session.proxy(&gateway_base).await?;
    let client = Client::builder(Credentials::new(shop_id, secret_key))
        .api_base_url(api_proxy)
        .gateway_base_url(gateway_proxy)
        .build()
        .map_err(|e| format!("begateway client: {e}"))?;

    let request = CreateProduct::new(
        "Pro plan",
        "Monthly access (recorded)",
        Money::parse("9.90", Currency::USD).map_err(|e| e.to_string())?,
    )
    .quantity(5)
    .immortal()
    .test(true)
    .language(Language::En)
    .return_url("https://merchant.example/begateway/return?order=42");
    let product = client
        .products()
        .create(&request)
        .await
        .map_err(|e| format!("products.create: {e}"))?;
    session.label("products.create")?;

    client
        .products()
        .get(&product.id)
        .await
        .map_err(|e| format!("products.get: {e}"))?;
    session.label("products.get")?;

    client
        .products()
        .list()
        .await
        .map_err(|e| format!("products.list: {e}"))?;
    session.label("products.list")?;

    let update = UpdateProduct::new()
        .name("Pro plan (updated)")
        .amount(Money::parse("12.50", Currency::USD).map_err(|e| e.to_string())?);
    client
        .products()
        .update(&product.id, &update)
        .await
        .map_err(|e| format!("products.update: {e}"))?;
    session.label("products.update")?;

    let uid = if matches!(session.target, Target::Sandbox(_)) {
        // The customer pays the link on the hosted page (not an SDK operation, not recorded);
        // the redirect's `uid` is the transaction to read.
        let location = super::submit_hosted_page(product.pay_url.as_str(), "pay").await?;
        let location = Url::parse(&location).map_err(|e| format!("redirect {location}: {e}"))?;
        ReturnParams::from_url(&location).uid().cloned()
    } else {
        live_uid.map(TransactionUid::new)
    };
    match uid {
        Some(uid) => {
            client
                .transactions()
                .get(&uid)
                .await
                .map_err(|e| format!("transactions.get: {e}"))?;
            session.label("transactions.get")?;
        }
        None => session
            .note("transactions.get: skipped (set BEGATEWAY_TRANSACTION_UID to record a live one)"),
    }
    Ok(())
}
