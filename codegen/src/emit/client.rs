//! `src/client.rs`: the `Client`, its builder, the spec's profile and one method per operation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::{doc_lines, ident, ty_tokens};
use crate::ir::{
    BodyKind, BodyMedia, ClientFacts, FieldRef, HttpMethod, Location, Model, NextCursor, Operation,
    Param, PathPiece, ResponseBody, ResponseShape, StreamFormat, Streaming, Style, Ty, TypeDef,
    TypeKind,
};

/// The methods of the operation at `index`, in an `impl Client` block of their own:
/// blocks per operation let rendering run in chunks.
pub(crate) fn operation_item(model: &Model, index: usize) -> TokenStream {
    let methods = operation(&model.operations[index], &model.types);
    quote! {
        impl Client {
            #methods
        }
    }
}

/// What `src/client.rs` starts with: the profile, `Client` and its builder.
pub(crate) fn prelude(
    model: &Model,
    modules: &[&str],
    crate_name: &str,
    crate_version: &str,
) -> TokenStream {
    let uses = modules.iter().map(|module| {
        let module = ident(module);
        quote!(use crate::#module::*;)
    });
    let error_kind = error_kind(model);
    let profile = profile(&model.client, crate_name, crate_version);
    let notes = model.client.notes.iter().map(|n| format!(" {n}"));
    quote! {
        //! The client: configuration and one method per operation.
        // Which of these imports the operations use depends on the spec.
        #![allow(unused_imports)]
        #(#uses)*
        use sdk_runtime::{ApiResponse, Error, RequestOptions};

        #profile
        #error_kind

        /// The API client. Cheap to clone: clones share one connection pool.
        ///
        /// Build one with [`Client::from_env`] or [`Client::builder`].
        #(#[doc = #notes])*
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: sdk_runtime::Client,
        }

        /// Configures a [`Client`].
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: sdk_runtime::ClientBuilder,
        }

        impl ClientBuilder {
            /// The server to talk to, e.g. `http://127.0.0.1:4010` for a local mock.
            pub fn base_url(self, url: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.base_url(url) }
            }
            /// The API key, sent in the header the spec names.
            pub fn api_key(self, key: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.api_key(key) }
            }
            /// A bearer token, sent as `Authorization: Bearer <token>`.
            pub fn bearer_token(self, token: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.bearer_token(token) }
            }
            /// Time allowed for each attempt of a request (default 10 minutes).
            pub fn timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.timeout(timeout) }
            }
            /// Time allowed to connect (default 5 seconds).
            pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.connect_timeout(timeout) }
            }
            /// How many times a failed request is retried (default 2).
            pub fn max_retries(self, retries: u32) -> Self {
                ClientBuilder { inner: self.inner.max_retries(retries) }
            }
            /// The largest response body read (default 64 MiB); a larger one is
            /// `Error::ResponseTooLarge`. A call can raise it with `RequestOptions`.
            pub fn max_response_bytes(self, bytes: u64) -> Self {
                ClientBuilder { inner: self.inner.max_response_bytes(bytes) }
            }
            /// A header sent with every request.
            pub fn default_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.default_header(name, value) }
            }
            /// Uses a caller-configured `reqwest::Client` (proxies, TLS, pools).
            pub fn http_client(self, client: sdk_runtime::reqwest::Client) -> Self {
                ClientBuilder { inner: self.inner.http_client(client) }
            }
            /// Finishes the configuration.
            pub fn build(self) -> Result<Client, Error> {
                Ok(Client { inner: self.inner.build()? })
            }
        }

        impl Client {
            /// A builder that reads nothing from the environment.
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: sdk_runtime::ClientBuilder::new(&PROFILE) }
            }
            /// A builder preset from the environment variables the spec names.
            pub fn builder_from_env() -> ClientBuilder {
                ClientBuilder { inner: sdk_runtime::ClientBuilder::from_env(&PROFILE) }
            }
            /// A client configured from the environment variables the spec names.
            pub fn from_env() -> Result<Client, Error> {
                Client::builder_from_env().build()
            }
            /// A client that applies `options` (headers, timeout, retries) to every call.
            pub fn with_options(&self, options: RequestOptions) -> Client {
                Client { inner: self.inner.with_options(options) }
            }
            /// The runtime client underneath, for requests the spec does not describe.
            pub fn runtime(&self) -> &sdk_runtime::Client {
                &self.inner
            }
            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }
        }
    }
}

/// A typed view of API errors' type, when the spec names the open enum for it.
fn error_kind(model: &Model) -> Option<TokenStream> {
    let target = model.client.error_type_schema.as_ref()?;
    let def = model.types.iter().find(|t| &t.pointer == target)?;
    // The enum may be an alias of an identical one (`schema/shared.rs`).
    let mut shape = def;
    while let TypeKind::Alias(Ty::Named(id)) = &shape.kind {
        shape = &model.types[*id];
    }
    if !matches!(shape.kind, TypeKind::StringEnum(_)) {
        return None;
    }
    let name = ident(&def.name);
    let doc = format!(
        " Reads an API error's type as [`{}`], the spec's open enum of error types.",
        def.name
    );
    Some(quote! {
        #[doc = #doc]
        pub trait ErrorKind {
            /// The error's type, when the response body carried one.
            fn kind(&self) -> Option<#name>;
        }
        impl ErrorKind for sdk_runtime::ApiError {
            fn kind(&self) -> Option<#name> {
                self.error_type.as_deref().map(#name::from)
            }
        }
        impl ErrorKind for Error {
            fn kind(&self) -> Option<#name> {
                self.api_error().and_then(ErrorKind::kind)
            }
        }
    })
}

fn opt_str(value: Option<&String>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn profile(facts: &ClientFacts, crate_name: &str, crate_version: &str) -> TokenStream {
    let base_url = &facts.base_url;
    let base_url_env = opt_str(facts.base_url_env.as_ref());
    let api_key = match &facts.api_key {
        Some((header, env)) => {
            let env = opt_str(env.as_ref().filter(|e| !e.is_empty()));
            quote!(Some(sdk_runtime::ApiKeyScheme { header: #header, env: #env }))
        }
        None => quote!(None),
    };
    let bearer_env = opt_str(facts.bearer_env.as_ref().filter(|e| !e.is_empty()));
    let request_id = opt_str(facts.request_id_header.as_ref());
    let retry_count = opt_str(facts.retry_count_header.as_ref());
    let error_type = opt_str(facts.error_type_pointer.as_ref());
    let error_message = opt_str(facts.error_message_pointer.as_ref());
    let user_agent = format!("{crate_name}/{crate_version}");
    quote! {
        /// What the spec says about the server: base URL, credentials, headers, errors.
        pub static PROFILE: sdk_runtime::Profile = sdk_runtime::Profile {
            default_base_url: #base_url,
            base_url_env: #base_url_env,
            api_key: #api_key,
            bearer_env: #bearer_env,
            request_id_header: #request_id,
            retry_count_header: #retry_count,
            error_type_pointer: #error_type,
            error_message_pointer: #error_message,
            user_agent: #user_agent,
        };
    }
}

/// The argument type of a path parameter.
pub(crate) fn path_arg_ty(param: &Param, types: &[TypeDef]) -> TokenStream {
    match &param.ty {
        Ty::String => quote!(&str),
        other => ty_tokens(other, types),
    }
}

fn success_ty(op: &Operation, types: &[TypeDef]) -> TokenStream {
    match &op.response {
        ResponseShape::Single(body) => ty_tokens(&body.ty(), types),
        ResponseShape::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn body_arg(op: &Operation, types: &[TypeDef]) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let ty = match (&body.enum_name, body.media.first()) {
        (Some(name), _) => {
            let name = ident(name);
            quote!(#name)
        }
        (None, Some(media)) => ty_tokens(&media.ty, types),
        (None, None) => return None,
    };
    Some(if body.required {
        quote!(body: #ty)
    } else {
        quote!(body: Option<#ty>)
    })
}

fn operation(op: &Operation, types: &[TypeDef]) -> TokenStream {
    let name = ident(&op.ident);
    let with_response = format_ident!(
        "{}",
        crate::naming::suffixed(&op.ident, crate::naming::WITH_RESPONSE)
    );
    let mut args = Vec::new();
    let mut arg_names = Vec::new();
    for p in &op.path_params {
        let arg = ident(&p.ident);
        let ty = path_arg_ty(p, types);
        args.push(quote!(#arg: #ty));
        arg_names.push(quote!(#arg));
    }
    if let Some(params) = &op.params_type {
        let params = ident(params);
        args.push(quote!(params: #params));
        arg_names.push(quote!(params));
    }
    if let Some(body) = body_arg(op, types) {
        args.push(body);
        arg_names.push(quote!(body));
    }
    let output = success_ty(op, types);
    let mut doc = String::new();
    if let Some(summary) = &op.summary {
        doc.push_str(summary);
        doc.push_str("\n\n");
    }
    if let Some(description) = op
        .docs
        .description
        .as_ref()
        .filter(|d| op.summary.as_deref() != Some(d.as_str()))
    {
        doc.push_str(description);
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}`",
        op.method.wire(),
        op.path.replace('`', "'")
    ));
    let docs = doc_lines(&doc);
    let deprecated = op.docs.deprecated.then(|| quote!(#[deprecated]));
    let raw_doc = format!(
        " Like [`Client::{}`], with the response's status, headers and request id.",
        crate::naming::unraw(&op.ident)
    );
    let build = build_request(op);
    let decode = decode_response(op, types);
    let stream = op.pagination.as_ref().map(|page| {
        let stream = format_ident!("{}", crate::naming::suffixed(&op.ident, crate::naming::STREAM));
        let item = ty_tokens(&page.item_ty, types);
        let cursor = ident(&page.cursor_field);
        let owned: Vec<TokenStream> = op
            .path_params
            .iter()
            .map(|p| {
                let arg = ident(&p.ident);
                match p.ty {
                    Ty::String => quote!(let #arg = #arg.to_owned();),
                    _ => quote!(let #arg = #arg.clone();),
                }
            })
            // Each page's request sends the same body (Stripe gives its GET lists one).
            .chain(op.body.is_some().then(|| quote!(let body = body.clone();)))
            .collect();
        let call_args: Vec<TokenStream> = op
            .path_params
            .iter()
            .map(|p| {
                let arg = ident(&p.ident);
                match p.ty {
                    Ty::String => quote!(&#arg),
                    _ => quote!(#arg.clone()),
                }
            })
            .chain(op.params_type.is_some().then(|| quote!(params)))
            .chain(op.body.is_some().then(|| quote!(body)))
            .collect();
        let cursor_is_string = op.params.iter().any(|p| p.ident == page.cursor_field && p.ty == Ty::String);
        let set_cursor = if cursor_is_string {
            quote!(params.#cursor = Some(cursor);)
        } else {
            let message = format!("cursor {{cursor:?}} is not a valid `{}`", page.cursor_field);
            quote! {
                params.#cursor = Some(cursor.parse().map_err(|_| Error::InvalidArgument(format!(#message)))?);
            }
        };
        let current = match page.next {
            NextCursor::Offset { first } | NextCursor::Page { first } => {
                let first = Literal::i128_unsuffixed(i128::from(first));
                quote!(let current: i128 = params.#cursor.map_or(#first, i128::from);)
            }
            _ => TokenStream::new(),
        };
        // An absent or null flag says nothing: the other stops still apply.
        let more = page.more.as_ref().map(|flag| {
            let field = ident(&flag.ident);
            match option_depth(&flag.ty) {
                0 => quote!(let more = page.#field;),
                1 => quote!(let more = page.#field != Some(false);),
                _ => quote!(let more = page.#field.flatten() != Some(false);),
            }
        });
        let items_value = match &page.items {
            None => quote!(page),
            Some(field) => {
                let items = ident(&field.ident);
                match option_depth(&field.ty) {
                    0 => quote!(page.#items),
                    1 => quote!(page.#items.unwrap_or_default()),
                    _ => quote!(page.#items.flatten().unwrap_or_default()),
                }
            }
        };
        let (next_before, next_after) = match &page.next {
            NextCursor::Field(path) => {
                let next = match reach(quote!(page), path) {
                    Reach::Plain(place) => quote!(Some(#place.to_string())),
                    Reach::Optional(chain) => quote!(#chain.map(|v| v.to_string())),
                };
                (quote!(let next = #next;), TokenStream::new())
            }
            NextCursor::LastItem(path) => {
                let next = match reach(quote!(item), path) {
                    Reach::Plain(place) => quote!(items.last().map(|item| #place.to_string())),
                    Reach::Optional(chain) => {
                        quote!(items.last().and_then(|item| #chain).map(|v| v.to_string()))
                    }
                };
                (TokenStream::new(), quote!(let next = #next;))
            }
            NextCursor::Offset { .. } => {
                (TokenStream::new(), quote!(let next = Some((current + items.len() as i128).to_string());))
            }
            NextCursor::Page { .. } => (TokenStream::new(), quote!(let next = Some((current + 1).to_string());)),
        };
        let result = if more.is_some() {
            quote!(Ok((items, next.filter(|_| more))))
        } else {
            quote!(Ok((items, next)))
        };
        let dotted = |path: &[FieldRef]| {
            let fields: Vec<&str> = path.iter().map(|f| crate::naming::unraw(&f.ident)).collect();
            fields.join(".")
        };
        let how = match &page.next {
            NextCursor::Field(path) => {
                format!("`{}` set from the page's `{}`", page.cursor_field, dotted(path))
            }
            NextCursor::LastItem(path) => {
                format!("`{}` set from the last item's `{}`", page.cursor_field, dotted(path))
            }
            NextCursor::Offset { .. } => format!("`{}` moved past the items received", page.cursor_field),
            NextCursor::Page { .. } => format!("`{}` set to the next page number", page.cursor_field),
        };
        let until = if page.more.is_some() {
            "until the page says no more follow, the cursor is empty or a page has no items"
        } else {
            "until the cursor is empty or a page has no items"
        };
        let doc = format!(
            " Every item of every page, fetched lazily: [`Client::{}`] again with {how}, {until}.",
            crate::naming::unraw(&op.ident),
        );
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #stream(&self, #(#args),*) -> futures::stream::BoxStream<'static, Result<#item, Error>> {
                let client = self.clone();
                #(#owned)*
                sdk_runtime::paginate(move |cursor: Option<String>| {
                    let client = client.clone();
                    let mut params = params.clone();
                    #(#owned)*
                    async move {
                        if let Some(cursor) = cursor {
                            #set_cursor
                        }
                        #current
                        let page = client.#name(#(#call_args),*).await?;
                        #more
                        #next_before
                        let items: Vec<#item> = #items_value;
                        #next_after
                        #result
                    }
                })
            }
        }
    });
    let events = op
        .stream
        .as_ref()
        .map(|stream| events_method(op, stream, types, &args, &build, deprecated.as_ref()));
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> impl std::future::Future<Output = Result<#output, Error>> {
            sdk_runtime::value_only(self.#with_response(#(#arg_names),*))
        }

        #[doc = #raw_doc]
        #deprecated
        pub async fn #with_response(&self, #(#args),*) -> Result<ApiResponse<#output>, Error> {
            #build
            let response = self.inner.execute(request).await?;
            #decode
        }

        #stream

        #events
    }
}

/// `<op>_events`: the request of the operation (asking for the stream where its body
/// has a flag for it, accepting the streamed media type), its items as they arrive.
fn events_method(
    op: &Operation,
    stream: &Streaming,
    types: &[TypeDef],
    args: &[TokenStream],
    build: &TokenStream,
    deprecated: Option<&TokenStream>,
) -> TokenStream {
    let method = format_ident!(
        "{}",
        crate::naming::suffixed(&op.ident, crate::naming::EVENTS)
    );
    let item = ty_tokens(&stream.item, types);
    let content_type = &stream.content_type;
    let flag = stream.flag.as_ref().map(|flag| {
        let field = ident(&flag.ident);
        let value = match option_depth(&flag.ty) {
            0 => quote!(true),
            1 => quote!(Some(true)),
            _ => quote!(Some(Some(true))),
        };
        let required = op.body.as_ref().is_some_and(|b| b.required);
        if required {
            quote! {
                let mut body = body;
                body.#field = #value;
            }
        } else {
            quote! {
                let mut body = body;
                if let Some(body) = body.as_mut() {
                    body.#field = #value;
                }
            }
        }
    });
    let name = crate::naming::unraw(&op.ident);
    let flag_doc = stream.flag.as_ref().map_or_else(String::new, |flag| {
        format!(" with `{}` set to true", crate::naming::unraw(&flag.ident))
    });
    let (output, read, what) = match stream.format {
        StreamFormat::Sse => {
            let decode = sse_decoder(stream, &item, types);
            (
                quote!(sdk_runtime::SseItem<#item>),
                quote!(response.sse(#decode)),
                "each server-sent event as it arrives, its data decoded (`SseItem::Event`, \
                 with the event's name, id and retry), or, for an event name this operation \
                 does not declare, kept as sent (`SseItem::Unknown`)",
            )
        }
        StreamFormat::JsonLines => (
            item.clone(),
            quote!(response.json_lines::<#item>()),
            "each line of the JSON Lines answer, decoded, as it arrives",
        ),
    };
    let doc = format!(
        "Streams [`Client::{name}`]: the same request{flag_doc}, accepting \
         `{content_type}`; yields {what}.\n\n\
         A non-2xx answer is the call's error, as for [`Client::{name}`]; retries happen \
         only before the stream starts. The call's timeout bounds the wait for the answer \
         and then each wait for more of it, never the whole stream; `max_response_bytes` \
         bounds each item. An item that does not decode is an `Err` item and the stream \
         goes on; a dropped connection ends it with an `Err` item."
    );
    let docs = doc_lines(&doc);
    quote! {
        #docs
        #deprecated
        pub async fn #method(&self, #(#args),*) -> Result<futures::stream::BoxStream<'static, Result<#output, Error>>, Error> {
            #flag
            #build
            request.header("accept", #content_type.to_string());
            let response = self.inner.execute_stream(request).await?;
            Ok(#read)
        }
    }
}

/// The decoder of an event stream's data: by the variant an event name selects when the
/// item is a union with a discriminator (other names: by the union, kept as sent when it
/// knows no variant for them), else by the item type whatever the name.
fn sse_decoder(stream: &Streaming, item: &TokenStream, types: &[TypeDef]) -> TokenStream {
    // The closure binds only names `naming::METHOD_LOCALS` reserves (`item`: the event's
    // name, `value`: its data), so no path parameter is renamed for it.
    if stream.events.is_empty() {
        return quote! {
            Box::new(|_: &str, value: &str| Some(serde_json::from_str::<#item>(value)))
        };
    }
    let arms = stream.events.iter().map(|(event, variant, ty)| {
        let variant = ident(variant);
        let ty = ty_tokens(ty, types);
        quote!(#event => Some(serde_json::from_str::<#ty>(value).map(#item::#variant)),)
    });
    quote! {
        Box::new(|item: &str, value: &str| match item {
            #(#arms)*
            "message" => Some(serde_json::from_str::<#item>(value)),
            _ => serde_json::from_str::<#item>(value)
                .ok()
                .filter(|v| !matches!(v, #item::Other(_)))
                .map(Ok),
        })
    }
}

fn method_tokens(method: &HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(sdk_runtime::http::Method::GET),
        HttpMethod::Put => quote!(sdk_runtime::http::Method::PUT),
        HttpMethod::Post => quote!(sdk_runtime::http::Method::POST),
        HttpMethod::Delete => quote!(sdk_runtime::http::Method::DELETE),
        HttpMethod::Options => quote!(sdk_runtime::http::Method::OPTIONS),
        HttpMethod::Head => quote!(sdk_runtime::http::Method::HEAD),
        HttpMethod::Patch => quote!(sdk_runtime::http::Method::PATCH),
        HttpMethod::Trace => quote!(sdk_runtime::http::Method::TRACE),
        // An extension method: the generator let through HTTP tokens only, which
        // `from_bytes` accepts; were it to refuse one, the call fails before sending.
        HttpMethod::Query | HttpMethod::Other(_) => {
            let name = proc_macro2::Literal::byte_string(method.wire().as_bytes());
            quote! {
                sdk_runtime::http::Method::from_bytes(#name)
                    .map_err(|e| sdk_runtime::Error::InvalidArgument(e.to_string()))?
            }
        }
    }
}

fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form => quote!(sdk_runtime::params::Style::Form),
        Style::Simple => quote!(sdk_runtime::params::Style::Simple),
        Style::DeepObject => quote!(sdk_runtime::params::Style::DeepObject),
        Style::PipeDelimited => quote!(sdk_runtime::params::Style::PipeDelimited),
        Style::SpaceDelimited => quote!(sdk_runtime::params::Style::SpaceDelimited),
        Style::Label => quote!(sdk_runtime::params::Style::Label),
        Style::Matrix => quote!(sdk_runtime::params::Style::Matrix),
    }
}

fn build_request(op: &Operation) -> TokenStream {
    let mut stmts = TokenStream::new();
    // Path: literal pieces and encoded parameters, checked before anything is sent.
    let mut format = String::new();
    let mut format_args = Vec::new();
    // A parameter may appear twice in a template: encode it once.
    let mut encoded: Vec<&str> = Vec::new();
    for piece in &op.request_path {
        let wire = match piece {
            PathPiece::Literal(text) => {
                format.push_str(&text.replace('{', "{{").replace('}', "}}"));
                continue;
            }
            PathPiece::Param(wire) => wire.as_str(),
        };
        if let Some(p) = op.path_params.iter().find(|p| p.wire == wire) {
            let arg = ident(&p.ident);
            let style = style_tokens(p.style);
            let explode = p.explode;
            let check = if p.ty == Ty::String {
                quote!(sdk_runtime::check_path_param(#wire, #arg)?;)
            } else {
                TokenStream::new()
            };
            let value = format_ident!(
                "{}",
                crate::naming::suffixed(&p.ident, crate::naming::SEGMENT)
            );
            if !encoded.contains(&wire) {
                encoded.push(wire);
                stmts.extend(check);
                stmts.extend(quote! {
                    let #value = sdk_runtime::params::path_segment(#wire, &#arg, #style, #explode)?;
                });
            }
            format.push_str("{}");
            format_args.push(quote!(#value));
        }
    }
    let method = method_tokens(&op.method);
    let operation_name = &op.ident;
    let operation_name = crate::naming::unraw(operation_name);
    let path = if format_args.is_empty() {
        let literal = format.replace("{{", "{").replace("}}", "}");
        quote!(#literal.to_string())
    } else {
        quote!(format!(#format #(, #format_args)*))
    };
    stmts.extend(quote! {
        let mut request = sdk_runtime::Request::new(#method, #path);
        request.operation(#operation_name);
    });
    for (name, value) in &op.fixed_query {
        stmts.extend(quote!(request.query(#name, #value);));
    }
    for (name, value) in &op.constant_headers {
        stmts.extend(quote!(request.header(#name, #value.to_string());));
    }
    for p in &op.params {
        let field = ident(&p.ident);
        let wire = &p.wire;
        let style = style_tokens(p.style);
        let explode = p.explode;
        let value = if p.required {
            quote!(Some(&params.#field))
        } else {
            quote!(params.#field.as_ref())
        };
        let stmt = match p.location {
            Location::Query if p.json => quote! {
                if let Some(value) = #value { request.query(#wire, sdk_runtime::params::json_text(value)?); }
            },
            // An absent value serialises as null, which adds nothing: no branch needed.
            Location::Query => quote! {
                sdk_runtime::params::query(&mut request, #wire, &params.#field, #style, #explode)?;
            },
            Location::Header if !p.always_send.is_empty() => {
                let always = &p.always_send;
                quote! {
                    let values = match #value { Some(value) => sdk_runtime::params::list_values(value)?, None => Vec::new() };
                    request.list_header(#wire, values, &[#(#always),*]);
                }
            }
            Location::Header => quote! {
                if let Some(value) = #value { request.header(#wire, sdk_runtime::params::simple_value(value, #explode)?); }
            },
            // The whole query string, one pair per field of the value (form-encoded:
            // the only `querystring` media type the spec stage lets through).
            Location::QueryString => quote! {
                if let Some(value) = #value {
                    for (name, value) in sdk_runtime::params::form_pairs(value)? { request.query(&name, value); }
                }
            },
            Location::Cookie => quote! {
                if let Some(value) = #value { request.cookie(#wire, sdk_runtime::params::simple_value(value, #explode)?); }
            },
            Location::Path => TokenStream::new(),
        };
        stmts.extend(stmt);
    }
    if let Some(body) = &op.body {
        // `body` is always a reference here: the argument, the `Some` of an optional
        // body, or the payload of one variant of the body enum.
        let encode = |media: &BodyMedia| -> TokenStream {
            let content_type = &media.content_type;
            match media.kind {
                BodyKind::Json => quote!(sdk_runtime::Body::json(body)?),
                BodyKind::Form => quote!(sdk_runtime::Body::Form(sdk_runtime::params::form_pairs(
                    body
                )?)),
                BodyKind::Multipart => match &media.ty {
                    Ty::Named(_) => quote!(sdk_runtime::Body::Multipart(body.to_multipart()?)),
                    _ => quote!(sdk_runtime::Body::Multipart(
                        sdk_runtime::Multipart::from_files("file", body.clone())
                    )),
                },
                BodyKind::Text => quote! {
                    sdk_runtime::Body::Bytes { content_type: #content_type.to_string(), data: bytes::Bytes::from(body.clone()) }
                },
                BodyKind::Binary => {
                    let content_type = if content_type.contains('*') {
                        "application/octet-stream"
                    } else {
                        content_type
                    };
                    quote! {
                        sdk_runtime::Body::Bytes { content_type: #content_type.to_string(), data: body.clone() }
                    }
                }
            }
        };
        let encoded = match &body.enum_name {
            Some(name) => {
                let name = ident(name);
                let arms = body.media.iter().map(|media| {
                    let variant = ident(&media.variant);
                    let encode = encode(media);
                    quote!(#name::#variant(body) => #encode,)
                });
                quote!(match body { #(#arms)* })
            }
            None => match body.media.first() {
                Some(media) => encode(media),
                None => TokenStream::new(),
            },
        };
        if !encoded.is_empty() {
            if body.required {
                stmts.extend(quote! {
                    let body = &body;
                    request.body(#encoded);
                });
            } else {
                stmts.extend(quote!(if let Some(body) = &body { request.body(#encoded); }));
            }
        }
    }
    stmts
}

fn decode_body(body: &ResponseBody, types: &[TypeDef]) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => {
            let ty = ty_tokens(ty, types);
            quote!(response.json::<#ty>()?)
        }
        ResponseBody::Text => quote!(response.text()?),
        ResponseBody::Binary => quote!(response.body.clone()),
    }
}

fn decode_response(op: &Operation, types: &[TypeDef]) -> TokenStream {
    let value = match &op.response {
        ResponseShape::Single(body) => decode_body(body, types),
        ResponseShape::ByStatus { name, variants } => {
            let name = ident(name);
            let mut arms = Vec::new();
            let mut fallback = None;
            for v in variants {
                let variant = ident(&v.ident);
                let decode = decode_body(&v.body, types);
                let construct = if v.body == ResponseBody::Empty {
                    quote!(#name::#variant)
                } else {
                    quote!(#name::#variant(#decode))
                };
                match v.status {
                    Some(code) => arms.push(quote!(#code => #construct,)),
                    None => fallback = Some(construct),
                }
            }
            let fallback = fallback.unwrap_or_else(
                || quote!(#name::UnexpectedStatus(response.status.as_u16(), response.body.clone())),
            );
            quote!(match response.status.as_u16() { #(#arms)* _ => #fallback })
        }
    };
    quote! {
        let value = #value;
        Ok(response.into_api_response(value))
    }
}

/// How many `Option`s wrap `ty`.
fn option_depth(ty: &Ty) -> usize {
    match ty {
        Ty::Option(inner) => 1 + option_depth(inner),
        _ => 0,
    }
}

/// The value at `path` below `root` (a page or an item): a plain place expression while
/// every field on the way is required, else an `Option<&T>` that is `None` where an
/// optional field on the way is absent or null.
enum Reach {
    Plain(TokenStream),
    Optional(TokenStream),
}

fn reach(root: TokenStream, path: &[FieldRef]) -> Reach {
    let unwrap = |access: TokenStream, ty: &Ty| match option_depth(ty) {
        1 => quote!(#access.as_ref()),
        _ => quote!(#access.as_ref().and_then(Option::as_ref)),
    };
    let mut out = Reach::Plain(root);
    for step in path {
        let field = ident(&step.ident);
        let optional = option_depth(&step.ty) > 0;
        out = match out {
            Reach::Plain(place) if !optional => Reach::Plain(quote!(#place.#field)),
            Reach::Plain(place) => Reach::Optional(unwrap(quote!(#place.#field), &step.ty)),
            Reach::Optional(chain) if !optional => {
                Reach::Optional(quote!(#chain.map(|v| &v.#field)))
            }
            Reach::Optional(chain) => {
                let inner = unwrap(quote!(v.#field), &step.ty);
                Reach::Optional(quote!(#chain.and_then(|v| #inner)))
            }
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Delimiter, TokenStream, TokenTree};

    use crate::naming::{METHOD_LOCALS, SEGMENT};

    /// Every name `tokens` binds with `let`, `for`, `if let Some(..)`, a closure
    /// parameter or a one-field match arm.
    fn bindings(tokens: TokenStream, out: &mut Vec<String>) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let ident = |i: usize| match trees.get(i) {
            Some(TokenTree::Ident(ident)) => Some(ident.to_string()),
            _ => None,
        };
        let punct = |i: usize, c: char| matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
        let single = |i: usize| match trees.get(i) {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                match inner.as_slice() {
                    [TokenTree::Ident(ident)] => Some(ident.to_string()),
                    _ => None,
                }
            }
            _ => None,
        };
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Group(group) => {
                    bindings(group.stream(), out);
                    if punct(i + 1, '=') && punct(i + 2, '>') {
                        out.extend(single(i));
                    }
                }
                TokenTree::Ident(word) if word == "let" => {
                    let at = if ident(i + 1).as_deref() == Some("mut") {
                        i + 2
                    } else {
                        i + 1
                    };
                    match ident(at).as_deref() {
                        Some("Some") => out.extend(single(at + 1)),
                        // `let arg = arg.to_owned();`: an argument made owned, same name.
                        Some(name) if ident(at + 2).as_deref() == Some(name) => {}
                        Some(name) => out.push(name.to_string()),
                        None => {}
                    }
                }
                TokenTree::Ident(word)
                    if word == "for" && ident(i + 2).as_deref() == Some("in") =>
                {
                    out.extend(ident(i + 1));
                }
                TokenTree::Punct(p) if p.as_char() == '|' => {
                    if let Some(name) = ident(i + 1)
                        && (punct(i + 2, '|') || (punct(i + 2, ':') && !punct(i + 3, ':')))
                    {
                        out.push(name);
                    }
                }
                _ => {}
            }
        }
    }

    /// The method bodies bind only the names naming reserves, so no parameter, however
    /// named, can shadow one or be shadowed by one.
    #[test]
    fn method_bodies_bind_only_reserved_names() {
        let settings = crate::Settings {
            crate_name: "fixture".into(),
            crate_version: "0.1.0".into(),
            runtime: crate::Runtime::dependency("{ path = \"../runtime\" }"),
            standalone: true,
            spec_path_from_crate: None,
            overlay_path_from_crate: None,
            regenerate_command: "test".into(),
        };
        let fixtures = [
            include_str!("../../tests/fixtures/adversarial.yaml"),
            include_str!("../../tests/fixtures/pagination.yaml"),
            include_str!("../../tests/fixtures/bodies.yaml"),
            include_str!("../../tests/fixtures/params.yaml"),
            include_str!("../../tests/fixtures/sse.yaml"),
        ];
        let mut bound = Vec::new();
        for text in fixtures {
            let spec = crate::Spec::parse(text, "fixture.yaml").expect("fixture parses");
            let files = crate::generate(&spec, &settings).expect("fixture generates");
            let client = files
                .iter()
                .find(|f| f.path == "src/client.rs")
                .expect("client.rs");
            bindings(client.contents.parse().expect("tokens"), &mut bound);
        }
        bound.sort();
        bound.dedup();
        assert!(bound.iter().any(|name| name == "request"), "{bound:?}");
        let strays: Vec<&String> = bound
            .iter()
            .filter(|name| {
                *name != "_" && !METHOD_LOCALS.contains(&name.as_str()) && !name.ends_with(SEGMENT)
            })
            .collect();
        assert!(
            strays.is_empty(),
            "names bound but not reserved: {strays:?}"
        );
    }
}
