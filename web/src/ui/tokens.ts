/**
 * Design tokens. Colours are checked for WCAG AA: text colours reach ≥ 4.5:1 on `surface` and
 * `background`, and `onPrimary`/`onDanger`/`onSuccess` reach ≥ 4.5:1 on their fills (ratios noted).
 * The same values are exposed as CSS custom properties in styles.css (`--c-primary` …).
 */
export const colors = {
  background: '#f4f6f9',
  surface: '#ffffff',
  surfaceAlt: '#eef2f7',
  border: '#c5ced9',
  text: '#14202e', // 16.2:1 on surface
  textMuted: '#44546a', // 7.6:1 on surface, 7.0:1 on background
  primary: '#0b4f8a', // 8.4:1 with white
  primaryHover: '#083b68',
  onPrimary: '#ffffff',
  focus: '#c25e00', // focus ring, 3.9:1 against surface (non-text ≥ 3:1)
  danger: '#b3261e', // 6.5:1 with white
  onDanger: '#ffffff',
  dangerBg: '#fde8e6',
  success: '#1e6b34', // 6.6:1 with white
  onSuccess: '#ffffff',
  successBg: '#e3f4e8',
  warning: '#7a4a00', // 7.4:1 on white
  warningBg: '#fff4d6',
  info: '#0b4f8a',
  infoBg: '#e5f0fb',
  header: '#0b3d6b', // white text 11:1
  onHeader: '#ffffff',
  /** Incident priority colours (fills with white text ≥ 4.5:1). */
  priority: { p1: '#b3261e', p2: '#b34700', p3: '#7a5c00', p4: '#1e6b34' },
  map: {
    water: '#c9dcea',
    land: '#f2efe6',
    departmentFill: '#e8e4d8',
    departmentLine: '#6b6250',
    municipalityLine: '#a89f8a',
    incident: '#b3261e',
    unit: '#0b4f8a',
    picked: '#c25e00',
  },
} as const;

export const space = {
  xs: '0.25rem',
  sm: '0.5rem',
  md: '1rem',
  lg: '1.5rem',
  xl: '2rem',
  xxl: '3rem',
} as const;

export const type = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif',
  mono: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
  size: { xs: '0.75rem', sm: '0.875rem', md: '1rem', lg: '1.25rem', xl: '1.5rem', xxl: '2rem' },
  weight: { regular: 400, medium: 500, bold: 700 },
} as const;

export const radius = { sm: '4px', md: '8px', lg: '12px' } as const;

/** Minimum touch target for phone surfaces (field, citizen). */
export const touchTarget = '48px';
