import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { ModelError } from '../errors.js';
import type { Loc } from '../types.js';
import { readAttrs, type Attrs, type Raw } from './attrs.js';

/** Runs one reader over raw attributes, as op 'demo'. */
const read = <T>(raw: Raw, f: (r: Attrs) => T, allowed?: readonly string[]): T => readAttrs({ op: 'demo', raw }, f, allowed);

/** The ModelError a read throws. */
function failure(raw: Raw, f: (r: Attrs) => unknown, extra: { layer?: string; loc?: Loc; locOf?: (k: string) => Loc | undefined } = {}): ModelError {
  return errorOf(() => readAttrs({ op: 'demo', raw, ...extra }, f), `${JSON.stringify(raw)} was accepted`);
}

describe('int', () => {
  test('accepts integers at or above the minimum, and falls back to the default', () => {
    expect(read({ n: 3 }, (r) => r.int('n'))).toBe(3);
    expect(read({ n: 0 }, (r) => r.int('n'))).toBe(0);
    expect(read({}, (r) => r.int('n', { default: 7 }))).toBe(7);
    expect(read({ n: 1 }, (r) => r.int('n', { min: 1 }))).toBe(1);
  });

  test.each([
    { raw: { n: 2.5 }, message: "demo: 'n' must be an integer ≥ 0. Received: n=2.5." },
    { raw: { n: '3' }, message: "demo: 'n' must be an integer ≥ 0. Received: n='3'." },
    { raw: { n: -1 }, message: "demo: 'n' must be an integer ≥ 0. Received: n=-1." },
    { raw: { n: true }, message: "demo: 'n' must be an integer ≥ 0. Received: n=true." },
    { raw: { n: [3] }, message: "demo: 'n' must be an integer ≥ 0. Received: n=[3]." },
    { raw: {}, message: "demo: 'n' is required (an integer ≥ 0)." },
  ])('rejects $raw', ({ raw, message }) => {
    expect(failure(raw, (r) => r.int('n'))).toMatchObject({ code: 'spec', message });
  });

  test('the minimum appears in the message', () => {
    expect(failure({ n: 0 }, (r) => r.int('n', { min: 1 })).message).toBe("demo: 'n' must be an integer ≥ 1. Received: n=0.");
  });
});

describe('num', () => {
  test('accepts finite numbers within the bounds', () => {
    expect(read({ x: 0.5 }, (r) => r.num('x', { min: 0, max: 1 }))).toBe(0.5);
    expect(read({ x: -3 }, (r) => r.num('x'))).toBe(-3);
    expect(read({}, (r) => r.num('x', { default: 1e-5 }))).toBe(1e-5);
  });

  test.each([
    { raw: { x: '1' }, opts: {}, message: "demo: 'x' must be a number. Received: x='1'." },
    { raw: { x: Number.NaN }, opts: {}, message: "demo: 'x' must be a number. Received: x=NaN." },
    { raw: { x: Number.POSITIVE_INFINITY }, opts: {}, message: "demo: 'x' must be a number. Received: x=Infinity." },
    { raw: { x: 1.5 }, opts: { min: 0, max: 1 }, message: "demo: 'x' must be between 0 and 1. Received: x=1.5." },
    { raw: { x: -1 }, opts: { min: 0 }, message: "demo: 'x' must be between 0 and ∞. Received: x=-1." },
    { raw: { x: 2 }, opts: { max: 1 }, message: "demo: 'x' must be between -∞ and 1. Received: x=2." },
    { raw: {}, opts: {}, message: "demo: 'x' is required (a number)." },
  ])('rejects $raw with $opts', ({ raw, opts, message }) => {
    expect(failure(raw, (r) => r.num('x', opts))).toMatchObject({ code: 'spec', message });
  });
});

describe('bool', () => {
  test('accepts true and false, and falls back', () => {
    expect(read({ b: false }, (r) => r.bool('b', true))).toBe(false);
    expect(read({}, (r) => r.bool('b', true))).toBe(true);
  });

  test.each([
    { raw: { b: 'true' }, message: "demo: 'b' must be true or false. Received: b='true'." },
    { raw: { b: 1 }, message: "demo: 'b' must be true or false. Received: b=1." },
  ])('rejects $raw', ({ raw, message }) => {
    expect(failure(raw, (r) => r.bool('b', false)).message).toBe(message);
  });
});

describe('oneOf', () => {
  const modes = ['sum', 'mean'] as const;
  test('accepts a listed value, and falls back', () => {
    expect(read({ mode: 'sum' }, (r) => r.oneOf('mode', modes))).toBe('sum');
    expect(read({}, (r) => r.oneOf('mode', modes, 'mean'))).toBe('mean');
  });

  test('rejects others, suggesting a close one', () => {
    expect(failure({ mode: 'maen' }, (r) => r.oneOf('mode', modes)).message).toBe("demo: 'mode' must be one of 'sum', 'mean'. Received: mode='maen'. Did you mean 'mean'?");
    expect(failure({ mode: 3 }, (r) => r.oneOf('mode', modes)).message).toBe("demo: 'mode' must be one of 'sum', 'mean'. Received: mode=3.");
    expect(failure({}, (r) => r.oneOf('mode', modes)).message).toContain('Received: mode=undefined.');
  });
});

describe('tuple', () => {
  test('expands a number to every axis and keeps a list of the right length', () => {
    expect(read({ k: 3 }, (r) => r.tuple('k', 2))).toEqual([3, 3]);
    expect(read({ k: 3 }, (r) => r.tuple('k', 3))).toEqual([3, 3, 3]);
    expect(read({ k: [1, 7] }, (r) => r.tuple('k', 2))).toEqual([1, 7]);
    expect(read({}, (r) => r.tuple('s', 2, { default: 1 }))).toEqual([1, 1]);
    expect(read({}, (r) => r.tuple('s', 2, { default: [2, 3] }))).toEqual([2, 3]);
    expect(read({ p: 0 }, (r) => r.tuple('p', 1, { min: 0 }))).toEqual([0]);
  });

  test.each([
    { raw: { k: [3] }, message: "demo: 'k' must be an integer ≥ 1 or a list of 2 of them. Received: k=[3]." },
    { raw: { k: [3, 0] }, message: "demo: 'k' must be an integer ≥ 1 or a list of 2 of them. Received: k=[3,0]." },
    { raw: { k: [3, 2.5] }, message: "demo: 'k' must be an integer ≥ 1 or a list of 2 of them. Received: k=[3,2.5]." },
    { raw: { k: '3x3' }, message: "demo: 'k' must be an integer ≥ 1 or a list of 2 of them. Received: k='3x3'." },
    { raw: { k: 0 }, message: "demo: 'k' must be an integer ≥ 1 or a list of 2 of them. Received: k=0." },
    { raw: {}, message: "demo: 'k' is required (an integer ≥ 1 or a list of 2 of them)." },
  ])('rejects $raw', ({ raw, message }) => {
    expect(failure(raw, (r) => r.tuple('k', 2)).message).toBe(message);
  });

  test('rank 1 asks for a single integer', () => {
    expect(failure({ k: [3, 3] }, (r) => r.tuple('k', 1)).message).toBe("demo: 'k' must be an integer ≥ 1. Received: k=[3,3].");
  });
});

describe('str', () => {
  test('accepts a string, and falls back', () => {
    expect(read({ mode: 'nearest' }, (r) => r.str('mode'))).toBe('nearest');
    expect(read({}, (r) => r.str('mode', 'bilinear'))).toBe('bilinear');
  });

  test('rejects others', () => {
    expect(failure({ mode: 3 }, (r) => r.str('mode')).message).toBe("demo: 'mode' must be a string. Received: mode=3.");
    expect(failure({}, (r) => r.str('mode')).message).toBe("demo: 'mode' is required (a string).");
  });
});

describe('ints', () => {
  test('accepts a non-empty list of integers at or above the minimum', () => {
    expect(read({ sizes: [6, 12, 24, 16] }, (r) => r.ints('sizes', { min: 1 }))).toEqual([6, 12, 24, 16]);
    expect(read({ sizes: [0] }, (r) => r.ints('sizes'))).toEqual([0]);
  });

  test.each([
    { raw: { sizes: [] }, message: "demo: 'sizes' must be a non-empty list of integers ≥ 1. Received: sizes=[]." },
    { raw: { sizes: 6 }, message: "demo: 'sizes' must be a non-empty list of integers ≥ 1. Received: sizes=6." },
    { raw: { sizes: [6, 0] }, message: "demo: 'sizes' must be a non-empty list of integers ≥ 1. Received: sizes=[6,0]." },
    { raw: { sizes: [6, 1.5] }, message: "demo: 'sizes' must be a non-empty list of integers ≥ 1. Received: sizes=[6,1.5]." },
    { raw: {}, message: "demo: 'sizes' is required (a list of integers ≥ 1)." },
  ])('rejects $raw', ({ raw, message }) => {
    expect(failure(raw, (r) => r.ints('sizes', { min: 1 })).message).toBe(message);
  });
});

describe('list', () => {
  test('a bare number is a list of one; any length is accepted', () => {
    expect(read({ dims: 3 }, (r) => r.list('dims'))).toEqual([3]);
    expect(read({ dims: [1, 2, 3, 4, 5] }, (r) => r.list('dims'))).toEqual([1, 2, 3, 4, 5]);
    expect(read({}, (r) => r.list('dims', { default: [2] }))).toEqual([2]);
    expect(read({ scale: [0.5, 2] }, (r) => r.list('scale', { integer: false }))).toEqual([0.5, 2]);
  });

  test('returns a copy, not the raw list', () => {
    const raw = { dims: [1, 2] };
    const got = read(raw, (r) => r.list('dims'));
    got.push(3);
    expect(raw.dims).toEqual([1, 2]);
  });

  test.each([
    { raw: { dims: [1, 2.5] }, opts: {}, message: "demo: 'dims' must be an integer or a list of them. Received: dims=[1,2.5]." },
    { raw: { dims: [1, -1] }, opts: { min: 0 }, message: "demo: 'dims' must be an integer ≥ 0 or a list of them. Received: dims=[1,-1]." },
    { raw: { scale: ['2'] }, opts: { integer: false }, message: "demo: 'scale' must be a number or a list of them. Received: scale=[\"2\"]." },
    { raw: {}, opts: { min: 1 }, message: "demo: 'dims' is required (an integer ≥ 1 or a list of them)." },
  ])('rejects $raw', ({ raw, opts, message }) => {
    const key = 'scale' in raw ? 'scale' : 'dims';
    expect(failure(raw, (r) => r.list(key, opts)).message).toBe(message);
  });
});

describe('padding', () => {
  test.each([
    { raw: { padding: 'same' }, expected: 'same' },
    { raw: { padding: 'valid' }, expected: [0, 0] },
    { raw: { padding: 1 }, expected: [1, 1] },
    { raw: { padding: [0, 3] }, expected: [0, 3] },
    { raw: {}, expected: [0, 0] },
  ])('$raw → $expected', ({ raw, expected }) => {
    expect(read(raw, (r) => r.padding('padding', 2, 0))).toEqual(expected);
  });

  test('the fallback may be same', () => {
    expect(read({}, (r) => r.padding('padding', 2, 'same'))).toBe('same');
  });

  test.each([{ padding: -1 }, { padding: 'SAME' }, { padding: [1] }, { padding: [1, -1] }, { padding: true }])('rejects $padding', (raw) => {
    expect(failure(raw, (r) => r.padding('padding', 2, 0)).message).toBe(
      `demo: 'padding' must be 'same', 'valid', an integer ≥ 0 or a list of 2 of them. Received: padding=${typeof raw.padding === 'string' ? `'${raw.padding}'` : JSON.stringify(raw.padding)}.`,
    );
  });
});

describe('unknown attributes', () => {
  const conv = (r: Attrs) => ({ kernel: r.tuple('kernel', 2), stride: r.tuple('stride', 2, { default: 1 }) });

  test('name the attribute, suggest the closest known one and list them', () => {
    expect(failure({ kernel: 3, strde: 2 }, conv).message).toBe("demo: unknown attribute 'strde'. Did you mean 'stride'? Known: kernel, stride (see docs/ops.md#demo).");
    expect(failure({ kernel: 3, colour: 'red' }, conv).message).toBe("demo: unknown attribute 'colour'. Known: kernel, stride (see docs/ops.md#demo).");
  });

  test('a misspelt required attribute is named even though reading stops at the missing one', () => {
    expect(failure({ kernal: 3 }, conv).message).toBe("demo: 'kernel' is required (an integer ≥ 1 or a list of 2 of them). Received an unknown attribute 'kernal'; did you mean 'kernel'?");
    // Nothing close: just the requirement.
    expect(failure({ size: 3 }, conv).message).toBe("demo: 'kernel' is required (an integer ≥ 1 or a list of 2 of them).");
  });

  test('attributes that are undefined, allowed, or asked about with has() are not unknown', () => {
    expect(read({ kernel: 3, stride: undefined }, conv)).toEqual({ kernel: [3, 3], stride: [1, 1] });
    expect(read({ kernel: 3, name: 'conv1' }, conv, ['name'])).toEqual({ kernel: [3, 3], stride: [1, 1] });
    expect(failure({ kernl: 3, kernel: 3 }, (r) => r.has('kernel')).message).toBe("demo: unknown attribute 'kernl'. Did you mean 'kernel'? Known: kernel (see docs/ops.md#demo).");
  });

  test('has() tells whether a value was given', () => {
    expect(read({ a: 1 }, (r) => [r.has('a'), r.has('b')])).toEqual([true, false]);
  });
});

describe('where errors point', () => {
  const at = (key: string): Loc => ({ kind: 'path', path: ['layers', 2, key] });

  test('at the attribute, in the layer', () => {
    const e = failure({ kernel: 0 }, (r) => r.tuple('kernel', 2), { layer: 'features.0', locOf: at });
    expect(e.layer).toBe('features.0');
    expect(e.loc).toEqual(at('kernel'));
  });

  test('at the misspelt attribute when a required one is missing', () => {
    expect(failure({ kernal: 3 }, (r) => r.tuple('kernel', 2), { locOf: at }).loc).toEqual(at('kernal'));
  });

  test("at the layer when the attribute's own location is unknown", () => {
    const layer: Loc = { kind: 'text', offset: 10, length: 7 };
    expect(failure({ kernel: 0 }, (r) => r.tuple('kernel', 2), { loc: layer }).loc).toEqual(layer);
  });

  test('fail() is a spec error with the op name', () => {
    expect(failure({ g: 3 }, (r) => r.fail('g', 'groups must divide 64.'))).toMatchObject({ code: 'spec', message: 'demo: groups must divide 64.' });
  });
});
