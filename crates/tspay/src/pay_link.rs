//! Pay links (`POST /{itemId}/link2pay`, or `POST /orders/link2pay`): "Richiesta link per
//! effettuare un pagamento".

use std::collections::BTreeMap;

use payments_common::http::Request;
use payments_common::{Money, Reconciliation, validate};
use serde::Serialize;

use crate::client::{Client, PathStyle, Route, resolve_style};
use crate::error;
use crate::error::KResult;
use crate::ids::ItemId;
use crate::link::{self, LinkCreated, Locale, SourceType, Template, UseLimit};
use crate::{Error, Result};

/// The operation named in this module's errors.
const OPERATION: &str = "pay_links.create";

/// A request for a link the customer pays through.
///
/// Fields of the documentation page: `template`, `callbackUrl`, `sourceTypes`,
/// `maxPaymentsNumber`, `amount`, `externalRef`, `metadata`. Fields only the public
/// integration sends: `currency`, `langLocale`, `cancelUrl`, `contactRequest`,
/// `confirmationPageNote` (the meaning of the last two is inferred from their names).
///
/// Choices where the page is silent:
/// - `maxPaymentsNumber` has no documented default; the SDK always sends it, `1` unless told
///   otherwise ([`UseLimit::ONCE`], as the public integration does), so a link is never
///   payable an unlimited number of times by accident.
/// - `currency` is not on the page; the SDK sends `"EUR"` (as the public integration does)
///   unless [`PayLinkRequest::omit_currency`] is called for the documented route generation.
/// - `sourceTypes` is left out unless set: the provider's default is "both" (card and SDD).
///
/// Fatture in Cloud limits a TS Pay payment to between 1 and 30,000 EUR; that is a product
/// rule of Fatture in Cloud, documented here but not enforced.
///
/// ```
/// use tspay::{Currency, Money, PayLinkRequest, SourceType, Template};
///
/// let request = PayLinkRequest::new(
///     Template::new("Shop S.r.l.", "Ordine 42").payment_ref("Ordine #42"),
///     Money::parse("14.50", Currency::EUR)?,
/// )
/// .callback_url("https://shop.example/tspay/return?order=42")
/// .source_type(SourceType::Card)
/// .external_ref("customer-7")
/// .metadata("order_id", "42")
/// .build()?;
/// let body = serde_json::to_value(&request)?;
/// assert_eq!(body["amount"], 1450);
/// assert_eq!(body["currency"], "EUR");
/// assert_eq!(body["maxPaymentsNumber"], 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayLinkRequest {
    /// `template`: text and logo of the hosted payment page.
    template: Template,
    /// `callbackUrl`: where the customer is sent once the operation is complete (optional).
    #[serde(rename = "callbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<String>,
    /// `cancelUrl`: where the customer is sent on cancelling (public integration only).
    #[serde(rename = "cancelUrl", skip_serializing_if = "Option::is_none")]
    cancel_url: Option<String>,
    /// `sourceTypes`: accepted payment sources; absent = provider default ("both").
    #[serde(rename = "sourceTypes", skip_serializing_if = "Option::is_none")]
    source_types: Option<Vec<SourceType>>,
    /// `maxPaymentsNumber`: the most payments allowed (0 = unlimited).
    #[serde(rename = "maxPaymentsNumber")]
    max_payments: UseLimit,
    /// `amount`: the amount in euro cents (1450 = 14,50).
    #[serde(serialize_with = "link::cents")]
    amount: Money,
    /// `currency`: sent as the amount's currency code unless omitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'static str>,
    /// `langLocale`: language of the hosted page (public integration only).
    #[serde(rename = "langLocale", skip_serializing_if = "Option::is_none")]
    locale: Option<Locale>,
    /// `externalRef`: a unique reference to the payer, searchable later.
    #[serde(rename = "externalRef", skip_serializing_if = "Option::is_none")]
    external_ref: Option<String>,
    /// `metadata`: traceability data for reconciliation (an object of strings).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    metadata: BTreeMap<String, String>,
    /// `contactRequest`: whether the hosted page asks the payer for contact details (public
    /// integration only; meaning inferred).
    #[serde(rename = "contactRequest", skip_serializing_if = "Option::is_none")]
    contact_request: Option<bool>,
    /// `confirmationPageNote`: a note shown on the confirmation page (public integration only;
    /// meaning inferred).
    #[serde(
        rename = "confirmationPageNote",
        skip_serializing_if = "Option::is_none"
    )]
    confirmation_page_note: Option<String>,
}

impl PayLinkRequest {
    /// A pay link for `amount` (EUR, greater than zero), payable once.
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("Shop", "Ordine 1"), Money::from_minor_units(990, Currency::EUR));
    /// assert!(r.validate().is_ok());
    /// ```
    pub fn new(template: Template, amount: Money) -> Self {
        PayLinkRequest {
            template,
            callback_url: None,
            cancel_url: None,
            source_types: None,
            max_payments: UseLimit::ONCE,
            amount,
            currency: Some("EUR"),
            locale: None,
            external_ref: None,
            metadata: BTreeMap::new(),
            contact_request: None,
            confirmation_page_note: None,
        }
    }

    /// `callbackUrl`: where the customer is sent once the operation is complete. Arriving
    /// there proves nothing: confirm with
    /// [`Client::confirm_payment`](crate::Client::confirm_payment). Checked by
    /// [`PayLinkRequest::build`] and before sending: absolute, `https` (plain `http` only to
    /// a loopback host).
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .callback_url("http://shop.example/return");
    /// assert_eq!(r.build().unwrap_err().invalid_field(), Some("callbackUrl"));
    /// ```
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// `cancelUrl`: where the customer is sent on cancelling (sent by the public integration;
    /// not on the documentation page).
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .cancel_url("https://shop.example/cancel")
    ///     .build()?;
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn cancel_url(mut self, url: impl Into<String>) -> Self {
        self.cancel_url = Some(url.into());
        self
    }

    /// `contactRequest`: whether the hosted page asks the payer for contact details. Sent by
    /// the public integration (as `false`); its meaning is inferred from the name. Left out
    /// unless set.
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .contact_request(false);
    /// assert_eq!(serde_json::to_value(&r)?["contactRequest"], false);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn contact_request(mut self, ask: bool) -> Self {
        self.contact_request = Some(ask);
        self
    }

    /// `confirmationPageNote`: a note for the payer on the confirmation page (at most
    /// [`MAX_TEXT_CHARS`](crate::MAX_TEXT_CHARS) characters, an SDK cap). Sent by the public
    /// integration only when not empty; its meaning is inferred from the name.
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .confirmation_page_note("Conferma il pagamento");
    /// assert_eq!(serde_json::to_value(&r)?["confirmationPageNote"], "Conferma il pagamento");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn confirmation_page_note(mut self, note: impl Into<String>) -> Self {
        self.confirmation_page_note = Some(note.into());
        self
    }

    /// Adds one accepted payment source to `sourceTypes` (duplicates are ignored).
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, SourceType, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .source_type(SourceType::Card)
    ///     .source_type(SourceType::SepaDebit);
    /// assert_eq!(serde_json::to_value(&r)?["sourceTypes"], serde_json::json!(["card", "sepa_debit"]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn source_type(mut self, source: SourceType) -> Self {
        link::push_unique(self.source_types.get_or_insert_with(Vec::new), source);
        self
    }

    /// `maxPaymentsNumber`: how many payments the link accepts (default: once).
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template, UseLimit};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .max_payments(UseLimit::Unlimited);
    /// assert_eq!(serde_json::to_value(&r)?["maxPaymentsNumber"], 0);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn max_payments(mut self, limit: UseLimit) -> Self {
        self.max_payments = limit;
        self
    }

    /// Leaves `currency` out of the body, as the documentation page's field table does (for
    /// the `/{itemId}/link2pay` generation). The amount must still be in EUR.
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR)).omit_currency();
    /// assert!(serde_json::to_value(&r)?.get("currency").is_none());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn omit_currency(mut self) -> Self {
        self.currency = None;
        self
    }

    /// `langLocale`: the language of the hosted page.
    ///
    /// ```
    /// # use tspay::{Currency, Locale, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .locale(Locale::Italian);
    /// ```
    pub fn locale(mut self, locale: Locale) -> Self {
        self.locale = Some(locale);
        self
    }

    /// `externalRef`: a unique reference to the payer, to search by later. Also the
    /// reconciliation handle of an
    /// [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown).
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .external_ref("customer-7");
    /// ```
    pub fn external_ref(mut self, reference: impl Into<String>) -> Self {
        self.external_ref = Some(reference.into());
        self
    }

    /// Adds one `metadata` entry (traceability data for reconciliation).
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(1, Currency::EUR))
    ///     .metadata("order_id", "42");
    /// assert_eq!(serde_json::to_value(&r)?["metadata"]["order_id"], "42");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// The amount.
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(5, Currency::EUR));
    /// assert_eq!(r.amount().minor_units(), 5);
    /// ```
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// Checks the request as [`PayLinks::create`] does before sending anything:
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) naming the wire field
    /// (operation `"pay_links.create"`).
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(0, Currency::EUR));
    /// assert_eq!(r.validate().unwrap_err().invalid_field(), Some("amount"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.check().map_err(Error::at(OPERATION))
    }

    /// Runs every check of [`PayLinkRequest::validate`] and returns the request, so that a
    /// builder chain ends in a request known to be sendable.
    ///
    /// ```
    /// # use tspay::{Currency, Money, PayLinkRequest, Template};
    /// let r = PayLinkRequest::new(Template::new("S", "O"), Money::from_minor_units(990, Currency::EUR))
    ///     .callback_url("https://shop.example/return")
    ///     .build()?;
    /// # let _ = r;
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn build(self) -> Result<Self> {
        self.validate()?;
        Ok(self)
    }

    fn check(&self) -> KResult<()> {
        link::check_amount("amount", "currency", self.amount)?;
        link::check_common(
            &self.template,
            self.callback_url.as_ref(),
            self.source_types.as_ref(),
            self.external_ref.as_ref(),
            &self.metadata,
        )?;
        if let Some(url) = &self.cancel_url {
            validate::callback_url("cancelUrl", url, validate::DEFAULT_MAX_URL_LEN)?;
        }
        if let Some(note) = &self.confirmation_page_note {
            validate::text("confirmationPageNote", note, link::MAX_TEXT_CHARS)?;
        }
        if let Some(Locale::Unknown(other)) = &self.locale {
            validate::text("langLocale", other, 16)?;
        }
        Ok(())
    }
}

/// Pay links; from [`Client::pay_links`].
#[derive(Debug)]
pub struct PayLinks<'a> {
    client: &'a Client,
    style: Option<PathStyle>,
}

impl<'a> PayLinks<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        PayLinks {
            client,
            style: None,
        }
    }

    /// Uses `/{itemId}/link2pay` with this item id for this call.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client, r: tspay::PayLinkRequest) -> tspay::Result<()> {
    /// let link = client.pay_links().item_id("company-42").create(&r).await?;
    /// # Ok(()) }
    /// ```
    pub fn item_id(mut self, item_id: impl Into<ItemId>) -> Self {
        self.style = Some(PathStyle::Gateway {
            item_id: item_id.into(),
        });
        self
    }

    /// Uses this path style for this call.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client, r: tspay::PayLinkRequest) -> tspay::Result<()> {
    /// let link = client.pay_links().path_style(tspay::PathStyle::Direct).create(&r).await?;
    /// # Ok(()) }
    /// ```
    pub fn path_style(mut self, style: PathStyle) -> Self {
        self.style = Some(style);
        self
    }

    /// Creates the pay link: the customer pays at the returned `url`.
    ///
    /// Invalid input fails before anything is sent. The call is not repeated once it may have
    /// reached TS Pay (no idempotency key is documented): an ambiguous failure is
    /// [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown) carrying the
    /// `externalRef`. Errors name the operation `"pay_links.create"`.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client, r: tspay::PayLinkRequest) -> tspay::Result<()> {
    /// let link = client.pay_links().create(&r).await?;
    /// println!("redirect to {} (order {})", link.url, link.order_key);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &PayLinkRequest) -> Result<LinkCreated> {
        self.send(request).await.map_err(Error::at(OPERATION))
    }

    async fn send(&self, request: &PayLinkRequest) -> KResult<LinkCreated> {
        const WIRE_OPERATION: &str = "tspay.link2pay.create";
        request.check()?;
        let style = resolve_style(self.client, self.style.as_ref())?;
        let url = style.url(self.client.base_url(), Route::PayLink);
        let reconciliation = request
            .external_ref
            .as_ref()
            .map(Reconciliation::merchant_reference)
            .unwrap_or_default();
        let http_request = Request::post(WIRE_OPERATION, url)
            .bearer_auth(self.client.api_key())?
            .json(request)?
            .reconcile_with(reconciliation);
        self.client
            .http()
            .execute(http_request, error::handle)
            .await
    }
}
