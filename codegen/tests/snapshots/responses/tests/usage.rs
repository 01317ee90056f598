//! Success statuses with different bodies become an enum; one shape stays plain.
use fixture_responses::*;

#[allow(dead_code)] // compiled to check the generated API, never called: no server to call
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

/// Serves one canned response per connection on 127.0.0.1, in order.
fn serve(responses: Vec<(u16, &'static str, &'static str)>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for (status, content_type, body) in responses {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).expect("read") > 2 {
                line.clear();
            }
            let reply = format!(
                "HTTP/1.1 {status} Status\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(reply.as_bytes()).expect("write");
        }
    });
    address
}

#[tokio::test]
async fn error_bodies_decode_by_status() {
    let problem = r#"{"type":"about:blank","title":"Bad","status":400}"#;
    let base = serve(vec![
        (400, "application/json", problem),
        (418, "application/problem+json", problem),
        (503, "text/plain", "down"),
        (400, "text/html", "<html>proxy</html>"),
    ]);
    let client = Client::builder()
        .base_url(base)
        .max_retries(0)
        .build()
        .expect("client");
    let expected = Problem {
        r#type: Some("about:blank".into()),
        title: Some("Bad".into()),
        status: Some(400),
    };

    let error = client.several().await.expect_err("400");
    assert_eq!(
        SeveralError::from_error(&error),
        Some(SeveralError::BadRequest(expected.clone()))
    );
    let error = client.several().await.expect_err("418");
    assert_eq!(
        SeveralError::from_error(&error),
        Some(SeveralError::ClientError(expected))
    );
    let error = client.several().await.expect_err("503");
    assert_eq!(
        SeveralError::from_error(&error),
        Some(SeveralError::ServerError)
    );
    // A body that does not have the described shape decodes to nothing.
    let error = client.several().await.expect_err("400 html");
    assert_eq!(SeveralError::from_error(&error), None);
    // Not an API error at all.
    let invalid = Error::InvalidArgument("x".into());
    assert_eq!(SeveralError::from_error(&invalid), None);
}

/// Operations with identical error responses share one enum.
#[allow(dead_code)] // compiled to check the types match, never called
fn shared(error: &Error) -> Option<SameTypeError> {
    let shared: Option<BodyAndEmptyError> = BodyAndEmptyError::from_error(error);
    shared.or_else(|| Some(SameTypeError::NotFound(Problem::default())))
}

#[allow(dead_code)] // compiled to check the types match, never called
fn text_error(error: &Error) -> Option<String> {
    match TextError::from_error(error)? {
        TextError::InternalServerError(text) => Some(text),
    }
}
