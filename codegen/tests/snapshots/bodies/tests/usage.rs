//! Every request body kind takes the value the caller would expect.
use fixture_bodies::*;

#[allow(dead_code)] // compiled to check the generated API, never called: no server to call
async fn calls(client: &Client) -> Result<(), Error> {
    let item = Item { name: "n".into(), size: None };
    client.post_json(item.clone()).await?;
    client.post_json_optional(None).await?;
    client.post_json_array(vec![item.clone()]).await?;
    let file = FilePart { file_name: "a.txt".into(), content_type: None, data: bytes::Bytes::from_static(b"a") };
    client
        .upload(UploadForm {
            file: file.clone(),
            extra_files: vec![file.clone()],
            maybe_file: None,
            name: "n".into(),
            count: Some(1),
            meta: None,
            tags: Some(vec!["t".into()]),
            nullable_text: None,
            encoded: None,
        })
        .await?;
    client.upload_raw(vec![file.clone()]).await?;
    client.post_form(PostFormBody { grant_type: "client_credentials".into(), scope: None, tags: None }).await?;
    client.put_binary(bytes::Bytes::from_static(b"\x00")).await?;
    client.post_text("hello".into()).await?;
    client.post_several(PostSeveralBody::Text("t".into())).await?;
    client.post_several(PostSeveralBody::Json(item)).await?;
    client.patch_several_optional(None).await?;
    Ok(())
}
