//! Integer bounds pick the integer type.
use fixture_formats::*;

#[test]
fn integers_fit_their_bounds() {
    let value: Formats = serde_json::from_str(r#"{"int_huge_max": 18446744073709551615, "i32": 1, "int32_large_bound": 4294967295}"#).unwrap();
    assert_eq!(value.int_huge_max, Some(u64::MAX));
    assert_eq!(value.int32_large_bound, Some(4_294_967_295_i64));
    let _: HugeInteger = u64::MAX;
}

#[test]
fn dates_keep_their_text_and_parse_on_demand() {
    let value: Formats = serde_json::from_str(r#"{"date_time": "2025-10-01T12:30:00Z", "date": "2025-10-01"}"#).unwrap();
    let date_time = value.date_time.as_ref().unwrap();
    assert_eq!(date_time.parse().unwrap().unix_timestamp(), 1_759_321_800);
    assert_eq!(value.date.as_ref().unwrap().parse().unwrap().ordinal(), 274);
    // A server that writes another shape still decodes, and the text goes back unchanged.
    let loose: Formats = serde_json::from_str(r#"{"date_time": "2025-10-01 12:30"}"#).unwrap();
    assert!(loose.date_time.as_ref().unwrap().parse().is_err());
    assert_eq!(serde_json::to_value(&loose).unwrap()["date_time"], "2025-10-01 12:30");
    let built = sdk_runtime::DateTime::from(sdk_runtime::time::OffsetDateTime::UNIX_EPOCH);
    assert_eq!(built, "1970-01-01T00:00:00Z");
}
