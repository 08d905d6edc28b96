//! The bundled content is complete and consistent, and the checks that
//! guard it catch what they claim to.

use std::path::Path;

use switchboard::config::bundled_content_dir;
use switchboard::conversation::checks::{check_content, Problem};
use switchboard::l10n::{Localizer, Msg};
use switchboard::nlu::load_intents;

const REQUIRED_LOCALES: &[&str] = &["en", "tr", "el", "ms", "lv", "de", "fr", "es", "ru"];

/// DESIGN.md §4: the intents every deployment of the demo content has.
const REQUIRED_INTENTS: &[&str] = &[
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "human_agent",
    "bot_identity",
    "order_status",
    "order_cancel",
    "change_address",
    "delivery_delay",
    "shipping_info",
    "return_item",
    "refund_request",
    "damaged_item",
    "payment_problem",
    "payment_methods",
    "invoice_request",
    "account_login",
    "account_delete",
    "business_hours",
    "contact_info",
    "complaint",
    "discount_code",
    "warranty",
    "product_availability",
    "subscription_cancel",
];

fn describe(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_bundled_content_passes_every_check() {
    let problems = check_content(&bundled_content_dir());
    assert!(problems.is_empty(), "{}", describe(&problems));
}

#[test]
fn every_required_locale_and_intent_is_bundled() {
    let l10n = Localizer::load(&bundled_content_dir().join("locales")).expect("locales");
    for locale in REQUIRED_LOCALES {
        assert!(l10n.locale(locale).is_some(), "locale {locale} is missing");
    }
    let intents = load_intents(&bundled_content_dir().join("intents")).expect("intents");
    for intent in REQUIRED_INTENTS {
        assert!(
            intents.iter().any(|i| i.name == *intent),
            "intent {intent} is missing"
        );
    }
}

#[test]
fn the_latvian_wait_message_agrees_with_the_number() {
    let l10n = Localizer::load(&bundled_content_dir().join("locales")).expect("locales");
    let lv = l10n.locale("lv").expect("lv");
    let wait = |minutes| {
        l10n.text(
            &lv,
            &Msg::HandoffQueued {
                position: 2,
                minutes,
            },
        )
    };
    let unit = |minutes: u64| {
        let text = wait(minutes);
        let after = text
            .split_once(&format!(" {minutes} "))
            .map(|(_, rest)| rest.to_owned())
            .unwrap_or_else(|| panic!("no number {minutes} in {text}"));
        after
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    // 10 and 111 share CLDR's `zero` form; 1 and 21 share `one`; 2 is `other`.
    assert_eq!(unit(111), unit(10));
    assert_eq!(unit(21), unit(1));
    assert_ne!(unit(111), unit(1));
    assert_ne!(unit(2), unit(1));
    assert_ne!(unit(2), unit(10));
}

/// Writes a small content tree: English and Latvian messages, one intent.
fn fixture(dir: &Path, lv_chat: &str, intent_action: &str) {
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    let mut en = String::new();
    let catalogue_ftl = |msg: &Msg<'_>| {
        let vars: String = msg
            .arg_names()
            .iter()
            .map(|v| format!(" {{ ${v} }}"))
            .collect();
        format!("{} = text{vars}\n", msg.id())
    };
    for msg in Msg::catalogue() {
        en.push_str(&catalogue_ftl(&msg));
    }
    en.push_str("answer-hello = Hello!\nlabel-hello = Hello\n");
    write("locales/en/chat.ftl", &en);
    write("locales/lv/chat.ftl", &en.replace("text", "teksts"));
    write("locales/lv/extra.ftl", lv_chat);
    let examples: Vec<String> = (0..25).map(|i| format!("\"hello {i}\"")).collect();
    let examples = examples.join(", ");
    write(
        "intents/hello.toml",
        &format!("{intent_action}\n[examples]\nen = [{examples}]\nlv = [{examples}]\n"),
    );
}

const GOOD_ACTION: &str = "[action]\nkind = \"answer\"\nmessage = \"answer-hello\"\n";

#[test]
fn a_valid_fixture_has_no_problems() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", GOOD_ACTION);
    let problems = check_content(dir.path());
    assert!(problems.is_empty(), "{}", describe(&problems));
}

#[test]
fn a_fluent_syntax_error_is_reported_with_its_line() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "# fine\n\nbroken message = {\n", GOOD_ACTION);
    let problems = describe(&check_content(dir.path()));
    assert!(
        problems.contains("lv/extra.ftl:3: Fluent syntax error"),
        "{problems}"
    );
    let loaded = Localizer::load(&dir.path().join("locales"));
    let error = loaded.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        error.contains("extra.ftl:3"),
        "the server refuses it too: {error}"
    );
}

#[test]
fn a_locale_missing_an_english_message_is_reported() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", GOOD_ACTION);
    let lv = dir.path().join("locales/lv/chat.ftl");
    let text = std::fs::read_to_string(&lv).expect("read");
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("greeting ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&lv, without).expect("write");
    let problems = describe(&check_content(dir.path()));
    assert!(
        problems.contains("locale `lv` lacks message `greeting`"),
        "{problems}"
    );
}

#[test]
fn a_variable_the_code_never_passes_is_reported() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", GOOD_ACTION);
    for (locale, word) in [("en", "Hello"), ("lv", "Sveiki")] {
        let path = dir.path().join(format!("locales/{locale}/chat.ftl"));
        let text = std::fs::read_to_string(&path).expect("read");
        let text = text.replace(
            "answer-hello = Hello!",
            &format!("answer-hello = {word}, {{ $name }}!"),
        );
        std::fs::write(&path, text).expect("write");
    }
    let problems = describe(&check_content(dir.path()));
    assert!(
        problems.contains("en/chat.ftl:")
            && problems.contains("uses $name, which the code never passes"),
        "{problems}"
    );
}

#[test]
fn a_plural_selected_without_plural_is_reported() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", GOOD_ACTION);
    let path = dir.path().join("locales/lv/chat.ftl");
    let text = std::fs::read_to_string(&path).expect("read");
    let text: String = text
        .lines()
        .map(|line| match line.starts_with("handoff-queued =") {
            true => "handoff-queued = { $position } { $minutes ->\n    [one] minūte\n   *[other] minūtes\n}\n".to_owned(),
            false => format!("{line}\n"),
        })
        .collect();
    std::fs::write(&path, text).expect("write");
    let problems = describe(&check_content(dir.path()));
    assert!(problems.contains("use PLURAL($n)"), "{problems}");
}

#[test]
fn thin_or_ambiguous_intents_and_bad_quick_replies_are_reported() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(
        dir.path(),
        "",
        "[action]\nkind = \"answer\"\nmessage = \"answer-hello\"\nquick_replies = [\"nothing\"]\n",
    );
    std::fs::write(
        dir.path().join("intents/bye.toml"),
        "[action]\nkind = \"answer\"\nmessage = \"answer-hello\"\n[examples]\nen = [\"Hello 3!\"]\n",
    )
    .expect("write");
    let problems = describe(&check_content(dir.path()));
    assert!(
        problems.contains("has 1 examples in `en`, needs 25"),
        "{problems}"
    );
    assert!(problems.contains("has 0 examples in `lv`"), "{problems}");
    assert!(problems.contains("is also an example of `"), "{problems}");
    assert!(
        problems.contains("quick reply `nothing` is not an intent"),
        "{problems}"
    );
}

#[test]
fn a_broken_intent_file_is_reported_with_its_line() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", "[action]\nkind = \"dance\"\n");
    let problems = describe(&check_content(dir.path()));
    assert!(problems.contains("hello.toml:"), "{problems}");
}

/// A file of intents that is not TOML stops everything that refers to the
/// intents from being checked: the reload refusal and `switchboard check` name
/// the one broken line, not every article link and label after it.
#[test]
fn a_toml_error_in_an_intent_file_is_the_one_problem_reported() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", GOOD_ACTION);
    article(dir.path(), "Parcels leave within a day.");
    assert!(check_content(dir.path()).is_empty());
    let intent = dir.path().join("intents/hello.toml");
    let source = std::fs::read_to_string(&intent).expect("read");
    std::fs::write(&intent, format!("{source}broken = [\n")).expect("write");
    let problems = check_content(dir.path());
    assert_eq!(problems.len(), 1, "{}", describe(&problems));
    let shown = problems[0].to_string();
    let line = source.lines().count() + 1;
    assert!(shown.contains(&format!("hello.toml:{line}: ")), "{shown}");
    assert_eq!(shown.matches("hello.toml").count(), 1, "{shown}");
}

/// An article linked to the intent, in English and Latvian, stating `body`.
fn article(dir: &Path, body: &str) {
    for locale in ["en", "lv"] {
        let path = dir.join(format!("knowledge/{locale}/shipping.md"));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            path,
            format!(
                "+++\nid = \"shipping\"\ntitle = \"Shipping\"\nurl = \"/help/shipping\"\nintents = [\"hello\"]\n+++\n\n{body}\n\n## To Turkey\n\n5–10 business days, a flat €14.90.\n"
            ),
        )
        .expect("write");
    }
}

#[test]
fn an_answer_that_states_a_number_its_article_does_not_is_reported() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", GOOD_ACTION);
    article(
        dir.path(),
        "Standard delivery takes 2–4 business days and costs €4.90.",
    );
    // "Hello!" states no number: nothing to contradict.
    let problems = check_content(dir.path());
    assert!(problems.is_empty(), "{}", describe(&problems));
    // The answer promises 2–3 days and €3,90 (a decimal comma reads as a point).
    let chat = dir.path().join("locales/en/chat.ftl");
    let text = std::fs::read_to_string(&chat).expect("read");
    std::fs::write(
        &chat,
        text.replace(
            "answer-hello = Hello!",
            "answer-hello = We deliver in 2–3 days for €3,90 or in 5–10 days.",
        ),
    )
    .expect("write");
    let problems = describe(&check_content(dir.path()));
    assert!(
        problems.contains("`answer-hello` states 3, which none of its articles (shipping) states"),
        "{problems}"
    );
    assert!(problems.contains("states 3.90"), "{problems}");
    assert!(
        !problems.contains("states 5,") && !problems.contains("states 10"),
        "{problems}"
    );
}

/// WhatsApp's reply buttons take at most 20 characters: a button label
/// longer than that, in any locale, is reported unless its `.short` fits.
#[test]
fn a_button_label_too_long_for_whatsapp_is_reported_unless_its_short_form_fits() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    fixture(dir.path(), "", GOOD_ACTION);
    let lv = dir.path().join("locales/lv/chat.ftl");
    let text = std::fs::read_to_string(&lv).expect("read");
    let long = "label-hello = Sveiki, kā Jums šodien klājas?";
    std::fs::write(&lv, text.replace("label-hello = Hello", long)).expect("write");
    let problems = describe(&check_content(dir.path()));
    assert!(
        problems.contains("lv/chat.ftl:")
            && problems.contains("button label `label-hello` has 30 characters"),
        "{problems}"
    );

    let short = format!("{long}\n    .short = Sveiki");
    std::fs::write(&lv, text.replace("label-hello = Hello", &short)).expect("write");
    let problems = check_content(dir.path());
    assert!(problems.is_empty(), "{}", describe(&problems));

    let long_short = format!("{long}\n    .short = Sveiki, kā Jums klājas šovakar?");
    std::fs::write(&lv, text.replace("label-hello = Hello", &long_short)).expect("write");
    let problems = describe(&check_content(dir.path()));
    assert!(
        problems.contains("`label-hello` has 31 characters"),
        "{problems}"
    );
}
