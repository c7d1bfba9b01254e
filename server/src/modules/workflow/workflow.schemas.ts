import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/nullable.js';

const Outcome = Type.Union([Type.Literal('approve'), Type.Literal('return'), Type.Literal('reject')], {
  description: 'approve = aprobar; return = devolver con observaciones; reject = rechazar',
});
const CaseStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('approved'),
  Type.Literal('returned'),
  Type.Literal('rejected'),
]);
const Code = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9_.-]+$' });

export const CaseParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ChecklistAnswerSchema = Type.Object(
  {
    code: Code,
    checked: Type.Boolean(),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const DocumentSchema = Type.Object(
  {
    sha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 del archivo en hexadecimal' }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    kind: Code,
  },
  { additionalProperties: false },
);

export const ActionBody = Type.Object(
  {
    step: Code,
    outcome: Outcome,
    reason: Type.Optional(
      Type.String({ maxLength: 4000, description: 'Obligatorio al devolver o rechazar' }),
    ),
    checklist: Type.Optional(Type.Array(ChecklistAnswerSchema, { maxItems: 100 })),
    documents: Type.Optional(Type.Array(DocumentSchema, { maxItems: 50 })),
    data: Type.Optional(
      Type.Record(Type.String({ maxLength: 60 }), Type.Unknown(), {
        maxProperties: 20,
        description: 'Datos del resultado para el módulo dueño (p. ej. monto aprobado en centavos)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ActionBody = Static<typeof ActionBody>;

export const InboxQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('xlsx')], { description: 'xlsx descarga la bandeja' }),
    ),
  },
  { additionalProperties: false },
);

const Named = Type.Object({ code: Type.String(), nameEs: Type.String(), nameEn: Type.String() });

export const InboxList = Type.Object({
  items: Type.Array(
    Type.Object({
      caseId: Type.String({ format: 'uuid' }),
      title: Type.String(),
      definition: Named,
      subjectType: Type.String(),
      subjectId: Type.String(),
      step: Named,
      openedAt: Type.String({ format: 'date-time' }),
      dueAt: Nullable(Type.String({ format: 'date-time' })),
      overdue: Type.Boolean(),
    }),
  ),
});

export const CaseSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  definition: Type.Object({
    code: Type.String(),
    version: Type.Integer(),
    nameEs: Type.String(),
    nameEn: Type.String(),
  }),
  subjectType: Type.String(),
  subjectId: Type.String(),
  title: Type.String(),
  scope: Type.Object({
    department: Nullable(Type.String()),
    municipality: Nullable(Type.String()),
    unit: Nullable(Type.String()),
  }),
  status: CaseStatus,
  stage: Type.Integer(),
  openedBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  openedAt: Type.String({ format: 'date-time' }),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  excludedActors: Type.Object({ users: Type.Integer(), duis: Type.Integer() }),
  steps: Type.Array(
    Type.Object({
      code: Type.String(),
      nameEs: Type.String(),
      nameEn: Type.String(),
      stage: Type.Integer(),
      permission: Type.String(),
      status: Type.String(),
      openedAt: Nullable(Type.String({ format: 'date-time' })),
      dueAt: Nullable(Type.String({ format: 'date-time' })),
      overdue: Type.Boolean(),
      completedAt: Nullable(Type.String({ format: 'date-time' })),
      outcomes: Type.Array(Outcome),
      checklist: Type.Array(
        Type.Object({
          code: Type.String(),
          labelEs: Type.String(),
          labelEn: Type.String(),
          required: Type.Boolean(),
        }),
      ),
      requiredDocuments: Type.Array(
        Type.Object({ kind: Type.String(), labelEs: Type.String(), labelEn: Type.String() }),
      ),
    }),
  ),
  actions: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      step: Type.String(),
      outcome: Outcome,
      actor: Nullable(
        Type.Object(
          { id: Type.String(), name: Type.String() },
          { description: 'null para quien abrió el expediente' },
        ),
      ),
      reason: Nullable(Type.String()),
      checklist: Type.Array(ChecklistAnswerSchema),
      documents: Type.Array(DocumentSchema),
      data: Type.Record(Type.String(), Type.Unknown()),
      actedAt: Type.String({ format: 'date-time' }),
    }),
  ),
});

const StepDefinition = Type.Object({
  code: Type.String(),
  nameEs: Type.String(),
  nameEn: Type.String(),
  permission: Type.String(),
  checklist: Type.Array(
    Type.Object({
      code: Type.String(),
      labelEs: Type.String(),
      labelEn: Type.String(),
      required: Type.Optional(Type.Boolean()),
    }),
  ),
  requiredDocuments: Type.Array(
    Type.Object({ kind: Type.String(), labelEs: Type.String(), labelEn: Type.String() }),
  ),
  outcomes: Type.Array(Outcome),
  deadlineHours: Type.Number(),
  reminderHoursBefore: Type.Number(),
  escalationRole: Type.String(),
});

export const DefinitionList = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      version: Type.Integer(),
      nameEs: Type.String(),
      nameEn: Type.String(),
      steps: Type.Array(StepDefinition),
      stages: Type.Array(Type.Array(Type.String())),
      distinct: Type.Array(Type.Array(Type.String())),
    }),
  ),
});
