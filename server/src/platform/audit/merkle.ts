import { EMPTY_ROOT, nodeHash } from './hashing.js';

/**
 * RFC 6962 §2.1 Merkle tree over leaf hashes: tree hash (MTH), inclusion proofs (PATH),
 * consistency proofs (PROOF), and the verifiers of RFC 9162 §2.1.3.2 and §2.1.4.2.
 *
 * Every subtree the RFC recursion visits is either a perfect subtree (2^level leaves starting at a
 * multiple of 2^level) or the right edge of the tree, which splits into perfect subtrees. So the
 * proof builders only ask a `SubtreeSource` for perfect subtree hashes, which lets a caller serve
 * them from a cache instead of rehashing every leaf.
 */

/** Hash of the perfect subtree holding leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf hash. */
export type SubtreeSource = (level: number, index: number) => Buffer;

export const HASH_SIZE = 32;

/** The largest power of two strictly smaller than n (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`splitPoint: n debe ser ≥ 2 (recibido ${n})`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function log2(powerOfTwo: number): number {
  let level = 0;
  for (let k = 1; k < powerOfTwo; k *= 2) level += 1;
  return level;
}

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} inválido: ${value}`);
}

/** MTH(D[start:end]) for a range the RFC recursion can reach (start aligned to the range's size). */
export function rangeHash(source: SubtreeSource, start: number, end: number): Buffer {
  const n = end - start;
  if (n <= 0) throw new RangeError(`rango vacío [${start}, ${end})`);
  if (isPowerOfTwo(n)) {
    const level = log2(n);
    return source(level, start / n);
  }
  const k = splitPoint(n);
  return nodeHash(rangeHash(source, start, start + k), rangeHash(source, start + k, end));
}

/** MTH of the first `size` leaves; SHA-256("") for the empty tree. */
export function rootFrom(source: SubtreeSource, size: number): Buffer {
  checkSize('tamaño del árbol', size);
  return size === 0 ? EMPTY_ROOT : rangeHash(source, 0, size);
}

/** PATH(index, D[0:size]): the audit path of one leaf. */
export function inclusionProofFrom(source: SubtreeSource, index: number, size: number): Buffer[] {
  checkSize('tamaño del árbol', size);
  checkSize('índice de hoja', index);
  if (index >= size) throw new RangeError(`la hoja ${index} no está en un árbol de tamaño ${size}`);
  const path = (m: number, start: number, end: number): Buffer[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    if (m - start < k) return [...path(m, start, start + k), rangeHash(source, start + k, end)];
    return [...path(m, start + k, end), rangeHash(source, start, start + k)];
  };
  return path(index, 0, size);
}

/** PROOF(first, D[0:second]): proves the tree of size `first` is a prefix of the tree of size `second`. */
export function consistencyProofFrom(source: SubtreeSource, first: number, second: number): Buffer[] {
  checkSize('tamaño inicial', first);
  checkSize('tamaño final', second);
  if (first > second) throw new RangeError(`tamaño inicial ${first} mayor que el final ${second}`);
  if (first === 0 || first === second) return [];
  const subproof = (m: number, start: number, end: number, whole: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [rangeHash(source, start, end)];
    const k = splitPoint(n);
    if (m <= k) return [...subproof(m, start, start + k, whole), rangeHash(source, start + k, end)];
    return [...subproof(m - k, start + k, end, false), rangeHash(source, start, start + k)];
  };
  return subproof(first, 0, second, true);
}

/** A SubtreeSource over leaf hashes held in memory, memoising interior nodes. */
export function memorySource(leaves: readonly Buffer[]): SubtreeSource {
  const memo = new Map<string, Buffer>();
  const get: SubtreeSource = (level, index) => {
    if (level === 0) {
      const leaf = leaves[index];
      if (!leaf) throw new RangeError(`no existe la hoja ${index}`);
      return leaf;
    }
    const key = `${level}:${index}`;
    let hash = memo.get(key);
    if (!hash) {
      hash = nodeHash(get(level - 1, 2 * index), get(level - 1, 2 * index + 1));
      memo.set(key, hash);
    }
    return hash;
  };
  return get;
}

export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  return rootFrom(memorySource(leaves), leaves.length);
}

export function inclusionProof(leaves: readonly Buffer[], index: number, size = leaves.length): Buffer[] {
  if (size > leaves.length) throw new RangeError(`tamaño ${size} mayor que ${leaves.length} hojas`);
  return inclusionProofFrom(memorySource(leaves), index, size);
}

export function consistencyProof(leaves: readonly Buffer[], first: number, second = leaves.length): Buffer[] {
  if (second > leaves.length) throw new RangeError(`tamaño ${second} mayor que ${leaves.length} hojas`);
  return consistencyProofFrom(memorySource(leaves), first, second);
}

/**
 * Runs `build` against a source that only records which perfect subtrees it asks for. The shape of
 * a proof does not depend on hash values, so this tells a caller exactly what to load before
 * building the real proof.
 */
export function neededSubtrees(
  build: (source: SubtreeSource) => unknown,
): { level: number; index: number }[] {
  const seen = new Map<string, { level: number; index: number }>();
  const placeholder = Buffer.alloc(HASH_SIZE);
  build((level, index) => {
    seen.set(`${level}:${index}`, { level, index });
    return placeholder;
  });
  return [...seen.values()];
}

/**
 * The perfect subtrees that make up a growing tree (the "compact range" of its prefix): appending a
 * leaf merges equal-sized neighbours like a binary counter. Gives the root of every prefix size in
 * O(log n) and reports each perfect subtree the moment it is complete.
 */
export class CompactRange {
  /** Perfect subtrees from the left, strictly decreasing in level. */
  private readonly nodes: { level: number; index: number; hash: Buffer }[] = [];
  private count = 0;

  /** Resumes at `size` from the perfect subtrees of that prefix (as given by `prefixSubtrees`). */
  static resume(size: number, subtrees: readonly Buffer[]): CompactRange {
    const range = new CompactRange();
    const shape = prefixSubtrees(size);
    if (shape.length !== subtrees.length)
      throw new RangeError(`se esperaban ${shape.length} subárboles para el tamaño ${size}`);
    shape.forEach((s, i) => {
      range.nodes.push({ ...s, hash: subtrees[i]! });
    });
    range.count = size;
    return range;
  }

  get size(): number {
    return this.count;
  }

  append(leaf: Buffer, onComplete?: (level: number, index: number, hash: Buffer) => void): void {
    let node = { level: 0, index: this.count, hash: leaf };
    this.count += 1;
    onComplete?.(0, node.index, leaf);
    for (let top = this.nodes.at(-1); top && top.level === node.level; top = this.nodes.at(-1)) {
      this.nodes.pop();
      node = { level: node.level + 1, index: top.index / 2, hash: nodeHash(top.hash, node.hash) };
      onComplete?.(node.level, node.index, node.hash);
    }
    this.nodes.push(node);
  }

  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let hash = this.nodes.at(-1)!.hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) hash = nodeHash(this.nodes[i]!.hash, hash);
    return hash;
  }
}

/** The perfect subtrees (level, index) that cover leaves [0, size), left to right. */
export function prefixSubtrees(size: number): { level: number; index: number }[] {
  checkSize('tamaño del árbol', size);
  const out: { level: number; index: number }[] = [];
  let start = 0;
  let remaining = size;
  while (remaining > 0) {
    let width = 1;
    while (width * 2 <= remaining) width *= 2;
    out.push({ level: log2(width), index: start / width });
    start += width;
    remaining -= width;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Verifiers (RFC 9162 §2.1.3.2 and §2.1.4.2). They never throw on bad input: they answer false.

function validHash(h: unknown): h is Buffer {
  return Buffer.isBuffer(h) && h.length === HASH_SIZE;
}

function validCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** Recomputes the root from a leaf hash and its audit path; null when the path cannot be right. */
export function rootFromInclusionProof(
  leafHash: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
): Buffer | null {
  if (!validCount(index) || !validCount(size) || index >= size) return null;
  if (!validHash(leafHash) || !proof.every(validHash)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  leafHash: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!validHash(root)) return false;
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  return computed?.equals(root) === true;
}

export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!validCount(first) || !validCount(second) || first > second) return false;
  if (!validHash(firstRoot) || !validHash(secondRoot) || !proof.every(validHash)) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
