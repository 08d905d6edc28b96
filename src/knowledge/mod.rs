//! The help centre: articles per locale (`knowledge/<lang>/<id>.md`) and
//! retrieval over their sections.

pub mod article;
mod retrieval;

pub use article::{load, Article, Section};
pub use retrieval::{strength, Hit, KnowledgeIndex};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
}
