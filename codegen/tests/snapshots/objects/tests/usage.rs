//! Required, optional and nullable fields; read-only and write-only ones.
use fixture_objects::*;

#[test]
fn a_response_without_its_write_only_property_decodes() {
    // `wo` is required but write-only: servers never send it back.
    let thing: Thing =
        serde_json::from_str(r#"{"required_plain":"a","required_nullable":null,"ro":"set"}"#)
            .expect("decodes without the write-only property");
    assert_eq!(thing.ro, "set");
    assert_eq!(thing.wo, None);
    // A read-only property stays required: responses always carry it.
    let missing_ro =
        serde_json::from_str::<Thing>(r#"{"required_plain":"a","required_nullable":null}"#);
    assert!(missing_ro.is_err());
}
