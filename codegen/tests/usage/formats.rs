//! Integer bounds pick the integer type.
use fixture_formats::*;

#[test]
fn integers_fit_their_bounds() {
    let value: Formats = serde_json::from_str(r#"{"int_huge_max": 18446744073709551615, "i32": 1, "int32_large_bound": 4294967295}"#).unwrap();
    assert_eq!(value.int_huge_max, Some(u64::MAX));
    assert_eq!(value.int32_large_bound, Some(4_294_967_295_i64));
    let _: HugeInteger = u64::MAX;
}
