//! WebSocket conformance: the Autobahn test cases, run by kosoku (PyPI)
//! against `/v1/conformance/echo`, which echoes on exactly the socket
//! machinery of the chat channels. Excluded: 9.x (messages of 64 KiB to
//! 16 MiB; Switchboard refuses anything over 64 KiB by design, with 1009) and
//! 12.x/13.x (permessage-deflate, which Switchboard does not offer).
//!
//! `.ci/run` installs kosoku into `target/kosoku-venv`; without it this test
//! says it was skipped, except under `CI=true`, where that fails it.

use std::path::PathBuf;

use crate::common::TestServer;

fn kosoku() -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/kosoku-venv/bin/kosoku");
    if venv.exists() {
        return Some(venv);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("kosoku"))
            .find(|path| path.exists())
    })
}

#[test]
fn the_autobahn_cases_pass_on_the_servers_websocket_stack() {
    let Some(kosoku) = kosoku() else {
        assert!(
            std::env::var("CI").is_err(),
            "kosoku is not installed (.ci/run installs it into target/kosoku-venv)"
        );
        eprintln!("skipped: kosoku is not installed (python3 -m venv target/kosoku-venv && target/kosoku-venv/bin/pip install kosoku)");
        return;
    };
    let server = TestServer::start_with_config(
        "conformance_echo = true\n[limits]\nframes_per_second = 1000000\nframes_burst = 1000000\nmax_frame_bytes = 65536\n",
    );
    let reports = tempfile::TempDir::new().expect("temp dir");
    let url = format!("ws://{}/v1/conformance/echo", server.addr);
    let output = std::process::Command::new(&kosoku)
        .arg(&url)
        .args(["-x", "9.*", "-x", "12.*", "-x", "13.*", "-p", "4", "-o"])
        .arg(reports.path())
        .output()
        .expect("run kosoku");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "kosoku reports failures:\n{said}");
    let mut cases = 0;
    for entry in std::fs::read_dir(reports.path()).expect("reports") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !name.contains("_case_") || !name.ends_with(".json") {
            continue;
        }
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
        cases += 1;
        let behavior = report["behavior"].as_str().unwrap_or_default();
        let close = report["behaviorClose"].as_str().unwrap_or_default();
        assert!(
            ["OK", "NON-STRICT", "INFORMATIONAL"].contains(&behavior)
                && ["OK", "INFORMATIONAL"].contains(&close),
            "case {}: {behavior} / {close}: {}",
            report["id"],
            report["result"]
        );
    }
    assert!(cases > 200, "only {cases} cases ran");
}
