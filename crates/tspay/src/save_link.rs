//! Save links (`POST /{itemId}/link2save`, or `POST /orders/link2save`): "Richiesta link per
//! memorizzare una sorgente di pagamento per addebiti futuri e ricorrenti" — a link where the
//! customer stores a payment source (a card, an SDD mandate) for future and recurring debits.

use std::collections::BTreeMap;

use payments_common::http::Request;
use payments_common::{Money, Reconciliation, validate};
use serde::Serialize;

use crate::client::{Client, PathStyle, Route, resolve_style};
use crate::error;
use crate::error::KResult;
use crate::ids::ItemId;
use crate::link::{self, LinkCreated, SourceType, Template, UseLimit};
use crate::{Error, Result};

/// The operation named in this module's errors.
const OPERATION: &str = "save_links.create";

/// A request for a link where the customer saves a payment source for future debits.
///
/// Fields of the documentation page: `template`, `callbackUrl`, `sourceTypes`,
/// `maxSourceNumber` (0 = unlimited, default 1), `maxAmount` (cumulative cap, cents),
/// `contextId`, `externalRef`, `metadata`.
///
/// Choices where the page is silent: `maxSourceNumber` is always sent (default `1`, the
/// documented default); `maxAmount` and `contextId` are optional (the page does not say);
/// `sourceTypes` is left out unless set (provider default "both"). No public source shows the
/// `/orders/link2save` route of the [`PathStyle::Direct`] generation: it is inferred by analogy
/// with `/orders/link2pay`.
///
/// ```
/// use tspay::{Currency, Money, SaveLinkRequest, SourceType, Template};
///
/// let request = SaveLinkRequest::new(Template::new("Shop S.r.l.", "Abbonamento annuale"))
///     .source_type(SourceType::SepaDebit)
///     .max_amount(Money::parse("1200.00", Currency::EUR)?)
///     .context_id("invoice-2024-001")
///     .external_ref("customer-7");
/// let body = serde_json::to_value(&request)?;
/// assert_eq!(body["maxAmount"], 120000);
/// assert_eq!(body["maxSourceNumber"], 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SaveLinkRequest {
    /// `template`: text and logo of the hosted page.
    template: Template,
    /// `callbackUrl`: where the customer is sent once the operation is complete (optional).
    #[serde(rename = "callbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<String>,
    /// `sourceTypes`: accepted payment sources; absent = provider default ("both").
    #[serde(rename = "sourceTypes", skip_serializing_if = "Option::is_none")]
    source_types: Option<Vec<SourceType>>,
    /// `maxSourceNumber`: the most sources that may be saved (0 = unlimited, default 1).
    #[serde(rename = "maxSourceNumber")]
    max_sources: UseLimit,
    /// `maxAmount`: the cumulative cap of the debits, in euro cents.
    #[serde(
        rename = "maxAmount",
        serialize_with = "link::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    max_amount: Option<Money>,
    /// `contextId`: what the saved source applies to — the invoice, on the page.
    #[serde(rename = "contextId", skip_serializing_if = "Option::is_none")]
    context_id: Option<String>,
    /// `externalRef`: a unique reference to the payer, searchable later.
    #[serde(rename = "externalRef", skip_serializing_if = "Option::is_none")]
    external_ref: Option<String>,
    /// `metadata`: traceability data for reconciliation (an object of strings).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    metadata: BTreeMap<String, String>,
}

impl SaveLinkRequest {
    /// A save link for one payment source.
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("Shop", "Abbonamento"));
    /// assert!(r.validate().is_ok());
    /// ```
    pub fn new(template: Template) -> Self {
        SaveLinkRequest {
            template,
            callback_url: None,
            source_types: None,
            max_sources: UseLimit::ONCE,
            max_amount: None,
            context_id: None,
            external_ref: None,
            metadata: BTreeMap::new(),
        }
    }

    /// `callbackUrl`: where the customer is sent once the operation is complete (checked by
    /// [`SaveLinkRequest::build`] and before sending).
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A"))
    ///     .callback_url("https://shop.example/saved")
    ///     .build()?;
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// Adds one accepted payment source to `sourceTypes` (duplicates are ignored).
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A")).source_type(tspay::SourceType::Card);
    /// ```
    pub fn source_type(mut self, source: SourceType) -> Self {
        link::push_unique(self.source_types.get_or_insert_with(Vec::new), source);
        self
    }

    /// `maxSourceNumber`: how many sources may be saved (default: one).
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A")).max_sources(tspay::UseLimit::Unlimited);
    /// assert_eq!(serde_json::to_value(&r)?["maxSourceNumber"], 0);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn max_sources(mut self, limit: UseLimit) -> Self {
        self.max_sources = limit;
        self
    }

    /// `maxAmount`: the most that may be debited in all (cumulative), in EUR.
    ///
    /// ```
    /// # use tspay::{Currency, Money};
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A"))
    ///     .max_amount(Money::from_minor_units(1450, Currency::EUR));
    /// ```
    pub fn max_amount(mut self, amount: Money) -> Self {
        self.max_amount = Some(amount);
        self
    }

    /// `contextId`: the context the saved source applies to (on the page, the invoice).
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A")).context_id("invoice-1");
    /// ```
    pub fn context_id(mut self, context: impl Into<String>) -> Self {
        self.context_id = Some(context.into());
        self
    }

    /// `externalRef`: a unique reference to the payer, to search by later.
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A")).external_ref("customer-7");
    /// ```
    pub fn external_ref(mut self, reference: impl Into<String>) -> Self {
        self.external_ref = Some(reference.into());
        self
    }

    /// Adds one `metadata` entry (traceability data for reconciliation).
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A")).metadata("contract", "C-9");
    /// ```
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// Checks the request as [`SaveLinks::create`] does before sending anything.
    ///
    /// ```
    /// # use tspay::{Currency, Money};
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A"))
    ///     .max_amount(Money::from_minor_units(100, Currency::USD));
    /// assert_eq!(r.validate().unwrap_err().invalid_field(), Some("maxAmount"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.check().map_err(Error::at(OPERATION))
    }

    /// Runs every check of [`SaveLinkRequest::validate`] and returns the request.
    ///
    /// ```
    /// let r = tspay::SaveLinkRequest::new(tspay::Template::new("S", "A")).context_id("invoice-1").build()?;
    /// # let _ = r;
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn build(self) -> Result<Self> {
        self.validate()?;
        Ok(self)
    }

    fn check(&self) -> KResult<()> {
        if let Some(max) = self.max_amount {
            link::check_amount("maxAmount", "maxAmount", max)?;
        }
        link::check_common(
            &self.template,
            self.callback_url.as_ref(),
            self.source_types.as_ref(),
            self.external_ref.as_ref(),
            &self.metadata,
        )?;
        if let Some(context) = &self.context_id {
            validate::text("contextId", context, link::MAX_TEXT_CHARS)?;
        }
        Ok(())
    }
}

/// Save links; from [`Client::save_links`].
#[derive(Debug)]
pub struct SaveLinks<'a> {
    client: &'a Client,
    style: Option<PathStyle>,
}

impl<'a> SaveLinks<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        SaveLinks {
            client,
            style: None,
        }
    }

    /// Uses `/{itemId}/link2save` with this item id for this call.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client, r: tspay::SaveLinkRequest) -> tspay::Result<()> {
    /// let link = client.save_links().item_id("company-42").create(&r).await?;
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
    /// # async fn run(client: tspay::Client, r: tspay::SaveLinkRequest) -> tspay::Result<()> {
    /// let link = client.save_links().path_style(tspay::PathStyle::Direct).create(&r).await?;
    /// # Ok(()) }
    /// ```
    pub fn path_style(mut self, style: PathStyle) -> Self {
        self.style = Some(style);
        self
    }

    /// Creates the save link: the customer saves a payment source at the returned `url`.
    ///
    /// Never repeated once it may have reached TS Pay: an ambiguous failure is
    /// [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown). Errors name the
    /// operation `"save_links.create"`.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client, r: tspay::SaveLinkRequest) -> tspay::Result<()> {
    /// let link = client.save_links().create(&r).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &SaveLinkRequest) -> Result<LinkCreated> {
        self.send(request).await.map_err(Error::at(OPERATION))
    }

    async fn send(&self, request: &SaveLinkRequest) -> KResult<LinkCreated> {
        const WIRE_OPERATION: &str = "tspay.link2save.create";
        request.check()?;
        let style = resolve_style(self.client, self.style.as_ref())?;
        let url = style.url(self.client.base_url(), Route::SaveLink);
        let reconciliation = request
            .external_ref
            .as_ref()
            .or(request.context_id.as_ref())
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
