/**
 * Test setup: a Count compares equal to the plain { value, formula, terms } it stands for, so tests state
 * expected formulas as data even though a Count builds its texts only when read.
 */
import { expect } from 'vitest';
import { isCount, plain } from '../src/count.js';

expect.addEqualityTesters([
  function countEquals(a: unknown, b: unknown, testers) {
    if (!isCount(a) && !isCount(b)) return undefined;
    return this.equals(isCount(a) ? plain(a) : a, isCount(b) ? plain(b) : b, testers);
  },
]);
