//! What comes back: successful responses, and the decoding of error responses into
//! [`ApiError`] (both read the profile's request-id header).

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::config::Profile;
use super::error::{ApiError, Error};

/// A successful (2xx) response with its whole body (at most the call's
/// `max_response_bytes`).
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status.
    pub status: StatusCode,
    /// All response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The server's request id, if it sent one.
    pub request_id: Option<String>,
}

impl RawResponse {
    /// Decodes the body as JSON; [`Error::Decode`] (with a body snippet) if it does not fit `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::decode(
                self.status,
                e.to_string(),
                &self.body,
                self.request_id.clone(),
            )
        })
    }

    /// The body as UTF-8 text; [`Error::Decode`] if it is not valid UTF-8.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|e| {
            Error::decode(
                self.status,
                e.to_string(),
                &self.body,
                self.request_id.clone(),
            )
        })
    }

    /// Decodes the body as JSON and keeps the response metadata alongside it.
    pub fn into_json<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        let value = self.json()?;
        Ok(ApiResponse {
            value,
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        })
    }

    /// Wraps an already-decoded value with this response's metadata.
    pub fn into_api_response<T>(self, value: T) -> ApiResponse<T> {
        ApiResponse {
            value,
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }
}

/// A decoded value together with the response it came from.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The decoded body.
    pub value: T,
    /// The status.
    pub status: StatusCode,
    /// All response headers.
    pub headers: HeaderMap,
    /// The server's request id, if it sent one.
    pub request_id: Option<String>,
}

/// The value of a call's response, without its status, headers and request id: what a
/// generated method returns, over its `_with_response` twin. A function here rather than
/// an `async fn` per operation, which the compiler would check once for each.
pub async fn value_only<T>(
    call: impl Future<Output = Result<ApiResponse<T>, Error>>,
) -> Result<T, Error> {
    call.await.map(ApiResponse::into_inner)
}

impl<T> ApiResponse<T> {
    /// Drops the metadata.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Transforms the value, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }
}

/// The request id from the profile's header, else `request-id`, else `x-request-id`.
pub(crate) fn request_id_from_headers(profile: &Profile, headers: &HeaderMap) -> Option<String> {
    profile
        .request_id_header
        .into_iter()
        .chain(["request-id", "x-request-id"])
        .find_map(|name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        })
}

impl ApiError {
    /// Reads type, message and request id out of a response, never failing:
    /// bodies that are not JSON (proxies' HTML pages) just leave them unset.
    pub(crate) fn from_response(
        profile: &Profile,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        let lookup = |pointers: &[Option<&str>]| -> Option<String> {
            let json = json.as_ref()?;
            pointers.iter().flatten().find_map(|p| {
                json.pointer(p)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
                    .filter(|s| !s.is_empty())
            })
        };
        let error_type = lookup(&[
            profile.error_type_pointer,
            Some("/error/type"),
            Some("/type"),
        ]);
        let message = lookup(&[
            profile.error_message_pointer,
            Some("/error/message"),
            Some("/message"),
            // Some APIs send `{"error": "text"}`.
            Some("/error"),
        ]);
        let request_id =
            request_id_from_headers(profile, &headers).or_else(|| lookup(&[Some("/request_id")]));
        ApiError {
            status,
            error_type,
            message,
            request_id,
            headers,
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static PROFILE: Profile = Profile {
        default_base_url: "http://localhost",
        base_url_env: None,
        api_key: None,
        bearer_env: None,
        request_id_header: Some("my-request-id"),
        retry_count_header: None,
        error_type_pointer: Some("/err/kind"),
        error_message_pointer: Some("/err/text"),
        user_agent: "test/0",
    };

    #[test]
    fn display_is_one_line() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", "req_123".parse().unwrap());
        let e = ApiError::from_response(
            &PROFILE,
            StatusCode::NOT_FOUND,
            headers,
            Bytes::from_static(
                br#"{"type":"error","error":{"type":"not_found_error","message":"Skill\nnot found"}}"#,
            ),
        );
        assert_eq!(
            Error::from(e).to_string(),
            "404 Not Found not_found_error: Skill not found (request-id req_123)"
        );
    }

    #[test]
    fn profile_pointers_win() {
        let e = ApiError::from_response(
            &PROFILE,
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            Bytes::from_static(
                br#"{"err":{"kind":"k","text":"t"},"error":{"type":"x","message":"y"},"request_id":"r"}"#,
            ),
        );
        assert_eq!(e.error_type.as_deref(), Some("k"));
        assert_eq!(e.message.as_deref(), Some("t"));
        assert_eq!(e.request_id.as_deref(), Some("r"));
    }

    #[test]
    fn flat_fallbacks_and_html() {
        let e = ApiError::from_response(
            &PROFILE,
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            Bytes::from_static(br#"{"type":"bad","message":"nope"}"#),
        );
        assert_eq!(e.error_type.as_deref(), Some("bad"));
        assert_eq!(e.message.as_deref(), Some("nope"));

        let e = ApiError::from_response(
            &PROFILE,
            StatusCode::PAYLOAD_TOO_LARGE,
            HeaderMap::new(),
            Bytes::from_static(b"<html>\n<h1>413</h1>\n</html>"),
        );
        assert_eq!(e.error_type, None);
        assert_eq!(
            e.to_string(),
            "413 Payload Too Large: <html> <h1>413</h1> </html>"
        );
    }
}
