//! Section 7.2: rows I1–I10 against every request builder of every provider.
//!
//! Each input must give a typed error naming the field, and the fault server the client points
//! at must see zero requests. Inputs rejected before a request value can even exist (a
//! currency code that does not parse, a decimal string [`Money::parse`] refuses) are counted
//! too: the typed error is the rejection and no request can be made.
//!
//! [`Money::parse`]: payments_common::Money::parse

pub mod begateway;
pub mod greenpay;
pub mod jatapay;
pub mod path_ids;
pub mod tspay;

use std::future::Future;

use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Currency, Error, Money, Url};
use payments_reliability::{CaseEnd, DEADLINE, canary, report, run_case};

/// Calls `call` against a fault server (which answers anything with an empty 200) and checks
/// that it fails with `InvalidRequest` naming `field` and that the server saw nothing.
pub async fn rejected<F, Fut, T>(builder: &str, row: &str, input: &str, field: &str, call: F)
where
    F: FnOnce(Url) -> Fut,
    Fut: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, "{}"))]).await;
    let label = format!("{builder} {row} {input:?}");
    let end = run_case(&label, DEADLINE, call(server.base_url())).await;
    let (passed, detail) = match end {
        CaseEnd::Done(Err(err)) => {
            canary::scan_error(&label, &err);
            (
                err.invalid_field() == Some(field),
                format!("expected InvalidRequest({field}), got {err}"),
            )
        }
        CaseEnd::Done(Ok(_)) => (false, "accepted".to_owned()),
        other => (false, format!("{:?}", other.map_ok())),
    };
    report::bad_input(builder, row, input, passed, server.attempts(), &detail);
}

/// Records an input rejected without any request: `result` must be an `InvalidRequest`
/// naming `field`.
pub fn rejected_now<T>(
    builder: &str,
    row: &str,
    input: &str,
    field: &str,
    result: Result<T, Error>,
) {
    let label = format!("{builder} {row} {input:?}");
    let (passed, detail) = match result {
        Err(err) => {
            canary::scan_error(&label, &err);
            (
                err.invalid_field() == Some(field),
                format!("expected InvalidRequest({field}), got {err}"),
            )
        }
        Ok(_) => (false, "accepted".to_owned()),
    };
    report::bad_input(builder, row, input, passed, 0, &detail);
}

/// Records a type-level rejection (an `Err` of any typed error) of `input`.
pub fn rejected_by_type<T, E: std::fmt::Display + std::fmt::Debug>(
    builder: &str,
    row: &str,
    input: &str,
    result: Result<T, E>,
) {
    let label = format!("{builder} {row} {input:?}");
    let (passed, detail) = match result {
        Err(err) => {
            canary::scan(&label, &format!("{err} {err:?}"));
            (true, String::new())
        }
        Ok(_) => (false, "accepted".to_owned()),
    };
    report::bad_input(builder, row, input, passed, 0, &detail);
}

trait MapOk {
    fn map_ok(self) -> String;
}

impl<T> MapOk for CaseEnd<T> {
    fn map_ok(self) -> String {
        match self {
            CaseEnd::Done(_) => "done".to_owned(),
            CaseEnd::Panicked => "panicked".to_owned(),
            CaseEnd::Hung(after) => format!("hung for {after:?}"),
        }
    }
}

/// Rows I1 (malformed codes), I3 (excess precision) and I6 (decimal syntax), I5 (i64
/// overflow): these never reach a builder — the types refuse them. Run once per provider
/// crate, under its builder's name, because each crate takes `Money`/`Currency` from the caller.
pub fn type_level_rows(builder: &str) {
    for code in ["ABC", "u$d", "US", "EURO", "", "XAU", "XXX"] {
        let row = if code.starts_with('X') { "I2" } else { "I1" };
        rejected_by_type(builder, row, code, Currency::from_code(code));
    }
    for (text, currency) in [
        ("1.5", Currency::JPY),
        ("10.001", Currency::USD),
        ("1.2345", Currency::BHD),
        ("10.001", Currency::EUR),
    ] {
        rejected_now(
            builder,
            "I3",
            &format!("{text} {}", currency.code()),
            "amount",
            Money::parse(text, currency).map_err(Error::from),
        );
    }
    for text in ["1e3", " 10", "10,00", "NaN", "+5", ""] {
        rejected_now(
            builder,
            "I6",
            text,
            "amount",
            Money::parse(text, Currency::EUR).map_err(Error::from),
        );
    }
    rejected_now(
        builder,
        "I5",
        "92233720368547758.08 EUR",
        "amount",
        Money::parse("92233720368547758.08", Currency::EUR).map_err(Error::from),
    );
}

/// The unsafe URLs of row I7, with a label.
pub fn unsafe_urls() -> Vec<(&'static str, String)> {
    vec![
        (
            "http to a public host",
            "http://shop.example/return".to_owned(),
        ),
        ("javascript:", "javascript:alert(1)".to_owned()),
        ("relative", "/relative/return".to_owned()),
        ("userinfo", "https://user:pw@shop.example/return".to_owned()),
        ("whitespace", "https://shop.example/re turn".to_owned()),
        (
            "CRLF",
            "https://shop.example/return\r\nX-Injected: 1".to_owned(),
        ),
        (
            "over 2048 bytes",
            format!("https://shop.example/{}", "a".repeat(2100)),
        ),
    ]
}

/// Over-long text with a multibyte character straddling the limit: `limit` characters of
/// ASCII would be fine; this is `limit - 1` ASCII characters and two `€` (`limit + 1`
/// characters, and far more bytes).
pub fn straddling(limit: usize) -> String {
    format!("{}€€", "a".repeat(limit - 1))
}
