//! JataPay: token, create subscription, read it, create a one-off payment.

use jatapay::{Client, Credentials, Currency, GatewayRequest, Money, SecretString};

use super::{Session, Target};

/// The callback URL sent in the recorded requests (never visited while recording).
const CALLBACK_URL: &str = "https://merchant.example/jatapay/return?order=42";

/// Records `token.create`, `subscriptions.create`, `subscriptions.get`, `payments.create`.
pub(crate) async fn run(session: &mut Session) -> Result<(), String> {
    // Credentials first: nothing is sent if one is missing.
    let (client_id, client_secret, auth_base, api_base) = match &session.target {
        Target::Sandbox(sandbox) => {
            let creds = sandbox.jatapay_credentials();
            (
                creds.client_id.clone(),
                creds.client_secret.clone(),
                sandbox.jatapay_auth_url(),
                sandbox.jatapay_api_url(),
            )
        }
        Target::Live {
            base_url, auth_url, ..
        } => {
            let (base_url, auth_url) = (base_url.clone(), auth_url.clone());
            (
                session.env("JATAPAY_CLIENT_ID")?,
                session.env("JATAPAY_CLIENT_SECRET")?,
                auth_url.unwrap_or_else(|| jatapay::DEFAULT_AUTH_BASE_URL.to_owned()),
                base_url,
            )
        }
    };
    session.secret(&client_id);
    session.secret(&client_secret);
    let auth_proxy = session.proxy(&auth_base).await?;
    let api_proxy = session.proxy(&api_base).await?;
    let client = Client::builder(Credentials::new(
        SecretString::from(client_id),
        SecretString::from(client_secret),
    ))
    .auth_base_url(auth_proxy)
    .api_base_url(api_proxy)
    .build()
    .map_err(|e| format!("jatapay client: {e}"))?;

    client
        .authenticate()
        .await
        .map_err(|e| format!("token.create: {e}"))?;
    session.label("token.create")?;

    let amount = Money::parse("20.00", Currency::EUR).map_err(|e| e.to_string())?;
    let request = GatewayRequest::new(amount, CALLBACK_URL, "Piano Pro (recorded)")
        .note("Recorded by cargo xtask fixtures record");
    let created = client
        .subscriptions()
        .create(&request)
        .await
        .map_err(|e| format!("subscriptions.create: {e}"))?;
    session.label("subscriptions.create")?;

    client
        .subscriptions()
        .get(&created.id)
        .await
        .map_err(|e| format!("subscriptions.get: {e}"))?;
    session.label("subscriptions.get")?;

    let amount = Money::parse("9.90", Currency::EUR).map_err(|e| e.to_string())?;
    let request = GatewayRequest::new(amount, CALLBACK_URL, "Una tantum (recorded)");
    client
        .payments()
        .create(&request)
        .await
        .map_err(|e| format!("payments.create: {e}"))?;
    session.label("payments.create")?;
    Ok(())
}
