//! The `_events` methods against a real server on 127.0.0.1 that streams events slowly,
//! cuts them across TCP writes, sends comments, `retry:`, unknown event names and data
//! that does not decode, and drops the connection mid-stream.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_sse::*;
use futures::StreamExt;

/// A request as the server read it.
#[derive(Debug, Clone, Default)]
struct Seen {
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Serves each connection with `answer(connection index, request, stream)` on its own
/// thread; returns the base URL and the requests seen.
fn serve(
    answer: impl Fn(usize, &Seen, &mut TcpStream) + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for (index, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let log = log.clone();
            let answer = answer.clone();
            std::thread::spawn(move || {
                let request = read_request(&mut stream);
                log.lock().unwrap().push(request.clone());
                answer(index, &request, &mut stream);
            });
        }
    });
    (address, seen)
}

fn read_request(stream: &mut TcpStream) -> Seen {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    reader.read_line(&mut line).expect("read");
    let target = line.split(' ').nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("read");
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("body");
    Seen { target, headers, body: String::from_utf8(body).expect("utf-8") }
}

/// Starts an event stream whose end is the end of the connection.
fn start_events(stream: &mut TcpStream) {
    stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n")
        .expect("write");
}

fn send(stream: &mut TcpStream, text: &str) {
    stream.write_all(text.as_bytes()).expect("write");
    stream.flush().expect("flush");
}

fn json(stream: &mut TcpStream, status: &str, body: &str) {
    let reply = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).expect("write");
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).max_retries(0).build().expect("client")
}

fn prompt() -> ChatRequest {
    ChatRequest { prompt: "hi".into(), stream: None }
}

#[tokio::test]
async fn events_arrive_typed_as_they_are_sent() {
    // The server sends the rest only once the test has the first event: a client that
    // waited for the whole body would never get it.
    let (go, wait) = mpsc::channel::<()>();
    let wait = Mutex::new(wait);
    let (base, seen) = serve(move |_, _, stream| {
        start_events(stream);
        send(stream, ": a comment, then the first event\n\n");
        send(stream, "retry: 2500\nid: 1\nevent: chat.start\ndata: {\"type\":\"chat.start\",\"id\":\"c1\"}\n\n");
        let released = wait.lock().unwrap().recv_timeout(Duration::from_secs(20));
        assert!(released.is_ok(), "the client never read the first event");
        // One event cut across two writes, a little apart.
        send(stream, "event: chat.delta\nda");
        std::thread::sleep(Duration::from_millis(50));
        send(stream, "ta: {\"type\":\"chat.delta\",\"text\":\"Hel\"}\n\n");
        send(stream, "event: chat.ping\ndata: {\"at\": 1}\n\n");
        send(stream, "event: chat.delta\ndata: {\"type\":\"chat.delta\"}\n\n");
        send(stream, "event: chat.delta\r\ndata: {\"type\":\"chat.delta\",\r\ndata: \"text\":\"lo\"}\r\n\r\n");
        // Not mapped by name, but its data's tag is the one value its schema allows.
        send(stream, "event: chat.usage\ndata: {\"type\":\"chat.usage\",\"tokens\":7}\n\n");
        send(stream, "event: chat.stop\ndata: {\"type\":\"chat.stop\",\"reason\":\"end\"}\n\n");
    });
    let mut events = client(&base).create_chat_events(prompt()).await.expect("stream");

    match events.next().await {
        Some(Ok(SseItem::Event(event))) => {
            assert_eq!(event.event, "chat.start");
            assert_eq!(event.id.as_deref(), Some("1"));
            assert_eq!(event.retry, Some(Duration::from_millis(2500)));
            assert_eq!(event.data, ChatEvent::ChatStart(ChatStart { r#type: "chat.start".into(), id: "c1".into() }));
        }
        other => panic!("first item: {other:?}"),
    }
    go.send(()).unwrap();

    match events.next().await {
        Some(Ok(SseItem::Event(event))) => {
            assert_eq!(event.id.as_deref(), Some("1"), "ids carry over");
            assert_eq!(event.retry, None);
            assert_eq!(event.data, ChatEvent::ChatDelta(ChatDelta { r#type: "chat.delta".into(), text: "Hel".into() }));
        }
        other => panic!("delta: {other:?}"),
    }
    match events.next().await {
        Some(Ok(SseItem::Unknown(event))) => {
            assert_eq!(event.event, "chat.ping");
            assert_eq!(event.data, "{\"at\": 1}");
        }
        other => panic!("unknown event: {other:?}"),
    }
    match events.next().await {
        Some(Err(Error::Decode { snippet, .. })) => assert_eq!(snippet, "{\"type\":\"chat.delta\"}"),
        other => panic!("undecodable event: {other:?}"),
    }
    // Two `data:` lines join with a newline; CRLF line ends work.
    let rest: Vec<ChatEvent> = events
        .map(|item| item.expect("item").into_data().expect("known event"))
        .collect()
        .await;
    assert_eq!(
        rest,
        [
            ChatEvent::ChatDelta(ChatDelta { r#type: "chat.delta".into(), text: "lo".into() }),
            ChatEvent::ChatUsage(ChatUsage { r#type: ChatUsageType::ChatUsage, tokens: 7 }),
            ChatEvent::ChatStop(ChatStop { r#type: "chat.stop".into(), reason: Some("end".into()) }),
        ]
    );

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].target, "/chat");
    assert_eq!(seen[0].header("accept"), Some("text/event-stream"));
    let body: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body, serde_json::json!({"prompt": "hi", "stream": true}));
}

#[tokio::test]
async fn the_plain_method_answers_json_and_leaves_the_flag_alone() {
    let (base, seen) = serve(|_, _, stream| json(stream, "200 OK", r#"{"id":"c1","text":"Hello"}"#));
    let chat = client(&base).create_chat(prompt()).await.expect("chat");
    assert_eq!(chat, Chat { id: "c1".into(), text: "Hello".into() });
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].header("accept"), Some("application/json"));
    assert_eq!(seen[0].body, r#"{"prompt":"hi"}"#);
}

#[tokio::test]
async fn a_dropped_connection_ends_the_stream_with_an_error() {
    let (base, _) = serve(|_, _, stream| {
        // Chunked, so the server's close before the last chunk is a broken body.
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
            .unwrap();
        let event = "data: {\"n\": 1}\n\n";
        send(stream, &format!("{:x}\r\n{event}\r\n", event.len()));
        let half = "data: {\"n\"";
        send(stream, &format!("{:x}\r\n{half}\r\n", half.len()));
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    let events = client(&base).watch_ticks_events(Default::default()).await.expect("stream");
    let items: Vec<Result<SseItem<Tick>, Error>> = events.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().ok().cloned().and_then(SseItem::into_data), Some(Tick { n: 1 }));
    assert!(matches!(items[1], Err(Error::Connection { .. })), "{:?}", items[1]);
}

#[tokio::test]
async fn an_error_status_is_the_operations_typed_error() {
    let (base, _) = serve(|_, _, stream| json(stream, "400 Bad Request", r#"{"message":"empty prompt"}"#));
    let error = match client(&base).create_chat_events(prompt()).await {
        Ok(_) => panic!("a 400 is not a stream"),
        Err(error) => error,
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        CreateChatError::from_error(&error),
        Some(CreateChatError::BadRequest(Problem { message: Some("empty prompt".into()) }))
    );
}

#[tokio::test]
async fn retries_happen_before_the_stream_and_auth_headers_go_with_it() {
    let (base, seen) = serve(|index, _, stream| {
        if index == 0 {
            let reply = "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
            stream.write_all(reply.as_bytes()).unwrap();
            return;
        }
        start_events(stream);
        send(stream, "data: {\"n\": 1}\n\n");
    });
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("t0ken")
        .default_header("x-extra", "yes")
        .max_retries(1)
        .build()
        .unwrap();
    let events = client.watch_ticks_events(WatchTicksParams { every: Some(5) }).await.expect("stream");
    let ticks: Vec<Tick> = events.map(|i| i.unwrap().into_data().unwrap()).collect().await;
    assert_eq!(ticks, [Tick { n: 1 }]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].target, "/ticks?every=5");
    assert_eq!(seen[1].header("authorization"), Some("Bearer t0ken"));
    assert_eq!(seen[1].header("x-extra"), Some("yes"));
}

#[tokio::test]
async fn the_timeout_bounds_each_wait_not_the_whole_stream() {
    let (base, _) = serve(|_, _, stream| {
        start_events(stream);
        // Four events 400 ms apart outlast a 1 s timeout together, never one by one.
        for n in 0..4 {
            send(stream, &format!("data: {{\"n\": {n}}}\n\n"));
            std::thread::sleep(Duration::from_millis(400));
        }
        // Then silence: the stream ends with a timeout.
        std::thread::sleep(Duration::from_secs(5));
    });
    let client = Client::builder().base_url(&base).max_retries(0).timeout(Duration::from_secs(1)).build().unwrap();
    let items: Vec<_> = client.watch_ticks_events(Default::default()).await.expect("stream").collect().await;
    assert_eq!(items.len(), 5, "{items:?}");
    let ticks: Vec<i64> = items[..4].iter().map(|i| i.as_ref().unwrap().clone().into_data().unwrap().n).collect();
    assert_eq!(ticks, [0, 1, 2, 3]);
    assert!(matches!(items[4], Err(Error::Timeout { .. })), "{:?}", items[4]);
}

#[tokio::test]
async fn each_event_is_bounded_by_max_response_bytes() {
    let (base, _) = serve(|_, _, stream| {
        start_events(stream);
        send(stream, "data: {\"n\": 1}\n\ndata: {\"n\": 2}\n\ndata: {\"n\": 3}\n\n");
        send(stream, &format!("data: {{\"n\": 4, \"pad\": \"{}\"}}\n\n", "x".repeat(4096)));
    });
    let client = Client::builder().base_url(&base).max_retries(0).max_response_bytes(64).build().unwrap();
    let items: Vec<_> = client.watch_ticks_events(Default::default()).await.expect("stream").collect().await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[..3].iter().all(Result::is_ok));
    assert!(matches!(items[3], Err(Error::ResponseTooLarge { limit: 64, .. })), "{:?}", items[3]);
}
