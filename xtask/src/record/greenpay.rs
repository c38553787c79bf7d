//! GreenPay: create a subscription, pay it manually, change its amount and card, list
//! subscriptions and the subscription's payments, cancel it.

use greenpay::subscriptions::{
    Cadence, CancelSubscription, CreateSubscription, InitialPayment, ListPayments,
    ListSubscriptions, ManualPayment, Plan, SubscriptionFilters, UpdateAmount, UpdateCardToken,
};
use greenpay::{CardToken, Client, Credentials, Currency, Money};

use super::{Session, Target};

/// The merchant's customer id sent in the recorded requests.
const USER_ID: &str = "user-42";
/// The sandbox's card tokens (any token without `decline` is charged successfully).
const SANDBOX_CARD_TOKEN: &str = "tok-visa-4242";
const SANDBOX_NEW_CARD_TOKEN: &str = "tok-mastercard-5454";

/// Records `subscriptions.create`, `subscriptions.pay`, `subscriptions.update_amount`,
/// `subscriptions.update_card_token`, `subscriptions.list`, `subscriptions.list_payments` and
/// `subscriptions.cancel` (the operation names of the documented fixtures).
pub(crate) async fn run(session: &mut Session) -> Result<(), String> {
    // Credentials first: nothing is sent if one is missing.
    let (merchant_id, terminal, secret, card_token, new_card_token, base) = match &session.target {
        Target::Sandbox(sandbox) => {
            let creds = sandbox.greenpay_credentials();
            (
                creds.merchant_id.clone(),
                creds.terminal.clone(),
                creds.secret.clone(),
                SANDBOX_CARD_TOKEN.to_owned(),
                SANDBOX_NEW_CARD_TOKEN.to_owned(),
                sandbox.greenpay_url(),
            )
        }
        Target::Live { base_url, .. } => {
            let base_url = base_url.clone();
            let merchant_id = session.env("GREENPAY_MERCHANT_ID")?;
            let terminal = session.env("GREENPAY_TERMINAL")?;
            let secret = session.env("GREENPAY_SECRET")?;
            // The crate does not tokenize cards: a live run needs a token GreenPay issued.
            let card_token = session.env("GREENPAY_CARD_TOKEN")?;
            let new_card_token = std::env::var("GREENPAY_NEW_CARD_TOKEN")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| card_token.clone());
            (
                merchant_id,
                terminal,
                secret,
                card_token,
                new_card_token,
                base_url,
            )
        }
    };
    // The credentials travel inside every request body (and the secret comes back in
    // `purchase_order.secret`): the `secret` key is redacted by name, and every credential
    // value, like JataPay's client id, wherever it occurs. The merchant id (a UUID) and the
    // terminal id are long enough that replacing them garbles nothing. Card tokens charge the
    // customer's card: redacted too.
    for value in [
        &merchant_id,
        &terminal,
        &secret,
        &card_token,
        &new_card_token,
    ] {
        session.secret(value);
    }
    let proxy = session.proxy(&base).await?;
    let client = Client::builder(Credentials::new(merchant_id, terminal, secret))
        .base_url(proxy)
        .build()
        .map_err(|e| format!("greenpay client: {e}"))?;
    let usd = |text: &str| Money::parse(text, Currency::USD).map_err(|e| e.to_string());

    let request = CreateSubscription::new(
        USER_ID,
        "Pro plan (recorded)",
        CardToken::new(card_token),
        Plan::new(usd("10.00")?, Cadence::monthly()),
    )
    .initial_payment(InitialPayment::new(usd("10.00")?, "First month"));
    let created = client
        .subscriptions()
        .create(&request)
        .await
        .map_err(|e| format!("subscriptions.create: {e}"))?;
    session.label("subscriptions.create")?;
    let id = created.subscription_id;

    client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .map_err(|e| format!("subscriptions.pay: {e}"))?;
    session.label("subscriptions.pay")?;

    client
        .subscriptions()
        .update_amount(&UpdateAmount::new(id.clone(), USER_ID, usd("12.50")?))
        .await
        .map_err(|e| format!("subscriptions.update_amount: {e}"))?;
    session.label("subscriptions.update_amount")?;

    let request = UpdateCardToken::new(id.clone(), USER_ID, CardToken::new(new_card_token));
    client
        .subscriptions()
        .update_card_token(&request)
        .await
        .map_err(|e| format!("subscriptions.update_card_token: {e}"))?;
    session.label("subscriptions.update_card_token")?;

    let request = ListSubscriptions::new(1, 10).filters(SubscriptionFilters::new().user(USER_ID));
    client
        .subscriptions()
        .list(&request)
        .await
        .map_err(|e| format!("subscriptions.list: {e}"))?;
    session.label("subscriptions.list")?;

    client
        .subscriptions()
        .list_payments(&ListPayments::new(id.clone(), 1, 10))
        .await
        .map_err(|e| format!("subscriptions.list_payments: {e}"))?;
    session.label("subscriptions.list_payments")?;

    let request = CancelSubscription::new(id, USER_ID, "Recorded by cargo xtask fixtures record");
    client
        .subscriptions()
        .cancel(&request)
        .await
        .map_err(|e| format!("subscriptions.cancel: {e}"))?;
    session.label("subscriptions.cancel")?;
    Ok(())
}
