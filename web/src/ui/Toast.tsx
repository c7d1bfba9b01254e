import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n';

export type ToastTone = 'info' | 'success' | 'warning' | 'error';

interface ToastItem {
  id: number;
  tone: ToastTone;
  message: string;
}

export interface ToastApi {
  show: (message: string, tone?: ToastTone) => void;
}

const ToastContext = createContext<ToastApi | null>(null);
const DURATION_MS: Record<ToastTone, number> = { info: 6000, success: 5000, warning: 9000, error: 12000 };

/** Short messages in a polite live region (errors assertive), dismissible, auto-hidden. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setItems((list) => list.filter((i) => i.id !== id)), []);
  const show = useCallback(
    (message: string, tone: ToastTone = 'info') => {
      const id = nextId.current++;
      setItems((list) => [...list.slice(-4), { id, tone, message }]);
      window.setTimeout(() => dismiss(id), DURATION_MS[tone]);
    },
    [dismiss],
  );
  const api = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toasts" aria-label={t('common.notifications')}>
        <div aria-live="polite" className="stack" style={{ gap: '0.5rem' }}>
          {items
            .filter((i) => i.tone !== 'error')
            .map((i) => (
              <ToastView key={i.id} item={i} onDismiss={dismiss} closeLabel={t('common.close')} />
            ))}
        </div>
        <div aria-live="assertive" className="stack" style={{ gap: '0.5rem' }}>
          {items
            .filter((i) => i.tone === 'error')
            .map((i) => (
              <ToastView key={i.id} item={i} onDismiss={dismiss} closeLabel={t('common.close')} />
            ))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}

function ToastView({
  item,
  onDismiss,
  closeLabel,
}: {
  item: ToastItem;
  onDismiss: (id: number) => void;
  closeLabel: string;
}) {
  return (
    <div className={`alert alert--${item.tone} toast`}>
      <span className="toast__text">{item.message}</span>
      <button
        type="button"
        className="btn btn--ghost"
        style={{ minHeight: 24, padding: '0 0.25rem' }}
        aria-label={closeLabel}
        onClick={() => onDismiss(item.id)}
      >
        ✕
      </button>
    </div>
  );
}

export function useToast(): ToastApi {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToast outside <ToastProvider>');
  return value;
}
