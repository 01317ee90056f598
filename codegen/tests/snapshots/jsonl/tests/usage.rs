//! The `_events` methods of JSON Lines answers against a real server on 127.0.0.1 that
//! sends lines slowly and cut across TCP writes, with blank and undecodable lines, and
//! drops the connection mid-line.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_jsonl::*;
use futures::StreamExt;

/// A request as the server read it: target, headers (lowercased names), body.
type Seen = (String, Vec<(String, String)>, String);

/// Serves every connection with `answer` on its own thread; returns the base URL and
/// the requests seen.
fn serve(answer: impl Fn(&mut TcpStream) + Send + Sync + 'static) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let (log, answer) = (log.clone(), answer.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                reader.read_line(&mut line).expect("read");
                let target = line.split(' ').nth(1).unwrap_or("").to_string();
                let mut headers = Vec::new();
                loop {
                    line.clear();
                    reader.read_line(&mut line).expect("read");
                    match line.trim_end().split_once(':') {
                        Some((name, value)) => headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string())),
                        None => break,
                    }
                }
                let length = headers
                    .iter()
                    .find(|(n, _)| n == "content-length")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; length];
                reader.read_exact(&mut body).expect("body");
                log.lock().unwrap().push((target, headers, String::from_utf8(body).expect("utf-8")));
                answer(&mut stream);
            });
        }
    });
    (address, seen)
}

fn send(stream: &mut TcpStream, text: &str) {
    stream.write_all(text.as_bytes()).expect("write");
    stream.flush().expect("flush");
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().expect("client")
}

#[tokio::test]
async fn lines_arrive_as_they_are_sent_and_a_bad_line_is_one_error() {
    let (go, wait) = mpsc::channel::<()>();
    let wait = Mutex::new(wait);
    let (base, seen) = serve(move |stream| {
        send(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\nconnection: close\r\n\r\n");
        send(stream, "{\"level\":\"info\",\"message\":\"started\"}\n");
        let released = wait.lock().unwrap().recv_timeout(Duration::from_secs(20));
        assert!(released.is_ok(), "the client never read the first line");
        // A line cut across writes, a blank line, a line that is not a log record, a
        // level added after this crate was generated, and a last line without newline.
        send(stream, "{\"level\":\"warn\",\"mes");
        std::thread::sleep(Duration::from_millis(50));
        send(stream, "sage\":\"slow\"}\r\n\n");
        send(stream, "{\"level\":\"info\"}\n");
        send(stream, "{\"level\":\"trace\",\"message\":\"new level\"}\n");
        send(stream, "{\"level\":\"error\",\"message\":\"done\"}");
    });
    let mut lines = client(&base)
        .export_logs_events(ExportLogsParams { since: Some("t0".into()) })
        .await
        .expect("stream");
    let first = lines.next().await.expect("a line").expect("decodes");
    assert_eq!(first, LogLine { level: LogLineLevel::Info, message: "started".into() });
    go.send(()).unwrap();

    let rest: Vec<Result<LogLine, Error>> = lines.collect().await;
    assert_eq!(rest.len(), 4, "{rest:?}");
    assert_eq!(rest[0].as_ref().ok().map(|l| l.message.as_str()), Some("slow"));
    assert!(matches!(&rest[1], Err(Error::Decode { snippet, .. }) if snippet == "{\"level\":\"info\"}"), "{:?}", rest[1]);
    assert_eq!(rest[2].as_ref().ok().map(|l| l.level.to_string()), Some("trace".to_string()));
    assert_eq!(rest[3].as_ref().ok().map(|l| l.level.clone()), Some(LogLineLevel::Error));

    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].0, "/logs?since=t0");
    let accept = seen[0].1.iter().find(|(n, _)| n == "accept").map(|(_, v)| v.as_str());
    assert_eq!(accept, Some("application/x-ndjson"));
}

#[tokio::test]
async fn item_schema_types_the_lines_and_a_dropped_connection_ends_with_an_error() {
    let (base, seen) = serve(|stream| {
        send(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/jsonl\r\ntransfer-encoding: chunked\r\n\r\n");
        for part in ["{\"id\":\"a\",\"score\":0.5}\n{\"id\":", "\"b\"}\n{\"id\":\"c"] {
            send(stream, &format!("{:x}\r\n{part}\r\n", part.len()));
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    let hits: Vec<Result<Hit, Error>> = client(&base)
        .search_events(SearchBody { query: "q".into() })
        .await
        .expect("stream")
        .collect()
        .await;
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert_eq!(hits[0].as_ref().ok(), Some(&Hit { id: "a".into(), score: Some(0.5) }));
    assert_eq!(hits[1].as_ref().ok(), Some(&Hit { id: "b".into(), score: None }));
    assert!(matches!(hits[2], Err(Error::Connection { .. })), "{:?}", hits[2]);
    assert_eq!(seen.lock().unwrap()[0].2, r#"{"query":"q"}"#);
}

#[tokio::test]
async fn the_buffered_method_still_returns_the_whole_body() {
    let (base, _) = serve(|stream| {
        let body = "{\"id\":\"a\"}\n{\"id\":\"b\"}\n";
        send(stream, &format!("HTTP/1.1 200 OK\r\ncontent-type: application/jsonl\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()));
    });
    let body = client(&base).search(SearchBody { query: "q".into() }).await.expect("body");
    assert_eq!(&body[..], b"{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
}
