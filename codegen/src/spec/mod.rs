//! The layer that reads the spec, and the only one that spells OpenAPI's vocabulary:
//! text → JSON (`value`, `load`), overlays and selection (`overlay`, `select`), the
//! 3.1 → 3.0 rewrite (`oas31`) and what 3.2 adds (`oas32`), path keys (`path`), pointers and their positions (`pointer`, `locate`), and
//! the typed [`view`] every later stage asks.
//!
//! The views are zero-copy wrappers over the raw JSON rather than `openapiv3`'s owned
//! types: they reach `$ref`s anywhere and every `x-` extension, cost no second copy of a
//! large document, and know the JSON pointer each error needs.

pub(crate) mod load;
pub(crate) mod locate;
pub(crate) mod oas31;
pub(crate) mod oas32;
pub(crate) mod overlay;
pub(crate) mod path;
pub(crate) mod pointer;
pub(crate) mod select;
pub(crate) mod skeleton;
pub(crate) mod value;
pub(crate) mod view;

pub use load::{Spec, Statistics, Warning, effective_document, fingerprint, mock_document};
pub use overlay::Overlay;
pub use select::SelectionSummary;
