//! The one table of AWS error facts (`bedrock_edge::error::AWS_ERRORS`) and the names the
//! package's hand-written `index.d.ts` lists for `BedrockError.name` agree: every error the
//! table knows is a named type, so the types cannot fall behind the table.
#![cfg(not(target_arch = "wasm32"))]

use bedrock_edge::error::AWS_ERRORS;

#[test]
fn index_d_ts_names_every_error_in_the_table() {
    let types = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/pkg-template/index.d.ts"
    ))
    .unwrap();
    let start = types
        .find("export type BedrockErrorName =")
        .expect("BedrockErrorName in index.d.ts");
    let union = &types[start..start + types[start..].find(';').unwrap()];
    let missing: Vec<&str> = AWS_ERRORS
        .iter()
        .map(|fact| fact.name)
        .filter(|name| !union.contains(&format!("\"{name}\"")))
        .collect();
    assert!(missing.is_empty(), "index.d.ts lacks {missing:?}");
}
