//! A bot that keeps its word (issue 11): an order number given in any
//! phrasing is used for the flow that asked for it, the company's backend
//! (the demo shop built into the binary, called over HTTP with signed
//! requests) answers in the customer's language, and a backend that fails
//! gets an apology and the offer of a person, never its own words. Hours,
//! zone and contacts come from the config.

use crate::common::{agent_entry, localizer, text_in, Agent, Customer, TestServer};
use serde_json::{json, Value};
use switchboard::l10n::Msg;

/// An action message as the bundled content says it in `locale`.
fn action_text(locale: &str, id: &str, args: &[(&str, &str)]) -> String {
    let l10n = localizer();
    let args: Vec<(String, String)> = args
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    l10n.render(&l10n.locale(locale).expect("locale"), id, &args)
        .expect("message")
}

/// A customer who said hello with `locale` and the IANA `timezone`.
async fn customer_in_zone(server: &TestServer, locale: &str, timezone: &str) -> Customer {
    let mut customer = Customer::connect(server).await;
    customer
        .send(json!({"type": "hello", "locale": locale, "timezone": timezone}))
        .await;
    customer.welcome = customer.expect("welcome").await;
    customer.greeting = customer.expect("message").await;
    customer
}

/// One order lookup per core locale, phrased as customers phrase it: the
/// demo shop's real status comes back in the customer's language.
#[tokio::test]
async fn an_order_lookup_answers_with_the_shops_status_in_every_core_locale() {
    let server = TestServer::start();
    let cases = [
        ("en", "where is my order", "order no 1004527"),
        ("tr", "siparisim nerde", "siparis numaram 1004527"),
        (
            "el",
            "που ειναι η παραγγελια μου",
            "ο αριθμός είναι 1004527",
        ),
        ("ms", "mana pesanan saya", "no order 1004527 ya"),
        ("lv", "kur ir mans pasutijums", "tas ir 1004527"),
    ];
    for (locale, ask, give) in cases {
        let mut customer = server.customer(locale).await;
        let (_, question) = customer.say("m1", ask).await;
        assert_eq!(question["intent"], "order_status", "{locale}: {question}");
        let (_, answer) = customer.say("m2", give).await;
        assert_eq!(answer["intent"], "order_status", "{locale}: {answer}");
        assert_eq!(answer["locale"], locale);
        let text = answer["text"].as_str().expect("text");
        assert!(
            text.contains("1004527")
                && text.contains("https://www.dhl.com/track?id=JD014600003828"),
            "{locale}: {text}"
        );
        // The shipped status, not the fixed text that ignores the number.
        assert_ne!(
            text,
            text_in(
                locale,
                &Msg::IntentAnswer {
                    message: "answer-order_status",
                    order: Some("1004527"),
                    facts: None
                }
            )
        );
    }
}

/// "I don't have it" to the order-number question gets where to find it and,
/// with it, the offer of a person, in the customer's language.
#[tokio::test]
async fn a_customer_without_the_order_number_is_told_where_it_is_and_offered_a_person() {
    let server = TestServer::start();
    for (locale, ask, cannot) in [
        ("tr", "siparisim nerde", "siparis numaram yok elimde"),
        ("de", "wo ist meine bestellung", "hab die bestellnr nicht"),
        (
            "el",
            "pou einai i paraggelia mou",
            "dn thimamai ton arithmo",
        ),
        ("en", "where is my order", "i dont have it"),
    ] {
        let mut customer = server.customer(locale).await;
        customer.say("m1", ask).await;
        let (_, reply) = customer.say("m2", cannot).await;
        assert_eq!(
            reply["text"],
            text_in(locale, &Msg::SlotOrderNumberAgain),
            "{locale}: {reply}"
        );
        assert_eq!(
            reply["quick_replies"][0]["value"], "handoff:customer_request",
            "{locale}: {reply}"
        );
        customer
            .send(json!({"type": "choice", "id": "m3", "value": "handoff:customer_request"}))
            .await;
        customer.expect("ack").await;
        assert_eq!(customer.wait_for("handoff").await["status"], "queued");
    }
}

/// A bare order number, as a first message or after another topic, is
/// looked up in every language, whatever the classifier makes of its digits.
#[tokio::test]
async fn a_bare_order_number_is_looked_up_in_every_language() {
    let server = TestServer::start();
    for locale in ["tr", "ru", "el", "de", "fr", "es", "lv", "ms", "en"] {
        for number in ["1004527", "#1004527"] {
            let mut customer = server.customer(locale).await;
            let (_, answer) = customer.say("m1", number).await;
            assert_eq!(answer["intent"], "order_status", "{locale}: {answer}");
            let text = answer["text"].as_str().expect("text");
            assert!(text.contains("1004527"), "{locale}: {text}");
        }
    }
    // After an order question and another topic (QA: asked for it again).
    let mut customer = server.customer("tr").await;
    customer.say("m1", "kargom nerde").await;
    customer.say("m2", "iade kosullari neler").await;
    let (_, answer) = customer.say("m3", "1004527").await;
    let text = answer["text"].as_str().expect("text");
    assert!(text.contains("1004527"), "{answer}");
}

#[tokio::test]
async fn a_number_given_in_a_cancel_flow_answers_the_cancel() {
    let server = TestServer::start();
    let mut customer = server.customer("tr").await;
    let (_, question) = customer.say("m1", "siparişimi iptal etmek istiyorum").await;
    assert_eq!(question["intent"], "order_cancel", "{question}");
    // Cancelling changes something: the bot asks first, then the shop answers.
    let (_, confirm) = customer.say("m2", "siparis no 4471203").await;
    assert_eq!(confirm["intent"], "order_cancel", "{confirm}");
    assert_eq!(
        confirm["text"],
        action_text("tr", "confirm-order_cancel", &[("order", "4471203")])
    );
    let (_, answer) = customer.say("m3", "evet").await;
    assert_eq!(
        answer["text"],
        action_text("tr", "order-not-found", &[("order", "4471203")])
    );
    // Still in the warehouse: the cancel goes through after the yes button,
    // with the amount in Turkish notation.
    customer.say("m4", "1004528 nolu siparisi iptal et").await;
    customer
        .send(json!({"type": "choice", "id": "m5", "value": "confirm:yes"}))
        .await;
    customer.expect("ack").await;
    let answer = customer.expect("message").await;
    assert_eq!(answer["intent"], "order_cancel", "{answer}");
    let text = answer["text"].as_str().expect("text");
    assert!(text.contains("1004528") && text.contains("49,90"), "{text}");
}

#[tokio::test]
async fn an_unanswered_number_question_is_asked_twice_then_a_person_is_offered() {
    let server = TestServer::start();
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is my parcel").await;
    let (_, again) = customer.say("m2", "hmm").await;
    assert_eq!(again["text"], text_in("en", &Msg::SlotOrderNumberAgain));
    let (_, gave_up) = customer.say("m3", "i cant find it anywhere").await;
    assert_eq!(gave_up["text"], text_in("en", &Msg::SlotGiveUp));
    assert_eq!(
        gave_up["quick_replies"][0],
        json!({"label": text_in("en", &Msg::QuickReplyTalkToPerson), "value": "handoff:customer_request"})
    );
    customer
        .send(json!({"type": "choice", "id": "m4", "value": "handoff:customer_request"}))
        .await;
    customer.expect("ack").await;
    let handoff = customer.expect("handoff").await;
    assert_eq!(handoff["status"], "queued", "{handoff}");
}

/// Thanks while the order question is open is answered as thanks, and a
/// number sent afterwards still goes to the order asked about.
#[tokio::test]
async fn thanks_after_the_order_question_is_answered_and_the_number_still_counts() {
    let server = TestServer::start();
    for (locale, question, thanks) in [
        ("tr", "siparisim nerede", "tesekkurler"),
        ("en", "where is my parcel", "thanks"),
        ("el", "pou einai to paketo mou", "efxaristo"),
    ] {
        let mut customer = server.customer(locale).await;
        let (_, asked) = customer.say("m1", question).await;
        assert_eq!(asked["intent"], "order_status", "{locale}: {asked}");
        let (_, reply) = customer.say("m2", thanks).await;
        assert_eq!(reply["intent"], "thanks", "{locale}: {reply}");
        let (_, answer) = customer.say("m3", "1004527").await;
        assert_eq!(answer["intent"], "order_status", "{locale}: {answer}");
        let text = answer["text"].as_str().expect("text");
        assert!(text.contains("1004527"), "{locale}: {text}");
    }
}

/// "It still hasn't come" after the order question is the delay flow, asked
/// for the same number once more (not the first question word for word),
/// and a person is offered after that.
#[tokio::test]
async fn a_related_question_needing_the_same_number_continues_the_count() {
    let server = TestServer::start();
    for (locale, question, related) in [
        ("el", "pou einai to paketo mou", "den exei erthei akoma"),
        ("en", "where is my parcel", "it still hasnt arrived"),
        ("tr", "siparisim nerede", "hala gelmedi"),
    ] {
        let mut customer = server.customer(locale).await;
        let (_, asked) = customer.say("m1", question).await;
        let (_, again) = customer.say("m2", related).await;
        assert_eq!(again["intent"], "delivery_delay", "{locale}: {again}");
        assert_ne!(again["text"], asked["text"], "{locale}");
        assert_eq!(again["text"], text_in(locale, &Msg::SlotOrderNumberAgain));
        let (_, gave_up) = customer.say("m3", "hmm").await;
        assert_eq!(gave_up["text"], text_in(locale, &Msg::SlotGiveUp));
        // The number, once found, answers the delay.
        let (_, answer) = customer.say("m4", "1004527").await;
        assert_eq!(answer["intent"], "delivery_delay", "{locale}: {answer}");
    }
}

#[tokio::test]
async fn a_customer_who_gives_their_own_number_is_offered_a_person_not_given_ours() {
    let server = TestServer::start();
    let cases = [
        ("en", "my mobile is 07700 900123"),
        ("en", "you can reach me at +44 7700 900123"),
        ("de", "meine Handynummer ist 0151 23456789"),
        ("fr", "mon numéro c'est le 06 12 34 56 78"),
        ("ru", "мой телефон 8 (912) 345-67-89"),
        ("tr", "numaram 0532 123 45 67 beni arayin"),
        ("el", "το κινητό μου είναι 691 234 5678"),
        ("ms", "no tel sy 012-345 6789"),
        ("lv", "mans telefons ir 2612 3456"),
        ("es", "mi móvil es el 612 34 56 78"),
        ("en", "my email is ana@example.org"),
        ("en", "my email is x@y.com"),
        ("ms", "emel saya x@y.com"),
        ("ru", "мой email x@y.com"),
        // A whole mobile number of the conversation's country, alone.
        ("el", "6941234567"),
        ("es", "612345678"),
    ];
    for (locale, text) in cases {
        let mut customer = server.customer(locale).await;
        let (_, reply) = customer.say("m1", text).await;
        assert_eq!(
            reply["text"],
            text_in(locale, &Msg::ContactDetailsGiven),
            "{locale}: {text}"
        );
        assert!(
            !reply["text"].as_str().unwrap_or("").contains("7946"),
            "{locale}: {text} got the shop's number"
        );
        assert_eq!(
            reply["quick_replies"][0]["value"], "handoff:customer_request",
            "{locale}: {text}"
        );
        // The button takes the offer; the number is in the transcript.
        customer
            .send(json!({"type": "choice", "id": "m2", "value": "handoff:customer_request"}))
            .await;
        customer.expect("ack").await;
        let handoff = customer.expect("handoff").await;
        assert_eq!(handoff["status"], "queued", "{locale}: {handoff}");
    }
}

#[tokio::test]
async fn a_number_given_while_the_order_question_is_open_is_not_taken_for_an_order() {
    let server = TestServer::start();
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is my order").await;
    let (_, reply) = customer.say("m2", "my number is 07700 900123").await;
    assert_eq!(
        reply["text"],
        text_in("en", &Msg::ContactDetailsGiven),
        "{reply}"
    );
    // The question is dropped: a bare order number later is still looked up.
    let (_, answer) = customer.say("m3", "1004527").await;
    assert_eq!(answer["intent"], "order_status", "{answer}");
}

#[tokio::test]
async fn an_order_number_with_a_weak_guess_at_cancelling_is_looked_up_not_cancelled() {
    let server = TestServer::start();
    let mut customer = server.customer("ms").await;
    let (_, answer) = customer.say("m1", "pesanan 1004527").await;
    assert_eq!(answer["intent"], "order_status", "{answer}");
    assert!(
        answer["quick_replies"]
            .as_array()
            .is_none_or(|q| q.iter().all(|r| r["value"] != "confirm:yes")),
        "{answer}"
    );
}

/// A bare word for "order", as phone users type it ("order pls", "la
/// commande svp", "siparis lütfen"), is a question about the order: it
/// starts the order lookup, never "shall I cancel?". It had read as a
/// cancellation at 0.64-0.99 in six languages.
#[tokio::test]
async fn a_bare_word_for_order_is_a_question_about_it_not_a_cancellation() {
    let server = TestServer::start();
    for (locale, text) in [
        ("en", "the order please"),
        ("de", "die bestellung bitte"),
        ("fr", "la commande svp"),
        ("es", "el pedido porfa"),
        ("tr", "siparis lütfen"),
        ("ms", "pesanan saya tolong"),
        ("ru", "заказ плиз"),
        ("el", "η παραγγελια παρακαλω"),
        ("es", "la orden"),
        ("lv", "par pasutijumu"),
    ] {
        let mut customer = server.customer(locale).await;
        let (_, reply) = customer.say("m1", text).await;
        assert_eq!(reply["intent"], "order_status", "{locale} {text}: {reply}");
        let (_, answer) = customer.say("m2", "1004527").await;
        assert_eq!(answer["intent"], "order_status", "{locale}: {answer}");
        assert!(
            answer["quick_replies"]
                .as_array()
                .is_none_or(|q| q.iter().all(|r| r["value"] != "confirm:yes")),
            "{locale}: {answer}"
        );
    }
}

/// "I have a problem" opens a conversation: the bot asks what it is about.
/// It had said goodbye in English ("i have a problem") and "Great!" to
/// "problem". A bare word for the account is a question about it: it had
/// read as a request to delete the account (0.92-0.99 in every language),
/// which queues the customer for a person.
#[tokio::test]
async fn a_problem_without_a_subject_is_asked_about_and_a_bare_account_is_not_deleted() {
    let server = TestServer::start();
    for (locale, opener, account) in [
        ("en", "ive got a problem", "my account pls thx"),
        ("de", "hab da ein problem", "mein kundenkonto bitte"),
        ("fr", "j'ai un petit problème", "mon compte client svp"),
        ("es", "tengo un problemilla", "mi cuenta por favor"),
        ("tr", "bi sorunum vardi", "hesabim hakkinda"),
        ("ms", "sy ada masalah", "akaun aku"),
        ("ru", "у меня тут проблема", "мой аккаунт плиз"),
        ("el", "exo ena provlimataki", "o logariasmos mou"),
        ("lv", "man ir neliela problema", "mans profils"),
    ] {
        let mut customer = server.customer(locale).await;
        let (_, reply) = customer.say("m1", opener).await;
        assert_eq!(reply["intent"], "greet", "{locale} {opener}: {reply}");
        let greeting = Msg::IntentAnswer {
            facts: None,
            message: "answer-greet",
            order: None,
        };
        assert_eq!(reply["text"], text_in(locale, &greeting), "{locale}");
        let (_, reply) = customer.say("m2", account).await;
        assert_eq!(
            reply["intent"], "account_login",
            "{locale} {account}: {reply}"
        );
    }
}

/// A cancellation with its order number that the classifier is fairly but
/// not very sure of is asked about, not looked up: Spanish "cancela mi
/// pedido 1004528" at 0.79 had answered with the order's status.
#[tokio::test]
async fn a_cancellation_with_its_number_is_asked_about_though_not_read_with_certainty() {
    let server = TestServer::start();
    let mut customer = server.customer("es").await;
    let (_, answer) = customer.say("m1", "cancela mi pedido 1004528").await;
    assert_eq!(answer["intent"], "order_cancel", "{answer}");
    assert!(
        answer["quick_replies"]
            .as_array()
            .is_some_and(|q| q.iter().any(|r| r["value"] == "confirm:yes")),
        "{answer}"
    );
    assert!(
        answer["text"]
            .as_str()
            .is_some_and(|t| t.contains("1004528")),
        "{answer}"
    );
}

#[tokio::test]
async fn never_mind_lets_the_question_go() {
    let server = TestServer::start();
    let mut customer = server.customer("en").await;
    customer
        .say("m1", "i want to change my delivery address")
        .await;
    let (_, reply) = customer.say("m2", "never mind").await;
    assert_eq!(reply["text"], text_in("en", &Msg::SlotAbandoned));
    // The next number is not taken for the abandoned flow.
    let (_, reply) = customer.say("m3", "how do i return an item").await;
    assert_eq!(reply["intent"], "return_item", "{reply}");
}

/// Config with the demo shop's actions at `timeout_ms`, under `secret`.
fn shop_config(timeout_ms: u64, secret: Option<&str>) -> String {
    let secret = secret.map_or(String::new(), |s| format!("secret = \"{s}\"\n"));
    format!(
        "[actions.order_lookup]\nurl = \"/demo/shop/order_lookup\"\ntimeout_ms = {timeout_ms}\n{secret}\n{}",
        agent_entry("Eleni", &["en"], "eleni-token")
    )
}

/// A timeout, a 500, an answer that is not JSON, a message id that exists
/// nowhere, an answer that leaves the message's variables unfilled, a
/// request the backend refuses as wrongly signed: the customer gets the same
/// apology and the offer of a person, never the backend's words or `{$..}`.
#[tokio::test]
async fn a_failing_backend_gets_an_apology_and_the_offer_of_a_person() {
    let server = TestServer::start_with_config(&shop_config(300, None));
    for order in ["1009991", "1009992", "1009993", "1009995", "1009996"] {
        let mut customer = server.customer("el").await;
        customer.say("m1", "που ειναι η παραγγελια μου").await;
        let (_, reply) = customer.say("m2", order).await;
        assert_eq!(
            reply["text"],
            text_in("el", &Msg::ActionFailed),
            "{order}: {reply}"
        );
        assert_eq!(reply["quick_replies"][0]["value"], "handoff:action_failed");
    }
    // Not JSON, an unknown message, unfilled variables: three bad answers.
    let (_, metrics) = server.http_get("/metrics").await;
    assert!(
        metrics.contains(
            "switchboard_action_calls_total{action=\"order_lookup\",outcome=\"bad_answer\"} 3"
        ),
        "{metrics}"
    );
    // Two keys for one shop: the demo shop verifies with the first action's
    // (order_cancel, in name order), so the lookup's requests are refused as
    // wrongly signed (401).
    let two_keys = format!(
        "{}[actions.order_cancel]\nurl = \"/demo/shop/order_cancel\"\nsecret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n",
        shop_config(2000, Some("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"))
    );
    let wrong = TestServer::start_with_config(&two_keys);
    let mut customer = wrong.customer("en").await;
    customer.say("m1", "where is my order").await;
    let (_, reply) = customer.say("m2", "1004527").await;
    assert_eq!(reply["text"], text_in("en", &Msg::ActionFailed), "{reply}");
}

#[tokio::test]
async fn the_offer_after_a_failure_queues_with_reason_action_failed() {
    let server = TestServer::start_with_config(&shop_config(300, None));
    let mut agent = Agent::connect(&server, "eleni-token").await;
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is my order").await;
    customer.say("m2", "1009992").await;
    customer
        .send(json!({"type": "choice", "id": "m3", "value": "handoff:action_failed"}))
        .await;
    customer.expect("ack").await;
    assert_eq!(customer.expect("handoff").await["status"], "queued");
    let items = agent.queue_until(|items| !items.is_empty()).await;
    assert_eq!(items[0]["reason"], "action_failed", "{items:?}");
}

#[tokio::test]
async fn a_backend_that_asks_for_a_person_hands_off() {
    let server = TestServer::start_with_config(&shop_config(2000, None));
    let mut agent = Agent::connect(&server, "eleni-token").await;
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is my order").await;
    customer
        .send(json!({"type": "message", "id": "m2", "text": "1009994"}))
        .await;
    customer.expect("ack").await;
    // The customer is told why a person comes, before their place.
    let said = customer.expect("message").await;
    assert_eq!(said["from"], "bot", "{said}");
    assert_eq!(said["intent"], "order_status", "{said}");
    assert_eq!(said["text"], text_in("en", &Msg::ActionHandoff));
    assert_eq!(customer.expect("handoff").await["status"], "queued");

    // Asked in one message: the agent's summary quotes the customer's
    // words, not just the order number the backend was sent.
    let mut customer = server.customer("en").await;
    customer
        .send(json!({"type": "message", "id": "m1", "text": "wheres my order 1009994 pls"}))
        .await;
    customer.expect("ack").await;
    assert_eq!(customer.wait_for("handoff").await["status"], "queued");
    let items = agent.queue_until(|items| items.len() == 2).await;
    let summary = items[1]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.ends_with("“wheres my order 1009994 pls”"),
        "{items:?}"
    );
}

/// The hours are the configured ones, in the customer's zone when the
/// widget sends it, else the team's with the zone named; the contacts are
/// the configured ones.
#[tokio::test]
async fn hours_and_contacts_come_from_the_config() {
    let config = "[handoff]\nhours = \"Mon-Fri 09:00-18:00\"\ntimezone = \"Europe/Istanbul\"\n\
                  [contact]\nemail = \"destek@magaza.test\"\nphone = \"+90 212 555 0101\"\n";
    let server = TestServer::start_with_config(config);
    let mut customer = server.customer("en").await;
    let (_, reply) = customer.say("m1", "what are your opening hours").await;
    assert_eq!(reply["intent"], "business_hours", "{reply}");
    let text = reply["text"].as_str().expect("text");
    assert!(
        text.contains("Monday–Friday 09:00–18:00") && text.contains("Europe/Istanbul"),
        "{text}"
    );
    let mut far = customer_in_zone(&server, "ms", "Asia/Kuala_Lumpur").await;
    let (_, reply) = far.say("m1", "pukul berapa kedai buka").await;
    assert_eq!(reply["intent"], "business_hours", "{reply}");
    let text = reply["text"].as_str().expect("text");
    assert!(
        text.contains("14:00–23:00") && text.contains("Asia/Kuala_Lumpur"),
        "{text}"
    );
    let (_, reply) = customer.say("m2", "how can i contact you").await;
    assert_eq!(reply["intent"], "contact_info", "{reply}");
    let text = reply["text"].as_str().expect("text");
    assert!(
        text.contains("destek@magaza.test") && text.contains("+90 212 555 0101"),
        "{text}"
    );
}

/// With no `[handoff] hours`, support never closes: the hours answer says so
/// and names no time zone, and nothing speaks of "outside support hours".
#[tokio::test]
async fn without_configured_hours_the_hours_answer_says_around_the_clock() {
    let server = TestServer::start();
    for (locale, question, outside) in [
        ("en", "what are your opening hours", "outside support hours"),
        ("ru", "какой у вас график работы?", "нерабочие часы"),
    ] {
        let mut customer = server.customer(locale).await;
        let (_, reply) = customer.say("m1", question).await;
        assert_eq!(reply["intent"], "business_hours", "{reply}");
        let text = reply["text"].as_str().expect("text");
        let always = text_in(locale, &Msg::HoursAlways);
        assert!(text.contains(&always), "{locale}: {text}");
        assert!(
            !text.contains("UTC") && !text.contains(outside),
            "{locale}: {text}"
        );
    }
}

#[tokio::test]
async fn an_unknown_time_zone_is_a_clear_error() {
    let server = TestServer::start();
    let mut customer = Customer::connect(&server).await;
    customer
        .send(json!({"type": "hello", "locale": "lv", "timezone": "Mars/Olympus"}))
        .await;
    // Said in the language the hello asked for.
    let refused = customer.expect_error("bad_request").await;
    let latvian = text_in(
        "lv",
        &switchboard::l10n::Msg::Error {
            code: switchboard::domain::ErrorCode::BadRequest,
        },
    );
    assert_eq!(refused["message"], latvian, "{refused}");
    // Nothing was opened: a correct hello on the same socket still works.
    customer
        .send(json!({"type": "hello", "locale": "lv", "timezone": "Europe/Riga"}))
        .await;
    assert_eq!(customer.expect("welcome").await["resumed"], false);
}

/// Out of hours, asking for a person gets the variant that promises nobody
/// now, then the offline notice with the opening time and its zone.
#[tokio::test]
async fn out_of_hours_a_person_is_not_promised() {
    // A one-minute window three days from today: closed now.
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .weekday()
        .to_monday_zero_offset() as usize;
    let day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][(today + 3) % 7];
    let config =
        format!("[handoff]\nhours = \"{day} 09:00-09:01\"\ntimezone = \"Europe/Berlin\"\n");
    let server = TestServer::start_with_config(&config);
    for locale in ["en", "tr", "de"] {
        let mut customer = server.customer(locale).await;
        let (_, reply) = customer
            .say(
                "m1",
                match locale {
                    "en" => "i want to talk to a human",
                    "tr" => "canli destek istiyorum",
                    _ => "ich möchte mit einem Mitarbeiter sprechen",
                },
            )
            .await;
        assert_eq!(reply["intent"], "human_agent", "{locale}: {reply}");
        assert_eq!(
            reply["text"],
            action_text(locale, "answer-human_agent-offline", &[]),
            "{locale}"
        );
        let handoff = customer.expect("handoff").await;
        assert_eq!(handoff["status"], "offline");
        let notice: Value = customer.expect("message").await;
        // Nobody reads the queue until morning: the bot keeps answering.
        if locale == "en" {
            let (_, reply) = customer.say("m2", "how much does shipping cost").await;
            assert_eq!(reply["intent"], "shipping_info", "{reply}");
            // Two misses in a row would bring a person; overnight the bot
            // still says something.
            customer.say("m3", "blorp fizzle wug").await;
            let (_, reply) = customer.say("m4", "zib zab zoo").await;
            assert_eq!(reply["from"], "bot", "{reply}");
        }
        assert!(
            notice["text"]
                .as_str()
                .is_some_and(|t| t.contains("09:00") && t.contains("(Europe/Berlin, UTC+0")),
            "{notice}"
        );
    }
    // A backend that fails at night: the apology promises nobody now.
    let mut customer = server.customer("en").await;
    customer.say("m1", "where is my order").await;
    let (_, reply) = customer.say("m2", "1009992").await;
    assert_eq!(reply["text"], text_in("en", &Msg::ActionFailedOffline));
}

/// Support that opens later today says "today", not the weekday.
#[tokio::test]
async fn an_opening_later_today_says_today() {
    let now = jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::UTC);
    if now.hour() >= 23 {
        return; // no window later today to test with
    }
    let day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        [now.weekday().to_monday_zero_offset() as usize];
    let config = format!("[handoff]\nhours = \"{day} 23:00-23:30\"\n");
    let server = TestServer::start_with_config(&config);
    let mut customer = server.customer("en").await;
    customer.say("m1", "i want to talk to a human").await;
    customer.expect("handoff").await;
    let notice = customer.expect("message").await;
    let today = text_in(
        "en",
        &Msg::OpensAt {
            day: "today",
            time: "23:00",
        },
    );
    assert!(
        notice["text"].as_str().is_some_and(|t| t.contains(&today)),
        "{notice} lacks {today}"
    );
}

/// At size: a backend that hangs for many customers at once holds nobody
/// else up. 100 customers give an order number the demo shop answers only
/// after 10 s (1009991; the action's timeout is 8 s) at the same moment, and
/// are acked at once; while those 100 calls are outstanding, 100 others,
/// typing as phones do with the number inside the sentence, get their
/// order's status. Each of the hundred then gets the apology with the offer
/// of a person; none is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_backend_for_a_hundred_customers_holds_up_nobody_else() {
    let server = TestServer::start_with_config(&shop_config(8000, None));
    let mut waiting = Vec::new();
    for _ in 0..100 {
        let mut customer = server.customer("en").await;
        customer.say("m1", "wheres my order").await;
        waiting.push(customer);
    }
    for customer in &mut waiting {
        customer
            .send(json!({"type": "message", "id": "m2", "text": "its 1009991"}))
            .await;
    }
    for customer in &mut waiting {
        assert_eq!(customer.expect("ack").await["id"], "m2");
    }
    let phrasings = [
        "hey wheres my order 1004527 pls",
        "ord 1004527 where is it??",
        "1004527 hasnt arrived yet whats the status",
        "can u check order #1004527",
    ];
    for n in 0..100 {
        let mut customer = server.customer("en").await;
        let (_, reply) = customer.say("m1", phrasings[n % phrasings.len()]).await;
        assert!(
            reply["text"]
                .as_str()
                .is_some_and(|t| t.contains("https://www.dhl.com/track?id=JD014600003828")),
            "{n}: {reply}"
        );
    }
    let sorry = text_in("en", &Msg::ActionFailed);
    for customer in &mut waiting {
        let reply = customer.expect("message").await;
        assert_eq!(reply["text"], sorry);
        assert_eq!(reply["quick_replies"][0]["value"], "handoff:action_failed");
    }
}

/// A company backend in the test process that holds every request without
/// answering until told to answer (`answer.send_replace(true)`, which also
/// answers the requests held so far); it records each request's
/// `webhook-id`.
struct HeldBackend {
    url: String,
    answer: tokio::sync::watch::Sender<bool>,
    ids: tokio::sync::watch::Receiver<Vec<String>>,
    _server: tokio::task::JoinHandle<()>,
}

impl HeldBackend {
    async fn start() -> Self {
        use axum::http::HeaderMap;
        use std::sync::Arc;
        let (answer, answering) = tokio::sync::watch::channel(false);
        let (ids_tx, ids) = tokio::sync::watch::channel(Vec::<String>::new());
        let ids_tx = Arc::new(ids_tx);
        let seen = Arc::clone(&ids_tx);
        let route = axum::routing::post(move |headers: HeaderMap, body: axum::Json<Value>| {
            let (mut answering, seen) = (answering.clone(), Arc::clone(&seen));
            async move {
                let id = headers
                    .get("webhook-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                seen.send_modify(|ids| ids.push(id));
                if answering.wait_for(|yes| *yes).await.is_err() {
                    std::future::pending::<()>().await;
                }
                let order = body["slots"]["order_number"].clone();
                axum::Json(json!({"message": "order-not-found", "args": {"order": order}}))
            }
        });
        let app = axum::Router::new().route("/order", route);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/order", listener.local_addr().expect("addr"));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url,
            answer,
            ids,
            _server: server,
        }
    }

    /// The `webhook-id`s of the first `n` requests, once that many came.
    async fn requests(&mut self, n: usize) -> Vec<String> {
        let ids = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            self.ids.wait_for(|ids| ids.len() >= n),
        )
        .await
        .expect("the backend was not called in time")
        .expect("backend gone");
        ids.clone()
    }
}

/// A customer who asks for a person while their order is being looked up
/// still gets the answer in the queue ("where is my order 1004527", then
/// "can I talk to someone" at once), and stays in line for the person.
#[tokio::test]
async fn an_order_answer_that_comes_while_the_customer_waits_in_the_queue_is_said() {
    let mut backend = HeldBackend::start().await;
    let config = format!(
        "[actions.order_lookup]\nurl = \"{}\"\ntimeout_ms = 30000\nsecret = \"whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD\"\n{}",
        backend.url,
        agent_entry("Eleni", &["en"], "eleni-token")
    );
    let server = TestServer::start_with_config(&config);
    let mut agent = Agent::connect(&server, "eleni-token").await;
    let mut customer = server.customer("en").await;
    customer
        .send(json!({"type": "message", "id": "m1", "text": "where is my order 1004527"}))
        .await;
    customer.expect("ack").await;
    backend.requests(1).await;
    customer
        .send(json!({"type": "message", "id": "m2", "text": "can i talk to a person"}))
        .await;
    assert_eq!(customer.wait_for("handoff").await["status"], "queued");
    backend.answer.send_replace(true);
    let answer = loop {
        let message = customer.wait_for("message").await;
        if message["from"] == "bot" {
            break message;
        }
    };
    assert_eq!(
        answer["text"],
        action_text("en", "order-not-found", &[("order", "1004527")]),
        "{answer}"
    );
    // Still in line for the person.
    let items = agent.queue_until(|items| !items.is_empty()).await;
    assert_eq!(
        items[0]["conversation"],
        customer.conversation(),
        "{items:?}"
    );
}

/// The server stops (SIGKILL) while the backend is still answering an order
/// lookup the customer's ack already covered: after the restart the same
/// request (same `webhook-id`) is made again and its answer reaches the
/// customer on resume. Nothing the customer was promised is lost.
#[tokio::test]
async fn an_order_lookup_under_way_at_a_crash_is_answered_after_the_restart() {
    let mut backend = HeldBackend::start().await;
    let config = format!(
        "[actions.order_lookup]\nurl = \"{}\"\ntimeout_ms = 30000\nsecret = \"whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD\"\n",
        backend.url
    );
    let mut server = TestServer::start_logging(&config, Some("info"));
    let mut customer = server.customer("lv").await;
    customer.say("m1", "kur ir mans pasutijums").await;
    customer
        .send(json!({"type": "message", "id": "m2", "text": "tas ir 4471203"}))
        .await;
    let ack = customer.expect("ack").await;
    let first = backend.requests(1).await;
    assert!(first[0].starts_with("msg_"), "{first:?}");

    server.kill();
    backend.answer.send_replace(true);
    server.start_again();
    let again = backend.requests(2).await;
    assert_eq!(again[1], first[0], "the repeat keeps the first try's id");

    let session = customer.session();
    let seq = ack["seq"].as_u64().expect("seq");
    let (mut resumed, _) = Customer::resume(&server, &session, seq).await;
    let answer = resumed.expect("message").await;
    assert_eq!(answer["from"], "bot", "{answer}");
    assert_eq!(
        answer["text"],
        action_text("lv", "order-not-found", &[("order", "4471203")]),
        "{answer}"
    );
    // Answered once: the next start finds nothing under way.
    server.restart();
    let checks = wait_for_log_lines(&server, "at the last stop: called again", 3).await;
    assert!(checks[1].contains("resumed=1"), "{checks:?}");
    assert!(checks[2].contains("resumed=0"), "{checks:?}");
    assert_eq!(backend.ids.borrow().len(), 2, "no third call");
}

/// The server's log lines holding `needle`, once there are `n` of them.
async fn wait_for_log_lines(server: &TestServer, needle: &str, n: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let lines: Vec<String> = server
            .log()
            .lines()
            .filter(|l| l.contains(needle))
            .map(str::to_owned)
            .collect();
        if lines.len() >= n {
            return lines;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{n} log lines with {needle:?} did not come: {lines:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A backend's date with a time is said as a date and a time in the
/// customer's language: in the customer's time zone when their `hello`
/// gave one, else in the team's (`[handoff] timezone`), else as sent.
#[tokio::test]
async fn a_date_with_a_time_is_said_in_the_customers_words_and_zone() {
    let route = axum::routing::post(|| async {
        axum::Json(json!({
            "message": "order-shipped",
            "args": {
                "order": 1004527,
                "carrier": "Yurtiçi",
                "tracking_url": "https://track.example/1",
                "shipped_on": "2026-12-01",
                "delivery_by": "2026-12-04T15:30:00Z",
            }
        }))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/order", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, axum::Router::new().route("/order", route)).await;
    });
    let action = format!("[actions.order_lookup]\nurl = \"{url}\"\ntimeout_ms = 5000\n");
    let ask = |locale| match locale {
        "tr" => "siparisim 1004527 nerde",
        _ => "wo ist meine bestellung 1004527",
    };
    let cases = [
        // Istanbul is UTC+03:00; Berlin UTC+01:00 in December.
        ("tr", Some("Europe/Istanbul"), "", "4 Aralık 2026 18:30"),
        (
            "de",
            None,
            "[handoff]\ntimezone = \"Europe/Berlin\"\n",
            "4. Dezember 2026 um 16:30",
        ),
        ("tr", None, "", "4 Aralık 2026 15:30"),
    ];
    for (locale, zone, team, said) in cases {
        let server = TestServer::start_with_config(&format!("{team}{action}"));
        let mut customer = match zone {
            Some(zone) => customer_in_zone(&server, locale, zone).await,
            None => server.customer(locale).await,
        };
        let (_, answer) = customer.say("m1", ask(locale)).await;
        let text = answer["text"].as_str().expect("text");
        assert!(text.contains(said), "{locale} {zone:?}: {text}");
        assert!(!text.contains("2026-12-04"), "{text}");
    }
}
