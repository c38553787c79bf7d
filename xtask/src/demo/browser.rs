//! The customer's browser: opens a hosted payment page and submits its Pay or Decline form,
//! without following the redirect, so that the demo can check where it points.

use std::time::Duration;

use url::Url;

/// A plain HTTP client that never follows redirects.
pub(crate) struct Browser {
    http: reqwest::Client,
}

/// What the hosted page answered to the customer's decision.
pub(crate) struct Redirect {
    /// The HTTP status (the sandbox answers `303 See Other`).
    pub(crate) status: u16,
    /// The `Location` header, parsed.
    pub(crate) location: Url,
}

impl Browser {
    /// A browser with a 10-second timeout per request.
    pub(crate) fn new() -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("could not build the browser's HTTP client: {e}"))?;
        Ok(Browser { http })
    }

    /// `GET page` → the HTTP status and whether it shows a Pay button.
    pub(crate) async fn open(&self, page: &Url) -> Result<(u16, bool), String> {
        let response = self
            .http
            .get(page.as_str())
            .send()
            .await
            .map_err(|e| format!("GET {page}: {e}"))?;
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .map_err(|e| format!("GET {page}: {e}"))?;
        Ok((status, body.contains("id=\"pay\"")))
    }

    /// Submits the page's form with `decision=pay` or `decision=decline` and returns the
    /// redirect; anything but a redirect with a `Location` is an error.
    pub(crate) async fn decide(&self, page: &Url, decision: &str) -> Result<Redirect, String> {
        self.submit(page, decision, &[]).await
    }

    /// [`Browser::decide`] with the page's hidden inputs (`name`, `value`) submitted too, as
    /// a browser sends them with the form.
    pub(crate) async fn submit(
        &self,
        page: &Url,
        decision: &str,
        hidden: &[(&str, &str)],
    ) -> Result<Redirect, String> {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("decision", decision);
        for (name, value) in hidden {
            form.append_pair(name, value);
        }
        let response = self
            .http
            .post(page.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.finish())
            .send()
            .await
            .map_err(|e| format!("POST {page}: {e}"))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| format!("POST {page}: HTTP {status} without a Location header"))?;
        let location =
            Url::parse(location).map_err(|e| format!("Location {location:?} is not a URL: {e}"))?;
        Ok(Redirect { status, location })
    }
}

/// Whether `location` is `expected` (same origin and path) with `expected`'s query pairs
/// first, in order; the provider may append its own pairs after them.
pub(crate) fn is_return_to(location: &Url, expected: &Url) -> bool {
    let same_target = location.origin() == expected.origin() && location.path() == expected.path();
    let ours: Vec<_> = expected.query_pairs().collect();
    let theirs: Vec<_> = location.query_pairs().take(ours.len()).collect();
    same_target && ours == theirs
}

/// `url` for the report, with long query values (such as beGateway's checkout `token`)
/// shortened to their first 8 characters.
pub(crate) fn shown(url: &Url) -> String {
    let target = &url[..url::Position::AfterPath];
    if url.query().is_none() {
        return target.to_owned();
    }
    let pairs: Vec<String> = url
        .query_pairs()
        .map(|(k, v)| {
            if v.chars().count() > 16 {
                format!("{k}={}…", v.chars().take(8).collect::<String>())
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    format!("{target}?{}", pairs.join("&"))
}
