//! `paginate` driving real HTTP pages.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{PROFILE, Reply, TestServer};
use futures::{StreamExt, TryStreamExt};
use sdk_runtime::http::Method;
use sdk_runtime::{Client, Error, Request, paginate};
use serde::Deserialize;

#[derive(Deserialize)]
struct Page {
    data: Vec<Item>,
    has_more: bool,
    last_id: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Item {
    id: String,
}

/// What a generated list method does: one GET per page, `after_id` as cursor.
async fn fetch(
    client: Client,
    cursor: Option<String>,
) -> Result<(Vec<Item>, Option<String>), Error> {
    let mut req = Request::new(Method::GET, "/v1/items".into());
    req.query("limit", "2");
    if let Some(c) = cursor {
        req.query("after_id", c);
    }
    let page: Page = client.execute(req).await?.json()?;
    let next = if page.has_more { page.last_id } else { None };
    Ok((page.data, next))
}

fn ids(items: &[Item]) -> Vec<&str> {
    items.iter().map(|i| i.id.as_str()).collect()
}

#[tokio::test]
async fn three_pages_yield_every_item_once_in_order() {
    let server = TestServer::start(vec![
        Reply::json(
            200,
            r#"{"data":[{"id":"a"},{"id":"b"}],"has_more":true,"last_id":"b"}"#,
        ),
        Reply::json(
            200,
            r#"{"data":[{"id":"c"},{"id":"d"}],"has_more":true,"last_id":"d"}"#,
        ),
        Reply::json(
            200,
            r#"{"data":[{"id":"e"}],"has_more":false,"last_id":"e"}"#,
        ),
        Reply::json(200, r#"{"data":[{"id":"never"}],"has_more":false}"#),
    ])
    .await;
    let client = Client::builder(&PROFILE)
        .base_url(server.url())
        .build()
        .unwrap();
    let items: Vec<Item> = paginate(|cursor| fetch(client.clone(), cursor))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);

    let queries: Vec<Option<String>> = server.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        [
            Some("limit=2".to_string()),
            Some("limit=2&after_id=b".to_string()),
            Some("limit=2&after_id=d".to_string())
        ]
    );
}

#[tokio::test]
async fn stops_on_empty_page_even_with_a_cursor() {
    let server = TestServer::start(vec![
        Reply::json(
            200,
            r#"{"data":[{"id":"a"}],"has_more":true,"last_id":"a"}"#,
        ),
        Reply::json(200, r#"{"data":[],"has_more":true,"last_id":"z"}"#),
        Reply::json(200, r#"{"data":[{"id":"never"}],"has_more":false}"#),
    ])
    .await;
    let client = Client::builder(&PROFILE)
        .base_url(server.url())
        .build()
        .unwrap();
    let items: Vec<Item> = paginate(|cursor| fetch(client.clone(), cursor))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn stops_on_missing_empty_or_repeated_cursor() {
    for next in [None, Some(String::new()), Some("same".to_string())] {
        let calls = AtomicUsize::new(0);
        let stream = paginate(|cursor: Option<String>| {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            let next = next.clone();
            async move {
                // First page always has cursor "same"; the second repeats it or ends.
                if n == 0 {
                    assert_eq!(cursor, None);
                    Ok((vec![1, 2], Some("same".to_string())))
                } else {
                    assert_eq!(cursor.as_deref(), Some("same"));
                    Ok((vec![3], next))
                }
            }
        });
        let items: Vec<i32> = stream.try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}

#[tokio::test]
async fn error_is_yielded_then_stream_ends() {
    let server = TestServer::start(vec![
        Reply::json(
            200,
            r#"{"data":[{"id":"a"}],"has_more":true,"last_id":"a"}"#,
        ),
        Reply::json(
            404,
            r#"{"error":{"type":"not_found_error","message":"gone"}}"#,
        ),
    ])
    .await;
    let client = Client::builder(&PROFILE)
        .base_url(server.url())
        .build()
        .unwrap();
    let results: Vec<Result<Item, Error>> = paginate(|cursor| fetch(client.clone(), cursor))
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "a");
    assert_eq!(
        results[1]
            .as_ref()
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(404)
    );
}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn stream_is_send() {
    let client = Client::builder(&PROFILE).build().unwrap();
    let stream = paginate(move |cursor| fetch(client.clone(), cursor));
    assert_send(&stream);
}
