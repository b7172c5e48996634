// Every error the package gives the suites, kept and scanned for the test credentials: the
// package is wrapped once per run, so each error any case provokes (thrown, rejected, or
// raised while a stream is read) is seen, whatever the case itself does with it.
import {
  BAD_CHARACTER_SECRET, CREDENTIALS, EMULATOR_API_KEY, GATEWAY_TOKEN, TEMP_CREDENTIALS, UNKNOWN_API_KEY,
  WRONG_GATEWAY_TOKEN, WRONG_SECRET,
} from "./suite-helpers.mjs";

const SECRETS = [
  CREDENTIALS.secretAccessKey, TEMP_CREDENTIALS.secretAccessKey, TEMP_CREDENTIALS.sessionToken,
  WRONG_SECRET, EMULATOR_API_KEY, UNKNOWN_API_KEY, BAD_CHARACTER_SECRET, GATEWAY_TOKEN, WRONG_GATEWAY_TOKEN,
];

/** `{ pkg, errors }`: the package with its model classes wrapped, and the errors they have given. */
export function watchErrors(pkg) {
  const errors = [];
  // Handlers throw rather than return Promise.reject(…): a fresh rejected promise is, for a
  // moment, unhandled, and workerd reports it.
  const record = (error) => {
    errors.push(error);
    return error;
  };
  const rethrow = (error) => {
    throw record(error);
  };
  const wrap = (value) => {
    if (value instanceof Promise) return value.catch(rethrow);
    if (value instanceof ReadableStream) return wrapStream(value);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return wrapObject(value);
    return value;
  };
  const wrapStream = (stream) => {
    const iterate = stream[Symbol.asyncIterator];
    if (typeof iterate === "function") {
      stream[Symbol.asyncIterator] = function () {
        const iterator = iterate.call(this);
        return {
          next: (...args) => iterator.next(...args).catch(rethrow),
          return: (...args) => iterator.return(...args),
          throw: (...args) => iterator.throw(...args),
          [Symbol.asyncIterator]() {
            return this;
          },
        };
      };
    }
    return stream;
  };
  const wrapObject = (object) =>
    new Proxy(object, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (typeof value !== "function" || key === "constructor") return value;
        return (...args) => {
          try {
            return wrap(value.apply(target, args));
          } catch (error) {
            throw record(error);
          }
        };
      },
    });
  const wrapClass = (Model) =>
    new Proxy(Model, {
      construct(target, args) {
        try {
          return wrapObject(new target(...args));
        } catch (error) {
          throw record(error);
        }
      },
    });
  const classes = ["ChatBedrockConverse", "ChatBedrock", "ChatAnthropicBedrock"];
  return { pkg: { ...pkg, ...Object.fromEntries(classes.map((name) => [name, wrapClass(pkg[name])])) }, errors };
}

/** Everything an error shows: its text, stack, own properties and causes. */
function everything(error, depth = 0) {
  if (error === undefined || error === null || depth > 3) return "";
  let own = "";
  try {
    own = JSON.stringify(error, Object.getOwnPropertyNames(error));
  } catch {}
  return [String(error), error.message, error.stack, own, everything(error.cause, depth + 1)].join("\n");
}

/** The last case of a run: no error seen holds a secret. */
export function secretScanCase(errors) {
  return {
    name: "no error the suites provoked holds a secret key, session token or API key",
    async run() {
      const leaks = errors.filter((error) => {
        const text = everything(error);
        return SECRETS.some((secret) => text.includes(secret));
      });
      console.log(`secret scan: ${errors.length} errors scanned, ${leaks.length} with a secret`);
      if (errors.length < 50) throw new Error(`only ${errors.length} errors were seen; the wrapper is not catching them`);
      if (leaks.length > 0) throw new Error(`${leaks.length} errors hold a secret, e.g. ${String(leaks[0])}`);
    },
  };
}
