//! Arbitrary bytes through `ChunkDecoder<ConverseStreamMapper>`, pushed in pieces the first
//! input byte chooses, every chunk serialised with `serde_json::to_string` as the client does.
//! Must never panic.
#![no_main]

use bedrock_edge::chunk_decoder::ChunkDecoder;
use bedrock_edge::converse::stream::ConverseStreamMapper;
use bedrock_edge_fuzz::{call_info, pieces};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let mut decoder = ChunkDecoder::new(ConverseStreamMapper::new(call_info()));
    let mut chunks = Vec::new();
    for (i, piece) in pieces(selector, body).into_iter().enumerate() {
        decoder.push(piece);
        // Every way of reading chunks: all that are buffered, in bounded batches as the client
        // reads them, and one at a time.
        let result = if i % 3 == 0 {
            decoder.drain_into(&mut chunks)
        } else if i % 3 == 1 {
            loop {
                let before = chunks.len();
                match decoder.drain_at_most(&mut chunks, before + 3) {
                    Ok(()) if chunks.len() == before => break Ok(()),
                    Ok(()) => assert!(chunks.len() <= before + 3, "a batch over its bound"),
                    Err(err) => break Err(err),
                }
            }
        } else {
            loop {
                match decoder.next_chunk() {
                    Ok(Some(chunk)) => chunks.push(chunk),
                    Ok(None) => break Ok(()),
                    Err(err) => break Err(err),
                }
            }
        };
        for chunk in chunks.drain(..) {
            serde_json::to_string(&chunk).expect("a chunk serialises");
        }
        if let Err(err) = result {
            // Errors serialise too (name and message reach JS).
            let _ = (err.name(), err.message());
            return;
        }
    }
    if let Ok(Some(chunk)) = decoder.finish() {
        serde_json::to_string(&chunk).expect("the last chunk serialises");
    }
});
