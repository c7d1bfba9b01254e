import { type FormEvent, useState } from 'react';
import { type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDateTime, useI18n } from '../../i18n';
import {
  Alert,
  Button,
  Dialog,
  ErrorState,
  Loading,
  Table,
  TextField,
  useAction,
  useAsync,
  useToast,
} from '../../ui';
import {
  ReasonDialog,
  ScopeFields,
  type ScopeValue,
  SectionHead,
  ServerError,
  useScopeLabel,
} from './common';

type ApiKey = ApiResponse<'/api/v1/api-keys'>['items'][number];
type Created = ApiResponse<'/api/v1/api-keys', 'post'>;

/** API keys of devices and integrations: the secret is shown once, at creation; revoking is immediate. */
export default function ApiKeysSection() {
  const { t } = useI18n();
  const scopeLabel = useScopeLabel();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keys = useAsync(
    () => unwrap(api.GET('/api/v1/api-keys', { params: { query: { includeInactive } } })),
    [includeInactive],
  );

  return (
    <section className="adm-section" aria-labelledby="adm-keys-h">
      <SectionHead id="adm-keys-h" title={t('adm.keys.title')}>
        <Button onClick={() => setCreating(true)}>{t('adm.keys.new')}</Button>
      </SectionHead>
      <p className="muted">{t('adm.keys.help')}</p>
      <label className="adm-check">
        <input
          type="checkbox"
          checked={includeInactive}
          onChange={(e) => setIncludeInactive(e.target.checked)}
        />
        {t('adm.keys.includeInactive')}
      </label>
      {keys.loading && !keys.data ? <Loading /> : null}
      {keys.error ? <ErrorState error={keys.error} onRetry={keys.reload} /> : null}
      {keys.data ? (
        <Table<ApiKey>
          caption={t('adm.keys.caption')}
          captionHidden
          rows={keys.data.items}
          rowKey={(k) => k.id}
          empty={t('adm.keys.empty')}
          columns={[
            { key: 'name', header: t('adm.keys.name'), render: (k) => k.name },
            { key: 'prefix', header: t('adm.keys.prefix'), render: (k) => <code>cnt_{k.prefix}_…</code> },
            { key: 'perms', header: t('adm.keys.permissions'), render: (k) => k.permissions.join(', ') },
            { key: 'scope', header: t('adm.scope'), render: (k) => scopeLabel(k.scope) },
            {
              key: 'status',
              header: t('adm.keys.status'),
              render: (k) => (
                <span className={k.status === 'active' ? 'adm-pill adm-pill--ok' : 'adm-pill adm-pill--off'}>
                  {t(`adm.keys.status.${k.status}`)}
                </span>
              ),
            },
            {
              key: 'used',
              header: t('adm.keys.lastUsed'),
              render: (k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('adm.keys.never')),
            },
            {
              key: 'actions',
              header: t('adm.actions'),
              render: (k) =>
                k.status === 'active' ? (
                  <Button
                    variant="secondary"
                    aria-label={t('adm.keys.revokeOf', { name: k.name })}
                    onClick={() => setRevoking(k)}
                  >
                    {t('adm.keys.revoke')}
                  </Button>
                ) : null,
            },
          ]}
        />
      ) : null}
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          setCreated(key);
          keys.reload();
        }}
      />
      <Dialog
        open={created !== null}
        title={t('adm.keys.createdTitle')}
        onClose={() => setCreated(null)}
        footer={<Button onClick={() => setCreated(null)}>{t('adm.keys.secretSaved')}</Button>}
      >
        {created ? <SecretOnce created={created} /> : null}
      </Dialog>
      <ReasonDialog
        open={revoking !== null}
        title={t('adm.keys.revokeTitle', { name: revoking?.name ?? '' })}
        description={t('adm.keys.revokeHelp')}
        confirmLabel={t('adm.keys.revoke')}
        danger
        successMessage={t('adm.keys.revoked')}
        onClose={() => setRevoking(null)}
        onConfirm={async (reason) => {
          if (!revoking) return undefined;
          const r = await unwrap(
            api.POST('/api/v1/api-keys/{id}/revoke', {
              params: { path: { id: revoking.id } },
              body: { reason },
            }),
          );
          keys.reload();
          return r;
        }}
      />
    </section>
  );
}

function SecretOnce({ created }: { created: Created }) {
  const { t } = useI18n();
  const toast = useToast();
  const copy = () => {
    navigator.clipboard?.writeText(created.key).then(
      () => toast.show(t('adm.keys.copied'), 'success'),
      () => toast.show(t('adm.keys.copyFailed'), 'warning'),
    );
  };
  return (
    <div className="adm-form">
      <Alert tone="warning">{t('adm.keys.onlyOnce')}</Alert>
      <TextField
        label={t('adm.keys.secret', { name: created.name })}
        readOnly
        value={created.key}
        className="adm-secret"
        onFocus={(e) => e.target.select()}
        data-testid="api-key-secret"
      />
      <div className="adm-actions">
        <Button variant="secondary" onClick={copy}>
          {t('adm.keys.copy')}
        </Button>
      </div>
      <p className="muted">{t('adm.keys.usage')}</p>
    </div>
  );
}

function CreateKeyDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: Created) => void;
}) {
  const { t } = useI18n();
  const auth = useAuth();
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [scope, setScope] = useState<ScopeValue>({ level: 'national', code: null });
  const [expires, setExpires] = useState('');
  // Nobody hands out a permission they lack: offer the user's own permissions.
  const offered = [...(auth.me?.permissions ?? [])].sort();
  const create = useAction(() =>
    unwrap(
      api.POST('/api/v1/api-keys', {
        body: {
          name: name.trim(),
          permissions,
          scope,
          ...(expires ? { expiresAt: new Date(`${expires}T23:59:59-06:00`).toISOString() } : {}),
        },
      }),
    ),
  );
  const reset = () => {
    setName('');
    setPermissions([]);
    setScope({ level: 'national', code: null });
    setExpires('');
    create.clearError();
  };
  const close = () => {
    reset();
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create.run();
    if (result) {
      reset();
      onCreated(result);
    }
  };
  const toggle = (p: string, on: boolean) =>
    setPermissions(on ? [...permissions, p] : permissions.filter((x) => x !== p));

  return (
    <Dialog
      open={open}
      title={t('adm.keys.new')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-key" busy={create.busy} disabled={permissions.length === 0}>
            {t('adm.keys.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-key" className="adm-form" onSubmit={submit}>
        <TextField
          label={t('adm.keys.name')}
          hint={t('adm.keys.name.hint')}
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset className="adm-fieldset adm-perms">
          <legend>{t('adm.keys.permissions')}</legend>
          {offered.map((p) => (
            <label key={p} className="adm-check">
              <input
                type="checkbox"
                checked={permissions.includes(p)}
                onChange={(e) => toggle(p, e.target.checked)}
              />
              <code>{p}</code>
            </label>
          ))}
        </fieldset>
        <ScopeFields value={scope} onChange={setScope} />
        <TextField
          label={t('adm.keys.expires')}
          hint={t('adm.keys.expires.hint')}
          type="date"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
        />
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}
