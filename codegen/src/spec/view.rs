//! The typed view of a loaded document: small `Copy`-cheap wrappers over the raw JSON
//! that know their JSON pointer and answer in OpenAPI's terms. This is the one place
//! that spells OpenAPI's keywords; the lowering stages ask these views, never the JSON.
//!
//! Views borrow the document (no copy of any schema), so a 13 MB description costs no
//! second tree; a child view's pointer is built when it is asked for, as errors need it.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Number, Value};

use crate::error::Error;
use crate::spec::pointer;

/// An operation's HTTP method: a fixed field of the Path Item Object (`get`, …, and 3.2's
/// `query`), in the order the generator visits them, or a key of 3.2's
/// `additionalOperations` (any other method, spelled as it is sent).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// `QUERY` (OpenAPI 3.2): a safe request that carries a body.
    Query,
    /// A method of `additionalOperations`, as sent on the wire (`LOCK`, `PURGE`).
    Other(String),
}

impl HttpMethod {
    /// The fixed fields of a Path Item Object that hold operations.
    pub(crate) const ALL: [HttpMethod; 9] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
        HttpMethod::Query,
    ];

    /// The Path Item key (`get`), or the `additionalOperations` key.
    pub(crate) fn key(&self) -> &str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
            HttpMethod::Query => "query",
            HttpMethod::Other(name) => name,
        }
    }

    /// The method as sent on the wire (`GET`).
    pub(crate) fn wire(&self) -> &str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Query => "QUERY",
            HttpMethod::Other(name) => name,
        }
    }

    /// The method of a Path Item key, if it is one of the fixed fields.
    pub(crate) fn from_key(key: &str) -> Option<HttpMethod> {
        HttpMethod::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The method an `additionalOperations` key names: a fixed field's method (in any
    /// case) is refused there, as is a name that is not an HTTP token (RFC 9110).
    pub(crate) fn additional(key: &str) -> Result<HttpMethod, &'static str> {
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err("is not an HTTP method name (an RFC 9110 token)");
        }
        if HttpMethod::ALL
            .iter()
            .any(|m| m.wire().eq_ignore_ascii_case(key))
        {
            return Err("names a method the path item has a field of its own for");
        }
        Ok(HttpMethod::Other(key.to_string()))
    }
}

/// The key of a Path Item Object holding operations by method names of its own (3.2).
pub(crate) const ADDITIONAL_OPERATIONS: &str = "additionalOperations";

/// Where a parameter goes (`in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// `querystring` (3.2): the whole query string, serialized from one value.
    QueryString,
}

/// How a parameter's value is serialized (`style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamStyle {
    Form,
    Simple,
    DeepObject,
    PipeDelimited,
    SpaceDelimited,
    Label,
    Matrix,
}

/// A JSON Schema `type` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    Null,
    /// A name JSON Schema does not define (`file`, in some specs).
    Other,
}

impl JsonType {
    fn from_name(name: &str) -> JsonType {
        match name {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            "null" => JsonType::Null,
            _ => JsonType::Other,
        }
    }
}

/// What a media type means for encoding a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Json,
    Multipart,
    Form,
    Text,
    Binary,
}

/// How a streamed response's body is cut into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreamFormat {
    /// `text/event-stream`: server-sent events, each one's data an item.
    Sse,
    /// `application/jsonl`, `application/x-ndjson`, `application/json-seq` and the
    /// like: one JSON value per line.
    JsonLines,
}

/// A media type name as the spec writes it (`application/json; charset=utf-8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MediaType<'a>(pub(crate) &'a str);

impl<'a> MediaType<'a> {
    pub(crate) fn as_str(self) -> &'a str {
        self.0
    }

    /// The type and subtype, lowercased, parameters dropped.
    fn essence(self) -> String {
        self.0
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// `application/json`, any `+json` suffix, and the legacy `text/json`.
    pub(crate) fn is_json(self) -> bool {
        let essence = self.essence();
        essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
    }

    pub(crate) fn is_text(self) -> bool {
        self.essence().starts_with("text/")
    }

    pub(crate) fn is_multipart(self) -> bool {
        self.essence().starts_with("multipart/")
    }

    /// Text a string holds as it is (text, JSON, XML), rather than bytes.
    pub(crate) fn is_textual(self) -> bool {
        let essence = self.essence();
        self.is_json()
            || self.is_text()
            || essence == "application/xml"
            || essence.ends_with("+xml")
    }

    /// Whether the body is a stream of items rather than one value, and how it is cut.
    pub(crate) fn stream_format(self) -> Option<StreamFormat> {
        match self.essence().as_str() {
            "text/event-stream" => Some(StreamFormat::Sse),
            "application/jsonl"
            | "application/x-jsonl"
            | "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/json-seq" => Some(StreamFormat::JsonLines),
            _ => None,
        }
    }

    /// `*/*`: whatever the server sends.
    pub(crate) fn is_any(self) -> bool {
        self.0 == "*/*"
    }

    pub(crate) fn kind(self) -> MediaKind {
        if self.is_json() {
            MediaKind::Json
        } else if self.is_multipart() {
            MediaKind::Multipart
        } else if self.essence() == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if self.is_text() {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// A node of the document and its JSON pointer.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    value: &'a Value,
    pointer: String,
}

impl<'a> Node<'a> {
    fn new(value: &'a Value, pointer: String) -> Self {
        Node { value, pointer }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key)
    }

    fn child(&self, key: &str) -> Option<Node<'a>> {
        self.value
            .get(key)
            .map(|v| Node::new(v, format!("{}/{}", self.pointer, pointer::escape(key))))
    }

    fn text(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    /// The entries of an object member, each with its pointer.
    fn entries(&self, key: &str) -> impl Iterator<Item = (&'a str, Node<'a>)> + use<'a> {
        let object = self.get(key).and_then(Value::as_object);
        // The base pointer is built only for a member that is there.
        let base = object.map(|_| format!("{}/{}", self.pointer, key));
        object.into_iter().flatten().map(move |(k, v)| {
            let base = base.as_deref().unwrap_or_default();
            (
                k.as_str(),
                Node::new(v, format!("{base}/{}", pointer::escape(k))),
            )
        })
    }

    /// The items of an array member, each with its pointer.
    fn items(&self, key: &str) -> impl Iterator<Item = Node<'a>> + use<'a> {
        let array = self.get(key).and_then(Value::as_array);
        let base = array.map(|_| format!("{}/{}", self.pointer, key));
        array.into_iter().flatten().enumerate().map(move |(i, v)| {
            let base = base.as_deref().unwrap_or_default();
            Node::new(v, format!("{base}/{i}"))
        })
    }

    /// The `$ref` this node is, when it is one.
    fn reference(&self) -> Option<&'a Value> {
        self.get("$ref")
    }
}

/// Every typed view is a [`Node`] read as one kind of OpenAPI object.
pub(crate) trait View<'a>: Sized {
    fn from_node(node: Node<'a>) -> Self;
    fn node(&self) -> &Node<'a>;
    fn pointer(&self) -> &str;
}

macro_rules! views {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub(crate) struct $name<'a>(Node<'a>);

        impl<'a> View<'a> for $name<'a> {
            fn from_node(node: Node<'a>) -> Self {
                $name(node)
            }

            fn node(&self) -> &Node<'a> {
                &self.0
            }

            fn pointer(&self) -> &str {
                &self.0.pointer
            }
        }
    )*};
}

views! {
    /// A Path Item Object (or a `$ref` to one).
    PathItem,
    /// An Operation Object.
    OperationView,
    /// A Parameter Object (or a `$ref` to one).
    ParameterView,
    /// A Request Body Object (or a `$ref` to one).
    RequestBodyView,
    /// A Response Object (or a `$ref` to one).
    ResponseView,
    /// A Media Type Object.
    MediaTypeView,
    /// A Callback Object (or a `$ref` to one): expressions to Path Items.
    CallbackView,
    /// A Schema Object (or a `$ref` to one).
    SchemaView,
}

/// The whole document, and the resolution of `$ref`s inside it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Document<'a> {
    raw: &'a Value,
}

const COMPONENT_SCHEMAS: &str = "#/components/schemas/";

impl<'a> Document<'a> {
    pub(crate) fn new(raw: &'a Value) -> Self {
        Document { raw }
    }

    fn root(&self) -> Node<'a> {
        Node::new(self.raw, "#".to_string())
    }

    /// Follows `$ref` chains to the object that holds content; errors on a cycle or a
    /// target that is not there, pointing at the `$ref` the user wrote. The result's
    /// pointer is the target's canonical spelling, so one component is one pointer.
    pub(crate) fn resolve<V: View<'a>>(&self, view: &V) -> Result<V, Error> {
        let mut current = view.node().clone();
        let mut seen = HashSet::new();
        while let Some(reference) = current.reference() {
            let Some(target) = reference.as_str() else {
                return Err(Error::unsupported(
                    current.pointer.clone(),
                    "`$ref` is not a string",
                ));
            };
            if !seen.insert(target.to_string()) {
                return Err(Error::unsupported(
                    view.pointer(),
                    format!("`$ref` cycle through {target}"),
                ));
            }
            let resolved = pointer::resolve(self.raw, target).map_err(|mut e| {
                e.pointer = current.pointer.clone();
                e
            })?;
            current = Node::new(resolved, pointer::canonical(target));
        }
        Ok(V::from_node(current))
    }

    /// `paths`, each key with its Path Item (not yet resolved).
    pub(crate) fn paths(&self) -> impl Iterator<Item = (&'a str, PathItem<'a>)> + use<'a> {
        self.root()
            .entries("paths")
            .map(|(k, node)| (k, PathItem(node)))
    }

    /// A 3.1 document's `webhooks`, each name with its Path Item.
    pub(crate) fn webhooks(&self) -> impl Iterator<Item = (&'a str, PathItem<'a>)> + use<'a> {
        self.root()
            .entries("webhooks")
            .map(|(k, node)| (k, PathItem(node)))
    }

    /// `components.schemas`, each key with its schema.
    pub(crate) fn component_schemas(
        &self,
    ) -> impl Iterator<Item = (&'a str, SchemaView<'a>)> + use<'a> {
        let schemas = self
            .raw
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_object);
        schemas.into_iter().flatten().map(|(key, schema)| {
            (
                key.as_str(),
                SchemaView(Node::new(schema, Self::component_schema_pointer(key))),
            )
        })
    }

    /// The pointer of the component schema named `key`.
    pub(crate) fn component_schema_pointer(key: &str) -> String {
        format!("{COMPONENT_SCHEMAS}{}", pointer::escape(key))
    }

    /// Whether a (canonical) pointer names a component schema.
    pub(crate) fn is_component_schema(pointer: &str) -> bool {
        pointer.starts_with(COMPONENT_SCHEMAS)
    }

    /// Whether a (canonical) pointer is a component schema itself, not a schema inside
    /// one: a name the spec's authors chose.
    pub(crate) fn is_named_component_schema(pointer: &str) -> bool {
        pointer
            .strip_prefix(COMPONENT_SCHEMAS)
            .is_some_and(|name| !name.contains('/'))
    }

    /// How many `$ref`s anywhere in the document lead to each (canonical) target.
    pub(crate) fn reference_counts(&self) -> HashMap<String, usize> {
        fn walk(value: &Value, counts: &mut HashMap<String, usize>) {
            match value {
                Value::Object(map) => {
                    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                        *counts.entry(pointer::canonical(target)).or_default() += 1;
                    }
                    map.values().for_each(|v| walk(v, counts));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, counts)),
                _ => {}
            }
        }
        let mut counts = HashMap::new();
        walk(self.raw, &mut counts);
        counts
    }

    pub(crate) fn title(&self) -> Option<&'a str> {
        self.info(|info| info.get("title"))
    }

    pub(crate) fn description(&self) -> Option<&'a str> {
        self.info(|info| info.get("description"))
    }

    pub(crate) fn version(&self) -> Option<&'a str> {
        self.info(|info| info.get("version"))
    }

    /// `info.x-crate-name`: the package name the spec asks for.
    pub(crate) fn crate_name(&self) -> Option<&'a str> {
        self.info(|info| info.get("x-crate-name"))
    }

    fn info(&self, field: impl Fn(&'a Value) -> Option<&'a Value>) -> Option<&'a str> {
        self.raw.get("info").and_then(field).and_then(Value::as_str)
    }

    /// The first server: its URL with `{variables}` replaced by their defaults (no
    /// trailing slash), and the environment variable that overrides it (`x-env`).
    pub(crate) fn first_server(&self) -> Option<(String, Option<&'a str>)> {
        let server = self.raw.get("servers")?.get(0)?;
        let mut url = server
            .get("url")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(variables) = server.get("variables").and_then(Value::as_object) {
            for (name, variable) in variables {
                if let Some(default) = variable.get("default").and_then(Value::as_str) {
                    url = url.replace(&format!("{{{name}}}"), default);
                }
            }
        }
        let env = server.get("x-env").and_then(Value::as_str);
        Some((url.trim_end_matches('/').to_string(), env))
    }

    /// `components.securitySchemes`, each resolved; a dangling `$ref` is skipped.
    pub(crate) fn security_schemes(&self) -> Vec<(&'a str, SecurityScheme<'a>)> {
        let schemes = self
            .raw
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(Value::as_object);
        schemes
            .into_iter()
            .flatten()
            .filter_map(|(name, scheme)| {
                let scheme = match scheme.get("$ref").and_then(Value::as_str) {
                    Some(target) => pointer::resolve(self.raw, target).ok()?,
                    None => scheme,
                };
                Some((name.as_str(), SecurityScheme::read(scheme)))
            })
            .collect()
    }

    /// A string setting of the document-level `x-client` extension.
    pub(crate) fn client_setting(&self, key: &str) -> Option<&'a str> {
        self.raw.get("x-client")?.get(key)?.as_str()
    }

    /// `info.license`: its SPDX `identifier` (3.1), else its `name` when that reads as
    /// an SPDX expression (no spaces, as `MIT` or `Apache-2.0`).
    pub(crate) fn license(&self) -> Option<&'a str> {
        let license = self.raw.get("info")?.get("license")?;
        license
            .get("identifier")
            .and_then(Value::as_str)
            .or_else(|| {
                license
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|name| !name.trim().is_empty() && !name.contains(' '))
            })
    }

    /// `info.contact.url`.
    pub(crate) fn contact_url(&self) -> Option<&'a str> {
        self.raw.get("info")?.get("contact")?.get("url")?.as_str()
    }

    /// The document's `externalDocs.url`.
    pub(crate) fn external_docs_url(&self) -> Option<&'a str> {
        self.raw.get("externalDocs")?.get("url")?.as_str()
    }

    /// `info.x-cargo`: fields of the generated `Cargo.toml`'s `[package]` the spec sets
    /// (`publish: false`, `keywords: [...]`, `license: ...`); values of other shapes are
    /// left out.
    pub(crate) fn cargo_settings(&self) -> Vec<(&'a str, SettingValue)> {
        let settings = self
            .raw
            .get("info")
            .and_then(|info| info.get("x-cargo"))
            .and_then(Value::as_object);
        settings
            .into_iter()
            .flatten()
            .filter_map(|(key, value)| {
                let value = match value {
                    Value::String(text) => SettingValue::Text(text.clone()),
                    Value::Bool(flag) => SettingValue::Flag(*flag),
                    Value::Array(items) => SettingValue::List(
                        items
                            .iter()
                            .map(|i| i.as_str().map(str::to_string))
                            .collect::<Option<_>>()?,
                    ),
                    _ => return None,
                };
                Some((key.as_str(), value))
            })
            .collect()
    }

    /// How many operations and component schemas the document has.
    pub(crate) fn statistics(&self) -> (usize, usize) {
        let operations = self
            .paths()
            .map(|(_, item)| item.operations().count())
            .sum();
        (operations, self.component_schemas().count())
    }
}

/// A setting's value in an extension: text, a flag, or a list of texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SettingValue {
    Text(String),
    Flag(bool),
    List(Vec<String>),
}

/// A Security Scheme Object, as far as the client applies it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SecurityScheme<'a> {
    /// `apiKey` in a header: the header's name.
    ApiKeyHeader {
        header: &'a str,
        env: Option<&'a str>,
    },
    /// `http` bearer, `oauth2` or `openIdConnect`: all end in a bearer token.
    Bearer { kind: &'a str, env: Option<&'a str> },
    /// Anything else, by its `type`.
    Other { kind: &'a str },
}

impl<'a> SecurityScheme<'a> {
    fn read(scheme: &'a Value) -> Self {
        let text = |key: &str| scheme.get(key).and_then(Value::as_str);
        let kind = text("type").unwrap_or_default();
        let env = text("x-env");
        match (kind, text("in")) {
            ("apiKey", Some("header")) => SecurityScheme::ApiKeyHeader {
                header: text("name").unwrap_or_default(),
                env,
            },
            ("http", _) if text("scheme").is_some_and(|s| s.eq_ignore_ascii_case("bearer")) => {
                SecurityScheme::Bearer { kind, env }
            }
            ("oauth2" | "openIdConnect", _) => SecurityScheme::Bearer { kind, env },
            _ => SecurityScheme::Other { kind },
        }
    }
}

impl<'a> PathItem<'a> {
    /// Parameters shared by every operation of the item.
    pub(crate) fn parameters(&self) -> impl Iterator<Item = ParameterView<'a>> + use<'a> {
        self.0.items("parameters").map(ParameterView)
    }

    /// The item's operations, in [`HttpMethod::ALL`] order, then those of
    /// `additionalOperations` in spec order (a key that names no method of its own is
    /// left out: the 3.2 pass reports it).
    pub(crate) fn operations(&self) -> impl Iterator<Item = (HttpMethod, OperationView<'a>)> + '_ {
        let fixed = HttpMethod::ALL.into_iter().filter_map(|method| {
            let op = self.0.child(method.key()).filter(|n| n.value.is_object())?;
            Some((method, OperationView(op)))
        });
        let additional = self
            .0
            .entries(ADDITIONAL_OPERATIONS)
            .filter(|(_, op)| op.value.is_object())
            .filter_map(|(key, op)| Some((HttpMethod::additional(key).ok()?, OperationView(op))));
        fixed.chain(additional)
    }
}

/// `x-pagination`: how a list operation pages.
#[derive(Debug, Clone)]
pub(crate) struct PaginationExtension<'a> {
    /// Where the extension is, for errors about it.
    pub pointer: String,
    pub cursor_param: &'a str,
    pub next_cursor: &'a str,
    pub items: &'a str,
}

impl<'a> OperationView<'a> {
    pub(crate) fn operation_id(&self) -> Option<&'a str> {
        self.0.text("operationId")
    }

    pub(crate) fn summary(&self) -> Option<&'a str> {
        self.0.text("summary")
    }

    pub(crate) fn description(&self) -> Option<&'a str> {
        self.0.text("description")
    }

    pub(crate) fn deprecated(&self) -> bool {
        self.0.flag("deprecated")
    }

    /// `tags`, in the order written; entries that are not text are skipped.
    pub(crate) fn tags(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.0
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }

    pub(crate) fn parameters(&self) -> impl Iterator<Item = ParameterView<'a>> + use<'a> {
        self.0.items("parameters").map(ParameterView)
    }

    pub(crate) fn request_body(&self) -> Option<RequestBodyView<'a>> {
        self.0.child("requestBody").map(RequestBodyView)
    }

    /// `responses`, each status key (`200`, `4XX`, `default`) with its response.
    pub(crate) fn responses(
        &self,
    ) -> impl Iterator<Item = (StatusKey<'a>, ResponseView<'a>)> + use<'a> {
        self.0
            .entries("responses")
            .map(|(code, node)| (StatusKey(code), ResponseView(node)))
    }

    pub(crate) fn callbacks(&self) -> impl Iterator<Item = (&'a str, CallbackView<'a>)> + use<'a> {
        self.0
            .entries("callbacks")
            .map(|(name, node)| (name, CallbackView(node)))
    }

    /// Whether a 2xx status (or the `2XX` class) has a response (no pointers built).
    pub(crate) fn has_success_response(&self) -> bool {
        self.0
            .get("responses")
            .and_then(Value::as_object)
            .is_some_and(|r| r.keys().any(|code| StatusKey(code).is_success()))
    }

    /// `x-pagination`, when declared; a missing setting is an error at the extension.
    pub(crate) fn pagination(&self) -> Option<Result<PaginationExtension<'a>, Error>> {
        let ext = self.0.child("x-pagination")?;
        let get = |key: &str| {
            ext.text(key).ok_or_else(|| {
                Error::unsupported(ext.pointer.clone(), format!("x-pagination needs `{key}`"))
            })
        };
        Some((|| {
            Ok(PaginationExtension {
                pointer: ext.pointer.clone(),
                cursor_param: get("cursor-param")?,
                next_cursor: get("next-cursor")?,
                items: get("items")?,
            })
        })())
    }

    /// The pointer a type gathering the operation's parameters comes from.
    pub(crate) fn parameters_pointer(&self) -> String {
        format!("{}/parameters", self.0.pointer)
    }
}

/// A key of `responses`: a status code (`200`), a class (`4XX`) or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StatusKey<'a>(&'a str);

impl<'a> StatusKey<'a> {
    pub(crate) fn as_str(self) -> &'a str {
        self.0
    }

    /// `default`: every status the others do not name.
    pub(crate) fn is_default(self) -> bool {
        self.0 == "default"
    }

    /// A 2xx code or the `2XX` class.
    pub(crate) fn is_success(self) -> bool {
        self.0.starts_with('2')
    }
}

impl<'a> CallbackView<'a> {
    /// Each runtime expression with the Path Item it describes.
    pub(crate) fn expressions(&self) -> impl Iterator<Item = (&'a str, PathItem<'a>)> + use<'a> {
        let base = self.0.pointer.clone();
        self.0
            .value
            .as_object()
            .into_iter()
            .flatten()
            .map(move |(k, v)| {
                (
                    k.as_str(),
                    PathItem(Node::new(v, format!("{base}/{}", pointer::escape(k)))),
                )
            })
    }
}

/// Where a parameter's schema comes from.
#[derive(Debug, Clone)]
pub(crate) struct ParameterSchema<'a> {
    pub schema: Option<SchemaView<'a>>,
    /// Described by `content` with a JSON media type: sent as JSON text.
    pub json: bool,
    /// Described by `schema`, or by `content` with the form media type
    /// (`application/x-www-form-urlencoded`): sent as name=value pairs.
    pub form: bool,
}

impl<'a> ParameterView<'a> {
    pub(crate) fn name(&self) -> Option<&'a str> {
        self.0.text("name")
    }

    /// `in`, or the text written there when it names no location.
    pub(crate) fn location(&self) -> Result<ParamLocation, Option<&'a str>> {
        match self.0.text("in") {
            Some("path") => Ok(ParamLocation::Path),
            Some("query") => Ok(ParamLocation::Query),
            Some("header") => Ok(ParamLocation::Header),
            Some("cookie") => Ok(ParamLocation::Cookie),
            Some("querystring") => Ok(ParamLocation::QueryString),
            other => Err(other),
        }
    }

    /// The `(name, in)` pair that identifies a parameter; an operation's parameter
    /// replaces its path item's one with the same pair.
    pub(crate) fn identity(&self) -> (Option<&'a Value>, Option<&'a Value>) {
        (self.0.get("name"), self.0.get("in"))
    }

    pub(crate) fn required(&self) -> bool {
        self.0.flag("required")
    }

    /// `style`, when it names one.
    pub(crate) fn style(&self) -> Option<ParamStyle> {
        Some(match self.0.text("style")? {
            "form" => ParamStyle::Form,
            "simple" => ParamStyle::Simple,
            "deepObject" => ParamStyle::DeepObject,
            "pipeDelimited" => ParamStyle::PipeDelimited,
            "spaceDelimited" => ParamStyle::SpaceDelimited,
            "label" => ParamStyle::Label,
            "matrix" => ParamStyle::Matrix,
            _ => return None,
        })
    }

    pub(crate) fn explode(&self) -> Option<bool> {
        self.0.get("explode").and_then(Value::as_bool)
    }

    /// `schema`, or the first media type of `content`.
    pub(crate) fn schema(&self) -> ParameterSchema<'a> {
        if let Some(schema) = self.0.child("schema") {
            return ParameterSchema {
                schema: Some(SchemaView(schema)),
                json: false,
                form: true,
            };
        }
        match self.0.entries("content").next() {
            Some((media, entry)) => ParameterSchema {
                schema: entry.child("schema").map(SchemaView),
                json: MediaType(media).is_json(),
                form: MediaType(media).kind() == MediaKind::Form,
            },
            None => ParameterSchema {
                schema: None,
                json: false,
                form: true,
            },
        }
    }

    /// The description (some specs write it as `title`).
    pub(crate) fn description(&self) -> Option<&'a str> {
        self.0.text("description").or_else(|| self.0.text("title"))
    }

    pub(crate) fn deprecated(&self) -> bool {
        self.0.flag("deprecated")
    }

    /// `x-always-send`: values always appended to a list header.
    pub(crate) fn always_send(&self) -> Vec<String> {
        self.0
            .get("x-always-send")
            .and_then(Value::as_array)
            .map(|v| {
                v.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl<'a> RequestBodyView<'a> {
    pub(crate) fn required(&self) -> bool {
        self.0.flag("required")
    }

    /// `content`, each media type with its entry, in spec order.
    pub(crate) fn content(
        &self,
    ) -> impl Iterator<Item = (MediaType<'a>, MediaTypeView<'a>)> + use<'a> {
        self.0
            .entries("content")
            .map(|(media, node)| (MediaType(media), MediaTypeView(node)))
    }
}

impl<'a> ResponseView<'a> {
    /// The media types of `content`, in spec order (no pointers built).
    pub(crate) fn media_types(&self) -> impl Iterator<Item = MediaType<'a>> + use<'a> {
        self.0
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(media, _)| MediaType(media.as_str()))
    }

    /// The entry of `content` for `media`, one of [`Self::media_types`].
    pub(crate) fn media(&self, media: MediaType<'_>) -> Option<MediaTypeView<'a>> {
        let content = self.0.child("content")?;
        content.child(media.0).map(MediaTypeView)
    }
}

impl<'a> MediaTypeView<'a> {
    pub(crate) fn schema(&self) -> Option<SchemaView<'a>> {
        self.0.child("schema").map(SchemaView)
    }

    /// `itemSchema` (OpenAPI 3.2): the schema of each item of a sequential media type
    /// (each event of `text/event-stream`, each line of JSON Lines).
    pub(crate) fn item_schema(&self) -> Option<SchemaView<'a>> {
        self.0.child("itemSchema").map(SchemaView)
    }
}

/// Which keyword a union comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Composition {
    OneOf,
    AnyOf,
}

impl Composition {
    /// The keyword, for the names of types made from it.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Composition::OneOf => "oneOf",
            Composition::AnyOf => "anyOf",
        }
    }
}

/// `additionalProperties`, read.
#[derive(Debug, Clone)]
pub(crate) enum Additional<'a> {
    /// Not written.
    Absent,
    /// `true` or `{}`: any value.
    Any,
    /// `false`, or something that is not a schema.
    Closed,
    /// A schema for the values.
    Schema(SchemaView<'a>),
}

/// `x-upload`: the rules a multipart file field's uploads follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UploadExtension {
    pub single_top_folder: bool,
    pub required_top_file: Option<String>,
    pub max_total_bytes: Option<u64>,
}

/// The discriminator of a union: property name and `(value, target pointer)` mapping
/// pairs, each target canonical.
#[derive(Debug, Clone)]
pub(crate) struct Discriminator<'a> {
    pub property: &'a str,
    pub mapping: Vec<(&'a str, String)>,
}

/// The keywords that only annotate a schema (it accepts anything).
const ANNOTATIONS: &[&str] = &["description", "title", "example", "deprecated", "nullable"];

/// The keywords of a `oneOf` branch that constrains the schema around it rather than
/// offering an alternative (`oneOf: [{required: [a]}, {required: [b]}]`).
const CONSTRAINTS: &[&str] = &[
    "required",
    "description",
    "title",
    "not",
    "minProperties",
    "maxProperties",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "example",
    "examples",
];

impl<'a> SchemaView<'a> {
    /// Whether the schema is a `$ref` (resolve it with [`Document::resolve`]).
    pub(crate) fn is_reference(&self) -> bool {
        self.0.reference().is_some()
    }

    /// The `$ref` target as written, when the schema is a string `$ref`.
    pub(crate) fn reference_target(&self) -> Option<&'a str> {
        self.0.reference().and_then(Value::as_str)
    }

    /// `type`, tolerating the 3.1 array form (`["string", "null"]`): the one non-null
    /// type, or `None` when there is none or several.
    pub(crate) fn primary_type(&self) -> Option<JsonType> {
        match self.0.get("type")? {
            Value::String(s) => Some(JsonType::from_name(s)),
            Value::Array(types) => {
                let mut named = types
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null");
                match (named.next(), named.next()) {
                    (Some(one), None) => Some(JsonType::from_name(one)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn is_type(&self, ty: JsonType) -> bool {
        self.primary_type() == Some(ty)
    }

    pub(crate) fn format(&self) -> Option<&'a str> {
        self.0.text("format")
    }

    pub(crate) fn title(&self) -> Option<&'a str> {
        self.0.text("title")
    }

    /// The description, or the title when there is none.
    pub(crate) fn description(&self) -> Option<&'a str> {
        self.0
            .get("description")
            .or_else(|| self.0.get("title"))
            .and_then(Value::as_str)
    }

    pub(crate) fn deprecated(&self) -> bool {
        self.0.flag("deprecated")
    }

    pub(crate) fn read_only(&self) -> bool {
        self.0.flag("readOnly")
    }

    pub(crate) fn write_only(&self) -> bool {
        self.0.flag("writeOnly")
    }

    /// `default` as compact JSON (a `null` default says nothing).
    pub(crate) fn default_json(&self) -> Option<String> {
        self.0
            .get("default")
            .filter(|v| !v.is_null())
            .map(Value::to_string)
    }

    pub(crate) fn minimum(&self) -> Option<&'a Number> {
        self.0.get("minimum").and_then(Value::as_number)
    }

    /// `maximum` as written, number or not.
    pub(crate) fn maximum(&self) -> Option<&'a Value> {
        self.0.get("maximum")
    }

    pub(crate) fn has_minimum(&self) -> bool {
        self.0.get("minimum").is_some()
    }

    /// `x-rust-name`: the type name the spec asks for.
    pub(crate) fn rust_name(&self) -> Option<&'a str> {
        self.0.text("x-rust-name").filter(|n| !n.trim().is_empty())
    }

    pub(crate) fn upload(&self) -> Option<UploadExtension> {
        let ext = self.0.get("x-upload")?;
        Some(UploadExtension {
            single_top_folder: ext
                .get("single-top-folder")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            required_top_file: ext
                .get("required-top-file")
                .and_then(Value::as_str)
                .map(str::to_string),
            max_total_bytes: ext.get("max-total-bytes").and_then(Value::as_u64),
        })
    }

    /// `items`, when it is a schema.
    pub(crate) fn items(&self) -> Option<SchemaView<'a>> {
        self.0
            .child("items")
            .filter(|n| n.value.is_object())
            .map(SchemaView)
    }

    pub(crate) fn additional(&self) -> Additional<'a> {
        match self.0.child("additionalProperties") {
            None => Additional::Absent,
            Some(node) => match node.value {
                Value::Bool(true) => Additional::Any,
                Value::Object(o) if o.is_empty() => Additional::Any,
                Value::Object(_) => Additional::Schema(SchemaView(node)),
                _ => Additional::Closed,
            },
        }
    }

    /// `properties`, in spec order.
    pub(crate) fn properties(&self) -> impl Iterator<Item = (&'a str, SchemaView<'a>)> + use<'a> {
        self.0
            .entries("properties")
            .map(|(name, node)| (name, SchemaView(node)))
    }

    /// The names in `required`.
    pub(crate) fn required(&self) -> HashSet<&'a str> {
        self.0
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// `enum`'s values, when written as a list.
    pub(crate) fn enum_values(&self) -> Option<&'a [Value]> {
        self.0
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
    }

    /// Whether `enum` is written at all.
    pub(crate) fn has_enum(&self) -> bool {
        self.0.get("enum").is_some()
    }

    /// `allOf`'s parts, when there is at least one.
    pub(crate) fn all_of(&self) -> Option<Vec<SchemaView<'a>>> {
        self.non_empty_list("allOf")
    }

    /// Whether `allOf` has at least one part (no pointers built).
    pub(crate) fn has_all_of(&self) -> bool {
        self.list_len("allOf") > 0
    }

    /// How many parts `allOf` has (no pointers built).
    pub(crate) fn all_of_len(&self) -> usize {
        self.list_len("allOf")
    }

    fn list_len(&self, key: &str) -> usize {
        self.0
            .get(key)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    fn non_empty_list(&self, key: &str) -> Option<Vec<SchemaView<'a>>> {
        (self.list_len(key) > 0).then(|| self.0.items(key).map(SchemaView).collect())
    }

    fn raw_list(&self, key: &str) -> &'a [Value] {
        self.0
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The `oneOf` (else `anyOf`) branches, unless every branch only constrains the
    /// schema around it: those describe that schema, not alternatives to it.
    pub(crate) fn union(&self) -> Option<(Composition, Vec<SchemaView<'a>>)> {
        let composition = self.union_keyword()?;
        Some((
            composition,
            self.non_empty_list(composition.keyword())
                .unwrap_or_default(),
        ))
    }

    /// Which keyword [`Self::union`] reads, without building the branches.
    pub(crate) fn union_keyword(&self) -> Option<Composition> {
        let constraint_only = |b: &Value| {
            b.as_object().is_some_and(|o| {
                !o.is_empty() && o.keys().all(|k| CONSTRAINTS.contains(&k.as_str()))
            })
        };
        [Composition::OneOf, Composition::AnyOf]
            .into_iter()
            .find(|c| {
                let branches = self.raw_list(c.keyword());
                !branches.is_empty() && !branches.iter().all(constraint_only)
            })
    }

    /// How many branches of [`Self::union`] are not the null schema.
    pub(crate) fn union_non_null_count(&self) -> usize {
        self.union_keyword().map_or(0, |c| {
            self.raw_list(c.keyword())
                .iter()
                .filter(|b| !is_null_value(b))
                .count()
        })
    }

    /// Whether `oneOf` has at least one branch.
    pub(crate) fn has_one_of(&self) -> bool {
        self.list_len("oneOf") > 0
    }

    pub(crate) fn discriminator(&self) -> Option<Discriminator<'a>> {
        let d = self.0.get("discriminator")?;
        let property = d.get("propertyName")?.as_str()?;
        let mapping = d
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(value, target)| {
                let target = target.as_str().unwrap_or_default();
                // A bare name in a mapping names a component schema.
                let target = if target.starts_with('#') {
                    pointer::canonical(target)
                } else {
                    Document::component_schema_pointer(target)
                };
                (value.as_str(), target)
            })
            .collect();
        Some(Discriminator { property, mapping })
    }

    /// `nullable: true`, a `null` in a type list or in `enum`, or a null branch beside
    /// another in `oneOf`/`anyOf`.
    pub(crate) fn is_nullable(&self) -> bool {
        self.0.flag("nullable")
            || self
                .0
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|t| t.iter().any(|v| v == "null"))
            || self
                .enum_values()
                .is_some_and(|e| e.iter().any(Value::is_null))
            || [Composition::OneOf, Composition::AnyOf]
                .into_iter()
                .any(|c| {
                    let b = self.raw_list(c.keyword());
                    b.len() > 1 && b.iter().any(is_null_value)
                })
    }

    /// The schema that only admits `null`.
    pub(crate) fn is_null(&self) -> bool {
        is_null_value(self.0.value)
    }

    /// A schema that only annotates (accepts anything).
    pub(crate) fn is_annotation_only(&self) -> bool {
        self.0
            .value
            .as_object()
            .is_none_or(|o| o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
    }

    /// An object by its type, its `properties`, or its `additionalProperties` alone.
    pub(crate) fn is_object_like(&self) -> bool {
        self.is_type(JsonType::Object)
            || self.0.get("properties").is_some()
            || (self.primary_type().is_none() && self.0.get("additionalProperties").is_some())
    }

    /// An object, or an `allOf` (which combines objects).
    pub(crate) fn is_object(&self) -> bool {
        self.is_object_like() || self.has_all_of()
    }

    /// An object (or untyped) schema with at least one property.
    pub(crate) fn has_named_properties(&self) -> bool {
        matches!(self.primary_type(), Some(JsonType::Object) | None)
            && self
                .0
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
    }

    /// Whether `properties` is written at all.
    pub(crate) fn has_properties(&self) -> bool {
        self.0.get("properties").is_some()
    }

    /// `type: string, format: binary`.
    pub(crate) fn is_binary(&self) -> bool {
        self.is_type(JsonType::String) && self.format() == Some("binary")
    }

    pub(crate) fn is_string(&self) -> bool {
        self.is_type(JsonType::String)
    }

    pub(crate) fn is_array(&self) -> bool {
        self.is_type(JsonType::Array)
    }
}

fn is_null_value(schema: &Value) -> bool {
    let map: Option<&Map<String, Value>> = schema.as_object();
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null))
        || map.is_some_and(|o| {
            o.len() == 1 && o.get("nullable").and_then(Value::as_bool) == Some(true)
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema(value: &Value) -> SchemaView<'_> {
        SchemaView(Node::new(value, "#/s".to_string()))
    }

    #[test]
    fn methods_round_trip_through_their_keys() {
        for method in HttpMethod::ALL {
            assert_eq!(method.wire(), method.key().to_ascii_uppercase());
            assert_eq!(HttpMethod::from_key(method.key()), Some(method));
        }
        assert_eq!(HttpMethod::from_key("parameters"), None);
        assert_eq!(HttpMethod::from_key("GET"), None);
        assert_eq!(HttpMethod::from_key("additionalOperations"), None);
    }

    #[test]
    fn additional_operations_name_methods_of_their_own() {
        assert_eq!(
            HttpMethod::additional("LOCK"),
            Ok(HttpMethod::Other("LOCK".into()))
        );
        assert_eq!(HttpMethod::additional("LOCK").unwrap().wire(), "LOCK");
        assert!(HttpMethod::additional("Query").is_err());
        assert!(HttpMethod::additional("get").is_err());
        assert!(HttpMethod::additional("").is_err());
        assert!(HttpMethod::additional("BAD METHOD").is_err());
        let item = json!({
            "get": {"responses": {}},
            "query": {"responses": {}},
            "additionalOperations": {
                "LOCK": {"responses": {}},
                "POST": {"responses": {}},
                "COPY": "not an operation",
            },
        });
        let item = PathItem(Node::new(&item, "#/paths/~1a".to_string()));
        let found: Vec<(String, String)> = item
            .operations()
            .map(|(m, op)| (m.wire().to_string(), op.0.pointer))
            .collect();
        assert_eq!(
            found,
            [
                ("GET".to_string(), "#/paths/~1a/get".to_string()),
                ("QUERY".to_string(), "#/paths/~1a/query".to_string()),
                (
                    "LOCK".to_string(),
                    "#/paths/~1a/additionalOperations/LOCK".to_string()
                ),
            ]
        );
    }

    #[test]
    fn media_types_are_told_apart_by_their_essence() {
        let kind = |m| MediaType(m).kind();
        assert_eq!(kind("application/json; charset=utf-8"), MediaKind::Json);
        assert_eq!(kind("application/vnd.github+json"), MediaKind::Json);
        assert_eq!(kind("text/json"), MediaKind::Json);
        assert_eq!(kind("Multipart/Form-Data"), MediaKind::Multipart);
        assert_eq!(kind("application/x-www-form-urlencoded"), MediaKind::Form);
        assert_eq!(kind("text/plain"), MediaKind::Text);
        assert_eq!(kind("application/octet-stream"), MediaKind::Binary);
        assert!(MediaType("*/*").is_any());
        assert!(MediaType("application/problem+xml").is_textual());
        assert!(MediaType("text/csv").is_textual());
        assert!(!MediaType("image/png").is_textual());
    }

    #[test]
    fn streamed_media_types_and_their_item_schema() {
        let format = |m| MediaType(m).stream_format();
        assert_eq!(
            format("text/event-stream; charset=utf-8"),
            Some(StreamFormat::Sse)
        );
        assert_eq!(
            format("application/x-ndjson"),
            Some(StreamFormat::JsonLines)
        );
        assert_eq!(format("Application/JSONL"), Some(StreamFormat::JsonLines));
        assert_eq!(
            format("application/json-seq"),
            Some(StreamFormat::JsonLines)
        );
        assert_eq!(format("application/json"), None);
        assert_eq!(format("text/plain"), None);
        // Neither is one JSON value.
        assert!(!MediaType("application/jsonl").is_json());
        assert!(!MediaType("application/json-seq").is_json());

        let entry = json!({"schema": {"type": "array"}, "itemSchema": {"type": "object"}});
        let view = MediaTypeView(Node::new(&entry, "#/m".to_string()));
        let item = view.item_schema().expect("itemSchema");
        assert_eq!(item.pointer(), "#/m/itemSchema");
        assert_eq!(item.primary_type(), Some(JsonType::Object));
        let plain = json!({"schema": {"type": "object"}});
        assert!(
            MediaTypeView(Node::new(&plain, "#/m".to_string()))
                .item_schema()
                .is_none()
        );
    }

    #[test]
    fn nullability_has_four_spellings() {
        for nullable in [
            json!({"type": "string", "nullable": true}),
            json!({"type": ["string", "null"]}),
            json!({"enum": ["a", null]}),
            json!({"oneOf": [{"type": "string"}, {"type": "null"}]}),
        ] {
            assert!(schema(&nullable).is_nullable(), "{nullable}");
        }
        assert!(!schema(&json!({"oneOf": [{"type": "null"}]})).is_nullable());
        assert!(!schema(&json!({"type": "string"})).is_nullable());
    }

    #[test]
    fn the_null_schema_and_annotation_only_schemas() {
        assert!(schema(&json!({"type": "null"})).is_null());
        assert!(schema(&json!({"enum": [null]})).is_null());
        assert!(schema(&json!({"nullable": true})).is_null());
        assert!(!schema(&json!({"enum": []})).is_null());
        assert!(schema(&json!({"description": "x", "example": 1})).is_annotation_only());
        assert!(!schema(&json!({"type": "string"})).is_annotation_only());
    }

    #[test]
    fn primary_type_reads_the_31_list_form() {
        let t = |v: Value| schema(&v).primary_type();
        assert_eq!(
            t(json!({"type": ["integer", "null"]})),
            Some(JsonType::Integer)
        );
        assert_eq!(t(json!({"type": ["integer", "string"]})), None);
        assert_eq!(t(json!({"type": "file"})), Some(JsonType::Other));
        assert_eq!(t(json!({})), None);
    }

    #[test]
    fn constraint_only_branches_make_no_union() {
        let constraints = json!({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]});
        assert!(schema(&constraints).union().is_none());
        let real = json!({"anyOf": [{"type": "string"}, {"required": ["b"]}]});
        let (keyword, branches) = schema(&real).union().unwrap();
        assert_eq!(keyword, Composition::AnyOf);
        assert_eq!(branches[1].pointer(), "#/s/anyOf/1");
    }

    #[test]
    fn objects_are_recognised_by_shape() {
        assert!(schema(&json!({"properties": {}})).is_object_like());
        assert!(schema(&json!({"additionalProperties": true})).is_object_like());
        assert!(!schema(&json!({"type": "string", "additionalProperties": true})).is_object_like());
        assert!(schema(&json!({"allOf": [{}]})).is_object());
        assert!(!schema(&json!({"type": "object", "properties": {}})).has_named_properties());
        assert!(schema(&json!({"properties": {"a": {}}})).has_named_properties());
    }

    #[test]
    fn additional_properties_read_four_ways() {
        let a = |v: Value| match schema(&v).additional() {
            Additional::Absent => "absent",
            Additional::Any => "any",
            Additional::Closed => "closed",
            Additional::Schema(_) => "schema",
        };
        assert_eq!(a(json!({})), "absent");
        assert_eq!(a(json!({"additionalProperties": true})), "any");
        assert_eq!(a(json!({"additionalProperties": {}})), "any");
        assert_eq!(a(json!({"additionalProperties": false})), "closed");
        assert_eq!(
            a(json!({"additionalProperties": {"type": "string"}})),
            "schema"
        );
    }

    #[test]
    fn resolve_follows_chains_and_reports_cycles_at_the_ref() {
        let raw = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "C": {"$ref": "#/components/schemas/C"},
            "D": {"$ref": "#/components/schemas/Missing"},
        }}});
        let doc = Document::new(&raw);
        let schemas: Vec<_> = doc.component_schemas().collect();
        let resolved = doc.resolve(&schemas[0].1).unwrap();
        assert_eq!(resolved.pointer(), "#/components/schemas/B");
        assert!(resolved.is_string());
        let cycle = doc.resolve(&schemas[2].1).unwrap_err();
        assert_eq!(cycle.pointer, "#/components/schemas/C");
        let dangling = doc.resolve(&schemas[3].1).unwrap_err();
        assert_eq!(dangling.pointer, "#/components/schemas/D");
    }

    #[test]
    fn discriminator_mapping_names_become_component_pointers() {
        let raw = json!({"discriminator": {"propertyName": "kind", "mapping": {
            "cat": "Cat", "dog": "#/components/schemas/Dog"}}});
        let d = schema(&raw).discriminator().unwrap();
        assert_eq!(d.property, "kind");
        assert_eq!(
            d.mapping,
            vec![
                ("cat", "#/components/schemas/Cat".to_string()),
                ("dog", "#/components/schemas/Dog".to_string())
            ]
        );
    }

    #[test]
    fn license_reads_as_an_spdx_expression_or_not_at_all() {
        let license = |info: Value| {
            let raw = json!({"info": info});
            Document::new(&raw).license().map(str::to_string)
        };
        assert_eq!(
            license(json!({"license": {"name": "MIT"}})).as_deref(),
            Some("MIT")
        );
        assert_eq!(
            license(json!({"license": {"name": "x", "identifier": "Apache-2.0"}})).as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            license(json!({"license": {"name": "Proprietary License"}})),
            None
        );
        let raw =
            json!({"info": {"x-cargo": {"publish": false, "keywords": ["a"], "bad": {"x": 1}}}});
        assert_eq!(
            Document::new(&raw).cargo_settings(),
            vec![
                ("publish", SettingValue::Flag(false)),
                ("keywords", SettingValue::List(vec!["a".into()]))
            ]
        );
    }

    #[test]
    fn statistics_count_operations_and_schemas() {
        let raw = json!({
            "paths": {
                "/a": {"get": {}, "post": {}, "parameters": [], "summary": "x"},
                "/b": {"delete": {}, "x-internal": {}},
            },
            "components": {"schemas": {"A": {}, "B": {}}}
        });
        assert_eq!(Document::new(&raw).statistics(), (3, 2));
        assert_eq!(Document::new(&json!({})).statistics(), (0, 0));
    }
}
