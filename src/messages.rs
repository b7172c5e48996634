//! Chat input normalisation (placeholder).
