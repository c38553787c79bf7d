//! `payments-sandbox [--port N]`: runs the local sandbox of the four payment providers until
//! Ctrl-C, after printing its URLs and test credentials.

use std::io::Write as _;
use std::process::ExitCode;

use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

const USAGE: &str = "usage: payments-sandbox [--port N]\n\n\
Runs a local emulator of the JataPay, TS Pay, GreenPay and beGateway APIs on 127.0.0.1\n\
(port 0 or no --port = a free ephemeral port) until Ctrl-C.\n";

fn parse_port(args: &[String]) -> Result<Option<u16>, String> {
    let mut port = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = if arg == "--port" || arg == "-p" {
            it.next().ok_or("--port needs a value")?.clone()
        } else if let Some(v) = arg.strip_prefix("--port=") {
            v.to_owned()
        } else if arg == "--help" || arg == "-h" {
            return Err(String::new());
        } else {
            return Err(format!("unknown argument: {arg}"));
        };
        port = Some(
            value
                .parse::<u16>()
                .map_err(|_| format!("invalid port: {value}"))?,
        );
    }
    Ok(port)
}

fn banner(s: &RunningSandbox) -> String {
    format!(
        "payments sandbox listening on {base}\n\
         Give each provider's client builder the values of its section below.\n\
         \n\
         {settings}\n\
         Press Ctrl-C to stop.\n",
        base = s.base_url(),
        settings = s.client_settings(),
    )
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match parse_port(&args) {
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
    let config = SandboxConfig::new().port(port.unwrap_or(0));
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
    use super::parse_port;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_the_port_flag() {
        assert_eq!(parse_port(&args(&[])), Ok(None));
        assert_eq!(parse_port(&args(&["--port", "8080"])), Ok(Some(8080)));
        assert_eq!(parse_port(&args(&["--port=0"])), Ok(Some(0)));
        assert!(parse_port(&args(&["--port", "x"])).is_err());
        assert!(parse_port(&args(&["--bogus"])).is_err());
    }
}
