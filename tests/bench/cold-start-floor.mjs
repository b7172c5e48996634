// The floor under a client's cold start: a fresh Node process that sends one ConverseStream
// request, signed beforehand by the bench (no client, no signing, no decoding), with a bare HTTP
// client, reads the body to its end and ends by itself. What it takes is what that HTTP client
// costs (loading it, connecting, parsing) whoever calls it: `fetch` is Node's global fetch
// (undici), `http` is node:http's `request` (what the SDK's Node handler and bedrock-edge's Node
// entry use).
// Usage: node cold-start-floor.mjs <fetch|http> '<JSON { url, headers, body }>'.
const [transport, request] = process.argv.slice(2);
const { url, headers, body } = JSON.parse(request);
let status;
let bytes = 0;
if (transport === "fetch") {
  const response = await fetch(url, { method: "POST", headers, body });
  status = response.status;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length;
} else {
  const { request } = process.getBuiltinModule("node:http");
  await new Promise((done, fail) => {
    const sent = request(url, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (response) => {
      status = response.statusCode;
      response.on("data", (chunk) => (bytes += chunk.length));
      response.on("end", done);
      response.on("error", fail);
    });
    sent.on("error", fail);
    sent.end(body);
  });
}
if (status !== 200 || bytes === 0) throw new Error(`status ${status}, ${bytes} bytes`);
