//! Images, documents and videos in input: where the bytes are, which format a MIME type
//! names, and a document name the service accepts.

use std::borrow::Cow;

use serde::Serialize;

use crate::base64;

/// Where a media block's content is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MediaSource {
    /// The bytes, base64-encoded (as the JSON wire form needs them).
    Bytes(String),
    /// An object in Amazon S3.
    S3Location(S3Location),
    /// A plain-text document's text.
    Text(String),
}

impl MediaSource {
    /// The bytes of its base64 or text (nothing for a location).
    pub fn payload_len(&self) -> usize {
        match self {
            MediaSource::Bytes(text) | MediaSource::Text(text) => text.len(),
            MediaSource::S3Location(_) => 0,
        }
    }
}

/// An `s3://` location, optionally with the bucket owner's account id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Location {
    /// `s3://bucket/key`.
    pub uri: String,
    /// The bucket owner's account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_owner: Option<String>,
}

/// What kind of media a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// An image.
    Image,
    /// A document.
    Document,
    /// A video.
    Video,
}

impl MediaKind {
    /// The formats the service accepts for this kind.
    pub fn formats(self) -> &'static [&'static str] {
        match self {
            MediaKind::Image => &["png", "jpeg", "gif", "webp"],
            MediaKind::Document => &[
                "pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md",
            ],
            MediaKind::Video => &[
                "mkv", "mov", "mp4", "webm", "flv", "mpeg", "mpg", "wmv", "three_gp",
            ],
        }
    }

    /// The block name (`image`, `document`, `video`).
    pub fn name(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Document => "document",
            MediaKind::Video => "video",
        }
    }
}

const MIME_FORMATS: &[(&str, MediaKind, &str)] = &[
    ("image/png", MediaKind::Image, "png"),
    ("image/jpeg", MediaKind::Image, "jpeg"),
    ("image/jpg", MediaKind::Image, "jpeg"),
    ("image/gif", MediaKind::Image, "gif"),
    ("image/webp", MediaKind::Image, "webp"),
    ("application/pdf", MediaKind::Document, "pdf"),
    ("text/csv", MediaKind::Document, "csv"),
    ("application/msword", MediaKind::Document, "doc"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        MediaKind::Document,
        "docx",
    ),
    ("application/vnd.ms-excel", MediaKind::Document, "xls"),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        MediaKind::Document,
        "xlsx",
    ),
    ("text/html", MediaKind::Document, "html"),
    ("text/plain", MediaKind::Document, "txt"),
    ("text/markdown", MediaKind::Document, "md"),
    ("video/x-matroska", MediaKind::Video, "mkv"),
    ("video/quicktime", MediaKind::Video, "mov"),
    ("video/mp4", MediaKind::Video, "mp4"),
    ("video/webm", MediaKind::Video, "webm"),
    ("video/x-flv", MediaKind::Video, "flv"),
    ("video/mpeg", MediaKind::Video, "mpeg"),
    ("video/x-ms-wmv", MediaKind::Video, "wmv"),
    ("video/3gpp", MediaKind::Video, "three_gp"),
];

/// The kind and format a MIME type names (`image/png` → image, `png`); parameters such as
/// `; charset=utf-8` are ignored.
pub fn format_for_mime(mime: &str) -> Option<(MediaKind, &'static str)> {
    let essence = mime.split(';').next().unwrap_or("").trim();
    MIME_FORMATS
        .iter()
        .find(|(m, _, _)| m.eq_ignore_ascii_case(essence))
        .map(|&(_, kind, format)| (kind, format))
}

/// The MIME type a file name's extension stands for (`cat.JPG` → `image/jpeg`): the type whose
/// format the extension names.
pub fn mime_for_extension(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    let format = match ext.as_str() {
        "jpg" => "jpeg",
        "htm" => "html",
        "3gp" => "three_gp",
        other => other,
    };
    MIME_FORMATS
        .iter()
        .find(|(_, _, f)| *f == format)
        .map(|&(mime, _, _)| mime)
}

/// Why an input block is refused: a fixed message is borrowed (no code to copy it at each
/// place that gives it), one that names a value is formatted.
pub type Problem = Cow<'static, str>;

/// Base64 bytes that the service will accept: valid and not empty.
pub fn checked_base64(text: String) -> Result<String, Problem> {
    match base64::decoded_len(&text) {
        Some(0) => Err("the bytes are empty".into()),
        Some(_) => Ok(text),
        None => Err("the bytes are not valid base64".into()),
    }
}

/// A `data:` URL's MIME type and base64 payload.
pub fn parse_data_url(url: &str) -> Result<(String, String), Problem> {
    let rest = url.strip_prefix("data:").ok_or("not a data: URL")?;
    let (meta, data) = rest.split_once(',').ok_or("a data: URL needs a comma")?;
    let mime = meta
        .strip_suffix(";base64")
        .ok_or("only base64 data: URLs are supported")?;
    Ok((mime.to_string(), checked_base64(data.to_string())?))
}

/// A document name the service accepts (alphanumerics, single spaces, hyphens, parentheses
/// and square brackets, at most 200 characters): the given name with other characters
/// replaced, else `document-` and a hash of the content, so the same document always gets the
/// same name.
pub fn document_name(given: Option<&str>, source: &MediaSource) -> String {
    let cleaned: String = given
        .map(|name| {
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            let mut out = String::new();
            for c in stem.chars() {
                let c = if c.is_ascii_alphanumeric() || "-()[]".contains(c) {
                    c
                } else {
                    ' '
                };
                if !(c == ' ' && (out.is_empty() || out.ends_with(' '))) {
                    out.push(c);
                }
            }
            out.trim_end().chars().take(200).collect()
        })
        .unwrap_or_default();
    if !cleaned.is_empty() {
        return cleaned.trim_end().to_string();
    }
    let content = match source {
        MediaSource::Bytes(b) | MediaSource::Text(b) => b.as_str(),
        MediaSource::S3Location(l) => l.uri.as_str(),
    };
    format!("document-{:08x}", fnv1a(content.as_bytes()) as u32)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_name_formats() {
        assert_eq!(
            format_for_mime("image/PNG"),
            Some((MediaKind::Image, "png"))
        );
        assert_eq!(
            format_for_mime("text/plain; charset=utf-8"),
            Some((MediaKind::Document, "txt"))
        );
        assert_eq!(
            format_for_mime("video/3gpp"),
            Some((MediaKind::Video, "three_gp"))
        );
        assert_eq!(format_for_mime("application/zip"), None);
    }

    #[test]
    fn extensions_name_mime_types() {
        assert_eq!(mime_for_extension("s3://b/cat.JPG"), Some("image/jpeg"));
        assert_eq!(mime_for_extension("s3://b/a.b/page.htm"), Some("text/html"));
        assert_eq!(mime_for_extension("s3://b/clip.3gp"), Some("video/3gpp"));
        assert_eq!(
            mime_for_extension("s3://b/sheet.xlsx").map(format_for_mime),
            Some(Some((MediaKind::Document, "xlsx")))
        );
        assert_eq!(mime_for_extension("s3://b/archive.zip"), None);
        assert_eq!(mime_for_extension("s3://b/noext"), None);
    }

    #[test]
    fn data_urls_parse_and_empty_bytes_are_rejected() {
        assert_eq!(
            parse_data_url("data:image/png;base64,iVBORw0KGgo=").unwrap(),
            ("image/png".to_string(), "iVBORw0KGgo=".to_string())
        );
        assert!(parse_data_url("data:image/png;base64,").is_err());
        assert!(parse_data_url("data:image/png,abc").is_err());
        assert!(parse_data_url("https://example.com/a.png").is_err());
    }

    #[test]
    fn document_names_are_valid_and_stable() {
        let bytes = MediaSource::Bytes("aGVsbG8=".into());
        assert_eq!(
            document_name(Some("Q3  report_final (v2).pdf"), &bytes),
            "Q3 report final (v2)"
        );
        let a = document_name(None, &bytes);
        assert!(a.starts_with("document-") && a.len() == 17, "{a}");
        assert_eq!(a, document_name(Some("..."), &bytes));
        assert_ne!(
            a,
            document_name(None, &MediaSource::Bytes("aGVsbG9v".into()))
        );
    }
}
