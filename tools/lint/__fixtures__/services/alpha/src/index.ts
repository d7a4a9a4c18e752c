// A stand-in service for the module-boundary lint test: it only has to exist as an Nx project.
export const alphaName = 'alpha';
