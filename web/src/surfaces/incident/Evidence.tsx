import { useState } from 'react';
import { api, apiErrorFrom, authFetch, toApiError, unwrap } from '../../api';
import type { Evidence as EvidenceItem } from '../../features/incidents';
import { formatDateTime, formatNumber, useI18n } from '../../i18n';
import { Button, Empty, ErrorState, Loading, useAsync, useToast } from '../../ui';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, undefined, 1)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), undefined, 1)} MB`;
}

/**
 * Downloads an attachment with the session's token (a plain link could not send it), through a
 * temporary object URL. The server verifies the SHA-256 and audits the download.
 */
async function download(attachmentId: string, fileName: string): Promise<void> {
  const response = await authFetch(new Request(`/api/v1/attachments/${attachmentId}/content`));
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // not JSON
    }
    throw apiErrorFrom(response.status, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Evidence with its verified chain of custody (who held it, when, where). */
export function Evidence({ incidentId, generation }: { incidentId: string; generation: number }) {
  const { t } = useI18n();
  const toast = useToast();
  const [downloading, setDownloading] = useState<string | null>(null);
  const items = useAsync(
    () => unwrap(api.GET('/api/v1/incidents/{id}/evidence', { params: { path: { id: incidentId } } })),
    [incidentId, generation],
  );

  const onDownload = async (item: EvidenceItem) => {
    setDownloading(item.attachmentId);
    try {
      await download(item.attachmentId, item.fileName);
    } catch (error) {
      toast.show(toApiError(error).message, 'error');
    } finally {
      setDownloading(null);
    }
  };

  if (items.error) return <ErrorState error={items.error} onRetry={items.reload} />;
  if (!items.data) return <Loading />;
  if (items.data.items.length === 0) return <Empty>{t('incident.evidence.empty')}</Empty>;
  return (
    <ul className="inc-evidence">
      {items.data.items.map((item) => (
        <li key={item.attachmentId} className="inc-evidence__item">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <div>
              <strong>{item.fileName}</strong>
              <div>{item.description}</div>
              <div className="muted inc-small">
                {t('incident.evidence.meta', {
                  mime: item.mime,
                  size: size(item.sizeBytes),
                  time: formatDateTime(item.collectedAt),
                })}
              </div>
            </div>
            <Button
              variant="secondary"
              busy={downloading === item.attachmentId}
              onClick={() => onDownload(item)}
            >
              {t('incident.evidence.download', { name: item.fileName })}
            </Button>
          </div>
          <p className={item.chainIntact ? 'inc-chain is-intact' : 'inc-chain is-broken'}>
            {item.chainIntact
              ? t('incident.evidence.intact')
              : t('incident.evidence.broken', { seq: item.firstBrokenSeq ?? '?' })}
          </p>
          <details>
            <summary>{t('incident.evidence.custody', { name: item.fileName })}</summary>
            <ol className="inc-custody">
              {item.custody.map((step) => (
                <li key={step.seq}>
                  <span>
                    {t('incident.evidence.step', {
                      seq: step.seq,
                      action: step.action,
                      actor: step.actor.name,
                    })}
                  </span>{' '}
                  <time dateTime={step.at} className="mono">
                    {formatDateTime(step.at)}
                  </time>
                  {step.holder ? (
                    <span>
                      {' '}
                      · {t('incident.evidence.holder', { holder: step.holder.name ?? step.holder.id })}
                    </span>
                  ) : null}
                  {step.locationText ? <span> · {step.locationText}</span> : null}
                  {step.note ? <div className="muted">{step.note}</div> : null}
                </li>
              ))}
            </ol>
            <p className="inc-small">
              {t('incident.evidence.sha')}: <span className="mono inc-hash">{item.sha256}</span>
            </p>
          </details>
        </li>
      ))}
    </ul>
  );
}
