//! JSON pointers (`#/a/b~1c`) into the raw document.

use serde_json::Value;

use crate::error::Error;

/// Escapes one reference token (`~` → `~0`, `/` → `~1`); most tokens need nothing.
pub(crate) fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    // Most tokens have neither an escape nor a `%`: no copy.
    if !token.contains(['~', '%']) {
        return token.into();
    }
    let token = percent_decode(token);
    token.replace("~1", "/").replace("~0", "~").into()
}

/// `%XX` escapes decoded (`$ref` values are URI fragments, so `%7B` and friends may
/// appear in them, and so may path keys); malformed escapes are kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The last reference token, unescaped.
pub(crate) fn last_segment(ptr: &str) -> String {
    unescape(ptr.rsplit('/').next().unwrap_or(ptr)).into_owned()
}

/// One spelling per local reference (tokens percent-decoded, then escaped), so refs
/// written differently to the same node share one type.
pub(crate) fn canonical(reference: &str) -> String {
    match reference.strip_prefix("#/") {
        // Without `~` or `%`, every token is already spelled the one way.
        Some(_) if !reference.contains(['~', '%']) => reference.to_string(),
        Some(path) => {
            let tokens: Vec<String> = path
                .split('/')
                .map(|t| escape(&unescape(t)).into_owned())
                .collect();
            format!("#/{}", tokens.join("/"))
        }
        None => reference.to_string(),
    }
}

/// How many `$ref`s one reference may pass through on its way (see [`resolve`]).
const MAX_HOPS: usize = 32;

/// Resolves a local reference (`#/...`). Anything else is reported, not fetched.
/// A token missing from an object that is itself a `$ref` is looked up in that `$ref`'s
/// target, so `#/paths/~1a/get/responses/200/content` works when the response is a `$ref`.
/// Errors carry the reference as pointer; callers re-point them at the `$ref`'s place.
pub(crate) fn resolve<'v>(root: &'v Value, reference: &str) -> Result<&'v Value, Error> {
    resolve_within(root, reference, 0)
}

fn resolve_within<'v>(root: &'v Value, reference: &str, hops: usize) -> Result<&'v Value, Error> {
    let Some(path) = reference.strip_prefix('#') else {
        return Err(Error::unsupported(
            reference,
            format!(
                "`$ref` to `{reference}`: only local `$ref`s (starting with `#`) are supported; bundle the spec into one document first"
            ),
        ));
    };
    if path.is_empty() {
        return Ok(root);
    }
    let Some(path) = path.strip_prefix('/') else {
        return Err(Error::unsupported(
            reference,
            format!("`$ref` to `{reference}` is not a JSON pointer"),
        ));
    };
    let nothing = || {
        Error::unsupported(
            reference,
            format!("`$ref` to `{reference}` points at nothing in this document"),
        )
    };
    let mut current = root;
    let child = |value: &'v Value, token: &str| match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    };
    for token in path.split('/') {
        let token = unescape(token);
        let mut next = child(current, &token);
        if next.is_none()
            && let Some(target) = current.get("$ref").and_then(Value::as_str)
        {
            if hops >= MAX_HOPS {
                return Err(nothing());
            }
            next = child(
                resolve_within(root, target, hops + 1).map_err(|_| nothing())?,
                &token,
            );
        }
        current = next.ok_or_else(nothing)?;
    }
    Ok(current)
}

#[cfg(test)]
mod percent_tests {
    use super::percent_decode;

    #[test]
    fn escapes_decode_and_malformed_ones_stay() {
        assert_eq!(percent_decode("a%20b%7Bc%7d"), "a b{c}");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        // A multi-byte character right after `%` is kept, not split.
        assert_eq!(percent_decode("%a\u{e9}"), "%a\u{e9}");
        assert_eq!(percent_decode("a+b"), "a+b");
    }
}
