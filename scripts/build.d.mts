export interface BuildResult {
  outdir: string;
  /** Targets written: cli, main, preload, renderer, styles. */
  built: string[];
  /** Targets whose entry file does not exist yet. */
  skipped: string[];
}

export function build(options?: { outdir?: string; log?: (line: string) => void }): Promise<BuildResult>;
