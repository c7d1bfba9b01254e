import { useId } from 'react';

/**
 * Small SVG charts for the wall. Each is a <figure> whose picture is described by a caption and
 * whose numbers are also in a visually hidden table (the text alternative screen readers use).
 */

export interface BarDatum {
  key: string;
  label: string;
  value: number;
  /** Formatted value for the text alternative and the tooltip. */
  text: string;
}

export function BarChart({
  title,
  data,
  labelHeader,
  valueHeader,
  emptyText,
  color = '#0b4f8a',
  height = 90,
}: {
  title: string;
  data: readonly BarDatum[];
  labelHeader: string;
  valueHeader: string;
  emptyText: string;
  color?: string;
  height?: number;
}) {
  const titleId = useId();
  const max = Math.max(1, ...data.map((d) => d.value));
  const width = 300;
  const gap = 2;
  const barWidth = data.length ? (width - gap * (data.length - 1)) / data.length : width;
  return (
    <figure className="cc-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="cc-chart__title">
        {title}
      </figcaption>
      {data.length === 0 ? (
        <p className="cc-chart__empty">{emptyText}</p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            className="cc-chart__svg"
            aria-hidden="true"
            focusable="false"
          >
            <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#7b8798" strokeWidth="1" />
            {data.map((d, i) => {
              const h = Math.max(d.value > 0 ? 1.5 : 0, (d.value / max) * (height - 4));
              return (
                <rect
                  key={d.key}
                  x={i * (barWidth + gap)}
                  y={height - 1 - h}
                  width={Math.max(1, barWidth)}
                  height={h}
                  fill={color}
                >
                  <title>{`${d.label}: ${d.text}`}</title>
                </rect>
              );
            })}
          </svg>
          <div className="cc-chart__axis" aria-hidden="true">
            <span>{data[0]?.label}</span>
            <span>{data.at(-1)?.label}</span>
          </div>
          <DataTable
            caption={title}
            rows={data.map((d) => [d.label, d.text])}
            headers={[labelHeader, valueHeader]}
          />
        </>
      )}
    </figure>
  );
}

export interface RangeDatum {
  key: string;
  label: string;
  p50: number | null;
  p90: number | null;
  p50Text: string;
  p90Text: string;
  /** Over the target: drawn in the alert colour. */
  late?: boolean;
}

/** Horizontal bars: the median (solid) and the 90th percentile (outlined) per row, e.g. per department. */
export function PercentileBars({
  title,
  data,
  headers,
  emptyText,
  legend,
}: {
  title: string;
  data: readonly RangeDatum[];
  headers: [string, string, string];
  emptyText: string;
  legend: { p50: string; p90: string };
}) {
  const titleId = useId();
  const max = Math.max(1, ...data.map((d) => d.p90 ?? d.p50 ?? 0));
  const rowHeight = 16;
  const width = 300;
  const height = data.length * rowHeight;
  return (
    <figure className="cc-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="cc-chart__title">
        {title}
      </figcaption>
      {data.length === 0 ? (
        <p className="cc-chart__empty">{emptyText}</p>
      ) : (
        <>
          <div className="cc-bars">
            <ul className="cc-bars__labels" aria-hidden="true">
              {data.map((d) => (
                <li key={d.key} style={{ height: rowHeight }}>
                  {d.label}
                </li>
              ))}
            </ul>
            <svg
              viewBox={`0 0 ${width} ${height}`}
              preserveAspectRatio="none"
              className="cc-bars__svg"
              style={{ height }}
              aria-hidden="true"
              focusable="false"
            >
              {data.map((d, i) => {
                const y = i * rowHeight + 3;
                const w90 = d.p90 === null ? 0 : (width * d.p90) / max;
                const w50 = d.p50 === null ? 0 : (width * d.p50) / max;
                const color = d.late ? '#b3261e' : '#0b4f8a';
                return (
                  <g key={d.key}>
                    <rect
                      x={0}
                      y={y}
                      width={Math.max(0, w90)}
                      height={rowHeight - 6}
                      fill="#ffffff"
                      stroke={color}
                      strokeWidth="1.5"
                    />
                    <rect x={0} y={y} width={Math.max(0, w50)} height={rowHeight - 6} fill={color} />
                    <title>{`${d.label}: ${d.p50Text} / ${d.p90Text}`}</title>
                  </g>
                );
              })}
            </svg>
          </div>
          <p className="cc-chart__legend" aria-hidden="true">
            <span className="cc-swatch cc-swatch--solid" /> {legend.p50}{' '}
            <span className="cc-swatch cc-swatch--outline" /> {legend.p90}
          </p>
          <DataTable
            caption={title}
            headers={headers}
            rows={data.map((d) => [d.label, d.p50Text, d.p90Text])}
          />
        </>
      )}
    </figure>
  );
}

function DataTable({
  caption,
  headers,
  rows,
}: {
  caption: string;
  headers: readonly string[];
  rows: readonly (readonly string[])[];
}) {
  return (
    <table className="visually-hidden">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r[0]}>
            <th scope="row">{r[0]}</th>
            {r.slice(1).map((cell, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
              <td key={i}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
