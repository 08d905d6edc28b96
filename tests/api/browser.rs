//! The demo widget and the agent console in a real headless Chromium, driven
//! over WebDriver: a Turkish customer on `/` talks to the bot, asks for a
//! person, is claimed by Ayşe on `/agent`, reloads without losing or doubling
//! anything, and rates the chat after Ayşe closes it.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).
//! Without them the test says so and passes, except under CI=true, where a
//! missing browser is a failure.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{agent_entry, TestServer};
use fantoccini::{Client, ClientBuilder, Locator};
use switchboard::config::bundled_content_dir;
use switchboard::l10n::{Localizer, Msg};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const TOKEN: &str = "ayse-browser-token";
/// How long a page may take to show what the test waits for.
const UI_TIMEOUT: Duration = Duration::from_secs(20);

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver on a free port; returns it once it says it is ready.
fn start_chromedriver() -> (Driver, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let mut child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("started successfully") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("chromedriver starts");
    (Driver(child), port)
}

async fn browser(port: u16, lang: &str, profile: &std::path::Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--lang={lang}"),
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {"intl.accept_languages": lang},
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

/// `text` as WebDriver reads it off the page: its element text turns
/// no-break spaces into plain ones (WebDriver's Get Element Text), and the
/// locales keep a no-break space before `€` and French punctuation.
fn as_read(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

/// Waits until `css` matches an element whose text satisfies `accept`;
/// returns that text.
async fn wait_for_text(client: &Client, css: &str, accept: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if let Ok(elements) = client.find_all(Locator::Css(css)).await {
            for element in elements {
                if let Ok(text) = element.text().await {
                    if accept(&text) {
                        return text;
                    }
                }
            }
        }
        if Instant::now() >= deadline {
            screenshot(client, "timed-out.png").await;
            panic!("nothing matching {css} appeared in time (target/browser-screenshots/timed-out.png)");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(name), png).expect("write screenshot");
}

async fn seqs(client: &Client) -> Vec<String> {
    let mut seqs = Vec::new();
    for element in client
        .find_all(Locator::Css("#sb-log .sb-msg[data-seq]"))
        .await
        .expect("messages")
    {
        if let Ok(Some(seq)) = element.attr("data-seq").await {
            seqs.push(seq);
        }
    }
    seqs
}

#[tokio::test]
async fn a_turkish_customer_and_an_agent_chat_in_two_browsers() {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium and chromium-driver (.ci/run installs them)"
        );
        eprintln!("skipped: install Debian's chromium and chromium-driver to run the browser test");
        return;
    }
    let server = TestServer::start_with_config(&agent_entry("Ayşe", &["tr", "en"], TOKEN));
    let base = format!("http://{}", server.addr);
    let l10n = Localizer::load(&bundled_content_dir().join("locales")).expect("locales");
    let tr = l10n.locale("tr").expect("tr");
    let (_driver, port) = start_chromedriver();
    let profiles = tempfile::TempDir::new().expect("profiles");
    let customer = browser(port, "tr-TR", &profiles.path().join("customer")).await;
    let agent = browser(port, "en-GB", &profiles.path().join("agent")).await;

    // 1. The customer writes in Turkish and gets an answer in Turkish.
    customer
        .goto(&format!("{base}/"))
        .await
        .expect("open the shop");
    customer
        .find(Locator::Css("#sb-launcher"))
        .await
        .expect("launcher")
        .click()
        .await
        .expect("open chat");
    let greeting = l10n.text(&tr, &Msg::Greeting);
    wait_for_text(&customer, "#sb-log .sb-msg[data-from=bot]", |t| {
        t.contains(&as_read(&greeting))
    })
    .await;
    let input = customer
        .find(Locator::Css("#sb-input"))
        .await
        .expect("input");
    input
        .send_keys("kargo ücreti ne kadar")
        .await
        .expect("type");
    customer
        .find(Locator::Css("#sb-send"))
        .await
        .expect("send")
        .click()
        .await
        .expect("send");
    let answer = l10n.text(
        &tr,
        &Msg::IntentAnswer {
            facts: None,
            message: "answer-shipping_info",
            order: None,
        },
    );
    wait_for_text(&customer, "#sb-log .sb-msg[data-from=bot]", |t| {
        t.contains(&as_read(&answer))
    })
    .await;

    // 2. They ask for a person and see their place in the queue.
    let input = customer
        .find(Locator::Css("#sb-input"))
        .await
        .expect("input");
    input
        .send_keys("müşteri temsilcisine bağlanmak istiyorum")
        .await
        .expect("type");
    customer
        .find(Locator::Css("#sb-send"))
        .await
        .expect("send")
        .click()
        .await
        .expect("send");
    // Nobody is logged in yet: no wait is promised.
    let queued = l10n.text(&tr, &Msg::HandoffQueuedNoEstimate { position: 1 });
    wait_for_text(&customer, "#sb-log .sb-msg[data-from=system]", |t| {
        t.contains(&as_read(&queued))
    })
    .await;
    wait_for_text(&customer, "#sb-status", |t| !t.trim().is_empty()).await;
    screenshot(&customer, "customer-queued.png").await;

    // 3. Ayşe logs in, claims it, sees the context and replies.
    agent
        .goto(&format!("{base}/agent"))
        .await
        .expect("open the console");
    agent
        .find(Locator::Css("#token"))
        .await
        .expect("token")
        .send_keys(TOKEN)
        .await
        .expect("type token");
    agent
        .find(Locator::Css("#login"))
        .await
        .expect("login")
        .click()
        .await
        .expect("log in");
    wait_for_text(&agent, "#queue .queue-item", |t| {
        t.contains("müşteri temsilcisine")
    })
    .await;
    agent
        .find(Locator::Css("#queue .queue-item .claim"))
        .await
        .expect("claim")
        .click()
        .await
        .expect("claim");
    wait_for_text(&agent, ".conversation .context .intents", |t| {
        t.contains("human_agent")
    })
    .await;
    wait_for_text(&agent, ".conversation .context .summary", |t| {
        t.contains("müşteri temsilcisine")
    })
    .await;
    wait_for_text(&agent, ".conversation .transcript", |t| {
        t.contains("kargo ücreti ne kadar")
    })
    .await;
    let reply = "Merhaba, ben Ayşe. Siparişinizle ilgili size nasıl yardımcı olabilirim?";
    agent
        .find(Locator::Css(".conversation .reply-input"))
        .await
        .expect("reply box")
        .send_keys(reply)
        .await
        .expect("type");
    agent
        .find(Locator::Css(".conversation .reply-send"))
        .await
        .expect("send")
        .click()
        .await
        .expect("send");
    screenshot(&agent, "agent-console.png").await;

    // 4. The customer sees the reply, from Ayşe.
    wait_for_text(&customer, "#sb-log .sb-msg[data-from=agent]", |t| {
        t.contains(reply)
    })
    .await;
    screenshot(&customer, "customer-with-agent.png").await;

    // 5. After a reload the whole transcript is there, each entry once.
    let before = seqs(&customer).await;
    customer.refresh().await.expect("reload");
    if customer
        .find(Locator::Css("#sb-panel"))
        .await
        .map(|_| ())
        .is_err()
    {
        customer
            .find(Locator::Css("#sb-launcher"))
            .await
            .expect("launcher")
            .click()
            .await
            .expect("open");
    }
    if let Ok(launcher) = customer.find(Locator::Css("#sb-launcher")).await {
        if launcher
            .attr("aria-expanded")
            .await
            .ok()
            .flatten()
            .as_deref()
            != Some("true")
        {
            launcher.click().await.expect("open chat");
        }
    }
    wait_for_text(&customer, "#sb-log .sb-msg[data-from=agent]", |t| {
        t.contains(reply)
    })
    .await;
    let deadline = Instant::now() + UI_TIMEOUT;
    let after = loop {
        let now = seqs(&customer).await;
        if now.len() >= before.len() || Instant::now() > deadline {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mut unique = after.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), after.len(), "an entry shown twice: {after:?}");
    for seq in &before {
        assert!(
            after.contains(seq),
            "entry {seq} missing after reload: {after:?}"
        );
    }

    // 6. Ayşe closes the chat; the customer rates it and Ayşe sees the rating.
    agent
        .find(Locator::Css(".conversation .close"))
        .await
        .expect("close")
        .click()
        .await
        .expect("close");
    if agent.get_alert_text().await.is_ok() {
        agent.accept_alert().await.expect("confirm closing");
    }
    wait_for_text(&customer, "#sb-survey", |_| true).await;
    customer
        .find(Locator::Css("#sb-survey [data-score=\"5\"]"))
        .await
        .expect("five stars")
        .click()
        .await
        .expect("rate");
    customer
        .find(Locator::Css("#sb-survey button:not(.sb-star)"))
        .await
        .expect("submit the survey")
        .click()
        .await
        .expect("submit");
    wait_for_text(&agent, ".conversation .rating", |t| {
        t.contains('5') || t.contains("★★★★★")
    })
    .await;
    screenshot(&agent, "agent-rated.png").await;
    screenshot(&customer, "customer-rated.png").await;

    customer.close().await.expect("close the customer browser");
    agent.close().await.expect("close the agent browser");
}

/// Waits until an element matching `css` has `attr` satisfying `accept`;
/// returns the value.
async fn wait_for_attr(
    client: &Client,
    css: &str,
    attr: &str,
    accept: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if let Ok(elements) = client.find_all(Locator::Css(css)).await {
            for element in elements {
                if let Ok(Some(value)) = element.attr(attr).await {
                    if accept(&value) {
                        return value;
                    }
                }
            }
        }
        if Instant::now() >= deadline {
            screenshot(client, "timed-out.png").await;
            panic!(
                "no {css} with a fitting {attr} in time (target/browser-screenshots/timed-out.png)"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_insights_page_draws_the_scripted_day_and_filters_by_language() {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium and chromium-driver (.ci/run installs them)"
        );
        eprintln!("skipped: install Debian's chromium and chromium-driver to run the browser test");
        return;
    }
    let server = crate::insights::server();
    let script = crate::insights::run(&server).await;
    let base = format!("http://{}", server.addr);
    let (_driver, port) = start_chromedriver();
    let profiles = tempfile::TempDir::new().expect("profiles");
    let lead = browser(port, "en-GB", &profiles.path().join("lead")).await;

    // Signed out: the page asks for the token, then draws.
    lead.goto(&format!("{base}/agent/insights"))
        .await
        .expect("open insights");
    lead.find(Locator::Css("#token"))
        .await
        .expect("token")
        .send_keys(crate::insights::JOHN)
        .await
        .expect("type token");
    lead.find(Locator::Css("#login"))
        .await
        .expect("login")
        .click()
        .await
        .expect("log in");
    wait_for_attr(&lead, "body", "data-loaded", |v| v == "true").await;
    wait_for_text(&lead, "#kpi-conversations", |t| t == "6").await;
    wait_for_text(&lead, "#kpi-containment", |t| t == "50.0 %").await;
    wait_for_text(&lead, "#kpi-csat", |t| t == "3.67").await;
    wait_for_text(&lead, "#kpi-fallback", |t| t == "28.6 %").await;
    wait_for_text(&lead, "#kpi-wait-median", |t| t == "≤ 5 s").await;
    // The charts are SVG drawn from the report's figures.
    for (reason, count) in [
        ("complaint", "1"),
        ("no_match", "1"),
        ("customer_request", "1"),
        ("policy", "0"),
    ] {
        let css = format!("#chart-reasons svg rect[data-reason={reason}]");
        wait_for_attr(&lead, &css, "data-value", |v| v == count).await;
    }
    for (score, count) in [("5", "1"), ("4", "1"), ("3", "0"), ("2", "1"), ("1", "0")] {
        let css = format!("#chart-csat svg rect[data-score=\"{score}\"]");
        wait_for_attr(&lead, &css, "data-value", |v| v == count).await;
    }
    wait_for_attr(
        &lead,
        "#chart-rates svg circle.series-containment",
        "data-value",
        |v| v == "0.5",
    )
    .await;
    wait_for_attr(
        &lead,
        "#chart-wait svg rect[data-bound=\"5\"]",
        "data-value",
        |v| v == "2",
    )
    .await;
    wait_for_text(&lead, "#table-articles tbody tr", |t| {
        t.contains(&script.unhelpful_article)
    })
    .await;
    wait_for_text(&lead, "#table-unanswered tbody tr", |t| {
        t.contains("zzzz qqqq xxxx")
    })
    .await;
    let link = wait_for_attr(
        &lead,
        "#table-unanswered a.open-conversation",
        "href",
        |href| href.ends_with(&format!("/agent#conversation={}", script.unanswered_in)),
    )
    .await;
    // The whole page in one picture for the README.
    lead.set_window_size(1280, 1900)
        .await
        .expect("a taller window");
    // In target/browser-screenshots; into docs/ only when asked
    // (SWITCHBOARD_UPDATE_SCREENSHOTS=1), so that a test run leaves the
    // tree clean.
    let png = lead.screenshot().await.expect("screenshot");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join("insights.png"), &png).expect("write the screenshot");
    if std::env::var_os("SWITCHBOARD_UPDATE_SCREENSHOTS").is_some() {
        std::fs::write(root.join("docs/insights.png"), &png).expect("write docs/insights.png");
    }

    // Filtered to Turkish: one conversation, contained.
    lead.find(Locator::Css("#filter-locale option[value=tr]"))
        .await
        .expect("the Turkish option")
        .click()
        .await
        .expect("choose Turkish");
    wait_for_attr(&lead, "body", "data-query", |q| q.contains("locale=tr")).await;
    wait_for_text(&lead, "#kpi-conversations", |t| t == "1").await;
    wait_for_text(&lead, "#kpi-containment", |t| t == "100.0 %").await;
    wait_for_attr(
        &lead,
        "#chart-reasons svg rect[data-reason=complaint]",
        "data-value",
        |v| v == "0",
    )
    .await;
    wait_for_text(&lead, "#table-unanswered tbody", |t| {
        t.contains("Every question was answered")
    })
    .await;

    // The link opens the conversation in the console, read-only, signed in
    // with the same token.
    let url = if link.starts_with('/') {
        format!("{base}{link}")
    } else {
        link
    };
    lead.goto(&url).await.expect("follow the link");
    wait_for_text(&lead, ".conversation .transcript", |t| {
        t.contains("zzzz qqqq xxxx")
    })
    .await;
    drop(script.waiting);
    lead.close().await.expect("close the browser");
}
