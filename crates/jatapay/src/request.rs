//! The body shared by `POST /scrivi_abbonamento` (subscription) and `POST /scrivi_pagamento`
//! (one-off payment).

use payments_common::{ErrorKind, Money, validate};
use serde::{Deserialize, Serialize};

use crate::{Error, wire};

/// The value of `cliente` the documentation tells integrators to send ("Utilizzare il valore
/// 'open'").
pub const DEFAULT_CUSTOMER: &str = "open";

/// Longest `descrizione_prodotto` accepted, in characters. JataPay documents no limit; this is
/// the SDK's conservative choice.
pub const MAX_DESCRIPTION_CHARS: usize = 255;
/// Longest `note` accepted, in characters (undocumented by JataPay; the SDK's choice).
pub const MAX_NOTE_CHARS: usize = 1000;
/// Longest `cliente` accepted, in characters (undocumented by JataPay; the SDK's choice).
pub const MAX_CUSTOMER_CHARS: usize = 64;
/// Longest `callback_url` accepted, in bytes (undocumented by JataPay; the SDK's choice).
pub const MAX_CALLBACK_URL_BYTES: usize = payments_common::validate::DEFAULT_MAX_URL_LEN;
/// Largest `importo` accepted, in cents: 2^53 − 1, the largest integer every JSON parser keeps
/// exactly. JataPay documents no maximum; this is the SDK's choice.
pub const MAX_AMOUNT_CENTS: i64 = (1 << 53) - 1;

/// What JataPay needs to open a hosted-gateway session, for a subscription
/// ([`Subscriptions::create`](crate::Subscriptions::create)) or a one-off payment
/// ([`Payments::create`](crate::Payments::create)).
///
/// | wire field | required | meaning |
/// | --- | --- | --- |
/// | `importo` | yes | the amount, an integer number of euro cents |
/// | `callback_url` | yes | where the gateway sends the customer back ("un URL valido per il ritorno del pagamento") |
/// | `note` | no | descriptive notes for the payment; omitted when absent |
/// | `descrizione_prodotto` | yes | the product description |
/// | `cliente` | yes | the documentation says to use the value `'open'`, the default here |
///
/// [`build`](Self::build) runs every check, and the operations run them again before anything
/// is sent.
///
/// ```
/// use jatapay::{Currency, GatewayRequest, Money};
///
/// let request = GatewayRequest::new(
///     Money::parse("20.00", Currency::EUR)?,
///     "https://e-commerce.example.com/callback_url",
///     "Abbonamento mensile",
/// )
/// .note("Dilazione per motivo esempio")
/// .build()?;
/// assert_eq!(
///     serde_json::to_value(&request)?,
///     serde_json::json!({
///         "importo": 2000,
///         "callback_url": "https://e-commerce.example.com/callback_url",
///         "note": "Dilazione per motivo esempio",
///         "descrizione_prodotto": "Abbonamento mensile",
///         "cliente": "open"
///     })
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GatewayRequest {
    /// `importo`: the amount, in EUR (sent as euro cents). Must be greater than zero.
    #[serde(rename = "importo", with = "wire::cents")]
    pub amount: Money,
    /// `callback_url`: the absolute URL the gateway returns the customer to. Returning there
    /// proves nothing about the payment.
    pub callback_url: String,
    /// `note`: optional descriptive notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `descrizione_prodotto`: the product description.
    #[serde(rename = "descrizione_prodotto")]
    pub description: String,
    /// `cliente`: `"open"` unless changed with [`customer`](Self::customer). The
    /// documentation gives no other value.
    #[serde(rename = "cliente")]
    pub customer: String,
}

impl GatewayRequest {
    /// A request with the required fields and `cliente` = `"open"`.
    ///
    /// ```
    /// use jatapay::{Currency, GatewayRequest, Money};
    /// let r = GatewayRequest::new(Money::from_minor_units(990, Currency::EUR), "https://shop.example/r", "Pro plan");
    /// assert_eq!(r.customer, "open");
    /// ```
    pub fn new(
        amount: Money,
        callback_url: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        GatewayRequest {
            amount,
            callback_url: callback_url.into(),
            note: None,
            description: description.into(),
            customer: DEFAULT_CUSTOMER.to_owned(),
        }
    }

    /// Sets `note`.
    ///
    /// ```
    /// # use jatapay::{Currency, GatewayRequest, Money};
    /// let r = GatewayRequest::new(Money::from_minor_units(990, Currency::EUR), "https://shop.example/r", "Pro").note("first month");
    /// assert_eq!(r.note.as_deref(), Some("first month"));
    /// ```
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Overrides `cliente` (default `"open"`, the only documented value).
    ///
    /// ```
    /// # use jatapay::{Currency, GatewayRequest, Money};
    /// let r = GatewayRequest::new(Money::from_minor_units(990, Currency::EUR), "https://shop.example/r", "Pro").customer("open");
    /// assert_eq!(r.customer, "open");
    /// ```
    pub fn customer(mut self, customer: impl Into<String>) -> Self {
        self.customer = customer.into();
        self
    }

    /// The request, checked: every rule [`Subscriptions::create`](crate::Subscriptions::create)
    /// and [`Payments::create`](crate::Payments::create) check before sending, here at the
    /// point where the request is made (operation `gateway_request.build`). Errors name the wire
    /// field, as for [`validate`](Self::validate).
    ///
    /// ```
    /// use jatapay::{Currency, GatewayRequest, Money};
    /// let request = GatewayRequest::new(Money::parse("20.00", Currency::EUR)?, "https://shop.example/r", "Pro").build()?;
    /// let err = GatewayRequest::new(Money::parse("20.00", Currency::EUR)?, "https://shop.example/r", " ")
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!((err.operation(), err.invalid_field()), ("gateway_request.build", Some("descrizione_prodotto")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Self, Error> {
        self.check().map_err(Error::at("gateway_request.build"))?;
        Ok(self)
    }

    /// Checks the request without consuming it (operation `gateway_request.validate`); the
    /// client runs the same checks before sending. Errors name the wire field:
    /// `importo` (not EUR, not greater than zero, above [`MAX_AMOUNT_CENTS`]), `callback_url`
    /// (not an absolute `https` URL — plain `http` only to loopback —, user name or password,
    /// whitespace or control characters, longer than [`MAX_CALLBACK_URL_BYTES`]),
    /// `descrizione_prodotto` and `cliente` (blank, too long, control characters), `note`
    /// (too long, control characters).
    ///
    /// ```
    /// use jatapay::{Currency, GatewayRequest, Money};
    /// let usd = GatewayRequest::new(Money::from_minor_units(990, Currency::USD), "https://shop.example/r", "Pro");
    /// assert_eq!(usd.validate().unwrap_err().invalid_field(), Some("importo"));
    /// let http = GatewayRequest::new(Money::from_minor_units(990, Currency::EUR), "http://shop.example/r", "Pro");
    /// assert_eq!(http.validate().unwrap_err().invalid_field(), Some("callback_url"));
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.check().map_err(Error::at("gateway_request.validate"))
    }

    /// Every check, with the shared error kind.
    pub(crate) fn check(&self) -> Result<(), ErrorKind> {
        const AMOUNT: &str = "importo";
        if self.amount.currency() != wire::CURRENCY {
            return Err(ErrorKind::invalid(
                AMOUNT,
                format!("JataPay accepts EUR only (got {})", self.amount.currency()),
            ));
        }
        validate::positive_amount(AMOUNT, self.amount)?;
        if self.amount.minor_units() > MAX_AMOUNT_CENTS {
            return Err(ErrorKind::invalid(
                AMOUNT,
                format!("is above the maximum of {MAX_AMOUNT_CENTS} cents"),
            ));
        }
        validate::callback_url("callback_url", &self.callback_url, MAX_CALLBACK_URL_BYTES)?;
        if let Some(note) = &self.note {
            validate::optional_text("note", note, MAX_NOTE_CHARS)?;
        }
        validate::text(
            "descrizione_prodotto",
            &self.description,
            MAX_DESCRIPTION_CHARS,
        )?;
        validate::text("cliente", &self.customer, MAX_CUSTOMER_CHARS)?;
        Ok(())
    }
}
