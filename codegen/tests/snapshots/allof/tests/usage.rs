//! allOf merges parts; a oneOf beside properties is flattened into the struct.
use fixture_allof::*;

#[test]
fn properties_beside_a_discriminated_one_of() {
    let pet: Pet =
        serde_json::from_str(r#"{"name":"Tom","kind":"cat","meows":true}"#).expect("a cat");
    assert_eq!(pet.name, "Tom");
    assert_eq!(
        pet.variant,
        PetOneOf::Cat(Cat {
            kind: "cat".into(),
            meows: true
        })
    );
    let dog: Pet = serde_json::from_str(r#"{"name":"Rex","kind":"dog","barks":3}"#).expect("a dog");
    assert!(matches!(dog.variant, PetOneOf::Dog(Dog { barks: 3, .. })));
    // Serializing puts the variant's properties back beside the named ones.
    let json = serde_json::to_value(&dog).expect("serialize");
    assert_eq!(
        json,
        serde_json::json!({"name": "Rex", "kind": "dog", "barks": 3})
    );
    // An unknown tag is kept, not an error.
    let bird: Pet = serde_json::from_str(r#"{"name":"Tweety","kind":"bird"}"#).expect("a bird");
    assert!(matches!(bird.variant, PetOneOf::Other(_)));
}

#[test]
fn all_of_with_a_union_component() {
    let owned: OwnedPet =
        serde_json::from_str(r#"{"owner":"Ann","kind":"dog","barks":1}"#).expect("owned dog");
    assert_eq!(owned.owner.as_deref(), Some("Ann"));
    assert!(matches!(owned.variant, AnyPet::Dog(_)));
    let _: OnlyUnion = owned.variant;
}
