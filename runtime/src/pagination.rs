//! Cursor pagination as a stream of items.

use std::collections::VecDeque;
use std::future::Future;

use super::error::Error;

struct State<F, T> {
    fetch: F,
    /// Cursor for the next page: `None` once there is no next page.
    next: Option<Option<String>>,
    buffered: VecDeque<T>,
}

/// Streams every item of every page.
///
/// `fetch` gets the cursor (`None` for the first page) and returns the page's
/// items plus the next cursor. Paging stops on a `None` or empty cursor, on a
/// page without items, on a cursor equal to the one just used (a server bug that
/// would otherwise loop forever), or after yielding an error.
///
/// The stream is boxed so it is `Unpin`: callers can use `.next().await` directly.
pub fn paginate<'a, T, F, Fut>(fetch: F) -> futures::stream::BoxStream<'a, Result<T, Error>>
where
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>> + Send + 'a,
    T: Send + 'a,
{
    let state = State {
        fetch,
        next: Some(None),
        buffered: VecDeque::new(),
    };
    Box::pin(futures::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffered.pop_front() {
                return Some((Ok(item), state));
            }
            let cursor = state.next.take()?;
            match (state.fetch)(cursor.clone()).await {
                Err(e) => return Some((Err(e), state)),
                Ok((items, _)) if items.is_empty() => return None,
                Ok((items, next)) => {
                    state.next = next
                        .filter(|c| !c.is_empty() && Some(c) != cursor.as_ref())
                        .map(Some);
                    state.buffered.extend(items);
                }
            }
        }
    }))
}
