//! A small, strict `multipart/form-data` parser for checking what the SDK sends.

use bytes::Bytes;

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// The `filename` of its `Content-Disposition`, for file parts.
    pub filename: Option<String>,
    /// Its `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The part's bytes, exactly.
    pub data: Bytes,
}

/// Parses `body` sent with the given `Content-Type` header. Panics (failing the
/// test) on anything malformed: wrong content type, missing boundary, bad framing.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<FormPart> {
    let (mime, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    assert_eq!(
        mime.trim().to_ascii_lowercase(),
        "multipart/form-data",
        "content type of a multipart body"
    );
    let boundary = params
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| panic!("no boundary in `{content_type}`"));

    let first = format!("--{boundary}\r\n");
    let delimiter = format!("\r\n--{boundary}");
    assert!(
        body.starts_with(first.as_bytes()),
        "multipart body must start with the boundary line; starts {:?}",
        String::from_utf8_lossy(&body[..body.len().min(80)])
    );
    let mut parts = Vec::new();
    let mut rest = &body[first.len()..];
    loop {
        let end = find(rest, delimiter.as_bytes())
            .unwrap_or_else(|| panic!("unterminated multipart part ({} parts read)", parts.len()));
        parts.push(parse_part(&rest[..end]));
        rest = &rest[end + delimiter.len()..];
        if let Some(after) = rest.strip_prefix(b"--") {
            assert!(
                after.is_empty() || after == b"\r\n",
                "data after the closing boundary: {:?}",
                String::from_utf8_lossy(after)
            );
            return parts;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .expect("a boundary line ends with CRLF");
    }
}

fn parse_part(raw: &[u8]) -> FormPart {
    let split = find(raw, b"\r\n\r\n").expect("part headers end with an empty line");
    let head = std::str::from_utf8(&raw[..split]).expect("part headers are UTF-8");
    let data = Bytes::copy_from_slice(&raw[split + 4..]);
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("bad part header line `{line}`"));
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                let mut items = value.split(';').map(str::trim);
                assert_eq!(items.next(), Some("form-data"), "disposition of `{line}`");
                for item in items {
                    let (k, v) = item.split_once('=').expect("disposition parameter");
                    let v = v.trim().trim_matches('"').to_owned();
                    match k.trim() {
                        "name" => name = Some(v),
                        "filename" => filename = Some(v),
                        other => panic!("unexpected disposition parameter `{other}`"),
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            other => panic!("unexpected part header `{other}`"),
        }
    }
    FormPart {
        name: name.expect("every part has a name"),
        filename,
        content_type,
        data,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_and_file_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"a/b.md\"\r\nContent-Type: text/markdown\r\n\r\nline1\r\nline2\r\n--XyZ--\r\n";
        let parts = parse_multipart("multipart/form-data; boundary=XyZ", body);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "title");
        assert_eq!(parts[0].filename, None);
        assert_eq!(&parts[0].data[..], b"Hi");
        assert_eq!(parts[1].filename.as_deref(), Some("a/b.md"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/markdown"));
        assert_eq!(&parts[1].data[..], b"line1\r\nline2");
    }
}
