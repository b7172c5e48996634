//! Converse request building and response mapping (placeholder).
