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

#[allow(dead_code)]
async fn call(client: &Client) -> Result<EnumHolder, Error> {
    client.list_items(ListItemsParams { order: Some(Order::Desc), level: Some(ListItemsLevel::V1), inline_mode: None }).await
}
