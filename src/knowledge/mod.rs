//! The help centre: articles per locale (`knowledge/<lang>/<id>.md`) and
//! retrieval over their sections.

pub mod article;
mod retrieval;

pub use article::{load, Article, Section};
pub use retrieval::{strength, Hit, KnowledgeIndex};

use std::path::PathBuf;

/// Why `knowledge/` cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    /// A folder or article file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An article is malformed: no `+++` front matter, front matter that is
    /// not valid TOML, an `id` unlike the file name, or no text.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The `.md` file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong, in English.
        message: String,
    },
}
