import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/nullable.js';

export const NotificationStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);

export const NotificationListQuery = Type.Object(
  {
    status: Type.Optional(NotificationStatusSchema),
    entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type NotificationListQuery = Static<typeof NotificationListQuery>;

export const NotificationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  channel: Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('whatsapp')]),
  recipient: Type.String({ description: 'Enmascarado' }),
  template: Type.String(),
  locale: Type.Union([Type.Literal('es'), Type.Literal('en')]),
  status: NotificationStatusSchema,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastError: Nullable(Type.String()),
  transport: Nullable(Type.String()),
  providerMessageId: Nullable(Type.String()),
  entityType: Nullable(Type.String()),
  entityId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
});

export const NotificationList = Type.Object({ items: Type.Array(NotificationSchema), total: Type.Integer() });
