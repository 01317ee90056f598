//! The intermediate representation between the spec and the emitters: every type and
//! operation the crate will contain, already named, in spec order.

use crate::naming::RustIdent;

// The spec's own vocabulary, shared rather than copied: methods, parameter locations
// and styles, media kinds and path templates mean the same here as in the spec.
pub(crate) use crate::spec::path::PathPiece;
pub(crate) use crate::spec::view::{
    HttpMethod, MediaKind as BodyKind, ParamLocation as Location, ParamStyle as Style,
    SettingValue, StreamFormat,
};

/// A type of the crate: its index in [`Model::types`], handed out only as types are
/// pushed, so it cannot be confused with any other number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TypeId(usize);

impl TypeId {
    /// The id the next type pushed onto `types` gets.
    pub(crate) fn next(types: &[TypeDef]) -> TypeId {
        TypeId(types.len())
    }

    /// The id of every type in `types`, in order.
    pub(crate) fn all(types: &[TypeDef]) -> impl Iterator<Item = TypeId> + use<> {
        (0..types.len()).map(TypeId)
    }

    /// An id made up for a test of a table of types.
    #[cfg(test)]
    pub(crate) fn for_test(index: usize) -> TypeId {
        TypeId(index)
    }

    /// The position in [`Model::types`] (for tables indexed like it).
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

impl std::ops::Index<TypeId> for [TypeDef] {
    type Output = TypeDef;

    fn index(&self, id: TypeId) -> &TypeDef {
        &self[id.0]
    }
}

impl std::ops::Index<TypeId> for Vec<TypeDef> {
    type Output = TypeDef;

    fn index(&self, id: TypeId) -> &TypeDef {
        &self[id.0]
    }
}

impl std::ops::IndexMut<TypeId> for Vec<TypeDef> {
    fn index_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self[id.0]
    }
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Ty {
    Unit,
    Bool,
    I32,
    I64,
    /// A non-negative integer whose bounds go beyond `i64`.
    U64,
    F32,
    F64,
    String,
    /// `format: date-time`: `sdk_runtime::DateTime`, the wire text with a typed reading.
    DateTime,
    /// `format: date`: `sdk_runtime::Date`.
    Date,
    /// Raw bytes (`format: binary` outside JSON, binary bodies).
    Bytes,
    /// A multipart file part.
    File,
    /// Anything: `serde_json::Value`.
    Value,
    /// A free-form JSON object.
    JsonMap,
    Named(TypeId),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Option(Box<Ty>),
    Boxed(Box<Ty>),
}

impl Ty {
    pub(crate) fn option(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Docs {
    pub description: Option<String>,
    pub deprecated: bool,
    /// The schema's `default`, as compact JSON: what the server assumes when absent.
    pub default: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub name: RustIdent,
    pub docs: Docs,
    pub kind: TypeKind,
    /// JSON pointer of the schema this type comes from.
    #[allow(dead_code)] // kept for error messages about a type
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub(crate) enum TypeKind {
    /// `pub type Name = ty;`
    Alias(Ty),
    /// `pub struct Name(pub ty);`, serde-transparent: an alias that would name itself
    /// (`List = Vec<List>`), which a type alias cannot.
    Newtype(Ty),
    Struct(Struct),
    /// A string enum; always open (a catch-all keeps unknown values).
    StringEnum(Vec<EnumVariant<String>>),
    /// An integer enum; open the same way.
    IntEnum(Vec<EnumVariant<i64>>),
    /// An enum of values of several JSON types (`[1, "auto", true]`), each kept as its
    /// compact JSON text; open the same way.
    ValueEnum(Vec<EnumVariant<String>>),
    Union(Union),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct EnumVariant<V> {
    pub ident: RustIdent,
    pub value: V,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` kept beside the named fields.
    pub additional: Option<Ty>,
    pub role: StructRole,
}

/// What a struct is for, which decides its derives and helper methods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum StructRole {
    /// A JSON model: serde derives.
    #[default]
    Model,
    /// A multipart form: no serde, encoded into parts instead.
    Form,
    /// An operation's query, header and cookie parameters.
    Params,
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub ident: RustIdent,
    pub wire: String,
    /// The value's type, without the `Option` that optional or nullable adds.
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub docs: Docs,
    pub read_only: bool,
    pub write_only: bool,
    /// A multipart file field.
    pub upload: Option<UploadRules>,
    /// A `oneOf`/`anyOf` beside properties: its variant's properties sit at the same
    /// level as the named fields (`#[serde(flatten)]`); `wire` is empty.
    pub flatten: bool,
}

impl Field {
    /// The field's full Rust type.
    pub(crate) fn full_ty(&self) -> Ty {
        match (self.required, self.nullable) {
            (true, false) => self.ty.clone(),
            (true, true) | (false, false) => self.ty.clone().option(),
            (false, true) => Ty::Option(Box::new(self.ty.clone().option())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct UploadRules {
    pub single_top_folder: bool,
    pub required_top_file: Option<String>,
    pub max_total_bytes: Option<u64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Union {
    pub variants: Vec<UnionVariant>,
    /// Property name and (wire value, variant index) pairs.
    pub discriminator: Option<(String, Vec<(String, usize)>)>,
}

#[derive(Debug, Clone)]
pub(crate) struct UnionVariant {
    pub ident: RustIdent,
    pub ty: Ty,
}

/// Everything the emitters need.
#[derive(Debug, Default)]
pub(crate) struct Model {
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub client: ClientFacts,
}

/// Spec-wide facts for the client profile.
#[derive(Debug, Default)]
pub(crate) struct ClientFacts {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    pub base_url: String,
    pub base_url_env: Option<String>,
    pub api_key: Option<(String, Option<String>)>,
    pub bearer_env: Option<String>,
    pub request_id_header: Option<String>,
    pub retry_count_header: Option<String>,
    pub error_type_pointer: Option<String>,
    pub error_message_pointer: Option<String>,
    /// `$ref` of the open enum that names error types (`x-client.error-type-schema`).
    pub error_type_schema: Option<String>,
    /// Notes on what the spec asks for that the client does not do (e.g. basic auth).
    pub notes: Vec<String>,
    /// What the crate's manifest says about the package.
    pub package: PackageFacts,
}

/// The package metadata a spec gives: license and links from `info` and `externalDocs`,
/// and any `[package]` field it sets outright (`info.x-cargo`).
#[derive(Debug, Default)]
pub(crate) struct PackageFacts {
    pub license: Option<String>,
    pub repository: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    /// `[package]` fields in the spec's order, each overriding what the generator writes.
    pub overrides: Vec<(String, SettingValue)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub ident: RustIdent,
    pub method: HttpMethod,
    /// The path as the spec writes it (for docs).
    pub path: String,
    /// The path requests go to: fragment dropped, literal text percent-encoded, any
    /// query string moved to [`Operation::fixed_query`].
    pub request_path: Vec<PathPiece>,
    /// Query pairs written into the spec's path (`/search?mode=full`), always sent.
    pub fixed_query: Vec<(String, String)>,
    pub docs: Docs,
    pub summary: Option<String>,
    /// The operation's tags as the spec writes them, in order (they decide its Cargo
    /// features, `features.rs`).
    pub tags: Vec<String>,
    pub path_params: Vec<Param>,
    /// Query, header and cookie parameters, gathered in `params_type`.
    pub params: Vec<Param>,
    pub params_type: Option<RustIdent>,
    /// Headers the client always sends with a fixed value.
    pub constant_headers: Vec<(String, String)>,
    pub body: Option<RequestBody>,
    pub response: ResponseShape,
    /// The error bodies the spec describes, by status.
    pub errors: Option<ErrorShape>,
    pub pagination: Option<Pagination>,
    /// A success response the server streams (server-sent events, JSON Lines): the
    /// operation also gets an `_events` method that yields its items as they arrive.
    pub stream: Option<Streaming>,
}

/// How an operation's streamed success response is read.
#[derive(Debug, Clone)]
pub(crate) struct Streaming {
    pub format: StreamFormat,
    /// The media type as the spec writes it, sent as `Accept`.
    pub content_type: String,
    /// What each event's data (or each line) decodes as.
    pub item: Ty,
    /// Event names that select one variant of the item union (its discriminator's
    /// values): (event name, variant, the variant's type). Empty when the item is not a
    /// union with a discriminator.
    pub events: Vec<(String, RustIdent, Ty)>,
    /// A boolean of the request body that asks for the stream (`stream`): the `_events`
    /// method sets it to true. Its full type says how many `Option`s wrap it.
    pub flag: Option<FieldRef>,
}

#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub ident: RustIdent,
    pub wire: String,
    pub location: Location,
    pub ty: Ty,
    pub required: bool,
    pub style: Style,
    pub explode: bool,
    /// Parameter described by `content` with a JSON media type: sent as JSON text.
    pub json: bool,
    pub docs: Docs,
    /// Values always appended to a list header (`x-always-send`).
    pub always_send: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct RequestBody {
    pub required: bool,
    /// One entry per media type, in spec order; several make a body enum.
    pub media: Vec<BodyMedia>,
    /// The body enum's name when there are several media types.
    pub enum_name: Option<RustIdent>,
}

#[derive(Debug, Clone)]
pub(crate) struct BodyMedia {
    pub content_type: String,
    pub kind: BodyKind,
    pub ty: Ty,
    pub variant: RustIdent,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub(crate) enum ResponseShape {
    /// One type for every success status.
    Single(ResponseBody),
    /// Several statuses with different bodies: an enum named `name`.
    ByStatus {
        name: RustIdent,
        variants: Vec<StatusVariant>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct StatusVariant {
    pub ident: RustIdent,
    /// Exact status, or `None` for a range/default fallback.
    pub status: Option<u16>,
    pub body: ResponseBody,
}

/// An operation's error responses: an enum named `name` with one variant per status.
#[derive(Debug, Clone)]
pub(crate) struct ErrorShape {
    pub name: RustIdent,
    /// The enum of its own that operations with identical error responses share; `name`
    /// is then a type alias of it. The first operation with it emits it.
    pub shared: Option<RustIdent>,
    pub variants: Vec<ErrorVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ErrorVariant {
    pub ident: RustIdent,
    pub status: StatusMatch,
    pub body: ResponseBody,
}

/// Which statuses a response entry covers, most specific first when matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum StatusMatch {
    Exact(u16),
    /// `4XX`: the leading digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ResponseBody {
    Empty,
    Json(Ty),
    Text,
    Binary,
}

impl ResponseBody {
    pub(crate) fn ty(&self) -> Ty {
        match self {
            ResponseBody::Empty => Ty::Unit,
            ResponseBody::Json(ty) => ty.clone(),
            ResponseBody::Text => Ty::String,
            ResponseBody::Binary => Ty::Bytes,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Pagination {
    /// Field of the params struct that carries the cursor.
    pub cursor_field: RustIdent,
    /// Where the next page's cursor comes from.
    pub next: NextCursor,
    /// Field of the page that holds the items; `None` when the page is the list itself.
    pub items: Option<FieldRef>,
    pub item_ty: Ty,
    /// A boolean of the page saying whether another page follows (`has_more`).
    pub more: Option<FieldRef>,
}

/// A field on the way to a value, with its full type (options included).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldRef {
    pub ident: RustIdent,
    pub ty: Ty,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NextCursor {
    /// A field of the page, reached through these fields from the page.
    Field(Vec<FieldRef>),
    /// A field of the page's last item (Stripe's `starting_after`: the last id).
    LastItem(Vec<FieldRef>),
    /// The offset of this page plus its number of items; `first` when none was sent.
    Offset { first: i64 },
    /// The number of this page plus one; `first` when none was sent.
    Page { first: i64 },
}
