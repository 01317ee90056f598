//! A Cargo feature per group of operations, so a crate user who calls ten of a large
//! API's operations compiles those and the types they reach, not every one.
//!
//! # Groups
//! An operation belongs to the group of each of its tags. When no operation of the spec
//! has a tag, the group is the path's resource: the first segment after the segments
//! every path shares (`/v1/pets/{id}` and `/v1/stores` → `pets`, `stores`); a path
//! whose next segment is a parameter, or that has none, is in no group. An operation in
//! no group is always compiled. With fewer than two groups the crate has no features:
//! a single feature would only be a way to compile nothing.
//!
//! # Gates
//! Each feature compiles its group's operations (client methods and their `_stream`
//! methods, parameter structs, body, response and error enums) and every type they
//! reach, through other types too (cycles included). A type or shared error enum that
//! several groups reach is compiled with any of them (`cfg(any(...))`); one that every
//! group of operations reaches, that an operation in no group reaches or that the client itself names
//! (the error-type enum) is always compiled. The types no operation reaches (webhook and
//! callback bodies, schemas only the components list) are one more group, `other-types`,
//! with what they name: they are most of a large API's types (four in five of GitHub's,
//! its webhook payloads). A type's gate is never narrower than the gate of anything that
//! names it, so every feature builds on its own.
//!
//! Feature names are [`crate::naming::feature_names`]'s; `default` enables them all.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Model, Operation, PathPiece, ResponseBody, ResponseShape, Ty, TypeDef, TypeId, TypeKind,
};
use crate::naming::RustIdent;

/// The words of the feature of the types no operation reaches (`other-types`).
const OTHER_NAME: &str = "other types";

/// What that feature stands for, where the others give their tag or path resource.
const OTHER_GROUP: &str = "types no operation uses";

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Whatever features are on.
    Always,
    /// With any of these features on: indices into [`Features::names`], ascending,
    /// never empty and never all of them.
    Any(Vec<usize>),
}

/// The crate's features and the gate of each operation and type.
#[derive(Debug)]
pub(crate) struct Features {
    names: Vec<String>,
    /// What each feature stands for: the tag or path resource, as the spec writes it.
    groups: Vec<String>,
    operations: Vec<Gate>,
    types: Vec<Gate>,
    /// The gate of each error enum several operations share, by its name.
    shared_errors: BTreeMap<RustIdent, Gate>,
}

impl Features {
    /// The features of the crate generated from `model`; `reserved` are names the crate's
    /// manifest already has (its other features and its dependencies).
    pub(crate) fn new(model: &Model, reserved: &[&str]) -> Features {
        let memberships = memberships(&model.operations);
        let mut groups: Vec<String> = Vec::new();
        for raw in memberships.iter().flatten() {
            if !groups.contains(raw) {
                groups.push(raw.clone());
            }
        }
        if groups.len() < 2 {
            return Features::none(model);
        }
        // Each operation's groups: `None` is in no group (always compiled).
        let op_groups: Vec<Option<BTreeSet<usize>>> = memberships
            .iter()
            .map(|raws| {
                let set: BTreeSet<usize> = raws
                    .iter()
                    .filter_map(|raw| groups.iter().position(|g| g == raw))
                    .collect();
                (!set.is_empty()).then_some(set)
            })
            .collect();
        let (reach, other) = reach(model, &op_groups, groups.len());
        let mut raw_names: Vec<String> = groups.clone();
        if other {
            raw_names.push(OTHER_NAME.to_string());
            groups.push(OTHER_GROUP.to_string());
        }
        let names = crate::naming::feature_names(raw_names.iter().map(String::as_str), reserved);
        // Every group of operations (`other` aside) reaching a type makes it always compiled.
        let operation_groups = raw_names.len() - usize::from(other);
        let gate = |always: bool, set: &BTreeSet<usize>| {
            if always || set.is_empty() || set.range(..operation_groups).count() == operation_groups
            {
                Gate::Always
            } else {
                Gate::Any(set.iter().copied().collect())
            }
        };
        let operations: Vec<Gate> = op_groups
            .iter()
            .map(|set| match set {
                None => Gate::Always,
                Some(set) => gate(false, set),
            })
            .collect();
        let types = reach.iter().map(|r| gate(r.always, &r.groups)).collect();
        let mut shared: BTreeMap<RustIdent, Reached> = BTreeMap::new();
        for (op, set) in model.operations.iter().zip(&op_groups) {
            let Some(name) = op.errors.as_ref().and_then(|e| e.shared.as_ref()) else {
                continue;
            };
            let entry = shared.entry(name.clone()).or_default();
            match set {
                None => entry.always = true,
                Some(set) => entry.groups.extend(set),
            }
        }
        let shared_errors = shared
            .into_iter()
            .map(|(name, r)| (name, gate(r.always, &r.groups)))
            .collect();
        Features {
            names,
            groups,
            operations,
            types,
            shared_errors,
        }
    }

    /// No features: everything always compiled.
    pub(crate) fn none(model: &Model) -> Features {
        Features {
            names: Vec::new(),
            groups: Vec::new(),
            operations: vec![Gate::Always; model.operations.len()],
            types: vec![Gate::Always; model.types.len()],
            shared_errors: BTreeMap::new(),
        }
    }

    /// The feature names, in order of the groups' first use in the spec.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The tag or path resource each feature stands for, beside [`Features::names`].
    pub(crate) fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The gate of the operation at `index`: its client methods and its own items.
    pub(crate) fn operation(&self, index: usize) -> &Gate {
        &self.operations[index]
    }

    /// The gate of a type.
    pub(crate) fn type_gate(&self, id: TypeId) -> &Gate {
        &self.types[id.index()]
    }

    /// The gate of the error enum named `shared` that several operations share.
    pub(crate) fn shared_error(&self, shared: &str) -> &Gate {
        self.shared_errors
            .iter()
            .find(|(name, _)| name.as_str() == shared)
            .map_or(&Gate::Always, |(_, gate)| gate)
    }

    /// The names of the features that compile an item behind `gate` (none: always).
    pub(crate) fn of(&self, gate: &Gate) -> Vec<&str> {
        match gate {
            Gate::Always => Vec::new(),
            Gate::Any(groups) => groups.iter().map(|&g| self.names[g].as_str()).collect(),
        }
    }
}

/// Which types each group reaches.
#[derive(Debug, Default, Clone)]
struct Reached {
    /// Reached from something always compiled.
    always: bool,
    groups: BTreeSet<usize>,
}

/// The raw group names (tags or a path resource) of each operation, in spec order.
fn memberships(operations: &[Operation]) -> Vec<Vec<String>> {
    if operations.iter().any(|op| !op.tags.is_empty()) {
        return operations
            .iter()
            .map(|op| {
                let mut tags: Vec<String> = Vec::new();
                for tag in &op.tags {
                    if !tags.contains(tag) {
                        tags.push(tag.clone());
                    }
                }
                tags
            })
            .collect();
    }
    let paths: Vec<Vec<Segment>> = operations
        .iter()
        .map(|op| segments(&op.request_path))
        .collect();
    let shared = paths.first().map_or(0, |first| {
        paths.iter().skip(1).fold(first.len(), |len, path| {
            first
                .iter()
                .zip(path)
                .take(len)
                .take_while(|(a, b)| a == b && matches!(a, Segment::Literal(_)))
                .count()
        })
    });
    paths
        .iter()
        .map(|path| match path.get(shared) {
            Some(Segment::Literal(resource)) => vec![resource.clone()],
            _ => Vec::new(),
        })
        .collect()
}

/// A path segment: literal text, or one with a parameter in it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

fn segments(path: &[PathPiece]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut param = false;
    let end = |text: &mut String, param: &mut bool, out: &mut Vec<Segment>| {
        if *param {
            out.push(Segment::Param);
        } else if !text.is_empty() {
            out.push(Segment::Literal(std::mem::take(text)));
        }
        text.clear();
        *param = false;
    };
    for piece in path {
        match piece {
            PathPiece::Param(_) => param = true,
            PathPiece::Literal(literal) => {
                for c in literal.chars() {
                    if c == '/' {
                        end(&mut text, &mut param, &mut out);
                    } else {
                        text.push(c);
                    }
                }
            }
        }
    }
    end(&mut text, &mut param, &mut out);
    out
}

/// The types `ty` names directly.
fn named(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
            named(inner, out);
        }
        _ => {}
    }
}

/// The types a type's definition names.
fn children(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => named(ty, &mut out),
        TypeKind::Struct(s) => {
            for field in &s.fields {
                named(&field.ty, &mut out);
            }
            if let Some(ty) = &s.additional {
                named(ty, &mut out);
            }
        }
        TypeKind::Union(union) => {
            for variant in &union.variants {
                named(&variant.ty, &mut out);
            }
        }
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::ValueEnum(_) => {}
    }
    out
}

/// The types an operation's items name: its arguments, parameter struct, bodies,
/// responses, errors and stream items.
fn roots(op: &Operation, by_name: &BTreeMap<&str, TypeId>) -> Vec<TypeId> {
    let mut out = Vec::new();
    for param in op.path_params.iter().chain(&op.params) {
        named(&param.ty, &mut out);
    }
    if let Some(id) = op
        .params_type
        .as_ref()
        .and_then(|n| by_name.get(n.as_str()))
    {
        out.push(*id);
    }
    for media in op.body.iter().flat_map(|b| &b.media) {
        named(&media.ty, &mut out);
    }
    let mut body = |body: &ResponseBody| named(&body.ty(), &mut out);
    match &op.response {
        ResponseShape::Single(single) => body(single),
        ResponseShape::ByStatus { variants, .. } => variants.iter().for_each(|v| body(&v.body)),
    }
    for variant in op.errors.iter().flat_map(|e| &e.variants) {
        body(&variant.body);
    }
    if let Some(page) = &op.pagination {
        named(&page.item_ty, &mut out);
    }
    if let Some(stream) = &op.stream {
        named(&stream.item, &mut out);
        for (_, _, ty) in &stream.events {
            named(ty, &mut out);
        }
    }
    out
}

/// Marks everything reachable from `start` with `groups` (`None`: always compiled),
/// stopping where a type has them already, so each type is walked once per group at most.
fn spread(
    reached: &mut [Reached],
    edges: &[Vec<TypeId>],
    start: Vec<TypeId>,
    groups: Option<&BTreeSet<usize>>,
) {
    let mut stack = start;
    while let Some(id) = stack.pop() {
        let entry = &mut reached[id.index()];
        let new = match groups {
            _ if entry.always => false,
            None => {
                entry.always = true;
                true
            }
            Some(groups) => {
                let before = entry.groups.len();
                entry.groups.extend(groups);
                entry.groups.len() != before
            }
        };
        if new {
            stack.extend(edges[id.index()].iter().copied());
        }
    }
}

/// Which groups reach each type, and whether the group `other` has any (the types no
/// operation reaches); `op_groups[i]` is `None` for an operation always compiled.
fn reach(
    model: &Model,
    op_groups: &[Option<BTreeSet<usize>>],
    other: usize,
) -> (Vec<Reached>, bool) {
    let types = &model.types;
    let edges: Vec<Vec<TypeId>> = types.iter().map(children).collect();
    let by_name: BTreeMap<&str, TypeId> = TypeId::all(types)
        .map(|id| (types[id].name.as_str(), id))
        .collect();
    let mut reached = vec![Reached::default(); types.len()];
    if let Some(target) = &model.client.error_type_schema
        && let Some(id) = TypeId::all(types).find(|&id| &types[id].pointer == target)
    {
        spread(&mut reached, &edges, vec![id], None);
    }
    for (op, groups) in model.operations.iter().zip(op_groups) {
        spread(&mut reached, &edges, roots(op, &by_name), groups.as_ref());
    }
    // The types no operation reaches are a group of their own, `other`, with what they name.
    let unreached: Vec<TypeId> = TypeId::all(types)
        .filter(|&id| !reached[id.index()].always && reached[id.index()].groups.is_empty())
        .collect();
    let any_unreached = !unreached.is_empty();
    spread(
        &mut reached,
        &edges,
        unreached,
        Some(&BTreeSet::from([other])),
    );
    (reached, any_unreached)
}

#[cfg(test)]
mod tests {
    use super::{Features, Gate};

    fn features(yaml: &str) -> (crate::ir::Model, Features) {
        let spec = crate::Spec::parse(yaml, "test.yaml").expect("spec parses");
        let model = crate::model(&spec).expect("spec lowers");
        let features = Features::new(&model, &["default"]);
        (model, features)
    }

    fn type_gate(model: &crate::ir::Model, features: &Features, name: &str) -> Vec<String> {
        let id = crate::ir::TypeId::all(&model.types)
            .find(|&id| model.types[id].name == name)
            .unwrap_or_else(|| panic!("no type {name}"));
        features
            .of(features.type_gate(id))
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    const TAGGED: &str = r##"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /pets:
    get:
      operationId: list_pets
      tags: [Pets]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
  /stores:
    get:
      operationId: list_stores
      tags: [Stores, Pets]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Store'}}}}}
  /users:
    get:
      operationId: list_users
      tags: [User Accounts]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}}
  /health:
    get:
      operationId: health
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Health'}}}}}
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}}}
    Owner: {type: object, properties: {pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
    Store: {type: object, properties: {name: {type: string}, color: {$ref: '#/components/schemas/Color'}}}
    Color: {type: object, properties: {rgb: {type: string}}}
    User: {type: object, properties: {status: {$ref: '#/components/schemas/Status'}}}
    Health: {type: object, properties: {status: {$ref: '#/components/schemas/Status'}}}
    Status: {type: string, enum: [ok, bad]}
    Unused: {type: object, properties: {color: {$ref: '#/components/schemas/Color'}}}
"##;

    #[test]
    fn tags_gate_operations_and_what_they_reach() {
        let (model, features) = features(TAGGED);
        assert_eq!(
            features.names(),
            ["pets", "stores", "user-accounts", "other-types"]
        );
        assert_eq!(
            features.groups(),
            ["Pets", "Stores", "User Accounts", "types no operation uses"]
        );
        let op = |i: usize| features.of(features.operation(i));
        assert_eq!(op(0), ["pets"]);
        // Several tags: compiled with any of them.
        assert_eq!(op(1), ["pets", "stores"]);
        assert_eq!(op(2), ["user-accounts"]);
        // No tag: always.
        assert_eq!(features.operation(3), &Gate::Always);
        // Through another type, and around a cycle.
        assert_eq!(type_gate(&model, &features, "Pet"), ["pets"]);
        assert_eq!(type_gate(&model, &features, "Owner"), ["pets"]);
        assert_eq!(type_gate(&model, &features, "Store"), ["pets", "stores"]);
        assert_eq!(type_gate(&model, &features, "User"), ["user-accounts"]);
        // Reached by an operation in no group.
        assert!(type_gate(&model, &features, "Status").is_empty());
        // Reached by no operation: the group of their own, with what they name.
        assert_eq!(type_gate(&model, &features, "Unused"), ["other-types"]);
        assert_eq!(
            type_gate(&model, &features, "Color"),
            ["pets", "stores", "other-types"]
        );
    }

    #[test]
    fn path_resources_group_a_spec_without_tags() {
        let spec = r##"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /v1/pets:
    get: {operationId: list_pets, responses: {'200': {description: ok}}}
  /v1/pets/{id}:
    get:
      operationId: get_pet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /v1/stores?mode=all:
    get: {operationId: list_stores, responses: {'200': {description: ok}}}
  /v1:
    get: {operationId: root, responses: {'200': {description: ok}}}
  /v1/{any}:
    get:
      operationId: any
      parameters: [{name: any, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"##;
        let (_, features) = features(spec);
        assert_eq!(features.names(), ["pets", "stores"]);
        let op = |i: usize| features.of(features.operation(i));
        assert_eq!(op(0), ["pets"]);
        assert_eq!(op(1), ["pets"]);
        assert_eq!(op(2), ["stores"]);
        assert!(op(3).is_empty());
        assert!(op(4).is_empty());
    }

    #[test]
    fn one_group_makes_no_features() {
        let spec = r##"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /pets:
    get: {operationId: list_pets, tags: [Pets], responses: {'200': {description: ok}}}
  /pets/{id}:
    get:
      operationId: get_pet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"##;
        let (_, features) = features(spec);
        assert!(features.names().is_empty());
        assert_eq!(features.operation(0), &Gate::Always);
    }
}
