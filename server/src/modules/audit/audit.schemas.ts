import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/nullable.js';

const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 en hexadecimal (minúsculas)' });
const Size = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const TreeHead = Type.Object({
  treeSize: Size,
  rootHash: Hash,
  signedAt: Type.String({ format: 'date-time' }),
  keyId: Type.String({ description: 'primeros 16 dígitos hex del SHA-256 de la clave pública' }),
  signature: Type.String({ description: 'firma Ed25519 en base64 de signedMessage' }),
  signedMessage: Type.String({
    description:
      'texto exacto firmado: "centinela.sth.v1\\n<treeSize>\\n<rootHash>\\n<signedAt en milisegundos Unix>\\n"',
  }),
});
export type TreeHead = Static<typeof TreeHead>;

export const SigningPublicKey = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  keyId: Type.String(),
  publicKey: Type.String({ description: 'clave pública Ed25519 de 32 bytes en base64' }),
  pem: Type.String({ description: 'la misma clave en PEM (SubjectPublicKeyInfo)' }),
});

export const TreeHeadResponse = Type.Object({
  treeHead: TreeHead,
  key: SigningPublicKey,
  /** Entries in the log now (may be ahead of the signed head until the next signing). */
  currentTreeSize: Size,
});
export type TreeHeadResponse = Static<typeof TreeHeadResponse>;

export const AuditEntry = Type.Object({
  leafIndex: Size,
  id: Type.String({ format: 'uuid' }),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    type: Type.String(),
    id: Nullable(Type.String()),
    name: Nullable(Type.String()),
  }),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  changes: Type.Unknown({
    description: 'campos cambiados { campo: { before, after } } o detalle de la acción',
  }),
  reason: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  prevHash: Hash,
  leafHash: Hash,
});
export type AuditEntry = Static<typeof AuditEntry>;

export const EntryListQuery = Type.Object(
  {
    entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    actorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'desde (incluido)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'hasta (excluido)' })),
    before: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'cursor: solo entradas con índice menor (use nextBefore de la página anterior)',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
export type EntryListQuery = Static<typeof EntryListQuery>;

export const EntryList = Type.Object({
  items: Type.Array(AuditEntry, { description: 'de la más reciente a la más antigua' }),
  nextBefore: Nullable(Size),
});
export type EntryList = Static<typeof EntryList>;

export const EntryParams = Type.Object({ leafIndex: Size }, { additionalProperties: false });
export const EntryProofQuery = Type.Object(
  {
    treeSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'tamaño del árbol para la prueba; por omisión, la última cabeza firmada',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EntryProofQuery = Static<typeof EntryProofQuery>;

export const EntryWithProof = Type.Object({
  entry: AuditEntry,
  treeSize: Size,
  rootHash: Hash,
  inclusionProof: Type.Array(Hash, { description: 'ruta de auditoría RFC 6962 (de la hoja hacia la raíz)' }),
  treeHead: Nullable(TreeHead),
});
export type EntryWithProof = Static<typeof EntryWithProof>;

export const ConsistencyQuery = Type.Object({ first: Size, second: Size }, { additionalProperties: false });
export type ConsistencyQuery = Static<typeof ConsistencyQuery>;

export const ConsistencyResponse = Type.Object({
  first: Size,
  second: Size,
  firstRootHash: Hash,
  secondRootHash: Hash,
  consistencyProof: Type.Array(Hash, { description: 'prueba de consistencia RFC 6962 (PROOF)' }),
  firstTreeHead: Nullable(TreeHead),
  secondTreeHead: Nullable(TreeHead),
});
export type ConsistencyResponse = Static<typeof ConsistencyResponse>;
