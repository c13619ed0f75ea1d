export function releaseVersionProblem(tag: string | undefined, pkgVersion: string, changelog: string): string | null;
