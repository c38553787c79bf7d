//! `payments-sandbox [--port N] [--state DIR] [--reset]`: runs the local sandbox of the four payment providers until
//! Ctrl-C, after printing its URLs and test credentials.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

const USAGE: &str = "usage: payments-sandbox [--port N] [--state DIR] [--reset]\n\n\
Runs a local emulator of the JataPay, TS Pay, GreenPay and beGateway APIs on 127.0.0.1\n\
(port 0 or no --port = a free ephemeral port) until Ctrl-C.\n\n\
  --state DIR  keep RSA keys, webhook registrations, objects and notifications in DIR across\n\
               restarts (default: $CARGO_TARGET_DIR/payments-sandbox-state, else\n\
               target/payments-sandbox-state)\n\
  --reset      forget what the state directory holds and start clean\n";

/// The command line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    port: Option<u16>,
    state: Option<PathBuf>,
    reset: bool,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--help" || arg == "-h" {
            return Err(String::new());
        } else if arg == "--reset" {
            options.reset = true;
        } else if arg == "--state" {
            options.state = Some(PathBuf::from(it.next().ok_or("--state needs a directory")?));
        } else if let Some(v) = arg.strip_prefix("--state=") {
            options.state = Some(PathBuf::from(v));
        } else {
            let value = if arg == "--port" || arg == "-p" {
                it.next().ok_or("--port needs a value")?.clone()
            } else if let Some(v) = arg.strip_prefix("--port=") {
                v.to_owned()
            } else {
                return Err(format!("unknown argument: {arg}"));
            };
            options.port = Some(
                value
                    .parse::<u16>()
                    .map_err(|_| format!("invalid port: {value}"))?,
            );
        }
    }
    Ok(options)
}

/// `$CARGO_TARGET_DIR/payments-sandbox-state`, else `target/payments-sandbox-state`.
fn default_state_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("payments-sandbox-state")
}

fn banner(s: &RunningSandbox) -> String {
    format!(
        "payments sandbox listening on {base}\n\
         state kept in {state} (--reset starts clean)\n\
         Give each provider's client builder the values of its section below.\n\
         \n\
         {settings}\n\
         Press Ctrl-C to stop.\n",
        base = s.base_url(),
        state = s
            .state_dir()
            .map_or_else(|| "memory only".to_owned(), |d| d.display().to_string()),
        settings = s.client_settings(),
    )
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(&args) {
        Ok(p) => p,
        Err(msg) => {
            let mut err = std::io::stderr().lock();
            if !msg.is_empty() {
                let _ = writeln!(err, "error: {msg}");
            }
            let _ = write!(err, "{USAGE}");
            return if msg.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let config = SandboxConfig::new()
        .port(options.port.unwrap_or(0))
        .state_dir(options.state.unwrap_or_else(default_state_dir))
        .reset_state(options.reset);
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                let _ = writeln!(err, "  caused by: {cause}");
                source = cause.source();
            }
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}", banner(&sandbox));
        let _ = out.flush();
    }
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{Options, parse_args};

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_the_port_state_and_reset_flags() {
        assert_eq!(parse_args(&args(&[])), Ok(Options::default()));
        assert_eq!(
            parse_args(&args(&["--port", "8080"])).unwrap().port,
            Some(8080)
        );
        assert_eq!(parse_args(&args(&["--port=0"])).unwrap().port, Some(0));
        let o = parse_args(&args(&["--state", "/tmp/s", "--reset"])).unwrap();
        assert_eq!(o.state, Some(PathBuf::from("/tmp/s")));
        assert!(o.reset);
        assert_eq!(
            parse_args(&args(&["--state=d"])).unwrap().state,
            Some(PathBuf::from("d"))
        );
        assert!(parse_args(&args(&["--state"])).is_err());
        assert!(parse_args(&args(&["--port", "x"])).is_err());
        assert!(parse_args(&args(&["--bogus"])).is_err());
    }
}
