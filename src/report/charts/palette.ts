/**
 * Colour-blind-safe colours. Categories (task types, measured vs predicted) take the Okabe-Ito
 * palette (Okabe and Ito, "Color Universal Design", 2002), designed to stay distinct under the
 * common colour-vision deficiencies; continuous values (the overlap heat map) take viridis, whose
 * lightness rises steadily so it reads in grey too.
 */

/** Okabe-Ito, most distinct first (yellow last: it is faint on white). Black is left out: it is the text colour. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'] as const;

/** The colour of everything beyond the palette ("other types"), and of neutral marks. */
export const GREY = '#999999';

/** Measured and predicted, everywhere in the report. */
export const MEASURED_COLOUR = OKABE_ITO[0];
export const PREDICTED_COLOUR = OKABE_ITO[1];

/** The vega scheme name of viridis (a continuous colour-blind-safe scale). */
export const SEQUENTIAL_SCHEME = 'viridis';

/**
 * One colour per group name, the same in every chart of a report: names get palette colours in
 * the order they are first seen; past the palette, colours repeat (charts that stack groups keep
 * at most `OKABE_ITO.length` of them and put the rest in "other").
 */
export class GroupColours {
  private readonly colours = new Map<string, string>();

  colour(name: string): string {
    let colour = this.colours.get(name);
    if (colour === undefined) {
      colour = OKABE_ITO[this.colours.size % OKABE_ITO.length];
      this.colours.set(name, colour);
    }
    return colour;
  }

  /** Colours for a list of names, in that order (a vega-lite scale `range` for that `domain`). */
  range(names: readonly string[]): string[] {
    return names.map((name) => this.colour(name));
  }

  /**
   * Colours for names drawn side by side (the layers of a stacked chart), all different: each name
   * keeps its own colour unless an earlier name took it, then it gets the first colour no name has.
   * At most `OKABE_ITO.length` names.
   */
  distinct(names: readonly string[]): string[] {
    const used = new Set<string>();
    const wanted = names.map((name) => this.colour(name));
    const out = wanted.map((colour) => (used.has(colour) ? null : (used.add(colour), colour)));
    return out.map((colour) => {
      if (colour !== null) return colour;
      const free = OKABE_ITO.find((c) => !used.has(c)) ?? GREY;
      used.add(free);
      return free;
    });
  }
}
