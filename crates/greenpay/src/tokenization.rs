//! Card tokenization (feature `tokenization`): turn a card the customer typed into a GreenPay
//! card token, update the card behind a token, delete a token.
//!
//! # What this means for PCI DSS scope
//!
//! With this feature your server **receives, holds and transmits full card numbers and
//! security codes**. That puts the systems involved in the scope of PCI DSS as a merchant that
//! handles card data (self-assessment SAQ D, or an assessment by a QSA — not the reduced
//! SAQ A of a merchant whose customers type their card on GreenPay's own page). Enable it
//! only if your acquirer and GreenPay allow you to handle card data; otherwise send the
//! customer to GreenPay's hosted form ([`Client::checkout_url`](crate::Client::checkout_url))
//! and never see the card.
//!
//! The crate keeps card data in [`Card`], whose number and code are `SecretString`s: never
//! in `Debug`, errors or logs, exposed only while the encrypted envelope is built, and the
//! plaintext buffer is zeroed after encryption.
//!
//! # The envelope (inferred)
//!
//! GreenPay does not document its tokenization wire format on a page; this crate follows the
//! two public SDKs and GreenPay's Postman collection, so every step below is *inferred*:
//!
//! 1. `POST <merchant>/tokenize` `{secret, merchantId, requestId}` answers a session and a
//!    30-minute `token`;
//! 2. the card, as JSON `{"card":{"cardHolder","expirationDate":{"month","year"},
//!    "cardNumber","cvc","nickname"}}`, is encrypted with AES-128 in CTR mode under a fresh
//!    random key and a random one-byte initial counter (a 128-bit big-endian counter block):
//!    `ld` is the ciphertext in hex; `lk` is `{"k":[16 key bytes],"s":counter}` encrypted with
//!    GreenPay's RSA public key (PKCS#1 v1.5), in base64;
//! 3. `POST <checkout>/tokenize` with the header `liszt-token: <token>` and the body
//!    `{session, ld, lk}` answers the card token and a `_signature` over
//!    `status:<status>,requestId:<requestId>`, which this crate verifies with the same key.

use std::fmt;

use aes::cipher::{KeyIvInit, StreamCipher};
use base64::Engine as _;
use payments_common::http::{Request, Response};
use payments_common::signature::to_hex;
use payments_common::{ErrorKind, SecretString, validate};
use rsa::rand_core::{OsRng, RngCore};
use secrecy::ExposeSecret;
use secrecy::zeroize::Zeroizing;
use serde::Serialize;

use crate::cards::{Cards, TokenizedCard};
use crate::client::{Host, public_operation};
use crate::keys::PublicKey;
use crate::orders::OrderSession;
use crate::subscriptions::{CardToken, validation};
use crate::{Error, envelope};

type Aes128Ctr = ctr::Ctr128BE<aes::Aes128>;

/// A payment card as the customer typed it. The number and the security code are secrets:
/// `Debug` shows neither (only the last four digits).
///
/// ```
/// use greenpay::tokenization::Card;
/// let card = Card::new("Jane Doe", "4242424242424242", "123", 12, 2030).nickname("work card");
/// let shown = format!("{card:?}");
/// assert!(!shown.contains("4242424242424242") && !shown.contains("123"));
/// assert!(shown.contains("4242"));
/// ```
#[derive(Clone)]
pub struct Card {
    holder: String,
    number: SecretString,
    cvc: SecretString,
    month: u8,
    year: u16,
    nickname: String,
}

impl Card {
    /// A card: holder's name, number (digits; spaces and dashes are dropped), security code,
    /// expiry month (1–12) and year (four digits).
    pub fn new(
        holder: impl Into<String>,
        number: impl Into<String>,
        cvc: impl Into<String>,
        month: u8,
        year: u16,
    ) -> Self {
        let number: String = number
            .into()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        Card {
            holder: holder.into(),
            number: SecretString::from(number),
            cvc: SecretString::from(cvc.into()),
            month,
            year,
            nickname: String::new(),
        }
    }

    /// `nickname`: the merchant's or customer's name for the card.
    pub fn nickname(mut self, nickname: impl Into<String>) -> Self {
        self.nickname = nickname.into();
        self
    }

    /// The last four digits (not secret).
    pub fn last4(&self) -> &str {
        let n = self.number.expose_secret();
        n.get(n.len().saturating_sub(4)..).unwrap_or("")
    }

    /// Checks the card before anything is sent: holder 1–255 characters, number 12–19 digits
    /// passing the Luhn check, code 3–4 digits, month 1–12, year 2000–2099. Errors name the
    /// field, never its value.
    pub(crate) fn validate(&self) -> Result<(), ErrorKind> {
        validation::text("card.cardHolder", &self.holder)?;
        payments_common::validate::card_number("card.cardNumber", self.number.expose_secret())?;
        let cvc = self.cvc.expose_secret();
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ErrorKind::invalid("card.cvc", "must be 3 or 4 digits"));
        }
        if !(1..=12).contains(&self.month) {
            return Err(ErrorKind::invalid(
                "card.expirationDate.month",
                "must be 1 to 12",
            ));
        }
        if !(2000..=2099).contains(&self.year) {
            return Err(ErrorKind::invalid(
                "card.expirationDate.year",
                "must be a four-digit year 2000 to 2099",
            ));
        }
        if self.nickname.chars().count() > validation::MAX_TEXT {
            return Err(ErrorKind::invalid(
                "card.nickname",
                "is longer than 255 characters",
            ));
        }
        Ok(())
    }

    /// The plaintext GreenPay decrypts: `{"card":{…}}` (and `token` for an update). The year
    /// is sent as two digits (inferred from GreenPay's `expiration_date` answers, `YYMM`).
    fn plaintext(&self, token: Option<&CardToken>) -> Zeroizing<Vec<u8>> {
        #[derive(Serialize)]
        struct Expiration {
            month: u8,
            year: u16,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Inner<'a> {
            card_holder: &'a str,
            expiration_date: Expiration,
            card_number: &'a str,
            cvc: &'a str,
            nickname: &'a str,
        }
        #[derive(Serialize)]
        struct Outer<'a> {
            card: Inner<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            token: Option<&'a str>,
        }
        let outer = Outer {
            card: Inner {
                card_holder: &self.holder,
                expiration_date: Expiration {
                    month: self.month,
                    year: self.year % 100,
                },
                card_number: self.number.expose_secret(),
                cvc: self.cvc.expose_secret(),
                nickname: &self.nickname,
            },
            token: token.map(CardToken::as_str),
        };
        // Serializing plain strings and numbers cannot fail.
        Zeroizing::new(serde_json::to_vec(&outer).unwrap_or_default())
    }
}

impl Card {
    /// The plaintext of a tokenization (for the benchmarks and the test vector).
    pub(crate) fn plaintext_for_bench(&self) -> Vec<u8> {
        self.plaintext(None).to_vec()
    }
}

impl fmt::Debug for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Card")
            .field("holder", &self.holder)
            .field("last4", &self.last4())
            .field("number", &"[REDACTED]")
            .field("cvc", &"[REDACTED]")
            .field("month", &self.month)
            .field("year", &self.year)
            .finish()
    }
}

/// The encrypted card GreenPay's checkout host takes: `{session, ld, lk}`. `Debug` shows the
/// session and the sizes only.
///
/// ```no_run
/// # async fn run(client: greenpay::Client, card: greenpay::tokenization::Card, session: greenpay::orders::OrderSession) -> greenpay::Result<()> {
/// let sealed = client.cards().encrypt(&card, &session)?;
/// println!("{sealed:?}");
/// # Ok(()) }
/// ```
#[derive(Clone, Serialize)]
pub struct EncryptedCard {
    session: String,
    ld: String,
    lk: String,
}

impl EncryptedCard {
    /// `ld`: the AES-128-CTR ciphertext of the card JSON, hex.
    pub fn ld(&self) -> &str {
        &self.ld
    }

    /// `lk`: the AES key and counter, RSA-encrypted with GreenPay's key, base64.
    pub fn lk(&self) -> &str {
        &self.lk
    }

    /// The session the envelope belongs to.
    pub fn session(&self) -> &str {
        &self.session
    }
}

impl fmt::Debug for EncryptedCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedCard")
            .field("session", &self.session)
            .field("ld_hex_len", &self.ld.len())
            .field("lk_base64_len", &self.lk.len())
            .finish()
    }
}

/// AES-128-CTR of `plaintext` under `key`, the 128-bit big-endian counter starting at
/// `counter`: the `ld` of the envelope, in hex.
pub(crate) fn aes_ctr_hex(key: &[u8; 16], counter: u8, plaintext: &[u8]) -> String {
    let mut iv = [0u8; 16];
    iv[15] = counter;
    let mut buffer = Zeroizing::new(plaintext.to_vec());
    let mut cipher = Aes128Ctr::new(key.into(), &iv.into());
    cipher.apply_keystream(&mut buffer);
    to_hex(&buffer)
}

/// `{"k":[…],"s":counter}`, RSA PKCS#1 v1.5 encrypted with `key`, base64.
pub(crate) fn wrap_key(
    public_key: &PublicKey,
    key: &[u8; 16],
    counter: u8,
    rng: &mut impl rsa::rand_core::CryptoRngCore,
) -> Result<String, ErrorKind> {
    let pair = Zeroizing::new(
        serde_json::to_vec(&serde_json::json!({ "k": key, "s": counter })).unwrap_or_default(),
    );
    let wrapped = public_key
        .rsa()
        .encrypt(rng, rsa::Pkcs1v15Encrypt, &pair)
        .map_err(|_| ErrorKind::invalid("public_key", "cannot encrypt the card's key"))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(wrapped))
}

/// The envelope of `card` for `session` under a given AES key and counter.
pub(crate) fn seal_with(
    public_key: &PublicKey,
    card_json: &[u8],
    session: &str,
    key: &[u8; 16],
    counter: u8,
) -> Result<EncryptedCard, ErrorKind> {
    Ok(EncryptedCard {
        session: session.to_owned(),
        ld: aes_ctr_hex(key, counter, card_json),
        lk: wrap_key(public_key, key, counter, &mut OsRng)?,
    })
}

/// The envelope of `card_json` under a fresh random key and counter.
fn seal(
    public_key: &PublicKey,
    card_json: &[u8],
    session: &str,
) -> Result<EncryptedCard, ErrorKind> {
    let mut key = Zeroizing::new([0u8; 16]);
    OsRng.fill_bytes(key.as_mut());
    let mut counter = [0u8; 1];
    OsRng.fill_bytes(&mut counter);
    seal_with(public_key, card_json, session, &key, counter[0])
}

impl Cards<'_> {
    fn key(&self, operation: &'static str) -> Result<&PublicKey, Error> {
        self.client.public_key().ok_or_else(|| {
            Error::new(
                operation,
                ErrorKind::invalid(
                    "public_key",
                    "GreenPay's public key is required to encrypt a card (ClientBuilder::public_key)",
                ),
            )
        })
    }

    /// The envelope of `card` for `session` (a fresh AES key and counter each time), for
    /// callers that send it themselves. Operation `cards.encrypt`.
    pub fn encrypt(&self, card: &Card, session: &OrderSession) -> Result<EncryptedCard, Error> {
        const OP: &str = "cards.encrypt";
        let key = self.key(OP)?;
        card.validate().map_err(Error::at(OP))?;
        seal(key, &card.plaintext(None), &session.session).map_err(Error::at(OP))
    }

    /// Tokenizes `card` under the merchant's `request_id` (unique per attempt): a session
    /// ([`Cards::session`]), then the encrypted card to `POST <checkout>/tokenize` with the
    /// session's `liszt-token` (operation `cards.tokenize`). The answer's `_signature` over
    /// `status` and `requestId` must verify with GreenPay's key and name this request id.
    ///
    /// Both steps are unkeyed writes: after an ambiguous failure the card may have been
    /// tokenized ([`ErrorKind::OutcomeUnknown`], handle: the request id); tokenizing again
    /// gives another token.
    ///
    /// ```no_run
    /// use greenpay::tokenization::Card;
    /// # async fn run(client: greenpay::Client) -> greenpay::Result<()> {
    /// let card = Card::new("Jane Doe", "4242 4242 4242 4242", "123", 12, 2030);
    /// let tokenized = client.cards().tokenize(&card, "req-8f2c").await?;
    /// // Keep the token with the customer (it is a secret: `Debug` shows only its end).
    /// save_card_token(tokenized.token.as_str());
    /// println!("saved {:?} for the card ending {:?}", tokenized.token, tokenized.last_digits);
    /// # Ok(()) }
    /// # fn save_card_token(_: &str) {}
    /// ```
    pub async fn tokenize(&self, card: &Card, request_id: &str) -> Result<TokenizedCard, Error> {
        self.tokenize_at(card, None, request_id).await
    }

    /// Replaces the card behind `token` (the same token afterwards): as
    /// [`Cards::tokenize`], through `/tokenize/update` on both hosts, with the token in the
    /// encrypted card (operation `cards.update`; the update paths are inferred).
    pub async fn update(
        &self,
        token: &CardToken,
        card: &Card,
        request_id: &str,
    ) -> Result<TokenizedCard, Error> {
        self.tokenize_at(card, Some(token), request_id).await
    }

    async fn tokenize_at(
        &self,
        card: &Card,
        token: Option<&CardToken>,
        request_id: &str,
    ) -> Result<TokenizedCard, Error> {
        let (op, session_op, segments): (&'static str, &'static str, &[&str]) = match token {
            None => (
                "greenpay.cards.tokenize",
                "greenpay.cards.session",
                &["tokenize"],
            ),
            Some(_) => (
                "greenpay.cards.update",
                "greenpay.cards.update_session",
                &["tokenize", "update"],
            ),
        };
        let at = || Error::at(public_operation(op));
        let key = self.key(public_operation(op))?;
        card.validate().map_err(at())?;
        if let Some(token) = token {
            validation::id("token", token.as_str()).map_err(at())?;
        }
        validation::id("requestId", request_id).map_err(at())?;
        let order = crate::cards::TokenizationOrder::new(request_id);
        let session = self.session_at(session_op, segments, &order).await?;
        let sealed = seal(key, &card.plaintext(token), &session.session).map_err(at())?;
        // The checkout host authenticates with the session token, not the credentials: the
        // body is the envelope alone.
        let url = validate::endpoint(self.client.host(Host::Checkout), segments);
        let request = Request::post(op, url)
            .json(&sealed)
            .and_then(|r| r.header("liszt-token", session.token.expose()))
            .map_err(at())?
            .final_errors_when(envelope::is_fail_envelope)
            .reconcile_with(payments_common::Reconciliation::merchant_reference(
                request_id,
            ));
        // Masked in every error, should an answer or a proxy's page quote them: the session's
        // token (a bearer credential), the card number, the token being updated.
        let mut secrets = vec![session.token.expose(), card.number.expose_secret()];
        if let Some(token) = token {
            secrets.push(token.as_str());
        }
        let labelled = labelled_codes(card.cvc.expose_secret());
        secrets.extend(labelled.iter().map(|code| code.as_str()));
        let tokenized: TokenizedCard = self
            .client
            .call_masking(request, &secrets, |r: &Response| envelope::decode_plain(r))
            .await?;
        check_signature(key, &tokenized, request_id).map_err(at())?;
        Ok(tokenized)
    }
}

/// The security code as an answer would quote it next to its name (`cvc 123`, `"cvc":"123"`,
/// `CVV: 123`, …), to mask in errors: three or four digits alone are everywhere in an error
/// (statuses, amounts, ports), so the code is masked where it stands next to its label.
fn labelled_codes(cvc: &str) -> Vec<Zeroizing<String>> {
    let mut out = Vec::new();
    for label in ["cvc", "cvv", "CVC", "CVV", "Cvc", "Cvv"] {
        for separator in [" ", ": ", ":", "=", "\":\"", "\": \"", "\":", "\": "] {
            out.push(Zeroizing::new(format!("{label}{separator}{cvc}")));
        }
    }
    out
}

/// The answer's `_signature` over `status:<status>,requestId:<requestId>`, and the request id
/// it names, must be GreenPay's and ours.
fn check_signature(
    key: &PublicKey,
    tokenized: &TokenizedCard,
    request_id: &str,
) -> Result<(), ErrorKind> {
    if tokenized.request_id.as_deref() != Some(request_id) {
        return Err(ErrorKind::signature(
            "the tokenization answer names another requestId",
        ));
    }
    let status = tokenized.status.map(|s| s.to_string()).unwrap_or_default();
    let signature = tokenized.signature.as_deref().unwrap_or_default();
    key.verify(
        &[("status", status.as_str()), ("requestId", request_id)],
        signature,
    )
}
