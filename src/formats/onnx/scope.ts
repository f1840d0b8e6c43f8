/**
 * @module
 * Layer names from ONNX node names. PyTorch's exporter names a node by the modules it ran in:
 * '/layer1/layer1.0/conv1/Conv' is the Conv of module layer1.0.conv1, where each scope segment is the child's
 * name as its parent prints it ('layer1.0' inside 'layer1'). nncalc rebuilds the module path from the segments
 * so layers line up with torchvision's module names. A node that is the only layer of a module that has no
 * submodules takes the module's name ('features.0'); any other node is named inside its module
 * ('layer1.0.Add', 'encoder.layers.encoder_layer_0.self_attention.MatMul_1'). Other exporters' names
 * ('model/conv2d/Conv2D', 'Conv_12') read the same way.
 */

/** The module path of a node and its own name within it. */
export interface Scoped {
  readonly path: readonly string[];
  readonly local: string;
}

/** Splits a node name into its module path and local name; `fallback` names a node that has none. */
export function scopeOf(name: string, fallback: string): Scoped {
  const cut = name.lastIndexOf('/');
  const local = name.slice(cut + 1);
  // A trailing '/' leaves no local name: the last segment before it is the local one, as split() would give.
  if (!local && cut >= 0) {
    const parts = name.split('/').filter((p) => p.length > 0);
    return { path: pathOf(parts.slice(0, -1)), local: parts.at(-1) || fallback };
  }
  return { path: cut < 0 ? [] : pathOf(name.slice(0, cut).split('/')), local: local || fallback };
}

/** The module path of a node's scope segments: 'layer1.0' inside 'layer1' is the child '0' of layer1, not a module named 'layer1.0'. */
function pathOf(parts: readonly string[]): string[] {
  const path: string[] = [];
  let last = '';
  for (const seg of parts) {
    if (!seg) continue;
    const child = last && seg.length > last.length && seg.charCodeAt(last.length) === 46 && seg.startsWith(last) ? seg.slice(last.length + 1) : seg;
    if (child.includes('.')) {
      for (const p of child.split('.')) if (p) path.push(p);
    } else if (child) path.push(child);
    last = seg;
  }
  // Copied to its length: a layer keeps its path, and a pushed-to array holds room for 17.
  return path.slice();
}

/**
 * Final layer ids for layers in order, each with its module path and local name: a module's only layer takes
 * the module's name unless the module has submodules; every other layer is named inside it. Ids stay unique
 * (a repeat gets '#2', as a module called twice does elsewhere in nncalc) and never equal a `taken` name.
 */
export function layerIds(layers: readonly Scoped[], taken: ReadonlySet<string>): string[] {
  const perPath = new Map<string, number>();
  const containers = new Set<string>();
  const keys = layers.map((l) => l.path.join('.'));
  for (const key of keys) {
    perPath.set(key, (perPath.get(key) ?? 0) + 1);
    // Every proper prefix of the path is a module with submodules: 'layers', 'layers.0' for 'layers.0.conv1'.
    for (let at = key.lastIndexOf('.'); at > 0; at = key.lastIndexOf('.', at - 1)) {
      const prefix = key.slice(0, at);
      if (containers.has(prefix)) break;
      containers.add(prefix);
    }
  }
  const used = new Set<string>(taken);
  return layers.map((l, i) => {
    const key = keys[i]!;
    const base = key && perPath.get(key) === 1 && !containers.has(key) ? key : key ? `${key}.${l.local}` : l.local;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}#${n}`;
    used.add(id);
    return id;
  });
}
