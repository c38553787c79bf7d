//! Section 7.1: every fault row that applies, against every operation of every provider, on
//! the raw TCP fault server, with the exact attempt count the server saw.
//!
//! A provider module only describes its operations ([`Op`]): how to call one against a base
//! URL, whether it is a write, a valid answer, a body with a wrongly typed field, its JSON
//! error bodies and how their statuses map. The rows are the same for everyone and live here.
//! Adding a provider is one module with an `ops()` and a `not_applicable()`.

pub mod begateway;
pub mod greenpay;
pub mod jatapay;
pub mod tspay;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use payments_common::http::HttpConfig;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, StatusCode, TransportKind, Url};
use payments_reliability::chunked::ChunkedServer;
use payments_reliability::report::{self, FaultRow};
use payments_reliability::{
    CaseEnd, DEADLINE, HANG_DEADLINE, MAX_BODY_BYTES, MAX_RETRIES, canary, hang_config,
    patient_config, run_case,
};
use tokio::sync::Semaphore;

/// The result of one call: the `Debug` of the value (scanned for canaries) or the error.
pub type CallResult = Result<String, Error>;
/// A call of one operation against a base URL, with a client built on the given HTTP settings
/// ([`patient_config`] for a row that expects a definitive answer, [`hang_config`] for a
/// row that tests a hang).
pub type Call =
    Arc<dyn Fn(Url, HttpConfig) -> Pin<Box<dyn Future<Output = CallResult> + Send>> + Send + Sync>;

/// The error variant a provider maps a JSON error status to (row F14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapped {
    /// `Error::Api`.
    Api,
    /// `Error::Unauthorized`.
    Unauthorized,
    /// `Error::NotFound`.
    NotFound,
}

/// One operation of one provider, as the fault rows need it.
#[derive(Clone)]
pub struct Op {
    pub provider: &'static str,
    /// The label in the summary (operation name, plus the path style where there are two).
    pub label: String,
    /// The operation name the SDK reports in `OutcomeUnknown`.
    pub operation: &'static str,
    /// A write without an honoured idempotency key (never re-sent once possibly delivered).
    pub write: bool,
    /// A valid 2xx answer (F10's second attempt).
    pub ok: Reply,
    /// A 2xx answer with a wrongly typed field, and the path the `Decode` error must name
    /// (`None`: the operation does not decode its answer).
    pub wrong_type: Option<(Reply, &'static str)>,
    /// The provider's JSON error body for a status, echoing the client's secrets.
    pub error_body: fn(u16, &str) -> Reply,
    /// How the provider maps a JSON error status (F14).
    pub mapped: fn(u16) -> Mapped,
    /// What the provider may echo back: the secrets this client holds.
    pub echo: String,
    /// The provider's structured errors are definitive even with a 5xx (F13: one attempt,
    /// never `OutcomeUnknown`).
    pub api_errors_final: bool,
    /// The call.
    pub call: Call,
    /// Answers served before every row's script (JataPay's token exchange, and the 401 that
    /// sends the client to exchange again): the row's fault then hits the step after them.
    /// The attempts they take are added to every expected count. Empty for most operations.
    pub prefix: Vec<Fault>,
    /// Answers served after the row's `ok` answer in F10 (the API call that follows a token
    /// exchange that F10 let through). Empty for most operations.
    pub ok_tail: Vec<Fault>,
    /// Rows that do not apply to this operation (listed as not applicable by its module).
    pub skip: &'static [&'static str],
}

/// What a row accepts as the error (or success).
#[derive(Debug, Clone, Copy)]
enum Want {
    Ok,
    Timeout,
    Transport(TransportKind),
    Http(u16),
    Api(u16),
    Mapped(Mapped),
    RateLimitedOr503,
    RateLimited,
    Decode(Option<&'static str>),
    TooLarge,
    Redirect,
    /// Any error (rows that judge the attempt count, the wrapping and the renderings).
    AnyError,
}

/// Whether a write's error must, may or must not be wrapped in `OutcomeUnknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    Must,
    May,
    Never,
}

fn matches(want: Want, result: &CallResult) -> bool {
    match result {
        Ok(_) => matches!(want, Want::Ok),
        Err(err) => matches_err(want, err),
    }
}

fn matches_err(want: Want, err: &Error) -> bool {
    match want {
        Want::Ok => false,
        Want::Timeout => matches!(err, Error::Timeout { .. }),
        Want::Transport(kind) => {
            matches!(err, Error::Transport { kind: k, .. } if *k == kind)
        }
        Want::Http(code) => matches!(err, Error::Http { status, .. } if status.as_u16() == code),
        Want::Api(code) => matches!(err, Error::Api { status, .. } if status.as_u16() == code),
        Want::Mapped(Mapped::Api) => matches!(err, Error::Api { .. }),
        Want::Mapped(Mapped::Unauthorized) => matches!(err, Error::Unauthorized { .. }),
        Want::Mapped(Mapped::NotFound) => matches!(err, Error::NotFound { .. }),
        Want::RateLimitedOr503 => matches!(
            err,
            Error::RateLimited { .. }
                | Error::Http {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    ..
                }
        ),
        Want::RateLimited => matches!(err, Error::RateLimited { .. }),
        Want::Decode(path) => match err {
            Error::Decode { path: p, .. } => path.is_none_or(|want| p.contains(want)),
            _ => false,
        },
        Want::TooLarge => matches!(err, Error::ResponseTooLarge { .. }),
        Want::Redirect => matches!(err, Error::UnexpectedRedirect { .. }),
        Want::AnyError => !matches!(err, Error::OutcomeUnknown { .. }),
    }
}

/// Checks `result` against `want`, unwrapping an `OutcomeUnknown` for `op` as `wrap` says.
fn check(op: &Op, want: Want, wrap: Wrap, result: &CallResult) -> bool {
    match (result, wrap) {
        (
            Err(Error::OutcomeUnknown {
                operation, source, ..
            }),
            Wrap::Must | Wrap::May,
        ) => *operation == op.operation && matches_err(want, source),
        (Err(Error::OutcomeUnknown { .. }), Wrap::Never) => false,
        (_, Wrap::Must) => false,
        _ => matches(want, result),
    }
}

/// A proxy's 502 page that echoes the request's credentials (as debug pages do).
fn echoing_bad_gateway(echo: &str) -> Reply {
    Reply::html(
        502,
        &format!(
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>\
             <pre>upstream rejected request; Authorization: Bearer {echo}</pre><hr>nginx</body></html>"
        ),
    )
}

/// One row: its id, what the server does, what reads and writes must get, and how many
/// attempts each must make.
struct Row {
    id: String,
    script: Vec<Fault>,
    read: (Want, usize),
    write: (Want, Wrap, usize),
    /// For F10: the least time the read must take (it waits for `Retry-After`). No row bounds
    /// the elapsed time from above: that is the deadline's job, checked by `run_case`.
    min_elapsed: Option<Duration>,
    /// F19: a second server the redirect points at, which must see nothing.
    redirect_target: bool,
    /// F20: check the server's charge count.
    charge: bool,
    /// Rows only for writes.
    writes_only: bool,
    /// Rows that need the answer decoded.
    needs_decoding: bool,
    /// Rows that test a hang: short attempt timeouts ([`hang_config`]).
    hang: bool,
    /// The write's `OutcomeUnknown` must say it is not retryable.
    not_retryable: bool,
    /// The answer is a chunked body over the cap from [`ChunkedServer`] (the script is unused).
    chunked: bool,
    /// F10/deadline: the row runs with [`deadline_probe_config`] and must return well before
    /// the `Retry-After` would end.
    deadline_probe: bool,
}

impl Row {
    fn new(id: &str, script: Vec<Fault>, read: (Want, usize), write: (Want, Wrap, usize)) -> Row {
        Row {
            id: id.to_owned(),
            script,
            read,
            write,
            min_elapsed: None,
            redirect_target: false,
            charge: false,
            writes_only: false,
            needs_decoding: false,
            hang: false,
            not_retryable: false,
            chunked: false,
            deadline_probe: false,
        }
    }
}

const RETRIED: usize = 1 + MAX_RETRIES as usize;

fn rows(op: &Op) -> Vec<Row> {
    let mut f4 = Row::new(
        "F4",
        vec![Fault::Hang],
        (Want::Timeout, RETRIED),
        (Want::Timeout, Wrap::Must, 1),
    );
    f4.hang = true;
    let mut f5 = Row::new(
        "F5",
        vec![Fault::StalledBody],
        (Want::Timeout, RETRIED),
        (Want::Timeout, Wrap::Must, 1),
    );
    f5.hang = true;
    let mut rows = vec![
        f4,
        f5,
        Row::new(
            "F6",
            vec![Fault::ResetAfterRequest],
            (Want::Transport(TransportKind::Reset), RETRIED),
            (Want::Transport(TransportKind::Reset), Wrap::Must, 1),
        ),
        Row::new(
            "F7",
            vec![Fault::TruncatedBody],
            (Want::Transport(TransportKind::Truncated), RETRIED),
            (Want::Transport(TransportKind::Truncated), Wrap::Must, 1),
        ),
        Row::new(
            "F8",
            vec![Fault::UnterminatedChunked],
            (Want::Transport(TransportKind::Truncated), RETRIED),
            (Want::Transport(TransportKind::Truncated), Wrap::Must, 1),
        ),
        Row::new(
            "F9",
            vec![Fault::Respond(echoing_bad_gateway(&op.echo))],
            (Want::Http(502), RETRIED),
            (Want::Http(502), Wrap::Must, 1),
        ),
    ];
    let mut f10_script = vec![
        Fault::Respond(Reply::unavailable_retry_after(1)),
        Fault::Respond(op.ok.clone()),
    ];
    f10_script.extend(op.ok_tail.iter().cloned());
    let mut f10 = Row::new(
        "F10",
        f10_script,
        (Want::Ok, 2 + op.ok_tail.len()),
        (Want::Http(503), Wrap::Must, 1),
    );
    f10.min_elapsed = Some(Duration::from_secs(1));
    rows.push(f10);
    // F10/deadline: a Retry-After within the cap that would end after the deadline. The
    // deadline is checked before every retry sleep: the call returns at once with the 503,
    // after 1 attempt, well before the deadline (a client that slept would be a hang).
    let mut deadline_row = Row::new(
        "F10/deadline",
        vec![Fault::Respond(Reply::unavailable_retry_after(
            DEADLINE_PROBE_RETRY_AFTER_SECS,
        ))],
        (Want::RateLimitedOr503, 1),
        (Want::RateLimitedOr503, Wrap::May, 1),
    );
    deadline_row.deadline_probe = true;
    rows.push(deadline_row);
    rows.extend(echo_rows(op));
    // F11: a Retry-After far above the cap and the deadline alike.
    rows.push(Row::new(
        "F11",
        vec![Fault::Respond(Reply::unavailable_retry_after(120))],
        (Want::RateLimitedOr503, 1),
        (Want::RateLimitedOr503, Wrap::May, 1),
    ));
    // F11/cap: a Retry-After above the cap (2 s) but far inside the deadline (30 s), so only
    // the cap can stop the retry: a client that ignored it would wait 5 s and try again.
    rows.push(Row::new(
        "F11/cap",
        vec![Fault::Respond(Reply::unavailable_retry_after(
            CAP_PROBE_SECS,
        ))],
        (Want::RateLimitedOr503, 1),
        (Want::RateLimitedOr503, Wrap::May, 1),
    ));
    rows.push(Row::new(
        "F12",
        vec![Fault::Respond(Reply::too_many_requests())],
        (Want::RateLimited, 1),
        (Want::RateLimited, Wrap::Never, 1),
    ));
    rows.push(if op.api_errors_final {
        Row::new(
            "F13",
            vec![Fault::Respond((op.error_body)(500, &op.echo))],
            (Want::Api(500), 1),
            (Want::Api(500), Wrap::Never, 1),
        )
    } else {
        Row::new(
            "F13",
            vec![Fault::Respond((op.error_body)(500, &op.echo))],
            (Want::Api(500), RETRIED),
            (Want::Api(500), Wrap::Must, 1),
        )
    });
    rows.extend(generic_5xx_rows());
    for status in [400, 401, 403, 404, 422] {
        let want = Want::Mapped((op.mapped)(status));
        rows.push(Row::new(
            &format!("F14/{status}"),
            vec![Fault::Respond((op.error_body)(status, &op.echo))],
            (want, 1),
            (want, Wrap::Never, 1),
        ));
    }
    let html = Reply::html(
        200,
        &format!("<html><body>maintenance {}</body></html>", op.echo),
    );
    let mut f15 = Row::new(
        "F15",
        vec![Fault::Respond(html)],
        (Want::Decode(None), 1),
        (Want::Decode(None), Wrap::Must, 1),
    );
    f15.needs_decoding = true;
    rows.push(f15);
    let mut f16 = Row::new(
        "F16",
        vec![Fault::Respond(Reply::json(200, ""))],
        (Want::Decode(None), 1),
        (Want::Decode(None), Wrap::May, 1),
    );
    f16.needs_decoding = true;
    rows.push(f16);
    if let Some((reply, path)) = &op.wrong_type {
        let mut f17 = Row::new(
            "F17",
            vec![Fault::Respond(reply.clone())],
            (Want::Decode(Some(path)), 1),
            (Want::Decode(Some(path)), Wrap::May, 1),
        );
        f17.needs_decoding = true;
        rows.push(f17);
    }
    rows.push(Row::new(
        "F18",
        vec![Fault::Respond(Reply::oversized_json(8 * 1024 * 1024))],
        (Want::TooLarge, 1),
        (Want::TooLarge, Wrap::May, 1),
    ));
    let mut f18c = Row::new(
        "F18/chunked",
        Vec::new(),
        (Want::TooLarge, 1),
        (Want::TooLarge, Wrap::May, 1),
    );
    f18c.chunked = true;
    rows.push(f18c);
    // A write answered with a redirect may have been applied before it: outcome unknown.
    let mut f19 = Row::new(
        "F19",
        Vec::new(),
        (Want::Redirect, 1),
        (Want::Redirect, Wrap::Must, 1),
    );
    f19.redirect_target = true;
    rows.push(f19);
    let mut f20 = Row::new(
        "F20",
        vec![Fault::ChargeThenReset {
            key_header: "idempotency-key",
            reply: op.ok.clone(),
        }],
        (Want::Ok, 1),
        (Want::Transport(TransportKind::Reset), Wrap::Must, 1),
    );
    f20.charge = true;
    f20.writes_only = true;
    rows.push(f20);
    rows.retain(|r| (op.write || !r.writes_only) && (op.wrong_type.is_some() || !r.needs_decoding));
    // The chunked server answers every request the same way: it cannot serve a prefix.
    rows.retain(|r| op.prefix.is_empty() || !r.chunked);
    rows.retain(|r| !op.skip.contains(&r.id.as_str()));
    rows
}

/// F10/deadline's `Retry-After`, in seconds: within [`deadline_probe_config`]'s cap, and
/// twice its deadline.
const DEADLINE_PROBE_RETRY_AFTER_SECS: u64 = 20;

/// F10/deadline's deadline: a `Retry-After` of
/// [`DEADLINE_PROBE_RETRY_AFTER_SECS`] would end 10 s after it.
const DEADLINE_PROBE_DEADLINE: Duration = Duration::from_secs(10);

/// How far past the start F10/deadline may return: the deadline plus 2 s, still 8 s before
/// the `Retry-After` would end (the case's own hang limit is the deadline + 5 s).
const DEADLINE_PROBE_LIMIT: Duration = Duration::from_secs(12);

/// The HTTP settings of F10/deadline: [`patient_config`] with a 10 s deadline (and attempt
/// timeout) and a 30 s `Retry-After` cap, so that the 20 s `Retry-After` is honoured by the
/// policy and only the deadline check before the sleep can refuse it.
fn deadline_probe_config() -> HttpConfig {
    patient_config()
        .attempt_timeout(DEADLINE_PROBE_DEADLINE)
        .deadline(DEADLINE_PROBE_DEADLINE)
        .retry(
            payments_common::http::RetryPolicy::default()
                .with_max_retries(MAX_RETRIES)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_retry_after_cap(Duration::from_secs(30)),
        )
}

/// The `Retry-After` of row F11/cap, in seconds: above the cap, far inside the deadline.
const CAP_PROBE_SECS: u64 = 5;

/// The bytes row F18/chunked streams (16 times the cap), in 64 KiB chunks with no length.
const CHUNKED_BYTES: usize = 16 * MAX_BODY_BYTES;

/// F13/proxy: a JSON 5xx that is not the provider's own refusal (a gateway's or proxy's
/// error page). A write so answered may have been applied behind the proxy: `OutcomeUnknown`,
/// not retryable, after 1 attempt; a read is retried.
fn generic_5xx_rows() -> Vec<Row> {
    [
        (
            "F13/proxy-504",
            504,
            r#"{"status":504,"error":"Gateway Timeout"}"#,
        ),
        ("F13/proxy-status-error", 500, r#"{"status":"error"}"#),
    ]
    .into_iter()
    .map(|(id, status, body)| {
        let mut row = Row::new(
            id,
            vec![Fault::Respond(Reply::json(status, body))],
            (Want::AnyError, RETRIED),
            (Want::AnyError, Wrap::Must, 1),
        );
        row.not_retryable = true;
        row
    })
    .collect()
}

/// The `user:secret` pair of the credentials `op`'s client holds: its echo when that is a
/// pair already (JataPay's token exchange), the provider's pair when the echoed secret is its
/// secret part (beGateway's shop id and key, GreenPay's merchant id and secret), else the
/// secret as the user with an empty password (TS Pay's key, JataPay's token).
fn basic_pair(op: &Op) -> String {
    if op.echo.contains(':') {
        return op.echo.clone();
    }
    canary::basic_pairs()
        .into_iter()
        .find(|(provider, pair)| {
            *provider == op.provider && pair.ends_with(&format!(":{}", op.echo))
        })
        .map_or_else(|| format!("{}:", op.echo), |(_, pair)| pair)
}

/// S2/echo: a proxy's 502 that echoes the client's credentials in other renderings than the
/// plain text — the `Basic` header (base64 of `user:secret`), every character JSON-escaped,
/// every byte URL-encoded. None of them may surface in any rendering of the error; the
/// attempt counts are F9's.
fn echo_rows(op: &Op) -> Vec<Row> {
    let basic = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, basic_pair(op));
    let replies = [
        (
            "F9/echo-basic",
            Reply::html(
                502,
                &format!(
                    "<html><body><h1>502 Bad Gateway</h1><pre>upstream refused; Authorization: Basic {basic}</pre></body></html>"
                ),
            ),
        ),
        (
            "F9/echo-json-escaped",
            Reply::json(
                502,
                &format!(
                    r#"{{"status":502,"error":"Bad Gateway","request":{{"authorization":"{}"}}}}"#,
                    canary::json_escaped(&op.echo)
                ),
            ),
        ),
        (
            "F9/echo-url-encoded",
            Reply::html(
                502,
                &format!(
                    "<html><body><h1>502 Bad Gateway</h1><pre>GET /upstream?key={}</pre></body></html>",
                    canary::url_encoded(&op.echo)
                ),
            ),
        ),
    ];
    replies
        .into_iter()
        .map(|(id, reply)| {
            Row::new(
                id,
                vec![Fault::Respond(reply)],
                (Want::AnyError, RETRIED),
                (Want::AnyError, Wrap::Must, 1),
            )
        })
        .collect()
}

/// Runs one row against one operation and records it.
async fn run_row(op: Op, row: Row) {
    let label = format!("{} {}", op.label, row.id);
    let (want, wrap, expected) = if op.write {
        row.write
    } else {
        (row.read.0, Wrap::Never, row.read.1)
    };
    let expected = expected + op.prefix.len();
    let (config, deadline) = if row.hang {
        (hang_config(), HANG_DEADLINE)
    } else if row.deadline_probe {
        (deadline_probe_config(), DEADLINE_PROBE_DEADLINE)
    } else {
        (patient_config(), DEADLINE)
    };
    let other = if row.redirect_target {
        Some(FaultServer::start(vec![Fault::Respond(op.ok.clone())]).await)
    } else {
        None
    };
    let mut script = row.script.clone();
    if let Some(other) = &other {
        script = vec![Fault::Respond(Reply::redirect(
            other.url("/collect").as_str(),
        ))];
    }
    script.splice(0..0, op.prefix.iter().cloned());
    let server = Server::start(&row, script).await;
    let Some(base) = server.base_url() else {
        record(
            &op,
            &row,
            expected,
            0,
            false,
            "could not bind loopback".to_owned(),
        );
        return;
    };
    let call = op.call.clone();
    let started = Instant::now();
    let end = run_case(&label, deadline, async move { call(base, config).await }).await;
    let elapsed = started.elapsed();
    let CaseEnd::Done(result) = end else {
        record(
            &op,
            &row,
            expected,
            server.attempts(),
            false,
            format!("{end:?}"),
        );
        return;
    };
    let clean = scan_result(&label, &result);
    let seen = server.attempts();
    let mut passed = check(&op, want, wrap, &result) && seen == expected && clean;
    let mut detail = format!("{result:?}");
    if !clean {
        detail = format!("a canary leaked into a rendering; {detail}");
    }
    if row.not_retryable
        && op.write
        && let Err(err) = &result
        && err.is_retryable()
    {
        passed = false;
        detail = format!("a write whose outcome is open claims to be retryable; {detail}");
    }
    if row.deadline_probe && elapsed > DEADLINE_PROBE_LIMIT {
        passed = false;
        detail = format!(
            "returned after {elapsed:?}: it slept into a Retry-After that ends after the deadline; {detail}"
        );
    }
    if let Some(min) = row.min_elapsed
        && !op.write
        && elapsed < min
    {
        passed = false;
        detail = format!("returned after {elapsed:?}, before the Retry-After delay; {detail}");
    }
    if let Some(other) = &other
        && other.attempts() != 0
    {
        passed = false;
        detail = format!(
            "the redirect target saw {} request(s); {detail}",
            other.attempts()
        );
    }
    if server.completed() != 0 {
        passed = false;
        detail = format!(
            "the client read the whole {CHUNKED_BYTES}-byte chunked body: the cap did not hold while streaming; {detail}"
        );
    }
    if row.charge && op.write {
        report::charges(&label, server.charges());
    }
    record(&op, &row, expected, seen, passed, detail);
}

fn record(op: &Op, row: &Row, expected: usize, seen: usize, passed: bool, detail: String) {
    report::fault(FaultRow {
        provider: op.provider,
        operation: op.label.clone(),
        row: row.id.clone(),
        expected_attempts: expected,
        seen_attempts: seen,
        passed,
        detail,
    });
}

/// The server a row runs against: the scripted fault server, or the chunked one.
enum Server {
    Fault(FaultServer),
    Chunked(Option<ChunkedServer>),
}

impl Server {
    async fn start(row: &Row, script: Vec<Fault>) -> Server {
        if row.chunked {
            // 200 whatever the operation's success status: a 204 has no body to stream.
            Server::Chunked(ChunkedServer::start(200, CHUNKED_BYTES).await.ok())
        } else {
            Server::Fault(FaultServer::start(script).await)
        }
    }

    fn base_url(&self) -> Option<Url> {
        match self {
            Server::Fault(s) => Some(s.base_url()),
            Server::Chunked(s) => s.as_ref().map(ChunkedServer::base_url),
        }
    }

    fn attempts(&self) -> usize {
        match self {
            Server::Fault(s) => s.attempts(),
            Server::Chunked(s) => s.as_ref().map_or(0, ChunkedServer::attempts),
        }
    }

    fn charges(&self) -> usize {
        match self {
            Server::Fault(s) => s.charges(),
            Server::Chunked(_) => 0,
        }
    }

    fn completed(&self) -> usize {
        match self {
            Server::Fault(_) => 0,
            Server::Chunked(s) => s.as_ref().map_or(0, ChunkedServer::completed),
        }
    }
}

/// Scans the value's or the error's renderings for the canaries; whether they were clean.
pub fn scan_result(label: &str, result: &CallResult) -> bool {
    match result {
        Ok(value) => canary::scan(label, value),
        Err(err) => canary::scan_error(label, err),
    }
}

/// F1–F3: rows where no server answers HTTP; the attempt count comes from the error.
async fn run_connect_rows(op: Op) {
    // F1: nothing listens.
    let refused = FaultServer::refused_url("/").await;
    let label = format!("{} F1", op.label);
    let call = op.call.clone();
    let end = run_case(&label, DEADLINE, async move {
        call(refused, patient_config()).await
    })
    .await;
    record_connect(&op, "F1", RETRIED, end, None);

    // F2: the host does not resolve.
    let label = format!("{} F2", op.label);
    let call = op.call.clone();
    let end = match Url::parse("https://payments-sdk-fault.invalid/") {
        Ok(url) => {
            run_case(&label, DEADLINE, async move {
                call(url, patient_config()).await
            })
            .await
        }
        Err(e) => CaseEnd::Done(Err(Error::invalid("url", e.to_string()))),
    };
    record_connect(&op, "F2", RETRIED, end, None);

    // F3: TLS to a server that does not speak TLS (the certificate row's loopback stand-in).
    let server = FaultServer::start(vec![Fault::NotTls]).await;
    let label = format!("{} F3", op.label);
    let call = op.call.clone();
    let end = match Url::parse(&server.base_url().as_str().replace("http://", "https://")) {
        Ok(url) => {
            run_case(&label, DEADLINE, async move {
                call(url, patient_config()).await
            })
            .await
        }
        Err(e) => CaseEnd::Done(Err(Error::invalid("url", e.to_string()))),
    };
    record_connect(&op, "F3", 1, end, Some(server.attempts()));
}

fn record_connect(
    op: &Op,
    row: &str,
    expected: usize,
    end: CaseEnd<CallResult>,
    server_saw: Option<usize>,
) {
    let (passed, seen, detail) = match end {
        CaseEnd::Done(result) => {
            scan_result(&format!("{} {row}", op.label), &result);
            let reported = result
                .as_ref()
                .err()
                .and_then(Error::attempts)
                .map_or(0, |a| a as usize);
            let connect = matches!(result, Err(Error::Connect { .. }));
            let server_ok = server_saw.is_none_or(|n| n == reported);
            // F3: FaultServer's NotTls can close while part of the ClientHello is unread, so
            // the kernel sends a RST and an attempt fails as a reset (retried) instead of a
            // TLS error; the row still requires the *final* error to be the handshake failure,
            // and every attempt the server saw to be reported.
            let raced = row == "F3"
                && reported <= RETRIED
                && format!("{result:?}").contains("InvalidContentType");
            (
                connect && (reported == expected || raced) && server_ok,
                reported,
                format!("{result:?} (server saw {server_saw:?})"),
            )
        }
        other => (false, 0, format!("{other:?}")),
    };
    report::fault(FaultRow {
        provider: op.provider,
        operation: op.label.clone(),
        row: row.to_owned(),
        expected_attempts: expected,
        seen_attempts: seen,
        passed,
        detail,
    });
}

/// Runs every row against every operation, a few at a time.
pub async fn run(ops: Vec<Op>) {
    // Rows that answer at once share a few slots; rows that test a hang mostly wait for their
    // timeouts, so they get their own, wider gate.
    let gate = Arc::new(Semaphore::new(6));
    let hang_gate = Arc::new(Semaphore::new(12));
    let mut tasks = tokio::task::JoinSet::new();
    // F1–F3 have no server to serve a prefix: they run for the operations without one.
    let connect_ops: Vec<Op> = ops
        .iter()
        .filter(|op| op.prefix.is_empty())
        .cloned()
        .collect();
    for op in ops {
        for row in rows(&op) {
            let gate = if row.hang {
                hang_gate.clone()
            } else {
                gate.clone()
            };
            let op = op.clone();
            tasks.spawn(async move {
                let _permit = gate.acquire_owned().await;
                run_row(op, row).await;
            });
        }
    }
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined
            && e.is_panic()
        {
            report::panic("fault row runner");
        }
    }
    // F1–F3 one at a time, with no other server starting: the port `refused_url` freed must
    // not be handed to a concurrently starting fault server.
    for op in connect_ops {
        run_connect_rows(op).await;
    }
    // F20 keyed: beGateway's card writes, keyed with RequestID.
    begateway::keyed_rows().await;
}

/// Rows that apply to no operation of the three providers, whoever they are.
pub fn not_applicable_everywhere(provider: &'static str) {
    if provider == "begateway" {
        // beGateway's card writes are keyed with RequestID: `begateway::keyed_rows` runs F20
        // keyed for them; its other writes (products, checkouts, plans) stay unkeyed.
        report::not_applicable(
            provider,
            "unkeyed writes",
            "F20 keyed",
            "products, checkouts, plans and subscriptions have no provider-honoured idempotency key; card writes run F20 keyed",
        );
    } else {
        report::not_applicable(
            provider,
            "every write",
            "F20 keyed",
            "no operation has a provider-honoured idempotency key, so only the unkeyed half of F20 applies",
        );
    }
    report::not_applicable(
        provider,
        "*",
        "F21",
        "a 409 idempotency conflict needs an idempotency key the provider honours: none documented",
    );
    report::not_applicable(
        provider,
        "*",
        "F3 cert",
        "an untrusted certificate needs a TLS server: F3 here is a non-TLS answer to https (a handshake failure); the certificate case is pipeline-level (payments-common)",
    );
}
