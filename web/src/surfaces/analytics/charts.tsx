import { useId } from 'react';
import { useI18n } from '../../i18n';

export interface BarDatum {
  key: string;
  label: string;
  value: number;
  /** Formatted value, for the tooltip and the data table. */
  text: string;
  /** Drawn in the alert colour (e.g. over a target). */
  alert?: boolean;
}

/**
 * Horizontal SVG bar chart. The picture is hidden from screen readers; the same numbers are in a
 * data table inside a <details> (the text alternative, also for keyboard and print users).
 */
export function BarChart({
  title,
  data,
  headers,
}: {
  title: string;
  data: readonly BarDatum[];
  headers: [string, string];
}) {
  const { t } = useI18n();
  const titleId = useId();
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 22;
  const labelWidth = 130;
  const width = 460;
  const height = Math.max(row, data.length * row);
  return (
    <figure className="an-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="an-chart__title">
        {title}
      </figcaption>
      {data.length === 0 ? (
        <p className="muted">{t('an.noData')}</p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${width} ${height}`}
            className="an-chart__svg"
            aria-hidden="true"
            focusable="false"
            role="presentation"
          >
            {data.map((d, i) => {
              const w = Math.max(d.value > 0 ? 2 : 0, (d.value / max) * (width - labelWidth - 70));
              const y = i * row;
              return (
                <g key={d.key}>
                  <text x={labelWidth - 6} y={y + 15} textAnchor="end" fontSize="12" fill="#1f2933">
                    {d.label.length > 20 ? `${d.label.slice(0, 19)}…` : d.label}
                  </text>
                  <rect
                    x={labelWidth}
                    y={y + 4}
                    width={w}
                    height={row - 8}
                    fill={d.alert ? '#b42318' : '#0b4f8a'}
                  >
                    <title>{`${d.label}: ${d.text}`}</title>
                  </rect>
                  <text x={labelWidth + w + 4} y={y + 15} fontSize="12" fill="#1f2933">
                    {d.text}
                  </text>
                </g>
              );
            })}
          </svg>
          <details className="an-chart__table">
            <summary>{t('an.chartTable')}</summary>
            <table className="table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{headers[0]}</th>
                  <th scope="col" style={{ textAlign: 'right' }}>
                    {headers[1]}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.key}>
                    <th scope="row">{d.label}</th>
                    <td style={{ textAlign: 'right' }}>{d.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

/** A line over time (e.g. one value per day), with the same table alternative. */
export function LineChart({
  title,
  data,
  headers,
}: {
  title: string;
  data: readonly BarDatum[];
  headers: [string, string];
}) {
  const { t } = useI18n();
  const titleId = useId();
  const width = 460;
  const height = 140;
  const pad = 24;
  const max = Math.max(1, ...data.map((d) => d.value));
  const step = data.length > 1 ? (width - 2 * pad) / (data.length - 1) : 0;
  const points = data.map((d, i) => ({
    d,
    x: pad + i * step,
    y: height - pad - (d.value / max) * (height - 2 * pad),
  }));
  return (
    <figure className="an-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="an-chart__title">
        {title}
      </figcaption>
      {data.length === 0 ? (
        <p className="muted">{t('an.noData')}</p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${width} ${height}`}
            className="an-chart__svg"
            aria-hidden="true"
            focusable="false"
            role="presentation"
          >
            <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} stroke="#7b8798" />
            <polyline
              fill="none"
              stroke="#0b4f8a"
              strokeWidth="2"
              points={points.map((p) => `${p.x},${p.y}`).join(' ')}
            />
            {points.map((p) => (
              <circle key={p.d.key} cx={p.x} cy={p.y} r="3.5" fill={p.d.alert ? '#b42318' : '#0b4f8a'}>
                <title>{`${p.d.label}: ${p.d.text}`}</title>
              </circle>
            ))}
            <text x={pad} y={height - 6} fontSize="11" fill="#1f2933">
              {data[0]?.label}
            </text>
            <text x={width - pad} y={height - 6} fontSize="11" textAnchor="end" fill="#1f2933">
              {data.at(-1)?.label}
            </text>
          </svg>
          <details className="an-chart__table">
            <summary>{t('an.chartTable')}</summary>
            <table className="table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{headers[0]}</th>
                  <th scope="col" style={{ textAlign: 'right' }}>
                    {headers[1]}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.key}>
                    <th scope="row">{d.label}</th>
                    <td style={{ textAlign: 'right' }}>{d.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
