/** A seeded slice of check's fuzz properties (test/fuzz/check.properties.ts); `runCheckFuzz` runs more. */
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { properties } from './check.properties.js';

const slice = { numRuns: 150, seed: 20261207 };

describe("check's readers under random input (seeded)", () => {
  test.each(Object.entries(properties))('%s', (_name, property) => {
    fc.assert(property as fc.IProperty<unknown>, slice);
  });
});
