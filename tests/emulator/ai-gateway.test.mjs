// Cloudflare AI Gateway in front of the emulator (emulator/gateway.mjs): the gateway's Bedrock
// route, the SigV4 check against Bedrock's host and path (not the gateway's), the token of the
// authenticated gateways, BYOK, and the gateway's own JSON errors — over HTTP and through the
// fetch handler.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createEmulator } from '../../emulator/fetch-handler.mjs';
import { GATEWAY_TOKEN } from '../../emulator/gateway.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { LONG_TERM, modelPath, send, userSays } from './signed-client.mjs';

const CLAUDE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const gatewayPath = (gateway, rest, region = 'us-east-1') => `/v1/acct123/${gateway}/aws-bedrock/bedrock-runtime/${region}${rest}`;

/** SigV4 headers (the SDK's signer) for `host` + `path`, without `host` (the wire sets its own). */
async function sign({ host, path, body, region = 'us-east-1', headers = {} }) {
  const signer = new SignatureV4({ service: 'bedrock', region, credentials: LONG_TERM, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'https:', hostname: host, path,
    headers: { host, 'content-type': 'application/json', ...headers }, body,
  }));
  const { host: _host, ...sent } = signed.headers;
  return sent;
}

const BODY = JSON.stringify(userSays('hello gateway'));
const json = (result) => JSON.parse(result.body.toString('utf8'));

describe('AI Gateway route (HTTP)', () => {
  const emulator = useEmulator();
  const post = (path, headers, body = BODY) => send({ port: emulator.port, path, headers, body });
  const lastRequest = async () => (await (await fetch(`http://127.0.0.1:${emulator.port}/_emulator/requests`)).json()).at(-1);

  it('serves Bedrock behind the gateway prefix when signed for the Bedrock host and path', async () => {
    const headers = await sign({ host: 'bedrock-runtime.us-east-1.amazonaws.com', path: modelPath(CLAUDE, 'converse'), body: BODY });
    const result = await post(gatewayPath('my-gateway', modelPath(CLAUDE, 'converse')), { ...headers, 'cf-aig-metadata': '{"user":"u1"}' });
    assert.equal(result.status, 200, result.body.toString());
    assert.equal(json(result).output.message.content[0].text, 'Echo: hello gateway');
    const logged = await lastRequest();
    assert.equal(logged.path, gatewayPath('my-gateway', modelPath(CLAUDE, 'converse')));
    assert.equal(logged.modelId, CLAUDE);
    assert.equal(logged.operation, 'Converse');
    assert.equal(logged.headers['cf-aig-metadata'], '{"user":"u1"}');
  });

  it('refuses a signature made for the gateway host or path, a signed cf-aig header, and another region', async () => {
    const path = gatewayPath('my-gateway', modelPath(CLAUDE, 'converse'));
    for (const [what, signed, extra] of [
      ['gateway host', { host: `127.0.0.1:${emulator.port}`, path: modelPath(CLAUDE, 'converse') }, {}],
      ['gateway path', { host: 'bedrock-runtime.us-east-1.amazonaws.com', path }, {}],
      ['signed cf-aig header', { host: 'bedrock-runtime.us-east-1.amazonaws.com', path: modelPath(CLAUDE, 'converse'), headers: { 'cf-aig-skip-cache': 'true' } }, { 'cf-aig-skip-cache': 'true' }],
    ]) {
      const headers = { ...(await sign({ ...signed, body: BODY })), ...extra };
      const result = await post(path, headers);
      assert.equal(result.status, 403, what);
      assert.equal(result.headers['x-amzn-errortype'].split(':')[0], 'InvalidSignatureException', what);
    }
    const west = await sign({ host: 'bedrock-runtime.us-west-2.amazonaws.com', path: modelPath(CLAUDE, 'converse'), body: BODY, region: 'us-west-2' });
    const result = await post(path, west);
    assert.equal(result.status, 403);
    assert.equal(json(result).message, "Credential should be scoped to a valid region, not 'us-west-2'.");
    // The same request to the right region's route passes.
    const ok = await post(gatewayPath('my-gateway', modelPath(CLAUDE, 'converse'), 'us-west-2'), west);
    assert.equal(ok.status, 200, ok.body.toString());
  });

  it('an authenticated gateway wants its token and answers its own JSON error otherwise; the log redacts the token', async () => {
    const path = gatewayPath('emulator-authenticated', modelPath(CLAUDE, 'converse'));
    const headers = await sign({ host: 'bedrock-runtime.us-east-1.amazonaws.com', path: modelPath(CLAUDE, 'converse'), body: BODY });
    for (const token of [undefined, 'Bearer wrong-token', GATEWAY_TOKEN]) {
      const result = await post(path, token === undefined ? headers : { ...headers, 'cf-aig-authorization': token });
      assert.equal(result.status, 401, String(token));
      assert.equal(result.headers['x-amzn-errortype'], undefined);
      assert.deepEqual(json(result), { success: false, result: [], messages: [], error: [{ code: 2009, message: 'Unauthorized' }] });
    }
    const ok = await post(path, { ...headers, 'cf-aig-authorization': `Bearer ${GATEWAY_TOKEN}` });
    assert.equal(ok.status, 200, ok.body.toString());
    assert.equal((await lastRequest()).headers['cf-aig-authorization'], 'Bearer REDACTED');
    // Token right, AWS signature wrong: Bedrock's own error passes through.
    const unsigned = await post(path, { 'content-type': 'application/json', 'cf-aig-authorization': `Bearer ${GATEWAY_TOKEN}` });
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers['x-amzn-errortype'].split(':')[0], 'InvalidSignatureException');
  });

  it('BYOK: the token and no AWS authorisation at all; stream and count-tokens too', async () => {
    const token = { 'cf-aig-authorization': `Bearer ${GATEWAY_TOKEN}`, 'content-type': 'application/json' };
    const stream = await post(gatewayPath('emulator-byok', modelPath(CLAUDE, 'converse-stream')), token);
    assert.equal(stream.status, 200, stream.body.toString());
    assert.equal(stream.headers['content-type'], 'application/vnd.amazon.eventstream');
    const count = await post(gatewayPath('emulator-byok', modelPath(CLAUDE, 'count-tokens')), token,
      JSON.stringify({ input: { converse: userSays('one two three') } }));
    assert.deepEqual(json(count), { inputTokens: 3 });
    const signed = await sign({ host: 'bedrock-runtime.us-east-1.amazonaws.com', path: modelPath(CLAUDE, 'converse'), body: BODY });
    for (const aws of [signed, { authorization: 'Bearer emulator-api-key' }, { 'x-amz-date': signed['x-amz-date'] }]) {
      const result = await post(gatewayPath('emulator-byok', modelPath(CLAUDE, 'converse')), { ...token, ...aws });
      assert.equal(result.status, 400);
      assert.match(json(result).error[0].message, /^BYOK gateway: the request carries its own AWS authorization/);
    }
    const noToken = await post(gatewayPath('emulator-byok', modelPath(CLAUDE, 'converse')), { 'content-type': 'application/json' });
    assert.equal(noToken.status, 401);
  });

  it('a rate-limited gateway answers 429 in its own format; other routes under the prefix are unknown operations', async () => {
    const limited = await post(gatewayPath('emulator-rate-limited', modelPath(CLAUDE, 'converse')), { authorization: 'Bearer emulator-api-key' });
    assert.equal(limited.status, 429);
    assert.deepEqual(json(limited).error, [{ code: 2003, message: 'Rate limited' }]);
    const unknown = await post(gatewayPath('my-gateway', '/models'), { authorization: 'Bearer emulator-api-key' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers['x-amzn-errortype'].split(':')[0], 'UnknownOperationException');
  });
});

describe('AI Gateway route (fetch handler)', () => {
  it('exposes the conventional ids and token, and routes the gateway path like the server', async () => {
    const emulator = createEmulator();
    assert.equal(emulator.aiGateway.token, GATEWAY_TOKEN);
    assert.equal(emulator.aiGateway.byokGatewayId, 'emulator-byok');
    const path = gatewayPath(emulator.aiGateway.authenticatedGatewayId, modelPath(CLAUDE, 'converse'));
    const headers = await sign({ host: 'bedrock-runtime.us-east-1.amazonaws.com', path: modelPath(CLAUDE, 'converse'), body: BODY });
    const refused = await emulator.fetch(`https://gateway.test${path}`, { method: 'POST', headers, body: BODY });
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error[0].code, 2009);
    const ok = await emulator.fetch(`https://gateway.test${path}`, {
      method: 'POST', headers: { ...headers, 'cf-aig-authorization': `Bearer ${emulator.aiGateway.token}` }, body: BODY,
    });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).output.message.content[0].text, 'Echo: hello gateway');
    assert.equal(emulator.requests().at(-1).headers['cf-aig-authorization'], 'Bearer REDACTED');
  });
});
