//! Card tokens: tokenization sessions, GreenPay's hosted tokenization form (the customer types
//! the card on GreenPay's page: your server never sees it), the tokens it returns, and deleting
//! a token. Encrypting card data yourself is the `tokenization` feature
//! ([`crate::tokenization`]).

use payments_common::http::Response;
use payments_common::{ErrorKind, Url, validate};
use serde::{Deserialize, Serialize};

use crate::client::{Client, Terminal, public_operation};
use crate::orders::{OrderSession, decode_session};
use crate::subscriptions::{CardToken, validation};
use crate::{Error, envelope};

/// A tokenization order: the merchant's unique `requestId`, and the `callback` GreenPay's
/// hosted tokenization form returns the customer to (required for the form).
///
/// ```
/// use greenpay::cards::TokenizationOrder;
/// let order = TokenizationOrder::new("req-8f2c").callback("https://shop.example/cards/return");
/// assert_eq!(
///     serde_json::to_value(&order)?,
///     serde_json::json!({"requestId": "req-8f2c", "callback": "https://shop.example/cards/return"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenizationOrder {
    #[serde(rename = "requestId")]
    request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback: Option<String>,
}

impl TokenizationOrder {
    /// A tokenization under the merchant's unique `request_id`.
    pub fn new(request_id: impl Into<String>) -> Self {
        TokenizationOrder {
            request_id: request_id.into(),
            callback: None,
        }
    }

    /// `callback`: where the hosted form returns the customer, with the result appended as a
    /// base64 path segment. `https`, or `http` to a loopback host.
    pub fn callback(mut self, url: impl Into<String>) -> Self {
        self.callback = Some(url.into());
        self
    }

    /// The request id.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Runs every check [`Cards::session`] runs before sending (operation `cards.session`).
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("cards.session"))?;
        Ok(self)
    }

    pub(crate) fn validate(&self) -> Result<(), ErrorKind> {
        validation::id("requestId", &self.request_id)?;
        if let Some(callback) = &self.callback {
            validate::callback_url("callback", callback, 2048)?;
        }
        Ok(())
    }
}

/// A card token GreenPay issued, with what it says about the card (`result`, `brand`, …).
///
/// ```
/// let tokenized: greenpay::cards::TokenizedCard = serde_json::from_str(
///     r#"{"status":200,"requestId":"r-1","result":{"token":"tok_1","last_digits":"4242","bin":"424242"},
///         "expiration_date":"3012","brand":"VISA","nickname":"work","errors":[],"_signature":"ab"}"#,
/// ).unwrap();
/// assert_eq!(tokenized.token.as_str(), "tok_1");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TokenizedCard {
    /// `result.token`: the card token, for subscriptions and token payments.
    pub token: CardToken,
    /// `result.last_digits`.
    pub last_digits: Option<String>,
    /// `result.bin`: the card's first digits.
    pub bin: Option<String>,
    /// `expiration_date` (`YYMM`).
    pub expiration_date: Option<String>,
    /// `brand`.
    pub brand: Option<String>,
    /// `nickname`.
    pub nickname: Option<String>,
    /// `requestId`: the request id the tokenization was made under.
    pub request_id: Option<String>,
    /// `status` (`200`).
    pub status: Option<i64>,
    /// `_signature` over `status:<status>,requestId:<requestId>`.
    pub signature: Option<String>,
}

impl<'de> Deserialize<'de> for TokenizedCard {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Result_ {
            token: CardToken,
            #[serde(default, deserialize_with = "crate::wire::text_or_number::option")]
            last_digits: Option<String>,
            #[serde(default, deserialize_with = "crate::wire::text_or_number::option")]
            bin: Option<String>,
        }
        #[derive(Deserialize)]
        struct Wire {
            result: Result_,
            #[serde(default, deserialize_with = "crate::wire::text_or_number::option")]
            expiration_date: Option<String>,
            #[serde(default)]
            brand: Option<String>,
            #[serde(default)]
            nickname: Option<String>,
            #[serde(rename = "requestId", default)]
            request_id: Option<String>,
            #[serde(
                default,
                deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
            )]
            status: Option<i64>,
            #[serde(rename = "_signature", default)]
            signature: Option<String>,
        }
        let w = Wire::deserialize(d)?;
        Ok(TokenizedCard {
            token: w.result.token,
            last_digits: w.result.last_digits,
            bin: w.result.bin,
            expiration_date: w.expiration_date,
            brand: w.brand,
            nickname: w.nickname,
            request_id: w.request_id,
            status: w.status,
            signature: w.signature,
        })
    }
}

/// Card tokens through a [`Client`]: `client.cards()`. Encrypting a card yourself (feature
/// `tokenization`) needs GreenPay's public key on the builder.
#[derive(Debug, Clone, Copy)]
pub struct Cards<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Card tokens: sessions, the hosted tokenization form, deleting a token (and, with the
    /// `tokenization` feature, encrypting a card yourself).
    ///
    /// ```
    /// # let client = greenpay::Client::builder(greenpay::Credentials::new("m", "t", "s")).build()?;
    /// let cards = client.cards();
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn cards(&self) -> Cards<'_> {
        Cards { client: self }
    }
}

#[derive(Serialize)]
struct DeleteRequest<'a> {
    token: &'a str,
    #[serde(rename = "requestId")]
    request_id: &'a str,
}

impl Cards<'_> {
    /// Requests a tokenization session: `POST <merchant>/tokenize` `{secret, merchantId,
    /// requestId, callback?}` (operation `cards.session`). The session and token are valid for
    /// 30 minutes. Send the customer to [`Cards::form_url`] to type the card on GreenPay's
    /// page, or encrypt it yourself (feature `tokenization`).
    ///
    /// ```no_run
    /// use greenpay::cards::TokenizationOrder;
    /// # async fn run(client: greenpay::Client) -> greenpay::Result<()> {
    /// let order = TokenizationOrder::new("req-8f2c").callback("https://shop.example/cards/return");
    /// let session = client.cards().session(&order).await?;
    /// let redirect_to = client.cards().form_url(&session)?;
    /// # Ok(()) }
    /// ```
    pub async fn session(&self, order: &TokenizationOrder) -> Result<OrderSession, Error> {
        self.session_at("greenpay.cards.session", &["tokenize"], order)
            .await
    }

    /// GreenPay's hosted tokenization form for `session`: `<tokenize form host>/<session>`
    /// (documented). It returns the customer to the order's `callback` with the result in
    /// base64 appended (read it with `WebhookVerifier::verify_form_return`, feature
    /// `webhooks`). Operation `cards.form_url`.
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("m", "t", "s")).build()?;
    /// let session = serde_json::from_str(r#"{"session":"5f1c","token":"t"}"#).unwrap();
    /// assert_eq!(
    ///     client.cards().form_url(&session)?.as_str(),
    ///     "https://sandbox-tokenizeform.greenpay.me/5f1c"
    /// );
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn form_url(&self, session: &OrderSession) -> Result<Url, Error> {
        validate::path_id("session", &session.session).map_err(Error::at("cards.form_url"))?;
        Ok(validate::endpoint(
            self.client.tokenize_form_base_url(),
            &[session.session.as_str()],
        ))
    }

    pub(crate) async fn session_at(
        &self,
        operation: &'static str,
        segments: &[&str],
        order: &TokenizationOrder,
    ) -> Result<OrderSession, Error> {
        order
            .validate()
            .map_err(Error::at(public_operation(operation)))?;
        let request_id = order.request_id();
        let request = self
            .client
            .post(operation, segments, order, Terminal::Omit)
            .map_err(Error::at(public_operation(operation)))?
            .reconcile_with(payments_common::Reconciliation::merchant_reference(
                request_id,
            ));
        self.client.call_with(request, decode_session).await
    }

    /// Deletes a card token: `POST <merchant>/deleteToken` `{token, secret, merchantId,
    /// requestId}` (operation `cards.delete`; the answer's shape is inferred: any success
    /// status). An unkeyed write; deleting twice is harmless.
    pub async fn delete(&self, token: &CardToken, request_id: &str) -> Result<(), Error> {
        const OP: &str = "greenpay.cards.delete";
        let at = || Error::at(public_operation(OP));
        validation::id("token", token.as_str()).map_err(at())?;
        validation::id("requestId", request_id).map_err(at())?;
        let request = self
            .client
            .post(
                OP,
                &["deleteToken"],
                &DeleteRequest {
                    token: token.as_str(),
                    request_id,
                },
                Terminal::Omit,
            )
            .map_err(at())?
            .reconcile_with(payments_common::Reconciliation::merchant_reference(
                request_id,
            ));
        // The card token is masked in every error, should an answer quote it.
        self.client
            .call_masking(request, &[token.as_str()], |r: &Response| {
                envelope::decode_plain::<serde::de::IgnoredAny>(r).map(|_| ())
            })
            .await
    }
}
