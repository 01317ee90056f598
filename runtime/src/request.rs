//! Requests as generated code describes them, and their encoding.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use http::Method;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::error::Error;

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One API call, built by generated code and sent with [`super::Client::execute`].
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) list_headers: Vec<ListHeader>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) operation: Option<&'static str>,
}

/// A header whose value is a comma-separated list assembled at send time.
pub(crate) struct ListHeader {
    pub(crate) name: &'static str,
    pub(crate) values: Vec<String>,
    pub(crate) always: Vec<String>,
}

impl Request {
    /// A request for `path`, which must already be encoded (see
    /// [`encode_path_segment`]) and start with `/`; it is appended to the base URL.
    pub fn new(method: Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            list_headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            operation: None,
        }
    }

    /// Adds a query parameter; name and value are raw, the runtime encodes them.
    pub fn query(&mut self, name: &str, value: impl Into<String>) {
        self.query.push((name.to_owned(), value.into()));
    }

    /// Sets a header (validated at send; `\r`/`\n` are refused).
    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// Sets a comma-joined list header: `values`, then values appended through
    /// [`super::RequestOptions::append_header_value`], then those of `always`
    /// not already present.
    pub fn list_header(&mut self, name: &'static str, values: Vec<String>, always: &[&str]) {
        self.list_headers.push(ListHeader {
            name,
            values,
            always: always.iter().map(|s| (*s).to_owned()).collect(),
        });
    }

    /// Adds a cookie (validated at send).
    pub fn cookie(&mut self, name: &str, value: String) {
        self.cookies.push((name.to_owned(), value));
    }

    /// Sets the body.
    pub fn body(&mut self, body: Body) {
        self.body = Some(body);
    }

    /// Names the operation (its `operationId`) for the tracing span.
    pub fn operation(&mut self, id: &'static str) {
        self.operation = Some(id);
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The encoded path.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header and cookie values may be credentials: names only.
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "cookies",
                &self.cookies.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body", &self.body)
            .field("operation", &self.operation)
            .finish()
    }
}

/// A request body. Every variant is held as bytes, so each retry resends it intact.
#[derive(Clone)]
pub enum Body {
    /// Serialized JSON; sent as `application/json`.
    Json(Bytes),
    /// Raw bytes with their content type.
    Bytes {
        /// The `Content-Type` to send.
        content_type: String,
        /// The payload.
        data: Bytes,
    },
    /// `application/x-www-form-urlencoded` fields, in order.
    Form(Vec<(String, String)>),
    /// `multipart/form-data`.
    Multipart(Multipart),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(b) => write!(f, "Json({} bytes)", b.len()),
            Body::Bytes { content_type, data } => {
                write!(f, "Bytes({content_type}, {} bytes)", data.len())
            }
            Body::Form(fields) => write!(f, "Form({} fields)", fields.len()),
            Body::Multipart(m) => write!(f, "Multipart({} parts)", m.parts.len()),
        }
    }
}

impl Body {
    /// Serializes `value` as a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_json::to_vec(value)
            .map(|v| Body::Json(Bytes::from(v)))
            .map_err(|e| Error::InvalidArgument(format!("cannot serialize request body: {e}")))
    }

    /// Content type and encoded bytes.
    pub(crate) fn encode(&self) -> (String, Bytes) {
        match self {
            Body::Json(data) => ("application/json".to_owned(), data.clone()),
            Body::Bytes { content_type, data } => (content_type.clone(), data.clone()),
            Body::Form(fields) => (
                "application/x-www-form-urlencoded".to_owned(),
                Bytes::from(encode_pairs(fields)),
            ),
            Body::Multipart(m) => {
                let boundary = m.boundary();
                let content_type = format!("multipart/form-data; boundary={boundary}");
                (content_type, m.encode(&boundary))
            }
        }
    }
}

/// A `multipart/form-data` body of text fields and files.
#[derive(Clone, Default, Debug)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone, Debug)]
enum Part {
    Text { name: String, value: String },
    File { name: String, file: FilePart },
}

/// One file to upload.
#[derive(Clone, Debug, PartialEq)]
pub struct FilePart {
    /// File name sent in the part's `Content-Disposition` (may contain `/`).
    pub file_name: String,
    /// The part's content type; `application/octet-stream` when `None`.
    pub content_type: Option<String>,
    /// File contents.
    pub data: Bytes,
}

/// One or more files: a [`FilePart`], a slice, `Vec` or `Option` of them (owned or borrowed).
pub trait IntoFileParts {
    /// The files, in order.
    fn into_file_parts(self) -> Vec<FilePart>;
}

impl IntoFileParts for FilePart {
    fn into_file_parts(self) -> Vec<FilePart> {
        vec![self]
    }
}

impl IntoFileParts for &FilePart {
    fn into_file_parts(self) -> Vec<FilePart> {
        vec![self.clone()]
    }
}

impl IntoFileParts for Vec<FilePart> {
    fn into_file_parts(self) -> Vec<FilePart> {
        self
    }
}

impl IntoFileParts for &Vec<FilePart> {
    fn into_file_parts(self) -> Vec<FilePart> {
        self.clone()
    }
}

impl IntoFileParts for &[FilePart] {
    fn into_file_parts(self) -> Vec<FilePart> {
        self.to_vec()
    }
}

impl IntoFileParts for Option<FilePart> {
    fn into_file_parts(self) -> Vec<FilePart> {
        self.into_iter().collect()
    }
}

impl IntoFileParts for &Option<FilePart> {
    fn into_file_parts(self) -> Vec<FilePart> {
        self.iter().cloned().collect()
    }
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.parts.push(Part::Text {
            name: name.into(),
            value: value.into(),
        });
    }

    /// Adds a file field. Repeat the same `name` for an array of files.
    pub fn file(&mut self, name: impl Into<String>, file: FilePart) {
        self.parts.push(Part::File {
            name: name.into(),
            file,
        });
    }

    /// A form with one `name` part per file, in order.
    pub fn from_files(name: impl Into<String>, files: impl IntoFileParts) -> Self {
        let name = name.into();
        let mut form = Self::new();
        for file in files.into_file_parts() {
            form.file(name.clone(), file);
        }
        form
    }

    /// A random boundary that occurs in no part.
    fn boundary(&self) -> String {
        loop {
            let candidate = format!(
                "----sdk-boundary-{:016x}{:016x}",
                random_u64(),
                random_u64()
            );
            let needle = candidate.as_bytes();
            let clash = self.parts.iter().any(|p| {
                let hay: &[u8] = match p {
                    Part::Text { value, .. } => value.as_bytes(),
                    Part::File { file, .. } => &file.data,
                };
                hay.windows(needle.len()).any(|w| w == needle)
            });
            if !clash {
                return candidate;
            }
        }
    }

    /// Encodes once per `execute`, so every retry sends byte-identical bytes.
    fn encode(&self, boundary: &str) -> Bytes {
        let size: usize = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Text { value, .. } => value.len() + 128,
                Part::File { file, .. } => file.data.len() + file.file_name.len() + 192,
            })
            .sum();
        let mut out = BytesMut::with_capacity(size + boundary.len() * (self.parts.len() + 1));
        for part in &self.parts {
            out.put_slice(b"--");
            out.put_slice(boundary.as_bytes());
            out.put_slice(b"\r\n");
            match part {
                Part::Text { name, value } => {
                    out.put_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                            quote(name)
                        )
                        .as_bytes(),
                    );
                    out.put_slice(value.as_bytes());
                }
                Part::File { name, file } => {
                    out.put_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                            quote(name),
                            quote(&file.file_name),
                            sanitize_content_type(file.content_type.as_deref()),
                        )
                        .as_bytes(),
                    );
                    out.put_slice(&file.data);
                }
            }
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(boundary.as_bytes());
        out.put_slice(b"--\r\n");
        out.freeze()
    }
}

/// Escapes a form-data parameter the way browsers do (HTML spec), so names
/// cannot break out of their quotes or the part headers. `/` and non-ASCII
/// stay as they are: servers read relative paths from upload file names.
fn quote(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn sanitize_content_type(ct: Option<&str>) -> &str {
    match ct {
        Some(ct) if !ct.is_empty() && !ct.contains(['\r', '\n']) => ct,
        _ => "application/octet-stream",
    }
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

/// `name=value&...` with everything but unreserved characters percent-encoded
/// (valid both as a query string and as form-urlencoded).
pub(crate) fn encode_pairs(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(name, NOT_UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(value, NOT_UNRESERVED));
    }
    out
}

/// Percent-encodes a path parameter so it stays one segment: everything but
/// RFC 3986 unreserved characters is encoded (`a/b` -> `a%2Fb`), and the
/// segments `.` and `..` become `%2E` and `%2E%2E`.
///
/// Note that URL parsers still treat `%2E%2E` as `..`, so [`super::Client::execute`]
/// refuses paths containing such segments and [`check_path_param`] refuses the values.
pub fn encode_path_segment(value: &str) -> String {
    match value {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(value, NOT_UNRESERVED).to_string(),
    }
}

/// Checks a path parameter before it is encoded: empty values, `.` and `..`
/// would address a different resource, so they are [`Error::InvalidArgument`].
pub fn check_path_param(name: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "path parameter `{name}` must not be empty"
        )));
    }
    if value == "." || value == ".." {
        return Err(Error::InvalidArgument(format!(
            "path parameter `{name}` must not be `{value}`"
        )));
    }
    Ok(())
}

/// Validates a request path: starts with `/`, only URL path characters, no
/// dot segments (literal or percent-encoded), which URL parsing would resolve
/// and so send the request to another resource.
pub(crate) fn check_path(path: &str) -> Result<(), Error> {
    let bad = |why: &str| {
        Error::InvalidArgument(format!(
            "invalid request path `{}`: {why}",
            path.escape_debug()
        ))
    };
    if !path.starts_with('/') {
        return Err(bad("must start with `/`"));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~%!$&'()*+,;=:@/".contains(c);
    if !path.chars().all(allowed) {
        return Err(bad("contains characters that must be percent-encoded"));
    }
    let is_dot_segment = |seg: &str| {
        let lower = seg.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
        )
    };
    if path.split('/').any(is_dot_segment) {
        return Err(bad("contains a `.` or `..` segment"));
    }
    Ok(())
}

/// Validates a cookie pair; `;`, `,` and control characters would split or
/// inject cookies, so they are refused rather than silently altered.
pub(crate) fn check_cookie(name: &str, value: &str) -> Result<(), Error> {
    let token = |c: char| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?={}".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(Error::InvalidArgument(format!(
            "invalid cookie name `{}`",
            name.escape_debug()
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() || c == ';' || c == ',')
    {
        return Err(Error::InvalidArgument(format!(
            "invalid value for cookie `{name}`"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments() {
        assert_eq!(encode_path_segment("abc-1.2_~"), "abc-1.2_~");
        assert_eq!(encode_path_segment("../x"), "..%2Fx");
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
        assert_eq!(encode_path_segment("a b"), "a%20b");
        assert_eq!(encode_path_segment("ü"), "%C3%BC");
        assert_eq!(encode_path_segment("a?b#c%d"), "a%3Fb%23c%25d");
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("."), "%2E");
        assert!(check_path_param("id", "").is_err());
        assert!(check_path_param("id", "..").is_err());
        assert!(check_path_param("id", "x").is_ok());
    }

    #[test]
    fn paths() {
        assert!(check_path("/v1/skills/..%2Fx").is_ok());
        assert!(check_path("/v1/skills/a%20b/versions").is_ok());
        assert!(check_path("v1").is_err());
        assert!(check_path("/v1/%2E%2E").is_err());
        assert!(check_path("/v1/%2e/x").is_err());
        assert!(check_path("/v1/../x").is_err());
        assert!(check_path("/v1/a b").is_err());
        assert!(check_path("/v1?x=1").is_err());
    }

    #[test]
    fn pairs_and_cookies() {
        let pairs = vec![
            ("a b".to_owned(), "x&y=z".to_owned()),
            ("k".to_owned(), "ü".to_owned()),
        ];
        assert_eq!(encode_pairs(&pairs), "a%20b=x%26y%3Dz&k=%C3%BC");
        assert!(check_cookie("session", "abc").is_ok());
        assert!(check_cookie("session", "a;b=c").is_err());
        assert!(check_cookie("ses sion", "x").is_err());
    }

    #[test]
    fn json_body_and_file_lists() {
        let Body::Json(bytes) = Body::json(&serde_json::json!({"a": [1, 2]})).unwrap() else {
            panic!("expected Json");
        };
        assert_eq!(bytes.as_ref(), br#"{"a":[1,2]}"#);
        let file = |n: &str| FilePart {
            file_name: n.into(),
            content_type: None,
            data: Bytes::new(),
        };
        let files = vec![file("a"), file("b")];
        assert_eq!(Multipart::from_files("file", &files).parts.len(), 2);
        assert_eq!(Multipart::from_files("file", file("x")).parts.len(), 1);
        assert_eq!(
            Multipart::from_files("file", None::<FilePart>).parts.len(),
            0
        );
    }

    #[test]
    fn multipart_layout() {
        let mut m = Multipart::new();
        m.text("display_\"title", "My \"Skill\"");
        m.file(
            "files[]",
            FilePart {
                file_name: "my-skill/SKILL.md".into(),
                content_type: Some("text/markdown".into()),
                data: Bytes::from_static(b"# hi"),
            },
        );
        let body = m.encode("B");
        let expected = "--B\r\nContent-Disposition: form-data; name=\"display_%22title\"\r\n\r\nMy \"Skill\"\r\n\
             --B\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"my-skill/SKILL.md\"\r\n\
             Content-Type: text/markdown\r\n\r\n# hi\r\n--B--\r\n";
        assert_eq!(std::str::from_utf8(&body).unwrap(), expected);
        let (ct, _) = Body::Multipart(m).encode();
        assert!(ct.starts_with("multipart/form-data; boundary=----sdk-boundary-"));
    }
}
