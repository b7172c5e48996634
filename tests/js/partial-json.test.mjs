// Unit tests of js/partial-json.js: `cd tests && node --test js/partial-json.test.mjs`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePartialJson } from "../../js/partial-json.js";
import { isPrefixValue } from "./prefix-value.mjs";

const DOCUMENTS = [
  `{"name": "Ada Lovelace", "age": 36, "languages": ["en", "fr"], "alive": false, "spouse": null}`,
  `{
    "title": "Quote \\"unquote\\" \\\\ back/slash \\/ tab\\t nl\\n",
    "unicode": "caf\\u00e9 \\u2603 \\ud83d\\ude00 ✓ 日本",
    "numbers": [0, -0, 1, -12, 3.25, -0.5, 1e3, 2E-2, 6.02e+23, 123456789],
    "nested": {"a": {"b": {"c": [[], [{}], [[1, [2, [3]]]], {"d": true}]}}},
    "empty": "",
    "flags": [true, false, null]
  }`,
  `[{"id": 1, "tags": []}, {"id": 2, "tags": ["x", "y"]}, "s", 7, true, null, {}]`,
  `"just a string with \\u0041 escape"`,
  `-12.5e-3`,
  `true`,
  `null`,
  `  {"spaces" :  [ 1 ,  2 ] , "tail" : { }  }  `,
  `{"__proto__": {"polluted": true}, "constructor": 1}`,
];

describe("parsePartialJson", () => {
  test("every prefix of real documents parses to a prefix of the final value", () => {
    for (const doc of DOCUMENTS) {
      const final = JSON.parse(doc);
      for (let end = 0; end <= doc.length; end++) {
        const prefix = doc.slice(0, end);
        let value;
        assert.doesNotThrow(() => {
          value = parsePartialJson(prefix);
        }, `prefix ${JSON.stringify(prefix)}`);
        assert.ok(isPrefixValue(value, final), `prefix ${JSON.stringify(prefix)} gave ${JSON.stringify(value)}`);
      }
      assert.deepStrictEqual(parsePartialJson(doc), final, doc);
    }
  });

  test("complete JSON gives exactly JSON.parse's value (own __proto__, -0, unicode)", () => {
    const doc = `{"__proto__": {"polluted": true}, "z": -0, "u": "\\ud83d\\ude00", "a": [1, {"b": "c"}]}`;
    const value = parsePartialJson(doc);
    assert.deepStrictEqual(value, JSON.parse(doc));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ["__proto__", "z", "u", "a"]);
    assert.ok(Object.is(value.z, -0));
    assert.equal({}.polluted, undefined);
    assert.deepStrictEqual(parsePartialJson(`{"a": 1, "a": 2}`), { a: 2 });
  });

  test("nothing usable yet gives undefined", () => {
    for (const text of ["", " ", "\n\t \r", "-", "t", "nu", "fals", "1.", "-1e", "2E+"]) {
      assert.equal(parsePartialJson(text), undefined, JSON.stringify(text));
    }
  });

  test("open strings, arrays and objects are closed", () => {
    assert.deepStrictEqual(parsePartialJson(`{"a": "hel`), { a: "hel" });
    assert.deepStrictEqual(parsePartialJson(`[1, [2, [3`), [1, [2, [3]]]);
    assert.deepStrictEqual(parsePartialJson(`{"a": {"b": {"c": [`), { a: { b: { c: [] } } });
    assert.deepStrictEqual(parsePartialJson(`"abc`), "abc");
    assert.deepStrictEqual(parsePartialJson(`{"a": 12`), { a: 12 });
  });

  test("dangling keys, trailing commas, cut literals, numbers and escapes are dropped", () => {
    const cases = [
      [`{"a": 1, "b`, { a: 1 }],
      [`{"a": 1, "b"`, { a: 1 }],
      [`{"a": 1, "b":`, { a: 1 }],
      [`{"a": 1, "b": `, { a: 1 }],
      [`{"a": 1,`, { a: 1 }],
      [`[1, 2,`, [1, 2]],
      [`{"a": tru`, {}],
      [`[fa`, []],
      [`{"a": -`, {}],
      [`{"a": 1.`, {}],
      [`{"a": 1e-`, {}],
      [`["x\\`, ["x"]],
      [`["x\\u00`, ["x"]],
      [`["x\\u00e9`, ["xé"]],
    ];
    for (const [text, expected] of cases) assert.deepStrictEqual(parsePartialJson(text), expected, text);
  });

  test("invalid JSON throws a SyntaxError", () => {
    const invalid = [
      `[1,]`,
      `{"a": 1,}`,
      `{"a" 1}`,
      `{a: 1}`,
      `{,`,
      `[,`,
      `[1 2`,
      `{"a": 1}}`,
      `{"a": 1} x`,
      `01`,
      `-a`,
      `1.e5`,
      `1e+x`,
      `tx`,
      `nulL`,
      `"\\x"`,
      `"\\u12G4"`,
      `"a\nb"`,
      `'single'`,
      `\u00a0{}`,
      `}`,
      `undefined`,
      `NaN`,
    ];
    for (const text of invalid) {
      assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse accepts ${JSON.stringify(text)}?`);
      assert.throws(() => parsePartialJson(text), SyntaxError, JSON.stringify(text));
    }
  });

  test("a non-string argument is a TypeError", () => {
    assert.throws(() => parsePartialJson(undefined), TypeError);
    assert.throws(() => parsePartialJson({}), TypeError);
  });

  test("linear time and no recursion limit", () => {
    const items = Array.from({ length: 20000 }, (_, i) => ({ i, s: `item ${i} \\u00e9 "q"`, ok: i % 2 === 0 }));
    const big = JSON.stringify(items);
    const started = performance.now();
    assert.deepStrictEqual(parsePartialJson(big), items);
    assert.equal(parsePartialJson(big.slice(0, -1)).length, items.length);
    assert.ok(performance.now() - started < 2000);
    const deep = "[".repeat(200000);
    let value = parsePartialJson(deep);
    let depth = 0;
    while (Array.isArray(value)) {
      depth++;
      value = value[0];
    }
    assert.equal(depth, 200000);
  });
});
