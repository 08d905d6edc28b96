//! What the benches share: the release server started on port 0.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// The `switchboard` binary on 127.0.0.1:0 with `store` and `config`,
/// logging errors only; returns once it printed its `listening` line (the
/// rest of its stdout is drained on a thread).
pub fn start_server(store: &std::path::Path, config: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(store)
        .arg("--config")
        .arg(config)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start switchboard");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = lines.next().expect("a line").expect("readable");
    std::thread::spawn(move || for _ in lines {});
    let addr = line
        .strip_prefix("listening on http://")
        .expect("the listening line")
        .parse()
        .expect("an address");
    (child, addr)
}
