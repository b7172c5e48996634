//! Incremental decoder for `application/vnd.amazon.eventstream` frames (placeholder).
