// Command IDs the server puts into code lenses and code actions and the client registers.

/** Applies a layout: ({uri, heap, pools, size?}); registered by the optimiser's client side. */
export const APPLY_LAYOUT_COMMAND = 'droneHeap.applyLayout';
/** Opens (or reveals) the heap view; arguments (uri?: string, heap?: string). */
export const OPEN_HEAP_VIEW_COMMAND = 'droneHeap.openHeapView';
/** Proposes a layout for (uri?, heap?) and previews it before applying. */
export const OPTIMIZE_LAYOUT_COMMAND = 'droneHeap.optimizeLayout';
