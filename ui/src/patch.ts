// Replaces a drawing with a new one by changing only what differs. A chart redrawn after an
// edit keeps its axes, grid, legend and most labels; only some points, lines and numbers
// move. Changing those nodes in place, rather than swapping in a fresh tree of hundreds of
// nodes, leaves the browser little to restyle and lay out.

/** Makes `current` match `next` (a parsed, unattached tree): attributes and text are set
 * where they differ; a child list of another shape is replaced whole. */
export function patchTree(current: Element, next: Element): void {
  for (const { name, value } of Array.from(next.attributes)) {
    if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  for (const { name } of Array.from(current.attributes)) {
    if (!next.hasAttribute(name)) current.removeAttribute(name);
  }
  const a = current.childNodes;
  const b = next.childNodes;
  const sameShape = a.length === b.length && Array.from(a).every((n, i) => n.nodeType === b[i].nodeType && n.nodeName === b[i].nodeName);
  if (!sameShape) {
    current.replaceChildren(...Array.from(b));
    return;
  }
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.nodeType === Node.ELEMENT_NODE) patchTree(x as Element, y as Element);
    else if (x.nodeValue !== y.nodeValue) x.nodeValue = y.nodeValue;
  }
}

/** Shows the SVG text in `host`, changing what is there in place when it is an SVG too. */
export function showSvg(host: Element, svg: string): void {
  const template = document.createElement("template");
  // Parsed into an inert fragment: nothing is styled or laid out until it is placed.
  template.innerHTML = svg;
  const next = template.content.firstElementChild;
  const current = host.firstElementChild;
  if (next && current && current.nodeName === next.nodeName && host.childNodes.length === 1) patchTree(current, next);
  else host.replaceChildren(...Array.from(template.content.childNodes));
}
