//! Reading a spec's text (YAML or JSON, told apart by content) into `openapiv3` types.

use crate::error::{Error, Location};

/// A parsed OpenAPI document plus what the generator needs to know about its text.
#[derive(Debug, Clone)]
pub struct Spec {
    pub api: openapiv3::OpenAPI,
    /// The raw document, for `x-` extensions and `$ref`s that `openapiv3` does not model.
    pub raw: serde_json::Value,
    /// Stable hash of the spec's text (see [`fingerprint`]).
    pub fingerprint: String,
    pub source_name: String,
}

impl Spec {
    /// Parses `text`; `source_name` (a file path) is quoted in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<Spec, Error> {
        let with_source = |mut e: Error| {
            e.source_name = Some(source_name.to_string());
            e
        };
        let raw: serde_json::Value = if looks_like_json(text) {
            serde_json::from_str(text).map_err(|e| {
                with_source(Error {
                    source_name: None,
                    pointer: "#".into(),
                    location: Some(Location { line: e.line(), column: e.column() }),
                    message: format!("invalid JSON: {e}"),
                })
            })?
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                with_source(Error {
                    source_name: None,
                    pointer: "#".into(),
                    location: e.location().map(|l| Location { line: l.line(), column: l.column() }),
                    message: format!("invalid YAML: {e}"),
                })
            })?
        };
        let api: openapiv3::OpenAPI = serde_json::from_value(raw.clone()).map_err(|e| {
            with_source(Error::unsupported("#", format!("not an OpenAPI 3.0 document: {e}")))
        })?;
        Ok(Spec { api, raw, fingerprint: fingerprint(text), source_name: source_name.to_string() })
    }
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

/// FNV-1a 64 over the text with `\r\n` folded to `\n`, as 16 hex digits. The generated
/// build script computes the same function, so keep the two in step.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

impl Spec {
    /// Adds the source name and, where the pointer can be found in the text, line and column.
    pub(crate) fn locate(&self, mut error: Error) -> Error {
        error.source_name = Some(self.source_name.clone());
        error
    }
}
