//! Parameters, properties and schemas named like what generated code uses (locals,
//! prelude and crate names, keywords) still make calls that reach the server as the spec
//! says, pages included.
use std::sync::{Arc, Mutex};

use fixture_adversarial::*;
use futures::StreamExt;

/// Each path parameter's value is its own wire name, so the request path shows they all
/// arrived in place.
const PATH: [&str; 49] = [
    "client",
    "self",
    "request",
    "response",
    "params",
    "body",
    "path",
    "options",
    "page",
    "items",
    "next",
    "Ok",
    "Err",
    "Some",
    "None",
    "Result",
    "Vec",
    "String",
    "Option",
    "Box",
    "sdk_runtime",
    "futures",
    "serde",
    "serde_json",
    "bytes",
    "std",
    "core",
    "crate",
    "super",
    "Self",
    "stream",
    "url",
    "query",
    "headers",
    "e",
    "err",
    "error",
    "value",
    "values",
    "cursor",
    "current",
    "more",
    "item",
    "v",
    "client_segment",
    "form",
    "file",
    "tag",
    "deserializer",
];

/// Serves `respond(method, target)` as (status, JSON) on 127.0.0.1; returns the base URL
/// and the `METHOD target` of each request, in order.
fn serve(respond: fn(&str, &str) -> (u16, String)) -> (String, Arc<Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            reader.read_line(&mut request_line).expect("read");
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).expect("read") > 2 {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().expect("length");
                }
                line.clear();
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("body");
            let mut words = request_line.split(' ');
            let method = words.next().unwrap_or("").to_string();
            let target = words.next().unwrap_or("").to_string();
            let (status, body) = respond(&method, &target);
            log.lock().unwrap().push(format!("{method} {target}"));
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(reply.as_bytes()).expect("write");
        }
    });
    (address, seen)
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .max_retries(0)
        .build()
        .expect("client")
}

fn things_path() -> String {
    format!("/things/{}", PATH.join("/"))
}

#[tokio::test]
async fn stream_pages_with_parameters_named_like_its_locals() {
    let (base, seen) = serve(|_, target| {
        if target.contains("cursor=c2") {
            (
                200,
                r#"{"items":[{"client":"b","Ok":"o"}],"meta":{"next_cursor":null}}"#.into(),
            )
        } else {
            (
                200,
                r#"{"items":[{"client":"a"}],"meta":{"next_cursor":"c2"}}"#.into(),
            )
        }
    });
    let params = ListThingsParams2 {
        client: Some("q".into()),
        request: Some("r".into()),
        ..Default::default()
    };
    let [
        p0,
        p1,
        p2,
        p3,
        p4,
        p5,
        p6,
        p7,
        p8,
        p9,
        p10,
        p11,
        p12,
        p13,
        p14,
        p15,
        p16,
        p17,
        p18,
        p19,
        p20,
        p21,
        p22,
        p23,
        p24,
        p25,
        p26,
        p27,
        p28,
        p29,
        p30,
        p31,
        p32,
        p33,
        p34,
        p35,
        p36,
        p37,
        p38,
        p39,
        p40,
        p41,
        p42,
        p43,
        p44,
        p45,
        p46,
        p47,
        p48,
    ] = PATH;
    let items: Vec<ResultModel> = client(&base)
        .list_things_stream(
            p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18,
            p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35,
            p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47, p48, params,
        )
        .map(|item| item.expect("item"))
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].client.as_deref(), Some("a"));
    assert_eq!(items[1].ok.as_deref(), Some("o"));
    let path = things_path();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            format!("GET {path}?client=q&request=r"),
            format!("GET {path}?cursor=c2&client=q&request=r"),
        ]
    );
}

#[tokio::test]
async fn a_body_beside_parameters_named_body_and_params() {
    let (base, seen) = serve(|method, _| match method {
        "POST" => (201, r#"{"value":"v","self":"s"}"#.into()),
        _ => (404, r#"{"error":"gone"}"#.into()),
    });
    let [
        p0,
        p1,
        p2,
        p3,
        p4,
        p5,
        p6,
        p7,
        p8,
        p9,
        p10,
        p11,
        p12,
        p13,
        p14,
        p15,
        p16,
        p17,
        p18,
        p19,
        p20,
        p21,
        p22,
        p23,
        p24,
        p25,
        p26,
        p27,
        p28,
        p29,
        p30,
        p31,
        p32,
        p33,
        p34,
        p35,
        p36,
        p37,
        p38,
        p39,
        p40,
        p41,
        p42,
        p43,
        p44,
        p45,
        p46,
        p47,
        p48,
    ] = PATH;
    let created = client(&base)
        .create_thing(
            p0,
            p1,
            p2,
            p3,
            p4,
            p5,
            p6,
            p7,
            p8,
            p9,
            p10,
            p11,
            p12,
            p13,
            p14,
            p15,
            p16,
            p17,
            p18,
            p19,
            p20,
            p21,
            p22,
            p23,
            p24,
            p25,
            p26,
            p27,
            p28,
            p29,
            p30,
            p31,
            p32,
            p33,
            p34,
            p35,
            p36,
            p37,
            p38,
            p39,
            p40,
            p41,
            p42,
            p43,
            p44,
            p45,
            p46,
            p47,
            p48,
            CreateThingParams {
                self_: Some("me".into()),
                ..Default::default()
            },
            ClientModel {
                body: Some("b".into()),
                ..Default::default()
            },
        )
        .await
        .expect("created");
    assert_eq!(created.value.as_deref(), Some("v"));
    assert_eq!(created.self_.as_deref(), Some("s"));
    let error = client(&base)
        .list_things(
            p0,
            p1,
            p2,
            p3,
            p4,
            p5,
            p6,
            p7,
            p8,
            p9,
            p10,
            p11,
            p12,
            p13,
            p14,
            p15,
            p16,
            p17,
            p18,
            p19,
            p20,
            p21,
            p22,
            p23,
            p24,
            p25,
            p26,
            p27,
            p28,
            p29,
            p30,
            p31,
            p32,
            p33,
            p34,
            p35,
            p36,
            p37,
            p38,
            p39,
            p40,
            p41,
            p42,
            p43,
            p44,
            p45,
            p46,
            p47,
            p48,
            ListThingsParams2::default(),
        )
        .await
        .expect_err("404");
    // The operation's own error type is an alias of the shared enum, variants included.
    match ListThingsError2::from_error(&error) {
        Some(ListThingsError2::NotFound(body)) => assert_eq!(body.error.as_deref(), Some("gone")),
        other => panic!("not the 404 body: {other:?}"),
    }
    assert!(matches!(
        CreateThingError::from_error(&error),
        Some(ErrorModelByStatus2::NotFound(_))
    ));
    let path = things_path();
    assert_eq!(
        *seen.lock().unwrap(),
        [format!("POST {path}?Self=me"), format!("GET {path}")]
    );
}

#[tokio::test]
async fn several_bodies_and_statuses_with_parameters_named_client_and_body() {
    let (base, seen) = serve(|_, _| (202, r#"{"Some":"x"}"#.into()));
    let response = client(&base)
        .upload_thing(
            "client",
            "body",
            "request",
            Some(UploadThingBody::Json(VecModel {
                none: Some("n".into()),
                ..Default::default()
            })),
        )
        .await
        .expect("accepted");
    match response {
        UploadThingResponse::Accepted(body) => assert_eq!(body.some.as_deref(), Some("x")),
        other => panic!("not 202: {other:?}"),
    }
    assert_eq!(
        *seen.lock().unwrap(),
        ["POST /forms/client/body/request".to_string()]
    );
}
