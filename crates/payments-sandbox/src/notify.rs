//! Delivery of provider notifications to merchant endpoints.
//!
//! Deliveries are made synchronously by the handler that caused them (before it redirects the
//! browser), so a test that has followed the redirect has already received the notification.
//! A failed delivery is logged and recorded, never fatal.

use crate::Delivery;
use crate::state::Shared;

/// POSTs `body` to `url` with `headers`, records the outcome and returns it.
pub(crate) async fn deliver(
    app: &Shared,
    provider: &'static str,
    url: &str,
    body: Vec<u8>,
    headers: Vec<(impl Into<String>, String)>,
) -> Delivery {
    let headers: Vec<(String, String)> = headers.into_iter().map(|(k, v)| (k.into(), v)).collect();
    let mut req = app
        .http
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json");
    for (name, value) in &headers {
        req = req.header(name.as_str(), value);
    }
    let result = req.body(body.clone()).send().await;
    let (status, answer, error) = match result {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let answer = match resp.bytes().await {
                Ok(bytes) => {
                    let head = &bytes[..bytes.len().min(1024)];
                    Some(String::from_utf8_lossy(head).into_owned())
                }
                Err(_) => None,
            };
            (Some(status), answer, None)
        }
        Err(err) => {
            tracing::warn!(provider, url, error = %err, "notification delivery failed");
            (None, None, Some(err.to_string()))
        }
    };
    if let Some(code) = status {
        tracing::info!(provider, url, status = code, "notification delivered");
    }
    let delivery = Delivery {
        provider,
        url: url.to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        status,
        error,
        answer,
    };
    app.lock().deliveries.push(delivery.clone());
    delivery
}
