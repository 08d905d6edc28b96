//! Choosing the store at start-up: a bad URL, an unreachable Redis and a
//! password in the URL. These need no redis-server.

use std::process::Command;

fn start_with_store(store: &str) -> (Option<i32>, String) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let output = Command::new(crate::common::binary())
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("store"))
        .args(["--store", store])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run");
    assert!(output.stdout.is_empty(), "no listening line: {output:?}");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_store_that_is_neither_sled_nor_a_redis_url_is_refused_naming_the_setting() {
    for bad in [
        "mysql://localhost/db",
        "redis://",
        "rediss://localhost:6380",
    ] {
        let (code, stderr) = start_with_store(bad);
        assert_eq!(code, Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("invalid setting store"), "{bad}: {stderr}");
    }
}

#[test]
fn an_unreachable_redis_at_start_up_is_a_clear_error_and_its_password_is_not_shown() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let socket = dir.path().join("nobody-listens.sock");
    let (code, stderr) = start_with_store(&format!("redis+unix://{}", socket.display()));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot open the store at redis+unix://"),
        "{stderr}"
    );

    // Port 1 on loopback: nothing listens there.
    let (code, stderr) = start_with_store("redis://:hunter2@127.0.0.1:1/0");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot open the store at redis://:***@127.0.0.1:1/0"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");
}

#[tokio::test]
async fn a_redis_without_an_fsync_per_write_is_named_in_the_log() {
    let mut server = crate::common::TestServer::start_logging("", Some("warn"));
    assert!(!server.log().contains("appendfsync"), "{}", server.log());
    let client =
        redis::Client::open(server.redis.as_ref().expect("on Redis").url()).expect("client");
    let mut connection = client.get_connection().expect("connection");
    let _: () = redis::cmd("CONFIG")
        .arg(&["SET", "appendfsync", "everysec"])
        .query(&mut connection)
        .expect("config set");
    server.restart();
    let log = server.log();
    assert!(
        log.contains("ERROR") && log.contains("appendfsync=everysec"),
        "{log}"
    );
}

#[test]
fn switchboard_erase_on_redis_points_to_the_admin_api() {
    let output = Command::new(crate::common::binary())
        .args([
            "erase",
            "--conversation",
            "00",
            "--store",
            "redis://127.0.0.1:1/0",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/v1/admin/conversations/"), "{stderr}");
}
