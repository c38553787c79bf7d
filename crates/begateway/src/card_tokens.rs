//! Card tokens on the gateway host: create a token for a card, and update the card behind a
//! token (holder, expiry).
//!
//! - create: `POST {gateway}/credit_cards` with `{"request": {number, holder, exp_month,
//!   exp_year}}`;
//! - update: `POST {gateway}/credit_cards/{token}` with `{"request": {holder?, exp_month?,
//!   exp_year?}}`.
//!
//! Both answer the card as a bare object (`holder`, `stamp`, `brand`, `last_4`, `first_1`,
//! `token`, `exp_month`, `exp_year`). Paths and the answer's shape follow beGateway's official
//! Ruby SDK; the request fields are inferred from the card section of a payment
//! (`docs/providers/begateway.md#card-tokens`).
//!
//! A card token can charge the card, so it is a [`SecretString`] everywhere: never in `Debug`,
//! errors or logs. The update's path holds the token, so the request is traced as
//! `/credit_cards/{token}` (the template), never as its real path. Both writes carry a
//! `RequestID` like the card transactions and are retried with it.
//!
//! ```no_run
//! use begateway::{CreateCardToken, UpdateCardToken};
//!
//! # async fn run(client: begateway::Client) -> begateway::Result<()> {
//! let card = client
//!     .card_tokens()
//!     .create(&CreateCardToken::new("4200000000000000", "JOHN DOE", 1, 2030).build()?)
//!     .await?;
//! println!("saved {} ending {}", card.brand.as_deref().unwrap_or("?"), card.last_4.as_deref().unwrap_or("?"));
//! let renewed = client
//!     .card_tokens()
//!     .update(&card.token, &UpdateCardToken::new().expiry(2, 2033).build()?)
//!     .await?;
//! assert_eq!(renewed.exp_year, Some(2033));
//! # Ok(()) }
//! ```

use std::fmt;

use payments_common::http::Request;
use payments_common::{ErrorKind, ExposeSecret, SecretString, validate};
use serde::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::card::{REQUEST_ID_HEADER, request_id, valid_card_number};
use crate::client::Client;
use crate::error::Error;

/// The path template the traces show for a request whose path holds a card token.
pub const TOKEN_PATH_TEMPLATE: &str = "/credit_cards/{token}";

/// A card to save as a token: number (a secret), holder and expiry. No verification value:
/// it must not be stored.
///
/// ```
/// use begateway::CreateCardToken;
/// let card = CreateCardToken::new("4200000000000000", "JOHN DOE", 1, 2030).build()?;
/// assert!(!format!("{card:?}").contains("4200"));
/// # Ok::<(), begateway::Error>(())
/// ```
#[derive(Clone)]
pub struct CreateCardToken {
    number: SecretString,
    holder: String,
    exp_month: u8,
    exp_year: u16,
}

impl CreateCardToken {
    /// A card: its number, the holder's name and the expiry (month 1–12, four-digit year).
    pub fn new(
        number: impl Into<SecretString>,
        holder: impl Into<String>,
        exp_month: u8,
        exp_year: u16,
    ) -> Self {
        CreateCardToken {
            number: number.into(),
            holder: holder.into(),
            exp_month,
            exp_year,
        }
    }

    /// Checks every field (operation `card_tokens.create`); [`CardTokens::create`] checks
    /// again before sending.
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("card_tokens.create"))?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        valid_card_number("number", self.number.expose_secret())?;
        validate::text("holder", &self.holder, 64)?;
        valid_expiry(self.exp_month, self.exp_year)
    }
}

impl fmt::Debug for CreateCardToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateCardToken")
            .field("number", &"***")
            .field("holder", &self.holder)
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .finish()
    }
}

/// What changes on the card behind a token: the holder, the expiry, or both (at least one).
///
/// ```
/// use begateway::UpdateCardToken;
/// let update = UpdateCardToken::new().holder("JANE DOE").expiry(12, 2031).build()?;
/// assert!(UpdateCardToken::new().build().is_err());
/// # Ok::<(), begateway::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct UpdateCardToken {
    holder: Option<String>,
    expiry: Option<(u8, u16)>,
}

impl UpdateCardToken {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        UpdateCardToken::default()
    }

    /// The holder's name (`holder`).
    pub fn holder(mut self, holder: impl Into<String>) -> Self {
        self.holder = Some(holder.into());
        self
    }

    /// The new expiry (`exp_month`, `exp_year`).
    pub fn expiry(mut self, exp_month: u8, exp_year: u16) -> Self {
        self.expiry = Some((exp_month, exp_year));
        self
    }

    /// Checks every field (operation `card_tokens.update`).
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("card_tokens.update"))?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        if self.holder.is_none() && self.expiry.is_none() {
            return Err(ErrorKind::invalid(
                "request",
                "must change the holder or the expiry",
            ));
        }
        if let Some(holder) = &self.holder {
            validate::text("holder", holder, 64)?;
        }
        if let Some((month, year)) = self.expiry {
            valid_expiry(month, year)?;
        }
        Ok(())
    }
}

fn valid_expiry(month: u8, year: u16) -> Result<(), ErrorKind> {
    if !(1..=12).contains(&month) {
        return Err(ErrorKind::invalid("exp_month", "must be 1 to 12"));
    }
    if !(2000..=2099).contains(&year) {
        return Err(ErrorKind::invalid("exp_year", "must be a four-digit year"));
    }
    Ok(())
}

/// A saved card as beGateway reports it (a bare object; a missing or empty `token` is a
/// decode error). `Debug` never shows the token.
///
/// ```
/// let card: begateway::CardToken = serde_json::from_str(r#"{"token":"t1","last_4":"0000","exp_month":1,"exp_year":2030}"#)?;
/// assert_eq!(card.last_4.as_deref(), Some("0000"));
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// ```
/// let card: begateway::CardToken = serde_json::from_str(r#"{"token":"tok_secret"}"#)?;
/// assert!(!format!("{card:?}").contains("tok_secret"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Deserialize)]
#[serde(try_from = "Wire")]
#[non_exhaustive]
pub struct CardToken {
    /// The token (`token`): pass it as a
    /// [`PaymentSource::Token`](crate::PaymentSource::Token) to charge the card.
    pub token: SecretString,
    /// Card holder's name (`holder`).
    pub holder: Option<String>,
    /// A fingerprint of the card number (`stamp`).
    pub stamp: Option<String>,
    /// Card brand (`brand`: `visa`, `master`, …).
    pub brand: Option<String>,
    /// Last four digits (`last_4`).
    pub last_4: Option<String>,
    /// First digit (`first_1`).
    pub first_1: Option<String>,
    /// Expiry month (`exp_month`).
    pub exp_month: Option<i64>,
    /// Expiry year (`exp_year`).
    pub exp_year: Option<i64>,
}

impl fmt::Debug for CardToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardToken")
            .field("token", &"***")
            .field("holder", &self.holder)
            .field("stamp", &self.stamp)
            .field("brand", &self.brand)
            .field("last_4", &self.last_4)
            .field("first_1", &self.first_1)
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .finish()
    }
}

impl CardToken {
    /// A card token with every other field absent (feature `test-util`).
    ///
    /// ```
    /// let mut card = begateway::CardToken::for_tests("tok");
    /// card.last_4 = Some("0000".into());
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn for_tests(token: impl Into<String>) -> Self {
        CardToken {
            token: SecretString::from(token.into()),
            holder: None,
            stamp: None,
            brand: None,
            last_4: None,
            first_1: None,
            exp_month: None,
            exp_year: None,
        }
    }
}

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    holder: Option<String>,
    #[serde(default)]
    stamp: Option<String>,
    #[serde(default)]
    brand: Option<String>,
    #[serde(default)]
    last_4: Option<String>,
    #[serde(default)]
    first_1: Option<String>,
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    exp_month: Option<i64>,
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    exp_year: Option<i64>,
}

impl TryFrom<Wire> for CardToken {
    type Error = &'static str;

    fn try_from(wire: Wire) -> Result<Self, Self::Error> {
        let token = match wire.token {
            Some(t) if !t.is_empty() => SecretString::from(t),
            _ => return Err("the answer holds no card token"),
        };
        Ok(CardToken {
            token,
            holder: wire.holder,
            stamp: wire.stamp,
            brand: wire.brand,
            last_4: wire.last_4,
            first_1: wire.first_1,
            exp_month: wire.exp_month,
            exp_year: wire.exp_year,
        })
    }
}

impl CreateCardToken {
    /// The wire body, `{"request": {...}}` (checked by the caller).
    pub(crate) fn wire_body(&self) -> Result<impl Serialize + '_, ErrorKind> {
        Ok(CreateBody(self))
    }
}

/// `{"request": {...}}` of a token creation, the number exposed (the body only).
struct CreateBody<'a>(&'a CreateCardToken);

impl Serialize for CreateBody<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inner<'a>(&'a CreateCardToken);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(4))?;
                map.serialize_entry("number", self.0.number.expose_secret())?;
                map.serialize_entry("holder", &self.0.holder)?;
                map.serialize_entry("exp_month", &crate::card::two_digits(self.0.exp_month))?;
                map.serialize_entry("exp_year", &self.0.exp_year)?;
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("request", &Inner(self.0))?;
        map.end()
    }
}

/// `{"request": {...}}` of a token update.
struct UpdateBody<'a>(&'a UpdateCardToken);

impl Serialize for UpdateBody<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inner<'a>(&'a UpdateCardToken);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(None)?;
                if let Some(holder) = &self.0.holder {
                    map.serialize_entry("holder", holder)?;
                }
                if let Some((month, year)) = self.0.expiry {
                    map.serialize_entry("exp_month", &crate::card::two_digits(month))?;
                    map.serialize_entry("exp_year", &year)?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("request", &Inner(self.0))?;
        map.end()
    }
}

/// Card-token operations, from [`Client::card_tokens`].
#[derive(Debug, Clone, Copy)]
pub struct CardTokens<'a> {
    client: &'a Client,
}

impl<'a> CardTokens<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        CardTokens { client }
    }

    /// `POST {gateway}/credit_cards`: save a card, answered with its token.
    pub async fn create(&self, request: &CreateCardToken) -> Result<CardToken, Error> {
        self.create_kind(request)
            .await
            .map_err(Error::at("card_tokens.create"))
    }

    async fn create_kind(&self, request: &CreateCardToken) -> Result<CardToken, ErrorKind> {
        request.validate()?;
        let url = self.client.gateway_url(&["credit_cards"]);
        let http = Request::post("begateway.card_tokens.create", url)
            .idempotency_key(REQUEST_ID_HEADER, &request_id())?
            .json(&request.wire_body()?)?;
        let number = request.number.expose_secret();
        self.send(http).await.map_err(|e| e.redact(&[number]))
    }

    /// `POST {gateway}/credit_cards/{token}`: change the holder or expiry of the card behind
    /// `token`. Traced as `/credit_cards/{token}`: the token never reaches a trace.
    pub async fn update(
        &self,
        token: &SecretString,
        request: &UpdateCardToken,
    ) -> Result<CardToken, Error> {
        self.update_kind(token, request)
            .await
            .map_err(Error::at("card_tokens.update"))
    }

    async fn update_kind(
        &self,
        token: &SecretString,
        request: &UpdateCardToken,
    ) -> Result<CardToken, ErrorKind> {
        validate::path_id("token", token.expose_secret())?;
        request.validate()?;
        let url = self
            .client
            .gateway_url(&["credit_cards", token.expose_secret()]);
        let http = Request::post("begateway.card_tokens.update", url)
            .trace_path_as(TOKEN_PATH_TEMPLATE)
            .idempotency_key(REQUEST_ID_HEADER, &request_id())?
            .json(&UpdateBody(request))?;
        self.send(http)
            .await
            .map_err(|e| e.redact(&[token.expose_secret()]))
    }

    async fn send(&self, http: Request) -> Result<CardToken, ErrorKind> {
        let http = self.client.authorize(http)?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                // A decode error quotes the body; the excerpt masks the value of its `token`
                // key wherever that value appears (`payments_common::redact::excerpt`).
                200 | 201 => r.json::<CardToken>(),
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }
}
