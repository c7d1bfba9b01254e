import { api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ErrorState, Loading, useAsync } from '../../ui';
import { StatusChip } from './common';

/** The organisation's red flags, each explained, for the reviewers. */
export function RedFlags({ organisationId }: { organisationId: string }) {
  const { t } = useI18n();
  const auth = useAuth();
  const allowed = auth.can('grant.redflags.read');
  const flags = useAsync(
    () =>
      allowed
        ? unwrap(
            api.GET('/api/v1/grants/organisations/{id}/red-flags', {
              params: { path: { id: organisationId } },
            }),
          )
        : Promise.resolve(null),
    [organisationId, allowed],
  );
  if (!allowed) return null;
  if (flags.error) return <ErrorState error={flags.error} onRetry={flags.reload} />;
  if (!flags.data) return <Loading />;
  return (
    <div className="stack" data-testid="red-flags">
      <h3>{t('gr.flags.title')}</h3>
      {flags.data.flags.length === 0 ? (
        <p className="muted">{t('gr.flags.none')}</p>
      ) : (
        <ul className="gr-list">
          {flags.data.flags.map((f) => (
            <li key={`${f.code}-${f.message}`}>
              <StatusChip status={f.severity} prefix="gr.severity" /> {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
