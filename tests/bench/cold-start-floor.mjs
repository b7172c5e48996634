// The floor under every fetch-based client's cold start: a fresh Node process that sends one
// ConverseStream request, signed beforehand by the bench (no client, no signing, no decoding),
// with the global fetch, reads the body to its end and ends by itself. What it takes is what
// Node's fetch costs (loading undici, connecting, parsing) whoever calls it.
// Usage: node cold-start-floor.mjs '<JSON { url, headers, body }>'.
const { url, headers, body } = JSON.parse(process.argv[2]);
const response = await fetch(url, { method: "POST", headers, body });
const reader = response.body.getReader();
let bytes = 0;
for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length;
if (response.status !== 200 || bytes === 0) throw new Error(`status ${response.status}, ${bytes} bytes`);
