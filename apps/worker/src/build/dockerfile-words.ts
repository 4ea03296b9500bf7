/**
 * The words generated Dockerfiles are written with. Every command is in exec
 * form (`["/bin/sh", "-c", …]`): a JSON string cannot end the line, so no
 * command can add an instruction.
 */

export function run(shell: string): string {
  return `RUN ${json(['/bin/sh', '-c', shell])}`;
}

export function json(words: string[]): string {
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

/** `ARG A B` for the project's build env (names only; sorted so the text, and the cache, stay the same), or nothing. */
export function argLines(buildArgs: readonly string[]): string[] {
  const args = [...new Set(buildArgs)].filter((a) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(a)).sort();
  return args.length ? [`ARG ${args.join(' ')}`] : [];
}
