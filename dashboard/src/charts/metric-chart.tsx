/** A uPlot line-and-points chart of one metadata metric across a model's versions. */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { apiUrl, seg } from '../api/client';
import type { MetricSeries } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorBox, Loading } from '../components/ui';
import { formatValue } from '../format';
import { navigate, paths } from '../router';

/** Fetches `metric_series` for `metric` and draws it; `tick` changes force a refetch (live updates). */
export function MetricChart({ model, metric, tick }: { model: string; metric: string; tick: number }) {
  const series = useApi<MetricSeries>(apiUrl(`/models/${seg(model)}/metric_series`, { key: metric }));
  const { reload } = series;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload();
  }, [tick, reload]);

  if (series.error && series.error.status === 404) return <div className="muted">No chart: the server has no metric series for this model.</div>;
  if (series.error) return <ErrorBox error={series.error} />;
  if (!series.data) return <Loading what="chart" />;
  if (series.data.points.length === 0) return <div className="muted">No version has a numeric value for {metric}.</div>;
  return <Plot model={model} data={series.data} />;
}

function Plot({ model, data }: { model: string; data: MetricSeries }) {
  const box = useRef<HTMLDivElement>(null);
  const xs = useMemo(() => data.points.map((p) => p.number), [data]);
  const ys = useMemo(() => data.points.map((p) => p.value), [data]);
  // Stage holders as their own point series (null elsewhere), so they stand out on the line.
  const held = useMemo(
    () => (['production', 'staging'] as const).map((stage) => data.points.map((p) => (p.stage === stage ? p.value : null))),
    [data],
  );
  const production = data.points.find((p) => p.stage === 'production');
  const best = data.points.reduce((a, b) => (b.value > a.value ? b : a), data.points[0]!);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(300, el.clientWidth);
    const opts: uPlot.Options = {
      width,
      height: 240,
      scales: { x: { time: false } },
      legend: { show: true },
      cursor: { points: { size: 8 } },
      axes: [
        { label: 'version', stroke: '#555', grid: { stroke: '#eee' }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000], values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? `v${v}` : '')) },
        { stroke: '#555', grid: { stroke: '#eee' }, size: 60 },
      ],
      series: [
        { label: 'version', value: (_u, v) => (v === null ? '—' : `v${v}`) },
        {
          label: data.key,
          stroke: '#2563eb',
          width: 1.5,
          points: { show: data.points.length <= 500, size: 6, fill: '#2563eb' },
          value: (_u, v) => (v === null ? '—' : formatValue(v)),
        },
        { label: 'production', stroke: '#15803d', width: 0, points: { show: true, size: 11, fill: '#15803d', stroke: '#fff', width: 2 }, value: (_u, v) => (v === null ? '—' : formatValue(v)) },
        { label: 'staging', stroke: '#b45309', width: 0, points: { show: true, size: 11, fill: '#f59e0b', stroke: '#fff', width: 2 }, value: (_u, v) => (v === null ? '—' : formatValue(v)) },
      ],
    };
    const plot = new uPlot(opts, [xs, ys, held[0]!, held[1]!], el);
    const onClick = () => {
      const idx = plot.cursor.idx;
      if (idx !== null && idx !== undefined && xs[idx] !== undefined) navigate(paths.version(model, xs[idx]));
    };
    plot.over.addEventListener('click', onClick);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(300, el.clientWidth), height: 240 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.over.removeEventListener('click', onClick);
      plot.destroy();
    };
  }, [xs, ys, held, data.key, data.points.length, model]);

  return (
    <div data-testid="metric-chart">
      <div ref={box} className="chart" />
      <div className="muted small chart-note">
        {data.points.length.toLocaleString()} versions · best v{best.number} = {formatValue(best.value)}
        {production ? ` · production v${production.number} = ${formatValue(production.value)}` : ''} · click a point to open its version
      </div>
    </div>
  );
}
