//! OpenAPI 3.1 shapes, read as their 3.0 equivalents, decode what 3.1 allows.
use fixture_openapi31::*;

#[test]
fn null_in_type_lists_and_unions_is_an_option() {
    let pet: Pet = serde_json::from_str(
        r#"{"id": 1, "name": "Rex", "kind": "dog", "tag": null, "owner": null, "born": "2020-01-01"}"#,
    )
    .unwrap();
    assert_eq!(pet.tag, Some(None));
    assert_eq!(pet.owner, Some(None));
    assert_eq!(pet.born, Some(Some("2020-01-01".into())));
    assert_eq!(pet.kind, Some(PetKind::Dog));
    let pet: Pet =
        serde_json::from_str(r#"{"id": 1, "name": "Rex", "owner": {"name": "Ann"}}"#).unwrap();
    assert_eq!(
        pet.owner,
        Some(Some(Owner {
            name: Some("Ann".into())
        }))
    );
}

#[test]
fn several_types_are_a_union() {
    let value: Everything = serde_json::from_str(
        r#"{
            "string_or_number": 2.5,
            "string_or_integer_or_null": null,
            "integer_or_number": 3,
            "only_null": null,
            "enum_across_types": 2,
            "nullable_enum": "b",
            "const_number": 3,
            "nullable_union": {"id": 1, "name": "Rex"},
            "ref_with_properties": {"name": "Ann", "extra": true},
            "ref_nullable_by_type": null,
            "point": [1.0, 2.0],
            "mixed_tuple": ["Ann", 30],
            "labels": {"a": "b"},
            "with_defs": null,
            "ratio": 0.5
        }"#,
    )
    .unwrap();
    assert_eq!(
        value.string_or_number,
        Some(EverythingStringOrNumber::Number(2.5))
    );
    assert_eq!(value.string_or_integer_or_null, Some(None));
    assert_eq!(value.integer_or_number, Some(3.0));
    assert_eq!(value.only_null, Some(None));
    assert_eq!(
        value.enum_across_types,
        Some(EverythingEnumAcrossTypes::EverythingEnumAcrossTypesVariant1(
            EverythingEnumAcrossTypesVariant1::V2
        ))
    );
    assert_eq!(value.nullable_enum, Some(Some(EverythingNullableEnum::B)));
    assert_eq!(value.const_number, Some(EverythingConstNumber::V3));
    // Untagged: the first branch that fits (every `Owner` property is optional).
    assert!(matches!(
        value.nullable_union,
        Some(Some(EverythingNullableUnion::Owner(_)))
    ));
    assert_eq!(
        value.ref_with_properties.and_then(|r| r.extra),
        Some(true)
    );
    assert_eq!(value.ref_nullable_by_type, Some(None));
    assert_eq!(value.point, Some(vec![1.0, 2.0]));
    assert_eq!(value.mixed_tuple.map(|t| t.len()), Some(2));
    assert_eq!(value.with_defs, Some(None));
    let text: Everything = serde_json::from_str(r#"{"string_or_number": "x"}"#).unwrap();
    assert_eq!(
        text.string_or_number,
        Some(EverythingStringOrNumber::String("x".into()))
    );
}

#[test]
fn a_content_media_type_is_a_file_in_a_form() {
    let form = UploadForm {
        file: FilePart {
            file_name: "a.bin".into(),
            content_type: None,
            data: vec![1u8, 2, 3].into(),
        },
        caption: None,
    };
    assert!(form.to_multipart().is_ok());
    let params = SearchParams {
        limit: Some(10),
        kind: Some(SearchKind::Pets),
    };
    let _ = params;
}

#[test]
fn webhook_bodies_are_types() {
    let event: InventoryLowWebhook = serde_json::from_str(r#"{"sku": "A-1", "remaining": null}"#).unwrap();
    assert_eq!(event.sku, "A-1");
    assert_eq!(event.remaining, Some(None));
}
