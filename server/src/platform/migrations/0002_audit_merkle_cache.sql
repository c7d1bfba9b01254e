-- Cache of perfect Merkle subtree hashes of audit_log (each covers 2^level leaves starting at
-- idx * 2^level). Derived data, never authoritative: it only makes proofs and tree heads O(log n)
-- instead of O(n). `npm run audit:verify` ignores it and recomputes everything from the rows.
CREATE TABLE audit_merkle_node (
  level  smallint NOT NULL CHECK (level >= 0 AND level < 63),
  idx    bigint NOT NULL CHECK (idx >= 0),
  hash   text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (level, idx)
);
