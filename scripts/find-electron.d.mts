export function findElectronDist(): string | null;
export function findElectron(): { distDir: string; executable: string } | null;
