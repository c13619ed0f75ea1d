export function unpackedBinaries(platform: NodeJS.Platform, releaseDir?: string): string[];
