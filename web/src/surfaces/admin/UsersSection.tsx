import { type FormEvent, useState } from 'react';
import { type ApiBody, type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDateTime, useI18n } from '../../i18n';
import {
  Alert,
  Button,
  Dialog,
  ErrorState,
  Loading,
  Select,
  Table,
  TextArea,
  TextField,
  useAction,
  useAsync,
  useToast,
} from '../../ui';
import {
  newKey,
  ReadOnlyNote,
  ReasonDialog,
  ScopeFields,
  type ScopeValue,
  SectionHead,
  ServerError,
  useScopeLabel,
} from './common';

type User = ApiResponse<'/api/v1/users'>['items'][number];
type Role = ApiResponse<'/api/v1/roles'>['items'][number];
type UserCreate = ApiBody<'/api/v1/users'>;

/** DUI: 8 digits, a hyphen and a check digit (weights 9…2, mod 10). The server validates it again. */
export function duiProblem(value: string): 'format' | 'checkDigit' | null {
  const match = /^(\d{8})-?(\d)$/.exec(value.trim());
  if (!match) return 'format';
  const digits = match[1]!.split('').map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (9 - i), 0);
  const check = (10 - (sum % 10)) % 10;
  return check === Number(match[2]) ? null : 'checkDigit';
}

function useRoles() {
  return useAsync(() => unwrap(api.GET('/api/v1/roles')), []);
}

function roleName(roles: readonly Role[] | undefined, code: string, locale: string): string {
  const role = roles?.find((r) => r.code === code);
  if (!role) return code;
  return locale === 'en' ? role.nameEn : role.nameEs;
}

export default function UsersSection() {
  const { t, locale } = useI18n();
  const auth = useAuth();
  const canManage = auth.can('identity.users.manage');
  const canAssign = auth.can('identity.roles.assign');
  const [query, setQuery] = useState({ q: '', active: '', role: '' });
  const [draft, setDraft] = useState(query);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const roles = useRoles();
  const scopeLabel = useScopeLabel();
  const users = useAsync(
    () =>
      unwrap(
        api.GET('/api/v1/users', {
          params: {
            query: {
              limit: 100,
              offset: 0,
              ...(query.q ? { q: query.q } : {}),
              ...(query.active ? { active: query.active === 'active' } : {}),
              ...(query.role ? { role: query.role } : {}),
            },
          },
        }),
      ),
    [query],
  );
  const selected = users.data?.items.find((u) => u.id === selectedId) ?? null;
  const roleOptions = (roles.data?.items ?? []).map((r) => ({
    value: r.code,
    label: locale === 'en' ? r.nameEn : r.nameEs,
  }));

  const search = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ ...draft });
  };

  return (
    <section className="adm-section" aria-labelledby="adm-users-h">
      <SectionHead id="adm-users-h" title={t('adm.users.title')}>
        {canManage ? <Button onClick={() => setCreating(true)}>{t('adm.users.new')}</Button> : null}
      </SectionHead>
      {!canManage ? <ReadOnlyNote /> : null}
      <form className="adm-filters" onSubmit={search} aria-label={t('adm.users.search')}>
        <TextField
          label={t('adm.users.q')}
          type="search"
          value={draft.q}
          maxLength={100}
          onChange={(e) => setDraft({ ...draft, q: e.target.value })}
        />
        <Select
          label={t('adm.users.status')}
          value={draft.active}
          onChange={(e) => setDraft({ ...draft, active: e.target.value })}
          options={[
            { value: '', label: t('adm.all') },
            { value: 'active', label: t('adm.users.active') },
            { value: 'inactive', label: t('adm.users.inactive') },
          ]}
        />
        <Select
          label={t('adm.users.role')}
          value={draft.role}
          onChange={(e) => setDraft({ ...draft, role: e.target.value })}
          options={[{ value: '', label: t('adm.all') }, ...roleOptions]}
        />
        <Button type="submit" variant="secondary">
          {t('adm.search')}
        </Button>
      </form>
      <div className="adm-split">
        <div className="adm-split__main">
          {users.loading && !users.data ? <Loading /> : null}
          {users.error ? <ErrorState error={users.error} onRetry={users.reload} /> : null}
          {users.data ? (
            <>
              <p className="muted" aria-live="polite">
                {t('adm.users.count', { n: users.data.total })}
              </p>
              <Table<User>
                caption={t('adm.users.caption')}
                captionHidden
                rows={users.data.items}
                rowKey={(u) => u.id}
                selectedKey={selectedId}
                onRowActivate={(u) => setSelectedId(u.id)}
                empty={t('adm.users.empty')}
                columns={[
                  { key: 'username', header: t('adm.users.username'), render: (u) => u.username },
                  { key: 'name', header: t('adm.users.name'), render: (u) => u.displayName },
                  {
                    key: 'roles',
                    header: t('adm.users.roles'),
                    render: (u) =>
                      u.roles.length === 0
                        ? t('adm.users.noRoles')
                        : u.roles
                            .map(
                              (r) =>
                                `${roleName(roles.data?.items, r.role, locale)} (${scopeLabel(r.scope)})`,
                            )
                            .join('; '),
                  },
                  {
                    key: 'state',
                    header: t('adm.users.status'),
                    render: (u) => (
                      <span className={u.active ? 'adm-pill adm-pill--ok' : 'adm-pill adm-pill--off'}>
                        {u.active ? t('adm.users.active') : t('adm.users.inactive')}
                      </span>
                    ),
                  },
                ]}
              />
            </>
          ) : null}
        </div>
        {selected ? (
          <UserPanel
            key={selected.id}
            user={selected}
            roles={roles.data?.items}
            canManage={canManage}
            canAssign={canAssign}
            isSelf={selected.id === auth.me?.id}
            onChanged={users.reload}
            onClose={() => setSelectedId(null)}
          />
        ) : null}
      </div>
      <CreateUserDialog
        open={creating}
        roles={roleOptions}
        canAssign={canAssign}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          setSelectedId(id);
          users.reload();
        }}
      />
    </section>
  );
}

function UserPanel({
  user,
  roles,
  canManage,
  canAssign,
  isSelf,
  onChanged,
  onClose,
}: {
  user: User;
  roles: readonly Role[] | undefined;
  canManage: boolean;
  canAssign: boolean;
  isSelf: boolean;
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const scopeLabel = useScopeLabel();
  const [revokeKeys, setRevokeKeys] = useState(false);
  const [dialog, setDialog] = useState<
    | { kind: 'deactivate' | 'reactivate' | 'mfa' }
    | { kind: 'revoke'; assignmentId: string; label: string }
    | null
  >(null);
  const [role, setRole] = useState('');
  const [scope, setScope] = useState<ScopeValue>({ level: 'national', code: null });
  const [assignReason, setAssignReason] = useState('');
  const [moving, setMoving] = useState<{ assignmentId: string; label: string } | null>(null);
  const assign = useAction(() =>
    unwrap(
      api.POST('/api/v1/users/{id}/roles', {
        params: { path: { id: user.id } },
        body: { role, scope, reason: assignReason.trim() },
      }),
    ),
  );
  const submitAssign = async (event: FormEvent) => {
    event.preventDefault();
    if (await assign.run()) {
      toast.show(t('adm.users.roleAssigned'), 'success');
      setRole('');
      setScope({ level: 'national', code: null });
      setAssignReason('');
      onChanged();
    }
  };
  const roleOptions = (roles ?? []).map((r) => ({
    value: r.code,
    label: locale === 'en' ? r.nameEn : r.nameEs,
  }));
  const withPath = { params: { path: { id: user.id } } };

  return (
    <aside className="adm-split__panel" aria-labelledby="adm-user-panel-h">
      <div className="adm-panel__head">
        <h3 id="adm-user-panel-h">{user.displayName}</h3>
        <Button variant="ghost" onClick={onClose} aria-label={t('adm.closePanel')}>
          ✕
        </Button>
      </div>
      <dl className="adm-facts">
        <dt>{t('adm.users.username')}</dt>
        <dd>{user.username}</dd>
        <dt>{t('adm.users.email')}</dt>
        <dd>{user.email ?? '—'}</dd>
        <dt>{t('adm.users.status')}</dt>
        <dd>
          {user.active
            ? t('adm.users.active')
            : t('adm.users.inactiveSince', {
                at: user.deactivatedAt ? formatDateTime(user.deactivatedAt) : '—',
              })}
        </dd>
        <dt>{t('adm.users.mfa')}</dt>
        <dd>{user.mfaEnabled ? t('adm.users.mfaOn') : t('adm.users.mfaOff')}</dd>
        {user.mustChangePassword ? (
          <>
            <dt>{t('adm.users.password')}</dt>
            <dd>{t('adm.users.mustChange')}</dd>
          </>
        ) : null}
      </dl>

      <h4>{t('adm.users.roles')}</h4>
      {user.roles.length === 0 ? <p className="muted">{t('adm.users.noRoles')}</p> : null}
      <ul className="adm-list">
        {user.roles.map((r) => {
          const label = `${roleName(roles, r.role, locale)} — ${scopeLabel(r.scope)}`;
          return (
            <li key={r.id}>
              <span>{label}</span>
              {canAssign && !isSelf ? (
                <span className="adm-actions">
                  {user.active ? (
                    <Button
                      variant="secondary"
                      aria-label={t('adm.users.moveRoleOf', { role: label })}
                      onClick={() => setMoving({ assignmentId: r.id, label })}
                    >
                      {t('adm.users.moveRole')}
                    </Button>
                  ) : null}
                  <Button
                    variant="secondary"
                    aria-label={t('adm.users.revokeRoleOf', { role: label })}
                    onClick={() => setDialog({ kind: 'revoke', assignmentId: r.id, label })}
                  >
                    {t('adm.users.revokeRole')}
                  </Button>
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>

      {canAssign && !isSelf && user.active ? (
        <form className="adm-form adm-card" onSubmit={submitAssign} aria-labelledby="adm-assign-h">
          <h4 id="adm-assign-h">{t('adm.users.assignRole')}</h4>
          <Select
            label={t('adm.users.role')}
            required
            value={role}
            placeholder={t('adm.choose')}
            onChange={(e) => setRole(e.target.value)}
            options={roleOptions}
          />
          <ScopeFields value={scope} onChange={setScope} />
          <TextArea
            label={t('adm.reason')}
            hint={t('adm.reason.hint')}
            required
            minLength={3}
            maxLength={1000}
            rows={2}
            value={assignReason}
            onChange={(e) => setAssignReason(e.target.value)}
          />
          <ServerError error={assign.error} />
          <Button type="submit" busy={assign.busy}>
            {t('adm.users.assign')}
          </Button>
        </form>
      ) : null}
      {isSelf ? <Alert tone="info">{t('adm.users.self')}</Alert> : null}

      {canManage && !isSelf ? (
        <div className="adm-actions">
          {user.active ? (
            <Button
              variant="danger"
              onClick={() => {
                setRevokeKeys(false);
                setDialog({ kind: 'deactivate' });
              }}
            >
              {t('adm.users.deactivate')}
            </Button>
          ) : (
            <Button variant="secondary" onClick={() => setDialog({ kind: 'reactivate' })}>
              {t('adm.users.reactivate')}
            </Button>
          )}
          {user.mfaEnabled ? (
            <Button variant="secondary" onClick={() => setDialog({ kind: 'mfa' })}>
              {t('adm.users.resetMfa')}
            </Button>
          ) : null}
        </div>
      ) : null}

      <ReasonDialog
        open={dialog?.kind === 'deactivate'}
        title={t('adm.users.deactivateTitle', { name: user.displayName })}
        description={
          <>
            {t('adm.users.deactivateHelp')}
            <label className="adm-check">
              <input
                type="checkbox"
                checked={revokeKeys}
                onChange={(event) => setRevokeKeys(event.target.checked)}
              />{' '}
              {t('adm.users.revokeKeys')}
            </label>
          </>
        }
        confirmLabel={t('adm.users.deactivate')}
        danger
        successMessage={t('adm.users.deactivated')}
        onClose={() => setDialog(null)}
        onConfirm={async (reason) => {
          const r = await unwrap(
            api.POST('/api/v1/users/{id}/deactivate', {
              ...withPath,
              body: { reason, revokeApiKeys: revokeKeys },
            }),
          );
          onChanged();
          return r;
        }}
      />
      <ReasonDialog
        open={dialog?.kind === 'reactivate'}
        title={t('adm.users.reactivateTitle', { name: user.displayName })}
        confirmLabel={t('adm.users.reactivate')}
        successMessage={t('adm.users.reactivated')}
        onClose={() => setDialog(null)}
        onConfirm={async (reason) => {
          const r = await unwrap(
            api.POST('/api/v1/users/{id}/reactivate', { ...withPath, body: { reason } }),
          );
          onChanged();
          return r;
        }}
      />
      <ReasonDialog
        open={dialog?.kind === 'mfa'}
        title={t('adm.users.resetMfaTitle', { name: user.displayName })}
        description={t('adm.users.resetMfaHelp')}
        confirmLabel={t('adm.users.resetMfa')}
        danger
        successMessage={t('adm.users.mfaReset')}
        onClose={() => setDialog(null)}
        onConfirm={async (reason) => {
          const r = await unwrap(api.POST('/api/v1/users/{id}/mfa/reset', { ...withPath, body: { reason } }));
          onChanged();
          return r;
        }}
      />
      <ReasonDialog
        open={dialog?.kind === 'revoke'}
        title={t('adm.users.revokeTitle', { role: dialog?.kind === 'revoke' ? dialog.label : '' })}
        confirmLabel={t('adm.users.revokeRole')}
        danger
        successMessage={t('adm.users.roleRevoked')}
        onClose={() => setDialog(null)}
        onConfirm={async (reason) => {
          if (dialog?.kind !== 'revoke') return undefined;
          const r = await unwrap(
            api.POST('/api/v1/users/{id}/roles/{assignmentId}/revoke', {
              params: { path: { id: user.id, assignmentId: dialog.assignmentId } },
              body: { reason },
            }),
          );
          onChanged();
          return r;
        }}
      />
      <ScopeChangeDialog
        userId={user.id}
        assignment={moving}
        onClose={() => setMoving(null)}
        onChanged={onChanged}
      />
    </aside>
  );
}

/** Moves one role assignment to another scope (revoke + grant in one server transaction), with a reason. */
function ScopeChangeDialog({
  userId,
  assignment,
  onClose,
  onChanged,
}: {
  userId: string;
  assignment: { assignmentId: string; label: string } | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [scope, setScope] = useState<ScopeValue>({ level: 'national', code: null });
  const [reason, setReason] = useState('');
  const change = useAction(() =>
    unwrap(
      api.POST('/api/v1/users/{id}/roles/{assignmentId}/scope', {
        params: { path: { id: userId, assignmentId: assignment?.assignmentId ?? '' } },
        body: { scope, reason: reason.trim() },
      }),
    ),
  );
  const close = () => {
    setScope({ level: 'national', code: null });
    setReason('');
    change.clearError();
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await change.run()) {
      toast.show(t('adm.users.roleMoved'), 'success');
      onChanged();
      close();
    }
  };
  return (
    <Dialog
      open={assignment !== null}
      title={t('adm.users.moveTitle', { role: assignment?.label ?? '' })}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-move-role" busy={change.busy}>
            {t('adm.users.moveRole')}
          </Button>
        </>
      }
    >
      <form id="adm-move-role" className="adm-form" onSubmit={submit}>
        <p>{t('adm.users.moveHelp')}</p>
        <ScopeFields value={scope} onChange={setScope} />
        <TextArea
          label={t('adm.reason')}
          hint={t('adm.reason.hint')}
          required
          minLength={3}
          maxLength={1000}
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <ServerError error={change.error} />
      </form>
    </Dialog>
  );
}

const EMPTY_USER = { username: '', displayName: '', email: '', dui: '', password: '' };

function CreateUserDialog({
  open,
  roles,
  canAssign,
  onClose,
  onCreated,
}: {
  open: boolean;
  roles: { value: string; label: string }[];
  canAssign: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [form, setForm] = useState(EMPTY_USER);
  const [role, setRole] = useState('');
  const [scope, setScope] = useState<ScopeValue>({ level: 'national', code: null });
  const [duiError, setDuiError] = useState<string | null>(null);
  const [key, setKey] = useState(() => newKey('user'));
  const [partial, setPartial] = useState<string | null>(null);
  const create = useAction(async () => {
    const body: UserCreate = {
      username: form.username.trim(),
      displayName: form.displayName.trim(),
      password: form.password,
      ...(form.email.trim() ? { email: form.email.trim() } : {}),
      ...(form.dui.trim() ? { dui: form.dui.trim() } : {}),
    };
    const user = await unwrap(api.POST('/api/v1/users', { body, headers: { 'Idempotency-Key': key } }));
    if (role) {
      try {
        await unwrap(
          api.POST('/api/v1/users/{id}/roles', { params: { path: { id: user.id } }, body: { role, scope } }),
        );
      } catch (error) {
        setPartial(user.id);
        throw error;
      }
    }
    return user;
  });
  const fieldErrors = create.error?.fieldErrors() ?? {};

  const close = () => {
    setForm(EMPTY_USER);
    setRole('');
    setScope({ level: 'national', code: null });
    setDuiError(null);
    setPartial(null);
    create.clearError();
    setKey(newKey('user'));
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.dui.trim()) {
      const problem = duiProblem(form.dui);
      if (problem) {
        setDuiError(t(`adm.users.dui.${problem}`));
        return;
      }
    }
    setDuiError(null);
    const user = await create.run();
    if (user) {
      toast.show(t('adm.users.created', { username: user.username }), 'success');
      setForm(EMPTY_USER);
      setRole('');
      setKey(newKey('user'));
      onCreated(user.id);
    }
  };
  const set = (field: keyof typeof EMPTY_USER) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value });

  return (
    <Dialog
      open={open}
      title={t('adm.users.new')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-user" busy={create.busy}>
            {t('adm.users.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-user" className="adm-form" onSubmit={submit} noValidate={false}>
        <TextField
          label={t('adm.users.username')}
          hint={t('adm.users.username.hint')}
          required
          autoComplete="off"
          pattern="[a-z0-9][a-z0-9._\-]{2,49}"
          value={form.username}
          onChange={set('username')}
          error={fieldErrors['/username'] ?? fieldErrors.username}
        />
        <TextField
          label={t('adm.users.name')}
          required
          maxLength={120}
          value={form.displayName}
          onChange={set('displayName')}
        />
        <TextField
          label={t('adm.users.email')}
          type="email"
          maxLength={254}
          value={form.email}
          onChange={set('email')}
        />
        <TextField
          label={t('adm.users.dui')}
          hint={t('adm.users.dui.hint')}
          inputMode="numeric"
          maxLength={10}
          value={form.dui}
          onChange={set('dui')}
          error={duiError}
        />
        <TextField
          label={t('adm.users.initialPassword')}
          hint={t('adm.users.initialPassword.hint')}
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set('password')}
        />
        {canAssign ? (
          <>
            <Select
              label={t('adm.users.firstRole')}
              value={role}
              placeholder={t('adm.users.noRoleYet')}
              onChange={(e) => setRole(e.target.value)}
              options={roles}
            />
            {role ? <ScopeFields value={scope} onChange={setScope} /> : null}
          </>
        ) : null}
        {partial ? <Alert tone="warning">{t('adm.users.createdWithoutRole')}</Alert> : null}
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}
