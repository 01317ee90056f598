//! The generator's error: what went wrong with a spec, and where in its text.

use std::fmt;

/// Line and column (1-based) in the spec's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Line number, from 1.
    pub line: usize,
    /// Column number, from 1.
    pub column: usize,
}

/// Why a spec could not be turned into a crate, and where in the spec.
#[derive(Debug, Clone, thiserror::Error)]
pub struct Error {
    /// Name of the spec's source (usually its file path).
    pub source_name: Option<String>,
    /// JSON pointer into the document, `#` for the root.
    pub pointer: String,
    /// Line and column of the pointer's node in the spec's text, when it could be found.
    pub location: Option<Location>,
    /// What is wrong, in words.
    pub message: String,
}

impl Error {
    pub(crate) fn unsupported(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            source_name: None,
            pointer: pointer.into(),
            location: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = &self.source_name {
            write!(f, "{name}")?;
            if let Some(loc) = self.location {
                write!(f, ":{}:{}", loc.line, loc.column)?;
            }
            write!(f, ": ")?;
        } else if let Some(loc) = self.location {
            write!(f, "line {}, column {}: ", loc.line, loc.column)?;
        }
        if self.pointer.is_empty() || self.pointer == "#" {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at {}: {}", self.pointer, self.message)
        }
    }
}
