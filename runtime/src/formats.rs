//! String formats with a typed reading: `date-time` and `date`.
//!
//! Each keeps the text the server sent, so a value that does not follow the format
//! (servers do send `2024-01-01 10:00:00` in a `date-time` field) still decodes and is
//! sent back unchanged; `parse` gives the typed value from the `time` crate, and
//! `From` a typed value writes it in the format.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

/// A `date-time` (RFC 3339, e.g. `2025-10-01T12:00:00Z`) as sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DateTime(String);

/// A `date` (RFC 3339 `full-date`, e.g. `2025-10-01`) as sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(String);

const FULL_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl DateTime {
    /// The instant, if the text is RFC 3339.
    pub fn parse(&self) -> Result<time::OffsetDateTime, time::error::Parse> {
        time::OffsetDateTime::parse(&self.0, &Rfc3339)
    }
}

impl From<time::OffsetDateTime> for DateTime {
    /// Writes `value` in RFC 3339 (a year outside 0..=9999 has no RFC 3339 form and is
    /// written with the `time` crate's default format instead).
    fn from(value: time::OffsetDateTime) -> Self {
        DateTime(value.format(&Rfc3339).unwrap_or_else(|_| value.to_string()))
    }
}

impl Date {
    /// The calendar date, if the text is `YYYY-MM-DD`.
    pub fn parse(&self) -> Result<time::Date, time::error::Parse> {
        time::Date::parse(&self.0, FULL_DATE)
    }
}

impl From<time::Date> for Date {
    fn from(value: time::Date) -> Self {
        Date(
            value
                .format(FULL_DATE)
                .unwrap_or_else(|_| value.to_string()),
        )
    }
}

macro_rules! text_format {
    ($name:ident) => {
        impl $name {
            /// The text as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text as sent on the wire.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok($name(text.to_owned()))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

text_format!(DateTime);
text_format!(Date);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_reads_rfc_3339_and_keeps_any_text() {
        let value: DateTime = serde_json::from_str("\"2025-10-01T12:30:00.5+02:00\"").unwrap();
        let instant = value.parse().unwrap();
        assert_eq!(instant.unix_timestamp(), 1_759_314_600);
        assert_eq!(instant.nanosecond(), 500_000_000);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            "\"2025-10-01T12:30:00.5+02:00\""
        );

        let loose: DateTime = serde_json::from_str("\"2025-10-01 12:30:00\"").unwrap();
        assert!(loose.parse().is_err());
        assert_eq!(loose, "2025-10-01 12:30:00");
        assert_eq!(serde_json::to_value(&loose).unwrap(), "2025-10-01 12:30:00");

        let built = DateTime::from(time::OffsetDateTime::from_unix_timestamp(0).unwrap());
        assert_eq!(built.as_str(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn date_reads_full_dates() {
        let value: Date = serde_json::from_str("\"2025-02-28\"").unwrap();
        let date = value.parse().unwrap();
        assert_eq!(
            (date.year(), u8::from(date.month()), date.day()),
            (2025, 2, 28)
        );
        assert!(Date::from("2025-02-30").parse().is_err());
        let built = Date::from(time::Date::from_calendar_date(7, time::Month::March, 9).unwrap());
        assert_eq!(built.to_string(), "0007-03-09");
    }
}
