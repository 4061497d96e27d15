/**
 * Long run ids in the report's tables (issue 13.14) wrap inside their cell instead of running off
 * the page: `overflow-wrap: anywhere` lowers a cell's minimum width, where `break-word` does not
 * (an automatic table layout then keeps the id on one line, wider than the page).
 */
import { describe, expect, it } from 'vitest';
import { STYLE } from '../../src/report/html/style.js';

describe('report tables', () => {
  it('let long unbroken text (run ids) wrap anywhere in a cell', () => {
    const cells = /(^|\n)th, td \{([^}]*)\}/.exec(STYLE);
    expect(cells?.[2]).toContain('overflow-wrap: anywhere');
    expect(STYLE).not.toMatch(/td[^{]*\{[^}]*overflow-wrap: break-word/);
  });
});
