/** A simple layered layout for DAGs: each node's layer is its longest path from a source, left → right. */

/** A placed node. */
export interface Placed {
  id: string;
  layer: number;
  x: number;
  y: number;
}

/** Positions `ids` in topological layers (edges `[source, target]`); cycles are broken at their back edges. */
export function layeredLayout(ids: string[], edges: Array<[string, string]>, options: { dx?: number; dy?: number } = {}): Map<string, Placed> {
  const dx = options.dx ?? 240;
  const dy = options.dy ?? 64;
  const known = new Set(ids);
  const out = new Map<string, string[]>();
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const [s, t] of edges) {
    if (!known.has(s) || !known.has(t) || s === t) continue;
    out.set(s, [...(out.get(s) ?? []), t]);
    indegree.set(t, (indegree.get(t) ?? 0) + 1);
  }
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  const done = new Set<string>();
  while (done.size < ids.length) {
    if (queue.length === 0) {
      // A cycle: release the unvisited node with the fewest remaining inputs.
      const next = ids.filter((id) => !done.has(id)).sort((a, b) => indegree.get(a)! - indegree.get(b)!)[0]!;
      indegree.set(next, 0);
      queue.push(next);
    }
    const id = queue.shift()!;
    if (done.has(id)) continue;
    done.add(id);
    for (const t of out.get(id) ?? []) {
      if (done.has(t)) continue;
      layer.set(t, Math.max(layer.get(t)!, layer.get(id)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) queue.push(t);
    }
  }
  const byLayer = new Map<number, string[]>();
  for (const id of ids) byLayer.set(layer.get(id)!, [...(byLayer.get(layer.get(id)!) ?? []), id]);
  const tallest = Math.max(...[...byLayer.values()].map((l) => l.length), 1);
  const incoming = new Map<string, string[]>();
  for (const [s, targets] of out) for (const t of targets) incoming.set(t, [...(incoming.get(t) ?? []), s]);
  const placed = new Map<string, Placed>();
  for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
    const members = byLayer.get(l)!;
    // Barycenter ordering: a node goes near the mean height of its already placed predecessors.
    const center = (id: string) => {
      const ys = (incoming.get(id) ?? []).map((p) => placed.get(p)?.y).filter((y): y is number => y !== undefined);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.POSITIVE_INFINITY;
    };
    const order = members.map((id, i) => ({ id, i, c: center(id) })).sort((a, b) => a.c - b.c || a.i - b.i);
    const offset = ((tallest - members.length) * dy) / 2;
    order.forEach(({ id }, i) => placed.set(id, { id, layer: l, x: l * dx, y: offset + i * dy }));
  }
  // An edge that skips layers at one height would run behind the nodes it passes: move those down.
  for (const [s, targets] of out) {
    for (const t of targets) {
      const a = placed.get(s)!;
      const b = placed.get(t)!;
      if (b.layer - a.layer < 2 || a.y !== b.y) continue;
      for (const p of placed.values()) {
        if (p.layer > a.layer && p.layer < b.layer && p.y >= a.y) p.y += dy;
      }
    }
  }
  return placed;
}
