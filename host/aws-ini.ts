/**
 * Line-by-line editing of ~/.aws/credentials and ~/.aws/config. Pure: text in, text out.
 *
 * Written here rather than taken from an INI library because those parse and re-serialise the whole file, which
 * drops comments, reorders keys and flattens nested blocks (`s3 =` followed by indented keys); the AWS CLI's own
 * writer (awscli/customizations/configure/writer.py) edits line by line for the same reason. Only the lines of the
 * sections being changed are touched; every other byte (comments, blank lines, CRLF or LF endings, a byte-order
 * mark, a missing final newline) is kept.
 *
 * How lines are read, so that both readers of these files agree with us (botocore's configparser and the JS SDK's
 * @smithy/shared-ini-file-loader):
 * - a header is `[name]` once an inline `#`/`;` comment and surrounding blanks are stripped; the name is trimmed and
 *   inner runs of blanks count as one (`[profile  x]` is `profile x`);
 * - a key line is a non-indented line with `=` or `:` after at least one character; the key is what comes before
 *   the first of them, trimmed and compared case-insensitively (configparser lower-cases keys, so `AWS_ACCESS_KEY_ID`
 *   and `aws_access_key_id` are the same key to the CLI and a second one would break the file for it);
 * - an indented non-blank line after a key belongs to that key (a nested `s3 =` block, or a configparser
 *   continuation), as do blank and comment lines between them; it is kept, moved or removed with its key.
 */

/** One key of a section, as offsets into the document's text (BOM excluded). */
export interface IniKey {
  /** As written, trimmed. */
  name: string;
  /** Lower-cased, for matching. */
  lower: string;
  /** Where its first line begins. */
  start: number;
  /** Where the text after the delimiter begins; see IniDocument.valueOf. */
  valueAt: number;
  /** Where its first line's content ends (before the line ending). */
  lineEnd: number;
  /** Where the line after its last line (nested or continued ones included) begins. */
  end: number;
}

export interface IniSection {
  /** The name between the brackets, trimmed, blanks collapsed (e.g. `profile dev-env`). */
  header: string;
  /** Where the header line begins. */
  start: number;
  /** Where the line after the header line begins. */
  bodyStart: number;
  /** Where the next header line begins (or the end of the text). */
  end: number;
  /** Read on first use. */
  readonly keys: IniKey[];
}

/** Set a key (string) or remove it (undefined); or delete the whole section. */
export type SectionEdit = { set: Record<string, string | undefined> } | { delete: true };

const HEADER = /^\[(.+)\]$/;
const INLINE_COMMENT = /(^|\s)[#;].*$/;

/**
 * One file's text. Built for large files (a 5,000-profile credentials file is several MB): headers are found in one
 * pass over the `[` characters, a section's keys are read only when asked for, and an edit copies every untouched stretch of
 * the file as one slice of the original text.
 */
export class IniDocument {
  readonly bom: boolean;
  /** The ending new lines get: CRLF when the file's first line ending is CRLF. */
  readonly eol: string;
  readonly sections: IniSection[];
  /** The text without its BOM. */
  private readonly text: string;
  private readonly byHeader = new Map<string, IniSection>();

  constructor(text: string) {
    this.bom = text.startsWith('\uFEFF');
    this.text = this.bom ? text.slice(1) : text;
    const firstNl = this.text.indexOf('\n');
    this.eol = firstNl > 0 && this.text[firstNl - 1] === '\r' ? '\r\n' : '\n';
    this.sections = this.parseSections();
    for (const s of this.sections) if (!this.byHeader.has(s.header)) this.byHeader.set(s.header, s);
  }

  /** A key's value: after the delimiter, an inline comment and surrounding blanks stripped; '' for a nested block. */
  valueOf(key: IniKey): string {
    const raw = this.text.slice(key.valueAt, key.lineEnd);
    // Most values (keys, tokens) hold neither comment character: no regular expression over a 1 KB token then.
    return raw.includes('#') || raw.includes(';') ? raw.replace(INLINE_COMMENT, '').trim() : raw.trim();
  }

  /** The first section with this header. */
  section(header: string): IniSection | undefined {
    return this.byHeader.get(header);
  }

  /**
   * A section's top-level keys, lower-cased (the first occurrence of a key wins), or undefined when it is absent;
   * `only`: just these (lower-cased) keys, for a reader that needs a few of a big file's thousands of sections.
   */
  keys(header: string, only?: ReadonlySet<string>): Record<string, string> | undefined {
    const section = this.section(header);
    if (!section) return undefined;
    const out: Record<string, string> = {};
    for (const k of section.keys) if (!(k.lower in out) && (!only || only.has(k.lower))) out[k.lower] = this.valueOf(k);
    return out;
  }

  /**
   * The text with these sections edited (header -> edit), in one pass. Keys are replaced where they stand (later
   * duplicates removed), new keys go after the section's last key, missing sections are appended at the end after
   * a blank line. Sections edited more than once in the file (duplicate headers): only the first is.
   */
  edit(edits: ReadonlyMap<string, SectionEdit>): string {
    const out = new Pieces();
    let next = 0;
    const handled = new Set<string>();
    for (const section of this.sections) {
      const edit = edits.get(section.header);
      if (!edit || handled.has(section.header)) continue;
      handled.add(section.header);
      out.push(this.text.slice(next, section.start));
      next = 'delete' in edit ? this.deleteSection(section, out) : this.editSection(section, edit.set, out);
    }
    out.push(this.text.slice(next));

    const added: string[] = [];
    for (const [header, edit] of edits) {
      if (handled.has(header) || 'delete' in edit) continue;
      const lines = Object.entries(edit.set).filter((e): e is [string, string] => e[1] !== undefined);
      if (lines.length === 0) continue;
      if (added.length > 0) added.push(this.eol); // a blank line between new sections
      added.push(`[${header}]${this.eol}`, ...lines.map(([k, v]) => `${k} = ${v}${this.eol}`));
    }
    if (added.length > 0) {
      if (out.length > 0 && !out.tail().endsWith('\n')) out.push(this.eol);
      // One blank line before the new sections, unless the file already ends with one (or is empty).
      if (out.length > 0 && !endsWithBlankLine(out.tail())) out.push(this.eol);
      out.push(...added);
    }
    return this.finish(out);
  }

  /** Pushes the section's edited text up to the end of its last key; returns where the untouched rest begins. */
  private editSection(section: IniSection, set: Record<string, string | undefined>, out: Pieces): number {
    const wanted = new Map(Object.entries(set).map(([k, v]) => [k.toLowerCase(), { key: k, value: v }]));
    const done = new Set<string>();
    const lastKeyEnd = section.keys.at(-1)?.end ?? section.bodyStart;
    let at = section.start;
    for (const key of section.keys) {
      const change = wanted.get(key.lower);
      if (!change) continue;
      out.push(this.text.slice(at, key.start));
      // Replace the first occurrence where it stands, with its line ending; drop later duplicates and removed keys.
      if (change.value !== undefined && !done.has(key.lower)) out.push(`${change.key} = ${change.value}${this.lastEnding(key.end) || this.eol}`);
      done.add(key.lower);
      at = key.end;
    }
    out.push(this.text.slice(at, lastKeyEnd));
    const additions = [...wanted.values()].filter((w) => w.value !== undefined && !done.has(w.key.toLowerCase()));
    if (additions.length > 0) {
      if (out.length > 0 && !out.tail().endsWith('\n')) out.push(this.eol);
      for (const a of additions) out.push(`${a.key} = ${a.value}${this.eol}`);
    }
    return lastKeyEnd;
  }

  /** The ending of the line that ends at `end` (a line start): '\n', '\r\n', or '' at the end of a text without one. */
  private lastEnding(end: number): string {
    if (end === 0 || this.text[end - 1] !== '\n') return '';
    return this.text[end - 2] === '\r' ? '\r\n' : '\n';
  }

  /** Drops the header and keys; keeps the comments after them; drops the blank lines that separated it. */
  private deleteSection(section: IniSection, out: Pieces): number {
    let next = section.keys.at(-1)?.end ?? section.bodyStart;
    while (next < section.end) {
      const nl = this.text.indexOf('\n', next);
      const lineEnd = nl < 0 || nl >= section.end ? section.end : nl + 1;
      if (this.text.slice(next, lineEnd).trim() !== '') break;
      next = lineEnd;
    }
    if (next === this.text.length) {
      // It was the last thing in the file: the blank lines before it were only there to separate it.
      for (let tail = out.tail(); endsWithBlankLine(tail); tail = out.tail()) out.dropEnd(tail.length - lastLineStart(tail.slice(0, -1)));
    }
    return next;
  }

  /** Adds the BOM back and keeps the original's final newline (or the lack of one). */
  private finish(out: Pieces): string {
    const hadFinalNewline = this.text === '' || this.text.endsWith('\n');
    if (out.length > 0) {
      const tail = out.tail();
      if (hadFinalNewline && !tail.endsWith('\n')) out.push(this.eol);
      if (!hadFinalNewline && tail.endsWith('\n')) out.dropEnd(tail.endsWith('\r\n') ? 2 : 1);
    }
    return out.join(this.bom ? '\uFEFF' : '');
  }

  /**
   * Headers only; each section's keys are read when first asked for (a request touches a few sections of thousands).
   * Headers are found by looking at each `[` (rare outside headers): it starts a header candidate when only blanks
   * precede it on its line.
   */
  private parseSections(): IniSection[] {
    const t = this.text;
    const sections: IniSection[] = [];
    for (let at = t.indexOf('['); at >= 0; at = t.indexOf('[', at + 1)) {
      const lineStart = t.lastIndexOf('\n', at - 1) + 1;
      const nl = t.indexOf('\n', at);
      const lineEnd = nl < 0 ? t.length : nl;
      if (at > lineStart && t.slice(lineStart, at).trim() !== '') {
        at = lineEnd; // a [ inside a line: not a header, and nothing else on this line is
        continue;
      }
      const header = headerOf(t.slice(lineStart, t[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd));
      if (header !== undefined) {
        const previous = sections.at(-1);
        if (previous) previous.end = lineStart;
        sections.push(this.newSection(header, lineStart, nl < 0 ? t.length : nl + 1));
      }
      at = lineEnd;
    }
    return sections;
  }

  private newSection(header: string, start: number, bodyStart: number): IniSection {
    return new Section(this, header, start, bodyStart, this.text.length);
  }

  /** The keys of one section (no line after its header is a header, by construction). Used by Section. */
  parseKeys(section: IniSection): IniKey[] {
    const t = this.text;
    const keys: IniKey[] = [];
    let key: IniKey | undefined;
    for (let from = section.bodyStart; from < section.end; ) {
      const nl = t.indexOf('\n', from);
      const next = nl < 0 || nl >= section.end ? section.end : nl + 1;
      const to = nl < 0 || nl >= section.end ? section.end : t[nl - 1] === '\r' ? nl - 1 : nl;
      const line = t.slice(from, to);
      const trimmed = line.trim();
      if (trimmed === '' || trimmed[0] === '#' || trimmed[0] === ';') {
        from = next;
        continue; // blank or comment
      }
      if (line[0] === ' ' || line[0] === '\t') {
        // Nested or continued: belongs to the key above (and everything between them with it).
        if (key) key.end = next;
        from = next;
        continue;
      }
      // The key ends at the first = or : of the line (configparser's rule).
      const at = line.search(/[=:]/);
      const name = at > 0 ? line.slice(0, at).trim() : '';
      if (name === '') {
        key = undefined;
      } else {
        key = { name, lower: name.toLowerCase(), start: from, valueAt: from + at + 1, lineEnd: to, end: next };
        keys.push(key);
      }
      from = next;
    }
    return keys;
  }
}

/** A section whose keys are read on first use (one object per section, no closure: files hold thousands). */
class Section implements IniSection {
  private parsed: IniKey[] | undefined;
  constructor(
    private readonly doc: IniDocument,
    readonly header: string,
    readonly start: number,
    readonly bodyStart: number,
    public end: number,
  ) {}

  get keys(): IniKey[] {
    this.parsed ??= this.doc.parseKeys(this);
    return this.parsed;
  }
}

/**
 * The edited text as slices of the original and new lines, joined once at the end: a multi-MB file is copied once,
 * and the checks at its end look only at its tail.
 */
class Pieces {
  private readonly parts: string[] = [];
  length = 0;

  push(...texts: string[]): void {
    for (const t of texts) {
      if (t === '') continue;
      this.parts.push(t);
      this.length += t.length;
    }
  }

  /** The last characters (enough to hold any last line a check needs: 64 KiB). */
  tail(max = 65_536): string {
    let out = '';
    for (let i = this.parts.length - 1; i >= 0 && out.length < max; i--) out = this.parts[i]!.slice(-(max - out.length)) + out;
    return out;
  }

  dropEnd(count: number): void {
    while (count > 0 && this.parts.length > 0) {
      const last = this.parts.pop()!;
      this.length -= last.length;
      if (last.length > count) this.push(last.slice(0, last.length - count));
      count -= Math.min(count, last.length);
    }
  }

  join(prefix: string): string {
    return prefix + this.parts.join('');
  }
}

/** Whether the text's last line is blank (the text ends with a line ending preceded only by blanks on that line). */
function endsWithBlankLine(text: string): boolean {
  if (!text.endsWith('\n')) return false;
  return text.slice(lastLineStart(text.slice(0, -1)), -1).trim() === '';
}

/** Where the last line of the text begins. */
function lastLineStart(text: string): number {
  return text.lastIndexOf('\n') + 1;
}

function headerOf(line: string): string | undefined {
  // Fast path for the usual `[name]`; the regexes only for headers with comments or odd blanks.
  if (line.startsWith('[') && line.endsWith(']')) {
    const inner = line.slice(1, -1);
    if (inner !== '' && !/[#;\t]|\s\s|^\s|\s$/.test(inner)) return inner;
  }
  const m = HEADER.exec(line.replace(INLINE_COMMENT, '').trim());
  return m ? m[1]!.trim().replace(/\s+/g, ' ') || undefined : undefined;
}

/** Every section's header and top-level keys (lower-cased; first occurrence wins), in file order. */
export function readSections(text: string): Map<string, Record<string, string>> {
  const doc = new IniDocument(text);
  const out = new Map<string, Record<string, string>>();
  for (const s of doc.sections) if (!out.has(s.header)) out.set(s.header, doc.keys(s.header)!);
  return out;
}

/** Set (string) or remove (undefined) keys of one section, creating it at the end of the file when missing. */
export function setSectionKeys(text: string, header: string, keys: Record<string, string | undefined>): string {
  return new IniDocument(text).edit(new Map([[header, { set: keys }]]));
}

/** Remove a whole section (header and keys; comments after its keys stay). */
export function removeSection(text: string, header: string): string {
  return new IniDocument(text).edit(new Map([[header, { delete: true }]]));
}

/** `[name]` in the credentials file. */
export function credentialsHeader(profile: string): string {
  return profile;
}

/** `[profile name]` in the config file; `[default]` for the default profile. */
export function configHeader(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}
