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

/** One key of a section: its lines are `[start, end)`. */
export interface IniKey {
  /** As written, trimmed. */
  name: string;
  /** Lower-cased, for matching. */
  lower: string;
  /** After the delimiter, an inline comment and surrounding blanks stripped; '' for a nested block. */
  value: string;
  start: number;
  end: number;
}

export interface IniSection {
  /** The name between the brackets, trimmed, blanks collapsed (e.g. `profile dev-env`). */
  header: string;
  /** Index of the header line. */
  start: number;
  /** Index of the first line after the section (the next header, or the end). */
  end: number;
  keys: IniKey[];
}

/** Set a key (string) or remove it (undefined); or delete the whole section. */
export type SectionEdit = { set: Record<string, string | undefined> } | { delete: true };

const HEADER = /^\[(.+)\]$/;
const INLINE_COMMENT = /(^|\s)[#;].*$/;

export class IniDocument {
  /** Line contents without their endings (the BOM, if any, is not part of line 0). */
  readonly lines: string[];
  /** Each line's ending: '\n', '\r\n', or '' for a last line without one. */
  readonly endings: string[];
  readonly bom: boolean;
  /** The ending new lines get: CRLF when the file's first line ending is CRLF. */
  readonly eol: string;
  readonly sections: IniSection[];
  private readonly byHeader = new Map<string, IniSection>();

  constructor(text: string) {
    this.bom = text.startsWith('\uFEFF');
    const body = this.bom ? text.slice(1) : text;
    this.lines = [];
    this.endings = [];
    const re = /([^\n]*?)(\r?\n|$)/g;
    for (let m = re.exec(body); m && m.index < body.length; m = re.exec(body)) {
      this.lines.push(m[1]!);
      this.endings.push(m[2]!);
    }
    const first = this.endings.find((e) => e !== '');
    this.eol = first ?? '\n';
    this.sections = parseSections(this.lines);
    for (const s of this.sections) if (!this.byHeader.has(s.header)) this.byHeader.set(s.header, s);
  }

  /** The first section with this header. */
  section(header: string): IniSection | undefined {
    return this.byHeader.get(header);
  }

  /** A section's top-level keys, lower-cased (the first occurrence of a key wins), or undefined when it is absent. */
  keys(header: string): Record<string, string> | undefined {
    const section = this.section(header);
    if (!section) return undefined;
    const out: Record<string, string> = {};
    for (const k of section.keys) if (!(k.lower in out)) out[k.lower] = k.value;
    return out;
  }

  /**
   * The text with these sections edited (header -> edit), in one pass. Keys are replaced where they stand (later
   * duplicates removed), new keys go after the section's last key, missing sections are appended at the end after
   * a blank line. Sections edited more than once in the file (duplicate headers): only the first is.
   */
  edit(edits: ReadonlyMap<string, SectionEdit>): string {
    const out: string[] = [];
    const push = (line: string, ending: string) => out.push(line + ending);
    let next = 0;
    const handled = new Set<string>();
    for (const section of this.sections) {
      const edit = edits.get(section.header);
      if (!edit || handled.has(section.header)) continue;
      handled.add(section.header);
      for (; next < section.start; next++) push(this.lines[next]!, this.endings[next]!);
      if ('delete' in edit) {
        next = this.deleteSection(section, out);
        continue;
      }
      next = this.editSection(section, edit.set, out);
    }
    for (; next < this.lines.length; next++) push(this.lines[next]!, this.endings[next]!);

    const added: string[] = [];
    for (const [header, edit] of edits) {
      if (handled.has(header) || 'delete' in edit) continue;
      const lines = Object.entries(edit.set).filter((e): e is [string, string] => e[1] !== undefined);
      if (lines.length === 0) continue;
      if (out.length + added.length > 0 && (added.length > 0 || !isBlankLine(out.at(-1)!))) added.push(this.eol);
      added.push(`[${header}]${this.eol}`, ...lines.map(([k, v]) => `${k} = ${v}${this.eol}`));
    }
    if (added.length > 0 && out.length > 0 && !/\n$/.test(out.at(-1)!)) out[out.length - 1] += this.eol;
    out.push(...added);
    return this.finish(out);
  }

  private editSection(section: IniSection, set: Record<string, string | undefined>, out: string[]): number {
    const wanted = new Map(Object.entries(set).map(([k, v]) => [k.toLowerCase(), { key: k, value: v }]));
    const done = new Set<string>();
    const lastKeyEnd = section.keys.at(-1)?.end ?? section.start + 1;
    let i = section.start;
    for (const key of section.keys) {
      for (; i < key.start; i++) out.push(this.lines[i]! + this.endings[i]!);
      const change = wanted.get(key.lower);
      if (!change) {
        for (; i < key.end; i++) out.push(this.lines[i]! + this.endings[i]!);
        continue;
      }
      // Replace the first occurrence where it stands; drop later duplicates and removed keys.
      if (change.value !== undefined && !done.has(key.lower)) out.push(`${change.key} = ${change.value}${this.endings[key.end - 1] || this.eol}`);
      done.add(key.lower);
      i = key.end;
    }
    for (; i < lastKeyEnd; i++) out.push(this.lines[i]! + this.endings[i]!);
    const additions = [...wanted.values()].filter((w) => w.value !== undefined && !done.has(w.key.toLowerCase()));
    if (additions.length > 0) {
      if (out.length > 0 && !/\n$/.test(out.at(-1)!)) out[out.length - 1] += this.eol;
      for (const a of additions) out.push(`${a.key} = ${a.value}${this.eol}`);
    }
    return lastKeyEnd;
  }

  /** Drop the header and keys; keep the comments after them; drop the blank lines that separated it. */
  private deleteSection(section: IniSection, out: string[]): number {
    let next = section.keys.at(-1)?.end ?? section.start + 1;
    while (next < section.end && isBlank(this.lines[next]!)) next++;
    if (next === this.lines.length) {
      // It was the last thing in the file: the blank lines before it were only there to separate it.
      while (out.length > 0 && isBlankLine(out.at(-1)!)) out.pop();
    }
    return next;
  }

  /** Joins the lines, keeping the original's BOM and its final newline (or the lack of one). */
  private finish(out: string[]): string {
    const hadFinalNewline = this.endings.length === 0 || this.endings.at(-1) !== '';
    if (out.length > 0) {
      const last = out.length - 1;
      if (hadFinalNewline && !/\n$/.test(out[last]!)) out[last] += this.eol;
      if (!hadFinalNewline) out[last] = out[last]!.replace(/\r?\n$/, '');
    }
    return (this.bom ? '\uFEFF' : '') + out.join('');
  }
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function isBlankLine(lineWithEnding: string): boolean {
  return lineWithEnding.trim() === '';
}

function headerOf(line: string): string | undefined {
  const m = HEADER.exec(line.replace(INLINE_COMMENT, '').trim());
  return m ? m[1]!.trim().replace(/\s+/g, ' ') || undefined : undefined;
}

function parseSections(lines: string[]): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  let key: IniKey | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = headerOf(line);
    if (header !== undefined) {
      if (current) current.end = i;
      current = { header, start: i, end: lines.length, keys: [] };
      sections.push(current);
      key = undefined;
      continue;
    }
    if (!current) continue;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed[0] === '#' || trimmed[0] === ';') continue;
    if (/^[ \t]/.test(line)) {
      // Nested or continued: belongs to the key above (and everything between them with it).
      if (key) key.end = i + 1;
      continue;
    }
    const at = line.search(/[=:]/);
    if (at <= 0 || line.slice(0, at).trim() === '') {
      key = undefined;
      continue;
    }
    const name = line.slice(0, at).trim();
    key = { name, lower: name.toLowerCase(), value: line.slice(at + 1).replace(INLINE_COMMENT, '').trim(), start: i, end: i + 1 };
    current.keys.push(key);
  }
  return sections;
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
