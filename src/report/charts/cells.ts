/** Cells and number formats for the charts' tables, in one import. */
export { numberCell, textCell } from '../document.js';
export { count, decimal, percent, perTask, seconds, signedPercent, signedPoints } from '../format.js';
