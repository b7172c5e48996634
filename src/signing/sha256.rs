//! SHA-256 (FIPS 180-4), its compression function written as one loop of 64 rounds. The `sha2`
//! crate unrolls the rounds: 7.9 KB of wasm where this takes well under one.

/// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The first 32 bits of the fractional parts of the square roots of the first 8 primes.
const INITIAL: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The block size in bytes.
pub const BLOCK: usize = 64;

/// The SHA-256 digest of the concatenated `parts`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hash = Hash {
        state: INITIAL,
        block: [0; BLOCK],
        filled: 0,
    };
    let mut length: u64 = 0;
    for part in parts {
        length = length.wrapping_add(part.len() as u64);
        hash.absorb(part);
    }
    // The padding: 0x80, zeros up to 8 bytes short of a block end, the length in bits.
    hash.absorb(&[0x80]);
    while hash.filled != BLOCK - 8 {
        hash.absorb(&[0]);
    }
    hash.absorb(&length.wrapping_mul(8).to_be_bytes());
    let mut digest = [0u8; 32];
    for (out, word) in digest.chunks_exact_mut(4).zip(hash.state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// A hash under way: the state and the bytes of the block not yet compressed.
struct Hash {
    state: [u32; 8],
    block: [u8; BLOCK],
    filled: usize,
}

impl Hash {
    fn absorb(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let take = (BLOCK - self.filled).min(data.len());
            self.block[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            (self.filled, data) = (self.filled + take, &data[take..]);
            if self.filled == BLOCK {
                compress(&mut self.state, &self.block);
                self.filled = 0;
            }
        }
    }
}

/// One block into `state`.
fn compress(state: &mut [u32; 8], block: &[u8; BLOCK]) {
    let mut w = [0u32; 64];
    for (i, word) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
    }
    for i in 16..64 {
        let (a, b) = (w[i - 15], w[i - 2]);
        let s0 = a.rotate_right(7) ^ a.rotate_right(18) ^ (a >> 3);
        let s1 = b.rotate_right(17) ^ b.rotate_right(19) ^ (b >> 10);
        w[i] = w[i - 16]
            .wrapping_add(s0)
            .wrapping_add(w[i - 7])
            .wrapping_add(s1);
    }
    let mut v = *state;
    for (k, w) in K.iter().zip(w) {
        let [a, b, c, d, e, f, g, h] = v;
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let choice = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(s1)
            .wrapping_add(choice)
            .wrapping_add(*k)
            .wrapping_add(w);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let majority = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(majority);
        v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
    }
    for (s, v) in state.iter_mut().zip(v) {
        *s = s.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::hmac::hex;

    // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA256_2.pdf") and the one-million-`a` vector.
    #[test]
    fn sha256_matches_the_nist_vectors() {
        assert_eq!(
            hex(&sha256(&[b"abc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(&[
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            ])),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(&[&[b'a'; 1_000_000]])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    /// Every length from 0 to 300 bytes (each padding case: the length field in the same block,
    /// in the next one, on a block edge), whole and split into parts, against the `sha2` crate.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn sha256_matches_the_sha2_crate_at_every_length_and_split() {
        use sha2::Digest;
        let data: Vec<u8> = (0..300u32).map(|i| (i * 31 + 7) as u8).collect();
        for len in 0..data.len() {
            let bytes = &data[..len];
            let expected: [u8; 32] = sha2::Sha256::digest(bytes).into();
            assert_eq!(sha256(&[bytes]), expected, "{len} bytes whole");
            for split in [1, 63, 64, 65].into_iter().filter(|&s| s <= len) {
                let (a, b) = bytes.split_at(split);
                assert_eq!(
                    sha256(&[a, &[], b]),
                    expected,
                    "{len} bytes split at {split}"
                );
            }
        }
    }
}
