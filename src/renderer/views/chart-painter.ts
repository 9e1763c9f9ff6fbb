import {
  CandlestickSeries, ColorType, CrosshairMode, HistogramSeries, createChart, createSeriesMarkers,
  type CandlestickData, type HistogramData, type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type Time, type UTCTimestamp,
} from 'lightweight-charts';
import type { BookPrecision } from '../../shared/frames';
import type { Candle, CandleSeries } from '../data/candles';
import { fmtPrice, fmtQty, instrumentPrecision } from '../data/format';
import type { Market } from '../data/market';
import { chartMarkers } from '../data/signal-marks';
import type { SignalStore, SymbolSignals } from '../data/signal-store';
import type { UiStore } from '../data/ui-store';

const UP = '#1fbf8f';
const DOWN = '#f0505e';
const UP_VOL = 'rgba(31, 191, 143, 0.45)';
const DOWN_VOL = 'rgba(240, 80, 94, 0.45)';
const SIGNAL_UP = '#2ee6a8';
const SIGNAL_DOWN = '#ff6b78';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';

export interface ChartElements {
  host: HTMLElement;
  canvasBox: HTMLElement;
  legend: HTMLElement;
  empty: HTMLElement;
}

/**
 * Owns the lightweight-charts instance; feeds it from the candle series once per animation
 * frame, and draws the selected symbol's signal calls as markers on the candles.
 */
export class ChartPainter {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  /** what the markers were last built from; rebuilt when any of it changes */
  private marked: { signals: SymbolSignals | null; marksVersion: number; series: CandleSeries | null; rewrites: number; bars: number; on: boolean } = {
    signals: null, marksVersion: -1, series: null, rewrites: -1, bars: -1, on: false,
  };
  private series: CandleSeries | null = null;
  private version = -1;
  private rewrites = -1;
  private lastTime = -Infinity;
  private precision: BookPrecision | null = null;
  private count = -1;

  constructor(
    private readonly els: ChartElements,
    private readonly market: Market,
    private readonly ui: UiStore,
    private readonly signals: SignalStore,
  ) {
    this.chart = createChart(els.canvasBox, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#0c1015' }, textColor: '#7d8896', fontFamily: MONO, fontSize: 11 },
      grid: { vertLines: { color: '#151b23' }, horzLines: { color: '#151b23' } },
      rightPriceScale: { borderColor: '#1e2630', scaleMargins: { top: 0.08, bottom: 0.26 } },
      timeScale: { borderColor: '#1e2630', timeVisible: true, secondsVisible: true, rightOffset: 4, barSpacing: 9 },
      crosshair: { mode: CrosshairMode.Normal },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false,
    });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.markers = createSeriesMarkers(this.candles, []);
  }

  paint(): void {
    const { selection, candleInterval, venues, signalMarkers } = this.ui.getState();
    const set = selection ? this.market.candleSetOf(selection.venue, selection.symbol) : undefined;
    const series = set ? set.get(candleInterval) : null;
    const book = selection ? this.market.book(selection.venue, selection.symbol) : undefined;
    const p = book?.precision ?? (selection ? instrumentPrecision(venues, selection.venue, selection.symbol) : null);
    if (p && p !== this.precision && (!this.precision || p.priceDecimals !== this.precision.priceDecimals || p.tickUnits !== this.precision.tickUnits)) {
      this.candles.applyOptions({ priceFormat: { type: 'price', precision: p.priceDecimals, minMove: p.tickUnits / 10 ** p.priceDecimals } });
    }
    if (p) this.precision = p;
    this.paintCandles(series);
    this.paintMarkers(selection ? this.signals.of(selection.venue, selection.symbol) ?? null : null, series, signalMarkers);
  }

  dispose(): void {
    this.markers.detach();
    this.chart.remove();
  }

  private paintCandles(series: CandleSeries | null): void {
    if (series === this.series && (!series || (series.version === this.version && series.rewrites === this.rewrites))) return;
    const prec = this.precision ?? { priceDecimals: 0, sizeDecimals: 0, tickUnits: 1, lotUnits: 1 };

    if (!series) {
      this.candles.setData([]);
      this.volume.setData([]);
      this.lastTime = -Infinity;
    } else if (series !== this.series || series.rewrites !== this.rewrites) {
      this.candles.setData(series.candles.map((c) => toCandle(c, prec)));
      this.volume.setData(series.candles.map((c) => toVolume(c, prec)));
      this.lastTime = series.candles.length ? series.candles[series.candles.length - 1].time : -Infinity;
      if (series !== this.series) this.chart.timeScale().scrollToRealTime();
    } else {
      const list = series.candles;
      let i = list.length;
      while (i > 0 && list[i - 1].time >= this.lastTime) i--;
      for (; i < list.length; i++) {
        this.candles.update(toCandle(list[i], prec));
        this.volume.update(toVolume(list[i], prec));
      }
      if (list.length) this.lastTime = list[list.length - 1].time;
    }
    this.series = series;
    this.version = series?.version ?? -1;
    this.rewrites = series?.rewrites ?? -1;
    this.paintLegend(series, prec);
  }

  /** At most once per frame, and only when the marks, the bars they sit on or the toggle changed. */
  private paintMarkers(signals: SymbolSignals | null, series: CandleSeries | null, on: boolean): void {
    const m = this.marked;
    const bars = series?.candles.length ?? 0;
    const marksVersion = signals?.marksVersion ?? -1;
    const rewrites = series?.rewrites ?? -1;
    if (m.signals === signals && m.marksVersion === marksVersion && m.series === series && m.rewrites === rewrites && m.bars === bars && m.on === on) return;
    this.marked = { signals, marksVersion, series, rewrites, bars, on };
    const list = on && signals && series ? chartMarkers(signals.marks.toArray(), series.candles, { up: SIGNAL_UP, down: SIGNAL_DOWN }) : [];
    this.markers.setMarkers(list.map((x) => ({ ...x, time: x.time as UTCTimestamp })) satisfies SeriesMarker<Time>[]);
    this.els.host.dataset.signalMarkers = String(list.length);
  }

  private paintLegend(series: CandleSeries | null, p: BookPrecision): void {
    const count = series?.candles.length ?? 0;
    if (count !== this.count) {
      this.count = count;
      this.els.host.dataset.candles = String(count);
      this.els.empty.hidden = count > 0;
    }
    const last = series?.candles[count - 1];
    const cells = this.els.legend.children as HTMLCollectionOf<HTMLElement>;
    if (!last) {
      for (const c of cells) c.lastElementChild!.textContent = '–';
      return;
    }
    cells[0].lastElementChild!.textContent = fmtPrice(last.open, p);
    cells[1].lastElementChild!.textContent = fmtPrice(last.high, p);
    cells[2].lastElementChild!.textContent = fmtPrice(last.low, p);
    cells[3].lastElementChild!.textContent = fmtPrice(last.close, p);
    cells[4].lastElementChild!.textContent = fmtQty(last.volume, p);
    this.els.legend.classList.toggle('down', last.close < last.open);
  }
}

function toCandle(c: Candle, p: BookPrecision): CandlestickData {
  const scale = p.tickUnits / 10 ** p.priceDecimals;
  return { time: c.time as UTCTimestamp, open: c.open * scale, high: c.high * scale, low: c.low * scale, close: c.close * scale };
}

function toVolume(c: Candle, p: BookPrecision): HistogramData {
  return { time: c.time as UTCTimestamp, value: (c.volume * p.lotUnits) / 10 ** p.sizeDecimals, color: c.close >= c.open ? UP_VOL : DOWN_VOL };
}
