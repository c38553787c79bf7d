//! The rules of the order, token-payment and tokenization values a caller reads or builds: the
//! outcome a token payment's answer reads as, session tokens compared by value, the documented
//! session lifetime, the accessors, and the limits checked before anything is sent.

mod common;

use std::time::Duration;

use greenpay::cards::TokenizationOrder;
use greenpay::orders::{
    OrderSession, SESSION_LIFETIME, SessionToken, TokenPayment, TokenPaymentResult,
};
use greenpay::{CardToken, Currency, ErrorKind, Money, PaymentOutcome};

fn token_payment(json: serde_json::Value) -> TokenPaymentResult {
    serde_json::from_value(json).unwrap()
}

/// `Paid` only for status 200 with `result.success` true and no errors; any reported decline
/// (`success` false, or an error message) is `Failed`; anything else is still `Pending`.
#[test]
fn a_token_payment_reads_paid_only_when_greenpay_says_so() {
    use serde_json::json;
    let cases = [
        (
            json!({"status": 200, "result": {"success": true}, "errors": []}),
            PaymentOutcome::Paid,
        ),
        (
            json!({"status": 200, "result": {"success": true}}),
            PaymentOutcome::Paid,
        ),
        // A success flag next to an error message is not a payment.
        (
            json!({"status": 200, "result": {"success": true}, "errors": ["Card declined"]}),
            PaymentOutcome::Failed,
        ),
        (
            json!({"status": 200, "result": {"success": false}}),
            PaymentOutcome::Failed,
        ),
        (
            json!({"status": 400, "result": {"success": false}, "errors": []}),
            PaymentOutcome::Failed,
        ),
        (
            json!({"errors": ["Insufficient funds"]}),
            PaymentOutcome::Failed,
        ),
        (
            json!({"status": 400, "errors": ["Invalid token"]}),
            PaymentOutcome::Failed,
        ),
        // Not settled, or not said: never paid.
        (
            json!({"status": 201, "result": {"success": true}}),
            PaymentOutcome::Pending,
        ),
        (
            json!({"result": {"success": true}}),
            PaymentOutcome::Pending,
        ),
        (json!({"status": 200}), PaymentOutcome::Pending),
        (json!({}), PaymentOutcome::Pending),
    ];
    for (body, expected) in cases {
        assert_eq!(token_payment(body.clone()).outcome(), expected, "{body}");
    }
}

#[test]
fn session_tokens_compare_by_value() {
    assert_eq!(SessionToken::new("tok-a"), SessionToken::new("tok-a"));
    assert_ne!(SessionToken::new("tok-a"), SessionToken::new("tok-b"));
    let session = |token: &str| -> OrderSession {
        serde_json::from_value(serde_json::json!({"session": "s-1", "token": token})).unwrap()
    };
    assert_eq!(session("tok-a"), session("tok-a"));
    assert_ne!(session("tok-a"), session("tok-b"));
}

#[test]
fn an_order_session_lives_thirty_minutes() {
    assert_eq!(SESSION_LIFETIME, Duration::from_secs(1800));
}

#[test]
fn builders_hand_back_their_references() {
    let amount = Money::parse("10.50", Currency::USD).unwrap();
    let payment = TokenPayment::new(
        amount,
        "Order 7",
        "order-7",
        CardToken::new("tok_1234567890abcdef"),
    );
    assert_eq!(payment.order_reference(), "order-7");
    assert_eq!(TokenizationOrder::new("req-8f2c").request_id(), "req-8f2c");
}

fn invalid_field(result: Result<TokenizationOrder, greenpay::Error>) -> String {
    match result.map(|_| ()).unwrap_err().kind() {
        ErrorKind::InvalidRequest { field, .. } => field.to_string(),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// A tokenization order is checked before it is sent: its request id and its callback.
#[test]
fn a_tokenization_order_is_checked_by_field() {
    assert!(TokenizationOrder::new("req-8f2c").build().is_ok());
    assert!(
        TokenizationOrder::new("req-8f2c")
            .callback("https://shop.example/cards/return")
            .build()
            .is_ok()
    );
    assert_eq!(
        invalid_field(TokenizationOrder::new("").build()),
        "requestId"
    );
    assert_eq!(
        invalid_field(TokenizationOrder::new("req 8f2c").build()),
        "requestId"
    );
    assert_eq!(
        invalid_field(
            TokenizationOrder::new("req-8f2c")
                .callback("ftp://shop.example/cards/return")
                .build()
        ),
        "callback"
    );
}

#[cfg(all(feature = "tokenization", feature = "test-util"))]
mod cards {
    use greenpay::tokenization::Card;
    use greenpay::{Client, ErrorKind};
    use httpmock::MockServer;

    use super::common;

    #[test]
    fn the_last_four_digits_are_of_the_number_as_typed() {
        assert_eq!(
            Card::new("Jane Doe", "4242 4242 4242 4243", "123", 12, 2030).last4(),
            "4243"
        );
        assert_eq!(
            Card::new("Jane Doe", "5555-5555-5555-4444", "123", 1, 2031).last4(),
            "4444"
        );
        assert_eq!(Card::new("Jane Doe", "42", "123", 1, 2031).last4(), "42");
    }

    /// `Debug` of a card shows the holder and the last four digits; of its envelope, the session
    /// and the sizes: never the number, the code or the ciphertext.
    #[test]
    fn debug_shows_what_identifies_a_card_and_nothing_secret() {
        let card = Card::new("Jane Doe", "4000 0566 5566 5556", "737", 3, 2031);
        let shown = format!("{card:?}");
        assert!(
            shown.starts_with("Card") && shown.contains("Jane Doe"),
            "{shown}"
        );
        assert!(shown.contains("5556") && shown.contains("2031"), "{shown}");
        assert!(
            !shown.contains("4000056655665556") && !shown.contains("737"),
            "{shown}"
        );

        let client = Client::builder(common::credentials())
            .public_key(greenpay::test_util::TEST_PUBLIC_KEY)
            .build()
            .unwrap();
        let session: greenpay::orders::OrderSession =
            serde_json::from_value(serde_json::json!({"session": "s-77", "token": "tok-s"}))
                .unwrap();
        let sealed = client.cards().encrypt(&card, &session).unwrap();
        let shown = format!("{sealed:?}");
        assert!(
            shown.starts_with("EncryptedCard") && shown.contains("s-77"),
            "{shown}"
        );
        assert!(shown.contains(&sealed.ld().len().to_string()), "{shown}");
        assert!(
            !shown.contains(sealed.ld()) && !shown.contains(sealed.lk()),
            "{shown}"
        );
    }

    /// A nickname of 255 characters is sent; one more is refused by name, nothing sent.
    #[tokio::test]
    async fn a_card_nickname_may_have_255_characters_and_no_more() {
        let server = MockServer::start_async().await;
        let any = server
            .mock_async(|when, then| {
                when.any_request();
                then.status(503);
            })
            .await;
        let client = Client::builder(common::credentials())
            .base_url(format!("{}/merchant", server.base_url()))
            .checkout_base_url(format!("{}/checkout", server.base_url()))
            .public_key(greenpay::test_util::TEST_PUBLIC_KEY)
            .http_config(common::fast_config())
            .build()
            .unwrap();
        let card = |nickname: usize| {
            Card::new("Jane Doe", "4242424242424242", "123", 12, 2030)
                .nickname("n".repeat(nickname))
        };

        let refused = client
            .cards()
            .tokenize(&card(256), "req-1")
            .await
            .unwrap_err();
        assert!(
            matches!(refused.kind(), ErrorKind::InvalidRequest { field, .. } if field == "card.nickname"),
            "{refused:?}"
        );
        assert_eq!(
            any.calls_async().await,
            0,
            "nothing is sent for a refused card"
        );

        let sent = client
            .cards()
            .tokenize(&card(255), "req-2")
            .await
            .unwrap_err();
        assert!(
            !matches!(sent.kind(), ErrorKind::InvalidRequest { .. }),
            "a 255-character nickname is valid: {sent:?}"
        );
        assert!(any.calls_async().await >= 1, "the tokenization was started");
    }
}
