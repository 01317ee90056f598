//! When to retry and how long to wait, matching the official SDKs' policy.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// First backoff step; doubled per retry.
const INITIAL_DELAY: Duration = Duration::from_millis(500);
/// Backoff never exceeds this.
const MAX_DELAY: Duration = Duration::from_secs(8);
/// Server-requested delays above this are ignored in favour of our own backoff,
/// so a misbehaving server cannot park the client for hours.
const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);

/// Whether a non-success response should be retried.
///
/// The server's `x-should-retry` header overrides the status either way.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    let hint = headers
        .get("x-should-retry")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match hint {
        Some(v) if v.eq_ignore_ascii_case("true") => return true,
        Some(v) if v.eq_ignore_ascii_case("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// How long to wait before retry number `retries_so_far + 1`.
///
/// A server-provided `retry-after-ms` / `retry-after` wins when it is positive
/// and at most a minute; otherwise exponential backoff with jitter.
pub(crate) fn delay(retries_so_far: u32, headers: Option<&HeaderMap>) -> Duration {
    headers
        .and_then(|h| server_delay(h, SystemTime::now()))
        .unwrap_or_else(|| backoff(retries_so_far, random_unit()))
}

/// `min(0.5 s * 2^n, 8 s)` scaled by a jitter factor in (0.75, 1].
///
/// `unit` is a random number in [0, 1).
pub(crate) fn backoff(retries_so_far: u32, unit: f64) -> Duration {
    let base = INITIAL_DELAY.as_secs_f64() * 2f64.powi(retries_so_far.min(30) as i32);
    let capped = base.min(MAX_DELAY.as_secs_f64());
    let jitter = 1.0 - 0.25 * unit.clamp(0.0, 1.0);
    Duration::from_secs_f64(capped * jitter)
}

/// The delay the server asked for, if it is usable.
pub(crate) fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };

    let requested = if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        secs(ms / 1000.0)
    } else if let Some(value) = text("retry-after") {
        match value.parse::<f64>() {
            Ok(s) => secs(s),
            Err(_) => httpdate::parse_http_date(value)
                .ok()
                .and_then(|at| at.duration_since(now).ok()),
        }
    } else {
        None
    }?;
    (requested > Duration::ZERO && requested <= MAX_SERVER_DELAY).then_some(requested)
}

fn secs(s: f64) -> Option<Duration> {
    // Rejects NaN, infinities and negatives, which `from_secs_f64` would panic on.
    (s.is_finite() && s > 0.0 && s <= MAX_SERVER_DELAY.as_secs_f64())
        .then(|| Duration::from_secs_f64(s))
}

/// A random number in [0, 1), good enough for jitter without a `rand` dependency:
/// `RandomState` is randomly keyed per process, and the counter varies each call.
fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    // 53 random bits -> uniform double in [0, 1).
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn retryable_statuses() {
        let none = HeaderMap::new();
        for s in [408, 409, 429, 500, 502, 503, 504, 529] {
            assert!(should_retry(StatusCode::from_u16(s).unwrap(), &none), "{s}");
        }
        for s in [400, 401, 403, 404, 413, 422] {
            assert!(
                !should_retry(StatusCode::from_u16(s).unwrap(), &none),
                "{s}"
            );
        }
        assert!(!should_retry(
            StatusCode::INTERNAL_SERVER_ERROR,
            &headers(&[("x-should-retry", "false")])
        ));
        assert!(should_retry(
            StatusCode::BAD_REQUEST,
            &headers(&[("x-should-retry", "TRUE")])
        ));
        assert!(should_retry(
            StatusCode::BAD_GATEWAY,
            &headers(&[("x-should-retry", "maybe")])
        ));
    }

    #[test]
    fn backoff_schedule() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(1, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(3, 0.0), Duration::from_secs(4));
        assert_eq!(backoff(4, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(1000, 0.0), Duration::from_secs(8));
        let low = backoff(0, 0.999_999);
        assert!(low > Duration::from_millis(375) && low < Duration::from_millis(500));
        for _ in 0..1000 {
            let u = random_unit();
            assert!((0.0..1.0).contains(&u));
        }
    }

    #[test]
    fn server_delays() {
        let now = SystemTime::now();
        let d = |pairs: &[(&'static str, &str)]| server_delay(&headers(pairs), now);
        assert_eq!(
            d(&[("retry-after-ms", "300")]),
            Some(Duration::from_millis(300))
        );
        assert_eq!(
            d(&[("retry-after-ms", "250"), ("retry-after", "9")]),
            Some(Duration::from_millis(250))
        );
        assert_eq!(d(&[("retry-after", "2")]), Some(Duration::from_secs(2)));
        assert_eq!(
            d(&[("retry-after", "1.5")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(d(&[("retry-after", "0")]), None);
        assert_eq!(d(&[("retry-after", "61")]), None);
        assert_eq!(d(&[("retry-after", "-1")]), None);
        assert_eq!(d(&[("retry-after-ms", "NaN")]), None);
        assert_eq!(d(&[("retry-after-ms", "inf")]), None);
        assert_eq!(d(&[("retry-after", "soon")]), None);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        let got = d(&[("retry-after", later.as_str())]).unwrap();
        assert!(
            got > Duration::from_secs(28) && got <= Duration::from_secs(30),
            "{got:?}"
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(d(&[("retry-after", past.as_str())]), None);
    }
}
