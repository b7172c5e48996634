//! wasm-bindgen surface (placeholder).
