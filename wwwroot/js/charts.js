// Live metric charts on uPlot, fed from Blazor by JS interop. Each chart keeps every raw point (deduped by id)
// and redraws with the page's smoothing (EMA) and x-axis (step | time) settings. A sparse series (evaluations, every
// few hundred steps) is drawn as its measured points joined by lines, never smoothed across evaluations; a metric with a
// natural range (rates 0–1, the quality score 0–7) is drawn on it unless a value falls outside; steps tick at integers.
window.weblabCharts = (() => {
  const charts = new Map(); // elementId → { plot, name, points: [], ids: Set, opts }

  // Numbers as the charts print them. uPlot's own formatter keeps at most three decimals, so an axis stepping by
  // 0.0005 (a learning-rate schedule) read 0.002, 0.002, 0.001, 0.001 and values like the paper's lr 3e-6 read 0.

  // Magnitudes printed in exponent notation: below 0.001 and from 10^6 on (0 is never).
  const wide = a => a !== 0 && (a < 1e-3 || a >= 1e6);

  // Decimals that write x exactly (0.25 → 2, 0.0005 → 4, 20 → 0), up to 12.
  function decimalsOf(x) {
    for (let d = 0; d < 12; d++) {
      const scaled = Math.abs(x) * 10 ** d;
      if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
    }
    return 12;
  }

  // Tick labels for splits spaced by incr: fixed with as many decimals as incr needs; below 0.001 or from 10^6 on, in
  // exponent notation with as many mantissa digits as incr needs at that magnitude (2.75e-6, 3.00e-6).
  function tickLabels(splits, incr) {
    const mag = Math.max(...splits.map(v => Math.abs(v ?? 0)));
    if (wide(mag)) {
      const digits = decimalsOf(incr / 10 ** Math.floor(Math.log10(mag)));
      return splits.map(v => v == null ? '' : v === 0 ? '0' : v.toExponential(Math.min(digits, 6)));
    }
    const d = decimalsOf(incr);
    return splits.map(v => v == null ? '' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  }

  // One value (legend, hover): five significant digits, exponent notation below 0.001 or from 10^6 on.
  function formatValue(v) {
    if (v == null || Number.isNaN(v)) return '--';
    const a = Math.abs(v);
    if (wide(a)) return v.toExponential(3);
    return v.toLocaleString('en-US', { maximumSignificantDigits: 5 });
  }

  // On a log axis the splits are powers of ten and their multiples, each labelled on its own, as short as it goes (1e-4).
  const logTick = v => v == null ? '' : wide(Math.abs(v)) ? v.toExponential() : v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
  const yAxis = { size: 70, values: (u, splits, axisIdx, space, incr) => u.scales.y.distr === 3 ? splits.map(logTick) : tickLabels(splits, incr) };
  const valueOf = (u, v) => formatValue(v);

  function series(c) {
    const pts = c.points.slice().sort((a, b) => c.opts.xAxis === 'time' ? a.t - b.t : (a.step - b.step || a.id - b.id));
    const xs = [], raw = [], smooth = [];
    const alpha = c.display && c.display.sparse ? 0 : c.opts.smoothing;   // evaluations: the measurements themselves
    let ema = null;
    const shown = v => c.opts.logY && !(v > 0) ? null : v;  // a log axis has no place for 0 or below: a gap there
    for (const p of pts) {
      xs.push(c.opts.xAxis === 'time' ? p.t / 1000 : p.step);
      raw.push(shown(p.value));
      ema = ema === null ? p.value : alpha * ema + (1 - alpha) * p.value; // EMA: s_t = a*s_{t-1} + (1-a)*x_t
      smooth.push(shown(ema));
    }
    return [xs, raw, smooth];
  }

  // Step axes: integer increments only (no 1.2, 1.4 early in a run), labelled as integers.
  const stepIncrs = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000, 200000, 500000, 1000000];
  const stepAxis = { incrs: stepIncrs, values: (u, splits) => splits.map(v => v == null ? '' : Math.round(v).toLocaleString('en-US')) };

  // One step range for every panel of a run (opts.shareX, on the step axis): the steps of all its charts still on the page,
  // so a step reads at the same place in every panel; widened as points arrive.
  const shared = { lo: null, hi: null };
  const sharesX = c => !!(c.opts && c.opts.shareX) && c.opts.xAxis !== 'time';
  function extentOf(c) {
    if (c.multi) return c.xs && c.xs.length ? [c.xs[0], c.xs[c.xs.length - 1]] : null;
    return c.points.length ? [c.lo, c.hi] : null;                   // kept as points arrive (add), not recounted per update
  }
  function refreshShared() {
    let lo = Infinity, hi = -Infinity;
    for (const [id, c] of charts) {
      if (!sharesX(c) || !document.getElementById(id)) continue;
      const e = extentOf(c);
      if (e) { lo = Math.min(lo, e[0]); hi = Math.max(hi, e[1]); }
    }
    if (!(hi > lo) || (lo === shared.lo && hi === shared.hi)) return;
    shared.lo = lo; shared.hi = hi;
    for (const [id, c] of charts) if (c.plot && sharesX(c) && document.getElementById(id)) c.plot.setScale('x', { min: lo, max: hi });
  }
  // the x scale: with the shared range when the chart shares one (no range key otherwise: uPlot's default stays)
  const xScale = (c, time) => sharesX(c)
    ? { time, range: (u, lo, hi) => shared.hi > shared.lo ? [Math.min(lo, shared.lo), Math.max(hi, shared.hi)] : [lo, hi] }
    : { time };

  // The y range: the metric's natural one while every value lies in it, else uPlot's own fit to the data.
  function yRange(c) {
    const d = c.display;
    if (!d || d.min == null || d.max == null || c.opts.logY) return undefined;
    return (u, lo, hi) => lo >= d.min && hi <= d.max ? [d.min, d.max] : uPlot.rangeNum(lo, hi, 0.1, true);
  }

  function build(el, c) {
    if (c.plot) c.plot.destroy();
    const width = Math.max(300, el.clientWidth || 600);
    const sparse = c.display && c.display.sparse;
    const range = yRange(c);
    c.plot = new uPlot({
      width, height: 240, title: c.name,
      scales: { x: xScale(c, c.opts.xAxis === 'time'), y: c.opts.logY ? { distr: 3 } : (range ? { range } : {}) },
      series: [
        { label: c.opts.xAxis },
        sparse
          ? { label: 'measured', stroke: 'rgb(89,74,226)', width: 2, points: { show: true, size: 7 }, value: valueOf }
          : { label: 'raw', stroke: 'rgba(89,74,226,0.3)', width: 1, value: valueOf },
        sparse
          ? { label: c.name, show: false, value: valueOf }
          : { label: c.opts.smoothing > 0 ? `smoothed (${c.opts.smoothing})` : c.name, stroke: 'rgb(89,74,226)', width: 2, value: valueOf },
      ],
      axes: [c.opts.xAxis === 'time' ? {} : stepAxis, yAxis],
    }, series(c), el);
  }

  function add(c, points) {
    let added = 0;
    for (const p of points) {
      if (c.ids.has(p.id)) continue;
      c.ids.add(p.id);
      c.lo = Math.min(c.lo ?? Infinity, p.step);
      c.hi = Math.max(c.hi ?? -Infinity, p.step);
      c.points.push({ id: p.id, step: p.step, value: p.value, t: Date.parse(p.time), at: Date.now() });   // at: when it arrived here
      added++;
    }
    return added;
  }

  function appendTo(elementId, points) {
    const c = charts.get(elementId);
    const el = document.getElementById(elementId);
    if (!c || !el) return;
    if (add(c, points) > 0) c.plot.setData(series(c));
    el.dataset.points = c.points.length;
  }

  return {
    tickLabels,
    formatValue,
    // The y-axis labels a chart draws now (uPlot paints them on its canvas; tests read them here).
    yTicks(elementId) {
      const c = charts.get(elementId);
      return c && c.plot ? c.plot.axes[1]._values ?? null : null;
    },
    // What a chart draws now: x values, the raw series and the drawn (smoothed) one, the y scale's range and the x-axis
    // labels (tests read them here: an evaluation series is drawn at its measured values).
    drawn(elementId) {
      const c = charts.get(elementId);
      if (!c || !c.plot) return null;
      const u = c.plot;
      return { xs: u.data[0], raw: u.data[1], smooth: u.data[2], yMin: u.scales.y.min, yMax: u.scales.y.max, xTicks: u.axes[0]._values ?? null, sparse: !!(c.display && c.display.sparse) };
    },
    // Each point a chart holds, in arrival order, with when it arrived (tests read the live stream's pauses here).
    arrivals(elementId) {
      const c = charts.get(elementId);
      return c && c.points ? c.points.map(p => ({ id: p.id, step: p.step, at: p.at })) : null;
    },
    render(elementId, name, points, opts, display) {
      const el = document.getElementById(elementId);
      if (!el) return;
      const c = { name, points: [], ids: new Set(), opts, display: display || null, plot: null };
      add(c, points);
      charts.set(elementId, c);
      el.innerHTML = '';
      build(el, c);
      el.dataset.points = c.points.length;
      refreshShared();
    },
    append(elementId, points) { appendTo(elementId, points); refreshShared(); },
    // Several charts' new points in one call: [{ id, points }].
    appendMany(batches) {
      for (const b of batches) appendTo(b.id, b.points);
      refreshShared();
    },
    setOptions(opts) {
      for (const [id, c] of charts) {
        const el = document.getElementById(id);
        if (!el) { charts.delete(id); continue; }
        if (c.multi) continue;
        c.opts = opts;
        el.innerHTML = '';
        build(el, c);
      }
      shared.lo = shared.hi = null;
      refreshShared();
    },
    // One chart of several aligned series (e.g. task-family shares, or one metric of several runs): xs and one array per
    // name (null = no point), redrawn whole. opts: stacked (shares of one whole: bands, 0–1 at least), logY, and the
    // metric's display: sparse (evaluations: measured points marked) and its natural range (min, max) while the data fit.
    renderMulti(elementId, title, xs, names, ys, opts) {
      const stacked = !!(opts && opts.stacked);
      const logY = !stacked && !!(opts && opts.logY);
      const sparse = !!(opts && opts.sparse);
      if (logY) ys = ys.map(y => y.map(v => v > 0 ? v : null));        // no place for 0 or below on a log axis
      const raw = ys;
      let bands;
      if (stacked) {
        // shares of one whole: each series drawn on top of those before it, the band between filled; the legend shows the share itself
        let acc = xs.map(() => 0);
        ys = raw.map(y => (acc = acc.map((a, i) => a + (y[i] ?? 0))));
        bands = ys.slice(1).map((_, i) => ({ series: [i + 2, i + 1] }));
      }
      const el = document.getElementById(elementId);
      if (!el) return;
      const old = charts.get(elementId);
      if (old && old.plot) old.plot.destroy();
      const palette = ['#594ae2', '#e2574a', '#2fa84f', '#e2a84a', '#4aa8e2', '#a84ae2', '#7a7a7a', '#c2185b'];
      const natural = opts && opts.min != null && opts.max != null && !logY
        ? (u, lo, hi) => lo >= opts.min && hi <= opts.max ? [opts.min, opts.max] : uPlot.rangeNum(lo, hi, 0.1, true) : null;
      el.innerHTML = '';
      const plot = new uPlot({
        width: Math.max(300, el.clientWidth || 600), height: 240, title,
        series: [{ label: 'step' }, ...names.map((n, i) => ({
          label: n, stroke: palette[i % palette.length], width: stacked ? 1 : 2, spanGaps: true,
          points: sparse ? { show: true, size: 7 } : undefined,
          fill: stacked ? palette[i % palette.length] + '66' : undefined,
          value: stacked ? (u, v, si, di) => (di == null || raw[si - 1][di] == null ? '–' : (+raw[si - 1][di]).toFixed(3)) : valueOf,
        }))],
        bands: stacked ? bands.map((b, i) => ({ ...b, fill: palette[(i + 1) % palette.length] + '66' })) : undefined,
        scales: { x: xScale({ opts }, false), y: logY ? { distr: 3 } : stacked ? { range: (u, min, max) => [0, Math.max(1, max)] } : natural ? { range: natural } : {} },
        axes: [stepAxis, yAxis],
      }, [xs, ...ys], el);
      charts.set(elementId, { plot, multi: true, raw, xs, opts });
      el.dataset.points = xs.length;
      el.dataset.series = names.length;
      el.dataset.stacked = stacked ? 'true' : 'false';
      refreshShared();
    },
    // The step range a chart draws now (tests read that every panel of a run shares one).
    xRange(elementId) {
      const c = charts.get(elementId);
      return c && c.plot ? [c.plot.scales.x.min, c.plot.scales.x.max] : null;
    },
    // What a chart of several series draws now: its xs, each series' values as given (before stacking), the y range and
    // the x-axis labels (tests read them here: Compare draws evaluations at their measured values).
    drawnMulti(elementId) {
      const c = charts.get(elementId);
      if (!c || !c.plot || !c.multi) return null;
      const u = c.plot;
      return { xs: u.data[0], ys: c.raw, yMin: u.scales.y.min, yMax: u.scales.y.max, xTicks: u.axes[0]._values ?? null };
    },
    dispose(elementId) {
      const c = charts.get(elementId);
      if (c && c.plot) c.plot.destroy();
      charts.delete(elementId);
    },
  };
})();
