#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the shared vectors at run time (the copies are never
# committed: fuzz/corpus is git-ignored). The byte-level targets read their first input byte as
# the split selector (see `pieces` in src/lib.rs), so each vector is written twice: behind
# selector 0 (one push) and behind 0x47 (pushes of 0 to 31 bytes).
# valid_frames builds its frames with `arbitrary` and is not seeded with wire bytes.
set -euo pipefail

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
vectors=$(cd "$fuzz_dir/../../shared/vectors" && pwd)

sources=()
while IFS= read -r -d '' file; do
  sources+=("$file")
done < <(find "$vectors/eventstream" "$vectors/recorded/derived" -type f \
  \( -path '*/smithy-rs-test_data/*' ! -name '*.json' ! -name LICENSE \
     -o -path '*/encoded/*' -o -name '*.eventstream' \) -print0 | sort -z)

for target in frame_decoder chunk_decoder; do
  dir="$fuzz_dir/corpus/$target"
  mkdir -p "$dir"
  for file in "${sources[@]}"; do
    name=${file#"$vectors"/}
    name=seed-${name//\//_}
    { printf '\x00'; cat "$file"; } > "$dir/$name.whole"
    { printf '\x47'; cat "$file"; } > "$dir/$name.split"
  done
done
echo "seeded frame_decoder and chunk_decoder with ${#sources[@]} vectors each (2 selectors)"
