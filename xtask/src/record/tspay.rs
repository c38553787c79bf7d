//! TS Pay: link2pay, link2save, and the charges of the pay link's order.

use tspay::{
    Client, Credentials, Currency, Money, PayLinkRequest, SaveLinkRequest, SourceType, Template,
    UseLimit,
};
use url::Url;

use super::{Session, Target};

/// Records `link2pay`, `link2save` and `charges`.
pub(crate) async fn run(session: &mut Session) -> Result<(), String> {
    // Credentials first: nothing is sent if one is missing.
    let (api_key, item_id, base) = match &session.target {
        Target::Sandbox(sandbox) => {
            let creds = sandbox.tspay_credentials();
            (
                creds.api_key.clone(),
                Some(creds.item_id.clone()),
                sandbox.tspay_url(),
            )
        }
        Target::Live { base_url, .. } => {
            let base_url = base_url.clone();
            let api_key = session.env("TSPAY_API_KEY")?;
            let item_id = std::env::var("TSPAY_ITEM_ID")
                .ok()
                .filter(|v| !v.trim().is_empty());
            (api_key, item_id, base_url)
        }
    };
    session.secret(&api_key);
    let proxy = session.proxy(&base).await?;
    let mut builder = Client::builder(Credentials::new(api_key)).base_url(proxy);
    if let Some(item_id) = item_id {
        builder = builder.item_id(item_id);
    }
    let client = builder.build().map_err(|e| format!("tspay client: {e}"))?;

    let parse = |s: &str| Url::parse(s).map_err(|e| e.to_string());
    let request = PayLinkRequest::new(
        Template::new("Example Shop S.r.l.", "Fattura di vendita").payment_ref("Ordine 42"),
        Money::parse("14.50", Currency::EUR).map_err(|e| e.to_string())?,
    )
    .callback_url(parse("https://merchant.example/tspay/return?order=42")?)
    .cancel_url(parse("https://merchant.example/tspay/cancel?order=42")?)
    .source_type(SourceType::Card)
    .max_payments(UseLimit::ONCE)
    .external_ref("order-42")
    .metadata("invoice", "42/2024");
    let link = client
        .pay_links()
        .create(&request)
        .await
        .map_err(|e| format!("link2pay: {e}"))?;
    session.label("link2pay")?;

    let request = SaveLinkRequest::new(Template::new("Example Shop S.r.l.", "Abbonamento"))
        .callback_url(parse("https://merchant.example/tspay/saved?customer=7")?)
        .source_type(SourceType::Card)
        .external_ref("customer-7");
    client
        .save_links()
        .create(&request)
        .await
        .map_err(|e| format!("link2save: {e}"))?;
    session.label("link2save")?;

    if matches!(session.target, Target::Sandbox(_)) {
        // The customer pays on the hosted page (not an SDK operation, not recorded), so that
        // the charges list has one charge to decode.
        super::submit_hosted_page(link.url.as_str(), "pay").await?;
    } else {
        session.note("charges: read right after link2pay (nobody paid the link: expect [])");
    }
    client
        .charges()
        .of_order(&link.order_key)
        .await
        .map_err(|e| format!("charges: {e}"))?;
    session.label("charges")?;
    Ok(())
}
