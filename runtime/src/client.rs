//! The [`Client`]: sends requests with auth, retries, timeouts and tracing.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use bytes::BytesMut;
use http::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderName, HeaderValue, LOCATION, USER_AGENT};
use http::{HeaderMap, StatusCode};
use tracing::Instrument;

use super::config::{
    ClientBuilder, ClientConfig, Profile, RequestOptions, header_name, header_pair,
};
use super::error::{ApiError, Error};
use super::request::{Body, Request, check_cookie, check_path, encode_pairs};
use super::response::{RawResponse, request_id_from_headers};
use super::retry;
use super::stream::StreamResponse;

/// An API client. Cheap to clone: clones share configuration and connections.
#[derive(Clone)]
pub struct Client {
    config: Arc<ClientConfig>,
    options: Arc<RequestOptions>,
}

/// The per-call bounds of one attempt.
#[derive(Clone, Copy)]
struct Limits {
    timeout: Duration,
    max_response_bytes: u64,
}

/// A response with its body read (within the limits), or, for a streamed 2xx, still
/// to be read from `open`.
struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    open: Option<reqwest::Response>,
}

/// What one attempt leads to.
// One per attempt, returned once and matched at once: boxing the exchange would only
// add an allocation to every call.
#[allow(clippy::large_enum_variant)]
enum Step {
    Done(Result<Exchange, Error>),
    Retry,
}

impl ClientBuilder {
    /// Validates everything and builds the client.
    ///
    /// Fails with [`Error::InvalidArgument`] on a bad base URL, header, or
    /// credential (the message never contains the credential).
    pub fn build(self) -> Result<Client, Error> {
        Ok(Client {
            config: Arc::new(self.into_config()?),
            options: Arc::new(RequestOptions::default()),
        })
    }
}

impl Client {
    /// A builder for this API (same as [`ClientBuilder::new`]).
    pub fn builder(profile: &'static Profile) -> ClientBuilder {
        ClientBuilder::new(profile)
    }

    /// A client whose later calls use `options` on top of this client's own
    /// options. Shares connections with `self`.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            config: Arc::clone(&self.config),
            options: Arc::new(self.options.overlay(options)),
        }
    }

    /// The base URL requests are sent to (without trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The profile this client was built for.
    pub fn profile(&self) -> &'static Profile {
        self.config.profile
    }

    /// Sends `request`, retrying connection errors, timeouts and retryable
    /// statuses. Returns `Ok` only for 2xx; a redirect that was not followed is
    /// [`Error::Redirect`], a body over the size limit [`Error::ResponseTooLarge`] (both
    /// at once, never retried), and any other status becomes [`Error::Api`] once
    /// retries are used up.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let exchange = self.run(&request, false).await?;
        let request_id = request_id_from_headers(self.config.profile, &exchange.headers);
        Ok(RawResponse {
            status: exchange.status,
            headers: exchange.headers,
            body: exchange.body,
            request_id,
        })
    }

    /// Sends `request` like [`Client::execute`] (same retries, auth, headers and
    /// errors) but leaves a 2xx body unread, to be read as it arrives through the
    /// returned [`StreamResponse`]. Retries happen only before the response's headers
    /// arrive, never once the stream has started. The call's timeout bounds the wait for
    /// the headers and then each wait for the next chunk of the body, not the whole
    /// stream; `max_response_bytes` bounds each item (event or line), not the whole body.
    pub async fn execute_stream(&self, request: Request) -> Result<StreamResponse, Error> {
        let exchange = self.run(&request, true).await?;
        let request_id = request_id_from_headers(self.config.profile, &exchange.headers);
        let limits = self.limits();
        let body: futures::stream::BoxStream<'static, Result<Bytes, Error>> = match exchange.open {
            Some(response) => {
                let timeout = limits.timeout;
                Box::pin(futures::StreamExt::map(
                    response.bytes_stream(),
                    move |chunk| chunk.map_err(|e| transport_error(e, timeout)),
                ))
            }
            None => Box::pin(futures::stream::iter([Ok(exchange.body)])),
        };
        Ok(StreamResponse::new(
            exchange.status,
            exchange.headers,
            request_id,
            body,
            limits.timeout,
            limits.max_response_bytes,
        ))
    }

    /// The bounds of a call: the client's, unless the options set their own.
    fn limits(&self) -> Limits {
        Limits {
            timeout: self.options.timeout.unwrap_or(self.config.timeout),
            max_response_bytes: self
                .options
                .max_response_bytes
                .unwrap_or(self.config.max_response_bytes),
        }
    }

    /// The attempts of one call, until one is done; with `stream`, a 2xx body is left
    /// unread in [`Exchange::open`].
    async fn run(&self, request: &Request, stream: bool) -> Result<Exchange, Error> {
        let max_retries = self.options.max_retries.unwrap_or(self.config.max_retries);
        let limits = self.limits();
        // A whole response is bounded by reqwest's own timeout, set on the request, which
        // covers reading the body; a streamed one only until its headers arrive (below).
        let timeout = (!stream).then_some(limits.timeout);
        // The body is encoded once per call (a multipart body keeps its boundary); every
        // attempt shares its bytes.
        let body = request.body.as_ref().map(Body::encode);
        // The first attempt sends the request built here, moved rather than copied; a
        // retry, rare and after a backoff, builds it again from the same parts.
        let mut first = Some(self.prepare(request, body.as_ref(), timeout)?);
        let mut attempt: u32 = 0;
        loop {
            let outgoing = match first.take() {
                Some(outgoing) => outgoing,
                None => self.prepare(request, body.as_ref(), timeout)?,
            };
            let span = tracing::info_span!(
                "http_request",
                method = %request.method,
                path = %request.path,
                operation = request.operation.unwrap_or(""),
                attempt,
                status = tracing::field::Empty,
            );
            let can_retry = attempt < max_retries;
            let step = self
                .attempt(outgoing, attempt, limits, can_retry, stream)
                .instrument(span)
                .await;
            match step {
                Step::Done(result) => return result,
                Step::Retry => attempt += 1,
            }
        }
    }

    /// One attempt, plus the wait before the next one if it should be retried.
    async fn attempt(
        &self,
        outgoing: reqwest::Request,
        attempt: u32,
        limits: Limits,
        can_retry: bool,
        stream: bool,
    ) -> Step {
        let timeout = limits.timeout;
        let sent = self.send(outgoing, attempt, limits, stream);
        // A whole response carries its timeout (see `run`): no timer of its own here.
        let result = if stream {
            tokio::time::timeout(timeout, sent)
                .await
                .unwrap_or(Err(Error::Timeout { after: timeout }))
        } else {
            sent.await
        };
        let (error, retry_headers) = match result {
            Err(e) => (e, None),
            Ok(exchange) if exchange.status.is_success() => return Step::Done(Ok(exchange)),
            Ok(Exchange {
                status,
                headers,
                body,
                ..
            }) => {
                // A redirect the HTTP client did not follow (another origin, too many
                // hops) has nothing to decode: say so, with where it pointed. A 304 is
                // reported like an error status (as octokit does), with the headers
                // (`etag`) a conditional caller needs.
                if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                    let location = headers
                        .get(LOCATION)
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                    let request_id = request_id_from_headers(self.config.profile, &headers);
                    return Step::Done(Err(Error::Redirect {
                        status,
                        location,
                        request_id,
                    }));
                }
                let error = ApiError::from_response(self.config.profile, status, headers, body);
                if !retry::should_retry(status, &error.headers) {
                    return Step::Done(Err(error.into()));
                }
                let headers = error.headers.clone();
                (error.into(), Some(headers))
            }
        };
        if !can_retry || !error.is_retryable() {
            tracing::debug!(error = %error, "request failed");
            return Step::Done(Err(error));
        }
        let delay = retry::delay(attempt, retry_headers.as_ref());
        tracing::info!(
            error = %error,
            delay_ms = delay.as_millis() as u64,
            "retrying request"
        );
        tokio::time::sleep(delay).await;
        Step::Retry
    }

    /// Sends one attempt and reads the body within the limits: a 2xx body whole (or
    /// [`Error::ResponseTooLarge`]; with `stream`, not at all), any other body up to
    /// [`ERROR_BODY_BYTES`] (cut there, so an error status is never hidden behind a size
    /// error).
    async fn send(
        &self,
        mut outgoing: reqwest::Request,
        attempt: u32,
        limits: Limits,
        stream: bool,
    ) -> Result<Exchange, Error> {
        if let Some(name) = &self.config.retry_count_header {
            // A caller-set value (through options) is left alone.
            let headers = outgoing.headers_mut();
            if !headers.contains_key(name) {
                headers.insert(name.clone(), HeaderValue::from(attempt));
            }
        }
        let transport = |e| transport_error(e, limits.timeout);
        let mut response = self
            .config
            .http
            .execute(outgoing)
            .await
            .map_err(transport)?;
        let status = response.status();
        tracing::Span::current().record("status", status.as_u16());
        let headers = std::mem::take(response.headers_mut());
        if stream && status.is_success() {
            return Ok(Exchange {
                status,
                headers,
                body: Bytes::new(),
                open: Some(response),
            });
        }
        let body = if status.is_success() {
            let limit = limits.max_response_bytes;
            let too_large = |content_length| Error::ResponseTooLarge {
                status,
                limit,
                content_length,
                request_id: request_id_from_headers(self.config.profile, &headers),
            };
            // The declared length is checked before a byte of the body is read.
            let declared = response.content_length();
            if declared.is_some_and(|n| n > limit) {
                return Err(too_large(declared));
            }
            match read_body(&mut response, limit).await.map_err(transport)? {
                BodyRead::Whole(body) => body,
                BodyRead::Cut(_) => return Err(too_large(declared)),
            }
        } else if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            // Reported without its body; dropping the response closes the connection
            // unless the body was already complete.
            Bytes::new()
        } else {
            let limit = limits.max_response_bytes.min(ERROR_BODY_BYTES);
            match read_body(&mut response, limit).await.map_err(transport)? {
                BodyRead::Whole(body) | BodyRead::Cut(body) => body,
            }
        };
        Ok(Exchange {
            status,
            headers,
            body,
            open: None,
        })
    }

    /// Validates and assembles URL and headers into the request one attempt sends, with
    /// the encoded `body` (its content type and bytes) and, when given, reqwest's total
    /// `timeout`.
    fn prepare(
        &self,
        request: &Request,
        body: Option<&(String, Bytes)>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Request, Error> {
        let config = &self.config;
        let options = &self.options;

        check_path(&request.path)?;
        let mut url = format!("{}{}", config.base_url, request.path);
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(&encode_pairs(&request.query));
        }
        let url = reqwest::Url::parse(&url)
            .map_err(|e| Error::InvalidArgument(format!("invalid request URL: {e}")))?;

        // Later layers override earlier ones: built-ins, client defaults,
        // credentials, the request's own headers, then per-call options.
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, config.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in &config.default_headers {
            headers.insert(name.clone(), value.clone());
        }
        for (name, value) in &config.auth_headers {
            headers.insert(name.clone(), value.clone());
        }
        for (name, value) in &request.headers {
            let (name, value) = header_pair(name, value)?;
            headers.insert(name, value);
        }

        let appended = options
            .appended
            .iter()
            .map(|(n, v)| Ok((header_name(n)?, v.as_str())))
            .collect::<Result<Vec<_>, Error>>()?;
        let mut appended_used = vec![false; appended.len()];
        for list in &request.list_headers {
            let name = header_name(list.name)?;
            let mut values = list.values.clone();
            for (i, (n, v)) in appended.iter().enumerate() {
                if *n == name {
                    values.push((*v).to_owned());
                    appended_used[i] = true;
                }
            }
            for always in &list.always {
                if !values.iter().any(|v| v.trim() == always) {
                    values.push(always.clone());
                }
            }
            if !values.is_empty() {
                let (name, value) = header_pair(name.as_str(), &values.join(","))?;
                headers.insert(name, value);
            }
        }
        // Appended values for headers the request has no list for extend whatever is set.
        for ((name, value), used) in appended.iter().zip(&appended_used) {
            if *used {
                continue;
            }
            let joined = match headers.get(name).and_then(|v| v.to_str().ok()) {
                Some(existing) if !existing.trim().is_empty() => format!("{existing},{value}"),
                _ => (*value).to_owned(),
            };
            let (name, value) = header_pair(name.as_str(), &joined)?;
            headers.insert(name, value);
        }

        if !request.cookies.is_empty() {
            let mut pairs = Vec::with_capacity(request.cookies.len());
            for (name, value) in &request.cookies {
                check_cookie(name, value)?;
                pairs.push(format!("{name}={value}"));
            }
            let mut cookie = pairs.join("; ");
            if let Some(existing) = headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                cookie = format!("{existing}; {cookie}");
            }
            let (name, value) = header_pair(COOKIE.as_str(), &cookie)?;
            headers.insert(name, value);
        }

        for (name, value) in &options.headers {
            let (name, value) = header_pair(name, value)?;
            headers.insert(name, value);
        }

        let body = match body {
            Some((content_type, bytes)) => {
                // The body's own type wins: a multipart boundary must match the bytes.
                let (name, value) = header_pair(CONTENT_TYPE.as_str(), content_type)?;
                headers.insert(name, value);
                // `Bytes` clones share the buffer: each attempt sends the same bytes.
                Some(reqwest::Body::from(bytes.clone()))
            }
            None => None,
        };

        let mut outgoing = reqwest::Request::new(request.method.clone(), url);
        *outgoing.headers_mut() = headers;
        *outgoing.body_mut() = body;
        *outgoing.timeout_mut() = timeout;
        Ok(outgoing)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credential headers by name only; their values never leave `send`.
        let auth: Vec<&str> = self
            .config
            .auth_headers
            .keys()
            .map(HeaderName::as_str)
            .collect();
        let defaults: Vec<&str> = self
            .config
            .default_headers
            .keys()
            .map(HeaderName::as_str)
            .collect();
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url)
            .field("user_agent", &self.config.profile.user_agent)
            .field("auth_headers", &auth)
            .field("default_headers", &defaults)
            .field("timeout", &self.config.timeout)
            .field("max_retries", &self.config.max_retries)
            .field("max_response_bytes", &self.config.max_response_bytes)
            .field("options", &self.options)
            .finish()
    }
}

/// Most of a non-2xx body that is kept (in [`ApiError::body`]): enough for any error
/// envelope or proxy page, and the status, headers and retry decision never depend
/// on the rest.
const ERROR_BODY_BYTES: u64 = 1024 * 1024;

/// A body read up to a limit.
enum BodyRead {
    /// All of it, within the limit.
    Whole(Bytes),
    /// The first `limit` bytes of a longer body; the rest was not read.
    Cut(Bytes),
}

/// Reads the body chunk by chunk and stops as soon as it passes `limit`, so memory
/// stays within the limit whatever the server sends (or declares). A body that
/// arrives as one chunk, the usual case, is returned without a copy.
async fn read_body(
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<BodyRead, reqwest::Error> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut first: Option<Bytes> = None;
    let mut rest: Option<BytesMut> = None;
    let mut len: usize = 0;
    while let Some(chunk) = response.chunk().await? {
        let room = limit - len;
        let over = chunk.len() > room;
        let chunk = if over { chunk.slice(..room) } else { chunk };
        len += chunk.len();
        match (&mut first, &mut rest) {
            (None, _) => first = Some(chunk),
            (Some(head), None) => {
                let mut buf = BytesMut::with_capacity(head.len() + chunk.len());
                buf.extend_from_slice(head);
                buf.extend_from_slice(&chunk);
                rest = Some(buf);
            }
            (Some(_), Some(buf)) => buf.extend_from_slice(&chunk),
        }
        if over {
            return Ok(BodyRead::Cut(collected(first, rest)));
        }
    }
    Ok(BodyRead::Whole(collected(first, rest)))
}

fn collected(first: Option<Bytes>, rest: Option<BytesMut>) -> Bytes {
    match (first, rest) {
        (_, Some(buf)) => buf.freeze(),
        (Some(one), None) => one,
        (None, None) => Bytes::new(),
    }
}

fn transport_error(e: reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        return Error::Timeout { after: timeout };
    }
    if e.is_builder() {
        return Error::InvalidArgument(error_chain(&e));
    }
    Error::Connection {
        message: error_chain(&e),
        source: Some(e),
    }
}

/// `outer: cause: root cause` on one line; reqwest's own message hides the cause.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}
