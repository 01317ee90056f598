//! What OpenAPI 3.2 adds reaches the server as written: `QUERY` and the methods of
//! `additionalOperations` are sent by name, and a `querystring` parameter is the whole
//! query string, form-encoded from one value.
use fixture_oas32::*;

/// One request as the server saw it: its request line and its body.
#[derive(Debug, PartialEq)]
struct Seen {
    line: String,
    body: String,
}

/// Answers each request with the `(status, JSON body)` at its index, returning what each
/// request was.
fn serve(
    answers: Vec<(u16, &'static str)>,
) -> (String, std::thread::JoinHandle<Vec<Seen>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for (status, body) in answers {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("request line");
            let mut length = 0;
            let mut header = String::new();
            while reader.read_line(&mut header).expect("header") > 2 {
                if let Some((name, value)) = header.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().expect("a length");
                }
                header.clear();
            }
            let mut sent = vec![0; length];
            reader.read_exact(&mut sent).expect("body");
            seen.push(Seen {
                line: line.trim_end().to_string(),
                body: String::from_utf8(sent).expect("UTF-8 body"),
            });
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(response.as_bytes()).expect("write");
        }
        seen
    });
    (address, handle)
}

fn client(base: String) -> Client {
    Client::builder()
        .base_url(base)
        .max_retries(0)
        .build()
        .expect("client")
}

#[tokio::test]
async fn query_and_additional_methods_are_sent_by_name() {
    let book = r#"[{"id": "b1", "title": "Dune", "year": null}]"#;
    let (base, server) = serve(vec![
        (200, book),
        (200, r#"{"token": "t", "expires_in": 30}"#),
        (204, ""),
    ]);
    let client = client(base);
    let books = client
        .query_books(BookQuery {
            author: Some("Herbert".into()),
            published_after: None,
        })
        .await
        .expect("QUERY");
    assert_eq!(books[0].title, "Dune");
    assert_eq!(books[0].year, Some(None));
    let lock = client
        .lock_book("b 1", LockBookParams { timeout: Some(30) })
        .await
        .expect("LOCK");
    assert_eq!(lock.token, "t");
    assert_eq!(lock.expires_in, Some(30));
    client.unlock_books_id("b1").await.expect("UNLOCK");
    let seen = server.join().expect("server");
    assert_eq!(
        seen,
        [
            Seen {
                line: "QUERY /books HTTP/1.1".into(),
                body: r#"{"author":"Herbert"}"#.into(),
            },
            Seen {
                line: "LOCK /books/b%201?timeout=30 HTTP/1.1".into(),
                body: String::new(),
            },
            Seen {
                line: "UNLOCK /books/b1 HTTP/1.1".into(),
                body: String::new(),
            },
        ]
    );
}

#[tokio::test]
async fn a_querystring_parameter_is_the_whole_query_string() {
    let (base, server) = serve(vec![(200, "[]"), (200, "[]")]);
    let client = client(base);
    let filter = BookFilter {
        q: "dune & more".into(),
        limit: Some(5),
        tag: Some(vec!["sf".into(), "classic".into()]),
    };
    let found = client
        .search_books(SearchBooksParams { filter })
        .await
        .expect("search");
    assert!(found.is_empty());
    let only_required = BookFilter {
        q: "x".into(),
        limit: None,
        tag: None,
    };
    client
        .search_books(SearchBooksParams {
            filter: only_required,
        })
        .await
        .expect("search");
    let lines: Vec<String> = server
        .join()
        .expect("server")
        .into_iter()
        .map(|seen| seen.line)
        .collect();
    assert_eq!(
        lines,
        [
            "GET /books?q=dune%20%26%20more&limit=5&tag=sf&tag=classic HTTP/1.1",
            "GET /books?q=x HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn a_reusable_media_type_and_references_by_self_are_typed() {
    let (base, server) = serve(vec![(200, r#"[{"kind": "updated", "at": "2025-09-01T00:00:00Z"}]"#)]);
    let changes = client(base).book_changes("b1").await.expect("changes");
    assert_eq!(changes[0].kind, ChangeKind::Updated);
    assert_eq!(server.join().expect("server")[0].line, "GET /books/b1/changes HTTP/1.1");
}
