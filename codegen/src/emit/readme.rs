//! The crate's `README.md` and its quick start, `examples/quick_start.rs`: building the
//! client, one call, one stream where the API has one, and handling an API error. The
//! README shows the example's own text, so what it shows is what compiles.

use proc_macro2::TokenStream;
use quote::quote;

use crate::Settings;
use crate::emit::ident;
use crate::features::{Features, Gate};
use crate::ir::{Model, Operation, Ty, TypeKind};

/// The example program's tokens.
pub(crate) fn example(model: &Model, settings: &Settings) -> TokenStream {
    let krate = ident(&settings.crate_name.replace('-', "_"));
    let anything_to_call = callable(model, |_| true).is_some();
    // With nothing the example can call, the client is only built.
    let binding = if anything_to_call {
        quote!(client)
    } else {
        quote!(_client)
    };
    let client = match client_env_names(model).is_empty() {
        true => quote! { let #binding = Client::builder().build()?; },
        false => quote! { let #binding = Client::from_env()?; },
    };
    let env_note = env_note(model);
    let (call, stream) = example_operations(model);
    let call = call.map(|op| {
        let name = ident(&op.ident);
        let args = arguments(op);
        quote! {
            // One call; an error the API answers with is `Error::Api`.
            match client.#name(#(#args),*).await {
                Ok(response) => println!("{response:?}"),
                Err(Error::Api(error)) => eprintln!(
                    "the API answered {}: {}",
                    error.status,
                    error.message.as_deref().unwrap_or("(no message)")
                ),
                Err(other) => return Err(other),
            }
        }
    });
    let stream = stream.map(|op| {
        let name = quote::format_ident!(
            "{}",
            crate::naming::suffixed(&op.ident, crate::naming::STREAM)
        );
        let args = arguments(op);
        quote! {
            // Every item of every page, fetched as the stream is read.
            let mut items = client.#name(#(#args),*);
            while let Some(item) = futures::StreamExt::next(&mut items).await {
                let item = item?;
                println!("{item:?}");
            }
        }
    });
    let header_doc = format!(" The README's quick start.{env_note}");
    quote! {
        #![doc = #header_doc]
        use #krate::{Client, Error};

        #[tokio::main]
        async fn main() -> Result<(), Error> {
            #client
            #call
            #stream
            Ok(())
        }
    }
}

/// The operations the quick start calls: one call (one without pages if there is one)
/// and one stream.
fn example_operations(model: &Model) -> (Option<&Operation>, Option<&Operation>) {
    let call = callable(model, |op| op.pagination.is_none()).or_else(|| callable(model, |_| true));
    let stream = callable(model, |op| op.pagination.is_some());
    (call, stream)
}

/// The features the quick start needs: one that compiles each operation it calls.
pub(crate) fn example_features(model: &Model, features: &Features) -> Vec<String> {
    let (call, stream) = example_operations(model);
    let mut needs: Vec<String> = Vec::new();
    for op in [call, stream].into_iter().flatten() {
        let Some(index) = model.operations.iter().position(|o| std::ptr::eq(o, op)) else {
            continue;
        };
        if let Some(first) = features.of(features.operation(index)).first()
            && !needs.iter().any(|n| n == first)
        {
            needs.push((*first).to_string());
        }
    }
    needs
}

/// The README around the rendered example (`example_text`, its header line dropped).
pub(crate) fn readme(
    model: &Model,
    settings: &Settings,
    features: &Features,
    header: &str,
    example_text: &str,
) -> String {
    let facts = &model.client;
    let code: String = example_text
        .lines()
        .skip_while(|line| line.starts_with("//"))
        .skip_while(|line| line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = format!("<!-- {header} -->\n\n# {}\n\n", settings.crate_name);
    out.push_str(&format!(
        "A Rust client for {}, generated from its OpenAPI description",
        facts.title
    ));
    if !facts.version.is_empty() {
        out.push_str(&format!(" (version `{}`)", facts.version));
    }
    out.push_str(".\n\n");
    if let Some(description) = facts
        .description
        .as_deref()
        .and_then(|d| d.split("\n\n").next())
    {
        out.push_str(description.trim());
        out.push_str("\n\n");
    }
    let env = client_env_names(model);
    out.push_str(&format!(
        "## Install\n\n```toml\n[dependencies]\n{} = \"{}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\nfutures = \"0.3\"\n```\n\n",
        settings.crate_name, settings.crate_version
    ));
    out.push_str("TLS is rustls by default; for the platform's own TLS, turn default features off and ask for `native-tls`.\n\n");
    features_section(&mut out, model, settings, features);
    out.push_str("## Quick start\n\n");
    if !env.is_empty() {
        out.push_str(&format!(
            "`Client::from_env()` reads {}.\n\n",
            env.iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str(&format!(
        "This is `examples/quick_start.rs`:\n\n```rust,no_run\n{code}\n```\n\n"
    ));
    let streamed: Vec<String> = model
        .operations
        .iter()
        .filter(|op| op.stream.is_some())
        .map(|op| {
            format!(
                "`{}`",
                crate::naming::suffixed(&op.ident, crate::naming::EVENTS)
            )
        })
        .collect();
    if !streamed.is_empty() {
        let shown = streamed.len().min(5);
        let more = if streamed.len() > shown { ", ..." } else { "" };
        out.push_str(&format!(
            "## Streams\n\nOperations that answer server-sent events or JSON Lines have an `_events` method beside their plain one ({}{more}): it sends the same request (with the body's `stream` flag set, where it has one) and returns a `futures` stream of typed items as they arrive. An event keeps its name, id and `retry`; an event name the operation does not declare comes back as `SseItem::Unknown`, and an item that does not decode is an `Err` item after which the stream goes on. Retries happen only before the stream starts; the timeout bounds each wait for more, not the whole stream, and `max_response_bytes` bounds each item.\n\n",
            streamed[..shown].join(", ")
        ));
    }
    out.push_str("## Errors\n\nEvery call returns `Result<_, Error>`. `Error::Api` carries the status, the error type and message the body gives, the request id and the raw body; timeouts, connection failures, oversized bodies and redirects the client will not follow each have a variant of their own. Failed calls are retried with backoff where that is safe (connection errors, 408, 409, 429 and 5xx), honouring `Retry-After`.\n");
    out
}

/// How to compile only some groups of operations, with a table of the features.
fn features_section(out: &mut String, model: &Model, settings: &Settings, features: &Features) {
    let names = features.names();
    let Some(first) = names.first() else {
        return;
    };
    let runtime_features = match &settings.runtime {
        crate::Runtime::Dependency { features, .. } => features,
        crate::Runtime::Vendored(vendored) => &vendored.features,
    };
    // With default features off, the TLS backend must be named again.
    let tls = if runtime_features.iter().any(|f| f.name == "rustls-tls") {
        ("\"rustls-tls\", ", " (and the TLS feature)")
    } else {
        ("", "")
    };
    out.push_str("## Features\n\n");
    out.push_str(&format!(
        "Each group of operations (a tag of the API's description, or a path's first segment when it has no tags) is a Cargo feature, and all of them are on by default. To compile only the operations you call, and the types they use, turn default features off and name their groups{}:\n\n```toml\n{} = {{ version = \"{}\", default-features = false, features = [{}\"{first}\"] }}\n```\n\n",
        tls.1, settings.crate_name, settings.crate_version, tls.0
    ));
    out.push_str("An operation with several tags is in each of their groups; operations in no group, and the types every group uses, are always compiled; the types no operation uses (webhook and callback bodies, for one) have a feature of their own. `api-surface.txt` gives each item's features.\n\n| feature | group | operations |\n|---|---|---|\n");
    for (index, (name, group)) in names.iter().zip(features.groups()).enumerate() {
        let count = (0..model.operations.len())
            .filter(
                |&i| matches!(features.operation(i), Gate::Any(groups) if groups.contains(&index)),
            )
            .count();
        let group = group
            .replace('|', "\\|")
            .replace('`', "'")
            .replace('\n', " ");
        out.push_str(&format!("| `{name}` | {group} | {count} |\n"));
    }
    out.push('\n');
}

/// The environment variables `Client::from_env` reads.
fn client_env_names(model: &Model) -> Vec<String> {
    let facts = &model.client;
    let mut names = Vec::new();
    if let Some((_, Some(env))) = &facts.api_key {
        names.push(env.clone());
    }
    if let Some(env) = facts.bearer_env.as_ref().filter(|e| !e.is_empty()) {
        names.push(env.clone());
    }
    if let Some(env) = &facts.base_url_env {
        names.push(env.clone());
    }
    names
}

fn env_note(model: &Model) -> String {
    let names = client_env_names(model);
    if names.is_empty() {
        " The API's address is the one its description gives; the builder can change it.".into()
    } else {
        format!(
            " The client reads {} from the environment.",
            names.join(", ")
        )
    }
}

/// The first operation `wanted` accepts that the example can call with made-up
/// arguments: no body, path parameters of plain types, parameters all optional.
fn callable(model: &Model, wanted: impl Fn(&Operation) -> bool) -> Option<&Operation> {
    model.operations.iter().find(|op| {
        wanted(op)
            && !op.docs.deprecated
            && op.body.is_none()
            && op.path_params.iter().all(|p| sample(&p.ty).is_some())
            && op.params_type.as_ref().is_none_or(|name| {
                model.types.iter().any(|t| {
                    &t.name == name
                        && matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().all(|f| !f.required))
                })
            })
    })
}

/// A value of a path parameter's type for the example.
fn sample(ty: &Ty) -> Option<TokenStream> {
    Some(match ty {
        Ty::String => quote!("..."),
        Ty::I32 | Ty::I64 | Ty::U64 => quote!(1),
        Ty::Bool => quote!(true),
        _ => return None,
    })
}

fn arguments(op: &Operation) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = op
        .path_params
        .iter()
        .filter_map(|p| sample(&p.ty))
        .collect();
    if op.params_type.is_some() {
        args.push(quote!(Default::default()));
    }
    args
}
