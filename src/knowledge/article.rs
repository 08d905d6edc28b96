//! Loading articles: TOML front matter between `+++` lines, then Markdown
//! split into sections at `## ` headings.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::KnowledgeError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    intents: Vec<String>,
}

/// One section: the text under a heading (the first has the title as heading).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The `## ` heading's text, or the article's title for the first section.
    pub heading: String,
    /// The Markdown under it, trimmed; never empty (empty sections are dropped).
    pub text: String,
}

/// One help-centre article in one language (`knowledge/<lang>/<id>.md`).
#[derive(Debug, Clone)]
pub struct Article {
    /// The id shared by the article's translations: front matter `id`,
    /// which must equal the file stem.
    pub id: String,
    /// The language: the name of the folder it is in (e.g. `tr`).
    pub locale: String,
    /// Front matter `title`, in the article's language.
    pub title: String,
    /// Front matter `tags`, searched along with every section; may be empty.
    pub tags: Vec<String>,
    /// Front matter `url`, else `/help/<id>`.
    pub url: String,
    /// Intents this article backs up (front matter `intents`).
    pub intents: Vec<String>,
    /// Its sections in file order; at least one.
    pub sections: Vec<Section>,
    /// The file it was loaded from.
    pub path: PathBuf,
}

/// Loads every `<lang>/*.md` under `dir` (the `knowledge/` folder), folders
/// and files in name order; a missing `dir` is an empty help centre.
///
/// # Errors
///
/// [`KnowledgeError::Read`] if a folder or file cannot be read,
/// [`KnowledgeError::Syntax`] for the first malformed article ([`parse`]).
pub fn load(dir: &Path) -> Result<Vec<Article>, KnowledgeError> {
    let mut articles = Vec::new();
    if !dir.exists() {
        return Ok(articles);
    }
    for folder in sorted(dir)? {
        if !folder.is_dir() {
            continue;
        }
        let locale = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for path in sorted(&folder)? {
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let source = std::fs::read_to_string(&path).map_err(|source| KnowledgeError::Read {
                path: path.clone(),
                source,
            })?;
            articles.push(parse(&path, &locale, &source)?);
        }
    }
    Ok(articles)
}

fn sorted(dir: &Path) -> Result<Vec<PathBuf>, KnowledgeError> {
    crate::files::sorted_entries(dir).map_err(|source| KnowledgeError::Read {
        path: dir.to_owned(),
        source,
    })
}

/// Parses one article file: `+++` front matter (TOML: `id`, `title`, optional
/// `tags`, `url`, `intents`), then Markdown cut into sections at `## `.
///
/// # Errors
///
/// [`KnowledgeError::Syntax`] for a missing or unclosed front matter, front
/// matter that does not parse (unknown fields included), an `id` unlike the
/// file stem, or an article with no text.
pub fn parse(path: &Path, locale: &str, source: &str) -> Result<Article, KnowledgeError> {
    let syntax = |line: usize, message: String| KnowledgeError::Syntax {
        path: path.to_owned(),
        line,
        message,
    };
    let mut lines = source.lines();
    if lines.next().map(str::trim) != Some("+++") {
        return Err(syntax(
            1,
            "expected front matter: a first line `+++`".into(),
        ));
    }
    let mut front = String::new();
    let mut closed_at = None;
    for (i, line) in lines.by_ref().enumerate() {
        if line.trim() == "+++" {
            closed_at = Some(i + 2);
            break;
        }
        front.push_str(line);
        front.push('\n');
    }
    let Some(body_start) = closed_at else {
        return Err(syntax(1, "front matter is not closed with `+++`".into()));
    };
    let meta: FrontMatter = toml::from_str(&front).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| front[..s.start].matches('\n').count() + 2);
        syntax(line, e.message().to_owned())
    })?;
    let expected_id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if meta.id != expected_id {
        return Err(syntax(
            2,
            format!(
                "id `{}` differs from the file name `{expected_id}`",
                meta.id
            ),
        ));
    }
    let mut sections = vec![Section {
        heading: meta.title.clone(),
        text: String::new(),
    }];
    for line in lines {
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push(Section {
                heading: heading.trim().to_owned(),
                text: String::new(),
            });
            continue;
        }
        if let Some(current) = sections.last_mut() {
            if !current.text.is_empty() || !line.trim().is_empty() {
                current.text.push_str(line);
                current.text.push('\n');
            }
        }
    }
    for section in &mut sections {
        section.text = section.text.trim().to_owned();
    }
    sections.retain(|s| !s.text.is_empty());
    if sections.is_empty() {
        return Err(syntax(body_start, "the article has no text".into()));
    }
    Ok(Article {
        url: meta.url.unwrap_or_else(|| format!("/help/{}", meta.id)),
        id: meta.id,
        locale: locale.to_owned(),
        title: meta.title,
        tags: meta.tags,
        intents: meta.intents,
        sections,
        path: path.to_owned(),
    })
}
