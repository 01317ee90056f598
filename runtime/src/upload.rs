//! Collecting files for multipart uploads, and checking them before sending.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use bytes::Bytes;

use super::error::Error;
pub use super::request::FilePart;

/// Constraints an API puts on an uploaded file set, checked locally so the
/// caller gets a clear message instead of a server 400.
#[derive(Debug, Clone, Copy, Default)]
pub struct UploadRules {
    /// All files must sit in one top-level folder (`my-skill/...`).
    pub single_top_folder: bool,
    /// A file that must exist directly inside the top folder, e.g. `SKILL.md`.
    pub required_top_file: Option<&'static str>,
    /// Upper bound for the sum of all file sizes.
    pub max_total_bytes: Option<u64>,
}

impl UploadRules {
    /// Checks `files` against the rules; [`Error::InvalidArgument`] naming the
    /// offending file, folder or limit otherwise. An empty set is refused.
    pub fn check(&self, files: &[FilePart]) -> Result<(), Error> {
        let invalid = |m: String| Err(Error::InvalidArgument(m));
        if files.is_empty() {
            return invalid("no files to upload".into());
        }
        let mut seen = std::collections::HashSet::new();
        for f in files {
            check_name(&f.file_name)?;
            if !seen.insert(f.file_name.as_str()) {
                return invalid(format!("`{}` is listed twice", f.file_name));
            }
        }

        let top = if self.single_top_folder {
            let first = &files[0].file_name;
            let Some((top, _)) = first.split_once('/') else {
                return invalid(format!(
                    "`{first}` is not inside a folder: all files must be in one top-level folder"
                ));
            };
            for f in files {
                match f.file_name.split_once('/') {
                    Some((t, _)) if t == top => {}
                    Some(_) => {
                        return invalid(format!(
                            "all files must be in one top-level folder, but `{}` is not in `{top}/`",
                            f.file_name
                        ));
                    }
                    None => {
                        return invalid(format!(
                            "`{}` is not inside the top-level folder `{top}/`",
                            f.file_name
                        ));
                    }
                }
            }
            Some(top)
        } else {
            None
        };

        if let Some(required) = self.required_top_file {
            let found = files.iter().any(|f| match top {
                Some(top) => {
                    f.file_name
                        .strip_prefix(top)
                        .and_then(|r| r.strip_prefix('/'))
                        == Some(required)
                }
                // Without a single folder: directly at the root, or directly in any top folder.
                None => {
                    f.file_name == required
                        || f.file_name
                            .split_once('/')
                            .is_some_and(|(_, rest)| rest == required)
                }
            });
            if !found {
                return match top {
                    Some(top) => invalid(format!(
                        "`{top}/{required}` is missing: the folder `{top}` must contain `{required}` at its top level"
                    )),
                    None => invalid(format!("required file `{required}` is missing")),
                };
            }
        }

        if let Some(max) = self.max_total_bytes {
            let total: u64 = files.iter().map(|f| f.data.len() as u64).sum();
            if total > max {
                return invalid(format!(
                    "files total {total} bytes, over the limit of {max} bytes"
                ));
            }
        }
        Ok(())
    }
}

/// Upload names are relative `/`-separated paths; anything that could escape
/// the upload root on the server side is refused.
fn check_name(name: &str) -> Result<(), Error> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains(|c: char| c.is_control())
        || name
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..");
    if bad {
        return Err(Error::InvalidArgument(format!(
            "invalid upload file name `{}`",
            name.escape_debug()
        )));
    }
    Ok(())
}

/// Reads every file under `dir`, recursively, named relative to `dir`'s parent
/// so the top folder is kept (`my-skill/SKILL.md`), `/`-separated, sorted by name.
///
/// Symlinks are followed, except into a directory that is already being
/// walked (a loop). Content types are guessed from extensions.
pub fn from_dir(dir: impl AsRef<Path>) -> Result<Vec<FilePart>, Error> {
    let dir = dir.as_ref();
    let io = |path: &Path, source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    // Canonical path: gives `.`/`..` a real folder name and anchors loop detection.
    let root = dir.canonicalize().map_err(|e| io(dir, e))?;
    if !root.is_dir() {
        return Err(Error::InvalidArgument(format!(
            "`{}` is not a folder",
            dir.display()
        )));
    }
    let top = root
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            Error::InvalidArgument(format!("`{}` has no usable folder name", dir.display()))
        })?
        .to_owned();

    let mut files = BTreeMap::new();
    let mut ancestors = vec![root.clone()];
    walk(&root, &top, &mut ancestors, &mut files)?;
    Ok(files.into_values().collect())
}

fn walk(
    dir: &Path,
    prefix: &str,
    ancestors: &mut Vec<PathBuf>,
    files: &mut BTreeMap<String, FilePart>,
) -> Result<(), Error> {
    let io = |path: &Path, source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            return Err(Error::InvalidArgument(format!(
                "file name `{}` is not valid UTF-8",
                path.display()
            )));
        };
        let name = format!("{prefix}/{file_name}");
        // `metadata` follows symlinks, so linked files are read like regular ones.
        let meta = std::fs::metadata(&path).map_err(|e| io(&path, e))?;
        if meta.is_dir() {
            let canonical = path.canonicalize().map_err(|e| io(&path, e))?;
            if ancestors.contains(&canonical) {
                continue; // symlink back into a folder being walked
            }
            ancestors.push(canonical);
            walk(&path, &name, ancestors, files)?;
            ancestors.pop();
        } else if meta.is_file() {
            let data = std::fs::read(&path).map_err(|e| io(&path, e))?;
            let content_type = Some(guess_content_type(&name).to_owned());
            files.insert(
                name.clone(),
                FilePart {
                    file_name: name,
                    content_type,
                    data: Bytes::from(data),
                },
            );
        }
    }
    Ok(())
}

/// Files from memory, as `(name, contents)` pairs, in the order given.
pub fn from_memory<I, N, B>(files: I) -> Vec<FilePart>
where
    I: IntoIterator<Item = (N, B)>,
    N: Into<String>,
    B: Into<Bytes>,
{
    files
        .into_iter()
        .map(|(name, data)| {
            let file_name = name.into();
            FilePart {
                content_type: Some(guess_content_type(&file_name).to_owned()),
                file_name,
                data: data.into(),
            }
        })
        .collect()
}

/// Every file entry of a zip archive, named by its path inside the archive,
/// sorted by name. Entries whose names would escape a folder (`../x`, absolute
/// paths) are refused.
pub fn from_zip(path: impl AsRef<Path>) -> Result<Vec<FilePart>, Error> {
    let path = path.as_ref();
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(e) => io(e),
        other => io(std::io::Error::new(std::io::ErrorKind::InvalidData, other)),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut archive = zip::ZipArchive::new(file).map_err(zip_err)?;
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(zip_err)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().replace('\\', "/");
        let escapes = entry
            .enclosed_name()
            .is_none_or(|p| p.components().any(|c| !matches!(c, Component::Normal(_))));
        if escapes {
            return Err(Error::InvalidArgument(format!(
                "zip entry `{}` in `{}` has an unsafe path",
                name.escape_debug(),
                path.display()
            )));
        }
        let mut data = Vec::with_capacity(entry.size().min(64 << 20) as usize);
        entry.read_to_end(&mut data).map_err(io)?;
        files.insert(
            name.clone(),
            FilePart {
                content_type: Some(guess_content_type(&name).to_owned()),
                file_name: name,
                data: Bytes::from(data),
            },
        );
    }
    Ok(files.into_values().collect())
}

/// A content type for a file name, from its extension (`application/octet-stream` if unknown).
pub fn guess_content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit('/')
        .next()
        .and_then(|base| base.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "md" | "markdown" => "text/markdown",
        "txt" | "text" | "log" => "text/plain",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "ts" => "text/x-typescript",
        "py" => "text/x-python",
        "sh" => "application/x-sh",
        "json" => "application/json",
        "yaml" | "yml" => "application/yaml",
        "toml" => "application/toml",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "tar" => "application/x-tar",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "ico" => "image/vnd.microsoft.icon",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<FilePart> {
        from_memory(names.iter().map(|n| (*n, Bytes::from_static(b"x"))))
    }

    const SKILL: UploadRules = UploadRules {
        single_top_folder: true,
        required_top_file: Some("SKILL.md"),
        max_total_bytes: Some(10),
    };

    fn err(r: Result<(), Error>) -> String {
        match r {
            Err(Error::InvalidArgument(m)) => m,
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn rules() {
        assert!(SKILL.check(&files(&["s/SKILL.md", "s/a/b.py"])).is_ok());
        assert_eq!(err(SKILL.check(&[])), "no files to upload");
        assert!(err(SKILL.check(&files(&["s/SKILL.md", "t/x"]))).contains("one top-level folder"));
        assert!(err(SKILL.check(&files(&["SKILL.md"]))).contains("not inside a folder"));
        assert!(err(SKILL.check(&files(&["s/a/SKILL.md"]))).contains("`s/SKILL.md` is missing"));
        assert!(err(SKILL.check(&files(&["s/../x"]))).contains("invalid upload file name"));
        assert!(err(SKILL.check(&files(&["s/SKILL.md", "s/SKILL.md"]))).contains("listed twice"));
        let big = from_memory([("s/SKILL.md", Bytes::from(vec![0u8; 11]))]);
        assert!(err(SKILL.check(&big)).contains("over the limit of 10 bytes"));
        let loose = UploadRules {
            single_top_folder: false,
            required_top_file: Some("SKILL.md"),
            max_total_bytes: None,
        };
        assert!(loose.check(&files(&["SKILL.md", "x"])).is_ok());
        assert!(loose.check(&files(&["a/x"])).is_err());
    }

    #[test]
    fn content_types() {
        assert_eq!(guess_content_type("s/SKILL.md"), "text/markdown");
        assert_eq!(guess_content_type("a.PNG"), "image/png");
        assert_eq!(guess_content_type("Makefile"), "application/octet-stream");
        assert_eq!(
            guess_content_type("dir.d/noext"),
            "application/octet-stream"
        );
    }
}
