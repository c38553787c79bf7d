//! Onboarding at its edges: `KeyStatus::is_valid`, and `Debug` renderings that show the host
//! and never the AppSecret. (An answer that does not decode is checked by the unit test of
//! `decode_with_secrets`.)

use tspay::{AppSecret, KeyStatus, Onboarding};

const APP_SECRET: &str = "as_canary_6f1e2d3c4b5a";

#[test]
fn only_a_valid_key_status_is_valid() {
    assert!(!KeyStatus::NotActivated { message: None }.is_valid());
    let refused: KeyStatus = KeyStatus::Refused {
        status: tspay::StatusCode::FORBIDDEN,
        message: Some("revoked".to_owned()),
    };
    assert!(!refused.is_valid());
}

#[test]
fn debug_shows_the_host_and_never_the_app_secret() {
    let secret = format!("{:?}", AppSecret::new(APP_SECRET));
    assert_eq!(secret, "AppSecret([REDACTED])");

    let builder =
        Onboarding::builder(AppSecret::new(APP_SECRET)).base_url("https://onboarding.example");
    let shown = format!("{builder:?}");
    assert!(
        shown.starts_with("OnboardingBuilder") && shown.contains("onboarding.example"),
        "{shown}"
    );
    assert!(!shown.contains(APP_SECRET), "{shown}");

    let onboarding = builder.build().unwrap();
    let shown = format!("{onboarding:?}");
    assert!(
        shown.starts_with("Onboarding") && shown.contains("onboarding.example"),
        "{shown}"
    );
    assert!(!shown.contains(APP_SECRET), "{shown}");
}
