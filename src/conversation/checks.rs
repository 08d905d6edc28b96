//! Content checks: everything a load or reload refuses, `switchboard check`
//! prints and the test suite verifies about `locales/`, `intents/` and
//! `knowledge/`, reported as `file:line: problem`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::l10n::{self, Msg, DEFAULT_LOCALE};
use crate::nlu::{intents, Action};
use crate::normalize;

/// Examples every intent needs in every locale.
pub const MIN_EXAMPLES_PER_LOCALE: usize = 25;
/// The suffix of a handoff intent's answer out of support hours.
pub const OFFLINE_SUFFIX: &str = "-offline";
/// The Fluent file of the messages business actions name (`locales/<lang>/actions.ftl`):
/// the company's backend chooses them and their variables, not the code.
pub const ACTIONS_FILE: &str = "actions.ftl";

/// One thing wrong with the content, shown as `file:line: problem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or folder) at fault.
    pub path: PathBuf,
    /// 1-based line in it; 1 when the problem is the whole file.
    pub line: usize,
    /// What is wrong, in English.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

struct FtlMessage {
    path: PathBuf,
    line: usize,
    vars: Vec<String>,
    /// What the message states, without placeables.
    text: String,
}

/// The articles that parse, by locale folder name.
type ArticlesByLocale = BTreeMap<String, Vec<crate::knowledge::Article>>;

/// Checks the content under `dir` (holding `locales/`, `intents/` and
/// `knowledge/`); every problem found, in a stable order, empty if none.
pub fn check_content(dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let messages = check_locales(&dir.join("locales"), &mut problems);
    let locales: Vec<String> = messages.keys().cloned().collect();
    let code_vars = check_intents(&dir.join("intents"), &locales, &mut problems);
    // Errors loading them are check_intents' to report. While the intents do
    // not load, what refers to them is not checked: every link and label
    // would be reported missing, burying the one real problem.
    let intents = intents::load(&dir.join("intents")).ok();
    let intent_names: Option<Vec<String>> = intents
        .as_ref()
        .map(|intents| intents.iter().map(|i| i.name.clone()).collect());
    let articles = check_knowledge(
        &dir.join("knowledge"),
        &locales,
        intent_names.as_deref(),
        &mut problems,
    );
    let Some(intents) = intents else {
        return problems;
    };
    check_numbers(&messages, &articles, &intents, &mut problems);
    if let Some(english) = messages.get(DEFAULT_LOCALE) {
        for (id, message) in english {
            if message.path.file_name().is_some_and(|f| f == ACTIONS_FILE) {
                continue;
            }
            match code_vars.get(id.as_str()) {
                None => problems.push(Problem {
                    path: message.path.clone(),
                    line: message.line,
                    message: format!("message `{id}` is never sent by the code"),
                }),
                Some(passed) => {
                    for var in &message.vars {
                        if !passed.contains(var) {
                            problems.push(Problem {
                                path: message.path.clone(),
                                line: message.line,
                                message: format!(
                                    "message `{id}` uses ${var}, which the code never passes"
                                ),
                            });
                        }
                    }
                }
            }
        }
        for id in code_vars.keys() {
            if !english.contains_key(*id) {
                problems.push(Problem {
                    path: dir.join("locales").join(DEFAULT_LOCALE),
                    line: 1,
                    message: format!("message `{id}` is sent by the code but missing"),
                });
            }
        }
    }
    problems
}

/// Parses every Fluent file; compares each locale's messages with English.
fn check_locales(
    dir: &Path,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, BTreeMap<String, FtlMessage>> {
    let mut by_locale: BTreeMap<String, BTreeMap<String, FtlMessage>> = BTreeMap::new();
    for folder in sorted_entries(dir, problems) {
        if !folder.is_dir() {
            continue;
        }
        let locale = file_name(&folder);
        let messages = by_locale.entry(locale.clone()).or_default();
        for path in sorted_entries(&folder, problems) {
            if path.extension().is_none_or(|e| e != "ftl") {
                continue;
            }
            let Some(source) = read(&path, problems) else {
                continue;
            };
            if let Err((_, errors)) = fluent_syntax::parser::parse(source.as_str()) {
                for error in errors {
                    problems.push(Problem {
                        path: path.clone(),
                        line: line_of_offset(&source, error.pos.start),
                        message: format!("Fluent syntax error: {:?}", error.kind),
                    });
                }
            }
            for id in l10n::bare_variable_selectors(&source) {
                problems.push(Problem {
                    path: path.clone(),
                    line: line_of_message(&source, &id),
                    message: format!(
                        "message `{id}` selects on a bare number: use PLURAL($n) (ICU4X rules)"
                    ),
                });
            }
            for (id, chars) in long_button_labels(&source) {
                problems.push(Problem {
                    path: path.clone(),
                    line: line_of_message(&source, &id),
                    message: format!(
                        "button label `{id}` has {chars} characters: WhatsApp allows {} \
                         (add a `.{}` attribute of at most {} characters)",
                        l10n::BUTTON_LABEL_MAX,
                        l10n::SHORT_ATTRIBUTE,
                        l10n::BUTTON_LABEL_MAX
                    ),
                });
            }
            for (id, l10n::MessageSummary { vars, text }) in l10n::summarize_messages(&source) {
                let line = line_of_message(&source, &id);
                if let Some(first) = messages.get(&id) {
                    problems.push(Problem {
                        path: path.clone(),
                        line,
                        message: format!(
                            "message `{id}` is already defined at {}:{}",
                            first.path.display(),
                            first.line
                        ),
                    });
                    continue;
                }
                messages.insert(
                    id,
                    FtlMessage {
                        path: path.clone(),
                        line,
                        vars,
                        text,
                    },
                );
            }
        }
    }
    let Some(english) = by_locale.get(DEFAULT_LOCALE) else {
        problems.push(Problem {
            path: dir.join(DEFAULT_LOCALE),
            line: 1,
            message: format!("locale `{DEFAULT_LOCALE}` is missing: every locale falls back to it"),
        });
        return by_locale;
    };
    for (locale, messages) in &by_locale {
        if locale == DEFAULT_LOCALE {
            continue;
        }
        for (id, en) in english {
            match messages.get(id) {
                None => problems.push(Problem {
                    path: dir.join(locale).join(file_name(&en.path)),
                    line: 1,
                    message: format!("locale `{locale}` lacks message `{id}`"),
                }),
                Some(message) if message.vars != en.vars => problems.push(Problem {
                    path: message.path.clone(),
                    line: message.line,
                    message: format!(
                        "message `{id}` uses {:?} but English uses {:?}",
                        message.vars, en.vars
                    ),
                }),
                Some(_) => {}
            }
        }
        for (id, message) in messages {
            if !english.contains_key(id) {
                problems.push(Problem {
                    path: message.path.clone(),
                    line: message.line,
                    message: format!("message `{id}` does not exist in English"),
                });
            }
        }
    }
    by_locale
}

/// Messages shown on buttons (`label-*`, `quick-reply-*`, the WhatsApp list
/// button) whose button form (their `.short`, else their value) is longer
/// than [`l10n::BUTTON_LABEL_MAX`] characters, with that length.
fn long_button_labels(source: &str) -> Vec<(String, usize)> {
    use fluent_syntax::ast::{Entry, Pattern, PatternElement};
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) | Err((resource, _)) => resource,
    };
    let chars = |pattern: &Pattern<&str>| -> usize {
        pattern
            .elements
            .iter()
            .map(|element| match element {
                PatternElement::TextElement { value } => value.chars().count(),
                // A placeable (a number, a name) counts as a few characters.
                PatternElement::Placeable { .. } => 3,
            })
            .sum()
    };
    let mut long = Vec::new();
    for entry in &resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name;
        let is_button = id.starts_with("label-")
            || id.starts_with("quick-reply-")
            || id == "whatsapp-list-button";
        if !is_button {
            continue;
        }
        let short = message
            .attributes
            .iter()
            .find(|a| a.id.name == l10n::SHORT_ATTRIBUTE)
            .map(|a| &a.value);
        if let Some(pattern) = short.or(message.value.as_ref()) {
            let n = chars(pattern);
            if n > l10n::BUTTON_LABEL_MAX {
                long.push((id.to_owned(), n));
            }
        }
    }
    long
}

/// Checks the intent files; returns every message id the code can send with
/// the variables it passes.
fn check_intents<'a>(
    dir: &Path,
    locales: &[String],
    problems: &mut Vec<Problem>,
) -> HashMap<&'a str, Vec<String>> {
    let mut code_vars: HashMap<&'a str, Vec<String>> = Msg::catalogue()
        .iter()
        .map(|msg| (leak(msg.id().into_owned()), msg.arg_names()))
        .collect();
    let intents = match intents::load(dir) {
        Ok(intents) => intents,
        Err(error) => {
            // The problem's own `path:line:` says where, once.
            let (path, line, message) = match &error {
                crate::nlu::NluError::Syntax {
                    path,
                    line,
                    message,
                } => (path.clone(), *line, message.clone()),
                crate::nlu::NluError::Read { path, .. } | crate::nlu::NluError::NoIntents(path) => {
                    (path.clone(), 1, error.to_string())
                }
            };
            problems.push(Problem {
                path,
                line,
                message,
            });
            return code_vars;
        }
    };
    let names: BTreeSet<&str> = intents.iter().map(|i| i.name.as_str()).collect();
    let mut phrase_owner: HashMap<(String, String), &str> = HashMap::new();
    for intent in &intents {
        let source = std::fs::read_to_string(&intent.path).unwrap_or_default();
        let line_of = |needle: &str| line_of_text(&source, needle);
        for locale in locales {
            let count = intent.examples.get(locale).map_or(0, Vec::len);
            if count < MIN_EXAMPLES_PER_LOCALE {
                problems.push(Problem {
                    path: intent.path.clone(),
                    line: line_of(&format!("{locale} =")),
                    message: format!(
                        "intent `{}` has {count} examples in `{locale}`, needs {MIN_EXAMPLES_PER_LOCALE}",
                        intent.name
                    ),
                });
            }
        }
        for (locale, examples) in &intent.examples {
            if !locales.contains(locale) {
                problems.push(Problem {
                    path: intent.path.clone(),
                    line: line_of(&format!("{locale} =")),
                    message: format!("examples for `{locale}`, which has no folder in locales/"),
                });
            }
            for example in examples {
                let key = normalize::phrase_key(example, locale);
                if key.is_empty() {
                    continue;
                }
                match phrase_owner.get(&(locale.clone(), key.clone())) {
                    Some(owner) if *owner != intent.name => problems.push(Problem {
                        path: intent.path.clone(),
                        line: line_of(example),
                        message: format!(
                            "`{example}` ({locale}) is also an example of `{owner}`: the matcher cannot tell them apart"
                        ),
                    }),
                    Some(_) => {}
                    None => {
                        phrase_owner.insert((locale.clone(), key), intent.name.as_str());
                    }
                }
            }
        }
        for reply in intent.action.quick_replies() {
            if !names.contains(reply.as_str()) {
                problems.push(Problem {
                    path: intent.path.clone(),
                    line: line_of("quick_replies"),
                    message: format!("quick reply `{reply}` is not an intent"),
                });
            }
        }
        // Every answer may say the shop's facts (hours, zone, contacts).
        let mut answer_vars: Vec<String> = ["hours", "hours_kind", "zone", "email", "phone"]
            .map(str::to_owned)
            .to_vec();
        match &intent.action {
            Action::AskSlot { ask, confirm, .. } => {
                code_vars.insert(leak(ask.clone()), answer_vars.clone());
                if let Some(confirm) = confirm {
                    let mut vars = answer_vars.clone();
                    vars.push("order".to_owned());
                    code_vars.insert(leak(confirm.clone()), vars);
                }
                answer_vars.push("order".to_owned());
            }
            Action::Handoff { message, .. } => {
                // Out of support hours `<message>-offline` replaces the
                // answer: it must not promise a person now.
                code_vars.insert(
                    leak(format!("{message}{OFFLINE_SUFFIX}")),
                    answer_vars.clone(),
                );
            }
            Action::Answer { .. } | Action::OutOfScope {} => {}
        }
        if let Some(message) = intent.action.message() {
            code_vars.insert(leak(message.to_owned()), answer_vars);
            let label = Msg::IntentLabel {
                intent: &intent.name,
            };
            code_vars.insert(leak(label.id().into_owned()), Vec::new());
        }
    }
    code_vars
}

/// Checks the help centre: every article parses, exists in every locale that
/// English has it in, and links only to intents that exist.
/// Checks the articles; returns those that parse, by locale.
fn check_knowledge(
    dir: &Path,
    locales: &[String],
    intents: Option<&[String]>,
    problems: &mut Vec<Problem>,
) -> ArticlesByLocale {
    let mut parsed = ArticlesByLocale::new();
    if !dir.exists() {
        return parsed;
    }
    let mut by_locale: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for folder in sorted_entries(dir, problems) {
        if !folder.is_dir() {
            continue;
        }
        let locale = file_name(&folder);
        if !locales.contains(&locale) {
            problems.push(Problem {
                path: folder.clone(),
                line: 1,
                message: format!("articles for `{locale}`, which has no folder in locales/"),
            });
        }
        let ids = by_locale.entry(locale.clone()).or_default();
        for path in sorted_entries(&folder, problems) {
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Some(source) = read(&path, problems) else {
                continue;
            };
            match crate::knowledge::article::parse(&path, &locale, &source) {
                Err(crate::knowledge::KnowledgeError::Syntax {
                    path,
                    line,
                    message,
                }) => {
                    problems.push(Problem {
                        path,
                        line,
                        message,
                    });
                }
                Err(error) => problems.push(Problem {
                    path: path.clone(),
                    line: 1,
                    message: error.to_string(),
                }),
                Ok(article) => {
                    for intent in &article.intents {
                        if intents.is_some_and(|intents| !intents.contains(intent)) {
                            problems.push(Problem {
                                path: path.clone(),
                                line: line_of_text(&source, "intents"),
                                message: format!(
                                    "article `{}` links to intent `{intent}`, which does not exist",
                                    article.id
                                ),
                            });
                        }
                    }
                    if let Some(first) = ids.insert(article.id.clone(), path.clone()) {
                        problems.push(Problem {
                            path: path.clone(),
                            line: 1,
                            message: format!(
                                "duplicate article id `{}` (also {})",
                                article.id,
                                first.display()
                            ),
                        });
                    }
                    parsed.entry(locale.clone()).or_default().push(article);
                }
            }
        }
    }
    let Some(english) = by_locale.get(DEFAULT_LOCALE).cloned() else {
        return parsed;
    };
    for locale in locales {
        let have = by_locale.get(locale).cloned().unwrap_or_default();
        for id in english.keys() {
            if !have.contains_key(id) {
                problems.push(Problem {
                    path: dir.join(locale).join(format!("{id}.md")),
                    line: 1,
                    message: format!("article `{id}` is missing in `{locale}`"),
                });
            }
        }
    }
    parsed
}

/// Every number an intent answer states (days, amounts, percentages) must
/// be stated by one of the articles that link to its intent, in the same
/// locale: an answer that says "2–4 days, €4.90" while its article says
/// "5–10 days, €14.90" contradicts the help centre.
fn check_numbers(
    messages: &BTreeMap<String, BTreeMap<String, FtlMessage>>,
    articles: &ArticlesByLocale,
    intents: &[crate::nlu::Intent],
    problems: &mut Vec<Problem>,
) {
    for (locale, messages) in messages {
        let articles = articles.get(locale).map(Vec::as_slice).unwrap_or_default();
        for intent in intents {
            let Some(answer) = intent.action.message().and_then(|id| messages.get(id)) else {
                continue;
            };
            let linked: Vec<&crate::knowledge::Article> = articles
                .iter()
                .filter(|a| a.intents.contains(&intent.name))
                .collect();
            if linked.is_empty() {
                continue;
            }
            let stated: Vec<String> = linked
                .iter()
                .flat_map(|a| {
                    std::iter::once(a.title.as_str())
                        .chain(a.sections.iter().map(|s| s.text.as_str()))
                        .flat_map(numbers)
                })
                .collect();
            for number in numbers(&answer.text) {
                if !stated.contains(&number) {
                    let ids: Vec<&str> = linked.iter().map(|a| a.id.as_str()).collect();
                    problems.push(Problem {
                        path: answer.path.clone(),
                        line: answer.line,
                        message: format!(
                            "`{}` states {number}, which none of its articles ({}) states",
                            intent.action.message().unwrap_or_default(),
                            ids.join(", ")
                        ),
                    });
                }
            }
        }
    }
}

/// The numbers in `text`, a decimal comma read as a point (`14,90` = `14.90`).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if (c == '.' || c == ',')
            && !current.is_empty()
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            current.push('.');
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Message ids live as long as the check; leaking a few short strings keeps
/// the map's keys simple.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn sorted_entries(dir: &Path, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    crate::files::sorted_entries(dir).unwrap_or_else(|error| {
        problems.push(Problem {
            path: dir.to_owned(),
            line: 1,
            message: format!("cannot read: {error}"),
        });
        Vec::new()
    })
}

fn read(path: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(source) => Some(source),
        Err(error) => {
            problems.push(Problem {
                path: path.to_owned(),
                line: 1,
                message: format!("cannot read: {error}"),
            });
            None
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn line_of_offset(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

fn line_of_message(source: &str, id: &str) -> usize {
    source
        .lines()
        .position(|line| {
            line.strip_prefix(id)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

fn line_of_text(source: &str, needle: &str) -> usize {
    source
        .lines()
        .position(|line| line.contains(needle))
        .map_or(1, |i| i + 1)
}
