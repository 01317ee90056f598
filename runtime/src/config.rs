//! Client configuration: the spec-derived [`Profile`], the [`ClientBuilder`] that
//! validates settings into a [`ClientConfig`], and per-call [`RequestOptions`].
//!
//! Nothing here sends requests: the client module builds on this one (it holds
//! [`ClientBuilder::build`]), never the other way round.

use std::fmt;
use std::time::Duration;

use http::HeaderMap;
use http::header::{AUTHORIZATION, HeaderName, HeaderValue};

use super::error::Error;
use super::secret::Secret;

/// Spec-derived facts, a `static` in each generated crate.
#[derive(Debug)]
pub struct Profile {
    /// Base URL used when none is configured (`servers[0].url`).
    pub default_base_url: &'static str,
    /// Environment variable that overrides the base URL (`servers[0].x-env`).
    pub base_url_env: Option<&'static str>,
    /// API-key-in-header security scheme, if the spec has one.
    pub api_key: Option<ApiKeyScheme>,
    /// Environment variable holding a bearer token (HTTP bearer scheme).
    pub bearer_env: Option<&'static str>,
    /// Response header carrying the request id (else `request-id`, `x-request-id`).
    pub request_id_header: Option<&'static str>,
    /// Request header that tells the server which attempt this is (0 = first).
    pub retry_count_header: Option<&'static str>,
    /// JSON pointer to the error type in error bodies, e.g. `/error/type`.
    pub error_type_pointer: Option<&'static str>,
    /// JSON pointer to the error message in error bodies, e.g. `/error/message`.
    pub error_message_pointer: Option<&'static str>,
    /// `User-Agent` value, `<crate>/<version>`.
    pub user_agent: &'static str,
}

/// An API key sent in a request header.
#[derive(Debug, Clone, Copy)]
pub struct ApiKeyScheme {
    /// Header the key is sent in, e.g. `x-api-key`.
    pub header: &'static str,
    /// Environment variable [`ClientBuilder::from_env`] reads the key from.
    pub env: Option<&'static str>,
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Largest response body read by default: far above any JSON answer, small enough
/// that a broken or hostile server cannot make the client buffer gigabytes.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// Idle keep-alive connections the default HTTP client keeps per host (reqwest's own
/// default is unbounded). Sockets open to one host stay at most the calls in flight
/// plus this many.
pub(crate) const POOL_MAX_IDLE_PER_HOST: usize = 32;
/// Redirect hops followed by the default HTTP client.
const MAX_REDIRECTS: usize = 10;

/// Builds a [`Client`](super::Client). Nothing is validated until [`ClientBuilder::build`].
pub struct ClientBuilder {
    profile: &'static Profile,
    base_url: Option<String>,
    api_key: Option<Secret>,
    bearer_token: Option<Secret>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    max_response_bytes: u64,
    default_headers: Vec<(String, String)>,
    http_client: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// A builder with defaults only; reads no environment variables.
    pub fn new(profile: &'static Profile) -> Self {
        Self {
            profile,
            base_url: None,
            api_key: None,
            bearer_token: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            default_headers: Vec::new(),
            http_client: None,
        }
    }

    /// A builder seeded from the profile's environment variables (base URL,
    /// API key, bearer token). Unset or blank variables are ignored; later
    /// builder calls override what was read.
    pub fn from_env(profile: &'static Profile) -> Self {
        let read = |name: Option<&'static str>| {
            name.and_then(|n| std::env::var(n).ok())
                .filter(|v| !v.trim().is_empty())
        };
        let mut builder = Self::new(profile);
        builder.base_url = read(profile.base_url_env);
        builder.api_key = read(profile.api_key.and_then(|s| s.env)).map(Secret::from);
        builder.bearer_token = read(profile.bearer_env).map(Secret::from);
        builder
    }

    /// Overrides the base URL (scheme, host and optional path prefix).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the API key, sent in the profile's API-key header.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key));
        self
    }

    /// Sets a bearer token, sent as `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(Secret::new(token));
        self
    }

    /// Per-attempt timeout for the whole exchange, body included (default 600 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// TCP/TLS connect timeout (default 5 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Retries after the first attempt (default 2, so up to 3 attempts).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Largest response body the client reads (default 64 MiB). A `Content-Length`
    /// above it fails the call before the body is read; a body without one is read
    /// until it passes the limit, then the connection is dropped. Either way the call
    /// fails with [`Error::ResponseTooLarge`], which is not retried. Downloads that can
    /// be bigger raise it per call with [`RequestOptions::max_response_bytes`].
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.max_response_bytes = n;
        self
    }

    /// A header sent with every request; validated in [`ClientBuilder::build`].
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Uses a caller-configured `reqwest::Client` (proxies, TLS roots, ...). Each request
    /// carries this builder's [`timeout`](ClientBuilder::timeout), which takes the place
    /// of a total timeout set on that client.
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http_client = Some(c);
        self
    }

    /// Validates everything into the configuration a client is made of
    /// (used by [`ClientBuilder::build`]).
    pub(crate) fn into_config(self) -> Result<ClientConfig, Error> {
        let profile = self.profile;
        let base_url =
            parse_base_url(self.base_url.as_deref().unwrap_or(profile.default_base_url))?;

        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = header_pair(name, value)?;
            default_headers.insert(name, value);
        }

        let mut auth_headers = HeaderMap::new();
        if let Some(key) = &self.api_key {
            let scheme = profile.api_key.ok_or_else(|| {
                Error::InvalidArgument(
                    "an API key was given but this API has no API-key header; use a bearer token"
                        .into(),
                )
            })?;
            let name = header_name(scheme.header)?;
            auth_headers.insert(name, secret_value(key.expose(), "API key")?);
        }
        if let Some(token) = &self.bearer_token {
            let value = format!("Bearer {}", token.expose());
            auth_headers.insert(AUTHORIZATION, secret_value(&value, "bearer token")?);
        }

        let retry_count_header = profile.retry_count_header.map(header_name).transpose()?;
        let user_agent = HeaderValue::from_str(profile.user_agent)
            .map_err(|_| Error::InvalidArgument("invalid user agent in profile".into()))?;

        let http = match self.http_client {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .pool_max_idle_per_host(POOL_MAX_IDLE_PER_HOST)
                .build()
                .map_err(|e| Error::Connection {
                    message: format!("cannot build HTTP client: {e}"),
                    source: Some(e),
                })?,
        };

        Ok(ClientConfig {
            profile,
            base_url,
            http,
            auth_headers,
            default_headers,
            user_agent,
            retry_count_header,
            timeout: self.timeout,
            max_retries: self.max_retries,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials as `Secret([REDACTED])`; default header values could be
        // credentials too, so only their names are shown.
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("bearer_token", &self.bearer_token)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("default_headers", &names(&self.default_headers))
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

/// Validated configuration shared by all clones of a client.
pub(crate) struct ClientConfig {
    pub(crate) profile: &'static Profile,
    /// Without trailing `/`.
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    /// Marked sensitive, never logged.
    pub(crate) auth_headers: HeaderMap,
    pub(crate) default_headers: HeaderMap,
    pub(crate) user_agent: HeaderValue,
    pub(crate) retry_count_header: Option<HeaderName>,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) max_response_bytes: u64,
}

/// Per-call overrides, applied by [`Client::with_options`](super::Client::with_options). All optional.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) appended: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) max_response_bytes: Option<u64>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// An extra header, replacing any header of that name (validated at send).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A value comma-joined onto a list header (e.g. a feature-flag header),
    /// after the request's own values.
    pub fn append_header_value(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.appended.push((name.into(), value.into()));
        self
    }

    /// Per-attempt timeout for these calls.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Retries after the first attempt for these calls.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// Largest response body read for these calls, replacing the client's
    /// [`ClientBuilder::max_response_bytes`]: raise it for a large download, lower it
    /// where only small answers are expected.
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.max_response_bytes = Some(n);
        self
    }

    /// `self` overlaid with `later`: headers accumulate (later wins), scalars are replaced.
    pub(crate) fn overlay(&self, later: RequestOptions) -> RequestOptions {
        let mut merged = self.clone();
        merged.headers.extend(later.headers);
        merged.appended.extend(later.appended);
        merged.timeout = later.timeout.or(self.timeout);
        merged.max_retries = later.max_retries.or(self.max_retries);
        merged.max_response_bytes = later.max_response_bytes.or(self.max_response_bytes);
        merged
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("headers", &names(&self.headers))
            .field("appended", &self.appended)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

fn names(pairs: &[(String, String)]) -> Vec<&str> {
    pairs.iter().map(|(n, _)| n.as_str()).collect()
}

fn parse_base_url(raw: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::InvalidArgument(format!("invalid base URL `{raw}`: {why}"));
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("missing host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in URLs leak into logs; use api_key/bearer_token instead.
        return Err(Error::InvalidArgument(
            "base URL must not contain credentials".into(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

pub(crate) fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        Error::InvalidArgument(format!("invalid header name `{}`", name.escape_debug()))
    })
}

/// Validates a header; `\r`/`\n` in a value is refused, so no header can be injected.
pub(crate) fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let name = header_name(name)?;
    let value = HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidArgument(format!("invalid value for header `{name}`")))?;
    Ok((name, value))
}

fn secret_value(value: &str, what: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidArgument(format!(
            "the {what} contains characters not allowed in an HTTP header"
        ))
    })?;
    // Keeps the value out of `Debug` output of headers (and HTTP/2 header compression).
    v.set_sensitive(true);
    Ok(v)
}

/// Follows redirects only within the original origin, so credentials sent in
/// custom headers (which reqwest does not strip) never reach another host. A
/// redirect it does not follow (another origin, or more than [`MAX_REDIRECTS`] hops)
/// is handed back as the 3xx response itself, which the client turns into
/// [`Error::Redirect`] naming its `Location`.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_validation() {
        assert_eq!(
            parse_base_url("https://api.example.com/").unwrap(),
            "https://api.example.com"
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080/v1/").unwrap(),
            "http://127.0.0.1:8080/v1"
        );
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("https://x/?a=b").is_err());
        assert!(parse_base_url("https://u:p@x/").is_err());
    }

    #[test]
    fn header_validation() {
        assert!(header_pair("x-ok", "fine").is_ok());
        assert!(matches!(
            header_pair("x-bad", "a\nb"),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            header_pair("x-bad", "a\rb"),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            header_pair("bad name", "v"),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            header_pair("x\n", "v"),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn options_overlay() {
        let a = RequestOptions::new()
            .header("a", "1")
            .timeout(Duration::from_secs(1));
        let b = RequestOptions::new().header("b", "2").max_retries(5);
        let m = a.overlay(b);
        assert_eq!(m.headers.len(), 2);
        assert_eq!(m.timeout, Some(Duration::from_secs(1)));
        assert_eq!(m.max_retries, Some(5));
        assert_eq!(m.max_response_bytes, None);
        let m = m.overlay(RequestOptions::new().max_response_bytes(10));
        assert_eq!(m.max_response_bytes, Some(10));
        let m = m.overlay(RequestOptions::new().timeout(Duration::from_secs(2)));
        assert_eq!(m.max_response_bytes, Some(10));
    }
}
