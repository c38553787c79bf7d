//! The card values a caller builds: card numbers refused under the builder's field, `Debug`
//! renderings that show what helps and nothing secret, card-token updates, and an undecodable
//! card-token answer with its token masked.

mod common;

use begateway::{Card, CreateCardToken, ErrorKind, PaymentSource, SecretString, UpdateCardToken};
use httpmock::MockServer;

fn number_field(number: &str) -> Option<String> {
    match CreateCardToken::new(SecretString::from(number.to_owned()), "Jane Doe", 12, 2030).build()
    {
        Ok(_) => None,
        Err(e) => match e.kind() {
            ErrorKind::InvalidRequest { field, .. } => Some(field.to_string()),
            other => panic!("{number}: expected InvalidRequest, got {other:?}"),
        },
    }
}

/// Card numbers are checked with Luhn (`payments_common::validate::card_number`, tested
/// there on every scheme's test numbers) and refused under the builder's field name.
#[test]
fn a_card_number_failing_luhn_is_refused_under_its_field() {
    assert_eq!(number_field("5555555555554444"), None);
    assert_eq!(number_field("5555555555554445").as_deref(), Some("number"));
    assert_eq!(
        number_field("5555 5555 5555 4444").as_deref(),
        Some("number")
    );
}

#[test]
fn debug_shows_the_holder_and_the_kind_of_source_never_the_card() {
    let card = Card::new(
        SecretString::from("5555555555554444".to_owned()),
        SecretString::from("737".to_owned()),
        "Jane Doe",
        3,
        2031,
    );
    let shown = format!("{card:?}");
    assert!(
        shown.starts_with("Card") && shown.contains("Jane Doe"),
        "{shown}"
    );
    assert!(
        !shown.contains("5555555555554444") && !shown.contains("737"),
        "{shown}"
    );

    let source = format!("{:?}", PaymentSource::Card(card));
    assert!(
        source.starts_with("Card(") && source.contains("Jane Doe"),
        "{source}"
    );
    assert!(
        !source.contains("4444") && !source.contains("737"),
        "{source}"
    );

    let token = format!(
        "{:?}",
        PaymentSource::Token(SecretString::from("tok_secret_123".to_owned()))
    );
    assert_eq!(token, "Token(***)");

    let create = CreateCardToken::new(
        SecretString::from("5555555555554444".to_owned()),
        "Jane Doe",
        3,
        2031,
    );
    let shown = format!("{create:?}");
    assert!(
        shown.starts_with("CreateCardToken")
            && shown.contains("Jane Doe")
            && shown.contains("2031"),
        "{shown}"
    );
    assert!(!shown.contains("5555555555554444"), "{shown}");
}

/// An update keeps what was set on it, and one that changes nothing is refused by name.
#[test]
fn a_card_token_update_keeps_its_changes_and_needs_one() {
    let update = UpdateCardToken::new()
        .holder("JANE DOE")
        .expiry(4, 2032)
        .build()
        .unwrap();
    let shown = format!("{update:?}");
    assert!(
        shown.contains("JANE DOE") && shown.contains("2032"),
        "{shown}"
    );
    let refused = UpdateCardToken::new().build().unwrap_err();
    assert!(
        matches!(refused.kind(), ErrorKind::InvalidRequest { field, .. } if field == "request"),
        "{refused:?}"
    );
}

/// A 200 answer to a card-token creation that is not a card token is a decode error that
/// quotes the body, with the token it carries masked wherever it appears (the `token` field,
/// and a message that repeats it): the token charges the card.
#[tokio::test]
async fn an_undecodable_card_token_answer_is_reported_with_its_token_masked() {
    const TOKEN: &str = "tok_3f9a1c7e5b2d8f4a6c0e9b7d5f3a1c8e";
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/credit_cards");
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"token":"{TOKEN}","holder":"JANE DOE","exp_month":"April"}}"#
                ));
        })
        .await;
    let error = common::client(&server.base_url())
        .card_tokens()
        .create(&CreateCardToken::new(
            "4200000000000000",
            "JANE DOE",
            4,
            2032,
        ))
        .await
        .unwrap_err();

    let text = format!("{error:?} {error}");
    assert!(matches!(error.kind(), ErrorKind::Decode { .. }), "{text}");
    assert!(text.contains("JANE DOE"), "the body is quoted: {text}");
    for window in TOKEN.as_bytes().windows(8) {
        let part = std::str::from_utf8(window).unwrap();
        assert!(
            !text.contains(part),
            "part of the token ({part}) leaked: {text}"
        );
    }
}
