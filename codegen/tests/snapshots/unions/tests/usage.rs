//! Unions: discriminated by mapping (explicit and implicit), untagged, nullable.
use fixture_unions::*;

#[test]
fn discriminator_picks_the_variant() {
    let shape: Shape = serde_json::from_str(r#"{"kind": "square", "side": 2}"#).unwrap();
    assert!(matches!(shape, Shape::Square(Square { side, .. }) if side == 2.0));
    let shape: Shape = serde_json::from_str(r#"{"kind": "SQUARE", "side": 2}"#).unwrap();
    assert!(matches!(shape, Shape::Square(_)));
    let other: Shape = serde_json::from_str(r#"{"kind": "hexagon"}"#).unwrap();
    assert!(matches!(other, Shape::Other(_)));
    let implicit: ImplicitTag = serde_json::from_str(r#"{"kind": "Circle", "radius": 1}"#).unwrap();
    assert!(matches!(implicit, ImplicitTag::Circle(_)));
    let pet: Pet = serde_json::from_str(r#"{"pet_type": "dog", "barks": true}"#).unwrap();
    assert!(matches!(pet, Pet::Dog(Dog { barks: Some(true), .. })));
    let any: AnyShape = serde_json::from_str("7").unwrap();
    assert_eq!(any, AnyShape::Integer(7));
    let single: SingleBranch = Circle { kind: "circle".into(), radius: 1.0 };
    let _ = single;
    let with_props: UnionWithProperties = serde_json::from_str(r#"{"common": "x"}"#).unwrap();
    assert_eq!(with_props.common.as_deref(), Some("x"));
}
