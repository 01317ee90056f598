//! Path keys read as what is sent: a template of literal pieces and parameters, and any
//! query pairs written into the key.

use crate::spec::pointer::percent_decode;

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathPiece {
    /// Text sent as it is (already percent-encoded).
    Literal(String),
    /// `{name}`: the path parameter with this wire name.
    Param(String),
}

/// The template written back as text (`/users/{id}`).
pub(crate) fn template_text(pieces: &[PathPiece]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            PathPiece::Literal(text) => text.clone(),
            PathPiece::Param(name) => format!("{{{name}}}"),
        })
        .collect()
}

/// Splits a path key into what is sent: the path without any `#fragment` (AWS specs
/// write `/#X-Amz-Target=...` to keep keys unique; fragments never reach the server),
/// with a leading `/` and its literal text percent-encoded, cut into literal pieces and
/// `{parameters}`, and the pairs of any `?query` written into it.
pub(crate) fn request_path(key: &str) -> (Vec<PathPiece>, Vec<(String, String)>) {
    let key = key.split('#').next().unwrap_or_default();
    let (path, query) = key.split_once('?').unwrap_or((key, ""));
    let mut pieces = Vec::new();
    let mut literal = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        literal.push('/');
    }
    let mut rest = path;
    while !rest.is_empty() {
        let (text, template) = match rest.find('{') {
            Some(start) => match rest[start..].find('}') {
                Some(len) => (&rest[..start], Some(&rest[start + 1..start + len])),
                // An unclosed brace is text.
                None => (rest, None),
            },
            None => (rest, None),
        };
        encode_literal(text, &mut literal);
        rest = &rest[text.len()..];
        if let Some(name) = template {
            if !literal.is_empty() {
                pieces.push(PathPiece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(PathPiece::Param(name.to_string()));
            rest = &rest[name.len() + 2..];
        }
    }
    if !literal.is_empty() {
        pieces.push(PathPiece::Literal(literal));
    }
    let pairs = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (query_decode(name), query_decode(value))
        })
        .collect();
    (pieces, pairs)
}

/// Percent-encodes what a path segment may not hold as it is.
fn encode_literal(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "-._~%!$&'()*+,;=:@/{}".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
}

/// A query string's text: `+` is a space there, then `%XX` escapes.
fn query_decode(text: &str) -> String {
    percent_decode(&text.replace('+', " "))
}

/// The parameter names of a template, in order.
pub(crate) fn template_names(pieces: &[PathPiece]) -> Vec<&str> {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            PathPiece::Param(name) => Some(name.as_str()),
            PathPiece::Literal(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> PathPiece {
        PathPiece::Literal(text.to_string())
    }

    fn param(name: &str) -> PathPiece {
        PathPiece::Param(name.to_string())
    }

    #[test]
    fn path_keys_become_what_is_sent() {
        assert_eq!(
            request_path("/#X-Amz-Target=Svc.Do"),
            (vec![lit("/")], vec![])
        );
        assert_eq!(
            request_path("/search?mode=full&q=a%20b+c&flag#frag"),
            (
                vec![lit("/search")],
                vec![
                    ("mode".to_string(), "full".to_string()),
                    ("q".to_string(), "a b c".to_string()),
                    ("flag".to_string(), String::new()),
                ]
            )
        );
        assert_eq!(
            request_path("users/{user id}/a b\\"),
            (
                vec![lit("/users/"), param("user id"), lit("/a%20b%5C")],
                vec![]
            )
        );
        assert_eq!(
            request_path("/caf\u{e9}/%41"),
            (vec![lit("/caf%C3%A9/%41")], vec![])
        );
        assert_eq!(
            request_path("/a/{x}{y}/b{"),
            (vec![lit("/a/"), param("x"), param("y"), lit("/b{")], vec![])
        );
        assert_eq!(request_path(""), (vec![lit("/")], vec![]));
    }

    #[test]
    fn a_plus_is_a_space_only_in_the_query() {
        assert_eq!(query_decode("a+b%2B"), "a b+");
        assert_eq!(request_path("/a+b").0, vec![lit("/a+b")]);
    }

    #[test]
    fn templates_write_back_as_text() {
        let (pieces, _) = request_path("/a b/{id}?x=1");
        assert_eq!(template_text(&pieces), "/a%20b/{id}");
    }

    #[test]
    fn template_names_in_order() {
        let (pieces, _) = request_path("/{a}/x/{b}/{a}");
        assert_eq!(template_names(&pieces), ["a", "b", "a"]);
    }
}
