//! OpenAPI Overlay documents (1.0 and 1.1): ordered actions, each a JSONPath (RFC 9535)
//! `target` with an `update`, a `remove` or a 1.1 `copy`, applied to the raw document
//! before anything else reads it.
//!
//! JSONPath queries are answered by `serde_json_path`, which implements RFC 9535 in full
//! and gives every match as a normalized path; the actions themselves follow the Overlay
//! 1.1 text (merge: objects recursively, arrays concatenated, primitives replaced).
//!
//! One rule is stricter than the Overlay specification, on purpose: an action whose
//! target matches nothing is an error naming the action, not a silent no-op. An overlay
//! kept beside a document someone else publishes must say when that document drifted
//! away from what the overlay was written against.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::Error;

/// A parsed overlay document, with its text kept so errors can point into it.
#[derive(Debug, Clone)]
pub struct Overlay {
    actions: Vec<Action>,
    /// The root object, for extensions read by later stages (`x-select`).
    raw: Value,
    source_name: String,
    text: String,
}

#[derive(Debug, Clone)]
struct Action {
    index: usize,
    description: Option<String>,
    target_text: String,
    target: JsonPath,
    kind: ActionKind,
}

#[derive(Debug, Clone)]
enum ActionKind {
    Update(Value),
    Copy { from_text: String, from: JsonPath },
    Remove,
}

impl Overlay {
    /// Reads an overlay (YAML or JSON); `source_name` (a file path) is quoted in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<Overlay, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw = crate::spec::load::read_value(text).map_err(|mut e| {
            e.source_name = Some(source_name.to_string());
            e
        })?;
        let mut overlay = Overlay {
            actions: Vec::new(),
            raw: Value::Null,
            source_name: source_name.to_string(),
            text: text.to_string(),
        };
        overlay.actions = overlay.read_actions(&raw)?;
        overlay.raw = raw;
        Ok(overlay)
    }

    /// Name of the overlay's source, as given to [`Overlay::parse`].
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// Stable hash of the overlay's text, as [`crate::fingerprint`] computes it.
    pub fn fingerprint(&self) -> String {
        crate::spec::load::fingerprint(&self.text)
    }

    /// The root object's value for `key` (an `x-` extension), if any.
    pub(crate) fn extension(&self, key: &str) -> Option<&Value> {
        self.raw.get(key)
    }

    /// An error at `pointer` in the overlay's text.
    pub(crate) fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error {
            source_name: Some(self.source_name.clone()),
            pointer: pointer.to_string(),
            location: crate::spec::locate::position(&self.text, pointer),
            message: message.into(),
        }
    }

    fn read_actions(&self, raw: &Value) -> Result<Vec<Action>, Error> {
        let Some(root) = raw.as_object() else {
            return Err(self.error("#", "an overlay document is an object"));
        };
        match root.get("overlay") {
            Some(Value::String(v)) if v.starts_with("1.0.") || v.starts_with("1.1.") => {}
            Some(Value::String(v)) => {
                return Err(self.error(
                    "#/overlay",
                    format!(
                        "Overlay {v} is not supported; this generator reads Overlay 1.0.x and 1.1.x"
                    ),
                ));
            }
            _ => {
                return Err(self.error("#", "not an Overlay document: no `overlay` version string"));
            }
        }
        let copy_allowed = root
            .get("overlay")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("1.1."));
        let actions = match root.get("actions") {
            Some(Value::Array(actions)) if !actions.is_empty() => actions,
            _ => {
                return Err(self.error(
                    "#",
                    "an overlay needs `actions`, a list of at least one action",
                ));
            }
        };
        actions
            .iter()
            .enumerate()
            .map(|(index, action)| self.read_action(index, action, copy_allowed))
            .collect()
    }

    fn read_action(
        &self,
        index: usize,
        action: &Value,
        copy_allowed: bool,
    ) -> Result<Action, Error> {
        let at = format!("#/actions/{index}");
        let Some(object) = action.as_object() else {
            return Err(self.error(&at, format!("action {index} is not an object")));
        };
        let description = object
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        let named = Named {
            index,
            description: description.as_deref(),
        };
        let Some(target_text) = object.get("target").and_then(Value::as_str) else {
            return Err(self.error(&at, format!("{named} has no `target` JSONPath")));
        };
        let target = JsonPath::parse(target_text).map_err(|e| {
            self.error(
                &format!("{at}/target"),
                format!("{named}: `{target_text}` is not a JSONPath (RFC 9535): {e}"),
            )
        })?;
        let remove = match object.get("remove") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => {
                return Err(self.error(
                    &format!("{at}/remove"),
                    format!("{named}: `remove` is true or false"),
                ));
            }
        };
        // Precedence as the specification gives it: remove, then update, then copy.
        let kind = if remove {
            ActionKind::Remove
        } else if let Some(update) = object.get("update") {
            ActionKind::Update(update.clone())
        } else if let Some(from) = object.get("copy") {
            if !copy_allowed {
                return Err(self.error(
                    &format!("{at}/copy"),
                    format!("{named}: `copy` needs an Overlay 1.1 document (`overlay: 1.1.0`)"),
                ));
            }
            let Some(from_text) = from.as_str() else {
                return Err(self.error(
                    &format!("{at}/copy"),
                    format!("{named}: `copy` is a JSONPath"),
                ));
            };
            let from = JsonPath::parse(from_text).map_err(|e| {
                self.error(
                    &format!("{at}/copy"),
                    format!("{named}: `{from_text}` is not a JSONPath (RFC 9535): {e}"),
                )
            })?;
            ActionKind::Copy {
                from_text: from_text.to_string(),
                from,
            }
        } else {
            return Err(self.error(
                &at,
                format!("{named} has none of `update`, `remove: true` or `copy`"),
            ));
        };
        Ok(Action {
            index,
            description,
            target_text: target_text.to_string(),
            target,
            kind,
        })
    }

    /// Applies every action in order to `document`. On error the document may be
    /// half-changed; callers apply to a value they can throw away.
    pub fn apply(&self, document: &mut Value) -> Result<(), Error> {
        self.apply_tracked(document).map(drop)
    }

    /// [`Overlay::apply`], also telling which nodes each action wrote.
    pub(crate) fn apply_tracked(&self, document: &mut Value) -> Result<Vec<Touched>, Error> {
        let mut touched = Vec::new();
        for action in &self.actions {
            let mut written = Vec::new();
            self.apply_action(action, document, &mut written)?;
            touched.extend(written.into_iter().map(|pointer| Touched {
                pointer,
                action: action.index,
            }));
        }
        Ok(touched)
    }

    fn apply_action(
        &self,
        action: &Action,
        document: &mut Value,
        written: &mut Vec<String>,
    ) -> Result<(), Error> {
        let named = Named {
            index: action.index,
            description: action.description.as_deref(),
        };
        let at = format!("#/actions/{}", action.index);
        let fail = |message: String| self.error(&at, format!("{named}: {message}"));
        let targets: Vec<String> = action
            .target
            .query_located(document)
            .locations()
            .map(|path| path.to_json_pointer())
            .collect();
        if targets.is_empty() {
            return Err(self.error(
                &format!("{at}/target"),
                format!(
                    "{named}: target `{}` matches nothing in the document; the document may \
                     have changed since the overlay was written",
                    action.target_text
                ),
            ));
        }
        let value = match &action.kind {
            ActionKind::Remove => return remove_all(document, &targets).map_err(fail),
            ActionKind::Update(value) => value.clone(),
            ActionKind::Copy { from_text, from } => {
                let found = from.query(document).all();
                match found.as_slice() {
                    [one] => (*one).clone(),
                    [] => return Err(fail(format!("copy source `{from_text}` matches nothing"))),
                    many => {
                        return Err(fail(format!(
                            "copy source `{from_text}` matches {} nodes; it must match one",
                            many.len()
                        )));
                    }
                }
            }
        };
        for target in &targets {
            let Some(node) = document.pointer_mut(target) else {
                continue;
            };
            update(node, &value, target, written)
                .map_err(|why| fail(format!("at #{target}: {why}")))?;
        }
        Ok(())
    }
}

/// A node an action wrote: inserted, replaced or appended.
#[derive(Debug, Clone)]
pub(crate) struct Touched {
    /// JSON pointer (`#/...`) of the node in the overlaid document.
    pointer: String,
    action: usize,
}

impl Touched {
    /// The last action that wrote `pointer` or a node holding it.
    pub(crate) fn last_covering(touched: &[Touched], pointer: &str) -> Option<usize> {
        touched
            .iter()
            .rev()
            .find(|t| {
                pointer
                    .strip_prefix(t.pointer.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .map(|t| t.action)
    }
}

/// How an action is named in messages: its index and, when it has one, its description.
struct Named<'a> {
    index: usize,
    description: Option<&'a str>,
}

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "action {}", self.index)?;
        if let Some(description) = self.description {
            write!(f, " (\"{description}\")")?;
        }
        Ok(())
    }
}

/// Applies an `update` (or copied) value to the node at `at` (a JSON pointer without
/// `#`), recording in `written` each node it writes.
fn update(
    node: &mut Value,
    value: &Value,
    at: &str,
    written: &mut Vec<String>,
) -> Result<(), String> {
    match (node, value) {
        (Value::Object(target), Value::Object(update)) => merge(target, update, at, written),
        (Value::Array(target), Value::Array(items)) => {
            append(target, items, at, written);
            Ok(())
        }
        (Value::Array(target), item) => {
            append(target, std::slice::from_ref(item), at, written);
            Ok(())
        }
        (target, update) if is_primitive(target) && is_primitive(update) => {
            *target = update.clone();
            written.push(format!("#{at}"));
            Ok(())
        }
        (target, update) => Err(format!(
            "cannot update {} with {}",
            kind_name(target),
            kind_name(update)
        )),
    }
}

/// The Overlay merge: a property only in the update is inserted; in both, primitives are
/// replaced, arrays concatenated, objects merged recursively; other pairs are an error.
fn merge(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
    at: &str,
    written: &mut Vec<String>,
) -> Result<(), String> {
    for (key, new) in update {
        let here = format!("{at}/{}", crate::spec::pointer::escape(key));
        let Some(old) = target.get_mut(key) else {
            target.insert(key.clone(), new.clone());
            written.push(format!("#{here}"));
            continue;
        };
        match (old, new) {
            (Value::Object(old), Value::Object(new)) => {
                merge(old, new, &here, written).map_err(|why| format!("{key}: {why}"))?
            }
            (Value::Array(old), Value::Array(new)) => append(old, new, &here, written),
            (old, new) if is_primitive(old) && is_primitive(new) => {
                *old = new.clone();
                written.push(format!("#{here}"));
            }
            (old, new) => {
                return Err(format!(
                    "property `{key}`: cannot merge {} into {}",
                    kind_name(new),
                    kind_name(old)
                ));
            }
        }
    }
    Ok(())
}

fn append(target: &mut Vec<Value>, items: &[Value], at: &str, written: &mut Vec<String>) {
    for item in items {
        written.push(format!("#{at}/{}", target.len()));
        target.push(item.clone());
    }
}

fn is_primitive(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        _ => "a primitive value",
    }
}

/// Removes every node at `targets` (JSON pointers in document order) from its parent.
fn remove_all(document: &mut Value, targets: &[String]) -> Result<(), String> {
    // Last first: an array's later indexes, and a node's children, go before what holds them.
    for target in targets.iter().rev() {
        let Some((parent, last)) = target.rsplit_once('/') else {
            return Err("the document's root cannot be removed".to_string());
        };
        let key = last.replace("~1", "/").replace("~0", "~");
        match document.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = key.parse::<usize>()
                    && index < items.len()
                {
                    items.remove(index);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Overlay;

    fn apply(overlay: &str, mut document: serde_json::Value) -> Result<serde_json::Value, String> {
        let overlay = Overlay::parse(overlay, "overlay.yaml").map_err(|e| e.to_string())?;
        overlay.apply(&mut document).map_err(|e| e.to_string())?;
        Ok(document)
    }

    #[test]
    fn update_merges_objects_recursively_and_concatenates_arrays() {
        let document = json!({
            "info": {"title": "A", "contact": {"name": "n", "url": "u"}},
            "tags": [{"name": "one"}],
            "servers": [{"url": "x"}]
        });
        let overlay = r#"
overlay: 1.1.0
info: {title: t, version: "1"}
actions:
  - target: $
    update:
      info: {title: B, contact: {url: v}, x-extra: true}
      tags: [{name: two}]
  - target: $.servers
    update: {url: y}
"#;
        let out = apply(overlay, document).unwrap();
        assert_eq!(
            out,
            json!({
                "info": {"title": "B", "contact": {"name": "n", "url": "v"}, "x-extra": true},
                "tags": [{"name": "one"}, {"name": "two"}],
                "servers": [{"url": "x"}, {"url": "y"}]
            })
        );
    }

    #[test]
    fn update_replaces_primitives_and_refuses_incompatible_pairs() {
        let document = json!({"info": {"title": "A", "tags": ["a"]}});
        let ok = "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info.title\n    update: B\n";
        assert_eq!(apply(ok, document.clone()).unwrap()["info"]["title"], "B");
        let bad = "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    description: tags as text\n    update: {tags: text}\n";
        let error = apply(bad, document).unwrap_err();
        assert!(error.contains("action 0 (\"tags as text\")"), "{error}");
        assert!(
            error.contains("cannot merge a primitive value into an array"),
            "{error}"
        );
    }

    #[test]
    fn filters_select_array_items_and_remove_takes_them_out() {
        let document = json!({"paths": {
            "/a": {"get": {"parameters": [
                {"name": "x-api-key", "in": "header"},
                {"name": "limit", "in": "query"},
                {"name": "x-api-key", "in": "header"}
            ]}},
            "/b": {"post": {"parameters": [{"name": "x-api-key", "in": "header"}]}}
        }});
        let overlay = r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.paths.*.*.parameters[?@.name == 'x-api-key']
    remove: true
  - target: $.paths.*.*.parameters[?@.in == 'query']
    update: {required: false}
"#;
        let out = apply(overlay, document).unwrap();
        assert_eq!(
            out,
            json!({"paths": {
                "/a": {"get": {"parameters": [{"name": "limit", "in": "query", "required": false}]}},
                "/b": {"post": {"parameters": []}}
            }})
        );
    }

    #[test]
    fn copy_merges_one_node_into_the_targets() {
        let document =
            json!({"paths": {"/items": {"get": {"summary": "list"}}, "/other": {"delete": {}}}});
        let overlay = r#"
overlay: 1.1.0
info: {title: t, version: "1"}
actions:
  - target: $.paths['/other']
    copy: $.paths['/items']
  - target: $.paths['/items']
    remove: true
"#;
        let out = apply(overlay, document.clone()).unwrap();
        assert_eq!(
            out,
            json!({"paths": {"/other": {"delete": {}, "get": {"summary": "list"}}}})
        );
        let in_10 = overlay.replace("1.1.0", "1.0.0");
        let error = apply(&in_10, document.clone()).unwrap_err();
        assert!(error.contains("needs an Overlay 1.1 document"), "{error}");
        let two_sources = "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/other']\n    copy: $.paths.*\n";
        let error = apply(two_sources, document).unwrap_err();
        assert!(error.contains("matches 2 nodes"), "{error}");
    }

    #[test]
    fn a_target_that_matches_nothing_names_the_action_and_its_place() {
        let overlay = "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {x-a: 1}\n  - target: $.paths['/gone'].get\n    description: rename the gone operation\n    update: {operationId: gone}\n";
        let error = apply(overlay, json!({"info": {}, "paths": {}})).unwrap_err();
        assert!(
            error.starts_with("overlay.yaml:6:5: at #/actions/1/target: action 1 (\"rename the gone operation\"): target `$.paths['/gone'].get` matches nothing"),
            "{error}"
        );
    }

    #[test]
    fn malformed_overlays_are_refused_with_their_place() {
        let cases = [
            ("openapi: 3.1.0\n", "not an Overlay document"),
            (
                "overlay: 2.0.0\ninfo: {}\nactions: []\n",
                "Overlay 2.0.0 is not supported",
            ),
            (
                "overlay: 1.0.0\ninfo: {}\nactions: []\n",
                "at least one action",
            ),
            (
                "overlay: 1.0.0\ninfo: {}\nactions:\n  - target: $..[\n    remove: true\n",
                "overlay.yaml:4:5: at #/actions/0/target: action 0: `$..[` is not a JSONPath",
            ),
            (
                "overlay: 1.0.0\ninfo: {}\nactions:\n  - target: $\n",
                "action 0 has none of",
            ),
            ("overlay: [", "invalid YAML"),
        ];
        for (text, expected) in cases {
            let error = Overlay::parse(text, "overlay.yaml")
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }

    #[test]
    fn the_root_cannot_be_removed() {
        let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $\n    remove: true\n";
        let error = apply(overlay, json!({})).unwrap_err();
        assert!(error.contains("root cannot be removed"), "{error}");
    }
}
