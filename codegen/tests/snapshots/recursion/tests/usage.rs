//! Recursive types are finite and usable.
use fixture_recursion::*;

#[test]
fn recursive_values_round_trip() {
    let tree: Node = serde_json::from_str(r#"{"value": "root", "children": [{"value": "leaf"}], "parent": {"value": "up"}}"#).unwrap();
    assert_eq!(tree.children.as_ref().map(Vec::len), Some(1));
    let list: ListOfSelf = serde_json::from_str("[[], [[]]]").unwrap();
    assert_eq!(list.0.len(), 2);
    let map: MapOfSelf = serde_json::from_str(r#"{"a": {"b": {}}}"#).unwrap();
    assert_eq!(map.0.len(), 1);
    let expr: Expr = serde_json::from_str(r#"{"left": 1, "right": {"left": 2, "right": 3}}"#).unwrap();
    assert!(matches!(expr, Expr::Binary(_)));
}
