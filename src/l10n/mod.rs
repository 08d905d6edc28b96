//! Fluent bundles for every locale in `locales/`, locale negotiation, and the
//! typed catalogue of messages the code sends ([`Msg`]).
//!
//! A locale is a folder: `locales/<lang>/*.ftl`. Plural categories come from
//! ICU4X through the `PLURAL()` Fluent function, because fluent's built-in rules
//! (intl_pluralrules 7) are wrong for Latvian.

pub mod format;
mod plural;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

use crate::domain::ErrorCode;
pub use crate::domain::Locale;

pub use plural::plural_category;

/// The locale every other one falls back to, and whose message ids every other
/// locale must have.
pub const DEFAULT_LOCALE: &str = "en";
/// The Fluent attribute holding a button label's short form (`.short`).
pub const SHORT_ATTRIBUTE: &str = "short";
/// The most characters a WhatsApp reply button's title may have (Meta's
/// Cloud API reference, "Interactive reply buttons").
pub const BUTTON_LABEL_MAX: usize = 20;

/// Why `locales/` cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum L10nError {
    /// A folder or file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A Fluent file does not parse (the first error is reported).
    #[error("{path}:{line}: Fluent syntax error: {message}")]
    Syntax {
        /// The `.ftl` file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// fluent-syntax's description of it.
        message: String,
    },
    /// A message id defined twice within one locale (across its files).
    #[error("{path}: message `{id}` is defined twice in locale {locale}")]
    Duplicate {
        /// The file with the second definition.
        path: PathBuf,
        /// The locale folder's name.
        locale: String,
        /// The message id.
        id: String,
    },
    /// A folder under `locales/` whose name is not a BCP 47 language tag.
    #[error("{path}: `{name}` is not a language tag")]
    BadLocale {
        /// The folder.
        path: PathBuf,
        /// Its name.
        name: String,
    },
    /// `locales/` (the path given) holds no locale folder.
    #[error("{0}: no locale folders found")]
    Empty(PathBuf),
    /// There is no `locales/en/` (see [`DEFAULT_LOCALE`]).
    #[error("locale {DEFAULT_LOCALE} is missing: every other locale falls back to it")]
    NoDefault,
    /// A message named at run time ([`L10n::render`]) cannot be said: no
    /// locale has it, or the args leave a variable unfilled.
    #[error("message `{id}` cannot be said: {reason}")]
    Unsayable {
        /// The message id.
        id: String,
        /// Why, for the log.
        reason: String,
    },
}

/// One Fluent file as loaded, kept for the content checks.
pub struct SourceFile {
    /// The `.ftl` file.
    pub path: PathBuf,
    /// Its locale folder's name (e.g. `lv`).
    pub locale: String,
    /// Its text as read.
    pub source: String,
}

struct LocaleBundle {
    locale: Locale,
    langid: LanguageIdentifier,
    bundle: FluentBundle<FluentResource>,
}

/// Every locale's Fluent bundle, loaded once from `locales/`: the supported
/// locales are exactly its folders.
pub struct Localizer {
    bundles: Vec<LocaleBundle>,
    by_name: HashMap<String, usize>,
    default: usize,
    sources: Vec<SourceFile>,
}

impl Localizer {
    /// Loads every `<lang>/*.ftl` under `dir` (the `locales/` folder), one
    /// bundle per folder, with `PLURAL()` registered.
    ///
    /// # Errors
    ///
    /// [`L10nError::Read`], [`L10nError::Syntax`], [`L10nError::Duplicate`]
    /// or [`L10nError::BadLocale`] for the first broken folder or file;
    /// [`L10nError::Empty`] without folders; [`L10nError::NoDefault`]
    /// without `en/`.
    pub fn load(dir: &Path) -> Result<Self, L10nError> {
        let mut folders = read_dir_sorted(dir)?;
        folders.retain(|p| p.is_dir());
        let mut bundles = Vec::new();
        let mut sources = Vec::new();
        for folder in folders {
            let name = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let langid: LanguageIdentifier = name.parse().map_err(|_| L10nError::BadLocale {
                path: folder.clone(),
                name: name.clone(),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid.clone()]);
            // Chat text is plain text: no Unicode isolation marks around placeables.
            bundle.set_use_isolating(false);
            plural::register(&mut bundle, &langid);
            let mut files = read_dir_sorted(&folder)?;
            files.retain(|p| p.extension().is_some_and(|e| e == "ftl"));
            for path in files {
                let source = std::fs::read_to_string(&path).map_err(|source| L10nError::Read {
                    path: path.clone(),
                    source,
                })?;
                let resource = parse_resource(&path, source.clone())?;
                bundle.add_resource(resource).map_err(|errors| {
                    let id = errors
                        .iter()
                        .find_map(|e| match e {
                            fluent_bundle::FluentError::Overriding { id, .. } => Some(id.clone()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    L10nError::Duplicate {
                        path: path.clone(),
                        locale: name.clone(),
                        id,
                    }
                })?;
                sources.push(SourceFile {
                    path,
                    locale: name.clone(),
                    source,
                });
            }
            bundles.push(LocaleBundle {
                locale: Locale::supported(&name),
                langid,
                bundle,
            });
        }
        if bundles.is_empty() {
            return Err(L10nError::Empty(dir.to_owned()));
        }
        let by_name: HashMap<String, usize> = bundles
            .iter()
            .enumerate()
            .map(|(i, b)| (b.locale.as_str().to_owned(), i))
            .collect();
        let default = *by_name.get(DEFAULT_LOCALE).ok_or(L10nError::NoDefault)?;
        Ok(Self {
            bundles,
            by_name,
            default,
            sources,
        })
    }

    /// English ([`DEFAULT_LOCALE`]), which every other locale falls back to.
    pub fn default_locale(&self) -> Locale {
        self.bundles[self.default].locale.clone()
    }

    /// Every supported locale, in folder-name order.
    pub fn locales(&self) -> impl Iterator<Item = &Locale> {
        self.bundles.iter().map(|b| &b.locale)
    }

    /// The supported locale with exactly this name (`tr`, not `tr-TR`);
    /// `None` if there is no such folder.
    pub fn locale(&self, name: &str) -> Option<Locale> {
        self.by_name
            .get(name)
            .map(|&i| self.bundles[i].locale.clone())
    }

    /// The best supported locale for a BCP 47 request (`tr-TR` -> `tr`), by
    /// fluent-langneg's lookup strategy; the default for anything unknown,
    /// absent or malformed.
    pub fn negotiate(&self, requested: Option<&str>) -> Locale {
        let Some(requested) = requested.and_then(language_range) else {
            return self.default_locale();
        };
        let available: Vec<&LanguageIdentifier> = self.bundles.iter().map(|b| &b.langid).collect();
        let default = &self.bundles[self.default].langid;
        let chosen = negotiate_languages(
            &[requested],
            &available,
            Some(&default),
            NegotiationStrategy::Lookup,
        );
        chosen
            .first()
            .and_then(|langid| self.by_name.get(&langid.to_string()))
            .map(|&i| self.bundles[i].locale.clone())
            .unwrap_or_else(|| self.default_locale())
    }

    /// The text of `msg` in `locale`, falling back to the default locale if
    /// `locale` lacks it; the bare message id (logged as an error) if no
    /// locale has it. Formatting errors are logged and the text is kept.
    pub fn text(&self, locale: &Locale, msg: &Msg<'_>) -> String {
        self.format(locale, &msg.id(), Some(&msg.args()))
    }

    /// The `.short` attribute of `msg` (a label of at most 20 characters for
    /// narrow buttons) from the bundle [`Self::text`] takes it from; `None`
    /// if that message has none.
    pub fn short_text(&self, locale: &Locale, msg: &Msg<'_>) -> Option<String> {
        let id = msg.id();
        let index = self.by_name.get(locale.as_str()).copied();
        let i = index
            .into_iter()
            .chain(std::iter::once(self.default))
            .find(|&i| self.bundles[i].bundle.has_message(&id))?;
        let bundle = &self.bundles[i].bundle;
        let attribute = bundle.get_message(&id)?.get_attribute(SHORT_ATTRIBUTE)?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(attribute.value(), Some(&msg.args()), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(%locale, message_id = %id, ?errors, "fluent formatting errors");
        }
        Some(text.into_owned())
    }

    /// The text of the message `id` with `args` (name, display string), in
    /// `locale` or else the default locale. For messages the code does not
    /// name itself: those a business action chooses (`actions.ftl`), or an
    /// intent's out-of-hours variant.
    ///
    /// # Errors
    ///
    /// [`L10nError::Unsayable`] if no locale has the message, or a variable
    /// it uses has no arg (the text would show `{$name}` to the customer).
    pub fn render(
        &self,
        locale: &Locale,
        id: &str,
        args: &[(String, String)],
    ) -> Result<String, L10nError> {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(name.as_str(), FluentValue::from(value.as_str()));
        }
        let unsayable = |reason: String| L10nError::Unsayable {
            id: id.to_owned(),
            reason,
        };
        match self.format_checked(locale, id, Some(&fluent)) {
            Some((text, errors)) if errors.is_empty() => Ok(text),
            Some((_, errors)) => Err(unsayable(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
            None => Err(unsayable("no locale has it".to_owned())),
        }
    }

    fn format(&self, locale: &Locale, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        match self.format_checked(locale, id, args) {
            Some((text, errors)) => {
                if !errors.is_empty() {
                    tracing::warn!(%locale, message_id = id, ?errors, "fluent formatting errors");
                }
                text
            }
            None => {
                tracing::error!(%locale, message_id = id, "message missing in every locale");
                id.to_owned()
            }
        }
    }

    /// The text of `id` in `locale` or else the default locale, and the
    /// formatting errors; `None` if neither has it.
    fn format_checked(
        &self,
        locale: &Locale,
        id: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> Option<(String, Vec<fluent_bundle::FluentError>)> {
        let index = self.by_name.get(locale.as_str()).copied();
        index
            .into_iter()
            .chain(std::iter::once(self.default))
            .find_map(|i| {
                let bundle = &self.bundles[i].bundle;
                let pattern = bundle.get_message(id).and_then(|m| m.value())?;
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                Some((text.into_owned(), errors))
            })
    }

    /// The text of every message as (locale, text), without ids, comments and
    /// placeables: samples of each language for language identification.
    pub fn plain_texts(&self) -> Vec<(String, String)> {
        self.sources
            .iter()
            .flat_map(|file| {
                file.source
                    .lines()
                    .filter(|line| !line.trim_start().starts_with('#'))
                    .map(|line| {
                        let value = match line.split_once(" = ") {
                            Some((id, value))
                                if !id.starts_with(' ') || id.trim_start().starts_with('.') =>
                            {
                                value
                            }
                            _ => line,
                        };
                        let mut text = String::with_capacity(value.len());
                        let mut depth = 0usize;
                        for c in value.chars() {
                            match c {
                                '{' => depth += 1,
                                '}' => depth = depth.saturating_sub(1),
                                _ if depth == 0 => text.push(c),
                                _ => {}
                            }
                        }
                        (file.locale.clone(), text)
                    })
                    .filter(|(_, text)| {
                        let t = text.trim();
                        !t.is_empty() && !t.starts_with('[') && !t.starts_with("*[")
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The loaded Fluent sources, for content checks.
    pub fn sources(&self) -> &[SourceFile] {
        &self.sources
    }
}

/// The language, script, region and variants of a BCP 47 tag (`tr-TR`,
/// `fr_FR`, `de-DE-u-co-phonebk`) or of a POSIX locale name
/// (`tr_TR.UTF-8`, `de_DE@euro`); `None` if it has no valid language.
/// Extensions and private use (from the first single-letter subtag on:
/// `-u-`, `-t-`, `-x-`) say how to format, not which language, as do a
/// POSIX codeset and modifier: they are dropped, where unic-langid would
/// refuse the whole tag.
fn language_range(tag: &str) -> Option<LanguageIdentifier> {
    let tag = tag.trim();
    let tag = tag
        .split(['.', '@'])
        .next()
        .unwrap_or(tag)
        .replace('_', "-");
    let subtags: Vec<&str> = tag
        .split('-')
        .take_while(|subtag| subtag.len() != 1)
        .collect();
    subtags.join("-").parse().ok()
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, L10nError> {
    crate::files::sorted_entries(dir).map_err(|source| L10nError::Read {
        path: dir.to_owned(),
        source,
    })
}

fn parse_resource(path: &Path, source: String) -> Result<FluentResource, L10nError> {
    FluentResource::try_new(source).map_err(|(resource, errors)| {
        let first = &errors[0];
        let line = resource.source()[..first.pos.start.min(resource.source().len())]
            .matches('\n')
            .count()
            + 1;
        L10nError::Syntax {
            path: path.to_owned(),
            line,
            message: format!("{:?}", first.kind),
        }
    })
}

/// Every message the code sends, with the variables it passes. The ids of
/// intent answers come from the intent files ([`Msg::IntentAnswer`]) and
/// intent labels are `label-<intent>` ([`Msg::IntentLabel`]); every other id
/// is fixed here, so the content checks can compare each Fluent message with
/// what the code passes. Each variant's doc names its Fluent id (in
/// `locales/<lang>/chat.ftl` unless said otherwise).
#[derive(Debug, Clone, PartialEq)]
pub enum Msg<'a> {
    /// `greeting`: the bot's first message in a new conversation.
    Greeting,
    /// `not-understood`: the bot could not place the message and has no
    /// guesses to offer.
    NotUnderstood,
    /// `clarify`: the bot is unsure; its two best guesses follow as quick replies.
    Clarify,
    /// `out-of-scope`: the message is about something else than the shop
    /// (the weather, a restaurant): says what the bot can help with.
    OutOfScope,
    /// `slot-order-number`: asks for an order number. (Not sent at present:
    /// an intent asks with its own `ask` message.)
    SlotOrderNumber,
    /// `slot-order-number-again`: the second and last time the bot asks for
    /// an order number, with a hint where to find it.
    SlotOrderNumberAgain,
    /// `slot-give-up`: the slot question went unanswered twice; the bot
    /// offers a person (quick reply [`Msg::QuickReplyTalkToPerson`]).
    SlotGiveUp,
    /// `slot-give-up-offline`: [`Msg::SlotGiveUp`] out of support hours: the
    /// button leaves the request for the team, nobody is promised now.
    SlotGiveUpOffline,
    /// `contact-details-given`: the customer gave their own phone number or
    /// email address; the bot cannot use it and offers a person (quick reply
    /// [`Msg::QuickReplyTalkToPerson`]).
    ContactDetailsGiven,
    /// `contact-details-given-offline`: [`Msg::ContactDetailsGiven`] out of
    /// support hours: the button leaves the request for the team.
    ContactDetailsGivenOffline,
    /// `slot-abandoned`: the customer said "never mind" to a slot question.
    SlotAbandoned,
    /// `confirmation-declined`: the customer said no to a change the bot
    /// asked about ("shall I cancel order …?"), or twice answered it
    /// unclearly: the order stays as it is.
    ConfirmationDeclined {
        /// `$order`: the order number asked about.
        order: &'a str,
    },
    /// `action-handoff`: the company's backend answered a business action
    /// with `{"handoff": true}`: the bot says a person will look at it
    /// before the queue notice.
    ActionHandoff,
    /// `sorry-for-the-trouble`: one sentence of sympathy set before a slot
    /// question to a customer who also reads as upset ("waited 2 weeks and
    /// nothing!!!" asked for its order number).
    SorryForTheTrouble,
    /// `quick-reply-talk-to-person`: the label of a quick reply that brings
    /// in a person (at most 20 characters: WhatsApp's button limit).
    QuickReplyTalkToPerson,
    /// `action-failed`: a business action did not answer (timeout, error,
    /// a bad answer); the bot apologises and offers a person.
    ActionFailed,
    /// `action-failed-offline`: [`Msg::ActionFailed`] out of support hours:
    /// the button leaves the request for the team, nobody is promised now.
    ActionFailedOffline,
    /// `feedback-ask`: "Did this answer help?", under a knowledge answer.
    FeedbackAsk,
    /// `quick-reply-yes`: the label of the `feedback:yes` quick reply.
    QuickReplyYes,
    /// `quick-reply-no`: the label of the `feedback:no` quick reply.
    QuickReplyNo,
    /// `feedback-thanks`: the answer to "yes, it helped".
    FeedbackThanks,
    /// `feedback-sorry`: the answer to the first "no, it did not help".
    FeedbackSorry,
    /// `handoff-queued`: the customer's place and wait on entering the queue.
    HandoffQueued {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
        /// `$minutes`: the estimated wait in whole minutes, rounded up, at least 1.
        minutes: u64,
    },
    /// `handoff-queued-update`: a new place or wait while queued.
    HandoffQueuedUpdate {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
        /// `$minutes`: the estimated wait in whole minutes, rounded up, at least 1.
        minutes: u64,
    },
    /// `handoff-queued-no-estimate`: the customer's place on entering the
    /// queue when no available agent can take the conversation: no wait is
    /// promised (PROTOCOL.md, `handoff`), and the customer may leave an email.
    HandoffQueuedNoEstimate {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
    },
    /// `handoff-queued-update-no-estimate`: a new place while nobody
    /// available can take the conversation.
    HandoffQueuedUpdateNoEstimate {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
    },
    /// `handoff-moved-back`: a later place than the customer was last told
    /// (a more urgent request, or a conversation an agent gave back, went in
    /// ahead), with the estimated wait.
    HandoffMovedBack {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
        /// `$minutes`: the estimated wait in whole minutes, rounded up, at least 1.
        minutes: u64,
    },
    /// `handoff-moved-back-no-estimate`: [`Msg::HandoffMovedBack`] while
    /// nobody available can take the conversation.
    HandoffMovedBackNoEstimate {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
    },
    /// `handoff-wait-update`: the customer's place is unchanged, and the
    /// estimated wait appeared or moved.
    HandoffWaitUpdate {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
        /// `$minutes`: the estimated wait in whole minutes, rounded up, at least 1.
        minutes: u64,
    },
    /// `handoff-wait-unknown`: the customer's place is unchanged, and no
    /// available agent can take the conversation any more, so the estimate
    /// is withdrawn.
    HandoffWaitUnknown {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
    },
    /// `handoff-message-noted`: the customer wrote while waiting for a
    /// person; said to the first message after each queue notice.
    HandoffMessageNoted {
        /// `$position`: the place in the queue, 1 = next.
        position: u32,
    },
    /// `handoff-assigned`: an agent joined the chat.
    HandoffAssigned {
        /// `$agent`: the agent's display name.
        agent: &'a str,
    },
    /// `handoff-offline`: support is offline; leave an email.
    HandoffOffline {
        /// `$opens_at`: when support is back, already rendered by
        /// [`Msg::OpensAt`] (e.g. "on Monday at 09:00").
        opens_at: &'a str,
    },
    /// `handoff-offline-reopens`: support is offline, when it is back;
    /// after a bot answer that already asked for the email address.
    HandoffOfflineReopens {
        /// `$opens_at`, as in [`Msg::HandoffOffline`].
        opens_at: &'a str,
    },
    /// `handoff-no-match`: the bot could not help, so it passes the
    /// question on to the team (before the queue or offline notice).
    HandoffNoMatch,
    /// `handoff-returned`: the bot answers again.
    HandoffReturned,
    /// `help-not-found`: the help centre's page for an article id that no
    /// article has (a link from an old answer, a typo).
    HelpNotFound,
    /// `handoff-agent-left`: the agent holding the conversation was gone
    /// past the grace period; the customer keeps their place in the queue.
    HandoffAgentLeft {
        /// `$agent`: the agent's display name.
        agent: &'a str,
    },
    /// `queue-full`: the queue (or this address's share of it) is full.
    QueueFull,
    /// `queue-left`: a waiting customer was away too long and left the queue.
    QueueLeft,
    /// `email-saved`: the email address left while offline was stored.
    EmailSaved {
        /// `$email`: the address, lowercased.
        email: &'a str,
    },
    /// `email-saved-queued`: the email address left while waiting in the
    /// queue with nobody free was stored.
    EmailSavedQueued {
        /// `$email`: the address, lowercased.
        email: &'a str,
    },
    /// `closed-customer`: the customer ended the chat.
    ClosedCustomer,
    /// `closed-agent`: an agent closed the chat.
    ClosedAgent {
        /// `$agent`: the agent's display name.
        agent: &'a str,
    },
    /// `survey-ask`: the satisfaction survey's question (1 to 5).
    SurveyAsk,
    /// `rating-thanks`: the answer to a `rating`.
    RatingThanks,
    /// `channel-unsupported-content`: a messaging-channel customer sent
    /// something other than text (a photo, a sticker, a voice note).
    ChannelUnsupportedContent,
    /// `whatsapp-list-button`: the label (at most 20 characters) of the
    /// button that opens a WhatsApp list of quick replies.
    WhatsappListButton,
    /// `error-<code>` (`errors.ftl`): the text of an error code.
    Error {
        /// The code, as in `error.code`.
        code: ErrorCode,
    },
    /// `error-bad_request-empty` (`errors.ftl`): a message with nothing visible.
    TextEmpty,
    /// `error-bad_request-too-long` (`errors.ftl`): a message over the limit.
    TextTooLong {
        /// `$max`: the limit, in characters.
        max: usize,
    },
    /// An intent's answer (its `message`), given the order number when it
    /// asked for one, and the shop's facts from the config.
    IntentAnswer {
        /// The Fluent id named by the intent file (in `intents.ftl`).
        message: &'a str,
        /// `$order`: the order number, for an intent that asked for one;
        /// `None` passes no variable.
        order: Option<&'a str>,
        /// `$hours`, `$hours_kind` (`always` or `scheduled`), `$zone`,
        /// `$email`, `$phone`: the support hours and contact channels,
        /// rendered for this locale (and the customer's time zone when
        /// known); `None` passes none of them.
        facts: Option<&'a Facts>,
    },
    /// `day-<mon..sun>`: a weekday's name as it stands alone in a list of
    /// opening hours ("Monday").
    Day {
        /// `mon`..`sun` (see [`WEEKDAYS`]).
        day: &'a str,
    },
    /// `hours-always`: support hours when no `[handoff] hours` are set
    /// (around the clock).
    HoursAlways,
    /// The quick-reply label of an intent: `label-<intent>`.
    IntentLabel {
        /// The intent's name.
        intent: &'a str,
    },
    /// When support opens: `opens-at-<day>`.
    OpensAt {
        /// `mon`..`sun` (see [`WEEKDAYS`]), or `today` when that is today,
        /// in the time zone the time is shown in.
        day: &'a str,
        /// `$time`: the opening time there, `HH:MM` (e.g. `09:00`).
        time: &'a str,
    },
}

impl Msg<'_> {
    /// The Fluent message id.
    pub fn id(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow::Borrowed;
        match self {
            Msg::Greeting => Borrowed("greeting"),
            Msg::NotUnderstood => Borrowed("not-understood"),
            Msg::Clarify => Borrowed("clarify"),
            Msg::OutOfScope => Borrowed("out-of-scope"),
            Msg::SlotOrderNumber => Borrowed("slot-order-number"),
            Msg::SlotOrderNumberAgain => Borrowed("slot-order-number-again"),
            Msg::SlotGiveUp => Borrowed("slot-give-up"),
            Msg::SlotGiveUpOffline => Borrowed("slot-give-up-offline"),
            Msg::ContactDetailsGiven => Borrowed("contact-details-given"),
            Msg::ContactDetailsGivenOffline => Borrowed("contact-details-given-offline"),
            Msg::SlotAbandoned => Borrowed("slot-abandoned"),
            Msg::ConfirmationDeclined { .. } => Borrowed("confirmation-declined"),
            Msg::SorryForTheTrouble => Borrowed("sorry-for-the-trouble"),
            Msg::ActionHandoff => Borrowed("action-handoff"),
            Msg::QuickReplyTalkToPerson => Borrowed("quick-reply-talk-to-person"),
            Msg::ActionFailed => Borrowed("action-failed"),
            Msg::ActionFailedOffline => Borrowed("action-failed-offline"),
            Msg::FeedbackAsk => Borrowed("feedback-ask"),
            Msg::QuickReplyYes => Borrowed("quick-reply-yes"),
            Msg::QuickReplyNo => Borrowed("quick-reply-no"),
            Msg::FeedbackThanks => Borrowed("feedback-thanks"),
            Msg::FeedbackSorry => Borrowed("feedback-sorry"),
            Msg::HandoffQueued { .. } => Borrowed("handoff-queued"),
            Msg::HandoffQueuedUpdate { .. } => Borrowed("handoff-queued-update"),
            Msg::HandoffQueuedNoEstimate { .. } => Borrowed("handoff-queued-no-estimate"),
            Msg::HandoffQueuedUpdateNoEstimate { .. } => {
                Borrowed("handoff-queued-update-no-estimate")
            }
            Msg::HandoffMovedBack { .. } => Borrowed("handoff-moved-back"),
            Msg::HandoffMovedBackNoEstimate { .. } => Borrowed("handoff-moved-back-no-estimate"),
            Msg::HandoffWaitUpdate { .. } => Borrowed("handoff-wait-update"),
            Msg::HandoffWaitUnknown { .. } => Borrowed("handoff-wait-unknown"),
            Msg::HandoffMessageNoted { .. } => Borrowed("handoff-message-noted"),
            Msg::HandoffAssigned { .. } => Borrowed("handoff-assigned"),
            Msg::HandoffOffline { .. } => Borrowed("handoff-offline"),
            Msg::HandoffOfflineReopens { .. } => Borrowed("handoff-offline-reopens"),
            Msg::HandoffNoMatch => Borrowed("handoff-no-match"),
            Msg::HelpNotFound => Borrowed("help-not-found"),
            Msg::HandoffReturned => Borrowed("handoff-returned"),
            Msg::HandoffAgentLeft { .. } => Borrowed("handoff-agent-left"),
            Msg::QueueFull => Borrowed("queue-full"),
            Msg::QueueLeft => Borrowed("queue-left"),
            Msg::EmailSaved { .. } => Borrowed("email-saved"),
            Msg::EmailSavedQueued { .. } => Borrowed("email-saved-queued"),
            Msg::ClosedCustomer => Borrowed("closed-customer"),
            Msg::ClosedAgent { .. } => Borrowed("closed-agent"),
            Msg::SurveyAsk => Borrowed("survey-ask"),
            Msg::RatingThanks => Borrowed("rating-thanks"),
            Msg::ChannelUnsupportedContent => Borrowed("channel-unsupported-content"),
            Msg::WhatsappListButton => Borrowed("whatsapp-list-button"),
            Msg::Error { code } => std::borrow::Cow::Owned(format!("error-{}", code.as_str())),
            Msg::TextEmpty => Borrowed("error-bad_request-empty"),
            Msg::TextTooLong { .. } => Borrowed("error-bad_request-too-long"),
            Msg::IntentAnswer { message, .. } => Borrowed(message),
            Msg::IntentLabel { intent } => std::borrow::Cow::Owned(format!("label-{intent}")),
            Msg::OpensAt { day, .. } => std::borrow::Cow::Owned(format!("opens-at-{day}")),
            Msg::Day { day } => std::borrow::Cow::Owned(format!("day-{day}")),
            Msg::HoursAlways => Borrowed("hours-always"),
        }
    }

    /// The variables passed to the message (`$position`, `$agent`, ...);
    /// empty for messages without any.
    pub fn args(&self) -> FluentArgs<'_> {
        let mut args = FluentArgs::new();
        match self {
            Msg::HandoffQueued { position, minutes }
            | Msg::HandoffQueuedUpdate { position, minutes }
            | Msg::HandoffMovedBack { position, minutes }
            | Msg::HandoffWaitUpdate { position, minutes } => {
                args.set("position", FluentValue::from(*position));
                args.set("minutes", FluentValue::from(*minutes));
            }
            Msg::HandoffQueuedNoEstimate { position }
            | Msg::HandoffQueuedUpdateNoEstimate { position }
            | Msg::HandoffMovedBackNoEstimate { position }
            | Msg::HandoffWaitUnknown { position }
            | Msg::HandoffMessageNoted { position } => {
                args.set("position", FluentValue::from(*position));
            }
            Msg::HandoffAssigned { agent }
            | Msg::ClosedAgent { agent }
            | Msg::HandoffAgentLeft { agent } => {
                args.set("agent", FluentValue::from(*agent));
            }
            Msg::HandoffOffline { opens_at } | Msg::HandoffOfflineReopens { opens_at } => {
                args.set("opens_at", FluentValue::from(*opens_at))
            }
            Msg::EmailSaved { email } | Msg::EmailSavedQueued { email } => {
                args.set("email", FluentValue::from(*email))
            }
            Msg::TextTooLong { max } => args.set("max", FluentValue::from(*max)),
            Msg::ConfirmationDeclined { order } => args.set("order", FluentValue::from(*order)),
            Msg::OpensAt { time, .. } => args.set("time", FluentValue::from(*time)),
            Msg::IntentAnswer { order, facts, .. } => {
                if let Some(order) = order {
                    args.set("order", FluentValue::from(*order));
                }
                if let Some(facts) = facts {
                    args.set("hours", FluentValue::from(facts.hours.as_str()));
                    let kind = if facts.always { "always" } else { "scheduled" };
                    args.set("hours_kind", FluentValue::from(kind));
                    args.set("zone", FluentValue::from(facts.zone.as_str()));
                    args.set("email", FluentValue::from(facts.email.as_str()));
                    args.set("phone", FluentValue::from(facts.phone.as_str()));
                }
            }
            _ => {}
        }
        args
    }

    /// The variable names this message is sent with.
    pub fn arg_names(&self) -> Vec<String> {
        self.args()
            .iter()
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// One instance of every fixed message (error codes included), for the
    /// content checks.
    pub fn catalogue() -> Vec<Msg<'static>> {
        let mut all = vec![
            Msg::Greeting,
            Msg::NotUnderstood,
            Msg::Clarify,
            Msg::OutOfScope,
            Msg::SlotOrderNumber,
            Msg::SlotOrderNumberAgain,
            Msg::SlotGiveUp,
            Msg::SlotGiveUpOffline,
            Msg::ContactDetailsGiven,
            Msg::ContactDetailsGivenOffline,
            Msg::SlotAbandoned,
            Msg::ConfirmationDeclined { order: "1004528" },
            Msg::SorryForTheTrouble,
            Msg::ActionHandoff,
            Msg::QuickReplyTalkToPerson,
            Msg::ActionFailed,
            Msg::ActionFailedOffline,
            Msg::FeedbackAsk,
            Msg::QuickReplyYes,
            Msg::QuickReplyNo,
            Msg::FeedbackThanks,
            Msg::FeedbackSorry,
            Msg::HandoffQueued {
                position: 2,
                minutes: 5,
            },
            Msg::HandoffQueuedUpdate {
                position: 1,
                minutes: 2,
            },
            Msg::HandoffQueuedNoEstimate { position: 2 },
            Msg::HandoffQueuedUpdateNoEstimate { position: 1 },
            Msg::HandoffMovedBack {
                position: 8,
                minutes: 40,
            },
            Msg::HandoffMovedBackNoEstimate { position: 8 },
            Msg::HandoffWaitUpdate {
                position: 3,
                minutes: 1,
            },
            Msg::HandoffWaitUnknown { position: 3 },
            Msg::HandoffMessageNoted { position: 3 },
            Msg::HandoffAssigned { agent: "Ayşe" },
            Msg::HandoffOffline { opens_at: "09:00" },
            Msg::HandoffOfflineReopens { opens_at: "09:00" },
            Msg::HandoffNoMatch,
            Msg::HandoffReturned,
            Msg::HelpNotFound,
            Msg::HandoffAgentLeft { agent: "Ayşe" },
            Msg::QueueFull,
            Msg::QueueLeft,
            Msg::EmailSaved {
                email: "ayse@example.com",
            },
            Msg::EmailSavedQueued {
                email: "ayse@example.com",
            },
            Msg::ClosedCustomer,
            Msg::ClosedAgent { agent: "Ayşe" },
            Msg::SurveyAsk,
            Msg::RatingThanks,
            Msg::ChannelUnsupportedContent,
            Msg::WhatsappListButton,
            Msg::TextEmpty,
            Msg::TextTooLong { max: 4000 },
            Msg::HoursAlways,
        ];
        all.extend(ErrorCode::ALL.iter().map(|&code| Msg::Error { code }));
        all.extend(
            WEEKDAYS
                .iter()
                .chain(std::iter::once(&"today"))
                .map(|day| Msg::OpensAt { day, time: "09:00" }),
        );
        all.extend(WEEKDAYS.iter().map(|day| Msg::Day { day }));
        all
    }
}

/// The shop's facts an intent answer may say, from the config, rendered for
/// one locale: `$hours`, `$zone`, `$email`, `$phone` (see [`Msg::IntentAnswer`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The support hours, e.g. "Monday–Friday 09:00–18:00, Saturday
    /// 10:00–14:00", in the locale's day names.
    pub hours: String,
    /// The time zone the hours are in, e.g. "Europe/Istanbul, UTC+03:00".
    pub zone: String,
    /// The support email address.
    pub email: String,
    /// The support phone number, as it should be dialled.
    pub phone: String,
    /// Whether support never closes (no `[handoff] hours`): then `$hours`
    /// is `hours-always` and `$hours_kind` is `always`, else `scheduled`,
    /// so an answer can leave out the time zone and "outside support hours".
    pub always: bool,
}

/// The weekday codes of the `opens-at-<day>` and `day-<day>` messages.
pub const WEEKDAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What one message of a Fluent source uses and says ([`summarize_messages`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageSummary {
    /// The variables it references, sorted, each once.
    pub vars: Vec<String>,
    /// Its literal text: every text element of every variant, placeables
    /// left out (for checks of what a message states).
    pub text: String,
}

/// Each message of a Fluent source, by id, with its variables and literal
/// text; a source with syntax errors is read as far as it parses.
pub fn summarize_messages(source: &str) -> BTreeMap<String, MessageSummary> {
    use fluent_syntax::ast::{self, Expression, PatternElement};
    fn collect_text(pattern: &ast::Pattern<&str>, out: &mut String) {
        for element in &pattern.elements {
            match element {
                PatternElement::TextElement { value } => out.push_str(value),
                PatternElement::Placeable {
                    expression: Expression::Select { variants, .. },
                } => {
                    for variant in variants {
                        out.push(' ');
                        collect_text(&variant.value, out);
                    }
                }
                PatternElement::Placeable { .. } => out.push(' '),
            }
        }
    }
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let mut out = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut summary = MessageSummary::default();
            if let Some(pattern) = &message.value {
                collect_pattern_vars(pattern, &mut summary.vars);
                collect_text(pattern, &mut summary.text);
            }
            summary.vars.sort();
            summary.vars.dedup();
            out.insert(message.id.name.to_owned(), summary);
        }
    }
    out
}

fn collect_pattern_vars(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::PatternElement;
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            collect_expression_vars(expression, out);
        }
    }
}

fn collect_expression_vars(
    expression: &fluent_syntax::ast::Expression<&str>,
    out: &mut Vec<String>,
) {
    use fluent_syntax::ast::Expression;
    match expression {
        Expression::Select { selector, variants } => {
            collect_inline_vars(selector, out);
            for variant in variants {
                collect_pattern_vars(&variant.value, out);
            }
        }
        Expression::Inline(inline) => collect_inline_vars(inline, out),
    }
}

fn collect_inline_vars(inline: &fluent_syntax::ast::InlineExpression<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::InlineExpression;
    match inline {
        InlineExpression::VariableReference { id } => out.push(id.name.to_owned()),
        InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                collect_inline_vars(arg, out);
            }
            for arg in &arguments.named {
                collect_inline_vars(&arg.value, out);
            }
        }
        InlineExpression::Placeable { expression } => collect_expression_vars(expression, out),
        _ => {}
    }
}

/// The variables the code always passes as strings (a keyword to select on,
/// never a number): a select on them is not a plural.
pub const KEYWORD_VARIABLES: &[&str] = &["hours_kind"];

/// Select expressions whose selector is a bare variable other than one of
/// [`KEYWORD_VARIABLES`]: those would use fluent's own plural rules instead
/// of `PLURAL()`. Returns the message ids.
pub fn bare_variable_selectors(source: &str) -> Vec<String> {
    use fluent_syntax::ast::{self, Expression, InlineExpression, PatternElement};
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let mut ids = Vec::new();
    for entry in &resource.body {
        let ast::Entry::Message(message) = entry else {
            continue;
        };
        let Some(pattern) = &message.value else {
            continue;
        };
        let bare = pattern.elements.iter().any(|element| {
            matches!(
                element,
                PatternElement::Placeable {
                    expression: Expression::Select {
                        selector: InlineExpression::VariableReference { id },
                        ..
                    }
                } if !KEYWORD_VARIABLES.contains(&id.name)
            )
        });
        if bare {
            ids.push(message.id.name.to_owned());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::{bare_variable_selectors, language_range};

    #[test]
    fn a_tag_is_read_up_to_its_extensions() {
        let range = |tag: &str| language_range(tag).map(|id| id.to_string());
        assert_eq!(range("tr-u-ca-gregory").as_deref(), Some("tr"));
        assert_eq!(range("de-DE-u-co-phonebk").as_deref(), Some("de-DE"));
        assert_eq!(
            range("sr-Latn-RS-t-en-x-mine").as_deref(),
            Some("sr-Latn-RS")
        );
        assert_eq!(range("fr_FR").as_deref(), Some("fr-FR"));
        assert_eq!(range("tr_TR.UTF-8").as_deref(), Some("tr-TR"));
        assert_eq!(range("de_DE@euro").as_deref(), Some("de-DE"));
        assert_eq!(range("lv_LV.utf8@latin").as_deref(), Some("lv-LV"));
        assert_eq!(range("x-private"), None);
        assert_eq!(range("12"), None);
    }

    #[test]
    fn a_select_on_a_number_needs_plural_but_one_on_a_keyword_does_not() {
        let source = "items = { $n ->\n    [one] one item\n   *[other] { $n } items\n}\n\
                      counted = { PLURAL($n) ->\n    [one] one\n   *[other] many\n}\n\
                      hours = { $hours_kind ->\n    [always] always\n   *[scheduled] { $hours }\n}\n";
        assert_eq!(bare_variable_selectors(source), vec!["items".to_owned()]);
    }
}
