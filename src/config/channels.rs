//! `[[channels.telegram]]`, `[[channels.whatsapp]]`, `[[channels.webhook]]`:
//! the messaging channels (PROTOCOL.md, "Messaging channels"), checked.
//! Secrets never show in `Debug` or in error messages.

use std::time::Duration;

use serde::Deserialize;

use super::{ConfigError, WebhookSecret};

/// Telegram's Bot API, unless `api_base` says otherwise.
pub const TELEGRAM_API_BASE: &str = "https://api.telegram.org";
/// Meta's Graph API for WhatsApp Cloud, unless `api_base` says otherwise.
pub const GRAPH_API_BASE: &str = "https://graph.facebook.com/v21.0";
/// How long an entry is retried before it is dead-lettered, unless
/// `give_up_after_s` says otherwise (PROTOCOL.md: 86400).
pub const DEFAULT_GIVE_UP_AFTER_S: u64 = 86_400;
/// The first retry's delay unless `retry_initial_ms` says otherwise.
pub const DEFAULT_RETRY_INITIAL_MS: u64 = 1_000;
/// The longest delay between retries unless `retry_max_ms` says otherwise.
pub const DEFAULT_RETRY_MAX_MS: u64 = 60_000;
/// Messages per second a Telegram bot may send in all (Bot API FAQ: "no
/// more than 30 messages per second"), unless `max_per_second` says otherwise.
pub const TELEGRAM_MAX_PER_SECOND: u32 = 30;
/// Messages per second to one Telegram chat (Bot API FAQ: "avoid sending
/// more than one message per second" to a chat).
pub const TELEGRAM_PER_CHAT_PER_SECOND: u32 = 1;
/// Messages per second a WhatsApp Cloud number may send (Meta's default
/// throughput: 80), unless `max_per_second` says otherwise.
pub const WHATSAPP_MAX_PER_SECOND: u32 = 80;
/// Callbacks per second to a webhook integration unless `max_per_second`
/// says otherwise.
pub const WEBHOOK_MAX_PER_SECOND: u32 = 100;

/// A token or password from the config file; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret's text, for the one place that sends or compares it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// How a channel's delivery worker retries and paces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// An entry not delivered this long after its first attempt is
    /// dead-lettered (`give_up_after_s`).
    pub give_up_after: Duration,
    /// The first retry's delay before jitter (`retry_initial_ms`); each next
    /// one doubles, up to `retry_max`.
    pub retry_initial: Duration,
    /// The longest delay between two attempts (`retry_max_ms`), unless the
    /// provider asks for longer (`retry_after`, `Retry-After`).
    pub retry_max: Duration,
    /// Messages per second in all, over every conversation (`max_per_second`).
    pub max_per_second: u32,
    /// Messages per second to one customer; `None`: no per-customer pace.
    pub per_user_per_second: Option<u32>,
}

/// `[[channels.telegram]]`: a Telegram bot.
#[derive(Debug, Clone)]
pub struct TelegramConfig {
    /// The path segment: `/v1/channels/telegram/<name>`.
    pub name: String,
    /// The bot's token: `sendMessage` goes to `{api_base}/bot{bot_token}/sendMessage`.
    pub bot_token: Secret,
    /// Must equal the `X-Telegram-Bot-Api-Secret-Token` header of every update.
    pub secret_token: Secret,
    /// The Bot API's base URL; default [`TELEGRAM_API_BASE`].
    pub api_base: reqwest::Url,
    /// Retries and pace.
    pub delivery: Delivery,
}

/// `[[channels.whatsapp]]`: a WhatsApp Cloud API number.
#[derive(Debug, Clone)]
pub struct WhatsappConfig {
    /// The path segment: `/v1/channels/whatsapp/<name>`.
    pub name: String,
    /// Messages go to `{api_base}/{phone_number_id}/messages`.
    pub phone_number_id: String,
    /// Sent as `Authorization: Bearer`.
    pub access_token: Secret,
    /// Keys the `X-Hub-Signature-256` HMAC of every POST.
    pub app_secret: Secret,
    /// Must equal `hub.verify_token` in the verification GET.
    pub verify_token: Secret,
    /// The Graph API's base URL, version included; default [`GRAPH_API_BASE`].
    pub api_base: reqwest::Url,
    /// Retries and pace.
    pub delivery: Delivery,
}

/// `[[channels.webhook]]`: a company's own integration.
#[derive(Debug, Clone)]
pub struct WebhookChannelConfig {
    /// The path segment: `/v1/channels/webhook/<name>`.
    pub name: String,
    /// Standard Webhooks key, for both directions.
    pub secret: WebhookSecret,
    /// Where entries are POSTed.
    pub callback_url: reqwest::Url,
    /// Retries and pace.
    pub delivery: Delivery,
}

/// `[channels]`: every configured messaging channel.
#[derive(Debug, Clone, Default)]
pub struct ChannelsConfig {
    /// `[[channels.telegram]]`.
    pub telegram: Vec<TelegramConfig>,
    /// `[[channels.whatsapp]]`.
    pub whatsapp: Vec<WhatsappConfig>,
    /// `[[channels.webhook]]`.
    pub webhook: Vec<WebhookChannelConfig>,
    /// `channels.site_url`: the shop's site, against which an article's
    /// relative `url` ("/help/returns") is made a full link on Telegram and
    /// WhatsApp. `None`: relative links are left out there (the title stays).
    pub site_url: Option<reqwest::Url>,
}

impl ChannelsConfig {
    /// True when no channel is configured.
    pub fn is_empty(&self) -> bool {
        self.telegram.is_empty() && self.whatsapp.is_empty() && self.webhook.is_empty()
    }
}

/// `[channels]` as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct ChannelsFile {
    site_url: Option<String>,
    telegram: Vec<TelegramFile>,
    whatsapp: Vec<WhatsappFile>,
    webhook: Vec<WebhookFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TelegramFile {
    name: String,
    bot_token: Secret,
    secret_token: Secret,
    api_base: Option<String>,
    give_up_after_s: Option<u64>,
    retry_initial_ms: Option<u64>,
    retry_max_ms: Option<u64>,
    max_per_second: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhatsappFile {
    name: String,
    phone_number_id: String,
    access_token: Secret,
    app_secret: Secret,
    verify_token: Secret,
    api_base: Option<String>,
    give_up_after_s: Option<u64>,
    retry_initial_ms: Option<u64>,
    retry_max_ms: Option<u64>,
    max_per_second: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookFile {
    name: String,
    secret: String,
    callback_url: String,
    give_up_after_s: Option<u64>,
    retry_initial_ms: Option<u64>,
    retry_max_ms: Option<u64>,
    max_per_second: Option<u32>,
}

fn invalid(name: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name,
        message: message.into(),
    }
}

/// A channel name: 1 to 64 of `A-Z a-z 0-9 _ -` (a path segment as is).
fn check_name(
    name: &str,
    setting: &'static str,
    seen: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !ok {
        return Err(invalid(
            setting,
            format!("`{name}` must be 1 to 64 letters, digits, `_` or `-`"),
        ));
    }
    if seen.iter().any(|s| s == name) {
        return Err(invalid(setting, format!("`{name}` is used twice")));
    }
    seen.push(name.to_owned());
    Ok(())
}

fn check_secret(secret: &Secret, setting: &'static str) -> Result<(), ConfigError> {
    if secret.expose().trim().is_empty() {
        return Err(invalid(setting, "is empty"));
    }
    Ok(())
}

fn url(text: &str, setting: &'static str) -> Result<reqwest::Url, ConfigError> {
    let url = reqwest::Url::parse(text)
        .map_err(|e| invalid(setting, format!("`{text}` is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid(setting, format!("`{text}` must be an http(s) URL")));
    }
    Ok(url)
}

/// A base URL to which paths are appended: without a trailing slash.
fn base_url(
    text: Option<&str>,
    default: &str,
    setting: &'static str,
) -> Result<reqwest::Url, ConfigError> {
    url(text.unwrap_or(default).trim_end_matches('/'), setting)
}

fn delivery(
    kind: &str,
    give_up_after_s: Option<u64>,
    retry_initial_ms: Option<u64>,
    retry_max_ms: Option<u64>,
    max_per_second: Option<u32>,
    default_per_second: u32,
    per_user_per_second: Option<u32>,
) -> Result<Delivery, ConfigError> {
    let give_up = give_up_after_s.unwrap_or(DEFAULT_GIVE_UP_AFTER_S);
    let initial = retry_initial_ms.unwrap_or(DEFAULT_RETRY_INITIAL_MS);
    let max = retry_max_ms.unwrap_or(DEFAULT_RETRY_MAX_MS.max(initial));
    let per_second = max_per_second.unwrap_or(default_per_second);
    if give_up == 0 {
        return Err(invalid(
            "channels.give_up_after_s",
            format!("{kind}: must be above 0"),
        ));
    }
    if initial == 0 || max < initial {
        return Err(invalid(
            "channels.retry_initial_ms",
            format!("{kind}: must be above 0 and at most retry_max_ms"),
        ));
    }
    if per_second == 0 {
        return Err(invalid(
            "channels.max_per_second",
            format!("{kind}: must be above 0"),
        ));
    }
    Ok(Delivery {
        give_up_after: Duration::from_secs(give_up),
        retry_initial: Duration::from_millis(initial),
        retry_max: Duration::from_millis(max),
        max_per_second: per_second,
        per_user_per_second,
    })
}

impl ChannelsFile {
    /// Checks every channel: names (unique per kind, path-safe), secrets
    /// (non-empty; the webhook's `whsec_<base64>`), URLs (http or https), and
    /// the delivery settings (above 0, `retry_initial_ms` ≤ `retry_max_ms`).
    pub(super) fn check(self) -> Result<ChannelsConfig, ConfigError> {
        let mut config = ChannelsConfig {
            site_url: self
                .site_url
                .as_deref()
                .map(|text| url(text, "channels.site_url"))
                .transpose()?,
            ..ChannelsConfig::default()
        };
        let mut names = Vec::new();
        for file in self.telegram {
            check_name(&file.name, "channels.telegram.name", &mut names)?;
            check_secret(&file.bot_token, "channels.telegram.bot_token")?;
            let token = file.bot_token.expose();
            let well_formed = token.split_once(':').is_some_and(|(bot, key)| {
                !bot.is_empty()
                    && bot.chars().all(|c| c.is_ascii_digit())
                    && !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
            if !well_formed {
                // It becomes part of every send's URL path.
                return Err(invalid(
                    "channels.telegram.bot_token",
                    "must be the token @BotFather gave: digits, a colon, then A-Z a-z 0-9 _ -",
                ));
            }
            check_secret(&file.secret_token, "channels.telegram.secret_token")?;
            let token = file.secret_token.expose();
            if token.len() > 256
                || !token
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                // setWebhook refuses any other: the header would never match.
                return Err(invalid(
                    "channels.telegram.secret_token",
                    "must be 1 to 256 of A-Z, a-z, 0-9, _ and - (Telegram's rule)",
                ));
            }
            config.telegram.push(TelegramConfig {
                api_base: base_url(
                    file.api_base.as_deref(),
                    TELEGRAM_API_BASE,
                    "channels.telegram.api_base",
                )?,
                delivery: delivery(
                    "telegram",
                    file.give_up_after_s,
                    file.retry_initial_ms,
                    file.retry_max_ms,
                    file.max_per_second,
                    TELEGRAM_MAX_PER_SECOND,
                    Some(TELEGRAM_PER_CHAT_PER_SECOND),
                )?,
                name: file.name,
                bot_token: file.bot_token,
                secret_token: file.secret_token,
            });
        }
        names.clear();
        for file in self.whatsapp {
            check_name(&file.name, "channels.whatsapp.name", &mut names)?;
            if file.phone_number_id.is_empty()
                || !file.phone_number_id.chars().all(|c| c.is_ascii_digit())
            {
                return Err(invalid(
                    "channels.whatsapp.phone_number_id",
                    "must be the number's id: digits only",
                ));
            }
            check_secret(&file.access_token, "channels.whatsapp.access_token")?;
            check_secret(&file.app_secret, "channels.whatsapp.app_secret")?;
            check_secret(&file.verify_token, "channels.whatsapp.verify_token")?;
            config.whatsapp.push(WhatsappConfig {
                api_base: base_url(
                    file.api_base.as_deref(),
                    GRAPH_API_BASE,
                    "channels.whatsapp.api_base",
                )?,
                delivery: delivery(
                    "whatsapp",
                    file.give_up_after_s,
                    file.retry_initial_ms,
                    file.retry_max_ms,
                    file.max_per_second,
                    WHATSAPP_MAX_PER_SECOND,
                    None,
                )?,
                name: file.name,
                phone_number_id: file.phone_number_id,
                access_token: file.access_token,
                app_secret: file.app_secret,
                verify_token: file.verify_token,
            });
        }
        names.clear();
        for file in self.webhook {
            check_name(&file.name, "channels.webhook.name", &mut names)?;
            let secret = WebhookSecret::parse(&file.secret)
                .map_err(|reason| invalid("channels.webhook.secret", reason))?;
            config.webhook.push(WebhookChannelConfig {
                callback_url: url(&file.callback_url, "channels.webhook.callback_url")?,
                delivery: delivery(
                    "webhook",
                    file.give_up_after_s,
                    file.retry_initial_ms,
                    file.retry_max_ms,
                    file.max_per_second,
                    WEBHOOK_MAX_PER_SECOND,
                    None,
                )?,
                name: file.name,
                secret,
            });
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(toml: &str) -> Result<ChannelsConfig, ConfigError> {
        toml::from_str::<ChannelsFile>(toml).expect("toml").check()
    }

    #[test]
    fn a_telegram_channel_gets_defaults_and_hides_its_tokens() {
        let config =
            check("[[telegram]]\nname = \"shop\"\nbot_token = \"123:ABC\"\nsecret_token = \"s\"\n")
                .expect("valid");
        let telegram = &config.telegram[0];
        assert_eq!(telegram.api_base.as_str(), "https://api.telegram.org/");
        assert_eq!(telegram.delivery.give_up_after, Duration::from_secs(86_400));
        assert_eq!(telegram.delivery.per_user_per_second, Some(1));
        let shown = format!("{telegram:?}");
        assert!(!shown.contains("123:ABC"), "{shown}");
    }

    #[test]
    fn bad_names_urls_secrets_and_delays_are_refused_by_name() {
        let cases = [
            ("[[telegram]]\nname = \"a/b\"\nbot_token = \"1:t\"\nsecret_token = \"s\"\n", "channels.telegram.name"),
            ("[[telegram]]\nname = \"a\"\nbot_token = \"\"\nsecret_token = \"s\"\n", "channels.telegram.bot_token"),
            ("[[telegram]]\nname = \"a\"\nbot_token = \"1:t\"\nsecret_token = \"not ok!\"\n", "channels.telegram.secret_token"),
            ("[[telegram]]\nname = \"a\"\nbot_token = \"777:abc/../../x\"\nsecret_token = \"s\"\n", "channels.telegram.bot_token"),
            ("[[telegram]]\nname = \"a\"\nbot_token = \"1:t\"\nsecret_token = \"s\"\n[[telegram]]\nname = \"a\"\nbot_token = \"1:t\"\nsecret_token = \"s\"\n", "channels.telegram.name"),
            ("[[whatsapp]]\nname = \"a\"\nphone_number_id = \"x1\"\naccess_token = \"t\"\napp_secret = \"s\"\nverify_token = \"v\"\n", "channels.whatsapp.phone_number_id"),
            ("[[webhook]]\nname = \"a\"\nsecret = \"plain\"\ncallback_url = \"https://x.example/h\"\n", "channels.webhook.secret"),
            ("[[webhook]]\nname = \"a\"\nsecret = \"whsec_c2VjcmV0\"\ncallback_url = \"ftp://x.example/h\"\n", "channels.webhook.callback_url"),
            ("[[webhook]]\nname = \"a\"\nsecret = \"whsec_c2VjcmV0\"\ncallback_url = \"https://x.example/h\"\nretry_initial_ms = 10\nretry_max_ms = 5\n", "channels.retry_initial_ms"),
            ("[[webhook]]\nname = \"a\"\nsecret = \"whsec_c2VjcmV0\"\ncallback_url = \"https://x.example/h\"\ngive_up_after_s = 0\n", "channels.give_up_after_s"),
        ];
        for (toml, setting) in cases {
            let error = check(toml).expect_err(toml).to_string();
            assert!(error.contains(setting), "{toml}: {error}");
        }
    }
}
