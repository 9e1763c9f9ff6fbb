/** One finding of the security gate, from electronegativity or from our own checks. */
export interface Finding {
  /** check id, e.g. CONTEXT_ISOLATION_JS_CHECK (electronegativity) or WEBPREF_SANDBOX (ours) */
  check: string;
  /** repo-relative, forward slashes; 'N/A' for electronegativity's app-wide findings */
  file: string;
  /** 1-based; 0 when the finding has no place */
  line: number;
  /** 0-based */
  column: number;
  /** the trimmed source line, what an allow-list `snippet` is matched against */
  snippet: string;
  message: string;
  source: 'electronegativity' | 'own';
}

/** A source file handed to our checks: its repo-relative path and text. */
export interface SourceInput {
  file: string;
  text: string;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.check.localeCompare(b.check),
  );
}

export function formatFinding(f: Finding): string {
  const where = f.line > 0 ? `${f.file}:${f.line}:${f.column}` : f.file;
  return `${f.check}  ${where}  ${f.message}${f.snippet ? `\n    ${f.snippet}` : ''}`;
}
