//! Randomness from the runtime's `crypto.getRandomValues` (through `getrandom`): UUIDs and
//! the unit that jitters backoff.

use crate::Error;

fn fill(bytes: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(bytes).map_err(|e| Error::config(format!("no random source: {e}")))
}

/// A random UUID v4 (run ids, invocation ids).
pub fn uuid_v4() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    fill(&mut bytes)?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = crate::signing::hex(&bytes);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// A number drawn uniformly from `[0, 1)`.
pub fn unit() -> Result<f64, Error> {
    let mut bytes = [0u8; 4];
    fill(&mut bytes)?;
    Ok(f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0))
}
