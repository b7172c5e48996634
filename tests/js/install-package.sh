#!/usr/bin/env bash
# Installs pkg/ the way a user does: `npm pack`, then `npm install <tarball>` into a scratch
# consumer project (tests/.work/consumer), and stages the Node suites next to that install.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/tests/.work
consumer=$work/consumer

rm -rf "$consumer" "$work"/bedrock-edge-*.tgz
mkdir -p "$consumer/suite"
tarball=$(cd "$root/pkg" && npm pack --silent --pack-destination "$work" | tail -n 1)
cd "$consumer"
printf '{ "name": "bedrock-edge-consumer", "private": true, "type": "module" }\n' > package.json
# @langchain/core and zod (bedrock-edge/langchain's peer, and the suites' schemas) at the versions
# tests/package.json pins.
peers=$(node -e 'const d = require(process.argv[1]).devDependencies; console.log(["@langchain/core", "zod"].map((n) => `${n}@${d[n]}`).join(" "))' "$root/tests/package.json")
npm install --silent --no-audit --no-fund --no-package-lock "$work/$tarball" $peers
cp "$root"/tests/js/{assert,suite,suite-helpers,suite-features,suite-reliability,suite-invoke,suite-langchain,suite-count-tokens,suite-ai-gateway,suite-embeddings,suite-large-reads,secret-scan,node.test,summary-reporter}.mjs suite/
cp -r "$root"/tests/js/fixtures suite/
mkdir -p types && cp "$root"/tests/types/{example.ts,langchain-example.ts,tsconfig.json,tsconfig.workerd.json,tsconfig.langchain.json} types/
node "$root/tests/js/recordings.mjs" > suite/recordings.json
node "$root/tests/js/recordings.mjs" --features > suite/feature-recordings.json
node "$root/tests/js/recordings.mjs" --invoke > suite/invoke-recordings.json
echo "installed $tarball into tests/.work/consumer ($(du -sk node_modules/bedrock-edge | cut -f1) KiB unpacked)"
