//! The one error type every runtime and generated call returns.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::retry;

/// Longest body excerpt kept in [`Error::Decode`] and shown in messages.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong when calling the API.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a non-success status (after any retries).
    ///
    /// Boxed so `Result<T, Error>` stays small on the success path.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request could not be sent or the response could not be read.
    #[error("connection error: {message}")]
    Connection {
        /// What failed, including the underlying cause.
        message: String,
        /// The transport error, when there is one.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// No complete response arrived within the per-request timeout.
    #[error("request timed out after {}", fmt_duration(*after))]
    Timeout {
        /// The timeout that was exceeded (per attempt).
        after: Duration,
    },
    /// A response arrived but its body is not what was expected.
    #[error(
        "could not decode {status} response: {message}{}; body starts: {}",
        fmt_request_id(request_id.as_deref()),
        one_line(snippet, SNIPPET_CHARS)
    )]
    Decode {
        /// Status of the response that failed to decode.
        status: StatusCode,
        /// The decoder's complaint.
        message: String,
        /// The start of the body (at most 200 characters).
        snippet: String,
        /// The request id of the response, if the server sent one.
        request_id: Option<String>,
    },
    /// The response body is larger than the client reads: its `Content-Length` says
    /// so (nothing was read), or the body passed the limit while being read (the read
    /// stopped there). Not retried: the same request would get the same body.
    #[error(
        "{status} response body exceeds the {} limit{}; raise it with `max_response_bytes` \
         (client builder, or per call in RequestOptions){}",
        fmt_bytes(*limit),
        match content_length {
            Some(n) => format!(" (Content-Length: {n})"),
            None => String::new(),
        },
        fmt_request_id(request_id.as_deref())
    )]
    ResponseTooLarge {
        /// Status of the response.
        status: StatusCode,
        /// The limit in force for the call, in bytes.
        limit: u64,
        /// The length the server declared, if it declared one.
        content_length: Option<u64>,
        /// The request id of the response, if the server sent one.
        request_id: Option<String>,
    },
    /// The server answered with a redirect (3xx other than 304) the client did not
    /// follow: it follows at most 10 redirects, and only within the origin (scheme,
    /// host and port) of the request, so credentials never reach another server.
    #[error(
        "redirect not followed: {status} {} (the client follows at most 10 redirects, \
         within the request's origin){}",
        match location {
            Some(l) => format!("to {}", one_line(l, 2000)),
            None => "without a Location header".to_owned(),
        },
        fmt_request_id(request_id.as_deref())
    )]
    Redirect {
        /// The redirect status (301, 302, 303, 307, 308, ...).
        status: StatusCode,
        /// The `Location` header as sent, if there was one.
        location: Option<String>,
        /// The request id of the response, if the server sent one.
        request_id: Option<String>,
    },
    /// A caller-supplied value was rejected before anything was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A local file (for an upload) could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or folder that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl Error {
    /// Whether retrying the same request could succeed: connection errors,
    /// timeouts, and API errors whose status (or `x-should-retry` header) says so.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => retry::should_retry(e.status, &e.headers),
            Error::Connection { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's request id, when a response carried one. Quote it in bug reports.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. }
            | Error::Redirect { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    /// Builds a [`Error::Decode`] for `body`, keeping only a short snippet of it.
    pub(crate) fn decode(
        status: StatusCode,
        message: impl Into<String>,
        body: &[u8],
        request_id: Option<String>,
    ) -> Self {
        Error::Decode {
            status,
            message: message.into(),
            snippet: snippet(body),
            request_id,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// A non-success response, decoded as far as the body allows (by `from_response` in
/// the response module, which knows the profile's error pointers).
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The response status.
    pub status: StatusCode,
    /// The machine-readable error type from the body, e.g. `not_found_error`.
    pub error_type: Option<String>,
    /// The human-readable message from the body.
    pub message: Option<String>,
    /// The request id, from the response headers or else the body's `request_id`.
    pub request_id: Option<String>,
    /// All response headers.
    pub headers: HeaderMap,
    /// The raw response body (may be empty, HTML, anything): its first 1 MiB at most
    /// (or the call's `max_response_bytes`, if lower); the rest is not read.
    pub body: Bytes,
}

impl ApiError {
    /// Decodes the body as `T`; `None` when it is not valid JSON of that shape.
    pub fn json<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Display for ApiError {
    /// One log line: `404 Not Found not_found_error: Skill not found (request-id req_123)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(t) = &self.error_type {
            write!(f, " {}", one_line(t, SNIPPET_CHARS))?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {}", one_line(m, 1000))?;
        } else if !self.body.is_empty() {
            write!(f, ": {}", one_line(&snippet(&self.body), SNIPPET_CHARS))?;
        }
        f.write_str(&fmt_request_id(self.request_id.as_deref()))
    }
}

impl std::error::Error for ApiError {}

/// The first [`SNIPPET_CHARS`] characters of a body, lossily decoded.
pub(crate) fn snippet(body: &[u8]) -> String {
    // Decode at most a few bytes per char so a huge body is not converted whole.
    let head = &body[..body.len().min(SNIPPET_CHARS * 4)];
    String::from_utf8_lossy(head)
        .chars()
        .take(SNIPPET_CHARS)
        .collect()
}

/// Collapses whitespace and control characters so messages stay on one log line.
fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars));
    let mut last_space = false;
    for c in text.chars().take(max_chars) {
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_owned()
}

fn fmt_request_id(id: Option<&str>) -> String {
    match id {
        Some(id) => format!(" (request-id {})", one_line(id, SNIPPET_CHARS)),
        None => String::new(),
    }
}

/// `64 MiB`, `512 KiB`, or `1000 bytes`: the unit that states `n` exactly.
fn fmt_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    match n {
        0 => "0 bytes".to_owned(),
        n if n % GIB == 0 => format!("{} GiB", n / GIB),
        n if n % MIB == 0 => format!("{} MiB", n / MIB),
        n if n % KIB == 0 => format!("{} KiB", n / KIB),
        n => format!("{n} bytes"),
    }
}

fn fmt_duration(d: Duration) -> String {
    if d.as_secs() > 0 && d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_char_safe() {
        let body = "é".repeat(1000);
        let s = snippet(body.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS);
        let e = Error::decode(StatusCode::OK, "bad", b"{\"a\":\n", None);
        assert_eq!(
            e.to_string(),
            "could not decode 200 OK response: bad; body starts: {\"a\":"
        );
    }

    #[test]
    fn too_large_display() {
        let e = Error::ResponseTooLarge {
            status: StatusCode::OK,
            limit: 64 * 1024 * 1024,
            content_length: Some(1_000_000_000),
            request_id: Some("req_1".into()),
        };
        assert_eq!(
            e.to_string(),
            "200 OK response body exceeds the 64 MiB limit (Content-Length: 1000000000); \
             raise it with `max_response_bytes` (client builder, or per call in RequestOptions) \
             (request-id req_1)"
        );
        assert!(!e.is_retryable());
        assert_eq!(e.status(), Some(StatusCode::OK));
        assert_eq!(e.request_id(), Some("req_1"));
        assert_eq!(fmt_bytes(1000), "1000 bytes");
        assert_eq!(fmt_bytes(1536 * 1024), "1536 KiB");
        assert_eq!(fmt_bytes(2 << 30), "2 GiB");
    }

    #[test]
    fn redirect_display() {
        let e = Error::Redirect {
            status: StatusCode::TEMPORARY_REDIRECT,
            location: Some("https://elsewhere.example/v1/x".into()),
            request_id: None,
        };
        assert_eq!(
            e.to_string(),
            "redirect not followed: 307 Temporary Redirect to https://elsewhere.example/v1/x \
             (the client follows at most 10 redirects, within the request's origin)"
        );
        assert!(!e.is_retryable());
        assert_eq!(e.status(), Some(StatusCode::TEMPORARY_REDIRECT));
        let e = Error::Redirect {
            status: StatusCode::FOUND,
            location: None,
            request_id: Some("r".into()),
        };
        assert!(
            e.to_string()
                .starts_with("redirect not followed: 302 Found without a Location header"),
            "{e}"
        );
    }

    #[test]
    fn timeout_display() {
        let e = Error::Timeout {
            after: Duration::from_millis(200),
        };
        assert_eq!(e.to_string(), "request timed out after 200ms");
        let e = Error::Timeout {
            after: Duration::from_secs(600),
        };
        assert_eq!(e.to_string(), "request timed out after 600s");
        assert!(e.is_retryable());
    }
}
