//! Streamed responses: a 2xx body read as it arrives, as server-sent events
//! (`text/event-stream`, parsed by `eventsource-stream`) or as JSON Lines
//! (`application/jsonl`, `application/x-ndjson`, `application/json-seq`), each item
//! decoded on its own.
//!
//! Bounds: the call's `timeout` limits each wait for the next chunk (an idle
//! timeout), never the whole stream; `max_response_bytes` limits each item (one
//! event, one line), never the whole stream. An item that does not decode is yielded
//! as [`Error::Decode`] and the stream goes on; a broken connection, an idle timeout or
//! an item over the size limit is yielded as an error and ends the stream.

use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use futures::stream::{BoxStream, StreamExt};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::error::Error;

/// The data of an event that ends an event stream by convention rather than carrying a
/// value: `data: [DONE]`. It ends the stream like the end of the body does.
pub const DONE: &str = "[DONE]";

/// A 2xx response whose body has not been read yet: its chunks arrive as the stream
/// is polled. Made by `Client::execute_stream`; turned into items by
/// [`StreamResponse::sse`] or [`StreamResponse::json_lines`].
pub struct StreamResponse {
    /// The status.
    pub status: StatusCode,
    /// All response headers.
    pub headers: HeaderMap,
    /// The server's request id, if it sent one.
    pub request_id: Option<String>,
    body: BoxStream<'static, Result<Bytes, Error>>,
    max_item_bytes: u64,
}

impl std::fmt::Debug for StreamResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("request_id", &self.request_id)
            .field("max_item_bytes", &self.max_item_bytes)
            .finish_non_exhaustive()
    }
}

/// One server-sent event with its data decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent<T> {
    /// The `event:` name; `message` when the server sent none.
    pub event: String,
    /// The last `id:` the stream sent, if any (ids carry over to later events).
    pub id: Option<String>,
    /// The `retry:` reconnection time sent with this event, if any.
    pub retry: Option<Duration>,
    /// The `data:` lines, decoded.
    pub data: T,
}

/// What an event stream yields.
#[derive(Debug, Clone, PartialEq)]
pub enum SseItem<T> {
    /// An event whose data decoded as the item type.
    Event(SseEvent<T>),
    /// An event whose name the operation does not declare, with its data as sent.
    Unknown(SseEvent<String>),
}

impl<T> SseItem<T> {
    /// The decoded data of a known event; `None` for an unknown one.
    pub fn into_data(self) -> Option<T> {
        match self {
            SseItem::Event(event) => Some(event.data),
            SseItem::Unknown(_) => None,
        }
    }
}

/// How an event's data is decoded: `Some` with the result for an event name the
/// operation knows, `None` for one it does not (yielded as [`SseItem::Unknown`]).
pub type SseDecoder<T> =
    Box<dyn FnMut(&str, &str) -> Option<Result<T, serde_json::Error>> + Send + 'static>;

impl StreamResponse {
    /// Wraps a body stream whose errors are already the runtime's. Each wait for a chunk
    /// is limited to `idle` ([`Error::Timeout`], which ends the stream); items over
    /// `max_item_bytes` end it with [`Error::ResponseTooLarge`].
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        body: BoxStream<'static, Result<Bytes, Error>>,
        idle: Duration,
        max_item_bytes: u64,
    ) -> StreamResponse {
        StreamResponse {
            status,
            headers,
            request_id,
            body: with_idle_timeout(body, idle),
            max_item_bytes,
        }
    }

    /// The body as server-sent events. `decode` gets each event's name and data; see
    /// [`SseDecoder`]. Comments and events without data are skipped; an event whose
    /// data is `[DONE]` ([`DONE`]) ends the stream. An event whose data does not decode
    /// is yielded as [`Error::Decode`] and the stream goes on.
    pub fn sse<T: Send + 'static>(
        self,
        decode: SseDecoder<T>,
    ) -> BoxStream<'static, Result<SseItem<T>, Error>> {
        let StreamResponse {
            status,
            request_id,
            body,
            max_item_bytes,
            ..
        } = self;
        let limit_error = too_large(status, max_item_bytes, request_id.clone());
        let bounded = bound_events(body, max_item_bytes, limit_error);
        let events = eventsource_stream::EventStream::new(bounded);
        let state = SseState {
            events: Box::pin(events),
            decode,
            status,
            request_id,
            done: false,
        };
        Box::pin(futures::stream::unfold(state, |mut state| async move {
            if state.done {
                return None;
            }
            let item = match state.events.next().await? {
                Ok(event) => event,
                Err(e) => {
                    state.done = true;
                    let error = match e {
                        eventsource_stream::EventStreamError::Transport(e) => e,
                        other => Error::decode(
                            state.status,
                            other.to_string(),
                            b"",
                            state.request_id.clone(),
                        ),
                    };
                    return Some((Err(error), state));
                }
            };
            if item.data == DONE {
                return None;
            }
            let id = Some(item.id).filter(|id| !id.is_empty());
            let event = item.event;
            let result = match (state.decode)(&event, &item.data) {
                Some(Ok(data)) => Ok(SseItem::Event(SseEvent {
                    event,
                    id,
                    retry: item.retry,
                    data,
                })),
                Some(Err(e)) => Err(Error::decode(
                    state.status,
                    format!("event `{event}`: {e}"),
                    item.data.as_bytes(),
                    state.request_id.clone(),
                )),
                None => Ok(SseItem::Unknown(SseEvent {
                    event,
                    id,
                    retry: item.retry,
                    data: item.data,
                })),
            };
            Some((result, state))
        }))
    }

    /// The body as JSON values one per line (JSON Lines, NDJSON, and JSON text
    /// sequences, whose leading record separator is dropped). Blank lines are skipped; a
    /// last line without a newline counts. A line that does not decode as `T` is
    /// yielded as [`Error::Decode`] and the stream goes on.
    pub fn json_lines<T: DeserializeOwned + Send + 'static>(
        self,
    ) -> BoxStream<'static, Result<T, Error>> {
        let state = LinesState {
            body: self.body,
            buffer: BytesMut::new(),
            status: self.status,
            request_id: self.request_id,
            limit: self.max_item_bytes,
            done: false,
            failed: false,
        };
        Box::pin(futures::stream::unfold(state, |mut state| async move {
            loop {
                if state.failed {
                    return None;
                }
                if let Some(line) = state.next_line() {
                    let line = trim_line(&line);
                    if line.is_empty() {
                        continue;
                    }
                    if line.len() as u64 > state.limit {
                        // Ends the stream: nothing after it is read.
                        state.failed = true;
                        state.buffer.clear();
                        let error = too_large(state.status, state.limit, state.request_id.clone());
                        return Some((Err(error), state));
                    }
                    let item = serde_json::from_slice::<T>(line).map_err(|e| {
                        Error::decode(state.status, e.to_string(), line, state.request_id.clone())
                    });
                    return Some((item, state));
                }
                if state.done {
                    return None;
                }
                if state.buffer.len() as u64 > state.limit {
                    state.done = true;
                    state.buffer.clear();
                    let error = too_large(state.status, state.limit, state.request_id.clone());
                    return Some((Err(error), state));
                }
                match state.body.next().await {
                    Some(Ok(chunk)) => state.buffer.extend_from_slice(&chunk),
                    Some(Err(e)) => {
                        state.done = true;
                        state.buffer.clear();
                        return Some((Err(e), state));
                    }
                    None => {
                        state.done = true;
                        // What is left is the last line, without its newline.
                        let rest = state.buffer.split().freeze();
                        let line = trim_line(&rest);
                        if line.is_empty() {
                            return None;
                        }
                        if line.len() as u64 > state.limit {
                            let error =
                                too_large(state.status, state.limit, state.request_id.clone());
                            return Some((Err(error), state));
                        }
                        let item = serde_json::from_slice::<T>(line).map_err(|e| {
                            Error::decode(
                                state.status,
                                e.to_string(),
                                line,
                                state.request_id.clone(),
                            )
                        });
                        return Some((item, state));
                    }
                }
            }
        }))
    }
}

struct SseState<T> {
    events: BoxStream<'static, Result<eventsource_stream::Event, SseError>>,
    decode: SseDecoder<T>,
    status: StatusCode,
    request_id: Option<String>,
    done: bool,
}

type SseError = eventsource_stream::EventStreamError<Error>;

struct LinesState {
    body: BoxStream<'static, Result<Bytes, Error>>,
    buffer: BytesMut,
    status: StatusCode,
    request_id: Option<String>,
    limit: u64,
    /// The body has ended (what is buffered may still hold lines).
    done: bool,
    /// A line was over the limit: nothing more is yielded.
    failed: bool,
}

impl LinesState {
    /// The next whole line in the buffer (without its `\n`), if one is there.
    fn next_line(&mut self) -> Option<Bytes> {
        let end = self.buffer.iter().position(|b| *b == b'\n')?;
        let line = self.buffer.split_to(end).freeze();
        self.buffer.advance(1);
        Some(line)
    }
}

/// A line without its `\r`, surrounding blanks and a JSON text sequence's leading
/// record separator (0x1E).
fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.trim_ascii();
    let line = line.strip_prefix(&[0x1E]).unwrap_or(line);
    line.trim_ascii()
}

fn too_large(status: StatusCode, limit: u64, request_id: Option<String>) -> Error {
    Error::ResponseTooLarge {
        status,
        limit,
        content_length: None,
        request_id,
    }
}

/// `body` with each wait for a chunk limited to `idle`: a wait that runs out yields
/// [`Error::Timeout`] and ends the stream.
fn with_idle_timeout(
    body: BoxStream<'static, Result<Bytes, Error>>,
    idle: Duration,
) -> BoxStream<'static, Result<Bytes, Error>> {
    Box::pin(futures::stream::unfold(
        Some(body),
        move |body| async move {
            let mut body = body?;
            match tokio::time::timeout(idle, body.next()).await {
                Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(body))),
                Ok(Some(Err(e))) => Some((Err(e), None)),
                Ok(None) => None,
                Err(_elapsed) => Some((Err(Error::Timeout { after: idle }), None)),
            }
        },
    ))
}

/// `body` with the bytes of each event counted: an event (the bytes between two blank
/// lines, line ends not counted) longer than `limit` yields `error` and ends the
/// stream, so the parser never buffers more than that.
fn bound_events(
    body: BoxStream<'static, Result<Bytes, Error>>,
    limit: u64,
    error: Error,
) -> BoxStream<'static, Result<Bytes, Error>> {
    let state = EventBound {
        pending: 0,
        line_start: true,
        after_cr: false,
    };
    Box::pin(futures::stream::unfold(
        Bounding::Running(body, state, error),
        move |running| async move {
            let (mut body, mut state, error) = match running {
                Bounding::Running(body, state, error) => (body, state, error),
                Bounding::Failed(error) => return Some((Err(error), Bounding::Done)),
                Bounding::Done => return None,
            };
            match body.next().await? {
                Ok(chunk) => match state.feed(&chunk, limit) {
                    // The events before the one over the limit still go to the parser.
                    Some(at) => Some((Ok(chunk.slice(..at)), Bounding::Failed(error))),
                    None => Some((Ok(chunk), Bounding::Running(body, state, error))),
                },
                Err(e) => Some((Err(e), Bounding::Done)),
            }
        },
    ))
}

/// Where [`bound_events`] stands: passing chunks on, about to yield its error, or done.
enum Bounding {
    Running(BoxStream<'static, Result<Bytes, Error>>, EventBound, Error),
    Failed(Error),
    Done,
}

/// Where the byte counting of [`bound_events`] stands.
struct EventBound {
    /// Bytes of the current event so far.
    pending: u64,
    /// The last byte ended a line.
    line_start: bool,
    /// The last byte was `\r` (a `\n` after it is the same line end).
    after_cr: bool,
}

impl EventBound {
    /// Counts `chunk`; returns the offset of its byte that takes an event past `limit`.
    fn feed(&mut self, chunk: &[u8], limit: u64) -> Option<usize> {
        for (at, &b) in chunk.iter().enumerate() {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    if self.line_start {
                        // A blank line: the event ends.
                        self.pending = 0;
                    }
                    self.line_start = true;
                    self.after_cr = b == b'\r';
                }
                _ => {
                    self.after_cr = false;
                    self.line_start = false;
                    self.pending += 1;
                    if self.pending > limit {
                        return Some(at);
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Tick {
        n: u32,
    }

    fn response(chunks: Vec<Result<&'static str, Error>>, limit: u64) -> StreamResponse {
        let body = futures::stream::iter(
            chunks
                .into_iter()
                .map(|c| c.map(|s| Bytes::from_static(s.as_bytes()))),
        );
        StreamResponse::new(
            StatusCode::OK,
            HeaderMap::new(),
            Some("req_1".into()),
            Box::pin(body),
            Duration::from_secs(5),
            limit,
        )
    }

    fn ticks() -> SseDecoder<Tick> {
        Box::new(|event: &str, data: &str| match event {
            "message" | "tick" => Some(serde_json::from_str(data)),
            _ => None,
        })
    }

    async fn all<T>(stream: BoxStream<'static, Result<T, Error>>) -> Vec<Result<T, Error>> {
        stream.collect().await
    }

    #[tokio::test]
    async fn sse_events_split_across_chunks_keep_their_fields() {
        let items = all(response(
            vec![
                Ok(": a comment\n\nretry: 1500\nid: 7\nevent: ti"),
                Ok("ck\ndata: {\"n\":"),
                Ok(" 1}\n\ndata: {\"n\": 2}\r\n\r\n"),
            ],
            1024,
        )
        .sse(ticks()))
        .await;
        let items: Vec<SseItem<Tick>> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            items,
            vec![
                SseItem::Event(SseEvent {
                    event: "tick".into(),
                    id: Some("7".into()),
                    retry: Some(Duration::from_millis(1500)),
                    data: Tick { n: 1 },
                }),
                SseItem::Event(SseEvent {
                    event: "message".into(),
                    id: Some("7".into()),
                    retry: None,
                    data: Tick { n: 2 },
                }),
            ]
        );
    }

    #[tokio::test]
    async fn sse_unknown_and_bad_events_do_not_stop_the_stream() {
        let items = all(response(
            vec![Ok(
                "event: ping\ndata: hello\n\ndata: not json\n\ndata: {\"n\": 3}\n\ndata: [DONE]\n\ndata: {\"n\": 4}\n\n",
            )],
            1024,
        )
        .sse(ticks()))
        .await;
        assert_eq!(items.len(), 3, "{items:?}");
        match &items[0] {
            Ok(SseItem::Unknown(e)) => {
                assert_eq!((e.event.as_str(), e.data.as_str()), ("ping", "hello"))
            }
            other => panic!("{other:?}"),
        }
        match &items[1] {
            Err(Error::Decode {
                snippet,
                request_id,
                ..
            }) => {
                assert_eq!(snippet, "not json");
                assert_eq!(request_id.as_deref(), Some("req_1"));
            }
            other => panic!("{other:?}"),
        }
        // `[DONE]` ends the stream: the event after it is not read.
        let last = items.into_iter().nth(2).and_then(Result::ok);
        assert_eq!(last.and_then(SseItem::into_data), Some(Tick { n: 3 }));
    }

    #[tokio::test]
    async fn sse_connection_error_ends_the_stream_with_it() {
        let items = all(response(
            vec![
                Ok("data: {\"n\": 1}\n\ndata: {\"n\""),
                Err(Error::Connection {
                    message: "reset".into(),
                    source: None,
                }),
                Ok("data: {\"n\": 2}\n\n"),
            ],
            1024,
        )
        .sse(ticks()))
        .await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(items[0].is_ok());
        assert!(matches!(items[1], Err(Error::Connection { .. })));
    }

    #[tokio::test]
    async fn sse_event_over_the_limit_ends_the_stream() {
        // Many small events in one chunk pass; one large event does not.
        let items = all(response(
            vec![
                Ok("data: {\"n\": 1}\n\ndata: {\"n\": 2}\n\n"),
                Ok("data: {\"n\": 3}\n\ndata: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n\n"),
                Ok("data: {\"n\": 4}\n\n"),
            ],
            20,
        )
        .sse(ticks()))
        .await;
        assert_eq!(items.len(), 4, "{items:?}");
        assert!(items[..3].iter().all(Result::is_ok));
        assert!(matches!(
            items[3],
            Err(Error::ResponseTooLarge { limit: 20, .. })
        ));
    }

    #[tokio::test]
    async fn idle_wait_is_bounded() {
        let body = futures::stream::iter(vec![Ok(Bytes::from_static(b"{\"n\": 1}\n"))])
            .chain(futures::stream::pending());
        let stream = StreamResponse::new(
            StatusCode::OK,
            HeaderMap::new(),
            None,
            Box::pin(body),
            Duration::from_millis(50),
            1024,
        )
        .json_lines::<Tick>();
        let items = all(stream).await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().ok(), Some(&Tick { n: 1 }));
        assert!(matches!(items[1], Err(Error::Timeout { .. })));
    }

    #[tokio::test]
    async fn json_lines_split_skip_blanks_and_go_on_after_bad_lines() {
        let items = all(response(
            vec![
                Ok("{\"n\": 1}\r\n\n{\"n\""),
                Ok(": 2}\nnope\n\u{1e}{\"n\": 3}\n{\"n\": 4}"),
            ],
            1024,
        )
        .json_lines::<Tick>())
        .await;
        assert_eq!(items.len(), 5, "{items:?}");
        assert!(matches!(&items[2], Err(Error::Decode { snippet, .. }) if snippet == "nope"));
        let good: Vec<u32> = items
            .into_iter()
            .filter_map(Result::ok)
            .map(|t| t.n)
            .collect();
        assert_eq!(good, vec![1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn json_lines_line_over_the_limit_ends_the_stream() {
        let stream = response(
            vec![Ok("{\"n\": 1}\n"), Ok("[1,2,3,4,5,6,7,8,9,10,11,12]")],
            16,
        )
        .json_lines::<Tick>();
        let result: Result<Vec<Tick>, Error> = stream.try_collect().await;
        assert!(matches!(
            result,
            Err(Error::ResponseTooLarge { limit: 16, .. })
        ));
        // A whole line over the limit, in one chunk with others: the lines before it
        // come through, none after it.
        let items = all(response(
            vec![Ok("{\"n\": 1}\n[1,2,3,4,5,6,7,8,9,10,11,12]\n{\"n\": 2}\n")],
            16,
        )
        .json_lines::<Tick>())
        .await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().ok(), Some(&Tick { n: 1 }));
        assert!(matches!(
            items[1],
            Err(Error::ResponseTooLarge { limit: 16, .. })
        ));
    }

    #[test]
    fn event_bound_counts_events_not_chunks() {
        let mut bound = EventBound {
            pending: 0,
            line_start: true,
            after_cr: false,
        };
        // Events of 9 and 8 bytes pass a limit of 9; the second continues to 15 bytes
        // across a CRLF line end and passes a limit of 14 at its 15th byte.
        assert_eq!(bound.feed(b"data: abc\n\ndata: de", 9), None);
        assert_eq!(bound.feed(b"\r\n", 9), None);
        assert_eq!(bound.feed(b"data: f\r\n\r\nx", 14), Some(6));
        assert_eq!(bound.pending, 15);
    }
}
