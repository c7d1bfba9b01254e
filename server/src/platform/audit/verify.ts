import type { Db } from '../db/database.js';
import { type AuditLeafFields, auditLeafHash, GENESIS_PREV_HASH } from './hashing.js';
import { CompactRange } from './merkle.js';
import { type AuditVerifyingKey, verifyTreeHeadSignature } from './signing.js';
import { type SignedTreeHead, treeHeadFromRow } from './tree-head.js';
import type { AuditLogTable } from './types.js';

/**
 * Full verification of the audit log from its rows: every leaf hash is recomputed from the entry's
 * fields, leaf indexes must run 0, 1, 2… without gaps, each prev_hash must name the leaf hash of the
 * entry before it, and every signed tree head must carry the root recomputed from the entries and a
 * valid signature by the configured key. Nothing is taken from the subtree cache.
 */

export type AuditProblemKind =
  | 'entry_missing'
  | 'leaf_hash_mismatch'
  | 'chain_broken'
  | 'tree_head_root_mismatch'
  | 'tree_head_beyond_log'
  | 'tree_head_unknown_key'
  | 'tree_head_signature_invalid';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The entry concerned (for a missing entry: its expected index). */
  leafIndex: number | null;
  entryId: string | null;
  /** For tree head problems: the size of the head. */
  treeSize: number | null;
  /** Spanish explanation for the report. */
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  treeHeads: number;
  /** Root of the whole log recomputed from the rows (hex). */
  rootHash: string;
  latestTreeHead: SignedTreeHead | null;
  problems: AuditProblem[];
  /** Problems beyond `maxProblems` are counted here, not listed. */
  problemsOmitted: number;
}

export interface VerifyOptions {
  key: Pick<AuditVerifyingKey, 'keyId' | 'publicKey'>;
  batchSize?: number;
  maxProblems?: number;
}

type AuditRow = {
  [K in keyof AuditLogTable]: K extends 'occurred_at'
    ? Date
    : K extends 'changes'
      ? unknown
      : AuditLogTable[K];
};

/** The hashed fields of a stored row, exactly as append.ts hashed them. */
export function leafFieldsOfRow(row: AuditRow): AuditLeafFields {
  return {
    leafIndex: Number(row.leaf_index),
    id: row.id,
    occurredAt: new Date(row.occurred_at),
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    changes: typeof row.changes === 'string' ? JSON.parse(row.changes) : (row.changes ?? null),
    reason: row.reason,
    requestId: row.request_id,
    ip: row.ip,
    prevHash: row.prev_hash,
  };
}

const short = (hash: string) => `${hash.slice(0, 16)}…`;

export async function verifyAuditLog(db: Db, options: VerifyOptions): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 2000;
  const maxProblems = options.maxProblems ?? 50;
  const problems: AuditProblem[] = [];
  let omitted = 0;
  const report = (p: AuditProblem) => {
    if (problems.length < maxProblems) problems.push(p);
    else omitted += 1;
  };

  const heads = (await db.selectFrom('audit_tree_head').selectAll().orderBy('tree_size').execute()).map(
    treeHeadFromRow,
  );
  let nextHead = 0;
  const range = new CompactRange();
  const checkHeadsAt = (size: number) => {
    while (nextHead < heads.length && heads[nextHead]!.treeSize === size) {
      checkHead(heads[nextHead]!, range.root().toString('hex'));
      nextHead += 1;
    }
  };
  const checkHead = (head: SignedTreeHead, recomputedRoot: string) => {
    const where = { leafIndex: null, entryId: null, treeSize: head.treeSize };
    if (head.rootHash !== recomputedRoot) {
      report({
        kind: 'tree_head_root_mismatch',
        ...where,
        message:
          `La cabeza firmada de tamaño ${head.treeSize} (${head.signedAt.toISOString()}) declara la raíz ` +
          `${short(head.rootHash)}, pero las entradas 0..${head.treeSize - 1} dan ${short(recomputedRoot)}.`,
      });
    }
    if (head.keyId !== options.key.keyId) {
      report({
        kind: 'tree_head_unknown_key',
        ...where,
        message:
          `La cabeza firmada de tamaño ${head.treeSize} dice estar firmada con la clave ${head.keyId}, ` +
          `que no es la clave configurada (${options.key.keyId}).`,
      });
    } else if (!verifyTreeHeadSignature(options.key, head, head.signature)) {
      report({
        kind: 'tree_head_signature_invalid',
        ...where,
        message: `La firma de la cabeza de tamaño ${head.treeSize} (${head.signedAt.toISOString()}) no es válida.`,
      });
    }
  };

  checkHeadsAt(0);
  let expectedIndex = 0;
  let previousHash = GENESIS_PREV_HASH;
  let previous: { leafIndex: number; id: string } | null = null;
  let after = -1;
  for (;;) {
    const rows = (await db
      .selectFrom('audit_log')
      .selectAll()
      .where('leaf_index', '>', after)
      .orderBy('leaf_index')
      .limit(batchSize)
      .execute()) as AuditRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const fields = leafFieldsOfRow(row);
      const at = { leafIndex: fields.leafIndex, entryId: fields.id, treeSize: null };
      if (fields.leafIndex !== expectedIndex) {
        const gap =
          fields.leafIndex - expectedIndex === 1
            ? `falta la entrada ${expectedIndex}`
            : `faltan las entradas ${expectedIndex}..${fields.leafIndex - 1}`;
        report({
          kind: 'entry_missing',
          ...at,
          message: `Entrada ${fields.leafIndex} (id ${fields.id}): ${gap}; el índice de hojas debe ser contiguo desde 0.`,
        });
        // Keep checking the rest as if the gap did not exist, so later problems are still reported.
        expectedIndex = fields.leafIndex;
      }
      const recomputed = auditLeafHash(fields);
      if (recomputed !== row.leaf_hash) {
        report({
          kind: 'leaf_hash_mismatch',
          ...at,
          message:
            `Entrada ${fields.leafIndex} (id ${fields.id}): su contenido no coincide con su hash de hoja ` +
            `(guardado ${short(row.leaf_hash)}, recalculado ${short(recomputed)}); la entrada fue alterada.`,
        });
      }
      if (fields.prevHash !== previousHash) {
        report({
          kind: 'chain_broken',
          ...at,
          message: previous
            ? `Entrada ${fields.leafIndex} (id ${fields.id}): su hash anterior (${short(fields.prevHash)}) no es el ` +
              `hash de la entrada ${previous.leafIndex} (id ${previous.id}, ${short(previousHash)}); la cadena está rota: ` +
              `una de las dos entradas fue alterada, reemplazada o movida.`
            : `Entrada ${fields.leafIndex} (id ${fields.id}): la primera entrada debe encadenarse al hash inicial de ceros.`,
        });
      }
      previousHash = recomputed;
      previous = { leafIndex: fields.leafIndex, id: fields.id };
      range.append(Buffer.from(recomputed, 'hex'));
      expectedIndex += 1;
      checkHeadsAt(range.size);
      after = fields.leafIndex;
    }
  }
  for (; nextHead < heads.length; nextHead++) {
    const head = heads[nextHead]!;
    report({
      kind: 'tree_head_beyond_log',
      leafIndex: range.size,
      entryId: null,
      treeSize: head.treeSize,
      message:
        `La cabeza firmada de tamaño ${head.treeSize} cubre entradas que ya no existen: el registro tiene ` +
        `${range.size} entradas, falta al menos la entrada ${range.size}.`,
    });
  }
  return {
    ok: problems.length === 0,
    entries: range.size,
    treeHeads: heads.length,
    rootHash: range.root().toString('hex'),
    latestTreeHead: heads.at(-1) ?? null,
    problems,
    problemsOmitted: omitted,
  };
}

/** The Spanish report printed by `npm run audit:verify`. */
export function formatVerification(v: AuditVerification, key: Pick<AuditVerifyingKey, 'keyId'>): string {
  const lines = [
    'Verificación del registro de auditoría de Centinela',
    `  Entradas: ${v.entries}`,
    `  Raíz recalculada: ${v.rootHash}`,
    `  Cabezas firmadas: ${v.treeHeads}` +
      (v.latestTreeHead
        ? ` (la última: tamaño ${v.latestTreeHead.treeSize}, ${v.latestTreeHead.signedAt.toISOString()})`
        : ''),
    `  Clave de firma: ${key.keyId}`,
    '',
  ];
  if (v.ok) {
    lines.push(
      'RESULTADO: correcto. Cada hash de hoja, la cadena de hashes y la firma y la raíz de cada cabeza firmada coinciden.',
    );
    return lines.join('\n');
  }
  const first = v.problems[0]!;
  const total = v.problems.length + v.problemsOmitted;
  lines.push(`RESULTADO: el registro NO es íntegro (${total} problema${total === 1 ? '' : 's'}).`);
  if (first.entryId) {
    lines.push(`Primera entrada que no coincide: índice ${first.leafIndex}, id ${first.entryId}.`);
  } else if (first.kind === 'tree_head_beyond_log') {
    lines.push(`Primera entrada que no coincide: índice ${first.leafIndex} (ya no existe en la tabla).`);
  } else {
    lines.push(`Primera cabeza firmada que no coincide: tamaño ${first.treeSize}.`);
  }
  lines.push('', 'Problemas:');
  for (const p of v.problems) lines.push(`  - ${p.message}`);
  if (v.problemsOmitted > 0) lines.push(`  … y ${v.problemsOmitted} más.`);
  return lines.join('\n');
}
