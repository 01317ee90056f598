//! JSON pointers (`#/a/b~1c`) into the raw document.

use serde_json::Value;

use crate::error::Error;

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    let token = percent_decode(token);
    token.replace("~1", "/").replace("~0", "~")
}

/// `$ref` values are URI fragments, so `%7B` and friends may appear in them.
fn percent_decode(token: &str) -> String {
    if !token.contains('%') {
        return token.to_string();
    }
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&token[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The last reference token, unescaped.
pub(crate) fn last_segment(ptr: &str) -> &str {
    ptr.rsplit('/').next().unwrap_or(ptr)
}

/// Resolves a local reference (`#/...`). Anything else is reported, not fetched.
pub(crate) fn resolve<'v>(root: &'v Value, reference: &str) -> Result<&'v Value, Error> {
    let Some(path) = reference.strip_prefix('#') else {
        return Err(Error::unsupported(
            reference,
            "only local `$ref`s (starting with `#`) are supported; bundle the spec into one document first",
        ));
    };
    if path.is_empty() {
        return Ok(root);
    }
    let mut current = root;
    for token in path.trim_start_matches('/').split('/') {
        let token = unescape(token);
        current = match current {
            Value::Object(map) => map.get(&token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
        .ok_or_else(|| {
            Error::unsupported(reference, "`$ref` points at nothing in this document")
        })?;
    }
    Ok(current)
}
