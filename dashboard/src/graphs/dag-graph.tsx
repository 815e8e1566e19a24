/** A read-only @xyflow/react graph of a DAG laid out in layers left → right. */
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { layeredLayout } from './layered-layout';

/** A node to draw. */
export interface DagNode {
  id: string;
  label: string;
  sublabel?: string;
  /** CSS class suffix: `kind-<kind>`. */
  kind: string;
  status?: string;
}

/** Draws `nodes` and `edges`; `onSelect` gets the id of a clicked node. */
export function DagGraph({ nodes, edges, onSelect, height, selected }: { nodes: DagNode[]; edges: Array<{ source: string; target: string; label?: string }>; onSelect?: (id: string) => void; height?: number; selected?: string | null }) {
  const { flowNodes, flowEdges, autoHeight } = useMemo(() => {
    const placed = layeredLayout(
      nodes.map((n) => n.id),
      edges.map((e) => [e.source, e.target]),
    );
    const flowNodes: Node[] = nodes.map((n) => ({
      id: n.id,
      position: { x: placed.get(n.id)?.x ?? 0, y: placed.get(n.id)?.y ?? 0 },
      data: {
        label: (
          <div className="dag-label" title={n.sublabel ? `${n.label}\n${n.sublabel}` : n.label}>
            <div className="dag-title">{n.label}</div>
            {n.sublabel ? <div className="dag-sub">{n.sublabel}</div> : null}
          </div>
        ),
      },
      className: `dag-node kind-${n.kind}${n.status ? ` status-${n.status}` : ''}${selected === n.id ? ' selected-node' : ''}`,
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      draggable: false,
      connectable: false,
    }));
    const flowEdges: Edge[] = edges.map((e, i) => ({
      id: `e${i}-${e.source}-${e.target}`,
      source: e.source,
      target: e.target,
      ...(e.label ? { label: e.label } : {}),
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      style: { strokeWidth: 1.2 },
    }));
    const perLayer = new Map<number, number>();
    for (const p of placed.values()) perLayer.set(p.layer, (perLayer.get(p.layer) ?? 0) + 1);
    const tallest = Math.max(1, ...perLayer.values());
    return { flowNodes, flowEdges, autoHeight: Math.min(620, Math.max(200, tallest * 64 + 90)) };
  }, [nodes, edges, selected]);

  return (
    <div className="dag" style={{ height: height ?? autoHeight }} data-testid="dag">
      <ReactFlow
        nodes={flowNodes}
        edges={flowEdges}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_e, node) => onSelect?.(node.id)}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
