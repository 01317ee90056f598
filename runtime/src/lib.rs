//! Generic HTTP runtime for SDK crates generated from OpenAPI specs.
//!
//! Generated crates describe their API through a static [`Profile`] and call
//! [`Client::execute`] with a [`Request`]; this crate handles configuration,
//! authentication, retries with backoff, timeouts, error decoding, tracing,
//! pagination, streamed responses (server-sent events, JSON Lines) and file uploads. Nothing here is specific to one vendor.
//!
//! ```no_run
//! use sdk_runtime::{ApiKeyScheme, Client, Profile, Request};
//!
//! static PROFILE: Profile = Profile {
//!     default_base_url: "https://api.example.com",
//!     base_url_env: Some("EXAMPLE_BASE_URL"),
//!     api_key: Some(ApiKeyScheme { header: "x-api-key", env: Some("EXAMPLE_API_KEY") }),
//!     bearer_env: None,
//!     request_id_header: Some("request-id"),
//!     retry_count_header: Some("x-retry-count"),
//!     error_type_pointer: Some("/error/type"),
//!     error_message_pointer: Some("/error/message"),
//!     user_agent: "example-sdk/0.1.0",
//! };
//!
//! # async fn run() -> Result<(), sdk_runtime::Error> {
//! let client = Client::builder(&PROFILE).api_key("sk-...").build()?;
//! let response = client
//!     .execute(Request::new(http::Method::GET, "/v1/things".to_string()))
//!     .await?;
//! let things: serde_json::Value = response.json()?;
//! # let _ = things;
//! # Ok(())
//! # }
//! ```

mod client;
mod config;
pub mod double_option;
mod error;
mod formats;
mod macros;
pub mod object;
mod pagination;
pub mod params;
mod request;
mod response;
mod retry;
mod secret;
mod stream;
pub mod upload;

pub use client::Client;
pub use config::{ApiKeyScheme, ClientBuilder, Profile, RequestOptions};
pub use error::{ApiError, Error};
pub use formats::{Date, DateTime};
pub use macros::{OpenIntEnum, OpenStringEnum, OpenValueEnum};
pub use pagination::paginate;
pub use request::{
    Body, FilePart, IntoFileParts, Multipart, Request, check_path_param, encode_path_segment,
};
pub use response::{ApiResponse, RawResponse, value_only};
pub use secret::Secret;
pub use stream::{DONE, SseDecoder, SseEvent, SseItem, StreamResponse};

// The open-enum macros under their public names. They are exported as
// `__sdk_runtime_*` (what `#[macro_export]` puts at the root of whichever crate holds
// this code) and re-exported here, so `sdk_runtime::open_string_enum_traits!` works both
// from this crate and from a generated crate that vendors it as its module `sdk_runtime`.
#[doc(inline)]
pub use crate::__sdk_runtime_object as object;
#[doc(inline)]
pub use crate::__sdk_runtime_open_int_enum_traits as open_int_enum_traits;
#[doc(inline)]
pub use crate::__sdk_runtime_open_string_enum_traits as open_string_enum_traits;
#[doc(inline)]
pub use crate::__sdk_runtime_open_value_enum_traits as open_value_enum_traits;

/// This crate under the name its macros use (`$crate::sdk_runtime::…`): here it is the
/// crate itself; in a generated crate that vendors the runtime, the crate root's
/// `sdk_runtime` module is.
#[doc(hidden)]
pub use crate as sdk_runtime;

/// Re-exported so generated crates and callers use the same versions as the runtime.
pub use bytes;
pub use http;
pub use reqwest;
/// Re-exported for the open-enum macros' expansions.
pub use serde;
/// Re-exported for the open-enum macros' expansions.
pub use serde_json;
/// Re-exported: [`DateTime::parse`] and [`Date::parse`] return its types.
pub use time;

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "super::double_option"
        )]
        title: Option<Option<String>>,
    }

    #[test]
    fn double_option_round_trip() {
        for (value, json) in [
            (None, "{}"),
            (Some(None), r#"{"title":null}"#),
            (Some(Some("t".to_string())), r#"{"title":"t"}"#),
        ] {
            let patch = Patch { title: value };
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }
}
