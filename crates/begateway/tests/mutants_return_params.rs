//! `ReturnParams::from_url`, which the mutation run found unasserted: the lookup handles are
//! read from the query of the URL the customer's browser came back on, and a URL without a
//! query gives none.

use begateway::{ReturnParams, Url};

#[test]
fn from_url_reads_the_handles_of_the_return_urls_query() {
    let url = Url::parse(
        "https://shop.example/return?order=42&uid=1-310b0da80b&status=successful&token=abc",
    )
    .unwrap();
    let params = ReturnParams::from_url(&url);
    assert_eq!(params.uid().map(|u| u.as_str()), Some("1-310b0da80b"));
    assert_eq!(params.token(), Some("abc"));
    assert_eq!(params, ReturnParams::parse(url.query().unwrap()));

    let bare = Url::parse("https://shop.example/return").unwrap();
    assert_eq!(ReturnParams::from_url(&bare), ReturnParams::default());
}
