//! Path keys carrying a fragment, a query string, a repeated parameter or characters
//! that need encoding still reach the server as a valid request line.
use fixture_params::*;

/// Answers `count` requests with 200 and returns what each request line was.
fn record(count: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let handle = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for _ in 0..count {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut first = String::new();
            reader.read_line(&mut first).expect("request line");
            let mut line = String::new();
            while reader.read_line(&mut line).expect("header") > 2 {
                line.clear();
            }
            lines.push(first.trim_end().to_string());
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .expect("write");
        }
        lines
    });
    (address, handle)
}

#[tokio::test]
async fn odd_path_keys_become_valid_requests() {
    let (base, server) = record(4);
    let client = Client::builder()
        .base_url(base)
        .max_retries(0)
        .build()
        .expect("client");
    client.do_thing().await.expect("fragment dropped");
    client
        .lookup_full(LookupFullParams {
            q: Some("x".into()),
            ..Default::default()
        })
        .await
        .expect("query written into the path");
    client.twice("a b").await.expect("repeated parameter");
    client.odd_literals().await.expect("encoded literals");
    assert_eq!(
        server.join().expect("server"),
        [
            "POST / HTTP/1.1",
            "GET /lookup?mode=full&note=a%20b&q=x HTTP/1.1",
            "GET /twice/a%20b/again/a%20b HTTP/1.1",
            "GET /relative/with%20space/caf%C3%A9 HTTP/1.1",
        ]
    );
}
