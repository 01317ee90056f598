//! Successful responses.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::config::Profile;
use crate::error::Error;

/// A successful (2xx, or unfollowed 3xx other than 304) response with its whole body.
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
