/**
 * Line-by-line editing of ~/.aws/credentials and ~/.aws/config. Pure: text in, text out.
 *
 * Written here rather than taken from an INI library because those parse and re-serialise the whole file, which
 * drops comments, reorders keys and flattens nested blocks (`s3 =` followed by indented keys) — the AWS CLI's own
 * writer edits line by line for the same reason. Only the lines of the section being changed are touched; every
 * other byte (comments, blank lines, CRLF or LF endings, a byte-order mark, a missing final newline) is kept.
 */

export interface Section {
  /** The name between the brackets, trimmed (e.g. `profile dev-env`). */
  header: string;
  /** Index of the header line. */
  start: number;
  /** Index of the first line after the section (the next header, or the end). */
  end: number;
}

const HEADER = /^\s*\[([^\]\r\n]+)\]\s*(?:[#;].*)?$/;
/** A top-level `key = value` line (nested lines are indented under a `key =` with no value). */
const KEY_LINE = /^([A-Za-z0-9_.-]+)[ \t]*=[ \t]*(.*?)[ \t]*$/;

/** Lines with their own line endings, so joining them gives the text back exactly. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function content(line: string): string {
  return line.replace(/\r?\n$/, '').replace(/^\uFEFF/, '');
}

export function detectEol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function findSections(lines: string[]): Section[] {
  const sections: Section[] = [];
  lines.forEach((line, i) => {
    const m = HEADER.exec(content(line));
    if (!m) return;
    const last = sections.at(-1);
    if (last) last.end = i;
    sections.push({ header: m[1]!.trim().replace(/\s+/g, ' '), start: i, end: lines.length });
  });
  return sections;
}

/** The top-level keys of a section (nested block lines are not keys). */
export function readKeys(lines: string[], section: Section): Record<string, string> {
  const keys: Record<string, string> = {};
  for (let i = section.start + 1; i < section.end; i++) {
    const line = content(lines[i]!);
    if (/^\s/.test(line)) continue;
    const m = KEY_LINE.exec(line);
    if (m) keys[m[1]!] = m[2]!;
  }
  return keys;
}

/** Every section's header and top-level keys, in file order (a header seen twice: the later keys win). */
export function readSections(text: string): Map<string, Record<string, string>> {
  const lines = splitLines(text);
  const out = new Map<string, Record<string, string>>();
  for (const s of findSections(lines)) out.set(s.header, { ...out.get(s.header), ...readKeys(lines, s) });
  return out;
}

/**
 * Set (string) or remove (undefined) top-level keys of one section, creating the section at the end of the file
 * when it is missing. Keys are changed where they stand; new keys go after the section's last key line.
 */
export function setSectionKeys(text: string, header: string, keys: Record<string, string | undefined>): string {
  const eol = detectEol(text);
  const lines = splitLines(text);
  const section = findSections(lines).findLast((s) => s.header === header);
  const toAdd = Object.entries(keys).filter((e): e is [string, string] => e[1] !== undefined);

  if (!section) {
    if (toAdd.length === 0) return text;
    let prefix = text;
    if (prefix !== '' && !prefix.endsWith('\n')) prefix += eol;
    if (prefix !== '' && !/(\r?\n){2}$/.test(prefix) && prefix.replace(/^\uFEFF/, '') !== '') prefix += eol;
    return `${prefix}[${header}]${eol}${toAdd.map(([k, v]) => `${k} = ${v}${eol}`).join('')}`;
  }

  const pending = new Map(Object.entries(keys));
  const body: string[] = [];
  let lastKeyIndex = -1;
  let inNested = false;
  for (let i = section.start + 1; i < section.end; i++) {
    const line = lines[i]!;
    const text_ = content(line);
    const indented = /^\s/.test(text_) && text_.trim() !== '';
    if (indented && inNested) {
      body.push(line);
      lastKeyIndex = body.length - 1;
      continue;
    }
    inNested = false;
    const m = indented ? null : KEY_LINE.exec(text_);
    if (m && pending.has(m[1]!)) {
      const value = pending.get(m[1]!);
      pending.delete(m[1]!);
      if (value === undefined) continue; // removed
      const ending = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
      body.push(`${m[1]} = ${value}${ending}`);
      lastKeyIndex = body.length - 1;
      continue;
    }
    if (m) {
      inNested = m[2] === '';
      lastKeyIndex = body.length;
    }
    body.push(line);
  }
  const additions = [...pending].filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]) => `${k} = ${v}${eol}`);
  if (additions.length > 0) {
    const at = lastKeyIndex + 1;
    // The line before the insertion point may lack a final newline (last line of the file).
    if (at > 0 && !body[at - 1]!.endsWith('\n')) body[at - 1] += eol;
    if (at === 0 && !lines[section.start]!.endsWith('\n')) lines[section.start] += eol;
    body.splice(at, 0, ...additions);
  }
  return [...lines.slice(0, section.start + 1), ...body, ...lines.slice(section.end)].join('');
}

/** Remove a whole section (its header through the line before the next header). */
export function removeSection(text: string, header: string): string {
  const lines = splitLines(text);
  const section = findSections(lines).findLast((s) => s.header === header);
  if (!section) return text;
  let end = section.end;
  // Keep the comments and blank lines that introduce the next section with it.
  while (end > section.start + 1 && end < lines.length && /^\s*([#;].*)?$/.test(content(lines[end - 1]!))) end--;
  const kept = [...lines.slice(0, section.start), ...lines.slice(end)];
  return kept.join('');
}

/** `[name]` in the credentials file. */
export function credentialsHeader(profile: string): string {
  return profile;
}

/** `[profile name]` in the config file; `[default]` stays as it is. */
export function configHeader(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}
