//! Redaction of recorded bodies: secrets and personal data become `[REDACTED]`.

use serde_json::Value;

/// What every redacted value becomes.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// Keys (lower-case, without `_`, `-` and spaces) whose scalar values are always redacted.
const SENSITIVE_KEYS: &[&str] = &[
    "secret",
    "secretkey",
    "clientsecret",
    "token",
    "refreshtoken",
    "accesstoken",
    "idtoken",
    "password",
    "apikey",
    "xapikey",
    "authorization",
    "cardnumber",
    "pan",
    "cvv",
    "cvv2",
    "cvc",
    "verificationvalue",
    "securitycode",
    "email",
    "phone",
    "phonenumber",
    "mobile",
    "firstname",
    "lastname",
    "fullname",
    "address",
    "holder",
    "cardholder",
    "holdername",
];

/// Keys redacted only inside an object whose key mentions a card (`credit_card.number`).
const CARD_KEYS: &[&str] = &["number"];

fn normalize(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Redacts `value` in place: values under sensitive keys (scalars only, so the document keeps
/// its shape), every occurrence of a `secrets` value in any string, then rewrites URL prefixes
/// (`from` → `to`) in every string.
pub(crate) fn redact(value: &mut Value, secrets: &[String], rewrites: &[(String, String)]) {
    walk(value, secrets, rewrites, false);
}

fn walk(value: &mut Value, secrets: &[String], rewrites: &[(String, String)], in_card: bool) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let normalized = normalize(key);
                let sensitive = SENSITIVE_KEYS.contains(&normalized.as_str())
                    || (in_card && CARD_KEYS.contains(&normalized.as_str()));
                let scalar = !matches!(child, Value::Object(_) | Value::Array(_) | Value::Null);
                if sensitive && scalar {
                    *child = Value::from(REDACTED);
                } else {
                    let card = in_card || normalized.contains("card");
                    walk(child, secrets, rewrites, card);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, secrets, rewrites, in_card);
            }
        }
        Value::String(text) => {
            *text = rewrite_urls(&redact_text(text, secrets), rewrites);
        }
        _ => {}
    }
}

/// Replaces every occurrence of a secret value in `text`.
pub(crate) fn redact_text(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        if !secret.is_empty() && out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

/// Replaces every occurrence of each `from` with its `to`.
pub(crate) fn rewrite_urls(text: &str, rewrites: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (from, to) in rewrites {
        if !from.is_empty() && out.contains(from.as_str()) {
            out = out.replace(from.as_str(), to);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_secrets_and_urls() {
        let mut v = json!({
            "token": "abc", "refresh_token": "def", "Secret-Key": 5, "nested": {"email": "a@b.c"},
            "credit_card": {"number": "4111", "last_4": "1111", "token": "t"},
            "number": 170,
            "note": "key sbx_key inside", "url": "http://127.0.0.1:1234/pay/1",
            "address": {"city": "Minsk"}
        });
        redact(
            &mut v,
            &["sbx_key".to_owned()],
            &[(
                "http://127.0.0.1:1234".to_owned(),
                "http://127.0.0.1:8080".to_owned(),
            )],
        );
        assert_eq!(
            v,
            json!({
                "token": REDACTED, "refresh_token": REDACTED, "Secret-Key": REDACTED,
                "nested": {"email": REDACTED},
                "credit_card": {"number": REDACTED, "last_4": "1111", "token": REDACTED},
                "number": 170,
                "note": "key [REDACTED] inside", "url": "http://127.0.0.1:8080/pay/1",
                "address": {"city": "Minsk"}
            })
        );
    }
}
