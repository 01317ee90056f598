//! Success statuses with different bodies become an enum; one shape stays plain.
use fixture_responses::*;

#[allow(dead_code)]
async fn calls(client: &Client) -> Result<(), Error> {
    match client.several().await? {
        SeveralResponse::Ok(done) => drop(done),
        SeveralResponse::Created(created) => drop(created),
        SeveralResponse::Accepted | SeveralResponse::NoContent => {}
        SeveralResponse::Success(text) => drop(text),
    }
    match client.body_and_empty().await? {
        BodyAndEmptyResponse::Ok(done) => drop(done),
        BodyAndEmptyResponse::NoContent | BodyAndEmptyResponse::UnexpectedStatus(..) => {}
    }
    let _: Done = client.same_type().await?;
    let _: bytes::Bytes = client.download().await?;
    let _: String = client.text().await?;
    let _: Option<Done> = client.json_nullable().await?;
    let _: serde_json::Value = client.json_no_schema().await?;
    let response = client.ref_response_with_response().await?;
    let _ = (response.status, response.request_id);
    Ok(())
}
