//! Streams recognised from the shape of list operations page through a real server on
//! 127.0.0.1 and stop where each style says to.
use std::sync::{Arc, Mutex};

use fixture_pagination::*;
use futures::StreamExt;

/// Serves `respond(path_and_query)` as JSON on 127.0.0.1; returns the base URL and the
/// request targets seen, in order.
fn serve(respond: fn(&str) -> String) -> (String, Arc<Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
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
            let mut line = String::new();
            while reader.read_line(&mut line).expect("read") > 2 {
                line.clear();
            }
            let target = request_line.split(' ').nth(1).unwrap_or("").to_string();
            let body = respond(&target);
            log.lock().unwrap().push(target);
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(reply.as_bytes()).expect("write");
        }
    });
    (address, seen)
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().expect("client")
}

/// The value of query parameter `name` in `target`.
fn query<'t>(target: &'t str, name: &str) -> Option<&'t str> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

fn items(ids: &[&str]) -> String {
    let items: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":"{id}"}}"#)).collect();
    format!("[{}]", items.join(","))
}

async fn ids<S: futures::Stream<Item = Result<Item, Error>> + Unpin>(stream: S) -> Vec<String> {
    stream.map(|item| item.expect("item").id).collect().await
}

#[tokio::test]
async fn cursor_in_a_nested_object() {
    let (base, seen) = serve(|target| match query(target, "cursor") {
        None => format!(r#"{{"items":{},"meta":{{"next_cursor":"c2"}}}}"#, items(&["a", "b"])),
        Some("c2") => format!(r#"{{"items":{},"meta":{{"next_cursor":null}}}}"#, items(&["c"])),
        Some(other) => panic!("unexpected cursor {other}"),
    });
    let got = ids(client(&base).list_by_cursor_stream(ListByCursorParams { limit: Some(2), ..Default::default() })).await;
    assert_eq!(got, ["a", "b", "c"]);
    assert_eq!(*seen.lock().unwrap(), ["/cursor?limit=2", "/cursor?cursor=c2&limit=2"]);
}

#[tokio::test]
async fn page_tokens_until_the_token_is_absent() {
    let (base, _) = serve(|target| match query(target, "pageToken") {
        None => format!(r#"{{"results":{},"nextPageToken":"t2"}}"#, items(&["a"])),
        Some("t2") => format!(r#"{{"results":{}}}"#, items(&["b"])),
        Some(other) => panic!("unexpected token {other}"),
    });
    assert_eq!(ids(client(&base).list_by_token_stream(Default::default())).await, ["a", "b"]);
}

#[tokio::test]
async fn starting_after_the_last_id_while_has_more() {
    // Asked for a third page, this server would answer with more items: `has_more: false`
    // must be what stops the stream.
    let (base, seen) = serve(|target| match query(target, "starting_after") {
        None => format!(r#"{{"object":"list","data":{},"has_more":true}}"#, items(&["a", "b"])),
        Some("b") => format!(r#"{{"object":"list","data":{},"has_more":false}}"#, items(&["c"])),
        Some(_) => format!(r#"{{"object":"list","data":{},"has_more":false}}"#, items(&["never"])),
    });
    assert_eq!(ids(client(&base).list_after_item_stream(Default::default())).await, ["a", "b", "c"]);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_list_that_takes_a_body_pages_too() {
    let (base, seen) = serve(|target| match query(target, "starting_after") {
        None => format!(r#"{{"data":{},"has_more":true}}"#, items(&["a"])),
        Some(_) => format!(r#"{{"data":{},"has_more":false}}"#, items(&["b"])),
    });
    let body = ListWithBodyBody { expand: Some(vec!["x".into()]) };
    let got = ids(client(&base).list_with_body_stream(Default::default(), Some(body))).await;
    assert_eq!(got, ["a", "b"]);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn page_set_from_next_page() {
    let (base, seen) = serve(|target| match query(target, "page") {
        None => format!(r#"{{"data":{},"has_more":true,"next_page":"p2"}}"#, items(&["a"])),
        Some("p2") => format!(r#"{{"data":{},"has_more":false,"next_page":"p3"}}"#, items(&["b"])),
        Some(_) => format!(r#"{{"data":{},"has_more":false,"next_page":null}}"#, items(&["never"])),
    });
    assert_eq!(ids(client(&base).list_page_tokens_stream(Default::default())).await, ["a", "b"]);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn last_id_with_has_more() {
    let (base, seen) = serve(|target| match query(target, "after_id") {
        None => format!(r#"{{"data":{},"has_more":true,"first_id":"a","last_id":"b"}}"#, items(&["a", "b"])),
        Some("b") => format!(r#"{{"data":{},"has_more":false,"first_id":"c","last_id":"c"}}"#, items(&["c"])),
        Some(_) => format!(r#"{{"data":{},"has_more":false,"first_id":null,"last_id":null}}"#, items(&["never"])),
    });
    assert_eq!(ids(client(&base).list_after_id_stream(Default::default())).await, ["a", "b", "c"]);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn offsets_advance_by_the_items_received() {
    const ALL: [&str; 5] = ["a", "b", "c", "d", "e"];
    let (base, seen) = serve(|target| {
        let offset: usize = query(target, "offset").map_or(0, |o| o.parse().unwrap());
        let page: Vec<&str> = ALL.iter().skip(offset).take(2).copied().collect();
        format!(r#"{{"records":{},"total":5}}"#, items(&page))
    });
    let params = ListByOffsetParams { limit: Some(2), ..Default::default() };
    assert_eq!(ids(client(&base).list_by_offset_stream(params)).await, ALL);
    let offsets: Vec<Option<String>> =
        seen.lock().unwrap().iter().map(|t| query(t, "offset").map(str::to_string)).collect();
    assert_eq!(offsets, [None, Some("2".into()), Some("4".into()), Some("5".into())]);
}

#[tokio::test]
async fn page_numbers_from_the_declared_first_page() {
    let (base, seen) = serve(|target| match query(target, "page") {
        None | Some("1") => items(&["a", "b"]),
        Some("2") => items(&["c"]),
        Some(_) => "[]".to_string(),
    });
    assert_eq!(ids(client(&base).list_pages_stream(Default::default())).await, ["a", "b", "c"]);
    let pages: Vec<Option<String>> =
        seen.lock().unwrap().iter().map(|t| query(t, "page").map(str::to_string)).collect();
    assert_eq!(pages, [None, Some("2".into()), Some("3".into())]);

    // A caller's own start page is where the stream starts.
    let (base, _) = serve(|target| match query(target, "page") {
        Some("2") => items(&["c"]),
        _ => "[]".to_string(),
    });
    let params = ListPagesParams { page: Some(2), ..Default::default() };
    assert_eq!(ids(client(&base).list_pages_stream(params)).await, ["c"]);
}
