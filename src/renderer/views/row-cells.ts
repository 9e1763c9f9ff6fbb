/**
 * Direct handles on a fixed row's parts, so per-frame painting writes Text.nodeValue and a
 * transform without looking anything up or replacing nodes.
 */
export interface RowCells {
  row: HTMLElement;
  texts: Text[];
  bars: HTMLElement[];
}

/** Gives each of `textEls` one text node (React leaves these spans childless) and returns the handles. */
export function bindRow(row: HTMLElement, textSelector: string, barSelector: string): RowCells {
  const texts: Text[] = [];
  for (const el of row.querySelectorAll<HTMLElement>(textSelector)) {
    const t = document.createTextNode('');
    el.replaceChildren(t);
    texts.push(t);
  }
  return { row, texts, bars: [...row.querySelectorAll<HTMLElement>(barSelector)] };
}

/** Number → string memo for prices near the touch (they repeat frame after frame). */
export class FormatCache {
  private readonly map = new Map<number, string>();
  private key: unknown = null;

  constructor(private readonly limit = 4096) {}

  get(value: number, key: unknown, format: (v: number) => string): string {
    if (key !== this.key) {
      this.map.clear();
      this.key = key;
    }
    let s = this.map.get(value);
    if (s === undefined) {
      if (this.map.size >= this.limit) this.map.clear();
      s = format(value);
      this.map.set(value, s);
    }
    return s;
  }
}
