//! Every error name Rust can produce is a name the package's hand-written `index.d.ts` lists
//! for `BedrockError.name`: each AWS error type of the one table
//! (`bedrock_edge::error::AWS_ERRORS`) and each local kind (`LOCAL_ERROR_NAMES`), so that
//! the types cannot fall behind the table or the kinds.
#![cfg(not(target_arch = "wasm32"))]

use bedrock_edge::error::{AWS_ERRORS, LOCAL_ERROR_NAMES};

const INDEX_D_TS: &str = include_str!("../pkg-template/index.d.ts");

/// The text of the `BedrockErrorName` union.
fn bedrock_error_names() -> &'static str {
    let start = INDEX_D_TS
        .find("export type BedrockErrorName =")
        .expect("BedrockErrorName in index.d.ts");
    &INDEX_D_TS[start..start + INDEX_D_TS[start..].find(';').unwrap()]
}

#[test]
fn index_d_ts_names_every_error_rust_makes() {
    let union = bedrock_error_names();
    let missing: Vec<&str> = AWS_ERRORS
        .iter()
        .map(|fact| fact.name)
        .chain(LOCAL_ERROR_NAMES.iter().copied())
        // Bad input is thrown as a JS `TypeError` itself, never as a `BedrockError`.
        .filter(|name| *name != "TypeError")
        .filter(|name| !union.contains(&format!("\"{name}\"")))
        .collect();
    assert!(missing.is_empty(), "index.d.ts lacks {missing:?}");
}

#[test]
fn the_local_kinds_include_the_type_error() {
    assert!(LOCAL_ERROR_NAMES.contains(&"TypeError"));
    // Signing cannot fail for what the models sign (its inputs are checked first): no kind.
    assert!(!LOCAL_ERROR_NAMES.contains(&"SigningError"));
}
