//! Serializing parameter values the way OpenAPI `style`/`explode` describe.
//!
//! Generated code passes any `Serialize` value (strings, numbers, enums, lists,
//! objects); it is turned into a `serde_json::Value` and laid out per style.
//! Strings are used raw (no JSON quotes); URL encoding happens later, in
//! [`Client::execute`](super::Client::execute) for queries and here for paths.

use serde::Serialize;
use serde_json::Value;

use super::error::Error;
use super::request::{Request, encode_path_segment};

/// An OpenAPI parameter serialization style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=a&name=b` (explode) or `name=a,b`; the default for query and cookie.
    Form,
    /// `a,b`; the default for path and header.
    Simple,
    /// `name[key]=value` for objects in queries.
    DeepObject,
    /// `name=a|b`.
    PipeDelimited,
    /// `name=a b`.
    SpaceDelimited,
    /// `.a.b` (explode) or `.a,b` in paths.
    Label,
    /// `;name=a;name=b` (explode) or `;name=a,b` in paths.
    Matrix,
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value)
        .map_err(|e| Error::InvalidArgument(format!("cannot serialize parameter: {e}")))
}

/// Scalars as plain text; lists and objects as JSON text; null as empty.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Object entries with null values dropped.
fn entries(map: &serde_json::Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    map.iter().filter(|(_, v)| !v.is_null())
}

/// The text of a multipart field: strings raw, numbers/bools as text, lists and objects as JSON.
pub fn text_value<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    Ok(text(&to_value(value)?))
}

/// A value as JSON text (for parameters declared with `content: application/json`).
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| Error::InvalidArgument(format!("cannot serialize parameter: {e}")))
}

/// The items of a list parameter as texts (a scalar gives one item, null none),
/// for [`Request::list_header`].
pub fn list_values<T: Serialize + ?Sized>(value: &T) -> Result<Vec<String>, Error> {
    Ok(match to_value(value)? {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter(|v| !v.is_null()).map(text).collect(),
        other => vec![text(&other)],
    })
}

/// `simple` style, for headers and cookies: `a,b` for lists, `k,v,k2,v2`
/// (or `k=v,k2=v2` when exploded) for objects.
pub fn simple_value<T: Serialize + ?Sized>(value: &T, explode: bool) -> Result<String, Error> {
    Ok(match to_value(value)? {
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(map) => join_object(&map, explode, ",", &|s| s.to_owned()),
        other => text(&other),
    })
}

/// Fields of an `application/x-www-form-urlencoded` body: one pair per field,
/// lists repeated, nulls skipped, nested objects as JSON text.
pub fn form_pairs<T: Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>, Error> {
    let Value::Object(map) = to_value(value)? else {
        return Err(Error::InvalidArgument(
            "a form body must be an object".into(),
        ));
    };
    let mut pairs = Vec::new();
    for (key, v) in entries(&map) {
        match v {
            Value::Array(items) => pairs.extend(items.iter().map(|item| (key.clone(), text(item)))),
            other => pairs.push((key.clone(), text(other))),
        }
    }
    Ok(pairs)
}

/// Adds query parameter `name` to `request` in the given style. Null and empty
/// lists add nothing.
pub fn query<T: Serialize + ?Sized>(
    request: &mut Request,
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<(), Error> {
    match to_value(value)? {
        Value::Null => {}
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter(|v| !v.is_null()).map(text).collect();
            if items.is_empty() {
                return Ok(());
            }
            let separator = match style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            if explode {
                for item in items {
                    request.query(name, item);
                }
            } else {
                request.query(name, items.join(separator));
            }
        }
        Value::Object(map) => match style {
            Style::DeepObject => deep_object(request, name, &map),
            Style::Form if explode => {
                for (key, v) in entries(&map) {
                    match v {
                        Value::Array(items) => {
                            items.iter().for_each(|i| request.query(key, text(i)))
                        }
                        other => request.query(key, text(other)),
                    }
                }
            }
            _ => request.query(name, join_object(&map, false, ",", &|s| s.to_owned())),
        },
        scalar => request.query(name, text(&scalar)),
    }
    Ok(())
}

fn deep_object(request: &mut Request, prefix: &str, map: &serde_json::Map<String, Value>) {
    for (key, v) in entries(map) {
        let name = format!("{prefix}[{key}]");
        match v {
            Value::Object(inner) => deep_object(request, &name, inner),
            Value::Array(items) => items.iter().for_each(|i| request.query(&name, text(i))),
            other => request.query(&name, text(other)),
        }
    }
}

/// `k,v,k2,v2`, or `k=v<sep>k2=v2` when exploded; keys and values passed through `encode`.
fn join_object(
    map: &serde_json::Map<String, Value>,
    explode: bool,
    separator: &str,
    encode: &dyn Fn(&str) -> String,
) -> String {
    let parts: Vec<String> = entries(map)
        .map(|(k, v)| {
            if explode {
                format!("{}={}", encode(k), encode(&text(v)))
            } else {
                format!("{},{}", encode(k), encode(&text(v)))
            }
        })
        .collect();
    parts.join(if explode { separator } else { "," })
}

/// A path parameter, percent-encoded so it cannot change the path, in the
/// given style (`simple`, `label` or `matrix`). Empty results are refused.
pub fn path_segment<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, Error> {
    let enc = |s: &str| encode_path_segment(s);
    let value = to_value(value)?;
    let ename = enc(name);
    let segment = match (&value, style) {
        (Value::Null, _) => String::new(),
        (Value::Array(items), Style::Label) => {
            let items: Vec<String> = items.iter().map(|i| enc(&text(i))).collect();
            if items.is_empty() {
                String::new()
            } else {
                format!(".{}", items.join(if explode { "." } else { "," }))
            }
        }
        (Value::Array(items), Style::Matrix) => {
            let items: Vec<String> = items.iter().map(|i| enc(&text(i))).collect();
            if explode {
                items.iter().map(|i| format!(";{ename}={i}")).collect()
            } else {
                format!(";{ename}={}", items.join(","))
            }
        }
        (Value::Array(items), _) => items
            .iter()
            .map(|i| enc(&text(i)))
            .collect::<Vec<_>>()
            .join(","),
        (Value::Object(map), Style::Label) => format!(".{}", join_object(map, explode, ".", &enc)),
        (Value::Object(map), Style::Matrix) => {
            if explode {
                format!(";{}", join_object(map, true, ";", &enc))
            } else {
                format!(";{ename}={}", join_object(map, false, ",", &enc))
            }
        }
        (Value::Object(map), _) => join_object(map, explode, ",", &enc),
        (scalar, Style::Label) => format!(".{}", enc(&text(scalar))),
        (scalar, Style::Matrix) => format!(";{ename}={}", enc(&text(scalar))),
        (scalar, _) => enc(&text(scalar)),
    };
    if segment.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "path parameter `{name}` must not be empty"
        )));
    }
    Ok(segment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;
    use serde_json::json;

    fn queries(f: impl FnOnce(&mut Request)) -> Vec<(String, String)> {
        let mut r = Request::new(Method::GET, "/".into());
        f(&mut r);
        r.query
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect()
    }

    #[test]
    fn scalar_texts() {
        assert_eq!(text_value("a b").unwrap(), "a b");
        assert_eq!(text_value(&42).unwrap(), "42");
        assert_eq!(text_value(&true).unwrap(), "true");
        assert_eq!(text_value(&json!({"a": 1})).unwrap(), r#"{"a":1}"#);
        assert_eq!(json_text("x").unwrap(), r#""x""#);
        assert_eq!(list_values(&vec!["a", "b"]).unwrap(), ["a", "b"]);
        assert_eq!(list_values("one").unwrap(), ["one"]);
        assert!(
            list_values(&Option::<Vec<String>>::None)
                .unwrap()
                .is_empty()
        );
        assert_eq!(simple_value(&vec![1, 2], false).unwrap(), "1,2");
        assert_eq!(
            simple_value(&json!({"a": 1, "b": "x"}), false).unwrap(),
            "a,1,b,x"
        );
        assert_eq!(
            simple_value(&json!({"a": 1, "b": "x"}), true).unwrap(),
            "a=1,b=x"
        );
    }

    #[test]
    fn query_styles() {
        assert_eq!(
            queries(|r| query(r, "limit", &20, Style::Form, true).unwrap()),
            pairs(&[("limit", "20")])
        );
        assert!(
            queries(|r| query(r, "x", &Option::<i32>::None, Style::Form, true).unwrap()).is_empty()
        );
        assert_eq!(
            queries(|r| query(r, "id", &["a", "b"], Style::Form, true).unwrap()),
            pairs(&[("id", "a"), ("id", "b")])
        );
        assert_eq!(
            queries(|r| query(r, "id", &["a", "b"], Style::Form, false).unwrap()),
            pairs(&[("id", "a,b")])
        );
        assert_eq!(
            queries(|r| query(r, "id", &["a", "b"], Style::PipeDelimited, false).unwrap()),
            pairs(&[("id", "a|b")])
        );
        assert_eq!(
            queries(|r| query(r, "id", &["a", "b"], Style::SpaceDelimited, false).unwrap()),
            pairs(&[("id", "a b")])
        );
        let obj = json!({"role": "admin", "n": 5, "skip": null});
        assert_eq!(
            queries(|r| query(r, "f", &obj, Style::Form, true).unwrap()),
            pairs(&[("role", "admin"), ("n", "5")])
        );
        assert_eq!(
            queries(|r| query(r, "f", &obj, Style::Form, false).unwrap()),
            pairs(&[("f", "role,admin,n,5")])
        );
        let nested = json!({"a": {"b": 1}, "c": [1, 2]});
        assert_eq!(
            queries(|r| query(r, "f", &nested, Style::DeepObject, true).unwrap()),
            pairs(&[("f[a][b]", "1"), ("f[c]", "1"), ("f[c]", "2")])
        );
    }

    #[test]
    fn path_styles() {
        assert_eq!(
            path_segment("id", "a/b", Style::Simple, false).unwrap(),
            "a%2Fb"
        );
        assert_eq!(
            path_segment("id", &"../x", Style::Simple, false).unwrap(),
            "..%2Fx"
        );
        assert_eq!(path_segment("id", &7, Style::Simple, false).unwrap(), "7");
        assert_eq!(
            path_segment("id", &["a", "b c"], Style::Simple, false).unwrap(),
            "a,b%20c"
        );
        assert_eq!(path_segment("id", "x", Style::Label, false).unwrap(), ".x");
        assert_eq!(
            path_segment("id", &["a", "b"], Style::Label, true).unwrap(),
            ".a.b"
        );
        assert_eq!(
            path_segment("id", "x", Style::Matrix, false).unwrap(),
            ";id=x"
        );
        assert_eq!(
            path_segment("id", &["a", "b"], Style::Matrix, true).unwrap(),
            ";id=a;id=b"
        );
        assert_eq!(
            path_segment("id", &["a", "b"], Style::Matrix, false).unwrap(),
            ";id=a,b"
        );
        assert_eq!(
            path_segment("o", &json!({"a": 1, "b": 2}), Style::Simple, true).unwrap(),
            "a=1,b=2"
        );
        assert_eq!(
            path_segment("o", &json!({"a": 1}), Style::Matrix, true).unwrap(),
            ";a=1"
        );
        assert!(matches!(
            path_segment("id", "", Style::Simple, false),
            Err(Error::InvalidArgument(_))
        ));
        let empty: [&str; 0] = [];
        assert!(path_segment("id", &empty, Style::Simple, false).is_err());
    }

    #[test]
    fn form_bodies() {
        let body = json!({"grant_type": "x", "scope": ["a", "b"], "none": null, "n": 1});
        assert_eq!(
            form_pairs(&body).unwrap(),
            pairs(&[
                ("grant_type", "x"),
                ("scope", "a"),
                ("scope", "b"),
                ("n", "1")
            ])
        );
        assert!(form_pairs(&5).is_err());
    }
}
