//! Which operations an SDK contains, chosen by rule, and the pruning of everything under
//! `components` that the chosen operations no longer reach.
//!
//! The rule is the overlay's root extension `x-select`, matched against the document as
//! published (before the overlay's actions run), so an operation added upstream under a
//! selected resource appears at the next regeneration:
//!
//! ```yaml
//! x-select:
//!   include:                      # an operation is kept when any rule matches it ...
//!     - path-prefix: /v1/skills   #   the path is this, or goes on with `/`, `?` or `#`
//!       operation-id: beta_*      #   `*` matches any run of characters
//!       tag: Skills               #   one of the operation's tags
//!   exclude:                      # ... and no rule here does
//!     - operation-id: "*_delete"
//! ```
//!
//! Within one rule every field given must match. Pruning keeps a component when a `$ref`
//! outside `components` leads to it, directly or through other components; a string that
//! starts with `#/` inside an `x-` extension counts as a reference too, since extensions
//! such as `x-client` name schemas that way. Security schemes are always kept: they are
//! named by `security`, not referenced.

use std::collections::HashSet;

use serde_json::Value;

use crate::error::Error;
use crate::spec::view::{ADDITIONAL_OPERATIONS, HttpMethod};

/// The rule of `x-select`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    include: Vec<Rule>,
    exclude: Vec<Rule>,
}

#[derive(Debug, Clone, Default)]
struct Rule {
    path_prefix: Option<String>,
    operation_id: Option<String>,
    tag: Option<String>,
}

/// What a selection kept, for the user to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectionSummary {
    /// Operations the selection kept.
    pub operations_kept: usize,
    /// Operations in the document.
    pub operations_total: usize,
    /// Schemas that pruning kept: those the kept operations still reach.
    pub schemas_kept: usize,
    /// Schemas in the document.
    pub schemas_total: usize,
}

impl Selection {
    /// Reads `x-select`; `at` is its JSON pointer, for errors (which the caller locates).
    pub(crate) fn read(value: &Value, at: &str) -> Result<Selection, Error> {
        let Some(object) = value.as_object() else {
            return Err(Error::unsupported(
                at,
                "`x-select` is an object with `include` and optionally `exclude`",
            ));
        };
        let rules = |key: &str| -> Result<Vec<Rule>, Error> {
            let Some(list) = object.get(key) else {
                return Ok(Vec::new());
            };
            let Some(list) = list.as_array() else {
                return Err(Error::unsupported(format!("{at}/{key}"), "a list of rules"));
            };
            list.iter()
                .enumerate()
                .map(|(i, rule)| Rule::read(rule, &format!("{at}/{key}/{i}")))
                .collect()
        };
        for key in object.keys() {
            if key != "include" && key != "exclude" {
                return Err(Error::unsupported(
                    format!("{at}/{}", crate::spec::pointer::escape(key)),
                    format!("`x-select` has `include` and `exclude`, not `{key}`"),
                ));
            }
        }
        let selection = Selection {
            include: rules("include")?,
            exclude: rules("exclude")?,
        };
        if selection.include.is_empty() {
            return Err(Error::unsupported(
                at,
                "`x-select` needs at least one `include` rule",
            ));
        }
        Ok(selection)
    }

    fn keeps(&self, path: &str, operation: &Value) -> bool {
        self.include
            .iter()
            .any(|rule| rule.matches(path, operation))
            && !self
                .exclude
                .iter()
                .any(|rule| rule.matches(path, operation))
    }

    /// Removes the operations the rule does not keep (and path items left without one).
    /// Refuses a rule that keeps nothing. Pruning comes later ([`Selected::prune`]), once
    /// the overlay's actions have added what they add.
    pub(crate) fn remove_unselected(&self, document: &mut Value) -> Result<Selected, Error> {
        let mut kept = 0;
        let mut total = 0;
        if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
            paths.retain(|path, item| {
                let Some(item) = item.as_object_mut() else {
                    return false;
                };
                let mut dropped = false;
                let mut decide = |operation: &Value| {
                    total += 1;
                    let keep = self.keeps(path, operation);
                    kept += usize::from(keep);
                    dropped |= !keep;
                    keep
                };
                item.retain(|key, operation| {
                    if key == ADDITIONAL_OPERATIONS {
                        // 3.2: operations by method names of their own.
                        if let Some(operations) = operation.as_object_mut() {
                            operations.retain(|_, operation| decide(operation));
                            return !operations.is_empty();
                        }
                        return true;
                    }
                    if HttpMethod::from_key(key).is_none() {
                        return true;
                    }
                    decide(operation)
                });
                !dropped
                    || item.keys().any(|key| {
                        HttpMethod::from_key(key).is_some() || key == ADDITIONAL_OPERATIONS
                    })
            });
        }
        if kept == 0 {
            return Err(Error::unsupported(
                "#/x-select",
                format!("`x-select` keeps none of the document's {total} operations"),
            ));
        }
        Ok(Selected { kept, total })
    }
}

/// The operations a rule kept, until pruning completes the summary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Selected {
    kept: usize,
    total: usize,
}

impl Selected {
    /// Removes every component the kept operations do not reach.
    pub(crate) fn prune(self, document: &mut Value) -> SelectionSummary {
        let (schemas_kept, schemas_total) = prune(document);
        SelectionSummary {
            operations_kept: self.kept,
            operations_total: self.total,
            schemas_kept,
            schemas_total,
        }
    }
}

impl Rule {
    fn read(value: &Value, at: &str) -> Result<Rule, Error> {
        let Some(object) = value.as_object() else {
            return Err(Error::unsupported(
                at,
                "a rule is an object of `path-prefix`, `operation-id` and `tag`",
            ));
        };
        let mut rule = Rule::default();
        for (key, field) in object {
            let Some(text) = field.as_str() else {
                return Err(Error::unsupported(
                    format!("{at}/{}", crate::spec::pointer::escape(key)),
                    format!("`{key}` is text"),
                ));
            };
            let slot = match key.as_str() {
                "path-prefix" => &mut rule.path_prefix,
                "operation-id" => &mut rule.operation_id,
                "tag" => &mut rule.tag,
                other => {
                    return Err(Error::unsupported(
                        format!("{at}/{}", crate::spec::pointer::escape(other)),
                        format!(
                            "a rule has `path-prefix`, `operation-id` and `tag`, not `{other}`"
                        ),
                    ));
                }
            };
            *slot = Some(text.to_string());
        }
        if rule.path_prefix.is_none() && rule.operation_id.is_none() && rule.tag.is_none() {
            return Err(Error::unsupported(
                at,
                "an empty rule would match every operation",
            ));
        }
        Ok(rule)
    }

    fn matches(&self, path: &str, operation: &Value) -> bool {
        let prefix_ok = self.path_prefix.as_deref().is_none_or(|prefix| {
            let prefix = prefix.trim_end_matches('/');
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
        });
        let id_ok = self.operation_id.as_deref().is_none_or(|pattern| {
            operation
                .get("operationId")
                .and_then(Value::as_str)
                .is_some_and(|id| glob(pattern, id))
        });
        let tag_ok = self.tag.as_deref().is_none_or(|tag| {
            operation
                .get("tags")
                .and_then(Value::as_array)
                .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(tag)))
        });
        prefix_ok && id_ok && tag_ok
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last) && rest.len() >= last.len()
}

/// Removes every component nothing outside `components` reaches; returns how many
/// schemas were kept and how many there were.
fn prune(document: &mut Value) -> (usize, usize) {
    let mut reached: HashSet<(String, String)> = HashSet::new();
    let mut queue: Vec<String> = Vec::new();
    if let Some(root) = document.as_object() {
        for (key, value) in root {
            if key != "components" {
                references(value, key.starts_with("x-"), &mut queue);
            }
        }
    }
    if let Some(components) = document.get("components").and_then(Value::as_object) {
        for (key, value) in components {
            if key.starts_with("x-") {
                references(value, true, &mut queue);
            }
        }
    }
    while let Some(reference) = queue.pop() {
        let Some((kind, name)) = component_of(&reference) else {
            continue;
        };
        if !reached.insert((kind.clone(), name.clone())) {
            continue;
        }
        if let Some(node) = document
            .get("components")
            .and_then(|c| c.get(&kind))
            .and_then(|k| k.get(&name))
        {
            references(node, false, &mut queue);
        }
    }
    let total = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, |schemas| schemas.len());
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        for (kind, entries) in components.iter_mut() {
            if kind == "securitySchemes" || kind.starts_with("x-") {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| {
                    name.starts_with("x-") || reached.contains(&(kind.clone(), name.clone()))
                });
            }
        }
    }
    let kept = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, |schemas| schemas.len());
    (kept, total)
}

/// Collects the local references under `value`: every `$ref` string, and inside an `x-`
/// extension every string that starts with `#/`.
fn references(value: &Value, in_extension: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match child {
                    Value::String(text) if key == "$ref" => out.push(text.clone()),
                    _ => references(child, in_extension || key.starts_with("x-"), out),
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| references(item, in_extension, out)),
        Value::String(text) if in_extension && text.starts_with("#/") => out.push(text.clone()),
        _ => {}
    }
}

/// `#/components/schemas/Pet/properties/x` → (`schemas`, `Pet`), tokens unescaped.
fn component_of(reference: &str) -> Option<(String, String)> {
    let canonical = crate::spec::pointer::canonical(reference);
    let mut tokens = canonical.strip_prefix("#/components/")?.split('/');
    let unescape = |t: &str| t.replace("~1", "/").replace("~0", "~");
    let kind = unescape(tokens.next()?);
    let name = unescape(tokens.next()?);
    Some((kind, name))
}

/// The names of the component schemas left in `document` (for tests and summaries).
#[cfg(test)]
fn schema_names(document: &Value) -> std::collections::BTreeSet<String> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Selection, glob, schema_names};

    fn document() -> serde_json::Value {
        json!({
            "openapi": "3.1.0",
            "x-client": {"error-type-schema": "#/components/schemas/ErrorType"},
            "paths": {
                "/v1/skills": {
                    "get": {"operationId": "list_skills", "tags": ["Skills"], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/SkillList"}}}}}}
                },
                "/v1/skills?beta=true": {
                    "get": {"operationId": "beta_list_skills", "tags": ["Skills"], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/BetaSkillList"}}}}}},
                    "delete": {"operationId": "beta_delete_skills", "responses": {"200": {"$ref": "#/components/responses/Deleted"}}}
                },
                "/v1/skillsets": {
                    "get": {"operationId": "beta_list_skillsets", "responses": {}}
                },
                "/v1/messages?beta=true": {
                    "parameters": [],
                    "post": {"operationId": "beta_messages_post", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}}}}
                }
            },
            "components": {
                "schemas": {
                    "SkillList": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Skill"}}}},
                    "BetaSkillList": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/BetaSkill"}}}},
                    "Skill": {"type": "object"},
                    "BetaSkill": {"type": "object", "properties": {"self": {"$ref": "#/components/schemas/BetaSkill"}}},
                    "Deleted": {"type": "object"},
                    "Message": {"type": "object"},
                    "ErrorType": {"type": "string"},
                    "Unused": {"type": "string"}
                },
                "responses": {
                    "Deleted": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deleted"}}}},
                    "Unused": {"description": "u"}
                },
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "x-api-key"}}
            }
        })
    }

    fn select(
        rule: serde_json::Value,
    ) -> Result<(serde_json::Value, super::SelectionSummary), String> {
        let selection = Selection::read(&rule, "#/x-select").map_err(|e| e.to_string())?;
        let mut doc = document();
        let selected = selection
            .remove_unselected(&mut doc)
            .map_err(|e| e.to_string())?;
        let summary = selected.prune(&mut doc);
        Ok((doc, summary))
    }

    #[test]
    fn a_path_prefix_and_an_operation_id_pattern_keep_one_resource_and_prune_the_rest() {
        let (doc, summary) =
            select(json!({"include": [{"path-prefix": "/v1/skills", "operation-id": "beta_*"}]}))
                .unwrap();
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/v1/skills?beta=true"]);
        // Reached through a path, a `$ref` inside a component, a response component, and
        // the string an `x-` extension holds.
        assert_eq!(
            schema_names(&doc),
            ["BetaSkill", "BetaSkillList", "Deleted", "ErrorType"]
                .map(String::from)
                .into()
        );
        assert_eq!(
            doc["components"]["responses"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["Deleted"]
        );
        assert!(doc["components"]["securitySchemes"]["key"].is_object());
        assert_eq!(
            (
                summary.operations_kept,
                summary.operations_total,
                summary.schemas_kept,
                summary.schemas_total
            ),
            (2, 5, 4, 8)
        );
    }

    #[test]
    fn operations_of_additional_methods_are_selected_like_the_others() {
        let rule = json!({"include": [{"operation-id": "lock_*"}]});
        let selection = Selection::read(&rule, "#/x-select").unwrap();
        let mut doc = json!({
            "openapi": "3.2.0",
            "paths": {
                "/a": {"additionalOperations": {
                    "LOCK": {"operationId": "lock_a", "responses": {}},
                    "UNLOCK": {"operationId": "unlock_a", "responses": {}},
                }},
                "/b": {"additionalOperations": {"PURGE": {"operationId": "purge_b", "responses": {}}}},
            },
        });
        selection
            .remove_unselected(&mut doc)
            .unwrap()
            .prune(&mut doc);
        assert_eq!(
            doc["paths"],
            json!({"/a": {"additionalOperations": {"LOCK": {"operationId": "lock_a", "responses": {}}}}})
        );
    }

    #[test]
    fn exclude_and_tag_rules_narrow_the_selection() {
        let (doc, _) = select(json!({
            "include": [{"tag": "Skills"}],
            "exclude": [{"operation-id": "*_delete_*"}, {"operation-id": "list_skills"}]
        }))
        .unwrap();
        assert_eq!(doc["paths"].as_object().unwrap().len(), 1);
        let item = doc["paths"]["/v1/skills?beta=true"].as_object().unwrap();
        assert_eq!(item.keys().collect::<Vec<_>>(), ["get"]);
        assert!(!schema_names(&doc).contains("Deleted"));
    }

    #[test]
    fn a_rule_that_keeps_nothing_or_is_malformed_is_refused() {
        let none = select(json!({"include": [{"path-prefix": "/v2"}]})).unwrap_err();
        assert!(
            none.contains("keeps none of the document's 5 operations"),
            "{none}"
        );
        let empty = select(json!({"include": [{}]})).unwrap_err();
        assert!(empty.contains("would match every operation"), "{empty}");
        let unknown = select(json!({"include": [{"path": "/v1"}]})).unwrap_err();
        assert!(unknown.contains("not `path`"), "{unknown}");
        let no_include = select(json!({"exclude": [{"tag": "x"}]})).unwrap_err();
        assert!(
            no_include.contains("at least one `include`"),
            "{no_include}"
        );
    }

    #[test]
    fn path_prefixes_stop_at_segment_boundaries() {
        let (doc, _) = select(json!({"include": [{"path-prefix": "/v1/skills/"}]})).unwrap();
        assert!(doc["paths"].get("/v1/skillsets").is_none());
        assert!(doc["paths"].get("/v1/skills").is_some());
    }

    #[test]
    fn globs() {
        assert!(glob("beta_*", "beta_list"));
        assert!(glob("*_get", "list_skills_get"));
        assert!(glob("a*b*c", "a-b-c"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
        assert!(!glob("a*b", "ab-"));
        assert!(!glob("ab*ba", "aba"));
        assert!(glob("*", ""));
    }
}
