import type { ReactNode } from 'react';
import { type ApiError, toApiError } from '../api';
import { useI18n } from '../i18n';
import { Button } from './Button';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function Empty({ children, action }: { children?: ReactNode; action?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="state">
      <p>{children ?? t('common.empty')}</p>
      {action}
    </div>
  );
}

/** Shows the server's own message (ApiError.message) and, when given, a retry button. */
export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const { t } = useI18n();
  const apiError: ApiError = toApiError(error);
  return (
    <div className="alert alert--error" role="alert">
      <strong>{title ?? t('common.error.title')}</strong>
      <p style={{ margin: '0.25rem 0' }}>{apiError.message}</p>
      {onRetry ? (
        <Button variant="secondary" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </div>
  );
}

/** Inline message box (info/success/warning/error). Errors are announced. */
export function Alert({
  tone = 'info',
  children,
}: {
  tone?: 'info' | 'success' | 'warning' | 'error';
  children: ReactNode;
}) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
