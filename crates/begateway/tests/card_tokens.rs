//! Card tokens: exact requests on the wire (method, path, headers with `RequestID`, body), the
//! documented answer decoded, the token kept out of `Debug` and errors, and bad inputs refused
//! naming the field with nothing sent.

mod common;

use begateway::{CardToken, CreateCardToken, ErrorKind, SecretString, UpdateCardToken};
use common::{SECRET, SHOP_ID, basic, client};
use httpmock::MockServer;
use payments_common::ExposeSecret;
use payments_common::testing::FaultServer;
use serde_json::json;

const TOKEN: &str = "7ba647e7013b5cb9df39f17c375783aef81bc8c20f221b962becbd0686cc33af";

fn answer(exp_year: u16) -> String {
    json!({
        "holder": "John Doe",
        "stamp": "a825df7faba8804619aef7a6d5a5821ec292fce04e3e43933ca33d0692df90b4",
        "brand": "visa", "last_4": "0000", "first_1": "4",
        "token": TOKEN, "exp_month": 1, "exp_year": exp_year
    })
    .to_string()
}

fn is_request_id(v: &str) -> bool {
    v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn create_sends_the_card_and_reads_the_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/credit_cards")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_exists("requestid")
                .json_body(json!({"request": {
                    "number": "4200000000000000", "holder": "John Doe",
                    "exp_month": "01", "exp_year": 2030
                }}));
            then.status(200)
                .header("content-type", "application/json")
                .body(answer(2030));
        })
        .await;
    let card = client(&server.base_url())
        .card_tokens()
        .create(&CreateCardToken::new(
            "4200000000000000",
            "John Doe",
            1,
            2030,
        ))
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(card.token.expose_secret(), TOKEN);
    assert_eq!(card.brand.as_deref(), Some("visa"));
    assert_eq!(card.last_4.as_deref(), Some("0000"));
    assert_eq!(card.first_1.as_deref(), Some("4"));
    assert_eq!((card.exp_month, card.exp_year), (Some(1), Some(2030)));
    let shown = format!("{card:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("0000"));
}

#[tokio::test]
async fn update_posts_to_the_token_path_with_only_what_changes() {
    let server = FaultServer::start(vec![payments_common::testing::Fault::Respond(
        payments_common::testing::Reply::json(200, &answer(2033)),
    )])
    .await;
    let card = client(server.base_url().as_str())
        .card_tokens()
        .update(
            &SecretString::from(TOKEN),
            &UpdateCardToken::new().expiry(2, 2033),
        )
        .await
        .unwrap();
    assert_eq!(card.exp_year, Some(2033));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, format!("/credit_cards/{TOKEN}"));
    assert!(is_request_id(r.header("requestid").unwrap()));
    assert_eq!(
        r.header("authorization"),
        Some(basic(SHOP_ID, SECRET).as_str())
    );
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        body,
        json!({"request": {"exp_month": "02", "exp_year": 2033}})
    );
}

#[tokio::test]
async fn a_refusal_names_the_field_and_never_quotes_the_token() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path(format!("/credit_cards/{TOKEN}"));
            then.status(422)
                .header("content-type", "application/json")
                .body(
                    json!({"message": format!("Token {TOKEN} is expired"),
                        "errors": {"token": [format!("{TOKEN} is expired")]}})
                    .to_string(),
                );
        })
        .await;
    let err = client(&server.base_url())
        .card_tokens()
        .update(
            &SecretString::from(TOKEN),
            &UpdateCardToken::new().holder("JANE DOE"),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("beGateway card_tokens.update: "),
        "{err}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    for rendering in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!rendering.contains(TOKEN), "{rendering}");
    }
}

#[tokio::test]
async fn an_answer_without_a_token_is_a_decode_error() {
    let server = FaultServer::start(vec![payments_common::testing::Fault::Respond(
        payments_common::testing::Reply::json(200, r#"{"holder":"John Doe","token":""}"#),
    )])
    .await;
    let err = client(server.base_url().as_str())
        .card_tokens()
        .create(&CreateCardToken::new(
            "4200000000000000",
            "John Doe",
            1,
            2030,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn bad_inputs_are_refused_naming_the_field_with_nothing_sent() {
    let server = FaultServer::start(vec![]).await;
    let c = client(server.base_url().as_str());
    let cases: Vec<(CreateCardToken, &str)> = vec![
        (
            CreateCardToken::new("4200000000000001", "J", 1, 2030),
            "number",
        ),
        (CreateCardToken::new("42000", "J", 1, 2030), "number"),
        (
            CreateCardToken::new("4200000000000000", "", 1, 2030),
            "holder",
        ),
        (
            CreateCardToken::new("4200000000000000", "J", 13, 2030),
            "exp_month",
        ),
        (
            CreateCardToken::new("4200000000000000", "J", 1, 30),
            "exp_year",
        ),
    ];
    for (request, field) in cases {
        let err = c.card_tokens().create(&request).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
        assert!(!err.to_string().contains("4200000000000001"), "{err}");
        let built = request.build().unwrap_err();
        assert_eq!(built.invalid_field(), Some(field));
    }
    let updates: Vec<(&str, UpdateCardToken, &str)> = vec![
        (TOKEN, UpdateCardToken::new(), "request"),
        (TOKEN, UpdateCardToken::new().holder(""), "holder"),
        (TOKEN, UpdateCardToken::new().expiry(0, 2030), "exp_month"),
        ("", UpdateCardToken::new().holder("J"), "token"),
        ("../payments", UpdateCardToken::new().holder("J"), "token"),
        ("a b", UpdateCardToken::new().holder("J"), "token"),
    ];
    for (token, request, field) in updates {
        let err = c
            .card_tokens()
            .update(&SecretString::from(token), &request)
            .await
            .unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{token:?} {err}");
    }
    assert_eq!(server.attempts(), 0, "nothing was sent");
}

#[test]
fn the_documented_answer_decodes_and_hides_its_token() {
    let card: CardToken = serde_json::from_str(&answer(2020)).unwrap();
    assert_eq!(card.token.expose_secret(), TOKEN);
    assert_eq!(card.holder.as_deref(), Some("John Doe"));
    assert!(!format!("{card:?}").contains(TOKEN));
    assert!(serde_json::from_str::<CardToken>(r#"{"holder":"x"}"#).is_err());
}

#[tokio::test]
async fn an_undecodable_answer_never_quotes_the_new_token() {
    let body = answer(2030).replace("\"exp_year\":2030", "\"exp_year\":\"soon\"");
    assert!(body.contains(TOKEN) && body.contains("soon"));
    let server = FaultServer::start(vec![payments_common::testing::Fault::Respond(
        payments_common::testing::Reply::json(200, &body),
    )])
    .await;
    let err = client(server.base_url().as_str())
        .card_tokens()
        .create(&CreateCardToken::new(
            "4200000000000000",
            "John Doe",
            1,
            2030,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    for rendering in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!rendering.contains(TOKEN), "{rendering}");
    }
}
