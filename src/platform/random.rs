//! Randomness from the runtime (`js/random.js`: `node:crypto` where the runtime has it, else Web
//! Crypto's `getRandomValues`): UUIDs and the unit that jitters backoff.

use wasm_bindgen::prelude::*;

use crate::Error;

#[wasm_bindgen(module = "/js/random.js")]
extern "C" {
    #[wasm_bindgen(js_name = fillRandom, catch)]
    fn fill_random(bytes: &mut [u8]) -> Result<(), JsValue>;
}

fn fill(bytes: &mut [u8]) -> Result<(), Error> {
    fill_random(bytes).map_err(|_| {
        Error::config(
            "no random source: the runtime has neither node:crypto nor crypto.getRandomValues",
        )
    })
}

/// A random UUID v4 (run ids, invocation ids).
pub fn uuid_v4() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    fill(&mut bytes)?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    // 8-4-4-4-12 hex digits: the dashes go in from the back, so each place is the hex's own.
    let mut id = crate::signing::hex(&bytes);
    for at in [20, 16, 12, 8] {
        id.insert(at, '-');
    }
    Ok(id)
}

/// A number drawn uniformly from `[0, 1)`.
pub fn unit() -> Result<f64, Error> {
    let mut bytes = [0u8; 4];
    fill(&mut bytes)?;
    Ok(f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0))
}
