/**
 * A small element tree from XML (saxes underneath), for the parts of a Word file: enough to walk
 * paragraphs, runs, tables and numbering definitions by name. Text is kept only inside the
 * elements that hold a document's text (`w:t`), so a large document.xml stays small in memory.
 */
import { SaxesParser } from "saxes";

/** An element: its qualified name ("w:p"), attributes by qualified name, children in order. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

/** Parses XML into its root element; throws on malformed XML. */
export function parseXml(xml: string, textIn: ReadonlySet<string> = new Set(["w:t"])): XmlElement {
  const parser = new SaxesParser({ xmlns: false });
  const root: XmlElement = { name: "#root", attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  parser.on("opentag", (tag) => {
    const el: XmlElement = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1]?.children.push(el);
    if (!tag.isSelfClosing) stack.push(el);
  });
  parser.on("closetag", (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  parser.on("text", (text) => {
    const top = stack[stack.length - 1];
    if (top && textIn.has(top.name)) top.children.push(text);
  });
  parser.on("error", (err) => {
    throw err;
  });
  parser.write(xml).close();
  const first = root.children.find((c): c is XmlElement => typeof c !== "string");
  if (!first) throw new Error("empty XML");
  return first;
}

/** The child elements of `el`, optionally only those named `name`. */
export function childrenOf(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  const out: XmlElement[] = [];
  for (const c of el.children)
    if (typeof c !== "string" && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** The first child element named `name`. */
export function childOf(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== "string" && c.name === name) return c;
  return undefined;
}

/** The element's text (its string children, joined). */
export function textOf(el: XmlElement): string {
  let out = "";
  for (const c of el.children) if (typeof c === "string") out += c;
  return out;
}

/** `w:val` of the child named `name` ("w:pStyle" → "Heading1"). */
export function valOf(el: XmlElement | undefined, name: string): string | undefined {
  return childOf(el, name)?.attrs["w:val"];
}

/** A Word on/off property (`<w:caps/>`, `<w:caps w:val="0"/>`): undefined when absent. */
export function flagOf(el: XmlElement | undefined, name: string): boolean | undefined {
  const c = childOf(el, name);
  if (!c) return undefined;
  const v = c.attrs["w:val"];
  return !(v === "0" || v === "false" || v === "off");
}
