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

const decoder = document.createElement("template");

/** The text a line of markup stands for (`&amp;` is `&`). */
function decoded(line: string): string {
  if (!line.includes("&")) return line;
  decoder.innerHTML = line;
  return decoder.content.textContent ?? line;
}

/** What each line of an SVG's text is on screen: the element it opens or is, or the text
 * node it is, or nothing (a closing tag). Empty when the text is not one node per line, as
 * the charts' SVG is. */
function mapLines(host: Element, lines: string[]): (Element | Text | null)[] {
  const walker = document.createTreeWalker(host, NodeFilter.SHOW_ELEMENT);
  const open: Element[] = [];
  const out: (Element | Text | null)[] = [];
  for (const line of lines) {
    if (line.trim() === "" || line.startsWith("</")) {
      if (line.startsWith("</")) open.pop();
      out.push(null);
    } else if (line.startsWith("<")) {
      const node = walker.nextNode() as Element | null;
      const tag = /^<([A-Za-z][\w:-]*)/.exec(line)?.[1];
      if (!node || node.tagName !== tag) return [];
      // A line that opens an element without closing it holds the next lines.
      if (!line.endsWith("/>") && !line.includes("</")) open.push(node);
      else if (node.firstElementChild) return [];
      out.push(node);
    } else {
      const text = open[open.length - 1]?.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE || text.nodeValue !== `\n${decoded(line)}\n`) return [];
      out.push(text as Text);
    }
  }
  return walker.nextNode() ? [] : out;
}

/** A chart on screen that follows new SVG text of the same drawing by changing only the
 * lines that changed: no parse of the whole text, no walk over every node. Anything else
 * is drawn through `showSvg`. */
export class SvgView {
  /** How often a drawing was changed line by line, and how often drawn through `showSvg`. */
  static counts = { lines: 0, whole: 0 };
  private lines: string[] = [];
  private nodes: (Element | Text | null)[] = [];

  constructor(private readonly host: Element) {}

  show(svg: string): void {
    const next = svg.split("\n");
    if (this.nodes.length === next.length && this.host.contains(this.nodes.find((n) => n !== null) ?? null)) {
      let ok = true;
      for (let i = 0; i < next.length && ok; i++) if (next[i] !== this.lines[i]) ok = this.patchLine(i, next[i]);
      if (ok) {
        this.lines = next;
        SvgView.counts.lines += 1;
        return;
      }
    }
    SvgView.counts.whole += 1;
    showSvg(this.host, svg);
    this.lines = next;
    this.nodes = mapLines(this.host, next);
  }

  private patchLine(i: number, line: string): boolean {
    const node = this.nodes[i];
    const before = this.lines[i];
    if (node === null) return line === before;
    if (node.nodeType === Node.TEXT_NODE) {
      if (line.startsWith("<")) return false;
      node.nodeValue = `\n${decoded(line)}\n`;
      return true;
    }
    const tag = /^<([A-Za-z][\w:-]*)/.exec(line)?.[1];
    if (tag !== (node as Element).tagName || line.endsWith("/>") !== before.endsWith("/>") || line.includes("</") !== before.includes("</")) return false;
    // The line alone, read as SVG, gives the element's new attributes (and text).
    decoder.innerHTML = `<svg xmlns="http://www.w3.org/2000/svg">${line}</svg>`;
    const parsed = decoder.content.firstElementChild?.firstElementChild;
    if (!parsed || parsed.tagName !== tag) return false;
    const el = node as Element;
    for (const { name, value } of Array.from(parsed.attributes)) if (el.getAttribute(name) !== value) el.setAttribute(name, value);
    for (const { name } of Array.from(el.attributes)) if (!parsed.hasAttribute(name)) el.removeAttribute(name);
    if (line.includes("</") && el.textContent !== parsed.textContent) el.textContent = parsed.textContent;
    return true;
  }
}

/** Whether the drawing in `host` is the one `svg` describes, node for node. */
export function drawnAs(host: Element, svg: string): boolean {
  const fresh = document.createElement("div");
  fresh.innerHTML = svg;
  return host.childNodes.length === fresh.childNodes.length && Array.from(fresh.childNodes).every((n, i) => n.isEqualNode(host.childNodes[i]));
}
