//! The two paginated lists as a [`Stream`] of items, next to the page-at-a-time calls.

use std::future::Future;

use futures_core::Stream;
use futures_util::stream::{self, TryStreamExt};

use super::{
    ListPayments, ListSubscriptions, Page, SubscriptionPayment, SubscriptionSummary, Subscriptions,
};
use crate::Error;

/// Pages fetched at most by one stream (with 100 items a page, ten million items): a bound
/// against an answer that never says it is the last page.
const MAX_PAGES: u32 = 100_000;

impl Subscriptions<'_> {
    /// Every subscription `request` selects, from its page on, as a [`Stream`] that fetches
    /// the next page (`POST /subscriptions/list`, a retried read) only when the items of the
    /// current one are consumed. The stream ends after the last page (`totalPages`, or a short
    /// or empty page when GreenPay gives no total); an error ends it after being yielded.
    ///
    /// The stream owns a clone of the client (same pool), so it can outlive this handle.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use greenpay::subscriptions::{ListSubscriptions, SubscriptionFilters, SubscriptionStatus};
    /// # async fn run(client: greenpay::Client) -> greenpay::Result<()> {
    /// let active = ListSubscriptions::new(1, 100)
    ///     .filters(SubscriptionFilters::new().status(SubscriptionStatus::Active));
    /// let mut all = std::pin::pin!(client.subscriptions().list_stream(active));
    /// while let Some(subscription) = all.try_next().await? {
    ///     println!("{} {}", subscription.id, subscription.amount);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_stream(
        &self,
        request: ListSubscriptions,
    ) -> impl Stream<Item = Result<SubscriptionSummary, Error>> + Send + 'static {
        let client = self.client.clone();
        let first = request.page_number();
        let size = request.page_size();
        items(first, size, move |page| {
            let client = client.clone();
            let request = request.clone().at_page(page);
            async move { client.subscriptions().list(&request).await }
        })
    }

    /// Every payment of the subscription `request` names, from its page on, as a [`Stream`]
    /// (`POST /subscriptions/list/payments`, a retried read, one page at a time as the items
    /// are consumed). Ends as [`Subscriptions::list_stream`] does.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use greenpay::subscriptions::ListPayments;
    /// # async fn run(client: greenpay::Client) -> greenpay::Result<()> {
    /// let request = ListPayments::new("9541b344c3d45d421acd454d61251cde".into(), 1, 100);
    /// let payments: Vec<_> = client.subscriptions().payments_stream(request).try_collect().await?;
    /// println!("{} payments", payments.len());
    /// # Ok(()) }
    /// ```
    pub fn payments_stream(
        &self,
        request: ListPayments,
    ) -> impl Stream<Item = Result<SubscriptionPayment, Error>> + Send + 'static {
        let client = self.client.clone();
        let first = request.page_number();
        let size = request.page_size();
        items(first, size, move |page| {
            let client = client.clone();
            let request = request.clone().at_page(page);
            async move { client.subscriptions().list_payments(&request).await }
        })
    }
}

/// The items of pages `first`, `first + 1`, … as `fetch` returns them, until the last page.
fn items<T, F, Fut>(
    first: u32,
    page_size: u32,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: Send + 'static,
    F: FnMut(u32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    stream::try_unfold((Some(first), fetch), move |(next, mut fetch)| async move {
        let Some(page) = next else {
            return Ok(None);
        };
        let listed = fetch(page).await?;
        let more = !listed.entries.is_empty()
            && match listed.total_pages {
                Some(total) => i64::from(page) < total,
                None => listed.entries.len() >= usize::try_from(page_size).unwrap_or(usize::MAX),
            };
        let next = if more && page < first.saturating_add(MAX_PAGES) {
            page.checked_add(1)
        } else {
            None
        };
        let entries = stream::iter(listed.entries.into_iter().map(Ok::<T, Error>));
        Ok(Some((entries, (next, fetch))))
    })
    .try_flatten()
}
