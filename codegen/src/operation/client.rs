//! Spec-wide client facts: the server, the security schemes the client applies, and
//! the `x-client` extension's settings.

use crate::ir::{ClientFacts, PackageFacts};
use crate::spec::view::{Document, SecurityScheme};

pub(crate) fn client_facts(doc: Document<'_>) -> ClientFacts {
    let text = |v: Option<&str>| v.map(str::to_string);
    let server = doc.first_server();
    let mut facts = ClientFacts {
        title: doc.title().unwrap_or_default().to_string(),
        description: text(doc.description()),
        version: doc.version().unwrap_or_default().to_string(),
        base_url_env: text(server.as_ref().and_then(|(_, env)| *env)),
        base_url: server.map(|(url, _)| url).unwrap_or_default(),
        ..ClientFacts::default()
    };
    facts.request_id_header = text(doc.client_setting("request-id-header"));
    facts.retry_count_header = text(doc.client_setting("retry-count-header"));
    facts.error_type_pointer = text(doc.client_setting("error-type-pointer"));
    facts.error_message_pointer = text(doc.client_setting("error-message-pointer"));
    facts.error_type_schema = text(doc.client_setting("error-type-schema"));
    let url = |u: Option<&str>| u.filter(|u| u.starts_with("http")).map(str::to_string);
    // A repository is the spec's to name (`info.x-cargo.repository`): a contact page is
    // not one.
    facts.package = PackageFacts {
        license: text(doc.license()),
        homepage: url(doc.contact_url()),
        repository: None,
        documentation: url(doc.external_docs_url()),
        overrides: doc
            .cargo_settings()
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    };
    for (name, scheme) in doc.security_schemes() {
        match scheme {
            SecurityScheme::ApiKeyHeader { header, env } if facts.api_key.is_none() => {
                facts.api_key = Some((header.to_string(), text(env)));
            }
            SecurityScheme::Bearer { env, .. } if facts.bearer_env.is_none() => {
                facts.bearer_env = Some(env.unwrap_or_default().to_string());
            }
            SecurityScheme::ApiKeyHeader { .. } => facts.notes.push(scheme_note(name, "apiKey")),
            SecurityScheme::Bearer { kind, .. } | SecurityScheme::Other { kind } => {
                facts.notes.push(scheme_note(name, kind))
            }
        }
    }
    facts
}

fn scheme_note(name: &str, kind: &str) -> String {
    format!(
        "Security scheme `{name}` ({kind}) is not applied automatically; set it with `RequestOptions::header` or a default header."
    )
}
