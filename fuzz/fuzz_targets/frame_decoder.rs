//! Arbitrary bytes through `FrameDecoder`, pushed in pieces the first input byte chooses
//! (see `bedrock_edge_fuzz::pieces`); every decoded message is routed with `kind()`. The
//! decoder must never panic, and once it has failed it must keep failing.
#![no_main]

use bedrock_edge::event_stream::FrameDecoder;
use bedrock_edge_fuzz::pieces;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let mut decoder = FrameDecoder::new();
    let mut failed = None;
    for piece in pieces(selector, body) {
        decoder.push(piece);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => {
                    let _ = message.kind();
                }
                Ok(None) => break,
                Err(err) => {
                    failed = Some(err);
                    break;
                }
            }
        }
        if failed.is_some() {
            break;
        }
    }
    match failed {
        Some(err) => {
            // A failed decoder reports the same error from then on.
            assert_eq!(decoder.next_message().unwrap_err(), err);
            assert_eq!(decoder.finish().unwrap_err(), err);
        }
        None => {
            let _ = decoder.finish();
        }
    }
});
