//! Open enums: colliding and odd values get distinct variants, unknown values survive.
use fixture_enums::*;

#[test]
fn values_round_trip() {
    assert_eq!(serde_json::to_value(Order::Asc).unwrap(), "ASC");
    assert_eq!(serde_json::to_value(Order::Asc2).unwrap(), "asc");
    let unknown: Order = serde_json::from_str("\"sideways\"").unwrap();
    assert_eq!(unknown, Order::Other("sideways".into()));
    for (variant, wire) in [(Signs::Plus1, "+1"), (Signs::Minus1, "-1"), (Signs::Empty, ""), (Signs::SelfValue, "Self"), (Signs::Other2, "Other")] {
        assert_eq!(serde_json::to_value(&variant).unwrap(), wire);
        assert_eq!(serde_json::from_value::<Signs>(wire.into()).unwrap(), variant);
    }
    assert_eq!(serde_json::to_value(Priority::Minus1).unwrap(), -1);
    assert_eq!(serde_json::from_str::<Priority>("7").unwrap(), Priority::Other(7));
    let holder: EnumHolder = serde_json::from_str(r#"{"nullable_enum": null, "mixed": true, "inline_status": "active"}"#).unwrap();
    assert_eq!(holder.nullable_enum, Some(None));
    assert_eq!(holder.inline_status, Some(EnumHolderInlineStatus::Active));
    let _: Option<OpenEnum> = Some(OpenEnum::KnownA);
}

#[test]
fn identical_enums_are_one_type_under_both_names() {
    let holder: EnumHolder =
        serde_json::from_str(r#"{"inline_status": "active", "previous_status": "inactive"}"#).unwrap();
    assert_eq!(holder.previous_status, Some(EnumHolderPreviousStatus::Inactive));
    // Either name's values fit the other's field.
    let copied = EnumHolder { previous_status: holder.inline_status.clone(), ..holder };
    assert_eq!(copied.previous_status, Some(EnumHolderInlineStatus::Active));
    assert_eq!(EnumHolderPreviousStatus::from("paused").as_str(), "paused");
}

#[test]
fn mixed_type_values_are_an_open_enum() {
    // `enum: [one, 2, true, 3.5]`: every value keeps its JSON type both ways.
    for (variant, wire) in [(Mixed::One, "\"one\""), (Mixed::V2, "2"), (Mixed::True, "true"), (Mixed::V35, "3.5")] {
        assert_eq!(serde_json::to_string(&variant).unwrap(), wire);
        assert_eq!(serde_json::from_str::<Mixed>(wire).unwrap(), variant);
    }
    // The same number written another way is the same value; anything else is kept.
    assert_eq!(serde_json::from_str::<Mixed>("2.0").unwrap(), Mixed::V2);
    assert_eq!(serde_json::from_str::<Mixed>("\"2\"").unwrap(), Mixed::Other("2".into()));
    assert_eq!(serde_json::from_str::<Mixed>("false").unwrap(), Mixed::Other(false.into()));
    assert_eq!(serde_json::to_string(&Mixed::Other(serde_json::json!({"x": 1}))).unwrap(), r#"{"x":1}"#);
    assert_eq!(Mixed::One.to_string(), "one");
    assert_eq!(Mixed::V35.to_string(), "3.5");
    let holder: EnumHolder = serde_json::from_str(r#"{"mixed": 2}"#).unwrap();
    assert_eq!(holder.mixed, Some(Mixed::V2));
}

#[allow(dead_code)] // compiled to check the generated API, never called: no server to call
async fn call(client: &Client) -> Result<EnumHolder, Error> {
    client.list_items(ListItemsParams { order: Some(Order::Desc), level: Some(ListItemsLevel::V1), inline_mode: None }).await
}
