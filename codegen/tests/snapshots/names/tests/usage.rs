//! Keywords, digits, non-ASCII and duplicates become usable, distinct identifiers.
use fixture_names::*;

#[allow(dead_code)] // compiled to check the generated API, never called: no server to call
async fn calls(client: &Client) -> Result<(), Error> {
    let params = TypeParams2 { r#gen: Some("g".into()), crate_: None, _1st: None, page_size: Some(1), page_size_2: Some(2), ..Default::default() };
    let value: Type = client.r#type("t", 1, params).await?;
    let _: Option<String> = value.r#type;
    let _: Option<String> = value.self_;
    client.self_().await?;
    client.crate_().await?;
    client.duplicate().await?;
    client.duplicate_2().await?;
    client._2fa_enable().await?;
    client.new_2().await?;
    client.list_2().await?;
    client.list_with_response().await?;
    client.r#gen("id", GenParams { id: None, id_2: None }).await?;
    let _ = client.r#type_with_response("t", 1, TypeParams2::default()).await?;
    Ok(())
}

#[test]
fn renamed_fields_keep_wire_names() {
    let value: Type = serde_json::from_str(r#"{"type": "a", "self": "b", "Self": "c", "": "d", "r#type": "e"}"#).unwrap();
    assert_eq!(value.r#type.as_deref(), Some("a"));
    let back = serde_json::to_value(&value).unwrap();
    assert_eq!(back["Self"], "c");
    assert_eq!(back[""], "d");
    let _ = (SelfValue { a: None }, StringModel { a: None }, U65e5U672c { a: None });
    let _: (OptionModel, Duplicate, Duplicate2, Duplicate3, V2fa) = Default::default();
}
