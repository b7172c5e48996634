// `bedrock-edge/testing`: a local Bedrock Runtime emulator as a `fetch` handler, for unit tests
// without AWS — in Workers (workerd, vitest-pool-workers), browsers, Node, Bun and Deno. See
// TESTING.md.
//
//   import { createEmulator } from "bedrock-edge/testing";
//   const emulator = createEmulator();
//   const llm = new ChatBedrockConverse({
//     model: "anthropic.claude-3-5-sonnet-20240620-v1:0", region: "us-east-1",
//     endpoint: "https://bedrock.test", fetch: emulator.fetch, credentials: emulator.credentials,
//   });

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** Diagnostics: signature mismatches (the expected canonical request), internal errors. Default: silent. */
  log?: (...args: unknown[]) => void;
}

/** The Bedrock operation a request was routed to (null: not a model route). */
export type EmulatorOperation = "Converse" | "ConverseStream" | "InvokeModel" | "InvokeModelWithResponseStream";

/** One request the emulator saw. */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse". */
  path: string;
  /** The model id, URL-decoded (null when the route has none). */
  modelId: string | null;
  operation: EmulatorOperation | null;
  /** Lower-case name → value; the signature, API key and session token are "REDACTED". */
  headers: Record<string, string>;
  /** The body parsed as JSON (null if empty or not JSON). */
  body: unknown;
  /** The body's length in bytes, as it arrived. */
  bodyBytes: number;
  /** The response status; null while the response is being sent, or after a reset connection. */
  status: number | null;
}

/** A running emulator; independent of other instances (log, prompt cache, retry counts). */
export interface BedrockEmulator {
  /**
   * Answers Bedrock Runtime requests like the service: pass it as a model's `fetch` option with
   * any `endpoint` (e.g. "https://bedrock.test"). Same signature as the global `fetch`; a bound
   * function, so `fetch: emulator.fetch` works.
   *
   * Routes: `POST /model/{modelId}/converse | converse-stream | invoke |
   * invoke-with-response-stream`; `GET /_emulator/requests`, `DELETE /_emulator/requests`,
   * `DELETE /_emulator/cache`, `GET /_emulator/health`. The model id picks the scenario: ordinary
   * ids get the scripted assistant, `fault:<kind>[:<arg>]` ids fail on purpose (see
   * {@link FaultModelId}). Connection resets reject the returned promise with a TypeError; a cut
   * mid-stream errors the body stream with a TypeError. `replay:` ids (recorded traffic) are not
   * available here: 400 ValidationException.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The requests seen, oldest first (the last 100). */
  requests(): RecordedRequest[];
  /** Forgets the request log, the prompt cache (cache-point reads/writes) and retry attempt counts. */
  reset(): void;
  /** Long-term SigV4 credentials the emulator accepts (any region, service `bedrock`). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Temporary credentials: accepted only with their session token. */
  readonly temporaryCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken: string };
  /** The Bedrock API key it accepts (`apiKey` option, sent as `Authorization: Bearer`). */
  readonly apiKey: string;
  /**
   * Cloudflare AI Gateway in front of it: `POST /v1/{account}/{gateway}/aws-bedrock/bedrock-runtime/{region}/model/…`
   * (any account id) is Bedrock behind a gateway, SigV4 checked for host
   * `bedrock-runtime.{region}.amazonaws.com`. `authenticatedGatewayId` wants `token` in
   * `cf-aig-authorization`; `byokGatewayId` wants it too and refuses any AWS authorization
   * (the gateway's own keys); `emulator-rate-limited` always answers 429; other ids are open
   * gateways. Use with `aiGateway: { accountId, gatewayId, token, baseUrl: "https://gateway.test" }`
   * and `fetch: emulator.fetch`.
   */
  readonly aiGateway: {
    readonly accountId: string;
    readonly gatewayId: string;
    readonly authenticatedGatewayId: string;
    readonly byokGatewayId: string;
    readonly token: string;
  };
}

/**
 * Model ids that make the emulator fail on purpose:
 * - any operation, before any body check: `fault:throttle` (429 ThrottlingException),
 *   `fault:validation` (400), `fault:access-denied` (403), `fault:internal` (500),
 *   `fault:unavailable` (503);
 * - retries: `fault:flaky:<n>:<throttle|unavailable|internal|bad-gateway|gateway-timeout|reset>`
 *   fails the first n attempts of a call (counted per `amz-sdk-invocation-id`, else
 *   `amz-sdk-request: attempt=N`), then answers; `fault:flaky-midstream:<n>` (streams: 2 frames
 *   then a throttlingException frame on the first n attempts);
 * - streams: `fault:exception-midstream[:<type>]` (modelStreamErrorException frame, or one of
 *   `:exception-type` `<type>`), `fault:throttle-midstream`, `fault:error-frame[:<code>]`
 *   (`:error-code` InternalFailure or `<code>`), `fault:cut` (body errors mid-frame),
 *   `fault:cut-between`, `fault:truncated` (clean end mid-frame), `fault:bad-crc`,
 *   `fault:bad-prelude-crc`, `fault:slow-drip[:<ms>]`, `fault:odd-chunks` (1..7-byte chunks),
 *   `fault:stall:<ms>`, `fault:garbage`, `fault:oversize-frame`, `fault:json-error-200`,
 *   `fault:wrong-content-type`, `fault:bulk:<n>` (n 60-byte text deltas), `fault:bulk-tool:<n>`
 *   and `fault:bulk-reasoning:<n>` (converse-stream: tool-argument or reasoning deltas);
 * - non-streaming bodies: `fault:not-json`, `fault:slow-drip[:<ms>]`, `fault:cut`,
 *   `fault:truncated`, `fault:odd-chunks`, `fault:bulk:<n>`;
 * - malformed replies: `fault:bad-tool-args` (converse, converse-stream), `fault:unknown-event`,
 *   `fault:no-message-stop`, `fault:bad-utf8`, `fault:bad-json:<eventType>` (converse-stream;
 *   that event's payload is not JSON), `fault:block-index:<start|delta|stop>:<JSON|missing>`
 *   (invoke-with-response-stream, Claude: a tool-use block's events carry that index);
 * - clock: `fault:skew:<minutes>` (the response `Date` runs m minutes ahead; a SigV4 request more
 *   than 5 minutes off it gets 403 InvalidSignatureException).
 * Ordinary ids get the scripted assistant: the seed system prompt (translate English to French)
 * with "I love programming." → "J'adore la programmation."; otherwise "Echo: <last user text>".
 */
export type FaultModelId = `fault:${string}`;

/** Creates an emulator. */
export function createEmulator(options?: EmulatorOptions): BedrockEmulator;
