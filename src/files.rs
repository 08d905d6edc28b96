//! Reading content folders.

use std::path::{Path, PathBuf};

/// The files and folders in `dir`, sorted by path, so content loads in a
/// stable order. Anything else (a FIFO, a socket, a device) is skipped with a
/// warning: reading it could block a start-up or a reload forever.
pub fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // Follows symlinks: a link to a regular file is content like any other.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() || meta.is_dir() => paths.push(path),
            Ok(_) => tracing::warn!(path = %path.display(), "not a regular file: skipped"),
            Err(error) => tracing::warn!(path = %path.display(), %error, "unreadable: skipped"),
        }
    }
    paths.sort();
    Ok(paths)
}
