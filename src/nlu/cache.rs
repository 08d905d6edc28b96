//! The trained models on disk, so that a restart with the same content and
//! the same build skips training (about 2 s of CPU for the bundled content,
//! most of start-up).
//!
//! One file per trained [`Nlu`](super::Nlu), `nlu-<key>.bin` in the cache
//! folder, where the key is a SHA-256 over everything training reads: the
//! intents (names, whether they answer, every example), the further texts
//! language identification and the vocabulary learn from, the default
//! locale, and the build (this crate's version and the running executable's
//! size and modification time, so a rebuilt binary never reads a model its
//! older code trained). Layout, little-endian:
//!
//! | bytes | what |
//! |---|---|
//! | 8 | [`MAGIC`] (format version in the last byte) |
//! | 32 | the key |
//! | n | the models ([`Encoder`]'s primitives) |
//! | 4 | CRC-32 of everything before it |
//!
//! A file that is missing, for another key, truncated or fails its checksum
//! is not used: the models are trained as without a cache, and the file is
//! rewritten. Writes go to a temporary name renamed into place, so several
//! processes may share a folder. The newest [`KEEP`] files are kept.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Intent;

/// The first bytes of a cache file; the last one is the format version.
const MAGIC: &[u8; 8] = b"SBNLU\0\0\x01";
/// Cache files kept in the folder (the newest by modification time).
const KEEP: usize = 2;
/// A temporary file this old was left by a writer that died.
const STALE: std::time::Duration = std::time::Duration::from_secs(600);

/// Why a cache file was not used or not written (logged, never fatal).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Reading, writing or listing the folder failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a model this build wrote (truncated, another format,
    /// a failed checksum, or values out of range).
    #[error("damaged model file: {0}")]
    Corrupt(&'static str),
}

/// A folder of trained models (see the module's docs).
#[derive(Debug, Clone)]
pub struct ModelCache {
    dir: PathBuf,
    /// What identifies this build: crate version, executable size and mtime.
    build: Vec<u8>,
}

impl ModelCache {
    /// A cache in `dir` (created on the first write); `None` when the running
    /// executable cannot be identified (then nothing is cached).
    pub fn new(dir: impl Into<PathBuf>) -> Option<Self> {
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(exe).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let mut build = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
        build.extend(meta.len().to_le_bytes());
        build.extend(modified.as_nanos().to_le_bytes());
        Some(Self {
            dir: dir.into(),
            build,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a training on these inputs (see the module's docs).
    pub(super) fn key(
        &self,
        intents: &[Intent],
        texts: &[(String, String)],
        default_locale: &str,
    ) -> [u8; 32] {
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        field(MAGIC);
        field(&self.build);
        field(default_locale.as_bytes());
        for intent in intents {
            field(intent.name.as_bytes());
            field(&[u8::from(intent.action.answers())]);
            for (locale, examples) in &intent.examples {
                field(locale.as_bytes());
                field(&(examples.len() as u64).to_le_bytes());
                for example in examples {
                    field(example.as_bytes());
                }
            }
            field(b"\xff");
        }
        for (locale, text) in texts {
            field(locale.as_bytes());
            field(text.as_bytes());
        }
        hash.finalize().into()
    }

    fn path(&self, key: &[u8; 32]) -> PathBuf {
        self.dir
            .join(format!("nlu-{}.bin", hex::encode(&key[..12])))
    }

    /// A reader of the file stored under `key` ([`ModelCache::write`]),
    /// past its header; [`Decoder::finish`] checks its checksum once the
    /// models are read. `Ok(None)` if there is no file for it.
    ///
    /// # Errors
    ///
    /// [`CacheError::Io`] if the file exists but cannot be read;
    /// [`CacheError::Corrupt`] if its header is not this format and key.
    pub(super) fn open(&self, key: &[u8; 32]) -> Result<Option<Decoder<'static>>, CacheError> {
        let path = self.path(key);
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(CacheError::Io { path, source }),
        };
        let len = file
            .metadata()
            .map_err(|source| CacheError::Io {
                path: path.clone(),
                source,
            })?
            .len();
        let body = usize::try_from(len)
            .ok()
            .and_then(|len| len.checked_sub(4))
            .filter(|body| *body >= MAGIC.len() + key.len())
            .ok_or(CacheError::Corrupt("truncated"))?;
        let reader = std::io::BufReader::with_capacity(1 << 18, file);
        let mut input = Decoder::from_reader(Box::new(reader), body);
        let mut header = [0u8; MAGIC.len() + 32];
        input.fill(&mut header)?;
        if header[..MAGIC.len()] != MAGIC[..] {
            return Err(CacheError::Corrupt("another format"));
        }
        if header[MAGIC.len()..] != key[..] {
            return Err(CacheError::Corrupt("another key"));
        }
        Ok(Some(input))
    }

    /// Stores what `encode` writes under `key`, atomically (a temporary
    /// file renamed into place), and removes all but the newest [`KEEP`]
    /// model files. The models are streamed to the file, never held whole.
    ///
    /// # Errors
    ///
    /// [`CacheError::Io`] if the folder or the file cannot be written.
    pub(super) fn write(
        &self,
        key: &[u8; 32],
        encode: impl FnOnce(&mut Encoder),
    ) -> Result<(), CacheError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| CacheError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let path = self.path(key);
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        let file = std::fs::File::create(&temporary).map_err(io(&temporary))?;
        let mut out = Encoder::to_file(file);
        out.put(MAGIC);
        out.put(key);
        encode(&mut out);
        if let Err(source) = out.finish() {
            let _ = std::fs::remove_file(&temporary);
            return Err(CacheError::Io {
                path: temporary,
                source,
            });
        }
        if let Err(source) = std::fs::rename(&temporary, &path) {
            let _ = std::fs::remove_file(&temporary);
            return Err(CacheError::Io { path, source });
        }
        self.prune(&path).map_err(io(&self.dir))
    }

    /// Removes all model files but `written` and the newest others, up to
    /// [`KEEP`], and temporary files older than [`STALE`].
    fn prune(&self, written: &Path) -> std::io::Result<()> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !name.starts_with("nlu-") || entry.path() == written {
                continue;
            }
            let modified = entry.metadata()?.modified()?;
            if name.ends_with(".bin") {
                files.push((modified, entry.path()));
            } else if name.contains(".tmp-") && modified.elapsed().unwrap_or_default() > STALE {
                // Left by a process killed while writing.
                let _ = std::fs::remove_file(entry.path());
            }
        }
        files.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
        for (_, path) in files.into_iter().skip(KEEP - 1) {
            // Another process may have removed it first.
            let _ = std::fs::remove_file(path);
        }
        Ok(())
    }
}

/// Writes the primitives the models are made of, little-endian: into
/// memory ([`Encoder::default`]), or through a small buffer into a cache
/// file, which ends with the CRC-32 of everything before it.
#[derive(Default)]
pub struct Encoder {
    bytes: Vec<u8>,
    file: Option<FileSink>,
}

/// Where a file-backed [`Encoder`] spills its buffer.
struct FileSink {
    file: std::fs::File,
    sum: crc32fast::Hasher,
    /// The first write that failed; later writes are skipped.
    error: Option<std::io::Error>,
}

/// Bytes buffered before a file-backed [`Encoder`] writes them out.
const SPILL_AT: usize = 1 << 16;

impl Encoder {
    fn to_file(file: std::fs::File) -> Self {
        Self {
            bytes: Vec::with_capacity(SPILL_AT + 64),
            file: Some(FileSink {
                file,
                sum: crc32fast::Hasher::new(),
                error: None,
            }),
        }
    }

    /// The bytes written so far (of an in-memory encoder).
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    fn put(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
        if self.bytes.len() >= SPILL_AT {
            self.spill();
        }
    }

    fn spill(&mut self) {
        use std::io::Write;
        if let Some(sink) = &mut self.file {
            if sink.error.is_none() {
                sink.sum.update(&self.bytes);
                if let Err(error) = sink.file.write_all(&self.bytes) {
                    sink.error = Some(error);
                }
            }
            self.bytes.clear();
        }
    }

    /// Writes out what is buffered and the checksum (of a file-backed
    /// encoder). Not synced: a file cut short by a crash fails its
    /// checksum and is trained around.
    fn finish(mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.spill();
        let Some(mut sink) = self.file.take() else {
            return Ok(());
        };
        if let Some(error) = sink.error {
            return Err(error);
        }
        sink.file.write_all(&sink.sum.finalize().to_le_bytes())
    }

    /// A `u32`.
    pub fn u32(&mut self, value: u32) {
        self.put(&value.to_le_bytes());
    }

    /// A `u64`.
    pub fn u64(&mut self, value: u64) {
        self.put(&value.to_le_bytes());
    }

    /// An `f32`, bit for bit.
    pub fn f32(&mut self, value: f32) {
        self.u32(value.to_bits());
    }

    /// A count or length (as a `u64`).
    pub fn count(&mut self, value: usize) {
        self.u64(value as u64);
    }

    /// A UTF-8 string: its length, then its bytes.
    pub fn str(&mut self, value: &str) {
        self.count(value.len());
        self.put(value.as_bytes());
    }

    /// A slice of `f32`s: its length, then each.
    pub fn f32s(&mut self, values: &[f32]) {
        self.count(values.len());
        values.iter().for_each(|v| self.f32(*v));
    }

    /// A slice of `u32`s: its length, then each.
    pub fn u32s(&mut self, values: &[u32]) {
        self.count(values.len());
        values.iter().for_each(|v| self.u32(*v));
    }

    /// A slice of `u64`s: its length, then each.
    pub fn u64s(&mut self, values: impl ExactSizeIterator<Item = u64>) {
        self.count(values.len());
        values.for_each(|v| self.u64(v));
    }
}

/// Reads what an [`Encoder`] wrote, streaming; every read checks that the
/// bytes are there, so a damaged file is an error, never a panic or a huge
/// allocation.
pub struct Decoder<'a> {
    reader: Box<dyn std::io::Read + 'a>,
    /// Bytes left before the checksum (or the end, in memory).
    left: usize,
    sum: crc32fast::Hasher,
}

/// Values converted per read of a vector.
const CHUNK: usize = 1 << 14;

impl<'a> Decoder<'a> {
    /// Reads `bytes` from the start (no checksum).
    pub fn new(bytes: &'a [u8]) -> Self {
        Self::from_reader(Box::new(bytes), bytes.len())
    }

    fn from_reader(reader: Box<dyn std::io::Read + 'a>, left: usize) -> Self {
        Self {
            reader,
            left,
            sum: crc32fast::Hasher::new(),
        }
    }

    /// Whether every byte (before the checksum) has been read.
    pub fn is_empty(&self) -> bool {
        self.left == 0
    }

    /// Checks that every byte was read and that the file's checksum matches
    /// what was read.
    ///
    /// # Errors
    ///
    /// [`CacheError::Corrupt`] if bytes are left or the checksum differs.
    pub fn finish(mut self) -> Result<(), CacheError> {
        if !self.is_empty() {
            return Err(CacheError::Corrupt("trailing bytes"));
        }
        let mut stored = [0u8; 4];
        self.reader
            .read_exact(&mut stored)
            .map_err(|_| CacheError::Corrupt("truncated"))?;
        if self.sum.finalize().to_le_bytes() != stored {
            return Err(CacheError::Corrupt("checksum"));
        }
        Ok(())
    }

    fn fill(&mut self, out: &mut [u8]) -> Result<(), CacheError> {
        if self.left < out.len() {
            return Err(CacheError::Corrupt("truncated"));
        }
        self.reader
            .read_exact(out)
            .map_err(|_| CacheError::Corrupt("unreadable"))?;
        self.sum.update(out);
        self.left -= out.len();
        Ok(())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CacheError> {
        let mut bytes = [0u8; N];
        self.fill(&mut bytes)?;
        Ok(bytes)
    }

    /// A `u32`.
    pub fn u32(&mut self) -> Result<u32, CacheError> {
        self.array().map(u32::from_le_bytes)
    }

    /// A `u64`.
    pub fn u64(&mut self) -> Result<u64, CacheError> {
        self.array().map(u64::from_le_bytes)
    }

    /// An `f32`.
    pub fn f32(&mut self) -> Result<f32, CacheError> {
        self.u32().map(f32::from_bits)
    }

    /// A count of items of `item_bytes` bytes each, checked against the
    /// bytes left.
    pub fn count(&mut self, item_bytes: usize) -> Result<usize, CacheError> {
        let n = usize::try_from(self.u64()?).map_err(|_| CacheError::Corrupt("length"))?;
        if n.saturating_mul(item_bytes.max(1)) > self.left {
            return Err(CacheError::Corrupt("length"));
        }
        Ok(n)
    }

    /// A UTF-8 string.
    pub fn str(&mut self) -> Result<String, CacheError> {
        let mut bytes = vec![0u8; self.count(1)?];
        self.fill(&mut bytes)?;
        String::from_utf8(bytes).map_err(|_| CacheError::Corrupt("utf-8"))
    }

    /// A vector of `f32`s.
    pub fn f32s(&mut self) -> Result<Vec<f32>, CacheError> {
        Ok(self.u32s()?.into_iter().map(f32::from_bits).collect())
    }

    /// A vector of `u32`s.
    pub fn u32s(&mut self) -> Result<Vec<u32>, CacheError> {
        self.vector(u32::from_le_bytes)
    }

    /// A vector of `u64`s.
    pub fn u64s(&mut self) -> Result<Vec<u64>, CacheError> {
        self.vector(u64::from_le_bytes)
    }

    /// A length, then that many values of `N` bytes each, read [`CHUNK`]
    /// at a time (never the whole vector's bytes at once).
    fn vector<const N: usize, T>(&mut self, from: fn([u8; N]) -> T) -> Result<Vec<T>, CacheError> {
        let n = self.count(N)?;
        let mut values = Vec::with_capacity(n);
        let mut chunk = vec![0u8; N * CHUNK.min(n)];
        while values.len() < n {
            let bytes = &mut chunk[..N * CHUNK.min(n - values.len())];
            self.fill(bytes)?;
            values.extend(bytes.chunks_exact(N).map(|b| {
                let mut value = [0u8; N];
                value.copy_from_slice(b);
                from(value)
            }));
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_read_back_as_written() {
        let mut out = Encoder::default();
        out.u32(7);
        out.f32(-0.125);
        out.str("şğ");
        out.f32s(&[1.5, f32::MIN_POSITIVE]);
        out.u64s([u64::MAX, 0].into_iter());
        let bytes = out.into_bytes();
        let mut input = Decoder::new(&bytes);
        assert_eq!(input.u32().ok(), Some(7));
        assert_eq!(input.f32().ok(), Some(-0.125));
        assert_eq!(input.str().ok().as_deref(), Some("şğ"));
        assert_eq!(input.f32s().ok(), Some(vec![1.5, f32::MIN_POSITIVE]));
        assert_eq!(input.u64s().ok(), Some(vec![u64::MAX, 0]));
        assert!(input.is_empty());
    }

    #[test]
    fn a_length_beyond_the_bytes_left_is_an_error_not_an_allocation() {
        let mut out = Encoder::default();
        out.u64(1 << 60);
        out.u32(1);
        let bytes = out.into_bytes();
        for read in [
            |d: &mut Decoder| d.u32s().map(|_| ()),
            |d: &mut Decoder| d.u64s().map(|_| ()),
            |d: &mut Decoder| d.str().map(|_| ()),
        ] {
            let mut input = Decoder::new(&bytes);
            assert!(matches!(read(&mut input), Err(CacheError::Corrupt(_))));
        }
        let mut input = Decoder::new(&bytes[..3]);
        assert!(matches!(input.u32(), Err(CacheError::Corrupt(_))));
    }

    #[test]
    fn a_file_for_another_key_or_with_a_bad_checksum_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = ModelCache::new(dir.path()).expect("identified");
        let (key, other) = ([1u8; 32], [2u8; 32]);
        cache.write(&key, |out| out.u32(7)).expect("write");
        let read = |key: &[u8; 32]| -> Result<Option<u32>, CacheError> {
            let Some(mut input) = cache.open(key)? else {
                return Ok(None);
            };
            let value = input.u32()?;
            input.finish()?;
            Ok(Some(value))
        };
        assert_eq!(read(&key).ok().flatten(), Some(7));
        assert!(matches!(read(&other), Ok(None)));
        // A file renamed to another key's name holds the wrong key.
        std::fs::copy(cache.path(&key), cache.path(&other)).expect("copy");
        assert!(matches!(read(&other), Err(CacheError::Corrupt(_))));
        let mut bytes = std::fs::read(cache.path(&key)).expect("read");
        let last = bytes.len() - 5;
        bytes[last] ^= 1;
        std::fs::write(cache.path(&key), &bytes).expect("damage");
        assert!(matches!(read(&key), Err(CacheError::Corrupt(_))));
        bytes.pop();
        std::fs::write(cache.path(&key), &bytes).expect("cut short");
        assert!(matches!(read(&key), Err(CacheError::Corrupt(_))));
    }

    #[test]
    fn only_the_newest_files_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = ModelCache::new(dir.path()).expect("identified");
        for k in 0..KEEP as u8 + 3 {
            cache
                .write(&[k; 32], |out| out.u32(k.into()))
                .expect("write");
        }
        let files = std::fs::read_dir(dir.path()).expect("dir").count();
        assert_eq!(files, KEEP);
        assert!(cache.open(&[KEEP as u8 + 2; 32]).ok().flatten().is_some());
    }
}
